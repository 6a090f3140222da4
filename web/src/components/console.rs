//! The kubectl console: type `kubectl …`, `sleep 30s` or `sim …` lines against a simulated cluster
//! started from the editors; each line and its output stay in the log. Up and Down recall lines.

use crate::state::Console as ConsoleState;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct ConsoleProps {
    pub console: Rc<ConsoleState>,
    pub on_run: Callback<String>,
}

impl PartialEq for ConsoleProps {
    /// A new console state is a new `Rc`: compare by identity, not by content.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.console, &other.console) && self.on_run == other.on_run
    }
}

#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let input = use_node_ref();
    // How far back in the typed lines Up has gone (0 = a new line).
    let recall = use_state(|| 0usize);
    let lines: Vec<String> = props
        .console
        .transcript
        .iter()
        .map(|(l, _, _)| l.clone())
        .collect();

    let run = {
        let input = input.clone();
        let on_run = props.on_run.clone();
        let recall = recall.clone();
        move || {
            if let Some(i) = input.cast::<HtmlInputElement>() {
                let line = i.value().trim().to_string();
                if !line.is_empty() {
                    on_run.emit(line);
                    i.set_value("");
                    recall.set(0);
                }
            }
        }
    };
    let onsubmit = {
        let run = run.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            run();
        })
    };
    let onkeydown = {
        let recall = recall.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let step = match e.key().as_str() {
                "ArrowUp" => (*recall + 1).min(lines.len()),
                "ArrowDown" => recall.saturating_sub(1),
                _ => return,
            };
            e.prevent_default();
            recall.set(step);
            i.set_value(if step == 0 {
                ""
            } else {
                &lines[lines.len() - step]
            });
        })
    };
    let clock = sim::engine::time::human_duration(props.console.session.now());
    let log: Html = props
        .console
        .transcript
        .iter()
        .map(|(line, out, ok)| {
            html! {
                <li class={classes!("console-entry", (!ok).then_some("failed"))}>
                    <pre class="console-line">{ format!("$ {line}") }</pre>
                    if !out.is_empty() { <pre class="console-out">{ out.clone() }</pre> }
                </li>
            }
        })
        .collect();
    let quick = |label: &'static str, line: &'static str| {
        let on_run = props.on_run.clone();
        html! { <button type="button" onclick={Callback::from(move |_: MouseEvent| on_run.emit(line.to_string()))}>{ label }</button> }
    };
    html! {
        <section class="console" aria-label="kubectl console">
            <header class="console-head">
                <h2>{ "Console" }</h2>
                <span class="clock" aria-label="virtual time">{ format!("virtual time {clock}") }</span>
                { quick("+10s", "sleep 10s") }
                { quick("+1m", "sleep 1m") }
                { quick("get pods", "kubectl get pods -A -o wide") }
                { quick("events", "kubectl get events -A") }
            </header>
            <ol class="console-log">{ log }</ol>
            <form class="console-form" {onsubmit}>
                <span aria-hidden="true">{ "$" }</span>
                <input ref={input} type="text" spellcheck="false" autocomplete="off"
                    aria-label="kubectl command" placeholder="kubectl get ds -A   ·   sleep 30s   ·   sim node add n9" {onkeydown} />
                <button type="submit">{ "Run" }</button>
            </form>
        </section>
    }
}
