//! The archive, job and tag operations, one test per operation and per error, each citing the
//! Glacier API page it follows
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/amazon-glacier-api.html>) and the error
//! table (<https://docs.aws.amazon.com/amazonglacier/latest/dev/api-error-responses.html>).
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers outside #[test] functions should stop at the first failure"
)]

mod common;

use common::*;
use s3pg_glacier::{Caller, GlacierRequest, tree_hash};

#[test]
fn archive_ids_are_reproducible_and_distinct() {
    let mut a = with_vault();
    let mut b = with_vault();
    let ids_a: Vec<_> = (0..3).map(|_| upload_at(&mut a, "x", t0())).collect();
    let ids_b: Vec<_> = (0..3).map(|_| upload_at(&mut b, "x", t0())).collect();
    assert_eq!(ids_a, ids_b);
    assert_ne!(ids_a[0], ids_a[1]);
}

#[test]
fn upload_archive_with_a_wrong_tree_hash_is_refused() {
    let mut g = with_vault();
    let req = GlacierRequest::UploadArchive {
        account_id: "-".into(),
        vault_name: VAULT.into(),
        body: b"data".to_vec(),
        description: None,
        sha256_tree_hash: Some("00".repeat(32)),
    };
    assert_error(
        &g.handle(&root(), &req, t0()),
        400,
        "InvalidParameterValueException",
    );
    let good = GlacierRequest::UploadArchive {
        account_id: "-".into(),
        vault_name: VAULT.into(),
        body: b"data".to_vec(),
        description: None,
        sha256_tree_hash: Some(tree_hash(b"data").to_hex()),
    };
    assert_eq!(g.handle(&root(), &good, t0()).status, 201);
}

#[test]
fn upload_archive_rejects_non_printable_or_long_descriptions() {
    let mut g = with_vault();
    for bad in ["tab\there".to_string(), "é".to_string(), "x".repeat(1025)] {
        let req = GlacierRequest::UploadArchive {
            account_id: "-".into(),
            vault_name: VAULT.into(),
            body: vec![],
            description: Some(bad),
            sha256_tree_hash: None,
        };
        assert_error(
            &g.handle(&root(), &req, t0()),
            400,
            "InvalidParameterValueException",
        );
    }
}

#[test]
fn delete_archive_is_idempotent() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    assert_eq!(g.handle(&root(), &delete_archive(&id), t0()).status, 204);
    let again = g.handle(&root(), &delete_archive(&id), t0());
    assert_eq!(again.status, 204);
    assert!(again.effects.is_empty());
}

#[test]
fn delete_archive_of_an_id_not_in_the_vault_is_invalid_vault_name() {
    let mut g = with_vault();
    let out = g.handle(
        &root(),
        &delete_archive("NkbByEejwEggmBz2fTHgJrg0XBoDfjP4q6iu87"),
        t0(),
    );
    assert_error(&out, 400, "InvalidParameterValueException");
    assert_eq!(
        out.error.unwrap().message,
        format!("Invalid vault name: {VAULT_ARN}")
    );
}

#[test]
fn archive_age_in_days_counts_whole_days_from_upload() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0().plus(3600));
    let out = g.handle(&root(), &delete_archive(&id), t0().plus_days(2));
    let keys = &out.authorization.unwrap().context;
    // 47 hours old: one whole day.
    assert_eq!(
        keys.get("glacier:ArchiveAgeInDays").unwrap().single(),
        Some("1")
    );
    assert_eq!(
        keys.get("aws:CurrentTime").unwrap().single(),
        Some("2026-01-03T00:00:00Z")
    );
}

#[test]
fn add_list_remove_tags_round_trip() {
    // api-AddTagsToVault.md (204, overwrite), api-ListTagsForVault.md (200 {"Tags"}),
    // api-RemoveTagsFromVault.md (204).
    let mut g = with_vault();
    assert_eq!(
        g.handle(
            &root(),
            &add_tags(&[("team", "a"), ("LegalHold", "true")]),
            t0()
        )
        .status,
        204
    );
    assert_eq!(
        g.handle(&root(), &add_tags(&[("team", "b")]), t0()).status,
        204
    );
    let list = GlacierRequest::ListTagsForVault {
        account_id: "-".into(),
        vault_name: VAULT.into(),
    };
    let body = g.handle(&root(), &list, t0()).body.unwrap();
    assert_eq!(body["Tags"]["team"], "b");
    assert_eq!(body["Tags"]["LegalHold"], "true");
    let remove = GlacierRequest::RemoveTagsFromVault {
        account_id: "-".into(),
        vault_name: VAULT.into(),
        tag_keys: vec!["LegalHold".into(), "absent".into()],
    };
    assert_eq!(g.handle(&root(), &remove, t0()).status, 204);
    let body = g.handle(&root(), &list, t0()).body.unwrap();
    assert!(body["Tags"].get("LegalHold").is_none());
}

#[test]
fn add_tags_beyond_fifty_is_limit_exceeded() {
    let mut g = with_vault();
    let names: Vec<String> = (0..51).map(|i| format!("k{i}")).collect();
    let pairs: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "v")).collect();
    assert_error(
        &g.handle(&root(), &add_tags(&pairs), t0()),
        400,
        "LimitExceededException",
    );
    assert_eq!(g.handle(&root(), &add_tags(&pairs[..50]), t0()).status, 204);
}

#[test]
fn tagging_conditions_see_request_tags_and_tag_keys() {
    // An identity policy that only lets `tagger` add the `team` tag.
    let mut g = with_vault();
    let tagger = Caller::from_arn(&format!("arn:aws:iam::{ACCOUNT}:user/tagger"), REGION)
        .unwrap()
        .with_identity_policy(
            "team-tags-only",
            s3pg_policy::Policy::parse(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"glacier:AddTagsToVault","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}]}"#,
            )
            .unwrap(),
        );
    assert_eq!(
        g.handle(&tagger, &add_tags(&[("team", "x")]), t0()).status,
        204
    );
    assert_error(
        &g.handle(
            &tagger,
            &add_tags(&[("team", "x"), ("LegalHold", "false")]),
            t0(),
        ),
        403,
        "AccessDeniedException",
    );
}

#[test]
fn initiate_job_parameter_errors() {
    let mut g = with_vault();
    assert_error(
        &g.handle(&root(), &job("archive-retrieval", None), t0()),
        400,
        "MissingParameterValueException",
    );
    assert_error(
        &g.handle(&root(), &job("archive-retrieval", Some("nope")), t0()),
        400,
        "InvalidParameterValueException",
    );
    assert_error(
        &g.handle(&root(), &job("select-everything", None), t0()),
        400,
        "InvalidParameterValueException",
    );
}

#[test]
fn vault_access_policy_can_gate_retrievals_on_archive_age() {
    let mut g = with_vault();
    let id = upload_at(&mut g, "x", t0());
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"no-early-restores","Effect":"Deny","Principal":"*","Action":"glacier:InitiateJob","Resource":"{VAULT_ARN}","Condition":{{"NumericLessThan":{{"glacier:ArchiveAgeInDays":"90"}}}}}}]}}"#
    );
    g.handle(&root(), &set_access_policy(&policy), t0());
    assert_error(
        &g.handle(
            &admin(),
            &job("archive-retrieval", Some(&id)),
            t0().plus_days(30),
        ),
        403,
        "AccessDeniedException",
    );
    assert_eq!(
        g.handle(
            &admin(),
            &job("archive-retrieval", Some(&id)),
            t0().plus_days(90)
        )
        .status,
        202
    );
}

fn add_tags(pairs: &[(&str, &str)]) -> GlacierRequest {
    GlacierRequest::AddTagsToVault {
        account_id: "-".into(),
        vault_name: VAULT.into(),
        tags: pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}
