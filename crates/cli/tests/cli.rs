//! `dsim` as a user runs it: files and directories in, tables or JSON out, exit codes for CI.

use std::path::PathBuf;
use std::process::{Command, Output};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dsim"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("dsim runs")
}

/// `dsim ARGS` with `input` on its standard input.
fn dsim_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dsim"))
        .args(args)
        .current_dir(repo())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("dsim runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("input written");
    child.wait_with_output().expect("dsim ends")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn explain_prints_the_status_and_a_row_per_node() {
    let out = dsim(&[
        "explain",
        "-f",
        "examples/logging-agent/daemonset.yaml",
        "-f",
        "examples/logging-agent/nodes.yaml",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("DaemonSet kube-system/log-agent"));
    assert!(
        stdout.contains("4         4         3       4            3           0"),
        "{stdout}"
    );
    let small = stdout.lines().find(|l| l.starts_with("small-1")).unwrap();
    assert!(
        small.contains("Pending: 0/5 nodes are available: 1 Insufficient memory"),
        "{small}"
    );
}

#[test]
fn check_fails_when_a_targeted_node_gets_no_running_pod() {
    let out = dsim(&["explain", "-f", "examples/logging-agent/", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("check failed: 1 targeted node(s) would not run a daemon pod"),
        "{stderr}"
    );
    assert!(
        stderr.contains("kube-system/log-agent on small-1: Pending"),
        "{stderr}"
    );
}

#[test]
fn a_missing_priority_class_fails_the_check_with_the_admission_message() {
    let out = dsim(&[
        "explain",
        "-f",
        "examples/missing-priority-class/",
        "--check",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(
        all.contains(
            "pods \"log-agent-\" is forbidden: no PriorityClass with name high-priority was found"
        ),
        "{all}"
    );
}

#[test]
fn json_output_is_the_report() {
    let out = dsim(&["explain", "-f", "examples/logging-agent/", "-o", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(v["nodeCount"], 5);
    assert_eq!(v["daemonSets"][0]["status"]["desiredNumberScheduled"], 4);
}

#[test]
fn bad_input_exits_2_with_located_messages_on_stderr() {
    let dir = std::env::temp_dir().join(format!("dsim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.yaml");
    std::fs::write(&f, "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: i}]\n").unwrap();
    let out = dsim(&["explain", "-f", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("document 1, line 9, column 7"), "{stderr}");
    assert!(stderr.contains("The DaemonSet \"x\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(dsim(&["explain"]).status.code(), Some(2));
    assert_eq!(
        dsim(&["explain", "-f", "examples/logging-agent/", "-o", "wide"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(dsim(&["frobnicate"]).status.code(), Some(2));
    let out = dsim(&["explain", "-f", "no/such/file.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/file.yaml"));
}

#[test]
fn standard_input_is_read_with_dash() {
    let ds = std::fs::read_to_string(repo().join("examples/logging-agent/daemonset.yaml")).unwrap();
    let out = dsim_stdin(&["explain", "-f", "-"], ds.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("DESIRED"));
}

#[test]
fn run_prints_a_transcript_and_fails_fast_on_request() {
    let out = dsim(&[
        "run",
        "-f",
        "examples/seed-walkthrough/cluster.yaml",
        "examples/seed-walkthrough/walkthrough.dsim",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.starts_with("$ kubectl apply -f examples/seed-walkthrough/cluster.yaml\nnode/control-plane-1 created\n"), "{t}");
    assert!(
        t.contains("$ kubectl apply -f log-agent.yaml\ndaemonset.apps/log-agent created\n"),
        "paths in the script are relative to it"
    );
    assert!(t.contains(
        "Error from server (NotFound): daemonsets.apps \"fluentd-elasticsearch\" not found"
    ));
    let fast = dsim(&[
        "run",
        "--fail-fast",
        "-f",
        "examples/seed-walkthrough/cluster.yaml",
        "examples/seed-walkthrough/walkthrough.dsim",
    ]);
    assert_eq!(fast.status.code(), Some(1));
    assert!(
        !text(&fast.stdout).contains("rollout history"),
        "stops at the first failing line"
    );
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // `dsim explain … | head -1`: the reader goes away after one line. The table for a big
    // generated cluster is far larger than a pipe's buffer, so later writes meet a closed pipe.
    let mut child = Command::new(env!("CARGO_BIN_EXE_dsim"))
        .args([
            "explain",
            "-f",
            "-",
            "-f",
            "examples/logging-agent/daemonset.yaml",
        ])
        .current_dir(repo())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut nodes = String::from("apiVersion: v1\nkind: List\nitems:\n");
    for i in 0..3000 {
        nodes.push_str(&format!(
            "- {{apiVersion: v1, kind: Node, metadata: {{name: node-{i:05}, labels: {{kubernetes.io/os: linux}}}}, status: {{allocatable: {{cpu: '4', memory: 8Gi, pods: '110'}}}}}}\n"
        ));
    }
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(nodes.as_bytes()).unwrap();
    }
    // Read one line, then close our end.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn run_applies_standard_input_and_reports_input_that_does_not_load() {
    // `-f -` is applied as kubectl names it, from the text read once.
    let out = dsim_stdin(
        &["run", "-f", "-"],
        b"apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "$ kubectl apply -f -\nnode/n1 created\n");
    // A file that does not load: kubectl's words in the transcript, the located message on
    // standard error, exit status 2.
    let dir = std::env::temp_dir().join(format!("dsim-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: v1\nkind: Node\nmetadata: {name: Bad_Name}\n",
    )
    .unwrap();
    let out = dsim(&["run", "-f", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("The Node \"Bad_Name\" is invalid"));
    assert!(
        text(&out.stderr).contains("bad.yaml: document 1, line 3"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn an_endless_input_is_refused_not_read_until_memory_runs_out() {
    let out = dsim(&["explain", "-f", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: /dev/zero is larger than 512 MiB, the most dsim reads\n"
    );
}
