//! From a field path to a line and column in the source text.
//!
//! Documents are decoded without positions (cheap, and most have nothing to report). Only when a
//! document has something to report is its text read once more as YAML events (JSON is YAML too),
//! with the same parser as `yaml.rs`, to map every field path to the position of its key, or of the
//! value for sequence items and the root.

mod json;

use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Field path → (line, column), both 1-based and relative to the text given to [`Locator::new`].
#[derive(Debug, Default)]
pub struct Locator {
    positions: HashMap<String, (usize, usize)>,
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        awaiting_key: bool,
    },
    Seq {
        path: String,
        next: usize,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
    documents_seen: usize,
    /// When set, only these paths (and nothing else) are kept.
    wanted: Option<std::collections::HashSet<String>>,
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl Builder {
    fn record(&mut self, path: String, mark: &Marker) {
        if self.wanted.as_ref().is_some_and(|w| !w.contains(&path)) {
            return;
        }
        self.positions
            .entry(path)
            .or_insert((mark.line().max(1), mark.col() + 1));
    }

    /// A block mapping starts where its first key does; the parser marks it at the first `:`.
    fn move_before(&mut self, path: String, mark: &Marker) {
        let pos = (mark.line().max(1), mark.col() + 1);
        if let Some(p) = self.positions.get_mut(&path) {
            if pos < *p {
                *p = pos;
            }
        }
    }

    /// The path of the node that starts now, as a value (not a key).
    fn value_path(&self) -> String {
        match self.stack.last() {
            None => String::new(),
            Some(Frame::Map { path, key, .. }) => join(path, key.as_deref().unwrap_or("?")),
            Some(Frame::Seq { path, next }) => format!("{path}[{next}]"),
        }
    }

    fn value_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { awaiting_key, .. }) => *awaiting_key = true,
            Some(Frame::Seq { next, .. }) => *next += 1,
            None => {}
        }
    }

    /// True when the node that starts now is a mapping key.
    fn is_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame::Map {
                awaiting_key: true,
                ..
            })
        )
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.documents_seen > 1 {
            return;
        }
        match ev {
            Event::DocumentStart => self.documents_seen += 1,
            Event::Scalar(value, ..) => {
                if self.is_key() {
                    if let Some(Frame::Map {
                        path,
                        key,
                        awaiting_key,
                    }) = self.stack.last_mut()
                    {
                        let p = join(path, &value);
                        let first = key.is_none();
                        let map_path = path.clone();
                        *key = Some(value);
                        *awaiting_key = false;
                        self.record(p, &mark);
                        if first {
                            self.move_before(map_path, &mark);
                        }
                    }
                } else {
                    let p = self.value_path();
                    self.record(p, &mark);
                    self.value_done();
                }
            }
            Event::Alias(_) => {
                if self.is_key() {
                    if let Some(Frame::Map {
                        awaiting_key, key, ..
                    }) = self.stack.last_mut()
                    {
                        *key = Some("?".into());
                        *awaiting_key = false;
                    }
                } else {
                    self.value_done();
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = if self.is_key() {
                    // A complex key: give its insides an unreachable path.
                    "?".to_string()
                } else {
                    let p = self.value_path();
                    self.record(p.clone(), &mark);
                    p
                };
                let frame = if matches!(ev, Event::MappingStart(..)) {
                    Frame::Map {
                        path,
                        key: None,
                        awaiting_key: true,
                    }
                } else {
                    Frame::Seq { path, next: 0 }
                };
                self.stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                if let Some(Frame::Map {
                    awaiting_key: false,
                    key: Some(k),
                    ..
                }) = self.stack.last()
                {
                    if k == "?" {
                        // The end of a complex key: its value follows.
                        return;
                    }
                }
                self.value_done();
            }
            _ => {}
        }
    }
}

/// `a[cpu].b[0]` → `a.cpu.b[0]`: bracketed map keys become field steps; list indices stay.
fn keys_as_fields(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        let inner = &rest[open + 1..close];
        out.push_str(&rest[..open]);
        if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&rest[open..=close]);
        } else {
            out.push('.');
            out.push_str(inner);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

impl Locator {
    /// Index every path of the first document in `text` (the tests compare the JSON walk with
    /// it). Text that does not parse gives an empty locator.
    #[cfg(test)]
    fn new(text: &str) -> Locator {
        let mut b = Builder::default();
        let mut parser = Parser::new_from_str(text);
        // A scan error stops the walk; what was seen before it is still useful.
        let _ = parser.load(&mut b, false);
        Locator {
            positions: b.positions,
        }
    }

    /// Index only `paths` and their ancestors, so a huge document with one message keeps a few
    /// positions, not one per field.
    pub fn for_paths(text: &str, paths: &[&str]) -> Locator {
        let mut wanted = std::collections::HashSet::new();
        for p in paths {
            let p = keys_as_fields(p);
            let mut rest = p.as_str();
            loop {
                wanted.insert(rest.to_string());
                match rest.rfind(['.', '[']) {
                    Some(cut) => rest = &rest[..cut],
                    None => break,
                }
            }
            wanted.insert(String::new());
        }
        if text.trim_start().starts_with('{') {
            return Locator {
                positions: json::positions(text, &wanted),
            };
        }
        let mut b = Builder {
            wanted: Some(wanted),
            ..Builder::default()
        };
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut b, false);
        Locator {
            positions: b.positions,
        }
    }

    /// The position of `path`, or of its nearest ancestor that has one.
    ///
    /// Kubernetes writes map keys in brackets (`resources.requests[cpu]`); they are looked up as
    /// keys (`resources.requests.cpu`).
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        let path = keys_as_fields(path);
        let mut p = path.as_str();
        loop {
            if let Some(pos) = self.positions.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn finds_keys_in_block_yaml() {
        let text = "apiVersion: apps/v1\nkind: DaemonSet\nspec:\n  template:\n    spec:\n      tolerations:\n      - key: a\n        efect: NoSchedule\n";
        let l = Locator::new(text);
        assert_eq!(l.find("kind"), Some((2, 1)));
        assert_eq!(
            l.find("spec.template.spec.tolerations[0].efect"),
            Some((8, 9))
        );
        assert_eq!(l.find("spec.template.spec.tolerations[0]"), Some((7, 9)));
        assert_eq!(
            l.find("spec.template.spec.tolerations[0].missing"),
            Some((7, 9)),
            "falls back to the parent"
        );
    }

    #[test]
    fn finds_keys_in_json() {
        let text = "{\n  \"kind\": \"Node\",\n  \"metadata\": {\"name\": \"a\",\n    \"labels\": {\"x\": \"y\"}}\n}";
        let l = Locator::new(text);
        assert_eq!(
            l.find("metadata.labels.x"),
            Some((4, 16)),
            "the opening quote of the key"
        );
        assert_eq!(l.find("metadata.name").map(|p| p.0), Some(3));
    }

    #[test]
    fn lists_of_items() {
        let text = "kind: List\nitems:\n- kind: Node\n  metadata:\n    name: a\n- kind: Node\n  metadata:\n    name: b\n";
        let l = Locator::new(text);
        assert_eq!(l.find("items[1].metadata.name"), Some((8, 5)));
    }

    #[test]
    fn json_is_placed_as_the_yaml_walk_places_it() {
        let text = "{\n  \"kind\": \"Node\",\n  \"metadata\": {\"name\": \"a\",\n    \"labels\": {\"x\": \"y\"}},\n  \"items\": [ {\"a\": 1}, [2, {\"b\": \"ü\", \"c\": 3}] ]\n}";
        let paths = [
            "kind",
            "metadata.name",
            "metadata.labels.x",
            "items[0]",
            "items[1][1].c",
            "missing.deeper",
        ];
        let fast = Locator::for_paths(text, &paths);
        let full = Locator::new(text);
        for p in paths {
            assert_eq!(fast.find(p), full.find(p), "{p}");
        }
        assert_eq!(fast.find("metadata.labels.x"), Some((4, 16)));
    }

    #[test]
    fn broken_text_gives_what_it_can() {
        let l = Locator::new("a: 1\nb: [\n");
        assert_eq!(l.find("a"), Some((1, 1)));
    }
}
