//! Proof for encryption at rest and audit: whatever the mode, the saved world never holds an
//! object's plaintext, and only the right key holder reads it back; delivered access-log lines
//! parse back field by field.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use proptest::prelude::*;
use s3pg_sim::{Caller, Operation, Request, Timestamp, World};
use serde_json::json;

const A: &str = "111122223333";
const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn world(seed: &str) -> World {
    let mut w: World = serde_json::from_value(json!({
        "entropy": {"seed": seed},
        "accounts": {A: {"users": {
            "alice": {"policies": [{"name": "all", "document": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:*", "kms:*"], "Resource": "*"}]}}]},
            "bob": {"policies": [{"name": "s3", "document": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}]}
        }}},
        "buckets": {
            "b": {"owner": A, "logging": {"targetBucket": "logs", "targetPrefix": "l/"}},
            "logs": {"owner": A, "policy": {"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*"}]}}
        },
        "kmsKeys": [{"account": A, "region": "us-east-1", "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab"}]
    }))
    .unwrap();
    w.normalize();
    w
}

fn user(name: &str) -> Caller {
    Caller::User {
        name: name.to_owned(),
        account: Some(A.to_owned()),
    }
}

#[derive(Debug, Clone)]
enum Mode {
    Default,
    SseS3,
    Kms,
    Dsse,
    SseC([u8; 32]),
}

fn ssec_headers(r: Request, key: &[u8; 32]) -> Request {
    let b64 = data_encoding::BASE64;
    r.header("x-amz-server-side-encryption-customer-algorithm", "AES256")
        .header(
            "x-amz-server-side-encryption-customer-key",
            &b64.encode(key),
        )
        .header(
            "x-amz-server-side-encryption-customer-key-MD5",
            &b64.encode(&md5_of(key)),
        )
}

fn md5_of(data: &[u8]) -> [u8; 16] {
    let hex = s3pg_crypto::checksum::md5_hex(data);
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

fn put(mode: &Mode, body: &str) -> Request {
    let r = Request::new(
        user("alice"),
        Operation::PutObject {
            bucket: "b".into(),
            key: "k".into(),
            body: body.into(),
        },
    );
    match mode {
        Mode::Default => r,
        Mode::SseS3 => r.header("x-amz-server-side-encryption", "AES256"),
        Mode::Kms => r
            .header("x-amz-server-side-encryption", "aws:kms")
            .header("x-amz-server-side-encryption-aws-kms-key-id", KEY_ARN),
        Mode::Dsse => r
            .header("x-amz-server-side-encryption", "aws:kms:dsse")
            .header("x-amz-server-side-encryption-aws-kms-key-id", KEY_ARN),
        Mode::SseC(k) => ssec_headers(r, k),
    }
}

fn get(who: &str) -> Request {
    Request::new(
        user(who),
        Operation::GetObject {
            bucket: "b".into(),
            key: "k".into(),
            version_id: None,
        },
    )
}

fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![
        Just(Mode::Default),
        Just(Mode::SseS3),
        Just(Mode::Kms),
        Just(Mode::Dsse),
        any::<[u8; 32]>().prop_map(Mode::SseC),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_mode_stores_plaintext_and_only_key_holders_read(
        mode in mode(),
        secret in "[A-Za-z0-9]{24,64}",
        other_key in any::<[u8; 32]>(),
        seed in "[a-z]{1,8}",
    ) {
        let body = format!("PLAINTEXT-{secret}");
        let mut w = world(&seed);
        let now = Timestamp(1_767_225_600);
        let o = w.handle(&put(&mode, &body), now);
        prop_assert_eq!(o.status, 200, "{:?}", o.error);

        // What S3 keeps: the saved world holds no trace of the plaintext.
        let saved = serde_json::to_string(&w).unwrap();
        prop_assert!(!saved.contains(&secret), "plaintext found in the saved world");
        let stored = w.buckets["b"].objects["k"].current().unwrap().clone();
        prop_assert!(stored.body.is_empty());
        prop_assert!(stored.sealed.is_some());
        prop_assert_eq!(stored.size(), body.len());

        // Who can read it back.
        match &mode {
            Mode::SseC(k) => {
                let right = w.handle(&ssec_headers(get("alice"), k), now);
                prop_assert_eq!(right.body.unwrap()["Body"].as_str().map(str::to_owned), Some(body.clone()));
                let missing = w.handle(&get("alice"), now);
                prop_assert_eq!(missing.status, 400);
                if other_key != *k {
                    let wrong = w.handle(&ssec_headers(get("alice"), &other_key), now);
                    prop_assert_eq!(wrong.status, 403);
                }
            }
            Mode::Kms | Mode::Dsse => {
                let alice = w.handle(&get("alice"), now);
                prop_assert_eq!(alice.body.unwrap()["Body"].as_str().map(str::to_owned), Some(body.clone()));
                // bob has s3:* but no kms:Decrypt: S3 allows, KMS refuses.
                let bob = w.handle(&get("bob"), now);
                prop_assert_eq!(bob.status, 403);
                prop_assert!(bob.body.is_none());
            }
            Mode::Default | Mode::SseS3 => {
                for who in ["alice", "bob"] {
                    let r = w.handle(&get(who), now);
                    prop_assert_eq!(r.body.unwrap()["Body"].as_str().map(str::to_owned), Some(body.clone()));
                }
            }
        }

        // The access-log objects S3 delivers are encrypted too, and their lines parse back.
        let later = Timestamp(now.0 + 3600);
        w.advance(later);
        prop_assert!(!w.access_log_lines.is_empty());
        let saved = serde_json::to_string(&w.buckets["logs"]).unwrap();
        prop_assert!(!saved.contains("REST.PUT.OBJECT"), "a log object was stored in plaintext");
    }
}

#[test]
fn delivered_access_log_lines_parse_back_field_by_field() {
    let mut w = world("logs");
    let now = Timestamp(1_767_225_600);
    assert_eq!(w.handle(&put(&Mode::Default, "hello"), now).status, 200);
    let denied = w.handle(
        &Request::new(
            Caller::Anonymous,
            Operation::GetObject {
                bucket: "b".into(),
                key: "k".into(),
                version_id: None,
            },
        ),
        now.plus(1),
    );
    assert_eq!(denied.status, 403);
    let steps = w.advance(now.plus(3600));
    assert!(!steps.is_empty(), "nothing was delivered");
    let records: Vec<_> = w
        .access_log_lines
        .iter()
        .map(|l| s3pg_audit::AccessLogRecord::parse(l).expect(l))
        .collect();
    assert_eq!(records.len(), 2, "{:?}", w.access_log_lines);
    let put_line = &records[0];
    assert_eq!(put_line.bucket.as_deref(), Some("b"));
    assert_eq!(put_line.operation.as_deref(), Some("REST.PUT.OBJECT"));
    assert_eq!(put_line.key.as_deref(), Some("k"));
    assert_eq!(put_line.http_status, Some(200));
    let get_line = &records[1];
    assert_eq!(get_line.operation.as_deref(), Some("REST.GET.OBJECT"));
    assert_eq!(get_line.http_status, Some(403));
    assert_eq!(get_line.error_code.as_deref(), Some("AccessDenied"));
    assert_eq!(
        get_line.requester, None,
        "anonymous requesters are written `-`"
    );
    // Each line formats back to itself.
    for (line, r) in w.access_log_lines.iter().zip(&records) {
        assert_eq!(&r.format(), line);
    }
}

#[test]
fn injected_randomness_changes_the_ciphertext_but_not_the_plaintext() {
    let now = Timestamp(1_767_225_600);
    let mut sealed = Vec::new();
    for bytes in [[1u8; 32], [2u8; 32]] {
        let mut w = world("ignored");
        w.entropy = s3pg_sim::world::WorldEntropy::from_random(&bytes);
        assert_eq!(w.handle(&put(&Mode::SseS3, "same body"), now).status, 200);
        let r = w.handle(&get("alice"), now);
        assert_eq!(r.body.unwrap()["Body"], "same body");
        let v = w.buckets["b"].objects["k"].current().unwrap();
        sealed.push(v.sealed.as_ref().unwrap().ciphertext().to_base64());
    }
    assert_ne!(
        sealed[0], sealed[1],
        "different randomness, different ciphertext"
    );
    // The same randomness reproduces the same world.
    let mut a = world("seed");
    let mut b = world("seed");
    a.handle(&put(&Mode::SseS3, "x"), now);
    b.handle(&put(&Mode::SseS3, "x"), now);
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        serde_json::to_value(&b).unwrap()
    );
}
