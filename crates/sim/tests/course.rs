//! The course through the seed article: every lesson runs to its end, each step does what its
//! prose says (the facts checked here are the ones the prose states), the article's slips fail
//! with Kubernetes' own answers, and each exercise is open at the end of the steps and done once
//! its solution is carried out.
//!
//! Where a step's expected words are kubectl's or the API server's, the upstream source is named
//! beside them.

use sim::playground::gallery::{self, Group, EXAMPLES};
use sim::playground::{Playground, WORKLOADS};

/// What one step must show: a piece of its line (the first step whose line contains it), whether
/// it succeeds, and words its output must contain.
struct Check {
    line: &'static str,
    ok: bool,
    shows: &'static [&'static str],
}

const fn ok(line: &'static str, shows: &'static [&'static str]) -> Check {
    Check {
        line,
        ok: true,
        shows,
    }
}

const fn fails(line: &'static str, shows: &'static [&'static str]) -> Check {
    Check {
        line,
        ok: false,
        shows,
    }
}

fn lessons() -> Vec<&'static gallery::Example> {
    EXAMPLES
        .iter()
        .filter(|e| e.group == Group::Course)
        .collect()
}

/// Run every step, check the listed ones, and return the playground at the end.
fn run_lesson(id: &str, checks: &[Check]) -> Playground {
    let e = gallery::find(id).unwrap_or_else(|| panic!("no lesson {id}"));
    let mut p = e.playground();
    let errors: Vec<_> = p
        .diagnostics()
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{id}: {errors:?}");
    while p.run_next_step().is_some() {}
    let views = p.step_views();
    for c in checks {
        let v = views
            .iter()
            .find(|v| v.line == c.line)
            .or_else(|| views.iter().find(|v| v.line.contains(c.line)))
            .unwrap_or_else(|| panic!("{id}: no step runs {:?}", c.line));
        let out = v.output.as_ref().expect("every step ran");
        assert_eq!(out.ok, c.ok, "{id}: {:?} printed\n{}", v.line, out.text);
        for s in c.shows {
            assert!(
                out.text.contains(s),
                "{id}: {:?} should show {s:?}, printed\n{}",
                v.line,
                out.text
            );
        }
    }
    // Only the listed slips fail.
    for v in &views {
        let out = v.output.as_ref().unwrap();
        let listed = checks.iter().any(|c| !c.ok && v.line.contains(c.line));
        assert!(
            out.ok || listed,
            "{id}: {:?} failed unexpectedly:\n{}",
            v.line,
            out.text
        );
    }
    p
}

/// The exercise is open after the steps and done after its solution.
fn solve(mut p: Playground) {
    let id = p.example.clone().unwrap();
    let e = gallery::find(&id).unwrap().exercise.unwrap();
    assert!(
        !p.exercise().unwrap().done,
        "{id}: the exercise is done before anything was tried"
    );
    if !e.solution_edits.is_empty() {
        let mut text = p.editor(WORKLOADS).to_string();
        for (from, to) in e.solution_edits {
            assert!(text.contains(from), "{id}: the editor has no {from:?}");
            text = text.replacen(from, to, 1);
        }
        p.set_editor(WORKLOADS, text);
        let out = p.apply_editors();
        assert!(out.ok, "{id}: {}", out.text());
    }
    for l in e.solution_lines {
        let out = p.run(l);
        assert!(out.ok, "{id}: {l}: {}", out.text());
    }
    assert!(
        p.exercise().unwrap().done,
        "{id}: the solution does not complete the exercise"
    );
}

#[test]
fn the_course_covers_the_article_in_order_and_each_lesson_leads_to_the_next() {
    let ls = lessons();
    assert!(ls.len() >= 10);
    for (i, l) in ls.iter().enumerate() {
        assert!(l.title.starts_with(&format!("{}. ", i + 1)), "{}", l.title);
        assert_eq!(l.next, ls.get(i + 1).map(|n| n.id), "{} points on", l.id);
        let p = l.playground();
        let views = p.step_views();
        assert!(views.len() >= 5, "{} is a sequence of steps", l.id);
        assert!(!views[0].note.is_empty(), "{} opens with prose", l.id);
        // Every file a step applies is one the learner can see: an editor or a file shown under
        // the step.
        for v in &views {
            for w in v
                .line
                .split_whitespace()
                .skip_while(|w| *w != "-f")
                .skip(1)
                .take(1)
            {
                assert!(
                    w == WORKLOADS || v.files.iter().any(|(n, _)| n == w),
                    "{}: {} applies {w}, which nobody sees",
                    l.id,
                    v.line
                );
            }
        }
    }
    let p = ls.last().unwrap().playground();
    assert_eq!(p.next_lesson(), None);
    assert_eq!(ls[0].playground().next_lesson().unwrap().id, ls[1].id);
}

#[test]
fn lesson_1_a_pod_on_every_node() {
    run_lesson(
        "lesson-1-first-daemonset",
        &[
            ok("apply", &["daemonset.apps/fluentd created"]),
            // DESIRED 3, CURRENT 3, READY 0 right after the apply (printDaemonSet).
            ok("get ds", &["fluentd   3         3         0"]),
            ok(
                "get pods -n kube-system -o wide",
                &["control-plane-1", "node1", "node2"],
            ),
            ok(
                "describe ds",
                &["Desired Number of Nodes Scheduled: 3", "SuccessfulCreate"],
            ),
            ok("sim node add node3", &[]),
            // delete.go's PrintObj in 1.34+: "deleted from <ns> namespace".
            ok(
                "delete ds",
                &["daemonset.apps \"fluentd\" deleted from kube-system namespace"],
            ),
        ],
    );
}

#[test]
fn lesson_2_node_selection() {
    let p = run_lesson(
        "lesson-2-node-selection",
        &[
            ok(
                "get ds ssd-monitor -o wide",
                &["ssd-monitor   1 ", "disktype=ssd"],
            ),
            ok("label nodes node2 disktype=ssd", &["node/node2 labeled"]),
            ok("label nodes node2 disktype-", &["node/node2 unlabeled"]),
            ok("get pods -l app=gpu-driver -o wide", &["gpu-1"]),
            ok("kubectl get ds", &["fluentd       4         4         4"]),
        ],
    );
    let v = p.step_views();
    let gpu = v
        .iter()
        .find(|v| v.line.contains("get pods -l app=gpu-driver"))
        .unwrap();
    assert!(!gpu.output.as_ref().unwrap().text.contains("gpu-2"));
    solve(p);
}

#[test]
fn lesson_3_taints_and_tolerations() {
    let p = run_lesson(
        "lesson-3-taints-tolerations",
        &[
            ok(
                "taint nodes node1 key1=value1:NoSchedule",
                &["node/node1 tainted"],
            ),
            ok(
                "describe ds",
                &[
                    "Desired Number of Nodes Scheduled: 2",
                    "Number of Nodes Misscheduled: 1",
                ],
            ),
            ok("delete pods", &["deleted from kube-system namespace"]),
            ok("key1=value1:NoSchedule-", &["node/node1 untainted"]),
            ok("key1-", &["node/node1 untainted"]),
            ok("dedicated=batch:NoExecute", &["node/node2 tainted"]),
            // TaintManagerEviction's message (pkg/controller/tainteviction/taint_eviction.go).
            ok(
                "reason=TaintManagerEviction",
                &["Marking for deletion Pod kube-system/metrics-agent-"],
            ),
        ],
    );
    let v = p.step_views();
    let after_delete = v
        .iter()
        .position(|v| v.line.contains("delete pods"))
        .unwrap();
    let listed = v[after_delete + 1].output.as_ref().unwrap();
    assert!(
        !listed.text.contains("node1 "),
        "no new pod on the tainted node:\n{}",
        listed.text
    );
    solve(p);
}

#[test]
fn lesson_4_cordon_and_drain() {
    run_lesson(
        "lesson-4-cordon-drain",
        &[
            ok("cordon node1", &["node/node1 cordoned"]),
            ok("get nodes", &["Ready,SchedulingDisabled"]),
            // pkg/drain/filters.go's messages, aggregated by cmd/drain/drain.go.
            fails(
                "drain node1",
                &[
                    "cannot delete Pods declare no controller (use --force to override): default/web",
                    "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)",
                ],
            ),
            ok("--ignore-daemonsets --force", &["pod/web evicted", "node/node1 drained"]),
            ok("uncordon", &["node/node1 uncordoned"]),
        ],
    );
}

#[test]
fn lesson_5_nodes_join_fail_and_leave() {
    let p = run_lesson(
        "lesson-5-nodes-come-and-go",
        &[
            ok("sim node add node3", &[]),
            ok(
                "describe node node2",
                &[
                    "node.kubernetes.io/not-ready:NoExecute",
                    "node.kubernetes.io/not-ready:NoSchedule",
                ],
            ),
            ok("sim node remove node3", &["garbage-collected"]),
        ],
    );
    let v = p.step_views();
    let desired: Vec<&str> = v
        .iter()
        .filter(|v| v.line == "kubectl get ds -n kube-system")
        .map(|v| v.output.as_ref().unwrap().text.lines().nth(1).unwrap_or(""))
        .map(|l| l.split_whitespace().nth(1).unwrap_or(""))
        .collect();
    // node3 joins (4), node2 NotReady is not counted (3), node2 recovers (4), node3 leaves (3).
    assert_eq!(desired, ["4", "3", "4", "3"]);
    solve(p);
}

#[test]
fn lesson_6_rolling_updates() {
    let p = run_lesson(
        "lesson-6-rolling-updates",
        &[
            // The API server's NotFound (StatusError) as kubectl prints it.
            fails(
                "daemonset/fluentd-elasticsearch fluentd-elasticsearch=",
                &["Error from server (NotFound): daemonsets.apps \"fluentd-elasticsearch\" not found"],
            ),
            // cmd/set/set_image.go.
            fails(
                "daemonset/fluentd fluentd-elasticsearch=",
                &["error: unable to find container named \"fluentd-elasticsearch\""],
            ),
            ok("daemonset/fluentd fluentd=", &["daemonset.apps/fluentd image updated"]),
            ok("apply -f fluentd-surge.yml", &["daemonset.apps/fluentd configured"]),
            ok("rollout history", &["3         <none>"]),
        ],
    );
    let v = p.step_views();
    // maxUnavailable 1: one old pod terminating right after set image.
    let after_set = v
        .iter()
        .position(|v| v.line.contains("daemonset/fluentd fluentd="))
        .unwrap();
    let pods = &v[after_set + 1].output.as_ref().unwrap().text;
    assert_eq!(pods.matches("Terminating").count(), 1, "{pods}");
    // maxSurge 1: exactly one node runs two pods.
    let after_surge = v
        .iter()
        .position(|v| v.line.contains("fluentd-surge.yml"))
        .unwrap();
    let pods = &v[after_surge + 2].output.as_ref().unwrap().text;
    let per_node = |n: &str| {
        pods.lines()
            .filter(|l| l.contains(&format!(" {n} ")))
            .count()
    };
    let doubled: Vec<_> = ["node1", "node2", "node3", "node4"]
        .into_iter()
        .filter(|n| per_node(n) == 2)
        .collect();
    assert_eq!(doubled.len(), 1, "{pods}");
}

#[test]
fn lesson_7_history_and_rollback() {
    let p = run_lesson(
        "lesson-7-history-rollback",
        &[
            ok("sleep 30s", &[]),
            // wait.ErrWaitTimeout's text, as kubectl rollout status prints it on --timeout.
            fails("--timeout=30s", &["error: timed out waiting for the condition"]),
            fails(
                "rollout history daemonset/fluentd-elasticsearch",
                &["Error from server (NotFound): daemonsets.apps \"fluentd-elasticsearch\" not found"],
            ),
            // printPodTemplate via rollout history --revision (kubectl/pkg/polymorphichelpers/history.go).
            ok("--revision=2", &["daemonset.apps/fluentd with revision #2", "fluentd:v2.6.0"]),
            ok("rollout undo daemonset/fluentd -n", &["daemonset.apps/fluentd rolled back"]),
            ok("--to-revision=1", &["daemonset.apps/fluentd rolled back"]),
            ok("get ds fluentd -n kube-system -o wide", &["fluentd:v2.5.2"]),
        ],
    );
    let v = p.step_views();
    let stuck = v
        .iter()
        .find(|v| v.line == "kubectl get pods -n kube-system -o wide")
        .unwrap();
    let text = &stuck.output.as_ref().unwrap().text;
    assert_eq!(
        text.matches("ImagePullBackOff").count() + text.matches("ErrImagePull").count(),
        1,
        "{text}"
    );
    assert_eq!(text.matches("Running").count(), 2, "{text}");
}

#[test]
fn lesson_8_ondelete() {
    let p = run_lesson(
        "lesson-8-ondelete",
        &[
            ok(
                "get ds fluentd -n kube-system -o wide",
                &["fluentd   3         3         3       0 "],
            ),
            // kubectl/pkg/polymorphichelpers/rollout_status.go.
            fails(
                "rollout status",
                &["rollout status is only available for RollingUpdate strategy type"],
            ),
            ok(
                "kubectl get ds fluentd -n kube-system",
                &["fluentd   3         3         3       1 "],
            ),
        ],
    );
    solve(p);
}

#[test]
fn lesson_9_priority_class() {
    let p = run_lesson(
        "lesson-9-priority-class",
        &[
            // ValidatePodSpec's required image, in the API server's invalid-object wording.
            fails(
                "fluentd-priority-daemonset.yml",
                &["The DaemonSet \"fluentd\" is invalid: spec.template.spec.containers[0].image: Required value"],
            ),
            ok("kubectl apply -f workloads.yaml", &["daemonset.apps/fluentd created"]),
            ok("get ds fluentd", &["fluentd   3         0         0"]),
            // plugin/pkg/admission/priority/admission.go.
            ok("reason=FailedCreate", &["no PriorityClass with name high-priority was found"]),
            ok("fluentd-priority-class.yml", &["priorityclass.scheduling.k8s.io/high-priority-pod created"]),
            ok("get pc", &["high-priority-pod         1000000      false"]),
        ],
    );
    solve(p);
}

#[test]
fn lesson_10_preemption() {
    let p = run_lesson(
        "lesson-10-preemption",
        &[
            // The full nodes run before the first step, as `dsim run` starts them.
            ok(
                "kubectl get pods -A -o wide",
                &["web-a", "web-b", "cache", "batch", "critical"],
            ),
            ok("get pc", &["batch-low", "cache-mid"]),
            ok("apply -f workloads.yaml", &["daemonset.apps/agent created"]),
            ok("reason=Preempted", &["pod/batch", "pod/web-a"]),
        ],
    );
    let v = p.step_views();
    let after = v
        .iter()
        .rposition(|v| v.line == "kubectl get pods -A -o wide")
        .unwrap();
    let pods = &v[after].output.as_ref().unwrap().text;
    for gone in ["web-a ", "batch "] {
        assert!(!pods.contains(gone), "{gone} was preempted:\n{pods}");
    }
    for kept in ["web-b ", "cache ", "critical "] {
        assert!(pods.contains(kept), "{kept} stays:\n{pods}");
    }
    assert_eq!(pods.matches("Pending").count(), 1, "{pods}");
}

#[test]
fn lesson_11_troubleshooting() {
    let p = run_lesson(
        "lesson-11-troubleshooting",
        &[
            ok(
                "get daemonset -n logging",
                &["fluentd   3         3         2"],
            ),
            ok("get pods -n logging -o wide", &["Pending"]),
            // The FitError message (pkg/scheduler/schedule_one.go) for the node with too little
            // memory.
            ok(
                "reason=FailedScheduling",
                &["0/4 nodes are available: 1 Insufficient memory"],
            ),
            ok(
                "describe node batch-1",
                &["Taints:             dedicated=batch:NoSchedule"],
            ),
            // dsim run has no editor (the page opens one: tests/e2e/course.test.mjs).
            fails("kubectl edit", &["dsim run does not have"]),
        ],
    );
    solve(p);
}

#[test]
fn every_lesson_is_checked_here() {
    let checked = [
        "lesson-1-first-daemonset",
        "lesson-2-node-selection",
        "lesson-3-taints-tolerations",
        "lesson-4-cordon-drain",
        "lesson-5-nodes-come-and-go",
        "lesson-6-rolling-updates",
        "lesson-7-history-rollback",
        "lesson-8-ondelete",
        "lesson-9-priority-class",
        "lesson-10-preemption",
        "lesson-11-troubleshooting",
    ];
    let ids: Vec<&str> = lessons().iter().map(|l| l.id).collect();
    assert_eq!(ids, checked);
}
