//! Where a change can be made: a policy (identity, bucket, key, endpoint …), a bucket's ACL or
//! Block Public Access setting, an account's setting; how the console names each one.

use std::fmt;

use s3pg_sim::model::PublicAccessBlock;
use s3pg_sim::request::Operation;
use s3pg_sim::{Caller, Request, Timestamp, World};
use serde::Serialize;
use serde_json::Value;

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
    pub(super) fn set(&self, world: &mut World, doc: Option<Value>, now: Timestamp) -> bool {
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

pub(super) fn named(policies: &[s3pg_sim::model::NamedPolicy], name: &str) -> Option<Value> {
    policies
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.document.clone())
}

/// Sends a console request as the root user of `account`; true when S3 accepted it.
pub(super) fn console(
    world: &mut World,
    account: &str,
    operation: Operation,
    now: Timestamp,
) -> bool {
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

pub(super) const FLAGS: [BpaFlag; 4] = [
    BpaFlag::BlockPublicAcls,
    BpaFlag::IgnorePublicAcls,
    BpaFlag::BlockPublicPolicy,
    BpaFlag::RestrictPublicBuckets,
];

impl BpaFlag {
    pub(super) fn get(self, c: &PublicAccessBlock) -> bool {
        match self {
            BpaFlag::BlockPublicAcls => c.block_public_acls,
            BpaFlag::IgnorePublicAcls => c.ignore_public_acls,
            BpaFlag::BlockPublicPolicy => c.block_public_policy,
            BpaFlag::RestrictPublicBuckets => c.restrict_public_buckets,
        }
    }

    pub(super) fn set(self, c: &mut PublicAccessBlock, on: bool) {
        match self {
            BpaFlag::BlockPublicAcls => c.block_public_acls = on,
            BpaFlag::IgnorePublicAcls => c.ignore_public_acls = on,
            BpaFlag::BlockPublicPolicy => c.block_public_policy = on,
            BpaFlag::RestrictPublicBuckets => c.restrict_public_buckets = on,
        }
    }
}
