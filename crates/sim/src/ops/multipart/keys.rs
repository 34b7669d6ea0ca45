//! The keys of a multipart upload: the encryption fixed at the create (the bucket default, SSE-S3,
//! SSE-C's salted HMAC, or an SSE-KMS data key from `kms:GenerateDataKey`), the data key KMS
//! unwraps (`kms:Decrypt`, as the caller) for every part and for the completion, and the SSE-C
//! key every part must bring again.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions>
//! and <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html>.

use s3pg_crypto::{EncryptionContext, SseCHeaders, ssec};

use crate::docs;
use crate::encryption::{
    self, BucketEncryption, KMS_KEY_HEADER, SSE_HEADER, SSEC_ALGORITHM, SSEC_KEY_MD5, WriteMode,
    WritePlan,
};
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::ops::common::fail_with_steps;
use crate::request::Scheme;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::uploads::{MultipartUpload, UploadEncryption};
use crate::view::WorldRef;
use crate::world::Identity;

/// Fixes an upload's encryption at the create: the bucket default when no header, a data key
/// from KMS for SSE-KMS, the key's salted HMAC for SSE-C.
pub(super) fn upload_encryption(
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
        WriteMode::SseKms { key: key_ref, dsse } => sse_kms_upload(
            world,
            ex,
            id,
            bucket,
            plan,
            &default,
            &object_arn,
            key_ref,
            dsse,
            e,
        ),
    }
}

/// SSE-KMS at the create: S3 asks KMS, as the caller, for the upload's data key
/// (`kms:GenerateDataKey`) under the object's encryption context.
#[expect(
    clippy::too_many_arguments,
    reason = "the bucket, the write plan and the key asked for all take part"
)]
fn sse_kms_upload(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    bucket: &crate::model::Bucket,
    plan: &WritePlan,
    default: &BucketEncryption,
    object_arn: &str,
    key_ref: Option<String>,
    dsse: bool,
    mut e: s3pg_crypto::SeededEntropy,
) -> Result<(UploadEncryption, Vec<(String, String)>), S3Error> {
    let mut ctx = EncryptionContext::s3_arn(object_arn);
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
    let response = world
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

/// Asks KMS to unwrap an SSE-KMS upload's data key as the caller (`kms:Decrypt`): S3 needs it
/// for every part and to assemble the object.
pub(super) fn upload_data_key(
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
pub(super) fn part_customer_key(
    ex: &mut Exchange<'_>,
    upload: &MultipartUpload,
    doc: &'static str,
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
