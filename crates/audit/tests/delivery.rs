//! Log delivery: records from handled requests become AWS's lines, wait for the delay in
//! simulated time, arrive as log objects with AWS's key layouts, need a grant to be written,
//! and a bucket that logs into itself logs its own deliveries.

use s3pg_audit::*;

const ACCOUNT: &str = "111122223333";
const OWNER: &str = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

fn alice() -> Requester {
    Requester::Principal(Box::new(PrincipalInfo {
        identity_type: IdentityType::IamUser,
        principal_id: "AIDAEXAMPLEALICE1234".into(),
        arn: "arn:aws:iam::111122223333:user/alice".into(),
        account_id: ACCOUNT.into(),
        access_key_id: Some("AKIAEXAMPLEALICE0001".into()),
        user_name: Some("alice".into()),
        canonical_id: None,
        session: None,
        invoked_by: None,
    }))
}

fn get(t: u64, bucket: &str, key: &str) -> HandledRequest {
    HandledRequest::new(
        Timestamp(t),
        "us-east-1",
        alice(),
        &format!("REQ{t}"),
        &format!("EV{t}"),
        "GetObject",
        200,
    )
    .with_bucket(bucket, OWNER, ACCOUNT)
    .with_key(key)
}

/// The presigned GET example of the semantics reference (§8.1), written from a handled request.
#[test]
fn a_presigned_get_is_written_as_the_documented_line() {
    let mut r = get(0, "sim-bucket", "reports/q1.pdf");
    r.time = Timestamp::parse_iso8601("2024-03-12T09:15:02Z").unwrap();
    r.request_id = "7E3F1A2B4C5D6E7F".into();
    r.remote_ip = Some("198.51.100.7".into());
    r.request_uri = Some(
        "GET /reports/q1.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=... HTTP/1.1".into(),
    );
    r.bytes_sent = 52311;
    r.object_size = Some(52311);
    r.total_time_ms = Some(41);
    r.turn_around_time_ms = Some(12);
    r.user_agent = Some("Mozilla/5.0".into());
    r.host_id = Some("4b1Ut3uJ0v3RlWlO2Fx6hQ2ZrT7EXAMPLEHOSTID=".into());
    r.signature_version = Some(SignatureVersion::SigV4);
    r.cipher_suite = Some("TLS_AES_128_GCM_SHA256".into());
    r.authentication_type = Some(AuthenticationType::QueryString);
    r.host_header = Some("sim-bucket.s3.us-east-1.amazonaws.com".into());
    r.tls_version = Some("TLSv1.3".into());
    let mut rec = AccessLogRecord::from_request(&r);
    assert_eq!(rec.field_count, 27);
    assert_eq!(rec.source_region.as_deref(), Some("us-east-1"));
    rec.source_region = None;
    rec.field_count = CLASSIC_FIELD_COUNT;
    assert_eq!(
        rec.format(),
        r#"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be sim-bucket [12/Mar/2024:09:15:02 +0000] 198.51.100.7 arn:aws:iam::111122223333:user/alice 7E3F1A2B4C5D6E7F REST.GET.OBJECT reports/q1.pdf "GET /reports/q1.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=... HTTP/1.1" 200 - 52311 52311 41 12 "-" "Mozilla/5.0" - 4b1Ut3uJ0v3RlWlO2Fx6hQ2ZrT7EXAMPLEHOSTID= SigV4 TLS_AES_128_GCM_SHA256 QueryString sim-bucket.s3.us-east-1.amazonaws.com TLSv1.3 - -"#
    );
}

#[test]
fn anonymous_requests_show_a_dash_requester_and_keys_are_url_encoded() {
    let mut r = HandledRequest::new(
        Timestamp(0),
        "us-east-1",
        Requester::Anonymous,
        "R",
        "E",
        "GetObject",
        403,
    )
    .with_bucket("b", OWNER, ACCOUNT)
    .with_key("my secret.txt")
    .with_error("AccessDenied", "Access Denied");
    r.bytes_sent = 243;
    let rec = AccessLogRecord::from_request(&r);
    assert_eq!(rec.requester, None);
    assert_eq!(rec.key.as_deref(), Some("my%20secret.txt"));
    assert_eq!(rec.signature_version, None);
    assert_eq!(rec.authentication_type, None);
    assert_eq!(rec.error_code.as_deref(), Some("AccessDenied"));
    assert_eq!(AccessLogRecord::parse(&rec.format()).unwrap(), rec);
}

#[test]
fn nothing_is_delivered_before_the_delay_and_everything_after() {
    let config = LoggingConfig::new("src", ACCOUNT, "us-east-1", "logs", "access/");
    let mut d = LogDelivery::new(3600, 42);
    for t in [1000, 1500, 2000] {
        assert!(d.log_request(Some(&config), &get(t, "src", "k")));
    }
    assert!(
        !d.log_request(Some(&config), &get(2100, "other", "k")),
        "another bucket's request is not this config's"
    );
    assert!(
        !d.log_request(None, &get(2100, "src", "k")),
        "logging disabled"
    );
    assert_eq!(d.pending(), 3);
    assert_eq!(d.next_due(), Some(Timestamp(4600)));
    assert!(d.deliver(Timestamp(4599)).is_empty());
    let first = d.deliver(Timestamp(5100));
    assert_eq!(first.len(), 1);
    assert_eq!(
        first[0].record_count, 2,
        "the records of t=1000 and t=1500 are due"
    );
    assert_eq!(d.pending(), 1);
    let second = d.deliver(Timestamp(5600));
    assert_eq!(second[0].record_count, 1);
    assert_eq!(d.pending(), 0);
    assert!(d.deliver(Timestamp(1_000_000)).is_empty());
    // the body is AWS's lines, in arrival order
    let records = parse_log(&first[0].body).unwrap();
    assert_eq!(
        records
            .iter()
            .map(|r| r.request_id.clone().unwrap())
            .collect::<Vec<_>>(),
        ["REQ1000", "REQ1500"]
    );
}

#[test]
fn simple_and_partitioned_keys_follow_the_documented_layouts() {
    let delivered = Timestamp::parse_iso8601("2024-03-12T09:15:02Z").unwrap();
    let event = Timestamp::parse_iso8601("2024-03-11T23:59:00Z").unwrap();
    let c = LoggingConfig::new("src", ACCOUNT, "us-east-1", "logs", "access/");
    assert_eq!(
        c.object_key(delivered, event, "ABCDEF0123456789"),
        "access/2024-03-12-09-15-02-ABCDEF0123456789"
    );
    let p = c
        .clone()
        .with_key_format(TargetObjectKeyFormat::PartitionedPrefix(
            PartitionDateSource::DeliveryTime,
        ));
    assert_eq!(
        p.object_key(delivered, event, "U"),
        "access/111122223333/us-east-1/src/2024/03/12/2024-03-12-09-15-02-U"
    );
    let e = c.with_key_format(TargetObjectKeyFormat::PartitionedPrefix(
        PartitionDateSource::EventTime,
    ));
    assert_eq!(
        e.object_key(delivered, event, "U"),
        "access/111122223333/us-east-1/src/2024/03/11/2024-03-11-00-00-00-U",
        "event-time partitions use the event's day with 00:00:00"
    );
}

#[test]
fn event_time_partitioning_splits_a_delivery_by_day() {
    let c = LoggingConfig::new("src", ACCOUNT, "us-east-1", "logs", "").with_key_format(
        TargetObjectKeyFormat::PartitionedPrefix(PartitionDateSource::EventTime),
    );
    let mut d = LogDelivery::new(60, 1);
    d.log_request(Some(&c), &get(86_400 - 10, "src", "a"));
    d.log_request(Some(&c), &get(86_400 + 10, "src", "b"));
    let objects = d.deliver(Timestamp(200_000));
    assert_eq!(objects.len(), 2);
    assert!(
        objects[0].key.contains("/1970/01/01/1970-01-01-00-00-00-"),
        "{}",
        objects[0].key
    );
    assert!(
        objects[1].key.contains("/1970/01/02/1970-01-02-00-00-00-"),
        "{}",
        objects[1].key
    );
    assert_ne!(objects[0].key, objects[1].key);
}

#[test]
fn unique_strings_are_reproducible_and_distinct() {
    let c = LoggingConfig::new("src", ACCOUNT, "us-east-1", "logs", "");
    let run = || {
        let mut d = LogDelivery::new(0, 99);
        let mut keys = Vec::new();
        for t in 0..5 {
            d.log_request(Some(&c), &get(t, "src", "k"));
            keys.extend(d.deliver(Timestamp(t)).into_iter().map(|o| o.key));
        }
        keys
    };
    let a = run();
    assert_eq!(a, run());
    let mut dedup = a.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), 5);
}

/// Logging into the same bucket: every delivery is a PUT into that bucket, which is itself
/// logged and delivered next round — the log never runs dry.
#[test]
fn a_bucket_logging_into_itself_logs_its_own_deliveries() {
    let config = LoggingConfig::new("app", ACCOUNT, "us-east-1", "app", "logs/");
    assert!(
        config
            .recursion_warning()
            .unwrap()
            .contains("logs about logs")
    );
    assert!(config.recursion_help().is_some());
    assert!(
        LoggingConfig::new("app", ACCOUNT, "us-east-1", "app-logs", "")
            .recursion_warning()
            .is_none()
    );

    let mut d = LogDelivery::new(3600, 5);
    for t in 0..10 {
        d.log_request(Some(&config), &get(t, "app", "data.csv"));
    }
    let mut now = 3600 + 10;
    let mut counts = Vec::new();
    let mut ops_per_round = Vec::new();
    for round in 0..4 {
        let objects = d.deliver(Timestamp(now));
        counts.push(objects.iter().map(|o| o.record_count).sum::<usize>());
        let mut ops = Vec::new();
        for (i, obj) in objects.iter().enumerate() {
            assert_eq!(obj.target_bucket, "app");
            assert!(obj.key.starts_with("logs/"));
            ops.extend(
                parse_log(&obj.body)
                    .unwrap()
                    .into_iter()
                    .map(|r| r.operation.unwrap()),
            );
            // the world stores the object: a PUT into the logged bucket, logged like any other
            let put = obj.put_request(&format!("DLV{round}{i}"), &format!("EV{round}{i}"), OWNER);
            assert_eq!(put.operation_name().as_deref(), Some("REST.PUT.OBJECT"));
            assert!(d.log_request(Some(&config), &put));
        }
        ops_per_round.push(ops);
        now += 3600;
    }
    assert_eq!(
        counts,
        [10, 1, 1, 1],
        "each round delivers the record of the previous delivery"
    );
    assert!(ops_per_round[0].iter().all(|o| o == "REST.GET.OBJECT"));
    assert_eq!(ops_per_round[1], ["REST.PUT.OBJECT"]);
    let second = parse_log(&d.deliver(Timestamp(now)).first().unwrap().body).unwrap();
    assert!(
        second[0].key.as_deref().unwrap().starts_with("logs/"),
        "the logged PUT is of a log object"
    );
    assert_eq!(
        second[0].requester.as_deref(),
        Some(LOGGING_SERVICE_PRINCIPAL)
    );
}

#[test]
fn a_delivery_is_a_put_object_by_the_logging_service() {
    let ctx = LoggingConfig::new("src", ACCOUNT, "us-east-1", "logs", "access/")
        .delivery_context("access/2024-01-01-00-00-00-X");
    assert_eq!(ctx.principal_service, "logging.s3.amazonaws.com");
    assert_eq!(ctx.action, "s3:PutObject");
    assert_eq!(
        ctx.resource_arn,
        "arn:aws:s3:::logs/access/2024-01-01-00-00-00-X"
    );
    assert_eq!(ctx.source_arn, "arn:aws:s3:::src");
    assert_eq!(ctx.source_account, ACCOUNT);
}

#[test]
fn targets_must_exist_in_the_same_region_and_account() {
    let c = LoggingConfig::new("src", ACCOUNT, "us-east-1", "logs", "");
    let ok = TargetFacts {
        exists: true,
        region: "us-east-1".into(),
        account_id: ACCOUNT.into(),
    };
    assert!(validate_target(&c, &ok).is_ok());
    let e = validate_target(
        &c,
        &TargetFacts {
            region: "eu-west-1".into(),
            ..ok.clone()
        },
    )
    .unwrap_err();
    assert_eq!((e.code, e.status), ("CrossLocationLoggingProhibited", 403));
    let e = validate_target(
        &c,
        &TargetFacts {
            account_id: "444455556666".into(),
            ..ok.clone()
        },
    )
    .unwrap_err();
    assert_eq!((e.code, e.status), ("InvalidTargetBucketForLogging", 400));
    let e = validate_target(
        &c,
        &TargetFacts {
            exists: false,
            ..ok
        },
    )
    .unwrap_err();
    assert_eq!(e.code, "InvalidTargetBucketForLogging");
    assert!(e.message.contains("`logs`"));
}

#[test]
fn a_copy_logs_its_source_read_and_a_multi_delete_logs_each_key() {
    let mut copy = HandledRequest::new(
        Timestamp(0),
        "us-east-1",
        alice(),
        "R",
        "E",
        "CopyObject",
        200,
    )
    .with_bucket("dst", OWNER, ACCOUNT)
    .with_key("copy.txt");
    copy.request_uri = Some("PUT /dst/copy.txt HTTP/1.1".into());
    let put_side = AccessLogRecord::from_request(&copy);
    assert_eq!(put_side.operation.as_deref(), Some("REST.COPY.OBJECT"));
    let get_side =
        AccessLogRecord::copy_source_record(&copy, "src", "c0ffee", "orig nal.txt", Some("v1"));
    assert_eq!(get_side.operation.as_deref(), Some("REST.COPY.OBJECT_GET"));
    assert_eq!(get_side.bucket.as_deref(), Some("src"));
    assert_eq!(get_side.bucket_owner.as_deref(), Some("c0ffee"));
    assert_eq!(get_side.key.as_deref(), Some("orig%20nal.txt"));
    assert_eq!(get_side.version_id.as_deref(), Some("v1"));

    let del = HandledRequest::new(
        Timestamp(0),
        "us-east-1",
        alice(),
        "R",
        "E",
        "DeleteObjects",
        200,
    )
    .with_bucket("b", OWNER, ACCOUNT);
    let rows = AccessLogRecord::batch_delete_records(&del, &[("a/1", 204), ("a/2", 204)]);
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.operation.as_deref() == Some("BATCH.DELETE.OBJECT"))
    );
    assert!(
        rows[0]
            .format()
            .contains(" BATCH.DELETE.OBJECT a/1 - 204 - - - - - - - - "),
        "{}",
        rows[0].format()
    );
    assert_eq!(
        AccessLogRecord::from_request(&del).operation.as_deref(),
        Some("REST.POST.MULTI_OBJECT_DELETE")
    );
}

#[test]
fn the_auditor_feeds_both_trails_from_one_call() {
    let mut audit = Auditor::new(600, 3);
    audit.set_logging(LoggingConfig::new(
        "app",
        ACCOUNT,
        "us-east-1",
        "app-logs",
        "logs/",
    ));
    audit.add_trail(Trail::new(
        "mgmt-only",
        ACCOUNT,
        "us-east-1",
        "trail-bucket",
    ));
    audit.add_trail(
        Trail::new("data", ACCOUNT, "us-east-1", "trail-bucket")
            .with_data_selector(ReadWriteType::All, DataScope::Bucket("app".into())),
    );
    let obs = audit.observe(&get(10, "app", "k"));
    assert!(obs.access_logged);
    assert!(
        obs.access_log_reason
            .contains("logs to `app-logs` with prefix `logs/`"),
        "{}",
        obs.access_log_reason
    );
    assert_eq!(obs.trails.len(), 2);
    assert!(!obs.trails[0].2.records, "{}", obs.trails[0].2.reason);
    assert!(obs.trails[1].2.records);
    let elsewhere = audit.observe(&get(11, "elsewhere", "k"));
    assert!(!elsewhere.access_logged);
    assert_eq!(
        elsewhere.access_log_reason,
        "bucket `elsewhere` has no server access logging configured"
    );
    assert_eq!(audit.trail_records("data").len(), 1);
    assert_eq!(audit.pending_access_records(), 1);
    assert!(audit.deliver_due(Timestamp(100)).is_empty());
    let objs = audit.deliver_due(Timestamp(610));
    assert_eq!(objs.len(), 1);
    assert_eq!(objs[0].target_bucket, "app-logs");
    let q = Query::parse("eventname = GetObject").unwrap();
    assert_eq!(q.filter(&audit.trail_records("data")).len(), 1);
    audit.disable_logging("app");
    assert!(!audit.observe(&get(12, "app", "k")).access_logged);
}

#[test]
fn lifecycle_actions_reach_the_access_log_but_never_cloudtrail() {
    let expire = HandledRequest::lifecycle(
        Timestamp(86_400),
        "us-east-1",
        InternalAction::Expire,
        "LC1",
    )
    .with_bucket("app", OWNER, ACCOUNT)
    .with_key("old/report.csv");
    let rec = AccessLogRecord::from_request(&expire);
    assert_eq!(rec.operation.as_deref(), Some("S3.EXPIRE.OBJECT"));
    assert_eq!(rec.requester.as_deref(), Some("AmazonS3"));
    assert_eq!(rec.remote_ip, None);
    // No HTTP exchange took place: the status field is `-`, as in published lifecycle records.
    assert_eq!(rec.http_status, None);
    assert!(
        rec.to_string()
            .contains("S3.EXPIRE.OBJECT old/report.csv \"-\" - -")
    );
    assert!(recipients(&expire).is_empty());
    let trails = vec![
        Trail::new("all", ACCOUNT, "us-east-1", "t")
            .with_data_selector(ReadWriteType::All, DataScope::AllBuckets),
    ];
    assert!(record_event(&trails, &expire).is_empty());
    assert_eq!(
        InternalAction::transition_to("GLACIER_IR")
            .unwrap()
            .operation()
            .name,
        "S3.TRANSITION_GIR.OBJECT"
    );
    assert_eq!(
        InternalAction::transition_to("GLACIER")
            .unwrap()
            .operation()
            .name,
        "S3.TRANSITION.OBJECT"
    );
    assert!(InternalAction::transition_to("STANDARD").is_none());
}

/// Exam favourite: a request that fails authentication shows up in the server access log (with
/// its 403 and error code) but never in CloudTrail.
#[test]
fn failed_authentication_is_in_the_access_log_but_not_in_cloudtrail() {
    let mut audit = Auditor::new(60, 9);
    audit.set_logging(LoggingConfig::new(
        "app",
        ACCOUNT,
        "us-east-1",
        "app-logs",
        "",
    ));
    audit.add_trail(
        Trail::new("all", ACCOUNT, "us-east-1", "t")
            .with_data_selector(ReadWriteType::All, DataScope::AllBuckets),
    );
    let mut bad = get(100, "app", "k").with_error(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    );
    bad.http_status = 403;
    let obs = audit.observe(&bad);
    assert!(obs.access_logged);
    assert!(
        obs.trails.is_empty(),
        "no account receives a CloudTrail copy"
    );
    assert!(audit.events().is_empty());
    let objects = audit.deliver_due(Timestamp(160));
    let rows = parse_log(&objects[0].body).unwrap();
    let q = Query::parse("status = 403 and error_code = SignatureDoesNotMatch").unwrap();
    assert_eq!(q.filter(&rows).len(), 1);
}
