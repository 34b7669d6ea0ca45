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

// KMS DG key-policy-default.html#key-policy-default-allow-root-enable-iam: the default key
// policy's account statement lets IAM policies grant access; without an IAM grant, a user has none.
#[test]
fn default_key_policy_lets_iam_policies_grant_access() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let denied = kms.generate_data_key(&alice(), &arn, &ctx("a"), &mut e);
    let err = denied.error().unwrap();
    assert_eq!(err.code(), "AccessDeniedException");
    assert_eq!(err.status(), 400);
    assert_eq!(
        err.aws_message(),
        format!(
            "User: arn:aws:iam::{A}:user/alice is not authorized to perform: kms:GenerateDataKey on resource: {arn} because no identity-based policy allows the kms:GenerateDataKey action"
        )
    );

    let allowed_alice = alice().with_identity_policy(
        "kms-use",
        iam(&["kms:GenerateDataKey", "kms:Decrypt"], &arn),
    );
    let ok = kms.generate_data_key(&allowed_alice, &arn, &ctx("a"), &mut e);
    assert!(ok.is_ok(), "{:?}", ok.trace);
    let auth = ok.authorization.unwrap();
    assert_eq!(auth.decision, Decision::Allow);
    assert!(
        ok.trace
            .iter()
            .any(|t| t.contains("IAM policies in account 111122223333 can grant it"))
    );
}

// KMS DG key-policies.html: "Unless the key policy explicitly allows it, you cannot use IAM policies
// to allow access to a KMS key" — not even for the account's root user.
#[test]
fn key_policy_without_the_account_statement_makes_iam_policies_irrelevant() {
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[
          {{"Sid":"KeyAdmin","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{A}:role/KeyAdmin"}},"Action":"kms:*","Resource":"*"}}]}}"#
    );
    let (mut kms, arn, mut e) = key_with_policy(&policy);
    let generous = alice().with_identity_policy("all-kms", iam(&["kms:*"], "*"));
    let r = kms.generate_data_key(&generous, &arn, &ctx("a"), &mut e);
    let err = r.error().unwrap();
    assert!(
        err.aws_message()
            .ends_with("because no resource-based policy allows the kms:GenerateDataKey action"),
        "{}",
        err.aws_message()
    );
    let auth = r.authorization.as_ref().unwrap();
    assert_eq!(auth.decision, Decision::ImplicitDeny);
    assert_eq!(auth.denial.unwrap().layer, Layer::Resource);
    let checks: Vec<&str> = auth.gates.iter().map(|g| g.check.as_str()).collect();
    assert_eq!(checks, ["explicit deny", "key policy", "grant"]);
    assert!(
        auth.gates
            .iter()
            .any(|g| g.check == "key policy" && !g.passed)
    );
    assert!(
        r.trace
            .iter()
            .any(|t| t.contains("IAM policies cannot grant it"))
    );

    // Root is no exception.
    let r = kms.describe_key(&root(A), &arn);
    assert_eq!(r.error().unwrap().code(), "AccessDeniedException");

    // The role the key policy names directly needs no IAM policy at all.
    let admin = caller(&format!("arn:aws:sts::{A}:assumed-role/KeyAdmin/s1"));
    assert!(
        kms.generate_data_key(&admin, &arn, &ctx("a"), &mut e)
            .is_ok()
    );
}

// KMS DG key-policy-modifying-external-accounts.html: cross-account use needs the key policy to
// allow the other account and an IAM policy in that account to allow the action on the key ARN.
#[test]
fn cross_account_use_needs_both_the_key_policy_and_the_callers_iam_policy() {
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[
          {{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{A}:root"}},"Action":"kms:*","Resource":"*"}},
          {{"Sid":"OtherAccount","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{B}:root"}},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}}]}}"#
    );
    let (mut kms, arn, mut e) = key_with_policy(&policy);
    let bob = caller(&format!("arn:aws:iam::{B}:user/bob"));

    let r = kms.generate_data_key(&bob, &arn, &ctx("a"), &mut e);
    let err = r.error().unwrap();
    assert!(
        err.aws_message()
            .contains("because no identity-based policy allows")
    );
    // S3 hides the details from another account's caller.
    let s3 = err.to_s3_error();
    assert_eq!(
        (s3.status, s3.code.as_str(), s3.message.as_str()),
        (403, "AccessDenied", "Access Denied")
    );

    let bob_iam = bob
        .clone()
        .with_identity_policy("use-a-key", iam(&["kms:GenerateDataKey"], &arn));
    assert!(
        kms.generate_data_key(&bob_iam, &arn, &ctx("a"), &mut e)
            .is_ok()
    );

    // A key id or alias name never reaches another account: it is looked up in bob's own account.
    let key_id = arn.rsplit('/').next().unwrap();
    let r = kms.generate_data_key(&bob_iam, key_id, &ctx("a"), &mut e);
    assert_eq!(r.error().unwrap().code(), "NotFoundException");
    assert_eq!(
        r.error().unwrap().aws_message(),
        format!("Key 'arn:aws:kms:{REGION}:{B}:key/{key_id}' does not exist")
    );

    // The key policy not naming B: bob's IAM policy alone is not enough.
    let (mut kms2, arn2, mut e2) = kms_with_default_key();
    let bob_iam2 = bob.with_identity_policy("use-a-key", iam(&["kms:GenerateDataKey"], &arn2));
    let r = kms2.generate_data_key(&bob_iam2, &arn2, &ctx("a"), &mut e2);
    assert!(
        r.error()
            .unwrap()
            .aws_message()
            .ends_with("because no resource-based policy allows the kms:GenerateDataKey action")
    );
}

// KMS DG concepts.html#aws-managed-key and the aws/s3 key policy: usable by anyone of the
// account, only through S3 (kms:ViaService), never by another account (kms:CallerAccount).
#[test]
fn aws_managed_s3_key_is_usable_only_through_s3_and_only_by_its_account() {
    let mut e = e();
    let mut kms = Kms::new();
    // No kms permission in IAM at all: the aws/s3 key policy grants every principal of the account.
    let grant = kms
        .generate_data_key_for_s3(&alice(), None, &ctx("a"), &mut e)
        .into_result()
        .unwrap();
    assert!(grant.created_aws_managed_key);
    let key = kms.key(&grant.key_arn).unwrap();
    assert_eq!(key.key_manager, KeyManager::Aws);
    assert_eq!(key.policy.text(), aws_managed_s3_key_policy(A, REGION));
    assert!(key.rotation_enabled);
    assert_eq!(
        kms.decrypt_for_s3(&alice(), &grant.encrypted_data_key, &ctx("a"))
            .into_result()
            .unwrap(),
        grant.plaintext
    );
    // Second use: same key, not created again.
    let again = kms
        .generate_data_key_for_s3(&alice(), Some(AWS_S3_ALIAS), &ctx("b"), &mut e)
        .into_result()
        .unwrap();
    assert_eq!(again.key_arn, grant.key_arn);
    assert!(!again.created_aws_managed_key);

    // Directly (not through S3): refused.
    let direct = kms.decrypt(&alice(), &grant.encrypted_data_key, &ctx("a"), None);
    assert_eq!(direct.error().unwrap().code(), "AccessDeniedException");

    // Another account's user reading the object through S3: refused by kms:CallerAccount.
    let bob = caller(&format!("arn:aws:iam::{B}:user/bob"))
        .with_identity_policy("all", iam(&["kms:*"], "*"));
    let r = kms.decrypt_for_s3(&bob, &grant.encrypted_data_key, &ctx("a"));
    assert_eq!(r.error().unwrap().to_s3_error().code, "AccessDenied");

    // Nobody can change the policy of an AWS managed key; the account may read it.
    let r = kms.put_key_policy(
        &root(A),
        &grant.key_arn,
        &s3pg_kms::default_key_policy(A),
        false,
    );
    assert_eq!(r.error().unwrap().code(), "AccessDeniedException");
    assert!(kms.get_key_policy(&root(A), &grant.key_arn).is_ok());
    assert!(kms.describe_key(&root(A), AWS_S3_ALIAS).is_ok());
}

// S3 UG bucket-key.html / §6.3: an uploader from another account using aws/s3 gets *its own*
// account's aws/s3 key, which the bucket owner can never use.
#[test]
fn aws_s3_is_the_requesters_account_key() {
    let mut e = e();
    let mut kms = Kms::new();
    let bob = caller(&format!("arn:aws:iam::{B}:user/bob"));
    let grant = kms
        .generate_data_key_for_s3(&bob, None, &ctx("from-bob"), &mut e)
        .into_result()
        .unwrap();
    assert!(grant.key_arn.contains(B));
    let r = kms.decrypt_for_s3(&root(A), &grant.encrypted_data_key, &ctx("from-bob"));
    assert_eq!(r.error().unwrap().code(), "AccessDeniedException");
}

// KMS DG key-state.html: a disabled key cannot be used; enabling it restores use.
#[test]
fn disabled_key_refuses_generate_and_decrypt_until_enabled() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = root(A);
    let grant = kms
        .generate_data_key_for_s3(&r, Some(&arn), &ctx("a"), &mut e)
        .into_result()
        .unwrap();
    assert!(kms.disable_key(&r, &arn).is_ok());
    assert_eq!(kms.key(&arn).unwrap().state, KeyState::Disabled);

    let g = kms.generate_data_key_for_s3(&r, Some(&arn), &ctx("b"), &mut e);
    let err = g.error().unwrap();
    assert_eq!(err.code(), "DisabledException");
    assert_eq!(err.aws_message(), format!("{arn} is disabled."));
    let s3 = err.to_s3_error();
    assert_eq!(
        (s3.status, s3.code.as_str()),
        (400, "KMS.DisabledException")
    );
    assert_eq!(s3.message, format!("{arn} is disabled."));

    let d = kms.decrypt_for_s3(&r, &grant.encrypted_data_key, &ctx("a"));
    assert_eq!(d.error().unwrap().code(), "DisabledException");
    // DescribeKey still works on a disabled key.
    assert_eq!(
        kms.describe_key(&r, &arn).into_result().unwrap().key_state,
        "Disabled"
    );

    assert!(kms.enable_key(&r, &arn).is_ok());
    assert!(
        kms.decrypt_for_s3(&r, &grant.encrypted_data_key, &ctx("a"))
            .is_ok()
    );
}

// KMS DG deleting-keys.html: pending deletion makes the key unusable; cancelling leaves it
// disabled; when the waiting period ends the key is gone and its ciphertexts are lost.
#[test]
fn pending_deletion_refuses_use_and_deletion_loses_the_data() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = root(A);
    let grant = kms
        .generate_data_key_for_s3(&r, Some(&arn), &ctx("a"), &mut e)
        .into_result()
        .unwrap();

    let bad = kms.schedule_key_deletion(&r, &arn, Some(5));
    assert_eq!(bad.error().unwrap().code(), "ValidationException");

    let s = kms
        .schedule_key_deletion(&r, &arn, Some(7))
        .into_result()
        .unwrap();
    assert_eq!(s.deletion_date, NOW + 7 * DAY);
    let g = kms.generate_data_key_for_s3(&r, Some(&arn), &ctx("b"), &mut e);
    let err = g.error().unwrap();
    assert_eq!(err.code(), "KMSInvalidStateException");
    assert_eq!(err.aws_message(), format!("{arn} is pending deletion."));
    assert_eq!(err.to_s3_error().code, "KMS.KMSInvalidStateException");
    assert_eq!(
        kms.schedule_key_deletion(&r, &arn, None)
            .error()
            .unwrap()
            .code(),
        "KMSInvalidStateException"
    );

    assert!(kms.cancel_key_deletion(&r, &arn).is_ok());
    assert_eq!(kms.key(&arn).unwrap().state, KeyState::Disabled);
    assert_eq!(
        kms.cancel_key_deletion(&r, &arn).error().unwrap().code(),
        "KMSInvalidStateException"
    );

    kms.schedule_key_deletion(&r, &arn, Some(7))
        .into_result()
        .unwrap();
    let happened = kms.advance(NOW + 8 * DAY, &mut e);
    assert!(happened.iter().any(|h| h.contains("was deleted")));
    assert!(kms.key(&arn).is_none());
    let later = Caller {
        now: NOW + 8 * DAY,
        ..r
    };
    let d = kms.decrypt_for_s3(&later, &grant.encrypted_data_key, &ctx("a"));
    assert_eq!(d.error().unwrap().code(), "AccessDeniedException");
    assert_eq!(
        kms.describe_key(&later, &arn).error().unwrap().code(),
        "NotFoundException"
    );
}

// KMS DG rotate-keys.html: rotation adds key material; the key id stays and older ciphertexts
// still decrypt.
#[test]
fn rotation_keeps_old_data_decryptable() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = root(A);
    let before = kms
        .generate_data_key(&r, &arn, &ctx("old"), &mut e)
        .into_result()
        .unwrap();
    assert_eq!(before.ciphertext_blob.key_version, 1);

    assert_eq!(
        kms.rotate_key_on_demand(&r, &arn, &mut e)
            .into_result()
            .unwrap(),
        arn
    );
    let after = kms
        .generate_data_key(&r, &arn, &ctx("new"), &mut e)
        .into_result()
        .unwrap();
    assert_eq!(after.ciphertext_blob.key_version, 2);

    let old = kms
        .decrypt(&r, &before.ciphertext_blob, &ctx("old"), None)
        .into_result()
        .unwrap();
    assert_eq!(old.plaintext, before.plaintext.as_bytes().to_vec());

    // Automatic rotation: due one period after it is enabled.
    assert_eq!(
        kms.enable_key_rotation(&r, &arn, Some(30))
            .error()
            .unwrap()
            .code(),
        "ValidationException"
    );
    kms.enable_key_rotation(&r, &arn, Some(90))
        .into_result()
        .unwrap();
    assert!(kms.advance(NOW + 89 * DAY, &mut e).is_empty());
    let events = kms.advance(NOW + 91 * DAY, &mut e);
    assert_eq!(events.len(), 1, "{events:?}");
    let status = kms.get_key_rotation_status(&r, &arn).into_result().unwrap();
    assert!(status.key_rotation_enabled);
    assert_eq!(status.rotations, vec![(2, NOW), (3, NOW + 90 * DAY)]);
    assert_eq!(status.next_rotation_date, Some(NOW + 180 * DAY));
    assert!(
        kms.decrypt(&r, &before.ciphertext_blob, &ctx("old"), None)
            .is_ok()
    );
    assert!(
        kms.decrypt(&r, &after.ciphertext_blob, &ctx("new"), None)
            .is_ok()
    );
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

// IAM evaluation logic: an explicit deny in an identity policy overrides the key policy's allow.
#[test]
fn explicit_deny_in_iam_overrides_the_key_policy() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let denied = alice()
        .with_identity_policy("allow", iam(&["kms:*"], "*"))
        .with_identity_policy("deny", deny("kms:Decrypt"));
    let grant = kms
        .generate_data_key(&denied, &arn, &ctx("a"), &mut e)
        .into_result()
        .unwrap();
    let d = kms.decrypt(&denied, &grant.ciphertext_blob, &ctx("a"), None);
    assert!(
        d.error()
            .unwrap()
            .aws_message()
            .ends_with("with an explicit deny in an identity-based policy"),
        "{}",
        d.error().unwrap().aws_message()
    );
    assert_eq!(d.authorization.unwrap().decision, Decision::ExplicitDeny);
    // Same account: S3 shows the detailed message.
    let s3 = d.result.unwrap_err().to_s3_error();
    assert_eq!(s3.status, 403);
    assert!(
        s3.message
            .starts_with("User: arn:aws:iam::111122223333:user/alice")
    );
}

// KMS DG key-policy-default.html#prevent-unmanageable-key: the lockout safety check.
#[test]
fn put_key_policy_validates_and_runs_the_lockout_safety_check() {
    let (mut kms, arn, _) = kms_with_default_key();
    let r = root(A);
    let malformed = kms.put_key_policy(
        &r,
        &arn,
        "{\"Version\": \"2012-10-17\", \"Statement\": [",
        false,
    );
    let err = malformed.error().unwrap();
    assert_eq!(err.code(), "MalformedPolicyDocumentException");
    assert!(
        matches!(err, KmsError::MalformedPolicyDocument { details, .. } if !details.is_empty())
    );

    let no_principal = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}"#;
    assert_eq!(
        kms.put_key_policy(&r, &arn, no_principal, false)
            .error()
            .unwrap()
            .code(),
        "MalformedPolicyDocumentException"
    );

    let lockout = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{A}:role/App"}},"Action":"kms:Decrypt","Resource":"*"}}]}}"#
    );
    let refused = kms.put_key_policy(&r, &arn, &lockout, false);
    assert_eq!(
        refused.error().unwrap().aws_message(),
        "The new key policy will not allow you to update the key policy in the future."
    );
    assert_eq!(
        kms.get_key_policy(&r, &arn).into_result().unwrap(),
        s3pg_kms::default_key_policy(A)
    );

    // Bypassing the check works, and then even root is locked out.
    assert!(kms.put_key_policy(&r, &arn, &lockout, true).is_ok());
    assert_eq!(
        kms.put_key_policy(&r, &arn, &s3pg_kms::default_key_policy(A), false)
            .error()
            .unwrap()
            .code(),
        "AccessDeniedException"
    );

    // CreateKey with a policy runs the same check.
    let mut e = e();
    let c = kms.create_key(
        &r,
        &CreateKeyInput {
            policy: Some(lockout),
            ..CreateKeyInput::default()
        },
        &mut e,
    );
    assert_eq!(
        c.error().unwrap().code(),
        "MalformedPolicyDocumentException"
    );
}

// KMS DG kms-alias.html: aliases resolve in the caller's account and Region.
#[test]
fn aliases_resolve_and_are_checked() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = root(A);
    assert!(kms.create_alias(&r, "alias/orders", &arn).is_ok());
    let out = kms
        .generate_data_key(&r, "alias/orders", &ctx("a"), &mut e)
        .into_result()
        .unwrap();
    assert_eq!(out.key_id, arn);
    let by_arn = format!("arn:aws:kms:{REGION}:{A}:alias/orders");
    assert!(kms.describe_key(&r, &by_arn).is_ok());

    assert_eq!(
        kms.create_alias(&r, "alias/orders", &arn)
            .error()
            .unwrap()
            .code(),
        "AlreadyExistsException"
    );
    assert_eq!(
        kms.create_alias(&r, "alias/aws/mine", &arn)
            .error()
            .unwrap()
            .code(),
        "InvalidAliasNameException"
    );
    assert_eq!(
        kms.create_alias(&r, "orders", &arn).error().unwrap().code(),
        "InvalidAliasNameException"
    );
    let missing = kms.describe_key(&r, "alias/nope");
    assert_eq!(
        missing.error().unwrap().aws_message(),
        format!("Alias arn:aws:kms:{REGION}:{A}:alias/nope is not found.")
    );
    assert_eq!(
        kms.describe_key(&r, "fake-key-id")
            .error()
            .unwrap()
            .aws_message(),
        "Invalid keyId 'fake-key-id'"
    );
    // S3 passes NotFound on as KMS.NotFoundException.
    let s3 = kms
        .generate_data_key_for_s3(&r, Some("alias/nope"), &ctx("a"), &mut e)
        .result
        .unwrap_err()
        .to_s3_error();
    assert_eq!(
        (s3.status, s3.code.as_str()),
        (400, "KMS.NotFoundException")
    );
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

// KMS API CreateKey: authorized by IAM policies alone (there is no key policy yet).
#[test]
fn create_key_is_authorized_by_iam_and_returns_key_metadata() {
    let mut e = e();
    let mut kms = Kms::new();
    let r = kms.create_key(&alice(), &CreateKeyInput::default(), &mut e);
    assert_eq!(
        r.error().unwrap().aws_message(),
        format!(
            "User: arn:aws:iam::{A}:user/alice is not authorized to perform: kms:CreateKey on resource: * because no identity-based policy allows the kms:CreateKey action"
        )
    );
    let creator = alice().with_identity_policy("create", iam(&["kms:CreateKey"], "*"));
    let meta = kms
        .create_key(
            &creator,
            &CreateKeyInput {
                description: "orders".into(),
                ..CreateKeyInput::default()
            },
            &mut e,
        )
        .into_result()
        .unwrap();
    assert_eq!(
        meta.arn,
        format!("arn:aws:kms:{REGION}:{A}:key/{}", meta.key_id)
    );
    assert_eq!(
        (meta.key_state, meta.key_spec, meta.key_usage, meta.origin),
        ("Enabled", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS")
    );
    assert_eq!(meta.key_manager, KeyManager::Customer);
    assert_eq!(meta.description, "orders");
    assert_eq!(meta.creation_date, NOW);
    // The creator has no special power over the key: the default policy defers to IAM, and
    // alice's IAM policy allows only CreateKey.
    assert_eq!(
        kms.disable_key(&creator, &meta.arn).error().unwrap().code(),
        "AccessDeniedException"
    );
    let json = serde_json::to_value(&meta).unwrap();
    assert_eq!(json["KeyState"], "Enabled");
}

// KMS DG key-state.html and rotate-keys.html: rotation needs an enabled key; AWS managed keys
// rotate only on AWS's schedule.
#[test]
fn rotation_operations_respect_key_state_and_key_manager() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = root(A);
    kms.disable_key(&r, &arn).into_result().unwrap();
    assert_eq!(
        kms.rotate_key_on_demand(&r, &arn, &mut e)
            .error()
            .unwrap()
            .code(),
        "DisabledException"
    );
    assert_eq!(
        kms.enable_key_rotation(&r, &arn, None)
            .error()
            .unwrap()
            .code(),
        "DisabledException"
    );
    kms.enable_key(&r, &arn).into_result().unwrap();
    kms.enable_key_rotation(&r, &arn, None)
        .into_result()
        .unwrap();
    let status = kms.get_key_rotation_status(&r, &arn).into_result().unwrap();
    assert_eq!(status.rotation_period_in_days, Some(365));
    assert_eq!(status.next_rotation_date, Some(NOW + 365 * DAY));
    kms.disable_key_rotation(&r, &arn).into_result().unwrap();
    let status = kms.get_key_rotation_status(&r, &arn).into_result().unwrap();
    assert!(!status.key_rotation_enabled);
    assert!(kms.advance(NOW + 400 * DAY, &mut e).is_empty());

    let grant = kms
        .generate_data_key_for_s3(&r, None, &ctx("a"), &mut e)
        .into_result()
        .unwrap();
    // The aws/s3 key policy gives nobody kms:RotateKeyOnDemand.
    assert_eq!(
        kms.rotate_key_on_demand(&r, &grant.key_arn, &mut e)
            .error()
            .unwrap()
            .code(),
        "AccessDeniedException"
    );
    // It rotates yearly by itself, and old objects still open.
    let later = NOW + 366 * DAY;
    assert_eq!(kms.advance(later, &mut e).len(), 1);
    let r_later = Caller { now: later, ..r };
    assert!(
        kms.decrypt_for_s3(&r_later, &grant.encrypted_data_key, &ctx("a"))
            .is_ok()
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

// KMS API ReEncrypt: kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination
// key; kms:Decrypt is neither needed nor enough.
#[test]
fn re_encrypt_needs_its_own_permissions() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let r = root(A);
    let dest = kms
        .create_key(&r, &CreateKeyInput::default(), &mut e)
        .into_result()
        .unwrap();
    let enc = kms
        .encrypt(&r, &arn, b"x", &ctx("a"), &mut e)
        .into_result()
        .unwrap();

    let decrypt_only = alice().with_identity_policy("d", iam(&["kms:Decrypt"], "*"));
    let refused = kms.re_encrypt(
        &decrypt_only,
        &enc.ciphertext_blob,
        &ctx("a"),
        &dest.arn,
        &ctx("a"),
        &mut e,
    );
    assert!(
        refused
            .error()
            .unwrap()
            .aws_message()
            .contains("kms:ReEncryptFrom")
    );

    let from_only = alice().with_identity_policy("f", iam(&["kms:ReEncryptFrom"], "*"));
    let refused = kms.re_encrypt(
        &from_only,
        &enc.ciphertext_blob,
        &ctx("a"),
        &dest.arn,
        &ctx("a"),
        &mut e,
    );
    let msg = refused.error().unwrap().aws_message();
    assert!(
        msg.contains("kms:ReEncryptTo") && msg.contains(&dest.arn),
        "{msg}"
    );

    let both = alice().with_identity_policy("re", iam(&["kms:ReEncrypt*"], "*"));
    assert!(
        kms.re_encrypt(
            &both,
            &enc.ciphertext_blob,
            &ctx("a"),
            &dest.arn,
            &ctx("a"),
            &mut e
        )
        .is_ok()
    );
    assert!(
        kms.decrypt(&both, &enc.ciphertext_blob, &ctx("a"), None)
            .result
            .is_err()
    );
}

// KMS DG overview ("KMS keys are Regional") and §6.3: the key must be in the bucket's Region; a
// key id is looked up in the Region called.
#[test]
fn keys_are_regional() {
    let (mut kms, arn, mut e) = kms_with_default_key();
    let west = Caller {
        region: "us-west-1".into(),
        ..root(A)
    };
    let r = kms.generate_data_key_for_s3(&west, Some(&arn), &ctx("a"), &mut e);
    let err = r.error().unwrap();
    assert_eq!(err.aws_message(), "Invalid arn us-east-1");
    assert_eq!(err.to_s3_error().code, "KMS.NotFoundException");
    let key_id = arn.rsplit('/').next().unwrap();
    let r = kms.generate_data_key_for_s3(&west, Some(key_id), &ctx("a"), &mut e);
    assert_eq!(
        r.error().unwrap().aws_message(),
        format!("Key 'arn:aws:kms:us-west-1:{A}:key/{key_id}' does not exist")
    );
}

// S3 UG bucket-key.html ("Changes to note before enabling an S3 Bucket Key"): a key policy that
// conditions on the object ARN as encryption context stops matching with a Bucket Key, whose
// context is the bucket ARN.
#[test]
fn encryption_context_conditions_see_the_bucket_arn_with_bucket_keys() {
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[
          {{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{A}:root"}},"Action":["kms:PutKeyPolicy","kms:GetKeyPolicy","kms:DescribeKey"],"Resource":"*"}},
          {{"Sid":"ObjectsOnly","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{A}:user/alice"}},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*",
            "Condition":{{"StringLike":{{"kms:EncryptionContext:aws:s3:arn":"arn:aws:s3:::sim-bucket/*"}}}}}}]}}"#
    );
    let (mut kms, arn, mut e) = key_with_policy(&policy);
    // Without a Bucket Key: context = object ARN, the condition matches.
    assert!(
        kms.generate_data_key_for_s3(&alice(), Some(&arn), &ctx("a"), &mut e)
            .is_ok()
    );
    // With a Bucket Key: context = bucket ARN, it does not.
    let mut cache = BucketKeyCache::default();
    let r = cache.data_key_for_new_object(
        &mut kms,
        &alice(),
        Some(&arn),
        "arn:aws:s3:::sim-bucket",
        "arn:aws:s3:::sim-bucket/a",
        &mut e,
    );
    assert!(r.kms_called);
    assert_eq!(r.result.unwrap_err().to_s3_error().status, 403);
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

// ListKeys / ListAliases, and a scenario's list of declared keys.
#[test]
fn keys_are_listed_per_account_and_region_with_their_aliases() {
    let decls: Vec<KeyDeclaration> = serde_json::from_str(&format!(
        r#"[{{"account":"{A}","region":"{REGION}","aliases":["alias/app","alias/logs"]}},
            {{"account":"{B}","region":"{REGION}"}},
            {{"account":"{A}","region":"eu-west-1"}}]"#
    ))
    .unwrap();
    let mut e = e();
    let kms = Kms::from_declarations(&decls, &mut e).unwrap();
    let listed: Vec<_> = kms.keys_of(A, REGION).collect();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].1, vec!["app", "logs"]);
    assert_eq!(kms.keys_of(A, "eu-west-1").count(), 1);
}
