//! Property: any record the playground can hold formats to a line that parses back to the same
//! record, whatever its quoted fields contain (quotes, spaces, backslashes, line breaks).

#![expect(
    clippy::indexing_slicing,
    reason = "test generators outside #[test] functions"
)]

use proptest::prelude::*;
use s3pg_audit::{AccessLogRecord, Timestamp, decode_key, encode_key};

/// An unquoted value: non-empty, no whitespace, not the `-` placeholder.
fn unquoted() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[!-~&&[^ ]]{1,24}".prop_filter("not the placeholder", |s| s != "-"))
}

/// A quoted value: anything printable, with quotes, backslashes, spaces and line breaks.
fn quoted() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop_oneof![
        "[ -~]{0,40}",
        r#"[a "\\\n\r]{0,12}"#,
        Just("-".to_owned()),
        Just(r#"x" "y"#.to_owned()),
        Just(r#"GET /a" 200 b HTTP/1.1"#.to_owned()),
        Just("é ü 漢字".to_owned()),
    ])
}

fn number() -> impl Strategy<Value = Option<u64>> {
    prop::option::of(any::<u64>())
}

prop_compose! {
    fn record()(
        a in (unquoted(), unquoted(), prop::option::of(0u64..4_102_444_800), unquoted(), unquoted(), unquoted(), unquoted(), unquoted()),
        b in (quoted(), prop::option::of(any::<u16>()), unquoted(), number(), number(), number(), number()),
        c in (quoted(), quoted(), unquoted(), unquoted(), unquoted(), unquoted(), unquoted()),
        d in (unquoted(), unquoted(), unquoted(), unquoted(), unquoted()),
        extra in prop::collection::vec("[!-~&&[^ ]]{1,8}", 0..3),
        field_count in 18usize..=27,
    ) -> AccessLogRecord {
        AccessLogRecord {
            bucket_owner: a.0, bucket: a.1, time: a.2.map(Timestamp), remote_ip: a.3,
            requester: a.4, request_id: a.5, operation: a.6, key: a.7,
            request_uri: b.0, http_status: b.1, error_code: b.2, bytes_sent: b.3,
            object_size: b.4, total_time: b.5, turn_around_time: b.6,
            referer: c.0, user_agent: c.1, version_id: c.2, host_id: c.3,
            signature_version: c.4, cipher_suite: c.5, authentication_type: c.6,
            host_header: d.0, tls_version: d.1, access_point_arn: d.2, acl_required: d.3,
            source_region: d.4,
            field_count: if extra.is_empty() { field_count } else { 27 },
            extra,
        }
    }
}

/// What formatting may normalise: fields after the last set one are written only up to the
/// record's own field count.
fn normalised(mut r: AccessLogRecord) -> AccessLogRecord {
    r.field_count = line_field_count(&r);
    r
}

fn line_field_count(r: &AccessLogRecord) -> usize {
    let mut last = 18;
    for n in 19..=27 {
        if r.field_text(n).is_some() {
            last = n;
        }
    }
    if !r.extra.is_empty() {
        27
    } else {
        r.field_count.max(last)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn format_then_parse_gives_the_same_record(r in record()) {
        let line = r.format();
        prop_assert!(!line.contains('\n'));
        let back = AccessLogRecord::parse(&line).map_err(|e| TestCaseError::fail(format!("{e}\n{line}")))?;
        prop_assert_eq!(&back, &normalised(r), "{}", line);
        // and the line is a fixed point
        prop_assert_eq!(back.format(), line);
    }

    #[test]
    fn parse_never_panics(line in "[ -~]{0,300}") {
        let _ = AccessLogRecord::parse(&line);
    }

    #[test]
    fn key_encoding_round_trips(key in "\\PC{0,40}") {
        prop_assert_eq!(decode_key(&encode_key(&key)), key.clone());
        let encoded = encode_key(&key);
        prop_assert!(!encoded.contains(' '));
    }
}

prop_compose! {
    fn handled()(
        texts in prop::collection::vec("[\\PC\n\r\t \"\\\\]{0,16}", 12),
        status in 100u16..600,
        sizes in (any::<u64>(), any::<u64>(), prop::option::of(any::<u64>())),
        anonymous in any::<bool>(),
        t in 0u64..4_102_444_800,
    ) -> s3pg_audit::HandledRequest {
        use s3pg_audit::*;
        let requester = if anonymous {
            Requester::Anonymous
        } else {
            Requester::Principal(Box::new(PrincipalInfo {
                identity_type: IdentityType::IamUser,
                principal_id: texts[0].clone(),
                arn: texts[1].clone(),
                account_id: texts[2].clone(),
                access_key_id: None,
                user_name: None,
                canonical_id: None,
                session: None,
                invoked_by: None,
            }))
        };
        let mut r = HandledRequest::new(Timestamp(t), &texts[3], requester, &texts[4], "e", "GetObject", status)
            .with_bucket(&texts[5], &texts[6], &texts[2])
            .with_key(&texts[7]);
        r.request_uri = Some(texts[8].clone());
        r.user_agent = Some(texts[9].clone());
        r.referrer = Some(texts[10].clone());
        r.host_header = Some(texts[11].clone());
        r.bytes_sent = sizes.0;
        r.bytes_received = sizes.1;
        r.object_size = sizes.2;
        r
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Whatever the world hands in (spaces, quotes, line breaks, any Unicode), the line it turns
    /// into stays one line and reads back to the same record.
    #[test]
    fn any_handled_request_becomes_a_line_that_reads_back(req in handled()) {
        let rec = AccessLogRecord::from_request(&req);
        let line = rec.format();
        prop_assert!(!line.contains('\n') && !line.contains('\r'));
        let back = AccessLogRecord::parse(&line).map_err(|e| TestCaseError::fail(format!("{e}\n{line}")))?;
        prop_assert_eq!(back, rec);
    }
}
