//! `kubectl apply`'s three-way merge (apimachinery's `CreateThreeWayMergePatch`, as
//! `staging/src/k8s.io/kubectl/pkg/cmd/apply/patcher.go` uses it).
//!
//! The patch sent to the API server is made of
//! - every field the new configuration (*modified*) sets to something other than what the live
//!   object (*current*) has, maps compared key by key, and
//! - the deletion of every field the last applied configuration (*original*) had and the new one
//!   no longer has.
//!
//! So a field the configuration never mentions keeps whatever `kubectl taint`, `label`, `cordon`
//! or a controller put there; a field it mentions is set back to its value (a re-applied manifest
//! undoes a `set image`); and a field removed from the manifest is removed from the object. Lists
//! are replaced whole where they differ (strategic merge would merge lists such as containers
//! element by element: the difference shows only when a list is changed both in the manifest and
//! by hand).

use super::Resource;
use crate::engine::Cluster;
use crate::input::{decode_value, Objects};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Map, Value};
use std::sync::Arc;

/// The live object with the patch applied, and whether the patch was empty (kubectl then prints
/// `unchanged`).
pub fn three_way(original: Option<&Value>, modified: &Value, current: &Value) -> (Value, bool) {
    let mut out = current.clone();
    let changed = merge_into(&mut out, original, modified);
    (out, changed)
}

fn merge_into(current: &mut Value, original: Option<&Value>, modified: &Value) -> bool {
    let (Value::Object(cur), Value::Object(m)) = (&mut *current, modified) else {
        if current != modified {
            *current = modified.clone();
            return true;
        }
        return false;
    };
    let mut changed = false;
    for (k, mv) in m {
        match cur.get_mut(k) {
            Some(cv) if cv == mv => {}
            Some(cv) if cv.is_object() && mv.is_object() => {
                let ov = original.and_then(|o| o.get(k));
                changed |= merge_into(cv, ov, mv);
            }
            _ => {
                cur.insert(k.clone(), mv.clone());
                changed = true;
            }
        }
    }
    if let Some(Value::Object(o)) = original {
        changed |= delete_removed(cur, o, m);
    }
    changed
}

/// Remove from `cur` what `original` had at this level and `modified` no longer has.
fn delete_removed(
    cur: &mut Map<String, Value>,
    original: &Map<String, Value>,
    modified: &Map<String, Value>,
) -> bool {
    let mut changed = false;
    for k in original.keys() {
        if !modified.contains_key(k) && cur.remove(k).is_some() {
            changed = true;
        }
    }
    changed
}

/// kubectl edit's patch (`CreateTwoWayMergePatch` in editoptions.go's visitToPatch): what
/// changed from `original` to `edited`, applied to `current`. Fields nobody edited keep their live
/// values, even when they changed while the editor was open.
pub fn two_way(original: &Value, edited: &Value, current: &Value) -> Value {
    let mut out = current.clone();
    apply_diff(&mut out, original, edited);
    out
}

fn apply_diff(cur: &mut Value, original: &Value, edited: &Value) {
    let (Value::Object(o), Value::Object(e), Value::Object(c)) = (original, edited, &mut *cur)
    else {
        if original != edited {
            *cur = edited.clone();
        }
        return;
    };
    for (k, ev) in e {
        match (o.get(k), c.get_mut(k)) {
            (Some(ov), _) if ov == ev => {}
            (Some(ov), Some(cv)) if ov.is_object() && ev.is_object() => apply_diff(cv, ov, ev),
            _ => {
                c.insert(k.clone(), ev.clone());
            }
        }
    }
    delete_removed(c, o, e);
}

/// The object of kind `r` named `ns/name` in `o`, as JSON.
pub(super) fn config_json(o: &Objects, r: Resource, ns: &str, name: &str) -> Option<Value> {
    macro_rules! find {
        ($field:ident) => {
            o.$field
                .iter()
                .find(|x| named(&x.metadata, r, ns, name))
                .and_then(|x| serde_json::to_value(x).ok())
        };
    }
    match r {
        Resource::DaemonSets => find!(daemon_sets),
        Resource::Nodes => find!(nodes),
        Resource::Pods => find!(pods),
        Resource::PriorityClasses => find!(priority_classes),
        Resource::PodDisruptionBudgets => find!(pod_disruption_budgets),
        Resource::Namespaces => find!(namespaces),
        _ => None,
    }
}

/// The live object, as JSON.
pub(super) fn live_json(c: &Cluster, r: Resource, ns: &str, name: &str) -> Option<Value> {
    let key = (ns.to_string(), name.to_string());
    let v = match r {
        Resource::DaemonSets => serde_json::to_value(c.daemon_sets.get(&key)?),
        Resource::Nodes => serde_json::to_value(c.nodes.get(name)?),
        Resource::Pods => serde_json::to_value(c.pods.get(&key)?),
        Resource::PriorityClasses => serde_json::to_value(c.priority_classes.get(name)?),
        Resource::PodDisruptionBudgets => serde_json::to_value(c.pdbs.get(&key)?),
        Resource::Namespaces => serde_json::to_value(c.namespaces.get(name)?),
        _ => return None,
    };
    v.ok()
}

/// Put `merged` in place of the object in `o`; false when it does not decode.
pub(super) fn replace(o: &mut Objects, r: Resource, ns: &str, name: &str, merged: &Value) -> bool {
    macro_rules! put {
        ($field:ident) => {
            match (
                o.$field
                    .iter_mut()
                    .find(|x| named(&x.metadata, r, ns, name)),
                decode_value(merged),
            ) {
                (Some(slot), Ok(v)) => {
                    *slot = v;
                    true
                }
                _ => false,
            }
        };
    }
    match r {
        Resource::DaemonSets => put!(daemon_sets),
        Resource::Nodes => put!(nodes),
        Resource::Pods => put!(pods),
        Resource::PriorityClasses => put!(priority_classes),
        Resource::PodDisruptionBudgets => put!(pod_disruption_budgets),
        Resource::Namespaces => put!(namespaces),
        _ => false,
    }
}

/// Drop the listed objects from `o`.
pub(super) fn remove(o: &mut Objects, gone: &[(Resource, String, String)]) {
    macro_rules! drop_from {
        ($field:ident, $r:expr) => {
            o.$field.retain(|x| {
                !gone
                    .iter()
                    .any(|(r, ns, n)| *r == $r && named(&x.metadata, *r, ns, n))
            })
        };
    }
    drop_from!(daemon_sets, Resource::DaemonSets);
    drop_from!(nodes, Resource::Nodes);
    drop_from!(pods, Resource::Pods);
    drop_from!(priority_classes, Resource::PriorityClasses);
    drop_from!(pod_disruption_budgets, Resource::PodDisruptionBudgets);
    drop_from!(namespaces, Resource::Namespaces);
}

fn named(m: &ObjectMeta, r: Resource, ns: &str, name: &str) -> bool {
    m.name.as_deref() == Some(name)
        && (!r.namespaced() || m.namespace.as_deref().unwrap_or_default() == ns)
}

/// Keep each applied object's configuration as the last applied one (kubectl keeps it in the
/// `kubectl.kubernetes.io/last-applied-configuration` annotation; the playground keeps it beside
/// the object, so `-o yaml` stays short). A node dump of more than [`MAX_KEPT_NODES`] nodes keeps
/// none for its nodes: re-applying it then sets fields but cannot delete any.
pub(crate) fn record_applied(c: &mut Cluster, o: &Objects) {
    let keep_nodes = o.nodes.len() <= MAX_KEPT_NODES;
    for (r, ns, name) in super::objects_named(o) {
        if r == Resource::Nodes && !keep_nodes {
            continue;
        }
        if let Some(v) = config_json(o, r, &ns, &name) {
            c.last_applied
                .insert((r.kind_group().to_string(), ns, name), Arc::new(v));
        }
    }
}

/// The largest node list whose configurations are kept (see [`record_applied`]).
pub const MAX_KEPT_NODES: usize = 1000;

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use serde_json::json;

    #[test]
    fn fields_the_manifest_never_names_keep_their_live_values() {
        // A node applied with one label, then labelled, tainted and cordoned by hand.
        let original = json!({"metadata": {"name": "n1", "labels": {"a": "1"}}});
        let current = json!({
            "metadata": {"name": "n1", "labels": {"a": "1", "added": "by-hand"}, "uid": "u"},
            "spec": {"unschedulable": true, "taints": [{"key": "k", "effect": "NoSchedule"}]}
        });
        // Applying the same manifest again: an empty patch.
        let (out, changed) = three_way(Some(&original), &original, &current);
        assert!(!changed);
        assert_eq!(out, current);
        // A label changed in the manifest, another removed from it.
        let modified = json!({"metadata": {"name": "n1", "labels": {"b": "2"}}});
        let (out, changed) = three_way(Some(&original), &modified, &current);
        assert!(changed);
        assert_eq!(
            out["metadata"]["labels"],
            json!({"added": "by-hand", "b": "2"})
        );
        assert_eq!(out["spec"], current["spec"], "taints and cordon are kept");
        assert_eq!(out["metadata"]["uid"], "u");
    }

    #[test]
    fn an_edit_patches_only_what_the_editor_changed() {
        let opened = json!({"spec": {"image": "v1", "n": 1}, "status": {"ready": 1}});
        let saved = json!({"spec": {"image": "v2", "n": 1}, "status": {"ready": 1}});
        // While the editor was open the controller moved status and someone changed n.
        let live = json!({"spec": {"image": "v1", "n": 5}, "status": {"ready": 3}});
        let out = two_way(&opened, &saved, &live);
        assert_eq!(
            out,
            json!({"spec": {"image": "v2", "n": 5}, "status": {"ready": 3}})
        );
        // A field deleted in the editor is deleted.
        let out = two_way(
            &opened,
            &json!({"spec": {"image": "v1"}, "status": {"ready": 1}}),
            &live,
        );
        assert_eq!(out["spec"], json!({"image": "v1"}));
    }

    #[test]
    fn a_field_the_manifest_names_is_set_back() {
        let original =
            json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "v1"}]}}}});
        let current = json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "v2"}]}}}, "status": {"x": 1}});
        let (out, changed) = three_way(Some(&original), &original, &current);
        assert!(changed, "the set image is undone");
        assert_eq!(out["spec"], original["spec"]);
        assert_eq!(out["status"], json!({"x": 1}));
        // Without a last-applied configuration nothing is deleted.
        let (out, _) = three_way(None, &json!({"spec": {}}), &current);
        assert_eq!(out["spec"], current["spec"]);
    }
}
