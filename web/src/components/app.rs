//! The page: a header with the gallery and file actions; the steps and editors on one side; the
//! timeline, DaemonSets, nodes, events and console on the other.

use super::console::Console;
use super::daemonsets::DaemonSets;
use super::edit_panel::EditPanel;
use super::editor::Editor;
use super::embed_bar::EmbedBar;
use super::events::EventLog;
use super::gallery::Gallery;
use super::header::Header;
use super::nodes::Nodes;
use super::steps::Steps;
use super::timeline::Timeline;
use crate::page::Panel;
use crate::state::{Action, Dispatch, State, TICK_MS};
use gloo::timers::callback::Timeout;
use sim::playground::{CLUSTER, WORKLOADS};
use yew::prelude::*;

/// One line on what "Apply changes" would do.
fn preview_line(p: &sim::playground::ApplyPreview) -> String {
    if p.editors.is_empty() {
        return "The editors hold what the cluster was given. Edit a manifest, then Apply changes sends it to the running cluster.".into();
    }
    let list = |v: &[String]| -> String {
        match v.len() {
            0 => "nothing".into(),
            1..=3 => v.join(", "),
            n => format!("{}, and {} more", v[..3].join(", "), n - 3),
        }
    };
    let mut parts = Vec::new();
    if !p.created.is_empty() {
        parts.push(format!("creates {}", list(&p.created)));
    }
    if !p.configured.is_empty() {
        parts.push(format!("updates {}", list(&p.configured)));
    }
    if parts.is_empty() {
        parts.push("changes nothing".into());
    }
    let kept = match p.kept {
        0 => String::new(),
        1 => "; keeps 1 object the editors no longer name (apply never deletes)".into(),
        n => format!("; keeps {n} objects the editors no longer name (apply never deletes)"),
    };
    format!("Apply changes {}{kept}.", parts.join(" and "))
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(State::start);
    let dispatch: Dispatch = state.dispatcher();

    // A permalink pasted into the address bar of an open page opens it.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                    let hash = gloo::utils::window().location().hash().unwrap_or_default();
                    if hash.contains("s=") {
                        dispatch.dispatch(Action::OpenLink(hash));
                    }
                });
            move || drop(listener)
        });
    }

    // localStorage follows the state: written after the render of a state that asks for it, so
    // the reducer only changes state.
    {
        let state = state.clone();
        use_effect_with(state.version, move |_| {
            if state.save_due {
                crate::storage::save(&state.saved());
            }
        });
    }

    // The playing clock: one tick after each render while playing, so a slow tick on a big
    // cluster delays the next one instead of piling up.
    {
        let dispatch = dispatch.clone();
        use_effect_with((state.playing, state.version), move |(playing, _)| {
            let t = playing
                .then(|| Timeout::new(TICK_MS, move || dispatch.dispatch(Action::Tick(TICK_MS))));
            move || drop(t)
        });
    }

    let looking_back = state.looking_back();
    let frozen = state.frozen();
    let shows = |p: Panel| state.startup.shows(p);
    let embedded = state.startup.embed.is_some();
    let model = state.model.borrow();
    let diags = |name: &str| -> Vec<_> {
        state
            .diagnostics
            .iter()
            .filter(|d| d.source.as_deref() == Some(name))
            .cloned()
            .collect()
    };
    let texts = [
        model.editor(WORKLOADS).to_string(),
        model.editor(CLUSTER).to_string(),
    ];
    let editor = |name: &'static str, label: &'static str, value: &str| {
        let d = dispatch.clone();
        let on_change = Callback::from(move |text: String| {
            d.dispatch(Action::Edit {
                editor: name.to_string(),
                text,
            })
        });
        html! {
            <Editor id={name.trim_end_matches(".yaml").to_string()} {label} value={value.to_string()}
                diagnostics={diags(name)} {on_change} readonly={state.readonly} />
        }
    };
    let steps_done = model.steps_done();
    let transcript: Vec<(String, String, bool)> = model
        .session()
        .history()
        .filter(|(_, l, _)| l.origin != sim::session::Origin::Clock)
        .map(|(_, l, o)| (l.line.clone(), o.text(), o.ok))
        .collect();
    let example = model.example.clone();
    let now = model.now();
    let completion_cluster = state.model.clone();
    drop(model);
    let apply = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Apply))
    };
    let restart = {
        let d = dispatch.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Restart))
    };
    let error_count = state.diagnostics.iter().filter(|d| d.is_error()).count();

    html! {
        <>
            if embedded {
                <EmbedBar example={example.clone()} model={state.model.clone()} version={state.version} at={state.at} />
            } else {
                <a class="skip-link" href="#console">{ "Skip to the console" }</a>
                <a class="skip-link" href="#cluster">{ "Skip to the cluster" }</a>
                <Header example={example.clone()} model={state.model.clone()} version={state.version} at={state.at}
                    gallery_open={state.gallery_open} dispatch={dispatch.clone()} />
                if state.gallery_open {
                    <Gallery current={example.clone()} dispatch={dispatch.clone()} />
                }
            }
            if let Some(m) = &state.message {
                <div class="message" role="alert">
                    <span>{ m.clone() }</span>
                    if state.backup_offered {
                        <button type="button" onclick={let d = dispatch.clone(); Callback::from(move |_: MouseEvent| d.dispatch(Action::RestoreBackup))}>{ "Restore my previous scenario" }</button>
                    }
                    <button type="button" onclick={let d = dispatch.clone(); Callback::from(move |_: MouseEvent| d.dispatch(Action::DismissMessage))}>{ "Dismiss" }</button>
                </div>
            }
            <main class={classes!("layout", embedded.then_some("embedded"))}>
                if shows(Panel::Steps) || shows(Panel::Editors) {
                <div class="side">
                    if !state.steps.is_empty() && shows(Panel::Steps) {
                        <Steps steps={state.steps.clone()} done={steps_done} disabled={looking_back}
                            exercise={state.exercise.clone()} next_lesson={state.next_lesson.clone()} dispatch={dispatch.clone()} />
                    }
                    if shows(Panel::Editors) {
                    <section class="editors" aria-label="manifests">
                        { editor(WORKLOADS, "Workloads (DaemonSets, PriorityClasses, Pods, PDBs)", &texts[0]) }
                        { editor(CLUSTER, "Cluster (Nodes, Namespaces, Scenario, and what runs from the start)", &texts[1]) }
                        <div class="editor-actions">
                            <button type="button" class="primary" onclick={apply} disabled={frozen}
                                title={format!("kubectl apply -f {} to the running cluster: a changed pod template starts a rollout",
                                    if state.apply_preview.editors.is_empty() { "workloads.yaml -f cluster.yaml".to_string() } else { state.apply_preview.editors.join(" -f ") })}>
                                { "Apply changes (kubectl apply)" }
                            </button>
                            <button type="button" onclick={restart} disabled={state.readonly}
                                title="Throw the running cluster away and start a new one from the editors at time 0 (the current one is kept aside, and can be restored)">
                                { "Start a new cluster from the editors" }
                            </button>
                            if error_count > 0 {
                                <span class="bad" role="status">{ format!("{error_count} error{} in the manifests", if error_count == 1 { "" } else { "s" }) }</span>
                            }
                            <p class="apply-preview note" aria-live="polite">{ preview_line(&state.apply_preview) }</p>
                        </div>
                    </section>
                    }
                </div>
                }
                <div class="main" id="cluster">
                    if let Some(e) = &state.editing {
                        <EditPanel editing={e.clone()} dispatch={dispatch.clone()} />
                    }
                    if shows(Panel::Timeline) {
                    <Timeline now={now} at={state.at} playing={state.playing} speed={state.speed}
                        next_event_at={state.view.next_event_at} dispatch={dispatch.clone()} />
                    }
                    if looking_back {
                        <p class="past-note" role="status">{ "Looking back: the cluster is shown as it was. Go back to the present, or continue from this moment to change it (what came after is dropped)." }</p>
                    }
                    if shows(Panel::DaemonSets) {
                    <DaemonSets view={state.view.clone()} selected={state.selected_ds} disabled={frozen} version={state.version}
                        model={state.model.clone()} dispatch={dispatch.clone()} />
                    }
                    if shows(Panel::Nodes) {
                    <Nodes view={state.view.clone()} selected_ds={state.selected_ds} selected_node={state.selected_node.clone()}
                        explanation={state.explanation.clone()} disabled={frozen} version={state.version}
                        model={state.model.clone()} dispatch={dispatch.clone()} />
                    }
                    if shows(Panel::Events) {
                    <EventLog view={state.view.clone()} version={state.version} />
                    }
                    if shows(Panel::Console) {
                    <Console transcript={std::rc::Rc::new(transcript)} now={state.view.now} disabled={frozen}
                        model={completion_cluster} dispatch={dispatch.clone()} />
                    }
                </div>
            </main>
        </>
    }
}
