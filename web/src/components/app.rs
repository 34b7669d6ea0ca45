//! The page: header, the three columns (world, bucket policy, request and decision), footer.

use yew::prelude::*;

use super::console::{ConsolePanel, DevicePanel};
use super::editor::PolicyEditor;
use super::encryption::EncryptionLab;
use super::library::LibraryPicker;
use super::logs::LogsPanel;
use super::outcome::OutcomeView;
use super::request::RequestPanel;
use super::share_panel::SharePanel;
use super::steps::StepsPanel;
use super::world::WorldPanel;
use crate::state::{Action, AppState};

/// The local-storage key of the learner's saved work.
const STORAGE_KEY: &str = "s3pg.session.v1";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A shared link first, then this browser's saved work, then the default scenario.
fn initial_state() -> AppState {
    let window = web_sys::window();
    let fragment = window.as_ref().and_then(|w| w.location().hash().ok());
    let saved = local_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let state = AppState::restore(fragment.as_deref(), saved.as_deref());
    // A shared scenario is now this browser's work: drop it from the address bar so a reload
    // restores the learner's edits rather than the link's original.
    if let Some(w) = &window
        && fragment
            .as_deref()
            .is_some_and(|f| f.starts_with(&format!("#{}", crate::share::FRAGMENT_KEY)))
    {
        let path = w.location().pathname().unwrap_or_else(|_| "/".to_owned());
        if let Ok(history) = w.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
    state
}

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    // Keep the learner's work in this browser: a reload restores it.
    {
        let saved = state.saved();
        use_effect_with(saved, |saved| {
            if let (Ok(json), Some(storage)) = (serde_json::to_string(saved), local_storage()) {
                let _ = storage.set_item(STORAGE_KEY, &json);
            }
        });
    }
    let dispatch = {
        let state = state.clone();
        Callback::from(move |action: Action| state.dispatch(action))
    };
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

    html! {
        <>
            <a class="skip" href="#result">{ "Skip to the decision" }</a>
            <header class="top">
                <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                    <rect width="32" height="32" rx="7" fill="#1f6f50" />
                    <path d="M9 14V11a7 7 0 0 1 14 0v3" fill="none" stroke="#fff" stroke-width="3" />
                    <rect x="7" y="14" width="18" height="13" rx="3" fill="#fff" />
                    <circle cx="16" cy="20.5" r="2.3" fill="#1f6f50" />
                </svg>
                <div>
                    <h1>{ "S3 Security Playground" }</h1>
                    <div class="tagline">{ "Build a policy, send a request, see exactly why S3 says yes or no." }</div>
                </div>
                <span class="spacer" />
                <a class="pill learn-link" href="?learn">{ "Lessons, challenges and exam practice" }</a>
                <span class="pill" title="Nothing leaves this page: the simulator runs as WebAssembly">
                    { "Runs offline in your browser" }
                </span>
                <button class="ghost" onclick={reset}>{ "Start over" }</button>
            </header>
            if let Some(error) = &state.load_error {
                <section class="panel" role="alert">
                    <h2>{ "The scenario could not be loaded" }</h2>
                    <pre class="code">{ error }</pre>
                </section>
            } else {
                <main id="app" data-ready="true" {onkeydown}>
                    <div class="col-world">
                        <LibraryPicker current={state.file.clone()} on_open={dispatch.reform(Action::Open)} />
                        <WorldPanel state={state.clone()} dispatch={dispatch.clone()} />
                        <StepsPanel state={state.clone()} dispatch={dispatch.clone()} />
                        <SharePanel state={state.clone()} dispatch={dispatch.clone()} />
                    </div>
                    <div class="col-policy">
                        <PolicyEditor
                            bucket={state.bucket.clone()}
                            text={state.policy_text.clone()}
                            diagnostics={state.diagnostics.clone()}
                            on_edit={dispatch.reform(Action::EditPolicy)}
                            hints={std::rc::Rc::new(crate::editor::hints_from_world(&state.world, &state.bucket))}
                            buckets={state.world.buckets.keys().cloned().collect::<Vec<_>>()}
                            on_select={dispatch.reform(Action::SelectBucket)}
                        />
                    </div>
                    <div class="col-result">
                        <RequestPanel state={state.clone()} dispatch={dispatch.clone()} />
                        <OutcomeView
                            outcome={state.shown_outcome().map(|(o, _)| o.clone())}
                            note={state.shown_outcome().map(|(_, n)| n).unwrap_or_default()}
                        />
                    </div>
                </main>
                <div class="labs">
                    <div class="labs-grid">
                        <ConsolePanel state={state.clone()} dispatch={dispatch.clone()} />
                        <DevicePanel state={state.clone()} dispatch={dispatch.clone()} />
                    </div>
                    <LogsPanel state={state.clone()} dispatch={dispatch.clone()} />
                    <EncryptionLab />
                </div>
            }
            <footer class="foot">
                { "Every decision comes from the simulator's core and cites the AWS documentation it follows. " }
                { "Where AWS does not document a behaviour, the trace says so." }
            </footer>
        </>
    }
}
