//! Table of `aws` command lines run by the console against a small world → the exact stdout,
//! stderr and exit status the AWS CLI v2 would give, plus the requests each one sent.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers outside #[test] functions"
)]

use s3pg_awscli::Console;
use s3pg_sim::scenario::Scenario;
use s3pg_sim::{Timestamp, World};

mod rows;

use rows::rows;

const NOW: &str = "2026-01-01T00:00:00Z";
const ROOT_MFA: &str = "arn:aws:iam::111122223333:mfa/root-account-mfa-device";
const ROOT_SEED: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

fn now() -> Timestamp {
    Timestamp::parse(NOW).unwrap()
}

fn world() -> World {
    let mut w: World =
        serde_json::from_str(include_str!("../fixtures_world.json")).expect("fixture world");
    w.normalize();
    w
}

fn console() -> Console {
    let mut c = Console::new();
    c.add_file("hello.txt", "hi there\n");
    c.add_file(
        "policy.json",
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"BobReads","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::demo/*"}]}"#,
    );
    c.add_file("site/index.html", "<h1>hi</h1>");
    c.add_file("site/css/a.css", "b{}");
    c
}

fn good_code() -> String {
    s3pg_sim::mfa::current_code(ROOT_SEED, now().epoch_seconds()).expect("code")
}

fn bad_code() -> String {
    let good: u32 = good_code().parse().unwrap();
    format!("{:06}", (good + 1) % 1_000_000)
}

fn fill(text: &str) -> String {
    text.replace("{code}", &good_code())
        .replace("{bad}", &bad_code())
        .replace("{mfa}", ROOT_MFA)
}

/// Replaces what a row cannot know in advance (signatures, version ids, ETags of listed
/// objects, the policy engine's message) by reading it from the actual output.
fn normalise(expected: &str, actual: &str) -> String {
    let mut out = expected.to_owned();
    for (placeholder, marker, end) in [
        ("SIG", "X-Amz-Signature=", '\n'),
        ("VID", "\"VersionId\": \"", '"'),
        ("ETAG", "\"ETag\": \"\\\"", '\\'),
        ("MSG", "PutBucketPolicy operation: ", '\n'),
        ("OWNER", "\"ID\": \"", '"'),
        ("\"ID\"", "\"UserId\": ", ','),
    ] {
        if let Some(start) = actual.find(marker).filter(|_| out.contains(placeholder)) {
            let rest = &actual[start + marker.len()..];
            let value = &rest[..rest.find(end).unwrap_or(rest.len())];
            out = out.replacen(placeholder, value, 1);
        }
    }
    out
}

#[test]
fn command_lines_print_what_the_aws_cli_prints() {
    let rows = rows();
    assert!(rows.len() >= 40, "{} rows", rows.len());
    let mut failures = Vec::new();
    for r in &rows {
        let mut w = world();
        let mut c = console();
        for line in r.before {
            let res = c.run(&mut w, &fill(line), now());
            assert_eq!(res.exit_code, 0, "{line}: {}", res.stderr);
        }
        let line = fill(r.line);
        let res = c.run(&mut w, &line, now());
        let stdout = normalise(r.stdout, &res.stdout);
        let stderr = match r.stderr.strip_prefix("STARTS:") {
            Some(prefix) if res.stderr.starts_with(prefix) => res.stderr.clone(),
            _ => normalise(r.stderr, &res.stderr),
        };
        if res.stdout != stdout
            || res.stderr != stderr
            || res.exit_code != r.code
            || res.outcomes.len() != r.requests
        {
            failures.push(format!(
                "{line}\n  stdout {:?}\n  want   {stdout:?}\n  stderr {:?}\n  want   {stderr:?}\n  exit {} want {}; requests {} want {}",
                res.stdout,
                res.stderr,
                res.exit_code,
                r.code,
                res.outcomes.len(),
                r.requests
            ));
        }
        assert_eq!(res.requests.len(), res.outcomes.len());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn debug_prints_the_trace_of_each_request() {
    let mut w = world();
    let mut c = console();
    let res = c.run(
        &mut w,
        "aws s3api put-object --bucket demo --key k --profile bob --debug",
        now(),
    );
    assert_eq!(res.exit_code, 254);
    assert!(
        res.stderr
            .starts_with("s3pg debug: PutObject -> 403 AccessDenied (request id "),
        "{}",
        res.stderr
    );
    assert!(res.stderr.contains("(deciding)"), "{}", res.stderr);
    assert!(
        res.stderr
            .ends_with("\nAn error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:iam::111122223333:user/bob is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::demo/k\" because no identity-based policy allows the s3:PutObject action\n"),
        "{}",
        res.stderr
    );
}

#[test]
fn every_request_leaves_a_trace() {
    let mut w = world();
    let mut c = console();
    let res = c.run(
        &mut w,
        "aws s3api put-object --bucket demo --key k --body hello.txt --profile bob",
        now(),
    );
    let outcome = res.outcomes.first().expect("one outcome");
    assert_eq!(outcome.status, 403);
    assert!(!outcome.trace.is_empty());
    assert!(outcome.deciding.is_some());
    assert_eq!(
        res.requests
            .first()
            .and_then(|r| r.header_value("x-amz-server-side-encryption")),
        None
    );
}

#[test]
fn flags_become_headers() {
    let mut w = world();
    let mut c = console();
    let res = c.run(
        &mut w,
        "aws s3api put-object --bucket demo --key k --body hello.txt --server-side-encryption aws:kms --ssekms-key-id alias/demo --acl bucket-owner-full-control --sse-customer-algorithm AES256 --sse-customer-key 01234567890123456789012345678901 --metadata team=blue --profile root",
        now(),
    );
    let request = res.requests.first().expect("a request");
    for (name, value) in [
        ("x-amz-server-side-encryption", "aws:kms"),
        ("x-amz-server-side-encryption-aws-kms-key-id", "alias/demo"),
        ("x-amz-acl", "bucket-owner-full-control"),
        ("x-amz-server-side-encryption-customer-algorithm", "AES256"),
        (
            "x-amz-server-side-encryption-customer-key",
            "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=",
        ),
        ("x-amz-meta-team", "blue"),
    ] {
        assert_eq!(request.header_value(name), Some(value), "{name}");
    }
    assert!(
        request
            .header_value("x-amz-server-side-encryption-customer-key-md5")
            .is_some()
    );
    let res = c.run(
        &mut w,
        "aws s3api delete-object --bucket demo --key k --version-id abc --mfa \"SERIAL 123456\" --profile root",
        now(),
    );
    let request = res.requests.first().expect("a request");
    assert_eq!(request.header_value("x-amz-mfa"), Some("SERIAL 123456"));
}

#[test]
fn mfa_delete_lesson_runs_as_a_script() {
    let mut w = world();
    let mut c = console();
    let code = good_code();
    // A later code for the second MFA use: each code is accepted once.
    let later = now().plus(30);
    let later_code = s3pg_sim::mfa::current_code(ROOT_SEED, later.epoch_seconds()).unwrap();
    let script = format!(
        "# enable MFA Delete, then try to remove a version\n\
         aws s3api put-bucket-versioning --bucket demo --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa \"{ROOT_MFA} {code}\" --profile root\n\
         aws s3api put-object --bucket demo --key doc.txt --body hello.txt --profile alice\n"
    );
    let results = c.run_script(&mut w, &script, now());
    assert_eq!(results.len(), 2);
    for (line, r) in &results {
        assert_eq!(r.exit_code, 0, "{line}: {}", r.stderr);
    }
    let put = &results.get(1).unwrap().1;
    let version: serde_json::Value = serde_json::from_str(&put.stdout).unwrap();
    let vid = version["VersionId"].as_str().unwrap().to_owned();
    let denied = c.run(
        &mut w,
        &format!(
            "aws s3api delete-object --bucket demo --key doc.txt --version-id {vid} --profile alice"
        ),
        later,
    );
    assert_eq!(denied.exit_code, 254);
    assert_eq!(
        denied.stderr,
        "\nAn error occurred (AccessDenied) when calling the DeleteObject operation: Mfa Authentication must be used for this request\n"
    );
    let deleted = c.run(
        &mut w,
        &format!("aws s3api delete-object --bucket demo --key doc.txt --version-id {vid} --mfa \"{ROOT_MFA} {later_code}\" --profile root"),
        later,
    );
    assert_eq!(deleted.exit_code, 0, "{}", deleted.stderr);
    assert_eq!(
        deleted.stdout,
        format!("{{\n    \"VersionId\": \"{vid}\"\n}}\n")
    );
}

#[test]
fn profiles_cover_every_principal() {
    let w = world();
    let c = Console::new();
    let names: Vec<String> = c.profiles(&w).into_iter().map(|p| p.name).collect();
    assert_eq!(
        names,
        ["default", "root", "alice", "bob", "carol", "Auditor-audit"]
    );
    let default = c.profile(&w, "default").unwrap();
    assert_eq!(default.arn, "arn:aws:iam::111122223333:root");
    let mut c = Console::new();
    c.default_profile = Some("alice".into());
    assert_eq!(
        c.profile(&w, "default").unwrap().arn,
        "arn:aws:iam::111122223333:user/alice"
    );
}

#[test]
fn get_object_writes_the_outfile_and_configure_set_is_remembered() {
    let mut w = world();
    let mut c = console();
    let r = c.run(
        &mut w,
        "aws s3api get-object --bucket demo --key docs/guide.md ./copy.md --profile alice",
        now(),
    );
    assert_eq!(r.exit_code, 0, "{}", r.stderr);
    assert_eq!(c.file("copy.md"), Some(&b"# guide\n"[..]));
    let r = c.run(&mut w, "aws configure get region", now());
    assert_eq!((r.exit_code, r.stdout.as_str()), (1, ""));
    let r = c.run(&mut w, "aws configure set region eu-west-1", now());
    assert_eq!(r.exit_code, 0);
    let r = c.run(&mut w, "aws configure get region", now());
    assert_eq!((r.exit_code, r.stdout.as_str()), (0, "eu-west-1\n"));
    let r = c.run(
        &mut w,
        "aws configure set region ap-south-1 --profile bob",
        now(),
    );
    assert_eq!(r.exit_code, 0);
    assert_eq!(
        c.settings.get("profile.bob.region").map(String::as_str),
        Some("ap-south-1")
    );
    // The default profile now signs for eu-west-1; other profiles keep their own settings.
    let r = c.run(&mut w, "aws s3 presign s3://demo/hello.txt", now());
    assert!(r.stdout.contains("%2Feu-west-1%2F"), "{}", r.stdout);
    let r = c.run(
        &mut w,
        "aws s3 presign s3://demo/hello.txt --profile bob",
        now(),
    );
    assert!(r.stdout.contains("%2Fap-south-1%2F"), "{}", r.stdout);
    let r = c.run(
        &mut w,
        "aws s3 presign s3://demo/hello.txt --profile alice",
        now(),
    );
    assert!(r.stdout.contains("%2Fus-east-1%2F"), "{}", r.stdout);
    assert!(r.stdout.contains("X-Amz-Expires=3600"), "{}", r.stdout);
}

#[test]
fn scenario_worlds_load_and_answer() {
    let text = include_str!("../../../../tests/scenarios/mfa-01-enable-mfa-delete.json");
    let scenario = Scenario::from_json(text).unwrap_or_else(|e| panic!("{e}"));
    let mut w = scenario.world.clone();
    w.normalize();
    let mut c = Console::new();
    let names: Vec<String> = c.profiles(&w).into_iter().map(|p| p.name).collect();
    assert!(names.contains(&"root".to_owned()), "{names:?}");
    let r = c.run(&mut w, "aws s3 ls --profile root", scenario.start);
    assert_eq!(r.exit_code, 0, "{}", r.stderr);
    assert_eq!(r.outcomes.len(), 1);
}

#[test]
fn the_terminal_network_reaches_the_policy() {
    let text = include_str!("../../../../tests/scenarios/bp-05-source-ip.json");
    let scenario = Scenario::from_json(text).unwrap_or_else(|e| panic!("{e}"));
    let line = "aws s3api get-object --bucket examplebucket --key a.txt a.txt --no-sign-request --query ContentLength";
    let mut c = Console::new();
    let mut w = scenario.world.clone();
    w.normalize();
    c.network.source_ip = "192.0.2.44".into();
    let office = c.run(&mut w, line, scenario.start);
    assert_eq!((office.exit_code, office.stdout.as_str()), (0, "5\n"));
    c.network.source_ip = "198.51.100.7".into();
    let elsewhere = c.run(&mut w, line, scenario.start);
    assert_eq!(elsewhere.exit_code, 254);
    assert_eq!(
        elsewhere
            .requests
            .first()
            .map(|r| r.network.source_ip.as_str()),
        Some("198.51.100.7")
    );
}
