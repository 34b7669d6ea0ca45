//! `aws iam …` and `aws sts …` drive the world's IAM and STS requests: identity policies put and
//! deleted (and a pre-signed URL dying with them), managed policies attached, access keys
//! deactivated, temporary credentials with MFA, roles assumed with a trust policy.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers outside #[test] functions"
)]

use s3pg_awscli::Console;
use s3pg_sim::{Timestamp, World};

fn now() -> Timestamp {
    Timestamp::parse("2026-01-01T00:00:00Z").unwrap()
}

fn world() -> World {
    let mut w: World =
        serde_json::from_str(include_str!("fixtures_world.json")).expect("fixture world");
    w.normalize();
    w
}

fn console() -> Console {
    let mut c = Console::new();
    c.add_file(
        "read.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::demo/*"}]}"#,
    );
    c.add_file(
        "trust-bob.json",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"sts:AssumeRole"}]}"#,
    );
    c
}

/// Runs lines as the root user of 111122223333 unless a line names its own profile.
fn run(w: &mut World, c: &mut Console, line: &str) -> s3pg_awscli::ConsoleResult {
    c.run(w, line, now())
}

#[test]
fn put_user_policy_grants_and_delete_user_policy_revokes() {
    let mut w = world();
    let mut c = console();
    run(
        &mut w,
        &mut c,
        "aws s3api put-object --bucket demo --key k --body read.json",
    );
    let get = "aws s3api get-object --bucket demo --key k out.txt --profile bob";
    assert_eq!(run(&mut w, &mut c, get).exit_code, 254);
    let put = run(
        &mut w,
        &mut c,
        "aws iam put-user-policy --user-name bob --policy-name read --policy-document file://read.json --profile root",
    );
    assert_eq!(put.exit_code, 0, "{}", put.stderr);
    assert_eq!(put.stdout, "");
    assert_eq!(run(&mut w, &mut c, get).exit_code, 0);
    // bob may not delete it himself: IAM authorizes the call like any other.
    let self_delete = run(
        &mut w,
        &mut c,
        "aws iam delete-user-policy --user-name bob --policy-name read --profile bob",
    );
    assert_eq!(self_delete.exit_code, 254);
    assert!(
        self_delete.stderr.contains(
            "An error occurred (AccessDenied) when calling the DeleteUserPolicy operation"
        ),
        "{}",
        self_delete.stderr
    );
    let del = run(
        &mut w,
        &mut c,
        "aws iam delete-user-policy --user-name bob --policy-name read --profile root",
    );
    assert_eq!(del.exit_code, 0, "{}", del.stderr);
    assert_eq!(run(&mut w, &mut c, get).exit_code, 254);
}

#[test]
fn a_presigned_url_dies_when_its_signer_loses_the_policy() {
    let mut w = world();
    let mut c = console();
    run(
        &mut w,
        &mut c,
        "aws s3api put-object --bucket demo --key k --body read.json",
    );
    run(
        &mut w,
        &mut c,
        "aws iam put-user-policy --user-name bob --policy-name read --policy-document file://read.json --profile root",
    );
    let url = run(&mut w, &mut c, "aws s3 presign s3://demo/k --profile bob");
    assert_eq!(url.exit_code, 0, "{}", url.stderr);
    let curl = format!("curl '{}'", url.stdout.trim());
    assert!(
        run(&mut w, &mut c, &curl)
            .outcomes
            .iter()
            .all(|o| o.status == 200)
    );
    run(
        &mut w,
        &mut c,
        "aws iam delete-user-policy --user-name bob --policy-name read --profile root",
    );
    let after = run(&mut w, &mut c, &curl);
    assert_eq!(after.outcomes.last().map(|o| o.status), Some(403));
}

#[test]
fn attach_and_detach_a_managed_policy() {
    let mut w = world();
    let mut c = console();
    let attach = run(
        &mut w,
        &mut c,
        "aws iam attach-user-policy --user-name bob --policy-arn arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess --profile root",
    );
    assert_eq!(attach.exit_code, 0, "{}", attach.stderr);
    let created = run(
        &mut w,
        &mut c,
        "aws iam create-policy --policy-name Reader --policy-document file://read.json --profile root",
    );
    assert!(
        created
            .stdout
            .contains("\"Arn\": \"arn:aws:iam::111122223333:policy/Reader\""),
        "{}",
        created.stdout
    );
    let missing = run(
        &mut w,
        &mut c,
        "aws iam detach-user-policy --user-name bob --policy-arn arn:aws:iam::111122223333:policy/Reader --profile root",
    );
    assert!(
        missing.stderr.contains("(NoSuchEntity)"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_deactivated_access_key_fails_authentication() {
    let mut w = world();
    let mut c = console();
    let off = run(
        &mut w,
        &mut c,
        "aws iam update-access-key --user-name bob --access-key-id AKIABOB0000000000001 --status Inactive --profile root",
    );
    assert_eq!(off.exit_code, 0, "{}", off.stderr);
    let ls = run(&mut w, &mut c, "aws s3api list-buckets --profile bob");
    assert!(ls.stderr.contains("(InvalidAccessKeyId)"), "{}", ls.stderr);
    let created = run(
        &mut w,
        &mut c,
        "aws iam create-access-key --user-name bob --profile root",
    );
    assert!(
        created.stdout.contains("\"SecretAccessKey\""),
        "{}",
        created.stdout
    );
}

#[test]
fn get_session_token_with_mfa_and_assume_role() {
    let mut w = world();
    let mut c = console();
    let token = run(&mut w, &mut c, "aws sts get-session-token --profile bob");
    assert_eq!(token.exit_code, 0, "{}", token.stderr);
    assert!(
        token.stdout.contains("\"AccessKeyId\": \"ASIA"),
        "{}",
        token.stdout
    );
    let bad = run(
        &mut w,
        &mut c,
        "aws sts get-session-token --serial-number arn:aws:iam::111122223333:mfa/none --token-code 123456 --profile bob",
    );
    assert!(bad.stderr.contains("(AccessDenied)"), "{}", bad.stderr);
    // A role that trusts bob.
    let trust = run(
        &mut w,
        &mut c,
        "aws iam update-assume-role-policy --role-name Auditor --policy-document file://trust-bob.json --profile root",
    );
    assert_eq!(trust.exit_code, 0, "{}", trust.stderr);
    let assumed = run(
        &mut w,
        &mut c,
        "aws sts assume-role --role-arn arn:aws:iam::111122223333:role/Auditor --role-session-name s1 --duration-seconds 900 --profile bob",
    );
    assert_eq!(assumed.exit_code, 0, "{}", assumed.stderr);
    assert!(
        assumed
            .stdout
            .contains("arn:aws:sts::111122223333:assumed-role/Auditor/s1"),
        "{}",
        assumed.stdout
    );
    let refused = run(
        &mut w,
        &mut c,
        "aws sts assume-role --role-arn arn:aws:iam::111122223333:role/Auditor --role-session-name s2 --profile alice",
    );
    assert!(
        refused.stderr.contains("(AccessDenied)"),
        "{}",
        refused.stderr
    );
}

#[test]
fn object_tags_from_s3api() {
    let mut w = world();
    let mut c = console();
    let put = run(
        &mut w,
        &mut c,
        "aws s3api put-object --bucket demo --key t --body read.json --tagging project=apollo",
    );
    assert_eq!(put.exit_code, 0, "{}", put.stderr);
    let tagged = run(
        &mut w,
        &mut c,
        r#"aws s3api put-object-tagging --bucket demo --key t --tagging '{"TagSet": [{"Key": "stage", "Value": "final"}]}'"#,
    );
    assert_eq!(tagged.exit_code, 0, "{}", tagged.stderr);
    let got = run(
        &mut w,
        &mut c,
        "aws s3api get-object-tagging --bucket demo --key t",
    );
    assert!(got.stdout.contains("\"Key\": \"stage\""), "{}", got.stdout);
    let del = run(
        &mut w,
        &mut c,
        "aws s3api delete-object-tagging --bucket demo --key t",
    );
    assert_eq!(del.exit_code, 0, "{}", del.stderr);
    // bob has no s3:PutObjectTagging.
    let denied = run(
        &mut w,
        &mut c,
        "aws s3api put-object-tagging --bucket demo --key t --tagging TagSet=[{Key=a,Value=b}] --profile bob",
    );
    assert!(
        denied.stderr.contains("(AccessDenied)"),
        "{}",
        denied.stderr
    );
}

#[test]
fn kms_tag_resource_untag_resource_and_list_resource_tags() {
    let mut w = world();
    let mut c = console();
    let created = run(&mut w, &mut c, "aws kms create-key --description tagged");
    assert_eq!(created.exit_code, 0, "{}", created.stderr);
    let body: serde_json::Value = serde_json::from_str(&created.stdout).unwrap();
    let arn = body["KeyMetadata"]["Arn"].as_str().unwrap().to_owned();
    let tag = run(
        &mut w,
        &mut c,
        &format!("aws kms tag-resource --key-id {arn} --tags TagKey=Project,TagValue=blue"),
    );
    assert_eq!(tag.exit_code, 0, "{}", tag.stderr);
    let list = run(
        &mut w,
        &mut c,
        &format!("aws kms list-resource-tags --key-id {arn}"),
    );
    assert_eq!(list.exit_code, 0, "{}", list.stderr);
    let tags: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(
        tags["Tags"],
        serde_json::json!([{ "TagKey": "Project", "TagValue": "blue" }])
    );
    let reserved = run(
        &mut w,
        &mut c,
        &format!("aws kms tag-resource --key-id {arn} --tags TagKey=aws:x,TagValue=1"),
    );
    assert_eq!(reserved.exit_code, 254);
    assert!(
        reserved.stderr.contains("TagException"),
        "{}",
        reserved.stderr
    );
    let untag = run(
        &mut w,
        &mut c,
        &format!("aws kms untag-resource --key-id {arn} --tag-keys Project"),
    );
    assert_eq!(untag.exit_code, 0, "{}", untag.stderr);
    let list = run(
        &mut w,
        &mut c,
        &format!("aws kms list-resource-tags --key-id {arn}"),
    );
    let tags: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(tags["Tags"], serde_json::json!([]));
}
