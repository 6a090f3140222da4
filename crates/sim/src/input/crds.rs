//! CustomResourceDefinitions and custom resources in the input.
//!
//! Most operator, CNI and CSI bundles carry CRDs (and sometimes resources of their kinds) beside
//! their DaemonSets. A CRD is valid Kubernetes that the playground does not simulate: it is set
//! aside like a ConfigMap, and the kinds it defines become known for the rest of the input. A
//! resource of such a kind is set aside too. A resource whose kind no CRD in the input (and no
//! built-in API) defines gets kubectl's `no matches for kind` error, for that document only.
//!
//! Real `kubectl apply -f` maps every object before it creates any, so on a fresh cluster it
//! reports `no matches for kind` for a custom resource even when its CRD is in the same file, and a
//! second apply succeeds; the warning for such an object says so.

use super::{join_path, kinds, DocContext};
use crate::diag::Diagnostic;
use serde_json::Value;

/// A kind defined by a CRD of the input.
#[derive(Debug)]
struct Defined {
    crd: String,
    group: String,
    kind: String,
    /// The versions with `served: true`.
    versions: Vec<String>,
}

/// An object of an unknown kind, whose error may turn into a warning once every CRD is read.
#[derive(Debug)]
struct Pending {
    /// Where its diagnostic is in the load's list.
    diagnostic: usize,
    api_version: String,
    kind: String,
    name: String,
}

#[derive(Debug, Default)]
pub(crate) struct Custom {
    defined: Vec<Defined>,
    pending: Vec<Pending>,
}

fn split_group(api_version: &str) -> (&str, &str) {
    api_version.rsplit_once('/').unwrap_or(("", api_version))
}

impl Custom {
    fn defines(&self, api_version: &str, kind: &str) -> Option<&Defined> {
        let (group, version) = split_group(api_version);
        self.defined
            .iter()
            .find(|d| d.group == group && d.kind == kind && d.versions.iter().any(|v| v == version))
    }

    /// Turn the errors of custom resources whose CRD came later in the input into warnings.
    pub(crate) fn settle(&self, diagnostics: &mut [Diagnostic]) {
        for p in &self.pending {
            let Some(d) = self.defines(&p.api_version, &p.kind) else {
                continue;
            };
            let Some(slot) = diagnostics.get_mut(p.diagnostic) else {
                continue;
            };
            *slot = set_aside(slot, &p.kind, &p.name, &d.crd);
        }
    }
}

fn set_aside(at: &Diagnostic, kind: &str, name: &str, crd: &str) -> Diagnostic {
    let mut d = Diagnostic::warning(format!(
        "{kind} {name:?} is a custom resource (CustomResourceDefinition {crd:?} in this input); the playground does not simulate it; it was set aside"
    ))
    .with_hint(format!(
        "on a fresh cluster, one kubectl apply of this input creates the CRD but reports `no matches for kind {kind:?}` for this object (kubectl maps every object before it creates any); applying again once the CRD is established succeeds"
    ));
    d.source = at.source.clone();
    d.document = at.document;
    d.line = at.line;
    d.column = at.column;
    d
}

/// A `CustomResourceDefinition` (apiextensions.k8s.io/v1): remember its kind and served
/// versions, and set it aside.
pub(crate) fn definition(ctx: &mut DocContext, value: &Value, name: &str, prefix: &str) {
    let spec = value.get("spec");
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
    let group = text(spec.and_then(|s| s.get("group")));
    let kind = text(
        spec.and_then(|s| s.get("names"))
            .and_then(|n| n.get("kind")),
    );
    let versions = spec
        .and_then(|s| s.get("versions"))
        .and_then(Value::as_array)
        .map(|vs| {
            vs.iter()
                .filter(|v| v.get("served").and_then(Value::as_bool) == Some(true))
                .map(|v| text(v.get("name")))
                .collect()
        })
        .unwrap_or_default();
    ctx.custom.defined.push(Defined {
        crd: name.to_string(),
        group,
        kind,
        versions,
    });
    ctx.push(
        Diagnostic::warning(format!(
            "{} {name:?} is valid Kubernetes but the playground does not simulate {} objects; it was set aside",
            kinds::CRD_KIND,
            kinds::CRD_KIND
        )),
        prefix,
    );
}

/// An object of a kind that is not built in at its apiVersion: set aside when a CRD of the input
/// defines it, else kubectl's error (`resource mapping not found … no matches for kind`).
pub(crate) fn custom_or_unknown(
    ctx: &mut DocContext,
    api_version: &str,
    kind: &str,
    name: &str,
    namespace: &str,
    prefix: &str,
) {
    let from = ctx
        .source
        .map(|s| format!(" from {s:?}"))
        .unwrap_or_default();
    let d = Diagnostic::error(format!(
        "resource mapping not found for name: {name:?} namespace: {namespace:?}{from}: no matches for kind {kind:?} in version {api_version:?}"
    ));
    let d = match kinds::served_version(kind) {
        Some(v) if v != api_version => d.with_hint(format!(
            "{kind} is served as {v} in Kubernetes 1.35; change apiVersion to {v}"
        )),
        _ => d.with_hint(
            "ensure CRDs are installed first: add the CustomResourceDefinition of this kind to the input; the playground simulates Node, DaemonSet, Pod, PriorityClass, PodDisruptionBudget and Namespace",
        ),
    };
    if let Some(crd) = ctx.custom.defines(api_version, kind).map(|d| d.crd.clone()) {
        // Its CRD came earlier in the input.
        ctx.push(
            set_aside(&d, kind, name, &crd),
            &join_path(prefix, "apiVersion"),
        );
        return;
    }
    ctx.push(d, &join_path(prefix, "apiVersion"));
    let diagnostic = ctx.offset + ctx.diagnostics.len() - 1;
    ctx.custom.pending.push(Pending {
        diagnostic,
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        name: name.to_string(),
    });
}
