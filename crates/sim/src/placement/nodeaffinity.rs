//! `spec.nodeSelector` AND required node affinity, term by term, with the reasons kept for people.
//!
//! Mirrors `staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go`
//! (`GetRequiredNodeAffinity(pod).Match(node)`), which both the DaemonSet controller and the
//! scheduler's NodeAffinity filter use: terms are ORed, requirements inside a term ANDed, a term
//! with a parse error or with no requirements matches nothing.

use k8s_openapi::api::core::v1::{Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SelectorPairCheck {
    pub key: String,
    pub value: String,
    /// The node's value for the key, if it has the label.
    pub node_value: Option<String>,
    pub matched: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequirementCheck {
    /// `matchExpressions` or `matchFields`.
    pub kind: &'static str,
    /// The requirement as written: `gpu In [true]`.
    pub text: String,
    /// What the node has for it: the label value, `no label`, or the node name.
    pub node_has: String,
    pub matched: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TermCheck {
    pub index: usize,
    pub requirements: Vec<RequirementCheck>,
    /// Why the whole term cannot match (a parse error, or a term with no requirements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invalid: Option<String>,
    pub matched: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AffinityMatch {
    pub node_selector: Vec<SelectorPairCheck>,
    /// `None` when the pod has no required node affinity.
    pub terms: Option<Vec<TermCheck>>,
    pub matched: bool,
}

/// Evaluate the pod's nodeSelector and required node affinity against a node.
pub fn required_node_affinity_match(spec: &PodSpec, node: &Node) -> AffinityMatch {
    let empty = BTreeMap::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    let node_name = node.metadata.name.as_deref().unwrap_or("");

    let node_selector: Vec<SelectorPairCheck> = spec
        .node_selector
        .iter()
        .flatten()
        .map(|(k, v)| {
            let node_value = labels.get(k).cloned();
            SelectorPairCheck {
                matched: node_value.as_deref() == Some(v.as_str()),
                key: k.clone(),
                value: v.clone(),
                node_value,
            }
        })
        .collect();
    let selector_ok = node_selector.iter().all(|c| c.matched);

    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| {
            na.required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    let terms = required.map(|r| {
        r.node_selector_terms
            .iter()
            .enumerate()
            .map(|(i, t)| check_term(i, t, labels, node_name))
            .collect::<Vec<_>>()
    });
    let affinity_ok = terms.as_ref().is_none_or(|ts| ts.iter().any(|t| t.matched));
    AffinityMatch {
        node_selector,
        terms,
        matched: selector_ok && affinity_ok,
    }
}

/// Whether the pod's nodeSelector and required node affinity match the node.
pub fn matches(spec: &PodSpec, node: &Node) -> bool {
    RequiredNodeAffinity::of(spec).matches(node)
}

/// A pod's nodeSelector and required node affinity, read once: which terms parse is settled here,
/// so matching a node allocates nothing. The same decision as [`required_node_affinity_match`],
/// without the explanation (the hot path on large clusters).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequiredNodeAffinity {
    selector: Vec<(String, String)>,
    /// `None`: no required node affinity. Each term: `None` when it matches nothing (it does not
    /// parse, or it has no requirements), else its `matchExpressions` and `matchFields`.
    terms: Option<Vec<Option<ValidTerm>>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct ValidTerm {
    expressions: Vec<NodeSelectorRequirement>,
    fields: Vec<NodeSelectorRequirement>,
}

impl RequiredNodeAffinity {
    pub fn of(spec: &PodSpec) -> Self {
        let selector = spec
            .node_selector
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let required = spec
            .affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|na| {
                na.required_during_scheduling_ignored_during_execution
                    .as_ref()
            });
        let terms = required.map(|r| {
            r.node_selector_terms
                .iter()
                .map(|t| {
                    let expressions = t.match_expressions.clone().unwrap_or_default();
                    let fields = t.match_fields.clone().unwrap_or_default();
                    let valid = (!expressions.is_empty() || !fields.is_empty())
                        && expressions
                            .iter()
                            .all(|r| label_requirement_error(r).is_none())
                        && fields.iter().all(|r| field_requirement_error(r).is_none());
                    valid.then_some(ValidTerm {
                        expressions,
                        fields,
                    })
                })
                .collect()
        });
        RequiredNodeAffinity { selector, terms }
    }

    pub fn matches(&self, node: &Node) -> bool {
        let empty = BTreeMap::new();
        let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
        if !self.selector.iter().all(|(k, v)| labels.get(k) == Some(v)) {
            return false;
        }
        let Some(terms) = &self.terms else {
            return true;
        };
        let node_name = node.metadata.name.as_deref().unwrap_or("");
        terms.iter().flatten().any(|t| {
            t.expressions
                .iter()
                .all(|r| label_requirement_eval(r, labels))
                && t.fields
                    .iter()
                    .all(|r| field_requirement_eval(r, node_name))
        })
    }
}

fn values_text(vs: &[String]) -> String {
    format!("[{}]", vs.join(" "))
}

fn check_term(
    index: usize,
    term: &NodeSelectorTerm,
    labels: &BTreeMap<String, String>,
    node_name: &str,
) -> TermCheck {
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    if exprs.is_empty() && fields.is_empty() {
        return TermCheck {
            index,
            requirements: Vec::new(),
            invalid: Some(
                "the term has no matchExpressions and no matchFields, so it matches no node".into(),
            ),
            matched: false,
        };
    }
    let mut requirements = Vec::new();
    let mut invalid = None;
    for r in exprs {
        match check_label_requirement(r, labels) {
            Ok(c) => requirements.push(c),
            Err(e) => {
                invalid.get_or_insert(e);
            }
        }
    }
    for r in fields {
        match check_field_requirement(r, node_name) {
            Ok(c) => requirements.push(c),
            Err(e) => {
                invalid.get_or_insert(e);
            }
        }
    }
    let matched = invalid.is_none() && requirements.iter().all(|c| c.matched);
    TermCheck {
        index,
        requirements,
        invalid,
        matched,
    }
}

/// Why a `matchExpressions` requirement does not parse (the whole term then matches nothing), or
/// `None` when it is valid. Depends only on the requirement, not on the node.
fn label_requirement_error(r: &NodeSelectorRequirement) -> Option<String> {
    let values = r.values.as_deref().unwrap_or(&[]);
    if !crate::labels::is_qualified_name(&r.key) {
        let e = crate::labels::qualified_name_errors(&r.key).join("; ");
        return Some(format!("invalid label key {:?}: {e}", r.key));
    }
    match r.operator.as_str() {
        "In" | "NotIn" => {
            if values.is_empty() {
                return Some("for 'in', 'notin' operators, values set can't be empty".into());
            }
            let bad = values.iter().find(|v| !crate::labels::is_label_value(v))?;
            let e = crate::labels::label_value_errors(bad).join("; ");
            Some(format!("invalid label value: {bad:?}: {e}"))
        }
        "Exists" | "DoesNotExist" => (!values.is_empty())
            .then(|| "values set must be empty for exists and does not exist".into()),
        "Gt" | "Lt" => {
            if values.len() != 1 {
                Some("for 'Gt', 'Lt' operators, exactly one value is required".into())
            } else if values[0].parse::<i64>().is_err() {
                Some("for 'Gt', 'Lt' operators, the value must be an integer".into())
            } else {
                None
            }
        }
        op => Some(format!("{op:?} is not a valid label selector operator")),
    }
}

/// Whether a valid `matchExpressions` requirement holds for the node's labels.
fn label_requirement_eval(r: &NodeSelectorRequirement, labels: &BTreeMap<String, String>) -> bool {
    let values = r.values.as_deref().unwrap_or(&[]);
    let node_value = labels.get(&r.key);
    match r.operator.as_str() {
        "In" => node_value.is_some_and(|v| values.contains(v)),
        "NotIn" => node_value.is_none_or(|v| !values.contains(v)),
        "Exists" => node_value.is_some(),
        "DoesNotExist" => node_value.is_none(),
        op => {
            let want = values.first().and_then(|v| v.parse::<i64>().ok());
            match (node_value.and_then(|v| v.parse::<i64>().ok()), want) {
                (Some(have), Some(want)) if op == "Gt" => have > want,
                (Some(have), Some(want)) if op == "Lt" => have < want,
                _ => false,
            }
        }
    }
}

/// Whether one `matchExpressions` requirement holds; `Err` when it does not parse.
fn label_requirement_holds(
    r: &NodeSelectorRequirement,
    labels: &BTreeMap<String, String>,
) -> Result<bool, String> {
    match label_requirement_error(r) {
        Some(e) => Err(e),
        None => Ok(label_requirement_eval(r, labels)),
    }
}

fn check_label_requirement(
    r: &NodeSelectorRequirement,
    labels: &BTreeMap<String, String>,
) -> Result<RequirementCheck, String> {
    let matched = label_requirement_holds(r, labels)?;
    let values = r.values.as_deref().unwrap_or(&[]);
    let text = match r.operator.as_str() {
        "Exists" | "DoesNotExist" => format!("{} {}", r.key, r.operator),
        _ => format!("{} {} {}", r.key, r.operator, values_text(values)),
    };
    Ok(RequirementCheck {
        kind: "matchExpressions",
        text,
        node_has: labels
            .get(&r.key)
            .map(|v| format!("{}={v}", r.key))
            .unwrap_or_else(|| format!("no label {}", r.key)),
        matched,
    })
}

/// Why a `matchFields` requirement does not parse, or `None` when it is valid.
fn field_requirement_error(r: &NodeSelectorRequirement) -> Option<String> {
    let n = r.values.as_ref().map_or(0, Vec::len);
    if n != 1 {
        return Some(format!(
            "unexpected number of value ({n}) for node field selector operator {:?}",
            r.operator
        ));
    }
    match r.operator.as_str() {
        "In" | "NotIn" => None,
        op => Some(format!(
            "{op:?} is not a valid node field selector operator"
        )),
    }
}

/// Whether a valid `matchFields` requirement holds. Only `metadata.name` exists as a node field;
/// any other key compares against an absent field.
fn field_requirement_eval(r: &NodeSelectorRequirement, node_name: &str) -> bool {
    let field = if r.key == "metadata.name" {
        node_name
    } else {
        ""
    };
    let equal = r
        .values
        .as_deref()
        .and_then(<[String]>::first)
        .is_some_and(|v| v == field);
    equal == (r.operator == "In")
}

/// Whether one `matchFields` requirement holds; `Err` when it does not parse.
fn field_requirement_holds(r: &NodeSelectorRequirement, node_name: &str) -> Result<bool, String> {
    match field_requirement_error(r) {
        Some(e) => Err(e),
        None => Ok(field_requirement_eval(r, node_name)),
    }
}

fn check_field_requirement(
    r: &NodeSelectorRequirement,
    node_name: &str,
) -> Result<RequirementCheck, String> {
    let matched = field_requirement_holds(r, node_name)?;
    let field = if r.key == "metadata.name" {
        node_name
    } else {
        ""
    };
    Ok(RequirementCheck {
        kind: "matchFields",
        text: format!(
            "{} {} {}",
            r.key,
            r.operator,
            values_text(r.values.as_deref().unwrap_or(&[]))
        ),
        node_has: format!("{}={field}", r.key),
        matched,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Affinity, NodeAffinity, NodeSelector};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn node(name: &str, labels: &[(&str, &str)]) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.into()),
                labels: Some(
                    labels
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                ),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn req(key: &str, op: &str, values: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement {
            key: key.into(),
            operator: op.into(),
            values: (!values.is_empty()).then(|| values.iter().map(|v| v.to_string()).collect()),
        }
    }

    fn spec_with(terms: Vec<NodeSelectorTerm>) -> PodSpec {
        PodSpec {
            affinity: Some(Affinity {
                node_affinity: Some(NodeAffinity {
                    required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                        node_selector_terms: terms,
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn exprs(rs: Vec<NodeSelectorRequirement>) -> NodeSelectorTerm {
        NodeSelectorTerm {
            match_expressions: Some(rs),
            match_fields: None,
        }
    }

    fn fields(rs: Vec<NodeSelectorRequirement>) -> NodeSelectorTerm {
        NodeSelectorTerm {
            match_expressions: None,
            match_fields: Some(rs),
        }
    }

    /// One row per rule of placement.md §7, after upstream nodeaffinity_test.go.
    #[test]
    fn required_node_affinity_table() {
        let n = node(
            "host_1",
            &[("foo", "bar"), ("kernel", "0206"), ("gpu", "true")],
        );
        let cases: Vec<(&str, PodSpec, bool)> = vec![
            ("no constraints", PodSpec::default(), true),
            (
                "In matches",
                spec_with(vec![exprs(vec![req("foo", "In", &["bar", "value2"])])]),
                true,
            ),
            (
                "In misses",
                spec_with(vec![exprs(vec![req("foo", "In", &["x"])])]),
                false,
            ),
            (
                "In on missing key is false",
                spec_with(vec![exprs(vec![req("zone", "In", &["a"])])]),
                false,
            ),
            (
                "NotIn on missing key is true",
                spec_with(vec![exprs(vec![req("zone", "NotIn", &["a"])])]),
                true,
            ),
            (
                "NotIn with the value is false",
                spec_with(vec![exprs(vec![req("foo", "NotIn", &["bar"])])]),
                false,
            ),
            (
                "Exists",
                spec_with(vec![exprs(vec![req("gpu", "Exists", &[])])]),
                true,
            ),
            (
                "DoesNotExist",
                spec_with(vec![exprs(vec![req("gpu", "DoesNotExist", &[])])]),
                false,
            ),
            (
                "Gt parses leading zeros as base 10",
                spec_with(vec![exprs(vec![req("kernel", "Gt", &["0204"])])]),
                true,
            ),
            (
                "Lt",
                spec_with(vec![exprs(vec![req("kernel", "Lt", &["206"])])]),
                false,
            ),
            // Requirement.Matches (apimachinery labels/selector.go): strictly greater or less.
            (
                "Gt with the label's own value is false",
                spec_with(vec![exprs(vec![req("kernel", "Gt", &["206"])])]),
                false,
            ),
            (
                "Gt one below the label's value",
                spec_with(vec![exprs(vec![req("kernel", "Gt", &["205"])])]),
                true,
            ),
            (
                "Lt one above the label's value",
                spec_with(vec![exprs(vec![req("kernel", "Lt", &["207"])])]),
                true,
            ),
            (
                "Lt with a negative value",
                spec_with(vec![exprs(vec![req("kernel", "Lt", &["-1"])])]),
                false,
            ),
            (
                "Gt on non-integer label is false",
                spec_with(vec![exprs(vec![req("foo", "Gt", &["1"])])]),
                false,
            ),
            (
                "Gt with two values is a parse error",
                spec_with(vec![exprs(vec![req("kernel", "Gt", &["1", "2"])])]),
                false,
            ),
            (
                "expressions in a term are ANDed",
                spec_with(vec![exprs(vec![
                    req("foo", "In", &["bar"]),
                    req("gpu", "DoesNotExist", &[]),
                ])]),
                false,
            ),
            (
                "terms are ORed",
                spec_with(vec![
                    exprs(vec![req("foo", "In", &["x"])]),
                    exprs(vec![req("gpu", "Exists", &[])]),
                ]),
                true,
            ),
            (
                "an empty term matches nothing",
                spec_with(vec![NodeSelectorTerm::default()]),
                false,
            ),
            (
                "an empty term list matches nothing",
                spec_with(vec![]),
                false,
            ),
            (
                "a bad term does not spoil a good one",
                spec_with(vec![
                    exprs(vec![req("foo", "In", &[])]),
                    exprs(vec![req("foo", "In", &["bar"])]),
                ]),
                true,
            ),
            (
                "invalid operator makes the term fail",
                spec_with(vec![exprs(vec![req("foo", "Equals", &["bar"])])]),
                false,
            ),
            (
                "matchFields metadata.name In",
                spec_with(vec![fields(vec![req("metadata.name", "In", &["host_1"])])]),
                true,
            ),
            (
                "matchFields metadata.name NotIn",
                spec_with(vec![fields(vec![req(
                    "metadata.name",
                    "NotIn",
                    &["host_1"],
                )])]),
                false,
            ),
            (
                "matchFields needs exactly one value",
                spec_with(vec![fields(vec![req(
                    "metadata.name",
                    "In",
                    &["host_1", "host_2"],
                )])]),
                false,
            ),
            (
                "labels never satisfy matchFields",
                spec_with(vec![fields(vec![req("foo", "In", &["bar"])])]),
                false,
            ),
            (
                "matchExpressions look at labels only",
                spec_with(vec![exprs(vec![req("metadata.name", "In", &["host_1"])])]),
                false,
            ),
            (
                "fields and expressions in a term are ANDed",
                spec_with(vec![NodeSelectorTerm {
                    match_expressions: Some(vec![req("foo", "In", &["bar"])]),
                    match_fields: Some(vec![req("metadata.name", "In", &["other"])]),
                }]),
                false,
            ),
        ];
        for (name, spec, want) in cases {
            assert_eq!(matches(&spec, &n), want, "{name} (compiled)");
            assert_eq!(
                required_node_affinity_match(&spec, &n).matched,
                want,
                "{name} (explained)"
            );
        }
    }

    #[test]
    fn node_selector_is_anded_with_affinity() {
        let n = node("a", &[("disktype", "ssd")]);
        let mut spec = PodSpec {
            node_selector: Some([("disktype".to_string(), "ssd".to_string())].into()),
            ..Default::default()
        };
        assert!(matches(&spec, &n));
        spec.node_selector = Some([("disktype".to_string(), "hdd".to_string())].into());
        let m = required_node_affinity_match(&spec, &n);
        assert!(!m.matched);
        assert_eq!(m.node_selector[0].node_value.as_deref(), Some("ssd"));
        let mut both = spec_with(vec![exprs(vec![req("disktype", "Exists", &[])])]);
        both.node_selector = Some([("disktype".to_string(), "hdd".to_string())].into());
        assert!(
            !matches(&both, &n),
            "affinity passes but the selector fails"
        );
    }

    #[test]
    fn explanation_names_the_failing_requirement() {
        let n = node("a", &[]);
        let m = required_node_affinity_match(
            &spec_with(vec![exprs(vec![req("gpu", "In", &["true"])])]),
            &n,
        );
        let t = &m.terms.unwrap()[0];
        assert_eq!(t.requirements[0].text, "gpu In [true]");
        assert_eq!(t.requirements[0].node_has, "no label gpu");
        assert!(!t.matched);
    }
}
