//! MD5 where S3 uses it: `Content-MD5` checks and object ETags, and how encryption changes
//! the ETag.
//!
//! Follows the `Object` data type's `ETag` description
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html>): a single-part object that
//! is plaintext or SSE-S3 encrypted has an ETag equal to the MD5 of its data; one encrypted with
//! SSE-C or SSE-KMS has an ETag that is *not* the MD5 of its data. What it is instead is not
//! documented; the playground uses the MD5 of the stored ciphertext (\[SIM\]), which is just as
//! opaque to the learner and stable for the same stored bytes. Multipart ETags (`…-N`) are the
//! world's business.

use data_encoding::BASE64;
use data_encoding::HEXLOWER;
use md5::{Digest, Md5};

use crate::gcm::Ciphertext;
use crate::responsibilities::EncryptionMode;

/// MD5 of `data`, lowercase hex (32 characters).
#[must_use]
pub fn md5_hex(data: &[u8]) -> String {
    HEXLOWER.encode(&Md5::digest(data))
}

/// MD5 of `data`, base64: the form of the `Content-MD5` header.
#[must_use]
pub fn md5_base64(data: &[u8]) -> String {
    BASE64.encode(&Md5::digest(data))
}

/// True when a `Content-MD5` header value is the base64 MD5 of `body`.
#[must_use]
pub fn content_md5_matches(header: &str, body: &[u8]) -> bool {
    BASE64
        .decode(header.trim().as_bytes())
        .is_ok_and(|given| given.as_slice() == Md5::digest(body).as_slice())
}

/// The ETag of a single-part upload, quoted as S3 returns it.
///
/// `data` is the body S3 received (for client-side encryption that is already ciphertext, so
/// its MD5 is what S3 reports); `stored` is the ciphertext S3 wrote when it encrypted the body.
/// SSE-KMS, DSSE-KMS and SSE-C objects get the MD5 of the stored ciphertext instead (\[SIM\]).
#[must_use]
pub fn single_part_etag(
    mode: Option<EncryptionMode>,
    data: &[u8],
    stored: Option<&Ciphertext>,
) -> String {
    let hex = match (mode, stored) {
        (
            Some(
                EncryptionMode::SseKmsAwsManaged
                | EncryptionMode::SseKmsCustomerManaged
                | EncryptionMode::DsseKms
                | EncryptionMode::SseC,
            ),
            Some(ciphertext),
        ) => md5_hex(&ciphertext.to_bytes()),
        _ => md5_hex(data),
    };
    format!("\"{hex}\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Aes256Key, Nonce, seal};

    #[test]
    fn md5_known_answers_from_rfc_1321() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex(b"abc"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(md5_base64(b""), "1B2M2Y8AsgTpgAmY7PhCfg==");
    }

    #[test]
    fn content_md5_is_checked_against_the_body() {
        assert!(content_md5_matches("1B2M2Y8AsgTpgAmY7PhCfg==", b""));
        assert!(!content_md5_matches("1B2M2Y8AsgTpgAmY7PhCfg==", b"x"));
        assert!(!content_md5_matches("not base64", b""));
    }

    #[test]
    fn sse_s3_etag_is_md5_of_data_but_kms_and_sse_c_are_not() {
        let ct = seal(
            &Aes256Key::from_bytes([1; 32]),
            Nonce::from_bytes([2; 12]),
            b"abc",
            b"",
        )
        .unwrap();
        let plain = "\"900150983cd24fb0d6963f7d28e17f72\"";
        assert_eq!(single_part_etag(None, b"abc", None), plain);
        assert_eq!(
            single_part_etag(Some(EncryptionMode::SseS3), b"abc", Some(&ct)),
            plain
        );
        for mode in [
            EncryptionMode::SseKmsAwsManaged,
            EncryptionMode::SseKmsCustomerManaged,
            EncryptionMode::DsseKms,
            EncryptionMode::SseC,
        ] {
            let etag = single_part_etag(Some(mode), b"abc", Some(&ct));
            assert_ne!(etag, plain, "{mode:?}");
            assert_eq!(etag.len(), 34);
        }
    }
}
