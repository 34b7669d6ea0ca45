//! Who analysis asks about: every principal of the world (each account's root user, every IAM
//! user, every role session), anonymous callers, two classes of principal that stand for callers
//! the world does not name — "any principal of account N" and "any AWS account" — and the AWS
//! service principals S3 itself lets write into buckets (server access log delivery, CloudTrail).
//!
//! Follows IAM's "AWS JSON policy elements: Principal"
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>).
//! A class is answered by a dry run too: the world gains a hypothetical caller of that class
//! (a user of account N whose own identity policy allows everything; the root user of an account
//! the world does not hold), so the answer is what the resource's own side lets such a caller do.

use serde::Serialize;

use s3pg_sim::model::{IamUser, NamedPolicy};
use s3pg_sim::{Caller, World};

/// The account id the "any AWS account" class stands for (an account the world does not hold).
pub const OUTSIDE_ACCOUNT: &str = "999999999999";

/// The user name the "any principal of account N" class stands for.
pub const ANY_PRINCIPAL_USER: &str = "any-principal";

/// The AWS service principals S3 uses to write into buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ServicePrincipal {
    /// `logging.s3.amazonaws.com` (and the Log Delivery group of ACLs).
    LogDelivery,
    /// `cloudtrail.amazonaws.com`.
    CloudTrail,
}

impl ServicePrincipal {
    /// The principal's name in policies.
    pub fn name(self) -> &'static str {
        match self {
            ServicePrincipal::LogDelivery => "logging.s3.amazonaws.com",
            ServicePrincipal::CloudTrail => "cloudtrail.amazonaws.com",
        }
    }

    /// The actions the service uses on a bucket: log delivery writes log objects; CloudTrail
    /// checks the bucket ACL, then writes log files.
    pub fn actions(self) -> &'static [&'static str] {
        match self {
            ServicePrincipal::LogDelivery => &["s3:PutObject"],
            ServicePrincipal::CloudTrail => &["s3:GetBucketAcl", "s3:PutObject"],
        }
    }
}

/// One "who" of an analysis.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Subject {
    /// Unsigned requests.
    Anonymous,
    /// An account's root user.
    Root {
        /// The account id.
        account: String,
    },
    /// An IAM user.
    User {
        /// The account id.
        account: String,
        /// The user name.
        name: String,
    },
    /// A role session.
    RoleSession {
        /// The account id.
        account: String,
        /// The role name.
        role: String,
        /// The session name.
        session: String,
    },
    /// Any principal of this account that its own administrators allow (class).
    AnyPrincipalOf {
        /// The account id.
        account: String,
    },
    /// Any principal of any AWS account outside this world (class).
    AnyAwsAccount,
    /// An AWS service principal.
    Service {
        /// Which service.
        service: ServicePrincipal,
    },
}

impl Subject {
    /// How the subject is named to a learner.
    pub fn label(&self) -> String {
        match self {
            Subject::Anonymous => "anonymous callers".to_owned(),
            Subject::Root { account } => format!("root user of `{account}`"),
            Subject::User { account, name } => format!("user `{name}` (`{account}`)"),
            Subject::RoleSession {
                account,
                role,
                session,
            } => format!("role `{role}` session `{session}` (`{account}`)"),
            Subject::AnyPrincipalOf { account } => format!("any principal of `{account}`"),
            Subject::AnyAwsAccount => "any AWS account".to_owned(),
            Subject::Service { service } => format!("service `{}`", service.name()),
        }
    }

    /// The caller's account, when it has one.
    pub fn account(&self) -> Option<&str> {
        match self {
            Subject::Root { account }
            | Subject::User { account, .. }
            | Subject::RoleSession { account, .. }
            | Subject::AnyPrincipalOf { account } => Some(account),
            Subject::AnyAwsAccount => Some(OUTSIDE_ACCOUNT),
            Subject::Anonymous | Subject::Service { .. } => None,
        }
    }

    /// True for the concrete principals the world names (each row is a dry run of that caller
    /// in the world as it is).
    pub fn is_concrete(&self) -> bool {
        matches!(
            self,
            Subject::Anonymous
                | Subject::Root { .. }
                | Subject::User { .. }
                | Subject::RoleSession { .. }
        )
    }

    /// The request caller for a concrete principal or a class (the class's hypothetical caller).
    pub fn caller(&self) -> Option<Caller> {
        match self {
            Subject::Anonymous => Some(Caller::Anonymous),
            Subject::Root { account } => Some(Caller::Root {
                account: account.clone(),
            }),
            Subject::User { account, name } => Some(Caller::User {
                name: name.clone(),
                account: Some(account.clone()),
            }),
            Subject::RoleSession {
                account,
                role,
                session,
            } => Some(Caller::RoleSession {
                role: role.clone(),
                session: session.clone(),
                account: Some(account.clone()),
            }),
            Subject::AnyPrincipalOf { account } => Some(Caller::User {
                name: ANY_PRINCIPAL_USER.to_owned(),
                account: Some(account.clone()),
            }),
            Subject::AnyAwsAccount => Some(Caller::Root {
                account: OUTSIDE_ACCOUNT.to_owned(),
            }),
            Subject::Service { .. } => None,
        }
    }
}

/// Every subject of the world, in a stable order: anonymous, then per account its root, users,
/// role sessions and the account class, then "any AWS account", then the service principals.
pub fn subjects(world: &World) -> Vec<Subject> {
    let mut out = vec![Subject::Anonymous];
    for (id, account) in &world.accounts {
        out.push(Subject::Root {
            account: id.clone(),
        });
        for name in account.users.keys() {
            out.push(Subject::User {
                account: id.clone(),
                name: name.clone(),
            });
        }
        for (role, r) in &account.roles {
            for s in &r.sessions {
                out.push(Subject::RoleSession {
                    account: id.clone(),
                    role: role.clone(),
                    session: s.name.clone(),
                });
            }
        }
        out.push(Subject::AnyPrincipalOf {
            account: id.clone(),
        });
    }
    if !world.accounts.contains_key(OUTSIDE_ACCOUNT) {
        out.push(Subject::AnyAwsAccount);
    }
    out.push(Subject::Service {
        service: ServicePrincipal::LogDelivery,
    });
    out.push(Subject::Service {
        service: ServicePrincipal::CloudTrail,
    });
    out
}

/// The world with the hypothetical callers the classes stand for: in every account a user whose
/// identity policy allows everything, and an outside account with nothing but a root user.
pub fn with_class_callers(world: &World) -> World {
    let mut w = world.clone();
    let allow_all = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
    });
    for account in w.accounts.values_mut() {
        account
            .users
            .entry(ANY_PRINCIPAL_USER.to_owned())
            .or_insert_with(|| IamUser {
                policies: vec![NamedPolicy {
                    name: "AdministratorAccess".to_owned(),
                    document: allow_all.clone(),
                }],
                ..IamUser::default()
            });
    }
    w.accounts.entry(OUTSIDE_ACCOUNT.to_owned()).or_default();
    w.normalize();
    w
}
