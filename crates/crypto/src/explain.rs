//! Plain-language steps of each encryption mode, for the trace and the UI.
//!
//! Each function takes the values an operation produced and says, in order, who did what with
//! which key — the story behind "Protecting data with server-side encryption"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html>) and the
//! client-side page, told with this object's real nonce, key versions and sizes. The words live
//! here so core tests cover them; the UI only lays them out.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::client_side::ClientEncryptedObject;
use crate::envelope::{EncryptionContext, SealedObject};
use crate::gcm::Ciphertext;
use crate::ssec::{CustomerKey, SseCKeyFingerprint};

/// Who performs a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Actor {
    /// The learner's browser or SDK.
    Client,
    /// Amazon S3.
    S3,
    /// AWS KMS.
    Kms,
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Client => "client",
            Self::S3 => "S3",
            Self::Kms => "KMS",
        })
    }
}

/// One step of an encryption or decryption.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CryptoStep {
    /// Who did it.
    pub actor: Actor,
    /// What happened, with the values involved in backticks.
    pub text: String,
}

impl CryptoStep {
    fn new(actor: Actor, text: String) -> Self {
        Self { actor, text }
    }
}

impl fmt::Display for CryptoStep {
    /// `ACTOR: TEXT`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.actor, self.text)
    }
}

fn body_line(verb: &str, body: &Ciphertext) -> String {
    format!(
        "{verb} the {} byte body with AES-256-GCM (nonce `{}`, tag `{}`)",
        body.encrypted.len(),
        body.nonce,
        data_encoding::HEXLOWER.encode(&body.tag)
    )
}

/// Who wraps the data key in an envelope mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyService {
    /// SSE-S3: S3's own root key.
    S3Managed,
    /// SSE-KMS: a KMS key.
    Kms,
}

/// The write path of SSE-S3 or SSE-KMS for `sealed`.
#[must_use]
pub fn envelope_write(
    service: KeyService,
    sealed: &SealedObject,
    context: &EncryptionContext,
) -> Vec<CryptoStep> {
    let edk = &sealed.encrypted_data_key;
    let (wrapper, call) = match service {
        KeyService::S3Managed => (Actor::S3, "generated"),
        KeyService::Kms => (Actor::Kms, "GenerateDataKey: generated"),
    };
    let mut steps = vec![CryptoStep::new(
        wrapper,
        format!(
            "{call} a unique 256-bit data key and encrypted a copy of it under `{}` (key material v{})",
            edk.key_id, edk.key_version
        ),
    )];
    if service == KeyService::Kms {
        steps.push(CryptoStep::new(
            Actor::Kms,
            format!("bound encryption context `{context}` to the encrypted data key; decrypting needs the same context"),
        ));
    }
    steps.push(CryptoStep::new(
        Actor::S3,
        body_line("encrypted", &sealed.body),
    ));
    steps.push(CryptoStep::new(
        Actor::S3,
        format!(
            "discarded the plaintext data key and stored the ciphertext with the encrypted data key `{}`",
            edk.wrapped.base64_preview(24)
        ),
    ));
    steps
}

/// The read path of SSE-S3 or SSE-KMS for `sealed`.
#[must_use]
pub fn envelope_read(
    service: KeyService,
    sealed: &SealedObject,
    context: &EncryptionContext,
) -> Vec<CryptoStep> {
    let edk = &sealed.encrypted_data_key;
    let first = match service {
        KeyService::S3Managed => CryptoStep::new(
            Actor::S3,
            format!(
                "decrypted the stored data key with its root key `{}` (key material v{})",
                edk.key_id, edk.key_version
            ),
        ),
        KeyService::Kms => CryptoStep::new(
            Actor::Kms,
            format!(
                "Decrypt: decrypted the data key with `{}` (key material v{}) and encryption context `{context}`, on the caller's behalf",
                edk.key_id, edk.key_version
            ),
        ),
    };
    vec![
        first,
        CryptoStep::new(
            Actor::S3,
            body_line("decrypted and authenticated", &sealed.body),
        ),
        CryptoStep::new(
            Actor::S3,
            "returned the plaintext to the caller and forgot the data key".to_owned(),
        ),
    ]
}

/// The write path of SSE-C.
#[must_use]
pub fn sse_c_write(
    key: &CustomerKey,
    body: &Ciphertext,
    fingerprint: &SseCKeyFingerprint,
) -> Vec<CryptoStep> {
    vec![
        CryptoStep::new(
            Actor::Client,
            format!(
                "sent the 256-bit key (fingerprint `{}`) and its MD5 `{}` in the request headers over HTTPS",
                key.key().fingerprint(),
                key.key_md5_base64()
            ),
        ),
        CryptoStep::new(
            Actor::S3,
            "checked that the key's MD5 matches the header".to_owned(),
        ),
        CryptoStep::new(Actor::S3, body_line("encrypted", body)),
        CryptoStep::new(
            Actor::S3,
            format!(
                "stored a salted HMAC of the key (`{}…`) and discarded the key itself",
                data_encoding::HEXLOWER.encode(fingerprint.hmac.get(..8).unwrap_or_default())
            ),
        ),
    ]
}

/// The read path of SSE-C, when the right key was sent.
#[must_use]
pub fn sse_c_read(key: &CustomerKey, body: &Ciphertext) -> Vec<CryptoStep> {
    vec![
        CryptoStep::new(
            Actor::Client,
            format!(
                "sent the same key (fingerprint `{}`) with the GET over HTTPS",
                key.key().fingerprint()
            ),
        ),
        CryptoStep::new(
            Actor::S3,
            "recomputed the salted HMAC of the key sent and found it equal to the stored one"
                .to_owned(),
        ),
        CryptoStep::new(Actor::S3, body_line("decrypted and authenticated", body)),
    ]
}

/// The upload of a client-side encrypted object: everything happens before S3 sees a byte.
#[must_use]
pub fn client_side_upload(object: &ClientEncryptedObject) -> Vec<CryptoStep> {
    let m = &object.metadata;
    vec![
        CryptoStep::new(
            Actor::Client,
            format!(
                "generated a 256-bit content key and encrypted the body with `{}` (IV `{}`)",
                m.cek_alg, m.iv
            ),
        ),
        CryptoStep::new(
            Actor::Client,
            format!(
                "wrapped the content key under the master key with `{}`",
                m.wrap_alg
            ),
        ),
        CryptoStep::new(
            Actor::S3,
            format!(
                "stored {} opaque bytes and the metadata `x-amz-key-v2`, `x-amz-iv`, `x-amz-cek-alg`, `x-amz-wrap-alg`, `x-amz-tag-len`; it never saw the master key or the plaintext",
                object.body.len()
            ),
        ),
    ]
}

/// The download of a client-side encrypted object.
#[must_use]
pub fn client_side_download(object: &ClientEncryptedObject) -> Vec<CryptoStep> {
    vec![
        CryptoStep::new(
            Actor::S3,
            format!("returned {} opaque bytes and their metadata", object.body.len()),
        ),
        CryptoStep::new(
            Actor::Client,
            "unwrapped the content key with the master key, then decrypted and authenticated the body".to_owned(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client_side::{self, ClientMasterKey};
    use crate::{KeyRing, SeededEntropy, envelope_seal, seal_object};

    #[test]
    fn kms_write_names_the_key_version_and_context() {
        let mut e = SeededEntropy::from_seed(b"explain");
        let kek = KeyRing::new("arn:aws:kms:us-east-1:111122223333:key/k", &mut e);
        let ctx = EncryptionContext::s3_arn("arn:aws:s3:::b/k");
        let sealed = envelope_seal(b"hello", &kek, &ctx, &mut e).unwrap();
        let steps = envelope_write(KeyService::Kms, &sealed, &ctx);
        let lines: Vec<String> = steps.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines[0],
            "KMS: GenerateDataKey: generated a unique 256-bit data key and encrypted a copy of it under `arn:aws:kms:us-east-1:111122223333:key/k` (key material v1)"
        );
        assert_eq!(
            lines[1],
            r#"KMS: bound encryption context `{"aws:s3:arn":"arn:aws:s3:::b/k"}` to the encrypted data key; decrypting needs the same context"#
        );
        assert!(lines[2].starts_with("S3: encrypted the 5 byte body with AES-256-GCM (nonce `"));
        assert_eq!(
            envelope_write(KeyService::S3Managed, &sealed, &ctx).len(),
            3
        );
        assert!(
            envelope_read(KeyService::Kms, &sealed, &ctx)[0]
                .text
                .starts_with("Decrypt: ")
        );
    }

    #[test]
    fn sse_c_steps_never_print_the_key() {
        let mut e = SeededEntropy::from_seed(b"explain-ssec");
        let key = CustomerKey::generate(&mut e);
        let body = seal_object(b"x", key.key(), b"", &mut e).unwrap();
        let fp = key.fingerprint(&mut e);
        let b64 = key.key().to_base64();
        for step in sse_c_write(&key, &body, &fp)
            .iter()
            .chain(&sse_c_read(&key, &body))
        {
            assert!(!step.text.contains(&b64), "{step}");
            assert!(!step.text.ends_with('.'), "{step}");
        }
    }

    #[test]
    fn client_side_steps_say_s3_never_saw_the_master_key() {
        let mut e = SeededEntropy::from_seed(b"explain-cse");
        let master = ClientMasterKey::generate(&mut e);
        let obj = client_side::encrypt(b"diary", &master, &mut e).unwrap();
        let up = client_side_upload(&obj);
        assert_eq!(up[2].actor, Actor::S3);
        assert!(up[2].text.contains("never saw the master key"));
        assert_eq!(client_side_download(&obj)[1].actor, Actor::Client);
    }
}
