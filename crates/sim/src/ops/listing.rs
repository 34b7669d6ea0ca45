//! Listings: ListObjectsV2 and ListObjectVersions — prefixes, delimiters, pages.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html>.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde_json::json;

use super::common::{bucket_ref, set};
use super::plan::Plan;
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::world::World;

/// ListObjectsV2 (`p.key_marker` is the continuation token).
pub(super) fn list_objects_v2<'r>(
    ex: &mut Exchange<'r>,
    name: &'r str,
    p: ListParams<'r>,
) -> Plan<'r> {
    let max = p.max_keys.unwrap_or(1000).min(1000);
    note_omitted_prefix(ex, p.prefix);
    Plan::new(
        vec![Check::bucket("s3:ListBucket", name).keys(list_keys(p.prefix, p.delimiter, max))],
        move |world, ex, _, _| list_v2(world, ex, name, p.prefix, p.delimiter, max, p.key_marker),
    )
}

fn list_v2(
    world: &World,
    ex: &mut Exchange<'_>,
    name: &str,
    prefix: Option<&str>,
    delimiter: Option<&str>,
    max: usize,
    token: Option<&str>,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    let prefix = prefix.unwrap_or("");
    let mut contents = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    let mut truncated = false;
    let mut last = None;
    // Keys are sorted: seek to the prefix (or past the continuation token) and stop after it.
    let mut owner_ids = OwnerIds::default();
    let token = token.unwrap_or("");
    let lower = if token >= prefix {
        Bound::Excluded(token)
    } else {
        Bound::Included(prefix)
    };
    let mut iter = bucket.objects.range::<str, _>((lower, Bound::Unbounded));
    while let Some((key, entry)) = iter.next() {
        if !key.starts_with(prefix) {
            break;
        }
        let Some(cur) = entry.current().filter(|v| !v.delete_marker) else {
            continue;
        };
        if let Some(cp) = common_prefix(key, prefix, delimiter) {
            if contents.len() + prefixes.len() >= max {
                truncated = true;
                break;
            }
            // Skip every other key under this common prefix in one seek.
            let after = format!("{cp}\u{10ffff}");
            iter = bucket
                .objects
                .range::<str, _>((Bound::Excluded(after.as_str()), Bound::Unbounded));
            prefixes.push(cp);
            last = Some(after);
            continue;
        }
        if contents.len() + prefixes.len() >= max {
            truncated = true;
            break;
        }
        contents.push(json!({
            "Key": key,
            "Size": cur.size(),
            "LastModified": cur.last_modified.to_string(),
            "Owner": { "ID": owner_ids.get(world, &cur.owner) },
        }));
        last = Some(key.clone());
    }
    let mut body = json!({
        "Name": name,
        "Prefix": prefix,
        "MaxKeys": max,
        "KeyCount": contents.len() + prefixes.len(),
        "IsTruncated": truncated,
        "Contents": contents,
        "CommonPrefixes": prefixes.iter().map(|p| json!({ "Prefix": p })).collect::<Vec<_>>(),
    });
    if let Some(d) = delimiter {
        set(&mut body, "Delimiter", json!(d));
    }
    if truncated {
        set(&mut body, "NextContinuationToken", json!(last));
    }
    ex.body = Some(body);
    Ok(())
}

/// Canonical ids of object owners, looked up once per listing.
#[derive(Default)]
pub(super) struct OwnerIds(BTreeMap<String, serde_json::Value>);

impl OwnerIds {
    fn get(&mut self, world: &World, owner: &str) -> serde_json::Value {
        if let Some(v) = self.0.get(owner) {
            return v.clone();
        }
        let v = serde_json::Value::String(world.canonical_id(owner));
        self.0.insert(owner.to_owned(), v.clone());
        v
    }
}

/// Says, in the trace, how an omitted `prefix` is modelled.
pub(super) fn note_omitted_prefix(ex: &mut Exchange<'_>, prefix: Option<&str>) {
    if prefix.is_none() {
        ex.step(
            GateStep::new(
                Gate::RequiredPermissions,
                StepOutcome::Info,
                "the request has no `prefix` parameter, so the playground puts `s3:prefix` = \"\" in the request context (what the console sends at the bucket root)",
                docs::S3_CONDITION_KEYS,
            )
            .compare("s3:prefix", "\"\"")
            .undocumented("AWS does not say whether an omitted prefix gives `s3:prefix` = \"\" or no `s3:prefix` key at all"),
        );
    }
}

pub(super) fn common_prefix(key: &str, prefix: &str, delimiter: Option<&str>) -> Option<String> {
    let d = delimiter.filter(|d| !d.is_empty())?;
    let rest = key.get(prefix.len()..)?;
    let i = rest.find(d)?;
    Some(format!("{prefix}{}", rest.get(..i + d.len())?))
}

pub(super) fn list_keys(
    prefix: Option<&str>,
    delimiter: Option<&str>,
    max: usize,
) -> Vec<(String, Vec<String>)> {
    let mut keys = vec![
        // AWS does not document whether an omitted prefix is "" or absent; we model "".
        (
            "s3:prefix".to_owned(),
            vec![prefix.unwrap_or("").to_owned()],
        ),
        ("s3:max-keys".to_owned(), vec![max.to_string()]),
    ];
    if let Some(d) = delimiter {
        keys.push(("s3:delimiter".to_owned(), vec![d.to_owned()]));
    }
    keys
}

#[derive(Clone, Copy)]
pub(super) struct ListParams<'a> {
    pub(super) prefix: Option<&'a str>,
    pub(super) delimiter: Option<&'a str>,
    pub(super) max_keys: Option<usize>,
    pub(super) key_marker: Option<&'a str>,
    pub(super) version_id_marker: Option<&'a str>,
}

pub(super) fn list_object_versions<'r>(
    ex: &mut Exchange<'r>,
    name: &'r str,
    p: ListParams<'r>,
) -> Plan<'r> {
    let max = p.max_keys.unwrap_or(1000).min(1000);
    note_omitted_prefix(ex, p.prefix);
    Plan::new(
        vec![Check::bucket("s3:ListBucketVersions", name).keys(list_keys(
            p.prefix,
            p.delimiter,
            max,
        ))],
        move |world, ex, _, _| list_versions(world, ex, name, &p, max),
    )
}

fn list_versions(
    world: &World,
    ex: &mut Exchange<'_>,
    name: &str,
    p: &ListParams<'_>,
    max: usize,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    let prefix = p.prefix.unwrap_or("");
    let mut versions = Vec::new();
    let mut markers = Vec::new();
    let mut prefixes: Vec<String> = Vec::new();
    let mut count = 0usize;
    let mut truncated = false;
    let mut last: Option<(String, String)> = None;
    let key_marker = p.key_marker.unwrap_or("");
    let mut owner_ids = OwnerIds::default();
    let lower = if key_marker >= prefix {
        key_marker
    } else {
        prefix
    };
    'keys: for (key, entry) in bucket
        .objects
        .range::<str, _>((Bound::Included(lower), Bound::Unbounded))
    {
        if !key.starts_with(prefix) {
            break;
        }
        // Versions of the marker key itself: only those after version-id-marker.
        let mut skipping = key.as_str() == key_marker && !key_marker.is_empty();
        if skipping && p.version_id_marker.is_none() {
            continue;
        }
        if let Some(cp) = common_prefix(key, prefix, p.delimiter) {
            if prefixes.last() != Some(&cp) {
                if count >= max {
                    truncated = true;
                    break;
                }
                last = Some((cp.clone(), String::new()));
                prefixes.push(cp);
                count += 1;
            }
            continue;
        }
        let latest = entry.versions.len().saturating_sub(1);
        for (i, v) in entry.versions.iter().enumerate().rev() {
            if skipping {
                if Some(v.version_id.as_str()) == p.version_id_marker {
                    skipping = false;
                }
                continue;
            }
            if count >= max {
                truncated = true;
                break 'keys;
            }
            last = Some((key.clone(), v.version_id.clone()));
            let item = json!({
                "Key": key,
                "VersionId": v.version_id,
                "IsLatest": i == latest,
                "LastModified": v.last_modified.to_string(),
                "Owner": { "ID": owner_ids.get(world, &v.owner) },
            });
            if v.delete_marker {
                markers.push(item);
            } else {
                let mut item = item;
                set(&mut item, "Size", json!(v.size()));
                versions.push(item);
            }
            count += 1;
        }
    }
    let mut body = json!({
        "Name": name,
        "Prefix": prefix,
        "MaxKeys": max,
        "IsTruncated": truncated,
        "Versions": versions,
        "DeleteMarkers": markers,
        "CommonPrefixes": prefixes.iter().map(|p| json!({ "Prefix": p })).collect::<Vec<_>>(),
    });
    if let (true, Some((k, v))) = (truncated, last) {
        // The last entry returned: the next request passes them as key-marker / version-id-marker.
        set(&mut body, "NextKeyMarker", json!(k));
        set(&mut body, "NextVersionIdMarker", json!(v));
    }
    ex.body = Some(body);
    Ok(())
}
