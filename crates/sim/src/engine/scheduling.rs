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

/// Admission for a new pod, the plugins in the API server's order: ServiceAccount (the account
/// and its token volume), Priority (from the class or the global default) and
/// DefaultTolerationSeconds (300-second not-ready/unreachable NoExecute tolerations when the pod
/// has none). Err: the Forbidden text.
pub fn admit(c: &Cluster, pod: &mut Pod, generate_name: &str) -> Result<(), String> {
    let classes: Vec<PriorityClass> = c.priority_classes.values().cloned().collect();
    let Some(spec) = pod.spec.as_ref() else {
        return Ok(());
    };
    let (priority, class, policy) = resolve_priority(spec, &classes, generate_name)?;
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let mirror = pod
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"));
    let Some(spec) = pod.spec.as_mut() else {
        return Ok(());
    };
    if !mirror {
        service_account(spec, &uid);
    }
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

/// Where the ServiceAccount admission plugin mounts the API credentials.
pub const API_TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go): the
/// `default` account when none is named and, unless automounting is turned off, the projected
/// `kube-api-access-<5 characters>` volume (a 3607-second token, the cluster CA from the
/// `kube-root-ca.crt` ConfigMap, the namespace) mounted read-only in every container at
/// [`API_TOKEN_MOUNT_PATH`]. The playground takes every named ServiceAccount to exist (it sets
/// ServiceAccount objects aside), and derives the five characters from the pod's uid.
fn service_account(spec: &mut k8s_openapi::api::core::v1::PodSpec, uid: &str) {
    use k8s_openapi::api::core::v1::{
        ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath,
        ObjectFieldSelector, ProjectedVolumeSource, ServiceAccountTokenProjection, Volume,
        VolumeMount, VolumeProjection,
    };
    if spec
        .service_account_name
        .as_deref()
        .unwrap_or("")
        .is_empty()
    {
        spec.service_account_name = Some("default".into());
    }
    if spec.automount_service_account_token == Some(false) {
        return;
    }
    let mounted = |c: &k8s_openapi::api::core::v1::Container| {
        c.volume_mounts
            .iter()
            .flatten()
            .any(|m| m.mount_path == API_TOKEN_MOUNT_PATH)
    };
    let existing = spec
        .volumes
        .iter()
        .flatten()
        .find(|v| v.name.starts_with("kube-api-access-") && v.projected.is_some());
    let name = match existing {
        Some(v) => v.name.clone(),
        None => {
            const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in uid.bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            let suffix: String = (0..5)
                .map(|i| ALPHABET[((h >> (i * 8)) % ALPHABET.len() as u64) as usize] as char)
                .collect();
            let name = format!("kube-api-access-{suffix}");
            spec.volumes.get_or_insert_with(Vec::new).push(Volume {
                name: name.clone(),
                projected: Some(ProjectedVolumeSource {
                    default_mode: Some(0o644),
                    sources: Some(vec![
                        VolumeProjection {
                            service_account_token: Some(ServiceAccountTokenProjection {
                                path: "token".into(),
                                expiration_seconds: Some(3607),
                                audience: None,
                            }),
                            ..Default::default()
                        },
                        VolumeProjection {
                            config_map: Some(ConfigMapProjection {
                                name: "kube-root-ca.crt".into(),
                                items: Some(vec![KeyToPath {
                                    key: "ca.crt".into(),
                                    path: "ca.crt".into(),
                                    mode: None,
                                }]),
                                optional: None,
                            }),
                            ..Default::default()
                        },
                        VolumeProjection {
                            downward_api: Some(DownwardAPIProjection {
                                items: Some(vec![DownwardAPIVolumeFile {
                                    path: "namespace".into(),
                                    field_ref: Some(ObjectFieldSelector {
                                        api_version: Some("v1".into()),
                                        field_path: "metadata.namespace".into(),
                                    }),
                                    ..Default::default()
                                }]),
                            }),
                            ..Default::default()
                        },
                    ]),
                }),
                ..Default::default()
            });
            name
        }
    };
    let mount = VolumeMount {
        name,
        mount_path: API_TOKEN_MOUNT_PATH.into(),
        read_only: Some(true),
        ..Default::default()
    };
    for c in spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut())
    {
        if !mounted(c) {
            c.volume_mounts
                .get_or_insert_with(Vec::new)
                .push(mount.clone());
        }
    }
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
    // Pods waiting on a node they were nominated to (after a preemption): the scheduler counts
    // them there when it filters pods of no higher priority (RunFilterPluginsWithNominatedPods
    // in pkg/scheduler/framework/runtime/framework.go).
    let nominated: Vec<(Key, i32, BoundPod)> = c
        .pods
        .iter()
        .filter(|(_, p)| bound_node(p).is_none() && p.metadata.deletion_timestamp.is_none())
        .filter_map(|(k, p)| {
            let node = p.status.as_ref()?.nominated_node_name.as_deref()?;
            let priority = p.spec.as_ref().and_then(|s| s.priority).unwrap_or(0);
            Some((k.clone(), priority, bound_pod(p, node)))
        })
        .collect();
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
        let target = daemon::target_node(pod);
        let ahead: Vec<&BoundPod> = nominated
            .iter()
            .filter(|(k, p, np)| {
                k != key && *p >= priority && target.as_deref().is_none_or(|t| t == np.node)
            })
            .map(|(_, _, np)| np)
            .collect();
        let with_nominated = (!ahead.is_empty()).then(|| {
            let mut view = target
                .as_deref()
                .and_then(|t| snap.local_view(&incoming, t))
                .unwrap_or_else(|| snap.clone());
            for np in &ahead {
                view.add_pod((*np).clone());
            }
            view
        });
        let view = with_nominated.as_ref().unwrap_or(&snap);
        let verdict = match target {
            Some(node) => scheduler::schedule_pinned(&incoming, &node, view).with_node(node),
            None => scheduler::schedule_anywhere(&incoming, view),
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
