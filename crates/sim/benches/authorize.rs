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
use s3pg_sim::Timestamp;
use serde_json::json;

#[path = "common/budget_world.rs"]
mod budget_world;
use budget_world::{request, world};

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
