//! What would flip this decision: for one request and its decision, the candidate changes — to
//! the request (a header, HTTPS, a VPC endpoint, a source address, an MFA code) or to the world
//! (remove or narrow a statement or a condition, add a statement to an identity, bucket or key
//! policy, turn a Block Public Access flag, change Object Ownership, add an ACL grant) — each
//! verified by a dry run of the same request after the change, ranked by size and explained in
//! one sentence. It answers "why not?" with "what would".
//!
//! Changes S3 itself makes through an API — the bucket policy, Block Public Access, Object
//! Ownership, ACLs — are applied as the bucket owner's console would send them, through
//! [`World::handle`], so S3's own checks apply (`BlockPublicPolicy` refuses a public policy,
//! ACLs cannot be granted while Object Ownership is `BucketOwnerEnforced`); a change S3 would
//! refuse is never proposed. IAM and KMS policies, which the simulated S3 has no API for, are
//! edited in place. Decisions follow S3's authorization workflow
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>)
//! and IAM's evaluation logic
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>).

mod edit;
mod place;

pub use self::edit::Edit;
pub use self::place::{BpaFlag, Place};

use self::edit::statements_of;
use self::place::FLAGS;

use serde::Serialize;
use serde_json::Value;

use s3pg_sim::acl::{Grant, Grantee, Group, Permission};
use s3pg_sim::model::ObjectOwnership;
use s3pg_sim::request::Operation;
use s3pg_sim::{Request, Timestamp, World};

use crate::props::candidate_changes;
use crate::{Verdict, verdict};

/// One verified proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Proposal {
    /// The change.
    pub edit: Edit,
    /// Its size (see [`Edit::size`]).
    pub size: u32,
    /// One sentence: the change and what then decides.
    pub explanation: String,
    /// The decision after the change.
    pub after: Verdict,
}

/// The answer to "what would flip this?".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Flip {
    /// The decision as it is.
    pub before: Verdict,
    /// The changes that flip it, smallest first.
    pub proposals: Vec<Proposal>,
    /// How many candidate changes were tried.
    pub searched: usize,
}

/// True when `after` is the other answer than `before` (an allowed request refused by an
/// authorization decision, or a refused one allowed).
pub fn flips(before: &Verdict, after: &Verdict) -> bool {
    before.allowed != after.allowed && after.decision.is_some()
}

/// Every candidate change for `request` in `world` (the search space of [`flip`]).
pub fn candidates(world: &World, request: &Request, now: Timestamp, allowed: bool) -> Vec<Edit> {
    let mut out: Vec<Edit> = candidate_changes(world, request, now)
        .into_iter()
        .map(|change| Edit::Request { change })
        .collect();
    let places = relevant_places(world, request, now);
    for place in &places {
        let Some(doc) = place.get(world) else {
            continue;
        };
        for (index, st) in statements_of(&doc).iter().enumerate() {
            let label = st
                .get("Sid")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map_or_else(|| format!("#{}", index + 1), |s| format!("`{s}`"));
            out.push(Edit::RemoveStatement {
                place: place.clone(),
                index,
                label: label.clone(),
            });
            if let Some(Value::Array(actions)) = st.get("Action")
                && actions.len() > 1
            {
                for a in actions.iter().filter_map(Value::as_str) {
                    out.push(Edit::RemoveAction {
                        place: place.clone(),
                        index,
                        label: label.clone(),
                        action: a.to_owned(),
                    });
                }
            }
            if let Some(Value::Object(ops)) = st.get("Condition") {
                for (operator, block) in ops {
                    let Value::Object(keys) = block else { continue };
                    for (key, values) in keys {
                        out.push(Edit::RemoveCondition {
                            place: place.clone(),
                            index,
                            label: label.clone(),
                            operator: operator.clone(),
                            key: key.clone(),
                        });
                        if let Value::Array(vs) = values
                            && vs.len() > 1
                        {
                            for v in vs.iter().filter_map(Value::as_str) {
                                out.push(Edit::RemoveConditionValue {
                                    place: place.clone(),
                                    index,
                                    label: label.clone(),
                                    operator: operator.clone(),
                                    key: key.clone(),
                                    value: v.to_owned(),
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    out.extend(added_statements(world, request, now, allowed));
    if let Some(bucket_name) = request.operation.bucket()
        && let Some(bucket) = world.buckets.get(bucket_name)
    {
        let current = bucket.public_access_block.unwrap_or_default();
        for flag in FLAGS {
            out.push(Edit::BucketBpa {
                bucket: bucket_name.to_owned(),
                flag,
                on: !flag.get(&current),
            });
        }
        let account_bpa = world
            .accounts
            .get(&bucket.owner)
            .and_then(|a| a.public_access_block)
            .unwrap_or_default();
        for flag in FLAGS {
            out.push(Edit::AccountBpa {
                account: bucket.owner.clone(),
                flag,
                on: !flag.get(&account_bpa),
            });
        }
        for ownership in [
            ObjectOwnership::BucketOwnerEnforced,
            ObjectOwnership::BucketOwnerPreferred,
            ObjectOwnership::ObjectWriter,
        ] {
            if ownership != bucket.object_ownership {
                out.push(Edit::ObjectOwnership {
                    bucket: bucket_name.to_owned(),
                    ownership,
                });
            }
        }
        if !allowed {
            out.extend(acl_grants(world, request, now, bucket_name));
        }
    }
    out
}

/// The policies that can take part in this request's decision: the bucket policy, the caller's
/// identity policies (user, groups, role), its account's SCP, the VPC endpoint's policy and the
/// key policies of the world's KMS keys.
fn relevant_places(world: &World, request: &Request, now: Timestamp) -> Vec<Place> {
    let mut out = Vec::new();
    if let Some(b) = request.operation.bucket()
        && world.buckets.get(b).is_some_and(|b| b.policy.is_some())
    {
        out.push(Place::BucketPolicy {
            bucket: b.to_owned(),
        });
    }
    if let Ok((id, _)) = world.authenticate(&request.caller, now)
        && let Some(account_id) = id.account.clone()
        && let Some(account) = world.accounts.get(&account_id)
    {
        match &id.kind {
            s3pg_sim::world::IdentityKind::User { name } => {
                if let Some(u) = account.users.get(name) {
                    for p in &u.policies {
                        out.push(Place::UserPolicy {
                            account: account_id.clone(),
                            user: name.clone(),
                            name: p.name.clone(),
                        });
                    }
                    for g in &u.groups {
                        for p in account
                            .groups
                            .get(g)
                            .map(|g| g.policies.as_slice())
                            .unwrap_or_default()
                        {
                            out.push(Place::GroupPolicy {
                                account: account_id.clone(),
                                group: g.clone(),
                                name: p.name.clone(),
                            });
                        }
                    }
                }
            }
            s3pg_sim::world::IdentityKind::RoleSession { role, .. } => {
                for p in account
                    .roles
                    .get(role)
                    .map(|r| r.policies.as_slice())
                    .unwrap_or_default()
                {
                    out.push(Place::RolePolicy {
                        account: account_id.clone(),
                        role: role.clone(),
                        name: p.name.clone(),
                    });
                }
            }
            s3pg_sim::world::IdentityKind::Root
            | s3pg_sim::world::IdentityKind::Anonymous
            | s3pg_sim::world::IdentityKind::Service { .. } => {}
        }
        if account.scp.is_some() {
            out.push(Place::Scp {
                account: account_id,
            });
        }
    }
    if let Some(e) = &request.network.vpc_endpoint
        && world
            .vpc_endpoints
            .get(e)
            .is_some_and(|e| e.policy.is_some())
    {
        out.push(Place::VpcEndpointPolicy {
            endpoint: e.clone(),
        });
    }
    for arn in world.kms.keys.keys() {
        out.push(Place::KeyPolicy { arn: arn.clone() });
    }
    out
}

/// The permission the request needs (the deciding action, or the first one the trace names)
/// and the ARN it is asked on.
fn action_and_arn(world: &World, request: &Request, now: Timestamp) -> Option<(String, String)> {
    let out = crate::dry_run(world, request, now);
    let action = out
        .deciding
        .as_ref()
        .and_then(|d| d.action.clone())
        .or_else(|| {
            out.trace
                .iter()
                .find_map(|s| s.action.as_deref().map(str::to_owned))
        })?;
    let arn = match &request.operation {
        Operation::Kms(k) => serde_json::to_value(k)
            .ok()
            .and_then(|v| v.as_object().and_then(|o| o.values().next().cloned()))
            .and_then(|v| v.get("keyId").and_then(Value::as_str).map(str::to_owned))?,
        op => {
            let bucket = op.bucket()?;
            match object_key(op) {
                Some(key) if !action.contains("Bucket") => format!("arn:aws:s3:::{bucket}/{key}"),
                _ => format!("arn:aws:s3:::{bucket}"),
            }
        }
    };
    Some((action, arn))
}

fn object_key(op: &Operation) -> Option<&str> {
    match op {
        Operation::PutObject { key, .. }
        | Operation::GetObject { key, .. }
        | Operation::HeadObject { key, .. }
        | Operation::DeleteObject { key, .. }
        | Operation::PutObjectAcl { key, .. }
        | Operation::GetObjectAcl { key, .. }
        | Operation::CopyObject { key, .. } => Some(key),
        _ => None,
    }
}

/// New statements: for a refused request an `Allow` of exactly the request's permission and
/// resource, in the caller's first identity policy and in the bucket (or key) policy naming the
/// caller; for an allowed one the same as a `Deny`.
fn added_statements(world: &World, request: &Request, now: Timestamp, allowed: bool) -> Vec<Edit> {
    let Some((action, arn)) = action_and_arn(world, request, now) else {
        return Vec::new();
    };
    let effect = if allowed { "Deny" } else { "Allow" };
    let mut out = Vec::new();
    let identity = world
        .authenticate(&request.caller, now)
        .ok()
        .map(|(id, _)| id);
    let principal: Value = match &identity {
        Some(id) if !id.is_anonymous() => serde_json::json!({"AWS": id.principal_arn}),
        _ => Value::String("*".to_owned()),
    };
    if let Some(id) = &identity
        && let Some(account) = id.account.clone()
    {
        let place = match &id.kind {
            s3pg_sim::world::IdentityKind::User { name } => Some(Place::UserPolicy {
                account,
                user: name.clone(),
                name: "analysis-flip".to_owned(),
            }),
            s3pg_sim::world::IdentityKind::RoleSession { role, .. } => Some(Place::RolePolicy {
                account,
                role: role.clone(),
                name: "analysis-flip".to_owned(),
            }),
            s3pg_sim::world::IdentityKind::Root
            | s3pg_sim::world::IdentityKind::Anonymous
            | s3pg_sim::world::IdentityKind::Service { .. } => None,
        };
        if let Some(place) = place {
            out.push(Edit::AddStatement {
                place,
                statement: serde_json::json!({"Effect": effect, "Action": action, "Resource": arn}),
            });
        }
    }
    if let Some(bucket) = request.operation.bucket()
        && world.buckets.contains_key(bucket)
        && arn.starts_with("arn:aws:s3:::")
    {
        out.push(Edit::AddStatement {
            place: Place::BucketPolicy {
                bucket: bucket.to_owned(),
            },
            statement: serde_json::json!({"Effect": effect, "Principal": principal, "Action": action, "Resource": arn}),
        });
    }
    if arn.starts_with("arn:aws:kms:") && world.kms.keys.contains_key(&arn) {
        out.push(Edit::AddStatement {
            place: Place::KeyPolicy { arn: arn.clone() },
            statement: serde_json::json!({"Effect": effect, "Principal": principal, "Action": action, "Resource": "*"}),
        });
    }
    out
}

/// ACL grants that would give the caller the permission: to its account (or to `AllUsers` for
/// an anonymous caller), on the bucket and, for object requests, on the object.
fn acl_grants(world: &World, request: &Request, now: Timestamp, bucket: &str) -> Vec<Edit> {
    let Some((action, _)) = action_and_arn(world, request, now) else {
        return Vec::new();
    };
    let grantee = match world.authenticate(&request.caller, now) {
        Ok((id, _)) => match id.account {
            Some(a) => Grantee::Account(a),
            None => Grantee::Group(Group::AllUsers),
        },
        Err(_) => return Vec::new(),
    };
    let perms = [
        Permission::Read,
        Permission::Write,
        Permission::ReadAcp,
        Permission::WriteAcp,
    ];
    let mut out = Vec::new();
    if let Some(p) = perms.iter().find(|p| p.grants_action(false, &action)) {
        out.push(Edit::BucketAclGrant {
            bucket: bucket.to_owned(),
            grant: Grant {
                grantee: grantee.clone(),
                permission: *p,
            },
        });
    }
    if let Some(key) = object_key(&request.operation)
        && world
            .buckets
            .get(bucket)
            .is_some_and(|b| b.objects.contains_key(key))
        && let Some(p) = perms.iter().find(|p| p.grants_action(true, &action))
    {
        out.push(Edit::ObjectAclGrant {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            grant: Grant {
                grantee,
                permission: *p,
            },
        });
    }
    out
}

/// Tries one candidate; the verdict after it when it applies.
pub fn try_edit(world: &World, request: &Request, now: Timestamp, edit: &Edit) -> Option<Verdict> {
    let (w, r) = edit.apply(world, request, now)?;
    Some(verdict(&w, &r, now))
}

/// What would flip the decision on `request` at `now`: every candidate that does, smallest first.
pub fn flip(world: &World, request: &Request, now: Timestamp) -> Flip {
    let before = verdict(world, request, now);
    let all = candidates(world, request, now, before.allowed);
    let searched = all.len();
    let mut proposals = Vec::new();
    for edit in all {
        let Some(after) = try_edit(world, request, now, &edit) else {
            continue;
        };
        if flips(&before, &after) {
            let explanation = format!(
                "{}: then {} ({})",
                edit.describe(),
                if after.allowed {
                    "it is allowed"
                } else {
                    "it is refused"
                },
                after.decided_by()
            );
            proposals.push(Proposal {
                size: edit.size(),
                edit,
                explanation,
                after,
            });
        }
    }
    // INVARIANT: stable sort, so equal sizes keep the candidate order (request changes first).
    proposals.sort_by_key(|p| p.size);
    Flip {
        before,
        proposals,
        searched,
    }
}
