//! Unit tests of the scenario loader and checker.

use super::*;

#[test]
fn json_path_points_at_the_offending_value() {
    let text = r#"{"a": {"b": [1, {"c": 2}]}}"#;
    let off = text.find("2").unwrap();
    assert_eq!(json_path_at(text, off), "a.b[1].c");
}

#[test]
fn unknown_fields_are_rejected_with_path_and_help() {
    let text = "{\n  \"name\": \"x\",\n  \"source\": \"https://docs.aws.amazon.com/\",\n  \"world\": {\"accountz\": {}}\n}";
    let err = Scenario::from_json(text).unwrap_err();
    assert!(err.message.contains("unknown field `accountz`"), "{err}");
    assert_eq!(err.line, 4);
    assert!(err.path.starts_with("world"), "{err:?}");
    assert!(err.help.is_some());
}

#[test]
fn misspelled_caller_fields_are_rejected() {
    let text = DEFAULT_SCENARIO.replace(
        "\"account\": \"111122223333\" } }",
        "\"acount\": \"111122223333\" } }",
    );
    assert_ne!(text, DEFAULT_SCENARIO);
    let err = Scenario::from_json(&text).unwrap_err();
    assert!(err.message.contains("unknown field `acount`"), "{err}");
    assert!(err.path.contains("caller"), "{err:?}");
}

#[test]
fn times_off_the_calendar_and_backward_clocks_are_refused() {
    let base = r#"{"name": "x", "source": "https://docs.aws.amazon.com/", "start": "START",
        "world": {"accounts": {"111122223333": {}}},
        "steps": [
          {"at": "AT1", "request": {"caller": "anonymous", "operation": {"ListBuckets": {}}}},
          {"at": "AT2", "request": {"caller": "anonymous", "operation": {"ListBuckets": {}}}}
        ]}"#;
    let scenario = |start: &str, at1: &str, at2: &str| {
        Scenario::from_json(
            &base
                .replace("START", start)
                .replace("AT1", at1)
                .replace("AT2", at2),
        )
    };
    let ok = scenario(
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z",
        "2026-03-01T00:00:00Z",
    );
    assert!(ok.is_ok(), "{:?}", ok.err());
    let err = scenario(
        "2026-02-30T00:00:00Z",
        "2026-03-01T00:00:00Z",
        "2026-03-02T00:00:00Z",
    )
    .unwrap_err();
    assert!(
        err.message
            .contains("February 2026 has 28 days, so there is no day 30"),
        "{err}"
    );
    assert!(err.help.is_some());
    let err = scenario(
        "2026-01-01T00:00:00Z",
        "2026-02-01T00:00:00Z",
        "2026-01-15T00:00:00Z",
    )
    .unwrap_err();
    assert_eq!(err.path, "steps[1].at");
    assert!(
        err.message
            .starts_with("step 2 would move the clock backwards"),
        "{err}"
    );
    let err = scenario(
        "2026-06-01T00:00:00Z",
        "2026-01-01T00:00:00Z",
        "2026-07-01T00:00:00Z",
    )
    .unwrap_err();
    assert_eq!(err.path, "steps[0].at");
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "{",
        "[]",
        "null",
        "{\"name\": 1}",
        "{\"steps\": [{]}",
        "\u{0}",
    ] {
        assert!(Scenario::from_json(text).is_err());
    }
}

#[test]
fn json_subset_matching() {
    let a = serde_json::json!({"x": 1, "y": [ {"k": "a", "v": 2} ]});
    assert!(json_contains(&a, &serde_json::json!({"y": [{"k": "a"}]})));
    assert!(!json_contains(&a, &serde_json::json!({"y": []})));
    assert!(json_contains(&a, &serde_json::json!({"z": null})));
}

const TWO_STEPS: &str = r#"{"name": "x", "source": "https://docs.aws.amazon.com/",
  "world": {"accounts": {"111122223333": {}}, "buckets": {"b": {"owner": "111122223333", "versioning": "Enabled"}}},
  "steps": [
    {"request": {"caller": {"root": {"account": "111122223333"}},
                 "operation": {"PutObject": {"bucket": "b", "key": "k", "body": "one"}}},
     "SAVE1"
     "expect": {"status": 200}},
    {"request": {"caller": {"root": {"account": "111122223333"}},
                 "operation": {"GetObject": {"bucket": "b", "key": "k", "versionId": "${v1}"}}},
     "expect": {"status": 200, "EXPECT2": 1}}
  ]}"#;

fn two_steps(save: &str, expect: &str) -> Result<Scenario, LoadError> {
    Scenario::from_json(&TWO_STEPS.replace("\"SAVE1\"", save).replace(
        "\"EXPECT2\": 1",
        if expect.is_empty() {
            "\"body\": {}"
        } else {
            expect
        },
    ))
}

#[test]
fn a_saved_version_id_is_used_by_a_later_step() {
    let s = two_steps(
        r#""save": {"v1": "versionId"},"#,
        r#""body": {"Body": "one"}"#,
    )
    .unwrap();
    let report = run(&s);
    assert!(report.passed(), "{:?}", report.failures());
    let put_version = report.steps[0].outcome.headers["x-amz-version-id"].clone();
    match &report.steps[1].request.operation {
        crate::request::Operation::GetObject { version_id, .. } => {
            assert_eq!(version_id.as_deref(), Some(put_version.as_str()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn using_a_name_no_earlier_step_saves_is_refused_where_it_is_used() {
    let err = two_steps("", "").unwrap_err();
    assert!(
        err.message
            .contains("step 2 uses `${v1}`, which no earlier step saves"),
        "{err}"
    );
    assert_eq!(err.path, "steps[1].request.operation.GetObject.versionId");
    assert_eq!(err.line, 9);
    assert!(err.help.as_deref().unwrap_or("").contains("\"save\""));
    // Saving it in the same step is too late for the request.
    let text = TWO_STEPS
        .replace("\"SAVE1\"", "")
        .replace("\"EXPECT2\": 1", "\"body\": {}")
        .replace(
            "\"expect\": {\"status\": 200, \"body\": {}}",
            "\"save\": {\"v1\": \"versionId\"}, \"expect\": {\"status\": 200}",
        );
    assert!(Scenario::from_json(&text).is_err());
}

#[test]
fn bad_saved_names_selectors_and_facts_are_refused_with_help() {
    let err = two_steps(r#""save": {"v1": "versionid"},"#, "").unwrap_err();
    assert_eq!(err.path, "steps[0].save.v1");
    assert!(
        err.help.as_deref().unwrap_or("").contains("versionId"),
        "{err}"
    );
    let err = two_steps(r#""save": {"1v": "versionId"},"#, "").unwrap_err();
    assert!(err.message.contains("`1v` cannot be a saved name"), "{err}");
    let err = two_steps(
        r#""save": {"v1": "versionId"},"#,
        r#""stored": {"objects": [{"bucket": "b", "key": "k", "encrypted": true}]}"#,
    )
    .unwrap_err();
    assert!(
        err.message
            .contains("`stored.objects` knows no fact `encrypted`"),
        "{err}"
    );
    assert!(err.help.as_deref().unwrap_or("").contains("`sealed`"));
}

#[test]
fn saving_what_the_response_lacks_fails_the_step() {
    let s = two_steps(
        r#""save": {"v1": "versionId", "u": "uploadId"},"#,
        r#""stored": {"objects": [{"bucket": "b", "key": "k", "versions": 1, "present": true, "sealed": true}]}"#,
    )
    .unwrap();
    let report = run(&s);
    let failures = report.failures();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert!(
        failures[0]
            .2
            .starts_with("could not save `u`: the response has no `uploadId`"),
        "{failures:?}"
    );
}

#[test]
fn messages_match_by_prefix_and_pattern() {
    let s = two_steps(r#""save": {"v1": "versionId"},"#, "").unwrap();
    let mut world = s.world.clone();
    let request: crate::request::Request = serde_json::from_value(serde_json::json!({
        "caller": "anonymous", "operation": {"GetObject": {"bucket": "b", "key": "k"}}
    }))
    .unwrap();
    let outcome = world.handle(&request, s.start);
    assert_eq!(outcome.error.as_ref().unwrap().message, "Access Denied");
    let expect = |p: Option<&str>, m: Option<&str>| Expect {
        message_starts_with: p.map(str::to_owned),
        message_matches: m.map(str::to_owned),
        ..Expect::default()
    };
    assert!(check(&expect(Some("Access"), Some("A*D?nied")), &outcome, &world).is_empty());
    assert_eq!(
        check(&expect(Some("Denied"), None), &outcome, &world).len(),
        1
    );
    assert_eq!(
        check(&expect(None, Some("*Allowed*")), &outcome, &world).len(),
        1
    );
}

#[test]
fn a_declared_kms_object_that_is_not_sealed_is_refused_at_load() {
    let text = r#"{"name": "x", "source": "https://docs.aws.amazon.com/",
  "world": {"accounts": {"111122223333": {}}, "buckets": {"b": {"owner": "111122223333",
    "objects": {"doc.txt": {"versions": [
      {"body": "secret",
       "encryption": "aws:kms"}]}}}}}}"#;
    let err = Scenario::from_json(text).unwrap_err();
    assert_eq!(
        err.path,
        "world.buckets.b.objects.doc.txt.versions[0].encryption"
    );
    assert_eq!((err.line, err.column), (5, 8));
    assert!(
        err.message
            .contains("declared `aws:kms` but holds plaintext"),
        "{err}"
    );
    assert!(err.help.as_deref().unwrap_or("").contains("PutObject"));
    // SSE-S3 labels are fine: reading them needs nothing more than s3:GetObject.
    assert!(Scenario::from_json(&text.replace("aws:kms", "AES256")).is_ok());
    let err = Scenario::from_json(&text.replace("aws:kms", "SSE-C")).unwrap_err();
    assert!(err.message.contains("without the customer's key"), "{err}");
}
