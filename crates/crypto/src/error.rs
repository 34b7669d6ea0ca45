//! Errors of the cryptographic primitives (sealing, opening, key wrapping).
//!
//! These are the simulator's own failures, not S3 responses: the world decides which S3 or KMS
//! error a learner sees (e.g. an SSE-KMS data key that fails to unwrap is `KMS.InvalidCiphertextException`
//! on a real `kms:Decrypt`). SSE-C and MFA failures that *are* S3 responses have their own
//! types, [`crate::SseCError`] and [`crate::MfaError`], which carry AWS's code, status and message.

use core::fmt;

/// A sealing, opening or key-wrapping failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CryptoError {
    /// The GCM tag did not verify: wrong key, wrong AAD / encryption context, or tampered bytes.
    AuthenticationFailed,
    /// The plaintext exceeds GCM's limit (2^36 − 32 bytes).
    PlaintextTooLong {
        /// The plaintext length given.
        len: usize,
    },
    /// A wire-form ciphertext was too short to hold a nonce and a tag.
    MalformedCiphertext {
        /// The length given.
        len: usize,
    },
    /// A key was not 256 bits long.
    InvalidKeyLength {
        /// The length given, in bytes.
        len: usize,
    },
    /// Text that should have been base64 (or another encoding) did not decode.
    InvalidEncoding {
        /// The encoding expected.
        what: &'static str,
    },
    /// An encrypted data key names a key-material version the key ring does not hold.
    UnknownKeyVersion {
        /// The key the data key was wrapped under.
        key_id: String,
        /// The missing version.
        version: u32,
    },
    /// An encrypted data key was wrapped under a different key than the one offered to unwrap it.
    KeyIdMismatch {
        /// The key offered.
        expected: String,
        /// The key named by the encrypted data key.
        found: String,
    },
    /// Client-side encryption metadata is missing a field or has an unsupported value.
    InvalidMetadata {
        /// The metadata key at fault (without the `x-amz-meta-` prefix).
        field: &'static str,
        /// What was wrong with it.
        problem: String,
    },
}

impl CryptoError {
    /// Extra advice for the learner, when there is any.
    #[must_use]
    pub fn help(&self) -> Option<&'static str> {
        match self {
            Self::AuthenticationFailed => Some(
                "AES-GCM refuses to decrypt unless the key, the nonce, the additional authenticated \
                 data (for KMS: the encryption context) and every ciphertext bit are exactly as sealed",
            ),
            Self::UnknownKeyVersion { .. } => Some(
                "a rotated KMS key keeps every earlier key material so that old ciphertexts stay decryptable",
            ),
            Self::KeyIdMismatch { .. } => {
                Some("a data key can only be decrypted with the KMS key that encrypted it")
            }
            Self::InvalidKeyLength { .. } => Some("AES-256 keys are exactly 32 bytes (256 bits)"),
            Self::PlaintextTooLong { .. }
            | Self::MalformedCiphertext { .. }
            | Self::InvalidEncoding { .. }
            | Self::InvalidMetadata { .. } => None,
        }
    }
}

impl fmt::Display for CryptoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AuthenticationFailed => {
                f.write_str("decryption failed: the authentication tag does not match")
            }
            Self::PlaintextTooLong { len } => {
                write!(f, "plaintext of `{len}` bytes is too long for AES-GCM")
            }
            Self::MalformedCiphertext { len } => write!(
                f,
                "ciphertext of `{len}` bytes is too short to hold a 12-byte nonce and a 16-byte tag"
            ),
            Self::InvalidKeyLength { len } => write!(f, "key is `{len}` bytes long, expected 32"),
            Self::InvalidEncoding { what } => write!(f, "value is not valid {what}"),
            Self::UnknownKeyVersion { key_id, version } => {
                write!(f, "key `{key_id}` has no key material version `{version}`")
            }
            Self::KeyIdMismatch { expected, found } => {
                write!(
                    f,
                    "data key was encrypted under `{found}`, not `{expected}`"
                )
            }
            Self::InvalidMetadata { field, problem } => write!(f, "metadata `{field}` {problem}"),
        }
    }
}

impl core::error::Error for CryptoError {}
