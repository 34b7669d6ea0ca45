//! The real cryptography behind the S3 Security Playground's simulated world.
//!
//! The world (`s3pg-sim`) calls this crate to really encrypt object bodies and to check MFA
//! codes, so what a learner sees — ciphertext, wrapped data keys, a rejected SSE-C key, an MFA
//! code refused — is the result of genuine AES-256-GCM, HMAC and TOTP, not a label.
//!
//! | module | models | AWS page |
//! |---|---|---|
//! | [`gcm`] | AES-256-GCM seal/open, [`Ciphertext`] | serv-side-encryption.html |
//! | [`envelope`] | SSE-S3 / SSE-KMS / DSSE-KMS envelope encryption, key rotation, encryption context | UsingKMSEncryption.html, UsingDSSEncryption.html |
//! | [`ssec`] | SSE-C header checks, salted-HMAC key fingerprint, AWS's error texts | ServerSideEncryptionCustomerKeys.html |
//! | [`client_side`] | client-side encryption in the S3 Encryption Client v2 format | UsingClientSideEncryption.html |
//! | [`totp`] | RFC 6238 TOTP, virtual MFA devices, the `x-amz-mfa` header | id_credentials_mfa_enable_virtual.html, MultiFactorAuthenticationDelete.html |
//! | [`responsibilities`] | who encrypts, who holds the key, per mode | UsingEncryption.html |
//! | [`checksum`] | `Content-MD5` and how encryption changes the ETag | API_Object.html |
//! | [`explain`] | each mode's steps in plain language, with the object's real values | serv-side-encryption.html |
//!
//! Two rules keep it reproducible and wasm-friendly: **randomness is an input** (every function
//! that needs a key, nonce or salt takes an [`Entropy`]; [`SeededEntropy`] is the deterministic
//! one), and **time is an input** (TOTP takes the Unix time as an argument).
//!
//! ```
//! use s3pg_crypto::{EncryptionContext, KeyRing, SeededEntropy, envelope_open, envelope_seal};
//! use s3pg_crypto::ssec::{self, SseCHeaders};
//! use s3pg_crypto::totp::MfaDevice;
//!
//! let mut entropy = SeededEntropy::from_seed(b"world seed");
//!
//! // SSE-KMS: S3 asks KMS for a data key bound to the object ARN, seals the body, keeps the
//! // wrapped key. After a rotation the old object still opens.
//! let mut kms_key = KeyRing::new("arn:aws:kms:us-east-1:111122223333:key/k-1", &mut entropy);
//! let context = EncryptionContext::s3_arn("arn:aws:s3:::sim-bucket/report.pdf");
//! let stored = envelope_seal(b"quarterly numbers", &kms_key, &context, &mut entropy)?;
//! kms_key.rotate(&mut entropy);
//! assert_eq!(envelope_open(&stored, &kms_key, &context)?, b"quarterly numbers");
//!
//! // SSE-C: a wrong key MD5 gets AWS's exact response.
//! let headers = SseCHeaders {
//!     algorithm: Some("AES256"),
//!     key: Some("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="),
//!     key_md5: Some("AAAAAAAAAAAAAAAAAAAAAA=="),
//! };
//! let refused = ssec::check_write(&headers, None, true).unwrap_err();
//! assert_eq!((refused.status(), refused.code()), (400, "InvalidArgument"));
//! assert_eq!(refused.aws_message(), "The calculated MD5 hash of the key did not match the hash that was provided.");
//!
//! // MFA Delete: the device's current code works once.
//! let mut device = MfaDevice::create_virtual("arn:aws:iam::111122223333:mfa/root-account-mfa-device", &mut entropy);
//! let now = 1_700_000_000;
//! let code = device.code_at(now);
//! assert!(device.verify(&code, now).is_ok());
//! assert!(device.verify(&code, now).is_err());
//! # Ok::<(), s3pg_crypto::CryptoError>(())
//! ```

pub mod checksum;
pub mod client_side;
mod codec;
pub mod entropy;
pub mod envelope;
pub mod error;
pub mod explain;
pub mod gcm;
pub mod responsibilities;
pub mod ssec;
pub mod totp;

pub use entropy::{Entropy, SeededEntropy};
pub use envelope::{
    DataKey, DualLayerSealedObject, EncryptedDataKey, EncryptionContext, KeyRing,
    S3_ARN_CONTEXT_KEY, SealedObject, decrypt_data_key, dsse_open, dsse_seal, encrypt_data_key,
    envelope_open, envelope_seal, generate_data_key, open_object, seal_object,
};
pub use error::CryptoError;
pub use gcm::{Aes256Key, Ciphertext, Nonce, open, seal, seal_fresh};
pub use ssec::{CustomerKey, SseCError, SseCHeaders, SseCKeyFingerprint};
pub use totp::{MfaDevice, MfaError};
