//! Property tests of the evaluation rules (IAM UG `reference_policies_evaluation-logic.md`):
//! an explicit deny can only take away, an allow can only give, and order never matters.
//! Also: the wildcard matcher agrees with a regular-expression reference; the decision-only
//! evaluation and the fast batch reader answer exactly what the full evaluation and the
//! positioned reader answer.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers build fixed, known-good inputs"
)]

use proptest::prelude::*;
use s3pg_policy::case::{Answer, run, run_decisions};
use s3pg_policy::wildcard::wildcard_match;
use s3pg_policy::{
    Decision, NamedPolicy, Policy, PolicySet, Principal, RequestContext, evaluate, evaluate_layers,
    evaluate_layers_untraced,
};
use serde_json::{Value, json};

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:Get*",
    "s3:*",
    "*",
    "s3:DeleteObject",
];
const RESOURCES: &[&str] = &[
    "arn:aws:s3:::b",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b/a*",
    "*",
    "arn:aws:s3:::other/*",
    "arn:aws:s3:::b/${aws:username}/*",
];
const PRINCIPALS: &[&str] = &[
    "*",
    "111122223333",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:role/App",
    "arn:aws:sts::111122223333:assumed-role/App/s1",
    "444455556666",
];
const CALLERS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:sts::111122223333:assumed-role/App/s1",
    "arn:aws:iam::111122223333:root",
    "anonymous",
    "arn:aws:iam::444455556666:user/bob",
];
const REQUEST_RESOURCES: &[&str] = &[
    "arn:aws:s3:::b",
    "arn:aws:s3:::b/alice/x",
    "arn:aws:s3:::b/a.txt",
    "arn:aws:s3:::other/k",
];
const REQUEST_ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:DeleteObject",
];

fn condition() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(json!({"Bool": {"aws:SecureTransport": "false"}}))),
        1 => Just(Some(json!({"Null": {"s3:x-amz-server-side-encryption": "true"}}))),
        1 => Just(Some(json!({"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}}))),
        1 => Just(Some(json!({"StringEquals": {"aws:SourceVpce": "vpce-1"}}))),
        1 => Just(Some(json!({"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}))),
        1 => Just(Some(json!({"StringLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:*"}}))),
    ]
}

fn statement(effect: &'static str, with_principal: bool) -> impl Strategy<Value = Value> {
    (
        prop::sample::subsequence(ACTIONS, 1..3),
        prop::sample::subsequence(RESOURCES, 1..3),
        prop::sample::select(PRINCIPALS),
        any::<bool>(),
        any::<bool>(),
        condition(),
    )
        .prop_map(
            move |(actions, resources, principal, not_action, not_principal, cond)| {
                let mut s = serde_json::Map::new();
                s.insert("Effect".into(), json!(effect));
                let akey = if not_action && effect == "Deny" {
                    "NotAction"
                } else {
                    "Action"
                };
                s.insert(akey.into(), json!(actions));
                s.insert("Resource".into(), json!(resources));
                if with_principal {
                    let p = if principal == "*" {
                        json!("*")
                    } else {
                        json!({"AWS": principal})
                    };
                    let pkey = if not_principal && effect == "Deny" && principal != "*" {
                        "NotPrincipal"
                    } else {
                        "Principal"
                    };
                    s.insert(pkey.into(), p);
                }
                if let Some(c) = cond {
                    s.insert("Condition".into(), c);
                }
                Value::Object(s)
            },
        )
}

fn any_statement(with_principal: bool) -> impl Strategy<Value = Value> {
    prop_oneof![
        statement("Allow", with_principal),
        statement("Deny", with_principal)
    ]
}

fn policy(with_principal: bool) -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(any_statement(with_principal), 1..4)
}

#[derive(Debug, Clone)]
struct Case {
    caller: &'static str,
    action: &'static str,
    resource: &'static str,
    owner: &'static str,
    keys: Vec<(&'static str, &'static str)>,
    identity: Vec<Vec<Value>>,
    boundary: Option<Vec<Value>>,
    session: Option<Vec<Value>>,
    scps: Vec<Vec<Value>>,
    resource_policy: Option<Vec<Value>>,
}

fn case() -> impl Strategy<Value = Case> {
    let keys = prop::sample::subsequence(
        vec![
            ("aws:SecureTransport", "true"),
            ("s3:x-amz-server-side-encryption", "AES256"),
            ("aws:SourceVpce", "vpce-1"),
            ("aws:SourceIp", "192.0.2.7"),
        ],
        0..4,
    );
    (
        prop::sample::select(CALLERS),
        prop::sample::select(REQUEST_ACTIONS),
        prop::sample::select(REQUEST_RESOURCES),
        prop::sample::select(&["111122223333", "444455556666"][..]),
        keys,
        prop::collection::vec(policy(false), 0..3),
        prop::option::weighted(0.3, policy(false)),
        prop::option::weighted(0.2, policy(false)),
        prop::collection::vec(policy(false), 0..2),
        prop::option::weighted(0.7, policy(true)),
    )
        .prop_map(
            |(
                caller,
                action,
                resource,
                owner,
                keys,
                identity,
                boundary,
                session,
                scps,
                resource_policy,
            )| Case {
                caller,
                action,
                resource,
                owner,
                keys,
                identity,
                boundary,
                session,
                scps,
                resource_policy,
            },
        )
}

fn parse(statements: &[Value]) -> Policy {
    let text = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    Policy::parse(&text).unwrap()
}

fn request_and_set(c: &Case) -> (RequestContext, PolicySet) {
    let mut req = RequestContext::new(Principal::from_arn(c.caller).unwrap(), c.action, c.resource)
        .with_resource_account(c.owner);
    for (k, v) in &c.keys {
        req.context.insert(*k, *v);
    }
    let named = |n: &str, s: &Vec<Value>| NamedPolicy::new(n, parse(s));
    let set = PolicySet {
        identity_policies: c
            .identity
            .iter()
            .enumerate()
            .map(|(i, p)| named(&format!("id{i}"), p))
            .collect(),
        permissions_boundary: c.boundary.as_ref().map(|p| named("boundary", p)),
        session_policy: c.session.as_ref().map(|p| named("session", p)),
        scps: c
            .scps
            .iter()
            .enumerate()
            .map(|(i, p)| named(&format!("scp{i}"), p))
            .collect(),
        resource_policy: c
            .resource_policy
            .as_ref()
            .map(|p| named("bucket policy", p)),
        ..PolicySet::default()
    };
    (req, set)
}

fn decide(c: &Case) -> Decision {
    let (req, set) = request_and_set(c);
    evaluate(&req, &set).decision
}

/// The case in `s3pg eval`'s input format; `as_text` writes policies as strings of policy text.
fn case_json(c: &Case, as_text: bool) -> Value {
    let policy = |s: &Vec<Value>| {
        let p = json!({"Version": "2012-10-17", "Statement": s});
        if as_text {
            Value::String(p.to_string())
        } else {
            p
        }
    };
    let mut v = json!({
        "name": "generated",
        "principal": c.caller,
        "action": c.action,
        "resource": c.resource,
        "resource_account": c.owner,
        "context": c.keys.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "identity_policies": c.identity.iter().map(policy).collect::<Vec<_>>(),
        "scps": c.scps.iter().map(policy).collect::<Vec<_>>(),
    });
    let fields = [
        ("permissions_boundary", &c.boundary),
        ("session_policy", &c.session),
        ("resource_policy", &c.resource_policy),
    ];
    for (field, p) in fields {
        if let (Some(p), Some(o)) = (p, v.as_object_mut()) {
            o.insert(field.to_owned(), policy(p));
        }
    }
    v
}

/// Every existing policy of the case, as mutable statement lists.
fn policies_mut(c: &mut Case) -> Vec<(&mut Vec<Value>, bool)> {
    let mut out: Vec<(&mut Vec<Value>, bool)> = Vec::new();
    for p in &mut c.identity {
        out.push((p, false));
    }
    if let Some(p) = &mut c.boundary {
        out.push((p, false));
    }
    if let Some(p) = &mut c.session {
        out.push((p, false));
    }
    for p in &mut c.scps {
        out.push((p, false));
    }
    if let Some(p) = &mut c.resource_policy {
        out.push((p, true));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn adding_a_deny_never_grants(c in case(), deny in statement("Deny", true), pick in any::<prop::sample::Index>()) {
        let before = decide(&c);
        let mut c2 = c.clone();
        let mut pols = policies_mut(&mut c2);
        if pols.is_empty() {
            return Ok(());
        }
        let (p, with_principal) = pols.swap_remove(pick.index(pols.len()));
        let mut deny = deny;
        if !with_principal {
            deny.as_object_mut().unwrap().remove("Principal");
            deny.as_object_mut().unwrap().remove("NotPrincipal");
        }
        p.push(deny);
        let after = decide(&c2);
        if before != Decision::Allow {
            prop_assert_ne!(after, Decision::Allow);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }

    #[test]
    fn adding_an_allow_never_revokes(c in case(), allow in statement("Allow", true), pick in any::<prop::sample::Index>()) {
        let before = decide(&c);
        let mut c2 = c.clone();
        let mut pols = policies_mut(&mut c2);
        if pols.is_empty() {
            return Ok(());
        }
        let (p, with_principal) = pols.swap_remove(pick.index(pols.len()));
        let mut allow = allow;
        if !with_principal {
            allow.as_object_mut().unwrap().remove("Principal");
        }
        p.push(allow);
        let after = decide(&c2);
        if before == Decision::Allow {
            prop_assert_eq!(after, Decision::Allow);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }

    #[test]
    fn statement_and_policy_order_never_matter(c in case()) {
        let before = decide(&c);
        let mut c2 = c.clone();
        for (p, _) in policies_mut(&mut c2) {
            p.reverse();
        }
        c2.identity.reverse();
        c2.scps.reverse();
        prop_assert_eq!(before, decide(&c2));
    }

    #[test]
    fn explicit_deny_always_names_its_statements(c in case()) {
        let mut req = RequestContext::new(Principal::from_arn(c.caller).unwrap(), c.action, c.resource)
            .with_resource_account(c.owner);
        for (k, v) in &c.keys {
            req.context.insert(*k, *v);
        }
        let set = PolicySet {
            identity_policies: c.identity.iter().map(|p| NamedPolicy::new("id", parse(p))).collect(),
            resource_policy: c.resource_policy.as_ref().map(|p| NamedPolicy::new("bucket policy", parse(p))),
            ..PolicySet::default()
        };
        let e = evaluate(&req, &set);
        match e.decision {
            Decision::ExplicitDeny => {
                prop_assert!(!e.determining.is_empty());
                prop_assert!(e.summary.starts_with("Denied: statement"), "{}", e.summary);
                prop_assert!(e.denial.is_some_and(|d| d.explicit));
            }
            Decision::ImplicitDeny => {
                prop_assert!(e.determining.is_empty());
                prop_assert!(e.summary.starts_with("Denied by default"), "{}", e.summary);
            }
            Decision::Allow => {
                prop_assert!(e.denial.is_none());
                prop_assert!(e.summary.starts_with("Allowed"), "{}", e.summary);
            }
        }
    }

    #[test]
    fn decide_agrees_with_evaluate(c in case()) {
        let (mut req, set) = request_and_set(&c);
        let full = evaluate(&req, &set);
        let keys = req.take_effective_keys();
        let (decision, determining) = s3pg_policy::decide(&req, &evaluate_layers(&req, &keys, &set.layers()));
        prop_assert_eq!(decision, full.decision);
        prop_assert_eq!(&determining, &full.determining);
        // Without the statements' traces, the same decision and statements.
        let (decision, determining) = s3pg_policy::decide(&req, &evaluate_layers_untraced(&req, &keys, &set.layers()));
        prop_assert_eq!(decision, full.decision);
        prop_assert_eq!(determining, full.determining);
    }

    /// The batch reader's fast path (plain serde, policies parsed once) answers exactly what
    /// reading each case with positions answers, and the decision-only run agrees with both.
    #[test]
    fn batch_fast_path_answers_like_the_positioned_reader(cases in prop::collection::vec((case(), any::<bool>()), 1..6)) {
        // The same policy twice in a batch exercises the cache.
        let mut items: Vec<Value> = cases.iter().map(|(c, t)| case_json(c, *t)).collect();
        items.push(items[0].clone());
        let text = serde_json::to_string_pretty(&items).unwrap();
        let (answers, batch) = run(&text);
        prop_assert!(batch);
        let doc = s3pg_policy::json::parse(&text).unwrap();
        let s3pg_policy::json::JsonKind::Array(positioned) = &doc.kind else { panic!() };
        let slow: Vec<Answer> = positioned.iter().map(|c| s3pg_policy::case::case(&text, c)).collect();
        prop_assert_eq!(serde_json::to_value(&answers).unwrap(), serde_json::to_value(&slow).unwrap());
        let (verdicts, _) = run_decisions(&text);
        for (v, a) in verdicts.iter().zip(&answers) {
            let (Ok((decision, determining)), Answer::Evaluated(e)) = (v, a) else {
                prop_assert!(false, "generated cases are valid");
                continue;
            };
            prop_assert_eq!(*decision, e.decision);
            prop_assert_eq!(determining, &e.determining);
        }
    }

    #[test]
    fn parser_and_linter_never_panic(text in "\\PC{0,200}") {
        if let Ok(p) = Policy::parse(&text) {
            let _ = s3pg_policy::lint(&p);
        }
    }

    #[test]
    fn parser_never_panics_on_policy_shaped_text(
        parts in prop::collection::vec(prop::sample::select(&[
            "{", "}", "[", "]", ",", ":", "\"Version\"", "\"2012-10-17\"", "\"Statement\"", "\"Effect\"",
            "\"Allow\"", "\"Action\"", "\"s3:*\"", "\"Resource\"", "\"*\"", "\"Condition\"",
            "\"StringEquals\"", "\"Principal\"", "\"AWS\"", "1", "true", "null", "\"${aws:username}\"",
        ][..]), 0..40)
    ) {
        let text = parts.concat();
        if let Ok(p) = Policy::parse(&text) {
            let _ = s3pg_policy::lint(&p);
        }
    }

    #[test]
    fn wildcard_matcher_agrees_with_regex(pattern in "[ab*?/]{0,8}", text in "[ab/]{0,12}") {
        let mut re = String::from("^");
        for ch in pattern.chars() {
            match ch {
                '*' => re.push_str(".*"),
                '?' => re.push('.'),
                c => re.push_str(&regex::escape(&c.to_string())),
            }
        }
        re.push('$');
        let reference = regex::Regex::new(&re).unwrap().is_match(&text);
        prop_assert_eq!(wildcard_match(&pattern, &text), reference, "{} vs {}", pattern, text);
    }
}

#[test]
fn wildcard_matcher_is_linear_on_adversarial_patterns() {
    // Would take ages with a backtracking matcher; this is a correctness check that completes.
    let text = "a".repeat(200_000);
    assert!(!wildcard_match("*a*a*a*a*a*a*a*a*a*a*a*b", &text));
    assert!(wildcard_match("*a*a*a*a*a*a*a*a*a*a*a*", &text));
}
