//! Taints and tolerations.
//!
//! Mirrors `staging/src/k8s.io/api/core/v1/toleration.go` (`ToleratesTaint`),
//! `staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go`
//! (`FindMatchingUntoleratedTaint`) and `pkg/controller/daemon/util/daemonset_util.go`
//! (`AddOrUpdateDaemonPodTolerations`).

use k8s_openapi::api::core::v1::{Taint, Toleration};

pub const NO_SCHEDULE: &str = "NoSchedule";
pub const PREFER_NO_SCHEDULE: &str = "PreferNoSchedule";
pub const NO_EXECUTE: &str = "NoExecute";

pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const TAINT_DISK_PRESSURE: &str = "node.kubernetes.io/disk-pressure";
pub const TAINT_MEMORY_PRESSURE: &str = "node.kubernetes.io/memory-pressure";
pub const TAINT_PID_PRESSURE: &str = "node.kubernetes.io/pid-pressure";
pub const TAINT_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
pub const TAINT_NETWORK_UNAVAILABLE: &str = "node.kubernetes.io/network-unavailable";

/// `Toleration.ToleratesTaint`. The `Lt`/`Gt` operators belong to an alpha feature gate that is off
/// by default in 1.35, so such a toleration tolerates nothing, like any unknown operator.
pub fn tolerates(tol: &Toleration, taint: &Taint) -> bool {
    let effect = tol.effect.as_deref().unwrap_or("");
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = tol.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match tol.operator.as_deref().unwrap_or("") {
        "" | "Equal" => tol.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or(""),
        "Exists" => true,
        _ => false,
    }
}

/// Index of the first toleration that tolerates the taint.
pub fn first_tolerating(tolerations: &[Toleration], taint: &Taint) -> Option<usize> {
    tolerations.iter().position(|t| tolerates(t, taint))
}

/// `FindMatchingUntoleratedTaint`: the first taint, in node order, that passes `filter` and that
/// no toleration tolerates.
pub fn find_untolerated<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    filter: impl Fn(&Taint) -> bool,
) -> Option<&'a Taint> {
    taints
        .iter()
        .filter(|t| filter(t))
        .find(|t| first_tolerating(tolerations, t).is_none())
}

pub fn is_no_schedule_or_no_execute(t: &Taint) -> bool {
    t.effect == NO_SCHEDULE || t.effect == NO_EXECUTE
}

pub fn is_no_execute(t: &Taint) -> bool {
    t.effect == NO_EXECUTE
}

/// `key=value:Effect`, or `key:Effect` when the value is empty — kubectl's way of writing a taint.
pub fn taint_string(t: &Taint) -> String {
    match t.value.as_deref() {
        Some(v) if !v.is_empty() => format!("{}={}:{}", t.key, v, t.effect),
        _ => format!("{}:{}", t.key, t.effect),
    }
}

/// A toleration as `kubectl describe pod` prints it: `key=value:Effect`, then ` op=Exists` and
/// ` for Ns` where they apply (`node.kubernetes.io/not-ready:NoExecute op=Exists for 300s`).
pub fn toleration_string(t: &Toleration) -> String {
    let mut s = t.key.clone().unwrap_or_default();
    if let Some(v) = t.value.as_deref().filter(|v| !v.is_empty()) {
        s.push('=');
        s.push_str(v);
    }
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
        s.push(':');
        s.push_str(e);
    }
    if t.operator.as_deref() == Some("Exists") {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str("op=Exists");
    }
    if let Some(secs) = t.toleration_seconds {
        s.push_str(&format!(" for {secs}s"));
    }
    s
}

fn exists(key: &str, effect: &str) -> Toleration {
    Toleration {
        key: Some(key.to_string()),
        operator: Some("Exists".to_string()),
        effect: Some(effect.to_string()),
        ..Default::default()
    }
}

/// The tolerations the DaemonSet controller adds to every daemon pod, in upstream's order.
pub fn daemon_default_tolerations(host_network: bool) -> Vec<Toleration> {
    let mut v = vec![
        exists(TAINT_NOT_READY, NO_EXECUTE),
        exists(TAINT_UNREACHABLE, NO_EXECUTE),
        exists(TAINT_DISK_PRESSURE, NO_SCHEDULE),
        exists(TAINT_MEMORY_PRESSURE, NO_SCHEDULE),
        exists(TAINT_PID_PRESSURE, NO_SCHEDULE),
        exists(TAINT_UNSCHEDULABLE, NO_SCHEDULE),
    ];
    if host_network {
        v.push(exists(TAINT_NETWORK_UNAVAILABLE, NO_SCHEDULE));
    }
    v
}

/// Is this exactly one of the tolerations the controller adds to daemon pods?
pub fn is_daemon_default_toleration(t: &Toleration) -> bool {
    const DEFAULTS: [(&str, &str); 7] = [
        (TAINT_NOT_READY, NO_EXECUTE),
        (TAINT_UNREACHABLE, NO_EXECUTE),
        (TAINT_DISK_PRESSURE, NO_SCHEDULE),
        (TAINT_MEMORY_PRESSURE, NO_SCHEDULE),
        (TAINT_PID_PRESSURE, NO_SCHEDULE),
        (TAINT_UNSCHEDULABLE, NO_SCHEDULE),
        (TAINT_NETWORK_UNAVAILABLE, NO_SCHEDULE),
    ];
    t.operator.as_deref() == Some("Exists")
        && t.value.as_deref().unwrap_or("").is_empty()
        && t.toleration_seconds.is_none()
        && DEFAULTS
            .iter()
            .any(|(k, e)| t.key.as_deref() == Some(*k) && t.effect.as_deref() == Some(*e))
}

/// `AddOrUpdateTolerationInPodSpec` applied for each default: a user toleration with the same key,
/// operator, value and effect is replaced in place by the default (so a finite `tolerationSeconds`
/// becomes forever); otherwise the default is appended.
pub fn add_daemon_default_tolerations(tolerations: &mut Vec<Toleration>, host_network: bool) {
    for default in daemon_default_tolerations(host_network) {
        let same = |t: &Toleration| {
            t.key == default.key
                && t.effect == default.effect
                && t.operator == default.operator
                && t.value.as_deref().unwrap_or("") == default.value.as_deref().unwrap_or("")
        };
        match tolerations.iter().position(same) {
            Some(i) => tolerations[i] = default,
            None => tolerations.push(default),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn taint(key: &str, value: &str, effect: &str) -> Taint {
        Taint {
            key: key.into(),
            value: (!value.is_empty()).then(|| value.into()),
            effect: effect.into(),
            time_added: None,
        }
    }

    fn tol(key: &str, op: &str, value: &str, effect: &str) -> Toleration {
        Toleration {
            key: (!key.is_empty()).then(|| key.into()),
            operator: (!op.is_empty()).then(|| op.into()),
            value: (!value.is_empty()).then(|| value.into()),
            effect: (!effect.is_empty()).then(|| effect.into()),
            toleration_seconds: None,
        }
    }

    /// Rows from upstream toleration_test.go / helpers_test.go, in our words.
    #[test]
    fn tolerates_taint() {
        let cases = [
            (
                "same key, value and effect",
                tol("foo", "Equal", "bar", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                true,
            ),
            (
                "empty operator means Equal",
                tol("foo", "", "bar", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                true,
            ),
            (
                "different value",
                tol("foo", "Equal", "baz", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                false,
            ),
            (
                "different effect",
                tol("foo", "Equal", "bar", "NoExecute"),
                taint("foo", "bar", "NoSchedule"),
                false,
            ),
            (
                "empty effect tolerates every effect",
                tol("foo", "Equal", "bar", ""),
                taint("foo", "bar", "NoExecute"),
                true,
            ),
            (
                "Exists ignores the value",
                tol("foo", "Exists", "", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                true,
            ),
            (
                "Exists with empty key tolerates everything",
                tol("", "Exists", "", ""),
                taint("any", "thing", "NoExecute"),
                true,
            ),
            (
                "different key",
                tol("foo", "Exists", "", ""),
                taint("bar", "", "NoSchedule"),
                false,
            ),
            (
                "Equal with empty values on both sides",
                tol("foo", "Equal", "", "NoSchedule"),
                taint("foo", "", "NoSchedule"),
                true,
            ),
            (
                "Equal without value against a valued taint",
                tol("foo", "", "", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                false,
            ),
            (
                "Gt is alpha-gated off in 1.35: tolerates nothing",
                tol("foo", "Gt", "1", "NoSchedule"),
                taint("foo", "2", "NoSchedule"),
                false,
            ),
            (
                "unknown operator tolerates nothing",
                tol("foo", "Like", "bar", "NoSchedule"),
                taint("foo", "bar", "NoSchedule"),
                false,
            ),
        ];
        for (name, t, tn, want) in cases {
            assert_eq!(tolerates(&t, &tn), want, "{name}");
        }
    }

    #[test]
    fn find_untolerated_returns_first_in_node_order() {
        let taints = vec![
            taint("a", "", "PreferNoSchedule"),
            taint("b", "", "NoSchedule"),
            taint("c", "", "NoExecute"),
        ];
        let tols = vec![tol("b", "Exists", "", "")];
        let t = find_untolerated(&taints, &tols, is_no_schedule_or_no_execute).unwrap();
        assert_eq!(t.key, "c");
        assert!(find_untolerated(&taints, &[], |t| t.effect == "PreferNoSchedule").is_some());
        assert!(find_untolerated(&[], &[], is_no_execute).is_none());
    }

    #[test]
    fn defaults_are_appended_in_order_and_network_only_for_host_network() {
        let mut v = Vec::new();
        add_daemon_default_tolerations(&mut v, false);
        let keys: Vec<_> = v.iter().map(|t| t.key.clone().unwrap()).collect();
        assert_eq!(
            keys,
            [
                TAINT_NOT_READY,
                TAINT_UNREACHABLE,
                TAINT_DISK_PRESSURE,
                TAINT_MEMORY_PRESSURE,
                TAINT_PID_PRESSURE,
                TAINT_UNSCHEDULABLE
            ]
        );
        let mut h = Vec::new();
        add_daemon_default_tolerations(&mut h, true);
        assert_eq!(
            h.last().unwrap().key.as_deref(),
            Some(TAINT_NETWORK_UNAVAILABLE)
        );
    }

    #[test]
    fn identical_user_toleration_with_seconds_is_replaced_in_place() {
        let mut user = tol(TAINT_NOT_READY, "Exists", "", NO_EXECUTE);
        user.toleration_seconds = Some(5);
        let mut v = vec![tol("x", "Exists", "", ""), user];
        add_daemon_default_tolerations(&mut v, false);
        assert_eq!(v.len(), 7);
        assert_eq!(v[1].key.as_deref(), Some(TAINT_NOT_READY));
        assert_eq!(
            v[1].toleration_seconds, None,
            "replaced by the forever default"
        );
    }

    #[test]
    fn equivalent_but_different_user_toleration_is_kept_and_default_appended() {
        let mut v = vec![tol(TAINT_UNSCHEDULABLE, "", "", NO_SCHEDULE)];
        add_daemon_default_tolerations(&mut v, false);
        assert_eq!(v.len(), 7);
        assert_eq!(v[0].operator, None);
    }

    #[test]
    fn toleration_strings_as_kubectl_describe_prints_them() {
        let mut t = tol(TAINT_NOT_READY, "Exists", "", NO_EXECUTE);
        t.toleration_seconds = Some(300);
        assert_eq!(
            toleration_string(&t),
            "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s"
        );
        assert_eq!(
            toleration_string(&tol("k", "Equal", "v", "NoSchedule")),
            "k=v:NoSchedule"
        );
        assert_eq!(
            toleration_string(&tol("k", "", "", "NoSchedule")),
            "k:NoSchedule"
        );
        assert_eq!(toleration_string(&tol("", "Exists", "", "")), "op=Exists");
    }

    #[test]
    fn taint_strings_as_kubectl_prints_them() {
        assert_eq!(
            taint_string(&taint("k", "v", "NoSchedule")),
            "k=v:NoSchedule"
        );
        assert_eq!(taint_string(&taint("k", "", "NoExecute")), "k:NoExecute");
    }
}
