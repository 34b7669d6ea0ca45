//! Who may use a key: the key policy, IAM policies, the AWS managed `aws/s3` key, explicit
//! denies, the lockout safety check, and the conditions KMS evaluates.

use super::*;

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
    let checks: Vec<&str> = auth.gates.iter().map(|g| &*g.check).collect();
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
