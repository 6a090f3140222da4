//! A scenario's steps as a guided tour: what each shows, the line it runs, and a button for the
//! next one.

use crate::state::{Action, Dispatch};
use sim::playground::Step;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StepsProps {
    pub steps: Vec<Step>,
    pub done: usize,
    pub disabled: bool,
    pub dispatch: Dispatch,
}

#[component]
pub fn Steps(p: &StepsProps) -> Html {
    // Keep the next step in view as the tour goes on.
    let list = use_node_ref();
    {
        let list = list.clone();
        use_effect_with(p.done, move |_| {
            if let Some(ol) = list.cast::<web_sys::HtmlElement>() {
                if let Some(next) = ol
                    .query_selector(".step.next")
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    ol.set_scroll_top((next.offset_top() - 40).max(0));
                }
            }
        });
    }
    let next = {
        let d = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::RunNextStep))
    };
    let items: Html = p
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let class = classes!(
                "step",
                (i < p.done).then_some("done"),
                (i == p.done).then_some("next")
            );
            html! {
                <li {class} aria-current={(i == p.done).then_some("step")}>
                    <span class="step-mark" aria-hidden="true">{ if i < p.done { "✓" } else { "" } }</span>
                    if !s.note.is_empty() { <span class="step-note">{ s.note.clone() }</span> }
                    <code class="step-line">{ s.line.clone() }</code>
                </li>
            }
        })
        .collect();
    let left = p.steps.len().saturating_sub(p.done);
    html! {
        <section class="steps" aria-label="scenario steps">
            <header>
                <h2>{ format!("Steps ({} of {})", p.done, p.steps.len()) }</h2>
                <button type="button" class="primary" onclick={next} disabled={left == 0 || p.disabled}>
                    { if left == 0 { "All steps run" } else { "Run next step" } }
                </button>
            </header>
            <ol ref={list}>{ items }</ol>
        </section>
    }
}
