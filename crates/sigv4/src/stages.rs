//! The four stages of a Signature Version 4 signature, each a value whose `Display` is the exact
//! text of the specification, so a learner can be shown every step:
//! [`CanonicalRequest`] → [`StringToSign`] → [`SigningKey`] → [`Signature`].
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html> and
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>.

use std::fmt;

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::time::AmzDateTime;

/// The only algorithm this crate signs with: `AWS4-HMAC-SHA256`.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The last element of every credential scope.
pub const SCOPE_TERMINATOR: &str = "aws4_request";
/// The payload hash presigned URLs use: the body is unknown when the URL is made.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

type HmacSha256 = hmac::Hmac<Sha256>;

/// `HMAC-SHA256(key, message)`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    #[expect(clippy::expect_used, reason = "HMAC accepts a key of any length")]
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Lowercase hex of `SHA256(data)`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Lowercase hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    let digit = |n: u8| char::from(if n < 10 { b'0' + n } else { b'a' + (n - 10) });
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(digit(byte >> 4));
        out.push(digit(byte & 0x0f));
    }
    out
}

/// Where a signature is valid: `<YYYYMMDD>/<region>/<service>/aws4_request`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialScope {
    /// The `YYYYMMDD` date; it must be the date of `X-Amz-Date`.
    pub date: String,
    /// The Region, e.g. `us-east-1`.
    pub region: String,
    /// The service, `s3` for Amazon S3.
    pub service: String,
}

impl CredentialScope {
    /// The scope of a signature made at `time` for `region` and `service`.
    pub fn new(time: AmzDateTime, region: &str, service: &str) -> Self {
        Self {
            date: time.date_stamp(),
            region: region.to_owned(),
            service: service.to_owned(),
        }
    }
}

impl fmt::Display for CredentialScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}/{}/{SCOPE_TERMINATOR}",
            self.date, self.region, self.service
        )
    }
}

/// Stage 1: the request reduced to a canonical text. Lines joined by `\n`:
/// method, canonical URI, canonical query string, canonical headers (each `name:value\n`),
/// signed headers, payload hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalRequest {
    /// The HTTP method, uppercase (`GET`).
    pub method: String,
    /// The URI-encoded absolute path (`/test.txt`).
    pub canonical_uri: String,
    /// `name=value` pairs, encoded, sorted, joined by `&`.
    pub canonical_query: String,
    /// `(lowercase name, trimmed value)`, sorted by name.
    pub canonical_headers: Vec<(String, String)>,
    /// The lowercase header names joined by `;` (`host`).
    pub signed_headers: String,
    /// Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    pub payload_hash: String,
}

impl CanonicalRequest {
    /// `hex(SHA256(CanonicalRequest))`, the last line of the string to sign.
    pub fn hash(&self) -> String {
        sha256_hex(self.to_string().as_bytes())
    }
}

impl fmt::Display for CanonicalRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.method)?;
        writeln!(f, "{}", self.canonical_uri)?;
        writeln!(f, "{}", self.canonical_query)?;
        for (name, value) in &self.canonical_headers {
            writeln!(f, "{name}:{value}")?;
        }
        writeln!(f)?;
        writeln!(f, "{}", self.signed_headers)?;
        f.write_str(&self.payload_hash)
    }
}

/// Stage 2: what is actually signed. Four lines: algorithm, `X-Amz-Date`, credential scope,
/// `hex(SHA256(CanonicalRequest))`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringToSign {
    /// The signing time (`X-Amz-Date`).
    pub time: AmzDateTime,
    /// The credential scope.
    pub scope: CredentialScope,
    /// Hex SHA-256 of the canonical request.
    pub canonical_request_hash: String,
}

impl StringToSign {
    /// The string to sign for `canonical` at `time` within `scope`.
    pub fn new(time: AmzDateTime, scope: CredentialScope, canonical: &CanonicalRequest) -> Self {
        Self {
            time,
            scope,
            canonical_request_hash: canonical.hash(),
        }
    }
}

impl fmt::Display for StringToSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{ALGORITHM}\n{}\n{}\n{}",
            self.time.to_basic(),
            self.scope,
            self.canonical_request_hash
        )
    }
}

/// Stage 3: the key derived from the secret, valid for one date, Region and service.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey([u8; 32]);

/// Every intermediate key of the derivation, for showing the chain to a learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKeyDerivation {
    /// `kDate = HMAC("AWS4" + secret, date)`.
    pub k_date: [u8; 32],
    /// `kRegion = HMAC(kDate, region)`.
    pub k_region: [u8; 32],
    /// `kService = HMAC(kRegion, service)`.
    pub k_service: [u8; 32],
    /// `kSigning = HMAC(kService, "aws4_request")`: the signing key.
    pub k_signing: SigningKey,
}

impl SigningKey {
    /// Derives the signing key for `scope` from the secret access key.
    pub fn derive(secret_access_key: &str, scope: &CredentialScope) -> Self {
        Self::derive_steps(secret_access_key, scope).k_signing
    }

    /// Derives the signing key and keeps every intermediate key.
    pub fn derive_steps(secret_access_key: &str, scope: &CredentialScope) -> SigningKeyDerivation {
        let mut seed = Vec::with_capacity(4 + secret_access_key.len());
        seed.extend_from_slice(b"AWS4");
        seed.extend_from_slice(secret_access_key.as_bytes());
        // kDate    = HMAC("AWS4" + SecretAccessKey, "<YYYYMMDD>")
        let k_date = hmac_sha256(&seed, scope.date.as_bytes());
        // kRegion  = HMAC(kDate, "<region>")
        let k_region = hmac_sha256(&k_date, scope.region.as_bytes());
        // kService = HMAC(kRegion, "<service>")
        let k_service = hmac_sha256(&k_region, scope.service.as_bytes());
        // kSigning = HMAC(kService, "aws4_request")
        let k_signing = SigningKey(hmac_sha256(&k_service, SCOPE_TERMINATOR.as_bytes()));
        SigningKeyDerivation {
            k_date,
            k_region,
            k_service,
            k_signing,
        }
    }

    /// The raw 32 key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for SigningKey {
    /// Lowercase hex of the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({self})")
    }
}

/// Stage 4: `signature = hex(HMAC(kSigning, StringToSign))`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; 32]);

impl Signature {
    /// Signs the string to sign with the signing key.
    pub fn compute(key: &SigningKey, string_to_sign: &StringToSign) -> Self {
        Self::compute_text(key, &string_to_sign.to_string())
    }

    /// Signs an already formatted string to sign.
    pub fn compute_text(key: &SigningKey, string_to_sign: &str) -> Self {
        Self(hmac_sha256(key.as_bytes(), string_to_sign.as_bytes()))
    }

    /// Reads 64 hex digits (either case); `None` otherwise.
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
            let digit = |b: u8| char::from(b).to_digit(16);
            let (Some(&hi), Some(&lo)) = (pair.first(), pair.get(1)) else {
                return None;
            };
            let (hi, lo) = (digit(hi)?, digit(lo)?);
            // INVARIANT: both digits are < 16, so the byte fits.
            *slot = (hi * 16 + lo) as u8;
        }
        Some(Self(out))
    }

    /// Compares with a provided hex signature without stopping at the first differing byte.
    /// S3 compares the lowercase hex text, so an uppercase signature does not match.
    pub fn matches_hex(&self, provided: &str) -> bool {
        let expected = self.to_string();
        let (a, b) = (expected.as_bytes(), provided.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Signature {
    /// 64 lowercase hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex(&self.0))
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn empty_body_hash_is_the_well_known_value() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn signature_hex_round_trips_and_rejects_junk() {
        let hex_sig = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
        let sig = Signature::from_hex(hex_sig).unwrap();
        assert_eq!(sig.to_string(), hex_sig);
        assert!(sig.matches_hex(hex_sig));
        assert!(!sig.matches_hex(&hex_sig.to_uppercase()));
        assert!(!sig.matches_hex(&hex_sig[..63]));
        assert!(Signature::from_hex("zz").is_none());
        assert!(Signature::from_hex(&"g".repeat(64)).is_none());
    }
}
