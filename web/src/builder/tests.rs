//! Native tests of the request builder: every operation builds, and the HTTP text it stands for.

use super::*;
use s3pg_sim::World;

fn world() -> World {
    s3pg_sim::scenario::Scenario::from_json(include_str!("../../../tests/scenarios/default.json"))
        .map(|s| s.world)
        .unwrap_or_default()
}

fn form(op: OpKind) -> RequestForm {
    RequestForm {
        op,
        bucket: "examplebucket".to_owned(),
        ..RequestForm::default()
    }
}

#[test]
fn every_operation_builds_or_says_what_is_missing() {
    let world = world();
    let callers = callers_of(&world);
    for op in OpKind::all() {
        let mut f = form(op);
        f.account = "111122223333".to_owned();
        f.source_key = "a.txt".to_owned();
        f.keys = "a.txt".to_owned();
        f.upload_id = "upload-1".to_owned();
        f.document = match op {
            OpKind::Kms => r#"{"DescribeKey": {"keyId": "alias/x"}}"#.to_owned(),
            OpKind::Iam => r#"{"CreateAccessKey": {}}"#.to_owned(),
            OpKind::Sts => r#"{"GetCallerIdentity": {}}"#.to_owned(),
            OpKind::PutObjectTagging => r#"{"team": "blue"}"#.to_owned(),
            OpKind::Glacier => String::new(),
            OpKind::CompleteMultipartUpload => {
                r#"[{"PartNumber": 1, "ETag": "\"abc\""}]"#.to_owned()
            }
            OpKind::PostObject => r#"{"fields": {"key": "a.txt"}, "file": "x"}"#.to_owned(),
            OpKind::PutObjectLockConfiguration => r#"{"ObjectLockEnabled": "Enabled"}"#.to_owned(),
            OpKind::PutObjectRetention => {
                r#"{"Mode": "GOVERNANCE", "RetainUntilDate": "2027-01-01T00:00:00Z"}"#.to_owned()
            }
            OpKind::PutObjectLegalHold => r#"{"Status": "ON"}"#.to_owned(),
            OpKind::PutBucketLifecycleConfiguration => {
                r#"{"Rules": [{"ID": "r", "Status": "Enabled", "Expiration": {"Days": 30}}]}"#
                    .to_owned()
            }
            _ => r#"{"Version": "2012-10-17", "Statement": []}"#.to_owned(),
        };
        match f.build(&callers) {
            Ok(r) => {
                let name = r.operation.name();
                if !matches!(
                    op,
                    OpKind::Kms | OpKind::Glacier | OpKind::PostObject | OpKind::Iam | OpKind::Sts
                ) {
                    assert_eq!(name, op.name(), "{op:?}");
                }
                assert!(!http_text(&r).is_empty());
            }
            Err(e) => assert!(matches!(op, OpKind::Glacier | OpKind::Kms), "{op:?}: {e}"),
        }
    }
}

#[test]
fn headers_that_matter_reach_the_request() {
    let callers = callers_of(&world());
    let mut f = form(OpKind::PutObject);
    f.sse = "aws:kms".to_owned();
    f.sse_kms_key = "alias/reports".to_owned();
    f.canned_acl = "bucket-owner-full-control".to_owned();
    f.ssec = SseC::KeyA;
    f.https = false;
    f.vpc_endpoint = "vpce-1a2b3c4d".to_owned();
    let r = f.build(&callers).unwrap();
    assert_eq!(
        r.header_value("x-amz-server-side-encryption"),
        Some("aws:kms")
    );
    assert_eq!(
        r.header_value("x-amz-server-side-encryption-aws-kms-key-id"),
        Some("alias/reports")
    );
    assert_eq!(
        r.header_value("x-amz-acl"),
        Some("bucket-owner-full-control")
    );
    assert_eq!(
        r.header_value("x-amz-server-side-encryption-customer-algorithm"),
        Some("AES256")
    );
    assert!(
        r.header_value("x-amz-server-side-encryption-customer-key-MD5")
            .is_some()
    );
    assert_eq!(r.network.scheme, Scheme::Http);
    assert_eq!(r.network.vpc_endpoint.as_deref(), Some("vpce-1a2b3c4d"));
    let text = http_text(&r);
    assert!(text.starts_with("PUT /report.csv HTTP/1.1\nHost: examplebucket.s3.amazonaws.com"));
    assert!(text.contains("x-amz-acl: bucket-owner-full-control"));
    assert!(text.contains("through VPC endpoint vpce-1a2b3c4d"));
}

#[test]
fn multipart_requests_carry_the_upload_id_and_part_number() {
    let callers = callers_of(&world());
    let mut f = form(OpKind::UploadPart);
    f.upload_id = "abc".to_owned();
    f.part_number = "2".to_owned();
    f.ssec = SseC::KeyA;
    let r = f.build(&callers).unwrap();
    assert!(matches!(
        &r.operation,
        Operation::UploadPart { upload_id, part_number: 2, .. } if upload_id == "abc"
    ));
    assert!(
        r.header_value("x-amz-server-side-encryption-customer-key")
            .is_some()
    );
    assert!(http_text(&r).starts_with("PUT /report.csv?partNumber=2&uploadId=abc"));
    f.part_number = "two".to_owned();
    assert!(f.build(&callers).unwrap_err().contains("`two`"));
    f.part_number = "1".to_owned();
    f.presigned = true;
    let r = f.build(&callers).unwrap();
    match &r.operation {
        Operation::PresignedRequest {
            method,
            presign: Some(spec),
            ..
        } => {
            assert_eq!(method, "PUT");
            assert_eq!(spec.query.get("uploadId").map(String::as_str), Some("abc"));
            assert_eq!(spec.query.get("partNumber").map(String::as_str), Some("1"));
        }
        other => panic!("not pre-signed: {other:?}"),
    }
    f.presigned = false;
    f.upload_id.clear();
    assert!(f.build(&callers).unwrap_err().contains("upload ID"));
    let mut c = form(OpKind::CreateMultipartUpload);
    c.sse = "AES256".to_owned();
    let r = c.build(&callers).unwrap();
    assert_eq!(
        r.header_value("x-amz-server-side-encryption"),
        Some("AES256")
    );
    assert!(http_text(&r).starts_with("POST /report.csv?uploads"));
}

#[test]
fn mfa_and_version_id_are_sent_as_s3_expects() {
    let callers = callers_of(&world());
    let mut f = form(OpKind::DeleteObject);
    f.version_id = "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY".to_owned();
    f.mfa_serial = "arn:aws:iam::111122223333:mfa/root".to_owned();
    f.mfa_code = "123456".to_owned();
    let r = f.build(&callers).unwrap();
    assert_eq!(
        r.header_value("x-amz-mfa"),
        Some("arn:aws:iam::111122223333:mfa/root 123456")
    );
    assert!(http_text(&r).starts_with("DELETE /report.csv?versionId=3HL4"));
}

#[test]
fn a_presigned_url_is_sent_by_whoever_holds_it_and_signed_by_the_caller() {
    let world = world();
    let callers = callers_of(&world);
    let alice = callers
        .iter()
        .position(|c| c.label.starts_with("alice"))
        .unwrap();
    let mut f = form(OpKind::GetObject);
    f.caller = alice;
    f.presigned = true;
    let r = f.build(&callers).unwrap();
    assert_eq!(r.caller, Caller::Anonymous);
    assert!(matches!(r.operation, Operation::PresignedRequest { .. }));
    assert!(http_text(&r).contains("X-Amz-Credential="));
    let anonymous = callers.len() - 1;
    f.caller = anonymous;
    assert!(f.build(&callers).unwrap_err().contains("no access key"));
}

#[test]
fn a_policy_that_does_not_parse_says_where() {
    let callers = callers_of(&world());
    let mut f = form(OpKind::PutBucketPolicy);
    f.document = "{\n  \"Version\": ,\n}".to_owned();
    let e = f.build(&callers).unwrap_err();
    assert!(e.contains("2:"), "{e}");
}
