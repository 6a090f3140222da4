//! The DaemonSet Playground for JavaScript.
//!
//! A thin wasm-bindgen shell over the `sim` crate: strings in, plain JSON-compatible objects out
//! (serde-wasm-bindgen), errors as JS exceptions carrying the same located messages.
//!
//! ```js
//! import init, { explain } from "daemonset-playground";
//! await init();
//! const report = explain(yamlText);
//! report.daemonSets[0].nodes.forEach(n => console.log(n.node, n.outcome, n.summary));
//! ```

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// One named text, as `{ name: "nodes.yaml", text: "..." }`.
#[derive(Deserialize)]
struct JsSource {
    #[serde(default)]
    name: Option<String>,
    text: String,
}

/// Explain DaemonSet placement for manifests in one text (YAML or JSON, many documents, lists).
/// Returns `{ nodeCount, daemonSets: [...], diagnostics: [...] }`; input problems are in
/// `diagnostics` (each with severity, message, document, line, column, path, hint).
#[wasm_bindgen]
pub fn explain(manifests: &str) -> Result<JsValue, JsError> {
    to_js(&sim::explain::explain_sources(&[sim::Source {
        name: None,
        text: manifests.to_string(),
    }]))
}

/// Explain over several named texts, as `kubectl apply -f a -f b` would see them:
/// `explainSources([{name: "ds.yaml", text}, {name: "nodes.yaml", text}])`.
#[wasm_bindgen(js_name = explainSources)]
pub fn explain_sources(sources: JsValue) -> Result<JsValue, JsError> {
    let sources: Vec<JsSource> = serde_wasm_bindgen::from_value(sources).map_err(|e| {
        JsError::new(&format!(
            "explainSources expects an array of {{name, text}}: {e}"
        ))
    })?;
    let sources: Vec<sim::Source> = sources
        .into_iter()
        .map(|s| sim::Source {
            name: s.name,
            text: s.text,
        })
        .collect();
    to_js(&sim::explain::explain_sources(&sources))
}

/// Like [`explain`], but throws when the input has errors; the exception's message lists them,
/// one located message per line.
#[wasm_bindgen(js_name = explainStrict)]
pub fn explain_strict(manifests: &str) -> Result<JsValue, JsError> {
    let report = sim::explain::explain_sources(&[sim::Source {
        name: None,
        text: manifests.to_string(),
    }]);
    if report.has_errors() {
        let lines: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(ToString::to_string)
            .collect();
        return Err(JsError::new(&lines.join("\n")));
    }
    to_js(&report)
}

/// The version of the simulator and the Kubernetes release whose behaviour it follows.
#[wasm_bindgen]
pub fn version() -> String {
    format!("{} (Kubernetes 1.35)", env!("CARGO_PKG_VERSION"))
}
