//! Randomised robustness test: the valid example files, mutated a few thousand times (lines
//! deleted, duplicated, swapped, re-indented; characters replaced with YAML punctuation; texts
//! truncated; huge numbers inserted; `---` separators added and removed), must never make
//! `explain_sources` panic, and every located diagnostic must point inside its text.
//!
//! The generator is a tiny xorshift PRNG with fixed seeds, so every run tests the same inputs and a
//! failure names the seed and iteration that reproduce it.

use sim::explain::explain_sources;
use sim::input::Source;
use sim::rng::Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::Instant;

const PUNCTUATION: &[char] = &[
    ':', '{', '}', '[', ']', '-', '&', '*', '!', '|', '>', '\'', '"', '#', '%', '@', '\t', ' ',
    '\n', ',', '?',
];

const HUGE: &[&str] = &[
    "99999999999999999999999999999999",
    "-9223372036854775809",
    "18446744073709551616",
    "1e400",
    "-1e-400",
    "2147483648",
    "-2147483649",
    "0x7fffffffffffffff",
    "1e308",
    ".inf",
    "NaN",
    "9999999999999999999999Ei",
    "123456789012345678901234567890m",
];

/// Apply one random mutation to `text`.
fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let n = lines.len();
    match rng.below(10) {
        // Delete a line.
        0 => {
            lines.remove(rng.below(n));
        }
        // Duplicate a line, right after itself or somewhere else.
        1 => {
            let i = rng.below(n);
            let line = lines[i].clone();
            let at = if rng.below(2) == 0 {
                i + 1
            } else {
                rng.below(n + 1)
            };
            lines.insert(at, line);
        }
        // Swap two lines.
        2 => {
            let (a, b) = (rng.below(n), rng.below(n));
            lines.swap(a, b);
        }
        // Change a line's indentation: more, less, or a tab.
        3 => {
            let i = rng.below(n);
            let body = lines[i].trim_start().to_string();
            let indent = lines[i].len() - body.len();
            let new_indent = match rng.below(4) {
                0 => " ".repeat(indent + 1 + rng.below(4)),
                1 => " ".repeat(indent.saturating_sub(1 + rng.below(4))),
                2 => "\t".repeat(1 + rng.below(2)),
                _ => " ".repeat(rng.below(40)),
            };
            lines[i] = format!("{new_indent}{body}");
        }
        // Replace a few characters with punctuation.
        4 | 5 => {
            let mut chars: Vec<char> = text.chars().collect();
            if !chars.is_empty() {
                for _ in 0..1 + rng.below(3) {
                    let i = rng.below(chars.len());
                    chars[i] = *rng.pick(PUNCTUATION);
                }
            }
            return chars.into_iter().collect();
        }
        // Truncate.
        6 => {
            let chars: Vec<char> = text.chars().collect();
            let keep = rng.below(chars.len() + 1);
            return chars[..keep].iter().collect();
        }
        // Insert a huge number: as a value, or anywhere.
        7 => {
            let i = rng.below(n);
            let huge = *rng.pick(HUGE);
            if let Some(colon) = lines[i].find(": ") {
                lines[i] = format!("{}: {huge}", &lines[i][..colon]);
            } else {
                let mut chars: Vec<char> = lines[i].chars().collect();
                let at = rng.below(chars.len() + 1);
                chars.splice(at..at, huge.chars());
                lines[i] = chars.into_iter().collect();
            }
        }
        // Flip a document separator: remove one, or add one.
        8 => {
            let separators: Vec<usize> = (0..n).filter(|&i| lines[i].starts_with("---")).collect();
            if !separators.is_empty() && rng.below(2) == 0 {
                lines.remove(*rng.pick(&separators));
            } else {
                lines.insert(rng.below(n + 1), "---".to_string());
            }
        }
        // Blow up a line: repeat it many times (long lists, deep-ish nesting).
        _ => {
            let i = rng.below(n);
            let line = lines[i].clone();
            for _ in 0..rng.below(50) {
                lines.insert(i, line.clone());
            }
        }
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn example(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/logging-agent")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Run one input: whether it gave errors, or what went wrong.
fn check(sources: &[Source]) -> Result<bool, String> {
    let report = match catch_unwind(AssertUnwindSafe(|| explain_sources(sources))) {
        Ok(r) => r,
        Err(_) => return Err("explain_sources panicked".to_string()),
    };
    for d in &report.diagnostics {
        let Some(line) = d.line else { continue };
        let text = sources
            .iter()
            .find(|s| s.name.as_deref() == d.source.as_deref())
            .map(|s| s.text.as_str());
        let Some(text) = text else {
            return Err(format!("diagnostic with a line but an unknown source: {d}"));
        };
        let max = text.lines().count() + 1;
        if line == 0 || line > max {
            return Err(format!("line {line} outside 1..={max}: {d}"));
        }
        if d.column == Some(0) || d.document == Some(0) {
            return Err(format!("zero column or document: {d}"));
        }
    }
    Ok(report.has_errors())
}

#[test]
fn mutated_examples_never_panic_and_stay_located() {
    let daemon_set = example("daemonset.yaml");
    let nodes = example("nodes.yaml");
    let both = format!("{daemon_set}---\n{nodes}");
    // The DaemonSet as JSON too, so the JSON reader meets broken input as well.
    let as_json: serde_json::Value =
        sim::input::yaml_to_json(&daemon_set).expect("example is YAML");
    let json = serde_json::to_string_pretty(&as_json).expect("JSON") + "\n";
    let bases = [
        daemon_set.as_str(),
        nodes.as_str(),
        both.as_str(),
        json.as_str(),
    ];

    // Fixed seeds; 3 × 1,000 inputs (`FUZZ_PER_SEED=100000` for a longer hunt).
    let seeds = [0x5EED_0001_u64, 0xDA3E_5E75, 0x0BAD_C0DE];
    let per_seed = std::env::var("FUZZ_PER_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000);
    let start = Instant::now();
    let mut failures = Vec::new();
    let (mut runs, mut rejected) = (0, 0);
    for &seed in &seeds {
        let mut rng = Rng::new(seed);
        for iteration in 0..per_seed {
            let mut text = rng.pick(&bases).to_string();
            for _ in 0..1 + rng.below(4) {
                text = mutate(&mut rng, &text);
            }
            // Now and then, two files at once: the second one unmutated or mutated on its own.
            let sources = if rng.below(4) == 0 {
                let mut other = nodes.clone();
                if rng.below(2) == 0 {
                    other = mutate(&mut rng, &other);
                }
                vec![
                    Source::new("fuzz.yaml", text),
                    Source::new("nodes.yaml", other),
                ]
            } else {
                vec![Source::new("fuzz.yaml", text)]
            };
            runs += 1;
            match check(&sources) {
                Ok(errors) => rejected += usize::from(errors),
                Err(problem) => {
                    failures.push(format!(
                        "seed {seed:#x}, iteration {iteration}: {problem}\n--- input ---\n{}",
                        sources[0].text
                    ));
                    if failures.len() >= 5 {
                        break;
                    }
                }
            }
        }
    }
    eprintln!(
        "fuzz: {runs} mutated inputs ({rejected} with errors) in {:.2?}",
        start.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
