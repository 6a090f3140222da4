//! The examples the playground starts from, read from `examples/` at build time so the CLI, the
//! tests and the page share one copy.

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub workloads: &'static str,
    pub cluster: &'static str,
}

pub const DEFAULT: Example = Example {
    id: "logging-agent",
    title: "A logging agent on every node",
    workloads: include_str!("../../examples/logging-agent/daemonset.yaml"),
    cluster: include_str!("../../examples/logging-agent/nodes.yaml"),
};
