//! The examples the page's gallery offers, read from `examples/` at build time so the CLI, the
//! tests and the page share one copy.

use super::exercise::{Exercise, Goal};
use super::{Playground, Step, CLUSTER, EDITORS, WORKLOADS};
use crate::input::{load_sources, split_documents, Source};

/// Where an entry sits in the gallery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Group {
    /// A lesson of the course through the seed article, in order.
    Course,
    /// A scenario to explore freely.
    Example,
}

pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence on what it shows.
    pub summary: &'static str,
    pub group: Group,
    /// The article's topic it belongs to (a few words).
    pub topic: &'static str,
    /// `(file name, text)`: the example's manifests.
    pub files: &'static [(&'static str, &'static str)],
    /// Extra steps as a `dsim run` script (comments become the steps' notes).
    pub script: &'static str,
    /// A file the script applies itself: it goes to the workloads editor but the cluster does not
    /// start with it.
    pub applied_by_script: Option<&'static str>,
    /// More files the script applies, kept by their names (the page shows each under the step
    /// that applies it).
    pub script_files: &'static [(&'static str, &'static str)],
    /// The lesson that follows this one.
    pub next: Option<&'static str>,
    pub exercise: Option<Exercise>,
}

/// The fields most entries leave empty.
const BLANK: Example = Example {
    id: "",
    title: "",
    summary: "",
    group: Group::Example,
    topic: "",
    files: &[],
    script: "",
    applied_by_script: None,
    script_files: &[],
    next: None,
    exercise: None,
};

macro_rules! file {
    ($dir:literal, $name:literal) => {
        (
            $name,
            include_str!(concat!("../../../../examples/", $dir, "/", $name)),
        )
    };
}

macro_rules! script {
    ($dir:literal) => {
        include_str!(concat!("../../../../examples/", $dir, "/lesson.dsim"))
    };
}

pub const EXAMPLES: &[Example] = &[
    Example {
        id: "lesson-1-first-daemonset",
        title: "1. A pod on every node",
        summary: "Apply the article's fluentd DaemonSet, read DESIRED, CURRENT and READY, add a node, delete the DaemonSet.",
        group: Group::Course,
        topic: "What a DaemonSet is",
        files: &[file!("course/01-first-daemonset", "fluentd-elasticsearch-daemonset.yml"), file!("course/01-first-daemonset", "cluster.yaml")],
        script: script!("course/01-first-daemonset"),
        applied_by_script: Some("fluentd-elasticsearch-daemonset.yml"),
        next: Some("lesson-2-node-selection"),
        ..BLANK
    },
    Example {
        id: "lesson-2-node-selection",
        title: "2. Choosing nodes: nodeSelector and affinity",
        summary: "A nodeSelector, labels switched on and off, required node affinity, and the article's podAntiAffinity.",
        group: Group::Course,
        topic: "Node selection",
        files: &[file!("course/02-node-selection", "ssd-monitor.yaml"), file!("course/02-node-selection", "cluster.yaml")],
        script: script!("course/02-node-selection"),
        applied_by_script: Some("ssd-monitor.yaml"),
        script_files: &[file!("course/02-node-selection", "gpu-driver.yaml"), file!("course/02-node-selection", "fluentd-anti-affinity.yaml")],
        next: Some("lesson-3-taints-tolerations"),
        exercise: Some(Exercise {
            task: "Make the GPU driver run on gpu-2 as well, without changing the DaemonSet.",
            hint: "The driver's node affinity wants accelerator=nvidia-tesla-t4 or nvidia-a100. What does gpu-2 lack?",
            goal: &[Goal::ReadyOn { namespace: "default", daemon_set: "gpu-driver", node: "gpu-2" }],
            solution: "Label the node, then let the clock run until the pod is Ready: kubectl label nodes gpu-2 accelerator=nvidia-tesla-t4",
            solution_edits: &[],
            solution_lines: &["kubectl label nodes gpu-2 accelerator=nvidia-tesla-t4", "sleep 10s"],
        }),
    },
    Example {
        id: "lesson-3-taints-tolerations",
        title: "3. Taints and tolerations",
        summary: "NoSchedule, PreferNoSchedule and NoExecute; the article's taint commands; tolerationSeconds; the control plane.",
        group: Group::Course,
        topic: "Taints and tolerations",
        files: &[file!("course/03-taints-tolerations", "fluentd-elasticsearch-daemonset.yml"), file!("course/03-taints-tolerations", "cluster.yaml")],
        script: script!("course/03-taints-tolerations"),
        applied_by_script: Some("fluentd-elasticsearch-daemonset.yml"),
        script_files: &[file!("course/03-taints-tolerations", "metrics-agent.yaml")],
        next: Some("lesson-4-cordon-drain"),
        exercise: Some(Exercise {
            task: "Bring fluentd back to node2 while node2 keeps its dedicated=batch:NoExecute taint.",
            hint: "fluentd's tolerations are in the Workloads editor. A toleration with operator Exists matches any value.",
            goal: &[
                Goal::ReadyOn { namespace: "kube-system", daemon_set: "fluentd", node: "node2" },
                Goal::Tainted { node: "node2", key: "dedicated" },
            ],
            solution: "Add a toleration under spec.template.spec.tolerations in the Workloads editor — `- key: dedicated`, `operator: Exists`, `effect: NoExecute` — and press \"Apply changes\". The template changes, the controller creates a pod on node2, and the rolling update replaces the other pods one by one.",
            solution_edits: &[(
                "      tolerations:\n",
                "      tolerations:\n        - key: dedicated\n          operator: Exists\n          effect: NoExecute\n",
            )],
            solution_lines: &["sleep 30s"],
        }),
    },
    Example {
        id: "lesson-4-cordon-drain",
        title: "4. Cordon and drain",
        summary: "A cordoned node keeps its daemon pods; drain refuses, then --ignore-daemonsets --force; uncordon.",
        group: Group::Course,
        topic: "Node maintenance",
        files: &[file!("course/04-cordon-drain", "fluentd-elasticsearch-daemonset.yml"), file!("course/04-cordon-drain", "cluster.yaml")],
        script: script!("course/04-cordon-drain"),
        applied_by_script: Some("fluentd-elasticsearch-daemonset.yml"),
        next: Some("lesson-5-nodes-come-and-go"),
        ..BLANK
    },
    Example {
        id: "lesson-5-nodes-come-and-go",
        title: "5. Nodes join, fail and leave",
        summary: "A pod follows a new node; a NotReady node keeps its daemon pod; a removed node's pod is collected.",
        group: Group::Course,
        topic: "Nodes coming and going",
        files: &[file!("course/05-nodes-come-and-go", "fluentd-elasticsearch-daemonset.yml"), file!("course/05-nodes-come-and-go", "cluster.yaml")],
        script: script!("course/05-nodes-come-and-go"),
        applied_by_script: Some("fluentd-elasticsearch-daemonset.yml"),
        next: Some("lesson-6-rolling-updates"),
        exercise: Some(Exercise {
            task: "A new node, edge-1, joins the cluster: get a Ready fluentd pod onto it.",
            hint: "Nodes join with a sim line (sim node add NAME), or with \"Add node\" on the page. Then let the clock run.",
            goal: &[Goal::ReadyOn { namespace: "kube-system", daemon_set: "fluentd", node: "edge-1" }],
            solution: "sim node add edge-1, then sleep 10s: the controller creates the pod as soon as the node exists.",
            solution_edits: &[],
            solution_lines: &["sim node add edge-1", "sleep 10s"],
        }),
        ..BLANK
    },
    Example {
        id: "lesson-6-rolling-updates",
        title: "6. Rolling updates: maxUnavailable, maxSurge, minReadySeconds",
        summary: "The article's set image (and its two slips), a rollout one node at a time, then a surge rollout.",
        group: Group::Course,
        topic: "Rolling updates",
        files: &[file!("course/06-rolling-update", "fluentd-elasticsearch-daemonset.yml"), file!("course/06-rolling-update", "cluster.yaml")],
        script: script!("course/06-rolling-update"),
        applied_by_script: Some("fluentd-elasticsearch-daemonset.yml"),
        script_files: &[file!("course/06-rolling-update", "fluentd-surge.yml")],
        next: Some("lesson-7-history-rollback"),
        ..BLANK
    },
    Example {
        id: "lesson-7-history-rollback",
        title: "7. A stalled rollout, history and rollback",
        summary: "A missing image stalls the rollout; rollout history, --revision, undo and --to-revision.",
        group: Group::Course,
        topic: "History and rollback",
        files: &[file!("course/07-history-rollback", "fluentd-elasticsearch-daemonset.yml"), file!("course/07-history-rollback", "cluster.yaml")],
        script: script!("course/07-history-rollback"),
        applied_by_script: Some("fluentd-elasticsearch-daemonset.yml"),
        next: Some("lesson-8-ondelete"),
        ..BLANK
    },
    Example {
        id: "lesson-8-ondelete",
        title: "8. The OnDelete strategy",
        summary: "A new template reaches a node only when you delete its pod.",
        group: Group::Course,
        topic: "Update strategies",
        files: &[file!("course/08-ondelete", "fluentd-ondelete.yml"), file!("course/08-ondelete", "cluster.yaml")],
        script: script!("course/08-ondelete"),
        applied_by_script: Some("fluentd-ondelete.yml"),
        next: Some("lesson-9-priority-class"),
        exercise: Some(Exercise {
            task: "Finish the update: every fluentd pod runs v2.6.0 and is Available.",
            hint: "With OnDelete, each old pod must be deleted. kubectl delete pods takes -l with the pods' labels.",
            goal: &[Goal::RolledOut { namespace: "kube-system", daemon_set: "fluentd" }],
            solution: "kubectl delete pods -n kube-system -l k8s-app=fluentd-logging, then sleep 10s (the new pods are created from the current template).",
            solution_edits: &[],
            solution_lines: &["kubectl delete pods -n kube-system -l k8s-app=fluentd-logging", "sleep 10s"],
        }),
        ..BLANK
    },
    Example {
        id: "lesson-9-priority-class",
        title: "9. PriorityClass and the missing class",
        summary: "The article's priority example: a container without an image, then a class name that matches nothing.",
        group: Group::Course,
        topic: "Pod priority",
        files: &[file!("course/09-priority-class", "fluentd-with-priority.yml"), file!("course/09-priority-class", "cluster.yaml")],
        script: script!("course/09-priority-class"),
        applied_by_script: Some("fluentd-with-priority.yml"),
        script_files: &[file!("course/09-priority-class", "fluentd-priority-daemonset.yml"), file!("course/09-priority-class", "fluentd-priority-class.yml")],
        next: Some("lesson-10-preemption"),
        exercise: Some(Exercise {
            task: "Get fluentd's pods created and running with the article's priority.",
            hint: "The DaemonSet and the PriorityClass must use the same name. The DaemonSet is in the Workloads editor.",
            goal: &[Goal::RolledOut { namespace: "default", daemon_set: "fluentd" }],
            solution: "In the Workloads editor, change priorityClassName: high-priority to high-priority-pod and press \"Apply changes\"; the controller then creates the pods.",
            solution_edits: &[("priorityClassName: high-priority\n", "priorityClassName: high-priority-pod\n")],
            solution_lines: &["sleep 10s"],
        }),
    },
    Example {
        id: "lesson-10-preemption",
        title: "10. Preemption",
        summary: "A system-node-critical DaemonSet on full nodes: the minimal victims, a budget that cannot save its pod, a node where nothing may go.",
        group: Group::Course,
        topic: "Pod priority",
        files: &[file!("course/10-preemption", "node-agent.yaml"), file!("course/10-preemption", "cluster.yaml")],
        script: script!("course/10-preemption"),
        applied_by_script: Some("node-agent.yaml"),
        next: Some("lesson-11-troubleshooting"),
        ..BLANK
    },
    Example {
        id: "lesson-11-troubleshooting",
        title: "11. Troubleshooting",
        summary: "The article's get, describe and events commands on a DaemonSet that misses two nodes, and why.",
        group: Group::Course,
        topic: "Troubleshooting",
        files: &[file!("course/11-troubleshooting", "fluentd-logging.yml"), file!("course/11-troubleshooting", "cluster.yaml")],
        script: script!("course/11-troubleshooting"),
        applied_by_script: Some("fluentd-logging.yml"),
        exercise: Some(Exercise {
            task: "Get a Ready fluentd pod onto small-1 and onto batch-1, without removing batch-1's taint or the cache pod.",
            hint: "small-1 has 128Mi of memory left; batch-1's taint is dedicated=batch:NoSchedule. Both fixes go in the DaemonSet.",
            goal: &[
                Goal::ReadyOn { namespace: "logging", daemon_set: "fluentd", node: "small-1" },
                Goal::ReadyOn { namespace: "logging", daemon_set: "fluentd", node: "batch-1" },
                Goal::Tainted { node: "batch-1", key: "dedicated" },
            ],
            solution: "In the Workloads editor, lower the memory request and limit to 100Mi, add a toleration `- key: dedicated`, `operator: Exists`, `effect: NoSchedule`, and press \"Apply changes\".",
            solution_edits: &[
                ("memory: 200Mi\n            requests:", "memory: 100Mi\n            requests:"),
                ("              memory: 200Mi\n", "              memory: 100Mi\n"),
                ("      tolerations:\n", "      tolerations:\n        - key: dedicated\n          operator: Exists\n          effect: NoSchedule\n"),
            ],
            solution_lines: &["sleep 30s"],
        }),
        ..BLANK
    },
    Example {
        id: "logging-agent",
        title: "A logging agent on every node",
        summary: "Five nodes, one rule each: a tolerated control-plane taint, a plain worker, an untolerated GPU taint, a cordoned node, too little memory.",
        topic: "Placement",
        files: &[file!("logging-agent", "daemonset.yaml"), file!("logging-agent", "nodes.yaml")],
        ..BLANK
    },
    Example {
        id: "seed-walkthrough",
        title: "The article's walkthrough",
        summary: "Deploy, taint and untaint, NoExecute eviction, cordon, nodes joining and leaving, and a set image against a name that does not exist.",
        topic: "All topics, briefly",
        files: &[file!("seed-walkthrough", "log-agent.yaml"), file!("seed-walkthrough", "cluster.yaml")],
        script: include_str!("../../../../examples/seed-walkthrough/walkthrough.dsim"),
        applied_by_script: Some("log-agent.yaml"),
        ..BLANK
    },
    Example {
        id: "control-plane",
        title: "Control-plane tolerations",
        summary: "One DaemonSet tolerates every taint and runs on the control plane; one does not and skips it.",
        topic: "Taints and tolerations",
        files: &[file!("control-plane", "cluster.yaml")],
        ..BLANK
    },
    Example {
        id: "gpu-affinity",
        title: "GPU nodes by node affinity",
        summary: "A driver DaemonSet placed by required node affinity and a toleration; labels move it.",
        topic: "Node selection",
        files: &[file!("gpu-affinity", "cluster.yaml")],
        ..BLANK
    },
    Example {
        id: "noexecute-eviction",
        title: "NoSchedule versus NoExecute",
        summary: "NoSchedule keeps the running pod, NoExecute evicts it, tolerationSeconds delays the eviction.",
        topic: "Taints and tolerations",
        files: &[file!("noexecute-eviction", "cluster.yaml")],
        ..BLANK
    },
    Example {
        id: "rolling-update",
        title: "Rolling update: maxUnavailable, then maxSurge",
        summary: "set image on six nodes, two at a time after minReadySeconds; then a surge rollout.",
        topic: "Rolling updates",
        files: &[file!("rolling-update", "cluster.yaml")],
        ..BLANK
    },
    Example {
        id: "stalled-rollout",
        title: "A rollout stalled by a bad image",
        summary: "An image that cannot be pulled stalls the rollout; rollout undo replaces the stuck pod.",
        topic: "History and rollback",
        files: &[file!("stalled-rollout", "cluster.yaml")],
        ..BLANK
    },
    Example {
        id: "preemption",
        title: "Preemption by a system-node-critical DaemonSet",
        summary: "Full nodes: the minimal victims, a PodDisruptionBudget that cannot save its pod, a node where nothing may go.",
        topic: "Pod priority",
        files: &[file!("preemption", "cluster.yaml")],
        ..BLANK
    },
    Example {
        id: "missing-priority-class",
        title: "The missing PriorityClass",
        summary: "The article's slip: priorityClassName names a class that does not exist, so every pod creation fails.",
        topic: "Pod priority",
        files: &[file!("missing-priority-class", "workloads.yaml"), file!("missing-priority-class", "nodes.yaml")],
        ..BLANK
    },
];

pub fn find(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// The example a first visit opens.
pub fn default() -> &'static Example {
    find("logging-agent").unwrap_or(&EXAMPLES[0])
}

/// Split manifests between the two editors: Nodes, Namespaces and the Scenario document go to
/// the cluster editor, everything else to the workloads editor. Each document keeps its text
/// (comments included).
pub fn split_for_editors(text: &str) -> (String, String) {
    let mut workloads = String::new();
    let mut cluster = String::new();
    for doc in split_documents(text) {
        let o = load_sources(&[Source {
            name: None,
            text: doc.text.to_string(),
        }])
        .objects;
        let is_cluster = o.daemon_sets.is_empty()
            && o.pods.is_empty()
            && o.priority_classes.is_empty()
            && o.pod_disruption_budgets.is_empty()
            && (!o.nodes.is_empty() || !o.namespaces.is_empty() || o.scenario.is_some());
        let into = if is_cluster {
            &mut cluster
        } else {
            &mut workloads
        };
        let body = doc.text.trim_end_matches('\n');
        let starts_with_separator = body.starts_with("---");
        if !into.is_empty() && !starts_with_separator {
            into.push_str("---\n");
        }
        into.push_str(body);
        into.push('\n');
    }
    (workloads, cluster)
}

/// A script's lines as steps: each comment block becomes the note of the line after it.
pub fn script_steps(script: &str, rename: &[(&str, &str)]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut note = String::new();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(c) = line.strip_prefix('#') {
            if !note.is_empty() {
                note.push(' ');
            }
            note.push_str(c.trim());
            continue;
        }
        let mut line = line.to_string();
        for (from, to) in rename {
            line = line.replace(&format!("-f {from}"), &format!("-f {to}"));
        }
        steps.push(Step {
            note: std::mem::take(&mut note),
            line,
        });
    }
    steps
}

impl Example {
    /// The example's texts as the two editors hold them: `(workloads, cluster)`.
    ///
    /// When the script applies a file itself, that file alone is the workloads editor and every
    /// other file is the cluster the scenario starts with, whatever its kinds: the pods and
    /// classes already running must be there before the first step, as they are for `dsim run`.
    pub fn editors(&self) -> (String, String) {
        let mut w = String::new();
        let mut c = String::new();
        for (name, text) in self.files {
            let (a, b) = match self.applied_by_script {
                Some(f) if f == *name => (text.to_string(), String::new()),
                Some(_) => (String::new(), text.to_string()),
                None => split_for_editors(text),
            };
            for (into, part) in [(&mut w, a), (&mut c, b)] {
                if part.is_empty() {
                    continue;
                }
                if !into.is_empty() && !part.starts_with("---") {
                    into.push_str("---\n");
                }
                into.push_str(&part);
            }
        }
        (w, c)
    }

    /// The files a playground of this example starts with: the two editors and the files its
    /// script applies, by name.
    pub fn files(&self) -> crate::session::FileMap {
        let (w, c) = self.editors();
        let mut files = crate::session::FileMap::new();
        files.insert(WORKLOADS.to_string(), w);
        files.insert(CLUSTER.to_string(), c);
        for (n, t) in self.script_files {
            files.insert(n.to_string(), t.to_string());
        }
        files
    }

    /// A playground at the example's start, its steps ready to run.
    pub fn playground(&self) -> Playground {
        let files = self.files();
        let rename: Vec<(&str, &str)> = self
            .applied_by_script
            .iter()
            .map(|f| (*f, WORKLOADS))
            .collect();
        let steps = script_steps(self.script, &rename);
        let start: &[&str] = if self.applied_by_script.is_some() {
            &[CLUSTER]
        } else {
            &[WORKLOADS, CLUSTER]
        };
        // The editors first, in their order: the cluster starts from them in that order.
        let mut files: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        files.sort_by_key(|(n, _)| EDITORS.iter().position(|e| e == n).unwrap_or(EDITORS.len()));
        let mut p = Playground::new(&files, start, steps);
        p.example = Some(self.id.to_string());
        p
    }
}
