//! Label keys, label values, names and label selectors, as upstream validates and matches them.
//!
//! Mirrors `staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go` (the wording of the
//! syntax errors) and `staging/src/k8s.io/apimachinery/pkg/labels/selector.go` plus
//! `apis/meta/v1/helpers.go` (`LabelSelectorAsSelector`) for matching.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
use std::collections::BTreeMap;

const QUALIFIED_NAME_MAX: usize = 63;
const LABEL_VALUE_MAX: usize = 63;
const DNS1123_SUBDOMAIN_MAX: usize = 253;
const DNS1123_LABEL_MAX: usize = 63;

const QUALIFIED_NAME_FMT: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_FMT: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const DNS1123_SUBDOMAIN_FMT: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL_FMT: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn is_name_part(s: &str) -> bool {
    let first = s.chars().next();
    let last = s.chars().last();
    matches!((first, last), (Some(f), Some(l)) if alnum(f) && alnum(l))
        && s.chars().all(|c| alnum(c) || matches!(c, '-' | '_' | '.'))
}

fn is_dns1123_label(s: &str) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    matches!((s.chars().next(), s.chars().last()), (Some(f), Some(l)) if ok(f) && ok(l))
        && s.chars().all(|c| ok(c) || c == '-')
}

/// Errors for a qualified name such as a label key (`IsQualifiedName`): an optional DNS subdomain
/// prefix and `/`, then a name part of at most 63 characters.
pub fn qualified_name_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                for e in dns1123_subdomain_errors(prefix) {
                    errs.push(format!("prefix part {e}"));
                }
            }
            *name
        }
        _ => {
            errs.push(format!("a qualified name {QUALIFIED_NAME_FMT_SHORT}"));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > QUALIFIED_NAME_MAX {
        errs.push(format!(
            "name part must be no more than {QUALIFIED_NAME_MAX} characters"
        ));
    }
    if !name.is_empty() && !is_name_part(name) {
        errs.push(QUALIFIED_NAME_FMT.to_string());
    }
    errs
}

const QUALIFIED_NAME_FMT_SHORT: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";

/// `IsQualifiedName` as a yes/no answer, without building messages.
pub fn is_qualified_name(value: &str) -> bool {
    let (prefix, name) = match value.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, value),
    };
    let prefix_ok = prefix.is_none_or(|p| {
        !p.is_empty() && p.len() <= DNS1123_SUBDOMAIN_MAX && p.split('.').all(is_dns1123_label)
    });
    prefix_ok
        && !name.contains('/')
        && !name.is_empty()
        && name.len() <= QUALIFIED_NAME_MAX
        && is_name_part(name)
}

/// `IsValidLabelValue` as a yes/no answer.
pub fn is_label_value(value: &str) -> bool {
    value.len() <= LABEL_VALUE_MAX && (value.is_empty() || is_name_part(value))
}

/// Errors for a label value (`IsValidLabelValue`).
pub fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX {
        errs.push(format!("must be no more than {LABEL_VALUE_MAX} characters"));
    }
    if !value.is_empty() && !is_name_part(value) {
        errs.push(LABEL_VALUE_FMT.to_string());
    }
    errs
}

/// Errors for a DNS-1123 subdomain (`IsDNS1123Subdomain`), the rule for most object names.
pub fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX {
        errs.push(format!(
            "must be no more than {DNS1123_SUBDOMAIN_MAX} characters"
        ));
    }
    if value.is_empty() || !value.split('.').all(is_dns1123_label) {
        errs.push(DNS1123_SUBDOMAIN_FMT.to_string());
    }
    errs
}

/// Errors for a DNS-1123 label (`IsDNS1123Label`), the rule for namespace names.
pub fn dns1123_label_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX {
        errs.push(format!(
            "must be no more than {DNS1123_LABEL_MAX} characters"
        ));
    }
    if !is_dns1123_label(value) {
        errs.push(DNS1123_LABEL_FMT.to_string());
    }
    errs
}

/// One requirement of a compiled label selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl Requirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self {
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        }
    }
}

/// A `metav1.LabelSelector` compiled once. `None` requirements means the selector matches
/// nothing (a nil selector); an empty list matches everything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    requirements: Option<Vec<Requirement>>,
}

/// A problem found while compiling a selector: the field path below the selector and the cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorError {
    pub path: String,
    pub cause: String,
}

impl Selector {
    pub fn nothing() -> Self {
        Selector { requirements: None }
    }

    pub fn everything() -> Self {
        Selector {
            requirements: Some(Vec::new()),
        }
    }

    /// `LabelSelectorAsSelector`: nil matches nothing, empty matches everything.
    pub fn compile(sel: Option<&LabelSelector>) -> Result<Selector, SelectorError> {
        let Some(sel) = sel else {
            return Ok(Selector::nothing());
        };
        let mut reqs = Vec::new();
        for (k, v) in sel.match_labels.iter().flatten() {
            reqs.push(Requirement::In(k.clone(), vec![v.clone()]));
        }
        for (i, e) in sel.match_expressions.iter().flatten().enumerate() {
            let values = e.values.clone().unwrap_or_default();
            let path = format!("matchExpressions[{i}]");
            let req = match e.operator.as_str() {
                "In" | "NotIn" if values.is_empty() => {
                    return Err(SelectorError {
                        path: format!("{path}.values"),
                        cause: "Required value: must be specified when `operator` is 'In' or 'NotIn'"
                            .into(),
                    })
                }
                "Exists" | "DoesNotExist" if !values.is_empty() => {
                    return Err(SelectorError {
                        path: format!("{path}.values"),
                        cause: "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'".into(),
                    })
                }
                "In" => Requirement::In(e.key.clone(), values),
                "NotIn" => Requirement::NotIn(e.key.clone(), values),
                "Exists" => Requirement::Exists(e.key.clone()),
                "DoesNotExist" => Requirement::DoesNotExist(e.key.clone()),
                other => {
                    return Err(SelectorError {
                        path: format!("{path}.operator"),
                        cause: format!("Invalid value: {other:?}: not a valid selector operator"),
                    })
                }
            };
            reqs.push(req);
        }
        Ok(Selector {
            requirements: Some(reqs),
        })
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match &self.requirements {
            None => false,
            Some(reqs) => reqs.iter().all(|r| r.matches(labels)),
        }
    }

    pub fn is_empty(&self) -> bool {
        matches!(&self.requirements, Some(r) if r.is_empty())
    }
}

/// Go's `%#v` rendering of a `map[string]string`, as validation messages print label maps.
pub fn go_map_literal(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "map[string]string(nil)".to_string();
    }
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", inner.join(", "))
}

/// A label selector as Go's `%#v` prints a `v1.LabelSelector` value: field errors about a selector
/// print it so (`ErrorBody` in apimachinery's `field/errors.go` falls back to `%#v`, as the value
/// type has no `String` method of its own).
pub fn go_label_selector(s: &LabelSelector) -> String {
    let labels = match &s.match_labels {
        Some(m) if m.is_empty() => "map[string]string{}".to_string(),
        Some(m) => go_map_literal(m),
        None => "map[string]string(nil)".to_string(),
    };
    let go_strings = |v: &Option<Vec<String>>| match v {
        None => "[]string(nil)".to_string(),
        Some(v) => format!(
            "[]string{{{}}}",
            v.iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let exprs = match &s.match_expressions {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(v) => format!(
            "[]v1.LabelSelectorRequirement{{{}}}",
            v.iter()
                .map(|r| format!(
                    "v1.LabelSelectorRequirement{{Key:{:?}, Operator:{:?}, Values:{}}}",
                    r.key,
                    r.operator,
                    go_strings(&r.values)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("v1.LabelSelector{{MatchLabels:{labels}, MatchExpressions:{exprs}}}")
}

/// `LabelSelectorAsSelector(sel).String()`: requirements sorted by key, values sorted; an empty
/// selector (everything) and a missing one (nothing) both print as "".
pub fn selector_string(sel: Option<&LabelSelector>) -> String {
    let Some(sel) = sel else {
        return String::new();
    };
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in sel.match_labels.iter().flatten() {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for e in sel.match_expressions.iter().flatten() {
        let mut values = e.values.clone().unwrap_or_default();
        values.sort();
        let k = &e.key;
        let text = match e.operator.as_str() {
            "In" => format!("{k} in ({})", values.join(",")),
            "NotIn" => format!("{k} notin ({})", values.join(",")),
            "Exists" => k.clone(),
            "DoesNotExist" => format!("!{k}"),
            _ => return "<error>".into(),
        };
        reqs.push((k.clone(), text));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// `metav1.FormatLabelSelector`: the selector string, `<none>` when empty.
pub fn format_label_selector(sel: Option<&LabelSelector>) -> String {
    let s = selector_string(sel);
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

/// Parse a label selector as kubectl's `-l` takes it: `a=b,c!=d,e,!f,g in (x,y),h notin (z)`.
pub fn parse_selector(s: &str) -> Result<Selector, String> {
    let mut exprs = Vec::new();
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for ch in s.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    parts.push(cur);
    for p in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let req = |key: &str, op: &str, values: Vec<String>| LabelSelectorRequirement {
            key: key.trim().to_string(),
            operator: op.to_string(),
            values: (!values.is_empty()).then_some(values),
        };
        let set = |v: &str| -> Vec<String> {
            v.trim()
                .trim_start_matches('(')
                .trim_end_matches(')')
                .split(',')
                .map(|x| x.trim().to_string())
                .collect()
        };
        let r = if let Some((k, v)) = p.split_once("!=") {
            req(k, "NotIn", vec![v.trim().to_string()])
        } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
            req(k, "In", vec![v.trim().to_string()])
        } else if let Some((k, v)) = p.split_once(" notin ") {
            req(k, "NotIn", set(v))
        } else if let Some((k, v)) = p.split_once(" in ") {
            req(k, "In", set(v))
        } else if let Some(k) = p.strip_prefix('!') {
            req(k, "DoesNotExist", vec![])
        } else if p.contains(' ') || p.contains('(') {
            return Err(format!("unable to parse requirement: {p}"));
        } else {
            req(p, "Exists", vec![])
        };
        exprs.push(r);
    }
    Selector::compile(Some(&LabelSelector {
        match_labels: None,
        match_expressions: Some(exprs),
    }))
    .map_err(|e| e.cause)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selectors_print_sorted_as_label_selector_as_selector_does() {
        // LabelSelectorAsSelector adds every requirement to one selector, which keeps them sorted
        // by key (internalSelector.Add), and NewRequirement sorts a requirement's values.
        let ls = LabelSelector {
            match_labels: Some(labels(&[("zone", "a")])),
            match_expressions: Some(vec![
                LabelSelectorRequirement {
                    key: "tier".into(),
                    operator: "In".into(),
                    values: Some(vec!["web".into(), "api".into()]),
                },
                LabelSelectorRequirement {
                    key: "legacy".into(),
                    operator: "DoesNotExist".into(),
                    values: None,
                },
            ]),
        };
        assert_eq!(
            selector_string(Some(&ls)),
            "!legacy,tier in (api,web),zone=a"
        );
        // FormatLabelSelector: "<none>" for an empty selector.
        assert_eq!(
            format_label_selector(Some(&LabelSelector::default())),
            "<none>"
        );
    }

    #[test]
    fn label_keys_follow_is_qualified_name() {
        let cases: &[(&str, bool)] = &[
            ("app", true),
            ("k8s-app", true),
            ("node-role.kubernetes.io/control-plane", true),
            ("example.com/MyName", true),
            ("a_b.c", true),
            ("", false),
            ("-app", false),
            ("app-", false),
            ("bad key", false),
            ("/name", false),
            ("Example.com/name", false),
            ("a/b/c", false),
            (&"x".repeat(63), true),
            (&"x".repeat(64), false),
        ];
        for (key, ok) in cases {
            assert_eq!(qualified_name_errors(key).is_empty(), *ok, "key {key:?}");
            assert_eq!(is_qualified_name(key), *ok, "fast check, key {key:?}");
        }
    }

    #[test]
    fn label_values_may_be_empty_and_63_long() {
        for (v, ok) in [
            ("", true),
            ("v1", true),
            ("a.b_c-d", true),
            ("-a", false),
            ("a b", false),
        ] {
            assert_eq!(label_value_errors(v).is_empty(), ok, "value {v:?}");
        }
        assert!(label_value_errors(&"a".repeat(63)).is_empty());
        assert_eq!(
            label_value_errors(&"a".repeat(64)),
            vec!["must be no more than 63 characters".to_string()]
        );
    }

    #[test]
    fn names_are_dns_subdomains_and_namespaces_dns_labels() {
        assert!(dns1123_subdomain_errors("fluentd-elasticsearch").is_empty());
        assert!(dns1123_subdomain_errors("node-1.example.com").is_empty());
        assert!(!dns1123_subdomain_errors("Fluentd").is_empty());
        assert!(!dns1123_subdomain_errors("").is_empty());
        assert!(!dns1123_subdomain_errors("a..b").is_empty());
        assert!(dns1123_label_errors("kube-system").is_empty());
        assert!(!dns1123_label_errors("kube.system").is_empty());
    }

    #[test]
    fn selector_semantics() {
        let sel = LabelSelector {
            match_labels: Some(labels(&[("app", "a")])),
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: "NotIn".into(),
                values: Some(vec!["db".into()]),
            }]),
        };
        let s = Selector::compile(Some(&sel)).unwrap();
        assert!(
            s.matches(&labels(&[("app", "a")])),
            "NotIn holds when key absent"
        );
        assert!(s.matches(&labels(&[("app", "a"), ("tier", "web")])));
        assert!(!s.matches(&labels(&[("app", "a"), ("tier", "db")])));
        assert!(!s.matches(&labels(&[("app", "b")])));
        assert!(
            !Selector::compile(None).unwrap().matches(&labels(&[])),
            "nil matches nothing"
        );
        let empty = Selector::compile(Some(&LabelSelector::default())).unwrap();
        assert!(
            empty.matches(&labels(&[("x", "y")])),
            "empty matches everything"
        );
    }

    #[test]
    fn selector_operator_errors_use_upstream_wording() {
        let bad = LabelSelector {
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "a".into(),
                operator: "Equals".into(),
                values: Some(vec!["x".into()]),
            }]),
            ..Default::default()
        };
        let err = Selector::compile(Some(&bad)).unwrap_err();
        assert_eq!(err.path, "matchExpressions[0].operator");
        assert_eq!(
            err.cause,
            "Invalid value: \"Equals\": not a valid selector operator"
        );
    }

    #[test]
    fn go_map_literal_matches_percent_hash_v() {
        assert_eq!(
            go_map_literal(&labels(&[("app", "x"), ("b", "y")])),
            r#"map[string]string{"app":"x", "b":"y"}"#
        );
    }
}
