//! Native unit tests of the state and its reducer; the browser tests live in tests/browser.rs.

use super::*;
use s3pg_sim::Decision;
use yew::Reducible;

fn start() -> Rc<AppState> {
    Rc::new(AppState::from_scenario_text(DEFAULT_SCENARIO))
}

fn with_sse(value: &str) -> Action {
    let mut form = start().form.clone();
    form.sse = value.to_owned();
    Action::SetForm(form)
}

const PUBLIC_READ: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead",
    "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::examplebucket/*"}]}"#;

#[test]
fn default_scenario_opens_on_examplebucket_with_the_encryption_policy() {
    let state = start();
    assert_eq!(state.load_error, None);
    assert_eq!(state.bucket, "examplebucket");
    assert!(state.policy_text.contains("DenyUnEncryptedObjectUploads"));
    assert!(!state.policy_has_errors(), "{:?}", state.diagnostics);
    assert!(state.callers[state.form.caller].label.starts_with("alice"));
    assert!(matches!(
        state.callers[state.signed_in].caller,
        Caller::Root { .. }
    ));
}

#[test]
fn put_without_the_header_is_explicitly_denied_and_with_it_allowed() {
    let state = start().reduce(Action::Send);
    let last = state.last.as_ref().unwrap();
    assert_eq!(last.outcome.decision, Some(Decision::ExplicitDeny));
    assert_eq!(last.outcome.status, 403);
    let state = state.reduce(with_sse("AES256")).reduce(Action::Send);
    let last = state.last.as_ref().unwrap();
    assert_eq!(last.outcome.decision, Some(Decision::Allow));
    assert_eq!(last.outcome.status, 200);
}

#[test]
fn a_broken_policy_keeps_the_text_and_the_last_valid_policy() {
    let state = start().reduce(Action::Send);
    let broken = format!("{}\n,", state.policy_text);
    let state = state.reduce(Action::EditPolicy(broken.clone()));
    assert_eq!(state.policy_text, broken);
    assert!(state.policy_has_errors());
    let error = state.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert!(error.line >= 1 && error.column >= 1);
    assert_eq!(
        state.last.as_ref().unwrap().what_if,
        Some(WhatIf::DraftHasErrors)
    );
    assert!(state.world.buckets["examplebucket"].policy.is_some());
}

#[test]
fn deleting_the_deny_statement_re_evaluates_the_last_request() {
    let state = start().reduce(Action::Send);
    let allow_only = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "OwnerReads",
        "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::examplebucket/*"}]}"#;
    let state = state.reduce(Action::EditPolicy(allow_only.to_owned()));
    let last = state.last.as_ref().unwrap();
    let Some(WhatIf::Outcome(what_if)) = &last.what_if else {
        panic!("{:?}", last.what_if);
    };
    assert_ne!(what_if.decision, Some(Decision::ExplicitDeny));
    // The real outcome and the world are untouched: the draft is not saved.
    assert_eq!(last.outcome.decision, Some(Decision::ExplicitDeny));
    assert!(
        state.world.buckets["examplebucket"]
            .policy
            .as_ref()
            .unwrap()
            .to_string()
            .contains("DenyUnEncryptedObjectUploads")
    );
}

#[test]
fn every_library_scenario_opens() {
    assert!(library().len() >= 80, "{}", library().len());
    for entry in library() {
        let file = &entry.file;
        let state = AppState::from_library(file);
        assert_eq!(state.load_error, None, "{file}");
    }
}

#[test]
fn running_the_steps_meets_the_default_scenarios_expectations() {
    let state = start().reduce(Action::RunSteps(0));
    let report = state.report.as_ref().unwrap();
    assert!(report.passed(), "{:?}", report.failures());
    assert_eq!(state.shown, Shown::Step(0));
    let (outcome, _) = state.shown_outcome().unwrap();
    assert_eq!(outcome.status, 403);
}

#[test]
fn an_edited_policy_changes_the_steps_outcomes() {
    let state = start().reduce(Action::RunSteps(0));
    let text = state.policy_text.replace("\"true\"", "\"false\"");
    let state = state
        .reduce(Action::EditPolicy(text))
        .reduce(Action::SavePolicy)
        .reduce(Action::RunSteps(0));
    let report = state.report.as_ref().unwrap();
    assert_ne!(report.steps[0].outcome.status, 403);
    assert!(!report.passed());
}

#[test]
fn export_then_import_keeps_the_edited_policy() {
    let state = start();
    let text = state
        .policy_text
        .replace("DenyUnEncryptedObjectUploads", "RequireSse");
    let state = state
        .reduce(Action::EditPolicy(text))
        .reduce(Action::SavePolicy);
    let json = state.export_json().unwrap();
    let imported = start().reduce(Action::Import(json));
    assert!(imported.policy_text.contains("RequireSse"));
    assert_eq!(imported.import_error, None);
}

#[test]
fn a_bad_import_keeps_the_scenario_and_says_where() {
    let state = start().reduce(Action::Import("{\n  \"name\": 1\n}".to_owned()));
    let error = state.import_error.clone().unwrap();
    assert!(error.contains("2:"), "{error}");
    assert_eq!(state.bucket, "examplebucket");
}

#[test]
fn the_console_runs_aws_commands_against_the_world_and_shows_the_trace() {
    let state = start().reduce(Action::RunCommand(
        "aws s3api put-object --bucket examplebucket --key a.txt --profile alice".to_owned(),
    ));
    let line = state.console_log.last().unwrap();
    assert_eq!(line.exit_code, 254, "{line:?}");
    assert!(
        line.stderr
            .contains("An error occurred (AccessDenied) when calling the PutObject operation")
    );
    assert_eq!(state.shown, Shown::Console);
    let (outcome, _) = state.shown_outcome().unwrap();
    assert_eq!(outcome.status, 403);
    let state = state.reduce(Action::RunCommand(
        "aws s3api put-object --bucket examplebucket --key a.txt --server-side-encryption AES256 --profile alice".to_owned(),
    ));
    assert_eq!(state.console_log.last().unwrap().exit_code, 0);
    assert!(
        state.world.buckets["examplebucket"]
            .objects
            .contains_key("a.txt")
    );
}

#[test]
fn a_public_policy_is_refused_under_block_public_policy_and_stays_a_draft() {
    let state = start().reduce(Action::EditPolicy(PUBLIC_READ.to_owned()));
    assert!(state.policy_is_draft());
    let state = state.reduce(Action::SavePolicy);
    let last = state.last.as_ref().unwrap();
    assert_eq!(last.request.operation.name(), "PutBucketPolicy");
    assert_eq!(last.outcome.status, 403);
    assert_eq!(last.outcome.error.as_ref().unwrap().code, "AccessDenied");
    assert!(state.policy_is_draft(), "the refused draft is kept");
    assert!(state.changes.is_empty());
    assert!(
        !state.world.buckets["examplebucket"]
            .policy
            .as_ref()
            .unwrap()
            .to_string()
            .contains("PublicRead")
    );
}

#[test]
fn settings_are_sent_as_the_requests_the_console_sends() {
    let state = start()
        .reduce(Action::Apply(Setting::BlockPublicAccess([
            true, true, false, true,
        ])))
        .reduce(Action::EditPolicy(PUBLIC_READ.to_owned()))
        .reduce(Action::SavePolicy);
    assert_eq!(state.changes.len(), 2);
    assert_eq!(state.changes[0].0.operation.name(), "PutPublicAccessBlock");
    assert!(matches!(state.changes[0].0.caller, Caller::Root { .. }));
    assert_eq!(state.last.as_ref().unwrap().outcome.status, 204);
    assert!(!state.policy_is_draft());
    // The export replays what S3 accepted on the starting world.
    let exported = Scenario::from_json(&state.export_json().unwrap()).unwrap();
    let bucket = &exported.world.buckets["examplebucket"];
    assert!(
        bucket
            .policy
            .as_ref()
            .unwrap()
            .to_string()
            .contains("PublicRead")
    );
    assert!(!bucket.public_access_block.unwrap().block_public_policy);
}

#[test]
fn enabling_mfa_delete_without_a_code_is_refused_by_s3() {
    let state = start().reduce(Action::Apply(Setting::Versioning {
        enabled: true,
        mfa_delete: Some(true),
        mfa: None,
    }));
    let last = state.last.as_ref().unwrap();
    assert_eq!(last.request.operation.name(), "PutBucketVersioning");
    assert!(last.outcome.status >= 400, "{:?}", last.outcome.status);
    assert!(!state.world.buckets["examplebucket"].mfa_delete);
}

#[test]
fn compare_sends_both_variants_on_copies_of_the_world() {
    let state = start().reduce(Action::SetCompare(true));
    let mut b = state.compare.as_ref().unwrap().form.clone();
    b.sse = "AES256".to_owned();
    let state = state
        .reduce(Action::SetCompareForm(b))
        .reduce(Action::SendCompare);
    let (a, b) = state.compare.as_ref().unwrap().outcomes.clone().unwrap();
    assert_eq!(a.unwrap().status, 403);
    assert_eq!(b.unwrap().status, 200);
    assert!(state.world.buckets["examplebucket"].objects.is_empty());
}

#[test]
fn the_console_decision_names_the_command_that_sent_the_request() {
    let state = start().reduce(Action::RunCommand(
        "aws s3api get-bucket-policy --bucket examplebucket --profile root".to_owned(),
    ));
    let state = state.reduce(Action::RunCommand("aws configure list".to_owned()));
    let (_, note) = state.shown_outcome().unwrap();
    assert!(note.contains("get-bucket-policy"), "{note}");
    assert!(!state.console_log.last().unwrap().sent_request);
}

#[test]
fn presign_under_a_root_profile_without_keys_says_why_and_what_to_do() {
    let state = start().reduce(Action::RunCommand(
        "aws s3 presign s3://examplebucket/a.txt".to_owned(),
    ));
    let line = state.console_log.last().unwrap();
    assert_ne!(line.exit_code, 0);
    assert!(
        line.stderr.contains("has no access key in this world"),
        "{}",
        line.stderr
    );
    assert!(!line.stderr.contains("Unable to locate credentials"));
    let state = state.reduce(Action::RunCommand(
        "aws s3 presign s3://examplebucket/a.txt --profile alice".to_owned(),
    ));
    let line = state.console_log.last().unwrap();
    assert_eq!(line.exit_code, 0, "{}", line.stderr);
    assert!(line.stdout.contains("X-Amz-Signature="));
}

#[test]
fn the_clock_moves_forward_only_when_asked() {
    let state = start();
    let before = state.now;
    let state = state.reduce(Action::Advance(30));
    assert_eq!(state.now, before.plus(30));
}

#[test]
fn selecting_another_bucket_edits_its_policy() {
    let multi = library()
        .iter()
        .map(|e| AppState::from_library(&e.file))
        .find(|s| s.world.buckets.len() > 1)
        .expect("a scenario with two buckets");
    let other = multi
        .world
        .buckets
        .keys()
        .find(|b| **b != multi.bucket)
        .unwrap()
        .clone();
    let state = Rc::new(multi).reduce(Action::SelectBucket(other.clone()));
    assert_eq!(state.bucket, other);
    assert_eq!(state.policy_text, policy_text_of(&state.world, &other));
}

#[test]
fn removing_alices_allow_turns_the_upload_into_an_implicit_deny() {
    let state = start().reduce(with_sse("AES256")).reduce(Action::Send);
    assert_eq!(
        state.last.as_ref().unwrap().outcome.decision,
        Some(Decision::Allow)
    );
    let at = IdentityPolicyRef {
        account: "111122223333".into(),
        user: "alice".into(),
        index: 0,
    };
    let read_only = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::examplebucket/*"}]}"#;
    let state = state.reduce(Action::EditIdentityPolicy(at.clone(), read_only.to_owned()));
    assert_eq!(
        state.last.as_ref().unwrap().outcome.decision,
        Some(Decision::ImplicitDeny)
    );
    let state = state.reduce(Action::EditIdentityPolicy(at.clone(), "{".to_owned()));
    assert!(
        state.identity_drafts[&at]
            .1
            .iter()
            .any(Diagnostic::is_error)
    );
    assert_eq!(
        state.last.as_ref().unwrap().outcome.decision,
        Some(Decision::ImplicitDeny)
    );
}

#[test]
fn identity_changes_are_sent_as_iam_requests() {
    // Editing an identity policy sends PutUserPolicy: the world holds the new document.
    let at = IdentityPolicyRef {
        account: "111122223333".into(),
        user: "alice".into(),
        index: 0,
    };
    let read_only = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": "s3:GetObject", "Resource": "arn:aws:s3:::examplebucket/*"}]}"#;
    let state = start().reduce(Action::EditIdentityPolicy(at, read_only.to_owned()));
    let alice = &state.world.accounts["111122223333"].users["alice"];
    assert_eq!(
        alice.policies[0].document["Statement"][0]["Action"],
        "s3:GetObject"
    );
    // The access-key button sends UpdateAccessKey as the signed-in caller.
    let request = s3pg_sim::iam_api::IamRequest::UpdateAccessKey {
        user_name: Some("alice".into()),
        access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
        status: s3pg_sim::iam_api::AccessKeyStatus::Inactive,
    };
    let state = state.reduce(Action::Apply(Setting::Iam(request)));
    let last = state.last.as_ref().unwrap();
    assert_eq!(last.request.operation.name(), "UpdateAccessKey");
    let key = &state.world.accounts["111122223333"].users["alice"].access_keys[0];
    assert_eq!(key.active, last.outcome.status != 200);
}

#[test]
fn log_queries_answer_or_say_what_is_wrong() {
    let state = start().reduce(Action::DeliverLogs);
    let state = state.reduce(Action::QueryLogs(
        "select count(*) where status >= 400".to_owned(),
    ));
    assert!(
        matches!(&state.log_query, Some((_, Ok(_)))),
        "{:?}",
        state.log_query
    );
    let state = state.reduce(Action::QueryLogs("select * where status >== 4".to_owned()));
    assert!(matches!(&state.log_query, Some((_, Err(e))) if !e.is_empty()));
}

/// A library scenario opens with its steps read later (`state/steps.rs`): the page it opens must
/// be the one reading it whole gives — the form prefilled from the first step, the steps, what
/// is saved and exported, and the run of its steps.
#[test]
fn a_library_scenario_with_its_steps_read_later_is_the_scenario_read_whole() {
    let library = library();
    assert!(library.len() > 100, "the corpus is compiled in natively");
    for entry in library {
        let later = AppState::from_library(&entry.file);
        let mut whole = AppState::from_scenario_text(&entry.text);
        whole.file = Some(entry.file.clone());
        let file = &entry.file;
        assert_eq!(later.load_error, None, "{file}");
        assert_eq!(later.form, whole.form, "{file}: the prefilled form");
        assert_eq!(later.steps(), whole.steps(), "{file}: the steps");
        assert_eq!(later.saved(), whole.saved(), "{file}: the work saved");
        assert_eq!(
            later.export_json(),
            whole.export_json(),
            "{file}: the export"
        );
        let later = Rc::new(later).reduce(Action::RunSteps(0));
        let whole = Rc::new(whole).reduce(Action::RunSteps(0));
        assert_eq!(later.report, whole.report, "{file}: the steps' run");
    }
}
