//! A card per node: role and state, its pods coloured by stage and revision, requested against
//! allocatable resources, taints as toggles, labels, and the buttons that change the node.

use crate::state::{Action, Dispatch};
use sim::playground::actions;
use sim::playground::view::{NodeCard as Card, PodChip};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NodeCardProps {
    pub card: Card,
    /// The selected DaemonSet as `namespace/name`, whose pod the badge describes.
    pub daemon_set: Option<String>,
    pub selected: bool,
    pub disabled: bool,
    pub dispatch: Dispatch,
}

fn pod_chip(p: &PodChip) -> Html {
    let rev = p.revision.map(|r| format!("rev {r}"));
    let class = classes!(
        "pod",
        format!("stage-{}", p.stage.as_str()),
        p.revision.map(|r| format!("rev-{}", r % 6)),
        p.preempted.then_some("preempted"),
        p.ghost.then_some("ghost"),
        p.misscheduled.is_some().then_some("misscheduled")
    );
    let priority = p
        .priority
        .filter(|v| *v != 0)
        .map(|v| match &p.priority_class {
            Some(c) => format!("{c} ({v})"),
            None => format!("priority {v}"),
        });
    let title = p
        .message
        .clone()
        .or_else(|| p.misscheduled.clone())
        .unwrap_or_default();
    html! {
        <li key={format!("{}/{}", p.namespace, p.name)} {class} {title}>
            <span class="pod-name">{ p.name.clone() }</span>
            <span class="pod-status">{ p.status.clone() }</span>
            if !p.ghost { <span class="pod-ready">{ p.ready.clone() }</span> }
            if let Some(r) = rev { <span class="pod-rev">{ r }</span> }
            if let Some(pr) = priority { <span class="pod-priority">{ pr }</span> }
            if p.preempted && !p.ghost { <span class="pod-tag">{ "preempted" }</span> }
            if p.ghost { <span class="pod-tag">{ "preempted, gone" }</span> }
            if p.misscheduled.is_some() { <span class="pod-tag misscheduled-tag">{ "misscheduled" }</span> }
            if let Some(m) = &p.message { <p class="event-msg">{ m.clone() }</p> }
            if let Some(m) = &p.misscheduled {
                <p class="event-msg">{ sim::gloss::misscheduled(m) }</p>
            }
        </li>
    }
}

/// The badge: what the selected DaemonSet has on this node, in kubectl's STATUS words.
pub fn badge(card: &Card, daemon_set: Option<&str>) -> (String, &'static str) {
    let Some(ds) = daemon_set else {
        return ("—".into(), "none");
    };
    let pods: Vec<&PodChip> = card.pods_of(ds).collect();
    let live = pods
        .iter()
        .rev()
        .find(|p| p.stage != sim::playground::view::PodStage::Terminating)
        .or(pods.last());
    match live {
        None => ("no pod".into(), "none"),
        Some(p) => (p.status.clone(), p.stage.as_str()),
    }
}

#[component]
pub fn NodeCard(p: &NodeCardProps) -> Html {
    let n = &p.card;
    let d = &p.dispatch;
    let run = |line: String| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Run(line.clone())))
    };
    let select = {
        let d = d.clone();
        let name = n.name.clone();
        let selected = p.selected;
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::SelectNode((!selected).then(|| name.clone())))
        })
    };
    let taints: Html = n
        .taints
        .iter()
        .map(|t| {
            let onchange = {
                let d = d.clone();
                let line = actions::toggle_taint(&n.name, &t.text, !t.enabled);
                Callback::from(move |_: Event| d.dispatch(Action::Run(line.clone())))
            };
            html! {
                <li key={t.text.clone()}>
                    <label class={classes!("taint", format!("effect-{}", t.effect.to_lowercase()), (!t.enabled).then_some("off"))}>
                        <input type="checkbox" checked={t.enabled} {onchange} disabled={p.disabled} />
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
    let bars: Html = n
        .resources
        .iter()
        .map(|r| {
            let over = r.allocatable > 0 && r.requested > r.allocatable;
            html! {
                <div class="res">
                    <span class="res-name">{ r.name.clone() }</span>
                    <meter min="0" max={r.allocatable.max(1).to_string()} value={r.requested.to_string()}
                        high={(r.allocatable as f64 * 0.9).to_string()} aria-label={format!("{} requested", r.name)}
                        class={classes!(over.then_some("over"))} />
                    <span class="res-text">{ r.text.clone() }</span>
                </div>
            }
        })
        .collect();
    let (badge_text, badge_stage) = badge(n, p.daemon_set.as_deref());
    let not_ready = n.ready != "True";
    let class = classes!(
        "node-card",
        format!("badge-{badge_stage}"),
        not_ready.then_some("not-ready"),
        p.selected.then_some("selected")
    );
    html! {
        <div {class} role="group" aria-label={format!("node {}", n.name)}>
            <header>
                <h3>{ n.name.clone() }</h3>
                <span class="role">{ n.role.clone() }</span>
                if not_ready { <span class="role bad-chip">{ if n.ready == "False" { "NotReady" } else { "Unknown" } }</span> }
                if n.unschedulable { <span class="role cordoned">{ "SchedulingDisabled" }</span> }
                <span class={classes!("badge", format!("stage-{badge_stage}"))} title="the selected DaemonSet's pod on this node">{ badge_text }</span>
            </header>
            <ul class="pods" aria-label="pods">
                { for n.pods.iter().map(pod_chip) }
            </ul>
            <div class="resources">{ bars }</div>
            if !n.taints.is_empty() {
                <div class="taints">
                    <h4>{ "Taints" }</h4>
                    <ul>{ taints }</ul>
                </div>
            }
            <div class="node-actions">
                <button type="button" onclick={select} aria-pressed={p.selected.to_string()} aria-label={format!("Why? {}", n.name)}>{ "Why?" }</button>
                if n.unschedulable {
                    <button type="button" onclick={run(actions::cordon(&n.name, false))} disabled={p.disabled} aria-label={format!("Uncordon {}", n.name)}>{ "Uncordon" }</button>
                } else {
                    <button type="button" onclick={run(actions::cordon(&n.name, true))} disabled={p.disabled} aria-label={format!("Cordon {}", n.name)}>{ "Cordon" }</button>
                }
                if not_ready {
                    <button type="button" onclick={run(actions::set_ready(&n.name, true))} disabled={p.disabled} aria-label={format!("Make Ready {}", n.name)}>{ "Make Ready" }</button>
                } else {
                    <button type="button" onclick={run(actions::set_ready(&n.name, false))} disabled={p.disabled} aria-label={format!("Make NotReady {}", n.name)}>{ "Make NotReady" }</button>
                }
                <button type="button" onclick={{
                    let d = d.clone(); let name = n.name.clone();
                    Callback::from(move |_: MouseEvent| d.dispatch(Action::AddNode { like: Some(name.clone()) }))
                }} disabled={p.disabled} aria-label={format!("Copy {}", n.name)}>{ "Copy" }</button>
                <button type="button" class="danger" onclick={run(actions::remove_node(&n.name))} disabled={p.disabled} aria-label={format!("Remove {}", n.name)}>{ "Remove" }</button>
            </div>
            <details class="labels">
                <summary>{ format!("Labels ({}) and conditions", n.labels.len()) }</summary>
                <ul>{ labels }</ul>
                <ul class="conditions" aria-label="conditions">
                    { for n.conditions.iter().map(|(t, s)| html! { <li><code>{ format!("{t}: {s}") }</code></li> }) }
                </ul>
            </details>
        </div>
    }
}
