//! Reading user text into typed Kubernetes objects.
//!
//! YAML or JSON; many documents separated by `---`; `kind: List` and typed lists such as
//! `NodeList` as `kubectl get … -o yaml|json` prints them; comment-only and empty documents. Each
//! object is decoded into its k8s-openapi type, defaulted as the API server defaults it
//! ([`defaults`]) and validated with the API server's wording ([`validate`]). Objects the API server
//! would reject are left out; every problem becomes a located [`Diagnostic`].

mod crds;
mod decode;
pub mod defaults;
mod goerr;
mod kinds;
mod locate;
pub mod update;
pub mod validate;
pub(crate) mod yaml;

pub(crate) use decode::decode_value;
pub(crate) use yaml::resolves_as_string;

/// Read one YAML document into JSON as kubectl does (`sigs.k8s.io/yaml.YAMLToJSON`); `None` when
/// it does not parse.
pub fn yaml_to_json(text: &str) -> Option<Value> {
    yaml::to_json(text).ok()
}
use decode::Step;
use locate::Locator;

use crate::diag::Diagnostic;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Namespace, Node, Pod};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::scheduling::v1::PriorityClass;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A piece of user text and the name it came from (a file name, an editor tab).
#[derive(Clone, Debug)]
pub struct Source {
    pub name: Option<String>,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: Some(name.into()),
            text: text.into(),
        }
    }
}

/// The objects the playground simulates, in input order, defaulted and valid.
#[derive(Clone, Debug, Default)]
pub struct Objects {
    pub nodes: Vec<Node>,
    pub daemon_sets: Vec<DaemonSet>,
    pub pods: Vec<Pod>,
    pub priority_classes: Vec<PriorityClass>,
    pub pod_disruption_budgets: Vec<PodDisruptionBudget>,
    pub namespaces: Vec<Namespace>,
    /// The `kind: Scenario` document, if the input has one.
    pub scenario: Option<crate::scenario::ScenarioSpec>,
}

impl Objects {
    /// The metadata of every object, in the order `kubectl apply` creates them.
    pub fn metadata_mut(
        &mut self,
    ) -> impl Iterator<Item = &mut k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta> {
        self.namespaces
            .iter_mut()
            .map(|x| &mut x.metadata)
            .chain(self.priority_classes.iter_mut().map(|x| &mut x.metadata))
            .chain(
                self.pod_disruption_budgets
                    .iter_mut()
                    .map(|x| &mut x.metadata),
            )
            .chain(self.nodes.iter_mut().map(|x| &mut x.metadata))
            .chain(self.daemon_sets.iter_mut().map(|x| &mut x.metadata))
            .chain(self.pods.iter_mut().map(|x| &mut x.metadata))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub objects: Objects,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Load one text.
pub fn load(text: &str) -> Loaded {
    load_sources(&[Source {
        name: None,
        text: text.to_string(),
    }])
}

/// Load several texts as one cluster (as `kubectl apply -f a.yaml -f b.yaml` would).
pub fn load_sources(sources: &[Source]) -> Loaded {
    load_with(sources, Verb::Apply)
}

/// Load texts as `kubectl create -f` reads them: an object may have only a
/// `metadata.generateName`, and is kept without a name for the API server to name it
/// ([`generated_name`]).
pub fn load_sources_for_create(sources: &[Source]) -> Loaded {
    load_with(sources, Verb::Create)
}

/// The kubectl verb the text is read for: only `create` accepts an object without a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verb {
    Apply,
    Create,
}

fn load_with(sources: &[Source], verb: Verb) -> Loaded {
    let mut loaded = Loaded::default();
    let mut index = Index::new();
    let mut custom = crds::Custom::default();
    for s in sources {
        // kubectl's YAMLOrJSONDecoder reads a whole stream as JSON only when its first
        // non-space character is `{` (`hasJSONPrefix`); anything else is YAML documents.
        let json = s.text.trim_start().starts_with('{');
        let docs = if json {
            vec![Document {
                number: 1,
                first_line: 1,
                text: &s.text,
            }]
        } else {
            split_documents(&s.text)
        };
        for doc in docs {
            let mut ctx = DocContext {
                source: s.name.as_deref(),
                doc: &doc,
                diagnostics: Vec::new(),
                verb,
                custom: &mut custom,
                offset: loaded.diagnostics.len(),
                taken: Vec::new(),
            };
            if json && node_list_json(&mut ctx, &mut loaded.objects, &mut index) {
                loaded.diagnostics.extend(ctx.finish());
                continue;
            }
            for (value, prefix) in parse_document(&mut ctx, json) {
                decode_object(
                    &mut ctx,
                    &value,
                    &prefix,
                    None,
                    &mut loaded.objects,
                    &mut index,
                );
            }
            loaded.diagnostics.extend(ctx.finish());
        }
    }
    custom.settle(&mut loaded.diagnostics);
    loaded
}

/// The name the API server gives an object created with only `metadata.generateName`
/// (`names.SimpleNameGenerator` in apiserver's `storage/names/generate.go`): the prefix, cut
/// to 58 characters, and five random characters.
pub fn generated_name(prefix: &str, suffix: &str) -> String {
    const MAX_GENERATED_NAME_LENGTH: usize = 63 - 5;
    let cut = prefix
        .char_indices()
        .map(|(i, _)| i)
        .chain([prefix.len()])
        .take_while(|&i| i <= MAX_GENERATED_NAME_LENGTH)
        .last()
        .unwrap_or(0);
    format!("{}{suffix}", &prefix[..cut])
}

/// One document of a stream: its 1-based number, the 1-based line it starts on, and its text.
#[derive(Debug)]
pub struct Document<'a> {
    pub number: usize,
    pub first_line: usize,
    pub text: &'a str,
}

fn is_separator(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r'])
        .strip_prefix("---")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r']))
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || is_separator(t) || t == "..."
    })
}

/// Split a YAML stream at `---` lines. JSON text has no such lines and stays whole.
pub fn split_documents(text: &str) -> Vec<Document<'_>> {
    let mut starts = vec![(0usize, 1usize)];
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i > 0 && is_separator(line) {
            starts.push((offset, i + 1));
        }
        offset += line.len();
    }
    let mut docs = Vec::new();
    for (k, &(start, line)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(text.len(), |s| s.0);
        let part = &text[start..end];
        if k == 0 && is_blank(part) && starts.len() > 1 {
            continue;
        }
        docs.push(Document {
            number: docs.len() + 1,
            first_line: line,
            text: part,
        });
    }
    docs
}

/// Per-document state while loading: where we are, and the messages so far.
pub(crate) struct DocContext<'a> {
    source: Option<&'a str>,
    doc: &'a Document<'a>,
    /// The messages, in order; those still to be placed carry their field path.
    diagnostics: Vec<(Diagnostic, Option<String>)>,
    verb: Verb,
    /// CustomResourceDefinitions and custom resources seen so far in the whole input.
    custom: &'a mut crds::Custom,
    /// How many diagnostics earlier documents gave (where this document's start).
    offset: usize,
    /// Nodes of a YAML list decoded while the list was read, by item index (see
    /// [`take_plain_node`]); the list keeps `null` in their places.
    taken: Vec<Option<Node>>,
}

impl DocContext<'_> {
    fn at(&self, mut d: Diagnostic, line: usize, column: usize) -> Diagnostic {
        d.source = self.source.map(str::to_string);
        d.document = Some(self.doc.number);
        d.line = Some(self.doc.first_line + line.max(1) - 1);
        d.column = Some(column.max(1));
        d
    }

    /// A message about `full_path` of this document; it is placed (line and column) when the
    /// document is done.
    pub(crate) fn push(&mut self, d: Diagnostic, full_path: &str) {
        self.diagnostics.push((d, Some(full_path.to_string())));
    }

    /// A message already placed.
    fn push_at(&mut self, d: Diagnostic) {
        self.diagnostics.push((d, None));
    }

    /// The document's messages with their places. The text is read once more only when some
    /// message needs a place, and only the paths asked for are looked up.
    fn finish(self) -> Vec<Diagnostic> {
        let wanted: Vec<&str> = self
            .diagnostics
            .iter()
            .filter_map(|(_, p)| p.as_deref())
            .collect();
        if wanted.is_empty() {
            return self.diagnostics.into_iter().map(|(d, _)| d).collect();
        }
        let locator = Locator::for_paths(self.doc.text, &wanted);
        let (source, number, first_line) = (self.source, self.doc.number, self.doc.first_line);
        self.diagnostics
            .into_iter()
            .map(|(mut d, path)| {
                if let Some(path) = path {
                    d.source = source.map(str::to_string);
                    d.document = Some(number);
                    match locator.find(&path) {
                        Some((line, col)) => {
                            d.line = Some(first_line + line - 1);
                            d.column = Some(col);
                        }
                        None => d.line = Some(first_line),
                    }
                }
                d
            })
            .collect()
    }
}

/// The commonest big input, a `kubectl get nodes -o json` dump or a raw `NodeList`, read without
/// building a `Value` tree: the list is split into its items' texts and each node is decoded from
/// its text. Anything unusual — another kind, a node without a name, a decoding failure — returns
/// false before any object or message is kept, and the document is read the general way, which
/// words and locates every problem. Unknown fields are warned about here, as there.
fn node_list_json(ctx: &mut DocContext, out: &mut Objects, index: &mut Index) -> bool {
    use serde_json::value::RawValue;
    #[derive(serde::Deserialize)]
    struct ListHead<'a> {
        #[serde(rename = "apiVersion", default)]
        api_version: Option<String>,
        #[serde(default)]
        kind: Option<String>,
        #[serde(borrow)]
        items: Vec<&'a RawValue>,
    }
    #[derive(serde::Deserialize)]
    struct ItemHead {
        #[serde(rename = "apiVersion", default)]
        api_version: Option<String>,
        #[serde(default)]
        kind: Option<String>,
    }
    let Ok(head) = serde_json::from_str::<ListHead>(ctx.doc.text) else {
        return false;
    };
    let list_kind = head.kind.as_deref().unwrap_or("");
    let Some(item_kind) = list_kind.strip_suffix("List") else {
        return false;
    };
    if head.items.is_empty() {
        return false;
    }
    let mut nodes: Vec<(Node, Vec<Vec<Step>>)> = Vec::with_capacity(head.items.len());
    for item in &head.items {
        let Ok(h) = serde_json::from_str::<ItemHead>(item.get()) else {
            return false;
        };
        let unset = |s: &Option<String>| s.as_deref().unwrap_or("").is_empty();
        let (version, kind) = if unset(&h.api_version) && unset(&h.kind) {
            (head.api_version.as_deref().unwrap_or(""), item_kind)
        } else {
            (
                h.api_version.as_deref().unwrap_or(""),
                h.kind.as_deref().unwrap_or(""),
            )
        };
        if (version, kind) != ("v1", "Node") {
            return false;
        }
        let mut ignored: Vec<Vec<Step>> = Vec::new();
        match decode::decode_json::<Node>(item.get(), &mut |p| ignored.push(p.to_vec())) {
            Ok(n) if !n.metadata.name.as_deref().unwrap_or("").is_empty() => {
                nodes.push((n, ignored))
            }
            _ => return false,
        }
    }
    for (i, (n, ignored)) in nodes.into_iter().enumerate() {
        let prefix = format!("items[{i}]");
        if !ignored.is_empty() {
            // Rare: this one item is read as a value to leave out unknown keys set to null.
            let value: Value = serde_json::from_str(head.items[i].get()).unwrap_or_default();
            warn_unknown(ctx, &value, ignored, &prefix);
        }
        accept_node(ctx, n, &prefix, out, index);
    }
    true
}

/// A decoded Node: defaulted, validated, and kept.
fn accept_node(
    ctx: &mut DocContext,
    mut n: Node,
    prefix: &str,
    out: &mut Objects,
    index: &mut Index,
) {
    defaults::node(&mut n);
    if validate::node(ctx, &n, prefix) {
        replace_or_push(ctx, index, &mut out.nodes, n, prefix, "Node");
    }
}

/// The YAML side of [`node_list_json`]: an item of a list that says it is a `v1` `Node`, has a
/// name, and decodes with no unknown field is decoded as soon as it is read, so a big
/// `kubectl get nodes -o yaml` dump is never held whole as a tree. Anything else stays in the
/// tree and is read the general way.
fn take_plain_node(taken: &mut Vec<Option<Node>>, i: usize, item: &Value) -> bool {
    let s = |k: &str| item.get(k).and_then(Value::as_str);
    if (s("apiVersion"), s("kind")) != (Some("v1"), Some("Node")) {
        return false;
    }
    let mut unknown = false;
    match decode::decode::<Node>(item, &mut |_| unknown = true) {
        Ok(n) if !unknown && !n.metadata.name.as_deref().unwrap_or("").is_empty() => {
            if taken.len() <= i {
                taken.resize_with(i + 1, || None);
            }
            taken[i] = Some(n);
            true
        }
        _ => false,
    }
}

/// Parse a document into JSON values, each with its path prefix (empty for a plain document).
fn parse_document(ctx: &mut DocContext, json: bool) -> Vec<(Value, String)> {
    let text = ctx.doc.text;
    if !json && is_blank(text) {
        return Vec::new();
    }
    let mut values = Vec::new();
    if json {
        for (i, item) in serde_json::Deserializer::from_str(text)
            .into_iter::<Value>()
            .enumerate()
        {
            match item {
                Ok(v) => values.push((v, String::new())),
                Err(e) => {
                    let (message, line, column) = goerr::json_error(&e, text);
                    let hint = if message.ends_with("exceeded max depth") {
                        "the playground reads at most 128 levels of nesting (kubectl allows 10000); the rest of this document was not read"
                    } else {
                        "fix the JSON syntax at this position; the rest of this document was not read"
                    };
                    let d = Diagnostic::error(message).with_hint(hint);
                    let d = ctx.at(d, line, column);
                    ctx.push_at(d);
                    break;
                }
            }
            if i > 100_000 {
                break;
            }
        }
    } else {
        let mut taken = Vec::new();
        let parsed = yaml::to_json_with(text, Some(&mut |i, v| take_plain_node(&mut taken, i, v)));
        let list = |v: &Value| {
            v.get("kind")
                .and_then(Value::as_str)
                .is_some_and(|k| k.ends_with("List"))
        };
        // Items are only taken from a list's `items`; in anything else they are read again whole.
        let parsed = match parsed {
            Ok(v) if !taken.is_empty() && !list(&v) => yaml::to_json(text),
            other => {
                ctx.taken = taken;
                other
            }
        };
        match parsed {
            Ok(v) => values.push((v, String::new())),
            Err(y) => {
                let mut hint = if y.too_deep() {
                    "the playground reads at most 128 levels of nesting (kubectl allows 10000); this document was skipped, the others still load".to_string()
                } else {
                    "fix the YAML at this line; this document was skipped, the others still load"
                        .to_string()
                };
                if let Some(c) = &y.context {
                    hint.push_str(&format!(" (the parser stopped {c})"));
                }
                let d = Diagnostic::error(y.message(ctx.doc.first_line)).with_hint(hint);
                let d = ctx.at(d, y.line, y.column);
                ctx.push_at(d);
            }
        }
    }
    values.into_iter().filter(|(v, _)| !v.is_null()).collect()
}

fn join_path(prefix: &str, path: &str) -> String {
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

fn object_name(v: &Value) -> (String, String) {
    let meta = v.get("metadata");
    let s = |k: &str| {
        meta.and_then(|m| m.get(k))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    (s("name"), s("namespace"))
}

fn decode_object(
    ctx: &mut DocContext,
    value: &Value,
    prefix: &str,
    inherited: Option<(&str, &str)>,
    out: &mut Objects,
    index: &mut Index,
) {
    // kubectl's client-side check (`getObjectKind` in kubectl's validation) words these; kubectl
    // prints them as `error validating "<file>": error validating data: …`.
    let Some(map) = value.as_object() else {
        ctx.push(
            Diagnostic::error("error validating data: invalid object to validate").with_hint(
                "each document must be one object (a mapping with apiVersion and kind), or a List with items",
            ),
            prefix,
        );
        return;
    };
    let field = |k: &str| {
        map.get(k)
            .filter(|v| !matches!(v, Value::String(s) if s.is_empty()))
    };
    // An item of a typed list (`NodeList`, as the API server lists them) without apiVersion and
    // kind takes them from the list, as apimachinery's unstructured list decoding does.
    let given;
    let (api_version_value, kind_value) = match inherited {
        Some((v, k)) if field("apiVersion").is_none() && field("kind").is_none() => {
            given = [Value::String(v.into()), Value::String(k.into())];
            (Some(&given[0]), Some(&given[1]))
        }
        _ => (map.get("apiVersion"), map.get("kind")),
    };
    let kind = kind_value.and_then(Value::as_str).unwrap_or("");
    let api_version = api_version_value.and_then(Value::as_str).unwrap_or("");
    let not_set = |field: &str, v: Option<&Value>| match v {
        None | Some(Value::Null) => Some(format!("{field} not set")),
        Some(Value::String(s)) if s.is_empty() => Some(format!("{field} not set")),
        Some(Value::String(_)) => None,
        Some(_) => Some(format!("{field} isn't string type")),
    };
    let kind_error = not_set("kind", kind_value);
    // A `kind: List` may leave out its apiVersion; its items are checked one by one.
    let is_list = kind.ends_with("List") && map.get("items").is_some();
    let version_error = if is_list {
        None
    } else {
        not_set("apiVersion", api_version_value)
    };
    let errors: Vec<String> = version_error.into_iter().chain(kind_error).collect();
    if !errors.is_empty() {
        let detail = if errors.len() == 1 {
            errors[0].clone()
        } else {
            format!("[{}]", errors.join(", "))
        };
        let hint = if kind.is_empty() {
            "add a kind, e.g. `kind: DaemonSet`".to_string()
        } else {
            format!(
                "add the apiVersion, e.g. `apiVersion: {}`",
                kinds::served_version(kind).unwrap_or("v1")
            )
        };
        ctx.push(
            Diagnostic::error(format!("error validating data: {detail}")).with_hint(hint),
            prefix,
        );
        return;
    }
    if is_list {
        let item_kind = kind.strip_suffix("List").unwrap_or("");
        match map.get("items") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let taken = match (prefix.is_empty(), ctx.taken.get_mut(i)) {
                        (true, Some(n)) => n.take(),
                        _ => None,
                    };
                    if let Some(n) = taken {
                        accept_node(ctx, n, &format!("items[{i}]"), out, index);
                        continue;
                    }
                    decode_object(
                        ctx,
                        item,
                        &join_path(prefix, &format!("items[{i}]")),
                        Some((api_version, item_kind)),
                        out,
                        index,
                    );
                }
            }
            Some(Value::Null) | None => {}
            Some(_) => ctx.push(
                Diagnostic::error(format!("{kind}: items must be a list")),
                &join_path(prefix, "items"),
            ),
        }
        return;
    }
    let (name, namespace) = object_name(value);
    if kind == crate::scenario::KIND && api_version == crate::scenario::API_VERSION {
        match decode::decode_located::<crate::scenario::Scenario>(value) {
            Ok(sc) if out.scenario.is_none() => out.scenario = Some(sc.spec),
            Ok(_) => ctx.push(
                Diagnostic::error("only one Scenario document is allowed")
                    .with_hint("merge the two Scenario documents into one"),
                prefix,
            ),
            Err(e) => {
                let path = decode::Path(&e.path).to_string();
                ctx.push(
                    Diagnostic::error(format!("Scenario: {path}: {}", e.message))
                        .at_path(path.clone())
                        .with_hint("see examples/README.md for the Scenario fields"),
                    &join_path(prefix, &path),
                );
            }
        }
        return;
    }
    match kinds::lookup(api_version, kind) {
        kinds::Served::Simulated => {}
        kinds::Served::SetAside => {
            ctx.push(
                Diagnostic::warning(format!(
                    "{kind} {name:?} is valid Kubernetes but the playground does not simulate {kind} objects; it was set aside"
                )),
                prefix,
            );
            return;
        }
        kinds::Served::Definition => {
            crds::definition(ctx, value, &name, prefix);
            return;
        }
        kinds::Served::Unknown => {
            crds::custom_or_unknown(ctx, api_version, kind, &name, &namespace, prefix);
            return;
        }
    }
    if name.is_empty() && !check_generate_name(ctx, value, prefix) {
        return;
    }
    match kind {
        "Node" => {
            if let Some(n) = typed::<Node>(ctx, value, prefix, kind) {
                accept_node(ctx, n, prefix, out, index);
            }
        }
        "DaemonSet" => {
            if let Some(mut ds) = typed::<DaemonSet>(ctx, value, prefix, kind) {
                defaults::daemon_set(&mut ds);
                if validate::daemon_set(ctx, &ds, value, prefix) {
                    replace_or_push(ctx, index, &mut out.daemon_sets, ds, prefix, "DaemonSet");
                }
            }
        }
        "Pod" => {
            if let Some(mut p) = typed::<Pod>(ctx, value, prefix, kind) {
                defaults::pod(&mut p);
                if validate::pod(ctx, &p, value, prefix) {
                    replace_or_push(ctx, index, &mut out.pods, p, prefix, "Pod");
                }
            }
        }
        "PriorityClass" => {
            if let Some(pc) = typed::<PriorityClass>(ctx, value, prefix, kind) {
                let others = out
                    .priority_classes
                    .iter()
                    .filter(|o| o.metadata.name != pc.metadata.name);
                if let Some(why) = update::global_default_conflict(others, &pc) {
                    ctx.push(
                        Diagnostic::error(forbidden_on_create(ctx.source, "priorityclasses.scheduling.k8s.io", &name, &why))
                        .at_path("globalDefault")
                        .with_hint("the Priority admission plugin allows one globalDefault PriorityClass; set globalDefault: false on one of them"),
                        &join_path(prefix, "globalDefault"),
                    );
                } else if validate::priority_class(ctx, &pc, prefix) {
                    replace_or_push(
                        ctx,
                        index,
                        &mut out.priority_classes,
                        pc,
                        prefix,
                        "PriorityClass",
                    );
                }
            }
        }
        "PodDisruptionBudget" => {
            if let Some(mut pdb) = typed::<PodDisruptionBudget>(ctx, value, prefix, kind) {
                pdb.metadata
                    .namespace
                    .get_or_insert_with(|| defaults::DEFAULT_NAMESPACE.to_string());
                if validate::pod_disruption_budget(ctx, &pdb, prefix) {
                    replace_or_push(
                        ctx,
                        index,
                        &mut out.pod_disruption_budgets,
                        pdb,
                        prefix,
                        "PodDisruptionBudget",
                    );
                }
            }
        }
        "Namespace" => {
            if let Some(ns) = typed::<Namespace>(ctx, value, prefix, kind) {
                if validate::namespace(ctx, &ns, prefix) {
                    replace_or_push(ctx, index, &mut out.namespaces, ns, prefix, "Namespace");
                }
            }
        }
        _ => {}
    }
}

/// A Forbidden error from admission on create, as kubectl prints it.
pub fn forbidden_on_create(source: Option<&str>, resource: &str, name: &str, why: &str) -> String {
    let from = source.unwrap_or("STDIN");
    format!(
        "Error from server (Forbidden): error when creating {from:?}: {resource} {name:?} is forbidden: {why}"
    )
}

/// The end of kubectl apply's refusal of an object that has only a `generateName`.
pub const GENERATE_NAME_WITH_APPLY: &str = "cannot use generate name with apply";

/// An object without a name: `kubectl create` lets the API server name it from
/// `metadata.generateName`; `kubectl apply` refuses it (`applyOneObject` in kubectl's
/// `apply.go`; the words are checked by its `TestDontAllowApplyWithPodGeneratedName`). Returns
/// whether the object goes on to be decoded.
fn check_generate_name(ctx: &mut DocContext, value: &Value, prefix: &str) -> bool {
    let generate_name = value
        .get("metadata")
        .and_then(|m| m.get("generateName"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if generate_name.is_empty() || ctx.verb == Verb::Create {
        return true;
    }
    ctx.push(
        Diagnostic::error(format!("from {generate_name}: {GENERATE_NAME_WITH_APPLY}"))
            .at_path("metadata.generateName")
            .with_hint("kubectl create names such objects; kubectl apply needs a metadata.name"),
        &join_path(prefix, "metadata.generateName"),
    );
    false
}

/// Keep one object per kind/namespace/name: a later definition replaces an earlier one, as a
/// second `kubectl apply` would.
fn replace_or_push<
    T: k8s_openapi::Metadata<Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta>,
>(
    ctx: &mut DocContext,
    index: &mut Index,
    list: &mut Vec<T>,
    obj: T,
    prefix: &str,
    kind: &'static str,
) {
    let key = (
        kind,
        obj.metadata().namespace.clone(),
        obj.metadata().name.clone(),
    );
    if key.2.as_deref().unwrap_or("").is_empty() {
        // Named by the API server when created (`generateName`): never the same object twice.
        list.push(obj);
        return;
    }
    if let Some(&i) = index.get(&key) {
        let who = match &key.1 {
            Some(ns) => format!("{ns}/{}", key.2.clone().unwrap_or_default()),
            None => key.2.clone().unwrap_or_default(),
        };
        ctx.push(
            Diagnostic::warning(format!(
                "{kind} {who} is defined more than once; this later definition replaces the earlier one"
            ))
            .at_path("metadata.name"),
            &join_path(prefix, "metadata.name"),
        );
        list[i] = obj;
    } else {
        index.insert(key, list.len());
        list.push(obj);
    }
}

/// Position of each object in its list, by kind, namespace and name.
type Index = std::collections::HashMap<(&'static str, Option<String>, Option<String>), usize>;

/// Warn about the keys a type ignored (kubectl's strict field validation reports them the same
/// way); a null value for an unknown key changes nothing and is not reported.
fn warn_unknown(ctx: &mut DocContext, value: &Value, ignored: Vec<Vec<Step>>, prefix: &str) {
    for path in ignored {
        if decode::lookup(value, &path).is_none_or(Value::is_null) {
            continue;
        }
        let path = decode::Path(&path).to_string();
        ctx.push(
            Diagnostic::warning(format!("unknown field {path:?}"))
                .with_hint("check the spelling; Kubernetes ignores fields it does not know (kubectl --validate=strict rejects them)")
                .at_path(path.clone()),
            &join_path(prefix, &path),
        );
    }
}

/// Decode a JSON value into a k8s-openapi type, reporting type errors with their path and unknown
/// fields as warnings (kubectl's strict field validation reports them the same way).
fn typed<T: DeserializeOwned>(
    ctx: &mut DocContext,
    value: &Value,
    prefix: &str,
    kind: &str,
) -> Option<T> {
    let mut ignored: Vec<Vec<Step>> = Vec::new();
    if let Ok(obj) = decode::decode::<T>(value, &mut |p| ignored.push(p.to_vec())) {
        warn_unknown(ctx, value, ignored, prefix);
        return Some(obj);
    }
    let Err(e) = decode::decode_located::<T>(value) else {
        return None;
    };
    let version = value
        .get("apiVersion")
        .and_then(Value::as_str)
        .map(|v| v.rsplit('/').next().unwrap_or(v))
        .unwrap_or("v1");
    let path = decode::Path(&e.path).to_string();
    // In the API server's words where we can (`json: cannot unmarshal string into Go struct
    // field …`), else serde's, after the field path.
    let detail = goerr::go_type_error::<T>(value, &e.path, &e.message, kind).unwrap_or_else(|| {
        if path.is_empty() {
            e.message.clone()
        } else {
            format!("{path}: {}", e.message)
        }
    });
    ctx.push(
        Diagnostic::error(format!(
            "{kind} in version {version:?} cannot be handled as a {kind}: {detail}"
        ))
        .at_path(path.clone()),
        &join_path(prefix, &path),
    );
    None
}

#[cfg(test)]
mod tests;
