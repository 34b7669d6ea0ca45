//! What S3 asks of KMS for SSE-KMS: a data key on write, its decryption on read, and S3 Bucket
//! Keys that make those calls rarer.
//!
//! Follows "Using server-side encryption with AWS KMS keys (SSE-KMS)"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html>), "Reducing
//! the cost of SSE-KMS with Amazon S3 Bucket Keys"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html>) and our semantics notes
//! §6.3. In our words:
//!
//! - S3 calls KMS *as the requester*, through S3: the key policy sees the requester's principal and
//!   `kms:ViaService` = `s3.REGION.amazonaws.com`; the requester needs `kms:GenerateDataKey` to
//!   write and `kms:Decrypt` to read;
//! - the encryption context is `{"aws:s3:arn": OBJECT-ARN}`, or the bucket ARN with a Bucket Key;
//! - with no key named, S3 uses the requester account's AWS managed key `aws/s3`, created on first
//!   use; its key policy admits only that account, and only through S3;
//! - with a Bucket Key, S3 gets one bucket-level key from KMS and derives object data keys from it
//!   for a while; each requester gets its own bucket-level key at least once, so every requester's
//!   access to the KMS key is still checked and logged.

use serde::{Deserialize, Serialize};

use s3pg_crypto::{
    Aes256Key, DataKey, EncryptedDataKey, EncryptionContext, Entropy, KeyRing, decrypt_data_key,
    generate_data_key,
};
use s3pg_policy::Evaluation;

use crate::caller::{Caller, s3_service_name};
use crate::error::KmsError;
use crate::response::{KmsEvent, KmsOperation, KmsResponse};
use crate::store::{AWS_S3_ALIAS, Kms, Refused, context_json, respond};

/// A data key S3 got from KMS for one object (or one bucket, with a Bucket Key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataKeyGrant {
    /// The plaintext data key: encrypt the body, then forget it.
    pub plaintext: DataKey,
    /// The data key encrypted under the KMS key: store it with the object.
    pub encrypted_data_key: EncryptedDataKey,
    /// The ARN of the KMS key used (`x-amz-server-side-encryption-aws-kms-key-id` in responses).
    pub key_arn: String,
    /// The encryption context KMS bound it to.
    pub encryption_context: EncryptionContext,
    /// Whether this call created the account's `aws/s3` key.
    pub created_aws_managed_key: bool,
}

/// The caller as S3 presents it to KMS: same principal and policies, `kms:ViaService` set.
fn through_s3(caller: &Caller) -> Caller {
    let mut c = caller.clone();
    c.via_service = Some(s3_service_name(&caller.region));
    c
}

/// Whether a key reference means the AWS managed key `aws/s3` of the caller's account.
fn means_aws_s3(key_ref: Option<&str>, caller: &Caller) -> bool {
    match key_ref {
        None => true,
        Some(AWS_S3_ALIAS) => true,
        Some(r) => caller
            .account()
            .is_some_and(|a| r == format!("arn:aws:kms:{}:{a}:{AWS_S3_ALIAS}", caller.region)),
    }
}

impl Kms {
    /// The ARN a key reference of an SSE-KMS request resolves to, without authorization or side
    /// effects (`None` or `alias/aws/s3`: the caller account's `aws/s3`, if it exists yet).
    #[must_use]
    pub fn lookup_for_s3(&self, key_ref: Option<&str>, caller: &Caller) -> Option<String> {
        let reference = if means_aws_s3(key_ref, caller) {
            AWS_S3_ALIAS
        } else {
            key_ref?
        };
        self.resolve_ref(reference, caller)
    }

    /// S3's `GenerateDataKey` for an SSE-KMS write, made as `caller` through S3.
    ///
    /// `key_ref` is the key id, key ARN, alias name or alias ARN from
    /// `x-amz-server-side-encryption-aws-kms-key-id` or the bucket default; `None` (or
    /// `alias/aws/s3`) means the AWS managed key `aws/s3` of the caller's account, created on first
    /// use. `context` is `{"aws:s3:arn": …}` plus any pairs from
    /// `x-amz-server-side-encryption-context`.
    ///
    /// The response carries the decision, trace and CloudTrail facts whether or not it succeeded;
    /// on failure, [`KmsError::to_s3_error`] gives what S3 answers its caller.
    pub fn generate_data_key_for_s3(
        &mut self,
        caller: &Caller,
        key_ref: Option<&str>,
        context: &EncryptionContext,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> KmsResponse<DataKeyGrant> {
        let s3_caller = through_s3(caller);
        let mut pre = Vec::new();
        let mut created = false;
        let reference = if means_aws_s3(key_ref, caller)
            && let Some(account) = caller.account()
        {
            let (arn, new) =
                self.ensure_aws_managed_s3_key(account, &caller.region, caller.now, entropy);
            created = new;
            pre.push(if new {
                format!(
                    "no customer managed key named: S3 uses the AWS managed key `aws/s3` of account {account}, created now as `{arn}`"
                )
            } else {
                format!("no customer managed key named: S3 uses the AWS managed key `aws/s3` (`{arn}`)")
            });
            arn
        } else {
            key_ref.unwrap_or(AWS_S3_ALIAS).to_owned()
        };
        let response = self.generate_data_key(&s3_caller, &reference, context, entropy);
        let mut response = response.map(|out| DataKeyGrant {
            plaintext: out.plaintext,
            encrypted_data_key: out.ciphertext_blob,
            key_arn: out.key_id,
            encryption_context: context.clone(),
            created_aws_managed_key: created,
        });
        pre.push(format!(
            "S3 calls kms:GenerateDataKey as {} through S3 (kms:ViaService = `{}`)",
            caller.principal.describe(),
            s3_service_name(&caller.region)
        ));
        pre.append(&mut response.trace);
        response.trace = pre;
        response
    }

    /// S3's `Decrypt` for an SSE-KMS read: the stored encrypted data key, the same context as on
    /// write, made as `caller` through S3. Returns the plaintext data key.
    pub fn decrypt_for_s3(
        &mut self,
        caller: &Caller,
        encrypted_data_key: &EncryptedDataKey,
        context: &EncryptionContext,
    ) -> KmsResponse<DataKey> {
        let s3_caller = through_s3(caller);
        let response = self.decrypt(&s3_caller, encrypted_data_key, context, None);
        let mut response = response.and_then_key();
        response.trace.insert(
            0,
            format!(
                "S3 calls kms:Decrypt as {} through S3 (kms:ViaService = `{}`) to unwrap the object's data key",
                caller.principal.describe(),
                s3_service_name(&caller.region)
            ),
        );
        response
    }
}

impl Kms {
    /// KMS's answer to a call S3 will make on `caller`'s behalf for SSE-KMS, worked out without
    /// making it and without changing anything: the key resolved, the key policy and the
    /// caller's IAM policies (`s3pg-policy`'s one decider, as the call itself decides), then the
    /// key's state. S3's request pipeline asks this at its authorization stage, so a dry run
    /// reports a KMS denial and its execution only generates or decrypts
    /// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html>: the
    /// requester needs `kms:GenerateDataKey` to write and `kms:Decrypt` to read).
    ///
    /// `operation` is [`KmsOperation::GenerateDataKey`] (`key_ref` as for
    /// [`Kms::generate_data_key_for_s3`]) or [`KmsOperation::Decrypt`] (`key_ref`: the key the
    /// stored data key was encrypted under). `context` is the encryption context of the call.
    /// `None` when only the call can tell: the caller's AWS managed key `aws/s3` does not exist
    /// yet (S3 creates it on first use), the key named is gone, or another operation.
    #[must_use]
    pub fn authorize_for_s3(
        &self,
        caller: &Caller,
        operation: KmsOperation,
        key_ref: Option<&str>,
        context: &EncryptionContext,
    ) -> Option<KmsResponse<()>> {
        let s3_caller = through_s3(caller);
        let mut trace = Vec::new();
        let (reference, params) = match operation {
            KmsOperation::GenerateDataKey => {
                let reference = if means_aws_s3(key_ref, caller) {
                    let arn = self.lookup_for_s3(None, caller)?;
                    trace.push(format!(
                        "no customer managed key named: S3 uses the AWS managed key `aws/s3` (`{arn}`)"
                    ));
                    arn
                } else {
                    key_ref?.to_owned()
                };
                trace.push(format!(
                    "S3 calls kms:GenerateDataKey as {} through S3 (kms:ViaService = `{}`)",
                    caller.principal.describe(),
                    s3_service_name(&caller.region)
                ));
                let params = serde_json::json!({
                    "keyId": reference,
                    "encryptionContext": context_json(context),
                    "keySpec": "AES_256",
                });
                (reference, params)
            }
            KmsOperation::Decrypt => {
                let reference = key_ref.filter(|k| self.keys.contains_key(*k))?;
                trace.push(format!(
                    "S3 calls kms:Decrypt as {} through S3 (kms:ViaService = `{}`) to unwrap the object's data key",
                    caller.principal.describe(),
                    s3_service_name(&caller.region)
                ));
                trace.push(format!("the ciphertext names key `{reference}`"));
                let params = serde_json::json!({
                    "encryptionContext": context_json(context),
                    "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                });
                (reference.to_owned(), params)
            }
            _ => return None,
        };
        let answer = self.authorize_key(
            operation,
            &s3_caller,
            &reference,
            Some(context),
            None,
            &mut trace,
        );
        Some(match answer {
            Ok((arn, evaluation)) => {
                let key = self.keys.get(&arn);
                respond(
                    operation,
                    &s3_caller,
                    Ok(()),
                    Some(evaluation),
                    trace,
                    params,
                    key.into_iter().collect(),
                )
            }
            Err(refused) => {
                let Refused { error, evaluation } = *refused;
                let key = evaluation
                    .is_some()
                    .then(|| self.lookup_for_s3(Some(&reference), caller))
                    .flatten()
                    .and_then(|arn| self.keys.get(&arn));
                respond(
                    operation,
                    &s3_caller,
                    Err(error),
                    evaluation,
                    trace,
                    params,
                    key.into_iter().collect(),
                )
            }
        })
    }
}

trait AndThenKey {
    fn and_then_key(self) -> KmsResponse<DataKey>;
}

impl AndThenKey for KmsResponse<crate::store::DecryptOutput> {
    fn and_then_key(self) -> KmsResponse<DataKey> {
        let KmsResponse {
            operation,
            result,
            authorization,
            trace,
            doc_url,
            event,
        } = self;
        let result = result.and_then(|out| {
            Aes256Key::from_slice(&out.plaintext).map_err(|_| KmsError::InvalidCiphertext)
        });
        KmsResponse {
            operation,
            result,
            authorization,
            trace,
            doc_url,
            event,
        }
    }
}

/// \[SIM\] How long S3 keeps using a bucket-level key before asking KMS again, in seconds. AWS
/// says only that the key is short-lived and used "for a limited time"; one hour is our choice.
pub const DEFAULT_BUCKET_KEY_TTL_SECONDS: u64 = 3600;

/// One bucket-level key S3 holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedBucketKey {
    /// The KMS key it came from.
    pub key_arn: String,
    /// The bucket (its encryption context).
    pub bucket_arn: String,
    /// The requester it was fetched for.
    pub requester: String,
    /// When KMS was asked (Unix seconds).
    pub fetched_at: u64,
    /// The bucket-level key in plaintext (S3-internal).
    pub bucket_key: Aes256Key,
    /// The bucket-level key encrypted under the KMS key (stored with each object).
    pub encrypted_bucket_key: EncryptedDataKey,
}

/// An object data key made under a bucket-level key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BucketKeyedDataKey {
    /// The object's plaintext data key.
    pub data_key: DataKey,
    /// The object's data key encrypted under the bucket-level key (context: the object ARN).
    pub encrypted_data_key: EncryptedDataKey,
    /// The bucket-level key encrypted under the KMS key (context: the bucket ARN).
    pub encrypted_bucket_key: EncryptedDataKey,
    /// The KMS key.
    pub key_arn: String,
}

/// The outcome of a Bucket Key use: the result, and the KMS call if one was needed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BucketKeyResponse<T> {
    /// The data key, or the KMS error S3 would pass on.
    pub result: Result<T, KmsError>,
    /// Whether S3 had to call KMS (a cache miss); `false` means no CloudTrail KMS event.
    pub kms_called: bool,
    /// The KMS decision, when KMS was called.
    pub authorization: Option<Evaluation>,
    /// The KMS CloudTrail facts, when KMS was called.
    pub event: Option<KmsEvent>,
    /// What happened.
    pub trace: Vec<String>,
}

/// The bucket-level keys S3 holds for one bucket (the world keeps one per bucket).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BucketKeyCache {
    /// How long a bucket-level key is reused, in seconds (\[SIM\], see
    /// [`DEFAULT_BUCKET_KEY_TTL_SECONDS`]).
    pub ttl_seconds: u64,
    /// The keys held, one per (KMS key, requester).
    #[serde(default)]
    pub entries: Vec<CachedBucketKey>,
}

impl Default for BucketKeyCache {
    fn default() -> Self {
        Self::new(DEFAULT_BUCKET_KEY_TTL_SECONDS)
    }
}

/// The key ring of a bucket-level key: object data keys are wrapped under it.
fn bucket_ring(bucket_arn: &str, bucket_key: &Aes256Key) -> KeyRing {
    KeyRing::from_material(format!("bucket key of {bucket_arn}"), bucket_key.clone())
}

impl BucketKeyCache {
    /// An empty cache with this time-to-live.
    #[must_use]
    pub fn new(ttl_seconds: u64) -> Self {
        Self {
            ttl_seconds,
            entries: Vec::new(),
        }
    }

    fn fresh(&self, key_arn: &str, requester: &str, now: u64) -> Option<&CachedBucketKey> {
        self.entries.iter().find(|e| {
            e.key_arn == key_arn
                && e.requester == requester
                && now >= e.fetched_at
                && now - e.fetched_at < self.ttl_seconds
        })
    }

    /// A data key for a new object of `bucket_arn`, from a bucket-level key: reused when one for
    /// this KMS key and requester is still fresh, else fetched with `GenerateDataKey` (context: the
    /// bucket ARN).
    pub fn data_key_for_new_object(
        &mut self,
        kms: &mut Kms,
        caller: &Caller,
        key_ref: Option<&str>,
        bucket_arn: &str,
        object_arn: &str,
        entropy: &mut (impl Entropy + ?Sized),
    ) -> BucketKeyResponse<BucketKeyedDataKey> {
        let requester = caller.arn_for_messages();
        let now = caller.now;
        let known_arn = kms.lookup_for_s3(key_ref, caller);
        let mut trace = Vec::new();
        let mut kms_call = None;
        let cached = known_arn
            .as_deref()
            .and_then(|arn| self.fresh(arn, &requester, now))
            .cloned();
        let entry = if let Some(e) = cached {
            trace.push(format!(
                "S3 reuses the bucket-level key it got from `{}` at {} for this requester (fresh for {} s): no KMS call, no KMS CloudTrail event",
                e.key_arn, e.fetched_at, self.ttl_seconds
            ));
            e
        } else {
            let context = EncryptionContext::s3_arn(bucket_arn);
            let response = kms.generate_data_key_for_s3(caller, key_ref, &context, entropy);
            trace.push(format!(
                "no fresh bucket-level key for this KMS key and requester: S3 asks KMS for one, with the bucket ARN `{bucket_arn}` as encryption context"
            ));
            trace.extend(response.trace.iter().cloned());
            let KmsResponse {
                result,
                authorization,
                event,
                ..
            } = response;
            kms_call = Some((authorization, event));
            match result {
                Ok(grant) => {
                    let entry = CachedBucketKey {
                        key_arn: grant.key_arn,
                        bucket_arn: bucket_arn.to_owned(),
                        requester: requester.clone(),
                        fetched_at: now,
                        bucket_key: grant.plaintext,
                        encrypted_bucket_key: grant.encrypted_data_key,
                    };
                    self.entries
                        .retain(|e| !(e.key_arn == entry.key_arn && e.requester == requester));
                    self.entries.push(entry.clone());
                    entry
                }
                Err(e) => return finish(Err(e), kms_call, trace),
            }
        };
        let ring = bucket_ring(bucket_arn, &entry.bucket_key);
        let object_context = EncryptionContext::s3_arn(object_arn);
        let result = generate_data_key(&ring, &object_context, entropy)
            .map(|(data_key, encrypted_data_key)| BucketKeyedDataKey {
                data_key,
                encrypted_data_key,
                encrypted_bucket_key: entry.encrypted_bucket_key.clone(),
                key_arn: entry.key_arn.clone(),
            })
            .map_err(|e| KmsError::Validation {
                message: e.to_string(),
            });
        trace.push(format!(
            "S3 derives a unique data key for `{object_arn}` from the bucket-level key"
        ));
        finish(result, kms_call, trace)
    }

    /// The data key of an object written with a Bucket Key: the bucket-level key is reused when
    /// held and fresh, else recovered with `Decrypt` (context: the bucket ARN).
    pub fn data_key_for_existing_object(
        &mut self,
        kms: &mut Kms,
        caller: &Caller,
        encrypted_bucket_key: &EncryptedDataKey,
        encrypted_data_key: &EncryptedDataKey,
        bucket_arn: &str,
        object_arn: &str,
    ) -> BucketKeyResponse<DataKey> {
        let requester = caller.arn_for_messages();
        let now = caller.now;
        let mut trace = Vec::new();
        let mut kms_call = None;
        let held = self
            .fresh(&encrypted_bucket_key.key_id, &requester, now)
            .filter(|e| {
                e.encrypted_bucket_key == *encrypted_bucket_key && e.bucket_arn == bucket_arn
            })
            .map(|e| e.bucket_key.clone());
        let bucket_key = if let Some(k) = held {
            trace.push(
                "S3 still holds this object's bucket-level key for this requester: no KMS call"
                    .to_owned(),
            );
            k
        } else {
            let context = EncryptionContext::s3_arn(bucket_arn);
            let response = kms.decrypt_for_s3(caller, encrypted_bucket_key, &context);
            trace.extend(response.trace.iter().cloned());
            let KmsResponse {
                result,
                authorization,
                event,
                ..
            } = response;
            kms_call = Some((authorization, event));
            match result {
                Ok(k) => {
                    self.entries.retain(|e| {
                        !(e.key_arn == encrypted_bucket_key.key_id && e.requester == requester)
                    });
                    self.entries.push(CachedBucketKey {
                        key_arn: encrypted_bucket_key.key_id.clone(),
                        bucket_arn: bucket_arn.to_owned(),
                        requester: requester.clone(),
                        fetched_at: now,
                        bucket_key: k.clone(),
                        encrypted_bucket_key: encrypted_bucket_key.clone(),
                    });
                    k
                }
                Err(e) => return finish(Err(e), kms_call, trace),
            }
        };
        let ring = bucket_ring(bucket_arn, &bucket_key);
        let result = decrypt_data_key(
            &ring,
            encrypted_data_key,
            &EncryptionContext::s3_arn(object_arn),
        )
        .map_err(|_| KmsError::InvalidCiphertext);
        trace.push(format!(
            "S3 unwraps the data key of `{object_arn}` with the bucket-level key"
        ));
        finish(result, kms_call, trace)
    }
}

fn finish<T>(
    result: Result<T, KmsError>,
    kms_call: Option<(Option<Evaluation>, KmsEvent)>,
    trace: Vec<String>,
) -> BucketKeyResponse<T> {
    let kms_called = kms_call.is_some();
    let (authorization, event) = match kms_call {
        Some((a, e)) => (a, Some(e)),
        None => (None, None),
    };
    BucketKeyResponse {
        result,
        kms_called,
        authorization,
        event,
        trace,
    }
}
