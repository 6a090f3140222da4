//! One function component per file.

pub mod app;
pub mod console;
pub mod daemon_set_detail;
pub mod daemonsets;
pub mod edit_panel;
pub mod editor;
pub mod embed_bar;
pub mod events;
pub mod gallery;
pub mod header;
pub mod legend;
pub mod node_card;
pub mod node_detail;
pub mod nodes;
pub mod steps;
pub mod timeline;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};

/// The value of the text field, slider or select an event came from.
pub(crate) fn target_value(e: &web_sys::Event) -> Option<String> {
    let t = e.target()?;
    match t.dyn_into::<HtmlInputElement>() {
        Ok(i) => Some(i.value()),
        Err(t) => t.dyn_into::<HtmlSelectElement>().ok().map(|s| s.value()),
    }
}
