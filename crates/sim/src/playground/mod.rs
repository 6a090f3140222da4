//! The playground's model: what the page (and the JS API) holds and changes.
//!
//! A playground is two editor texts (`workloads.yaml`, `cluster.yaml`), the texts the simulated
//! cluster started from, the scenario's steps, and a [`Session`] — every line run since, with the
//! virtual time it ran at. Everything a user does is a line: toggling a taint is
//! `kubectl taint nodes N key=value:Effect-`, playing the timeline is `sleep`, adding a node is
//! `sim node add`. So the console shows what each button did, a saved playground is its lines,
//! and replaying them rebuilds it exactly.
//!
//! [`view`] turns a cluster into what the page draws; [`actions`] builds the lines the page's
//! buttons run; [`gallery`] holds the examples; [`diff`] compares two revisions.

pub mod actions;
pub mod diff;
pub mod exercise;
pub mod gallery;
pub mod link;
pub mod view;

use crate::diag::Diagnostic;
use crate::engine::time::Millis;
use crate::engine::Cluster;
use crate::input::{load_sources, Source};
use crate::kubectl::args::split_words;
use crate::kubectl::Output;
use crate::session::{Line, Origin, Session};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// The editors' file names; `kubectl apply -f workloads.yaml` reads the editor.
pub const WORKLOADS: &str = "workloads.yaml";
pub const CLUSTER: &str = "cluster.yaml";
pub const EDITORS: [&str; 2] = [WORKLOADS, CLUSTER];

/// How far "run until nothing is left to happen" goes at most.
pub const FAST_FORWARD_LIMIT: Millis = 30 * crate::engine::time::MINUTE;

/// One step of a guided scenario: a line and what it shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub line: String,
}

/// A step as the page shows it: what it says, the line, what the line printed once it ran, and
/// the files it applies (`-f NAME` of a file the playground holds), so a learner sees the manifest
/// beside the command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    pub note: String,
    pub line: String,
    /// `None` until the step has run.
    pub output: Option<StepOutput>,
    pub files: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepOutput {
    pub text: String,
    pub ok: bool,
    /// Plain-language glosses of the upstream messages in the text.
    pub glosses: Vec<String>,
}

/// What "Apply changes" would do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyPreview {
    /// The editors it applies.
    pub editors: Vec<String>,
    pub created: Vec<String>,
    pub configured: Vec<String>,
    /// Objects in the cluster that no editor names; apply leaves them as they are.
    pub kept: usize,
}

/// Where a guided scenario leads once its steps are done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NextLesson {
    pub id: String,
    pub title: String,
}

/// Everything needed to rebuild a playground exactly (localStorage, exported files, links).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Saved {
    /// The format's version; only 1 exists.
    pub format: u32,
    /// The example this started from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// The editors' texts by file name.
    pub editors: BTreeMap<String, String>,
    /// The texts the cluster started from, in order, by file name.
    pub start: Vec<(String, String)>,
    /// Steps besides the Scenario document's own (an example's script).
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Every line run since the start.
    #[serde(default)]
    pub lines: Vec<Line>,
}

pub const SAVED_FORMAT: u32 = 1;

#[derive(Clone, Debug)]
pub struct Playground {
    pub example: Option<String>,
    start: Vec<(String, String)>,
    /// The steps besides the Scenario document's own (an example's script).
    extra_steps: Vec<Step>,
    /// The Scenario document's steps, then the extra ones.
    steps: Vec<Step>,
    session: Session,
    /// Taints switched off on each node (`key=value:Effect`), so a toggle can switch them on again.
    switched_off: BTreeMap<String, BTreeSet<String>>,
}

impl Playground {
    /// A cluster started from the named editors (the others are only files to apply later).
    pub fn new(editors: &[(&str, &str)], start_with: &[&str], steps: Vec<Step>) -> Self {
        let start: Vec<(String, String)> = editors
            .iter()
            .filter(|(n, _)| start_with.contains(n))
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut p = Playground::started(start, steps);
        for (n, t) in editors {
            p.session.files.insert(n.to_string(), t.to_string());
        }
        p
    }

    fn started(start: Vec<(String, String)>, extra_steps: Vec<Step>) -> Self {
        let sources: Vec<Source> = start.iter().map(|(n, t)| Source::new(n, t)).collect();
        let loaded = load_sources(&sources);
        // The Scenario document's own steps come first; a `# …` step is the note of the next.
        let scenario_steps = loaded
            .objects
            .scenario
            .iter()
            .flat_map(|spec| &spec.steps)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n");
        let mut steps: Vec<Step> = gallery::script_steps(&scenario_steps, &[]);
        steps.extend(extra_steps.iter().cloned());
        let mut session = Session::new(&loaded.objects);
        for (n, t) in &start {
            session.files.insert(n.clone(), t.clone());
        }
        Playground {
            example: None,
            start,
            extra_steps,
            steps,
            session,
            switched_off: BTreeMap::new(),
        }
    }

    /// Rebuild a saved playground by replaying its lines.
    pub fn from_saved(s: Saved) -> Result<Self, String> {
        if s.format != SAVED_FORMAT {
            return Err(format!(
                "this scenario was saved in format {}, but this playground reads format {SAVED_FORMAT}",
                s.format
            ));
        }
        let mut p = Playground::started(s.start, s.steps);
        p.example = s.example;
        for line in s.lines {
            let l = line.line.clone();
            let out = p.session.run(line);
            p.remember_taints(&l, &out);
        }
        p.session.files = s.editors;
        Ok(p)
    }

    pub fn saved(&self) -> Saved {
        Saved {
            format: SAVED_FORMAT,
            example: self.example.clone(),
            editors: self.session.files.clone(),
            start: self.start.clone(),
            steps: self.extra_steps.clone(),
            lines: self.session.lines(),
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn cluster(&self) -> &Cluster {
        self.session.cluster()
    }

    pub fn now(&self) -> Millis {
        self.session.now()
    }

    /// The cluster at virtual time `at` (now when `None` or not earlier than now).
    pub fn cluster_at(&self, at: Option<Millis>) -> Cow<'_, Cluster> {
        match at {
            Some(t) if t < self.now() => Cow::Owned(self.session.at(t)),
            _ => Cow::Borrowed(self.cluster()),
        }
    }

    pub fn editor(&self, name: &str) -> &str {
        self.session.files.get(name).map_or("", String::as_str)
    }

    pub fn set_editor(&mut self, name: &str, text: String) {
        self.session.files.insert(name.to_string(), text);
    }

    /// Problems in the editors' texts, each with the editor's name as its source.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let sources: Vec<Source> = EDITORS
            .iter()
            .map(|n| Source::new(*n, self.editor(n)))
            .collect();
        load_sources(&sources).diagnostics
    }

    /// Run a line typed in the console or made by a button.
    pub fn run(&mut self, line: &str) -> Output {
        let out = self.session.exec_as(line, Origin::Typed);
        self.remember_taints(line, &out);
        out
    }

    /// `kubectl edit …` typed in the console: the text kubectl would open in its editor, or what
    /// kubectl prints instead (run the line to show it). `None` for any other line.
    pub fn begin_edit(&self, line: &str) -> Option<Result<String, Output>> {
        let a = crate::kubectl::edit::args_of(line)?;
        Some(crate::kubectl::edit::buffer(self.cluster(), &a))
    }

    /// Saving the editor: the text kubectl reopens it with when the API server refuses the
    /// edit (the reasons in its header), or `None` when the save ends the edit.
    /// `original` is the text the editor opened with.
    pub fn check_edit(&self, line: &str, original: &str, text: &str) -> Option<String> {
        let a = crate::kubectl::edit::args_of(line)?;
        crate::kubectl::edit::reopen_text(self.cluster(), &a, original, text)
    }

    /// End an edit with the editor's text: the line is kept with that text and the one the
    /// editor opened with, so it replays. `as_step`: the edit is the scenario's next step.
    pub fn finish_edit(&mut self, line: &str, original: &str, text: &str, as_step: bool) -> Output {
        let mut files = crate::session::FileMap::new();
        files.insert(
            crate::kubectl::edit::EDIT_BUFFER.to_string(),
            text.to_string(),
        );
        files.insert(
            crate::kubectl::edit::EDIT_ORIGINAL.to_string(),
            original.to_string(),
        );
        self.session.run(Line {
            line: line.to_string(),
            origin: if as_step { Origin::Step } else { Origin::Typed },
            files: Some(files),
        })
    }

    /// Apply the editors to the running cluster: `kubectl apply -f` of each editor changed since
    /// the cluster last took it (both when neither changed). An unchanged manifest applied
    /// again changes nothing on a real cluster (its patch is empty), so leaving it out keeps what
    /// kubectl taint, label or cordon did to those objects since.
    pub fn apply_editors(&mut self) -> Output {
        let mut changed = self.changed_editors();
        if changed.is_empty() {
            changed = EDITORS.to_vec();
        }
        let files: Vec<String> = changed.iter().map(|n| format!("-f {n}")).collect();
        self.run(&format!("kubectl apply {}", files.join(" ")))
    }

    /// Nothing was done here yet: no line ran and the editors hold what they started with (an
    /// example's texts, or the texts the cluster started from). Replacing it loses nothing.
    pub fn is_pristine(&self) -> bool {
        if !self.session.lines().is_empty() {
            return false;
        }
        match self.example.as_deref().and_then(gallery::find) {
            Some(e) => e.files() == self.session.files,
            None => self.changed_editors().is_empty(),
        }
    }

    /// The editors whose text differs from what the cluster last took from them.
    pub fn changed_editors(&self) -> Vec<&'static str> {
        EDITORS
            .into_iter()
            .filter(|n| self.applied_text(n) != Some(self.editor(n)))
            .collect()
    }

    /// An editor's text as the cluster last took it: the last line that applied the file, else
    /// the start; `None` when it never did.
    fn applied_text(&self, name: &str) -> Option<&str> {
        let flag = format!("-f {name}");
        let applied = self
            .session
            .history()
            .filter(|(_, l, o)| o.ok && l.line.contains(&flag))
            .filter_map(|(_, l, _)| l.files.as_ref()?.get(name))
            .last();
        applied
            .or_else(|| self.start.iter().find(|(n, _)| n == name).map(|(_, t)| t))
            .map(String::as_str)
    }

    /// What "Apply changes" would do, object by object: `kind/name` with `created` or
    /// `configured`, as kubectl apply would print them, and the objects of the cluster that no
    /// editor names (they are kept: apply never deletes).
    /// Empty when no editor changed since the cluster took them.
    pub fn apply_preview(&self) -> ApplyPreview {
        if self.changed_editors().is_empty() {
            return ApplyPreview::default();
        }
        self.check_editors().1
    }

    /// The editors' problems and what "Apply changes" would do, from one reading of the editors
    /// (a second one only for the editors that changed, when not all did): what the page works
    /// out after each keystroke.
    pub fn check_editors(&self) -> (Vec<Diagnostic>, ApplyPreview) {
        let sources: Vec<Source> = EDITORS
            .iter()
            .map(|n| Source::new(*n, self.editor(n)))
            .collect();
        let all = load_sources(&sources);
        let changed = self.changed_editors();
        if changed.is_empty() {
            return (all.diagnostics, ApplyPreview::default());
        }
        let in_editors = crate::kubectl::objects_named(&all.objects);
        let to_apply = if changed.len() == EDITORS.len() {
            in_editors.clone()
        } else {
            let sources: Vec<Source> = changed
                .iter()
                .map(|n| Source::new(*n, self.editor(n)))
                .collect();
            crate::kubectl::objects_named(&load_sources(&sources).objects)
        };
        let c = self.cluster();
        let (configured, created): (Vec<_>, Vec<_>) = to_apply
            .iter()
            .partition(|(r, ns, name)| crate::kubectl::object_exists(c, *r, ns, name));
        let label = |v: Vec<&(crate::kubectl::Resource, String, String)>| -> Vec<String> {
            v.into_iter()
                .map(|(r, _, name)| format!("{}/{name}", r.kind_group()))
                .collect()
        };
        let kept = crate::kubectl::user_objects(c)
            .into_iter()
            .filter(|k| !in_editors.contains(k))
            .count();
        let preview = ApplyPreview {
            editors: changed.iter().map(|n| n.to_string()).collect(),
            created: label(created),
            configured: label(configured),
            kept,
        };
        (all.diagnostics, preview)
    }

    /// Start over from the editors as they are now, at virtual time 0.
    pub fn restart(&mut self) {
        let start = EDITORS
            .iter()
            .map(|n| (n.to_string(), self.editor(n).to_string()))
            .collect();
        // The Scenario document's steps are read again; the example's script steps stay.
        let mut p = Playground::started(start, self.extra_steps.clone());
        p.session.files = self.session.files.clone();
        p.example = self.example.clone();
        *self = p;
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// How many of the scenario's steps have run.
    pub fn steps_done(&self) -> usize {
        self.session
            .history()
            .filter(|(_, l, _)| l.origin == Origin::Step)
            .count()
    }

    /// The steps with what each printed (the k-th line run as a step is the k-th step's).
    pub fn step_views(&self) -> Vec<StepView> {
        let mut outputs = self
            .session
            .history()
            .filter(|(_, l, _)| l.origin == Origin::Step)
            .map(|(_, _, o)| {
                let text = o.text();
                StepOutput {
                    glosses: crate::gloss::glosses(&text)
                        .into_iter()
                        .map(String::from)
                        .collect(),
                    text,
                    ok: o.ok,
                }
            });
        self.steps
            .iter()
            .map(|s| StepView {
                note: s.note.clone(),
                line: s.line.clone(),
                output: outputs.next(),
                files: self.files_applied_by(&s.line),
            })
            .collect()
    }

    /// The playground's files a line reads with `-f NAME` (the editors are on the page already).
    fn files_applied_by(&self, line: &str) -> Vec<(String, String)> {
        let Ok(words) = split_words(line) else {
            return Vec::new();
        };
        words
            .windows(2)
            .filter(|w| w[0] == "-f" || w[0] == "--filename")
            .filter_map(|w| {
                let name = w[1].as_str();
                let text = self.session.files.get(name)?;
                (!EDITORS.contains(&name)).then(|| (name.to_string(), text.clone()))
            })
            .collect()
    }

    /// The lesson's exercise and whether the cluster, as it is now, completes it.
    pub fn exercise(&self) -> Option<exercise::ExerciseView> {
        let e = gallery::find(self.example.as_deref()?)?.exercise?;
        Some(exercise::ExerciseView {
            task: e.task.to_string(),
            hint: e.hint.to_string(),
            solution: e.solution.to_string(),
            done: e.done(self.cluster()),
        })
    }

    /// The lesson that follows this one, if this is a lesson with a successor.
    pub fn next_lesson(&self) -> Option<NextLesson> {
        let next = gallery::find(gallery::find(self.example.as_deref()?)?.next?)?;
        Some(NextLesson {
            id: next.id.to_string(),
            title: next.title.to_string(),
        })
    }

    /// Close the editor without saving again: kubectl ends the edit with what was last saved —
    /// nothing (`Edit cancelled, no changes made.`), or the text it refused (`no valid changes
    /// were saved`).
    pub fn cancel_edit(
        &mut self,
        line: &str,
        original: &str,
        refused: Option<&str>,
        as_step: bool,
    ) -> Output {
        self.finish_edit(line, original, refused.unwrap_or(original), as_step)
    }

    /// The scenario's next step's line, if one is left.
    pub fn next_step_line(&self) -> Option<&str> {
        self.steps.get(self.steps_done()).map(|s| s.line.as_str())
    }

    /// Run the scenario's next step, if one is left.
    pub fn run_next_step(&mut self) -> Option<Output> {
        let step = self.steps.get(self.steps_done())?.line.clone();
        let out = self.session.exec_as(&step, Origin::Step);
        self.remember_taints(&step, &out);
        Some(out)
    }

    /// Let time pass (the timeline playing).
    pub fn advance(&mut self, d: Millis) {
        self.session.advance(d);
    }

    /// Let time pass up to `target`, one timed event at a time, while `keep_going()` says so (the
    /// page checks its time budget there, so a big cluster cannot freeze it). Returns whether the
    /// clock reached `target`.
    pub fn advance_until(&mut self, target: Millis, mut keep_going: impl FnMut() -> bool) -> bool {
        loop {
            let now = self.now();
            if now >= target {
                return true;
            }
            match self.cluster().next_event_at() {
                Some(t) if t < target => self.session.advance((t - now).max(0)),
                _ => {
                    self.session.advance(target - now);
                    return true;
                }
            }
            if !keep_going() {
                return false;
            }
        }
    }

    /// Move the clock to the next timed event; false when nothing is scheduled.
    pub fn step_to_next_event(&mut self) -> bool {
        match self.cluster().next_event_at() {
            Some(t) => {
                self.session.advance((t - self.now()).max(0));
                true
            }
            None => false,
        }
    }

    /// Run until nothing is scheduled any more (at most [`FAST_FORWARD_LIMIT`]); how long it took.
    pub fn fast_forward(&mut self) -> Millis {
        let from = self.now();
        // Every round handles at least the events due at one moment; the cap is a safety net.
        for _ in 0..1_000_000 {
            let Some(t) = self.cluster().next_event_at() else {
                break;
            };
            if t - from > FAST_FORWARD_LIMIT {
                break;
            }
            self.session.advance((t - self.now()).max(0));
        }
        self.now() - from
    }

    /// Go back to `t` and drop what came after it.
    pub fn rewind(&mut self, t: Millis) {
        self.session.rewind(t);
        // Taint toggles undone by the rewind come back as they were at `t`.
        self.switched_off.clear();
        let ran: Vec<(String, Output)> = self
            .session
            .history()
            .map(|(_, l, o)| (l.line.clone(), o.clone()))
            .collect();
        for (line, out) in ran {
            self.remember_taints(&line, &out);
        }
    }

    /// The page's view of the cluster at `at` (now when `None`). Taints switched off are kept
    /// on the cards (unticked) in the present only.
    pub fn view(&self, at: Option<Millis>) -> view::LiveView {
        let c = self.cluster_at(at);
        match c {
            Cow::Borrowed(c) => view::build(c, &self.switched_off),
            Cow::Owned(c) => view::build(&c, &BTreeMap::new()),
        }
    }

    /// Follow taint toggles so switched-off taints stay on the card, unticked.
    fn remember_taints(&mut self, line: &str, out: &Output) {
        if !out.ok {
            return;
        }
        let Ok(words) = split_words(line) else { return };
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let rest = match words.as_slice() {
            ["kubectl", "taint", "nodes" | "node" | "no", rest @ ..] => rest,
            ["sim", "node", "remove", node] => {
                self.switched_off.remove(*node);
                return;
            }
            _ => return,
        };
        let (nodes, specs): (Vec<&str>, Vec<&str>) = rest
            .iter()
            .filter(|w| !w.starts_with('-'))
            .partition(|w| !w.contains(':') && !w.ends_with('-') && !w.contains('='));
        for node in nodes {
            for spec in &specs {
                let set = self.switched_off.entry(node.to_string()).or_default();
                match spec.strip_suffix('-') {
                    Some(t) if t.contains(':') => {
                        set.insert(t.to_string());
                    }
                    Some(_) => {}
                    None => {
                        set.remove(*spec);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
