//! Object writes: PutObject and CopyObject — ownership of the new object, its ACL, encryption
//! at rest, and the new version.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html>.

use serde_json::json;

use super::acl::{acl_keys, check_acl_write, header_acl};
use super::common::{authorize, bucket_mut, bucket_ref, fail_with_steps};
use super::versions::{locate, target_owner, version_error, version_keys, write_version};
use crate::acl::Acl;
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{ANONYMOUS_OWNER, ObjectOwnership, ObjectVersion, Versioning};
use crate::pipeline::WorldRef;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::world::Identity;

/// Context keys a write carries: `s3:x-amz-server-side-encryption*`, `s3:x-amz-storage-class`, ACL keys.
pub(super) fn write_keys(ex: &Exchange<'_>) -> Vec<(String, Vec<String>)> {
    let mut keys = acl_keys(ex);
    for h in [
        "x-amz-server-side-encryption",
        "x-amz-server-side-encryption-aws-kms-key-id",
        "x-amz-server-side-encryption-customer-algorithm",
        "x-amz-storage-class",
    ] {
        if let Some(v) = ex.req.header_value(h) {
            keys.push((format!("s3:{h}"), vec![v.to_owned()]));
        }
    }
    keys
}

#[expect(
    clippy::too_many_arguments,
    reason = "copy passes the source's metadata through"
)]
pub(super) fn put_object_inner(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    body: String,
    copied: Option<(&ObjectVersion, String)>,
    extra_checks: Vec<Check>,
) -> Result<(), S3Error> {
    let (copied, copy_source) = match copied {
        Some((v, s)) => (Some(v), Some(s)),
        None => (None, None),
    };
    let plan = match crate::encryption::plan_write(ex.req, id) {
        Ok(p) => p,
        Err((e, why)) => {
            return Err(ex.reject(Gate::RequestValidation, e, why, docs::SSE_S3));
        }
    };
    let bucket = bucket_ref(world, name)?.clone();
    let lock = super::object_lock::plan_write(ex, &bucket)?;
    let acl_req = header_acl(ex)?;
    let writer = id
        .account
        .clone()
        .unwrap_or_else(|| ANONYMOUS_OWNER.to_owned());
    let wants_bofc = ex.req.header_value("x-amz-acl") == Some("bucket-owner-full-control");
    let owner = match bucket.object_ownership {
        ObjectOwnership::BucketOwnerEnforced => bucket.owner.clone(),
        ObjectOwnership::BucketOwnerPreferred if wants_bofc => bucket.owner.clone(),
        ObjectOwnership::BucketOwnerPreferred | ObjectOwnership::ObjectWriter => writer.clone(),
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
    let mut checks = extra_checks;
    let mut keys = write_keys(ex);
    if let Some(source) = copy_source {
        keys.push(("s3:x-amz-copy-source".to_owned(), vec![source]));
    }
    keys.extend(lock.keys.iter().cloned());
    checks.push(Check::object("s3:PutObject", name, key, &bucket.owner).keys(keys));
    for action in &lock.actions {
        checks.push(Check::object(action, name, key, &bucket.owner).keys(lock.keys.clone()));
    }
    if acl.is_some() {
        checks.push(Check::object("s3:PutObjectAcl", name, key, &bucket.owner).keys(acl_keys(ex)));
    }
    if let Err(e) = authorize(world, ex, id, &checks) {
        if matches!(plan.mode, crate::encryption::WriteMode::Default)
            && !(world.exam_mode == crate::world::ExamMode::Classic && bucket.encryption.is_none())
        {
            let default = bucket
                .encryption
                .as_ref()
                .map_or("AES256", |c| c.sse_algorithm.as_str())
                .to_owned();
            ex.step(
                GateStep::new(
                    Gate::Encryption,
                    StepOutcome::NotApplicable,
                    format!(
                        "default encryption (`{default}`) would have encrypted this upload, but S3 applies it only after authorization: the bucket policy saw a request without `s3:x-amz-server-side-encryption`"
                    ),
                    docs::DEFAULT_ENCRYPTION,
                )
                .compare("s3:x-amz-server-side-encryption", "(absent)"),
            );
        }
        return Err(e);
    }
    let ownership_text = match bucket.object_ownership {
        ObjectOwnership::BucketOwnerEnforced => format!(
            "Object Ownership is `BucketOwnerEnforced`: the bucket owner `{}` owns the new object",
            bucket.owner
        ),
        ObjectOwnership::BucketOwnerPreferred if wants_bofc => format!(
            "Object Ownership is `BucketOwnerPreferred` and the upload carries `bucket-owner-full-control`: the bucket owner `{}` owns it",
            bucket.owner
        ),
        ObjectOwnership::BucketOwnerPreferred => format!(
            "Object Ownership is `BucketOwnerPreferred` but the upload has no `bucket-owner-full-control` ACL: the writer `{writer}` owns it"
        ),
        ObjectOwnership::ObjectWriter => format!(
            "Object Ownership is `ObjectWriter`: the writing account `{writer}` owns the new object"
        ),
    };
    ex.step(
        GateStep::new(
            Gate::ObjectOwnership,
            StepOutcome::Info,
            ownership_text,
            docs::OWNERSHIP,
        )
        .compare("ObjectOwnership", bucket.object_ownership.as_str())
        .compare("object owner", owner.clone()),
    );
    let acl = if bucket.acls_enabled() {
        Some(acl.unwrap_or_else(|| Acl::private(&owner)))
    } else {
        None
    };
    let mut metadata = copied.map(|c| c.metadata.clone()).unwrap_or_default();
    for (k, v) in &ex.req.headers {
        if k.starts_with("x-amz-meta-") || k == "content-type" {
            metadata.insert(k.clone(), v.clone());
        }
    }
    let sealed = match crate::encryption::apply_write(
        world,
        id,
        ex.req,
        ex.now,
        name,
        key,
        body.as_bytes(),
        &plan,
    ) {
        Ok(sealed) => sealed,
        Err((e, steps, decision)) => {
            fail_with_steps(ex, steps, decision, &e);
            return Err(e);
        }
    };
    ex.trace.extend(sealed.steps);
    let version = ObjectVersion {
        version_id: String::new(),
        delete_marker: false,
        owner: owner.clone(),
        acl,
        metadata,
        encryption: sealed.label,
        body: if sealed.sealed.is_some() {
            String::new()
        } else {
            body
        },
        etag: sealed.etag.clone(),
        sealed: sealed.sealed,
        last_modified: ex.now,
        object_lock: lock.lock,
    };
    let seq = world.next_seq();
    let bucket = bucket_mut(world, name)?;
    let versioning = bucket.versioning;
    let vid = write_version(bucket, key, version, seq);
    if versioning != Versioning::Unversioned {
        ex.headers.insert("x-amz-version-id".into(), vid.clone());
    }
    for (h, v) in sealed.headers {
        ex.headers.insert(h, v);
    }
    ex.headers.insert("etag".into(), sealed.etag);
    ex.effects.push(Effect::ObjectWritten {
        bucket: name.to_owned(),
        key: key.to_owned(),
        version_id: vid,
        owner,
    });
    Ok(())
}

pub(super) fn put_object(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    body: String,
) -> Result<(), S3Error> {
    put_object_inner(world, ex, id, name, key, body, None, Vec::new())
}

#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the CopyObject parameters"
)]
pub(super) fn copy_object(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    source_bucket: &str,
    source_key: &str,
    source_version: Option<&str>,
) -> Result<(), S3Error> {
    let Some(src_bucket) = world.buckets.get(source_bucket).cloned() else {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::NoSuchBucket,
            format!("the source bucket `{source_bucket}` does not exist"),
            docs::COPY_OBJECT,
        ));
    };
    let src_owner = target_owner(&src_bucket, source_key, source_version);
    let src_action = if source_version.is_some() {
        "s3:GetObjectVersion"
    } else {
        "s3:GetObject"
    };
    let source_check = Check::object(src_action, source_bucket, source_key, &src_owner)
        .keys(version_keys(source_version));
    let copy_source = match source_version {
        Some(v) => format!("{source_bucket}/{source_key}?versionId={v}"),
        None => format!("{source_bucket}/{source_key}"),
    };
    let src = match locate(&src_bucket, source_key, source_version) {
        Ok(v) => Some(v.clone()),
        Err(_) => None,
    };
    let Some(src) = src else {
        authorize(world, ex, id, &[source_check])?;
        return match locate(&src_bucket, source_key, source_version) {
            Err((S3Error::MethodNotAllowed, _)) => Err(ex.reject(
                Gate::RequestValidation,
                S3Error::InvalidRequest {
                    message: "The source of a copy request may not specifically refer to a delete marker by version id."
                        .to_owned(),
                },
                "the copy source names a delete marker by version id",
                docs::COPY_OBJECT,
            )),
            Err((e, m)) => Err(version_error(ex, e, m, source_key)),
            Ok(_) => Err(S3Error::NoSuchKey),
        };
    };
    let (plaintext, extra) = if src.sealed.is_some() {
        // The source must be readable first: authorize it, then decrypt it (kms:Decrypt for
        // SSE-KMS, the copy-source SSE-C headers for SSE-C).
        authorize(world, ex, id, std::slice::from_ref(&source_check))?;
        let customer_key = match crate::encryption::check_read_key(ex.req, &src, true) {
            Ok(k) => k,
            Err((e, why)) => return Err(ex.reject(Gate::Encryption, e, why, docs::SSE_C)),
        };
        super::object_read::refuse_kms_over_http(ex, &src)?;
        let mut steps = Vec::new();
        let region = src_bucket.region.clone();
        match crate::encryption::open_version(
            world,
            id,
            ex.req,
            ex.now,
            &region,
            &src,
            customer_key.as_ref(),
            &mut steps,
        ) {
            Ok(p) => {
                ex.trace.extend(steps);
                (String::from_utf8_lossy(&p).into_owned(), Vec::new())
            }
            Err((e, decision)) => {
                fail_with_steps(ex, steps, decision, &e);
                return Err(e);
            }
        }
    } else {
        (src.body.clone(), vec![source_check])
    };
    put_object_inner(
        world,
        ex,
        id,
        name,
        key,
        plaintext,
        Some((&src, copy_source)),
        extra,
    )?;
    ex.body = Some(json!({ "CopyObjectResult": { "LastModified": ex.now.to_string() } }));
    if source_version.is_some() || src_bucket.versioning != Versioning::Unversioned {
        ex.headers.insert(
            "x-amz-copy-source-version-id".into(),
            src.version_id.clone(),
        );
    }
    Ok(())
}
