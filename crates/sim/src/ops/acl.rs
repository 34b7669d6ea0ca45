//! Access control lists: ACLs given in headers (`x-amz-acl`, `x-amz-grant-*`) or as XML, Block
//! Public Access's `BlockPublicAcls` on writes, and Put/Get Bucket and Object ACL.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html>.

use serde_json::json;

use super::bpa::bpa_compare;
use super::common::{HeaderAcl, bucket_mut, bucket_ref, last_bucket_change};
use super::plan::Plan;
use super::versions::{locate, target_owner, version_error, version_keys};
use crate::acl::{Acl, CannedAcl, Grant, Grantee, Group, Permission};
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::Bucket;
use crate::request::AccessControlPolicy;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::world::{World, effective_bpa};

/// The ACL a request sets through `x-amz-acl` or `x-amz-grant-*` headers, if any.
pub(super) fn header_acl(ex: &Exchange<'_>) -> Result<HeaderAcl, S3Error> {
    let canned = match ex.req.header_value("x-amz-acl") {
        Some(v) => Some(CannedAcl::parse(v).ok_or_else(|| S3Error::InvalidArgument {
            message: format!("Invalid canned ACL: {v}"),
        })?),
        None => None,
    };
    let mut grants = Vec::new();
    for (header, permission) in [
        ("x-amz-grant-read", Permission::Read),
        ("x-amz-grant-write", Permission::Write),
        ("x-amz-grant-read-acp", Permission::ReadAcp),
        ("x-amz-grant-write-acp", Permission::WriteAcp),
        ("x-amz-grant-full-control", Permission::FullControl),
    ] {
        if let Some(v) = ex.req.header_value(header) {
            for part in v.split(',') {
                let (kind, value) =
                    part.trim()
                        .split_once('=')
                        .ok_or_else(|| S3Error::InvalidArgument {
                            message: format!("Invalid grantee in {header}: {part}"),
                        })?;
                let value = value.trim().trim_matches('"').to_owned();
                let grantee = match kind.trim() {
                    "id" => Grantee::CanonicalUser(value),
                    "uri" => Grantee::Group(Group::parse(&value).ok_or_else(|| {
                        S3Error::InvalidArgument {
                            message: format!("Invalid group uri: {value}"),
                        }
                    })?),
                    "emailAddress" => Grantee::EmailAddress(value),
                    _ => {
                        return Err(S3Error::InvalidArgument {
                            message: format!("Invalid grantee in {header}: {part}"),
                        });
                    }
                };
                grants.push(Grant {
                    grantee,
                    permission,
                });
            }
        }
    }
    if canned.is_some() && !grants.is_empty() {
        return Err(S3Error::InvalidRequest {
            message: "Specifying both Canned ACLs and Header Grants is not allowed".to_owned(),
        });
    }
    Ok(match (canned, grants.is_empty()) {
        (None, true) => None,
        (c, _) => Some((c, grants)),
    })
}

/// ACL-derived context keys (`s3:x-amz-acl`, `s3:x-amz-grant-*`).
pub(super) fn acl_keys(ex: &Exchange<'_>) -> Vec<(String, Vec<String>)> {
    let mut keys = Vec::new();
    for h in [
        "x-amz-acl",
        "x-amz-grant-read",
        "x-amz-grant-write",
        "x-amz-grant-read-acp",
        "x-amz-grant-write-acp",
        "x-amz-grant-full-control",
    ] {
        if let Some(v) = ex.req.header_value(h) {
            keys.push((["s3:", h].concat(), vec![v.to_owned()]));
        }
    }
    keys
}

/// Object Ownership and BlockPublicAcls checks for a request that sets an ACL.
pub(super) fn check_acl_write(
    world: &World,
    ex: &mut Exchange<'_>,
    bucket: &Bucket,
    acl: &Acl,
    owner_account: &str,
) -> Result<(), S3Error> {
    if acl
        .grants
        .iter()
        .any(|g| matches!(g.grantee, Grantee::EmailAddress(_)))
    {
        let e = ex.reject(
            Gate::RequestValidation,
            S3Error::MethodNotAllowed,
            "e-mail address grantees are no longer supported (AWS ended them on 1 October 2025)",
            docs::ACL,
        );
        if let Some(s) = ex.trace.last_mut() {
            s.undocumented = Some("AWS documents the end of support, not the exact response; the playground answers 405".to_owned());
        }
        return Err(e);
    }
    if !bucket.acls_enabled() {
        let canonical = world.canonical_id(&bucket.owner);
        // Only `bucket-owner-full-control` or its XML form (the bucket owner's FULL_CONTROL and
        // nothing else) passes; every other canned ACL fails, `private` included.
        let accepted = match acl.canned {
            Some(c) => c == CannedAcl::BucketOwnerFullControl,
            None => !acl.grants.is_empty() && acl.only_full_control_for(&bucket.owner, &canonical),
        };
        if !accepted {
            let e = ex.reject(
                Gate::ObjectOwnership,
                S3Error::AccessControlListNotSupported,
                "the bucket's Object Ownership is `BucketOwnerEnforced`, so ACLs are disabled: only `bucket-owner-full-control` (or the same grant written out) is accepted, not even `private`",
                docs::OWNERSHIP_ERRORS,
            );
            if let Some(s) = ex.trace.last_mut() {
                s.compared.insert(
                    0,
                    ("ObjectOwnership".into(), "BucketOwnerEnforced".to_owned()),
                );
            }
            return Err(e);
        }
        let _ = owner_account;
    }
    let bpa = effective_bpa(world, bucket);
    if acl.is_public() {
        if bpa.block_public_acls {
            let e = ex.reject(
                Gate::BlockPublicAccess,
                S3Error::access_denied(),
                "`BlockPublicAcls` is on and the ACL grants AllUsers or AuthenticatedUsers, so S3 refuses to store it",
                docs::BPA,
            );
            if let Some(s) = ex.trace.last_mut() {
                let mut step = bpa_compare(s.clone(), world, bucket, "BlockPublicAcls", true);
                step.compared.rotate_right(3);
                *s = step;
            }
            return Err(e);
        }
        let step = bpa_compare(
            GateStep::new(
                Gate::BlockPublicAccess,
                StepOutcome::Pass,
                "the ACL is public but `BlockPublicAcls` is off, so it may be stored",
                docs::BPA,
            ),
            world,
            bucket,
            "BlockPublicAcls",
            false,
        );
        ex.step(step);
    }
    Ok(())
}

/// Reads the ACL a Put*Acl request sets: headers or body, exactly one of them.
pub(super) fn requested_acl(
    ex: &mut Exchange<'_>,
    body: Option<&AccessControlPolicy>,
    owner: &str,
    bucket_owner: &str,
    on_object: bool,
) -> Result<Acl, S3Error> {
    let headers = header_acl(ex)?;
    match (headers, body) {
        (Some(_), Some(_)) => Err(ex.reject(
            Gate::RequestValidation,
            S3Error::InvalidRequest { message: "Specifying both Canned ACLs and Header Grants is not allowed".to_owned() },
            "the request sets the ACL both in headers and in the body",
            docs::ACL,
        )),
        (None, None) => Err(ex.reject(
            Gate::RequestValidation,
            S3Error::MalformedXml,
            "the request sets no ACL: give `x-amz-acl`, `x-amz-grant-*` headers or an AccessControlPolicy body",
            docs::ACL,
        )),
        (Some((Some(c), _)), None) => Ok(Acl::from_canned(c, owner, bucket_owner, on_object)),
        (Some((None, grants)), None) => Ok(Acl { canned: None, grants }),
        (None, Some(b)) => Ok(Acl { canned: None, grants: b.grants.clone() }),
    }
}

pub(super) fn put_bucket_acl<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    name: &'r str,
    body: Option<&AccessControlPolicy>,
) -> Result<Plan<'r>, S3Error> {
    let bucket = bucket_ref(world, name)?;
    let acl = requested_acl(ex, body, &bucket.owner, &bucket.owner, false)?;
    check_acl_write(world, ex, bucket, &acl, &bucket.owner)?;
    Ok(Plan::new(
        vec![Check::bucket("s3:PutBucketAcl", name).keys(acl_keys(ex))],
        move |world, ex, _, _| {
            last_bucket_change(world, name, |b| &b.acl, |b| &mut b.acl, |a| *a = Some(acl))?;
            ex.effects.push(Effect::BucketAclSet {
                bucket: name.to_owned(),
            });
            Ok(())
        },
    ))
}

/// The ACL as `Get*Acl` shows it: the owner-only ACL while ACLs are disabled, public grants hidden
/// under `IgnorePublicAcls`.
pub(super) fn effective_acl_body(
    world: &World,
    bucket: &Bucket,
    owner: &str,
    acl: Option<&Acl>,
) -> serde_json::Value {
    let bpa = effective_bpa(world, bucket);
    let grants: Vec<Grant> = if bucket.acls_enabled() {
        acl.map_or_else(|| Acl::private(owner).grants, |a| a.grants.clone())
            .into_iter()
            .filter(|g| !(bpa.ignore_public_acls && g.is_public()))
            .collect()
    } else {
        Acl::private(&bucket.owner).grants
    };
    let shown: Vec<_> = grants
        .iter()
        .map(|g| {
            let grantee = match &g.grantee {
                Grantee::Account(a) => {
                    json!({ "Type": "CanonicalUser", "ID": world.canonical_id(a), "Account": a })
                }
                Grantee::CanonicalUser(c) => json!({ "Type": "CanonicalUser", "ID": c }),
                Grantee::Group(gr) => json!({ "Type": "Group", "URI": gr.uri() }),
                Grantee::EmailAddress(e) => {
                    json!({ "Type": "AmazonCustomerByEmail", "EmailAddress": e })
                }
            };
            json!({ "Grantee": grantee, "Permission": g.permission.as_str() })
        })
        .collect();
    let owner = if bucket.acls_enabled() {
        owner
    } else {
        bucket.owner.as_str()
    };
    json!({ "Owner": { "ID": world.canonical_id(owner), "Account": owner }, "Grants": shown })
}

pub(super) fn get_bucket_acl(name: &str) -> Plan<'_> {
    Plan::new(
        vec![Check::bucket("s3:GetBucketAcl", name)],
        move |world, ex, _, _| {
            let bucket = bucket_ref(world, name)?;
            ex.body = Some(effective_acl_body(
                world,
                bucket,
                &bucket.owner,
                bucket.acl.as_ref(),
            ));
            Ok(())
        },
    )
}

pub(super) fn put_object_acl<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    name: &'r str,
    key: &'r str,
    version_id: Option<&'r str>,
    body: Option<&AccessControlPolicy>,
) -> Result<Plan<'r>, S3Error> {
    let bucket = bucket_ref(world, name)?;
    let owner = target_owner(bucket, key, version_id);
    let acl = requested_acl(ex, body, &owner, &bucket.owner, true)?;
    check_acl_write(world, ex, bucket, &acl, &owner)?;
    let action = if version_id.is_some() {
        "s3:PutObjectVersionAcl"
    } else {
        "s3:PutObjectAcl"
    };
    let mut keys = acl_keys(ex);
    keys.extend(version_keys(version_id));
    Ok(Plan::new(
        vec![Check::object(action, name, key, &owner).keys(keys)],
        move |world, ex, _, _| {
            let vid = match locate(bucket_ref(world, name)?, key, version_id) {
                Ok(v) => v.version_id.clone(),
                Err((e, m)) => {
                    let m = m.cloned();
                    return Err(version_error(ex, e, m.as_ref(), key));
                }
            };
            // The ACL is the execution's last change and nothing after reads it: a dry run that
            // has not copied the world leaves it out rather than copy the world for it.
            if world.keeps_writes()
                && let Some(v) = bucket_mut(world, name)?
                    .objects
                    .get_mut(key)
                    .and_then(|e| e.versions.iter_mut().find(|v| v.version_id == vid))
            {
                v.acl = Some(acl);
            }
            ex.effects.push(Effect::ObjectAclSet {
                bucket: name.to_owned(),
                key: key.to_owned(),
                version_id: vid,
            });
            Ok(())
        },
    ))
}

pub(super) fn get_object_acl<'r>(
    world: &World,
    name: &'r str,
    key: &'r str,
    version_id: Option<&'r str>,
) -> Result<Plan<'r>, S3Error> {
    let owner = target_owner(bucket_ref(world, name)?, key, version_id);
    let action = if version_id.is_some() {
        "s3:GetObjectVersionAcl"
    } else {
        "s3:GetObjectAcl"
    };
    Ok(Plan::new(
        vec![Check::object(action, name, key, &owner).keys(version_keys(version_id))],
        move |world, ex, _, _| {
            let bucket = bucket_ref(world, name)?;
            match locate(bucket, key, version_id) {
                Ok(v) => {
                    ex.body = Some(effective_acl_body(world, bucket, &v.owner, v.acl.as_ref()));
                    Ok(())
                }
                Err((e, m)) => Err(version_error(ex, e, m, key)),
            }
        },
    ))
}
