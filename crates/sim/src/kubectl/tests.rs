#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use crate::engine::Cluster;
use crate::input::load;

fn no_files(p: &str) -> Result<String, String> {
    Err(format!("no file {p}"))
}

fn cluster() -> Cluster {
    let objects = load(
        "apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {node-role.kubernetes.io/control-plane: ''}}\nstatus: {allocatable: {cpu: '2', memory: 4Gi, pods: '110'}}\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      nodeSelector: {kubernetes.io/os: linux}\n      containers: [{name: c, image: 'busybox:1.36'}]\n",
    )
    .objects;
    Cluster::from_objects(&objects, 1)
}

#[test]
fn get_ds_prints_kubectls_columns() {
    let mut c = cluster();
    let out = run(&mut c, "kubectl get ds -n kube-system", &no_files);
    assert!(out.ok);
    let header = out.stdout.lines().next().unwrap();
    assert_eq!(
        header,
        "NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE"
    );
    assert!(
        out.stdout.contains("kubernetes.io/os=linux"),
        "{}",
        out.stdout
    );
    let wide = run(&mut c, "get ds -A -o wide", &no_files);
    assert!(
        wide.stdout.starts_with("NAMESPACE     NAME    DESIRED"),
        "{}",
        wide.stdout
    );
    assert!(
        wide.stdout.contains("app=agent"),
        "the SELECTOR column: {}",
        wide.stdout
    );
}

#[test]
fn not_found_and_unknown_types_use_kubectls_words() {
    let mut c = cluster();
    let out = run(
        &mut c,
        "get ds fluentd-elasticsearch -n kube-system",
        &no_files,
    );
    assert!(!out.ok);
    assert_eq!(
        out.stderr,
        "Error from server (NotFound): daemonsets.apps \"fluentd-elasticsearch\" not found\n"
    );
    assert_eq!(
        run(&mut c, "get pods -n nowhere", &no_files).stderr,
        "No resources found in nowhere namespace.\n"
    );
    assert_eq!(
        run(&mut c, "get gadgets", &no_files).stderr,
        "error: the server doesn't have a resource type \"gadgets\"\n"
    );
    assert_eq!(
        run(&mut c, "get nodes -o name", &no_files).stdout,
        "node/n1\n"
    );
}

#[test]
fn roles_come_from_node_role_labels() {
    let mut c = cluster();
    let out = run(&mut c, "get nodes", &no_files);
    assert!(
        out.stdout
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("n1     Ready    control-plane"),
        "{}",
        out.stdout
    );
}

#[test]
fn label_selectors_in_every_form() {
    let l = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let s =
        crate::labels::parse_selector("app=a,tier!=db,env in (prod,staging),!legacy,zone").unwrap();
    assert!(s.matches(&l(&[("app", "a"), ("env", "prod"), ("zone", "z")])));
    assert!(!s.matches(&l(&[("app", "a"), ("env", "dev"), ("zone", "z")])));
    assert!(!s.matches(&l(&[
        ("app", "a"),
        ("env", "prod"),
        ("zone", "z"),
        ("legacy", "")
    ])));
    assert!(!s.matches(&l(&[("app", "a"), ("env", "prod")])));
}

#[test]
fn yaml_output_is_the_object() {
    let mut c = cluster();
    let out = run(&mut c, "get ds agent -n kube-system -o yaml", &no_files);
    assert!(
        out.stdout
            .starts_with("apiVersion: apps/v1\nkind: DaemonSet\n"),
        "{}",
        out.stdout
    );
    // go-yaml v2 double-quotes a string that would read back as a number (encode.go `stringv`).
    assert!(
        out.stdout
            .contains("deprecated.daemonset.template.generation: \"1\""),
        "{}",
        out.stdout
    );
    let list = run(&mut c, "get nodes -o json", &no_files);
    let v: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(v["kind"], "List");
    assert_eq!(v["items"][0]["metadata"]["name"], "n1");
    // kubectl's JSON printer indents with four spaces (printers/json.go: MarshalIndent).
    assert!(
        list.stdout.starts_with("{\n    \"apiVersion\": \"v1\","),
        "{}",
        list.stdout
    );
    assert!(list.stdout.ends_with("}\n"));
}

#[test]
fn json_is_html_safe_as_encoding_json_writes_it() {
    // encoding/json's Marshal escapes <, > and & inside strings.
    let v = serde_json::json!({"a": "<b> & c"});
    assert_eq!(
        crate::print::kubectl_json(&v),
        "{\n    \"a\": \"\\u003cb\\u003e \\u0026 c\"\n}\n"
    );
}

/// A one-node cluster whose DaemonSet pod has been created, scheduled and started.
fn running_cluster() -> Cluster {
    let objects = load(
        "apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {kubernetes.io/os: linux, node-role.kubernetes.io/control-plane: ''}}\nstatus: {allocatable: {cpu: '2', memory: 4Gi, pods: '110'}}\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      tolerations: [{operator: Exists}]\n      containers: [{name: c, image: 'busybox:1.36'}]\n",
    )
    .objects;
    let mut c = Cluster::from_objects(&objects, 1);
    c.run_to_steady_state(60_000);
    c
}

#[test]
fn events_print_as_v1_event_objects() {
    let mut c = running_cluster();
    let out = run(
        &mut c,
        "kubectl get events -n kube-system -o json",
        &no_files,
    );
    assert!(out.ok && out.stderr.is_empty(), "{}", out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let items = list["items"].as_array().unwrap();
    let find = |reason: &str| {
        items
            .iter()
            .find(|e| e["reason"] == reason)
            .unwrap_or_else(|| panic!("no {reason} event in {}", out.stdout))
    };
    let ds_uid = c.daemon_sets[&("kube-system".to_string(), "agent".to_string())]
        .metadata
        .uid
        .clone()
        .unwrap();
    // The DaemonSet controller records through the core v1 recorder with source component
    // "daemonset-controller" (daemon_controller.go); Event's JSON tags (core/v1 types.go) keep
    // reportingComponent/reportingInstance without omitempty and write zero times as null.
    let created = find("SuccessfulCreate");
    assert_eq!(created["apiVersion"], "v1");
    assert_eq!(created["kind"], "Event");
    assert_eq!(created["type"], "Normal");
    assert_eq!(created["involvedObject"]["apiVersion"], "apps/v1");
    assert_eq!(created["involvedObject"]["kind"], "DaemonSet");
    assert_eq!(created["involvedObject"]["name"], "agent");
    assert_eq!(created["involvedObject"]["namespace"], "kube-system");
    assert_eq!(created["involvedObject"]["uid"], ds_uid.as_str());
    assert_eq!(
        created["source"],
        serde_json::json!({"component": "daemonset-controller"})
    );
    assert_eq!(created["reportingComponent"], "daemonset-controller");
    assert_eq!(created["reportingInstance"], "");
    assert_eq!(created["count"], 1);
    assert_eq!(created["firstTimestamp"], "2026-01-01T00:00:00Z");
    assert!(created["eventTime"].is_null());
    let name = created["metadata"]["name"].as_str().unwrap();
    // `%v.%x` of the object's name and the time in nanoseconds (client-go tools/record).
    assert_eq!(name, format!("agent.{:x}", 1_767_225_600_000_000_000u64));
    assert_eq!(created["metadata"]["namespace"], "kube-system");
    for k in ["uid", "resourceVersion", "creationTimestamp"] {
        assert!(created["metadata"][k].is_string(), "metadata.{k}");
    }
    // The scheduler records through events.k8s.io/v1: eventTime (MicroTime) and action, no
    // source, null first and last timestamps, reportingInstance `<component>-<hostname>`.
    let scheduled = find("Scheduled");
    assert_eq!(scheduled["action"], "Binding");
    assert_eq!(scheduled["reportingComponent"], "default-scheduler");
    assert_eq!(scheduled["reportingInstance"], "default-scheduler-n1");
    assert_eq!(scheduled["source"], serde_json::json!({}));
    assert!(scheduled["firstTimestamp"].is_null() && scheduled["lastTimestamp"].is_null());
    assert!(scheduled.get("count").is_none());
    let t = scheduled["eventTime"].as_str().unwrap();
    assert!(
        t.starts_with("2026-01-01T00:00:") && t.ends_with(".000000Z"),
        "{t}"
    );
    // The kubelet names the container in fieldPath and itself by node in source.host.
    let pulling = find("Pulling");
    assert_eq!(pulling["involvedObject"]["fieldPath"], "spec.containers{c}");
    assert_eq!(
        pulling["source"],
        serde_json::json!({"component": "kubelet", "host": "n1"})
    );
    assert_eq!(pulling["reportingInstance"], "n1");
    // The YAML printer prints the same object.
    let yaml = run(
        &mut c,
        "kubectl get events -n kube-system -o yaml",
        &no_files,
    );
    assert!(
        yaml.stdout.contains("  eventTime: null\n"),
        "{}",
        yaml.stdout
    );
    assert!(yaml.stdout.contains("  reportingInstance: \"\"\n"));
}

#[test]
fn event_tables_as_the_server_side_printer_prints_them() {
    let mut c = running_cluster();
    // eventColumnDefinitions (printers.go): SUBOBJECT and SOURCE come before MESSAGE in -o wide.
    let wide = run(
        &mut c,
        "kubectl get events -n kube-system -o wide",
        &no_files,
    );
    let header: Vec<&str> = wide
        .stdout
        .lines()
        .next()
        .unwrap()
        .split("   ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        header,
        [
            "LAST SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "SUBOBJECT",
            "SOURCE",
            "MESSAGE",
            "FIRST SEEN",
            "COUNT",
            "NAME"
        ]
    );
    // formatEventSource: component, then the host or reporting instance after ", ".
    let pulling = wide.stdout.lines().find(|l| l.contains("Pulling")).unwrap();
    assert!(pulling.contains("spec.containers{c}"), "{pulling}");
    assert!(pulling.contains("kubelet, n1"), "{pulling}");
    let scheduled = wide
        .stdout
        .lines()
        .find(|l| l.contains("Scheduled"))
        .unwrap();
    assert!(
        scheduled.contains("default-scheduler, default-scheduler-n1"),
        "{scheduled}"
    );
    // A repeated event: LAST SEEN is the last time alone (printEvent); describe's
    // `(xN over M)` form is not the table's.
    c.pod_event(
        &("kube-system".into(), "x".into()),
        "Warning",
        "BackOff",
        "again".into(),
    );
    c.now += 120_000;
    c.pod_event(
        &("kube-system".into(), "x".into()),
        "Warning",
        "BackOff",
        "again".into(),
    );
    let table = run(&mut c, "kubectl get events -n kube-system", &no_files);
    let line = table.stdout.lines().find(|l| l.contains("again")).unwrap();
    assert!(line.starts_with("0s "), "{line}");
    assert!(!table.stdout.contains(" over "), "{}", table.stdout);
}

#[test]
fn empty_lists_print_as_an_empty_list_object() {
    // kubectl get's printGeneric wraps zero items in a List and prints nothing else: "No
    // resources found" belongs to the table printers only.
    let mut c = running_cluster();
    let json = run(&mut c, "kubectl get pods -n nowhere -o json", &no_files);
    assert!(json.ok && json.stderr.is_empty(), "{}", json.stderr);
    assert_eq!(
        json.stdout,
        "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
    );
    let yaml = run(&mut c, "kubectl get pods -n nowhere -o yaml", &no_files);
    assert_eq!(
        yaml.stdout,
        "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"
    );
    assert!(yaml.stderr.is_empty());
    let table = run(&mut c, "kubectl get pods -n nowhere", &no_files);
    assert_eq!(table.stderr, "No resources found in nowhere namespace.\n");
}

#[test]
fn delete_as_kubectl_delete_does() {
    // Every expected line is PrintObj's or Complete/Validate's in kubectl's cmd/delete/delete.go.
    let mut c = running_cluster();
    let ns = "-n kube-system";
    let pod = c.pods.keys().next().unwrap().1.clone();
    let d = |c: &mut Cluster, line: &str| run(c, &format!("kubectl delete {line}"), &no_files);
    let e = |o: Output| (o.ok, o.stdout, o.stderr);
    assert_eq!(
        e(d(&mut c, "ds")),
        (
            false,
            String::new(),
            "error: resource(s) were provided, but no name was specified\n".into()
        )
    );
    assert_eq!(
        d(&mut c, "ds agent -o yaml").stderr,
        "error: unexpected -o output mode: yaml. We only support '-o name'\n"
    );
    assert_eq!(
        d(&mut c, "ds --all -l app=agent").stderr,
        "error: cannot set --all and --selector at the same time\n"
    );
    assert_eq!(
        d(&mut c, "pod x --force --grace-period=5").stderr,
        "error: --force and --grace-period greater than 0 cannot be specified together\n"
    );
    assert_eq!(
        d(&mut c, "pod x --now --grace-period=3").stderr,
        "error: --now and --grace-period cannot be specified together\n"
    );
    assert_eq!(
        d(&mut c, "ds -l app=agent agent").stderr,
        "error: name cannot be provided when a selector is specified\n"
    );
    // A dry run prints and deletes nothing.
    assert_eq!(
        d(&mut c, &format!("ds agent {ns} --dry-run=client")).stdout,
        "daemonset.apps \"agent\" deleted from kube-system namespace (dry run)\n"
    );
    assert!(c.daemon_sets.len() == 1);
    // Nothing selected: "No resources found" on stdout, and success.
    assert_eq!(
        e(d(&mut c, "ds --all -n nowhere")),
        (true, "No resources found\n".into(), String::new())
    );
    assert_eq!(
        e(d(&mut c, &format!("pods -l app=nothing {ns}"))),
        (true, "No resources found\n".into(), String::new())
    );
    // A pod chosen by label; kubectl waits until it is gone (its default --wait), by which time
    // the DaemonSet controller has made another.
    let out = d(&mut c, &format!("pods -l app=agent {ns}"));
    assert_eq!(
        out.stdout,
        format!("pod \"{pod}\" deleted from kube-system namespace\n")
    );
    assert!(!c.pods.contains_key(&("kube-system".into(), pod.clone())));
    let replacement = c.pods.keys().next().unwrap().1.clone();
    assert_ne!(replacement, pod);
    // --force with --grace-period=0: a warning, and "force deleted".
    let out = d(
        &mut c,
        &format!("pod {replacement} {ns} --grace-period=0 --force"),
    );
    assert_eq!(
        out.stderr,
        "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n"
    );
    assert_eq!(
        out.stdout,
        format!("pod \"{replacement}\" force deleted from kube-system namespace\n")
    );
    // Several names: the missing one is NotFound and the command fails; the other is deleted.
    let out = d(&mut c, &format!("ds agent nope {ns}"));
    assert_eq!(
        e(out),
        (
            false,
            "daemonset.apps \"agent\" deleted from kube-system namespace\n".into(),
            "Error from server (NotFound): daemonsets.apps \"nope\" not found\n".into()
        )
    );
    // TYPE/NAME forms; a cluster-scoped object has no namespace in the line; -o name.
    let out = d(&mut c, "node/n1 -o name");
    assert_eq!(out.stdout, "node/n1\n");
    assert!(c.nodes.is_empty());
}

#[test]
fn drain_filters_pods_as_pkg_drain_does() {
    // The filters of kubectl's pkg/drain/filters.go: a pod with emptyDir data needs
    // --delete-emptydir-data (its warning is replaced by the next filter's verdict, as upstream's
    // TODO says); a mirror pod is skipped silently.
    let objects = load(
        "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {allocatable: {cpu: '2', memory: 4Gi, pods: '110'}}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: cache\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: cache-rs, uid: 1a2b, controller: true}]\nspec:\n  nodeName: n1\n  volumes: [{name: scratch, emptyDir: {}}]\n  containers: [{name: c, image: 'busybox:1.36'}]\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: static-n1\n  annotations: {kubernetes.io/config.mirror: abc}\n  ownerReferences: [{apiVersion: v1, kind: Node, name: n1, uid: 3c4d, controller: true}]\nspec:\n  nodeName: n1\n  containers: [{name: c, image: 'busybox:1.36'}]\n",
    )
    .objects;
    let mut c = Cluster::from_objects(&objects, 1);
    c.run_to_steady_state(60_000);
    let out = run(&mut c, "kubectl drain n1", &no_files);
    assert!(!out.ok);
    assert_eq!(
        out.stderr.lines().last().unwrap(),
        "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache"
    );
    let out = run(&mut c, "kubectl drain n1 --delete-emptydir-data", &no_files);
    assert!(out.ok, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "node/n1 already cordoned\nevicting pod default/cache\npod/cache evicted\nnode/n1 drained\n"
    );
    assert!(c.pods.contains_key(&("default".into(), "static-n1".into())));
}

#[test]
fn rollout_status_waits_until_timeout_only_when_given_one() {
    // rollout_status.go: no timeout unless --timeout; when it passes, the watch's
    // "timed out waiting for the condition".
    let mut c = running_cluster();
    c.images.insert(
        "example.com/broken:1".into(),
        crate::engine::ImageBehaviour::PullFails,
    );
    let set = run(
        &mut c,
        "kubectl set image ds/agent c=example.com/broken:1 -n kube-system",
        &no_files,
    );
    assert!(set.ok, "{}", set.stderr);
    let start = c.now;
    let out = run(
        &mut c,
        "kubectl rollout status ds/agent -n kube-system --timeout=90s",
        &no_files,
    );
    assert!(!out.ok);
    assert_eq!(out.stderr, "error: timed out waiting for the condition\n");
    assert_eq!(c.now - start, 90_000);
    assert!(out
        .stdout
        .starts_with("Waiting for daemon set \"agent\" rollout to finish: 0 out of 1 new pods have been updated...\n"),
        "{}", out.stdout);
}

#[test]
fn field_selector_errors_in_each_resources_words() {
    let mut c = running_cluster();
    // A DaemonSet has no field-label conversion of its own: apimachinery's
    // DefaultMetaV1FieldSelectorConversion answers; pods convert theirs in core/v1 conversion.go.
    let ds = run(
        &mut c,
        "kubectl get ds --field-selector spec.x=y",
        &no_files,
    );
    assert_eq!(
        ds.stderr,
        "Error from server (BadRequest): Unable to find \"apps/v1, Resource=daemonsets\" that match label selector \"\", field selector \"spec.x=y\": \"spec.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"\n"
    );
    let pods = run(
        &mut c,
        "kubectl get pods --field-selector spec.x=y",
        &no_files,
    );
    assert_eq!(
        pods.stderr,
        "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"spec.x=y\": field label not supported: spec.x\n"
    );
    let ok = run(
        &mut c,
        "kubectl get ds -A --field-selector metadata.name=agent -o name",
        &no_files,
    );
    assert_eq!(ok.stdout, "daemonset.apps/agent\n");
}

#[test]
fn pod_columns_as_upstreams_print_pod_test() {
    // The cases of TestPrintPod (pkg/printers/internalversion/printers_test.go): READY, STATUS
    // and RESTARTS for each pod; the name and AGE columns are left out here.
    use crate::engine::time::{timestamp, HOUR, SECOND};
    let now = 30 * 24 * HOUR;
    let ago = |ms: i64| serde_json::to_value(timestamp(now - ms)).unwrap();
    let restarted =
        |ms: i64| serde_json::json!({"terminated": {"exitCode": 0, "finishedAt": ago(ms)}});
    let running = serde_json::json!({"running": {}});
    let waiting = |r: &str| serde_json::json!({"waiting": {"reason": r}});
    let cs = |ready: bool, restarts: i32, state: serde_json::Value| serde_json::json!({"name": "c", "image": "i", "imageID": "", "ready": ready, "restartCount": restarts, "state": state});
    let with_last = |mut v: serde_json::Value, last: serde_json::Value| {
        v["lastState"] = last;
        v
    };
    let containers = |n: usize| serde_json::json!(vec![serde_json::json!({"name": "c"}); n]);
    let day = 24 * HOUR;
    let cases: Vec<(serde_json::Value, [&str; 3])> = vec![
        (
            serde_json::json!({"spec": {"containers": containers(2)}, "status": {"phase": "podPhase", "containerStatuses": [cs(true, 3, running.clone()), cs(false, 3, serde_json::json!({}))]}}),
            ["1/2", "podPhase", "6"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(2)}, "status": {"phase": "podPhase", "containerStatuses": [cs(true, 3, running.clone()), cs(false, 3, waiting("ContainerWaitingReason"))]}}),
            ["1/2", "ContainerWaitingReason", "6"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(2)}, "status": {"phase": "podPhase", "containerStatuses": [cs(false, 3, waiting("ContainerWaitingReason")), cs(false, 3, serde_json::json!({"terminated": {"exitCode": 0, "reason": "ContainerTerminatedReason"}}))]}}),
            ["0/2", "ContainerWaitingReason", "6"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(2)}, "status": {"phase": "podPhase", "containerStatuses": [cs(true, 3, running.clone()), cs(true, 3, serde_json::json!({}))]}}),
            ["1/2", "podPhase", "6"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(2)}, "status": {"reason": "podReason", "phase": "podPhase", "containerStatuses": [cs(true, 3, running.clone()), cs(true, 3, serde_json::json!({}))]}}),
            ["1/2", "podReason", "6"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(2)}, "status": {"phase": "Running", "containerStatuses": [cs(true, 3, serde_json::json!({"terminated": {"exitCode": 0, "reason": "Completed"}})), cs(true, 3, running.clone())]}}),
            ["1/2", "NotReady", "6"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(2)}, "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}], "containerStatuses": [cs(true, 3, serde_json::json!({"terminated": {"exitCode": 0, "reason": "Completed"}})), cs(true, 3, running.clone())]}}),
            ["1/2", "Running", "6"],
        ),
        (
            serde_json::json!({"spec": {"initContainers": containers(1), "containers": containers(1)}, "status": {"phase": "podPhase", "initContainerStatuses": [with_last(cs(false, 3, running.clone()), restarted(10 * SECOND))], "containerStatuses": [cs(false, 0, serde_json::json!({"waiting": {}}))]}}),
            ["0/1", "Init:0/1", "3 (10s ago)"],
        ),
        (
            serde_json::json!({"spec": {"initContainers": containers(2), "containers": containers(1)}, "status": {"phase": "podPhase", "initContainerStatuses": [with_last(cs(false, 3, running.clone()), restarted(10 * SECOND)), cs(false, 0, serde_json::json!({"waiting": {}}))], "containerStatuses": [cs(false, 0, serde_json::json!({"waiting": {}}))]}}),
            ["0/1", "Init:0/2", "3 (10s ago)"],
        ),
        (
            serde_json::json!({"spec": {"initContainers": containers(2), "containers": containers(1)}, "status": {"phase": "podPhase", "initContainerStatuses": [cs(false, 0, serde_json::json!({"terminated": {"exitCode": 0}})), with_last(cs(false, 3, running.clone()), restarted(10 * SECOND))], "containerStatuses": [cs(false, 0, serde_json::json!({"waiting": {}}))]}}),
            ["0/1", "Init:1/2", "3 (10s ago)"],
        ),
        (
            serde_json::json!({"spec": {"initContainers": containers(2), "containers": containers(1)}, "status": {"phase": "podPhase", "initContainerStatuses": [with_last(cs(false, 2, serde_json::json!({"terminated": {"exitCode": 0}})), restarted(2 * 60 * SECOND)), with_last(cs(false, 3, running.clone()), restarted(10 * SECOND))], "containerStatuses": [cs(false, 0, serde_json::json!({"waiting": {}}))]}}),
            ["0/1", "Init:1/2", "5 (10s ago)"],
        ),
        (
            serde_json::json!({"spec": {"initContainers": containers(1), "containers": containers(1)}, "status": {"phase": "Running", "initContainerStatuses": [with_last(cs(false, 2, serde_json::json!({"terminated": {"exitCode": 0}})), restarted(2 * 60 * SECOND))], "containerStatuses": [with_last(cs(false, 4, running.clone()), restarted(20 * SECOND))]}}),
            ["0/1", "Running", "4 (20s ago)"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(1)}, "status": {"phase": "Running", "containerStatuses": [with_last(cs(true, 3, running.clone()), restarted(5 * day))]}}),
            ["1/1", "Running", "3 (5d ago)"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(2)}, "status": {"phase": "Running", "containerStatuses": [cs(true, 0, running.clone()), with_last(cs(true, 3, running.clone()), restarted(10 * day))]}}),
            ["2/2", "Running", "3 (10d ago)"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(2)}, "status": {"phase": "Running", "containerStatuses": [with_last(cs(true, 6, running.clone()), restarted(5 * day)), with_last(cs(true, 3, running.clone()), restarted(20 * day))]}}),
            ["2/2", "Running", "9 (5d ago)"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(2)}, "status": {"phase": "podPhase", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}}),
            ["0/2", "SchedulingGated", "0"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(1)}, "status": {"phase": "Succeeded", "containerStatuses": [cs(false, 0, serde_json::json!({"terminated": {"exitCode": 0, "reason": "Completed"}}))]}}),
            ["0/1", "Completed", "0"],
        ),
        (
            serde_json::json!({"spec": {"containers": containers(1)}, "status": {"phase": "Failed", "containerStatuses": [cs(false, 0, serde_json::json!({"terminated": {"exitCode": 1, "reason": "Error"}}))]}}),
            ["0/1", "Error", "0"],
        ),
        // test18: a deleted pod whose phase is terminal keeps its reason.
        (
            serde_json::json!({"metadata": {"deletionTimestamp": ago(10 * SECOND)}, "spec": {"containers": containers(1)}, "status": {"phase": "Succeeded", "containerStatuses": [cs(false, 0, serde_json::json!({"terminated": {"exitCode": 0, "reason": "Completed"}}))]}}),
            ["0/1", "Completed", "0"],
        ),
        // test19, test20: a deleted pod that is running or pending is Terminating.
        (
            serde_json::json!({"metadata": {"deletionTimestamp": ago(10 * SECOND)}, "spec": {"containers": containers(1)}, "status": {"phase": "Running", "containerStatuses": [cs(false, 0, running.clone())]}}),
            ["0/1", "Terminating", "0"],
        ),
        (
            serde_json::json!({"metadata": {"deletionTimestamp": ago(10 * SECOND)}, "spec": {"containers": containers(1)}, "status": {"phase": "Pending"}}),
            ["0/1", "Terminating", "0"],
        ),
    ];
    // TestPrintPodWithRestartableInitContainer: sidecars count among the containers.
    let sidecars = serde_json::json!([
        {"name": "restartable-init-1", "restartPolicy": "Always"},
        {"name": "restartable-init-2", "restartPolicy": "Always"}
    ]);
    let named = |name: &str, mut v: serde_json::Value, started: bool| {
        v["name"] = name.into();
        v["started"] = started.into();
        v
    };
    let initialized = |b: bool| serde_json::json!([{"type": "Initialized", "status": if b { "True" } else { "False" }}]);
    let cases: Vec<(serde_json::Value, [&str; 3])> = cases
        .into_iter()
        .chain([
            (
                serde_json::json!({"spec": {"initContainers": sidecars.clone(), "containers": containers(1)}, "status": {"phase": "Pending", "conditions": initialized(false), "initContainerStatuses": [named("restartable-init-1", with_last(cs(false, 3, running.clone()), restarted(10 * SECOND)), false), named("restartable-init-2", cs(false, 0, serde_json::json!({"waiting": {}})), false)], "containerStatuses": [cs(false, 0, serde_json::json!({"waiting": {}}))]}}),
                ["0/3", "Init:0/2", "3 (10s ago)"],
            ),
            (
                serde_json::json!({"spec": {"initContainers": sidecars.clone(), "containers": containers(1)}, "status": {"phase": "Pending", "conditions": initialized(false), "initContainerStatuses": [named("restartable-init-1", with_last(cs(false, 3, running.clone()), restarted(10 * SECOND)), true), named("restartable-init-2", cs(false, 0, running.clone()), false)], "containerStatuses": [cs(false, 0, serde_json::json!({"waiting": {}}))]}}),
                ["0/3", "Init:1/2", "3 (10s ago)"],
            ),
            (
                serde_json::json!({"spec": {"initContainers": sidecars.clone(), "containers": containers(1)}, "status": {"phase": "Running", "conditions": initialized(true), "initContainerStatuses": [named("restartable-init-1", with_last(cs(false, 3, running.clone()), restarted(10 * SECOND)), true), named("restartable-init-2", cs(false, 0, running.clone()), true)], "containerStatuses": [with_last(cs(true, 4, running.clone()), restarted(20 * SECOND))]}}),
                ["1/3", "Running", "7 (10s ago)"],
            ),
            (
                serde_json::json!({"spec": {"initContainers": sidecars.clone(), "containers": containers(1)}, "status": {"phase": "Succeeded", "conditions": initialized(true), "initContainerStatuses": [named("restartable-init-1", with_last(cs(false, 3, serde_json::json!({"terminated": {"exitCode": 137, "reason": "Error"}})), restarted(10 * SECOND)), false), named("restartable-init-2", cs(false, 0, serde_json::json!({"terminated": {"exitCode": 137, "reason": "Error"}})), false)], "containerStatuses": [with_last(cs(false, 4, serde_json::json!({"terminated": {"exitCode": 0, "reason": "Completed"}})), restarted(20 * SECOND))]}}),
                ["0/3", "Completed", "7 (10s ago)"],
            ),
        ])
        .collect();
    for (i, (pod, want)) in cases.into_iter().enumerate() {
        let p: k8s_openapi::api::core::v1::Pod = serde_json::from_value(pod).unwrap();
        let got = get::pod_columns(now, &p);
        assert_eq!(
            [
                got.ready.as_str(),
                got.status.as_str(),
                got.restarts.as_str()
            ],
            want,
            "case {}",
            i + 1
        );
    }
}

#[test]
fn default_toleration_seconds_as_the_admission_plugin_adds_them() {
    // plugin/pkg/admission/defaulttolerationseconds: a toleration with an empty key (any
    // operator) for NoExecute or every effect counts; one for another effect does not.
    let pod = |name: &str, tolerations: &str| {
        format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  tolerations: {tolerations}\n  containers: [{{name: c, image: 'busybox:1.36'}}]\n")
    };
    let text = [
        pod("all", "[{operator: Exists}]"),
        pod("noexecute", "[{operator: Exists, effect: NoExecute}]"),
        pod(
            "noschedule",
            "[{key: node.kubernetes.io/not-ready, operator: Exists, effect: NoSchedule}]",
        ),
    ]
    .concat();
    let c = Cluster::from_objects(&load(&text).objects, 1);
    let added = |name: &str| {
        c.pods[&("default".to_string(), name.to_string())]
            .spec
            .as_ref()
            .unwrap()
            .tolerations
            .iter()
            .flatten()
            .filter(|t| t.toleration_seconds == Some(300))
            .count()
    };
    assert_eq!(
        (added("all"), added("noexecute"), added("noschedule")),
        (0, 0, 2)
    );
}

#[test]
fn min_ready_seconds_hold_availability_back() {
    // podutil.IsPodAvailable: Ready for longer than minReadySeconds (the Ready condition's
    // transition time plus minReadySeconds is before now); updateDaemonSetStatus counts
    // numberAvailable that way and the controller looks again after minReadySeconds.
    let objects = load(
        "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {allocatable: {cpu: '2', memory: 4Gi, pods: '110'}}\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  minReadySeconds: 30\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: c, image: 'busybox:1.36'}]\n",
    )
    .objects;
    let mut c = Cluster::from_objects(&objects, 1);
    c.run_until(10_000);
    let status = |c: &Cluster| {
        let s = c.daemon_sets[&("default".to_string(), "agent".to_string())]
            .status
            .clone()
            .unwrap();
        (s.number_ready, s.number_available.unwrap_or(0))
    };
    assert_eq!(status(&c), (1, 0));
    let out = run(&mut c, "kubectl rollout status ds/agent", &no_files);
    assert_eq!(
        out.stdout,
        "Waiting for daemon set \"agent\" rollout to finish: 0 of 1 updated pods are available...\ndaemon set \"agent\" successfully rolled out\n"
    );
    assert_eq!(status(&c), (1, 1));
    // The pod became Ready a few seconds in; available only once 30 s have passed since.
    assert!(c.now > 30_000 && c.now <= 40_000, "{}", c.now);
}

#[test]
fn taint_eviction_marks_cancels_and_sets_the_disruption_target() {
    // pkg/controller/tainteviction/taint_eviction.go: "Marking for deletion Pod ns/name", the
    // DisruptionTarget condition (DeletionByTaintManager) before the delete, and "Cancelling
    // deletion of Pod ns/name" when a scheduled eviction is called off.
    let objects = load(
        "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {allocatable: {cpu: '2', memory: 4Gi, pods: '110'}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  nodeName: n1\n  terminationGracePeriodSeconds: 30\n  tolerations: [{key: maint, operator: Exists, effect: NoExecute, tolerationSeconds: 60}]\n  containers: [{name: c, image: 'busybox:1.36'}]\n",
    )
    .objects;
    let mut c = Cluster::from_objects(&objects, 1);
    c.run_until(10_000);
    let events = |c: &Cluster| -> Vec<String> {
        c.events
            .records
            .iter()
            .filter(|e| e.reason == "TaintManagerEviction")
            .map(|e| e.message.clone())
            .collect()
    };
    assert!(run(&mut c, "kubectl taint node n1 maint=x:NoExecute", &no_files).ok);
    c.run_until(20_000);
    assert!(run(&mut c, "kubectl taint node n1 maint:NoExecute-", &no_files).ok);
    assert_eq!(events(&c), ["Cancelling deletion of Pod default/web"]);
    assert!(run(&mut c, "kubectl taint node n1 maint=x:NoExecute", &no_files).ok);
    c.run_until(80_000);
    assert_eq!(
        events(&c),
        [
            "Cancelling deletion of Pod default/web",
            "Marking for deletion Pod default/web"
        ]
    );
    let p = &c.pods[&("default".to_string(), "web".to_string())];
    assert!(p.metadata.deletion_timestamp.is_some());
    let target = p
        .status
        .as_ref()
        .unwrap()
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "DisruptionTarget")
        .unwrap();
    assert_eq!(
        (target.reason.as_deref(), target.message.as_deref()),
        (
            Some("DeletionByTaintManager"),
            Some("Taint manager: deleting due to NoExecute taint")
        )
    );
}

#[test]
fn describe_node_as_describe_node_lays_it_out() {
    // describeNode and describeNodeResource (kubectl describe.go): taints sorted by effect then
    // key (printTaintsMultilineWithIndent), capacity in resource-name order, hugepages rows with
    // shares and extended resources as bare counts in Allocated resources.
    let objects = load(
        "apiVersion: v1\nkind: Node\nmetadata: {name: gpu-1}\nspec:\n  taints:\n  - {key: b, effect: NoSchedule}\n  - {key: a, effect: NoSchedule}\n  - {key: c, value: x, effect: NoExecute}\nstatus:\n  addresses: [{type: InternalIP, address: 10.1.2.3}, {type: Hostname, address: gpu-1}]\n  capacity: {cpu: '8', memory: 32Gi, pods: '110', ephemeral-storage: 100Gi, hugepages-2Mi: '0', nvidia.com/gpu: '2'}\n  allocatable: {cpu: '8', memory: 32Gi, pods: '110', ephemeral-storage: 100Gi, hugepages-2Mi: '0', nvidia.com/gpu: '2'}\n",
    )
    .objects;
    let mut c = Cluster::from_objects(&objects, 1);
    let out = run(&mut c, "kubectl describe node gpu-1", &no_files).stdout;
    let has = |line: &str| assert!(out.lines().any(|l| l == line), "{line:?} in\n{out}");
    has("Taints:             c=x:NoExecute");
    has("                    a:NoSchedule");
    has("                    b:NoSchedule");
    has("  InternalIP:  10.1.2.3");
    has("  ephemeral-storage:  100Gi");
    has("  nvidia.com/gpu:     2");
    has("  hugepages-2Mi      0 (0%)    0 (0%)");
    has("  nvidia.com/gpu     0         0");
    has("Events:              <none>");
}

#[test]
fn service_account_admission_mounts_the_api_token() {
    // plugin/pkg/admission/serviceaccount/admission.go: the default account, and the projected
    // kube-api-access volume mounted read-only in every container, init containers too, unless
    // automountServiceAccountToken is false or a container mounts that path itself.
    let pod = |name: &str, extra: &str| {
        format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n{extra}  initContainers: [{{name: i, image: 'busybox:1.36'}}]\n  containers: [{{name: c, image: 'busybox:1.36'}}]\n")
    };
    let text = [
        pod("plain", ""),
        pod(
            "manual",
            "  automountServiceAccountToken: false\n  serviceAccountName: agent\n",
        ),
    ]
    .concat();
    let c = Cluster::from_objects(&load(&text).objects, 1);
    let spec = |name: &str| {
        c.pods[&("default".to_string(), name.to_string())]
            .spec
            .clone()
            .unwrap()
    };
    let plain = spec("plain");
    assert_eq!(plain.service_account_name.as_deref(), Some("default"));
    let volume = &plain.volumes.as_ref().unwrap()[0];
    assert!(volume.name.starts_with("kube-api-access-") && volume.name.len() == 21);
    let sources = volume.projected.as_ref().unwrap().sources.as_ref().unwrap();
    assert_eq!(
        sources[0]
            .service_account_token
            .as_ref()
            .unwrap()
            .expiration_seconds,
        Some(3607)
    );
    assert_eq!(
        sources[1].config_map.as_ref().unwrap().name,
        "kube-root-ca.crt"
    );
    for c in plain
        .init_containers
        .iter()
        .flatten()
        .chain(&plain.containers)
    {
        let m = &c.volume_mounts.as_ref().unwrap()[0];
        assert_eq!(
            (m.mount_path.as_str(), m.read_only, m.name.as_str()),
            (
                "/var/run/secrets/kubernetes.io/serviceaccount",
                Some(true),
                volume.name.as_str()
            )
        );
    }
    let off = spec("manual");
    assert_eq!(off.service_account_name.as_deref(), Some("agent"));
    assert!(off.volumes.is_none());
}

#[test]
fn describe_ds_as_describe_daemon_set_writes_it() {
    // describeDaemonSet (kubectl describe.go): the tabbed header, the four "Number of Nodes"
    // lines and Misscheduled written without tabs, "Pods Status:" from getPodStatusForController,
    // DescribePodTemplate, then the DaemonSet's events.
    let mut c = running_cluster();
    let out = run(
        &mut c,
        "kubectl describe ds agent -n kube-system",
        &no_files,
    );
    assert!(out.ok, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        &lines[..13],
        [
            "Name:           agent",
            "Namespace:      kube-system",
            "Selector:       app=agent",
            "Node-Selector:  <none>",
            "Labels:         <none>",
            "Annotations:    deprecated.daemonset.template.generation: 1",
            "Desired Number of Nodes Scheduled: 1",
            "Current Number of Nodes Scheduled: 1",
            "Number of Nodes Scheduled with Up-to-date Pods: 1",
            "Number of Nodes Scheduled with Available Pods: 1",
            "Number of Nodes Misscheduled: 0",
            "Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed",
            "Pod Template:",
        ]
    );
    assert_eq!(lines[13], "  Labels:  app=agent");
    // printPodTolerationsMultiline: key, then " op=Exists" for an Exists toleration.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("  Tolerations:") && l.ends_with(" op=Exists")),
        "{}",
        out.stdout
    );
    let events = lines.iter().position(|l| *l == "Events:").unwrap();
    assert!(lines[events + 3].contains("SuccessfulCreate"));
    assert!(lines[events + 3].contains("daemonset-controller"));
    // A missing DaemonSet: the NotFound error of the Get.
    let missing = run(&mut c, "kubectl describe ds nope -n kube-system", &no_files);
    assert_eq!(
        missing.stderr,
        "Error from server (NotFound): daemonsets.apps \"nope\" not found\n"
    );
}

#[test]
fn a_nominated_pod_keeps_its_room_from_pods_of_lower_priority() {
    // RunFilterPluginsWithNominatedPods (framework.go): while a preemptor waits for its victim
    // to go, a pod of lower priority is filtered as if the preemptor were already on the node.
    let objects = load(
        "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {allocatable: {cpu: '1', memory: 4Gi, pods: '110'}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: victim}\nspec:\n  nodeName: n1\n  terminationGracePeriodSeconds: 30\n  containers: [{name: c, image: 'busybox:1.36', resources: {requests: {cpu: 800m}}}]\n---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      priorityClassName: high\n      containers: [{name: c, image: 'busybox:1.36', resources: {requests: {cpu: 600m}}}]\n",
    )
    .objects;
    let mut c = Cluster::from_objects(&objects, 1);
    let key = |n: &str| ("default".to_string(), n.to_string());
    let victim = &c.pods[&key("victim")];
    assert!(victim.metadata.deletion_timestamp.is_some(), "preempted");
    // A small pod of priority 0 arrives while the victim terminates: 200m would fit beside the
    // victim, but not beside the nominated daemon pod.
    let small = load("apiVersion: v1\nkind: Pod\nmetadata: {name: small}\nspec:\n  containers: [{name: c, image: 'busybox:1.36', resources: {requests: {cpu: 200m}}}]\n").objects;
    c.apply_objects(&small);
    let node_of = |c: &Cluster, n: &str| {
        c.pods[&key(n)]
            .spec
            .as_ref()
            .and_then(|s| s.node_name.clone())
    };
    assert_eq!(node_of(&c, "small"), None);
    c.run_to_steady_state(120_000);
    let daemon = c
        .pods
        .keys()
        .find(|k| k.1.starts_with("agent-"))
        .unwrap()
        .clone();
    assert_eq!(node_of(&c, &daemon.1).as_deref(), Some("n1"));
    assert_eq!(node_of(&c, "small").as_deref(), Some("n1"));
}

#[test]
fn huge_seconds_do_not_overflow_the_clock() {
    // tolerationSeconds and terminationGracePeriodSeconds near i64::MAX: the countdowns
    // saturate instead of overflowing (the debug build panics on overflow).
    let text = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {allocatable: {cpu: '2', memory: 4Gi, pods: '110'}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  nodeName: n1\n  terminationGracePeriodSeconds: 9223372036854775807\n  tolerations: [{key: k, operator: Exists, effect: NoExecute, tolerationSeconds: 9223372036854775807}]\n  containers: [{name: c, image: 'busybox:1.36'}]\n";
    let mut c = Cluster::from_objects(&load(text).objects, 1);
    assert!(run(&mut c, "kubectl taint node n1 k=v:NoExecute", &no_files).ok);
    c.run_until(60_000);
    assert!(run(&mut c, "kubectl get events -o json", &no_files).ok);
    let out = run(&mut c, "kubectl delete pod x", &no_files);
    assert_eq!(out.stdout, "pod \"x\" deleted from default namespace\n");
}

#[test]
fn daemon_set_rows_as_upstreams_print_daemon_set_test() {
    // TestPrintDaemonSet (pkg/printers/internalversion/printers_test.go): the numbers from the
    // status, NODE SELECTOR <none>, and in -o wide the containers, images and selector.
    let mut c = Cluster::new(1);
    let ds: k8s_openapi::api::apps::v1::DaemonSet = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "test1", "namespace": "default", "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {
            "selector": {"matchLabels": {"foo": "bar"}},
            "template": {"spec": {"containers": [
                {"name": "fake-container1", "image": "fake-image1"},
                {"name": "fake-container2", "image": "fake-image2"}
            ]}}
        },
        "status": {"currentNumberScheduled": 2, "desiredNumberScheduled": 3, "numberReady": 1,
                   "updatedNumberScheduled": 2, "numberAvailable": 0, "numberMisscheduled": 0}
    }))
    .unwrap();
    c.daemon_sets.insert(("default".into(), "test1".into()), ds);
    let row = |out: &str| -> Vec<String> {
        out.lines()
            .nth(1)
            .unwrap()
            .split("   ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let table = run(&mut c, "kubectl get ds", &no_files);
    assert_eq!(
        row(&table.stdout),
        ["test1", "3", "2", "1", "2", "0", "<none>", "0s"]
    );
    let wide = run(&mut c, "kubectl get ds -o wide", &no_files);
    assert_eq!(
        row(&wide.stdout),
        [
            "test1",
            "3",
            "2",
            "1",
            "2",
            "0",
            "<none>",
            "0s",
            "fake-container1,fake-container2",
            "fake-image1,fake-image2",
            "foo=bar"
        ]
    );
}

#[test]
fn node_status_as_upstreams_print_node_status_test() {
    // TestPrintNodeStatus (printers_test.go): Ready or NotReady from the Ready condition, Unknown
    // without one, then SchedulingDisabled for an unschedulable node.
    let cases = [
        (
            "foo1",
            false,
            r#"[{"type": "Ready", "status": "True"}]"#,
            "Ready",
        ),
        (
            "foo2",
            true,
            r#"[{"type": "Ready", "status": "True"}]"#,
            "Ready,SchedulingDisabled",
        ),
        (
            "foo3",
            false,
            r#"[{"type": "Ready", "status": "True"}, {"type": "Ready", "status": "True"}]"#,
            "Ready",
        ),
        (
            "foo4",
            false,
            r#"[{"type": "Ready", "status": "False"}]"#,
            "NotReady",
        ),
        (
            "foo5",
            true,
            r#"[{"type": "Ready", "status": "False"}]"#,
            "NotReady,SchedulingDisabled",
        ),
        (
            "foo6",
            false,
            r#"[{"type": "InvalidValue", "status": "True"}]"#,
            "Unknown",
        ),
        ("foo7", false, r#"[{"type": "", "status": ""}]"#, "Unknown"),
        (
            "foo8",
            true,
            r#"[{"type": "InvalidValue", "status": "True"}]"#,
            "Unknown,SchedulingDisabled",
        ),
        (
            "foo9",
            true,
            r#"[{"type": "", "status": ""}]"#,
            "Unknown,SchedulingDisabled",
        ),
    ];
    for (name, unschedulable, conditions, want) in cases {
        let mut c = Cluster::new(1);
        let node: k8s_openapi::api::core::v1::Node = serde_json::from_value(serde_json::json!({
            "metadata": {"name": name},
            "spec": {"unschedulable": unschedulable},
            "status": {"conditions": serde_json::from_str::<serde_json::Value>(conditions).unwrap()}
        }))
        .unwrap();
        c.nodes.insert(name.into(), node);
        let out = run(&mut c, "kubectl get nodes", &no_files);
        let status = out
            .stdout
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_string();
        assert_eq!(status, want, "{name}");
    }
    // TestPrintNodeOSImage, TestPrintNodeExternalIP, TestPrintNodeInternalIP: the wide columns,
    // the first address of each type, "<unknown>" for missing system info.
    let wide_cases = [
        (
            r#"{"nodeInfo": {"osImage": "fake-os-image"}, "addresses": [{"type": "ExternalIP", "address": "1.1.1.1"}]}"#,
            [
                "<none>",
                "1.1.1.1",
                "fake-os-image",
                "<unknown>",
                "<unknown>",
            ],
        ),
        (
            r#"{"nodeInfo": {"kernelVersion": "fake-kernel-version"}, "addresses": [{"type": "ExternalIP", "address": "1.1.1.1"}]}"#,
            [
                "<none>",
                "1.1.1.1",
                "<unknown>",
                "fake-kernel-version",
                "<unknown>",
            ],
        ),
        (
            r#"{"nodeInfo": {"containerRuntimeVersion": "foo://1.2.3"}, "addresses": [{"type": "ExternalIP", "address": "1.1.1.1"}]}"#,
            ["<none>", "1.1.1.1", "<unknown>", "<unknown>", "foo://1.2.3"],
        ),
        (
            r#"{"addresses": [{"type": "ExternalIP", "address": "2.2.2.2"}, {"type": "InternalIP", "address": "3.3.3.3"}, {"type": "ExternalIP", "address": "4.4.4.4"}]}"#,
            ["3.3.3.3", "2.2.2.2", "<unknown>", "<unknown>", "<unknown>"],
        ),
    ];
    for (status, want) in wide_cases {
        let mut c = Cluster::new(1);
        let node: k8s_openapi::api::core::v1::Node = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "foo1"},
            "status": serde_json::from_str::<serde_json::Value>(status).unwrap()
        }))
        .unwrap();
        c.nodes.insert("foo1".into(), node);
        let out = run(&mut c, "kubectl get nodes -o wide", &no_files);
        let cells: Vec<&str> = out
            .stdout
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .collect();
        assert_eq!(cells[cells.len() - 5..], want, "{status}");
    }
}

#[test]
fn readiness_gates_as_upstreams_print_podwide_test() {
    // TestPrintPodwide (printers_test.go): three gates, condition1 False, condition2 True,
    // condition3 absent: "1/3".
    let mut c = Cluster::new(1);
    let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "test1", "namespace": "default"},
        "spec": {
            "containers": [{"name": "a"}, {"name": "b"}],
            "readinessGates": [{"conditionType": "condition1"}, {"conditionType": "condition2"}, {"conditionType": "condition3"}]
        },
        "status": {
            "phase": "podPhase",
            "conditions": [{"type": "condition1", "status": "False"}, {"type": "condition2", "status": "True"}]
        }
    }))
    .unwrap();
    c.pods.insert(("default".into(), "test1".into()), pod);
    let out = run(&mut c, "kubectl get pods -o wide", &no_files);
    let row = out.stdout.lines().nth(1).unwrap();
    assert!(row.trim_end().ends_with("1/3"), "{row}");
}

#[test]
fn set_image_to_nothing_is_refused_by_validation() {
    // set_image.go wraps the API server's refusal of the patched DaemonSet ("failed to patch
    // image update to pod template: %v"); the error is ValidateDaemonSet's Required image.
    let mut c = running_cluster();
    let out = run(
        &mut c,
        "kubectl set image ds/agent c= -n kube-system",
        &no_files,
    );
    assert!(!out.ok);
    assert_eq!(
        out.stderr,
        "error: failed to patch image update to pod template: DaemonSet.apps \"agent\" is invalid: spec.template.spec.containers[0].image: Required value\n"
    );
    let image = c.daemon_sets[&("kube-system".to_string(), "agent".to_string())]
        .spec
        .as_ref()
        .unwrap()
        .template
        .spec
        .as_ref()
        .unwrap()
        .containers[0]
        .image
        .clone();
    assert_eq!(image.as_deref(), Some("busybox:1.36"));
}

#[test]
fn sim_node_add_registers_only_what_the_api_server_accepts() {
    // A node added with `sim node add` is validated as any Node (ValidateNode's words).
    let mut c = Cluster::new(1);
    let add = |c: &mut Cluster, line: &str| crate::scenario::run_line(c, line, &no_files);
    let out = add(&mut c, "sim node add UPPER_case");
    assert!(!out.ok);
    assert!(out.stderr.starts_with(
        "sim: The Node \"UPPER_case\" is invalid: metadata.name: Invalid value: \"UPPER_case\""
    ));
    let out = add(&mut c, "sim node add n6 --memory -1");
    assert_eq!(
        out.stderr,
        "sim: The Node \"n6\" is invalid: status.allocatable[memory]: Invalid value: \"-1\": must be greater than or equal to 0\n"
    );
    let out = add(&mut c, "sim node add n9 --taints a:Bogus");
    assert!(
        out.stderr.contains("Unsupported value: \"Bogus\""),
        "{}",
        out.stderr
    );
    assert!(c.nodes.is_empty());
    assert!(add(&mut c, "sim node add ok1").ok);
    assert_eq!(c.nodes.len(), 1);
}

#[test]
fn delete_by_file_deletes_what_the_file_names() {
    // `kubectl delete -f FILE`: the objects the manifest holds, in its order, each with
    // PrintObj's line. (The playground takes a file's objects kind by kind — nodes before
    // DaemonSets — not in document order; this file has them in that order already.)
    let mut c = running_cluster();
    let file = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: kube-system}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: c, image: 'busybox:1.36'}]\n";
    let files = |p: &str| {
        if p == "agent.yaml" {
            Ok(file.to_string())
        } else {
            Err(format!("no file {p}"))
        }
    };
    let out = run(&mut c, "kubectl delete -f agent.yaml", &files);
    assert_eq!(
        out.stdout,
        "node \"n1\" deleted\ndaemonset.apps \"agent\" deleted from kube-system namespace\n"
    );
    assert!(c.daemon_sets.is_empty() && c.nodes.is_empty());
}

#[test]
fn unknown_flags_are_refused_in_kubectls_words() {
    // pflag's messages (`unknown flag: --%s`, `unknown shorthand flag: %q in -%s`, `flag needs
    // an argument`) with the hint of kubectl's FlagErrorFunc (pkg/util/templates/templater.go),
    // after CheckErr's `error: `. A captured kubectl run prints the same shape:
    // "error: unknown flag: --dry-run\nSee 'kubectl debug --help' for usage."
    let mut c = cluster();
    let cases = [
        (
            "kubectl describe pods --field-selector spec.nodeName=n1",
            "error: unknown flag: --field-selector\nSee 'kubectl describe --help' for usage.\n",
        ),
        (
            "kubectl get pods -z",
            "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n",
        ),
        (
            "kubectl rollout status ds/agent -n kube-system --to-revision=1",
            "error: unknown flag: --to-revision\nSee 'kubectl rollout status --help' for usage.\n",
        ),
        (
            "kubectl cordon n1 -o name",
            "error: unknown shorthand flag: 'o' in -o\nSee 'kubectl cordon --help' for usage.\n",
        ),
        (
            "kubectl get pods -n",
            "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n",
        ),
        (
            "kubectl set image ds/agent --namespace",
            "error: flag needs an argument: --namespace\nSee 'kubectl set image --help' for usage.\n",
        ),
    ];
    for (line, want) in cases {
        let out = run(&mut c, line, &no_files);
        assert!(!out.ok, "{line}");
        assert_eq!(out.text(), want, "{line}");
    }
    // Flags every command inherits, and each command's own, pass.
    for line in [
        "kubectl get pods -A --kubeconfig=/tmp/k --context kind -v=6 --no-headers",
        "kubectl describe ds agent -n kube-system --show-events=false",
        "kubectl taint nodes n1 a=b:NoSchedule --overwrite",
        "kubectl drain n1 --ignore-daemonsets --delete-emptydir-data --force --timeout=1s",
    ] {
        let out = run(&mut c, line, &no_files);
        assert!(!out.text().contains("unknown"), "{line}: {}", out.text());
    }
}

#[test]
fn apply_merges_three_ways_as_kubectl_does() {
    // patcher.go's three-way merge: the last applied configuration, the new one, the live object.
    let node = "apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {zone: a}}\nstatus: {allocatable: {cpu: '2', memory: 4Gi, pods: '110'}}\n";
    let files = |p: &str| -> Result<String, String> {
        match p {
            "node.yaml" => Ok(node.to_string()),
            "node-b.yaml" => Ok(node.replace("zone: a", "rack: r1")),
            "node-c.yaml" => Ok(node.replace(", labels: {zone: a}", "")),
            _ => Err(format!("no file {p}")),
        }
    };
    let mut c = Cluster::new(1);
    assert_eq!(
        run(&mut c, "kubectl apply -f node.yaml", &files).stdout,
        "node/n1 created\n"
    );
    run(&mut c, "kubectl taint nodes n1 k=v:NoSchedule", &files);
    run(&mut c, "kubectl label nodes n1 by=hand", &files);
    run(&mut c, "kubectl cordon n1", &files);
    // The same manifest again: an empty patch, and what was done by hand stays.
    let out = run(&mut c, "kubectl apply -f node.yaml", &files);
    assert_eq!(out.text(), "node/n1 unchanged\n");
    let n = &c.nodes["n1"];
    let spec = n.spec.as_ref().unwrap();
    assert_eq!(spec.unschedulable, Some(true));
    assert!(spec.taints.as_ref().unwrap().iter().any(|t| t.key == "k"));
    assert_eq!(n.metadata.labels.as_ref().unwrap()["by"], "hand");
    // A label removed from the manifest is removed; one added by hand stays.
    let out = run(&mut c, "kubectl apply -f node-b.yaml", &files);
    assert_eq!(out.text(), "node/n1 configured\n");
    let labels = c.nodes["n1"].metadata.labels.clone().unwrap();
    assert!(
        !labels.contains_key("zone") && labels["rack"] == "r1" && labels["by"] == "hand",
        "{labels:?}"
    );

    // A manifest that only catches up with a change made by hand still sends the new
    // last-applied configuration (the annotation changes), so it is configured.
    run(&mut c, "kubectl label nodes n1 rack-", &files);
    assert_eq!(
        run(&mut c, "kubectl apply -f node-c.yaml", &files).stdout,
        "node/n1 configured\n"
    );
    assert_eq!(
        run(&mut c, "kubectl apply -f node-c.yaml", &files).stdout,
        "node/n1 unchanged\n"
    );
    // Back to the first manifest: zone comes back; configured, then unchanged.
    assert_eq!(
        run(&mut c, "kubectl apply -f node.yaml", &files).stdout,
        "node/n1 configured\n"
    );
    assert_eq!(
        run(&mut c, "kubectl apply -f node.yaml", &files).stdout,
        "node/n1 unchanged\n"
    );

    // An object made by kubectl create has no last applied configuration: apply warns
    // (apply.go's warningNoLastAppliedConfigAnnotation) and patches it.
    let mut c = Cluster::new(1);
    run(&mut c, "kubectl create -f node.yaml", &files);
    let out = run(&mut c, "kubectl apply -f node-b.yaml", &files);
    assert_eq!(out.stderr, "Warning: resource nodes/n1 is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n");
    assert_eq!(out.stdout, "node/n1 configured\n");
    // Without an original, nothing is deleted: zone stays.
    assert!(c.nodes["n1"]
        .metadata
        .labels
        .as_ref()
        .unwrap()
        .contains_key("zone"));
}

#[test]
fn a_reapplied_manifest_sets_back_the_fields_it_names() {
    let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: c, image: 'busybox:1.36'}]\n";
    let files = |_: &str| -> Result<String, String> { Ok(ds.to_string()) };
    let mut c = Cluster::new(1);
    run(&mut c, "kubectl apply -f ds.yaml", &files);
    assert_eq!(
        run(&mut c, "kubectl apply -f ds.yaml", &files).stdout,
        "daemonset.apps/agent unchanged\n"
    );
    run(&mut c, "kubectl set image ds/agent c=busybox:1.37", &files);
    // The image is in the manifest, so apply puts it back (the patch names it).
    assert_eq!(
        run(&mut c, "kubectl apply -f ds.yaml", &files).stdout,
        "daemonset.apps/agent configured\n"
    );
    let image = c
        .daemon_sets
        .values()
        .next()
        .unwrap()
        .spec
        .as_ref()
        .unwrap()
        .template
        .spec
        .as_ref()
        .unwrap()
        .containers[0]
        .image
        .clone();
    assert_eq!(image.as_deref(), Some("busybox:1.36"));
}
