//! `s3pg eval --output decision` end to end: the same answers as the full output, with only
//! each answer's decision and determining statements.

#![expect(clippy::expect_used, reason = "test helpers outside #[test] functions")]

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

fn eval(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_s3pg"))
        .arg("eval")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run s3pg");
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes());
    // A command line that is refused exits before reading its input: the pipe is then closed.
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    child.wait_with_output().expect("wait for s3pg")
}

const BATCH: &str = r#"[
  {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
   "resource": "arn:aws:s3:::b/a.txt",
   "identity_policies": [{"Version": "2012-10-17", "Statement": [
     {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}]},
  {"principal": "anonymous", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/a.txt"},
  {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:PutObject",
   "resource": "arn:aws:s3:::b/a.txt",
   "identity_policies": [{"Version": "2012-10-17", "Statement": [
     {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
     {"Sid": "NoPut", "Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]}]}
]"#;

#[test]
fn decision_output_keeps_the_decision_and_the_determining_statements() {
    let compact = eval(&["--output", "decision"], BATCH);
    assert_eq!(compact.status.code(), Some(0));
    let compact: serde_json::Value = serde_json::from_slice(&compact.stdout).expect("JSON");
    let full = eval(&[], BATCH);
    let full: serde_json::Value = serde_json::from_slice(&full.stdout).expect("JSON");
    let (Some(compact), Some(full)) = (compact.as_array(), full.as_array()) else {
        panic!("both outputs are arrays");
    };
    assert_eq!(compact.len(), 3);
    for (c, f) in compact.iter().zip(full) {
        let keys: Vec<&String> = c.as_object().expect("object").keys().collect();
        assert_eq!(keys, ["decision", "determining"]);
        assert_eq!(c["decision"], f["decision"]);
        assert_eq!(c["determining"], f["determining"]);
    }
    assert_eq!(compact[0]["decision"], "Allow");
    assert_eq!(compact[1]["decision"], "ImplicitDeny");
    assert_eq!(compact[2]["decision"], "ExplicitDeny");
    assert_eq!(compact[2]["determining"][0]["sid"], "NoPut");
}

#[test]
fn decision_output_reports_invalid_cases_and_bad_flags() {
    let out = eval(&["--output=decision"], r#"{"principal": "nobody"}"#);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(v["errors"].as_array().is_some_and(|e| !e.is_empty()), "{v}");
    let bad = eval(&["--output", "terse"], "{}");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr)
            .starts_with("error: `--output` takes `full` or `decision`, not `terse`"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}
