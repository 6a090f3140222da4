//! Validation with the API server's wording.
//!
//! Mirrors `pkg/apis/apps/validation/validation.go` (`ValidateDaemonSet`, `ValidateDaemonSetSpec`,
//! `ValidateRollingUpdateDaemonSet`), the parts of `pkg/apis/core/validation/validation.go` that a
//! pod template meets most (containers, resources, tolerations, node affinity, ports, taints) and
//! `pkg/apis/scheduling/validation/validation.go` for PriorityClass. kubectl prints a rejected object
//! as `The DaemonSet "name" is invalid: <path>: <type>: <detail>`; each cause becomes one diagnostic
//! located at its field.

use super::{join_path, DocContext};
use crate::diag::Diagnostic;
use crate::labels::{self, go_map_literal, Selector};
use crate::quantity::Quantity;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Container, Namespace, Node, Pod, PodSpec, ResourceRequirements};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One validation cause: field path (relative to the object) and `Type: detail` text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub cause: String,
    /// A decoding problem (bad quantity): the API server cannot even read the object.
    pub decode: bool,
}

#[derive(Default)]
struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, path: impl Into<String>, cause: impl Into<String>) {
        self.0.push(FieldError {
            path: path.into(),
            cause: cause.into(),
            decode: false,
        });
    }
    fn required(&mut self, path: impl Into<String>, detail: &str) {
        if detail.is_empty() {
            self.push(path, "Required value");
        } else {
            self.push(path, format!("Required value: {detail}"));
        }
    }
    fn invalid(&mut self, path: impl Into<String>, value: impl std::fmt::Display, detail: &str) {
        self.push(path, format!("Invalid value: {value}: {detail}"));
    }
    fn unsupported(&mut self, path: impl Into<String>, value: &str, supported: &[&str]) {
        let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
        self.push(
            path,
            format!(
                "Unsupported value: {value:?}: supported values: {}",
                list.join(", ")
            ),
        );
    }
}

/// Where the API server says a node's taints are (see [`node`]).
const NODE_TAINTS_AS_PRINTED: &str = "metadata.taints";

/// `validateTaintEffect`'s list, in its order (`field.NotSupported` does not sort).
const TAINT_EFFECTS: &[&str] = &["NoSchedule", "PreferNoSchedule", "NoExecute"];

fn q(s: &str) -> String {
    format!("{s:?}")
}

/// Report the errors for an object; true when it is valid.
fn report(ctx: &mut DocContext, kind: &str, name: &str, prefix: &str, errs: Errors) -> bool {
    if errs.0.is_empty() {
        return true;
    }
    let decode = errs.0.iter().any(|e| e.decode);
    for e in errs.0.into_iter().filter(|e| e.decode || !decode) {
        let message = if e.decode {
            format!(
                "{kind} in version \"v1\" cannot be handled as a {kind}: {}",
                e.cause
            )
        } else {
            format!("The {kind} {name:?} is invalid: {}: {}", e.path, e.cause)
        };
        let mut d = Diagnostic::error(message).at_path(e.path.clone());
        d.object = Some(format!("{kind} {name}"));
        let at = match e.path.strip_prefix(NODE_TAINTS_AS_PRINTED) {
            Some(rest) if kind == "Node" => format!("spec.taints{rest}"),
            _ => e.path.clone(),
        };
        ctx.push(d, &join_path(prefix, &at));
    }
    false
}

fn validate_meta(
    errs: &mut Errors,
    meta: &ObjectMeta,
    namespaced: bool,
    name_rule: fn(&str) -> Vec<String>,
) {
    match meta.name.as_deref() {
        None | Some("") if meta.generate_name.is_none() => {
            errs.required("metadata.name", "name or generateName is required")
        }
        Some(n) if !n.is_empty() => {
            for e in name_rule(n) {
                errs.invalid("metadata.name", q(n), &e);
            }
        }
        _ => {}
    }
    if let Some(g) = meta.generate_name.as_deref().filter(|g| !g.is_empty()) {
        // ValidateObjectMeta checks a prefix with `maskTrailingDash`: a trailing dash and the
        // character before it become "a".
        let masked = match g.strip_suffix('-') {
            Some(rest) if g.len() > 1 => {
                let mut t = rest.to_string();
                t.pop();
                t.push('a');
                t
            }
            _ => g.to_string(),
        };
        for e in name_rule(&masked) {
            errs.invalid("metadata.generateName", q(g), &e);
        }
    }
    if namespaced {
        if let Some(ns) = meta.namespace.as_deref() {
            for e in labels::dns1123_label_errors(ns) {
                errs.invalid("metadata.namespace", q(ns), &e);
            }
        }
    }
    validate_labels(errs, meta.labels.as_ref(), "metadata.labels");
}

fn validate_labels(errs: &mut Errors, map: Option<&BTreeMap<String, String>>, path: &str) {
    for (k, v) in map.into_iter().flatten() {
        for e in labels::qualified_name_errors(k) {
            errs.invalid(path, q(k), &e);
        }
        for e in labels::label_value_errors(v) {
            errs.invalid(path, q(v), &e);
        }
    }
}

fn validate_selector(
    errs: &mut Errors,
    sel: Option<&LabelSelector>,
    path: &str,
) -> Option<Selector> {
    if let Some(s) = sel {
        validate_labels(
            errs,
            s.match_labels.as_ref(),
            &format!("{path}.matchLabels"),
        );
        for (i, e) in s.match_expressions.iter().flatten().enumerate() {
            for m in labels::qualified_name_errors(&e.key) {
                errs.invalid(format!("{path}.matchExpressions[{i}].key"), q(&e.key), &m);
            }
        }
    }
    match Selector::compile(sel) {
        Ok(s) => Some(s),
        Err(e) => {
            errs.push(format!("{path}.{}", e.path), e.cause);
            None
        }
    }
}

const QUANTITY_FORMAT: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

fn is_standard_resource(name: &str) -> bool {
    matches!(
        name,
        "cpu" | "memory" | "ephemeral-storage" | "storage" | "pods"
    ) || name.starts_with("hugepages-")
        || name.starts_with("requests.")
        || name.starts_with("limits.")
}

/// An extended resource: a fully qualified name outside `kubernetes.io/` (`nvidia.com/gpu`).
fn is_extended_resource(name: &str) -> bool {
    !is_standard_resource(name) && name.contains('/') && !name.contains("kubernetes.io/")
}

fn parse_quantities(
    errs: &mut Errors,
    map: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
    path: &str,
) -> BTreeMap<String, Quantity> {
    let mut out = BTreeMap::new();
    for (k, v) in map.into_iter().flatten() {
        match Quantity::parse(&v.0) {
            Ok(parsed) => {
                if parsed.is_negative() {
                    errs.invalid(
                        format!("{path}[{k}]"),
                        q(&v.0),
                        "must be greater than or equal to 0",
                    );
                } else if is_extended_resource(k) && !parsed.is_integer() {
                    errs.invalid(format!("{path}[{k}]"), q(&v.0), "must be an integer");
                }
                out.insert(k.clone(), parsed);
            }
            Err(e) => errs.0.push(FieldError {
                path: format!("{path}[{k}]"),
                cause: if matches!(e, crate::quantity::QuantityError::FormatWrong) {
                    QUANTITY_FORMAT.to_string()
                } else {
                    e.to_string()
                },
                decode: true,
            }),
        }
    }
    out
}

fn validate_resources(errs: &mut Errors, r: Option<&ResourceRequirements>, path: &str) {
    let Some(r) = r else { return };
    let limits = parse_quantities(errs, r.limits.as_ref(), &format!("{path}.limits"));
    let requests = parse_quantities(errs, r.requests.as_ref(), &format!("{path}.requests"));
    for (k, req) in &requests {
        match limits.get(k) {
            Some(lim)
                if is_extended_resource(k) && req.cmp_value(lim) != std::cmp::Ordering::Equal =>
            {
                errs.invalid(
                    format!("{path}.requests"),
                    q(&req.to_string()),
                    &format!("must be equal to {k} limit of {lim}"),
                );
            }
            Some(lim) if req.cmp_value(lim) == std::cmp::Ordering::Greater => {
                errs.invalid(
                    format!("{path}.requests"),
                    q(&req.to_string()),
                    &format!("must be less than or equal to {k} limit of {lim}"),
                );
            }
            None if is_extended_resource(k) => {
                errs.required(
                    format!("{path}.limits"),
                    "Limit must be set for non overcommitable resources",
                );
            }
            _ => {}
        }
    }
}

fn validate_container(errs: &mut Errors, c: &Container, path: &str) {
    if c.name.is_empty() {
        errs.required(format!("{path}.name"), "");
    } else {
        for e in labels::dns1123_label_errors(&c.name) {
            errs.invalid(format!("{path}.name"), q(&c.name), &e);
        }
    }
    if c.image.as_deref().unwrap_or("").trim().is_empty() {
        errs.required(format!("{path}.image"), "");
    }
    for (i, p) in c.ports.iter().flatten().enumerate() {
        let pp = format!("{path}.ports[{i}]");
        if p.container_port == 0 {
            errs.required(format!("{pp}.containerPort"), "");
        } else if !(1..=65535).contains(&p.container_port) {
            errs.invalid(
                format!("{pp}.containerPort"),
                p.container_port,
                "must be between 1 and 65535, inclusive",
            );
        }
        if let Some(h) = p.host_port.filter(|h| *h != 0) {
            if !(1..=65535).contains(&h) {
                errs.invalid(
                    format!("{pp}.hostPort"),
                    h,
                    "must be between 1 and 65535, inclusive",
                );
            }
        }
        if let Some(proto) = p.protocol.as_deref() {
            if !matches!(proto, "TCP" | "UDP" | "SCTP") {
                errs.unsupported(format!("{pp}.protocol"), proto, &["SCTP", "TCP", "UDP"]);
            }
        }
    }
    validate_resources(errs, c.resources.as_ref(), &format!("{path}.resources"));
}

/// The parts of `ValidatePodSpec` that a DaemonSet template or a Pod meets most.
pub fn validate_pod_spec(errs_out: &mut Vec<FieldError>, spec: &PodSpec, path: &str) {
    let mut errs = Errors(std::mem::take(errs_out));
    pod_spec(&mut errs, spec, path);
    *errs_out = errs.0;
}

fn pod_spec(errs: &mut Errors, spec: &PodSpec, path: &str) {
    if spec.containers.is_empty() {
        errs.required(format!("{path}.containers"), "");
    }
    let mut names = BTreeSet::new();
    for (list, field) in [
        (spec.containers.as_slice(), "containers"),
        (
            spec.init_containers.as_deref().unwrap_or(&[]),
            "initContainers",
        ),
    ] {
        for (i, c) in list.iter().enumerate() {
            let cp = format!("{path}.{field}[{i}]");
            if !c.name.is_empty() && !names.insert(c.name.clone()) {
                errs.push(
                    format!("{cp}.name"),
                    format!("Duplicate value: {}", q(&c.name)),
                );
            }
            validate_container(errs, c, &cp);
        }
    }
    if let Some(p) = spec.restart_policy.as_deref() {
        if !matches!(p, "Always" | "OnFailure" | "Never") {
            errs.unsupported(
                format!("{path}.restartPolicy"),
                p,
                &["Always", "OnFailure", "Never"],
            );
        }
    }
    if let Some(p) = spec.preemption_policy.as_deref() {
        if !matches!(p, "PreemptLowerPriority" | "Never") {
            errs.unsupported(
                format!("{path}.preemptionPolicy"),
                p,
                &["PreemptLowerPriority", "Never"],
            );
        }
    }
    if let Some(name) = spec.priority_class_name.as_deref() {
        for e in labels::dns1123_subdomain_errors(name) {
            errs.invalid(format!("{path}.priorityClassName"), q(name), &e);
        }
    }
    validate_labels(
        errs,
        spec.node_selector.as_ref(),
        &format!("{path}.nodeSelector"),
    );
    for (i, t) in spec.tolerations.iter().flatten().enumerate() {
        let tp = format!("{path}.tolerations[{i}]");
        let key = t.key.as_deref().unwrap_or("");
        let op = t.operator.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        if !key.is_empty() {
            for e in labels::qualified_name_errors(key) {
                errs.invalid(format!("{tp}.key"), q(key), &e);
            }
        }
        if key.is_empty() && op != "Exists" {
            errs.invalid(
                format!("{tp}.operator"),
                q(op),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            );
        }
        if t.toleration_seconds.is_some() && t.effect.as_deref() != Some("NoExecute") {
            errs.invalid(
                format!("{tp}.effect"),
                q(t.effect.as_deref().unwrap_or("")),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            );
        }
        match op {
            "" | "Equal" => {
                let value_errors = labels::label_value_errors(value);
                if !value_errors.is_empty() {
                    errs.invalid(format!("{tp}.operator"), q(value), &value_errors.join(";"));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    errs.invalid(
                        format!("{tp}.operator"),
                        q(t.value.as_deref().unwrap_or("")),
                        "value must be empty when `operator` is 'Exists'",
                    );
                }
            }
            other => errs.unsupported(format!("{tp}.operator"), other, &["Equal", "Exists"]),
        }
        if let Some(effect) = t.effect.as_deref().filter(|e| !e.is_empty()) {
            if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                errs.unsupported(format!("{tp}.effect"), effect, TAINT_EFFECTS);
            }
        }
    }
    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|n| {
            n.required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    if let Some(r) = required {
        let rp = format!("{path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
        if r.node_selector_terms.is_empty() {
            errs.required(rp.clone(), "must have at least one node selector term");
        }
        for (i, term) in r.node_selector_terms.iter().enumerate() {
            for (j, e) in term.match_expressions.iter().flatten().enumerate() {
                let ep = format!("{rp}[{i}].matchExpressions[{j}]");
                let n = e.values.as_ref().map_or(0, Vec::len);
                for m in labels::qualified_name_errors(&e.key) {
                    errs.invalid(format!("{ep}.key"), q(&e.key), &m);
                }
                match e.operator.as_str() {
                    "In" | "NotIn" if n == 0 => errs.required(format!("{ep}.values"), "must be specified when `operator` is 'In' or 'NotIn'"),
                    "Exists" | "DoesNotExist" if n > 0 => errs.push(format!("{ep}.values"), "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
                    "Gt" | "Lt" if n != 1 => errs.required(format!("{ep}.values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"),
                    "Gt" | "Lt" => {
                        let v = &e.values.as_ref().map(|v| v[0].clone()).unwrap_or_default();
                        if v.parse::<i64>().is_err() {
                            errs.invalid(format!("{ep}.values[0]"), q(v), "must be a valid int64");
                        }
                    }
                    "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
                    other => errs.invalid(format!("{ep}.operator"), q(other), "not a valid selector operator"),
                }
            }
            for (j, f) in term.match_fields.iter().flatten().enumerate() {
                let fp = format!("{rp}[{i}].matchFields[{j}]");
                if f.key != "metadata.name" {
                    errs.invalid(
                        format!("{fp}.key"),
                        q(&f.key),
                        "not a valid field selector key",
                    );
                }
                match f.operator.as_str() {
                    "In" | "NotIn" => {
                        if f.values.as_ref().map_or(0, Vec::len) != 1 {
                            errs.required(format!("{fp}.values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
                        }
                    }
                    other => errs.invalid(
                        format!("{fp}.operator"),
                        q(other),
                        "not a valid selector operator",
                    ),
                }
            }
        }
    }
}

// How `field.Error` prints an `intstr.IntOrString`: `*IntOrString` is a `fmt.Stringer`, so the
// value prints bare (`1`, `150%`), as `kubectl` shows it (`Invalid value: 0: may not be 0 …`).
use crate::print::int_or_string as int_or_string_value;

/// `ValidatePositiveIntOrPercent` + `IsNotMoreThan100Percent`; returns whether the value is non-zero.
fn validate_int_or_percent(errs: &mut Errors, v: Option<&IntOrString>, path: &str) -> bool {
    match v {
        None => false,
        Some(IntOrString::Int(i)) => {
            if *i < 0 {
                errs.invalid(path, i, "must be greater than or equal to 0");
            }
            *i != 0
        }
        Some(IntOrString::String(s)) => {
            let digits = s
                .strip_suffix('%')
                .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
            match digits {
                None => {
                    errs.invalid(path, s, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
                    false
                }
                Some(d) => {
                    let n: u64 = d.parse().unwrap_or(u64::MAX);
                    if n > 100 {
                        errs.invalid(path, s, "must not be greater than 100%");
                    }
                    n != 0
                }
            }
        }
    }
}

/// `ValidateDaemonSet` on a defaulted DaemonSet. `raw` is the object as written.
pub(crate) fn daemon_set(ctx: &mut DocContext, ds: &DaemonSet, raw: &Value, prefix: &str) -> bool {
    let mut errs = Errors::default();
    validate_meta(
        &mut errs,
        &ds.metadata,
        true,
        labels::dns1123_subdomain_errors,
    );
    let default_spec = Default::default();
    let spec = ds.spec.as_ref().unwrap_or(&default_spec);
    let template_labels = spec
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    validate_labels(
        &mut errs,
        Some(&template_labels),
        "spec.template.metadata.labels",
    );
    // k8s-openapi fills a missing required selector with an empty one; the text tells them apart.
    let written = raw.pointer("/spec/selector").is_some_and(|v| !v.is_null());
    let selector = written.then_some(&spec.selector);
    if let Some(sel) = validate_selector(&mut errs, selector, "spec.selector") {
        if !sel.matches(&template_labels) {
            errs.invalid(
                "spec.template.metadata.labels",
                go_map_literal(&template_labels),
                "`selector` does not match template `labels`",
            );
        }
    }
    if let Some(s) = selector {
        let n = s.match_labels.as_ref().map_or(0, BTreeMap::len)
            + s.match_expressions.as_ref().map_or(0, Vec::len);
        if n == 0 {
            errs.invalid(
                "spec.selector",
                labels::go_label_selector(s),
                "empty selector is invalid for daemonset",
            );
        }
    }
    match spec.template.spec.as_ref() {
        None => errs.required("spec.template.spec.containers", ""),
        Some(pod) => {
            pod_spec(&mut errs, pod, "spec.template.spec");
            let policy = pod.restart_policy.as_deref().unwrap_or("Always");
            if policy != "Always" {
                errs.unsupported("spec.template.spec.restartPolicy", policy, &["Always"]);
            }
            if pod.active_deadline_seconds.is_some() {
                errs.push(
                    "spec.template.spec.activeDeadlineSeconds",
                    "Forbidden: activeDeadlineSeconds in DaemonSet is not Supported",
                );
            }
        }
    }
    if let Some(m) = spec.min_ready_seconds.filter(|m| *m < 0) {
        errs.invalid(
            "spec.minReadySeconds",
            m,
            "must be greater than or equal to 0",
        );
    }
    if let Some(r) = spec.revision_history_limit.filter(|r| *r < 0) {
        errs.invalid(
            "spec.revisionHistoryLimit",
            r,
            "must be greater than or equal to 0",
        );
    }
    if let Some(strategy) = spec.update_strategy.as_ref() {
        match strategy.type_.as_deref().unwrap_or("RollingUpdate") {
            "OnDelete" => {}
            "RollingUpdate" => match strategy.rolling_update.as_ref() {
                None => errs.required("spec.updateStrategy.rollingUpdate", ""),
                Some(ru) => {
                    let p = "spec.updateStrategy.rollingUpdate";
                    let unavailable = validate_int_or_percent(
                        &mut errs,
                        ru.max_unavailable.as_ref(),
                        &format!("{p}.maxUnavailable"),
                    );
                    let surge = validate_int_or_percent(
                        &mut errs,
                        ru.max_surge.as_ref(),
                        &format!("{p}.maxSurge"),
                    );
                    if unavailable && surge {
                        let v = ru
                            .max_surge
                            .as_ref()
                            .map(int_or_string_value)
                            .unwrap_or_default();
                        errs.invalid(
                            format!("{p}.maxSurge"),
                            v,
                            "may not be set when maxUnavailable is non-zero",
                        );
                    } else if !unavailable && !surge {
                        errs.required(
                            format!("{p}.maxUnavailable"),
                            "cannot be 0 when maxSurge is 0",
                        );
                    }
                }
            },
            other => {
                // `field.NotSupported(fldPath, strategy, …)`: the whole strategy, printed with %#v.
                let ru = if strategy.rolling_update.is_some() {
                    "(*apps.RollingUpdateDaemonSet)(0xc000000000)"
                } else {
                    "(*apps.RollingUpdateDaemonSet)(nil)"
                };
                errs.push(
                    "spec.updateStrategy",
                    format!(
                        "Unsupported value: apps.DaemonSetUpdateStrategy{{Type:{other:?}, RollingUpdate:{ru}}}: supported values: \"RollingUpdate\", \"OnDelete\""
                    ),
                );
            }
        }
    }
    let name = ds.metadata.name.clone().unwrap_or_default();
    report(ctx, "DaemonSet", &name, prefix, errs)
}

pub(crate) fn node(ctx: &mut DocContext, n: &Node, prefix: &str) -> bool {
    let mut errs = Errors::default();
    validate_meta(
        &mut errs,
        &n.metadata,
        false,
        labels::dns1123_subdomain_errors,
    );
    let mut seen = BTreeSet::new();
    for (i, t) in n
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .into_iter()
        .flatten()
        .enumerate()
    {
        // `ValidateNode` passes `metadata` as the parent path of `spec.taints`, so the API server
        // prints `metadata.taints[i]`; `report` locates these at `spec.taints[i]`.
        let tp = format!("{NODE_TAINTS_AS_PRINTED}[{i}]");
        for e in labels::qualified_name_errors(&t.key) {
            errs.invalid(format!("{tp}.key"), q(&t.key), &e);
        }
        let value = t.value.as_deref().unwrap_or("");
        let value_errors = labels::label_value_errors(value);
        if !value_errors.is_empty() {
            errs.invalid(format!("{tp}.value"), q(value), &value_errors.join(";"));
        }
        if !matches!(
            t.effect.as_str(),
            "NoSchedule" | "PreferNoSchedule" | "NoExecute"
        ) {
            if t.effect.is_empty() {
                errs.required(format!("{tp}.effect"), "");
            } else {
                errs.unsupported(format!("{tp}.effect"), &t.effect, TAINT_EFFECTS);
            }
        }
        if !seen.insert((t.key.clone(), t.effect.clone())) {
            let added = t
                .time_added
                .as_ref()
                .map_or("<nil>".to_string(), |a| a.0.to_string());
            errs.push(
                tp,
                format!(
                    "Duplicate value: core.Taint{{Key:{:?}, Value:{:?}, Effect:{:?}, TimeAdded:{added}}}: taints must be unique by key and effect pair",
                    t.key, value, t.effect
                ),
            );
        }
    }
    if let Some(status) = n.status.as_ref() {
        parse_quantities(&mut errs, status.allocatable.as_ref(), "status.allocatable");
        parse_quantities(&mut errs, status.capacity.as_ref(), "status.capacity");
    }
    let name = n.metadata.name.clone().unwrap_or_default();
    report(ctx, "Node", &name, prefix, errs)
}

pub(crate) fn pod(ctx: &mut DocContext, p: &Pod, _raw: &Value, prefix: &str) -> bool {
    let mut errs = Errors::default();
    validate_meta(
        &mut errs,
        &p.metadata,
        true,
        labels::dns1123_subdomain_errors,
    );
    match p.spec.as_ref() {
        Some(spec) => pod_spec(&mut errs, spec, "spec"),
        None => errs.required("spec.containers", ""),
    }
    let name = p.metadata.name.clone().unwrap_or_default();
    report(ctx, "Pod", &name, prefix, errs)
}

pub(crate) fn priority_class(ctx: &mut DocContext, pc: &PriorityClass, prefix: &str) -> bool {
    let mut errs = Errors::default();
    validate_meta(
        &mut errs,
        &pc.metadata,
        false,
        labels::dns1123_subdomain_errors,
    );
    let name = pc.metadata.name.clone().unwrap_or_default();
    if name.starts_with("system-") {
        // `IsKnownSystemPriorityClass`: the name, value and globalDefault of a built-in class.
        let known = crate::explain::BUILTIN_PRIORITY_CLASSES
            .iter()
            .find(|(n, _)| *n == name);
        let problem = match known {
            None => Some(format!("{name} is not a known system priority class")),
            Some((n, v)) if *v != pc.value => {
                Some(format!("value of {n} PriorityClass must be {v}"))
            }
            Some((n, _)) if pc.global_default == Some(true) => {
                Some(format!("globalDefault of {n} PriorityClass must be false"))
            }
            Some(_) => None,
        };
        if let Some(problem) = problem {
            errs.push(
                "metadata.name",
                format!("Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: {problem}"),
            );
        }
    } else if pc.value > 1_000_000_000 {
        errs.push(
            "value",
            "Forbidden: maximum allowed value of a user defined priority is 1000000000",
        );
    }
    if let Some(p) = pc.preemption_policy.as_deref() {
        if !matches!(p, "PreemptLowerPriority" | "Never") {
            errs.unsupported("preemptionPolicy", p, &["PreemptLowerPriority", "Never"]);
        }
    }
    report(ctx, "PriorityClass", &name, prefix, errs)
}

/// `ValidatePodDisruptionBudget` (pkg/apis/policy/validation): minAvailable and maxUnavailable are
/// exclusive, each a non-negative integer or a percentage up to 100%, and the selector is valid.
pub(crate) fn pod_disruption_budget(
    ctx: &mut DocContext,
    pdb: &k8s_openapi::api::policy::v1::PodDisruptionBudget,
    prefix: &str,
) -> bool {
    let mut errs = Errors::default();
    validate_meta(
        &mut errs,
        &pdb.metadata,
        true,
        labels::dns1123_subdomain_errors,
    );
    let spec = pdb.spec.clone().unwrap_or_default();
    if spec.min_available.is_some() && spec.max_unavailable.is_some() {
        // The bad value is the whole spec, which the API server prints as JSON in Go's field order.
        let fields: Vec<String> = [
            (
                "minAvailable",
                serde_json::to_string(&spec.min_available).ok(),
            ),
            (
                "selector",
                spec.selector
                    .as_ref()
                    .and_then(|s| serde_json::to_string(s).ok()),
            ),
            (
                "maxUnavailable",
                serde_json::to_string(&spec.max_unavailable).ok(),
            ),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k:?}:{v}")))
        .collect();
        errs.invalid(
            "spec",
            format!("{{{}}}", fields.join(",")),
            "minAvailable and maxUnavailable cannot be both set",
        );
    }
    validate_int_or_percent(&mut errs, spec.min_available.as_ref(), "spec.minAvailable");
    validate_int_or_percent(
        &mut errs,
        spec.max_unavailable.as_ref(),
        "spec.maxUnavailable",
    );
    validate_selector(&mut errs, spec.selector.as_ref(), "spec.selector");
    if let Some(p) = spec.unhealthy_pod_eviction_policy.as_deref() {
        if !["IfHealthyBudget", "AlwaysAllow"].contains(&p) {
            errs.unsupported(
                "spec.unhealthyPodEvictionPolicy",
                p,
                &["AlwaysAllow", "IfHealthyBudget"],
            );
        }
    }
    let name = pdb.metadata.name.clone().unwrap_or_default();
    report(ctx, "PodDisruptionBudget", &name, prefix, errs)
}

pub(crate) fn namespace(ctx: &mut DocContext, ns: &Namespace, prefix: &str) -> bool {
    let mut errs = Errors::default();
    validate_meta(&mut errs, &ns.metadata, false, labels::dns1123_label_errors);
    let name = ns.metadata.name.clone().unwrap_or_default();
    report(ctx, "Namespace", &name, prefix, errs)
}
