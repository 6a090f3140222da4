//! The DaemonSet panel: `kubectl get ds` numbers, strategy and rollout status, images (set image,
//! make an image fail), and the revision history with a diff between any two revisions and a
//! rollback button.

use super::daemon_set_detail::Detail;
use crate::state::{Action, Dispatch};
use sim::playground::view::LiveView;
use sim::playground::Playground;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct DaemonSetsProps {
    pub view: Rc<LiveView>,
    pub selected: usize,
    pub disabled: bool,
    pub version: u64,
    pub model: Rc<RefCell<Playground>>,
    pub dispatch: Dispatch,
}

impl PartialEq for DaemonSetsProps {
    fn eq(&self, o: &Self) -> bool {
        self.version == o.version
            && self.selected == o.selected
            && self.disabled == o.disabled
            && Rc::ptr_eq(&self.model, &o.model)
    }
}

#[component]
pub fn DaemonSets(p: &DaemonSetsProps) -> Html {
    let d = &p.dispatch;
    let rows: Html = p
        .view
        .daemon_sets
        .iter()
        .enumerate()
        .map(|(i, ds)| {
            let onclick = {
                let d = d.clone();
                Callback::from(move |_: MouseEvent| d.dispatch(Action::SelectDaemonSet(i)))
            };
            html! {
                <tr class={classes!((i == p.selected).then_some("selected"))}>
                    <td><button type="button" class="link" {onclick} aria-pressed={(i == p.selected).to_string()}>{ format!("{}/{}", ds.namespace, ds.name) }</button></td>
                    <td>{ ds.desired }</td><td>{ ds.current }</td><td>{ ds.ready }</td>
                    <td>{ ds.up_to_date }</td><td>{ ds.available }</td>
                </tr>
            }
        })
        .collect();
    html! {
        <section class="daemonsets panel" aria-label="DaemonSets">
            <h2>{ "DaemonSets" }</h2>
            if p.view.daemon_sets.is_empty() {
                <p class="empty">{ "No DaemonSet in the cluster yet: apply one from the workloads editor, or run the next step." }</p>
            } else {
                <table class="ds-table">
                    <thead><tr><th>{ "NAME" }</th><th>{ "DESIRED" }</th><th>{ "CURRENT" }</th><th>{ "READY" }</th><th>{ "UP-TO-DATE" }</th><th>{ "AVAILABLE" }</th></tr></thead>
                    <tbody>{ rows }</tbody>
                </table>
                if let Some(ds) = p.view.daemon_sets.get(p.selected) {
                    <Detail key={format!("{}/{}", ds.namespace, ds.name)} ds={ds.clone()} disabled={p.disabled} model={p.model.clone()} version={p.version} dispatch={d.clone()} />
                }
            }
        </section>
    }
}
