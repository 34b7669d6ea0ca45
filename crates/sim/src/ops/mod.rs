//! The operations, one module per family, and [`plan`], which hands each request to its
//! operation once the caller is authenticated.
//!
//! Where to start reading: [`plan`] below, then the family of the operation you care about;
//! [`crate::pipeline`] runs the stages.
//!
//! # How an operation is written (read this before adding one)
//!
//! An operation is a function `fn my_op<'r>(world: &World, ex: &mut Exchange<'r>, id: &Identity,
//! …fields borrowed from the request…) -> Result<Plan<'r>, S3Error>` in its family module, called
//! from its family's planner (one `match` per family, listed in [`FAMILIES`], which [`plan`] asks
//! in turn). It does three things and nothing else:
//!
//! 1. **Checks made before authorization** (validation, a missing bucket, SSE headers, a canned ACL
//!    that Object Ownership refuses, `x-amz-mfa` over HTTPS…): `return Err(ex.reject(gate, error,
//!    why, docs::PAGE))`. The world is read-only here.
//! 2. **The plan**: `Plan::new(checks, execute)` — `checks` are the permissions the request needs
//!    in S3's order, each a [`Check`](crate::authz::Check) with its request-derived context keys
//!    (`Check::object("s3:GetObject", bucket, key, owner).keys(…)`); `.kms(vec![KmsCall {…}])`
//!    declares the KMS calls S3 will make on the caller's behalf (SSE-KMS `GenerateDataKey` /
//!    `Decrypt`); `.if_denied(step)` adds a note for a denied request; `Plan::each_item` is for
//!    batches decided item by item (DeleteObjects); an empty `checks` means no S3 permission is
//!    involved (KMS and Glacier calls, whose own service decides).
//! 3. **The execution**: the closure `move |world, ex, id, granted| { … }` given to the plan. It
//!    runs only after the pipeline authorized every planned check, gets the world writable
//!    (`&mut WorldRef`, copy-on-write in a dry run), and does the checks S3 makes after
//!    authorization (403-versus-404, MFA Delete, …), the KMS calls it declared, the change and the
//!    response. Capture owned values or `&'r` borrows of the request, never the world.
//!
//! Never call [`crate::authz::authorize`] from an operation: the pipeline authorizes the plan and
//! marks the deciding step (`quietly_allowed` is the one exception: S3's silent `s3:ListBucket`
//! probe behind 403-versus-404). `pipeline::tests` checks, for a table of requests, that each
//! operation's planned actions are exactly what authorization decided — add your operation there.
//!
//! Permissions follow the operation → permission mapping
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html>).

mod acl;
mod bpa;
mod bucket;
mod bucket_policy;
mod common;
mod delete;
pub(crate) mod delivery;
mod encryption_config;
mod iam;
mod lifecycle;
mod listing;
mod logging;
mod multipart;
mod object_lock;
mod object_read;
mod object_write;
mod ownership;
mod plan;
mod sts;
mod tagging;
mod versioning;
mod versions;

pub(crate) use common::fail_with_steps;
pub(crate) use lifecycle::{advance as run_lifecycle, work_due as lifecycle_due};
pub(crate) use plan::{Authorization, Granted, Plan};

use self::acl::{get_bucket_acl, get_object_acl, put_bucket_acl, put_object_acl};
use self::bpa::{PabOp, account_pab, bucket_pab};
use self::bucket::{create_bucket, delete_bucket, list_buckets};
use self::bucket_policy::{bucket_policy_api, get_policy_status, put_bucket_policy};
use self::delete::{delete_object, delete_objects};
use self::encryption_config::bucket_encryption;
use self::lifecycle::{LifecycleOp, bucket_lifecycle};
use self::listing::{ListParams, list_object_versions, list_objects_v2};
use self::logging::{get_bucket_logging, put_bucket_logging, query_logs};
use self::multipart::{
    PartsPage, UploadsPage, abort_multipart_upload, complete_multipart_upload,
    create_multipart_upload, list_multipart_uploads, list_parts, upload_part, upload_part_copy,
};
use self::object_lock::{get_lock, object_lock_config, put_legal_hold, put_retention};
use self::object_read::get_object;
use self::object_write::{copy_object, put_object};
use self::ownership::{get_ownership, put_ownership};
use self::versioning::{get_versioning, put_versioning};
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::request::Operation;
use crate::trace::Gate;
use crate::view::WorldRef;
use crate::world::{Identity, World};

/// The longest object key S3 accepts, in UTF-8 bytes
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html>).
const MAX_KEY_BYTES: usize = 1024;

/// The first object key the operation names that is longer than S3 allows.
fn long_key(op: &Operation) -> Option<&str> {
    let keys: [Option<&str>; 2] = match op {
        Operation::PutObject { key, .. }
        | Operation::GetObject { key, .. }
        | Operation::HeadObject { key, .. }
        | Operation::DeleteObject { key, .. }
        | Operation::PutObjectAcl { key, .. }
        | Operation::GetObjectAcl { key, .. }
        | Operation::PutObjectRetention { key, .. }
        | Operation::GetObjectRetention { key, .. }
        | Operation::PutObjectLegalHold { key, .. }
        | Operation::GetObjectLegalHold { key, .. }
        | Operation::PutObjectTagging { key, .. }
        | Operation::GetObjectTagging { key, .. }
        | Operation::DeleteObjectTagging { key, .. } => [Some(key), None],
        Operation::CopyObject {
            key, source_key, ..
        }
        | Operation::UploadPartCopy {
            key, source_key, ..
        } => [Some(key), Some(source_key)],
        Operation::CreateMultipartUpload { key, .. }
        | Operation::UploadPart { key, .. }
        | Operation::CompleteMultipartUpload { key, .. }
        | Operation::AbortMultipartUpload { key, .. }
        | Operation::ListParts { key, .. } => [Some(key), None],
        _ => [None, None],
    };
    keys.into_iter().flatten().find(|k| k.len() > MAX_KEY_BYTES)
}

/// The plan of the request's operation: the checks S3 makes before authorization, then the
/// permissions it needs and its execution (see the module comment).
pub(crate) fn plan<'r>(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    id: &Identity,
) -> Result<Plan<'r>, S3Error> {
    let req: &'r crate::request::Request = ex.req;
    let op = &req.operation;
    if let Some(bucket) = op.bucket()
        && !matches!(op, Operation::CreateBucket { .. })
        && !world.buckets.contains_key(bucket)
    {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::NoSuchBucket,
            format!(
                "there is no bucket named `{bucket}`; S3 answers this before looking at any policy"
            ),
            docs::ERRORS,
        ));
    }
    if let Some(key) = long_key(op) {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::other(400, "KeyTooLongError", "Your key is too long"),
            format!(
                "the key is {} UTF-8 bytes long; S3 allows at most {MAX_KEY_BYTES} bytes in an object key",
                key.len()
            ),
            docs::OBJECT_KEYS,
        ));
    }
    for family in FAMILIES {
        if let Some(plan) = family(world, ex, id, op) {
            return plan;
        }
    }
    Err(ex.reject(
        Gate::RequestValidation,
        S3Error::InvalidRequest {
            message: "This operation is not simulated.".to_owned(),
        },
        format!("no operation family plans `{}`", op.name()),
        docs::ERRORS,
    ))
}

/// A family's planner: the plan of `op` when `op` belongs to the family, `None` otherwise.
type FamilyPlanner = for<'r> fn(
    &mut WorldRef<'_>,
    &mut Exchange<'r>,
    &Identity,
    &'r Operation,
) -> Option<Result<Plan<'r>, S3Error>>;

/// Every operation family's planner; [`plan`] asks each in turn. Each one is a `match` that
/// hands the request's fields to the family module's operation functions.
const FAMILIES: [FamilyPlanner; 9] = [
    buckets,
    access_control,
    bucket_settings,
    object_writes_and_reads,
    listings,
    object_locks,
    multipart_uploads,
    other_services,
    unresolved,
];

/// Buckets and bucket policies ([`bucket`], [`bucket_policy`]).
fn buckets<'r>(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    id: &Identity,
    op: &'r Operation,
) -> Option<Result<Plan<'r>, S3Error>> {
    let w: &World = world;
    Some(match op {
        Operation::ListBuckets {} => Ok(list_buckets(id)),
        Operation::CreateBucket {
            bucket,
            region,
            object_ownership,
        } => create_bucket(w, ex, id, bucket, region.as_deref(), *object_ownership),
        Operation::DeleteBucket { bucket } => Ok(delete_bucket(bucket)),
        Operation::PutBucketPolicy { bucket, policy } => {
            put_bucket_policy(w, ex, id, bucket, policy)
        }
        Operation::GetBucketPolicy { bucket } => {
            bucket_policy_api(w, ex, id, bucket, "s3:GetBucketPolicy")
        }
        Operation::DeleteBucketPolicy { bucket } => {
            bucket_policy_api(w, ex, id, bucket, "s3:DeleteBucketPolicy")
        }
        Operation::GetBucketPolicyStatus { bucket } => Ok(get_policy_status(bucket)),
        _ => return None,
    })
}

/// ACLs, Block Public Access and Object Ownership ([`acl`], [`bpa`], [`ownership`]).
fn access_control<'r>(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    _: &Identity,
    op: &'r Operation,
) -> Option<Result<Plan<'r>, S3Error>> {
    let w: &World = world;
    Some(match op {
        Operation::PutBucketAcl {
            bucket,
            access_control_policy,
        } => put_bucket_acl(w, ex, bucket, access_control_policy.as_ref()),
        Operation::GetBucketAcl { bucket } => Ok(get_bucket_acl(bucket)),
        Operation::PutObjectAcl {
            bucket,
            key,
            version_id,
            access_control_policy,
        } => put_object_acl(
            w,
            ex,
            bucket,
            key,
            version_id.as_deref(),
            access_control_policy.as_ref(),
        ),
        Operation::GetObjectAcl {
            bucket,
            key,
            version_id,
        } => get_object_acl(w, bucket, key, version_id.as_deref()),
        Operation::PutPublicAccessBlock {
            bucket,
            configuration,
        } => Ok(bucket_pab(bucket, PabOp::Put(*configuration))),
        Operation::GetPublicAccessBlock { bucket } => Ok(bucket_pab(bucket, PabOp::Get)),
        Operation::DeletePublicAccessBlock { bucket } => Ok(bucket_pab(bucket, PabOp::Delete)),
        Operation::PutAccountPublicAccessBlock {
            account,
            configuration,
        } => Ok(account_pab(account, PabOp::Put(*configuration))),
        Operation::GetAccountPublicAccessBlock { account } => Ok(account_pab(account, PabOp::Get)),
        Operation::DeleteAccountPublicAccessBlock { account } => {
            Ok(account_pab(account, PabOp::Delete))
        }
        Operation::PutBucketOwnershipControls {
            bucket,
            object_ownership,
        } => Ok(put_ownership(bucket, *object_ownership)),
        Operation::GetBucketOwnershipControls { bucket } => Ok(get_ownership(bucket)),
        _ => return None,
    })
}

/// A bucket's settings: versioning and MFA Delete, logging, default encryption, lifecycle and
/// the Object Lock configuration ([`versioning`], [`logging`], [`encryption_config`],
/// [`lifecycle`], [`object_lock`]).
fn bucket_settings<'r>(
    _: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    id: &Identity,
    op: &'r Operation,
) -> Option<Result<Plan<'r>, S3Error>> {
    Some(match op {
        Operation::PutBucketVersioning {
            bucket,
            status,
            mfa_delete,
        } => put_versioning(ex, id, bucket, *status, *mfa_delete),
        Operation::GetBucketVersioning { bucket } => Ok(get_versioning(bucket)),
        Operation::PutBucketLogging {
            bucket,
            logging_enabled,
        } => Ok(put_bucket_logging(bucket, logging_enabled.clone())),
        Operation::GetBucketLogging { bucket } => Ok(get_bucket_logging(bucket)),
        Operation::QueryLogs { query } => Ok(query_logs(query)),
        Operation::PutBucketEncryption {
            bucket,
            configuration,
        } => bucket_encryption(ex, bucket, Some(Some(configuration.clone()))),
        Operation::GetBucketEncryption { bucket } => bucket_encryption(ex, bucket, None),
        Operation::DeleteBucketEncryption { bucket } => bucket_encryption(ex, bucket, Some(None)),
        Operation::PutBucketLifecycleConfiguration {
            bucket,
            configuration,
        } => bucket_lifecycle(ex, bucket, LifecycleOp::Put(configuration)),
        Operation::GetBucketLifecycleConfiguration { bucket } => {
            bucket_lifecycle(ex, bucket, LifecycleOp::Get)
        }
        Operation::DeleteBucketLifecycle { bucket } => {
            bucket_lifecycle(ex, bucket, LifecycleOp::Delete)
        }
        Operation::PutObjectLockConfiguration {
            bucket,
            configuration,
        } => object_lock_config(ex, bucket, Some(configuration)),
        Operation::GetObjectLockConfiguration { bucket } => object_lock_config(ex, bucket, None),
        _ => return None,
    })
}

/// Object writes, reads, deletes and tags ([`object_write`], [`object_read`], [`delete`],
/// [`tagging`]).
fn object_writes_and_reads<'r>(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    id: &Identity,
    op: &'r Operation,
) -> Option<Result<Plan<'r>, S3Error>> {
    if let Operation::DeleteObjects {
        bucket,
        objects,
        quiet,
    } = op
    {
        return Some(delete_objects(world, ex, id, bucket, objects, *quiet));
    }
    let w: &World = world;
    Some(match op {
        Operation::PutObject { bucket, key, body } => put_object(w, ex, id, bucket, key, body),
        Operation::CopyObject {
            bucket,
            key,
            source_bucket,
            source_key,
            source_version_id,
        } => copy_object(
            w,
            ex,
            id,
            bucket,
            key,
            source_bucket,
            source_key,
            source_version_id.as_deref(),
        ),
        Operation::GetObject {
            bucket,
            key,
            version_id,
        } => get_object(w, ex, bucket, key, version_id.as_deref(), false),
        Operation::HeadObject {
            bucket,
            key,
            version_id,
        } => get_object(w, ex, bucket, key, version_id.as_deref(), true),
        Operation::DeleteObject {
            bucket,
            key,
            version_id,
        } => delete_object(w, ex, id, bucket, key, version_id.as_deref()),
        Operation::PutObjectTagging {
            bucket,
            key,
            version_id,
            tag_set,
        } => tagging::put(w, ex, bucket, key, version_id.as_deref(), tag_set),
        Operation::GetObjectTagging {
            bucket,
            key,
            version_id,
        } => Ok(tagging::get(w, bucket, key, version_id.as_deref())),
        Operation::DeleteObjectTagging {
            bucket,
            key,
            version_id,
        } => Ok(tagging::delete(w, bucket, key, version_id.as_deref())),
        _ => return None,
    })
}

/// Listings of objects and of their versions ([`listing`]).
fn listings<'r>(
    _: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    _: &Identity,
    op: &'r Operation,
) -> Option<Result<Plan<'r>, S3Error>> {
    Some(Ok(match op {
        Operation::ListObjectsV2 {
            bucket,
            prefix,
            delimiter,
            max_keys,
            continuation_token,
        } => list_objects_v2(
            ex,
            bucket,
            ListParams {
                prefix: prefix.as_deref(),
                delimiter: delimiter.as_deref(),
                max_keys: *max_keys,
                key_marker: continuation_token.as_deref(),
                version_id_marker: None,
            },
        ),
        Operation::ListObjectVersions {
            bucket,
            prefix,
            delimiter,
            max_keys,
            key_marker,
            version_id_marker,
        } => list_object_versions(
            ex,
            bucket,
            ListParams {
                prefix: prefix.as_deref(),
                delimiter: delimiter.as_deref(),
                max_keys: *max_keys,
                key_marker: key_marker.as_deref(),
                version_id_marker: version_id_marker.as_deref(),
            },
        ),
        _ => return None,
    }))
}

/// Object Lock on one object version: retention and legal hold ([`object_lock`]).
fn object_locks<'r>(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    _: &Identity,
    op: &'r Operation,
) -> Option<Result<Plan<'r>, S3Error>> {
    let w: &World = world;
    Some(match op {
        Operation::PutObjectRetention {
            bucket,
            key,
            version_id,
            retention,
        } => put_retention(w, ex, bucket, key, version_id.as_deref(), retention),
        Operation::GetObjectRetention {
            bucket,
            key,
            version_id,
        } => get_lock(w, bucket, key, version_id.as_deref(), false),
        Operation::PutObjectLegalHold {
            bucket,
            key,
            version_id,
            legal_hold,
        } => put_legal_hold(w, ex, bucket, key, version_id.as_deref(), *legal_hold),
        Operation::GetObjectLegalHold {
            bucket,
            key,
            version_id,
        } => get_lock(w, bucket, key, version_id.as_deref(), true),
        _ => return None,
    })
}

/// Multipart uploads ([`multipart`]).
fn multipart_uploads<'r>(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    id: &Identity,
    op: &'r Operation,
) -> Option<Result<Plan<'r>, S3Error>> {
    let w: &World = world;
    Some(match op {
        Operation::CreateMultipartUpload { bucket, key } => {
            create_multipart_upload(w, ex, id, bucket, key)
        }
        Operation::UploadPart {
            bucket,
            key,
            upload_id,
            part_number,
            body,
            size,
        } => upload_part(w, ex, bucket, key, upload_id, *part_number, body, *size),
        Operation::UploadPartCopy {
            bucket,
            key,
            upload_id,
            part_number,
            source_bucket,
            source_key,
            source_version_id,
        } => upload_part_copy(
            w,
            ex,
            bucket,
            key,
            upload_id,
            *part_number,
            source_bucket,
            source_key,
            source_version_id.as_deref(),
        ),
        Operation::CompleteMultipartUpload {
            bucket,
            key,
            upload_id,
            parts,
        } => complete_multipart_upload(w, ex, bucket, key, upload_id, parts),
        Operation::AbortMultipartUpload {
            bucket,
            key,
            upload_id,
        } => abort_multipart_upload(w, bucket, key, upload_id),
        Operation::ListParts {
            bucket,
            key,
            upload_id,
            max_parts,
            part_number_marker,
        } => {
            let page = PartsPage {
                max_parts: *max_parts,
                part_number_marker: *part_number_marker,
            };
            list_parts(w, bucket, key, upload_id, page)
        }
        Operation::ListMultipartUploads {
            bucket,
            prefix,
            max_uploads,
            key_marker,
            upload_id_marker,
        } => {
            let page = UploadsPage {
                prefix: prefix.as_deref(),
                max_uploads: *max_uploads,
                key_marker: key_marker.as_deref(),
                upload_id_marker: upload_id_marker.as_deref(),
            };
            Ok(list_multipart_uploads(bucket, page))
        }
        _ => return None,
    })
}

/// The other services the world simulates: KMS, Glacier, IAM and STS ([`iam`], [`sts`]).
fn other_services<'r>(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    id: &Identity,
    op: &'r Operation,
) -> Option<Result<Plan<'r>, S3Error>> {
    let w: &World = world;
    Some(match op {
        // KMS and Glacier decide by their own key and vault policies (through `s3pg-policy`):
        // no S3 permission is planned.
        Operation::Kms(request) => Ok(Plan::new(Vec::new(), move |world, ex, id, _| {
            crate::services::kms(world, ex, id, request)
        })),
        Operation::Glacier(call) => Ok(Plan::new(Vec::new(), move |world, ex, id, _| {
            crate::services::glacier(world, ex, id, call)
        })),
        Operation::Iam(request) => iam::plan(w, ex, id, request),
        Operation::Sts(request) => sts::plan(w, ex, id, request),
        _ => return None,
    })
}

/// Requests `World::handle` turns into one of the operations above before planning: a browser
/// POST upload once its form is verified, a pre-signed URL once its signature is.
fn unresolved<'r>(
    _: &mut WorldRef<'_>,
    ex: &mut Exchange<'r>,
    _: &Identity,
    op: &'r Operation,
) -> Option<Result<Plan<'r>, S3Error>> {
    Some(Err(match op {
        Operation::PostObject { .. } => ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidRequest {
                message: "A POST form is verified before it reaches the operations.".to_owned(),
            },
            "a browser POST upload reached the operations without its form being verified",
            docs::POST_UPLOAD,
        ),
        Operation::PresignedRequest { .. } => ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidRequest {
                message: "A pre-signed URL cannot carry another pre-signed request.".to_owned(),
            },
            "a pre-signed request reached the operations without being resolved",
            docs::PRESIGNED,
        ),
        _ => return None,
    }))
}
