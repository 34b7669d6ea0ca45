//! Fields of an [`Operation`] that a log record reads from the request itself: the object key and
//! the `versionId`, `prefix` and `delimiter` query parameters a server access log's Request-URI
//! shows (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>).

use super::Operation;

impl Operation {
    /// The object key the operation names, if any (the source's, for a copy, is not it).
    pub fn key(&self) -> Option<&str> {
        match self {
            Operation::PutObjectAcl { key, .. }
            | Operation::GetObjectAcl { key, .. }
            | Operation::PutObjectTagging { key, .. }
            | Operation::GetObjectTagging { key, .. }
            | Operation::DeleteObjectTagging { key, .. }
            | Operation::PutObject { key, .. }
            | Operation::GetObject { key, .. }
            | Operation::HeadObject { key, .. }
            | Operation::DeleteObject { key, .. }
            | Operation::CopyObject { key, .. }
            | Operation::PutObjectRetention { key, .. }
            | Operation::GetObjectRetention { key, .. }
            | Operation::PutObjectLegalHold { key, .. }
            | Operation::GetObjectLegalHold { key, .. }
            | Operation::CreateMultipartUpload { key, .. }
            | Operation::UploadPart { key, .. }
            | Operation::UploadPartCopy { key, .. }
            | Operation::CompleteMultipartUpload { key, .. }
            | Operation::AbortMultipartUpload { key, .. }
            | Operation::ListParts { key, .. } => Some(key),
            _ => None,
        }
    }

    /// The operation's `versionId`, `prefix` and `delimiter` query parameters, each with its value
    /// where the request names one (what a server access log's Request-URI shows).
    pub fn query_params(&self) -> [(&'static str, Option<&str>); 3] {
        let (mut version, mut prefix, mut delimiter) = (None, None, None);
        match self {
            Operation::PutObjectAcl { version_id, .. }
            | Operation::GetObjectAcl { version_id, .. }
            | Operation::PutObjectTagging { version_id, .. }
            | Operation::GetObjectTagging { version_id, .. }
            | Operation::DeleteObjectTagging { version_id, .. }
            | Operation::GetObject { version_id, .. }
            | Operation::HeadObject { version_id, .. }
            | Operation::DeleteObject { version_id, .. }
            | Operation::PutObjectRetention { version_id, .. }
            | Operation::GetObjectRetention { version_id, .. }
            | Operation::PutObjectLegalHold { version_id, .. }
            | Operation::GetObjectLegalHold { version_id, .. } => version = version_id.as_deref(),
            Operation::ListObjectsV2 {
                prefix: p,
                delimiter: d,
                ..
            }
            | Operation::ListObjectVersions {
                prefix: p,
                delimiter: d,
                ..
            } => {
                prefix = p.as_deref();
                delimiter = d.as_deref();
            }
            Operation::ListMultipartUploads { prefix: p, .. } => prefix = p.as_deref(),
            _ => {}
        }
        [
            ("versionId", version),
            ("prefix", prefix),
            ("delimiter", delimiter),
        ]
    }
}
