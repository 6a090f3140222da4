//! YAML read as kubectl reads it.
//!
//! kubectl turns each YAML document into JSON with `sigs.k8s.io/yaml`'s `YAMLToJSON` before anything
//! else sees it. That library parses with go-yaml v2, which resolves plain scalars by YAML 1.1's
//! rules (`goyaml.v2/resolve.go`): `yes`/`no`/`on`/`off` are booleans, `0644` is octal, `1_000` is
//! an integer; the same text quoted stays a string. Then `convertToJSONableObject` (`yaml.go`) turns
//! non-string map keys into strings and `encoding/json` writes the numbers.
//!
//! serde's YAML data model drops the scalar's style (plain or quoted), so the document is read here
//! as parser events (yaml-rust2, the same parser the [`Locator`](super::Locator) uses) and every
//! scalar is resolved by go-yaml's rules into a [`serde_json::Value`]. Syntax errors are worded
//! as go-yaml words them.

use super::goerr::last_content_line;
use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Nesting deeper than this is refused (the stack must not overflow on hostile input).
const MAX_DEPTH: usize = 128;

/// A document that cannot be turned into JSON: the problem in go-yaml's words, and where.
#[derive(Debug)]
pub(crate) struct YamlError {
    /// go-yaml's problem text (`mapping values are not allowed in this context`).
    pub problem: String,
    /// go-yaml's context for parser errors (`while parsing a flow mapping`), if any.
    pub context: Option<String>,
    /// 1-based line and column within the document text where the problem is.
    pub line: usize,
    pub column: usize,
    /// How go-yaml numbers the line in its message; `None` when its message has no line.
    pub go_line: Option<usize>,
    /// The message comes from the JSON conversion, not from go-yaml.
    pub from_json: bool,
}

impl YamlError {
    fn at(problem: impl Into<String>, mark: Marker, go_line: Option<usize>) -> Self {
        YamlError {
            problem: problem.into(),
            context: None,
            line: mark.line().max(1),
            column: mark.col() + 1,
            go_line,
            from_json: false,
        }
    }

    /// The message as kubectl prints it (`error converting YAML to JSON: yaml: line 5: …`).
    pub fn message(&self, first_line: usize) -> String {
        let what = if self.from_json { "" } else { "yaml: " };
        match self.go_line {
            Some(l) => format!(
                "error converting YAML to JSON: {what}line {}: {}",
                first_line + l - 1,
                self.problem
            ),
            None => format!("error converting YAML to JSON: {what}{}", self.problem),
        }
    }

    pub fn too_deep(&self) -> bool {
        self.problem.starts_with("exceeded max depth")
    }
}

/// A scalar resolved by go-yaml's rules.
#[derive(Clone, Debug, PartialEq)]
enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(String),
}

/// go-yaml v2's `resolve` for a plain (untagged, unquoted) scalar.
fn resolve_plain(s: &str) -> Scalar {
    let hint = match s.as_bytes().first() {
        None => b'N',
        Some(b'+' | b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => return Scalar::Str(s.to_string()),
    };
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Scalar::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Scalar::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match hint {
        b'.' => {
            if let Some(f) = go_parse_float(s) {
                return Scalar::Float(f);
            }
        }
        b'D' | b'S' => {
            // A timestamp stays a string when decoded into interface{} (go-yaml v2's decode.go
            // keeps the text "for backward compatibility"), and is never a number.
            if looks_like_timestamp(s) {
                return Scalar::Str(s.to_string());
            }
            let plain = s.replace('_', "");
            if let Some(n) = go_parse_int(&plain) {
                return n;
            }
            if is_yaml_style_float(&plain) {
                if let Some(f) = go_parse_float(&plain) {
                    return Scalar::Float(f);
                }
            }
            if let Some(digits) = plain.strip_prefix("-0b") {
                if let Ok(v) = i64::from_str_radix(&format!("-{digits}"), 2) {
                    return Scalar::Int(v);
                }
            }
            // go-yaml keeps integers beyond 64 bits as big.Int; JSON then has their digits. The
            // closest a JSON value here can hold is a float.
            if plain.len() > 1
                && plain
                    .trim_start_matches(['+', '-'])
                    .bytes()
                    .all(|b| b.is_ascii_digit())
            {
                if let Ok(f) = plain.parse::<f64>() {
                    return Scalar::Float(f);
                }
            }
        }
        _ => {}
    }
    Scalar::Str(s.to_string())
}

/// True when go-yaml reads `s`, written plain, back as the same string (its encoder writes every
/// other string quoted).
pub(crate) fn resolves_as_string(s: &str) -> bool {
    !looks_like_timestamp(s) && matches!(resolve_plain(s), Scalar::Str(_))
}

/// Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)`: sign, then `0x`, `0o`, `0b` or
/// a leading `0` (octal) prefix.
fn go_parse_int(s: &str) -> Option<Scalar> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) =
        if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, d)
        } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, d)
        } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, d)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if magnitude <= i64::MAX as u64 {
            Some(Scalar::Int(-(magnitude as i64)))
        } else if magnitude == i64::MAX as u64 + 1 {
            Some(Scalar::Int(i64::MIN))
        } else {
            None
        }
    } else if magnitude <= i64::MAX as u64 {
        Some(Scalar::Int(magnitude as i64))
    } else if s.starts_with('+') {
        // ParseUint takes no sign.
        None
    } else {
        Some(Scalar::Uint(magnitude))
    }
}

/// go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal text; a value out of range is an error there.
fn go_parse_float(s: &str) -> Option<f64> {
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// go-yaml's `parseTimestamp` quick check and formats: `YYYY-M-D`, optionally followed by a time
/// (`T`, `t` or a space, then `h:m:s` with an optional fraction and, after `T`/`t`, a zone).
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let num = |i: &mut usize, max: usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        (*i > start).then(|| s[start..*i].parse::<u32>().unwrap_or(0))
    };
    let mut i = 5;
    let (Some(month), true) = (num(&mut i, 2), b.get(i) == Some(&b'-')) else {
        return false;
    };
    i += 1;
    let Some(day) = num(&mut i, 2) else {
        return false;
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let zone_allowed = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    let Some(h) = num(&mut i, 2) else {
        return false;
    };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(m) = num(&mut i, 2) else {
        return false;
    };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(sec) = num(&mut i, 2) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 59 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if num(&mut i, 9).is_none() {
            return false;
        }
    }
    if i == b.len() {
        // Go's layout with a zone requires one; the space form has none.
        return !zone_allowed;
    }
    if !zone_allowed {
        return false;
    }
    match &s[i..] {
        "Z" => true,
        z => {
            let zb = z.as_bytes();
            zb.len() == 6
                && matches!(zb[0], b'+' | b'-')
                && zb[1..3].iter().all(u8::is_ascii_digit)
                && zb[3] == b':'
                && zb[4..6].iter().all(u8::is_ascii_digit)
        }
    }
}

/// What an explicitly tagged scalar means (`!!str 0644`, `!!int "3"`).
fn resolve_tagged(tag: &Tag, text: &str, plain: bool) -> Result<Scalar, String> {
    // yaml-rust2 gives `!!int` as the handle `tag:yaml.org,2002:` (or `!!`) and the suffix `int`.
    if tag.handle != "!!" && tag.handle != "tag:yaml.org,2002:" {
        // A local tag (`!foo`) leaves the text as it is.
        return Ok(Scalar::Str(text.to_string()));
    }
    let want = tag.suffix.as_str();
    if matches!(want, "str" | "binary") {
        return Ok(Scalar::Str(text.to_string()));
    }
    let resolved = resolve_plain(text);
    let got = match &resolved {
        Scalar::Null => "null",
        Scalar::Bool(_) => "bool",
        Scalar::Int(_) | Scalar::Uint(_) => "int",
        Scalar::Float(_) => "float",
        Scalar::Str(_) if plain && looks_like_timestamp(text) => "timestamp",
        Scalar::Str(_) => "str",
    };
    match (want, got) {
        (w, g) if w == g => Ok(resolved),
        ("float", "int") => Ok(Scalar::Float(match resolved {
            Scalar::Int(i) => i as f64,
            Scalar::Uint(u) => u as f64,
            _ => 0.0,
        })),
        ("timestamp", "str") if looks_like_timestamp(text) => Ok(resolved),
        _ => Err(format!("cannot decode !!{got} `{text}` as a !!{want}")),
    }
}

/// A resolved scalar as a JSON value, as `encoding/json` would write it and read it back.
fn scalar_to_json(s: Scalar) -> Result<Value, String> {
    Ok(match s {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Int(i) => Value::from(i),
        Scalar::Uint(u) => Value::from(u),
        Scalar::Str(s) => Value::String(s),
        Scalar::Float(f) if !f.is_finite() => {
            let v = if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "+Inf"
            } else {
                "-Inf"
            };
            return Err(format!("json: unsupported value: {v}"));
        }
        // encoding/json writes a whole float below 1e21 without a fraction or exponent, so an
        // integer field reads `replicas: 3.0` as 3.
        Scalar::Float(f) if f.fract() == 0.0 && f.abs() < 1e21 => {
            if f >= i64::MIN as f64 && f < i64::MAX as f64 {
                Value::from(f as i64)
            } else if f >= 0.0 && f < u64::MAX as f64 {
                Value::from(f as u64)
            } else {
                Number::from_f64(f).map_or(Value::Null, Value::Number)
            }
        }
        Scalar::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
    })
}

/// A map key as `convertToJSONableObject` turns it into a string.
fn key_string(s: Scalar) -> Result<String, String> {
    Ok(match s {
        Scalar::Str(s) => s,
        Scalar::Int(i) => i.to_string(),
        Scalar::Bool(b) => b.to_string(),
        // strconv.FormatFloat(f, 'g', -1, 32)
        Scalar::Float(f) if f.is_nan() => ".nan".into(),
        Scalar::Float(f) if f.is_infinite() => if f > 0.0 { ".inf" } else { "-.inf" }.into(),
        Scalar::Float(f) => go_format_float32_g(f),
        Scalar::Uint(u) => {
            return Err(format!(
                "unsupported map key of type: uint64, key: 0x{u:x}, value: "
            ))
        }
        Scalar::Null => {
            return Err("unsupported map key of type: <nil>, key: <nil>, value: ".into())
        }
    })
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`: shortest float32 digits, exponent form when the
/// exponent is below -4 or at least the number of digits.
fn go_format_float32_g(f: f64) -> String {
    let v = f as f32;
    let e = format!("{v:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits = mantissa.trim_start_matches('-').replace('.', "").len() as i32;
    if exp < -4 || exp >= digits.max(1) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{v}")
    }
}

enum Frame {
    Map {
        map: Map<String, Value>,
        /// The key read, waiting for its value; `None` while a key is expected.
        key: Option<Key>,
        anchor: usize,
    },
    Seq {
        items: Vec<Value>,
        anchor: usize,
    },
}

enum Key {
    Name(String),
    Merge,
    /// A mapping or sequence used as a key, still being read.
    Complex,
    /// A mapping or sequence used as a key, read: go-yaml refuses it once its value is read.
    Invalid,
}

/// go-yaml v2's alias check (`decode.go`): past 400,000 decoded nodes the share allowed to come
/// from aliases falls from 99% to 10% at 4,000,000.
fn allowed_alias_ratio(decoded: usize) -> f64 {
    const LOW: usize = 400_000;
    const HIGH: usize = 4_000_000;
    if decoded <= LOW {
        0.99
    } else if decoded >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decoded - LOW) as f64 / (HIGH - LOW) as f64)
    }
}

/// Nodes in a value, for the alias check.
fn node_count(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(node_count).sum::<usize>(),
        Value::Object(m) => 1 + m.values().map(|v| 1 + node_count(v)).sum::<usize>(),
        _ => 1,
    }
}

/// Called with each finished item of a top-level mapping's `items` sequence, with its index;
/// returns whether it took the item (the sequence then keeps `null` in its place). A big list is
/// decoded item by item this way and never held whole as a tree.
pub(crate) type ItemHook<'a> = &'a mut dyn FnMut(usize, &Value) -> bool;

struct Builder<'h> {
    stack: Vec<Frame>,
    on_item: Option<ItemHook<'h>>,
    /// Anchored values by the parser's anchor id, with their node counts.
    anchors: Vec<Option<(Value, usize)>>,
    root: Option<Value>,
    decoded: usize,
    aliased: usize,
    first_alias: Option<Marker>,
}

impl Builder<'_> {
    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    fn remember(&mut self, anchor: usize, v: &Value, nodes: usize) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, None);
        }
        self.anchors[anchor] = Some((v.clone(), nodes));
    }

    /// A finished node: a key, a value for the pending key, an item, or the document.
    fn deliver(&mut self, v: Value, mark: Marker) -> Result<(), YamlError> {
        let v = self.offer_item(v);
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(v);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(v),
            Some(Frame::Map { map, key, .. }) => match key.take() {
                // Keys are taken by on_scalar, on_alias and open; nothing else lands here.
                None => {}
                Some(Key::Name(k)) => {
                    // Duplicate keys: the last one wins, as in YAMLToJSON.
                    map.insert(k, v);
                }
                Some(Key::Merge) => merge_into(map, v).map_err(|p| YamlError::at(p, mark, None))?,
                Some(Key::Invalid | Key::Complex) => {
                    return Err(YamlError::at(
                        "invalid map key",
                        mark,
                        Some(mark.line().max(1)),
                    ))
                }
            },
        }
        Ok(())
    }

    /// A finished item of the top-level `items` sequence goes to the hook, which may take it.
    fn offer_item(&mut self, v: Value) -> Value {
        let index = match self.stack.as_slice() {
            [Frame::Map {
                key: Some(Key::Name(k)),
                ..
            }, Frame::Seq { items, .. }]
                if k == "items" && v.is_object() =>
            {
                items.len()
            }
            _ => return v,
        };
        let taken = self.on_item.as_mut().is_some_and(|hook| hook(index, &v));
        if taken {
            Value::Null
        } else {
            v
        }
    }

    fn on_scalar(
        &mut self,
        text: String,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<Tag>,
        mark: Marker,
    ) -> Result<(), YamlError> {
        self.decoded += 1;
        let plain = style == TScalarStyle::Plain;
        if self.expecting_key() {
            if plain && tag.is_none() && text == "<<" {
                self.set_key(Key::Merge);
                return Ok(());
            }
            let s = self.scalar(&text, plain, tag.as_ref(), mark)?;
            let k = key_string(s).map_err(|p| json_error(p, mark))?;
            if anchor != 0 {
                self.remember(anchor, &Value::String(k.clone()), 1);
            }
            self.set_key(Key::Name(k));
            return Ok(());
        }
        let s = self.scalar(&text, plain, tag.as_ref(), mark)?;
        let v = scalar_to_json(s).map_err(|p| json_error(p, mark))?;
        self.remember(anchor, &v, 1);
        self.deliver(v, mark)
    }

    fn scalar(
        &self,
        text: &str,
        plain: bool,
        tag: Option<&Tag>,
        mark: Marker,
    ) -> Result<Scalar, YamlError> {
        match tag {
            Some(t) => resolve_tagged(t, text, plain)
                .map_err(|p| YamlError::at(p, mark, Some(mark.line().max(1)))),
            None if plain => Ok(resolve_plain(text)),
            None => Ok(Scalar::Str(text.to_string())),
        }
    }

    fn set_key(&mut self, k: Key) {
        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
            *key = Some(k);
        }
    }

    fn on_alias(&mut self, id: usize, mark: Marker) -> Result<(), YamlError> {
        self.first_alias.get_or_insert(mark);
        let Some(Some((v, nodes))) = self.anchors.get(id) else {
            return Err(YamlError::at(
                "unknown anchor referenced",
                mark,
                Some(mark.line().max(1)),
            ));
        };
        let (v, nodes) = (v.clone(), *nodes);
        self.decoded += nodes;
        self.aliased += nodes;
        if self.aliased > 100
            && self.decoded > 1000
            && self.aliased as f64 / self.decoded as f64 > allowed_alias_ratio(self.decoded)
        {
            // go-yaml's check has no position: point at the first alias, where the growth starts.
            let first = self.first_alias.unwrap_or(mark);
            return Err(YamlError::at(
                "document contains excessive aliasing",
                first,
                None,
            ));
        }
        if self.expecting_key() {
            let k = match v {
                Value::String(s) => Key::Name(s),
                Value::Bool(b) => Key::Name(b.to_string()),
                Value::Number(n) => Key::Name(n.to_string()),
                _ => Key::Invalid,
            };
            self.set_key(k);
            return Ok(());
        }
        self.deliver(v, mark)
    }

    fn open(&mut self, frame: Frame, mark: Marker) -> Result<(), YamlError> {
        self.decoded += 1;
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError::at(
                format!("exceeded max depth of {MAX_DEPTH}"),
                mark,
                Some(mark.line().max(1)),
            ));
        }
        if self.expecting_key() {
            self.set_key(Key::Complex);
        }
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, mark: Marker) -> Result<(), YamlError> {
        let (v, anchor) = match self.stack.pop() {
            Some(Frame::Map { map, anchor, .. }) => (Value::Object(map), anchor),
            Some(Frame::Seq { items, anchor }) => (Value::Array(items), anchor),
            None => return Ok(()),
        };
        if anchor != 0 {
            let nodes = node_count(&v);
            self.remember(anchor, &v, nodes);
        }
        if let Some(Frame::Map {
            key: Some(k @ Key::Complex),
            ..
        }) = self.stack.last_mut()
        {
            // The end of a mapping or sequence used as a key: its value comes next.
            *k = Key::Invalid;
            return Ok(());
        }
        self.deliver(v, mark)
    }
}

/// A `<<` merge key (go-yaml v2's `merge`): a mapping's entries, or those of a sequence of
/// mappings with the earlier ones taking precedence, are set in the mapping being read.
fn merge_into(map: &mut Map<String, Value>, v: Value) -> Result<(), String> {
    const WRONG: &str = "map merge requires map or sequence of maps as the value";
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                map.insert(k, v);
            }
            Ok(())
        }
        Value::Array(items) => {
            if !items.iter().all(Value::is_object) {
                return Err(WRONG.into());
            }
            for item in items.into_iter().rev() {
                if let Value::Object(m) = item {
                    for (k, v) in m {
                        map.insert(k, v);
                    }
                }
            }
            Ok(())
        }
        _ => Err(WRONG.into()),
    }
}

fn json_error(problem: String, mark: Marker) -> YamlError {
    YamlError {
        from_json: true,
        ..YamlError::at(problem, mark, None)
    }
}

/// Read the first YAML document of `text` into JSON as `YAMLToJSON` does. An empty document is
/// `null`.
pub(crate) fn to_json(text: &str) -> Result<Value, YamlError> {
    to_json_with(text, None)
}

/// [`to_json`], handing the items of a top-level `items` sequence to `on_item` as they finish.
pub(crate) fn to_json_with(text: &str, on_item: Option<ItemHook<'_>>) -> Result<Value, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut b = Builder {
        stack: Vec::new(),
        on_item,
        anchors: Vec::new(),
        root: None,
        decoded: 0,
        aliased: 0,
        first_alias: None,
    };
    let mut documents = 0;
    loop {
        let (ev, mark) = match parser.next_token() {
            Ok(t) => t,
            Err(e) => return Err(scan_error(&e.to_string(), *e.marker(), text)),
        };
        match ev {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    break;
                }
            }
            Event::Scalar(v, style, anchor, tag) => b.on_scalar(v, style, anchor, tag, mark)?,
            Event::Alias(id) => b.on_alias(id, mark)?,
            Event::MappingStart(anchor, _) => b.open(
                Frame::Map {
                    map: Map::new(),
                    key: None,
                    anchor,
                },
                mark,
            )?,
            Event::SequenceStart(anchor, _) => b.open(
                Frame::Seq {
                    items: Vec::new(),
                    anchor,
                },
                mark,
            )?,
            Event::MappingEnd | Event::SequenceEnd => b.close(mark)?,
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
    Ok(b.root.unwrap_or(Value::Null))
}

/// Reword a yaml-rust2 error as go-yaml (a port of libyaml) words the same problem, and number its
/// line as go-yaml does: scanner errors by the 1-based line of the problem, parser errors
/// (`while parsing …`) by the 0-based one, which reads one line early.
fn scan_error(raw: &str, mark: Marker, text: &str) -> YamlError {
    let info = raw.find(" at byte ").map_or(raw, |i| &raw[..i]);
    let (context, problem) = match info.strip_prefix("while ") {
        Some(rest) => match rest.split_once(", ") {
            Some((c, p)) => (Some(format!("while {c}")), p.to_string()),
            None => (None, info.to_string()),
        },
        None => (None, info.to_string()),
    };
    let parser_error = context
        .as_deref()
        .is_some_and(|c| c.starts_with("while parsing"));
    let mut context = context;
    let mut at_end = false;
    let mut column_override = None;
    let problem = match problem.as_str() {
        "tab cannot be used as indentation"
        | "tabs disallowed within this context (block indentation)"
        | "tabs disallowed in this context" => {
            // libyaml stops at the tab itself.
            let line = text
                .lines()
                .nth(mark.line().saturating_sub(1))
                .unwrap_or("");
            column_override = line.find('\t').map(|i| i + 1);
            context = Some("while scanning for the next token".into());
            "found character that cannot start any token".into()
        }
        p if p.starts_with("unexpected character") => {
            context = Some("while scanning for the next token".into());
            "found character that cannot start any token".into()
        }
        "simple key expect ':'" | "simple key expected" => "could not find expected ':'".into(),
        "did not find expected <document-start>" => "did not find expected <document start>".into(),
        "expected ',' or ']'" => "did not find expected ',' or ']'".into(),
        "duplicate version directive" => "found duplicate %YAML directive".into(),
        // yaml-rust2 counts flow levels in a byte; the limit the playground states is its own.
        "recursion limit exceeded" => format!("exceeded max depth of {MAX_DEPTH}"),
        "did not find expected key" | "did not find expected '-' indicator" => {
            // libyaml points at the token that is not a key or an entry: where its line starts.
            let line = text
                .lines()
                .nth(mark.line().saturating_sub(1))
                .unwrap_or("");
            column_override = Some(line.len() - line.trim_start().len() + 1);
            problem
        }
        "invalid indentation in quoted scalar" | "found unexpected end of stream" => {
            // An unclosed quote: libyaml reads to the end of the stream.
            at_end = true;
            context = Some("while scanning a quoted scalar".into());
            "found unexpected end of stream".into()
        }
        "found unknown anchor" => {
            // go-yaml's parser (`alias` in parser.go) names the anchor and gives no line.
            let name: String = text
                .get(mark.index()..)
                .unwrap_or("")
                .trim_start_matches('*')
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                .collect();
            return YamlError {
                problem: format!("unknown anchor '{name}' referenced"),
                context: None,
                line: mark.line().max(1),
                column: mark.col() + 1,
                go_line: None,
                from_json: false,
            };
        }
        _ => problem,
    };
    if at_end {
        // A scanner error at the end of the stream: its 0-based line is the number of line
        // breaks, plus one.
        let breaks = text.matches('\n').count();
        return YamlError {
            problem,
            context,
            line: last_content_line(text),
            column: 1,
            go_line: (breaks > 0).then_some(breaks + 1),
            from_json: false,
        };
    }
    let doc_lines = text.lines().count().max(1);
    let line = mark.line();
    let (line, column) = if line == 0 {
        (1, 1)
    } else if line > doc_lines {
        // At the end of the document: point at its last line, where something is left open.
        (last_content_line(text), 1)
    } else {
        (line, column_override.unwrap_or(mark.col() + 1))
    };
    // go-yaml's `fail`: the problem mark's 0-based line, plus one for scanner errors; nothing
    // when that mark is on the first line (the context mark, which go-yaml falls back to, is not
    // reported by yaml-rust2).
    let zero_based = mark.line().saturating_sub(1);
    let go_line = match zero_based {
        0 => None,
        l if parser_error => Some(l),
        l => Some(l + 1),
    };
    YamlError {
        problem,
        context,
        line,
        column,
        go_line,
        from_json: false,
    }
}

#[cfg(test)]
mod tests;
