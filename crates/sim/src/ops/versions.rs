//! Addressing object versions: which version a key (and `versionId`) names, who owns it, the
//! errors for delete markers and unknown versions, and writing a new version.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html>.

use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{Bucket, ObjectEntry, ObjectVersion, Versioning};
use crate::trace::Gate;
use crate::view::WorldRef;
use crate::world::opaque_id;

/// Finds the version an object request addresses, or the error S3 answers.
pub(super) fn locate<'b>(
    bucket: &'b Bucket,
    key: &str,
    version_id: Option<&str>,
) -> Result<&'b ObjectVersion, (S3Error, Option<&'b ObjectVersion>)> {
    let entry = bucket.objects.get(key);
    match version_id {
        Some(v) => match entry.and_then(|e| e.version(v)) {
            Some(ver) if ver.delete_marker => Err((S3Error::MethodNotAllowed, Some(ver))),
            Some(ver) => Ok(ver),
            None => Err((S3Error::NoSuchVersion, None)),
        },
        None => match entry.and_then(|e| e.current()) {
            Some(ver) if ver.delete_marker => Err((S3Error::NoSuchKey, Some(ver))),
            Some(ver) => Ok(ver),
            None => Err((S3Error::NoSuchKey, None)),
        },
    }
}

/// Owner of the version an object request addresses (the bucket owner when there is none).
pub(super) fn target_owner(bucket: &Bucket, key: &str, version_id: Option<&str>) -> String {
    let entry = bucket.objects.get(key);
    let v = match version_id {
        Some(v) => entry.and_then(|e| e.version(v)),
        None => entry.and_then(|e| e.current()),
    };
    v.map_or_else(|| bucket.owner.clone(), |v| v.owner.clone())
}

pub(super) fn version_keys(version_id: Option<&str>) -> Vec<(String, Vec<String>)> {
    version_id
        .map(|v| vec![("s3:VersionId".to_owned(), vec![v.to_owned()])])
        .unwrap_or_default()
}

pub(super) fn version_error(
    ex: &mut Exchange<'_>,
    err: S3Error,
    marker: Option<&ObjectVersion>,
    key: &str,
) -> S3Error {
    if let Some(m) = marker {
        ex.headers
            .insert("x-amz-delete-marker".into(), "true".into());
        ex.headers
            .insert("x-amz-version-id".into(), m.version_id.clone());
        if err == S3Error::MethodNotAllowed {
            ex.headers
                .insert("last-modified".into(), m.last_modified.to_string());
        }
    }
    let text = match (&err, marker.is_some()) {
        (S3Error::MethodNotAllowed, _) => {
            format!(
                "the version addressed is a delete marker of `{key}`: it has no data, so S3 answers 405 with `x-amz-delete-marker: true`"
            )
        }
        (S3Error::NoSuchKey, true) => format!(
            "the current version of `{key}` is a delete marker, so S3 behaves as if the object is gone (404, `x-amz-delete-marker: true`); older versions still exist"
        ),
        (S3Error::NoSuchVersion, _) => format!("`{key}` has no version with that id"),
        _ => format!("there is no object `{key}`"),
    };
    let current_marker = err == S3Error::NoSuchKey && marker.is_some();
    let e = ex.reject(Gate::Execution, err, text, docs::DELETE_MARKERS);
    if current_marker && let Some(step) = ex.trace.last_mut() {
        step.undocumented = Some(
            "AWS documents the 404 for a current delete marker but not whether a caller without `s3:ListBucket` gets 403 instead; the playground answers 404".to_owned(),
        );
    }
    e
}

/// The id a new version gets: a fresh opaque id when versioning is enabled, else `null`.
fn new_version_id(versioning: Versioning, seq: u64) -> String {
    match versioning {
        Versioning::Enabled => opaque_id(seq, 32),
        Versioning::Unversioned | Versioning::Suspended => "null".to_owned(),
    }
}

/// Writes a new version (or the null version) of `key`: the heart of versioning.
pub(crate) fn write_version(
    bucket: &mut Bucket,
    key: &str,
    version: ObjectVersion,
    seq: u64,
) -> String {
    let entry = bucket.objects.entry(key.to_owned()).or_default();
    push_version(entry, bucket.versioning, version, seq)
}

/// Adds a new version (or the null version) to a key's versions under `versioning`.
pub(crate) fn push_version(
    entry: &mut ObjectEntry,
    versioning: Versioning,
    mut version: ObjectVersion,
    seq: u64,
) -> String {
    version.version_id = new_version_id(versioning, seq);
    if versioning != Versioning::Enabled {
        entry.versions.retain(|v| v.version_id != "null");
    }
    let id = version.version_id.clone();
    entry.versions.push(version);
    id
}

/// Stores a new version of `key` in bucket `name` and returns its id, as [`write_version`]. A
/// dry run that has not copied the world ([`WorldRef::keeps_writes`]) keeps nothing, so it only
/// works out the id the version would get: the caller must be the request's last reader of the
/// bucket's objects whose answer shows (PutObject and CopyObject store last; auditing reads the
/// new version's size only for the access-log record it buffers, which the dry run drops).
pub(crate) fn store_version(
    world: &mut WorldRef<'_>,
    name: &str,
    key: &str,
    version: ObjectVersion,
    seq: u64,
) -> Result<String, S3Error> {
    if world.keeps_writes() {
        let w: &mut crate::world::World = world;
        let bucket = w.buckets.get_mut(name).ok_or(S3Error::NoSuchBucket)?;
        return Ok(write_version(bucket, key, version, seq));
    }
    let bucket = world.buckets.get(name).ok_or(S3Error::NoSuchBucket)?;
    Ok(new_version_id(bucket.versioning, seq))
}
