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

/// The page fetches the IAM catalogue at start (`s3pg_web::assets`); the tests install it the same
/// way, from the same file.
fn catalogue() {
    let _ = s3pg_policy::catalogue::install(include_str!("../../crates/policy/data/catalogue.txt"));
}

#[wasm_bindgen_test]
fn default_scenario_passes_its_expectations_in_the_browser() {
    catalogue();
    let scenario = Scenario::from_json(DEFAULT_SCENARIO).unwrap();
    let report = run(&scenario);
    assert!(report.passed(), "{:?}", report.failures());
}

#[wasm_bindgen_test]
fn policy_errors_carry_line_and_column_in_the_browser() {
    catalogue();
    let errors = s3pg_policy::Policy::parse("{\n  \"Statement\": [,]\n}").unwrap_err();
    let first = &errors[0];
    assert_eq!(first.line, 2);
    assert!(first.column > 1);
}

async fn next_frame() {
    yew::platform::time::sleep(std::time::Duration::from_millis(30)).await;
}

/// Waits (up to five seconds) until `selector` matches inside `root`: on a loaded machine the
/// first render can take longer than one frame.
async fn wait_for(root: &web_sys::Element, selector: &str) -> Option<web_sys::Element> {
    for _ in 0..100 {
        if let Ok(Some(found)) = root.query_selector(selector) {
            return Some(found);
        }
        yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    None
}

#[wasm_bindgen_test]
async fn the_app_renders_and_sending_shows_the_explicit_deny() {
    catalogue();
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    next_frame().await;

    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("examplebucket"), "{text}");
    assert!(text.contains("Block public access"), "{text}");

    let click = |selector: &str| {
        let element: web_sys::HtmlElement = root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no `{selector}`"))
            .dyn_into()
            .unwrap();
        element.click();
    };
    click("nav.sidebar button[data-view=requests]");
    next_frame().await;
    click("form.request button[type=submit]");
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
    root.remove();
}

/// A bucket policy just under S3's 20 KB limit: one statement per team.
fn policy_near_20_kb() -> String {
    let mut statements = Vec::new();
    for i in 0.. {
        statements.push(format!(
            r#"{{"Sid": "Team{i}", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::1111222233{:02}:root"}}, "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::examplebucket/teams/team-{i}/*", "Condition": {{"StringEquals": {{"aws:PrincipalTag/team": "team-{i}"}}}}}}"#,
            i % 100
        ));
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(",")
        );
        if text.len() > 19_500 {
            return text;
        }
    }
    String::new()
}

/// Times `rounds` keystrokes in the bucket policy editor, alternating `a` and `b` so every round is
/// a real edit: parse, validate, lint, apply, and re-decide the last request (the state's work;
/// drawing it is measured by tests/bench/page.mjs). Returns milliseconds per keystroke.
fn keystroke_ms(a: &str, b: &str, rounds: u32) -> f64 {
    use s3pg_web::state::{Action, AppState};
    use std::rc::Rc;
    use yew::Reducible;

    assert_ne!(a, b, "two different texts");
    let performance = web_sys::window().unwrap().performance().unwrap();
    let mut state = Rc::new(AppState::from_scenario_text(DEFAULT_SCENARIO)).reduce(Action::Send);
    let start = performance.now();
    for i in 0..rounds {
        let text = if i % 2 == 0 { a } else { b };
        state = state.reduce(Action::EditPolicy(text.to_owned()));
    }
    let per_keystroke = (performance.now() - start) / f64::from(rounds);
    assert!(
        !state.policy_has_errors(),
        "{:?}",
        state.diagnostics.first()
    );
    per_keystroke
}

/// Measures (and prints, never asserts) what one keystroke costs in the browser with the default
/// scenario's policy.
#[wasm_bindgen_test]
fn keystroke_cost_with_the_default_policy_is_measured() {
    catalogue();
    let base = s3pg_web::state::AppState::from_scenario_text(DEFAULT_SCENARIO).policy_text;
    let renamed = base.replacen(
        "DenyUnEncryptedObjectUploads",
        "DenyUnEncryptedObjectUploadz",
        1,
    );
    let ms = keystroke_ms(&renamed, &base, 200);
    web_sys::console::log_1(
        &format!("browser: a keystroke with the default {} byte bucket policy takes {ms:.3} ms (parse + lint + re-decide)", base.len()).into(),
    );
}

/// Measures (and prints, never asserts) what one keystroke costs in the browser with a 20 KB
/// policy.
#[wasm_bindgen_test]
fn keystroke_cost_with_a_20_kb_policy_is_measured() {
    catalogue();
    let big = policy_near_20_kb();
    let ms = keystroke_ms(&big, &big.replacen("Team0", "TeamZero", 1), 40);
    web_sys::console::log_1(
        &format!("browser: a keystroke with a {} byte bucket policy takes {ms:.2} ms (parse + lint + re-decide)", big.len()).into(),
    );
}

/// Measures (and prints, never asserts) parsing and evaluating a 20 KB bucket policy with the
/// policy engine alone, in the browser.
#[wasm_bindgen_test]
fn policy_engine_cost_with_a_20_kb_policy_is_measured() {
    catalogue();
    use s3pg_policy::{NamedPolicy, Policy, PolicySet, Principal, RequestContext, evaluate};

    let big = policy_near_20_kb();
    let performance = web_sys::window().unwrap().performance().unwrap();
    let rounds = 100;
    let start = performance.now();
    for _ in 0..rounds {
        assert!(Policy::parse(&big).is_ok());
    }
    let parse_ms = (performance.now() - start) / f64::from(rounds);
    let policy = Policy::parse(&big).unwrap();
    let set = PolicySet {
        resource_policy: Some(NamedPolicy::new("bucket policy", policy)),
        ..PolicySet::default()
    };
    let alice = Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
    let request = RequestContext::new(
        alice,
        "s3:GetObject",
        "arn:aws:s3:::examplebucket/teams/team-7/a.csv",
    )
    .with_resource_account("111122223333")
    .with_key("aws:PrincipalTag/team", "team-7");
    let start = performance.now();
    for _ in 0..rounds {
        let _ = evaluate(&request, &set);
    }
    let evaluate_ms = (performance.now() - start) / f64::from(rounds);
    web_sys::console::log_1(
        &format!(
            "browser: {} byte bucket policy: parse {parse_ms:.3} ms, evaluate {evaluate_ms:.3} ms",
            big.len()
        )
        .into(),
    );
}

/// Types `text` into the textarea as a keystroke would: the new value, then an `input` event.
fn type_into(area: &web_sys::HtmlTextAreaElement, text: &str) {
    area.set_value(text);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    init.set_input_type("insertText");
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    area.dispatch_event(&event).unwrap();
}

/// Times `rounds` keystrokes, each until the page has re-rendered (the scheduler runs before a
/// zero-delay timer fires); sorted, so the median is robust to a busy machine.
async fn keystrokes(
    performance: &web_sys::Performance,
    rounds: u32,
    mut keystroke: impl FnMut(u32),
) -> Vec<f64> {
    let mut times = Vec::new();
    for i in 0..rounds {
        let start = performance.now();
        keystroke(i);
        yew::platform::time::sleep(std::time::Duration::ZERO).await;
        times.push(performance.now() - start);
    }
    times.sort_by(f64::total_cmp);
    times
}

#[derive(yew::Properties, PartialEq)]
struct EditorAloneProps {
    text: String,
}

thread_local! {
    /// When the last keystroke into [`EditorAlone`] started, and how long each took until the
    /// editor had re-rendered (its effects run once every component of the pass has rendered).
    static RENDER: std::cell::RefCell<(f64, Vec<f64>)> = const { std::cell::RefCell::new((0.0, Vec::new())) };
}

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// The policy editor with nothing else on the page: what its own re-render costs.
#[yew::function_component(EditorAlone)]
fn editor_alone(props: &EditorAloneProps) -> yew::Html {
    use yew::prelude::*;
    use_effect(|| {
        RENDER.with(|r| {
            let mut r = r.borrow_mut();
            if r.0 > 0.0 {
                let took = now() - r.0;
                r.1.push(took);
                r.0 = 0.0;
            }
        });
    });
    let text = use_state(|| props.text.clone());
    let diagnostics = s3pg_web::state::diagnose(&text, "examplebucket");
    let on_edit = {
        let text = text.clone();
        Callback::from(move |t: String| text.set(t))
    };
    html! {
        <s3pg_web::editor::CodeEditor id="alone" label="Policy" text={(*text).clone()} {diagnostics} {on_edit} />
    }
}

/// A formatted bucket policy of about 15 KB (one statement per team), as a learner would see it.
fn formatted_policy_of_15_kb() -> String {
    let mut statements = Vec::new();
    for i in 0.. {
        statements.push(format!(
            r#"{{"Sid": "Team{i}", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::1111222233{:02}:root"}}, "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::examplebucket/teams/team-{i}/*", "Condition": {{"StringEquals": {{"aws:PrincipalTag/team": "team-{i}"}}}}}}"#,
            i % 100
        ));
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(",")
        );
        let formatted = s3pg_web::editor::format::format(&text).unwrap();
        if formatted.len() > 15_000 {
            return formatted;
        }
    }
    String::new()
}

/// Measures (and prints, never asserts) the editor's share of a keystroke with a 15 KB policy:
/// tokenizing and splitting into highlighted lines (pure), then the whole keystroke in the page —
/// an input event on the textarea to the re-rendered editor and decision (DOM).
#[wasm_bindgen_test]
async fn editor_keystroke_cost_with_a_15_kb_policy_is_measured() {
    catalogue();
    use s3pg_web::editor::highlight::{diag_spans, lines};
    use s3pg_web::editor::tokens::tokenize;

    let big = formatted_policy_of_15_kb();
    let performance = web_sys::window().unwrap().performance().unwrap();
    let diagnostics = s3pg_web::state::diagnose(&big, "examplebucket");
    let rounds = 50;
    let start = performance.now();
    let mut count = 0;
    for _ in 0..rounds {
        let tokens = tokenize(&big);
        let spans = diag_spans(&big, &diagnostics);
        count += lines(&big, &tokens, &spans).len();
    }
    let highlight_ms = (performance.now() - start) / f64::from(rounds);
    assert!(count > 0);

    // The whole page: type into the editor and wait until the highlighted copy shows the edit.
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    let area: web_sys::HtmlTextAreaElement = wait_for(&root, "#policy-text")
        .await
        .expect("the editor's textarea")
        .dyn_into()
        .unwrap();
    let input = |text: &str| type_into(&area, text);
    let lines_shown = || root.query_selector_all(".cm-hl .cm-line").unwrap().length();
    let rounds = 21;

    // A zero-delay timer's own cost, taken off the keystrokes below.
    let timer = keystrokes(&performance, rounds, |_| {}).await;
    let timer_ms = timer.first().copied().unwrap_or(0.0);

    // The default policy first (the 16 ms budget), then the 15 KB one (the 50 ms budget).
    let default_text = area.value();
    let default = keystrokes(&performance, rounds, |i| {
        input(&default_text.replacen("PutObjPolicy", &format!("PutObjPolicy{i}"), 1));
    })
    .await;

    input(&big);
    let expected = u32::try_from(big.lines().count()).unwrap();
    // A 15 KB policy is parsed, linted and re-decided before it is drawn: wait for it.
    for _ in 0..100 {
        if lines_shown() == expected {
            break;
        }
        yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(lines_shown(), expected);
    let page = keystrokes(&performance, rounds, |i| {
        input(&big.replacen("Team0\"", &format!("Team0x{i}\""), 1));
    })
    .await;
    next_frame().await;
    let shown = root
        .query_selector(".cm-hl")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(shown.contains(&format!("Team0x{}", rounds - 1)));
    root.remove();

    // The editor alone: the same keystrokes into a page holding only the editor.
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<EditorAlone>::with_root_and_props(
        root.clone(),
        EditorAloneProps { text: big.clone() },
    )
    .render();
    next_frame().await;
    let area: web_sys::HtmlTextAreaElement = root
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let mut sync = Vec::new();
    let alone = keystrokes(&performance, rounds, |i| {
        let start = performance.now();
        RENDER.with(|r| r.borrow_mut().0 = start);
        type_into(&area, &big.replacen("Team0\"", &format!("Team0z{i}\""), 1));
        sync.push(performance.now() - start);
    })
    .await;
    sync.sort_by(f64::total_cmp);
    let alone_sync_ms = sync[sync.len() / 2];
    let mut rendered = RENDER.with(|r| r.borrow().1.clone());
    rendered.sort_by(f64::total_cmp);
    let alone_render_ms = rendered
        .get(rendered.len() / 2)
        .copied()
        .unwrap_or(f64::NAN);
    next_frame().await;
    let shown = root.text_content().unwrap_or_default();
    assert!(shown.contains(&format!("Team0z{}", rounds - 1)));
    root.remove();
    let median = |times: &[f64]| times.get(times.len() / 2).copied().unwrap_or(0.0) - timer_ms;
    let (default_ms, keystroke_ms, alone_ms) = (median(&default), median(&page), median(&alone));

    // The state's share of that keystroke (parse, lint, re-decide), without the page.
    {
        use s3pg_web::state::{Action, AppState};
        use std::rc::Rc;
        use yew::Reducible;
        let mut state = Rc::new(AppState::from_scenario_text(DEFAULT_SCENARIO))
            .reduce(Action::EditPolicy(big.clone()));
        let mut times = Vec::new();
        for i in 0..rounds {
            let start = performance.now();
            state = state.reduce(Action::EditPolicy(big.replacen(
                "Team0\"",
                &format!("Team0y{i}\""),
                1,
            )));
            times.push(performance.now() - start);
        }
        times.sort_by(f64::total_cmp);
        let reducer_ms = times[times.len() / 2];
        web_sys::console::log_1(
            &format!(
                "browser: editor with a {} byte policy ({expected} lines): tokenize + highlight {highlight_ms:.2} ms; keystroke → decision and editor re-rendered {keystroke_ms:.1} ms median (of which the state's parse + lint + re-decide {reducer_ms:.1} ms; the editor alone re-renders in {alone_ms:.1} ms, {alone_sync_ms:.1} ms of it in the input event and {alone_render_ms:.1} ms until its render pass ends, the rest is the browser's layout and paint); default policy keystroke → re-rendered {default_ms:.1} ms",
                big.len()
            )
            .into(),
        );
    }
}
