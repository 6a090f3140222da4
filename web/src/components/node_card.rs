//! A card per node: the verdict for the selected DaemonSet, its taints as toggles, and the
//! two-layer explanation (the controller's, then the scheduler's) in upstream's words.

use sim::explain::{NodeReport, Outcome};
use sim::placement::scheduler::Preemption;
use sim::playground::NodeView;
use sim::print::outcome_label;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NodeCardProps {
    pub node: NodeView,
    /// The verdict for the selected DaemonSet (absent when there is none).
    pub verdict: Option<NodeReport>,
    pub on_toggle_taint: Callback<(String, String)>,
}

fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::Running => "outcome-running",
        Outcome::Pending => "outcome-pending",
        Outcome::NotEligible => "outcome-none",
        Outcome::KeptMisscheduled => "outcome-miss",
        Outcome::Removed => "outcome-removed",
        Outcome::CreateFailed => "outcome-failed",
    }
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
    let selector: Html = c
        .affinity
        .node_selector
        .iter()
        .map(|p| {
            let has = p.node_value.clone().map_or("no such label".to_string(), |v| format!("{}={v}", p.key));
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
            <p>
                { format!("shouldRun: {}, shouldContinueRunning: {}", c.should_run, c.should_continue_running) }
            </p>
            <p class="reason">{ c.reason.clone() }</p>
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
    let preemption = match &s.preemption {
        Some(Preemption::Victims { pods, .. }) => {
            Some(format!("Preemption would evict: {}", pods.join(", ")))
        }
        _ => None,
    };
    html! {
        <div class="layer">
            <h4>{ "Scheduler" }</h4>
            if s.binds { <p>{ "All filters pass: the pod is bound to this node." }</p> }
            { failure.unwrap_or_default() }
            if let Some(p) = preemption { <p>{ p }</p> }
            if let Some(m) = &s.message {
                <p class="event warning"><span class="event-reason">{ "Warning FailedScheduling" }</span>{" "}<span class="event-msg">{ m.clone() }</span></p>
            }
        </div>
    }
}

#[component]
pub fn NodeCard(props: &NodeCardProps) -> Html {
    let n = &props.node;
    let outcome = props.verdict.as_ref().map(|v| v.outcome);
    let class = classes!("node-card", outcome.map(outcome_class));
    let badge = outcome.map(outcome_label).unwrap_or("—");
    let taints: Html = n
        .taints
        .iter()
        .map(|t| {
            let onchange = {
                let cb = props.on_toggle_taint.clone();
                let key = (n.name.clone(), t.text.clone());
                Callback::from(move |_: Event| cb.emit(key.clone()))
            };
            html! {
                <li>
                    <label class={classes!("taint", (!t.enabled).then_some("off"))}>
                        <input type="checkbox" checked={t.enabled} {onchange} />
                        <code>{ t.text.clone() }</code>
                    </label>
                </li>
            }
        })
        .collect();
    let labels: Html = n
        .labels
        .iter()
        .map(|(k, v)| html! { <li><code>{ if v.is_empty() { k.clone() } else { format!("{k}={v}") } }</code></li> })
        .collect();
    let alloc = n
        .allocatable
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(" · ");
    html! {
        <article class={class} role="group" aria-label={format!("node {}", n.name)}>
            <header>
                <h3>{ n.name.clone() }</h3>
                <span class="role">{ n.role.clone() }</span>
                if n.unschedulable { <span class="role cordoned">{ "cordoned" }</span> }
                <span class="badge" data-outcome={badge}>{ badge }</span>
            </header>
            if let Some(v) = &props.verdict { <p class="summary-line">{ v.summary.clone() }</p> }
            if !n.taints.is_empty() {
                <div class="taints">
                    <h4>{ "Taints" }</h4>
                    <ul>{ taints }</ul>
                </div>
            }
            <p class="alloc">{ if alloc.is_empty() { "no allocatable resources".to_string() } else { format!("allocatable: {alloc}") } }</p>
            if let Some(v) = &props.verdict {
                <details class="why">
                    <summary>{ "Why?" }</summary>
                    { controller_details(v) }
                    { scheduler_details(v) }
                </details>
            }
            <details class="labels">
                <summary>{ format!("Labels ({})", n.labels.len()) }</summary>
                <ul>{ labels }</ul>
            </details>
        </article>
    }
}
