//! The kinds a Kubernetes 1.35 API server serves, by group/version, and what the playground does
//! with each: simulate it, or accept it as valid and set it aside. The list follows the resources
//! registered by the API server's storage providers (`pkg/registry/*/rest/storage_*.go`) that are
//! enabled by default in 1.35; a kind in an API version that is no longer served (for example
//! `extensions/v1beta1` DaemonSets or `policy/v1beta1` PodSecurityPolicies) is not in it, so it
//! gets kubectl's `no matches for kind` error.

/// What happens to an object of a given apiVersion and kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Served {
    /// Decoded, defaulted, validated and simulated.
    Simulated,
    /// Valid Kubernetes that the playground does not simulate.
    SetAside,
    /// A CustomResourceDefinition: set aside, and its kinds become known.
    Definition,
    /// Not a built-in kind at this version: a custom resource, or unknown.
    Unknown,
}

/// Kinds the playground simulates, with their one served apiVersion.
const SIMULATED: &[(&str, &str)] = &[
    ("Node", "v1"),
    ("DaemonSet", "apps/v1"),
    ("Pod", "v1"),
    ("PriorityClass", "scheduling.k8s.io/v1"),
    ("Namespace", "v1"),
    ("PodDisruptionBudget", "policy/v1"),
];

/// Built-in kinds a 1.35 cluster serves that the playground accepts and sets aside, with every
/// apiVersion they are served at by default.
const NOT_SIMULATED: &[(&str, &[&str])] = &[
    ("Binding", &["v1"]),
    ("ConfigMap", &["v1"]),
    ("Endpoints", &["v1"]),
    ("Event", &["v1", "events.k8s.io/v1"]),
    ("LimitRange", &["v1"]),
    ("PersistentVolume", &["v1"]),
    ("PersistentVolumeClaim", &["v1"]),
    ("PodTemplate", &["v1"]),
    ("ReplicationController", &["v1"]),
    ("ResourceQuota", &["v1"]),
    ("Secret", &["v1"]),
    ("Service", &["v1"]),
    ("ServiceAccount", &["v1"]),
    (
        "MutatingWebhookConfiguration",
        &["admissionregistration.k8s.io/v1"],
    ),
    (
        "ValidatingWebhookConfiguration",
        &["admissionregistration.k8s.io/v1"],
    ),
    (
        "ValidatingAdmissionPolicy",
        &["admissionregistration.k8s.io/v1"],
    ),
    (
        "ValidatingAdmissionPolicyBinding",
        &["admissionregistration.k8s.io/v1"],
    ),
    ("APIService", &["apiregistration.k8s.io/v1"]),
    ("ControllerRevision", &["apps/v1"]),
    ("Deployment", &["apps/v1"]),
    ("ReplicaSet", &["apps/v1"]),
    ("StatefulSet", &["apps/v1"]),
    (
        "HorizontalPodAutoscaler",
        &["autoscaling/v2", "autoscaling/v1"],
    ),
    ("CronJob", &["batch/v1"]),
    ("Job", &["batch/v1"]),
    ("CertificateSigningRequest", &["certificates.k8s.io/v1"]),
    ("Lease", &["coordination.k8s.io/v1"]),
    ("EndpointSlice", &["discovery.k8s.io/v1"]),
    ("FlowSchema", &["flowcontrol.apiserver.k8s.io/v1"]),
    (
        "PriorityLevelConfiguration",
        &["flowcontrol.apiserver.k8s.io/v1"],
    ),
    ("Ingress", &["networking.k8s.io/v1"]),
    ("IngressClass", &["networking.k8s.io/v1"]),
    ("NetworkPolicy", &["networking.k8s.io/v1"]),
    ("IPAddress", &["networking.k8s.io/v1"]),
    ("ServiceCIDR", &["networking.k8s.io/v1"]),
    ("RuntimeClass", &["node.k8s.io/v1"]),
    ("ClusterRole", &["rbac.authorization.k8s.io/v1"]),
    ("ClusterRoleBinding", &["rbac.authorization.k8s.io/v1"]),
    ("Role", &["rbac.authorization.k8s.io/v1"]),
    ("RoleBinding", &["rbac.authorization.k8s.io/v1"]),
    ("DeviceClass", &["resource.k8s.io/v1"]),
    ("ResourceClaim", &["resource.k8s.io/v1"]),
    ("ResourceClaimTemplate", &["resource.k8s.io/v1"]),
    ("ResourceSlice", &["resource.k8s.io/v1"]),
    ("CSIDriver", &["storage.k8s.io/v1"]),
    ("CSINode", &["storage.k8s.io/v1"]),
    ("CSIStorageCapacity", &["storage.k8s.io/v1"]),
    ("StorageClass", &["storage.k8s.io/v1"]),
    ("VolumeAttachment", &["storage.k8s.io/v1"]),
    ("VolumeAttributesClass", &["storage.k8s.io/v1"]),
];

pub(crate) const CRD_KIND: &str = "CustomResourceDefinition";
pub(crate) const CRD_API_VERSION: &str = "apiextensions.k8s.io/v1";

pub(crate) fn lookup(api_version: &str, kind: &str) -> Served {
    if SIMULATED
        .iter()
        .any(|&(k, v)| k == kind && v == api_version)
    {
        Served::Simulated
    } else if kind == CRD_KIND && api_version == CRD_API_VERSION {
        Served::Definition
    } else if NOT_SIMULATED
        .iter()
        .any(|&(k, vs)| k == kind && vs.contains(&api_version))
    {
        Served::SetAside
    } else {
        Served::Unknown
    }
}

/// The apiVersion a built-in kind is served at (the preferred one when there are several).
pub(crate) fn served_version(kind: &str) -> Option<&'static str> {
    if kind == CRD_KIND {
        return Some(CRD_API_VERSION);
    }
    SIMULATED
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, v)| *v)
        .or_else(|| {
            NOT_SIMULATED
                .iter()
                .find(|(k, _)| *k == kind)
                .and_then(|(_, vs)| vs.first().copied())
        })
}
