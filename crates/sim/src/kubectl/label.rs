//! `kubectl label nodes`, after kubectl's `cmd/label`.

use super::args::Args;
use super::{node_exists, not_found, Output, Resource};
use crate::engine::Cluster;
use crate::labels::{label_value_errors, qualified_name_errors};

/// `kubectl label nodes NAME k=v … [k-] [--overwrite]`.
pub fn label(c: &mut Cluster, a: &Args) -> Output {
    if a.positional.len() < 2 {
        return Output::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    let (res_word, name, changes) = match a.positional[0].split_once('/') {
        Some((t, n)) => (t.to_string(), n.to_string(), a.positional[1..].to_vec()),
        None => (
            a.positional[0].clone(),
            a.positional[1].clone(),
            a.positional[2..].to_vec(),
        ),
    };
    if Resource::parse(&res_word) != Some(Resource::Nodes) {
        return Output::err(
            "error: the playground labels nodes only (kubectl label nodes NAME key=value)",
        );
    }
    if changes.is_empty() {
        return Output::err("error: at least one label update is required");
    }
    if let Err(e) = node_exists(c, &name) {
        return e;
    }
    let overwrite = a.has("overwrite");
    let Some(node) = c.nodes.get_mut(&name) else {
        return Output::err(not_found(Resource::Nodes, &name));
    };
    let mut labels = node.metadata.labels.clone().unwrap_or_default();
    let mut removed = false;
    for ch in &changes {
        if let Some(k) = ch.strip_suffix('-') {
            removed |= labels.remove(k).is_some();
            continue;
        }
        let Some((k, v)) = ch.split_once('=') else {
            return Output::err(format!(
                "error: at least one label update is required, got {ch:?}"
            ));
        };
        let mut problems = qualified_name_errors(k);
        problems.extend(label_value_errors(v));
        if !problems.is_empty() {
            return Output::err(format!(
                "error: invalid label spec: {ch}, {}",
                problems.join("; ")
            ));
        }
        if let Some(old) = labels.get(k) {
            if !overwrite && old != v {
                return Output::err(format!(
                    "error: '{k}' already has a value ({old}), and --overwrite is false"
                ));
            }
        }
        labels.insert(k.into(), v.into());
    }
    node.metadata.labels = Some(labels);
    c.settle();
    let op = if removed && changes.iter().all(|c| c.ends_with('-')) {
        "unlabeled"
    } else {
        "labeled"
    };
    Output::out(format!("node/{name} {op}\n"))
}
