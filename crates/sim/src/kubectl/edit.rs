//! `kubectl edit`, after kubectl's `pkg/cmd/util/editor/editoptions.go`.
//!
//! kubectl edit fetches the objects, writes them as YAML under a comment header, opens an editor
//! and, when the editor closes, patches each changed object. The playground has no terminal
//! editor: the page opens its own (see `playground::Playground::begin_edit`), and the text saved
//! there reaches this command as the file [`EDIT_BUFFER`], so the line replays exactly. `dsim run`
//! has no editor and no such file, and says so.
//!
//! The outcomes, in kubectl's words:
//! - nothing changed (comments aside): `Edit cancelled, no changes made.`;
//! - nothing left but comments: `Edit cancelled, saved file was empty.`;
//! - saved: `daemonset.apps/x edited` for each changed object (`skipped` for the others);
//! - rejected by the API server: kubectl reopens the file with the reasons in its header
//!   ([`reopen_text`]); a learner who gives up leaves it as it was, which ends the edit with
//!   `error: daemonsets.apps "x" is invalid`, where the copy was kept, and
//!   `error: Edit cancelled, no valid changes were saved.`

use super::args::Args;
use super::{get, Files, Output, Resource};
use crate::engine::Cluster;
use crate::input::{load_sources, Source};
use std::fmt::Write;

/// The name under which the page hands the saved editor text to the command.
pub const EDIT_BUFFER: &str = "kubectl edit buffer";
/// The text kubectl opened the editor with: the patch is what changed from it (objects change
/// while an editor is open; kubectl compares against what it showed, not what is live now).
pub const EDIT_ORIGINAL: &str = "kubectl edit original";

/// `editHeader.writeTo` in normal edit mode.
const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

const NO_EDITOR: &str = "error: kubectl edit opens an editor, which dsim run does not have: change the manifest and apply it (kubectl apply -f), or use kubectl edit in the playground page's console, which opens one";

/// The arguments of a `kubectl edit …` line (after the verb); `None` for any other line.
pub fn args_of(line: &str) -> Option<Args> {
    let words = super::args::split_words(line).ok()?;
    let words = match words.first().map(String::as_str) {
        Some("kubectl") => &words[1..],
        _ => &words[..],
    };
    let a = Args::parse(words).ok()?;
    (a.positional.first().map(String::as_str) == Some("edit"))
        .then(|| a.with_positional(a.positional[1..].to_vec()))
}

/// The text kubectl would open in the editor: the header, then the objects as `-o yaml` prints
/// them (one object, or a `List` of several). `Err` is what kubectl prints instead.
pub fn buffer(c: &Cluster, a: &Args) -> Result<String, Output> {
    let yaml = fetch(c, a)?;
    Ok(format!("{HEADER}{yaml}"))
}

/// The objects as YAML, through `kubectl get … -o yaml`.
fn fetch(c: &Cluster, a: &Args) -> Result<String, Output> {
    let mut g = a.clone();
    g.flags
        .retain(|(n, _)| !matches!(n.as_str(), "o" | "output"));
    g.flags.push(("o".into(), "yaml".into()));
    if g.positional.is_empty() {
        return Err(Output::err(
            "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
        ));
    }
    let out = get::get(c, &g);
    if !out.ok {
        return Err(out);
    }
    let Ok(mut v) = crate::input::yaml::to_json(&out.stdout) else {
        return Ok(out.stdout);
    };
    if v.get("kind").and_then(|k| k.as_str()) != Some("List") {
        return Ok(out.stdout);
    }
    // One object is edited as itself, several as a List with empty metadata (editFn).
    let items = v
        .get("items")
        .and_then(|i| i.as_array())
        .cloned()
        .unwrap_or_default();
    match items.len() {
        0 => Err(Output::err("error: edit cancelled, no objects found")),
        1 => Ok(crate::print::yaml::to_string(&items[0])),
        _ => {
            v["metadata"] = serde_json::json!({});
            Ok(crate::print::yaml::to_string(&v))
        }
    }
}

/// `cmdutil.StripComments`: the text without its comment lines.
fn strip_comments(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Why the API server refused a saved edit: per object, `resource "name"` and its causes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    /// `daemonsets.apps "fluentd"`.
    pub object: String,
    pub causes: Vec<String>,
}

/// What saving `edited` would do.
enum Outcome {
    Unchanged,
    Empty,
    /// A reason kubectl puts in the header and reopens the file for (a syntax error).
    Reopen(String),
    Rejected(Vec<Rejection>),
    /// An error that ends the edit at once.
    Fatal(String),
    /// The edited objects, and per object its name, as opened and as saved.
    Apply(Box<crate::input::Objects>, Vec<Change>),
}

/// One object of a saved edit: which, and its JSON as opened and as saved.
struct Change {
    resource: Resource,
    namespace: String,
    name: String,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

/// `original`: the text the editor opened with (fetched again when not given).
fn outcome(c: &Cluster, a: &Args, original: Option<&str>, edited: &str) -> Outcome {
    let original = match original {
        Some(o) => o.to_string(),
        None => match fetch(c, a) {
            Ok(o) => o,
            Err(o) => return Outcome::Fatal(o.text()),
        },
    };
    let stripped = strip_comments(edited);
    if strip_comments(&original).trim_end() == stripped.trim_end() {
        return Outcome::Unchanged;
    }
    if stripped.trim().is_empty() {
        return Outcome::Empty;
    }
    let loaded = load_sources(&[Source::new("edited.yaml", stripped.clone())]);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    let named_before =
        super::objects_named(&load_sources(&[Source::new("o.yaml", original.clone())]).objects);
    let named = super::objects_named(&loaded.objects);
    // Validation failures are the API server's: `The Kind "name" is invalid: causes`.
    let mut rejections: Vec<Rejection> = Vec::new();
    for d in &errors {
        match d.message.split_once(" is invalid: ") {
            Some((_, causes)) => {
                // The object the message is about (`Kind namespace/name`), else the first.
                let named_in = d
                    .object
                    .as_deref()
                    .and_then(|o| o.rsplit(['/', ' ']).next())
                    .and_then(|n| named_before.iter().find(|(_, _, name)| name == n));
                let (r, _, name) = named_in.or(named_before.first()).cloned().unwrap_or((
                    Resource::DaemonSets,
                    String::new(),
                    String::new(),
                ));
                let causes = causes.trim_start_matches('[').trim_end_matches(']');
                rejections.push(Rejection {
                    object: format!("{} {name:?}", r.plural_group()),
                    causes: split_causes(causes),
                });
            }
            None => {
                return Outcome::Reopen(format!(
                    "The edited file had a syntax error: {}",
                    d.message
                ))
            }
        }
    }
    if !rejections.is_empty() {
        return Outcome::Rejected(rejections);
    }
    if named != named_before {
        return Outcome::Fatal(
            "error: At least one of apiVersion, kind and name was changed".into(),
        );
    }
    // Updates the API server refuses (immutable fields and the like).
    for (r, ns, name) in &named {
        if let Some(refusal) =
            super::apply::refused(c, &loaded.objects, *r, ns, name, true, "edited.yaml")
        {
            let causes = refusal
                .split_once(" is invalid: ")
                .map_or(refusal.as_str(), |(_, c)| c);
            let causes = causes.trim_start_matches('[').trim_end_matches(']');
            rejections.push(Rejection {
                object: format!("{} {name:?}", r.plural_group()),
                causes: split_causes(causes),
            });
        }
    }
    if !rejections.is_empty() {
        return Outcome::Rejected(rejections);
    }
    // Which objects changed: compare each document of the original and the edit.
    let before = split_objects(&strip_comments(&original));
    let after = split_objects(&stripped);
    let changes = named
        .iter()
        .enumerate()
        .map(|(i, (r, ns, name))| Change {
            resource: *r,
            namespace: ns.clone(),
            name: name.clone(),
            before: before.get(i).cloned(),
            after: after.get(i).cloned(),
        })
        .collect();
    Outcome::Apply(Box::new(loaded.objects), changes)
}

/// The items of a `List`, or the one object, as JSON values (for comparing).
fn split_objects(text: &str) -> Vec<serde_json::Value> {
    let Ok(v) = crate::input::yaml::to_json(text) else {
        return Vec::new();
    };
    match v.get("items").and_then(|i| i.as_array()) {
        Some(items) if v.get("kind").and_then(|k| k.as_str()) == Some("List") => items.clone(),
        _ => vec![v],
    }
}

/// `a: x, b: y` → the causes, split where a new field path starts.
fn split_causes(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in s.split(", ") {
        let starts_field = part
            .split_once(": ")
            .is_some_and(|(f, _)| !f.is_empty() && !f.contains(' '));
        match out.last_mut() {
            Some(last) if !starts_field => {
                last.push_str(", ");
                last.push_str(part);
            }
            _ => out.push(part.to_string()),
        }
    }
    out
}

/// The file kubectl reopens after a refused save: the header with the reasons, then the edit
/// without its comments (`editHeader.writeTo`, `editResults.addError`).
pub fn reopen_text(c: &Cluster, a: &Args, original: &str, edited: &str) -> Option<String> {
    let mut head = String::from(HEADER);
    match outcome(c, a, Some(original), edited) {
        Outcome::Reopen(reason) => {
            let _ = writeln!(head, "# {reason}\n#");
        }
        Outcome::Rejected(rs) => {
            for r in rs {
                let _ = writeln!(head, "# {} was not valid:", r.object);
                for cause in r.causes {
                    let _ = writeln!(head, "# * {cause}");
                }
                head.push_str("#\n");
            }
        }
        _ => return None,
    }
    Some(format!("{head}{}", strip_comments(edited)))
}

/// `kubectl edit TYPE [NAME…]`: with the saved editor text, finish the edit as kubectl does when
/// the editor closes for the last time.
pub fn edit(c: &mut Cluster, a: &Args, files: Files) -> Output {
    if let Err(o) = fetch(c, a) {
        return o;
    }
    let Ok(edited) = files(EDIT_BUFFER) else {
        return Output::err(NO_EDITOR);
    };
    let original = files(EDIT_ORIGINAL).ok();
    match outcome(c, a, original.as_deref(), &edited) {
        Outcome::Unchanged => Output {
            stdout: String::new(),
            stderr: "Edit cancelled, no changes made.\n".into(),
            ok: true,
        },
        Outcome::Empty => Output {
            stdout: String::new(),
            stderr: "Edit cancelled, saved file was empty.\n".into(),
            ok: true,
        },
        Outcome::Fatal(e) => Output::err(format!("{}\n{e}", kept_copy(c))),
        Outcome::Reopen(_) => Output::err(format!(
            "{}\nerror: Edit cancelled, no valid changes were saved.",
            kept_copy(c)
        )),
        Outcome::Rejected(rs) => {
            let mut err = String::new();
            for r in &rs {
                let _ = writeln!(err, "error: {} is invalid", r.object);
            }
            let _ = write!(
                err,
                "{}\nerror: Edit cancelled, no valid changes were saved.",
                kept_copy(c)
            );
            Output::err(err)
        }
        Outcome::Apply(objects, changes) => {
            // Each changed object gets the patch from what was opened to what was saved
            // (visitToPatch's two-way merge), applied to the object as it is now.
            let mut out = String::new();
            let mut plans = Vec::new();
            for ch in &changes {
                let (r, ns, name) = (ch.resource, ch.namespace.as_str(), ch.name.as_str());
                let live = super::merge::live_json(c, r, ns, name);
                let plan = match (&ch.before, &ch.after, &live) {
                    (Some(b), Some(a), Some(l)) if b != a => {
                        super::merge::Plan::Patched(super::merge::two_way(b, a, l))
                    }
                    _ => super::merge::Plan::Drop,
                };
                let verb = match plan {
                    super::merge::Plan::Drop => "skipped",
                    _ => "edited",
                };
                let _ = writeln!(out, "{}/{name} {verb}", r.kind_group());
                plans.push(plan);
            }
            let objects = super::merge::rebuild(*objects, &plans);
            c.apply_objects(&objects);
            Output::out(out)
        }
    }
}

/// `preservedFile`'s line: where the edit was kept (`os.CreateTemp`'s name in `/tmp`).
fn kept_copy(c: &mut Cluster) -> String {
    format!(
        "A copy of your changes has been stored to \"/tmp/kubectl-edit-{}.yaml\"",
        c.random_below(u32::MAX as usize)
    )
}
