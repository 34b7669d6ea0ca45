//! The one reducer: each [`Action`] applied to the state, returning a new `Rc` (or the same one,
//! which skips the render).

use std::rc::Rc;

use s3pg_policy::{Diagnostic, Policy, PolicyKind};
use s3pg_sim::World;
use s3pg_sim::scenario::{Scenario, run};
use yew::Reducible;

use super::{
    Action, AppState, Compare, ConsoleLine, DEFAULT_SCENARIO, Origin, RequestForm, Setting, Shown,
    diagnose, policy_text_of, put_user_policy, set_identity_policy,
};

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            // Known at once to change the state or not: the comparison at the end would compare
            // the worlds the state holds field by field (tens of milliseconds on a course-sized
            // world, on every view switch).
            Action::Navigate(view) => {
                if view == self.view {
                    return self;
                }
                next.view = view;
                return Rc::new(next);
            }
            Action::SetBucketTab(tab) => {
                if tab == self.bucket_tab {
                    return self;
                }
                next.bucket_tab = tab;
                return Rc::new(next);
            }
            Action::EditPolicy(text) => {
                if text == next.policy_text {
                    return self;
                }
                next.diagnostics = diagnose(&text, &next.bucket);
                next.policy_text = text;
                next.refresh_what_if();
            }
            Action::SavePolicy => {
                let Some(request) = next.save_policy_request() else {
                    return self;
                };
                next.send(request, Origin::Setting);
                if next.last.as_ref().is_some_and(|l| l.outcome.status < 300) {
                    // Show the policy as S3 now holds it; keep the learner's text otherwise.
                    next.console
                        .add_file("policy.json", next.policy_text.clone());
                }
            }
            Action::DiscardPolicyDraft => {
                next.policy_text = next.saved_policy_text();
                next.diagnostics = diagnose(&next.policy_text, &next.bucket);
                next.refresh_what_if();
            }
            Action::SignIn(i) => {
                if i < next.callers.len() {
                    next.signed_in = i;
                }
            }
            Action::Apply(setting) => {
                let request = next.setting_request(&setting);
                let origin = if matches!(setting, Setting::GetObject { .. }) {
                    Origin::Builder
                } else {
                    Origin::Setting
                };
                next.send(request, origin);
            }
            Action::SetForm(form) => next.form = form,
            Action::Send => match next.request() {
                Ok(request) => next.send(request, Origin::Builder),
                Err(_) => return self,
            },
            Action::SetCompare(on) => {
                next.compare = on.then(|| Compare {
                    form: next.form.clone(),
                    outcomes: None,
                });
            }
            Action::SetCompareForm(form) => {
                if let Some(c) = next.compare.as_mut() {
                    c.form = form;
                }
            }
            Action::SendCompare => {
                let at = next.now.plus(1);
                let run = |form: &RequestForm| {
                    form.build(&next.callers).map(|r| {
                        let mut world = World::clone(&next.world);
                        world.handle(&r, at)
                    })
                };
                let a = run(&next.form);
                let Some(b) = next.compare.as_ref().map(|c| run(&c.form)) else {
                    return self;
                };
                if let Some(c) = next.compare.as_mut() {
                    c.outcomes = Some((a, b));
                }
            }
            Action::Reset => {
                return Rc::new(match &self.file {
                    Some(file) => AppState::from_library(file),
                    None => AppState::from_scenario_text(DEFAULT_SCENARIO),
                });
            }
            Action::Open(file) => {
                let mut state = AppState::from_library(&file);
                state.view = self.view;
                return Rc::new(state);
            }
            Action::RunSteps(i) => {
                next.report = next.edited_scenario().map(|s| run(&s));
                // Requests sent from the page carry on from where the scenario's steps left the world.
                if let Some(report) = &next.report {
                    next.world = Rc::new(report.world.clone());
                    if let Some(last) = report.steps.last() {
                        next.now = last.at;
                    }
                }
                next.shown = Shown::Step(i);
            }
            Action::ShowStep(i) => next.shown = Shown::Step(i),
            Action::RunCommand(line) => {
                let line = line.trim().to_owned();
                if line.is_empty() {
                    return self;
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
            }
            Action::SetFile(name, text) => next.console.add_file(&name, text),
            Action::Advance(seconds) => next.now = next.now.plus(seconds),
            Action::DeliverLogs => {
                next.now = next.now.plus(3600);
                let now = next.now;
                let _ = Rc::make_mut(&mut next.world).advance(now);
            }
            Action::QueryLogs(text) => {
                let answer = Rc::make_mut(&mut next.world)
                    .query_logs(&text)
                    .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default());
                next.log_query = Some((text, answer));
            }
            Action::EditIdentityPolicy(at, text) => {
                let diagnostics = match Policy::parse_as(&text, &PolicyKind::Identity) {
                    Ok(policy) => s3pg_policy::lint::lint_as(&policy, &PolicyKind::Identity),
                    Err(errors) => errors,
                };
                let valid = !diagnostics.iter().any(Diagnostic::is_error);
                let document = serde_json::from_str::<serde_json::Value>(&text).ok();
                next.identity_drafts.insert(at.clone(), (text, diagnostics));
                if let (true, Some(document)) = (valid, document) {
                    // The policy reaches the world as the IAM console sends it: a
                    // `PutUserPolicy` from the account's administrator (its root user). The
                    // scenario's declared world is the learner's document and is edited as such.
                    let now = next.now;
                    put_user_policy(Rc::make_mut(&mut next.world), &at, &document, now);
                    if let Some(scenario) = next.scenario.as_mut() {
                        set_identity_policy(
                            &mut Rc::make_mut(scenario).world,
                            &at,
                            document.clone(),
                        );
                    }
                    if next.report.is_some() {
                        next.report = next.edited_scenario().map(|s| run(&s));
                    }
                    if let Some(last) = next.last.as_mut() {
                        put_user_policy(
                            Rc::make_mut(&mut last.world_before),
                            &at,
                            &document,
                            last.at,
                        );
                        let mut world = World::clone(&last.world_before);
                        last.outcome = world.handle(&last.request, last.at);
                    }
                    next.refresh_what_if();
                }
            }
            Action::SelectBucket(bucket) => {
                if !next.world.buckets.contains_key(&bucket) || bucket == next.bucket {
                    return self;
                }
                next.policy_text = policy_text_of(&next.world, &bucket);
                next.diagnostics = diagnose(&next.policy_text, &bucket);
                next.form.bucket.clone_from(&bucket);
                next.bucket = bucket;
                next.refresh_what_if();
            }
            Action::Restore(saved) => {
                return match AppState::from_saved(&saved) {
                    Ok(state) => Rc::new(state),
                    Err(e) => {
                        next.import_error =
                            Some(format!("that version could not be restored: {e}"));
                        Rc::new(next)
                    }
                };
            }
            Action::Import(text) => match Scenario::from_json(&text) {
                Ok(scenario) => return Rc::new(AppState::from_scenario(&scenario)),
                Err(e) => next.import_error = Some(e.to_string()),
            },
        }
        if next == *self { self } else { Rc::new(next) }
    }
}
