//! `kubectl drain`, after kubectl's `cmd/drain/drain.go` and `pkg/drain/{drain,filters}.go`:
//! cordon, choose the node's pods through drain's filters (DaemonSet pods, mirror pods, pods with
//! emptyDir data, pods without a controller), then evict each through the Eviction API
//! (`pkg/registry/core/pod/storage/eviction.go`), which a PodDisruptionBudget can refuse; kubectl
//! retries those every five seconds and waits, polling each second, until every evicted pod is
//! gone. The clock runs while it does.

use super::args::Args;
use super::{Output, Resource};
use crate::engine::kubelet::go_duration;
use crate::engine::time::{parse_duration, Millis, SECOND};
use crate::engine::{kubelet, Cluster, Key};
use crate::labels::Selector;
use k8s_openapi::api::core::v1::Pod;
use std::fmt::Write as _;

// The filters' words (pkg/drain/filters.go).
const DAEMON_SET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMON_SET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const UNMANAGED_FATAL: &str = "Pods declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";

/// The Eviction API's answer when a budget allows no disruption (a 429).
pub const PDB_VIOLATION: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

/// kubectl's wait between eviction attempts a budget refused (`evictPods`).
const RETRY: Millis = 5 * SECOND;

/// Without `--timeout` kubectl retries for ever; the playground stops retrying after this long.
const PLAYGROUND_LIMIT: Millis = 10 * 60 * SECOND;

/// A filter's verdict on one pod (`PodDeleteStatus`): whether it is deleted, and why not or with
/// what warning.
enum Verdict {
    Okay,
    Skip,
    Warning { delete: bool, message: String },
    Error(String),
}

impl Verdict {
    fn delete(&self) -> bool {
        match self {
            Verdict::Okay => true,
            Verdict::Warning { delete, .. } => *delete,
            Verdict::Skip | Verdict::Error(_) => false,
        }
    }
}

struct Options {
    ignore_daemon_sets: bool,
    delete_emptydir_data: bool,
    force: bool,
}

/// `GetPodsForDeletion`'s loop over `makeFilters`: each filter in turn; the first that keeps the
/// pod back decides, otherwise the last one's verdict stands (so an earlier warning is replaced,
/// as upstream's TODO on localStorageFilter notes).
fn verdict(c: &Cluster, p: &Pod, o: &Options) -> Verdict {
    let finished = matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Succeeded" | "Failed")
    );
    let controller = crate::engine::controller_of(&p.metadata);
    let daemon_set = || match controller {
        Some(r) if r.kind == "DaemonSet" && !finished => {
            let ns = p.metadata.namespace.clone().unwrap_or_default();
            if !c.daemon_sets.contains_key(&(ns, r.name.clone())) {
                // An orphan: the Get of its DaemonSet answers NotFound; removed with --force.
                let gone = format!("daemonsets.apps {:?} not found", r.name);
                if o.force {
                    Verdict::Warning {
                        delete: true,
                        message: gone,
                    }
                } else {
                    Verdict::Error(gone)
                }
            } else if o.ignore_daemon_sets {
                Verdict::Warning {
                    delete: false,
                    message: DAEMON_SET_WARNING.into(),
                }
            } else {
                Verdict::Error(DAEMON_SET_FATAL.into())
            }
        }
        _ => Verdict::Okay,
    };
    let mirror = || {
        let annotations = p.metadata.annotations.as_ref();
        if annotations.is_some_and(|a| a.contains_key("kubernetes.io/config.mirror")) {
            Verdict::Skip
        } else {
            Verdict::Okay
        }
    };
    let local_storage = || {
        let empty_dir = p
            .spec
            .iter()
            .flat_map(|s| s.volumes.iter().flatten())
            .any(|v| v.empty_dir.is_some());
        match (empty_dir && !finished, o.delete_emptydir_data) {
            (false, _) => Verdict::Okay,
            (true, false) => Verdict::Error(LOCAL_STORAGE_FATAL.into()),
            (true, true) => Verdict::Warning {
                delete: true,
                message: "deleting Pods with local storage".into(),
            },
        }
    };
    let unreplicated = || match (finished || controller.is_some(), o.force) {
        (true, _) => Verdict::Okay,
        (false, true) => Verdict::Warning {
            delete: true,
            message: UNMANAGED_WARNING.into(),
        },
        (false, false) => Verdict::Error(UNMANAGED_FATAL.into()),
    };
    let filters: [&dyn Fn() -> Verdict; 4] = [&daemon_set, &mirror, &local_storage, &unreplicated];
    let mut v = Verdict::Okay;
    for f in filters {
        v = f();
        if !v.delete() {
            break;
        }
    }
    v
}

/// `PodDeleteList.errors()` / `Warnings()`: pods grouped by message, `ns/name` joined by ", ",
/// in the order the messages first appear (upstream ranges over a map, in no fixed order).
fn grouped(items: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (msg, pod) in items {
        match out.iter_mut().find(|(m, _)| m == msg) {
            Some((_, pods)) => pods.push(pod.clone()),
            None => out.push((msg.clone(), vec![pod.clone()])),
        }
    }
    out.into_iter().map(|(m, p)| (m, p.join(", "))).collect()
}

/// The Eviction API for one pod: Ok when the pod is being deleted, Err((retry, message)).
fn evict(c: &mut Cluster, key: &Key, grace: Option<i64>) -> Result<(), (bool, String)> {
    let Some(p) = c.pods.get(key) else {
        return Ok(());
    };
    // canIgnorePDB: terminal, pending and terminating pods are deleted without asking a budget.
    let phase = p.status.as_ref().and_then(|s| s.phase.as_deref());
    let ignore_budget = matches!(phase, Some("Succeeded" | "Failed" | "Pending"))
        || p.metadata.deletion_timestamp.is_some();
    if !ignore_budget {
        let labels = p.metadata.labels.clone().unwrap_or_default();
        let ready = crate::engine::disruption::is_ready(p);
        let budgets: Vec<Key> = c
            .pdbs
            .iter()
            .filter(|((ns, _), pdb)| {
                ns == &key.0
                    && Selector::compile(pdb.spec.as_ref().and_then(|s| s.selector.as_ref()))
                        .is_ok_and(|s| !s.is_empty() && s.matches(&labels))
            })
            .map(|(k, _)| k.clone())
            .collect();
        if budgets.len() > 1 {
            return Err((false, "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into()));
        }
        if let Some(b) = budgets.first() {
            let Some(pdb) = c.pdbs.get_mut(b) else {
                return Ok(());
            };
            let status = pdb.status.get_or_insert_with(Default::default);
            // The default unhealthyPodEvictionPolicy (IfHealthyBudget): a pod that is not ready
            // may go while the budget is met.
            let unhealthy_ok = !ready
                && status.desired_healthy > 0
                && status.current_healthy >= status.desired_healthy;
            if !unhealthy_ok {
                if status.disruptions_allowed <= 0 {
                    return Err((true, PDB_VIOLATION.into()));
                }
                status.disruptions_allowed -= 1;
            }
        }
    }
    kubelet::delete_pod(c, key, grace);
    Ok(())
}

pub fn drain(c: &mut Cluster, a: &Args) -> Output {
    let names: Vec<String> = a
        .positional
        .iter()
        .map(|n| {
            n.trim_start_matches("node/")
                .trim_start_matches("nodes/")
                .to_string()
        })
        .collect();
    if names.is_empty() {
        return Output::err(
            "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples",
        );
    }
    let o = Options {
        ignore_daemon_sets: a.has("ignore-daemonsets"),
        delete_emptydir_data: a.has("delete-emptydir-data") || a.has("delete-local-data"),
        force: a.has("force"),
    };
    let grace = match a.value(&["grace-period"]).map(str::parse::<i64>) {
        None => None,
        Some(Ok(g)) if g < 0 => None,
        Some(Ok(g)) => Some(g),
        Some(Err(_)) => {
            return Output::err(format!(
                "error: invalid argument {:?} for \"--grace-period\" flag: strconv.ParseInt: parsing {:?}: invalid syntax\nSee 'kubectl drain --help' for usage.",
                a.value(&["grace-period"]).unwrap_or(""),
                a.value(&["grace-period"]).unwrap_or("")
            ))
        }
    };
    let timeout = match a.value(&["timeout"]).map(parse_duration) {
        None | Some(Ok(0)) => None,
        Some(Ok(t)) => Some(t),
        Some(Err(e)) => return Output::err(format!("error: {e}")),
    };
    for n in &names {
        if !c.nodes.contains_key(n) {
            return Output::err(super::not_found(Resource::Nodes, n));
        }
    }
    let mut out = String::new();
    let mut err = String::new();
    // RunCordonOrUncordon for every node first.
    for n in &names {
        let was = super::cordon::is_cordoned(c, n);
        super::cordon::set_cordon(c, n, true);
        let word = if was { "already cordoned" } else { "cordoned" };
        let _ = writeln!(out, "node/{n} {word}");
    }
    c.settle();
    for (i, n) in names.iter().enumerate() {
        match drain_node(c, n, &o, grace, timeout, &mut out, &mut err) {
            Ok(()) => {
                let _ = writeln!(out, "node/{n} drained");
            }
            Err(e) => {
                let _ = writeln!(
                    err,
                    "error: unable to drain node {n:?} due to error: {e}, continuing command..."
                );
                let _ = writeln!(err, "There are pending nodes to be drained:");
                for pending in &names[i..] {
                    let _ = writeln!(err, " {pending}");
                }
                // The aggregate error cmdutil.CheckErr prints last, with no "error: " prefix.
                let _ = writeln!(err, "{e}");
                return Output {
                    stdout: out,
                    stderr: err,
                    ok: false,
                };
            }
        }
    }
    Output {
        stdout: out,
        stderr: err,
        ok: true,
    }
}

/// `deleteOrEvictPodsSimple` for one node. Lines kubectl writes to stderr while it evicts
/// (warnings, retries) go to `out` here, so a transcript keeps a terminal's order.
fn drain_node(
    c: &mut Cluster,
    node: &str,
    o: &Options,
    grace: Option<i64>,
    timeout: Option<Millis>,
    out: &mut String,
    err: &mut String,
) -> Result<(), String> {
    // GetPodsForDeletion: the node's pods, listed by namespace and name.
    let on_node: Vec<Key> = crate::engine::nodes::pods_on_node(c, node);
    let mut fatal: Vec<(String, String)> = Vec::new();
    let mut warnings: Vec<(String, String)> = Vec::new();
    let mut evict_list: Vec<Key> = Vec::new();
    for k in on_node {
        let Some(p) = c.pods.get(&k) else { continue };
        let id = format!("{}/{}", k.0, k.1);
        let v = verdict(c, p, o);
        if v.delete() {
            evict_list.push(k);
        }
        match v {
            Verdict::Warning { message, .. } => warnings.push((message, id)),
            Verdict::Error(m) => fatal.push((m, id)),
            Verdict::Okay | Verdict::Skip => {}
        }
    }
    let errors: Vec<String> = grouped(&fatal)
        .into_iter()
        .map(|(m, pods)| format!("cannot delete {m}: {pods}"))
        .collect();
    match errors.len() {
        0 => {}
        1 => return Err(errors[0].clone()),
        // utilerrors.NewAggregate's message for several errors.
        _ => return Err(format!("[{}]", errors.join(", "))),
    }
    let warning = grouped(&warnings)
        .into_iter()
        .map(|(m, pods)| format!("{m}: {pods}"))
        .collect::<Vec<_>>()
        .join("; ");
    if !warning.is_empty() {
        let _ = writeln!(out, "Warning: {warning}");
    }
    // evictPods: every pod at once; a refused eviction is retried after five seconds (the
    // attempt line is printed before the global timeout is checked); evicted pods are polled
    // each second until they are gone (waitForDelete). Errors are gathered as pods finish.
    let start = c.now;
    let limit = start.saturating_add(timeout.unwrap_or(PLAYGROUND_LIMIT));
    let timeout_text = go_duration(timeout.unwrap_or(PLAYGROUND_LIMIT));
    let mut due: Vec<(Key, Millis)> = evict_list.iter().map(|k| (k.clone(), start)).collect();
    let mut waiting: Vec<(Key, String)> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    loop {
        let now = c.now;
        let mut still_due = Vec::new();
        for (k, at) in std::mem::take(&mut due) {
            if at > now {
                still_due.push((k, at));
                continue;
            }
            let _ = writeln!(out, "evicting pod {}/{}", k.0, k.1);
            if now >= limit {
                errors.push(format!(
                    "error when evicting pods/{:?} -n {:?}: global timeout reached: {timeout_text}",
                    k.1, k.0
                ));
                continue;
            }
            let uid = c
                .pods
                .get(&k)
                .and_then(|p| p.metadata.uid.clone())
                .unwrap_or_default();
            match evict(c, &k, grace) {
                Ok(()) => waiting.push((k, uid)),
                Err((true, msg)) => {
                    let _ = writeln!(
                        out,
                        "error when evicting pods/{:?} -n {:?} (will retry after 5s): {msg}",
                        k.1, k.0
                    );
                    still_due.push((k, now + RETRY));
                }
                Err((false, msg)) => errors.push(format!(
                    "error when evicting pods/{:?} -n {:?}: {msg}",
                    k.1, k.0
                )),
            }
        }
        due = still_due;
        c.settle();
        waiting.retain(|(k, uid)| {
            let gone = c
                .pods
                .get(k)
                .is_none_or(|p| p.metadata.uid.as_deref().unwrap_or("") != uid);
            if gone {
                let _ = writeln!(out, "pod/{} evicted", k.1);
            } else if c.now >= limit {
                errors.push(format!(
                    "error when waiting for pod {:?} in namespace {:?} to terminate: context deadline exceeded",
                    k.1, k.0
                ));
                return false;
            }
            !gone
        });
        if due.is_empty() && waiting.is_empty() {
            break;
        }
        c.run_until(now + SECOND);
    }
    let e = match errors.len() {
        0 => return Ok(()),
        1 => errors.remove(0),
        _ => format!("[{}]", errors.join(", ")),
    };
    // deleteOrEvictPodsSimple: the pods still to go, listed again.
    let pending: Vec<&Key> = evict_list
        .iter()
        .filter(|k| c.pods.contains_key(*k))
        .collect();
    if !pending.is_empty() {
        let _ = writeln!(
            err,
            "There are pending pods in node {node:?} when an error occurred: {e}"
        );
        for k in pending {
            let _ = writeln!(err, "pod/{}", k.1);
        }
    }
    if timeout.is_none() {
        let _ = writeln!(
            err,
            "(the playground stops retrying after {timeout_text}; kubectl would go on until --timeout, or until interrupted)"
        );
    }
    Err(e)
}
