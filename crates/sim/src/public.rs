//! What Block Public Access counts as a *public* bucket policy: S3 assumes a policy is public and
//! looks, statement by statement, for an `Allow` pinned to specific principals or to fixed values
//! of a few condition keys.
//!
//! Follows "The meaning of public"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>).
//! Public ACL grants are in [`crate::acl::Grant::is_public`].

use std::net::IpAddr;

use s3pg_policy::{
    BaseOperator, Effect, Policy, PrincipalKind, Principals, SetQualifier, Statement,
};

/// Condition keys whose fixed values make an `Allow` statement non-public.
const PINNING_KEYS: &[&str] = &[
    "aws:sourceip",
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "aws:principalorgid",
    "aws:userid",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
];

/// Parses a bucket policy as `PutBucketPolicy` does; the error is S3's `MalformedPolicy` message.
pub fn parse_bucket_policy(document: &serde_json::Value) -> Result<Policy, String> {
    let text = serde_json::to_string_pretty(document).unwrap_or_default();
    match s3pg_policy::validate_bucket_policy(&text, None) {
        Ok((policy, _warnings)) => Ok(policy),
        Err(diags) => Err(diags
            .first()
            .map(|d| d.s3_message.clone().unwrap_or_else(|| d.message.clone()))
            .unwrap_or_else(|| "Policies must be valid JSON".to_owned())),
    }
}

/// Parses any policy document (identity policies, boundaries, SCPs): grammar only.
pub fn parse_policy(document: &serde_json::Value) -> Result<Policy, String> {
    let text = serde_json::to_string_pretty(document).unwrap_or_default();
    Policy::parse(&text).map_err(|diags| {
        diags.first().map_or_else(
            || "invalid policy".to_owned(),
            |d| format!("{} (at `{}`)", d.message, d.path),
        )
    })
}

fn has_wildcard(value: &str) -> bool {
    value.contains('*') || value.contains('?') || value.contains("${")
}

/// True if the CIDR is narrow enough to pin access: at least /8 for IPv4 (or an RFC 1918 range),
/// at least /32 for IPv6.
fn narrow_cidr(value: &str) -> bool {
    let (addr, len) = match value.split_once('/') {
        Some((a, l)) => (a, l.parse::<u8>().ok()),
        None => (value, None),
    };
    let Ok(ip) = addr.parse::<IpAddr>() else {
        return false;
    };
    match ip {
        IpAddr::V4(v4) => {
            let len = len.unwrap_or(32);
            len >= 8 || v4.is_private()
        }
        IpAddr::V6(_) => len.unwrap_or(128) >= 32,
    }
}

/// Why a statement's conditions pin it (the first pinning condition), if they do.
fn pinned_by(st: &Statement) -> Option<String> {
    st.conditions.iter().find_map(|c| {
        let key = c.key.to_ascii_lowercase();
        if !PINNING_KEYS.contains(&key.as_str()) {
            return None;
        }
        // A negated operator, `…IfExists` or `ForAllValues:` can be satisfied by requests the
        // author did not list, so it does not pin (the playground's reading; AWS lists operators
        // only by example).
        if c.operator.base.is_negated()
            || c.operator.if_exists
            || c.operator.qualifier == Some(SetQualifier::ForAllValues)
        {
            return None;
        }
        let values: Vec<&str> = c.values.iter().map(|v| v.value.as_str()).collect();
        if values.is_empty() || values.iter().any(|v| has_wildcard(v)) {
            return None;
        }
        let ok = match c.operator.base {
            BaseOperator::IpAddress => {
                key == "aws:sourceip" && values.iter().all(|v| narrow_cidr(v))
            }
            BaseOperator::StringEquals
            | BaseOperator::StringEqualsIgnoreCase
            | BaseOperator::StringLike
            | BaseOperator::ArnEquals
            | BaseOperator::ArnLike => key != "aws:sourceip",
            _ => false,
        };
        ok.then(|| format!("`{}` on `{}` = {}", c.operator, c.key, values.join(", ")))
    })
}

/// Why this `Allow` statement is public, or `None` when it is pinned.
pub fn statement_publicness(st: &Statement) -> Option<String> {
    if st.effect != Effect::Allow {
        return None;
    }
    let label = st.label();
    let principal_reason = match &st.principal {
        None => return None,
        Some(p) if p.negated => Some(format!(
            "statement {label} uses `NotPrincipal`, which matches almost everyone"
        )),
        Some(p) => match &p.principals {
            Principals::Any => Some(format!("statement {label} allows `\"Principal\": \"*\"`")),
            Principals::Listed(entries) => entries.iter().find_map(|e| match e.kind {
                PrincipalKind::Federated => Some(format!(
                    "statement {label} allows the federated principal `{}`",
                    e.value
                )),
                _ if has_wildcard(&e.value) => Some(format!(
                    "statement {label} allows the wildcard principal `{}`",
                    e.value
                )),
                _ => None,
            }),
        },
    };
    let reason = principal_reason?;
    match pinned_by(st) {
        Some(_) => None,
        None => Some(format!(
            "{reason} with no condition that pins it to fixed values"
        )),
    }
}

/// Why the policy is public (its first public statement), or `None` when it is not public.
pub fn policy_publicness(policy: &Policy) -> Option<String> {
    policy.statements.iter().find_map(statement_publicness)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(statement: &str) -> bool {
        let doc: serde_json::Value = serde_json::from_str(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#
        ))
        .unwrap();
        policy_publicness(&parse_policy(&doc).unwrap()).is_some()
    }

    #[test]
    fn public_policy_classification_follows_aws_examples() {
        let table = [
            (
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
                true,
            ),
            (
                r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
                true,
            ),
            (
                r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
                false,
            ),
            (
                r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}"#,
                false,
            ),
            (
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:SourceVpc":"vpc-*"}}}"#,
                true,
            ),
            (
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-91237329"}}}"#,
                false,
            ),
            (
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}}"#,
                true,
            ),
            (
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#,
                false,
            ),
            (
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}"#,
                false,
            ),
            (
                r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}"#,
                true,
            ),
            (
                r#"{"Effect":"Allow","Principal":{"Federated":"graph.facebook.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
                true,
            ),
            (
                r#"{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}"#,
                false,
            ),
        ];
        for (statement, public) in table {
            assert_eq!(classify(statement), public, "{statement}");
        }
    }
}
