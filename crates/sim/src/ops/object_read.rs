//! Object reads: GetObject and HeadObject, with S3's 403-versus-404 for missing keys and the
//! decryption of what S3 stored.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html>.

use serde_json::json;

use super::common::{bucket_ref, fail_with_steps, quietly_allowed};
use super::plan::{KmsCall, Plan};
use super::versions::{locate, target_owner, version_error, version_keys};
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{ObjectVersion, Versioning};
use crate::trace::{Decision, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::{Identity, World};

pub(super) fn missing_key(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
) -> S3Error {
    let probe = Check::bucket("s3:ListBucket", name)
        .keys(vec![("s3:prefix".to_owned(), vec![key.to_owned()])]);
    let can_list = quietly_allowed(world, ex, id, &probe);
    if can_list {
        ex.reject(
            Gate::Execution,
            S3Error::NoSuchKey,
            format!("there is no object `{key}`, and the caller has `s3:ListBucket`, so S3 may say so (404)"),
            docs::MISSING_KEY,
        )
    } else {
        let e = ex.reject(
            Gate::Execution,
            S3Error::access_denied(),
            format!("there is no object `{key}`, but the caller lacks `s3:ListBucket`, so S3 answers 403 to avoid revealing whether the key exists"),
            docs::MISSING_KEY,
        );
        ex.decision = Some(Decision::ImplicitDeny);
        e
    }
}

/// The `kms:Decrypt` S3 calls on the reader's behalf to open an SSE-KMS version.
pub(super) fn decrypt_call(v: &ObjectVersion) -> Option<KmsCall> {
    match &v.sealed {
        Some(crate::encryption::SealedBody::SseKms { key_arn, .. }) => Some(KmsCall {
            action: "kms:Decrypt",
            key: key_arn.clone(),
            ahead: None,
        }),
        _ => None,
    }
}

/// GetObject and HeadObject (`head`): one permission on the object (its version's owner decides
/// the grant), then `kms:Decrypt` for an SSE-KMS body (not for HEAD).
pub(super) fn get_object<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    name: &'r str,
    key: &'r str,
    version_id: Option<&'r str>,
    head: bool,
) -> Result<Plan<'r>, S3Error> {
    if ex.req.header_value(crate::encryption::SSE_HEADER).is_some() {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidArgument {
                message: "x-amz-server-side-encryption header is not supported for this operation.".to_owned(),
            },
            "reads never carry `x-amz-server-side-encryption`: S3 knows how the object is encrypted and decrypts it itself",
            docs::SSE_S3,
        ));
    }
    let bucket = bucket_ref(world, name)?;
    let owner = target_owner(bucket, key, version_id);
    let action = if version_id.is_some() {
        "s3:GetObjectVersion"
    } else {
        "s3:GetObject"
    };
    let kms = match locate(bucket, key, version_id) {
        Ok(v) if !head => decrypt_call(v).into_iter().collect(),
        _ => Vec::new(),
    };
    Ok(Plan::new(
        vec![Check::object(action, name, key, &owner).keys(version_keys(version_id))],
        move |world, ex, id, _| read(world, ex, id, name, key, version_id, head),
    )
    .kms(kms))
}

/// GetObject's execution: 403-versus-404 for a missing key, the SSE-C key, decryption, headers.
fn read(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    version_id: Option<&str>,
    head: bool,
) -> Result<(), S3Error> {
    let region = bucket_ref(world, name)?.region.clone();
    let bucket = bucket_ref(world, name)?;
    let versioned = bucket.versioning != Versioning::Unversioned;
    match locate(bucket, key, version_id)
        .cloned()
        .map_err(|(e, m)| (e, m.cloned()))
    {
        Ok(v) => {
            let customer_key = match crate::encryption::check_read_key(ex.req, &v, false) {
                Ok(k) => k,
                Err((e, why)) => return Err(ex.reject(Gate::Encryption, e, why, docs::SSE_C)),
            };
            if !head {
                refuse_kms_over_http(ex, &v)?;
            }
            let plaintext = if head {
                None
            } else {
                let mut steps = Vec::new();
                match crate::encryption::open_version(
                    world,
                    id,
                    ex.req,
                    ex.now,
                    &region,
                    &v,
                    customer_key.as_ref(),
                    &mut steps,
                ) {
                    Ok(p) => {
                        // The KMS call made on the reader's behalf is shown, allowed.
                        ex.trace.extend(steps);
                        Some(p)
                    }
                    Err((e, decision)) => {
                        fail_with_steps(ex, steps, decision, &e);
                        return Err(e);
                    }
                }
            };
            if let Some(s) = &v.sealed {
                let mut step = GateStep::new(
                    Gate::Encryption,
                    StepOutcome::Info,
                    if head {
                        format!(
                            "HEAD returns only metadata, so S3 decrypts nothing; stored as {}",
                            s.describe()
                        )
                    } else {
                        format!(
                            "S3 decrypts the stored ciphertext for the authorized reader; stored as {}",
                            s.describe()
                        )
                    },
                    docs::SSE_S3,
                );
                if head && matches!(s, crate::encryption::SealedBody::SseKms { .. }) {
                    step = step.undocumented("the HeadObject page does not say whether S3 calls KMS for a HEAD; the playground, like common experience, asks for no kms:Decrypt");
                }
                ex.step(step);
            }
            for (h, val) in crate::encryption::read_headers(&v) {
                ex.headers.insert(h, val);
            }
            if !v.etag.is_empty() {
                ex.headers.insert("etag".into(), v.etag.clone());
            }
            let v = &v;
            let _ = versioned;
            if versioned || version_id.is_some() {
                ex.headers
                    .insert("x-amz-version-id".into(), v.version_id.clone());
            }
            ex.headers
                .insert("content-length".into(), v.size().to_string());
            ex.headers
                .insert("last-modified".into(), v.last_modified.to_string());
            for (k, val) in &v.metadata {
                ex.headers.insert(k.clone(), val.clone());
            }
            if let Some(p) = plaintext {
                ex.body = Some(json!({ "Body": String::from_utf8_lossy(&p) }));
            }
            Ok(())
        }
        Err((S3Error::NoSuchKey, None)) => Err(missing_key(world, ex, id, name, key)),
        Err((e, m)) => Err(version_error(ex, e, m.as_ref(), key)),
    }
}

/// Refuses a plain-HTTP read of an SSE-KMS version (a GET, or a copy's source): every GET and PUT
/// of an object protected by AWS KMS must use TLS
/// (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html>).
pub(super) fn refuse_kms_over_http(
    ex: &mut Exchange<'_>,
    v: &ObjectVersion,
) -> Result<(), S3Error> {
    if !matches!(v.sealed, Some(crate::encryption::SealedBody::SseKms { .. }))
        || ex.req.network.scheme == crate::request::Scheme::Https
    {
        return Ok(());
    }
    let e = ex.reject(
        Gate::Encryption,
        S3Error::InvalidArgument {
            message: "Requests specifying Server Side Encryption with AWS KMS managed keys must be made over a secure connection.".to_owned(),
        },
        "the object is encrypted with SSE-KMS, and every GET or PUT of an object protected by AWS KMS must use TLS: S3 refuses a plain-HTTP read before calling KMS",
        docs::PUT_OBJECT,
    );
    if let Some(s) = ex.trace.last_mut() {
        s.undocumented = Some("AWS documents that a plain-HTTP GET of an SSE-KMS object fails (PutObject API page) but not the response; the playground answers as for an SSE-KMS upload over HTTP, 400 InvalidArgument".to_owned());
    }
    Err(e)
}
