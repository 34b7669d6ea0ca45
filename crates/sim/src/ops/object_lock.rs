//! S3 Object Lock operations — Put/GetObjectLockConfiguration, Put/GetObjectRetention,
//! Put/GetObjectLegalHold — and the Object Lock gate the other operations pass through: the lock
//! headers of PutObject and CopyObject (`x-amz-object-lock-mode`, `-retain-until-date`,
//! `-legal-hold`, with the checksum S3 demands), and the refusal to delete a protected version
//! unless a GOVERNANCE retention is bypassed with `x-amz-bypass-governance-retention: true` and
//! `s3:BypassGovernanceRetention`.
//!
//! Follows "How S3 Object Lock works"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html>), "Object
//! Lock considerations" (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html>)
//! and the API reference of each operation
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectRetention.html>, …).

use serde_json::json;

use super::common::{bucket_mut, bucket_ref};
use super::plan::Plan;
use super::versions::{locate, target_owner, version_error, version_keys};
use crate::authz::Check;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{Bucket, Versioning};
use crate::object_lock::{
    self as lock, LegalHoldStatus, ObjectLegalHold, ObjectLockConfiguration, ObjectRetention,
    Protection, RetentionMode, VersionLock,
};
use crate::time::Timestamp;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::World;

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

fn invalid_argument(ex: &mut Exchange<'_>, message: &str, why: String, doc: &str) -> S3Error {
    ex.reject(
        Gate::RequestValidation,
        S3Error::InvalidArgument {
            message: message.to_owned(),
        },
        why,
        doc,
    )
}

/// True when the request carries `x-amz-bypass-governance-retention: true`.
pub(super) fn bypass_requested(ex: &Exchange<'_>) -> bool {
    ex.req
        .header_value(BYPASS_HEADER)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The bypass header is refused on a bucket without Object Lock.
pub(super) fn check_bypass_header(ex: &mut Exchange<'_>, bucket: &Bucket) -> Result<(), S3Error> {
    if ex.req.header_value(BYPASS_HEADER).is_some() && !bucket.object_lock_enabled() {
        return Err(invalid_argument(
            ex,
            "x-amz-bypass-governance-retention is only applicable to Object Lock enabled buckets.",
            "the request asks to bypass governance retention on a bucket without Object Lock"
                .to_owned(),
            lock::DOC_OVERVIEW,
        ));
    }
    Ok(())
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

/// What PutObject's (or CopyObject's) lock headers ask for, validated.
pub(super) struct WriteLock {
    /// The lock the new version gets (explicit headers, else the bucket's default retention).
    pub lock: VersionLock,
    /// The condition keys the headers carry.
    pub keys: Vec<(String, Vec<String>)>,
    /// Extra permissions the headers need (`s3:PutObjectRetention`, `s3:PutObjectLegalHold`).
    pub actions: Vec<&'static str>,
}

/// Validates the lock headers of an object write and works out the lock the new version gets.
pub(super) fn plan_lock(ex: &mut Exchange<'_>, bucket: &Bucket) -> Result<WriteLock, S3Error> {
    let mode = ex
        .req
        .header_value("x-amz-object-lock-mode")
        .map(str::to_owned);
    let until = ex
        .req
        .header_value("x-amz-object-lock-retain-until-date")
        .map(str::to_owned);
    let hold = ex
        .req
        .header_value("x-amz-object-lock-legal-hold")
        .map(str::to_owned);
    let explicit = mode.is_some() || until.is_some() || hold.is_some();
    let mut plan = WriteLock {
        lock: VersionLock::default(),
        keys: Vec::new(),
        actions: Vec::new(),
    };
    if explicit && !bucket.object_lock_enabled() {
        return Err(missing_config(ex, "the bucket"));
    }
    let retention = match (&mode, &until) {
        (None, None) => None,
        (Some(_), None) | (None, Some(_)) => {
            return Err(invalid_argument(
                ex,
                "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied",
                "a retention needs both a mode and a retain-until date".to_owned(),
                API_PUT_OBJECT,
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
                    API_PUT_OBJECT,
                ));
            };
            let Ok(u) = Timestamp::parse(u) else {
                let why = format!("`{u}` is not an ISO 8601 date such as `2027-01-01T00:00:00Z`");
                return Err(invalid_argument(
                    ex,
                    "The retain until date must be provided in ISO 8601 format",
                    why,
                    API_PUT_OBJECT,
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
                    API_PUT_OBJECT,
                ));
            }
            Some(ObjectRetention {
                mode: m,
                retain_until_date: u,
            })
        }
    };
    let hold = match &hold {
        None => None,
        Some(h) => match LegalHoldStatus::parse(h) {
            Some(h) => Some(h),
            None => {
                let why = format!("`{h}` is not a legal hold status: use `ON` or `OFF`");
                return Err(invalid_argument(
                    ex,
                    "Legal Hold must be either of 'ON' or 'OFF'",
                    why,
                    API_PUT_OBJECT,
                ));
            }
        },
    };
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
    let default = bucket
        .object_lock
        .as_ref()
        .and_then(ObjectLockConfiguration::default_retention)
        .filter(|_| retention.is_none())
        .and_then(|d| {
            d.period_days().map(|days| ObjectRetention {
                mode: d.mode,
                retain_until_date: ex.now.plus_days(days),
            })
        });
    let gets_retention = retention.is_some() || default.is_some();
    let has_checksum = ex.req.headers.keys().any(|h| {
        h.eq_ignore_ascii_case("content-md5")
            || h.to_ascii_lowercase().starts_with("x-amz-checksum-")
            || h.eq_ignore_ascii_case("x-amz-sdk-checksum-algorithm")
    });
    if (explicit || gets_retention) && !has_checksum {
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
        ex.step(
            GateStep::new(
                Gate::ObjectLock,
                StepOutcome::Info,
                format!(
                    "the bucket's default retention applies: the new version is protected in {} mode until {} (a year counts 365 days)",
                    d.mode.as_str(),
                    d.retain_until_date
                ),
                lock::DOC_OVERVIEW,
            )
            .compare("Mode", d.mode.as_str())
            .compare("RetainUntilDate", d.retain_until_date.to_string()),
        );
    }
    plan.lock = VersionLock {
        retention: retention.or(default),
        legal_hold: hold,
    };
    Ok(plan)
}

/// The governance bypass a permanent delete of `version_id` plans: `s3:BypassGovernanceRetention`
/// when the request asks for it and the version is under GOVERNANCE retention now (S3 checks the
/// permission only then).
pub(super) fn bypass_check(
    world: &World,
    ex: &Exchange<'_>,
    name: &str,
    key: &str,
    version_id: &str,
) -> Option<Check> {
    let v = world
        .buckets
        .get(name)?
        .objects
        .get(key)?
        .version(version_id)?;
    (bypass_requested(ex) && matches!(v.object_lock.protection(ex.now), Protection::Governance(_)))
        .then(|| {
            Check::object("s3:BypassGovernanceRetention", name, key, &v.owner)
                .keys(version_keys(Some(version_id)))
        })
}

/// Checks a version about to be permanently deleted, after authorization (which allowed any
/// planned bypass): refused while protected. Records the Object Lock step.
pub(super) fn guard_delete(
    world: &World,
    ex: &mut Exchange<'_>,
    name: &str,
    key: &str,
    version_id: &str,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    let Some(v) = bucket.objects.get(key).and_then(|e| e.version(version_id)) else {
        return Ok(());
    };
    let protection = v.object_lock.protection(ex.now);
    match verdict(ex, version_id, protection, || true) {
        Verdict::Pass(step) => {
            ex.trace.extend(step);
            Ok(())
        }
        Verdict::Refuse(step) => {
            ex.push_deciding(step);
            Err(S3Error::AccessDenied {
                message: lock::PROTECTED_MESSAGE.to_owned(),
            })
        }
    }
}

/// Whether a protected version may go.
pub(super) enum Verdict {
    /// It may (the step, if any, says why).
    Pass(Option<GateStep>),
    /// S3 refuses; the step says why.
    Refuse(GateStep),
}

/// Whether a protected version may go at `ex.now`. `bypass_allowed` says whether the caller is
/// allowed `s3:BypassGovernanceRetention` (asked only when the request carries the header and
/// the version is under GOVERNANCE retention).
pub(super) fn verdict(
    ex: &Exchange<'_>,
    version_id: &str,
    protection: Protection,
    bypass_allowed: impl FnOnce() -> bool,
) -> Verdict {
    let step = |outcome, text: String| {
        GateStep::new(Gate::ObjectLock, outcome, text, lock::DOC_OVERVIEW)
            .compare("version", version_id.to_owned())
    };
    match protection {
        Protection::None => Verdict::Pass(None),
        Protection::Expired(until) => Verdict::Pass(Some(
            step(
                StepOutcome::Pass,
                format!("the version's retention ended at {until}, so it may be deleted"),
            )
            .compare("RetainUntilDate", until.to_string()),
        )),
        Protection::LegalHold => Verdict::Refuse(step(
            StepOutcome::Reject,
            "the version is under a legal hold: no one can delete it until the hold is removed (PutObjectLegalHold `OFF`, which needs `s3:PutObjectLegalHold`); a governance bypass does not lift a legal hold".to_owned(),
        )
        .compare("LegalHold", "ON")),
        Protection::Compliance(until) => Verdict::Refuse(step(
            StepOutcome::Reject,
            format!(
                "the version is under COMPLIANCE retention until {until}: no one, not even the root user, can delete it before then; {}",
                lock::VAULT_LOCK_COMPARISON
            ),
        )
        .compare("Mode", "COMPLIANCE")
        .compare("RetainUntilDate", until.to_string())
        .compare("now", ex.now.to_string())),
        Protection::Governance(until) if !bypass_requested(ex) => Verdict::Refuse(step(
            StepOutcome::Reject,
            format!(
                "the version is under GOVERNANCE retention until {until}: deleting it needs `x-amz-bypass-governance-retention: true` and the `s3:BypassGovernanceRetention` permission (the S3 console sends the header for you)"
            ),
        )
        .compare("Mode", "GOVERNANCE")
        .compare("RetainUntilDate", until.to_string())
        .compare(BYPASS_HEADER, "(absent)")),
        Protection::Governance(until) => {
            if bypass_allowed() {
                Verdict::Pass(Some(
                    step(
                        StepOutcome::Allow,
                        format!(
                            "the version is under GOVERNANCE retention until {until}, but the request carries `x-amz-bypass-governance-retention: true` and the caller is allowed `s3:BypassGovernanceRetention`"
                        ),
                    )
                    .compare("permission", "s3:BypassGovernanceRetention")
                    .compare(BYPASS_HEADER, "true"),
                ))
            } else {
                Verdict::Refuse(
                    step(
                        StepOutcome::ImplicitDeny,
                        format!(
                            "the request asks to bypass GOVERNANCE retention (until {until}) but no policy allows the caller `s3:BypassGovernanceRetention` on this object"
                        ),
                    )
                    .compare("permission", "s3:BypassGovernanceRetention")
                    .compare(BYPASS_HEADER, "true"),
                )
            }
        }
    }
}

/// `PutObjectLockConfiguration` (`Some`) and `GetObjectLockConfiguration` (`None`).
pub(super) fn object_lock_config<'r>(
    ex: &mut Exchange<'r>,
    name: &'r str,
    change: Option<&'r ObjectLockConfiguration>,
) -> Result<Plan<'r>, S3Error> {
    let Some(config) = change else {
        return Ok(Plan::new(
            vec![Check::bucket("s3:GetBucketObjectLockConfiguration", name)],
            move |world, ex, _, _| match bucket_ref(world, name)?.object_lock.clone() {
                Some(c) => {
                    ex.body = Some(json!({ "ObjectLockConfiguration": c }));
                    Ok(())
                }
                None => Err(ex.reject(
                    Gate::Execution,
                    S3Error::other(
                        404,
                        "ObjectLockConfigurationNotFoundError",
                        "Object Lock configuration does not exist for this bucket",
                    ),
                    format!("`{name}` has no Object Lock configuration"),
                    API_GET_CONFIG,
                )),
            },
        ));
    };
    if config.object_lock_enabled.as_deref() != Some("Enabled") {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::MalformedXml,
            "`ObjectLockEnabled` must be `Enabled` (Object Lock can never be turned off)",
            API_PUT_CONFIG,
        ));
    }
    if let Some(d) = config.default_retention()
        && d.period_days().is_none()
    {
        let (err, why) = if d.days.is_some() && d.years.is_some() {
            (
                S3Error::MalformedXml,
                "a default retention takes `Days` or `Years`, never both",
            )
        } else if d.days.is_none() && d.years.is_none() {
            (
                S3Error::MalformedXml,
                "a default retention needs a period: `Days` or `Years`",
            )
        } else {
            (
                S3Error::InvalidArgument {
                    message: "Default retention period must be a positive integer value."
                        .to_owned(),
                },
                "the default retention period must be a positive number of days or years",
            )
        };
        return Err(ex.reject(Gate::RequestValidation, err, why, API_PUT_CONFIG));
    }
    Ok(Plan::new(
        vec![Check::bucket("s3:PutBucketObjectLockConfiguration", name)],
        move |world, ex, _, _| {
            let bucket = bucket_ref(world, name)?;
            if !bucket.object_lock_enabled() && bucket.versioning != Versioning::Enabled {
                return Err(ex.reject(
                    Gate::Execution,
                    invalid_bucket_state(
                        "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
                    ),
                    "Object Lock works on versions: enable versioning on the bucket first, then Object Lock can be turned on (for good)",
                    API_PUT_CONFIG,
                ));
            }
            let text = match config.default_retention() {
                Some(d) => format!(
                    "Object Lock is on for `{name}` and new versions get {} retention for {} day(s) unless their upload says otherwise; existing versions keep what they have; {}",
                    d.mode.as_str(),
                    d.period_days().unwrap_or(0),
                    lock::VAULT_LOCK_COMPARISON
                ),
                None => format!(
                    "Object Lock is on for `{name}` with no default retention: versions are protected only when a retention or legal hold is placed on them"
                ),
            };
            ex.step(GateStep::new(
                Gate::ObjectLock,
                StepOutcome::Info,
                text,
                lock::DOC,
            ));
            bucket_mut(world, name)?.object_lock = Some(config.clone());
            ex.effects.push(Effect::ObjectLockConfigurationSet {
                bucket: name.to_owned(),
            });
            Ok(())
        },
    ))
}

/// Finds the version a retention or legal-hold request addresses (the current one by default).
fn addressed(
    world: &World,
    ex: &mut Exchange<'_>,
    name: &str,
    key: &str,
    version_id: Option<&str>,
) -> Result<(String, VersionLock), S3Error> {
    let bucket = bucket_ref(world, name)?;
    match locate(bucket, key, version_id) {
        Ok(v) => Ok((v.version_id.clone(), v.object_lock.clone())),
        Err((e, marker)) => {
            let marker = marker.cloned();
            Err(version_error(ex, e, marker.as_ref(), key))
        }
    }
}

fn set_lock(
    world: &mut WorldRef<'_>,
    name: &str,
    key: &str,
    version_id: &str,
    f: impl FnOnce(&mut VersionLock),
) -> Result<(), S3Error> {
    let bucket = bucket_mut(world, name)?;
    let v = bucket
        .objects
        .get_mut(key)
        .and_then(|e| e.versions.iter_mut().find(|v| v.version_id == version_id))
        .ok_or(S3Error::NoSuchVersion)?;
    f(&mut v.object_lock);
    Ok(())
}

/// Whether `new` weakens `old` (an earlier date, or COMPLIANCE turned into GOVERNANCE), and how.
fn weakening(old: &ObjectRetention, new: &ObjectRetention) -> Option<&'static str> {
    if old.mode == RetentionMode::Compliance && new.mode == RetentionMode::Governance {
        Some("changes COMPLIANCE to GOVERNANCE")
    } else if new.retain_until_date < old.retain_until_date {
        Some("moves the retain-until date earlier")
    } else {
        None
    }
}

/// `PutObjectRetention`.
pub(super) fn put_retention<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    name: &'r str,
    key: &'r str,
    version_id: Option<&'r str>,
    retention: &'r ObjectRetention,
) -> Result<Plan<'r>, S3Error> {
    let bucket = bucket_ref(world, name)?;
    if !bucket.object_lock_enabled() {
        return Err(missing_config(ex, name));
    }
    check_bypass_header(ex, bucket)?;
    if retention.retain_until_date <= ex.now {
        let why = format!(
            "the retain-until date {} is not after the request time {}",
            retention.retain_until_date, ex.now
        );
        return Err(invalid_argument(
            ex,
            "The retain until date must be in the future!",
            why,
            API_PUT_RETENTION,
        ));
    }
    let owner = target_owner(bucket, key, version_id);
    let mut keys = version_keys(version_id);
    keys.extend(lock_keys(
        Some(retention.mode),
        Some(retention.retain_until_date),
        None,
        ex.now,
    ));
    let mut checks = vec![Check::object("s3:PutObjectRetention", name, key, &owner).keys(keys)];
    // Shortening an active GOVERNANCE retention with the bypass header needs the bypass too.
    let current = locate(bucket, key, version_id)
        .ok()
        .and_then(|v| v.object_lock.retention.clone())
        .filter(|r| ex.now < r.retain_until_date);
    if let Some(old) = &current
        && old.mode == RetentionMode::Governance
        && weakening(old, retention).is_some()
        && bypass_requested(ex)
    {
        checks.push(
            Check::object("s3:BypassGovernanceRetention", name, key, &owner)
                .keys(version_keys(version_id)),
        );
    }
    Ok(Plan::new(checks, move |world, ex, _, _| {
        let (vid, current) = addressed(world, ex, name, key, version_id)?;
        if let Some(old) = current.retention.filter(|r| ex.now < r.retain_until_date) {
            retention_change(ex, &old, retention)?;
        }
        let r = retention.clone();
        set_lock(world, name, key, &vid, |l| l.retention = Some(r))?;
        ex.effects.push(Effect::RetentionSet {
            bucket: name.to_owned(),
            key: key.to_owned(),
            version_id: vid,
            mode: retention.mode.as_str().to_owned(),
            retain_until_date: retention.retain_until_date.to_string(),
        });
        Ok(())
    }))
}

/// Whether an active retention may become `new`: lengthening always; weakening a GOVERNANCE
/// retention with a (planned, hence authorized) bypass; weakening COMPLIANCE never.
fn retention_change(
    ex: &mut Exchange<'_>,
    old: &ObjectRetention,
    new: &ObjectRetention,
) -> Result<(), S3Error> {
    let Some(change) = weakening(old, new) else {
        let mut step = GateStep::new(
            Gate::ObjectLock,
            StepOutcome::Pass,
            format!(
                "the new retention ({} until {}) is at least as strong as the current one ({} until {}): lengthening needs no bypass",
                new.mode.as_str(),
                new.retain_until_date,
                old.mode.as_str(),
                old.retain_until_date
            ),
            lock::DOC_OVERVIEW,
        );
        if old.mode != new.mode {
            step = step.undocumented("AWS does not say whether turning GOVERNANCE into COMPLIANCE needs a bypass; the playground treats it as a strengthening that does not");
        }
        ex.step(step);
        return Ok(());
    };
    let refuse = |ex: &mut Exchange<'_>, step: GateStep| {
        ex.push_deciding(step);
        Err(S3Error::AccessDenied {
            message: lock::PROTECTED_MESSAGE.to_owned(),
        })
    };
    match old.mode {
        RetentionMode::Compliance => refuse(
            ex,
            GateStep::new(
                Gate::ObjectLock,
                StepOutcome::Reject,
                format!(
                    "the version is under COMPLIANCE retention until {}: its retention can be lengthened but the request {change}, which no one — not even the root user — may do",
                    old.retain_until_date
                ),
                lock::DOC_OVERVIEW,
            )
            .compare("current", format!("COMPLIANCE until {}", old.retain_until_date))
            .compare(
                "requested",
                format!("{} until {}", new.mode.as_str(), new.retain_until_date),
            )
            .undocumented("AWS documents that COMPLIANCE retention cannot be shortened but not the message of the refusal; the playground answers 403 AccessDenied with the Object Lock message"),
        ),
        RetentionMode::Governance if bypass_requested(ex) => {
            ex.step(
                GateStep::new(
                    Gate::ObjectLock,
                    StepOutcome::Allow,
                    format!(
                        "the request {change} of a GOVERNANCE retention (until {}): allowed, because it carries `x-amz-bypass-governance-retention: true` and the caller is allowed `s3:BypassGovernanceRetention`",
                        old.retain_until_date
                    ),
                    lock::DOC_OVERVIEW,
                )
                .action("s3:BypassGovernanceRetention"),
            );
            Ok(())
        }
        RetentionMode::Governance => refuse(
            ex,
            GateStep::new(
                Gate::ObjectLock,
                StepOutcome::Reject,
                format!(
                    "the request {change} of a version under GOVERNANCE retention until {}: that needs `x-amz-bypass-governance-retention: true` and `s3:BypassGovernanceRetention`",
                    old.retain_until_date
                ),
                lock::DOC_OVERVIEW,
            )
            .compare(BYPASS_HEADER, "(absent)"),
        ),
    }
}

/// `GetObjectRetention` (`legal_hold` false) and `GetObjectLegalHold` (true).
pub(super) fn get_lock<'r>(
    world: &World,
    name: &'r str,
    key: &'r str,
    version_id: Option<&'r str>,
    legal_hold: bool,
) -> Result<Plan<'r>, S3Error> {
    let owner = target_owner(bucket_ref(world, name)?, key, version_id);
    let action = if legal_hold {
        "s3:GetObjectLegalHold"
    } else {
        "s3:GetObjectRetention"
    };
    Ok(Plan::new(
        vec![Check::object(action, name, key, &owner).keys(version_keys(version_id))],
        move |world, ex, _, _| {
            let (_, l) = addressed(world, ex, name, key, version_id)?;
            let body = if legal_hold {
                l.legal_hold
                    .map(|h| json!({ "LegalHold": { "Status": h.as_str() } }))
            } else {
                l.retention.map(|r| json!({ "Retention": r }))
            };
            if let Some(body) = body {
                ex.body = Some(body);
                return Ok(());
            }
            let (what, doc) = if legal_hold {
                ("legal hold was ever set", API_GET_LEGAL_HOLD)
            } else {
                ("retention was ever placed", API_GET_RETENTION)
            };
            let e = ex.reject(
                Gate::Execution,
                S3Error::other(404, NO_SUCH_LOCK, NO_SUCH_LOCK_MESSAGE),
                format!("no {what} on this version of `{key}`"),
                doc,
            );
            if legal_hold && let Some(step) = ex.trace.last_mut() {
                step.undocumented = Some("AWS does not document the answer for a version that never had a legal hold; the playground answers 404 NoSuchObjectLockConfiguration, as for a missing retention".to_owned());
            }
            Err(e)
        },
    ))
}

/// `PutObjectLegalHold`.
pub(super) fn put_legal_hold<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    name: &'r str,
    key: &'r str,
    version_id: Option<&'r str>,
    hold: ObjectLegalHold,
) -> Result<Plan<'r>, S3Error> {
    let bucket = bucket_ref(world, name)?;
    if !bucket.object_lock_enabled() {
        return Err(missing_config(ex, name));
    }
    let owner = target_owner(bucket, key, version_id);
    let mut keys = version_keys(version_id);
    keys.extend(lock_keys(None, None, Some(hold.status), ex.now));
    Ok(Plan::new(
        vec![Check::object("s3:PutObjectLegalHold", name, key, &owner).keys(keys)],
        move |world, ex, _, _| {
            let (vid, _) = addressed(world, ex, name, key, version_id)?;
            ex.step(GateStep::new(
                Gate::ObjectLock,
                StepOutcome::Info,
                match hold.status {
                    LegalHoldStatus::On => "a legal hold has no end date: the version cannot be deleted, whatever its retention, until someone with `s3:PutObjectLegalHold` turns the hold off",
                    LegalHoldStatus::Off => "the legal hold is removed; any retention the version has still applies",
                },
                API_PUT_LEGAL_HOLD,
            ));
            set_lock(world, name, key, &vid, |l| l.legal_hold = Some(hold.status))?;
            ex.effects.push(Effect::LegalHoldSet {
                bucket: name.to_owned(),
                key: key.to_owned(),
                version_id: vid,
                status: hold.status.as_str().to_owned(),
            });
            Ok(())
        },
    ))
}
