//! Nodes coming and going, becoming NotReady and Ready, and NoExecute taint eviction.
//!
//! Mirrors `pkg/controller/nodelifecycle` (the `not-ready` taints for Ready=False),
//! `pkg/controller/podgc` (pods of a deleted node are removed) and
//! `pkg/controller/tainteviction/taint_eviction.go` (placement.md §13).

use super::time::{timestamp, Millis, SECOND};
use super::{kubelet, Cluster, Key, Timed};
use crate::placement::taints::{
    first_tolerating, NO_EXECUTE, NO_SCHEDULE, TAINT_NOT_READY, TAINT_UNREACHABLE,
};
use k8s_openapi::api::core::v1::{
    Node, NodeAddress, NodeCondition, NodeSpec, NodeStatus, NodeSystemInfo, Taint,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use std::collections::BTreeMap;

fn ready_condition(ready: bool, now: Millis) -> NodeCondition {
    NodeCondition {
        type_: "Ready".into(),
        status: if ready { "True" } else { "False" }.into(),
        reason: Some(
            if ready {
                "KubeletReady"
            } else {
                "KubeletNotReady"
            }
            .into(),
        ),
        message: Some(
            if ready {
                "kubelet is posting ready status"
            } else {
                "container runtime is down"
            }
            .into(),
        ),
        last_heartbeat_time: Some(timestamp(now)),
        last_transition_time: Some(timestamp(now)),
    }
}

/// The kubelet's pressure conditions as it reports a healthy node, in its order (before Ready):
/// type, reason and message from pkg/kubelet/nodestatus/setters.go.
const PRESSURE: [(&str, &str, &str); 3] = [
    (
        "MemoryPressure",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
    ),
    (
        "DiskPressure",
        "KubeletHasNoDiskPressure",
        "kubelet has no disk pressure",
    ),
    (
        "PIDPressure",
        "KubeletHasSufficientPID",
        "kubelet has sufficient PID available",
    ),
];

fn pressure_condition((type_, reason, message): (&str, &str, &str), now: Millis) -> NodeCondition {
    NodeCondition {
        type_: type_.into(),
        status: "False".into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_heartbeat_time: Some(timestamp(now)),
        last_transition_time: Some(timestamp(now)),
    }
}

/// The node lifecycle controller marks every condition the kubelet no longer posts Unknown
/// (tryUpdateNodeHealth); when the kubelet posts, its pressure conditions are False (again) and
/// take the post's heartbeat.
fn set_pressure_conditions(conds: &mut [NodeCondition], unknown: bool, now: Millis) {
    for c in conds.iter_mut() {
        let Some(p) = PRESSURE.iter().find(|(t, ..)| *t == c.type_) else {
            continue;
        };
        if unknown && c.status != "Unknown" {
            c.status = "Unknown".into();
            c.reason = Some("NodeStatusUnknown".into());
            c.message = Some("Kubelet stopped posting node status.".into());
            c.last_transition_time = Some(timestamp(now));
        } else if !unknown {
            if c.status == "Unknown" {
                *c = pressure_condition(*p, now);
            }
            // The kubelet posts every condition in one status update (setters.go), so all of
            // them carry the same heartbeat.
            c.last_heartbeat_time = Some(timestamp(now));
        }
    }
}

/// A node from the input without a Ready condition is taken to be Ready.
pub fn ensure_ready_condition(n: &mut Node, now: Millis) {
    let st = n.status.get_or_insert_with(NodeStatus::default);
    let conds = st.conditions.get_or_insert_with(Vec::new);
    if !conds.iter().any(|c| c.type_ == "Ready") {
        // Its kubelet posts the pressure conditions with Ready.
        for p in PRESSURE {
            if !conds.iter().any(|c| c.type_ == p.0) {
                conds.push(pressure_condition(p, now));
            }
        }
        conds.push(ready_condition(true, now));
    }
}

pub fn is_ready(n: &Node) -> bool {
    n.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .is_some_and(|c| c.status == "True")
}

/// The first address 10.0.0.10, 10.0.0.11, … that no node has as its InternalIP.
fn free_internal_ip(c: &Cluster) -> String {
    let used: std::collections::BTreeSet<&str> = c
        .nodes
        .values()
        .filter_map(|n| n.status.as_ref()?.addresses.as_ref())
        .flatten()
        .filter(|a| a.type_ == "InternalIP")
        .map(|a| a.address.as_str())
        .collect();
    (10..)
        .map(|i| format!("10.0.{}.{}", i / 256, i % 256))
        .find(|ip| !used.contains(ip.as_str()))
        .unwrap_or_default()
}

/// What `sim node add` takes.
#[derive(Clone, Debug, Default)]
pub struct NewNode {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    pub cpu: String,
    pub memory: String,
    pub pods: String,
}

/// A new node shaped like an existing one: its labels (but its own hostname), taints and
/// allocatable; `None` when there is no such node.
pub fn like(c: &Cluster, src: &str, name: &str) -> Option<NewNode> {
    let n = c.nodes.get(src)?;
    let mut labels = n.metadata.labels.clone().unwrap_or_default();
    labels.remove("kubernetes.io/hostname");
    let alloc = n.status.as_ref().and_then(|s| s.allocatable.as_ref());
    let q = |r: &str, default: &str| {
        alloc
            .and_then(|a| a.get(r))
            .map_or(default.to_string(), |q| q.0.clone())
    };
    Some(NewNode {
        name: name.to_string(),
        labels,
        taints: n
            .spec
            .as_ref()
            .and_then(|s| s.taints.clone())
            .unwrap_or_default()
            .into_iter()
            // Taints the node controllers manage (not-ready, unschedulable) belong to the source.
            .filter(|t| !t.key.starts_with("node.kubernetes.io/"))
            .map(|mut t| {
                t.time_added = None;
                t
            })
            .collect(),
        cpu: q("cpu", "4"),
        memory: q("memory", "16Gi"),
        pods: q("pods", "110"),
    })
}

/// A node joins the cluster: Ready, with the usual labels and the given allocatable.
pub fn add_node(c: &mut Cluster, new: NewNode) {
    let now = c.now;
    let mut labels: BTreeMap<String, String> = [
        ("kubernetes.io/arch", "amd64"),
        ("kubernetes.io/os", "linux"),
        ("beta.kubernetes.io/arch", "amd64"),
        ("beta.kubernetes.io/os", "linux"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    labels.insert("kubernetes.io/hostname".into(), new.name.clone());
    labels.extend(new.labels);
    let mut meta = c.new_meta(&new.name, None);
    meta.labels = Some(labels);
    let resources: BTreeMap<String, Quantity> =
        [("cpu", new.cpu), ("memory", new.memory), ("pods", new.pods)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), Quantity(v)))
            .collect();
    let node = Node {
        metadata: meta,
        spec: Some(NodeSpec {
            taints: (!new.taints.is_empty()).then_some(new.taints),
            ..Default::default()
        }),
        status: Some(NodeStatus {
            allocatable: Some(resources.clone()),
            capacity: Some(resources),
            conditions: Some(
                PRESSURE
                    .into_iter()
                    .map(|p| pressure_condition(p, now))
                    .chain([ready_condition(true, now)])
                    .collect(),
            ),
            addresses: Some(vec![
                NodeAddress {
                    type_: "InternalIP".into(),
                    address: free_internal_ip(c),
                },
                NodeAddress {
                    type_: "Hostname".into(),
                    address: new.name.clone(),
                },
            ]),
            node_info: Some(NodeSystemInfo {
                architecture: "amd64".into(),
                container_runtime_version: "containerd://2.1.0".into(),
                kernel_version: "6.8.0-1019-generic".into(),
                kubelet_version: "v1.35.0".into(),
                operating_system: "linux".into(),
                os_image: "Ubuntu 24.04.1 LTS".into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
    };
    let name = new.name.clone();
    c.nodes.insert(new.name, node);
    c.emit(
        "Normal",
        "RegisteredNode",
        "Node",
        "",
        &name,
        format!("Node {name} event: Registered Node {name} in Controller"),
    );
    c.settle();
}

/// A node leaves: pod garbage collection removes the pods bound to it at once.
pub fn remove_node(c: &mut Cluster, name: &str) -> bool {
    if c.nodes.remove(name).is_none() {
        return false;
    }
    let gone: Vec<Key> = pods_on_node(c, name);
    for k in gone {
        c.pods.remove(&k);
        c.runtime.remove(&k);
    }
    c.settle();
    true
}

/// The kubelet stops reporting: after the grace period the node lifecycle controller sets
/// Ready=Unknown and the `node.kubernetes.io/unreachable` NoSchedule and NoExecute taints, and
/// marks the node's pods not ready.
pub fn set_unreachable(c: &mut Cluster, name: &str) -> bool {
    let condition = NodeCondition {
        type_: "Ready".into(),
        status: "Unknown".into(),
        reason: Some("NodeStatusUnknown".into()),
        message: Some("Kubelet stopped posting node status.".into()),
        last_heartbeat_time: None,
        last_transition_time: Some(timestamp(c.now)),
    };
    if !set_ready_condition(c, name, condition, Some(TAINT_UNREACHABLE)) {
        return false;
    }
    c.emit(
        "Normal",
        "NodeNotReady",
        "Node",
        "",
        name,
        format!("Node {name} status is now: NodeNotReady"),
    );
    mark_pods_ready(c, name, false);
    c.settle();
    true
}

/// Replace the node's Ready condition and its lifecycle taints (`not-ready`, `unreachable`) with
/// the given condition and, if any, that taint key with NoSchedule and NoExecute. False if no node.
fn set_ready_condition(
    c: &mut Cluster,
    name: &str,
    condition: NodeCondition,
    taint: Option<&str>,
) -> bool {
    let now = c.now;
    let Some(n) = c.nodes.get_mut(name) else {
        return false;
    };
    let st = n.status.get_or_insert_with(NodeStatus::default);
    let conds = st.conditions.get_or_insert_with(Vec::new);
    set_pressure_conditions(conds, condition.status == "Unknown", now);
    conds.retain(|c| c.type_ != "Ready");
    conds.push(condition);
    let spec = n.spec.get_or_insert_with(NodeSpec::default);
    let taints = spec.taints.get_or_insert_with(Vec::new);
    taints.retain(|t| t.key != TAINT_NOT_READY && t.key != TAINT_UNREACHABLE);
    if let Some(key) = taint {
        for effect in [NO_SCHEDULE, NO_EXECUTE] {
            taints.push(Taint {
                key: key.into(),
                effect: effect.into(),
                value: None,
                time_added: Some(timestamp(now)),
            });
        }
    }
    if taints.is_empty() {
        spec.taints = None;
    }
    true
}

/// The kubelet reports Ready=False (or True again); the node lifecycle controller sets or clears
/// the `node.kubernetes.io/not-ready` NoSchedule and NoExecute taints.
pub fn set_ready(c: &mut Cluster, name: &str, ready: bool) -> bool {
    let condition = ready_condition(ready, c.now);
    if !set_ready_condition(c, name, condition, (!ready).then_some(TAINT_NOT_READY)) {
        return false;
    }
    let status = if ready { "NodeReady" } else { "NodeNotReady" };
    c.emit(
        "Normal",
        status,
        "Node",
        "",
        name,
        format!("Node {name} status is now: {status}"),
    );
    mark_pods_ready(c, name, ready);
    c.settle();
    true
}

/// The taint-eviction controller: delete bound pods that do not tolerate a NoExecute taint of
/// their node; count down `tolerationSeconds` (the smallest of the first matching tolerations).
/// True if a pod was deleted.
pub fn taint_eviction(c: &mut Cluster) -> bool {
    let now = c.now;
    let mut evict_now: Vec<Key> = Vec::new();
    let mut countdowns: Vec<(Key, String, Option<Millis>)> = Vec::new();
    for (key, p) in &c.pods {
        if p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let Some(node) = p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .and_then(|n| c.nodes.get(n))
        else {
            continue;
        };
        let no_execute: Vec<&Taint> = node
            .spec
            .as_ref()
            .and_then(|s| s.taints.as_deref())
            .unwrap_or(&[])
            .iter()
            .filter(|t| t.effect == NO_EXECUTE)
            .collect();
        let tolerations = p
            .spec
            .as_ref()
            .and_then(|s| s.tolerations.as_deref())
            .unwrap_or(&[]);
        let mut min_secs: Option<i64> = None;
        let mut untolerated = false;
        for t in &no_execute {
            match first_tolerating(tolerations, t) {
                None => untolerated = true,
                Some(i) => {
                    if let Some(s) = tolerations[i].toleration_seconds {
                        min_secs = Some(min_secs.map_or(s, |m| m.min(s)));
                    }
                }
            }
        }
        if untolerated || min_secs.is_some_and(|s| s <= 0) {
            evict_now.push(key.clone());
        } else if min_secs.is_some() || c.runtime.get(key).is_some_and(|r| r.eviction_due.is_some())
        {
            let uid = p.metadata.uid.clone().unwrap_or_default();
            countdowns.push((key.clone(), uid, min_secs.map(|s| s.saturating_mul(SECOND))));
        }
    }
    for (key, uid, after) in countdowns {
        let rt = c.runtime.entry(key.clone()).or_default();
        match (after, rt.eviction_due) {
            (Some(d), None) => {
                let due = now.saturating_add(d);
                rt.eviction_due = Some(due);
                c.schedule(due, Timed::Evict { pod: key, uid });
            }
            (None, Some(_)) => cancel_eviction(c, &key),
            _ => {}
        }
    }
    let changed = !evict_now.is_empty();
    for key in evict_now {
        // processPodOnNode cancels scheduled work (with its event) before deleting at once.
        cancel_eviction(c, &key);
        evict_for_taint(c, &key);
    }
    changed
}

/// The taint-eviction controller deletes a pod (`deletePodHandler` and
/// `addConditionAndDeletePod` in pkg/controller/tainteviction/taint_eviction.go): the
/// `Marking for deletion` event, the DisruptionTarget condition, then the deletion.
pub fn evict_for_taint(c: &mut Cluster, key: &Key) {
    c.pod_event(
        key,
        "Normal",
        "TaintManagerEviction",
        format!("Marking for deletion Pod {}/{}", key.0, key.1),
    );
    let now = c.now;
    if let Some(p) = c.pods.get_mut(key) {
        kubelet::set_disruption_target(
            p,
            now,
            "DeletionByTaintManager",
            "Taint manager: deleting due to NoExecute taint",
        );
    }
    kubelet::delete_pod(c, key, None);
}

/// `emitCancelPodDeletionEvent`: a scheduled eviction is called off (the taint went, or the
/// pod now tolerates it for ever).
fn cancel_eviction(c: &mut Cluster, key: &Key) {
    let was_due = c
        .runtime
        .get_mut(key)
        .and_then(|rt| rt.eviction_due.take())
        .is_some();
    if was_due {
        c.pod_event(
            key,
            "Normal",
            "TaintManagerEviction",
            format!("Cancelling deletion of Pod {}/{}", key.0, key.1),
        );
    }
}

/// The node lifecycle controller marks the pods of a NotReady node not ready
/// (`MarkPodsNotReady`); the kubelet reports them ready again when the node recovers.
fn mark_pods_ready(c: &mut Cluster, name: &str, ready: bool) {
    let now = c.now;
    let on_node: Vec<Key> = pods_on_node(c, name);
    for k in on_node {
        let mut marked_not_ready = false;
        if let Some(p) = c.pods.get_mut(&k) {
            let running = p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running");
            for cond in p
                .status
                .as_mut()
                .and_then(|s| s.conditions.as_mut())
                .into_iter()
                .flatten()
            {
                if cond.type_ == "Ready" && (!ready || running) {
                    let v = if ready && running { "True" } else { "False" };
                    if cond.status != v {
                        cond.status = v.into();
                        cond.last_transition_time = Some(timestamp(now));
                        marked_not_ready = !ready;
                    }
                }
            }
        }
        if marked_not_ready {
            // MarkPodsNotReady (pkg/controller/util/node/controller_utils.go) records this after
            // it updates the pod's status.
            c.pod_event(&k, "Warning", "NodeNotReady", "Node is not ready".into());
        }
    }
}

/// Keys of the pods bound to a node.
pub fn pods_on_node(c: &Cluster, name: &str) -> Vec<Key> {
    c.pods
        .iter()
        .filter(|(_, p)| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(name))
        .map(|(k, _)| k.clone())
        .collect()
}
