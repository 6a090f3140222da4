//! `kubectl delete`, after kubectl's `cmd/delete/delete.go`: objects named by file, by
//! `TYPE NAME…` or `TYPE/NAME…`, or every object of a type that `-l`, `--field-selector` or `--all`
//! picks; the grace-period, `--force`, `--now` and `--dry-run` rules; the
//! `<kind> "<name>" deleted from <namespace> namespace` lines of `PrintObj`; and, as kubectl's
//! default `--wait` does, the clock runs until every deleted object is gone.

use super::args::Args;
use super::get::{list, Query};
use super::{namespace, not_found, resource_args, Files, Output, Resource, ResourceArgs};
use crate::engine::time::{parse_duration, HOUR};
use crate::engine::{kubelet, Cluster, Key};
use crate::input::{load_sources, Source};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use std::fmt::Write as _;

/// One object to delete: its type, namespace ("" for cluster-scoped) and name.
type Target = (Resource, String, String);

/// `DryRunStrategy`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DryRun {
    None,
    Client,
    Server,
}

/// `cmdutil.GetDryRunStrategy`.
fn dry_run(a: &Args) -> Result<DryRun, String> {
    match a.value(&["dry-run"]) {
        None | Some("none" | "false") => Ok(DryRun::None),
        Some("client" | "true" | "" | "unchanged") => Ok(DryRun::Client),
        Some("server") => Ok(DryRun::Server),
        Some(v) => Err(format!(
            "error: Invalid dry-run value ({v}). Must be \"none\", \"server\", or \"client\"."
        )),
    }
}

/// Delete one object; whether it was there, and its uid (to wait for it to be gone).
fn delete_one(c: &mut Cluster, r: Resource, key: &Key, grace: i64) -> Option<String> {
    let (ns, name) = key;
    match r {
        Resource::Nodes => {
            let uid = uid_of(&c.nodes.get(name)?.metadata);
            crate::engine::nodes::remove_node(c, name);
            Some(uid)
        }
        Resource::Pods => {
            let uid = uid_of(&c.pods.get(key)?.metadata);
            kubelet::delete_pod(c, key, (grace >= 0).then_some(grace));
            Some(uid)
        }
        Resource::DaemonSets => {
            let ds = c.daemon_sets.remove(key)?;
            // The garbage collector deletes what the DaemonSet owned (background propagation).
            let uid = ds.metadata.uid.unwrap_or_default();
            let owned_by =
                |refs: &Option<Vec<OwnerReference>>| refs.iter().flatten().any(|o| o.uid == uid);
            let owned: Vec<Key> = c
                .pods
                .iter()
                .filter(|(_, p)| owned_by(&p.metadata.owner_references))
                .map(|(k, _)| k.clone())
                .collect();
            for k in owned {
                kubelet::delete_pod(c, &k, None);
            }
            c.revisions
                .retain(|_, rv| !owned_by(&rv.metadata.owner_references));
            Some(uid)
        }
        Resource::PriorityClasses => Some(uid_of(&c.priority_classes.remove(name)?.metadata)),
        Resource::Namespaces => Some(uid_of(&c.namespaces.remove(name)?.metadata)),
        Resource::ControllerRevisions => Some(uid_of(&c.revisions.remove(key)?.metadata)),
        Resource::PodDisruptionBudgets => Some(uid_of(&c.pdbs.remove(key)?.metadata)),
        Resource::Events => {
            let before = c.events.records.len();
            c.events
                .records
                .retain(|e| !(e.event_namespace() == ns && e.event_name() == *name));
            (c.events.records.len() < before).then(String::new)
        }
    }
}

fn uid_of(m: &ObjectMeta) -> String {
    m.uid.clone().unwrap_or_default()
}

/// Whether an object deleted earlier (by uid) is still in the store.
fn still_there(c: &Cluster, r: Resource, key: &Key, uid: &str) -> bool {
    let same = |m: &ObjectMeta| uid_of(m) == uid;
    match r {
        Resource::Pods => c.pods.get(key).is_some_and(|p| same(&p.metadata)),
        Resource::Nodes => c.nodes.get(&key.1).is_some_and(|n| same(&n.metadata)),
        _ => false,
    }
}

pub fn delete(c: &mut Cluster, a: &Args, files: Files) -> Output {
    // Complete and Validate in delete.go, in their order.
    let output = a.value(&["o", "output"]).unwrap_or("");
    if !matches!(output, "" | "name") {
        return Output::err(format!(
            "error: unexpected -o output mode: {output}. We only support '-o name'"
        ));
    }
    let label_text = a.value(&["l", "selector"]);
    let field_text = a.value(&["field-selector"]);
    let all = a.has("all");
    let selecting = all || label_text.is_some() || field_text.is_some();
    let ignore_not_found = match a.value(&["ignore-not-found"]) {
        Some(v) => v != "false",
        None => selecting,
    };
    let mut grace: i64 = match a.value(&["grace-period"]) {
        None => -1,
        Some(g) => match g.parse::<i64>() {
            Ok(g) => g,
            Err(_) => {
                return Output::err(format!(
                    "error: invalid argument {g:?} for \"--grace-period\" flag: strconv.ParseInt: parsing {g:?}: invalid syntax\nSee 'kubectl delete --help' for usage."
                ))
            }
        },
    };
    if a.has("now") {
        if grace != -1 {
            return Output::err("error: --now and --grace-period cannot be specified together");
        }
        grace = 1;
    }
    let force = a.has("force");
    if grace == 0 && !force {
        // --grace-period=0 becomes 1 unless --force: it must not lose data by accident.
        grace = 1;
    }
    if force && grace < 0 {
        grace = 0;
    }
    let dry = match dry_run(a) {
        Ok(d) => d,
        Err(e) => return Output::err(e),
    };
    if all && label_text.is_some() {
        return Output::err("error: cannot set --all and --selector at the same time");
    }
    if all && field_text.is_some() {
        return Output::err("error: cannot set --all and --field-selector at the same time");
    }
    let mut stderr = String::new();
    match (grace, force) {
        (0, true) => stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n"),
        (g, true) if g > 0 => {
            return Output::err(
                "error: --force and --grace-period greater than 0 cannot be specified together",
            )
        }
        _ => {}
    }
    let timeout = match a.value(&["timeout"]).map(parse_duration) {
        None | Some(Ok(0)) => 168 * HOUR,
        Some(Ok(t)) => t,
        Some(Err(e)) => return Output::err(format!("error: {e}")),
    };

    // The resource builder: files, or `TYPE[,TYPE] NAME…`, `TYPE/NAME…`, or a selection.
    let ns = namespace(a);
    let all_ns = a.has("A") || a.has("all-namespaces");
    let mut targets: Vec<Target> = Vec::new();
    let file_names = a.values(&["f", "filename"]);
    for f in &file_names {
        match files(f) {
            Ok(t) => targets.extend(super::objects_named(
                &load_sources(&[Source::new(*f, t)]).objects,
            )),
            Err(e) => return Output::err(format!("error: {e}")),
        }
    }
    let in_ns = |r: Resource| {
        if r.namespaced() {
            ns.clone()
        } else {
            String::new()
        }
    };
    let (types, names) = match resource_args(&a.positional) {
        Ok(ResourceArgs::Named(pairs)) => {
            targets.extend(pairs.into_iter().map(|(r, n)| (r, in_ns(r), n)));
            (Vec::new(), Vec::new())
        }
        Ok(ResourceArgs::Typed(types, names)) => (types, names),
        Err(e) => return e,
    };
    if !names.is_empty() && (label_text.is_some() || field_text.is_some()) {
        return Output::err("error: name cannot be provided when a selector is specified");
    }
    if !types.is_empty() && names.is_empty() && !selecting {
        return Output::err("error: resource(s) were provided, but no name was specified");
    }
    if targets.is_empty() && types.is_empty() {
        return Output::err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    if names.is_empty() && !types.is_empty() {
        let query = match Query::from_args(a) {
            Ok(q) => q,
            Err(e) => return e,
        };
        for r in &types {
            let scope = (r.namespaced() && !all_ns).then_some(ns.as_str());
            match list(c, *r, scope, &query) {
                Ok(found) => targets.extend(found.into_iter().map(|f| (*r, f.namespace, f.name))),
                Err(e) => return Output::err(e),
            }
        }
    } else {
        for r in &types {
            targets.extend(names.iter().map(|n| (*r, in_ns(*r), n.clone())));
        }
    }

    // DeleteResult: each object in turn; a missing one ends the command with its error.
    let mut stdout = String::new();
    let mut deleted: Vec<(Resource, Key, String)> = Vec::new();
    let mut failed = false;
    for (r, n_s, name) in targets {
        let key = (n_s, name);
        let there = match dry {
            DryRun::None => delete_one(c, r, &key, grace),
            // A dry run deletes nothing; the server's dry run still needs the object.
            DryRun::Client => Some(String::new()),
            DryRun::Server => exists(c, r, &key).then(String::new),
        };
        let Some(uid) = there else {
            if !ignore_not_found {
                let _ = writeln!(stderr, "{}", not_found(r, &key.1));
                failed = true;
            }
            continue;
        };
        // PrintObj.
        let kind = r.kind_group();
        if output == "name" {
            let _ = writeln!(stdout, "{kind}/{}", key.1);
        } else {
            let mut operation = if grace == 0 {
                "force deleted"
            } else {
                "deleted"
            }
            .to_string();
            if r.namespaced() {
                let _ = write!(operation, " from {} namespace", key.0);
            }
            match dry {
                DryRun::Client => operation.push_str(" (dry run)"),
                DryRun::Server => operation.push_str(" (server dry run)"),
                DryRun::None => {}
            }
            let _ = writeln!(stdout, "{kind} \"{}\" {operation}", key.1);
        }
        deleted.push((r, key, uid));
    }
    c.settle();
    if deleted.is_empty() && !failed {
        stdout.push_str("No resources found\n");
    }
    // --wait (on by default): until every deleted object is gone, or the timeout.
    let wait = a.value(&["wait"]).is_none_or(|v| v != "false");
    if wait && dry == DryRun::None {
        let until = c.now.saturating_add(timeout);
        while deleted.iter().any(|(r, k, uid)| still_there(c, *r, k, uid)) {
            if c.now >= until || !c.step() {
                break;
            }
        }
    }
    Output {
        stdout,
        stderr,
        ok: !failed,
    }
}

/// Whether the object is in the store (the server's dry run answers NotFound otherwise).
fn exists(c: &Cluster, r: Resource, key: &Key) -> bool {
    match r {
        Resource::Nodes => c.nodes.contains_key(&key.1),
        Resource::Pods => c.pods.contains_key(key),
        Resource::DaemonSets => c.daemon_sets.contains_key(key),
        Resource::PriorityClasses => c.priority_classes.contains_key(&key.1),
        Resource::Namespaces => c.namespaces.contains_key(&key.1),
        Resource::ControllerRevisions => c.revisions.contains_key(key),
        Resource::PodDisruptionBudgets => c.pdbs.contains_key(key),
        Resource::Events => c
            .events
            .records
            .iter()
            .any(|e| e.event_namespace() == key.0 && e.event_name() == key.1),
    }
}
