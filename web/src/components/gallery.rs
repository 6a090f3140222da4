//! The gallery: the course's lessons in order, then the examples, each with its title, one line
//! on what it shows and its topic. Opening one keeps the current work aside (see `state.rs`).

use crate::state::{Action, Dispatch};
use sim::playground::gallery::{Example, Group, EXAMPLES};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    pub current: Option<String>,
    pub dispatch: Dispatch,
}

fn entry(e: &'static Example, current: Option<&str>, d: &Dispatch) -> Html {
    let open = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::LoadExample(e.id.to_string())))
    };
    let is_current = current == Some(e.id);
    html! {
        <li key={e.id} class={classes!("gallery-entry", is_current.then_some("current"))}>
            <button type="button" onclick={open} data-example={e.id} aria-current={is_current.then_some("true")}>
                <span class="gallery-title">{ e.title }</span>
                <span class="gallery-topic">{ e.topic }</span>
                <span class="gallery-summary">{ e.summary }</span>
            </button>
        </li>
    }
}

#[component]
pub fn Gallery(p: &GalleryProps) -> Html {
    let current = p.current.as_deref();
    let list = |g: Group| -> Html {
        EXAMPLES
            .iter()
            .filter(|e| e.group == g)
            .map(|e| entry(e, current, &p.dispatch))
            .collect()
    };
    let close = {
        let d = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::ToggleGallery(false)))
    };
    html! {
        <section class="gallery" id="gallery" aria-label="lessons and examples">
            <header>
                <h2>{ "Lessons and examples" }</h2>
                <button type="button" onclick={close}>{ "Close" }</button>
            </header>
            <p class="gallery-hint">{ "New to DaemonSets? Start with lesson 1 and press \u{201c}Run next step\u{201d}: each step shows its command and what Kubernetes answers. What you were working on is kept aside when you open another scenario." }</p>
            <h3>{ "The course: the DaemonSets article, step by step" }</h3>
            <ol class="gallery-list course">{ list(Group::Course) }</ol>
            <h3>{ "Examples to explore" }</h3>
            <ul class="gallery-list">{ list(Group::Example) }</ul>
            <p class="gallery-links">
                { "More: " }
                <a href="docs.html">{ "embedding the playground in docs" }</a>{ " · " }
                <a href="jsapi.html">{ "the JavaScript API" }</a>{ " · " }
                <a href="https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/" target="_blank" rel="noopener">{ "DaemonSet in the Kubernetes docs" }</a>
            </p>
        </section>
    }
}
