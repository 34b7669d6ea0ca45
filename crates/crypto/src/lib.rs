//! The real cryptography behind the S3 Security Playground's simulated world.
//!
//! The world (`s3pg-sim`) calls this crate to really encrypt object bodies and to check MFA
//! codes, so what a learner sees — ciphertext, wrapped data keys, a rejected SSE-C key, an MFA
//! code refused — is the result of genuine AES-256-GCM, HMAC and TOTP, not a label.
//!
//! | module | models | AWS page |
//! |---|---|---|
//! | [`gcm`] | AES-256-GCM seal/open, [`Ciphertext`] | serv-side-encryption.html |
//! | [`envelope`] | SSE-S3 / SSE-KMS envelope encryption, key rotation, encryption context | UsingKMSEncryption.html |
//! | [`ssec`] | SSE-C header checks, salted-HMAC key fingerprint, AWS's error texts | ServerSideEncryptionCustomerKeys.html |
//! | [`client_side`] | client-side encryption in the S3 Encryption Client v2 format | UsingClientSideEncryption.html |
//! | [`totp`] | RFC 6238 TOTP, virtual MFA devices, the `x-amz-mfa` header | id_credentials_mfa_enable_virtual.html, MultiFactorAuthenticationDelete.html |
//! | [`responsibilities`] | who encrypts, who holds the key, per mode | serv-side-encryption.html |
//!
//! Two rules keep it reproducible and wasm-friendly: **randomness is an input** (every function
//! that needs a key, nonce or salt takes an [`Entropy`]; [`SeededEntropy`] is the deterministic
//! one), and **time is an input** (TOTP takes the Unix time as an argument).

pub mod client_side;
pub mod entropy;
pub mod envelope;
pub mod error;
pub mod gcm;
pub mod responsibilities;
pub mod ssec;
pub mod totp;

pub use entropy::{Entropy, SeededEntropy};
pub use envelope::{
    DataKey, EncryptedDataKey, EncryptionContext, KeyRing, S3_ARN_CONTEXT_KEY, SealedObject,
    decrypt_data_key, encrypt_data_key, envelope_open, envelope_seal, generate_data_key,
    open_object, seal_object,
};
pub use error::CryptoError;
pub use gcm::{Aes256Key, Ciphertext, Nonce, open, seal, seal_fresh};
pub use ssec::{CustomerKey, SseCError, SseCHeaders, SseCKeyFingerprint};
pub use totp::{MfaDevice, MfaError};
