//! How the page was opened: the query (`?embed`, `example=`, `step=`, …) and the fragment
//! (a permalink, `#s=…&t=…`). Parsed once at start.
//!
//! Embed options (for iframes in docs): `?embed&example=rolling-update&panels=steps,timeline,nodes`
//! `&readonly&step=2&autoplay&speed=10`. Panels: `steps`, `editors`, `timeline`, `daemonsets`,
//! `nodes`, `events`, `console`.

use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Panel {
    Steps,
    Editors,
    Timeline,
    DaemonSets,
    Nodes,
    Events,
    Console,
}

impl Panel {
    fn parse(s: &str) -> Option<Panel> {
        Some(match s {
            "steps" => Panel::Steps,
            "editors" => Panel::Editors,
            "timeline" => Panel::Timeline,
            "daemonsets" | "ds" => Panel::DaemonSets,
            "nodes" => Panel::Nodes,
            "events" => Panel::Events,
            "console" => Panel::Console,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Embed {
    pub panels: BTreeSet<Panel>,
    /// The cluster cannot be changed (the timeline and the steps still work).
    pub readonly: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Startup {
    pub embed: Option<Embed>,
    pub example: Option<String>,
    /// Run this many of the scenario's steps first.
    pub step: usize,
    pub autoplay: bool,
    pub speed: Option<u32>,
    /// The fragment, when it holds a permalink.
    pub link: Option<String>,
}

fn decode_component(s: &str) -> String {
    js_sys::decode_uri_component(s)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| s.to_string())
}

/// Read `location.search` and `location.hash`.
pub fn parse(search: &str, hash: &str) -> Startup {
    let mut s = Startup::default();
    let mut embed = false;
    let mut panels = None;
    let mut readonly = false;
    for pair in search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = decode_component(v);
        match k {
            "embed" => embed = true,
            "example" => s.example = Some(v),
            "step" => s.step = v.parse().unwrap_or(0).min(1000),
            "autoplay" => s.autoplay = true,
            "speed" => s.speed = v.parse().ok(),
            "readonly" => readonly = true,
            "panels" => panels = Some(v.split(',').filter_map(Panel::parse).collect()),
            _ => {}
        }
    }
    if embed {
        s.embed = Some(Embed {
            panels: panels.unwrap_or_else(|| {
                [Panel::Steps, Panel::Timeline, Panel::Nodes]
                    .into_iter()
                    .collect()
            }),
            readonly,
        });
    }
    let hash = hash.trim_start_matches('#');
    if hash.split('&').any(|p| p.starts_with("s=")) {
        s.link = Some(hash.to_string());
    }
    s
}

impl Startup {
    /// From the page's address.
    pub fn from_location() -> Startup {
        let loc = gloo::utils::window().location();
        parse(
            &loc.search().unwrap_or_default(),
            &loc.hash().unwrap_or_default(),
        )
    }

    pub fn shows(&self, p: Panel) -> bool {
        self.embed.as_ref().is_none_or(|e| e.panels.contains(&p))
    }
}

/// Drop the permalink from the address bar once it is read, so a reload restores the work saved
/// since rather than the link's state.
pub fn forget_link() {
    let w = gloo::utils::window();
    let loc = w.location();
    let url = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The full playground's address for a permalink fragment: this same page, without the query
/// (so without `?embed`).
pub fn full_url(fragment: &str) -> String {
    let loc = gloo::utils::window().location();
    format!(
        "{}{}#{fragment}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default()
    )
}

/// Put text on the clipboard (when the browser allows it); false when it could not.
pub fn copy_to_clipboard(text: &str) -> bool {
    use wasm_bindgen::{JsCast, JsValue};
    let nav = gloo::utils::window().navigator();
    let Ok(clip) = js_sys::Reflect::get(&nav, &JsValue::from_str("clipboard")) else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clip, &JsValue::from_str("writeText")) else {
        return false;
    };
    match write.dyn_into::<js_sys::Function>() {
        Ok(f) => f.call1(&clip, &JsValue::from_str(text)).is_ok(),
        Err(_) => false,
    }
}
