//! `s3pg who-can`, `findings`, `diff` and `flip` end to end on the corpus's default scenario
//! (the DenyUnEncryptedObjectUploads bucket policy of UsingServerSideEncryption.html): what a
//! learner reads, the JSON a tool consumes, and clear errors for bad input.

#![expect(clippy::expect_used, reason = "test helpers outside #[test] functions")]

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
        .to_string_lossy()
        .into_owned()
}

fn s3pg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_s3pg"))
        .args(args)
        .output()
        .expect("run s3pg")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const DEFAULT: &str = "tests/scenarios/default.json";

#[test]
fn who_can_says_alice_uploads_only_with_the_encryption_header() {
    let out = s3pg(&[
        "who-can",
        &fixture(DEFAULT),
        "s3://examplebucket/report.csv",
        "--action",
        "s3:PutObject",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let alice = stdout
        .lines()
        .find(|l| l.contains("user `alice`"))
        .expect("a row for alice");
    assert!(
        alice.contains("only with `x-amz-server-side-encryption: AES256`"),
        "{alice}"
    );
    let json = s3pg(&[
        "who-can",
        &fixture(DEFAULT),
        "s3://examplebucket/report.csv",
        "--action",
        "s3:PutObject",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v["actions"], serde_json::json!(["s3:PutObject"]));
    let rows = v["rows"].as_array().expect("rows");
    assert!(
        rows.iter()
            .any(|r| r["who"] == "user `alice` (`111122223333`)"
                && r["verdict"]["decision"] == "ExplicitDeny"
                && r["allowedWith"][0]["value"] == "AES256")
    );
}

#[test]
fn who_can_refuses_an_unknown_bucket_with_help() {
    let out = s3pg(&["who-can", &fixture(DEFAULT), "s3://nosuchbucket"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("no bucket `nosuchbucket` in this world"),
        "{err}"
    );
    assert!(
        err.contains("help: the buckets are `examplebucket`"),
        "{err}"
    );
    let out = s3pg(&[
        "who-can",
        &fixture(DEFAULT),
        "s3://examplebucket",
        "--action",
        "s3:GetObjectt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`s3:GetObjectt` is not an action"));
}

#[test]
fn findings_labels_the_default_bucket_not_public() {
    let out = s3pg(&["findings", &fixture(DEFAULT)]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("examplebucket (111122223333): Bucket and objects not public"),
        "{}",
        text(&out.stdout)
    );
    let json = s3pg(&["findings", &fixture(DEFAULT), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(v[0]["verdict"], "BucketAndObjectsNotPublic");
}

#[test]
fn diff_of_a_step_that_changes_nothing_is_empty_and_flip_explains_step_one() {
    // Step 2 uploads an object: no access gained or lost.
    let out = s3pg(&["diff", &fixture(DEFAULT), "--step", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no access gained or lost"));
    let out = s3pg(&["diff", &fixture(DEFAULT), &fixture(DEFAULT), "--json"]);
    assert_eq!(text(&out.stdout).trim(), "[]");
    let out = s3pg(&["flip", &fixture(DEFAULT), "--step", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("PutObject is refused"), "{stdout}");
    assert!(
        stdout.contains(
            "[1] send the request with `x-amz-server-side-encryption: AES256`: then it is allowed"
        ),
        "{stdout}"
    );
    let out = s3pg(&["flip", &fixture(DEFAULT), "--step", "9"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no step `9`"));
}
