//! Tests that run in headless Chromium (`cargo test --target wasm32-unknown-unknown`): the core
//! compiled to WebAssembly decides the same way it does natively, and the app renders and reacts
//! in a real DOM.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test (clippy.toml's test allowances do not see
// `#[wasm_bindgen_test]` functions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use s3pg_sim::scenario::{Scenario, run};
use s3pg_web::App;
use s3pg_web::state::DEFAULT_SCENARIO;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn default_scenario_passes_its_expectations_in_the_browser() {
    let scenario = Scenario::from_json(DEFAULT_SCENARIO).unwrap();
    let report = run(&scenario);
    assert!(report.passed(), "{:?}", report.failures());
}

#[wasm_bindgen_test]
fn policy_errors_carry_line_and_column_in_the_browser() {
    let errors = s3pg_policy::Policy::parse("{\n  \"Statement\": [,]\n}").unwrap_err();
    let first = &errors[0];
    assert_eq!(first.line, 2);
    assert!(first.column > 1);
}

async fn next_frame() {
    yew::platform::time::sleep(std::time::Duration::from_millis(30)).await;
}

#[wasm_bindgen_test]
async fn the_app_renders_and_sending_shows_the_explicit_deny() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    next_frame().await;

    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("Bucket policy of examplebucket"), "{text}");

    let send: web_sys::HtmlElement = root
        .query_selector("button.primary")
        .unwrap()
        .expect("a send button")
        .dyn_into()
        .unwrap();
    send.click();
    next_frame().await;

    let decision = root
        .query_selector("[data-testid=decision]")
        .unwrap()
        .expect("a decision");
    assert_eq!(
        decision.get_attribute("data-decision").as_deref(),
        Some("ExplicitDeny")
    );
    assert!(
        decision
            .text_content()
            .unwrap_or_default()
            .contains("DenyUnEncryptedObjectUploads")
    );
}
