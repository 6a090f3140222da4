//! `kubectl apply -f` and `kubectl create -f`, after kubectl's `cmd/apply` and `cmd/create`.

use super::args::Args;
use super::{Files, Output, Resource};
use crate::engine::Cluster;
use crate::input::{load_sources, load_sources_for_create, update, Source};
use std::fmt::Write;

/// The deprecated `--record` flag: the command line, as kubectl stores it in the
/// `kubernetes.io/change-cause` annotation (`parseCommandArguments`: the command and its
/// arguments, then every flag given as ` --name=value`).
pub(super) fn change_cause(verb: &str, a: &Args) -> Option<String> {
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
pub(super) const RECORD_DEPRECATED: &str =
    "Flag --record has been deprecated, --record will be removed in the future\n";

pub(crate) const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// `kubectl apply -f FILE` / `kubectl create -f FILE`.
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
        let names = super::objects_named(&o);
        // Each object's configuration as given, computed once: the *modified* of the merge and
        // what is recorded as last applied.
        let mut configs = super::merge::configs(&o, true);
        let mut plans = vec![super::merge::Plan::Keep; names.len()];
        for (i, (r, ns, name)) in names.iter().enumerate() {
            let was = super::object_exists(c, *r, ns, name);
            if let Some(refusal) = refused(c, &o, *r, ns, name, was, path) {
                let _ = writeln!(err, "{refusal}");
                plans[i] = super::merge::Plan::Drop;
                continue;
            }
            if create && was {
                let _ = writeln!(err, "Error from server (AlreadyExists): error when creating \"{path}\": {} \"{name}\" already exists", r.plural_group());
                plans[i] = super::merge::Plan::Drop;
                continue;
            }
            if !was {
                lines.push((format!("{}/{name} created", r.kind_group()), true));
                continue;
            }
            // An object that exists is patched: the three-way merge of the last applied
            // configuration, this one and the live object (kubectl's patcher.go).
            let Some(current) = super::merge::live_json(c, *r, ns, name) else {
                lines.push((format!("{}/{name} configured", r.kind_group()), true));
                continue;
            };
            let key = (r.kind_group().to_string(), ns.clone(), name.clone());
            let original = c.last_applied.get(&key).cloned();
            if original.is_none() {
                // apply.go's warnNoLastApplied, for objects made by kubectl create (without
                // --save-config), edit or a controller.
                let plural = r.plural_group().split('.').next().unwrap_or_default();
                let _ = writeln!(err, "Warning: resource {plural}/{name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.");
            }
            let (merged, changed) =
                super::merge::three_way(original.as_deref(), &configs[i], &current);
            // The patch also carries the new last-applied annotation: it is empty only when the
            // configuration is the one applied last (without one, kubectl says configured after
            // its warning).
            if !changed && original.as_deref() == Some(&configs[i]) {
                lines.push((format!("{}/{name} unchanged", r.kind_group()), true));
                plans[i] = super::merge::Plan::Drop;
                continue;
            }
            plans[i] = super::merge::Plan::Patched(merged);
            lines.push((format!("{}/{name} configured", r.kind_group()), true));
        }
        let nodes = o.nodes.len();
        c.apply_objects(&super::merge::rebuild(o, &plans));
        // kubectl create keeps the configuration only with --save-config. A refused object
        // keeps none; an unchanged one already has this one.
        if !create || a.has("save-config") {
            let applied = names
                .iter()
                .zip(configs.iter_mut().map(std::mem::take))
                .zip(&plans)
                .filter(|(_, p)| !matches!(p, super::merge::Plan::Drop))
                .map(|(nc, _)| nc);
            super::merge::record_applied(c, applied, nodes);
        }
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
pub(super) fn refused(
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
