//! The lines the page's buttons run. Each is an ordinary `kubectl …` or `sim …` line, so the
//! console shows what a button did and a user can type the same thing.

use crate::engine::Cluster;

/// Quote a word for the command line when it needs it (the words come from form fields).
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/=:-,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Switch a taint (`key=value:Effect`) on or off.
pub fn toggle_taint(node: &str, taint: &str, on: bool) -> String {
    let off = if on { "" } else { "-" };
    format!("kubectl taint nodes {} {}{off}", quote(node), quote(taint))
}

/// Add a taint from the form's fields.
pub fn add_taint(node: &str, key: &str, value: &str, effect: &str) -> String {
    let spec = if value.is_empty() {
        format!("{key}:{effect}")
    } else {
        format!("{key}={value}:{effect}")
    };
    format!("kubectl taint nodes {} {}", quote(node), quote(&spec))
}

/// Set a label (replacing its value if it has one).
pub fn label(node: &str, key: &str, value: &str) -> String {
    format!(
        "kubectl label nodes {} {} --overwrite",
        quote(node),
        quote(&format!("{key}={value}"))
    )
}

pub fn remove_label(node: &str, key: &str) -> String {
    format!(
        "kubectl label nodes {} {}",
        quote(node),
        quote(&format!("{key}-"))
    )
}

pub fn cordon(node: &str, on: bool) -> String {
    format!(
        "kubectl {} {}",
        if on { "cordon" } else { "uncordon" },
        quote(node)
    )
}

/// Make the kubelet report Ready=True or Ready=False.
pub fn set_ready(node: &str, ready: bool) -> String {
    format!(
        "sim node {} {}",
        if ready { "ready" } else { "notready" },
        quote(node)
    )
}

pub fn remove_node(node: &str) -> String {
    format!("sim node remove {}", quote(node))
}

/// A name no node has yet: `node-N`, or for a copy, the source's name with a new number.
pub fn new_node_name(c: &Cluster, like: Option<&str>) -> String {
    let base = match like {
        Some(n) => {
            let stem = n.trim_end_matches(|ch: char| ch.is_ascii_digit());
            if stem.ends_with('-') {
                stem.to_string()
            } else {
                format!("{stem}-")
            }
        }
        None => "node-".to_string(),
    };
    (1..)
        .map(|i| format!("{base}{i}"))
        .find(|n| !c.nodes.contains_key(n))
        .unwrap_or_default()
}

/// Add a node: blank (4 cpu, 16Gi, 110 pods) or a copy of another node's labels, taints and
/// allocatable.
pub fn add_node(name: &str, like: Option<&str>) -> String {
    match like {
        Some(src) => format!("sim node add {} --like {}", quote(name), quote(src)),
        None => format!("sim node add {}", quote(name)),
    }
}

/// Make an image's pulls fail (`fail`), its containers crash (`crash`), or work again (`ok`).
pub fn image_behaviour(image: &str, behaviour: &str) -> String {
    format!("sim image {behaviour} {}", quote(image))
}

pub fn set_image(namespace: &str, name: &str, container: &str, image: &str) -> String {
    format!(
        "kubectl set image daemonset/{} {} -n {}",
        quote(name),
        quote(&format!("{container}={image}")),
        quote(namespace)
    )
}

pub fn rollback(namespace: &str, name: &str, revision: i64) -> String {
    format!(
        "kubectl rollout undo daemonset/{} --to-revision={revision} -n {}",
        quote(name),
        quote(namespace)
    )
}

pub fn delete_pod(namespace: &str, name: &str) -> String {
    format!("kubectl delete pod {} -n {}", quote(name), quote(namespace))
}
