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
    let s = get::parse_selector("app=a,tier!=db,env in (prod,staging),!legacy,zone").unwrap();
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
