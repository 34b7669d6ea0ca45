//! Reading the values that appear in policies and request contexts: principal identifiers,
//! action names, ARNs, numbers, dates, booleans and IP ranges.
//!
//! Formats: IAM UG `reference_identifiers.md` (ARNs, unique ids),
//! `reference_policies_elements_condition_operators.md` (numbers, ISO 8601 / epoch dates, CIDR).

use std::net::IpAddr;

use ipnet::IpNet;

use crate::ast::{BaseOperator, Operator, OperatorFamily, PrincipalKind};

type Problem = (String, String);

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Splits an ARN into its six parts (`arn`, partition, service, region, account, resource).
/// The resource part keeps any further colons.
pub fn split_arn(s: &str) -> Option<[&str; 6]> {
    let mut it = s.splitn(6, ':');
    let parts = [
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
        it.next()?,
    ];
    (parts[0] == "arn").then_some(parts)
}

/// Checks one principal identifier as S3 would at `PutBucketPolicy`.
pub fn check_principal(kind: PrincipalKind, value: &str) -> Result<(), Problem> {
    let pattern_help = || {
        "partial wildcards are not allowed in principals: use `\"Principal\": \"*\"` with an \
         `ArnLike` condition on `aws:PrincipalArn`"
            .to_string()
    };
    match kind {
        PrincipalKind::Aws => {
            if value == "*" || is_account_id(value) {
                return Ok(());
            }
            if value.contains('*') || value.contains('?') {
                return Err((
                    format!("wildcards are not allowed in the principal `{value}`"),
                    pattern_help(),
                ));
            }
            if value.starts_with("arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ")
            {
                // A CloudFront origin access identity (S3 UG, CloudFront OAI bucket policies).
                return Ok(());
            }
            if value.len() >= 16
                && (value.starts_with("AIDA") || value.starts_with("AROA"))
                && value
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            {
                // The unique id AWS shows after the named user or role was deleted.
                return Ok(());
            }
            let bad = || {
                (
                    format!("invalid principal `{value}`"),
                    "use a 12-digit account id, `arn:aws:iam::ACCOUNT:root`, a user or role ARN, \
                     or an `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION` ARN"
                        .to_string(),
                )
            };
            let Some([_, partition, service, region, account, resource]) = split_arn(value) else {
                return Err(bad());
            };
            if !partition.starts_with("aws") || !region.is_empty() || !is_account_id(account) {
                return Err(bad());
            }
            let ok = match service {
                "iam" => {
                    resource == "root"
                        || resource
                            .strip_prefix("user/")
                            .is_some_and(|r| !r.is_empty() && !r.ends_with('/'))
                        || resource
                            .strip_prefix("role/")
                            .is_some_and(|r| !r.is_empty() && !r.ends_with('/'))
                }
                "sts" => {
                    resource
                        .strip_prefix("assumed-role/")
                        .and_then(|r| r.split_once('/'))
                        .is_some_and(|(role, sess)| !role.is_empty() && !sess.is_empty())
                        || resource
                            .strip_prefix("federated-user/")
                            .is_some_and(|n| !n.is_empty())
                }
                _ => false,
            };
            if ok { Ok(()) } else { Err(bad()) }
        }
        PrincipalKind::CanonicalUser => {
            if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(())
            } else {
                Err((
                    format!("invalid canonical user id `{value}`"),
                    "a canonical user id is 64 hexadecimal digits".into(),
                ))
            }
        }
        PrincipalKind::Service | PrincipalKind::Federated => {
            if value.is_empty() || value.contains(char::is_whitespace) {
                Err((
                    format!("invalid {} principal `{value}`", kind.key()),
                    "name the service, e.g. `logging.s3.amazonaws.com`".into(),
                ))
            } else if kind == PrincipalKind::Service && value.contains('*') {
                Err((
                    format!("wildcards are not allowed in the principal `{value}`"),
                    pattern_help(),
                ))
            } else {
                Ok(())
            }
        }
    }
}

/// Checks the shape of an action name (`service:Action`, wildcards allowed, or `*`).
pub fn check_action(value: &str) -> Result<(), Problem> {
    if value == "*" {
        return Ok(());
    }
    let ok = value.split_once(':').is_some_and(|(service, name)| {
        !service.is_empty()
            && service
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"*?-_".contains(&b))
    });
    if ok {
        Ok(())
    } else {
        Err((
            format!("action `{value}` is not of the form `service:ActionName`"),
            "write e.g. `s3:GetObject`, `s3:Get*` or `*`".into(),
        ))
    }
}

/// Checks the shape of a resource (an ARN with six parts, or `*`).
pub fn check_resource(value: &str) -> Result<(), Problem> {
    if value == "*" || split_arn(value).is_some() {
        Ok(())
    } else {
        Err((
            format!("resource `{value}` must be an ARN or `*`"),
            "S3 ARNs look like `arn:aws:s3:::examplebucket` (the bucket) or \
             `arn:aws:s3:::examplebucket/*` (its objects)"
                .into(),
        ))
    }
}

/// Checks a condition value against what its operator can read.
pub fn check_condition_value(
    op: &Operator,
    value: &str,
) -> Result<(), (String, String, &'static str)> {
    const SYNTAX: &str = "Invalid policy syntax.";
    match op.base.family() {
        OperatorFamily::Numeric if parse_number(value).is_none() => Err((
            format!(
                "`{value}` is not a number (`{}` compares numbers)",
                op.base.name()
            ),
            "write a number such as `1000` or `1.2`".into(),
            SYNTAX,
        )),
        OperatorFamily::Date => match s3pg_time::parse_iam_date(value) {
            Ok(_) => Ok(()),
            Err(e) => Err((
                match e.problem {
                    s3pg_time::Problem::Shape { .. } => format!(
                        "`{value}` is not a date (`{}` compares dates)",
                        op.base.name()
                    ),
                    problem => format!("`{value}` is not a date: {problem}"),
                },
                "write an ISO 8601 date such as `2024-01-01T00:00:00Z` or epoch seconds".into(),
                SYNTAX,
            )),
        },
        OperatorFamily::Ip if parse_cidr(value).is_none() => Err((
            format!("`{value}` is not an IP address or CIDR range"),
            "write e.g. `192.0.2.0/24` or `2001:db8::/32`".into(),
            "Invalid IP address in Conditions",
        )),
        OperatorFamily::Null
            if !value.eq_ignore_ascii_case("true") && !value.eq_ignore_ascii_case("false") =>
        {
            Err((
                format!("`Null` takes `true` or `false`, not `{value}`"),
                "`\"true\"` means the key is absent, `\"false\"` that it is present".into(),
                SYNTAX,
            ))
        }
        _ => Ok(()),
    }
}

/// Reads a number as IAM's Numeric operators do (integers and decimals).
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Reads an IP address or CIDR range; a bare address is a single host (`/32` or `/128`).
pub fn parse_cidr(s: &str) -> Option<IpNet> {
    let t = s.trim();
    if let Ok(net) = t.parse::<IpNet>() {
        return Some(net);
    }
    t.parse::<IpAddr>().ok().map(IpNet::from)
}

/// Reads a date as IAM's Date operators do: ISO 8601 (`2024-01-01`, `2024-01-01T12:00:00Z`,
/// with optional fraction and offset) or epoch seconds. Returns milliseconds since the epoch;
/// `None` for text of another shape or a day not on the calendar (`2026-02-30`). The reason is
/// [`s3pg_time::parse_iam_date`]'s error.
pub fn parse_date(s: &str) -> Option<i64> {
    s3pg_time::parse_iam_date(s).ok()
}

/// Whether `op` is one whose values may be compared against a missing variable (for lints).
pub fn operator_reads_text(op: BaseOperator) -> bool {
    matches!(op.family(), OperatorFamily::String | OperatorFamily::Arn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_date("86400"), Some(86_400_000));
        assert_eq!(parse_date("2024-01-01T00:00:00Z"), Some(1_704_067_200_000));
        assert_eq!(
            parse_date("2024-01-01T01:00:00+01:00"),
            Some(1_704_067_200_000)
        );
        assert_eq!(
            parse_date("2024-01-01T00:00:00.5Z"),
            Some(1_704_067_200_500)
        );
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn cidrs() {
        assert!(parse_cidr("192.0.2.0/24").is_some());
        assert!(parse_cidr("192.0.2.7").is_some());
        assert!(parse_cidr("2001:db8::/32").is_some());
        assert!(parse_cidr("300.0.0.1").is_none());
    }

    #[test]
    fn principals() {
        use PrincipalKind::*;
        for ok in [
            "*",
            "111122223333",
            "arn:aws:iam::111122223333:root",
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:role/path/App",
            "arn:aws:sts::111122223333:assumed-role/App/s1",
            "arn:aws:sts::111122223333:federated-user/bob",
            "AIDACKCEVSQ6C2EXAMPLE",
        ] {
            assert!(check_principal(Aws, ok).is_ok(), "{ok}");
        }
        for bad in [
            "arn:aws:iam::*:root",
            "arn:aws:iam::111122223333:user/*",
            "1111",
            "arn:aws:iam::111122223333:group/devs",
            "alice",
        ] {
            assert!(check_principal(Aws, bad).is_err(), "{bad}");
        }
        assert!(check_principal(CanonicalUser, &"a".repeat(64)).is_ok());
        assert!(check_principal(CanonicalUser, "abc").is_err());
    }

    #[test]
    fn actions_and_resources() {
        assert!(check_action("s3:GetObject").is_ok());
        assert!(check_action("s3:Get*").is_ok());
        assert!(check_action("GetObject").is_err());
        assert!(check_resource("arn:aws:s3:::b/*").is_ok());
        assert!(check_resource("examplebucket").is_err());
        assert_eq!(
            split_arn("arn:aws:s3:::b/k:with:colons").unwrap()[5],
            "b/k:with:colons"
        );
    }
}
