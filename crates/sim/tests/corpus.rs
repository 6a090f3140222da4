//! The bad-input corpus: every file in `tests/corpus/bad/` is loaded and explained, and the
//! diagnostics it must produce are read from the `.expect` file beside it. The format is described
//! in `tests/corpus/README.md`.
//!
//! `CORPUS_DUMP=1 cargo test -p sim --test corpus -- --nocapture` prints every diagnostic of every
//! case, which is the quickest way to write a new `.expect` file.

use sim::diag::{Diagnostic, Severity};
use sim::input::{Loaded, Source};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/bad")
}

/// One `error …`/`warning …` line of an expectation file.
#[derive(Debug)]
struct Expected {
    line_no: usize,
    text: String,
    severity: Severity,
    doc: usize,
    line: usize,
    col: Option<usize>,
    /// `None`: not checked; `Some(None)`: the diagnostic must have no path (`path=-`).
    path: Option<Option<String>>,
    contains: String,
}

#[derive(Debug, Default)]
struct Expectations {
    diagnostics: Vec<Expected>,
    /// `objects kind=count …`: the loaded object counts, by kind.
    objects: Vec<(String, usize, usize)>,
    /// `count errors=N warnings=M`: exact numbers of load diagnostics.
    counts: Option<(usize, usize, usize)>,
}

fn parse_expectations(text: &str) -> Result<Expectations, String> {
    let mut out = Expectations::default();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (head, rest) = line.split_once(' ').unwrap_or((line, ""));
        let err = |m: &str| format!("line {line_no}: {m}: {line}");
        match head {
            "error" | "warning" => {
                let (fields, contains) = match rest.find("contains=") {
                    Some(k) => (&rest[..k], rest[k + "contains=".len()..].to_string()),
                    None => return Err(err("missing contains=")),
                };
                if contains.is_empty() {
                    return Err(err("empty contains="));
                }
                let (mut doc, mut at, mut col, mut path) = (None, None, None, None);
                for f in fields.split_whitespace() {
                    let (k, v) = f.split_once('=').ok_or_else(|| err("expected key=value"))?;
                    let num = || v.parse::<usize>().map_err(|_| err("expected a number"));
                    match k {
                        "doc" => doc = Some(num()?),
                        "line" => at = Some(num()?),
                        "col" => col = Some(num()?),
                        "path" => path = Some((v != "-").then(|| v.to_string())),
                        _ => return Err(err("unknown key")),
                    }
                }
                out.diagnostics.push(Expected {
                    line_no,
                    text: line.to_string(),
                    severity: if head == "error" {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    doc: doc.ok_or_else(|| err("missing doc="))?,
                    line: at.ok_or_else(|| err("missing line="))?,
                    col,
                    path,
                    contains,
                });
            }
            "objects" => {
                for f in rest.split_whitespace() {
                    let (k, v) = f
                        .split_once('=')
                        .ok_or_else(|| err("expected kind=count"))?;
                    let n = v.parse().map_err(|_| err("expected a number"))?;
                    out.objects.push((k.to_string(), n, line_no));
                }
            }
            "count" => {
                let (mut e, mut w) = (None, None);
                for f in rest.split_whitespace() {
                    match f.split_once('=') {
                        Some(("errors", v)) => e = v.parse().ok(),
                        Some(("warnings", v)) => w = v.parse().ok(),
                        _ => return Err(err("expected errors=N warnings=M")),
                    }
                }
                out.counts = Some((
                    e.ok_or_else(|| err("missing errors="))?,
                    w.ok_or_else(|| err("missing warnings="))?,
                    line_no,
                ));
            }
            _ => return Err(err("unknown directive")),
        }
    }
    if out.diagnostics.is_empty() {
        return Err("no expected diagnostic".into());
    }
    Ok(out)
}

fn object_count(loaded: &Loaded, kind: &str) -> Option<usize> {
    let o = &loaded.objects;
    Some(match kind {
        "nodes" => o.nodes.len(),
        "daemonsets" => o.daemon_sets.len(),
        "pods" => o.pods.len(),
        "priorityclasses" => o.priority_classes.len(),
        "namespaces" => o.namespaces.len(),
        _ => return None,
    })
}

fn matches(e: &Expected, d: &Diagnostic) -> bool {
    d.severity == e.severity
        && d.document == Some(e.doc)
        && d.line == Some(e.line)
        && e.col.is_none_or(|c| d.column == Some(c))
        && e.path.as_ref().is_none_or(|p| d.path == *p)
        && d.message.contains(&e.contains)
}

fn render(d: &Diagnostic) -> String {
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!(
        "{sev} doc={} line={} col={} path={} message={}",
        d.document.map_or("?".into(), |v| v.to_string()),
        d.line.map_or("?".into(), |v| v.to_string()),
        d.column.map_or("?".into(), |v| v.to_string()),
        d.path.as_deref().unwrap_or("-"),
        d.message
    )
}

/// Invariants every diagnostic of every input must keep.
fn check_invariants(name: &str, text: &str, diags: &[Diagnostic], problems: &mut Vec<String>) {
    let max_line = text.lines().count() + 1;
    for d in diags {
        if let Some(l) = d.line {
            if l == 0 || l > max_line {
                problems.push(format!(
                    "line {l} out of range 1..={max_line}: {}",
                    render(d)
                ));
            }
        }
        if d.column == Some(0) {
            problems.push(format!("column 0: {}", render(d)));
        }
        if d.document == Some(0) {
            problems.push(format!("document 0: {}", render(d)));
        }
        if d.document.is_some() && d.source.as_deref() != Some(name) {
            problems.push(format!(
                "source {:?} is not the file name: {}",
                d.source,
                render(d)
            ));
        }
    }
}

/// Run one case; every failed expectation becomes one line of the result.
fn run_case(name: &str, text: &str, expect: &Expectations) -> Vec<String> {
    let mut problems = Vec::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let loaded = sim::load_sources(&[Source::new(name, text)]);
        let report = sim::explain::explain(&loaded.objects);
        (loaded, report)
    }));
    let (loaded, report) = match result {
        Ok(r) => r,
        Err(_) => return vec!["PANICKED while loading or explaining".to_string()],
    };
    check_invariants(name, text, &loaded.diagnostics, &mut problems);
    check_invariants(name, text, &report.diagnostics, &mut problems);

    let mut used = vec![false; loaded.diagnostics.len()];
    for e in &expect.diagnostics {
        let hit = loaded
            .diagnostics
            .iter()
            .enumerate()
            .find(|(i, d)| !used[*i] && matches(e, d));
        match hit {
            Some((i, _)) => used[i] = true,
            None => problems.push(format!(
                "expectation on line {} not met: {}",
                e.line_no, e.text
            )),
        }
    }
    for (kind, want, line_no) in &expect.objects {
        match object_count(&loaded, kind) {
            Some(got) if got == *want => {}
            Some(got) => problems.push(format!(
                "expectation on line {line_no} not met: {kind}={want}, but {got} loaded"
            )),
            None => problems.push(format!("line {line_no}: unknown object kind {kind:?}")),
        }
    }
    if let Some((errors, warnings, line_no)) = expect.counts {
        let e = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
        let w = loaded.diagnostics.len() - e;
        if (e, w) != (errors, warnings) {
            problems.push(format!(
                "expectation on line {line_no} not met: errors={errors} warnings={warnings}, got errors={e} warnings={w}"
            ));
        }
    }
    if !problems.is_empty() {
        let mut actual = String::from("actual load diagnostics:");
        for d in &loaded.diagnostics {
            let _ = write!(actual, "\n      {}", render(d));
        }
        problems.push(actual);
    }
    problems
}

#[test]
fn bad_inputs_give_located_upstream_worded_diagnostics() {
    let dir = corpus_dir();
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 32,
        "only {} corpus inputs in {}",
        inputs.len(),
        dir.display()
    );

    let dump = std::env::var_os("CORPUS_DUMP").is_some();
    let mut failures = Vec::new();
    for input in &inputs {
        let name = input.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(input).expect("corpus input is UTF-8");
        if dump {
            let loaded = sim::load_sources(&[Source::new(name.clone(), text.clone())]);
            println!("== {name}");
            for d in &loaded.diagnostics {
                println!("   {}", render(d));
            }
        }
        let expect_path = input.with_extension("expect");
        let expect = match std::fs::read_to_string(&expect_path) {
            Ok(t) => match parse_expectations(&t) {
                Ok(e) => e,
                Err(e) => {
                    failures.push(format!("{}: {e}", expect_path.display()));
                    continue;
                }
            },
            Err(e) => {
                failures.push(format!("{}: {e}", expect_path.display()));
                continue;
            }
        };
        let problems = run_case(&name, &text, &expect);
        if !problems.is_empty() {
            failures.push(format!("{name}:\n  - {}", problems.join("\n  - ")));
        }
    }
    // Every expectation file has its input.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().and_then(|e| e.to_str()) == Some("expect")
            && !["yaml", "json"]
                .iter()
                .any(|x| p.with_extension(x).exists())
        {
            failures.push(format!("{}: no input file beside it", p.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}

/// A ~25 MB input: 5,000 nodes with many labels, then one invalid DaemonSet. The error must come
/// back located (document and line) and nothing may panic.
#[test]
fn huge_input_with_one_invalid_daemon_set() {
    let mut text = String::with_capacity(26 << 20);
    let nodes = 5_000;
    for i in 0..nodes {
        let _ = write!(
            text,
            "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-{i:05}\n  labels:\n    kubernetes.io/hostname: node-{i:05}\n"
        );
        for l in 0..95 {
            let _ = writeln!(
                text,
                "    example.com/label-{l:03}: value-{i:05}-{l:03}-abcdefghijklmn"
            );
        }
        text.push_str("status:\n  allocatable: {cpu: \"4\", memory: 16Gi, pods: \"110\"}\n---\n");
    }
    let ds_first_line = text.lines().count() + 1;
    text.push_str(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n      - name: agent\n        image: busybox:1.36\n      tolerations:\n      - operator: Exists\n        effect: NoScheduel\n",
    );
    assert!(text.len() > 24 << 20, "input is only {} bytes", text.len());

    let loaded = sim::load_sources(&[Source::new("huge.yaml", text.as_str())]);
    let report = sim::explain::explain(&loaded.objects);
    assert_eq!(loaded.objects.nodes.len(), nodes);
    assert_eq!(report.node_count, nodes);
    assert!(loaded.objects.daemon_sets.is_empty());
    let errors: Vec<&Diagnostic> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{:#?}", loaded.diagnostics);
    let e = errors[0];
    assert_eq!(e.document, Some(nodes + 1));
    assert_eq!(e.line, Some(ds_first_line + 16), "{e}");
    assert_eq!(
        e.path.as_deref(),
        Some("spec.template.spec.tolerations[0].effect")
    );
    assert!(
        e.message.contains("Unsupported value: \"NoScheduel\""),
        "{e}"
    );
}
