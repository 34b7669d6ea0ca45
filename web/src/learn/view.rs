//! The learning views' root components: [`LearnView`] (lessons, challenges and exam practice,
//! with the progress toolbar) and [`LearnEmbed`] (one lesson or challenge alone, for an
//! `<iframe>`). Both fetch the course once per page and keep the learner's progress in local
//! storage.

use std::cell::RefCell;
use std::rc::Rc;

use s3pg_course::Course;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::challenges::{ChallengeList, ChallengeView};
use super::exam_view::ExamView;
use super::lessons::{LessonList, LessonView};
use super::links::{Embed, Target};
use super::panel::LearnProps;
pub use super::panel::open_scenario;
use super::progress::{Progress, STORAGE_KEY};
use super::state::{LearnAction, LearnState, Tab};

thread_local! {
    /// The course, once fetched: every learning view of the page shares it.
    static COURSE: RefCell<Option<Rc<Course>>> = const { RefCell::new(None) };
}

/// The local-storage key where unreadable progress is kept aside (never overwritten unseen).
const UNREADABLE_KEY: &str = "s3pg.progress.unreadable";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The progress in local storage, and a notice when what was there could not be read (it is
/// kept under another key, so nothing is lost).
fn stored_progress() -> (Progress, Option<String>) {
    let text = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    match Progress::from_storage(text.as_deref()) {
        Ok(p) => (p, None),
        Err(e) => {
            if let (Some(s), Some(t)) = (storage(), text) {
                let _ = s.set_item(UNREADABLE_KEY, &t);
            }
            (
                Progress::default(),
                Some(format!(
                    "The progress saved in this browser could not be read, so it starts afresh; the old copy is kept under `{UNREADABLE_KEY}`. {e}"
                )),
            )
        }
    }
}

/// Loads the course (once per page) and renders `ready` with it, or a loading / failure note.
#[derive(Properties, PartialEq)]
struct CourseGateProps {
    ready: Callback<Rc<Course>, Html>,
}

#[function_component(CourseGate)]
fn course_gate(props: &CourseGateProps) -> Html {
    let loaded = use_state(|| COURSE.with(|c| c.borrow().clone()).map(Ok::<_, String>));
    {
        let loaded = loaded.clone();
        use_effect_with((), move |()| {
            if loaded.is_none() {
                load(loaded);
            }
        });
    }
    match &*loaded {
        Some(Ok(course)) => props.ready.emit(Rc::clone(course)),
        Some(Err(e)) => html! {
            <section class="learn-panel" role="alert">
                <h2>{ "The course could not be opened" }</h2>
                <p>{ e }</p>
            </section>
        },
        None => html! {
            <p class="learn-loading" role="status">
                <span class="learn-spinner" aria-hidden="true" />{ "Opening the course…" }
            </p>
        },
    }
}

#[cfg(target_arch = "wasm32")]
fn load(loaded: UseStateHandle<Option<Result<Rc<Course>, String>>>) {
    yew::platform::spawn_local(async move {
        let result = super::content::fetch().await.map(Rc::new);
        if let Ok(c) = &result {
            COURSE.with(|slot| *slot.borrow_mut() = Some(Rc::clone(c)));
        }
        loaded.set(Some(result));
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn load(loaded: UseStateHandle<Option<Result<Rc<Course>, String>>>) {
    let result = super::content::builtin().map(Rc::new);
    if let Ok(c) = &result {
        COURSE.with(|slot| *slot.borrow_mut() = Some(Rc::clone(c)));
    }
    loaded.set(Some(result));
}

/// Props for [`LearnView`].
#[derive(Properties, PartialEq, Clone)]
pub struct LearnViewProps {
    /// The view to open on (the shell's sidebar entry).
    pub tab: Tab,
    /// What the page address asked for (a lesson, a challenge, exam practice).
    #[prop_or_default]
    pub target: Target,
    /// Course material from a `#pack=` link or a file, to open first.
    #[prop_or_default]
    pub document: Option<AttrValue>,
    /// Whether to show the view's own tab bar (when no shell navigation is around it).
    #[prop_or(true)]
    pub tabs: bool,
}

/// Lessons, challenges and exam practice.
#[function_component(LearnView)]
pub fn learn_view(props: &LearnViewProps) -> Html {
    let p = props.clone();
    let ready = Callback::from(move |course: Rc<Course>| {
        html! { <LearnApp course={course} tab={p.tab} target={p.target.clone()} document={p.document.clone()} tabs={p.tabs} embed={false} /> }
    });
    html! { <CourseGate {ready} /> }
}

/// Props for [`LearnEmbed`].
#[derive(Properties, PartialEq, Clone)]
pub struct LearnEmbedProps {
    /// What to show alone.
    pub embed: Embed,
    /// Course material from a `#pack=` link, which may hold the embedded item.
    #[prop_or_default]
    pub document: Option<AttrValue>,
}

/// One lesson or challenge alone, without the playground around it (for an `<iframe>`).
#[function_component(LearnEmbed)]
pub fn learn_embed(props: &LearnEmbedProps) -> Html {
    let p = props.clone();
    let ready = Callback::from(move |course: Rc<Course>| {
        let target = match &p.embed {
            Embed::Lesson(id) => Target {
                lesson: Some(id.clone()),
                ..Target::default()
            },
            Embed::Challenge(id) => Target {
                challenge: Some(id.clone()),
                ..Target::default()
            },
            Embed::Scenario => Target::default(),
        };
        let tab = if target.challenge.is_some() {
            Tab::Challenges
        } else {
            Tab::Lessons
        };
        html! { <LearnApp course={course} {tab} {target} document={p.document.clone()} tabs={false} embed={true} /> }
    });
    html! { <CourseGate {ready} /> }
}

#[derive(Properties, PartialEq)]
struct LearnAppProps {
    course: Rc<Course>,
    tab: Tab,
    target: Target,
    document: Option<AttrValue>,
    tabs: bool,
    embed: bool,
}

fn initial(props: &LearnAppProps) -> LearnState {
    let (progress, problem) = stored_progress();
    let mut s = LearnState::new(Rc::clone(&props.course), progress);
    s = s.apply(LearnAction::Tab(props.tab));
    if let Some(doc) = &props.document {
        s = s.apply(LearnAction::OpenDocument(doc.to_string()));
    }
    if let Some(id) = &props.target.lesson {
        s = s.apply(LearnAction::OpenLesson(id.clone()));
    } else if let Some(id) = &props.target.challenge {
        s = s.apply(LearnAction::OpenChallenge(id.clone()));
    } else if props.target.exam {
        s = s.apply(LearnAction::Tab(Tab::Exam));
    }
    if let Some(text) = problem {
        s.notice = Some(super::state::Notice { error: true, text });
    }
    s
}

#[function_component(LearnApp)]
fn learn_app(props: &LearnAppProps) -> Html {
    let state = use_reducer(|| initial(props));
    // The shell's sidebar chooses the view: follow it.
    {
        let state = state.clone();
        let shown = use_mut_ref(|| props.tab);
        use_effect_with(props.tab, move |tab| {
            if *shown.borrow() != *tab {
                *shown.borrow_mut() = *tab;
                state.dispatch(LearnAction::Tab(*tab));
            }
        });
    }
    // Progress lives in this browser only.
    use_effect_with(state.progress.clone(), |p| {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, &p.export());
        }
    });
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: LearnAction| state.dispatch(a))
    };
    let body = match (state.tab, &state.lesson, &state.challenge) {
        (_, Some(_), _) => {
            html! { <LessonView state={state.clone()} dispatch={dispatch.clone()} embed={props.embed} /> }
        }
        (_, None, Some(_)) => {
            html! { <ChallengeView state={state.clone()} dispatch={dispatch.clone()} embed={props.embed} /> }
        }
        (Tab::Lessons, None, None) => {
            html! { <LessonList state={state.clone()} dispatch={dispatch.clone()} /> }
        }
        (Tab::Challenges, None, None) => {
            html! { <ChallengeList state={state.clone()} dispatch={dispatch.clone()} /> }
        }
        (Tab::Exam, None, None) => {
            html! { <ExamView state={state.clone()} dispatch={dispatch.clone()} /> }
        }
    };
    let tab_button = |tab: Tab, label: &'static str| {
        let current = state.tab == tab && state.lesson.is_none() && state.challenge.is_none();
        let selected = state.tab == tab;
        html! {
            <button type="button" class={classes!("learn-tab", selected.then_some("current"))}
                aria-current={current.then_some("page")} data-learn-tab={tab_slug(tab)}
                onclick={dispatch.reform(move |_: MouseEvent| LearnAction::Tab(tab))}>{ label }</button>
        }
    };
    html! {
        <div class={classes!("learn", props.embed.then_some("learn-embedded"))} data-learn-ready="true" data-learn-tab={tab_slug(state.tab)}>
            if props.tabs {
                <nav class="learn-tabs" aria-label="Learning">
                    { tab_button(Tab::Lessons, "Lessons") }
                    { tab_button(Tab::Challenges, "Challenges") }
                    { tab_button(Tab::Exam, "Exam practice") }
                </nav>
            }
            if !props.embed {
                <Toolbar state={state.clone()} dispatch={dispatch.clone()} />
            }
            if let Some(n) = &state.notice {
                <div class={classes!("learn-notice", n.error.then_some("error"))} role={if n.error { "alert" } else { "status" }}>
                    <p>{ &n.text }</p>
                    <button type="button" class="ghost" onclick={dispatch.reform(|_: MouseEvent| LearnAction::DismissNotice)}>{ "Dismiss" }</button>
                </div>
            }
            if let Some(o) = &state.opened {
                if !props.embed {
                    <aside class="learn-opened" aria-label="Course material you opened">
                        <strong>{ &o.title }</strong>
                        if let Some(a) = &o.author { <span class="muted">{ format!(" by {a}") }</span> }
                        if !o.description.is_empty() { <div class="prose">{ super::markdown::render(&o.description) }</div> }
                        <ShareLink text={o.text.clone()} />
                    </aside>
                }
            }
            { body }
        </div>
    }
}

/// The view's slug (`lessons`, `challenges`, `exam`).
pub fn tab_slug(tab: Tab) -> &'static str {
    match tab {
        Tab::Lessons => "lessons",
        Tab::Challenges => "challenges",
        Tab::Exam => "exam",
    }
}

/// Offers `text` as a file download named `name`.
pub fn download(text: &str, name: &str) {
    use wasm_bindgen::JsCast;
    let blob = gloo::file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo::file::ObjectUrl::from(blob);
    let anchor = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = anchor {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
}

/// Reads the file chosen in a file input and hands its text to `then`.
pub fn read_chosen_file(e: &Event, then: Callback<String>) {
    let Some(input) = e.target_dyn_into::<HtmlInputElement>() else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    input.set_value("");
    let file = gloo::file::File::from(file);
    yew::platform::spawn_local(async move {
        match gloo::file::futures::read_as_text(&file).await {
            Ok(text) => then.emit(text),
            Err(_) => then.emit(String::new()),
        }
    });
}

#[function_component(Toolbar)]
fn toolbar(props: &LearnProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let p = &s.progress;
    let answered = p.questions.len();
    let right = p.questions.values().filter(|h| h.last_correct).count();
    let export = {
        let text = p.export();
        Callback::from(move |_: MouseEvent| download(&text, "s3pg-progress.json"))
    };
    let import = {
        let d = d.clone();
        Callback::from(move |e: Event| read_chosen_file(&e, d.reform(LearnAction::ImportProgress)))
    };
    let open = {
        let d = d.clone();
        Callback::from(move |e: Event| read_chosen_file(&e, d.reform(LearnAction::OpenDocument)))
    };
    html! {
        <div class="learn-toolbar">
            <p class="learn-summary" data-testid="learn-summary">
                <span><strong>{ p.lessons_done() }</strong>{ format!(" of {} lessons done", s.course.lessons.len()) }</span>
                <span><strong>{ p.challenges_solved() }</strong>{ format!(" of {} challenges solved", s.course.challenges.len()) }</span>
                <span><strong>{ answered }</strong>{ format!(" of {} questions answered", s.course.questions.len()) }
                    if answered > 0 { { format!(" ({right} right the last time)") } }
                </span>
            </p>
            <span class="spacer" />
            <button type="button" class="ghost" onclick={export}>{ "Export progress" }</button>
            <label class="ghost file-button">{ "Import progress" }
                <input type="file" accept=".json,application/json" class="visually-hidden" onchange={import} data-testid="import-progress" />
            </label>
            <label class="ghost file-button" title="A course pack, lesson, challenge or question from your instructor">{ "Open course file" }
                <input type="file" accept=".json,application/json" class="visually-hidden" onchange={open} data-testid="open-course-file" />
            </label>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ShareLinkProps {
    text: String,
}

/// "Share as a link": the material travels in the link's fragment (never uploaded).
#[function_component(ShareLink)]
fn share_link(props: &ShareLinkProps) -> Html {
    let link = use_state(|| None::<String>);
    let make = {
        let link = link.clone();
        let text = props.text.clone();
        Callback::from(move |_: MouseEvent| {
            let location = web_sys::window().map(|w| w.location());
            let base = location
                .as_ref()
                .map(|l| {
                    format!(
                        "{}{}",
                        l.origin().unwrap_or_default(),
                        l.pathname().unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            let url = format!("{base}#{}", super::links::encode_pack(&text));
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&url);
            }
            link.set(Some(url));
        })
    };
    html! {
        <div class="share-link">
            <button type="button" class="ghost" onclick={make}>{ "Copy a link to this material" }</button>
            if let Some(url) = &*link {
                <label class="visually-hidden" for="pack-link">{ "Link to this material" }</label>
                <input id="pack-link" readonly=true value={url.clone()} data-testid="pack-link" />
                <span class="muted">{ format!("{} characters; the material travels in the link itself, nothing is uploaded.", url.len()) }</span>
            }
        </div>
    }
}
