//! Multipart and browser POST uploads, as properties: whatever the parts and whatever the
//! encryption, a completed upload reads back as the parts in order with the multipart ETag; a
//! POST form survives no change to its policy or signature.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

use proptest::prelude::*;
use s3pg_sim::{Caller, Operation, Request, Timestamp, World};
use serde_json::json;

const T0: Timestamp = Timestamp(1_767_225_600); // 2026-01-01T00:00:00Z
const KEY: &str = "AKIAALICE00000000001";
const MIB5: u64 = 5 * 1024 * 1024;

fn world() -> World {
    let mut w: World = serde_json::from_value(json!({
        "accounts": { "111122223333": { "users": { "alice": {
            "policies": [{ "name": "rw", "document": {
                "Version": "2012-10-17",
                "Statement": [{ "Effect": "Allow", "Action": ["s3:*", "kms:*"], "Resource": "*" }]
            }}],
            "accessKeys": [{ "accessKeyId": KEY, "secretAccessKey": "alice-secret" }]
        }}}},
        "buckets": { "examplebucket": { "owner": "111122223333" } },
        "kmsKeys": [{ "account": "111122223333", "region": "us-east-1",
                      "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab" }]
    }))
    .unwrap();
    w.normalize();
    w
}

fn alice(op: serde_json::Value) -> Request {
    Request::new(
        Caller::User {
            name: "alice".into(),
            account: Some("111122223333".into()),
        },
        serde_json::from_value::<Operation>(op).unwrap(),
    )
}

const SSEC: [(&str, &str); 3] = [
    ("x-amz-server-side-encryption-customer-algorithm", "AES256"),
    (
        "x-amz-server-side-encryption-customer-key",
        "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    ),
    (
        "x-amz-server-side-encryption-customer-key-md5",
        "hRasmdxgYDKV3nvbahU1MA==",
    ),
];

/// The headers of each request of an upload in `mode` (0 SSE-S3, 1 SSE-KMS, 2 SSE-C).
fn with_mode(mut r: Request, mode: u8, create: bool) -> Request {
    match mode {
        1 if create => r = r.header("x-amz-server-side-encryption", "aws:kms"),
        2 => {
            for (h, v) in SSEC {
                r = r.header(h, v);
            }
        }
        _ => {}
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_completed_upload_reads_back_as_its_parts_in_order(
        bodies in proptest::collection::vec("[a-z0-9]{1,12}", 1..5),
        mode in 0u8..3,
    ) {
        let mut w = world();
        let create = w.handle(
            &with_mode(alice(json!({"CreateMultipartUpload": {"bucket": "examplebucket", "key": "k"}})), mode, true),
            T0,
        );
        prop_assert_eq!(create.status, 200, "{:?}", create.error);
        let id = create.body.as_ref().unwrap()["UploadId"].as_str().unwrap().to_owned();
        let mut parts = Vec::new();
        let last = bodies.len() - 1;
        for (i, body) in bodies.iter().enumerate() {
            let n = i + 1;
            let size = if i < last { Some(MIB5) } else { None };
            let o = w.handle(
                &with_mode(
                    alice(json!({"UploadPart": {"bucket": "examplebucket", "key": "k", "uploadId": id,
                                                 "partNumber": n, "body": body, "size": size}})),
                    mode,
                    false,
                ),
                T0,
            );
            prop_assert_eq!(o.status, 200, "{:?}", o.error);
            parts.push(json!({"PartNumber": n, "ETag": o.headers["etag"]}));
        }
        let done = w.handle(
            &alice(json!({"CompleteMultipartUpload": {"bucket": "examplebucket", "key": "k",
                                                      "uploadId": id, "parts": parts}})),
            T0,
        );
        prop_assert_eq!(done.status, 200, "{:?}", done.error);
        let etag = done.headers["etag"].clone();
        let suffix = format!("-{}\"", bodies.len());
        prop_assert!(etag.ends_with(&suffix), "{}", etag);
        prop_assert!(w.buckets["examplebucket"].multipart_uploads.is_empty());
        let stored = &w.buckets["examplebucket"].objects["k"].versions[0];
        prop_assert!(stored.sealed.is_some(), "the object is really encrypted");
        prop_assert_eq!(&stored.body, "");
        let get = w.handle(
            &with_mode(alice(json!({"GetObject": {"bucket": "examplebucket", "key": "k"}})), mode, false),
            T0,
        );
        prop_assert_eq!(get.status, 200, "{:?}", get.error);
        prop_assert_eq!(get.body.as_ref().unwrap()["Body"].as_str().unwrap(), bodies.concat());
    }

    #[test]
    fn any_change_to_a_signed_post_form_is_refused(
        at in 0usize..200,
        replacement in "[A-Za-z0-9+/]",
        field in 0u8..2,
    ) {
        let mut w = world();
        let spec = json!({
            "accessKeyId": KEY,
            "policy": {"expiration": "2026-01-01T01:00:00Z", "conditions": [
                {"bucket": "examplebucket"}, ["starts-with", "$key", "uploads/"],
                {"x-amz-credential": format!("{KEY}/20260101/us-east-1/s3/aws4_request")},
                {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-date": "20260101T000000Z"}]},
            "signedAt": "2026-01-01T00:00:00Z"
        });
        let signed = w
            .sign_post_form("examplebucket", &serde_json::from_value(spec).unwrap(), T0)
            .unwrap();
        let name = if field == 0 { "policy" } else { "x-amz-signature" };
        let original = signed[name].clone();
        let i = at % original.len();
        let mut changed = original.clone();
        changed.replace_range(i..=i, &replacement);
        prop_assume!(changed != original);
        let mut fields = signed.clone();
        fields.insert("key".to_owned(), "uploads/a.txt".to_owned());
        let good = w.authorize(
            &Request::new(Caller::Anonymous, serde_json::from_value(json!({"PostObject": {
                "bucket": "examplebucket", "fields": fields, "file": "x"}})).unwrap()),
            T0,
        );
        prop_assert_eq!(good.status, 204, "{:?}", good.error);
        fields.insert(name.to_owned(), changed);
        let bad = w.handle(
            &Request::new(Caller::Anonymous, serde_json::from_value(json!({"PostObject": {
                "bucket": "examplebucket", "fields": fields, "file": "x"}})).unwrap()),
            T0,
        );
        prop_assert_eq!(bad.status, 403);
        prop_assert!(!w.buckets["examplebucket"].objects.contains_key("uploads/a.txt"));
    }
}
