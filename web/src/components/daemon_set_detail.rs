//! One DaemonSet in detail: its strategy and rollout status, its images with their simulated
//! behaviour and Set image, and its revision history with a diff and Roll back.

use crate::state::{Action, Dispatch};
use sim::playground::view::DaemonSetPanel;
use sim::playground::{actions, diff, Playground};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::target_value as select_value;

#[derive(Properties)]
pub struct DetailProps {
    pub ds: DaemonSetPanel,
    pub disabled: bool,
    pub model: Rc<RefCell<Playground>>,
    pub version: u64,
    pub dispatch: Dispatch,
}

impl PartialEq for DetailProps {
    fn eq(&self, o: &Self) -> bool {
        self.ds == o.ds && self.disabled == o.disabled && self.version == o.version
    }
}

#[component]
pub fn Detail(p: &DetailProps) -> Html {
    let ds = &p.ds;
    let d = &p.dispatch;
    let image_input = use_node_ref();
    let container = use_state(|| None::<String>);
    let diff_pair = use_state(|| None::<(i64, i64)>);
    // The diff is worked out only while it is open.
    let diff_open = use_state(|| false);
    let run = |line: String| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Run(line.clone())))
    };

    let images: Html = ds
        .images
        .iter()
        .map(|im| {
            let onchange = {
                let d = d.clone();
                let image = im.image.clone();
                Callback::from(move |e: Event| {
                    if let Some(v) = select_value(&e) {
                        d.dispatch(Action::Run(actions::image_behaviour(&image, &v)));
                    }
                })
            };
            let opt = |v: &'static str, label: &'static str| html! { <option value={v} selected={im.behaviour == v}>{ label }</option> };
            html! {
                <tr>
                    <td><code>{ im.container.clone() }</code></td>
                    <td><code>{ im.image.clone() }</code></td>
                    <td>
                        <select aria-label={format!("behaviour of {}", im.image)} {onchange} disabled={p.disabled}>
                            { opt("ok", "works") }{ opt("fail", "pull fails") }{ opt("crash", "crashes") }
                        </select>
                    </td>
                </tr>
            }
        })
        .collect();

    let chosen = (*container)
        .clone()
        .filter(|c| ds.images.iter().any(|i| &i.container == c))
        .or_else(|| {
            ds.images
                .iter()
                .find(|i| !i.container.is_empty())
                .map(|i| i.container.clone())
        })
        .unwrap_or_default();
    let on_container = {
        let container = container.clone();
        Callback::from(move |e: Event| container.set(select_value(&e)))
    };
    let on_set_image = {
        let d = d.clone();
        let input = image_input.clone();
        let (ns, name, c) = (ds.namespace.clone(), ds.name.clone(), chosen.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(i) = input.cast::<HtmlInputElement>() {
                let image = i.value().trim().to_string();
                if !image.is_empty() {
                    d.dispatch(Action::Run(actions::set_image(&ns, &name, &c, &image)));
                    i.set_value("");
                }
            }
        })
    };
    let containers: Html = ds
        .images
        .iter()
        .map(|i| html! { <option value={i.container.clone()} selected={i.container == chosen}>{ i.container.clone() }</option> })
        .collect();

    let revisions: Html = ds
        .revisions
        .iter()
        .rev()
        .map(|r| {
            html! {
                <tr class={classes!(r.current.then_some("current"))}>
                    <td>{ r.revision }{ if r.current { " (current)" } else { "" } }</td>
                    <td>{ r.change_cause.clone().unwrap_or_else(|| "<none>".into()) }</td>
                    <td><code>{ r.images.join(", ") }</code></td>
                    <td>
                        if !r.current {
                            <button type="button" onclick={run(actions::rollback(&ds.namespace, &ds.name, r.revision))} disabled={p.disabled}>
                                { format!("Roll back to {}", r.revision) }
                            </button>
                        }
                    </td>
                </tr>
            }
        })
        .collect();

    // The diff: by default the two newest revisions.
    let n = ds.revisions.len();
    let (from, to) = (*diff_pair).unwrap_or_else(|| {
        if n >= 2 {
            (ds.revisions[n - 2].revision, ds.revisions[n - 1].revision)
        } else {
            (0, 0)
        }
    });
    let diff_html = if n >= 2 {
        let key = (ds.namespace.clone(), ds.name.clone());
        let lines = if *diff_open {
            diff::revision_diff(p.model.borrow().cluster(), &key, from, to).unwrap_or_default()
        } else {
            Vec::new()
        };
        let changed = lines.iter().filter(|l| l.sign != ' ').count();
        let ontoggle = {
            let open = diff_open.clone();
            Callback::from(move |e: Event| {
                if let Some(d) = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
                {
                    open.set(d.open());
                }
            })
        };
        let pick = |which: usize| {
            let pair = diff_pair.clone();
            Callback::from(move |e: Event| {
                if let Some(v) = select_value(&e).and_then(|v| v.parse().ok()) {
                    pair.set(Some(if which == 0 { (v, to) } else { (from, v) }));
                }
            })
        };
        let opts = |sel: i64| -> Html {
            ds.revisions
                .iter()
                .map(|r| html! { <option value={r.revision.to_string()} selected={r.revision == sel}>{ r.revision }</option> })
                .collect()
        };
        let body: Html = lines
            .iter()
            .map(|l| {
                let class = match l.sign {
                    '+' => "add",
                    '-' => "del",
                    _ => "same",
                };
                html! { <span class={class}>{ format!("{} {}\n", l.sign, l.text) }</span> }
            })
            .collect();
        html! {
            <details class="diff" open={*diff_open} {ontoggle}>
                <summary>{ if *diff_open { format!("Diff between revisions ({changed} changed lines)") } else { "Diff between revisions".to_string() } }</summary>
                <label>{ "from " }<select aria-label="diff from revision" onchange={pick(0)}>{ opts(from) }</select></label>
                <label>{ " to " }<select aria-label="diff to revision" onchange={pick(1)}>{ opts(to) }</select></label>
                <pre class="diff-body" aria-label="revision diff">{ body }</pre>
            </details>
        }
    } else {
        html! {}
    };

    html! {
        <div class="ds-detail">
            <p class="ds-meta">
                <span>{ format!("Strategy: {}", ds.strategy) }</span>
                if let Some(pc) = &ds.priority_class_name { <span>{ format!("priorityClassName: {pc}") }</span> }
                if ds.misscheduled > 0 { <span class="warn-text">{ format!("misscheduled: {}", ds.misscheduled) }</span> }
            </p>
            <p class={classes!("rollout", if ds.rolled_out { "ok-text" } else { "warn-text" })} aria-label="rollout status">{ ds.rollout.clone() }</p>
            if let Some(e) = &ds.create_error {
                <p class="event warning"><span class="event-reason">{ "Warning FailedCreate" }</span>{" "}<span class="event-msg">{ e.clone() }</span></p>
            }
            <table class="images">
                <caption>{ "Images" }</caption>
                <thead><tr><th>{ "CONTAINER" }</th><th>{ "IMAGE" }</th><th>{ "SIMULATED" }</th></tr></thead>
                <tbody>{ images }</tbody>
            </table>
            <form class="set-image" onsubmit={on_set_image}>
                <span>{ "kubectl set image" }</span>
                <select aria-label="container" onchange={on_container}>{ containers }</select>
                <input ref={image_input} type="text" aria-label="new image" placeholder="image:tag" spellcheck="false" disabled={p.disabled} />
                <button type="submit" disabled={p.disabled}>{ "Set image" }</button>
            </form>
            <table class="revisions">
                <caption>{ "Revision history (kubectl rollout history)" }</caption>
                <thead><tr><th>{ "REVISION" }</th><th>{ "CHANGE-CAUSE" }</th><th>{ "IMAGES" }</th><th><span class="visually-hidden">{ "actions" }</span></th></tr></thead>
                <tbody>{ revisions }</tbody>
            </table>
            { diff_html }
        </div>
    }
}
