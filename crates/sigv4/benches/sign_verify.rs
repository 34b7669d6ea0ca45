//! Speed of making and of checking one presigned URL (the AWS doc example plus a session token).

#![expect(clippy::unwrap_used, reason = "benchmark setup")]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use s3pg_sigv4::{
    AddressingStyle, AmzDateTime, Credentials, IncomingRequest, PresignInput, presign, split_url,
    verify_presigned,
};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn bench(c: &mut Criterion) {
    let credentials = Credentials::new("AKIAIOSFODNN7EXAMPLE", SECRET)
        .with_session_token("FQoGZXIvYXdzEJr//////////wEaDOS+token=");
    let time = AmzDateTime::parse_basic("20130524T000000Z").unwrap();
    let input = PresignInput {
        method: "GET",
        bucket: "examplebucket",
        key: "reports/2024/Q1 report (final).xlsx",
        region: "eu-west-1",
        expires_in: 86400,
        credentials: &credentials,
        time,
        addressing: AddressingStyle::Auto,
    };
    c.bench_function("presign one URL", |b| {
        b.iter(|| presign(black_box(&input)).unwrap())
    });

    let url = presign(&input).unwrap().url;
    let parts = split_url(&url).unwrap();
    let now = time.plus_seconds(600);
    c.bench_function("verify one URL", |b| {
        b.iter(|| {
            let request = IncomingRequest {
                method: "GET",
                host: &parts.host,
                path: &parts.path,
                query: &parts.query,
                headers: &[],
            };
            verify_presigned(black_box(&request), SECRET, now, Some("eu-west-1")).unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
