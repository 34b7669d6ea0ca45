//! The lock of one object version: Put and GetObjectRetention (a GOVERNANCE retention weakened
//! only with the bypass, a COMPLIANCE one never), Put and GetObjectLegalHold.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectRetention.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLegalHold.html>.

use serde_json::json;

use super::deletes::{bypass_requested, check_bypass_header};
use super::{
    API_GET_LEGAL_HOLD, API_GET_RETENTION, API_PUT_LEGAL_HOLD, API_PUT_RETENTION, BYPASS_HEADER,
    NO_SUCH_LOCK, NO_SUCH_LOCK_MESSAGE, invalid_argument, lock_keys, missing_config,
};
use crate::authz::Check;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::object_lock::{
    self as lock, LegalHoldStatus, ObjectLegalHold, ObjectRetention, RetentionMode, VersionLock,
};
use crate::ops::common::{bucket_mut, bucket_ref};
use crate::ops::plan::Plan;
use crate::ops::versions::{locate, target_owner, version_error, version_keys};
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::World;

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
pub(in crate::ops) fn put_retention<'r>(
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
pub(in crate::ops) fn get_lock<'r>(
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
pub(in crate::ops) fn put_legal_hold<'r>(
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
