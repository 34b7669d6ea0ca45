//! CloudTrail records and trail selection: the record for a data event matches the documented
//! example shape key for key and in order; anonymous and denied calls look as AWS shows them;
//! trails record exactly the events their selectors ask for.

#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use s3pg_audit::*;
use serde_json::{Value, json};

const ACCOUNT: &str = "111122223333";
const OWNER_CANONICAL: &str = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";

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

fn get_object() -> HandledRequest {
    let mut r = HandledRequest::new(
        Timestamp::parse_iso8601("2024-03-12T09:15:02Z").unwrap(),
        "us-east-1",
        alice(),
        "7E3F1A2B4C5D6E7F",
        "0f6e2c1a-7d3b-4e8f-9a1b-2c3d4e5f6a7b",
        "GetObject",
        200,
    )
    .with_bucket("sim-bucket", OWNER_CANONICAL, ACCOUNT)
    .with_key("reports/q1.pdf");
    r.remote_ip = Some("198.51.100.7".into());
    r.user_agent = Some("aws-cli/2.15.0".into());
    r.host_header = Some("sim-bucket.s3.us-east-1.amazonaws.com".into());
    r.signature_version = Some(SignatureVersion::SigV4);
    r.cipher_suite = Some("TLS_AES_128_GCM_SHA256".into());
    r.authentication_type = Some(AuthenticationType::AuthHeader);
    r.host_id = Some("4b1Ut3uJ0v3RlWlO2Fx6hQ2ZrT7EXAMPLEHOSTID=".into());
    r.bytes_sent = 52311;
    r.tls_version = Some("TLSv1.3".into());
    r
}

/// The data event example of the semantics reference (§8.4), text for text.
const EXPECTED_GET_OBJECT: &str = r#"{
  "eventVersion": "1.09",
  "userIdentity": {
    "type": "IAMUser",
    "principalId": "AIDAEXAMPLEALICE1234",
    "arn": "arn:aws:iam::111122223333:user/alice",
    "accountId": "111122223333",
    "accessKeyId": "AKIAEXAMPLEALICE0001",
    "userName": "alice"
  },
  "eventTime": "2024-03-12T09:15:02Z",
  "eventSource": "s3.amazonaws.com",
  "eventName": "GetObject",
  "awsRegion": "us-east-1",
  "sourceIPAddress": "198.51.100.7",
  "userAgent": "aws-cli/2.15.0",
  "requestParameters": {
    "bucketName": "sim-bucket",
    "Host": "sim-bucket.s3.us-east-1.amazonaws.com",
    "key": "reports/q1.pdf"
  },
  "responseElements": null,
  "additionalEventData": {
    "SignatureVersion": "SigV4",
    "CipherSuite": "TLS_AES_128_GCM_SHA256",
    "bytesTransferredIn": 0,
    "AuthenticationMethod": "AuthHeader",
    "x-amz-id-2": "4b1Ut3uJ0v3RlWlO2Fx6hQ2ZrT7EXAMPLEHOSTID=",
    "bytesTransferredOut": 52311
  },
  "requestID": "7E3F1A2B4C5D6E7F",
  "eventID": "0f6e2c1a-7d3b-4e8f-9a1b-2c3d4e5f6a7b",
  "readOnly": true,
  "resources": [
    {
      "type": "AWS::S3::Object",
      "ARN": "arn:aws:s3:::sim-bucket/reports/q1.pdf"
    },
    {
      "accountId": "111122223333",
      "type": "AWS::S3::Bucket",
      "ARN": "arn:aws:s3:::sim-bucket"
    }
  ],
  "eventType": "AwsApiCall",
  "managementEvent": false,
  "recipientAccountId": "111122223333",
  "eventCategory": "Data",
  "tlsDetails": {
    "tlsVersion": "TLSv1.3",
    "cipherSuite": "TLS_AES_128_GCM_SHA256",
    "clientProvidedHostHeader": "sim-bucket.s3.us-east-1.amazonaws.com"
  }
}"#;

#[test]
fn data_event_record_matches_the_documented_shape_in_order() {
    let rec = CloudTrailRecord::from_request(&get_object(), ACCOUNT);
    assert_eq!(rec.to_json_pretty(), EXPECTED_GET_OBJECT);
}

#[test]
fn anonymous_denied_call_shows_the_anonymous_account_and_access_denied() {
    let mut r = HandledRequest::new(
        Timestamp(1_710_234_000),
        "us-east-1",
        Requester::Anonymous,
        "5A6B7C8D9E0F1A2B",
        "e1",
        "GetObject",
        403,
    )
    .with_bucket("sim-bucket", OWNER_CANONICAL, ACCOUNT)
    .with_key("secret.txt")
    .with_error("AccessDenied", "Access Denied");
    r.remote_ip = Some("203.0.113.9".into());
    let rec = CloudTrailRecord::from_request(&r, ACCOUNT);
    let j = &rec.json;
    assert_eq!(
        j["userIdentity"],
        json!({"type": "AWSAccount", "principalId": "", "accountId": "anonymous"})
    );
    assert_eq!(j["errorCode"], "AccessDenied");
    assert_eq!(j["errorMessage"], "Access Denied");
    // errorCode and errorMessage sit between userAgent/sourceIPAddress and requestParameters
    let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    let pos = |k: &str| keys.iter().position(|x| *x == k).unwrap();
    assert!(pos("sourceIPAddress") < pos("errorCode"));
    assert_eq!(pos("errorCode") + 1, pos("errorMessage"));
    assert_eq!(pos("errorMessage") + 1, pos("requestParameters"));
    assert!(
        j.get("tlsDetails").is_none(),
        "plain HTTP has no tlsDetails"
    );
    assert!(
        j["additionalEventData"].get("SignatureVersion").is_none(),
        "unsigned"
    );
    // only the bucket owner receives it: an anonymous caller has no account
    assert_eq!(recipients(&r), vec![ACCOUNT.to_owned()]);
}

#[test]
fn assumed_role_sessions_carry_their_session_context() {
    let role = Requester::Principal(Box::new(PrincipalInfo {
        identity_type: IdentityType::AssumedRole,
        principal_id: "AROAEXAMPLEROLE:dev-session".into(),
        arn: "arn:aws:sts::111122223333:assumed-role/Dev/dev-session".into(),
        account_id: ACCOUNT.into(),
        access_key_id: Some("ASIAEXAMPLE".into()),
        user_name: None,
        canonical_id: None,
        session: Some(SessionContext {
            session_issuer: Some(SessionIssuer {
                issuer_type: "Role".into(),
                principal_id: "AROAEXAMPLEROLE".into(),
                arn: "arn:aws:iam::111122223333:role/Dev".into(),
                account_id: ACCOUNT.into(),
                user_name: "Dev".into(),
            }),
            creation_date: Timestamp::parse_iso8601("2024-03-12T09:00:00Z").unwrap(),
            mfa_authenticated: true,
        }),
        invoked_by: None,
    }));
    let r = HandledRequest::new(
        Timestamp(1_710_234_000),
        "us-east-1",
        role,
        "R1",
        "E1",
        "PutBucketPolicy",
        204,
    )
    .with_bucket("sim-bucket", OWNER_CANONICAL, ACCOUNT);
    let j = CloudTrailRecord::from_request(&r, ACCOUNT).json;
    assert_eq!(j["userIdentity"]["type"], "AssumedRole");
    assert_eq!(
        j["userIdentity"]["sessionContext"]["sessionIssuer"]["userName"],
        "Dev"
    );
    assert_eq!(
        j["userIdentity"]["sessionContext"]["attributes"],
        json!({"creationDate": "2024-03-12T09:00:00Z", "mfaAuthenticated": "true"})
    );
    assert_eq!(j["eventCategory"], "Management");
    assert_eq!(j["managementEvent"], true);
    assert_eq!(j["readOnly"], false);
    assert_eq!(
        j["resources"],
        json!([{"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::sim-bucket"}])
    );
}

#[test]
fn classification_follows_the_management_and_data_split() {
    let cases = [
        ("GetObject", EventCategory::Data, true),
        ("PutObject", EventCategory::Data, false),
        ("DeleteObjects", EventCategory::Data, false),
        ("ListObjectsV2", EventCategory::Data, true),
        ("CreateMultipartUpload", EventCategory::Data, false),
        ("PutBucketPolicy", EventCategory::Management, false),
        ("GetBucketPolicy", EventCategory::Management, true),
        ("ListBuckets", EventCategory::Management, true),
        ("CreateBucket", EventCategory::Management, false),
        ("PutPublicAccessBlock", EventCategory::Management, false),
    ];
    for (api, cat, ro) in cases {
        let c = classify(api);
        assert_eq!((c.category, c.read_only), (cat, ro), "{api}");
    }
}

fn put(bucket: &str, key: &str) -> HandledRequest {
    HandledRequest::new(
        Timestamp(1_710_234_000),
        "us-east-1",
        alice(),
        "R",
        "E",
        "PutObject",
        200,
    )
    .with_bucket(bucket, OWNER_CANONICAL, ACCOUNT)
    .with_key(key)
}

#[test]
fn a_default_trail_records_management_events_but_no_data_events() {
    let trail = Trail::new("main", ACCOUNT, "us-east-1", "trail-logs");
    let d = trail.decide(&put("b", "k"), ACCOUNT);
    assert!(!d.records);
    assert!(d.reason.contains("no data event selector"), "{}", d.reason);
    let mgmt = HandledRequest::new(
        Timestamp(0),
        "us-east-1",
        alice(),
        "R",
        "E",
        "PutBucketVersioning",
        200,
    )
    .with_bucket("b", OWNER_CANONICAL, ACCOUNT);
    assert!(trail.decide(&mgmt, ACCOUNT).records);
}

#[test]
fn data_selectors_scope_by_bucket_prefix_and_read_write() {
    let trail = Trail::new("t", ACCOUNT, "us-east-1", "trail-logs")
        .with_data_selector(
            ReadWriteType::WriteOnly,
            DataScope::from_value("arn:aws:s3:::b1/logs/").unwrap(),
        )
        .with_data_selector(
            ReadWriteType::ReadOnly,
            DataScope::from_value("arn:aws:s3:::b2/").unwrap(),
        );
    assert!(trail.decide(&put("b1", "logs/x"), ACCOUNT).records);
    assert!(!trail.decide(&put("b1", "other/x"), ACCOUNT).records);
    assert!(
        !trail.decide(&put("b2", "x"), ACCOUNT).records,
        "b2 selector is read-only"
    );
    let mut get = put("b2", "x");
    get.api_name = "GetObject".into();
    get.read_only = true;
    assert!(trail.decide(&get, ACCOUNT).records);
    let all = Trail::new("all", ACCOUNT, "us-east-1", "t").with_data_selector(
        ReadWriteType::All,
        DataScope::from_value("arn:aws:s3").unwrap(),
    );
    assert!(all.decide(&put("anything", "k"), ACCOUNT).records);
    assert!(DataScope::from_value("arn:aws:s3:::bucket").is_err());
    assert_eq!(
        DataScope::from_value("arn:aws:s3:::b/p").unwrap().value(),
        "arn:aws:s3:::b/p"
    );
}

#[test]
fn management_read_write_filter_and_regions_apply() {
    let mut trail = Trail::new("w", ACCOUNT, "eu-west-1", "t");
    trail.management_events = Some(ReadWriteType::WriteOnly);
    trail.multi_region = false;
    let read = HandledRequest::new(
        Timestamp(0),
        "eu-west-1",
        alice(),
        "R",
        "E",
        "GetBucketAcl",
        200,
    )
    .with_bucket("b", OWNER_CANONICAL, ACCOUNT);
    assert!(!trail.decide(&read, ACCOUNT).records);
    let write = HandledRequest::new(
        Timestamp(0),
        "eu-west-1",
        alice(),
        "R",
        "E",
        "PutBucketAcl",
        200,
    )
    .with_bucket("b", OWNER_CANONICAL, ACCOUNT);
    assert!(trail.decide(&write, ACCOUNT).records);
    let elsewhere = HandledRequest::new(
        Timestamp(0),
        "us-east-1",
        alice(),
        "R",
        "E",
        "PutBucketAcl",
        200,
    )
    .with_bucket("b", OWNER_CANONICAL, ACCOUNT);
    let d = trail.decide(&elsewhere, ACCOUNT);
    assert!(!d.records);
    assert!(d.reason.contains("single-Region"), "{}", d.reason);
    trail.management_events = None;
    assert!(!trail.decide(&write, ACCOUNT).records);
}

#[test]
fn cross_account_object_calls_reach_both_accounts_and_auth_failures_reach_none() {
    let mut r = put("b", "k");
    r.bucket_owner_account_id = Some("444455556666".into());
    assert_eq!(
        recipients(&r),
        vec![ACCOUNT.to_owned(), "444455556666".to_owned()]
    );
    let trails = vec![
        Trail::new("mine", ACCOUNT, "us-east-1", "t")
            .with_data_selector(ReadWriteType::All, DataScope::AllBuckets),
        Trail::new("theirs", "444455556666", "us-east-1", "t")
            .with_data_selector(ReadWriteType::All, DataScope::AllBuckets),
    ];
    let events = record_event(&trails, &r);
    assert_eq!(events.len(), 2);
    let (mine, theirs) = (&events[0].1.json, &events[1].1.json);
    assert_eq!(mine["recipientAccountId"], ACCOUNT);
    assert_eq!(theirs["recipientAccountId"], "444455556666");
    // two copies of one action: distinct eventIDs, one sharedEventID
    assert_eq!(mine["eventID"], "E");
    assert_ne!(mine["eventID"], theirs["eventID"]);
    assert_eq!(mine["sharedEventID"], theirs["sharedEventID"]);
    let shared = mine["sharedEventID"].as_str().unwrap();
    assert_eq!(shared.len(), 36);
    assert_eq!(shared.matches('-').count(), 4);
    let keys: Vec<&String> = mine.as_object().unwrap().keys().collect();
    let pos = |k: &str| keys.iter().position(|x| *x == k).unwrap();
    assert_eq!(pos("recipientAccountId") + 1, pos("sharedEventID"));
    // a single-account event has no sharedEventID
    assert!(
        CloudTrailRecord::from_request(&put("b", "k"), ACCOUNT)
            .json
            .get("sharedEventID")
            .is_none()
    );
    let failed = put("b", "k").with_error(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
    );
    assert!(record_event(&trails, &failed).is_empty());
}

#[test]
fn put_object_with_default_encryption_reports_sse_applied_and_version() {
    let mut r = put("b", "k");
    r.bytes_received = 3;
    r.sse_applied = Some("Default_SSE_S3".into());
    let mut resp = serde_json::Map::new();
    resp.insert("x-amz-server-side-encryption".into(), json!("AES256"));
    resp.insert("x-amz-version-id".into(), json!("3HL4kqtJvjVBH40Nrjfkd"));
    r.response_elements = Some(resp);
    let j = CloudTrailRecord::from_request(&r, ACCOUNT).json;
    let keys: Vec<&String> = j["additionalEventData"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        keys,
        ["bytesTransferredIn", "SSEApplied", "bytesTransferredOut"]
    );
    assert_eq!(
        j["responseElements"]["x-amz-version-id"],
        "3HL4kqtJvjVBH40Nrjfkd"
    );
    assert_eq!(j["readOnly"], Value::Bool(false));
}

#[test]
fn kms_calls_made_for_s3_are_management_events_of_kms() {
    let mut caller = match alice() {
        Requester::Principal(p) => p,
        Requester::Anonymous => unreachable!(),
    };
    caller.invoked_by = Some("s3.amazonaws.com".into());
    let key = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let mut r = HandledRequest::new(
        Timestamp(1_710_234_000),
        "us-east-1",
        Requester::Principal(caller),
        "K1",
        "KE1",
        "GenerateDataKey",
        200,
    )
    .for_kms(key, "444455556666", true);
    r.request_parameters.insert("keyId".into(), json!(key));
    r.request_parameters.insert(
        "encryptionContext".into(),
        json!({"aws:s3:arn": "arn:aws:s3:::sim-bucket/reports/q1.pdf"}),
    );
    let j = CloudTrailRecord::from_request(&r, ACCOUNT).json;
    assert_eq!(j["eventSource"], "kms.amazonaws.com");
    assert_eq!(j["eventCategory"], "Management");
    assert_eq!(j["userIdentity"]["invokedBy"], "s3.amazonaws.com");
    assert_eq!(
        j["resources"],
        json!([{"accountId": "444455556666", "type": "AWS::KMS::Key", "ARN": key}])
    );
    assert_eq!(
        j["requestParameters"]["encryptionContext"]["aws:s3:arn"],
        "arn:aws:s3:::sim-bucket/reports/q1.pdf"
    );
    assert!(j["requestParameters"].get("bucketName").is_none());
    assert_eq!(
        recipients(&r),
        vec![ACCOUNT.to_owned(), "444455556666".to_owned()]
    );

    let mut trail = Trail::new("main", ACCOUNT, "us-east-1", "t");
    assert!(trail.decide(&r, ACCOUNT).records);
    trail.exclude_kms_events = true;
    let d = trail.decide(&r, ACCOUNT);
    assert!(!d.records);
    assert!(d.reason.contains("excludes AWS KMS events"));
}

#[test]
fn trails_write_log_files_with_aws_keys_after_the_delay() {
    let mut audit = Auditor::new(3600, 11).with_trail_delay(300);
    let mut trail = Trail::new("org-trail", ACCOUNT, "us-east-1", "trail-bucket")
        .with_data_selector(ReadWriteType::All, DataScope::AllBuckets);
    trail.s3_key_prefix = Some("audit/".into());
    assert_eq!(
        trail.arn(),
        "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"
    );
    audit.add_trail(trail);
    let mut r = get_object();
    r.time = Timestamp::parse_iso8601("2024-03-12T09:15:02Z").unwrap();
    audit.observe(&r);
    let mut other_region = get_object();
    other_region.region = "eu-west-1".into();
    audit.observe(&other_region);
    assert_eq!(audit.events().len(), 2, "events are queryable at once");
    assert!(audit.deliver_trail_logs(r.time.plus(299)).is_empty());
    let files = audit.deliver_trail_logs(r.time.plus(300));
    assert_eq!(files.len(), 2, "one file per Region");
    assert_eq!(files[0].bucket, "trail-bucket");
    let key = &files[0].key;
    assert!(
        key.starts_with("audit/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/12/111122223333_CloudTrail_us-east-1_20240312T0920Z_"),
        "{key}"
    );
    assert!(key.ends_with(".json.gz"));
    assert!(files[1].key.contains("/CloudTrail/eu-west-1/"));
    let body: Value = serde_json::from_str(&files[0].body).unwrap();
    assert_eq!(body["Records"].as_array().unwrap().len(), 1);
    assert_eq!(body["Records"][0]["eventName"], "GetObject");
    assert!(
        audit.deliver_trail_logs(r.time.plus(10_000)).is_empty(),
        "each event is written once"
    );
}

#[test]
fn advanced_selectors_replace_the_basic_settings() {
    let mut trail = Trail::new("adv", ACCOUNT, "us-east-1", "t");
    trail.advanced_selectors = Some(vec![
        AdvancedEventSelector::new(
            "writes under logs/ in b1",
            vec![
                AdvancedFieldSelector::equals("eventCategory", &["Data"]),
                AdvancedFieldSelector::equals("resources.type", &["AWS::S3::Object"]),
                AdvancedFieldSelector::equals("readOnly", &["false"]),
                AdvancedFieldSelector::starts_with("resources.ARN", &["arn:aws:s3:::b1/logs/"]),
            ],
        ),
        AdvancedEventSelector::new(
            "management writes only",
            vec![
                AdvancedFieldSelector::equals("eventCategory", &["Management"]),
                AdvancedFieldSelector::equals("readOnly", &["false"]),
                AdvancedFieldSelector {
                    field: "eventSource".into(),
                    not_equals: vec!["kms.amazonaws.com".into()],
                    ..Default::default()
                },
            ],
        ),
    ]);
    let d = trail.decide(&put("b1", "logs/a"), ACCOUNT);
    assert!(d.records, "{}", d.reason);
    assert!(d.reason.contains("writes under logs/ in b1"));
    assert!(!trail.decide(&put("b1", "data/a"), ACCOUNT).records);
    let mut read = put("b1", "logs/a");
    read.api_name = "GetObject".into();
    read.read_only = true;
    assert!(!trail.decide(&read, ACCOUNT).records);
    let mgmt = HandledRequest::new(
        Timestamp(0),
        "us-east-1",
        alice(),
        "R",
        "E",
        "PutBucketPolicy",
        204,
    )
    .with_bucket("b1", OWNER_CANONICAL, ACCOUNT);
    assert!(trail.decide(&mgmt, ACCOUNT).records);
    let mgmt_read = HandledRequest::new(
        Timestamp(0),
        "us-east-1",
        alice(),
        "R",
        "E",
        "GetBucketPolicy",
        200,
    )
    .with_bucket("b1", OWNER_CANONICAL, ACCOUNT);
    let d = trail.decide(&mgmt_read, ACCOUNT);
    assert!(!d.records);
    assert!(
        d.reason.contains("no advanced event selector"),
        "{}",
        d.reason
    );
    let kms = HandledRequest::new(
        Timestamp(0),
        "us-east-1",
        alice(),
        "K",
        "E",
        "CreateKey",
        200,
    )
    .for_kms("arn:aws:kms:us-east-1:111122223333:key/k", ACCOUNT, false);
    assert!(
        !trail.decide(&kms, ACCOUNT).records,
        "KMS events excluded by NotEquals"
    );
}

#[test]
fn the_current_record_style_brackets_s3_user_agents() {
    let now =
        CloudTrailRecord::from_request_with(&get_object(), ACCOUNT, RecordStyle::current()).json;
    assert_eq!(now["eventVersion"], "1.11");
    assert_eq!(now["userAgent"], "[aws-cli/2.15.0]");
    let classic = CloudTrailRecord::from_request(&get_object(), ACCOUNT).json;
    assert_eq!(classic["eventVersion"], "1.09");
    assert_eq!(classic["userAgent"], "aws-cli/2.15.0");
}
