//! `s3pg check-course` and `s3pg grade` end to end: exit statuses, what a learner or instructor
//! reads, and the JSON a tool consumes.

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

fn temp_file(name: &str, contents: &str) -> String {
    let path = std::env::temp_dir().join(format!("s3pg-course-test-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).expect("write temp file");
    path.to_string_lossy().into_owned()
}

const CHALLENGE: &str = "course/challenges/deny-encryption-01.json";

#[test]
fn check_course_runs_every_check_and_sums_up_by_topic() {
    let out = s3pg(&[
        "check-course",
        &fixture("course/lessons/04-deny-encryption.json"),
        &fixture(CHALLENGE),
        "--summary",
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("ok   "), "{stdout}");
    assert!(stdout.contains("2 items passed, 0 failed"), "{stdout}");
    assert!(
        stdout.contains(
            "| Deny patterns that force encryption (Null vs StringNotEquals) | 1 | 1 | 0 |"
        ),
        "{stdout}"
    );
}

#[test]
fn check_course_reports_a_wrong_key_and_a_file_that_does_not_load() {
    let lesson =
        std::fs::read_to_string(fixture("course/lessons/04-deny-encryption.json")).unwrap();
    let wrong = temp_file(
        "wrong.json",
        &lesson.replacen(
            "\"answer\": \"BucketPolicy\"",
            "\"answer\": \"IdentityPolicy\"",
            1,
        ),
    );
    let out = s3pg(&["check-course", &wrong]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("the question's declared answer is `IdentityPolicy`, but the engine computes `BucketPolicy`"),
        "{}",
        text(&out.stdout)
    );

    let broken = temp_file(
        "broken.json",
        &lesson.replacen("\"minutes\"", "\"minutez\"", 1),
    );
    let out = s3pg(&["check-course", &broken, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("7:11: at `minutez`: unknown field `minutez`"),
        "{}",
        text(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["loadError"]["line"], 7);
}

#[test]
fn grade_passes_the_reference_and_names_the_failed_requirement_with_its_trace() {
    let challenge = std::fs::read_to_string(fixture(CHALLENGE)).unwrap();
    let value: serde_json::Value = serde_json::from_str(&challenge).unwrap();
    let good = temp_file("good.json", &value["solution"].to_string());
    let out = s3pg(&["grade", &fixture(CHALLENGE), "--solution", &good]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("PASS (4/4 requirements met)"));

    // The starting world, unchanged, as a learner might submit it.
    let start = temp_file("start.json", &value["world"].to_string());
    let out = s3pg(&["grade", &fixture(CHALLENGE), "--solution", &start]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains(
            "✗ an upload without `x-amz-server-side-encryption` is refused by the bucket policy"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("expected status 403, got 200"), "{stdout}");
    assert!(
        stdout.contains("| step 1 — plain-upload-refused"),
        "{stdout}"
    );
    assert!(stdout.contains("FAIL (3/4 requirements met)"), "{stdout}");

    let out = s3pg(&["grade", &fixture(CHALLENGE), "--solution", &start, "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["passed"], false);
    assert_eq!(json["items"][0]["id"], "plain-upload-refused");
    assert!(json["items"][0]["report"]["outcome"]["trace"].is_array());
}

#[test]
fn grade_explains_bad_usage() {
    let out = s3pg(&["grade", &fixture(CHALLENGE)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("give a challenge file and `--solution FILE`"));
}
