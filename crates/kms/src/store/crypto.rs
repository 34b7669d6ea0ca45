//! The cryptographic operations: GenerateDataKey, Encrypt, Decrypt, ReEncrypt (real AES-256-GCM
//! under the key's material, bound to the encryption context), and the AWS managed `aws/s3` key
//! S3 creates on first use.
//!
//! Follows <https://docs.aws.amazon.com/kms/latest/APIReference/API_GenerateDataKey.html>,
//! <https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html> and
//! <https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk>.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use s3pg_crypto::{EncryptedDataKey, EncryptionContext, Entropy, KeyRing, generate_data_key};

use super::Kms;
use super::types::{DecryptOutput, EncryptOutput, GenerateDataKeyOutput, ReEncryptOutput};
use super::{
    AWS_S3_ALIAS, AWS_S3_DESCRIPTION, CIPHERTEXT_KEY_UNREACHABLE, alias_arn, context_json, key_arn,
    respond, validation,
};
use crate::blob;
use crate::caller::Caller;
use crate::error::KmsError;
use crate::key::{
    AWS_MANAGED_ROTATION_PERIOD_DAYS, DAY, KeyManager, KeyPolicy, KeyState, KmsKey,
    aws_managed_s3_key_policy, new_key_id,
};
use crate::response::{KmsOperation, KmsResponse};

impl Kms {
    /// `GenerateDataKey` (`KeySpec` `AES_256`): a fresh data key, in plaintext and encrypted under
    /// the key's current material, bound to `context`.
    pub fn generate_data_key(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        context: &EncryptionContext,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> KmsResponse<GenerateDataKeyOutput> {
        let params = json!({
            "keyId": key_ref,
            "encryptionContext": context_json(context),
            "keySpec": "AES_256",
        });
        self.key_op(
            KmsOperation::GenerateDataKey,
            caller,
            key_ref,
            Some(context),
            params,
            None,
            |k, t| {
                let (plaintext, blob) = generate_data_key(&k.material, context, entropy).map_err(
                    |e| KmsError::Validation {
                        message: e.to_string(),
                    },
                )?;
                t.push(format!(
                    "generated a 256-bit data key and encrypted it under key material version {} of `{}`, bound to the encryption context {context}",
                    blob.key_version, k.arn
                ));
                Ok(GenerateDataKeyOutput {
                    key_id: k.arn.clone(),
                    plaintext,
                    ciphertext_blob: blob,
                })
            },
        )
    }

    /// `Encrypt`: up to 4096 bytes under the key, bound to `context`.
    pub fn encrypt(
        &mut self,
        caller: &Caller,
        key_ref: &str,
        plaintext: &[u8],
        context: &EncryptionContext,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> KmsResponse<EncryptOutput> {
        let params = json!({
            "keyId": key_ref,
            "encryptionContext": context_json(context),
            "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
        });
        let len = plaintext.len();
        self.key_op(
            KmsOperation::Encrypt,
            caller,
            key_ref,
            Some(context),
            params,
            None,
            |k, t| {
                if len == 0 || len > blob::ENCRYPT_MAX_PLAINTEXT {
                    return Err(validation(
                        "[plaintext]",
                        "plaintext",
                        "Member must have length between 1 and 4096",
                    ));
                }
                let ciphertext_blob = blob::encrypt(&k.material, plaintext, context, entropy)?;
                t.push(format!(
                    "encrypted {len} bytes under key material version {} of `{}`",
                    ciphertext_blob.key_version, k.arn
                ));
                Ok(EncryptOutput {
                    key_id: k.arn.clone(),
                    ciphertext_blob,
                })
            },
        )
    }

    /// `Decrypt`: the key comes from the ciphertext; `key_ref`, when given, must name that same
    /// key (`IncorrectKeyException` otherwise); `context` must equal the one used to encrypt
    /// (`InvalidCiphertextException` otherwise).
    pub fn decrypt(
        &mut self,
        caller: &Caller,
        ciphertext: &EncryptedDataKey,
        context: &EncryptionContext,
        key_ref: Option<&str>,
    ) -> KmsResponse<DecryptOutput> {
        self.decrypt_as(KmsOperation::Decrypt, caller, ciphertext, context, key_ref)
    }

    /// `Decrypt`, or the first half of `ReEncrypt` (authorized as `kms:ReEncryptFrom`).
    pub(super) fn decrypt_as(
        &mut self,
        op: KmsOperation,
        caller: &Caller,
        ciphertext: &EncryptedDataKey,
        context: &EncryptionContext,
        key_ref: Option<&str>,
    ) -> KmsResponse<DecryptOutput> {
        let mut params = json!({
            "encryptionContext": context_json(context),
            "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
        });
        if let (Some(r), Some(obj)) = (key_ref, params.as_object_mut()) {
            obj.insert("keyId".into(), Value::String(r.to_owned()));
        }
        let mut trace = self.purge(caller.now);
        let blob_key = ciphertext.key_id.clone();
        if !self.keys.contains_key(&blob_key) {
            trace.push(format!(
                "the ciphertext names key `{blob_key}`, which does not exist (or no longer exists)"
            ));
            let e = KmsError::AccessDenied {
                message: CIPHERTEXT_KEY_UNREACHABLE.into(),
                same_account: true,
            };
            return respond(op, caller, Err(e), None, trace, params, vec![]);
        }
        trace.push(format!("the ciphertext names key `{blob_key}`"));
        if let Some(r) = key_ref {
            match self.resolve(r, caller) {
                Ok(res) if res.arn == blob_key => {}
                Ok(res) => {
                    trace.push(format!(
                        "the request names key `{}`, but the ciphertext was made by `{blob_key}`",
                        res.arn
                    ));
                    return respond(
                        op,
                        caller,
                        Err(KmsError::IncorrectKey),
                        None,
                        trace,
                        params,
                        vec![],
                    );
                }
                Err(e) => return respond(op, caller, Err(e), None, trace, params, vec![]),
            }
        }
        let mut response = self.key_op(op, caller, &blob_key, Some(context), params, None, |k, t| {
            match blob::decrypt(&k.material, ciphertext, context) {
                Ok(plaintext) => {
                    t.push(format!(
                        "decrypted with key material version {} of `{}` and the encryption context {context}",
                        ciphertext.key_version, k.arn
                    ));
                    Ok(DecryptOutput {
                        key_id: k.arn.clone(),
                        plaintext,
                    })
                }
                Err(e) => {
                    t.push(format!(
                        "the ciphertext does not open with the encryption context {context}: the context, or the ciphertext itself, differs from what was encrypted"
                    ));
                    Err(e)
                }
            }
        });
        trace.append(&mut response.trace);
        response.trace = trace;
        response
    }

    /// `ReEncrypt`: decrypt under the source key (`kms:ReEncryptFrom`), encrypt under the
    /// destination key (`kms:ReEncryptTo`), without exposing the plaintext.
    pub fn re_encrypt(
        &mut self,
        caller: &Caller,
        ciphertext: &EncryptedDataKey,
        source_context: &EncryptionContext,
        destination_key_ref: &str,
        destination_context: &EncryptionContext,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> KmsResponse<ReEncryptOutput> {
        let op = KmsOperation::ReEncrypt;
        let params = json!({
            "destinationKeyId": destination_key_ref,
            "sourceEncryptionContext": context_json(source_context),
            "destinationEncryptionContext": context_json(destination_context),
        });
        let decrypted = self.decrypt_as(op, caller, ciphertext, source_context, None);
        let mut trace = decrypted.trace;
        let plaintext = match decrypted.result {
            Ok(out) => out,
            Err(e) => {
                return respond(
                    op,
                    caller,
                    Err(e),
                    decrypted.authorization,
                    trace,
                    params,
                    vec![],
                );
            }
        };
        let source = plaintext.key_id.clone();
        let mut response = self.key_op(
            op,
            caller,
            destination_key_ref,
            Some(destination_context),
            params,
            Some("kms:ReEncryptTo"),
            |k, t| {
                let ciphertext_blob = blob::encrypt(
                    &k.material,
                    &plaintext.plaintext,
                    destination_context,
                    entropy,
                )?;
                t.push(format!("re-encrypted under `{}`", k.arn));
                Ok(ReEncryptOutput {
                    source_key_id: source,
                    key_id: k.arn.clone(),
                    ciphertext_blob,
                })
            },
        );
        trace.append(&mut response.trace);
        response.trace = trace;
        response
    }

    /// The ARN of the AWS managed key `aws/s3` of `account` in `region`, created on first use
    /// (KMS DG `concepts.html#aws-managed-key`: AWS services create their AWS managed key the
    /// first time they need it). The bool says whether it was just created.
    pub fn ensure_aws_managed_s3_key(
        &mut self,
        account: &str,
        region: &str,
        now: u64,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> (String, bool) {
        let a = alias_arn(region, account, AWS_S3_ALIAS);
        if let Some(arn) = self.aliases.get(&a)
            && self.keys.contains_key(arn)
        {
            return (arn.clone(), false);
        }
        let policy = aws_managed_s3_key_policy(account, region);
        let Ok(policy) = KeyPolicy::parse(&policy) else {
            // INVARIANT: the built-in policy always parses (tested); fall back to the default.
            return (String::new(), false);
        };
        let key_id = new_key_id(entropy);
        let arn = key_arn(region, account, &key_id);
        let key = KmsKey {
            key_id,
            arn: arn.clone(),
            account: account.to_owned(),
            region: region.to_owned(),
            description: AWS_S3_DESCRIPTION.to_owned(),
            key_manager: KeyManager::Aws,
            state: KeyState::Enabled,
            policy,
            creation_date: now,
            rotation_enabled: true,
            rotation_period_in_days: AWS_MANAGED_ROTATION_PERIOD_DAYS,
            next_rotation_date: Some(
                now.saturating_add(u64::from(AWS_MANAGED_ROTATION_PERIOD_DAYS) * DAY),
            ),
            rotations: Vec::new(),
            material: KeyRing::new(arn.clone(), entropy),
            tags: BTreeMap::new(),
        };
        self.keys.insert(arn.clone(), key);
        self.aliases.insert(a, arn.clone());
        (arn, true)
    }
}
