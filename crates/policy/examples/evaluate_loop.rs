//! Runs the benchmark's 7-statement evaluation in a loop, for profilers that count
//! instructions (`valgrind --tool=callgrind`), which a shared, loaded machine does not disturb.
//! Run: `cargo build --profile bench -p s3pg-policy --example evaluate_loop` then
//! `valgrind --tool=callgrind target/release/examples/evaluate_loop 1000`.

#![expect(
    clippy::unwrap_used,
    reason = "profiling setup parses fixed, known-good inputs"
)]

use std::hint::black_box;

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

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let parse_only = std::env::args().nth(2).is_some_and(|a| a == "parse");
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
    let start = std::time::Instant::now();
    let mut allowed = 0usize;
    for _ in 0..n {
        if parse_only {
            allowed += black_box(Policy::parse(black_box(BUCKET_POLICY)))
                .map_or(0, |p| p.statements.len());
        } else if evaluate(black_box(&request), black_box(&set)).decision
            == s3pg_policy::Decision::Allow
        {
            allowed += 1;
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / n.max(1) as f64;
    println!("{n} runs, {per:.2} µs each ({allowed})");
}
