//! Envelope encryption, as SSE-S3 and SSE-KMS do it.
//!
//! Follows "Using server-side encryption with AWS KMS keys (SSE-KMS)"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html>) and the KMS
//! concepts page on envelope encryption
//! (<https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#enveloping>):
//!
//! 1. a fresh 256-bit **data key** encrypts the object body ([`seal_object`]);
//! 2. the data key is itself encrypted under a **key-encryption key** — for SSE-KMS the KMS key's
//!    current key material, for SSE-S3 S3's own regularly rotated root key — and only that
//!    [`EncryptedDataKey`] is stored beside the object ([`generate_data_key`]);
//! 3. to read, the data key is decrypted ([`decrypt_data_key`]; for SSE-KMS that is the
//!    `kms:Decrypt` call S3 makes on the caller's behalf) and the body opened ([`open_object`]).
//!
//! A [`KeyRing`] is one key-encryption key with all its key-material versions: rotating a KMS key
//! adds a version and keeps the old ones, so data keys wrapped before the rotation still decrypt.
//!
//! The **encryption context** ([`EncryptionContext`]) is authenticated with the wrapped data
//! key, as KMS does: decrypting with a different context fails. For SSE-KMS S3 sets
//! `aws:s3:arn` to the object ARN, or to the bucket ARN when an S3 Bucket Key is used (§6.3 of
//! our semantics notes). The playground also binds the body to the same context (\[SIM\]: AWS does
//! not document how S3 authenticates the body), so a body moved to another key fails to open.
//!
//! S3 Bucket Keys compose from these parts: the world asks for a bucket-level data key with the
//! bucket ARN as context, wraps it in a [`KeyRing::from_material`], and uses that ring as the
//! key-encryption key for per-object data keys.

use core::fmt;
use std::collections::BTreeMap;

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};

use crate::Entropy;
use crate::error::CryptoError;
use crate::gcm::{self, Aes256Key, Ciphertext};

/// A plaintext 256-bit data key. It lives only in memory while an object is sealed or opened.
pub type DataKey = Aes256Key;

/// The encryption-context key S3 sets for SSE-KMS: the object ARN, or the bucket ARN with a Bucket Key.
pub const S3_ARN_CONTEXT_KEY: &str = "aws:s3:arn";

/// A KMS encryption context: non-secret string pairs bound to a ciphertext as AAD.
///
/// Pairs are kept sorted by key, so the same pairs always authenticate the same way whatever
/// order they were given in (KMS treats the context as an unordered map).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EncryptionContext(BTreeMap<String, String>);

impl EncryptionContext {
    /// An empty context.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The context S3 uses for SSE-KMS: `{"aws:s3:arn": arn}` (object ARN, or bucket ARN with a
    /// Bucket Key).
    #[must_use]
    pub fn s3_arn(arn: &str) -> Self {
        Self::new().with(S3_ARN_CONTEXT_KEY, arn)
    }

    /// Adds or replaces a pair (e.g. from `x-amz-server-side-encryption-context`).
    #[must_use]
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.insert(key, value);
        self
    }

    /// Adds or replaces a pair.
    pub fn insert(&mut self, key: &str, value: &str) {
        self.0.insert(key.to_owned(), value.to_owned());
    }

    /// The value for `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The pairs, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// True when there are no pairs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Reads `x-amz-server-side-encryption-context`: base64 of a UTF-8 JSON object whose values
    /// are all strings.
    ///
    /// # Errors
    /// [`CryptoError::InvalidEncoding`] when the value is not base64 of such an object.
    pub fn from_header(value: &str) -> Result<Self, CryptoError> {
        let invalid = || CryptoError::InvalidEncoding {
            what: "base64 of a JSON object of string values",
        };
        let json = BASE64
            .decode(value.trim().as_bytes())
            .map_err(|_| invalid())?;
        serde_json::from_slice::<BTreeMap<String, String>>(&json)
            .map(Self)
            .map_err(|_| invalid())
    }

    /// The header form: base64 of [`EncryptionContext`]'s JSON.
    #[must_use]
    pub fn to_header(&self) -> String {
        BASE64.encode(&self.canonical_bytes())
    }

    /// Pairs of `other` added to (and overriding) this context's.
    #[must_use]
    pub fn merged(mut self, other: &Self) -> Self {
        for (k, v) in other.iter() {
            self.insert(k, v);
        }
        self
    }

    /// The bytes authenticated as AAD: the compact JSON object with keys sorted.
    #[must_use]
    pub fn canonical_bytes(&self) -> Vec<u8> {
        self.to_string().into_bytes()
    }
}

impl fmt::Display for EncryptionContext {
    /// Compact JSON with sorted keys, e.g. `{"aws:s3:arn":"arn:aws:s3:::bucket/key"}`: the form
    /// CloudTrail shows under `requestParameters.encryptionContext`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write_json_string(f, k)?;
            f.write_str(":")?;
            write_json_string(f, v)?;
        }
        f.write_str("}")
    }
}

fn write_json_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    // Runs of characters that need no escape are written whole (this text is the AAD of every
    // SSE write, so it is on the request path).
    let mut plain = 0;
    for (i, c) in s.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if u32::from(c) < 0x20 => "",
            _ => continue,
        };
        f.write_str(s.get(plain..i).unwrap_or_default())?;
        if escaped.is_empty() {
            write!(f, "\\u{:04x}", u32::from(c))?;
        } else {
            f.write_str(escaped)?;
        }
        plain = i + c.len_utf8();
    }
    f.write_str(s.get(plain..).unwrap_or_default())?;
    f.write_str("\"")
}

impl<'a> FromIterator<(&'a str, &'a str)> for EncryptionContext {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(iter: I) -> Self {
        Self(
            iter.into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        )
    }
}

/// A key-encryption key and every version of its key material.
///
/// Models a KMS symmetric key (its key ID or ARN as `key_id`) or S3's SSE-S3 root key. Versions
/// count from 1; new data keys are always wrapped under the current (highest) version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRing {
    key_id: String,
    // INVARIANT: `older[i]` is version `i + 1`; `current` is version `older.len() + 1`.
    older: Vec<Aes256Key>,
    current: Aes256Key,
}

impl KeyRing {
    /// A key with fresh key material (version 1) drawn from `entropy`.
    #[must_use]
    pub fn new(key_id: impl Into<String>, entropy: &mut (impl Entropy + ?Sized)) -> Self {
        Self::from_material(key_id, Aes256Key::generate(entropy))
    }

    /// A key whose version 1 is `material` (imported key material, or a bucket-level data key).
    #[must_use]
    pub fn from_material(key_id: impl Into<String>, material: Aes256Key) -> Self {
        Self {
            key_id: key_id.into(),
            older: Vec::new(),
            current: material,
        }
    }

    /// The key's identifier (a KMS key ARN or ID, or the name of S3's root key).
    #[must_use]
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The version new data keys are wrapped under.
    #[must_use]
    pub fn current_version(&self) -> u32 {
        u32::try_from(self.older.len()).map_or(u32::MAX, |n| n.saturating_add(1))
    }

    /// The key material of `version`, if the ring holds it.
    #[must_use]
    pub fn material(&self, version: u32) -> Option<&Aes256Key> {
        if version == self.current_version() {
            return Some(&self.current);
        }
        let index = usize::try_from(version.checked_sub(1)?).ok()?;
        self.older.get(index)
    }

    /// Rotates to fresh key material drawn from `entropy`; returns the new version.
    ///
    /// Like KMS automatic and on-demand rotation: the key ID and policies stay, old material is
    /// kept for decryption only.
    pub fn rotate(&mut self, entropy: &mut (impl Entropy + ?Sized)) -> u32 {
        self.rotate_to(Aes256Key::generate(entropy))
    }

    /// Rotates to the given key material; returns the new version.
    pub fn rotate_to(&mut self, material: Aes256Key) -> u32 {
        let previous = core::mem::replace(&mut self.current, material);
        self.older.push(previous);
        self.current_version()
    }
}

/// A data key encrypted under a [`KeyRing`]: what S3 stores beside the object.
///
/// Names the key and key-material version it was wrapped under, as a KMS `CiphertextBlob`
/// carries its key's identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedDataKey {
    /// The key-encryption key's [`KeyRing::key_id`].
    pub key_id: String,
    /// The key-material version that wrapped it.
    pub key_version: u32,
    /// The data key sealed with AES-256-GCM, the context as AAD.
    pub wrapped: Ciphertext,
}

impl EncryptedDataKey {
    /// The wrapped key in base64: what a learner sees as the "encrypted data key".
    #[must_use]
    pub fn to_base64(&self) -> String {
        BASE64.encode(&self.wrapped.to_bytes())
    }
}

impl fmt::Display for EncryptedDataKey {
    /// `` data key encrypted under `KEY` (key material v1): BASE64 ``
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "data key encrypted under `{}` (key material v{}): {}",
            self.key_id,
            self.key_version,
            self.to_base64()
        )
    }
}

/// The AAD for wrapping a data key: it binds the key's identity, its version and the context.
fn wrap_aad(key_id: &str, version: u32, context: &EncryptionContext) -> Vec<u8> {
    let mut aad = Vec::new();
    aad.extend_from_slice(b"s3pg-data-key-v1\n");
    aad.extend_from_slice(key_id.as_bytes());
    aad.push(b'\n');
    aad.extend_from_slice(version.to_string().as_bytes());
    aad.push(b'\n');
    aad.extend_from_slice(&context.canonical_bytes());
    aad
}

/// `GenerateDataKey`: a fresh data key in plaintext (used once, then forgotten) and encrypted
/// under the ring's current key material (stored).
///
/// # Errors
/// None in practice; the `Result` carries [`gcm::seal`]'s length check.
pub fn generate_data_key(
    kek: &KeyRing,
    context: &EncryptionContext,
    entropy: &mut (impl Entropy + ?Sized),
) -> Result<(DataKey, EncryptedDataKey), CryptoError> {
    let data_key = DataKey::generate(entropy);
    let encrypted = encrypt_data_key(kek, &data_key, context, entropy)?;
    Ok((data_key, encrypted))
}

/// Wraps an existing data key under the ring's current key material.
///
/// # Errors
/// None in practice; the `Result` carries [`gcm::seal`]'s length check.
pub fn encrypt_data_key(
    kek: &KeyRing,
    data_key: &DataKey,
    context: &EncryptionContext,
    entropy: &mut (impl Entropy + ?Sized),
) -> Result<EncryptedDataKey, CryptoError> {
    let version = kek.current_version();
    let aad = wrap_aad(&kek.key_id, version, context);
    let wrapped = gcm::seal_fresh(&kek.current, data_key.as_bytes(), &aad, entropy)?;
    Ok(EncryptedDataKey {
        key_id: kek.key_id.clone(),
        key_version: version,
        wrapped,
    })
}

/// `Decrypt`: recovers the data key with whichever key-material version wrapped it.
///
/// # Errors
/// - [`CryptoError::KeyIdMismatch`]: the data key was wrapped under another key;
/// - [`CryptoError::UnknownKeyVersion`]: the ring lacks that version;
/// - [`CryptoError::AuthenticationFailed`]: the context differs from the one used to wrap, or
///   the encrypted data key was altered.
pub fn decrypt_data_key(
    kek: &KeyRing,
    encrypted: &EncryptedDataKey,
    context: &EncryptionContext,
) -> Result<DataKey, CryptoError> {
    if encrypted.key_id != kek.key_id {
        return Err(CryptoError::KeyIdMismatch {
            expected: kek.key_id.clone(),
            found: encrypted.key_id.clone(),
        });
    }
    let material =
        kek.material(encrypted.key_version)
            .ok_or_else(|| CryptoError::UnknownKeyVersion {
                key_id: encrypted.key_id.clone(),
                version: encrypted.key_version,
            })?;
    let aad = wrap_aad(&encrypted.key_id, encrypted.key_version, context);
    let bytes = gcm::open(material, &encrypted.wrapped, &aad)?;
    Aes256Key::from_slice(&bytes)
}

/// Encrypts an object body under a data key (or an SSE-C customer key), with a fresh nonce.
///
/// # Errors
/// [`CryptoError::PlaintextTooLong`] past 64 GiB.
pub fn seal_object(
    body: &[u8],
    data_key: &DataKey,
    aad: &[u8],
    entropy: &mut (impl Entropy + ?Sized),
) -> Result<Ciphertext, CryptoError> {
    gcm::seal_fresh(data_key, body, aad, entropy)
}

/// Decrypts an object body sealed by [`seal_object`] with the same key and AAD.
///
/// # Errors
/// [`CryptoError::AuthenticationFailed`] for any other key, AAD or altered byte.
pub fn open_object(
    sealed: &Ciphertext,
    data_key: &DataKey,
    aad: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    gcm::open(data_key, sealed, aad)
}

/// An object body sealed with envelope encryption, as stored at rest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedObject {
    /// The wrapped data key.
    pub encrypted_data_key: EncryptedDataKey,
    /// The body, sealed under the data key with the context as AAD.
    pub body: Ciphertext,
}

/// The whole SSE-S3 / SSE-KMS write path: generate a data key, seal the body, keep only the
/// wrapped key.
///
/// # Errors
/// [`CryptoError::PlaintextTooLong`] past 64 GiB.
pub fn envelope_seal(
    body: &[u8],
    kek: &KeyRing,
    context: &EncryptionContext,
    entropy: &mut (impl Entropy + ?Sized),
) -> Result<SealedObject, CryptoError> {
    let (data_key, encrypted_data_key) = generate_data_key(kek, context, entropy)?;
    let body = seal_object(body, &data_key, &context.canonical_bytes(), entropy)?;
    Ok(SealedObject {
        encrypted_data_key,
        body,
    })
}

/// The whole SSE-S3 / SSE-KMS read path: decrypt the data key, open the body.
///
/// # Errors
/// As [`decrypt_data_key`] and [`open_object`].
pub fn envelope_open(
    sealed: &SealedObject,
    kek: &KeyRing,
    context: &EncryptionContext,
) -> Result<Vec<u8>, CryptoError> {
    let data_key = decrypt_data_key(kek, &sealed.encrypted_data_key, context)?;
    open_object(&sealed.body, &data_key, &context.canonical_bytes())
}

/// An object body under DSSE-KMS: two independent layers of AES-256 encryption.
///
/// AWS documents that DSSE-KMS applies two layers with different data keys, the KMS key
/// protecting them, and that the encryption context is always the object ARN
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingDSSEncryption.html>). How the
/// second layer's key is protected is not documented; the playground wraps it under S3's own
/// root key (\[SIM\]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DualLayerSealedObject {
    /// Inner layer's data key, wrapped by the KMS key.
    pub kms_data_key: EncryptedDataKey,
    /// Outer layer's data key, wrapped by S3's root key.
    pub s3_data_key: EncryptedDataKey,
    /// The outer ciphertext; its plaintext is the inner ciphertext's wire form.
    pub body: Ciphertext,
}

/// DSSE-KMS write path: seal under a KMS data key, then seal that ciphertext again under a
/// second, independent data key.
///
/// # Errors
/// [`CryptoError::PlaintextTooLong`] past 64 GiB.
pub fn dsse_seal(
    body: &[u8],
    kms_key: &KeyRing,
    s3_root: &KeyRing,
    object_context: &EncryptionContext,
    entropy: &mut (impl Entropy + ?Sized),
) -> Result<DualLayerSealedObject, CryptoError> {
    let aad = object_context.canonical_bytes();
    let (inner_key, kms_data_key) = generate_data_key(kms_key, object_context, entropy)?;
    let inner = seal_object(body, &inner_key, &aad, entropy)?;
    let (outer_key, s3_data_key) = generate_data_key(s3_root, object_context, entropy)?;
    let body = seal_object(&inner.to_bytes(), &outer_key, &aad, entropy)?;
    Ok(DualLayerSealedObject {
        kms_data_key,
        s3_data_key,
        body,
    })
}

/// DSSE-KMS read path: remove the outer layer, then the inner one.
///
/// # Errors
/// As [`decrypt_data_key`] and [`open_object`], for either layer.
pub fn dsse_open(
    sealed: &DualLayerSealedObject,
    kms_key: &KeyRing,
    s3_root: &KeyRing,
    object_context: &EncryptionContext,
) -> Result<Vec<u8>, CryptoError> {
    let aad = object_context.canonical_bytes();
    let outer_key = decrypt_data_key(s3_root, &sealed.s3_data_key, object_context)?;
    let inner = Ciphertext::from_bytes(&open_object(&sealed.body, &outer_key, &aad)?)?;
    let inner_key = decrypt_data_key(kms_key, &sealed.kms_data_key, object_context)?;
    open_object(&inner, &inner_key, &aad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SeededEntropy;

    const OBJECT_ARN: &str = "arn:aws:s3:::sim-bucket/report.pdf";
    const KEY_ARN: &str =
        "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn ring(e: &mut SeededEntropy) -> KeyRing {
        KeyRing::new(KEY_ARN, e)
    }

    #[test]
    fn envelope_round_trips() {
        let mut e = SeededEntropy::from_seed(b"envelope");
        let kek = ring(&mut e);
        let ctx = EncryptionContext::s3_arn(OBJECT_ARN);
        let sealed = envelope_seal(b"quarterly numbers", &kek, &ctx, &mut e).unwrap();
        assert_eq!(sealed.encrypted_data_key.key_id, KEY_ARN);
        assert_eq!(sealed.encrypted_data_key.key_version, 1);
        assert_eq!(
            envelope_open(&sealed, &kek, &ctx).unwrap(),
            b"quarterly numbers"
        );
    }

    #[test]
    fn data_key_wrapped_before_rotation_still_decrypts_after_it() {
        let mut e = SeededEntropy::from_seed(b"rotation");
        let mut kek = ring(&mut e);
        let ctx = EncryptionContext::s3_arn(OBJECT_ARN);
        let before = envelope_seal(b"old", &kek, &ctx, &mut e).unwrap();
        assert_eq!(kek.rotate(&mut e), 2);
        let after = envelope_seal(b"new", &kek, &ctx, &mut e).unwrap();
        assert_eq!(after.encrypted_data_key.key_version, 2);
        assert_eq!(envelope_open(&before, &kek, &ctx).unwrap(), b"old");
        assert_eq!(envelope_open(&after, &kek, &ctx).unwrap(), b"new");
    }

    #[test]
    fn a_ring_without_the_wrapping_version_cannot_decrypt() {
        let mut e = SeededEntropy::from_seed(b"versions");
        let mut kek = ring(&mut e);
        kek.rotate(&mut e);
        let ctx = EncryptionContext::new();
        let sealed = envelope_seal(b"x", &kek, &ctx, &mut e).unwrap();
        // A ring with the same id that has only ever had version 1.
        let fresh = ring(&mut e);
        assert_eq!(
            envelope_open(&sealed, &fresh, &ctx),
            Err(CryptoError::UnknownKeyVersion {
                key_id: KEY_ARN.into(),
                version: 2
            })
        );
    }

    #[test]
    fn decrypting_with_a_different_context_fails() {
        let mut e = SeededEntropy::from_seed(b"context");
        let kek = ring(&mut e);
        let sealed =
            envelope_seal(b"x", &kek, &EncryptionContext::s3_arn(OBJECT_ARN), &mut e).unwrap();
        let other = EncryptionContext::s3_arn("arn:aws:s3:::sim-bucket/other.pdf");
        assert_eq!(
            envelope_open(&sealed, &kek, &other),
            Err(CryptoError::AuthenticationFailed)
        );
    }

    #[test]
    fn decrypting_under_another_key_id_is_refused_before_any_crypto() {
        let mut e = SeededEntropy::from_seed(b"kid");
        let kek = ring(&mut e);
        let other = KeyRing::new("alias/other", &mut e);
        let ctx = EncryptionContext::new();
        let (_, edk) = generate_data_key(&kek, &ctx, &mut e).unwrap();
        assert_eq!(
            decrypt_data_key(&other, &edk, &ctx),
            Err(CryptoError::KeyIdMismatch {
                expected: "alias/other".into(),
                found: KEY_ARN.into()
            })
        );
    }

    #[test]
    fn same_id_different_material_fails_authentication() {
        let mut e = SeededEntropy::from_seed(b"impostor");
        let kek = ring(&mut e);
        let impostor = ring(&mut e);
        let ctx = EncryptionContext::new();
        let (_, edk) = generate_data_key(&kek, &ctx, &mut e).unwrap();
        assert_eq!(
            decrypt_data_key(&impostor, &edk, &ctx),
            Err(CryptoError::AuthenticationFailed)
        );
    }

    #[test]
    fn generated_data_key_is_what_decrypt_returns() {
        let mut e = SeededEntropy::from_seed(b"gdk");
        let kek = ring(&mut e);
        let ctx = EncryptionContext::s3_arn("arn:aws:s3:::sim-bucket");
        let (plain, edk) = generate_data_key(&kek, &ctx, &mut e).unwrap();
        assert_eq!(decrypt_data_key(&kek, &edk, &ctx).unwrap(), plain);
        assert!(edk.to_string().starts_with(&format!(
            "data key encrypted under `{KEY_ARN}` (key material v1): "
        )));
    }

    #[test]
    fn bucket_key_composes_from_a_data_key() {
        let mut e = SeededEntropy::from_seed(b"bucket-key");
        let kms_key = ring(&mut e);
        let bucket_ctx = EncryptionContext::s3_arn("arn:aws:s3:::sim-bucket");
        let (bucket_key, _stored) = generate_data_key(&kms_key, &bucket_ctx, &mut e).unwrap();
        let bucket_ring = KeyRing::from_material("bucket-key:sim-bucket", bucket_key);
        let sealed = envelope_seal(b"cheap to encrypt", &bucket_ring, &bucket_ctx, &mut e).unwrap();
        assert_eq!(
            envelope_open(&sealed, &bucket_ring, &bucket_ctx).unwrap(),
            b"cheap to encrypt"
        );
    }

    #[test]
    fn dsse_needs_both_keys_and_layers_are_independent() {
        let mut e = SeededEntropy::from_seed(b"dsse");
        let kms = ring(&mut e);
        let s3 = KeyRing::new("sse-s3-root", &mut e);
        let ctx = EncryptionContext::s3_arn(OBJECT_ARN);
        let sealed = dsse_seal(b"top secret", &kms, &s3, &ctx, &mut e).unwrap();
        assert_ne!(sealed.kms_data_key.wrapped, sealed.s3_data_key.wrapped);
        // Two layers: 12 + 16 bytes of inner framing inside the outer ciphertext.
        assert_eq!(sealed.body.encrypted.len(), b"top secret".len() + 28);
        assert_eq!(dsse_open(&sealed, &kms, &s3, &ctx).unwrap(), b"top secret");
        let other_kms = KeyRing::new(KEY_ARN, &mut e);
        assert_eq!(
            dsse_open(&sealed, &other_kms, &s3, &ctx),
            Err(CryptoError::AuthenticationFailed)
        );
    }

    #[test]
    fn context_is_order_independent_and_prints_as_sorted_json() {
        let a: EncryptionContext = [("b", "2"), ("a", "1")].into_iter().collect();
        let b = EncryptionContext::new().with("a", "1").with("b", "2");
        assert_eq!(a, b);
        assert_eq!(a.to_string(), r#"{"a":"1","b":"2"}"#);
        assert_eq!(
            EncryptionContext::s3_arn("arn:aws:s3:::b/q\"k").to_string(),
            r#"{"aws:s3:arn":"arn:aws:s3:::b/q\"k"}"#
        );
        assert_eq!(
            EncryptionContext::s3_arn("é\\\n\r\t\u{1}\"ü").to_string(),
            r#"{"aws:s3:arn":"é\\\n\r\t\u0001\"ü"}"#
        );
    }

    #[test]
    fn context_header_round_trips_and_rejects_non_strings() {
        let ctx = EncryptionContext::s3_arn("arn:aws:s3:::b/k").with("project", "x");
        assert_eq!(
            EncryptionContext::from_header(&ctx.to_header()).unwrap(),
            ctx
        );
        // {"a":1}
        let number = BASE64.encode(br#"{"a":1}"#);
        assert!(EncryptionContext::from_header(&number).is_err());
        assert!(EncryptionContext::from_header("%%%").is_err());
        let merged = EncryptionContext::new()
            .with("a", "1")
            .merged(&EncryptionContext::new().with("a", "2"));
        assert_eq!(merged.get("a"), Some("2"));
    }

    #[test]
    fn sealed_objects_survive_a_json_snapshot() {
        let mut e = SeededEntropy::from_seed(b"snapshot");
        let mut kek = ring(&mut e);
        kek.rotate(&mut e);
        let ctx = EncryptionContext::s3_arn(OBJECT_ARN);
        let sealed = envelope_seal(b"persist me", &kek, &ctx, &mut e).unwrap();
        let kek2: KeyRing = serde_json::from_str(&serde_json::to_string(&kek).unwrap()).unwrap();
        let sealed2: SealedObject =
            serde_json::from_str(&serde_json::to_string(&sealed).unwrap()).unwrap();
        assert_eq!((&kek2, &sealed2), (&kek, &sealed));
        assert_eq!(envelope_open(&sealed2, &kek2, &ctx).unwrap(), b"persist me");
        let json = serde_json::to_value(&sealed).unwrap();
        assert_eq!(json["encrypted_data_key"]["key_version"], 2);
        assert!(json["body"].is_string(), "bodies travel as base64 text");
    }

    #[test]
    fn key_ring_versions_count_from_one() {
        let mut kek = KeyRing::from_material("k", Aes256Key::from_bytes([1; 32]));
        assert_eq!(kek.current_version(), 1);
        assert_eq!(kek.material(0), None);
        assert_eq!(kek.rotate_to(Aes256Key::from_bytes([2; 32])), 2);
        assert_eq!(kek.material(1), Some(&Aes256Key::from_bytes([1; 32])));
        assert_eq!(kek.material(2), Some(&Aes256Key::from_bytes([2; 32])));
        assert_eq!(kek.material(3), None);
    }
}
