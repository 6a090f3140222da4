//! Resource requests of a pod and allocatable of a node, in integers (cpu in millicores, every other
//! resource in its base unit), computed as the scheduler computes them.
//!
//! Mirrors `staging/src/k8s.io/component-helpers/resource/helpers.go` (`PodRequests`: containers,
//! sidecars, init containers, pod-level resources, overhead) and the requests-from-limits defaulting
//! of `pkg/apis/core/v1/defaults.go` (`SetDefaults_Pod`).

use crate::quantity::Quantity;
use k8s_openapi::api::core::v1::{Container, Node, PodSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;
use std::collections::BTreeMap;

/// Resource name → amount (cpu in millicores; memory, storage, pods and extended resources in units).
pub type ResourceList = BTreeMap<String, i64>;

pub const CPU: &str = "cpu";
pub const MEMORY: &str = "memory";
pub const EPHEMERAL_STORAGE: &str = "ephemeral-storage";
pub const PODS: &str = "pods";

/// The scheduler's integer for a quantity: `MilliValue()` for cpu, `Value()` otherwise; both round up.
/// Quantities that do not parse were rejected when the object was loaded, so they count as zero here.
pub fn amount(resource: &str, q: &ApiQuantity) -> i64 {
    if let Some(v) = simple_amount(resource, &q.0) {
        return v;
    }
    match Quantity::parse(&q.0) {
        Ok(q) if resource == CPU => q.milli_value(),
        Ok(q) => q.value(),
        Err(_) => 0,
    }
}

/// Whole numbers with no suffix or one SI/binary suffix (`110`, `4`, `500m`, `16Gi`,
/// `16252928Ki`) — nearly every quantity a kubelet or a person writes — read without the exact
/// decimal machinery of [`Quantity::parse`]; anything else (fractions, exponents, huge values)
/// returns `None` and takes the exact path. Same results, rounding up like `MilliValue`/`Value`.
fn simple_amount(resource: &str, s: &str) -> Option<i64> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 18 {
        return None;
    }
    let n: i64 = s[..digits].parse().ok()?;
    let factor: i64 = match &s[digits..] {
        "m" => {
            return Some(if resource == CPU { n } else { (n + 999) / 1000 });
        }
        "" => 1,
        "k" => 1_000,
        "M" => 1_000_000,
        "G" => 1_000_000_000,
        "T" => 1_000_000_000_000,
        "P" => 1_000_000_000_000_000,
        "Ki" => 1 << 10,
        "Mi" => 1 << 20,
        "Gi" => 1 << 30,
        "Ti" => 1 << 40,
        "Pi" => 1 << 50,
        _ => return None,
    };
    let value = n.checked_mul(factor)?;
    if resource == CPU {
        value.checked_mul(1000)
    } else {
        Some(value)
    }
}

fn to_list(map: Option<&BTreeMap<String, ApiQuantity>>) -> ResourceList {
    map.into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), amount(k, v)))
        .collect()
}

fn add_into(into: &mut ResourceList, from: &ResourceList) {
    for (k, v) in from {
        let e = into.entry(k.clone()).or_insert(0);
        *e = e.saturating_add(*v);
    }
}

fn max_into(into: &mut ResourceList, from: &ResourceList) {
    for (k, v) in from {
        let e = into.entry(k.clone()).or_insert(0);
        *e = (*e).max(*v);
    }
}

/// A container's requests after the API server's defaulting: a resource with a limit and no request
/// requests its limit.
pub fn container_requests(c: &Container) -> ResourceList {
    let res = c.resources.as_ref();
    let mut req = to_list(res.and_then(|r| r.requests.as_ref()));
    for (k, v) in to_list(res.and_then(|r| r.limits.as_ref())) {
        req.entry(k).or_insert(v);
    }
    req
}

fn is_sidecar(c: &Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

/// `PodRequests`: regular containers plus sidecars, the maximum with each init container's need,
/// pod-level cpu/memory requests in place of the aggregate where set, plus overhead.
pub fn pod_requests(spec: &PodSpec) -> ResourceList {
    let mut total = ResourceList::new();
    for c in &spec.containers {
        add_into(&mut total, &container_requests(c));
    }
    let mut sidecars_so_far = ResourceList::new();
    let mut init_max = ResourceList::new();
    for c in spec.init_containers.iter().flatten() {
        let req = container_requests(c);
        if is_sidecar(c) {
            add_into(&mut total, &req);
            add_into(&mut sidecars_so_far, &req);
            max_into(&mut init_max, &sidecars_so_far);
        } else {
            let mut need = req;
            add_into(&mut need, &sidecars_so_far);
            max_into(&mut init_max, &need);
        }
    }
    max_into(&mut total, &init_max);
    let pod_level = to_list(spec.resources.as_ref().and_then(|r| r.requests.as_ref()));
    for (k, v) in pod_level {
        if k == CPU || k == MEMORY || k.starts_with("hugepages-") {
            total.insert(k, v);
        }
    }
    add_into(&mut total, &to_list(spec.overhead.as_ref()));
    total.retain(|_, v| *v != 0);
    total
}

/// `status.allocatable` of a node (absent resources are zero, including `pods`).
pub fn node_allocatable(node: &Node) -> ResourceList {
    to_list(node.status.as_ref().and_then(|s| s.allocatable.as_ref()))
}

/// Write an amount the way people read it: `250m` or `2` for cpu, `200Mi` for memory.
pub fn format_amount(resource: &str, v: i64) -> String {
    if resource == CPU {
        if v % 1000 == 0 {
            format!("{}", v / 1000)
        } else {
            format!("{v}m")
        }
    } else if resource == MEMORY
        || resource == EPHEMERAL_STORAGE
        || resource.starts_with("hugepages-")
    {
        for (suffix, shift) in [("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)] {
            let unit = 1i64 << shift;
            if v != 0 && v % unit == 0 {
                return format!("{}{suffix}", v / unit);
            }
        }
        format!("{v}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ResourceRequirements;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn container(requests: &[(&str, &str)], limits: &[(&str, &str)], sidecar: bool) -> Container {
        let q = |pairs: &[(&str, &str)]| {
            (!pairs.is_empty()).then(|| {
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), ApiQuantity(v.to_string())))
                    .collect()
            })
        };
        Container {
            name: "c".into(),
            resources: Some(ResourceRequirements {
                requests: q(requests),
                limits: q(limits),
                ..Default::default()
            }),
            restart_policy: sidecar.then(|| "Always".into()),
            ..Default::default()
        }
    }

    #[test]
    fn requests_default_from_limits() {
        let r = container_requests(&container(
            &[("cpu", "100m")],
            &[("cpu", "1"), ("memory", "200Mi")],
            false,
        ));
        assert_eq!(r[CPU], 100, "an explicit request wins");
        assert_eq!(
            r[MEMORY],
            200 * 1024 * 1024,
            "a limit without a request becomes the request"
        );
    }

    #[test]
    fn pod_requests_follow_the_init_container_and_sidecar_formula() {
        // Regular: 100m. Sidecar declared first: 50m. Init container after it: 500m.
        // Total = max(100 + 50, 500 + 50) = 550m.
        let spec = PodSpec {
            containers: vec![container(&[("cpu", "100m")], &[], false)],
            init_containers: Some(vec![
                container(&[("cpu", "50m")], &[], true),
                container(&[("cpu", "500m")], &[], false),
            ]),
            ..Default::default()
        };
        assert_eq!(pod_requests(&spec)[CPU], 550);
        let mut with_overhead = spec.clone();
        with_overhead.overhead = Some([("cpu".to_string(), ApiQuantity("250m".into()))].into());
        assert_eq!(
            pod_requests(&with_overhead)[CPU],
            800,
            "overhead is added last"
        );
        let mut pod_level = spec;
        pod_level.resources = Some(ResourceRequirements {
            requests: Some([("cpu".to_string(), ApiQuantity("2".into()))].into()),
            ..Default::default()
        });
        assert_eq!(
            pod_requests(&pod_level)[CPU],
            2000,
            "pod-level requests replace the aggregate"
        );
    }

    #[test]
    fn amounts_round_up() {
        assert_eq!(amount(CPU, &ApiQuantity("0.0001".into())), 1);
        assert_eq!(amount(MEMORY, &ApiQuantity("100m".into())), 1);
        assert_eq!(amount(MEMORY, &ApiQuantity("1.5Gi".into())), 1610612736);
    }

    #[test]
    fn the_simple_path_agrees_with_the_exact_parser() {
        let mut cases: Vec<String> = Vec::new();
        for n in [
            "0",
            "1",
            "7",
            "110",
            "999",
            "1000",
            "1001",
            "123456789",
            "999999999999999999",
        ] {
            for suffix in [
                "", "m", "k", "M", "G", "T", "P", "Ki", "Mi", "Gi", "Ti", "Pi",
            ] {
                cases.push(format!("{n}{suffix}"));
            }
        }
        for c in cases {
            for r in [CPU, MEMORY, "nvidia.com/gpu"] {
                let exact = match Quantity::parse(&c) {
                    Ok(q) if r == CPU => q.milli_value(),
                    Ok(q) => q.value(),
                    Err(e) => panic!("{c}: {e}"),
                };
                if let Some(fast) = simple_amount(r, &c) {
                    assert_eq!(fast, exact, "{r} {c}");
                }
            }
        }
        assert_eq!(
            simple_amount(CPU, "0.5"),
            None,
            "fractions take the exact path"
        );
        assert_eq!(
            simple_amount(MEMORY, "1e3"),
            None,
            "exponents take the exact path"
        );
    }

    #[test]
    fn formats_for_people() {
        assert_eq!(format_amount(CPU, 1500), "1500m");
        assert_eq!(format_amount(CPU, 2000), "2");
        assert_eq!(format_amount(MEMORY, 200 * 1024 * 1024), "200Mi");
        assert_eq!(format_amount(PODS, 110), "110");
    }
}
