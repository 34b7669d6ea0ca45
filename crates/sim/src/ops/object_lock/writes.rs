//! The lock headers of an object write (PutObject, CopyObject; CreateMultipartUpload keeps them
//! for the completed object): `x-amz-object-lock-mode` and `-retain-until-date` together,
//! `-legal-hold`, the permissions they add (`s3:PutObjectRetention`, `s3:PutObjectLegalHold`), the
//! bucket's default retention, and the checksum S3 demands of a write that gets a lock (and of
//! each part of an upload whose object will get one).
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html>.

use super::{
    API_PUT_OBJECT, CHECKSUM_NEEDED, PART_CHECKSUM_NEEDED, invalid_argument, lock_keys,
    missing_config,
};
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::Bucket;
use crate::object_lock::{
    self as lock, LegalHoldStatus, ObjectLockConfiguration, ObjectRetention, RetentionMode,
    VersionLock,
};
use crate::time::Timestamp;
use crate::trace::{Gate, GateStep, StepOutcome};

/// What PutObject's (or CopyObject's) lock headers ask for, validated.
pub(in crate::ops) struct WriteLock {
    /// The lock the new version gets (explicit headers, else the bucket's default retention).
    pub lock: VersionLock,
    /// The condition keys the headers carry.
    pub keys: Vec<(String, Vec<String>)>,
    /// Extra permissions the headers need (`s3:PutObjectRetention`, `s3:PutObjectLegalHold`).
    pub actions: Vec<&'static str>,
}

/// Validates the lock headers of an object write and works out the lock the new version gets.
pub(in crate::ops) fn plan_lock(
    ex: &mut Exchange<'_>,
    bucket: &Bucket,
) -> Result<WriteLock, S3Error> {
    let mut plan = requested_lock(ex, bucket, API_PUT_OBJECT)?;
    let explicit = !plan.lock.is_empty();
    let default = plan
        .lock
        .retention
        .is_none()
        .then(|| bucket_default(bucket, ex.now))
        .flatten();
    let gets_retention = plan.lock.retention.is_some() || default.is_some();
    if (explicit || gets_retention) && !has_checksum(ex) {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidRequest {
                message: CHECKSUM_NEEDED.to_owned(),
            },
            "an upload that gets Object Lock settings (from its headers or the bucket's default retention) must carry `Content-MD5` or an `x-amz-checksum-*` header; the AWS CLI and SDKs add one for you",
            API_PUT_OBJECT,
        ));
    }
    if let Some(d) = &default {
        ex.step(default_step(d, "the new version"));
    }
    if plan.lock.retention.is_none() {
        plan.lock.retention = default;
    }
    Ok(plan)
}

/// Whether the request carries a checksum of its body: `Content-MD5`, an `x-amz-checksum-*`
/// header or `x-amz-sdk-checksum-algorithm`.
fn has_checksum(ex: &Exchange<'_>) -> bool {
    ex.req.headers.keys().any(|h| {
        h.eq_ignore_ascii_case("content-md5")
            || h.to_ascii_lowercase().starts_with("x-amz-checksum-")
            || h.eq_ignore_ascii_case("x-amz-sdk-checksum-algorithm")
    })
}

/// UploadPart into an upload whose object will get Object Lock settings — the create's lock
/// headers, or the bucket's default retention — must carry a checksum of the part, as
/// PutObject must (API_UploadPart, `Content-MD5`: required with Object Lock parameters; S3
/// answers 400 `InvalidRequest` naming "Put Part requests").
pub(in crate::ops) fn check_part_checksum(
    ex: &mut Exchange<'_>,
    bucket: &Bucket,
    upload_lock: &VersionLock,
) -> Result<(), S3Error> {
    let default = bucket
        .object_lock
        .as_ref()
        .and_then(ObjectLockConfiguration::default_retention)
        .is_some();
    if (upload_lock.is_empty() && !default) || has_checksum(ex) {
        return Ok(());
    }
    let why = if upload_lock.is_empty() {
        "the bucket has a default retention, so the completed object will be locked"
    } else {
        "CreateMultipartUpload asked for Object Lock settings for the completed object"
    };
    Err(ex.reject(
        Gate::RequestValidation,
        S3Error::InvalidRequest {
            message: PART_CHECKSUM_NEEDED.to_owned(),
        },
        format!(
            "{why}: every part must carry `Content-MD5` or an `x-amz-checksum-*` header; the AWS CLI and SDKs add one for you"
        ),
        crate::docs::UPLOAD_PART,
    ))
}

/// What a write's lock headers ask for, validated — `x-amz-object-lock-mode` with
/// `-retain-until-date`, `-legal-hold` — with the permissions and condition keys they add; the
/// bucket's default retention is not applied here. CreateMultipartUpload takes these headers as
/// they are and keeps them for the completed object (API_CreateMultipartUpload).
/// `doc` is the API page of the operation, cited when a header is refused.
pub(in crate::ops) fn requested_lock(
    ex: &mut Exchange<'_>,
    bucket: &Bucket,
    doc: &'static str,
) -> Result<WriteLock, S3Error> {
    let header = |name: &str| ex.req.header_value(name).map(str::to_owned);
    let mode = header("x-amz-object-lock-mode");
    let until = header("x-amz-object-lock-retain-until-date");
    let hold = header("x-amz-object-lock-legal-hold");
    let explicit = mode.is_some() || until.is_some() || hold.is_some();
    let mut plan = WriteLock {
        lock: VersionLock::default(),
        keys: Vec::new(),
        actions: Vec::new(),
    };
    if explicit && !bucket.object_lock_enabled() {
        return Err(missing_config(ex, "the bucket"));
    }
    let retention = requested_retention(ex, mode.as_deref(), until.as_deref(), doc)?;
    let hold = requested_hold(ex, hold.as_deref(), doc)?;
    plan.keys = lock_keys(
        retention.as_ref().map(|r| r.mode),
        retention.as_ref().map(|r| r.retain_until_date),
        hold,
        ex.now,
    );
    if retention.is_some() {
        plan.actions.push("s3:PutObjectRetention");
    }
    if hold.is_some() {
        plan.actions.push("s3:PutObjectLegalHold");
    }
    plan.lock = VersionLock {
        retention,
        legal_hold: hold,
    };
    Ok(plan)
}

/// The retention the bucket's default gives a version created at `created`: the default mode,
/// until `created` plus the period (a year counts 365 days).
pub(in crate::ops) fn bucket_default(
    bucket: &Bucket,
    created: Timestamp,
) -> Option<ObjectRetention> {
    let d = bucket
        .object_lock
        .as_ref()
        .and_then(ObjectLockConfiguration::default_retention)?;
    d.period_days().map(|days| ObjectRetention {
        mode: d.mode,
        retain_until_date: created.plus_days(days),
    })
}

/// The trace step saying that the bucket's default retention applies to `what`.
pub(in crate::ops) fn default_step(d: &ObjectRetention, what: &str) -> GateStep {
    GateStep::new(
        Gate::ObjectLock,
        StepOutcome::Info,
        format!(
            "the bucket's default retention applies: {what} is protected in {} mode until {} (a year counts 365 days)",
            d.mode.as_str(),
            d.retain_until_date
        ),
        lock::DOC_OVERVIEW,
    )
    .compare("Mode", d.mode.as_str())
    .compare("RetainUntilDate", d.retain_until_date.to_string())
}

/// The retention the write's headers ask for: `x-amz-object-lock-mode` and
/// `-retain-until-date` together, the date in the future.
fn requested_retention(
    ex: &mut Exchange<'_>,
    mode: Option<&str>,
    until: Option<&str>,
    doc: &'static str,
) -> Result<Option<ObjectRetention>, S3Error> {
    Ok(match (mode, until) {
        (None, None) => None,
        (Some(_), None) | (None, Some(_)) => {
            return Err(invalid_argument(
                ex,
                "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
                "a retention needs both a mode and a retain-until date".to_owned(),
                doc,
            ));
        }
        (Some(m), Some(u)) => {
            let Some(m) = RetentionMode::parse(m) else {
                let why =
                    format!("`{m}` is not a retention mode: use `GOVERNANCE` or `COMPLIANCE`");
                return Err(invalid_argument(
                    ex,
                    "Unknown wormMode directive.",
                    why,
                    doc,
                ));
            };
            let Ok(u) = Timestamp::parse(u) else {
                let why = format!("`{u}` is not an ISO 8601 date such as `2027-01-01T00:00:00Z`");
                return Err(invalid_argument(
                    ex,
                    "The retain until date must be provided in ISO 8601 format",
                    why,
                    doc,
                ));
            };
            if u <= ex.now {
                let why = format!(
                    "the retain-until date {u} is not after the request time {}",
                    ex.now
                );
                return Err(invalid_argument(
                    ex,
                    "The retain until date must be in the future!",
                    why,
                    doc,
                ));
            }
            Some(ObjectRetention {
                mode: m,
                retain_until_date: u,
            })
        }
    })
}

/// The legal hold the write's `x-amz-object-lock-legal-hold` header asks for (`ON` or `OFF`).
fn requested_hold(
    ex: &mut Exchange<'_>,
    hold: Option<&str>,
    doc: &'static str,
) -> Result<Option<LegalHoldStatus>, S3Error> {
    Ok(match hold {
        None => None,
        Some(h) => match LegalHoldStatus::parse(h) {
            Some(h) => Some(h),
            None => {
                let why = format!("`{h}` is not a legal hold status: use `ON` or `OFF`");
                return Err(invalid_argument(
                    ex,
                    "Legal Hold must be either of 'ON' or 'OFF'",
                    why,
                    doc,
                ));
            }
        },
    })
}
