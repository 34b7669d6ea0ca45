//! UploadPart and UploadPartCopy: the part number's range, the upload's keys checked again, the
//! copy source read (and authorized) as by CopyObject with `x-amz-copy-source-range`, then the
//! part stored with its ETag.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html>.

use serde_json::json;

use super::keys::{part_customer_key, upload_data_key};
use super::{
    check_part_number, decrypt_calls, find_upload, require_upload, upload_keys,
    upload_response_headers,
};
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::Versioning;
use crate::ops::common::{bucket_mut, bucket_ref, fail_with_steps};
use crate::ops::object_lock::check_part_checksum;
use crate::ops::plan::{KmsCall, Plan};
use crate::ops::versions::{locate, target_owner, version_error, version_keys};
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::uploads::{MultipartUpload, UploadedPart};
use crate::view::WorldRef;
use crate::world::{Identity, World};

/// What a part brings.
pub(super) struct PartData {
    pub number: u32,
    pub data: Vec<u8>,
    pub size: Option<u64>,
}

/// Stores one part after its permissions were granted: encryption checks, then the part.
#[expect(
    clippy::too_many_arguments,
    reason = "the upload, the part and the request all take part"
)]
fn store_part(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    upload_id: &str,
    upload: &MultipartUpload,
    part: PartData,
    doc: &'static str,
) -> Result<String, S3Error> {
    let customer_key = part_customer_key(ex, upload, doc)?;
    let region = bucket_ref(world, name)?.region.clone();
    upload_data_key(world, ex, id, &region, upload)?;
    let etag = format!("\"{}\"", s3pg_crypto::checksum::md5_hex(&part.data));
    let object_arn = format!("arn:aws:s3:::{name}/{}", upload.key);
    let len = u64::try_from(part.data.len()).unwrap_or(u64::MAX);
    let size = part.size.map_or(len, |s| s.max(len));
    let stored = match customer_key {
        Some(k) => {
            let mut e = world.entropy.next_stream();
            let sealed =
                s3pg_crypto::gcm::seal_fresh(k.key(), &part.data, object_arn.as_bytes(), &mut e)
                    .map_err(|err| S3Error::other(500, "InternalError", &err.to_string()))?;
            UploadedPart {
                body: String::new(),
                sealed: Some(sealed),
                size,
                etag: etag.clone(),
                last_modified: ex.now,
            }
        }
        None => UploadedPart {
            body: String::from_utf8_lossy(&part.data).into_owned(),
            sealed: None,
            size,
            etag: etag.clone(),
            last_modified: ex.now,
        },
    };
    let replaced = bucket_mut(world, name)?
        .multipart_uploads
        .get_mut(upload_id)
        .and_then(|u| u.parts.insert(part.number, stored))
        .is_some();
    ex.step(
        GateStep::new(
            Gate::Execution,
            StepOutcome::Info,
            format!(
                "S3 stores part {} of upload `{upload_id}` ({size} bytes){}",
                part.number,
                if replaced {
                    ", replacing the part uploaded earlier with the same number"
                } else {
                    ""
                }
            ),
            doc,
        )
        .compare("ETag", etag.clone()),
    );
    for (h, v) in upload_response_headers(upload) {
        ex.headers.insert(h, v);
    }
    Ok(etag)
}

/// `UploadPart`.
#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the UploadPart parameters"
)]
pub(in crate::ops) fn upload_part<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    name: &'r str,
    key: &'r str,
    upload_id: &'r str,
    part_number: u32,
    body: &'r str,
    size: Option<u64>,
) -> Result<Plan<'r>, S3Error> {
    check_part_number(ex, part_number, docs::UPLOAD_PART)?;
    let bucket = bucket_ref(world, name)?;
    let owner = bucket.owner.clone();
    let upload = find_upload(world, name, key, upload_id);
    if let Some(u) = &upload {
        check_part_checksum(ex, bucket, &u.object_lock)?;
    }
    let keys = upload_keys(ex, upload.as_ref());
    let kms = decrypt_calls(upload.as_ref());
    Ok(Plan::new(
        vec![Check::object("s3:PutObject", name, key, &owner).keys(keys)],
        move |world, ex, id, _| {
            let upload = require_upload(ex, upload, upload_id, docs::UPLOAD_PART)?;
            let part = PartData {
                number: part_number,
                data: body.as_bytes().to_vec(),
                size,
            };
            let etag = store_part(
                world,
                ex,
                id,
                name,
                upload_id,
                &upload,
                part,
                docs::UPLOAD_PART,
            )?;
            ex.headers.insert("etag".into(), etag);
            Ok(())
        },
    )
    .kms(kms))
}

/// Reads `bytes=first-last` of `data` (`x-amz-copy-source-range`).
fn copy_range(range: &str, data: &[u8]) -> Option<Vec<u8>> {
    let (first, last) = range.trim().strip_prefix("bytes=")?.split_once('-')?;
    let first: usize = first.trim().parse().ok()?;
    let last: usize = last.trim().parse().ok()?;
    if first > last || last >= data.len() {
        return None;
    }
    data.get(first..=last).map(<[u8]>::to_vec)
}

/// `UploadPartCopy`: the source is read (and authorized) as by CopyObject, then stored as a part.
#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the UploadPartCopy parameters"
)]
pub(in crate::ops) fn upload_part_copy<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    name: &'r str,
    key: &'r str,
    upload_id: &'r str,
    part_number: u32,
    source_bucket: &'r str,
    source_key: &'r str,
    source_version: Option<&'r str>,
) -> Result<Plan<'r>, S3Error> {
    check_part_number(ex, part_number, docs::UPLOAD_PART_COPY)?;
    let Some(src_bucket) = world.buckets.get(source_bucket).cloned() else {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::NoSuchBucket,
            format!("the source bucket `{source_bucket}` does not exist"),
            docs::UPLOAD_PART_COPY,
        ));
    };
    let owner = bucket_ref(world, name)?.owner.clone();
    let src_owner = target_owner(&src_bucket, source_key, source_version);
    let src_action = if source_version.is_some() {
        "s3:GetObjectVersion"
    } else {
        "s3:GetObject"
    };
    let upload = find_upload(world, name, key, upload_id);
    let keys = upload_keys(ex, upload.as_ref());
    let mut kms: Vec<KmsCall> = locate(&src_bucket, source_key, source_version)
        .ok()
        .and_then(crate::ops::object_read::decrypt_call)
        .into_iter()
        .collect();
    kms.extend(decrypt_calls(upload.as_ref()));
    let checks = vec![
        Check::object(src_action, source_bucket, source_key, &src_owner)
            .keys(version_keys(source_version)),
        Check::object("s3:PutObject", name, key, &owner).keys(keys),
    ];
    Ok(Plan::new(checks, move |world, ex, id, _| {
        let upload = require_upload(ex, upload, upload_id, docs::UPLOAD_PART_COPY)?;
        let src = match locate(&src_bucket, source_key, source_version) {
            Ok(v) => v.clone(),
            Err((e, m)) => return Err(version_error(ex, e, m, source_key)),
        };
        let data = if src.sealed.is_some() {
            let customer_key = crate::encryption::check_read_key(ex.req, &src, true)
                .map_err(|(e, why)| ex.reject(Gate::Encryption, e, why, docs::SSE_C))?;
            crate::ops::object_read::refuse_kms_over_http(ex, &src)?;
            let mut steps = Vec::new();
            match crate::encryption::open_version(
                world,
                id,
                ex.req,
                ex.now,
                &src_bucket.region,
                &src,
                customer_key.as_ref(),
                &mut steps,
            ) {
                Ok(p) => {
                    ex.trace.extend(steps);
                    p
                }
                Err((e, decision)) => {
                    fail_with_steps(ex, steps, decision, &e);
                    return Err(e);
                }
            }
        } else {
            src.body.clone().into_bytes()
        };
        let data = match ex.req.header_value("x-amz-copy-source-range") {
            None => data,
            Some(range) => match copy_range(range, &data) {
                Some(d) => d,
                None => {
                    return Err(ex.reject(
                        Gate::RequestValidation,
                        S3Error::InvalidArgument {
                            message: "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy".to_owned(),
                        },
                        format!(
                            "`{range}` is not a byte range inside the {}-byte source",
                            data.len()
                        ),
                        docs::UPLOAD_PART_COPY,
                    ));
                }
            },
        };
        let part = PartData {
            number: part_number,
            data,
            size: None,
        };
        let etag = store_part(
            world,
            ex,
            id,
            name,
            upload_id,
            &upload,
            part,
            docs::UPLOAD_PART_COPY,
        )?;
        ex.body =
            Some(json!({ "CopyPartResult": { "ETag": etag, "LastModified": ex.now.to_string() } }));
        if source_version.is_some() || src_bucket.versioning != Versioning::Unversioned {
            ex.headers
                .insert("x-amz-copy-source-version-id".into(), src.version_id);
        }
        Ok(())
    })
    .kms(kms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_ranges_are_inclusive_and_inside_the_source() {
        assert_eq!(copy_range("bytes=0-2", b"hello"), Some(b"hel".to_vec()));
        assert_eq!(copy_range("bytes=4-4", b"hello"), Some(b"o".to_vec()));
        assert_eq!(copy_range("bytes=3-9", b"hello"), None);
        assert_eq!(copy_range("0-1", b"hello"), None);
    }
}
