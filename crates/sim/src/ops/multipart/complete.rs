//! The end of an upload: CompleteMultipartUpload checks the part list, assembles the parts and
//! writes the object (a new version in a versioned bucket, its ETag the MD5 of the parts' MD5s
//! then `-N`), encrypted as the create decided and under the Object Lock settings the create asked
//! for (or the bucket's default retention); AbortMultipartUpload discards the parts.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html>.

use serde_json::json;

use super::keys::upload_data_key;
use super::{decrypt_calls, find_upload, require_upload, upload_keys, upload_response_headers};
use crate::authz::Check;
use crate::docs;
use crate::encryption::{self, SealedBody, WriteMode, WritePlan};
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{Bucket, ObjectVersion, Versioning};
use crate::object_lock::VersionLock;
use crate::ops::common::{bucket_mut, bucket_ref, fail_with_steps};
use crate::ops::object_lock::{bucket_default, default_step};
use crate::ops::plan::Plan;
use crate::ops::versions::write_version;
use crate::request::CompletedPart;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::uploads::{MIN_PART_SIZE, MultipartUpload, UploadEncryption, UploadedPart};
use crate::view::WorldRef;
use crate::world::{Identity, World};

/// The ETag of a completed upload: the MD5 of the concatenated binary MD5s of its parts, then
/// `-N`.
pub(crate) fn multipart_etag<'a>(part_etags: impl IntoIterator<Item = &'a str>) -> String {
    let mut digests = Vec::new();
    let mut n = 0usize;
    for etag in part_etags {
        n = n.saturating_add(1);
        let hex = etag.trim_matches('"');
        let bytes = hex.as_bytes();
        for pair in bytes.chunks(2) {
            let text = std::str::from_utf8(pair).unwrap_or("00");
            digests.push(u8::from_str_radix(text, 16).unwrap_or(0));
        }
    }
    format!("\"{}-{n}\"", s3pg_crypto::checksum::md5_hex(&digests))
}

/// Checks the part list of a completion against the upload; the refusal with S3's code.
fn check_completion(
    upload: &MultipartUpload,
    parts: &[CompletedPart],
) -> Result<(), (S3Error, String)> {
    if parts.is_empty() {
        return Err((
            S3Error::other(
                400,
                "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema",
            ),
            "a completion must name at least one part".to_owned(),
        ));
    }
    for pair in parts.windows(2) {
        if let [a, b] = pair
            && a.part_number >= b.part_number
        {
            return Err((
                S3Error::other(
                    400,
                    "InvalidPartOrder",
                    "The list of parts was not in ascending order. Parts must be ordered by part number.",
                ),
                format!(
                    "part {} is listed after part {}: the list must be in ascending part-number order",
                    b.part_number, a.part_number
                ),
            ));
        }
    }
    let invalid_part = || {
        S3Error::other(
            400,
            "InvalidPart",
            "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        )
    };
    for p in parts {
        let Some(stored) = upload.parts.get(&p.part_number) else {
            return Err((
                invalid_part(),
                format!("part {} was never uploaded", p.part_number),
            ));
        };
        if stored.etag.trim_matches('"') != p.etag.trim_matches('"') {
            return Err((
                invalid_part(),
                format!(
                    "part {} has ETag `{}`, not `{}`",
                    p.part_number, stored.etag, p.etag
                ),
            ));
        }
    }
    let last = parts.len().saturating_sub(1);
    for (i, p) in parts.iter().enumerate() {
        let size = upload.parts.get(&p.part_number).map_or(0, |s| s.size);
        if i < last && size < MIN_PART_SIZE {
            return Err((
                S3Error::other(
                    400,
                    "EntityTooSmall",
                    "Your proposed upload is smaller than the minimum allowed object size.",
                ),
                format!(
                    "part {} is {size} bytes; every part but the last must be at least 5 MiB ({MIN_PART_SIZE} bytes)",
                    p.part_number
                ),
            ));
        }
    }
    Ok(())
}

/// `CompleteMultipartUpload`: checks the part list, assembles the parts and writes the object
/// (a new version in a versioned bucket), encrypted as the create decided.
pub(in crate::ops) fn complete_multipart_upload<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    name: &'r str,
    key: &'r str,
    upload_id: &'r str,
    parts: &'r [CompletedPart],
) -> Result<Plan<'r>, S3Error> {
    let owner = bucket_ref(world, name)?.owner.clone();
    let upload = find_upload(world, name, key, upload_id);
    let keys = upload_keys(ex, upload.as_ref());
    let kms = decrypt_calls(upload.as_ref());
    Ok(Plan::new(
        vec![Check::object("s3:PutObject", name, key, &owner).keys(keys)],
        move |world, ex, id, _| {
            complete_execute(world, ex, id, name, key, upload_id, parts, upload)
        },
    )
    .kms(kms))
}

/// The completion after authorization.
#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the CompleteMultipartUpload parameters"
)]
fn complete_execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    upload_id: &str,
    parts: &[CompletedPart],
    upload: Option<MultipartUpload>,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?.clone();
    let upload = require_upload(ex, upload, upload_id, docs::COMPLETE_MULTIPART)?;
    if let Err((e, why)) = check_completion(&upload, parts) {
        let doc = if e.code() == "EntityTooSmall" {
            docs::MULTIPART_LIMITS
        } else {
            docs::COMPLETE_MULTIPART
        };
        return Err(ex.reject(Gate::RequestValidation, e, why, doc));
    }
    let chosen: Vec<&UploadedPart> = parts
        .iter()
        .filter_map(|p| upload.parts.get(&p.part_number))
        .collect();
    let etag = multipart_etag(chosen.iter().map(|p| p.etag.as_str()));
    let (label, body, sealed) =
        assemble(world, ex, id, &bucket.region, name, key, &upload, &chosen)?;
    let object_lock = completed_lock(ex, &bucket, &upload);
    let version = ObjectVersion {
        version_id: String::new(),
        delete_marker: false,
        owner: upload.owner.clone(),
        acl: upload.acl.clone(),
        metadata: upload.metadata.clone(),
        encryption: label,
        body,
        etag: etag.clone(),
        sealed,
        last_modified: ex.now,
        object_lock,
        tags: Default::default(),
    };
    let seq = world.next_seq();
    let b = bucket_mut(world, name)?;
    b.multipart_uploads.remove(upload_id);
    let versioning = b.versioning;
    let vid = write_version(b, key, version, seq);
    ex.step(
        GateStep::new(
            Gate::Execution,
            StepOutcome::Info,
            format!(
                "S3 assembles {} part(s) into `{key}`; the ETag is the MD5 of the parts' MD5s followed by `-{}`, not the MD5 of the object",
                parts.len(),
                parts.len()
            ),
            docs::MULTIPART,
        )
        .compare("ETag", etag.clone()),
    );
    if versioning != Versioning::Unversioned {
        ex.headers.insert("x-amz-version-id".into(), vid.clone());
    }
    for (h, v) in upload_response_headers(&upload) {
        if !h.starts_with("x-amz-server-side-encryption-customer") {
            ex.headers.insert(h, v);
        }
    }
    ex.headers.insert("etag".into(), etag.clone());
    ex.effects.push(Effect::ObjectWritten {
        bucket: name.to_owned(),
        key: key.to_owned(),
        version_id: vid,
        owner: upload.owner.clone(),
    });
    ex.body = Some(json!({
        "Location": format!("https://{name}.s3.amazonaws.com/{key}"),
        "Bucket": name,
        "Key": key,
        "ETag": etag,
    }));
    Ok(())
}

/// The Object Lock settings of the completed object: the retention and legal hold the create's
/// headers asked for, else the bucket's default retention counted from now, when S3 creates the
/// object (object-lock-managing, API_CreateMultipartUpload).
fn completed_lock(ex: &mut Exchange<'_>, bucket: &Bucket, upload: &MultipartUpload) -> VersionLock {
    let mut lock = upload.object_lock.clone();
    if let Some(r) = &lock.retention {
        ex.step(
            GateStep::new(
                Gate::ObjectLock,
                StepOutcome::Info,
                format!(
                    "the retention asked for at CreateMultipartUpload applies to the completed object: {} mode until {}",
                    r.mode.as_str(),
                    r.retain_until_date
                ),
                docs::CREATE_MULTIPART,
            )
            .compare("Mode", r.mode.as_str())
            .compare("RetainUntilDate", r.retain_until_date.to_string()),
        );
    } else if let Some(d) = bucket_default(bucket, ex.now) {
        ex.step(default_step(&d, "the completed object").undocumented(
            "AWS counts a default retention from the version's creation; for a multipart upload it does not say whether that is the create or the completion: the playground counts from the completion, when the object appears",
        ));
        lock.retention = Some(d);
    }
    if let Some(h) = lock.legal_hold {
        ex.step(
            GateStep::new(
                Gate::ObjectLock,
                StepOutcome::Info,
                format!(
                    "the legal hold asked for at CreateMultipartUpload applies to the completed object: `{}`",
                    h.as_str()
                ),
                docs::CREATE_MULTIPART,
            )
            .compare("LegalHold", h.as_str()),
        );
    }
    lock
}

/// The completed object's stored form, in the upload's encryption mode: its encryption label,
/// its plaintext body (unencrypted uploads) and its sealed body.
type Assembled = (Option<String>, String, Option<SealedBody>);

/// Assembles the chosen parts into the object as the create's encryption decided: SSE-S3 and
/// SSE-KMS encrypt the assembled plaintext (SSE-KMS under the upload's data key, which KMS
/// unwraps as the caller); SSE-C keeps the parts sealed as they arrived.
#[expect(
    clippy::too_many_arguments,
    reason = "the upload, its parts and the request all take part"
)]
fn assemble(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    region: &str,
    name: &str,
    key: &str,
    upload: &MultipartUpload,
    chosen: &[&UploadedPart],
) -> Result<Assembled, S3Error> {
    let object_arn = format!("arn:aws:s3:::{name}/{key}");
    let plaintext: Vec<u8> = chosen.iter().flat_map(|p| p.body.bytes()).collect();
    let size = plaintext.len();
    Ok(match &upload.encryption {
        UploadEncryption::None => (None, String::from_utf8_lossy(&plaintext).into_owned(), None),
        UploadEncryption::SseS3 => {
            let plan = WritePlan {
                mode: WriteMode::SseS3,
                bucket_key: None,
                context: None,
                client_side: false,
            };
            match encryption::apply_write(world, id, ex.req, ex.now, name, key, &plaintext, &plan) {
                Ok(s) => {
                    ex.trace.extend(s.steps);
                    (s.label, String::new(), s.sealed)
                }
                Err((e, steps, decision)) => {
                    fail_with_steps(ex, steps, decision, &e);
                    return Err(e);
                }
            }
        }
        UploadEncryption::SseKms {
            key_arn,
            encrypted_data_key,
            encryption_context,
            dsse,
        } => {
            let Some(dk) = upload_data_key(world, ex, id, region, upload)? else {
                return Err(S3Error::other(500, "InternalError", "no data key"));
            };
            let ctx = encryption::context_from_json(encryption_context);
            let mut e = world.entropy.next_stream();
            let body = s3pg_crypto::seal_object(&plaintext, &dk, &ctx.canonical_bytes(), &mut e)
                .map_err(|err| S3Error::other(500, "InternalError", &err.to_string()))?;
            ex.step(GateStep::new(
                Gate::Encryption,
                StepOutcome::Info,
                "SSE-KMS: S3 assembles the parts under the upload's data key, stored wrapped by the KMS key",
                docs::MULTIPART_PERMISSIONS,
            ));
            (
                Some(if *dsse { "aws:kms:dsse" } else { "aws:kms" }.to_owned()),
                String::new(),
                Some(SealedBody::SseKms {
                    key_arn: key_arn.clone(),
                    encrypted_data_key: encrypted_data_key.clone(),
                    body,
                    encryption_context: encryption_context.clone(),
                    bucket_key_enabled: false,
                    encrypted_bucket_key: None,
                    object_arn: object_arn.clone(),
                    size,
                }),
            )
        }
        UploadEncryption::SseC {
            fingerprint,
            key_md5,
        } => {
            let mut sealed_parts = chosen.iter().filter_map(|p| p.sealed.clone());
            let Some(first) = sealed_parts.next() else {
                return Err(S3Error::other(500, "InternalError", "no sealed part"));
            };
            let size = chosen
                .iter()
                .filter_map(|p| p.sealed.as_ref())
                .map(|c| c.encrypted.len())
                .sum();
            ex.step(GateStep::new(
                Gate::Encryption,
                StepOutcome::Info,
                "SSE-C: the parts were encrypted under the customer's key as they arrived; the object is those parts, and every read must bring the key again",
                docs::SSE_C,
            ));
            (
                Some("SSE-C".to_owned()),
                String::new(),
                Some(SealedBody::SseC {
                    fingerprint: fingerprint.clone(),
                    key_md5: key_md5.clone(),
                    body: first,
                    object_arn: object_arn.clone(),
                    size,
                    parts: sealed_parts.collect(),
                }),
            )
        }
    })
}

/// `AbortMultipartUpload` (`s3:AbortMultipartUpload`): the parts are discarded; 204.
pub(in crate::ops) fn abort_multipart_upload<'r>(
    world: &World,
    name: &'r str,
    key: &'r str,
    upload_id: &'r str,
) -> Result<Plan<'r>, S3Error> {
    let owner = bucket_ref(world, name)?.owner.clone();
    Ok(Plan::new(
        vec![Check::object("s3:AbortMultipartUpload", name, key, &owner)],
        move |world, ex, _, _| abort_execute(world, ex, name, key, upload_id),
    ))
}

fn abort_execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    name: &str,
    key: &str,
    upload_id: &str,
) -> Result<(), S3Error> {
    let upload = find_upload(world, name, key, upload_id);
    let upload = require_upload(ex, upload, upload_id, docs::ABORT_MULTIPART)?;
    bucket_mut(world, name)?.multipart_uploads.remove(upload_id);
    ex.step(GateStep::new(
        Gate::Execution,
        StepOutcome::Info,
        format!(
            "S3 aborts upload `{upload_id}` and frees its {} part(s); a part still arriving may need another abort",
            upload.parts.len()
        ),
        docs::ABORT_MULTIPART,
    ));
    ex.status = 204;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_etag_of_a_completed_upload_is_the_md5_of_the_part_md5s_and_the_count() {
        // Two parts "a" and "b": MD5("a") = 0cc175b9c0f1b6a831c399e269772661,
        // MD5("b") = 92eb5ffee6ae2fec3ad71c777531578f.
        let a = format!("\"{}\"", s3pg_crypto::checksum::md5_hex(b"a"));
        let b = format!("\"{}\"", s3pg_crypto::checksum::md5_hex(b"b"));
        let mut both = Vec::new();
        both.extend_from_slice(&[
            0x0c, 0xc1, 0x75, 0xb9, 0xc0, 0xf1, 0xb6, 0xa8, 0x31, 0xc3, 0x99, 0xe2, 0x69, 0x77,
            0x26, 0x61,
        ]);
        both.extend_from_slice(&[
            0x92, 0xeb, 0x5f, 0xfe, 0xe6, 0xae, 0x2f, 0xec, 0x3a, 0xd7, 0x1c, 0x77, 0x75, 0x31,
            0x57, 0x8f,
        ]);
        let expected = format!("\"{}-2\"", s3pg_crypto::checksum::md5_hex(&both));
        assert_eq!(multipart_etag([a.as_str(), b.as_str()]), expected);
    }
}
