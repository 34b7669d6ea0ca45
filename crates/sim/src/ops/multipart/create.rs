//! CreateMultipartUpload: the headers are checked as for PutObject, `s3:PutObject` is planned
//! with them (and `kms:GenerateDataKey` for SSE-KMS; `s3:PutObjectRetention` and
//! `s3:PutObjectLegalHold` for Object Lock headers), then the upload starts with its ownership,
//! encryption and the asked-for retention and legal hold fixed for the completed object.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html>.

use std::collections::BTreeMap;

use serde_json::json;

use super::keys::upload_encryption;
use super::{ENCRYPTION_HEADERS, ex_bucket};
use crate::acl::Acl;
use crate::authz::Check;
use crate::docs;
use crate::encryption::{self, WritePlan};
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{ANONYMOUS_OWNER, ObjectOwnership};
use crate::object_lock::VersionLock;
use crate::ops::acl::{acl_keys, check_acl_write, header_acl};
use crate::ops::common::{bucket_mut, bucket_ref};
use crate::ops::lifecycle::{abort_headers, abort_note};
use crate::ops::object_lock::requested_lock;
use crate::ops::object_write::{write_keys, write_kms_calls};
use crate::ops::plan::Plan;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::uploads::MultipartUpload;
use crate::view::WorldRef;
use crate::world::{Identity, World, fnv, opaque_id};

/// `CreateMultipartUpload`: checks the headers like PutObject, plans `s3:PutObject` with them
/// (and `kms:GenerateDataKey` for SSE-KMS), then fixes the encryption and starts the upload.
pub(in crate::ops) fn create_multipart_upload<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    name: &'r str,
    key: &'r str,
) -> Result<Plan<'r>, S3Error> {
    let plan = encryption::plan_write(ex.req, id)
        .map_err(|(e, why)| ex.reject(Gate::RequestValidation, e, why, docs::CREATE_MULTIPART))?;
    let bucket = bucket_ref(world, name)?.clone();
    // The Object Lock headers travel with the create, as with PutObject; the bucket's default
    // retention is applied when the object is created, at the completion.
    let lock = requested_lock(ex, &bucket, docs::CREATE_MULTIPART)?;
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
    let mut keys = write_keys(ex);
    keys.extend(lock.keys.iter().cloned());
    let mut checks = vec![Check::object("s3:PutObject", name, key, &bucket.owner).keys(keys)];
    if acl.is_some() {
        checks.push(Check::object("s3:PutObjectAcl", name, key, &bucket.owner).keys(acl_keys(ex)));
    }
    for action in &lock.actions {
        checks.push(Check::object(action, name, key, &bucket.owner).keys(lock.keys.clone()));
    }
    let kms = write_kms_calls(world, &bucket, &plan);
    let lock = lock.lock;
    Ok(Plan::new(checks, move |world, ex, id, _| {
        let start = Start { owner, acl, lock };
        create_execute(world, ex, id, &bucket, key, start, &plan)
    })
    .kms(kms))
}

/// What the plan fixed for the completed object before authorization.
struct Start {
    /// The account that will own the object.
    owner: String,
    /// The ACL asked for.
    acl: Option<Acl>,
    /// The retention and legal hold asked for in the Object Lock headers.
    lock: VersionLock,
}

/// The create after authorization: ownership, encryption, the upload id.
fn create_execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    bucket: &crate::model::Bucket,
    key: &str,
    start: Start,
    plan: &WritePlan,
) -> Result<(), S3Error> {
    let Start { owner, acl, lock } = start;
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
        object_lock: lock,
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
    let abort = abort_headers(bucket, key, ex.now);
    if let [(_, date), (_, rule)] = abort.as_slice() {
        ex.step(
            GateStep::new(
                Gate::Lifecycle,
                StepOutcome::Info,
                format!(
                    "lifecycle rule `{rule}` will abort this upload at {date} unless it completes before: S3 says so in `x-amz-abort-date` and `x-amz-abort-rule-id`"
                ),
                docs::CREATE_MULTIPART,
            )
            .compare("x-amz-abort-date", date.clone())
            .undocumented(&abort_note(bucket, rule)),
        );
    }
    ex.headers.extend(abort);
    ex.body = Some(json!({ "Bucket": name, "Key": key, "UploadId": upload_id }));
    Ok(())
}
