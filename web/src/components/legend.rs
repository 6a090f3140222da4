//! The legend of the node cards: what each pod colour and mark means.

use yew::prelude::*;

#[component]
pub fn Legend() -> Html {
    let item = |stage: &'static str, label: &'static str| {
        html! { <li class={classes!("pod", format!("stage-{stage}"))}><span class="pod-status">{ label }</span></li> }
    };
    html! {
        <ul class="legend" aria-label="legend">
            { item("pending", "Pending: not bound") }
            { item("creating", "ContainerCreating") }
            { item("running", "Running, not Ready") }
            { item("ready", "Running and Ready") }
            { item("failing", "failing (pull, crash)") }
            { item("terminating", "Terminating") }
            <li class="pod stage-ready misscheduled"><span class="pod-status">{ "misscheduled: the DaemonSet no longer wants it there" }</span></li>
            <li class="pod stage-terminating ghost preempted"><span class="pod-status">{ "preempted (shown for a minute)" }</span></li>
            <li class="legend-note">{ "Pod colours also mark the revision (rev N)." }</li>
        </ul>
    }
}
