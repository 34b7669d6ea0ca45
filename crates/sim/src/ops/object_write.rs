//! Object writes: PutObject and CopyObject — ownership of the new object, its ACL, encryption
//! at rest, and the new version.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html>.

use serde_json::json;

use super::acl::{acl_keys, check_acl_write, header_acl};
use super::common::{HeaderAcl, bucket_ref, fail_with_steps};
use super::plan::{KmsCall, Plan};
use super::versions::{locate, store_version, target_owner, version_error, version_keys};
use crate::acl::Acl;
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{ANONYMOUS_OWNER, Bucket, ObjectOwnership, ObjectVersion, Versioning};
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::{Identity, World};

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
            keys.push((["s3:", h].concat(), vec![v.to_owned()]));
        }
    }
    keys
}

/// What a write decided before authorization: the checked encryption headers, who will own the
/// new object and the ACL it asked for.
pub(super) struct Write {
    encryption: crate::encryption::WritePlan,
    owner: String,
    writer: String,
    wants_bofc: bool,
    acl: Option<Acl>,
    bucket_owner: String,
    object_ownership: ObjectOwnership,
    acls_enabled: bool,
    lock: crate::object_lock::VersionLock,
    /// The new object's tags: those of `x-amz-tagging` (none for a PutObject without it), or
    /// `None` to keep a copy source's tags.
    tags: Option<std::collections::BTreeMap<String, String>>,
}

/// A write's permissions, KMS call and denial note, and what [`write`] needs.
pub(super) struct PlannedWrite {
    checks: Vec<Check>,
    kms: Vec<KmsCall>,
    if_denied: Option<GateStep>,
    write: Write,
}

/// A write's plan: the checks S3 makes before authorization (encryption headers, the ACL against
/// Object Ownership and Block Public Access), the permissions (`s3:PutObject`, and
/// `s3:PutObjectAcl` when an ACL is set), the `kms:GenerateDataKey` an SSE-KMS write needs, and
/// the note for a denied upload that default encryption would have encrypted.
pub(super) fn plan_write(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    copy_source: Option<String>,
) -> Result<PlannedWrite, S3Error> {
    let encryption = match crate::encryption::plan_write(ex.req, id) {
        Ok(p) => p,
        Err((e, why)) => {
            return Err(ex.reject(Gate::RequestValidation, e, why, docs::SSE_S3));
        }
    };
    let bucket = bucket_ref(world, name)?;
    let lock = super::object_lock::plan_lock(ex, bucket)?;
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
        check_acl_write(world, ex, bucket, acl, &owner)?;
    }
    let mut keys = write_keys(ex);
    // CopyObject keeps the source's tags unless `x-amz-tagging-directive: REPLACE`.
    let replace_tags =
        copy_source.is_none() || ex.req.header_value("x-amz-tagging-directive") == Some("REPLACE");
    if let Some(source) = copy_source {
        keys.push(("s3:x-amz-copy-source".to_owned(), vec![source]));
    }
    keys.extend(lock.keys.iter().cloned());
    let header_tags = if replace_tags {
        super::tagging::header_tags(ex, name, key, &bucket.owner)?
    } else {
        None
    };
    if let Some((tags, _)) = &header_tags {
        keys.extend(super::tagging::request_tag_keys(tags));
    }
    let mut checks = vec![Check::object("s3:PutObject", name, key, &bucket.owner).keys(keys)];
    // An ACL that only gives the bucket owner full control (`bucket-owner-full-control`, or
    // `x-amz-grant-full-control` naming the bucket owner alone) needs no `s3:PutObjectAcl`: the
    // S3 User Guide's cross-account upload examples grant only `s3:PutObject` for it, though the
    // PutObject API page lists `s3:PutObjectAcl` for any ACL (E3 in notes/fidelity-review.md).
    let owner_only = owner_only_acl(world, bucket, &acl_req);
    if acl.is_some() && owner_only {
        ex.step(
            crate::trace::GateStep::new(
                crate::trace::Gate::RequiredPermissions,
                crate::trace::StepOutcome::Info,
                "the ACL only gives the bucket owner full control, so the upload needs `s3:PutObject` alone (the User Guide's cross-account examples); any other ACL also needs `s3:PutObjectAcl`",
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-condition-keys.html",
            )
            .action("s3:PutObject")
            .undocumented("the PutObject API page lists s3:PutObjectAcl for every ACL header; the User Guide's example policies grant only s3:PutObject for this one"),
        );
    } else if acl.is_some() {
        checks.push(Check::object("s3:PutObjectAcl", name, key, &bucket.owner).keys(acl_keys(ex)));
    }
    // Object Lock headers need their own permissions (s3:PutObjectRetention, s3:PutObjectLegalHold).
    for action in &lock.actions {
        checks.push(Check::object(action, name, key, &bucket.owner).keys(lock.keys.clone()));
    }
    let tags = match header_tags {
        Some((tags, check)) => {
            checks.push(check);
            Some(tags)
        }
        None if replace_tags => Some(std::collections::BTreeMap::new()),
        None => None,
    };
    let (kms, if_denied) = kms_and_default_note(world, bucket, &encryption);
    let write = Write {
        encryption,
        owner,
        writer,
        wants_bofc,
        acl,
        bucket_owner: bucket.owner.clone(),
        object_ownership: bucket.object_ownership,
        acls_enabled: bucket.acls_enabled(),
        lock: lock.lock,
        tags,
    };
    Ok(PlannedWrite {
        checks,
        kms,
        if_denied,
        write,
    })
}

/// True when the write's ACL only gives the bucket owner full control
/// (`bucket-owner-full-control`, or `x-amz-grant-full-control` naming the bucket owner alone).
fn owner_only_acl(world: &World, bucket: &Bucket, acl_req: &HeaderAcl) -> bool {
    match acl_req {
        Some((Some(c), _)) => *c == crate::acl::CannedAcl::BucketOwnerFullControl,
        Some((None, grants)) => {
            !grants.is_empty()
                && grants.iter().all(|g| {
                    g.permission == crate::acl::Permission::FullControl
                        && match &g.grantee {
                            crate::acl::Grantee::CanonicalUser(id) => {
                                *id == world.canonical_id(&bucket.owner)
                            }
                            crate::acl::Grantee::Account(a) => *a == bucket.owner,
                            _ => false,
                        }
                })
        }
        None => false,
    }
}

/// The `kms:GenerateDataKey` an SSE-KMS write needs: the key asked for, or the bucket's default
/// key when default encryption is SSE-KMS (`alias/aws/s3` when the default names none). Shared by
/// PutObject, CopyObject and CreateMultipartUpload.
pub(crate) fn write_kms_calls(
    world: &World,
    bucket: &Bucket,
    encryption: &crate::encryption::WritePlan,
) -> Vec<KmsCall> {
    let classic_plain =
        world.exam_mode == crate::world::ExamMode::Classic && bucket.encryption.is_none();
    let default_kms = bucket
        .encryption
        .as_ref()
        .filter(|c| c.sse_algorithm.starts_with("aws:kms"));
    let kms_key = match &encryption.mode {
        crate::encryption::WriteMode::SseKms { key, .. } => Some(key.clone()),
        crate::encryption::WriteMode::Default if !classic_plain => {
            default_kms.map(|c| c.kms_master_key_id.clone())
        }
        _ => None,
    };
    kms_key
        .map(|k| KmsCall {
            action: "kms:GenerateDataKey",
            key: k.unwrap_or_else(|| "alias/aws/s3".to_owned()),
            ahead: None,
        })
        .into_iter()
        .collect()
}

/// The `kms:GenerateDataKey` an SSE-KMS write needs ([`write_kms_calls`]), and the note a denied
/// upload gets when default encryption would have encrypted it.
fn kms_and_default_note(
    world: &World,
    bucket: &Bucket,
    encryption: &crate::encryption::WritePlan,
) -> (Vec<KmsCall>, Option<GateStep>) {
    let classic_plain =
        world.exam_mode == crate::world::ExamMode::Classic && bucket.encryption.is_none();
    let default = bucket
        .encryption
        .as_ref()
        .map_or("AES256", |c| c.sse_algorithm.as_str())
        .to_owned();
    let kms = write_kms_calls(world, bucket, encryption);
    let if_denied = (matches!(encryption.mode, crate::encryption::WriteMode::Default) && !classic_plain)
        .then(|| {
            GateStep::new(
                Gate::Encryption,
                StepOutcome::NotApplicable,
                format!(
                    "default encryption (`{default}`) would have encrypted this upload, but S3 applies it only after authorization: the bucket policy saw a request without `s3:x-amz-server-side-encryption`"
                ),
                docs::DEFAULT_ENCRYPTION,
            )
            .compare("s3:x-amz-server-side-encryption", "(absent)")
        });
    (kms, if_denied)
}

/// A write's execution: the owner, the ACL, encryption at rest (with the planned KMS call), the
/// new version.
#[expect(
    clippy::too_many_arguments,
    reason = "a copy passes its source's body and metadata through"
)]
pub(super) fn write(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    key: &str,
    w: Write,
    body: String,
    copied: Option<&ObjectVersion>,
) -> Result<(), S3Error> {
    let Write {
        encryption: plan,
        owner,
        writer,
        wants_bofc,
        acl,
        bucket_owner,
        object_ownership,
        acls_enabled,
        lock,
        tags,
    } = w;
    let ownership_text = match object_ownership {
        ObjectOwnership::BucketOwnerEnforced => format!(
            "Object Ownership is `BucketOwnerEnforced`: the bucket owner `{bucket_owner}` owns the new object"
        ),
        ObjectOwnership::BucketOwnerPreferred if wants_bofc => format!(
            "Object Ownership is `BucketOwnerPreferred` and the upload carries `bucket-owner-full-control`: the bucket owner `{bucket_owner}` owns it"
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
        .compare("ObjectOwnership", object_ownership.as_str())
        .compare("object owner", owner.clone()),
    );
    let acl = if acls_enabled {
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
    let sealed = match crate::encryption::apply_write_then_store(
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
    if let Some(t) = tags.as_ref().filter(|t| !t.is_empty()) {
        ex.step(super::tagging::header_step(t));
    }
    let tags = tags.unwrap_or_else(|| copied.map(|c| c.tags.clone()).unwrap_or_default());
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
        object_lock: lock,
        tags,
    };
    let seq = world.next_seq();
    let versioning = bucket_ref(world, name)?.versioning;
    // INVARIANT: the store is the execution's last read or write of the bucket's objects (a dry
    // run may elide it).
    let vid = store_version(world, name, key, version, seq)?;
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

pub(super) fn put_object<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    name: &'r str,
    key: &'r str,
    body: &'r str,
) -> Result<Plan<'r>, S3Error> {
    let PlannedWrite {
        checks,
        mut kms,
        if_denied,
        write: w,
    } = plan_write(world, ex, id, name, key, None)?;
    kms_ahead(world, name, key, &w.encryption, &mut kms);
    Ok(Plan::new(checks, move |world, ex, id, _| {
        write(world, ex, id, name, key, w, body.to_owned(), None)
    })
    .kms(kms)
    .if_denied(if_denied))
}

/// Lets the authorization stage ask KMS about an upload's `kms:GenerateDataKey` before anything
/// runs: the call's encryption context is the object ARN (plus the request's own pairs). Not
/// with an S3 Bucket Key, whose bucket-level key may come from S3's cache without a KMS call
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html>).
fn kms_ahead(
    world: &World,
    name: &str,
    key: &str,
    plan: &crate::encryption::WritePlan,
    kms: &mut [KmsCall],
) {
    let Some(bucket) = world.buckets.get(name) else {
        return;
    };
    let default = bucket.encryption.as_ref();
    let (dsse, default_mode) = match &plan.mode {
        crate::encryption::WriteMode::SseKms { dsse, .. } => (*dsse, false),
        crate::encryption::WriteMode::Default => (
            default.is_some_and(|d| d.sse_algorithm == "aws:kms:dsse"),
            true,
        ),
        _ => return,
    };
    let bucket_key = !dsse
        && plan
            .bucket_key
            .unwrap_or(default_mode && default.is_some_and(|d| d.bucket_key_enabled));
    if bucket_key {
        return;
    }
    let mut context = s3pg_crypto::EncryptionContext::s3_arn(&format!("arn:aws:s3:::{name}/{key}"));
    if let Some(extra) = &plan.context {
        context = context.merged(extra);
    }
    for call in kms.iter_mut() {
        call.ahead = Some(super::plan::KmsAhead {
            context: context.clone(),
            region: bucket.region.clone(),
        });
    }
}

/// CopyObject: the source must exist (or the caller is told why not once allowed to read it);
/// the plan needs the source read and the destination write together, then `kms:Decrypt` for an
/// SSE-KMS source and `kms:GenerateDataKey` for an SSE-KMS destination.
#[expect(
    clippy::too_many_arguments,
    reason = "mirrors the CopyObject parameters"
)]
pub(super) fn copy_object<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    name: &'r str,
    key: &'r str,
    source_bucket: &'r str,
    source_key: &'r str,
    source_version: Option<&'r str>,
) -> Result<Plan<'r>, S3Error> {
    let Some(src_bucket) = world.buckets.get(source_bucket) else {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::NoSuchBucket,
            format!("the source bucket `{source_bucket}` does not exist"),
            docs::COPY_OBJECT,
        ));
    };
    let src_owner = target_owner(src_bucket, source_key, source_version);
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
    let Ok(src) = locate(src_bucket, source_key, source_version) else {
        // Only a caller allowed to read the source learns why it cannot be copied.
        return Ok(Plan::new(vec![source_check], move |world, ex, _, _| {
            let src_bucket = bucket_ref(world, source_bucket)?;
            match locate(src_bucket, source_key, source_version) {
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
            }
        }));
    };
    let src = src.clone();
    let source_versioned = src_bucket.versioning != Versioning::Unversioned;
    let PlannedWrite {
        checks: write_checks,
        kms: write_kms,
        if_denied,
        write: w,
    } = plan_write(world, ex, id, name, key, Some(copy_source))?;
    let mut checks = vec![source_check];
    checks.extend(write_checks);
    let mut kms: Vec<KmsCall> = super::object_read::decrypt_call(&src).into_iter().collect();
    kms.extend(write_kms);
    Ok(Plan::new(checks, move |world, ex, id, _| {
        let plaintext = if src.sealed.is_some() {
            read_sealed_source(world, ex, id, source_bucket, &src)?
        } else {
            src.body.clone()
        };
        write(world, ex, id, name, key, w, plaintext, Some(&src))?;
        ex.body = Some(json!({ "CopyObjectResult": { "LastModified": ex.now.to_string() } }));
        if source_version.is_some() || source_versioned {
            ex.headers.insert(
                "x-amz-copy-source-version-id".into(),
                src.version_id.clone(),
            );
        }
        Ok(())
    })
    .kms(kms)
    .if_denied(if_denied))
}

/// Decrypts an encrypted copy source for the authorized caller: the copy-source SSE-C headers,
/// TLS for SSE-KMS, then `kms:Decrypt` (SSE-KMS) or the customer's key (SSE-C).
fn read_sealed_source(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    source_bucket: &str,
    src: &ObjectVersion,
) -> Result<String, S3Error> {
    let customer_key = match crate::encryption::check_read_key(ex.req, src, true) {
        Ok(k) => k,
        Err((e, why)) => return Err(ex.reject(Gate::Encryption, e, why, docs::SSE_C)),
    };
    super::object_read::refuse_kms_over_http(ex, src)?;
    let mut steps = Vec::new();
    let region = bucket_ref(world, source_bucket)?.region.clone();
    match crate::encryption::open_version(
        world,
        id,
        ex.req,
        ex.now,
        &region,
        src,
        customer_key.as_ref(),
        &mut steps,
    ) {
        Ok(p) => {
            ex.trace.extend(steps);
            Ok(String::from_utf8_lossy(&p).into_owned())
        }
        Err((e, decision)) => {
            fail_with_steps(ex, steps, decision, &e);
            Err(e)
        }
    }
}
