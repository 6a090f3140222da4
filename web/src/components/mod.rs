//! One function component per file.

pub mod app;
pub mod console;
pub mod daemonsets;
pub mod editor;
pub mod events;
pub mod header;
pub mod node_card;
pub mod nodes;
pub mod steps;
pub mod timeline;
