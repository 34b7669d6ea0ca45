//! The query language: good queries select the right rows of both record kinds; bad queries
//! say what is wrong, where (column), and what to do.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

use s3pg_audit::*;

const LOG: &str = r#"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /DOC-EXAMPLE-BUCKET1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be A1206F460EXAMPLE REST.GET.BUCKETPOLICY - "GET /DOC-EXAMPLE-BUCKET1?policy HTTP/1.1" 404 NoSuchBucketPolicy 297 - 38 - "-" "S3Console/0.4" - BNaBsXZQQDbssi6xMBdBU2sLt+Yf5kZDmeBUP35sFoKa3sLLeMC78iwEIWxs99CRUrbS4n11234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 - Yes
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:01:57 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DD6CC733AEXAMPLE REST.PUT.OBJECT s3-dg.pdf "PUT /DOC-EXAMPLE-BUCKET1/s3-dg.pdf HTTP/1.1" 200 - - 4406583 41754 28 "-" "S3Console/0.4" - 10S62Zv81kBW7BB6SX4XJ48o6kpcl6LPwEoizZQQxJd5qDSCTLX0TgS37kYUBKQW3+bPdrg1234= SigV4 ECDHE-RSA-AES128-SHA AuthHeader DOC-EXAMPLE-BUCKET1.s3.us-west-1.amazonaws.com TLSV1.2 - Yes
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:02:10 +0000] 203.0.113.9 - 5A6B7C8D9E0F1A2B REST.PUT.OBJECT logs/app.log "PUT /logs/app.log HTTP/1.1" 403 AccessDenied 243 - 3 - "-" "curl/8.4.0" - Yx1EXAMPLEHOSTID= - ECDHE-RSA-AES128-GCM-SHA256 - DOC-EXAMPLE-BUCKET1.s3.us-east-1.amazonaws.com TLSv1.2 - -
79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be DOC-EXAMPLE-BUCKET1 [06/Feb/2019:00:03:00 +0000] 203.0.113.9 arn:aws:iam::111122223333:user/alice 6B7C8D9E0F1A2B3C REST.GET.OBJECT logs/it's.log "GET /logs/it's.log HTTP/1.1" 200 - 10 10 3 - "-" "curl/8.4.0" - Zx1EXAMPLEHOSTID= SigV4 ECDHE-RSA-AES128-GCM-SHA256 QueryString DOC-EXAMPLE-BUCKET1.s3.us-east-1.amazonaws.com TLSv1.2 - -
"#;

fn records() -> Vec<AccessLogRecord> {
    parse_log(LOG).unwrap()
}

fn ids(q: &str) -> Vec<String> {
    let recs = records();
    Query::parse(q)
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .filter(&recs)
        .into_iter()
        .map(|r| r.request_id.clone().unwrap())
        .collect()
}

#[test]
fn good_queries_select_the_right_rows() {
    let cases: &[(&str, &[&str])] = &[
        (
            "operation = REST.PUT.OBJECT and status >= 400 and key like 'logs/%'",
            &["5A6B7C8D9E0F1A2B"],
        ),
        (
            "SELECT * WHERE operation = 'REST.PUT.OBJECT'",
            &["DD6CC733AEXAMPLE", "5A6B7C8D9E0F1A2B"],
        ),
        (
            "select * from s3_access_logs where status = 404",
            &["A1206F460EXAMPLE"],
        ),
        (
            "",
            &[
                "3E57427F3EXAMPLE",
                "A1206F460EXAMPLE",
                "DD6CC733AEXAMPLE",
                "5A6B7C8D9E0F1A2B",
                "6B7C8D9E0F1A2B3C",
            ],
        ),
        (
            "select * limit 2",
            &["3E57427F3EXAMPLE", "A1206F460EXAMPLE"],
        ),
        ("requester is null", &["5A6B7C8D9E0F1A2B"]),
        (
            "requester is not null and error_code is null and operation like 'REST.GET.%'",
            &["3E57427F3EXAMPLE", "6B7C8D9E0F1A2B3C"],
        ),
        (
            "error_code in (AccessDenied, 'NoSuchBucketPolicy')",
            &["A1206F460EXAMPLE", "5A6B7C8D9E0F1A2B"],
        ),
        (
            "status not in (200)",
            &["A1206F460EXAMPLE", "5A6B7C8D9E0F1A2B"],
        ),
        ("key not like 'logs/%'", &["DD6CC733AEXAMPLE"]),
        (
            "time >= '2019-02-06T00:01:00Z' and time < [06/Feb/2019:00:03:00 +0000]",
            &["DD6CC733AEXAMPLE", "5A6B7C8D9E0F1A2B"],
        ),
        ("key = 'logs/it''s.log'", &["6B7C8D9E0F1A2B3C"]),
        (
            "auth_type = QueryString or (signature_version is null and ip = 203.0.113.9)",
            &["5A6B7C8D9E0F1A2B", "6B7C8D9E0F1A2B3C"],
        ),
        (
            "not (status = 200) and bytes_sent > 250",
            &["A1206F460EXAMPLE"],
        ),
        (
            "USER_AGENT LIKE '%curl%' AND Status <> 403",
            &["6B7C8D9E0F1A2B3C"],
        ),
        (
            "requester = 'arn:aws:iam::111122223333:user/alice'",
            &["6B7C8D9E0F1A2B3C"],
        ),
        ("object_size >= 4406583", &["DD6CC733AEXAMPLE"]),
        (
            "bucket = DOC-EXAMPLE-BUCKET1 and time >= 2019-02-06 and time < 2019-02-07 and operation = REST.GET.BUCKETPOLICY",
            &["A1206F460EXAMPLE"],
        ),
    ];
    for (q, want) in cases {
        assert_eq!(ids(q), *want, "{q}");
    }
}

#[test]
fn the_same_query_runs_over_cloudtrail_records() {
    let alice = Requester::Principal(Box::new(PrincipalInfo {
        identity_type: IdentityType::IamUser,
        principal_id: "AIDA".into(),
        arn: "arn:aws:iam::111122223333:user/alice".into(),
        account_id: "111122223333".into(),
        access_key_id: None,
        user_name: Some("alice".into()),
        canonical_id: None,
        session: None,
        invoked_by: None,
    }));
    let mk = |name: &str, who: Requester, err: Option<&str>, t: u64| {
        let mut r = HandledRequest::new(
            Timestamp(t),
            "us-east-1",
            who,
            "R",
            &format!("E{t}"),
            name,
            if err.is_some() { 403 } else { 200 },
        )
        .with_bucket("b", "c", "111122223333")
        .with_key("logs/x");
        if let Some(e) = err {
            r = r.with_error(e, "Access Denied");
        }
        CloudTrailRecord::from_request(&r, "111122223333")
    };
    let recs = vec![
        mk("PutObject", alice.clone(), None, 1),
        mk("GetObject", Requester::Anonymous, Some("AccessDenied"), 2),
        mk("PutBucketPolicy", alice, None, 3),
    ];
    let q = |s: &str| {
        Query::parse(s)
            .unwrap()
            .filter(&recs)
            .into_iter()
            .map(|r| r.event_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(q("eventName = PutObject"), ["E1"]);
    assert_eq!(
        q("errorCode = AccessDenied and account = anonymous"),
        ["E2"]
    );
    assert_eq!(q("category = Management"), ["E3"]);
    assert_eq!(q("readonly = true"), ["E2"]);
    assert_eq!(
        q("principal like '%user/alice' and key like 'logs/%'"),
        ["E1", "E3"]
    );
    assert!(
        q("status >= 400").is_empty(),
        "CloudTrail records have no HTTP status"
    );
}

#[test]
fn bad_queries_say_what_where_and_how_to_fix() {
    // (query, column, message, help fragment)
    let cases: &[(&str, usize, &str, &str)] = &[
        (
            "stauts = 200",
            1,
            "unknown field `stauts`",
            "did you mean `status`?",
        ),
        (
            "status = abc",
            10,
            "`status` is a number, but `abc` is not",
            "status >= 400",
        ),
        (
            "status >=",
            10,
            "expected a value for `status`, found the end of the query",
            "operation = REST.PUT.OBJECT",
        ),
        (
            "key like logs/%",
            15,
            "unexpected character `%`",
            "single quotes",
        ),
        (
            "key = 'unterminated",
            7,
            "unterminated string starting with `'unterminated`",
            "close it with `'`",
        ),
        (
            "select key where status = 1",
            12,
            "expected `, count(*)` after `select key`, found `where`",
            "selects `*` (records)",
        ),
        (
            "select where status = 1",
            8,
            "expected `*` or `count(*)` after `select`, found `where`",
            "count(*)",
        ),
        (
            "select count(x)",
            14,
            "expected `*` in `count(*)`, found `x`",
            "only `count(*)`",
        ),
        (
            "select requester, count(*) where status >= 400",
            8,
            "`select requester, count(*)` needs `group by requester`",
            "add `group by requester`",
        ),
        (
            "select * group by key",
            10,
            "`group by key` needs `select key, count(*)`",
            "select key, count(*)",
        ),
        (
            "select key, count(*) group by bucket",
            22,
            "`group by bucket` does not match `select key, count(*)`",
            "group by key",
        ),
        (
            "status = 200 status = 404",
            14,
            "unexpected `status`",
            "`and` or `or`",
        ),
        (
            "(status = 200",
            14,
            "expected `)` to close the `(` at column 1, found the end of the query",
            "",
        ),
        (
            "time > 'yesterday'",
            8,
            "`'yesterday'` is not a time",
            "2019-02-06T00:00:38Z",
        ),
        (
            "time > '2019-02-30'",
            8,
            "`'2019-02-30'` is not a time: February 2019 has 28 days, so there is no day 30",
            "2019-02-06T00:00:38Z",
        ),
        ("where", 6, "expected a condition after `where`", ""),
        (
            "status 200",
            8,
            "expected a comparison after `status`, found `200`",
            "`=`",
        ),
        (
            "key is nothing",
            8,
            "expected `null` after `is`, found `nothing`",
            "",
        ),
        (
            "status in 200",
            11,
            "expected `(` after `in`, found `200`",
            "status in (403, 404)",
        ),
        (
            "and status = 1",
            1,
            "expected a field name, found the keyword `and`",
            "",
        ),
        (
            "select * limit many",
            16,
            "expected a number after `limit`, found `many`",
            "",
        ),
        (
            "key not = 'x'",
            9,
            "expected `like` or `in` after `not`, found `=`",
            "!=",
        ),
    ];
    for (q, col, msg, help) in cases {
        let e = Query::parse(q).unwrap_err();
        assert_eq!(e.message, *msg, "{q}");
        assert_eq!(e.column, *col, "{q}: {e}");
        if !help.is_empty() {
            assert!(
                e.help.as_deref().unwrap_or("").contains(help),
                "{q}: help {:?}",
                e.help
            );
        }
        // learner-facing text: lowercase start, no final period
        assert!(!e.message.ends_with('.'));
        assert!(
            e.message.chars().next().is_some_and(|c| !c.is_uppercase()),
            "{}",
            e.message
        );
    }
}

#[test]
fn field_names_are_case_insensitive_and_have_aliases() {
    for name in ["Operation", "EVENTNAME", "event_name", "op"] {
        assert_eq!(Field::from_name(name), Some(Field::Operation), "{name}");
    }
    assert_eq!(Field::from_name("sourceIPAddress"), Some(Field::RemoteIp));
    assert_eq!(Field::Status.name(), "status");
}

proptest::proptest! {
    #[test]
    fn parsing_never_panics(q in "[ -~]{0,80}") {
        let _ = Query::parse(&q);
    }
}

/// SQL `LIKE` as a regular expression: the reference the matcher is checked against.
fn like_as_regex(pattern: &str) -> regex::Regex {
    let mut re = String::from("(?s)^");
    for c in pattern.chars() {
        match c {
            '%' => re.push_str(".*"),
            '_' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).unwrap()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

    /// Differential: `key like P` agrees with the regex translation of P on ASCII keys.
    #[test]
    fn like_agrees_with_a_regex(pattern in "[ab%_/.]{0,8}", key in "[ab/.]{0,12}") {
        let quoted = pattern.replace('\'', "''");
        let q = Query::parse(&format!("key like '{quoted}'")).unwrap();
        let rec = AccessLogRecord { key: Some(key.clone()), ..Default::default() };
        let want = like_as_regex(&pattern).is_match(&key);
        proptest::prop_assert_eq!(q.matches(&rec), want, "{} like {}", key, pattern);
    }
}

#[test]
fn counts_and_groups_answer_how_many() {
    let recs = records();
    let run = |q: &str| {
        Query::parse(q)
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .run(&recs)
    };
    assert_eq!(
        run("select count(*) where status >= 400"),
        QueryOutput::Count(2)
    );
    assert_eq!(run("SELECT COUNT(*)"), QueryOutput::Count(5));
    assert_eq!(
        run("select operation, count(*) group by operation"),
        QueryOutput::Groups(vec![
            (Some("REST.PUT.OBJECT".to_owned()), 2),
            (Some("REST.GET.BUCKETPOLICY".to_owned()), 1),
            (Some("REST.GET.OBJECT".to_owned()), 1),
            (Some("REST.GET.VERSIONING".to_owned()), 1),
        ])
    );
    assert_eq!(
        run("select requester, count(*) from logs where status >= 400 group by requester limit 5"),
        QueryOutput::Groups(vec![
            (None, 1),
            (
                Some("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be".to_owned()),
                1
            ),
        ])
    );
    assert_eq!(
        run("select status, count(*) group by status limit 1"),
        QueryOutput::Groups(vec![(Some("200".to_owned()), 3)])
    );
    match run("select * where status = 404") {
        QueryOutput::Rows(rows) => assert_eq!(rows.len(), 1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn order_by_sorts_rows_and_limit_takes_the_top() {
    assert_eq!(
        ids("select * where key is not null order by time desc limit 2"),
        ["6B7C8D9E0F1A2B3C", "5A6B7C8D9E0F1A2B"]
    );
    assert_eq!(
        ids("order by bytes_sent"),
        [
            "DD6CC733AEXAMPLE",
            "6B7C8D9E0F1A2B3C",
            "3E57427F3EXAMPLE",
            "5A6B7C8D9E0F1A2B",
            "A1206F460EXAMPLE"
        ],
        "missing values first, then ascending numbers"
    );
    assert_eq!(
        ids("status = 200 order by key asc"),
        ["3E57427F3EXAMPLE", "6B7C8D9E0F1A2B3C", "DD6CC733AEXAMPLE"]
    );
    let e = Query::parse("select count(*) order by time").unwrap_err();
    assert_eq!(e.column, 17);
    assert!(
        e.message.starts_with("`order by` sorts records"),
        "{}",
        e.message
    );
    let e = Query::parse("order time").unwrap_err();
    assert_eq!(e.message, "expected `by` after `order`, found `time`");
}
