//! Seal + open of a 1 MiB object body in each mode the world encrypts for real, to know what a
//! learner's upload costs in the browser. Criterion reports throughput in MiB/s.
//!
//! Run: `cargo bench -p s3pg-crypto --bench seal_open`.

#![expect(
    clippy::unwrap_used,
    reason = "a benchmark of the happy path should stop at the first failure"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use s3pg_crypto::client_side::{self, ClientMasterKey};
use s3pg_crypto::ssec::{self, SseCHeaders};
use s3pg_crypto::{
    Aes256Key, CustomerKey, EncryptionContext, KeyRing, Nonce, SeededEntropy, envelope_open,
    envelope_seal, open, open_object, seal, seal_object,
};

const MIB: usize = 1024 * 1024;

fn body() -> Vec<u8> {
    (0..MIB).map(|i| (i % 251) as u8).collect()
}

fn seal_open(c: &mut Criterion) {
    let body = body();
    let mut e = SeededEntropy::from_seed(b"bench");
    let mut group = c.benchmark_group("seal+open 1 MiB");
    group.throughput(Throughput::Bytes(MIB as u64));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(8));

    let key = Aes256Key::generate(&mut e);
    group.bench_function("raw AES-256-GCM", |b| {
        b.iter(|| {
            let sealed = seal(&key, Nonce::from_bytes([7; 12]), black_box(&body), b"").unwrap();
            black_box(open(&key, &sealed, b"").unwrap())
        });
    });

    let s3_root = KeyRing::new("sse-s3-root", &mut e);
    let ctx = EncryptionContext::s3_arn("arn:aws:s3:::sim-bucket/big.bin");
    group.bench_function("SSE-S3 envelope", |b| {
        b.iter(|| {
            let sealed = envelope_seal(black_box(&body), &s3_root, &ctx, &mut e).unwrap();
            black_box(envelope_open(&sealed, &s3_root, &ctx).unwrap())
        });
    });

    let customer = CustomerKey::generate(&mut e);
    let [(_, alg), (_, k), (_, md5)] = customer.headers();
    group.bench_function("SSE-C", |b| {
        b.iter(|| {
            // Write: validate the headers, seal with the customer key, keep only a salted HMAC.
            let headers = SseCHeaders {
                algorithm: Some(&alg),
                key: Some(&k),
                key_md5: Some(&md5),
            };
            let key = ssec::check_write(&headers, None, true).unwrap().unwrap();
            let sealed = seal_object(black_box(&body), key.key(), b"", &mut e).unwrap();
            let fingerprint = key.fingerprint(&mut e);
            // Read: the same headers again, compared against the fingerprint, then open.
            let again = headers.parse().unwrap().unwrap();
            ssec::check_read(Some(&fingerprint), Some(&again)).unwrap();
            black_box(open_object(&sealed, again.key(), b"").unwrap())
        });
    });

    let master = ClientMasterKey::generate(&mut e);
    group.bench_function("client-side (S3EC v2 format)", |b| {
        b.iter(|| {
            let obj = client_side::encrypt(black_box(&body), &master, &mut e).unwrap();
            black_box(client_side::decrypt(&obj, &master).unwrap())
        });
    });

    group.finish();
}

criterion_group!(benches, seal_open);
criterion_main!(benches);
