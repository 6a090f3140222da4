//! The `kubectl get ds` numbers for each DaemonSet, and which one the node grid shows.

use sim::explain::DaemonSetReport;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub daemon_sets: Vec<DaemonSetReport>,
    pub selected: usize,
    pub on_select: Callback<usize>,
    /// The input has errors: an empty list then means a DaemonSet was rejected, not absent.
    pub input_has_errors: bool,
}

#[component]
pub fn Summary(props: &SummaryProps) -> Html {
    if props.daemon_sets.is_empty() {
        return html! {
            <section class="summary" aria-label="DaemonSets">
                <p class="empty">{
                    if props.input_has_errors {
                        "No DaemonSet was accepted: the API server would reject the input. Fix the problems marked in the editors."
                    } else {
                        "No DaemonSet loaded: paste one into the Workloads editor."
                    }
                }</p>
            </section>
        };
    }
    let rows: Html = props
        .daemon_sets
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let s = &d.status;
            let selected = i == props.selected;
            let onclick = {
                let cb = props.on_select.clone();
                Callback::from(move |_: MouseEvent| cb.emit(i))
            };
            html! {
                <tr class={classes!(selected.then_some("selected"))} aria-selected={selected.to_string()}>
                    <td>{ d.namespace.clone() }</td>
                    <td>
                        <button type="button" class="link" {onclick} aria-pressed={selected.to_string()}>
                            { d.name.clone() }
                        </button>
                    </td>
                    <td>{ s.desired_number_scheduled }</td>
                    <td>{ s.current_number_scheduled }</td>
                    <td>{ s.number_ready }</td>
                    <td>{ s.updated_number_scheduled }</td>
                    <td>{ s.number_available }</td>
                    <td>{ s.number_misscheduled }</td>
                </tr>
            }
        })
        .collect();
    let current = props.daemon_sets.get(props.selected);
    html! {
        <section class="summary" aria-label="DaemonSets">
            <table class="ds-table">
                <caption>{ "kubectl get ds" }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "NAMESPACE" }</th>
                        <th scope="col">{ "NAME" }</th>
                        <th scope="col">{ "DESIRED" }</th>
                        <th scope="col">{ "CURRENT" }</th>
                        <th scope="col">{ "READY" }</th>
                        <th scope="col">{ "UP-TO-DATE" }</th>
                        <th scope="col">{ "AVAILABLE" }</th>
                        <th scope="col">{ "MISSCHEDULED" }</th>
                    </tr>
                </thead>
                <tbody>{ rows }</tbody>
            </table>
            if let Some(e) = current.and_then(|d| d.create_error.clone()) {
                <p class="event warning" role="status"><span class="event-reason">{ "Warning FailedCreate" }</span>{" "}{ e }</p>
            }
        </section>
    }
}
