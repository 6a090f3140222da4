//! The cluster over time: a virtual clock, an ordered queue of timed events, and the controllers
//! that react to every change — the DaemonSet controller ([`daemon`]), the scheduler
//! ([`scheduling`]), the kubelet ([`kubelet`]), node lifecycle and taint eviction ([`nodes`]).
//!
//! Controllers observe changes instantly (rollout.md §3.1): after every command or timed event
//! the cluster is settled — controllers run until nothing changes — before the clock moves on.
//! Everything is a pure function of (objects, seed, commands): the same inputs give the same run.

pub mod daemon;
pub mod disruption;
pub mod events;
pub mod kubelet;
pub mod nodes;
pub mod scheduling;
pub mod time;

use crate::input::Objects;
use crate::rng::Rng;
use events::EventLog;
use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Namespace, Node, Pod};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use time::{Millis, SECOND};

/// Namespace and name of a namespaced object.
pub type Key = (String, String);

/// How long the kubelet takes, in milliseconds (the scenario's timing model).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Timing {
    pub pull_ms: Millis,
    pub start_ms: Millis,
    /// How long a container takes to stop after SIGTERM (capped by terminationGracePeriodSeconds).
    pub stop_ms: Millis,
    /// How long a container marked as crashing runs before it exits.
    pub crash_after_ms: Millis,
    /// Per image: pull time overrides.
    pub image_pull_ms: BTreeMap<String, Millis>,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            pull_ms: 2 * SECOND,
            start_ms: SECOND,
            stop_ms: SECOND,
            crash_after_ms: 3 * SECOND,
            image_pull_ms: BTreeMap::new(),
        }
    }
}

/// What happens to an image the scenario marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImageBehaviour {
    /// Pulls fail: `ErrImagePull`, then `ImagePullBackOff`.
    PullFails,
    /// The container exits soon after it starts: `CrashLoopBackOff`.
    Crashes,
}

/// A change planned for a later moment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Timed {
    /// The kubelet finished (or failed) pulling the pod's images.
    Pulled { pod: Key, uid: String },
    /// The containers started.
    Started { pod: Key, uid: String },
    /// The readiness probe succeeded.
    Ready { pod: Key, uid: String },
    /// A crashing container exited.
    Crashed { pod: Key, uid: String },
    /// A back-off ended: pull again or restart the container.
    Retry { pod: Key, uid: String },
    /// A terminating pod's containers stopped: the pod goes away.
    Gone { pod: Key, uid: String },
    /// A NoExecute toleration's tolerationSeconds ran out.
    Evict { pod: Key, uid: String },
    /// A DaemonSet's back-off for deleting failed pods on a node is over: sync it again.
    Resync { daemon_set: Key },
}

/// What the kubelet knows about a pod beyond its API object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodRuntime {
    /// Back-off for image pulls and container restarts (ms), doubled each time up to 5 minutes.
    pub backoff_ms: Millis,
    /// When taint eviction will delete the pod, if it is counting down.
    pub eviction_due: Option<Millis>,
}

/// The whole simulated cluster at one moment, plus what it needs to go on.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub now: Millis,
    pub nodes: BTreeMap<String, Node>,
    pub daemon_sets: BTreeMap<Key, DaemonSet>,
    pub pods: BTreeMap<Key, Pod>,
    pub priority_classes: BTreeMap<String, PriorityClass>,
    pub namespaces: BTreeMap<String, Namespace>,
    pub revisions: BTreeMap<Key, ControllerRevision>,
    pub pdbs: BTreeMap<Key, PodDisruptionBudget>,
    pub events: EventLog,
    pub images: BTreeMap<String, ImageBehaviour>,
    pub timing: Timing,
    pub runtime: BTreeMap<Key, PodRuntime>,
    /// Each object's configuration as `kubectl apply` last applied it (`kind.group`, namespace,
    /// name): the *original* of apply's three-way merge.
    pub last_applied: BTreeMap<(String, String, String), std::sync::Arc<serde_json::Value>>,
    /// Per DaemonSet and node: when a failed pod was last deleted and the current back-off
    /// (`failedPodsBackoff`: 1 s doubling to 15 min).
    pub failed_backoff: BTreeMap<(Key, String), (Millis, Millis)>,
    /// Resyncs already planned, so repeated syncs do not queue the same one again.
    resyncs: BTreeSet<(Millis, Key)>,
    queue: BTreeSet<(Millis, u64, Timed)>,
    seq: u64,
    next_uid: u64,
    pub(crate) next_ip: u64,
    rng: Rng,
}

impl Cluster {
    /// An empty cluster with the namespaces every cluster has and the given seed.
    pub fn new(seed: u64) -> Self {
        let mut c = Cluster {
            now: 0,
            nodes: BTreeMap::new(),
            daemon_sets: BTreeMap::new(),
            pods: BTreeMap::new(),
            priority_classes: BTreeMap::new(),
            namespaces: BTreeMap::new(),
            revisions: BTreeMap::new(),
            pdbs: BTreeMap::new(),
            events: EventLog::default(),
            images: BTreeMap::new(),
            timing: Timing::default(),
            runtime: BTreeMap::new(),
            last_applied: BTreeMap::new(),
            failed_backoff: BTreeMap::new(),
            resyncs: BTreeSet::new(),
            queue: BTreeSet::new(),
            seq: 0,
            next_uid: 1,
            next_ip: 0,
            rng: Rng::new(seed),
        };
        for (name, value) in crate::explain::BUILTIN_PRIORITY_CLASSES {
            let pc = PriorityClass {
                metadata: c.new_meta(name, None),
                value: *value,
                global_default: Some(false),
                preemption_policy: Some("PreemptLowerPriority".into()),
                description: Some(if name.ends_with("node-critical") {
                    "Used for system critical pods that must not be moved from their current node."
                } else {
                    "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."
                }
                .into()),
            };
            c.priority_classes.insert(name.to_string(), pc);
        }
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let n = Namespace {
                metadata: c.new_meta(ns, None),
                ..Default::default()
            };
            c.namespaces.insert(ns.to_string(), n);
        }
        c
    }

    /// A cluster holding the objects, settled (as `kubectl apply -f` of them would leave it).
    pub fn from_objects(objects: &Objects, seed: u64) -> Self {
        let mut c = Cluster::new(seed);
        c.apply_objects(objects);
        c
    }

    /// Metadata for a new object: name, namespace, uid, creation time.
    pub(crate) fn new_meta(&mut self, name: &str, namespace: Option<&str>) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.to_string()),
            namespace: namespace.map(str::to_string),
            uid: Some(self.new_uid()),
            creation_timestamp: Some(time::timestamp(self.now)),
            ..Default::default()
        }
    }

    /// A fresh UID in the UUID shape, drawn from the seed.
    pub(crate) fn new_uid(&mut self) -> String {
        self.next_uid += 1;
        let a = self.rng.next_u64();
        let b = self.rng.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }

    /// A number below `n`, drawn from the seed.
    pub(crate) fn random_below(&mut self, n: usize) -> usize {
        self.rng.below(n)
    }

    /// Five characters from the alphabet the API server uses for generated names.
    pub(crate) fn name_suffix(&mut self) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..5)
            .map(|_| ALPHABET[self.rng.below(ALPHABET.len())] as char)
            .collect()
    }

    pub(crate) fn schedule(&mut self, at: Millis, what: Timed) {
        self.seq += 1;
        self.queue.insert((at, self.seq, what));
    }

    /// Plan a sync of a DaemonSet at a later moment (once per moment).
    pub(crate) fn schedule_resync(&mut self, at: Millis, daemon_set: &Key) {
        if at > self.now && self.resyncs.insert((at, daemon_set.clone())) {
            self.schedule(
                at,
                Timed::Resync {
                    daemon_set: daemon_set.clone(),
                },
            );
        }
    }

    /// When the next timed event is due, if any.
    pub fn next_event_at(&self) -> Option<Millis> {
        self.queue.first().map(|(t, ..)| *t)
    }

    /// Create or replace the objects (`kubectl apply`), then settle.
    pub fn apply_objects(&mut self, objects: &Objects) {
        for ns in &objects.namespaces {
            let name = ns.metadata.name.clone().unwrap_or_default();
            let mut ns = ns.clone();
            let old = self.namespaces.get(&name).map(|o| o.metadata.clone());
            self.stamp(&mut ns.metadata, old.as_ref());
            self.namespaces.insert(name, ns);
        }
        for pc in &objects.priority_classes {
            let name = pc.metadata.name.clone().unwrap_or_default();
            let mut pc = pc.clone();
            let old = self.priority_classes.get(&name).map(|o| o.metadata.clone());
            self.stamp(&mut pc.metadata, old.as_ref());
            pc.preemption_policy
                .get_or_insert_with(|| "PreemptLowerPriority".into());
            self.priority_classes.insert(name, pc);
        }
        for pdb in &objects.pod_disruption_budgets {
            let key = key_of(&pdb.metadata);
            let mut pdb = pdb.clone();
            let old = self.pdbs.get(&key).map(|o| o.metadata.clone());
            self.stamp(&mut pdb.metadata, old.as_ref());
            let changed = self.pdbs.get(&key).is_none_or(|o| o.spec != pdb.spec);
            let generation = old.as_ref().and_then(|m| m.generation).unwrap_or(0);
            pdb.metadata.generation = Some(if changed { generation + 1 } else { generation });
            pdb.status = self.pdbs.get(&key).and_then(|o| o.status.clone());
            self.pdbs.insert(key, pdb);
        }
        for n in &objects.nodes {
            let name = n.metadata.name.clone().unwrap_or_default();
            let mut n = n.clone();
            let old = self.nodes.get(&name).map(|o| o.metadata.clone());
            self.stamp(&mut n.metadata, old.as_ref());
            nodes::ensure_ready_condition(&mut n, self.now);
            self.nodes.insert(name, n);
        }
        for ds in &objects.daemon_sets {
            self.apply_daemon_set(ds.clone());
        }
        for p in &objects.pods {
            let key = key_of(&p.metadata);
            let mut p = p.clone();
            let old = self.pods.get(&key).map(|o| o.metadata.clone());
            self.stamp(&mut p.metadata, old.as_ref());
            scheduling::admit_pod(self, &mut p);
            // A pod given with its node already runs there.
            if p.spec
                .as_ref()
                .and_then(|s| s.node_name.as_deref())
                .is_some_and(|n| !n.is_empty())
            {
                kubelet::assume_running(self, &mut p);
            }
            self.pods.insert(key, p);
        }
        self.settle();
    }

    /// Keep uid and creation time of an object being replaced; give new objects fresh ones.
    fn stamp(&mut self, meta: &mut ObjectMeta, old: Option<&ObjectMeta>) {
        match old {
            Some(o) => {
                meta.uid = o.uid.clone();
                meta.creation_timestamp = o.creation_timestamp.clone();
            }
            None => {
                meta.uid = Some(self.new_uid());
                meta.creation_timestamp = Some(time::timestamp(self.now));
            }
        }
        meta.resource_version = None;
        meta.managed_fields = None;
    }

    /// Create or update a DaemonSet as the API server does: generation and template generation.
    pub fn apply_daemon_set(&mut self, mut ds: DaemonSet) {
        let key = key_of(&ds.metadata);
        let old = self.daemon_sets.get(&key).cloned();
        self.stamp(&mut ds.metadata, old.as_ref().map(|o| &o.metadata));
        daemon::set_generations(&mut ds, old.as_ref());
        if let Some(old) = &old {
            ds.status = old.status.clone();
        }
        self.daemon_sets.insert(key, ds);
    }

    /// Run every controller until nothing changes (bounded, so a bug cannot hang the page).
    pub fn settle(&mut self) {
        for _ in 0..64 {
            let mut changed = false;
            changed |= nodes::taint_eviction(self);
            changed |= daemon::sync_all(self);
            disruption::update_all(self);
            changed |= scheduling::schedule_pending(self);
            if !changed {
                break;
            }
        }
        daemon::update_all_status(self);
        disruption::update_all(self);
    }

    /// Move the clock forward by `d`, handling every timed event on the way in order.
    pub fn advance(&mut self, d: Millis) {
        let target = self.now.saturating_add(d.max(0));
        self.run_until(target);
    }

    /// Handle every timed event due at or before `target`, then set the clock to `target`.
    pub fn run_until(&mut self, target: Millis) {
        while let Some((at, _, _)) = self.queue.first().cloned() {
            if at > target {
                break;
            }
            self.step();
        }
        if target > self.now {
            self.now = target;
            daemon::update_all_status(self);
            disruption::update_all(self);
        }
    }

    /// Handle the next timed event (and every other one due at the same moment); false when none.
    pub fn step(&mut self) -> bool {
        let Some((at, ..)) = self.queue.first().cloned() else {
            return false;
        };
        self.now = self.now.max(at);
        while let Some((t, ..)) = self.queue.first() {
            if *t > self.now {
                break;
            }
            let Some((_, _, what)) = self.queue.pop_first() else {
                break;
            };
            kubelet::handle(self, what);
        }
        self.settle();
        true
    }

    /// Run until no timed event is left, or until `limit` of virtual time has passed.
    pub fn run_to_steady_state(&mut self, limit: Millis) -> Millis {
        let start = self.now;
        while let Some(at) = self.next_event_at() {
            if at - start > limit {
                break;
            }
            self.step();
        }
        self.now - start
    }

    /// The host the scheduler runs on, for its events' `reportingInstance`
    /// (`default-scheduler-<hostname>`): the first control-plane node, as on kubeadm and kind
    /// clusters, or `control-plane` when no node has that role.
    pub fn scheduler_host(&self) -> String {
        self.nodes
            .iter()
            .find(|(_, n)| {
                n.metadata
                    .labels
                    .as_ref()
                    .is_some_and(|l| l.contains_key("node-role.kubernetes.io/control-plane"))
            })
            .map_or_else(|| "control-plane".to_string(), |(name, _)| name.clone())
    }

    /// An event about a pod (its kubelet's, when the reason is the kubelet's).
    pub fn pod_event(
        &mut self,
        key: &Key,
        type_: &'static str,
        reason: &'static str,
        message: String,
    ) {
        self.emit(type_, reason, "Pod", &key.0, &key.1, message);
    }

    /// A kubelet event about one container of a pod (the pod may be out of the store while the
    /// kubelet changes it, so it is passed in).
    pub fn container_event(
        &mut self,
        pod: &Pod,
        container: &str,
        type_: &'static str,
        reason: &'static str,
        message: String,
    ) {
        let (namespace, name) = key_of(&pod.metadata);
        let about = events::Involved {
            kind: "Pod",
            namespace,
            name,
            uid: pod.metadata.uid.clone().unwrap_or_default(),
            container: Some(container.to_string()),
            host: pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.clone())
                .unwrap_or_default(),
        };
        let now = self.now;
        self.events.emit(now, type_, reason, about, message);
    }

    /// An event about an object, recorded as its component records it (uid and, for the
    /// kubelet, its node looked up here).
    pub fn emit(
        &mut self,
        type_: &'static str,
        reason: &'static str,
        kind: &'static str,
        namespace: &str,
        name: &str,
        message: String,
    ) {
        let key = (namespace.to_string(), name.to_string());
        let meta = match kind {
            "Pod" => self.pods.get(&key).map(|p| &p.metadata),
            "DaemonSet" => self.daemon_sets.get(&key).map(|d| &d.metadata),
            "Node" => self.nodes.get(name).map(|n| &n.metadata),
            _ => None,
        };
        let uid = meta.and_then(|m| m.uid.clone()).unwrap_or_default();
        let host = match (events::reporter(reason).0, kind) {
            ("kubelet", "Pod") => self
                .pods
                .get(&key)
                .and_then(|p| p.spec.as_ref())
                .and_then(|s| s.node_name.clone())
                .unwrap_or_default(),
            ("kubelet", "Node") => name.to_string(),
            _ => String::new(),
        };
        let about = events::Involved {
            kind,
            namespace: key.0,
            name: key.1,
            uid,
            container: None,
            host,
        };
        let now = self.now;
        self.events.emit(now, type_, reason, about, message);
    }
}

/// The owner reference that is the object's controller (`metav1.GetControllerOf`).
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
}

/// `(namespace, name)` of an object's metadata.
pub fn key_of(meta: &ObjectMeta) -> Key {
    (
        meta.namespace.clone().unwrap_or_default(),
        meta.name.clone().unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod update_tests;
