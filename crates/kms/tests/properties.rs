//! Properties of the simulated KMS.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions should stop at the first failure"
)]

use proptest::prelude::*;
use s3pg_crypto::{EncryptionContext, SeededEntropy};
use s3pg_kms::{Caller, CreateKeyInput, KeyDeclaration, Kms};
use s3pg_policy::Policy;

const A: &str = "111122223333";

fn root() -> Caller {
    Caller::from_arn(
        &format!("arn:aws:iam::{A}:root"),
        "us-east-1",
        1_700_000_000,
    )
    .unwrap()
}

fn context() -> impl Strategy<Value = EncryptionContext> {
    prop::collection::btree_map("[a-z:]{1,8}", "[a-zA-Z0-9/:]{0,12}", 0..4).prop_map(|m| {
        m.iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect::<EncryptionContext>()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Decrypt(GenerateDataKey) gives the data key back with the same context and key, and
    /// fails with any other context or key.
    #[test]
    fn data_keys_round_trip_only_with_the_same_context_and_key(
        seed in any::<u64>(),
        ctx in context(),
        other in context(),
    ) {
        let mut e = SeededEntropy::from_seed(&seed.to_be_bytes());
        let mut kms = Kms::new();
        let r = root();
        let k1 = kms.create_key(&r, &CreateKeyInput::default(), &mut e).into_result().unwrap();
        let k2 = kms.create_key(&r, &CreateKeyInput::default(), &mut e).into_result().unwrap();
        let out = kms.generate_data_key(&r, &k1.arn, &ctx, &mut e).into_result().unwrap();

        let back = kms.decrypt(&r, &out.ciphertext_blob, &ctx, None).into_result().unwrap();
        prop_assert_eq!(back.plaintext, out.plaintext.as_bytes().to_vec());
        let via_s3 = kms.decrypt_for_s3(&r, &out.ciphertext_blob, &ctx).into_result().unwrap();
        prop_assert_eq!(&via_s3, &out.plaintext);

        if other != ctx {
            let refused = kms.decrypt(&r, &out.ciphertext_blob, &other, None);
            prop_assert_eq!(refused.error().map(|e| e.code()), Some("InvalidCiphertextException"));
        }
        // The same ciphertext presented as k2's: k2's material does not open it.
        let mut moved = out.ciphertext_blob.clone();
        moved.key_id = k2.arn.clone();
        prop_assert!(kms.decrypt(&r, &moved, &ctx, None).result.is_err());
        // Naming k2 while presenting k1's ciphertext: IncorrectKeyException.
        let wrong = kms.decrypt(&r, &out.ciphertext_blob, &ctx, Some(&k2.arn));
        prop_assert_eq!(wrong.error().map(|e| e.code()), Some("IncorrectKeyException"));
    }

    /// When the key policy does not allow the account, no identity policy can grant use of the key.
    #[test]
    fn without_the_account_statement_no_iam_policy_grants(
        actions in prop::collection::vec(prop::sample::select(vec![
            "kms:*", "kms:GenerateDataKey", "kms:Decrypt", "kms:Generate*", "*", "kms:Describe*",
        ]), 1..4),
        wildcard_resource in any::<bool>(),
    ) {
        let mut e = SeededEntropy::from_seed(b"p");
        let mut kms = Kms::new();
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{A}:role/Admin"}},"Action":"kms:*","Resource":"*"}}]}}"#
        );
        let arn = kms.declare_key(&KeyDeclaration {
            account: A.into(), region: "us-east-1".into(), key_id: None, description: String::new(),
            policy: Some(policy), aliases: vec![], enabled: true, rotation_enabled: false, creation_date: 0,
            tags: Default::default(),
        }, &mut e).unwrap();
        let quoted: Vec<String> = actions.iter().map(|a| format!("\"{a}\"")).collect();
        let resource = if wildcard_resource { "*".to_owned() } else { arn.clone() };
        let iam = Policy::parse(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"{resource}"}}]}}"#,
            quoted.join(",")
        )).unwrap();
        let alice = Caller::from_arn(&format!("arn:aws:iam::{A}:user/alice"), "us-east-1", 0)
            .unwrap()
            .with_identity_policy("p", iam);
        let ctx = EncryptionContext::s3_arn("arn:aws:s3:::b/k");
        prop_assert!(kms.generate_data_key(&alice, &arn, &ctx, &mut e).result.is_err());
        prop_assert!(kms.describe_key(&alice, &arn).result.is_err());
    }

    /// Decrypt answers every forged ciphertext with an error, never a panic or a plaintext.
    #[test]
    fn forged_ciphertexts_are_refused(
        bytes in prop::collection::vec(any::<u8>(), 0..96),
        version in 0_u32..4,
        ctx in context(),
    ) {
        let mut e = SeededEntropy::from_seed(b"forge");
        let mut kms = Kms::new();
        let r = root();
        let key = kms.create_key(&r, &CreateKeyInput::default(), &mut e).into_result().unwrap();
        if let Ok(wrapped) = s3pg_crypto::Ciphertext::from_bytes(&bytes) {
            let blob = s3pg_crypto::EncryptedDataKey { key_id: key.arn.clone(), key_version: version, wrapped };
            prop_assert!(kms.decrypt(&r, &blob, &ctx, None).result.is_err());
            prop_assert!(kms.decrypt_for_s3(&r, &blob, &ctx).result.is_err());
        }
    }
}
