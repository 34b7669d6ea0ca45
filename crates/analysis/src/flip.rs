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

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use s3pg_sim::acl::{Acl, Grant, Grantee, Group, Permission};
use s3pg_sim::model::{ObjectOwnership, PublicAccessBlock};
use s3pg_sim::request::{AccessControlPolicy, Operation};
use s3pg_sim::{Caller, Request, Timestamp, World};

use crate::props::{RequestChange, candidate_changes};
use crate::{Verdict, verdict};

/// Where a policy document lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Place {
    /// A bucket policy.
    BucketPolicy {
        /// The bucket.
        bucket: String,
    },
    /// An identity policy of a user.
    UserPolicy {
        /// The account.
        account: String,
        /// The user.
        user: String,
        /// The policy's name.
        name: String,
    },
    /// An identity policy of a group.
    GroupPolicy {
        /// The account.
        account: String,
        /// The group.
        group: String,
        /// The policy's name.
        name: String,
    },
    /// An identity policy of a role.
    RolePolicy {
        /// The account.
        account: String,
        /// The role.
        role: String,
        /// The policy's name.
        name: String,
    },
    /// An account's service control policy.
    Scp {
        /// The account.
        account: String,
    },
    /// A gateway VPC endpoint's policy.
    VpcEndpointPolicy {
        /// The endpoint id.
        endpoint: String,
    },
    /// A KMS key policy.
    KeyPolicy {
        /// The key ARN.
        arn: String,
    },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::BucketPolicy { bucket } => write!(f, "the bucket policy of `{bucket}`"),
            Place::UserPolicy { user, name, .. } => {
                write!(f, "identity policy `{name}` of user `{user}`")
            }
            Place::GroupPolicy { group, name, .. } => {
                write!(f, "identity policy `{name}` of group `{group}`")
            }
            Place::RolePolicy { role, name, .. } => {
                write!(f, "identity policy `{name}` of role `{role}`")
            }
            Place::Scp { account } => write!(f, "the SCP of account `{account}`"),
            Place::VpcEndpointPolicy { endpoint } => {
                write!(f, "the policy of VPC endpoint `{endpoint}`")
            }
            Place::KeyPolicy { arn } => write!(f, "the key policy of `{arn}`"),
        }
    }
}

impl Place {
    /// The document, as the world stores it.
    pub fn get(&self, world: &World) -> Option<Value> {
        match self {
            Place::BucketPolicy { bucket } => world.buckets.get(bucket)?.policy.clone(),
            Place::UserPolicy {
                account,
                user,
                name,
            } => named(
                &world.accounts.get(account)?.users.get(user)?.policies,
                name,
            ),
            Place::GroupPolicy {
                account,
                group,
                name,
            } => named(
                &world.accounts.get(account)?.groups.get(group)?.policies,
                name,
            ),
            Place::RolePolicy {
                account,
                role,
                name,
            } => named(
                &world.accounts.get(account)?.roles.get(role)?.policies,
                name,
            ),
            Place::Scp { account } => world.accounts.get(account)?.scp.clone(),
            Place::VpcEndpointPolicy { endpoint } => {
                world.vpc_endpoints.get(endpoint)?.policy.clone()
            }
            Place::KeyPolicy { arn } => {
                serde_json::from_str(world.kms.keys.get(arn)?.policy.text()).ok()
            }
        }
    }

    /// Stores a document (or removes it with `None`), as the console would: the bucket policy
    /// through `PutBucketPolicy`/`DeleteBucketPolicy` sent by the bucket owner; the others in
    /// place. `false` when the world (or S3) refuses it.
    fn set(&self, world: &mut World, doc: Option<Value>, now: Timestamp) -> bool {
        let slot = |policies: &mut Vec<s3pg_sim::model::NamedPolicy>, name: &str| {
            match doc.clone() {
                Some(d) => {
                    if let Some(p) = policies.iter_mut().find(|p| p.name == name) {
                        p.document = d;
                    } else {
                        policies.push(s3pg_sim::model::NamedPolicy {
                            name: name.to_owned(),
                            document: d,
                        });
                    }
                }
                None => policies.retain(|p| p.name != name),
            }
            true
        };
        match self {
            Place::BucketPolicy { bucket } => {
                let Some(owner) = world.buckets.get(bucket).map(|b| b.owner.clone()) else {
                    return false;
                };
                let op = match doc {
                    Some(policy) => Operation::PutBucketPolicy {
                        bucket: bucket.clone(),
                        policy,
                    },
                    None => Operation::DeleteBucketPolicy {
                        bucket: bucket.clone(),
                    },
                };
                console(world, &owner, op, now)
            }
            Place::UserPolicy {
                account,
                user,
                name,
            } => world
                .accounts
                .get_mut(account)
                .and_then(|a| a.users.get_mut(user))
                .is_some_and(|u| slot(&mut u.policies, name)),
            Place::GroupPolicy {
                account,
                group,
                name,
            } => world
                .accounts
                .get_mut(account)
                .and_then(|a| a.groups.get_mut(group))
                .is_some_and(|g| slot(&mut g.policies, name)),
            Place::RolePolicy {
                account,
                role,
                name,
            } => world
                .accounts
                .get_mut(account)
                .and_then(|a| a.roles.get_mut(role))
                .is_some_and(|r| slot(&mut r.policies, name)),
            Place::Scp { account } => world.accounts.get_mut(account).is_some_and(|a| {
                a.scp = doc;
                true
            }),
            Place::VpcEndpointPolicy { endpoint } => {
                // No endpoint policy means full access: an emptied one is not the same thing.
                let Some(d) = doc else { return false };
                world.vpc_endpoints.get_mut(endpoint).is_some_and(|e| {
                    e.policy = Some(d);
                    true
                })
            }
            Place::KeyPolicy { arn } => {
                let Some(d) = doc else { return false };
                let Ok(parsed) = s3pg_kms::KeyPolicy::parse(&d.to_string()) else {
                    return false;
                };
                world.kms.keys.get_mut(arn).is_some_and(|k| {
                    k.policy = parsed;
                    true
                })
            }
        }
    }
}

fn named(policies: &[s3pg_sim::model::NamedPolicy], name: &str) -> Option<Value> {
    policies
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.document.clone())
}

/// Sends a console request as the root user of `account`; true when S3 accepted it.
fn console(world: &mut World, account: &str, operation: Operation, now: Timestamp) -> bool {
    let request = Request::new(
        Caller::Root {
            account: account.to_owned(),
        },
        operation,
    );
    let out = world.handle(&request, now);
    out.status < 300
}

/// A Block Public Access flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BpaFlag {
    /// `BlockPublicAcls`.
    BlockPublicAcls,
    /// `IgnorePublicAcls`.
    IgnorePublicAcls,
    /// `BlockPublicPolicy`.
    BlockPublicPolicy,
    /// `RestrictPublicBuckets`.
    RestrictPublicBuckets,
}

const FLAGS: [BpaFlag; 4] = [
    BpaFlag::BlockPublicAcls,
    BpaFlag::IgnorePublicAcls,
    BpaFlag::BlockPublicPolicy,
    BpaFlag::RestrictPublicBuckets,
];

impl BpaFlag {
    fn get(self, c: &PublicAccessBlock) -> bool {
        match self {
            BpaFlag::BlockPublicAcls => c.block_public_acls,
            BpaFlag::IgnorePublicAcls => c.ignore_public_acls,
            BpaFlag::BlockPublicPolicy => c.block_public_policy,
            BpaFlag::RestrictPublicBuckets => c.restrict_public_buckets,
        }
    }

    fn set(self, c: &mut PublicAccessBlock, on: bool) {
        match self {
            BpaFlag::BlockPublicAcls => c.block_public_acls = on,
            BpaFlag::IgnorePublicAcls => c.ignore_public_acls = on,
            BpaFlag::BlockPublicPolicy => c.block_public_policy = on,
            BpaFlag::RestrictPublicBuckets => c.restrict_public_buckets = on,
        }
    }
}

/// One candidate change.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase", tag = "edit")]
pub enum Edit {
    /// Change the request itself.
    Request {
        /// The change.
        change: RequestChange,
    },
    /// Remove a statement.
    RemoveStatement {
        /// Where.
        place: Place,
        /// 0-based index.
        index: usize,
        /// Its label.
        label: String,
    },
    /// Remove one action from a statement that lists several.
    RemoveAction {
        /// Where.
        place: Place,
        /// 0-based statement index.
        index: usize,
        /// The statement's label.
        label: String,
        /// The action pattern removed.
        action: String,
    },
    /// Remove one condition (operator and key) from a statement.
    RemoveCondition {
        /// Where.
        place: Place,
        /// 0-based statement index.
        index: usize,
        /// The statement's label.
        label: String,
        /// The operator.
        operator: String,
        /// The key.
        key: String,
    },
    /// Remove one value from a condition that lists several.
    RemoveConditionValue {
        /// Where.
        place: Place,
        /// 0-based statement index.
        index: usize,
        /// The statement's label.
        label: String,
        /// The operator.
        operator: String,
        /// The key.
        key: String,
        /// The value removed.
        value: String,
    },
    /// Add a statement.
    AddStatement {
        /// Where.
        place: Place,
        /// The statement.
        statement: Value,
    },
    /// Turn a bucket's Block Public Access flag on or off (`PutPublicAccessBlock`).
    BucketBpa {
        /// The bucket.
        bucket: String,
        /// The flag.
        flag: BpaFlag,
        /// On or off.
        on: bool,
    },
    /// Turn an account's Block Public Access flag on or off (s3control `PutPublicAccessBlock`).
    AccountBpa {
        /// The account.
        account: String,
        /// The flag.
        flag: BpaFlag,
        /// On or off.
        on: bool,
    },
    /// Change Object Ownership (`PutBucketOwnershipControls`).
    ObjectOwnership {
        /// The bucket.
        bucket: String,
        /// The new setting.
        ownership: ObjectOwnership,
    },
    /// Add a grant to the bucket ACL (`PutBucketAcl`).
    BucketAclGrant {
        /// The bucket.
        bucket: String,
        /// The grant.
        grant: Grant,
    },
    /// Add a grant to an object's ACL (`PutObjectAcl`).
    ObjectAclGrant {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
        /// The grant.
        grant: Grant,
    },
}

impl Edit {
    /// The size of the change: 1 for one value (a request property, a flag, a setting, one
    /// condition or one value of it, one action of a list), 2 for a grant or a whole statement
    /// removed, 3 for a new statement (effect, action and resource written). Smaller is first.
    pub fn size(&self) -> u32 {
        match self {
            Edit::Request { .. }
            | Edit::RemoveAction { .. }
            | Edit::RemoveCondition { .. }
            | Edit::RemoveConditionValue { .. }
            | Edit::BucketBpa { .. }
            | Edit::AccountBpa { .. }
            | Edit::ObjectOwnership { .. } => 1,
            Edit::RemoveStatement { .. }
            | Edit::BucketAclGrant { .. }
            | Edit::ObjectAclGrant { .. } => 2,
            Edit::AddStatement { .. } => 3,
        }
    }

    /// The change in one sentence.
    pub fn describe(&self) -> String {
        let onoff = |on: bool| if on { "on" } else { "off" };
        match self {
            Edit::Request { change } => format!("send the request {change}"),
            Edit::RemoveStatement { place, label, .. } => {
                format!("remove statement {label} from {place}")
            }
            Edit::RemoveAction {
                place,
                label,
                action,
                ..
            } => format!("remove `{action}` from statement {label} of {place}"),
            Edit::RemoveCondition {
                place,
                label,
                operator,
                key,
                ..
            } => format!(
                "remove the `{operator}` condition on `{key}` from statement {label} of {place}"
            ),
            Edit::RemoveConditionValue {
                place,
                label,
                operator,
                key,
                value,
                ..
            } => format!(
                "drop `{value}` from the `{operator}` `{key}` values of statement {label} of {place}"
            ),
            Edit::AddStatement { place, statement } => {
                let effect = statement
                    .get("Effect")
                    .and_then(Value::as_str)
                    .unwrap_or("Allow");
                let action = statement
                    .get("Action")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let resource = statement
                    .get("Resource")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let principal = match statement.get("Principal") {
                    Some(Value::String(s)) => format!(" `{s}`"),
                    Some(Value::Object(m)) => m
                        .values()
                        .next()
                        .and_then(Value::as_str)
                        .map(|p| format!(" `{p}`"))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                let verb = if effect == "Deny" { "denies" } else { "allows" };
                format!(
                    "add to {place} a statement that {verb}{principal} `{action}` on `{resource}`"
                )
            }
            Edit::BucketBpa { bucket, flag, on } => format!(
                "turn Block Public Access `{flag:?}` {} for bucket `{bucket}`",
                onoff(*on)
            ),
            Edit::AccountBpa { account, flag, on } => format!(
                "turn Block Public Access `{flag:?}` {} for account `{account}`",
                onoff(*on)
            ),
            Edit::ObjectOwnership { bucket, ownership } => format!(
                "set Object Ownership of `{bucket}` to `{}`",
                ownership.as_str()
            ),
            Edit::BucketAclGrant { bucket, grant } => format!(
                "grant `{}` to {} in the ACL of bucket `{bucket}`",
                grant.permission.as_str(),
                grant.grantee
            ),
            Edit::ObjectAclGrant { bucket, key, grant } => format!(
                "grant `{}` to {} in the ACL of `{bucket}/{key}`",
                grant.permission.as_str(),
                grant.grantee
            ),
        }
    }

    /// Applies the change to a copy of the world and the request; `None` when S3 (or the world)
    /// refuses it.
    pub fn apply(
        &self,
        world: &World,
        request: &Request,
        now: Timestamp,
    ) -> Option<(World, Request)> {
        let mut req = request.clone();
        if let Edit::Request { change } = self {
            change.apply(&mut req);
            return Some((world.clone(), req));
        }
        let mut w = world.clone();
        let ok = match self {
            Edit::Request { .. } => true,
            Edit::RemoveStatement { place, index, .. } => {
                let doc = place.get(&w)?;
                let mut statements = statements_of(&doc);
                if *index >= statements.len() {
                    return None;
                }
                statements.remove(*index);
                let new = if statements.is_empty() {
                    None
                } else {
                    Some(with_statements(&doc, statements))
                };
                place.set(&mut w, new, now)
            }
            Edit::RemoveAction {
                place,
                index,
                action,
                ..
            } => edit_statement(&mut w, place, *index, now, |st| {
                let list = st.get_mut("Action")?.as_array_mut()?;
                list.retain(|a| a.as_str() != Some(action));
                Some(())
            }),
            Edit::RemoveCondition {
                place,
                index,
                operator,
                key,
                ..
            } => edit_statement(&mut w, place, *index, now, |st| {
                let cond = st.get_mut("Condition")?.as_object_mut()?;
                let block = cond.get_mut(operator)?.as_object_mut()?;
                block.remove(key)?;
                if block.is_empty() {
                    cond.remove(operator);
                }
                if cond.is_empty()
                    && let Some(o) = st.as_object_mut()
                {
                    o.remove("Condition");
                }
                Some(())
            }),
            Edit::RemoveConditionValue {
                place,
                index,
                operator,
                key,
                value,
                ..
            } => edit_statement(&mut w, place, *index, now, |st| {
                let list = st
                    .get_mut("Condition")?
                    .get_mut(operator)?
                    .get_mut(key)?
                    .as_array_mut()?;
                list.retain(|v| v.as_str() != Some(value));
                Some(())
            }),
            Edit::AddStatement { place, statement } => {
                let doc = place.get(&w).unwrap_or_else(
                    || serde_json::json!({"Version": "2012-10-17", "Statement": []}),
                );
                let mut statements = statements_of(&doc);
                statements.push(statement.clone());
                place.set(&mut w, Some(with_statements(&doc, statements)), now)
            }
            Edit::BucketBpa { bucket, flag, on } => {
                let b = w.buckets.get(bucket)?;
                let owner = b.owner.clone();
                let mut config = b.public_access_block.unwrap_or_default();
                flag.set(&mut config, *on);
                console(
                    &mut w,
                    &owner,
                    Operation::PutPublicAccessBlock {
                        bucket: bucket.clone(),
                        configuration: config,
                    },
                    now,
                )
            }
            Edit::AccountBpa { account, flag, on } => {
                let mut config = w
                    .accounts
                    .get(account)?
                    .public_access_block
                    .unwrap_or_default();
                flag.set(&mut config, *on);
                console(
                    &mut w,
                    account,
                    Operation::PutAccountPublicAccessBlock {
                        account: account.clone(),
                        configuration: config,
                    },
                    now,
                )
            }
            Edit::ObjectOwnership { bucket, ownership } => {
                let owner = w.buckets.get(bucket)?.owner.clone();
                console(
                    &mut w,
                    &owner,
                    Operation::PutBucketOwnershipControls {
                        bucket: bucket.clone(),
                        object_ownership: *ownership,
                    },
                    now,
                )
            }
            Edit::BucketAclGrant { bucket, grant } => {
                let b = w.buckets.get(bucket)?;
                let owner = b.owner.clone();
                let mut acl = b.acl.clone().unwrap_or_else(|| Acl::private(&owner));
                acl.grants.push(grant.clone());
                console(
                    &mut w,
                    &owner,
                    Operation::PutBucketAcl {
                        bucket: bucket.clone(),
                        access_control_policy: Some(AccessControlPolicy { grants: acl.grants }),
                    },
                    now,
                )
            }
            Edit::ObjectAclGrant { bucket, key, grant } => {
                let b = w.buckets.get(bucket)?;
                let v = b.objects.get(key)?.current()?;
                let owner = v.owner.clone();
                let mut acl = v.acl.clone().unwrap_or_else(|| Acl::private(&owner));
                acl.grants.push(grant.clone());
                console(
                    &mut w,
                    &owner,
                    Operation::PutObjectAcl {
                        bucket: bucket.clone(),
                        key: key.clone(),
                        version_id: None,
                        access_control_policy: Some(AccessControlPolicy { grants: acl.grants }),
                    },
                    now,
                )
            }
        };
        ok.then_some((w, req))
    }
}

fn statements_of(doc: &Value) -> Vec<Value> {
    match doc.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(one) => vec![one.clone()],
        None => Vec::new(),
    }
}

fn with_statements(doc: &Value, statements: Vec<Value>) -> Value {
    let mut d = doc.clone();
    if let Some(o) = d.as_object_mut() {
        o.insert("Statement".to_owned(), Value::Array(statements));
    }
    d
}

fn edit_statement(
    w: &mut World,
    place: &Place,
    index: usize,
    now: Timestamp,
    f: impl FnOnce(&mut Value) -> Option<()>,
) -> bool {
    let Some(doc) = place.get(w) else {
        return false;
    };
    let mut statements = statements_of(&doc);
    let Some(st) = statements.get_mut(index) else {
        return false;
    };
    if f(st).is_none() {
        return false;
    }
    place.set(w, Some(with_statements(&doc, statements)), now)
}

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
        .or_else(|| out.trace.iter().find_map(|s| s.action.clone()))?;
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
