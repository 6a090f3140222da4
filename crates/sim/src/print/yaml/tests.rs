//! The expected texts come from go-yaml v2's own tests (`goyaml.v2/encode_test.go` in
//! sigs.k8s.io/yaml, the fork kubectl prints with): `marshalTests`, `TestLineWrapping` and
//! `TestSortedOutput`.

use super::*;
use serde_json::json;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn marshal_tests() {
    let rows: &[(Value, &str)] = &[
        (json!(null), "null\n"),
        (json!({}), "{}\n"),
        (json!({"v": "hi"}), "v: hi\n"),
        (json!({"v": "true"}), "v: \"true\"\n"),
        (json!({"v": "false"}), "v: \"false\"\n"),
        (json!({"v": true}), "v: true\n"),
        (json!({"v": 10}), "v: 10\n"),
        (json!({"v": -10}), "v: -10\n"),
        (json!({"v": 4294967296u64}), "v: 4294967296\n"),
        (json!({"v": "10"}), "v: \"10\"\n"),
        (json!({"v": 0.1}), "v: 0.1\n"),
        (json!({"v": -0.1}), "v: -0.1\n"),
        (json!({"v": null}), "v: null\n"),
        (json!({"v": ""}), "v: \"\"\n"),
        (json!({"v": ["A", "B"]}), "v:\n- A\n- B\n"),
        (json!({"v": ["A", "B\nC"]}), "v:\n- A\n- |-\n  B\n  C\n"),
        (
            json!({"v": ["A", 1, {"B": [2, 3]}]}),
            "v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n",
        ),
        (json!({"a": {"b": "c"}}), "a:\n  b: c\n"),
        (json!({"a": "-"}), "a: '-'\n"),
        (json!(123), "123\n"),
        (json!({"a": "<foo>"}), "a: <foo>\n"),
        (json!({"a": "1:1"}), "a: \"1:1\"\n"),
        (json!({"a": "\u{0}"}), "a: \"\\0\"\n"),
        (json!({"a": "你好"}), "a: 你好\n"),
        (
            json!({"a": "2015-02-24T18:19:39Z"}),
            "a: \"2015-02-24T18:19:39Z\"\n",
        ),
        (json!({"a": "b: c"}), "a: 'b: c'\n"),
        (json!({"a": "Hello #comment"}), "a: 'Hello #comment'\n"),
        (json!({"a": "你好 #comment"}), "a: '你好 #comment'\n"),
    ];
    for (v, want) in rows {
        assert_eq!(to_string(v), *want, "{v}");
    }
}

#[test]
fn long_lines_fold_at_80_columns() {
    let v = json!({"a": "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 "});
    assert_eq!(
        to_string(&v),
        "a: 'abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 abcdefghijklmnopqrstuvwxyz\n  ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 '\n"
    );
}

#[test]
fn keys_in_go_yamls_order() {
    // TestSortedOutput's string keys, in its order.
    let order = [
        "", ".1", ".2", ".a", "1", "2", "a!10", "a/0001", "a/002", "a/3", "a/10", "a/11", "a/0012",
        "a/100", "a~10", "ab/1", "b/1", "b/01", "b/2", "b/02", "b/3", "b/03", "b1", "b01", "b3",
        "c2.10", "c10.2", "d1", "d7", "d7abc", "d12", "d12a",
    ];
    for pair in order.windows(2) {
        assert_eq!(key_order(pair[0], pair[1]), Ordering::Less, "{pair:?}");
    }
}

#[test]
fn kubernetes_objects_as_kubectl_prints_them() {
    let v = json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "n1", "creationTimestamp": "2026-01-01T00:00:00Z",
            "labels": {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/os": "linux"}},
        "spec": {"taints": [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]},
        "status": {"allocatable": {"cpu": "4", "memory": "16Gi"}, "conditions": []}
    });
    assert_eq!(
        to_string(&v),
        "apiVersion: v1
kind: Node
metadata:
  creationTimestamp: \"2026-01-01T00:00:00Z\"
  labels:
    kubernetes.io/os: linux
    node-role.kubernetes.io/control-plane: \"\"
  name: n1
spec:
  taints:
  - effect: NoSchedule
    key: node-role.kubernetes.io/control-plane
status:
  allocatable:
    cpu: \"4\"
    memory: 16Gi
  conditions: []
"
    );
}
