//! Component tests in headless Chromium: mount the app, read the DOM, click like a person.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web::App;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

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

/// The first element under `within` that matches `selector`, as a `T`.
fn find<T: JsCast>(within: &Element, selector: &str) -> T {
    within
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .dyn_into()
        .unwrap_or_else(|_| panic!("{selector} is not the element expected"))
}

/// The first button under `within` whose text is `text`.
fn button(within: &Element, text: &str) -> HtmlElement {
    let all = within.query_selector_all("button").unwrap();
    (0..all.length())
        .filter_map(|i| all.get(i))
        .find(|b| b.text_content().as_deref() == Some(text))
        .unwrap_or_else(|| panic!("no button {text:?}"))
        .dyn_into()
        .unwrap()
}

async fn click(within: &Element, text: &str) {
    button(within, text).click();
    yew::scheduler::flush().await;
}

async fn mount() -> Element {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    root
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .text_content()
        .unwrap()
}

async fn run_line(root: &Element, line: &str) {
    let input: HtmlInputElement = find(root, "input[aria-label='kubectl command']");
    let form: web_sys::HtmlFormElement = find(root, ".console-form");
    input.set_value(line);
    form.request_submit().unwrap();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn the_default_example_settles_to_a_pod_per_eligible_node() {
    let root = mount().await;
    assert_eq!(root.query_selector_all(".node-card").unwrap().length(), 5);
    assert_eq!(badge(&root, "control-plane-1"), "ContainerCreating");
    click(&root, "Run until settled").await;
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
async fn unticking_a_taint_runs_kubectl_taint_and_a_pod_follows() {
    let root = mount().await;
    let toggle: HtmlInputElement = find(&card(&root, "gpu-1"), "input[type=checkbox]");
    assert!(toggle.checked());
    toggle.click();
    yew::scheduler::flush().await;
    assert_eq!(badge(&root, "gpu-1"), "ContainerCreating");
    let desired = text_of(&root, ".ds-table tbody td:nth-child(2)");
    assert_eq!(desired, "5", "the gpu node now counts as desired");
    let lines = root.query_selector_all(".console-line").unwrap();
    let last = lines
        .get(lines.length() - 1)
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(
        last,
        "$ kubectl taint nodes gpu-1 nvidia.com/gpu=present:NoSchedule-"
    );
    // The taint stays on the card, unticked, and ticking it puts it back.
    let toggle: HtmlInputElement = find(&card(&root, "gpu-1"), "input[type=checkbox]");
    assert!(!toggle.checked());
    toggle.click();
    yew::scheduler::flush().await;
    assert_eq!(text_of(&root, ".ds-table tbody td:nth-child(2)"), "4");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_validation_error_is_marked_at_its_line() {
    let root = mount().await;
    let area: HtmlTextAreaElement = find(&root, "#workloads");
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
    assert_eq!(
        text_of(&root, ".diagnostics .diag-msg"),
        "The DaemonSet \"log-agent\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""
    );
    // Applying it is refused by the API server, in the console.
    click(&root, "Apply changes (kubectl apply)").await;
    let outs = root.query_selector_all(".console-out").unwrap();
    let last = outs.get(outs.length() - 1).unwrap().text_content().unwrap();
    assert!(last.contains("Unsupported value: \"OnFailure\""), "{last}");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_console_runs_kubectl_on_the_simulated_cluster() {
    let root = mount().await;
    for line in ["sleep 10s", "kubectl get ds -n kube-system"] {
        run_line(&root, line).await;
    }
    let outs = root.query_selector_all(".console-out").unwrap();
    let last = outs.get(outs.length() - 1).unwrap().text_content().unwrap();
    assert!(last.starts_with("NAME        DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\nlog-agent   4         4         3       4            3"), "{last}");
    assert_eq!(text_of(&root, ".console .clock"), "virtual time 10s");
    root.remove();
}

#[wasm_bindgen_test]
async fn tab_completes_node_names() {
    let root = mount().await;
    let input: HtmlInputElement = find(&root, "input[aria-label='kubectl command']");
    input.set_value("kubectl cordon gp");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Tab");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&ev).unwrap();
    yew::scheduler::flush().await;
    assert_eq!(input.value(), "kubectl cordon gpu-1 ");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_timeline_looks_back_and_comes_back() {
    let root = mount().await;
    click(&root, "Run until settled").await;
    assert_eq!(badge(&root, "worker-1"), "Running");
    let range: HtmlInputElement = find(&root, "input[aria-label='Timeline']");
    range.set_value("0");
    range
        .dispatch_event(&web_sys::InputEvent::new("input").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    assert_eq!(
        badge(&root, "worker-1"),
        "ContainerCreating",
        "as it was at 0s"
    );
    assert!(
        button(&root, "Cordon").has_attribute("disabled"),
        "the past cannot be changed"
    );
    click(&root, "Back to the present").await;
    assert_eq!(badge(&root, "worker-1"), "Running");
    root.remove();
}

#[wasm_bindgen_test]
async fn an_example_from_the_gallery_runs_its_steps() {
    let root = mount().await;
    // A first visit opens the gallery; each entry is a button.
    if root
        .query_selector("[data-example='rolling-update']")
        .unwrap()
        .is_none()
    {
        click(&root, "Lessons & examples").await;
    }
    let entry: HtmlElement = find(&root, "[data-example='rolling-update']");
    entry.click();
    yew::scheduler::flush().await;
    assert!(
        root.query_selector(".gallery").unwrap().is_none(),
        "the gallery closes"
    );
    assert_eq!(root.query_selector_all(".node-card").unwrap().length(), 6);
    click(&root, "Run next step").await; // sleep 10s
    click(&root, "Run next step").await; // set image
    assert_eq!(
        root.query_selector_all(".revisions tbody tr")
            .unwrap()
            .length(),
        2
    );
    assert_eq!(
        root.query_selector_all(".node-grid .pod.stage-terminating")
            .unwrap()
            .length(),
        2,
        "maxUnavailable 2: two old pods go first"
    );
    root.remove();
}

#[wasm_bindgen_test]
fn embed_options_are_read_from_the_address() {
    use web::page::{parse, Panel};
    let s = parse(
        "?embed&example=rolling-update&panels=timeline,nodes,bogus&readonly&step=2&autoplay&speed=10",
        "",
    );
    let e = s.embed.clone().unwrap();
    assert!(e.readonly);
    assert_eq!(
        e.panels.iter().copied().collect::<Vec<_>>(),
        [Panel::Timeline, Panel::Nodes]
    );
    assert_eq!(s.example.as_deref(), Some("rolling-update"));
    assert_eq!((s.step, s.autoplay, s.speed), (2, true, Some(10)));
    assert!(s.shows(Panel::Nodes) && !s.shows(Panel::Console));
    // Without embed: every panel, and a fragment with a playground is a link.
    let s = parse("", "#s=abc&t=5");
    assert!(s.embed.is_none() && s.shows(Panel::Console));
    assert_eq!(s.link.as_deref(), Some("s=abc&t=5"));
    assert_eq!(parse("", "#section-2").link, None);
    assert_eq!(parse("?embed", "").embed.unwrap().panels.len(), 3);
    assert_eq!(parse("?step=999999", "").step, 1000, "bounded");
}
