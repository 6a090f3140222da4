//! `kubectl get`: kubectl's table columns for each kind, `-o wide|name|yaml|json`, `-n`, `-A`, `-l`.

use super::args::Args;
use super::{namespace, not_found, resource_args, Output, Resource, ResourceArgs};
use crate::engine::daemon::target_node;
use crate::engine::time::human_duration;
use crate::engine::{time::millis_of, Cluster};
use crate::labels::{format_label_selector, parse_selector, Selector};
use crate::print::table;
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;
use std::collections::BTreeMap;

fn age(c: &Cluster, meta: &ObjectMeta) -> String {
    meta.creation_timestamp.as_ref().map_or_else(
        || "<unknown>".into(),
        |t| human_duration(c.now - millis_of(t)),
    )
}

fn labels_of(meta: &ObjectMeta) -> BTreeMap<String, String> {
    meta.labels.clone().unwrap_or_default()
}

/// The READY, STATUS and RESTARTS columns of a pod, as `printPod` (printers.go) computes them:
/// restartable init containers (sidecars) count among the containers; an init container that has
/// not finished gives `Init:…`; the last container with a waiting or terminated reason gives it;
/// `Terminating` while a deleted pod's phase is not terminal (`Unknown` for a lost node's pod).
pub struct PodColumns {
    pub ready: String,
    pub status: String,
    pub restarts: String,
}

pub fn pod_columns(now: crate::engine::time::Millis, p: &Pod) -> PodColumns {
    let spec = p.spec.as_ref();
    let st = p.status.as_ref();
    let phase = st.and_then(|s| s.phase.as_deref()).unwrap_or("");
    let mut reason = match st.and_then(|s| s.reason.as_deref()) {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => phase.to_string(),
    };
    let conditions = st.and_then(|s| s.conditions.as_ref());
    let condition = |t: &str| conditions.into_iter().flatten().find(|c| c.type_ == t);
    if condition("PodScheduled").is_some_and(|c| c.reason.as_deref() == Some("SchedulingGated")) {
        reason = "SchedulingGated".into();
    }
    let init_specs: Vec<&k8s_openapi::api::core::v1::Container> = spec
        .iter()
        .flat_map(|s| s.init_containers.iter().flatten())
        .collect();
    let restartable = |name: &str| {
        init_specs
            .iter()
            .any(|c| c.name == name && c.restart_policy.as_deref() == Some("Always"))
    };
    let mut total = spec.map_or(0, |s| s.containers.len());
    total += init_specs
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .count();
    let mut ready = 0;
    let mut restarts = 0;
    let mut sidecar_restarts = 0;
    let finished_at = |cs: &k8s_openapi::api::core::v1::ContainerStatus| {
        cs.last_state
            .as_ref()
            .and_then(|l| l.terminated.as_ref())
            .and_then(|t| t.finished_at.as_ref())
            .map(millis_of)
    };
    let mut last_restart: Option<crate::engine::time::Millis> = None;
    let mut last_sidecar_restart: Option<crate::engine::time::Millis> = None;
    let mut initializing = false;
    let init_statuses = st.and_then(|s| s.init_container_statuses.as_ref());
    for (i, cs) in init_statuses.into_iter().flatten().enumerate() {
        restarts += cs.restart_count;
        last_restart = last_restart.max(finished_at(cs));
        let sidecar = restartable(&cs.name);
        if sidecar {
            sidecar_restarts += cs.restart_count;
            last_sidecar_restart = last_sidecar_restart.max(finished_at(cs));
        }
        let state = cs.state.as_ref();
        let terminated = state.and_then(|s| s.terminated.as_ref());
        let waiting = state.and_then(|s| s.waiting.as_ref());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if sidecar && cs.started == Some(true) {
            if cs.ready {
                ready += 1;
            }
            continue;
        }
        reason = if let Some(t) = terminated {
            match t.reason.as_deref() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ => match t.signal {
                    Some(sig) if sig != 0 => format!("Init:Signal:{sig}"),
                    _ => format!("Init:ExitCode:{}", t.exit_code),
                },
            }
        } else if let Some(r) = waiting
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            format!("Init:{r}")
        } else {
            format!("Init:{i}/{}", init_specs.len())
        };
        initializing = true;
        break;
    }
    let initialized = condition("Initialized").is_some_and(|c| c.status == "True");
    if !initializing || initialized {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for cs in st
            .and_then(|s| s.container_statuses.as_ref())
            .into_iter()
            .flatten()
            .rev()
        {
            restarts += cs.restart_count;
            last_restart = last_restart.max(finished_at(cs));
            let state = cs.state.as_ref();
            let waiting = state
                .and_then(|s| s.waiting.as_ref())
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty());
            let terminated = state.and_then(|s| s.terminated.as_ref());
            if let Some(w) = waiting {
                reason = w.to_string();
            } else if let Some(t) = terminated {
                reason = match t.reason.as_deref() {
                    Some(r) if !r.is_empty() => r.to_string(),
                    _ => match t.signal {
                        Some(sig) if sig != 0 => format!("Signal:{sig}"),
                        _ => format!("ExitCode:{}", t.exit_code),
                    },
                };
            } else if cs.ready && state.is_some_and(|s| s.running.is_some()) {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition("Ready").is_some_and(|c| c.status == "True") {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }
    if p.metadata.deletion_timestamp.is_some() {
        if st.and_then(|s| s.reason.as_deref()) == Some("NodeLost") {
            reason = "Unknown".into();
        } else if !matches!(phase, "Succeeded" | "Failed") {
            reason = "Terminating".into();
        }
    }
    let restarts = match last_restart {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", human_duration(now - t)),
        _ => restarts.to_string(),
    };
    PodColumns {
        ready: format!("{ready}/{total}"),
        status: reason,
        restarts,
    }
}

fn node_roles(meta: &ObjectMeta) -> String {
    let mut roles: Vec<String> = labels_of(meta)
        .keys()
        .filter_map(|k| {
            k.strip_prefix("node-role.kubernetes.io/")
                .map(str::to_string)
        })
        .filter(|r| !r.is_empty())
        .collect();
    if let Some(r) = labels_of(meta).get("kubernetes.io/role") {
        roles.push(r.clone());
    }
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        "<none>".into()
    } else {
        roles.join(",")
    }
}

fn or_none(s: Option<String>) -> String {
    s.filter(|s| !s.is_empty())
        .unwrap_or_else(|| "<none>".into())
}

fn or_unknown(s: Option<String>) -> String {
    s.filter(|s| !s.is_empty())
        .unwrap_or_else(|| "<unknown>".into())
}

/// printPod's READINESS GATES: how many of the pod's gates have a True condition, `<none>` when
/// it has none.
fn readiness_gates(p: &Pod) -> String {
    let gates = p
        .spec
        .as_ref()
        .and_then(|s| s.readiness_gates.as_ref())
        .filter(|g| !g.is_empty());
    let Some(gates) = gates else {
        return "<none>".into();
    };
    let conditions = p.status.as_ref().and_then(|s| s.conditions.as_ref());
    let met = gates
        .iter()
        .filter(|g| {
            conditions
                .into_iter()
                .flatten()
                .find(|c| c.type_ == g.condition_type)
                .is_some_and(|c| c.status == "True")
        })
        .count();
    format!("{met}/{}", gates.len())
}

/// One object found by `get`: its display name, namespace, and the row cells.
pub(super) struct Found {
    pub(super) namespace: String,
    pub(super) name: String,
    pub(super) json: Value,
    cells: Vec<String>,
    wide: Vec<String>,
}

/// The columns of `-o wide`, in kubectl's order: most kinds add theirs at the end; events put
/// SUBOBJECT and SOURCE before MESSAGE (`eventColumnDefinitions` in printers.go). Each column
/// says whether it is a wide one (`Priority: 1`).
fn columns(res: Resource) -> Vec<(&'static str, bool)> {
    let (head, wide) = headers(res);
    let mut cols: Vec<(&str, bool)> = head.iter().map(|h| (*h, false)).collect();
    let at = match res {
        Resource::Events => cols.len() - 1,
        _ => cols.len(),
    };
    cols.splice(at..at, wide.iter().take(2).map(|h| (*h, true)));
    cols.extend(wide.iter().skip(2).map(|h| (*h, true)));
    cols
}

fn headers(res: Resource) -> (Vec<&'static str>, Vec<&'static str>) {
    match res {
        Resource::Nodes => (
            vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            vec![
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        Resource::DaemonSets => (
            vec![
                "NAME",
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "NODE SELECTOR",
                "AGE",
            ],
            vec!["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        Resource::Pods => (
            vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            vec!["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        Resource::PriorityClasses => (
            vec!["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"],
            vec![],
        ),
        Resource::ControllerRevisions => (vec!["NAME", "CONTROLLER", "REVISION", "AGE"], vec![]),
        Resource::Events => (
            vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            vec!["SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"],
        ),
        Resource::Namespaces => (vec!["NAME", "STATUS", "AGE"], vec![]),
        Resource::PodDisruptionBudgets => (
            vec![
                "NAME",
                "MIN AVAILABLE",
                "MAX UNAVAILABLE",
                "ALLOWED DISRUPTIONS",
                "AGE",
            ],
            vec![],
        ),
    }
}

fn collect(c: &Cluster, res: Resource, ns: Option<&str>) -> Vec<Found> {
    let in_ns = |n: &str| ns.is_none_or(|want| want == n);
    let mut out = Vec::new();
    let json = |v: &dyn erased::Ser| v.to_json();
    match res {
        Resource::Nodes => {
            for (name, n) in &c.nodes {
                // printNode: the Ready condition (the last one given), Unknown without one.
                let ready = match n
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .and_then(|cs| cs.iter().rev().find(|c| c.type_ == "Ready"))
                {
                    Some(c) if c.status == "True" => "Ready",
                    Some(_) => "NotReady",
                    None => "Unknown",
                };
                let status = if n
                    .spec
                    .as_ref()
                    .and_then(|s| s.unschedulable)
                    .unwrap_or(false)
                {
                    format!("{ready},SchedulingDisabled")
                } else {
                    ready.to_string()
                };
                let info = n.status.as_ref().and_then(|s| s.node_info.as_ref());
                let addr = |t: &str| {
                    n.status
                        .as_ref()
                        .and_then(|s| s.addresses.as_ref())
                        .and_then(|a| a.iter().find(|x| x.type_ == t))
                        .map(|x| x.address.clone())
                };
                out.push(Found {
                    namespace: String::new(),
                    name: name.clone(),
                    json: json(n),
                    cells: vec![
                        name.clone(),
                        status,
                        node_roles(&n.metadata),
                        age(c, &n.metadata),
                        info.map(|i| i.kubelet_version.clone()).unwrap_or_default(),
                    ],
                    wide: vec![
                        or_none(addr("InternalIP")),
                        or_none(addr("ExternalIP")),
                        // printNode: missing system info is "<unknown>", not "<none>".
                        or_unknown(info.map(|i| i.os_image.clone())),
                        or_unknown(info.map(|i| i.kernel_version.clone())),
                        or_unknown(info.map(|i| i.container_runtime_version.clone())),
                    ],
                });
            }
        }
        Resource::DaemonSets => {
            for ((n_s, name), d) in c.daemon_sets.iter().filter(|((n, _), _)| in_ns(n)) {
                let s = d.status.clone().unwrap_or_default();
                let spec = d.spec.as_ref();
                let pod = spec.and_then(|s| s.template.spec.as_ref());
                let node_selector = pod.and_then(|p| p.node_selector.as_ref()).map(|m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(",")
                });
                let containers = pod
                    .map(|p| {
                        p.containers
                            .iter()
                            .map(|c| c.name.clone())
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .unwrap_or_default();
                let images = pod
                    .map(|p| {
                        p.containers
                            .iter()
                            .map(|c| c.image.clone().unwrap_or_default())
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .unwrap_or_default();
                out.push(Found {
                    namespace: n_s.clone(),
                    name: name.clone(),
                    json: json(d),
                    cells: vec![
                        name.clone(),
                        s.desired_number_scheduled.to_string(),
                        s.current_number_scheduled.to_string(),
                        s.number_ready.to_string(),
                        s.updated_number_scheduled.unwrap_or(0).to_string(),
                        s.number_available.unwrap_or(0).to_string(),
                        or_none(node_selector),
                        age(c, &d.metadata),
                    ],
                    wide: vec![
                        containers,
                        images,
                        spec.map(|s| format_label_selector(Some(&s.selector)))
                            .unwrap_or_default(),
                    ],
                });
            }
        }
        Resource::Pods => {
            for ((n_s, name), p) in c.pods.iter().filter(|((n, _), _)| in_ns(n)) {
                let st = p.status.as_ref();
                let cols = pod_columns(c.now, p);
                out.push(Found {
                    namespace: n_s.clone(),
                    name: name.clone(),
                    json: json(p),
                    cells: vec![
                        name.clone(),
                        cols.ready,
                        cols.status,
                        cols.restarts,
                        age(c, &p.metadata),
                    ],
                    wide: vec![
                        or_none(st.and_then(|s| s.pod_ip.clone())),
                        or_none(p.spec.as_ref().and_then(|s| s.node_name.clone())),
                        or_none(st.and_then(|s| s.nominated_node_name.clone())),
                        readiness_gates(p),
                    ],
                });
            }
            let _ = target_node;
        }
        Resource::PriorityClasses => {
            for (name, pc) in &c.priority_classes {
                out.push(Found {
                    namespace: String::new(),
                    name: name.clone(),
                    json: json(pc),
                    cells: vec![
                        name.clone(),
                        pc.value.to_string(),
                        pc.global_default.unwrap_or(false).to_string(),
                        age(c, &pc.metadata),
                        pc.preemption_policy
                            .clone()
                            .unwrap_or_else(|| "PreemptLowerPriority".into()),
                    ],
                    wide: vec![],
                });
            }
        }
        Resource::PodDisruptionBudgets => {
            for ((n_s, name), p) in c.pdbs.iter().filter(|((n, _), _)| in_ns(n)) {
                let spec = p.spec.clone().unwrap_or_default();
                let shown = |v: Option<IntOrString>| match v {
                    Some(IntOrString::Int(i)) => i.to_string(),
                    Some(IntOrString::String(s)) => s,
                    None => "N/A".into(),
                };
                out.push(Found {
                    namespace: n_s.clone(),
                    name: name.clone(),
                    json: json(p),
                    cells: vec![
                        name.clone(),
                        shown(spec.min_available),
                        shown(spec.max_unavailable),
                        p.status
                            .as_ref()
                            .map_or(0, |s| s.disruptions_allowed)
                            .to_string(),
                        age(c, &p.metadata),
                    ],
                    wide: vec![],
                });
            }
        }
        Resource::ControllerRevisions => {
            for ((n_s, name), r) in c.revisions.iter().filter(|((n, _), _)| in_ns(n)) {
                let owner = crate::engine::controller_of(&r.metadata);
                out.push(Found {
                    namespace: n_s.clone(),
                    name: name.clone(),
                    json: json(r),
                    cells: vec![
                        name.clone(),
                        owner.map_or_else(
                            || "<none>".into(),
                            |o| format!("{}.apps/{}", o.kind.to_lowercase(), o.name),
                        ),
                        r.revision.to_string(),
                        age(c, &r.metadata),
                    ],
                    wide: vec![],
                });
            }
        }
        Resource::Events => {
            let scheduler_host = c.scheduler_host();
            let mut evs: Vec<&crate::engine::events::EventRecord> = c
                .events
                .records
                .iter()
                .filter(|e| in_ns(e.event_namespace()))
                .collect();
            // The API server lists by key: namespace, then the event's name
            // (`<object name>.<first-seen time in hex nanoseconds>`).
            evs.sort_by_cached_key(|e| (e.event_namespace().to_string(), e.event_name()));
            for e in evs {
                let api = e.to_api(&scheduler_host);
                let text = |k: &str| api.pointer(k).and_then(Value::as_str).unwrap_or("");
                // formatEventSource (pkg/printers/internalversion/printers.go).
                let component = match text("/source/component") {
                    "" => text("/reportingComponent"),
                    c => c,
                };
                let instance = match text("/source/host") {
                    "" => text("/reportingInstance"),
                    h => h,
                };
                let source = if instance.is_empty() {
                    component.to_string()
                } else {
                    format!("{component}, {instance}")
                };
                // printEvent: LAST SEEN is the last time alone; `(xN over M)` is describe's.
                let wide = vec![
                    text("/involvedObject/fieldPath").to_string(),
                    source,
                    human_duration(c.now - e.first_seen),
                    e.count.to_string(),
                    e.event_name(),
                ];
                out.push(Found {
                    namespace: e.event_namespace().to_string(),
                    name: e.event_name(),
                    cells: vec![
                        human_duration(c.now - e.last_seen),
                        e.type_.to_string(),
                        e.reason.to_string(),
                        e.object(),
                        e.message.trim().to_string(),
                    ],
                    json: api,
                    wide,
                });
            }
        }
        Resource::Namespaces => {
            for (name, n) in &c.namespaces {
                out.push(Found {
                    namespace: String::new(),
                    name: name.clone(),
                    json: json(n),
                    cells: vec![name.clone(), "Active".into(), age(c, &n.metadata)],
                    wide: vec![],
                });
            }
        }
    }
    out
}

mod erased {
    pub trait Ser {
        fn to_json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
        }
    }
}

fn object_labels(v: &Value) -> BTreeMap<String, String> {
    v.pointer("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// `kubectl get TYPE [NAME…] | TYPE/NAME…`.
/// One `--field-selector` requirement: field, equal (`=`, `==`) or not (`!=`), value.
pub(super) type FieldRequirement = (String, bool, String);

/// The group/version and resource as the API server names them in a field-selector error.
fn gvr(res: Resource) -> &'static str {
    match res {
        Resource::Nodes => "/v1, Resource=nodes",
        Resource::Pods => "/v1, Resource=pods",
        Resource::Events => "/v1, Resource=events",
        Resource::Namespaces => "/v1, Resource=namespaces",
        Resource::DaemonSets => "apps/v1, Resource=daemonsets",
        Resource::ControllerRevisions => "apps/v1, Resource=controllerrevisions",
        Resource::PriorityClasses => "scheduling.k8s.io/v1, Resource=priorityclasses",
        Resource::PodDisruptionBudgets => "policy/v1, Resource=poddisruptionbudgets",
    }
}

/// The fields each resource can be selected by (the API server's field label conversions).
fn field_supported(res: Resource, field: &str) -> bool {
    if matches!(field, "metadata.name" | "metadata.namespace") {
        return true;
    }
    match res {
        Resource::Pods => matches!(
            field,
            "spec.nodeName"
                | "spec.restartPolicy"
                | "spec.schedulerName"
                | "spec.serviceAccountName"
                | "spec.hostNetwork"
                | "status.phase"
                | "status.podIP"
                | "status.nominatedNodeName"
        ),
        Resource::Nodes => field == "spec.unschedulable",
        Resource::Namespaces => field == "status.phase",
        Resource::Events => matches!(
            field,
            "involvedObject.kind"
                | "involvedObject.namespace"
                | "involvedObject.name"
                | "involvedObject.uid"
                | "involvedObject.apiVersion"
                | "involvedObject.resourceVersion"
                | "involvedObject.fieldPath"
                | "reason"
                | "reportingComponent"
                | "source"
                | "type"
        ),
        _ => false,
    }
}

/// Parse `a=b,c!=d,e==f`. Err: kubectl's message for a requirement it cannot read.
fn parse_field_selector(s: &str) -> Result<Vec<FieldRequirement>, String> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (field, eq, value) = if let Some((f, v)) = part.split_once("!=") {
            (f, false, v)
        } else if let Some((f, v)) = part.split_once("==") {
            (f, true, v)
        } else if let Some((f, v)) = part.split_once('=') {
            (f, true, v)
        } else {
            return Err(format!(
                "error: invalid selector: '{s}'; can't understand '{part}'"
            ));
        };
        out.push((field.trim().to_string(), eq, value.trim().to_string()));
    }
    Ok(out)
}

/// What `-l` and `--field-selector` ask for.
pub(super) struct Query {
    /// The texts as given, for the server's error message.
    labels: String,
    field_text: String,
    selector: Option<Selector>,
    fields: Vec<FieldRequirement>,
}

impl Query {
    /// Parse the `-l`/`--selector` and `--field-selector` flags; Err: kubectl's error.
    pub(super) fn from_args(a: &Args) -> Result<Query, Output> {
        let labels = a.value(&["l", "selector"]);
        let selector = match labels.map(parse_selector) {
            None => None,
            Some(Ok(s)) => Some(s),
            Some(Err(e)) => return Err(Output::err(format!("error: {e}"))),
        };
        let field_text = a.value(&["field-selector"]).unwrap_or("");
        let fields = parse_field_selector(field_text).map_err(Output::err)?;
        Ok(Query {
            labels: labels.unwrap_or("").to_string(),
            field_text: field_text.to_string(),
            selector,
            fields,
        })
    }
}

/// The objects of one kind in a namespace (or all) that a label and field selector match, as the
/// API server lists them; a field the kind cannot select on is the server's BadRequest.
pub(super) fn list(
    c: &Cluster,
    res: Resource,
    scope: Option<&str>,
    q: &Query,
) -> Result<Vec<Found>, String> {
    if let Some((field, ..)) = q.fields.iter().find(|(f, ..)| !field_supported(res, f)) {
        // The kinds of the core group convert their own field labels (pkg/apis/core/v1/
        // conversion.go); the others have only apimachinery's DefaultMetaV1FieldSelectorConversion.
        let why = match res {
            Resource::Pods | Resource::Nodes | Resource::Events | Resource::Namespaces => {
                format!("field label not supported: {field}")
            }
            _ => format!(
                "{field:?} is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
            ),
        };
        return Err(format!(
            "Error from server (BadRequest): Unable to find \"{}\" that match label selector \"{}\", field selector \"{}\": {why}",
            gvr(res),
            q.labels,
            q.field_text
        ));
    }
    let mut found = collect(c, res, scope);
    if let Some(sel) = &q.selector {
        found.retain(|f| sel.matches(&object_labels(&f.json)));
    }
    found.retain(|f| {
        q.fields
            .iter()
            .all(|(field, eq, value)| (field_value(res, f, field) == *value) == *eq)
    });
    Ok(found)
}

/// The value of a selectable field on a listed object ("" when unset, as the API server has it).
fn field_value(res: Resource, f: &Found, field: &str) -> String {
    let pick = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    match (res, field) {
        (_, "metadata.name") => f.name.clone(),
        (_, "metadata.namespace") => f.namespace.clone(),
        // EventToSelectableFields (pkg/apis/core/v1/conversion.go): `source` is the source
        // component, or the reporting controller when there is none.
        (Resource::Events, "source") => match pick(f.json.pointer("/source/component")) {
            s if s.is_empty() => pick(f.json.get("reportingComponent")),
            s => s,
        },
        (Resource::Pods, "spec.hostNetwork") => {
            let v = pick(f.json.pointer("/spec/hostNetwork"));
            if v.is_empty() {
                "false".into()
            } else {
                v
            }
        }
        (Resource::Nodes, "spec.unschedulable") => {
            let v = pick(f.json.pointer("/spec/unschedulable"));
            if v.is_empty() {
                "false".into()
            } else {
                v
            }
        }
        _ => pick(f.json.pointer(&format!("/{}", field.replace('.', "/")))),
    }
}

pub fn get(c: &Cluster, a: &Args) -> Output {
    if a.positional.is_empty() {
        return Output::err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
    }
    // (resource, names) groups: `ds a b` or `ds/a pod/b`.
    let wanted: Vec<(Resource, Vec<String>)> = match resource_args(&a.positional) {
        Ok(ResourceArgs::Named(pairs)) => pairs.into_iter().map(|(r, n)| (r, vec![n])).collect(),
        Ok(ResourceArgs::Typed(types, names)) => {
            types.into_iter().map(|r| (r, names.clone())).collect()
        }
        Err(e) => return e,
    };
    let all_ns = a.has("A") || a.has("all-namespaces");
    let ns = namespace(a);
    let output = a.value(&["o", "output"]).unwrap_or("");
    if !matches!(output, "" | "wide" | "name" | "yaml" | "json") {
        return Output::err(format!("error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"));
    }
    let query = match Query::from_args(a) {
        Ok(q) => q,
        Err(e) => return e,
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    let mut items: Vec<Value> = Vec::new();
    let several = wanted.len() > 1;
    for (res, names) in &wanted {
        let scope = (res.namespaced() && !all_ns).then_some(ns.as_str());
        let mut found = match list(c, *res, scope, &query) {
            Ok(f) => f,
            Err(e) => return Output::err(e),
        };
        if !names.is_empty() {
            let mut picked = Vec::new();
            for n in names {
                match found.iter().position(|f| &f.name == n) {
                    Some(i) => picked.push(found.swap_remove(i)),
                    None => stderr.push_str(&format!("{}\n", not_found(*res, n))),
                }
            }
            found = picked;
        } else if found.is_empty() && !several && matches!(output, "" | "wide") {
            let msg = if res.namespaced() && !all_ns {
                format!("No resources found in {ns} namespace.\n")
            } else {
                "No resources found\n".to_string()
            };
            stderr.push_str(&msg);
        }
        match output {
            "name" => {
                for f in &found {
                    stdout.push_str(&format!("{}/{}\n", res.kind_group(), f.name));
                }
            }
            "yaml" | "json" => items.extend(found.into_iter().map(|f| f.json)),
            _ if found.is_empty() => {}
            _ => {
                let cols = columns(*res);
                let wide = output == "wide";
                let show_ns = all_ns && res.namespaced();
                let mut rows = Vec::new();
                let mut h: Vec<String> = Vec::new();
                if show_ns {
                    h.push("NAMESPACE".into());
                }
                h.extend(
                    cols.iter()
                        .filter(|(_, w)| wide || !w)
                        .map(|(s, _)| s.to_string()),
                );
                // `-L key`: one column per label, headed by the key's last segment in capitals.
                let label_columns: Vec<&str> = a
                    .values(&["L", "label-columns"])
                    .into_iter()
                    .flat_map(|v| v.split(','))
                    .filter(|k| !k.is_empty())
                    .collect();
                h.extend(
                    label_columns
                        .iter()
                        .map(|k| k.rsplit('/').next().unwrap_or(k).to_uppercase()),
                );
                rows.push(h);
                for f in found {
                    let mut r = Vec::new();
                    if show_ns {
                        r.push(f.namespace.clone());
                    }
                    let mut cells = f.cells.into_iter();
                    let mut extra = f.wide.into_iter();
                    for (_, is_wide) in &cols {
                        match is_wide {
                            false => r.extend(cells.next()),
                            true if wide => r.extend(extra.next()),
                            true => {}
                        }
                    }
                    if several {
                        let first = usize::from(show_ns);
                        r[first] = format!("{}/{}", res.kind_group(), r[first]);
                    }
                    let labels = object_labels(&f.json);
                    r.extend(
                        label_columns
                            .iter()
                            .map(|k| labels.get(*k).cloned().unwrap_or_default()),
                    );
                    rows.push(r);
                }
                if several && !stdout.is_empty() {
                    stdout.push('\n');
                }
                stdout.push_str(&table(&rows));
            }
        }
    }
    if matches!(output, "yaml" | "json") {
        let single_named = wanted.len() == 1 && wanted[0].1.len() == 1;
        let doc = if single_named && items.len() == 1 {
            items.remove(0)
        } else {
            serde_json::json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
        };
        if !(single_named && doc.is_array()) {
            let text = if output == "json" {
                crate::print::kubectl_json(&doc)
            } else {
                crate::print::yaml::to_string(&doc)
            };
            if !(items.is_empty() && single_named && !stderr.is_empty()) {
                stdout.push_str(&text);
            }
        }
    }
    let ok = !stderr.contains("Error from server");
    Output { stdout, stderr, ok }
}
