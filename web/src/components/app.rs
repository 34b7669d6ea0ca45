//! The app shell, laid out like the AWS console learners know: a top bar (the scenario, who is
//! signed in), a sidebar of views, the view itself, and the decision pane, always in view beside
//! it on a wide screen and below it on a narrow one (focused and scrolled to after each send).

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::bucket::BucketsView;
use super::console::{ConsolePanel, DevicePanel};
use super::first_request::FirstRequest;
use super::identities::IdentitiesView;
use super::logs::LogsPanel;
use super::outcome::OutcomeView;
use super::request::RequestsView;
use super::scenario::ScenarioView;
use super::services::{KeysView, VaultsView};
use crate::state::{Action, AppState, View};
use crate::work::panel::{VersionsPanel, WorkBar, use_playground};

/// Moves focus to the decision pane and scrolls it into view (after a send).
fn focus_result() {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("result"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
        element.scroll_into_view();
    }
}

/// A small line icon for each view (decorative: the label says it).
fn icon(view: View) -> Html {
    let d = match view {
        View::Scenario => "M4 5h16v14H4z M8 9h8 M8 13h5",
        View::Buckets => "M5 7c0-2 14-2 14 0l-2 12c0 1.5-10 1.5-10 0z M5 7c0 2 14 2 14 0",
        View::Identities => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M4 21c1-4 4-6 8-6s7 2 8 6",
        View::Requests => "M4 7h13l-3-3 M20 17H7l3 3",
        View::Console => "M4 5h16v14H4z M7 10l3 2-3 2 M12 15h5",
        View::Logs => "M6 4h9l3 3v13H6z M9 10h6 M9 14h6 M9 18h4",
        View::Keys => "M8 15a4 4 0 1 1 3-7l9 0v3h-2v2h-3v-2h-4a4 4 0 0 1-3 4z",
        View::Vaults => "M4 6h16v13H4z M4 10h16 M10 14h4",
        View::Analysis => "M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14z M16 16l4 4 M8 11h6 M11 8v6",
        View::Lessons => {
            "M4 6c3-1.5 5.5-1.5 8 0v13c-2.5-1.5-5-1.5-8 0z M12 6c2.5-1.5 5-1.5 8 0v13c-3-1.5-5.5-1.5-8 0"
        }
        View::Challenges => "M6 21V4 M6 4h11l-2 4 2 4H6",
        View::Exam => "M9 5h6 M8 3h8v4H8z M6 5H5v16h14V5h-1 M8 12l2 2 4-4 M8 17h8",
    };
    html! {
        <svg class="nav-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d={d} fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    // The state, kept in this browser; replacing work with edits in it asks first (crate::work).
    let (state, work, dispatch) = use_playground();
    // After each send the answer is where the learner looks next.
    use_effect_with(state.sends, |sends| {
        if *sends > 0 {
            focus_result();
        }
    });
    // Ctrl+Enter (⌘+Enter on a Mac) sends the request from anywhere on the page.
    let onkeydown = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if (e.ctrl_key() || e.meta_key()) && e.key() == "Enter" {
                e.prevent_default();
                dispatch.emit(Action::Send);
            }
        })
    };
    let reset = dispatch.reform(|_: MouseEvent| Action::Reset);
    let on_sign_in = dispatch.reform(|e: Event| {
        let i = e
            .target_dyn_into::<web_sys::HtmlSelectElement>()
            .map_or(0, |s| s.selected_index());
        Action::SignIn(usize::try_from(i).unwrap_or(0))
    });
    let view = state.view;
    let shown = state.shown_outcome();

    html! {
        <>
            <a class="skip-link" href="#result">{ "Skip to the decision" }</a>
            <header class="top">
                <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                    <rect width="32" height="32" rx="7" fill="#1f6f50" />
                    <path d="M9 14V11a7 7 0 0 1 14 0v3" fill="none" stroke="#fff" stroke-width="3" />
                    <rect x="7" y="14" width="18" height="13" rx="3" fill="#fff" />
                    <circle cx="16" cy="20.5" r="2.3" fill="#1f6f50" />
                </svg>
                <div class="brand">
                    <h1>{ "S3 Security Playground" }</h1>
                    <button type="button" class="scenario-name" title="What this scenario teaches"
                        onclick={dispatch.reform(|_: MouseEvent| Action::Navigate(View::Scenario))}>
                        { &state.title }
                    </button>
                </div>
                <span class="spacer" />
                <label class="signed-in">
                    <span>{ "Signed in as" }</span>
                    <select onchange={on_sign_in} data-testid="signed-in" aria-label="Signed in as" title="The console's requests (settings, Save) are signed by this principal">
                        { for state.callers.iter().enumerate().map(|(i, c)| html! {
                            <option selected={i == state.signed_in}>{ &c.label }</option>
                        }) }
                    </select>
                </label>
                <span class="pill offline" title="Nothing leaves this page: the simulator runs as WebAssembly">
                    { "Runs in your browser" }
                </span>
                <button class="ghost" onclick={reset}>{ "Start over" }</button>
            </header>
            <WorkBar state={state.clone()} work={work.clone()} />
            if let Some(error) = &state.load_error {
                <section class="panel" role="alert">
                    <h2>{ "The scenario could not be loaded" }</h2>
                    <pre class="code">{ error }</pre>
                </section>
            } else {
                <div class={classes!("shell", (view == View::Requests && state.compare.is_some()).then_some("comparing"), view.learning().map(|_| "learning"))}
                    id="app" data-ready="true" data-view={view.slug()} {onkeydown}>
                    <nav class="sidebar" aria-label="Views">
                        <ul>
                            { for View::ALL.iter().map(|v| {
                                let v = *v;
                                let current = v == view;
                                html! {
                                    <li>
                                        <button type="button" class={classes!("nav-item", current.then_some("current"))}
                                            aria-current={current.then_some("page")} data-view={v.slug()}
                                            onclick={dispatch.reform(move |_: MouseEvent| Action::Navigate(v))}>
                                            { icon(v) }<span>{ v.label() }</span>
                                        </button>
                                    </li>
                                }
                            }) }
                        </ul>
                    </nav>
                    <main class="workspace" id={format!("view-{}", view.slug())} aria-label={view.label()}>
                        { view_body(view, &state, &dispatch) }
                        if view == View::Scenario {
                            <VersionsPanel state={state.clone()} work={work.clone()} />
                        }
                    </main>
                    <aside class="decision-pane" id="result" tabindex="-1" aria-labelledby="result-h">
                        <h2 id="result-h">{ "S3's answer" }</h2>
                        <div class="live" aria-live="polite" aria-atomic="false" data-testid="verdict-region">
                            if let Some((outcome, note)) = shown.as_ref() {
                                <OutcomeView outcome={Some((*outcome).clone())} note={note.clone()} />
                            } else {
                                <FirstRequest state={state.clone()} dispatch={dispatch.clone()} />
                            }
                        </div>
                        <crate::analysis::AfterDecision state={state.clone()} dispatch={dispatch.clone()} />
                    </aside>
                </div>
            }
            <footer class="foot">
                { "Every decision comes from the simulator's core and cites the AWS documentation it follows. " }
                { "Where AWS does not document a behaviour, the trace says so." }
            </footer>
        </>
    }
}

/// The body of a view. A new view adds its arm here.
fn view_body(view: View, state: &UseReducerHandle<AppState>, dispatch: &Callback<Action>) -> Html {
    let state = state.clone();
    let dispatch = dispatch.clone();
    match view {
        View::Scenario => html! { <ScenarioView {state} {dispatch} /> },
        View::Buckets => html! { <BucketsView {state} {dispatch} /> },
        View::Identities => html! { <IdentitiesView {state} {dispatch} /> },
        View::Requests => html! { <RequestsView {state} {dispatch} /> },
        View::Console => html! {
            <div class="stack">
                <ConsolePanel state={state.clone()} dispatch={dispatch.clone()} />
                <DevicePanel {state} {dispatch} />
            </div>
        },
        View::Logs => html! { <LogsPanel {state} {dispatch} /> },
        View::Keys => html! {
            <div class="stack">
                <KeysView {state} {dispatch} />
                // Needs nothing of the world: the second module's (crate::lazy).
                <crate::lazy::LazyView name="encryption" />
            </div>
        },
        View::Vaults => html! { <VaultsView {state} {dispatch} /> },
        View::Analysis => html! { <crate::analysis::AnalysisView {state} {dispatch} /> },
        // The learning views are the second module's (crate::lazy): fetched when first opened.
        View::Lessons | View::Challenges | View::Exam => html! {
            <crate::lazy::LazyView name={view.slug()} />
        },
    }
}
