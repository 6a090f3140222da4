//! `kubectl set image`, after kubectl's `cmd/set`.

use super::apply::{change_cause, CHANGE_CAUSE, RECORD_DEPRECATED};
use super::args::Args;
use super::{namespace, not_found, unknown_resource, Output, Resource};
use crate::engine::Cluster;

/// `kubectl set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE…` (rollout.md §10.2).
pub fn set(c: &mut Cluster, a: &Args) -> Output {
    if a.positional.first().map(String::as_str) != Some("image") {
        return Output::err("error: the playground supports kubectl set image");
    }
    let rest = &a.positional[1..];
    let (res_word, name, pairs) = match rest.first() {
        Some(w) if w.contains('/') => {
            let (t, n) = w.split_once('/').unwrap_or_default();
            (t.to_string(), n.to_string(), rest[1..].to_vec())
        }
        Some(w) if rest.len() >= 2 && !rest[1].contains('=') => (w.clone(), rest[1].clone(), rest[2..].to_vec()),
        _ => return Output::err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>"),
    };
    let Some(r) = Resource::parse(&res_word) else {
        return unknown_resource(&res_word);
    };
    if pairs.is_empty() {
        return Output::err("error: at least one image update is required");
    }
    if r != Resource::DaemonSets {
        return Output::err("error: the playground sets images on DaemonSets (kubectl set image daemonset/NAME CONTAINER=IMAGE)");
    }
    let ns = namespace(a);
    let key = (ns, name.clone());
    let Some(mut ds) = c.daemon_sets.get(&key).cloned() else {
        return Output::err(not_found(Resource::DaemonSets, &name));
    };
    let Some(spec) = ds.spec.as_mut().and_then(|s| s.template.spec.as_mut()) else {
        return Output::err(not_found(Resource::DaemonSets, &name));
    };
    if pairs.len() > 1 && pairs.iter().any(|p| p.starts_with("*=")) {
        return Output::err("error: all containers are already specified by *, but saw more than one container_name=container_image pairs");
    }
    let mut changed = false;
    for p in &pairs {
        let Some((container, image)) = p.split_once('=') else {
            return Output::err("error: at least one image update is required");
        };
        let mut found = false;
        for ctr in spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut().flatten())
        {
            if container == "*" || ctr.name == container {
                found = true;
                if ctr.image.as_deref() != Some(image) {
                    ctr.image = Some(image.to_string());
                    changed = true;
                }
            }
        }
        if !found {
            return Output::err(format!(
                "error: unable to find container named \"{container}\""
            ));
        }
    }
    let cause = change_cause("set", a);
    let warning = if cause.is_some() {
        RECORD_DEPRECATED
    } else {
        ""
    };
    // The recorded command is part of the patch: with --record, only an identical earlier
    // record leaves the patch empty.
    if let Some(cause) = cause {
        let annotations = ds.metadata.annotations.get_or_insert_with(Default::default);
        if annotations.get(CHANGE_CAUSE) != Some(&cause) {
            annotations.insert(CHANGE_CAUSE.into(), cause);
            changed = true;
        }
    }
    if !changed {
        return Output {
            stderr: warning.into(),
            ..Output::default_ok()
        };
    }
    // The API server validates the patched object; kubectl wraps its refusal
    // (`failed to patch image update to pod template: …` in set_image.go), which loses the
    // "The … is invalid" form and keeps the error's own text.
    let text = serde_json::to_string(&ds).unwrap_or_default();
    let loaded = crate::input::load(&text);
    if let Some(d) = loaded.diagnostics.iter().find(|d| d.is_error()) {
        let why = d
            .message
            .strip_prefix("The DaemonSet ")
            .map_or_else(|| d.message.clone(), |m| format!("DaemonSet.apps {m}"));
        return Output::err(format!(
            "error: failed to patch image update to pod template: {why}"
        ));
    }
    c.apply_daemon_set(ds);
    c.settle();
    Output {
        stdout: format!("daemonset.apps/{name} image updated\n"),
        stderr: warning.into(),
        ok: true,
    }
}

impl Output {
    fn default_ok() -> Output {
        Output {
            stdout: String::new(),
            stderr: String::new(),
            ok: true,
        }
    }
}
