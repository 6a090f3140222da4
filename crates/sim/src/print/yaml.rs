//! YAML as kubectl prints it.
//!
//! `kubectl get -o yaml` marshals the object to JSON, reads that back into go-yaml v2's generic
//! values and encodes them (`sigs.k8s.io/yaml.Marshal` → `JSONToYAML`). So the output follows
//! go-yaml v2's encoder (`goyaml.v2/encode.go`, `sorter.go`) and its libyaml-derived emitter
//! (`emitterc.go`):
//! - mapping keys in go-yaml's natural order (`keyList.Less`: digit runs compare as numbers, a
//!   letter after any other character);
//! - block style, two spaces, sequences in a mapping not indented;
//! - a string that would read back as something else (`"true"`, `"0644"`, a timestamp, `""`) in
//!   double quotes; one the emitter cannot write plain (leading `*`, `: ` inside, …) in single
//!   quotes; one with line breaks as a literal block (`|`, `|-`, `|+`);
//! - plain and quoted scalars folded at a space past column 80 (`best_width`).

use crate::input::resolves_as_string;
use serde_json::Value;
use std::cmp::Ordering;

const BEST_WIDTH: usize = 80;

/// The YAML kubectl prints for `v`, ending with a line break.
pub fn to_string(v: &Value) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
    };
    match v {
        Value::Object(m) if !m.is_empty() => e.mapping(v, 0),
        Value::Array(a) if !a.is_empty() => e.sequence(v, 0),
        _ => {
            e.scalar(v, 0, false);
            e.newline();
        }
    }
    e.out
}

/// go-yaml v2's `keyList.Less` for string keys.
fn key_order(a: &str, b: &str) -> Ordering {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl {
                Ordering::Less
            } else {
                Ordering::Greater
            };
        }
        let (mut an, mut bn) = (0u64, 0u64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an
                .wrapping_mul(10)
                .wrapping_add(u64::from(ar[ai] as u32 - '0' as u32));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(u64::from(br[bi] as u32 - '0' as u32));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

/// libyaml's `IS_PRINTABLE`, for an emitter that writes Unicode (go-yaml sets it).
fn printable(c: char) -> bool {
    matches!(c as u32, 0x0A | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
        && c != '\u{FEFF}'
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// What `yaml_emitter_analyze_scalar` allows for a string.
struct Analysis {
    block_plain: bool,
    single: bool,
    block: bool,
}

fn analyze(s: &str) -> Analysis {
    let chars: Vec<char> = s.chars().collect();
    if chars.is_empty() {
        return Analysis {
            block_plain: false,
            single: true,
            block: false,
        };
    }
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let mut special = false;
    let mut line_breaks = false;
    let (mut space_break, mut break_space) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let blank_or_end = |i: usize| {
        chars
            .get(i)
            .is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
    };
    for (i, &c) in chars.iter().enumerate() {
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' if blank_or_end(1) => block_indicators = true,
                '-' if blank_or_end(1) => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if blank_or_end(i + 1) => block_indicators = true,
                '#' if matches!(chars[i - 1], ' ' | '\t' | '\n' | '\r') => block_indicators = true,
                _ => {}
            }
        }
        if !printable(c) {
            special = true;
        }
        if c == '\n' {
            line_breaks = true;
        }
        let last = i + 1 == chars.len();
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if last {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if c == '\n' {
            if i == 0 {
                leading_break = true;
            }
            if last {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
    }
    let mut a = Analysis {
        block_plain: true,
        single: true,
        block: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain = false;
    }
    if trailing_space {
        a.block = false;
    }
    if break_space {
        a.block_plain = false;
        a.single = false;
    }
    if space_break || special {
        a.block_plain = false;
        a.single = false;
        a.block = false;
    }
    if line_breaks {
        a.block_plain = false;
    }
    if block_indicators {
        a.block_plain = false;
    }
    a
}

/// go-yaml's `isBase60Float`: such strings are quoted for other parsers' sake.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        let group = &s[start..i];
        if group.is_empty() || (group.len() == 2 && group.as_bytes()[0] > b'5') {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// The style go-yaml's encoder asks for (`stringv`) and the emitter settles on
/// (`yaml_emitter_select_scalar_style`).
fn style_of(s: &str, key: bool) -> Style {
    let requested = if s.contains('\n') {
        Style::Literal
    } else if resolves_as_string(s) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    };
    let a = analyze(s);
    let mut style = requested;
    if style == Style::Plain && (!a.block_plain || (s.is_empty() && key)) {
        style = Style::Single;
    }
    if style == Style::Single && !a.single {
        style = Style::Double;
    }
    if style == Style::Literal && (!a.block || key) {
        style = Style::Double;
    }
    style
}

struct Emitter {
    out: String,
    column: usize,
}

impl Emitter {
    fn put(&mut self, s: &str) {
        self.out.push_str(s);
        self.column += s.chars().count();
    }

    fn put_char(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// `yaml_emitter_write_indent`: break the line when past the indent, then pad to it.
    fn indent_to(&mut self, indent: usize) {
        if self.column > indent {
            self.newline();
        }
        while self.column < indent {
            self.put_char(' ');
        }
    }

    /// A block mapping whose keys start at `indent`: at the start of a line, or right after a
    /// sequence's `- `.
    fn mapping(&mut self, v: &Value, indent: usize) {
        let Value::Object(m) = v else { return };
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort_by(|a, b| key_order(a, b));
        for k in keys {
            self.indent_to(indent);
            self.string(k, indent, true);
            self.put_char(':');
            self.value_after_key(&m[k], indent);
        }
    }

    fn value_after_key(&mut self, v: &Value, indent: usize) {
        match v {
            Value::Object(m) if !m.is_empty() => {
                self.newline();
                self.mapping(v, indent + 2);
            }
            Value::Array(a) if !a.is_empty() => {
                self.newline();
                self.sequence(v, indent);
            }
            _ => {
                self.put_char(' ');
                self.scalar(v, indent + 2, false);
                self.newline();
            }
        }
    }

    fn sequence(&mut self, v: &Value, indent: usize) {
        let Value::Array(items) = v else { return };
        for item in items {
            self.indent_to(indent);
            self.put("- ");
            match item {
                Value::Object(m) if !m.is_empty() => self.mapping(item, indent + 2),
                Value::Array(a) if !a.is_empty() => self.sequence(item, indent + 2),
                _ => {
                    self.scalar(item, indent + 2, false);
                    self.newline();
                }
            }
        }
    }

    fn scalar(&mut self, v: &Value, indent: usize, key: bool) {
        match v {
            Value::Null => self.put("null"),
            Value::Bool(b) => self.put(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    self.put(&i.to_string());
                } else if let Some(u) = n.as_u64() {
                    self.put(&u.to_string());
                } else {
                    self.put(&go_format_float_g(n.as_f64().unwrap_or(0.0)));
                }
            }
            Value::String(s) => self.string(s, indent, key),
            Value::Object(_) => self.put("{}"),
            Value::Array(_) => self.put("[]"),
        }
    }

    fn string(&mut self, s: &str, indent: usize, key: bool) {
        match style_of(s, key) {
            Style::Plain => self.folded(s, indent, !key, |e, c| e.put_char(c)),
            Style::Single => {
                self.put_char('\'');
                self.folded(s, indent, !key, |e, c| {
                    if c == '\'' {
                        e.put("''");
                    } else {
                        e.put_char(c);
                    }
                });
                self.put_char('\'');
            }
            Style::Double => {
                self.put_char('"');
                self.folded(s, indent, !key, |e, c| e.put(&double_escape(c)));
                self.put_char('"');
            }
            Style::Literal => self.literal(s, indent),
        }
    }

    /// Write a one-line scalar, breaking at a single space once past the line width, as the
    /// emitter's writers do when breaks are allowed.
    fn folded(
        &mut self,
        s: &str,
        indent: usize,
        breaks: bool,
        mut put: impl FnMut(&mut Self, char),
    ) {
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let inside = i != 0 && i + 1 != chars.len();
                if breaks
                    && !spaces
                    && inside
                    && self.column > BEST_WIDTH
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.newline();
                    self.indent_to(indent);
                } else {
                    put(self, c);
                }
                spaces = true;
            } else {
                put(self, c);
                spaces = false;
            }
        }
    }

    /// A literal block: `|`, with `-` when the text has no final line break and `+` when it has
    /// more than one, and an indentation indicator when the first line starts with a space.
    fn literal(&mut self, s: &str, indent: usize) {
        self.put_char('|');
        if s.starts_with(' ') || s.starts_with('\n') {
            self.put("2");
        }
        if !s.ends_with('\n') {
            self.put_char('-');
        } else if s.ends_with("\n\n") || s == "\n" {
            self.put_char('+');
        }
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            self.newline();
            if !line.is_empty() {
                self.indent_to(indent);
                self.put(line);
            }
        }
    }
}

/// How go-yaml's double-quoted writer spells a character.
fn double_escape(c: char) -> String {
    match c {
        '"' => "\\\"".into(),
        '\\' => "\\\\".into(),
        '\0' => "\\0".into(),
        '\u{7}' => "\\a".into(),
        '\u{8}' => "\\b".into(),
        '\t' => "\\t".into(),
        '\n' => "\\n".into(),
        '\u{B}' => "\\v".into(),
        '\u{C}' => "\\f".into(),
        '\r' => "\\r".into(),
        '\u{1B}' => "\\e".into(),
        '\u{85}' => "\\N".into(),
        '\u{A0}' => "\\_".into(),
        '\u{2028}' => "\\L".into(),
        '\u{2029}' => "\\P".into(),
        c if printable(c) => c.to_string(),
        c if (c as u32) <= 0xFF => format!("\\x{:02X}", c as u32),
        c if (c as u32) <= 0xFFFF => format!("\\u{:04X}", c as u32),
        c => format!("\\U{:08X}", c as u32),
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, with go-yaml's names for infinities.
fn go_format_float_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    let e = format!("{f:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    // Shortest 'g' switches to the exponent form at 1e6 and below 1e-4.
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests;
