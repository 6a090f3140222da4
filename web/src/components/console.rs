//! The kubectl console: type `kubectl …`, `sleep 30s` or `sim …` lines against the simulated
//! cluster; every line (including those the buttons ran) stays in the log with its output.
//! Up and Down recall lines; Tab completes verbs, resource kinds and object names.

use crate::state::{Action, Dispatch};
use sim::engine::time::{human_duration, Millis};
use sim::playground::Playground;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct ConsoleProps {
    /// `(line, output, ok)` in order.
    pub transcript: Rc<Vec<(String, String, bool)>>,
    pub now: Millis,
    pub disabled: bool,
    pub model: Rc<RefCell<Playground>>,
    pub dispatch: Dispatch,
}

impl PartialEq for ConsoleProps {
    fn eq(&self, o: &Self) -> bool {
        self.transcript == o.transcript && self.now == o.now && self.disabled == o.disabled
    }
}

/// The longest prefix all candidates share.
fn common_prefix(c: &[String]) -> String {
    let Some(first) = c.first() else {
        return String::new();
    };
    let mut n = first.len();
    for s in &c[1..] {
        n = n.min(
            first
                .char_indices()
                .zip(s.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((i, a), _)| i + a.len_utf8()),
        );
    }
    first[..n].to_string()
}

#[component]
pub fn Console(p: &ConsoleProps) -> Html {
    let input = use_node_ref();
    let log = use_node_ref();
    // How far back in the typed lines Up has gone (0 = a new line).
    let recall = use_state(|| 0usize);
    let choices = use_state(Vec::<String>::new);
    let lines: Vec<String> = p.transcript.iter().map(|(l, _, _)| l.clone()).collect();

    // Keep the newest output in view.
    {
        let log = log.clone();
        use_effect_with(p.transcript.len(), move |_| {
            if let Some(el) = log.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let onsubmit = {
        let input = input.clone();
        let d = p.dispatch.clone();
        let recall = recall.clone();
        let choices = choices.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(i) = input.cast::<HtmlInputElement>() {
                let line = i.value().trim().to_string();
                if !line.is_empty() {
                    d.dispatch(Action::Run(line));
                    i.set_value("");
                    recall.set(0);
                    choices.set(Vec::new());
                }
            }
        })
    };
    let onkeydown = {
        let recall = recall.clone();
        let choices = choices.clone();
        let model = p.model.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            match e.key().as_str() {
                // Tab completes; when it has nothing (more) to add, it moves the focus on as
                // usual, so the console is never a keyboard trap. Shift+Tab is left alone.
                "Tab" if !e.shift_key() && !i.value().trim().is_empty() => {
                    let found =
                        sim::kubectl::complete::complete(model.borrow().cluster(), &i.value());
                    if found.len() == 1 && found[0] != i.value().trim_end() {
                        e.prevent_default();
                        i.set_value(&format!("{} ", found[0]));
                        choices.set(Vec::new());
                    } else if found.len() > 1 {
                        let prefix = common_prefix(&found);
                        if prefix.len() > i.value().len() {
                            e.prevent_default();
                            i.set_value(&prefix);
                        } else if *choices != found {
                            // Nothing to add: list the choices once.
                            e.prevent_default();
                        }
                        choices.set(found);
                    }
                }
                "ArrowUp" | "ArrowDown" => {
                    let step = if e.key() == "ArrowUp" {
                        (*recall + 1).min(lines.len())
                    } else {
                        recall.saturating_sub(1)
                    };
                    e.prevent_default();
                    recall.set(step);
                    i.set_value(if step == 0 {
                        ""
                    } else {
                        &lines[lines.len() - step]
                    });
                }
                _ => {}
            }
        })
    };
    let entries: Html = p
        .transcript
        .iter()
        .map(|(line, out, ok)| {
            html! {
                <div class={classes!("console-entry", (!ok).then_some("failed"))}>
                    <pre class="console-line">{ format!("$ {line}") }</pre>
                    if !out.is_empty() { <pre class="console-out">{ out.clone() }</pre> }
                </div>
            }
        })
        .collect();
    let quick = |label: &'static str, line: &'static str| {
        let d = p.dispatch.clone();
        html! { <button type="button" disabled={p.disabled} onclick={Callback::from(move |_: MouseEvent| d.dispatch(Action::Run(line.to_string())))}>{ label }</button> }
    };
    html! {
        <section class="console panel" id="console" aria-label="kubectl console">
            <header class="console-head">
                <h2>{ "Console" }</h2>
                <span class="clock">{ format!("virtual time {}", human_duration(p.now)) }</span>
                { quick("get ds", "kubectl get ds -A") }
                { quick("get pods", "kubectl get pods -A -o wide") }
                { quick("get nodes", "kubectl get nodes") }
                { quick("events", "kubectl get events -A") }
            </header>
            <div class="console-log" ref={log} role="log" aria-live="polite" aria-label="console output" tabindex="0">{ entries }</div>
            if !choices.is_empty() {
                <ul class="completions" aria-label="completions">
                    { for choices.iter().map(|c| html! { <li><code>{ c.clone() }</code></li> }) }
                </ul>
            }
            <form class="console-form" {onsubmit}>
                <span aria-hidden="true">{ "$" }</span>
                <input ref={input} type="text" spellcheck="false" autocomplete="off" disabled={p.disabled}
                    aria-label="kubectl command" placeholder="kubectl get ds -A   ·   sleep 30s   ·   sim node add n9   (Tab completes)" {onkeydown} />
                <button type="submit" disabled={p.disabled}>{ "Run" }</button>
            </form>
        </section>
    }
}
