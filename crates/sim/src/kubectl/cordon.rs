//! `kubectl cordon` / `uncordon`, after kubectl's `cmd/drain` (where cordon lives).

use super::args::Args;
use super::{node_exists, Output};
use crate::engine::Cluster;
use crate::placement::taints::TAINT_UNSCHEDULABLE;
use k8s_openapi::api::core::v1::Taint;

pub(super) fn set_cordon(c: &mut Cluster, name: &str, on: bool) {
    if let Some(n) = c.nodes.get_mut(name) {
        let spec = n.spec.get_or_insert_with(Default::default);
        spec.unschedulable = on.then_some(true);
        let mut taints = spec.taints.clone().unwrap_or_default();
        taints.retain(|t| t.key != TAINT_UNSCHEDULABLE);
        if on {
            taints.push(Taint {
                key: TAINT_UNSCHEDULABLE.into(),
                effect: "NoSchedule".into(),
                value: None,
                time_added: Some(crate::engine::time::timestamp(c.now)),
            });
        }
        spec.taints = (!taints.is_empty()).then_some(taints);
    }
}

pub(super) fn is_cordoned(c: &Cluster, name: &str) -> bool {
    c.nodes
        .get(name)
        .and_then(|n| n.spec.as_ref())
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
}

/// `kubectl cordon NODE` / `kubectl uncordon NODE`.
pub fn cordon(c: &mut Cluster, a: &Args, on: bool) -> Output {
    let Some(name) = a.positional.first().map(|n| {
        n.trim_start_matches("node/")
            .trim_start_matches("nodes/")
            .to_string()
    }) else {
        return Output::err(format!(
            "error: USAGE: {} NODE [flags]\nSee 'kubectl {} -h' for help and examples",
            if on { "cordon" } else { "uncordon" },
            if on { "cordon" } else { "uncordon" }
        ));
    };
    if let Err(e) = node_exists(c, &name) {
        return e;
    }
    let word = if on { "cordoned" } else { "uncordoned" };
    if is_cordoned(c, &name) == on {
        return Output::out(format!("node/{name} already {word}\n"));
    }
    set_cordon(c, &name, on);
    c.settle();
    Output::out(format!("node/{name} {word}\n"))
}
