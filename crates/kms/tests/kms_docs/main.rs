//! Behaviour tests of the simulated KMS, each citing the KMS or S3 documentation it encodes.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions should stop at the first failure"
)]

use s3pg_crypto::{EncryptionContext, SeededEntropy};
use s3pg_kms::{
    AWS_S3_ALIAS, BucketKeyCache, Caller, CreateKeyInput, KeyDeclaration, KeyManager, KeyState,
    Kms, KmsError, aws_managed_s3_key_policy,
};
use s3pg_policy::{Decision, Layer, Policy};

mod access;
mod lifecycle;

const A: &str = "111122223333";
const B: &str = "444455556666";
const REGION: &str = "us-east-1";
const NOW: u64 = 1_700_000_000;
const DAY: u64 = 86_400;

fn e() -> SeededEntropy {
    SeededEntropy::from_seed(b"kms tests")
}

fn caller(arn: &str) -> Caller {
    Caller::from_arn(arn, REGION, NOW).unwrap()
}

fn root(account: &str) -> Caller {
    caller(&format!("arn:aws:iam::{account}:root"))
}

fn alice() -> Caller {
    caller(&format!("arn:aws:iam::{A}:user/alice"))
}

fn iam(actions: &[&str], resource: &str) -> Policy {
    let actions: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
    Policy::parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"{resource}"}}]}}"#,
        actions.join(",")
    ))
    .unwrap()
}

fn deny(action: &str) -> Policy {
    Policy::parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":"{action}","Resource":"*"}}]}}"#
    ))
    .unwrap()
}

fn ctx(object: &str) -> EncryptionContext {
    EncryptionContext::s3_arn(&format!("arn:aws:s3:::sim-bucket/{object}"))
}

/// A customer managed key of account A with the default key policy.
fn kms_with_default_key() -> (Kms, String, SeededEntropy) {
    let mut e = e();
    let mut kms = Kms::new();
    let meta = kms
        .create_key(&root(A), &CreateKeyInput::default(), &mut e)
        .into_result()
        .unwrap();
    (kms, meta.arn, e)
}

fn key_with_policy(policy: &str) -> (Kms, String, SeededEntropy) {
    let mut e = e();
    let mut kms = Kms::new();
    let arn = kms
        .declare_key(
            &KeyDeclaration {
                account: A.into(),
                region: REGION.into(),
                key_id: None,
                description: "app".into(),
                policy: Some(policy.into()),
                aliases: vec!["alias/app".into()],
                enabled: true,
                rotation_enabled: false,
                creation_date: NOW,
                tags: Default::default(),
            },
            &mut e,
        )
        .unwrap();
    (kms, arn, e)
}

// KMS DG encrypt_context.html: decrypting needs exactly the same encryption context.
#[test]
fn encryption_context_mismatch_is_invalid_ciphertext() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = root(A);
    let grant = kms
        .generate_data_key_for_s3(&r, Some(&arn), &ctx("a"), &mut e)
        .into_result()
        .unwrap();
    for wrong in [
        ctx("b"),
        EncryptionContext::new(),
        ctx("a").with("extra", "pair"),
    ] {
        let d = kms.decrypt_for_s3(&r, &grant.encrypted_data_key, &wrong);
        let err = d.error().unwrap();
        assert_eq!(err.code(), "InvalidCiphertextException");
        assert_eq!(err.aws_message(), "");
        assert_eq!(err.to_s3_error().code, "KMS.InvalidCiphertextException");
    }
}

// KMS API Decrypt: KeyId, when given, must name the key that encrypted the ciphertext.
#[test]
fn decrypt_with_another_key_id_is_incorrect_key() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = root(A);
    let other = kms
        .create_key(&r, &CreateKeyInput::default(), &mut e)
        .into_result()
        .unwrap();
    let enc = kms
        .encrypt(&r, &arn, b"secret", &ctx("a"), &mut e)
        .into_result()
        .unwrap();
    let d = kms.decrypt(&r, &enc.ciphertext_blob, &ctx("a"), Some(&other.arn));
    assert_eq!(d.error().unwrap().code(), "IncorrectKeyException");
    let ok = kms
        .decrypt(&r, &enc.ciphertext_blob, &ctx("a"), Some(&arn))
        .into_result()
        .unwrap();
    assert_eq!(ok.plaintext, b"secret");
}

// KMS API Encrypt / ReEncrypt.
#[test]
fn encrypt_decrypt_and_re_encrypt() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = root(A);
    let other = kms
        .create_key(&r, &CreateKeyInput::default(), &mut e)
        .into_result()
        .unwrap();
    let enc = kms
        .encrypt(&r, &arn, b"hello", &ctx("a"), &mut e)
        .into_result()
        .unwrap();
    let re = kms
        .re_encrypt(
            &r,
            &enc.ciphertext_blob,
            &ctx("a"),
            &other.arn,
            &ctx("b"),
            &mut e,
        )
        .into_result()
        .unwrap();
    assert_eq!(re.source_key_id, arn);
    assert_eq!(re.key_id, other.arn);
    let back = kms
        .decrypt(&r, &re.ciphertext_blob, &ctx("b"), None)
        .into_result()
        .unwrap();
    assert_eq!(back.plaintext, b"hello");
    assert_eq!(
        kms.encrypt(&r, &arn, &[0; 4097], &ctx("a"), &mut e)
            .error()
            .unwrap()
            .code(),
        "ValidationException"
    );
}

// KMS DG logging-using-cloudtrail.html: what a GenerateDataKey record carries.
#[test]
fn every_call_carries_its_cloudtrail_facts() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = kms.generate_data_key_for_s3(&alice(), Some(&arn), &ctx("a"), &mut e);
    let ev = &r.event;
    assert_eq!(ev.event_source, "kms.amazonaws.com");
    assert_eq!(ev.event_name, "GenerateDataKey");
    assert_eq!(ev.aws_region, REGION);
    assert_eq!(ev.request_parameters["keyId"], arn.as_str());
    assert_eq!(
        ev.request_parameters["encryptionContext"]["aws:s3:arn"],
        "arn:aws:s3:::sim-bucket/a"
    );
    assert_eq!(ev.resources[0].arn, arn);
    assert_eq!(ev.resources[0].resource_type, "AWS::KMS::Key");
    assert_eq!(
        ev.via_service.as_deref(),
        Some("s3.us-east-1.amazonaws.com")
    );
    assert_eq!(ev.error_code.as_deref(), Some("AccessDeniedException"));
    assert!(ev.management_event);
    assert!(!ev.read_only);
    assert!(r.doc_url.ends_with("API_GenerateDataKey.html"));
    let json = serde_json::to_value(ev).unwrap();
    assert_eq!(json["eventSource"], "kms.amazonaws.com");
}

// S3 UG bucket-key.html: one bucket-level key per KMS key and requester, reused for a while,
// with the bucket ARN as encryption context.
#[test]
fn bucket_keys_cut_kms_calls_per_requester_and_expire() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let bucket = "arn:aws:s3:::sim-bucket";
    let mut cache = BucketKeyCache::new(3600);
    let writer = root(A);

    let first = cache.data_key_for_new_object(
        &mut kms,
        &writer,
        Some(&arn),
        bucket,
        "arn:aws:s3:::sim-bucket/1",
        &mut e,
    );
    assert!(first.kms_called);
    let ev = first.event.as_ref().unwrap();
    assert_eq!(
        ev.request_parameters["encryptionContext"]["aws:s3:arn"],
        bucket
    );
    let first = first.result.unwrap();

    let second = cache.data_key_for_new_object(
        &mut kms,
        &writer,
        Some(&arn),
        bucket,
        "arn:aws:s3:::sim-bucket/2",
        &mut e,
    );
    assert!(!second.kms_called, "{:?}", second.trace);
    let second = second.result.unwrap();
    assert_ne!(first.data_key, second.data_key);
    assert_eq!(first.encrypted_bucket_key, second.encrypted_bucket_key);

    // Another requester gets its own bucket-level key (its access is checked and logged).
    let reader = alice().with_identity_policy("use", iam(&["kms:*"], &arn));
    let mut read_cache = cache.clone();
    let read = read_cache.data_key_for_existing_object(
        &mut kms,
        &reader,
        &first.encrypted_bucket_key,
        &first.encrypted_data_key,
        bucket,
        "arn:aws:s3:::sim-bucket/1",
    );
    assert!(read.kms_called);
    assert_eq!(read.result.unwrap(), first.data_key);
    // The writer still holds it: no call.
    let own = cache.data_key_for_existing_object(
        &mut kms,
        &writer,
        &second.encrypted_bucket_key,
        &second.encrypted_data_key,
        bucket,
        "arn:aws:s3:::sim-bucket/2",
    );
    assert!(!own.kms_called);
    assert_eq!(own.result.unwrap(), second.data_key);

    // After the time-to-live, S3 asks KMS again.
    let later = Caller {
        now: NOW + 3600,
        ..writer
    };
    let third = cache.data_key_for_new_object(
        &mut kms,
        &later,
        Some(&arn),
        bucket,
        "arn:aws:s3:::sim-bucket/3",
        &mut e,
    );
    assert!(third.kms_called);

    // A requester KMS refuses gets S3's AccessDenied, cache or not.
    let stranger = caller(&format!("arn:aws:iam::{A}:user/mallory"));
    let refused = cache.data_key_for_new_object(
        &mut kms,
        &stranger,
        Some(&arn),
        bucket,
        "arn:aws:s3:::sim-bucket/4",
        &mut e,
    );
    assert_eq!(refused.result.unwrap_err().to_s3_error().status, 403);
}

// Scenarios declare keys: the store round-trips through JSON.
#[test]
fn the_store_round_trips_through_json_and_keys_can_be_declared() {
    let decl: KeyDeclaration = serde_json::from_str(&format!(
        r#"{{"account":"{A}","region":"{REGION}","key_id":"1234abcd-12ab-34cd-56ef-1234567890ab","aliases":["alias/app"],"enabled":false}}"#
    ))
    .unwrap();
    let mut e = e();
    let mut kms = Kms::new();
    let arn = kms.declare_key(&decl, &mut e).unwrap();
    assert_eq!(
        arn,
        format!("arn:aws:kms:{REGION}:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    );
    let json = serde_json::to_string(&kms).unwrap();
    let back: Kms = serde_json::from_str(&json).unwrap();
    assert_eq!(back, kms);
    assert_eq!(back.key(&arn).unwrap().state, KeyState::Disabled);
    assert!(
        serde_json::from_str::<KeyDeclaration>(r#"{"account":"1","region":"r","colour":"red"}"#)
            .is_err()
    );
}

// House style: errors a learner reads are lowercase sentences without a final period.
#[test]
fn kms_errors_read_as_learner_sentences() {
    let errors = [
        KmsError::Disabled {
            key_arn: "arn:aws:kms:us-east-1:111122223333:key/k".into(),
        },
        KmsError::InvalidState {
            message: "arn:aws:kms:us-east-1:111122223333:key/k is pending deletion.".into(),
        },
        KmsError::InvalidCiphertext,
        KmsError::IncorrectKey,
        KmsError::NotFound {
            message: "Invalid keyId 'x'".into(),
        },
        KmsError::MalformedPolicyDocument {
            message:
                "The new key policy will not allow you to update the key policy in the future."
                    .into(),
            details: vec![],
        },
    ];
    for err in errors {
        let text = err.to_string();
        assert!(text.starts_with(|c: char| c.is_lowercase()), "{text}");
        assert!(!text.ends_with('.'), "{text}");
        assert_eq!(err.status(), 400);
        assert!(err.help().is_some(), "{}", err.code());
        assert!(
            err.doc_url()
                .starts_with("https://docs.aws.amazon.com/kms/")
        );
    }
}

// The UI shows responses as JSON: decision, trace, CloudTrail facts and the error.
#[test]
fn responses_serialise_for_the_ui() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = kms.generate_data_key_for_s3(&alice(), Some(&arn), &ctx("a"), &mut e);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["operation"], "GenerateDataKey");
    assert_eq!(json["result"]["Err"]["code"], "AccessDeniedException");
    assert_eq!(json["authorization"]["decision"], "ImplicitDeny");
    assert!(json["trace"].as_array().unwrap().len() >= 3);
    assert_eq!(json["event"]["errorCode"], "AccessDeniedException");
}
