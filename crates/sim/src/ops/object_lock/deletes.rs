//! Deleting a protected version: refused while a retention or a legal hold protects it, unless a
//! GOVERNANCE retention is bypassed with `x-amz-bypass-governance-retention: true` and
//! `s3:BypassGovernanceRetention` (which S3 checks only then).
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-overview.html>
//! ("Bypassing governance mode").

use super::{BYPASS_HEADER, invalid_argument};
use crate::authz::Check;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::Bucket;
use crate::object_lock::{self as lock, Protection};
use crate::ops::common::bucket_ref;
use crate::ops::versions::version_keys;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::world::World;

/// True when the request carries `x-amz-bypass-governance-retention: true`.
pub(in crate::ops) fn bypass_requested(ex: &Exchange<'_>) -> bool {
    ex.req
        .header_value(BYPASS_HEADER)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The bypass header is refused on a bucket without Object Lock.
pub(in crate::ops) fn check_bypass_header(
    ex: &mut Exchange<'_>,
    bucket: &Bucket,
) -> Result<(), S3Error> {
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

/// The governance bypass a permanent delete of `version_id` plans: `s3:BypassGovernanceRetention`
/// when the request asks for it and the version is under GOVERNANCE retention now (S3 checks the
/// permission only then).
pub(in crate::ops) fn bypass_check(
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
pub(in crate::ops) fn guard_delete(
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
pub(in crate::ops) enum Verdict {
    /// It may (the step, if any, says why).
    Pass(Option<GateStep>),
    /// S3 refuses; the step says why.
    Refuse(GateStep),
}

/// Whether a protected version may go at `ex.now`. `bypass_allowed` says whether the caller is
/// allowed `s3:BypassGovernanceRetention` (asked only when the request carries the header and
/// the version is under GOVERNANCE retention).
pub(in crate::ops) fn verdict(
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
