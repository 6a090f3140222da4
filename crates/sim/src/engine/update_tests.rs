//! The DaemonSet controller's update tests, sync by sync, after upstream
//! `pkg/controller/daemon/update_test.go` and the history cases of `daemon_controller_test.go`.
//!
//! Upstream drives the controller with a fake pod control: each `syncDaemonSet` call is counted
//! as (pods created, pods deleted), readiness is set by hand, and the clock is a fake one. The
//! harness here does the same with the real controller code: it calls [`daemon::sync`] directly,
//! never runs the scheduler or the kubelet (pods stay unbound, so a deletion removes them at once,
//! as the fake control does), marks pods Ready itself and sets the clock.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::daemon::{self, HASH_LABEL};
use super::time::SECOND;
use super::{kubelet, nodes, Cluster, Key};
use crate::input::load;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use std::collections::BTreeSet;

/// `newDaemonSet("foo")` with the given update strategy (YAML under `updateStrategy:`).
fn daemon_set(strategy: &str, image: &str, min_ready: i32) -> DaemonSet {
    let yaml = format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: foo, namespace: default}}\nspec:\n  minReadySeconds: {min_ready}\n  selector: {{matchLabels: {{name: simple-daemon, type: production}}}}\n  updateStrategy: {strategy}\n  template:\n    metadata: {{labels: {{name: simple-daemon, type: production}}}}\n    spec:\n      containers: [{{name: foo, image: '{image}'}}]\n"
    );
    let loaded = load(&yaml);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.objects.daemon_sets.into_iter().next().unwrap()
}

const ON_DELETE: &str = "{type: OnDelete}";

fn unavailable(n: &str) -> String {
    format!("{{type: RollingUpdate, rollingUpdate: {{maxUnavailable: {n}}}}}")
}

fn surge(n: &str) -> String {
    format!("{{type: RollingUpdate, rollingUpdate: {{maxUnavailable: 0, maxSurge: {n}}}}}")
}

struct Harness {
    c: Cluster,
    ds: Key,
}

impl Harness {
    /// `addNodes(0, n)` and the DaemonSet, nothing synced yet.
    fn new(n: usize, ds: DaemonSet) -> Harness {
        let mut c = Cluster::new(7);
        for i in 0..n {
            let mut node = Node {
                metadata: c.new_meta(&format!("node-{i}"), None),
                ..Default::default()
            };
            nodes::ensure_ready_condition(&mut node, 0);
            c.nodes.insert(format!("node-{i}"), node);
        }
        let key = super::key_of(&ds.metadata);
        c.apply_daemon_set(ds);
        Harness { c, ds: key }
    }

    fn live_pods(&self) -> BTreeSet<Key> {
        self.c
            .pods
            .iter()
            .filter(|(_, p)| p.metadata.deletion_timestamp.is_none())
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// One `syncDaemonSet`: (pods created, pods deleted).
    fn sync(&mut self) -> (usize, usize) {
        let before = self.live_pods();
        daemon::sync(&mut self.c, &self.ds);
        let after = self.live_pods();
        (
            after.difference(&before).count(),
            before.difference(&after).count(),
        )
    }

    /// `expectSyncDaemonSets(creates, deletes)`, labelled with the step for a readable failure.
    fn expect(&mut self, step: &str, creates: usize, deletes: usize) {
        assert_eq!(self.sync(), (creates, deletes), "{step}");
    }

    fn at(&mut self, seconds: i64) {
        self.c.now = seconds * SECOND;
    }

    fn update(&mut self, f: impl FnOnce(&mut DaemonSet)) {
        let mut ds = self.c.daemon_sets[&self.ds].clone();
        f(&mut ds);
        self.c.apply_daemon_set(ds);
    }

    /// The upstream tests' update: a new image and the given update strategy in one change.
    fn roll_to(&mut self, strategy: &str, image: &str) {
        let s = daemon_set(strategy, image, 0).spec.unwrap();
        self.update(|ds| {
            let spec = ds.spec.as_mut().unwrap();
            spec.template = s.template;
            spec.update_strategy = s.update_strategy;
        });
    }

    fn set_image(&mut self, image: &str) {
        self.update(|ds| {
            ds.spec
                .as_mut()
                .unwrap()
                .template
                .spec
                .as_mut()
                .unwrap()
                .containers[0]
                .image = Some(image.into());
        });
    }

    fn hash(&self) -> String {
        let ds = &self.c.daemon_sets[&self.ds];
        self.c
            .revisions
            .values()
            .find(|r| daemon::revision_matches(r, ds))
            .and_then(|r| r.metadata.labels.as_ref()?.get(HASH_LABEL).cloned())
            .unwrap_or_default()
    }

    fn pod_hash(&self, k: &Key) -> String {
        self.c.pods[k].metadata.labels.as_ref().unwrap()[HASH_LABEL].clone()
    }

    fn is_ready(&self, k: &Key) -> bool {
        self.c.pods[k]
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
    }

    /// `setPodReadiness`: set Ready to `ready` (transition time = now) on up to `count` live pods
    /// that are not already so and pass `pick`, in pod-name order. Panics if fewer qualify.
    fn set_ready(&mut self, ready: bool, count: usize, pick: impl Fn(&Harness, &Key) -> bool) {
        let chosen: Vec<Key> = self
            .live_pods()
            .into_iter()
            .filter(|k| self.is_ready(k) != ready && pick(self, k))
            .take(count)
            .collect();
        assert_eq!(
            chosen.len(),
            count,
            "could not mark {count} pods ready={ready}"
        );
        let now = self.c.now;
        for k in chosen {
            let p = self.c.pods.get_mut(&k).unwrap();
            kubelet::set_condition(p, now, "Ready", ready);
        }
    }

    /// `markPodsReady`: every pod Ready.
    fn mark_all_ready(&mut self) {
        let n = self
            .live_pods()
            .into_iter()
            .filter(|k| !self.is_ready(k))
            .count();
        self.set_ready(true, n, |_, _| true);
    }

    fn node_of(&self, k: &Key) -> String {
        daemon::target_node(&self.c.pods[k]).unwrap()
    }

    fn status(&mut self) -> (i32, i32, i32, i32, i32) {
        daemon::update_status(&mut self.c, &self.ds);
        let s = self.c.daemon_sets[&self.ds].status.clone().unwrap();
        (
            s.desired_number_scheduled,
            s.current_number_scheduled,
            s.number_ready,
            s.updated_number_scheduled.unwrap_or(0),
            s.number_available.unwrap_or(0),
        )
    }
}

#[test]
fn updates_pods_within_max_unavailable() {
    // TestDaemonSetUpdatesPods: 5 nodes, maxUnavailable 2.
    let mut h = Harness::new(5, daemon_set(ON_DELETE, "foo/bar", 0));
    h.expect("create", 5, 0);
    h.mark_all_ready();
    h.roll_to(&unavailable("2"), "foo2/bar2");
    h.expect("delete the first two", 0, 2);
    assert_eq!(h.status(), (5, 3, 3, 0, 3), "two nodes are empty");
    h.expect("recreate them", 2, 0);
    h.mark_all_ready();
    assert_eq!(h.status(), (5, 5, 5, 2, 5));
    h.expect("delete the next two", 0, 2);
    h.expect("recreate them", 2, 0);
    h.mark_all_ready();
    h.expect("delete the last one", 0, 1);
    h.expect("recreate it", 1, 0);
    h.mark_all_ready();
    h.expect("done", 0, 0);
    assert_eq!(h.status(), (5, 5, 5, 5, 5));
}

#[test]
fn updates_pods_with_max_surge() {
    // TestDaemonSetUpdatesPodsWithMaxSurge: 5 nodes, maxSurge 2; the new pod comes first and the
    // old one goes when the new one is available.
    let mut h = Harness::new(5, daemon_set(ON_DELETE, "foo/bar", 0));
    h.expect("create", 5, 0);
    h.mark_all_ready();
    h.at(10);
    h.roll_to(&surge("2"), "foo2/bar2");
    h.expect("surge two", 2, 0);
    h.expect("wait for them", 0, 0);
    assert_eq!(
        h.status(),
        (5, 5, 5, 0, 5),
        "status reports the oldest pod of each node"
    );
    h.mark_all_ready();
    h.expect("replace two, surge two more", 2, 2);
    h.expect("wait", 0, 0);
    h.mark_all_ready();
    h.expect("replace two, surge the last", 1, 2);
    h.expect("wait", 0, 0);
    h.mark_all_ready();
    h.expect("replace the last", 0, 1);
    h.expect("done", 0, 0);
    assert_eq!(h.status(), (5, 5, 5, 5, 5));
}

#[test]
fn a_rollout_stalls_while_new_pods_are_not_ready() {
    // TestDaemonSetUpdatesWhenNewPosIsNotReady: maxUnavailable 3.
    let mut h = Harness::new(5, daemon_set(ON_DELETE, "foo/bar", 0));
    h.expect("create", 5, 0);
    h.mark_all_ready();
    h.roll_to(&unavailable("3"), "foo2/bar2");
    h.expect("use the whole budget", 0, 3);
    h.expect("recreate", 3, 0);
    h.expect("the new pods are not ready: stall", 0, 0);
    h.expect("still stalled", 0, 0);
    assert_eq!(
        h.status(),
        (5, 5, 2, 3, 2),
        "the three new pods are up to date but not ready"
    );
}

#[test]
fn unavailable_old_pods_are_replaced_outside_the_budget() {
    // TestDaemonSetUpdatesAllOldPodsNotReady: no pod ever Ready, maxUnavailable 3.
    let mut h = Harness::new(5, daemon_set(ON_DELETE, "foo/bar", 0));
    h.expect("create", 5, 0);
    h.roll_to(&unavailable("3"), "foo2/bar2");
    h.expect("all old pods are unavailable: all go", 0, 5);
    h.expect("recreate", 5, 0);
    h.expect("done", 0, 0);
}

#[test]
fn surge_with_unready_old_pods_and_min_ready_seconds() {
    // TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge, with its fake clock.
    let mut h = Harness::new(5, daemon_set(ON_DELETE, "foo/bar", 0));
    h.expect("create", 5, 0);
    h.roll_to(&surge("3"), "foo2/bar2");
    h.at(100);
    h.expect("unready old pods are surged past maxSurge", 5, 0);
    h.at(200);
    h.expect("unready old pods go next to a new pod", 0, 5);
    h.set_ready(true, 5, |_, _| true);
    h.update(|ds| {
        let spec = ds.spec.as_mut().unwrap();
        spec.min_ready_seconds = Some(15);
        spec.template.spec.as_mut().unwrap().containers[0].image = Some("foo3/bar3".into());
    });
    h.at(300);
    h.expect("surge three", 3, 0);
    let hash = h.hash();
    let with_new: BTreeSet<String> = h
        .live_pods()
        .iter()
        .filter(|k| h.pod_hash(k) == hash)
        .map(|k| h.node_of(k))
        .collect();
    h.set_ready(true, 2, |h, k| h.pod_hash(k) == hash);
    h.set_ready(false, 1, |h, k| {
        h.pod_hash(k) != hash && !with_new.contains(&h.node_of(k))
    });
    h.at(310);
    h.expect(
        "new pods wait for minReadySeconds; the unready old pod is replaced",
        1,
        0,
    );
    h.at(320);
    h.expect(
        "two new pods are available: their old pods go; one more surge",
        1,
        3,
    );
    h.set_ready(true, 3, |h, k| h.pod_hash(k) == hash);
    h.at(340);
    h.expect("the rest are available: their old pods go", 0, 2);
    h.at(350);
    h.expect("done", 0, 0);
    assert_eq!(h.status(), (5, 5, 5, 5, 5));
}

#[test]
fn a_strategy_change_alone_replaces_nothing() {
    // TestDaemonSetUpdatesNoTemplateChanged.
    let mut h = Harness::new(5, daemon_set(ON_DELETE, "foo/bar", 0));
    h.expect("create", 5, 0);
    let revisions = h.c.revisions.len();
    h.update(|ds| {
        ds.spec.as_mut().unwrap().update_strategy = daemon_set(&unavailable("3"), "foo/bar", 0)
            .spec
            .unwrap()
            .update_strategy;
    });
    h.expect("same template", 0, 0);
    assert_eq!(h.c.revisions.len(), revisions, "no new revision");
}

#[test]
fn on_delete_keeps_old_pods_until_they_are_deleted() {
    let mut h = Harness::new(3, daemon_set(ON_DELETE, "foo/bar", 0));
    h.expect("create", 3, 0);
    h.mark_all_ready();
    h.set_image("foo2/bar2");
    h.expect("OnDelete: nothing replaced", 0, 0);
    assert_eq!(h.c.revisions.len(), 2, "but the new revision exists");
    assert_eq!(h.status(), (3, 3, 3, 0, 3));
    let victim = h.live_pods().into_iter().next().unwrap();
    h.c.pods.remove(&victim);
    h.expect("a deleted pod comes back on the new template", 1, 0);
    assert_eq!(h.status(), (3, 3, 2, 1, 2));
}

/// `updatedDesiredNodeCounts` (TestGetUnavailableNumbers): (maxSurge, maxUnavailable).
#[test]
fn surge_and_unavailable_numbers() {
    let cases: &[(&str, usize, String, (i64, i64))] = &[
        ("no nodes", 0, unavailable("0"), (0, 0)),
        ("two nodes", 2, unavailable("1"), (0, 1)),
        ("both zero falls back to one", 2, unavailable("0"), (0, 1)),
        ("surge zero falls back too", 2, surge("0"), (0, 1)),
        ("percent rounds up", 2, unavailable("'50%'"), (0, 1)),
        ("surge percent", 2, surge("'50%'"), (1, 0)),
        ("surge 100%", 2, surge("'100%'"), (2, 0)),
        ("50% of 3 is 2", 3, unavailable("'50%'"), (0, 2)),
        ("1% of 1 is 1", 1, unavailable("'1%'"), (0, 1)),
        ("integers are not capped", 5, unavailable("10"), (0, 10)),
    ];
    for (name, nodes, strategy, want) in cases {
        // Some of these skipped validation upstream (both zero): set the strategy directly.
        let mut ds = daemon_set(ON_DELETE, "foo/bar", 0);
        ds.spec.as_mut().unwrap().update_strategy =
            Some(serde_json::from_value(crate::input::yaml_to_json(strategy).unwrap()).unwrap());
        let h = Harness::new(*nodes, ds);
        let ds = &h.c.daemon_sets[&h.ds];
        let spec = crate::placement::controller::simulated_pod_spec(ds);
        let affinity = crate::placement::nodeaffinity::RequiredNodeAffinity::of(&spec);
        let got = daemon::rolling_limits(ds, &h.c, &spec, &affinity);
        assert_eq!(got, Some(*want), "{name}");
    }
}

#[test]
fn rollback_renumbers_and_history_is_trimmed() {
    // rollout.md §4.2's worked example, then cleanupHistory with revisionHistoryLimit 1.
    let mut h = Harness::new(2, daemon_set(&unavailable("2"), "a", 0));
    h.expect("create", 2, 0);
    let numbers = |h: &Harness| -> Vec<(i64, String)> {
        let mut v: Vec<(i64, String)> =
            h.c.revisions
                .values()
                .map(|r| {
                    let t = daemon::revision_template(r).unwrap();
                    (
                        r.revision,
                        t.spec.unwrap().containers[0].image.clone().unwrap(),
                    )
                })
                .collect();
        v.sort();
        v
    };
    let rev = |n: i64, i: &str| (n, i.to_string());
    assert_eq!(numbers(&h), [rev(1, "a")]);
    h.set_image("b");
    h.sync();
    assert_eq!(numbers(&h), [rev(1, "a"), rev(2, "b")]);
    h.set_image("a");
    h.sync();
    assert_eq!(
        numbers(&h),
        [rev(2, "b"), rev(3, "a")],
        "back to a: renumbered"
    );
    h.set_image("b");
    h.sync();
    assert_eq!(numbers(&h), [rev(3, "a"), rev(4, "b")]);
    h.set_image("c");
    h.sync();
    assert_eq!(numbers(&h), [rev(3, "a"), rev(4, "b"), rev(5, "c")]);
    // Limit 0: old revisions go once no pod carries their hash.
    h.update(|ds| ds.spec.as_mut().unwrap().revision_history_limit = Some(0));
    for _ in 0..4 {
        h.mark_all_ready();
        h.sync();
    }
    assert_eq!(numbers(&h), [rev(5, "c")]);
}

#[test]
fn rollback_to_a_revision_pods_still_run_restarts_nothing() {
    // e2e "should rollback without unnecessary restarts": pods whose hash matches the target are
    // current again.
    let mut h = Harness::new(3, daemon_set(&unavailable("1"), "a", 0));
    h.expect("create", 3, 0);
    h.mark_all_ready();
    h.set_image("b");
    h.expect("one old pod goes", 0, 1);
    h.expect("its replacement on b", 1, 0);
    h.set_image("a");
    // Two pods still run a: current again. The b pod is not Ready, so it is replaced at once.
    h.expect("only the b pod is replaced", 0, 1);
    h.expect("recreated on a", 1, 0);
    h.mark_all_ready();
    h.expect("done", 0, 0);
    assert_eq!(h.status(), (3, 3, 3, 3, 3));
}

#[test]
fn revisions_are_adopted_only_in_the_daemon_sets_namespace() {
    // TestControlledHistories: an orphan revision with matching labels in the same namespace is
    // adopted; one in another namespace is not.
    let mut h = Harness::new(1, daemon_set(ON_DELETE, "foo/bar", 0));
    let ds = h.c.daemon_sets[&h.ds].clone();
    let orphan = |ns: &str, name: &str, image: &str| {
        let mut t = ds.spec.as_ref().unwrap().template.clone();
        t.spec.as_mut().unwrap().containers[0].image = Some(image.into());
        k8s_openapi::api::apps::v1::ControllerRevision {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(name.into()),
                namespace: Some(ns.into()),
                labels: t.metadata.as_ref().unwrap().labels.clone(),
                ..Default::default()
            },
            data: Some(daemon::revision_data(&t)),
            revision: 7,
        }
    };
    for (ns, name) in [("default", "foo-x2"), ("default-other", "foo-x3")] {
        h.c.revisions
            .insert((ns.into(), name.into()), orphan(ns, name, "old/image"));
    }
    h.expect("create", 1, 0);
    let uid = ds.metadata.uid.clone().unwrap();
    let owned = |k: (&str, &str)| {
        h.c.revisions[&(k.0.to_string(), k.1.to_string())]
            .metadata
            .owner_references
            .iter()
            .flatten()
            .any(|o| o.uid == uid)
    };
    assert!(owned(("default", "foo-x2")));
    assert!(!owned(("default-other", "foo-x3")));
    // The adopted legacy revision gets its name as its hash; the new one is numbered after it.
    let adopted = &h.c.revisions[&("default".to_string(), "foo-x2".to_string())];
    assert_eq!(
        adopted.metadata.labels.as_ref().unwrap()[HASH_LABEL],
        "foo-x2"
    );
    let current = h.hash();
    let cur =
        h.c.revisions
            .values()
            .find(|r| r.metadata.labels.as_ref().unwrap()[HASH_LABEL] == current)
            .unwrap();
    assert_eq!(cur.revision, 8);
}

#[test]
fn a_pod_ready_without_a_transition_time_is_never_available_with_min_ready() {
    // IsPodAvailable: minReadySeconds > 0 and no lastTransitionTime: not available.
    let mut h = Harness::new(1, daemon_set(ON_DELETE, "foo/bar", 10));
    h.expect("create", 1, 0);
    h.mark_all_ready();
    let k = h.live_pods().into_iter().next().unwrap();
    for c in
        h.c.pods
            .get_mut(&k)
            .unwrap()
            .status
            .as_mut()
            .unwrap()
            .conditions
            .as_mut()
            .unwrap()
    {
        c.last_transition_time = None;
    }
    h.at(3600);
    assert_eq!(h.status(), (1, 1, 1, 1, 0));
}

#[test]
fn with_surge_a_node_whose_pod_is_terminating_gets_its_replacement_at_once() {
    // podsShouldBeOnNode (daemon_controller.go): when surging, a node needs at least one pod that
    // is neither being deleted nor failed, so the replacement is created at once; without surge
    // a terminating pod still counts and the node waits until it is gone.
    for (strategy, creates) in [(surge("1"), 1), (unavailable("1"), 0)] {
        let mut h = Harness::new(1, daemon_set(&strategy, "foo/bar", 0));
        h.expect("create", 1, 0);
        h.mark_all_ready();
        let pod = h.live_pods().into_iter().next().unwrap();
        // Bound, as the scheduler would have it, so deletion is graceful.
        let node = h.node_of(&pod);
        h.c.pods
            .get_mut(&pod)
            .unwrap()
            .spec
            .as_mut()
            .unwrap()
            .node_name = Some(node);
        kubelet::delete_pod(&mut h.c, &pod, Some(30));
        assert!(h.c.pods.contains_key(&pod), "the pod is terminating");
        h.expect(&format!("{strategy}: replacement"), creates, 0);
    }
}

#[test]
fn a_sync_creates_before_it_deletes() {
    // syncNodes (daemon_controller.go) makes its creations, then its deletions: when one sync
    // moves the daemon pod from a node that lost the selected label to one that gained it, the
    // DaemonSet's events list SuccessfulCreate before SuccessfulDelete.
    let label = |h: &mut Harness, node: &str, on: bool| {
        let labels =
            h.c.nodes
                .get_mut(node)
                .unwrap()
                .metadata
                .labels
                .get_or_insert_with(Default::default);
        if on {
            labels.insert("role".into(), "agent".into());
        } else {
            labels.remove("role");
        }
    };
    let mut h = Harness::new(2, daemon_set(ON_DELETE, "foo/bar", 0));
    h.update(|ds| {
        let spec = ds.spec.as_mut().unwrap().template.spec.as_mut().unwrap();
        spec.node_selector = Some([("role".to_string(), "agent".to_string())].into());
    });
    label(&mut h, "node-0", true);
    h.expect("create on node-0", 1, 0);
    label(&mut h, "node-0", false);
    label(&mut h, "node-1", true);
    let before = h.c.events.records.len();
    h.expect("move to node-1", 1, 1);
    let reasons: Vec<&str> = h.c.events.records[before..]
        .iter()
        .filter(|e| e.kind == "DaemonSet")
        .map(|e| e.reason)
        .collect();
    assert_eq!(reasons, ["SuccessfulCreate", "SuccessfulDelete"]);
}

#[test]
fn revision_history_limit_zero_keeps_only_revisions_with_live_pods() {
    // cleanupHistory (daemon_controller.go): old revisions beyond the limit go, oldest first,
    // except those whose hash a live daemon pod still carries; the current one always stays.
    let mut h = Harness::new(2, daemon_set(&unavailable("1"), "foo/bar", 0));
    h.update(|ds| ds.spec.as_mut().unwrap().revision_history_limit = Some(0));
    h.expect("create", 2, 0);
    h.mark_all_ready();
    h.set_image("foo/bar:2");
    h.expect("delete the first old pod", 0, 1);
    assert_eq!(h.c.revisions.len(), 2, "an old pod still runs revision 1");
    h.expect("recreate it", 1, 0);
    h.mark_all_ready();
    h.expect("delete the second", 0, 1);
    h.expect("recreate it", 1, 0);
    assert_eq!(h.c.revisions.len(), 1, "only the current revision is left");
    let hash = h.hash();
    assert!(h
        .c
        .revisions
        .values()
        .all(|r| r.metadata.labels.as_ref().unwrap()[HASH_LABEL] == hash));
}
