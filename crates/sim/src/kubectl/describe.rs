//! `kubectl describe` for nodes, DaemonSets and pods: the sections people read (taints,
//! conditions, resources, events), laid out as kubectl lays them out.
//!
//! DaemonSets, pods and pod templates follow `staging/src/k8s.io/kubectl/pkg/describe/describe.go`
//! (`describeDaemonSet`, `describePod`, `DescribePodTemplate`, `describeContainers`, `DescribeEvents`
//! and their helpers): the text is written with kubectl's tab-separated cells and then laid out by
//! [`tabbed`], the `text/tabwriter` setup of kubectl's `tabbedString`.

use super::args::Args;
use super::{namespace, not_found, unknown_resource, Output, Resource};
use crate::engine::events::EventRecord;
use crate::engine::time::{human_duration, millis_of};
use crate::engine::Cluster;
use crate::labels::{format_label_selector, selector_string};
use crate::placement::resources::{self, format_amount, CPU, MEMORY};
use crate::placement::taints::taint_string;
use crate::quantity::Quantity;
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, ContainerState, ContainerStatus, Pod, PodSpec, Probe,
    ResourceFieldSelector, ResourceRequirements, Toleration, TopologySpreadConstraint, Volume,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity as ApiQuantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use std::collections::BTreeMap;
use std::fmt::Write;

fn map_lines(m: Option<&BTreeMap<String, String>>) -> Vec<String> {
    m.into_iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
}

/// kubectl's `PrefixWriter`: text at an indentation level (two spaces a level), terminal escape
/// characters made harmless (`printers.WriteEscaped`). Cells are separated by tabs, for
/// [`tabbed`] to align, or left as tabs where kubectl prints them raw.
#[derive(Default)]
struct Pw(String);

impl Pw {
    fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.0.push_str("  ");
        }
        for ch in text.chars() {
            match ch {
                '\x1b' => self.0.push_str("^["),
                '\r' => self.0.push_str("\\r"),
                c => self.0.push(c),
            }
        }
    }
}

/// One tab-terminated cell of [`tabbed`]: its text and its width in characters.
struct Cell {
    text: String,
    width: usize,
}

/// The cell padding of kubectl's `tabbedString` (`tabwriter.Init(buf, 0, 8, 2, ' ', 0)`).
const PADDING: usize = 2;

/// Go's `text/tabwriter` as kubectl's `tabbedString` sets it up: minimum width 0, padding 2,
/// padded with spaces, no flags. A tab ends a cell; a column is the cells with the same index in
/// consecutive lines that have a tab-ended cell there (the text after a line's last tab belongs
/// to no column); every cell of a column is padded to its widest cell plus two.
fn tabbed(text: &str) -> String {
    let mut out = String::new();
    // Complete lines, then the line being read (always last).
    let mut lines: Vec<Vec<Cell>> = vec![Vec::new()];
    let mut cell = String::new();
    for ch in text.chars() {
        match ch {
            '\t' | '\x0b' | '\n' | '\x0c' => {
                let width = cell.chars().count();
                let text = std::mem::take(&mut cell);
                let mut cells = lines.pop().unwrap_or_default();
                cells.push(Cell { text, width });
                let ncells = cells.len();
                lines.push(cells);
                if matches!(ch, '\n' | '\x0c') {
                    lines.push(Vec::new());
                    // A line of one cell cannot affect the lines after it: format what is
                    // buffered (`flushNoDefers`).
                    if ch == '\x0c' || ncells == 1 {
                        format_lines(&mut out, &lines, &mut Vec::new(), 0, lines.len());
                        lines = vec![Vec::new()];
                    }
                }
            }
            c => cell.push(c),
        }
    }
    if !cell.is_empty() {
        let width = cell.chars().count();
        if let Some(last) = lines.last_mut() {
            last.push(Cell { text: cell, width });
        }
    }
    format_lines(&mut out, &lines, &mut Vec::new(), 0, lines.len());
    out
}

/// `tabwriter.(*Writer).format`: find the column blocks of column `widths.len()` within
/// `line0..line1`, fix each block's width and recurse into the next column.
fn format_lines(
    out: &mut String,
    lines: &[Vec<Cell>],
    widths: &mut Vec<usize>,
    line0: usize,
    line1: usize,
) {
    let column = widths.len();
    let mut line0 = line0;
    let mut this = line0;
    while this < line1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(out, lines, widths, line0, this);
        line0 = this;
        let mut width = 0;
        while this < line1 && column + 1 < lines[this].len() {
            width = width.max(lines[this][column].width + PADDING);
            this += 1;
        }
        widths.push(width);
        format_lines(out, lines, widths, line0, this);
        widths.pop();
        line0 = this;
    }
    write_lines(out, lines, widths, line0, line1);
}

/// `tabwriter.(*Writer).writeLines`: cells padded to their column's width; every line but the
/// one still being read ends with a newline.
fn write_lines(
    out: &mut String,
    lines: &[Vec<Cell>],
    widths: &[usize],
    line0: usize,
    line1: usize,
) {
    for (i, line) in lines.iter().enumerate().take(line1).skip(line0) {
        for (j, c) in line.iter().enumerate() {
            out.push_str(&c.text);
            if let Some(w) = widths.get(j) {
                out.push_str(&" ".repeat(w.saturating_sub(c.width)));
            }
        }
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
}

/// The events of one object, oldest last-seen first (`event.SortableEvents`).
fn events_of<'a>(
    c: &'a Cluster,
    kind: &'a str,
    ns: &'a str,
    name: &'a str,
) -> Vec<&'a EventRecord> {
    let mut evs: Vec<&EventRecord> = c.events.about(kind, ns, name).collect();
    evs.sort_by_key(|e| e.last_seen);
    evs
}

/// `DescribeEvents`. kubectl flushes its tab writer before the table; the `Events:` line has no
/// tab, so the table is a column block of its own either way.
fn describe_events(w: &mut Pw, c: &Cluster, kind: &str, ns: &str, name: &str) {
    let evs = events_of(c, kind, ns, name);
    if evs.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in evs {
        let interval = if e.count > 1 {
            format!(
                "{} (x{} over {})",
                human_duration(c.now - e.last_seen),
                e.count,
                human_duration(c.now - e.first_seen)
            )
        } else {
            human_duration(c.now - e.first_seen)
        };
        w.write(
            1,
            &format!(
                "{}\t{}\t{interval}\t{}\t{}\n",
                e.type_,
                e.reason,
                e.component(),
                e.message.trim()
            ),
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
    let selector = match a
        .value(&["l", "selector"])
        .map(crate::labels::parse_selector)
    {
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

/// `describeNode` (describe.go): the header fields, the kubelet's Lease, conditions, addresses,
/// capacity and allocatable in name order, system info, pod CIDRs, `describeNodeResource`
/// (non-terminated pods and allocated resources) and events, all through one tab writer, so
/// each run of tabbed lines forms its own columns.
fn describe_node(out: &mut String, c: &Cluster, name: &str) -> bool {
    let Some(n) = c.nodes.get(name) else {
        return false;
    };
    let spec = n.spec.clone().unwrap_or_default();
    let status = n.status.clone().unwrap_or_default();
    let mut w = Pw::default();
    w.write(0, &format!("Name:\t{name}\n"));
    let mut roles: Vec<String> = n
        .metadata
        .labels
        .iter()
        .flatten()
        .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/"))
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    if let Some(r) = n
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get("kubernetes.io/role"))
    {
        roles.push(r.clone());
    }
    roles.sort();
    roles.dedup();
    let roles = if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    };
    w.write(0, &format!("Roles:\t{roles}\n"));
    print_labels_multiline(&mut w, "Labels", n.metadata.labels.as_ref());
    print_annotations_multiline(&mut w, "Annotations", n.metadata.annotations.as_ref());
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(n.metadata.creation_timestamp.as_ref())
        ),
    );
    // printNodeTaintsMultiline: sorted by effect, then key.
    let mut taints = spec.taints.clone().unwrap_or_default();
    taints.sort_by(|a, b| (&a.effect, &a.key).cmp(&(&b.effect, &b.key)));
    w.write(0, "Taints:\t");
    if taints.is_empty() {
        w.write(0, "<none>\n");
    }
    for (i, t) in taints.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.write(0, &format!("{}\n", taint_string(t)));
    }
    w.write(
        0,
        &format!("Unschedulable:\t{}\n", spec.unschedulable.unwrap_or(false)),
    );
    // The kubelet's Lease in kube-node-lease: held by the node, never acquired, renewed every 10s
    // while the kubelet runs (a node whose status is Unknown has stopped renewing).
    let (holder, renew) = node_lease(c, n);
    w.write(0, "Lease:\n");
    w.write(1, &format!("HolderIdentity:\t{holder}\n"));
    w.write(1, "AcquireTime:\t<unset>\n");
    w.write(1, &format!("RenewTime:\t{renew}\n"));
    let conditions = status.conditions.clone().unwrap_or_default();
    if !conditions.is_empty() {
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for cond in &conditions {
            w.write(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    cond.type_,
                    cond.status,
                    rfc1123z(cond.last_heartbeat_time.as_ref()),
                    rfc1123z(cond.last_transition_time.as_ref()),
                    cond.reason.clone().unwrap_or_default(),
                    cond.message.clone().unwrap_or_default()
                ),
            );
        }
    }
    w.write(0, "Addresses:\n");
    for a in status.addresses.iter().flatten() {
        w.write(1, &format!("{}:\t{}\n", a.type_, a.address));
    }
    for (title, list) in [
        ("Capacity", status.capacity.as_ref()),
        ("Allocatable", status.allocatable.as_ref()),
    ] {
        let Some(list) = list.filter(|l| !l.is_empty()) else {
            continue;
        };
        w.write(0, &format!("{title}:\n"));
        for (k, v) in list {
            w.write(0, &format!("  {k}:\t{}\n", canonical(v)));
        }
    }
    let info = status.node_info.clone().unwrap_or_default();
    w.write(0, "System Info:\n");
    for (k, v) in [
        ("Machine ID", &info.machine_id),
        ("System UUID", &info.system_uuid),
        ("Boot ID", &info.boot_id),
        ("Kernel Version", &info.kernel_version),
        ("OS Image", &info.os_image),
        ("Operating System", &info.operating_system),
        ("Architecture", &info.architecture),
        ("Container Runtime Version", &info.container_runtime_version),
        ("Kubelet Version", &info.kubelet_version),
        ("Kube-Proxy Version", &info.kube_proxy_version),
    ] {
        w.write(0, &format!("  {k}:\t{v}\n"));
    }
    if let Some(cidr) = spec.pod_cidr.as_deref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("PodCIDR:\t{cidr}\n"));
    }
    if let Some(cidrs) = spec.pod_cidrs.as_ref().filter(|c| !c.is_empty()) {
        w.write(0, &format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    if let Some(id) = spec.provider_id.as_deref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("ProviderID:\t{id}\n"));
    }
    describe_node_resource(&mut w, c, n);
    describe_events(&mut w, c, "Node", "", name);
    out.push_str(&tabbed(&w.0));
    true
}

/// The holder and renew time of a node's kubelet Lease.
fn node_lease(c: &Cluster, n: &k8s_openapi::api::core::v1::Node) -> (String, String) {
    let name = n.metadata.name.clone().unwrap_or_default();
    let created = n.metadata.creation_timestamp.as_ref().map_or(0, millis_of);
    let ready = n
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
        .find(|c| c.type_ == "Ready");
    const RENEW: i64 = 10 * crate::engine::time::SECOND;
    let last = match ready {
        Some(r) if r.status == "Unknown" => {
            r.last_transition_time.as_ref().map_or(created, millis_of)
        }
        _ => c.now,
    };
    let renewed = created + (last - created).max(0) / RENEW * RENEW;
    (
        name,
        rfc1123z(Some(&crate::engine::time::timestamp(renewed))),
    )
}

/// `describeNodeResource`: the node's non-terminated pods with their requests and limits as a
/// share of allocatable (truncated percentages), then the totals, with ephemeral-storage, each
/// hugepages size and each extended resource the node offers.
fn describe_node_resource(w: &mut Pw, c: &Cluster, n: &k8s_openapi::api::core::v1::Node) {
    let name = n.metadata.name.as_deref().unwrap_or("");
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
    w.write(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let status = n.status.as_ref();
    let allocatable = status
        .and_then(|s| s.allocatable.as_ref())
        .filter(|a| !a.is_empty())
        .or_else(|| status.and_then(|s| s.capacity.as_ref()));
    let of = |r: &str| {
        allocatable
            .and_then(|a| a.get(r))
            .map_or(0, |q| resources::amount(r, q))
    };
    let share = |v: i64, r: &str| percent(v, of(r));
    let mut total_req: BTreeMap<String, i64> = BTreeMap::new();
    let mut total_lim: BTreeMap<String, i64> = BTreeMap::new();
    for ((ns, pn), p) in &pods {
        let spec = p.spec.clone().unwrap_or_default();
        let req = resources::pod_requests(&spec);
        let lim = pod_limits(&spec);
        for (k, v) in &req {
            *total_req.entry(k.clone()).or_insert(0) += v;
        }
        for (k, v) in &lim {
            *total_lim.entry(k.clone()).or_insert(0) += v;
        }
        let get = |m: &BTreeMap<String, i64>, r: &str| m.get(r).copied().unwrap_or(0);
        let cell = |m: &BTreeMap<String, i64>, r: &str| {
            format!("{} ({})", format_amount(r, get(m, r)), share(get(m, r), r))
        };
        let age = p.metadata.creation_timestamp.as_ref().map_or_else(
            || "<unknown>".into(),
            |t| human_duration(c.now - millis_of(t)),
        );
        w.write(
            1,
            &format!(
                "{ns}\t{pn}\t\t{}\t{}\t{}\t{}\t{age}\n",
                cell(&req, CPU),
                cell(&lim, CPU),
                cell(&req, MEMORY),
                cell(&lim, MEMORY)
            ),
        );
    }
    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    let total = |m: &BTreeMap<String, i64>, r: &str| m.get(r).copied().unwrap_or(0);
    let mut rows: Vec<&str> = vec![CPU, MEMORY, resources::EPHEMERAL_STORAGE];
    let names: Vec<&String> = allocatable.into_iter().flatten().map(|(k, _)| k).collect();
    rows.extend(
        names
            .iter()
            .filter(|k| k.starts_with("hugepages-"))
            .map(|k| k.as_str()),
    );
    for r in rows {
        w.write(
            1,
            &format!(
                "{r}\t{} ({})\t{} ({})\n",
                format_amount(r, total(&total_req, r)),
                share(total(&total_req, r), r),
                format_amount(r, total(&total_lim, r)),
                share(total(&total_lim, r), r)
            ),
        );
    }
    // Extended resources (not a standard container resource, not pods): counts, no share.
    for r in names.iter().filter(|k| {
        !k.starts_with("hugepages-")
            && !matches!(
                k.as_str(),
                "cpu" | "memory" | "ephemeral-storage" | "storage" | "pods"
            )
    }) {
        w.write(
            1,
            &format!("{r}\t{}\t{}\n", total(&total_req, r), total(&total_lim, r)),
        );
    }
}

/// A pod's limits as `resourcehelper.PodRequestsAndLimits` sums them: the containers' limits,
/// or an init container's when larger, plus the pod overhead.
fn pod_limits(spec: &PodSpec) -> BTreeMap<String, i64> {
    let limits = |c: &Container| -> BTreeMap<String, i64> {
        c.resources
            .as_ref()
            .and_then(|r| r.limits.as_ref())
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), resources::amount(k, v)))
            .collect()
    };
    let mut sum: BTreeMap<String, i64> = BTreeMap::new();
    for c in &spec.containers {
        for (k, v) in limits(c) {
            *sum.entry(k).or_insert(0) += v;
        }
    }
    for c in spec.init_containers.iter().flatten() {
        for (k, v) in limits(c) {
            let e = sum.entry(k).or_insert(0);
            *e = (*e).max(v);
        }
    }
    for (k, v) in spec.overhead.iter().flatten() {
        if let Some(e) = sum.get_mut(k) {
            *e += resources::amount(k, v);
        }
    }
    sum
}

/// RFC 1123 with numeric zone, as Go's `time.RFC1123Z`; an unset time is Go's zero time.
fn rfc1123z(t: Option<&Time>) -> String {
    t.map_or_else(
        || "Mon, 01 Jan 0001 00:00:00 +0000".into(),
        |t| t.0.strftime("%a, %d %b %Y %H:%M:%S %z").to_string(),
    )
}

/// A quantity as the API server stores it: `Quantity.String()`, the canonical form.
fn canonical(q: &ApiQuantity) -> String {
    Quantity::parse(&q.0).map_or_else(|_| q.0.clone(), |v| v.to_string())
}

/// Go's `strconv.Quote` (`%q`), for the printable text describe meets.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0b' => out.push_str("\\v"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `labels.FormatLabels`: `k=v` pairs sorted and joined with commas, `<none>` for none.
fn format_labels(m: Option<&BTreeMap<String, String>>) -> String {
    let pairs = map_lines(m);
    if pairs.is_empty() {
        "<none>".into()
    } else {
        pairs.join(",")
    }
}

/// `printLabelsMultiline`: the first pair after the title, the rest one a line in its column.
fn print_labels_multiline(w: &mut Pw, title: &str, labels: Option<&BTreeMap<String, String>>) {
    w.write(0, &format!("{title}:\t"));
    let pairs = map_lines(labels);
    if pairs.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    for (i, pair) in pairs.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.write(0, &format!("{pair}\n"));
    }
}

/// `maxAnnotationLen`: longer annotations are printed on lines of their own and cut.
const MAX_ANNOTATION_LEN: usize = 140;

/// `printAnnotationsMultiline`: `key: value` sorted, without `kubectl apply`'s copy of the object.
fn print_annotations_multiline(
    w: &mut Pw,
    title: &str,
    annotations: Option<&BTreeMap<String, String>>,
) {
    w.write(0, &format!("{title}:\t"));
    let keys: Vec<&String> = annotations
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
        .filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    for (i, key) in keys.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let raw = annotations
            .and_then(|a| a.get(*key))
            .map_or("", String::as_str);
        let value = raw.strip_suffix('\n').unwrap_or(raw);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.write(0, &format!("{key}:\n"));
            for s in value.split('\n') {
                w.write(0, &format!("\t  {}\n", shorten(s, MAX_ANNOTATION_LEN - 2)));
            }
        } else {
            w.write(0, &format!("{key}: {value}\n"));
        }
    }
}

/// `shorten`: the first `max` bytes and `...` (cut back to a character boundary).
fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

/// `printPodTolerationsMultiline`: sorted by key (Go's sort of so few items keeps equal keys in
/// order), one a line.
fn print_tolerations_multiline(w: &mut Pw, title: &str, tolerations: Option<&Vec<Toleration>>) {
    w.write(0, &format!("{title}:\t"));
    let mut tols: Vec<&Toleration> = tolerations.into_iter().flatten().collect();
    if tols.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    tols.sort_by(|a, b| {
        a.key
            .as_deref()
            .unwrap_or("")
            .cmp(b.key.as_deref().unwrap_or(""))
    });
    for (i, t) in tols.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let key = t.key.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        let mut s = key.to_string();
        if !value.is_empty() {
            let _ = write!(s, "={value}");
        }
        if !effect.is_empty() {
            let _ = write!(s, ":{effect}");
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            s.push_str(if key.is_empty() && effect.is_empty() {
                "op=Exists"
            } else {
                " op=Exists"
            });
        }
        if let Some(secs) = t.toleration_seconds {
            let _ = write!(s, " for {secs}s");
        }
        w.write(0, &format!("{s}\n"));
    }
}

/// `describeResources`: limits, then requests, each sorted by resource name.
fn describe_resources(w: &mut Pw, r: Option<&ResourceRequirements>, level: usize) {
    let Some(r) = r else {
        return;
    };
    for (title, list) in [("Limits", &r.limits), ("Requests", &r.requests)] {
        let Some(list) = list.as_ref().filter(|l| !l.is_empty()) else {
            continue;
        };
        w.write(level, &format!("{title}:\n"));
        for (name, q) in list {
            w.write(level + 1, &format!("{name}:\t{}\n", canonical(q)));
        }
    }
}

/// `describeContainerPorts` / `describeContainerHostPorts`: `port/protocol (name)`, comma-joined.
fn container_ports(ports: Option<&Vec<ContainerPort>>, host: bool) -> String {
    ports
        .into_iter()
        .flatten()
        .map(|p| {
            let port = if host {
                p.host_port.unwrap_or(0)
            } else {
                p.container_port
            };
            // The API server defaults the protocol to TCP.
            let mut s = format!("{port}/{}", p.protocol.as_deref().unwrap_or("TCP"));
            if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
                let _ = write!(s, " ({name})");
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn or_none(s: String) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

use crate::print::int_or_string;

/// `DescribeProbe`. Unset numbers print as the API server defaults them (delay 0, timeout 1,
/// period 10, success 1, failure 3; HTTP scheme `HTTP`).
fn describe_probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    if let Some(exec) = &p.exec {
        return format!(
            "exec [{}] {attrs}",
            exec.command.clone().unwrap_or_default().join(" ")
        );
    }
    if let Some(h) = &p.http_get {
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let host = h.host.as_deref().unwrap_or("");
        let port = int_or_string(&h.port);
        let host = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let mut url = String::new();
        if !scheme.is_empty() {
            let _ = write!(url, "{scheme}:");
        }
        if !scheme.is_empty() || !host.is_empty() {
            let _ = write!(url, "//{host}");
        }
        let path = h.path.as_deref().unwrap_or("");
        if !path.is_empty() && !path.starts_with('/') && !host.is_empty() {
            url.push('/');
        }
        url.push_str(path);
        return format!("http-get {url} {attrs}");
    }
    if let Some(t) = &p.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            t.host.as_deref().unwrap_or(""),
            int_or_string(&t.port)
        );
    }
    if let Some(g) = &p.grpc {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            g.port,
            g.service.as_deref().unwrap_or("")
        );
    }
    format!("unknown {attrs}")
}

/// `describeStatus`: a container state and the lines below it.
fn describe_status(w: &mut Pw, name: &str, state: Option<&ContainerState>) {
    let state = state.cloned().unwrap_or_default();
    if let Some(r) = &state.running {
        w.write(2, &format!("{name}:\tRunning\n"));
        w.write(
            3,
            &format!("Started:\t{}\n", rfc1123z(r.started_at.as_ref())),
        );
    } else if let Some(wt) = &state.waiting {
        w.write(2, &format!("{name}:\tWaiting\n"));
        if let Some(reason) = wt.reason.as_deref().filter(|r| !r.is_empty()) {
            w.write(3, &format!("Reason:\t{reason}\n"));
        }
    } else if let Some(t) = &state.terminated {
        w.write(2, &format!("{name}:\tTerminated\n"));
        if let Some(reason) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            w.write(3, &format!("Reason:\t{reason}\n"));
        }
        if let Some(message) = t.message.as_deref().filter(|m| !m.is_empty()) {
            w.write(3, &format!("Message:\t{message}\n"));
        }
        w.write(3, &format!("Exit Code:\t{}\n", t.exit_code));
        if let Some(signal) = t.signal.filter(|s| *s > 0) {
            w.write(3, &format!("Signal:\t{signal}\n"));
        }
        w.write(
            3,
            &format!("Started:\t{}\n", rfc1123z(t.started_at.as_ref())),
        );
        w.write(
            3,
            &format!("Finished:\t{}\n", rfc1123z(t.finished_at.as_ref())),
        );
    } else {
        w.write(2, &format!("{name}:\tWaiting\n"));
    }
}

/// `ExtractFieldPathAsString` after `ConvertFieldLabel`, as describe resolves a pod's
/// `fieldRef` variables: only metadata paths resolve; everything else prints empty.
fn field_path_value(pod: &Pod, path: &str) -> String {
    let m = &pod.metadata;
    let subscript = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|r| r.strip_prefix("['"))
            .and_then(|r| r.strip_suffix("']"))
            .map(str::to_string)
    };
    let format_map = |map: Option<&BTreeMap<String, String>>| {
        map.into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", go_quote(v)))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if let Some(k) = subscript("metadata.annotations") {
        return m
            .annotations
            .as_ref()
            .and_then(|a| a.get(&k))
            .cloned()
            .unwrap_or_default();
    }
    if let Some(k) = subscript("metadata.labels") {
        return m
            .labels
            .as_ref()
            .and_then(|a| a.get(&k))
            .cloned()
            .unwrap_or_default();
    }
    match path {
        "metadata.annotations" => format_map(m.annotations.as_ref()),
        "metadata.labels" => format_map(m.labels.as_ref()),
        "metadata.name" => m.name.clone().unwrap_or_default(),
        "metadata.namespace" => m.namespace.clone().unwrap_or_default(),
        "metadata.uid" => m.uid.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

/// `ExtractContainerResourceValue`: a `resourceFieldRef` value, rounded up in the divisor's unit.
fn resource_field_value(fs: &ResourceFieldSelector, c: &Container) -> String {
    let divisor = fs
        .divisor
        .as_ref()
        .and_then(|d| Quantity::parse(&d.0).ok())
        .filter(|d| !d.is_zero())
        .unwrap_or_else(|| Quantity::from_milli(1000));
    let Some((kind, name)) = fs.resource.split_once('.') else {
        return String::new();
    };
    let list = c.resources.as_ref().and_then(|r| match kind {
        "limits" => r.limits.as_ref(),
        "requests" => r.requests.as_ref(),
        _ => None,
    });
    let get = |n: &str| {
        list.and_then(|l| l.get(n))
            .and_then(|q| Quantity::parse(&q.0).ok())
    };
    let (value, unit) = match name {
        "cpu" => (
            get("cpu").map_or(0, |q| q.milli_value()),
            divisor.milli_value(),
        ),
        "memory" | "ephemeral-storage" => (get(name).map_or(0, |q| q.value()), divisor.value()),
        _ => return String::new(),
    };
    if !matches!(kind, "limits" | "requests") || unit == 0 {
        return String::new();
    }
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    let v = (value as f64 / unit as f64).ceil() as i64;
    v.to_string()
}

/// `describeContainerEnvVars`.
fn describe_env(w: &mut Pw, c: &Container, pod: Option<&Pod>) {
    let env = c.env.as_deref().unwrap_or_default();
    w.write(
        2,
        if env.is_empty() {
            "Environment:\t<none>\n"
        } else {
            "Environment:\n"
        },
    );
    for e in env {
        let Some(from) = &e.value_from else {
            for (i, s) in e.value.as_deref().unwrap_or("").split('\n').enumerate() {
                if i == 0 {
                    w.write(3, &format!("{}:\t{s}\n", e.name));
                } else {
                    w.write(3, &format!("\t{s}\n"));
                }
            }
            continue;
        };
        if let Some(f) = &from.field_ref {
            let value = pod.map_or_else(String::new, |p| field_path_value(p, &f.field_path));
            w.write(
                3,
                &format!(
                    "{}:\t{value} ({}:{})\n",
                    e.name,
                    f.api_version.as_deref().unwrap_or("v1"),
                    f.field_path
                ),
            );
        } else if let Some(r) = &from.resource_field_ref {
            let mut value = resource_field_value(r, c);
            if value == "0" && matches!(r.resource.as_str(), "limits.cpu" | "limits.memory") {
                value = "node allocatable".into();
            }
            w.write(3, &format!("{}:\t{value} ({})\n", e.name, r.resource));
        } else if let Some(s) = &from.secret_key_ref {
            w.write(
                3,
                &format!(
                    "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    e.name,
                    s.key,
                    s.name,
                    s.optional.unwrap_or(false)
                ),
            );
        } else if let Some(s) = &from.config_map_key_ref {
            w.write(
                3,
                &format!(
                    "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    e.name,
                    s.key,
                    s.name,
                    s.optional.unwrap_or(false)
                ),
            );
        }
    }
}

/// `describeContainerEnvFrom`.
fn describe_env_from(w: &mut Pw, c: &Container) {
    let env_from = c.env_from.as_deref().unwrap_or_default();
    if env_from.is_empty() {
        return;
    }
    w.write(2, "Environment Variables from:\n");
    for e in env_from {
        let (from, name, optional) = if let Some(r) = &e.config_map_ref {
            ("ConfigMap", r.name.as_str(), r.optional.unwrap_or(false))
        } else if let Some(r) = &e.secret_ref {
            ("Secret", r.name.as_str(), r.optional.unwrap_or(false))
        } else {
            ("", "", false)
        };
        match e.prefix.as_deref().filter(|p| !p.is_empty()) {
            None => w.write(3, &format!("{name}\t{from}\tOptional: {optional}\n")),
            Some(prefix) => w.write(
                3,
                &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"),
            ),
        }
    }
}

/// `describeContainerVolumes`: mounts sorted by path, then block devices.
fn describe_mounts(w: &mut Pw, c: &Container) {
    let mut mounts: Vec<_> = c.volume_mounts.iter().flatten().collect();
    w.write(
        2,
        if mounts.is_empty() {
            "Mounts:\t<none>\n"
        } else {
            "Mounts:\n"
        },
    );
    mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
    for m in mounts {
        let mut flags = vec![if m.read_only.unwrap_or(false) {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        if let Some(sub) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
            flags.push(format!("path={}", go_quote(sub)));
        }
        w.write(
            3,
            &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")),
        );
    }
    let mut devices: Vec<_> = c.volume_devices.iter().flatten().collect();
    if !devices.is_empty() {
        w.write(2, "Devices:\n");
        devices.sort_by(|a, b| a.device_path.cmp(&b.device_path));
        for d in devices {
            w.write(3, &format!("{} from {}\n", d.device_path, d.name));
        }
    }
}

/// `describeContainers`: the label line, then each container with its status when the pod has one.
/// `space` is "  " inside a pod template (container names then sit one space further in).
fn describe_containers(
    w: &mut Pw,
    label: &str,
    containers: &[Container],
    statuses: Option<&[ContainerStatus]>,
    pod: Option<&Pod>,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let status = statuses.into_iter().flatten().find(|s| s.name == c.name);
        w.write(1, &format!("{name_indent}{}:\n", c.name));
        if let Some(s) = status {
            w.write(
                2,
                &format!(
                    "Container ID:\t{}\n",
                    s.container_id.as_deref().unwrap_or("")
                ),
            );
        }
        w.write(
            2,
            &format!("Image:\t{}\n", c.image.as_deref().unwrap_or("")),
        );
        if let Some(s) = status {
            w.write(2, &format!("Image ID:\t{}\n", s.image_id));
        }
        let ports = container_ports(c.ports.as_ref(), false);
        if ports.contains(',') {
            w.write(2, &format!("Ports:\t{ports}\n"));
        } else {
            w.write(2, &format!("Port:\t{}\n", or_none(ports)));
        }
        let host_ports = container_ports(c.ports.as_ref(), true);
        if host_ports.contains(',') {
            w.write(2, &format!("Host Ports:\t{host_ports}\n"));
        } else {
            w.write(2, &format!("Host Port:\t{}\n", or_none(host_ports)));
        }
        if let Some(sp) = c
            .security_context
            .as_ref()
            .and_then(|s| s.seccomp_profile.as_ref())
        {
            w.write(2, &format!("SeccompProfile:\t{}\n", sp.type_));
            if sp.type_ == "Localhost" {
                w.write(
                    3,
                    &format!(
                        "LocalhostProfile:\t{}\n",
                        sp.localhost_profile.as_deref().unwrap_or("")
                    ),
                );
            }
        }
        for (title, words) in [("Command", &c.command), ("Args", &c.args)] {
            let words = words.as_deref().unwrap_or_default();
            if words.is_empty() {
                continue;
            }
            w.write(2, &format!("{title}:\n"));
            for word in words {
                for s in word.split('\n') {
                    w.write(3, &format!("{s}\n"));
                }
            }
        }
        if let Some(s) = status {
            describe_status(w, "State", s.state.as_ref());
            if let Some(last) = s.last_state.as_ref().filter(|l| l.terminated.is_some()) {
                describe_status(w, "Last State", Some(last));
            }
            w.write(
                2,
                &format!("Ready:\t{}\n", if s.ready { "True" } else { "False" }),
            );
            w.write(2, &format!("Restart Count:\t{}\n", s.restart_count));
        }
        describe_resources(w, c.resources.as_ref(), 2);
        for (title, probe) in [
            ("Liveness", &c.liveness_probe),
            ("Readiness", &c.readiness_probe),
            ("Startup", &c.startup_probe),
        ] {
            if let Some(p) = probe {
                w.write(2, &format!("{title}:\t{}\n", describe_probe(p)));
            }
        }
        describe_env_from(w, c);
        describe_env(w, c, pod);
        describe_mounts(w, c);
    }
}

/// `describeVolumes`. The volume kinds a DaemonSet uses are spelled out; the long tail of
/// in-tree cloud volumes prints as `<unknown>`.
fn describe_volumes(w: &mut Pw, volumes: Option<&Vec<Volume>>, space: &str) {
    let volumes = volumes.map_or(&[][..], Vec::as_slice);
    if volumes.is_empty() {
        w.write(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.write(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        w.write(1, &format!("{name_indent}{}:\n", v.name));
        if let Some(h) = &v.host_path {
            // The API server defaults an unset type to "" (HostPathUnset).
            w.write(
                2,
                &format!(
                    "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                    h.path,
                    h.type_.as_deref().unwrap_or("")
                ),
            );
        } else if let Some(e) = &v.empty_dir {
            let size = e
                .size_limit
                .as_ref()
                .filter(|q| Quantity::parse(&q.0).is_ok_and(|v| !v.is_zero() && !v.is_negative()))
                .map_or_else(|| "<unset>".to_string(), canonical);
            w.write(
                2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                    e.medium.as_deref().unwrap_or("")
                ),
            );
        } else if let Some(g) = &v.git_repo {
            w.write(
                2,
                &format!(
                    "Type:\tGitRepo (a volume that is pulled from git when the pod is created)\n    Repository:\t{}\n    Revision:\t{}\n",
                    g.repository,
                    g.revision.as_deref().unwrap_or("")
                ),
            );
        } else if let Some(s) = &v.secret {
            w.write(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    s.secret_name.as_deref().unwrap_or(""),
                    s.optional.unwrap_or(false)
                ),
            );
        } else if let Some(cm) = &v.config_map {
            w.write(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    cm.name,
                    cm.optional.unwrap_or(false)
                ),
            );
        } else if let Some(n) = &v.nfs {
            w.write(
                2,
                &format!(
                    "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                    n.server,
                    n.path,
                    n.read_only.unwrap_or(false)
                ),
            );
        } else if let Some(p) = &v.persistent_volume_claim {
            w.write(
                2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    p.claim_name,
                    p.read_only.unwrap_or(false)
                ),
            );
        } else if let Some(d) = &v.downward_api {
            w.write(
                2,
                "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
            );
            for item in d.items.iter().flatten() {
                if let Some(f) = &item.field_ref {
                    w.write(3, &format!("{} -> {}\n", f.field_path, item.path));
                }
                if let Some(r) = &item.resource_field_ref {
                    w.write(3, &format!("{} -> {}\n", r.resource, item.path));
                }
            }
        } else if let Some(p) = &v.projected {
            w.write(
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for s in p.sources.iter().flatten() {
                if let Some(sec) = &s.secret {
                    w.write(
                        2,
                        &format!(
                            "SecretName:\t{}\n    Optional:\t{}\n",
                            sec.name,
                            sec.optional.unwrap_or(false)
                        ),
                    );
                } else if s.downward_api.is_some() {
                    w.write(2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = &s.config_map {
                    w.write(
                        2,
                        &format!(
                            "ConfigMapName:\t{}\n    Optional:\t{}\n",
                            cm.name,
                            cm.optional.unwrap_or(false)
                        ),
                    );
                } else if let Some(t) = &s.service_account_token {
                    // The API server defaults the expiry to an hour.
                    w.write(
                        2,
                        &format!(
                            "TokenExpirationSeconds:\t{}\n",
                            t.expiration_seconds.unwrap_or(3600)
                        ),
                    );
                }
            }
        } else if let Some(csi) = &v.csi {
            w.write(
                2,
                &format!(
                    "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                    csi.driver,
                    csi.fs_type.as_deref().unwrap_or(""),
                    csi.read_only.unwrap_or(false)
                ),
            );
            w.write(2, "VolumeAttributes:\t");
            let attrs = map_lines(csi.volume_attributes.as_ref());
            if attrs.is_empty() {
                w.write(0, "<none>\n");
            }
            for (i, line) in attrs.iter().enumerate() {
                if i != 0 {
                    w.write(2, "");
                    w.write(2, "\t");
                }
                if line.len() > MAX_ANNOTATION_LEN {
                    w.write(2, &format!("{}\n", shorten(line, MAX_ANNOTATION_LEN)));
                } else {
                    w.write(2, &format!("{line}\n"));
                }
            }
        } else if let Some(img) = &v.image {
            w.write(
                2,
                &format!(
                    "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                    img.reference.as_deref().unwrap_or(""),
                    img.pull_policy.as_deref().unwrap_or("")
                ),
            );
        } else {
            w.write(1, "<unknown>\n");
        }
    }
}

/// `describeTopologySpreadConstraints`, sorted by topology key.
fn describe_topology_spread(w: &mut Pw, tscs: Option<&Vec<TopologySpreadConstraint>>, space: &str) {
    let mut tscs: Vec<_> = tscs.into_iter().flatten().collect();
    if tscs.is_empty() {
        return;
    }
    tscs.sort_by(|a, b| a.topology_key.cmp(&b.topology_key));
    w.write(0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, t) in tscs.iter().enumerate() {
        if i != 0 {
            w.write(0, space);
            w.write(0, "\t");
        }
        w.write(
            0,
            &format!(
                "{}:{} when max skew {} is exceeded",
                t.topology_key, t.when_unsatisfiable, t.max_skew
            ),
        );
        if t.label_selector.is_some() {
            w.write(
                0,
                &format!(
                    " for selector {}",
                    format_label_selector(t.label_selector.as_ref())
                ),
            );
        }
        w.write(0, "\n");
    }
}

/// `DescribePodTemplate` after its `Pod Template:` line.
fn describe_pod_template(w: &mut Pw, meta: Option<&ObjectMeta>, spec: Option<&PodSpec>) {
    let default_spec = PodSpec::default();
    let spec = spec.unwrap_or(&default_spec);
    print_labels_multiline(w, "  Labels", meta.and_then(|m| m.labels.as_ref()));
    if let Some(a) = meta
        .and_then(|m| m.annotations.as_ref())
        .filter(|a| !a.is_empty())
    {
        print_annotations_multiline(w, "  Annotations", Some(a));
    }
    if let Some(sa) = spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(1, &format!("Service Account:\t{sa}\n"));
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        describe_containers(w, "Init Containers", init, None, None, "  ");
    }
    describe_containers(w, "Containers", &spec.containers, None, None, "  ");
    describe_volumes(w, spec.volumes.as_ref(), "  ");
    describe_topology_spread(w, spec.topology_spread_constraints.as_ref(), "  ");
    if let Some(pc) = spec
        .priority_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(1, &format!("Priority Class Name:\t{pc}\n"));
    }
    print_labels_multiline(w, "  Node-Selectors", spec.node_selector.as_ref());
    print_tolerations_multiline(w, "  Tolerations", spec.tolerations.as_ref());
}

fn describe_ds(out: &mut String, c: &Cluster, ns: &str, name: &str) -> bool {
    let Some(d) = c.daemon_sets.get(&(ns.to_string(), name.to_string())) else {
        return false;
    };
    let spec = d.spec.clone().unwrap_or_default();
    let s = d.status.clone().unwrap_or_default();
    let mut w = Pw::default();
    w.write(
        0,
        &format!("Name:\t{}\n", d.metadata.name.as_deref().unwrap_or(name)),
    );
    w.write(0, &format!("Namespace:\t{ns}\n"));
    w.write(
        0,
        &format!("Selector:\t{}\n", selector_string(Some(&spec.selector))),
    );
    w.write(
        0,
        &format!(
            "Node-Selector:\t{}\n",
            format_labels(
                spec.template
                    .spec
                    .as_ref()
                    .and_then(|s| s.node_selector.as_ref())
            )
        ),
    );
    print_labels_multiline(&mut w, "Labels", d.metadata.labels.as_ref());
    print_annotations_multiline(&mut w, "Annotations", d.metadata.annotations.as_ref());
    w.write(
        0,
        &format!(
            "Desired Number of Nodes Scheduled: {}\n",
            s.desired_number_scheduled
        ),
    );
    w.write(
        0,
        &format!(
            "Current Number of Nodes Scheduled: {}\n",
            s.current_number_scheduled
        ),
    );
    w.write(
        0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
            s.updated_number_scheduled.unwrap_or(0)
        ),
    );
    w.write(
        0,
        &format!(
            "Number of Nodes Scheduled with Available Pods: {}\n",
            s.number_available.unwrap_or(0)
        ),
    );
    w.write(
        0,
        &format!("Number of Nodes Misscheduled: {}\n", s.number_misscheduled),
    );
    // getPodStatusForController: the selected pods this DaemonSet controls, by phase.
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    let uid = d.metadata.uid.clone().unwrap_or_default();
    let selector = crate::labels::Selector::compile(Some(&spec.selector))
        .unwrap_or_else(|_| crate::labels::Selector::nothing());
    for p in c
        .pods
        .iter()
        .filter(|((pns, _), _)| pns == ns)
        .map(|(_, p)| p)
    {
        let controlled = crate::engine::controller_of(&p.metadata).is_some_and(|o| o.uid == uid);
        if !controlled || !selector.matches(p.metadata.labels.as_ref().unwrap_or(&BTreeMap::new()))
        {
            continue;
        }
        match p.status.as_ref().and_then(|s| s.phase.as_deref()) {
            Some("Running") => running += 1,
            Some("Pending") => waiting += 1,
            Some("Succeeded") => succeeded += 1,
            Some("Failed") => failed += 1,
            _ => {}
        }
    }
    w.write(
        0,
        &format!(
            "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
        ),
    );
    w.write(0, "Pod Template:\n");
    describe_pod_template(
        &mut w,
        spec.template.metadata.as_ref(),
        spec.template.spec.as_ref(),
    );
    describe_events(&mut w, c, "DaemonSet", ns, name);
    out.push_str(&tabbed(&w.0));
    true
}

/// What `kubectl rollout history daemonset/NAME --revision=N` prints after its `Pod Template:`
/// line: the rest of `DescribePodTemplate`, written by `printTemplate` through a bare
/// `PrefixWriter` — no tab writer, so the tabs stay in the output — and the newline the name
/// printer adds after the whole message (`%s/%s %s\n`), which leaves a blank line at the end.
pub(crate) fn pod_template(out: &mut String, meta: Option<&ObjectMeta>, spec: Option<&PodSpec>) {
    let mut w = Pw::default();
    describe_pod_template(&mut w, meta, spec);
    out.push_str(&w.0);
    out.push('\n');
}

/// `qos.GetPodQOS`: the status's class, else `ComputePodQOS` from the cpu and memory requests
/// and limits of all containers (or the pod-level resources when set).
fn pod_qos(p: &Pod) -> String {
    if let Some(q) = p
        .status
        .as_ref()
        .and_then(|s| s.qos_class.as_deref())
        .filter(|q| !q.is_empty())
    {
        return q.to_string();
    }
    let spec = p.spec.clone().unwrap_or_default();
    let positive = |q: &ApiQuantity| {
        Quantity::parse(&q.0)
            .ok()
            .filter(|v| !v.is_zero() && !v.is_negative())
    };
    let mut requests: BTreeMap<String, i64> = BTreeMap::new();
    let mut limits: BTreeMap<String, i64> = BTreeMap::new();
    let mut guaranteed = true;
    let sets: Vec<&ResourceRequirements> = match spec.resources.as_ref() {
        Some(r) => vec![r],
        None => spec
            .containers
            .iter()
            .chain(spec.init_containers.iter().flatten())
            .map(|c| c.resources.as_ref().unwrap_or(&EMPTY_REQUIREMENTS))
            .collect(),
    };
    for r in sets {
        for (name, q) in r.requests.iter().flatten() {
            if let Some(v) = positive(q).filter(|_| name == CPU || name == MEMORY) {
                *requests.entry(name.clone()).or_insert(0) += v.milli_value();
            }
        }
        let mut found = 0;
        for (name, q) in r.limits.iter().flatten() {
            if let Some(v) = positive(q).filter(|_| name == CPU || name == MEMORY) {
                found += 1;
                *limits.entry(name.clone()).or_insert(0) += v.milli_value();
            }
        }
        if found < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort".into();
    }
    if guaranteed && requests.iter().any(|(k, v)| limits.get(k) != Some(v)) {
        guaranteed = false;
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed".into()
    } else {
        "Burstable".into()
    }
}

static EMPTY_REQUIREMENTS: ResourceRequirements = ResourceRequirements {
    claims: None,
    limits: None,
    requests: None,
};

fn describe_pod(out: &mut String, c: &Cluster, ns: &str, name: &str) -> bool {
    let Some(p) = c.pods.get(&(ns.to_string(), name.to_string())) else {
        return false;
    };
    let spec = p.spec.clone().unwrap_or_default();
    let st = p.status.clone().unwrap_or_default();
    let nonempty = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
    let mut w = Pw::default();
    w.write(
        0,
        &format!("Name:\t{}\n", p.metadata.name.as_deref().unwrap_or(name)),
    );
    w.write(0, &format!("Namespace:\t{ns}\n"));
    if let Some(prio) = spec.priority {
        w.write(0, &format!("Priority:\t{prio}\n"));
    }
    if let Some(pc) = nonempty(&spec.priority_class_name) {
        w.write(0, &format!("Priority Class Name:\t{pc}\n"));
    }
    if let Some(rc) = nonempty(&spec.runtime_class_name) {
        w.write(0, &format!("Runtime Class Name:\t{rc}\n"));
    }
    if let Some(sa) = nonempty(&spec.service_account_name) {
        w.write(0, &format!("Service Account:\t{sa}\n"));
    }
    match nonempty(&spec.node_name) {
        None => w.write(0, "Node:\t<none>\n"),
        Some(n) => w.write(
            0,
            &format!("Node:\t{n}/{}\n", st.host_ip.as_deref().unwrap_or("")),
        ),
    }
    if let Some(t) = &st.start_time {
        w.write(0, &format!("Start Time:\t{}\n", rfc1123z(Some(t))));
    }
    print_labels_multiline(&mut w, "Labels", p.metadata.labels.as_ref());
    print_annotations_multiline(&mut w, "Annotations", p.metadata.annotations.as_ref());
    let phase = st.phase.clone().unwrap_or_default();
    match &p.metadata.deletion_timestamp {
        Some(t) if phase != "Failed" && phase != "Succeeded" => {
            w.write(
                0,
                &format!(
                    "Status:\tTerminating (lasts {})\n",
                    human_duration(c.now - millis_of(t))
                ),
            );
            w.write(
                0,
                &format!(
                    "Termination Grace Period:\t{}s\n",
                    p.metadata.deletion_grace_period_seconds.unwrap_or(0)
                ),
            );
        }
        _ => w.write(0, &format!("Status:\t{phase}\n")),
    }
    if let Some(r) = nonempty(&st.reason) {
        w.write(0, &format!("Reason:\t{r}\n"));
    }
    if let Some(m) = nonempty(&st.message) {
        w.write(0, &format!("Message:\t{m}\n"));
    }
    if let Some(sp) = spec
        .security_context
        .as_ref()
        .and_then(|s| s.seccomp_profile.as_ref())
    {
        w.write(0, &format!("SeccompProfile:\t{}\n", sp.type_));
        if sp.type_ == "Localhost" {
            w.write(
                0,
                &format!(
                    "LocalhostProfile:\t{}\n",
                    sp.localhost_profile.as_deref().unwrap_or("")
                ),
            );
        }
    }
    w.write(0, &format!("IP:\t{}\n", st.pod_ip.as_deref().unwrap_or("")));
    let ips = st.pod_ips.clone().unwrap_or_default();
    if ips.is_empty() {
        w.write(0, "IPs:\t<none>\n");
    } else {
        w.write(0, "IPs:\n");
        for ip in ips {
            w.write(1, &format!("IP:\t{}\n", ip.ip));
        }
    }
    if let Some(o) = crate::engine::controller_of(&p.metadata) {
        w.write(0, &format!("Controlled By:\t{}/{}\n", o.kind, o.name));
    }
    if let Some(n) = nonempty(&st.nominated_node_name) {
        w.write(0, &format!("NominatedNodeName:\t{n}\n"));
    }
    if spec.resources.is_some() {
        w.write(0, "Resources:\n");
        describe_resources(&mut w, spec.resources.as_ref(), 1);
    }
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        describe_containers(
            &mut w,
            "Init Containers",
            init,
            st.init_container_statuses.as_deref(),
            Some(p),
            "",
        );
    }
    describe_containers(
        &mut w,
        "Containers",
        &spec.containers,
        st.container_statuses.as_deref(),
        Some(p),
        "",
    );
    let conditions = st.conditions.clone().unwrap_or_default();
    if let Some(gates) = spec.readiness_gates.as_ref().filter(|g| !g.is_empty()) {
        w.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let status = conditions
                .iter()
                .find(|c| c.type_ == g.condition_type)
                .map_or_else(|| "<none>".to_string(), |c| c.status.clone());
            w.write(1, &format!("{} \t{status} \n", g.condition_type));
        }
    }
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for cond in &conditions {
            w.write(1, &format!("{} \t{} \n", cond.type_, cond.status));
        }
    }
    describe_volumes(&mut w, spec.volumes.as_ref(), "");
    w.write(0, &format!("QoS Class:\t{}\n", pod_qos(p)));
    print_labels_multiline(&mut w, "Node-Selectors", spec.node_selector.as_ref());
    print_tolerations_multiline(&mut w, "Tolerations", spec.tolerations.as_ref());
    describe_topology_spread(&mut w, spec.topology_spread_constraints.as_ref(), "");
    describe_events(&mut w, c, "Pod", ns, name);
    out.push_str(&tabbed(&w.0));
    true
}

#[cfg(test)]
mod tests {
    use super::tabbed;

    /// Outputs of Go's `text/tabwriter` set up as kubectl's `tabbedString` does, for the same input.
    #[test]
    fn tabbed_lays_out_columns_as_go_tabwriter() {
        let cases = [
            (
                "Name:\tx\nNamespace:\tdefault\nLabels:\ta=b\n\tc=d\nPods Status:  1\nPod Template:\n  Labels:\tapp=x\n  Containers:\n   c:\n    Image:\tnginx\n    Port:\t<none>\n  Volumes:\t<none>\nEvents:\t<none>\n",
                "Name:       x\nNamespace:  default\nLabels:     a=b\n            c=d\nPods Status:  1\nPod Template:\n  Labels:  app=x\n  Containers:\n   c:\n    Image:  nginx\n    Port:   <none>\n  Volumes:  <none>\nEvents:     <none>\n",
            ),
            (
                "a\tb\tc\nlonger\tb\nx\n  y\t\tz\n\tq\n",
                "a       b  c\nlonger  b\nx\n  y    z\n     q\n",
            ),
            (
                "IP:\t1\nIPs:\n  IP:\t1\nControlled By:\tDS/x\n",
                "IP:  1\nIPs:\n  IP:           1\nControlled By:  DS/x\n",
            ),
            ("tail\tno newline", "tail  no newline"),
        ];
        for (input, want) in cases {
            assert_eq!(tabbed(input), want, "input {input:?}");
        }
    }
}
