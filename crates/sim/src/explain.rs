//! The placement explainer: for every DaemonSet and every node, what the controller decides, what
//! the scheduler decides, and the steady-state status numbers that follow.
//!
//! "Steady state" is what the cluster settles to if nothing changes: every daemon pod that can bind
//! is bound and Ready, existing daemon pods stay or go as the controller rules, pods that cannot bind
//! stay Pending with the scheduler's message. DaemonSets are placed highest priority first (then in
//! input order), so an earlier DaemonSet's pods count against a later one's room on a node.
//! Status numbers follow `updateDaemonSetStatus` in `pkg/controller/daemon/daemon_controller.go`.

use crate::diag::Diagnostic;
use crate::input::{load_sources, Objects, Source};
use crate::labels::Selector;
use crate::placement::controller::{
    node_should_run_daemon_pod, should_run, simulated_pod_spec, ControllerVerdict,
};
use crate::placement::nodeaffinity::RequiredNodeAffinity;
use crate::placement::resources::PODS;
use crate::placement::scheduler::{
    self, required_pod_affinity_terms, BoundPod, IncomingPod, SchedulerVerdict, Snapshot,
};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Pod, PodSpec};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use serde::Serialize;

/// PriorityClasses every API server creates.
pub const BUILTIN_PRIORITY_CLASSES: &[(&str, i32)] = &[
    ("system-node-critical", 2_000_001_000),
    ("system-cluster-critical", 2_000_000_000),
];

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub node_count: usize,
    pub daemon_sets: Vec<DaemonSetReport>,
    /// Problems with the input and warnings about the cluster, located where possible.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Targeted nodes (shouldRun) that do not end up with a running daemon pod.
    pub fn unplaced(&self) -> impl Iterator<Item = (&DaemonSetReport, &NodeReport)> {
        self.daemon_sets.iter().flat_map(|d| {
            d.nodes
                .iter()
                .filter(|n| n.should_run && n.outcome != Outcome::Running)
                .map(move |n| (d, n))
        })
    }
}

/// The numbers `kubectl get ds` shows, as the controller would write them in steady state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCounts {
    pub desired_number_scheduled: i32,
    pub current_number_scheduled: i32,
    pub number_ready: i32,
    pub number_available: i32,
    pub updated_number_scheduled: i32,
    pub number_misscheduled: i32,
    pub number_unavailable: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetReport {
    pub name: String,
    pub namespace: String,
    pub priority: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    /// Why every pod creation fails (the `FailedCreate` event's message), if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_error: Option<String>,
    pub status: StatusCounts,
    pub nodes: Vec<NodeReport>,
}

/// Where a node ends up for one DaemonSet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// A daemon pod is bound and running.
    Running,
    /// A daemon pod exists but cannot bind.
    Pending,
    /// The controller creates no pod for this node.
    NotEligible,
    /// An existing pod keeps running though no new one would be created (counted as misscheduled).
    KeptMisscheduled,
    /// An existing pod is deleted by the controller.
    Removed,
    /// The pod would be created but the API server rejects it.
    CreateFailed,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeReport {
    pub node: String,
    pub should_run: bool,
    pub should_continue_running: bool,
    pub outcome: Outcome,
    /// One line for people.
    pub summary: String,
    /// The controller's reasons, rule by rule (present when details were asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller: Option<ControllerVerdict>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<SchedulerVerdict>,
    /// The existing daemon pod on this node, from the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_pod: Option<String>,
}

/// Load texts and explain them, with every reason; the report carries the load diagnostics too.
pub fn explain_sources(sources: &[Source]) -> Report {
    explain_sources_with(sources, ExplainOptions { details: true })
}

/// Load texts and explain them; the report carries the load diagnostics too.
pub fn explain_sources_with(sources: &[Source], opts: ExplainOptions) -> Report {
    let loaded = load_sources(sources);
    let mut report = explain_with(&loaded.objects, opts);
    let mut diags = loaded.diagnostics;
    diags.append(&mut report.diagnostics);
    report.diagnostics = diags;
    report
}

/// Resolve a pod's priority as the Priority admission plugin does:
/// `Ok((priority, class name, preemption policy))` or the Forbidden message.
pub fn resolve_priority(
    spec: &PodSpec,
    classes: &[PriorityClass],
    generate_name: &str,
) -> Result<(i32, Option<String>, Option<String>), String> {
    let find = |name: &str| -> Option<(i32, Option<String>)> {
        classes
            .iter()
            .find(|c| c.metadata.name.as_deref() == Some(name))
            .map(|c| (c.value, c.preemption_policy.clone()))
            .or_else(|| {
                BUILTIN_PRIORITY_CLASSES
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v, None))
            })
    };
    let forbidden = |why: String| format!("pods {generate_name:?} is forbidden: {why}");
    let (priority, class, policy) = match spec
        .priority_class_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        Some(name) => match find(name) {
            Some((v, policy)) => (v, Some(name.to_string()), policy),
            None => {
                return Err(forbidden(format!(
                    "no PriorityClass with name {name} was found"
                )))
            }
        },
        None => {
            let default = classes
                .iter()
                .filter(|c| c.global_default == Some(true))
                .min_by_key(|c| c.value);
            match default {
                Some(c) => (
                    c.value,
                    c.metadata.name.clone(),
                    c.preemption_policy.clone(),
                ),
                None => (0, None, None),
            }
        }
    };
    // A priority or preemption policy written in the pod spec must be the computed one
    // (plugin/pkg/admission/priority/admission.go).
    if let Some(given) = spec.priority.filter(|p| *p != priority) {
        return Err(forbidden(format!("the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name")));
    }
    let computed = policy.as_deref().unwrap_or("PreemptLowerPriority");
    if let Some(given) = spec.preemption_policy.as_deref().filter(|p| *p != computed) {
        return Err(forbidden(format!("the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission controller computed {computed} from the given PriorityClass name")));
    }
    Ok((priority, class, policy))
}

fn is_terminal(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded") | Some("Failed")
    )
}

fn is_ready(p: &Pod) -> bool {
    match p.status.as_ref() {
        // No status written: the pod is assumed to settle Ready, like the pods we create.
        None => true,
        Some(s) => s
            .conditions
            .iter()
            .flatten()
            .any(|c| c.type_ == "Ready" && c.status == "True"),
    }
}

/// Does the pod belong to the DaemonSet (`ClaimPods`): its controller reference names the
/// DaemonSet, or it has none and matches the selector (it would be adopted).
fn owned_by(p: &Pod, ds: &DaemonSet, selector: &Selector) -> bool {
    if p.metadata.namespace != ds.metadata.namespace {
        return false;
    }
    let labels = p.metadata.labels.clone().unwrap_or_default();
    if !selector.matches(&labels) {
        return false;
    }
    let controller = crate::engine::controller_of(&p.metadata);
    match controller {
        None => true,
        Some(r) => r.kind == "DaemonSet" && Some(&r.name) == ds.metadata.name.as_ref(),
    }
}

fn bound_pod(p: &Pod, node: &str, classes: &[PriorityClass]) -> BoundPod {
    let empty = k8s_openapi::api::core::v1::PodSpec::default();
    let spec = p.spec.as_ref().unwrap_or(&empty);
    let priority = spec
        .priority
        .or_else(|| resolve_priority(spec, classes, "").ok().map(|r| r.0))
        .unwrap_or(0);
    BoundPod::of(p, node, priority)
}

/// What to put in a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExplainOptions {
    /// Keep the controller's rule-by-rule reasons for every node (`NodeReport::controller`).
    /// Without them a report is several times cheaper on large clusters; decisions, summaries and
    /// scheduler messages are the same.
    pub details: bool,
}

/// The controller's decision for one node, with its reasons when they were worked out.
struct Decision {
    should_run: bool,
    should_continue_running: bool,
    verdict: Option<ControllerVerdict>,
}

impl Decision {
    fn reason(&self) -> &str {
        self.verdict.as_ref().map_or("", |v| v.reason.as_str())
    }
}

/// Explain placement of every DaemonSet over every node, with every reason.
pub fn explain(objects: &Objects) -> Report {
    explain_with(objects, ExplainOptions { details: true })
}

/// Explain placement of every DaemonSet over every node.
pub fn explain_with(objects: &Objects, opts: ExplainOptions) -> Report {
    let mut snapshot = Snapshot::new(&objects.nodes, &objects.namespaces);
    let mut diagnostics = Vec::new();
    for n in &objects.nodes {
        let name = n.metadata.name.as_deref().unwrap_or("");
        if !snapshot
            .allocatable(name)
            .is_some_and(|a| a.contains_key(PODS))
        {
            diagnostics.push(
                Diagnostic::warning(format!(
                    "Node {} has no status.allocatable.pods, so the scheduler admits no pod there (\"Too many pods\")",
                    n.metadata.name.as_deref().unwrap_or("")
                ))
                .with_hint("real kubelets report allocatable pods (110 by default); add status.allocatable with cpu, memory and pods")
                .for_object(format!("Node {}", n.metadata.name.as_deref().unwrap_or(""))),
            );
        }
    }

    for p in &objects.pods {
        if is_terminal(p) {
            continue;
        }
        if let Some(node) = p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .filter(|n| !n.is_empty())
        {
            snapshot.add_pod(bound_pod(p, node, &objects.priority_classes));
        }
    }

    struct Plan<'a> {
        ds: &'a DaemonSet,
        spec: PodSpec,
        priority: i32,
        class: Option<String>,
        preemption_policy: Option<String>,
        create_error: Option<String>,
        verdicts: Vec<Decision>,
        existing: Vec<Option<&'a Pod>>,
        incoming: Option<IncomingPod>,
    }

    let mut plans: Vec<Plan> = Vec::new();
    for ds in &objects.daemon_sets {
        let spec = simulated_pod_spec(ds);
        let affinity = RequiredNodeAffinity::of(&spec);
        let name = ds.metadata.name.clone().unwrap_or_default();
        let (priority, class, preemption_policy, create_error) =
            match resolve_priority(&spec, &objects.priority_classes, &format!("{name}-")) {
                Ok((p, c, pp)) => (p, c, pp, None),
                Err(e) => (
                    0,
                    spec.priority_class_name.clone(),
                    None,
                    Some(format!("Error creating: {e}")),
                ),
            };
        let selector = Selector::compile(ds.spec.as_ref().map(|s| &s.selector))
            .unwrap_or_else(|_| Selector::nothing());
        let daemon_pods: Vec<&Pod> = objects
            .pods
            .iter()
            .filter(|p| !is_terminal(p) && owned_by(p, ds, &selector))
            .collect();
        let mut verdicts = Vec::new();
        let mut existing = Vec::new();
        for node in &objects.nodes {
            let node_name = node.metadata.name.as_deref().unwrap_or("");
            let (run, cont) = should_run(node, &spec, &affinity);
            let v = Decision {
                should_run: run,
                should_continue_running: cont,
                // The reasons are needed for details, and for the summary of a node without a pod.
                verdict: (opts.details || !run).then(|| node_should_run_daemon_pod(node, &spec)),
            };
            // Oldest first: bound pods before unbound ones, then by creation time and name.
            let mut mine: Vec<&Pod> = daemon_pods
                .iter()
                .copied()
                .filter(|p| crate::engine::daemon::target_node(p).as_deref() == Some(node_name))
                .collect();
            mine.sort_by_key(|p| {
                (
                    p.spec.as_ref().and_then(|s| s.node_name.clone()).is_none(),
                    p.metadata
                        .creation_timestamp
                        .as_ref()
                        .map(|t| t.0.to_string()),
                    p.metadata.name.clone(),
                )
            });
            let pod = mine.first().copied();
            if pod.is_some() && !v.should_continue_running {
                // The controller deletes it: its room is free for everyone else.
                let pname = pod.and_then(|p| p.metadata.name.clone());
                snapshot.remove_pod(
                    ds.metadata.namespace.as_deref().unwrap_or(""),
                    pname.as_deref().unwrap_or(""),
                );
            }
            existing.push(pod);
            verdicts.push(v);
        }
        plans.push(Plan {
            ds,
            spec,
            priority,
            class,
            preemption_policy,
            create_error,
            verdicts,
            existing,
            incoming: None,
        });
    }

    // Highest priority first; the sort is stable, so input order breaks ties.
    let mut order: Vec<usize> = (0..plans.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(plans[i].priority));
    let mut reports: Vec<Option<DaemonSetReport>> = vec![None; plans.len()];
    for i in order {
        let plan = &mut plans[i];
        let ds = plan.ds;
        let namespace = ds.metadata.namespace.clone().unwrap_or_default();
        let name = ds.metadata.name.clone().unwrap_or_default();
        let labels = ds
            .spec
            .as_ref()
            .and_then(|s| s.template.metadata.as_ref())
            .and_then(|m| m.labels.clone())
            .unwrap_or_default();
        let mut status = StatusCounts::default();
        let mut nodes = Vec::new();
        let verdicts = std::mem::take(&mut plan.verdicts);
        for ((k, node), v) in objects.nodes.iter().enumerate().zip(verdicts) {
            let node_name = node.metadata.name.clone().unwrap_or_default();
            let existing = plan.existing[k];
            let existing_bound = existing.is_some_and(|p| {
                p.spec
                    .as_ref()
                    .and_then(|s| s.node_name.as_deref())
                    .is_some_and(|n| !n.is_empty())
            });
            let mut scheduler_verdict = None;
            let (outcome, summary) = if existing.is_some() && !v.should_continue_running {
                (
                    Outcome::Removed,
                    format!("the existing pod is deleted: {}", v.reason()),
                )
            } else if existing.is_some() && !v.should_run {
                (
                    Outcome::KeptMisscheduled,
                    format!(
                        "the existing pod keeps running and counts as misscheduled: {}",
                        v.reason()
                    ),
                )
            } else if !v.should_run {
                (Outcome::NotEligible, v.reason().to_string())
            } else if existing_bound {
                (
                    Outcome::Running,
                    "runs: the existing daemon pod stays".to_string(),
                )
            } else if let Some(err) = &plan.create_error {
                (Outcome::CreateFailed, format!("no pod: {err}"))
            } else {
                let direct = plan
                    .spec
                    .node_name
                    .as_deref()
                    .is_some_and(|n| !n.is_empty());
                if direct {
                    (Outcome::Running, "runs: the template's nodeName binds the pod directly, without the scheduler".to_string())
                } else {
                    let incoming = plan.incoming.get_or_insert_with(|| {
                        let mut pod_spec = plan.spec.clone();
                        pod_spec.priority = Some(plan.priority);
                        pod_spec.priority_class_name = plan.class.clone();
                        if pod_spec.preemption_policy.is_none() {
                            pod_spec.preemption_policy = plan.preemption_policy.clone();
                        }
                        IncomingPod::daemon(&namespace, labels.clone(), pod_spec, plan.priority)
                    });
                    incoming.pinned_to = Some(node_name.clone());
                    let incoming = &*incoming;
                    let sv = scheduler::schedule_pinned(incoming, &node_name, &snapshot);
                    let result = if sv.binds {
                        let mut b = BoundPod {
                            namespace: namespace.clone(),
                            name: format!("{name}-{node_name}"),
                            labels: labels.clone(),
                            node: node_name.clone(),
                            priority: plan.priority,
                            requests: incoming.requests.clone(),
                            host_ports: incoming.host_ports.clone(),
                            ..Default::default()
                        };
                        let (a, anti) = required_pod_affinity_terms(&incoming.spec);
                        b.required_affinity = a;
                        b.required_anti_affinity = anti;
                        snapshot.add_pod(b);
                        (
                            Outcome::Running,
                            "runs: the scheduler binds the pod to this node".to_string(),
                        )
                    } else if let Some(scheduler::Preemption::Victims { pods, .. }) = &sv.preemption
                    {
                        (
                            Outcome::Pending,
                            format!(
                                "Pending until preemption evicts {} (nominated to this node)",
                                pods.join(", ")
                            ),
                        )
                    } else {
                        (
                            Outcome::Pending,
                            format!("Pending: {}", sv.message.clone().unwrap_or_default()),
                        )
                    };
                    scheduler_verdict = Some(sv);
                    result
                }
            };
            // Status, as updateDaemonSetStatus counts it.
            let has_pod = matches!(
                outcome,
                Outcome::Running | Outcome::Pending | Outcome::KeptMisscheduled
            );
            if v.should_run {
                status.desired_number_scheduled += 1;
                if has_pod {
                    status.current_number_scheduled += 1;
                    status.updated_number_scheduled += 1;
                    let ready = outcome == Outcome::Running && existing.is_none_or(is_ready);
                    if ready {
                        status.number_ready += 1;
                        status.number_available += 1;
                    }
                }
            } else if outcome == Outcome::KeptMisscheduled {
                status.number_misscheduled += 1;
            }
            nodes.push(NodeReport {
                node: node_name,
                should_run: v.should_run,
                should_continue_running: v.should_continue_running,
                outcome,
                summary,
                controller: v.verdict.filter(|_| opts.details),
                scheduler: scheduler_verdict,
                existing_pod: existing.and_then(|p| p.metadata.name.clone()),
            });
        }
        status.number_unavailable = status.desired_number_scheduled - status.number_available;
        if let Some(e) = &plan.create_error {
            diagnostics.push(
                Diagnostic::warning(format!("FailedCreate: {e}"))
                    .for_object(format!("DaemonSet {namespace}/{name}"))
                    .with_hint("create the PriorityClass (kubectl apply -f …) or fix spec.template.spec.priorityClassName; the DaemonSet itself was accepted"),
            );
        }
        reports[i] = Some(DaemonSetReport {
            name,
            namespace,
            priority: plan.priority,
            priority_class_name: plan.class.clone(),
            create_error: plan.create_error.clone(),
            status,
            nodes,
        });
    }
    Report {
        node_count: objects.nodes.len(),
        daemon_sets: reports.into_iter().flatten().collect(),
        diagnostics,
    }
}

#[cfg(test)]
mod tests;
