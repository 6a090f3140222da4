use super::gallery::{self, split_for_editors, EXAMPLES};
use super::view::PodStage;
use super::*;
use crate::engine::time::{Millis, SECOND};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: default}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers: [{name: c, image: 'agent:1', resources: {requests: {cpu: 100m, memory: 64Mi}}}]\n";
const NODES: &str = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec:\n  taints: [{key: dedicated, value: infra, effect: NoSchedule}]\nstatus:\n  allocatable: {cpu: '2', memory: 4Gi, pods: '110'}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n2}\nstatus:\n  allocatable: {cpu: '2', memory: 4Gi, pods: '110'}\n";

fn playground() -> Playground {
    Playground::new(&[(WORKLOADS, DS), (CLUSTER, NODES)], &EDITORS, Vec::new())
}

fn stages(p: &Playground, node: &str) -> Vec<PodStage> {
    let v = p.view(None);
    let card = v.nodes.iter().find(|n| n.name == node).unwrap();
    card.pods.iter().map(|c| c.stage).collect()
}

#[test]
fn pods_go_from_creating_to_ready_as_the_clock_runs() {
    let mut p = playground();
    assert_eq!(
        stages(&p, "n1"),
        [],
        "the NoSchedule taint is not tolerated"
    );
    assert_eq!(stages(&p, "n2"), [PodStage::Creating]);
    p.fast_forward();
    assert_eq!(stages(&p, "n2"), [PodStage::Ready]);
    let v = p.view(None);
    let n2 = v.nodes.iter().find(|n| n.name == "n2").unwrap();
    // The kubelet's conditions, in the order it posts them (pkg/kubelet/nodestatus/setters.go).
    let conditions: Vec<(&str, &str)> = n2
        .conditions
        .iter()
        .map(|(t, s)| (t.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        conditions,
        [
            ("MemoryPressure", "False"),
            ("DiskPressure", "False"),
            ("PIDPressure", "False"),
            ("Ready", "True")
        ]
    );
    let cpu = &n2.resources[0];
    assert_eq!((cpu.requested, cpu.allocatable), (100, 2000));
    assert_eq!(cpu.text, "100m / 2");
    let d = &v.daemon_sets[0];
    assert_eq!((d.desired, d.current, d.ready, d.available), (1, 1, 1, 1));
    assert_eq!(d.revisions.len(), 1);
    assert_eq!(n2.pods[0].revision, Some(1));
}

#[test]
fn a_switched_off_taint_stays_on_the_card_and_can_be_switched_on_again() {
    let mut p = playground();
    let off = p.run(&actions::toggle_taint(
        "n1",
        "dedicated=infra:NoSchedule",
        false,
    ));
    assert!(off.ok, "{}", off.text());
    let v = p.view(None);
    let n1 = v.nodes.iter().find(|n| n.name == "n1").unwrap();
    assert_eq!(n1.taints.len(), 1);
    assert!(!n1.taints[0].enabled);
    assert_eq!(stages(&p, "n1"), [PodStage::Creating], "the pod now lands");
    let on = p.run(&actions::toggle_taint(
        "n1",
        "dedicated=infra:NoSchedule",
        true,
    ));
    assert!(on.ok, "{}", on.text());
    let v = p.view(None);
    let n1 = v.nodes.iter().find(|n| n.name == "n1").unwrap();
    assert!(n1.taints[0].enabled);
    assert_eq!(
        stages(&p, "n1"),
        [PodStage::Creating],
        "NoSchedule does not remove the running pod"
    );
}

#[test]
fn no_execute_evicts_and_the_pod_is_shown_terminating() {
    let mut p = playground();
    p.fast_forward();
    let out = p.run(&actions::add_taint(
        "n2",
        "maintenance",
        "true",
        "NoExecute",
    ));
    assert!(out.ok, "{}", out.text());
    assert_eq!(stages(&p, "n2"), [PodStage::Terminating]);
    p.fast_forward();
    assert_eq!(stages(&p, "n2"), []);
    let v = p.view(None);
    assert!(v
        .events
        .iter()
        .any(|e| e.reason == "TaintManagerEviction" || e.reason == "Killing"));
}

#[test]
fn playing_makes_one_sleep_line_and_the_console_lines_survive_a_save() {
    let mut p = playground();
    for _ in 0..20 {
        p.advance(250);
    }
    p.run(&actions::cordon("n2", true));
    p.advance(SECOND);
    p.run(&actions::add_node("n3", Some("n2")));
    p.advance(10 * SECOND);
    let lines = p.session().lines();
    let clock = lines.iter().filter(|l| l.origin == Origin::Clock).count();
    assert_eq!(clock, 3, "{lines:?}");
    assert_eq!(lines[0].line, "sleep 5000ms");

    let saved = p.saved();
    let json = serde_json::to_string(&saved).unwrap();
    let back = Playground::from_saved(serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(back.now(), p.now());
    assert_eq!(back.view(None), p.view(None), "a replay is exact");
    assert_eq!(back.editor(WORKLOADS), DS);
}

#[test]
fn a_saved_scenario_in_another_format_is_refused_with_a_reason() {
    let mut s = playground().saved();
    s.format = 7;
    let e = Playground::from_saved(s).unwrap_err();
    assert!(e.contains("format 7"), "{e}");
}

#[test]
fn rewinding_goes_back_exactly_and_forgets_what_came_after() {
    let mut p = playground();
    p.advance(10 * SECOND);
    p.run(&actions::toggle_taint(
        "n1",
        "dedicated=infra:NoSchedule",
        false,
    ));
    p.advance(10 * SECOND);
    let before = p.view(Some(5 * SECOND));
    p.rewind(5 * SECOND);
    assert_eq!(p.now(), 5 * SECOND);
    assert_eq!(p.view(None), before);
    let v = p.view(None);
    let n1 = v.nodes.iter().find(|n| n.name == "n1").unwrap();
    assert!(n1.taints[0].enabled, "the toggle after 5s is gone");
    assert_eq!(p.session().lines().len(), 1);
}

#[test]
fn every_example_loads_cleanly_and_its_steps_run() {
    // The course's lessons run their slips on purpose: tests/course.rs checks them step by step.
    for e in EXAMPLES
        .iter()
        .filter(|e| e.group == gallery::Group::Example)
    {
        let mut p = e.playground();
        let errors: Vec<_> = p
            .diagnostics()
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", e.id);
        assert!(!p.view(None).nodes.is_empty(), "{} has nodes", e.id);
        let n = p.steps().len();
        let mut failed = Vec::new();
        while let Some(out) = p.run_next_step() {
            if !out.ok {
                failed.push(out.text());
            }
        }
        assert_eq!(p.steps_done(), n);
        if e.id == "seed-walkthrough" {
            // The article's slips fail as Kubernetes fails them.
            assert!(failed.iter().any(|f| f.contains("NotFound")), "{failed:?}");
        } else {
            assert!(failed.is_empty(), "{}: {failed:?}", e.id);
        }
    }
}

#[test]
fn the_walkthrough_starts_without_the_agent_and_its_first_step_applies_the_editor() {
    let mut p = gallery::find("seed-walkthrough").unwrap().playground();
    assert!(p.view(None).daemon_sets.is_empty());
    assert_eq!(p.steps()[0].line, "kubectl apply -f workloads.yaml");
    assert!(p.steps()[0].note.contains("Deploy the logging agent"));
    let out = p.run_next_step().unwrap();
    assert!(out.ok, "{}", out.text());
    assert_eq!(p.view(None).daemon_sets.len(), 1);
}

#[test]
fn examples_split_between_the_editors_by_kind() {
    let text = "# head\napiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n";
    let (w, c) = split_for_editors(text);
    assert_eq!(
        w,
        "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\n"
    );
    assert_eq!(
        c,
        "# head\napiVersion: v1\nkind: Node\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"
    );
}

#[test]
fn a_rollout_shows_revisions_and_their_diff() {
    let mut p = playground();
    p.fast_forward();
    let out = p.run(&actions::set_image("default", "agent", "c", "agent:2"));
    assert!(out.ok, "{}", out.text());
    p.fast_forward();
    let v = p.view(None);
    let d = &v.daemon_sets[0];
    assert_eq!(d.revisions.len(), 2);
    assert!(d.revisions[1].current && !d.revisions[0].current);
    assert_eq!(d.revisions[1].images, ["c=agent:2"]);
    let n2 = v.nodes.iter().find(|n| n.name == "n2").unwrap();
    assert_eq!(n2.pods[0].revision, Some(2));
    let key = ("default".to_string(), "agent".to_string());
    let diff = diff::revision_diff(p.cluster(), &key, 1, 2).unwrap();
    let changed: Vec<String> = diff
        .iter()
        .filter(|l| l.sign != ' ')
        .map(|l| format!("{}|{}", l.sign, l.text.trim()))
        .collect();
    assert_eq!(changed, ["-|- image: agent:1", "+|- image: agent:2"]);
    let out = p.run(&actions::rollback("default", "agent", 1));
    assert!(out.ok, "{}", out.text());
    let v = p.view(None);
    assert_eq!(
        v.daemon_sets[0]
            .revisions
            .iter()
            .map(|r| r.revision)
            .collect::<Vec<_>>(),
        [2, 3],
        "revision 1 comes back as 3"
    );
}

#[test]
fn a_copied_node_has_the_labels_taints_and_room_of_its_source() {
    let mut p = playground();
    let name = actions::new_node_name(p.cluster(), Some("n1"));
    assert_eq!(name, "n-1");
    let out = p.run(&actions::add_node(&name, Some("n1")));
    assert!(out.ok, "{}", out.text());
    let v = p.view(None);
    let card = v.nodes.iter().find(|n| n.name == "n-1").unwrap();
    assert_eq!(card.taints[0].text, "dedicated=infra:NoSchedule");
    assert_eq!(card.resources[0].allocatable, 2000);
    assert!(card
        .labels
        .contains(&("kubernetes.io/hostname".into(), "n-1".into())));
    assert!(card.matches("kubernetes.io/hostname=n-1"));
    assert!(card.matches("N-1"));
    assert!(!card.matches("gpu"));
}

#[test]
fn a_pending_pod_carries_the_schedulers_message() {
    let nodes = "apiVersion: v1\nkind: Node\nmetadata: {name: tiny}\nstatus:\n  allocatable: {cpu: 50m, memory: 4Gi, pods: '110'}\n";
    let p = Playground::new(&[(WORKLOADS, DS), (CLUSTER, nodes)], &EDITORS, Vec::new());
    let v = p.view(None);
    let chip = &v.nodes[0].pods[0];
    assert_eq!(chip.stage, PodStage::Pending);
    assert_eq!(
        chip.message.as_deref(),
        Some("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.")
    );
}

#[test]
fn editor_diagnostics_name_the_editor_and_line() {
    let mut p = playground();
    p.set_editor(
        WORKLOADS,
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec: [\n".into(),
    );
    let d = p.diagnostics();
    assert!(!d.is_empty());
    assert_eq!(d[0].source.as_deref(), Some(WORKLOADS));
    assert!(d[0].line.is_some());
}

#[test]
fn explaining_a_node_gives_the_controllers_reasons() {
    let p = playground();
    let e = view::explain_node(p.cluster(), "n1");
    assert_eq!(e.len(), 1);
    assert!(!e[0].report.should_run);
    assert!(
        e[0].report.summary.contains("dedicated=infra:NoSchedule"),
        "{}",
        e[0].report.summary
    );
}

#[test]
fn advancing_with_a_budget_stops_between_events_and_makes_one_line() {
    let mut p = playground();
    let mut calls = 0;
    let done = p.advance_until(60 * SECOND, || {
        calls += 1;
        calls < 2
    });
    assert!(!done, "stopped by the budget");
    assert!(p.now() > 0 && p.now() < 60 * SECOND);
    assert!(p.advance_until(60 * SECOND, || true));
    assert_eq!(p.now(), 60 * SECOND);
    let clock: Vec<_> = p
        .session()
        .lines()
        .into_iter()
        .filter(|l| l.origin == Origin::Clock)
        .collect();
    assert_eq!(clock.len(), 1);
    assert_eq!(clock[0].line, "sleep 60000ms");
}

#[test]
fn zero_second_timings_still_let_the_clock_run() {
    let nodes = "apiVersion: playground.daemonset.dev/v1alpha1\nkind: Scenario\nspec:\n  timing: {pullSeconds: 0, startSeconds: 0, stopSeconds: 0}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus:\n  allocatable: {cpu: '2', memory: 4Gi, pods: '110'}\n";
    let mut p = Playground::new(&[(WORKLOADS, DS), (CLUSTER, nodes)], &EDITORS, Vec::new());
    assert!(p.step_to_next_event(), "an event is due now");
    p.fast_forward();
    assert_eq!(stages(&p, "n1"), [PodStage::Ready]);
    assert!(p.advance_until(SECOND, || true));
    let back = Playground::from_saved(p.saved()).unwrap();
    assert_eq!(back.view(None), p.view(None));
}

#[test]
fn looking_back_into_a_rollout_status_stops_inside_it() {
    let mut p = gallery::find("rolling-update").unwrap().playground();
    for _ in 0..3 {
        let out = p.run_next_step().unwrap();
        assert!(out.ok, "{}", out.text());
    }
    let end = p.now();
    let mid = 10 * SECOND + (end - 10 * SECOND) / 2;
    let v = p.view(Some(mid));
    assert_eq!(v.now, mid);
    assert!(!v.daemon_sets[0].rolled_out, "{}", v.daemon_sets[0].rollout);
    p.rewind(mid);
    assert_eq!(p.now(), mid);
    assert_eq!(p.view(None), v);
    assert_eq!(p.steps_done(), 3, "the cut-short step still counts as run");
}

#[test]
fn restarting_reads_the_scenario_steps_again_without_stacking_them() {
    let mut p = gallery::find("seed-walkthrough").unwrap().playground();
    let n = p.steps().len();
    p.restart();
    assert_eq!(p.steps().len(), n);
    let cluster = p.editor(CLUSTER).replace(
        "spec:\n  seed: 42",
        "spec:\n  steps: [\"sleep 1s\"]\n  seed: 42",
    );
    assert_ne!(cluster, p.editor(CLUSTER), "the edit applies");
    p.set_editor(CLUSTER, cluster);
    p.restart();
    assert_eq!(p.steps().len(), n + 1);
    assert_eq!(p.steps()[0].line, "sleep 1s");
    let back = Playground::from_saved(p.saved()).unwrap();
    assert_eq!(back.steps(), p.steps());
}

#[test]
fn huge_advances_are_bounded_and_replay_exactly() {
    let mut p = playground();
    p.advance(Millis::MAX);
    p.advance(Millis::MAX);
    assert_eq!(p.now(), 2 * crate::session::MAX_SLEEP);
    let lines = p.session().lines();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let back = Playground::from_saved(p.saved()).unwrap();
    assert_eq!(back.now(), p.now());
}

#[test]
fn apply_changes_applies_only_the_editors_that_changed_and_says_what_it_will_do() {
    let mut p = gallery::find("logging-agent").unwrap().playground();
    // A taint set by kubectl survives an apply that leaves the cluster editor alone, as it does
    // on a real cluster, where the unchanged manifest's patch is empty.
    let out = p.run("kubectl taint nodes worker-1 maint=yes:NoSchedule");
    assert!(out.ok, "{}", out.text());
    assert!(p.changed_editors().is_empty());
    let w = p
        .editor(WORKLOADS)
        .replace("name: log-agent\n", "name: log-agent-2\n");
    p.set_editor(WORKLOADS, w);
    assert_eq!(p.changed_editors(), [WORKLOADS]);
    let preview = p.apply_preview();
    assert_eq!(preview.editors, [WORKLOADS]);
    assert_eq!(preview.created, ["daemonset.apps/log-agent-2"]);
    assert!(preview.configured.is_empty(), "{preview:?}");
    // The old DaemonSet is in the cluster but no longer in the editors: apply keeps it.
    assert_eq!(preview.kept, 1);
    let out = p.apply_editors();
    assert!(out.ok, "{}", out.text());
    assert_eq!(
        p.session().lines().last().unwrap().line,
        "kubectl apply -f workloads.yaml"
    );
    assert!(p.changed_editors().is_empty());
    let taints = p.cluster().nodes["worker-1"]
        .spec
        .as_ref()
        .unwrap()
        .taints
        .clone();
    assert!(taints.unwrap().iter().any(|t| t.key == "maint"));
}

#[test]
fn the_cards_mark_misscheduled_pods_show_priority_and_keep_preempted_pods_as_ghosts() {
    // A NoSchedule taint leaves the running daemon pod on node1, now misscheduled.
    let mut p = gallery::find("lesson-3-taints-tolerations")
        .unwrap()
        .playground();
    for l in [
        "kubectl apply -f workloads.yaml",
        "sleep 10s",
        "kubectl taint nodes node1 key1=value1:NoSchedule",
    ] {
        assert!(p.run(l).ok);
    }
    let v = p.view(None);
    let chip = |v: &view::LiveView, node: &str| {
        v.nodes
            .iter()
            .find(|n| n.name == node)
            .unwrap()
            .pods
            .clone()
    };
    let on_node1 = chip(&v, "node1");
    let reason = on_node1[0].misscheduled.as_deref().expect("misscheduled");
    assert!(reason.contains("key1"), "{reason}");
    assert_eq!(chip(&v, "node2")[0].misscheduled, None);

    // Preemption: the victims stay on their cards for a while, named with their preemptor.
    let mut p = gallery::find("lesson-10-preemption").unwrap().playground();
    assert!(p.run("kubectl apply -f workloads.yaml").ok);
    p.advance(10 * SECOND);
    let v = p.view(None);
    let n1 = chip(&v, "n1");
    let ghost = n1
        .iter()
        .find(|c| c.name == "web-a")
        .expect("web-a is a ghost on n1");
    assert!(ghost.ghost && ghost.preempted);
    let m = ghost.message.as_deref().unwrap();
    assert!(
        m.contains("kube-system/agent-") && m.contains("2000001000"),
        "{m}"
    );
    let agent = n1.iter().find(|c| c.name.starts_with("agent-")).unwrap();
    assert_eq!(agent.priority, Some(2000001000));
    assert_eq!(
        agent.priority_class.as_deref(),
        Some("system-node-critical")
    );
    p.advance(view::GHOST_FOR + SECOND);
    assert!(
        !chip(&p.view(None), "n1").iter().any(|c| c.ghost),
        "ghosts fade"
    );
    // The Preempted event carries the same gloss.
    let e = p
        .view(None)
        .events
        .into_iter()
        .find(|e| e.reason == "Preempted")
        .unwrap();
    assert!(e.gloss.unwrap().contains("higher priority"));
}

#[test]
fn a_playground_is_pristine_until_something_is_done_in_it() {
    for id in [
        "logging-agent",
        "seed-walkthrough",
        "lesson-2-node-selection",
    ] {
        let mut p = gallery::find(id).unwrap().playground();
        assert!(p.is_pristine(), "{id}");
        p.set_editor(WORKLOADS, format!("# mine\n{}", p.editor(WORKLOADS)));
        assert!(!p.is_pristine(), "{id}: an edit");
        let mut p = gallery::find(id).unwrap().playground();
        p.run("kubectl get nodes");
        assert!(!p.is_pristine(), "{id}: a line");
    }
}

#[test]
fn with_nothing_changed_the_apply_preview_is_empty() {
    let p = gallery::find("logging-agent").unwrap().playground();
    assert_eq!(p.apply_preview(), Default::default());
}

#[test]
fn kubectl_edit_in_the_page_answers_as_kubectl_does() {
    // kubectl's answers come from staging/src/k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go.
    let mut p = gallery::find("lesson-11-troubleshooting")
        .unwrap()
        .playground();
    assert!(p.run("kubectl apply -f workloads.yaml").ok);
    let line = "kubectl edit daemonset -n logging";
    let buffer = p.begin_edit(line).unwrap().unwrap();
    // editHeader.writeTo's header, then the object as -o yaml prints it.
    assert!(buffer.starts_with("# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\napiVersion: apps/v1\nkind: DaemonSet\n"), "{buffer}");
    assert!(p.begin_edit("kubectl get pods").is_none());
    // Not found: kubectl's NotFound, from the same get.
    let missing = p
        .begin_edit("kubectl edit ds nope -n logging")
        .unwrap()
        .unwrap_err();
    assert!(missing.text().contains("NotFound"), "{}", missing.text());

    // Closing the editor unchanged.
    let out = p.finish_edit(line, &buffer, &buffer, false);
    assert!(out.ok);
    assert_eq!(out.text().trim(), "Edit cancelled, no changes made.");

    // An invalid edit reopens with the reasons in the header...
    let bad = buffer.replace(
        "image: fluent/fluentd-kubernetes-daemonset:v1-debian-elasticsearch",
        "image: \"\"",
    );
    let reopened = p.check_edit(line, &buffer, &bad).expect("refused");
    assert!(reopened.contains("#\n# daemonsets.apps \"fluentd\" was not valid:\n# * spec.template.spec.containers[0].image: Required value\n#\n"), "{reopened}");
    // ...and giving up ends it as kubectl ends it.
    let out = p.finish_edit(line, &buffer, &bad, false);
    assert!(!out.ok);
    let text = out.text();
    assert!(text.starts_with("error: daemonsets.apps \"fluentd\" is invalid\nA copy of your changes has been stored to \"/tmp/kubectl-edit-"), "{text}");
    assert!(
        text.trim_end()
            .ends_with(".yaml\"\nerror: Edit cancelled, no valid changes were saved."),
        "{text}"
    );

    // A valid edit is applied: a new template starts a rollout.
    let good = buffer.replace("memory: 200Mi", "memory: 100Mi");
    assert_eq!(p.check_edit(line, &buffer, &good), None);
    let out = p.finish_edit(line, &buffer, &good, false);
    assert_eq!(out.text(), "daemonset.apps/fluentd edited\n");
    let ds = &p.cluster().daemon_sets[&("logging".to_string(), "fluentd".to_string())];
    assert_eq!(ds.metadata.generation, Some(2));
    // The edit replays exactly from a saved playground.
    let again = Playground::from_saved(p.saved()).unwrap();
    assert_eq!(again.session().lines(), p.session().lines());
    assert_eq!(
        again.cluster().daemon_sets[&("logging".to_string(), "fluentd".to_string())]
            .metadata
            .generation,
        Some(2)
    );
    // The selector is immutable (ValidateDaemonSetUpdate).
    let buffer = p.begin_edit(line).unwrap().unwrap();
    let moved = buffer.replacen("k8s-app: fluentd-logging", "k8s-app: other", 3);
    let reopened = p.check_edit(line, &buffer, &moved).expect("refused");
    assert!(reopened.contains("field is immutable"), "{reopened}");
    // Without the page's editor (dsim run), kubectl edit says what to do instead.
    let mut c = p.cluster().clone();
    let out = crate::kubectl::run(&mut c, line, &|_| Err("no".into()));
    assert!(
        out.text().contains("dsim run does not have"),
        "{}",
        out.text()
    );
}
