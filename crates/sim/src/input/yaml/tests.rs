//! Scalars as kubectl reads them. Each row's input and expected value come from
//! `goyaml.v2/decode_test.go` (sigs.k8s.io/yaml, the go-yaml v2 fork kubectl uses), from its cases
//! that decode into `interface{}`; the JSON side follows `yaml.go`'s `convertToJSONableObject`.

use super::*;
use serde_json::json;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn read(text: &str) -> Value {
    to_json(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
}

#[test]
fn plain_scalars_resolve_as_yaml_1_1() {
    let rows: &[(&str, Value)] = &[
        ("v: hi", json!({"v": "hi"})),
        ("v: true", json!({"v": true})),
        ("v: 10", json!({"v": 10})),
        ("v: 0b10", json!({"v": 2})),
        ("v: 0xA", json!({"v": 10})),
        ("v: 4294967296", json!({"v": 4294967296u64})),
        ("v: 0.1", json!({"v": 0.1})),
        ("v: .1", json!({"v": 0.1})),
        ("v: -10", json!({"v": -10})),
        ("v: -.1", json!({"v": -0.1})),
        ("canonical: 6.8523e+5", json!({"canonical": 685230})),
        ("fixed: 685_230.15", json!({"fixed": 685230.15})),
        ("canonical: y", json!({"canonical": true})),
        ("answer: NO", json!({"answer": false})),
        ("logical: True", json!({"logical": true})),
        ("option: on", json!({"option": true})),
        ("canonical: 685230", json!({"canonical": 685230})),
        ("decimal: +685_230", json!({"decimal": 685230})),
        ("octal: 02472256", json!({"octal": 685230})),
        ("hexa: 0x_0A_74_AE", json!({"hexa": 685230})),
        ("bin: 0b1010_0111_0100_1010_1110", json!({"bin": 685230})),
        ("bin: -0b101010", json!({"bin": -42})),
        (
            "bin: -0b1000000000000000000000000000000000000000000000000000000000000000",
            json!({"bin": i64::MIN}),
        ),
        ("int64_max: 9223372036854775807", json!({"int64_max": i64::MAX})),
        ("uint64_max: 18446744073709551615", json!({"uint64_max": u64::MAX})),
        ("empty:", json!({"empty": null})),
        ("canonical: ~", json!({"canonical": null})),
        ("english: null", json!({"english": null})),
        ("seq: [A,1,C]", json!({"seq": ["A", 1, "C"]})),
        ("seq:\n - A\n - 1\n - C", json!({"seq": ["A", 1, "C"]})),
        ("'1': '\"2\"'", json!({"1": "\"2\""})),
        ("v: !!float '1.1'", json!({"v": 1.1})),
        ("v: !!float 0", json!({"v": 0})),
        ("v: !!null ''", json!({"v": null})),
        ("v: ! test", json!({"v": "test"})),
        ("a: -b_c", json!({"a": "-b_c"})),
        ("a: +b_c", json!({"a": "+b_c"})),
        ("a: 50cent_of_dollar", json!({"a": "50cent_of_dollar"})),
        ("a: {b: https://github.com/go-yaml/yaml}", json!({"a": {"b": "https://github.com/go-yaml/yaml"}})),
        ("a: 1:1\n", json!({"a": "1:1"})),
        ("a: 123456e1\n", json!({"a": 1234560})),
        // Timestamps stay strings when decoded into interface{} (decode.go).
        ("a: 2015-01-01", json!({"a": "2015-01-01"})),
        ("a: 2015-02-24T18:19:39Z\n", json!({"a": "2015-02-24T18:19:39Z"})),
        ("a: !!str 2015-01-01", json!({"a": "2015-01-01"})),
        ("a: \"2015-01-01\"", json!({"a": "2015-01-01"})),
        (
            "First occurrence: &anchor Foo\nSecond occurrence: *anchor\nOverride anchor: &anchor Bar\nReuse anchor: *anchor\n",
            json!({"First occurrence": "Foo", "Second occurrence": "Foo", "Override anchor": "Bar", "Reuse anchor": "Bar"}),
        ),
        ("a:\n  b\nb:\n  ? a\n  : a", json!({"a": "b", "b": {"a": "a"}})),
    ];
    for (text, want) in rows {
        assert_eq!(&read(text), want, "{text:?}");
    }
}

#[test]
fn kubernetes_fields_read_as_kubectl_reads_them() {
    // `defaultMode: 0400` is octal: 256, as the API server receives it from kubectl.
    assert_eq!(read("defaultMode: 0400"), json!({"defaultMode": 256}));
    assert_eq!(read("defaultMode: 0644"), json!({"defaultMode": 420}));
    // Quoted, the same text stays a string.
    assert_eq!(read("mode: '0644'"), json!({"mode": "0644"}));
    // `08` is not octal; Go's ParseInt fails and yamlStyleFloat reads it as 8.
    assert_eq!(read("a: 08"), json!({"a": 8}));
    assert_eq!(read("value: yes"), json!({"value": true}));
    assert_eq!(read("value: \"yes\""), json!({"value": "yes"}));
    assert_eq!(read("count: 1_000"), json!({"count": 1000}));
    // Keys resolve too: `y` and `n` are YAML 1.1 booleans.
    assert_eq!(read("y: 1\nn: 2"), json!({"true": 1, "false": 2}));
    // A whole float is written by encoding/json without a fraction: an int32 field takes it.
    assert_eq!(read("replicas: 3.0"), json!({"replicas": 3}));
    // Non-string keys become strings (convertToJSONableObject).
    assert_eq!(
        read("1: a\ntrue: b\n1.5: c"),
        json!({"1": "a", "true": "b", "1.5": "c"})
    );
    // Block scalars are strings whatever they hold.
    assert_eq!(read("a: |\n  0644\n"), json!({"a": "0644\n"}));
}

#[test]
fn merge_keys_and_aliases() {
    let v = read("base: &b {cpu: 1, memory: 2}\nuse:\n  <<: *b\n  memory: 3\n");
    assert_eq!(v["use"], json!({"cpu": 1, "memory": 3}));
    let v = read("a: &a {x: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n");
    assert_eq!(
        v["c"],
        json!({"x": 1, "z": 2}),
        "earlier maps in the list win"
    );
    // Quoted, `<<` is an ordinary key.
    assert_eq!(read("'<<': 1"), json!({"<<": 1}));
}

#[test]
fn refusals_in_kubectls_words() {
    let e = to_json("a: .nan").unwrap_err();
    assert_eq!(
        e.message(1),
        "error converting YAML to JSON: json: unsupported value: NaN"
    );
    let e = to_json("~: x").unwrap_err();
    assert!(
        e.message(1)
            .starts_with("error converting YAML to JSON: unsupported map key of type: <nil>"),
        "{}",
        e.message(1)
    );
    let e = to_json("a: !!int abc").unwrap_err();
    assert!(
        e.problem.contains("cannot decode !!str `abc` as a !!int"),
        "{e:?}"
    );
    let e = to_json("a: {x: 1}\nb:\n  <<: 5\n").unwrap_err();
    assert_eq!(
        e.problem,
        "map merge requires map or sequence of maps as the value"
    );
}

#[test]
fn aliases_are_bounded() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let items = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{name}: &{name} [{items}]\n"));
    }
    let e = to_json(&text).unwrap_err();
    assert_eq!(e.problem, "document contains excessive aliasing");
}

#[test]
fn syntax_errors_are_worded_and_placed_as_go_yaml() {
    // A scanner error: go-yaml counts its line from 1.
    let e =
        to_json("apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n   namespace: b\n").unwrap_err();
    assert_eq!(e.message(1), "error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context");
    assert_eq!((e.line, e.column), (5, 13));
    // A tab where indentation is expected.
    let e = to_json("kind: Node\nmetadata:\n\tname: a\n").unwrap_err();
    assert_eq!(
        e.message(1),
        "error converting YAML to JSON: yaml: line 3: found character that cannot start any token"
    );
}
