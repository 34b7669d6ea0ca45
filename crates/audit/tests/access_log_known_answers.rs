//! Known-answer tests: AWS's documented example log lines (S3 UG "Amazon S3 server access log
//! format", four generations of the page: 18, 24, 26 and 27 fields) parse field by field and
//! re-format to the same bytes; real lines published by third parties parse as they should.

#![expect(clippy::panic, reason = "test helpers outside #[test] functions")]

use s3pg_audit::{AccessLogRecord, Timestamp, parse_log};

const OWNER: &str = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

/// The current page (27 fields: a Region after `aclRequired`), first two records.
const DOC_27: &[&str] = &[
    r#"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1"#,
    r#"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 891CE47D2EXAMPLE REST.GET.LOGGING_STATUS - "GET /amzn-s3-demo-bucket1?logging HTTP/1.1" 200 - 242 - 11 - "-" "S3Console/0.4" - 9vKBE6vMhrNiWHZmb2L0mXOcqPGzQOI5XLnCtZNPxev+Hf+7tpT6sxDwDty4LHBUOZJG96N1234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 - - us-east-1"#,
];

/// The page with access point ARN and `aclRequired` (26 fields).
const DOC_26: &str = r#"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /DOC-EXAMPLE-BUCKET1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 891CE47D2EXAMPLE REST.GET.LOGGING_STATUS - "GET /DOC-EXAMPLE-BUCKET1?logging HTTP/1.1" 200 - 242 - 11 - "-" "S3Console/0.4" - 9vKBE6vMhrNiWHZmb2L0mXOcqPGzQOI5XLnCtZNPxev+Hf+7tpT6sxDwDty4LHBUOZJG96N1234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 - -
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be A1206F460EXAMPLE REST.GET.BUCKETPOLICY - "GET /DOC-EXAMPLE-BUCKET1?policy HTTP/1.1" 404 NoSuchBucketPolicy 297 - 38 - "-" "S3Console/0.4" - BNaBsXZQQDbssi6xMBdBU2sLt+Yf5kZDmeBUP35sFoKa3sLLeMC78iwEIWxs99CRUrbS4n11234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 - Yes
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:01:00 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 7B4A0FABBEXAMPLE REST.GET.VERSIONING - "GET /DOC-EXAMPLE-BUCKET1?versioning HTTP/1.1" 200 - 113 - 33 - "-" "S3Console/0.4" - Ke1bUcazaN1jWuUlPJaxF64cQVpUEhoZKEG/hmy/gijN/I1DeWqDfFvnpybfEseEME/u7ME1234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 - -
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:01:57 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DD6CC733AEXAMPLE REST.PUT.OBJECT s3-dg.pdf "PUT /DOC-EXAMPLE-BUCKET1/s3-dg.pdf HTTP/1.1" 200 - - 4406583 41754 28 "-" "S3Console/0.4" - 10S62Zv81kBW7BB6SX4XJ48o6kpcl6LPwEoizZQQxJd5qDSCTLX0TgS37kYUBKQW3+bPdrg1234= SigV4 ECDHE-RSA-AES128-SHA AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 - Yes
"#;

/// The 2019 page (24 fields, through TLS version).
const DOC_24: &str = r#"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be awsexamplebucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /awsexamplebucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV2 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader awsexamplebucket1.s3.us-west-1.amazonaws.com TLSV1.1
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be awsexamplebucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 891CE47D2EXAMPLE REST.GET.LOGGING_STATUS - "GET /awsexamplebucket1?logging HTTP/1.1" 200 - 242 - 11 - "-" "S3Console/0.4" - 9vKBE6vMhrNiWHZmb2L0mXOcqPGzQOI5XLnCtZNPxev+Hf+7tpT6sxDwDty4LHBUOZJG96N1234= SigV2 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader awsexamplebucket1.s3.us-west-1.amazonaws.com TLSV1.1
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be awsexamplebucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be A1206F460EXAMPLE REST.GET.BUCKETPOLICY - "GET /awsexamplebucket1?policy HTTP/1.1" 404 NoSuchBucketPolicy 297 - 38 - "-" "S3Console/0.4" - BNaBsXZQQDbssi6xMBdBU2sLt+Yf5kZDmeBUP35sFoKa3sLLeMC78iwEIWxs99CRUrbS4n11234= SigV2 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader awsexamplebucket1.s3.us-west-1.amazonaws.com TLSV1.1
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be awsexamplebucket1 [06/Feb/2019:00:01:00 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 7B4A0FABBEXAMPLE REST.GET.VERSIONING - "GET /awsexamplebucket1?versioning HTTP/1.1" 200 - 113 - 33 - "-" "S3Console/0.4" - Ke1bUcazaN1jWuUlPJaxF64cQVpUEhoZKEG/hmy/gijN/I1DeWqDfFvnpybfEseEME/u7ME1234= SigV2 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader awsexamplebucket1.s3.us-west-1.amazonaws.com TLSV1.1
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be awsexamplebucket1 [06/Feb/2019:00:01:57 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DD6CC733AEXAMPLE REST.PUT.OBJECT s3-dg.pdf "PUT /awsexamplebucket1/s3-dg.pdf HTTP/1.1" 200 - - 4406583 41754 28 "-" "S3Console/0.4" - 10S62Zv81kBW7BB6SX4XJ48o6kpcl6LPwEoizZQQxJd5qDSCTLX0TgS37kYUBKQW3+bPdrg1234= SigV4 ECDHE-RSA-AES128-SHA AuthHeader awsexamplebucket1.s3.us-west-1.amazonaws.com TLSV1.1
"#;

/// The 2014 page (18 fields, through Version Id).
const DOC_18: &str = r#"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be mybucket [06/Feb/2014:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be A1206F460EXAMPLE REST.GET.BUCKETPOLICY - "GET /mybucket?policy HTTP/1.1" 404 NoSuchBucketPolicy 297 - 38 - "-" "S3Console/0.4" -
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be mybucket [06/Feb/2014:00:01:00 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 7B4A0FABBEXAMPLE REST.GET.VERSIONING - "GET /mybucket?versioning HTTP/1.1" 200 - 113 - 33 - "-" "S3Console/0.4" -
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be mybucket [06/Feb/2014:00:01:57 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DD6CC733AEXAMPLE REST.PUT.OBJECT s3-dg.pdf "PUT /mybucket/s3-dg.pdf HTTP/1.1" 200 - - 4406583 41754 28 "-" "S3Console/0.4" -
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be mybucket [06/Feb/2014:00:03:21 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be BC3C074D0EXAMPLE REST.GET.VERSIONING - "GET /mybucket?versioning HTTP/1.1" 200 - 113 - 28 - "-" "S3Console/0.4" -
"#;

fn assert_byte_for_byte(line: &str) {
    let rec = AccessLogRecord::parse(line).unwrap_or_else(|e| panic!("{e}\n{line}"));
    assert_eq!(rec.format(), line);
}

#[test]
fn every_documented_example_line_reformats_byte_for_byte() {
    let all: Vec<&str> = DOC_27
        .iter()
        .copied()
        .chain(DOC_26.lines())
        .chain(DOC_24.lines())
        .chain(DOC_18.lines())
        .collect();
    assert_eq!(all.len(), 16);
    for line in all {
        assert_byte_for_byte(line);
    }
}

#[test]
fn the_current_example_reads_field_by_field() {
    let r = AccessLogRecord::parse(DOC_27[0]).unwrap();
    assert_eq!(r.bucket_owner.as_deref(), Some(OWNER));
    assert_eq!(r.bucket.as_deref(), Some("amzn-s3-demo-bucket1"));
    assert_eq!(r.time, Some(Timestamp(1_549_411_238)));
    assert_eq!(r.remote_ip.as_deref(), Some("192.0.2.3"));
    assert_eq!(r.requester.as_deref(), Some(OWNER));
    assert_eq!(r.request_id.as_deref(), Some("3E57427F3EXAMPLE"));
    assert_eq!(r.operation.as_deref(), Some("REST.GET.VERSIONING"));
    assert_eq!(r.key, None);
    assert_eq!(
        r.request_uri.as_deref(),
        Some("GET /amzn-s3-demo-bucket1?versioning HTTP/1.1")
    );
    assert_eq!(r.http_status, Some(200));
    assert_eq!(r.error_code, None);
    assert_eq!(r.bytes_sent, Some(113));
    assert_eq!(r.object_size, None);
    assert_eq!(r.total_time, Some(7));
    assert_eq!(r.turn_around_time, None);
    assert_eq!(r.referer.as_deref(), Some("-"));
    assert_eq!(r.referer_header(), None);
    assert_eq!(r.user_agent_header(), Some("S3Console/0.4"));
    assert_eq!(r.version_id, None);
    assert_eq!(
        r.host_id.as_deref(),
        Some("s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=")
    );
    assert_eq!(r.signature_version.as_deref(), Some("SigV4"));
    assert_eq!(
        r.cipher_suite.as_deref(),
        Some("ECDHE-RSA-AES128-GCM-SHA256")
    );
    assert_eq!(r.authentication_type.as_deref(), Some("AuthHeader"));
    assert_eq!(
        r.host_header.as_deref(),
        Some("amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com")
    );
    assert_eq!(r.tls_version.as_deref(), Some("TLSV1.2"));
    assert_eq!(
        r.access_point_arn.as_deref(),
        Some("arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP")
    );
    assert_eq!(r.acl_required.as_deref(), Some("Yes"));
    assert_eq!(r.source_region.as_deref(), Some("us-east-1"));
    assert_eq!(r.field_count, 27);
    assert!(r.extra.is_empty());
}

#[test]
fn older_lines_keep_their_field_count() {
    let r = AccessLogRecord::parse(DOC_18.lines().next().unwrap()).unwrap();
    assert_eq!(r.field_count, 18);
    assert_eq!(r.error_code.as_deref(), Some("NoSuchBucketPolicy"));
    let r = AccessLogRecord::parse(DOC_24.lines().nth(4).unwrap()).unwrap();
    assert_eq!(r.field_count, 24);
    assert_eq!(r.key.as_deref(), Some("s3-dg.pdf"));
    assert_eq!(r.bytes_sent, None);
    assert_eq!(r.object_size, Some(4_406_583));
    assert_eq!(r.total_time, Some(41_754));
    assert_eq!(r.turn_around_time, Some(28));
    assert_eq!(r.tls_version.as_deref(), Some("TLSV1.1"));
}

#[test]
fn a_whole_log_object_parses_and_reformats() {
    let records = parse_log(DOC_26).unwrap();
    assert_eq!(records.len(), 5);
    assert_eq!(s3pg_audit::format_log(&records), DOC_26);
}

#[test]
fn fields_appended_after_the_27th_are_kept() {
    let line = format!("{} newfield1 newfield2", DOC_27[1]);
    let r = AccessLogRecord::parse(&line).unwrap();
    assert_eq!(r.extra, vec!["newfield1", "newfield2"]);
    assert_eq!(r.format(), line);
}

/// A multi-object delete row seen in a published real log: the quoted fields are a bare `-`.
#[test]
fn batch_delete_rows_with_bare_dashes_reformat_byte_for_byte() {
    let line = "183c9826b45486e485693808f38e2c4071004bf5dfd4c3ab210f0a21a4235ef8 stevel-london [24/Feb/2021:14:53:53 +0000] 109.157.193.10 arn:aws:iam::152813717728:user/stevel-dev D630F8F6B949DA00 BATCH.DELETE.OBJECT fork-0004/test/ - 204 - - - - - - - - WVzx2GM3UeoXx11TVb+v1u1reJl+ahOiJApP9NDIHWBQPF87OXQyKKc/31NGXPNXLSEigGJZleg= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader stevel-london.s3.eu-west-2.amazonaws.com TLSv1.2";
    let r = AccessLogRecord::parse(line).unwrap();
    assert_eq!(r.request_uri, None);
    assert_eq!(r.referer, None);
    assert_eq!(r.user_agent, None);
    assert_eq!(
        r.requester.as_deref(),
        Some("arn:aws:iam::152813717728:user/stevel-dev")
    );
    assert_eq!(r.http_status, Some(204));
    assert_eq!(r.format(), line);
}

/// Real logs write quotes inside values raw; the parser still finds the field boundaries.
#[test]
fn raw_quotes_inside_real_lines_are_read() {
    // a request line containing a raw `"` (reported against a third-party parser)
    let line = r#"f383580bf9c9bd19055832f1bf43164c3e6c444a758287727f8f40ab00d461bc testing-1234xxx [20/Jun/2019:03:51:36 +0000] 1.2.3.4 - 63DAF67A2BC0B6C3 REST.GET.OBJECT %2522 "GET /" HTTP/1.1" 403 AccessDenied 243 - 8 - "referer test" "curl/7.38.0" - uidORkMVUSKEFetTC9FJG1qrSdT9DlxA97GPF8m2IsJlDxHLkV5VGzmkuTb8pXIym7B/J5XZlGU= - ECDHE-RSA-AES128-GCM-SHA256 - testing-1234xxx.s3.amazonaws.com TLSv1.2"#;
    let r = AccessLogRecord::parse(line).unwrap();
    assert_eq!(r.request_uri.as_deref(), Some(r#"GET /" HTTP/1.1"#));
    assert_eq!(r.http_status, Some(403));
    assert_eq!(r.error_code.as_deref(), Some("AccessDenied"));
    assert_eq!(r.requester, None);
    assert_eq!(r.referer.as_deref(), Some("referer test"));
    assert_eq!(r.signature_version, None);
    assert_eq!(r.authentication_type, None);
    // the playground's own form escapes the ambiguous quote and reads back the same record
    assert_eq!(AccessLogRecord::parse(&r.format()).unwrap(), r);

    // a User-Agent ending in a raw `"`
    let line = r#"BucketOwner email-contents.sansan.com [24/Dec/2020:20:00:00 +0000] xxx.xxxx.xx.xxx - xxxxxIDxxxx REST.GET.OBJECT aaa/fizzbuzz.txt "GET /some-path/fizzbuzz.txt HTTP/1.1" 200 - 49851 49851 23 22 "https://example,com/some/url" "Mozilla/5.0 (iPad; CPU OS 13_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0.1 Mobile/15E148 Safari/604.1"" - someIDstring - ECDHE-RSA-AES128-GCM-SHA256 - s3-ap-northeast-1.amazonaws.com TLSv1.2"#;
    let r = AccessLogRecord::parse(line).unwrap();
    assert!(
        r.user_agent
            .as_deref()
            .unwrap()
            .ends_with(r#"Safari/604.1""#)
    );
    assert_eq!(r.version_id, None);
    assert_eq!(r.host_id.as_deref(), Some("someIDstring"));
    assert_eq!(AccessLogRecord::parse(&r.format()).unwrap(), r);
}

#[test]
fn malformed_lines_are_rejected_with_a_position() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 1, "line ends after 0 fields"),
        (&DOC_18.lines().next().unwrap()[..200], 0, "line ends after"),
        (
            "o b 06/Feb/2019:00:00:38 ip r id op k \"GET / HTTP/1.1\" 200 - - - - - \"-\" \"-\" -",
            3,
            "expected a time",
        ),
        (
            "o b [06/Feb/2019:00:00:38 +0000] ip r id op k GET 200 - - - - - \"-\" \"-\" -",
            9,
            "expected a quoted value",
        ),
        (
            "o b [06/Feb/2019:00:00:38 +0000] ip r id op k \"GET / HTTP/1.1 200 - - - - - - - -",
            9,
            "unterminated",
        ),
        ("o  b [06/Feb/2019:00:00:38 +0000]", 2, "empty field"),
        (
            "o b [06/Feb/2019:00:00:38 +0000] ip r id op k \"GET\" 99999 - - - - - \"-\" \"-\" -",
            10,
            "out of range",
        ),
    ];
    for (line, field, msg) in cases {
        let err = AccessLogRecord::parse(line).unwrap_err();
        assert!(err.message.contains(msg), "{line}: {err}");
        if *field > 0 {
            assert_eq!(err.field, *field, "{line}: {err}");
        }
        assert!(err.column >= 1);
    }
}
