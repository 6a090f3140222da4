//! `cargo bench -p sim`: the placement explainer and a rolling update at scale.
//!
//! Plain timing with a median over repeated runs (no benchmark framework), so it builds fast and
//! prints the figures the README quotes: parsing a 5,000-node `kubectl get nodes -o json` dump,
//! explaining a DaemonSet with node affinity and six tolerations over those nodes, and a full
//! RollingUpdate of a DaemonSet on all of them, and a high-priority DaemonSet preempting on every
//! node of a full cluster.

use std::time::Instant;

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let nodes = 5000;
    let dump = sim::synth::node_list_json(nodes, 42);
    let parse = median_ms(5, || {
        std::hint::black_box(sim::load(&dump));
    });
    let mut objects = sim::load(&dump).objects;
    objects.daemon_sets = sim::load(sim::synth::BENCH_DAEMON_SET).objects.daemon_sets;
    let explain = median_ms(20, || {
        std::hint::black_box(sim::explain_with(
            &objects,
            sim::ExplainOptions { details: false },
        ));
    });
    let detailed = median_ms(20, || {
        std::hint::black_box(sim::explain(&objects));
    });
    println!(
        "parse {nodes}-node dump ({:.1} MB): {parse:.1} ms (median of 5)",
        dump.len() as f64 / 1e6
    );
    println!("explain 1 DaemonSet x {nodes} nodes: {explain:.2} ms (median of 20)");
    println!("  with every rule-by-rule reason kept: {detailed:.2} ms (median of 20)");
    let mut rollout = Vec::new();
    for _ in 0..3 {
        let mut cluster = sim::synth::rollout_cluster(nodes);
        let t = Instant::now();
        std::hint::black_box(sim::synth::run_rollout(&mut cluster));
        rollout.push(t.elapsed().as_secs_f64() * 1e3);
    }
    rollout.sort_by(f64::total_cmp);
    println!(
        "rolling update (set image, maxUnavailable 10%) of a DaemonSet on {nodes} nodes to completion: {:.0} ms (median of 3)",
        rollout[1]
    );
    let objects = sim::synth::preemption_objects(nodes, 20);
    let t = Instant::now();
    std::hint::black_box(sim::synth::run_preemption(&objects));
    println!(
        "preemption: {nodes} nodes x 20 low-priority pods, a system-node-critical DaemonSet, to steady state: {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
}
