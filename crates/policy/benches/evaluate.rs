//! Evaluation speed on realistic policies: a typical bucket policy, identity policies with
//! variables, and a bucket policy near S3's 20 KB limit. Run: `cargo bench -p s3pg-policy`.

#![expect(
    clippy::unwrap_used,
    reason = "benchmark setup parses fixed, known-good inputs"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use s3pg_policy::{NamedPolicy, Policy, PolicySet, Principal, RequestContext, evaluate};

const BUCKET_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Id": "PutObjPolicy",
  "Statement": [
    {"Sid": "DenyIncorrectEncryptionHeader", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
     "Resource": "arn:aws:s3:::examplebucket/*",
     "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}},
    {"Sid": "DenyUnEncryptedObjectUploads", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
     "Resource": "arn:aws:s3:::examplebucket/*",
     "Condition": {"Null": {"s3:x-amz-server-side-encryption": "true"}}},
    {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": ["arn:aws:s3:::examplebucket", "arn:aws:s3:::examplebucket/*"],
     "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Sid": "AllowPartner", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "arn:aws:iam::111122223333:role/App"]},
     "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::examplebucket/shared/*",
     "Condition": {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}, "StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}},
    {"Sid": "AllowVpce", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::examplebucket/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}
  ]
}"#;

const IDENTITY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ListHome", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::examplebucket",
     "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}}},
    {"Sid": "RwHome", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
     "Resource": "arn:aws:s3:::examplebucket/home/${aws:username}/*"}
  ]
}"#;

fn big_policy() -> String {
    let mut statements = Vec::new();
    let mut i = 0;
    loop {
        let s = format!(
            r#"{{"Sid": "Team{i}", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::1111222233{:02}:root"}}, "Action": ["s3:GetObject", "s3:GetObjectVersion"], "Resource": "arn:aws:s3:::examplebucket/teams/team-{i}/*", "Condition": {{"StringEquals": {{"aws:PrincipalTag/team": "team-{i}"}}}}}}"#,
            i % 100
        );
        statements.push(s);
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(",")
        );
        if text.len() > 19_500 {
            return text;
        }
        i += 1;
    }
}

fn bench(c: &mut Criterion) {
    let alice = Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap();
    let request = RequestContext::new(
        alice,
        "s3:PutObject",
        "arn:aws:s3:::examplebucket/home/alice/report.csv",
    )
    .with_resource_account("111122223333")
    .with_key("aws:SecureTransport", "true")
    .with_key("s3:x-amz-server-side-encryption", "AES256")
    .with_key("aws:SourceIp", "192.0.2.10");
    let set = PolicySet {
        identity_policies: vec![NamedPolicy::new("home", Policy::parse(IDENTITY).unwrap())],
        resource_policy: Some(NamedPolicy::new(
            "bucket policy",
            Policy::parse(BUCKET_POLICY).unwrap(),
        )),
        ..PolicySet::default()
    };
    c.bench_function("evaluate: identity + bucket policy (7 statements)", |b| {
        b.iter(|| evaluate(black_box(&request), black_box(&set)))
    });
    c.bench_function("parse: bucket policy (5 statements)", |b| {
        b.iter(|| Policy::parse(black_box(BUCKET_POLICY)))
    });

    let big = big_policy();
    let big_set = PolicySet {
        identity_policies: vec![NamedPolicy::new("home", Policy::parse(IDENTITY).unwrap())],
        resource_policy: Some(NamedPolicy::new(
            "bucket policy",
            Policy::parse(&big).unwrap(),
        )),
        ..PolicySet::default()
    };
    let partner = RequestContext::new(
        Principal::from_arn("arn:aws:iam::111122223399:user/bob").unwrap(),
        "s3:GetObject",
        "arn:aws:s3:::examplebucket/teams/team-99/plan.txt",
    )
    .with_resource_account("111122223333")
    .with_key("aws:PrincipalTag/team", "team-99");
    c.bench_function(
        &format!("evaluate: {} KB bucket policy", big.len() / 1024),
        |b| b.iter(|| evaluate(black_box(&partner), black_box(&big_set))),
    );
    c.bench_function(
        &format!("parse: {} KB bucket policy", big.len() / 1024),
        |b| b.iter(|| Policy::parse(black_box(&big))),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
