use super::*;
use crate::placement::taints::daemon_default_tolerations;
use crate::placement::testutil::merge;
use k8s_openapi::api::core::v1::Pod;
use serde_json::{json, Value};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

// Rows port, where they apply to one pinned node, upstream tests of kubernetes/kubernetes:
// pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go,
// tainttoleration/taint_toleration_test.go, nodeports/node_ports_test.go,
// noderesources/fit_test.go (TestEnoughRequests, TestNotEnoughRequests, TestStorageRequests),
// interpodaffinity/filtering_test.go (TestRequiredAffinitySingleNode, ...MultipleNodes),
// defaultpreemption/default_preemption_test.go (TestPostFilter, TestDryRunPreemption) and the
// message format of pkg/scheduler/framework/types.go (FitError), as placement.md §10–§11 state them.

// ---------------------------------------------------------------------------------------------
// Builders

/// A node from JSON; `metadata.name` is set from `name`.
fn node(name: &str, v: Value) -> Node {
    let mut v = v;
    merge(&mut v, json!({"metadata": {"name": name}}));
    serde_json::from_value(v).expect("node")
}

/// A node with room for everything: 4 cpu, 8Gi, 110 pods, labelled with its hostname.
fn roomy(name: &str) -> Node {
    node(
        name,
        json!({
            "metadata": {"labels": {"kubernetes.io/hostname": name}},
            "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}},
        }),
    )
}

/// A pod from JSON (`metadata` + `spec`), defaulting the namespace to `default` and giving every
/// container a name.
fn pod(v: Value) -> Pod {
    let mut v = v;
    if v.pointer("/metadata/namespace").is_none() {
        merge(&mut v, json!({"metadata": {"namespace": "default"}}));
    }
    if v.pointer("/spec/containers").is_none() {
        merge(&mut v, json!({"spec": {"containers": [{}]}}));
    }
    for list in ["containers", "initContainers"] {
        if let Some(Value::Array(cs)) = v.pointer_mut(&format!("/spec/{list}")) {
            for (i, c) in cs.iter_mut().enumerate() {
                if c.get("name").is_none() {
                    merge(c, json!({"name": format!("c{i}")}));
                }
            }
        }
    }
    serde_json::from_value(v).expect("pod")
}

/// An existing pod bound to `spec.nodeName`, as the scheduler's snapshot holds it.
fn bound(v: Value) -> BoundPod {
    let p = pod(v);
    let spec = p.spec.clone().unwrap_or_default();
    BoundPod::of(
        &p,
        spec.node_name.as_deref().unwrap_or_default(),
        spec.priority.unwrap_or(0),
    )
}

/// The pod being scheduled; its priority is `spec.priority` (0 when absent).
fn incoming(v: Value) -> IncomingPod {
    let p = pod(v);
    let spec = p.spec.clone().unwrap_or_default();
    let priority = spec.priority.unwrap_or(0);
    IncomingPod::new(
        p.metadata.namespace.as_deref().unwrap_or_default(),
        p.metadata.labels.clone().unwrap_or_default(),
        spec,
        priority,
    )
}

fn snapshot<'a>(nodes: &'a [Node], namespaces: &'a [Namespace], pods: &[BoundPod]) -> Snapshot<'a> {
    let mut s = Snapshot::new(nodes, namespaces);
    for p in pods {
        s.add_pod(p.clone());
    }
    s
}

/// A container requesting the given resources.
fn requesting(requests: Value) -> Value {
    json!({"resources": {"requests": requests}})
}

/// What a row expects from `run_filters`: `None` fits, else the plugin, its reasons and its code.
type Want = Option<(&'static str, Vec<String>, Code)>;

fn fails(plugin: &'static str, reasons: &[&str], code: Code) -> Want {
    Some((
        plugin,
        reasons.iter().map(|r| r.to_string()).collect(),
        code,
    ))
}

/// Run the filters of `pod` against the first node of `nodes`.
fn filter(pod: &IncomingPod, nodes: &[Node], namespaces: &[Namespace], pods: &[BoundPod]) -> Want {
    let snap = snapshot(nodes, namespaces, pods);
    run_filters(pod, &nodes[0], &snap)
        .err()
        .map(|f| (f.plugin, f.reasons, f.code))
}

use Code::{Unschedulable as U, UnschedulableAndUnresolvable as UU};

// ---------------------------------------------------------------------------------------------
// Filter order (placement.md §10.2)

/// One node that fails every filter the pod's flags switch on; each row removes the obstacle of
/// the filter before, so the first failing filter is the one reported.
#[test]
fn filter_order_first_failure_wins() {
    let order_node = |cordoned: bool, tainted: bool| {
        let mut v = json!({
            "metadata": {"labels": {"kubernetes.io/hostname": "n1", "zone": "a"}},
            "status": {"allocatable": {"cpu": "1", "memory": "1Gi", "pods": "110"}},
        });
        if cordoned {
            merge(&mut v, json!({"spec": {"unschedulable": true}}));
        }
        if tainted {
            merge(
                &mut v,
                json!({"spec": {"taints": [{"key": "dedicated", "value": "x", "effect": "NoSchedule"}]}}),
            );
        }
        node("n1", v)
    };
    // On n1: a pod holding host port 80, requesting 800m, labelled app=web.
    let web = bound(json!({
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"nodeName": "n1", "containers": [{
            "ports": [{"containerPort": 80, "hostPort": 80}],
            "resources": {"requests": {"cpu": "800m"}},
        }]},
    }));
    #[derive(Clone, Copy)]
    struct F {
        node_name: bool,
        selector: bool,
        port: bool,
        cpu: bool,
        spread: bool,
        anti: bool,
    }
    let order_pod = |f: F| {
        let mut c = json!({});
        if f.port {
            merge(
                &mut c,
                json!({"ports": [{"containerPort": 80, "hostPort": 80}]}),
            );
        }
        if f.cpu {
            merge(&mut c, requesting(json!({"cpu": "500m"})));
        }
        let mut spec = json!({"containers": [c]});
        if f.node_name {
            merge(&mut spec, json!({"nodeName": "other"}));
        }
        if f.selector {
            merge(&mut spec, json!({"nodeSelector": {"disk": "ssd"}}));
        }
        if f.spread {
            merge(
                &mut spec,
                json!({"topologySpreadConstraints": [{
                    "maxSkew": 1, "topologyKey": "rack", "whenUnsatisfiable": "DoNotSchedule",
                    "labelSelector": {"matchLabels": {"app": "ds"}},
                }]}),
            );
        }
        if f.anti {
            merge(
                &mut spec,
                json!({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{
                    "labelSelector": {"matchLabels": {"app": "web"}},
                    "topologyKey": "kubernetes.io/hostname",
                }]}}}),
            );
        }
        incoming(json!({"metadata": {"labels": {"app": "ds"}}, "spec": spec}))
    };
    let all = F {
        node_name: true,
        selector: true,
        port: true,
        cpu: true,
        spread: true,
        anti: true,
    };
    let rows: Vec<(&str, Node, F, Want)> = vec![
        (
            "NodeUnschedulable runs first: a cordoned, tainted node failing everything else",
            order_node(true, true),
            all,
            fails("NodeUnschedulable", &[REASON_UNSCHEDULABLE], UU),
        ),
        (
            "NodeName runs before TaintToleration",
            order_node(false, true),
            all,
            fails("NodeName", &[REASON_NODE_NAME], UU),
        ),
        (
            "TaintToleration runs before NodeAffinity",
            order_node(false, true),
            F {
                node_name: false,
                ..all
            },
            fails("TaintToleration", &[REASON_TAINTS], UU),
        ),
        (
            "NodeAffinity runs before NodePorts",
            order_node(false, false),
            F {
                node_name: false,
                ..all
            },
            fails("NodeAffinity", &[REASON_NODE_AFFINITY], UU),
        ),
        (
            "NodePorts runs before NodeResourcesFit",
            order_node(false, false),
            F {
                node_name: false,
                selector: false,
                ..all
            },
            fails("NodePorts", &[REASON_PORTS], U),
        ),
        (
            "NodeResourcesFit runs before PodTopologySpread",
            order_node(false, false),
            F {
                node_name: false,
                selector: false,
                port: false,
                ..all
            },
            fails("NodeResourcesFit", &["Insufficient cpu"], U),
        ),
        (
            "PodTopologySpread runs before InterPodAffinity",
            order_node(false, false),
            F {
                node_name: false,
                selector: false,
                port: false,
                cpu: false,
                ..all
            },
            fails("PodTopologySpread", &[REASON_SPREAD_LABEL], UU),
        ),
        (
            "InterPodAffinity runs last",
            order_node(false, false),
            F {
                node_name: false,
                selector: false,
                port: false,
                cpu: false,
                spread: false,
                anti: true,
            },
            fails("InterPodAffinity", &[REASON_ANTI_AFFINITY], U),
        ),
        (
            "a pod passing every filter fits",
            order_node(false, false),
            F {
                node_name: false,
                selector: false,
                port: false,
                cpu: false,
                spread: false,
                anti: false,
            },
            None,
        ),
    ];
    for (name, n, f, want) in rows {
        let got = filter(&order_pod(f), &[n], &[], std::slice::from_ref(&web));
        assert_eq!(got, want, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// NodeUnschedulable and TaintToleration

/// node_unschedulable_test.go `TestNodeUnschedulable`, plus the daemon defaults (§8.5).
#[test]
fn node_unschedulable() {
    let cordoned = || {
        node(
            "n1",
            json!({"spec": {"unschedulable": true}, "status": {"allocatable": {"pods": "110"}}}),
        )
    };
    let with_tolerations = |t: Value| incoming(json!({"spec": {"tolerations": t}}));
    let defaults = serde_json::to_value(daemon_default_tolerations(false)).unwrap();
    let rows: Vec<(&str, Node, IncomingPod, Want)> = vec![
        (
            "Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)",
            cordoned(),
            incoming(json!({})),
            fails("NodeUnschedulable", &[REASON_UNSCHEDULABLE], UU),
        ),
        (
            "Schedule pod to normal node",
            node("n1", json!({"status": {"allocatable": {"pods": "110"}}})),
            incoming(json!({})),
            None,
        ),
        (
            "Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)",
            cordoned(),
            with_tolerations(
                json!([{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]),
            ),
            None,
        ),
        (
            "a toleration of the unschedulable key with an empty effect also tolerates the cordon",
            cordoned(),
            with_tolerations(
                json!([{"key": "node.kubernetes.io/unschedulable", "operator": "Exists"}]),
            ),
            None,
        ),
        (
            "a NoExecute toleration of the unschedulable key does not tolerate the cordon",
            cordoned(),
            with_tolerations(
                json!([{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoExecute"}]),
            ),
            fails("NodeUnschedulable", &[REASON_UNSCHEDULABLE], UU),
        ),
        (
            "the daemon default tolerations let a daemon pod onto a cordoned node with its taint",
            node(
                "n1",
                json!({
                    "spec": {"unschedulable": true, "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]},
                    "status": {"allocatable": {"pods": "110"}},
                }),
            ),
            with_tolerations(defaults),
            None,
        ),
        (
            "the unschedulable taint without spec.unschedulable is TaintToleration's business",
            node(
                "n1",
                json!({
                    "spec": {"taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]},
                    "status": {"allocatable": {"pods": "110"}},
                }),
            ),
            incoming(json!({})),
            fails("TaintToleration", &[REASON_TAINTS], UU),
        ),
    ];
    for (name, n, p, want) in rows {
        assert_eq!(filter(&p, &[n], &[], &[]), want, "{name}");
    }
}

/// taint_toleration_test.go `TestTaintTolerationFilter`; 1.35 reason `node(s) had untolerated
/// taint(s)` (placement.md §10.4), UnschedulableAndUnresolvable.
#[test]
fn taint_toleration() {
    let tainted = |taints: Value| {
        node(
            "n1",
            json!({"spec": {"taints": taints}, "status": {"allocatable": {"pods": "110"}}}),
        )
    };
    let tolerating = |t: Value| incoming(json!({"spec": {"tolerations": t}}));
    let untolerated = fails("TaintToleration", &[REASON_TAINTS], UU);
    let rows: Vec<(&str, Node, IncomingPod, Want)> = vec![
        (
            "A pod having no tolerations can't be scheduled onto a node with nonempty taints",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}])),
            incoming(json!({})),
            untolerated.clone(),
        ),
        (
            "A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}])),
            tolerating(json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}])),
            None,
        ),
        (
            "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}])),
            tolerating(json!([{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}])),
            untolerated.clone(),
        ),
        (
            "A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node",
            tainted(json!([{"key": "foo", "value": "bar", "effect": "NoSchedule"}])),
            tolerating(json!([{"key": "foo", "operator": "Exists", "effect": "NoSchedule"}])),
            None,
        ),
        (
            "A pod has multiple tolerations, node has multiple taints, all the taints are tolerated",
            tainted(json!([
                {"key": "dedicated", "value": "user2", "effect": "NoSchedule"},
                {"key": "foo", "value": "bar", "effect": "NoSchedule"},
            ])),
            tolerating(json!([
                {"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"},
                {"key": "foo", "operator": "Exists", "effect": "NoSchedule"},
            ])),
            None,
        ),
        (
            "A toleration whose key and value match but whose (non-empty) effect differs does not tolerate",
            tainted(json!([{"key": "foo", "value": "bar", "effect": "NoSchedule"}])),
            tolerating(json!([{"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"}])),
            untolerated.clone(),
        ),
        (
            "A toleration with an empty effect tolerates a NoSchedule taint of that key and value",
            tainted(json!([{"key": "foo", "value": "bar", "effect": "NoSchedule"}])),
            tolerating(json!([{"key": "foo", "operator": "Equal", "value": "bar"}])),
            None,
        ),
        (
            "A PreferNoSchedule taint that no toleration matches does not block",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "PreferNoSchedule"}])),
            tolerating(json!([{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}])),
            None,
        ),
        (
            "The pod has no toleration, but the effect of taint on node is PreferNoSchedule",
            tainted(json!([{"key": "dedicated", "value": "user1", "effect": "PreferNoSchedule"}])),
            incoming(json!({})),
            None,
        ),
        (
            "an untolerated NoExecute taint blocks too",
            tainted(json!([{"key": "evict", "effect": "NoExecute"}])),
            incoming(json!({})),
            untolerated.clone(),
        ),
        (
            "several untolerated taints give one reason, naming none of them (1.35)",
            tainted(json!([{"key": "a", "effect": "NoSchedule"}, {"key": "b", "value": "1", "effect": "NoExecute"}])),
            incoming(json!({})),
            untolerated.clone(),
        ),
        (
            "tolerationSeconds does not matter to the filter",
            tainted(json!([{"key": "evict", "effect": "NoExecute"}])),
            tolerating(json!([{"key": "evict", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 1}])),
            None,
        ),
    ];
    for (name, n, p, want) in rows {
        assert_eq!(filter(&p, &[n], &[], &[]), want, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// NodePorts (placement.md §10.3)

/// Containers with host ports written as upstream's test writes them: `PROTO/IP/PORT`.
fn with_ports(ports: &[&str]) -> Value {
    let ps: Vec<Value> = ports
        .iter()
        .map(|p| {
            let parts: Vec<&str> = p.split('/').collect();
            let port: i32 = parts[2].parse().unwrap();
            let mut v = json!({"containerPort": port, "hostPort": port});
            if !parts[0].is_empty() {
                merge(&mut v, json!({"protocol": parts[0]}));
            }
            if !parts[1].is_empty() {
                merge(&mut v, json!({"hostIP": parts[1]}));
            }
            v
        })
        .collect();
    json!({"containers": [{"ports": ps}]})
}

/// node_ports_test.go `TestNodePorts`, plus the defaulting rules.
#[test]
fn node_ports() {
    let m1 = || roomy("m1");
    let on_m1 = |ports: &[&str]| {
        let mut spec = with_ports(ports);
        merge(&mut spec, json!({"nodeName": "m1"}));
        bound(json!({"metadata": {"name": "existing"}, "spec": spec}))
    };
    let wanting = |ports: &[&str]| incoming(json!({"spec": with_ports(ports)}));
    let conflict = fails("NodePorts", &[REASON_PORTS], U);
    let rows: Vec<(&str, IncomingPod, Vec<BoundPod>, Want)> = vec![
        (
            "a pod without host ports fits a node whose ports are taken",
            incoming(json!({})),
            vec![on_m1(&["TCP/0.0.0.0/8080"])],
            None,
        ),
        (
            "other port",
            wanting(&["UDP/127.0.0.1/8080"]),
            vec![on_m1(&["UDP/127.0.0.1/9090"])],
            None,
        ),
        (
            "same udp port",
            wanting(&["UDP/127.0.0.1/8080"]),
            vec![on_m1(&["UDP/127.0.0.1/8080"])],
            conflict.clone(),
        ),
        (
            "same tcp port",
            wanting(&["TCP/127.0.0.1/8080"]),
            vec![on_m1(&["TCP/127.0.0.1/8080"])],
            conflict.clone(),
        ),
        (
            "different host ip",
            wanting(&["TCP/127.0.0.1/8080"]),
            vec![on_m1(&["TCP/127.0.0.2/8080"])],
            None,
        ),
        (
            "different protocol",
            wanting(&["UDP/127.0.0.1/8080"]),
            vec![on_m1(&["TCP/127.0.0.1/8080"])],
            None,
        ),
        (
            "second udp port conflict",
            wanting(&["UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"]),
            vec![on_m1(&["UDP/127.0.0.1/8080"])],
            conflict.clone(),
        ),
        (
            "first tcp port conflict",
            wanting(&["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"]),
            vec![on_m1(&["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081"])],
            conflict.clone(),
        ),
        (
            "first tcp port conflict due to 0.0.0.0 hostIP",
            wanting(&["TCP/0.0.0.0/8001"]),
            vec![on_m1(&["TCP/127.0.0.1/8001"])],
            conflict.clone(),
        ),
        (
            "TCP hostPort conflict due to 0.0.0.0 hostIP",
            wanting(&["TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"]),
            vec![on_m1(&["TCP/127.0.0.1/8001"])],
            conflict.clone(),
        ),
        (
            "second tcp port conflict to 0.0.0.0 hostIP",
            wanting(&["TCP/127.0.0.1/8001"]),
            vec![on_m1(&["TCP/0.0.0.0/8001"])],
            conflict.clone(),
        ),
        (
            "second different protocol",
            wanting(&["UDP/127.0.0.1/8001"]),
            vec![on_m1(&["TCP/0.0.0.0/8001"])],
            None,
        ),
        (
            "UDP hostPort conflict due to 0.0.0.0 hostIP",
            wanting(&["UDP/127.0.0.1/8001"]),
            vec![on_m1(&["TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001"])],
            conflict.clone(),
        ),
        (
            "an empty hostIP means 0.0.0.0 and an empty protocol means TCP",
            wanting(&["//8001"]),
            vec![on_m1(&["TCP/127.0.0.1/8001"])],
            conflict.clone(),
        ),
        (
            "an empty protocol does not clash with UDP",
            wanting(&["//8001"]),
            vec![on_m1(&["UDP/0.0.0.0/8001"])],
            None,
        ),
        (
            "a port held by a pod on another node is no conflict",
            wanting(&["TCP/0.0.0.0/8001"]),
            vec![bound(json!({"metadata": {"name": "elsewhere"}, "spec": {
                "nodeName": "m2", "containers": [{"ports": [{"containerPort": 8001, "hostPort": 8001}]}],
            }}))],
            None,
        ),
        (
            "a containerPort without hostPort holds nothing",
            wanting(&["TCP/0.0.0.0/8001"]),
            vec![bound(json!({"metadata": {"name": "plain"}, "spec": {
                "nodeName": "m1", "containers": [{"ports": [{"containerPort": 8001}]}],
            }}))],
            None,
        ),
    ];
    for (name, p, pods, want) in rows {
        let nodes = [m1(), roomy("m2")];
        assert_eq!(filter(&p, &nodes, &[], &pods), want, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// NodeResourcesFit (placement.md §10.5)

/// upstream `makeAllocatableResources(10, 20, 32, 5, 20, 5)`: 10m cpu, 20 bytes, 32 pods,
/// 5 example.com/aaa, 20 bytes ephemeral storage, 5 hugepages-2Mi.
fn fit_node() -> Node {
    node(
        "n1",
        json!({"status": {"allocatable": {
            "cpu": "10m", "memory": "20", "pods": "32", "example.com/aaa": "5",
            "ephemeral-storage": "20", "hugepages-2Mi": "5",
        }}}),
    )
}

/// upstream `newResourcePod`: one container per request list.
fn containers(reqs: &[Value]) -> Value {
    Value::Array(reqs.iter().map(|r| requesting(r.clone())).collect())
}

fn cm(cpu_milli: i64, mem: i64) -> Value {
    json!({"cpu": format!("{cpu_milli}m"), "memory": mem.to_string()})
}

fn with(mut v: Value, extra: Value) -> Value {
    merge(&mut v, extra);
    v
}

/// fit_test.go `TestEnoughRequests`: the node holds one pod with the `existing` requests.
#[test]
fn node_resources_fit_enough_requests() {
    let cpu = "Insufficient cpu";
    let memory = "Insufficient memory";
    let aaa = "Insufficient example.com/aaa";
    type Row = (&'static str, Value, Value, Want);
    let rows: Vec<Row> = vec![
        (
            "no resources requested always fits",
            json!({}),
            containers(&[cm(10, 20)]),
            None,
        ),
        (
            "too many resources fails: both cpu and memory are reported",
            json!({"containers": containers(&[cm(1, 1)])}),
            containers(&[cm(10, 20)]),
            fails("NodeResourcesFit", &[cpu, memory], U),
        ),
        (
            "too many resources fails due to init container cpu",
            json!({"containers": containers(&[cm(1, 1)]), "initContainers": containers(&[cm(3, 1)])}),
            containers(&[cm(8, 19)]),
            fails("NodeResourcesFit", &[cpu], U),
        ),
        (
            "too many resources fails due to highest init container cpu",
            json!({"containers": containers(&[cm(1, 1)]), "initContainers": containers(&[cm(3, 1), cm(2, 1)])}),
            containers(&[cm(8, 19)]),
            fails("NodeResourcesFit", &[cpu], U),
        ),
        (
            "too many resources fails due to init container memory",
            json!({"containers": containers(&[cm(1, 1)]), "initContainers": containers(&[cm(1, 3)])}),
            containers(&[cm(9, 19)]),
            fails("NodeResourcesFit", &[memory], U),
        ),
        (
            "init container fits because it's the max, not sum, of containers and init containers",
            json!({"containers": containers(&[cm(1, 1)]), "initContainers": containers(&[cm(1, 1)])}),
            containers(&[cm(9, 19)]),
            None,
        ),
        (
            "multiple init containers fit because it's the max, not sum, of containers and init containers",
            json!({"containers": containers(&[cm(1, 1)]), "initContainers": containers(&[cm(1, 1), cm(1, 1)])}),
            containers(&[cm(9, 19)]),
            None,
        ),
        (
            "both resources fit",
            json!({"containers": containers(&[cm(1, 1)])}),
            containers(&[cm(5, 5)]),
            None,
        ),
        (
            "one resource memory fits",
            json!({"containers": containers(&[cm(2, 1)])}),
            containers(&[cm(9, 5)]),
            fails("NodeResourcesFit", &[cpu], U),
        ),
        (
            "one resource cpu fits",
            json!({"containers": containers(&[cm(1, 2)])}),
            containers(&[cm(5, 19)]),
            fails("NodeResourcesFit", &[memory], U),
        ),
        (
            "equal edge case",
            json!({"containers": containers(&[cm(5, 1)])}),
            containers(&[cm(5, 19)]),
            None,
        ),
        (
            "equal edge case for init container",
            json!({"containers": containers(&[cm(4, 1)]), "initContainers": containers(&[cm(5, 1)])}),
            containers(&[cm(5, 19)]),
            None,
        ),
        (
            "extended resource fits",
            json!({"containers": containers(&[json!({"example.com/aaa": "1"})])}),
            containers(&[json!({})]),
            None,
        ),
        (
            "extended resource fits for init container",
            json!({"initContainers": containers(&[json!({"example.com/aaa": "1"})])}),
            containers(&[json!({})]),
            None,
        ),
        (
            "extended resource capacity enforced: 10 wanted, 5 allocatable, so preemption cannot help",
            json!({"containers": containers(&[with(cm(1, 1), json!({"example.com/aaa": "10"}))])}),
            containers(&[cm(0, 0)]),
            fails("NodeResourcesFit", &[aaa], UU),
        ),
        (
            "extended resource capacity enforced for init container",
            json!({"initContainers": containers(&[with(cm(1, 1), json!({"example.com/aaa": "10"}))])}),
            containers(&[cm(0, 0)]),
            fails("NodeResourcesFit", &[aaa], UU),
        ),
        (
            "extended resource allocatable enforced: 1 wanted, all 5 in use",
            json!({"containers": containers(&[with(cm(1, 1), json!({"example.com/aaa": "1"}))])}),
            containers(&[with(cm(0, 0), json!({"example.com/aaa": "5"}))]),
            fails("NodeResourcesFit", &[aaa], U),
        ),
        (
            "extended resource allocatable enforced for init container",
            json!({"initContainers": containers(&[with(cm(1, 1), json!({"example.com/aaa": "1"}))])}),
            containers(&[with(cm(0, 0), json!({"example.com/aaa": "5"}))]),
            fails("NodeResourcesFit", &[aaa], U),
        ),
        (
            "extended resource allocatable enforced for multiple containers: 3 + 3 exceeds the 5 allocatable",
            json!({"containers": containers(&[
                with(cm(1, 1), json!({"example.com/aaa": "3"})),
                with(cm(1, 1), json!({"example.com/aaa": "3"})),
            ])}),
            containers(&[with(cm(0, 0), json!({"example.com/aaa": "2"}))]),
            fails("NodeResourcesFit", &[aaa], UU),
        ),
        (
            "extended resource allocatable admits multiple init containers",
            json!({"initContainers": containers(&[
                with(cm(1, 1), json!({"example.com/aaa": "3"})),
                with(cm(1, 1), json!({"example.com/aaa": "3"})),
            ])}),
            containers(&[with(cm(0, 0), json!({"example.com/aaa": "2"}))]),
            None,
        ),
        (
            "extended resource allocatable enforced for multiple init containers",
            json!({"initContainers": containers(&[
                with(cm(1, 1), json!({"example.com/aaa": "6"})),
                with(cm(1, 1), json!({"example.com/aaa": "3"})),
            ])}),
            containers(&[with(cm(0, 0), json!({"example.com/aaa": "2"}))]),
            fails("NodeResourcesFit", &[aaa], UU),
        ),
        (
            "extended resource allocatable enforced for unknown resource: absent means 0",
            json!({"containers": containers(&[with(cm(1, 1), json!({"example.com/bbb": "1"}))])}),
            containers(&[cm(0, 0)]),
            fails("NodeResourcesFit", &["Insufficient example.com/bbb"], UU),
        ),
        (
            "kubernetes.io resource capacity enforced",
            json!({"containers": containers(&[with(cm(1, 1), json!({"kubernetes.io/something": "10"}))])}),
            containers(&[cm(0, 0)]),
            fails("NodeResourcesFit", &["Insufficient kubernetes.io/something"], UU),
        ),
        (
            "kubernetes.io resource capacity enforced for init container",
            json!({"initContainers": containers(&[with(cm(1, 1), json!({"subdomain.kubernetes.io/something": "10"}))])}),
            containers(&[cm(0, 0)]),
            fails("NodeResourcesFit", &["Insufficient subdomain.kubernetes.io/something"], UU),
        ),
        (
            "hugepages resource capacity enforced",
            json!({"containers": containers(&[with(cm(1, 1), json!({"hugepages-2Mi": "10"}))])}),
            containers(&[cm(0, 0)]),
            fails("NodeResourcesFit", &["Insufficient hugepages-2Mi"], UU),
        ),
        (
            "hugepages resource allocatable enforced for multiple containers",
            json!({"containers": containers(&[
                with(cm(1, 1), json!({"hugepages-2Mi": "3"})),
                with(cm(1, 1), json!({"hugepages-2Mi": "3"})),
            ])}),
            containers(&[with(cm(0, 0), json!({"hugepages-2Mi": "2"}))]),
            fails("NodeResourcesFit", &["Insufficient hugepages-2Mi"], UU),
        ),
        (
            "resources + pod overhead fits",
            json!({"containers": containers(&[cm(1, 1)]), "overhead": {"cpu": "3m", "memory": "13"}}),
            containers(&[cm(5, 5)]),
            None,
        ),
        (
            "requests + overhead does not fit for memory",
            json!({"containers": containers(&[cm(1, 1)]), "overhead": {"cpu": "1m", "memory": "15"}}),
            containers(&[cm(5, 5)]),
            fails("NodeResourcesFit", &[memory], U),
        ),
        (
            "skip checking extended resource request with quantity zero",
            json!({"containers": containers(&[with(cm(1, 1), json!({"example.com/aaa": "0"}))])}),
            containers(&[with(cm(0, 0), json!({"example.com/aaa": "6"}))]),
            None,
        ),
        (
            "an over-committed cpu and memory do not matter to a pod requesting neither",
            json!({"containers": containers(&[json!({"example.com/aaa": "1"})])}),
            containers(&[with(cm(20, 30), json!({"example.com/aaa": "1"}))]),
            None,
        ),
    ];
    for (name, spec, existing, want) in rows {
        let p = incoming(json!({"spec": spec}));
        let on_node = bound(
            json!({"metadata": {"name": "existing"}, "spec": {"nodeName": "n1", "containers": existing}}),
        );
        assert_eq!(filter(&p, &[fit_node()], &[], &[on_node]), want, "{name}");
    }
}

/// fit_test.go `TestNotEnoughRequests` and `TestStorageRequests`, plus the rules of §10.5 they
/// imply: pods allocatable absent means 0, several reasons at once, over-committed nodes.
#[test]
fn node_resources_fit_pods_storage_and_edges() {
    // TestNotEnoughRequests: allocatable 10m, 20 bytes, 1 pod; one pod already there.
    let one_pod_node = || {
        node(
            "n1",
            json!({"status": {"allocatable": {"cpu": "10m", "memory": "20", "pods": "1"}}}),
        )
    };
    // TestStorageRequests uses fit_node (20 bytes of ephemeral storage).
    type Row = (&'static str, Node, Value, Vec<Value>, Want);
    let too_many = fails("NodeResourcesFit", &[REASON_TOO_MANY_PODS], U);
    let rows: Vec<Row> = vec![
        (
            "even without specified resources, predicate fails when there's no space for additional pod",
            one_pod_node(),
            json!({}),
            vec![containers(&[cm(10, 20)])],
            too_many.clone(),
        ),
        (
            "even if both resources fit, predicate fails when there's no space for additional pod",
            one_pod_node(),
            json!({"containers": containers(&[cm(1, 1)])}),
            vec![containers(&[cm(5, 5)])],
            too_many.clone(),
        ),
        (
            "even for equal edge case, predicate fails when there's no space for additional pod",
            one_pod_node(),
            json!({"containers": containers(&[cm(5, 1)])}),
            vec![containers(&[cm(5, 19)])],
            too_many.clone(),
        ),
        (
            "even for equal edge case, predicate fails when there's no space for additional pod due to init container",
            one_pod_node(),
            json!({"containers": containers(&[cm(5, 1)]), "initContainers": containers(&[cm(5, 1)])}),
            vec![containers(&[cm(5, 19)])],
            too_many.clone(),
        ),
        (
            "Too many pods comes first and the resource reasons follow it",
            one_pod_node(),
            json!({"containers": containers(&[cm(6, 2)])}),
            vec![containers(&[cm(5, 19)])],
            fails(
                "NodeResourcesFit",
                &[REASON_TOO_MANY_PODS, "Insufficient cpu", "Insufficient memory"],
                U,
            ),
        ),
        (
            "pods allocatable absent means no pod is admitted, even one requesting nothing",
            node("n1", json!({"status": {"allocatable": {"cpu": "4", "memory": "8Gi"}}})),
            json!({}),
            vec![],
            too_many.clone(),
        ),
        (
            "no status.allocatable at all: Too many pods and Insufficient cpu, and preemption cannot help",
            node("n1", json!({})),
            json!({"containers": containers(&[json!({"cpu": "100m"})])}),
            vec![],
            fails("NodeResourcesFit", &[REASON_TOO_MANY_PODS, "Insufficient cpu"], UU),
        ),
        (
            "empty storage requested, and pod fits",
            fit_node(),
            json!({"containers": containers(&[cm(1, 1)])}),
            vec![containers(&[cm(2, 10)])],
            None,
        ),
        (
            "storage ephemeral local storage request exceeds allocatable",
            fit_node(),
            json!({"containers": containers(&[json!({"ephemeral-storage": "25"})])}),
            vec![containers(&[cm(2, 2)])],
            fails("NodeResourcesFit", &["Insufficient ephemeral-storage"], UU),
        ),
        (
            "ephemeral local storage is sufficient",
            fit_node(),
            json!({"containers": containers(&[json!({"ephemeral-storage": "5"})])}),
            vec![containers(&[with(cm(2, 2), json!({"ephemeral-storage": "10"}))])],
            None,
        ),
        (
            "ephemeral storage in use makes an otherwise small request not fit",
            fit_node(),
            json!({"containers": containers(&[json!({"ephemeral-storage": "11"})])}),
            vec![containers(&[with(cm(2, 2), json!({"ephemeral-storage": "10"}))])],
            fails("NodeResourcesFit", &["Insufficient ephemeral-storage"], U),
        ),
        (
            "pod fits",
            fit_node(),
            json!({"containers": containers(&[json!({"ephemeral-storage": "10"})])}),
            vec![containers(&[cm(2, 2)])],
            None,
        ),
        (
            "an already over-committed node rejects any positive cpu request",
            roomy("n1"),
            json!({"containers": containers(&[json!({"cpu": "1m"})])}),
            vec![containers(&[json!({"cpu": "5"})])],
            fails("NodeResourcesFit", &["Insufficient cpu"], U),
        ),
        (
            "requests equal to what is left fit exactly",
            roomy("n1"),
            json!({"containers": containers(&[json!({"cpu": "1500m", "memory": "4Gi"})])}),
            vec![containers(&[json!({"cpu": "2500m", "memory": "4Gi"})])],
            None,
        ),
        (
            "one millicore or one byte more than what is left does not fit",
            roomy("n1"),
            json!({"containers": containers(&[json!({"cpu": "1501m", "memory": "4294967297"})])}),
            vec![containers(&[json!({"cpu": "2500m", "memory": "4Gi"})])],
            fails("NodeResourcesFit", &["Insufficient cpu", "Insufficient memory"], U),
        ),
        (
            "a limit without a request counts as the request",
            roomy("n1"),
            json!({"containers": [{"resources": {"limits": {"cpu": "5"}}}]}),
            vec![],
            fails("NodeResourcesFit", &["Insufficient cpu"], UU),
        ),
        (
            "a request above the node's allocatable is unresolvable even on an empty node",
            roomy("n1"),
            json!({"containers": containers(&[json!({"memory": "9Gi"})])}),
            vec![],
            fails("NodeResourcesFit", &["Insufficient memory"], UU),
        ),
    ];
    for (name, n, spec, existing, want) in rows {
        let p = incoming(json!({"spec": spec}));
        let pods: Vec<BoundPod> = existing
            .into_iter()
            .enumerate()
            .map(|(i, cs)| {
                bound(json!({"metadata": {"name": format!("existing-{i}")}, "spec": {"nodeName": "n1", "containers": cs}}))
            })
            .collect();
        assert_eq!(filter(&p, &[n], &[], &pods), want, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// InterPodAffinity (placement.md §10.7)

fn sel(key: &str, op: &str, values: &[&str]) -> Value {
    let mut r = json!({"key": key, "operator": op});
    if !values.is_empty() {
        merge(&mut r, json!({"values": values}));
    }
    json!({"matchExpressions": [r]})
}

fn term(selector: Value, topology: &str) -> Value {
    json!({"labelSelector": selector, "topologyKey": topology})
}

/// `spec` fragment with required pod affinity and anti-affinity terms.
fn pod_affinity(affinity: Vec<Value>, anti: Vec<Value>) -> Value {
    let mut a = json!({});
    if !affinity.is_empty() {
        merge(
            &mut a,
            json!({"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": affinity}}),
        );
    }
    if !anti.is_empty() {
        merge(
            &mut a,
            json!({"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": anti}}),
        );
    }
    json!({"affinity": a})
}

fn namespaces() -> Vec<Namespace> {
    [
        ("subteam1.team1", "team1"),
        ("subteam2.team1", "team1"),
        ("subteam1.team2", "team2"),
    ]
    .iter()
    .map(|(name, team)| {
        serde_json::from_value(json!({"metadata": {"name": name, "labels": {"team": team}}}))
            .unwrap()
    })
    .collect()
}

/// filtering_test.go `TestRequiredAffinitySingleNode`: node1 is labelled region=r1, zone=z11.
#[test]
fn inter_pod_affinity_single_node() {
    let node1 = || {
        node(
            "node1",
            json!({
                "metadata": {"labels": {"region": "r1", "zone": "z11"}},
                "status": {"allocatable": {"pods": "110"}},
            }),
        )
    };
    let pod_label = json!({"service": "securityscan"});
    let pod_label2 = json!({"security": "S1"});
    // upstream `pod`: labelled service=securityscan, on node1.
    let scan = || {
        bound(
            json!({"metadata": {"name": "scan", "labels": pod_label}, "spec": {"nodeName": "node1"}}),
        )
    };
    let p = |ns: &str, labels: &Value, spec: Value| {
        incoming(json!({"metadata": {"namespace": ns, "labels": labels}, "spec": spec}))
    };
    let affinity_fails = fails("InterPodAffinity", &[REASON_AFFINITY], UU);
    let anti_fails = fails("InterPodAffinity", &[REASON_ANTI_AFFINITY], U);
    let existing_fails = fails("InterPodAffinity", &[REASON_EXISTING_ANTI_AFFINITY], U);
    let rows: Vec<(&str, IncomingPod, Vec<BoundPod>, Want)> = vec![
        (
            "A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods",
            p("default", &json!({}), json!({})),
            vec![],
            None,
        ),
        (
            "satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod",
            p("default", &pod_label2, pod_affinity(vec![term(sel("service", "In", &["securityscan", "value2"]), "region")], vec![])),
            vec![scan()],
            None,
        ),
        (
            "satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod",
            p("default", &pod_label2, pod_affinity(vec![term(sel("service", "NotIn", &["securityscan3", "value3"]), "region")], vec![])),
            vec![scan()],
            None,
        ),
        (
            "Does not satisfy the PodAffinity with labelSelector because of diff Namespace",
            p(
                "default",
                &pod_label2,
                pod_affinity(
                    vec![json!({
                        "labelSelector": sel("service", "In", &["securityscan", "value2"]),
                        "namespaces": ["DiffNameSpace"],
                        "topologyKey": "region",
                    })],
                    vec![],
                ),
            ),
            vec![bound(json!({"metadata": {"name": "x", "namespace": "ns", "labels": pod_label}, "spec": {"nodeName": "node1"}}))],
            affinity_fails.clone(),
        ),
        (
            "Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
            p("default", &pod_label, pod_affinity(vec![term(sel("service", "In", &["antivirusscan", "value2"]), "region")], vec![])),
            vec![scan()],
            affinity_fails.clone(),
        ),
        (
            "satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution",
            p(
                "default",
                &pod_label2,
                pod_affinity(
                    vec![
                        term(
                            json!({"matchExpressions": [
                                {"key": "service", "operator": "Exists"},
                                {"key": "wrongkey", "operator": "DoesNotExist"},
                            ]}),
                            "region",
                        ),
                        term(
                            json!({"matchExpressions": [
                                {"key": "service", "operator": "In", "values": ["securityscan"]},
                                {"key": "service", "operator": "NotIn", "values": ["WrongValue"]},
                            ]}),
                            "region",
                        ),
                    ],
                    vec![],
                ),
            ),
            vec![scan()],
            None,
        ),
        (
            "The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item don't match",
            p(
                "default",
                &pod_label2,
                pod_affinity(
                    vec![
                        term(
                            json!({"matchExpressions": [
                                {"key": "service", "operator": "Exists"},
                                {"key": "wrongkey", "operator": "DoesNotExist"},
                            ]}),
                            "region",
                        ),
                        term(
                            json!({"matchExpressions": [
                                {"key": "service", "operator": "In", "values": ["securityscan2"]},
                                {"key": "service", "operator": "NotIn", "values": ["WrongValue"]},
                            ]}),
                            "region",
                        ),
                    ],
                    vec![],
                ),
            ),
            vec![scan()],
            affinity_fails.clone(),
        ),
        (
            "satisfies the PodAffinity and PodAntiAffinity with the existing pod",
            p(
                "default",
                &pod_label2,
                pod_affinity(
                    vec![term(sel("service", "In", &["securityscan", "value2"]), "region")],
                    vec![term(sel("service", "In", &["antivirusscan", "value2"]), "node")],
                ),
            ),
            vec![scan()],
            None,
        ),
        (
            "satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod",
            p(
                "default",
                &pod_label2,
                pod_affinity(
                    vec![term(sel("service", "In", &["securityscan", "value2"]), "region")],
                    vec![term(sel("service", "In", &["antivirusscan", "value2"]), "node")],
                ),
            ),
            vec![bound(json!({
                "metadata": {"name": "scan", "labels": pod_label},
                "spec": with(json!({"nodeName": "node1"}), pod_affinity(vec![], vec![term(sel("service", "In", &["antivirusscan", "value2"]), "node")])),
            }))],
            None,
        ),
        (
            "satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
            p(
                "default",
                &pod_label2,
                pod_affinity(
                    vec![term(sel("service", "In", &["securityscan", "value2"]), "region")],
                    vec![term(sel("service", "In", &["securityscan", "value2"]), "zone")],
                ),
            ),
            vec![scan()],
            anti_fails.clone(),
        ),
        (
            "satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity symmetry with the existing pod",
            p(
                "default",
                &pod_label,
                pod_affinity(
                    vec![term(sel("service", "In", &["securityscan", "value2"]), "region")],
                    vec![term(sel("service", "In", &["antivirusscan", "value2"]), "node")],
                ),
            ),
            vec![bound(json!({
                "metadata": {"name": "scan", "labels": pod_label},
                "spec": with(json!({"nodeName": "node1"}), pod_affinity(vec![], vec![term(sel("service", "In", &["securityscan", "value2"]), "zone")])),
            }))],
            existing_fails.clone(),
        ),
        (
            "pod matches its own Label in PodAffinity and that matches the existing pod Labels",
            p("default", &pod_label, pod_affinity(vec![term(sel("service", "NotIn", &["securityscan", "value2"]), "region")], vec![])),
            vec![bound(json!({"metadata": {"name": "x", "labels": pod_label}, "spec": {"nodeName": "node2"}}))],
            affinity_fails.clone(),
        ),
        (
            "verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod",
            p("default", &pod_label, json!({})),
            vec![bound(json!({
                "metadata": {"name": "scan", "labels": pod_label},
                "spec": with(json!({"nodeName": "node1"}), pod_affinity(vec![], vec![term(sel("service", "In", &["securityscan", "value2"]), "zone")])),
            }))],
            existing_fails.clone(),
        ),
        (
            "verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod",
            p("default", &pod_label, json!({})),
            vec![bound(json!({
                "metadata": {"name": "scan", "labels": pod_label},
                "spec": with(json!({"nodeName": "node1"}), pod_affinity(vec![], vec![term(sel("service", "NotIn", &["securityscan", "value2"]), "zone")])),
            }))],
            None,
        ),
        (
            "satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
            p(
                "default",
                &pod_label,
                pod_affinity(
                    vec![],
                    vec![term(sel("service", "Exists", &[]), "region"), term(sel("security", "Exists", &[]), "region")],
                ),
            ),
            vec![bound(json!({
                "metadata": {"name": "s1", "labels": pod_label2},
                "spec": with(json!({"nodeName": "node1"}), pod_affinity(vec![], vec![term(sel("security", "Exists", &[]), "zone")])),
            }))],
            anti_fails.clone(),
        ),
        (
            "PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms",
            p(
                "default",
                &pod_label,
                pod_affinity(
                    vec![],
                    vec![term(sel("service", "Exists", &[]), "zone"), term(sel("security", "Exists", &[]), "zone")],
                ),
            ),
            vec![bound(json!({
                "metadata": {"name": "s1", "labels": pod_label2},
                "spec": with(json!({"nodeName": "node1"}), pod_affinity(vec![], vec![term(sel("security", "Exists", &[]), "zone")])),
            }))],
            anti_fails.clone(),
        ),
        (
            "PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match each other on AffinityTerms",
            p("default", &pod_label2, pod_affinity(vec![], vec![term(sel("security", "Exists", &[]), "zone")])),
            vec![bound(json!({
                "metadata": {"name": "scan", "labels": pod_label},
                "spec": with(
                    json!({"nodeName": "node1"}),
                    pod_affinity(vec![], vec![term(sel("service", "Exists", &[]), "zone"), term(sel("security", "Exists", &[]), "zone")]),
                ),
            }))],
            existing_fails.clone(),
        ),
        (
            "PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms",
            p(
                "default",
                &json!({"abc": "", "xyz": ""}),
                pod_affinity(vec![], vec![term(sel("abc", "Exists", &[]), "zone"), term(sel("def", "Exists", &[]), "zone")]),
            ),
            vec![bound(json!({
                "metadata": {"name": "d", "labels": {"def": "", "xyz": ""}},
                "spec": with(
                    json!({"nodeName": "node1"}),
                    pod_affinity(vec![], vec![term(sel("abc", "Exists", &[]), "zone"), term(sel("def", "Exists", &[]), "zone")]),
                ),
            }))],
            anti_fails.clone(),
        ),
        (
            "affinity with NamespaceSelector",
            p(
                "default",
                &pod_label2,
                pod_affinity(
                    vec![json!({
                        "labelSelector": sel("service", "In", &["securityscan", "value2"]),
                        "namespaceSelector": sel("team", "In", &["team1"]),
                        "topologyKey": "region",
                    })],
                    vec![],
                ),
            ),
            vec![bound(json!({"metadata": {"name": "x", "namespace": "subteam1.team1", "labels": pod_label}, "spec": {"nodeName": "node1"}}))],
            None,
        ),
        (
            "affinity with non-matching NamespaceSelector",
            p(
                "default",
                &pod_label2,
                pod_affinity(
                    vec![json!({
                        "labelSelector": sel("service", "In", &["securityscan", "value2"]),
                        "namespaceSelector": sel("team", "In", &["team1"]),
                        "topologyKey": "region",
                    })],
                    vec![],
                ),
            ),
            vec![bound(json!({"metadata": {"name": "x", "namespace": "subteam1.team2", "labels": pod_label}, "spec": {"nodeName": "node1"}}))],
            affinity_fails.clone(),
        ),
        (
            "anti-affinity with matching NamespaceSelector",
            p(
                "subteam1.team1",
                &pod_label2,
                pod_affinity(
                    vec![],
                    vec![json!({
                        "labelSelector": sel("service", "In", &["securityscan", "value2"]),
                        "namespaceSelector": sel("team", "In", &["team1"]),
                        "topologyKey": "zone",
                    })],
                ),
            ),
            vec![bound(json!({"metadata": {"name": "x", "namespace": "subteam2.team1", "labels": pod_label}, "spec": {"nodeName": "node1"}}))],
            anti_fails.clone(),
        ),
        (
            "anti-affinity with matching all NamespaceSelector",
            p(
                "subteam1.team1",
                &pod_label2,
                pod_affinity(
                    vec![],
                    vec![json!({
                        "labelSelector": sel("service", "In", &["securityscan", "value2"]),
                        "namespaceSelector": {},
                        "topologyKey": "zone",
                    })],
                ),
            ),
            vec![bound(json!({"metadata": {"name": "x", "namespace": "subteam2.team1", "labels": pod_label}, "spec": {"nodeName": "node1"}}))],
            anti_fails.clone(),
        ),
        (
            "anti-affinity with non-matching NamespaceSelector",
            p(
                "subteam1.team1",
                &pod_label2,
                pod_affinity(
                    vec![],
                    vec![json!({
                        "labelSelector": sel("service", "In", &["securityscan", "value2"]),
                        "namespaceSelector": sel("team", "In", &["team1"]),
                        "topologyKey": "zone",
                    })],
                ),
            ),
            vec![bound(json!({"metadata": {"name": "x", "namespace": "subteam1.team2", "labels": pod_label}, "spec": {"nodeName": "node1"}}))],
            None,
        ),
    ];
    let ns = namespaces();
    for (name, pod, pods, want) in rows {
        assert_eq!(filter(&pod, &[node1()], &ns, &pods), want, "{name}");
    }
}

/// filtering_test.go `TestRequiredAffinityMultipleNodes`, each row pinned to one of its nodes,
/// and the daemon-pod consequences of placement.md §10.7.
#[test]
fn inter_pod_affinity_across_nodes() {
    let n = |name: &str, labels: Value| {
        node(
            name,
            json!({"metadata": {"labels": labels}, "status": {"allocatable": {"pods": "110"}}}),
        )
    };
    let china = || {
        vec![
            n("node1", json!({"region": "China"})),
            n("node2", json!({"region": "China", "az": "az1"})),
            n("node3", json!({"region": "India"})),
        ]
    };
    let foo_bar_on_node1 = || {
        bound(
            json!({"metadata": {"name": "p1", "labels": {"foo": "bar"}}, "spec": {"nodeName": "node1"}}),
        )
    };
    let affinity_fails = fails("InterPodAffinity", &[REASON_AFFINITY], UU);
    let anti_fails = fails("InterPodAffinity", &[REASON_ANTI_AFFINITY], U);
    let existing_fails = fails("InterPodAffinity", &[REASON_EXISTING_ANTI_AFFINITY], U);
    let group = || {
        incoming(json!({
            "metadata": {"labels": {"foo": "bar", "service": "securityscan"}},
            "spec": pod_affinity(
                vec![term(sel("foo", "In", &["bar"]), "zone"), term(sel("service", "In", &["securityscan"]), "zone")],
                vec![],
            ),
        }))
    };
    let region_affinity = || {
        incoming(
            json!({"spec": pod_affinity(vec![term(sel("foo", "In", &["bar"]), "region")], vec![])}),
        )
    };
    let anti_abc = || {
        incoming(
            json!({"spec": pod_affinity(vec![], vec![term(sel("foo", "In", &["abc"]), "region")])}),
        )
    };
    // (name, nodes, the pinned node, pod, existing pods, expected)
    type Row = (
        &'static str,
        Vec<Node>,
        &'static str,
        IncomingPod,
        Vec<BoundPod>,
        Want,
    );
    let rows: Vec<Row> = vec![
        (
            "affinity is satisfied on the node holding the matching pod",
            china(),
            "node1",
            region_affinity(),
            vec![foo_bar_on_node1()],
            None,
        ),
        (
            "affinity is satisfied on another node of the same region",
            china(),
            "node2",
            region_affinity(),
            vec![foo_bar_on_node1()],
            None,
        ),
        (
            "affinity fails in another region",
            china(),
            "node3",
            region_affinity(),
            vec![foo_bar_on_node1()],
            affinity_fails.clone(),
        ),
        (
            "The first pod of the collection should not be blocked: a pod matching one term only does not count",
            vec![
                n("nodeA", json!({"zone": "az1", "hostname": "h1"})),
                n("nodeB", json!({"zone": "az2", "hostname": "h2"})),
            ],
            "nodeA",
            group(),
            vec![bound(json!({"metadata": {"name": "p1", "labels": {"foo": "bar"}}, "spec": {"nodeName": "nodeA"}}))],
            None,
        ),
        (
            "The first pod of the collection may go to any zone, not only the one of a partial match",
            vec![
                n("nodeA", json!({"zone": "az1", "hostname": "h1"})),
                n("nodeB", json!({"zone": "az2", "hostname": "h2"})),
            ],
            "nodeB",
            group(),
            vec![bound(json!({"metadata": {"name": "p1", "labels": {"foo": "bar"}}, "spec": {"nodeName": "nodeA"}}))],
            None,
        ),
        (
            "The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys",
            vec![
                n("nodeA", json!({"zoneLabel": "az1", "hostname": "h1"})),
                n("nodeB", json!({"zoneLabel": "az2", "hostname": "h2"})),
            ],
            "nodeA",
            group(),
            vec![bound(json!({"metadata": {"name": "p1", "labels": {"foo": "bar"}}, "spec": {"nodeName": "nodeA"}}))],
            affinity_fails.clone(),
        ),
        (
            "once a pod matching every term runs in one zone, the group must follow it there",
            vec![
                n("nodeA", json!({"zone": "az1"})),
                n("nodeB", json!({"zone": "az2"})),
            ],
            "nodeB",
            group(),
            vec![bound(json!({"metadata": {"name": "p1", "labels": {"foo": "bar", "service": "securityscan"}}, "spec": {"nodeName": "nodeA"}}))],
            affinity_fails.clone(),
        ),
        (
            "a pod that does not match its own terms gets no first-pod exception",
            vec![n("nodeA", json!({"zone": "az1"}))],
            "nodeA",
            incoming(json!({"spec": pod_affinity(vec![term(sel("foo", "In", &["bar"]), "zone")], vec![])})),
            vec![],
            affinity_fails.clone(),
        ),
        (
            "NodeA and nodeB have same topologyKey and label value: anti-affinity blocks nodeB too",
            vec![
                n("nodeA", json!({"region": "r1", "hostname": "nodeA"})),
                n("nodeB", json!({"region": "r1", "hostname": "nodeB"})),
            ],
            "nodeB",
            anti_abc(),
            vec![bound(json!({"metadata": {"name": "a", "labels": {"foo": "abc"}}, "spec": {"nodeName": "nodeA"}}))],
            anti_fails.clone(),
        ),
        (
            "anti-affinity matches a pod when any term of the rule matches it",
            vec![
                n("nodeA", json!({"region": "r1", "zone": "z1", "hostname": "nodeA"})),
                n("nodeB", json!({"region": "r1", "zone": "z2", "hostname": "nodeB"})),
            ],
            "nodeB",
            incoming(json!({"spec": pod_affinity(
                vec![],
                vec![term(sel("foo", "In", &["abc"]), "region"), term(sel("service", "In", &["securityscan"]), "zone")],
            )})),
            vec![bound(json!({"metadata": {"name": "a", "labels": {"foo": "abc", "service": "securityscan"}}, "spec": {"nodeName": "nodeA"}}))],
            anti_fails.clone(),
        ),
        (
            "anti-affinity lets the pod onto a node of another region",
            china(),
            "node3",
            anti_abc(),
            vec![bound(json!({"metadata": {"name": "a", "labels": {"foo": "abc"}}, "spec": {"nodeName": "node1"}}))],
            None,
        ),
        (
            "an existing pod's anti-affinity in another namespace does not select the incoming pod",
            china(),
            "node3",
            incoming(json!({
                "metadata": {"namespace": "NS1", "labels": {"foo": "123"}},
                "spec": pod_affinity(vec![], vec![term(sel("foo", "In", &["bar"]), "region")]),
            })),
            vec![
                bound(json!({"metadata": {"name": "a", "namespace": "NS1", "labels": {"foo": "bar"}}, "spec": {"nodeName": "node1"}})),
                bound(json!({"metadata": {"name": "c", "namespace": "NS2"}, "spec": with(
                    json!({"nodeName": "node3"}),
                    pod_affinity(vec![], vec![term(sel("foo", "In", &["123"]), "region")]),
                )})),
            ],
            None,
        ),
        (
            "Test existing pod's anti-affinity: a term whose topologyKey no node has is ignored",
            vec![
                n("nodeA", json!({"region": "r1", "zone": "z1", "hostname": "nodeA"})),
                n("nodeB", json!({"region": "r1", "zone": "z1", "hostname": "nodeB"})),
            ],
            "nodeA",
            incoming(json!({"metadata": {"labels": {"foo": ""}}})),
            vec![bound(json!({"metadata": {"name": "a"}, "spec": with(
                json!({"nodeName": "nodeA"}),
                pod_affinity(vec![], vec![term(sel("foo", "Exists", &[]), "invalid-node-label")]),
            )}))],
            None,
        ),
        (
            "Test incoming pod's anti-affinity: even if labelSelector matches, we still check if topologyKey matches",
            vec![
                n("nodeA", json!({"region": "r1", "zone": "z1", "hostname": "nodeA"})),
                n("nodeB", json!({"region": "r1", "zone": "z1", "hostname": "nodeB"})),
            ],
            "nodeA",
            incoming(json!({"spec": pod_affinity(vec![], vec![term(sel("foo", "Exists", &[]), "invalid-node-label")])})),
            vec![bound(json!({"metadata": {"name": "a", "labels": {"foo": ""}}, "spec": {"nodeName": "nodeA"}}))],
            None,
        ),
        (
            "an existing pod's zone anti-affinity blocks every node of its zone",
            vec![
                n("nodeA", json!({"region": "r1", "zone": "z1", "hostname": "nodeA"})),
                n("nodeB", json!({"region": "r1", "zone": "z1", "hostname": "nodeB"})),
            ],
            "nodeB",
            incoming(json!({"metadata": {"labels": {"foo": "", "bar": ""}}})),
            vec![bound(json!({"metadata": {"name": "a"}, "spec": with(
                json!({"nodeName": "nodeA"}),
                pod_affinity(vec![], vec![term(sel("foo", "Exists", &[]), "zone")]),
            )}))],
            existing_fails.clone(),
        ),
        (
            "a daemon pod's anti-affinity to its own labels by hostname is harmless on another node",
            vec![
                n("nodeA", json!({"kubernetes.io/hostname": "nodeA", "zone": "z1"})),
                n("nodeB", json!({"kubernetes.io/hostname": "nodeB", "zone": "z1"})),
            ],
            "nodeB",
            incoming(json!({
                "metadata": {"labels": {"app": "ds"}},
                "spec": pod_affinity(vec![], vec![term(sel("app", "In", &["ds"]), "kubernetes.io/hostname")]),
            })),
            vec![bound(json!({"metadata": {"name": "ds-a", "labels": {"app": "ds"}}, "spec": with(
                json!({"nodeName": "nodeA"}),
                pod_affinity(vec![], vec![term(sel("app", "In", &["ds"]), "kubernetes.io/hostname")]),
            )}))],
            None,
        ),
        (
            "a daemon pod's anti-affinity to its own labels by zone lets one pod per zone bind",
            vec![
                n("nodeA", json!({"kubernetes.io/hostname": "nodeA", "zone": "z1"})),
                n("nodeB", json!({"kubernetes.io/hostname": "nodeB", "zone": "z1"})),
            ],
            "nodeB",
            incoming(json!({
                "metadata": {"labels": {"app": "ds"}},
                "spec": pod_affinity(vec![], vec![term(sel("app", "In", &["ds"]), "zone")]),
            })),
            vec![bound(json!({"metadata": {"name": "ds-a", "labels": {"app": "ds"}}, "spec": with(
                json!({"nodeName": "nodeA"}),
                pod_affinity(vec![], vec![term(sel("app", "In", &["ds"]), "zone")]),
            )}))],
            anti_fails.clone(),
        ),
    ];
    for (name, nodes, pinned, pod, pods, want) in rows {
        let snap = snapshot(&nodes, &[], &pods);
        let target = snap.node(pinned).expect("pinned node");
        let got = run_filters(&pod, target, &snap)
            .err()
            .map(|f| (f.plugin, f.reasons, f.code));
        assert_eq!(got, want, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// PodTopologySpread (placement.md §10.7)

#[test]
fn topology_spread() {
    let zoned = |name: &str, zone: Option<&str>| {
        let mut labels = json!({"kubernetes.io/hostname": name});
        if let Some(z) = zone {
            merge(&mut labels, json!({"zone": z}));
        }
        node(
            name,
            json!({"metadata": {"labels": labels}, "status": {"allocatable": {"pods": "110"}}}),
        )
    };
    let spreading = |when: &str, policy: Option<&str>| {
        let mut c = json!({
            "maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": when,
            "labelSelector": {"matchLabels": {"app": "ds"}},
        });
        if let Some(p) = policy {
            merge(&mut c, json!({"nodeAffinityPolicy": p}));
        }
        incoming(json!({
            "metadata": {"labels": {"app": "ds"}},
            "spec": {"topologySpreadConstraints": [c]},
        }))
    };
    let ds_on = |name: &str, node: &str| {
        bound(
            json!({"metadata": {"name": name, "labels": {"app": "ds"}}, "spec": {"nodeName": node}}),
        )
    };
    // Zone a holds two matching pods (on a1 and a2), zone b none; the pod is pinned to a3.
    let crowded = || vec![ds_on("p1", "a1"), ds_on("p2", "a2")];
    let nodes_abc = || {
        vec![
            zoned("a3", Some("a")),
            zoned("a1", Some("a")),
            zoned("a2", Some("a")),
            zoned("b1", Some("b")),
        ]
    };
    type Row = (&'static str, Vec<Node>, IncomingPod, Vec<BoundPod>, Want);
    let rows: Vec<Row> = vec![
        (
            "DoNotSchedule on a node without the topology key: missing required label",
            vec![zoned("a3", None)],
            spreading("DoNotSchedule", None),
            vec![],
            fails("PodTopologySpread", &[REASON_SPREAD_LABEL], UU),
        ),
        (
            "ScheduleAnyway never filters, not even without the topology key",
            vec![zoned("a3", None)],
            spreading("ScheduleAnyway", None),
            vec![],
            None,
        ),
        (
            "nodeAffinityPolicy Honor (default): only the pinned node counts, so skew cannot fail",
            nodes_abc(),
            spreading("DoNotSchedule", None),
            crowded(),
            None,
        ),
        (
            "nodeAffinityPolicy Ignore: zone a would hold 3 against 0 in zone b, skew 3 > 1",
            nodes_abc(),
            spreading("DoNotSchedule", Some("Ignore")),
            crowded(),
            fails("PodTopologySpread", &[REASON_SPREAD], U),
        ),
        (
            "nodeAffinityPolicy Ignore: balanced zones leave room for one more",
            nodes_abc(),
            spreading("DoNotSchedule", Some("Ignore")),
            vec![ds_on("p1", "a1"), ds_on("p3", "b1")],
            None,
        ),
    ];
    for (name, nodes, p, pods, want) in rows {
        assert_eq!(filter(&p, &nodes, &[], &pods), want, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// The FailedScheduling message (placement.md §10.6) and preemption (§11)

/// Three nodes; the pod is pinned to `n1`, which has 1 cpu, 2Gi and 110 pods.
fn three_nodes(n1_extra: Value) -> Vec<Node> {
    let mut n1 = json!({
        "metadata": {"labels": {"kubernetes.io/hostname": "n1"}},
        "status": {"allocatable": {"cpu": "1", "memory": "2Gi", "pods": "110"}},
    });
    merge(&mut n1, n1_extra);
    vec![node("n1", n1), roomy("n2"), roomy("n3")]
}

fn busy(name: &str, node: &str, priority: i32, requests: Value) -> BoundPod {
    bound(json!({
        "metadata": {"name": name},
        "spec": {"nodeName": node, "priority": priority, "containers": [requesting(requests)]},
    }))
}

fn daemon_pod(priority: i32, requests: Value, extra: Value) -> IncomingPod {
    let mut spec = json!({"priority": priority, "containers": [requesting(requests)]});
    merge(&mut spec, extra);
    incoming(json!({"metadata": {"labels": {"app": "ds"}}, "spec": spec}))
}

#[test]
fn failed_scheduling_messages() {
    type Row = (
        &'static str,
        Vec<Node>,
        &'static str,
        IncomingPod,
        Vec<BoundPod>,
        &'static str,
    );
    let rows: Vec<Row> = vec![
        (
            "the typical daemon message: short of cpu, nothing preemptible",
            three_nodes(json!({})),
            "n1",
            daemon_pod(0, json!({"cpu": "500m"}), json!({})),
            vec![busy("web", "n1", 0, json!({"cpu": "800m"}))],
            "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
             preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
        ),
        (
            "preemptionPolicy Never: not eligible",
            three_nodes(json!({})),
            "n1",
            daemon_pod(1000, json!({"cpu": "500m"}), json!({"preemptionPolicy": "Never"})),
            vec![busy("web", "n1", 0, json!({"cpu": "800m"}))],
            "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
             preemption: not eligible due to preemptionPolicy=Never.",
        ),
        (
            "an untolerated taint: preemption is not helpful anywhere",
            three_nodes(json!({"spec": {"taints": [{"key": "dedicated", "value": "x", "effect": "NoSchedule"}]}})),
            "n1",
            daemon_pod(0, json!({}), json!({})),
            vec![],
            "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
             preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        ),
        (
            "a request above the pinned node's allocatable: preemption is not helpful",
            three_nodes(json!({})),
            "n1",
            daemon_pod(1000, json!({"cpu": "2"}), json!({})),
            vec![busy("web", "n1", 0, json!({"cpu": "800m"}))],
            "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
             preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        ),
        (
            "several reasons on the pinned node are each counted and sorted as text",
            three_nodes(json!({"status": {"allocatable": {"pods": "1"}}})),
            "n1",
            daemon_pod(0, json!({"cpu": "500m", "memory": "1Gi"}), json!({})),
            vec![busy("web", "n1", 0, json!({"cpu": "800m", "memory": "1500Mi"}))],
            "0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 Too many pods, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
             preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
        ),
        (
            "even lower-priority pods gone the pod does not fit: the filter reason again",
            three_nodes(json!({})),
            "n1",
            daemon_pod(1000, json!({"cpu": "500m"}), json!({})),
            vec![
                busy("critical", "n1", 2000, json!({"cpu": "700m"})),
                busy("low", "n1", 0, json!({"cpu": "100m"})),
            ],
            "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
             preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 Preemption is not helpful for scheduling.",
        ),
        (
            "preemption finds victims: the message carries no preemption part",
            three_nodes(json!({})),
            "n1",
            daemon_pod(1000, json!({"cpu": "500m"}), json!({})),
            vec![busy("web", "n1", 0, json!({"cpu": "800m"}))],
            "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
        ),
        (
            "the pinned node is gone: every node reports the PreFilter reason",
            three_nodes(json!({})),
            "gone",
            daemon_pod(0, json!({}), json!({})),
            vec![],
            "0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
             preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
        ),
        (
            "the pinned node is gone and preemptionPolicy is Never: eligibility is checked first",
            three_nodes(json!({})),
            "gone",
            daemon_pod(0, json!({}), json!({"preemptionPolicy": "Never"})),
            vec![],
            "0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
             preemption: not eligible due to preemptionPolicy=Never.",
        ),
        (
            "a one-node cluster: tied priority is still unschedulable (TestPostFilter)",
            vec![node("node1", json!({"status": {"allocatable": {"pods": "1"}}}))],
            "node1",
            daemon_pod(0, json!({}), json!({})),
            vec![busy("p1", "node1", 0, json!({}))],
            "0/1 nodes are available: 1 Too many pods. \
             preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
        ),
        (
            "eleven other nodes: '1 …' still sorts before '11 …'",
            {
                let mut ns = three_nodes(json!({}));
                ns.extend((4..=12).map(|i| roomy(&format!("n{i}"))));
                ns
            },
            "n1",
            daemon_pod(0, json!({"cpu": "500m"}), json!({})),
            vec![busy("web", "n1", 0, json!({"cpu": "800m"}))],
            "0/12 nodes are available: 1 Insufficient cpu, 11 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
             preemption: 0/12 nodes are available: 1 No preemption victims found for incoming pod, 11 Preemption is not helpful for scheduling.",
        ),
    ];
    for (name, nodes, pinned, pod, pods, want) in rows {
        let v = schedule_pinned(&pod, pinned, &snapshot(&nodes, &[], &pods));
        assert!(!v.binds, "{name}");
        assert_eq!(v.message.as_deref(), Some(want), "{name}");
    }
}

#[test]
fn binding_and_empty_clusters() {
    let nodes = three_nodes(json!({}));
    let v = schedule_pinned(
        &daemon_pod(0, json!({"cpu": "500m"}), json!({})),
        "n1",
        &snapshot(&nodes, &[], &[]),
    );
    assert!(v.binds, "a pod that fits binds: {v:?}");
    assert_eq!((v.message, v.failure, v.preemption), (None, None, None));

    let v = schedule_pinned(
        &daemon_pod(0, json!({}), json!({})),
        "n1",
        &snapshot(&[], &[], &[]),
    );
    assert!(!v.binds);
    assert_eq!(
        v.message.as_deref(),
        Some("no nodes available to schedule pods")
    );
}

/// FitError.Error(): the histogram strings are sorted as plain text, so "11 …" sorts before
/// "2 …". A single pinned node never reports a reason twice, so the counts are fed directly.
#[test]
fn fit_error_sorts_histogram_entries_as_text() {
    let reasons = vec![
        REASON_TOO_MANY_PODS.to_string(),
        REASON_TOO_MANY_PODS.to_string(),
    ];
    assert_eq!(
        fit_error(12, &reasons, ""),
        "0/12 nodes are available: 11 node(s) didn't satisfy plugin(s) [NodeAffinity], 2 Too many pods."
    );
    assert_eq!(
        fit_error(2, &["Insufficient cpu".to_string()], "preemption: x"),
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: x"
    );
    assert_eq!(
        fit_error(
            1,
            &[
                "Insufficient memory".to_string(),
                "Insufficient cpu".to_string()
            ],
            ""
        ),
        "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory."
    );
}

/// default_preemption_test.go `TestPostFilter` and `TestDryRunPreemption` rows for one node
/// (500m cpu, 500 bytes, 32 pods as `st.MakeNode().Capacity(veryLargeRes)`); placement.md §11.
#[test]
fn preemption_victims() {
    let small = json!({"cpu": "100m", "memory": "100"});
    let medium = json!({"cpu": "200m", "memory": "200"});
    let large = json!({"cpu": "300m", "memory": "300"});
    let (low, mid, high) = (0, 100, 1000);
    let node1 = || {
        vec![node(
            "node1",
            json!({
                "metadata": {"labels": {"hostname": "node1"}},
                "status": {"allocatable": {"cpu": "500m", "memory": "500", "pods": "32"}},
            }),
        )]
    };
    let victims = |names: &[&str]| Preemption::Victims {
        pods: names.iter().map(|n| format!("default/{n}")).collect(),
        pdb_violations: 0,
    };
    type Row = (
        &'static str,
        Vec<Node>,
        IncomingPod,
        Vec<BoundPod>,
        Preemption,
    );
    let rows: Vec<Row> = vec![
        (
            "pod with higher priority can be made schedulable (one-pod node)",
            vec![node("node1", json!({"status": {"allocatable": {"pods": "1"}}}))],
            daemon_pod(high, json!({}), json!({})),
            vec![busy("p1", "node1", 0, json!({}))],
            victims(&["p1"]),
        ),
        (
            "pod with tied priority is still unschedulable: only strictly lower priorities are victims",
            vec![node("node1", json!({"status": {"allocatable": {"pods": "1"}}}))],
            daemon_pod(0, json!({}), json!({})),
            vec![busy("p1", "node1", 0, json!({}))],
            Preemption::NoVictims,
        ),
        (
            "a pod that would fit on the nodes, but other pods running are higher priority, no preemption would happen",
            node1(),
            daemon_pod(low, large.clone(), json!({})),
            vec![busy("p1", "node1", mid, large.clone())],
            Preemption::NoVictims,
        ),
        (
            "a pod that fits on both nodes when lower priority pods are preempted",
            node1(),
            daemon_pod(high, large.clone(), json!({})),
            vec![busy("p1", "node1", mid, large.clone())],
            victims(&["p1"]),
        ),
        (
            "medium priority pod is preempted, but lower priority one stays as it is small",
            node1(),
            daemon_pod(high, large.clone(), json!({})),
            vec![
                busy("p1.1", "node1", low, small.clone()),
                busy("p1.2", "node1", mid, large.clone()),
            ],
            victims(&["p1.2"]),
        ),
        (
            "mixed priority pods are preempted",
            node1(),
            daemon_pod(high, large.clone(), json!({})),
            vec![
                busy("p1.1", "node1", mid, small.clone()),
                busy("p1.2", "node1", low, small.clone()),
                busy("p1.3", "node1", mid, medium.clone()),
                busy("p1.4", "node1", high, small.clone()),
            ],
            victims(&["p1.2", "p1.3"]),
        ),
        (
            // Upstream reprieves the earlier-started of equal-priority pods first; start times are
            // not modelled, so input order stands in for them (p1.2 started before p1.1).
            "mixed priority pods are preempted, pick later StartTime one when priorities are equal",
            node1(),
            daemon_pod(high, large.clone(), json!({})),
            vec![
                busy("p1.2", "node1", low, small.clone()),
                busy("p1.1", "node1", low, small.clone()),
                busy("p1.3", "node1", mid, medium.clone()),
                busy("p1.4", "node1", high, small.clone()),
            ],
            victims(&["p1.1", "p1.3"]),
        ),
        (
            "pod with anti-affinity is preempted",
            node1(),
            incoming(json!({
                "metadata": {"labels": {"foo": ""}},
                "spec": {"priority": high, "containers": [requesting(small.clone())]},
            })),
            vec![
                bound(json!({
                    "metadata": {"name": "p1.1", "labels": {"foo": ""}},
                    "spec": with(
                        json!({"nodeName": "node1", "priority": low, "containers": [requesting(small.clone())]}),
                        pod_affinity(vec![], vec![term(sel("foo", "Exists", &[]), "hostname")]),
                    ),
                })),
                busy("p1.2", "node1", mid, small.clone()),
                busy("p1.3", "node1", high, small.clone()),
            ],
            victims(&["p1.1"]),
        ),
        (
            "a host port held by a lower-priority pod is freed by preempting it",
            node1(),
            incoming(json!({"spec": {"priority": high, "containers": [{"ports": [{"containerPort": 80, "hostPort": 80}]}]}})),
            vec![
                bound(json!({"metadata": {"name": "web"}, "spec": {"nodeName": "node1", "priority": low, "containers": [{"ports": [{"containerPort": 80, "hostPort": 80}]}]}})),
                busy("other", "node1", low, small.clone()),
            ],
            victims(&["web"]),
        ),
        (
            "no enough resource after removing low priority pods: the filter's reasons",
            node1(),
            daemon_pod(high, large.clone(), json!({})),
            vec![
                busy("p1", "node1", high, large.clone()),
                busy("p2", "node1", low, small.clone()),
            ],
            Preemption::NotEnough {
                reasons: vec!["Insufficient cpu".into(), "Insufficient memory".into()],
            },
        ),
        (
            "an existing higher-priority pod's anti-affinity cannot be preempted away",
            node1(),
            incoming(json!({
                "metadata": {"labels": {"foo": ""}},
                "spec": {"priority": mid, "containers": [requesting(small.clone())]},
            })),
            vec![
                bound(json!({
                    "metadata": {"name": "guard"},
                    "spec": with(
                        json!({"nodeName": "node1", "priority": high}),
                        pod_affinity(vec![], vec![term(sel("foo", "Exists", &[]), "hostname")]),
                    ),
                })),
                busy("p2", "node1", low, small.clone()),
            ],
            Preemption::NotEnough {
                reasons: vec![REASON_EXISTING_ANTI_AFFINITY.into()],
            },
        ),
        (
            "a request above the node's allocatable: preemption is not helpful",
            node1(),
            daemon_pod(high, json!({"cpu": "600m"}), json!({})),
            vec![busy("p1", "node1", low, small.clone())],
            Preemption::NotHelpful,
        ),
        (
            "an untolerated taint: preemption is not helpful",
            vec![node(
                "node1",
                json!({
                    "spec": {"taints": [{"key": "dedicated", "effect": "NoSchedule"}]},
                    "status": {"allocatable": {"pods": "32"}},
                }),
            )],
            daemon_pod(high, json!({}), json!({})),
            vec![busy("p1", "node1", low, json!({}))],
            Preemption::NotHelpful,
        ),
        (
            "preemptionPolicy Never: not eligible even with victims available",
            node1(),
            daemon_pod(high, large.clone(), json!({"preemptionPolicy": "Never"})),
            vec![busy("p1", "node1", low, large.clone())],
            Preemption::NotEligible,
        ),
        (
            "system-node-critical evicts ordinary pods to fit on a full node",
            node1(),
            daemon_pod(2_000_001_000, json!({"cpu": "400m"}), json!({})),
            vec![
                busy("a", "node1", 0, json!({"cpu": "200m"})),
                busy("b", "node1", 0, json!({"cpu": "200m"})),
                busy("c", "node1", 1000, json!({"cpu": "100m"})),
            ],
            victims(&["a", "b"]),
        ),
    ];
    for (name, nodes, pod, pods, want) in rows {
        let v = schedule_pinned(&pod, "node1", &snapshot(&nodes, &[], &pods));
        assert!(!v.binds, "{name}: binds without preemption");
        let got = match v.preemption {
            Some(Preemption::Victims {
                mut pods,
                pdb_violations,
            }) => {
                pods.sort();
                Preemption::Victims {
                    pods,
                    pdb_violations,
                }
            }
            Some(p) => p,
            None => panic!("{name}: no preemption verdict"),
        };
        assert_eq!(got, want, "{name}");
    }
}

/// A PodDisruptionBudget on `app=<app>` in `default` with `allowed` disruptions left.
fn budget(app: &str, allowed: i32) -> Budget {
    let sel = k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector {
        match_labels: Some([("app".to_string(), app.to_string())].into()),
        ..Default::default()
    };
    Budget {
        namespace: "default".into(),
        name: format!("{app}-pdb"),
        selector: Selector::compile(Some(&sel)).unwrap(),
        allowed,
        disrupted: BTreeSet::new(),
    }
}

fn started(mut p: BoundPod, at: i64, app: &str) -> BoundPod {
    p.start_ms = Some(at);
    p.labels.insert("app".into(), app.into());
    p
}

/// `SelectVictimsOnNode`: pods whose eviction would break a budget are reprieved first, so a
/// less important pod goes instead; the order of victims is the order they were chosen.
#[test]
fn budgets_steer_the_victims() {
    let nodes = [node(
        "node1",
        json!({"status": {"allocatable": {"cpu": "500m", "memory": "1Gi", "pods": "32"}}}),
    )];
    let pods = vec![
        started(
            busy("a", "node1", 0, json!({"cpu": "200m"})),
            2_000,
            "guarded",
        ),
        started(busy("b", "node1", 0, json!({"cpu": "200m"})), 1_000, "free"),
        started(busy("c", "node1", 1000, json!({"cpu": "100m"})), 0, "free"),
    ];
    let pod = daemon_pod(2_000, json!({"cpu": "200m"}), json!({}));
    let run = |budgets: Vec<Budget>| {
        let mut snap = snapshot(&nodes, &[], &pods);
        snap.budgets = budgets;
        schedule_pinned(&pod, "node1", &snap).preemption
    };
    // Without budgets the most important go back first: c, then b (started earlier), so a goes.
    assert_eq!(
        run(vec![]),
        Some(Preemption::Victims {
            pods: vec!["default/a".into()],
            pdb_violations: 0
        })
    );
    // a's budget allows no disruption: a is reprieved first and b goes instead.
    assert_eq!(
        run(vec![budget("guarded", 0)]),
        Some(Preemption::Victims {
            pods: vec!["default/b".into()],
            pdb_violations: 0
        })
    );
    // When every candidate is guarded, importance decides again and the violation is counted.
    assert_eq!(
        run(vec![budget("guarded", 0), budget("free", 0)]),
        Some(Preemption::Victims {
            pods: vec!["default/a".into()],
            pdb_violations: 1
        })
    );
}

/// `selectVictimsOnNode` sorts the victims again by importance when both budget-violating and
/// other pods were reprieved, so a more important free pod comes before a guarded one.
#[test]
fn victims_are_sorted_again_after_the_reprieve() {
    let nodes = [node(
        "node1",
        json!({"status": {"allocatable": {"cpu": "300m", "memory": "1Gi", "pods": "32"}}}),
    )];
    let pods = vec![
        started(
            busy("guarded", "node1", 10, json!({"cpu": "100m"})),
            0,
            "guarded",
        ),
        started(busy("high", "node1", 20, json!({"cpu": "100m"})), 0, "free"),
        started(busy("low", "node1", 5, json!({"cpu": "100m"})), 0, "free"),
    ];
    // The pod needs the whole node, so every pod is a victim.
    let pod = daemon_pod(2_000, json!({"cpu": "300m"}), json!({}));
    let mut snap = snapshot(&nodes, &[], &pods);
    snap.budgets = vec![budget("guarded", 0)];
    assert_eq!(
        schedule_pinned(&pod, "node1", &snap).preemption,
        Some(Preemption::Victims {
            pods: vec![
                "default/high".into(),
                "default/guarded".into(),
                "default/low".into()
            ],
            pdb_violations: 1
        })
    );
}

/// `PodEligibleToPreemptOthers`: a pod nominated to a node where an earlier victim is still
/// terminating waits instead of choosing more victims.
#[test]
fn a_nominated_pod_waits_for_its_victims() {
    let nodes = [node(
        "node1",
        json!({"status": {"allocatable": {"cpu": "500m", "memory": "1Gi", "pods": "32"}}}),
    )];
    let mut victim = busy("a", "node1", 0, json!({"cpu": "400m"}));
    victim.terminating_by_preemption = true;
    let pods = vec![victim, busy("b", "node1", 0, json!({"cpu": "100m"}))];
    let mut pod = daemon_pod(2_000, json!({"cpu": "200m"}), json!({}));
    pod.nominated_node = Some("node1".into());
    let v = schedule_pinned(&pod, "node1", &snapshot(&nodes, &[], &pods));
    assert_eq!(v.preemption, Some(Preemption::WaitingForVictims));
    assert_eq!(
        v.message.as_deref(),
        Some("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to a terminating pod on the nominated node.")
    );
    // Not nominated (yet): it may preempt.
    pod.nominated_node = None;
    let v = schedule_pinned(&pod, "node1", &snapshot(&nodes, &[], &pods));
    assert!(matches!(v.preemption, Some(Preemption::Victims { .. })));
}

/// `pickOneNodeForPreemption` for a pod that may go anywhere: fewest budget violations first, then
/// the lowest highest-victim priority, then the fewest victims.
#[test]
fn the_cheapest_node_is_chosen_for_preemption() {
    let small = |n: &str| {
        node(
            n,
            json!({"status": {"allocatable": {"cpu": "1", "memory": "1Gi", "pods": "32"}}}),
        )
    };
    let nodes = [small("n1"), small("n2"), small("n3")];
    let pod = incoming(
        json!({"spec": {"priority": 100, "containers": [requesting(json!({"cpu": "600m"}))]}}),
    );
    let run = |pods: &[BoundPod], budgets: Vec<Budget>| {
        let mut snap = snapshot(&nodes, &[], pods);
        snap.budgets = budgets;
        schedule_anywhere(&pod, &snap).1
    };
    let pods = vec![
        started(busy("a", "n1", 50, json!({"cpu": "800m"})), 0, "x"),
        started(busy("b", "n2", 10, json!({"cpu": "800m"})), 0, "y"),
        started(busy("c", "n3", 10, json!({"cpu": "400m"})), 0, "z"),
        started(busy("d", "n3", 10, json!({"cpu": "400m"})), 0, "z"),
    ];
    assert_eq!(
        run(&pods, vec![]).as_deref(),
        Some("n2"),
        "lowest victim priority, fewest victims"
    );
    assert_eq!(
        run(&pods, vec![budget("y", 0)]).as_deref(),
        Some("n3"),
        "no budget broken beats a lower priority"
    );
}

/// Property: over random nodes and pods, a preemption only names strictly lower-priority pods, the
/// pod fits once they are gone, and sparing any one of them would leave it unable to fit (the
/// set is minimal in that sense); "no victims" and "not enough" are told only when true.
#[test]
fn preemption_is_minimal_and_only_hits_lower_priority() {
    let mut rng = crate::rng::Rng::new(2026);
    for case in 0..400 {
        let cpu = 1 + rng.below(4);
        let nodes = [node(
            "node1",
            json!({"status": {"allocatable": {"cpu": cpu.to_string(), "memory": "4Gi", "pods": (2 + rng.below(8)).to_string()}}}),
        )];
        let pods: Vec<BoundPod> = (0..rng.below(9))
            .map(|i| {
                let mut p = busy(
                    &format!("p{i}"),
                    "node1",
                    (rng.below(11) as i32 - 5) * 100,
                    json!({"cpu": format!("{}m", 100 * (1 + rng.below(10))), "memory": format!("{}Mi", 64 * (1 + rng.below(20)))}),
                );
                p.start_ms = Some(rng.below(1000) as i64);
                p
            })
            .collect();
        let priority = (rng.below(11) as i32 - 5) * 100;
        let pod = daemon_pod(
            priority,
            json!({"cpu": format!("{}m", 100 * (1 + rng.below(12))), "memory": "256Mi"}),
            json!({}),
        );
        let snap = snapshot(&nodes, &[], &pods);
        let fits = |without: &[&str]| {
            let kept: Vec<BoundPod> = pods
                .iter()
                .filter(|p| !without.contains(&p.name.as_str()))
                .cloned()
                .collect();
            run_filters(&pod, &nodes[0], &snapshot(&nodes, &[], &kept)).is_ok()
        };
        let lower: Vec<&str> = pods
            .iter()
            .filter(|p| p.priority < priority)
            .map(|p| p.name.as_str())
            .collect();
        let v = schedule_pinned(&pod, "node1", &snap);
        match v.preemption {
            None => assert!(v.binds && fits(&[]), "case {case}"),
            Some(Preemption::NoVictims) => assert!(lower.is_empty(), "case {case}"),
            Some(Preemption::NotEnough { .. }) => assert!(!fits(&lower), "case {case}"),
            // A request beyond the node's allocatable: no eviction could ever help.
            Some(Preemption::NotHelpful) => {
                let all: Vec<&str> = pods.iter().map(|p| p.name.as_str()).collect();
                assert!(!fits(&all), "case {case}");
            }
            Some(Preemption::Victims { pods: victims, .. }) => {
                let names: Vec<&str> = victims
                    .iter()
                    .map(|v| v.strip_prefix("default/").unwrap())
                    .collect();
                for n in &names {
                    assert!(
                        lower.contains(n),
                        "case {case}: {n} is not of lower priority"
                    );
                }
                assert!(fits(&names), "case {case}: does not fit without {names:?}");
                for spared in &names {
                    let rest: Vec<&str> = names.iter().copied().filter(|n| n != spared).collect();
                    assert!(
                        !fits(&rest),
                        "case {case}: {spared} need not go ({names:?})"
                    );
                }
            }
            Some(other) => panic!("case {case}: {other:?}"),
        }
    }
}
