//! Whether a resource policy is *public*, as S3 Block Public Access decides it.
//!
//! Follows S3 UG "Blocking public access to your Amazon S3 storage", section "The meaning of
//! public" (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>):
//! S3 starts from "public" and looks for a reason to call the policy non-public. An `Allow`
//! statement is non-public when it names fixed principals, or when one of its conditions pins
//! the request to *fixed values* (no wildcard, no policy variable) of the keys the page lists:
//! principal keys such as `aws:PrincipalOrgID`, a set of CIDRs in `aws:SourceIp` no broader than
//! /8 (IPv4) or /32 (IPv6) unless the range lies inside an RFC 1918 private range,
//! `aws:SourceArn`, `aws:SourceVpc`, `aws:SourceVpce`, `aws:SourceOwner`, `aws:SourceAccount`,
//! `s3:x-amz-server-side-encryption-aws-kms-key-id`, `aws:userid` (outside `AROLEID:*`),
//! `s3:DataAccessPointArn` (whose access point name may be a wildcard once the account is fixed)
//! and `s3:DataAccessPointAccount`. A policy is public when any of its statements is.
//!
//! One module decides this for the whole workspace: Block Public Access's `BlockPublicPolicy`
//! and `RestrictPublicBuckets`, `GetBucketPolicyStatus` and the linter's `public-grant` warning.

use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net};

use crate::ast::SetQualifier;
use crate::ast::{BaseOperator, Condition, Effect, Policy, PrincipalKind, Principals, Statement};

/// The condition keys whose fixed values make an `Allow` statement non-public, lowercase.
///
/// The page lists "an AWS principal, user, role, or service principal (e.g. `aws:PrincipalOrgID`)"
/// first: the playground reads that as the keys that name the calling principal —
/// `aws:PrincipalOrgID`, `aws:PrincipalAccount` and `aws:PrincipalArn` — then the keys the page
/// names one by one.
pub const FIXING_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceip",
    "aws:sourcearn",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceowner",
    "aws:sourceaccount",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "aws:userid",
    "s3:dataaccesspointarn",
    "s3:dataaccesspointaccount",
];

/// The broadest IPv4 prefix that still counts as a fixed set of addresses (`/8`).
pub const IPV4_BROADEST_PREFIX: u8 = 8;
/// The broadest IPv6 prefix that still counts as a fixed set of addresses (`/32`).
pub const IPV6_BROADEST_PREFIX: u8 = 32;

/// RFC 1918's private IPv4 ranges, fixed whatever their prefix length.
fn rfc1918() -> [Ipv4Net; 3] {
    [
        Ipv4Net::new_assert(std::net::Ipv4Addr::new(10, 0, 0, 0), 8),
        Ipv4Net::new_assert(std::net::Ipv4Addr::new(172, 16, 0, 0), 12),
        Ipv4Net::new_assert(std::net::Ipv4Addr::new(192, 168, 0, 0), 16),
    ]
}

fn has_wildcard_or_variable(value: &str) -> bool {
    value.contains(['*', '?']) || value.contains("${")
}

/// Whether an `aws:SourceIp` value is a fixed set of addresses: a single address, an IPv4 range
/// of /8 or narrower, an IPv6 range of /32 or narrower, or a range inside an RFC 1918 private
/// range. The whole range counts, not its first address: `10.0.0.0/7` also covers `11.0.0.0/8`
/// and is public.
pub fn is_fixed_cidr(value: &str) -> bool {
    let value = value.trim();
    let net = match value.parse::<IpNet>() {
        Ok(net) => net,
        Err(_) => match value.parse::<IpAddr>() {
            Ok(addr) => IpNet::from(addr),
            Err(_) => return false,
        },
    };
    match net {
        IpNet::V4(v4) => {
            v4.prefix_len() >= IPV4_BROADEST_PREFIX
                || rfc1918().iter().any(|private| private.contains(&v4))
        }
        IpNet::V6(v6) => v6.prefix_len() >= IPV6_BROADEST_PREFIX,
    }
}

/// Whether an `s3:DataAccessPointArn` value is fixed: no wildcard or variable, except a wildcard
/// in the access point name once partition, service, region and account are fixed
/// (`arn:aws:s3:us-west-2:123456789012:accesspoint/*`).
fn is_fixed_access_point_arn(value: &str) -> bool {
    if !has_wildcard_or_variable(value) {
        return true;
    }
    let parts: Vec<&str> = value.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else {
        return false;
    };
    let fixed = |s: &&str| !has_wildcard_or_variable(s);
    [arn, partition, service, region, account]
        .iter()
        .all(|s| fixed(s))
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && resource
            .strip_prefix("accesspoint/")
            .is_some_and(|name| !name.contains("${"))
}

/// Whether one condition pins the statement to fixed values of a key the page lists.
///
/// A negated operator, `…IfExists` or `ForAllValues:` can be satisfied by requests whose value
/// the author never listed (or by requests without the key), so they never pin: the
/// playground's reading, since AWS shows operators only by example.
pub fn condition_fixes(c: &Condition) -> bool {
    let key = c.key.to_ascii_lowercase();
    if !FIXING_KEYS.contains(&key.as_str())
        || c.operator.base.is_negated()
        || c.operator.if_exists
        || c.operator.qualifier == Some(SetQualifier::ForAllValues)
        || c.values.is_empty()
    {
        return false;
    }
    let values = || c.values.iter().map(|v| &*v.value);
    match c.operator.base {
        BaseOperator::IpAddress => key == "aws:sourceip" && values().all(is_fixed_cidr),
        BaseOperator::StringEquals
        | BaseOperator::StringEqualsIgnoreCase
        | BaseOperator::StringLike
        | BaseOperator::ArnEquals
        | BaseOperator::ArnLike
            if key != "aws:sourceip" =>
        {
            if key == "s3:dataaccesspointarn" {
                values().all(is_fixed_access_point_arn)
            } else {
                values().all(|v| !has_wildcard_or_variable(v))
            }
        }
        _ => false,
    }
}

/// The first condition of `st` that pins it to fixed values, if any.
pub fn fixing_condition(st: &Statement) -> Option<&Condition> {
    st.conditions.iter().find(|c| condition_fixes(c))
}

/// Why the statement's principal element lets anyone in, or `None` when it names fixed
/// principals (accounts, users, roles, service principals).
fn open_principal(st: &Statement) -> Option<String> {
    let label = st.label();
    let p = st.principal.as_ref()?;
    if p.negated {
        return Some(format!(
            "statement {label} uses `NotPrincipal`, which matches almost everyone"
        ));
    }
    match &p.principals {
        Principals::Any => Some(format!("statement {label} allows `\"Principal\": \"*\"`")),
        Principals::Listed(entries) => entries.iter().find_map(|e| match e.kind {
            PrincipalKind::Federated => Some(format!(
                "statement {label} allows the federated principal `{}`",
                e.value
            )),
            _ if has_wildcard_or_variable(&e.value) => Some(format!(
                "statement {label} allows the wildcard principal `{}`",
                e.value
            )),
            _ => None,
        }),
    }
}

/// Why this statement makes the policy public, or `None` when it does not (a `Deny`, a statement
/// naming fixed principals, or one pinned by a fixed condition).
pub fn statement_publicness(st: &Statement) -> Option<String> {
    if st.effect != Effect::Allow {
        return None;
    }
    let reason = open_principal(st)?;
    if fixing_condition(st).is_some() {
        return None;
    }
    Some(format!(
        "{reason} with no condition that pins it to fixed values"
    ))
}

/// Why the policy is public (its first public statement), or `None` when it is not public.
pub fn policy_publicness(policy: &Policy) -> Option<String> {
    policy.statements.iter().find_map(statement_publicness)
}

/// Whether the policy is public.
pub fn is_public(policy: &Policy) -> bool {
    policy_publicness(policy).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(statement: &str) -> bool {
        let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#);
        is_public(&Policy::parse(&text).unwrap())
    }

    fn with_condition(condition: &str) -> String {
        format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{condition}}}"#
        )
    }

    /// Each row cites the sentence of "The meaning of public" it follows.
    #[test]
    fn the_meaning_of_public_table() {
        let rows: &[(&str, String, bool)] = &[
            // "Amazon S3 begins by assuming that the policy is public".
            ("Principal * without condition", r#"{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}"#.into(), true),
            ("AWS * principal", r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"*"}"#.into(), true),
            // Example public policy: a federated principal.
            ("federated principal", r#"{"Effect":"Allow","Principal":{"Federated":"graph.facebook.com"},"Action":"s3:PutObject","Resource":"*"}"#.into(), true),
            // "An AWS principal, user, role, or service principal" with fixed values.
            ("fixed account", r#"{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}"#.into(), false),
            ("service principal", r#"{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"*"}"#.into(), false),
            ("Deny never makes public", r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}"#.into(), false),
            ("NotPrincipal allow", r#"{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"*"}"#.into(), true),
            // "(e.g. aws:PrincipalOrgID)" and the other principal keys.
            ("aws:PrincipalOrgID fixed", with_condition(r#"{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}"#), false),
            ("aws:PrincipalAccount fixed", with_condition(r#"{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}"#), false),
            ("aws:PrincipalArn fixed", with_condition(r#"{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/App"}}"#), false),
            ("aws:PrincipalArn wildcard", with_condition(r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/App"}}"#), true),
            // The example: `vpc-*` is public, a fixed `aws:SourceVpc` is not.
            ("aws:SourceVpc wildcard", with_condition(r#"{"StringLike":{"aws:SourceVpc":"vpc-*"}}"#), true),
            ("aws:SourceVpc fixed", with_condition(r#"{"StringEquals":{"aws:SourceVpc":"vpc-91237329"}}"#), false),
            ("aws:SourceVpce fixed", with_condition(r#"{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#), false),
            ("aws:SourceArn fixed", with_condition(r#"{"ArnEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"}}"#), false),
            ("aws:SourceOwner fixed", with_condition(r#"{"StringEquals":{"aws:SourceOwner":"111122223333"}}"#), false),
            ("aws:SourceAccount fixed", with_condition(r#"{"StringEquals":{"aws:SourceAccount":"111122223333"}}"#), false),
            ("KMS key id fixed", with_condition(r#"{"StringEquals":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"arn:aws:kms:us-east-1:111122223333:key/k"}}"#), false),
            ("policy variable is not fixed", with_condition(r#"{"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}}"#), true),
            // "aws:userid, outside the pattern AROLEID:*".
            ("aws:userid fixed", with_condition(r#"{"StringEquals":{"aws:userid":"AIDAEXAMPLE"}}"#), false),
            ("aws:userid role pattern", with_condition(r#"{"StringLike":{"aws:userid":"AROAEXAMPLE:*"}}"#), true),
            // s3:DataAccessPointArn: a wildcard access point name with a fixed account is fine.
            ("access point wildcard name", with_condition(r#"{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:123456789012:accesspoint/*"}}"#), false),
            ("access point wildcard account", with_condition(r#"{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:*:accesspoint/*"}}"#), true),
            ("access point account fixed", with_condition(r#"{"StringEquals":{"s3:DataAccessPointAccount":"123456789012"}}"#), false),
            // "values broader than /8 for IPv4 and /32 for IPv6 (excluding RFC1918 private ranges)".
            ("IPv4 /24", with_condition(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#), false),
            ("IPv4 single address", with_condition(r#"{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}"#), false),
            ("IPv4 /8", with_condition(r#"{"IpAddress":{"aws:SourceIp":"11.0.0.0/8"}}"#), false),
            ("IPv4 /7", with_condition(r#"{"IpAddress":{"aws:SourceIp":"12.0.0.0/7"}}"#), true),
            ("0.0.0.0/1 (the page's example)", with_condition(r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/1"}}"#), true),
            ("RFC 1918 172.16.0.0/12", with_condition(r#"{"IpAddress":{"aws:SourceIp":"172.16.0.0/12"}}"#), false),
            ("RFC 1918 192.168.0.0/16", with_condition(r#"{"IpAddress":{"aws:SourceIp":"192.168.0.0/16"}}"#), false),
            ("10.0.0.0/7 reaches past RFC 1918", with_condition(r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/7"}}"#), true),
            ("172.0.0.0/8 is not inside 172.16/12 but is /8", with_condition(r#"{"IpAddress":{"aws:SourceIp":"172.0.0.0/8"}}"#), false),
            ("172.0.0.0/6 is broad", with_condition(r#"{"IpAddress":{"aws:SourceIp":"172.0.0.0/6"}}"#), true),
            ("IPv6 /32", with_condition(r#"{"IpAddress":{"aws:SourceIp":"2001:db8::/32"}}"#), false),
            ("IPv6 /31", with_condition(r#"{"IpAddress":{"aws:SourceIp":"2001:db8::/31"}}"#), true),
            ("one broad range among narrow ones", with_condition(r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","0.0.0.0/1"]}}"#), true),
            // Operators that requests outside the listed values can satisfy never pin.
            ("negated operator", with_condition(r#"{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}"#), true),
            ("NotIpAddress", with_condition(r#"{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}"#), true),
            ("IfExists", with_condition(r#"{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}"#), true),
            ("ForAllValues", with_condition(r#"{"ForAllValues:StringEquals":{"aws:SourceVpce":"vpce-1"}}"#), true),
            ("a key the page does not list", with_condition(r#"{"StringEquals":{"aws:Referer":"https://example.com/"}}"#), true),
        ];
        for (name, statement, want) in rows {
            assert_eq!(public(statement), *want, "{name}: {statement}");
        }
    }

    #[test]
    fn fixed_cidrs() {
        for (value, fixed) in [
            ("10.0.0.0/8", true),
            ("10.0.0.0/7", false),
            ("10.1.0.0/16", true),
            ("0.0.0.0/0", false),
            ("8.0.0.0/7", false),
            ("::/0", false),
            ("2001:db8::1", true),
            ("not an ip", false),
        ] {
            assert_eq!(is_fixed_cidr(value), fixed, "{value}");
        }
    }

    #[test]
    fn the_reason_names_the_statement() {
        let policy = Policy::parse(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"Open","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}"#,
        )
        .unwrap();
        assert_eq!(
            policy_publicness(&policy).unwrap(),
            "statement `Open` allows `\"Principal\": \"*\"` with no condition that pins it to fixed values"
        );
    }
}
