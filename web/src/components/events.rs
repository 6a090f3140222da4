//! The event log, `kubectl get events` style, newest first, in step with the moment shown.

use sim::playground::view::LiveView;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct EventLogProps {
    pub view: Rc<LiveView>,
    pub version: u64,
}

impl PartialEq for EventLogProps {
    fn eq(&self, o: &Self) -> bool {
        self.version == o.version && Rc::ptr_eq(&self.view, &o.view)
    }
}

#[component]
pub fn EventLog(p: &EventLogProps) -> Html {
    let rows: Html = p
        .view
        .events
        .iter()
        .rev()
        .map(|e| {
            let count = if e.count > 1 {
                format!(" (x{})", e.count)
            } else {
                String::new()
            };
            html! {
                <tr class={classes!((e.type_ == "Warning").then_some("warning"))}>
                    <td>{ e.last_seen.clone() }</td>
                    <td>{ e.type_.clone() }</td>
                    <td class="event-reason">{ e.reason.clone() }</td>
                    <td><code>{ e.object.clone() }</code></td>
                    <td>
                        { format!("{}{count}", e.message) }
                        if let Some(g) = &e.gloss { <p class="gloss">{ g.clone() }</p> }
                    </td>
                </tr>
            }
        })
        .collect();
    html! {
        <section class="events panel" aria-labelledby="events-title">
            <h2 id="events-title">{ format!("Events ({})", p.view.events.len() + p.view.events_omitted) }</h2>
            if p.view.events.is_empty() {
                <p class="empty">{ "No events yet." }</p>
            } else {
                <div class="events-scroll" tabindex="0" aria-label="event list">
                    <table class="events-table">
                        <caption class="note">{ "newest first, as at the moment shown" }</caption>
                        <thead><tr><th>{ "LAST SEEN" }</th><th>{ "TYPE" }</th><th>{ "REASON" }</th><th>{ "OBJECT" }</th><th>{ "MESSAGE" }</th></tr></thead>
                        <tbody>{ rows }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}
