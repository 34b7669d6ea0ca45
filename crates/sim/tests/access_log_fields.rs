//! The access-log record of a handled request carries every field S3 fills, in AWS's order
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>), and reads back.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

use s3pg_audit::AccessLogRecord;
use s3pg_sim::scenario::{Scenario, run};

#[test]
fn a_delivered_get_record_fills_the_http_fields_and_reads_back() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/scenarios/logf-01-get-record-fills-sizes-and-tls.json"
    ))
    .unwrap();
    let report = run(&Scenario::from_json(&text).unwrap());
    assert!(report.passed(), "{:?}", report.failures());
    let line = report
        .world
        .access_log_lines
        .iter()
        .find(|l| l.contains("REST.GET.OBJECT"))
        .expect("the GET is logged");
    let rec = AccessLogRecord::parse(line).unwrap();
    assert_eq!(rec.format(), *line, "the line reads back byte for byte");
    let request_id = rec.request_id.clone().unwrap();
    assert_eq!(request_id.len(), 16);
    assert!(
        request_id
            .chars()
            .all(|c| c.is_ascii_digit() || ('A'..='F').contains(&c)),
        "{request_id}"
    );
    assert_eq!(rec.request_uri.as_deref(), Some("GET /report.pdf HTTP/1.1"));
    assert_eq!(rec.http_status, Some(200));
    assert_eq!(rec.bytes_sent, Some(17));
    assert_eq!(rec.object_size, Some(17));
    assert!(rec.total_time.is_some() && rec.turn_around_time.is_some());
    assert_eq!(
        rec.user_agent.as_deref(),
        Some("aws-cli/2.17.0 Python/3.11")
    );
    assert_eq!(rec.host_id.as_ref().map(String::len), Some(76));
    assert_eq!(rec.signature_version.as_deref(), Some("SigV4"));
    assert_eq!(rec.cipher_suite.as_deref(), Some("TLS_AES_128_GCM_SHA256"));
    assert_eq!(rec.authentication_type.as_deref(), Some("AuthHeader"));
    assert_eq!(
        rec.host_header.as_deref(),
        Some("examplebucket.s3.us-east-1.amazonaws.com")
    );
    assert_eq!(rec.tls_version.as_deref(), Some("TLSv1.3"));
    assert_eq!(rec.source_region.as_deref(), Some("us-east-1"));
}

/// The object key and the query parameters a Request-URI shows, read from the operation itself,
/// are those of its JSON form (`{"GetObject": {"versionId": …}}`), for every request of every corpus scenario and
/// for each parameter set on each operation that has it.
#[test]
fn key_and_query_params_are_those_of_the_operation_as_json() {
    let from_json = |op: &s3pg_sim::request::Operation, name: &str| {
        let v = serde_json::to_value(op).unwrap();
        v.as_object()
            .and_then(|m| m.values().next())
            .and_then(|v| v.get(name))
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios");
    let mut ops = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let scenario = Scenario::from_json(&text).unwrap();
            ops.extend(scenario.steps.into_iter().map(|s| s.request.operation));
        }
    }
    assert!(ops.len() > 1000, "{} operations", ops.len());
    // Each operation again with every field these parameters could be, set.
    for op in ops.clone() {
        let mut v = serde_json::to_value(&op).unwrap();
        if let Some(fields) = v
            .as_object_mut()
            .and_then(|m| m.values_mut().next())
            .and_then(|f| f.as_object_mut())
        {
            for name in ["versionId", "prefix", "delimiter"] {
                fields.insert(name.to_owned(), serde_json::json!(format!("{name}-value")));
            }
        }
        if let Ok(set) = serde_json::from_value(v) {
            ops.push(set);
        }
    }
    let mut named = 0;
    for op in &ops {
        assert_eq!(
            op.key().map(str::to_owned),
            from_json(op, "key"),
            "key of {op:?}"
        );
        for (name, value) in op.query_params() {
            assert_eq!(
                value.map(str::to_owned),
                from_json(op, name),
                "{name} of {op:?}"
            );
            named += usize::from(value.is_some());
        }
    }
    assert!(named > 50, "{named} parameters named");
}
