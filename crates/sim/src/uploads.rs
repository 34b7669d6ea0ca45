//! Multipart uploads in progress: what S3 holds between `CreateMultipartUpload` and
//! `CompleteMultipartUpload` (or `AbortMultipartUpload`) — the initiator, the object's future
//! owner, ACL and metadata, the encryption chosen at the create, and the parts received so far.
//! Data only; the operations are in `ops/multipart.rs`.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html> (part numbers 1–10,000,
//! parts of at least 5 MiB except the last).

use std::collections::BTreeMap;

use s3pg_crypto::{Ciphertext, EncryptedDataKey, SseCKeyFingerprint};
use serde::{Deserialize, Serialize};

use crate::acl::Acl;
use crate::object_lock::VersionLock;
use crate::time::Timestamp;

/// The smallest part S3 accepts, except the last one: 5 MiB.
pub const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;

/// The highest part number.
pub const MAX_PART_NUMBER: u32 = 10_000;

/// The encryption a multipart upload was created with; every part and the completed object use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all_fields = "camelCase")]
pub enum UploadEncryption {
    /// Classic exam mode without default encryption: stored unencrypted.
    None,
    /// SSE-S3.
    SseS3,
    /// SSE-KMS or DSSE-KMS: the data key S3 obtained with `kms:GenerateDataKey` at the create,
    /// as KMS wrapped it; each part and the completion need `kms:Decrypt` to unwrap it.
    SseKms {
        /// The KMS key's ARN.
        key_arn: String,
        /// The wrapped data key.
        encrypted_data_key: EncryptedDataKey,
        /// The encryption context, as sorted JSON.
        encryption_context: String,
        /// `aws:kms:dsse`.
        #[serde(default)]
        dsse: bool,
    },
    /// SSE-C: only the salted HMAC of the customer's key; every part must bring the same key.
    SseC {
        /// The salted HMAC of the key given at the create.
        fingerprint: SseCKeyFingerprint,
        /// The key's MD5 (base64), echoed in responses.
        key_md5: String,
    },
}

impl UploadEncryption {
    /// The `x-amz-server-side-encryption` value (or `SSE-C`), as stored on the object.
    pub fn label(&self) -> Option<&'static str> {
        match self {
            UploadEncryption::None => None,
            UploadEncryption::SseS3 => Some("AES256"),
            UploadEncryption::SseKms { dsse: true, .. } => Some("aws:kms:dsse"),
            UploadEncryption::SseKms { .. } => Some("aws:kms"),
            UploadEncryption::SseC { .. } => Some("SSE-C"),
        }
    }
}

/// One part received by `UploadPart` or `UploadPartCopy`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UploadedPart {
    /// The part's data as received, for SSE-S3 and SSE-KMS uploads (S3 encrypts the assembled
    /// object at completion in the playground); empty for SSE-C parts.
    #[serde(default)]
    pub body: String,
    /// For SSE-C: the part encrypted under the customer's key, which S3 then forgets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<Ciphertext>,
    /// The part's size in bytes (`Content-Length`); may stand for more than `body` holds, so
    /// scenarios can model the 5 MiB rule with short bodies.
    pub size: u64,
    /// The part's ETag (quoted MD5 of its data).
    pub etag: String,
    /// When the part arrived.
    #[serde(default)]
    pub last_modified: Timestamp,
}

/// A multipart upload in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MultipartUpload {
    /// The object key.
    pub key: String,
    /// The ARN of the principal that created it (`Initiator`).
    pub initiator: String,
    /// The account that will own the object (`Owner`).
    pub owner: String,
    /// When it was created.
    #[serde(default)]
    pub initiated: Timestamp,
    /// The encryption chosen at the create.
    pub encryption: UploadEncryption,
    /// The object ACL asked for at the create (ACLs enabled only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Acl>,
    /// User metadata and `content-type` given at the create.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// The request headers that carried encryption settings at the create (the condition keys
    /// later requests of the upload are evaluated with).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub encryption_headers: BTreeMap<String, String>,
    /// The retention and legal hold asked for at the create (`x-amz-object-lock-*` headers): the
    /// completed object gets them; without a retention it gets the bucket's default retention,
    /// counted from the completion.
    #[serde(default, skip_serializing_if = "VersionLock::is_empty")]
    pub object_lock: VersionLock,
    /// Parts by number.
    #[serde(default)]
    pub parts: BTreeMap<u32, UploadedPart>,
}
