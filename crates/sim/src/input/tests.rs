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

const AGENT: &str = "apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: agent:1
";

#[test]
fn octal_modes_load_as_kubectl_sends_them() {
    // go-yaml v2 reads a plain 0400 as octal (256); YAML 1.2 would read 400, and 0644 as 644,
    // which the API server refuses (over 0777).
    let text = format!(
        "{AGENT}      volumes:\n      - name: certs\n        secret:\n          secretName: certs\n          defaultMode: 0644\n"
    );
    let l = load(&text);
    assert!(!l.has_errors(), "{:?}", l.diagnostics);
    let spec = l.objects.daemon_sets[0].spec.as_ref().unwrap();
    let volumes = spec
        .template
        .spec
        .as_ref()
        .unwrap()
        .volumes
        .as_ref()
        .unwrap();
    assert_eq!(
        volumes[0].secret.as_ref().unwrap().default_mode,
        Some(0o644)
    );
}

#[test]
fn json_only_when_the_stream_starts_with_a_brace() {
    // YAMLOrJSONDecoder's hasJSONPrefix: `---` then a flow mapping (with a comment and a
    // trailing comma, which JSON forbids) is YAML.
    let text = "---\n{ apiVersion: v1, kind: Node, # a comment\n  metadata: {name: n1}, }\n";
    let l = load(text);
    assert!(!l.has_errors(), "{:?}", l.diagnostics);
    assert_eq!(l.objects.nodes.len(), 1);
    // Starting with `{`, the whole stream is JSON: several objects one after another.
    let l = load("{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"a\"}}\n{\"apiVersion\": \"v1\", \"kind\": \"Node\", \"metadata\": {\"name\": \"b\"}}");
    assert!(!l.has_errors(), "{:?}", l.diagnostics);
    assert_eq!(l.objects.nodes.len(), 2);
}

#[test]
fn typed_list_items_take_the_lists_kind() {
    // What `kubectl get --raw /api/v1/nodes` prints: items without apiVersion and kind.
    let text = r#"{"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"},
        "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}"#;
    let l = load(text);
    assert!(!l.has_errors(), "{:?}", l.diagnostics);
    assert_eq!(l.objects.nodes.len(), 2);
    // A plain `kind: List` gives its items nothing: each must say what it is.
    let l = load("apiVersion: v1\nkind: List\nitems:\n- metadata: {name: a}\n");
    assert!(l.has_errors());
    assert!(
        l.diagnostics[0].message.contains("kind not set"),
        "{:?}",
        l.diagnostics
    );
}

#[test]
fn custom_resources_and_their_definitions() {
    let crd = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: policies.example.com
spec:
  group: example.com
  names: {kind: Policy, plural: policies}
  scope: Namespaced
  versions:
  - {name: v1, served: true, storage: true}
";
    let cr = "apiVersion: example.com/v1\nkind: Policy\nmetadata:\n  name: p\n";
    // The resource before its definition, in another file: still set aside, not an error.
    let l = load_sources(&[
        Source::new("cr.yaml", format!("{cr}---\n{AGENT}")),
        Source::new("crd.yaml", crd),
    ]);
    assert!(!l.has_errors(), "{:?}", l.diagnostics);
    assert_eq!(l.objects.daemon_sets.len(), 1);
    assert!(l.diagnostics[0]
        .message
        .starts_with("Policy \"p\" is a custom resource"));
    assert_eq!(l.diagnostics[0].source.as_deref(), Some("cr.yaml"));
    // A version the definition does not serve, and a kind nothing defines: kubectl's error, for
    // that document only.
    let l = load(&format!(
        "{crd}---\n{}---\n{AGENT}",
        cr.replace("/v1", "/v2")
    ));
    assert_eq!(l.diagnostics.iter().filter(|d| d.is_error()).count(), 1);
    assert!(l.diagnostics.iter().any(|d| d
        .message
        .contains("no matches for kind \"Policy\" in version \"example.com/v2\"")));
    assert_eq!(l.objects.daemon_sets.len(), 1);
}

#[test]
fn generate_name_is_for_create_only() {
    let text = AGENT.replace("name: agent\nspec", "generateName: agent-\nspec");
    let l = load(&text);
    assert_eq!(
        l.diagnostics[0].message,
        "from agent-: cannot use generate name with apply"
    );
    assert!(l.objects.daemon_sets.is_empty());
    let l = load_sources_for_create(&[Source::new("a.yaml", text)]);
    assert!(!l.has_errors(), "{:?}", l.diagnostics);
    assert_eq!(
        l.objects.daemon_sets[0].metadata.generate_name.as_deref(),
        Some("agent-")
    );
    // SimpleNameGenerator: the prefix is cut to 58 characters before the 5 random ones.
    assert_eq!(generated_name(&"a".repeat(70), "bcdfg").len(), 63);
    assert_eq!(generated_name("agent-", "x2b4c"), "agent-x2b4c");
}

#[test]
fn a_second_global_default_priority_class_is_forbidden() {
    let pc = |name: &str| {
        format!("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: {name}\nvalue: 10\nglobalDefault: true\n")
    };
    let l = load_sources(&[Source::new(
        "pcs.yaml",
        format!("{}---\n{}", pc("a"), pc("b")),
    )]);
    assert_eq!(l.objects.priority_classes.len(), 1);
    assert_eq!(
        l.diagnostics[0].message,
        "Error from server (Forbidden): error when creating \"pcs.yaml\": priorityclasses.scheduling.k8s.io \"b\" is forbidden: PriorityClass a is already marked as default. Only one default can exist"
    );
}

#[test]
fn node_dumps_read_fast_give_what_the_general_path_gives() {
    // A JSON node list takes the fast path (no Value tree); the same list as YAML takes the
    // general one. Both must load the same nodes, defaulted alike.
    let json = crate::synth::node_list_json(20, 3);
    let yaml = crate::print::yaml::to_string(&serde_json::from_str(&json).unwrap());
    let (a, b) = (load(&json), load(&yaml));
    assert!(a.diagnostics.is_empty() && b.diagnostics.is_empty());
    assert_eq!(a.objects.nodes, b.objects.nodes);
    // An unknown field is warned about and placed, as on the general path …
    let odd = json.replacen(
        "\"spec\": {",
        "\"spec\": {\"podCIDRx\": \"10.0.0.0/24\", ",
        1,
    );
    let l = load(&odd);
    assert_eq!(l.objects.nodes.len(), 20);
    assert_eq!(l.diagnostics[0].message, "unknown field \"spec.podCIDRx\"");
    assert!(l.diagnostics[0].line.is_some_and(|n| n > 1));
    // … and so is a node that is not valid.
    let bad = json.replacen(
        "\"name\": \"ip-10-0-0-0.ec2.internal\"",
        "\"name\": \"Bad_Name\"",
        1,
    );
    let l = load(&bad);
    assert_eq!(l.objects.nodes.len(), 19);
    assert!(l.diagnostics[0]
        .message
        .starts_with("The Node \"Bad_Name\" is invalid: metadata.name"));
}

#[test]
fn yaml_node_lists_are_decoded_item_by_item_as_the_general_path_would() {
    // A YAML list's plain nodes are decoded while the list is read; the result must be what the
    // same nodes give as separate documents.
    let json = crate::synth::node_list_json(12, 5);
    let list: Value = serde_json::from_str(&json).unwrap();
    let yaml = crate::print::yaml::to_string(&list);
    let documents: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(crate::print::yaml::to_string)
        .collect();
    let (a, b) = (load(&yaml), load(&documents.join("---\n")));
    assert!(a.diagnostics.is_empty() && b.diagnostics.is_empty());
    assert_eq!(a.objects.nodes.len(), 12);
    assert_eq!(a.objects.nodes, b.objects.nodes);
    // An item with an unknown field stays in the tree: warned and placed, and kept in its order.
    let odd = yaml.replacen("  spec:\n", "  spec:\n    podCIDRx: 10.0.0.0/24\n", 2);
    let l = load(&odd);
    assert_eq!(l.objects.nodes, a.objects.nodes);
    assert_eq!(l.diagnostics.len(), 2);
    assert_eq!(l.diagnostics[0].message, "unknown field \"spec.podCIDRx\"");
    let line = odd.lines().position(|s| s.contains("podCIDRx")).unwrap() + 1;
    assert_eq!(l.diagnostics[0].line, Some(line));
    // A later item with the same name replaces an earlier one, whichever way each was read.
    let first = a.objects.nodes[0].metadata.name.clone().unwrap();
    let second = a.objects.nodes[1].metadata.name.clone().unwrap();
    let twice = yaml.replacen(
        &format!("\n    name: {second}\n"),
        &format!("\n    name: {first}\n"),
        1,
    );
    assert_eq!(load(&twice).objects.nodes.len(), 11);
    // Items are taken only from a List: a Node that happens to have `items` is read whole.
    let text = "apiVersion: v1\nkind: Node\nmetadata:\n  name: outer\nitems:\n- apiVersion: v1\n  kind: Node\n  metadata:\n    name: inner\n";
    let l = load(text);
    let names: Vec<_> = l
        .objects
        .nodes
        .iter()
        .map(|n| n.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["outer"]);
    assert_eq!(l.diagnostics[0].message, "unknown field \"items\"");
}
