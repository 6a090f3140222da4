//! The page header: the gallery, Reset, Export and Import.

use crate::page;
use crate::state::{Action, Dispatch};
use crate::storage;
use sim::engine::time::Millis;
use sim::playground::gallery;
use sim::playground::{link, Playground};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, HtmlInputElement};
use yew::prelude::*;

#[derive(Properties)]
pub struct HeaderProps {
    pub example: Option<String>,
    pub model: Rc<RefCell<Playground>>,
    pub version: u64,
    /// The moment shown (a link opens there).
    pub at: Option<Millis>,
    pub gallery_open: bool,
    pub dispatch: Dispatch,
}

impl PartialEq for HeaderProps {
    fn eq(&self, o: &Self) -> bool {
        self.gallery_open == o.gallery_open
            && self.example == o.example
            && Rc::ptr_eq(&self.model, &o.model)
            && self.version == o.version
            && self.at == o.at
    }
}

/// What "Copy link" made: the address, or why there is none.
#[derive(Clone, PartialEq)]
enum Shared {
    Link { url: String, copied: bool },
    TooLong(usize),
}

/// Offer `text` as a file download.
fn download(name: &str, text: &str) {
    let blob = gloo::file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo::file::ObjectUrl::from(blob);
    let doc = gloo::utils::document();
    if let Ok(a) = doc.create_element("a") {
        if let Ok(a) = a.dyn_into::<HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    // The pending file read, kept alive until it finishes.
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let toggle_gallery = {
        let d = props.dispatch.clone();
        let open = props.gallery_open;
        Callback::from(move |_: MouseEvent| d.dispatch(Action::ToggleGallery(!open)))
    };
    let reset = {
        let d = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Reset))
    };
    let export = {
        let model = props.model.clone();
        Callback::from(move |_: MouseEvent| {
            let text = storage::export(&model.borrow().saved());
            download("daemonset-playground.json", &text);
        })
    };
    let import = {
        let d = props.dispatch.clone();
        let reader = reader.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            let d = d.clone();
            let task = gloo::file::callbacks::read_as_text(&file.into(), move |r| match r {
                Ok(text) => d.dispatch(Action::Import(text)),
                Err(e) => d.dispatch(Action::Import(format!("(unreadable file: {e})"))),
            });
            *reader.borrow_mut() = Some(task);
        })
    };
    let shared = use_state(|| None::<Shared>);
    let copy_link = {
        let model = props.model.clone();
        let at = props.at;
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| {
            let saved = model.borrow().saved();
            match link::encode(&saved, at) {
                Ok(fragment) => {
                    let url = page::full_url(&fragment);
                    let copied = page::copy_to_clipboard(&url);
                    shared.set(Some(Shared::Link { url, copied }));
                }
                Err(len) => {
                    download("daemonset-playground.json", &storage::export(&saved));
                    shared.set(Some(Shared::TooLong(len)));
                }
            }
        })
    };
    let close_shared = {
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| shared.set(None))
    };
    let shared_html = match &*shared {
        None => html! {},
        Some(Shared::Link { url, copied }) => html! {
            <div class="shared" role="status">
                <label>
                    <span>{ if *copied { "Link copied — it opens this scenario at this moment:" } else { "Copy this link — it opens this scenario at this moment:" } }</span>
                    <input type="text" readonly=true value={url.clone()} aria-label="permalink" onfocus={Callback::from(|e: FocusEvent| {
                        if let Some(i) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) { i.select(); }
                    })} />
                </label>
                <button type="button" onclick={close_shared}>{ "Close" }</button>
            </div>
        },
        Some(Shared::TooLong(len)) => html! {
            <div class="shared" role="status">
                <span>{ format!("This scenario would make a link of {len} characters (at most {} fit in a link), so it was downloaded as a file instead: share the file, and open it with Import.", link::MAX_LINK_CHARS) }</span>
                <button type="button" onclick={close_shared}>{ "Close" }</button>
            </div>
        },
    };
    let current_title = props
        .example
        .as_deref()
        .and_then(gallery::find)
        .map_or("your own scenario", |e| e.title);
    html! {
        <header class="top">
            <h1>{ "DaemonSet Playground" }</h1>
            <p class="tagline">{ "DaemonSets as Kubernetes 1.35 runs them: where pods land, why not elsewhere, and how rollouts advance." }</p>
            <nav class="top-actions" aria-label="scenario">
                <span class="current-scenario" title="the scenario open now">{ current_title }</span>
                <button type="button" class={classes!(props.gallery_open.then_some("active"))} onclick={toggle_gallery}
                    aria-expanded={props.gallery_open.to_string()} aria-controls="gallery">{ "Lessons & examples" }</button>
                <button type="button" onclick={reset} title="Start this scenario again from its beginning (your current work is kept aside, and can be restored)">{ "Reset" }</button>
                <button type="button" onclick={copy_link} title="A link that opens this scenario at this moment">{ "Copy link" }</button>
                <button type="button" onclick={export} title="Download the scenario (manifests and everything you did) as a file">{ "Export" }</button>
                <label class="button" title="Open a scenario file exported from the playground">
                    { "Import" }
                    <input type="file" accept=".json,application/json" class="visually-hidden" aria-label="Import a scenario file" onchange={import} />
                </label>
            </nav>
            { shared_html }
        </header>
    }
}
