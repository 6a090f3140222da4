//! The default scheduler's view of a daemon pod: the filters run against the one node the pod is
//! pinned to, the `0/N nodes are available: …` message, and the DefaultPreemption PostFilter.
//!
//! Mirrors `pkg/scheduler/schedule_one.go`, `pkg/scheduler/framework/types.go` (`FitError`), the
//! filter plugins under `pkg/scheduler/framework/plugins/` (nodeunschedulable, nodename,
//! tainttoleration, nodeaffinity, nodeports, noderesources/fit.go, podtopologyspread,
//! interpodaffinity) and `plugins/defaultpreemption` for which pods a preemption would evict.

use super::nodeaffinity;
use super::resources::{self, format_amount, ResourceList, CPU, EPHEMERAL_STORAGE, MEMORY, PODS};
use super::taints::{self, NO_SCHEDULE, TAINT_UNSCHEDULABLE};
use crate::labels::Selector;
use k8s_openapi::api::core::v1::{
    Affinity, Namespace, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement,
    NodeSelectorTerm, Pod, PodAffinityTerm, PodSpec, Taint,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub const REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
pub const REASON_NODE_NAME: &str = "node(s) didn't match the requested node name";
/// TaintToleration's reason from 1.35 on (older releases named the first untolerated taint).
pub const REASON_TAINTS: &str = "node(s) had untolerated taint(s)";
pub const REASON_NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
pub const REASON_PORTS: &str = "node(s) didn't have free ports for the requested pod ports";
pub const REASON_TOO_MANY_PODS: &str = "Too many pods";
pub const REASON_SPREAD: &str = "node(s) didn't match pod topology spread constraints";
pub const REASON_SPREAD_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";
pub const REASON_AFFINITY: &str = "node(s) didn't match pod affinity rules";
pub const REASON_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
pub const REASON_EXISTING_ANTI_AFFINITY: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";
/// What every node but the pinned one reports: NodeAffinity's PreFilter narrowed the set to one node.
pub const REASON_PREFILTER_PIN: &str = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
pub const REASON_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
pub const REASON_NO_VICTIMS: &str = "No preemption victims found for incoming pod";
pub const NO_NODES: &str = "no nodes available to schedule pods";
const NOT_ELIGIBLE: &str = "preemption: not eligible due to preemptionPolicy=Never.";
const NOT_ELIGIBLE_TERMINATING: &str =
    "preemption: not eligible due to a terminating pod on the nominated node.";

/// A host port a pod holds or wants: `(hostIP, protocol, port)` with upstream's defaults.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct HostPort {
    pub ip: String,
    pub protocol: String,
    pub port: i32,
}

impl HostPort {
    fn conflicts_with(&self, used: &HostPort) -> bool {
        self.protocol == used.protocol
            && self.port == used.port
            && (self.ip == "0.0.0.0" || used.ip == "0.0.0.0" || self.ip == used.ip)
    }
}

/// A non-terminal pod bound to a node, as the scheduler's snapshot holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoundPod {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub node: String,
    pub priority: i32,
    pub requests: ResourceList,
    pub host_ports: Vec<HostPort>,
    pub required_affinity: Vec<PodAffinityTerm>,
    pub required_anti_affinity: Vec<PodAffinityTerm>,
    /// `status.startTime` in milliseconds of the simulation clock (None: not started, which
    /// preemption treats as "now", the least important).
    pub start_ms: Option<i64>,
    /// Being deleted by a preemption (its DisruptionTarget condition says PreemptionByScheduler).
    pub terminating_by_preemption: bool,
}

impl BoundPod {
    /// A pod as the snapshot holds it, on `node`, with the given (resolved) priority.
    pub fn of(pod: &Pod, node: &str, priority: i32) -> BoundPod {
        let empty = PodSpec::default();
        let spec = pod.spec.as_ref().unwrap_or(&empty);
        let (required_affinity, required_anti_affinity) = required_pod_affinity_terms(spec);
        let status = pod.status.as_ref();
        BoundPod {
            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
            name: pod.metadata.name.clone().unwrap_or_default(),
            labels: pod.metadata.labels.clone().unwrap_or_default(),
            node: node.to_string(),
            priority,
            requests: resources::pod_requests(spec),
            host_ports: host_ports(spec),
            required_affinity,
            required_anti_affinity,
            start_ms: status
                .and_then(|s| s.start_time.as_ref())
                .map(crate::engine::time::millis_of),
            terminating_by_preemption: pod.metadata.deletion_timestamp.is_some()
                && status
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|cs| {
                        cs.iter().any(|c| {
                            c.type_ == "DisruptionTarget"
                                && c.status == "True"
                                && c.reason.as_deref() == Some(PREEMPTION_REASON)
                        })
                    }),
        }
    }
}

/// The DisruptionTarget reason the scheduler gives its victims.
pub const PREEMPTION_REASON: &str = "PreemptionByScheduler";

/// A PodDisruptionBudget as preemption reads it.
#[derive(Clone, Debug)]
pub struct Budget {
    pub namespace: String,
    pub name: String,
    pub selector: Selector,
    /// `status.disruptionsAllowed`.
    pub allowed: i32,
    /// `status.disruptedPods`: names already counted by the API server.
    pub disrupted: BTreeSet<String>,
}

/// The pod being scheduled.
#[derive(Clone, Debug)]
pub struct IncomingPod {
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub spec: PodSpec,
    pub requests: ResourceList,
    pub host_ports: Vec<HostPort>,
    pub priority: i32,
    /// The node a daemon pod is pinned to by its `matchFields metadata.name In [node]` term. The
    /// spec then carries no other required node affinity (the pin replaced it).
    pub pinned_to: Option<String>,
    /// Required pod affinity and anti-affinity terms, read once from the spec.
    pub required_affinity: Vec<PodAffinityTerm>,
    pub required_anti_affinity: Vec<PodAffinityTerm>,
    /// nodeSelector and required node affinity, compiled once.
    pub node_affinity: nodeaffinity::RequiredNodeAffinity,
    /// `status.nominatedNodeName` from an earlier preemption.
    pub nominated_node: Option<String>,
}

impl IncomingPod {
    /// A daemon pod as the controller creates it: the user's required node-affinity terms are
    /// replaced by the pin (`ReplaceDaemonSetPodNodeNameNodeAffinity`); set `pinned_to` per node.
    pub fn daemon(
        namespace: &str,
        labels: BTreeMap<String, String>,
        mut spec: PodSpec,
        priority: i32,
    ) -> Self {
        if let Some(na) = spec
            .affinity
            .as_mut()
            .and_then(|a| a.node_affinity.as_mut())
        {
            na.required_during_scheduling_ignored_during_execution = None;
        }
        let mut pod = IncomingPod::new(namespace, labels, spec, priority);
        pod.pinned_to = Some(String::new());
        pod
    }

    pub fn new(
        namespace: &str,
        labels: BTreeMap<String, String>,
        spec: PodSpec,
        priority: i32,
    ) -> Self {
        let (required_affinity, required_anti_affinity) = required_pod_affinity_terms(&spec);
        IncomingPod {
            namespace: namespace.to_string(),
            requests: resources::pod_requests(&spec),
            host_ports: host_ports(&spec),
            labels,
            priority,
            pinned_to: None,
            required_affinity,
            required_anti_affinity,
            node_affinity: nodeaffinity::RequiredNodeAffinity::of(&spec),
            nominated_node: None,
            spec,
        }
    }

    fn preemption_never(&self) -> bool {
        self.spec.preemption_policy.as_deref() == Some("Never")
    }
}

/// The host ports of a pod's containers and sidecar init containers; `hostPort <= 0` is ignored.
pub fn host_ports(spec: &PodSpec) -> Vec<HostPort> {
    let sidecars = spec
        .init_containers
        .iter()
        .flatten()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"));
    spec.containers
        .iter()
        .chain(sidecars)
        .flat_map(|c| c.ports.iter().flatten())
        .filter(|p| p.host_port.unwrap_or(0) > 0)
        .map(|p| HostPort {
            ip: p
                .host_ip
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "0.0.0.0".into()),
            protocol: p
                .protocol
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "TCP".into()),
            port: p.host_port.unwrap_or(0),
        })
        .collect()
}

/// The scheduler's snapshot: nodes, the pods bound to them, and namespaces (for namespaceSelector).
/// Nodes are indexed by name and pods grouped by node, so a lookup does not walk the cluster.
#[derive(Clone, Debug, Default)]
pub struct Snapshot<'a> {
    nodes: Vec<&'a Node>,
    /// Node name → position in `nodes`. Only looked up, never iterated, so its order is irrelevant.
    node_index: HashMap<&'a str, usize>,
    /// `status.allocatable` of each node, parsed once (same order as `nodes`).
    allocatable: Vec<ResourceList>,
    /// Pods bound to each node (same order as `nodes`).
    pods: Vec<Vec<BoundPod>>,
    /// Pods bound to node names the snapshot does not have.
    elsewhere: BTreeMap<String, Vec<BoundPod>>,
    /// Namespace and name of pods that carry required anti-affinity terms: only these can refuse
    /// a newcomer, so the check does not walk every pod.
    anti_affinity_holders: BTreeSet<(String, String)>,
    namespaces: Vec<&'a Namespace>,
    /// PodDisruptionBudgets, for choosing preemption victims.
    pub budgets: Vec<Budget>,
}

impl<'a> Snapshot<'a> {
    pub fn new(
        nodes: impl IntoIterator<Item = &'a Node>,
        namespaces: impl IntoIterator<Item = &'a Namespace>,
    ) -> Self {
        let nodes: Vec<&Node> = nodes.into_iter().collect();
        let mut node_index = HashMap::with_capacity(nodes.len());
        for (i, n) in nodes.iter().enumerate() {
            // The first node of a name wins, as a lookup by name would find it.
            node_index
                .entry(n.metadata.name.as_deref().unwrap_or(""))
                .or_insert(i);
        }
        let allocatable = nodes
            .iter()
            .map(|n| resources::node_allocatable(n))
            .collect();
        Snapshot {
            pods: vec![Vec::new(); nodes.len()],
            nodes,
            node_index,
            allocatable,
            elsewhere: BTreeMap::new(),
            anti_affinity_holders: BTreeSet::new(),
            namespaces: namespaces.into_iter().collect(),
            budgets: Vec::new(),
        }
    }

    /// Just `node` and its pods: all the filters need when neither the pod nor any pod in the
    /// cluster has inter-pod (anti-)affinity terms and the pod has no spread constraints. Keeps
    /// a preemption's trial runs from copying the whole cluster.
    pub fn local_view(&self, pod: &IncomingPod, node: &str) -> Option<Snapshot<'a>> {
        let spreads = pod
            .spec
            .topology_spread_constraints
            .as_ref()
            .is_some_and(|c| !c.is_empty());
        if spreads
            || !pod.required_affinity.is_empty()
            || !pod.required_anti_affinity.is_empty()
            || !self.anti_affinity_holders.is_empty()
        {
            return None;
        }
        let &i = self.node_index.get(node)?;
        Some(Snapshot {
            nodes: vec![self.nodes[i]],
            node_index: HashMap::from([(self.nodes[i].metadata.name.as_deref().unwrap_or(""), 0)]),
            allocatable: vec![self.allocatable[i].clone()],
            pods: vec![self.pods[i].clone()],
            elsewhere: BTreeMap::new(),
            anti_affinity_holders: BTreeSet::new(),
            namespaces: self.namespaces.clone(),
            budgets: Vec::new(),
        })
    }

    pub fn nodes(&self) -> &[&'a Node] {
        &self.nodes
    }

    pub fn add_pod(&mut self, pod: BoundPod) {
        if !pod.required_anti_affinity.is_empty() {
            self.anti_affinity_holders
                .insert((pod.namespace.clone(), pod.name.clone()));
        }
        match self.node_index.get(pod.node.as_str()) {
            Some(&i) => self.pods[i].push(pod),
            None => self
                .elsewhere
                .entry(pod.node.clone())
                .or_default()
                .push(pod),
        }
    }

    /// Remove a pod by namespace and name; true if it was there.
    pub fn remove_pod(&mut self, namespace: &str, name: &str) -> bool {
        for list in self.pods.iter_mut().chain(self.elsewhere.values_mut()) {
            if let Some(i) = list
                .iter()
                .position(|p| p.namespace == namespace && p.name == name)
            {
                list.remove(i);
                self.anti_affinity_holders
                    .remove(&(namespace.to_string(), name.to_string()));
                return true;
            }
        }
        false
    }

    /// Every pod in the snapshot, grouped by node: nodes in snapshot order, then pods on nodes the
    /// snapshot does not have, by node name.
    pub fn all_pods(&self) -> impl Iterator<Item = &BoundPod> {
        self.pods
            .iter()
            .flatten()
            .chain(self.elsewhere.values().flatten())
    }

    pub fn node(&self, name: &str) -> Option<&'a Node> {
        self.node_index.get(name).map(|&i| self.nodes[i])
    }

    /// The parsed allocatable of a node in the snapshot.
    pub fn allocatable(&self, node: &str) -> Option<&ResourceList> {
        self.node_index.get(node).map(|&i| &self.allocatable[i])
    }

    pub fn pods_on(&self, node: &str) -> &[BoundPod] {
        match self.node_index.get(node) {
            Some(&i) => &self.pods[i],
            None => self.elsewhere.get(node).map_or(&[], Vec::as_slice),
        }
    }

    fn namespace_labels(&self, ns: &str) -> BTreeMap<String, String> {
        let found = self
            .namespaces
            .iter()
            .find(|n| n.metadata.name.as_deref() == Some(ns))
            .and_then(|n| n.metadata.labels.clone());
        let mut labels = found.unwrap_or_default();
        labels
            .entry("kubernetes.io/metadata.name".into())
            .or_insert_with(|| ns.to_string());
        labels
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Code {
    Unschedulable,
    UnschedulableAndUnresolvable,
}

/// The first filter that rejected the node, with upstream's reason strings and our details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterFailure {
    pub plugin: &'static str,
    pub reasons: Vec<String>,
    pub code: Code,
    /// Numbers and names behind the reasons, for people (not part of upstream's message).
    pub details: Vec<String>,
}

fn fail(plugin: &'static str, reason: &str, code: Code, details: Vec<String>) -> FilterFailure {
    FilterFailure {
        plugin,
        reasons: vec![reason.to_string()],
        code,
        details,
    }
}

/// The filter plugins in the default profile's order. The first failure stops evaluation.
pub const FILTER_ORDER: [&str; 8] = [
    "NodeUnschedulable",
    "NodeName",
    "TaintToleration",
    "NodeAffinity",
    "NodePorts",
    "NodeResourcesFit",
    "PodTopologySpread",
    "InterPodAffinity",
];

/// Run every filter against one node; `Ok` when the pod fits.
pub fn run_filters(pod: &IncomingPod, node: &Node, snap: &Snapshot) -> Result<(), FilterFailure> {
    let name = node.metadata.name.as_deref().unwrap_or("");
    let node_spec = node.spec.as_ref();
    let tolerations = pod.spec.tolerations.as_deref().unwrap_or(&[]);

    // NodeUnschedulable
    if node_spec.and_then(|s| s.unschedulable).unwrap_or(false) {
        let cordon = Taint {
            key: TAINT_UNSCHEDULABLE.into(),
            effect: NO_SCHEDULE.into(),
            value: None,
            time_added: None,
        };
        if taints::first_tolerating(tolerations, &cordon).is_none() {
            return Err(fail(
                "NodeUnschedulable",
                REASON_UNSCHEDULABLE,
                Code::UnschedulableAndUnresolvable,
                vec!["the node is cordoned (spec.unschedulable) and the pod does not tolerate node.kubernetes.io/unschedulable:NoSchedule".into()],
            ));
        }
    }
    // NodeName
    if let Some(want) = pod.spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        if want != name {
            return Err(fail(
                "NodeName",
                REASON_NODE_NAME,
                Code::UnschedulableAndUnresolvable,
                vec![format!("the pod asks for node {want:?}")],
            ));
        }
    }
    // TaintToleration
    let node_taints = node_spec.and_then(|s| s.taints.as_deref()).unwrap_or(&[]);
    if let Some(t) = taints::find_untolerated(
        node_taints,
        tolerations,
        taints::is_no_schedule_or_no_execute,
    ) {
        return Err(fail(
            "TaintToleration",
            REASON_TAINTS,
            Code::UnschedulableAndUnresolvable,
            vec![format!(
                "taint {} is not tolerated",
                taints::taint_string(t)
            )],
        ));
    }
    // NodeAffinity
    let pin_ok = pod.pinned_to.as_deref().is_none_or(|p| p == name);
    if !pin_ok || !pod.node_affinity.matches(node) {
        return Err(fail(
            "NodeAffinity",
            REASON_NODE_AFFINITY,
            Code::UnschedulableAndUnresolvable,
            vec!["the node does not match the pod's nodeSelector or required node affinity".into()],
        ));
    }
    let on_node: Vec<&BoundPod> = snap.pods_on(name).iter().collect();
    // NodePorts
    if let Some((want, used)) = pod.host_ports.iter().find_map(|w| {
        on_node.iter().find_map(|p| {
            p.host_ports
                .iter()
                .find(|u| w.conflicts_with(u))
                .map(|_| (w, *p))
        })
    }) {
        return Err(fail(
            "NodePorts",
            REASON_PORTS,
            Code::Unschedulable,
            vec![format!(
                "host port {}/{} on {} is already used by pod {}/{}",
                want.port, want.protocol, want.ip, used.namespace, used.name
            )],
        ));
    }
    // NodeResourcesFit
    // Parsed once per snapshot; a node outside the snapshot (only in tests) is parsed here.
    let parsed;
    let alloc = match snap.allocatable(name) {
        Some(a) => a,
        None => {
            parsed = resources::node_allocatable(node);
            &parsed
        }
    };
    fit_resources(pod, alloc, &on_node)?;
    // PodTopologySpread
    topology_spread(pod, node, snap)?;
    // InterPodAffinity
    inter_pod_affinity(pod, node, snap)
}

fn fit_resources(
    pod: &IncomingPod,
    alloc: &ResourceList,
    on_node: &[&BoundPod],
) -> Result<(), FilterFailure> {
    let mut reasons = Vec::new();
    let mut details = Vec::new();
    // A request above the node's whole allocatable cannot be met by preemption: upstream marks it
    // `Unresolvable` and the filter answers UnschedulableAndUnresolvable (kubernetes#131345).
    let mut unresolvable = false;
    let allowed = alloc.get(PODS).copied().unwrap_or(0);
    if on_node.len() as i64 + 1 > allowed {
        reasons.push(REASON_TOO_MANY_PODS.to_string());
        details.push(format!(
            "pods: {} already on the node, {allowed} allowed (status.allocatable.pods)",
            on_node.len()
        ));
    }
    let mut requested = ResourceList::new();
    for p in on_node {
        for (k, v) in &p.requests {
            let e = requested.entry(k.clone()).or_insert(0);
            *e = e.saturating_add(*v);
        }
    }
    // cpu, memory and ephemeral-storage first, in that order, then scalar resources by name.
    let mut names: Vec<&String> = pod.requests.keys().filter(|k| k.as_str() != PODS).collect();
    let rank = |k: &str| match k {
        CPU => 0,
        MEMORY => 1,
        EPHEMERAL_STORAGE => 2,
        _ => 3,
    };
    names.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    for r in names {
        let want = pod.requests[r];
        if want <= 0 {
            continue;
        }
        let cap = alloc.get(r).copied().unwrap_or(0);
        let used = requested.get(r).copied().unwrap_or(0);
        let free = cap.saturating_sub(used);
        if want > free {
            unresolvable |= want > cap;
            reasons.push(format!("Insufficient {r}"));
            details.push(format!(
                "{r}: the pod requests {}; the node has {} allocatable, {} already requested, {} free",
                format_amount(r, want),
                format_amount(r, cap),
                format_amount(r, used),
                format_amount(r, free.max(0)),
            ));
        }
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(FilterFailure {
            plugin: "NodeResourcesFit",
            reasons,
            code: if unresolvable {
                Code::UnschedulableAndUnresolvable
            } else {
                Code::Unschedulable
            },
            details,
        })
    }
}

fn topology_spread(pod: &IncomingPod, node: &Node, snap: &Snapshot) -> Result<(), FilterFailure> {
    let empty = BTreeMap::new();
    let node_labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    for c in pod.spec.topology_spread_constraints.iter().flatten() {
        if c.when_unsatisfiable != "DoNotSchedule" {
            continue;
        }
        let Some(domain) = node_labels.get(&c.topology_key) else {
            return Err(fail(
                "PodTopologySpread",
                REASON_SPREAD_LABEL,
                Code::UnschedulableAndUnresolvable,
                vec![format!("the node has no label {}", c.topology_key)],
            ));
        };
        // With the default nodeAffinityPolicy Honor only nodes matching the pod's node affinity take
        // part, and a daemon pod's affinity is its pin: one domain, so the skew is always 1.
        if c.node_affinity_policy.as_deref() != Some("Ignore") {
            continue;
        }
        let sel =
            Selector::compile(c.label_selector.as_ref()).unwrap_or_else(|_| Selector::nothing());
        let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
        for n in snap.nodes() {
            if let Some(d) = n
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(&c.topology_key))
            {
                counts.entry(d.as_str()).or_insert(0);
            }
        }
        for p in snap.all_pods() {
            if p.namespace != pod.namespace || !sel.matches(&p.labels) {
                continue;
            }
            let d = snap
                .node(&p.node)
                .and_then(|n| n.metadata.labels.as_ref())
                .and_then(|l| l.get(&c.topology_key));
            if let Some(d) = d {
                *counts.entry(d.as_str()).or_insert(0) += 1;
            }
        }
        let min = counts.values().copied().min().unwrap_or(0);
        let self_match = i64::from(sel.matches(&pod.labels));
        let here = counts.get(domain.as_str()).copied().unwrap_or(0);
        let skew = here + self_match - min;
        if skew > i64::from(c.max_skew) {
            return Err(fail(
                "PodTopologySpread",
                REASON_SPREAD,
                Code::Unschedulable,
                vec![format!(
                    "{}={domain} would hold {} matching pods against a minimum of {min} elsewhere (maxSkew {})",
                    c.topology_key,
                    here + self_match,
                    c.max_skew
                )],
            ));
        }
    }
    Ok(())
}

/// The namespaces a pod affinity term applies to, as a predicate.
fn term_namespaces<'s>(
    term: &'s PodAffinityTerm,
    owner_ns: &'s str,
    snap: &'s Snapshot,
) -> impl Fn(&str) -> bool + 's {
    let listed: BTreeSet<&str> = term
        .namespaces
        .iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let ns_selector = term
        .namespace_selector
        .as_ref()
        .map(|s| Selector::compile(Some(s)).unwrap_or_else(|_| Selector::nothing()));
    move |ns: &str| {
        if listed.is_empty() && ns_selector.is_none() {
            return ns == owner_ns;
        }
        listed.contains(ns)
            || ns_selector
                .as_ref()
                .is_some_and(|s| s.matches(&snap.namespace_labels(ns)))
    }
}

fn term_matches_pod(
    term: &PodAffinityTerm,
    owner_ns: &str,
    snap: &Snapshot,
    ns: &str,
    labels: &BTreeMap<String, String>,
) -> bool {
    let sel =
        Selector::compile(term.label_selector.as_ref()).unwrap_or_else(|_| Selector::nothing());
    term_namespaces(term, owner_ns, snap)(ns) && sel.matches(labels)
}

fn same_domain(snap: &Snapshot, node: &Node, other_node: &str, key: &str) -> bool {
    let here = node.metadata.labels.as_ref().and_then(|l| l.get(key));
    let there = snap
        .node(other_node)
        .and_then(|n| n.metadata.labels.as_ref())
        .and_then(|l| l.get(key));
    matches!((here, there), (Some(a), Some(b)) if a == b)
}

fn required_terms(aff: Option<&Affinity>, anti: bool) -> Vec<PodAffinityTerm> {
    let terms = if anti {
        aff.and_then(|a| a.pod_anti_affinity.as_ref())
            .and_then(|a| {
                a.required_during_scheduling_ignored_during_execution
                    .clone()
            })
    } else {
        aff.and_then(|a| a.pod_affinity.as_ref()).and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .clone()
        })
    };
    terms.unwrap_or_default()
}

/// Required pod affinity and anti-affinity terms of a pod spec: `(affinity, anti-affinity)`.
pub fn required_pod_affinity_terms(spec: &PodSpec) -> (Vec<PodAffinityTerm>, Vec<PodAffinityTerm>) {
    (
        required_terms(spec.affinity.as_ref(), false),
        required_terms(spec.affinity.as_ref(), true),
    )
}

fn inter_pod_affinity(
    pod: &IncomingPod,
    node: &Node,
    snap: &Snapshot,
) -> Result<(), FilterFailure> {
    let (affinity, anti) = (&pod.required_affinity, &pod.required_anti_affinity);
    if affinity.is_empty() && anti.is_empty() && snap.anti_affinity_holders.is_empty() {
        return Ok(());
    }
    let node_labels = node.metadata.labels.clone().unwrap_or_default();
    // Required affinity (`satisfyPodAffinity`): only existing pods that match *every* term count, in
    // each term's topology domain; the node must carry every term's topology key. If some term has
    // no such pod in the node's domain, the pod still passes when no pod anywhere is counted and the
    // pod matches all of its own terms (the first pod of a group).
    if !affinity.is_empty() {
        let matches_all = |ns: &str, labels: &BTreeMap<String, String>| {
            affinity
                .iter()
                .all(|t| term_matches_pod(t, &pod.namespace, snap, ns, labels))
        };
        let domain_of = |p: &BoundPod, key: &str| {
            snap.node(&p.node)
                .and_then(|n| n.metadata.labels.as_ref())
                .and_then(|l| l.get(key).cloned())
        };
        let counted: Vec<&BoundPod> = snap
            .all_pods()
            .filter(|p| matches_all(&p.namespace, &p.labels))
            .collect();
        let mut pods_exist = true;
        for t in affinity {
            let Some(value) = node_labels.get(&t.topology_key) else {
                return Err(fail(
                    "InterPodAffinity",
                    REASON_AFFINITY,
                    Code::UnschedulableAndUnresolvable,
                    vec![format!(
                        "the node has no label {}, the topology key of the pod's required affinity",
                        t.topology_key
                    )],
                ));
            };
            if !counted
                .iter()
                .any(|p| domain_of(p, &t.topology_key).as_ref() == Some(value))
            {
                pods_exist = false;
            }
        }
        if !pods_exist {
            let none_counted = !counted.iter().any(|p| {
                affinity
                    .iter()
                    .any(|t| domain_of(p, &t.topology_key).is_some())
            });
            if !(none_counted && matches_all(&pod.namespace, &pod.labels)) {
                return Err(fail(
                    "InterPodAffinity",
                    REASON_AFFINITY,
                    Code::UnschedulableAndUnresolvable,
                    vec!["no pod matching all of the pod's required affinity terms runs in the node's topology domain".into()],
                ));
            }
        }
    }
    for t in anti {
        if !node_labels.contains_key(&t.topology_key) {
            continue;
        }
        if let Some(p) = snap.all_pods().find(|p| {
            term_matches_pod(t, &pod.namespace, snap, &p.namespace, &p.labels)
                && same_domain(snap, node, &p.node, &t.topology_key)
        }) {
            return Err(fail(
                "InterPodAffinity",
                REASON_ANTI_AFFINITY,
                Code::Unschedulable,
                vec![format!(
                    "pod {}/{} on node {} matches the pod's anti-affinity within {}",
                    p.namespace, p.name, p.node, t.topology_key
                )],
            ));
        }
    }
    if snap.anti_affinity_holders.is_empty() {
        return Ok(());
    }
    for p in snap
        .all_pods()
        .filter(|p| !p.required_anti_affinity.is_empty())
    {
        for t in &p.required_anti_affinity {
            if term_matches_pod(t, &p.namespace, snap, &pod.namespace, &pod.labels)
                && same_domain(snap, node, &p.node, &t.topology_key)
            {
                return Err(fail(
                    "InterPodAffinity",
                    REASON_EXISTING_ANTI_AFFINITY,
                    Code::Unschedulable,
                    vec![format!(
                        "pod {}/{} on node {} has anti-affinity against this pod within {}",
                        p.namespace, p.name, p.node, t.topology_key
                    )],
                ));
            }
        }
    }
    Ok(())
}

/// What the DefaultPreemption PostFilter concluded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Preemption {
    /// `preemptionPolicy: Never`.
    NotEligible,
    /// An earlier preemption's victims are still terminating on the nominated node: wait.
    WaitingForVictims,
    /// The node failed a filter preemption cannot help with (taints, affinity, cordon, …).
    NotHelpful,
    /// No pod on the node has a lower priority.
    NoVictims,
    /// Even with every lower-priority pod gone the pod would not fit.
    NotEnough { reasons: Vec<String> },
    /// These pods (namespace/name) would be evicted, in the order the scheduler deletes them;
    /// the pod is nominated to the node. `pdb_violations`: how many of them break a budget.
    Victims {
        pods: Vec<String>,
        pdb_violations: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SchedulerVerdict {
    pub binds: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<FilterFailure>,
    /// The `FailedScheduling` message (also the PodScheduled condition's message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preemption: Option<Preemption>,
}

/// Schedule a daemon pod pinned to `node_name` in a cluster of `snap.nodes`.
pub fn schedule_pinned(pod: &IncomingPod, node_name: &str, snap: &Snapshot) -> SchedulerVerdict {
    let total = snap.nodes().len();
    if total == 0 {
        return SchedulerVerdict {
            binds: false,
            failure: None,
            message: Some(NO_NODES.to_string()),
            preemption: None,
        };
    }
    let Some(node) = snap.node(node_name) else {
        // Eligibility is checked before candidates are looked for.
        let (post, preemption) = match ineligible(pod, snap, None) {
            Some(p) => (post_filter_message(&p, total), p),
            None => (
                format!("preemption: {}", not_helpful_everywhere(total)),
                Preemption::NotHelpful,
            ),
        };
        return SchedulerVerdict {
            binds: false,
            failure: None,
            message: Some(fit_error(total, &[], &post)),
            preemption: Some(preemption),
        };
    };
    let failure = match run_filters(pod, node, snap) {
        Ok(()) => {
            return SchedulerVerdict {
                binds: true,
                failure: None,
                message: None,
                preemption: None,
            }
        }
        Err(f) => f,
    };
    let preemption = ineligible(pod, snap, Some(failure.code))
        .unwrap_or_else(|| preempt(pod, node, &failure, snap));
    let post = post_filter_message(&preemption, total);
    SchedulerVerdict {
        binds: false,
        message: Some(fit_error(total, &failure.reasons, &post)),
        failure: Some(failure),
        preemption: Some(preemption),
    }
}

/// The PostFilter part of a pinned pod's FailedScheduling message.
fn post_filter_message(p: &Preemption, total: usize) -> String {
    match p {
        Preemption::NotEligible => NOT_ELIGIBLE.to_string(),
        Preemption::WaitingForVictims => NOT_ELIGIBLE_TERMINATING.to_string(),
        Preemption::NotHelpful => format!("preemption: {}", not_helpful_everywhere(total)),
        Preemption::NoVictims => format!(
            "preemption: {}",
            fit_error(total, &[REASON_NO_VICTIMS.to_string()], "")
                .replace(REASON_PREFILTER_PIN, REASON_NOT_HELPFUL)
        ),
        Preemption::NotEnough { reasons } => format!(
            "preemption: {}",
            fit_error(total, reasons, "").replace(REASON_PREFILTER_PIN, REASON_NOT_HELPFUL)
        ),
        Preemption::Victims { .. } => String::new(),
    }
}

fn not_helpful_everywhere(total: usize) -> String {
    format!("0/{total} nodes are available: {total} {REASON_NOT_HELPFUL}.")
}

/// `0/N nodes are available: <count reason, …>.` from a histogram of reasons (sorted as strings).
fn histogram_message(total: usize, histogram: &BTreeMap<String, usize>) -> String {
    let mut entries: Vec<String> = histogram.iter().map(|(r, n)| format!("{n} {r}")).collect();
    entries.sort();
    format!("0/{total} nodes are available: {}.", entries.join(", "))
}

impl SchedulerVerdict {
    /// Pair the verdict with the node it is about.
    pub fn with_node(self, node: String) -> (SchedulerVerdict, Option<String>) {
        (self, Some(node))
    }
}

/// Schedule a pod that may go to any node (not a daemon pod). Among feasible nodes the first in
/// name order is taken — our documented stand-in for the scoring plugins. Otherwise the message
/// counts every node's reasons, and DefaultPreemption looks for victims on each node that failed
/// with a resolvable status; the first such node in name order with victims is nominated.
pub fn schedule_anywhere(pod: &IncomingPod, snap: &Snapshot) -> (SchedulerVerdict, Option<String>) {
    let total = snap.nodes().len();
    if total == 0 {
        let v = SchedulerVerdict {
            binds: false,
            failure: None,
            message: Some(NO_NODES.to_string()),
            preemption: None,
        };
        return (v, None);
    }
    let mut names: Vec<&str> = snap
        .nodes()
        .iter()
        .map(|n| n.metadata.name.as_deref().unwrap_or(""))
        .collect();
    names.sort_unstable();
    let mut failures = Vec::new();
    for name in &names {
        let Some(node) = snap.node(name) else {
            continue;
        };
        match run_filters(pod, node, snap) {
            Ok(()) => {
                let v = SchedulerVerdict {
                    binds: true,
                    failure: None,
                    message: None,
                    preemption: None,
                };
                return (v, Some(name.to_string()));
            }
            Err(f) => failures.push((*name, node, f)),
        }
    }
    let mut histogram: BTreeMap<String, usize> = BTreeMap::new();
    for (_, _, f) in &failures {
        for r in &f.reasons {
            *histogram.entry(r.clone()).or_insert(0) += 1;
        }
    }
    let mut post_hist: BTreeMap<String, usize> = BTreeMap::new();
    let mut candidates: Vec<(String, Preemption)> = Vec::new();
    let mut post = String::new();
    let nominated_status = pod.nominated_node.as_deref().and_then(|n| {
        failures
            .iter()
            .find(|(name, ..)| *name == n)
            .map(|(_, _, f)| f.code)
    });
    if let Some(p) = ineligible(pod, snap, nominated_status) {
        post = post_filter_message(&p, total);
    } else {
        for (name, node, f) in &failures {
            let p = preempt(pod, node, f, snap);
            match &p {
                Preemption::NotHelpful
                | Preemption::NotEligible
                | Preemption::WaitingForVictims => {
                    *post_hist.entry(REASON_NOT_HELPFUL.into()).or_insert(0) += 1
                }
                Preemption::NoVictims => {
                    *post_hist.entry(REASON_NO_VICTIMS.into()).or_insert(0) += 1
                }
                Preemption::NotEnough { reasons } => {
                    for r in reasons {
                        *post_hist.entry(r.clone()).or_insert(0) += 1;
                    }
                }
                Preemption::Victims { .. } => candidates.push((name.to_string(), p.clone())),
            }
        }
        if candidates.is_empty() {
            post = format!("preemption: {}", histogram_message(total, &post_hist));
        }
    }
    let chosen = pick_one_node(candidates, snap);
    let mut message = histogram_message(total, &histogram);
    if !post.is_empty() {
        message.push(' ');
        message.push_str(&post);
    }
    let (node, preemption) = match chosen {
        Some((n, p)) => (Some(n), Some(p)),
        None => (None, None),
    };
    let v = SchedulerVerdict {
        binds: false,
        failure: None,
        message: Some(message),
        preemption,
    };
    (v, node)
}

/// `pickOneNodeForPreemption`: among candidate nodes (in name order), the one with the fewest
/// budget violations, then the lowest highest-victim priority, the lowest sum of victim
/// priorities, the fewest victims, the latest start among the most important victims; then the
/// first.
fn pick_one_node(
    candidates: Vec<(String, Preemption)>,
    snap: &Snapshot,
) -> Option<(String, Preemption)> {
    let key = |(node, p): &(String, Preemption)| {
        let Preemption::Victims {
            pods,
            pdb_violations,
        } = p
        else {
            return (usize::MAX, i32::MAX, i64::MAX, usize::MAX, i64::MAX);
        };
        let victims: Vec<&BoundPod> = snap
            .pods_on(node)
            .iter()
            .filter(|b| pods.contains(&format!("{}/{}", b.namespace, b.name)))
            .collect();
        let highest = victims.iter().map(|v| v.priority).max().unwrap_or(i32::MIN);
        let sum: i64 = victims
            .iter()
            .map(|v| i64::from(v.priority) + (1i64 << 31))
            .sum();
        let earliest_of_highest = victims
            .iter()
            .filter(|v| v.priority == highest)
            .map(|v| v.start_ms.unwrap_or(i64::MAX))
            .min()
            .unwrap_or(i64::MAX);
        (
            *pdb_violations,
            highest,
            sum,
            victims.len(),
            // Latest start wins: negate for an ascending sort.
            -earliest_of_highest.min(i64::MAX - 1),
        )
    };
    // The first candidate with the smallest key (min_by_key keeps the first of equals).
    candidates
        .into_iter()
        .enumerate()
        .min_by_key(|(i, c)| (key(c), *i))
        .map(|(_, c)| c)
}

/// `FitError.Error()`: the pinned node's reasons plus the PreFilter reason for every other node,
/// counted, sorted as strings, joined; then the PostFilter message.
pub fn fit_error(total: usize, pinned_reasons: &[String], post_filter: &str) -> String {
    let mut histogram: BTreeMap<String, usize> = BTreeMap::new();
    for r in pinned_reasons {
        *histogram.entry(r.clone()).or_insert(0) += 1;
    }
    let others = if pinned_reasons.is_empty() {
        total
    } else {
        total.saturating_sub(1)
    };
    if others > 0 {
        *histogram
            .entry(REASON_PREFILTER_PIN.to_string())
            .or_insert(0) += others;
    }
    let mut entries: Vec<String> = histogram.iter().map(|(r, n)| format!("{n} {r}")).collect();
    entries.sort();
    let mut msg = format!("0/{total} nodes are available: {}.", entries.join(", "));
    if !post_filter.is_empty() {
        msg.push(' ');
        msg.push_str(post_filter);
    }
    msg
}

/// `PodEligibleToPreemptOthers`: None when the pod may preempt; else why not. A pod nominated to
/// a node where a lower-priority pod is still terminating from a preemption waits for it, unless
/// that node now fails with a status preemption cannot resolve.
fn ineligible(
    pod: &IncomingPod,
    snap: &Snapshot,
    nominated_status: Option<Code>,
) -> Option<Preemption> {
    if pod.preemption_never() {
        return Some(Preemption::NotEligible);
    }
    let nominated = pod.nominated_node.as_deref().filter(|n| !n.is_empty())?;
    if nominated_status == Some(Code::UnschedulableAndUnresolvable) {
        return None;
    }
    snap.pods_on(nominated)
        .iter()
        .any(|p| p.priority < pod.priority && p.terminating_by_preemption)
        .then_some(Preemption::WaitingForVictims)
}

/// `MoreImportantPod`: higher priority first, then the earlier start (a pod not started counts as
/// starting now, so it comes last).
fn more_important_first(a: &BoundPod, b: &BoundPod) -> std::cmp::Ordering {
    b.priority.cmp(&a.priority).then_with(|| {
        a.start_ms
            .unwrap_or(i64::MAX)
            .cmp(&b.start_ms.unwrap_or(i64::MAX))
    })
}

/// `filterPodsWithPDBViolation`: walking the victims most important first, each budget matching a
/// pod (same namespace, non-empty selector, pod not already in `disruptedPods`) is charged; a pod
/// that takes a budget below zero would violate it.
fn split_by_budget(victims: Vec<BoundPod>, budgets: &[Budget]) -> (Vec<BoundPod>, Vec<BoundPod>) {
    let mut allowed: Vec<i32> = budgets.iter().map(|b| b.allowed).collect();
    let (mut violating, mut fine) = (Vec::new(), Vec::new());
    for v in victims {
        let mut violates = false;
        if !v.labels.is_empty() {
            for (i, b) in budgets.iter().enumerate() {
                if b.namespace != v.namespace
                    || b.selector.is_empty()
                    || !b.selector.matches(&v.labels)
                    || b.disrupted.contains(&v.name)
                {
                    continue;
                }
                allowed[i] -= 1;
                violates |= allowed[i] < 0;
            }
        }
        if violates {
            violating.push(v);
        } else {
            fine.push(v);
        }
    }
    (violating, fine)
}

/// `SelectVictimsOnNode`: remove every lower-priority pod; if the pod then fits, add them back one
/// by one — budget-violating pods first, then the others, most important first — keeping each one
/// the pod still fits with. The rest are the victims, most important first.
fn preempt(pod: &IncomingPod, node: &Node, failure: &FilterFailure, snap: &Snapshot) -> Preemption {
    if failure.code == Code::UnschedulableAndUnresolvable {
        return Preemption::NotHelpful;
    }
    let name = node.metadata.name.as_deref().unwrap_or("");
    let mut potential: Vec<BoundPod> = snap
        .pods_on(name)
        .iter()
        .filter(|p| p.priority < pod.priority)
        .cloned()
        .collect();
    if potential.is_empty() {
        return Preemption::NoVictims;
    }
    let mut trial = snap.local_view(pod, name).unwrap_or_else(|| snap.clone());
    for v in &potential {
        trial.remove_pod(&v.namespace, &v.name);
    }
    if let Err(f) = run_filters(pod, node, &trial) {
        return Preemption::NotEnough { reasons: f.reasons };
    }
    potential.sort_by(more_important_first);
    let (violating, fine) = split_by_budget(potential, &snap.budgets);
    let both_kinds = !violating.is_empty() && !fine.is_empty();
    let mut victims: Vec<BoundPod> = Vec::new();
    let mut pdb_violations = 0;
    for (v, violates) in violating
        .into_iter()
        .map(|v| (v, true))
        .chain(fine.into_iter().map(|v| (v, false)))
    {
        trial.add_pod(v.clone());
        if run_filters(pod, node, &trial).is_err() {
            trial.remove_pod(&v.namespace, &v.name);
            pdb_violations += usize::from(violates);
            victims.push(v);
        }
    }
    // Upstream sorts the victims again when both kinds were reprieved, so they stay ordered by
    // importance (selectVictimsOnNode in default_preemption.go).
    if both_kinds {
        victims.sort_by(more_important_first);
    }
    Preemption::Victims {
        pods: victims
            .iter()
            .map(|v| format!("{}/{}", v.namespace, v.name))
            .collect(),
        pdb_violations,
    }
}

/// `ReplaceDaemonSetPodNodeNameNodeAffinity`: pin a pod spec to a node by a required node affinity
/// term `matchFields metadata.name In [node]`, replacing any required terms the user wrote.
pub fn pin_to_node(spec: &mut PodSpec, node: &str) {
    let pin = NodeSelector {
        node_selector_terms: vec![NodeSelectorTerm {
            match_expressions: None,
            match_fields: Some(vec![NodeSelectorRequirement {
                key: "metadata.name".into(),
                operator: "In".into(),
                values: Some(vec![node.to_string()]),
            }]),
        }],
    };
    let affinity = spec.affinity.get_or_insert_with(Affinity::default);
    let node_affinity = affinity
        .node_affinity
        .get_or_insert_with(NodeAffinity::default);
    node_affinity.required_during_scheduling_ignored_during_execution = Some(pin);
}

#[cfg(test)]
mod tests;
