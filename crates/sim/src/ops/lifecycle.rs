//! Lifecycle: the configuration operations (PutBucketLifecycleConfiguration,
//! GetBucketLifecycleConfiguration, DeleteBucketLifecycle, with the rule that MFA Delete and
//! lifecycle cannot be used together) and the actions S3 takes on its own as the simulated clock
//! moves. S3 adds a rule's days to the time an object was created (or became noncurrent) and
//! rounds the result up to the next midnight UTC; before each request the world applies, in time
//! order, every action whose midnight has passed — so a request sent days later sees what the
//! midnights in between would have left. A version under Object Lock retention or a legal hold
//! is never removed: its removal waits for the first midnight after the retention ends. An
//! `AbortIncompleteMultipartUpload` rule aborts an upload that many days after its creation
//! (rounded the same way); CreateMultipartUpload and ListParts say when, in `x-amz-abort-date`
//! and `x-amz-abort-rule-id`. Each
//! action is written in the bucket's server access log when logging is on — `S3.EXPIRE.OBJECT`,
//! or `S3.CREATE.DELETEMARKER` for the current version of a versioned bucket, requester
//! `AmazonS3`, `S3.DELETE.UPLOAD` for an aborted upload — and never reaches CloudTrail.
//!
//! Follows "Managing your storage lifecycle"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html>), "Lifecycle
//! and other bucket configurations"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-and-other-bucket-config.html>)
//! the API reference
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html>)
//! and the log format's Operation field
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::common::{bucket_mut, bucket_ref};
use super::object_lock::invalid_bucket_state;
use super::plan::Plan;
use crate::authz::Check;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::lifecycle::{
    self as lc, DAY, LifecycleConfiguration, RuleStatus, midnight_at_or_after, next_midnight,
};
use crate::model::{Bucket, ObjectVersion, Versioning};
use crate::time::Timestamp;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::World;

const API_PUT: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html";
const API_GET: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLifecycleConfiguration.html";

/// What a lifecycle request does.
pub(super) enum LifecycleOp<'r> {
    /// PutBucketLifecycleConfiguration.
    Put(&'r LifecycleConfiguration),
    /// GetBucketLifecycleConfiguration.
    Get,
    /// DeleteBucketLifecycle.
    Delete,
}

/// Checks a configuration as S3 does before storing it: the refusal and why.
fn invalid(config: &LifecycleConfiguration) -> Option<(S3Error, String)> {
    let arg = |m: &str| S3Error::InvalidArgument {
        message: m.to_owned(),
    };
    if config.rules.is_empty() || config.rules.len() > 1000 {
        return Some((
            S3Error::MalformedXml,
            format!(
                "a lifecycle configuration holds 1 to 1,000 rules, not {}",
                config.rules.len()
            ),
        ));
    }
    let mut ids = BTreeSet::new();
    for (i, rule) in config.rules.iter().enumerate() {
        let label = rule.label(i);
        if let Some(id) = &rule.id
            && !ids.insert(id.clone())
        {
            return Some((
                arg("Rule ID must be unique. Found same ID for more than one rule"),
                format!("two rules are named `{id}`"),
            ));
        }
        if !rule.has_action() {
            return Some((
                S3Error::InvalidRequest {
                    message: "At least one action needs to be specified in a rule".to_owned(),
                },
                format!(
                    "rule `{label}` has no action (Expiration, NoncurrentVersionExpiration, …)"
                ),
            ));
        }
        if let Some(e) = &rule.expiration {
            let given = [
                e.days.is_some(),
                e.date.is_some(),
                e.expired_object_delete_marker.is_some(),
            ]
            .iter()
            .filter(|b| **b)
            .count();
            if given != 1 {
                return Some((
                    S3Error::MalformedXml,
                    format!(
                        "rule `{label}`: an Expiration takes exactly one of `Days`, `Date` or `ExpiredObjectDeleteMarker`"
                    ),
                ));
            }
            if e.days.is_some_and(|d| d <= 0) {
                return Some((
                    arg("'Days' for Expiration action must be a positive integer"),
                    format!("rule `{label}`: `Days` must be at least 1"),
                ));
            }
            if let Some(d) = e.date
                && !d.epoch_seconds().is_multiple_of(86_400)
            {
                return Some((
                    arg("'Date' must be at midnight GMT"),
                    format!("rule `{label}`: the expiration date {d} is not at midnight UTC"),
                ));
            }
        }
        if rule.abort_incomplete_multipart_upload.is_some()
            && rule.abort_after_days().is_none_or(|d| d <= 0)
        {
            return Some((
                arg(
                    "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
                ),
                format!("rule `{label}`: `DaysAfterInitiation` must be at least 1"),
            ));
        }
        if let Some(n) = &rule.noncurrent_version_expiration
            && n.noncurrent_days.is_none_or(|d| d <= 0)
        {
            return Some((
                arg(
                    "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
                ),
                format!("rule `{label}`: `NoncurrentDays` must be at least 1"),
            ));
        }
    }
    None
}

/// Put, Get and DeleteBucketLifecycle.
pub(super) fn bucket_lifecycle<'r>(
    ex: &mut Exchange<'r>,
    name: &'r str,
    op: LifecycleOp<'r>,
) -> Result<Plan<'r>, S3Error> {
    match op {
        LifecycleOp::Get => Ok(Plan::new(
            vec![Check::bucket("s3:GetLifecycleConfiguration", name)],
            move |world, ex, _, _| match bucket_ref(world, name)?.lifecycle.clone() {
                Some(c) => {
                    ex.body = Some(json!(c));
                    Ok(())
                }
                None => Err(ex.reject(
                    Gate::Execution,
                    S3Error::other(
                        404,
                        "NoSuchLifecycleConfiguration",
                        "The lifecycle configuration does not exist",
                    ),
                    format!("`{name}` has no lifecycle configuration"),
                    API_GET,
                )),
            },
        )),
        LifecycleOp::Delete => Ok(Plan::new(
            vec![Check::bucket("s3:PutLifecycleConfiguration", name)],
            move |world, ex, _, _| {
                ex.step(GateStep::new(
                    Gate::Lifecycle,
                    StepOutcome::Info,
                    "DeleteBucketLifecycle is authorized by `s3:PutLifecycleConfiguration` (there is no separate delete permission); S3 stops every rule of the bucket",
                    lc::DOC,
                ));
                bucket_mut(world, name)?.lifecycle = None;
                ex.status = 204;
                ex.effects.push(Effect::LifecycleDeleted {
                    bucket: name.to_owned(),
                });
                Ok(())
            },
        )),
        LifecycleOp::Put(config) => {
            if let Some((e, why)) = invalid(config) {
                return Err(ex.reject(Gate::RequestValidation, e, why, API_PUT));
            }
            Ok(Plan::new(
                vec![Check::bucket("s3:PutLifecycleConfiguration", name)],
                move |world, ex, _, _| put(world, ex, name, config),
            ))
        }
    }
}

fn put(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    name: &str,
    config: &LifecycleConfiguration,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    if bucket.mfa_delete {
        let e = ex.reject(
            Gate::Lifecycle,
            invalid_bucket_state(
                "A lifecycle configuration cannot be applied to a bucket with MFA Delete enabled",
            ),
            "MFA Delete is enabled on the bucket, and S3 does not let MFA Delete and a lifecycle configuration be used together",
            lc::DOC_OTHER_CONFIG,
        );
        if let Some(step) = ex.trace.last_mut() {
            step.undocumented = Some("AWS documents that enabling MFA Delete on a bucket with lifecycle rules fails with 409 InvalidBucketState, but not what happens in the reverse order; the playground refuses this order the same way".to_owned());
        }
        return Err(e);
    }
    let mut text = format!(
        "{} rule(s) stored; S3 evaluates them once a day: a rule's days are added to each object's creation time (or the time it became noncurrent) and rounded up to the next midnight UTC",
        config.rules.len()
    );
    if bucket.object_lock_enabled() {
        text.push_str(
            "; Object Lock is on, so lifecycle will never remove a version under retention or legal hold",
        );
    }
    ex.step(GateStep::new(
        Gate::Lifecycle,
        StepOutcome::Info,
        text,
        lc::DOC_ELEMENTS,
    ));
    bucket_mut(world, name)?.lifecycle = Some(config.clone());
    ex.effects.push(Effect::LifecycleSet {
        bucket: name.to_owned(),
    });
    Ok(())
}

/// What AWS leaves unsaid about when an upload is aborted.
pub(super) const ABORT_ROUNDING: &str = "AWS documents rounding `creation + days` up to the next midnight UTC for objects; for AbortIncompleteMultipartUpload it says only that an upload becomes eligible `DaysAfterInitiation` days after its initiation: the playground rounds the same way, so `x-amz-abort-date` is a midnight UTC";

/// The undocumented note of an abort date announced for `rule` (a label of
/// [`crate::lifecycle::LifecycleRule::label`]): the rounding, and the rule's name when the configuration gave it
/// no `ID`.
pub(super) fn abort_note(bucket: &Bucket, rule: &str) -> String {
    let named = bucket
        .lifecycle
        .as_ref()
        .is_some_and(|c| c.rules.iter().any(|r| r.id.as_deref() == Some(rule)));
    if named {
        ABORT_ROUNDING.to_owned()
    } else {
        format!(
            "{ABORT_ROUNDING}; the rule has no `ID`, and AWS does not document the `x-amz-abort-rule-id` of such a rule (S3 assigns an ID when none is given): the playground names it by its position, `{rule}`"
        )
    }
}

/// When S3 Lifecycle will abort an upload of `key` created at `initiated`, and the rule that will
/// (the earliest, if several apply): the `x-amz-abort-date` and `x-amz-abort-rule-id` headers of
/// CreateMultipartUpload and ListParts (their API pages).
pub(super) fn abort_rule(
    bucket: &Bucket,
    key: &str,
    initiated: Timestamp,
) -> Option<(Timestamp, String)> {
    let config = bucket.lifecycle.as_ref()?;
    config
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.status == RuleStatus::Enabled && key.starts_with(r.key_prefix()))
        .filter_map(|(i, r)| {
            let d = r.abort_after_days().filter(|d| *d > 0)?;
            Some((next_midnight(initiated.plus_days(days(d))), r.label(i)))
        })
        .min_by_key(|(due, _)| *due)
}

/// The `x-amz-abort-date` and `x-amz-abort-rule-id` response headers for an upload of `key`
/// created at `initiated`, when a lifecycle rule will abort it.
pub(super) fn abort_headers(
    bucket: &Bucket,
    key: &str,
    initiated: Timestamp,
) -> Vec<(String, String)> {
    abort_rule(bucket, key, initiated).map_or_else(Vec::new, |(due, rule)| {
        vec![
            ("x-amz-abort-date".to_owned(), due.to_http_date()),
            ("x-amz-abort-rule-id".to_owned(), rule),
        ]
    })
}

fn days(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// What a lifecycle action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    /// The current version expires (a delete marker in a versioned bucket; removal otherwise).
    ExpireCurrent,
    /// A noncurrent version (or noncurrent delete marker) is removed for good.
    RemoveNoncurrent,
    /// A delete marker with no versions left behind it is removed.
    RemoveExpiredMarker,
    /// An incomplete multipart upload is aborted (its `version_id` holds the upload id).
    AbortUpload,
}

/// One action due at `due`, with why.
#[derive(Debug, Clone)]
struct Due {
    due: Timestamp,
    bucket: String,
    key: String,
    version_id: String,
    action: Action,
    rule: String,
    /// The instant the rule counts from and the period, for the trace.
    from: Timestamp,
    period_days: u64,
    /// When Object Lock held the version past its lifecycle date: until when.
    held_until: Option<Timestamp>,
}

fn rule_candidates(name: &str, bucket: &Bucket, out: &mut Vec<Due>) {
    let Some(config) = &bucket.lifecycle else {
        return;
    };
    for (index, rule) in config.rules.iter().enumerate() {
        if rule.status != RuleStatus::Enabled {
            continue;
        }
        let label = rule.label(index);
        if let Some(d) = rule.abort_after_days().filter(|d| *d > 0) {
            for (upload_id, u) in &bucket.multipart_uploads {
                if u.key.starts_with(rule.key_prefix()) {
                    out.push(Due {
                        due: next_midnight(u.initiated.plus_days(days(d))),
                        bucket: name.to_owned(),
                        key: u.key.clone(),
                        version_id: upload_id.clone(),
                        action: Action::AbortUpload,
                        rule: label.clone(),
                        from: u.initiated,
                        period_days: days(d),
                        held_until: None,
                    });
                }
            }
        }
        for (key, entry) in bucket.objects.range(rule.key_prefix().to_owned()..) {
            if !key.starts_with(rule.key_prefix()) {
                break;
            }
            let Some(current) = entry.versions.last() else {
                continue;
            };
            let mk = |v: &ObjectVersion, action, from, period_days, due| Due {
                due,
                bucket: name.to_owned(),
                key: key.clone(),
                version_id: v.version_id.clone(),
                action,
                rule: label.clone(),
                from,
                period_days,
                held_until: None,
            };
            if let Some(exp) = &rule.expiration {
                if !current.delete_marker {
                    if let Some(d) = exp.days.filter(|d| *d > 0) {
                        let from = current.last_modified;
                        let due = next_midnight(from.plus_days(days(d)));
                        out.push(mk(current, Action::ExpireCurrent, from, days(d), due));
                    } else if let Some(date) = exp.date {
                        let due = if current.last_modified < date {
                            date
                        } else {
                            next_midnight(current.last_modified)
                        };
                        out.push(mk(current, Action::ExpireCurrent, date, 0, due));
                    }
                } else if exp.expired_object_delete_marker == Some(true)
                    && entry.versions.len() == 1
                {
                    let from = current.last_modified;
                    out.push(mk(
                        current,
                        Action::RemoveExpiredMarker,
                        from,
                        0,
                        next_midnight(from),
                    ));
                }
            }
            if let Some(nc) = &rule.noncurrent_version_expiration
                && let Some(d) = nc.noncurrent_days.filter(|d| *d > 0)
            {
                let keep = usize::try_from(nc.newer_noncurrent_versions.unwrap_or(0)).unwrap_or(0);
                // Noncurrent versions, newest first: the version at position i (oldest first)
                // became noncurrent when the version after it was written.
                let n = entry.versions.len();
                for (i, pair) in entry.versions.windows(2).enumerate() {
                    let (Some(v), Some(successor)) = (pair.first(), pair.get(1)) else {
                        continue;
                    };
                    // How many noncurrent versions are newer than this one.
                    let newer = n.saturating_sub(i).saturating_sub(2);
                    if newer < keep {
                        continue;
                    }
                    let from = successor.last_modified;
                    let due = next_midnight(from.plus_days(days(d)));
                    let mut c = mk(v, Action::RemoveNoncurrent, from, days(d), due);
                    hold(v, &mut c);
                    out.push(c);
                }
            }
        }
    }
}

/// Object Lock never lets lifecycle remove a protected version: its removal waits for the first
/// midnight at or after the end of the retention; a legal hold postpones it indefinitely.
fn hold(v: &ObjectVersion, c: &mut Due) {
    use crate::object_lock::LegalHoldStatus;
    if v.object_lock.legal_hold == Some(LegalHoldStatus::On) {
        c.due = Timestamp(u64::MAX);
        return;
    }
    if let Some(r) = &v.object_lock.retention
        && r.retain_until_date > c.due
    {
        c.due = midnight_at_or_after(r.retain_until_date);
        c.held_until = Some(r.retain_until_date);
    }
}

fn candidates(world: &World) -> Vec<Due> {
    let mut out = Vec::new();
    for (name, bucket) in &world.buckets {
        rule_candidates(name, bucket, &mut out);
    }
    out
}

/// Whether any lifecycle action is due at `now` (cheap when no bucket has a configuration).
pub(crate) fn work_due(world: &World, now: Timestamp) -> bool {
    world.buckets.values().any(|b| b.lifecycle.is_some())
        && candidates(world).iter().any(|c| c.due <= now)
}

/// Applies, in time order, every lifecycle action due by `now`; returns the trace steps and the
/// effects.
pub(crate) fn advance(world: &mut World, now: Timestamp) -> (Vec<GateStep>, Vec<Effect>) {
    let mut steps = Vec::new();
    let mut effects = Vec::new();
    // Each action removes or hides what made it due, so the loop ends; the bound is a guard.
    for _ in 0..10_000 {
        let next = candidates(world)
            .into_iter()
            .filter(|c| c.due <= now)
            .min_by_key(|c| c.due);
        let Some(c) = next else {
            break;
        };
        if let Some((step, effect)) = apply(world, &c) {
            steps.push(log_action(world, &c, &effect, step));
            effects.push(effect);
        } else {
            break;
        }
    }
    (steps, effects)
}

/// Writes the action in the bucket's server access log when the bucket has logging enabled, and
/// says so on its trace step.
fn log_action(world: &mut World, c: &Due, effect: &Effect, step: GateStep) -> GateStep {
    use s3pg_audit::InternalAction;
    let versioned = world
        .buckets
        .get(&c.bucket)
        .is_some_and(|b| b.versioning != Versioning::Unversioned);
    let (action, version_id) = match effect {
        Effect::DeleteMarkerCreated { version_id, .. } => (
            InternalAction::CreateDeleteMarker,
            Some(version_id.as_str()),
        ),
        Effect::UploadAborted { .. } => (InternalAction::AbortUpload, None),
        _ => (
            InternalAction::Expire,
            Some(c.version_id.as_str()).filter(|_| versioned),
        ),
    };
    match crate::audit::observe_lifecycle(world, action, &c.bucket, &c.key, version_id, c.due) {
        Some(operation) => {
            let note = "AWS documents the Operation of lifecycle records (S3.EXPIRE.OBJECT, S3.CREATE.DELETEMARKER) but not their other fields; the requester `AmazonS3`, the empty request line and the `-` HTTP status (no HTTP exchange takes place) follow published logs";
            let mut step = step.compare(
                "access log",
                format!("{operation} by {}", s3pg_audit::LIFECYCLE_REQUESTER),
            );
            step.undocumented = Some(match step.undocumented.take() {
                Some(earlier) => format!("{earlier}; {note}"),
                None => note.to_owned(),
            });
            step
        }
        None => step,
    }
}

/// Aborts an incomplete multipart upload: its parts are discarded.
fn abort_upload(bucket: &mut Bucket, c: &Due) -> Option<(String, Effect)> {
    let upload = bucket.multipart_uploads.remove(&c.version_id)?;
    Some((
        format!(
            "lifecycle rule `{}` aborted the incomplete multipart upload `{}` of `{}` at {} and discarded its {} part(s)",
            c.rule,
            c.version_id,
            c.key,
            c.due,
            upload.parts.len()
        ),
        Effect::UploadAborted {
            bucket: c.bucket.clone(),
            key: c.key.clone(),
            upload_id: c.version_id.clone(),
        },
    ))
}

fn apply(world: &mut World, c: &Due) -> Option<(GateStep, Effect)> {
    let seq = world.next_seq();
    let bucket = world.buckets.get_mut(&c.bucket)?;
    let rounding = if c.period_days > 0 {
        format!(
            "{} + {} day(s) = {}, rounded up to the next midnight UTC",
            c.from,
            c.period_days,
            c.from.plus_days(c.period_days)
        )
    } else {
        format!("counted from {}", c.from)
    };
    let (text, effect) = match c.action {
        Action::ExpireCurrent => match bucket.versioning {
            Versioning::Enabled | Versioning::Suspended => {
                let marker = ObjectVersion {
                    version_id: String::new(),
                    delete_marker: true,
                    owner: bucket.owner.clone(),
                    acl: None,
                    metadata: BTreeMap::new(),
                    encryption: None,
                    body: String::new(),
                    sealed: None,
                    etag: String::new(),
                    last_modified: c.due,
                    object_lock: crate::object_lock::VersionLock::default(),
                    tags: BTreeMap::new(),
                };
                let vid = super::versions::write_version(bucket, &c.key, marker, seq);
                (
                    format!(
                        "lifecycle rule `{}` expired the current version of `{}` at {}: the bucket is versioned, so S3 added a delete marker and kept the data as a noncurrent version (Object Lock never stops a delete marker)",
                        c.rule, c.key, c.due
                    ),
                    Effect::DeleteMarkerCreated {
                        bucket: c.bucket.clone(),
                        key: c.key.clone(),
                        version_id: vid,
                    },
                )
            }
            Versioning::Unversioned => {
                let entry = bucket.objects.get(&c.key)?;
                if entry
                    .current()
                    .is_some_and(|v| v.object_lock.protection(c.due).is_protected())
                {
                    return None;
                }
                bucket.objects.remove(&c.key);
                (
                    format!(
                        "lifecycle rule `{}` expired `{}` at {}: the bucket is not versioned, so the object is gone for good",
                        c.rule, c.key, c.due
                    ),
                    Effect::VersionDeleted {
                        bucket: c.bucket.clone(),
                        key: c.key.clone(),
                        version_id: c.version_id.clone(),
                    },
                )
            }
        },
        Action::AbortUpload => abort_upload(bucket, c)?,
        Action::RemoveNoncurrent | Action::RemoveExpiredMarker => {
            let entry = bucket.objects.get_mut(&c.key)?;
            let pos = entry
                .versions
                .iter()
                .position(|v| v.version_id == c.version_id)?;
            entry.versions.remove(pos);
            if entry.versions.is_empty() {
                bucket.objects.remove(&c.key);
            }
            let held = c
                .held_until
                .map(|h| format!("; Object Lock retention held it until {h}, so it went at the first midnight after"))
                .unwrap_or_default();
            let text = if c.action == Action::RemoveNoncurrent {
                format!(
                    "lifecycle rule `{}` permanently removed noncurrent version `{}` of `{}` at {}{held}",
                    c.rule, c.version_id, c.key, c.due
                )
            } else {
                format!(
                    "lifecycle rule `{}` removed the expired object delete marker of `{}` at {} (no versions were left behind it)",
                    c.rule, c.key, c.due
                )
            };
            (
                text,
                Effect::VersionDeleted {
                    bucket: c.bucket.clone(),
                    key: c.key.clone(),
                    version_id: c.version_id.clone(),
                },
            )
        }
    };
    let mut step = GateStep::new(Gate::Lifecycle, StepOutcome::Info, text, lc::DOC_ELEMENTS)
        .compare("rule", c.rule.clone())
        .compare("object", format!("{}/{}", c.bucket, c.key))
        .compare("due", c.due.to_string())
        .compare("rounding", rounding);
    if c.action == Action::AbortUpload {
        step = step.undocumented(ABORT_ROUNDING);
    } else if c.from.epoch_seconds().is_multiple_of(DAY) && c.period_days > 0 {
        step = step.undocumented("AWS rounds `creation + days` up to the next midnight UTC but does not say what happens when the sum is exactly midnight; the playground moves to the following midnight");
    }
    Some((step, effect))
}
