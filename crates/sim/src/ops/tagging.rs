//! Object tags: PutObjectTagging, GetObjectTagging, DeleteObjectTagging, and the
//! `x-amz-tagging` header of PutObject and CopyObject — the tag set's limits, the permissions
//! (`s3:PutObjectTagging` also for the header) and the condition keys a request carries
//! (`s3:RequestObjectTag/<key>`, `s3:RequestObjectTagKeys`; `s3:ExistingObjectTag/<key>` is
//! added by the decider for the version addressed).
//!
//! Follows "Categorizing your storage using tags"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html>), "Tagging and
//! access control policies" (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html>)
//! and the API pages (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html>).

use std::collections::BTreeMap;

use serde_json::json;

use super::common::{bucket_mut, bucket_ref};
use super::plan::Plan;
use super::versions::{locate, target_owner, version_error, version_keys};
use crate::authz::Check;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::World;

/// The tagging pages.
pub(super) const TAGGING_DOC: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html";
const TAG_POLICIES_DOC: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html";

/// At most this many tags on an object.
const MAX_TAGS: usize = 10;
/// Tag keys up to 128 Unicode characters, values up to 256.
const MAX_KEY_CHARS: usize = 128;
const MAX_VALUE_CHARS: usize = 256;

/// Checks a tag set against S3's limits; the sentence says what is wrong.
pub(super) fn validate(tags: &BTreeMap<String, String>) -> Result<(), (S3Error, String)> {
    let bad = |message: &str, why: String| (S3Error::other(400, "InvalidTag", message), why);
    if tags.len() > MAX_TAGS {
        return Err((
            S3Error::other(400, "BadRequest", "Object tags cannot be greater than 10"),
            format!(
                "the tag set has {} tags; S3 allows at most {MAX_TAGS} on an object",
                tags.len()
            ),
        ));
    }
    for (k, v) in tags {
        if k.is_empty() || k.chars().count() > MAX_KEY_CHARS {
            return Err(bad(
                "The TagKey you have provided is invalid",
                format!("tag key `{k}` must be 1 to {MAX_KEY_CHARS} characters long"),
            ));
        }
        if v.chars().count() > MAX_VALUE_CHARS {
            return Err(bad(
                "The TagValue you have provided is invalid",
                format!("the value of tag `{k}` is longer than {MAX_VALUE_CHARS} characters"),
            ));
        }
        if k.starts_with("aws:") {
            return Err(bad(
                "Your TagKey cannot be prefixed with aws:",
                format!("tag key `{k}` starts with `aws:`, which AWS reserves for its own tags"),
            ));
        }
    }
    Ok(())
}

/// Reads the `x-amz-tagging` header: URL query parameters (`k1=v1&k2=v2`).
pub(super) fn parse_header(text: &str) -> Result<BTreeMap<String, String>, (S3Error, String)> {
    let mut tags = BTreeMap::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k), decode(v));
        if tags.insert(k.clone(), v).is_some() {
            return Err((
                S3Error::other(
                    400,
                    "InvalidTag",
                    "Cannot provide multiple Tags with the same key",
                ),
                format!("`x-amz-tagging` names tag `{k}` twice"),
            ));
        }
    }
    validate(&tags)?;
    Ok(tags)
}

/// Percent-decoding of one query component (`+` is a space).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    i += 2;
                } else {
                    out.push(b);
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `s3:RequestObjectTag/<key>` and `s3:RequestObjectTagKeys` for a tag set the request sends.
pub(super) fn request_tag_keys(tags: &BTreeMap<String, String>) -> Vec<(String, Vec<String>)> {
    let mut keys: Vec<(String, Vec<String>)> = tags
        .iter()
        .map(|(k, v)| (format!("s3:RequestObjectTag/{k}"), vec![v.clone()]))
        .collect();
    keys.push((
        "s3:RequestObjectTagKeys".to_owned(),
        tags.keys().cloned().collect(),
    ));
    keys
}

/// A tag set sent in `x-amz-tagging`, with the permission it needs.
pub(super) type HeaderTags = (BTreeMap<String, String>, Check);

/// The tags of a PutObject or CopyObject request (`x-amz-tagging`), validated, with the
/// `s3:PutObjectTagging` check the header needs.
pub(super) fn header_tags(
    ex: &mut Exchange<'_>,
    bucket: &str,
    key: &str,
    owner: &str,
) -> Result<Option<HeaderTags>, S3Error> {
    let Some(text) = ex.req.header_value("x-amz-tagging").map(str::to_owned) else {
        return Ok(None);
    };
    match parse_header(&text) {
        Ok(tags) => {
            let check = Check::object("s3:PutObjectTagging", bucket, key, owner)
                .keys(request_tag_keys(&tags));
            Ok(Some((tags, check)))
        }
        Err((e, why)) => Err(ex.reject(Gate::RequestValidation, e, why, TAGGING_DOC)),
    }
}

fn action(version_id: Option<&str>, plain: &'static str, versioned: &'static str) -> &'static str {
    if version_id.is_some() {
        versioned
    } else {
        plain
    }
}

/// The version a tagging request addresses, once allowed (or S3's 404/405).
fn addressed(
    world: &World,
    ex: &mut Exchange<'_>,
    name: &str,
    key: &str,
    version_id: Option<&str>,
) -> Result<String, S3Error> {
    match locate(bucket_ref(world, name)?, key, version_id) {
        Ok(v) => Ok(v.version_id.clone()),
        Err((e, m)) => {
            let m = m.cloned();
            Err(version_error(ex, e, m.as_ref(), key))
        }
    }
}

/// `PutObjectTagging`: the tag set is checked before authorization, replaced after.
pub(super) fn put<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    name: &'r str,
    key: &'r str,
    version_id: Option<&'r str>,
    tags: &'r BTreeMap<String, String>,
) -> Result<Plan<'r>, S3Error> {
    if let Err((e, why)) = validate(tags) {
        return Err(ex.reject(Gate::RequestValidation, e, why, TAGGING_DOC));
    }
    let owner = target_owner(bucket_ref(world, name)?, key, version_id);
    let mut keys = version_keys(version_id);
    keys.extend(request_tag_keys(tags));
    let check = Check::object(
        action(
            version_id,
            "s3:PutObjectTagging",
            "s3:PutObjectVersionTagging",
        ),
        name,
        key,
        &owner,
    )
    .keys(keys);
    Ok(Plan::new(vec![check], move |world, ex, _, _| {
        let vid = addressed(world, ex, name, key, version_id)?;
        set_tags(world, name, key, &vid, tags.clone())?;
        ex.step(
            GateStep::new(
                Gate::Execution,
                StepOutcome::Info,
                format!(
                    "replaced the tag set of `{key}` (version `{vid}`) with {} tag(s); a tag set is always replaced whole",
                    tags.len()
                ),
                TAGGING_DOC,
            )
            .compare("tags", describe(tags)),
        );
        ex.effects.push(Effect::ObjectTagged {
            bucket: name.to_owned(),
            key: key.to_owned(),
            version_id: vid.clone(),
            tags: tags.len(),
        });
        ex.headers.insert("x-amz-version-id".into(), vid);
        Ok(())
    }))
}

/// `GetObjectTagging`.
pub(super) fn get<'r>(
    world: &World,
    name: &'r str,
    key: &'r str,
    version_id: Option<&'r str>,
) -> Plan<'r> {
    let owner = world
        .buckets
        .get(name)
        .map(|b| target_owner(b, key, version_id))
        .unwrap_or_default();
    let check = Check::object(
        action(
            version_id,
            "s3:GetObjectTagging",
            "s3:GetObjectVersionTagging",
        ),
        name,
        key,
        &owner,
    )
    .keys(version_keys(version_id));
    Plan::new(vec![check], move |world, ex, _, _| {
        let bucket = bucket_ref(world, name)?;
        match locate(bucket, key, version_id) {
            Ok(v) => {
                let set: Vec<serde_json::Value> = v
                    .tags
                    .iter()
                    .map(|(k, v)| json!({ "Key": k, "Value": v }))
                    .collect();
                ex.headers
                    .insert("x-amz-version-id".into(), v.version_id.clone());
                ex.body = Some(json!({ "TagSet": set }));
                Ok(())
            }
            Err((e, m)) => Err(version_error(ex, e, m, key)),
        }
    })
}

/// `DeleteObjectTagging` (204).
pub(super) fn delete<'r>(
    world: &World,
    name: &'r str,
    key: &'r str,
    version_id: Option<&'r str>,
) -> Plan<'r> {
    let owner = world
        .buckets
        .get(name)
        .map(|b| target_owner(b, key, version_id))
        .unwrap_or_default();
    let check = Check::object(
        action(
            version_id,
            "s3:DeleteObjectTagging",
            "s3:DeleteObjectVersionTagging",
        ),
        name,
        key,
        &owner,
    )
    .keys(version_keys(version_id));
    Plan::new(vec![check], move |world, ex, _, _| {
        let vid = addressed(world, ex, name, key, version_id)?;
        set_tags(world, name, key, &vid, BTreeMap::new())?;
        ex.step(GateStep::new(
            Gate::Execution,
            StepOutcome::Info,
            format!("removed every tag of `{key}` (version `{vid}`)"),
            TAGGING_DOC,
        ));
        ex.effects.push(Effect::ObjectTagged {
            bucket: name.to_owned(),
            key: key.to_owned(),
            version_id: vid.clone(),
            tags: 0,
        });
        ex.headers.insert("x-amz-version-id".into(), vid);
        ex.status = 204;
        Ok(())
    })
}

fn set_tags(
    world: &mut WorldRef<'_>,
    name: &str,
    key: &str,
    vid: &str,
    tags: BTreeMap<String, String>,
) -> Result<(), S3Error> {
    let bucket = bucket_mut(world, name)?;
    let v = bucket
        .objects
        .get_mut(key)
        .and_then(|e| e.versions.iter_mut().find(|v| v.version_id == vid))
        .ok_or(S3Error::NoSuchKey)?;
    v.tags = tags;
    Ok(())
}

/// `k=v, k2=v2` for the trace.
pub(super) fn describe(tags: &BTreeMap<String, String>) -> String {
    if tags.is_empty() {
        return "(none)".to_owned();
    }
    tags.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A note for the trace: the header's tags were written with the object.
pub(super) fn header_step(tags: &BTreeMap<String, String>) -> GateStep {
    GateStep::new(
        Gate::Execution,
        StepOutcome::Info,
        format!(
            "the object is stored with the {} tag(s) of `x-amz-tagging`",
            tags.len()
        ),
        TAG_POLICIES_DOC,
    )
    .compare("tags", describe(tags))
}
