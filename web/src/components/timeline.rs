//! The virtual clock: play, pause, step to the next event, run until settled, speed, and a
//! slider to look back at any earlier moment.

use crate::state::{Action, Dispatch, SPEEDS};
use sim::engine::time::Millis;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub now: Millis,
    pub at: Option<Millis>,
    pub playing: bool,
    pub speed: u32,
    pub next_event_at: Option<Millis>,
    pub dispatch: Dispatch,
}

/// `1:05.2` — minutes, seconds and tenths of virtual time.
pub fn clock(ms: Millis) -> String {
    let tenths = ms.max(0) / 100;
    format!("{}:{:02}.{}", tenths / 600, (tenths / 10) % 60, tenths % 10)
}

#[component]
pub fn Timeline(p: &TimelineProps) -> Html {
    let d = &p.dispatch;
    let act = |a: Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(a.clone()))
    };
    let oninput = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = super::target_value(&e).and_then(|v| v.parse::<f64>().ok()) {
                d.dispatch(Action::Seek(v as Millis));
            }
        })
    };
    let on_speed = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = super::target_value(&e).and_then(|v| v.parse().ok()) {
                d.dispatch(Action::SetSpeed(v));
            }
        })
    };
    let shown = p.at.unwrap_or(p.now);
    let speeds: Html = SPEEDS
        .iter()
        .map(|s| html! { <option value={s.to_string()} selected={*s == p.speed}>{ format!("{s}×") }</option> })
        .collect();
    let idle = p.next_event_at.is_none();
    html! {
        <section class="timeline" aria-label="timeline">
            if p.playing {
                <button type="button" class="primary" onclick={act(Action::Pause)}>{ "❚❚ Pause" }</button>
            } else {
                <button type="button" class="primary" onclick={act(Action::Play)}>{ "▶ Play" }</button>
            }
            <button type="button" onclick={act(Action::StepToNextEvent)} disabled={idle || p.at.is_some()}
                title="Move the clock to the next thing that happens">{ "Step to next event" }</button>
            <button type="button" onclick={act(Action::FastForward)} disabled={idle || p.at.is_some()}
                title="Run until nothing more is scheduled">{ "Run until settled" }</button>
            <label class="speed">
                <span>{ "Speed" }</span>
                <select aria-label="Speed" onchange={on_speed}>{ speeds }</select>
            </label>
            <input type="range" class="scrub" aria-label="Timeline" min="0" max={p.now.to_string()} step="1"
                value={shown.to_string()} disabled={p.now == 0} {oninput}
                aria-valuetext={format!("{} of {}", clock(shown), clock(p.now))} />
            <output class="clock" aria-label="virtual time">{ format!("{} / {}", clock(shown), clock(p.now)) }</output>
            if p.at.is_some() {
                <button type="button" onclick={act(Action::Live)}>{ "Back to the present" }</button>
                <button type="button" onclick={act(Action::ContinueFromHere)}
                    title="Drop everything after this moment and go on from here">{ "Continue from here" }</button>
            } else if idle {
                <span class="note">{ "settled: nothing scheduled" }</span>
            } else if let Some(t) = p.next_event_at {
                <span class="note">{ format!("next event at {}", clock(t)) }</span>
            }
        </section>
    }
}
