//! The app's one state value and the actions that change it.
//!
//! The model is `sim::playground::Playground`; this file only holds what the page adds around it
//! (which moment is shown, whether the clock plays, what is selected) and turns actions into
//! calls on the model. Every change to the cluster is a line the model runs.

use crate::page::{self, Startup};
use crate::storage;
use sim::engine::time::Millis;
use sim::playground::exercise::ExerciseView;
use sim::playground::view::{explain_node, LiveView, NodeExplanation};
use sim::playground::{actions, gallery};
use sim::playground::{link, ApplyPreview, NextLesson, Playground, Saved, StepView, EDITORS};
use sim::Diagnostic;
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// Virtual milliseconds per real millisecond while playing.
pub const SPEEDS: [u32; 5] = [1, 2, 5, 10, 30];
pub const DEFAULT_SPEED: u32 = 5;
/// Real time between two ticks of the playing clock.
pub const TICK_MS: u32 = 200;

/// What components get to change the state: stable across renders, so it does not make
/// every component render again.
pub type Dispatch = yew::UseReducerDispatcher<State>;

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Edit {
        editor: String,
        text: String,
    },
    /// `kubectl apply -f` both editors to the running cluster.
    Apply,
    /// Start again from the editors at time 0.
    Restart,
    /// Run a line (console or button) on the cluster.
    Run(String),
    RunNextStep,
    Play,
    Pause,
    SetSpeed(u32),
    /// The playing clock's tick: real milliseconds since the last one.
    Tick(u32),
    StepToNextEvent,
    FastForward,
    /// Show an earlier moment (at or after now: the present).
    Seek(Millis),
    /// Back to the present.
    Live,
    /// Drop everything after the moment shown and go on from there.
    ContinueFromHere,
    /// Add a node: blank, or shaped like another one.
    AddNode {
        like: Option<String>,
    },
    SelectDaemonSet(usize),
    SelectNode(Option<String>),
    LoadExample(String),
    /// A scenario file's text (JSON), from Import.
    Import(String),
    /// A permalink fragment pasted into the address bar of the open page.
    OpenLink(String),
    /// Go back to the playground kept aside when a link replaced it.
    RestoreBackup,
    Reset,
    DismissMessage,
    /// Open or close the gallery of lessons and examples.
    ToggleGallery(bool),
    /// The text in the `kubectl edit` panel changed.
    EditText(String),
    /// Close the edit panel saving its text (kubectl edit's editor closing after a save).
    EditSave,
    /// Close the edit panel without saving again.
    EditCancel,
}

/// An open `kubectl edit`: the line, the text kubectl opened, the text now, and whether the
/// last save was refused (kubectl then reopened the file with the reasons in its header).
#[derive(Clone, Debug, PartialEq)]
pub struct Editing {
    pub line: String,
    pub original: String,
    pub text: String,
    /// The text as last saved, when that save was refused.
    pub refused: Option<String>,
    /// The edit is the scenario's next step.
    pub as_step: bool,
}

#[derive(Clone)]
pub struct State {
    pub model: Rc<RefCell<Playground>>,
    /// Bumped on every change to the model, so components can tell states apart cheaply.
    pub version: u64,
    /// The moment shown when looking back; `None` is the present.
    pub at: Option<Millis>,
    pub view: Rc<LiveView>,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub playing: bool,
    pub speed: u32,
    pub selected_ds: usize,
    pub selected_node: Option<String>,
    pub explanation: Rc<Vec<NodeExplanation>>,
    /// A message for the user (a failed import, a restored session that could not be read).
    pub message: Option<String>,
    /// Whether this change is saved to localStorage and the selected node's explanation worked
    /// out again (a tick of the playing clock does both only every tenth time: serializing the
    /// scenario or explaining a big cluster five times a second would slow the clock down).
    full_refresh: bool,
    /// This state should be written to localStorage (by the App's effect, after rendering).
    pub save_due: bool,
    /// The refresh under way is a tick of the playing clock.
    ticking: bool,
    /// How the page was opened (embed options); embedded pages never touch localStorage.
    pub startup: Rc<Startup>,
    /// Changes to the cluster are refused (an embed with `readonly`).
    pub readonly: bool,
    /// The message offers to go back to the playground a link replaced.
    pub backup_offered: bool,
    /// The scenario's steps with what each printed.
    pub steps: Rc<Vec<StepView>>,
    /// Which model, how many steps and how many done `steps` was worked out for.
    steps_key: (usize, usize, usize),
    pub exercise: Option<ExerciseView>,
    pub next_lesson: Option<NextLesson>,
    /// What "Apply changes" would do (worked out when the editors or the cluster's objects
    /// change, not on every tick of the clock).
    pub apply_preview: Rc<ApplyPreview>,
    pub gallery_open: bool,
    /// Autoplay runs the scenario's steps too (one every [`STEP_TICKS`] ticks).
    pub autoplay_steps: bool,
    ticks_since_step: u32,
    /// `kubectl edit` waiting for its editor to close.
    pub editing: Option<Rc<Editing>>,
}

impl Editing {
    fn new(line: String, text: String, as_step: bool) -> Self {
        Editing {
            line,
            original: text.clone(),
            text,
            refused: None,
            as_step,
        }
    }
}

/// Ticks between two steps when autoplay runs them (2 s of real time).
pub const STEP_TICKS: u32 = 10;

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.model, &other.model)
            && self.version == other.version
            && self.at == other.at
            && self.playing == other.playing
            && self.speed == other.speed
            && self.selected_ds == other.selected_ds
            && self.selected_node == other.selected_node
            && self.message == other.message
            && self.gallery_open == other.gallery_open
            && self.editing == other.editing
    }
}

impl State {
    pub fn new(p: Playground) -> Self {
        let mut s = State {
            model: Rc::new(RefCell::new(p)),
            version: 0,
            at: None,
            view: Rc::default(),
            diagnostics: Rc::default(),
            playing: false,
            speed: DEFAULT_SPEED,
            selected_ds: 0,
            selected_node: None,
            explanation: Rc::default(),
            message: None,
            // What was just loaded needs no saving; later changes do.
            full_refresh: false,
            save_due: false,
            ticking: false,
            startup: Rc::default(),
            readonly: false,
            backup_offered: false,
            steps: Rc::default(),
            steps_key: (0, usize::MAX, 0),
            exercise: None,
            next_lesson: None,
            apply_preview: Rc::default(),
            gallery_open: false,
            autoplay_steps: false,
            ticks_since_step: 0,
            editing: None,
        };
        s.refresh(true);
        s
    }

    /// The page as its address asks: a permalink, an example, an embed — else what this browser
    /// saved, else the default example.
    pub fn start() -> Self {
        let startup = Startup::from_location();
        let embedded = startup.embed.is_some();
        let mut message = None;
        let mut at = None;
        let mut p = None;
        if let Some(link) = &startup.link {
            match open_link(link) {
                Ok((pg, t)) => {
                    p = Some(pg);
                    at = t;
                }
                Err(e) => message = Some(e),
            }
            if !embedded {
                page::forget_link();
            }
        } else if let Some(id) = &startup.example {
            match gallery::find(id) {
                Some(e) => p = Some(e.playground()),
                None => message = Some(format!("There is no example {id:?}: nothing was opened.")),
            }
        }
        // What this browser saved is kept aside before a link replaces it, and kept as it is
        // when the link cannot be opened.
        let backed_up = p.is_some() && !embedded && storage::backup();
        let mut s = match p {
            Some(p) => State::new_with(p, !embedded),
            None if embedded => State::new_with(gallery::default().playground(), false),
            None => State::restore(),
        };
        if backed_up {
            s.backup_offered = true;
            message = Some(
                "A shared scenario was opened in place of the one you were working on, which was kept.".into(),
            );
        }
        {
            let mut m = s.model.borrow_mut();
            for _ in 0..startup.step {
                if m.run_next_step().is_none() {
                    break;
                }
            }
        }
        s.readonly = startup.embed.as_ref().is_some_and(|e| e.readonly);
        s.playing = startup.autoplay;
        s.autoplay_steps = startup.autoplay;
        // A first visit opens the gallery, so a newcomer sees the course before anything else.
        s.gallery_open = !embedded
            && startup.link.is_none()
            && startup.example.is_none()
            && storage::load().is_none();
        if let Some(speed) = startup.speed.filter(|v| SPEEDS.contains(v)) {
            s.speed = speed;
        }
        s.message = message.or(s.message.take());
        s.at = at;
        s.startup = Rc::new(startup);
        s.refresh(false);
        s
    }

    /// A state for a playground that did not come from this browser's storage: saved at once
    /// unless the page is embedded.
    fn new_with(p: Playground, persist: bool) -> Self {
        let mut s = State::new(p);
        s.full_refresh = persist;
        s
    }

    /// The saved playground if there is one, else the default example.
    pub fn restore() -> Self {
        match storage::load() {
            Some(Ok(saved)) => match Playground::from_saved(saved) {
                Ok(p) => State::new(p),
                Err(e) => State::with_message(format!(
                    "The scenario saved in this browser could not be restored ({e}); the default example is loaded instead."
                )),
            },
            Some(Err(e)) => State::with_message(format!(
                "The scenario saved in this browser could not be read ({e}); the default example is loaded instead."
            )),
            None => State::new(gallery::default().playground()),
        }
    }

    fn with_message(m: String) -> Self {
        let mut s = State::new(gallery::default().playground());
        s.message = Some(m);
        s
    }

    pub fn saved(&self) -> Saved {
        self.model.borrow().saved()
    }

    pub fn looking_back(&self) -> bool {
        self.at.is_some()
    }

    /// Whether buttons that change the cluster are off (looking back, or a read-only embed).
    pub fn frozen(&self) -> bool {
        self.looking_back() || self.readonly
    }

    /// Embedded pages keep nothing in this browser's storage.
    fn persists(&self) -> bool {
        self.startup.embed.is_none()
    }

    /// Recompute what the page shows; `edited` when the editors changed.
    fn refresh(&mut self, edited: bool) {
        self.refresh_with(edited, true);
    }

    /// After a keystroke in an editor only the editors' diagnostics and the apply preview can
    /// have changed: the cluster, its view and the steps stay as they were.
    fn refresh_editors(&mut self) {
        self.refresh_with(true, false);
    }

    fn refresh_with(&mut self, edited: bool, cluster_changed: bool) {
        let m = self.model.borrow();
        if !cluster_changed {
            let (diagnostics, preview) = m.check_editors();
            self.diagnostics = Rc::new(diagnostics);
            self.apply_preview = Rc::new(preview);
            drop(m);
            self.version += 1;
            self.save_due = self.persists();
            return;
        }
        if self.at.is_some_and(|t| t >= m.now()) {
            self.at = None;
        }
        self.view = Rc::new(m.view(self.at));
        if edited {
            let (diagnostics, preview) = m.check_editors();
            self.diagnostics = Rc::new(diagnostics);
            self.apply_preview = Rc::new(preview);
        } else if !self.ticking {
            // What apply would create or keep depends on which objects exist: worked out after
            // each action, but not on the clock's ticks (reading a big cluster editor five times
            // a second would stall the page).
            self.apply_preview = Rc::new(m.apply_preview());
        }
        self.ticking = false;
        // The steps' outputs change only when a step runs (or another scenario opens), not on
        // every tick of the clock.
        let steps_key = (
            Rc::as_ptr(&self.model) as usize,
            m.steps().len(),
            m.steps_done(),
        );
        if steps_key != self.steps_key {
            self.steps = Rc::new(m.step_views());
            self.steps_key = steps_key;
        }
        self.exercise = m.exercise();
        self.next_lesson = m.next_lesson();
        self.selected_ds = self
            .selected_ds
            .min(self.view.daemon_sets.len().saturating_sub(1));
        if let Some(n) = &self.selected_node {
            if !self.view.nodes.iter().any(|c| &c.name == n) {
                self.selected_node = None;
                self.explanation = Rc::default();
            } else if self.full_refresh || self.explanation.is_empty() {
                self.explanation = Rc::new(explain_node(&m.cluster_at(self.at), n));
            }
        }
        drop(m);
        self.version += 1;
        // The App's effect writes localStorage after the render; the reducer only says so.
        self.save_due = self.full_refresh && self.persists();
        self.full_refresh = true;
    }

    /// Keep the current playground aside before it is replaced, unless nothing was done in it;
    /// the message then offers it back. Embedded pages keep nothing.
    fn keep_aside(&mut self, what: &str) {
        let pristine = self.model.borrow().is_pristine();
        if pristine || !self.persists() {
            return;
        }
        if storage::keep_aside(&self.saved()) {
            self.backup_offered = true;
            self.message = Some(format!(
                "{what} Your previous scenario was kept aside: you can go back to it."
            ));
        }
    }

    fn replace(&mut self, p: Playground) {
        self.steps_key = (0, usize::MAX, 0);
        self.model = Rc::new(RefCell::new(p));
        self.at = None;
        self.playing = false;
        self.selected_ds = 0;
        self.selected_node = None;
        self.refresh(true);
    }
}

/// Open a permalink fragment, or say in a sentence why it cannot be opened.
fn open_link(fragment: &str) -> Result<(Playground, Option<Millis>), String> {
    link::decode(fragment)
        .and_then(|l| {
            let l = l.ok_or_else(|| "there is no scenario in it".to_string())?;
            Ok((Playground::from_saved(l.saved)?, l.at))
        })
        .map_err(|e| format!("This link could not be opened: {e}. Nothing was changed."))
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        {
            let mut m = next.model.borrow_mut();
            match action {
                Action::Edit { editor, text } => {
                    let allowed = EDITORS.contains(&editor.as_str()) && !next.readonly;
                    if allowed {
                        m.set_editor(&editor, text);
                    }
                    drop(m);
                    if allowed {
                        next.refresh_editors();
                    }
                    return Rc::new(next);
                }
                Action::Apply => {
                    if !next.frozen() {
                        m.apply_editors();
                    }
                }
                Action::Restart if next.readonly => {}
                Action::Restart => {
                    drop(m);
                    next.keep_aside("A new cluster was started from the editors.");
                    m = next.model.borrow_mut();
                    m.restart();
                    // The Scenario document's steps are read again: work them out anew.
                    next.steps_key = (0, usize::MAX, 0);
                    next.at = None;
                    next.playing = false;
                }
                Action::Run(line) => {
                    // Changing the cluster while looking back would change the past: refused.
                    if !next.frozen() {
                        match m.begin_edit(&line) {
                            Some(Ok(text)) => {
                                next.editing = Some(Rc::new(Editing::new(line, text, false)))
                            }
                            _ => {
                                m.run(&line);
                            }
                        }
                    }
                }
                Action::EditText(text) => {
                    if let Some(e) = &next.editing {
                        let mut e = (**e).clone();
                        e.text = text;
                        next.editing = Some(Rc::new(e));
                    }
                    drop(m);
                    return Rc::new(next);
                }
                Action::EditSave => {
                    if let Some(e) = next.editing.take() {
                        match m.check_edit(&e.line, &e.original, &e.text) {
                            // Refused: kubectl reopens the file with the reasons on top.
                            Some(reopened) => {
                                let mut e = (*e).clone();
                                e.refused = Some(reopened.clone());
                                e.text = reopened;
                                next.editing = Some(Rc::new(e));
                            }
                            None => {
                                m.finish_edit(&e.line, &e.original, &e.text, e.as_step);
                            }
                        }
                    }
                }
                Action::EditCancel => {
                    if let Some(e) = next.editing.take() {
                        m.cancel_edit(&e.line, &e.original, e.refused.as_deref(), e.as_step);
                    }
                }
                Action::AddNode { like } => {
                    if !next.frozen() {
                        let name = actions::new_node_name(m.cluster(), like.as_deref());
                        m.run(&actions::add_node(&name, like.as_deref()));
                    }
                }
                Action::RunNextStep => {
                    if next.at.is_none() && next.editing.is_none() {
                        let edit = m
                            .next_step_line()
                            .and_then(|l| Some((l.to_string(), m.begin_edit(l)?)));
                        match edit {
                            Some((line, Ok(text))) => {
                                next.editing = Some(Rc::new(Editing::new(line, text, true)));
                            }
                            _ => {
                                m.run_next_step();
                            }
                        }
                    }
                }
                Action::Play => {
                    next.playing = true;
                    next.at = None;
                }
                Action::Pause => {
                    next.playing = false;
                    next.autoplay_steps = false;
                }
                Action::SetSpeed(s) => next.speed = s,
                Action::Tick(real_ms) => {
                    if !next.playing || next.at.is_some() {
                        return self;
                    }
                    // At most ~40 ms of work per tick: a big cluster then plays slower than asked
                    // instead of freezing the page.
                    next.ticks_since_step += 1;
                    next.ticking = true;
                    if next.autoplay_steps
                        && next.ticks_since_step >= STEP_TICKS
                        && m.steps_done() < m.steps().len()
                    {
                        // Autoplay goes through the steps too, one every two seconds.
                        next.ticks_since_step = 0;
                        m.run_next_step();
                    } else {
                        let start = js_sys::Date::now();
                        let target = m.now() + Millis::from(real_ms) * Millis::from(next.speed);
                        m.advance_until(target, || js_sys::Date::now() - start < 40.0);
                    }
                    next.full_refresh = next.version.is_multiple_of(10);
                }
                Action::StepToNextEvent => {
                    if next.at.is_none() {
                        m.step_to_next_event();
                    }
                }
                Action::FastForward => {
                    if next.at.is_none() {
                        m.fast_forward();
                    }
                }
                Action::Seek(t) => {
                    next.at = (t < m.now()).then_some(t.max(0));
                    next.playing = false;
                }
                Action::Live => next.at = None,
                Action::ContinueFromHere => {
                    if let Some(t) = next.at.take() {
                        m.rewind(t);
                    }
                }
                Action::SelectDaemonSet(i) => next.selected_ds = i,
                Action::SelectNode(n) => next.selected_node = n,
                Action::LoadExample(id) => {
                    drop(m);
                    if let Some(e) = gallery::find(&id) {
                        next.message = None;
                        next.backup_offered = false;
                        next.keep_aside(&format!("\u{201c}{}\u{201d} is open.", e.title));
                        next.replace(e.playground());
                        next.gallery_open = false;
                    }
                    return Rc::new(next);
                }
                Action::Import(text) => {
                    drop(m);
                    match storage::parse(&text).and_then(Playground::from_saved) {
                        Ok(p) => {
                            next.message = None;
                            next.backup_offered = false;
                            next.keep_aside("The imported scenario is open.");
                            next.replace(p);
                        }
                        Err(e) => {
                            next.message = Some(format!(
                                "That file is not a playground scenario: {e}. Nothing was changed."
                            ))
                        }
                    }
                    return Rc::new(next);
                }
                Action::Reset => {
                    let id = m.example.clone().unwrap_or_default();
                    drop(m);
                    let e = gallery::find(&id).unwrap_or_else(gallery::default);
                    next.message = None;
                    next.backup_offered = false;
                    next.keep_aside(&format!(
                        "\u{201c}{}\u{201d} was reset to its start.",
                        e.title
                    ));
                    next.replace(e.playground());
                    return Rc::new(next);
                }
                Action::ToggleGallery(open) => next.gallery_open = open,
                Action::DismissMessage => {
                    next.message = None;
                    next.backup_offered = false;
                }
                Action::OpenLink(fragment) => {
                    drop(m);
                    match open_link(&fragment) {
                        Ok((p, t)) => {
                            let backed_up = next.persists() && storage::backup();
                            next.replace(p);
                            next.at = t;
                            next.backup_offered = backed_up;
                            next.message = backed_up.then(|| {
                                "A shared scenario was opened in place of the one you were working on, which was kept.".to_string()
                            });
                            next.refresh(false);
                        }
                        Err(e) => next.message = Some(e),
                    }
                    if next.persists() {
                        page::forget_link();
                    }
                    return Rc::new(next);
                }
                Action::RestoreBackup => {
                    drop(m);
                    match storage::load_backup().map(|r| r.and_then(Playground::from_saved)) {
                        Some(Ok(p)) => {
                            next.replace(p);
                            next.message = None;
                        }
                        Some(Err(e)) => {
                            next.message =
                                Some(format!("The scenario kept aside could not be read ({e})."))
                        }
                        None => next.message = Some("No scenario was kept aside.".into()),
                    }
                    next.backup_offered = false;
                    return Rc::new(next);
                }
            }
        }
        next.refresh(false);
        Rc::new(next)
    }
}
