//! The nodes: a toolbar (search, filter, add a node), the selected node's explanation and forms,
//! a legend, and the grid of cards — shown a page at a time, so clusters of thousands of nodes
//! stay quick.

use super::legend::Legend;
use super::node_card::{badge, NodeCard};
use super::node_detail::NodeDetail;
use crate::state::{Action, Dispatch};
use sim::playground::view::{LiveView, NodeExplanation};
use sim::playground::Playground;
use std::cell::RefCell;
use std::rc::Rc;
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
