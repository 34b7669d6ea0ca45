//! Deletes: DeleteObject and DeleteObjects — delete markers, permanent deletes of versions, MFA
//! Delete.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html>.

use std::collections::BTreeMap;

use serde_json::json;

use super::common::{bucket_mut, bucket_ref, set};
use super::plan::Plan;
use super::versions::{push_version, version_keys};
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{ObjectEntry, ObjectVersion, Versioning};
use crate::request::ObjectIdentifier;
use crate::time::Timestamp;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::{Identity, World};

/// Deletes (or marks deleted) one key; returns the effect and the response headers. `last`: the
/// delete is the execution's last change (DeleteObject), so a dry run that has not copied the
/// world works it out on a copy of that key's versions alone and drops it.
pub(super) fn delete_one(
    world: &mut WorldRef<'_>,
    name: &str,
    key: &str,
    version_id: Option<&str>,
    now: Timestamp,
    last: bool,
) -> Result<(Option<Effect>, BTreeMap<String, String>), S3Error> {
    let seq = world.next_seq();
    let bucket = bucket_ref(world, name)?;
    let deletion = Deletion {
        name,
        key,
        version_id,
        owner: bucket.owner.clone(),
        versioning: bucket.versioning,
        now,
        seq,
    };
    if last && !world.keeps_writes() {
        let mut versions: BTreeMap<String, ObjectEntry> = bucket
            .objects
            .get(key)
            .map(|e| (key.to_owned(), e.clone()))
            .into_iter()
            .collect();
        return Ok(deletion.apply(&mut versions));
    }
    let w: &mut World = world;
    Ok(deletion.apply(&mut bucket_mut(w, name)?.objects))
}

/// One delete of a key: what it addresses and what it needs of the bucket.
struct Deletion<'a> {
    name: &'a str,
    key: &'a str,
    version_id: Option<&'a str>,
    owner: String,
    versioning: Versioning,
    now: Timestamp,
    seq: u64,
}

impl Deletion<'_> {
    /// Removes the version, the null version or adds a delete marker in `objects`.
    fn apply(
        self,
        objects: &mut BTreeMap<String, ObjectEntry>,
    ) -> (Option<Effect>, BTreeMap<String, String>) {
        let Deletion {
            name,
            key,
            version_id,
            owner,
            versioning,
            now,
            seq,
        } = self;
        let mut headers = BTreeMap::new();
        if let Some(v) = version_id {
            let Some(entry) = objects.get_mut(key) else {
                return (None, headers);
            };
            let Some(pos) = entry.versions.iter().position(|x| x.version_id == v) else {
                return (None, headers);
            };
            let removed = entry.versions.remove(pos);
            if entry.versions.is_empty() {
                objects.remove(key);
            }
            headers.insert("x-amz-version-id".into(), v.to_owned());
            if removed.delete_marker {
                headers.insert("x-amz-delete-marker".into(), "true".into());
            }
            return (
                Some(Effect::VersionDeleted {
                    bucket: name.to_owned(),
                    key: key.to_owned(),
                    version_id: v.to_owned(),
                }),
                headers,
            );
        }
        match versioning {
            Versioning::Unversioned => {
                let effect = objects.remove(key).map(|_| Effect::VersionDeleted {
                    bucket: name.to_owned(),
                    key: key.to_owned(),
                    version_id: "null".into(),
                });
                (effect, headers)
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
                    tags: Default::default(),
                };
                let entry = objects.entry(key.to_owned()).or_default();
                let vid = push_version(entry, versioning, marker, seq);
                headers.insert("x-amz-delete-marker".into(), "true".into());
                headers.insert("x-amz-version-id".into(), vid.clone());
                (
                    Some(Effect::DeleteMarkerCreated {
                        bucket: name.to_owned(),
                        key: key.to_owned(),
                        version_id: vid,
                    }),
                    headers,
                )
            }
        }
    }
}

pub(super) fn delete_object<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    name: &'r str,
    key: &'r str,
    version_id: Option<&'r str>,
) -> Result<Plan<'r>, S3Error> {
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
    let mut checks = vec![Check::object(action, name, key, &owner).keys(version_keys(version_id))];
    checks
        .extend(version_id.and_then(|v| super::object_lock::bypass_check(world, ex, name, key, v)));
    Ok(Plan::new(checks, move |world, ex, id, _| {
        let mfa_delete = bucket_ref(world, name)?.mfa_delete;
        if version_id.is_some() && mfa_delete {
            crate::mfa::require(
                world,
                ex,
                id,
                &owner,
                "MFA Delete is enabled, so permanently deleting a version needs the bucket owner's root user and a valid MFA code",
            )?;
        } else if mfa_delete {
            ex.step(GateStep::new(
                    Gate::MfaDelete,
                    StepOutcome::NotApplicable,
                    "MFA Delete is enabled, but a simple DELETE only adds a delete marker, which MFA Delete does not protect",
                    docs::MFA_DELETE,
                ));
        }
        match version_id {
                Some(v) => super::object_lock::guard_delete(world, ex, name, key, v)?,
                None if bucket_ref(world, name)?.object_lock_enabled() => ex.step(GateStep::new(
                    Gate::ObjectLock,
                    StepOutcome::NotApplicable,
                    "a DELETE without a version id only adds a delete marker: Object Lock protects versions, never stops a delete marker, and the locked versions stay",
                    crate::object_lock::DOC_OVERVIEW,
                )),
                None => {}
            }
        let (effect, headers) = delete_one(world, name, key, version_id, ex.now, true)?;
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
    }))
}

/// DeleteObjects: MFA Delete is checked for the whole request first (it consumes the code, so
/// it needs the world writable), then each key is authorized on its own by the pipeline and only
/// the allowed keys are deleted.
pub(super) fn delete_objects<'r>(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    id: &Identity,
    name: &'r str,
    objects: &'r [ObjectIdentifier],
    quiet: bool,
) -> Result<Plan<'r>, S3Error> {
    let bucket = bucket_ref(world, name)?;
    super::object_lock::check_bypass_header(ex, bucket)?;
    let owner = bucket.owner.clone();
    let mfa_delete = bucket.mfa_delete;
    let any_version = objects.iter().any(|o| o.version_id.is_some());
    let has_mfa = ex.req.header_value("x-amz-mfa").is_some();
    if any_version || has_mfa {
        crate::mfa::precheck(ex, id)?;
    }
    if mfa_delete && (any_version || has_mfa) {
        crate::mfa::require(
            world,
            ex,
            id,
            &owner,
            "MFA Delete is enabled and the request deletes versions (or carries an MFA code): the whole request needs the bucket owner's root user and a valid code",
        )?;
    }
    let checks = objects
        .iter()
        .map(|o| {
            let action = if o.version_id.is_some() {
                "s3:DeleteObjectVersion"
            } else {
                "s3:DeleteObject"
            };
            Check::object(action, name, &o.key, &owner).keys(version_keys(o.version_id.as_deref()))
        })
        .collect();
    Ok(Plan::each_item(checks, move |world, ex, id, granted| {
        let mut deleted = Vec::new();
        let mut errors = Vec::new();
        for (o, allowed) in objects.iter().zip(granted.items) {
            if !allowed {
                errors.push(json!({ "Key": o.key, "VersionId": o.version_id, "Code": "AccessDenied", "Message": "Access Denied" }));
                continue;
            }
            if let Some(v) = o.version_id.as_deref()
                && let Some(refused) = lock_refusal(world, ex, id, name, &o.key, v)
            {
                ex.step(refused);
                errors.push(json!({ "Key": o.key, "VersionId": v, "Code": "AccessDenied", "Message": crate::object_lock::PROTECTED_MESSAGE }));
                continue;
            }
            let (effect, headers) =
                delete_one(world, name, &o.key, o.version_id.as_deref(), ex.now, false)?;
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
        ex.body = Some(json!({ "Deleted": deleted, "Errors": errors }));
        Ok(())
    }))
}

/// Object Lock for one version of a multi-object delete: the refusal step, if the version is
/// protected. A governance bypass is checked per key without recording (like S3's silent probes),
/// since the batch's permissions are one per item; the Object Lock step says what was decided.
fn lock_refusal(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    version_id: &str,
) -> Option<GateStep> {
    let v = world
        .buckets
        .get(name)?
        .objects
        .get(key)?
        .version(version_id)?;
    let protection = v.object_lock.protection(ex.now);
    let check = Check::object("s3:BypassGovernanceRetention", name, key, &v.owner)
        .keys(version_keys(Some(version_id)));
    let allowed = || super::common::quietly_allowed(world, ex, id, &check);
    match super::object_lock::verdict(ex, version_id, protection, allowed) {
        super::object_lock::Verdict::Pass(step) => {
            ex.trace.extend(step);
            None
        }
        super::object_lock::Verdict::Refuse(step) => Some(step),
    }
}
