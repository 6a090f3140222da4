//! The scenario format and scripts: Kubernetes objects plus at most one `kind: Scenario`
//! document (seed, timing model, failing images, steps), and the line-by-line script language of
//! `dsim run` (`kubectl …`, `sleep 30s`, `sim node add …`, `sim image fail …`, `# comments`).

use crate::engine::nodes::{self, NewNode};
use crate::engine::time::parse_duration;
use crate::engine::{Cluster, ImageBehaviour, Timing};
use crate::kubectl::{self, Files, Output};
use k8s_openapi::api::core::v1::Taint;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const API_VERSION: &str = "playground.daemonset.dev/v1alpha1";
pub const KIND: &str = "Scenario";

/// The `kind: Scenario` document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub api_version: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
    #[serde(default)]
    pub spec: ScenarioSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Seeds pod names and UIDs; the same seed gives the same run.
    #[serde(default)]
    pub seed: u64,
    #[serde(default)]
    pub timing: TimingSpec,
    /// Images whose pulls fail (`pull`) or whose containers crash (`crash`).
    #[serde(default)]
    pub failing_images: BTreeMap<String, FailureMode>,
    /// Script lines to run after the objects are applied.
    #[serde(default)]
    pub steps: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailureMode {
    Pull,
    Crash,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TimingSpec {
    pub pull_seconds: f64,
    pub start_seconds: f64,
    pub stop_seconds: f64,
    pub crash_after_seconds: f64,
    /// Per image: seconds to pull it.
    pub image_pull_seconds: BTreeMap<String, f64>,
}

impl Default for TimingSpec {
    fn default() -> Self {
        let t = Timing::default();
        TimingSpec {
            pull_seconds: t.pull_ms as f64 / 1000.0,
            start_seconds: t.start_ms as f64 / 1000.0,
            stop_seconds: t.stop_ms as f64 / 1000.0,
            crash_after_seconds: t.crash_after_ms as f64 / 1000.0,
            image_pull_seconds: BTreeMap::new(),
        }
    }
}

/// Seconds to milliseconds, within 0 and one day (a timing of infinity or NaN cannot stall or
/// overflow the clock).
fn ms(s: f64) -> i64 {
    if s.is_nan() {
        return 0;
    }
    (s.clamp(0.0, 86_400.0) * 1000.0).round() as i64
}

impl ScenarioSpec {
    /// Put the timing model and failing images into a cluster.
    pub fn configure(&self, c: &mut Cluster) {
        c.timing = Timing {
            pull_ms: ms(self.timing.pull_seconds),
            start_ms: ms(self.timing.start_seconds),
            stop_ms: ms(self.timing.stop_seconds),
            crash_after_ms: ms(self.timing.crash_after_seconds),
            image_pull_ms: self
                .timing
                .image_pull_seconds
                .iter()
                .map(|(k, v)| (k.clone(), ms(*v)))
                .collect(),
        };
        for (image, mode) in &self.failing_images {
            let b = match mode {
                FailureMode::Pull => ImageBehaviour::PullFails,
                FailureMode::Crash => ImageBehaviour::Crashes,
            };
            c.images.insert(image.clone(), b);
        }
    }
}

/// A cluster for a scenario: its seed and timing model, then its objects applied.
pub fn start(objects: &crate::input::Objects) -> Cluster {
    let spec = objects.scenario.clone().unwrap_or_default();
    let mut c = Cluster::new(spec.seed);
    spec.configure(&mut c);
    c.apply_objects(objects);
    // The transcript shows the start as `kubectl apply -f`: later applies merge against it.
    crate::kubectl::merge::record_all(&mut c, objects);
    c
}

/// One line of a run: what was typed and what it printed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub line: String,
    pub output: String,
    pub ok: bool,
    /// The virtual time after the line, in milliseconds.
    pub at: i64,
}

/// Run one script line against the cluster.
pub fn run_line(c: &mut Cluster, line: &str, files: Files) -> Output {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Output::out("");
    }
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    match words[0] {
        "kubectl" => kubectl::run(c, trimmed, files),
        "sleep" => match words.get(1).map(|d| parse_duration(d)) {
            Some(Ok(d)) => {
                c.advance(d);
                Output::out("")
            }
            Some(Err(e)) => Output::err(format!("sleep: {e}")),
            None => Output::err("sleep: missing duration (e.g. sleep 30s)"),
        },
        "sim" => sim_command(c, &words[1..]),
        other => Output::err(format!(
            "{other}: unknown command (use kubectl, sleep or sim)"
        )),
    }
}

fn flag<'a>(words: &'a [&'a str], name: &str) -> Option<&'a str> {
    words
        .iter()
        .position(|w| *w == name)
        .and_then(|i| words.get(i + 1).copied())
        .or_else(|| {
            words
                .iter()
                .find_map(|w| w.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
        })
}

const SIM_USAGE: &str = "usage: sim node add NAME [--labels k=v,…] [--taints k=v:Effect,…] [--cpu Q] [--memory Q] [--pods N] | sim node add NAME --like NODE | sim node remove|notready|unreachable|ready NAME | sim pod fail NAME [-n NS] | sim image fail|crash|ok IMAGE";

/// What the API server says of the Node `sim node add` would register, if it refuses it.
fn new_node_error(new: &NewNode) -> Option<String> {
    let resources = serde_json::json!({"cpu": new.cpu, "memory": new.memory, "pods": new.pods});
    let node = serde_json::json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": new.name, "labels": new.labels},
        "spec": {"taints": new.taints},
        "status": {"capacity": resources, "allocatable": resources},
    });
    let loaded = crate::input::load(&node.to_string());
    loaded
        .diagnostics
        .into_iter()
        .find(|d| d.is_error())
        .map(|d| d.message)
}

fn sim_command(c: &mut Cluster, w: &[&str]) -> Output {
    match w {
        ["node", "add", name, rest @ ..] => {
            if c.nodes.contains_key(*name) {
                return Output::err(format!("sim: node {name} already exists"));
            }
            if let Some(src) = flag(rest, "--like") {
                let Some(new) = nodes::like(c, src, name) else {
                    return Output::err(format!("sim: node {src} not found (--like)"));
                };
                nodes::add_node(c, new);
                return Output::out(format!(
                    "sim: node {name} joined the cluster (labels, taints and allocatable of {src})\n"
                ));
            }
            let mut labels = BTreeMap::new();
            for kv in flag(rest, "--labels")
                .into_iter()
                .flat_map(|l| l.split(','))
                .filter(|s| !s.is_empty())
            {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                labels.insert(k.to_string(), v.to_string());
            }
            let mut taints = Vec::new();
            for t in flag(rest, "--taints")
                .into_iter()
                .flat_map(|l| l.split(','))
                .filter(|s| !s.is_empty())
            {
                let Some((kv, effect)) = t.split_once(':') else {
                    return Output::err(format!(
                        "sim: invalid taint {t:?}: want key[=value]:Effect"
                    ));
                };
                let (k, v) = match kv.split_once('=') {
                    Some((k, v)) => (k, Some(v.to_string())),
                    None => (kv, None),
                };
                taints.push(Taint {
                    key: k.into(),
                    value: v,
                    effect: effect.into(),
                    time_added: None,
                });
            }
            let new = NewNode {
                name: name.to_string(),
                labels,
                taints,
                cpu: flag(rest, "--cpu").unwrap_or("4").into(),
                memory: flag(rest, "--memory").unwrap_or("16Gi").into(),
                pods: flag(rest, "--pods").unwrap_or("110").into(),
            };
            // The node registers through the API server, which validates it as any Node.
            if let Some(why) = new_node_error(&new) {
                return Output::err(format!("sim: {why}"));
            }
            nodes::add_node(c, new);
            Output::out(format!("sim: node {name} joined the cluster\n"))
        }
        ["node", "remove", name] => {
            if nodes::remove_node(c, name) {
                Output::out(format!(
                    "sim: node {name} left the cluster; its pods were garbage-collected\n"
                ))
            } else {
                Output::err(format!("sim: node {name} not found"))
            }
        }
        ["node", "notready", name] => match nodes::set_ready(c, name, false) {
            true => Output::out(format!("sim: node {name} reports Ready=False\n")),
            false => Output::err(format!("sim: node {name} not found")),
        },
        ["node", "unreachable", name] => match nodes::set_unreachable(c, name) {
            true => Output::out(format!(
                "sim: node {name} stopped reporting (Ready=Unknown)\n"
            )),
            false => Output::err(format!("sim: node {name} not found")),
        },
        ["node", "ready", name] => match nodes::set_ready(c, name, true) {
            true => Output::out(format!("sim: node {name} reports Ready=True\n")),
            false => Output::err(format!("sim: node {name} not found")),
        },
        ["pod", "fail", name, rest @ ..] => {
            let ns = flag(rest, "-n")
                .or_else(|| flag(rest, "--namespace"))
                .unwrap_or("default");
            let key = (ns.to_string(), name.to_string());
            if crate::engine::kubelet::fail_pod(
                c,
                &key,
                "Evicted",
                "The node was low on resource: memory.",
            ) {
                Output::out(format!(
                    "sim: pod {ns}/{name} failed (the kubelet evicted it)\n"
                ))
            } else {
                Output::err(format!("sim: pod {ns}/{name} not found"))
            }
        }
        ["image", mode @ ("fail" | "crash" | "ok"), image] => {
            match *mode {
                "fail" => c
                    .images
                    .insert(image.to_string(), ImageBehaviour::PullFails),
                "crash" => c.images.insert(image.to_string(), ImageBehaviour::Crashes),
                _ => c.images.remove(*image),
            };
            Output::out(format!(
                "sim: image {image} {}\n",
                match *mode {
                    "fail" => "now fails to pull",
                    "crash" => "now crashes after it starts",
                    _ => "works again",
                }
            ))
        }
        _ => Output::err(SIM_USAGE),
    }
}

/// Run a script and return the transcript: each line echoed as `$ line`, then its output.
/// `fail_fast` stops at the first failing line.
pub fn run_script(c: &mut Cluster, script: &str, files: Files, fail_fast: bool) -> (String, bool) {
    let mut transcript = String::new();
    let mut all_ok = true;
    for line in script.lines() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with('#') {
            transcript.push_str(t);
            transcript.push('\n');
            continue;
        }
        transcript.push_str(&format!("$ {t}\n"));
        let out = run_line(c, t, files);
        transcript.push_str(&out.text());
        if !out.ok {
            all_ok = false;
            if fail_fast {
                break;
            }
        }
    }
    (transcript, all_ok)
}

/// `dsim run`: a cluster seeded and timed by the Scenario document among `sources`, the sources
/// applied (echoed as `kubectl apply -f NAME`), then the Scenario's steps and the script.
/// `apply_files` reads `-f` paths named by the sources; `script_files` those named in the script.
pub fn run(
    sources: &[crate::input::Source],
    script: &str,
    apply_files: Files,
    script_files: Files,
    fail_fast: bool,
) -> (String, bool) {
    let loaded = crate::input::load_sources(sources);
    let spec = loaded.objects.scenario.clone().unwrap_or_default();
    let mut cluster = Cluster::new(spec.seed);
    spec.configure(&mut cluster);
    let applies: Vec<String> = sources
        .iter()
        .filter_map(|s| s.name.as_ref())
        .map(|n| format!("kubectl apply -f {n}"))
        .collect();
    let (mut transcript, mut ok) =
        run_script(&mut cluster, &applies.join("\n"), apply_files, fail_fast);
    if ok || !fail_fast {
        let mut lines = spec.steps.clone();
        lines.extend(script.lines().map(str::to_string));
        let (t, ok2) = run_script(&mut cluster, &lines.join("\n"), script_files, fail_fast);
        transcript.push_str(&t);
        ok &= ok2;
    }
    (transcript, ok)
}
