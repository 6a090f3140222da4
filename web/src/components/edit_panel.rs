//! `kubectl edit` in the page: the object as kubectl opens it in an editor, with Save and Cancel
//! standing in for closing the editor. A refused save comes back with the reasons in the header,
//! as kubectl reopens the file.

use super::editor::Editor;
use crate::state::{Action, Dispatch, Editing};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditPanelProps {
    pub editing: Rc<Editing>,
    pub dispatch: Dispatch,
}

#[component]
pub fn EditPanel(p: &EditPanelProps) -> Html {
    let d = &p.dispatch;
    let on_change = {
        let d = d.clone();
        Callback::from(move |t: String| d.dispatch(Action::EditText(t)))
    };
    let save = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::EditSave))
    };
    let cancel = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::EditCancel))
    };
    let e = &p.editing;
    html! {
        <section class="edit-panel panel" aria-label="kubectl edit">
            <h2>{ format!("$ {}", e.line) }</h2>
            <p class="note">
                { "kubectl edit opened the live object in an editor. Change it, then Save to send it to the cluster (as closing the editor after saving does), or Cancel." }
                if e.refused.is_some() { <strong class="bad">{ " The API server refused the last save: the reasons are at the top. Fix them and Save again, or Cancel to give up." }</strong> }
            </p>
            <Editor id="kubectl-edit" label="kubectl edit" value={e.text.clone()} diagnostics={Vec::new()} {on_change} />
            <div class="editor-actions">
                <button type="button" class="primary" onclick={save}>{ "Save and close the editor" }</button>
                <button type="button" onclick={cancel}>{ "Cancel (close without saving)" }</button>
            </div>
        </section>
    }
}
