//! The IAM and STS requests the world answers, as the learner (or the AWS console behind the
//! identities view) sends them: identity policies put, deleted, attached and detached, access
//! keys created, deactivated and deleted, principal tags, and temporary credentials from
//! `GetSessionToken` and `AssumeRole`. Types only; what they do is in `ops::iam` and `ops::sts`.
//!
//! Follows the IAM API reference (<https://docs.aws.amazon.com/IAM/latest/APIReference/API_Operations.html>)
//! and the STS API reference (<https://docs.aws.amazon.com/STS/latest/APIReference/API_Operations.html>).
//! A policy document may be given as JSON or as the JSON text the API carries.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An IAM request. Every request acts on the caller's own account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all_fields = "camelCase")]
#[expect(
    missing_docs,
    reason = "fields are the IAM API's own parameters, documented on each variant"
)]
pub enum IamRequest {
    /// `PutUserPolicy` (`iam:PutUserPolicy`): adds or replaces an inline policy of a user.
    PutUserPolicy {
        user_name: String,
        policy_name: String,
        policy_document: serde_json::Value,
    },
    /// `GetUserPolicy` (`iam:GetUserPolicy`).
    GetUserPolicy {
        user_name: String,
        policy_name: String,
    },
    /// `DeleteUserPolicy` (`iam:DeleteUserPolicy`).
    DeleteUserPolicy {
        user_name: String,
        policy_name: String,
    },
    /// `PutGroupPolicy` (`iam:PutGroupPolicy`).
    PutGroupPolicy {
        group_name: String,
        policy_name: String,
        policy_document: serde_json::Value,
    },
    /// `DeleteGroupPolicy` (`iam:DeleteGroupPolicy`).
    DeleteGroupPolicy {
        group_name: String,
        policy_name: String,
    },
    /// `PutRolePolicy` (`iam:PutRolePolicy`).
    PutRolePolicy {
        role_name: String,
        policy_name: String,
        policy_document: serde_json::Value,
    },
    /// `GetRolePolicy` (`iam:GetRolePolicy`).
    GetRolePolicy {
        role_name: String,
        policy_name: String,
    },
    /// `DeleteRolePolicy` (`iam:DeleteRolePolicy`).
    DeleteRolePolicy {
        role_name: String,
        policy_name: String,
    },
    /// `UpdateAssumeRolePolicy` (`iam:UpdateAssumeRolePolicy`): replaces the role's trust policy.
    UpdateAssumeRolePolicy {
        role_name: String,
        policy_document: serde_json::Value,
    },
    /// `CreatePolicy` (`iam:CreatePolicy`): a customer managed policy.
    CreatePolicy {
        policy_name: String,
        policy_document: serde_json::Value,
    },
    /// `AttachUserPolicy` (`iam:AttachUserPolicy`).
    AttachUserPolicy {
        user_name: String,
        policy_arn: String,
    },
    /// `DetachUserPolicy` (`iam:DetachUserPolicy`).
    DetachUserPolicy {
        user_name: String,
        policy_arn: String,
    },
    /// `AttachGroupPolicy` (`iam:AttachGroupPolicy`).
    AttachGroupPolicy {
        group_name: String,
        policy_arn: String,
    },
    /// `DetachGroupPolicy` (`iam:DetachGroupPolicy`).
    DetachGroupPolicy {
        group_name: String,
        policy_arn: String,
    },
    /// `AttachRolePolicy` (`iam:AttachRolePolicy`).
    AttachRolePolicy {
        role_name: String,
        policy_arn: String,
    },
    /// `DetachRolePolicy` (`iam:DetachRolePolicy`).
    DetachRolePolicy {
        role_name: String,
        policy_arn: String,
    },
    /// `CreateAccessKey` (`iam:CreateAccessKey`); without a user name, for the caller itself.
    CreateAccessKey {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_name: Option<String>,
    },
    /// `UpdateAccessKey` (`iam:UpdateAccessKey`): `Active` or `Inactive`.
    UpdateAccessKey {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_name: Option<String>,
        access_key_id: String,
        status: AccessKeyStatus,
    },
    /// `DeleteAccessKey` (`iam:DeleteAccessKey`).
    DeleteAccessKey {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user_name: Option<String>,
        access_key_id: String,
    },
    /// `TagUser` (`iam:TagUser`): the user's `aws:PrincipalTag/<key>` values.
    TagUser {
        user_name: String,
        tags: BTreeMap<String, String>,
    },
    /// `TagRole` (`iam:TagRole`).
    TagRole {
        role_name: String,
        tags: BTreeMap<String, String>,
    },
}

/// An access key's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessKeyStatus {
    /// The key signs requests.
    Active,
    /// The key is refused (`InvalidAccessKeyId`) until it is made active again.
    Inactive,
}

impl IamRequest {
    /// The IAM API name.
    pub fn name(&self) -> &'static str {
        match self {
            IamRequest::PutUserPolicy { .. } => "PutUserPolicy",
            IamRequest::GetUserPolicy { .. } => "GetUserPolicy",
            IamRequest::DeleteUserPolicy { .. } => "DeleteUserPolicy",
            IamRequest::PutGroupPolicy { .. } => "PutGroupPolicy",
            IamRequest::DeleteGroupPolicy { .. } => "DeleteGroupPolicy",
            IamRequest::PutRolePolicy { .. } => "PutRolePolicy",
            IamRequest::GetRolePolicy { .. } => "GetRolePolicy",
            IamRequest::DeleteRolePolicy { .. } => "DeleteRolePolicy",
            IamRequest::UpdateAssumeRolePolicy { .. } => "UpdateAssumeRolePolicy",
            IamRequest::CreatePolicy { .. } => "CreatePolicy",
            IamRequest::AttachUserPolicy { .. } => "AttachUserPolicy",
            IamRequest::DetachUserPolicy { .. } => "DetachUserPolicy",
            IamRequest::AttachGroupPolicy { .. } => "AttachGroupPolicy",
            IamRequest::DetachGroupPolicy { .. } => "DetachGroupPolicy",
            IamRequest::AttachRolePolicy { .. } => "AttachRolePolicy",
            IamRequest::DetachRolePolicy { .. } => "DetachRolePolicy",
            IamRequest::CreateAccessKey { .. } => "CreateAccessKey",
            IamRequest::UpdateAccessKey { .. } => "UpdateAccessKey",
            IamRequest::DeleteAccessKey { .. } => "DeleteAccessKey",
            IamRequest::TagUser { .. } => "TagUser",
            IamRequest::TagRole { .. } => "TagRole",
        }
    }
}

/// An STS request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all_fields = "camelCase")]
#[expect(
    missing_docs,
    reason = "fields are the STS API's own parameters, documented on each variant"
)]
pub enum StsRequest {
    /// `GetCallerIdentity`: who the credentials belong to (needs no permission).
    GetCallerIdentity {},
    /// `GetSessionToken`: temporary credentials for an IAM user, carrying the MFA context when a
    /// device serial and code are given (needs no permission).
    GetSessionToken {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_seconds: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        serial_number: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token_code: Option<String>,
    },
    /// `AssumeRole` (`sts:AssumeRole` on the role, decided with its trust policy).
    AssumeRole {
        role_arn: String,
        role_session_name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_seconds: Option<u64>,
        /// An inline session policy (caps the session to the intersection).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy: Option<serde_json::Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        external_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        serial_number: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token_code: Option<String>,
        /// Session tags (need `sts:TagSession` too).
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        tags: BTreeMap<String, String>,
    },
}

impl StsRequest {
    /// The STS API name.
    pub fn name(&self) -> &'static str {
        match self {
            StsRequest::GetCallerIdentity {} => "GetCallerIdentity",
            StsRequest::GetSessionToken { .. } => "GetSessionToken",
            StsRequest::AssumeRole { .. } => "AssumeRole",
        }
    }
}
