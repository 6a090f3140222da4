//! The DaemonSet controller in the simulation: history, `manage`, the rolling update and status.
//!
//! Mirrors `pkg/controller/daemon/daemon_controller.go` (`syncDaemonSet`, `manage`,
//! `podsShouldBeOnNode`, `updateDaemonSetStatus`), `update.go` (`constructHistory`,
//! `rollingUpdate`) and `util/daemonset_util.go` (pod template labels, surge/unavailable scaling).
//! Rollback is `kubectl rollout undo` putting an old template back: `constructHistory` then
//! renumbers that revision to the top, and `cleanupHistory` trims old revisions.

use super::time::{millis_of, Millis, SECOND};
use super::{key_of, scheduling, Cluster, Key};
use crate::labels::Selector;
use crate::placement::controller::{should_run, simulated_pod_spec};
use crate::placement::nodeaffinity::RequiredNodeAffinity;
use crate::placement::scheduler::pin_to_node;
use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet, DaemonSetStatus};
use k8s_openapi::api::core::v1::{Pod, PodStatus, PodTemplateSpec};
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
        // Through a `Value`, as everything else serializes API objects: one copy of the
        // serialization code in the wasm build instead of two.
        .and_then(|s| serde_json::to_value(&s.template).ok())
        .map(|v| v.to_string())
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
    super::controller_of(meta).map(|r| r.uid.as_str())
}

/// A revision's `data`: a patch that replaces the whole pod template (`getPatch`).
pub fn revision_data(template: &PodTemplateSpec) -> RawExtension {
    let mut t = serde_json::to_value(template).unwrap_or_default();
    if let Some(o) = t.as_object_mut() {
        o.insert("$patch".into(), "replace".into());
    }
    RawExtension(serde_json::json!({ "spec": { "template": t } }))
}

/// The pod template a revision stores.
pub fn revision_template(r: &ControllerRevision) -> Option<PodTemplateSpec> {
    let mut t = r.data.as_ref()?.0.pointer("/spec/template")?.clone();
    if let Some(o) = t.as_object_mut() {
        o.remove("$patch");
    }
    // The same decoder as the input path (one copy of the pod decoding code in the wasm build).
    crate::input::decode_value(&t).ok()
}

/// `Match`: the revision stores exactly the DaemonSet's current template.
pub fn revision_matches(r: &ControllerRevision, ds: &DaemonSet) -> bool {
    ds.spec
        .as_ref()
        .is_some_and(|s| r.data.as_ref() == Some(&revision_data(&s.template)))
}

/// The hash of the DaemonSet's revision that holds its current template (computed from the
/// template before the controller has made that revision).
fn current_hash(c: &Cluster, ds: &DaemonSet) -> String {
    let uid = ds.metadata.uid.as_deref().unwrap_or_default();
    c.revisions
        .values()
        .filter(|r| controller_uid(&r.metadata) == Some(uid) && revision_matches(r, ds))
        .max_by_key(|r| r.revision)
        .and_then(revision_hash)
        .map_or_else(|| template_hash(ds), str::to_string)
}

fn revision_hash(r: &ControllerRevision) -> Option<&str> {
    r.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(HASH_LABEL))
        .map(String::as_str)
}

/// `controlledHistories`: the DaemonSet's revisions, adopting orphans in its namespace whose
/// labels match its selector and releasing owned ones that no longer match. Legacy revisions
/// without a hash label get their own name as the hash.
fn controlled_revisions(c: &mut Cluster, ds: &DaemonSet, selector: &Selector) -> Vec<Key> {
    let (ns, _) = key_of(&ds.metadata);
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let empty = BTreeMap::new();
    let mut owned = Vec::new();
    for (k, r) in c
        .revisions
        .range_mut((ns.clone(), String::new())..)
        .take_while(|(k, _)| k.0 == ns)
    {
        let matches = selector.matches(r.metadata.labels.as_ref().unwrap_or(&empty));
        match controller_uid(&r.metadata) {
            Some(o) if o == uid => {
                if !matches {
                    if let Some(refs) = r.metadata.owner_references.as_mut() {
                        refs.retain(|o| o.uid != uid);
                    }
                    continue;
                }
            }
            Some(_) => continue,
            None if matches => r
                .metadata
                .owner_references
                .get_or_insert_with(Vec::new)
                .push(owner_ref(ds)),
            None => continue,
        }
        if revision_hash(r).is_none() {
            r.metadata
                .labels
                .get_or_insert_with(BTreeMap::new)
                .insert(HASH_LABEL.into(), k.1.clone());
        }
        owned.push(k.clone());
    }
    owned
}

/// `constructHistory` (rollout.md §4.2): find the revision holding the current template, or create
/// one numbered after the highest old revision; an older matching revision is renumbered to the top
/// (that is how a rollback works) and duplicates are folded into one. Returns the hash new pods
/// get: the label of that revision. None when the name is taken by different data (a hash
/// collision): `status.collisionCount` grows and the next sync tries a new name.
fn construct_history(c: &mut Cluster, ds: &DaemonSet, selector: &Selector) -> Option<String> {
    let owned = controlled_revisions(c, ds, selector);
    let (current, old): (Vec<Key>, Vec<Key>) = owned
        .into_iter()
        .partition(|k| c.revisions.get(k).is_some_and(|r| revision_matches(r, ds)));
    let next = old
        .iter()
        .filter_map(|k| c.revisions.get(k).map(|r| r.revision))
        .max()
        .unwrap_or(0)
        + 1;
    if current.is_empty() {
        let hash = template_hash(ds);
        let (ns, name) = key_of(&ds.metadata);
        let rev_key = (ns.clone(), format!("{name}-{hash}"));
        let template = ds.spec.as_ref().map(|s| &s.template)?;
        if let Some(existing) = c.revisions.get(&rev_key) {
            if existing.data.as_ref() == Some(&revision_data(template)) {
                return Some(revision_hash(existing).unwrap_or(&hash).to_string());
            }
            // Same name, other data: count the collision; the next sync hashes differently.
            let key = key_of(&ds.metadata);
            if let Some(d) = c.daemon_sets.get_mut(&key) {
                let st = d.status.get_or_insert_with(Default::default);
                st.collision_count = Some(st.collision_count.unwrap_or(0) + 1);
            }
            return None;
        }
        let mut meta = c.new_meta(&rev_key.1, Some(&ns));
        let mut labels = template
            .metadata
            .as_ref()
            .and_then(|m| m.labels.clone())
            .unwrap_or_default();
        labels.insert(HASH_LABEL.into(), hash.clone());
        meta.labels = Some(labels);
        meta.annotations = ds.metadata.annotations.clone();
        meta.owner_references = Some(vec![owner_ref(ds)]);
        c.revisions.insert(
            rev_key,
            ControllerRevision {
                metadata: meta,
                data: Some(revision_data(template)),
                revision: next,
            },
        );
        return Some(hash);
    }
    // Keep the highest-numbered match (the later one on a tie); relabel pods of the others to
    // its hash and delete them (`dedupCurHistories`).
    let mut keep = current[0].clone();
    for k in &current[1..] {
        let (a, b) = (
            c.revisions.get(&keep).map(|r| r.revision),
            c.revisions.get(k).map(|r| r.revision),
        );
        if b >= a {
            keep = k.clone();
        }
    }
    let kept_hash = c
        .revisions
        .get(&keep)
        .and_then(revision_hash)
        .unwrap_or_default()
        .to_string();
    if current.len() > 1 {
        let uid = ds.metadata.uid.clone().unwrap_or_default();
        for p in c.pods.values_mut() {
            if controller_uid(&p.metadata) == Some(uid.as_str()) {
                let labels = p.metadata.labels.get_or_insert_with(BTreeMap::new);
                if labels.get(HASH_LABEL) != Some(&kept_hash) {
                    labels.insert(HASH_LABEL.into(), kept_hash.clone());
                }
            }
        }
        for k in current.iter().filter(|k| **k != keep) {
            c.revisions.remove(k);
        }
    }
    if let Some(r) = c.revisions.get_mut(&keep) {
        if r.revision < next {
            r.revision = next;
        }
    }
    Some(kept_hash)
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
    phase: &'static str,
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
            phase: match phase(p) {
                "Pending" => "Pending",
                "Running" => "Running",
                "Succeeded" => "Succeeded",
                "Failed" => "Failed",
                _ => "Unknown",
            },
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
    let empty = BTreeMap::new();
    for (key, p) in c
        .pods
        .range_mut((ns.clone(), String::new())..)
        .take_while(|(k, _)| k.0 == ns)
    {
        let matches = selector.matches(p.metadata.labels.as_ref().unwrap_or(&empty));
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
                .push((key.clone(), PodFacts::of(p)));
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
pub(crate) fn sync(c: &mut Cluster, key: &Key) -> bool {
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
    let Some(hash) = construct_history(c, &ds, &selector) else {
        return true;
    };
    let spec = simulated_pod_spec(&ds);
    let affinity = RequiredNodeAffinity::of(&spec);
    let by_node = claim_pods(c, &ds, &selector);
    let tg = template_generation(&ds);
    let min_ready = min_ready_ms(&ds);
    let limits = rolling_limits(&ds, c, &spec, &affinity);
    let surge = limits.is_some_and(|(s, _)| s > 0);

    let mut to_create: Vec<String> = Vec::new();
    let mut to_delete: Vec<Key> = Vec::new();
    let node_names: Vec<String> = c.nodes.keys().cloned().collect();
    for name in &node_names {
        let Some(node) = c.nodes.get(name) else {
            continue;
        };
        let (run, cont) = should_run(node, &spec, &affinity);
        let pods: &[(Key, PodFacts)] = by_node.get(name).map_or(&[], Vec::as_slice);
        if run && pods.is_empty() {
            to_create.push(name.clone());
        } else if cont {
            // Without surge a pod being deleted still counts: no replacement until it is gone.
            let mut alive: Vec<(Key, PodFacts)> = Vec::new();
            let mut running = 0;
            for (k, p) in pods.iter().filter(|(_, p)| !p.terminating) {
                if !matches!(p.phase, "Failed" | "Succeeded") {
                    running += 1;
                }
                match p.phase {
                    "Failed" if in_failed_backoff(c, key, name) => {}
                    "Failed" => {
                        let node_name = name.clone();
                        c.emit("Warning", "FailedDaemonPod", "DaemonSet", &key.0, &key.1, format!("Found failed daemon pod {}/{} on node {node_name}, will try to kill it", k.0, k.1));
                        to_delete.push(k.clone());
                    }
                    "Succeeded" => {
                        let node_name = name.clone();
                        c.emit("Normal", "SucceededDaemonPod", "DaemonSet", &key.0, &key.1, format!("Found succeeded daemon pod {}/{} on node {node_name}, will try to delete it", k.0, k.1));
                        to_delete.push(k.clone());
                    }
                    // Only a node with more than one live pod needs them in hand.
                    _ if pods.len() > 1 => alive.push((k.clone(), p.clone())),
                    _ => {}
                }
            }
            if surge && run && running == 0 {
                // podsShouldBeOnNode: when surging, a node needs at least one pod that is not
                // being deleted or failed, so its replacement is made at once.
                to_create.push(name.clone());
            } else if alive.len() > 1 && surge {
                // Keep the oldest current pod and the oldest old pod; the old one goes once the
                // current one is Available, or at once when it is not Ready.
                oldest_first(&mut alive);
                let cur = alive.iter().position(|(_, p)| is_current(p, &hash, tg));
                let old = alive.iter().position(|(_, p)| !is_current(p, &hash, tg));
                for (i, (k, _)) in alive.iter().enumerate() {
                    if Some(i) != cur && Some(i) != old {
                        to_delete.push(k.clone());
                    }
                }
                if let (Some(ci), Some(oi)) = (cur, old) {
                    if alive[oi].1.ready_since.is_none()
                        || is_available(&alive[ci].1, min_ready, c.now)
                    {
                        to_delete.push(alive[oi].0.clone());
                    }
                }
            } else if alive.len() > 1 {
                oldest_first(&mut alive);
                to_delete.extend(alive.into_iter().skip(1).map(|(k, _)| k));
            }
        } else {
            to_delete.extend(
                pods.iter()
                    .filter(|(_, p)| !p.terminating)
                    .map(|(k, _)| k.clone()),
            );
        }
    }
    // Unbound pods aimed at nodes that no longer exist (`getUnscheduledPodsWithoutNode`).
    for (_, pods) in by_node.iter().filter(|(n, _)| !c.nodes.contains_key(*n)) {
        for (k, p) in pods {
            if !p.bound && !p.terminating {
                to_delete.push(k.clone());
            }
        }
    }

    // syncNodes creates first, then deletes.
    let created_any = create_in_batches(c, &ds, key, &spec, to_create, &hash);
    let deleted_any = !to_delete.is_empty();
    delete_pods(c, key, to_delete);
    // The controller observes its own creations and deletions at once (rollout.md §3.1), so its
    // expectations are met and the same sync rolls the update forward, then trims history.
    // When manage changed nothing, the pods it looked at are still the DaemonSet's pods.
    let claimed = (!deleted_any && !created_any).then_some(by_node);
    let rolled = match limits {
        Some((max_surge, max_unavailable)) => rolling_update(
            c,
            &ds,
            key,
            &spec,
            &affinity,
            &hash,
            (max_surge, max_unavailable),
            claimed,
        ),
        None => false,
    };
    cleanup_history(c, &ds, &hash);
    deleted_any || created_any || rolled
}

fn min_ready_ms(ds: &DaemonSet) -> Millis {
    Millis::from(
        ds.spec
            .as_ref()
            .and_then(|s| s.min_ready_seconds)
            .unwrap_or(0)
            .max(0),
    ) * SECOND
}

/// `IsPodAvailable`: Ready, and Ready for longer than minReadySeconds (strictly).
fn is_available(p: &PodFacts, min_ready: Millis, now: Millis) -> bool {
    p.ready_since
        .is_some_and(|t| min_ready == 0 || t + min_ready < now)
}

/// Current per §4.3: the revision hash label, or the template generation label.
fn is_current(p: &PodFacts, hash: &str, template_generation: i64) -> bool {
    p.hash.as_deref() == Some(hash)
        || p.generation.as_deref() == Some(template_generation.to_string().as_str())
}

/// Scale an IntOrString against `desired`: integers as they are, percentages rounded up.
fn scaled(
    v: Option<&k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>,
    desired: i64,
) -> i64 {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match v {
        None => 0,
        Some(IntOrString::Int(i)) => i64::from(*i),
        Some(IntOrString::String(s)) => {
            let p: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            (p * desired + 99) / 100
        }
    }
}

/// `(maxSurge, maxUnavailable)` for a RollingUpdate DaemonSet (`updatedDesiredNodeCounts`), with
/// the fallback to maxUnavailable 1 when both are 0; `None` for OnDelete.
pub(crate) fn rolling_limits(
    ds: &DaemonSet,
    c: &Cluster,
    spec: &k8s_openapi::api::core::v1::PodSpec,
    affinity: &RequiredNodeAffinity,
) -> Option<(i64, i64)> {
    let strategy = ds.spec.as_ref()?.update_strategy.as_ref()?;
    if strategy.type_.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
        return None;
    }
    let desired = c
        .nodes
        .values()
        .filter(|n| should_run(n, spec, affinity).0)
        .count() as i64;
    let ru = strategy.rolling_update.as_ref();
    let mut surge = scaled(ru.and_then(|r| r.max_surge.as_ref()), desired);
    let mut unavailable = scaled(ru.and_then(|r| r.max_unavailable.as_ref()), desired);
    if desired > 0 && surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    surge = surge.max(0);
    unavailable = unavailable.max(0);
    Some((surge, unavailable))
}

/// A node's current pod and old pod, each if any.
type NewAndOld = (Option<(Key, PodFacts)>, Option<(Key, PodFacts)>);

/// `rollingUpdate` (update.go): without surge, delete old pods within the unavailability budget
/// (unavailable old pods at once) and let `manage` recreate them; with surge, create new pods
/// next to old ones within the surge budget. Nodes are taken in name order (upstream walks a map).
#[allow(clippy::too_many_arguments)]
fn rolling_update(
    c: &mut Cluster,
    ds: &DaemonSet,
    key: &Key,
    spec: &k8s_openapi::api::core::v1::PodSpec,
    affinity: &RequiredNodeAffinity,
    hash: &str,
    (max_surge, max_unavailable): (i64, i64),
    claimed: Option<BTreeMap<String, Vec<(Key, PodFacts)>>>,
) -> bool {
    let by_node = match claimed {
        Some(b) => b,
        None => {
            let selector = Selector::compile(ds.spec.as_ref().map(|s| &s.selector))
                .unwrap_or_else(|_| Selector::nothing());
            claim_pods(c, ds, &selector)
        }
    };
    let tg = template_generation(ds);
    let min_ready = min_ready_ms(ds);
    let now = c.now;
    let mut nodes: Vec<(String, bool)> = c
        .nodes
        .iter()
        .map(|(n, node)| (n.clone(), should_run(node, spec, affinity).0))
        .filter(|(n, run)| *run || by_node.contains_key(n))
        .collect();
    nodes.sort();
    let desired = nodes.iter().filter(|(_, run)| *run).count() as i64;
    let mut to_delete: Vec<Key> = Vec::new();
    let mut to_create: Vec<String> = Vec::new();
    // Classify a node: (new pod, old pod), or None when it has two of either.
    let classify = |pods: &[(Key, PodFacts)]| -> Option<NewAndOld> {
        if let [(k, p)] = pods {
            // The common case: one pod, nothing to sort.
            if p.terminating {
                return Some((None, None));
            }
            let one = Some((k.clone(), p.clone()));
            return Some(if is_current(p, hash, tg) {
                (one, None)
            } else {
                (None, one)
            });
        }
        let mut live: Vec<(Key, PodFacts)> = pods
            .iter()
            .filter(|(_, p)| !p.terminating)
            .cloned()
            .collect();
        oldest_first(&mut live);
        let (new, old): (Vec<_>, Vec<_>) =
            live.into_iter().partition(|(_, p)| is_current(p, hash, tg));
        if new.len() > 1 || old.len() > 1 {
            return None;
        }
        Some((new.into_iter().next(), old.into_iter().next()))
    };
    if max_surge == 0 {
        let mut num_unavailable = 0;
        let mut allowed = Vec::new();
        let mut candidates = Vec::new();
        for (name, _) in &nodes {
            let pods = by_node.get(name).map(Vec::as_slice).unwrap_or(&[]);
            let Some((new, old)) = classify(pods) else {
                num_unavailable += 1;
                continue;
            };
            match (new, old) {
                (None, None) | (Some(_), Some(_)) => num_unavailable += 1,
                (Some((_, n)), None) => {
                    if !is_available(&n, min_ready, now) {
                        num_unavailable += 1;
                    }
                }
                (None, Some((k, o))) => {
                    if !is_available(&o, min_ready, now) {
                        allowed.push(k);
                        num_unavailable += 1;
                    } else if num_unavailable < max_unavailable {
                        candidates.push(k);
                    }
                }
            }
        }
        let room = (max_unavailable - num_unavailable).max(0) as usize;
        to_delete.extend(allowed);
        to_delete.extend(candidates.into_iter().take(room));
    } else {
        let mut num_surge = 0;
        let mut num_available = 0;
        let mut allowed_new = Vec::new();
        let mut candidates = Vec::new();
        let mut should_not_run = Vec::new();
        for (name, run) in &nodes {
            let pods = by_node.get(name).map(Vec::as_slice).unwrap_or(&[]);
            let Some((new, old)) = classify(pods) else {
                num_surge += 1;
                continue;
            };
            let old_available = old
                .as_ref()
                .is_some_and(|(_, o)| is_available(o, min_ready, now));
            if old_available
                || (old.is_none()
                    && new
                        .as_ref()
                        .is_some_and(|(_, n)| is_available(n, min_ready, now)))
            {
                num_available += 1;
            }
            match (new, old) {
                (_, None) => {}
                (None, Some((k, _))) if !old_available => {
                    if *run {
                        allowed_new.push(name.clone());
                    } else {
                        to_delete.push(k);
                    }
                }
                (None, Some((k, _))) => {
                    if !*run {
                        should_not_run.push(k);
                    } else if num_surge < max_surge {
                        candidates.push(name.clone());
                    }
                }
                (Some((_, n)), Some((k, _))) => {
                    if is_available(&n, min_ready, now) {
                        to_delete.push(k);
                    } else {
                        num_surge += 1;
                    }
                }
            }
        }
        let excess = (num_available - desired).max(0) as usize;
        to_delete.extend(should_not_run.into_iter().take(excess));
        let room = (max_surge - num_surge).max(0) as usize;
        to_create.extend(allowed_new);
        to_create.extend(candidates.into_iter().take(room));
    }
    // Plan a resync for when a pod becomes Available (minReadySeconds elapses).
    if min_ready > 0 {
        for pods in by_node.values() {
            for (_, p) in pods {
                if let Some(t) = p
                    .ready_since
                    .filter(|t| *t != NO_TRANSITION && t + min_ready >= now)
                {
                    c.schedule_resync(t + min_ready + 1, key);
                }
            }
        }
    }
    let changed = !to_delete.is_empty() || !to_create.is_empty();
    create_in_batches(c, ds, key, spec, to_create, hash);
    delete_pods(c, key, to_delete);
    changed
}

/// `cleanupHistory`: keep `revisionHistoryLimit` old revisions (default 10), deleting the lowest
/// numbers first and never the current one or one whose hash a pod of the DaemonSet still carries.
fn cleanup_history(c: &mut Cluster, ds: &DaemonSet, hash: &str) {
    let limit = ds
        .spec
        .as_ref()
        .and_then(|s| s.revision_history_limit)
        .unwrap_or(10)
        .max(0) as usize;
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let mut old: Vec<(i64, Key, Option<String>)> = c
        .revisions
        .iter()
        .filter(|(_, r)| controller_uid(&r.metadata) == Some(uid.as_str()))
        .map(|(k, r)| {
            (
                r.revision,
                k.clone(),
                r.metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(HASH_LABEL))
                    .cloned(),
            )
        })
        .filter(|(_, _, h)| h.as_deref() != Some(hash))
        .collect();
    if old.len() <= limit {
        return;
    }
    let mut to_kill = old.len() - limit;
    let live: std::collections::BTreeSet<String> = c
        .pods
        .values()
        .filter(|p| controller_uid(&p.metadata) == Some(uid.as_str()))
        .filter_map(|p| {
            p.metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(HASH_LABEL))
                .cloned()
        })
        .collect();
    old.sort();
    for (_, k, h) in old {
        if to_kill == 0 {
            break;
        }
        if h.as_ref().is_some_and(|h| live.contains(h)) {
            continue;
        }
        c.revisions.remove(&k);
        to_kill -= 1;
    }
}

/// `syncNodes`' deletions: at most [`BURST`] per sync, each with a `SuccessfulDelete` event.
fn delete_pods(c: &mut Cluster, ds: &Key, pods: Vec<Key>) {
    for k in pods.into_iter().take(BURST) {
        c.emit(
            "Normal",
            "SuccessfulDelete",
            "DaemonSet",
            &ds.0,
            &ds.1,
            format!("Deleted pod: {}", k.1),
        );
        super::kubelet::delete_pod(c, &k, None);
    }
}

/// `syncNodes`' slow start: creates go in batches of 1, 2, 4, …; after a batch with an error the
/// rest are skipped until the next sync. At most [`BURST`] creates per sync. True if any pod was
/// created.
fn create_in_batches(
    c: &mut Cluster,
    ds: &DaemonSet,
    key: &Key,
    spec: &k8s_openapi::api::core::v1::PodSpec,
    nodes: Vec<String>,
    hash: &str,
) -> bool {
    let mut remaining: std::collections::VecDeque<String> = nodes.into_iter().take(BURST).collect();
    let mut batch = 1;
    let mut created_any = false;
    while !remaining.is_empty() {
        let mut failed = false;
        for node in remaining
            .drain(..batch.min(remaining.len()))
            .collect::<Vec<_>>()
        {
            match create_pod(c, ds, spec, &node, hash) {
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
                    failed = true;
                    c.emit(
                        "Warning",
                        "FailedCreate",
                        "DaemonSet",
                        &key.0,
                        &key.1,
                        format!("Error creating: {e}"),
                    );
                }
            }
        }
        if failed {
            break;
        }
        batch *= 2;
    }
    created_any
}

/// `failedPodsBackoff` for (DaemonSet, node): while it lasts a failed pod is left alone and a
/// resync is planned for its end; otherwise the back-off grows (1 s, doubling to 15 min).
fn in_failed_backoff(c: &mut Cluster, ds: &Key, node: &str) -> bool {
    let k = (ds.clone(), node.to_string());
    let now = c.now;
    match c.failed_backoff.get(&k).copied() {
        Some((last, delay)) if now - last < delay => {
            c.schedule_resync(last + delay, ds);
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
        .map(|c| {
            c.last_transition_time
                .as_ref()
                .map_or(NO_TRANSITION, millis_of)
        })
}

/// Ready without a transition time: never available when minReadySeconds > 0 (`IsPodAvailable`).
const NO_TRANSITION: Millis = Millis::MAX / 4;

/// `updateDaemonSetStatus` for every DaemonSet.
pub fn update_all_status(c: &mut Cluster) {
    let keys: Vec<Key> = c.daemon_sets.keys().cloned().collect();
    for k in keys {
        update_status(c, &k);
    }
}

pub(crate) fn update_status(c: &mut Cluster, key: &Key) {
    let Some(ds) = c.daemon_sets.get(key).cloned() else {
        return;
    };
    let selector = Selector::compile(ds.spec.as_ref().map(|s| &s.selector))
        .unwrap_or_else(|_| Selector::nothing());
    let uid = ds.metadata.uid.clone().unwrap_or_default();
    let spec = simulated_pod_spec(&ds);
    let affinity = RequiredNodeAffinity::of(&spec);
    let hash = current_hash(c, &ds);
    let tg = template_generation(&ds);
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
                if is_current(pod, &hash, tg) {
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
