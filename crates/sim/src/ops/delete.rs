//! Deletes: DeleteObject and DeleteObjects — delete markers, permanent deletes of versions, MFA
//! Delete.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html>.

use std::collections::BTreeMap;

use serde_json::json;

use super::common::{authorize, bucket_mut, bucket_ref, set};
use super::versions::{version_keys, write_version};
use crate::authz::{self, Check};
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{ObjectVersion, Versioning};
use crate::pipeline::WorldRef;
use crate::request::ObjectIdentifier;
use crate::time::Timestamp;
use crate::trace::{Decision, Effect, Gate, GateStep, StepOutcome};
use crate::world::Identity;

/// Deletes (or marks deleted) one key; returns the effect and the response headers.
pub(super) fn delete_one(
    world: &mut WorldRef<'_>,
    name: &str,
    key: &str,
    version_id: Option<&str>,
    now: Timestamp,
) -> Result<(Option<Effect>, BTreeMap<String, String>), S3Error> {
    let seq = world.next_seq();
    let bucket = bucket_mut(world, name)?;
    let owner = bucket.owner.clone();
    let mut headers = BTreeMap::new();
    let versioning = bucket.versioning;
    if let Some(v) = version_id {
        let Some(entry) = bucket.objects.get_mut(key) else {
            return Ok((None, headers));
        };
        let Some(pos) = entry.versions.iter().position(|x| x.version_id == v) else {
            return Ok((None, headers));
        };
        let removed = entry.versions.remove(pos);
        if entry.versions.is_empty() {
            bucket.objects.remove(key);
        }
        headers.insert("x-amz-version-id".into(), v.to_owned());
        if removed.delete_marker {
            headers.insert("x-amz-delete-marker".into(), "true".into());
        }
        return Ok((
            Some(Effect::VersionDeleted {
                bucket: name.to_owned(),
                key: key.to_owned(),
                version_id: v.to_owned(),
            }),
            headers,
        ));
    }
    match versioning {
        Versioning::Unversioned => {
            if bucket.objects.remove(key).is_some() {
                Ok((
                    Some(Effect::VersionDeleted {
                        bucket: name.to_owned(),
                        key: key.to_owned(),
                        version_id: "null".into(),
                    }),
                    headers,
                ))
            } else {
                Ok((None, headers))
            }
        }
        Versioning::Enabled | Versioning::Suspended => {
            let marker = ObjectVersion {
                version_id: String::new(),
                delete_marker: true,
                owner,
                acl: None,
                metadata: BTreeMap::new(),
                encryption: None,
                body: String::new(),
                sealed: None,
                etag: String::new(),
                last_modified: now,
                object_lock: crate::object_lock::VersionLock::default(),
            };
            let vid = write_version(bucket, key, marker, seq);
            headers.insert("x-amz-delete-marker".into(), "true".into());
            headers.insert("x-amz-version-id".into(), vid.clone());
            Ok((
                Some(Effect::DeleteMarkerCreated {
                    bucket: name.to_owned(),
                    key: key.to_owned(),
                    version_id: vid,
                }),
                headers,
            ))
        }
    }
}

pub(super) fn delete_object(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    version_id: Option<&str>,
) -> Result<(), S3Error> {
    if version_id.is_some() {
        crate::mfa::precheck(ex, id)?;
    }
    let bucket = bucket_ref(world, name)?;
    super::object_lock::check_bypass_header(ex, bucket)?;
    let owner = bucket.owner.clone();
    let action = if version_id.is_some() {
        "s3:DeleteObjectVersion"
    } else {
        "s3:DeleteObject"
    };
    authorize(
        world,
        ex,
        id,
        &[Check::object(action, name, key, &owner).keys(version_keys(version_id))],
    )?;
    let bucket = bucket_ref(world, name)?;
    if version_id.is_some() && bucket.mfa_delete {
        crate::mfa::require(
            world,
            ex,
            id,
            &owner,
            "MFA Delete is enabled, so permanently deleting a version needs the bucket owner's root user and a valid MFA code",
        )?;
    } else if bucket.mfa_delete {
        ex.step(GateStep::new(
            Gate::MfaDelete,
            StepOutcome::NotApplicable,
            "MFA Delete is enabled, but a simple DELETE only adds a delete marker, which MFA Delete does not protect",
            docs::MFA_DELETE,
        ));
    }
    match version_id {
        Some(v) => super::object_lock::guard_delete(world, ex, id, name, key, v)?,
        None if bucket_ref(world, name)?.object_lock_enabled() => ex.step(GateStep::new(
            Gate::ObjectLock,
            StepOutcome::NotApplicable,
            "a DELETE without a version id only adds a delete marker: Object Lock protects versions, never stops a delete marker, and the locked versions stay",
            crate::object_lock::DOC_OVERVIEW,
        )),
        None => {}
    }
    let (effect, headers) = delete_one(world, name, key, version_id, ex.now)?;
    if effect.is_none() && version_id.is_some() {
        let mut step = GateStep::new(
            Gate::Execution,
            StepOutcome::Info,
            "no such version: the delete succeeds without changing anything",
            docs::VERSIONING,
        );
        step.undocumented = Some("AWS does not document the response to deleting a version id that does not exist; the playground answers 204".to_owned());
        ex.step(step);
    }
    ex.status = 204;
    ex.headers.extend(headers);
    ex.effects.extend(effect);
    Ok(())
}

pub(super) fn delete_objects(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    objects: &[ObjectIdentifier],
    quiet: bool,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    super::object_lock::check_bypass_header(ex, bucket)?;
    let owner = bucket.owner.clone();
    let any_version = objects.iter().any(|o| o.version_id.is_some());
    let has_mfa = ex.req.header_value("x-amz-mfa").is_some();
    if any_version || has_mfa {
        crate::mfa::precheck(ex, id)?;
    }
    if bucket.mfa_delete && (any_version || has_mfa) {
        crate::mfa::require(
            world,
            ex,
            id,
            &owner,
            "MFA Delete is enabled and the request deletes versions (or carries an MFA code): the whole request needs the bucket owner's root user and a valid code",
        )?;
    }
    let mut deleted = Vec::new();
    let mut errors = Vec::new();
    let mut overall = Decision::Allow;
    for o in objects {
        let action = if o.version_id.is_some() {
            "s3:DeleteObjectVersion"
        } else {
            "s3:DeleteObject"
        };
        let check =
            Check::object(action, name, &o.key, &owner).keys(version_keys(o.version_id.as_deref()));
        let mut result = authz::authorize(world, id, ex.req, ex.now, &check);
        // Only the first denied key's deciding step stays marked (or, if all pass, the last key's).
        let first_denial = result.decision != Decision::Allow && overall == Decision::Allow;
        if first_denial || (overall == Decision::Allow && result.decision == Decision::Allow) {
            for earlier in &mut ex.trace {
                earlier.deciding = false;
            }
            ex.deciding = result.deciding.clone();
        } else {
            for s in &mut result.steps {
                s.deciding = false;
            }
        }
        ex.trace.extend(result.steps);
        if result.decision != Decision::Allow {
            overall = result.decision;
            errors.push(json!({ "Key": o.key, "VersionId": o.version_id, "Code": "AccessDenied", "Message": "Access Denied" }));
            continue;
        }
        if let Some(v) = o.version_id.as_deref() {
            let found = bucket_ref(world, name)?
                .objects
                .get(&o.key)
                .and_then(|e| e.version(v))
                .map(|x| (x.object_lock.protection(ex.now), x.owner.clone()));
            if let Some((protection, vowner)) = found {
                match super::object_lock::verdict(
                    world, ex, id, name, &o.key, v, protection, &vowner,
                ) {
                    super::object_lock::Verdict::Pass(step) => ex.trace.extend(step),
                    super::object_lock::Verdict::Refuse(step) => {
                        ex.step(step);
                        errors.push(json!({ "Key": o.key, "VersionId": v, "Code": "AccessDenied", "Message": crate::object_lock::PROTECTED_MESSAGE }));
                        continue;
                    }
                }
            }
        }
        let (effect, headers) = delete_one(world, name, &o.key, o.version_id.as_deref(), ex.now)?;
        if !quiet {
            let mut d = json!({ "Key": o.key });
            if let Some(v) = &o.version_id {
                set(&mut d, "VersionId", json!(v));
            }
            if headers.contains_key("x-amz-delete-marker") {
                set(&mut d, "DeleteMarker", json!(true));
                if let Some(v) = headers.get("x-amz-version-id") {
                    set(&mut d, "DeleteMarkerVersionId", json!(v));
                }
            }
            deleted.push(d);
        }
        ex.effects.extend(effect);
    }
    ex.decision = Some(overall);
    ex.body = Some(json!({ "Deleted": deleted, "Errors": errors }));
    Ok(())
}
