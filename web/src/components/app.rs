//! The page: the editors on one side, the DaemonSets and the node grid on the other.

use super::console::Console;
use super::editor::Editor;
use super::node_card::NodeCard;
use super::summary::Summary;
use crate::state::{Action, Playground, CLUSTER, WORKLOADS};
use yew::prelude::*;

#[component]
pub fn App() -> Html {
    let state = use_reducer(Playground::restore);
    let view = state.view.clone();

    let on_workloads = {
        let s = state.dispatcher();
        Callback::from(move |t: String| s.dispatch(Action::EditWorkloads(t)))
    };
    let on_cluster = {
        let s = state.dispatcher();
        Callback::from(move |t: String| s.dispatch(Action::EditCluster(t)))
    };
    let on_toggle = {
        let s = state.dispatcher();
        Callback::from(move |(node, taint): (String, String)| {
            s.dispatch(Action::ToggleTaint { node, taint })
        })
    };
    let on_select = {
        let s = state.dispatcher();
        Callback::from(move |i: usize| s.dispatch(Action::SelectDaemonSet(i)))
    };
    let on_run = {
        let s = state.dispatcher();
        Callback::from(move |line: String| s.dispatch(Action::RunCommand(line)))
    };
    let on_reset = {
        let s = state.dispatcher();
        Callback::from(move |_: MouseEvent| s.dispatch(Action::ResetToExample))
    };

    let workload_diags: Vec<_> = view.diagnostics_for(WORKLOADS).cloned().collect();
    let cluster_diags: Vec<_> = view.diagnostics_for(CLUSTER).cloned().collect();
    let other_diags: Vec<_> = view
        .report
        .diagnostics
        .iter()
        .filter(|d| d.source.is_none())
        .cloned()
        .collect();
    let selected = view.report.daemon_sets.get(state.selected);
    let cards: Html = view
        .nodes
        .iter()
        .map(|n| {
            let verdict = selected.and_then(|d| d.nodes.iter().find(|r| r.node == n.name)).cloned();
            html! { <NodeCard key={n.name.clone()} node={n.clone()} {verdict} on_toggle_taint={on_toggle.clone()} /> }
        })
        .collect();
    let heading = match selected {
        Some(d) => format!("Nodes — placement of DaemonSet {}/{}", d.namespace, d.name),
        None => "Nodes".to_string(),
    };

    html! {
        <>
            <header class="top">
                <h1>{ "DaemonSet Playground" }</h1>
                <p class="tagline">{ "Where do a DaemonSet's pods land, and why not elsewhere — decided as Kubernetes 1.35 decides it." }</p>
                <button type="button" class="reset" onclick={on_reset}>{ "Reset to example" }</button>
            </header>
            <main class="layout">
                <div class="editors">
                    <Editor id="workloads" label="Workloads (DaemonSets, PriorityClasses, Pods)"
                        value={state.workloads.clone()} diagnostics={workload_diags} on_change={on_workloads} />
                    <Editor id="cluster" label="Cluster (Nodes, Namespaces)"
                        value={state.cluster.clone()} diagnostics={cluster_diags} on_change={on_cluster} />
                </div>
                <div class="results">
                    <Summary daemon_sets={view.report.daemon_sets.clone()} selected={state.selected} {on_select} input_has_errors={view.report.has_errors()} />
                    if !other_diags.is_empty() {
                        <ul class="diagnostics cluster-warnings" aria-label="cluster warnings">
                            { for other_diags.iter().map(|d| html! {
                                <li class={if d.is_error() { "diag diag-error" } else { "diag diag-warning" }}>
                                    <span class="diag-msg">{ d.message.clone() }</span>
                                    if let Some(h) = &d.hint { <span class="diag-hint">{ h.clone() }</span> }
                                </li>
                            }) }
                        </ul>
                    }
                    <h2 class="grid-title">{ heading }</h2>
                    <div class="node-grid">{ cards }</div>
                    <Console console={state.console.clone()} {on_run} />
                </div>
            </main>
        </>
    }
}
