//! The nodes: a toolbar (search, filter, add a node), the selected node's explanation and forms,
//! a legend, and the grid of cards — shown a page at a time, so clusters of thousands of nodes
//! stay quick.

use super::node_card::{badge, NodeCard};
use crate::state::{Action, Dispatch};
use sim::explain::NodeReport;
use sim::playground::view::{LiveView, NodeExplanation};
use sim::playground::{actions, Playground};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Cards per page.
pub const PAGE: usize = 60;

#[derive(Properties)]
pub struct NodesProps {
    pub view: Rc<LiveView>,
    pub selected_ds: usize,
    pub selected_node: Option<String>,
    pub explanation: Rc<Vec<NodeExplanation>>,
    pub disabled: bool,
    pub version: u64,
    pub model: Rc<RefCell<Playground>>,
    pub dispatch: Dispatch,
}

impl PartialEq for NodesProps {
    fn eq(&self, o: &Self) -> bool {
        self.version == o.version
            && self.selected_ds == o.selected_ds
            && self.selected_node == o.selected_node
            && self.disabled == o.disabled
            && Rc::ptr_eq(&self.view, &o.view)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Show {
    All,
    Problems,
    WithoutPod,
    Unavailable,
    Tainted,
}

fn input_value(e: &InputEvent) -> String {
    super::target_value(e).unwrap_or_default()
}

#[component]
pub fn Nodes(p: &NodesProps) -> Html {
    let query = use_state(String::new);
    let show = use_state(|| Show::All);
    let pages = use_state(|| 1usize);
    let d = &p.dispatch;
    let ds = p
        .view
        .daemon_sets
        .get(p.selected_ds)
        .map(|d| format!("{}/{}", d.namespace, d.name));

    let matching: Vec<_> = p
        .view
        .nodes
        .iter()
        .filter(|n| n.matches(&query))
        .filter(|n| match *show {
            Show::All => true,
            Show::Problems => n.pods.iter().any(|p| {
                use sim::playground::view::PodStage::*;
                matches!(p.stage, Pending | Failing)
            }),
            Show::WithoutPod => badge(n, ds.as_deref()).0 == "no pod",
            Show::Unavailable => n.unschedulable || n.ready != "True",
            Show::Tainted => n.taints.iter().any(|t| t.enabled),
        })
        .collect();
    let total = matching.len();
    let limit = *pages * PAGE;
    let cards: Html = matching
        .iter()
        .take(limit)
        .map(|n| {
            html! {
                <NodeCard key={n.name.clone()} card={(*n).clone()} daemon_set={ds.clone()}
                    selected={p.selected_node.as_deref() == Some(n.name.as_str())}
                    disabled={p.disabled} dispatch={d.clone()} />
            }
        })
        .collect();

    let on_query = {
        let query = query.clone();
        let pages = pages.clone();
        Callback::from(move |e: InputEvent| {
            query.set(input_value(&e));
            pages.set(1);
        })
    };
    let on_show = {
        let show = show.clone();
        Callback::from(move |e: Event| {
            let v = super::target_value(&e).unwrap_or_default();
            show.set(match v.as_str() {
                "problems" => Show::Problems,
                "without" => Show::WithoutPod,
                "unavailable" => Show::Unavailable,
                "tainted" => Show::Tainted,
                _ => Show::All,
            });
        })
    };
    let add = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::AddNode { like: None }))
    };
    let more = {
        let pages = pages.clone();
        Callback::from(move |_: MouseEvent| pages.set(*pages + 1))
    };
    let heading = match &ds {
        Some(ds) => format!("Nodes ({}) — badges show {ds}", p.view.nodes.len()),
        None => format!("Nodes ({})", p.view.nodes.len()),
    };

    html! {
        <section class="nodes" aria-label="nodes">
            <div class="nodes-bar">
                <h2>{ heading }</h2>
                <input type="search" aria-label="Filter nodes" placeholder="name, label key or key=value"
                    value={(*query).clone()} oninput={on_query} />
                <select aria-label="Show nodes" onchange={on_show}>
                    { for [(Show::All, "all", "all nodes"), (Show::Problems, "problems", "with a pending or failing pod"),
                           (Show::WithoutPod, "without", "without the DaemonSet's pod"),
                           (Show::Unavailable, "unavailable", "cordoned or not Ready"), (Show::Tainted, "tainted", "tainted")]
                        .into_iter()
                        .map(|(s, v, label)| html! { <option value={v} selected={*show == s}>{ label }</option> }) }
                </select>
                <button type="button" onclick={add} disabled={p.disabled}>{ "Add node" }</button>
            </div>
            <Legend />
            if let Some(node) = &p.selected_node {
                <NodeDetail node={node.clone()} explanation={p.explanation.clone()} disabled={p.disabled} dispatch={d.clone()} />
            }
            <div class="node-grid">{ cards }</div>
            if total > limit {
                <p class="more">
                    { format!("Showing {limit} of {total} nodes. ") }
                    <button type="button" onclick={more}>{ format!("Show {} more", PAGE.min(total - limit)) }</button>
                </p>
            } else if total == 0 {
                <p class="empty">{ if p.view.nodes.is_empty() { "No nodes: add one, or put Nodes in the cluster editor." } else { "No node matches the filter." } }</p>
            }
        </section>
    }
}

#[component]
fn Legend() -> Html {
    let item = |stage: &'static str, label: &'static str| {
        html! { <li class={classes!("pod", format!("stage-{stage}"))}><span class="pod-status">{ label }</span></li> }
    };
    html! {
        <ul class="legend" aria-label="legend">
            { item("pending", "Pending: not bound") }
            { item("creating", "ContainerCreating") }
            { item("running", "Running, not Ready") }
            { item("ready", "Running and Ready") }
            { item("failing", "failing (pull, crash)") }
            { item("terminating", "Terminating") }
            <li class="pod stage-ready misscheduled"><span class="pod-status">{ "misscheduled: the DaemonSet no longer wants it there" }</span></li>
            <li class="pod stage-terminating ghost preempted"><span class="pod-status">{ "preempted (shown for a minute)" }</span></li>
            <li class="legend-note">{ "Pod colours also mark the revision (rev N)." }</li>
        </ul>
    }
}

#[derive(Properties, PartialEq)]
struct NodeDetailProps {
    node: String,
    explanation: Rc<Vec<NodeExplanation>>,
    disabled: bool,
    dispatch: Dispatch,
}

fn mark(ok: bool) -> Html {
    if ok {
        html! { <span class="ok" aria-label="passes">{ "✓" }</span> }
    } else {
        html! { <span class="bad" aria-label="fails">{ "✗" }</span> }
    }
}

fn controller_details(v: &NodeReport) -> Html {
    let Some(c) = &v.controller else {
        return html! {};
    };
    let summary = &v.summary;
    let selector: Html = c
        .affinity
        .node_selector
        .iter()
        .map(|p| {
            let has = p
                .node_value
                .clone()
                .map_or("no such label".to_string(), |v| format!("{}={v}", p.key));
            html! { <li>{ mark(p.matched) }{ format!(" nodeSelector {}={} (node has {has})", p.key, p.value) }</li> }
        })
        .collect();
    let terms: Html = c
        .affinity
        .terms
        .iter()
        .flatten()
        .map(|t| {
            let reqs: Html = t
                .requirements
                .iter()
                .map(|r| html! { <li>{ mark(r.matched) }{ format!(" {} {} (node has {})", r.kind, r.text, r.node_has) }</li> })
                .collect();
            html! {
                <li>
                    { mark(t.matched) }{ format!(" node affinity term {}", t.index) }
                    if let Some(why) = &t.invalid { <span class="note">{ format!(": {why}") }</span> }
                    <ul>{ reqs }</ul>
                </li>
            }
        })
        .collect();
    let taints: Html = c
        .taints
        .iter()
        .map(|t| html! { <li>{ mark(t.tolerated_by.is_some() || !t.considered) }{ format!(" {}", t.explanation) }</li> })
        .collect();
    html! {
        <div class="layer">
            <h4>{ "DaemonSet controller" }</h4>
            <p>{ sim::gloss::controller_verdict(c.should_run, c.should_continue_running) }
                <span class="note">{ format!(" (NodeShouldRunDaemonPod: shouldRun={}, shouldContinueRunning={})", c.should_run, c.should_continue_running) }</span></p>
            if &c.reason != summary { <p class="reason">{ c.reason.clone() }</p> }
            <ul class="checks">
                if let Some(n) = &c.node_name_mismatch { <li>{ mark(false) }{ format!(" template nodeName is {n}") }</li> }
                { selector }
                { terms }
                { taints }
            </ul>
        </div>
    }
}

fn scheduler_details(v: &NodeReport) -> Html {
    let Some(s) = &v.scheduler else {
        return html! {};
    };
    let failure = s.failure.as_ref().map(|f| {
        let details: Html = f
            .details
            .iter()
            .map(|d| html! { <li>{ d.clone() }</li> })
            .collect();
        html! {
            <>
                <p>{ format!("{} filter: {}", f.plugin, f.reasons.join(", ")) }</p>
                <ul class="checks">{ details }</ul>
            </>
        }
    });
    let preemption = s.preemption.as_ref().map(sim::gloss::preemption);
    html! {
        <div class="layer">
            <h4>{ "Scheduler" }</h4>
            if s.binds { <p>{ "All filters pass: the pod can be bound to this node." }</p> }
            { failure.unwrap_or_default() }
            if let Some(p) = preemption { <p>{ p }</p> }
            if let Some(m) = &s.message {
                <p class="event warning"><span class="event-reason">{ "Warning FailedScheduling" }</span>{" "}<span class="event-msg">{ m.clone() }</span></p>
                <ul class="glosses" aria-label="what this means">
                    { for sim::gloss::glosses(m).into_iter().map(|g| html! { <li>{ g }</li> }) }
                </ul>
            }
        </div>
    }
}

#[component]
fn NodeDetail(p: &NodeDetailProps) -> Html {
    let d = &p.dispatch;
    let taint_key = use_node_ref();
    let taint_value = use_node_ref();
    let taint_effect = use_node_ref();
    let label_key = use_node_ref();
    let label_value = use_node_ref();
    let val = |r: &NodeRef| {
        r.cast::<HtmlInputElement>()
            .map(|i| i.value().trim().to_string())
            .or_else(|| r.cast::<HtmlSelectElement>().map(|s| s.value()))
            .unwrap_or_default()
    };
    let add_taint = {
        let d = d.clone();
        let node = p.node.clone();
        let (k, v, e) = (taint_key.clone(), taint_value.clone(), taint_effect.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let key = val(&k);
            if !key.is_empty() {
                d.dispatch(Action::Run(actions::add_taint(
                    &node,
                    &key,
                    &val(&v),
                    &val(&e),
                )));
            }
        })
    };
    let add_label = {
        let d = d.clone();
        let node = p.node.clone();
        let (k, v) = (label_key.clone(), label_value.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let key = val(&k);
            if !key.is_empty() {
                d.dispatch(Action::Run(actions::label(&node, &key, &val(&v))));
            }
        })
    };
    let close = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::SelectNode(None)))
    };
    let reports: Html = p
        .explanation
        .iter()
        .map(|e| {
            html! {
                <div class="explain">
                    <h3>{ format!("DaemonSet {}", e.daemon_set) }</h3>
                    <p class="summary-line">{ e.report.summary.clone() }</p>
                    { controller_details(&e.report) }
                    { scheduler_details(&e.report) }
                </div>
            }
        })
        .collect();
    html! {
        <section class="node-detail panel" aria-label={format!("why: node {}", p.node)}>
            <header>
                <h2>{ format!("Node {}: why pods land here or not", p.node) }</h2>
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            if p.explanation.is_empty() { <p class="empty">{ "No DaemonSet in the cluster." }</p> }
            { reports }
            <form class="inline-form" onsubmit={add_taint} aria-label="add a taint">
                <span>{ "Add taint" }</span>
                <input ref={taint_key} type="text" aria-label="taint key" placeholder="key" required=true disabled={p.disabled} />
                <input ref={taint_value} type="text" aria-label="taint value" placeholder="value (optional)" disabled={p.disabled} />
                <select ref={taint_effect} aria-label="taint effect" disabled={p.disabled}>
                    <option value="NoSchedule" selected=true>{ "NoSchedule" }</option><option value="PreferNoSchedule" selected=false>{ "PreferNoSchedule" }</option><option value="NoExecute" selected=false>{ "NoExecute" }</option>
                </select>
                <button type="submit" disabled={p.disabled}>{ "Add taint" }</button>
            </form>
            <form class="inline-form" onsubmit={add_label} aria-label="set a label">
                <span>{ "Set label" }</span>
                <input ref={label_key} type="text" aria-label="label key" placeholder="key" required=true disabled={p.disabled} />
                <input ref={label_value} type="text" aria-label="label value" placeholder="value" disabled={p.disabled} />
                <button type="submit" disabled={p.disabled}>{ "Set label" }</button>
            </form>
        </section>
    }
}
