//! The DaemonSet Playground core.
//!
//! This crate is the project's one API boundary: the CLI (`crates/cli`), the JavaScript API
//! (`crates/wasm`) and the web app (`web/`) only translate and render what it returns.
//!
//! Invariants: no I/O, no wall clock, no global state, no randomness except from a seed the caller
//! passes in, and no panic on any input.
//!
//! The pipeline: [`load`] reads text (YAML or JSON, many documents, lists) into typed Kubernetes
//! objects with upstream defaults applied and located [`Diagnostic`]s; [`explain::explain`] decides,
//! for every DaemonSet and node, what the DaemonSet controller and the default scheduler would do.

pub mod diag;
pub mod engine;
pub mod explain;
pub mod gloss;
pub mod input;
pub mod kubectl;
pub mod labels;
pub mod placement;
pub mod playground;
pub mod print;
pub mod quantity;
pub mod rng;
pub mod scenario;
pub mod session;
pub mod synth;

pub use diag::{Diagnostic, Severity};
pub use explain::{explain, explain_with, ExplainOptions, Report};
pub use input::{load, load_sources, Objects, Source};

// Under wasm32 the unit tests run in headless Chromium through wasm-bindgen-test.
#[cfg(all(test, target_arch = "wasm32"))]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
