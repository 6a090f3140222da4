//! The playground is kept in localStorage so a reload never loses work, and written to and read
//! from scenario files (Export/Import). Both are `sim::playground::Saved` as JSON.

use gloo::storage::{LocalStorage, Storage};
use sim::playground::Saved;

const KEY: &str = "daemonset-playground/v2";

/// The saved playground: `None` when there is none, `Err` when it cannot be read.
pub fn load() -> Option<Result<Saved, String>> {
    let text: String = LocalStorage::raw().get_item(KEY).ok().flatten()?;
    Some(parse(&text))
}

pub fn save(s: &Saved) {
    // A full or unavailable storage must not break the page: the session keeps working.
    if let Ok(text) = serde_json::to_string(s) {
        let _ = LocalStorage::raw().set_item(KEY, &text);
    }
}

pub fn clear() {
    LocalStorage::delete(KEY);
}

const BACKUP_KEY: &str = "daemonset-playground/v2-before-link";

/// Keep the saved playground aside before a link or an example from the address replaces it;
/// true when there was one.
pub fn backup() -> bool {
    let raw = LocalStorage::raw();
    match raw.get_item(KEY).ok().flatten() {
        Some(text) => raw.set_item(BACKUP_KEY, &text).is_ok(),
        None => false,
    }
}

/// Keep a playground aside before the page replaces it (another example, Reset, Restart,
/// Import); true when it was stored.
pub fn keep_aside(s: &Saved) -> bool {
    match serde_json::to_string(s) {
        Ok(text) => LocalStorage::raw().set_item(BACKUP_KEY, &text).is_ok(),
        Err(_) => false,
    }
}

/// The playground kept aside by [`backup`] or [`keep_aside`].
pub fn load_backup() -> Option<Result<Saved, String>> {
    let text: String = LocalStorage::raw().get_item(BACKUP_KEY).ok().flatten()?;
    Some(parse(&text))
}

/// Read a scenario file's text.
pub fn parse(text: &str) -> Result<Saved, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// The scenario file's text for Export.
pub fn export(s: &Saved) -> String {
    serde_json::to_string_pretty(s).unwrap_or_default()
}
