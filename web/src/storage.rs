//! The edited scenario is kept in localStorage so a reload never loses work.

use gloo::storage::{LocalStorage, Storage};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

const KEY: &str = "daemonset-playground/v1";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub workloads: String,
    pub cluster: String,
    pub taints_off: BTreeSet<(String, String)>,
}

pub fn load() -> Option<Saved> {
    LocalStorage::get(KEY).ok()
}

pub fn save(s: &Saved) {
    // A full or unavailable storage must not break the page: the session keeps working.
    let _ = LocalStorage::set(KEY, s);
}

pub fn clear() {
    LocalStorage::delete(KEY);
}
