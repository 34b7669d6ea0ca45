//! The views and hook that keep the learner's work: [`use_playground`] gives the app its state
//! and a dispatch that asks before anything replaces the work; [`WorkBar`] shows the notices and
//! the "replace your work?" dialog; [`VersionsPanel`] saves, lists, restores and deletes named
//! versions.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::storage;
use super::{
    LinkOutcome, Notice, Pending, SESSION_KEY, Startup, Version, describe, has_work,
    needs_confirmation, open_link, startup,
};
use crate::state::{Action, AppState};

/// What the work views show: notices, a replacement waiting for an answer, the versions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkState {
    /// Messages about the learner's work (a link that did not open, storage that could not be read).
    pub notices: Vec<Notice>,
    /// A replacement waiting for the learner's answer.
    pub pending: Option<Pending>,
    /// The named versions, newest first.
    pub versions: Vec<Version>,
    /// The last answer of the versions panel (saved, could not save…).
    pub status: Option<String>,
}

/// What happened to the work views.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkAction {
    /// Ask before a replacement.
    Ask(Box<Pending>),
    /// The learner answered (either way).
    Answered,
    /// Tell the learner something.
    Notice(Notice),
    /// Close notice N.
    Dismiss(usize),
    /// The versions list changed.
    Versions(Vec<Version>),
    /// The versions panel's answer.
    Status(Option<String>),
}

impl Reducible for WorkState {
    type Action = WorkAction;

    fn reduce(self: Rc<Self>, action: WorkAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            WorkAction::Ask(p) => next.pending = Some(*p),
            WorkAction::Answered => next.pending = None,
            WorkAction::Notice(n) => next.notices.push(n),
            WorkAction::Dismiss(i) => {
                if i < next.notices.len() {
                    next.notices.remove(i);
                }
            }
            WorkAction::Versions(v) => next.versions = v,
            WorkAction::Status(s) => next.status = s,
        }
        Rc::new(next)
    }
}

/// The startup's parts, each taken by the first app mounted.
struct Boot {
    /// The page's first state (`None` once taken).
    state: Option<AppState>,
    /// What to tell the learner.
    notices: Vec<Notice>,
    /// A link waiting for the learner's answer.
    pending: Option<Pending>,
}

thread_local! {
    static BOOT: RefCell<Option<Boot>> = const { RefCell::new(None) };
}

/// The startup, worked out once from the address bar and storage.
fn boot<T>(take: impl FnOnce(&mut Boot) -> T) -> T {
    BOOT.with(|cell| {
        let mut cell = cell.borrow_mut();
        let boot = cell.get_or_insert_with(|| {
            let location = gloo::utils::window().location();
            let fragment = location.hash().ok().filter(|h| !h.is_empty());
            let session = storage::read(SESSION_KEY);
            let Startup {
                state,
                notices,
                pending,
                set_aside_session,
            } = startup(fragment.as_deref(), session.as_deref());
            if set_aside_session {
                storage::set_aside(SESSION_KEY);
            }
            if fragment.is_some() {
                clear_fragment();
            }
            Boot {
                state: Some(state),
                notices,
                pending,
            }
        });
        take(boot)
    })
}

/// Drops the `#…` from the address bar (a reload must restore the work, not the link again).
fn clear_fragment() {
    let window = gloo::utils::window();
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The playground's state, the work views' state, and the dispatch components use: actions that
/// would replace work with edits in it (open, start over, import, restore) ask first. Also keeps
/// the session in local storage and opens links pasted into an open tab (`hashchange`).
#[hook]
pub fn use_playground() -> (
    UseReducerHandle<AppState>,
    UseReducerHandle<WorkState>,
    Callback<Action>,
) {
    let state = use_reducer(|| {
        // The start-up state goes to the first app mounted; any later one (a test page mounts
        // several) starts on the default scenario rather than an empty world.
        boot(|b| b.state.take())
            .unwrap_or_else(|| AppState::from_scenario_text(crate::state::DEFAULT_SCENARIO))
    });
    let work = use_reducer(|| {
        let (versions, problem) = storage::load_versions();
        let (mut notices, pending) = boot(|b| (std::mem::take(&mut b.notices), b.pending.take()));
        if let Some(problem) = problem {
            notices.push(Notice {
                text: problem,
                kept: None,
            });
        }
        WorkState {
            notices,
            pending,
            versions,
            status: None,
        }
    });

    // The handles of the latest render, for listeners registered once.
    let latest = use_mut_ref(|| (state.clone(), work.clone()));
    *latest.borrow_mut() = (state.clone(), work.clone());

    // Keep the work for the next visit: a quarter of a second after the last change (typing
    // stays fast), and at once when the page is hidden or closed with a change not yet written.
    let pending_save = use_mut_ref(|| None::<Timeout>);
    let unsaved = use_mut_ref(|| false);
    {
        let unsaved = unsaved.clone();
        let key = &*state as *const AppState as usize;
        let latest = latest.clone();
        let pending_save = pending_save.clone();
        use_effect_with(key, move |_| {
            *unsaved.borrow_mut() = true;
            let save = {
                let latest = latest.clone();
                let unsaved = unsaved.clone();
                move || {
                    *unsaved.borrow_mut() = false;
                    let (state, work) = latest.borrow().clone();
                    if let Err(e) = storage::save_session(&state.saved()) {
                        work.dispatch(WorkAction::Status(Some(e)));
                    }
                }
            };
            *pending_save.borrow_mut() = Some(Timeout::new(250, save));
        });
    }
    {
        let latest = latest.clone();
        let pending_save = pending_save.clone();
        let unsaved = unsaved.clone();
        use_effect_with((), move |_| {
            let flush = EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
                if std::mem::take(&mut *unsaved.borrow_mut()) {
                    if let Some(timeout) = pending_save.borrow_mut().take() {
                        timeout.cancel();
                    }
                    let (state, _) = latest.borrow().clone();
                    let _ = storage::save_session(&state.saved());
                }
            });
            move || drop(flush)
        });
    }

    // A link opened in a tab that already shows the playground only changes the fragment.
    {
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                let hash = gloo::utils::window().location().hash().unwrap_or_default();
                let (state, work) = latest.borrow().clone();
                let outcome = open_link(&state, &hash);
                if outcome != LinkOutcome::None {
                    clear_fragment();
                }
                match outcome {
                    LinkOutcome::None => {}
                    LinkOutcome::Refused(notice) => work.dispatch(WorkAction::Notice(notice)),
                    LinkOutcome::Open(action) => state.dispatch(action),
                    LinkOutcome::Ask(pending) => work.dispatch(WorkAction::Ask(Box::new(pending))),
                }
            });
            move || drop(listener)
        });
    }

    let dispatch = {
        let (state, work) = (state.clone(), work.clone());
        Callback::from(
            move |action: Action| match needs_confirmation(&state, &action) {
                Some(pending) => work.dispatch(WorkAction::Ask(Box::new(pending))),
                None => state.dispatch(action),
            },
        )
    };
    (state, work, dispatch)
}

/// Props of the work views.
#[derive(Properties, PartialEq)]
pub struct WorkProps {
    /// The playground.
    pub state: UseReducerHandle<AppState>,
    /// The work views' state.
    pub work: UseReducerHandle<WorkState>,
}

/// Saves the page's work as a version named `name`; the answer for the panel.
fn save_version(
    state: &AppState,
    work: &UseReducerHandle<WorkState>,
    name: &str,
) -> Result<String, String> {
    let versions = storage::add_version(&work.versions, name, state.saved())?;
    let saved_as = versions.first().map(|v| v.name.clone()).unwrap_or_default();
    work.dispatch(WorkAction::Versions(versions));
    Ok(saved_as)
}

/// Downloads the work on the page as a scenario file the learner can paste back.
fn download_work(state: &AppState) -> Result<(), String> {
    let json = state
        .export_json()
        .ok_or_else(|| "there is no scenario on the page to download".to_owned())?;
    storage::download("my-s3-playground-work.json", &json, "application/json")
}

/// Notices about the learner's work and the "replace your work?" dialog.
#[function_component(WorkBar)]
pub fn work_bar(props: &WorkProps) -> Html {
    let first_button = use_node_ref();
    {
        let first_button = first_button.clone();
        let open = props.work.pending.is_some();
        use_effect_with(open, move |open| {
            if *open && let Some(button) = first_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let notices = props.work.notices.iter().enumerate().map(|(i, notice)| {
        let dismiss = props.work.dispatcher();
        let kept = notice.kept.clone();
        html! {
            <div class="work-notice" role="alert" data-testid="work-notice">
                <p>{ &notice.text }</p>
                <div class="actions">
                    if let Some((name, text)) = kept {
                        <button class="ghost" onclick={Callback::from(move |_: MouseEvent| {
                            let _ = storage::download(&name, &text, "application/json");
                        })}>{ "Download what was kept" }</button>
                    }
                    <button class="ghost" onclick={Callback::from(move |_: MouseEvent| dismiss.dispatch(WorkAction::Dismiss(i)))}>{ "OK" }</button>
                </div>
            </div>
        }
    });
    let dialog = props.work.pending.as_ref().map(|pending| {
        let download = {
            let state = props.state.clone();
            let work = props.work.clone();
            Callback::from(move |_: MouseEvent| {
                let status = download_work(&state).err();
                work.dispatch(WorkAction::Status(status));
            })
        };
        let replace = {
            let state = props.state.clone();
            let work = props.work.clone();
            let pending = pending.clone();
            Callback::from(move |_: MouseEvent| {
                // Replacing is never a loss: the work goes into a version first.
                if has_work(&state) {
                    let name = format!("Before I chose to {}", pending.what);
                    if let Err(e) = save_version(&state, &work, &name) {
                        work.dispatch(WorkAction::Status(Some(e)));
                        return;
                    }
                }
                state.dispatch(pending.action.clone());
                work.dispatch(WorkAction::Answered);
            })
        };
        let keep = {
            let work = props.work.clone();
            Callback::from(move |_: MouseEvent| work.dispatch(WorkAction::Answered))
        };
        let onkeydown = {
            let work = props.work.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Escape" {
                    work.dispatch(WorkAction::Answered);
                }
            })
        };
        html! {
            <div class="work-dialog-backdrop">
                <div class="work-dialog" role="alertdialog" aria-modal="true" aria-labelledby="replace-h" aria-describedby="replace-p" {onkeydown} data-testid="replace-dialog">
                    <h2 id="replace-h">{ "Replace your work?" }</h2>
                    <p id="replace-p">
                        { format!("You have changes on this page. To {}, the playground replaces them. ", pending.what) }
                        { "If you go ahead, a copy is kept under Saved versions, and you can download one now." }
                    </p>
                    if let Some(status) = &props.work.status {
                        <p class="hint" role="status">{ status }</p>
                    }
                    <div class="actions wrap">
                        <button ref={first_button} class="ghost" onclick={download}>{ "Download my work" }</button>
                        <button class="primary" onclick={replace}>{ "Replace it" }</button>
                        <button class="ghost" onclick={keep}>{ "Keep my work" }</button>
                    </div>
                </div>
            </div>
        }
    });
    html! {
        <>
            { for notices }
            { for dialog }
        </>
    }
}

/// Named versions of the work: save, list, restore, delete.
#[function_component(VersionsPanel)]
pub fn versions_panel(props: &WorkProps) -> Html {
    let name = use_node_ref();
    let save = {
        let state = props.state.clone();
        let work = props.work.clone();
        let name = name.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = name.cast::<HtmlInputElement>();
            let typed = input
                .as_ref()
                .map(HtmlInputElement::value)
                .unwrap_or_default();
            let status = match save_version(&state, &work, &typed) {
                Ok(saved_as) => {
                    if let Some(input) = &input {
                        input.set_value("");
                    }
                    format!("Saved as “{saved_as}”.")
                }
                Err(e) => format!("Not saved: {e}."),
            };
            work.dispatch(WorkAction::Status(Some(status)));
        })
    };
    let rows = props.work.versions.iter().enumerate().map(|(i, version)| {
        let restore = {
            let dispatch = props.dispatch_restore(version);
            Callback::from(move |_: MouseEvent| dispatch())
        };
        let delete = {
            let work = props.work.clone();
            let name = version.name.clone();
            Callback::from(move |_: MouseEvent| {
                let mut versions = work.versions.clone();
                if i < versions.len() {
                    versions.remove(i);
                }
                let status = match storage::store_versions(&versions) {
                    Ok(()) => format!("Deleted “{name}”."),
                    Err(e) => format!("Not deleted: {e}."),
                };
                work.dispatch(WorkAction::Versions(versions));
                work.dispatch(WorkAction::Status(Some(status)));
            })
        };
        html! {
            <li data-testid="version">
                <span class="version-name">{ &version.name }</span>
                <span class="hint">{ format!("{} · {}", describe(&version.work), storage::format_time(version.saved_at)) }</span>
                <span class="actions">
                    <button class="ghost" onclick={restore} aria-label={format!("Restore {}", version.name)}>{ "Restore" }</button>
                    <button class="ghost" onclick={delete} aria-label={format!("Delete {}", version.name)}>{ "Delete" }</button>
                </span>
            </li>
        }
    });
    html! {
        <section class="panel" aria-labelledby="versions-h">
            <h2 id="versions-h">{ "Saved versions" }</h2>
            <form class="actions wrap" onsubmit={save}>
                <label class="field">
                    <span>{ "Name" }</span>
                    <input ref={name} type="text" maxlength="80" placeholder="e.g. before adding the VPC condition" />
                </label>
                <button class="ghost" type="submit">{ "Save this version" }</button>
            </form>
            if let Some(status) = &props.work.status {
                <p class="hint" role="status" data-testid="versions-status">{ status }</p>
            }
            if props.work.versions.is_empty() {
                <p class="hint">{ "No saved versions yet. They stay in this browser, even offline." }</p>
            } else {
                <ul class="versions">{ for rows }</ul>
            }
        </section>
    }
}

impl WorkProps {
    /// Restoring asks first when the page holds work, like every other replacement.
    fn dispatch_restore(&self, version: &Version) -> impl Fn() + 'static {
        let state = self.state.clone();
        let work = self.work.clone();
        let action = Action::Restore(version.work.clone());
        let what = format!("restore the version “{}”", version.name);
        move || {
            if has_work(&state) {
                work.dispatch(WorkAction::Ask(Box::new(Pending {
                    action: action.clone(),
                    what: what.clone(),
                })));
            } else {
                state.dispatch(action.clone());
            }
        }
    }
}
