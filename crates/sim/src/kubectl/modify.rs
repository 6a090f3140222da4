//! kubectl commands that change the cluster: `apply`/`create -f`, `delete`, `taint`, `label`,
//! `cordon`/`uncordon`, `drain`, `set image`, and `rollout status|history`.

use super::args::Args;
use super::{namespace, not_found, unknown_resource, Files, Output, Resource};
use crate::engine::time::Millis;
use crate::engine::{Cluster, Key};
use crate::input::{load_sources, load_sources_for_create, update, Source};
use crate::labels::{label_value_errors, qualified_name_errors};
use crate::placement::taints::TAINT_UNSCHEDULABLE;
use k8s_openapi::api::core::v1::Taint;
use std::fmt::Write;

fn node_exists(c: &Cluster, name: &str) -> Result<(), Output> {
    if c.nodes.contains_key(name) {
        Ok(())
    } else {
        Err(Output::err(not_found(Resource::Nodes, name)))
    }
}

/// `kubectl taint nodes NAME… SPEC…` (rollout.md §10.8).
pub fn taint(c: &mut Cluster, a: &Args) -> Output {
    let Some(kind) = a.positional.first() else {
        return Output::err("error: at least one resource name and one taint must be specified\nSee 'kubectl taint -h' for help and examples");
    };
    let (mut nodes, mut specs): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let mut words = a.positional.clone();
    if let Some((t, n)) = kind.split_once('/') {
        if Resource::parse(t) != Some(Resource::Nodes) {
            return Output::err(format!(
                "error: invalid resource type {t}, only node types are supported"
            ));
        }
        words[0] = n.to_string();
        words.insert(0, "nodes".into());
    } else if Resource::parse(kind) != Some(Resource::Nodes) {
        return Output::err(format!(
            "error: invalid resource type {kind}, only node types are supported"
        ));
    }
    for w in &words[1..] {
        if w.contains(':') || w.ends_with('-') || w.contains('=') {
            specs.push(w.clone());
        } else if specs.is_empty() {
            nodes.push(w.clone());
        } else {
            return Output::err(format!(
                "error: all resources must be specified before taint changes: {w}"
            ));
        }
    }
    if a.has("all") {
        nodes = c.nodes.keys().cloned().collect();
    } else if let Some(sel) = a.value(&["l", "selector"]) {
        match crate::labels::parse_selector(sel) {
            Ok(s) => {
                nodes = c
                    .nodes
                    .iter()
                    .filter(|(_, n)| {
                        s.matches(n.metadata.labels.as_ref().unwrap_or(&Default::default()))
                    })
                    .map(|(k, _)| k.clone())
                    .collect()
            }
            Err(e) => return Output::err(format!("error: {e}")),
        }
    }
    if nodes.is_empty() || specs.is_empty() {
        return Output::err("error: at least one resource name and one taint must be specified\nSee 'kubectl taint -h' for help and examples");
    }
    // Parse: additions `key[=value]:Effect`, removals `key[=value]:Effect-` or `key-`.
    let mut add: Vec<Taint> = Vec::new();
    let mut remove: Vec<(String, Option<String>)> = Vec::new();
    for s in &specs {
        if let Some(r) = s.strip_suffix('-') {
            let (kv, effect) = match r.split_once(':') {
                Some((kv, e)) => (kv, Some(e.to_string())),
                None => (r, None),
            };
            if let Some(e) = &effect {
                if !matches!(e.as_str(), "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                    return Output::err(format!(
                        "error: invalid taint effect: {e}, unsupported taint effect"
                    ));
                }
            }
            let key = kv.split('=').next().unwrap_or("").to_string();
            remove.push((key, effect));
            continue;
        }
        let Some((kv, effect)) = s.split_once(':') else {
            return Output::err(format!("error: invalid taint spec: {s}"));
        };
        if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            return Output::err(format!(
                "error: invalid taint effect: {effect}, unsupported taint effect"
            ));
        }
        let (key, value) = match kv.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (kv, None),
        };
        let mut problems: Vec<String> = qualified_name_errors(key);
        if let Some(v) = value {
            problems.extend(label_value_errors(v));
        }
        if !problems.is_empty() {
            return Output::err(format!(
                "error: invalid taint spec: {s}, {}",
                problems.join("; ")
            ));
        }
        if add.iter().any(|t| t.key == key && t.effect == effect) {
            return Output::err(format!("error: duplicated taints with the same key and effect: [{{{key} {} {effect} <nil>}}]", value.unwrap_or("")));
        }
        add.push(Taint {
            key: key.into(),
            value: value.filter(|v| !v.is_empty()).map(str::to_string),
            effect: effect.into(),
            time_added: None,
        });
    }
    let both: Vec<String> = add
        .iter()
        .filter(|t| {
            remove
                .iter()
                .any(|(k, e)| *k == t.key && e.as_deref().is_none_or(|e| e == t.effect))
        })
        .map(|t| format!("\"{}\":\"{}\"", t.key, t.effect))
        .collect();
    if !both.is_empty() {
        return Output::err(format!("error: can not both modify and remove the following taint(s) in the same command: {{{}}}", both.join(",")));
    }
    let overwrite = a.has("overwrite");
    let mut out = String::new();
    for name in &nodes {
        if let Err(e) = node_exists(c, name) {
            return e;
        }
        let now = c.now;
        let Some(node) = c.nodes.get_mut(name) else {
            continue;
        };
        let spec = node.spec.get_or_insert_with(Default::default);
        let mut taints = spec.taints.clone().unwrap_or_default();
        let before = taints.len();
        for (key, effect) in &remove {
            let len = taints.len();
            taints.retain(|t| !(t.key == *key && effect.as_deref().is_none_or(|e| e == t.effect)));
            if taints.len() == len {
                let what = match effect {
                    Some(e) => format!("{key}:{e}"),
                    None => key.clone(),
                };
                return Output::err(format!("error: taint {what:?} not found"));
            }
        }
        let clash: Vec<String> = add
            .iter()
            .filter(|t| {
                taints
                    .iter()
                    .any(|o| o.key == t.key && o.effect == t.effect)
            })
            .map(|t| t.key.clone())
            .collect();
        if !clash.is_empty() && !overwrite {
            return Output::err(format!("error: node {name} already has {} taint(s) with same effect(s) and --overwrite is false", clash.join(",")));
        }
        for t in &add {
            let mut t = t.clone();
            if t.effect == "NoExecute" {
                t.time_added = Some(crate::engine::time::timestamp(now));
            }
            match taints
                .iter_mut()
                .find(|o| o.key == t.key && o.effect == t.effect)
            {
                Some(o) => *o = t,
                None => taints.push(t),
            }
        }
        let op = if overwrite || (!add.is_empty() && !remove.is_empty()) {
            "modified"
        } else if taints.len() > before {
            "tainted"
        } else {
            "untainted"
        };
        spec.taints = (!taints.is_empty()).then_some(taints);
        let _ = writeln!(out, "node/{name} {op}");
    }
    c.settle();
    Output::out(out)
}

/// `kubectl label nodes NAME k=v … [k-] [--overwrite]`.
pub fn label(c: &mut Cluster, a: &Args) -> Output {
    if a.positional.len() < 2 {
        return Output::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    let (res_word, name, changes) = match a.positional[0].split_once('/') {
        Some((t, n)) => (t.to_string(), n.to_string(), a.positional[1..].to_vec()),
        None => (
            a.positional[0].clone(),
            a.positional[1].clone(),
            a.positional[2..].to_vec(),
        ),
    };
    if Resource::parse(&res_word) != Some(Resource::Nodes) {
        return Output::err(
            "error: the playground labels nodes only (kubectl label nodes NAME key=value)",
        );
    }
    if changes.is_empty() {
        return Output::err("error: at least one label update is required");
    }
    if let Err(e) = node_exists(c, &name) {
        return e;
    }
    let overwrite = a.has("overwrite");
    let Some(node) = c.nodes.get_mut(&name) else {
        return Output::err(not_found(Resource::Nodes, &name));
    };
    let mut labels = node.metadata.labels.clone().unwrap_or_default();
    let mut removed = false;
    for ch in &changes {
        if let Some(k) = ch.strip_suffix('-') {
            removed |= labels.remove(k).is_some();
            continue;
        }
        let Some((k, v)) = ch.split_once('=') else {
            return Output::err(format!(
                "error: at least one label update is required, got {ch:?}"
            ));
        };
        let mut problems = qualified_name_errors(k);
        problems.extend(label_value_errors(v));
        if !problems.is_empty() {
            return Output::err(format!(
                "error: invalid label spec: {ch}, {}",
                problems.join("; ")
            ));
        }
        if let Some(old) = labels.get(k) {
            if !overwrite && old != v {
                return Output::err(format!(
                    "error: '{k}' already has a value ({old}), and --overwrite is false"
                ));
            }
        }
        labels.insert(k.into(), v.into());
    }
    node.metadata.labels = Some(labels);
    c.settle();
    let op = if removed && changes.iter().all(|c| c.ends_with('-')) {
        "unlabeled"
    } else {
        "labeled"
    };
    Output::out(format!("node/{name} {op}\n"))
}

pub(super) fn set_cordon(c: &mut Cluster, name: &str, on: bool) {
    if let Some(n) = c.nodes.get_mut(name) {
        let spec = n.spec.get_or_insert_with(Default::default);
        spec.unschedulable = on.then_some(true);
        let mut taints = spec.taints.clone().unwrap_or_default();
        taints.retain(|t| t.key != TAINT_UNSCHEDULABLE);
        if on {
            taints.push(Taint {
                key: TAINT_UNSCHEDULABLE.into(),
                effect: "NoSchedule".into(),
                value: None,
                time_added: Some(crate::engine::time::timestamp(c.now)),
            });
        }
        spec.taints = (!taints.is_empty()).then_some(taints);
    }
}

pub(super) fn is_cordoned(c: &Cluster, name: &str) -> bool {
    c.nodes
        .get(name)
        .and_then(|n| n.spec.as_ref())
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
}

/// `kubectl cordon NODE` / `kubectl uncordon NODE`.
pub fn cordon(c: &mut Cluster, a: &Args, on: bool) -> Output {
    let Some(name) = a.positional.first().map(|n| {
        n.trim_start_matches("node/")
            .trim_start_matches("nodes/")
            .to_string()
    }) else {
        return Output::err(format!(
            "error: USAGE: {} NODE [flags]\nSee 'kubectl {} -h' for help and examples",
            if on { "cordon" } else { "uncordon" },
            if on { "cordon" } else { "uncordon" }
        ));
    };
    if let Err(e) = node_exists(c, &name) {
        return e;
    }
    let word = if on { "cordoned" } else { "uncordoned" };
    if is_cordoned(c, &name) == on {
        return Output::out(format!("node/{name} already {word}\n"));
    }
    set_cordon(c, &name, on);
    c.settle();
    Output::out(format!("node/{name} {word}\n"))
}

/// `kubectl apply -f FILE` / `kubectl create -f FILE`.
/// The deprecated `--record` flag: the command line, as kubectl stores it in the
/// `kubernetes.io/change-cause` annotation (`parseCommandArguments`: the command and its
/// arguments, then every flag given as ` --name=value`).
fn change_cause(verb: &str, a: &Args) -> Option<String> {
    if !a.has("record") {
        return None;
    }
    let mut s = format!("kubectl {verb}");
    for p in &a.positional {
        s.push(' ');
        s.push_str(p);
    }
    for (name, value) in &a.flags {
        let long = match name.as_str() {
            "n" => "namespace",
            "f" => "filename",
            "o" => "output",
            "l" => "selector",
            n => n,
        };
        let value = if value.is_empty() { "true" } else { value };
        let _ = write!(s, " --{long}={value}");
    }
    Some(s)
}

/// cobra's warning for a deprecated flag.
const RECORD_DEPRECATED: &str =
    "Flag --record has been deprecated, --record will be removed in the future\n";

pub(crate) const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

pub fn apply(c: &mut Cluster, a: &Args, files: Files, create: bool) -> Output {
    let paths = a.values(&["f", "filename"]);
    if paths.is_empty() {
        return Output::err("error: must specify one of -f and -k");
    }
    let mut out = String::new();
    let mut err = String::new();
    let cause = change_cause(if create { "create" } else { "apply" }, a);
    if cause.is_some() {
        err.push_str(RECORD_DEPRECATED);
    }
    for path in paths {
        let text = match files(path) {
            Ok(t) => t,
            Err(e) => {
                let _ = writeln!(err, "error: the path \"{path}\" does not exist ({e})");
                continue;
            }
        };
        let source = [Source::new(path, text)];
        let loaded = if create {
            load_sources_for_create(&source)
        } else {
            load_sources(&source)
        };
        for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
            // kubectl's own refusals (not the API server's) go through cmdutil's `error: `.
            let own = d.message.ends_with(crate::input::GENERATE_NAME_WITH_APPLY);
            let _ = writeln!(err, "{}{}", if own { "error: " } else { "" }, d.message);
        }
        for d in loaded.diagnostics.iter().filter(|d| !d.is_error()) {
            let _ = writeln!(err, "Warning: {}", d.message);
        }
        let mut o = loaded.objects;
        if create {
            name_generated(c, &mut o);
        }
        if let Some(cause) = &cause {
            let metas = o.metadata_mut();
            for m in metas {
                m.annotations
                    .get_or_insert_with(Default::default)
                    .insert(CHANGE_CAUSE.into(), cause.clone());
            }
        }
        let mut lines: Vec<(String, bool)> = Vec::new();
        let existed = |c: &Cluster, r: Resource, ns: &str, name: &str| match r {
            Resource::Nodes => c.nodes.contains_key(name),
            Resource::DaemonSets => c.daemon_sets.contains_key(&(ns.into(), name.into())),
            Resource::Pods => c.pods.contains_key(&(ns.into(), name.into())),
            Resource::PriorityClasses => c.priority_classes.contains_key(name),
            Resource::Namespaces => c.namespaces.contains_key(name),
            Resource::PodDisruptionBudgets => c.pdbs.contains_key(&(ns.into(), name.into())),
            _ => false,
        };
        let mut names: Vec<(Resource, String, String)> = Vec::new();
        names.extend(o.namespaces.iter().map(|x| {
            (
                Resource::Namespaces,
                String::new(),
                x.metadata.name.clone().unwrap_or_default(),
            )
        }));
        names.extend(o.priority_classes.iter().map(|x| {
            (
                Resource::PriorityClasses,
                String::new(),
                x.metadata.name.clone().unwrap_or_default(),
            )
        }));
        names.extend(o.pod_disruption_budgets.iter().map(|x| {
            (
                Resource::PodDisruptionBudgets,
                x.metadata.namespace.clone().unwrap_or_default(),
                x.metadata.name.clone().unwrap_or_default(),
            )
        }));
        names.extend(o.nodes.iter().map(|x| {
            (
                Resource::Nodes,
                String::new(),
                x.metadata.name.clone().unwrap_or_default(),
            )
        }));
        names.extend(o.daemon_sets.iter().map(|x| {
            (
                Resource::DaemonSets,
                x.metadata.namespace.clone().unwrap_or_default(),
                x.metadata.name.clone().unwrap_or_default(),
            )
        }));
        names.extend(o.pods.iter().map(|x| {
            (
                Resource::Pods,
                x.metadata.namespace.clone().unwrap_or_default(),
                x.metadata.name.clone().unwrap_or_default(),
            )
        }));
        let mut skip = Vec::new();
        for (r, ns, name) in &names {
            let was = existed(c, *r, ns, name);
            if let Some(refusal) = refused(c, &o, *r, ns, name, was, path) {
                let _ = writeln!(err, "{refusal}");
                skip.push((*r, ns.clone(), name.clone()));
                continue;
            }
            if create && was {
                let _ = writeln!(err, "Error from server (AlreadyExists): error when creating \"{path}\": {} \"{name}\" already exists", r.plural_group());
                skip.push((*r, ns.clone(), name.clone()));
                continue;
            }
            let verb = if !was {
                "created"
            } else if *r == Resource::DaemonSets && unchanged_ds(c, &o, ns, name) {
                "unchanged"
            } else {
                "configured"
            };
            lines.push((format!("{}/{name} {verb}", r.kind_group()), true));
        }
        let mut objects = o;
        objects.daemon_sets.retain(|d| {
            !skip.iter().any(|(r, ns, n)| {
                *r == Resource::DaemonSets
                    && Some(ns) == d.metadata.namespace.as_ref()
                    && Some(n) == d.metadata.name.as_ref()
            })
        });
        objects.priority_classes.retain(|d| {
            !skip.iter().any(|(r, _, n)| {
                *r == Resource::PriorityClasses && Some(n) == d.metadata.name.as_ref()
            })
        });
        objects.nodes.retain(|d| {
            !skip
                .iter()
                .any(|(r, _, n)| *r == Resource::Nodes && Some(n) == d.metadata.name.as_ref())
        });
        c.apply_objects(&objects);
        for (l, _) in lines {
            let _ = writeln!(out, "{l}");
        }
    }
    let ok = !err
        .lines()
        .any(|l| l.starts_with("error") || l.starts_with("Error") || l.starts_with("The "));
    Output {
        stdout: out,
        stderr: err,
        ok,
    }
}

/// Objects created with only `metadata.generateName` are named by the API server.
fn name_generated(c: &mut Cluster, o: &mut crate::input::Objects) {
    for m in o.metadata_mut() {
        if m.name.as_deref().unwrap_or("").is_empty() {
            if let Some(prefix) = m.generate_name.as_deref() {
                m.name = Some(crate::input::generated_name(prefix, &c.name_suffix()));
            }
        }
    }
}

/// Why the API server refuses this object given what the cluster holds: update validation of an
/// existing DaemonSet or PriorityClass, or the Priority admission plugin's one default class
/// (see `input::update`). The line is as kubectl prints it.
fn refused(
    c: &Cluster,
    o: &crate::input::Objects,
    r: Resource,
    ns: &str,
    name: &str,
    was: bool,
    path: &str,
) -> Option<String> {
    let invalid = |kind: &str, causes: Vec<String>| match causes.len() {
        0 => None,
        1 => Some(format!("The {kind} {name:?} is invalid: {}", causes[0])),
        _ => Some(format!(
            "The {kind} {name:?} is invalid: [{}]",
            causes.join(", ")
        )),
    };
    match r {
        Resource::DaemonSets if was => {
            let old = c.daemon_sets.get(&(ns.to_string(), name.to_string()))?;
            let new = o.daemon_sets.iter().find(|d| {
                d.metadata.name.as_deref() == Some(name)
                    && d.metadata.namespace.as_deref() == Some(ns)
            })?;
            invalid("DaemonSet", update::daemon_set_update(old, new))
        }
        Resource::PriorityClasses => {
            let new = o
                .priority_classes
                .iter()
                .find(|p| p.metadata.name.as_deref() == Some(name))?;
            if was {
                let old = c.priority_classes.get(name)?;
                if let Some(line) =
                    invalid("PriorityClass", update::priority_class_update(old, new))
                {
                    return Some(line);
                }
            }
            let why = update::global_default_conflict(c.priority_classes.values(), new)?;
            Some(crate::input::forbidden_on_create(
                Some(path),
                "priorityclasses.scheduling.k8s.io",
                name,
                &why,
            ))
        }
        _ => None,
    }
}

fn unchanged_ds(c: &Cluster, o: &crate::input::Objects, ns: &str, name: &str) -> bool {
    let Some(old) = c.daemon_sets.get(&(ns.to_string(), name.to_string())) else {
        return false;
    };
    let Some(new) = o
        .daemon_sets
        .iter()
        .find(|d| d.metadata.name.as_deref() == Some(name))
    else {
        return false;
    };
    serde_json::to_value(&old.spec).ok() == serde_json::to_value(&new.spec).ok()
        && old.metadata.labels == new.metadata.labels
}

/// `kubectl set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE…` (rollout.md §10.2).
pub fn set(c: &mut Cluster, a: &Args) -> Output {
    if a.positional.first().map(String::as_str) != Some("image") {
        return Output::err("error: the playground supports kubectl set image");
    }
    let rest = &a.positional[1..];
    let (res_word, name, pairs) = match rest.first() {
        Some(w) if w.contains('/') => {
            let (t, n) = w.split_once('/').unwrap_or_default();
            (t.to_string(), n.to_string(), rest[1..].to_vec())
        }
        Some(w) if rest.len() >= 2 && !rest[1].contains('=') => (w.clone(), rest[1].clone(), rest[2..].to_vec()),
        _ => return Output::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>"),
    };
    let Some(r) = Resource::parse(&res_word) else {
        return unknown_resource(&res_word);
    };
    if pairs.is_empty() {
        return Output::err("error: at least one image update is required");
    }
    if r != Resource::DaemonSets {
        return Output::err("error: the playground sets images on DaemonSets (kubectl set image daemonset/NAME CONTAINER=IMAGE)");
    }
    let ns = namespace(a);
    let key = (ns, name.clone());
    let Some(mut ds) = c.daemon_sets.get(&key).cloned() else {
        return Output::err(not_found(Resource::DaemonSets, &name));
    };
    let Some(spec) = ds.spec.as_mut().and_then(|s| s.template.spec.as_mut()) else {
        return Output::err(not_found(Resource::DaemonSets, &name));
    };
    if pairs.len() > 1 && pairs.iter().any(|p| p.starts_with("*=")) {
        return Output::err("error: all containers are already specified by *, but saw more than one container_name=container_image pairs");
    }
    let mut changed = false;
    for p in &pairs {
        let Some((container, image)) = p.split_once('=') else {
            return Output::err("error: at least one image update is required");
        };
        let mut found = false;
        for ctr in spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut().flatten())
        {
            if container == "*" || ctr.name == container {
                found = true;
                if ctr.image.as_deref() != Some(image) {
                    ctr.image = Some(image.to_string());
                    changed = true;
                }
            }
        }
        if !found {
            return Output::err(format!(
                "error: unable to find container named \"{container}\""
            ));
        }
    }
    let cause = change_cause("set", a);
    let warning = if cause.is_some() {
        RECORD_DEPRECATED
    } else {
        ""
    };
    // The recorded command is part of the patch: with --record, only an identical earlier
    // record leaves the patch empty.
    if let Some(cause) = cause {
        let annotations = ds.metadata.annotations.get_or_insert_with(Default::default);
        if annotations.get(CHANGE_CAUSE) != Some(&cause) {
            annotations.insert(CHANGE_CAUSE.into(), cause);
            changed = true;
        }
    }
    if !changed {
        return Output {
            stderr: warning.into(),
            ..Output::default_ok()
        };
    }
    c.apply_daemon_set(ds);
    c.settle();
    Output {
        stdout: format!("daemonset.apps/{name} image updated\n"),
        stderr: warning.into(),
        ok: true,
    }
}

impl Output {
    fn default_ok() -> Output {
        Output {
            stdout: String::new(),
            stderr: String::new(),
            ok: true,
        }
    }
}

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

/// `kubectl scale`: a DaemonSet has no scale subresource, so the server answers NotFound for it
/// (the DaemonSet itself must exist first).
pub fn scale(c: &mut Cluster, a: &Args) -> Output {
    let (t, name) = match a.positional.first().map(|w| w.split_once('/')) {
        Some(Some((t, n))) => (t.to_string(), n.to_string()),
        _ => (
            a.positional.first().cloned().unwrap_or_default(),
            a.positional.get(1).cloned().unwrap_or_default(),
        ),
    };
    if a.value(&["replicas"]).is_none() {
        return Output::err("error: required flag(s) \"replicas\" not set");
    }
    match Resource::parse(&t) {
        Some(Resource::DaemonSets) => {
            if c.daemon_sets.contains_key(&(namespace(a), name.clone())) {
                Output::err("Error from server (NotFound): the server could not find the requested resource")
            } else {
                Output::err(not_found(Resource::DaemonSets, &name))
            }
        }
        Some(r) => Output::err(format!(
            "error: {} cannot be scaled in the playground",
            r.plural_group()
        )),
        None => unknown_resource(&t),
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
/// template replaces the current one; the controller then renumbers that revision to the top.
/// `kubectl rollout undo` (DaemonSetRollbacker in polymorphichelpers/rollback.go). A client dry
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
