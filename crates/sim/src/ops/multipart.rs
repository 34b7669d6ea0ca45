//! Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload,
//! AbortMultipartUpload, ListParts and ListMultipartUploads.
//!
//! Permissions follow "Multipart upload API and permissions": `s3:PutObject` covers the create,
//! every part and the completion; `s3:AbortMultipartUpload`, `s3:ListMultipartUploadParts` and
//! `s3:ListBucketMultipartUploads` the rest. Encryption is chosen at the create, where the
//! `x-amz-server-side-encryption` headers travel — so a bucket policy that refuses unencrypted
//! uploads decides there. With SSE-KMS, S3 calls `kms:GenerateDataKey` at the create and
//! `kms:Decrypt` for every part and at the completion (it must read the encrypted parts), all
//! authorized by KMS as the caller. With SSE-C every part must bring the key of the create.
//! The completed object's ETag is the MD5 of the parts' binary MD5s followed by `-N`.
//!
//! In the playground the parts of SSE-S3 and SSE-KMS uploads wait as the data received and are
//! encrypted when the upload completes; SSE-C parts are encrypted under the customer's key as they
//! arrive, since S3 forgets the key.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html> and the API
//! reference pages of each operation.

use std::collections::BTreeMap;

use s3pg_crypto::{EncryptionContext, SseCHeaders, ssec};
use serde_json::json;

use super::acl::{acl_keys, check_acl_write, header_acl};
use super::common::{bucket_mut, bucket_ref, fail_with_steps};
use super::object_write::write_keys;
use super::plan::{KmsCall, Plan};
use super::versions::{locate, target_owner, version_error, version_keys, write_version};
use crate::acl::Acl;
use crate::authz::Check;
use crate::docs;
use crate::encryption::{
    self, BucketEncryption, KMS_KEY_HEADER, SSE_HEADER, SSEC_ALGORITHM, SSEC_KEY_MD5, SealedBody,
    WriteMode, WritePlan,
};
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{ANONYMOUS_OWNER, ObjectOwnership, ObjectVersion, Versioning};
use crate::request::{CompletedPart, Scheme};
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::uploads::{
    MAX_PART_NUMBER, MIN_PART_SIZE, MultipartUpload, UploadEncryption, UploadedPart,
};
use crate::view::WorldRef;
use crate::world::{Identity, World, fnv, opaque_id};

/// `404 NoSuchUpload`.
fn no_such_upload() -> S3Error {
    S3Error::other(
        404,
        "NoSuchUpload",
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    )
}

/// The headers of the create that carry encryption settings: the condition keys every later
/// request of the upload is evaluated with.
const ENCRYPTION_HEADERS: [&str; 3] = [
    SSE_HEADER,
    KMS_KEY_HEADER,
    "x-amz-server-side-encryption-customer-algorithm",
];

/// The upload, if `upload_id` names one for `key` in the bucket.
fn find_upload(world: &World, bucket: &str, key: &str, upload_id: &str) -> Option<MultipartUpload> {
    world
        .buckets
        .get(bucket)
        .and_then(|b| b.multipart_uploads.get(upload_id))
        .filter(|u| u.key == key)
        .cloned()
}

/// The request condition keys of a part or completion: the create's encryption headers.
fn upload_keys(
    ex: &mut Exchange<'_>,
    upload: Option<&MultipartUpload>,
) -> Vec<(String, Vec<String>)> {
    let Some(upload) = upload else {
        return Vec::new();
    };
    if upload.encryption_headers.is_empty() {
        return Vec::new();
    }
    let keys: Vec<(String, Vec<String>)> = upload
        .encryption_headers
        .iter()
        .map(|(h, v)| (format!("s3:{h}"), vec![v.clone()]))
        .collect();
    let mut step = GateStep::new(
        Gate::RequiredPermissions,
        StepOutcome::Info,
        "the encryption headers travel on CreateMultipartUpload; this request of the same upload is evaluated with the values the upload was created with",
        docs::MULTIPART_PERMISSIONS,
    )
    .undocumented("AWS does not document which `s3:x-amz-server-side-encryption*` values UploadPart and CompleteMultipartUpload carry; the playground gives them the create's, so a policy requiring encryption decides at the create");
    for (k, v) in &keys {
        step = step.compare(k, v.join(", "));
    }
    ex.step(step);
    keys
}

/// Refuses a missing upload after authorization.
fn require_upload(
    ex: &mut Exchange<'_>,
    upload: Option<MultipartUpload>,
    upload_id: &str,
    doc: &str,
) -> Result<MultipartUpload, S3Error> {
    upload.ok_or_else(|| {
        ex.reject(
            Gate::Execution,
            no_such_upload(),
            format!(
                "there is no multipart upload `{upload_id}` for this key: it never existed, or it was completed or aborted"
            ),
            doc,
        )
    })
}

/// `CreateMultipartUpload`: checks the headers like PutObject, plans `s3:PutObject` with them
/// (and `kms:GenerateDataKey` for SSE-KMS), then fixes the encryption and starts the upload.
pub(super) fn create_multipart_upload<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    name: &'r str,
    key: &'r str,
) -> Result<Plan<'r>, S3Error> {
    let plan = encryption::plan_write(ex.req, id)
        .map_err(|(e, why)| ex.reject(Gate::RequestValidation, e, why, docs::CREATE_MULTIPART))?;
    let bucket = bucket_ref(world, name)?.clone();
    let acl_req = header_acl(ex)?;
    let writer = id
        .account
        .clone()
        .unwrap_or_else(|| ANONYMOUS_OWNER.to_owned());
    let wants_bofc = ex.req.header_value("x-amz-acl") == Some("bucket-owner-full-control");
    let owner = match bucket.object_ownership {
        ObjectOwnership::BucketOwnerEnforced => bucket.owner.clone(),
        ObjectOwnership::BucketOwnerPreferred if wants_bofc => bucket.owner.clone(),
        ObjectOwnership::BucketOwnerPreferred | ObjectOwnership::ObjectWriter => writer,
    };
    let acl = match &acl_req {
        Some((Some(c), _)) => Some(Acl::from_canned(*c, &owner, &bucket.owner, true)),
        Some((None, grants)) => Some(Acl {
            canned: None,
            grants: grants.clone(),
        }),
        None => None,
    };
    if let Some(acl) = &acl {
        check_acl_write(world, ex, &bucket, acl, &owner)?;
    }
    let mut checks =
        vec![Check::object("s3:PutObject", name, key, &bucket.owner).keys(write_keys(ex))];
    if acl.is_some() {
        checks.push(Check::object("s3:PutObjectAcl", name, key, &bucket.owner).keys(acl_keys(ex)));
    }
    let classic_plain =
        world.exam_mode == crate::world::ExamMode::Classic && bucket.encryption.is_none();
    let kms_key = match &plan.mode {
        WriteMode::SseKms { key, .. } => Some(key.clone()),
        WriteMode::Default
            if !classic_plain
                && bucket
                    .encryption
                    .as_ref()
                    .is_some_and(|c| c.sse_algorithm.starts_with("aws:kms")) =>
        {
            Some(
                bucket
                    .encryption
                    .as_ref()
                    .and_then(|c| c.kms_master_key_id.clone()),
            )
        }
        _ => None,
    };
    let kms: Vec<KmsCall> = kms_key
        .map(|k| KmsCall {
            action: "kms:GenerateDataKey",
            key: k.unwrap_or_else(|| "alias/aws/s3".to_owned()),
        })
        .into_iter()
        .collect();
    Ok(Plan::new(checks, move |world, ex, id, _| {
        create_execute(world, ex, id, &bucket, key, owner, acl, &plan)
    })
    .kms(kms))
}

/// The create after authorization: ownership, encryption, the upload id.
#[expect(
    clippy::too_many_arguments,
    reason = "what the plan decided before authorization"
)]
fn create_execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    bucket: &crate::model::Bucket,
    key: &str,
    owner: String,
    acl: Option<Acl>,
    plan: &WritePlan,
) -> Result<(), S3Error> {
    let name = ex_bucket(ex);
    ex.step(
        GateStep::new(
            Gate::ObjectOwnership,
            StepOutcome::Info,
            format!(
                "Object Ownership is `{}`: account `{owner}` will own the object when the upload completes",
                bucket.object_ownership.as_str()
            ),
            docs::OWNERSHIP,
        )
        .compare("object owner", owner.clone()),
    );
    let acl = if bucket.acls_enabled() {
        Some(acl.unwrap_or_else(|| Acl::private(&owner)))
    } else {
        None
    };
    let (encryption, headers) = upload_encryption(world, ex, id, bucket, &name, key, plan)?;
    let mut metadata = BTreeMap::new();
    for (k, v) in &ex.req.headers {
        if k.starts_with("x-amz-meta-") || k == "content-type" {
            metadata.insert(k.clone(), v.clone());
        }
    }
    let encryption_headers = ENCRYPTION_HEADERS
        .iter()
        .filter_map(|h| {
            ex.req
                .header_value(h)
                .map(|v| ((*h).to_owned(), v.to_owned()))
        })
        .collect();
    let count = bucket_ref(world, &name)?.multipart_uploads.len();
    let upload_id = opaque_id(fnv(&format!("{name}/{key}/{}/{count}", ex.now)), 40);
    let upload = MultipartUpload {
        key: key.to_owned(),
        initiator: if id.arn.is_empty() {
            ANONYMOUS_OWNER.to_owned()
        } else {
            id.arn.clone()
        },
        owner,
        initiated: ex.now,
        encryption,
        acl,
        metadata,
        encryption_headers,
        parts: BTreeMap::new(),
    };
    bucket_mut(world, &name)?
        .multipart_uploads
        .insert(upload_id.clone(), upload);
    ex.step(
        GateStep::new(
            Gate::Execution,
            StepOutcome::Info,
            format!(
                "S3 starts multipart upload `{upload_id}`: parts are sent with this id and the object appears only when the upload completes"
            ),
            docs::MULTIPART,
        )
        .compare("UploadId", upload_id.clone()),
    );
    for (h, v) in headers {
        ex.headers.insert(h, v);
    }
    ex.body = Some(json!({ "Bucket": name, "Key": key, "UploadId": upload_id }));
    Ok(())
}

/// The bucket the request addresses.
fn ex_bucket(ex: &Exchange<'_>) -> String {
    ex.req.operation.bucket().unwrap_or_default().to_owned()
}

/// Fixes an upload's encryption at the create: the bucket default when no header, a data key
/// from KMS for SSE-KMS, the key's salted HMAC for SSE-C.
fn upload_encryption(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    bucket: &crate::model::Bucket,
    name: &str,
    key: &str,
    plan: &WritePlan,
) -> Result<(UploadEncryption, Vec<(String, String)>), S3Error> {
    let default = bucket
        .encryption
        .clone()
        .unwrap_or_else(BucketEncryption::sse_s3);
    let mode = match &plan.mode {
        WriteMode::Default => {
            if bucket.encryption.is_none() && world.exam_mode == crate::world::ExamMode::Classic {
                ex.step(GateStep::new(
                    Gate::Encryption,
                    StepOutcome::Info,
                    "classic exam mode: no encryption header and no default encryption, so the object will be stored unencrypted",
                    docs::DEFAULT_ENCRYPTION,
                ));
                return Ok((UploadEncryption::None, Vec::new()));
            }
            ex.step(
                GateStep::new(
                    Gate::Encryption,
                    StepOutcome::Info,
                    format!(
                        "no `x-amz-server-side-encryption` header on the create: the bucket's default encryption (`{}`) applies to the whole upload",
                        default.sse_algorithm
                    ),
                    docs::DEFAULT_ENCRYPTION,
                )
                .compare("SSEAlgorithm", default.sse_algorithm.clone()),
            );
            match default.sse_algorithm.as_str() {
                "aws:kms" | "aws:kms:dsse" => WriteMode::SseKms {
                    key: default.kms_master_key_id.clone(),
                    dsse: default.sse_algorithm == "aws:kms:dsse",
                },
                _ => WriteMode::SseS3,
            }
        }
        m => m.clone(),
    };
    let object_arn = format!("arn:aws:s3:::{name}/{key}");
    let mut e = world.entropy.next_stream();
    match mode {
        WriteMode::SseS3 | WriteMode::Default => {
            ex.step(GateStep::new(
                Gate::Encryption,
                StepOutcome::Info,
                "SSE-S3: S3 encrypts every part with keys it manages",
                docs::SSE_S3,
            ));
            Ok((
                UploadEncryption::SseS3,
                vec![(SSE_HEADER.to_owned(), "AES256".to_owned())],
            ))
        }
        WriteMode::SseC(customer_key) => {
            if default.blocks_sse_c() {
                let step = GateStep::new(
                    Gate::Encryption,
                    StepOutcome::Reject,
                    "the bucket's encryption configuration blocks SSE-C (`BlockedEncryptionTypes` = `SSE-C`), the default for buckets created since April 2026",
                    docs::SSE_C_BLOCKING,
                )
                .compare("BlockedEncryptionTypes", "SSE-C");
                let err = S3Error::access_denied();
                fail_with_steps(ex, vec![step], None, &err);
                return Err(err);
            }
            let md5 = customer_key.key_md5_base64();
            ex.step(
                GateStep::new(
                    Gate::Encryption,
                    StepOutcome::Info,
                    "SSE-C: S3 keeps only a salted HMAC of the customer's key; every UploadPart must bring the same key",
                    docs::SSE_C,
                )
                .compare("key MD5", md5.clone()),
            );
            Ok((
                UploadEncryption::SseC {
                    fingerprint: customer_key.fingerprint(&mut e),
                    key_md5: md5.clone(),
                },
                vec![
                    (SSEC_ALGORITHM.to_owned(), "AES256".to_owned()),
                    (SSEC_KEY_MD5.to_owned(), md5),
                ],
            ))
        }
        WriteMode::SseKms { key: key_ref, dsse } => {
            let mut ctx = EncryptionContext::s3_arn(&object_arn);
            if let Some(extra) = &plan.context {
                ctx = ctx.merged(extra);
            }
            if plan.bucket_key == Some(true)
                || (matches!(plan.mode, WriteMode::Default) && default.bucket_key_enabled)
            {
                ex.step(
                    GateStep::new(
                        Gate::Encryption,
                        StepOutcome::Info,
                        "an S3 Bucket Key was asked for; the playground models multipart uploads without one, so S3 calls KMS for this upload's own data key",
                        docs::BUCKET_KEY,
                    )
                    .undocumented("the playground does not model S3 Bucket Keys for multipart uploads"),
                );
            }
            let region = bucket.region.clone();
            let caller = encryption::kms_caller(world, id, ex.req, &region, ex.now);
            let response =
                world
                    .kms
                    .generate_data_key_for_s3(&caller, key_ref.as_deref(), &ctx, &mut e);
            crate::audit::note_kms_event(world, &response.event);
            let shown = response
                .result
                .as_ref()
                .map(|g| g.key_arn.clone())
                .unwrap_or_else(|_| key_ref.clone().unwrap_or_else(|| "alias/aws/s3".to_owned()));
            let step = encryption::kms_step(&response, &shown)
                .compare("needed by", "CreateMultipartUpload (kms:GenerateDataKey)");
            let decision = response.authorization.as_ref().map(|a| a.decision);
            match response.result {
                Ok(grant) => {
                    ex.step(step);
                    let label = if dsse { "aws:kms:dsse" } else { "aws:kms" };
                    Ok((
                        UploadEncryption::SseKms {
                            key_arn: grant.key_arn.clone(),
                            encrypted_data_key: grant.encrypted_data_key,
                            encryption_context: ctx.to_string(),
                            dsse,
                        },
                        vec![
                            (SSE_HEADER.to_owned(), label.to_owned()),
                            (KMS_KEY_HEADER.to_owned(), grant.key_arn),
                        ],
                    ))
                }
                Err(err) => {
                    let s3 = err.to_s3_error();
                    let err = S3Error::other(s3.status, &s3.code, &s3.message);
                    fail_with_steps(ex, vec![step], decision, &err);
                    Err(err)
                }
            }
        }
    }
}

/// Asks KMS to unwrap an SSE-KMS upload's data key as the caller (`kms:Decrypt`): S3 needs it
/// for every part and to assemble the object.
fn upload_data_key(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    region: &str,
    upload: &MultipartUpload,
) -> Result<Option<s3pg_crypto::DataKey>, S3Error> {
    let UploadEncryption::SseKms {
        key_arn,
        encrypted_data_key,
        encryption_context,
        ..
    } = &upload.encryption
    else {
        return Ok(None);
    };
    let ctx = encryption::context_from_json(encryption_context);
    let caller = encryption::kms_caller(world, id, ex.req, region, ex.now);
    let response = world.kms.decrypt_for_s3(&caller, encrypted_data_key, &ctx);
    crate::audit::note_kms_event(world, &response.event);
    let step = encryption::kms_step(&response, key_arn).compare(
        "needed by",
        format!("{} (kms:Decrypt)", ex.req.operation.name()),
    );
    let decision = response.authorization.as_ref().map(|a| a.decision);
    match response.result {
        Ok(dk) => {
            ex.step(step);
            Ok(Some(dk))
        }
        Err(err) => {
            let s3 = err.to_s3_error();
            let err = S3Error::other(s3.status, &s3.code, &s3.message);
            fail_with_steps(ex, vec![step], decision, &err);
            Err(err)
        }
    }
}

/// Checks an SSE-C upload's part brings the create's key; returns the key.
fn part_customer_key(
    ex: &mut Exchange<'_>,
    upload: &MultipartUpload,
    doc: &str,
) -> Result<Option<s3pg_crypto::CustomerKey>, S3Error> {
    let headers = SseCHeaders {
        algorithm: ex.req.header_value(SSEC_ALGORITHM),
        key: ex
            .req
            .header_value("x-amz-server-side-encryption-customer-key"),
        key_md5: ex.req.header_value(SSEC_KEY_MD5),
    };
    let mismatch = |ex: &mut Exchange<'_>, why: String| {
        let e = ex.reject(
            Gate::Encryption,
            S3Error::InvalidRequest {
                message:
                    "The provided encryption parameters did not match the ones used originally."
                        .to_owned(),
            },
            why,
            doc,
        );
        if let Some(s) = ex.trace.last_mut() {
            s.undocumented = Some("AWS's API reference says each part must bring the key of CreateMultipartUpload but documents no error; the playground answers 400 InvalidRequest as S3 is observed to".to_owned());
        }
        e
    };
    if headers.is_present() && ex.req.network.scheme != Scheme::Https {
        return Err(ex.reject(
            Gate::Encryption,
            S3Error::InvalidRequest {
                message: "Requests specifying Server Side Encryption with Customer provided keys must be made over a secure connection.".to_owned(),
            },
            "SSE-C keys may only travel over HTTPS",
            docs::SSE_C,
        ));
    }
    let provided = match headers.parse() {
        Ok(p) => p,
        Err(err) => {
            return Err(ex.reject(
                Gate::Encryption,
                S3Error::other(err.status(), err.code(), err.aws_message()),
                format!("the SSE-C headers are not valid: {err}"),
                docs::SSE_C,
            ));
        }
    };
    match (&upload.encryption, provided) {
        (UploadEncryption::SseC { fingerprint, .. }, Some(k)) => {
            if ssec::check_read(Some(fingerprint), Some(&k)).is_ok() {
                ex.step(GateStep::new(
                    Gate::Encryption,
                    StepOutcome::Allow,
                    "the part brings the SSE-C key the upload was created with (its salted HMAC matches)",
                    doc,
                ));
                Ok(Some(k))
            } else {
                Err(mismatch(
                    ex,
                    "the part's SSE-C key is not the key the upload was created with".to_owned(),
                ))
            }
        }
        (UploadEncryption::SseC { .. }, None) => Err(mismatch(
            ex,
            "the upload was created with SSE-C, so every part must repeat the three SSE-C headers with the same key".to_owned(),
        )),
        (_, Some(_)) => Err(mismatch(
            ex,
            "the part carries SSE-C headers but the upload was not created with SSE-C".to_owned(),
        )),
        (_, None) => Ok(None),
    }
}

/// The part-number rule: 1 to 10,000.
fn check_part_number(ex: &mut Exchange<'_>, n: u32, doc: &str) -> Result<(), S3Error> {
    if (1..=MAX_PART_NUMBER).contains(&n) {
        return Ok(());
    }
    Err(ex.reject(
        Gate::RequestValidation,
        S3Error::InvalidArgument {
            message: "Part number must be an integer between 1 and 10000, inclusive".to_owned(),
        },
        format!("part number `{n}` is outside 1–{MAX_PART_NUMBER}"),
        doc,
    ))
}

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
    doc: &str,
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

/// The encryption headers every response of an upload echoes.
fn upload_response_headers(upload: &MultipartUpload) -> Vec<(String, String)> {
    match &upload.encryption {
        UploadEncryption::None => Vec::new(),
        UploadEncryption::SseS3 => vec![(SSE_HEADER.to_owned(), "AES256".to_owned())],
        UploadEncryption::SseKms { key_arn, dsse, .. } => vec![
            (
                SSE_HEADER.to_owned(),
                if *dsse { "aws:kms:dsse" } else { "aws:kms" }.to_owned(),
            ),
            (KMS_KEY_HEADER.to_owned(), key_arn.clone()),
        ],
        UploadEncryption::SseC { key_md5, .. } => vec![
            (SSEC_ALGORITHM.to_owned(), "AES256".to_owned()),
            (SSEC_KEY_MD5.to_owned(), key_md5.clone()),
        ],
    }
}

/// `UploadPart`.
#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the UploadPart parameters"
)]
pub(super) fn upload_part<'r>(
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
    let owner = bucket_ref(world, name)?.owner.clone();
    let upload = find_upload(world, name, key, upload_id);
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

/// The `kms:Decrypt` S3 makes for a part or a completion of an SSE-KMS upload.
fn decrypt_calls(upload: Option<&MultipartUpload>) -> Vec<KmsCall> {
    match upload.map(|u| &u.encryption) {
        Some(UploadEncryption::SseKms { key_arn, .. }) => vec![KmsCall {
            action: "kms:Decrypt",
            key: key_arn.clone(),
        }],
        _ => Vec::new(),
    }
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
pub(super) fn upload_part_copy<'r>(
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
        .and_then(super::object_read::decrypt_call)
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
            super::object_read::refuse_kms_over_http(ex, &src)?;
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
pub(super) fn complete_multipart_upload<'r>(
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
#[expect(
    clippy::too_many_lines,
    reason = "the checks S3 makes on a completion, then the assembly in each encryption mode"
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
    let object_arn = format!("arn:aws:s3:::{name}/{key}");
    let plaintext: Vec<u8> = chosen.iter().flat_map(|p| p.body.bytes()).collect();
    let size = plaintext.len();
    let (label, body, sealed) = match &upload.encryption {
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
            let Some(dk) = upload_data_key(world, ex, id, &bucket.region, &upload)? else {
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
    };
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
        object_lock: crate::object_lock::VersionLock::default(),
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

/// `AbortMultipartUpload` (`s3:AbortMultipartUpload`): the parts are discarded; 204.
pub(super) fn abort_multipart_upload<'r>(
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

/// `ListParts` (`s3:ListMultipartUploadParts`).
pub(super) fn list_parts<'r>(
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
pub(super) fn list_multipart_uploads<'r>(name: &'r str, prefix: Option<&'r str>) -> Plan<'r> {
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

    #[test]
    fn copy_ranges_are_inclusive_and_inside_the_source() {
        assert_eq!(copy_range("bytes=0-2", b"hello"), Some(b"hel".to_vec()));
        assert_eq!(copy_range("bytes=4-4", b"hello"), Some(b"o".to_vec()));
        assert_eq!(copy_range("bytes=3-9", b"hello"), None);
        assert_eq!(copy_range("0-1", b"hello"), None);
    }
}
