//! A YAML editor: line numbers, syntax colours (a highlighted copy of the text under a transparent
//! text area), a marker at each line with an error or warning, and the list of messages below
//! it; clicking a message puts the cursor on its line.

use sim::{Diagnostic, Severity};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// Element id, also used to name the text area.
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub diagnostics: Vec<Diagnostic>,
    pub on_change: Callback<String>,
    /// A read-only embed: the text can be read and copied, not changed.
    #[prop_or_default]
    pub readonly: bool,
}

fn select_line(area: &HtmlTextAreaElement, line: usize) {
    let text = area.value();
    let mut start = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            let end = start + l.encode_utf16().count();
            let _ = area.focus();
            let _ = area.set_selection_range(start as u32, end as u32);
            // Scroll so the line is visible: line height is fixed by the stylesheet.
            let line_px = 20.0;
            area.set_scroll_top(((line.saturating_sub(3)) as f64 * line_px) as i32);
            return;
        }
        start += l.encode_utf16().count() + 1;
    }
}

/// Colour one line of YAML: comments, keys, strings, document separators. Presentation only.
fn highlight_line(line: &str) -> Html {
    if line.trim_start().starts_with('#') {
        return html! { <span class="hl-comment">{ line }</span> };
    }
    if line == "---" || line.starts_with("--- ") {
        return html! { <span class="hl-sep">{ line }</span> };
    }
    // Split off a trailing comment (a `#` after whitespace, outside quotes).
    let mut in_quote = None;
    let mut cut = line.len();
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match (in_quote, b) {
            (None, b'"' | b'\'') => in_quote = Some(b),
            (Some(q), c) if c == q => in_quote = None,
            (None, b'#') if i > 0 && bytes[i - 1] == b' ' => {
                cut = i;
                break;
            }
            _ => {}
        }
    }
    let (code, comment) = line.split_at(cut);
    let indent_len = code.len() - code.trim_start_matches([' ', '-']).len();
    let (indent, rest) = code.split_at(indent_len);
    let key_end = rest
        .find(": ")
        .or_else(|| rest.ends_with(':').then(|| rest.len() - 1))
        .filter(|&k| !rest[..k].contains(['"', '\'', '{', '[']));
    let value_html = |v: &str| -> Html {
        let t = v.trim();
        if t.starts_with('"') || t.starts_with('\'') {
            html! { <span class="hl-string">{ v.to_string() }</span> }
        } else if !t.is_empty()
            && (t.parse::<f64>().is_ok() || matches!(t, "true" | "false" | "null"))
        {
            html! { <span class="hl-literal">{ v.to_string() }</span> }
        } else {
            html! { { v.to_string() } }
        }
    };
    html! {
        <>
            { indent.to_string() }
            if let Some(k) = key_end {
                <span class="hl-key">{ rest[..k].to_string() }</span>{ ":" }{ value_html(&rest[k + 1..]) }
            } else {
                { value_html(rest) }
            }
            if !comment.is_empty() { <span class="hl-comment">{ comment.to_string() }</span> }
        </>
    }
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let area = use_node_ref();
    let gutter = use_node_ref();
    let shadow = use_node_ref();
    let lines = props.value.split('\n').count().max(1);

    let mut marks: BTreeMap<usize, (Severity, Vec<String>)> = BTreeMap::new();
    for d in &props.diagnostics {
        if let Some(l) = d.line {
            let e = marks.entry(l).or_insert((d.severity, Vec::new()));
            e.0 = e.0.min(d.severity);
            e.1.push(d.message.clone());
        }
    }

    let oninput = {
        let cb = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            {
                cb.emit(t.value());
            }
        })
    };
    let onscroll = {
        let area = area.clone();
        let gutter = gutter.clone();
        let shadow = shadow.clone();
        Callback::from(move |_: Event| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                if let Some(g) = gutter.cast::<HtmlElement>() {
                    g.set_scroll_top(a.scroll_top());
                }
                if let Some(s) = shadow.cast::<HtmlElement>() {
                    s.set_scroll_top(a.scroll_top());
                    s.set_scroll_left(a.scroll_left());
                }
            }
        })
    };

    let gutter_lines: Html = (1..=lines)
        .map(|n| match marks.get(&n) {
            Some((sev, msgs)) => {
                let class = if *sev == Severity::Error {
                    "gl mark-error"
                } else {
                    "gl mark-warning"
                };
                html! { <div class={class} title={msgs.join("\n")}>{ n }</div> }
            }
            None => html! { <div class="gl">{ n }</div> },
        })
        .collect();

    let messages: Html = props
        .diagnostics
        .iter()
        .map(|d| {
            let class = if d.is_error() { "diag diag-error" } else { "diag diag-warning" };
            let kind = if d.is_error() { "error" } else { "warning" };
            let line = d.line;
            let where_ = match (d.line, d.column) {
                (Some(l), Some(c)) => format!("line {l}, column {c}"),
                (Some(l), None) => format!("line {l}"),
                _ => String::new(),
            };
            let onclick = {
                let area = area.clone();
                Callback::from(move |_: MouseEvent| {
                    if let (Some(a), Some(l)) = (area.cast::<HtmlTextAreaElement>(), line) {
                        select_line(&a, l);
                    }
                })
            };
            html! {
                <li class={class}>
                    <button type="button" class="diag-loc" {onclick} aria-label={format!("go to {where_}")}>
                        <span class="diag-kind">{ kind }</span>{" "}{ where_.clone() }
                    </button>
                    <span class="diag-msg">{ d.message.clone() }</span>
                    if let Some(p) = &d.path { <code class="diag-path">{ p.clone() }</code> }
                    if let Some(h) = &d.hint { <span class="diag-hint">{ h.clone() }</span> }
                </li>
            }
        })
        .collect();
    let count = props.diagnostics.len();

    html! {
        <section class="editor" aria-labelledby={format!("{}-label", props.id)}>
            <h2 id={format!("{}-label", props.id)} class="editor-title">{ props.label.clone() }</h2>
            <div class="editor-body">
                <div class="gutter" ref={gutter} aria-hidden="true">{ gutter_lines }</div>
                <div class="code-wrap">
                <pre class="code shadow" ref={shadow} aria-hidden="true">
                    { for props.value.split('\n').map(|l| html! { <>{ highlight_line(l) }{ "\n" }</> }) }
                </pre>
                <textarea
                    id={props.id.clone()}
                    ref={area}
                    class="code"
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    aria-label={props.label.clone()}
                    value={props.value.clone()}
                    {oninput}
                    {onscroll}
                    readonly={props.readonly}
                />
                </div>
            </div>
            if count > 0 {
                <ul class="diagnostics" aria-label={format!("{} problems", props.label)}>{ messages }</ul>
            }
        </section>
    }
}
