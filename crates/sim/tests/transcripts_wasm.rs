//! The transcript tests in headless Chromium: the same cases, files compiled in.
#![cfg(target_arch = "wasm32")]

use sim::input::Source;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! case {
    ($name:literal, [$($file:literal),*]) => {{
        let files: Vec<(&str, &str)> = vec![
            ("cluster.yaml", include_str!(concat!("../../../tests/transcripts/", $name, "/cluster.yaml"))),
            ("case.dsim", include_str!(concat!("../../../tests/transcripts/", $name, "/case.dsim"))),
            ("expected.txt", include_str!(concat!("../../../tests/transcripts/", $name, "/expected.txt"))),
            $(($file, include_str!(concat!("../../../tests/transcripts/", $name, "/", $file))),)*
        ];
        ($name, files)
    }};
}

#[wasm_bindgen_test]
fn every_transcript_matches_in_the_browser() {
    let cases = vec![
        case!("change-cause", []),
        case!("drain-and-delete", ["agent.yaml"]),
        case!("failed-pods", []),
        case!("failing-images", []),
        case!("history-and-undo", []),
        case!("kubectl-errors", []),
        case!(
            "missing-priority-class",
            ["daemonset.yaml", "priority-class.yaml"]
        ),
        case!("node-lifecycle", []),
        case!("on-delete", []),
        case!("preemption", ["agent.yaml", "polite.yaml"]),
        case!("rolling-update", []),
        case!("surge-and-stall", []),
        case!("taints", []),
    ];
    for (name, files) in cases {
        let get = |p: &str| {
            files
                .iter()
                .find(|(n, _)| *n == p)
                .map(|(_, t)| t.to_string())
                .ok_or_else(|| format!("the path \"{p}\" does not exist"))
        };
        let (got, _) = sim::scenario::run(
            &[Source::new("cluster.yaml", get("cluster.yaml").unwrap())],
            &get("case.dsim").unwrap(),
            &get,
            &get,
            false,
        );
        assert_eq!(got, get("expected.txt").unwrap(), "case {name}");
    }
}
