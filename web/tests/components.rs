//! Component tests in headless Chromium: mount the app, read the DOM, click like a person.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web::App;
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> Element {
    // Each test starts from the default example, not from what another test saved.
    let _ = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear();
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

fn card(root: &Element, node: &str) -> Element {
    root.query_selector(&format!("[aria-label='node {node}']"))
        .unwrap()
        .unwrap_or_else(|| panic!("no card for node {node}"))
}

fn badge(root: &Element, node: &str) -> String {
    card(root, node)
        .query_selector(".badge")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_default_example_shows_a_verdict_per_node() {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert_eq!(root.query_selector_all(".node-card").unwrap().length(), 5);
    assert_eq!(badge(&root, "control-plane-1"), "Running");
    assert_eq!(badge(&root, "worker-2-cordoned"), "Running");
    assert_eq!(badge(&root, "gpu-1"), "no pod");
    assert_eq!(badge(&root, "small-1"), "Pending");
    let msg = card(&root, "small-1")
        .query_selector(".event-msg")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        msg.starts_with("0/5 nodes are available: 1 Insufficient memory"),
        "{msg}"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn unticking_a_taint_reruns_placement() {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let toggle: HtmlInputElement = card(&root, "gpu-1")
        .query_selector("input[type=checkbox]")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(toggle.checked());
    toggle.click();
    yew::scheduler::flush().await;
    assert_eq!(badge(&root, "gpu-1"), "Running");
    let desired = root
        .query_selector(".ds-table tbody td:nth-child(3)")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(desired, "5", "the gpu node now counts as desired");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_validation_error_is_marked_at_its_line() {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let area: HtmlTextAreaElement = root
        .query_selector("#workloads")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let text = area.value().replace("restartPolicy", "x").replace(
        "      terminationGracePeriodSeconds: 30",
        "      restartPolicy: OnFailure\n      terminationGracePeriodSeconds: 30",
    );
    area.set_value(&text);
    let ev = web_sys::InputEvent::new("input").unwrap();
    area.dispatch_event(&ev).unwrap();
    yew::scheduler::flush().await;
    let line = text
        .lines()
        .position(|l| l.contains("restartPolicy: OnFailure"))
        .unwrap()
        + 1;
    let marks = root.query_selector_all(".gutter .mark-error").unwrap();
    assert_eq!(marks.length(), 1);
    assert_eq!(
        marks.get(0).unwrap().text_content().unwrap(),
        line.to_string()
    );
    let problem = root
        .query_selector(".diagnostics .diag-msg")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(
        problem,
        "The DaemonSet \"log-agent\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_console_runs_kubectl_on_the_simulated_cluster() {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let input: HtmlInputElement = root
        .query_selector("input[aria-label='kubectl command']")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let form: web_sys::HtmlFormElement = root
        .query_selector(".console-form")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    for line in ["sleep 10s", "kubectl get ds -n kube-system"] {
        input.set_value(line);
        form.request_submit().unwrap();
        yew::scheduler::flush().await;
    }
    let outs = root.query_selector_all(".console-out").unwrap();
    let last = outs.get(outs.length() - 1).unwrap().text_content().unwrap();
    assert!(last.starts_with("NAME        DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\nlog-agent   4         4         3       4            3"), "{last}");
    let clock = root
        .query_selector(".clock")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(clock, "virtual time 10s");
    root.remove();
}
