//! ListParts (`s3:ListMultipartUploadParts`) and ListMultipartUploads
//! (`s3:ListBucketMultipartUploads`), each a page at a time: at most `max-parts` /
//! `max-uploads` entries (default and most 1,000), starting after `part-number-marker` /
//! `key-marker` and `upload-id-marker`, with `IsTruncated` and the `Next…Marker` to ask for the
//! next page.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html>.

use serde_json::{Map, Value, json};

use super::{find_upload, require_upload};
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::ops::common::bucket_ref;
use crate::ops::lifecycle::abort_headers;
use crate::ops::plan::Plan;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::uploads::MultipartUpload;
use crate::view::WorldRef;
use crate::world::World;

/// The most entries one page holds, and the default page size, of both lists.
const PAGE_MAX: u32 = 1000;

/// The page of a `ListParts` request.
#[derive(Debug, Clone, Copy, Default)]
pub(in crate::ops) struct PartsPage {
    /// `max-parts`.
    pub max_parts: Option<u32>,
    /// `part-number-marker`.
    pub part_number_marker: Option<u32>,
}

/// The page of a `ListMultipartUploads` request.
#[derive(Debug, Clone, Copy, Default)]
pub(in crate::ops) struct UploadsPage<'r> {
    /// `prefix`.
    pub prefix: Option<&'r str>,
    /// `max-uploads`.
    pub max_uploads: Option<u32>,
    /// `key-marker`.
    pub key_marker: Option<&'r str>,
    /// `upload-id-marker` (only with `key-marker`).
    pub upload_id_marker: Option<&'r str>,
}

/// A page size as S3 reads it: the default when absent, capped at [`PAGE_MAX`].
fn page_size(asked: Option<u32>) -> usize {
    usize::try_from(asked.unwrap_or(PAGE_MAX).min(PAGE_MAX)).unwrap_or(0)
}

/// The trace step of a page size outside the documented 1 to 1,000, if it is: above 1,000 S3
/// returns 1,000 (documented); 0 is not documented.
fn page_size_step(param: &str, asked: Option<u32>, doc: &'static str) -> Option<GateStep> {
    match asked? {
        0 => Some(
            GateStep::new(
                Gate::Execution,
                StepOutcome::Info,
                format!("`{param}=0` asks for an empty page: no entries are listed"),
                doc,
            )
            .compare(param.to_owned(), "0")
            .undocumented(
                "AWS documents page sizes from 1 to 1,000 but not what S3 answers to 0; the playground lists nothing and sets IsTruncated when entries remain, with no Next… marker",
            ),
        ),
        n if n > PAGE_MAX => Some(
            GateStep::new(
                Gate::Execution,
                StepOutcome::Info,
                format!(
                    "`{param}={n}` is above the most S3 returns in one response: the page holds at most 1,000 entries"
                ),
                doc,
            )
            .compare(param.to_owned(), n.to_string()),
        ),
        _ => None,
    }
}

/// The trace step of a truncated page: where the next page starts.
fn truncated_step(what: &str, shown: usize, next: String, doc: &'static str) -> GateStep {
    GateStep::new(
        Gate::Execution,
        StepOutcome::Info,
        format!(
            "the list is truncated after {shown} {what}: ask again with the markers of this page ({next}) for the rest"
        ),
        doc,
    )
    .compare("IsTruncated", "true")
}

/// `ListParts` (`s3:ListMultipartUploadParts`).
pub(in crate::ops) fn list_parts<'r>(
    world: &World,
    name: &'r str,
    key: &'r str,
    upload_id: &'r str,
    page: PartsPage,
) -> Result<Plan<'r>, S3Error> {
    let owner = bucket_ref(world, name)?.owner.clone();
    Ok(Plan::new(
        vec![Check::object(
            "s3:ListMultipartUploadParts",
            name,
            key,
            &owner,
        )],
        move |world, ex, _, _| list_parts_execute(world, ex, name, key, upload_id, page),
    ))
}

fn list_parts_execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    name: &str,
    key: &str,
    upload_id: &str,
    page: PartsPage,
) -> Result<(), S3Error> {
    let upload = find_upload(world, name, key, upload_id);
    let upload = require_upload(ex, upload, upload_id, docs::LIST_PARTS)?;
    let marker = page.part_number_marker.unwrap_or(0);
    let max = page_size(page.max_parts);
    if let Some(step) = page_size_step("max-parts", page.max_parts, docs::LIST_PARTS) {
        ex.step(step);
    }
    // Parts are kept by number, so they come in ascending part-number order.
    let mut after = upload.parts.range(marker.saturating_add(1)..).peekable();
    let mut parts = Vec::new();
    let mut last = None;
    while parts.len() < max {
        let Some((n, p)) = after.next() else { break };
        last = Some(*n);
        parts.push(json!({
            "PartNumber": n,
            "ETag": p.etag,
            "Size": p.size,
            "LastModified": p.last_modified.to_string(),
        }));
    }
    let truncated = after.peek().is_some();
    let mut body = Map::new();
    body.insert("Bucket".into(), json!(name));
    body.insert("Key".into(), json!(key));
    body.insert("UploadId".into(), json!(upload_id));
    body.insert("Initiator".into(), json!({ "ID": upload.initiator }));
    body.insert("Owner".into(), json!({ "ID": upload.owner }));
    body.insert("PartNumberMarker".into(), json!(marker));
    body.insert("MaxParts".into(), json!(max));
    body.insert("IsTruncated".into(), json!(truncated));
    if truncated && let Some(next) = last {
        body.insert("NextPartNumberMarker".into(), json!(next));
        ex.step(
            truncated_step(
                "part(s)",
                parts.len(),
                format!("`part-number-marker={next}`"),
                docs::LIST_PARTS,
            )
            .compare("NextPartNumberMarker", next.to_string()),
        );
    }
    body.insert("Parts".into(), Value::Array(parts));
    ex.body = Some(Value::Object(body));
    let bucket = bucket_ref(world, name)?;
    ex.headers
        .extend(abort_headers(bucket, &upload.key, upload.initiated));
    Ok(())
}

/// `ListMultipartUploads` (`s3:ListBucketMultipartUploads`).
pub(in crate::ops) fn list_multipart_uploads<'r>(name: &'r str, page: UploadsPage<'r>) -> Plan<'r> {
    Plan::new(
        vec![Check::bucket("s3:ListBucketMultipartUploads", name)],
        move |world, ex, _, _| list_uploads_execute(world, ex, name, page),
    )
}

/// Whether an upload comes after the page's markers: a key after `key-marker`, or the same key
/// and, with `upload-id-marker`, after that upload in the listing's order (uploads of one key
/// are listed by initiation time; an id the bucket does not hold is compared as text, as the
/// API page describes).
fn after_markers(
    sorted: &[(&String, &MultipartUpload)],
    i: usize,
    key_marker: &str,
    id_marker: Option<&str>,
) -> bool {
    let Some((id, u)) = sorted.get(i) else {
        return false;
    };
    if u.key.as_str() != key_marker {
        return u.key.as_str() > key_marker;
    }
    let Some(marker) = id_marker else {
        return false;
    };
    match sorted
        .iter()
        .position(|(other, o)| other.as_str() == marker && o.key.as_str() == key_marker)
    {
        Some(at) => i > at,
        None => id.as_str() > marker,
    }
}

/// The trace step of an `upload-id-marker`: which uploads of the marker's key come after it.
fn id_marker_step(
    sorted: &[(&String, &MultipartUpload)],
    key_marker: &str,
    marker: &str,
) -> GateStep {
    let known = sorted
        .iter()
        .any(|(id, u)| id.as_str() == marker && u.key.as_str() == key_marker);
    let how = if known {
        "the uploads initiated after it"
    } else {
        "the uploads whose id sorts after it as text"
    };
    GateStep::new(
        Gate::Execution,
        StepOutcome::Info,
        format!(
            "`upload-id-marker={marker}` with `key-marker={key_marker}`: of that key's uploads, the page starts with {how}, then the keys after `{key_marker}`"
        ),
        docs::LIST_MULTIPART_UPLOADS,
    )
    .compare("upload-id-marker", marker.to_owned())
    .undocumented(
        "AWS lists one key's uploads by initiation time but says the marker keeps those whose upload id is lexicographically greater, and upload ids are not in time order; the playground continues after the marker's own place in the listing when it names an upload of that key (so paging with NextUploadIdMarker skips and repeats nothing), and compares ids as text otherwise",
    )
}

fn list_uploads_execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    name: &str,
    page: UploadsPage<'_>,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    let mut uploads: Vec<(&String, &MultipartUpload)> = bucket
        .multipart_uploads
        .iter()
        .filter(|(_, u)| page.prefix.is_none_or(|p| u.key.starts_with(p)))
        .collect();
    uploads.sort_by(|a, b| (&a.1.key, a.1.initiated).cmp(&(&b.1.key, b.1.initiated)));
    // `upload-id-marker` counts only together with `key-marker`.
    let id_marker = page.key_marker.and(page.upload_id_marker);
    let max = page_size(page.max_uploads);
    if let Some(step) = page_size_step(
        "max-uploads",
        page.max_uploads,
        docs::LIST_MULTIPART_UPLOADS,
    ) {
        ex.step(step);
    }
    if let (Some(k), Some(marker)) = (page.key_marker, id_marker) {
        ex.step(id_marker_step(&uploads, k, marker));
    }
    let mut remaining = (0..uploads.len()).filter(|&i| {
        page.key_marker
            .is_none_or(|k| after_markers(&uploads, i, k, id_marker))
    });
    let mut chosen = Vec::new();
    while chosen.len() < max {
        let Some(i) = remaining.next() else { break };
        chosen.push(i);
    }
    let truncated = remaining.next().is_some();
    let list: Vec<Value> = chosen
        .iter()
        .filter_map(|&i| uploads.get(i))
        .map(|(uid, u)| {
            json!({
                "UploadId": uid,
                "Key": u.key,
                "Initiated": u.initiated.to_string(),
                "Initiator": { "ID": u.initiator },
                "Owner": { "ID": u.owner },
            })
        })
        .collect();
    let mut body = Map::new();
    body.insert("Bucket".into(), json!(name));
    body.insert(
        "KeyMarker".into(),
        json!(page.key_marker.unwrap_or_default()),
    );
    body.insert(
        "UploadIdMarker".into(),
        json!(id_marker.unwrap_or_default()),
    );
    if let Some(p) = page.prefix {
        body.insert("Prefix".into(), json!(p));
    }
    body.insert("MaxUploads".into(), json!(max));
    body.insert("IsTruncated".into(), json!(truncated));
    let last = chosen.last().and_then(|&i| uploads.get(i));
    if truncated && let Some((uid, u)) = last {
        body.insert("NextKeyMarker".into(), json!(u.key));
        body.insert("NextUploadIdMarker".into(), json!(uid));
        ex.step(
            truncated_step(
                "upload(s)",
                list.len(),
                format!("`key-marker={}`, `upload-id-marker={uid}`", u.key),
                docs::LIST_MULTIPART_UPLOADS,
            )
            .compare("NextKeyMarker", u.key.clone())
            .compare("NextUploadIdMarker", (*uid).clone()),
        );
    }
    body.insert("Uploads".into(), Value::Array(list));
    ex.body = Some(Value::Object(body));
    Ok(())
}
