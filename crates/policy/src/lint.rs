//! Rules that depend on the kind of policy, and teaching warnings.
//!
//! Errors: what S3 rejects at `PutBucketPolicy` with `MalformedPolicy` (reference §2.9; S3 UG
//! `bucket-policies.md`, `s3-arn-format.md`) and what IAM rejects for identity policies.
//! Warnings: pitfalls the reference names — the `/` vs `/*` resource mismatch (§2.5), unknown
//! actions and keys, `aws:SecureTransport` written backwards (§4), public `Principal: "*"` (§1.8),
//! `Allow` with `NotPrincipal` (§2.3), negated operators on keys that may be absent (§2.6, §4),
//! shadowed or repeated statements.
//!
//! Where to read: [`rules`] (the errors of a policy's kind), [`notes`] (the teaching warnings),
//! [`resources`] (how actions meet resources and keys, which both read).

mod notes;
mod resources;
mod rules;

pub(crate) use self::notes::lint_text;
pub(crate) use self::rules::kind_rules;
pub use self::rules::normalized_size;

use crate::PolicyKind;
use crate::ast::Policy;
use crate::diagnostic::Diagnostic;

/// Teaching warnings for a policy of unknown kind.
pub fn lint(policy: &Policy) -> Vec<Diagnostic> {
    lint_text(policy, &policy.source, &PolicyKind::Any)
}

/// Teaching warnings plus kind rules (errors first), for a policy of `kind`.
pub fn lint_as(policy: &Policy, kind: &PolicyKind) -> Vec<Diagnostic> {
    let mut out = kind_rules(policy, &policy.source, kind);
    out.extend(lint_text(policy, &policy.source, kind));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str, kind: &PolicyKind) -> Vec<&'static str> {
        let p = Policy::parse(text).unwrap();
        lint_as(&p, kind).into_iter().map(|d| d.code).collect()
    }

    #[test]
    fn object_action_on_bucket_arn_is_flagged_with_the_fix() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b"}]}"#;
        let p = Policy::parse(text).unwrap();
        let d: Vec<_> = lint(&p)
            .into_iter()
            .filter(|d| d.code == "action-resource-mismatch")
            .collect();
        assert_eq!(d.len(), 1);
        assert!(d[0].help.as_ref().unwrap().contains("arn:aws:s3:::b/*"));
        let bp = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b/*"}]}"#;
        let errs = Policy::parse_as(
            bp,
            &PolicyKind::BucketPolicy {
                bucket: Some("b".into()),
            },
        )
        .unwrap_err();
        assert_eq!(
            errs[0].s3_message.as_deref(),
            Some("Action does not apply to any resource(s) in statement")
        );
        assert!(errs[0].help.as_ref().unwrap().contains("`arn:aws:s3:::b`"));
    }

    #[test]
    fn one_action_of_several_on_the_wrong_resource_type() {
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:ListBucket"],"Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceVpce":"v"}}}}"#;
        let p = Policy::parse(text).unwrap();
        let d: Vec<_> = lint_as(
            &p,
            &PolicyKind::BucketPolicy {
                bucket: Some("b".into()),
            },
        );
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(
            d[0].message
                .starts_with("`s3:ListBucket` applies to the bucket")
        );
        assert_eq!(
            d[0].help.as_deref(),
            Some(
                "add the bucket ARN `arn:aws:s3:::b` to `Resource`, or move `s3:ListBucket` to a statement of its own"
            )
        );
        // S3 refuses the whole bucket policy for it (E1 in notes/fidelity-review.md).
        assert_eq!(d[0].severity, crate::Severity::Error);
    }

    #[test]
    fn s3_prefix_on_get_object_is_never_present() {
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"s3:prefix":"home/*"}}}}"#;
        let d: Vec<_> = lint(&Policy::parse(text).unwrap())
            .into_iter()
            .filter(|d| d.code == "condition-key-not-applicable")
            .collect();
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "`s3:prefix` is never in a request for `s3:GetObject`, so it is never met"
        );
        let ok = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":"arn:aws:s3:::b","Condition":{"StringLike":{"s3:prefix":"home/*"}}}}"#;
        assert!(
            lint(&Policy::parse(ok).unwrap())
                .iter()
                .all(|d| d.code != "condition-key-not-applicable")
        );
    }

    #[test]
    fn teaching_warnings() {
        let any = PolicyKind::Any;
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObjekt","Resource":"*"}}"#, &any).contains(&"unknown-action"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}}"#, &any).contains(&"secure-transport-backwards"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#, &any).contains(&"public-grant"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:SourceVpc":"vpc-*"}}}}"#, &any).contains(&"public-grant"));
        assert!(!codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-91237329"}}}}"#, &any).contains(&"public-grant"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpce":"v"}}}}"#, &any).contains(&"negated-on-absent-key"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"s3:x-amz-server-side-encryption":"AES256"}}}}"#, &any).contains(&"negated-on-absent-key"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpcee":"v"}}}}"#, &any).contains(&"unknown-condition-key"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#, &any).contains(&"shadowed-statement"));
        assert!(codes(r#"{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:username}"}}"#, &any).contains(&"missing-version"));
        assert!(codes(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#, &any).contains(&"allow-not-principal"));
    }

    #[test]
    fn bucket_policy_rules() {
        let kind = PolicyKind::BucketPolicy {
            bucket: Some("b".into()),
        };
        let errs = |t: &str| {
            Policy::parse_as(t, &kind)
                .unwrap_err()
                .into_iter()
                .map(|d| d.s3_message.unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#
            ),
            ["Missing required field Principal"]
        );
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}"#
            ),
            ["Policy has invalid resource"]
        );
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}}"#
            ),
            ["Policy has invalid resource"]
        );
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"ec2:RunInstances","Resource":"arn:aws:s3:::b/*"}}"#
            ),
            ["Policy has invalid action"]
        );
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:x-amz-server-side-encryptoin":"AES256"}}}}"#
            ),
            ["Policy has an invalid condition key"]
        );
        assert_eq!(
            errs(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#
            ),
            ["Invalid principal in policy"]
        );
        assert!(Policy::parse_as(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}}"#, &kind).is_ok());
        assert!(Policy::parse_as(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b*"}}"#, &kind).is_ok());
        let big = format!(
            r#"{{"Version":"2012-10-17","Id":"{}","Statement":{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}}}"#,
            "x".repeat(21_000)
        );
        assert!(errs(&big).iter().any(|m| m.contains("20480")));
    }

    #[test]
    fn aws_example_bucket_policies_are_accepted() {
        // Shapes from S3 UG `example-bucket-policies.md` and the logging/CloudFront pages.
        let examples = [
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Grant read and write to another account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["s3:GetObject","s3:PutObject","s3:PutObjectAcl"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Dave"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::amzn-s3-demo-bucket","Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]},"NumericLessThanEquals":{"s3:max-keys":"100"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"S3ServerAccessLogsPolicy","Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":["s3:PutObject"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket/logs/*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:s3:::source-bucket"},"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"RestrictToTLSRequestsOnly","Action":"s3:*","Effect":"Deny","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}},"Principal":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E15MNIMTCFKK4C"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"StringEquals":{"AWS:SourceArn":"arn:aws:cloudfront::111122223333:distribution/EDFDVBD6EXAMPLE"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"ForAllValues:StringNotEquals":{"s3:RequestObjectTagKeys":["Owner","CreationDate"]}}},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/JohnDoe"},"Action":["s3:GetObject","s3:GetObjectVersion"],"Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/environment":"production"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyObjectsThatAreNotSSEKMS","Principal":"*","Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*","Condition":{"Null":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"true"}}}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Access-to-specific-VPCE-only","Principal":"*","Action":"s3:*","Effect":"Deny","Resource":["arn:aws:s3:::amzn-s3-demo-bucket","arn:aws:s3:::amzn-s3-demo-bucket/*"],"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}"#,
        ];
        for text in examples {
            let r = crate::validate_bucket_policy(text, Some("amzn-s3-demo-bucket"));
            assert!(r.is_ok(), "{text}: {:#?}", r.err());
        }
    }

    #[test]
    fn size_limit_ignores_whitespace() {
        assert_eq!(normalized_size("{ \"a b\" : [ 1 , \"x\\\" y\" ] }"), 19);
        let padded = format!(
            "{{\"Version\":\"2012-10-17\",{}\"Statement\":{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}}}",
            " ".repeat(30_000)
        );
        assert!(crate::validate_bucket_policy(&padded, Some("b")).is_ok());
    }

    #[test]
    fn too_large_message_reports_the_size_that_was_compared() {
        let big = format!(
            "{{\"Version\":\"2012-10-17\",  \"Id\":\"{}\",\"Statement\":{{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}}}",
            "x".repeat(21_000)
        );
        let counted = normalized_size(&big);
        assert_eq!(counted + 2, big.len());
        let errors = crate::validate_bucket_policy(&big, Some("b")).unwrap_err();
        let message = &errors.first().unwrap().message;
        assert_eq!(
            message,
            &format!(
                "the bucket policy is {counted} bytes without whitespace, over the 20 KB limit"
            )
        );
    }

    #[test]
    fn identity_policies_need_simple_unique_sids() {
        let r = Policy::parse_as(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Read all","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}"#,
            &PolicyKind::Identity,
        );
        let codes: Vec<_> = r.unwrap_err().into_iter().map(|d| d.code).collect();
        assert_eq!(codes, ["invalid-sid", "duplicate-sid"]);
    }

    #[test]
    fn identity_policies_cannot_name_principals() {
        let r = Policy::parse_as(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}"#,
            &PolicyKind::Identity,
        );
        assert_eq!(r.unwrap_err()[0].code, "principal-not-allowed");
    }
}
