//! Synthetic clusters for benchmarks and scale tests, drawn from a seed.
//!
//! The node dump looks like `kubectl get nodes -o json` from a real cluster: labels, taints,
//! conditions, capacity, allocatable, addresses, images and node info, about 5 KB per node.

use crate::rng::Rng;
use std::fmt::Write;

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const TYPES: [&str; 4] = ["m5.xlarge", "m5.2xlarge", "c5.4xlarge", "p3.2xlarge"];

/// The same `NodeList` as [`node_list_json`], as `kubectl get nodes -o yaml` would print it.
pub fn node_list_yaml(count: usize, seed: u64) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&node_list_json(count, seed)).unwrap_or_default();
    crate::print::yaml::to_string(&v)
}

/// A `NodeList` JSON of `count` nodes.
pub fn node_list_json(count: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(count * 5200);
    out.push_str("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n");
    for i in 0..count {
        let name = format!("ip-10-0-{}-{}.ec2.internal", i / 250, i % 250);
        let zone = ZONES[rng.below(3)];
        let ty = TYPES[rng.below(4)];
        let control_plane = i < 3;
        let gpu = ty.starts_with('p');
        let mut taints = Vec::new();
        if control_plane {
            taints.push(
                r#"{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}"#
                    .to_string(),
            );
        }
        if gpu {
            taints.push(
                r#"{"effect": "NoSchedule", "key": "nvidia.com/gpu", "value": "present"}"#
                    .to_string(),
            );
        }
        if rng.below(50) == 0 {
            taints.push(
                r#"{"effect": "NoExecute", "key": "dedicated", "value": "batch"}"#.to_string(),
            );
        }
        let cpu = [4, 8, 16][rng.below(3)];
        let mem_ki = cpu * 4 * 1024 * 1024;
        if i > 0 {
            out.push_str(",\n");
        }
        let _ = write!(
            out,
            r#"        {{
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {{
                "annotations": {{
                    "alpha.kubernetes.io/provided-node-ip": "10.0.{a}.{b}",
                    "node.alpha.kubernetes.io/ttl": "0",
                    "volumes.kubernetes.io/controller-managed-attach-detach": "true"
                }},
                "creationTimestamp": "2026-01-0{day}T10:00:00Z",
                "labels": {{
                    "beta.kubernetes.io/arch": "amd64",
                    "beta.kubernetes.io/instance-type": "{ty}",
                    "beta.kubernetes.io/os": "linux",
                    "failure-domain.beta.kubernetes.io/region": "us-east-1",
                    "failure-domain.beta.kubernetes.io/zone": "{zone}",
                    "kubernetes.io/arch": "amd64",
                    "kubernetes.io/hostname": "{name}",
                    "kubernetes.io/os": "linux",
                    "node.kubernetes.io/instance-type": "{ty}",
                    "topology.kubernetes.io/region": "us-east-1",
                    "topology.kubernetes.io/zone": "{zone}"{role}{gpu_label}
                }},
                "name": "{name}",
                "resourceVersion": "{rv}",
                "uid": "{uid:08x}-0000-4000-8000-{uid2:012x}"
            }},
            "spec": {{
                "podCIDR": "10.244.{a}.0/24",
                "podCIDRs": ["10.244.{a}.0/24"],
                "providerID": "aws:///{zone}/i-{uid2:017x}"{taints}
            }},
            "status": {{
                "addresses": [
                    {{"address": "10.0.{a}.{b}", "type": "InternalIP"}},
                    {{"address": "{name}", "type": "InternalDNS"}},
                    {{"address": "{name}", "type": "Hostname"}}
                ],
                "allocatable": {{"cpu": "{alloc_cpu}m", "ephemeral-storage": "95491020Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "{alloc_mem}Ki", "pods": "110"{gpu_res}}},
                "capacity": {{"cpu": "{cpu}", "ephemeral-storage": "104845292Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0", "memory": "{mem_ki}Ki", "pods": "110"{gpu_res}}},
                "conditions": [
                    {{"lastHeartbeatTime": "2026-11-27T10:00:00Z", "lastTransitionTime": "2026-01-01T10:00:00Z", "message": "kubelet has sufficient memory available", "reason": "KubeletHasSufficientMemory", "status": "False", "type": "MemoryPressure"}},
                    {{"lastHeartbeatTime": "2026-11-27T10:00:00Z", "lastTransitionTime": "2026-01-01T10:00:00Z", "message": "kubelet has no disk pressure", "reason": "KubeletHasNoDiskPressure", "status": "False", "type": "DiskPressure"}},
                    {{"lastHeartbeatTime": "2026-11-27T10:00:00Z", "lastTransitionTime": "2026-01-01T10:00:00Z", "message": "kubelet has sufficient PID available", "reason": "KubeletHasSufficientPID", "status": "False", "type": "PIDPressure"}},
                    {{"lastHeartbeatTime": "2026-11-27T10:00:00Z", "lastTransitionTime": "2026-01-01T10:00:00Z", "message": "kubelet is posting ready status", "reason": "KubeletReady", "status": "True", "type": "Ready"}}
                ],
                "daemonEndpoints": {{"kubeletEndpoint": {{"Port": 10250}}}},
                "images": [
                    {{"names": ["registry.k8s.io/kube-proxy@sha256:{h1:016x}{h1:016x}{h1:016x}{h1:016x}", "registry.k8s.io/kube-proxy:v1.35.0"], "sizeBytes": 30000000}},
                    {{"names": ["docker.io/fluent/fluentd-kubernetes-daemonset@sha256:{h2:016x}{h2:016x}{h2:016x}{h2:016x}", "docker.io/fluent/fluentd-kubernetes-daemonset:v1-debian-elasticsearch"], "sizeBytes": 180000000}},
                    {{"names": ["registry.k8s.io/pause@sha256:{h3:016x}{h3:016x}{h3:016x}{h3:016x}", "registry.k8s.io/pause:3.10"], "sizeBytes": 320000}}
                ],
                "nodeInfo": {{"architecture": "amd64", "bootID": "{uid:08x}-1111-4000-8000-{uid2:012x}", "containerRuntimeVersion": "containerd://2.1.0", "kernelVersion": "6.8.0-1019-aws", "kubeProxyVersion": "", "kubeletVersion": "v1.35.0", "machineID": "{uid2:032x}", "operatingSystem": "linux", "osImage": "Ubuntu 24.04.1 LTS", "systemUUID": "ec2{uid:05x}-0000-0000-0000-{uid2:012x}"}}
            }}
        }}"#,
            a = i / 250,
            b = i % 250,
            day = 1 + i % 9,
            rv = 100_000 + i,
            uid = rng.next_u64() as u32,
            uid2 = rng.next_u64() & 0xffff_ffff_ffff,
            h1 = rng.next_u64(),
            h2 = rng.next_u64(),
            h3 = rng.next_u64(),
            role = if control_plane {
                ",\n                    \"node-role.kubernetes.io/control-plane\": \"\""
            } else {
                ""
            },
            gpu_label = if gpu {
                ",\n                    \"nvidia.com/gpu.present\": \"true\""
            } else {
                ""
            },
            gpu_res = if gpu {
                ", \"nvidia.com/gpu\": \"1\""
            } else {
                ""
            },
            taints = if taints.is_empty() {
                String::new()
            } else {
                format!(",\n                \"taints\": [{}]", taints.join(", "))
            },
            alloc_cpu = cpu * 1000 - 90,
            alloc_mem = mem_ki - 500_000,
        );
    }
    out.push_str(
        "\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\"resourceVersion\": \"\"}\n}\n",
    );
    out
}

/// A DaemonSet with required node affinity and six tolerations, for the explain benchmark.
pub const BENCH_DAEMON_SET: &str = r#"apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels: {app: node-exporter}
  template:
    metadata:
      labels: {app: node-exporter}
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: kubernetes.io/os, operator: In, values: [linux]}
              - {key: topology.kubernetes.io/zone, operator: In, values: [us-east-1a, us-east-1b, us-east-1c]}
              - {key: node.kubernetes.io/exclude-from-monitoring, operator: DoesNotExist}
      tolerations:
      - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
      - {key: node-role.kubernetes.io/master, operator: Exists, effect: NoSchedule}
      - {key: nvidia.com/gpu, operator: Equal, value: present, effect: NoSchedule}
      - {key: dedicated, operator: Equal, value: infra, effect: NoSchedule}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
      - {key: example.com/maintenance, operator: Exists}
      hostNetwork: true
      containers:
      - name: node-exporter
        image: quay.io/prometheus/node-exporter:v1.8.2
        ports:
        - {containerPort: 9100, hostPort: 9100, name: metrics}
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {memory: 128Mi}
"#;

/// Three DaemonSets for the engine benchmark: a log agent everywhere (tolerating everything), a
/// monitoring agent on Linux nodes, and a GPU plugin on GPU nodes only.
pub fn bench_daemon_sets() -> String {
    let ds = |name: &str, extra: &str| {
        format!(
            "---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: {name}, namespace: kube-system}}\nspec:\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n{extra}      containers: [{{name: {name}, image: 'example.com/{name}:1.0', resources: {{requests: {{cpu: 50m, memory: 64Mi}}}}}}]\n"
        )
    };
    [
        ds("log-agent", "      tolerations: [{operator: Exists}]\n"),
        ds("node-exporter", "      nodeSelector: {kubernetes.io/os: linux}\n"),
        ds("gpu-plugin", "      nodeSelector: {nvidia.com/gpu.present: 'true'}\n      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]\n"),
    ]
    .concat()
}

/// The rollout benchmark's DaemonSet: everywhere (tolerates every taint), RollingUpdate with
/// `maxUnavailable: 10%`, image `example.com/log-agent:<tag>`.
pub fn rollout_daemon_set(tag: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: log-agent, namespace: kube-system}}\nspec:\n  selector: {{matchLabels: {{app: log-agent}}}}\n  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate: {{maxUnavailable: 10%}}\n  template:\n    metadata: {{labels: {{app: log-agent}}}}\n    spec:\n      tolerations: [{{operator: Exists}}]\n      containers: [{{name: agent, image: 'example.com/log-agent:{tag}', resources: {{requests: {{cpu: 50m, memory: 64Mi}}}}}}]\n"
    )
}

/// A cluster of `nodes` generated nodes running [`rollout_daemon_set`] at tag `1.0`, settled:
/// the starting point of the rollout benchmark.
pub fn rollout_cluster(nodes: usize) -> crate::engine::Cluster {
    let mut objects = crate::load(&node_list_json(nodes, 42)).objects;
    objects.daemon_sets = crate::load(&rollout_daemon_set("1.0")).objects.daemon_sets;
    let mut cluster = crate::engine::Cluster::new(1);
    cluster.apply_objects(&objects);
    cluster.run_to_steady_state(3_600_000);
    cluster
}

/// Start the benchmark's rollout (`kubectl set image` to tag `2.0`) and run it to completion;
/// returns the virtual time it took in milliseconds.
pub fn run_rollout(cluster: &mut crate::engine::Cluster) -> i64 {
    let out = crate::kubectl::run(
        cluster,
        "kubectl -n kube-system set image ds/log-agent agent=example.com/log-agent:2.0",
        &|_| Err("no files".into()),
    );
    debug_assert!(out.ok, "{}", out.text());
    cluster.run_to_steady_state(24 * 3_600_000)
}

/// The preemption benchmark's cluster: `nodes` generated nodes, each already full with
/// `per_node` running pods of a low PriorityClass (together they request the node's allocatable
/// cpu), and a `system-node-critical` DaemonSet requesting 300m: every daemon pod must preempt.
pub fn preemption_objects(nodes: usize, per_node: usize) -> crate::input::Objects {
    let mut objects = crate::load(&node_list_json(nodes, 42)).objects;
    let mut yaml = String::from(
        "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: batch-low}\nvalue: 100\n",
    );
    for n in &objects.nodes {
        let name = n.metadata.name.clone().unwrap_or_default();
        let alloc = crate::placement::resources::node_allocatable(n);
        let cpu_m = alloc
            .get(crate::placement::resources::CPU)
            .copied()
            .unwrap_or(1000);
        let each = (cpu_m / per_node as i64).max(1);
        for i in 0..per_node {
            let _ = write!(
                yaml,
                "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: batch-{name}-{i}, labels: {{app: batch}}}}\nspec:\n  nodeName: {name}\n  priorityClassName: batch-low\n  containers: [{{name: c, image: busybox, resources: {{requests: {{cpu: {each}m}}}}}}]\n"
            );
        }
    }
    yaml.push_str("---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: critical-agent, namespace: kube-system}\nspec:\n  selector: {matchLabels: {app: critical-agent}}\n  template:\n    metadata: {labels: {app: critical-agent}}\n    spec:\n      priorityClassName: system-node-critical\n      tolerations: [{operator: Exists}]\n      containers: [{name: agent, image: 'example.com/agent:1.0', resources: {requests: {cpu: 300m}}}]\n");
    let more = crate::load(&yaml).objects;
    objects.priority_classes = more.priority_classes;
    objects.pods = more.pods;
    objects.daemon_sets = more.daemon_sets;
    objects
}

/// Run the preemption benchmark: apply everything, then run until the cluster settles. Returns the
/// cluster (for its numbers) and the virtual time it took.
pub fn run_preemption(objects: &crate::input::Objects) -> (crate::engine::Cluster, i64) {
    let mut cluster = crate::engine::Cluster::new(1);
    cluster.apply_objects(objects);
    let virtual_ms = cluster.run_to_steady_state(3_600_000);
    (cluster, virtual_ms)
}
