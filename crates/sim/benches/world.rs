//! Benchmarks of the world: a bucket with 10,000 objects and one key with 1,000 versions.
//! Listing pages (ListObjectsV2, ListObjectVersions), one fully authorized request, and one
//! request made with a pre-signed URL.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark code"
)]

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use s3pg_sim::model::{ObjectEntry, ObjectVersion};
use s3pg_sim::{Bucket, Caller, Operation, Request, Timestamp, World};
use serde_json::json;

const A: &str = "111122223333";

fn version(id: String, body: &str) -> ObjectVersion {
    ObjectVersion {
        version_id: id,
        delete_marker: false,
        owner: A.to_owned(),
        acl: None,
        metadata: BTreeMap::new(),
        encryption: Some("AES256".to_owned()),
        body: body.to_owned(),
        sealed: None,
        etag: String::new(),
        last_modified: Timestamp(1_767_225_600),
        object_lock: Default::default(),
        tags: Default::default(),
    }
}

fn big_world() -> World {
    let mut w: World = serde_json::from_value(json!({
        "accounts": {A: {"users": {"alice": {"policies": [
            {"name": "read", "document": {"Version": "2012-10-17", "Statement": [
                {"Sid": "List", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:ListBucketVersions"], "Resource": "arn:aws:s3:::big",
                 "Condition": {"StringLike": {"s3:prefix": ["", "dir*", "hot"]}}},
                {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::big/*"}]}},
            {"name": "deny-http", "document": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}}
        ]}}}},
        "buckets": {}
    }))
    .unwrap();
    let mut bucket = Bucket::new(A, "us-east-1", Timestamp(1_767_225_600));
    bucket.versioning = s3pg_sim::Versioning::Enabled;
    bucket.policy = Some(json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyUnencrypted", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::big/*",
         "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}},
        {"Sid": "VpceOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::big", "arn:aws:s3:::big/*"],
         "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}, "StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:user/*"}}},
        {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::big/shared/*"}
    ]}));
    for i in 0..10_000 {
        bucket.objects.insert(
            format!("dir{:02}/obj{i:05}", i % 100),
            ObjectEntry {
                versions: vec![version("null".to_owned(), "x")],
            },
        );
    }
    let versions = (0..1_000)
        .map(|i| version(format!("v{i:04}"), "hot"))
        .collect();
    bucket
        .objects
        .insert("hot".to_owned(), ObjectEntry { versions });
    w.buckets.insert("big".to_owned(), bucket);
    w.normalize();
    w
}

fn request(caller: Caller, op: serde_json::Value) -> Request {
    Request::new(caller, serde_json::from_value::<Operation>(op).unwrap())
}

fn benches(c: &mut Criterion) {
    let mut w = big_world();
    let now = Timestamp(1_767_258_000);
    let alice = Caller::User {
        name: "alice".into(),
        account: Some(A.into()),
    };
    let root = Caller::Root { account: A.into() };

    let list = request(
        alice.clone(),
        json!({"ListObjectsV2": {"bucket": "big", "maxKeys": 1000}}),
    );
    assert_eq!(w.handle(&list, now).status, 200);
    c.bench_function(
        "ListObjectsV2 page of 1000 of 10,000 keys (alice, authorized)",
        |b| b.iter(|| black_box(w.handle(&list, now))),
    );

    let list_mid = request(
        root.clone(),
        json!({"ListObjectsV2": {"bucket": "big", "prefix": "dir57/", "maxKeys": 1000}}),
    );
    c.bench_function("ListObjectsV2 prefix dir57/ (100 keys, root)", |b| {
        b.iter(|| black_box(w.handle(&list_mid, now)))
    });

    let list_delim = request(
        root.clone(),
        json!({"ListObjectsV2": {"bucket": "big", "delimiter": "/"}}),
    );
    c.bench_function(
        "ListObjectsV2 delimiter / over 10,000 keys (100 prefixes)",
        |b| b.iter(|| black_box(w.handle(&list_delim, now))),
    );

    let versions = request(
        alice.clone(),
        json!({"ListObjectVersions": {"bucket": "big", "prefix": "hot", "maxKeys": 1000}}),
    );
    let o = w.handle(&versions, now);
    assert_eq!(o.status, 200);
    assert_eq!(
        o.body.as_ref().unwrap()["Versions"]
            .as_array()
            .unwrap()
            .len(),
        1000
    );
    c.bench_function(
        "ListObjectVersions page of the 1,000 versions of one key (alice)",
        |b| b.iter(|| black_box(w.handle(&versions, now))),
    );

    let get = request(
        alice.clone(),
        json!({"GetObject": {"bucket": "big", "key": "hot", "versionId": "v0500"}}),
    );
    assert_eq!(w.handle(&get, now).status, 200);
    c.bench_function(
        "GetObjectVersion: full authorization of one request (identity + bucket policy)",
        |b| b.iter(|| black_box(w.handle(&get, now))),
    );

    w.accounts
        .get_mut(A)
        .unwrap()
        .users
        .get_mut("alice")
        .unwrap()
        .access_keys
        .push(s3pg_sim::model::AccessKey {
            access_key_id: "AKIAALICE00000000001".to_owned(),
            secret_access_key: "alice-secret".to_owned(),
            active: true,
        });
    let url = w
        .presign(
            "AKIAALICE00000000001",
            "GET",
            "big",
            "dir07/obj00007",
            3600,
            now,
        )
        .unwrap()
        .url;
    let presigned = Request::new(
        Caller::Anonymous,
        Operation::PresignedRequest {
            method: "GET".to_owned(),
            url,
            presign: None,
            body: None,
        },
    );
    assert_eq!(w.handle(&presigned, now.plus(60)).status, 200);
    c.bench_function(
        "GetObject through a pre-signed URL: split, verify SigV4, authorize the signer",
        |b| b.iter(|| black_box(w.handle(&presigned, now.plus(60)))),
    );
}

criterion_group! {
    name = world;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(world);
