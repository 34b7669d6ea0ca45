//! Encryption at rest, with real cryptography: SSE-S3 (a data key per object wrapped by S3's root
//! key), SSE-KMS and DSSE-KMS (a data key from the simulated KMS, `kms:GenerateDataKey` on write and
//! `kms:Decrypt` on read, both authorized by the key policy and shown in the trace), SSE-C (the
//! customer's key, over HTTPS only, supplied again on every read; S3 keeps only a salted HMAC of
//! it), bucket default encryption (applied after the bucket policy) and client-side encryption
//! (S3 stores ciphertext it cannot read).
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html>
//! and <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html>.

use s3pg_crypto::{CustomerKey, EncryptionContext, SseCError, SseCHeaders, ssec};
use s3pg_kms::Caller as KmsCaller;

use crate::docs;
use crate::error::S3Error;
use crate::request::{Request, Scheme};
use crate::time::Timestamp;
use crate::trace::{Decision, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::{Identity, World};

/// `x-amz-server-side-encryption`.
pub const SSE_HEADER: &str = "x-amz-server-side-encryption";
/// `x-amz-server-side-encryption-aws-kms-key-id`.
pub const KMS_KEY_HEADER: &str = "x-amz-server-side-encryption-aws-kms-key-id";
/// `x-amz-server-side-encryption-bucket-key-enabled`.
pub const BUCKET_KEY_HEADER: &str = "x-amz-server-side-encryption-bucket-key-enabled";
/// `x-amz-server-side-encryption-context`.
pub const CONTEXT_HEADER: &str = "x-amz-server-side-encryption-context";
/// `x-amz-server-side-encryption-customer-algorithm`.
pub const SSEC_ALGORITHM: &str = "x-amz-server-side-encryption-customer-algorithm";
/// `x-amz-server-side-encryption-customer-key`.
pub const SSEC_KEY: &str = "x-amz-server-side-encryption-customer-key";
/// `x-amz-server-side-encryption-customer-key-MD5` (lower-cased, as request headers are kept).
pub const SSEC_KEY_MD5: &str = "x-amz-server-side-encryption-customer-key-md5";

pub use crate::model::{BucketEncryption, SealedBody};

mod kms;
mod read;

use kms::bucket_key_step;
pub(crate) use kms::{kms_caller, kms_step};
pub(crate) use read::{check_read_key, open_version, read_headers};

/// The encryption a write asked for, checked before authorization.
#[derive(Debug, Clone)]
pub(crate) enum WriteMode {
    /// No header: the bucket default applies after authorization.
    Default,
    /// `AES256`.
    SseS3,
    /// `aws:kms` / `aws:kms:dsse`, with the key-id header if given.
    SseKms { key: Option<String>, dsse: bool },
    /// SSE-C with the customer's key.
    SseC(Box<CustomerKey>),
}

/// The checked encryption headers of a write.
#[derive(Debug, Clone)]
pub(crate) struct WritePlan {
    pub mode: WriteMode,
    pub bucket_key: Option<bool>,
    pub context: Option<EncryptionContext>,
    pub client_side: bool,
}

pub(crate) fn ssec_error(e: &SseCError) -> S3Error {
    S3Error::other(e.status(), e.code(), e.aws_message())
}

fn invalid(message: &str) -> S3Error {
    S3Error::InvalidArgument {
        message: message.to_owned(),
    }
}

/// Checks a write's encryption headers in S3's order; the error comes with the sentence for the
/// trace.
pub(crate) fn plan_write(req: &Request, id: &Identity) -> Result<WritePlan, (S3Error, String)> {
    let sse = req.header_value(SSE_HEADER);
    let secure = req.network.scheme == Scheme::Https;
    let headers = SseCHeaders {
        algorithm: req.header_value(SSEC_ALGORITHM),
        key: req.header_value(SSEC_KEY),
        key_md5: req.header_value(SSEC_KEY_MD5),
    };
    if headers.is_present() {
        return match ssec::check_write(&headers, sse, secure) {
            Ok(Some(key)) => Ok(WritePlan {
                mode: WriteMode::SseC(Box::new(key)),
                bucket_key: None,
                context: None,
                client_side: false,
            }),
            Ok(None) => Err((
                invalid(
                    "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.",
                ),
                "the SSE-C headers are incomplete".to_owned(),
            )),
            Err(e) => {
                let why = format!(
                    "SSE-C check failed: {e}{}",
                    e.help().map(|h| format!("; {h}")).unwrap_or_default()
                );
                Err((ssec_error(&e), why))
            }
        };
    }
    let mode = match sse {
        None => WriteMode::Default,
        Some("AES256") => WriteMode::SseS3,
        Some(v @ ("aws:kms" | "aws:kms:dsse")) => WriteMode::SseKms {
            key: req.header_value(KMS_KEY_HEADER).map(str::to_owned),
            dsse: v == "aws:kms:dsse",
        },
        Some(v) => {
            return Err((
                invalid("The encryption method specified is not supported"),
                format!(
                    "`{v}` is not a server-side encryption method (use `AES256`, `aws:kms` or `aws:kms:dsse`)"
                ),
            ));
        }
    };
    if req.header_value(KMS_KEY_HEADER).is_some() && !matches!(mode, WriteMode::SseKms { .. }) {
        return Err((
            invalid(
                "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms",
            ),
            "a KMS key id was sent without `x-amz-server-side-encryption: aws:kms`".to_owned(),
        ));
    }
    if matches!(mode, WriteMode::SseKms { .. }) {
        if !secure {
            return Err((
                invalid(
                    "Requests specifying Server Side Encryption with AWS KMS managed keys must be made over a secure connection.",
                ),
                "SSE-KMS requests must use HTTPS".to_owned(),
            ));
        }
        if id.is_anonymous() {
            return Err((
                invalid(
                    "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.",
                ),
                "SSE-KMS requests must be signed with SigV4; an anonymous request is not"
                    .to_owned(),
            ));
        }
    }
    let context = match req.header_value(CONTEXT_HEADER) {
        Some(v) => Some(EncryptionContext::from_header(v).map_err(|_| {
            (
                invalid("The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map"),
                "the encryption context header is not base64 of a JSON object of strings".to_owned(),
            )
        })?),
        None => None,
    };
    let bucket_key = req
        .header_value(BUCKET_KEY_HEADER)
        .map(|v| v.eq_ignore_ascii_case("true"));
    let client_side = req.header_value("x-amz-meta-x-amz-key-v2").is_some()
        || req.header_value("x-amz-meta-x-amz-cek-alg").is_some();
    Ok(WritePlan {
        mode,
        bucket_key,
        context,
        client_side,
    })
}

/// What `apply_write` produced: the label stored on the version, the sealed body, the response
/// headers.
pub(crate) struct Sealed {
    /// `None`: stored unencrypted (classic exam mode, before January 2023).
    pub label: Option<String>,
    pub sealed: Option<SealedBody>,
    pub headers: Vec<(String, String)>,
    pub steps: Vec<GateStep>,
    pub etag: String,
}

/// The effective mode after the bucket default, with the trace step saying so.
#[expect(
    clippy::too_many_arguments,
    reason = "the request, the world and the object being written all take part"
)]
pub(crate) fn apply_write(
    world: &mut WorldRef<'_>,
    id: &Identity,
    req: &Request,
    now: Timestamp,
    bucket: &str,
    key: &str,
    plaintext: &[u8],
    plan: &WritePlan,
) -> Result<Sealed, WriteFailure> {
    seal_write(world, id, req, now, bucket, key, plaintext, plan, false)
}

/// [`apply_write`] for a caller that then stores the version with
/// `ops::versions::store_version` and reads nothing after: a dry run whose store is elided
/// skips sealing an SSE-S3 body (nothing observable depends on that ciphertext; the ETag of
/// SSE-S3 is the MD5 of the plaintext), though it still draws the entropy the seal would use.
#[expect(
    clippy::too_many_arguments,
    reason = "the request, the world and the object being written all take part"
)]
pub(crate) fn apply_write_then_store(
    world: &mut WorldRef<'_>,
    id: &Identity,
    req: &Request,
    now: Timestamp,
    bucket: &str,
    key: &str,
    plaintext: &[u8],
    plan: &WritePlan,
) -> Result<Sealed, WriteFailure> {
    seal_write(world, id, req, now, bucket, key, plaintext, plan, true)
}

#[expect(
    clippy::too_many_arguments,
    reason = "the request, the world and the object being written all take part"
)]
fn seal_write(
    world: &mut WorldRef<'_>,
    id: &Identity,
    req: &Request,
    now: Timestamp,
    bucket: &str,
    key: &str,
    plaintext: &[u8],
    plan: &WritePlan,
    stored_last: bool,
) -> Result<Sealed, WriteFailure> {
    let mut steps = Vec::new();
    let b = world
        .buckets
        .get(bucket)
        .ok_or((S3Error::NoSuchBucket, Vec::new(), None))?;
    let region = b.region.clone();
    let default = b
        .encryption
        .clone()
        .unwrap_or_else(BucketEncryption::sse_s3);
    let object_arn = format!("arn:aws:s3:::{bucket}/{key}");
    let bucket_arn = format!("arn:aws:s3:::{bucket}");
    if matches!(plan.mode, WriteMode::Default)
        && b.encryption.is_none()
        && world.exam_mode == crate::world::ExamMode::Classic
    {
        steps.push(
            GateStep::new(
                Gate::Encryption,
                StepOutcome::Info,
                "classic exam mode: no encryption header and no default encryption on the bucket, so the object is stored unencrypted, as S3 did before 5 January 2023 (today every new object gets SSE-S3)",
                docs::DEFAULT_ENCRYPTION,
            )
            .compare("exam mode", "Classic"),
        );
        return Ok(Sealed {
            label: None,
            sealed: None,
            headers: Vec::new(),
            steps,
            etag: s3pg_crypto::checksum::single_part_etag(None, plaintext, None),
        });
    }
    let mode = match &plan.mode {
        WriteMode::Default => {
            let mode = match default.sse_algorithm.as_str() {
                "aws:kms" | "aws:kms:dsse" => WriteMode::SseKms {
                    key: default.kms_master_key_id.clone(),
                    dsse: default.sse_algorithm == "aws:kms:dsse",
                },
                _ => WriteMode::SseS3,
            };
            steps.push(
                GateStep::new(
                    Gate::Encryption,
                    StepOutcome::Info,
                    format!(
                        "the request carries no `x-amz-server-side-encryption` header, so the bucket's default encryption (`{}`) applies — only now, after authorization: the bucket policy saw no `s3:x-amz-server-side-encryption` key",
                        default.sse_algorithm
                    ),
                    docs::DEFAULT_ENCRYPTION,
                )
                .compare("SSEAlgorithm", default.sse_algorithm.clone())
                .compare(
                    "KMSMasterKeyID",
                    default.kms_master_key_id.clone().unwrap_or_else(|| "(none)".to_owned()),
                ),
            );
            mode
        }
        m => m.clone(),
    };
    if plan.client_side {
        steps.push(GateStep::new(
            Gate::Encryption,
            StepOutcome::Info,
            "the body carries S3 Encryption Client metadata (`x-amz-meta-x-amz-key-v2`): it is already ciphertext made by the client, which S3 cannot read; S3 still encrypts it at rest",
            docs::CLIENT_SIDE,
        ));
    }
    let draw = world.next_draw();
    match mode {
        WriteMode::SseC(key_c) => {
            let mut e = world.entropy.stream(draw);
            seal_sse_c(&key_c, &default, &object_arn, plaintext, steps, &mut e)
        }
        WriteMode::SseS3 | WriteMode::Default => {
            seal_sse_s3(world, &object_arn, plaintext, steps, draw, stored_last)
        }
        WriteMode::SseKms { key: key_ref, dsse } => {
            let mut e = world.entropy.stream(draw);
            let bucket_key = !dsse
                && plan.bucket_key.unwrap_or(
                    matches!(plan.mode, WriteMode::Default) && default.bucket_key_enabled,
                );
            let caller = kms_caller(world, id, req, &region, now);
            let target = KmsTarget {
                bucket,
                bucket_arn: &bucket_arn,
                object_arn: &object_arn,
                key_ref: key_ref.as_deref(),
                dsse,
                bucket_key,
            };
            seal_sse_kms(world, &caller, &target, plan, plaintext, steps, &mut e)
        }
    }
}

/// Why a write could not be sealed: the error, the steps so far, the KMS decision if KMS refused.
type WriteFailure = (S3Error, Vec<GateStep>, Option<Decision>);

/// SSE-C: the customer's key seals the body; S3 keeps only a salted HMAC of it. Refused when the
/// bucket blocks SSE-C.
fn seal_sse_c(
    key_c: &CustomerKey,
    default: &BucketEncryption,
    object_arn: &str,
    plaintext: &[u8],
    mut steps: Vec<GateStep>,
    e: &mut s3pg_crypto::SeededEntropy,
) -> Result<Sealed, WriteFailure> {
    if default.blocks_sse_c() {
        let step = GateStep::new(
            Gate::Encryption,
            StepOutcome::Reject,
            "the bucket's encryption configuration blocks SSE-C (`BlockedEncryptionTypes` = `SSE-C`), the default for buckets created since April 2026",
            docs::SSE_C_BLOCKING,
        )
        .compare("BlockedEncryptionTypes", "SSE-C")
        .undocumented("AWS documents the 403 AccessDenied but not its message; the playground says `Access Denied`");
        steps.push(step);
        return Err((S3Error::access_denied(), steps, None));
    }
    let fingerprint = key_c.fingerprint(e);
    let body = s3pg_crypto::gcm::seal_fresh(key_c.key(), plaintext, object_arn.as_bytes(), e)
        .map_err(|err| {
            (
                S3Error::other(500, "InternalError", &err.to_string()),
                Vec::new(),
                None,
            )
        })?;
    let md5 = key_c.key_md5_base64();
    steps.push(
        GateStep::new(
            Gate::Encryption,
            StepOutcome::Info,
            "SSE-C: S3 encrypts the body with the customer's key, keeps only a salted HMAC of the key, and forgets the key",
            docs::SSE_C,
        )
        .compare("key MD5", md5.clone()),
    );
    let etag = s3pg_crypto::checksum::single_part_etag(
        Some(s3pg_crypto::responsibilities::EncryptionMode::SseC),
        plaintext,
        Some(&body),
    );
    Ok(Sealed {
        etag,
        label: Some("SSE-C".to_owned()),
        sealed: Some(SealedBody::SseC {
            fingerprint,
            key_md5: md5.clone(),
            body,
            object_arn: object_arn.to_owned(),
            size: plaintext.len(),
            parts: Vec::new(),
        }),
        headers: vec![
            (SSEC_ALGORITHM.to_owned(), "AES256".to_owned()),
            (SSEC_KEY_MD5.to_owned(), md5),
        ],
        steps,
    })
}

/// SSE-S3: a fresh data key wrapped by S3's root key (drawn on first use).
fn seal_sse_s3(
    world: &mut WorldRef<'_>,
    object_arn: &str,
    plaintext: &[u8],
    mut steps: Vec<GateStep>,
    draw: u64,
    stored_last: bool,
) -> Result<Sealed, WriteFailure> {
    // A dry run that keeps nothing would drop the sealed body unread, and S3's root key with it
    // when this write is the one that draws it: skip the cryptography (the draw is still counted).
    let sealed = if stored_last && !world.keeps_writes() {
        if world.sse_s3_root_key.is_none() {
            world.next_draw();
        }
        None
    } else {
        if world.sse_s3_root_key.is_none() {
            let w: &mut World = world;
            let mut k = w.entropy.next_stream();
            w.sse_s3_root_key = Some(s3pg_crypto::KeyRing::new("s3-root-key", &mut k));
        }
        let ring = world.sse_s3_root_key.as_ref().ok_or((
            S3Error::other(500, "InternalError", "no root key"),
            Vec::new(),
            None,
        ))?;
        let ctx = EncryptionContext::s3_arn(object_arn);
        let mut e = world.entropy.stream(draw);
        let sealed = s3pg_crypto::envelope_seal(plaintext, ring, &ctx, &mut e).map_err(|err| {
            (
                S3Error::other(500, "InternalError", &err.to_string()),
                Vec::new(),
                None,
            )
        })?;
        Some(SealedBody::SseS3 {
            sealed,
            object_arn: object_arn.to_owned(),
            size: plaintext.len(),
        })
    };
    steps.push(GateStep::new(
        Gate::Encryption,
        StepOutcome::Info,
        "SSE-S3: S3 draws a fresh data key, encrypts the body with AES-256-GCM and stores the data key wrapped by its own root key",
        docs::SSE_S3,
    ));
    Ok(Sealed {
        etag: s3pg_crypto::checksum::single_part_etag(None, plaintext, None),
        label: Some("AES256".to_owned()),
        sealed,
        headers: vec![(SSE_HEADER.to_owned(), "AES256".to_owned())],
        steps,
    })
}

/// Where an SSE-KMS write goes and how it asked to be sealed.
struct KmsTarget<'a> {
    bucket: &'a str,
    bucket_arn: &'a str,
    object_arn: &'a str,
    key_ref: Option<&'a str>,
    dsse: bool,
    bucket_key: bool,
}

/// SSE-KMS (and DSSE-KMS): `kms:GenerateDataKey` as the caller (through the bucket's S3 Bucket
/// Key when enabled), then the body sealed under the data key.
fn seal_sse_kms(
    world: &mut World,
    caller: &KmsCaller,
    t: &KmsTarget<'_>,
    plan: &WritePlan,
    plaintext: &[u8],
    mut steps: Vec<GateStep>,
    e: &mut s3pg_crypto::SeededEntropy,
) -> Result<Sealed, WriteFailure> {
    let KmsTarget {
        bucket,
        bucket_arn,
        object_arn,
        key_ref,
        dsse,
        bucket_key,
    } = *t;
    let base = if bucket_key { bucket_arn } else { object_arn };
    let mut ctx = EncryptionContext::s3_arn(base);
    if let Some(extra) = &plan.context {
        ctx = ctx.merged(extra);
    }
    if bucket_key {
        return bucket_key_write(
            world, caller, bucket, key_ref, bucket_arn, object_arn, plaintext, steps, e,
        );
    }
    let response = world.kms.generate_data_key_for_s3(caller, key_ref, &ctx, e);
    crate::audit::note_kms_event(world, &response.event);
    let shown_key = response
        .result
        .as_ref()
        .map(|g| g.key_arn.clone())
        .unwrap_or_else(|_| key_ref.unwrap_or("alias/aws/s3").to_owned());
    steps.push(kms_step(&response, &shown_key));
    let decision = response.authorization.as_ref().map(|a| a.decision);
    let grant = match response.result {
        Ok(g) => g,
        Err(err) => {
            let s3 = err.to_s3_error();
            return Err((
                S3Error::other(s3.status, &s3.code, &s3.message),
                steps,
                decision,
            ));
        }
    };
    let body = s3pg_crypto::seal_object(plaintext, &grant.plaintext, &ctx.canonical_bytes(), e)
        .map_err(|err| {
            (
                S3Error::other(500, "InternalError", &err.to_string()),
                Vec::new(),
                None,
            )
        })?;
    let label = if dsse { "aws:kms:dsse" } else { "aws:kms" };
    let mut headers = vec![
        (SSE_HEADER.to_owned(), label.to_owned()),
        (KMS_KEY_HEADER.to_owned(), grant.key_arn.clone()),
    ];
    if bucket_key {
        headers.push((BUCKET_KEY_HEADER.to_owned(), "true".to_owned()));
    }
    let etag = s3pg_crypto::checksum::single_part_etag(
        Some(s3pg_crypto::responsibilities::EncryptionMode::SseKmsCustomerManaged),
        plaintext,
        Some(&body),
    );
    Ok(Sealed {
        etag,
        label: Some(label.to_owned()),
        sealed: Some(SealedBody::SseKms {
            key_arn: grant.key_arn,
            encrypted_data_key: grant.encrypted_data_key,
            body,
            encryption_context: ctx.to_string(),
            bucket_key_enabled: bucket_key,
            encrypted_bucket_key: None,
            object_arn: object_arn.to_owned(),
            size: plaintext.len(),
        }),
        headers,
        steps,
    })
}

/// The encryption-context key naming the object (or, with a Bucket Key, the bucket).
pub(crate) const S3_ARN: &str = "aws:s3:arn";

/// An SSE-KMS write with an S3 Bucket Key: the bucket-level key comes from the bucket's cache
/// (one KMS call per key, requester and hour) and wraps a per-object data key.
#[expect(
    clippy::too_many_arguments,
    reason = "the request, the world and the object being written all take part"
)]
fn bucket_key_write(
    world: &mut World,
    caller: &KmsCaller,
    bucket: &str,
    key_ref: Option<&str>,
    bucket_arn: &str,
    object_arn: &str,
    plaintext: &[u8],
    mut steps: Vec<GateStep>,
    e: &mut s3pg_crypto::SeededEntropy,
) -> Result<Sealed, (S3Error, Vec<GateStep>, Option<Decision>)> {
    let mut cache = world
        .buckets
        .get_mut(bucket)
        .map(|b| std::mem::take(&mut b.bucket_keys))
        .unwrap_or_default();
    let r =
        cache.data_key_for_new_object(&mut world.kms, caller, key_ref, bucket_arn, object_arn, e);
    if let Some(b) = world.buckets.get_mut(bucket) {
        b.bucket_keys = cache;
    }
    if let Some(ev) = &r.event {
        crate::audit::note_kms_event(world, ev);
    }
    let shown = r
        .result
        .as_ref()
        .map(|k| k.key_arn.clone())
        .unwrap_or_else(|_| key_ref.unwrap_or("alias/aws/s3").to_owned());
    steps.push(bucket_key_step(&r, &shown, "kms:GenerateDataKey"));
    let decision = r.authorization.as_ref().map(|a| a.decision);
    let keyed = match r.result {
        Ok(k) => k,
        Err(err) => {
            let s3 = err.to_s3_error();
            return Err((
                S3Error::other(s3.status, &s3.code, &s3.message),
                steps,
                decision,
            ));
        }
    };
    let object_ctx = EncryptionContext::s3_arn(object_arn);
    let body =
        s3pg_crypto::seal_object(plaintext, &keyed.data_key, &object_ctx.canonical_bytes(), e)
            .map_err(|err| {
                (
                    S3Error::other(500, "InternalError", &err.to_string()),
                    Vec::new(),
                    None,
                )
            })?;
    let etag = s3pg_crypto::checksum::single_part_etag(
        Some(s3pg_crypto::responsibilities::EncryptionMode::SseKmsCustomerManaged),
        plaintext,
        Some(&body),
    );
    Ok(Sealed {
        etag,
        label: Some("aws:kms".to_owned()),
        headers: vec![
            (SSE_HEADER.to_owned(), "aws:kms".to_owned()),
            (KMS_KEY_HEADER.to_owned(), keyed.key_arn.clone()),
            (BUCKET_KEY_HEADER.to_owned(), "true".to_owned()),
        ],
        sealed: Some(SealedBody::SseKms {
            key_arn: keyed.key_arn,
            encrypted_data_key: keyed.encrypted_data_key,
            body,
            encryption_context: EncryptionContext::s3_arn(bucket_arn).to_string(),
            bucket_key_enabled: true,
            encrypted_bucket_key: Some(keyed.encrypted_bucket_key),
            object_arn: object_arn.to_owned(),
            size: plaintext.len(),
        }),
        steps,
    })
}

pub(crate) fn context_from_json(text: &str) -> EncryptionContext {
    let mut ctx = EncryptionContext::new();
    if let Ok(serde_json::Value::Object(m)) = serde_json::from_str::<serde_json::Value>(text) {
        for (k, v) in m {
            if let Some(s) = v.as_str() {
                ctx.insert(&k, s);
            }
        }
    }
    ctx
}
