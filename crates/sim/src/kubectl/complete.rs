//! Completion for the console: what the word being typed can become, given the line so far and
//! the objects in the cluster.

use super::Resource;
use crate::engine::Cluster;

const VERBS: &[&str] = &[
    "apply", "cordon", "create", "delete", "describe", "drain", "get", "label", "rollout", "scale",
    "set", "taint", "uncordon", "version",
];
const KINDS: &[&str] = &[
    "controllerrevisions",
    "daemonsets",
    "events",
    "namespaces",
    "nodes",
    "poddisruptionbudgets",
    "pods",
    "priorityclasses",
];
/// Flags whose value is the next word.
const TAKES_VALUE: &[&str] = &[
    "-n",
    "--namespace",
    "-o",
    "--output",
    "-l",
    "--selector",
    "--field-selector",
    "-f",
    "--filename",
];
const ROLLOUT: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];
const FLAGS: &[&str] = &[
    "--all-namespaces",
    "--namespace",
    "--output",
    "--selector",
    "--field-selector",
    "--to-revision=",
    "-A",
    "-n",
    "-o",
];

fn names(c: &Cluster, res: Resource) -> Vec<String> {
    let mut v: Vec<String> = match res {
        Resource::Nodes => c.nodes.keys().cloned().collect(),
        Resource::DaemonSets => c.daemon_sets.keys().map(|k| k.1.clone()).collect(),
        Resource::Pods => c.pods.keys().map(|k| k.1.clone()).collect(),
        Resource::PriorityClasses => c.priority_classes.keys().cloned().collect(),
        Resource::ControllerRevisions => c.revisions.keys().map(|k| k.1.clone()).collect(),
        Resource::Namespaces => c.namespaces.keys().cloned().collect(),
        Resource::PodDisruptionBudgets => c.pdbs.keys().map(|k| k.1.clone()).collect(),
        Resource::Events => Vec::new(),
    };
    v.sort();
    v.dedup();
    v
}

/// Lines the typed line can be completed to (the last word finished), sorted, at most 50.
pub fn complete(c: &Cluster, line: &str) -> Vec<String> {
    let ends_with_space = line.ends_with(' ') || line.is_empty();
    let mut words: Vec<&str> = line.split_whitespace().collect();
    let partial = if ends_with_space {
        ""
    } else {
        words.pop().unwrap_or("")
    };
    let head = if words.is_empty() {
        String::new()
    } else {
        format!("{} ", words.join(" "))
    };
    let candidates: Vec<String> = if partial.starts_with('-') {
        FLAGS.iter().map(|s| s.to_string()).collect()
    } else {
        let previous = words.last().copied().unwrap_or("");
        if matches!(previous, "-n" | "--namespace") {
            names(c, Resource::Namespaces)
        } else {
            // Positional words only: flags, and the values of flags that take one, are skipped.
            let mut args: Vec<&str> = Vec::new();
            let mut skip = false;
            for w in &words {
                if skip {
                    skip = false;
                } else if w.starts_with('-') {
                    skip = !w.contains('=') && TAKES_VALUE.contains(w);
                } else {
                    args.push(w);
                }
            }
            candidates_for(c, &args, partial)
        }
    };
    let mut out: Vec<String> = candidates
        .into_iter()
        .filter(|w| w.starts_with(partial))
        .map(|w| format!("{head}{w}"))
        .collect();
    out.sort();
    out.dedup();
    out.truncate(50);
    out
}

fn typed_names(c: &Cluster, res: Resource, partial: &str) -> Vec<String> {
    // `kind/name` forms when the word already has a slash.
    match partial.split_once('/') {
        Some((kind, _)) => names(c, res)
            .into_iter()
            .map(|n| format!("{kind}/{n}"))
            .collect(),
        None => names(c, res),
    }
}

fn candidates_for(c: &Cluster, args: &[&str], partial: &str) -> Vec<String> {
    let strs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match args {
        [] => strs(&["kubectl", "sim", "sleep"]),
        ["kubectl"] => strs(VERBS),
        ["kubectl", "get" | "describe" | "delete"] => {
            if let Some((kind, _)) = partial.split_once('/') {
                Resource::parse(kind)
                    .map(|r| typed_names(c, r, partial))
                    .unwrap_or_default()
            } else {
                strs(KINDS)
            }
        }
        ["kubectl", "get" | "describe" | "delete", kind, ..] => Resource::parse(kind)
            .map(|r| names(c, r))
            .unwrap_or_default(),
        ["kubectl", "taint" | "label"] => strs(&["nodes"]),
        ["kubectl", "taint" | "label", _, ..] => names(c, Resource::Nodes),
        ["kubectl", "cordon" | "uncordon" | "drain", ..] => names(c, Resource::Nodes),
        ["kubectl", "rollout"] => strs(ROLLOUT),
        ["kubectl", "rollout", _] | ["kubectl", "set", "image"] => names(c, Resource::DaemonSets)
            .into_iter()
            .map(|n| format!("daemonset/{n}"))
            .collect(),
        ["kubectl", "set"] => strs(&["image"]),
        ["kubectl", "apply" | "create"] => strs(&["-f"]),
        ["sim"] => strs(&["image", "node", "pod"]),
        ["sim", "node"] => strs(&["add", "notready", "ready", "remove", "unreachable"]),
        ["sim", "node", "remove" | "notready" | "ready" | "unreachable"] => {
            names(c, Resource::Nodes)
        }
        ["sim", "pod"] => strs(&["fail"]),
        ["sim", "pod", "fail"] => names(c, Resource::Pods),
        ["sim", "image"] => strs(&["crash", "fail", "ok"]),
        ["sleep"] => strs(&["5s", "10s", "30s", "1m", "5m"]),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::nodes::{add_node, NewNode};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn cluster() -> Cluster {
        let mut c = Cluster::new(1);
        for n in ["worker-1", "worker-2", "gpu-1"] {
            add_node(
                &mut c,
                NewNode {
                    name: n.into(),
                    cpu: "4".into(),
                    memory: "16Gi".into(),
                    pods: "110".into(),
                    ..Default::default()
                },
            );
        }
        c
    }

    #[test]
    fn verbs_kinds_and_names_complete() {
        let c = cluster();
        assert_eq!(complete(&c, "kubectl ge"), ["kubectl get"]);
        assert_eq!(complete(&c, "kubectl get no"), ["kubectl get nodes"]);
        assert_eq!(
            complete(&c, "kubectl get nodes w"),
            ["kubectl get nodes worker-1", "kubectl get nodes worker-2"]
        );
        assert_eq!(
            complete(&c, "kubectl cordon "),
            [
                "kubectl cordon gpu-1",
                "kubectl cordon worker-1",
                "kubectl cordon worker-2"
            ]
        );
        assert_eq!(
            complete(&c, "kubectl taint nodes g"),
            ["kubectl taint nodes gpu-1"]
        );
        assert_eq!(
            complete(&c, "sim node remove gp"),
            ["sim node remove gpu-1"]
        );
        assert_eq!(
            complete(&c, "kubectl get pods -n kube-p"),
            ["kubectl get pods -n kube-public"]
        );
        assert!(complete(&c, "kubectl frobnicate x").is_empty());
        assert_eq!(
            complete(&c, "kubectl -n default get nodes g"),
            ["kubectl -n default get nodes gpu-1"]
        );
        assert_eq!(
            complete(&c, "kubectl get -o wide no"),
            ["kubectl get -o wide nodes"]
        );
    }
}
