#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use super::*;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

const NODE: &str = "apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n";

#[test]
fn several_documents_comments_and_no_trailing_newline() {
    let text = format!(
        "# leading comment\n---\n{NODE}---\n# only a comment\n---\n\n---\n{}",
        NODE.replace("n1", "n2").trim_end()
    );
    let l = load(&text);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    assert_eq!(l.objects.nodes.len(), 2);
}

#[test]
fn lists_and_typed_lists_as_kubectl_prints_them() {
    let yaml = "apiVersion: v1\nkind: NodeList\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Node\n  metadata: {name: b}\nmetadata: {resourceVersion: ''}\n";
    assert_eq!(load(yaml).objects.nodes.len(), 2);
    let json = r#"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"a"}},
        {"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"a":"b"}},
        "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}]}"#;
    let l = load(json);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    assert_eq!((l.objects.nodes.len(), l.objects.daemon_sets.len()), (1, 1));
}

#[test]
fn apps_v1_defaults_are_applied_on_load() {
    let yaml = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: 'i:1'}]}\n";
    let l = load(yaml);
    let ds = &l.objects.daemon_sets[0];
    assert_eq!(ds.metadata.namespace.as_deref(), Some("default"));
    let spec = ds.spec.as_ref().unwrap();
    let ru = spec
        .update_strategy
        .as_ref()
        .unwrap()
        .rolling_update
        .as_ref()
        .unwrap();
    assert_eq!(
        (ru.max_unavailable.clone(), ru.max_surge.clone()),
        (Some(IntOrString::Int(1)), Some(IntOrString::Int(0)))
    );
    assert_eq!(spec.revision_history_limit, Some(10));
    assert_eq!(
        spec.template
            .spec
            .as_ref()
            .unwrap()
            .restart_policy
            .as_deref(),
        Some("Always")
    );
}

#[test]
fn an_unknown_field_is_a_located_warning_and_the_object_still_loads() {
    let yaml = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      tolerations:\n      - key: k\n        efect: NoSchedule\n      containers: [{name: c, image: 'i:1'}]\n";
    let l = load(yaml);
    assert_eq!(l.objects.daemon_sets.len(), 1);
    let d = &l.diagnostics[0];
    assert_eq!(d.severity, crate::Severity::Warning);
    assert_eq!(
        d.message,
        "unknown field \"spec.template.spec.tolerations[0].efect\""
    );
    assert_eq!((d.line, d.column), (Some(11), Some(9)));
}

#[test]
fn a_later_definition_replaces_an_earlier_one() {
    let text = format!("{NODE}  labels: {{x: '1'}}\n---\n{NODE}  labels: {{x: '2'}}\n");
    let l = load(&text);
    assert_eq!(l.objects.nodes.len(), 1);
    assert_eq!(
        l.objects.nodes[0].metadata.labels.as_ref().unwrap()["x"],
        "2"
    );
    assert_eq!(l.diagnostics.len(), 1);
    assert_eq!(l.diagnostics[0].document, Some(2));
}

#[test]
fn errors_in_one_document_leave_the_others_loaded() {
    let text = format!("{NODE}---\napiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata: {{name: old}}\n---\n{}", NODE.replace("n1", "n2"));
    let l = load(&text);
    assert_eq!(l.objects.nodes.len(), 2);
    let d = &l.diagnostics[0];
    assert_eq!((d.document, d.line), (Some(2), Some(6)));
    assert!(
        d.message
            .contains("no matches for kind \"DaemonSet\" in version \"extensions/v1beta1\""),
        "{}",
        d.message
    );
}
