//! Transcript tests: `tests/transcripts/<case>/` holds `cluster.yaml`, `case.dsim` and the
//! expected transcript; the run must reproduce it exactly.

use sim::input::Source;
use std::path::Path;

fn run_case(dir: &Path) -> (String, String) {
    run_script(dir, "case.dsim")
}

/// Run `dsim run -f cluster.yaml SCRIPT` in `dir`; returns the transcript and `expected.txt`.
fn run_script(dir: &Path, script_name: &str) -> (String, String) {
    let read = |p: &str| {
        std::fs::read_to_string(dir.join(p))
            .map_err(|e| format!("the path \"{p}\" cannot be read: {e}"))
    };
    let cluster = read("cluster.yaml").expect("cluster.yaml");
    let script = read(script_name).expect("the script");
    let expected = read("expected.txt").expect("expected.txt");
    let (transcript, _) = sim::scenario::run(
        &[Source::new("cluster.yaml", cluster)],
        &script,
        &read,
        &read,
        false,
    );
    (transcript, expected)
}

#[test]
fn every_transcript_matches() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 5, "cases found: {dirs:?}");
    let mut failures = Vec::new();
    for dir in &dirs {
        let (got, want) = run_case(dir);
        if got != want {
            let first = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(want.lines().count()));
            failures.push(format!(
                "{}: first difference at line {}\n  got:  {:?}\n  want: {:?}",
                dir.display(),
                first + 1,
                got.lines().nth(first),
                want.lines().nth(first)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_same_seed_gives_the_same_transcript() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts/taints");
    assert_eq!(run_case(&dir).0, run_case(&dir).0);
}

#[test]
fn the_seed_walkthrough_example_matches_its_transcript() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed-walkthrough");
    let (got, want) = run_script(&dir, "walkthrough.dsim");
    assert_eq!(got, want);
}

/// Every example scenario with a `cluster.yaml` (the gallery's) loads without errors and every
/// one of its steps succeeds.
#[test]
fn every_example_scenario_runs_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut ran = 0;
    for entry in std::fs::read_dir(&root).expect("examples/") {
        let dir = entry.expect("entry").path();
        let Ok(cluster) = std::fs::read_to_string(dir.join("cluster.yaml")) else {
            continue;
        };
        let read = |p: &str| {
            std::fs::read_to_string(dir.join(p))
                .map_err(|e| format!("the path \"{p}\" cannot be read: {e}"))
        };
        let loaded = sim::load_sources(&[Source::new("cluster.yaml", cluster.clone())]);
        assert!(
            !loaded.has_errors(),
            "{}: {:?}",
            dir.display(),
            loaded.diagnostics
        );
        let (transcript, ok) = sim::scenario::run(
            &[Source::new("cluster.yaml", cluster)],
            "",
            &read,
            &read,
            true,
        );
        assert!(ok, "{}:\n{transcript}", dir.display());
        ran += 1;
    }
    assert!(ran >= 5, "only {ran} examples ran");
}
