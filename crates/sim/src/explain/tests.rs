#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use crate::input::load;

/// A cluster from YAML; panics on load errors so a typo in a test cannot pass silently.
fn report(yaml: &str) -> Report {
    let loaded = load(yaml);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "test input has errors: {errors:?}");
    explain(&loaded.objects)
}

fn node(name: &str, extra_spec: &str, alloc: &str) -> String {
    format!(
        "---\napiVersion: v1\nkind: Node\nmetadata: {{name: {name}, labels: {{kubernetes.io/hostname: {name}}}}}\nspec: {{{extra_spec}}}\nstatus:\n  allocatable: {alloc}\n"
    )
}

const ALLOC: &str = "{cpu: '2', memory: 4Gi, pods: '110'}";

fn ds(name: &str, extra_pod_spec: &str) -> String {
    format!(
        "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: {name}, namespace: default}}\nspec:\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers: [{{name: c, image: 'busybox:1.36', resources: {{requests: {{cpu: 500m, memory: 1Gi}}}}}}]\n{extra_pod_spec}"
    )
}

fn outcome(r: &Report, ds: usize, node: &str) -> Outcome {
    r.daemon_sets[ds]
        .nodes
        .iter()
        .find(|n| n.node == node)
        .unwrap()
        .outcome
}

#[test]
fn steady_state_status_counts_follow_update_daemon_set_status() {
    // a: fits. b: untolerated NoSchedule taint (not desired). c: too little memory (Pending:
    // desired and current, not ready). d: cordoned (daemon pods tolerate it: runs).
    let yaml = [
        ds("agent", ""),
        node("a", "", ALLOC),
        node("b", "taints: [{key: k, effect: NoSchedule}]", ALLOC),
        node("c", "", "{cpu: '2', memory: 512Mi, pods: '110'}"),
        node("d", "unschedulable: true", ALLOC),
    ]
    .concat();
    let r = report(&yaml);
    let s = &r.daemon_sets[0].status;
    assert_eq!(
        (
            s.desired_number_scheduled,
            s.current_number_scheduled,
            s.number_ready,
            s.number_available
        ),
        (3, 3, 2, 2)
    );
    assert_eq!(s.number_misscheduled, 0);
    assert_eq!(s.number_unavailable, 1);
    assert_eq!(outcome(&r, 0, "b"), Outcome::NotEligible);
    assert_eq!(outcome(&r, 0, "c"), Outcome::Pending);
    assert_eq!(outcome(&r, 0, "d"), Outcome::Running);
}

fn existing_daemon_pod(ds: &str, node: &str) -> String {
    format!(
        "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {ds}-x{node}\n  namespace: default\n  labels: {{app: {ds}}}\n  ownerReferences: [{{apiVersion: apps/v1, kind: DaemonSet, name: {ds}, uid: u1, controller: true}}]\nspec:\n  nodeName: {node}\n  containers: [{{name: c, image: 'busybox:1.36'}}]\n"
    )
}

#[test]
fn an_existing_pod_on_a_no_schedule_tainted_node_stays_and_is_misscheduled() {
    let yaml = [
        ds("agent", ""),
        node("a", "taints: [{key: k, effect: NoSchedule}]", ALLOC),
        existing_daemon_pod("agent", "a"),
    ]
    .concat();
    let r = report(&yaml);
    assert_eq!(outcome(&r, 0, "a"), Outcome::KeptMisscheduled);
    let s = &r.daemon_sets[0].status;
    assert_eq!(
        (
            s.desired_number_scheduled,
            s.current_number_scheduled,
            s.number_misscheduled
        ),
        (0, 0, 1)
    );
}

#[test]
fn an_existing_pod_on_a_no_execute_tainted_node_is_deleted_and_frees_its_room() {
    let yaml = [
        ds("agent", ""),
        node("a", "taints: [{key: k, effect: NoExecute}]", ALLOC),
        existing_daemon_pod("agent", "a"),
    ]
    .concat();
    let r = report(&yaml);
    assert_eq!(outcome(&r, 0, "a"), Outcome::Removed);
    assert_eq!(r.daemon_sets[0].status.number_misscheduled, 0);
}

#[test]
fn a_not_ready_node_keeps_its_pod_but_gets_no_new_one() {
    // The node lifecycle controller's taints for Ready=False: not-ready NoSchedule and NoExecute.
    let taints = "taints: [{key: node.kubernetes.io/not-ready, effect: NoSchedule}, {key: node.kubernetes.io/not-ready, effect: NoExecute}]";
    let with_pod = [
        ds("agent", ""),
        node("a", taints, ALLOC),
        existing_daemon_pod("agent", "a"),
    ]
    .concat();
    assert_eq!(
        outcome(&report(&with_pod), 0, "a"),
        Outcome::KeptMisscheduled
    );
    let without = [ds("agent", ""), node("a", taints, ALLOC)].concat();
    assert_eq!(outcome(&report(&without), 0, "a"), Outcome::NotEligible);
}

#[test]
fn a_missing_priority_class_fails_every_create_but_keeps_the_daemon_set() {
    let yaml = [
        ds("agent", "      priorityClassName: high-priority\n"),
        node("a", "", ALLOC),
    ]
    .concat();
    let r = report(&yaml);
    let d = &r.daemon_sets[0];
    assert_eq!(
        d.create_error.as_deref(),
        Some("Error creating: pods \"agent-\" is forbidden: no PriorityClass with name high-priority was found")
    );
    assert_eq!(outcome(&r, 0, "a"), Outcome::CreateFailed);
    assert_eq!(
        (
            d.status.desired_number_scheduled,
            d.status.current_number_scheduled
        ),
        (1, 0)
    );
    assert!(r
        .diagnostics
        .iter()
        .any(|x| x.message.starts_with("FailedCreate: Error creating")));
}

#[test]
fn priority_classes_resolve_builtin_named_and_global_default() {
    let pc = "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high-priority-pod}\nvalue: 1000000\nglobalDefault: false\n";
    let yaml = [
        ds("agent", "      priorityClassName: high-priority-pod\n"),
        pc.to_string(),
        node("a", "", ALLOC),
    ]
    .concat();
    assert_eq!(report(&yaml).daemon_sets[0].priority, 1_000_000);
    let yaml = [
        ds("agent", "      priorityClassName: system-node-critical\n"),
        node("a", "", ALLOC),
    ]
    .concat();
    assert_eq!(report(&yaml).daemon_sets[0].priority, 2_000_001_000);
    let default = "---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: everyone}\nvalue: 50\nglobalDefault: true\n";
    let yaml = [ds("agent", ""), default.to_string(), node("a", "", ALLOC)].concat();
    let d = &report(&yaml).daemon_sets[0];
    assert_eq!(
        (d.priority, d.priority_class_name.as_deref()),
        (50, Some("everyone"))
    );
}

#[test]
fn a_higher_priority_daemon_set_takes_the_room_first_and_would_preempt_lower_pods() {
    // The node fits one 500m/1Gi pod. "low" comes first in the input, "high" has higher
    // priority: the scheduler places "high" first, so "low" stays Pending.
    let alloc = "{cpu: 600m, memory: 4Gi, pods: '110'}";
    let yaml = [
        ds("low", ""),
        ds("high", "      priorityClassName: system-node-critical\n"),
        node("a", "", alloc),
    ]
    .concat();
    let r = report(&yaml);
    assert_eq!(outcome(&r, 1, "a"), Outcome::Running);
    assert_eq!(outcome(&r, 0, "a"), Outcome::Pending);
    let msg = r.daemon_sets[0].nodes[0]
        .scheduler
        .as_ref()
        .unwrap()
        .message
        .clone()
        .unwrap();
    assert_eq!(
        msg,
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
    );
    // An ordinary low-priority pod already on the node is a victim for the critical daemon pod.
    let other = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\nspec:\n  nodeName: a\n  containers: [{name: c, image: nginx, resources: {requests: {cpu: 500m}}}]\n";
    let yaml = [
        ds("high", "      priorityClassName: system-node-critical\n"),
        other.to_string(),
        node("a", "", alloc),
    ]
    .concat();
    let r = report(&yaml);
    let sv = r.daemon_sets[0].nodes[0].scheduler.clone().unwrap();
    assert_eq!(
        sv.preemption,
        Some(scheduler::Preemption::Victims {
            pods: vec!["default/web".into()],
            pdb_violations: 0
        })
    );
    assert_eq!(
        sv.message.as_deref(),
        Some("0/1 nodes are available: 1 Insufficient cpu.")
    );
}

#[test]
fn a_template_node_name_targets_one_node_and_skips_the_scheduler() {
    let yaml = [
        ds("agent", "      nodeName: b\n"),
        node("a", "", ALLOC),
        node("b", "unschedulable: true", ALLOC),
    ]
    .concat();
    let r = report(&yaml);
    assert_eq!(outcome(&r, 0, "a"), Outcome::NotEligible);
    assert_eq!(outcome(&r, 0, "b"), Outcome::Running);
    assert!(r.daemon_sets[0].nodes[1].scheduler.is_none());
}

#[test]
fn a_node_without_allocatable_pods_admits_no_pod_and_says_so() {
    let yaml = [ds("agent", ""), node("a", "", "{cpu: '2', memory: 4Gi}")].concat();
    let r = report(&yaml);
    assert_eq!(outcome(&r, 0, "a"), Outcome::Pending);
    let f = r.daemon_sets[0].nodes[0]
        .scheduler
        .clone()
        .unwrap()
        .failure
        .unwrap();
    assert_eq!(f.reasons, vec!["Too many pods".to_string()]);
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.message.contains("has no status.allocatable.pods")));
}

#[test]
fn the_seed_anti_affinity_example_is_harmless_across_hostnames() {
    // The article's DaemonSet: anti-affinity against k8s-app=fluentd by hostname. Its own pods
    // are labelled name=fluentd, so they never repel each other: one pod per node.
    let seed = "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: fluentd}\nspec:\n  selector: {matchLabels: {name: fluentd}}\n  template:\n    metadata: {labels: {name: fluentd}}\n    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n          - labelSelector:\n              matchExpressions: [{key: k8s-app, operator: In, values: [fluentd]}]\n            topologyKey: kubernetes.io/hostname\n      containers: [{name: fluentd-elasticsearch, image: 'quay.io/fluentd_elasticsearch/fluentd:v2.5.2'}]\n";
    let yaml = [seed.to_string(), node("a", "", ALLOC), node("b", "", ALLOC)].concat();
    let r = report(&yaml);
    assert_eq!(r.daemon_sets[0].status.number_ready, 2);
    // A pod labelled k8s-app=fluentd on node b blocks only node b.
    let blocker = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: old-fluentd, namespace: default, labels: {k8s-app: fluentd}}\nspec:\n  nodeName: b\n  containers: [{name: c, image: x}]\n";
    let yaml = [
        seed.to_string(),
        blocker.to_string(),
        node("a", "", ALLOC),
        node("b", "", ALLOC),
    ]
    .concat();
    let r = report(&yaml);
    assert_eq!(outcome(&r, 0, "a"), Outcome::Running);
    assert_eq!(outcome(&r, 0, "b"), Outcome::Pending);
    let msg = r.daemon_sets[0].nodes[1]
        .scheduler
        .clone()
        .unwrap()
        .message
        .unwrap();
    assert_eq!(
        msg,
        "0/2 nodes are available: 1 node(s) didn't match pod anti-affinity rules, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."
    );
}

#[test]
fn reports_without_details_decide_exactly_as_reports_with_them() {
    // The fast path (no rule-by-rule reasons) on a generated cluster with control-plane, GPU and
    // NoExecute-tainted nodes, against the explained path.
    let mut objects = load(&crate::synth::node_list_json(300, 7)).objects;
    objects.daemon_sets = load(crate::synth::BENCH_DAEMON_SET).objects.daemon_sets;
    objects
        .daemon_sets
        .extend(load(&ds("plain", "")).objects.daemon_sets);
    let fast = explain_with(&objects, ExplainOptions { details: false });
    let full = explain(&objects);
    for (f, d) in fast.daemon_sets.iter().zip(&full.daemon_sets) {
        assert_eq!(f.status, d.status);
        for (a, b) in f.nodes.iter().zip(&d.nodes) {
            let c = b.controller.as_ref().unwrap();
            assert_eq!(
                (a.should_run, a.should_continue_running),
                (c.should_run, c.should_continue_running),
                "{}",
                a.node
            );
            assert_eq!(
                (a.outcome, &a.summary, &a.scheduler),
                (b.outcome, &b.summary, &b.scheduler),
                "{}",
                a.node
            );
            assert!(a.controller.is_none());
        }
    }
    let s = &full.daemon_sets[0].status;
    assert!(
        s.desired_number_scheduled > 250 && s.desired_number_scheduled < 300,
        "{s:?}"
    );
}

#[test]
fn a_priority_or_preemption_policy_in_the_template_must_be_the_computed_one() {
    // plugin/pkg/admission/priority/admission.go refuses a pod whose spec.priority or
    // spec.preemptionPolicy differs from what its class (here none: 0, PreemptLowerPriority)
    // gives; the words are those the API server returns to the DaemonSet controller.
    let r = report(&[ds("agent", "      priority: 5\n"), node("a", "", ALLOC)].concat());
    assert_eq!(
        r.daemon_sets[0].create_error.as_deref(),
        Some("Error creating: pods \"agent-\" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name")
    );
    let r = report(
        &[
            ds("agent", "      preemptionPolicy: Never\n"),
            node("a", "", ALLOC),
        ]
        .concat(),
    );
    assert_eq!(
        r.daemon_sets[0].create_error.as_deref(),
        Some("Error creating: pods \"agent-\" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name")
    );
    // The computed values themselves are accepted.
    let r = report(
        &[
            ds(
                "agent",
                "      priority: 0\n      preemptionPolicy: PreemptLowerPriority\n",
            ),
            node("a", "", ALLOC),
        ]
        .concat(),
    );
    assert_eq!(r.daemon_sets[0].create_error, None);
}
