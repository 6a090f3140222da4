//! What the page draws for one moment of the cluster: a card per node with its pods, a panel per
//! DaemonSet, the event log. Plain data (serializable for the JS API); every Kubernetes fact in it
//! comes from the engine's objects, worded as kubectl words it.

use crate::engine::daemon::{revision_matches, revision_template, target_node, HASH_LABEL};
use crate::engine::events::EventRecord;
use crate::engine::time::{human_duration, Millis};
use crate::engine::{Cluster, ImageBehaviour, Key};
use crate::explain::{explain, NodeReport};
use crate::input::Objects;
use crate::kubectl::apply::CHANGE_CAUSE;
use crate::kubectl::get::pod_columns;
use crate::kubectl::rollout::{revisions_of, status_line};
use crate::placement::controller::{node_should_run_daemon_pod, simulated_pod_spec};
use crate::placement::resources::{format_amount, node_allocatable, pod_requests};
use crate::placement::taints::taint_string;
use k8s_openapi::api::core::v1::{Pod, PodSpec};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveView {
    /// Virtual time, in milliseconds since the start.
    pub now: Millis,
    pub nodes: Vec<NodeCard>,
    pub daemon_sets: Vec<DaemonSetPanel>,
    /// The last events, oldest first, as `kubectl get events` lists them.
    pub events: Vec<EventRow>,
    /// How many older events are not in `events`.
    pub events_omitted: usize,
    /// When the next timed event is due, if anything is scheduled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_event_at: Option<Millis>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaintView {
    /// `key=value:Effect`, also the toggle's accessible name.
    pub text: String,
    pub effect: String,
    /// False for a taint switched off by its toggle (no longer on the node).
    pub enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceBar {
    pub name: String,
    /// Sum of the requests of the pods bound to the node (terminating ones included, as the
    /// scheduler counts them until they are gone).
    pub requested: i64,
    pub allocatable: i64,
    /// `250m / 4` — requested and allocatable as kubectl prints quantities.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeCard {
    pub name: String,
    /// `control-plane` or `worker`.
    pub role: String,
    /// The Ready condition's status: `True`, `False` or `Unknown`.
    pub ready: String,
    /// Every condition as `(type, status)`, in the node's order.
    pub conditions: Vec<(String, String)>,
    pub unschedulable: bool,
    pub labels: Vec<(String, String)>,
    pub taints: Vec<TaintView>,
    pub resources: Vec<ResourceBar>,
    pub pods: Vec<PodChip>,
}

/// How a pod looks: its stage in a pod's life, for colour and animation (the text says it too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PodStage {
    /// Not bound to the node yet (the scheduler could not place it).
    Pending,
    /// Bound; images pulling, containers starting.
    Creating,
    /// Containers running, not Ready yet.
    Running,
    Ready,
    /// Image pull errors, crash loops, failed pods.
    Failing,
    Terminating,
}

impl PodStage {
    pub fn as_str(self) -> &'static str {
        match self {
            PodStage::Pending => "pending",
            PodStage::Creating => "creating",
            PodStage::Running => "running",
            PodStage::Ready => "ready",
            PodStage::Failing => "failing",
            PodStage::Terminating => "terminating",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodChip {
    pub namespace: String,
    pub name: String,
    /// The owning DaemonSet as `namespace/name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daemon_set: Option<String>,
    /// The DaemonSet revision the pod belongs to (from its `controller-revision-hash`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
    /// kubectl's STATUS column (`ContainerCreating`, `Running`, `ImagePullBackOff`, …).
    pub status: String,
    /// kubectl's READY column (`1/1`).
    pub ready: String,
    pub stage: PodStage,
    /// Marked for deletion by the scheduler to make room for a higher-priority pod.
    pub preempted: bool,
    /// Why a pending pod is not bound: the scheduler's last `FailedScheduling` message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `spec.priority` as admission set it, and the class it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority_class: Option<String>,
    /// A daemon pod on a node its DaemonSet no longer wants (counted in `numberMisscheduled`):
    /// the controller's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub misscheduled: Option<String>,
    /// A pod preempted and already gone, kept on its card for [`GHOST_FOR`] so the preemption
    /// stays visible; `message` says who took its place.
    pub ghost: bool,
}

/// How long a preempted pod stays on its card after it is gone.
pub const GHOST_FOR: Millis = 60 * crate::engine::time::SECOND;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RevisionRow {
    pub revision: i64,
    pub hash: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_cause: Option<String>,
    /// The template's images, `container=image`.
    pub images: Vec<String>,
    /// The revision the DaemonSet's template is now.
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageRow {
    pub container: String,
    pub image: String,
    /// How the simulated registry and runtime treat the image: `ok`, `fail` (pulls fail) or
    /// `crash` (containers crash after starting).
    pub behaviour: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetPanel {
    pub namespace: String,
    pub name: String,
    /// `kubectl get ds`: DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE.
    pub desired: i32,
    pub current: i32,
    pub ready: i32,
    pub up_to_date: i32,
    pub available: i32,
    pub misscheduled: i32,
    /// `RollingUpdate (maxUnavailable 1, maxSurge 0)` or `OnDelete`.
    pub strategy: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<String>,
    /// What `kubectl rollout status` would say now.
    pub rollout: String,
    pub rolled_out: bool,
    pub images: Vec<ImageRow>,
    pub revisions: Vec<RevisionRow>,
    /// The last `FailedCreate` message, when pod creation is failing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_error: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRow {
    /// kubectl's LAST SEEN (`12s`), relative to the moment shown.
    pub last_seen: String,
    pub last_seen_at: Millis,
    pub type_: String,
    pub reason: String,
    /// `pod/log-agent-x2k9f`, `daemonset/log-agent`, `node/node-1`.
    pub object: String,
    pub namespace: String,
    pub message: String,
    pub count: u32,
    /// What the message means, in plain words (the message itself stays upstream's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gloss: Option<String>,
}

/// How many events the view keeps (the newest).
pub const EVENTS_SHOWN: usize = 300;

fn owner_daemon_set(p: &Pod) -> Option<String> {
    crate::engine::controller_of(&p.metadata)
        .filter(|o| o.kind == "DaemonSet")
        .map(|o| {
            format!(
                "{}/{}",
                p.metadata.namespace.as_deref().unwrap_or("default"),
                o.name
            )
        })
}

fn has_condition(p: &Pod, type_: &str, reason: Option<&str>) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
        .any(|c| {
            c.type_ == type_
                && c.status == "True"
                && reason.is_none_or(|r| c.reason.as_deref() == Some(r))
        })
}

/// The stage a pod is in, from what kubectl would print for it.
pub fn stage(p: &Pod, status: &str) -> PodStage {
    let bound = p
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .is_some_and(|n| !n.is_empty());
    if p.metadata.deletion_timestamp.is_some() {
        PodStage::Terminating
    } else if matches!(
        status,
        "ErrImagePull"
            | "ImagePullBackOff"
            | "CrashLoopBackOff"
            | "Error"
            | "Failed"
            | "Evicted"
            | "InvalidImageName"
            | "CreateContainerError"
    ) || status.starts_with("ExitCode:")
    {
        PodStage::Failing
    } else if !bound {
        PodStage::Pending
    } else if has_condition(p, "Ready", None) {
        PodStage::Ready
    } else if status == "Running" {
        PodStage::Running
    } else {
        PodStage::Creating
    }
}

/// Why the controller no longer wants this daemon pod on its node (`NodeShouldRunDaemonPod`'s
/// shouldRun is false): the pod is counted as misscheduled. `None` for other pods.
fn misscheduled(
    c: &Cluster,
    p: &Pod,
    node: &str,
    templates: &mut BTreeMap<Key, PodSpec>,
) -> Option<String> {
    let owner = crate::engine::controller_of(&p.metadata).filter(|o| o.kind == "DaemonSet")?;
    if p.metadata.deletion_timestamp.is_some() {
        return None;
    }
    let key = (
        p.metadata.namespace.clone().unwrap_or_default(),
        owner.name.clone(),
    );
    let n = c.nodes.get(node)?;
    if !templates.contains_key(&key) {
        let ds = c.daemon_sets.get(&key)?;
        // The controller's status already counts them: most of the time there are none, and no
        // node needs to be looked at.
        if ds
            .status
            .as_ref()
            .is_none_or(|s| s.number_misscheduled == 0)
        {
            return None;
        }
        templates.insert(key.clone(), simulated_pod_spec(ds));
    }
    let v = node_should_run_daemon_pod(n, templates.get(&key)?);
    (!v.should_run).then_some(v.reason)
}

/// Pods preempted in the last [`GHOST_FOR`] and gone since, back on their node as ghosts.
fn add_ghosts(
    c: &Cluster,
    preempted: &[&EventRecord],
    by_node: &mut BTreeMap<String, Vec<PodChip>>,
) {
    for e in preempted.iter().copied() {
        let key = (e.namespace.clone(), e.name.clone());
        if c.pods.contains_key(&key) {
            continue;
        }
        let Some((_, node)) = e.message.rsplit_once(" on node ") else {
            continue;
        };
        let chips = by_node.entry(node.to_string()).or_default();
        if chips
            .iter()
            .any(|p| p.namespace == e.namespace && p.name == e.name)
        {
            continue;
        }
        chips.push(PodChip {
            namespace: e.namespace.clone(),
            name: e.name.clone(),
            daemon_set: None,
            revision: None,
            status: "Preempted".into(),
            ready: "0/0".into(),
            stage: PodStage::Terminating,
            preempted: true,
            message: crate::gloss::event_gloss(c, e.reason, &e.message),
            priority: None,
            priority_class: None,
            misscheduled: None,
            ghost: true,
        });
    }
}

/// Build the view of a cluster. `switched_off` lists, per node, taints removed by a toggle.
pub fn build(c: &Cluster, switched_off: &BTreeMap<String, BTreeSet<String>>) -> LiveView {
    // Revision numbers by (DaemonSet, hash).
    let mut revision_of: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut daemon_sets = Vec::new();
    for (key, ds) in &c.daemon_sets {
        let revs = revisions_of(c, key);
        let owner = format!("{}/{}", key.0, key.1);
        let mut rows = Vec::new();
        for r in &revs {
            let hash = r
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(HASH_LABEL))
                .cloned()
                .unwrap_or_default();
            revision_of.insert((owner.clone(), hash.clone()), r.revision);
            let images = revision_template(r)
                .and_then(|t| t.spec)
                .map(|s| {
                    s.containers
                        .iter()
                        .map(|k| format!("{}={}", k.name, k.image.clone().unwrap_or_default()))
                        .collect()
                })
                .unwrap_or_default();
            rows.push(RevisionRow {
                revision: r.revision,
                hash,
                change_cause: r
                    .metadata
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(CHANGE_CAUSE))
                    .cloned(),
                images,
                current: revision_matches(r, ds),
            });
        }
        daemon_sets.push(panel(c, key, ds, rows));
    }

    // The scheduler's last word on each pod, in one pass over the events (not one per pod).
    let mut failed_scheduling: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    // And the recent Preempted events, for the ghosts of their pods.
    let mut preempted: Vec<&EventRecord> = Vec::new();
    for e in &c.events.records {
        if e.kind == "Pod" && e.reason == "FailedScheduling" {
            failed_scheduling.insert((&e.namespace, &e.name), &e.message);
        }
        if e.kind == "Pod" && e.reason == "Preempted" && c.now - e.last_seen <= GHOST_FOR {
            preempted.push(e);
        }
    }

    // Each DaemonSet's pod as the controller simulates it, made once, for the misscheduled check.
    let mut templates: BTreeMap<Key, PodSpec> = BTreeMap::new();
    // Pods by node: bound pods by nodeName, unbound daemon pods by the node they are pinned to.
    let mut by_node: BTreeMap<String, Vec<PodChip>> = BTreeMap::new();
    let mut requested: BTreeMap<&str, BTreeMap<String, i64>> = BTreeMap::new();
    for ((ns, name), p) in &c.pods {
        let Some(node) = target_node(p) else { continue };
        let columns = pod_columns(c.now, p);
        let status = columns.status;
        let stage = stage(p, &status);
        let daemon_set = owner_daemon_set(p);
        let revision = daemon_set.as_ref().and_then(|d| {
            let hash = p.metadata.labels.as_ref()?.get(HASH_LABEL)?;
            revision_of.get(&(d.clone(), hash.clone())).copied()
        });
        let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
        if stage != PodStage::Pending && !matches!(phase, Some("Succeeded" | "Failed")) {
            if let (Some(n), Some(spec)) = (c.nodes.get_key_value(&node), p.spec.as_ref()) {
                let sums = requested.entry(n.0.as_str()).or_default();
                for (r, v) in pod_requests(spec) {
                    let sum = sums.entry(r).or_default();
                    *sum = sum.saturating_add(v);
                }
                let pods = sums.entry("pods".into()).or_default();
                *pods = pods.saturating_add(1);
            }
        }
        let message = (stage == PodStage::Pending)
            .then(|| failed_scheduling.get(&(ns.as_str(), name.as_str())))
            .flatten()
            .map(|m| m.to_string());
        let misscheduled = misscheduled(c, p, &node, &mut templates);
        by_node.entry(node).or_default().push(PodChip {
            namespace: ns.clone(),
            name: name.clone(),
            daemon_set,
            revision,
            ready: columns.ready,
            stage,
            preempted: has_condition(p, "DisruptionTarget", Some("PreemptionByScheduler")),
            message,
            status,
            priority: p.spec.as_ref().and_then(|s| s.priority),
            priority_class: p.spec.as_ref().and_then(|s| s.priority_class_name.clone()),
            misscheduled,
            ghost: false,
        });
    }
    add_ghosts(c, &preempted, &mut by_node);

    let nodes = c
        .nodes
        .iter()
        .map(|(name, n)| {
            let labels: Vec<(String, String)> = n
                .metadata
                .labels
                .iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let role = if labels.iter().any(|(k, _)| {
                k == "node-role.kubernetes.io/control-plane"
                    || k == "node-role.kubernetes.io/master"
            }) {
                "control-plane"
            } else {
                "worker"
            };
            let mut taints: Vec<TaintView> = n
                .spec
                .as_ref()
                .and_then(|s| s.taints.as_ref())
                .into_iter()
                .flatten()
                .map(|t| TaintView {
                    text: taint_string(t),
                    effect: t.effect.clone(),
                    enabled: true,
                })
                .collect();
            for off in switched_off.get(name).into_iter().flatten() {
                if !taints.iter().any(|t| &t.text == off) {
                    taints.push(TaintView {
                        effect: off.rsplit(':').next().unwrap_or_default().to_string(),
                        text: off.clone(),
                        enabled: false,
                    });
                }
            }
            // A stable order, so a toggled taint keeps its place on the card.
            taints.sort_by(|a, b| a.text.cmp(&b.text));
            let conditions: Vec<(String, String)> = n
                .status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .into_iter()
                .flatten()
                .map(|c| (c.type_.clone(), c.status.clone()))
                .collect();
            let ready = conditions
                .iter()
                .find(|(t, _)| t == "Ready")
                .map_or("Unknown".to_string(), |(_, s)| s.clone());
            let allocatable = node_allocatable(n);
            let used = requested.get(name.as_str());
            let resources = ["cpu", "memory", "pods"]
                .into_iter()
                .map(|r| {
                    let a = allocatable.get(r).copied().unwrap_or(0);
                    let q = used.and_then(|u| u.get(r)).copied().unwrap_or(0);
                    ResourceBar {
                        name: r.to_string(),
                        requested: q,
                        allocatable: a,
                        text: format!("{} / {}", format_amount(r, q), format_amount(r, a)),
                    }
                })
                .collect();
            NodeCard {
                name: name.clone(),
                role: role.to_string(),
                ready,
                conditions,
                unschedulable: n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true),
                labels,
                taints,
                resources,
                pods: by_node.remove(name).unwrap_or_default(),
            }
        })
        .collect();

    let records = &c.events.records;
    let omitted = records.len().saturating_sub(EVENTS_SHOWN);
    let events = records[omitted..]
        .iter()
        .map(|e| EventRow {
            last_seen: human_duration(c.now - e.last_seen),
            last_seen_at: e.last_seen,
            type_: e.type_.to_string(),
            reason: e.reason.to_string(),
            object: e.object(),
            namespace: e.namespace.clone(),
            message: e.message.clone(),
            count: e.count,
            gloss: crate::gloss::event_gloss(c, e.reason, &e.message),
        })
        .collect();

    LiveView {
        now: c.now,
        nodes,
        daemon_sets,
        events,
        events_omitted: omitted,
        next_event_at: c.next_event_at(),
    }
}

/// A rolling-update parameter as printed; unset prints 0 (the defaults fill both in).
fn param(v: Option<&k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>) -> String {
    v.map_or_else(|| "0".into(), crate::print::int_or_string)
}

fn panel(
    c: &Cluster,
    key: &Key,
    ds: &k8s_openapi::api::apps::v1::DaemonSet,
    revisions: Vec<RevisionRow>,
) -> DaemonSetPanel {
    let st = ds.status.clone().unwrap_or_default();
    let spec = ds.spec.as_ref();
    let strategy = spec.and_then(|s| s.update_strategy.as_ref());
    let strategy = match strategy.and_then(|s| s.type_.as_deref()) {
        Some("OnDelete") => "OnDelete".to_string(),
        _ => {
            let ru = strategy.and_then(|s| s.rolling_update.as_ref());
            format!(
                "RollingUpdate (maxUnavailable {}, maxSurge {})",
                param(ru.and_then(|r| r.max_unavailable.as_ref())),
                param(ru.and_then(|r| r.max_surge.as_ref()))
            )
        }
    };
    let pod_spec = spec.and_then(|s| s.template.spec.as_ref());
    let images = pod_spec
        .into_iter()
        // Regular containers only: the simulated kubelet runs no init containers, so a failing
        // init image would change nothing here.
        .flat_map(|s| &s.containers)
        .map(|k| {
            let image = k.image.clone().unwrap_or_default();
            let behaviour = match c.images.get(&image) {
                Some(ImageBehaviour::PullFails) => "fail",
                Some(ImageBehaviour::Crashes) => "crash",
                _ => "ok",
            };
            ImageRow {
                container: k.name.clone(),
                image,
                behaviour: behaviour.to_string(),
            }
        })
        .collect();
    let (rollout, rolled_out) = status_line(c, key);
    let create_error = c
        .events
        .about("DaemonSet", &key.0, &key.1)
        .last()
        .filter(|e| e.reason == "FailedCreate")
        .map(|e| e.message.clone());
    DaemonSetPanel {
        namespace: key.0.clone(),
        name: key.1.clone(),
        desired: st.desired_number_scheduled,
        current: st.current_number_scheduled,
        ready: st.number_ready,
        up_to_date: st.updated_number_scheduled.unwrap_or(0),
        available: st.number_available.unwrap_or(0),
        misscheduled: st.number_misscheduled,
        strategy,
        priority_class_name: pod_spec.and_then(|s| s.priority_class_name.clone()),
        rollout,
        rolled_out,
        images,
        revisions,
        create_error,
    }
}

impl NodeCard {
    /// Whether the card matches a search: every word must be part of the node's name, a label key,
    /// or a `key=value` label.
    pub fn matches(&self, query: &str) -> bool {
        query.split_whitespace().all(|w| {
            let w = w.to_ascii_lowercase();
            self.name.to_ascii_lowercase().contains(&w)
                || self.labels.iter().any(|(k, v)| {
                    let k = k.to_ascii_lowercase();
                    match w.split_once('=') {
                        Some((wk, wv)) => k == wk && v.to_ascii_lowercase() == wv,
                        None => k.contains(&w),
                    }
                })
        })
    }

    /// The pod of a DaemonSet (`namespace/name`) on this node, newest last.
    pub fn pods_of<'a>(&'a self, daemon_set: &'a str) -> impl Iterator<Item = &'a PodChip> + 'a {
        self.pods
            .iter()
            .filter(move |p| p.daemon_set.as_deref() == Some(daemon_set))
    }
}

/// One DaemonSet's decision for one node, with every reason, in upstream's words.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeExplanation {
    /// `namespace/name`.
    pub daemon_set: String,
    pub report: NodeReport,
}

/// The cluster's objects as they are now, as input to the placement explainer.
pub fn objects_of(c: &Cluster) -> Objects {
    Objects {
        nodes: c.nodes.values().cloned().collect(),
        daemon_sets: c.daemon_sets.values().cloned().collect(),
        pods: c.pods.values().cloned().collect(),
        priority_classes: c.priority_classes.values().cloned().collect(),
        pod_disruption_budgets: c.pdbs.values().cloned().collect(),
        namespaces: c.namespaces.values().cloned().collect(),
        scenario: None,
    }
}

/// Why each DaemonSet does or does not run a pod on `node`: the controller's verdict rule by rule
/// and the scheduler's filters, for the cluster as it is.
pub fn explain_node(c: &Cluster, node: &str) -> Vec<NodeExplanation> {
    let report = explain(&objects_of(c));
    report
        .daemon_sets
        .into_iter()
        .filter_map(|d| {
            let r = d.nodes.into_iter().find(|r| r.node == node)?;
            Some(NodeExplanation {
                daemon_set: format!("{}/{}", d.namespace, d.name),
                report: r,
            })
        })
        .collect()
}
