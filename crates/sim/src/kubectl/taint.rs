//! `kubectl taint nodes`, after kubectl's `cmd/taint`.

use super::args::Args;
use super::{node_exists, Output, Resource};
use crate::engine::Cluster;
use crate::labels::{label_value_errors, qualified_name_errors};
use k8s_openapi::api::core::v1::Taint;
use std::fmt::Write;

/// `kubectl taint nodes NAME… SPEC…` (rollout.md §10.8).
pub fn taint(c: &mut Cluster, a: &Args) -> Output {
    let Some(kind) = a.positional.first() else {
        return Output::err("error: at least one resource name and one taint must be specified\nSee 'kubectl taint -h' for help and examples");
    };
    let (mut nodes, mut specs): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let mut words = a.positional.clone();
    if let Some((t, n)) = kind.split_once('/') {
        if Resource::parse(t) != Some(Resource::Nodes) {
            return Output::err(format!(
                "error: invalid resource type {t}, only node types are supported"
            ));
        }
        words[0] = n.to_string();
        words.insert(0, "nodes".into());
    } else if Resource::parse(kind) != Some(Resource::Nodes) {
        return Output::err(format!(
            "error: invalid resource type {kind}, only node types are supported"
        ));
    }
    for w in &words[1..] {
        if w.contains(':') || w.ends_with('-') || w.contains('=') {
            specs.push(w.clone());
        } else if specs.is_empty() {
            nodes.push(w.clone());
        } else {
            return Output::err(format!(
                "error: all resources must be specified before taint changes: {w}"
            ));
        }
    }
    if a.has("all") {
        nodes = c.nodes.keys().cloned().collect();
    } else if let Some(sel) = a.value(&["l", "selector"]) {
        match crate::labels::parse_selector(sel) {
            Ok(s) => {
                nodes = c
                    .nodes
                    .iter()
                    .filter(|(_, n)| {
                        s.matches(n.metadata.labels.as_ref().unwrap_or(&Default::default()))
                    })
                    .map(|(k, _)| k.clone())
                    .collect()
            }
            Err(e) => return Output::err(format!("error: {e}")),
        }
    }
    if nodes.is_empty() || specs.is_empty() {
        return Output::err("error: at least one resource name and one taint must be specified\nSee 'kubectl taint -h' for help and examples");
    }
    // Parse: additions `key[=value]:Effect`, removals `key[=value]:Effect-` or `key-`.
    let mut add: Vec<Taint> = Vec::new();
    let mut remove: Vec<(String, Option<String>)> = Vec::new();
    for s in &specs {
        if let Some(r) = s.strip_suffix('-') {
            let (kv, effect) = match r.split_once(':') {
                Some((kv, e)) => (kv, Some(e.to_string())),
                None => (r, None),
            };
            if let Some(e) = &effect {
                if !matches!(e.as_str(), "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                    return Output::err(format!(
                        "error: invalid taint effect: {e}, unsupported taint effect"
                    ));
                }
            }
            let key = kv.split('=').next().unwrap_or("").to_string();
            remove.push((key, effect));
            continue;
        }
        let Some((kv, effect)) = s.split_once(':') else {
            return Output::err(format!("error: invalid taint spec: {s}"));
        };
        if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            return Output::err(format!(
                "error: invalid taint effect: {effect}, unsupported taint effect"
            ));
        }
        let (key, value) = match kv.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (kv, None),
        };
        let mut problems: Vec<String> = qualified_name_errors(key);
        if let Some(v) = value {
            problems.extend(label_value_errors(v));
        }
        if !problems.is_empty() {
            return Output::err(format!(
                "error: invalid taint spec: {s}, {}",
                problems.join("; ")
            ));
        }
        if add.iter().any(|t| t.key == key && t.effect == effect) {
            return Output::err(format!("error: duplicated taints with the same key and effect: [{{{key} {} {effect} <nil>}}]", value.unwrap_or("")));
        }
        add.push(Taint {
            key: key.into(),
            value: value.filter(|v| !v.is_empty()).map(str::to_string),
            effect: effect.into(),
            time_added: None,
        });
    }
    let both: Vec<String> = add
        .iter()
        .filter(|t| {
            remove
                .iter()
                .any(|(k, e)| *k == t.key && e.as_deref().is_none_or(|e| e == t.effect))
        })
        .map(|t| format!("\"{}\":\"{}\"", t.key, t.effect))
        .collect();
    if !both.is_empty() {
        return Output::err(format!("error: can not both modify and remove the following taint(s) in the same command: {{{}}}", both.join(",")));
    }
    let overwrite = a.has("overwrite");
    let mut out = String::new();
    for name in &nodes {
        if let Err(e) = node_exists(c, name) {
            return e;
        }
        let now = c.now;
        let Some(node) = c.nodes.get_mut(name) else {
            continue;
        };
        let spec = node.spec.get_or_insert_with(Default::default);
        let mut taints = spec.taints.clone().unwrap_or_default();
        let before = taints.len();
        for (key, effect) in &remove {
            let len = taints.len();
            taints.retain(|t| !(t.key == *key && effect.as_deref().is_none_or(|e| e == t.effect)));
            if taints.len() == len {
                let what = match effect {
                    Some(e) => format!("{key}:{e}"),
                    None => key.clone(),
                };
                return Output::err(format!("error: taint {what:?} not found"));
            }
        }
        let clash: Vec<String> = add
            .iter()
            .filter(|t| {
                taints
                    .iter()
                    .any(|o| o.key == t.key && o.effect == t.effect)
            })
            .map(|t| t.key.clone())
            .collect();
        if !clash.is_empty() && !overwrite {
            return Output::err(format!("error: node {name} already has {} taint(s) with same effect(s) and --overwrite is false", clash.join(",")));
        }
        for t in &add {
            let mut t = t.clone();
            if t.effect == "NoExecute" {
                t.time_added = Some(crate::engine::time::timestamp(now));
            }
            match taints
                .iter_mut()
                .find(|o| o.key == t.key && o.effect == t.effect)
            {
                Some(o) => *o = t,
                None => taints.push(t),
            }
        }
        let op = if overwrite || (!add.is_empty() && !remove.is_empty()) {
            "modified"
        } else if taints.len() > before {
            "tainted"
        } else {
            "untainted"
        };
        spec.taints = (!taints.is_empty()).then_some(taints);
        let _ = writeln!(out, "node/{name} {op}");
    }
    c.settle();
    Output::out(out)
}
