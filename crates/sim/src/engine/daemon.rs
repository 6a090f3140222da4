//! The DaemonSet controller in the simulation: history, `manage` and status.
//!
//! Mirrors `pkg/controller/daemon/daemon_controller.go` (`syncDaemonSet`, `manage`,
//! `podsShouldBeOnNode`, `updateDaemonSetStatus`), `update.go` (`constructHistory`) and
//! `util/daemonset_util.go` (pod template labels). Rolling updates are added by the rollout work;
//! here a template change creates a new revision and new pods carry its hash.

use super::time::{millis_of, Millis, SECOND};
use super::{key_of, scheduling, Cluster, Key};
use crate::labels::Selector;
use crate::placement::controller::{should_run, simulated_pod_spec};
use crate::placement::nodeaffinity::RequiredNodeAffinity;
use crate::placement::scheduler::pin_to_node;
use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet, DaemonSetStatus};
use k8s_openapi::api::core::v1::{Pod, PodStatus};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;
use std::collections::BTreeMap;

pub const TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";
pub const HASH_LABEL: &str = "controller-revision-hash";
pub const GENERATION_LABEL: &str = "pod-template-generation";
/// `BurstReplicas`: at most this many creates (and deletes) per sync.
const BURST: usize = 250;

/// The API server's generation bookkeeping on create and update (registry strategy).
pub fn set_generations(ds: &mut DaemonSet, old: Option<&DaemonSet>) {
    let template_of = |d: &DaemonSet| {
        d.spec
            .as_ref()
            .map(|s| serde_json::to_value(&s.template).ok())
    };
    let spec_of = |d: &DaemonSet| serde_json::to_value(&d.spec).ok();
    let (generation, template_generation) = match old {
        None => (1, 1),
        Some(o) => {
            let g = o.metadata.generation.unwrap_or(1);
            let tg = template_generation(o);
            if template_of(o) != template_of(ds) {
                (g + 1, tg + 1)
            } else if spec_of(o) != spec_of(ds) {
                (g + 1, tg)
            } else {
                (g, tg)
            }
        }
    };
    ds.metadata.generation = Some(generation);
    ds.metadata
        .annotations
        .get_or_insert_with(BTreeMap::new)
        .insert(TEMPLATE_GENERATION.into(), template_generation.to_string());
}

pub fn template_generation(ds: &DaemonSet) -> i64 {
    ds.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(TEMPLATE_GENERATION))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

/// The revision hash of a template: FNV-32a over its canonical JSON, written in decimal and each
/// digit mapped through the alphabet of generated names, as `ComputeHash` + `SafeEncodeString` do.
pub fn template_hash(ds: &DaemonSet) -> String {
    let json = ds
        .spec
        .as_ref()
        .and_then(|s| serde_json::to_string(&s.template).ok())
        .unwrap_or_default();
    let mut h: u32 = 0x811c_9dc5;
    for b in json.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    if let Some(c) = ds.status.as_ref().and_then(|s| s.collision_count) {
        for b in (c as u32).to_le_bytes().iter().chain([0u8; 4].iter()) {
            h ^= u32::from(*b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    h.to_string()
        .bytes()
        .map(|d| ALPHABET[usize::from(d) % ALPHABET.len()] as char)
        .collect()
}

fn owner_ref(ds: &DaemonSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "DaemonSet".into(),
        name: ds.metadata.name.clone().unwrap_or_default(),
        uid: ds.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

fn controller_uid(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> Option<&str> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| r.uid.as_str())
}

/// `constructHistory`: find or create the revision of the current template; returns its hash.
fn construct_history(c: &mut Cluster, ds: &DaemonSet) -> String {
    let hash = template_hash(ds);
    let (ns, name) = key_of(&ds.metadata);
    let rev_key = (ns.clone(), format!("{name}-{hash}"));
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let max = c
        .revisions
        .values()
        .filter(|r| controller_uid(&r.metadata) == Some(uid.as_str()))
        .map(|r| r.revision)
        .max()
        .unwrap_or(0);
    match c.revisions.get_mut(&rev_key) {
        Some(r) if r.revision < max => r.revision = max + 1,
        Some(_) => {}
        None => {
            let mut meta = c.new_meta(&rev_key.1, Some(&ns));
            let mut labels = ds
                .spec
                .as_ref()
                .and_then(|s| s.template.metadata.as_ref())
                .and_then(|m| m.labels.clone())
                .unwrap_or_default();
            labels.insert(HASH_LABEL.into(), hash.clone());
            meta.labels = Some(labels);
            meta.owner_references = Some(vec![owner_ref(ds)]);
            let data = ds
                .spec
                .as_ref()
                .and_then(|s| serde_json::to_value(&s.template).ok())
                .map(|t| RawExtension(serde_json::json!({ "spec": { "template": t } })));
            c.revisions.insert(
                rev_key,
                ControllerRevision {
                    metadata: meta,
                    data,
                    revision: max + 1,
                },
            );
        }
    }
    hash
}

fn is_terminating(p: &Pod) -> bool {
    p.metadata.deletion_timestamp.is_some()
}

fn phase(p: &Pod) -> &str {
    p.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending")
}

/// `GetTargetNodeName`: `spec.nodeName`, else the value of the matchFields pin.
pub fn target_node(p: &Pod) -> Option<String> {
    let spec = p.spec.as_ref()?;
    if let Some(n) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        return Some(n.to_string());
    }
    spec.affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms
        .iter()
        .flat_map(|t| t.match_fields.iter().flatten())
        .find(|r| {
            r.key == "metadata.name"
                && r.operator == "In"
                && r.values.as_ref().is_some_and(|v| v.len() == 1)
        })
        .and_then(|r| r.values.as_ref().map(|v| v[0].clone()))
}

/// What the controller reads of a pod, copied out once (cheap to keep per sync).
#[derive(Clone, Debug)]
struct PodFacts {
    terminating: bool,
    phase: String,
    bound: bool,
    created: Option<Millis>,
    ready_since: Option<Millis>,
    hash: Option<String>,
    generation: Option<String>,
}

impl PodFacts {
    fn of(p: &Pod) -> PodFacts {
        let label = |k: &str| p.metadata.labels.as_ref().and_then(|l| l.get(k)).cloned();
        PodFacts {
            terminating: is_terminating(p),
            phase: phase(p).to_string(),
            bound: p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some(),
            created: p.metadata.creation_timestamp.as_ref().map(millis_of),
            ready_since: is_ready(p),
            hash: label(HASH_LABEL),
            generation: label(GENERATION_LABEL),
        }
    }
}

/// Oldest first: bound pods before unbound, then creation time, then name.
fn oldest_first(pods: &mut [(Key, PodFacts)]) {
    pods.sort_by(|(ka, a), (kb, b)| {
        (!a.bound, a.created, &ka.1).cmp(&(!b.bound, b.created, &kb.1))
    });
}

/// The DaemonSet's pods (`ClaimPods`), adopting orphans that match and releasing pods that no
/// longer match, grouped by target node.
fn claim_pods(
    c: &mut Cluster,
    ds: &DaemonSet,
    selector: &Selector,
) -> BTreeMap<String, Vec<(Key, PodFacts)>> {
    let ns = ds.metadata.namespace.clone().unwrap_or_default();
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let mut by_node: BTreeMap<String, Vec<(Key, PodFacts)>> = BTreeMap::new();
    let keys: Vec<Key> = c
        .pods
        .range((ns.clone(), String::new())..)
        .take_while(|(k, _)| k.0 == ns)
        .map(|(k, _)| k.clone())
        .collect();
    for key in keys {
        let Some(p) = c.pods.get_mut(&key) else {
            continue;
        };
        let labels = p.metadata.labels.clone().unwrap_or_default();
        let matches = selector.matches(&labels);
        match controller_uid(&p.metadata) {
            Some(owner) if owner == uid => {
                if !matches && !is_terminating(p) {
                    // Released: the pod keeps running but is no longer the DaemonSet's.
                    if let Some(refs) = p.metadata.owner_references.as_mut() {
                        refs.retain(|r| r.uid != uid);
                    }
                    continue;
                }
            }
            Some(_) => continue,
            None => {
                if !matches || is_terminating(p) {
                    continue;
                }
                p.metadata
                    .owner_references
                    .get_or_insert_with(Vec::new)
                    .push(owner_ref(ds));
            }
        }
        // Terminal pods being deleted no longer count (`includeDeletedTerminal=false`).
        if is_terminating(p) && matches!(phase(p), "Succeeded" | "Failed") {
            continue;
        }
        if let Some(node) = target_node(p) {
            by_node
                .entry(node)
                .or_default()
                .push((key, PodFacts::of(p)));
        }
    }
    by_node
}

/// Sync every DaemonSet; true if anything changed.
pub fn sync_all(c: &mut Cluster) -> bool {
    let keys: Vec<Key> = c.daemon_sets.keys().cloned().collect();
    let mut changed = false;
    for k in keys {
        changed |= sync(c, &k);
    }
    changed
}

/// One `syncDaemonSet` + `manage`. True if pods were created or deleted.
fn sync(c: &mut Cluster, key: &Key) -> bool {
    let Some(ds) = c.daemon_sets.get(key).cloned() else {
        return false;
    };
    if ds.metadata.deletion_timestamp.is_some() {
        return false;
    }
    let selector = Selector::compile(ds.spec.as_ref().map(|s| &s.selector))
        .unwrap_or_else(|_| Selector::nothing());
    if selector.is_empty() {
        c.emit(
            "Warning",
            "SelectingAll",
            "DaemonSet",
            &key.0,
            &key.1,
            "This daemon set is selecting all pods. A non-empty selector is required.".into(),
        );
        return false;
    }
    let hash = construct_history(c, &ds);
    let spec = simulated_pod_spec(&ds);
    let affinity = RequiredNodeAffinity::of(&spec);
    let by_node = claim_pods(c, &ds, &selector);

    let mut to_create: Vec<String> = Vec::new();
    let mut to_delete: Vec<Key> = Vec::new();
    let node_names: Vec<String> = c.nodes.keys().cloned().collect();
    for name in &node_names {
        let Some(node) = c.nodes.get(name) else {
            continue;
        };
        let (run, cont) = should_run(node, &spec, &affinity);
        let mut pods: Vec<(Key, PodFacts)> = by_node.get(name).cloned().unwrap_or_default();
        if run && pods.is_empty() {
            to_create.push(name.clone());
        } else if cont {
            // A pod being deleted still counts: no replacement until it is gone.
            pods.retain(|(_, p)| !p.terminating);
            let mut alive = Vec::new();
            for (k, p) in pods {
                match p.phase.as_str() {
                    "Failed" if in_failed_backoff(c, key, name) => {}
                    "Failed" => {
                        let node_name = name.clone();
                        c.emit("Warning", "FailedDaemonPod", "DaemonSet", &key.0, &key.1, format!("Found failed daemon pod {}/{} on node {node_name}, will try to kill it", k.0, k.1));
                        to_delete.push(k);
                    }
                    "Succeeded" => {
                        let node_name = name.clone();
                        c.emit("Normal", "SucceededDaemonPod", "DaemonSet", &key.0, &key.1, format!("Found succeeded daemon pod {}/{} on node {node_name}, will try to delete it", k.0, k.1));
                        to_delete.push(k);
                    }
                    _ => alive.push((k, p)),
                }
            }
            if alive.len() > 1 {
                oldest_first(&mut alive);
                to_delete.extend(alive.into_iter().skip(1).map(|(k, _)| k));
            }
        } else {
            to_delete.extend(
                pods.into_iter()
                    .filter(|(_, p)| !p.terminating)
                    .map(|(k, _)| k),
            );
        }
    }
    // Unbound pods aimed at nodes that no longer exist (`getUnscheduledPodsWithoutNode`).
    for (node, pods) in &by_node {
        if !c.nodes.contains_key(node) {
            for (k, p) in pods {
                if !p.bound && !p.terminating {
                    to_delete.push(k.clone());
                }
            }
        }
    }

    let deleted_any = !to_delete.is_empty();
    for k in to_delete.into_iter().take(BURST) {
        c.emit(
            "Normal",
            "SuccessfulDelete",
            "DaemonSet",
            &key.0,
            &key.1,
            format!("Deleted pod: {}", k.1),
        );
        super::kubelet::delete_pod(c, &k, None);
    }
    let mut created_any = false;
    for node in to_create.into_iter().take(BURST) {
        match create_pod(c, &ds, &spec, &node, &hash) {
            Ok(name) => {
                created_any = true;
                c.emit(
                    "Normal",
                    "SuccessfulCreate",
                    "DaemonSet",
                    &key.0,
                    &key.1,
                    format!("Created pod: {name}"),
                );
            }
            Err(e) => {
                // The whole batch fails the same way: one event per sync, as slow start stops there.
                c.emit(
                    "Warning",
                    "FailedCreate",
                    "DaemonSet",
                    &key.0,
                    &key.1,
                    format!("Error creating: {e}"),
                );
                break;
            }
        }
    }
    deleted_any || created_any
}

/// `failedPodsBackoff` for (DaemonSet, node): while it lasts a failed pod is left alone and a
/// resync is planned for its end; otherwise the back-off grows (1 s, doubling to 15 min).
fn in_failed_backoff(c: &mut Cluster, ds: &Key, node: &str) -> bool {
    let k = (ds.clone(), node.to_string());
    let now = c.now;
    match c.failed_backoff.get(&k).copied() {
        Some((last, delay)) if now - last < delay => {
            c.schedule(
                last + delay,
                super::Timed::Resync {
                    daemon_set: ds.clone(),
                },
            );
            true
        }
        Some((_, delay)) => {
            c.failed_backoff
                .insert(k, (now, (delay * 2).min(15 * 60 * SECOND)));
            false
        }
        None => {
            c.failed_backoff.insert(k, (now, SECOND));
            false
        }
    }
}

/// Create the daemon pod for a node (`syncNodes` + `CreatePodTemplate`); Err is the API server's.
fn create_pod(
    c: &mut Cluster,
    ds: &DaemonSet,
    spec: &k8s_openapi::api::core::v1::PodSpec,
    node: &str,
    hash: &str,
) -> Result<String, String> {
    let (ns, ds_name) = key_of(&ds.metadata);
    let template_meta = ds
        .spec
        .as_ref()
        .and_then(|s| s.template.metadata.clone())
        .unwrap_or_default();
    let mut name = format!("{ds_name}-{}", c.name_suffix());
    while c.pods.contains_key(&(ns.clone(), name.clone())) {
        name = format!("{ds_name}-{}", c.name_suffix());
    }
    let mut meta = c.new_meta(&name, Some(&ns));
    meta.generate_name = Some(format!("{ds_name}-"));
    let mut labels = template_meta.labels.clone().unwrap_or_default();
    labels.insert(HASH_LABEL.into(), hash.to_string());
    labels.insert(GENERATION_LABEL.into(), template_generation(ds).to_string());
    meta.labels = Some(labels);
    meta.annotations = template_meta.annotations.clone();
    meta.owner_references = Some(vec![owner_ref(ds)]);
    let mut pod_spec = spec.clone();
    if pod_spec.node_name.as_deref().is_none_or(str::is_empty) {
        pin_to_node(&mut pod_spec, node);
    }
    let mut pod = Pod {
        metadata: meta,
        spec: Some(pod_spec),
        status: Some(PodStatus {
            phase: Some("Pending".into()),
            qos_class: None,
            ..Default::default()
        }),
    };
    crate::input::defaults::pod(&mut pod);
    scheduling::admit(c, &mut pod, &format!("{ds_name}-"))?;
    let key = (ns, name.clone());
    if pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .is_some_and(|n| !n.is_empty())
    {
        super::kubelet::start_bound_pod(c, &key, &mut pod);
    }
    c.pods.insert(key, pod);
    Ok(name)
}

fn is_ready(p: &Pod) -> Option<Millis> {
    p.status
        .as_ref()?
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "Ready" && c.status == "True")
        .map(|c| c.last_transition_time.as_ref().map_or(0, millis_of))
}

/// `updateDaemonSetStatus` for every DaemonSet.
pub fn update_all_status(c: &mut Cluster) {
    let keys: Vec<Key> = c.daemon_sets.keys().cloned().collect();
    for k in keys {
        update_status(c, &k);
    }
}

fn update_status(c: &mut Cluster, key: &Key) {
    let Some(ds) = c.daemon_sets.get(key).cloned() else {
        return;
    };
    let selector = Selector::compile(ds.spec.as_ref().map(|s| &s.selector))
        .unwrap_or_else(|_| Selector::nothing());
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let spec = simulated_pod_spec(&ds);
    let affinity = RequiredNodeAffinity::of(&spec);
    let hash = template_hash(&ds);
    let min_ready = Millis::from(
        ds.spec
            .as_ref()
            .and_then(|s| s.min_ready_seconds)
            .unwrap_or(0),
    ) * SECOND;
    let mut by_node: BTreeMap<String, Vec<(Key, PodFacts)>> = BTreeMap::new();
    for (k, p) in c
        .pods
        .range((key.0.clone(), String::new())..)
        .take_while(|(k, _)| k.0 == key.0)
    {
        if controller_uid(&p.metadata) != Some(uid.as_str())
            || !selector.matches(p.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()))
        {
            continue;
        }
        if is_terminating(p) && matches!(phase(p), "Succeeded" | "Failed") {
            continue;
        }
        if let Some(n) = target_node(p) {
            by_node
                .entry(n)
                .or_default()
                .push((k.clone(), PodFacts::of(p)));
        }
    }
    let mut s = DaemonSetStatus {
        collision_count: ds.status.as_ref().and_then(|s| s.collision_count),
        ..Default::default()
    };
    for (name, node) in &c.nodes {
        let (run, _) = should_run(node, &spec, &affinity);
        let pods = by_node.get_mut(name);
        let scheduled = pods.as_ref().is_some_and(|p| !p.is_empty());
        if run {
            s.desired_number_scheduled += 1;
            if let Some(pods) = pods.filter(|p| !p.is_empty()) {
                s.current_number_scheduled += 1;
                oldest_first(pods);
                let pod = &pods[0].1;
                if let Some(since) = pod.ready_since {
                    s.number_ready += 1;
                    if min_ready == 0 || since + min_ready < c.now {
                        s.number_available = Some(s.number_available.unwrap_or(0) + 1);
                    }
                }
                let updated = pod.hash.as_ref() == Some(&hash)
                    || (pod.hash.is_none()
                        && pod.generation.as_deref()
                            == Some(template_generation(&ds).to_string().as_str()));
                if updated {
                    s.updated_number_scheduled = Some(s.updated_number_scheduled.unwrap_or(0) + 1);
                }
            }
        } else if scheduled {
            s.number_misscheduled += 1;
        }
    }
    let available = s.number_available.unwrap_or(0);
    if s.desired_number_scheduled - available > 0 {
        s.number_unavailable = Some(s.desired_number_scheduled - available);
    }
    s.observed_generation = ds.metadata.generation;
    if let Some(d) = c.daemon_sets.get_mut(key) {
        d.status = Some(s);
    }
}
