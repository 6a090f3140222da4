//! The DaemonSet Playground web app (Yew, client-side rendered).
//!
//! A thin shell: [`state::Playground`] holds what the user typed and toggled and asks
//! `sim::playground::evaluate` for everything it shows; components render and dispatch actions.
//! No Kubernetes rule lives here.

pub mod components;
pub mod examples;
pub mod state;
pub mod storage;

pub use components::app::App;

/// Mount the app on the page's `<body>`.
pub fn run() {
    yew::Renderer::<App>::new().render();
}
