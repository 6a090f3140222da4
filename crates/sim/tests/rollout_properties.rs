//! Property tests of rolling updates over random clusters, strategies and interventions (seeded,
//! so a failure can be replayed). Checked after every moment of the virtual clock:
//! - without surge, the nodes without an available pod never outnumber maxUnavailable (every pod
//!   starts available, so no node was unavailable before the rollout); with surge, every node keeps
//!   an available pod;
//! - a node never holds more than 1 pod of the DaemonSet (terminating ones count), or with surge
//!   2 that are not terminating (a template change mid-surge can leave a third, terminating, next
//!   to them, as upstream);
//! - revision numbers only grow and a number never names two different templates;
//!
//! and at the end: every node runs the target revision, unless the target's image cannot start, in
//! which case the rollout stalls with its budget used and nothing more.

use k8s_openapi::api::apps::v1::DaemonSet;
use sim::engine::time::{Millis, MINUTE, SECOND};
use sim::engine::Cluster;
use sim::rng::Rng;
use std::collections::BTreeMap;

fn no_files(p: &str) -> Result<String, String> {
    Err(format!("no file {p}"))
}

struct Case {
    yaml: String,
    nodes: i64,
    surge: bool,
    /// maxUnavailable (or maxSurge) as written.
    budget: String,
    min_ready: i64,
}

fn random_case(rng: &mut Rng) -> Case {
    let nodes = 1 + rng.below(12) as i64;
    let mut yaml = String::new();
    for i in 0..nodes {
        yaml.push_str(&format!(
            "---\napiVersion: v1\nkind: Node\nmetadata: {{name: n{i:02}}}\nstatus: {{allocatable: {{cpu: '4', memory: 8Gi, pods: '110'}}}}\n"
        ));
    }
    let budget = match rng.below(4) {
        0 => format!("{}", 1 + rng.below(4)),
        _ => format!("'{}%'", [10, 25, 34, 50, 100][rng.below(5)]),
    };
    let surge = rng.below(3) == 0;
    let strategy = if surge {
        format!("{{maxUnavailable: 0, maxSurge: {budget}}}")
    } else {
        format!("{{maxUnavailable: {budget}}}")
    };
    let min_ready = [0, 0, 5, 12][rng.below(4)];
    yaml.push_str(&format!(
        "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: agent, namespace: default}}\nspec:\n  minReadySeconds: {min_ready}\n  revisionHistoryLimit: {}\n  selector: {{matchLabels: {{app: agent}}}}\n  updateStrategy: {{type: RollingUpdate, rollingUpdate: {strategy}}}\n  template:\n    metadata: {{labels: {{app: agent}}}}\n    spec:\n      terminationGracePeriodSeconds: {}\n      containers: [{{name: agent, image: 'example.com/agent:1'}}]\n",
        rng.below(4),
        [0, 5, 30][rng.below(3)],
    ));
    Case {
        yaml,
        nodes,
        surge,
        budget,
        min_ready: min_ready * SECOND,
    }
}

/// The budget as the controller scales it: integers as written, percentages rounded up, and at
/// least 1 for maxUnavailable.
fn scaled(budget: &str, desired: i64, surge: bool) -> i64 {
    let b = budget.trim_matches('\'');
    let n = match b.strip_suffix('%') {
        Some(p) => (p.parse::<i64>().unwrap() * desired + 99) / 100,
        None => b.parse().unwrap(),
    };
    if surge {
        n
    } else {
        n.max(1)
    }
}

fn ds(c: &Cluster) -> &DaemonSet {
    c.daemon_sets.values().next().unwrap()
}

/// Pods of the DaemonSet per node: (not terminating, of those available, all).
fn per_node(c: &Cluster, min_ready: Millis) -> BTreeMap<String, (usize, usize, usize)> {
    let mut m: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for p in c.pods.values() {
        let Some(node) = sim::engine::daemon::target_node(p) else {
            continue;
        };
        let e = m.entry(node).or_default();
        e.2 += 1;
        if p.metadata.deletion_timestamp.is_none() {
            e.0 += 1;
        }
        let ready_since = p
            .status
            .as_ref()
            .and_then(|s| s.conditions.as_ref())
            .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready" && c.status == "True"))
            .and_then(|c| c.last_transition_time.as_ref())
            .map(sim::engine::time::millis_of);
        let available = ready_since.is_some_and(|t| min_ready == 0 || t + min_ready < c.now);
        if p.metadata.deletion_timestamp.is_none() && available {
            e.1 += 1;
        }
    }
    m
}

fn check_moment(c: &Cluster, case: &Case, revisions: &mut BTreeMap<i64, String>, ctx: &str) {
    let pods = per_node(c, case.min_ready);
    let limit = if case.surge { 2 } else { 1 };
    for (node, (live, _, all)) in &pods {
        assert!(*live <= limit, "{ctx}: {live} pods on {node}");
        // Without surge a replacement waits until the old pod is gone.
        assert!(case.surge || *all <= 1, "{ctx}: {all} pods on {node}");
    }
    let available = pods.values().filter(|(_, a, _)| *a > 0).count() as i64;
    let unavailable = case.nodes - available;
    let allowed = if case.surge {
        0
    } else {
        scaled(&case.budget, case.nodes, false)
    };
    assert!(
        unavailable <= allowed,
        "{ctx}: {unavailable} nodes without an available pod, budget {allowed}"
    );
    let top = revisions.keys().next_back().copied().unwrap_or(0);
    let mut now_top = 0;
    for r in c.revisions.values() {
        let hash = r.metadata.labels.as_ref().unwrap()["controller-revision-hash"].clone();
        let seen = revisions.entry(r.revision).or_insert_with(|| hash.clone());
        assert_eq!(*seen, hash, "{ctx}: revision {} reused", r.revision);
        now_top = now_top.max(r.revision);
    }
    assert!(now_top >= top, "{ctx}: revision numbers went down");
}

fn run_once(seed: u64) {
    let mut rng = Rng::new(seed);
    let case = random_case(&mut rng);
    let mut c = Cluster::new(seed);
    c.apply_objects(&sim::load(&case.yaml).objects);
    c.run_to_steady_state(30 * MINUTE);
    let mut revisions = BTreeMap::new();
    let broken = rng.below(4) == 0;
    if broken {
        sim::scenario::run_line(&mut c, "sim image fail example.com/agent:2", &no_files);
    }
    let mut commands = vec![(
        0,
        "kubectl set image ds/agent agent=example.com/agent:2".to_string(),
    )];
    // Sometimes change course mid-rollout: roll back, or move on to a third image.
    let mut target = "example.com/agent:2";
    match rng.below(4) {
        0 => {
            commands.push((
                1 + rng.below(20) as i64,
                "kubectl rollout undo ds/agent".into(),
            ));
            target = "example.com/agent:1";
        }
        1 => {
            commands.push((
                1 + rng.below(20) as i64,
                "kubectl set image ds/agent agent=example.com/agent:3".into(),
            ));
            target = "example.com/agent:3";
        }
        _ => {}
    }
    let start = c.now;
    let mut pending = commands.into_iter().peekable();
    for step in 0..5000 {
        let ctx = format!("seed {seed}, step {step}, t={}s", (c.now - start) / SECOND);
        while let Some((_, cmd)) = pending.next_if(|(at, _)| start + at * SECOND <= c.now) {
            let out = sim::scenario::run_line(&mut c, &cmd, &no_files);
            if cmd.contains("undo") && out.stderr == "error: no last revision to roll back to\n" {
                // revisionHistoryLimit 0 and the rollout already done: nothing to go back to.
                target = "example.com/agent:2";
                continue;
            }
            assert!(out.ok, "{ctx}: {cmd}: {}", out.text());
            check_moment(&c, &case, &mut revisions, &format!("{ctx} after {cmd}"));
        }
        let next = pending.peek().map(|(at, _)| start + at * SECOND);
        match (c.next_event_at(), next) {
            (Some(e), Some(n)) if n < e => c.run_until(n),
            (None, Some(n)) => c.run_until(n),
            (None, None) => break,
            _ => {
                c.step();
            }
        }
        if c.now - start > 2 * 60 * MINUTE {
            break;
        }
        check_moment(&c, &case, &mut revisions, &ctx);
    }
    // The end: on target, or stalled by the image that cannot start.
    let status = ds(&c).status.clone().unwrap();
    let images: Vec<String> = c
        .pods
        .values()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .map(|p| {
            p.spec.as_ref().unwrap().containers[0]
                .image
                .clone()
                .unwrap()
        })
        .collect();
    let ctx = format!("seed {seed} at the end ({images:?})");
    if broken && target == "example.com/agent:2" {
        let stuck = images.iter().filter(|i| *i == target).count() as i64;
        let budget = if case.surge {
            scaled(&case.budget, case.nodes, true)
        } else {
            scaled(&case.budget, case.nodes, false)
        };
        assert_eq!(
            stuck,
            budget.min(case.nodes),
            "{ctx}: a stalled rollout uses exactly its budget"
        );
        assert_eq!(
            status.number_available.unwrap_or(0) as i64,
            if case.surge {
                case.nodes
            } else {
                case.nodes - budget.min(case.nodes)
            },
            "{ctx}"
        );
    } else {
        assert!(images.iter().all(|i| i == target), "{ctx}: target {target}");
        assert_eq!(images.len() as i64, case.nodes, "{ctx}");
        assert_eq!(
            status.updated_number_scheduled.unwrap_or(0) as i64,
            case.nodes,
            "{ctx}"
        );
        assert_eq!(
            status.number_available.unwrap_or(0) as i64,
            case.nodes,
            "{ctx}"
        );
    }
}

#[test]
fn rollouts_keep_their_budget_over_random_runs() {
    for seed in 1..=120 {
        run_once(seed);
    }
}
