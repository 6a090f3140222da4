//! Line diff between two revisions of a DaemonSet's pod template, for the revision panel.

use crate::engine::daemon::revision_template;
use crate::engine::{Cluster, Key};
use crate::kubectl::rollout::revisions_of;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffLine {
    /// `' '` kept, `'-'` only in the first, `'+'` only in the second.
    pub sign: char,
    pub text: String,
}

/// The lines of `a` and `b` in order, marked kept, removed or added (longest common subsequence).
pub fn diff_lines(a: &str, b: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    // lcs[i][j]: length of the LCS of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    let line = |sign, text: &str| DiffLine {
        sign,
        text: text.to_string(),
    };
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(line(' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(line('-', a[i]));
            i += 1;
        } else {
            out.push(line('+', b[j]));
            j += 1;
        }
    }
    out
}

/// The pod template of one revision as YAML.
pub fn revision_yaml(c: &Cluster, ds: &Key, revision: i64) -> Option<String> {
    let r = revisions_of(c, ds)
        .into_iter()
        .find(|r| r.revision == revision)?;
    let v = serde_json::to_value(revision_template(&r)?).ok()?;
    Some(crate::print::yaml::to_string(&v))
}

/// How revision `b` differs from revision `a`; `None` when either does not exist.
pub fn revision_diff(c: &Cluster, ds: &Key, a: i64, b: i64) -> Option<Vec<DiffLine>> {
    Some(diff_lines(
        &revision_yaml(c, ds, a)?,
        &revision_yaml(c, ds, b)?,
    ))
}
