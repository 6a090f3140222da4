//! The kubelet in the simulation: a bound pod's containers are pulled, created, started and made
//! Ready on the scenario's timing model; marked images fail to pull (`ErrImagePull`,
//! `ImagePullBackOff`) or crash (`CrashLoopBackOff`) with upstream's back-off (10 s doubling to
//! 5 min); deleted pods stop within terminationGracePeriodSeconds. Events use the kubelet's words.

use super::time::{timestamp, Millis, SECOND};
use super::{Cluster, ImageBehaviour, Key, Timed};
use k8s_openapi::api::core::v1::{
    ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
    ContainerStatus, Pod, PodCondition,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use std::collections::BTreeMap;

const BACKOFF_START: Millis = 10 * SECOND;
const BACKOFF_MAX: Millis = 300 * SECOND;

fn uid(p: &Pod) -> String {
    p.metadata.uid.clone().unwrap_or_default()
}

fn images(p: &Pod) -> Vec<(String, String)> {
    p.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .map(|c| (c.name.clone(), c.image.clone().unwrap_or_default()))
        .collect()
}

/// The DisruptionTarget condition a pod gets before it is deleted for a disruption (the
/// scheduler's preemption, the taint-eviction controller), with its reason and message.
pub(crate) fn set_disruption_target(p: &mut Pod, now: Millis, reason: &str, message: &str) {
    let st = p.status.get_or_insert_with(Default::default);
    let conds = st.conditions.get_or_insert_with(Vec::new);
    conds.retain(|c| c.type_ != "DisruptionTarget");
    conds.push(k8s_openapi::api::core::v1::PodCondition {
        type_: "DisruptionTarget".into(),
        status: "True".into(),
        reason: Some(reason.into()),
        message: Some(message.into()),
        last_transition_time: Some(timestamp(now)),
        ..Default::default()
    });
}

/// The order of a pod's conditions once its kubelet has written them: conditions others own
/// (DisruptionTarget) first, then the kubelet's in the order `generateAPIPodStatus` appends
/// them (pkg/kubelet/kubelet_pods.go; the status manager's `mergePodStatus` keeps it).
fn condition_rank(type_: &str) -> usize {
    match type_ {
        "PodReadyToStartContainers" => 1,
        "Initialized" => 2,
        "Ready" => 3,
        "ContainersReady" => 4,
        "PodScheduled" => 5,
        _ => 0,
    }
}

pub(crate) fn set_condition(p: &mut Pod, now: Millis, type_: &str, status: bool) {
    let st = p.status.get_or_insert_with(Default::default);
    let conds = st.conditions.get_or_insert_with(Vec::new);
    let value = if status { "True" } else { "False" };
    match conds.iter_mut().find(|c| c.type_ == type_) {
        Some(c) if c.status != value => {
            c.status = value.into();
            c.last_transition_time = Some(timestamp(now));
        }
        Some(_) => {}
        None => conds.push(PodCondition {
            type_: type_.into(),
            status: value.into(),
            last_transition_time: Some(timestamp(now)),
            ..Default::default()
        }),
    }
    // A stable sort: the order among the others' conditions is kept.
    conds.sort_by_key(|c| condition_rank(&c.type_));
}

fn set_containers(
    p: &mut Pod,
    state: impl Fn(&str) -> ContainerState,
    ready: bool,
    restart_bump: bool,
) {
    let names = images(p);
    let uid = uid(p);
    let st = p.status.get_or_insert_with(Default::default);
    let old = st.container_statuses.take().unwrap_or_default();
    st.container_statuses = Some(
        names
            .iter()
            .map(|(name, image)| {
                let prev = old.iter().find(|c| &c.name == name);
                let restarts = prev.map_or(0, |c| c.restart_count);
                // A container that just terminated is remembered as the last state.
                let last_state = match prev.and_then(|c| c.state.as_ref()) {
                    Some(s) if s.terminated.is_some() => Some(s.clone()),
                    _ => prev.and_then(|c| c.last_state.clone()),
                };
                let restart_count = restarts + i32::from(restart_bump);
                let state = state(name);
                // A container that exists has an ID, and its image the digest it was pulled at.
                let exists = state.running.is_some() || state.terminated.is_some();
                let (container_id, image_id) = if exists {
                    (
                        Some(format!(
                            "containerd://{}",
                            digest(&format!("{uid}/{name}/{restart_count}"))
                        )),
                        format!(
                            "{}@sha256:{}",
                            image.split(':').next().unwrap_or(image),
                            digest(image)
                        ),
                    )
                } else {
                    // Waiting to restart: the last container's IDs stay.
                    (
                        prev.and_then(|c| c.container_id.clone()),
                        prev.map(|c| c.image_id.clone()).unwrap_or_default(),
                    )
                };
                ContainerStatus {
                    name: name.clone(),
                    image: image.clone(),
                    image_id,
                    container_id,
                    ready,
                    restart_count,
                    started: Some(ready),
                    state: Some(state),
                    last_state,
                    ..Default::default()
                }
            })
            .collect(),
    );
}

/// 64 hex digits drawn from a string (FNV-1a, chained): stable IDs without using the seed.
fn digest(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut out = String::with_capacity(64);
    for round in 0..4u8 {
        for b in s.bytes().chain([round]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out
}

/// The node's InternalIP, else one made up from its position (`10.0.0.<10 + n>`).
fn node_ip(c: &Cluster, node: &str) -> String {
    let internal = c
        .nodes
        .get(node)
        .and_then(|n| n.status.as_ref())
        .and_then(|s| s.addresses.as_ref())
        .and_then(|a| a.iter().find(|x| x.type_ == "InternalIP"))
        .map(|x| x.address.clone());
    internal.unwrap_or_else(|| {
        let index = c.nodes.keys().position(|n| n == node).unwrap_or(0);
        format!("10.0.0.{}", 10 + index)
    })
}

fn set_host_ip(c: &Cluster, p: &mut Pod) {
    let Some(node) = p.spec.as_ref().and_then(|s| s.node_name.clone()) else {
        return;
    };
    let ip = node_ip(c, &node);
    if let Some(st) = p.status.as_mut() {
        st.host_ip = Some(ip.clone());
        st.host_ips = Some(vec![k8s_openapi::api::core::v1::HostIP { ip }]);
    }
}

fn waiting(reason: &str) -> impl Fn(&str) -> ContainerState + '_ {
    move |_| ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.into()),
            message: None,
        }),
        ..Default::default()
    }
}

fn pull_ms(c: &Cluster, image: &str) -> Millis {
    c.timing
        .image_pull_ms
        .get(image)
        .copied()
        .unwrap_or(c.timing.pull_ms)
}

fn behaviour(c: &Cluster, p: &Pod) -> Option<(ImageBehaviour, String, String)> {
    images(p)
        .into_iter()
        .find_map(|(name, image)| c.images.get(&image).map(|b| (*b, name, image)))
}

/// A pod was just bound: containers are being created and the first image is pulled.
pub fn start_bound_pod(c: &mut Cluster, key: &Key, p: &mut Pod) {
    let now = c.now;
    set_condition(p, now, "PodScheduled", true);
    // The sandbox is up (PodReadyToStartContainers, on by default since 1.29).
    set_condition(p, now, "PodReadyToStartContainers", true);
    set_condition(p, now, "Initialized", true);
    set_condition(p, now, "Ready", false);
    set_condition(p, now, "ContainersReady", false);
    set_containers(p, waiting("ContainerCreating"), false, false);
    if let Some(st) = p.status.as_mut() {
        st.phase = Some("Pending".into());
        st.start_time = Some(timestamp(now));
    }
    set_host_ip(c, p);
    pull(c, key, p);
}

fn pull(c: &mut Cluster, key: &Key, p: &Pod) {
    let (container, image) = images(p).into_iter().next().unwrap_or_default();
    c.container_event(
        p,
        &container,
        "Normal",
        "Pulling",
        format!("Pulling image {image:?}"),
    );
    let at = c.now + pull_ms(c, &image);
    c.schedule(
        at,
        Timed::Pulled {
            pod: key.clone(),
            uid: uid(p),
        },
    );
}

/// The pod's IP: the node's address for hostNetwork pods, else one from the node's pod range
/// (its podCIDR, else `10.244.<node>.<n>`), handed out in order.
fn pod_ip(c: &mut Cluster, p: &Pod) -> String {
    let node = p
        .spec
        .as_ref()
        .and_then(|s| s.node_name.clone())
        .unwrap_or_default();
    if p.spec
        .as_ref()
        .and_then(|s| s.host_network)
        .unwrap_or(false)
    {
        return node_ip(c, &node);
    }
    c.next_ip += 1;
    let host = 2 + c.next_ip % 250;
    // From the node's podCIDR (a /24 like `10.244.3.0/24`) when it has one, as the kubelet does.
    let cidr = c
        .nodes
        .get(&node)
        .and_then(|n| n.spec.as_ref())
        .and_then(|s| s.pod_cidr.as_deref())
        .and_then(|cidr| cidr.strip_suffix(".0/24"))
        .map(str::to_string);
    match cidr {
        Some(prefix) => format!("{prefix}.{host}"),
        None => {
            let index = c.nodes.keys().position(|n| *n == node).unwrap_or(0);
            format!("10.244.{index}.{host}")
        }
    }
}

/// A pod from the input that already runs on its node: Running and Ready from the start.
pub fn assume_running(c: &mut Cluster, p: &mut Pod) {
    let now = c.now;
    let ip = pod_ip(c, p);
    for t in ["PodScheduled", "Initialized", "ContainersReady", "Ready"] {
        set_condition(p, now, t, true);
    }
    set_containers(
        p,
        |_| ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(timestamp(now)),
            }),
            ..Default::default()
        },
        true,
        false,
    );
    if let Some(st) = p.status.as_mut() {
        st.phase = Some("Running".into());
        st.start_time = Some(timestamp(now));
        st.pod_ip = Some(ip.clone());
        st.pod_ips = Some(vec![k8s_openapi::api::core::v1::PodIP { ip }]);
    }
    set_host_ip(c, p);
}

/// The pod's timed event, if the pod it was planned for still exists and is not being deleted.
fn live(c: &Cluster, key: &Key, want_uid: &str) -> Option<Pod> {
    c.pods
        .get(key)
        .filter(|p| uid(p) == want_uid && p.metadata.deletion_timestamp.is_none())
        .filter(|p| {
            !matches!(
                p.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Failed" | "Succeeded")
            )
        })
        .cloned()
}

fn next_backoff(c: &mut Cluster, key: &Key) -> Millis {
    let rt = c.runtime.entry(key.clone()).or_default();
    rt.backoff_ms = if rt.backoff_ms == 0 {
        BACKOFF_START
    } else {
        (rt.backoff_ms * 2).min(BACKOFF_MAX)
    };
    rt.backoff_ms
}

fn readiness_delay(p: &Pod) -> Millis {
    p.spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .filter_map(|c| c.readiness_probe.as_ref())
        .map(|probe| Millis::from(probe.initial_delay_seconds.unwrap_or(0).max(0)) * SECOND)
        .max()
        .unwrap_or(0)
}

/// Handle one timed event.
pub fn handle(c: &mut Cluster, what: Timed) {
    let now = c.now;
    match what {
        Timed::Pulled { pod: key, uid } => {
            let Some(mut p) = live(c, &key, &uid) else {
                return;
            };
            if let Some((ImageBehaviour::PullFails, container, image)) = behaviour(c, &p) {
                c.container_event(&p, &container, "Warning", "Failed", format!("Failed to pull image {image:?}: rpc error: code = NotFound desc = failed to pull and unpack image {image:?}: not found"));
                c.container_event(
                    &p,
                    &container,
                    "Warning",
                    "Failed",
                    "Error: ErrImagePull".into(),
                );
                set_containers(&mut p, waiting("ErrImagePull"), false, false);
                c.pods.insert(key.clone(), p);
                let wait = next_backoff(c, &key);
                c.schedule(now + SECOND.min(wait), Timed::Retry { pod: key, uid });
                return;
            }
            for (container, image) in images(&p) {
                let d = pull_ms(c, &image);
                c.container_event(&p, &container, "Normal", "Pulled", format!("Successfully pulled image {image:?} in {} ({} including waiting). Image size: 52428800 bytes.", go_duration(d), go_duration(d)));
            }
            for (name, _) in images(&p) {
                c.container_event(
                    &p,
                    &name,
                    "Normal",
                    "Created",
                    format!("Created container: {name}"),
                );
            }
            c.schedule(now + c.timing.start_ms, Timed::Started { pod: key, uid });
        }
        Timed::Started { pod: key, uid } => {
            let Some(mut p) = live(c, &key, &uid) else {
                return;
            };
            for (name, _) in images(&p) {
                c.container_event(
                    &p,
                    &name,
                    "Normal",
                    "Started",
                    format!("Started container {name}"),
                );
            }
            set_containers(
                &mut p,
                |_| ContainerState {
                    running: Some(ContainerStateRunning {
                        started_at: Some(timestamp(now)),
                    }),
                    ..Default::default()
                },
                false,
                false,
            );
            let ip = pod_ip(c, &p);
            if let Some(st) = p.status.as_mut() {
                st.phase = Some("Running".into());
                if st.pod_ip.is_none() {
                    st.pod_ip = Some(ip.clone());
                    st.pod_ips = Some(vec![k8s_openapi::api::core::v1::PodIP { ip }]);
                }
            }
            let crashes = matches!(behaviour(c, &p), Some((ImageBehaviour::Crashes, ..)));
            let delay = readiness_delay(&p);
            c.pods.insert(key.clone(), p);
            if crashes {
                c.schedule(
                    now + c.timing.crash_after_ms,
                    Timed::Crashed {
                        pod: key.clone(),
                        uid: uid.clone(),
                    },
                );
                if delay >= c.timing.crash_after_ms {
                    return;
                }
            }
            c.schedule(now + delay, Timed::Ready { pod: key, uid });
        }
        Timed::Ready { pod: key, uid } => {
            let Some(mut p) = live(c, &key, &uid) else {
                return;
            };
            let running = p
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .is_some_and(|cs| {
                    cs.iter()
                        .all(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()))
                });
            if !running {
                return;
            }
            if let Some(cs) = p
                .status
                .as_mut()
                .and_then(|s| s.container_statuses.as_mut())
            {
                for c in cs {
                    c.ready = true;
                    c.started = Some(true);
                }
            }
            set_condition(&mut p, now, "ContainersReady", true);
            set_condition(&mut p, now, "Ready", true);
            // The back-off is kept: the kubelet only forgets it after a long stable run.
            c.pods.insert(key, p);
        }
        Timed::Crashed { pod: key, uid } => {
            let Some(mut p) = live(c, &key, &uid) else {
                return;
            };
            let Some((_, container, _)) = behaviour(c, &p) else {
                return;
            };
            let started: BTreeMap<String, Option<Time>> = p
                .status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .into_iter()
                .flatten()
                .map(|cs| {
                    let at = cs
                        .state
                        .as_ref()
                        .and_then(|s| s.running.as_ref())
                        .and_then(|r| r.started_at.clone());
                    (cs.name.clone(), at)
                })
                .collect();
            set_containers(
                &mut p,
                |name| ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: 1,
                        reason: Some("Error".into()),
                        started_at: started.get(name).cloned().flatten(),
                        finished_at: Some(timestamp(now)),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                false,
                true,
            );
            set_condition(&mut p, now, "ContainersReady", false);
            set_condition(&mut p, now, "Ready", false);
            c.container_event(
                &p,
                &container,
                "Warning",
                "BackOff",
                format!(
                    "Back-off restarting failed container {container} in pod {}_{}({uid})",
                    key.1, key.0
                ),
            );
            c.pods.insert(key.clone(), p);
            let wait = next_backoff(c, &key);
            if let Some(p) = c.pods.get_mut(&key) {
                set_containers(p, waiting("CrashLoopBackOff"), false, false);
            }
            c.schedule(now + wait, Timed::Retry { pod: key, uid });
        }
        Timed::Retry { pod: key, uid } => {
            let Some(mut p) = live(c, &key, &uid) else {
                return;
            };
            match behaviour(c, &p) {
                Some((ImageBehaviour::PullFails, container, image)) => {
                    let waiting_for = p
                        .status
                        .as_ref()
                        .and_then(|s| s.container_statuses.as_ref())
                        .and_then(|cs| cs.first())
                        .and_then(|c| c.state.as_ref())
                        .and_then(|s| s.waiting.as_ref())
                        .and_then(|w| w.reason.clone());
                    if waiting_for.as_deref() == Some("ErrImagePull") {
                        // The pull failed: wait out the back-off, showing ImagePullBackOff.
                        c.container_event(
                            &p,
                            &container,
                            "Normal",
                            "BackOff",
                            format!("Back-off pulling image {image:?}"),
                        );
                        c.container_event(
                            &p,
                            &container,
                            "Warning",
                            "Failed",
                            "Error: ImagePullBackOff".into(),
                        );
                        set_containers(&mut p, waiting("ImagePullBackOff"), false, false);
                        c.pods.insert(key.clone(), p);
                        let wait = c.runtime.get(&key).map_or(BACKOFF_START, |r| r.backoff_ms);
                        c.schedule(now + wait, Timed::Retry { pod: key, uid });
                    } else {
                        pull(c, &key, &p);
                    }
                }
                _ => {
                    for (name, image) in images(&p) {
                        c.container_event(
                            &p,
                            &name,
                            "Normal",
                            "Pulled",
                            format!("Container image {image:?} already present on machine"),
                        );
                        c.container_event(
                            &p,
                            &name,
                            "Normal",
                            "Created",
                            format!("Created container: {name}"),
                        );
                    }
                    c.schedule(now + c.timing.start_ms, Timed::Started { pod: key, uid });
                }
            }
        }
        Timed::Gone {
            pod: key,
            uid: want,
        } => {
            if c.pods.get(&key).is_some_and(|p| uid(p) == want) {
                c.pods.remove(&key);
                c.runtime.remove(&key);
            }
        }
        Timed::Resync { .. } => {}
        Timed::Evict {
            pod: key,
            uid: want,
        } => {
            let due = c.runtime.get(&key).and_then(|r| r.eviction_due);
            if due == Some(now) && live(c, &key, &want).is_some() {
                super::nodes::evict_for_taint(c, &key);
            }
        }
    }
}

/// The kubelet reports the pod Failed (its containers ended and will not restart), as after a
/// node-pressure eviction or an admission rejection.
pub fn fail_pod(c: &mut Cluster, key: &Key, reason: &str, message: &str) -> bool {
    let now = c.now;
    let Some(p) = c.pods.get_mut(key) else {
        return false;
    };
    if p.metadata.deletion_timestamp.is_some() {
        return false;
    }
    // An evicted pod's containers are not ready; their last known state is kept, so kubectl
    // shows the pod's reason (`Evicted`).
    if let Some(cs) = p
        .status
        .as_mut()
        .and_then(|s| s.container_statuses.as_mut())
    {
        for c in cs {
            c.ready = false;
            if c.state.as_ref().is_some_and(|s| s.waiting.is_some()) {
                c.state = None;
            }
        }
    }
    set_condition(p, now, "Ready", false);
    set_condition(p, now, "ContainersReady", false);
    if let Some(st) = p.status.as_mut() {
        st.phase = Some("Failed".into());
        st.reason = Some(reason.into());
        st.message = Some(message.into());
    }
    c.settle();
    true
}

/// Delete a pod: an unbound pod goes at once; a bound one is Terminating until its containers
/// stop (the scenario's stop time, at most terminationGracePeriodSeconds; 0 means at once).
pub fn delete_pod(c: &mut Cluster, key: &Key, grace_seconds: Option<i64>) {
    let now = c.now;
    let Some(p) = c.pods.get_mut(key) else { return };
    if p.metadata.deletion_timestamp.is_some() {
        return;
    }
    let bound = p
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .is_some_and(|n| !n.is_empty());
    // A pod whose containers already ended has nothing to stop.
    let finished = matches!(
        p.status.as_ref().and_then(|s| s.phase.as_deref()),
        Some("Failed" | "Succeeded")
    );
    let grace = grace_seconds
        .or_else(|| {
            p.spec
                .as_ref()
                .and_then(|s| s.termination_grace_period_seconds)
        })
        .unwrap_or(30)
        .max(0);
    if !bound || grace == 0 || finished {
        c.pods.remove(key);
        c.runtime.remove(key);
        return;
    }
    p.metadata.deletion_timestamp = Some(timestamp(now));
    p.metadata.deletion_grace_period_seconds = Some(grace);
    let names: Vec<String> = images(p).into_iter().map(|(n, _)| n).collect();
    let uid = uid(p);
    let pod = p.clone();
    for n in names {
        c.container_event(
            &pod,
            &n,
            "Normal",
            "Killing",
            format!("Stopping container {n}"),
        );
    }
    let stop = c.timing.stop_ms.min(grace.saturating_mul(SECOND));
    c.schedule(
        now.saturating_add(stop),
        Timed::Gone {
            pod: key.clone(),
            uid,
        },
    );
}

/// Go's `time.Duration` printing for whole milliseconds: `2s`, `1.5s`, `250ms`, `1m30s`.
pub fn go_duration(ms: Millis) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < SECOND {
        return format!("{ms}ms");
    }
    let mins = ms / 60_000;
    let rem = ms % 60_000;
    let secs = if rem % 1000 == 0 {
        format!("{}s", rem / 1000)
    } else {
        let s = format!("{}.{:03}", rem / 1000, rem % 1000);
        format!("{}s", s.trim_end_matches('0'))
    };
    if mins == 0 {
        secs
    } else if mins < 60 {
        format!("{mins}m{secs}")
    } else {
        format!("{}h{}m{secs}", mins / 60, mins % 60)
    }
}
