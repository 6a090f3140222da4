//! Splitting a command line into words (shell-style quotes) and kubectl's flags from its
//! positional arguments.

/// Split like a POSIX shell would for simple cases: whitespace separates words; single quotes
/// keep everything; double quotes keep everything but `\"` and `\\`; a backslash escapes outside
/// quotes. Err on an unclosed quote.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated single quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err("unterminated double quote".into()),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err("unterminated double quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    cur.push(ch);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Parsed flags and positional arguments of one kubectl command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub positional: Vec<String>,
    /// Flags in the order given: name without dashes, value (`""` for booleans).
    pub flags: Vec<(String, String)>,
    /// Each flag as it was typed (`-owide`, `--selector=app=x`), for error messages.
    pub spelled: Vec<String>,
}

/// Flags that take a value when written as `--flag value` (with the inherited ones,
/// [`super::flags::GLOBAL_VALUED`]).
const VALUE_FLAGS: &[&str] = &[
    "o",
    "output",
    "l",
    "selector",
    "f",
    "filename",
    "to-revision",
    "revision",
    "field-selector",
    "sort-by",
    "grace-period",
    "timeout",
    "container",
    "c",
    "replicas",
    "L",
    "label-columns",
    "pod-selector",
    "field-manager",
    "chunk-size",
    "current-replicas",
    "resource-version",
    "template",
    "subresource",
    "prune-allowlist",
];

fn takes_value(flag: &str) -> bool {
    VALUE_FLAGS.contains(&flag) || super::flags::GLOBAL_VALUED.contains(&flag)
}

impl Args {
    pub fn parse(words: &[String]) -> Result<Args, String> {
        let mut a = Args::default();
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            if w == "--" {
                a.positional.extend(words[i + 1..].iter().cloned());
                break;
            }
            if let Some(flag) = w.strip_prefix("--").or_else(|| {
                w.strip_prefix('-')
                    .filter(|f| !f.is_empty() && !f.starts_with(char::is_numeric))
            }) {
                a.spelled.push(w.clone());
                if let Some((name, value)) = flag.split_once('=') {
                    a.flags.push((name.to_string(), value.to_string()));
                } else if takes_value(flag) {
                    let Some(v) = words.get(i + 1) else {
                        // pflag's wording: a shorthand is named as a quoted letter.
                        return Err(if w.starts_with("--") {
                            format!("flag needs an argument: {w}")
                        } else {
                            format!("flag needs an argument: '{flag}' in {w}")
                        });
                    };
                    a.flags.push((flag.to_string(), v.clone()));
                    i += 1;
                } else if let Some((head, rest)) = flag
                    .chars()
                    .next()
                    .map(|c| flag.split_at(c.len_utf8()))
                    .filter(|(head, rest)| {
                        !rest.is_empty() && !w.starts_with("--") && takes_value(head)
                    })
                {
                    // `-nkube-system`, `-owide` (split after the first character, never inside one)
                    a.flags.push((head.to_string(), rest.to_string()));
                } else {
                    a.flags.push((flag.to_string(), String::new()));
                }
            } else {
                a.positional.push(w.clone());
            }
            i += 1;
        }
        Ok(a)
    }

    /// The same flags with other positional arguments (a subcommand's view of its arguments).
    pub fn with_positional(&self, positional: Vec<String>) -> Args {
        Args {
            positional,
            flags: self.flags.clone(),
            spelled: self.spelled.clone(),
        }
    }

    /// The last value of a flag given by any of its names.
    pub fn value(&self, names: &[&str]) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| names.contains(&n.as_str()))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable flag.
    pub fn values(&self, names: &[&str]) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(n, _)| names.contains(&n.as_str()))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A boolean flag: present (without `=false`).
    pub fn has(&self, name: &str) -> bool {
        self.flags.iter().any(|(n, v)| n == name && v != "false")
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn words_and_quotes() {
        assert_eq!(
            split_words("kubectl get  pods -n 'kube system'").unwrap(),
            ["kubectl", "get", "pods", "-n", "kube system"]
        );
        assert_eq!(
            split_words(r#"a "b \"c\"" d\ e"#).unwrap(),
            ["a", "b \"c\"", "d e"]
        );
        assert!(split_words("a 'b").is_err());
    }

    #[test]
    fn flags_in_every_spelling() {
        let w =
            split_words("get ds -n kube-system -owide --selector=app=x -A --overwrite").unwrap();
        let a = Args::parse(&w).unwrap();
        assert_eq!(a.positional, ["get", "ds"]);
        assert_eq!(a.value(&["n", "namespace"]), Some("kube-system"));
        assert_eq!(a.value(&["o", "output"]), Some("wide"));
        assert_eq!(a.value(&["l", "selector"]), Some("app=x"));
        assert!(a.has("A") && a.has("overwrite"));
        assert_eq!(
            Args::parse(&split_words("get pods -n").unwrap()),
            Err("flag needs an argument: 'n' in -n".into())
        );
        // A short flag that starts with a multi-byte character is not cut inside it.
        let a = Args::parse(&split_words("get pods -é -nédition").unwrap()).unwrap();
        assert_eq!(a.value(&["n"]), Some("édition"));
        assert!(a.has("é"));
    }
}
