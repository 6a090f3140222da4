//! Defaults the API server applies before validation.
//!
//! Mirrors `pkg/apis/apps/v1/defaults.go` (`SetDefaults_DaemonSet`) and the parts of
//! `pkg/apis/core/v1/defaults.go` that the simulation reads or prints: `SetDefaults_PodSpec`,
//! `SetDefaults_Container`, `SetDefaults_Pod` (requests from limits, host ports for hostNetwork).

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetUpdateStrategy, RollingUpdateDaemonSet};
use k8s_openapi::api::core::v1::{Container, Node, Pod, PodSecurityContext, PodSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub const DEFAULT_NAMESPACE: &str = "default";

/// `SetDefaults_DaemonSet` plus the pod template's spec defaults and the namespace.
pub fn daemon_set(ds: &mut DaemonSet) {
    ds.metadata
        .namespace
        .get_or_insert_with(|| DEFAULT_NAMESPACE.to_string());
    let Some(spec) = ds.spec.as_mut() else {
        return;
    };
    let strategy = spec
        .update_strategy
        .get_or_insert_with(DaemonSetUpdateStrategy::default);
    let kind = strategy
        .type_
        .get_or_insert_with(|| "RollingUpdate".to_string());
    if kind == "RollingUpdate" {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDaemonSet::default);
        ru.max_unavailable.get_or_insert(IntOrString::Int(1));
        ru.max_surge.get_or_insert(IntOrString::Int(0));
    }
    spec.revision_history_limit.get_or_insert(10);
    if let Some(pod) = spec.template.spec.as_mut() {
        pod_spec(pod);
    }
}

/// `SetDefaults_PodSpec` and `SetDefaults_Container` (fields that show in `-o yaml` and matter to us).
pub fn pod_spec(spec: &mut PodSpec) {
    spec.restart_policy.get_or_insert_with(|| "Always".into());
    spec.dns_policy.get_or_insert_with(|| "ClusterFirst".into());
    spec.scheduler_name
        .get_or_insert_with(|| "default-scheduler".into());
    spec.termination_grace_period_seconds.get_or_insert(30);
    spec.security_context
        .get_or_insert_with(PodSecurityContext::default);
    for c in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        container(c);
    }
}

fn container(c: &mut Container) {
    c.termination_message_path
        .get_or_insert_with(|| "/dev/termination-log".into());
    c.termination_message_policy
        .get_or_insert_with(|| "File".into());
    let image = c.image.as_deref().unwrap_or("");
    let latest = {
        let name = image.split('@').next().unwrap_or("");
        let last = name.rsplit('/').next().unwrap_or("");
        !image.contains('@') && (!last.contains(':') || last.ends_with(":latest"))
    };
    c.image_pull_policy
        .get_or_insert_with(|| if latest { "Always" } else { "IfNotPresent" }.into());
    for p in c.ports.iter_mut().flatten() {
        p.protocol.get_or_insert_with(|| "TCP".into());
    }
}

/// `SetDefaults_Pod`: requests default from limits; host ports for hostNetwork pods.
pub fn pod(p: &mut Pod) {
    p.metadata
        .namespace
        .get_or_insert_with(|| DEFAULT_NAMESPACE.to_string());
    let Some(spec) = p.spec.as_mut() else {
        return;
    };
    pod_spec(spec);
    let host_network = spec.host_network.unwrap_or(false);
    for c in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        if let Some(res) = c.resources.as_mut() {
            if let Some(limits) = res.limits.clone() {
                let requests = res.requests.get_or_insert_with(Default::default);
                for (k, v) in limits {
                    requests.entry(k).or_insert(v);
                }
            }
        }
        if host_network {
            for port in c.ports.iter_mut().flatten() {
                if port.host_port.unwrap_or(0) == 0 {
                    port.host_port = Some(port.container_port);
                }
            }
        }
    }
}

/// Nodes have no defaults that matter to placement; kept for symmetry and future use.
pub fn node(_n: &mut Node) {}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::DaemonSetSpec;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn apps_v1_daemon_set_defaults() {
        let mut ds = DaemonSet {
            spec: Some(DaemonSetSpec::default()),
            ..Default::default()
        };
        daemon_set(&mut ds);
        let spec = ds.spec.unwrap();
        let s = spec.update_strategy.unwrap();
        assert_eq!(s.type_.as_deref(), Some("RollingUpdate"));
        let ru = s.rolling_update.unwrap();
        assert_eq!(ru.max_unavailable, Some(IntOrString::Int(1)));
        assert_eq!(ru.max_surge, Some(IntOrString::Int(0)));
        assert_eq!(spec.revision_history_limit, Some(10));
        assert_eq!(ds.metadata.namespace.as_deref(), Some("default"));
    }

    #[test]
    fn on_delete_gets_no_rolling_update_block() {
        let mut ds = DaemonSet {
            spec: Some(DaemonSetSpec {
                update_strategy: Some(DaemonSetUpdateStrategy {
                    type_: Some("OnDelete".into()),
                    rolling_update: None,
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        daemon_set(&mut ds);
        assert!(ds
            .spec
            .unwrap()
            .update_strategy
            .unwrap()
            .rolling_update
            .is_none());
    }

    #[test]
    fn a_set_max_surge_keeps_the_defaulted_max_unavailable() {
        let mut ds = DaemonSet {
            spec: Some(DaemonSetSpec {
                update_strategy: Some(DaemonSetUpdateStrategy {
                    type_: None,
                    rolling_update: Some(RollingUpdateDaemonSet {
                        max_surge: Some(IntOrString::Int(1)),
                        max_unavailable: None,
                    }),
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        daemon_set(&mut ds);
        let ru = ds
            .spec
            .unwrap()
            .update_strategy
            .unwrap()
            .rolling_update
            .unwrap();
        assert_eq!(
            ru.max_unavailable,
            Some(IntOrString::Int(1)),
            "the surge trap"
        );
    }

    #[test]
    fn image_pull_policy_follows_the_tag() {
        for (image, want) in [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.25", "IfNotPresent"),
            ("registry:5000/nginx", "Always"),
            ("nginx@sha256:abc", "IfNotPresent"),
        ] {
            let mut c = Container {
                image: Some(image.into()),
                ..Default::default()
            };
            container(&mut c);
            assert_eq!(c.image_pull_policy.as_deref(), Some(want), "{image}");
        }
    }
}
