//! Vault Lock: the state machine of "Vault Lock"
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html>), its four API pages,
//! and the canonical retention policy of reference §9.3 / Example 1 of
//! <https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock-policy.html>.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions should stop at the first failure"
)]

mod common;

use common::*;
use s3pg_glacier::{LockState, StepOutcome, VaultEffect, VaultPolicyKind};
use s3pg_policy::Decision;

// --- the retention example ---------------------------------------------------------------

#[test]
fn retention_lock_stops_even_root_and_admin_deleting_a_young_archive() {
    let mut g = with_vault();
    let young = upload_at(&mut g, "records", t0());
    let lock = initiate_at(&mut g, &retention_policy(), t0());
    assert_eq!(g.handle(&root(), &complete(&lock), t0()).status, 204);

    let day_100 = t0().plus_days(100);
    for who in [root(), admin()] {
        let out = g.handle(&who, &delete_archive(&young), day_100);
        assert_error(&out, 403, "AccessDeniedException");
        let auth = out.authorization.as_ref().unwrap();
        assert_eq!(auth.decision, Decision::ExplicitDeny);
        assert_eq!(
            auth.context
                .get("glacier:ArchiveAgeInDays")
                .unwrap()
                .single(),
            Some("100")
        );
        let deciding = &auth.runs[auth.deciding];
        assert_eq!(deciding.resource_policy, Some(VaultPolicyKind::LockPolicy));
        assert_eq!(
            deciding.evaluation.determining[0].sid.as_deref(),
            Some("deny-delete-if-younger-than-365-days")
        );
        assert!(
            out.error
                .as_ref()
                .unwrap()
                .message
                .ends_with("with an explicit deny in a resource-based policy"),
            "{:?}",
            out.error
        );
    }
    assert!(g.vault_by_arn(VAULT_ARN).unwrap().archive(&young).is_some());
}

#[test]
fn retention_lock_lets_an_archive_of_365_days_or_more_be_deleted() {
    let mut g = with_vault();
    let old = upload_at(&mut g, "records", t0());
    let lock = initiate_at(&mut g, &retention_policy(), t0());
    g.handle(&root(), &complete(&lock), t0());

    // Day 364 (one second short of 365 whole days): still denied.
    let almost = t0().plus_days(365).plus(0).0 - 1;
    let out = g.handle(
        &admin(),
        &delete_archive(&old),
        s3pg_glacier::Timestamp(almost),
    );
    assert_error(&out, 403, "AccessDeniedException");

    let out = g.handle(&admin(), &delete_archive(&old), t0().plus_days(365));
    assert_eq!(out.status, 204, "{:#?}", out.trace);
    assert_eq!(out.decision(), Some(Decision::Allow));
    assert!(matches!(out.effects[0], VaultEffect::ArchiveDeleted { .. }));
    assert!(g.vault_by_arn(VAULT_ARN).unwrap().archives.is_empty());
}

#[test]
fn in_progress_lock_is_already_enforced_during_the_test_window() {
    // "While the policy is in the in-progress state, you have 24 hours to validate your Vault
    // Lock policy" — it applies exactly as if locked (reference §9.2).
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    initiate_at(&mut g, &retention_policy(), t0());
    let out = g.handle(&root(), &delete_archive(&id), t0().plus(3600));
    assert_error(&out, 403, "AccessDeniedException");
}

#[test]
fn retention_lock_does_not_stop_an_identity_without_permission_from_being_denied_by_default() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    let out = g.handle(&nobody(), &delete_archive(&id), t0().plus_days(400));
    assert_error(&out, 403, "AccessDeniedException");
    assert_eq!(out.decision(), Some(Decision::ImplicitDeny));
}

#[test]
fn access_policy_allow_cannot_override_lock_policy_deny() {
    // Reference §9.1: an explicit Deny in the lock policy beats an Allow in the access policy.
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    let allow_outsider = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"partner-delete","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{OTHER}:root"}},"Action":"glacier:DeleteArchive","Resource":"{VAULT_ARN}"}}]}}"#
    );
    assert_eq!(
        g.handle(&root(), &set_access_policy(&allow_outsider), t0())
            .status,
        204
    );
    let lock = initiate_at(&mut g, &retention_policy(), t0());
    g.handle(&root(), &complete(&lock), t0());
    let out = g.handle(&outsider(), &delete_archive(&id), t0().plus_days(10));
    assert_error(&out, 403, "AccessDeniedException");
    let auth = out.authorization.unwrap();
    assert_eq!(auth.runs.len(), 2);
    assert_eq!(auth.runs[0].evaluation.decision, Decision::Allow);
    assert_eq!(auth.runs[1].evaluation.decision, Decision::ExplicitDeny);
    // Once old enough, the access policy's cross-account grant works.
    let out = g.handle(&outsider(), &delete_archive(&id), t0().plus_days(365));
    assert_eq!(out.status, 204, "{:#?}", out.trace);
}

#[test]
fn legal_hold_tag_keeps_every_archive_while_set() {
    // Example 2 of vault-lock-policy.md: the tag, not the policy, becomes the switch.
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"lock-vault","Principal":"*","Effect":"Deny","Action":["glacier:DeleteArchive"],"Resource":["{VAULT_ARN}"],"Condition":{{"StringLike":{{"glacier:ResourceTag/LegalHold":["true",""]}}}}}}]}}"#
    );
    let lock = initiate_at(&mut g, &policy, t0());
    g.handle(&root(), &complete(&lock), t0());
    let mut vault = g.vault_by_arn(VAULT_ARN).unwrap().clone();
    vault.tags.insert("LegalHold".into(), "true".into());
    g.insert_vault(vault.clone());
    assert_error(
        &g.handle(&admin(), &delete_archive(&id), t0().plus_days(900)),
        403,
        "AccessDeniedException",
    );
    vault.tags.insert("LegalHold".into(), "false".into());
    g.insert_vault(vault);
    assert_eq!(
        g.handle(&admin(), &delete_archive(&id), t0().plus_days(900))
            .status,
        204
    );
}

// --- InitiateVaultLock (api-InitiateVaultLock.md) -----------------------------------------

#[test]
fn initiate_vault_lock_returns_201_and_a_lock_id_and_sets_in_progress() {
    let mut g = with_vault();
    let out = g.handle(&root(), &initiate(&retention_policy()), t0());
    assert_eq!(out.status, 201);
    let lock_id = out.header("x-amz-lock-id").unwrap();
    assert_eq!(lock_id.len(), 24);
    assert!(lock_id.bytes().all(|b| b.is_ascii_alphanumeric()));
    let lock = g.vault_by_arn(VAULT_ARN).unwrap().lock.clone().unwrap();
    assert_eq!(lock.state, LockState::InProgress);
    assert_eq!(lock.expiration_date(), Some(t0().plus(86_400)));
}

#[test]
fn initiate_vault_lock_while_in_progress_is_access_denied() {
    let mut g = with_vault();
    initiate_at(&mut g, &retention_policy(), t0());
    let out = g.handle(&root(), &initiate(&retention_policy()), t0().plus(60));
    assert_error(&out, 403, "AccessDeniedException");
}

#[test]
fn initiate_vault_lock_after_locked_is_access_denied() {
    let mut g = with_vault();
    let id = initiate_at(&mut g, &retention_policy(), t0());
    g.handle(&root(), &complete(&id), t0());
    let out = g.handle(&root(), &initiate(&retention_policy()), t0().plus_days(2));
    assert_error(&out, 403, "AccessDeniedException");
}

#[test]
fn initiate_vault_lock_with_an_invalid_policy_is_invalid_parameter_value() {
    // Observed message: aws/aws-cli#1427.
    let mut g = with_vault();
    let out = g.handle(&root(), &initiate(r#"{"Statement": "nope"}"#), t0());
    assert_error(&out, 400, "InvalidParameterValueException");
    assert_eq!(
        out.error.unwrap().message,
        "The specified vault lock policy is invalid. Provide a valid policy."
    );
    // A resource-based policy must name a Principal.
    let no_principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"glacier:DeleteArchive","Resource":"*"}]}"#;
    assert_error(
        &g.handle(&root(), &initiate(no_principal), t0()),
        400,
        "InvalidParameterValueException",
    );
    assert!(g.vault_by_arn(VAULT_ARN).unwrap().lock.is_none());
}

#[test]
fn initiate_vault_lock_over_20_kb_is_refused() {
    let mut g = with_vault();
    let big = format!(
        r#"{{"Version":"2012-10-17","Id":"{}","Statement":[{{"Effect":"Deny","Principal":"*","Action":"glacier:DeleteArchive","Resource":"*"}}]}}"#,
        "x".repeat(21 * 1024)
    );
    assert_error(
        &g.handle(&root(), &initiate(&big), t0()),
        400,
        "InvalidParameterValueException",
    );
}

#[test]
fn initiate_vault_lock_for_another_account_is_access_denied_for_account_id() {
    let mut g = with_vault();
    let out = g.handle(
        &outsider(),
        &s3pg_glacier::GlacierRequest::InitiateVaultLock {
            account_id: ACCOUNT.into(),
            vault_name: VAULT.into(),
            policy: retention_policy(),
        },
        t0(),
    );
    assert_error(&out, 403, "AccessDeniedException");
    assert_eq!(
        out.error.unwrap().message,
        format!("Access denied for account ID: {ACCOUNT}")
    );
}

// --- CompleteVaultLock (api-CompleteVaultLock.md) -----------------------------------------

#[test]
fn complete_vault_lock_with_the_lock_id_locks_and_returns_204() {
    let mut g = with_vault();
    let id = initiate_at(&mut g, &retention_policy(), t0());
    let out = g.handle(&root(), &complete(&id), t0().plus(3600));
    assert_eq!(out.status, 204);
    assert!(matches!(out.effects[0], VaultEffect::LockCompleted { .. }));
    let lock = g.vault_by_arn(VAULT_ARN).unwrap().lock.clone().unwrap();
    assert_eq!(lock.state, LockState::Locked);
    assert_eq!(lock.expiration_date(), None);
}

#[test]
fn complete_vault_lock_is_idempotent_with_the_same_lock_id() {
    let mut g = with_vault();
    let id = initiate_at(&mut g, &retention_policy(), t0());
    g.handle(&root(), &complete(&id), t0());
    let again = g.handle(&root(), &complete(&id), t0().plus_days(30));
    assert_eq!(again.status, 204);
    assert!(again.effects.is_empty());
}

#[test]
fn complete_vault_lock_with_a_wrong_lock_id_while_in_progress_is_invalid_parameter_value() {
    let mut g = with_vault();
    initiate_at(&mut g, &retention_policy(), t0());
    let out = g.handle(&root(), &complete("AE863rKkWZU53SLW5be4DUcW"), t0());
    assert_error(&out, 400, "InvalidParameterValueException");
    assert_eq!(
        g.vault_by_arn(VAULT_ARN)
            .unwrap()
            .lock
            .as_ref()
            .unwrap()
            .state,
        LockState::InProgress
    );
}

#[test]
fn complete_vault_lock_with_a_wrong_lock_id_when_locked_is_access_denied() {
    let mut g = with_vault();
    let id = initiate_at(&mut g, &retention_policy(), t0());
    g.handle(&root(), &complete(&id), t0());
    let out = g.handle(&root(), &complete("AE863rKkWZU53SLW5be4DUcW"), t0());
    assert_error(&out, 403, "AccessDeniedException");
}

#[test]
fn complete_vault_lock_after_the_24_hour_window_fails_and_the_policy_is_gone() {
    let mut g = with_vault();
    let id = initiate_at(&mut g, &retention_policy(), t0());
    let out = g.handle(&root(), &complete(&id), t0().plus(86_400));
    assert_error(&out, 400, "InvalidParameterValueException");
    assert!(matches!(out.effects[0], VaultEffect::LockExpired { .. }));
    assert!(g.vault_by_arn(VAULT_ARN).unwrap().lock.is_none());
}

// --- AbortVaultLock (api-AbortVaultLock.md) -----------------------------------------------

#[test]
fn abort_vault_lock_in_progress_removes_the_policy_and_allows_a_new_initiate() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    initiate_at(&mut g, &retention_policy(), t0());
    let out = g.handle(&root(), &abort(), t0().plus(60));
    assert_eq!(out.status, 204);
    assert!(matches!(out.effects[0], VaultEffect::LockAborted { .. }));
    assert!(g.vault_by_arn(VAULT_ARN).unwrap().lock.is_none());
    // The aborted policy no longer protects the archive.
    assert_eq!(
        g.handle(&root(), &delete_archive(&id), t0().plus(120))
            .status,
        204
    );
    // And the lock process can restart.
    initiate_at(&mut g, &retention_policy(), t0().plus(180));
}

#[test]
fn abort_vault_lock_without_a_lock_is_idempotent() {
    let mut g = with_vault();
    assert_eq!(g.handle(&root(), &abort(), t0()).status, 204);
    assert_eq!(g.handle(&root(), &abort(), t0()).status, 204);
}

#[test]
fn abort_vault_lock_when_locked_is_access_denied_even_for_root() {
    let mut g = with_vault();
    let id = initiate_at(&mut g, &retention_policy(), t0());
    g.handle(&root(), &complete(&id), t0());
    for who in [root(), admin()] {
        assert_error(
            &g.handle(&who, &abort(), t0().plus_days(1)),
            403,
            "AccessDeniedException",
        );
    }
    assert_eq!(
        g.vault_by_arn(VAULT_ARN)
            .unwrap()
            .lock
            .as_ref()
            .unwrap()
            .state,
        LockState::Locked
    );
}

// --- GetVaultLock (api-GetVaultLock.md) ---------------------------------------------------

#[test]
fn get_vault_lock_reports_policy_state_and_dates() {
    let mut g = with_vault();
    let id = initiate_at(&mut g, &retention_policy(), t0());
    let out = g.handle(&root(), &get_lock(), t0().plus(60));
    assert_eq!(out.status, 200);
    let body = out.body.unwrap();
    assert_eq!(body["State"], "InProgress");
    assert_eq!(body["CreationDate"], "2026-01-01T00:00:00.000Z");
    assert_eq!(body["ExpirationDate"], "2026-01-02T00:00:00.000Z");
    assert_eq!(body["Policy"], retention_policy());
    g.handle(&root(), &complete(&id), t0());
    let body = g.handle(&root(), &get_lock(), t0()).body.unwrap();
    assert_eq!(body["State"], "Locked");
    assert!(body["ExpirationDate"].is_null());
}

#[test]
fn get_vault_lock_without_a_lock_is_404_resource_not_found() {
    let mut g = with_vault();
    assert_error(
        &g.handle(&root(), &get_lock(), t0()),
        404,
        "ResourceNotFoundException",
    );
}

#[test]
fn expired_in_progress_lock_disappears_from_get_vault_lock() {
    let mut g = with_vault();
    initiate_at(&mut g, &retention_policy(), t0());
    let before = g.handle(&root(), &get_lock(), t0().plus(86_399));
    assert_eq!(before.status, 200);
    let after = g.handle(&root(), &get_lock(), t0().plus(86_400));
    assert_error(&after, 404, "ResourceNotFoundException");
    assert!(
        after
            .trace
            .iter()
            .any(|s| s.title == "Vault Lock clock" && s.outcome == StepOutcome::Info)
    );
}

#[test]
fn advance_sweeps_expired_locks_everywhere() {
    let mut g = with_vault();
    initiate_at(&mut g, &retention_policy(), t0());
    assert!(g.advance(t0().plus(100)).is_empty());
    let effects = g.advance(t0().plus_days(2));
    assert!(matches!(
        effects.as_slice(),
        [VaultEffect::LockExpired { .. }]
    ));
    assert!(g.vault_by_arn(VAULT_ARN).unwrap().lock.is_none());
}

// --- immutability ---------------------------------------------------------------------------

#[test]
fn locked_policy_cannot_be_changed_or_deleted_by_any_route() {
    let mut g = with_vault();
    let id = initiate_at(&mut g, &retention_policy(), t0());
    g.handle(&root(), &complete(&id), t0());
    let before = g.vault_by_arn(VAULT_ARN).unwrap().lock.clone();
    let permissive = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"glacier:*","Resource":"{VAULT_ARN}"}}]}}"#
    );
    let later = t0().plus_days(3);
    assert_error(
        &g.handle(&root(), &initiate(&permissive), later),
        403,
        "AccessDeniedException",
    );
    assert_error(
        &g.handle(&root(), &abort(), later),
        403,
        "AccessDeniedException",
    );
    assert_error(
        &g.handle(&root(), &complete("wrong"), later),
        403,
        "AccessDeniedException",
    );
    // Changing the access policy does not touch the lock policy.
    assert_eq!(
        g.handle(&root(), &set_access_policy(&permissive), later)
            .status,
        204
    );
    assert_eq!(g.vault_by_arn(VAULT_ARN).unwrap().lock, before);
    // Time does not unlock it.
    g.advance(t0().plus_days(10_000));
    assert_eq!(g.vault_by_arn(VAULT_ARN).unwrap().lock, before);
}

#[test]
fn legal_hold_switched_with_add_and_remove_tags() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"lock-vault","Principal":"*","Effect":"Deny","Action":["glacier:DeleteArchive"],"Resource":["{VAULT_ARN}"],"Condition":{{"StringLike":{{"glacier:ResourceTag/LegalHold":["true",""]}}}}}}]}}"#
    );
    let lock = initiate_at(&mut g, &policy, t0());
    g.handle(&root(), &complete(&lock), t0());
    let tag = |v: &str| s3pg_glacier::GlacierRequest::AddTagsToVault {
        account_id: "-".into(),
        vault_name: VAULT.into(),
        tags: [("LegalHold".to_string(), v.to_string())]
            .into_iter()
            .collect(),
    };
    assert_eq!(g.handle(&root(), &tag("true"), t0()).status, 204);
    let out = g.handle(&admin(), &delete_archive(&id), t0().plus_days(1));
    assert_error(&out, 403, "AccessDeniedException");
    assert_eq!(
        out.authorization
            .unwrap()
            .context
            .get("glacier:ResourceTag/LegalHold")
            .unwrap()
            .single(),
        Some("true")
    );
    let untag = s3pg_glacier::GlacierRequest::RemoveTagsFromVault {
        account_id: "-".into(),
        vault_name: VAULT.into(),
        tag_keys: vec!["LegalHold".into()],
    };
    assert_eq!(g.handle(&root(), &untag, t0().plus_days(2)).status, 204);
    assert_eq!(
        g.handle(&admin(), &delete_archive(&id), t0().plus_days(2))
            .status,
        204
    );
}
