//! The one reducer: each [`Action`] applied to the state, returning a new `Rc` (or the same one,
//! which skips the render).
//!
//! Each action is a function of its own, kept out of line (`#[inline(never)]`): the browser
//! compiles a WebAssembly function the first time it runs, so a learner's first click (a view
//! switch, Send) compiles only what that action runs — not the scenario loading, the console and
//! the identity editor that a single reducer of every action would be (about 110 KB of code, 11 ms
//! to compile on a cold visit). It also lets the build's split move the actions a first visit
//! never runs to the second half of the module.

use std::rc::Rc;

use s3pg_policy::{Diagnostic, Policy, PolicyKind};
use s3pg_sim::World;
use s3pg_sim::scenario::{Scenario, run};
use yew::Reducible;

use super::{
    Action, AppState, Compare, ConsoleLine, DEFAULT_SCENARIO, IdentityPolicyRef, Origin,
    RequestForm, Saved, Setting, Shown, View, diagnose, policy_text_of, put_user_policy,
    set_identity_policy,
};

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            // Known at once to change the state or not: the comparison at the end of `edit` would
            // compare the worlds the state holds field by field (tens of milliseconds on a
            // course-sized world, on every view switch).
            Action::Navigate(view) => navigate(self, view),
            Action::SetBucketTab(tab) => {
                if tab == self.bucket_tab {
                    return self;
                }
                let mut next = (*self).clone();
                next.bucket_tab = tab;
                Rc::new(next)
            }
            // A new state altogether.
            Action::Reset => Rc::new(reset(&self)),
            Action::Open(file) => Rc::new(open(&self, &file)),
            Action::Restore(saved) => restore(self, &saved),
            Action::Import(text) => import(self, &text),
            action => edit(self, action),
        }
    }
}

#[inline(never)]
fn navigate(state: Rc<AppState>, view: View) -> Rc<AppState> {
    if view == state.view {
        return state;
    }
    let mut next = (*state).clone();
    next.view = view;
    Rc::new(next)
}

/// The actions that change the state in place: `false` from an arm leaves it as it was.
#[inline(never)]
fn edit(state: Rc<AppState>, action: Action) -> Rc<AppState> {
    let mut next = (*state).clone();
    let changed = match action {
        Action::EditPolicy(text) => edit_policy(&mut next, text),
        Action::SavePolicy => save_policy(&mut next),
        Action::DiscardPolicyDraft => discard_policy_draft(&mut next),
        Action::SignIn(i) => {
            if i < next.callers.len() {
                next.signed_in = i;
            }
            true
        }
        Action::Apply(setting) => apply(&mut next, &setting),
        Action::SetForm(form) => {
            next.form = form;
            true
        }
        Action::Send => send_form(&mut next),
        Action::SetCompare(on) => {
            next.compare = on.then(|| Compare {
                form: next.form.clone(),
                outcomes: None,
            });
            true
        }
        Action::SetCompareForm(form) => {
            if let Some(c) = next.compare.as_mut() {
                c.form = form;
            }
            true
        }
        Action::SendCompare => send_compare(&mut next),
        Action::RunSteps(i) => run_steps(&mut next, i),
        Action::ShowStep(i) => {
            next.shown = Shown::Step(i);
            true
        }
        Action::RunCommand(line) => run_command(&mut next, &line),
        Action::SetFile(name, text) => {
            next.console.add_file(&name, text);
            true
        }
        Action::Advance(seconds) => {
            next.now = next.now.plus(seconds);
            true
        }
        Action::DeliverLogs => deliver_logs(&mut next),
        Action::QueryLogs(text) => query_logs(&mut next, text),
        Action::EditIdentityPolicy(at, text) => edit_identity_policy(&mut next, &at, text),
        Action::SelectBucket(bucket) => select_bucket(&mut next, bucket),
        // Answered by `reduce` itself.
        Action::Navigate(_)
        | Action::SetBucketTab(_)
        | Action::Reset
        | Action::Open(_)
        | Action::Restore(_)
        | Action::Import(_) => false,
    };
    if !changed || next == *state {
        state
    } else {
        Rc::new(next)
    }
}

#[inline(never)]
fn edit_policy(next: &mut AppState, text: String) -> bool {
    if text == next.policy_text {
        return false;
    }
    next.diagnostics = diagnose(&text, &next.bucket);
    next.policy_text = text;
    next.refresh_what_if();
    true
}

#[inline(never)]
fn save_policy(next: &mut AppState) -> bool {
    let Some(request) = next.save_policy_request() else {
        return false;
    };
    next.send(request, Origin::Setting);
    if next.last.as_ref().is_some_and(|l| l.outcome.status < 300) {
        // Show the policy as S3 now holds it; keep the learner's text otherwise.
        next.console
            .add_file("policy.json", next.policy_text.clone());
    }
    true
}

#[inline(never)]
fn discard_policy_draft(next: &mut AppState) -> bool {
    next.policy_text = next.saved_policy_text();
    next.diagnostics = diagnose(&next.policy_text, &next.bucket);
    next.refresh_what_if();
    true
}

#[inline(never)]
fn apply(next: &mut AppState, setting: &Setting) -> bool {
    let request = next.setting_request(setting);
    let origin = if matches!(setting, Setting::GetObject { .. }) {
        Origin::Builder
    } else {
        Origin::Setting
    };
    next.send(request, origin);
    true
}

#[inline(never)]
fn send_form(next: &mut AppState) -> bool {
    match next.request() {
        Ok(request) => {
            next.send(request, Origin::Builder);
            true
        }
        Err(_) => false,
    }
}

#[inline(never)]
fn send_compare(next: &mut AppState) -> bool {
    let at = next.now.plus(1);
    let run = |form: &RequestForm| {
        form.build(&next.callers).map(|r| {
            let mut world = World::clone(&next.world);
            world.handle(&r, at)
        })
    };
    let a = run(&next.form);
    let Some(b) = next.compare.as_ref().map(|c| run(&c.form)) else {
        return false;
    };
    if let Some(c) = next.compare.as_mut() {
        c.outcomes = Some((a, b));
    }
    true
}

#[inline(never)]
fn reset(state: &AppState) -> AppState {
    match &state.file {
        Some(file) => AppState::from_library(file),
        None => AppState::from_scenario_text(DEFAULT_SCENARIO),
    }
}

#[inline(never)]
fn open(state: &AppState, file: &str) -> AppState {
    let mut opened = AppState::from_library(file);
    opened.view = state.view;
    opened
}

#[inline(never)]
fn run_steps(next: &mut AppState, i: usize) -> bool {
    next.report = next.edited_scenario().map(|s| run(&s));
    // Requests sent from the page carry on from where the scenario's steps left the world.
    if let Some(report) = &next.report {
        next.world = Rc::new(report.world.clone());
        if let Some(last) = report.steps.last() {
            next.now = last.at;
        }
    }
    next.shown = Shown::Step(i);
    true
}

#[inline(never)]
fn run_command(next: &mut AppState, line: &str) -> bool {
    let line = line.trim().to_owned();
    if line.is_empty() {
        return false;
    }
    next.now = next.now.plus(1);
    let now = next.now;
    let result = next.console.run(Rc::make_mut(&mut next.world), &line, now);
    if let Some(outcome) = result.outcomes.last() {
        next.console_outcome = Some((line.clone(), outcome.clone()));
        next.shown = Shown::Console;
    }
    next.console_log.push(ConsoleLine {
        line,
        stdout: result.stdout,
        stderr: result.stderr,
        exit_code: result.exit_code,
        sent_request: !result.outcomes.is_empty(),
    });
    true
}

#[inline(never)]
fn deliver_logs(next: &mut AppState) -> bool {
    next.now = next.now.plus(3600);
    let now = next.now;
    let _ = Rc::make_mut(&mut next.world).advance(now);
    true
}

#[inline(never)]
fn query_logs(next: &mut AppState, text: String) -> bool {
    let answer = Rc::make_mut(&mut next.world)
        .query_logs(&text)
        .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default());
    next.log_query = Some((text, answer));
    true
}

#[inline(never)]
fn edit_identity_policy(next: &mut AppState, at: &IdentityPolicyRef, text: String) -> bool {
    let diagnostics = match Policy::parse_as(&text, &PolicyKind::Identity) {
        Ok(policy) => s3pg_policy::lint::lint_as(&policy, &PolicyKind::Identity),
        Err(errors) => errors,
    };
    let valid = !diagnostics.iter().any(Diagnostic::is_error);
    let document = serde_json::from_str::<serde_json::Value>(&text).ok();
    next.identity_drafts.insert(at.clone(), (text, diagnostics));
    if let (true, Some(document)) = (valid, document) {
        // The policy reaches the world as the IAM console sends it: a `PutUserPolicy` from the
        // account's administrator (its root user). The scenario's declared world is the
        // learner's document and is edited as such.
        let now = next.now;
        put_user_policy(Rc::make_mut(&mut next.world), at, &document, now);
        if let Some(scenario) = next.scenario.as_mut() {
            set_identity_policy(&mut Rc::make_mut(scenario).world, at, document.clone());
        }
        if next.report.is_some() {
            next.report = next.edited_scenario().map(|s| run(&s));
        }
        if let Some(last) = next.last.as_mut() {
            put_user_policy(Rc::make_mut(&mut last.world_before), at, &document, last.at);
            let mut world = World::clone(&last.world_before);
            last.outcome = world.handle(&last.request, last.at);
        }
        next.refresh_what_if();
    }
    true
}

#[inline(never)]
fn select_bucket(next: &mut AppState, bucket: String) -> bool {
    if !next.world.buckets.contains_key(&bucket) || bucket == next.bucket {
        return false;
    }
    next.policy_text = policy_text_of(&next.world, &bucket);
    next.diagnostics = diagnose(&next.policy_text, &bucket);
    next.form.bucket.clone_from(&bucket);
    next.bucket = bucket;
    next.refresh_what_if();
    true
}

#[inline(never)]
fn restore(state: Rc<AppState>, saved: &Saved) -> Rc<AppState> {
    match AppState::from_saved(saved) {
        Ok(restored) => Rc::new(restored),
        Err(e) => {
            let mut next = (*state).clone();
            next.import_error = Some(format!("that version could not be restored: {e}"));
            Rc::new(next)
        }
    }
}

#[inline(never)]
fn import(state: Rc<AppState>, text: &str) -> Rc<AppState> {
    match Scenario::from_json(text) {
        Ok(scenario) => Rc::new(AppState::from_scenario(&scenario)),
        Err(e) => {
            let mut next = (*state).clone();
            next.import_error = Some(e.to_string());
            if next == *state { state } else { Rc::new(next) }
        }
    }
}
