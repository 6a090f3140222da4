//! `kubectl describe` for nodes, DaemonSets and pods: the sections people read (taints,
//! conditions, resources, events), laid out as kubectl lays them out.

use super::args::Args;
use super::{namespace, not_found, unknown_resource, Output, Resource};
use crate::engine::events::EventRecord;
use crate::engine::time::{human_duration, millis_of};
use crate::engine::Cluster;
use crate::placement::resources::{self, format_amount, CPU, MEMORY};
use crate::placement::taints::{taint_string, toleration_string};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use std::collections::BTreeMap;
use std::fmt::Write;

fn when(t: Option<&Time>) -> String {
    t.map_or_else(
        || "<unset>".into(),
        |t| t.0.strftime("%a, %d %b %Y %H:%M:%S %z").to_string(),
    )
}

/// `Key:  value` lines with the values aligned at column 20, continuation lines indented to it.
fn field(out: &mut String, key: &str, values: &[String]) {
    let pad = |k: &str| format!("{k}{}", " ".repeat(20usize.saturating_sub(k.len())));
    if values.is_empty() {
        let _ = writeln!(out, "{}<none>", pad(&format!("{key}:")));
        return;
    }
    for (i, v) in values.iter().enumerate() {
        if i == 0 {
            let _ = writeln!(out, "{}{v}", pad(&format!("{key}:")));
        } else {
            let _ = writeln!(out, "{}{v}", " ".repeat(20));
        }
    }
}

fn map_lines(m: Option<&BTreeMap<String, String>>) -> Vec<String> {
    m.into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// The component that reports an event (the FROM column).
fn source(e: &EventRecord) -> &'static str {
    match e.reason {
        "Scheduled" | "FailedScheduling" | "Preempted" => "default-scheduler",
        "SuccessfulCreate" | "SuccessfulDelete" | "FailedCreate" | "FailedDaemonPod"
        | "SucceededDaemonPod" | "SelectingAll" => "daemonset-controller",
        "TaintManagerEviction" => "taint-eviction-controller",
        _ if e.kind == "Node" => "node-controller",
        _ => "kubelet",
    }
}

fn events_section(out: &mut String, c: &Cluster, kind: &str, ns: &str, name: &str) {
    let mut evs: Vec<&EventRecord> = c.events.about(kind, ns, name).collect();
    // describe lists events by the time they were last seen.
    evs.sort_by_key(|e| e.last_seen);
    if evs.is_empty() {
        out.push_str("Events:              <none>\n");
        return;
    }
    out.push_str("Events:\n");
    let mut rows = vec![
        ["Type", "Reason", "Age", "From", "Message"]
            .map(String::from)
            .to_vec(),
        ["----", "------", "----", "----", "-------"]
            .map(String::from)
            .to_vec(),
    ];
    for e in evs {
        let age = if e.count > 1 {
            format!(
                "{} (x{} over {})",
                human_duration(c.now - e.last_seen),
                e.count,
                human_duration(c.now - e.first_seen)
            )
        } else {
            human_duration(c.now - e.first_seen)
        };
        rows.push(vec![
            e.type_.into(),
            e.reason.into(),
            age,
            source(e).into(),
            e.message.clone(),
        ]);
    }
    for line in crate::print::table(&rows).lines() {
        let _ = writeln!(out, "  {line}");
    }
}

fn meta_header(out: &mut String, meta: &ObjectMeta, namespaced: bool) {
    field(out, "Name", &[meta.name.clone().unwrap_or_default()]);
    if namespaced {
        field(
            out,
            "Namespace",
            &[meta.namespace.clone().unwrap_or_default()],
        );
    }
}

pub fn describe(c: &Cluster, a: &Args) -> Output {
    let Some(first) = a.positional.first() else {
        return Output::err("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.");
    };
    let (res, names): (Resource, Vec<String>) = match first.split_once('/') {
        Some((t, n)) => match Resource::parse(t) {
            Some(r) => (r, vec![n.to_string()]),
            None => return unknown_resource(t),
        },
        None => match Resource::parse(first) {
            Some(r) => (r, a.positional[1..].to_vec()),
            None => return unknown_resource(first),
        },
    };
    let ns = namespace(a);
    let selector = match a.value(&["l", "selector"]).map(super::get::parse_selector) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return Output::err(format!("error: {e}")),
    };
    let keep = |m: &ObjectMeta| {
        selector
            .as_ref()
            .is_none_or(|s| s.matches(m.labels.as_ref().unwrap_or(&BTreeMap::new())))
    };
    let names: Vec<String> = if names.is_empty() {
        match res {
            Resource::Nodes => c
                .nodes
                .iter()
                .filter(|(_, n)| keep(&n.metadata))
                .map(|(k, _)| k.clone())
                .collect(),
            Resource::DaemonSets => c
                .daemon_sets
                .iter()
                .filter(|(k, d)| k.0 == ns && keep(&d.metadata))
                .map(|(k, _)| k.1.clone())
                .collect(),
            Resource::Pods => c
                .pods
                .iter()
                .filter(|(k, p)| k.0 == ns && keep(&p.metadata))
                .map(|(k, _)| k.1.clone())
                .collect(),
            _ => {
                return Output::err(format!(
                    "error: describe of {} is not available in the playground",
                    res.plural_group()
                ))
            }
        }
    } else {
        names
    };
    let mut out = String::new();
    let mut err = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        let done = match res {
            Resource::Nodes => describe_node(&mut out, c, name),
            Resource::DaemonSets => describe_ds(&mut out, c, &ns, name),
            Resource::Pods => describe_pod(&mut out, c, &ns, name),
            _ => {
                return Output::err(format!(
                    "error: describe of {} is not available in the playground",
                    res.plural_group()
                ))
            }
        };
        if !done {
            let _ = writeln!(err, "{}", not_found(res, name));
        }
    }
    if names.is_empty() {
        let _ = writeln!(err, "No resources found in {ns} namespace.");
    }
    let ok = !err.contains("Error from server");
    Output {
        stdout: out,
        stderr: err,
        ok,
    }
}

fn percent(v: i64, of: i64) -> String {
    if of <= 0 {
        "0%".into()
    } else {
        format!("{}%", v * 100 / of)
    }
}

fn describe_node(out: &mut String, c: &Cluster, name: &str) -> bool {
    let Some(n) = c.nodes.get(name) else {
        return false;
    };
    meta_header(out, &n.metadata, false);
    let roles: Vec<String> = n
        .metadata
        .labels
        .iter()
        .flatten()
        .filter_map(|(k, _)| {
            k.strip_prefix("node-role.kubernetes.io/")
                .map(str::to_string)
        })
        .collect();
    field(
        out,
        "Roles",
        &[if roles.is_empty() {
            "<none>".into()
        } else {
            roles.join(",")
        }],
    );
    field(out, "Labels", &map_lines(n.metadata.labels.as_ref()));
    field(
        out,
        "Annotations",
        &map_lines(n.metadata.annotations.as_ref()),
    );
    field(
        out,
        "CreationTimestamp",
        &[when(n.metadata.creation_timestamp.as_ref())],
    );
    let taints: Vec<String> = n
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .into_iter()
        .flatten()
        .map(taint_string)
        .collect();
    field(out, "Taints", &taints);
    field(
        out,
        "Unschedulable",
        &[n.spec
            .as_ref()
            .and_then(|s| s.unschedulable)
            .unwrap_or(false)
            .to_string()],
    );
    out.push_str("Conditions:\n");
    let mut rows = vec![
        [
            "Type",
            "Status",
            "LastHeartbeatTime",
            "LastTransitionTime",
            "Reason",
            "Message",
        ]
        .map(String::from)
        .to_vec(),
        [
            "----",
            "------",
            "-----------------",
            "------------------",
            "------",
            "-------",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for cond in n
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
    {
        rows.push(vec![
            cond.type_.clone(),
            cond.status.clone(),
            when(cond.last_heartbeat_time.as_ref()),
            when(cond.last_transition_time.as_ref()),
            cond.reason.clone().unwrap_or_default(),
            cond.message.clone().unwrap_or_default(),
        ]);
    }
    for line in crate::print::table(&rows).lines() {
        let _ = writeln!(out, "  {line}");
    }
    let alloc = resources::node_allocatable(n);
    for (title, list) in [
        (
            "Capacity",
            n.status.as_ref().and_then(|s| s.capacity.as_ref()),
        ),
        (
            "Allocatable",
            n.status.as_ref().and_then(|s| s.allocatable.as_ref()),
        ),
    ] {
        let _ = writeln!(out, "{title}:");
        let width = list
            .into_iter()
            .flatten()
            .map(|(k, _)| k.len())
            .max()
            .unwrap_or(0)
            + 2;
        for (k, v) in list.into_iter().flatten() {
            let _ = writeln!(out, "  {:<width$}{}", format!("{k}:"), v.0);
        }
    }
    let pods: Vec<_> = c
        .pods
        .iter()
        .filter(|(_, p)| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(name))
        .filter(|(_, p)| {
            !matches!(
                p.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded" | "Failed")
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "Non-terminated Pods:          ({} in total)",
        pods.len()
    );
    let mut rows = vec![
        [
            "Namespace",
            "Name",
            "CPU Requests",
            "CPU Limits",
            "Memory Requests",
            "Memory Limits",
            "Age",
        ]
        .map(String::from)
        .to_vec(),
        [
            "---------",
            "----",
            "------------",
            "----------",
            "---------------",
            "-------------",
            "---",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let cap_cpu = alloc.get(CPU).copied().unwrap_or(0);
    let cap_mem = alloc.get(MEMORY).copied().unwrap_or(0);
    let (mut sum_req_cpu, mut sum_req_mem, mut sum_lim_cpu, mut sum_lim_mem) = (0, 0, 0, 0);
    for ((ns, pn), p) in &pods {
        let spec = p.spec.clone().unwrap_or_default();
        let req = resources::pod_requests(&spec);
        let lim: BTreeMap<String, i64> = spec
            .containers
            .iter()
            .flat_map(|c| {
                c.resources
                    .as_ref()
                    .and_then(|r| r.limits.clone())
                    .into_iter()
                    .flatten()
            })
            .fold(BTreeMap::new(), |mut m, (k, v)| {
                *m.entry(k.clone()).or_insert(0) += resources::amount(&k, &v);
                m
            });
        let (rc, rm) = (
            req.get(CPU).copied().unwrap_or(0),
            req.get(MEMORY).copied().unwrap_or(0),
        );
        let (lc, lm) = (
            lim.get(CPU).copied().unwrap_or(0),
            lim.get(MEMORY).copied().unwrap_or(0),
        );
        sum_req_cpu += rc;
        sum_req_mem += rm;
        sum_lim_cpu += lc;
        sum_lim_mem += lm;
        rows.push(vec![
            ns.clone(),
            pn.clone(),
            format!("{} ({})", format_amount(CPU, rc), percent(rc, cap_cpu)),
            format!("{} ({})", format_amount(CPU, lc), percent(lc, cap_cpu)),
            format!("{} ({})", format_amount(MEMORY, rm), percent(rm, cap_mem)),
            format!("{} ({})", format_amount(MEMORY, lm), percent(lm, cap_mem)),
            p.metadata
                .creation_timestamp
                .as_ref()
                .map_or_else(String::new, |t| human_duration(c.now - millis_of(t))),
        ]);
    }
    if !pods.is_empty() {
        for line in crate::print::table(&rows).lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out.push_str(
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    let rows = vec![
        ["Resource", "Requests", "Limits"]
            .map(String::from)
            .to_vec(),
        ["--------", "--------", "------"]
            .map(String::from)
            .to_vec(),
        vec![
            "cpu".into(),
            format!(
                "{} ({})",
                format_amount(CPU, sum_req_cpu),
                percent(sum_req_cpu, cap_cpu)
            ),
            format!(
                "{} ({})",
                format_amount(CPU, sum_lim_cpu),
                percent(sum_lim_cpu, cap_cpu)
            ),
        ],
        vec![
            "memory".into(),
            format!(
                "{} ({})",
                format_amount(MEMORY, sum_req_mem),
                percent(sum_req_mem, cap_mem)
            ),
            format!(
                "{} ({})",
                format_amount(MEMORY, sum_lim_mem),
                percent(sum_lim_mem, cap_mem)
            ),
        ],
    ];
    for line in crate::print::table(&rows).lines() {
        let _ = writeln!(out, "  {line}");
    }
    events_section(out, c, "Node", "", name);
    true
}

fn describe_ds(out: &mut String, c: &Cluster, ns: &str, name: &str) -> bool {
    let Some(d) = c.daemon_sets.get(&(ns.to_string(), name.to_string())) else {
        return false;
    };
    meta_header(out, &d.metadata, false);
    let spec = d.spec.clone().unwrap_or_default();
    field(out, "Namespace", &[ns.to_string()]);
    field(
        out,
        "Selector",
        &map_lines(spec.selector.match_labels.as_ref()),
    );
    let node_sel = map_lines(
        spec.template
            .spec
            .as_ref()
            .and_then(|s| s.node_selector.as_ref()),
    );
    field(out, "Node-Selector", &node_sel);
    field(out, "Labels", &map_lines(d.metadata.labels.as_ref()));
    field(
        out,
        "Annotations",
        &map_lines(d.metadata.annotations.as_ref()),
    );
    let s = d.status.clone().unwrap_or_default();
    let _ = writeln!(
        out,
        "Desired Number of Nodes Scheduled: {}",
        s.desired_number_scheduled
    );
    let _ = writeln!(
        out,
        "Current Number of Nodes Scheduled: {}",
        s.current_number_scheduled
    );
    let _ = writeln!(
        out,
        "Number of Nodes Scheduled with Up-to-date Pods: {}",
        s.updated_number_scheduled.unwrap_or(0)
    );
    let _ = writeln!(
        out,
        "Number of Nodes Scheduled with Available Pods: {}",
        s.number_available.unwrap_or(0)
    );
    let _ = writeln!(
        out,
        "Number of Nodes Misscheduled: {}",
        s.number_misscheduled
    );
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    let uid = d.metadata.uid.clone().unwrap_or_default();
    for p in c.pods.values().filter(|p| {
        p.metadata
            .owner_references
            .iter()
            .flatten()
            .any(|o| o.uid == uid)
    }) {
        match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
            Some("Running") => running += 1,
            Some("Succeeded") => succeeded += 1,
            Some("Failed") => failed += 1,
            _ => waiting += 1,
        }
    }
    let _ = writeln!(out, "Pods Status:  {running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed");
    out.push_str("Pod Template:\n");
    pod_template(
        out,
        spec.template.metadata.as_ref(),
        spec.template.spec.as_ref(),
    );
    events_section(out, c, "DaemonSet", ns, name);
    true
}

pub(crate) fn pod_template(
    out: &mut String,
    meta: Option<&ObjectMeta>,
    spec: Option<&k8s_openapi::api::core::v1::PodSpec>,
) {
    let labels = map_lines(meta.and_then(|m| m.labels.as_ref()));
    let _ = writeln!(
        out,
        "  Labels:  {}",
        labels.first().cloned().unwrap_or_else(|| "<none>".into())
    );
    for l in labels.iter().skip(1) {
        let _ = writeln!(out, "           {l}");
    }
    out.push_str("  Containers:\n");
    for ctr in spec.into_iter().flat_map(|s| s.containers.iter()) {
        let _ = writeln!(out, "   {}:", ctr.name);
        let _ = writeln!(
            out,
            "    Image:      {}",
            ctr.image.clone().unwrap_or_default()
        );
        if let Some(r) = &ctr.resources {
            for (title, list) in [
                ("Limits", r.limits.as_ref()),
                ("Requests", r.requests.as_ref()),
            ] {
                if let Some(list) = list {
                    let _ = writeln!(out, "    {title}:");
                    for (k, v) in list {
                        let _ = writeln!(out, "      {k}:  {}", v.0);
                    }
                }
            }
        }
    }
    let tolerations: Vec<String> = spec
        .and_then(|s| s.tolerations.as_ref())
        .into_iter()
        .flatten()
        .map(toleration_string)
        .collect();
    if let Some(pc) = spec.and_then(|s| s.priority_class_name.as_ref()) {
        let _ = writeln!(out, "  Priority Class Name:  {pc}");
    }
    if !tolerations.is_empty() {
        let _ = writeln!(
            out,
            "  Tolerations:  {}",
            tolerations.join("\n                ")
        );
    }
}

fn describe_pod(out: &mut String, c: &Cluster, ns: &str, name: &str) -> bool {
    let Some(p) = c.pods.get(&(ns.to_string(), name.to_string())) else {
        return false;
    };
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    meta_header(out, &p.metadata, true);
    field(out, "Priority", &[spec.priority.unwrap_or(0).to_string()]);
    if let Some(pc) = &spec.priority_class_name {
        field(out, "Priority Class Name", std::slice::from_ref(pc));
    }
    field(
        out,
        "Node",
        &[spec
            .node_name
            .clone()
            .map_or_else(|| "<none>".into(), |n| n.to_string())],
    );
    field(out, "Start Time", &[when(st.start_time.as_ref())]);
    field(out, "Labels", &map_lines(p.metadata.labels.as_ref()));
    field(out, "Status", &[super::get::pod_status(p)]);
    let owner = p
        .metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true));
    field(
        out,
        "Controlled By",
        &[owner.map_or_else(|| "<none>".into(), |o| format!("{}/{}", o.kind, o.name))],
    );
    if let Some(n) = &st.nominated_node_name {
        field(out, "NominatedNodeName", std::slice::from_ref(n));
    }
    out.push_str("Containers:\n");
    for ctr in &spec.containers {
        let _ = writeln!(out, "  {}:", ctr.name);
        let _ = writeln!(
            out,
            "    Image:          {}",
            ctr.image.clone().unwrap_or_default()
        );
        let cs = st
            .container_statuses
            .iter()
            .flatten()
            .find(|s| s.name == ctr.name);
        let state = cs.and_then(|s| s.state.as_ref());
        let state_text = match state {
            Some(s) if s.running.is_some() => "Running".to_string(),
            Some(s) if s.terminated.is_some() => "Terminated".to_string(),
            Some(s) => format!(
                "Waiting\n      Reason:       {}",
                s.waiting
                    .as_ref()
                    .and_then(|w| w.reason.clone())
                    .unwrap_or_default()
            ),
            None => "Waiting".to_string(),
        };
        let _ = writeln!(out, "    State:          {state_text}");
        let _ = writeln!(out, "    Ready:          {}", cs.is_some_and(|s| s.ready));
        let _ = writeln!(
            out,
            "    Restart Count:  {}",
            cs.map_or(0, |s| s.restart_count)
        );
    }
    out.push_str("Conditions:\n  Type              Status\n");
    for cond in st.conditions.iter().flatten() {
        let _ = writeln!(out, "  {:<18}{}", cond.type_, cond.status);
    }
    let tolerations: Vec<String> = spec
        .tolerations
        .iter()
        .flatten()
        .map(toleration_string)
        .collect();
    field(out, "Tolerations", &tolerations);
    events_section(out, c, "Pod", ns, name);
    true
}
