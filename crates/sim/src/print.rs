//! Plain-text rendering of reports, shared by the CLI and the web console.

pub mod yaml;

use crate::explain::{Outcome, Report};
use std::fmt::Write;

/// An `intstr.IntOrString` as Go prints it (it is a `fmt.Stringer`): the number or the string,
/// bare (`1`, `10%`). kubectl's describe, the API server's field errors and the page all print it
/// so.
pub fn int_or_string(v: &k8s_openapi::apimachinery::pkg::util::intstr::IntOrString) -> String {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// JSON as kubectl prints it (`printers/json.go`: `json.MarshalIndent(obj, "", "    ")`): four
/// spaces, a final line break, and `encoding/json`'s HTML-safe escapes for `<`, `>`, `&`, U+2028
/// and U+2029 (those characters only ever stand inside strings in JSON text).
pub fn kubectl_json(v: &serde_json::Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        serde_json::ser::PrettyFormatter::with_indent(b"    "),
    );
    if v.serialize(&mut ser).is_err() {
        return String::new();
    }
    let text = String::from_utf8(out).unwrap_or_default();
    let mut escaped = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        match c {
            '<' => escaped.push_str("\\u003c"),
            '>' => escaped.push_str("\\u003e"),
            '&' => escaped.push_str("\\u0026"),
            '\u{2028}' => escaped.push_str("\\u2028"),
            '\u{2029}' => escaped.push_str("\\u2029"),
            c => escaped.push(c),
        }
    }
    escaped.push('\n');
    escaped
}

/// Column widths that fit the widest cell, kubectl-style (three spaces between columns).
pub fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            if c + 1 == r.len() {
                line.push_str(cell);
            } else {
                let pad = widths[c] - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 3));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::Running => "Running",
        Outcome::Pending => "Pending",
        Outcome::NotEligible => "no pod",
        Outcome::KeptMisscheduled => "Misscheduled",
        Outcome::Removed => "Deleted",
        Outcome::CreateFailed => "FailedCreate",
    }
}

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// The explain report as text: per DaemonSet, the `kubectl get ds` numbers and a row per node.
pub fn explain_table(report: &Report) -> String {
    let mut out = String::new();
    if report.daemon_sets.is_empty() {
        out.push_str("No DaemonSets found in the input.\n");
    }
    for ds in &report.daemon_sets {
        let s = &ds.status;
        let _ = writeln!(out, "DaemonSet {}/{}", ds.namespace, ds.name);
        out.push_str(&table(&[
            [
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "MISSCHEDULED",
            ]
            .map(String::from)
            .to_vec(),
            [
                s.desired_number_scheduled,
                s.current_number_scheduled,
                s.number_ready,
                s.updated_number_scheduled,
                s.number_available,
                s.number_misscheduled,
            ]
            .map(|n| n.to_string())
            .to_vec(),
        ]));
        if let Some(e) = &ds.create_error {
            let _ = writeln!(out, "Warning  FailedCreate  {e}");
        }
        out.push('\n');
        let mut rows = vec![["NODE", "SHOULD-RUN", "CONTINUE", "RESULT", "WHY"]
            .map(String::from)
            .to_vec()];
        for n in &ds.nodes {
            rows.push(vec![
                n.node.clone(),
                yes_no(n.should_run),
                yes_no(n.should_continue_running),
                outcome_label(n.outcome).to_string(),
                n.summary.clone(),
            ]);
        }
        out.push_str(&table(&rows));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn columns_are_padded_to_the_widest_cell() {
        let t = table(&[
            vec!["NAME".into(), "DESIRED".into()],
            vec!["fluentd-elasticsearch".into(), "3".into()],
        ]);
        assert_eq!(
            t,
            "NAME                    DESIRED\nfluentd-elasticsearch   3\n"
        );
    }
}
