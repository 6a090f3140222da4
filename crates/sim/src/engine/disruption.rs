//! The disruption controller: each PodDisruptionBudget's status from the pods it selects
//! (`pkg/controller/disruption/disruption.go`, `trySync`).
//!
//! `currentHealthy` counts selected pods that are Ready and not being deleted. `expectedPods` is
//! the number of selected pods: upstream asks the pods' controllers for their scale, and a
//! percentage or `maxUnavailable` over pods whose controller has none (a DaemonSet, bare pods)
//! leaves the budget unsynced; here the pod count stands in for the scale in that case, so such
//! budgets still work (a documented difference). Percentages round up, as upstream.

use super::time::timestamp;
use super::{Cluster, Key};
use crate::labels::Selector;
use k8s_openapi::api::policy::v1::PodDisruptionBudgetStatus;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

fn scaled_up(v: &IntOrString, total: i32) -> i32 {
    match v {
        IntOrString::Int(i) => *i,
        IntOrString::String(s) => {
            let p: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            ((p * i64::from(total) + 99) / 100) as i32
        }
    }
}

/// A pod's Ready condition is True (`podutil.IsPodReady`).
pub fn is_ready(p: &k8s_openapi::api::core::v1::Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

/// Recompute every budget's status.
pub fn update_all(c: &mut Cluster) {
    let keys: Vec<Key> = c.pdbs.keys().cloned().collect();
    let now = c.now;
    for key in keys {
        let Some(pdb) = c.pdbs.get(&key) else {
            continue;
        };
        let spec = pdb.spec.clone().unwrap_or_default();
        let selector =
            Selector::compile(spec.selector.as_ref()).unwrap_or_else(|_| Selector::nothing());
        let empty = Default::default();
        let selected: Vec<_> = c
            .pods
            .range((key.0.clone(), String::new())..)
            .take_while(|(k, _)| k.0 == key.0)
            .map(|(_, p)| p)
            .filter(|p| {
                !matches!(
                    p.status.as_ref().and_then(|s| s.phase.as_deref()),
                    Some("Succeeded" | "Failed")
                )
            })
            .filter(|p| selector.matches(p.metadata.labels.as_ref().unwrap_or(&empty)))
            .collect();
        let expected = selected.len() as i32;
        let healthy = selected
            .iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none() && is_ready(p))
            .count() as i32;
        let desired = match (&spec.min_available, &spec.max_unavailable) {
            (Some(min), _) => scaled_up(min, expected),
            (None, Some(max)) => (expected - scaled_up(max, expected)).max(0),
            (None, None) => expected,
        };
        let allowed = (healthy - desired).max(0);
        let old = pdb.status.clone().unwrap_or_default();
        let (status, reason) = if allowed > 0 {
            ("True", "SufficientPods")
        } else {
            ("False", "InsufficientPods")
        };
        let last_transition = old
            .conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == "DisruptionAllowed" && c.status == status)
            .map(|c| c.last_transition_time.clone())
            .unwrap_or_else(|| timestamp(now));
        let new = PodDisruptionBudgetStatus {
            current_healthy: healthy,
            desired_healthy: desired,
            expected_pods: expected,
            disruptions_allowed: allowed,
            observed_generation: pdb.metadata.generation,
            disrupted_pods: old.disrupted_pods.clone(),
            conditions: Some(vec![Condition {
                type_: "DisruptionAllowed".into(),
                status: status.into(),
                reason: reason.into(),
                message: String::new(),
                last_transition_time: last_transition,
                observed_generation: pdb.metadata.generation,
            }]),
        };
        if let Some(p) = c.pdbs.get_mut(&key) {
            p.status = Some(new);
        }
    }
}

/// The budgets as the scheduler's preemption reads them.
pub fn budgets(c: &Cluster) -> Vec<crate::placement::scheduler::Budget> {
    c.pdbs
        .iter()
        .map(|((ns, name), p)| {
            let spec = p.spec.clone().unwrap_or_default();
            let status = p.status.clone().unwrap_or_default();
            crate::placement::scheduler::Budget {
                namespace: ns.clone(),
                name: name.clone(),
                selector: Selector::compile(spec.selector.as_ref())
                    .unwrap_or_else(|_| Selector::nothing()),
                allowed: status.disruptions_allowed,
                disrupted: status
                    .disrupted_pods
                    .unwrap_or_default()
                    .into_keys()
                    .collect(),
            }
        })
        .collect()
}
