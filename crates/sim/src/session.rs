//! A run that can be looked at again at any earlier moment: the lines typed, in order, with the
//! virtual time they were typed at, plus checkpoints of the whole cluster. Going back to a moment
//! restores the nearest earlier checkpoint and replays from there — the engine is deterministic,
//! so the replay is exact. The web app's timeline and the JS API's `seek` stand on this.

use crate::engine::time::{parse_duration, Millis};
use crate::engine::Cluster;
use crate::input::Objects;
use crate::kubectl::Output;
use crate::scenario;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Files that `kubectl apply -f NAME` can read in a session (editor tabs, scenario files).
pub type FileMap = BTreeMap<String, String>;

/// Who ran a line: what the console shows and what a replay needs to know.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Origin {
    /// Typed in the console, or run by a button (shown in the console either way).
    #[default]
    Typed,
    /// The clock moving while the timeline plays or steps (not shown in the console).
    Clock,
    /// One of the scenario's steps.
    Step,
}

/// A line as it is saved and replayed: what ran, who ran it, and the files it read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub line: String,
    #[serde(default, skip_serializing_if = "is_typed")]
    pub origin: Origin,
    /// The files as they were when the line ran (only for lines that read files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<FileMap>,
}

fn is_typed(o: &Origin) -> bool {
    *o == Origin::Typed
}

#[derive(Clone, Debug)]
struct Entry {
    /// Virtual time when the line was run.
    at: Millis,
    /// Virtual time after it (later than `at` for lines that wait: `sleep`, `rollout status`).
    end: Millis,
    line: Line,
    output: Output,
}

/// The longest one clock line may sleep (100 days): longer advances make new lines, so every
/// line's duration stays exact when it is written out and read back.
pub const MAX_SLEEP: Millis = 100 * 24 * 3_600_000;

/// Whether a line only waits (moves the clock without changing anything): a replay that must
/// stop inside it can just run the clock to the stopping point.
fn only_waits(line: &str) -> bool {
    let w: Vec<&str> = line.split_whitespace().collect();
    matches!(w.as_slice(), ["kubectl", "rollout", "status", ..])
}

/// Whether a line reads files (`-f`, `--filename`), so the files it read must be kept with it.
fn reads_files(line: &str) -> bool {
    line.split_whitespace().any(|w| {
        matches!(w, "-f" | "--filename")
            || w.starts_with("--filename=")
            || (w.starts_with("-f") && !w.starts_with("--"))
    })
}

/// How many lines between two checkpoints.
const CHECKPOINT_EVERY: usize = 8;

#[derive(Clone, Debug)]
pub struct Session {
    entries: Vec<Entry>,
    /// `(number of entries already applied, cluster after them)`, the first one at 0.
    checkpoints: Vec<(usize, Cluster)>,
    current: Cluster,
    pub files: FileMap,
}

fn read_from(files: &FileMap) -> impl Fn(&str) -> Result<String, String> + '_ {
    move |p: &str| {
        files
            .get(p)
            .cloned()
            .ok_or_else(|| format!("the path \"{p}\" does not exist"))
    }
}

impl Session {
    /// Start from objects (their Scenario document sets the seed and timing).
    pub fn new(objects: &Objects) -> Self {
        let cluster = scenario::start(objects);
        Session {
            entries: Vec::new(),
            checkpoints: vec![(0, cluster.clone())],
            current: cluster,
            files: FileMap::new(),
        }
    }

    pub fn cluster(&self) -> &Cluster {
        &self.current
    }

    pub fn now(&self) -> Millis {
        self.current.now
    }

    /// Run a script line (`kubectl …`, `sleep …`, `sim …`) and remember it.
    pub fn exec(&mut self, line: &str) -> Output {
        self.exec_as(line, Origin::Typed)
    }

    /// Run a line on someone's behalf (see [`Origin`]).
    pub fn exec_as(&mut self, line: &str, origin: Origin) -> Output {
        let files = reads_files(line).then(|| self.files.clone());
        self.run(Line {
            line: line.to_string(),
            origin,
            files,
        })
    }

    /// Run a line with the files it carries (or the session's), and remember it.
    pub(crate) fn run(&mut self, line: Line) -> Output {
        let at = self.current.now;
        let output = {
            let read = read_from(line.files.as_ref().unwrap_or(&self.files));
            scenario::run_line(&mut self.current, &line.line, &read)
        };
        self.entries.push(Entry {
            at,
            end: self.current.now,
            line,
            output: output.clone(),
        });
        if self.entries.len().is_multiple_of(CHECKPOINT_EVERY) {
            self.checkpoints
                .push((self.entries.len(), self.current.clone()));
        }
        output
    }

    /// Let virtual time pass for the timeline (`Origin::Clock`). Consecutive advances are one
    /// `sleep` line, so playing for a long time does not make the history long.
    pub fn advance(&mut self, d: Millis) {
        let d = d.clamp(0, MAX_SLEEP);
        // Nothing to do unless time passes or an event is due right now (a zero-second timing
        // schedules events at the current moment).
        if d == 0
            && self
                .current
                .next_event_at()
                .is_none_or(|t| t > self.current.now)
        {
            return;
        }
        if let Some(last) = self.entries.last_mut() {
            let so_far = self.current.now - last.at;
            if last.line.origin == Origin::Clock && so_far + d <= MAX_SLEEP {
                last.line.line = format!("sleep {}ms", so_far + d);
                self.current.advance(d);
                last.end = self.current.now;
                // A checkpoint taken right after this line no longer matches it.
                if self
                    .checkpoints
                    .last()
                    .is_some_and(|(n, _)| *n == self.entries.len())
                {
                    self.checkpoints.pop();
                }
                return;
            }
        }
        self.exec_as(&format!("sleep {d}ms"), Origin::Clock);
    }

    /// Lines run so far, with the virtual time each was run at and what it printed.
    pub fn history(&self) -> impl Iterator<Item = (Millis, &Line, &Output)> {
        self.entries.iter().map(|e| (e.at, &e.line, &e.output))
    }

    /// The lines run so far, to save and [`Session::replay`] later.
    pub fn lines(&self) -> Vec<Line> {
        self.entries.iter().map(|e| e.line.clone()).collect()
    }

    /// Run saved lines again (each with the files it read), as they first ran.
    pub fn replay(&mut self, lines: Vec<Line>) {
        for l in lines {
            self.run(l);
        }
    }

    /// Go back to virtual time `t` and forget what came after, so the run goes on from there.
    pub fn rewind(&mut self, t: Millis) {
        let t = t.clamp(0, self.current.now);
        let start = self.checkpoints[0].1.clone();
        let old = std::mem::take(&mut self.entries);
        self.checkpoints = vec![(0, start.clone())];
        self.current = start;
        for e in old {
            if e.at > t {
                break;
            }
            let waits = sleep_of(&e.line.line).is_some() || only_waits(&e.line.line);
            if waits && e.end > t {
                // Cut short at `t`: what it waited for after `t` is dropped.
                self.run(Line {
                    line: format!("sleep {}ms", t - e.at),
                    files: None,
                    ..e.line
                });
                break;
            }
            self.run(e.line);
        }
        let now = self.current.now;
        if now < t {
            self.advance(t - now);
        }
    }

    /// The cluster as it was at virtual time `t` (at most the current time).
    pub fn at(&self, t: Millis) -> Cluster {
        let t = t.clamp(0, self.current.now);
        if t == self.current.now {
            return self.current.clone();
        }
        // The last checkpoint taken at or before `t` whose next line had not run after `t`.
        let (applied, start) = self
            .checkpoints
            .iter()
            .rev()
            .find(|(n, c)| {
                c.now <= t
                    && self
                        .entries
                        .get(n.saturating_sub(1))
                        .is_none_or(|e| e.at <= t)
            })
            .map(|(n, c)| (*n, c.clone()))
            .unwrap_or_else(|| (0, self.checkpoints[0].1.clone()));
        let mut c = start;
        for e in &self.entries[applied..] {
            if e.at > t {
                break;
            }
            if let Some(d) = sleep_of(&e.line.line) {
                // A sleep across `t` is replayed up to `t` only.
                c.run_until(e.at.saturating_add(d).min(t));
                continue;
            }
            if only_waits(&e.line.line) && e.end > t {
                // `rollout status` watching across `t`: the clock, up to `t`.
                c.run_until(t);
                break;
            }
            let files = e.line.files.clone().unwrap_or_default();
            let read = read_from(&files);
            scenario::run_line(&mut c, &e.line.line, &read);
        }
        c.run_until(t);
        c
    }

    /// Every moment something happened (an event was recorded), in order: the timeline's ticks.
    pub fn moments(&self) -> Vec<Millis> {
        let mut m: Vec<Millis> = self
            .current
            .events
            .records
            .iter()
            .flat_map(|e| [e.first_seen, e.last_seen])
            .chain(self.entries.iter().map(|e| e.at))
            .collect();
        m.sort_unstable();
        m.dedup();
        m
    }
}

/// How long a `sleep` line sleeps (0 for a malformed one, which does not move the clock).
pub(crate) fn sleep_of(line: &str) -> Option<Millis> {
    let mut words = line.split_whitespace();
    (words.next() == Some("sleep")).then(|| {
        words
            .next()
            .and_then(|d| parse_duration(d).ok())
            .unwrap_or(0)
            .max(0)
    })
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use crate::engine::time::SECOND;
    use crate::input::load;

    fn session() -> Session {
        let objects = load(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a, namespace: default}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec: {containers: [{name: c, image: 'i:1'}]}\n",
        )
        .objects;
        let mut s = Session::new(&objects);
        for line in [
            "sim node add n1",
            "sleep 10s",
            "sim node add n2",
            "sleep 10s",
            "kubectl taint nodes n1 k=v:NoExecute",
            "sleep 10s",
            "sim node remove n2",
            "sleep 5s",
            "sim node add n3",
            "sleep 20s",
        ] {
            s.exec(line);
        }
        s
    }

    fn pods(c: &Cluster) -> Vec<String> {
        c.pods
            .iter()
            .map(|(k, p)| {
                format!(
                    "{}@{}",
                    k.1,
                    p.spec
                        .as_ref()
                        .and_then(|s| s.node_name.clone())
                        .unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn going_back_shows_the_cluster_as_it_was() {
        let s = session();
        // Replay from scratch with a fresh session, line by line, and compare at each moment.
        let objects_again = session();
        assert_eq!(pods(s.cluster()), pods(objects_again.cluster()));
        let at_5 = s.at(5 * SECOND);
        assert_eq!(at_5.nodes.keys().collect::<Vec<_>>(), ["n1"]);
        assert_eq!(at_5.pods.len(), 1);
        let at_25 = s.at(25 * SECOND);
        assert_eq!(at_25.nodes.len(), 2);
        assert_eq!(
            at_25.pods.len(),
            1,
            "the pod on n1 was evicted by the NoExecute taint at 20s"
        );
        assert_eq!(s.at(s.now()).pods.len(), s.cluster().pods.len());
        assert_eq!(
            pods(&s.at(40 * SECOND)),
            pods(&s.at(40 * SECOND)),
            "replays are exact"
        );
    }

    #[test]
    fn moments_are_sorted_and_include_the_lines() {
        let s = session();
        let m = s.moments();
        assert!(m.windows(2).all(|w| w[0] < w[1]));
        assert!(m.contains(&(20 * SECOND)));
    }
}
