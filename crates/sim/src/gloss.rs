//! Plain-language glosses of upstream's words.
//!
//! Kubernetes' messages stay verbatim everywhere; a gloss is a separate line that explains one to
//! someone who has not read the scheduler's source. Each gloss is keyed on a fragment of an
//! upstream format string (named beside it), so it applies wherever that message appears: an
//! event, a step's output, a "Why?" panel.

use crate::engine::Cluster;

/// Fragments of upstream messages and what they mean.
const GLOSSES: &[(&str, &str)] = &[
    // pkg/scheduler/framework/plugins/nodeaffinity (ErrReasonPod), counted by FitError.
    (
        "didn't satisfy plugin(s) [NodeAffinity]",
        "A DaemonSet pod is pinned to one node by node affinity (the controller adds a matchFields term for metadata.name), so the scheduler counts every other node as not matching. Only the other reasons in the message are about the pod's own node.",
    ),
    (
        "didn't match Pod's node affinity/selector",
        "The node's labels do not satisfy the pod's nodeSelector or required node affinity.",
    ),
    // noderesources/fit.go.
    (
        "Insufficient cpu",
        "The pods already on the node request so much CPU that what is left of its allocatable CPU is less than this pod requests. Requests count, not actual use.",
    ),
    (
        "Insufficient memory",
        "The pods already on the node request so much memory that what is left of its allocatable memory is less than this pod requests. Requests count, not actual use.",
    ),
    (
        "Too many pods",
        "The node already runs as many pods as its allocatable pods count allows.",
    ),
    // tainttoleration plugin.
    (
        "had untolerated taint",
        "The node has a taint the pod has no toleration for.",
    ),
    // nodeunschedulable plugin.
    (
        "node(s) were unschedulable",
        "The node is cordoned (spec.unschedulable) and the pod does not tolerate node.kubernetes.io/unschedulable.",
    ),
    // framework/preemption/preemption.go and defaultpreemption.
    (
        "No preemption victims found for incoming pod",
        "On that node, evicting every pod of lower priority still would not free enough room, or there is none of lower priority.",
    ),
    (
        "Preemption is not helpful for scheduling",
        "Evicting pods would not help on those nodes: they fail for a reason that room cannot fix (for a DaemonSet pod, mostly that they are not its node).",
    ),
    (
        "not eligible due to a terminating pod on the nominated node",
        "The scheduler already preempted pods on the node it nominated for this pod. It waits for them to finish terminating instead of preempting more.",
    ),
    // plugin/pkg/admission/priority/admission.go.
    (
        "no PriorityClass with name",
        "The pod template's priorityClassName names no PriorityClass, so the Priority admission plugin refuses every pod the controller tries to create. Create the class, or fix the name.",
    ),
    // pkg/controller/tainteviction/taint_eviction.go.
    (
        "Marking for deletion Pod",
        "The node has a NoExecute taint the pod does not tolerate (or tolerates only for tolerationSeconds, now over), so the taint-eviction controller deletes it.",
    ),
    (
        "Cancelling deletion of Pod",
        "The NoExecute taint went away (or is now tolerated) before tolerationSeconds ran out, so the pod stays.",
    ),
    // pkg/controller/nodelifecycle (MarkPodsNotReady).
    (
        "Node is not ready",
        "The node stopped reporting Ready, so the node lifecycle controller set this pod's Ready condition to False.",
    ),
    // pkg/kubelet/images/image_manager.go.
    (
        "Back-off pulling image",
        "The image could not be pulled; the kubelet tries again after a pause that doubles each time, up to five minutes.",
    ),
    (
        "Back-off restarting failed container",
        "The container keeps exiting; the kubelet restarts it after a pause that doubles each time, up to five minutes (CrashLoopBackOff).",
    ),
    // pkg/controller/daemon/daemon_controller.go (FailedDaemonPod).
    (
        "Found failed daemon pod",
        "A daemon pod failed; the controller deletes it and creates a new one after a back-off.",
    ),
    // apimachinery's resource.Quantity parse error.
    (
        "quantities must match the regular expression",
        "A quantity is a number with an optional suffix: 100m or 0.5 for CPU, 128Mi or 1Gi for memory (Ki, Mi, Gi are powers of 1024; k, M, G of 1000).",
    ),
    // cmd/drain: pkg/drain/filters.go.
    (
        "cannot delete DaemonSet-managed Pods",
        "Draining cannot move a DaemonSet pod: its controller would create it again on the same node at once. --ignore-daemonsets leaves them where they are.",
    ),
    (
        "declare no controller",
        "A pod no controller owns would be gone for good once evicted; drain does that only with --force.",
    ),
    (
        "would violate the pod's disruption budget",
        "Evicting the pod now would leave fewer pods than the PodDisruptionBudget allows; the eviction is refused, and drain tries again every 5 seconds.",
    ),
];

/// Glosses for every known upstream message in `text`, in the order of [`GLOSSES`].
pub fn glosses(text: &str) -> Vec<&'static str> {
    GLOSSES
        .iter()
        .filter(|(fragment, _)| text.contains(fragment))
        .map(|(_, g)| *g)
        .collect()
}

/// The gloss of one event's message, with the pod named where upstream gives only its uid
/// (`Preempted by pod <uid> on node <node>`, pkg/scheduler/framework/preemption).
pub fn event_gloss(c: &Cluster, reason: &str, message: &str) -> Option<String> {
    if reason == "Preempted" {
        let uid = message
            .strip_prefix("Preempted by pod ")?
            .split_whitespace()
            .next()?;
        let by = c
            .pods
            .values()
            .find(|p| p.metadata.uid.as_deref() == Some(uid));
        return Some(match by {
            Some(p) => {
                let spec = p.spec.as_ref();
                let priority = spec.and_then(|s| s.priority).unwrap_or(0);
                let class = spec
                    .and_then(|s| s.priority_class_name.clone())
                    .map(|c| format!(" {c},"))
                    .unwrap_or_default();
                format!(
                    "A pod of higher priority needed the room: {}/{} (priority{class} {priority}). The scheduler evicts the fewest, least important pods that make it fit.",
                    p.metadata.namespace.as_deref().unwrap_or("default"),
                    p.metadata.name.as_deref().unwrap_or_default(),
                )
            }
            None => "A pod of higher priority needed the room (it is gone now, so only its uid is known).".to_string(),
        });
    }
    let g = glosses(message);
    (!g.is_empty()).then(|| g.join(" "))
}

/// The DaemonSet controller's two answers for a node (`NodeShouldRunDaemonPod`,
/// pkg/controller/daemon/daemon_controller.go) in words.
pub fn controller_verdict(should_run: bool, should_continue_running: bool) -> &'static str {
    match (should_run, should_continue_running) {
        (true, _) => "The controller wants a pod on this node, and keeps one that runs here.",
        (false, true) => "The controller creates no new pod here, but leaves a running one alone (a NoSchedule taint does this: it keeps new pods away, not running ones). Such a pod counts as misscheduled.",
        (false, false) => "The controller wants no pod on this node, and deletes one that runs here.",
    }
}

/// A daemon pod on a node its DaemonSet no longer wants (`numberMisscheduled`), with the
/// controller's reason.
pub fn misscheduled(reason: &str) -> String {
    format!("The DaemonSet no longer wants a pod here ({reason}); it keeps running because nothing evicts it (a NoSchedule taint or a changed label does not).")
}

/// What the scheduler's preemption found on a node, in words (pkg/scheduler/framework/preemption
/// and plugins/defaultpreemption).
pub fn preemption(p: &crate::placement::scheduler::Preemption) -> String {
    use crate::placement::scheduler::Preemption as P;
    match p {
        P::NotEligible => "This pod has preemptionPolicy: Never, so it waits for room instead of evicting anyone.".into(),
        P::WaitingForVictims => "Pods were already preempted for this pod on its nominated node; the scheduler waits for them to terminate.".into(),
        P::NotHelpful => "Evicting pods here would not help: the node fails a rule that room cannot fix (taints, node affinity, cordon).".into(),
        P::NoVictims => "Nothing here may be preempted: only pods of lower priority can be, and every pod on this node has the same or a higher priority.".into(),
        P::NotEnough { .. } => "Even with every lower-priority pod gone, the pod would not fit: the pods that must stay (same or higher priority) already take too much.".into(),
        P::Victims { pods, pdb_violations } => {
            let mut s = format!(
                "Preemption would evict {} — the fewest, least important pods that make room (lower priority only).",
                pods.join(", ")
            );
            if *pdb_violations > 0 {
                s.push_str(&format!(
                    " {pdb_violations} of them break a PodDisruptionBudget: budgets are honoured when possible, but they do not stop preemption."
                ));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn a_fit_error_gets_a_gloss_per_reason_it_names() {
        // The message of the course's troubleshooting lesson, as FitError.Error() builds it.
        let m = "0/4 nodes are available: 1 Insufficient memory, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.";
        let g = glosses(m);
        assert_eq!(g.len(), 4, "{g:?}");
        assert!(g[0].contains("pinned to one node"));
        assert!(g[1].contains("memory"));
        assert!(glosses("Started container agent").is_empty());
    }

    #[test]
    fn why_says_which_rule_protects_a_pod_from_preemption() {
        use crate::placement::scheduler::Preemption;
        assert!(preemption(&Preemption::NoVictims).contains("same or a higher priority"));
        let v = preemption(&Preemption::Victims {
            pods: vec!["default/batch".into()],
            pdb_violations: 1,
        });
        assert!(
            v.contains("default/batch") && v.contains("PodDisruptionBudget"),
            "{v}"
        );
        assert!(controller_verdict(false, true).contains("misscheduled"));
    }

    #[test]
    fn a_preemption_event_names_the_preemptor() {
        let mut c = Cluster::new(1);
        let objects = crate::input::load_sources(&[crate::input::Source::new(
            "x.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: kube-system}\nspec:\n  priorityClassName: system-node-critical\n  containers: [{name: a, image: a}]\n",
        )])
        .objects;
        c.apply_objects(&objects);
        let uid = c
            .pods
            .values()
            .next()
            .unwrap()
            .metadata
            .uid
            .clone()
            .unwrap();
        let g = event_gloss(
            &c,
            "Preempted",
            &format!("Preempted by pod {uid} on node n1"),
        )
        .unwrap();
        assert!(
            g.contains("kube-system/agent (priority system-node-critical, 2000001000)"),
            "{g}"
        );
        assert!(
            event_gloss(&c, "Preempted", "Preempted by pod 0000 on node n1")
                .unwrap()
                .contains("only its uid")
        );
    }
}
