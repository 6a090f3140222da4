//! The JS API in a real browser (headless Chromium through wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use daemonset_playground::{explain, explain_sources, explain_strict, Playground};
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

fn json(v: &JsValue) -> String {
    js_sys::JSON::stringify(v).unwrap().as_string().unwrap()
}

fn error_text(e: wasm_bindgen::JsError) -> String {
    let v: JsValue = e.into();
    js_sys::Reflect::get(&v, &JsValue::from_str("message"))
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn a_playground_runs_a_rollout_on_the_virtual_clock() {
    let mut p = Playground::from_example("rolling-update").unwrap();
    assert!(p.settle() > 0.0);
    let out = p
        .run("kubectl set image ds/node-exporter node-exporter=quay.io/prometheus/node-exporter:v1.9.1 -n monitoring")
        .unwrap();
    assert_eq!(get(&out, &["ok"]).as_bool(), Some(true));
    assert_eq!(
        get(&out, &["stdout"]).as_string().unwrap(),
        "daemonset.apps/node-exporter image updated\n"
    );
    let v = p.view(None).unwrap();
    assert_eq!(
        get(&v, &["daemonSets", "0", "revisions", "length"]).as_f64(),
        Some(2.0)
    );
    assert_eq!(get(&v, &["nodes", "length"]).as_f64(), Some(6.0));
    let stage = get(&v, &["nodes", "0", "pods", "0", "stage"])
        .as_string()
        .unwrap();
    assert!(
        ["terminating", "ready"].contains(&stage.as_str()),
        "{stage}"
    );
    p.settle();
    let v = p.view(None).unwrap();
    assert_eq!(
        get(&v, &["daemonSets", "0", "rollout"])
            .as_string()
            .unwrap(),
        "daemon set \"node-exporter\" successfully rolled out"
    );
    let events = p.events(None).unwrap();
    let first = get(&events, &["0"]);
    assert!(
        get(&first, &["type"]).as_string().is_some(),
        "{}",
        json(&first)
    );
    // Reading objects as kubectl lists them, and the past.
    let ds = p.get("ds", None).unwrap();
    assert_eq!(
        get(&ds, &["0", "metadata", "name"]).as_string().unwrap(),
        "node-exporter"
    );
    let before = p.get("pods", Some(0.0)).unwrap();
    assert_eq!(get(&before, &["length"]).as_f64(), Some(6.0));
    let e = error_text(p.get("frobs", None).unwrap_err());
    assert_eq!(
        e,
        "error: the server doesn't have a resource type \"frobs\""
    );
}

#[wasm_bindgen_test]
fn a_link_reopens_the_same_state() {
    let mut p = Playground::from_example("noexecute-eviction").unwrap();
    p.next_step().unwrap();
    p.next_step().unwrap();
    p.advance(3_000.0);
    let link = p.link(Some(5_000.0)).unwrap();
    assert!(
        link.starts_with("s=") && link.ends_with("&t=5000"),
        "{link}"
    );
    let q = Playground::from_link(&format!("#{link}")).unwrap();
    assert_eq!(q.now(), p.now());
    assert_eq!(q.steps_done(), 2);
    assert_eq!(
        json(&q.view(Some(5_000.0)).unwrap()),
        json(&p.view(Some(5_000.0)).unwrap())
    );
    let saved = p.save().unwrap();
    let r = Playground::load(saved).unwrap();
    assert_eq!(json(&r.view(None).unwrap()), json(&p.view(None).unwrap()));
}

#[wasm_bindgen_test]
fn bad_input_throws_located_messages() {
    let e = error_text(
        Playground::new(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec:\n  selector: 3\n",
            "",
        )
        .err()
        .unwrap(),
    );
    assert!(
        e.starts_with("error (workloads.yaml: document 1, line 5, column 3): DaemonSet in version \"v1\" cannot be handled as a DaemonSet: json: cannot unmarshal number"),
        "{e}"
    );
    let e = error_text(Playground::from_link("#s=AAAA").err().unwrap());
    assert!(e.contains("does not decompress"), "{e}");
    let e = error_text(Playground::from_example("nope").err().unwrap());
    assert!(e.contains("logging-agent"), "{e}");
    let e = error_text(
        Playground::load(JsValue::from_str("<b>hi</b>"))
            .err()
            .unwrap(),
    );
    assert!(e.starts_with("not a saved playground"), "{e}");
    let p = Playground::from_example("logging-agent").unwrap();
    let e = error_text(p.explain_node("nope", None).unwrap_err());
    assert_eq!(e, "Error from server (NotFound): nodes \"nope\" not found");
    let why = p.explain_node("gpu-1", None).unwrap();
    assert_eq!(
        get(&why, &["0", "report", "shouldRun"]).as_bool(),
        Some(false)
    );
}
