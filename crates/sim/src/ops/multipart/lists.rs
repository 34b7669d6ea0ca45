//! ListParts (`s3:ListMultipartUploadParts`) and ListMultipartUploads
//! (`s3:ListBucketMultipartUploads`).
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html>.

use serde_json::json;

use super::{find_upload, require_upload};
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::ops::common::bucket_ref;
use crate::ops::plan::Plan;
use crate::uploads::MultipartUpload;
use crate::view::WorldRef;
use crate::world::World;

/// `ListParts` (`s3:ListMultipartUploadParts`).
pub(in crate::ops) fn list_parts<'r>(
    world: &World,
    name: &'r str,
    key: &'r str,
    upload_id: &'r str,
) -> Result<Plan<'r>, S3Error> {
    let owner = bucket_ref(world, name)?.owner.clone();
    Ok(Plan::new(
        vec![Check::object(
            "s3:ListMultipartUploadParts",
            name,
            key,
            &owner,
        )],
        move |world, ex, _, _| list_parts_execute(world, ex, name, key, upload_id),
    ))
}

fn list_parts_execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    name: &str,
    key: &str,
    upload_id: &str,
) -> Result<(), S3Error> {
    let upload = find_upload(world, name, key, upload_id);
    let upload = require_upload(ex, upload, upload_id, docs::LIST_PARTS)?;
    let parts: Vec<serde_json::Value> = upload
        .parts
        .iter()
        .map(|(n, p)| {
            json!({
                "PartNumber": n,
                "ETag": p.etag,
                "Size": p.size,
                "LastModified": p.last_modified.to_string(),
            })
        })
        .collect();
    ex.body = Some(json!({
        "Bucket": name,
        "Key": key,
        "UploadId": upload_id,
        "Initiator": { "ID": upload.initiator },
        "Owner": { "ID": upload.owner },
        "Parts": parts,
    }));
    Ok(())
}

/// `ListMultipartUploads` (`s3:ListBucketMultipartUploads`).
pub(in crate::ops) fn list_multipart_uploads<'r>(
    name: &'r str,
    prefix: Option<&'r str>,
) -> Plan<'r> {
    Plan::new(
        vec![Check::bucket("s3:ListBucketMultipartUploads", name)],
        move |world, ex, _, _| list_uploads_execute(world, ex, name, prefix),
    )
}

fn list_uploads_execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    name: &str,
    prefix: Option<&str>,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    let mut uploads: Vec<(&String, &MultipartUpload)> = bucket
        .multipart_uploads
        .iter()
        .filter(|(_, u)| prefix.is_none_or(|p| u.key.starts_with(p)))
        .collect();
    uploads.sort_by(|a, b| (&a.1.key, a.1.initiated).cmp(&(&b.1.key, b.1.initiated)));
    let list: Vec<serde_json::Value> = uploads
        .into_iter()
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
    ex.body = Some(json!({ "Bucket": name, "Uploads": list }));
    Ok(())
}
