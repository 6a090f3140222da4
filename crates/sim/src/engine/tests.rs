#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use crate::input::load;

const EXAMPLE_DS: &str = include_str!("../../../../examples/logging-agent/daemonset.yaml");
const EXAMPLE_NODES: &str = include_str!("../../../../examples/logging-agent/nodes.yaml");

fn example() -> Cluster {
    let objects = load(&format!("{EXAMPLE_DS}\n---\n{EXAMPLE_NODES}")).objects;
    Cluster::from_objects(&objects, 1)
}

fn status(c: &Cluster) -> k8s_openapi::api::apps::v1::DaemonSetStatus {
    c.daemon_sets
        .values()
        .next()
        .unwrap()
        .status
        .clone()
        .unwrap()
}

#[test]
fn the_example_settles_like_the_explainer_says() {
    let mut c = example();
    // At once: a pod per targeted node, none Ready yet.
    let s = status(&c);
    assert_eq!(
        (
            s.desired_number_scheduled,
            s.current_number_scheduled,
            s.number_ready
        ),
        (4, 4, 0)
    );
    assert_eq!(c.pods.len(), 4);
    c.run_to_steady_state(10 * time::MINUTE);
    let s = status(&c);
    assert_eq!(
        (
            s.desired_number_scheduled,
            s.current_number_scheduled,
            s.number_ready,
            s.number_available
        ),
        (4, 4, 3, Some(3))
    );
    assert_eq!(s.observed_generation, Some(1));
    let pending: Vec<_> = c
        .pods
        .values()
        .filter(|p| p.spec.as_ref().unwrap().node_name.is_none())
        .collect();
    assert_eq!(pending.len(), 1);
    let names: Vec<&str> = c.pods.keys().map(|k| k.1.as_str()).collect();
    assert!(
        names
            .iter()
            .all(|n| n.starts_with("log-agent-") && n.len() == "log-agent-".len() + 5),
        "{names:?}"
    );
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let mut a = example();
    let mut b = example();
    a.run_to_steady_state(time::MINUTE);
    b.run_to_steady_state(time::MINUTE);
    assert_eq!(
        a.pods.keys().collect::<Vec<_>>(),
        b.pods.keys().collect::<Vec<_>>()
    );
    assert_eq!(a.events, b.events);
}

fn pod_ready_condition(c: &Cluster, node: &str) -> String {
    let p = c
        .pods
        .values()
        .find(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
        .unwrap();
    let conds = p.status.as_ref().unwrap().conditions.as_ref().unwrap();
    conds
        .iter()
        .find(|c| c.type_ == "Ready")
        .unwrap()
        .status
        .clone()
}

#[test]
fn an_unreachable_node_keeps_its_pod_marked_not_ready() {
    let mut c = example();
    c.run_to_steady_state(time::MINUTE);
    assert_eq!(pod_ready_condition(&c, "worker-1"), "True");
    assert!(nodes::set_unreachable(&mut c, "worker-1"));
    let taints: Vec<String> = c.nodes["worker-1"]
        .spec
        .as_ref()
        .unwrap()
        .taints
        .iter()
        .flatten()
        .map(crate::placement::taints::taint_string)
        .collect();
    assert_eq!(
        taints,
        [
            "node.kubernetes.io/unreachable:NoSchedule",
            "node.kubernetes.io/unreachable:NoExecute"
        ]
    );
    assert_eq!(
        pod_ready_condition(&c, "worker-1"),
        "False",
        "MarkPodsNotReady"
    );
    assert!(nodes::set_ready(&mut c, "worker-1", true));
    assert_eq!(pod_ready_condition(&c, "worker-1"), "True");
    assert!(
        c.nodes["worker-1"].spec.as_ref().unwrap().taints.is_none(),
        "the lifecycle taints are cleared"
    );
}
