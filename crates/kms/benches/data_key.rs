//! S3's two KMS calls for one SSE-KMS object — `GenerateDataKey` on write, `Decrypt` on read —
//! each with its full key-policy + IAM authorization, trace and CloudTrail facts, to know what an
//! SSE-KMS request costs in the browser. Also the Bucket Key path, where S3 skips KMS.
//!
//! Run: `cargo bench -p s3pg-kms --bench data_key`.

#![expect(
    clippy::unwrap_used,
    reason = "a benchmark of the happy path should stop at the first failure"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use s3pg_crypto::{EncryptionContext, SeededEntropy};
use s3pg_kms::{BucketKeyCache, Caller, CreateKeyInput, Kms};
use s3pg_policy::Policy;

fn generate_and_decrypt(c: &mut Criterion) {
    let mut e = SeededEntropy::from_seed(b"bench");
    let mut kms = Kms::new();
    let root =
        Caller::from_arn("arn:aws:iam::111122223333:root", "us-east-1", 1_700_000_000).unwrap();
    let key = kms
        .create_key(&root, &CreateKeyInput::default(), &mut e)
        .into_result()
        .unwrap();
    let iam = Policy::parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"{}"}}]}}"#,
        key.arn
    ))
    .unwrap();
    let alice = Caller::from_arn(
        "arn:aws:iam::111122223333:user/alice",
        "us-east-1",
        1_700_000_000,
    )
    .unwrap()
    .with_identity_policy("kms-use", iam);
    let context = EncryptionContext::s3_arn("arn:aws:s3:::sim-bucket/report.pdf");

    let mut group = c.benchmark_group("sse-kms");
    group.sample_size(50);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("generate_data_key_for_s3 + decrypt_for_s3", |b| {
        b.iter(|| {
            let grant = kms
                .generate_data_key_for_s3(&alice, Some(&key.arn), black_box(&context), &mut e)
                .into_result()
                .unwrap();
            black_box(
                kms.decrypt_for_s3(&alice, &grant.encrypted_data_key, &context)
                    .into_result()
                    .unwrap(),
            )
        });
    });
    group.bench_function("aws/s3 generate + decrypt", |b| {
        b.iter(|| {
            let grant = kms
                .generate_data_key_for_s3(&alice, None, black_box(&context), &mut e)
                .into_result()
                .unwrap();
            black_box(
                kms.decrypt_for_s3(&alice, &grant.encrypted_data_key, &context)
                    .into_result()
                    .unwrap(),
            )
        });
    });
    let mut cache = BucketKeyCache::new(u64::MAX);
    group.bench_function("bucket key: new object data key (cache hit)", |b| {
        b.iter(|| {
            black_box(
                cache
                    .data_key_for_new_object(
                        &mut kms,
                        &alice,
                        Some(&key.arn),
                        "arn:aws:s3:::sim-bucket",
                        "arn:aws:s3:::sim-bucket/report.pdf",
                        &mut e,
                    )
                    .result
                    .unwrap(),
            )
        });
    });
    group.finish();
}

criterion_group!(benches, generate_and_decrypt);
criterion_main!(benches);
