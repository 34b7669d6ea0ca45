//! Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload,
//! AbortMultipartUpload, ListParts and ListMultipartUploads.
//!
//! Permissions follow "Multipart upload API and permissions": `s3:PutObject` covers the create,
//! every part and the completion; `s3:AbortMultipartUpload`, `s3:ListMultipartUploadParts` and
//! `s3:ListBucketMultipartUploads` the rest. Encryption is chosen at the create, where the
//! `x-amz-server-side-encryption` headers travel — so a bucket policy that refuses unencrypted
//! uploads decides there. With SSE-KMS, S3 calls `kms:GenerateDataKey` at the create and
//! `kms:Decrypt` for every part and at the completion (it must read the encrypted parts), all
//! authorized by KMS as the caller. With SSE-C every part must bring the key of the create.
//! The completed object's ETag is the MD5 of the parts' binary MD5s followed by `-N`.
//!
//! In the playground the parts of SSE-S3 and SSE-KMS uploads wait as the data received and are
//! encrypted when the upload completes; SSE-C parts are encrypted under the customer's key as they
//! arrive, since S3 forgets the key.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html> and the API
//! reference pages of each operation.
//!
//! Where to read: [`create`] starts an upload, [`keys`] fixes and re-checks its encryption,
//! [`part`] stores parts, [`complete`] ends it (complete or abort), [`lists`] lists uploads and
//! parts; this module holds what they share.

mod complete;
mod create;
mod keys;
mod lists;
mod part;

pub(super) use complete::{abort_multipart_upload, complete_multipart_upload};
pub(super) use create::create_multipart_upload;
pub(super) use lists::{PartsPage, UploadsPage, list_multipart_uploads, list_parts};
pub(super) use part::{upload_part, upload_part_copy};

use crate::docs;
use crate::encryption::{KMS_KEY_HEADER, SSE_HEADER, SSEC_ALGORITHM, SSEC_KEY_MD5};
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::ops::plan::KmsCall;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::uploads::{MAX_PART_NUMBER, MultipartUpload, UploadEncryption};
use crate::world::World;

/// `404 NoSuchUpload`.
fn no_such_upload() -> S3Error {
    S3Error::other(
        404,
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    )
}

/// The headers of the create that carry encryption settings: the condition keys every later
/// request of the upload is evaluated with.
const ENCRYPTION_HEADERS: [&str; 3] = [
    SSE_HEADER,
    KMS_KEY_HEADER,
    "x-amz-server-side-encryption-customer-algorithm",
];

/// The upload, if `upload_id` names one for `key` in the bucket.
fn find_upload(world: &World, bucket: &str, key: &str, upload_id: &str) -> Option<MultipartUpload> {
    world
        .buckets
        .get(bucket)
        .and_then(|b| b.multipart_uploads.get(upload_id))
        .filter(|u| u.key == key)
        .cloned()
}

/// The request condition keys of a part or completion: the create's encryption headers.
fn upload_keys(
    ex: &mut Exchange<'_>,
    upload: Option<&MultipartUpload>,
) -> Vec<(String, Vec<String>)> {
    let Some(upload) = upload else {
        return Vec::new();
    };
    if upload.encryption_headers.is_empty() {
        return Vec::new();
    }
    let keys: Vec<(String, Vec<String>)> = upload
        .encryption_headers
        .iter()
        .map(|(h, v)| (format!("s3:{h}"), vec![v.clone()]))
        .collect();
    let mut step = GateStep::new(
        Gate::RequiredPermissions,
        StepOutcome::Info,
        "the encryption headers travel on CreateMultipartUpload; this request of the same upload is evaluated with the values the upload was created with",
        docs::MULTIPART_PERMISSIONS,
    )
    .undocumented("AWS does not document which `s3:x-amz-server-side-encryption*` values UploadPart and CompleteMultipartUpload carry; the playground gives them the create's, so a policy requiring encryption decides at the create");
    for (k, v) in &keys {
        step = step.compare(k.clone(), v.join(", "));
    }
    ex.step(step);
    keys
}

/// Refuses a missing upload after authorization.
fn require_upload(
    ex: &mut Exchange<'_>,
    upload: Option<MultipartUpload>,
    upload_id: &str,
    doc: &'static str,
) -> Result<MultipartUpload, S3Error> {
    upload.ok_or_else(|| {
        ex.reject(
            Gate::Execution,
            no_such_upload(),
            format!(
                "there is no multipart upload `{upload_id}` for this key: it never existed, or it was completed or aborted"
            ),
            doc,
        )
    })
}

/// The bucket the request addresses.
fn ex_bucket(ex: &Exchange<'_>) -> String {
    ex.req.operation.bucket().unwrap_or_default().to_owned()
}

/// The part-number rule: 1 to 10,000.
fn check_part_number(ex: &mut Exchange<'_>, n: u32, doc: &'static str) -> Result<(), S3Error> {
    if (1..=MAX_PART_NUMBER).contains(&n) {
        return Ok(());
    }
    Err(ex.reject(
        Gate::RequestValidation,
        S3Error::InvalidArgument {
            message: "Part number must be an integer between 1 and 10000, inclusive".to_owned(),
        },
        format!("part number `{n}` is outside 1–{MAX_PART_NUMBER}"),
        doc,
    ))
}

/// The encryption headers every response of an upload echoes.
fn upload_response_headers(upload: &MultipartUpload) -> Vec<(String, String)> {
    match &upload.encryption {
        UploadEncryption::None => Vec::new(),
        UploadEncryption::SseS3 => vec![(SSE_HEADER.to_owned(), "AES256".to_owned())],
        UploadEncryption::SseKms { key_arn, dsse, .. } => vec![
            (
                SSE_HEADER.to_owned(),
                if *dsse { "aws:kms:dsse" } else { "aws:kms" }.to_owned(),
            ),
            (KMS_KEY_HEADER.to_owned(), key_arn.clone()),
        ],
        UploadEncryption::SseC { key_md5, .. } => vec![
            (SSEC_ALGORITHM.to_owned(), "AES256".to_owned()),
            (SSEC_KEY_MD5.to_owned(), key_md5.clone()),
        ],
    }
}

/// The `kms:Decrypt` S3 makes for a part or a completion of an SSE-KMS upload.
fn decrypt_calls(upload: Option<&MultipartUpload>) -> Vec<KmsCall> {
    match upload.map(|u| &u.encryption) {
        Some(UploadEncryption::SseKms { key_arn, .. }) => vec![KmsCall {
            action: "kms:Decrypt",
            key: key_arn.clone(),
            ahead: None,
        }],
        _ => Vec::new(),
    }
}
