//! Object Lock and lifecycle from the `aws` console: every new `aws s3api` command drives its S3
//! operation with the CLI's syntax, and the lock flags become the headers S3 reads.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers outside #[test] functions"
)]

use s3pg_awscli::Console;
use s3pg_sim::{Timestamp, World};

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn world() -> World {
    let mut w: World =
        serde_json::from_str(include_str!("fixtures_world.json")).expect("fixture world");
    w.normalize();
    w
}

fn console() -> Console {
    let mut c = Console::new();
    c.add_file("hello.txt", "hi there\n");
    c.add_file(
        "rules.json",
        r#"{"Rules": [{"ID": "expire-logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"}, "Expiration": {"Days": 3}}]}"#,
    );
    c
}

#[test]
fn object_lock_commands_drive_s3() {
    let mut w = world();
    let mut c = console();
    let now = at("2026-01-01T00:00:00Z");
    let ok = |c: &mut Console, w: &mut World, line: &str| {
        let r = c.run(w, line, now);
        assert_eq!(r.exit_code, 0, "{line}: {}", r.stderr);
        r
    };
    let created = ok(
        &mut c,
        &mut w,
        "aws s3api create-bucket --bucket vault-docs --object-lock-enabled-for-bucket --profile root",
    );
    assert_eq!(
        created
            .requests
            .first()
            .unwrap()
            .header_value("x-amz-bucket-object-lock-enabled"),
        Some("true")
    );
    let config = ok(
        &mut c,
        &mut w,
        "aws s3api get-object-lock-configuration --bucket vault-docs --profile root",
    );
    assert!(
        config.stdout.contains("\"ObjectLockEnabled\": \"Enabled\""),
        "{}",
        config.stdout
    );
    ok(
        &mut c,
        &mut w,
        r#"aws s3api put-object-lock-configuration --bucket vault-docs --object-lock-configuration '{"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}}' --profile root"#,
    );
    let put = ok(
        &mut c,
        &mut w,
        "aws s3api put-object --bucket vault-docs --key a.txt --body hello.txt --object-lock-mode COMPLIANCE --object-lock-retain-until-date 2026-06-01T00:00:00 --object-lock-legal-hold-status OFF --profile root",
    );
    let request = put.requests.first().unwrap();
    for (name, value) in [
        ("x-amz-object-lock-mode", "COMPLIANCE"),
        (
            "x-amz-object-lock-retain-until-date",
            "2026-06-01T00:00:00Z",
        ),
        ("x-amz-object-lock-legal-hold", "OFF"),
        ("x-amz-sdk-checksum-algorithm", "CRC32"),
    ] {
        assert_eq!(request.header_value(name), Some(value), "{name}");
    }
    let version: serde_json::Value = serde_json::from_str(&put.stdout).unwrap();
    let vid = version["VersionId"].as_str().unwrap().to_owned();
    let retention = ok(
        &mut c,
        &mut w,
        "aws s3api get-object-retention --bucket vault-docs --key a.txt --profile root",
    );
    assert!(
        retention.stdout.contains("\"Mode\": \"COMPLIANCE\""),
        "{}",
        retention.stdout
    );
    let denied = c.run(
        &mut w,
        &format!("aws s3api delete-object --bucket vault-docs --key a.txt --version-id {vid} --bypass-governance-retention --profile root"),
        now,
    );
    assert_eq!(denied.exit_code, 254);
    assert_eq!(
        denied
            .requests
            .first()
            .unwrap()
            .header_value("x-amz-bypass-governance-retention"),
        Some("true")
    );
    assert_eq!(
        denied.stderr,
        "\nAn error occurred (AccessDenied) when calling the DeleteObject operation: Access Denied because object protected by object lock.\n"
    );
    ok(
        &mut c,
        &mut w,
        "aws s3api put-object-retention --bucket vault-docs --key a.txt --retention Mode=COMPLIANCE,RetainUntilDate=2026-09-01T00:00:00Z --profile root",
    );
    ok(
        &mut c,
        &mut w,
        "aws s3api put-object-legal-hold --bucket vault-docs --key a.txt --legal-hold Status=ON --profile root",
    );
    let hold = ok(
        &mut c,
        &mut w,
        "aws s3api get-object-legal-hold --bucket vault-docs --key a.txt --profile root",
    );
    assert_eq!(
        hold.stdout,
        "{\n    \"LegalHold\": {\n        \"Status\": \"ON\"\n    }\n}\n"
    );
    let suspend = c.run(
        &mut w,
        "aws s3api put-bucket-versioning --bucket vault-docs --versioning-configuration Status=Suspended --profile root",
        now,
    );
    assert!(
        suspend.stderr.contains("(InvalidBucketState)"),
        "{}",
        suspend.stderr
    );
}

#[test]
fn lifecycle_commands_drive_s3() {
    let mut w = world();
    let mut c = console();
    let now = at("2026-01-01T00:00:00Z");
    let put = c.run(
        &mut w,
        "aws s3api put-bucket-lifecycle-configuration --bucket demo --lifecycle-configuration file://rules.json --profile root",
        now,
    );
    assert_eq!(put.exit_code, 0, "{}", put.stderr);
    assert_eq!(put.stdout, "");
    let get = c.run(
        &mut w,
        "aws s3api get-bucket-lifecycle-configuration --bucket demo --profile root",
        now,
    );
    assert!(
        get.stdout.contains("\"ID\": \"expire-logs\""),
        "{}",
        get.stdout
    );
    let deleted = c.run(
        &mut w,
        "aws s3api delete-bucket-lifecycle --bucket demo --profile root",
        now,
    );
    assert_eq!(deleted.exit_code, 0, "{}", deleted.stderr);
    let gone = c.run(
        &mut w,
        "aws s3api get-bucket-lifecycle-configuration --bucket demo --profile root",
        now,
    );
    assert_eq!(
        gone.stderr,
        "\nAn error occurred (NoSuchLifecycleConfiguration) when calling the GetBucketLifecycleConfiguration operation: The lifecycle configuration does not exist\n"
    );
}
