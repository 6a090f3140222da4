//! The flags each kubectl 1.35 command accepts, so an unknown one is refused as kubectl refuses
//! it: pflag's `unknown flag: --x` / `unknown shorthand flag: 'x' in -x`, with the hint of
//! kubectl's `FlagErrorFunc` (`pkg/util/templates/templater.go`: `See '<command path> --help' for
//! usage.`), printed by `cmdutil.CheckErr` after `error: `. The lists follow each command's `AddFlags`/`NewCmd…` in
//! `staging/src/k8s.io/kubectl/pkg/cmd/<command>/` plus the flags every command inherits
//! (`genericclioptions.ConfigFlags`, the warning and logging flags of `cmd.go`). A flag the
//! playground does not act on (`--kubeconfig`, `--chunk-size`) is still accepted, as it is by a
//! real kubectl talking to a real cluster.

use super::args::Args;
use super::Output;

/// Flags every command has that take a value: `ConfigFlags` (kubeconfig, context, namespace,
/// credentials, server, timeouts), `--profile*`, `-v`/`--vmodule`.
pub(super) const GLOBAL_VALUED: &[&str] = &[
    "n",
    "namespace",
    "kubeconfig",
    "context",
    "cluster",
    "user",
    "s",
    "server",
    "token",
    "as",
    "as-group",
    "as-uid",
    "certificate-authority",
    "client-certificate",
    "client-key",
    "tls-server-name",
    "request-timeout",
    "cache-dir",
    "username",
    "password",
    "profile",
    "profile-output",
    "v",
    "vmodule",
    "log-flush-frequency",
    "kuberc",
];

/// The boolean ones: `--insecure-skip-tls-verify`, `--disable-compression`,
/// `--match-server-version`, `--warnings-as-errors`.
const GLOBAL_BOOL: &[&str] = &[
    "insecure-skip-tls-verify",
    "disable-compression",
    "match-server-version",
    "warnings-as-errors",
];

fn global(name: &str) -> bool {
    GLOBAL_VALUED.contains(&name) || GLOBAL_BOOL.contains(&name)
}

/// The `--output` family (`PrintFlags`).
const PRINT: &[&str] = &[
    "o",
    "output",
    "template",
    "allow-missing-template-keys",
    "show-managed-fields",
];

/// The `--filename` family (`FileNameFlags`).
const FILES: &[&str] = &["f", "filename", "k", "kustomize", "R", "recursive"];

/// A command's own flags (besides the inherited ones); `None` for a path kubectl does not have.
fn own(path: &str) -> Option<Vec<&'static str>> {
    let mut v: Vec<&'static str> = match path {
        "get" => vec![
            "A",
            "all-namespaces",
            "chunk-size",
            "field-selector",
            "ignore-not-found",
            "L",
            "label-columns",
            "no-headers",
            "output-watch-events",
            "raw",
            "l",
            "selector",
            "server-print",
            "show-kind",
            "show-labels",
            "sort-by",
            "subresource",
            "w",
            "watch",
            "watch-only",
        ],
        "describe" => vec![
            "A",
            "all-namespaces",
            "chunk-size",
            "l",
            "selector",
            "show-events",
        ],
        "taint" => vec![
            "all",
            "dry-run",
            "field-manager",
            "overwrite",
            "l",
            "selector",
            "validate",
        ],
        "label" => vec![
            "all",
            "A",
            "all-namespaces",
            "dry-run",
            "field-manager",
            "field-selector",
            "list",
            "local",
            "overwrite",
            "resource-version",
            "l",
            "selector",
        ],
        "cordon" | "uncordon" => vec!["dry-run", "l", "selector"],
        "drain" => vec![
            "chunk-size",
            "delete-emptydir-data",
            "disable-eviction",
            "dry-run",
            "force",
            "grace-period",
            "ignore-daemonsets",
            "pod-selector",
            "l",
            "selector",
            "skip-wait-for-delete-timeout",
            "timeout",
        ],
        "delete" => vec![
            "all",
            "A",
            "all-namespaces",
            "cascade",
            "dry-run",
            "field-selector",
            "force",
            "grace-period",
            "ignore-not-found",
            "i",
            "interactive",
            "now",
            "raw",
            "l",
            "selector",
            "timeout",
            "wait",
        ],
        "apply" => vec![
            "all",
            "cascade",
            "dry-run",
            "field-manager",
            "force",
            "force-conflicts",
            "grace-period",
            "overwrite",
            "prune",
            "prune-allowlist",
            "l",
            "selector",
            "server-side",
            "timeout",
            "validate",
            "wait",
            "record",
            "applyset",
        ],
        "create" => vec![
            "dry-run",
            "edit",
            "field-manager",
            "raw",
            "record",
            "save-config",
            "l",
            "selector",
            "validate",
            "windows-line-endings",
        ],
        "set image" => vec![
            "all",
            "dry-run",
            "field-manager",
            "local",
            "record",
            "l",
            "selector",
        ],
        "rollout status" => vec!["revision", "l", "selector", "timeout", "w", "watch"],
        "rollout history" => vec!["revision", "l", "selector"],
        "rollout undo" => vec!["dry-run", "l", "selector", "to-revision"],
        "scale" => vec![
            "all",
            "current-replicas",
            "dry-run",
            "replicas",
            "resource-version",
            "l",
            "selector",
            "timeout",
        ],
        "edit" => vec![
            "field-manager",
            "output-patch",
            "save-config",
            "subresource",
            "validate",
            "windows-line-endings",
        ],
        "version" => vec!["client", "o", "output"],
        _ => return None,
    };
    let uses_print = !matches!(
        path,
        "describe" | "cordon" | "uncordon" | "drain" | "rollout status" | "version"
    );
    if uses_print {
        v.extend_from_slice(PRINT);
    }
    let uses_files = !matches!(path, "taint" | "cordon" | "uncordon" | "drain" | "version");
    if uses_files {
        v.extend_from_slice(FILES);
    }
    Some(v)
}

/// Refuse a flag the command does not have, in cobra's words. `path` is the command after
/// `kubectl` (`get`, `rollout status`, `set image`); unknown paths are left to the command.
pub fn check(path: &str, a: &Args) -> Result<(), Output> {
    let Some(allowed) = own(path) else {
        return Ok(());
    };
    for (i, (name, _)) in a.flags.iter().enumerate() {
        if global(name) || allowed.contains(&name.as_str()) {
            continue;
        }
        let spelled = a.spelled.get(i).map(String::as_str).unwrap_or("");
        let msg =
            if spelled.starts_with("--") || name.chars().count() > 1 && !spelled.starts_with('-') {
                format!("unknown flag: --{name}")
            } else {
                // A single dash: pflag reads shorthand letters one by one and names the first it
                // does not know.
                let letters = spelled.trim_start_matches('-');
                let first = letters
                    .chars()
                    .find(|ch| {
                        let s = ch.to_string();
                        !(global(&s) || allowed.contains(&s.as_str()))
                    })
                    .unwrap_or_else(|| name.chars().next().unwrap_or('?'));
                let word = spelled.split('=').next().unwrap_or(spelled);
                format!("unknown shorthand flag: '{first}' in {word}")
            };
        return Err(Output::err(format!(
            "error: {msg}\nSee 'kubectl {path} --help' for usage."
        )));
    }
    Ok(())
}
