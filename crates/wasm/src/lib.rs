//! The DaemonSet Playground for JavaScript.
//!
//! A thin wasm-bindgen shell over the `sim` crate: strings in, plain JSON-compatible objects out
//! (serde-wasm-bindgen), errors as JS exceptions carrying the same located messages.
//!
//! ```js
//! import init, { explain } from "daemonset-playground";
//! await init();
//! const report = explain(yamlText);
//! report.daemonSets[0].nodes.forEach(n => console.log(n.node, n.outcome, n.summary));
//! ```

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// One named text, as `{ name: "nodes.yaml", text: "..." }`.
#[derive(Deserialize)]
struct JsSource {
    #[serde(default)]
    name: Option<String>,
    text: String,
}

/// Explain DaemonSet placement for manifests in one text (YAML or JSON, many documents, lists).
/// Returns `{ nodeCount, daemonSets: [...], diagnostics: [...] }`; input problems are in
/// `diagnostics` (each with severity, message, document, line, column, path, hint).
#[wasm_bindgen]
pub fn explain(manifests: &str) -> Result<JsValue, JsError> {
    to_js(&sim::explain::explain_sources(&[sim::Source {
        name: None,
        text: manifests.to_string(),
    }]))
}

/// Explain over several named texts, as `kubectl apply -f a -f b` would see them:
/// `explainSources([{name: "ds.yaml", text}, {name: "nodes.yaml", text}])`.
#[wasm_bindgen(js_name = explainSources)]
pub fn explain_sources(sources: JsValue) -> Result<JsValue, JsError> {
    let sources: Vec<JsSource> = serde_wasm_bindgen::from_value(sources).map_err(|e| {
        JsError::new(&format!(
            "explainSources expects an array of {{name, text}}: {e}"
        ))
    })?;
    let sources: Vec<sim::Source> = sources
        .into_iter()
        .map(|s| sim::Source {
            name: s.name,
            text: s.text,
        })
        .collect();
    to_js(&sim::explain::explain_sources(&sources))
}

/// Like [`explain`], but throws when the input has errors; the exception's message lists them,
/// one located message per line.
#[wasm_bindgen(js_name = explainStrict)]
pub fn explain_strict(manifests: &str) -> Result<JsValue, JsError> {
    let report = sim::explain::explain_sources(&[sim::Source {
        name: None,
        text: manifests.to_string(),
    }]);
    if report.has_errors() {
        let lines: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(ToString::to_string)
            .collect();
        return Err(JsError::new(&lines.join("\n")));
    }
    to_js(&report)
}

/// The version of the simulator and the Kubernetes release whose behaviour it follows.
#[wasm_bindgen]
pub fn version() -> String {
    format!("{} (Kubernetes 1.35)", env!("CARGO_PKG_VERSION"))
}

/// The shapes the API returns, for TypeScript.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** What `run` and `nextStep` return: kubectl's (or sleep's, or sim's) output. */
export interface CommandOutput { stdout: string; stderr: string; ok: boolean }
/** One step of a guided scenario. */
export interface Step { note?: string; line: string }
/** An example from the gallery. */
export interface ExampleInfo { id: string; title: string; summary: string }
/** A located problem in the input, in the API server's words. */
export interface Diagnostic {
  severity: "error" | "warning"; message: string; source?: string; document?: number;
  line?: number; column?: number; path?: string; object?: string; hint?: string;
}
export type PodStage = "pending" | "creating" | "running" | "ready" | "failing" | "terminating";
export interface PodChip {
  namespace: string; name: string; daemonSet?: string; revision?: number; status: string;
  ready: string; stage: PodStage; preempted: boolean; message?: string;
}
export interface NodeCard {
  name: string; role: string; ready: "True" | "False" | "Unknown"; conditions: [string, string][];
  unschedulable: boolean;
  labels: [string, string][]; taints: { text: string; effect: string; enabled: boolean }[];
  resources: { name: string; requested: number; allocatable: number; text: string }[];
  pods: PodChip[];
}
export interface DaemonSetPanel {
  namespace: string; name: string; desired: number; current: number; ready: number;
  upToDate: number; available: number; misscheduled: number; strategy: string;
  priorityClassName?: string; rollout: string; rolledOut: boolean;
  images: { container: string; image: string; behaviour: "ok" | "fail" | "crash" }[];
  revisions: { revision: number; hash: string; changeCause?: string; images: string[]; current: boolean }[];
  createError?: string;
}
export interface EventRow {
  lastSeen: string; lastSeenAt: number; type: "Normal" | "Warning"; reason: string;
  object: string; namespace: string; message: string; count: number;
}
/** The cluster at one moment, as the playground page draws it. */
export interface LiveView {
  now: number; nodes: NodeCard[]; daemonSets: DaemonSetPanel[]; events: EventRow[];
  eventsOmitted: number; nextEventAt?: number;
}
/** A DaemonSet's decision for one node: the controller's and the scheduler's reasons. */
export interface NodeExplanation { daemonSet: string; report: any }
"#;

fn output(o: &sim::kubectl::Output) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Out<'a> {
        stdout: &'a str,
        stderr: &'a str,
        ok: bool,
    }
    to_js(&Out {
        stdout: &o.stdout,
        stderr: &o.stderr,
        ok: o.ok,
    })
}

fn moment(at: Option<f64>) -> Option<i64> {
    at.filter(|t| t.is_finite()).map(|t| t.max(0.0) as i64)
}

/// A simulated cluster on a virtual clock, driven like the playground page drives it.
///
/// ```js
/// const p = Playground.fromExample("rolling-update");
/// p.settle();
/// p.run("kubectl set image ds/node-exporter node-exporter=quay.io/prometheus/node-exporter:v1.9.1 -n monitoring");
/// p.advance(10_000);
/// console.log(p.view().daemonSets[0].rollout);
/// ```
#[wasm_bindgen]
pub struct Playground {
    inner: sim::playground::Playground,
}

#[wasm_bindgen]
impl Playground {
    /// A cluster started from two texts: workloads (DaemonSets, PriorityClasses, Pods, PDBs) and
    /// the cluster (Nodes, Namespaces, a Scenario document). Throws when the texts have errors;
    /// the message lists each, located (`error (workloads.yaml: document 1, line 5, column 3): …`).
    #[wasm_bindgen(constructor)]
    pub fn new(workloads: &str, cluster: &str) -> Result<Playground, JsError> {
        use sim::playground::{CLUSTER, EDITORS, WORKLOADS};
        let inner = sim::playground::Playground::new(
            &[(WORKLOADS, workloads), (CLUSTER, cluster)],
            &EDITORS,
            Vec::new(),
        );
        let errors: Vec<String> = inner
            .diagnostics()
            .iter()
            .filter(|d| d.is_error())
            .map(ToString::to_string)
            .collect();
        if !errors.is_empty() {
            return Err(JsError::new(&errors.join("\n")));
        }
        Ok(Playground { inner })
    }

    /// The examples of the gallery: `[{id, title, summary}]`.
    #[wasm_bindgen(unchecked_return_type = "ExampleInfo[]")]
    pub fn examples() -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Info {
            id: &'static str,
            title: &'static str,
            summary: &'static str,
        }
        let list: Vec<Info> = sim::playground::gallery::EXAMPLES
            .iter()
            .map(|e| Info {
                id: e.id,
                title: e.title,
                summary: e.summary,
            })
            .collect();
        to_js(&list)
    }

    /// An example from the gallery at its start, its steps ready (`nextStep`).
    #[wasm_bindgen(js_name = fromExample)]
    pub fn from_example(id: &str) -> Result<Playground, JsError> {
        let e = sim::playground::gallery::find(id).ok_or_else(|| {
            JsError::new(&format!(
                "no example {id:?}; the examples are: {}",
                sim::playground::gallery::EXAMPLES
                    .iter()
                    .map(|e| e.id)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        Ok(Playground {
            inner: e.playground(),
        })
    }

    /// Rebuild a playground from what `save()` returned (or an exported scenario file's JSON).
    pub fn load(saved: JsValue) -> Result<Playground, JsError> {
        let saved: sim::playground::Saved = serde_wasm_bindgen::from_value(saved)
            .map_err(|e| JsError::new(&format!("not a saved playground: {e}")))?;
        let inner = sim::playground::Playground::from_saved(saved).map_err(|e| JsError::new(&e))?;
        Ok(Playground { inner })
    }

    /// Everything needed to rebuild this playground exactly (plain JSON).
    pub fn save(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.saved())
    }

    /// A permalink fragment (`s=…&t=…`, without `#`) for this playground at moment `at`.
    /// Throws when the scenario is too big for a link.
    pub fn link(&self, at: Option<f64>) -> Result<String, JsError> {
        sim::playground::link::encode(&self.inner.saved(), moment(at)).map_err(|len| {
            JsError::new(&format!(
                "the scenario makes a link of {len} characters, more than {}: use save() and a file instead",
                sim::playground::link::MAX_LINK_CHARS
            ))
        })
    }

    /// Open a permalink fragment (with or without `#`). Throws on a damaged or hostile link.
    #[wasm_bindgen(js_name = fromLink)]
    pub fn from_link(fragment: &str) -> Result<Playground, JsError> {
        let link = sim::playground::link::decode(fragment)
            .map_err(|e| JsError::new(&e))?
            .ok_or_else(|| JsError::new("the fragment holds no playground (no s=…)"))?;
        let inner =
            sim::playground::Playground::from_saved(link.saved).map_err(|e| JsError::new(&e))?;
        Ok(Playground { inner })
    }

    /// Run a line: `kubectl …`, `sleep 30s`, `sim node add n9`, … Returns
    /// `{stdout, stderr, ok}`; a failing command is `ok: false` with kubectl's error in `stderr`.
    #[wasm_bindgen(unchecked_return_type = "CommandOutput")]
    pub fn run(&mut self, line: &str) -> Result<JsValue, JsError> {
        output(&self.inner.run(line))
    }

    /// The scenario's steps.
    #[wasm_bindgen(unchecked_return_type = "Step[]")]
    pub fn steps(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.steps())
    }

    /// How many steps have run.
    #[wasm_bindgen(getter, js_name = stepsDone)]
    pub fn steps_done(&self) -> usize {
        self.inner.steps_done()
    }

    /// Run the next step; `undefined` when none is left.
    #[wasm_bindgen(js_name = nextStep, unchecked_return_type = "CommandOutput | undefined")]
    pub fn next_step(&mut self) -> Result<JsValue, JsError> {
        match self.inner.run_next_step() {
            Some(o) => output(&o),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Virtual time now, in milliseconds since the start.
    #[wasm_bindgen(getter)]
    pub fn now(&self) -> f64 {
        self.inner.now() as f64
    }

    /// Let `ms` milliseconds of virtual time pass.
    pub fn advance(&mut self, ms: f64) {
        if ms.is_finite() && ms > 0.0 {
            self.inner.advance(ms as i64);
        }
    }

    /// Move the clock to the next timed event; false when nothing is scheduled.
    #[wasm_bindgen(js_name = stepToNextEvent)]
    pub fn step_to_next_event(&mut self) -> bool {
        self.inner.step_to_next_event()
    }

    /// Run until nothing is scheduled (at most 30 virtual minutes); returns how long that took.
    pub fn settle(&mut self) -> f64 {
        self.inner.fast_forward() as f64
    }

    /// Go back to moment `ms` and drop everything after it.
    pub fn rewind(&mut self, ms: f64) {
        if let Some(t) = moment(Some(ms)) {
            self.inner.rewind(t);
        }
    }

    /// The cluster as the page draws it, now or at an earlier moment `at` (ms).
    #[wasm_bindgen(unchecked_return_type = "LiveView")]
    pub fn view(&self, at: Option<f64>) -> Result<JsValue, JsError> {
        to_js(&self.inner.view(moment(at)))
    }

    /// The events, oldest first, now or at moment `at`.
    #[wasm_bindgen(unchecked_return_type = "EventRow[]")]
    pub fn events(&self, at: Option<f64>) -> Result<JsValue, JsError> {
        to_js(&self.inner.view(moment(at)).events)
    }

    /// API objects as `kubectl get KIND -A -o json` lists them (`nodes`, `ds`, `pods`, …), now or
    /// at moment `at`. Throws kubectl's error for an unknown kind.
    #[wasm_bindgen(unchecked_return_type = "any[]")]
    pub fn get(&self, kind: &str, at: Option<f64>) -> Result<JsValue, JsError> {
        let mut c = self.inner.cluster_at(moment(at)).into_owned();
        let line = format!(
            "kubectl get {} -A -o json",
            sim::playground::actions::quote(kind)
        );
        let out = sim::kubectl::run(&mut c, &line, &|p: &str| Err(format!("no file {p}")));
        if !out.ok {
            return Err(JsError::new(out.stderr.trim_end()));
        }
        let v: serde_json::Value =
            serde_json::from_str(&out.stdout).map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&v.get("items").cloned().unwrap_or_default())
    }

    /// Why each DaemonSet does or does not run a pod on `node`, now or at moment `at`.
    #[wasm_bindgen(js_name = explainNode, unchecked_return_type = "NodeExplanation[]")]
    pub fn explain_node(&self, node: &str, at: Option<f64>) -> Result<JsValue, JsError> {
        let c = self.inner.cluster_at(moment(at));
        if !c.nodes.contains_key(node) {
            return Err(JsError::new(&format!(
                "Error from server (NotFound): nodes \"{node}\" not found"
            )));
        }
        to_js(&sim::playground::view::explain_node(&c, node))
    }

    /// Replace an editor's text (`workloads.yaml` or `cluster.yaml`); apply it with `applyEditors`.
    #[wasm_bindgen(js_name = setEditor)]
    pub fn set_editor(&mut self, name: &str, text: &str) -> Result<(), JsError> {
        if !sim::playground::EDITORS.contains(&name) {
            return Err(JsError::new(&format!(
                "no editor {name:?}: the editors are workloads.yaml and cluster.yaml"
            )));
        }
        self.inner.set_editor(name, text.to_string());
        Ok(())
    }

    /// An editor's text.
    pub fn editor(&self, name: &str) -> String {
        self.inner.editor(name).to_string()
    }

    /// Problems in the editors' texts, located.
    #[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
    pub fn diagnostics(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.diagnostics())
    }

    /// `kubectl apply -f workloads.yaml -f cluster.yaml` on the running cluster.
    #[wasm_bindgen(js_name = applyEditors, unchecked_return_type = "CommandOutput")]
    pub fn apply_editors(&mut self) -> Result<JsValue, JsError> {
        output(&self.inner.apply_editors())
    }
}
