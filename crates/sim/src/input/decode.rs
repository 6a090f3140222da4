//! The one decoder of API objects from JSON values.
//!
//! Every k8s-openapi type is decoded through [`decode`] (a `serde_ignored` deserializer over a
//! `&serde_json::Value`), so the wasm build carries one copy of each type's decoding code, and one
//! pass both decodes and notes the keys the type ignores, for unknown-field warnings. Paths are
//! never tracked while decoding: only when it fails does [`decode_located`] find where, by
//! decoding again with parts of the value taken away until the failure moves.

use serde::de::DeserializeOwned;
use serde_json::Value;
use std::fmt;

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Field(String),
    Index(usize),
}

/// A field path as Kubernetes prints it: `spec.template.spec.containers[0].ports[0].containerPort`.
pub(crate) struct Path<'a>(pub &'a [Step]);

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Step::Field(k) if i == 0 => f.write_str(k)?,
                Step::Field(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// `T` from any deserializer, calling `ignored` with the path of every key `T` does not have.
fn with_ignored<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    de: D,
    ignored: &mut dyn FnMut(&[Step]),
) -> Result<T, D::Error> {
    let mut note = |p: serde_ignored::Path| ignored(&steps(&p));
    let mut callback: &mut dyn FnMut(serde_ignored::Path) = &mut note;
    T::deserialize(serde_ignored::Deserializer::new(de, &mut callback))
}

/// Decode `value` as a `T`, calling `ignored` with the path of every key `T` does not have.
pub(crate) fn decode<T: DeserializeOwned>(
    value: &Value,
    ignored: &mut dyn FnMut(&[Step]),
) -> Result<T, serde_json::Error> {
    with_ignored(value, ignored)
}

/// [`decode`] straight from JSON text, for the one kind that comes by the thousand (nodes in a
/// dump): no `Value` tree is built. Its failures are found again through [`decode_located`].
pub(crate) fn decode_json<T: DeserializeOwned>(
    text: &str,
    ignored: &mut dyn FnMut(&[Step]),
) -> Result<T, serde_json::Error> {
    with_ignored(&mut serde_json::Deserializer::from_str(text), ignored)
}

/// [`decode`], when the ignored keys do not matter.
pub(crate) fn decode_value<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    decode(value, &mut |_| {})
}

/// A decoding failure: serde's message and where it happened.
#[derive(Debug)]
pub(crate) struct DecodeError {
    pub path: Vec<Step>,
    pub message: String,
}

/// [`decode_value`], with the path of a failure.
pub(crate) fn decode_located<T: DeserializeOwned>(value: &Value) -> Result<T, DecodeError> {
    decode_value::<T>(value).map_err(|e| {
        let message = e.to_string();
        DecodeError {
            path: locate::<T>(value, &message),
            message,
        }
    })
}

fn steps(p: &serde_ignored::Path) -> Vec<Step> {
    use serde_ignored::Path as P;
    let mut out = Vec::new();
    let mut at = p;
    loop {
        at = match at {
            P::Root => break,
            P::Map { parent, key } => {
                out.push(Step::Field(key.clone()));
                parent
            }
            P::Seq { parent, index } => {
                out.push(Step::Index(*index));
                parent
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                parent
            }
        };
    }
    out.reverse();
    out
}

pub(crate) fn lookup<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, s| match s {
        Step::Field(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

pub(crate) fn lookup_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, s| match s {
        Step::Field(k) => v.get_mut(k),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// Where decoding `value` fails with `message`. serde stops at the first failure and checks
/// required fields only after a struct's last key, so taking away the key (or keeping only the
/// item) that holds the failure is what changes the outcome; the walk follows that key down.
fn locate<T: DeserializeOwned>(value: &Value, message: &str) -> Vec<Step> {
    let still_fails = |v: &Value| {
        decode_value::<T>(v)
            .err()
            .is_some_and(|e| e.to_string() == message)
    };
    let mut path: Vec<Step> = Vec::new();
    // Bounded: a path is no deeper than the value.
    for _ in 0..256 {
        let Some(here) = lookup(value, &path) else {
            break;
        };
        let next = match here {
            Value::Object(m) => m.keys().find_map(|k| {
                let mut probe = value.clone();
                if let Some(Value::Object(m)) = lookup_mut(&mut probe, &path) {
                    m.remove(k);
                }
                (!still_fails(&probe)).then(|| Step::Field(k.clone()))
            }),
            Value::Array(items) if items.len() > 1 => (0..items.len()).find_map(|i| {
                let mut probe = value.clone();
                if let Some(Value::Array(a)) = lookup_mut(&mut probe, &path) {
                    let keep = a.swap_remove(i);
                    *a = vec![keep];
                }
                still_fails(&probe).then_some(Step::Index(i))
            }),
            Value::Array(items) if items.len() == 1 => Some(Step::Index(0)),
            _ => None,
        };
        match next {
            Some(step) => path.push(step),
            None => break,
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::DaemonSet;
    use serde_json::json;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn ds(containers: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "a"},
            "spec": {"selector": {}, "template": {"spec": {"containers": containers}}}})
    }

    #[test]
    fn a_failure_is_found_where_it_is() {
        let v = ds(json!([
            {"name": "a", "image": "x"},
            {"name": "b", "ports": [{"containerPort": 80}, {"containerPort": "http"}]}
        ]));
        let e = decode_located::<DaemonSet>(&v).unwrap_err();
        assert_eq!(
            Path(&e.path).to_string(),
            "spec.template.spec.containers[1].ports[1].containerPort"
        );
        assert!(
            e.message.starts_with("invalid type: string \"http\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_failure_inside_a_map_names_its_key() {
        let mut v = ds(json!([{"name": "a"}]));
        v["spec"]["template"]["spec"]["nodeSelector"] = json!({"disk": "ssd", "gpu": 1});
        let e = decode_located::<DaemonSet>(&v).unwrap_err();
        assert_eq!(
            Path(&e.path).to_string(),
            "spec.template.spec.nodeSelector.gpu"
        );
    }

    #[test]
    fn ignored_keys_are_noted_with_their_paths() {
        let v = ds(json!([{"name": "a", "imagePullPolcy": "Always"}]));
        let mut seen = Vec::new();
        decode::<DaemonSet>(&v, &mut |p| seen.push(Path(p).to_string())).unwrap();
        assert_eq!(seen, ["spec.template.spec.containers[0].imagePullPolcy"]);
    }
}
