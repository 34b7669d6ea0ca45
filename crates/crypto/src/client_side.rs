//! Client-side encryption: the learner's browser encrypts before upload, S3 only ever stores
//! ciphertext.
//!
//! Follows "Protecting data by using client-side encryption"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingClientSideEncryption.html>) and the
//! object format of the Amazon S3 Encryption Client (S3EC), format V2, with a raw AES key as the
//! wrapping key (the S3EC's "AES keyring"):
//!
//! - a fresh 256-bit content-encryption key (CEK) encrypts the body with `AES/GCM/NoPadding`, a
//!   96-bit IV and a 128-bit tag appended to the ciphertext; no AAD on the body;
//! - the CEK is wrapped with AES-GCM under the client's **master key**, with the content
//!   cipher's name `AES/GCM/NoPadding` as AAD; the wrapped key is `IV || ciphertext || tag`;
//! - the metadata travels as user metadata (`x-amz-meta-` + mapkey): `x-amz-key-v2`,
//!   `x-amz-iv`, `x-amz-cek-alg`, `x-amz-wrap-alg: AES/GCM`, `x-amz-tag-len: 128`,
//!   `x-amz-matdesc`, and optionally `x-amz-unencrypted-content-length`.
//!
//! So this follows AWS's own V2 format for the raw-AES-key case. Where we simplify:
//! no `kms+context` wrapping (a KMS key as the master key), no RSA, no legacy `AESWrap` /
//! AES-CBC decryption, no instruction files, no ranged GETs, and none of the V3 format's key
//! commitment. The simulated world never sees the master key: it receives only
//! [`ClientEncryptedObject`].

use core::fmt;

use data_encoding::BASE64;
use serde::{Deserialize, Serialize};

use crate::Entropy;
use crate::envelope::EncryptionContext;
use crate::error::CryptoError;
use crate::gcm::{self, Aes256Key, Ciphertext, NONCE_LEN, Nonce, TAG_LEN};

/// Prefix S3 puts on user-metadata headers.
pub const USER_METADATA_PREFIX: &str = "x-amz-meta-";
/// Mapkey of the wrapped content-encryption key (base64).
pub const META_KEY_V2: &str = "x-amz-key-v2";
/// Mapkey of the content IV (base64).
pub const META_IV: &str = "x-amz-iv";
/// Mapkey of the content cipher.
pub const META_CEK_ALG: &str = "x-amz-cek-alg";
/// Mapkey of the key-wrapping algorithm.
pub const META_WRAP_ALG: &str = "x-amz-wrap-alg";
/// Mapkey of the GCM tag length in bits.
pub const META_TAG_LEN: &str = "x-amz-tag-len";
/// Mapkey of the material description (JSON).
pub const META_MATDESC: &str = "x-amz-matdesc";
/// Mapkey of the plaintext length.
pub const META_UNENCRYPTED_CONTENT_LENGTH: &str = "x-amz-unencrypted-content-length";

/// `x-amz-cek-alg` value: AES-GCM content encryption.
pub const CEK_ALG_AES_GCM: &str = "AES/GCM/NoPadding";
/// `x-amz-wrap-alg` value: AES-GCM key wrapping under a raw AES master key.
pub const WRAP_ALG_AES_GCM: &str = "AES/GCM";
/// `x-amz-tag-len` value: 128-bit tags.
pub const TAG_LEN_BITS: &str = "128";

/// The client's master key: it never leaves the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientMasterKey {
    key: Aes256Key,
    material_description: EncryptionContext,
}

impl ClientMasterKey {
    /// A master key with an empty material description.
    #[must_use]
    pub fn new(key: Aes256Key) -> Self {
        Self {
            key,
            material_description: EncryptionContext::new(),
        }
    }

    /// A fresh master key drawn from `entropy`.
    #[must_use]
    pub fn generate(entropy: &mut (impl Entropy + ?Sized)) -> Self {
        Self::new(Aes256Key::generate(entropy))
    }

    /// Attaches a material description (free-form pairs the client uses to find the right
    /// master key later; stored in `x-amz-matdesc`, not secret).
    #[must_use]
    pub fn with_description(mut self, description: EncryptionContext) -> Self {
        self.material_description = description;
        self
    }

    /// The master key.
    #[must_use]
    pub const fn key(&self) -> &Aes256Key {
        &self.key
    }

    /// The material description.
    #[must_use]
    pub const fn material_description(&self) -> &EncryptionContext {
        &self.material_description
    }
}

/// The S3EC V2 metadata stored with a client-side encrypted object.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSideMetadata {
    /// `x-amz-key-v2`: base64 of the wrapped CEK (`IV || ciphertext || tag`).
    pub key_v2: String,
    /// `x-amz-iv`: base64 of the content IV.
    pub iv: String,
    /// `x-amz-cek-alg`.
    pub cek_alg: String,
    /// `x-amz-wrap-alg`.
    pub wrap_alg: String,
    /// `x-amz-tag-len`.
    pub tag_len: String,
    /// `x-amz-matdesc` (JSON).
    pub matdesc: String,
    /// `x-amz-unencrypted-content-length`, when present.
    pub unencrypted_content_length: Option<u64>,
}

impl ClientSideMetadata {
    /// The mapkeys and values, without the `x-amz-meta-` prefix, in a stable order.
    #[must_use]
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            (META_KEY_V2, self.key_v2.clone()),
            (META_IV, self.iv.clone()),
            (META_CEK_ALG, self.cek_alg.clone()),
            (META_WRAP_ALG, self.wrap_alg.clone()),
            (META_TAG_LEN, self.tag_len.clone()),
            (META_MATDESC, self.matdesc.clone()),
        ];
        if let Some(n) = self.unencrypted_content_length {
            out.push((META_UNENCRYPTED_CONTENT_LENGTH, n.to_string()));
        }
        out
    }

    /// The PutObject headers: each mapkey with the `x-amz-meta-` prefix.
    #[must_use]
    pub fn headers(&self) -> Vec<(String, String)> {
        self.entries()
            .into_iter()
            .map(|(k, v)| (format!("{USER_METADATA_PREFIX}{k}"), v))
            .collect()
    }

    /// Reads the metadata back from user-metadata pairs (with or without the `x-amz-meta-`
    /// prefix, names compared case-insensitively as HTTP headers are).
    ///
    /// # Errors
    /// [`CryptoError::InvalidMetadata`] when a required mapkey is missing.
    pub fn from_entries<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, CryptoError> {
        let mut found: [Option<String>; 7] = Default::default();
        let names = [
            META_KEY_V2,
            META_IV,
            META_CEK_ALG,
            META_WRAP_ALG,
            META_TAG_LEN,
            META_MATDESC,
            META_UNENCRYPTED_CONTENT_LENGTH,
        ];
        for (name, value) in pairs {
            let lower = name.to_ascii_lowercase();
            let bare = lower.strip_prefix(USER_METADATA_PREFIX).unwrap_or(&lower);
            if let Some(i) = names.iter().position(|n| *n == bare)
                && let Some(slot) = found.get_mut(i)
            {
                *slot = Some(value.to_owned());
            }
        }
        let [key_v2, iv, cek_alg, wrap_alg, tag_len, matdesc, length] = found;
        let required = |v: Option<String>, field: &'static str| {
            v.ok_or_else(|| CryptoError::InvalidMetadata {
                field,
                problem: "is missing".to_owned(),
            })
        };
        let unencrypted_content_length = match length {
            None => None,
            Some(text) => Some(text.parse().map_err(|_| CryptoError::InvalidMetadata {
                field: META_UNENCRYPTED_CONTENT_LENGTH,
                problem: format!("`{text}` is not a byte count"),
            })?),
        };
        Ok(Self {
            key_v2: required(key_v2, META_KEY_V2)?,
            iv: required(iv, META_IV)?,
            cek_alg: required(cek_alg, META_CEK_ALG)?,
            wrap_alg: required(wrap_alg, META_WRAP_ALG)?,
            // The spec makes x-amz-tag-len mandatory for GCM content.
            tag_len: required(tag_len, META_TAG_LEN)?,
            matdesc: matdesc.unwrap_or_else(|| "{}".to_owned()),
            unencrypted_content_length,
        })
    }
}

/// What the browser uploads: an opaque body plus metadata. This is all the world ever sees.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientEncryptedObject {
    /// The object body S3 stores: content ciphertext followed by the 16-byte tag.
    #[serde(with = "crate::codec::base64_vec")]
    pub body: Vec<u8>,
    /// The S3EC metadata.
    pub metadata: ClientSideMetadata,
}

impl fmt::Debug for ClientEncryptedObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientEncryptedObject")
            .field("body_len", &self.body.len())
            .field("metadata", &self.metadata)
            .finish()
    }
}

/// Encrypts `body` in the browser under a fresh content key wrapped by `master`.
///
/// # Errors
/// [`CryptoError::PlaintextTooLong`] past 64 GiB.
pub fn encrypt(
    body: &[u8],
    master: &ClientMasterKey,
    entropy: &mut (impl Entropy + ?Sized),
) -> Result<ClientEncryptedObject, CryptoError> {
    let cek = Aes256Key::generate(entropy);
    let content = gcm::seal_fresh(&cek, body, b"", entropy)?;
    let wrapped = gcm::seal_fresh(
        &master.key,
        cek.as_bytes(),
        CEK_ALG_AES_GCM.as_bytes(),
        entropy,
    )?;
    let mut stored = content.encrypted;
    stored.extend_from_slice(&content.tag);
    Ok(ClientEncryptedObject {
        body: stored,
        metadata: ClientSideMetadata {
            key_v2: BASE64.encode(&wrapped.to_bytes()),
            iv: BASE64.encode(content.nonce.as_bytes()),
            cek_alg: CEK_ALG_AES_GCM.to_owned(),
            wrap_alg: WRAP_ALG_AES_GCM.to_owned(),
            tag_len: TAG_LEN_BITS.to_owned(),
            matdesc: master.material_description.to_string(),
            unencrypted_content_length: u64::try_from(body.len()).ok(),
        },
    })
}

/// Decrypts an object fetched from S3 with the master key.
///
/// # Errors
/// [`CryptoError::InvalidMetadata`] for algorithms other than `AES/GCM/NoPadding` wrapped with
/// `AES/GCM` and 128-bit tags, or badly encoded fields; [`CryptoError::AuthenticationFailed`]
/// for a wrong master key or any altered byte.
pub fn decrypt(
    object: &ClientEncryptedObject,
    master: &ClientMasterKey,
) -> Result<Vec<u8>, CryptoError> {
    let m = &object.metadata;
    expect_value(META_CEK_ALG, &m.cek_alg, CEK_ALG_AES_GCM)?;
    expect_value(META_WRAP_ALG, &m.wrap_alg, WRAP_ALG_AES_GCM)?;
    expect_value(META_TAG_LEN, &m.tag_len, TAG_LEN_BITS)?;
    let wrapped = Ciphertext::from_bytes(&decode_b64(META_KEY_V2, &m.key_v2)?)?;
    let cek = Aes256Key::from_slice(&gcm::open(
        &master.key,
        &wrapped,
        CEK_ALG_AES_GCM.as_bytes(),
    )?)?;
    let iv: [u8; NONCE_LEN] = decode_b64(META_IV, &m.iv)?
        .try_into()
        .map_err(|v: Vec<u8>| CryptoError::InvalidMetadata {
            field: META_IV,
            problem: format!("is `{}` bytes, expected {NONCE_LEN}", v.len()),
        })?;
    let (encrypted, tag) =
        object
            .body
            .split_last_chunk::<TAG_LEN>()
            .ok_or(CryptoError::MalformedCiphertext {
                len: object.body.len(),
            })?;
    let content = Ciphertext {
        nonce: Nonce::from_bytes(iv),
        encrypted: encrypted.to_vec(),
        tag: *tag,
    };
    gcm::open(&cek, &content, b"")
}

fn expect_value(field: &'static str, got: &str, want: &str) -> Result<(), CryptoError> {
    if got == want {
        Ok(())
    } else {
        Err(CryptoError::InvalidMetadata {
            field,
            problem: format!("is `{got}`, only `{want}` is supported"),
        })
    }
}

fn decode_b64(field: &'static str, text: &str) -> Result<Vec<u8>, CryptoError> {
    BASE64
        .decode(text.as_bytes())
        .map_err(|_| CryptoError::InvalidMetadata {
            field,
            problem: "is not valid base64".to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SeededEntropy;

    #[test]
    fn browser_round_trip_with_the_master_key() {
        let mut e = SeededEntropy::from_seed(b"cse");
        let master = ClientMasterKey::generate(&mut e);
        let obj = encrypt(b"my diary", &master, &mut e).unwrap();
        assert_eq!(obj.body.len(), 8 + 16);
        assert_eq!(decrypt(&obj, &master).unwrap(), b"my diary");
    }

    #[test]
    fn another_master_key_cannot_decrypt() {
        let mut e = SeededEntropy::from_seed(b"cse-wrong");
        let master = ClientMasterKey::generate(&mut e);
        let other = ClientMasterKey::generate(&mut e);
        let obj = encrypt(b"secret", &master, &mut e).unwrap();
        assert_eq!(
            decrypt(&obj, &other),
            Err(CryptoError::AuthenticationFailed)
        );
    }

    #[test]
    fn metadata_uses_the_s3ec_v2_names_and_values() {
        let mut e = SeededEntropy::from_seed(b"cse-meta");
        let master = ClientMasterKey::generate(&mut e)
            .with_description(EncryptionContext::new().with("owner", "learner"));
        let obj = encrypt(b"abc", &master, &mut e).unwrap();
        let headers = obj.metadata.headers();
        let names: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "x-amz-meta-x-amz-key-v2",
                "x-amz-meta-x-amz-iv",
                "x-amz-meta-x-amz-cek-alg",
                "x-amz-meta-x-amz-wrap-alg",
                "x-amz-meta-x-amz-tag-len",
                "x-amz-meta-x-amz-matdesc",
                "x-amz-meta-x-amz-unencrypted-content-length",
            ]
        );
        let m = &obj.metadata;
        assert_eq!(
            (m.cek_alg.as_str(), m.wrap_alg.as_str(), m.tag_len.as_str()),
            ("AES/GCM/NoPadding", "AES/GCM", "128")
        );
        assert_eq!(m.matdesc, r#"{"owner":"learner"}"#);
        // Wrapped CEK: 12-byte IV, 32-byte key, 16-byte tag.
        assert_eq!(BASE64.decode(m.key_v2.as_bytes()).unwrap().len(), 60);
        assert_eq!(BASE64.decode(m.iv.as_bytes()).unwrap().len(), 12);
    }

    #[test]
    fn metadata_round_trips_through_headers() {
        let mut e = SeededEntropy::from_seed(b"cse-headers");
        let master = ClientMasterKey::generate(&mut e);
        let obj = encrypt(b"abc", &master, &mut e).unwrap();
        let headers = obj.metadata.headers();
        let parsed =
            ClientSideMetadata::from_entries(headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .unwrap();
        assert_eq!(parsed, obj.metadata);
        let missing =
            ClientSideMetadata::from_entries([("x-amz-meta-x-amz-iv", "AAAA")]).unwrap_err();
        assert_eq!(missing.to_string(), "metadata `x-amz-key-v2` is missing");
    }

    #[test]
    fn the_cek_is_wrapped_with_the_content_cipher_name_as_aad() {
        // Unwrap by hand the way the S3EC's AES keyring does, to pin the format.
        let mut e = SeededEntropy::from_seed(b"cse-format");
        let master = ClientMasterKey::generate(&mut e);
        let obj = encrypt(b"pinned", &master, &mut e).unwrap();
        let wrapped =
            Ciphertext::from_bytes(&BASE64.decode(obj.metadata.key_v2.as_bytes()).unwrap())
                .unwrap();
        let cek = gcm::open(master.key(), &wrapped, b"AES/GCM/NoPadding").unwrap();
        assert_eq!(cek.len(), 32);
        assert_eq!(
            gcm::open(master.key(), &wrapped, b""),
            Err(CryptoError::AuthenticationFailed)
        );
    }

    #[test]
    fn uploaded_object_survives_a_json_snapshot() {
        let mut e = SeededEntropy::from_seed(b"cse-json");
        let master = ClientMasterKey::generate(&mut e);
        let obj = encrypt(b"snapshot", &master, &mut e).unwrap();
        let back: ClientEncryptedObject =
            serde_json::from_str(&serde_json::to_string(&obj).unwrap()).unwrap();
        assert_eq!(decrypt(&back, &master).unwrap(), b"snapshot");
    }

    #[test]
    fn unsupported_algorithms_are_named() {
        let mut e = SeededEntropy::from_seed(b"cse-alg");
        let master = ClientMasterKey::generate(&mut e);
        let mut obj = encrypt(b"abc", &master, &mut e).unwrap();
        obj.metadata.wrap_alg = "kms+context".to_owned();
        assert_eq!(
            decrypt(&obj, &master).unwrap_err().to_string(),
            "metadata `x-amz-wrap-alg` is `kms+context`, only `AES/GCM` is supported"
        );
    }

    #[test]
    fn stored_body_never_contains_the_plaintext() {
        let mut e = SeededEntropy::from_seed(b"cse-opaque");
        let master = ClientMasterKey::generate(&mut e);
        let plain = b"attack at dawn, attack at dawn";
        let obj = encrypt(plain, &master, &mut e).unwrap();
        assert!(!obj.body.windows(6).any(|w| w == b"attack"));
    }
}
