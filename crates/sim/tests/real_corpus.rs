//! The real-world corpus (`tests/corpus/real/`): public manifests of widely used DaemonSets and
//! real node dumps, read through the same path as `kubectl apply -f` and `dsim explain`.
//!
//! - Every DaemonSet file loads beside `standard-cluster.yaml` with no error, unless
//!   `rejected.txt` names it with the error a 1.35 cluster gives and why that is right; every
//!   DaemonSet in it gets a placement decision for every node.
//! - `expected/*.txt` give, for DaemonSets whose placement was worked out by reading the manifest
//!   (nodeSelector, required node affinity, tolerations), the nodes where the pod runs.
//! - Every node dump loads with no error, and a DaemonSet that tolerates everything is placed on
//!   each of its nodes.
//!
//! `CORPUS_SURVEY=1 cargo test -p sim --test real_corpus -- --nocapture` prints every file's
//! diagnostics and placements.

use sim::explain::{explain_sources, Outcome};
use sim::input::Source;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/real")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{d:?}: {e}")) {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("yaml" | "yml" | "json")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rel(p: &Path, base: &Path) -> String {
    p.strip_prefix(base)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

fn error_messages(diagnostics: &[sim::diag::Diagnostic]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.as_str())
        .collect()
}

fn survey() -> bool {
    std::env::var_os("CORPUS_SURVEY").is_some()
}

/// `rejected.txt`: `<file> contains=<text of the error>` after `#` lines that give the reason.
fn rejections() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(root().join("rejected.txt")).unwrap();
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (file, contains) = line
            .split_once(" contains=")
            .unwrap_or_else(|| panic!("rejected.txt: bad line {line:?}"));
        out.entry(file.to_string())
            .or_default()
            .push(contains.to_string());
    }
    out
}

/// (file, namespace/name) → sorted node names.
fn expectations() -> BTreeMap<(String, String), Vec<String>> {
    let mut out = BTreeMap::new();
    for f in files_under_txt(&root().join("expected")) {
        let text = std::fs::read_to_string(&f).unwrap();
        for line in text.lines() {
            let line = line.split('#').next().unwrap().trim();
            if line.is_empty() {
                continue;
            }
            let parts: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(parts.len(), 3, "{f:?}: bad line {line:?}");
            let mut nodes: Vec<String> = if parts[2] == "-" {
                Vec::new()
            } else {
                parts[2].split(',').map(str::to_string).collect()
            };
            nodes.sort();
            out.insert((parts[0].to_string(), parts[1].to_string()), nodes);
        }
    }
    out
}

fn files_under_txt(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|x| x.to_str()) == Some("txt"))
        .collect();
    v.sort();
    v
}

#[test]
fn real_daemonset_manifests_load_and_are_placed() {
    let base = root().join("daemonsets");
    let cluster = std::fs::read_to_string(root().join("standard-cluster.yaml")).unwrap();
    let rejected = rejections();
    let expected = expectations();
    let files = files_under(&base);
    assert!(
        files.len() >= 120,
        "the corpus holds {} DaemonSet files",
        files.len()
    );
    let mut failures = Vec::new();
    let mut daemon_sets = 0;
    let mut placed = std::collections::BTreeSet::new();
    let mut checked = 0;
    for f in &files {
        let name = rel(f, &base);
        let text = std::fs::read_to_string(f).unwrap();
        let report = explain_sources(&[
            Source::new("standard-cluster.yaml", cluster.clone()),
            Source::new(name.clone(), text),
        ]);
        let errors = error_messages(&report.diagnostics);
        if survey() {
            println!("== {name}");
            for d in &report.diagnostics {
                println!(
                    "  {:?} {}:{} {}",
                    d.severity,
                    d.document.unwrap_or(0),
                    d.line.unwrap_or(0),
                    d.message
                );
            }
        }
        match rejected.get(&format!("daemonsets/{name}")) {
            Some(wanted) => {
                for w in wanted {
                    if !errors.iter().any(|e| e.contains(w.as_str())) {
                        failures.push(format!(
                            "{name}: no error contains {w:?}; errors: {errors:#?}"
                        ));
                    }
                }
                if errors.len() != wanted.len() {
                    failures.push(format!(
                        "{name}: {} errors, rejected.txt names {}: {errors:#?}",
                        errors.len(),
                        wanted.len()
                    ));
                }
            }
            None if !errors.is_empty() => failures.push(format!("{name}: {errors:#?}")),
            None => {}
        }
        for ds in &report.daemon_sets {
            daemon_sets += 1;
            if ds.nodes.len() != report.node_count {
                failures.push(format!(
                    "{name}: {}/{} decided for {} of {} nodes",
                    ds.namespace,
                    ds.name,
                    ds.nodes.len(),
                    report.node_count
                ));
            }
            let mut running: Vec<String> = ds
                .nodes
                .iter()
                .filter(|n| n.outcome == Outcome::Running)
                .map(|n| n.node.clone())
                .collect();
            running.sort();
            if survey() {
                println!("  placed {}/{} on {running:?}", ds.namespace, ds.name);
                for n in &ds.nodes {
                    if n.outcome != Outcome::Running {
                        println!("    {} {:?}: {}", n.node, n.outcome, n.summary);
                    }
                }
            }
            let key = (name.clone(), format!("{}/{}", ds.namespace, ds.name));
            placed.insert(key.clone());
            if let Some(want) = expected.get(&key) {
                checked += 1;
                if &running != want {
                    failures.push(format!(
                        "{name}: {}: runs on {running:?}, expected {want:?}",
                        key.1
                    ));
                }
            }
        }
    }
    for file in rejected.keys() {
        if !root().join(file).exists() {
            failures.push(format!(
                "rejected.txt names {file}, which is not in the corpus"
            ));
        }
    }
    // Every expectation must name a DaemonSet that loaded.
    for key in expected.keys() {
        if !placed.contains(key) {
            failures.push(format!("expected/*.txt names {key:?}, which did not load"));
        }
    }
    assert!(
        checked >= 30,
        "only {checked} placements were checked against expectations"
    );
    assert!(
        daemon_sets >= 120,
        "only {daemon_sets} DaemonSets were placed"
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn real_node_dumps_load() {
    let base = root().join("nodes");
    let files = files_under(&base);
    assert!(
        files.len() >= 25,
        "the corpus holds {} node dumps",
        files.len()
    );
    let tolerate_all = r#"{"apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "probe", "namespace": "kube-system"},
        "spec": {"selector": {"matchLabels": {"app": "probe"}},
          "template": {"metadata": {"labels": {"app": "probe"}},
            "spec": {"tolerations": [{"operator": "Exists"}],
              "containers": [{"name": "probe", "image": "probe:1"}]}}}}"#;
    let rejected = rejections();
    let mut failures = Vec::new();
    let mut loaded_dumps = 0;
    for f in &files {
        let name = rel(f, &base);
        let text = std::fs::read_to_string(f).unwrap();
        let loaded = sim::load_sources(&[Source::new(name.clone(), text.clone())]);
        let errors = error_messages(&loaded.diagnostics);
        if survey() {
            println!("== {name}: {} nodes", loaded.objects.nodes.len());
            for d in &loaded.diagnostics {
                println!("  {:?} {}", d.severity, d.message);
            }
        }
        match rejected.get(&format!("nodes/{name}")) {
            Some(wanted) => {
                if errors.len() != wanted.len()
                    || !wanted
                        .iter()
                        .all(|w| errors.iter().any(|e| e.contains(w.as_str())))
                {
                    failures.push(format!(
                        "{name}: rejected.txt names {wanted:?}, errors: {errors:#?}"
                    ));
                }
                continue;
            }
            None if !errors.is_empty() => failures.push(format!("{name}: {errors:#?}")),
            None => {}
        }
        if loaded.objects.nodes.is_empty() {
            failures.push(format!("{name}: no nodes loaded"));
            continue;
        }
        loaded_dumps += 1;
        let report = explain_sources(&[
            Source::new(name.clone(), text),
            Source::new("probe.json", tolerate_all),
        ]);
        let ds = &report.daemon_sets[0];
        for n in &ds.nodes {
            if !n.should_run {
                failures.push(format!(
                    "{name}: probe should run on {}: {}",
                    n.node, n.summary
                ));
            }
        }
    }
    assert!(loaded_dumps >= 20, "only {loaded_dumps} node dumps loaded");
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
