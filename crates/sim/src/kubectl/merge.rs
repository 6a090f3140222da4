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

/// Each object of `o` as JSON, in [`super::objects_named`]'s order (one pass, so a node dump is
/// not searched once per node).
/// With `nodes` false the nodes are left out as `null` (a big dump keeps no configuration).
pub(super) fn configs(o: &Objects, nodes: bool) -> Vec<Value> {
    fn json<T: serde::Serialize>(x: &T) -> Value {
        serde_json::to_value(x).unwrap_or(Value::Null)
    }
    let mut out = Vec::new();
    out.extend(o.namespaces.iter().map(json));
    out.extend(o.priority_classes.iter().map(json));
    out.extend(o.pod_disruption_budgets.iter().map(json));
    if nodes {
        out.extend(o.nodes.iter().map(json));
    } else {
        out.extend(o.nodes.iter().map(|_| Value::Null));
    }
    out.extend(o.daemon_sets.iter().map(json));
    out.extend(o.pods.iter().map(json));
    out
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

/// What becomes of each object of a manifest, in [`super::objects_named`]'s order.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Plan {
    /// Sent as it is.
    Keep,
    /// Not sent (refused, or nothing to change).
    Drop,
    /// Sent as this merge of it with the live object.
    Patched(Value),
}

/// `o` as the plans say, in one pass (a patched object that does not decode is dropped).
pub(super) fn rebuild(o: Objects, plans: &[Plan]) -> Objects {
    let mut plans = plans.iter();
    fn take<T: serde::de::DeserializeOwned>(
        v: Vec<T>,
        plans: &mut std::slice::Iter<'_, Plan>,
    ) -> Vec<T> {
        v.into_iter()
            .filter_map(|x| match plans.next().unwrap_or(&Plan::Keep) {
                Plan::Keep => Some(x),
                Plan::Drop => None,
                Plan::Patched(v) => decode_value(v).ok(),
            })
            .collect()
    }
    Objects {
        namespaces: take(o.namespaces, &mut plans),
        priority_classes: take(o.priority_classes, &mut plans),
        pod_disruption_budgets: take(o.pod_disruption_budgets, &mut plans),
        nodes: take(o.nodes, &mut plans),
        daemon_sets: take(o.daemon_sets, &mut plans),
        pods: take(o.pods, &mut plans),
        scenario: o.scenario,
    }
}

/// Keep each applied object's configuration as the last applied one (kubectl keeps it in the
/// `kubectl.kubernetes.io/last-applied-configuration` annotation; the playground keeps it beside
/// the object, so `-o yaml` stays short). `applied` pairs each object with its configuration. A
/// manifest of more than [`MAX_KEPT_NODES`] nodes keeps none for its nodes: re-applying it then
/// sets fields but cannot delete any.
pub(crate) fn record_applied<'a>(
    c: &mut Cluster,
    applied: impl Iterator<Item = (&'a (Resource, String, String), Value)>,
    nodes: usize,
) {
    let keep_nodes = nodes <= MAX_KEPT_NODES;
    for ((r, ns, name), v) in applied {
        if *r == Resource::Nodes && !keep_nodes {
            continue;
        }
        c.last_applied.insert(
            (r.kind_group().to_string(), ns.clone(), name.clone()),
            Arc::new(v),
        );
    }
}

/// [`record_applied`] for every object of `o` (a cluster's start).
pub(crate) fn record_all(c: &mut Cluster, o: &Objects) {
    let names = super::objects_named(o);
    let configs = configs(o, o.nodes.len() <= MAX_KEPT_NODES);
    record_applied(c, names.iter().zip(configs), o.nodes.len());
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
