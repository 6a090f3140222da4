//! Where a DaemonSet's pods go, decided as upstream decides it: the DaemonSet controller picks the
//! nodes that should run a pod ([`controller`]), and the default scheduler's filters decide whether
//! the pinned pod can bind there ([`scheduler`]).

pub mod controller;
pub mod nodeaffinity;
pub mod resources;
pub mod scheduler;
pub mod taints;

#[cfg(test)]
pub(crate) mod testutil;
