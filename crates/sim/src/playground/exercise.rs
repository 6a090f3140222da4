//! A lesson's closing exercise: a task in words, and the state of the cluster that completes it.
//!
//! The goal is checked against the cluster as it is now, so any way of getting there counts: a
//! kubectl line typed in the console, a button on a card, or a changed manifest applied from the
//! editors.

use crate::engine::disruption::is_ready;
use crate::engine::{controller_of, Cluster};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// A Ready pod of the DaemonSet runs on the node.
    ReadyOn {
        namespace: &'static str,
        daemon_set: &'static str,
        node: &'static str,
    },
    /// The node still has a taint with this key.
    Tainted {
        node: &'static str,
        key: &'static str,
    },
    /// Every node the DaemonSet wants runs its current template and is Available (the numbers
    /// `kubectl rollout status` waits for), on at least one node.
    RolledOut {
        namespace: &'static str,
        daemon_set: &'static str,
    },
}

impl Goal {
    pub fn holds(&self, c: &Cluster) -> bool {
        match *self {
            Goal::ReadyOn {
                namespace,
                daemon_set,
                node,
            } => c.pods.iter().any(|((ns, _), p)| {
                ns == namespace
                    && p.metadata.deletion_timestamp.is_none()
                    && p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node)
                    && controller_of(&p.metadata)
                        .is_some_and(|o| o.kind == "DaemonSet" && o.name == daemon_set)
                    && is_ready(p)
            }),
            Goal::Tainted { node, key } => c
                .nodes
                .get(node)
                .and_then(|n| n.spec.as_ref())
                .and_then(|s| s.taints.as_ref())
                .is_some_and(|ts| ts.iter().any(|t| t.key == key)),
            Goal::RolledOut {
                namespace,
                daemon_set,
            } => {
                let key = (namespace.to_string(), daemon_set.to_string());
                let Some(ds) = c.daemon_sets.get(&key) else {
                    return false;
                };
                let Some(st) = ds.status.as_ref() else {
                    return false;
                };
                let desired = st.desired_number_scheduled;
                desired > 0
                    && st.observed_generation == ds.metadata.generation
                    && st.updated_number_scheduled == Some(desired)
                    && st.number_available == Some(desired)
                    && st.number_misscheduled == 0
            }
        }
    }
}

/// What the exercise asks, how to solve it, and what the tests do to prove it can be solved.
#[derive(Clone, Copy, Debug)]
pub struct Exercise {
    /// The task, one or two sentences.
    pub task: &'static str,
    /// A nudge, shown on request.
    pub hint: &'static str,
    /// All of these must hold.
    pub goal: &'static [Goal],
    /// A worked solution in words, shown on request.
    pub solution: &'static str,
    /// The solution as the tests carry it out: text replacements in the Workloads editor
    /// (applied with "Apply changes" when there are any), then lines.
    pub solution_edits: &'static [(&'static str, &'static str)],
    pub solution_lines: &'static [&'static str],
}

impl Exercise {
    pub fn done(&self, c: &Cluster) -> bool {
        self.goal.iter().all(|g| g.holds(c))
    }
}

/// The exercise as the page and the JS API show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseView {
    pub task: String,
    pub hint: String,
    pub solution: String,
    pub done: bool,
}
