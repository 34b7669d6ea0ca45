//! Findings per bucket: the S3 console's access label ("Public", "Objects can be public", "Only
//! authorized users of this account", "Bucket and objects not public") and IAM Access
//! Analyzer-style findings — each bucket-policy statement or ACL grant that gives access to a
//! principal outside the bucket owner's account, saying whether it reaches outside the
//! organization too and whether Block Public Access neutralises it.
//!
//! Follows the console's labels as the S3 User Guide describes them
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>,
//! "The meaning of public", and the bucket permissions check,
//! <https://docs.aws.amazon.com/AmazonS3/latest/user-guide/bucket-permissions-check.html>), IAM
//! Access Analyzer for S3 (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-analyzer.html>)
//! and Access Analyzer's zone of trust
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html>): sharing
//! inside the account (or, for an organization analyzer, inside the organization) is no finding.
//! Where the console's rule is not written down — which settings make "Objects can be public" —
//! [`Verdict`]'s documentation says how the playground reads it.

use std::fmt;

use serde::Serialize;

use s3pg_policy::public::{fixing_condition, statement_publicness};
use s3pg_policy::{Effect, PrincipalKind, Principals, Statement};
use s3pg_sim::World;
use s3pg_sim::acl::{Grant, Grantee, Group};
use s3pg_sim::model::{Bucket, PublicAccessBlock};

/// The access label the S3 console shows for a bucket.
///
/// The playground's reading: a bucket is **Public** when a public bucket policy is not
/// restricted by `RestrictPublicBuckets`, or a public bucket ACL grant is not ignored
/// (`IgnorePublicAcls`) while ACLs are enabled. It is **Only authorized users of this account**
/// when its policy is public but `RestrictPublicBuckets` limits it to the owner's account and
/// AWS services. Otherwise **Objects can be public** when someone with permission could still
/// make objects public — a public object ACL while ACLs count, or Block Public Access leaving
/// either the ACL route (`BlockPublicAcls`, `IgnorePublicAcls`, ACLs enabled) or the policy route
/// (`BlockPublicPolicy`, `RestrictPublicBuckets`) open — and **Bucket and objects not public**
/// when neither route is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    /// "Public".
    Public,
    /// "Objects can be public".
    ObjectsCanBePublic,
    /// "Only authorized users of this account".
    OnlyAuthorizedUsersOfThisAccount,
    /// "Bucket and objects not public".
    BucketAndObjectsNotPublic,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Public => "Public",
            Verdict::ObjectsCanBePublic => "Objects can be public",
            Verdict::OnlyAuthorizedUsersOfThisAccount => "Only authorized users of this account",
            Verdict::BucketAndObjectsNotPublic => "Bucket and objects not public",
        })
    }
}

/// Where a finding comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Source {
    /// A bucket policy statement.
    BucketPolicy {
        /// The statement's label (`Sid` or `#N`).
        statement: String,
        /// 0-based index.
        index: usize,
    },
    /// A bucket ACL grant.
    BucketAcl {
        /// The grantee.
        grantee: String,
        /// The permission.
        permission: String,
    },
    /// An object ACL grant.
    ObjectAcl {
        /// The key.
        key: String,
        /// The grantee.
        grantee: String,
        /// The permission.
        permission: String,
    },
}

/// Who the finding lets in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum External {
    /// Anyone, anonymous callers included.
    Public,
    /// Any signed request from any AWS account (ACL `AuthenticatedUsers`).
    AnyAwsAccount,
    /// Principals of another account.
    Account {
        /// The account id.
        account: String,
    },
    /// Anyone the statement's condition admits (a fixed source, endpoint or organization).
    Conditional {
        /// The condition that limits it, as written.
        condition: String,
    },
}

/// One Access Analyzer-style finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The statement or grant responsible.
    pub source: Source,
    /// Who it lets in.
    pub external: External,
    /// The actions (or ACL permission) it grants.
    pub actions: Vec<String>,
    /// True when it reaches outside the bucket owner's organization (always true when the owner
    /// belongs to none).
    pub outside_organization: bool,
    /// The Block Public Access setting that neutralises it, if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neutralised_by: Option<String>,
    /// One sentence.
    pub explanation: String,
}

/// The findings for one bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BucketFindings {
    /// The bucket.
    pub bucket: String,
    /// The owner.
    pub owner: String,
    /// The console's access label.
    pub verdict: Verdict,
    /// The label as the console writes it.
    pub label: String,
    /// Block Public Access in effect (account OR bucket).
    pub block_public_access: PublicAccessBlock,
    /// The findings, bucket policy first, then the bucket ACL, then object ACLs.
    pub findings: Vec<Finding>,
}

/// Effective Block Public Access for a bucket: the account's settings OR the bucket's.
pub fn effective_bpa(world: &World, bucket: &Bucket) -> PublicAccessBlock {
    let account = world
        .accounts
        .get(&bucket.owner)
        .and_then(|a| a.public_access_block)
        .unwrap_or_default();
    account.or(bucket.public_access_block.unwrap_or_default())
}

/// Findings for every bucket of the world, by bucket name.
pub fn findings(world: &World) -> Vec<BucketFindings> {
    world
        .buckets
        .iter()
        .map(|(name, b)| bucket_findings(world, name, b))
        .collect()
}

/// Findings for one bucket.
pub fn bucket_findings(world: &World, name: &str, bucket: &Bucket) -> BucketFindings {
    let bpa = effective_bpa(world, bucket);
    let owner_org = world
        .accounts
        .get(&bucket.owner)
        .and_then(|a| a.organization_id.clone());
    let outside_org = |account: &str| match &owner_org {
        None => true,
        Some(org) => {
            world
                .accounts
                .get(account)
                .and_then(|a| a.organization_id.as_ref())
                != Some(org)
        }
    };
    let mut out = Vec::new();
    let mut public_policy = false;
    if let Some(doc) = &bucket.policy
        && let Ok(policy) = world.policies.parsed(doc)
    {
        for st in policy
            .statements
            .iter()
            .filter(|s| s.effect == Effect::Allow)
        {
            let public = statement_publicness(st);
            public_policy |= public.is_some();
            for (external, outside) in
                statement_externals(world, st, &bucket.owner, &outside_org, &owner_org)
            {
                let neutralised_by = (public.is_some() && bpa.restrict_public_buckets)
                    .then(|| "RestrictPublicBuckets".to_owned());
                let actions: Vec<String> = st
                    .action
                    .actions
                    .iter()
                    .map(|a| a.value.to_string())
                    .collect();
                let explanation =
                    explain_statement(st, &external, public.as_deref(), neutralised_by.as_deref());
                out.push(Finding {
                    source: Source::BucketPolicy {
                        statement: st.label().trim_matches('`').to_owned(),
                        index: st.index,
                    },
                    external,
                    actions,
                    outside_organization: outside,
                    neutralised_by,
                    explanation,
                });
            }
        }
    }
    let acls = bucket.acls_enabled();
    let mut public_acl = false;
    if acls && let Some(acl) = &bucket.acl {
        for g in &acl.grants {
            if let Some((external, outside)) = grant_external(world, g, &bucket.owner, &outside_org)
            {
                let is_public = g.is_public();
                public_acl |= is_public;
                let neutralised_by =
                    (is_public && bpa.ignore_public_acls).then(|| "IgnorePublicAcls".to_owned());
                out.push(Finding {
                    explanation: format!(
                        "the bucket ACL grants `{}` to {}{}",
                        g.permission.as_str(),
                        g.grantee,
                        neutral_note(neutralised_by.as_deref())
                    ),
                    source: Source::BucketAcl {
                        grantee: g.grantee.to_string(),
                        permission: g.permission.as_str().to_owned(),
                    },
                    external,
                    actions: vec![g.permission.as_str().to_owned()],
                    outside_organization: outside,
                    neutralised_by,
                });
            }
        }
    }
    let public_object_acl = acls && object_acl_findings(bucket, &bpa, &mut out);
    let verdict = if (public_policy && !bpa.restrict_public_buckets)
        || (public_acl && !bpa.ignore_public_acls)
    {
        Verdict::Public
    } else if public_policy {
        Verdict::OnlyAuthorizedUsersOfThisAccount
    } else if (public_object_acl && !bpa.ignore_public_acls)
        || (acls && !bpa.block_public_acls && !bpa.ignore_public_acls)
        || (!bpa.block_public_policy && !bpa.restrict_public_buckets)
    {
        Verdict::ObjectsCanBePublic
    } else {
        Verdict::BucketAndObjectsNotPublic
    };
    BucketFindings {
        bucket: name.to_owned(),
        owner: bucket.owner.clone(),
        verdict,
        label: verdict.to_string(),
        block_public_access: bpa,
        findings: out,
    }
}

/// The object ACLs that grant to everyone or to any AWS account, as findings; whether there was
/// one.
fn object_acl_findings(bucket: &Bucket, bpa: &PublicAccessBlock, out: &mut Vec<Finding>) -> bool {
    let mut public_object_acl = false;
    for (key, entry) in &bucket.objects {
        let Some(acl) = entry.current().and_then(|v| v.acl.as_ref()) else {
            continue;
        };
        for g in acl.grants.iter().filter(|g| g.is_public()) {
            public_object_acl = true;
            let neutralised_by = bpa
                .ignore_public_acls
                .then(|| "IgnorePublicAcls".to_owned());
            out.push(Finding {
                explanation: format!(
                    "the ACL of object `{key}` grants `{}` to {}{}",
                    g.permission.as_str(),
                    g.grantee,
                    neutral_note(neutralised_by.as_deref())
                ),
                source: Source::ObjectAcl {
                    key: key.clone(),
                    grantee: g.grantee.to_string(),
                    permission: g.permission.as_str().to_owned(),
                },
                external: if g.grantee == Grantee::Group(Group::AllUsers) {
                    External::Public
                } else {
                    External::AnyAwsAccount
                },
                actions: vec![g.permission.as_str().to_owned()],
                outside_organization: true,
                neutralised_by,
            });
        }
    }
    public_object_acl
}

fn neutral_note(by: Option<&str>) -> String {
    by.map(|f| format!("; Block Public Access `{f}` neutralises it"))
        .unwrap_or_default()
}

fn explain_statement(
    st: &Statement,
    external: &External,
    public: Option<&str>,
    neutralised_by: Option<&str>,
) -> String {
    let who = match external {
        External::Public => "anyone".to_owned(),
        External::AnyAwsAccount => "any AWS account".to_owned(),
        External::Account { account } => format!("account `{account}`"),
        External::Conditional { condition } => {
            format!("callers admitted by the condition {condition}")
        }
    };
    let actions: Vec<String> = st
        .action
        .actions
        .iter()
        .map(|a| format!("`{}`", a.value))
        .collect();
    let mut s = format!(
        "bucket policy statement {} allows {who} {}",
        st.label(),
        actions.join(", ")
    );
    if let Some(p) = public {
        s.push_str(&format!(" ({p})"));
    }
    s.push_str(&neutral_note(neutralised_by));
    s
}

/// The principals outside `owner` a statement lets in, each with "outside the organization".
fn statement_externals(
    world: &World,
    st: &Statement,
    owner: &str,
    outside_org: &dyn Fn(&str) -> bool,
    owner_org: &Option<String>,
) -> Vec<(External, bool)> {
    let Some(p) = &st.principal else {
        return Vec::new();
    };
    let open = p.negated
        || match &p.principals {
            Principals::Any => true,
            Principals::Listed(entries) => entries.iter().any(|e| {
                (e.kind == PrincipalKind::Aws && e.value.contains('*'))
                    || e.kind == PrincipalKind::Federated
            }),
        };
    if open {
        if statement_publicness(st).is_some() {
            return vec![(External::Public, true)];
        }
        let Some(c) = fixing_condition(st) else {
            return vec![(External::Public, true)];
        };
        let values: Vec<&str> = c.values.iter().map(|v| &*v.value).collect();
        let key = c.key.to_ascii_lowercase();
        if key == "aws:principalaccount" && values.iter().all(|v| *v == owner) {
            return Vec::new();
        }
        if key == "aws:principalorgid" {
            let inside = owner_org
                .as_deref()
                .is_some_and(|o| values.iter().all(|v| *v == o));
            return vec![(
                External::Conditional {
                    condition: format!("`{}` = {}", c.key, quoted(&values)),
                },
                !inside,
            )];
        }
        return vec![(
            External::Conditional {
                condition: format!("`{}` {}", c.key, quoted(&values)),
            },
            true,
        )];
    }
    let Principals::Listed(entries) = &p.principals else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries {
        let account = match e.kind {
            PrincipalKind::Aws => account_of_principal(&e.value),
            PrincipalKind::CanonicalUser => {
                world.account_of_canonical_id(&e.value).map(str::to_owned)
            }
            PrincipalKind::Service | PrincipalKind::Federated => None,
        };
        if let Some(account) = account
            && account != owner
            && !out
                .iter()
                .any(|(x, _)| matches!(x, External::Account { account: a } if *a == account))
        {
            let outside = outside_org(&account);
            out.push((External::Account { account }, outside));
        }
    }
    out
}

fn quoted(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The account of an `AWS` principal: a 12-digit id or the account field of an ARN.
fn account_of_principal(value: &str) -> Option<String> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.to_owned());
    }
    value
        .strip_prefix("arn:aws:")
        .and_then(|rest| rest.split(':').nth(2))
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
}

fn grant_external(
    world: &World,
    g: &Grant,
    owner: &str,
    outside_org: &dyn Fn(&str) -> bool,
) -> Option<(External, bool)> {
    match &g.grantee {
        Grantee::Group(Group::AllUsers) => Some((External::Public, true)),
        Grantee::Group(Group::AuthenticatedUsers) => Some((External::AnyAwsAccount, true)),
        Grantee::Group(Group::LogDelivery) => None,
        Grantee::Account(a) if a != owner => {
            Some((External::Account { account: a.clone() }, outside_org(a)))
        }
        Grantee::CanonicalUser(c) => {
            let account = world.account_of_canonical_id(c)?.to_owned();
            (account != owner).then(|| {
                let outside = outside_org(&account);
                (External::Account { account }, outside)
            })
        }
        Grantee::Account(_) | Grantee::EmailAddress(_) => None,
    }
}
