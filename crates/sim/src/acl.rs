//! Access control lists: grantees, permissions, canned ACLs, what an ACL permission allows and
//! what counts as a public grant.
//!
//! Follows the ACL overview (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html>)
//! and, for "public", Block Public Access
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The predefined groups an ACL can grant to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Group {
    /// Everyone, signed or not: `http://acs.amazonaws.com/groups/global/AllUsers`.
    AllUsers,
    /// Any signed request from any AWS account: `http://acs.amazonaws.com/groups/global/AuthenticatedUsers`.
    AuthenticatedUsers,
    /// The S3 log delivery service: `http://acs.amazonaws.com/groups/s3/LogDelivery`.
    LogDelivery,
}

impl Group {
    /// The group's URI as it appears in ACL XML.
    pub fn uri(self) -> &'static str {
        match self {
            Group::AllUsers => "http://acs.amazonaws.com/groups/global/AllUsers",
            Group::AuthenticatedUsers => {
                "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
            }
            Group::LogDelivery => "http://acs.amazonaws.com/groups/s3/LogDelivery",
        }
    }

    /// Reads a group from its URI or short name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Group::AllUsers,
            Group::AuthenticatedUsers,
            Group::LogDelivery,
        ]
        .into_iter()
        .find(|g| g.uri() == text || format!("{g:?}") == text)
    }
}

/// Who an ACL grant is for. IAM users and roles can never be grantees.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Grantee {
    /// An account by its canonical user id.
    CanonicalUser(String),
    /// An account by its 12-digit id (the playground's shorthand for that account's canonical user).
    Account(String),
    /// A predefined group.
    Group(Group),
    /// An e-mail address grantee (no longer supported by AWS since 1 October 2025).
    EmailAddress(String),
}

impl fmt::Display for Grantee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Grantee::CanonicalUser(id) => write!(f, "canonical user `{id}`"),
            Grantee::Account(id) => write!(f, "account `{id}`"),
            Grantee::Group(g) => write!(f, "group `{g:?}`"),
            Grantee::EmailAddress(e) => write!(f, "e-mail `{e}`"),
        }
    }
}

/// An ACL permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Permission {
    /// List a bucket / read an object.
    Read,
    /// Create, overwrite and delete objects in a bucket.
    Write,
    /// Read the ACL.
    ReadAcp,
    /// Write the ACL.
    WriteAcp,
    /// All of the above.
    FullControl,
}

impl Permission {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Read => "READ",
            Permission::Write => "WRITE",
            Permission::ReadAcp => "READ_ACP",
            Permission::WriteAcp => "WRITE_ACP",
            Permission::FullControl => "FULL_CONTROL",
        }
    }

    /// The policy actions this permission grants on a bucket or an object (ACL overview, "Mapping
    /// of ACL permissions and access policy permissions").
    pub fn grants_action(self, on_object: bool, action: &str) -> bool {
        let bucket: &[&str] = match self {
            Permission::Read => &[
                "s3:ListBucket",
                "s3:ListBucketVersions",
                "s3:ListBucketMultipartUploads",
            ],
            Permission::Write => &["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
            Permission::ReadAcp => &["s3:GetBucketAcl"],
            Permission::WriteAcp => &["s3:PutBucketAcl"],
            Permission::FullControl => &[],
        };
        let object: &[&str] = match self {
            Permission::Read => &["s3:GetObject", "s3:GetObjectVersion"],
            Permission::Write => &[],
            Permission::ReadAcp => &["s3:GetObjectAcl", "s3:GetObjectVersionAcl"],
            Permission::WriteAcp => &["s3:PutObjectAcl", "s3:PutObjectVersionAcl"],
            Permission::FullControl => &[],
        };
        if self == Permission::FullControl {
            return [
                Permission::Read,
                Permission::Write,
                Permission::ReadAcp,
                Permission::WriteAcp,
            ]
            .into_iter()
            .any(|p| p.grants_action(on_object, action));
        }
        if on_object {
            object.contains(&action)
        } else {
            bucket.contains(&action)
        }
    }
}

/// One ACL grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Grant {
    /// Who is granted.
    pub grantee: Grantee,
    /// What is granted.
    pub permission: Permission,
}

impl Grant {
    /// A grant to a public group (AllUsers or AuthenticatedUsers); LogDelivery is not public.
    pub fn is_public(&self) -> bool {
        matches!(
            self.grantee,
            Grantee::Group(Group::AllUsers | Group::AuthenticatedUsers)
        )
    }
}

/// The canned ACLs (`x-amz-acl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CannedAcl {
    /// Owner `FULL_CONTROL` only.
    Private,
    /// Plus AllUsers `READ`.
    PublicRead,
    /// Plus AllUsers `READ` and `WRITE`.
    PublicReadWrite,
    /// Plus EC2 `READ` for AMI bundles (modelled as owner-only here).
    AwsExecRead,
    /// Plus AuthenticatedUsers `READ`.
    AuthenticatedRead,
    /// Object owner `FULL_CONTROL`, bucket owner `READ`.
    BucketOwnerRead,
    /// Object owner and bucket owner `FULL_CONTROL`.
    BucketOwnerFullControl,
    /// LogDelivery `WRITE` and `READ_ACP` (buckets).
    LogDeliveryWrite,
}

impl CannedAcl {
    /// The header spelling (`public-read`).
    pub fn as_str(self) -> &'static str {
        match self {
            CannedAcl::Private => "private",
            CannedAcl::PublicRead => "public-read",
            CannedAcl::PublicReadWrite => "public-read-write",
            CannedAcl::AwsExecRead => "aws-exec-read",
            CannedAcl::AuthenticatedRead => "authenticated-read",
            CannedAcl::BucketOwnerRead => "bucket-owner-read",
            CannedAcl::BucketOwnerFullControl => "bucket-owner-full-control",
            CannedAcl::LogDeliveryWrite => "log-delivery-write",
        }
    }

    /// Reads the header value.
    pub fn parse(text: &str) -> Option<Self> {
        use CannedAcl::*;
        [
            Private,
            PublicRead,
            PublicReadWrite,
            AwsExecRead,
            AuthenticatedRead,
            BucketOwnerRead,
            BucketOwnerFullControl,
            LogDeliveryWrite,
        ]
        .into_iter()
        .find(|c| c.as_str() == text)
    }

    /// The grants this canned ACL stands for, given the resource owner and the bucket owner
    /// (account ids). `bucket-owner-*` are ignored on buckets (owner-only).
    pub fn grants(self, owner: &str, bucket_owner: &str, on_object: bool) -> Vec<Grant> {
        let owner_full = Grant {
            grantee: Grantee::Account(owner.to_owned()),
            permission: Permission::FullControl,
        };
        let group = |g, p| Grant {
            grantee: Grantee::Group(g),
            permission: p,
        };
        let mut grants = vec![owner_full];
        match self {
            CannedAcl::Private | CannedAcl::AwsExecRead => {}
            CannedAcl::PublicRead => grants.push(group(Group::AllUsers, Permission::Read)),
            CannedAcl::PublicReadWrite => {
                grants.push(group(Group::AllUsers, Permission::Read));
                grants.push(group(Group::AllUsers, Permission::Write));
            }
            CannedAcl::AuthenticatedRead => {
                grants.push(group(Group::AuthenticatedUsers, Permission::Read))
            }
            CannedAcl::BucketOwnerRead | CannedAcl::BucketOwnerFullControl => {
                if on_object && owner != bucket_owner {
                    let permission = if self == CannedAcl::BucketOwnerRead {
                        Permission::Read
                    } else {
                        Permission::FullControl
                    };
                    grants.push(Grant {
                        grantee: Grantee::Account(bucket_owner.to_owned()),
                        permission,
                    });
                }
            }
            CannedAcl::LogDeliveryWrite => {
                grants.push(group(Group::LogDelivery, Permission::Write));
                grants.push(group(Group::LogDelivery, Permission::ReadAcp));
            }
        }
        grants
    }
}

/// An ACL: the grants, and the canned ACL they came from (if any, for display).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Acl {
    /// The canned ACL this ACL was made from. In a scenario, give either this or `grants`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canned: Option<CannedAcl>,
    /// The grants.
    #[serde(default)]
    pub grants: Vec<Grant>,
}

impl Acl {
    /// The default ACL: the owner has `FULL_CONTROL`.
    pub fn private(owner: &str) -> Self {
        Acl {
            canned: Some(CannedAcl::Private),
            grants: CannedAcl::Private.grants(owner, owner, false),
        }
    }

    /// An ACL from a canned ACL.
    pub fn from_canned(
        canned: CannedAcl,
        owner: &str,
        bucket_owner: &str,
        on_object: bool,
    ) -> Self {
        Acl {
            canned: Some(canned),
            grants: canned.grants(owner, bucket_owner, on_object),
        }
    }

    /// Expands `canned` into grants when the grants were not written out.
    pub fn normalize(&mut self, owner: &str, bucket_owner: &str, on_object: bool) {
        if let (Some(c), true) = (self.canned, self.grants.is_empty()) {
            self.grants = c.grants(owner, bucket_owner, on_object);
        }
    }

    /// True if any grant is to AllUsers or AuthenticatedUsers.
    pub fn is_public(&self) -> bool {
        self.grants.iter().any(Grant::is_public)
    }

    /// True if every grant is the given account's `FULL_CONTROL` (the only ACL accepted while ACLs
    /// are disabled).
    pub fn only_full_control_for(&self, account: &str, canonical_id: &str) -> bool {
        self.grants.iter().all(|g| {
            g.permission == Permission::FullControl
                && match &g.grantee {
                    Grantee::Account(a) => a == account,
                    Grantee::CanonicalUser(c) => c == canonical_id,
                    Grantee::Group(_) | Grantee::EmailAddress(_) => false,
                }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acl_permissions_map_to_policy_actions() {
        let table = [
            (Permission::Read, false, "s3:ListBucket", true),
            (Permission::Read, true, "s3:GetObject", true),
            (Permission::Read, true, "s3:GetObjectVersion", true),
            (Permission::Read, false, "s3:GetObject", false),
            (Permission::Write, false, "s3:PutObject", true),
            (Permission::Write, true, "s3:PutObject", false),
            (Permission::ReadAcp, false, "s3:GetBucketAcl", true),
            (Permission::WriteAcp, true, "s3:PutObjectAcl", true),
            (Permission::FullControl, true, "s3:GetObjectAcl", true),
            (Permission::FullControl, false, "s3:PutObject", true),
            (Permission::FullControl, true, "s3:DeleteObject", false),
        ];
        for (perm, on_object, action, expected) in table {
            assert_eq!(
                perm.grants_action(on_object, action),
                expected,
                "{perm:?} {on_object} {action}"
            );
        }
    }

    #[test]
    fn canned_acls_expand_and_classify() {
        assert!(Acl::from_canned(CannedAcl::PublicRead, "1", "1", true).is_public());
        assert!(Acl::from_canned(CannedAcl::AuthenticatedRead, "1", "1", true).is_public());
        assert!(!Acl::from_canned(CannedAcl::LogDeliveryWrite, "1", "1", false).is_public());
        let bofc = Acl::from_canned(CannedAcl::BucketOwnerFullControl, "writer", "owner", true);
        assert_eq!(bofc.grants.len(), 2);
        assert!(!bofc.only_full_control_for("owner", "x"));
        assert!(Acl::private("owner").only_full_control_for("owner", "x"));
        assert_eq!(
            CannedAcl::parse("public-read-write"),
            Some(CannedAcl::PublicReadWrite)
        );
        assert_eq!(CannedAcl::parse("public"), None);
    }
}
