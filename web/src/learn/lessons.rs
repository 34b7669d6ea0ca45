//! The lessons view: the course's lessons in order with the learner's progress, and the lesson
//! reader — a page per try, the try's composer, what the engine said of the learner's request
//! (why it passed or failed), the trace one click away, the trace question, and hints.

use s3pg_course::{Section, Try};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::markdown::{render, render_line};
use super::panel::LearnProps;
use super::state::{LearnAction, Tab, page_try, pages};
use crate::builder::{RequestForm, callers_of};
use crate::components::outcome::OutcomeView;
use crate::components::request::{Choices, RequestBuilder};

/// The topic's title.
pub fn topic_title(id: &str) -> &'static str {
    s3pg_course::TOPICS
        .iter()
        .find(|t| t.id == id)
        .map_or("", |t| t.title)
}

/// The lessons, in course order.
#[function_component(LessonList)]
pub fn lesson_list(props: &LearnProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    html! {
        <section class="learn-panel" aria-labelledby="lessons-h">
            <h2 id="lessons-h">{ "Lessons" }</h2>
            <p class="muted">{ "Each lesson is a short read with live tries: you send requests in the lesson's own world and the simulator checks each one." }</p>
            <ol class="lesson-list">
                { for s.course.lessons.iter().enumerate().map(|(i, l)| {
                    let tries = l.tries().count();
                    let passed = s.progress.passed_in(&l.id).len().min(tries);
                    let done = s.progress.lesson_done(&l.id);
                    let (status, class, button) = if done {
                        ("Done".to_owned(), "done", "Review")
                    } else if passed > 0 {
                        (format!("{passed} of {tries} tries"), "started", "Continue")
                    } else {
                        (format!("{tries} tries"), "new", "Start")
                    };
                    let id = l.id.clone();
                    let custom = s.opened.as_ref().is_some_and(|o| o.ids.contains(&l.id));
                    html! {
                        <li class={classes!("lesson-card", class)} data-lesson={l.id.clone()}>
                            <span class="lesson-num" aria-hidden="true">{ if done { "✓".to_owned() } else { format!("{}", i + 1) } }</span>
                            <div class="lesson-body">
                                <h3>{ render_line(&l.title) }
                                    if custom { <span class="badge custom">{ "from your instructor" }</span> }
                                </h3>
                                if let Some(sum) = &l.summary { <p class="muted">{ render_line(&sum.as_string()) }</p> }
                                <p class="lesson-meta">
                                    <span>{ format!("{} min", l.minutes) }</span>
                                    <span class={classes!("status", class)}>{ status }</span>
                                    <progress max={tries.to_string()} value={passed.to_string()} aria-label={format!("{} progress", l.title)} />
                                </p>
                            </div>
                            <button type="button" class={if done { "ghost" } else { "primary" }}
                                aria-label={format!("{button}: {}", l.title)}
                                onclick={d.reform(move |_: MouseEvent| LearnAction::OpenLesson(id.clone()))}>{ button }</button>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

/// The lesson reader.
#[function_component(LessonView)]
pub fn lesson_view(props: &LearnProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let (Some(run), Some(lesson)) = (&s.lesson, s.open_lesson()) else {
        return html! {};
    };
    let ps = pages(lesson);
    let page = run.page.min(ps.len().saturating_sub(1));
    let sections = ps.get(page).cloned().unwrap_or_default();
    let passed = s.progress.passed_in(&lesson.id);
    let index = s.course.lessons.iter().position(|l| l.id == lesson.id);
    let next_lesson = index.and_then(|i| s.course.lessons.get(i + 1));
    let last = page + 1 >= ps.len();
    let practice = s.course.challenges_for(&lesson.id);
    html! {
        <article class="learn-panel lesson" aria-labelledby="lesson-h" data-lesson={lesson.id.clone()}>
            if !props.embed {
                <nav class="crumbs" aria-label="Breadcrumb">
                    <button type="button" class="link" onclick={d.reform(|_: MouseEvent| LearnAction::Tab(Tab::Lessons))}>{ "Lessons" }</button>
                    <span aria-hidden="true">{ " › " }</span>
                    <span>{ topic_title(&lesson.topic) }</span>
                </nav>
            }
            <header class="lesson-head">
                <h2 id="lesson-h">{ render_line(&lesson.title) }</h2>
                <ol class="page-dots" aria-label="Tries in this lesson">
                    { for ps.iter().enumerate().map(|(i, p)| {
                        let t = page_try(lesson, p);
                        let ok = t.is_some_and(|t| passed.contains(&t.id));
                        let label = format!("Try {} of {}{}", i + 1, ps.len(), if ok { ", passed" } else { "" });
                        html! {
                            <li>
                                <button type="button" class={classes!("dot", ok.then_some("ok"), (i == page).then_some("here"))}
                                    aria-label={label} aria-current={(i == page).then_some("step")}
                                    onclick={d.reform(move |_: MouseEvent| LearnAction::LessonPage(i))}>
                                    { if ok { "✓".to_owned() } else { (i + 1).to_string() } }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            </header>
            if page == 0 {
                if let Some(sum) = &lesson.summary { <p class="lead">{ render_line(&sum.as_string()) }</p> }
            }
            { for sections.iter().filter_map(|i| lesson.sections.get(*i)).map(|sec| match sec {
                Section::Text(t) => html! { <div class="prose">{ render(&t.as_string()) }</div> },
                Section::Try(t) => html! { <TryPanel key={t.id.clone()} state={s.clone()} dispatch={d.clone()} tr={(**t).clone()} /> },
            }) }
            <nav class="lesson-nav" aria-label="Lesson pages">
                if page > 0 {
                    <button type="button" class="ghost" onclick={d.reform(move |_: MouseEvent| LearnAction::LessonPage(page - 1))}>{ "← Previous" }</button>
                } else if !props.embed {
                    <button type="button" class="ghost" onclick={d.reform(|_: MouseEvent| LearnAction::Tab(Tab::Lessons))}>{ "← All lessons" }</button>
                }
                <span class="spacer" />
                if !last {
                    <button type="button" class="primary" data-testid="next-page" onclick={d.reform(move |_: MouseEvent| LearnAction::LessonPage(page + 1))}>{ "Next →" }</button>
                } else if !props.embed {
                    if let Some(n) = next_lesson {
                        <button type="button" class="primary" data-testid="next-lesson" onclick={{ let id = n.id.clone(); d.reform(move |_: MouseEvent| LearnAction::OpenLesson(id.clone())) }}>
                            { "Next lesson: " }{ render_line(&n.title) }{ " →" }
                        </button>
                    } else {
                        <button type="button" class="primary" onclick={d.reform(|_: MouseEvent| LearnAction::Tab(Tab::Challenges))}>{ "On to the challenges →" }</button>
                    }
                }
            </nav>
            if last && !props.embed && !practice.is_empty() {
                <aside class="practise">
                    <h3>{ "Practise what this lesson taught" }</h3>
                    <ul>{ for practice.iter().map(|c| { let id = c.id.clone(); html! {
                        <li><button type="button" class="link" onclick={d.reform(move |_: MouseEvent| LearnAction::OpenChallenge(id.clone()))}>{ render_line(&c.title) }</button></li>
                    }}) }</ul>
                </aside>
            }
            <p class="sources">{ "AWS documentation: " }
                { for lesson.source.urls().into_iter().map(|u| html! { <a href={u.to_owned()} target="_blank" rel="noopener noreferrer">{ short_url(u) }</a> }) }
            </p>
        </article>
    }
}

/// What the playground's request builder offers, from a world (as the Requests view does).
pub fn choices_of(world: &s3pg_sim::World) -> Choices {
    let mut mfa_serials = Vec::new();
    for account in world.accounts.values() {
        mfa_serials.extend(account.root.mfa_devices.iter().map(|d| d.serial.clone()));
        for user in account.users.values() {
            mfa_serials.extend(user.mfa_devices.iter().map(|d| d.serial.clone()));
        }
    }
    Choices {
        callers: callers_of(world),
        buckets: world.buckets.keys().cloned().collect(),
        vpc_endpoints: world.vpc_endpoints.keys().cloned().collect(),
        mfa_serials,
        kms_keys: world.kms.keys.keys().cloned().collect(),
        accounts: world.accounts.keys().cloned().collect(),
    }
}

/// The builder's form for `request`, when the form says exactly that request (the builder covers
/// the common object requests; anything else is edited as JSON).
pub fn form_for(
    request: &s3pg_sim::Request,
    callers: &[crate::builder::CallerChoice],
) -> Option<RequestForm> {
    let mut form = RequestForm::default();
    form.prefill(request, callers);
    form.build(callers)
        .ok()
        .filter(|built| built == request)
        .map(|_| form)
}

/// The last part of a documentation URL, as a link label.
pub fn short_url(url: &str) -> String {
    url.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(url)
        .trim_end_matches(".html")
        .to_owned()
}

#[derive(Properties, PartialEq)]
struct TryProps {
    state: UseReducerHandle<super::state::LearnState>,
    dispatch: Callback<LearnAction>,
    tr: Try,
}

#[function_component(TryPanel)]
fn try_panel(props: &TryProps) -> Html {
    let edited = use_state(|| None::<RequestForm>);
    let json_mode = use_state(|| false);
    let form_error = use_state(|| None::<String>);
    let s = &props.state;
    let d = &props.dispatch;
    let t = &props.tr;
    let Some(run) = &s.lesson else {
        return html! {};
    };
    let id = t.id.clone();
    let draft = run.drafts.get(&t.id).cloned().unwrap_or_default();
    let report = run.reports.get(&t.id);
    let done_before = s.progress.passed_in(&run.id).contains(&t.id);
    let hints = run
        .hints
        .get(&t.id)
        .copied()
        .unwrap_or(0)
        .min(t.hints.len());
    let on_input = {
        let id = id.clone();
        d.reform(move |e: InputEvent| {
            let v = e
                .target_dyn_into::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            LearnAction::EditTry(id.clone(), v)
        })
    };
    let on_keydown = {
        let id = id.clone();
        let d = d.clone();
        Callback::from(move |e: KeyboardEvent| {
            if (e.ctrl_key() || e.meta_key()) && e.key() == "Enter" {
                e.prevent_default();
                d.emit(LearnAction::SendTry(id.clone()));
            }
        })
    };
    let area = format!("try-{}-request", t.id);
    // The playground's request builder when it can say the draft exactly; JSON otherwise.
    let choices = choices_of(&run.session.world);
    let form = (*edited).clone().or_else(|| {
        super::state::parse_request(&draft)
            .ok()
            .and_then(|r| form_for(&r, &choices.callers))
    });
    let use_form = form.is_some() && !*json_mode;
    let on_form = {
        let (edited, d, id, callers, form_error) = (
            edited.clone(),
            d.clone(),
            id.clone(),
            choices.callers.clone(),
            form_error.clone(),
        );
        Callback::from(move |f: RequestForm| {
            if let Ok(r) = f.build(&callers) {
                d.emit(LearnAction::EditTry(
                    id.clone(),
                    serde_json::to_string_pretty(&r).unwrap_or_default(),
                ));
            }
            form_error.set(None);
            edited.set(Some(f));
        })
    };
    let send_form = {
        let (edited, d, id, callers, form, form_error) = (
            edited.clone(),
            d.clone(),
            id.clone(),
            choices.callers.clone(),
            form.clone(),
            form_error.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(f) = &form else { return };
            match f.build(&callers) {
                Ok(r) => {
                    edited.set(None);
                    form_error.set(None);
                    d.emit(LearnAction::SendTryRequest(id.clone(), Box::new(r)));
                }
                Err(e) => form_error.set(Some(e)),
            }
        })
    };
    let reset = {
        let (edited, d, id) = (edited.clone(), d.clone(), id.clone());
        Callback::from(move |_: MouseEvent| {
            edited.set(None);
            d.emit(LearnAction::ResetTry(id.clone()));
        })
    };
    // "Open in the playground": computed on click (it replays the lesson up to this try).
    let open_in_playground = {
        let lesson = s.open_lesson().cloned();
        let (t, title) = (t.clone(), format!("{} — {}", run.id, t.id));
        let request = report.map(|r| r.step.request.clone());
        Callback::from(move |_: MouseEvent| {
            let (Some(lesson), Some(request)) = (&lesson, &request) else {
                return;
            };
            let mut session = lesson.begin();
            for other in lesson.tries().take_while(|o| o.id != t.id) {
                let _ = session.attempt(other, &other.request);
            }
            if let Some(json) =
                super::scenario::try_scenario(&title, &session.world, session.now, &t, request)
            {
                super::panel::open_scenario(&json);
            }
        })
    };
    let rows = draft.lines().count().clamp(4, 18).to_string();
    html! {
        <section class="try" aria-labelledby={format!("try-{}-h", t.id)} data-try={t.id.clone()}>
            <h3 id={format!("try-{}-h", t.id)}>
                <span class="try-tag">{ "Try it" }</span>
                if done_before { <span class="badge ok">{ "passed" }</span> }
            </h3>
            <div class="prose">{ render(&t.task.as_string()) }</div>
            <div class="composer">
                if form.is_some() {
                    <div class="mode-switch" role="group" aria-label="How to write the request">
                        <button type="button" class={classes!("choice", use_form.then_some("chosen"))} aria-pressed={use_form.to_string()}
                            onclick={{ let m = json_mode.clone(); Callback::from(move |_: MouseEvent| m.set(false)) }}>{ "Form" }</button>
                        <button type="button" class={classes!("choice", (!use_form).then_some("chosen"))} aria-pressed={(!use_form).to_string()}
                            onclick={{ let m = json_mode.clone(); Callback::from(move |_: MouseEvent| m.set(true)) }}>{ "JSON" }</button>
                    </div>
                }
                if let (true, Some(f)) = (use_form, form.clone()) {
                    <RequestBuilder form={f} choices={choices.clone()} on_change={on_form} id={format!("try-{}", t.id)} />
                    if let Some(e) = &*form_error { <p class="error" role="alert">{ e }</p> }
                    <div class="row">
                        <button type="button" class="primary" data-testid="send-try" onclick={send_form}>{ "Send" }</button>
                        <button type="button" class="ghost" onclick={reset.clone()}>{ "Reset to the suggested request" }</button>
                    </div>
                } else {
                    <label for={area.clone()}>{ "Your request " }<span class="muted">{ "(JSON, as in scenario files; edit it, then Send — Ctrl+Enter)" }</span></label>
                    <textarea id={area} class="request-json" spellcheck="false" rows={rows}
                        value={draft} oninput={on_input} onkeydown={on_keydown} />
                    if let Some(e) = run.draft_errors.get(&t.id) {
                        <p class="error" role="alert">{ e }</p>
                    }
                    <div class="row">
                        <button type="button" class="primary" data-testid="send-try" onclick={{ let id = id.clone(); d.reform(move |_: MouseEvent| LearnAction::SendTry(id.clone())) }}>{ "Send" }</button>
                        <button type="button" class="ghost" onclick={reset}>{ "Reset to the suggested request" }</button>
                    </div>
                }
            </div>
            <div class="try-result" aria-live="polite">
                if let Some(r) = report {
                    if r.passed {
                        <div class="verdict-box pass" data-testid="try-passed">
                            <p class="verdict-title">{ "✓ Passed — " }{ format!("S3 answered HTTP {}", r.step.outcome.status) }</p>
                            if let Some(ok) = &t.success { <div class="prose">{ render(&ok.as_string()) }</div> }
                        </div>
                    } else {
                        <div class="verdict-box fail" data-testid="try-failed">
                            <p class="verdict-title">{ "✕ Not yet — " }{ format!("S3 answered HTTP {}", r.step.outcome.status) }</p>
                            <ul>{ for r.failures.iter().map(|f| html! { <li>{ render_line(f) }</li> }) }</ul>
                            <p class="muted">{ "Nothing changed in the lesson's world: adjust the request and send it again." }</p>
                        </div>
                    }
                    if let (true, Some(q)) = (r.passed, &t.question) {
                        <Question tr={t.clone()} q={q.clone()} answer={run.answers.get(&t.id).cloned()} dispatch={d.clone()} />
                    }
                    <button type="button" class="link open-playground" onclick={open_in_playground}>
                        { "Open this request in the full playground ↗" }
                    </button>
                    <details class="trace-details">
                        <summary>{ "Show the trace: which gate decided, and why" }</summary>
                        <OutcomeView outcome={Some(r.step.outcome.clone())} note={String::new()} />
                    </details>
                }
            </div>
            if !t.hints.is_empty() {
                <div class="hints">
                    { for t.hints.iter().take(hints).enumerate().map(|(i, h)| html! {
                        <div class="learn-hint"><strong>{ format!("Hint {}: ", i + 1) }</strong>{ render_line(&h.as_string()) }</div>
                    }) }
                    if hints < t.hints.len() {
                        <button type="button" class="link" onclick={{ let id = id.clone(); d.reform(move |_: MouseEvent| LearnAction::TryHint(id.clone())) }}>
                            { format!("Show a hint ({} of {})", hints + 1, t.hints.len()) }
                        </button>
                    }
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct QuestionProps {
    tr: Try,
    q: s3pg_course::TraceQuestion,
    answer: Option<(String, s3pg_course::lesson::AnswerReport)>,
    dispatch: Callback<LearnAction>,
}

#[function_component(Question)]
fn question(props: &QuestionProps) -> Html {
    let typed = use_state(String::new);
    let id = props.tr.id.clone();
    let d = &props.dispatch;
    let name = format!("q-{id}");
    html! {
        <fieldset class="trace-question">
            <legend>{ render_line(&props.q.ask.as_string()) }</legend>
            if props.q.choices.is_empty() {
                <div class="row">
                    <input type="text" aria-label="Your answer" value={(*typed).clone()}
                        oninput={{ let typed = typed.clone(); Callback::from(move |e: InputEvent| {
                            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() { typed.set(i.value()); }
                        }) }} />
                    <button type="button" onclick={{ let id = id.clone(); let typed = typed.clone(); d.reform(move |_: MouseEvent| LearnAction::AnswerTry(id.clone(), (*typed).clone())) }}>{ "Answer" }</button>
                </div>
            } else {
                <div class="choices" role="group">
                    { for props.q.choices.iter().map(|c| {
                        let chosen = props.answer.as_ref().is_some_and(|(a, _)| a == c);
                        let (id, c2) = (id.clone(), c.clone());
                        html! {
                            <button type="button" class={classes!("choice", chosen.then_some("chosen"))} aria-pressed={chosen.to_string()} name={name.clone()}
                                onclick={d.reform(move |_: MouseEvent| LearnAction::AnswerTry(id.clone(), c2.clone()))}>{ c }</button>
                        }
                    }) }
                </div>
            }
            if let Some((_, a)) = &props.answer {
                <p class={if a.correct { "answer ok" } else { "answer wrong" }} role="status">
                    { if a.correct { "✓ Right: " } else { "✕ Not quite: " } }{ render_line(&a.explanation) }
                    if !a.correct { { render_line(&format!(" (the engine's answer is `{}`)", a.expected)) } }
                </p>
            }
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_builder_takes_the_tries_it_can_say_exactly() {
        let course = s3pg_course::builtin::course().unwrap();
        let (mut form, mut all) = (0, 0);
        for l in &course.lessons {
            let callers = callers_of(&l.prepared);
            for t in l.tries() {
                all += 1;
                if let Some(f) = form_for(&t.request, &callers) {
                    assert_eq!(
                        f.build(&callers).as_ref(),
                        Ok(&t.request),
                        "{} {}",
                        l.id,
                        t.id
                    );
                    form += 1;
                }
            }
        }
        assert!(form * 3 >= all, "the form covers {form} of {all} tries");
    }
}
