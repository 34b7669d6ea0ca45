//! The request context S3 hands the policy engine: the caller as an IAM principal and the
//! condition keys S3 derives from the request itself (scheme, network, time, credentials), never
//! typed by hand.
//!
//! Follows the global condition keys page
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>) and
//! S3's condition keys (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html>).

use s3pg_policy::{ContextValue, Principal, RequestContext};

use super::Check;
use crate::request::{Request, Scheme};
use crate::time::Timestamp;
use crate::trace::Text;
use crate::world::{Identity, IdentityKind, World};

/// The policy-engine principal for an identity.
pub(crate) fn principal_of(world: &World, id: &Identity) -> Principal {
    let account = id.account.clone().unwrap_or_default();
    match &id.kind {
        IdentityKind::Anonymous => Principal::Anonymous,
        IdentityKind::Service { service } => Principal::Service(service.clone()),
        IdentityKind::Root => Principal::Root { account },
        IdentityKind::User { name } => Principal::User {
            account,
            name: name.clone(),
            path: "/".to_owned(),
            unique_id: id.user_id.clone(),
        },
        IdentityKind::RoleSession { role, session } => {
            let role_unique_id = world
                .accounts
                .get(&account)
                .and_then(|a| a.roles.get(role))
                .map(|r| r.role_id.clone())
                .filter(|id| !id.is_empty())
                .unwrap_or_else(|| crate::world::role_unique_id(&account, role));
            Principal::AssumedRole {
                account,
                role_name: role.clone(),
                session_name: session.clone(),
                role_path: "/".to_owned(),
                role_unique_id,
            }
        }
    }
}

/// The request context keys S3 derives from the request (never typed by hand): the same for
/// every permission of one request, so the pipeline works them out once and lends them to the
/// trace's required-permissions step and to each permission's context. Fixed key names are
/// borrowed, not copied.
pub(crate) fn global_keys(
    world: &World,
    id: &Identity,
    req: &Request,
    now: Timestamp,
) -> Vec<(Text, String)> {
    let mut keys: Vec<(Text, String)> = Vec::with_capacity(12);
    let mut key = |name: &'static str, value: String| keys.push((Text::Borrowed(name), value));
    let net = &req.network;
    key(
        "aws:SecureTransport",
        bool_text(net.scheme == Scheme::Https),
    );
    match &net.vpc_endpoint {
        Some(vpce) => {
            key("aws:SourceVpce", vpce.clone());
            let vpc = net
                .vpc
                .clone()
                .or_else(|| world.vpc_endpoints.get(vpce).map(|e| e.vpc_id.clone()));
            if let Some(vpc) = vpc {
                key("aws:SourceVpc", vpc);
            }
            key("aws:VpcSourceIp", net.source_ip.clone());
        }
        None => key("aws:SourceIp", net.source_ip.clone()),
    }
    key("aws:CurrentTime", now.to_string());
    key("aws:EpochTime", now.epoch_seconds().to_string());
    key("aws:ViaAWSService", bool_text(false));
    if !id.is_anonymous() {
        key("s3:authType", req.authentication.auth_type().to_owned());
        key("s3:signatureversion", "AWS4-HMAC-SHA256".to_owned());
        if let Some(age) = id.signature_age_ms {
            key("s3:signatureAge", age.to_string());
        }
    }
    if let Some(tls) = net.tls() {
        key("s3:TlsVersion", tls.to_owned());
    }
    // aws:MultiFactorAuthPresent exists only for temporary credentials.
    if id.temporary {
        key(
            "aws:MultiFactorAuthPresent",
            bool_text(id.mfa_authenticated_at.is_some()),
        );
        if let Some(at) = id.mfa_authenticated_at {
            key(
                "aws:MultiFactorAuthAge",
                now.epoch_seconds()
                    .saturating_sub(at.epoch_seconds())
                    .to_string(),
            );
        }
        if let Some(at) = id.token_issued_at {
            key("aws:TokenIssueTime", at.to_string());
        }
    }
    for (k, v) in principal_tags(world, id) {
        keys.push((Text::Owned(format!("aws:PrincipalTag/{k}")), v));
    }
    if let Some(org) = id
        .account
        .as_ref()
        .and_then(|a| world.accounts.get(a))
        .and_then(|a| a.organization_id.clone())
    {
        keys.push((Text::Borrowed("aws:PrincipalOrgID"), org));
    }
    keys
}

/// `true` or `false`, as IAM writes a Boolean context value.
fn bool_text(b: bool) -> String {
    (if b { "true" } else { "false" }).to_owned()
}

/// The whole request context for one permission: principal, action, resource ARN, the account
/// whose say decides, the request's global keys ([`global_keys`]) and the operation's own keys.
pub(crate) fn request_context(
    world: &World,
    id: &Identity,
    check: &Check,
    resource_owner: &str,
    global: &[(Text, String)],
) -> RequestContext {
    let mut rc = RequestContext::new(principal_of(world, id), check.action, check.resource.arn())
        .with_resource_account(resource_owner.to_owned());
    rc.canonical_user_id = id.account.as_deref().map(|a| world.canonical_id(a));
    for (k, v) in global {
        rc.context
            .insert_name(k.clone(), ContextValue::from(v.as_str()));
    }
    for (k, v) in &check.keys {
        let value = match v.as_slice() {
            [one] => ContextValue::from(one.as_str()),
            _ => ContextValue::from(v.clone()),
        };
        rc.context.insert(k.clone(), value);
    }
    rc
}

/// The caller's principal tags (`aws:PrincipalTag/<key>`): a user's tags, or a role's tags
/// overridden by the session tags passed to `AssumeRole`
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html>).
pub(crate) fn principal_tags(world: &World, id: &Identity) -> Vec<(String, String)> {
    let account = id.account.as_deref().and_then(|a| world.accounts.get(a));
    match &id.kind {
        IdentityKind::User { name } => account
            .and_then(|a| a.users.get(name))
            .map(|u| u.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        IdentityKind::RoleSession { role, session } => {
            let Some(r) = account.and_then(|a| a.roles.get(role)) else {
                return Vec::new();
            };
            let mut tags = r.tags.clone();
            if let Some(s) = r.sessions.iter().find(|s| &s.name == session) {
                for (k, v) in &s.tags {
                    // Tag keys are case-insensitive: a session tag replaces the role's tag.
                    tags.retain(|rk, _| !rk.eq_ignore_ascii_case(k));
                    tags.insert(k.clone(), v.clone());
                }
            }
            tags.into_iter().collect()
        }
        _ => Vec::new(),
    }
}

/// The actions that carry `s3:ExistingObjectTag/<key>` (the Service Authorization Reference's
/// list for Amazon S3).
const EXISTING_TAG_ACTIONS: [&str; 14] = [
    "s3:GetObject",
    "s3:GetObjectAcl",
    "s3:GetObjectTagging",
    "s3:GetObjectVersion",
    "s3:GetObjectVersionAcl",
    "s3:GetObjectVersionTagging",
    "s3:PutObjectAcl",
    "s3:PutObjectTagging",
    "s3:PutObjectVersionAcl",
    "s3:PutObjectVersionTagging",
    "s3:DeleteObjectTagging",
    "s3:DeleteObjectVersionTagging",
    "s3:GetObjectRetention",
    "s3:GetObjectLegalHold",
];

/// Adds `s3:ExistingObjectTag/<key>` for the tags of the object version addressed
/// (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html>).
pub(crate) fn existing_object_tags(
    rc: &mut RequestContext,
    action: &str,
    version: Option<&crate::model::ObjectVersion>,
) {
    if !EXISTING_TAG_ACTIONS.contains(&action) {
        return;
    }
    if let Some(v) = version {
        for (k, value) in &v.tags {
            rc.context.insert(
                format!("s3:ExistingObjectTag/{k}"),
                ContextValue::from(value.as_str()),
            );
        }
    }
}
