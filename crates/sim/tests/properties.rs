//! Property tests of the engine over random clusters and random command sequences (seeded, so a
//! failure can be replayed): no panic; at steady state at most one daemon pod per node and
//! DaemonSet; never a new pod on a node whose NoSchedule/NoExecute taint it does not tolerate;
//! the engine's steady state agrees with the explainer; the same seed gives the same run.

use sim::engine::time::MINUTE;
use sim::engine::Cluster;
use sim::kubectl;
use sim::placement::controller::{should_run, simulated_pod_spec};
use sim::placement::nodeaffinity::RequiredNodeAffinity;
use sim::rng::Rng;
use std::collections::{BTreeMap, BTreeSet};

const KEYS: [&str; 3] = ["dedicated", "gpu", "maintenance"];
const EFFECTS: [&str; 3] = ["NoSchedule", "NoExecute", "PreferNoSchedule"];

fn no_files(p: &str) -> Result<String, String> {
    Err(format!("no file {p}"))
}

fn random_cluster(rng: &mut Rng) -> String {
    let mut yaml = String::new();
    for i in 0..1 + rng.below(6) {
        let mut taints = Vec::new();
        for _ in 0..rng.below(3) {
            taints.push(format!(
                "{{key: {}, value: x, effect: {}}}",
                rng.pick(&KEYS),
                rng.pick(&EFFECTS)
            ));
        }
        taints.sort();
        taints.dedup();
        let zone = ["a", "b"][rng.below(2)];
        yaml.push_str(&format!(
            "---\napiVersion: v1\nkind: Node\nmetadata: {{name: n{i}, labels: {{zone: {zone}}}}}\nspec: {{taints: [{}]}}\nstatus: {{allocatable: {{cpu: '8', memory: 32Gi, pods: '110'}}}}\n",
            taints.join(", ")
        ));
    }
    for d in 0..1 + rng.below(2) {
        let mut extra = String::new();
        if rng.below(2) == 0 {
            extra.push_str(&format!(
                "      nodeSelector: {{zone: {}}}\n",
                ["a", "b"][rng.below(2)]
            ));
        }
        if rng.below(2) == 0 {
            let secs = if rng.below(2) == 0 {
                ", tolerationSeconds: 30"
            } else {
                ""
            };
            let effect = rng.pick(&EFFECTS[..2]);
            extra.push_str(&format!(
                "      tolerations: [{{key: {}, operator: Exists, effect: {effect}{}}}]\n",
                rng.pick(&KEYS),
                if *effect == "NoExecute" { secs } else { "" }
            ));
        }
        yaml.push_str(&format!(
            "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: d{d}, namespace: default}}\nspec:\n  selector: {{matchLabels: {{app: d{d}}}}}\n  template:\n    metadata: {{labels: {{app: d{d}}}}}\n    spec:\n{extra}      containers: [{{name: c, image: 'img:1', resources: {{requests: {{cpu: 10m}}}}}}]\n"
        ));
    }
    yaml
}

fn random_command(rng: &mut Rng, c: &Cluster) -> String {
    let nodes: Vec<&String> = c.nodes.keys().collect();
    let node = if nodes.is_empty() {
        "n0".to_string()
    } else {
        rng.pick(&nodes).to_string()
    };
    match rng.below(10) {
        0 => format!(
            "kubectl taint nodes {node} {}=y:{} --overwrite",
            rng.pick(&KEYS),
            rng.pick(&EFFECTS)
        ),
        1 => format!("kubectl taint nodes {node} {}-", rng.pick(&KEYS)),
        2 => format!("kubectl cordon {node}"),
        3 => format!("kubectl uncordon {node}"),
        4 => format!("sim node add x{}", rng.below(5)),
        5 => format!("sim node remove {node}"),
        6 => format!("sim node notready {node}"),
        7 => format!("sim node ready {node}"),
        8 => format!(
            "kubectl label nodes {node} zone={} --overwrite",
            ["a", "b"][rng.below(2)]
        ),
        _ => format!("sleep {}s", 1 + rng.below(40)),
    }
}

/// Every pod the last command created sits on a node its DaemonSet should run on.
fn check_new_pods(c: &Cluster, before: &BTreeSet<(String, String)>, context: &str) {
    for ((ns, name), p) in &c.pods {
        if before.contains(&(ns.clone(), name.clone())) || p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        let Some(owner) = p
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))
        else {
            continue;
        };
        let Some(ds) = c.daemon_sets.get(&(ns.clone(), owner.name.clone())) else {
            continue;
        };
        let Some(node) = sim::engine::daemon::target_node(p).and_then(|n| c.nodes.get(&n)) else {
            continue;
        };
        let spec = simulated_pod_spec(ds);
        let (run, _) = should_run(node, &spec, &RequiredNodeAffinity::of(&spec));
        assert!(
            run,
            "{context}: pod {name} was created on a node its DaemonSet should not run on"
        );
    }
}

fn check_steady_state(c: &Cluster, context: &str) {
    let mut per_node: BTreeMap<(String, String), usize> = BTreeMap::new();
    for p in c
        .pods
        .values()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
    {
        let owner = p
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))
            .map(|o| o.name.clone())
            .unwrap_or_default();
        if let Some(n) = sim::engine::daemon::target_node(p) {
            *per_node.entry((owner, n)).or_default() += 1;
        }
    }
    for (k, n) in per_node {
        assert!(n <= 1, "{context}: {n} pods of {} on node {}", k.0, k.1);
    }
    // The explainer, asked about the same nodes and DaemonSets, targets the same nodes.
    let objects = sim::input::Objects {
        nodes: c.nodes.values().cloned().collect(),
        daemon_sets: c.daemon_sets.values().cloned().collect(),
        ..Default::default()
    };
    let report = sim::explain(&objects);
    for (d, r) in c.daemon_sets.values().zip(&report.daemon_sets) {
        let s = d.status.clone().unwrap_or_default();
        assert_eq!(
            s.desired_number_scheduled, r.status.desired_number_scheduled,
            "{context}: desired of {}",
            r.name
        );
    }
}

fn run_once(seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let objects = sim::load(&random_cluster(&mut rng)).objects;
    let mut c = Cluster::new(seed);
    c.apply_objects(&objects);
    let mut log = String::new();
    for step in 0..25 {
        let cmd = random_command(&mut rng, &c);
        let context = format!("seed {seed}, step {step}: {cmd}");
        let before: BTreeSet<(String, String)> = c.pods.keys().cloned().collect();
        let out = sim::scenario::run_line(&mut c, &cmd, &no_files);
        log.push_str(&format!("$ {cmd}\n{}", out.text()));
        // Nodes only change by commands, so this holds for pods created during a sleep too.
        check_new_pods(&c, &before, &context);
        if rng.below(4) == 0 {
            c.run_to_steady_state(30 * MINUTE);
            check_steady_state(&c, &context);
        }
    }
    let out = kubectl::run(&mut c, "get pods -o wide", &no_files);
    log.push_str(&out.text());
    log
}

#[test]
fn invariants_hold_over_random_runs() {
    for seed in 1..=60 {
        run_once(seed);
    }
}

#[test]
fn the_same_seed_gives_the_same_run() {
    for seed in [3, 17, 42] {
        assert_eq!(run_once(seed), run_once(seed));
    }
}
