//! The kubectl layer: parse a kubectl command line, run it against the simulated cluster and
//! print what kubectl 1.35 prints, errors included. Shared by `dsim run` and the web console.
//!
//! Mirrors `staging/src/k8s.io/kubectl/pkg/cmd/{get,taint,label,drain,apply,delete,set}` and the
//! table printers of `pkg/printers/internalversion/printers.go`.

pub(crate) mod apply;
pub mod args;
pub mod complete;
mod cordon;
mod delete;
mod describe;
mod drain;
pub mod edit;
mod flags;
pub(crate) mod get;
mod label;
pub(crate) mod merge;
pub(crate) mod rollout;
mod scale;
mod set;
mod taint;

use crate::engine::Cluster;
use args::{split_words, Args};

/// What a command printed, and whether it succeeded (kubectl's exit code 0).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub ok: bool,
}

impl Output {
    pub fn out(s: impl Into<String>) -> Output {
        Output {
            stdout: s.into(),
            stderr: String::new(),
            ok: true,
        }
    }

    pub fn err(s: impl Into<String>) -> Output {
        let mut e: String = s.into();
        if !e.ends_with('\n') {
            e.push('\n');
        }
        Output {
            stdout: String::new(),
            stderr: e,
            ok: false,
        }
    }

    /// Both streams as a terminal shows them. Warnings come first: kubectl prints a flag's
    /// deprecation when it parses the flags (cobra's `Flag --x has been deprecated, …`) and the
    /// API server's warnings as each request returns (`Warning: …`), before the result line of
    /// the object they are about; errors come after the results.
    pub fn text(&self) -> String {
        let is_warning = |l: &&str| l.starts_with("Warning: ") || l.starts_with("Flag --");
        let (warnings, errors): (Vec<&str>, Vec<&str>) = self.stderr.lines().partition(is_warning);
        let mut t = String::new();
        for w in warnings {
            t.push_str(w);
            t.push('\n');
        }
        t.push_str(&self.stdout);
        for e in errors {
            t.push_str(e);
            t.push('\n');
        }
        t
    }
}

/// Reads the file behind `-f PATH` (the caller decides what a path means: disk, editor tabs).
pub type Files<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// The resource kinds kubectl can name here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Resource {
    Nodes,
    DaemonSets,
    Pods,
    PriorityClasses,
    ControllerRevisions,
    Events,
    Namespaces,
    PodDisruptionBudgets,
}

impl Resource {
    pub fn parse(word: &str) -> Option<Resource> {
        let w = word.to_ascii_lowercase();
        let base = w.split('.').next().unwrap_or("");
        Some(match base {
            "nodes" | "node" | "no" => Resource::Nodes,
            "daemonsets" | "daemonset" | "ds" => Resource::DaemonSets,
            "pods" | "pod" | "po" => Resource::Pods,
            "priorityclasses" | "priorityclass" | "pc" => Resource::PriorityClasses,
            "controllerrevisions" | "controllerrevision" => Resource::ControllerRevisions,
            "events" | "event" | "ev" => Resource::Events,
            "namespaces" | "namespace" | "ns" => Resource::Namespaces,
            "poddisruptionbudgets" | "poddisruptionbudget" | "pdb" => {
                Resource::PodDisruptionBudgets
            }
            _ => return None,
        })
    }

    /// `resource.group` as API errors print it (`daemonsets.apps`).
    pub fn plural_group(self) -> &'static str {
        match self {
            Resource::Nodes => "nodes",
            Resource::DaemonSets => "daemonsets.apps",
            Resource::Pods => "pods",
            Resource::PriorityClasses => "priorityclasses.scheduling.k8s.io",
            Resource::ControllerRevisions => "controllerrevisions.apps",
            Resource::Events => "events",
            Resource::Namespaces => "namespaces",
            Resource::PodDisruptionBudgets => "poddisruptionbudgets.policy",
        }
    }

    /// `kind.group` as `-o name` and success messages print it (`daemonset.apps`).
    pub fn kind_group(self) -> &'static str {
        match self {
            Resource::Nodes => "node",
            Resource::DaemonSets => "daemonset.apps",
            Resource::Pods => "pod",
            Resource::PriorityClasses => "priorityclass.scheduling.k8s.io",
            Resource::ControllerRevisions => "controllerrevision.apps",
            Resource::Events => "event",
            Resource::Namespaces => "namespace",
            Resource::PodDisruptionBudgets => "poddisruptionbudget.policy",
        }
    }

    pub fn namespaced(self) -> bool {
        matches!(
            self,
            Resource::DaemonSets
                | Resource::Pods
                | Resource::ControllerRevisions
                | Resource::Events
                | Resource::PodDisruptionBudgets
        )
    }
}

pub(crate) fn not_found(res: Resource, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} \"{name}\" not found",
        res.plural_group()
    )
}

pub(crate) fn unknown_resource(word: &str) -> Output {
    Output::err(format!(
        "error: the server doesn't have a resource type \"{word}\""
    ))
}

/// The resources a command names, as kubectl's resource builder reads its arguments.
pub(crate) enum ResourceArgs {
    /// `TYPE/NAME …`.
    Named(Vec<(Resource, String)>),
    /// `TYPE[,TYPE…] [NAME …]`: every name of every type.
    Typed(Vec<Resource>, Vec<String>),
}

/// Read `TYPE/NAME …` or `TYPE[,TYPE…] [NAME …]`; Err: kubectl's error for an unknown type or a
/// type given apart from `TYPE/NAME` words.
pub(crate) fn resource_args(words: &[String]) -> Result<ResourceArgs, Output> {
    let Some(first) = words.first() else {
        return Ok(ResourceArgs::Typed(Vec::new(), Vec::new()));
    };
    if first.contains('/') {
        let mut named = Vec::new();
        for w in words {
            let Some((t, n)) = w.split_once('/') else {
                return Err(Output::err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"));
            };
            let r = Resource::parse(t).ok_or_else(|| unknown_resource(t))?;
            named.push((r, n.to_string()));
        }
        return Ok(ResourceArgs::Named(named));
    }
    let types = first
        .split(',')
        .map(|t| Resource::parse(t).ok_or_else(|| unknown_resource(t)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ResourceArgs::Typed(types, words[1..].to_vec()))
}

/// The objects a manifest holds, as (type, namespace — "" for cluster-scoped kinds —, name), in
/// the order apply creates them: namespaces, PriorityClasses, budgets, nodes, DaemonSets, pods.
pub(crate) fn objects_named(o: &crate::input::Objects) -> Vec<(Resource, String, String)> {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    let named = |r: Resource, m: &ObjectMeta| {
        let ns = if r.namespaced() {
            m.namespace.clone().unwrap_or_default()
        } else {
            String::new()
        };
        (r, ns, m.name.clone().unwrap_or_default())
    };
    let mut out = Vec::new();
    out.extend(
        o.namespaces
            .iter()
            .map(|x| named(Resource::Namespaces, &x.metadata)),
    );
    out.extend(
        o.priority_classes
            .iter()
            .map(|x| named(Resource::PriorityClasses, &x.metadata)),
    );
    out.extend(
        o.pod_disruption_budgets
            .iter()
            .map(|x| named(Resource::PodDisruptionBudgets, &x.metadata)),
    );
    out.extend(o.nodes.iter().map(|x| named(Resource::Nodes, &x.metadata)));
    out.extend(
        o.daemon_sets
            .iter()
            .map(|x| named(Resource::DaemonSets, &x.metadata)),
    );
    out.extend(o.pods.iter().map(|x| named(Resource::Pods, &x.metadata)));
    out
}

/// Whether the cluster holds the object (`ns` is ignored for cluster-scoped kinds).
pub(crate) fn object_exists(c: &Cluster, r: Resource, ns: &str, name: &str) -> bool {
    let key = || (ns.to_string(), name.to_string());
    match r {
        Resource::Nodes => c.nodes.contains_key(name),
        Resource::DaemonSets => c.daemon_sets.contains_key(&key()),
        Resource::Pods => c.pods.contains_key(&key()),
        Resource::PriorityClasses => c.priority_classes.contains_key(name),
        Resource::Namespaces => c.namespaces.contains_key(name),
        Resource::PodDisruptionBudgets => c.pdbs.contains_key(&key()),
        Resource::ControllerRevisions => c.revisions.contains_key(&key()),
        Resource::Events => false,
    }
}

/// The objects of the cluster a user writes manifests for, in [`objects_named`]'s form: nodes,
/// DaemonSets, pods no controller owns, PriorityClasses and namespaces the cluster did not come
/// with, PodDisruptionBudgets.
pub(crate) fn user_objects(c: &Cluster) -> Vec<(Resource, String, String)> {
    let built_in_ns = ["default", "kube-system", "kube-public", "kube-node-lease"];
    let mut out: Vec<(Resource, String, String)> = Vec::new();
    out.extend(
        c.namespaces
            .keys()
            .filter(|n| !built_in_ns.contains(&n.as_str()))
            .map(|n| (Resource::Namespaces, String::new(), n.clone())),
    );
    out.extend(
        c.priority_classes
            .keys()
            .filter(|n| !n.starts_with("system-"))
            .map(|n| (Resource::PriorityClasses, String::new(), n.clone())),
    );
    out.extend(
        c.pdbs
            .keys()
            .map(|(ns, n)| (Resource::PodDisruptionBudgets, ns.clone(), n.clone())),
    );
    out.extend(
        c.nodes
            .keys()
            .map(|n| (Resource::Nodes, String::new(), n.clone())),
    );
    out.extend(
        c.daemon_sets
            .keys()
            .map(|(ns, n)| (Resource::DaemonSets, ns.clone(), n.clone())),
    );
    out.extend(
        c.pods
            .iter()
            .filter(|(_, p)| crate::engine::controller_of(&p.metadata).is_none())
            .map(|((ns, n), _)| (Resource::Pods, ns.clone(), n.clone())),
    );
    out
}

/// NotFound for a node name, as the API server answers a Get.
pub(crate) fn node_exists(c: &Cluster, name: &str) -> Result<(), Output> {
    if c.nodes.contains_key(name) {
        Ok(())
    } else {
        Err(Output::err(not_found(Resource::Nodes, name)))
    }
}

/// The namespace a command works in: `-n`, else `default`.
pub(crate) fn namespace(a: &Args) -> String {
    a.value(&["n", "namespace"])
        .unwrap_or("default")
        .to_string()
}

/// Run one kubectl command line (with or without the leading `kubectl`).
pub fn run(c: &mut Cluster, line: &str, files: Files) -> Output {
    let words = match split_words(line) {
        Ok(w) => w,
        Err(e) => return Output::err(format!("error: {e}")),
    };
    let words: &[String] = match words.first().map(String::as_str) {
        Some("kubectl") => &words[1..],
        _ => &words,
    };
    let a = match Args::parse(words) {
        Ok(a) => a,
        Err(e) => {
            // The command the flag belongs to, as cobra names it in its hint.
            let mut path: Vec<&str> = words
                .iter()
                .map(String::as_str)
                .take_while(|w| !w.starts_with('-'))
                .take(2)
                .collect();
            if !matches!(path.first(), Some(&"rollout" | &"set")) {
                path.truncate(1);
            }
            let path = if path.is_empty() {
                String::new()
            } else {
                format!(" {}", path.join(" "))
            };
            return Output::err(format!("error: {e}\nSee 'kubectl{path} --help' for usage."));
        }
    };
    let Some(verb) = a.positional.first().cloned() else {
        return Output::err("error: you must specify a command: kubectl <command> [flags]\nSee 'kubectl --help' for usage.");
    };
    let rest = a.with_positional(a.positional[1..].to_vec());
    let path = match (verb.as_str(), rest.positional.first()) {
        ("rollout" | "set", Some(sub)) => format!("{verb} {sub}"),
        _ => verb.clone(),
    };
    if let Err(o) = flags::check(&path, &rest) {
        return o;
    }
    match verb.as_str() {
        "get" => get::get(c, &rest),
        "describe" => describe::describe(c, &rest),
        "taint" => taint::taint(c, &rest),
        "label" => label::label(c, &rest),
        "cordon" => cordon::cordon(c, &rest, true),
        "uncordon" => cordon::cordon(c, &rest, false),
        "drain" => drain::drain(c, &rest),
        "delete" => delete::delete(c, &rest, files),
        "apply" => apply::apply(c, &rest, files, false),
        "create" => apply::apply(c, &rest, files, true),
        "set" => set::set(c, &rest),
        "rollout" => rollout::rollout(c, &rest),
        "edit" => edit::edit(c, &rest, files),
        "scale" => scale::scale(c, &rest),
        "version" => Output::out("Client Version: v1.35.0\nKustomize Version: v5.7.1\nServer Version: v1.35.0 (DaemonSet Playground)\n"),
        other => Output::err(format!("error: unknown command \"{other}\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\tdescribe\n\tapply\n\ttaint\nRun 'kubectl --help' for usage.")),
    }
}

#[cfg(test)]
mod tests;
