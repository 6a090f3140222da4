//! What the playground shows, computed from what the user typed and toggled.
//!
//! The web app and the JS API hold texts and toggles; this module turns them into a [`View`]: the
//! explain report plus a card model per node. A taint toggle is an overlay on the typed text: an
//! unticked taint is removed from the node before placement runs, as
//! `kubectl taint nodes <node> <taint>-` would, and the text itself is left as the user wrote it.

use crate::diag::Diagnostic;
use crate::explain::{explain, Report};
use crate::input::{load_sources, Source};
use crate::placement::resources::{self, format_amount};
use crate::placement::taints::taint_string;
use serde::Serialize;
use std::collections::BTreeSet;

/// A taint the user switched off: node name and the taint as `key=value:Effect`.
pub type TaintOff = (String, String);

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaintView {
    /// `key=value:Effect`, also the toggle's accessible name.
    pub text: String,
    pub effect: String,
    pub enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeView {
    pub name: String,
    /// `control-plane` when the node has a node-role label for it, else `worker`.
    pub role: String,
    pub labels: Vec<(String, String)>,
    pub taints: Vec<TaintView>,
    pub unschedulable: bool,
    /// `cpu`, `memory`, `pods` (and extended resources), formatted for people.
    pub allocatable: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct View {
    pub report: Report,
    pub nodes: Vec<NodeView>,
}

impl View {
    /// Diagnostics that came from the named source (an editor).
    pub fn diagnostics_for<'a>(
        &'a self,
        source: &'a str,
    ) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        self.report
            .diagnostics
            .iter()
            .filter(move |d| d.source.as_deref() == Some(source))
    }
}

/// A simulation of what the editors hold (taints switched off as on the cards), for the console:
/// each source is also a file that `kubectl apply -f NAME.yaml` can read.
pub fn console_session(
    sources: &[Source],
    taints_off: &BTreeSet<TaintOff>,
) -> crate::session::Session {
    let mut loaded = load_sources(sources);
    for n in &mut loaded.objects.nodes {
        let name = n.metadata.name.clone().unwrap_or_default();
        if let Some(taints) = n.spec.as_mut().and_then(|s| s.taints.as_mut()) {
            taints.retain(|t| !taints_off.contains(&(name.clone(), taint_string(t))));
        }
    }
    let mut session = crate::session::Session::new(&loaded.objects);
    for s in sources {
        if let Some(name) = &s.name {
            session.files.insert(format!("{name}.yaml"), s.text.clone());
        }
    }
    session
}

/// Load the sources, switch off the given taints, explain.
pub fn evaluate(sources: &[Source], taints_off: &BTreeSet<TaintOff>) -> View {
    let mut loaded = load_sources(sources);
    let mut nodes = Vec::new();
    for n in &mut loaded.objects.nodes {
        let name = n.metadata.name.clone().unwrap_or_default();
        let mut views = Vec::new();
        if let Some(spec) = n.spec.as_mut() {
            if let Some(taints) = spec.taints.as_mut() {
                for t in taints.iter() {
                    let text = taint_string(t);
                    views.push(TaintView {
                        enabled: !taints_off.contains(&(name.clone(), text.clone())),
                        effect: t.effect.clone(),
                        text,
                    });
                }
                taints.retain(|t| !taints_off.contains(&(name.clone(), taint_string(t))));
            }
        }
        let labels: Vec<(String, String)> = n
            .metadata
            .labels
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let role = if labels.iter().any(|(k, _)| {
            k == "node-role.kubernetes.io/control-plane" || k == "node-role.kubernetes.io/master"
        }) {
            "control-plane"
        } else {
            "worker"
        };
        let allocatable = resources::node_allocatable(n)
            .into_iter()
            .filter(|(_, v)| *v != 0)
            .map(|(k, v)| (format_amount(&k, v), k))
            .map(|(v, k)| (k, v))
            .collect();
        nodes.push(NodeView {
            name,
            role: role.to_string(),
            labels,
            taints: views,
            unschedulable: n
                .spec
                .as_ref()
                .and_then(|s| s.unschedulable)
                .unwrap_or(false),
            allocatable,
        });
    }
    let mut report = explain(&loaded.objects);
    let mut diags = loaded.diagnostics;
    diags.append(&mut report.diagnostics);
    report.diagnostics = diags;
    View { report, nodes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Outcome;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, namespace: default}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers: [{name: c, image: busybox:1.36}]\n";
    const NODE: &str = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nspec:\n  taints: [{key: dedicated, value: infra, effect: NoSchedule}]\nstatus:\n  allocatable: {cpu: '2', memory: 4Gi, pods: '110'}\n";

    fn sources() -> Vec<Source> {
        vec![Source::new("workloads", DS), Source::new("cluster", NODE)]
    }

    #[test]
    fn the_console_runs_kubectl_on_what_the_editors_hold() {
        let off: BTreeSet<TaintOff> =
            [("n1".to_string(), "dedicated=infra:NoSchedule".to_string())].into();
        let mut s = console_session(&sources(), &off);
        let out = s.exec("kubectl get ds");
        let row: Vec<&str> = out
            .stdout
            .lines()
            .nth(1)
            .unwrap()
            .split_whitespace()
            .collect();
        assert_eq!(
            row,
            ["a", "1", "1", "0", "1", "0", "<none>", "0s"],
            "the unticked taint does not block"
        );
        let out = s.exec("kubectl apply -f cluster.yaml");
        assert_eq!(out.stdout, "node/n1 configured\n");
    }

    #[test]
    fn an_unticked_taint_no_longer_blocks_placement() {
        let on = evaluate(&sources(), &BTreeSet::new());
        assert_eq!(
            on.report.daemon_sets[0].nodes[0].outcome,
            Outcome::NotEligible
        );
        assert!(on.nodes[0].taints[0].enabled);
        let off: BTreeSet<TaintOff> =
            [("n1".to_string(), "dedicated=infra:NoSchedule".to_string())].into();
        let view = evaluate(&sources(), &off);
        assert_eq!(
            view.report.daemon_sets[0].nodes[0].outcome,
            Outcome::Running
        );
        assert!(
            !view.nodes[0].taints[0].enabled,
            "the toggle still shows, unticked"
        );
        assert_eq!(
            view.nodes[0].allocatable[0],
            ("cpu".to_string(), "2".to_string())
        );
    }
}
