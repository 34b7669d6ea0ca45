//! Every operation's success status, against its page in the S3 API reference: one table, run in
//! order in one world by the bucket owner's root user, each row naming the page it follows.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

mod common;

use common::{A, root, send_with, world};
use serde_json::{Value, json};

const API: &str = "https://docs.aws.amazon.com/AmazonS3/latest/API/";

/// One row: API reference page, operation, request headers, success status.
type Row = (&'static str, Value, Vec<(&'static str, &'static str)>, u16);

fn table() -> Vec<Row> {
    let bpa = json!({"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true});
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{A}:root")}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]});
    let private = vec![("x-amz-acl", "private")];
    vec![
        (
            "API_ListBuckets.html",
            json!({"ListBuckets": {}}),
            vec![],
            200,
        ),
        (
            "API_CreateBucket.html",
            json!({"CreateBucket": {"bucket": "newbucket"}}),
            vec![],
            200,
        ),
        (
            "API_PutBucketPolicy.html",
            json!({"PutBucketPolicy": {"bucket": "b", "policy": policy}}),
            vec![],
            204,
        ),
        (
            "API_GetBucketPolicy.html",
            json!({"GetBucketPolicy": {"bucket": "b"}}),
            vec![],
            200,
        ),
        (
            "API_GetBucketPolicyStatus.html",
            json!({"GetBucketPolicyStatus": {"bucket": "b"}}),
            vec![],
            200,
        ),
        (
            "API_DeleteBucketPolicy.html",
            json!({"DeleteBucketPolicy": {"bucket": "b"}}),
            vec![],
            204,
        ),
        (
            "API_PutBucketAcl.html",
            json!({"PutBucketAcl": {"bucket": "b"}}),
            private.clone(),
            200,
        ),
        (
            "API_GetBucketAcl.html",
            json!({"GetBucketAcl": {"bucket": "b"}}),
            vec![],
            200,
        ),
        (
            "API_PutObject.html",
            json!({"PutObject": {"bucket": "b", "key": "k", "body": "hello"}}),
            vec![],
            200,
        ),
        (
            "API_PutObjectAcl.html",
            json!({"PutObjectAcl": {"bucket": "b", "key": "k"}}),
            private,
            200,
        ),
        (
            "API_GetObjectAcl.html",
            json!({"GetObjectAcl": {"bucket": "b", "key": "k"}}),
            vec![],
            200,
        ),
        (
            "API_GetObject.html",
            json!({"GetObject": {"bucket": "b", "key": "k"}}),
            vec![],
            200,
        ),
        (
            "API_HeadObject.html",
            json!({"HeadObject": {"bucket": "b", "key": "k"}}),
            vec![],
            200,
        ),
        (
            "API_CopyObject.html",
            json!({"CopyObject": {"bucket": "b", "key": "k2", "sourceBucket": "b", "sourceKey": "k"}}),
            vec![],
            200,
        ),
        (
            "API_ListObjectsV2.html",
            json!({"ListObjectsV2": {"bucket": "b"}}),
            vec![],
            200,
        ),
        (
            "API_ListObjectVersions.html",
            json!({"ListObjectVersions": {"bucket": "b"}}),
            vec![],
            200,
        ),
        (
            "API_PutPublicAccessBlock.html",
            json!({"PutPublicAccessBlock": {"bucket": "b", "configuration": bpa}}),
            vec![],
            200,
        ),
        (
            "API_GetPublicAccessBlock.html",
            json!({"GetPublicAccessBlock": {"bucket": "b"}}),
            vec![],
            200,
        ),
        (
            "API_DeletePublicAccessBlock.html",
            json!({"DeletePublicAccessBlock": {"bucket": "b"}}),
            vec![],
            204,
        ),
        (
            "API_control_PutPublicAccessBlock.html",
            json!({"PutAccountPublicAccessBlock": {"account": A, "configuration": bpa}}),
            vec![],
            200,
        ),
        (
            "API_control_GetPublicAccessBlock.html",
            json!({"GetAccountPublicAccessBlock": {"account": A}}),
            vec![],
            200,
        ),
        (
            "API_control_DeletePublicAccessBlock.html",
            json!({"DeleteAccountPublicAccessBlock": {"account": A}}),
            vec![],
            200,
        ),
        (
            "API_PutBucketOwnershipControls.html",
            json!({"PutBucketOwnershipControls": {"bucket": "b", "objectOwnership": "BucketOwnerPreferred"}}),
            vec![],
            200,
        ),
        (
            "API_GetBucketOwnershipControls.html",
            json!({"GetBucketOwnershipControls": {"bucket": "b"}}),
            vec![],
            200,
        ),
        (
            "API_PutBucketVersioning.html",
            json!({"PutBucketVersioning": {"bucket": "b", "status": "Enabled"}}),
            vec![],
            200,
        ),
        (
            "API_GetBucketVersioning.html",
            json!({"GetBucketVersioning": {"bucket": "b"}}),
            vec![],
            200,
        ),
        (
            "API_PutBucketEncryption.html",
            json!({"PutBucketEncryption": {"bucket": "b", "configuration": {"sseAlgorithm": "AES256"}}}),
            vec![],
            200,
        ),
        (
            "API_GetBucketEncryption.html",
            json!({"GetBucketEncryption": {"bucket": "b"}}),
            vec![],
            200,
        ),
        (
            "API_DeleteBucketEncryption.html",
            json!({"DeleteBucketEncryption": {"bucket": "b"}}),
            vec![],
            204,
        ),
        (
            "API_PutBucketLogging.html",
            json!({"PutBucketLogging": {"bucket": "b", "loggingEnabled": {"targetBucket": "logs", "targetPrefix": "b/"}}}),
            vec![],
            200,
        ),
        (
            "API_GetBucketLogging.html",
            json!({"GetBucketLogging": {"bucket": "b"}}),
            vec![],
            200,
        ),
        (
            "API_DeleteObject.html",
            json!({"DeleteObject": {"bucket": "b", "key": "k"}}),
            vec![],
            204,
        ),
        (
            "API_DeleteObjects.html",
            json!({"DeleteObjects": {"bucket": "b", "objects": [{"key": "k2"}]}}),
            vec![],
            200,
        ),
        (
            "API_DeleteBucket.html",
            json!({"DeleteBucket": {"bucket": "newbucket"}}),
            vec![],
            204,
        ),
    ]
}

#[test]
fn every_operation_answers_the_success_status_of_its_api_page() {
    let mut w = world(json!({
        "accounts": {A: {}},
        "buckets": {
            "b": {"owner": A, "objectOwnership": "ObjectWriter", "publicAccessBlock": null},
            "logs": {"owner": A}
        }
    }));
    let mut wrong = Vec::new();
    for (page, operation, headers, status) in table() {
        let name = operation
            .as_object()
            .and_then(|o| o.keys().next().cloned())
            .unwrap();
        let o = send_with(&mut w, root(A), operation, &headers);
        if o.status != status {
            wrong.push(format!(
                "{name}: expected {status} ({API}{page}), got {} {:?}",
                o.status,
                o.error.map(|e| e.code)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
