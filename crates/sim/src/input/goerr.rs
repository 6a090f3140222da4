//! Parser and decoder errors in the wording of the Go libraries behind kubectl and the API server:
//! `encoding/json` (through
//! `k8s.io/apimachinery/pkg/util/yaml`'s `JSONSyntaxError`) and the API server's typed JSON decoder.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// The 1-based line of the last line with content, for errors at the end of a document.
pub(super) fn last_content_line(text: &str) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(1)
}

/// Go's `quoteChar` from `encoding/json`'s scanner.
fn go_quote_char(c: u8) -> String {
    match c {
        b'\'' => r"'\''".to_string(),
        b'"' => "'\"'".to_string(),
        b'\n' => r"'\n'".to_string(),
        b'\r' => r"'\r'".to_string(),
        b'\t' => r"'\t'".to_string(),
        0x20..=0x7e => format!("'{}'", c as char),
        0x07 => r"'\a'".to_string(),
        0x08 => r"'\b'".to_string(),
        0x0c => r"'\f'".to_string(),
        0x0b => r"'\v'".to_string(),
        _ => format!(r"'\x{c:02x}'"),
    }
}

/// Reword a serde_json syntax error as `encoding/json` words it (kubectl prints
/// `error parsing <file>: json: offset N: invalid character 'x' after object key:value pair`), and
/// return where it points: the message, and the 1-based line and column.
pub(crate) fn json_error(e: &serde_json::Error, text: &str) -> (String, usize, usize) {
    let (line, column) = (e.line().max(1), e.column());
    if e.is_eof() {
        // `json.Decoder` returns io.ErrUnexpectedEOF, not a SyntaxError, so there is no offset.
        let last = last_content_line(text);
        let col = text.lines().nth(last - 1).map_or(1, |l| l.len() + 1);
        return ("unexpected EOF".to_string(), last, col);
    }
    let raw = e.to_string();
    let code = raw.find(" at line ").map_or(raw.as_str(), |i| &raw[..i]);
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let index = (line_start + column.saturating_sub(1)).min(text.len());
    let bytes = text.as_bytes();
    let Some(&c) = bytes.get(index) else {
        return (code.to_string(), line, column.max(1));
    };
    let context = match code {
        "expected `:`" => "after object key".to_string(),
        "expected `,` or `]`" => "after array element".to_string(),
        "expected `,` or `}`" => "after object key:value pair".to_string(),
        "expected value" => "looking for beginning of value".to_string(),
        "key must be a string" => "looking for beginning of object key string".to_string(),
        "trailing comma" if c == b'}' => "looking for beginning of object key string".to_string(),
        "trailing comma" => "looking for beginning of value".to_string(),
        "trailing characters" => "after top-level value".to_string(),
        "invalid number" | "number out of range" => "in numeric literal".to_string(),
        "invalid escape" => "in string escape code".to_string(),
        // Go's limit is 10000 levels, serde_json's 128; the words are Go's.
        "recursion limit exceeded" => "exceeded max depth".to_string(),
        c if c.starts_with("control character") => "in string literal".to_string(),
        "expected ident" => {
            // Inside `true`, `false` or `null`: Go names the literal and the letter it expected.
            let start = (0..index)
                .rev()
                .take_while(|&i| bytes[i].is_ascii_alphabetic())
                .last()
                .unwrap_or(index);
            let literal = match bytes.get(start) {
                Some(b't') => "true",
                Some(b'f') => "false",
                Some(b'n') => "null",
                _ => return (code.to_string(), line, column.max(1)),
            };
            match literal.as_bytes().get(index - start) {
                Some(&want) => format!("in literal {literal} (expecting '{}')", want as char),
                None => return (code.to_string(), line, column.max(1)),
            }
        }
        _ => return (code.to_string(), line, column.max(1)),
    };
    (
        format!(
            "json: offset {}: invalid character {} {context}",
            index + 1,
            go_quote_char(c)
        ),
        line,
        column.max(1),
    )
}

use super::decode::Step;

fn value_at_mut<'a>(v: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    let mut cur = v;
    for s in steps {
        cur = match s {
            Step::Field(k) => cur.as_object_mut()?.get_mut(k)?,
            Step::Index(i) => cur.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(cur)
}

/// What the decoder expects at `steps`: replace the value there with `probe` and read the "expected
/// …" of the error (k8s-openapi's visitors name their Go type there: "expected ContainerPort").
fn expected_at<T: DeserializeOwned>(value: &Value, steps: &[Step], probe: Value) -> Option<String> {
    let mut v = value.clone();
    *value_at_mut(&mut v, steps)? = probe;
    let inner = super::decode_value::<T>(&v).err()?.to_string();
    let i = inner.rfind(", expected ")?;
    Some(inner[i + ", expected ".len()..].to_string())
}

fn is_type_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Go's name for the type serde expected at `steps`.
fn go_type<T: DeserializeOwned>(
    value: &Value,
    steps: &[Step],
    expected: &str,
    depth: usize,
) -> Option<String> {
    Some(match expected {
        "i8" | "i16" | "i32" | "i64" => format!("int{}", &expected[1..]),
        "u8" | "u16" | "u32" | "u64" => format!("uint{}", &expected[1..]),
        "f32" | "f64" => format!("float{}", &expected[1..]),
        "a string" => "string".into(),
        "a boolean" => "bool".into(),
        "Quantity" => "resource.Quantity".into(),
        "IntOrString" => "intstr.IntOrString".into(),
        "a sequence" if depth < 4 => {
            let mut inner = steps.to_vec();
            inner.push(Step::Index(0));
            let probe = Value::Array(vec![Value::Bool(true)]);
            let mut v = value.clone();
            *value_at_mut(&mut v, steps)? = probe.clone();
            let elem = expected_at::<T>(&v, &inner, Value::Bool(true))?;
            format!("[]{}", go_type::<T>(&v, &inner, &elem, depth + 1)?)
        }
        "a map" if depth < 4 => {
            let mut inner = steps.to_vec();
            inner.push(Step::Field("k".into()));
            let mut v = value.clone();
            *value_at_mut(&mut v, steps)? = serde_json::json!({ "k": true });
            let elem = expected_at::<T>(&v, &inner, Value::Bool(true))?;
            format!("map[string]{}", go_type::<T>(&v, &inner, &elem, depth + 1)?)
        }
        name if is_type_name(name) => format!("v1.{name}"),
        _ => return None,
    })
}

/// Reword a typed-decoding error (`invalid type: string "http", expected i32`) as the API server's
/// JSON decoder words it: `json: cannot unmarshal string into Go struct field
/// ContainerPort.spec.template.spec.containers.ports.containerPort of type int32`.
pub(crate) fn go_type_error<T: DeserializeOwned>(
    value: &Value,
    steps: &[Step],
    inner: &str,
    kind: &str,
) -> Option<String> {
    let (what, expected) = if let Some(rest) = inner.strip_prefix("invalid type: ") {
        let i = rest.rfind(", expected ")?;
        (&rest[..i], &rest[i + ", expected ".len()..])
    } else if let Some(rest) = inner.strip_prefix("invalid value: ") {
        let i = rest.rfind(", expected ")?;
        (&rest[..i], &rest[i + ", expected ".len()..])
    } else {
        return None;
    };
    let overflow = inner.starts_with("invalid value: ");
    let number = |w: &str| {
        let n = w.split('`').nth(1).unwrap_or("");
        if overflow && !n.is_empty() {
            format!("number {n}")
        } else {
            "number".to_string()
        }
    };
    let go_value = match what {
        w if w.starts_with("string") => "string".to_string(),
        w if w.starts_with("integer") || w.starts_with("floating point") => number(w),
        w if w.starts_with("boolean") => "bool".to_string(),
        "map" => "object".to_string(),
        "sequence" => "array".to_string(),
        _ => return None,
    };
    let ty = go_type::<T>(value, steps, expected, 0)?;
    // The struct that holds the field: the nearest ancestor whose decoder names a Go type.
    let mut holder = None;
    for k in (0..steps.len()).rev() {
        if !matches!(steps[k], Step::Field(_)) {
            continue;
        }
        let name = if k == 0 {
            Some(kind.to_string())
        } else {
            expected_at::<T>(value, &steps[..k], Value::Bool(true)).filter(|n| is_type_name(n))
        };
        if let Some(name) = name {
            holder = Some((name, k));
            break;
        }
    }
    Some(match holder {
        Some((name, k)) => {
            let fields: Vec<&str> = steps[..=k]
                .iter()
                .filter_map(|s| match s {
                    Step::Field(f) => Some(f.as_str()),
                    Step::Index(_) => None,
                })
                .collect();
            format!(
                "json: cannot unmarshal {go_value} into Go struct field {name}.{} of type {ty}",
                fields.join(".")
            )
        }
        None => format!("json: cannot unmarshal {go_value} into Go value of type {ty}"),
    })
}
