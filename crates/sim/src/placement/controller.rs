//! The DaemonSet controller's per-node decision.
//!
//! Mirrors `NodeShouldRunDaemonPod` and `predicates` in `pkg/controller/daemon/daemon_controller.go`:
//! a template `nodeName` must name the node; nodeSelector and required node affinity must match;
//! every `NoSchedule` and `NoExecute` taint must be tolerated for a new pod (`shouldRun`), and every
//! `NoExecute` taint for an existing pod to stay (`shouldContinueRunning`). Resources, ports,
//! conditions and pod affinity are not the controller's business: the scheduler checks them.

use super::nodeaffinity::{required_node_affinity_match, AffinityMatch, RequiredNodeAffinity};
use super::taints::{self, add_daemon_default_tolerations};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, PodSpec, Taint, Toleration};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaintCheck {
    /// `key=value:Effect`.
    pub taint: String,
    pub effect: String,
    /// The first toleration that tolerates it, described for people.
    pub tolerated_by: Option<String>,
    /// The tolerating toleration is one the controller adds to every daemon pod.
    pub by_default_toleration: bool,
    /// `PreferNoSchedule` taints are never considered by the controller.
    pub considered: bool,
    /// The verdict on this taint in one sentence, for people.
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ControllerVerdict {
    pub should_run: bool,
    pub should_continue_running: bool,
    /// One sentence saying why, naming the first rule that failed.
    pub reason: String,
    /// The template's `spec.nodeName`, when it names another node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_name_mismatch: Option<String>,
    pub affinity: AffinityMatch,
    pub taints: Vec<TaintCheck>,
}

/// The pod spec the controller evaluates: the template's spec with the default daemon tolerations
/// merged in (`NewPod` + `AddOrUpdateDaemonPodTolerations`).
pub fn simulated_pod_spec(ds: &DaemonSet) -> PodSpec {
    let mut spec = ds
        .spec
        .as_ref()
        .and_then(|s| s.template.spec.clone())
        .unwrap_or_default();
    let host_network = spec.host_network.unwrap_or(false);
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    add_daemon_default_tolerations(tolerations, host_network);
    spec
}

/// `NodeShouldRunDaemonPod(node, ds)` → `(shouldRun, shouldContinueRunning)`, without building the
/// explanation: the hot path for large clusters. [`node_should_run_daemon_pod`] decides the same
/// and keeps the reasons.
pub fn should_run(node: &Node, pod: &PodSpec, affinity: &RequiredNodeAffinity) -> (bool, bool) {
    let node_name = node.metadata.name.as_deref().unwrap_or("");
    if pod
        .node_name
        .as_deref()
        .is_some_and(|n| !n.is_empty() && n != node_name)
    {
        return (false, false);
    }
    if !affinity.matches(node) {
        return (false, false);
    }
    let node_taints = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or(&[]);
    let tolerations = pod.tolerations.as_deref().unwrap_or(&[]);
    if taints::find_untolerated(
        node_taints,
        tolerations,
        taints::is_no_schedule_or_no_execute,
    )
    .is_some()
    {
        let untolerated_no_execute =
            taints::find_untolerated(node_taints, tolerations, taints::is_no_execute);
        return (false, untolerated_no_execute.is_none());
    }
    (true, true)
}

/// `NodeShouldRunDaemonPod(node, ds)` on the simulated pod spec, with the reasons kept.
pub fn node_should_run_daemon_pod(node: &Node, pod: &PodSpec) -> ControllerVerdict {
    let node_name = node.metadata.name.as_deref().unwrap_or("");
    let affinity = required_node_affinity_match(pod, node);
    let tolerations = pod.tolerations.as_deref().unwrap_or(&[]);
    let node_taints = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or(&[]);
    let taint_checks: Vec<TaintCheck> = node_taints
        .iter()
        .map(|t| {
            let by = taints::first_tolerating(tolerations, t).map(|i| &tolerations[i]);
            let considered = taints::is_no_schedule_or_no_execute(t);
            let by_default_toleration = by.is_some_and(taints::is_daemon_default_toleration);
            let taint = taints::taint_string(t);
            let tolerated_by = by.map(taints::toleration_string);
            let explanation = match (&tolerated_by, considered) {
                (_, false) => {
                    format!("{taint}: PreferNoSchedule taints are ignored by the controller")
                }
                (Some(b), true) if by_default_toleration => {
                    format!("{taint}: tolerated by the default daemon toleration {b}")
                }
                (Some(b), true) => format!("{taint}: tolerated by {b}"),
                (None, true) => format!("{taint}: no toleration matches"),
            };
            TaintCheck {
                taint,
                effect: t.effect.clone(),
                tolerated_by,
                by_default_toleration,
                considered,
                explanation,
            }
        })
        .collect();

    let (should_run, should_continue_running, reason, node_name_mismatch) =
        decide(pod, node_name, node_taints, tolerations, &affinity);
    ControllerVerdict {
        should_run,
        should_continue_running,
        reason,
        node_name_mismatch,
        affinity,
        taints: taint_checks,
    }
}

/// The decision itself, in upstream's order: nodeName, then selector and affinity, then taints.
fn decide(
    pod: &PodSpec,
    node_name: &str,
    node_taints: &[Taint],
    tolerations: &[Toleration],
    affinity: &AffinityMatch,
) -> (bool, bool, String, Option<String>) {
    if let Some(want) = pod.node_name.as_deref().filter(|n| !n.is_empty()) {
        if want != node_name {
            return (
                false,
                false,
                format!("the pod template sets nodeName {want:?}, so only that node runs the pod"),
                Some(want.to_string()),
            );
        }
    }
    if !affinity.matched {
        return (false, false, affinity_reason(affinity), None);
    }
    if let Some(t) = taints::find_untolerated(
        node_taints,
        tolerations,
        taints::is_no_schedule_or_no_execute,
    ) {
        let no_execute = taints::find_untolerated(node_taints, tolerations, taints::is_no_execute);
        let reason = match no_execute {
            Some(ne) => format!(
                "the node has taint {} and the pod has no toleration for it: no new pod, and an existing one is deleted",
                taints::taint_string(ne)
            ),
            None => format!(
                "the node has taint {} and the pod has no toleration for it: no new pod, but an existing one may keep running",
                taints::taint_string(t)
            ),
        };
        return (false, no_execute.is_none(), reason, None);
    }
    (
        true,
        true,
        "the node matches the pod's nodeSelector and node affinity and every NoSchedule and NoExecute taint is tolerated".into(),
        None,
    )
}

fn affinity_reason(m: &AffinityMatch) -> String {
    if let Some(c) = m.node_selector.iter().find(|c| !c.matched) {
        return match &c.node_value {
            Some(v) => format!(
                "nodeSelector wants {}={} but the node has {}={v}",
                c.key, c.value, c.key
            ),
            None => format!(
                "nodeSelector wants {}={} but the node has no label {}",
                c.key, c.value, c.key
            ),
        };
    }
    match m.terms.as_deref() {
        Some([]) => "required node affinity has no nodeSelectorTerms, so it matches no node".into(),
        Some(terms) => {
            let why: Vec<String> = terms
                .iter()
                .map(
                    |t| match (&t.invalid, t.requirements.iter().find(|r| !r.matched)) {
                        (Some(e), _) => format!("term {} is invalid ({e})", t.index),
                        (None, Some(r)) => format!(
                            "term {}: {} does not hold ({})",
                            t.index, r.text, r.node_has
                        ),
                        (None, None) => format!("term {} matches", t.index),
                    },
                )
                .collect();
            format!("no required node affinity term matches: {}", why.join("; "))
        }
        None => "the node does not match".into(),
    }
}

#[cfg(test)]
mod tests;
