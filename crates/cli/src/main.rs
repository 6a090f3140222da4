//! `dsim`: the DaemonSet Playground on the command line.
//!
//! A thin shell over the `sim` crate: it reads files, calls `sim`, prints what `sim` renders and
//! turns the result into an exit code. No Kubernetes rule lives here.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Write to standard output. When the reader has gone (`dsim explain … | head`), the program
/// ends quietly with status 0 instead of panicking on the closed pipe.
fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: writing to standard output: {e}");
            std::process::exit(2);
        }
        std::process::exit(0);
    }
}

macro_rules! out {
    ($($arg:tt)*) => { write_stdout(&format!($($arg)*)) };
}

macro_rules! outln {
    ($($arg:tt)*) => { write_stdout(&format!("{}\n", format_args!($($arg)*))) };
}

const USAGE: &str = "\
dsim - DaemonSet Playground on the command line (Kubernetes 1.35 semantics)

Usage:
  dsim explain -f FILE [-f FILE]... [-o table|json] [--check]
  dsim run [-f FILE]... [SCRIPT | -] [--fail-fast]
  dsim bench [--nodes N]
  dsim help | --help | --version

explain   For every DaemonSet and every node in the files: should the node run a daemon pod,
          should an existing one keep running, and does the scheduler bind it or leave it Pending
          (with the scheduler's own message). FILE is YAML or JSON, any number of documents,
          `kind: List` or `kubectl get ... -o yaml|json` output; `-f -` reads standard input;
          a directory reads its *.yaml, *.yml and *.json files.
  -o        table (default) or json.
  --check   CI gate: exit 1 when a node the DaemonSet targets would not get a running pod.

run       Simulate a cluster on a virtual clock: apply the files (as `kubectl apply -f` would),
          then run the script line by line and print the transcript. Lines: `kubectl ...`,
          `sleep 30s`, `sim node add|remove|notready|unreachable|ready NAME`, `sim pod fail NAME`,
          `sim image fail|crash|ok IMAGE`,
          `# comments`. A file's `kind: Scenario` document sets the seed, timing, failing images
          and steps that run before the script. Paths after -f inside a script are relative to
          the script's folder. --fail-fast stops at the first failing line (exit 1).

bench     Time parsing a generated `kubectl get nodes -o json` dump and explaining a DaemonSet
          with node affinity and six tolerations over it (default 5,000 nodes).

Exit codes: 0 ok; 1 --check found unplaced pods, or --fail-fast stopped at a failing line;
2 bad input (files that do not load, with their messages on standard error) or usage.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("explain") => explain(&args[1..]),
        Some("bench") => bench(&args[1..]),
        Some("run") => run(&args[1..]),
        Some("help") | Some("--help") | Some("-h") | None => {
            out!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("--version") | Some("version") => {
            outln!(
                "dsim {} (Kubernetes 1.35 semantics)",
                env!("CARGO_PKG_VERSION")
            );
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command {other:?}")),
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}\nRun 'dsim --help' for usage.");
    ExitCode::from(2)
}

/// The most one input may hold (a 50,000-node dump is about 320 MB): a bigger stream, such as
/// `/dev/zero`, is refused instead of read until memory runs out.
const MAX_INPUT: u64 = 512 << 20;

/// Read all of `r`, at most [`MAX_INPUT`] bytes, as UTF-8 text; `what` names it in errors.
fn read_text(r: impl Read, what: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    r.take(MAX_INPUT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{what} cannot be read: {e}"))?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(format!(
            "{what} is larger than {} MiB, the most dsim reads",
            MAX_INPUT >> 20
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{what}: the file is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

fn read_sources(path: &str, out: &mut Vec<sim::Source>) -> Result<(), String> {
    if path == "-" {
        let text = read_text(std::io::stdin(), "standard input")?;
        out.push(sim::Source::new("<stdin>", text));
        return Ok(());
    }
    let p = Path::new(path);
    if p.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(p)
            .map_err(|e| format!("reading directory {path}: {e}"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| {
                matches!(
                    f.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                )
            })
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!(
                "the directory {path} has no .yaml, .yml or .json files"
            ));
        }
        for f in files {
            read_sources(&f.to_string_lossy(), out)?;
        }
        return Ok(());
    }
    let file =
        std::fs::File::open(p).map_err(|e| format!("the path {path:?} cannot be read: {e}"))?;
    let text = read_text(file, path)?;
    out.push(sim::Source::new(path, text));
    Ok(())
}

fn explain(args: &[String]) -> ExitCode {
    let mut files = Vec::new();
    let mut output = "table".to_string();
    let mut check = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = |i: usize| args.get(i + 1).cloned();
        match a {
            "-f" | "--filename" => match value(i) {
                Some(v) => {
                    files.push(v);
                    i += 1;
                }
                None => return usage_error("flag needs an argument: -f"),
            },
            "-o" | "--output" => match value(i) {
                Some(v) => {
                    output = v;
                    i += 1;
                }
                None => return usage_error("flag needs an argument: -o"),
            },
            "--check" => check = true,
            _ if a.starts_with("--filename=") => files.push(a["--filename=".len()..].to_string()),
            _ if a.starts_with("-f=") => files.push(a[3..].to_string()),
            _ if a.starts_with("--output=") => output = a["--output=".len()..].to_string(),
            _ if a.starts_with("-o=") => output = a[3..].to_string(),
            _ => return usage_error(&format!("unknown argument {a:?} for explain")),
        }
        i += 1;
    }
    if files.is_empty() {
        return usage_error("explain needs at least one -f FILE");
    }
    if output != "table" && output != "json" {
        return usage_error(&format!("unable to match a printer suitable for the output format {output:?}, allowed formats are: json,table"));
    }
    let mut sources = Vec::new();
    for f in &files {
        if let Err(e) = read_sources(f, &mut sources) {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    // The table needs only decisions and summaries; JSON carries every reason.
    let opts = sim::ExplainOptions {
        details: output == "json",
    };
    let report = sim::explain::explain_sources_with(&sources, opts);
    for d in &report.diagnostics {
        eprintln!("{d}");
    }
    if output == "json" {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        out!("{}", sim::print::explain_table(&report));
    }
    if report.has_errors() {
        return ExitCode::from(2);
    }
    if check {
        let unplaced: Vec<_> = report.unplaced().collect();
        if !unplaced.is_empty() {
            eprintln!(
                "check failed: {} targeted node(s) would not run a daemon pod:",
                unplaced.len()
            );
            for (ds, n) in unplaced {
                eprintln!(
                    "  {}/{} on {}: {}",
                    ds.namespace, ds.name, n.node, n.summary
                );
            }
            return ExitCode::from(1);
        }
        eprintln!("check passed: every targeted node runs its daemon pod");
    }
    ExitCode::SUCCESS
}

fn run(args: &[String]) -> ExitCode {
    let mut files = Vec::new();
    let mut script_path: Option<String> = None;
    let mut fail_fast = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-f" | "--filename" => match args.get(i + 1) {
                Some(v) => {
                    files.push(v.clone());
                    i += 1;
                }
                None => return usage_error("flag needs an argument: -f"),
            },
            "--fail-fast" => fail_fast = true,
            a if a.starts_with('-') && a != "-" => {
                return usage_error(&format!("unknown argument {a:?} for run"))
            }
            a => {
                if script_path.is_some() {
                    return usage_error("run takes one script");
                }
                script_path = Some(a.to_string());
            }
        }
        i += 1;
    }
    let script = match script_path.as_deref() {
        None => String::new(),
        Some("-") => match read_text(std::io::stdin(), "standard input") {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        Some(p) => match std::fs::File::open(p)
            .map_err(|e| format!("the script {p:?} cannot be read: {e}"))
            .and_then(|f| read_text(f, &format!("the script {p:?}")))
        {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut sources = Vec::new();
    for f in &files {
        if let Err(e) = read_sources(f, &mut sources) {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    // Standard input is applied as kubectl names it, `-f -`.
    for s in &mut sources {
        if s.name.as_deref() == Some("<stdin>") {
            s.name = Some("-".into());
        }
    }
    // The files were read once: their texts are applied, whatever they were (stdin included).
    let cwd_files = |p: &str| match sources.iter().find(|s| s.name.as_deref() == Some(p)) {
        Some(s) => Ok(s.text.clone()),
        None => {
            std::fs::read_to_string(p).map_err(|e| format!("the path \"{p}\" cannot be read: {e}"))
        }
    };
    let base = script_path
        .as_deref()
        .filter(|p| *p != "-")
        .and_then(|p| Path::new(p).parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let script_files = |p: &str| {
        let path = if Path::new(p).is_absolute() {
            PathBuf::from(p)
        } else {
            base.join(p)
        };
        std::fs::read_to_string(&path).map_err(|e| format!("the path \"{p}\" cannot be read: {e}"))
    };
    let (transcript, ok) =
        sim::scenario::run(&sources, &script, &cwd_files, &script_files, fail_fast);
    out!("{transcript}");
    // The transcript shows what kubectl would print; the located messages (file, document,
    // line) go to standard error, and input that does not load is exit status 2.
    let loaded = sim::input::load_sources(&sources);
    for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
        eprintln!("{d}");
    }
    if loaded.has_errors() {
        return ExitCode::from(2);
    }
    if fail_fast && !ok {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// (desired, ready, up to date) of the one DaemonSet a benchmark cluster runs.
fn first_status(cluster: &sim::engine::Cluster) -> (i32, i32, i32) {
    let s = cluster
        .daemon_sets
        .values()
        .next()
        .and_then(|d| d.status.clone())
        .unwrap_or_default();
    (
        s.desired_number_scheduled,
        s.number_ready,
        s.updated_number_scheduled.unwrap_or(0),
    )
}

fn bench(args: &[String]) -> ExitCode {
    let mut nodes = 5000usize;
    let mut i = 0;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--nodes", Some(n)) => match n.parse() {
                Ok(n) => {
                    nodes = n;
                    i += 1;
                }
                Err(_) => return usage_error(&format!("--nodes wants a number, got {n:?}")),
            },
            (a, _) => return usage_error(&format!("unknown argument {a:?} for bench")),
        }
        i += 1;
    }
    let dump = sim::synth::node_list_json(nodes, 42);
    outln!(
        "generated a {nodes}-node `kubectl get nodes -o json` dump: {:.1} MB",
        dump.len() as f64 / 1e6
    );
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let mut parse_times = Vec::new();
    let mut loaded = None;
    for _ in 0..5 {
        let t = Instant::now();
        let l = sim::load(&dump);
        parse_times.push(t.elapsed().as_secs_f64() * 1e3);
        loaded = Some(l);
    }
    let Some(mut loaded) = loaded else {
        return ExitCode::from(2);
    };
    let yaml = sim::synth::node_list_yaml(nodes, 42);
    let mut yaml_times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let l = sim::load(&yaml);
        yaml_times.push(t.elapsed().as_secs_f64() * 1e3);
        drop(l);
    }
    let ds = sim::load(sim::synth::BENCH_DAEMON_SET);
    loaded.objects.daemon_sets = ds.objects.daemon_sets;
    let time_explain = |details: bool| {
        let mut times = Vec::new();
        let mut report = None;
        for _ in 0..20 {
            let t = Instant::now();
            let r = sim::explain_with(&loaded.objects, sim::ExplainOptions { details });
            times.push(t.elapsed().as_secs_f64() * 1e3);
            report = Some(r);
        }
        (median(times), report)
    };
    let (decisions, _) = time_explain(false);
    let (detailed, report) = time_explain(true);
    outln!(
        "parse the dump:                                {:8.1} ms (median of 5)",
        median(parse_times)
    );
    outln!(
        "parse the same dump as YAML ({:.1} MB):          {:8.1} ms (median of 3)",
        yaml.len() as f64 / 1e6,
        median(yaml_times)
    );
    outln!("explain 1 DaemonSet x {nodes} nodes:               {decisions:8.2} ms (median of 20)");
    outln!("  the same, keeping every rule-by-rule reason: {detailed:8.2} ms (median of 20)");
    // The engine: apply three DaemonSets to the cluster and run the virtual clock until every pod
    // has settled (pulled, started, Ready).
    let mut objects = loaded.objects.clone();
    objects.daemon_sets = sim::load(&sim::synth::bench_daemon_sets())
        .objects
        .daemon_sets;
    let t = Instant::now();
    let mut cluster = sim::engine::Cluster::new(1);
    cluster.apply_objects(&objects);
    let virtual_ms = cluster.run_to_steady_state(3_600_000);
    let wall = t.elapsed().as_secs_f64();
    let events: u64 = cluster
        .events
        .records
        .iter()
        .map(|e| u64::from(e.count))
        .sum();
    outln!(
        "engine: {nodes} nodes, 3 DaemonSets to steady state: {:.0} ms, {} pods, {events} events ({:.0} events/s), {} s of virtual time",
        wall * 1e3,
        cluster.pods.len(),
        events as f64 / wall,
        virtual_ms / 1000
    );
    // A full RollingUpdate (maxUnavailable 10%) of a DaemonSet on every node, to completion.
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let mut cluster = sim::synth::rollout_cluster(nodes);
        let t = Instant::now();
        let virtual_ms = sim::synth::run_rollout(&mut cluster);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        last = Some((cluster, virtual_ms));
    }
    if let Some((cluster, virtual_ms)) = last {
        let (desired, _, updated) = first_status(&cluster);
        outln!(
            "rollout: set image on a {nodes}-node DaemonSet, maxUnavailable 10%, to completion: {:.0} ms (median of 3); {} s of virtual time, {} of {} pods updated and available",
            median(times),
            virtual_ms / 1000,
            updated,
            desired
        );
    }
    // Preemption everywhere: every node full of 20 low-priority pods, a system-node-critical
    // DaemonSet that must preempt on each.
    let objects = sim::synth::preemption_objects(nodes, 20);
    let t = Instant::now();
    let (cluster, virtual_ms) = sim::synth::run_preemption(&objects);
    let wall = t.elapsed().as_secs_f64() * 1e3;
    let (desired, ready, _) = first_status(&cluster);
    let preempted = cluster
        .events
        .records
        .iter()
        .filter(|e| e.reason == "Preempted")
        .count();
    outln!(
        "preemption: {nodes} nodes x 20 low-priority pods, a system-node-critical DaemonSet, to steady state: {wall:.0} ms; {preempted} pods preempted, {} of {} daemon pods ready, {} s of virtual time",
        ready,
        desired,
        virtual_ms / 1000
    );
    if let Some(r) = report {
        if let Some(d) = r.daemon_sets.first() {
            outln!(
                "  desired {} current {} ready {}",
                d.status.desired_number_scheduled,
                d.status.current_number_scheduled,
                d.status.number_ready
            );
        }
    }
    ExitCode::SUCCESS
}
