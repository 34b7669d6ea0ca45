//! KMS ciphertext blobs: what `Encrypt` and `GenerateDataKey` return and `Decrypt` takes.
//!
//! Follows the KMS concepts page on ciphertext and encryption context
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html>): a symmetric
//! ciphertext names the key (and, internally, the key-material version) that made it, so `Decrypt`
//! needs no key id; the encryption context is bound as additional authenticated data, so the exact
//! same context is needed to decrypt.
//!
//! A blob is `s3pg_crypto`'s [`EncryptedDataKey`] (key ARN, material version, AES-256-GCM
//! ciphertext). Data keys from `GenerateDataKey` use `s3pg_crypto::generate_data_key` (so the
//! world's SSE-KMS objects are ordinary crypto-crate envelopes); arbitrary plaintexts from
//! `Encrypt` use the same layout under a KMS-specific AAD. `Decrypt` accepts either.

use s3pg_crypto::{
    CryptoError, EncryptedDataKey, EncryptionContext, Entropy, KeyRing, decrypt_data_key, gcm,
};

use crate::error::KmsError;

/// Largest plaintext `Encrypt` accepts, in bytes.
pub const ENCRYPT_MAX_PLAINTEXT: usize = 4096;

/// AAD for `Encrypt` blobs: key, version and context, under a label distinct from data keys'.
fn encrypt_aad(key_id: &str, version: u32, context: &EncryptionContext) -> Vec<u8> {
    let mut aad = b"s3pg-kms-encrypt-v1\n".to_vec();
    aad.extend_from_slice(key_id.as_bytes());
    aad.push(b'\n');
    aad.extend_from_slice(version.to_string().as_bytes());
    aad.push(b'\n');
    aad.extend_from_slice(&context.canonical_bytes());
    aad
}

/// `Encrypt`: seals `plaintext` under the ring's current material.
pub(crate) fn encrypt(
    ring: &KeyRing,
    plaintext: &[u8],
    context: &EncryptionContext,
    entropy: &mut (impl Entropy + ?Sized),
) -> Result<EncryptedDataKey, KmsError> {
    let version = ring.current_version();
    let material = ring.material(version).ok_or(KmsError::InvalidCiphertext)?;
    let aad = encrypt_aad(ring.key_id(), version, context);
    let wrapped =
        gcm::seal_fresh(material, plaintext, &aad, entropy).map_err(|e| KmsError::Validation {
            message: e.to_string(),
        })?;
    Ok(EncryptedDataKey {
        key_id: ring.key_id().to_owned(),
        key_version: version,
        wrapped,
    })
}

/// `Decrypt`: opens a blob made by [`encrypt`] or by `GenerateDataKey`, with the same context.
pub(crate) fn decrypt(
    ring: &KeyRing,
    blob: &EncryptedDataKey,
    context: &EncryptionContext,
) -> Result<Vec<u8>, KmsError> {
    if blob.key_id != ring.key_id() {
        return Err(KmsError::IncorrectKey);
    }
    let material = ring
        .material(blob.key_version)
        .ok_or(KmsError::InvalidCiphertext)?;
    let aad = encrypt_aad(&blob.key_id, blob.key_version, context);
    if let Ok(plaintext) = gcm::open(material, &blob.wrapped, &aad) {
        return Ok(plaintext);
    }
    match decrypt_data_key(ring, blob, context) {
        Ok(key) => Ok(key.as_bytes().to_vec()),
        Err(CryptoError::KeyIdMismatch { .. }) => Err(KmsError::IncorrectKey),
        Err(_) => Err(KmsError::InvalidCiphertext),
    }
}
