//! One decider: where no ACL, Block Public Access or Object Ownership rule is involved (ACLs
//! disabled with `BucketOwnerEnforced`, no Block Public Access settings), the world's decision
//! for a request is exactly `s3pg-policy`'s multi-layer evaluation of the same policies — the
//! caller's identity policies and the bucket policy — with the same request context.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

mod common;

use common::{A, B, NOW};
use proptest::prelude::*;
use s3pg_policy::{
    ContextValue, NamedPolicy, Policy, PolicySet, Principal, RequestContext, evaluate,
};
use s3pg_sim::{Caller, Request, Scheme};
use serde_json::{Value, json};

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:ListBucket",
    "s3:*",
    "s3:Get*",
];
const RESOURCES: &[&str] = &[
    "arn:aws:s3:::b",
    "arn:aws:s3:::b/*",
    "*",
    "arn:aws:s3:::b/k",
];

fn alice_arn() -> String {
    format!("arn:aws:iam::{A}:user/alice")
}

fn principals() -> Vec<Value> {
    vec![
        json!("*"),
        json!({"AWS": A}),
        json!({"AWS": alice_arn()}),
        json!({"AWS": format!("arn:aws:iam::{B}:root")}),
        json!({"AWS": format!("arn:aws:iam::{B}:user/bob")}),
    ]
}

fn condition(c: usize) -> Option<Value> {
    match c {
        0 => Some(json!({"Bool": {"aws:SecureTransport": "false"}})),
        1 => Some(json!({"Bool": {"aws:SecureTransport": "true"}})),
        2 => Some(json!({"Null": {"s3:x-amz-server-side-encryption": "true"}})),
        3 => Some(json!({"StringEquals": {"s3:x-amz-server-side-encryption": "AES256"}})),
        _ => None,
    }
}

/// One statement from the generator's small grammar.
fn statement(
    (deny, action, resource, principal, cond): (bool, usize, usize, usize, usize),
    resource_policy: bool,
) -> Value {
    let mut s = json!({
        "Effect": if deny { "Deny" } else { "Allow" },
        "Action": ACTIONS[action % ACTIONS.len()],
        "Resource": RESOURCES[resource % RESOURCES.len()],
    });
    if resource_policy {
        let p = principals();
        s["Principal"] = p[principal % p.len()].clone();
    }
    if let Some(c) = condition(cond % 6) {
        s["Condition"] = c;
    }
    s
}

fn policy(statements: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

type St = (bool, usize, usize, usize, usize);

fn st() -> impl Strategy<Value = St> {
    (
        prop::bool::weighted(0.3),
        0usize..100,
        0usize..100,
        0usize..100,
        0usize..100,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_world_decides_as_the_policy_engine_when_no_s3_only_rule_is_involved(
        alice in prop::collection::vec(st(), 0..3),
        bob in prop::collection::vec(st(), 0..3),
        bucket in prop::collection::vec(st(), 0..4),
        who in 0usize..4,
        what in 0usize..4,
        https in any::<bool>(),
        sse in any::<bool>(),
    ) {
        let alice_doc = (!alice.is_empty())
            .then(|| policy(alice.iter().map(|s| statement(*s, false)).collect()));
        let bob_doc = (!bob.is_empty())
            .then(|| policy(bob.iter().map(|s| statement(*s, false)).collect()));
        let attached = |d: &Option<Value>| match d {
            Some(d) => json!([{"name": "p", "document": d}]),
            None => json!([]),
        };
        let bucket_doc = (!bucket.is_empty())
            .then(|| policy(bucket.iter().map(|s| statement(*s, true)).collect()));
        let mut world_json = json!({
            "accounts": {
                A: {"users": {"alice": {"policies": attached(&alice_doc)}}},
                B: {"users": {"bob": {"policies": attached(&bob_doc)}}}
            },
            "buckets": {"b": {"owner": A, "objectOwnership": "BucketOwnerEnforced", "publicAccessBlock": null,
                "objects": {"k": {"versions": [{"owner": A, "body": "1"}]}}}}
        });
        if let Some(d) = &bucket_doc {
            world_json["buckets"]["b"]["policy"] = d.clone();
        }
        let mut world = common::world(world_json);

        let (caller, principal, identity): (Caller, &str, Option<&Value>) = match who {
            0 => (common::user("alice", A), "arn:aws:iam::111122223333:user/alice", alice_doc.as_ref()),
            1 => (common::user("bob", B), "arn:aws:iam::444455556666:user/bob", bob_doc.as_ref()),
            2 => (common::root(A), "arn:aws:iam::111122223333:root", None),
            _ => (Caller::Anonymous, "anonymous", None),
        };
        let (op, action, resource) = match what {
            0 => (json!({"GetObject": {"bucket": "b", "key": "k"}}), "s3:GetObject", "arn:aws:s3:::b/k"),
            1 => (json!({"PutObject": {"bucket": "b", "key": "k", "body": "2"}}), "s3:PutObject", "arn:aws:s3:::b/k"),
            2 => (json!({"DeleteObject": {"bucket": "b", "key": "k"}}), "s3:DeleteObject", "arn:aws:s3:::b/k"),
            _ => (json!({"ListObjectsV2": {"bucket": "b"}}), "s3:ListBucket", "arn:aws:s3:::b"),
        };
        let mut request = Request::new(caller, common::op(op));
        if !https {
            request.network.scheme = Scheme::Http;
        }
        let with_sse = sse && what == 1;
        if with_sse {
            request = request.header("x-amz-server-side-encryption", "AES256");
        }
        let outcome = world.handle(&request, NOW);

        // The same policies and context, straight to the policy engine.
        let mut rc = RequestContext::new(Principal::from_arn(principal).unwrap(), action, resource)
            .with_resource_account(A);
        rc.context.insert("aws:SecureTransport", ContextValue::from(https.to_string()));
        if with_sse {
            rc.context.insert("s3:x-amz-server-side-encryption", ContextValue::from("AES256"));
        }
        let parse = |d: &Value| Policy::parse(&serde_json::to_string(d).unwrap()).unwrap();
        let set = PolicySet {
            identity_policies: identity.map(|d| vec![NamedPolicy::new("id", parse(d))]).unwrap_or_default(),
            resource_policy: bucket_doc.as_ref().map(|d| NamedPolicy::new("bucket policy", parse(d))),
            ..PolicySet::default()
        };
        let expected = evaluate(&rc, &set).decision;
        prop_assert_eq!(
            outcome.decision,
            Some(expected),
            "{} {} -> {} {:?}\nbucket policy {}\nidentity {:?}",
            principal, action, outcome.status, outcome.error, bucket_doc.map(|d| d.to_string()).unwrap_or_default(),
            identity.map(ToString::to_string)
        );
    }
}
