//! The operations, one module per family, and the dispatcher that hands each request to its
//! operation once the caller is authenticated. Every operation does the same four things in the
//! same order: the checks S3 makes before authorization, the permissions it needs (with the
//! request-derived context keys: `common::authorize`, the only door to [`crate::authz`]), the
//! checks after authorization, and its effect on the world.
//!
//! Where to start reading: `dispatch` below, then the family of the operation you care about.
//! Permissions follow the operation → permission mapping
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html>).

mod acl;
mod bpa;
mod bucket;
mod bucket_policy;
mod common;
mod delete;
mod encryption_config;
mod lifecycle;
mod listing;
mod logging;
mod object_lock;
mod object_read;
mod object_write;
mod ownership;
mod versioning;
mod versions;

pub(crate) use lifecycle::{advance as run_lifecycle, work_due as lifecycle_due};
pub(crate) use versions::write_version;

use serde_json::json;

use self::acl::{get_bucket_acl, get_object_acl, put_bucket_acl, put_object_acl};
use self::bpa::{PabOp, account_pab, bucket_pab};
use self::bucket::{create_bucket, delete_bucket, list_buckets};
use self::bucket_policy::{bucket_policy_api, get_policy_status, put_bucket_policy};
use self::common::{authorize, bucket_ref};
use self::delete::{delete_object, delete_objects};
use self::encryption_config::bucket_encryption;
use self::lifecycle::{LifecycleOp, bucket_lifecycle};
use self::listing::{ListParams, list_object_versions, list_objects_v2};
use self::logging::put_bucket_logging;
use self::object_lock::{
    get_legal_hold, get_retention, object_lock_config, put_legal_hold, put_retention,
};
use self::object_read::get_object;
use self::object_write::{copy_object, put_object};
use self::ownership::put_ownership;
use self::versioning::put_versioning;
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::Versioning;
use crate::pipeline::WorldRef;
use crate::request::Operation;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::world::Identity;

/// Runs the whole pipeline for one request.
pub(crate) fn run(world: &mut WorldRef<'_>, ex: &mut Exchange<'_>) {
    let identity = match world.authenticate(&ex.req.caller, ex.now) {
        Ok((id, step)) => {
            ex.step(step);
            id
        }
        Err(e) => {
            let why = match e {
                S3Error::ExpiredToken => "the role session's temporary credentials have expired",
                _ => "no account, user, role session or access key matches the caller",
            };
            let err = ex.reject(Gate::Authentication, e, why, docs::AUTHENTICATION);
            ex.error = Some(err);
            return;
        }
    };
    run_as(world, ex, &identity);
}

/// Runs the pipeline after authentication, for an identity already established (a pre-signed
/// URL's signer).
pub(crate) fn run_as(world: &mut WorldRef<'_>, ex: &mut Exchange<'_>, identity: &Identity) {
    if let Err(e) = dispatch(world, ex, identity) {
        ex.error = Some(e);
    }
}

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
        | Operation::GetObjectLegalHold { key, .. } => [Some(key), None],
        Operation::CopyObject {
            key, source_key, ..
        } => [Some(key), Some(source_key)],
        _ => [None, None],
    };
    keys.into_iter().flatten().find(|k| k.len() > MAX_KEY_BYTES)
}

fn dispatch(world: &mut WorldRef<'_>, ex: &mut Exchange<'_>, id: &Identity) -> Result<(), S3Error> {
    let op = ex.req.operation.clone();
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
    if let Some(key) = long_key(&op) {
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
    match op {
        Operation::ListBuckets {} => list_buckets(world, ex, id),
        Operation::CreateBucket {
            bucket,
            region,
            object_ownership,
        } => create_bucket(world, ex, id, &bucket, region.as_deref(), object_ownership),
        Operation::DeleteBucket { bucket } => delete_bucket(world, ex, id, &bucket),
        Operation::PutBucketPolicy { bucket, policy } => {
            put_bucket_policy(world, ex, id, &bucket, &policy)
        }
        Operation::GetBucketPolicy { bucket } => {
            bucket_policy_api(world, ex, id, &bucket, "s3:GetBucketPolicy")
        }
        Operation::DeleteBucketPolicy { bucket } => {
            bucket_policy_api(world, ex, id, &bucket, "s3:DeleteBucketPolicy")
        }
        Operation::GetBucketPolicyStatus { bucket } => get_policy_status(world, ex, id, &bucket),
        Operation::PutBucketAcl {
            bucket,
            access_control_policy,
        } => put_bucket_acl(world, ex, id, &bucket, access_control_policy.as_ref()),
        Operation::GetBucketAcl { bucket } => get_bucket_acl(world, ex, id, &bucket),
        Operation::PutObjectAcl {
            bucket,
            key,
            version_id,
            access_control_policy,
        } => put_object_acl(
            world,
            ex,
            id,
            &bucket,
            &key,
            version_id.as_deref(),
            access_control_policy.as_ref(),
        ),
        Operation::GetObjectAcl {
            bucket,
            key,
            version_id,
        } => get_object_acl(world, ex, id, &bucket, &key, version_id.as_deref()),
        Operation::PutPublicAccessBlock {
            bucket,
            configuration,
        } => bucket_pab(world, ex, id, &bucket, PabOp::Put(configuration)),
        Operation::GetPublicAccessBlock { bucket } => {
            bucket_pab(world, ex, id, &bucket, PabOp::Get)
        }
        Operation::DeletePublicAccessBlock { bucket } => {
            bucket_pab(world, ex, id, &bucket, PabOp::Delete)
        }
        Operation::PutAccountPublicAccessBlock {
            account,
            configuration,
        } => account_pab(world, ex, id, &account, PabOp::Put(configuration)),
        Operation::GetAccountPublicAccessBlock { account } => {
            account_pab(world, ex, id, &account, PabOp::Get)
        }
        Operation::DeleteAccountPublicAccessBlock { account } => {
            account_pab(world, ex, id, &account, PabOp::Delete)
        }
        Operation::PutBucketOwnershipControls {
            bucket,
            object_ownership,
        } => put_ownership(world, ex, id, &bucket, object_ownership),
        Operation::GetBucketOwnershipControls { bucket } => {
            authorize(
                world,
                ex,
                id,
                &[Check::bucket("s3:GetBucketOwnershipControls", &bucket)],
            )?;
            let o = world
                .buckets
                .get(&bucket)
                .map(|b| b.object_ownership.as_str())
                .unwrap_or_default();
            ex.body = Some(json!({ "OwnershipControls": { "Rules": [{ "ObjectOwnership": o }] } }));
            Ok(())
        }
        Operation::PutBucketVersioning {
            bucket,
            status,
            mfa_delete,
        } => put_versioning(world, ex, id, &bucket, status, mfa_delete),
        Operation::GetBucketVersioning { bucket } => {
            authorize(
                world,
                ex,
                id,
                &[Check::bucket("s3:GetBucketVersioning", &bucket)],
            )?;
            let b = bucket_ref(world, &bucket)?;
            let mut body = serde_json::Map::new();
            match b.versioning {
                Versioning::Unversioned => {}
                Versioning::Enabled => {
                    body.insert("Status".into(), json!("Enabled"));
                }
                Versioning::Suspended => {
                    body.insert("Status".into(), json!("Suspended"));
                }
            }
            if b.versioning != Versioning::Unversioned {
                body.insert(
                    "MFADelete".into(),
                    json!(if b.mfa_delete { "Enabled" } else { "Disabled" }),
                );
            }
            ex.body = Some(serde_json::Value::Object(body));
            Ok(())
        }
        Operation::Kms(request) => crate::services::kms(world, ex, id, &request),
        Operation::Glacier(call) => crate::services::glacier(world, ex, id, &call),
        Operation::PutBucketLogging {
            bucket,
            logging_enabled,
        } => put_bucket_logging(world, ex, id, &bucket, logging_enabled),
        Operation::GetBucketLogging { bucket } => {
            authorize(
                world,
                ex,
                id,
                &[Check::bucket("s3:GetBucketLogging", &bucket)],
            )?;
            let l = bucket_ref(world, &bucket)?.logging.clone();
            ex.body = Some(match l {
                Some(l) => {
                    json!({ "LoggingEnabled": { "TargetBucket": l.target_bucket, "TargetPrefix": l.target_prefix } })
                }
                None => json!({}),
            });
            Ok(())
        }
        Operation::QueryLogs { query } => match world.query_logs(&query) {
            Ok(body) => {
                ex.body = Some(body);
                ex.step(GateStep::new(
                    Gate::Audit,
                    StepOutcome::Info,
                    format!("searched the delivered access logs and the CloudTrail records with `{query}`"),
                    docs::ACCESS_LOGS,
                ));
                Ok(())
            }
            Err(e) => Err(ex.reject(
                Gate::RequestValidation,
                S3Error::InvalidArgument { message: e.clone() },
                format!("the log query cannot be read: {e}"),
                docs::ACCESS_LOGS,
            )),
        },
        Operation::PutBucketEncryption {
            bucket,
            configuration,
        } => bucket_encryption(world, ex, id, &bucket, Some(Some(configuration))),
        Operation::GetBucketEncryption { bucket } => {
            bucket_encryption(world, ex, id, &bucket, None)
        }
        Operation::DeleteBucketEncryption { bucket } => {
            bucket_encryption(world, ex, id, &bucket, Some(None))
        }
        Operation::PutObject { bucket, key, body } => {
            put_object(world, ex, id, &bucket, &key, body)
        }
        Operation::GetObject {
            bucket,
            key,
            version_id,
        } => get_object(world, ex, id, &bucket, &key, version_id.as_deref(), false),
        Operation::HeadObject {
            bucket,
            key,
            version_id,
        } => get_object(world, ex, id, &bucket, &key, version_id.as_deref(), true),
        Operation::DeleteObject {
            bucket,
            key,
            version_id,
        } => delete_object(world, ex, id, &bucket, &key, version_id.as_deref()),
        Operation::DeleteObjects {
            bucket,
            objects,
            quiet,
        } => delete_objects(world, ex, id, &bucket, &objects, quiet),
        Operation::ListObjectsV2 {
            bucket,
            prefix,
            delimiter,
            max_keys,
            continuation_token,
        } => list_objects_v2(
            world,
            ex,
            id,
            &bucket,
            prefix.as_deref(),
            delimiter.as_deref(),
            max_keys,
            continuation_token.as_deref(),
        ),
        Operation::ListObjectVersions {
            bucket,
            prefix,
            delimiter,
            max_keys,
            key_marker,
            version_id_marker,
        } => list_object_versions(
            world,
            ex,
            id,
            &bucket,
            ListParams {
                prefix: prefix.as_deref(),
                delimiter: delimiter.as_deref(),
                max_keys,
                key_marker: key_marker.as_deref(),
                version_id_marker: version_id_marker.as_deref(),
            },
        ),
        Operation::CopyObject {
            bucket,
            key,
            source_bucket,
            source_key,
            source_version_id,
        } => copy_object(
            world,
            ex,
            id,
            &bucket,
            &key,
            &source_bucket,
            &source_key,
            source_version_id.as_deref(),
        ),
        Operation::PutObjectLockConfiguration {
            bucket,
            configuration,
        } => object_lock_config(world, ex, id, &bucket, Some(configuration)),
        Operation::GetObjectLockConfiguration { bucket } => {
            object_lock_config(world, ex, id, &bucket, None)
        }
        Operation::PutObjectRetention {
            bucket,
            key,
            version_id,
            retention,
        } => put_retention(
            world,
            ex,
            id,
            &bucket,
            &key,
            version_id.as_deref(),
            &retention,
        ),
        Operation::GetObjectRetention {
            bucket,
            key,
            version_id,
        } => get_retention(world, ex, id, &bucket, &key, version_id.as_deref()),
        Operation::PutObjectLegalHold {
            bucket,
            key,
            version_id,
            legal_hold,
        } => put_legal_hold(
            world,
            ex,
            id,
            &bucket,
            &key,
            version_id.as_deref(),
            legal_hold,
        ),
        Operation::GetObjectLegalHold {
            bucket,
            key,
            version_id,
        } => get_legal_hold(world, ex, id, &bucket, &key, version_id.as_deref()),
        Operation::PutBucketLifecycleConfiguration {
            bucket,
            configuration,
        } => bucket_lifecycle(world, ex, id, &bucket, LifecycleOp::Put(configuration)),
        Operation::GetBucketLifecycleConfiguration { bucket } => {
            bucket_lifecycle(world, ex, id, &bucket, LifecycleOp::Get)
        }
        Operation::DeleteBucketLifecycle { bucket } => {
            bucket_lifecycle(world, ex, id, &bucket, LifecycleOp::Delete)
        }
        // `World::handle` resolves a pre-signed URL to one of the operations above first.
        Operation::PresignedRequest { .. } => Err(ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidRequest {
                message: "A pre-signed URL cannot carry another pre-signed request.".to_owned(),
            },
            "a pre-signed request reached the operations without being resolved",
            docs::PRESIGNED,
        )),
    }
}
