//! The examples the page's gallery offers, read from `examples/` at build time so the CLI, the
//! tests and the page share one copy.

use super::{Playground, Step, CLUSTER, WORKLOADS};
use crate::input::{load_sources, split_documents, Source};

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence on what it shows.
    pub summary: &'static str,
    /// `(file name, text)`: the example's manifests.
    pub files: &'static [(&'static str, &'static str)],
    /// Extra steps as a `dsim run` script (comments become the steps' notes).
    pub script: &'static str,
    /// A file the script applies itself: it goes to the workloads editor but the cluster does not
    /// start with it.
    pub applied_by_script: Option<&'static str>,
}

macro_rules! file {
    ($dir:literal, $name:literal) => {
        (
            $name,
            include_str!(concat!("../../../../examples/", $dir, "/", $name)),
        )
    };
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "logging-agent",
        title: "A logging agent on every node",
        summary: "Five nodes, one rule each: a tolerated control-plane taint, a plain worker, an untolerated GPU taint, a cordoned node, too little memory.",
        files: &[file!("logging-agent", "daemonset.yaml"), file!("logging-agent", "nodes.yaml")],
        script: "",
        applied_by_script: None,
    },
    Example {
        id: "seed-walkthrough",
        title: "The article's walkthrough",
        summary: "Deploy, taint and untaint, NoExecute eviction, cordon, nodes joining and leaving, and a set image against a name that does not exist.",
        files: &[file!("seed-walkthrough", "log-agent.yaml"), file!("seed-walkthrough", "cluster.yaml")],
        script: include_str!("../../../../examples/seed-walkthrough/walkthrough.dsim"),
        applied_by_script: Some("log-agent.yaml"),
    },
    Example {
        id: "control-plane",
        title: "Control-plane tolerations",
        summary: "One DaemonSet tolerates every taint and runs on the control plane; one does not and skips it.",
        files: &[file!("control-plane", "cluster.yaml")],
        script: "",
        applied_by_script: None,
    },
    Example {
        id: "gpu-affinity",
        title: "GPU nodes by node affinity",
        summary: "A driver DaemonSet placed by required node affinity and a toleration; labels move it.",
        files: &[file!("gpu-affinity", "cluster.yaml")],
        script: "",
        applied_by_script: None,
    },
    Example {
        id: "noexecute-eviction",
        title: "NoSchedule versus NoExecute",
        summary: "NoSchedule keeps the running pod, NoExecute evicts it, tolerationSeconds delays the eviction.",
        files: &[file!("noexecute-eviction", "cluster.yaml")],
        script: "",
        applied_by_script: None,
    },
    Example {
        id: "rolling-update",
        title: "Rolling update: maxUnavailable, then maxSurge",
        summary: "set image on six nodes, two at a time after minReadySeconds; then a surge rollout.",
        files: &[file!("rolling-update", "cluster.yaml")],
        script: "",
        applied_by_script: None,
    },
    Example {
        id: "stalled-rollout",
        title: "A rollout stalled by a bad image",
        summary: "An image that cannot be pulled stalls the rollout; rollout undo replaces the stuck pod.",
        files: &[file!("stalled-rollout", "cluster.yaml")],
        script: "",
        applied_by_script: None,
    },
    Example {
        id: "preemption",
        title: "Preemption by a system-node-critical DaemonSet",
        summary: "Full nodes: the minimal victims, a PodDisruptionBudget that cannot save its pod, a node where nothing may go.",
        files: &[file!("preemption", "cluster.yaml")],
        script: "",
        applied_by_script: None,
    },
    Example {
        id: "missing-priority-class",
        title: "The missing PriorityClass",
        summary: "The article's slip: priorityClassName names a class that does not exist, so every pod creation fails.",
        files: &[file!("missing-priority-class", "workloads.yaml"), file!("missing-priority-class", "nodes.yaml")],
        script: "",
        applied_by_script: None,
    },
];

pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

pub fn default() -> &'static Example {
    &EXAMPLES[0]
}

/// Split manifests between the two editors: Nodes, Namespaces and the Scenario document go to
/// the cluster editor, everything else to the workloads editor. Each document keeps its text
/// (comments included).
pub fn split_for_editors(text: &str) -> (String, String) {
    let mut workloads = String::new();
    let mut cluster = String::new();
    for doc in split_documents(text) {
        let o = load_sources(&[Source {
            name: None,
            text: doc.text.to_string(),
        }])
        .objects;
        let is_cluster = o.daemon_sets.is_empty()
            && o.pods.is_empty()
            && o.priority_classes.is_empty()
            && o.pod_disruption_budgets.is_empty()
            && (!o.nodes.is_empty() || !o.namespaces.is_empty() || o.scenario.is_some());
        let into = if is_cluster {
            &mut cluster
        } else {
            &mut workloads
        };
        let body = doc.text.trim_end_matches('\n');
        let starts_with_separator = body.starts_with("---");
        if !into.is_empty() && !starts_with_separator {
            into.push_str("---\n");
        }
        into.push_str(body);
        into.push('\n');
    }
    (workloads, cluster)
}

/// A script's lines as steps: each comment block becomes the note of the line after it.
pub fn script_steps(script: &str, rename: &[(&str, &str)]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut note = String::new();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(c) = line.strip_prefix('#') {
            if !note.is_empty() {
                note.push(' ');
            }
            note.push_str(c.trim());
            continue;
        }
        let mut line = line.to_string();
        for (from, to) in rename {
            line = line.replace(&format!("-f {from}"), &format!("-f {to}"));
        }
        steps.push(Step {
            note: std::mem::take(&mut note),
            line,
        });
    }
    steps
}

impl Example {
    /// The example's texts as the two editors hold them: `(workloads, cluster)`.
    pub fn editors(&self) -> (String, String) {
        let mut w = String::new();
        let mut c = String::new();
        for (_, text) in self.files {
            let (a, b) = split_for_editors(text);
            for (into, part) in [(&mut w, a), (&mut c, b)] {
                if part.is_empty() {
                    continue;
                }
                if !into.is_empty() && !part.starts_with("---") {
                    into.push_str("---\n");
                }
                into.push_str(&part);
            }
        }
        (w, c)
    }

    /// A playground at the example's start, its steps ready to run.
    pub fn playground(&self) -> Playground {
        let (w, c) = self.editors();
        let rename: Vec<(&str, &str)> = self
            .applied_by_script
            .iter()
            .map(|f| (*f, WORKLOADS))
            .collect();
        let steps = script_steps(self.script, &rename);
        let start: &[&str] = if self.applied_by_script.is_some() {
            &[CLUSTER]
        } else {
            &[WORKLOADS, CLUSTER]
        };
        let mut p = Playground::new(&[(WORKLOADS, &w), (CLUSTER, &c)], start, steps);
        p.example = Some(self.id.to_string());
        p
    }
}
