//! "Why?" on a node: the controller's and the scheduler's reasons for each DaemonSet, in their
//! words with glosses, and the forms that add a taint or a label.

use crate::state::{Action, Dispatch};
use sim::explain::NodeReport;
use sim::playground::actions;
use sim::playground::view::NodeExplanation;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NodeDetailProps {
    pub node: String,
    pub explanation: Rc<Vec<NodeExplanation>>,
    pub disabled: bool,
    pub dispatch: Dispatch,
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
pub fn NodeDetail(p: &NodeDetailProps) -> Html {
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
