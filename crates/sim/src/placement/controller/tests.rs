use super::*;
use crate::placement::testutil::merge;
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

// Rows port `TestNodeShouldRunDaemonPod` and the single-node taint/selector/name tests of
// pkg/controller/daemon/daemon_controller_test.go (kubernetes/kubernetes), plus the rules of
// placement.md §1 and §8.5 that those tests leave implicit. Upstream's node there is
// `newNode("test-node", simpleDaemonSetLabel)` with allocatable memory 100M, cpu 1, pods 100.

/// A node named `test-node` labelled like upstream's `simpleDaemonSetLabel`, with `extra` merged
/// into the object (e.g. `{"spec": {"taints": [...]}}`).
fn node(extra: Value) -> Node {
    let mut v = json!({
        "metadata": {
            "name": "test-node",
            "labels": {"name": "simple-daemon", "type": "production"},
        },
        "status": {"allocatable": {"memory": "100M", "cpu": "1", "pods": "100"}},
    });
    merge(&mut v, extra);
    serde_json::from_value(v).expect("node")
}

fn taints(list: &[(&str, &str, &str)]) -> Value {
    let ts: Vec<Value> = list
        .iter()
        .map(|(k, v, e)| json!({"key": k, "value": v, "effect": e}))
        .collect();
    json!({"spec": {"taints": ts}})
}

/// A DaemonSet whose template spec is `spec` (one container is added when none is given).
fn ds(spec: Value) -> DaemonSet {
    let mut spec = spec;
    if spec.get("containers").is_none() {
        merge(
            &mut spec,
            json!({"containers": [{"name": "c", "image": "foo/bar"}]}),
        );
    }
    serde_json::from_value(json!({
        "metadata": {"name": "ds", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"name": "simple-daemon", "type": "production"}},
            "template": {
                "metadata": {"labels": {"name": "simple-daemon", "type": "production"}},
                "spec": spec,
            },
        },
    }))
    .expect("daemonset")
}

/// upstream `resourcePodSpec(nodeName, memory, cpu)`.
fn resource_spec(node_name: &str, memory: &str, cpu: &str) -> Value {
    let mut v = json!({"containers": [{
        "name": "c",
        "resources": {"requests": {"memory": memory, "cpu": cpu}},
    }]});
    if !node_name.is_empty() {
        merge(&mut v, json!({"nodeName": node_name}));
    }
    v
}

fn required_affinity(terms: Value) -> Value {
    json!({"affinity": {"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms},
    }}})
}

fn tolerations(list: Value) -> Value {
    json!({"tolerations": list})
}

struct Case {
    name: &'static str,
    node: Node,
    ds: DaemonSet,
    should_run: bool,
    should_continue_running: bool,
    /// Substrings the verdict's reason must contain.
    reason_has: &'static [&'static str],
}

fn case(
    name: &'static str,
    node_extra: Value,
    spec: Value,
    want: (bool, bool),
    reason_has: &'static [&'static str],
) -> Case {
    Case {
        name,
        node: node(node_extra),
        ds: ds(spec),
        should_run: want.0,
        should_continue_running: want.1,
        reason_has,
    }
}

fn check(cases: Vec<Case>) {
    for c in cases {
        let v = node_should_run_daemon_pod(&c.node, &simulated_pod_spec(&c.ds));
        assert_eq!(
            (v.should_run, v.should_continue_running),
            (c.should_run, c.should_continue_running),
            "{}: reason {:?}",
            c.name,
            v.reason
        );
        for want in c.reason_has {
            assert!(
                v.reason.contains(want),
                "{}: reason {:?} should mention {want:?}",
                c.name,
                v.reason
            );
        }
    }
}

/// `TestNodeShouldRunDaemonPod`, row by row (both update strategies give the same answer, so
/// they are not repeated), and the controller-side rows of placement.md §1.4.
#[test]
fn node_should_run_daemon_pod_upstream_rows() {
    let none = json!({});
    check(vec![
        case(
            "ShouldRunDaemonPod: a simple pod that fits runs (true, true)",
            none.clone(),
            resource_spec("", "50M", "0.5"),
            (true, true),
            &[],
        ),
        case(
            "InsufficientResourceError: requests above allocatable are not the controller's business (true, true)",
            none.clone(),
            resource_spec("", "200M", "0.5"),
            (true, true),
            &[],
        ),
        case(
            "ErrPodNotMatchHostName: a template nodeName naming another node (false, false)",
            none.clone(),
            resource_spec("other-node", "50M", "0.5"),
            (false, false),
            &["other-node"],
        ),
        case(
            "ErrPodNotFitsHostPorts: host ports are not checked by the controller (true, true)",
            none.clone(),
            json!({"containers": [{"name": "c", "ports": [{"containerPort": 666, "hostPort": 666}]}]}),
            (true, true),
            &[],
        ),
        case(
            "ErrNodeSelectorNotMatch: nodeSelector type=test against type=production (false, false)",
            none.clone(),
            json!({"nodeSelector": {"name": "simple-daemon", "type": "test"}}),
            (false, false),
            &["type=test", "type=production"],
        ),
        case(
            "ShouldRunDaemonPod: nodeSelector equal to the node's labels (true, true)",
            none.clone(),
            json!({"nodeSelector": {"name": "simple-daemon", "type": "production"}}),
            (true, true),
            &[],
        ),
        case(
            "ErrPodAffinityNotMatch: required node affinity type In [test] (false, false)",
            none.clone(),
            required_affinity(json!([{"matchExpressions": [{"key": "type", "operator": "In", "values": ["test"]}]}])),
            (false, false),
            &["type In [test]", "type=production"],
        ),
        case(
            "ShouldRunDaemonPod: required node affinity type In [production] (true, true)",
            none.clone(),
            required_affinity(json!([{"matchExpressions": [{"key": "type", "operator": "In", "values": ["production"]}]}])),
            (true, true),
            &[],
        ),
        case(
            "ShouldRunDaemonPodOnUnschedulableNode: spec.unschedulable alone is not looked at (true, true)",
            json!({"spec": {"unschedulable": true}}),
            resource_spec("", "50M", "0.5"),
            (true, true),
            &[],
        ),
    ]);
}

/// TestNameDaemonSetLaunchesPods, TestBadNameDaemonSetDoesNothing,
/// TestNameAndSelectorDaemonSetLaunchesPods, TestInconsistentNameSelectorDaemonSetDoesNothing,
/// TestSelectorDaemonLaunchesPods, TestNodeAffinityDaemonLaunchesPods and placement.md §1.2, §7.
#[test]
fn node_name_selector_and_affinity() {
    let blue = json!({"metadata": {"labels": {"color": "blue", "speed": "fast"}}});
    check(vec![
        case(
            "template nodeName equal to the node runs (true, true)",
            json!({}),
            json!({"nodeName": "test-node"}),
            (true, true),
            &[],
        ),
        case(
            "template nodeName naming a node that does not exist (false, false)",
            json!({}),
            json!({"nodeName": "node-10"}),
            (false, false),
            &["node-10"],
        ),
        case(
            "template nodeName and nodeSelector both matching run (true, true)",
            blue.clone(),
            json!({"nodeName": "test-node", "nodeSelector": {"color": "blue", "speed": "fast"}}),
            (true, true),
            &[],
        ),
        case(
            "nodeSelector matching but template nodeName naming another node (false, false)",
            blue.clone(),
            json!({"nodeName": "node-0", "nodeSelector": {"color": "blue", "speed": "fast"}}),
            (false, false),
            &["node-0"],
        ),
        case(
            "nodeSelector key the node lacks (false, false) and the reason says the label is missing",
            json!({}),
            json!({"nodeSelector": {"color": "blue"}}),
            (false, false),
            &["color=blue", "no label color"],
        ),
        case(
            "required node affinity color In [blue] on a blue node (true, true)",
            blue.clone(),
            required_affinity(json!([{"matchExpressions": [{"key": "color", "operator": "In", "values": ["blue"]}]}])),
            (true, true),
            &[],
        ),
        case(
            "nodeSelector is ANDed with required affinity: affinity matches, selector does not (false, false)",
            json!({}),
            {
                let mut s = required_affinity(json!([{"matchExpressions": [{"key": "type", "operator": "Exists"}]}]));
                merge(&mut s, json!({"nodeSelector": {"type": "test"}}));
                s
            },
            (false, false),
            &["type=test"],
        ),
        case(
            "nodeSelectorTerms are ORed: the second term matches (true, true)",
            json!({}),
            required_affinity(json!([
                {"matchExpressions": [{"key": "type", "operator": "In", "values": ["test"]}]},
                {"matchExpressions": [{"key": "name", "operator": "Exists"}]},
            ])),
            (true, true),
            &[],
        ),
        case(
            "an empty nodeSelectorTerms list matches no node (false, false)",
            json!({}),
            required_affinity(json!([])),
            (false, false),
            &["no nodeSelectorTerms"],
        ),
        case(
            "matchFields metadata.name In [test-node] (true, true)",
            json!({}),
            required_affinity(json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["test-node"]}]}])),
            (true, true),
            &[],
        ),
        case(
            "matchFields metadata.name In [other] (false, false)",
            json!({}),
            required_affinity(json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["other"]}]}])),
            (false, false),
            &["metadata.name In [other]"],
        ),
        case(
            "preferred node affinity never blocks (true, true)",
            json!({}),
            json!({"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 1, "preference": {"matchExpressions": [{"key": "type", "operator": "In", "values": ["test"]}]}},
            ]}}}),
            (true, true),
            &[],
        ),
        case(
            "name mismatch is checked before the selector (false, false) and the reason names the node",
            json!({}),
            json!({"nodeName": "other-node", "nodeSelector": {"type": "test"}}),
            (false, false),
            &["other-node"],
        ),
    ]);
}

/// TestTaintedNodeDaemonDoesNotLaunchIntolerantPod, TestTaintedNodeDaemonLaunchesToleratePod,
/// TestNodeDaemonLaunchesToleratePod, TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod,
/// TestNoExecuteTaintedDoesEvicitRunningIntolerantPod and placement.md §1.2, §8.1.
#[test]
fn user_taints_and_tolerations() {
    let no_schedule = taints(&[("dedicated", "user1", "NoSchedule")]);
    let no_execute = taints(&[("dedicated", "user1", "NoExecute")]);
    // upstream noScheduleTolerations: {Key: dedicated, Value: user1, Effect: NoSchedule}.
    let tol_user1 =
        tolerations(json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}]));
    check(vec![
        case(
            "untolerated NoSchedule taint: no new pod, an existing one stays (false, true)",
            no_schedule.clone(),
            json!({}),
            (false, true),
            &["dedicated=user1:NoSchedule"],
        ),
        case(
            "untolerated NoExecute taint: no new pod and an existing one is deleted (false, false)",
            no_execute.clone(),
            json!({}),
            (false, false),
            &["dedicated=user1:NoExecute"],
        ),
        case(
            "NoSchedule taint tolerated by key, value and effect (true, true)",
            no_schedule.clone(),
            tol_user1.clone(),
            (true, true),
            &[],
        ),
        case(
            "a toleration for a taint the node does not have changes nothing (true, true)",
            json!({}),
            tol_user1.clone(),
            (true, true),
            &[],
        ),
        case(
            "a NoSchedule toleration does not tolerate the same taint with NoExecute (false, false)",
            no_execute.clone(),
            tol_user1.clone(),
            (false, false),
            &["dedicated=user1:NoExecute"],
        ),
        case(
            "a toleration with a different value does not tolerate (false, true)",
            no_schedule.clone(),
            tolerations(json!([{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}])),
            (false, true),
            &["dedicated=user1:NoSchedule"],
        ),
        case(
            "operator Exists ignores the value (true, true)",
            no_execute.clone(),
            tolerations(json!([{"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}])),
            (true, true),
            &[],
        ),
        case(
            "an empty effect tolerates every effect of that key (true, true)",
            taints(&[("dedicated", "user1", "NoSchedule"), ("dedicated", "user1", "NoExecute")]),
            tolerations(json!([{"key": "dedicated", "operator": "Equal", "value": "user1"}])),
            (true, true),
            &[],
        ),
        case(
            "operator Exists with no key tolerates every taint (true, true)",
            taints(&[("a", "", "NoSchedule"), ("b", "x", "NoExecute")]),
            tolerations(json!([{"operator": "Exists"}])),
            (true, true),
            &[],
        ),
        case(
            "PreferNoSchedule taints are ignored by the controller (true, true)",
            taints(&[("dedicated", "user1", "PreferNoSchedule")]),
            json!({}),
            (true, true),
            &[],
        ),
        case(
            "tolerationSeconds is ignored: a NoExecute toleration for 5s counts as tolerating (true, true)",
            no_execute.clone(),
            tolerations(json!([{"key": "dedicated", "operator": "Equal", "value": "user1", "effect": "NoExecute", "tolerationSeconds": 5}])),
            (true, true),
            &[],
        ),
        case(
            "NoSchedule tolerated but NoExecute not: the NoExecute taint decides (false, false)",
            taints(&[("dedicated", "user1", "NoSchedule"), ("evict", "", "NoExecute")]),
            tol_user1.clone(),
            (false, false),
            &["evict:NoExecute"],
        ),
        case(
            "NoSchedule untolerated, NoExecute tolerated: an existing pod stays (false, true)",
            taints(&[("block", "", "NoSchedule"), ("dedicated", "user1", "NoExecute")]),
            tolerations(json!([{"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}])),
            (false, true),
            &["block:NoSchedule"],
        ),
        case(
            "the reason names the first untolerated taint in node order",
            taints(&[("first", "1", "NoSchedule"), ("second", "2", "NoSchedule")]),
            json!({}),
            (false, true),
            &["first=1:NoSchedule"],
        ),
        case(
            "with an untolerated NoExecute taint the reason names it, even after a NoSchedule one",
            taints(&[("first", "1", "NoSchedule"), ("second", "2", "NoExecute")]),
            json!({}),
            (false, false),
            &["second=2:NoExecute"],
        ),
    ]);
}

/// The default daemon tolerations (placement.md §1.3, §8.5): TestNotReadyNodeDaemonLaunchesPod,
/// TestUnreachableNodeDaemonLaunchesPod, TestTaintPressureNodeDaemonLaunchesPod,
/// TestNetworkUnavailableNodeDaemonLaunchesPod, and the gaps in the defaults.
#[test]
fn default_daemon_tolerations() {
    check(vec![
        case(
            "not-ready:NoExecute is tolerated forever by default (true, true)",
            taints(&[("node.kubernetes.io/not-ready", "", "NoExecute")]),
            json!({}),
            (true, true),
            &[],
        ),
        case(
            "unreachable:NoExecute is tolerated forever by default (true, true)",
            taints(&[("node.kubernetes.io/unreachable", "", "NoExecute")]),
            json!({}),
            (true, true),
            &[],
        ),
        case(
            "not-ready:NoSchedule has no default toleration (false, true)",
            taints(&[("node.kubernetes.io/not-ready", "", "NoSchedule")]),
            json!({}),
            (false, true),
            &["node.kubernetes.io/not-ready:NoSchedule"],
        ),
        case(
            "unreachable:NoSchedule has no default toleration (false, true)",
            taints(&[("node.kubernetes.io/unreachable", "", "NoSchedule")]),
            json!({}),
            (false, true),
            &["node.kubernetes.io/unreachable:NoSchedule"],
        ),
        case(
            "a NotReady node with both not-ready taints keeps its pod but gets no new one (false, true)",
            taints(&[
                ("node.kubernetes.io/not-ready", "", "NoSchedule"),
                ("node.kubernetes.io/not-ready", "", "NoExecute"),
            ]),
            json!({}),
            (false, true),
            &["node.kubernetes.io/not-ready:NoSchedule"],
        ),
        case(
            "a cordoned node (unschedulable:NoSchedule taint) is tolerated by default (true, true)",
            {
                let mut n = taints(&[("node.kubernetes.io/unschedulable", "", "NoSchedule")]);
                merge(&mut n, json!({"spec": {"unschedulable": true}}));
                n
            },
            json!({}),
            (true, true),
            &[],
        ),
        case(
            "memory, disk and pid pressure taints are tolerated by default (true, true)",
            taints(&[
                ("node.kubernetes.io/disk-pressure", "", "NoSchedule"),
                ("node.kubernetes.io/memory-pressure", "", "NoSchedule"),
                ("node.kubernetes.io/pid-pressure", "", "NoSchedule"),
            ]),
            json!({}),
            (true, true),
            &[],
        ),
        case(
            "network-unavailable:NoSchedule is not tolerated without hostNetwork (false, true)",
            taints(&[("node.kubernetes.io/network-unavailable", "", "NoSchedule")]),
            json!({}),
            (false, true),
            &["node.kubernetes.io/network-unavailable:NoSchedule"],
        ),
        case(
            "network-unavailable:NoSchedule is tolerated for hostNetwork pods (true, true)",
            taints(&[("node.kubernetes.io/network-unavailable", "", "NoSchedule")]),
            json!({"hostNetwork": true}),
            (true, true),
            &[],
        ),
        case(
            "the defaults are NoSchedule-only for pressure: memory-pressure:NoExecute is not tolerated (false, false)",
            taints(&[("node.kubernetes.io/memory-pressure", "", "NoExecute")]),
            json!({}),
            (false, false),
            &["node.kubernetes.io/memory-pressure:NoExecute"],
        ),
        case(
            "conditions are not read: NetworkUnavailable=True without a taint (true, true)",
            json!({"status": {"conditions": [{"type": "NetworkUnavailable", "status": "True"}]}}),
            json!({}),
            (true, true),
            &[],
        ),
        case(
            "conditions are not read: Ready=False without a taint (true, true)",
            json!({"status": {"conditions": [{"type": "Ready", "status": "False"}]}}),
            json!({}),
            (true, true),
            &[],
        ),
        case(
            "a user not-ready:NoExecute toleration with tolerationSeconds still tolerates (true, true)",
            taints(&[("node.kubernetes.io/not-ready", "", "NoExecute")]),
            tolerations(json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}])),
            (true, true),
            &[],
        ),
        case(
            "an explicit toleration covers the gap: not-ready:NoSchedule tolerated (true, true)",
            taints(&[
                ("node.kubernetes.io/not-ready", "", "NoSchedule"),
                ("node.kubernetes.io/not-ready", "", "NoExecute"),
            ]),
            tolerations(json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoSchedule"}])),
            (true, true),
            &[],
        ),
    ]);
}

/// The per-taint explanation: which toleration tolerated it and whether it is a default one.
#[test]
fn taint_checks_report_the_tolerating_toleration() {
    let n = node(taints(&[
        ("node.kubernetes.io/not-ready", "", "NoExecute"),
        ("dedicated", "user1", "NoSchedule"),
        ("soft", "", "PreferNoSchedule"),
    ]));
    let spec = simulated_pod_spec(&ds(tolerations(
        json!([{"key": "dedicated", "operator": "Exists"}]),
    )));
    let v = node_should_run_daemon_pod(&n, &spec);
    assert!(v.should_run && v.should_continue_running, "{}", v.reason);
    let rows: Vec<(&str, bool, bool, bool)> = v
        .taints
        .iter()
        .map(|t| {
            (
                t.taint.as_str(),
                t.tolerated_by.is_some(),
                t.by_default_toleration,
                t.considered,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("node.kubernetes.io/not-ready:NoExecute", true, true, true),
            ("dedicated=user1:NoSchedule", true, false, true),
            ("soft:PreferNoSchedule", false, false, false),
        ]
    );
}

/// `simulated_pod_spec` merges the defaults into the template's tolerations: a user toleration
/// identical but for tolerationSeconds is replaced in place by the forever default.
#[test]
fn simulated_pod_spec_merges_default_tolerations() {
    let spec = simulated_pod_spec(&ds(tolerations(json!([
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 5},
    ]))));
    let tols = spec.tolerations.expect("tolerations");
    assert_eq!(tols.len(), 6, "no duplicate not-ready entry: {tols:?}");
    assert_eq!(tols[0].key.as_deref(), Some("node.kubernetes.io/not-ready"));
    assert_eq!(tols[0].toleration_seconds, None);
    let host = simulated_pod_spec(&ds(json!({"hostNetwork": true})));
    assert_eq!(host.tolerations.expect("tolerations").len(), 7);
}
