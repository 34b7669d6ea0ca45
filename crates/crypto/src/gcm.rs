//! AES-256-GCM: the one cipher every encryption mode in the playground uses.
//!
//! S3 encrypts object data with AES-256 under SSE-S3, SSE-KMS and SSE-C ("Protecting data with
//! server-side encryption", <https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html>);
//! the S3 Encryption Client v2 encrypts with `AES/GCM/NoPadding`. AWS does not say which AES
//! mode S3 uses internally for server-side encryption, so the simulator uses GCM everywhere
//! (\[SIM\]): a 256-bit key, a 96-bit nonce, optional additional authenticated data (AAD) and a
//! 128-bit tag (NIST SP 800-38D).
//!
//! [`seal`] and [`open`] are the primitive; [`Ciphertext`] keeps nonce, encrypted bytes and tag
//! together and can be shown to a learner as hex or base64.

use core::fmt;

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce as GcmNonce, Tag};
use data_encoding::BASE64;
use data_encoding::HEXLOWER;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::Entropy;
use crate::error::CryptoError;

/// Length of an AES-256 key in bytes (256 bits).
pub const KEY_LEN: usize = 32;
/// Length of a GCM nonce in bytes (96 bits).
pub const NONCE_LEN: usize = 12;
/// Length of a GCM authentication tag in bytes (128 bits).
pub const TAG_LEN: usize = 16;

/// A 256-bit AES key: a data key, a key-encryption key's material, an SSE-C customer key or a
/// client-side master key.
///
/// `Debug` and `Display` never print the key; [`Aes256Key::fingerprint`] gives a short,
/// one-way identifier a learner can compare instead.
#[derive(Clone, PartialEq, Eq)]
pub struct Aes256Key([u8; KEY_LEN]);

impl Aes256Key {
    /// Wraps 32 raw key bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// Wraps a slice that must be exactly 32 bytes long.
    ///
    /// # Errors
    /// [`CryptoError::InvalidKeyLength`] when the slice is not 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, CryptoError> {
        <[u8; KEY_LEN]>::try_from(bytes)
            .map(Self)
            .map_err(|_| CryptoError::InvalidKeyLength { len: bytes.len() })
    }

    /// Draws a fresh key from `entropy`.
    #[must_use]
    pub fn generate(entropy: &mut (impl Entropy + ?Sized)) -> Self {
        let mut bytes = [0_u8; KEY_LEN];
        entropy.fill(&mut bytes);
        Self(bytes)
    }

    /// The raw key bytes. Handle with care: this is the secret.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The key in standard base64 (how SSE-C keys travel in headers).
    #[must_use]
    pub fn to_base64(&self) -> String {
        BASE64.encode(&self.0)
    }

    /// A short one-way identifier of the key: the first 8 hex digits of SHA-256 of the key.
    ///
    /// Safe to show: it tells two keys apart without revealing either.
    #[must_use]
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.0);
        HEXLOWER.encode(digest.get(..4).unwrap_or_default())
    }
}

/// Serialized as standard base64 (a world snapshot must be able to hold its keys).
impl Serialize for Aes256Key {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Aes256Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let text = String::deserialize(d)?;
        let bytes = BASE64
            .decode(text.as_bytes())
            .map_err(|_| D::Error::custom("key is not valid base64"))?;
        Self::from_slice(&bytes).map_err(D::Error::custom)
    }
}

impl fmt::Debug for Aes256Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Aes256Key(sha256:{}…)", self.fingerprint())
    }
}

/// A 96-bit GCM nonce. It must never repeat under the same key. Serialized as hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Nonce(#[serde(with = "crate::codec::hex_array")] [u8; NONCE_LEN]);

impl Nonce {
    /// Wraps 12 raw bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; NONCE_LEN]) -> Self {
        Self(bytes)
    }

    /// Draws a fresh nonce from `entropy`.
    #[must_use]
    pub fn generate(entropy: &mut (impl Entropy + ?Sized)) -> Self {
        let mut bytes = [0_u8; NONCE_LEN];
        entropy.fill(&mut bytes);
        Self(bytes)
    }

    /// The raw nonce bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; NONCE_LEN] {
        &self.0
    }
}

impl fmt::Debug for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nonce({})", HEXLOWER.encode(&self.0))
    }
}

impl fmt::Display for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&HEXLOWER.encode(&self.0))
    }
}

/// The output of AES-256-GCM: the nonce it used, the encrypted bytes and the 128-bit tag.
///
/// The encrypted bytes are exactly as long as the plaintext (GCM is a stream mode); the tag
/// authenticates both them and the AAD. [`Ciphertext::to_bytes`] lays them out as
/// `nonce || encrypted || tag`, the usual wire form.
#[derive(Clone, PartialEq, Eq)]
pub struct Ciphertext {
    /// The nonce the message was sealed with.
    pub nonce: Nonce,
    /// The encrypted bytes (same length as the plaintext).
    pub encrypted: Vec<u8>,
    /// The GCM authentication tag.
    pub tag: [u8; TAG_LEN],
}

impl Ciphertext {
    /// `nonce || encrypted || tag`.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(NONCE_LEN + self.encrypted.len() + TAG_LEN);
        out.extend_from_slice(&self.nonce.0);
        out.extend_from_slice(&self.encrypted);
        out.extend_from_slice(&self.tag);
        out
    }

    /// Parses `nonce || encrypted || tag`.
    ///
    /// # Errors
    /// [`CryptoError::MalformedCiphertext`] when fewer than 28 bytes are given.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
        let malformed = || CryptoError::MalformedCiphertext { len: bytes.len() };
        let (nonce, rest) = bytes
            .split_first_chunk::<NONCE_LEN>()
            .ok_or_else(malformed)?;
        let (encrypted, tag) = rest.split_last_chunk::<TAG_LEN>().ok_or_else(malformed)?;
        Ok(Self {
            nonce: Nonce(*nonce),
            encrypted: encrypted.to_vec(),
            tag: *tag,
        })
    }

    /// [`Ciphertext::to_bytes`] in standard base64.
    #[must_use]
    pub fn to_base64(&self) -> String {
        BASE64.encode(&self.to_bytes())
    }

    /// Parses the base64 form written by [`Ciphertext::to_base64`].
    ///
    /// # Errors
    /// [`CryptoError::InvalidEncoding`] for bad base64, else as [`Ciphertext::from_bytes`].
    pub fn from_base64(text: &str) -> Result<Self, CryptoError> {
        let bytes = BASE64
            .decode(text.as_bytes())
            .map_err(|_| CryptoError::InvalidEncoding { what: "base64" })?;
        Self::from_bytes(&bytes)
    }

    /// Total length of the wire form (`12 + plaintext length + 16`).
    #[must_use]
    pub fn len(&self) -> usize {
        NONCE_LEN + self.encrypted.len() + TAG_LEN
    }

    /// True when the sealed plaintext was empty (only nonce and tag remain).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.encrypted.is_empty()
    }

    /// The first `max_bytes` encrypted bytes in hex, with `…` when cut: what a learner sees
    /// instead of their file after encryption.
    #[must_use]
    pub fn hex_preview(&self, max_bytes: usize) -> String {
        preview(
            &HEXLOWER.encode(self.encrypted.get(..max_bytes).unwrap_or(&self.encrypted)),
            self.encrypted.len() > max_bytes,
        )
    }

    /// The first `max_chars` characters of the base64 wire form, with `…` when cut.
    #[must_use]
    pub fn base64_preview(&self, max_chars: usize) -> String {
        let full = self.to_base64();
        let cut = full.len() > max_chars;
        preview(full.get(..max_chars).unwrap_or(&full), cut)
    }
}

/// Serialized as the base64 wire form, [`Ciphertext::to_base64`].
impl Serialize for Ciphertext {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_base64())
    }
}

impl<'de> Deserialize<'de> for Ciphertext {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        Self::from_base64(&String::deserialize(d)?).map_err(D::Error::custom)
    }
}

fn preview(shown: &str, cut: bool) -> String {
    if cut {
        format!("{shown}…")
    } else {
        shown.to_owned()
    }
}

impl fmt::Debug for Ciphertext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ciphertext")
            .field("nonce", &self.nonce)
            .field("encrypted", &self.hex_preview(16))
            .field("len", &self.encrypted.len())
            .field("tag", &HEXLOWER.encode(&self.tag))
            .finish()
    }
}

impl fmt::Display for Ciphertext {
    /// `AES-256-GCM nonce=… tag=… ciphertext=… (N bytes)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AES-256-GCM nonce={} tag={} ciphertext={} ({} bytes)",
            self.nonce,
            HEXLOWER.encode(&self.tag),
            self.hex_preview(16),
            self.encrypted.len()
        )
    }
}

/// Encrypts `plaintext` under `key` with the given `nonce`, authenticating `aad` too.
///
/// The caller guarantees the nonce is fresh for this key; [`seal_fresh`] draws one.
///
/// # Errors
/// [`CryptoError::PlaintextTooLong`] past GCM's limit of 2^36 − 32 bytes (64 GiB).
pub fn seal(
    key: &Aes256Key,
    nonce: Nonce,
    plaintext: &[u8],
    aad: &[u8],
) -> Result<Ciphertext, CryptoError> {
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(key.0));
    let mut encrypted = plaintext.to_vec();
    let tag = cipher
        .encrypt_inout_detached(
            &GcmNonce::from(nonce.0),
            aad,
            encrypted.as_mut_slice().into(),
        )
        .map_err(|_| CryptoError::PlaintextTooLong {
            len: plaintext.len(),
        })?;
    Ok(Ciphertext {
        nonce,
        encrypted,
        tag: tag.into(),
    })
}

/// [`seal`] with a nonce drawn from `entropy`.
///
/// # Errors
/// As [`seal`].
pub fn seal_fresh(
    key: &Aes256Key,
    plaintext: &[u8],
    aad: &[u8],
    entropy: &mut (impl Entropy + ?Sized),
) -> Result<Ciphertext, CryptoError> {
    seal(key, Nonce::generate(entropy), plaintext, aad)
}

/// Decrypts and authenticates `ciphertext` under `key` with the same `aad` it was sealed with.
///
/// # Errors
/// [`CryptoError::AuthenticationFailed`] when the key, the AAD, the nonce, the encrypted bytes
/// or the tag differ in any bit from what [`seal`] produced. GCM cannot tell which.
pub fn open(key: &Aes256Key, ciphertext: &Ciphertext, aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(key.0));
    let mut plaintext = ciphertext.encrypted.clone();
    cipher
        .decrypt_inout_detached(
            &GcmNonce::from(ciphertext.nonce.0),
            aad,
            plaintext.as_mut_slice().into(),
            &Tag::from(ciphertext.tag),
        )
        .map_err(|_| CryptoError::AuthenticationFailed)?;
    Ok(plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SeededEntropy;

    fn hex(s: &str) -> Vec<u8> {
        HEXLOWER.decode(s.as_bytes()).unwrap()
    }

    struct Vector {
        name: &'static str,
        key: &'static str,
        iv: &'static str,
        plaintext: &'static str,
        aad: &'static str,
        ciphertext: &'static str,
        tag: &'static str,
    }

    const TC_KEY_ZERO: &str = "0000000000000000000000000000000000000000000000000000000000000000";
    const TC_KEY: &str = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
    const TC_IV: &str = "cafebabefacedbaddecaf888";
    const TC_P64: &str = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    const TC_P60: &str = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    const TC_A: &str = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    const TC_C64: &str = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
    const TC_C60: &str = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";

    /// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 13–16
    /// (the AES-256, 96-bit IV cases).
    const GCM_SPEC_VECTORS: [Vector; 4] = [
        Vector {
            name: "test case 13: empty plaintext, no aad",
            key: TC_KEY_ZERO,
            iv: "000000000000000000000000",
            plaintext: "",
            aad: "",
            ciphertext: "",
            tag: "530f8afbc74536b9a963b4f1c4cb738b",
        },
        Vector {
            name: "test case 14: one zero block, no aad",
            key: TC_KEY_ZERO,
            iv: "000000000000000000000000",
            plaintext: "00000000000000000000000000000000",
            aad: "",
            ciphertext: "cea7403d4d606b6e074ec5d3baf39d18",
            tag: "d0d1c8a799996bf0265b98b5d48ab919",
        },
        Vector {
            name: "test case 15: four blocks, no aad",
            key: TC_KEY,
            iv: TC_IV,
            plaintext: TC_P64,
            aad: "",
            ciphertext: TC_C64,
            tag: "b094dac5d93471bdec1a502270e3cc6c",
        },
        Vector {
            name: "test case 16: partial block, with aad",
            key: TC_KEY,
            iv: TC_IV,
            plaintext: TC_P60,
            aad: TC_A,
            ciphertext: TC_C60,
            tag: "76fc6ece0f4e1768cddf8853bb2d551b",
        },
    ];

    #[test]
    fn gcm_spec_test_cases_13_to_16_seal_to_the_published_ciphertext_and_tag() {
        for v in &GCM_SPEC_VECTORS {
            let key = Aes256Key::from_slice(&hex(v.key)).unwrap();
            let nonce = Nonce::from_bytes(hex(v.iv).try_into().unwrap());
            let sealed = seal(&key, nonce, &hex(v.plaintext), &hex(v.aad)).unwrap();
            assert_eq!(sealed.encrypted, hex(v.ciphertext), "{}", v.name);
            assert_eq!(sealed.tag.to_vec(), hex(v.tag), "{}", v.name);
            assert_eq!(
                open(&key, &sealed, &hex(v.aad)).unwrap(),
                hex(v.plaintext),
                "{}",
                v.name
            );
        }
    }

    #[test]
    fn opening_with_different_aad_fails() {
        let v = &GCM_SPEC_VECTORS[3];
        let key = Aes256Key::from_slice(&hex(v.key)).unwrap();
        let nonce = Nonce::from_bytes(hex(v.iv).try_into().unwrap());
        let sealed = seal(&key, nonce, &hex(v.plaintext), &hex(v.aad)).unwrap();
        assert_eq!(
            open(&key, &sealed, b""),
            Err(CryptoError::AuthenticationFailed)
        );
    }

    #[test]
    fn wire_form_round_trips_through_bytes_and_base64() {
        let mut e = SeededEntropy::from_seed(b"wire");
        let key = Aes256Key::generate(&mut e);
        let sealed = seal_fresh(&key, b"hello", b"", &mut e).unwrap();
        assert_eq!(sealed.len(), 12 + 5 + 16);
        assert_eq!(Ciphertext::from_bytes(&sealed.to_bytes()).unwrap(), sealed);
        assert_eq!(
            Ciphertext::from_base64(&sealed.to_base64()).unwrap(),
            sealed
        );
    }

    #[test]
    fn too_short_wire_form_is_malformed() {
        assert_eq!(
            Ciphertext::from_bytes(&[0; 27]),
            Err(CryptoError::MalformedCiphertext { len: 27 })
        );
        assert!(Ciphertext::from_bytes(&[0; 28]).unwrap().is_empty());
    }

    #[test]
    fn previews_cut_with_an_ellipsis() {
        let ct = Ciphertext {
            nonce: Nonce::from_bytes([0; 12]),
            encrypted: vec![0xab; 20],
            tag: [0; 16],
        };
        assert_eq!(ct.hex_preview(2), "abab…");
        assert_eq!(ct.hex_preview(40), "ab".repeat(20));
        assert!(ct.base64_preview(8).ends_with('…'));
        assert!(
            ct.to_string()
                .starts_with("AES-256-GCM nonce=000000000000000000000000 tag=")
        );
    }

    #[test]
    fn key_debug_never_shows_the_key() {
        let key = Aes256Key::from_bytes([0x41; 32]);
        let shown = format!("{key:?}");
        assert!(!shown.contains("4141"), "{shown}");
        assert!(shown.starts_with("Aes256Key(sha256:"));
    }

    #[test]
    fn wrong_key_length_is_reported() {
        assert_eq!(
            Aes256Key::from_slice(&[0; 16]),
            Err(CryptoError::InvalidKeyLength { len: 16 })
        );
    }
}
