//! One function component per file.

pub mod app;
pub mod console;
pub mod editor;
pub mod node_card;
pub mod summary;
