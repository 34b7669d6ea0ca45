//! SSE-C: server-side encryption with customer-provided keys.
//!
//! Follows "Using server-side encryption with customer-provided keys (SSE-C)"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html>)
//! and §6.4 / §6.6 of our semantics notes:
//!
//! - every write and every read of an SSE-C object carries three headers: the algorithm
//!   (`AES256`), the 256-bit key in base64, and the base64 MD5 of the raw key (an integrity check
//!   on the key, not a secret);
//! - S3 encrypts with that key, then forgets it: it keeps only a **randomly salted HMAC** of the
//!   key ([`SseCKeyFingerprint`]) so it can tell whether a later request brings the same key;
//! - a read without the key, with the wrong key, or with a key for an object that is not SSE-C
//!   fails with the responses in [`SseCError`], each carrying AWS's code, status and message.
//!
//! The messages are AWS's exact texts as recorded in the notes' §6.6 table (\[OBS\]: observed
//! responses, not contractual); the missing-MD5 text is not in that table and comes from
//! S3-compatible servers that copy AWS's wording (\[EMU\]). The order in which the checks run is
//! undocumented; [`check_write`] picks one and says so (\[SIM\]).

use core::fmt;

use data_encoding::BASE64;
use hmac::{Hmac, KeyInit, Mac};
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::Entropy;
use crate::gcm::{Aes256Key, KEY_LEN};

/// The only algorithm SSE-C accepts.
pub const SSE_C_ALGORITHM: &str = "AES256";
/// Header naming the SSE-C algorithm.
pub const HEADER_ALGORITHM: &str = "x-amz-server-side-encryption-customer-algorithm";
/// Header carrying the base64 customer key.
pub const HEADER_KEY: &str = "x-amz-server-side-encryption-customer-key";
/// Header carrying the base64 MD5 of the raw customer key.
pub const HEADER_KEY_MD5: &str = "x-amz-server-side-encryption-customer-key-MD5";
/// CopyObject / UploadPartCopy: algorithm of the SSE-C *source* object.
pub const HEADER_COPY_SOURCE_ALGORITHM: &str =
    "x-amz-copy-source-server-side-encryption-customer-algorithm";
/// CopyObject / UploadPartCopy: key of the SSE-C *source* object.
pub const HEADER_COPY_SOURCE_KEY: &str = "x-amz-copy-source-server-side-encryption-customer-key";
/// CopyObject / UploadPartCopy: key MD5 of the SSE-C *source* object.
pub const HEADER_COPY_SOURCE_KEY_MD5: &str =
    "x-amz-copy-source-server-side-encryption-customer-key-MD5";

/// The three SSE-C header values as they arrived (absent headers are `None`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SseCHeaders<'a> {
    /// `x-amz-server-side-encryption-customer-algorithm`.
    pub algorithm: Option<&'a str>,
    /// `x-amz-server-side-encryption-customer-key`.
    pub key: Option<&'a str>,
    /// `x-amz-server-side-encryption-customer-key-MD5`.
    pub key_md5: Option<&'a str>,
}

impl SseCHeaders<'_> {
    /// True when any of the three headers is present.
    #[must_use]
    pub fn is_present(&self) -> bool {
        self.algorithm.is_some() || self.key.is_some() || self.key_md5.is_some()
    }

    /// Validates the headers: `Ok(None)` when none is present, the customer key when all three
    /// are present and consistent.
    ///
    /// Checks, in order (\[SIM\] order): algorithm present, algorithm is `AES256`, key present,
    /// key is base64 of exactly 256 bits, MD5 present, MD5 matches the decoded key.
    ///
    /// # Errors
    /// The [`SseCError`] for the first check that fails.
    pub fn parse(&self) -> Result<Option<CustomerKey>, SseCError> {
        if !self.is_present() {
            return Ok(None);
        }
        let algorithm = self.algorithm.ok_or(SseCError::MissingAlgorithm)?;
        if algorithm != SSE_C_ALGORITHM {
            return Err(SseCError::UnsupportedAlgorithm {
                given: algorithm.to_owned(),
            });
        }
        let key_b64 = self.key.ok_or(SseCError::MissingKey)?;
        let raw = BASE64
            .decode(key_b64.as_bytes())
            .map_err(|_| SseCError::InvalidKey { decoded_len: None })?;
        let key = Aes256Key::from_slice(&raw).map_err(|_| SseCError::InvalidKey {
            decoded_len: Some(raw.len()),
        })?;
        let customer_key = CustomerKey(key);
        let given_md5 = self.key_md5.ok_or(SseCError::MissingKeyMd5)?;
        // [SIM] an MD5 header that is not base64 is treated as a mismatch.
        let matches = BASE64
            .decode(given_md5.as_bytes())
            .is_ok_and(|given| given.as_slice() == customer_key.key_md5().as_slice());
        if !matches {
            return Err(SseCError::KeyMd5Mismatch {
                given: given_md5.to_owned(),
                calculated: customer_key.key_md5_base64(),
            });
        }
        Ok(Some(customer_key))
    }
}

/// Checks the SSE-C headers of a write (PutObject, CopyObject destination, CreateMultipartUpload,
/// UploadPart) in the context of the request.
///
/// Returns `Ok(None)` when no SSE-C header was sent. Otherwise (\[SIM\] order): HTTPS is required,
/// SSE-C cannot be combined with `x-amz-server-side-encryption`, then [`SseCHeaders::parse`].
///
/// # Errors
/// [`SseCError::InsecureTransport`], [`SseCError::IncompatibleWithServerSideEncryption`], or any
/// error of [`SseCHeaders::parse`].
pub fn check_write(
    headers: &SseCHeaders<'_>,
    server_side_encryption: Option<&str>,
    secure_transport: bool,
) -> Result<Option<CustomerKey>, SseCError> {
    if !headers.is_present() {
        return Ok(None);
    }
    if !secure_transport {
        return Err(SseCError::InsecureTransport);
    }
    if server_side_encryption.is_some() {
        return Err(SseCError::IncompatibleWithServerSideEncryption);
    }
    headers.parse()
}

/// Checks the key a read (GetObject, HeadObject, copy source) brings against what S3 stored.
///
/// `stored` is the object's fingerprint when it is SSE-C, `provided` the validated key from the
/// request's headers, if any.
///
/// # Errors
/// - SSE-C object, no key: [`SseCError::KeyRequired`] (400 `InvalidRequest`);
/// - SSE-C object, another key: [`SseCError::WrongKey`] (403 `AccessDenied`);
/// - not an SSE-C object, key given: [`SseCError::NotApplicable`] (400 `InvalidRequest`).
pub fn check_read(
    stored: Option<&SseCKeyFingerprint>,
    provided: Option<&CustomerKey>,
) -> Result<(), SseCError> {
    match (stored, provided) {
        (None, None) => Ok(()),
        (Some(fingerprint), Some(key)) if fingerprint.matches(key) => Ok(()),
        (Some(_), Some(_)) => Err(SseCError::WrongKey),
        (Some(_), None) => Err(SseCError::KeyRequired),
        (None, Some(_)) => Err(SseCError::NotApplicable),
    }
}

/// A validated SSE-C customer key (256 bits).
///
/// `Debug` shows only a fingerprint of the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CustomerKey(Aes256Key);

impl CustomerKey {
    /// Wraps a 256-bit key the learner chose or generated.
    #[must_use]
    pub const fn new(key: Aes256Key) -> Self {
        Self(key)
    }

    /// A fresh random customer key (what `openssl rand 32` would give the learner).
    #[must_use]
    pub fn generate(entropy: &mut (impl Entropy + ?Sized)) -> Self {
        Self(Aes256Key::generate(entropy))
    }

    /// The key, to encrypt the object body with.
    #[must_use]
    pub const fn key(&self) -> &Aes256Key {
        &self.0
    }

    /// MD5 of the raw 32 key bytes.
    #[must_use]
    pub fn key_md5(&self) -> [u8; 16] {
        Md5::digest(self.0.as_bytes()).into()
    }

    /// `x-amz-server-side-encryption-customer-key-MD5`: base64 of [`CustomerKey::key_md5`].
    /// S3 echoes it in responses.
    #[must_use]
    pub fn key_md5_base64(&self) -> String {
        BASE64.encode(&self.key_md5())
    }

    /// The three request headers a client sends for this key, in the order AWS lists them.
    #[must_use]
    pub fn headers(&self) -> [(&'static str, String); 3] {
        [
            (HEADER_ALGORITHM, SSE_C_ALGORITHM.to_owned()),
            (HEADER_KEY, self.0.to_base64()),
            (HEADER_KEY_MD5, self.key_md5_base64()),
        ]
    }

    /// What S3 keeps instead of the key: a salted HMAC, with a fresh salt from `entropy`.
    #[must_use]
    pub fn fingerprint(&self, entropy: &mut (impl Entropy + ?Sized)) -> SseCKeyFingerprint {
        SseCKeyFingerprint::new(self, entropy)
    }
}

/// Length of the random salt in an [`SseCKeyFingerprint`].
pub const FINGERPRINT_SALT_LEN: usize = 32;

/// What S3 stores about an SSE-C key: `HMAC-SHA256(key = salt, message = customer key)`.
///
/// The salt is random per object version, so the same customer key gives different fingerprints
/// on different objects, and the fingerprint cannot be reversed into the key. AWS documents
/// "a randomly salted HMAC value of the encryption key" without naming the hash or layout; the
/// choice of HMAC-SHA256 keyed by the salt is ours (\[SIM\]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SseCKeyFingerprint {
    /// The random salt (the HMAC key).
    #[serde(with = "crate::codec::hex_array")]
    pub salt: [u8; FINGERPRINT_SALT_LEN],
    /// `HMAC-SHA256(salt, customer key)`.
    #[serde(with = "crate::codec::hex_array")]
    pub hmac: [u8; 32],
}

type HmacSha256 = Hmac<Sha256>;

impl SseCKeyFingerprint {
    /// Fingerprints `key` with a fresh salt.
    #[must_use]
    pub fn new(key: &CustomerKey, entropy: &mut (impl Entropy + ?Sized)) -> Self {
        let mut salt = [0_u8; FINGERPRINT_SALT_LEN];
        entropy.fill(&mut salt);
        Self::with_salt(key, salt)
    }

    /// Fingerprints `key` with the given salt.
    #[must_use]
    pub fn with_salt(key: &CustomerKey, salt: [u8; FINGERPRINT_SALT_LEN]) -> Self {
        let hmac = Self::mac(&salt, key).finalize().into_bytes().into();
        Self { salt, hmac }
    }

    fn mac(salt: &[u8; FINGERPRINT_SALT_LEN], key: &CustomerKey) -> HmacSha256 {
        // HMAC zero-pads a key shorter than the hash's 64-byte block, so keying with the salt
        // followed by zeros is exactly HMAC keyed by the salt, through the infallible constructor.
        let mut block = [0_u8; 64];
        if let Some(head) = block.first_chunk_mut::<FINGERPRINT_SALT_LEN>() {
            *head = *salt;
        }
        let mut mac = <HmacSha256 as KeyInit>::new(&block.into());
        mac.update(key.0.as_bytes());
        mac
    }

    /// True when `key` is the key this fingerprint was made from. The comparison is constant-time.
    #[must_use]
    pub fn matches(&self, key: &CustomerKey) -> bool {
        Self::mac(&self.salt, key).verify_slice(&self.hmac).is_ok()
    }
}

impl fmt::Display for SseCKeyFingerprint {
    /// `HMAC-SHA256(salt=HEX, key) = HEX`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use data_encoding::HEXLOWER;
        write!(
            f,
            "HMAC-SHA256(salt={}, key) = {}",
            HEXLOWER.encode(&self.salt),
            HEXLOWER.encode(&self.hmac)
        )
    }
}

/// An SSE-C failure, as the S3 response AWS sends for it.
///
/// [`SseCError::code`], [`SseCError::status`] and [`SseCError::aws_message`] give the response;
/// `Display` and [`SseCError::help`] explain it to the learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SseCError {
    /// Key or key MD5 sent without the algorithm header.
    MissingAlgorithm,
    /// The algorithm header is not `AES256`.
    UnsupportedAlgorithm {
        /// The value sent.
        given: String,
    },
    /// Algorithm sent without the key header.
    MissingKey,
    /// The key is not base64 of exactly 32 bytes.
    InvalidKey {
        /// Length of the decoded key, or `None` when it was not base64.
        decoded_len: Option<usize>,
    },
    /// Algorithm and key sent without the key-MD5 header (\[EMU\] message).
    MissingKeyMd5,
    /// The key-MD5 header does not match the MD5 of the key.
    KeyMd5Mismatch {
        /// The MD5 header value sent.
        given: String,
        /// Base64 MD5 of the key that was sent.
        calculated: String,
    },
    /// SSE-C headers over plain HTTP.
    InsecureTransport,
    /// SSE-C headers together with `x-amz-server-side-encryption`.
    IncompatibleWithServerSideEncryption,
    /// GET/HEAD/copy of an SSE-C object without the key.
    KeyRequired,
    /// GET/HEAD/copy of an SSE-C object with a different key.
    WrongKey,
    /// SSE-C headers on a read of an object that is not SSE-C.
    NotApplicable,
    /// SSE-C write to a bucket whose encryption configuration blocks SSE-C (April 2026 on).
    /// AWS documents status and code only; the message is \[SIM\].
    Blocked,
}

impl SseCError {
    /// The S3 error code, e.g. `InvalidArgument`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedAlgorithm { .. } => "InvalidEncryptionAlgorithmError",
            Self::MissingAlgorithm
            | Self::MissingKey
            | Self::InvalidKey { .. }
            | Self::MissingKeyMd5
            | Self::KeyMd5Mismatch { .. }
            | Self::IncompatibleWithServerSideEncryption => "InvalidArgument",
            Self::InsecureTransport | Self::KeyRequired | Self::NotApplicable => "InvalidRequest",
            Self::WrongKey | Self::Blocked => "AccessDenied",
        }
    }

    /// The HTTP status.
    #[must_use]
    pub const fn status(&self) -> u16 {
        match self {
            Self::WrongKey | Self::Blocked => 403,
            _ => 400,
        }
    }

    /// The `<Message>` of AWS's error response, exactly.
    #[must_use]
    pub const fn aws_message(&self) -> &'static str {
        match self {
            Self::MissingAlgorithm => {
                "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm."
            }
            Self::UnsupportedAlgorithm { .. } => {
                "The Encryption request you specified is not valid. Supported value: AES256."
            }
            Self::MissingKey => {
                "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key."
            }
            Self::InvalidKey { .. } => "The secret key was invalid for the specified algorithm.",
            Self::MissingKeyMd5 => {
                "Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key."
            }
            Self::KeyMd5Mismatch { .. } => {
                "The calculated MD5 hash of the key did not match the hash that was provided."
            }
            Self::InsecureTransport => {
                "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection."
            }
            Self::IncompatibleWithServerSideEncryption => {
                "Server Side Encryption with Customer provided key is incompatible with the encryption method specified"
            }
            Self::KeyRequired => {
                "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object."
            }
            Self::WrongKey => {
                "Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key."
            }
            Self::NotApplicable => "The encryption parameters are not applicable to this object.",
            Self::Blocked => "Access Denied",
        }
    }

    /// The header the error is about, when there is one (S3 reports some as `ArgumentName`).
    #[must_use]
    pub const fn header(&self) -> Option<&'static str> {
        match self {
            Self::MissingAlgorithm | Self::UnsupportedAlgorithm { .. } => Some(HEADER_ALGORITHM),
            Self::MissingKey | Self::InvalidKey { .. } => Some(HEADER_KEY),
            Self::MissingKeyMd5 | Self::KeyMd5Mismatch { .. } => Some(HEADER_KEY_MD5),
            _ => None,
        }
    }

    /// Extra advice for the learner.
    #[must_use]
    pub const fn help(&self) -> Option<&'static str> {
        match self {
            Self::MissingAlgorithm | Self::MissingKey | Self::MissingKeyMd5 => Some(
                "SSE-C needs all three headers: the algorithm `AES256`, the base64 key and the base64 MD5 of the key",
            ),
            Self::UnsupportedAlgorithm { .. } => Some("the only value S3 accepts is `AES256`"),
            Self::InvalidKey { .. } => {
                Some("the key must be exactly 32 random bytes, base64-encoded (44 characters)")
            }
            Self::KeyMd5Mismatch { .. } => Some(
                "compute the MD5 over the 32 raw key bytes, not over the base64 text, then base64 the 16-byte digest",
            ),
            Self::InsecureTransport => {
                Some("S3 refuses to receive an encryption key over plain HTTP: use HTTPS")
            }
            Self::IncompatibleWithServerSideEncryption => Some(
                "choose one mode: either the SSE-C headers or `x-amz-server-side-encryption`, not both",
            ),
            Self::KeyRequired => Some(
                "S3 does not keep SSE-C keys: every GET and HEAD of this object must send the same three headers used to upload it",
            ),
            Self::WrongKey => Some(
                "S3 compared a salted HMAC of the key you sent with the one it stored for this object; they differ",
            ),
            Self::NotApplicable => {
                Some("this object is not encrypted with SSE-C: send no SSE-C headers to read it")
            }
            Self::Blocked => Some(
                "the bucket's default encryption configuration lists `SSE-C` under `BlockedEncryptionTypes`",
            ),
        }
    }
}

impl fmt::Display for SseCError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingAlgorithm => write!(f, "SSE-C key sent without `{HEADER_ALGORITHM}`"),
            Self::UnsupportedAlgorithm { given } => {
                write!(f, "unsupported SSE-C algorithm `{given}`")
            }
            Self::MissingKey => write!(f, "SSE-C algorithm sent without `{HEADER_KEY}`"),
            Self::InvalidKey { decoded_len: None } => write!(f, "SSE-C key is not valid base64"),
            Self::InvalidKey {
                decoded_len: Some(n),
            } => {
                write!(f, "SSE-C key is `{n}` bytes long, expected {KEY_LEN}")
            }
            Self::MissingKeyMd5 => write!(f, "SSE-C key sent without `{HEADER_KEY_MD5}`"),
            Self::KeyMd5Mismatch { given, calculated } => {
                write!(
                    f,
                    "SSE-C key MD5 `{given}` does not match the key's MD5 `{calculated}`"
                )
            }
            Self::InsecureTransport => f.write_str("SSE-C request sent over plain HTTP"),
            Self::IncompatibleWithServerSideEncryption => {
                f.write_str("SSE-C headers sent together with `x-amz-server-side-encryption`")
            }
            Self::KeyRequired => f.write_str("object is encrypted with SSE-C but no key was sent"),
            Self::WrongKey => {
                f.write_str("SSE-C key does not match the key the object was encrypted with")
            }
            Self::NotApplicable => {
                f.write_str("SSE-C key sent for an object that is not SSE-C encrypted")
            }
            Self::Blocked => f.write_str("bucket blocks SSE-C uploads"),
        }
    }
}

impl core::error::Error for SseCError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SeededEntropy;

    /// 32 bytes `0x00..=0x1f`.
    const KEY_B64: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    fn headers<'a>(
        alg: Option<&'a str>,
        key: Option<&'a str>,
        md5: Option<&'a str>,
    ) -> SseCHeaders<'a> {
        SseCHeaders {
            algorithm: alg,
            key,
            key_md5: md5,
        }
    }

    fn sequential_key() -> CustomerKey {
        let mut bytes = [0_u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::try_from(i).unwrap();
        }
        CustomerKey::new(Aes256Key::from_bytes(bytes))
    }

    #[test]
    fn key_md5_known_answers() {
        // MD5 of 32 zero bytes, and of 0x00..=0x1f, base64.
        let zero = CustomerKey::new(Aes256Key::from_bytes([0; 32]));
        assert_eq!(
            data_encoding::HEXLOWER.encode(&zero.key_md5()),
            "70bc8f4b72a86921468bf8e8441dce51"
        );
        assert_eq!(zero.key_md5_base64(), "cLyPS3KoaSFGi/joRB3OUQ==");
        let seq = sequential_key();
        assert_eq!(seq.key().to_base64(), KEY_B64);
        assert_eq!(
            data_encoding::HEXLOWER.encode(&seq.key_md5()),
            "b4ffcb23737cec315a4a4d1aa2a620ce"
        );
    }

    #[test]
    fn three_consistent_headers_give_the_key() {
        let key = sequential_key();
        let md5 = key.key_md5_base64();
        let parsed = headers(Some("AES256"), Some(KEY_B64), Some(&md5))
            .parse()
            .unwrap();
        assert_eq!(parsed, Some(key));
    }

    #[test]
    fn no_headers_means_no_sse_c() {
        assert_eq!(SseCHeaders::default().parse(), Ok(None));
    }

    #[test]
    fn header_errors_carry_aws_code_status_and_message() {
        let md5 = sequential_key().key_md5_base64();
        let short = BASE64.encode(&[7_u8; 16]);
        let cases: [(SseCHeaders<'_>, &str, u16, &str); 7] = [
            (
                headers(None, Some(KEY_B64), Some(&md5)),
                "InvalidArgument",
                400,
                "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.",
            ),
            (
                headers(Some("AES128"), Some(KEY_B64), Some(&md5)),
                "InvalidEncryptionAlgorithmError",
                400,
                "The Encryption request you specified is not valid. Supported value: AES256.",
            ),
            (
                headers(Some("AES256"), None, Some(&md5)),
                "InvalidArgument",
                400,
                "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.",
            ),
            (
                headers(Some("AES256"), Some(&short), Some(&md5)),
                "InvalidArgument",
                400,
                "The secret key was invalid for the specified algorithm.",
            ),
            (
                headers(Some("AES256"), Some("not base64!"), Some(&md5)),
                "InvalidArgument",
                400,
                "The secret key was invalid for the specified algorithm.",
            ),
            (
                headers(Some("AES256"), Some(KEY_B64), None),
                "InvalidArgument",
                400,
                "Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated MD5 of the secret key.",
            ),
            (
                headers(
                    Some("AES256"),
                    Some(KEY_B64),
                    Some("cLyPS3KoaSFGi/joRB3OUQ=="),
                ),
                "InvalidArgument",
                400,
                "The calculated MD5 hash of the key did not match the hash that was provided.",
            ),
        ];
        for (h, code, status, message) in cases {
            let err = h.parse().unwrap_err();
            assert_eq!(
                (err.code(), err.status(), err.aws_message()),
                (code, status, message),
                "{h:?}"
            );
        }
    }

    #[test]
    fn md5_of_the_base64_text_instead_of_the_raw_key_is_a_mismatch() {
        let wrong = BASE64.encode(&Md5::digest(KEY_B64.as_bytes()));
        let err = headers(Some("AES256"), Some(KEY_B64), Some(&wrong))
            .parse()
            .unwrap_err();
        assert!(matches!(err, SseCError::KeyMd5Mismatch { .. }));
        assert!(err.to_string().starts_with("SSE-C key MD5 `"));
    }

    #[test]
    fn write_over_http_or_with_another_mode_is_refused_first() {
        let h = headers(Some("AES256"), Some(KEY_B64), None);
        assert_eq!(
            check_write(&h, None, false),
            Err(SseCError::InsecureTransport)
        );
        assert_eq!(
            check_write(&h, Some("AES256"), true),
            Err(SseCError::IncompatibleWithServerSideEncryption)
        );
        assert_eq!(
            check_write(&SseCHeaders::default(), Some("aws:kms"), false),
            Ok(None)
        );
        assert_eq!(SseCError::InsecureTransport.code(), "InvalidRequest");
    }

    #[test]
    fn read_checks_follow_the_reference_table() {
        let mut e = SeededEntropy::from_seed(b"ssec-read");
        let right = CustomerKey::generate(&mut e);
        let wrong = CustomerKey::generate(&mut e);
        let stored = right.fingerprint(&mut e);
        assert_eq!(check_read(Some(&stored), Some(&right)), Ok(()));
        let err = check_read(Some(&stored), Some(&wrong)).unwrap_err();
        assert_eq!((err.status(), err.code()), (403, "AccessDenied"));
        let err = check_read(Some(&stored), None).unwrap_err();
        assert_eq!((err.status(), err.code()), (400, "InvalidRequest"));
        assert_eq!(
            err.aws_message(),
            "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object."
        );
        assert_eq!(
            check_read(None, Some(&right)),
            Err(SseCError::NotApplicable)
        );
        assert_eq!(check_read(None, None), Ok(()));
    }

    #[test]
    fn fingerprint_is_salted_and_never_contains_the_key() {
        let mut e = SeededEntropy::from_seed(b"salt");
        let key = CustomerKey::generate(&mut e);
        let a = key.fingerprint(&mut e);
        let b = key.fingerprint(&mut e);
        assert_ne!(a, b, "fresh salt per object");
        assert!(a.matches(&key) && b.matches(&key));
        let shown = a.to_string();
        let key_hex = data_encoding::HEXLOWER.encode(key.key().as_bytes());
        assert!(!shown.contains(&key_hex));
    }

    #[test]
    fn fingerprint_known_answer_is_hmac_sha256_keyed_by_the_salt() {
        // RFC 4231 test case 2 style check through our API: HMAC-SHA256 with a 32-byte zero salt
        // over 32 zero bytes, computed independently with the `hmac` crate.
        let key = CustomerKey::new(Aes256Key::from_bytes([0; 32]));
        let fp = SseCKeyFingerprint::with_salt(&key, [0; 32]);
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&[0; 32]).unwrap();
        mac.update(&[0; 32]);
        assert_eq!(fp.hmac.to_vec(), mac.finalize().into_bytes().to_vec());
    }

    #[test]
    fn fingerprint_serializes_as_hex_and_still_matches() {
        let mut e = SeededEntropy::from_seed(b"fp-json");
        let key = CustomerKey::generate(&mut e);
        let fp = key.fingerprint(&mut e);
        let json = serde_json::to_value(&fp).unwrap();
        assert_eq!(json["salt"].as_str().unwrap().len(), 64);
        let back: SseCKeyFingerprint = serde_json::from_value(json).unwrap();
        assert!(back.matches(&key));
    }

    #[test]
    fn headers_helper_produces_what_parse_accepts() {
        let mut e = SeededEntropy::from_seed(b"helper");
        let key = CustomerKey::generate(&mut e);
        let [(n1, alg), (n2, k), (n3, md5)] = key.headers();
        assert_eq!((n1, n2, n3), (HEADER_ALGORITHM, HEADER_KEY, HEADER_KEY_MD5));
        assert_eq!(
            headers(Some(&alg), Some(&k), Some(&md5)).parse().unwrap(),
            Some(key)
        );
    }

    #[test]
    fn every_error_has_a_lowercase_message_without_final_period() {
        let all = [
            SseCError::MissingAlgorithm,
            SseCError::UnsupportedAlgorithm {
                given: "AES128".into(),
            },
            SseCError::MissingKey,
            SseCError::InvalidKey {
                decoded_len: Some(16),
            },
            SseCError::InvalidKey { decoded_len: None },
            SseCError::MissingKeyMd5,
            SseCError::KeyMd5Mismatch {
                given: "a".into(),
                calculated: "b".into(),
            },
            SseCError::InsecureTransport,
            SseCError::IncompatibleWithServerSideEncryption,
            SseCError::KeyRequired,
            SseCError::WrongKey,
            SseCError::NotApplicable,
            SseCError::Blocked,
        ];
        for e in all {
            let s = e.to_string();
            assert!(!s.ends_with('.'), "{s}");
            assert!(e.help().is_some(), "{s}");
        }
    }
}
