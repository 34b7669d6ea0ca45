//! S3 Object Lock operations — Put/GetObjectLockConfiguration, Put/GetObjectRetention,
//! Put/GetObjectLegalHold — and the Object Lock gate the other operations pass through: the lock
//! headers of PutObject and CopyObject (`x-amz-object-lock-mode`, `-retain-until-date`,
//! `-legal-hold`, with the checksum S3 demands) and of CreateMultipartUpload, and the refusal to delete a protected version
//! unless a GOVERNANCE retention is bypassed with `x-amz-bypass-governance-retention: true` and
//! `s3:BypassGovernanceRetention`.
//!
//! Follows "How S3 Object Lock works"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html>), "Object
//! Lock considerations" (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html>)
//! and the API reference of each operation
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectRetention.html>, …).
//!
//! Where to read: [`writes`] (the lock headers of a write), [`deletes`] (deleting a protected
//! version), [`config`] (the bucket's configuration), [`version`] (one version's retention and
//! legal hold); this module holds what they share.

mod config;
mod deletes;
mod version;
mod writes;

pub(super) use config::object_lock_config;
pub(super) use deletes::{Verdict, bypass_check, check_bypass_header, guard_delete, verdict};
pub(super) use version::{get_lock, put_legal_hold, put_retention};
pub(super) use writes::{
    bucket_default, check_part_checksum, default_step, plan_lock, requested_lock,
};

use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::object_lock::{self as lock, LegalHoldStatus, RetentionMode};
use crate::time::Timestamp;
use crate::trace::Gate;

const API_PUT_CONFIG: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html";
const API_GET_CONFIG: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectLockConfiguration.html";
const API_PUT_RETENTION: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectRetention.html";
const API_GET_RETENTION: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectRetention.html";
const API_PUT_LEGAL_HOLD: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLegalHold.html";
const API_GET_LEGAL_HOLD: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectLegalHold.html";
const API_PUT_OBJECT: &str = "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html";

const MISSING_CONFIG: &str = "Bucket is missing Object Lock Configuration";
const CHECKSUM_NEEDED: &str = "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters";
const PART_CHECKSUM_NEEDED: &str = "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Part requests with Object Lock parameters";
const BYPASS_HEADER: &str = "x-amz-bypass-governance-retention";
const NO_SUCH_LOCK: &str = "NoSuchObjectLockConfiguration";
const NO_SUCH_LOCK_MESSAGE: &str = "The specified object does not have a ObjectLock configuration";

/// 409 `InvalidBucketState` with S3's message.
pub(super) fn invalid_bucket_state(message: &str) -> S3Error {
    S3Error::other(409, "InvalidBucketState", message)
}

fn missing_config(ex: &mut Exchange<'_>, name: &str) -> S3Error {
    ex.reject(
        Gate::RequestValidation,
        S3Error::InvalidRequest {
            message: MISSING_CONFIG.to_owned(),
        },
        format!(
            "`{name}` does not have Object Lock enabled: create the bucket with `x-amz-bucket-object-lock-enabled: true`, or enable versioning and send PutObjectLockConfiguration"
        ),
        lock::DOC,
    )
}

fn invalid_argument(
    ex: &mut Exchange<'_>,
    message: &str,
    why: String,
    doc: &'static str,
) -> S3Error {
    ex.reject(
        Gate::RequestValidation,
        S3Error::InvalidArgument {
            message: message.to_owned(),
        },
        why,
        doc,
    )
}

/// The condition keys a retention or legal hold in the request carries.
fn lock_keys(
    mode: Option<RetentionMode>,
    until: Option<Timestamp>,
    hold: Option<LegalHoldStatus>,
    now: Timestamp,
) -> Vec<(String, Vec<String>)> {
    let mut keys = Vec::new();
    if let Some(m) = mode {
        keys.push((
            "s3:object-lock-mode".to_owned(),
            vec![m.as_str().to_owned()],
        ));
    }
    if let Some(u) = until {
        keys.push((
            "s3:object-lock-retain-until-date".to_owned(),
            vec![u.to_string()],
        ));
        keys.push((
            "s3:object-lock-remaining-retention-days".to_owned(),
            vec![lock::remaining_days(now, u).to_string()],
        ));
    }
    if let Some(h) = hold {
        keys.push((
            "s3:object-lock-legal-hold".to_owned(),
            vec![h.as_str().to_owned()],
        ));
    }
    keys
}
