//! What the API server refuses when an object already exists, or because of what exists: update
//! validation and the admission checks that look at other objects.
//!
//! - `ValidateDaemonSetSpecUpdate` (pkg/apis/apps/validation/validation.go): the selector is
//!   immutable (`ValidateImmutableField`, "field is immutable").
//! - `ValidatePriorityClassUpdate` (pkg/apis/scheduling/validation/validation.go): `value` may not
//!   change, `preemptionPolicy` is immutable.
//! - The `Priority` admission plugin (plugin/pkg/admission/priority/admission.go): only one
//!   PriorityClass may be `globalDefault`.
//!
//! Each function returns the causes as the API server words them; the kubectl layer prints them
//! (`The DaemonSet "x" is invalid: <cause>`), as kubectl's `StandardErrorMessage` does.

use crate::labels::go_label_selector;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

const FIELD_IMMUTABLE: &str = "field is immutable";

/// `Semantic.DeepEqual` treats nil and empty slices and maps as equal.
fn same_selector(a: &LabelSelector, b: &LabelSelector) -> bool {
    let labels = |s: &LabelSelector| s.match_labels.clone().unwrap_or_default();
    let exprs = |s: &LabelSelector| {
        s.match_expressions
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.key, r.operator, r.values.unwrap_or_default()))
            .collect::<Vec<_>>()
    };
    labels(a) == labels(b) && exprs(a) == exprs(b)
}

/// The causes that refuse replacing `old` by `new`.
pub fn daemon_set_update(old: &DaemonSet, new: &DaemonSet) -> Vec<String> {
    let (Some(old_spec), Some(new_spec)) = (&old.spec, &new.spec) else {
        return Vec::new();
    };
    if same_selector(&old_spec.selector, &new_spec.selector) {
        return Vec::new();
    }
    vec![format!(
        "spec.selector: Invalid value: {}: {FIELD_IMMUTABLE}",
        go_label_selector(&new_spec.selector)
    )]
}

/// `SetDefaults_PriorityClass`: an unset preemption policy is `PreemptLowerPriority`.
fn preemption_policy(pc: &PriorityClass) -> &str {
    pc.preemption_policy
        .as_deref()
        .unwrap_or("PreemptLowerPriority")
}

/// The causes that refuse replacing `old` by `new`.
pub fn priority_class_update(old: &PriorityClass, new: &PriorityClass) -> Vec<String> {
    let mut causes = Vec::new();
    if old.value != new.value {
        causes.push("value: Forbidden: may not be changed in an update.".to_string());
    }
    if preemption_policy(old) != preemption_policy(new) {
        causes.push(format!(
            "preemptionPolicy: Invalid value: {:?}: {FIELD_IMMUTABLE}",
            preemption_policy(new)
        ));
    }
    causes
}

/// The admission plugin's refusal of a second default class, or `None`. `existing` are the classes
/// already stored (an update of the default class itself is allowed).
pub fn global_default_conflict<'a>(
    existing: impl IntoIterator<Item = &'a PriorityClass>,
    new: &PriorityClass,
) -> Option<String> {
    if new.global_default != Some(true) {
        return None;
    }
    let default = existing
        .into_iter()
        .find(|pc| pc.global_default == Some(true))?;
    let name = default.metadata.name.as_deref().unwrap_or("");
    (name != new.metadata.name.as_deref().unwrap_or("")).then(|| {
        format!("PriorityClass {name} is already marked as default. Only one default can exist")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ds(selector: serde_json::Value) -> DaemonSet {
        serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "x"},
            "spec": {"selector": selector, "template": {}}
        }))
        .unwrap()
    }

    fn pc(name: &str, value: i32, default: bool) -> PriorityClass {
        serde_json::from_value(json!({
            "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
            "metadata": {"name": name}, "value": value, "globalDefault": default
        }))
        .unwrap()
    }

    #[test]
    fn a_daemon_sets_selector_is_immutable() {
        let old = ds(json!({"matchLabels": {"app": "x"}}));
        assert!(daemon_set_update(&old, &old).is_empty());
        // nil and empty expressions are the same to Semantic.DeepEqual.
        let same = ds(json!({"matchLabels": {"app": "x"}, "matchExpressions": []}));
        assert!(daemon_set_update(&old, &same).is_empty());
        let new = ds(json!({"matchLabels": {"app": "y", "tier": "a"}}));
        // The value as `%#v` prints it; the common form of this error in kubectl's output.
        assert_eq!(
            daemon_set_update(&old, &new),
            [
                r#"spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"y", "tier":"a"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"#
            ]
        );
    }

    #[test]
    fn a_priority_class_value_may_not_change() {
        let old = pc("high", 1000, false);
        assert!(priority_class_update(&old, &old).is_empty());
        assert_eq!(
            priority_class_update(&old, &pc("high", 2000, false)),
            ["value: Forbidden: may not be changed in an update."]
        );
    }

    #[test]
    fn only_one_global_default() {
        // plugin/pkg/admission/priority/admission.go: a second default is refused on create and
        // on update; the default itself may be updated.
        let first = pc("first", 1, true);
        let second = pc("second", 2, true);
        assert_eq!(
            global_default_conflict([&first], &second).as_deref(),
            Some("PriorityClass first is already marked as default. Only one default can exist")
        );
        assert_eq!(global_default_conflict([&first], &first), None);
        assert_eq!(
            global_default_conflict([&first], &pc("third", 3, false)),
            None
        );
    }
}
