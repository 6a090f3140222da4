//! The JS API in a real browser (headless Chromium through wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use daemonset_playground::{explain, explain_sources, explain_strict};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DS: &str = include_str!("../../../examples/logging-agent/daemonset.yaml");
const NODES: &str = include_str!("../../../examples/logging-agent/nodes.yaml");

fn get(v: &JsValue, path: &[&str]) -> JsValue {
    let mut cur = v.clone();
    for key in path {
        cur = match key.parse::<u32>() {
            Ok(i) => js_sys::Reflect::get_u32(&cur, i).unwrap(),
            Err(_) => js_sys::Reflect::get(&cur, &JsValue::from_str(key)).unwrap(),
        };
    }
    cur
}

#[wasm_bindgen_test]
fn explain_returns_plain_objects_with_status_and_reasons() {
    let report = explain(&format!("{DS}\n---\n{NODES}")).unwrap();
    assert_eq!(get(&report, &["nodeCount"]).as_f64(), Some(5.0));
    assert_eq!(
        get(
            &report,
            &["daemonSets", "0", "status", "desiredNumberScheduled"]
        )
        .as_f64(),
        Some(4.0)
    );
    assert_eq!(
        get(&report, &["daemonSets", "0", "status", "numberReady"]).as_f64(),
        Some(3.0)
    );
    let small = get(&report, &["daemonSets", "0", "nodes", "4"]);
    assert_eq!(
        get(&small, &["node"]).as_string().as_deref(),
        Some("small-1")
    );
    assert_eq!(
        get(&small, &["outcome"]).as_string().as_deref(),
        Some("pending")
    );
    let msg = get(&small, &["scheduler", "message"]).as_string().unwrap();
    assert!(msg.starts_with("0/5 nodes are available: 1 Insufficient memory, 4 node(s) didn't satisfy plugin(s) [NodeAffinity]."), "{msg}");
}

#[wasm_bindgen_test]
fn sources_keep_their_names_in_diagnostics() {
    // Plain JS objects, as a page would pass them.
    let sources = js_sys::JSON::parse(
        &serde_json::json!([
            {"name": "ds.yaml", "text": DS},
            {"name": "bad.yaml", "text": "apiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata: {name: x}\n"},
        ])
        .to_string(),
    )
    .unwrap();
    let report = explain_sources(sources).unwrap();
    let d = get(&report, &["diagnostics", "0"]);
    assert_eq!(
        get(&d, &["source"]).as_string().as_deref(),
        Some("bad.yaml")
    );
    assert_eq!(get(&d, &["line"]).as_f64(), Some(1.0));
    assert!(get(&d, &["message"])
        .as_string()
        .unwrap()
        .contains("no matches for kind \"DaemonSet\" in version \"extensions/v1beta1\""));
}

#[wasm_bindgen_test]
fn strict_mode_throws_located_messages() {
    let err = explain_strict("kind: DaemonSet\napiVersion: apps/v1\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: c}}\n    spec: {containers: [{name: c, image: i}]}\n").unwrap_err();
    let msg = JsValue::from(err);
    let text = js_sys::Reflect::get(&msg, &JsValue::from_str("message"))
        .unwrap()
        .as_string()
        .unwrap();
    assert!(text.contains("document 1, line 7"), "{text}");
    assert!(
        text.contains("`selector` does not match template `labels`"),
        "{text}"
    );
}

#[wasm_bindgen_test]
fn the_core_placement_rules_hold_in_wasm_too() {
    // The same decision as the native tests: a cordoned node still gets its daemon pod.
    let report = explain(&format!("{DS}\n---\n{NODES}")).unwrap();
    let cordoned = get(&report, &["daemonSets", "0", "nodes", "3"]);
    assert_eq!(
        get(&cordoned, &["node"]).as_string().as_deref(),
        Some("worker-2-cordoned")
    );
    assert_eq!(
        get(&cordoned, &["outcome"]).as_string().as_deref(),
        Some("running")
    );
}
