//! `s3pg-kms`: a simulated AWS Key Management Service for the S3 Security Playground.
//!
//! KMS keys with their key policies, states, aliases and rotating key material; the operations a
//! learner meets around SSE-KMS, each authorized through the IAM policy engine (`s3pg-policy`, the
//! key policy as the resource layer) and traced in plain sentences; real AES-256-GCM envelope
//! encryption underneath (`s3pg-crypto`); and the two calls S3 makes for SSE-KMS, with S3 Bucket
//! Keys.
//!
//! | module | models | AWS page |
//! |---|---|---|
//! | [`key`] | keys, default key policies, states, rotation | key-policy-default.html, key-state.html, rotate-keys.html |
//! | [`authz`] | key policy first, IAM only when the key policy allows the account | key-policies.html, determining-access.html |
//! | [`store`] | the [`Kms`] store and every operation | APIReference |
//! | [`s3`] | `GenerateDataKey`/`Decrypt` on S3's behalf, Bucket Keys | UsingKMSEncryption.html, bucket-key.html |
//! | [`error`] | KMS's exceptions, and what S3 answers for them | CommonErrors.html, our semantics notes §6.6 |
//! | [`response`] | the response of every call: decision, trace, CloudTrail facts | logging-using-cloudtrail.html |
//!
//! Time and randomness are inputs: [`Caller::now`] dates every call, and every operation that
//! makes key material or key ids takes an [`Entropy`](s3pg_crypto::Entropy).
//!
//! ```
//! use s3pg_crypto::{EncryptionContext, SeededEntropy};
//! use s3pg_kms::{Caller, CreateKeyInput, Kms};
//!
//! let mut entropy = SeededEntropy::from_seed(b"world");
//! let mut kms = Kms::new();
//! let root = Caller::from_arn("arn:aws:iam::111122223333:root", "us-east-1", 1_700_000_000).unwrap();
//! let key = kms.create_key(&root, &CreateKeyInput::default(), &mut entropy).into_result()?;
//!
//! // S3 asks for a data key bound to the object ARN, then decrypts it on read.
//! let context = EncryptionContext::s3_arn("arn:aws:s3:::sim-bucket/report.pdf");
//! let grant = kms.generate_data_key_for_s3(&root, Some(&key.arn), &context, &mut entropy).into_result()?;
//! let again = kms.decrypt_for_s3(&root, &grant.encrypted_data_key, &context).into_result()?;
//! assert_eq!(again, grant.plaintext);
//!
//! // Another context does not decrypt: KMS binds the context to the ciphertext.
//! let other = EncryptionContext::s3_arn("arn:aws:s3:::sim-bucket/other.pdf");
//! let refused = kms.decrypt_for_s3(&root, &grant.encrypted_data_key, &other);
//! assert_eq!(refused.error().map(|e| e.code()), Some("InvalidCiphertextException"));
//! # Ok::<(), s3pg_kms::KmsError>(())
//! ```

pub mod authz;
mod blob;
pub mod caller;
pub mod error;
pub mod key;
pub mod response;
pub mod s3;
pub mod store;

pub use blob::ENCRYPT_MAX_PLAINTEXT;
pub use caller::{Caller, s3_service_name};
pub use error::{KmsError, S3KmsError};
pub use key::{
    INVALID_PRINCIPALS_MESSAGE, KeyManager, KeyPolicy, KeyState, KmsKey, RotationRecord,
    RotationType, aws_managed_s3_key_policy, default_key_policy,
};
pub use response::{EventResource, KmsEvent, KmsOperation, KmsResponse};
pub use s3::{
    BucketKeyCache, BucketKeyResponse, BucketKeyedDataKey, CachedBucketKey,
    DEFAULT_BUCKET_KEY_TTL_SECONDS, DataKeyGrant,
};
pub use store::{
    AWS_S3_ALIAS, CreateKeyInput, DecryptOutput, EncryptOutput, GenerateDataKeyOutput,
    KeyDeclaration, KeyMetadata, Kms, ReEncryptOutput, RotationStatus, ScheduleKeyDeletionOutput,
};
