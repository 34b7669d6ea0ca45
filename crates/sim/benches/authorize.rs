//! The budget case of the pipeline: an authorized GetObject and PutObject by an IAM user with an
//! identity policy, in a bucket with a bucket policy (the default scenario's shape), through
//! `World::handle`, and the same requests dry-run through `World::authorize`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark code"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use s3pg_sim::{Caller, Operation, Request, Timestamp, World};
use serde_json::json;

const A: &str = "111122223333";

fn world() -> World {
    let mut w: World = serde_json::from_value(json!({
        "accounts": {A: {"users": {"alice": {"policies": [
            {"name": "rw", "document": {"Version": "2012-10-17", "Statement": [
                {"Sid": "ReadWrite", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::examplebucket/*"},
                {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::examplebucket"}]}}
        ]}}}},
        "buckets": {"examplebucket": {
            "owner": A,
            "objects": {"report.csv": {"versions": [{"owner": A, "body": "a,b,c"}]}},
            "policy": {"Version": "2012-10-17", "Statement": [
                {"Sid": "DenyUnEncryptedObjectUploads", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                 "Resource": "arn:aws:s3:::examplebucket/*", "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}},
                {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                 "Resource": ["arn:aws:s3:::examplebucket", "arn:aws:s3:::examplebucket/*"],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
            ]}
        }}
    }))
    .unwrap();
    w.normalize();
    w
}

fn request(op: serde_json::Value) -> Request {
    let alice = Caller::User {
        name: "alice".into(),
        account: Some(A.into()),
    };
    Request::new(alice, serde_json::from_value::<Operation>(op).unwrap())
}

fn benches(c: &mut Criterion) {
    let mut w = world();
    let now = Timestamp(1_767_258_000);
    let get = request(json!({"GetObject": {"bucket": "examplebucket", "key": "report.csv"}}));
    assert_eq!(w.handle(&get, now).status, 200);
    c.bench_function(
        "handle: authorized GetObject (identity + bucket policy)",
        |b| b.iter(|| black_box(w.handle(&get, now))),
    );
    c.bench_function(
        "authorize (dry run): authorized GetObject (identity + bucket policy)",
        |b| b.iter(|| black_box(w.authorize(&get, now))),
    );
    let put =
        request(json!({"PutObject": {"bucket": "examplebucket", "key": "new.csv", "body": "1,2"}}))
            .header("x-amz-server-side-encryption", "AES256");
    assert_eq!(w.handle(&put, now).status, 200);
    c.bench_function(
        "handle: authorized PutObject (identity + bucket policy)",
        |b| b.iter(|| black_box(w.handle(&put, now))),
    );
    c.bench_function(
        "authorize (dry run): authorized PutObject (identity + bucket policy)",
        |b| b.iter(|| black_box(w.authorize(&put, now))),
    );
}

criterion_group! {
    name = authorize;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(authorize);
