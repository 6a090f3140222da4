//! `kubectl scale`, after kubectl's `cmd/scale`.

use super::args::Args;
use super::{namespace, not_found, unknown_resource, Output, Resource};
use crate::engine::Cluster;

/// `kubectl scale`: a DaemonSet has no scale subresource, so the server answers NotFound for it
/// (the DaemonSet itself must exist first).
pub fn scale(c: &mut Cluster, a: &Args) -> Output {
    let (t, name) = match a.positional.first().map(|w| w.split_once('/')) {
        Some(Some((t, n))) => (t.to_string(), n.to_string()),
        _ => (
            a.positional.first().cloned().unwrap_or_default(),
            a.positional.get(1).cloned().unwrap_or_default(),
        ),
    };
    if a.value(&["replicas"]).is_none() {
        return Output::err("error: required flag(s) \"replicas\" not set");
    }
    match Resource::parse(&t) {
        Some(Resource::DaemonSets) => {
            if c.daemon_sets.contains_key(&(namespace(a), name.clone())) {
                Output::err("Error from server (NotFound): the server could not find the requested resource")
            } else {
                Output::err(not_found(Resource::DaemonSets, &name))
            }
        }
        Some(r) => Output::err(format!(
            "error: {} cannot be scaled in the playground",
            r.plural_group()
        )),
        None => unknown_resource(&t),
    }
}
