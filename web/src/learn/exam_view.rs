//! The exam practice view: set up a timed set (exam style, topics, count, minutes), answer it
//! against the clock, see the score by topic and review each mistake — every option's `why`, the
//! explanation, the AWS page, and the option run in the simulator with its trace — or drill one
//! topic a question at a time. Options are shown in the data's order.

use s3pg_course::{Exam, Question, Score};
use s3pg_sim::scenario::describe_caller;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::exam::{ExamConfig, clock};
use super::lessons::{short_url, topic_title};
use super::markdown::{render, render_line};
use super::panel::LearnProps;
use super::state::LearnAction;
use crate::components::outcome::OutcomeView;

const EXAMS: [Exam; 4] = [
    Exam::SecuritySpecialty,
    Exam::SolutionsArchitect,
    Exam::Developer,
    Exam::SysOps,
];

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn seed() -> u64 {
    // The page's randomness picks the set; the picking itself is pure (tested with fixed seeds).
    let r = js_sys::Math::random() * 9_007_199_254_740_992.0;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a non-negative float below 2^53"
    )]
    let r = r as u64;
    r
}

/// Exam practice.
#[function_component(ExamView)]
pub fn exam_view(props: &LearnProps) -> Html {
    let s = &props.state;
    if let Some(p) = &s.exam.practice {
        if p.result.is_some() {
            return html! { <ResultView state={s.clone()} dispatch={props.dispatch.clone()} /> };
        }
        return html! { <Runner state={s.clone()} dispatch={props.dispatch.clone()} /> };
    }
    if s.exam.drill.is_some() {
        return html! { <DrillView state={s.clone()} dispatch={props.dispatch.clone()} /> };
    }
    html! { <Setup state={s.clone()} dispatch={props.dispatch.clone()} /> }
}

#[function_component(Setup)]
fn setup(props: &LearnProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let cfg = s.exam.config.clone();
    let eligible = cfg.eligible(&s.course).len();
    let set = |f: fn(&mut ExamConfig, String)| {
        let cfg = cfg.clone();
        d.reform(move |v: String| {
            let mut c = cfg.clone();
            f(&mut c, v);
            LearnAction::ConfigureExam(c)
        })
    };
    let on_exam = set(|c, v| c.exam = EXAMS.into_iter().find(|e| format!("{e:?}") == v));
    let on_count = set(|c, v| c.count = v.parse().unwrap_or(c.count).clamp(1, 200));
    let on_minutes = set(|c, v| c.minutes = v.parse().unwrap_or(c.minutes).min(300));
    let on_topic = {
        let cfg = cfg.clone();
        d.reform(move |t: String| {
            let mut c = cfg.clone();
            if let Some(i) = c.topics.iter().position(|x| *x == t) {
                c.topics.remove(i);
            } else {
                c.topics.push(t);
            }
            LearnAction::ConfigureExam(c)
        })
    };
    let start = d.reform(|_: MouseEvent| LearnAction::StartPractice {
        seed: seed(),
        now_ms: now_ms(),
    });
    let value_of = |e: Event| {
        e.target_dyn_into::<HtmlInputElement>()
            .map(|i| i.value())
            .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()))
            .unwrap_or_default()
    };
    html! {
        <section class="learn-panel exam-setup" aria-labelledby="exam-h">
            <h2 id="exam-h">{ "Exam practice" }</h2>
            <p class="muted">{ "Questions in the style of the AWS certification exams. Every answer key is verified by running the question's world in the simulator, and each option says why it is right or wrong." }</p>
            <div class="setup-grid">
                <fieldset class="setup-box">
                    <legend>{ "A timed practice set" }</legend>
                    <label for="exam-style">{ "Exam style" }</label>
                    <select id="exam-style" onchange={on_exam.reform(value_of)}>
                        <option value="" selected={cfg.exam.is_none()}>{ "All exams" }</option>
                        { for EXAMS.iter().map(|e| html! { <option value={format!("{e:?}")} selected={cfg.exam == Some(*e)}>{ e.title() }</option> }) }
                    </select>
                    <fieldset class="topics-box">
                        <legend>{ "Topics " }<span class="muted">{ "(none ticked: all)" }</span></legend>
                        { for s3pg_course::TOPICS.iter().map(|t| {
                            let id = t.id.to_owned();
                            let checked = cfg.topics.iter().any(|x| x == t.id);
                            let n = s.course.questions_on(t.id).len();
                            html! {
                                <label class="check">
                                    <input type="checkbox" checked={checked} onchange={on_topic.reform(move |_: Event| id.clone())} />
                                    <span>{ render_line(t.title) }<span class="muted count">{ format!(" ({n})") }</span></span>
                                </label>
                            }
                        }) }
                    </fieldset>
                    <div class="row">
                        <label>{ "Questions " }<input type="number" min="1" max="200" value={cfg.count.to_string()} onchange={on_count.reform(value_of)} /></label>
                        <label>{ "Minutes " }<input type="number" min="0" max="300" value={cfg.minutes.to_string()} onchange={on_minutes.reform(value_of)} /></label>
                    </div>
                    <p class="muted">{ format!("{eligible} questions match; the set takes {} of them at random.", cfg.count.min(eligible)) }</p>
                    <button type="button" class="primary big" data-testid="start-practice" disabled={eligible == 0} onclick={start}>{ "Start the set" }</button>
                </fieldset>
                <section class="setup-box" aria-labelledby="drill-h">
                    <h3 id="drill-h">{ "Drill a topic" }</h3>
                    <p class="muted">{ "One question at a time, checked as soon as you answer." }</p>
                    <ul class="drill-list">
                        { for s3pg_course::TOPICS.iter().map(|t| {
                            let qs = s.course.questions_on(t.id);
                            let answered = qs.iter().filter(|q| s.progress.questions.contains_key(&q.id)).count();
                            let right = qs.iter().filter(|q| s.progress.questions.get(&q.id).is_some_and(|h| h.last_correct)).count();
                            let id = t.id.to_owned();
                            html! {
                                <li>
                                    <span class="drill-topic">{ render_line(t.title) }</span>
                                    <span class="muted">{ format!("{right}/{} right", qs.len()) }</span>
                                    <meter min="0" max={qs.len().to_string()} value={right.to_string()} aria-label={format!("{} answered right: {right} of {} ({answered} answered)", t.title, qs.len())} />
                                    <button type="button" class="ghost" disabled={qs.is_empty()} aria-label={format!("Drill {}", t.title)}
                                        onclick={d.reform(move |_: MouseEvent| LearnAction::StartDrill(id.clone()))}>{ "Drill" }</button>
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct OptionsProps {
    question: Question,
    selected: Vec<String>,
    on_toggle: Callback<String>,
    /// After checking: the score, to mark the key and the wrong choices.
    #[prop_or_default]
    score: Option<Score>,
}

/// A question's stem and options (in the data's order).
#[function_component(QuestionBlock)]
fn question_block(props: &OptionsProps) -> Html {
    let q = &props.question;
    let multi = q.choose > 1;
    let name = format!("q-{}", q.id);
    html! {
        <div class="exam-question" data-question={q.id.clone()}>
            <p class="q-meta"><span class="badge">{ q.exam.title() }</span><span class="muted">{ render_line(topic_title(&q.topic)) }</span></p>
            <div class="prose stem">{ render(&q.stem.as_string()) }</div>
            <fieldset class="options" disabled={props.score.is_some()}>
                <legend class="visually-hidden">{ if multi { format!("Choose {}", q.choose) } else { "Choose one".to_owned() } }</legend>
                { for q.options.iter().map(|o| {
                    let checked = props.selected.contains(&o.id);
                    let id = o.id.clone();
                    let mark = props.score.as_ref().map(|s| {
                        if s.key.contains(&o.id) { "key" } else if checked { "wrong" } else { "" }
                    });
                    html! {
                        <label class={classes!("option", checked.then_some("checked"), mark)}>
                            <input type={if multi { "checkbox" } else { "radio" }} name={name.clone()} checked={checked}
                                onchange={props.on_toggle.reform(move |_: Event| id.clone())} />
                            <span class="opt-id">{ &o.id }</span>
                            <span class="opt-text">{ render_line(&o.text.as_string()) }</span>
                        </label>
                    }
                }) }
            </fieldset>
        </div>
    }
}

#[function_component(Runner)]
fn runner(props: &LearnProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let now = use_state(now_ms);
    // A one-second tick: the countdown re-renders, and the reducer submits when time is up.
    {
        let now = now.clone();
        let d = d.clone();
        use_effect_with((), move |()| {
            let interval = gloo::timers::callback::Interval::new(1_000, move || {
                let t = now_ms();
                now.set(t);
                d.emit(LearnAction::Tick(t));
            });
            move || drop(interval)
        });
    }
    let Some(p) = &s.exam.practice else {
        return html! {};
    };
    let Some(q) = p
        .questions
        .get(p.current)
        .and_then(|id| s.course.question(id))
    else {
        return html! {};
    };
    let selected = p.selected.get(p.current).cloned().unwrap_or_default();
    let remaining = p.remaining_ms(*now);
    let low = remaining.is_some_and(|r| r < 60_000.0);
    let cur = p.current;
    let n = p.questions.len();
    html! {
        <section class="learn-panel exam-run" aria-labelledby="run-h">
            <header class="run-head">
                <h2 id="run-h">{ format!("Question {} of {n}", cur + 1) }</h2>
                <span class="muted">{ format!("{} answered", p.answered()) }</span>
                <span class="spacer" />
                if let Some(r) = remaining {
                    <span class={classes!("timer", low.then_some("low"))} role="timer" aria-label={format!("Time left: {}", clock(r))} data-testid="timer">{ clock(r) }</span>
                }
            </header>
            <ol class="qnav" aria-label="Questions">
                { for (0..n).map(|i| {
                    let answered = p.selected.get(i).is_some_and(|s| !s.is_empty());
                    let flagged = p.flagged.get(i).copied().unwrap_or(false);
                    let label = format!("Question {}{}{}", i + 1, if answered { ", answered" } else { "" }, if flagged { ", flagged" } else { "" });
                    html! { <li><button type="button" class={classes!("qdot", answered.then_some("answered"), flagged.then_some("flagged"), (i == cur).then_some("here"))}
                        aria-label={label} aria-current={(i == cur).then_some("step")}
                        onclick={d.reform(move |_: MouseEvent| LearnAction::PracticeGo(i))}>{ i + 1 }</button></li> }
                }) }
            </ol>
            <QuestionBlock question={q.clone()} selected={selected} on_toggle={d.reform(LearnAction::PracticeToggle)} />
            <nav class="lesson-nav" aria-label="Set navigation">
                <button type="button" class="ghost" disabled={cur == 0} onclick={d.reform(move |_: MouseEvent| LearnAction::PracticeGo(cur.saturating_sub(1)))}>{ "← Previous" }</button>
                <button type="button" class="ghost" aria-pressed={p.flagged.get(cur).copied().unwrap_or(false).to_string()} onclick={d.reform(|_: MouseEvent| LearnAction::PracticeFlag)}>{ "⚑ Flag for review" }</button>
                <span class="spacer" />
                if cur + 1 < n {
                    <button type="button" class="primary" data-testid="next-question" onclick={d.reform(move |_: MouseEvent| LearnAction::PracticeGo(cur + 1))}>{ "Next →" }</button>
                }
                <button type="button" class={if cur + 1 < n { "ghost" } else { "primary" }} data-testid="submit" onclick={d.reform(|_: MouseEvent| LearnAction::Submit(now_ms()))}>{ "Submit the set" }</button>
            </nav>
        </section>
    }
}

#[function_component(ResultView)]
fn result_view(props: &LearnProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let Some(r) = s.exam.practice.as_ref().and_then(|p| p.result.as_ref()) else {
        return html! {};
    };
    let secs = r.elapsed_ms / 1000.0;
    html! {
        <section class="learn-panel exam-result" aria-labelledby="result-score-h">
            <header class="run-head">
                <h2 id="result-score-h" data-testid="score">{ format!("You scored {}% — {} of {} right", r.percent(), r.correct(), r.answered.len()) }</h2>
                <span class="spacer" />
                <button type="button" class="ghost" onclick={d.reform(|_: MouseEvent| LearnAction::LeaveExam)}>{ "New set" }</button>
            </header>
            <p class="muted">{ if r.timed_out { "Time ran out; unanswered questions count as wrong.".to_owned() } else { format!("Submitted after {}.", clock(secs * 1000.0)) } }</p>
            <table class="by-topic">
                <caption>{ "Score by topic" }</caption>
                <thead><tr><th scope="col">{ "Topic" }</th><th scope="col">{ "Right" }</th><th scope="col">{ "" }</th></tr></thead>
                <tbody>{ for r.by_topic.iter().map(|t| html! {
                    <tr><td>{ render_line(topic_title(&t.topic)) }</td><td>{ format!("{} of {}", t.correct, t.total) }</td>
                        <td><meter min="0" max={t.total.to_string()} value={t.correct.to_string()} aria-label={format!("{} of {}", t.correct, t.total)} /></td></tr>
                }) }</tbody>
            </table>
            <h3>{ "Your answers" }</h3>
            <ol class="answer-list">
                { for r.answered.iter().enumerate().map(|(i, a)| {
                    let open = s.exam.review == Some(i);
                    html! {
                        <li class={if a.score.correct { "right" } else { "wrong" }}>
                            <button type="button" class="link" aria-expanded={open.to_string()} onclick={d.reform(move |_: MouseEvent| LearnAction::Review(if open { None } else { Some(i) }))}>
                                { if a.score.correct { "✓ " } else { "✕ " } }{ format!("Question {} — ", i + 1) }{ render_line(topic_title(&a.topic)) }
                                { if a.selected.is_empty() { " (not answered)".to_owned() } else { format!(" (you chose {})", a.selected.join(", ")) } }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if let Some(a) = s.exam.review.and_then(|i| r.answered.get(i)) {
                if let Some(q) = s.course.question(&a.id) {
                    <Review question={q.clone()} selected={a.selected.clone()} score={a.score.clone()} />
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ReviewProps {
    question: Question,
    selected: Vec<String>,
    score: Score,
}

/// One question reviewed: each option's why, the explanation, the AWS pages, and an option run
/// in the simulator with its trace.
#[function_component(Review)]
fn review(props: &ReviewProps) -> Html {
    let q = &props.question;
    // The option to run: the first wrong choice, else the first key option.
    let default = props
        .score
        .wrong
        .first()
        .or(props.score.key.first())
        .cloned()
        .unwrap_or_default();
    let run_id = use_state(|| default.clone());
    {
        let run_id = run_id.clone();
        use_effect_with(q.id.clone(), move |_| run_id.set(default));
    }
    let option = q.options.iter().find(|o| o.id == *run_id);
    let check = option.map(|o| q.run_option(o));
    let step = use_state(|| 0usize);
    html! {
        <section class="review" aria-labelledby="review-h" data-testid="review">
            <h3 id="review-h">{ if props.score.correct { "Review" } else { "Review of a mistake" } }</h3>
            <QuestionBlock question={q.clone()} selected={props.selected.clone()} on_toggle={Callback::noop()} score={Some(props.score.clone())} />
            <ul class="whys">
                { for q.options.iter().map(|o| {
                    let key = props.score.key.contains(&o.id);
                    let why = props.score.why.iter().find(|(id, _)| *id == o.id).map(|(_, w)| w.clone()).unwrap_or_default();
                    html! {
                        <li class={if key { "key" } else { "" }}>
                            <strong>{ format!("{} — {}", o.id, if key { "right" } else { "wrong" }) }</strong>
                            if props.selected.contains(&o.id) { <span class="badge">{ "your choice" }</span> }
                            <div>{ render_line(&why) }</div>
                        </li>
                    }
                }) }
            </ul>
            <div class="explanation prose"><h4>{ "Explanation" }</h4>{ render(&props.score.explanation) }</div>
            <p class="sources">{ "AWS documentation: " }
                { for q.source.urls().into_iter().map(|u| html! { <a href={u.to_owned()} target="_blank" rel="noopener noreferrer">{ short_url(u) }</a> }) }
            </p>
            <div class="run-option">
                <h4>{ "See it in the simulator" }</h4>
                <p class="muted">{ "Each option is run in the question's world. Choose one to see its requests and S3's answers, with the trace." }</p>
                <div class="choices" role="group" aria-label="Option to run">
                    { for q.options.iter().map(|o| {
                        let on = o.id == *run_id;
                        let (id, run_id, step) = (o.id.clone(), run_id.clone(), step.clone());
                        html! { <button type="button" class={classes!("choice", on.then_some("chosen"))} aria-pressed={on.to_string()}
                            onclick={Callback::from(move |_: MouseEvent| { run_id.set(id.clone()); step.set(0); })}>{ format!("Run {}", o.id) }</button> }
                    }) }
                </div>
                <button type="button" class="link open-playground" onclick={{
                    let (q, id) = (q.clone(), (*run_id).clone());
                    Callback::from(move |_: MouseEvent| {
                        if let Some(json) = super::scenario::question_scenario(&q, &id) {
                            super::panel::open_scenario(&json);
                        }
                    })
                }}>{ format!("Open option {} in the playground ↗", *run_id) }</button>
                if let Some(c) = check {
                    <p class={if c.works == Some(true) { "answer ok" } else { "answer wrong" }}>
                        { match c.works {
                            Some(true) => format!("Option {} works: every claim held.", c.id),
                            Some(false) => format!("Option {} does not work:", c.id),
                            None => format!("Option {} names something the playground does not simulate:", c.id),
                        } }
                    </p>
                    if !c.failures.is_empty() { <ul class="why">{ for c.failures.iter().map(|f| html! { <li>{ render_line(f) }</li> }) }</ul> }
                    if !c.reports.is_empty() {
                        <ol class="sent-list" aria-label="Requests run">
                            { for c.reports.iter().enumerate().map(|(i, r)| {
                                let on = *step == i;
                                let st = step.clone();
                                html! { <li><button type="button" class={classes!("sent", if r.failures.is_empty() { "ok" } else { "bad" }, on.then_some("open"))} aria-pressed={on.to_string()}
                                    onclick={Callback::from(move |_: MouseEvent| st.set(i))}>
                                    <span class="status-code">{ r.outcome.status }</span>{ format!(" {} as {}", r.request.operation.name(), describe_caller(&r.request.caller)) }
                                </button></li> }
                            }) }
                        </ol>
                        if let Some(r) = c.reports.get(*step) {
                            <OutcomeView outcome={Some(r.outcome.clone())} note={String::new()} />
                        }
                    }
                }
            </div>
        </section>
    }
}

#[function_component(DrillView)]
fn drill_view(props: &LearnProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let Some(dr) = &s.exam.drill else {
        return html! {};
    };
    let Some(q) = dr.question(&s.course) else {
        return html! {};
    };
    html! {
        <section class="learn-panel exam-run" aria-labelledby="drill-run-h">
            <header class="run-head">
                <h2 id="drill-run-h">{ "Drill: " }{ render_line(if dr.topic.is_empty() { "one question" } else { topic_title(&dr.topic) }) }</h2>
                <span class="muted">{ format!("Question {} of {} · {} of {} right so far", dr.current + 1, dr.questions.len(), dr.correct, dr.done) }</span>
                <span class="spacer" />
                <button type="button" class="ghost" onclick={d.reform(|_: MouseEvent| LearnAction::LeaveExam)}>{ "End the drill" }</button>
            </header>
            if let Some(score) = &dr.checked {
                <p class={if score.correct { "answer ok" } else { "answer wrong" }} role="status">{ if score.correct { "✓ Right." } else { "✕ Not quite." } }</p>
                <Review question={q.clone()} selected={dr.selected.clone()} score={score.clone()} />
                <nav class="lesson-nav"><span class="spacer" />
                    <button type="button" class="primary" onclick={d.reform(|_: MouseEvent| LearnAction::DrillNext)}>{ "Next question →" }</button>
                </nav>
            } else {
                <QuestionBlock question={q.clone()} selected={dr.selected.clone()} on_toggle={d.reform(LearnAction::DrillToggle)} />
                <nav class="lesson-nav"><span class="spacer" />
                    <button type="button" class="primary" disabled={dr.selected.is_empty()} onclick={d.reform(|_: MouseEvent| LearnAction::DrillCheck)}>{ "Check my answer" }</button>
                </nav>
            }
        </section>
    }
}
