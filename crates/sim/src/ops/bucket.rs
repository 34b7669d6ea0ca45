//! Buckets: ListBuckets, CreateBucket (name rules, Region, Object Ownership and ACL at creation,
//! SSE-C blocked by default on new buckets) and DeleteBucket.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-overview.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html>.

use serde_json::json;

use super::acl::{acl_keys, header_acl};
use super::common::bucket_ref;
use super::plan::Plan;
use crate::acl::{Acl, CannedAcl, Grant, Grantee};
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{Bucket, ObjectOwnership};
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::world::{Identity, World};

/// 2026-04-01T00:00:00Z: general purpose buckets created from then on block SSE-C by default.
pub(super) const SSE_C_BLOCKED_FROM: u64 = 1_775_001_600;

pub(super) fn list_buckets<'r>(id: &Identity) -> Plan<'r> {
    Plan::new(
        vec![Check::account(
            "s3:ListAllMyBuckets",
            id.account.as_deref().unwrap_or(""),
        )],
        move |world, ex, id, _| {
            let mine: Vec<_> = world
                .buckets
                .iter()
                .filter(|(_, b)| Some(b.owner.as_str()) == id.account.as_deref())
                .map(|(name, b)| json!({ "Name": name, "CreationDate": b.created.to_string() }))
                .collect();
            ex.body = Some(json!({ "Buckets": mine }));
            Ok(())
        },
    )
}

pub(super) fn valid_bucket_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && name
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphanumeric)
        && name
            .as_bytes()
            .last()
            .is_some_and(u8::is_ascii_alphanumeric)
        && !name.contains("..")
}

/// `CreateBucket`: the naming rules, a name already taken, the ACL and Object Ownership asked
/// for, Object Lock at creation, then the new bucket (SSE-C blocked by default where S3 does so).
pub(super) fn create_bucket<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    name: &'r str,
    region: Option<&'r str>,
    ownership: Option<ObjectOwnership>,
) -> Result<Plan<'r>, S3Error> {
    if !valid_bucket_name(name) {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidBucketName,
            format!("`{name}` breaks the bucket naming rules (3–63 lowercase letters, digits, dots, hyphens)"),
            docs::CREATE_BUCKET,
        ));
    }
    let Some(account) = id.account.clone() else {
        return Ok(Plan::then_fail(
            vec![Check::new_bucket("s3:CreateBucket", name, "")],
            S3Error::access_denied(),
        ));
    };
    if let Some(answer) = existing_bucket(world, ex, name, region, &account) {
        return answer;
    }
    let object_ownership = ownership.unwrap_or_default();
    let mut new = Bucket::new(&account, region.unwrap_or("us-east-1"), ex.now);
    new.object_ownership = object_ownership;
    if world.exam_mode == crate::world::ExamMode::Current
        && ex.now.epoch_seconds() >= SSE_C_BLOCKED_FROM
    {
        new.encryption = Some(crate::encryption::BucketEncryption {
            blocked_encryption_types: vec!["SSE-C".to_owned()],
            ..crate::encryption::BucketEncryption::sse_s3()
        });
    }
    let acl = header_acl(ex)?;
    let mut checks = vec![Check::new_bucket("s3:CreateBucket", name, &account).keys(acl_keys(ex))];
    if let Some(acl) = acl {
        new.acl = Some(creation_acl(
            world,
            ex,
            name,
            &account,
            object_ownership,
            acl,
            &mut checks,
        )?);
    }
    if ownership.is_some() {
        checks.push(Check::new_bucket(
            "s3:PutBucketOwnershipControls",
            name,
            &account,
        ));
    }
    let with_lock = ex
        .req
        .header_value("x-amz-bucket-object-lock-enabled")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if with_lock {
        // CreateBucket with Object Lock needs both permissions (API_CreateBucket.html).
        checks.push(Check::new_bucket(
            "s3:PutBucketObjectLockConfiguration",
            name,
            &account,
        ));
        checks.push(Check::new_bucket("s3:PutBucketVersioning", name, &account));
        new.versioning = crate::model::Versioning::Enabled;
        new.object_lock = Some(crate::object_lock::ObjectLockConfiguration::enabled());
    }
    Ok(Plan::new(checks, move |world, ex, _, _| {
        if with_lock {
            ex.step(GateStep::new(
                Gate::ObjectLock,
                StepOutcome::Info,
                "the bucket is created with Object Lock enabled, which turns versioning on: versioning can never be suspended and Object Lock never turned off",
                crate::object_lock::DOC,
            ));
        }
        world.buckets.insert(name.to_owned(), new);
        ex.headers.insert("location".into(), format!("/{name}"));
        ex.effects.push(Effect::BucketCreated {
            bucket: name.to_owned(),
        });
        Ok(())
    }))
}

/// The answer when the bucket name is taken: your own us-east-1 bucket is re-created (S3's legacy
/// 200 OK), anyone else's is refused; `None` when the name is free.
fn existing_bucket<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    name: &'r str,
    region: Option<&'r str>,
    account: &str,
) -> Option<Result<Plan<'r>, S3Error>> {
    let existing = world.buckets.get(name)?;
    let requested = region.unwrap_or("us-east-1");
    if existing.owner == *account && existing.region == "us-east-1" && requested == "us-east-1" {
        // Legacy us-east-1 behaviour: re-creating your own bucket there succeeds. S3 answers
        // before any permission is checked.
        return Some(Ok(Plan::new(Vec::new(), move |world, ex, _, _| {
            ex.step(GateStep::new(
                Gate::Execution,
                StepOutcome::Info,
                format!("you already own `{name}` in us-east-1, where S3 answers 200 OK instead of BucketAlreadyOwnedByYou (and resets the bucket ACL)"),
                docs::CREATE_BUCKET,
            ));
            if let Some(b) = world.buckets.get_mut(name)
                && b.acls_enabled()
            {
                b.acl = None;
            }
            ex.headers.insert("location".into(), format!("/{name}"));
            Ok(())
        })));
    }
    let e = if existing.owner == *account {
        S3Error::BucketAlreadyOwnedByYou
    } else {
        S3Error::BucketAlreadyExists
    };
    Some(Err(ex.reject(
        Gate::RequestValidation,
        e,
        format!("bucket names are global and `{name}` already exists"),
        docs::CREATE_BUCKET,
    )))
}

/// The ACL a bucket is created with (`x-amz-acl` or `x-amz-grant-*`): refused when it grants
/// outside the account under `BucketOwnerEnforced`, or is public (new buckets start with Block
/// Public Access on); anything but owner-only also needs `s3:PutBucketAcl`.
fn creation_acl(
    world: &World,
    ex: &mut Exchange<'_>,
    name: &str,
    account: &str,
    object_ownership: ObjectOwnership,
    (canned, grants): (Option<CannedAcl>, Vec<Grant>),
    checks: &mut Vec<Check>,
) -> Result<Acl, S3Error> {
    let acl = match canned {
        Some(c) => Acl::from_canned(c, account, account, false),
        None => Acl {
            canned: None,
            grants,
        },
    };
    let canonical = world.canonical_id(account);
    let owner_only = acl.only_full_control_for(account, &canonical);
    // Only an ACL that grants access outside the account conflicts with `BucketOwnerEnforced`
    // at creation (`private` is fine).
    let outside = acl.grants.iter().any(|g| match &g.grantee {
        Grantee::Account(a) => a != account,
        Grantee::CanonicalUser(c) => c != &canonical,
        Grantee::Group(_) | Grantee::EmailAddress(_) => true,
    });
    if !owner_only {
        if outside && object_ownership == ObjectOwnership::BucketOwnerEnforced {
            return Err(ex.reject(
                Gate::ObjectOwnership,
                S3Error::InvalidBucketAclWithObjectOwnership,
                "a bucket created with `BucketOwnerEnforced` (the default) cannot carry an ACL that grants anyone but the owner; send `x-amz-object-ownership: ObjectWriter` or `BucketOwnerPreferred`",
                docs::OWNERSHIP_ERRORS,
            ));
        }
        if acl.is_public() {
            return Err(ex.reject(
                Gate::BlockPublicAccess,
                S3Error::access_denied(),
                "new buckets start with all four Block Public Access settings on, so a public ACL at creation is refused",
                docs::BPA,
            ));
        }
        checks.push(Check::new_bucket("s3:PutBucketAcl", name, account).keys(acl_keys(ex)));
    }
    Ok(acl)
}

pub(super) fn delete_bucket(name: &str) -> Plan<'_> {
    Plan::new(
        vec![Check::bucket("s3:DeleteBucket", name)],
        move |world, ex, _, _| {
            let count = bucket_ref(world, name)?.version_count();
            if count > 0 {
                return Err(ex.reject(
                    Gate::Execution,
                    S3Error::BucketNotEmpty,
                    format!("the bucket still holds {count} object version(s) or delete marker(s); every one must be removed first"),
                    docs::VERSIONING,
                ));
            }
            world.buckets.remove(name);
            ex.status = 204;
            ex.effects.push(Effect::BucketDeleted {
                bucket: name.to_owned(),
            });
            Ok(())
        },
    )
}
