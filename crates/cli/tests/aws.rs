//! `s3pg aws` end to end: the built binary runs AWS CLI command lines against a world file and
//! prints exactly what the `aws` command prints, with its exit status.

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

fn world() -> String {
    fixture("crates/awscli/tests/fixtures_world.json")
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
    let path = std::env::temp_dir().join(format!("s3pg-aws-test-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).expect("write temp file");
    path.to_string_lossy().into_owned()
}

#[test]
fn put_object_prints_the_cli_json() {
    let body = temp_file("body.txt", "hi there\n");
    let out = s3pg(&[
        "aws",
        "--world",
        &world(),
        "--now",
        "2026-01-01T00:00:00Z",
        "--file",
        &format!("hello.txt={body}"),
        "--",
        "aws",
        "s3api",
        "put-object",
        "--bucket",
        "demo",
        "--key",
        "k.txt",
        "--body",
        "hello.txt",
        "--profile",
        "alice",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "{\n    \"ETag\": \"\\\"12f6bb1941df66b8f138a446d4e8670c\\\"\",\n    \"ServerSideEncryption\": \"AES256\"\n}\n"
    );
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn service_errors_and_unknown_profiles_exit_as_the_cli_does() {
    let denied = s3pg(&[
        "aws",
        "--world",
        &world(),
        "--",
        "aws",
        "s3api",
        "get-object",
        "--bucket",
        "demo",
        "--key",
        "hello.txt",
        "out.txt",
        "--profile",
        "bob",
    ]);
    assert_eq!(denied.status.code(), Some(254));
    assert!(
        text(&denied.stderr).starts_with(
            "\nAn error occurred (AccessDenied) when calling the GetObject operation: "
        ),
        "{}",
        text(&denied.stderr)
    );
    let unknown = s3pg(&[
        "aws",
        "--world",
        &world(),
        "aws",
        "s3",
        "ls",
        "--profile",
        "eve",
    ]);
    assert_eq!(unknown.status.code(), Some(255));
    assert_eq!(
        text(&unknown.stderr),
        "\nThe config profile (eve) could not be found\n"
    );
    let usage = s3pg(&[
        "aws",
        "--world",
        &world(),
        "--",
        "aws",
        "s3api",
        "get-object",
    ]);
    assert_eq!(usage.status.code(), Some(252));
}

#[test]
fn a_script_enables_mfa_delete_then_needs_a_fresh_code() {
    let serial = "arn:aws:iam::111122223333:mfa/root-account-mfa-device";
    let script = temp_file(
        "lesson.sh",
        &format!(
            "# MFA Delete from the CLI\n\
             aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"{serial} {{code:{serial}}}\" --profile root\n\
             aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Suspended --profile root\n\
             sleep 30\n\
             aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Suspended,MFADelete=Disabled --mfa \"{serial} {{code:{serial}}}\" --profile root\n\
             aws s3api get-bucket-versioning --bucket demo --profile root\n"
        ),
    );
    let out = s3pg(&["aws", "--world", &world(), "--script", &script]);
    // Line 3 is refused: every line still runs, and the script exits with that line's status.
    assert_eq!(out.status.code(), Some(254), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches("$ aws s3api").count(), 4, "{stdout}");
    assert!(
        stdout.ends_with("{\n    \"Status\": \"Suspended\",\n    \"MFADelete\": \"Disabled\"\n}\n"),
        "{stdout}"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("\nAn error occurred (AccessDenied) when calling the PutBucketVersioning operation: Mfa Authentication must be used for this request\n"),
        "{stderr}"
    );
    assert!(stderr.contains("line 3: `aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Suspended --profile root` exited with status 254"), "{stderr}");
    assert!(stderr.contains("1 of 4 command(s)"), "{stderr}");
    // Written `! aws …`, the refusal is what the script means to show: it exits 0.
    let marked = temp_file(
        "lesson-marked.sh",
        &std::fs::read_to_string(&script)
            .expect("read script")
            .replace("\naws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Suspended --profile root", "\n! aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Suspended --profile root"),
    );
    let out = s3pg(&["aws", "--world", &world(), "--script", &marked]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_script_names_the_line_that_did_not_go_as_written() {
    let script = temp_file(
        "lines.sh",
        "# two lines that go wrong\n\
         ! aws s3api list-buckets --profile root\n\
         sleep soon\n\
         aws s3api get-bucket-versioning --bucket demo --profile root\n",
    );
    let out = s3pg(&["aws", "--world", &world(), "--script", &script]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("line 2: `aws s3api list-buckets --profile root` succeeded, but the line is written `! …`"), "{stderr}");
    assert!(
        stderr.contains("line 3: `sleep` takes a whole number of seconds, not `soon`"),
        "{stderr}"
    );
    assert!(stderr.contains("(line 2, 3)"), "{stderr}");
    let json = s3pg(&["aws", "--world", &world(), "--json", "--script", &script]);
    assert_eq!(json.status.code(), Some(1));
    let lines: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(lines[0]["lineNumber"], 2);
    assert_eq!(lines[0]["asExpected"], false);
    assert_eq!(lines[2]["lineNumber"], 4);
    assert_eq!(lines[2]["asExpected"], true);
}

#[test]
fn scenario_files_load_and_json_mode_carries_the_trace() {
    let out = s3pg(&[
        "aws",
        "--world",
        &fixture("tests/scenarios/iam-01-identity-allow.json"),
        "--json",
        "--",
        "aws",
        "s3api",
        "get-object",
        "--bucket",
        "examplebucket",
        "--key",
        "a.txt",
        "a.txt",
        "--profile",
        "alice",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(result["exitCode"], 0);
    assert_eq!(result["outcomes"][0]["operation"], "GetObject");
    assert!(
        result["outcomes"][0]["trace"]
            .as_array()
            .is_some_and(|t| !t.is_empty())
    );
}

#[test]
fn the_mfa_delete_lesson_script_runs_as_written() {
    let out = s3pg(&[
        "aws",
        "--world",
        &world(),
        "--script",
        &fixture("crates/awscli/lessons/mfa-delete.aws"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches("\n$ aws ").count() + 1, 7, "{stdout}");
    assert!(
        stdout.contains("{\n    \"Status\": \"Enabled\",\n    \"MFADelete\": \"Enabled\"\n}\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("{\n    \"VersionId\": \"null\"\n}\n"),
        "{stdout}"
    );
    assert_eq!(
        text(&out.stderr),
        "\nAn error occurred (AccessDenied) when calling the PutBucketVersioning operation: This operation may only be performed by the bucket owner\n\
         \nAn error occurred (AccessDenied) when calling the DeleteObject operation: Mfa Authentication must be used for this request\n"
    );
}

#[test]
fn a_now_that_is_not_on_the_calendar_is_refused() {
    let out = s3pg(&[
        "aws",
        "--world",
        &world(),
        "--now",
        "2026-02-30T00:00:00Z",
        "--",
        "aws",
        "s3",
        "ls",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: invalid time `2026-02-30T00:00:00Z`: February 2026 has 28 days, so there is no day 30\n  help: use a day between 1 and 28\n"
    );
}
