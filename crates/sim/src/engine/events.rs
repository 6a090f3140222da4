//! Events as `kubectl get events` lists them: repeated events are folded into one with a count,
//! as the API server's event aggregation does.

use super::time::{timestamp, Millis, EPOCH_SECONDS};
use serde::Serialize;

/// A stable uid for an Event object, made from its name (the simulation gives API objects uids
/// from one counter; events are made when read, so theirs come from what identifies them).
fn event_uid(e: &EventRecord) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in e.event_name().bytes().chain(e.namespace.bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let g = h.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15;
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xfff,
        g & 0xfff,
        g >> 16
    )
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRecord {
    pub first_seen: Millis,
    pub last_seen: Millis,
    pub count: u32,
    /// `Normal` or `Warning`.
    pub type_: &'static str,
    pub reason: &'static str,
    /// The involved object: kind (`Pod`, `DaemonSet`, `Node`), namespace ("" for nodes), name.
    pub kind: &'static str,
    pub namespace: String,
    pub name: String,
    pub message: String,
    /// The involved object's uid when the event was recorded.
    pub uid: String,
    /// The container a kubelet event is about (`involvedObject.fieldPath`
    /// `spec.containers{name}`).
    pub container: Option<String>,
    /// The node whose kubelet recorded the event (`source.host`); empty for controllers.
    pub host: String,
    /// The API server's resourceVersion of the Event object: each write takes the next one.
    pub resource_version: u64,
}

/// The component that records each event, and whether it uses the `events.k8s.io/v1` API (the
/// scheduler's `events.EventRecorder`) rather than the core `v1` recorder (`record.EventRecorder`)
/// that the controllers and the kubelet use.
pub fn reporter(reason: &str) -> (&'static str, bool) {
    match reason {
        // pkg/scheduler/schedule_one.go (Scheduled, FailedScheduling),
        // pkg/scheduler/framework/preemption/preemption.go (Preempted).
        "Scheduled" | "FailedScheduling" | "Preempted" => ("default-scheduler", true),
        // pkg/controller/daemon/daemon_controller.go.
        "SuccessfulCreate" | "SuccessfulDelete" | "FailedCreate" | "FailedDaemonPod"
        | "SucceededDaemonPod" | "SelectingAll" => ("daemonset-controller", false),
        // pkg/controller/tainteviction/taint_eviction.go.
        "TaintManagerEviction" => ("taint-eviction-controller", false),
        // MarkPodsNotReady (pkg/controller/util/node/controller_utils.go) on pods;
        // RecordNodeStatusChange and RecordNodeEvent in the node lifecycle controller on nodes.
        "NodeNotReady" | "RegisteredNode" | "RemovingNode" => ("node-controller", false),
        // The kubelet's node status (NodeReady) and its pod and container events.
        _ => ("kubelet", false),
    }
}

/// The scheduler's `action` for each of its reasons (the fifth argument of its `Eventf` calls).
fn scheduler_action(reason: &str) -> &'static str {
    match reason {
        "Scheduled" => "Binding",
        "Preempted" => "Preempting",
        _ => "Scheduling",
    }
}

impl EventRecord {
    /// `kind/name` as the OBJECT column prints it (`pod/fluentd-x2k9f`, `daemonset/fluentd`).
    pub fn object(&self) -> String {
        format!("{}/{}", self.kind.to_lowercase(), self.name)
    }

    /// The recording component (`source.component`, or `reportingComponent` for the scheduler).
    pub fn component(&self) -> &'static str {
        reporter(self.reason).0
    }

    /// The Event's name: the involved object's name and the first time in nanoseconds, in hex
    /// (`fmt.Sprintf("%v.%x", ref.Name, t.UnixNano())` in client-go's recorders).
    pub fn event_name(&self) -> String {
        let millis = (EPOCH_SECONDS * 1000).saturating_add(self.first_seen);
        let nanos = u64::try_from(millis).unwrap_or(0).saturating_mul(1_000_000);
        format!("{}.{nanos:x}", self.name)
    }

    /// The Event's namespace: the involved object's, or `default` for cluster-scoped objects
    /// (client-go's recorders use `metav1.NamespaceDefault` when the reference has none).
    pub fn event_namespace(&self) -> &str {
        if self.namespace.is_empty() {
            "default"
        } else {
            &self.namespace
        }
    }

    /// The `v1` `Event` the API server would return for this record, as `kubectl get events -o
    /// json` prints it: the core `v1` recorder fills `source`, `firstTimestamp`, `lastTimestamp`
    /// and `count`; an `events.k8s.io/v1` event (the scheduler's) has `eventTime`, `action`,
    /// a `series` once it repeats, and null first/last timestamps. `scheduler_host` is the host
    /// part of the scheduler's `reportingInstance` (`<component>-<hostname>`).
    pub fn to_api(&self, scheduler_host: &str) -> serde_json::Value {
        use k8s_openapi::api::core::v1::{Event, EventSeries, EventSource, ObjectReference};
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
        let (component, new_api) = reporter(self.reason);
        let micro = |t: Millis| {
            MicroTime(
                k8s_openapi::jiff::Timestamp::from_millisecond(
                    (EPOCH_SECONDS * 1000).saturating_add(t),
                )
                .unwrap_or(k8s_openapi::jiff::Timestamp::UNIX_EPOCH),
            )
        };
        let version = match self.kind {
            "DaemonSet" | "ControllerRevision" => "apps/v1",
            _ => "v1",
        };
        let mut e = Event {
            metadata: ObjectMeta {
                name: Some(self.event_name()),
                namespace: Some(self.event_namespace().to_string()),
                uid: Some(event_uid(self)),
                resource_version: Some(self.resource_version.to_string()),
                creation_timestamp: Some(timestamp(self.first_seen)),
                ..ObjectMeta::default()
            },
            involved_object: ObjectReference {
                api_version: Some(version.into()),
                kind: Some(self.kind.into()),
                name: Some(self.name.clone()),
                namespace: (!self.namespace.is_empty()).then(|| self.namespace.clone()),
                uid: (!self.uid.is_empty()).then(|| self.uid.clone()),
                field_path: self
                    .container
                    .as_ref()
                    .map(|c| format!("spec.containers{{{c}}}")),
                ..ObjectReference::default()
            },
            reason: Some(self.reason.into()),
            message: Some(self.message.clone()),
            type_: Some(self.type_.into()),
            reporting_component: Some(component.into()),
            ..Event::default()
        };
        if new_api {
            e.event_time = Some(micro(self.first_seen));
            e.action = Some(scheduler_action(self.reason).into());
            e.reporting_instance = Some(format!("{component}-{scheduler_host}"));
            e.source = Some(EventSource::default());
            if self.count > 1 {
                e.series = Some(EventSeries {
                    count: Some(self.count as i32),
                    last_observed_time: Some(micro(self.last_seen)),
                });
            }
        } else {
            e.first_timestamp = Some(timestamp(self.first_seen));
            e.last_timestamp = Some(timestamp(self.last_seen));
            e.count = Some(self.count as i32);
            e.reporting_instance = Some(self.host.clone());
            e.source = Some(EventSource {
                component: Some(component.into()),
                host: (!self.host.is_empty()).then(|| self.host.clone()),
            });
        }
        let mut v = serde_json::to_value(&e).unwrap_or_default();
        // Go's zero `metav1.Time` and `MicroTime` are written as null, omitempty or not.
        if let Some(m) = v.as_object_mut() {
            for k in ["eventTime", "firstTimestamp", "lastTimestamp"] {
                m.entry(k).or_insert(serde_json::Value::Null);
            }
        }
        v
    }
}

/// The event log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EventLog {
    pub records: Vec<EventRecord>,
    /// The last resourceVersion given to an Event write.
    pub revision: u64,
}

/// The object an event is about, as the recorder's `ObjectReference` names it.
#[derive(Clone, Debug, Default)]
pub struct Involved {
    /// `Pod`, `DaemonSet`, `Node`.
    pub kind: &'static str,
    /// "" for cluster-scoped objects.
    pub namespace: String,
    pub name: String,
    pub uid: String,
    /// For a kubelet event about one container.
    pub container: Option<String>,
    /// The node whose kubelet records it ("" for controllers).
    pub host: String,
}

impl EventLog {
    /// Record an event. An identical one (same object, container, reason and message) among the
    /// recent ones is counted instead, as client-go's `EventCorrelator` does.
    pub fn emit(
        &mut self,
        now: Millis,
        type_: &'static str,
        reason: &'static str,
        about: Involved,
        message: String,
    ) {
        self.revision += 1;
        let revision = self.revision;
        if let Some(e) = self.records.iter_mut().rev().take(64).find(|e| {
            e.kind == about.kind
                && e.reason == reason
                && e.name == about.name
                && e.namespace == about.namespace
                && e.container == about.container
                && e.message == message
        }) {
            e.count += 1;
            e.last_seen = now;
            e.resource_version = revision;
            return;
        }
        self.records.push(EventRecord {
            first_seen: now,
            last_seen: now,
            count: 1,
            type_,
            reason,
            kind: about.kind,
            namespace: about.namespace,
            name: about.name,
            message,
            uid: about.uid,
            container: about.container,
            host: about.host,
            resource_version: revision,
        });
    }

    /// Events about one object, oldest first.
    pub fn about<'a>(
        &'a self,
        kind: &'a str,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a EventRecord> + 'a {
        self.records
            .iter()
            .filter(move |e| e.kind == kind && e.namespace == namespace && e.name == name)
    }
}
