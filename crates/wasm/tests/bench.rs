//! Benchmarks in the browser (not run by the test suite): `scripts/bench-wasm.sh` runs them in
//! headless Chromium and prints the figures. Ignored by default so `cargo test` stays fast.

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap();
    let now = js_sys::Reflect::get(&performance, &"now".into()).unwrap();
    js_sys::Function::from(now)
        .call0(&performance)
        .unwrap()
        .as_f64()
        .unwrap()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[wasm_bindgen_test]
#[ignore]
fn rolling_update_of_5000_nodes() {
    let nodes = 5000;
    let mut times = Vec::new();
    for _ in 0..3 {
        let mut cluster = sim::synth::rollout_cluster(nodes);
        let t = now_ms();
        let virtual_ms = sim::synth::run_rollout(&mut cluster);
        times.push(now_ms() - t);
        assert!(virtual_ms > 0);
    }
    console_log!(
        "wasm: rolling update (set image, maxUnavailable 10%) of a DaemonSet on {nodes} nodes to completion: {:.0} ms (median of 3)",
        median(times)
    );
}

#[wasm_bindgen_test]
#[ignore]
fn explain_5000_nodes() {
    let dump = sim::synth::node_list_json(5000, 42);
    let t = now_ms();
    let mut objects = sim::load(&dump).objects;
    let parse = now_ms() - t;
    objects.daemon_sets = sim::load(sim::synth::BENCH_DAEMON_SET).objects.daemon_sets;
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = now_ms();
        std::hint::black_box(sim::explain_with(
            &objects,
            sim::ExplainOptions { details: false },
        ));
        times.push(now_ms() - t);
    }
    console_log!(
        "wasm: parse a 5,000-node dump {parse:.0} ms; explain 1 DaemonSet x 5,000 nodes {:.1} ms (median of 10)",
        median(times)
    );
}
