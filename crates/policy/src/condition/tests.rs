//! Tests of condition evaluation: the operator table, set qualifiers, variables, ARN matchers.

use super::*;
use crate::ast::Operator;

fn cond(op: &str, key: &str, values: &[&str]) -> Condition {
    Condition {
        operator: Operator::parse(op).unwrap(),
        key: key.into(),
        values: values
            .iter()
            .map(|v| Spanned {
                value: Arc::from(*v),
                span: Span::default(),
            })
            .collect(),
        operator_span: Span::default(),
        key_span: Span::default(),
    }
}

fn check(op: &str, key: &str, values: &[&str], keys: &[(&str, &str)]) -> bool {
    let k: ContextKeys = keys.iter().map(|(a, b)| (*a, *b)).collect();
    evaluate_condition(&cond(op, key, values), &k, true).matched
}

fn check_multi(op: &str, values: &[&str], request: Option<&[&str]>) -> bool {
    let mut k = ContextKeys::new();
    if let Some(r) = request {
        k.insert(
            "aws:TagKeys",
            r.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        );
    }
    evaluate_condition(&cond(op, "aws:TagKeys", values), &k, true).matched
}

#[test]
fn operator_table() {
    let ip = [("aws:SourceIp", "192.0.2.10")];
    type Case<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)], bool);
    let cases: &[Case] = &[
        ("StringEquals", &["AES256"], &[("k", "AES256")], true),
        ("StringEquals", &["aes256"], &[("k", "AES256")], false),
        ("StringEquals", &["a", "AES256"], &[("k", "AES256")], true),
        ("StringEquals", &["AES256"], &[], false),
        ("StringNotEquals", &["AES256"], &[("k", "AES256")], false),
        ("StringNotEquals", &["AES256"], &[("k", "aws:kms")], true),
        (
            "StringNotEquals",
            &["AES256", "aws:kms"],
            &[("k", "aws:kms")],
            false,
        ),
        ("StringNotEquals", &["AES256"], &[], true),
        ("StringNotEqualsIfExists", &["AES256"], &[], true),
        ("StringEqualsIfExists", &["AES256"], &[], true),
        ("StringEqualsIfExists", &["AES256"], &[("k", "x")], false),
        (
            "StringEqualsIgnoreCase",
            &["aes256"],
            &[("k", "AES256")],
            true,
        ),
        (
            "StringNotEqualsIgnoreCase",
            &["aes256"],
            &[("k", "AES256")],
            false,
        ),
        ("StringLike", &["home/*"], &[("k", "home/a/b")], true),
        ("StringLike", &["home/?"], &[("k", "home/ab")], false),
        ("StringNotLike", &["home/*"], &[("k", "other")], true),
        ("NumericLessThan", &["10"], &[("k", "9")], true),
        ("NumericLessThan", &["10"], &[("k", "10")], false),
        ("NumericLessThanEquals", &["10"], &[("k", "10")], true),
        ("NumericGreaterThan", &["1.2"], &[("k", "1.3")], true),
        ("NumericGreaterThanEquals", &["1.2"], &[("k", "1.2")], true),
        ("NumericEquals", &["5"], &[("k", "5.0")], true),
        ("NumericNotEquals", &["5"], &[("k", "6")], true),
        ("NumericEquals", &["5"], &[("k", "five")], false),
        (
            "DateLessThan",
            &["2024-01-01T00:00:00Z"],
            &[("k", "2023-12-31T23:59:59Z")],
            true,
        ),
        (
            "DateGreaterThan",
            &["2024-01-01T00:00:00Z"],
            &[("k", "1704067201")],
            true,
        ),
        (
            "DateEquals",
            &["1704067200"],
            &[("k", "2024-01-01T00:00:00Z")],
            true,
        ),
        (
            "DateNotEquals",
            &["1704067200"],
            &[("k", "2024-01-01T00:00:01Z")],
            true,
        ),
        (
            "DateLessThanEquals",
            &["2024-01-01"],
            &[("k", "2024-01-01T00:00:00Z")],
            true,
        ),
        (
            "DateGreaterThanEquals",
            &["2024-01-02"],
            &[("k", "2024-01-01T00:00:00Z")],
            false,
        ),
        ("Bool", &["false"], &[("k", "false")], true),
        ("Bool", &["false"], &[("k", "true")], false),
        ("Bool", &["true"], &[("k", "TRUE")], true),
        ("BoolIfExists", &["false"], &[], true),
        ("BinaryEquals", &["QmluYXJ5"], &[("k", "QmluYXJ5")], true),
        (
            "ArnLike",
            &["arn:aws:s3:::b*"],
            &[("k", "arn:aws:s3:::b-logs")],
            true,
        ),
        (
            "ArnEquals",
            &["arn:aws:iam::*:role/App"],
            &[("k", "arn:aws:iam::111122223333:role/App")],
            true,
        ),
        (
            "ArnLike",
            &["arn:aws:iam::*:role/App"],
            &[("k", "not-an-arn")],
            false,
        ),
        (
            "ArnNotLike",
            &["arn:aws:iam::*:role/App"],
            &[("k", "arn:aws:iam::111122223333:role/Other")],
            true,
        ),
        (
            "ArnNotEquals",
            &["arn:aws:iam::111122223333:role/App"],
            &[],
            true,
        ),
        ("Null", &["true"], &[], true),
        ("Null", &["true"], &[("k", "x")], false),
        ("Null", &["false"], &[("k", "x")], true),
    ];
    for (op, values, keys, want) in cases {
        assert_eq!(
            check(op, "k", values, keys),
            *want,
            "{op} {values:?} {keys:?}"
        );
    }
    assert!(check("IpAddress", "aws:SourceIp", &["192.0.2.0/24"], &ip));
    assert!(!check(
        "IpAddress",
        "aws:SourceIp",
        &["198.51.100.0/24"],
        &ip
    ));
    assert!(check(
        "NotIpAddress",
        "aws:SourceIp",
        &["198.51.100.0/24"],
        &ip
    ));
    assert!(check("IpAddress", "aws:SourceIp", &["0.0.0.0/0"], &ip));
    assert!(check("IpAddress", "aws:SourceIp", &["192.0.2.10"], &ip));
    assert!(!check("IpAddress", "aws:SourceIp", &["2001:db8::/32"], &ip));
    assert!(check(
        "NotIpAddress",
        "aws:SourceIp",
        &["2001:db8::/32"],
        &ip
    ));
    assert!(check(
        "IpAddress",
        "aws:SourceIp",
        &["2001:db8::/32"],
        &[("aws:SourceIp", "2001:db8::1")]
    ));
    assert!(!check("IpAddress", "aws:SourceIp", &["192.0.2.0/24"], &[]));
    assert!(check(
        "NotIpAddress",
        "aws:SourceIp",
        &["192.0.2.0/24"],
        &[]
    ));
}

/// The text matcher (with its shortcut when every colon precedes the first wildcard) agrees
/// with the token matcher used after variable substitution.
#[test]
fn arn_text_matcher_agrees_with_the_token_matcher() {
    let patterns = [
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b*",
        "arn:aws:s3:::*",
        "arn:aws:s3:::b/a?c",
        "arn:aws:s3:::b/x:*",
        "arn:aws:iam::*:role/App",
        "arn:aws:*:*:*:*",
        "arn:aws:s3:::b",
        "*",
        "arn:*",
    ];
    let arns = [
        "arn:aws:s3:::b/k",
        "arn:aws:s3:::b",
        "arn:aws:s3:::bb/k",
        "arn:aws:s3:::b/abc",
        "arn:aws:s3:::b/x:y:z",
        "arn:aws:iam::111122223333:role/App",
        "arn:aws:s3:::other/k",
        "not-an-arn",
        "arn:aws:s3:::b/é*",
    ];
    for p in patterns {
        for a in arns {
            assert_eq!(
                arn_matches_str(p, a),
                arn_matches(Pattern::new(p).tokens(), a),
                "{p} {a}"
            );
        }
    }
}

/// A substituted pattern matches as text while its `*`/`?` are wildcards, and as tokens once
/// a request value or an escape put a literal `*` or `?` in it; both agree with the tokens.
#[test]
fn substituted_arn_patterns_match_as_their_tokens() {
    let arns = [
        "arn:aws:s3:::b/home/alice/x",
        "arn:aws:s3:::b/home/a*/x",
        "arn:aws:s3:::b/home/abc/x",
        "arn:aws:s3:::b/home/a?/x",
        "arn:aws:s3:::b/home/ab/x",
    ];
    for name in ["alice", "a*", "a?"] {
        let keys: ContextKeys = [("aws:username", name)].into_iter().collect();
        for text in [
            "arn:aws:s3:::b/home/${aws:username}/*",
            "arn:aws:s3:::b/${*}/${aws:username}",
        ] {
            let p = substitute(text, &keys, true).pattern.unwrap();
            assert_eq!(
                p.plain_text().is_none(),
                name != "alice" || text.contains("${*}")
            );
            for arn in arns {
                assert_eq!(
                    pattern_matches_arn(&p, arn),
                    arn_matches(p.tokens(), arn),
                    "{text} {name} {arn}"
                );
            }
        }
    }
    let keys: ContextKeys = [("aws:username", "a*")].into_iter().collect();
    let p = substitute("arn:aws:s3:::b/home/${aws:username}/*", &keys, true)
        .pattern
        .unwrap();
    assert!(pattern_matches_arn(&p, "arn:aws:s3:::b/home/a*/x"));
    assert!(!pattern_matches_arn(&p, "arn:aws:s3:::b/home/abc/x"));
}

#[test]
fn keys_are_case_insensitive_values_are_not() {
    assert!(check(
        "StringEquals",
        "AWS:SECURETRANSPORT",
        &["true"],
        &[("aws:SecureTransport", "true")]
    ));
}

#[test]
fn set_qualifiers() {
    assert!(check_multi(
        "ForAllValues:StringEquals",
        &["a", "b"],
        Some(&["a"])
    ));
    assert!(!check_multi(
        "ForAllValues:StringEquals",
        &["a", "b"],
        Some(&["a", "c"])
    ));
    assert!(check_multi("ForAllValues:StringEquals", &["a"], None));
    assert!(check_multi("ForAllValues:StringEquals", &["a"], Some(&[])));
    assert!(check_multi(
        "ForAnyValue:StringEquals",
        &["a"],
        Some(&["c", "a"])
    ));
    assert!(!check_multi(
        "ForAnyValue:StringEquals",
        &["a"],
        Some(&["c"])
    ));
    assert!(!check_multi("ForAnyValue:StringEquals", &["a"], None));
    assert!(!check_multi("ForAnyValue:StringEquals", &["a"], Some(&[])));
    assert!(check_multi(
        "ForAnyValue:StringNotEquals",
        &["a"],
        Some(&["a", "b"])
    ));
    assert!(!check_multi(
        "ForAllValues:StringNotEquals",
        &["a"],
        Some(&["a", "b"])
    ));
    assert!(!check_multi(
        "ForAnyValue:StringEqualsIfExists",
        &["a"],
        None
    ));
    assert!(check_multi(
        "ForAllValues:StringEqualsIfExists",
        &["a"],
        None
    ));
    assert!(check_multi("StringEquals", &["a"], Some(&["b", "a"])));
}

#[test]
fn variables_with_no_value() {
    let keys = &[("s3:ExistingObjectTag/Team", "red")];
    assert!(!check(
        "StringEquals",
        "s3:ExistingObjectTag/Team",
        &["${aws:PrincipalTag/Team}"],
        keys
    ));
    assert!(check(
        "StringNotEquals",
        "s3:ExistingObjectTag/Team",
        &["${aws:PrincipalTag/Team}"],
        keys
    ));
    let with_tag = &[
        ("s3:ExistingObjectTag/Team", "red"),
        ("aws:PrincipalTag/Team", "red"),
    ];
    assert!(check(
        "StringEquals",
        "s3:ExistingObjectTag/Team",
        &["${aws:PrincipalTag/Team}"],
        with_tag
    ));
    assert!(check(
        "StringLike",
        "s3:prefix",
        &["home/${aws:username}/*"],
        &[("s3:prefix", "home/alice/x"), ("aws:username", "alice")]
    ));
}

#[test]
fn explanations_name_the_values_compared() {
    let k = ContextKeys::new();
    let t = evaluate_condition(
        &cond("Null", "s3:x-amz-server-side-encryption", &["true"]),
        &k,
        true,
    );
    assert!(t.matched);
    assert_eq!(
        t.fact(),
        "the request has no `x-amz-server-side-encryption` header"
    );
    assert!(t.explanation().contains("→ matched"), "{}", t.explanation());
}
