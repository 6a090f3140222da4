//! Helpers shared by the placement tests.

use serde_json::Value;

/// Deep-merge `from` into `into` (objects key by key; anything else replaces), to build test
/// objects as "a base plus what this row changes".
pub(crate) fn merge(into: &mut Value, from: Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v,
    }
}
