//! Reading the policy documents the world stores, and what Block Public Access counts as a
//! *public* bucket policy.
//!
//! Whether a policy is public ("The meaning of public",
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>)
//! is decided in one place, [`s3pg_policy::public`], shared with the linter; this module
//! re-exports it for `BlockPublicPolicy`, `RestrictPublicBuckets` and `GetBucketPolicyStatus`.
//! Public ACL grants are in [`crate::acl::Grant::is_public`].

use s3pg_policy::Policy;

pub use s3pg_policy::public::{policy_publicness, statement_publicness};

/// Parses a bucket policy's grammar and S3's checks that need no bucket; the error is S3's
/// `MalformedPolicy` message.
pub fn parse_bucket_policy(document: &serde_json::Value) -> Result<Policy, String> {
    parse_bucket_policy_of(document, None).map_err(|(message, _)| message)
}

/// Parses a bucket policy as `PutBucketPolicy` on `bucket` does: every `Resource` must name that
/// bucket or its objects ("Policy has invalid resource"). The error is S3's `MalformedPolicy`
/// message and the playground's sentence for the trace (what is wrong, where, and a help).
pub fn parse_bucket_policy_of(
    document: &serde_json::Value,
    bucket: Option<&str>,
) -> Result<Policy, (String, String)> {
    let text = serde_json::to_string_pretty(document).unwrap_or_default();
    match s3pg_policy::validate_bucket_policy(&text, bucket) {
        Ok((policy, _warnings)) => Ok(policy),
        Err(diags) => Err(diags.first().map_or_else(
            || {
                let m = "Policies must be valid JSON".to_owned();
                (m.clone(), m)
            },
            |d| {
                let help = d
                    .help
                    .as_deref()
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                (
                    d.s3_message.clone().unwrap_or_else(|| d.message.clone()),
                    format!("{} (at `{}`){help}", d.message, d.path),
                )
            },
        )),
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
