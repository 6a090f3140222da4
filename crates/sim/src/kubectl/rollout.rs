//! `kubectl rollout status|history|undo` for DaemonSets, after kubectl's `cmd/rollout` and
//! `polymorphichelpers` (history, rollback, status viewer).

use super::apply::CHANGE_CAUSE;
use super::args::Args;
use super::{namespace, not_found, unknown_resource, Output, Resource};
use crate::engine::time::Millis;
use crate::engine::{Cluster, Key};
use std::fmt::Write;

/// `kubectl rollout status|history daemonset/NAME` (rollout.md §10.3, §10.5).
pub fn rollout(c: &mut Cluster, a: &Args) -> Output {
    let Some(sub) = a.positional.first().cloned() else {
        return Output::err(
            "error: Required subcommand: history, pause, restart, resume, status, undo",
        );
    };
    let target = a.positional.get(1).cloned().unwrap_or_default();
    let (t, name) = match target.split_once('/') {
        Some((t, n)) => (t.to_string(), n.to_string()),
        None => (
            target.clone(),
            a.positional.get(2).cloned().unwrap_or_default(),
        ),
    };
    if name.is_empty() {
        return Output::err("error: required resource not specified");
    }
    match Resource::parse(&t) {
        Some(Resource::DaemonSets) => {}
        Some(_) | None => return unknown_resource(&t),
    }
    let key = (namespace(a), name.clone());
    if !c.daemon_sets.contains_key(&key) {
        return Output::err(not_found(Resource::DaemonSets, &name));
    }
    match sub.as_str() {
        "status" => {
            let timeout = match a
                .value(&["timeout"])
                .map(crate::engine::time::parse_duration)
            {
                None | Some(Ok(0)) => None,
                Some(Ok(t)) => Some(t),
                Some(Err(e)) => return Output::err(format!("error: {e}")),
            };
            rollout_status(c, &key, a.value(&["watch", "w"]) != Some("false"), timeout)
        }
        "history" => rollout_history(c, &key, a.value(&["revision"])),
        "undo" => {
            let dry_run = match a.value(&["dry-run"]) {
                None | Some("none" | "false") => None,
                Some("client" | "true" | "" | "unchanged") => Some("client"),
                Some("server") => Some("server"),
                Some(v) => return Output::err(format!("error: Invalid dry-run value ({v}). Must be \"none\", \"server\", or \"client\".")),
            };
            rollout_undo(c, &key, a.value(&["to-revision"]), dry_run)
        }
        "restart" => {
            let Some(mut ds) = c.daemon_sets.get(&key).cloned() else {
                return Output::err(not_found(Resource::DaemonSets, &name));
            };
            let at = crate::engine::time::timestamp(c.now).0.to_string();
            if let Some(spec) = ds.spec.as_mut() {
                spec.template
                    .metadata
                    .get_or_insert_with(Default::default)
                    .annotations
                    .get_or_insert_with(Default::default)
                    .insert("kubectl.kubernetes.io/restartedAt".into(), at);
            }
            c.apply_daemon_set(ds);
            c.settle();
            Output::out(format!("daemonset.apps/{name} restarted\n"))
        }
        "pause" | "resume" => Output::err(format!(
            "error: daemonsets.apps \"{name}\" {} is not supported",
            if sub == "pause" {
                "pausing"
            } else {
                "resuming"
            }
        )),
        other => Output::err(format!(
            "error: unknown command \"{other}\" for \"kubectl rollout\""
        )),
    }
}

pub(crate) fn status_line(c: &Cluster, key: &Key) -> (String, bool) {
    let Some(d) = c.daemon_sets.get(key) else {
        return (String::new(), true);
    };
    let name = &key.1;
    let s = d.status.clone().unwrap_or_default();
    if d.metadata.generation.unwrap_or(0) > s.observed_generation.unwrap_or(0) {
        return (
            "Waiting for daemon set spec update to be observed...".into(),
            false,
        );
    }
    let updated = s.updated_number_scheduled.unwrap_or(0);
    let available = s.number_available.unwrap_or(0);
    if updated < s.desired_number_scheduled {
        (format!("Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {} new pods have been updated...", s.desired_number_scheduled), false)
    } else if available < s.desired_number_scheduled {
        (format!("Waiting for daemon set \"{name}\" rollout to finish: {available} of {} updated pods are available...", s.desired_number_scheduled), false)
    } else {
        (
            format!("daemon set \"{name}\" successfully rolled out"),
            true,
        )
    }
}

/// Without `--timeout` kubectl waits for ever; the playground stops watching after this long.
const STATUS_PLAYGROUND_LIMIT: crate::engine::time::Millis = crate::engine::time::HOUR;

/// `kubectl rollout status` (cmd/rollout/rollout_status.go): it watches the DaemonSet and prints
/// the status viewer's line on every change of the object (so a line repeats when numbers it
/// does not show move), until the rollout is done; there is no timeout unless `--timeout` gives
/// one. The virtual clock runs while it watches.
fn rollout_status(c: &mut Cluster, key: &Key, watch: bool, timeout: Option<Millis>) -> Output {
    let strategy = c
        .daemon_sets
        .get(key)
        .and_then(|d| d.spec.as_ref())
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|u| u.type_.clone());
    if strategy.as_deref() != Some("RollingUpdate") {
        return Output::err(
            "error: rollout status is only available for RollingUpdate strategy type",
        );
    }
    // What a watch event would carry: the object's generation and status.
    let seen = |c: &Cluster| {
        c.daemon_sets
            .get(key)
            .map(|d| (d.metadata.generation, d.status.clone()))
    };
    let mut out = String::new();
    let (line, done) = status_line(c, key);
    let _ = writeln!(out, "{line}");
    if done || !watch {
        return Output::out(out);
    }
    let deadline = c
        .now
        .saturating_add(timeout.unwrap_or(STATUS_PLAYGROUND_LIMIT));
    let mut last = seen(c);
    while let Some(at) = c.next_event_at().filter(|t| *t <= deadline) {
        c.run_until(at);
        let now_seen = seen(c);
        if now_seen == last {
            continue;
        }
        last = now_seen;
        let (line, done) = status_line(c, key);
        let _ = writeln!(out, "{line}");
        if done {
            return Output::out(out);
        }
    }
    let stderr = match timeout {
        Some(_) => {
            c.run_until(deadline);
            "error: timed out waiting for the condition\n".to_string()
        }
        None if c.next_event_at().is_none() => "(nothing more will change in the cluster: kubectl would go on waiting until interrupted; the playground stops here)\n".to_string(),
        None => {
            c.run_until(deadline);
            "(the playground stopped watching after 1h; kubectl would go on until --timeout, or until interrupted)\n".to_string()
        }
    };
    Output {
        stdout: out,
        stderr,
        ok: false,
    }
}

/// The DaemonSet's ControllerRevisions, by revision number.
pub(crate) fn revisions_of(
    c: &Cluster,
    key: &Key,
) -> Vec<k8s_openapi::api::apps::v1::ControllerRevision> {
    let uid = c
        .daemon_sets
        .get(key)
        .and_then(|d| d.metadata.uid.clone())
        .unwrap_or_default();
    let mut revs: Vec<_> = c
        .revisions
        .values()
        .filter(|r| {
            r.metadata
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.uid == uid)
        })
        .cloned()
        .collect();
    revs.sort_by_key(|r| r.revision);
    revs
}

/// `kubectl rollout history daemonset/NAME [--revision=N]` (rollout.md §10.3).
fn rollout_history(c: &Cluster, key: &Key, revision: Option<&str>) -> Output {
    let name = &key.1;
    let revs = revisions_of(c, key);
    if let Some(n) = revision {
        let n: i64 = match n.parse() {
            Ok(n) if n >= 0 => n,
            _ => return Output::err(format!("error: revision must be a positive integer: {n}")),
        };
        if n > 0 {
            let Some(r) = revs.iter().find(|r| r.revision == n) else {
                return Output::err("error: unable to find the specified revision");
            };
            let t = crate::engine::daemon::revision_template(r).unwrap_or_default();
            let mut s = format!("daemonset.apps/{name} with revision #{n}\nPod Template:\n");
            super::describe::pod_template(&mut s, t.metadata.as_ref(), t.spec.as_ref());
            return Output::out(s);
        }
    }
    if revs.is_empty() {
        return Output::out("No rollout history found.\n");
    }
    let mut s = format!("daemonset.apps/{name} \n");
    let width = revs
        .iter()
        .map(|r| r.revision.to_string().len())
        .max()
        .unwrap_or(0)
        .max("REVISION".len())
        + 2;
    let _ = writeln!(s, "{:<width$}CHANGE-CAUSE", "REVISION");
    for r in &revs {
        let cause = r
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(CHANGE_CAUSE))
            .cloned()
            .unwrap_or_else(|| "<none>".into());
        let _ = writeln!(s, "{:<width$}{cause}", r.revision);
    }
    s.push('\n');
    Output::out(s)
}

/// `kubectl rollout undo daemonset/NAME [--to-revision=N]` (rollout.md §10.4): the target's
/// template replaces the current one; the controller then renumbers that revision to the top
/// (DaemonSetRollbacker in polymorphichelpers/rollback.go). A client dry
/// run prints the template it would roll back to (`printPodTemplate`: "will roll back to " and
/// DescribePodTemplate through a bare PrefixWriter), as the name printer's operation with
/// " (dry run)" after it.
fn rollout_undo(c: &mut Cluster, key: &Key, to: Option<&str>, dry_run: Option<&str>) -> Output {
    let name = key.1.clone();
    let n: i64 = match to.map(str::parse) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => return Output::err(format!("error: invalid argument \"{}\" for \"--to-revision\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax", to.unwrap_or(""), to.unwrap_or(""))),
    };
    if n < 0 {
        return Output::err(format!(
            "error: unable to find specified revision {n} in history"
        ));
    }
    let revs = revisions_of(c, key);
    let target = if n == 0 {
        if revs.len() <= 1 {
            return Output::err("error: no last revision to roll back to");
        }
        revs[revs.len() - 2].clone()
    } else {
        match revs.iter().find(|r| r.revision == n) {
            Some(r) => r.clone(),
            None => {
                return Output::err(format!(
                    "error: unable to find specified revision {n} in history"
                ))
            }
        }
    };
    let Some(template) = crate::engine::daemon::revision_template(&target) else {
        return Output::err(format!(
            "error: unable to find specified revision {n} in history"
        ));
    };
    let Some(mut ds) = c.daemon_sets.get(key).cloned() else {
        return Output::err(not_found(Resource::DaemonSets, &name));
    };
    if dry_run == Some("client") {
        let mut body = String::new();
        super::describe::pod_template(
            &mut body,
            template.metadata.as_ref(),
            template.spec.as_ref(),
        );
        body.pop();
        return Output::out(format!(
            "daemonset.apps/{name} will roll back to Pod Template:\n{body} (dry run)\n"
        ));
    }
    if crate::engine::daemon::revision_matches(&target, &ds) {
        return Output::out(format!("daemonset.apps/{name} skipped rollback (current template already matches revision {n})\n"));
    }
    if dry_run == Some("server") {
        return Output::out(format!(
            "daemonset.apps/{name} rolled back (server dry run)\n"
        ));
    }
    if let Some(spec) = ds.spec.as_mut() {
        spec.template = template;
    }
    c.apply_daemon_set(ds);
    c.settle();
    Output::out(format!("daemonset.apps/{name} rolled back\n"))
}
