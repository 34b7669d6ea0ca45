//! How a scenario asks the world to sign for a learner: a pre-signed URL minted as `aws s3
//! presign` or an SDK would (and the edits a learner makes to it), a POST form signed as a web
//! application's server would (data only; `presigned.rs` and `post.rs` use them).
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html>.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How to mint the URL of a [`Operation::PresignedRequest`](super::Operation::PresignedRequest): as `aws s3 presign` or an SDK would,
/// with the secret the world stores for the access key, at `signedAt`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PresignSpec {
    /// The signer's access key id (an IAM user's, a root user's or a role session's).
    pub access_key_id: String,
    /// The method signed (default: the method used).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The bucket.
    pub bucket: String,
    /// The key; empty for a bucket-level URL (`ListObjectsV2`).
    #[serde(default)]
    pub key: String,
    /// `X-Amz-Expires` (default 3600, as `aws s3 presign`).
    #[serde(default = "default_expires_in")]
    pub expires_in: u64,
    /// When the URL was signed (`X-Amz-Date`; default: the time of use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<crate::time::Timestamp>,
    /// The Region of the credential scope (default: the bucket's Region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Sign with this secret instead of the stored one (a wrong key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_access_key: Option<String>,
    /// Text edits applied to the minted URL, in order (a learner tampering with it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<UrlEdit>,
    /// The operation's own query parameters, signed with the URL (`uploadId` and `partNumber`
    /// for a pre-signed UploadPart).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub query: BTreeMap<String, String>,
}

/// How to sign a [`Operation::PostObject`](super::Operation::PostObject) form, as a web application's server would: the POST
/// policy document, base64-encoded, signed with the SigV4 signing key of the access key's secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PostSignSpec {
    /// The signer's access key id.
    pub access_key_id: String,
    /// The POST policy document (`expiration`, `conditions`).
    pub policy: serde_json::Value,
    /// When the form was signed (`x-amz-date`; default: the time of use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<crate::time::Timestamp>,
    /// The Region of the credential scope (default: the bucket's Region).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Sign with this secret instead of the stored one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_access_key: Option<String>,
}

/// One text replacement in a minted URL (the first occurrence of `find`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UrlEdit {
    /// The text to find.
    pub find: String,
    /// Its replacement.
    pub replace: String,
}

fn default_expires_in() -> u64 {
    s3pg_sigv4::DEFAULT_EXPIRES_SECONDS
}
