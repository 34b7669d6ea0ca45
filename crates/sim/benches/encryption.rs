//! Put + get of a 1 MiB object through `World::handle` under each encryption mode.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "benchmark code")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use s3pg_sim::{Caller, Operation, Request, Timestamp, World};
use serde_json::json;

const A: &str = "111122223333";
const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const MIB: usize = 1 << 20;

fn world() -> World {
    let mut w: World = serde_json::from_value(json!({
        "accounts": {A: {"users": {"alice": {"policies": [{"name": "all", "document": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["s3:*", "kms:*"], "Resource": "*"}]}}]}}}},
        "buckets": {"b": {"owner": A}},
        "kmsKeys": [{"account": A, "region": "us-east-1", "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab"}]
    }))
    .unwrap();
    w.normalize();
    w
}

fn with_mode(r: Request, mode: &str) -> Request {
    let b64 = data_encoding::BASE64;
    let key = [7u8; 32];
    match mode {
        "sse-s3" => r.header("x-amz-server-side-encryption", "AES256"),
        "sse-kms" => r
            .header("x-amz-server-side-encryption", "aws:kms")
            .header("x-amz-server-side-encryption-aws-kms-key-id", KEY_ARN),
        "sse-kms-bucket-key" => r
            .header("x-amz-server-side-encryption", "aws:kms")
            .header("x-amz-server-side-encryption-aws-kms-key-id", KEY_ARN)
            .header("x-amz-server-side-encryption-bucket-key-enabled", "true"),
        "sse-c" => r
            .header("x-amz-server-side-encryption-customer-algorithm", "AES256")
            .header(
                "x-amz-server-side-encryption-customer-key",
                &b64.encode(&key),
            )
            .header(
                "x-amz-server-side-encryption-customer-key-md5",
                "y4HAEFCYWuvAXWFTtA1Qpg==",
            ),
        _ => r,
    }
}

fn put_get(c: &mut Criterion) {
    let body: String = "0123456789abcdef".repeat(MIB / 16);
    let mut g = c.benchmark_group("put_get_1mib");
    g.throughput(Throughput::Bytes(2 * MIB as u64));
    g.sample_size(10);
    for mode in ["sse-s3", "sse-kms", "sse-kms-bucket-key", "sse-c"] {
        let mut w = world();
        let caller = Caller::User {
            name: "alice".into(),
            account: Some(A.into()),
        };
        let mut put = Request::new(
            caller.clone(),
            Operation::PutObject {
                bucket: "b".into(),
                key: "k".into(),
                body: body.clone(),
            },
        );
        put = with_mode(put, mode);
        let mut get = Request::new(
            caller,
            Operation::GetObject {
                bucket: "b".into(),
                key: "k".into(),
                version_id: None,
            },
        );
        if mode == "sse-c" {
            get = with_mode(get, mode);
        }
        // Fail loudly if a mode does not round-trip (e.g. a wrong SSE-C key MD5).
        let o = w.handle(&put, Timestamp(1_767_225_600));
        assert_eq!(o.status, 200, "{mode}: {:?}", o.error);
        let o = w.handle(&get, Timestamp(1_767_225_600));
        assert_eq!(o.status, 200, "{mode}: {:?}", o.error);
        g.bench_function(mode, |b| {
            b.iter(|| {
                let p = w.handle(&put, Timestamp(1_767_225_600));
                let r = w.handle(&get, Timestamp(1_767_225_600));
                (p.status, r.status)
            });
        });
    }
    g.finish();
}

criterion_group!(benches, put_get);
criterion_main!(benches);
