//! The DaemonSet Playground web app (Yew, client-side rendered).
//!
//! A thin shell: [`state::State`] holds a `sim::playground::Playground` (the editors, the
//! simulated cluster and every line run on it) plus what the page adds (the moment shown, the
//! playing clock, selections). Components render the model's views and dispatch actions; every
//! change to the cluster is a kubectl or sim line the model runs. No Kubernetes rule lives here.

pub mod components;
pub mod page;
pub mod state;
pub mod storage;

pub use components::app::App;

/// Mount the app on the page's `<body>`.
pub fn run() {
    yew::Renderer::<App>::new().render();
}
