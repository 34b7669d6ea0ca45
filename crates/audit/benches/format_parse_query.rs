//! Speed of the access log pipeline at log-file scale: format 100k records, parse 100k lines,
//! and run a query over 100k parsed records. Criterion reports time per 100k lines; lines/s is
//! 100 000 divided by that time (throughput is also printed as elements/s).

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "benchmark setup"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use s3pg_audit::{
    AccessLogRecord, AuthenticationType, HandledRequest, IdentityType, PrincipalInfo, Query,
    Requester, SignatureVersion, Timestamp,
};

const LINES: usize = 100_000;

fn records() -> Vec<AccessLogRecord> {
    let ops = [
        "GetObject",
        "PutObject",
        "ListObjectsV2",
        "DeleteObject",
        "GetBucketPolicy",
    ];
    (0..LINES)
        .map(|i| {
            let api = ops[i % ops.len()];
            let requester = if i % 7 == 0 {
                Requester::Anonymous
            } else {
                Requester::Principal(Box::new(PrincipalInfo {
                    identity_type: IdentityType::IamUser,
                    principal_id: "AIDAEXAMPLE".into(),
                    arn: format!("arn:aws:iam::111122223333:user/user{}", i % 13),
                    account_id: "111122223333".into(),
                    access_key_id: None,
                    user_name: None,
                    canonical_id: None,
                    session: None,
                    invoked_by: None,
                }))
            };
            let status = if i % 11 == 0 { 403 } else { 200 };
            let key = format!(
                "{}/2024/file {i}.csv",
                if i % 3 == 0 { "logs" } else { "data" }
            );
            let mut r = HandledRequest::new(
                Timestamp(1_700_000_000 + i as u64),
                "us-east-1",
                requester,
                &format!("{i:016X}"),
                "e",
                api,
                status,
            )
            .with_bucket(
                "bench-bucket",
                "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
                "111122223333",
            )
            .with_key(&key);
            if status == 403 {
                r = r.with_error("AccessDenied", "Access Denied");
            }
            r.remote_ip = Some("192.0.2.3".into());
            r.request_uri = Some(format!(
                "{} /bench-bucket/{key} HTTP/1.1",
                if api.starts_with("Put") { "PUT" } else { "GET" }
            ));
            r.bytes_sent = (i as u64 * 37) % 100_000;
            r.object_size = Some(4_406_583);
            r.total_time_ms = Some(41);
            r.turn_around_time_ms = Some(12);
            r.user_agent =
                Some("aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64 \"quoted\" part".into());
            r.host_id = Some(
                "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234="
                    .into(),
            );
            r.signature_version = Some(SignatureVersion::SigV4);
            r.authentication_type = Some(AuthenticationType::AuthHeader);
            r.cipher_suite = Some("ECDHE-RSA-AES128-GCM-SHA256".into());
            r.host_header = Some("bench-bucket.s3.us-east-1.amazonaws.com".into());
            r.tls_version = Some("TLSv1.2".into());
            AccessLogRecord::from_request(&r)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let records = records();
    let lines: Vec<String> = records.iter().map(AccessLogRecord::format).collect();
    let parsed: Vec<AccessLogRecord> = lines
        .iter()
        .map(|l| AccessLogRecord::parse(l).unwrap())
        .collect();
    assert_eq!(parsed, records);
    let query = Query::parse("operation = REST.PUT.OBJECT and status >= 400 and key like 'logs/%'")
        .unwrap();
    let hits = query.filter(&parsed).len();
    assert!(hits > 0);

    let mut group = c.benchmark_group("access log 100k lines");
    group.sample_size(10);
    group.throughput(Throughput::Elements(LINES as u64));
    group.bench_function("format", |b| {
        let mut buf = String::with_capacity(LINES * 420);
        b.iter(|| {
            buf.clear();
            for r in &records {
                r.write_line(&mut buf);
                buf.push('\n');
            }
            black_box(buf.len())
        })
    });
    group.bench_function("parse", |b| {
        b.iter(|| {
            let mut n = 0;
            for l in &lines {
                n += usize::from(
                    AccessLogRecord::parse(black_box(l))
                        .unwrap()
                        .http_status
                        .is_some(),
                );
            }
            n
        })
    });
    let by_requester =
        Query::parse("select requester, count(*) where status >= 400 group by requester").unwrap();
    group.bench_function("count by requester", |b| {
        b.iter(|| black_box(&by_requester).run(black_box(&parsed)))
    });
    group.bench_function("query", |b| {
        b.iter(|| black_box(&query).filter(black_box(&parsed)).len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
