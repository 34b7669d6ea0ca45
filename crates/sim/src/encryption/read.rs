//! Reading what S3 stored: the response headers that say how a version is encrypted, the SSE-C
//! key a read must supply again (over HTTPS), and opening the body for an authorized reader —
//! SSE-S3 with S3's root key, SSE-KMS after `kms:Decrypt` as the caller (through the bucket's S3
//! Bucket Key when it used one), SSE-C with the customer's key.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html>.

use s3pg_crypto::{CustomerKey, EncryptionContext, SseCError, SseCHeaders, ssec};

use super::kms::{bucket_key_step, kms_caller, kms_step};
use super::{
    BUCKET_KEY_HEADER, KMS_KEY_HEADER, S3_ARN, SSE_HEADER, SSEC_ALGORITHM, SSEC_KEY, SSEC_KEY_MD5,
    SealedBody, context_from_json, ssec_error,
};
use crate::error::S3Error;
use crate::model::ObjectVersion;
use crate::request::{Request, Scheme};
use crate::time::Timestamp;
use crate::trace::{Decision, GateStep};
use crate::world::Identity;

/// The response headers describing how a stored version is encrypted.
pub(crate) fn read_headers(v: &ObjectVersion) -> Vec<(String, String)> {
    match &v.sealed {
        Some(SealedBody::SseS3 { .. }) => vec![(SSE_HEADER.to_owned(), "AES256".to_owned())],
        Some(SealedBody::SseKms {
            key_arn,
            bucket_key_enabled,
            ..
        }) => {
            let mut h = vec![
                (
                    SSE_HEADER.to_owned(),
                    v.encryption.clone().unwrap_or_else(|| "aws:kms".to_owned()),
                ),
                (KMS_KEY_HEADER.to_owned(), key_arn.clone()),
            ];
            if *bucket_key_enabled {
                h.push((BUCKET_KEY_HEADER.to_owned(), "true".to_owned()));
            }
            h
        }
        Some(SealedBody::SseC { key_md5, .. }) => vec![
            (SSEC_ALGORITHM.to_owned(), "AES256".to_owned()),
            (SSEC_KEY_MD5.to_owned(), key_md5.clone()),
        ],
        None => v
            .encryption
            .clone()
            .map(|e| vec![(SSE_HEADER.to_owned(), e)])
            .unwrap_or_default(),
    }
}

/// Checks a read's SSE-C headers against the stored version (`prefix` is `x-amz-` or
/// `x-amz-copy-source-`): missing, wrong, or not applicable.
pub(crate) fn check_read_key(
    req: &Request,
    v: &ObjectVersion,
    copy_source: bool,
) -> Result<Option<CustomerKey>, (S3Error, String)> {
    let name = |h: &str| {
        if copy_source {
            h.replacen("x-amz-", "x-amz-copy-source-", 1)
        } else {
            h.to_owned()
        }
    };
    let headers = SseCHeaders {
        algorithm: req.header_value(&name(SSEC_ALGORITHM)),
        key: req.header_value(&name(SSEC_KEY)),
        key_md5: req.header_value(&name(SSEC_KEY_MD5)),
    };
    if headers.is_present() && req.network.scheme != Scheme::Https {
        let e = SseCError::InsecureTransport;
        return Err((
            ssec_error(&e),
            "SSE-C keys may only travel over HTTPS".to_owned(),
        ));
    }
    let provided = headers.parse().map_err(|e| {
        (
            ssec_error(&e),
            format!("the SSE-C headers are not valid: {e}"),
        )
    })?;
    let stored = match &v.sealed {
        Some(SealedBody::SseC { fingerprint, .. }) => Some(fingerprint),
        _ => None,
    };
    ssec::check_read(stored, provided.as_ref()).map_err(|e| {
        let why = format!(
            "{e}{}",
            e.help().map(|h| format!("; {h}")).unwrap_or_default()
        );
        (ssec_error(&e), why)
    })?;
    Ok(provided)
}

/// Opens a stored version for an authorized reader: SSE-S3 with S3's root key, SSE-KMS after
/// `kms:Decrypt` (authorized as the caller), SSE-C with the key the request supplied.
#[expect(
    clippy::too_many_arguments,
    reason = "the request, the world and the version being read all take part"
)]
pub(crate) fn open_version(
    world: &mut crate::view::WorldRef<'_>,
    id: &Identity,
    req: &Request,
    now: Timestamp,
    region: &str,
    v: &ObjectVersion,
    customer_key: Option<&CustomerKey>,
    steps: &mut Vec<GateStep>,
) -> Result<Vec<u8>, (S3Error, Option<Decision>)> {
    let internal = |err: s3pg_crypto::CryptoError| {
        (S3Error::other(500, "InternalError", &err.to_string()), None)
    };
    match &v.sealed {
        None => Ok(v.body.as_bytes().to_vec()),
        Some(SealedBody::SseS3 {
            sealed, object_arn, ..
        }) => {
            let ring = world
                .sse_s3_root_key
                .as_ref()
                .ok_or((S3Error::other(500, "InternalError", "no root key"), None))?;
            // The context is the object ARN the version was written under.
            s3pg_crypto::envelope_open(sealed, ring, &EncryptionContext::s3_arn(object_arn))
                .map_err(internal)
        }
        Some(SealedBody::SseKms {
            key_arn,
            encrypted_data_key,
            body,
            encrypted_bucket_key: Some(ebk),
            encryption_context,
            object_arn,
            ..
        }) => {
            let ctx: EncryptionContext = context_from_json(encryption_context);
            let bucket_arn = ctx.get(S3_ARN).map(str::to_owned).unwrap_or_default();
            let bucket = bucket_arn
                .strip_prefix("arn:aws:s3:::")
                .unwrap_or_default()
                .to_owned();
            let caller = kms_caller(world, id, req, region, now);
            let mut cache = world
                .buckets
                .get_mut(&bucket)
                .map(|b| std::mem::take(&mut b.bucket_keys))
                .unwrap_or_default();
            let r = cache.data_key_for_existing_object(
                &mut world.kms,
                &caller,
                ebk,
                encrypted_data_key,
                &bucket_arn,
                object_arn,
            );
            if let Some(b) = world.buckets.get_mut(&bucket) {
                b.bucket_keys = cache;
            }
            if let Some(ev) = &r.event {
                crate::audit::note_kms_event(world, ev);
            }
            steps.push(bucket_key_step(&r, key_arn, "kms:Decrypt"));
            let decision = r.authorization.as_ref().map(|a| a.decision);
            match r.result {
                Ok(dk) => s3pg_crypto::open_object(
                    body,
                    &dk,
                    &EncryptionContext::s3_arn(object_arn).canonical_bytes(),
                )
                .map_err(internal),
                Err(err) => {
                    let s3 = err.to_s3_error();
                    Err((S3Error::other(s3.status, &s3.code, &s3.message), decision))
                }
            }
        }
        Some(SealedBody::SseKms {
            key_arn,
            encrypted_data_key,
            body,
            encryption_context,
            ..
        }) => {
            let ctx: EncryptionContext = context_from_json(encryption_context);
            let caller = kms_caller(world, id, req, region, now);
            let response = world.kms.decrypt_for_s3(&caller, encrypted_data_key, &ctx);
            crate::audit::note_kms_event(world, &response.event);
            steps.push(kms_step(&response, key_arn));
            let decision = response.authorization.as_ref().map(|a| a.decision);
            match response.result {
                Ok(dk) => {
                    s3pg_crypto::open_object(body, &dk, &ctx.canonical_bytes()).map_err(internal)
                }
                Err(err) => {
                    let s3 = err.to_s3_error();
                    Err((S3Error::other(s3.status, &s3.code, &s3.message), decision))
                }
            }
        }
        Some(SealedBody::SseC {
            body,
            object_arn,
            parts,
            ..
        }) => {
            let key = customer_key.ok_or((
                S3Error::InvalidRequest {
                    message: "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.".to_owned(),
                },
                None,
            ))?;
            if parts.is_empty() {
                return s3pg_crypto::gcm::open(key.key(), body, object_arn.as_bytes())
                    .map_err(internal);
            }
            let mut plaintext = Vec::new();
            for part in std::iter::once(body).chain(parts) {
                plaintext.extend(
                    s3pg_crypto::gcm::open(key.key(), part, object_arn.as_bytes())
                        .map_err(internal)?,
                );
            }
            Ok(plaintext)
        }
    }
}
