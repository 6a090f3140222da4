//! Admission and the scheduler in the simulation: Priority admission and DefaultTolerationSeconds
//! when a pod is created; binding, `FailedScheduling` and preemption for pods without a node.
//!
//! Mirrors `plugin/pkg/admission/priority/admission.go`,
//! `plugin/pkg/admission/defaulttolerationseconds/admission.go` and `pkg/scheduler/schedule_one.go`;
//! the filters and messages come from [`crate::placement::scheduler`].

use super::{daemon, kubelet, Cluster, Key};
use crate::explain::resolve_priority;
use crate::placement::scheduler::{
    self, BoundPod, IncomingPod, Preemption, Snapshot, PREEMPTION_REASON,
};
use crate::placement::taints::{NO_EXECUTE, TAINT_NOT_READY, TAINT_UNREACHABLE};
use k8s_openapi::api::core::v1::{Pod, PodCondition, Toleration};
use k8s_openapi::api::scheduling::v1::PriorityClass;

/// Admission for a new pod: priority from its class (or the global default), and 300-second
/// tolerations for not-ready/unreachable NoExecute when the pod has none. Err: the Forbidden text.
pub fn admit(c: &Cluster, pod: &mut Pod, generate_name: &str) -> Result<(), String> {
    let classes: Vec<PriorityClass> = c.priority_classes.values().cloned().collect();
    let Some(spec) = pod.spec.as_mut() else {
        return Ok(());
    };
    let (priority, class, policy) = resolve_priority(spec, &classes, generate_name)?;
    spec.priority = Some(priority);
    if class.is_some() {
        spec.priority_class_name = class;
    }
    spec.preemption_policy = Some(policy.unwrap_or_else(|| "PreemptLowerPriority".into()));
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in [TAINT_NOT_READY, TAINT_UNREACHABLE] {
        // DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): a toleration
        // with this key or an empty one, for NoExecute or every effect, is enough.
        let has = tolerations.iter().any(|t| {
            let k = t.key.as_deref().unwrap_or("");
            (k.is_empty() || k == key)
                && t.effect
                    .as_deref()
                    .is_none_or(|e| e.is_empty() || e == NO_EXECUTE)
        });
        if !has {
            tolerations.push(Toleration {
                key: Some(key.into()),
                operator: Some("Exists".into()),
                effect: Some(NO_EXECUTE.into()),
                toleration_seconds: Some(300),
                value: None,
            });
        }
    }
    Ok(())
}

/// Admission for a pod given in the input; a missing class leaves it at priority 0.
pub fn admit_pod(c: &Cluster, pod: &mut Pod) {
    let name = pod.metadata.name.clone().unwrap_or_default();
    if admit(c, pod, &name).is_err() {
        if let Some(spec) = pod.spec.as_mut() {
            spec.priority = Some(0);
        }
    }
}

fn is_terminal(p: &Pod) -> bool {
    matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded") | Some("Failed")
    )
}

fn bound_node(p: &Pod) -> Option<&str> {
    p.spec
        .as_ref()?
        .node_name
        .as_deref()
        .filter(|n| !n.is_empty())
}

pub fn bound_pod(p: &Pod, node: &str) -> BoundPod {
    BoundPod::of(
        p,
        node,
        p.spec.as_ref().and_then(|s| s.priority).unwrap_or(0),
    )
}

fn set_scheduled_condition(
    p: &mut Pod,
    now: super::time::Millis,
    status: &str,
    reason: Option<&str>,
    message: Option<String>,
) {
    let st = p.status.get_or_insert_with(Default::default);
    let conds = st.conditions.get_or_insert_with(Vec::new);
    conds.retain(|c| c.type_ != "PodScheduled");
    conds.push(PodCondition {
        type_: "PodScheduled".into(),
        status: status.into(),
        reason: reason.map(str::to_string),
        message,
        last_transition_time: Some(super::time::timestamp(now)),
        ..Default::default()
    });
}

fn scheduled_message(p: &Pod) -> Option<String> {
    p.status
        .as_ref()?
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        .and_then(|c| c.message.clone())
}

/// What one scheduling attempt decided, applied once the whole pass is over.
enum Decision {
    Bind {
        key: Key,
        node: String,
    },
    Unschedulable {
        key: Key,
        message: String,
        /// Victims to preempt and the node they make room on.
        preempt: Option<(Vec<Key>, String)>,
    },
}

/// Try to bind every pod that has no node, highest priority first. True if anything changed.
///
/// The pass decides against one snapshot of the cluster (updated as it binds and preempts), then
/// applies the decisions in order, as the scheduler's cycles would have.
pub fn schedule_pending(c: &mut Cluster) -> bool {
    let mut pending: Vec<(i32, &Key)> = c
        .pods
        .iter()
        .filter(|(_, p)| {
            bound_node(p).is_none() && p.metadata.deletion_timestamp.is_none() && !is_terminal(p)
        })
        .filter(|(_, p)| {
            p.spec
                .as_ref()
                .and_then(|s| s.scheduler_name.as_deref())
                .is_none_or(|n| n == "default-scheduler")
        })
        .map(|(k, p)| (p.spec.as_ref().and_then(|s| s.priority).unwrap_or(0), k))
        .collect();
    if pending.is_empty() {
        return false;
    }
    pending.sort_by_key(|p| std::cmp::Reverse(p.0));
    let mut snap = Snapshot::new(c.nodes.values(), c.namespaces.values());
    snap.budgets = super::disruption::budgets(c);
    for p in c.pods.values() {
        if let Some(n) = bound_node(p) {
            if !is_terminal(p) {
                snap.add_pod(bound_pod(p, n));
            }
        }
    }
    let mut decisions = Vec::new();
    let mut preempted: std::collections::BTreeSet<Key> = Default::default();
    for (_, key) in pending {
        let Some(pod) = c.pods.get(key) else {
            continue;
        };
        let spec = pod.spec.clone().unwrap_or_default();
        let priority = spec.priority.unwrap_or(0);
        let mut incoming = IncomingPod::new(
            &key.0,
            pod.metadata.labels.clone().unwrap_or_default(),
            spec,
            priority,
        );
        incoming.nominated_node = pod
            .status
            .as_ref()
            .and_then(|s| s.nominated_node_name.clone());
        let verdict = match daemon::target_node(pod) {
            Some(node) => scheduler::schedule_pinned(&incoming, &node, &snap).with_node(node),
            None => scheduler::schedule_anywhere(&incoming, &snap),
        };
        if let (true, Some(node)) = (verdict.0.binds, verdict.1.clone()) {
            snap.add_pod(bound_pod(pod, &node));
            decisions.push(Decision::Bind {
                key: key.clone(),
                node,
            });
            continue;
        }
        let message = verdict.0.message.clone().unwrap_or_default();
        let mut preempt = None;
        if let (Some(Preemption::Victims { pods, .. }), Some(node)) =
            (&verdict.0.preemption, &verdict.1)
        {
            let mut victims = Vec::new();
            for v in pods {
                let Some((ns, name)) = v.split_once('/') else {
                    continue;
                };
                let vk = (ns.to_string(), name.to_string());
                if c.pods
                    .get(&vk)
                    .is_some_and(|p| p.metadata.deletion_timestamp.is_none())
                    && preempted.insert(vk.clone())
                {
                    snap.remove_pod(ns, name);
                    victims.push(vk);
                }
            }
            preempt = Some((victims, node.clone()));
        }
        decisions.push(Decision::Unschedulable {
            key: key.clone(),
            message,
            preempt,
        });
    }
    let mut changed = false;
    let now = c.now;
    for d in decisions {
        match d {
            Decision::Bind { key, node } => {
                let Some(mut p) = c.pods.remove(&key) else {
                    continue;
                };
                if let Some(s) = p.spec.as_mut() {
                    s.node_name = Some(node.clone());
                }
                set_scheduled_condition(&mut p, now, "True", None, None);
                if let Some(st) = p.status.as_mut() {
                    st.nominated_node_name = None;
                }
                c.emit(
                    "Normal",
                    "Scheduled",
                    "Pod",
                    &key.0,
                    &key.1,
                    format!("Successfully assigned {}/{} to {node}", key.0, key.1),
                );
                kubelet::start_bound_pod(c, &key, &mut p);
                c.pods.insert(key, p);
                changed = true;
            }
            Decision::Unschedulable {
                key,
                message,
                preempt,
            } => {
                if let Some((victims, node)) = preempt {
                    let uid = c
                        .pods
                        .get(&key)
                        .and_then(|p| p.metadata.uid.clone())
                        .unwrap_or_default();
                    for vk in victims {
                        // The victim is told why (DisruptionTarget), then deleted gracefully.
                        if let Some(v) = c.pods.get_mut(&vk) {
                            kubelet::set_disruption_target(
                                v,
                                now,
                                PREEMPTION_REASON,
                                "default-scheduler: preempting to accommodate a higher priority pod",
                            );
                        }
                        c.emit(
                            "Normal",
                            "Preempted",
                            "Pod",
                            &vk.0,
                            &vk.1,
                            format!("Preempted by pod {uid} on node {node}"),
                        );
                        kubelet::delete_pod(c, &vk, None);
                        changed = true;
                    }
                    if let Some(p) = c.pods.get_mut(&key) {
                        p.status
                            .get_or_insert_with(Default::default)
                            .nominated_node_name = Some(node);
                    }
                }
                let Some(p) = c.pods.get_mut(&key) else {
                    continue;
                };
                if scheduled_message(p).as_deref() != Some(message.as_str()) {
                    set_scheduled_condition(
                        p,
                        now,
                        "False",
                        Some("Unschedulable"),
                        Some(message.clone()),
                    );
                    c.emit(
                        "Warning",
                        "FailedScheduling",
                        "Pod",
                        &key.0,
                        &key.1,
                        message,
                    );
                }
            }
        }
    }
    changed
}
