//! Positions of field paths in JSON text, without a tree: one pass over the bytes that keeps only
//! the positions asked for. Same rules as the YAML walk: a map entry is placed at its key, a list
//! item and the root at their value; only the first value of a stream is walked.

use std::collections::{HashMap, HashSet};

/// Deeper than this, values are skipped, not walked (the stack stays small on hostile input).
const MAX_DEPTH: usize = 256;

struct Walk<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
    col: usize,
    wanted: &'a HashSet<String>,
    found: HashMap<String, (usize, usize)>,
}

impl Walk<'_> {
    fn bump(&mut self) {
        if let Some(&c) = self.b.get(self.i) {
            if c == b'\n' {
                self.line += 1;
                self.col = 1;
            } else if c & 0xC0 != 0x80 {
                self.col += 1;
            }
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.bump();
        }
    }

    fn record(&mut self, path: &str, at: (usize, usize)) {
        if self.wanted.contains(path) {
            self.found.entry(path.to_string()).or_insert(at);
        }
    }

    /// A string's text (escapes kept as written: keys are compared as written).
    fn string(&mut self) -> String {
        let start = self.i + 1;
        self.bump();
        while let Some(c) = self.peek() {
            match c {
                b'\\' => {
                    self.bump();
                    self.bump();
                }
                b'"' => break,
                _ => self.bump(),
            }
        }
        let end = self.i.min(self.b.len());
        self.bump();
        String::from_utf8_lossy(&self.b[start.min(end)..end]).into_owned()
    }

    fn value(&mut self, path: &mut String, depth: usize) {
        self.ws();
        match self.peek() {
            Some(b'{') if depth < MAX_DEPTH => self.object(path, depth),
            Some(b'[') if depth < MAX_DEPTH => self.array(path, depth),
            Some(b'{' | b'[') => self.skip_nested(),
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.bump();
                }
            }
            None => {}
        }
    }

    fn object(&mut self, path: &mut String, depth: usize) {
        self.bump();
        loop {
            self.ws();
            match self.peek() {
                Some(b'"') => {
                    let at = (self.line, self.col);
                    let key = self.string();
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&key);
                    self.record(path, at);
                    self.ws();
                    if self.peek() == Some(b':') {
                        self.bump();
                    }
                    self.value(path, depth + 1);
                    path.truncate(len);
                    self.ws();
                    if self.peek() == Some(b',') {
                        self.bump();
                    }
                }
                Some(b'}') => {
                    self.bump();
                    return;
                }
                _ => return,
            }
        }
    }

    fn array(&mut self, path: &mut String, depth: usize) {
        self.bump();
        let mut n = 0;
        loop {
            self.ws();
            match self.peek() {
                Some(b']') => {
                    self.bump();
                    return;
                }
                None => return,
                Some(_) => {
                    let len = path.len();
                    path.push_str(&format!("[{n}]"));
                    self.record(path, (self.line, self.col));
                    self.value(path, depth + 1);
                    path.truncate(len);
                    n += 1;
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.bump(),
                        Some(b']') => {}
                        _ => return,
                    }
                }
            }
        }
    }

    /// Past a too-deep value without recursion.
    fn skip_nested(&mut self) {
        let mut level = 0usize;
        while let Some(c) = self.peek() {
            match c {
                b'"' => {
                    self.string();
                    continue;
                }
                b'{' | b'[' => level += 1,
                b'}' | b']' => {
                    level = level.saturating_sub(1);
                    if level == 0 {
                        self.bump();
                        return;
                    }
                }
                _ => {}
            }
            self.bump();
        }
    }
}

/// The positions (1-based line and column) of the `wanted` paths found in the first JSON value of
/// `text`.
pub(super) fn positions(text: &str, wanted: &HashSet<String>) -> HashMap<String, (usize, usize)> {
    let mut w = Walk {
        b: text.as_bytes(),
        i: 0,
        line: 1,
        col: 1,
        wanted,
        found: HashMap::new(),
    };
    w.ws();
    let root = (w.line, w.col);
    w.record("", root);
    w.value(&mut String::new(), 0);
    w.found
}
