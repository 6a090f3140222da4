//! A scenario's steps as a guided tour: what each step says, the line it runs, the manifest it
//! applies, and — once it ran — its output right under it, with plain-language glosses of
//! upstream's words. A lesson ends with its exercise and a way on to the next lesson.

use crate::state::{Action, Dispatch};
use sim::playground::exercise::ExerciseView;
use sim::playground::{NextLesson, StepView};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StepsProps {
    pub steps: Rc<Vec<StepView>>,
    pub done: usize,
    pub disabled: bool,
    pub exercise: Option<ExerciseView>,
    pub next_lesson: Option<NextLesson>,
    pub dispatch: Dispatch,
}

fn step_item(i: usize, s: &StepView, done: usize) -> Html {
    let class = classes!(
        "step",
        (i < done).then_some("done"),
        (i == done).then_some("next"),
        (i + 1 == done).then_some("last-run")
    );
    let files: Html = s
        .files
        .iter()
        .map(|(name, text)| {
            html! {
                <details class="step-file">
                    <summary>{ format!("{name} (the manifest this step applies)") }</summary>
                    <pre>{ text.clone() }</pre>
                </details>
            }
        })
        .collect();
    let output = s.output.as_ref().map(|o| {
        let text = if o.text.is_empty() {
            "(no output)".to_string()
        } else {
            o.text.clone()
        };
        html! {
            <div class="step-out">
                <pre class={classes!("step-output", (!o.ok).then_some("failed"))}
                    aria-label={format!("output of step {}", i + 1)} tabindex="0">{ text }</pre>
                if !o.glosses.is_empty() {
                    <ul class="glosses" aria-label="what this means">
                        { for o.glosses.iter().map(|g| html! { <li>{ g.clone() }</li> }) }
                    </ul>
                }
            </div>
        }
    });
    html! {
        <li {class} aria-current={(i == done).then_some("step")}>
            <span class="step-mark" aria-hidden="true">{ if i < done { "✓".to_string() } else { (i + 1).to_string() } }</span>
            <div class="step-body">
                if !s.note.is_empty() { <p class="step-note">{ s.note.clone() }</p> }
                <code class="step-line">{ format!("$ {}", s.line) }</code>
                { files }
                { output.unwrap_or_default() }
            </div>
        </li>
    }
}

fn exercise_box(e: &ExerciseView) -> Html {
    html! {
        <section class={classes!("exercise", e.done.then_some("solved"))} aria-label="exercise">
            <h3>{ "Your turn" }</h3>
            <p>{ e.task.clone() }</p>
            <p class="exercise-state" role="status">
                { if e.done { "✓ Done — the cluster now does what the task asks." } else { "Not done yet: the page checks the cluster as you go." } }
            </p>
            <details><summary>{ "Hint" }</summary><p>{ e.hint.clone() }</p></details>
            <details><summary>{ "Solution" }</summary><p>{ e.solution.clone() }</p></details>
        </section>
    }
}

#[component]
pub fn Steps(p: &StepsProps) -> Html {
    // Keep the step that just ran (and its output) in view as the tour goes on.
    let list = use_node_ref();
    {
        let list = list.clone();
        use_effect_with(p.done, move |_| {
            if let Some(ol) = list.cast::<web_sys::HtmlElement>() {
                let target = ol
                    .query_selector(".step.last-run")
                    .ok()
                    .flatten()
                    .or_else(|| ol.query_selector(".step.next").ok().flatten())
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(t) = target {
                    ol.set_scroll_top((t.offset_top() - 8).max(0));
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
        .map(|(i, s)| step_item(i, s, p.done))
        .collect();
    let total = p.steps.len();
    let left = total.saturating_sub(p.done);
    let finished = left == 0;
    let next_lesson = p.next_lesson.as_ref().map(|n| {
        let d = p.dispatch.clone();
        let id = n.id.clone();
        html! {
            <button type="button" class={classes!(finished.then_some("primary"))}
                onclick={Callback::from(move |_: MouseEvent| d.dispatch(Action::LoadExample(id.clone())))}>
                { format!("Next lesson: {} →", n.title) }
            </button>
        }
    });
    html! {
        <section class="steps" aria-label="scenario steps">
            <header>
                <h2>{ format!("Steps ({} of {total})", p.done) }</h2>
                <button type="button" class="primary" onclick={next} disabled={finished || p.disabled}>
                    { if finished { "All steps run" } else { "Run next step" } }
                </button>
            </header>
            <ol ref={list} tabindex="0" aria-label="steps and their output">{ items }</ol>
            if finished {
                <div class="steps-end">
                    if let Some(e) = &p.exercise { { exercise_box(e) } }
                    if p.next_lesson.is_none() && p.exercise.is_none() {
                        <p class="note">{ "That was the last step. Try your own changes: the console, the cards and the editors all still work." }</p>
                    }
                </div>
            }
            if let Some(b) = next_lesson {
                <footer class="steps-next">{ b }</footer>
            }
        </section>
    }
}
