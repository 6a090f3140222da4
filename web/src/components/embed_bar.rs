//! The embedded page's only chrome: what it shows, and a way out to the full playground.

use crate::page;
use sim::engine::time::Millis;
use sim::playground::gallery;
use sim::playground::{link, Playground};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlAnchorElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct EmbedBarProps {
    pub example: Option<String>,
    pub model: Rc<RefCell<Playground>>,
    pub version: u64,
    pub at: Option<Millis>,
}

impl PartialEq for EmbedBarProps {
    fn eq(&self, o: &Self) -> bool {
        self.example == o.example
            && Rc::ptr_eq(&self.model, &o.model)
            && self.version == o.version
            && self.at == o.at
    }
}

/// The embedded page's only chrome: what it shows, and a way out to the full playground.
#[component]
pub fn EmbedBar(props: &EmbedBarProps) -> Html {
    let title = props
        .example
        .as_deref()
        .and_then(gallery::find)
        .map_or("DaemonSet Playground", |e| e.title);
    // Computed when the link is used, so rendering never pays for compressing the scenario.
    let onclick = {
        let model = props.model.clone();
        let at = props.at;
        Callback::from(move |e: MouseEvent| {
            let saved = model.borrow().saved();
            let url = match link::encode(&saved, at) {
                Ok(fragment) => page::full_url(&fragment),
                Err(_) => page::full_url(""),
            };
            // Yew delegates events to its root, so the anchor is found from the target.
            let anchor = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a").ok().flatten())
                .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok());
            if let Some(a) = anchor {
                a.set_href(&url);
            }
        })
    };
    html! {
        <header class="embed-bar">
            <h1 class="embed-title">{ title }</h1>
            <a href="./" target="_blank" rel="noopener" onmouseover={onclick.clone()} {onclick}>{ "Open in the full playground ↗" }</a>
        </header>
    }
}
