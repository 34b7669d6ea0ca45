//! The challenges view: the list with difficulty, topics and the learner's grade, and a challenge
//! — its goal and rules, the world changed through requests (the bucket policy saved as
//! `PutBucketPolicy`, settings as the requests the console sends), "Grade" running the hidden
//! probes and constraints with each requirement's pass or fail and the failing one's trace, and
//! hints revealed level by level. A find-the-hole challenge is graded by the learner's requests.

use std::rc::Rc;

use s3pg_course::Challenge;
use s3pg_course::challenge::Difficulty;
use s3pg_sim::scenario::describe_caller;
use s3pg_sim::{Caller, Request, World};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::lessons::{short_url, topic_title};
use super::markdown::{render, render_line};
use super::panel::LearnProps;
use super::state::{LearnAction, Tab};
use crate::components::outcome::OutcomeView;
use crate::editor::{CodeEditor, hints_from_world};

/// The difficulty's label.
pub fn difficulty(d: Difficulty) -> &'static str {
    match d {
        Difficulty::Beginner => "Beginner",
        Difficulty::Intermediate => "Intermediate",
        Difficulty::Advanced => "Advanced",
    }
}

/// Requests the composer offers to start from, for a challenge's bucket: `(label, request)`.
/// Settings are sent by the bucket owner's root user (as the console would), object requests by
/// the first IAM user; in a find-the-hole challenge, by the first attacker.
pub fn templates(
    challenge: &Challenge,
    world: &World,
    bucket: &str,
) -> Vec<(&'static str, Request)> {
    let owner = world
        .buckets
        .get(bucket)
        .map(|b| b.owner.clone())
        .unwrap_or_default();
    let root = serde_json::to_value(Caller::Root {
        account: owner.clone(),
    })
    .unwrap_or_default();
    let user = world
        .accounts
        .get(&owner)
        .and_then(|a| a.users.keys().next().cloned())
        .map_or(
            root.clone(),
            |name| serde_json::json!({ "user": { "name": name } }),
        );
    let key = world
        .buckets
        .get(bucket)
        .and_then(|b| b.objects.keys().next().cloned())
        .unwrap_or_else(|| "example.txt".to_owned());
    let mut list: Vec<(&'static str, serde_json::Value)> = Vec::new();
    if let Some(hole) = &challenge.hole {
        let attacker = hole
            .attackers
            .first()
            .and_then(|c| serde_json::to_value(c).ok())
            .unwrap_or_else(|| serde_json::json!("anonymous"));
        let target_key = hole.target.key.clone().unwrap_or(key);
        list.push(("List the bucket (ListObjectsV2)", serde_json::json!({ "caller": attacker, "operation": { "ListObjectsV2": { "bucket": bucket } } })));
        list.push(("Read an object (GetObject)", serde_json::json!({ "caller": attacker, "operation": { "GetObject": { "bucket": bucket, "key": target_key } } })));
        list.push(("Read the bucket ACL (GetBucketAcl)", serde_json::json!({ "caller": attacker, "operation": { "GetBucketAcl": { "bucket": bucket } } })));
        list.push(("Read the bucket policy (GetBucketPolicy)", serde_json::json!({ "caller": attacker, "operation": { "GetBucketPolicy": { "bucket": bucket } } })));
    } else {
        list.push(("Block all public access (PutPublicAccessBlock)", serde_json::json!({ "caller": root, "operation": { "PutPublicAccessBlock": { "bucket": bucket, "configuration": {
            "BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true } } } })));
        list.push(("Turn ACLs off: bucket owner enforced (PutBucketOwnershipControls)", serde_json::json!({ "caller": root, "operation": { "PutBucketOwnershipControls": { "bucket": bucket, "objectOwnership": "BucketOwnerEnforced" } } })));
        list.push(("Turn versioning on (PutBucketVersioning)", serde_json::json!({ "caller": root, "operation": { "PutBucketVersioning": { "bucket": bucket, "status": "Enabled" } } })));
        list.push(("Default encryption with SSE-S3 (PutBucketEncryption)", serde_json::json!({ "caller": root, "operation": { "PutBucketEncryption": { "bucket": bucket, "configuration": { "sseAlgorithm": "AES256" } } } })));
        list.push(("Upload an object (PutObject)", serde_json::json!({ "caller": user, "operation": { "PutObject": { "bucket": bucket, "key": key, "body": "hello" } }, "headers": { "x-amz-server-side-encryption": "AES256" } })));
        list.push(("Read an object anonymously (GetObject)", serde_json::json!({ "caller": "anonymous", "operation": { "GetObject": { "bucket": bucket, "key": key } } })));
        list.push(("Read the bucket policy (GetBucketPolicy)", serde_json::json!({ "caller": root, "operation": { "GetBucketPolicy": { "bucket": bucket } } })));
    }
    list.into_iter()
        .filter_map(|(label, v)| {
            serde_json::from_value::<Request>(v)
                .ok()
                .map(|r| (label, r))
        })
        .collect()
}

/// The challenges, with the learner's grades.
#[function_component(ChallengeList)]
pub fn challenge_list(props: &LearnProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    html! {
        <section class="learn-panel" aria-labelledby="challenges-h">
            <h2 id="challenges-h">{ "Challenges" }</h2>
            <p class="muted">{ "Reach a goal by changing the world — policies and settings, sent as requests — then Grade: hidden probe requests check every requirement. Find-the-hole challenges put you outside, looking for the request that reads what should be private." }</p>
            <table class="challenge-table">
                <thead><tr><th scope="col">{ "Challenge" }</th><th scope="col">{ "Level" }</th><th scope="col">{ "Topics" }</th><th scope="col">{ "Your grade" }</th></tr></thead>
                <tbody>
                { for s.course.challenges.iter().map(|c| {
                    let p = s.progress.challenges.get(&c.id);
                    let grade = match p {
                        Some(p) if p.solved => html! { <span class="status done">{ "✓ Solved" }</span> },
                        Some(p) if p.attempts > 0 => html! { <span class="status started">{ format!("{} of {} met", p.best, p.total) }</span> },
                        _ => html! { <span class="status new">{ "—" }</span> },
                    };
                    let id = c.id.clone();
                    let custom = s.opened.as_ref().is_some_and(|o| o.ids.contains(&c.id));
                    html! {
                        <tr data-challenge={c.id.clone()}>
                            <td>
                                <button type="button" class="link title" onclick={d.reform(move |_: MouseEvent| LearnAction::OpenChallenge(id.clone()))}>{ render_line(&c.title) }</button>
                                if c.is_find_the_hole() { <span class="badge hole">{ "find the hole" }</span> }
                                if c.lesson.is_none() { <span class="badge capstone">{ "capstone" }</span> }
                                if custom { <span class="badge custom">{ "from your instructor" }</span> }
                            </td>
                            <td><span class={classes!("level", difficulty(c.difficulty).to_lowercase())}>{ difficulty(c.difficulty) }</span></td>
                            <td class="topics">{ c.topics.iter().map(|t| topic_title(t)).collect::<Vec<_>>().join("; ") }</td>
                            <td>{ grade }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
        </section>
    }
}

/// One challenge.
#[function_component(ChallengeView)]
pub fn challenge_view(props: &LearnProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let (Some(run), Some(c)) = (&s.challenge, s.open_challenge()) else {
        return html! {};
    };
    let hole = c.hole.as_ref();
    let on_draft = d.reform(|e: InputEvent| {
        LearnAction::EditChallengeDraft(
            e.target_dyn_into::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default(),
        )
    });
    let tpls = templates(c, &run.world, &run.policy_bucket);
    let on_template = {
        let tpls = tpls.clone();
        d.reform(move |e: Event| {
            let i = e
                .target_dyn_into::<HtmlSelectElement>()
                .map_or(0, |s| s.selected_index());
            let r = usize::try_from(i - 1)
                .ok()
                .and_then(|i| tpls.get(i))
                .map(|(_, r)| serde_json::to_string_pretty(r).unwrap_or_default());
            LearnAction::EditChallengeDraft(r.unwrap_or_default())
        })
    };
    let hints = run.hints.min(c.hints.len());
    let diagnostics = if run.policy_text.trim().is_empty() {
        Vec::new()
    } else {
        crate::state::diagnose(&run.policy_text, &run.policy_bucket)
    };
    let editor_hints = Rc::new(hints_from_world(&run.world, &run.policy_bucket));
    // The one trace on screen: the grade item's, else the sent request's.
    let trace = run
        .open_item
        .and_then(|i| run.grade.as_ref().and_then(|g| g.items.get(i)))
        .and_then(|item| {
            item.report.as_ref().map(|r| {
                (
                    format!("Trace of the probe for: {}", item.requirement),
                    r.outcome.clone(),
                )
            })
        })
        .or_else(|| {
            run.open_sent.and_then(|i| run.sent.get(i)).map(|r| {
                (
                    format!("Trace of request {}", r.index + 1),
                    r.outcome.clone(),
                )
            })
        });
    html! {
        <article class="learn-panel challenge" aria-labelledby="challenge-h" data-challenge={c.id.clone()}>
            if !props.embed {
                <nav class="crumbs" aria-label="Breadcrumb">
                    <button type="button" class="link" onclick={d.reform(|_: MouseEvent| LearnAction::Tab(Tab::Challenges))}>{ "Challenges" }</button>
                    <span aria-hidden="true">{ " › " }</span>
                    <span>{ c.topics.first().map(|t| topic_title(t)).unwrap_or_default() }</span>
                </nav>
            }
            <header class="lesson-head">
                <h2 id="challenge-h">{ render_line(&c.title) }</h2>
                <span class={classes!("level", difficulty(c.difficulty).to_lowercase())}>{ difficulty(c.difficulty) }</span>
                if c.is_find_the_hole() { <span class="badge hole">{ "find the hole" }</span> }
            </header>
            <div class="challenge-grid">
                <div class="challenge-left">
                    <section class="goal" aria-labelledby="goal-h">
                        <h3 id="goal-h">{ "Goal" }</h3>
                        <div class="prose">{ render(&c.goal.as_string()) }</div>
                        if let Some(h) = hole {
                            <p><strong>{ "Capture: " }</strong>{ render_line(&h.requirement.as_string()) }</p>
                            <p class="muted">{ "You play " }{ h.attackers.iter().map(describe_caller).collect::<Vec<_>>().join(" or ") }{ ": every request must come from them." }</p>
                        }
                        if !c.constraints.is_empty() {
                            <h4>{ "Rules" }</h4>
                            <ul>{ for c.constraints.iter().map(|k| html! { <li>{ render_line(&k.text.as_string()) }</li> }) }</ul>
                        }
                    </section>
                    if hole.is_none() {
                        <section class="policy-editor" aria-labelledby="cpolicy-h">
                            <h3 id="cpolicy-h">{ "Bucket policy of " }<code>{ &run.policy_bucket }</code></h3>
                            <CodeEditor id="challenge-policy" label={format!("Bucket policy of {}", run.policy_bucket)}
                                text={run.policy_text.clone()} diagnostics={diagnostics}
                                on_edit={d.reform(LearnAction::EditChallengePolicy)} hints={editor_hints}
                                placeholder="No bucket policy: type one, or start from a template" />
                            <div class="row">
                                <button type="button" class="primary" data-testid="save-policy" onclick={d.reform(|_: MouseEvent| LearnAction::SaveChallengePolicy)}>{ "Save policy" }</button>
                                <span class="muted">{ "sends PutBucketPolicy as the bucket owner (DeleteBucketPolicy when empty)" }</span>
                            </div>
                        </section>
                    }
                    <section class="composer" aria-labelledby="creq-h">
                        <h3 id="creq-h">{ if hole.is_some() { "Your requests" } else { "Settings and other requests" } }</h3>
                        <label for="challenge-template">{ "Start from" }</label>
                        <select id="challenge-template" onchange={on_template}>
                            <option selected=true>{ "— a request template —" }</option>
                            { for tpls.iter().map(|(l, _)| html! { <option>{ *l }</option> }) }
                        </select>
                        <label for="challenge-request">{ "Request " }<span class="muted">{ "(JSON, as in scenario files)" }</span></label>
                        <textarea id="challenge-request" class="request-json" spellcheck="false" rows={run.draft.lines().count().clamp(4, 16).to_string()} value={run.draft.clone()} oninput={on_draft} />
                        if let Some(e) = &run.draft_error { <p class="error" role="alert">{ e }</p> }
                        <div class="row">
                            <button type="button" class="primary" data-testid="send-challenge" onclick={d.reform(|_: MouseEvent| LearnAction::SendChallenge)}>{ "Send" }</button>
                            <button type="button" class="ghost" onclick={d.reform(|_: MouseEvent| LearnAction::ResetChallenge)}>{ "Start over" }</button>
                        </div>
                        if !run.sent.is_empty() {
                            <ol class="sent-list" aria-label="Requests sent">
                                { for run.sent.iter().enumerate().map(|(i, r)| {
                                    let ok = r.outcome.status < 300;
                                    let open = run.open_sent == Some(i) && run.open_item.is_none();
                                    html! {
                                        <li>
                                            <button type="button" class={classes!("sent", if ok { "ok" } else { "bad" }, open.then_some("open"))} aria-pressed={open.to_string()}
                                                onclick={d.reform(move |_: MouseEvent| LearnAction::OpenSent(Some(i)))}>
                                                <span class="status-code">{ r.outcome.status }</span>
                                                { format!(" {} as {}", r.request.operation.name(), describe_caller(&r.request.caller)) }
                                                if let Some(e) = &r.outcome.error { <span class="muted">{ format!(" — {}", e.code) }</span> }
                                            </button>
                                        </li>
                                    }
                                }) }
                            </ol>
                        }
                    </section>
                </div>
                <div class="challenge-right">
                    <section class="grade" aria-labelledby="grade-h">
                        <h3 id="grade-h">{ "Grade" }</h3>
                        <p class="muted">{ if hole.is_some() { "Grading replays your requests from the starting world and looks for the capture." } else { "Grading sends hidden probe requests to a copy of your world and checks the rules." } }</p>
                        <button type="button" class="primary big" data-testid="grade" onclick={d.reform(|_: MouseEvent| LearnAction::Grade)}>{ "Grade my solution" }</button>
                        <div aria-live="polite">
                        if let Some(g) = &run.grade {
                            <p class={classes!("grade-summary", if g.passed { "pass" } else { "fail" })} data-testid="grade-summary">
                                { if g.passed { "✓ Solved — every requirement is met." .to_owned() } else { format!("{} of {} requirements met", g.score().0, g.score().1) } }
                            </p>
                            if !g.submission.is_empty() {
                                <ul class="submission">{ for g.submission.iter().map(|m| html! { <li>{ render_line(m) }</li> }) }</ul>
                            }
                            <ul class="grade-items">
                                { for g.items.iter().enumerate().map(|(i, item)| {
                                    let open = run.open_item == Some(i);
                                    html! {
                                        <li class={classes!("grade-item", if item.passed { "pass" } else { "fail" })} data-item={item.id.clone()}>
                                            <span class="mark" aria-hidden="true">{ if item.passed { "✓" } else { "✕" } }</span>
                                            <div>
                                                <span class="visually-hidden">{ if item.passed { "met: " } else { "not met: " } }</span>
                                                { render_line(&item.requirement) }
                                                if !item.passed {
                                                    <ul class="why">{ for item.failures.iter().map(|f| html! { <li>{ render_line(f) }</li> }) }</ul>
                                                }
                                                if item.report.is_some() {
                                                    <button type="button" class="link" aria-pressed={open.to_string()}
                                                        onclick={d.reform(move |_: MouseEvent| LearnAction::OpenGradeItem(if open { None } else { Some(i) }))}>
                                                        { if open { "Hide the trace" } else { "Show the trace" } }
                                                    </button>
                                                }
                                            </div>
                                        </li>
                                    }
                                }) }
                            </ul>
                            if g.passed {
                                if let Some(db) = &c.debrief { <div class="debrief prose"><h4>{ "Why it works" }</h4>{ render(&db.as_string()) }</div> }
                            }
                        }
                        </div>
                    </section>
                    if let Some((title, outcome)) = trace {
                        <section class="challenge-trace" aria-label={title.clone()}>
                            <h3>{ render_line(&title) }</h3>
                            <OutcomeView outcome={Some(outcome)} note={String::new()} />
                        </section>
                    }
                    if !c.hints.is_empty() {
                        <section class="hints" aria-labelledby="hints-h">
                            <h3 id="hints-h">{ "Hints" }</h3>
                            { for c.hints.iter().take(hints).enumerate().map(|(i, h)| html! {
                                <div class="learn-hint"><strong>{ format!("Hint {}: ", i + 1) }</strong>{ render_line(&h.as_string()) }</div>
                            }) }
                            if hints < c.hints.len() {
                                <button type="button" class="link" data-testid="hint" onclick={d.reform(|_: MouseEvent| LearnAction::ChallengeHint)}>
                                    { format!("Show hint {} of {}", hints + 1, c.hints.len()) }
                                </button>
                            }
                        </section>
                    }
                    <p class="sources">{ "AWS documentation: " }
                        { for c.source.urls().into_iter().map(|u| html! { <a href={u.to_owned()} target="_blank" rel="noopener noreferrer">{ short_url(u) }</a> }) }
                    </p>
                </div>
            </div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_challenge_offers_request_templates_that_read() {
        let course = s3pg_course::builtin::course().unwrap();
        for c in &course.challenges {
            let run = super::super::state::ChallengeRun::begin(c);
            let t = templates(c, &run.world, &run.policy_bucket);
            let want = if c.is_find_the_hole() { 4 } else { 7 };
            assert_eq!(t.len(), want, "{}", c.id);
        }
    }
}
