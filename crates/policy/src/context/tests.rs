//! Tests of the request context: principals from ARNs, key order and lookup, derived keys.

use super::*;

#[test]
fn principals_from_arns() {
    let u = Principal::from_arn("arn:aws:iam::111122223333:user/division/alice").unwrap();
    assert!(
        matches!(&u, Principal::User { name, path, .. } if name == "alice" && path == "/division/")
    );
    assert_eq!(
        u.arn().unwrap(),
        "arn:aws:iam::111122223333:user/division/alice"
    );
    let r = Principal::from_arn("arn:aws:sts::111122223333:assumed-role/App/s1").unwrap();
    assert_eq!(
        r.principal_arn().unwrap(),
        "arn:aws:iam::111122223333:role/App"
    );
    assert_eq!(
        r.arn().unwrap(),
        "arn:aws:sts::111122223333:assumed-role/App/s1"
    );
    assert!(r.user_id().unwrap().starts_with("AROA"));
    assert!(r.user_id().unwrap().ends_with(":s1"));
    assert_eq!(
        Principal::from_arn("anonymous").unwrap(),
        Principal::Anonymous
    );
    assert!(matches!(
        Principal::from_arn("arn:aws:iam::111122223333:root").unwrap(),
        Principal::Root { .. }
    ));
    assert!(Principal::from_arn("alice").is_err());
}

/// Key order is the order of the lowercase forms, however long the shared prefix.
#[test]
fn keys_order_as_their_lowercase_forms() {
    let keys = [
        "aws:PrincipalArn",
        "aws:principalarn",
        "AWS:PrincipalAccount",
        "aws:PrincipalTag/team",
        "aws:PrincipalTag/Team2",
        "aws:Principal",
        "aws:SourceIp",
        "s3:prefix",
        "s3:x-amz-acl",
        "",
        "a",
        "aws:PrincipalTag/équipe",
        "aws:PrincipalTag/Équipe",
        "aws:PrincipalTag/K",
        "aws:PrincipalTag/\u{212a}",
        "\u{212a}",
        "k",
        "s3:x-amz-server-side-encryption",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
        "S3:X-AMZ-SERVER-SIDE",
        "ab",
        "ab\0",
        "ab\0c",
        "aws:principaltag",
        "aws:principaltaG/",
    ];
    for a in keys {
        let name = KeyName::shared(Arc::from(a));
        for b in keys {
            assert_eq!(cmp_ignore_case(a, b), cmp_lowercase(a, b), "{a} {b}");
            assert_eq!(
                name.cmp_with(b, sort_prefix(b)),
                cmp_lowercase(a, b),
                "{a} {b}"
            );
        }
        assert_eq!(sort_prefix(a), sort_prefix_const(a), "{a}");
    }
    for a in [
        "@[`{AZaz09",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "\x7f\x40\x5b\x60\x7b",
    ] {
        assert_eq!(sort_prefix(a), sort_prefix_const(a), "{a}");
        for b in [a.to_lowercase(), a.to_uppercase()] {
            assert_eq!(sort_prefix(&b), sort_prefix_const(&b), "{b}");
        }
    }
}

/// The derived keys are listed in the order the context keeps, so one merge adds them.
#[test]
fn derived_keys_are_in_context_order() {
    for pair in DERIVED.windows(2) {
        let [(a, _), (b, _)] = pair else { continue };
        let (a, b) = (a.as_str(), b.as_str());
        assert_eq!(cmp_lowercase(a, b), std::cmp::Ordering::Less, "{a} {b}");
    }
}

/// The merge gives what inserting each derived key, when absent, would give.
#[test]
fn derived_keys_merge_as_inserts_would() {
    let principals = [
        "anonymous",
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::111122223333:user/division/alice",
        "arn:aws:sts::111122223333:assumed-role/App/s1",
        "arn:aws:sts::111122223333:federated-user/bob",
        "logging.s3.amazonaws.com",
    ];
    let contexts: [&[(&str, &str)]; 4] = [
        &[],
        &[("AWS:USERNAME", "x"), ("zz:last", "1"), ("a:first", "2")],
        &[("aws:principaltype", "T"), ("aws:PrincipalTag/team", "red")],
        &[("s3:resourceaccount", "1"), ("aws:SourceIp", "192.0.2.1")],
    ];
    for p in principals {
        for context in contexts {
            for action in ["s3:GetObject", "kms:Decrypt"] {
                let mut req = RequestContext::new(
                    Principal::from_arn(p).unwrap(),
                    action,
                    "arn:aws:s3:::b/k",
                )
                .with_resource_account("444455556666");
                for (k, v) in context {
                    req.context.insert(*k, *v);
                }
                let mut want = req.context.clone();
                for (name, derived) in &DERIVED {
                    if !want.contains(name.as_str())
                        && let Some(v) = req.derived_value(*derived, &mut None)
                    {
                        want.insert(name.as_str(), v);
                    }
                }
                assert_eq!(req.effective_keys(), want, "{p} {context:?} {action}");
                assert_eq!(req.clone().take_effective_keys(), want);
            }
        }
    }
}

#[test]
fn keys_are_case_insensitive_and_derived_keys_fill_gaps() {
    let req = RequestContext::new(
        Principal::from_arn("arn:aws:iam::111122223333:user/alice").unwrap(),
        "s3:GetObject",
        "arn:aws:s3:::b/k",
    )
    .with_key("AWS:SourceIP", "192.0.2.1")
    .with_key("aws:username", "override");
    let keys = req.effective_keys();
    assert_eq!(
        keys.get("aws:sourceip").unwrap().single(),
        Some("192.0.2.1")
    );
    assert_eq!(keys.get("aws:username").unwrap().single(), Some("override"));
    assert_eq!(
        keys.get("aws:PrincipalType").unwrap().single(),
        Some("User")
    );
    let anon = RequestContext::new(Principal::Anonymous, "s3:GetObject", "arn:aws:s3:::b/k");
    let keys = anon.effective_keys();
    assert_eq!(
        keys.get("aws:PrincipalAccount").unwrap().single(),
        Some("anonymous")
    );
    assert!(keys.get("aws:PrincipalArn").is_none());
}
