//! A key's life: disabled, pending deletion, rotated; aliases; keys per account and Region.

use super::*;

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
