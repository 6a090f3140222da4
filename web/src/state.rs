//! The app's one state value and the actions that change it.

use crate::examples::{Example, DEFAULT};
use crate::storage::{self, Saved};
use sim::playground::{console_session, evaluate, TaintOff, View};
use sim::session::Session;
use sim::Source;
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::Reducible;

/// Source names the editors' diagnostics carry.
pub const WORKLOADS: &str = "workloads";
pub const CLUSTER: &str = "cluster";

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    EditWorkloads(String),
    EditCluster(String),
    ToggleTaint {
        node: String,
        taint: String,
    },
    SelectDaemonSet(usize),
    ResetToExample,
    /// Run a console line (`kubectl …`, `sleep …`, `sim …`) on the simulated cluster.
    RunCommand(String),
}

#[derive(Clone, Debug)]
pub struct Playground {
    pub workloads: String,
    pub cluster: String,
    pub taints_off: BTreeSet<TaintOff>,
    pub selected: usize,
    pub view: Rc<View>,
    pub console: Rc<Console>,
}

/// The kubectl console: a simulated cluster started from the editors, and what was typed.
#[derive(Clone, Debug)]
pub struct Console {
    pub session: Session,
    /// `(line, output, ok)` in order.
    pub transcript: Vec<(String, String, bool)>,
}

impl Console {
    fn new(sources: &[Source], taints_off: &BTreeSet<TaintOff>) -> Self {
        Console {
            session: console_session(sources, taints_off),
            transcript: Vec::new(),
        }
    }
}

impl PartialEq for Playground {
    fn eq(&self, other: &Self) -> bool {
        self.workloads == other.workloads
            && self.cluster == other.cluster
            && self.taints_off == other.taints_off
            && self.selected == other.selected
            && Rc::ptr_eq(&self.console, &other.console)
    }
}

impl Playground {
    pub fn new(workloads: String, cluster: String, taints_off: BTreeSet<TaintOff>) -> Self {
        let sources = [
            Source::new(WORKLOADS, workloads.clone()),
            Source::new(CLUSTER, cluster.clone()),
        ];
        let view = Rc::new(evaluate(&sources, &taints_off));
        let console = Rc::new(Console::new(&sources, &taints_off));
        Playground {
            workloads,
            cluster,
            taints_off,
            selected: 0,
            view,
            console,
        }
    }

    pub fn from_example(e: &Example) -> Self {
        Self::new(
            e.workloads.to_string(),
            e.cluster.to_string(),
            BTreeSet::new(),
        )
    }

    /// The saved scenario if there is one, else the default example.
    pub fn restore() -> Self {
        match storage::load() {
            Some(s) => Self::new(s.workloads, s.cluster, s.taints_off),
            None => Self::from_example(&DEFAULT),
        }
    }

    fn saved(&self) -> Saved {
        Saved {
            workloads: self.workloads.clone(),
            cluster: self.cluster.clone(),
            taints_off: self.taints_off.clone(),
        }
    }
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SelectDaemonSet(i) => {
                next.selected = i;
                return Rc::new(next);
            }
            Action::RunCommand(line) => {
                let mut console = (*next.console).clone();
                let out = console.session.exec(&line);
                console.transcript.push((line, out.text(), out.ok));
                next.console = Rc::new(console);
                return Rc::new(next);
            }
            Action::EditWorkloads(t) => next.workloads = t,
            Action::EditCluster(t) => next.cluster = t,
            Action::ToggleTaint { node, taint } => {
                let key = (node, taint);
                if !next.taints_off.remove(&key) {
                    next.taints_off.insert(key);
                }
            }
            Action::ResetToExample => {
                storage::clear();
                return Rc::new(Playground::from_example(&DEFAULT));
            }
        }
        let selected = next.selected;
        let mut fresh = Playground::new(next.workloads, next.cluster, next.taints_off);
        fresh.selected = selected.min(fresh.view.report.daemon_sets.len().saturating_sub(1));
        storage::save(&fresh.saved());
        Rc::new(fresh)
    }
}
