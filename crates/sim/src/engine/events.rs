//! Events as `kubectl get events` lists them: repeated events are folded into one with a count,
//! as the API server's event aggregation does.

use super::time::Millis;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRecord {
    pub first_seen: Millis,
    pub last_seen: Millis,
    pub count: u32,
    /// `Normal` or `Warning`.
    pub type_: &'static str,
    pub reason: &'static str,
    /// The involved object: kind (`Pod`, `DaemonSet`, `Node`), namespace ("" for nodes), name.
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub message: String,
}

impl EventRecord {
    /// `kind/name` as the OBJECT column prints it (`pod/fluentd-x2k9f`, `daemonset/fluentd`).
    pub fn object(&self) -> String {
        format!("{}/{}", self.kind.to_lowercase(), self.name)
    }
}

/// The event log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EventLog {
    pub records: Vec<EventRecord>,
}

impl EventLog {
    #[allow(clippy::too_many_arguments)]
    pub fn emit(
        &mut self,
        now: Millis,
        type_: &'static str,
        reason: &'static str,
        kind: &'static str,
        namespace: &str,
        name: &str,
        message: String,
    ) {
        // Fold into a recent identical event (same object, reason and message).
        if let Some(e) = self.records.iter_mut().rev().take(64).find(|e| {
            e.kind == kind
                && e.reason == reason
                && e.name == name
                && e.namespace == namespace
                && e.message == message
        }) {
            e.count += 1;
            e.last_seen = now;
            return;
        }
        self.records.push(EventRecord {
            first_seen: now,
            last_seen: now,
            count: 1,
            type_,
            reason,
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
            message,
        });
    }

    /// Events about one object, oldest first.
    pub fn about<'a>(
        &'a self,
        kind: &'a str,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a EventRecord> + 'a {
        self.records
            .iter()
            .filter(move |e| e.kind == kind && e.namespace == namespace && e.name == name)
    }
}
