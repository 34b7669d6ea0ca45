//! One test per gate: each gate decides what it should, and says so in the trace.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

mod common;

use common::*;
use s3pg_sim::{Caller, Decision, Gate, Request, Scheme, StepOutcome};
use serde_json::json;

fn basic() -> s3pg_sim::World {
    world(json!({
        "accounts": {
            A: {"users": {
                "alice": {"policies": [{"name": "rw", "document": allow("s3:*", "*")}]},
                "bob": {}
            }},
            B: {"users": {"carol": {"policies": [{"name": "rw", "document": allow("s3:*", "*")}]}}}
        },
        "buckets": {"b": {"owner": A, "objects": {"k": {"versions": [{"body": "v"}]}}}}
    }))
}

fn get(key: &str) -> serde_json::Value {
    json!({"GetObject": {"bucket": "b", "key": key}})
}

#[test]
fn authentication_gate_rejects_unknown_access_keys_before_any_policy() {
    let mut w = basic();
    let o = send(
        &mut w,
        Caller::AccessKey {
            id: "AKIAUNKNOWN".into(),
        },
        get("k"),
    );
    assert_eq!((o.status, code(&o)), (403, "InvalidAccessKeyId"));
    assert_eq!(o.trace.len(), 1);
    assert_eq!(o.trace[0].gate, Gate::Authentication);
    assert_eq!(o.trace[0].outcome, StepOutcome::Reject);
    assert_eq!(o.decision, None);
}

#[test]
fn request_validation_gate_answers_no_such_bucket_before_authorization() {
    let mut w = basic();
    let o = send(
        &mut w,
        Caller::Anonymous,
        json!({"GetObject": {"bucket": "nope", "key": "k"}}),
    );
    assert_eq!(code(&o), "NoSuchBucket");
    assert!(o.trace.iter().all(|s| s.gate != Gate::IdentityPolicy));
}

#[test]
fn identity_policy_gate_allows_and_decides_same_account_requests() {
    let mut w = basic();
    let o = send(&mut w, user("alice", A), get("k"));
    assert_eq!(o.status, 200);
    assert_eq!(o.decision, Some(Decision::Allow));
    assert_eq!(o.deciding.unwrap().gate, Gate::IdentityPolicy);
    let step = o
        .trace
        .iter()
        .find(|s| s.gate == Gate::IdentityPolicy)
        .unwrap();
    assert_eq!(step.outcome, StepOutcome::Allow);
    assert!(
        step.policy_trace.is_some(),
        "the policy engine's own trace is attached"
    );
}

#[test]
fn implicit_deny_for_a_user_without_policies_names_the_missing_policy() {
    let mut w = basic();
    let o = send(&mut w, user("bob", A), get("k"));
    assert_eq!(o.status, 403);
    assert_eq!(o.decision, Some(Decision::ImplicitDeny));
    let msg = &o.error.unwrap().message;
    assert!(
        msg.contains("because no identity-based policy allows the s3:GetObject action"),
        "{msg}"
    );
}

#[test]
fn service_control_policy_gate_caps_even_the_root_user() {
    let mut w = basic();
    w.accounts.get_mut(A).unwrap().scp = Some(allow("s3:ListBucket", "*"));
    let o = send(&mut w, root(A), get("k"));
    assert_eq!(o.decision, Some(Decision::ImplicitDeny));
    assert_eq!(o.deciding.unwrap().gate, Gate::ServiceControlPolicy);
}

#[test]
fn permissions_boundary_gate_caps_identity_policies() {
    let mut w = basic();
    w.accounts
        .get_mut(A)
        .unwrap()
        .users
        .get_mut("alice")
        .unwrap()
        .permissions_boundary = Some(allow("s3:ListBucket", "*"));
    let o = send(&mut w, user("alice", A), get("k"));
    assert_eq!(o.deciding.unwrap().gate, Gate::PermissionsBoundary);
    let step = o
        .trace
        .iter()
        .find(|s| s.gate == Gate::PermissionsBoundary)
        .unwrap();
    assert_eq!(step.outcome, StepOutcome::ImplicitDeny);
}

#[test]
fn session_policy_gate_caps_role_sessions() {
    let mut w = world(json!({
        "accounts": {A: {"roles": {"R": {"policies": [{"name": "all", "document": allow("s3:*", "*")}],
            "sessions": [{"name": "s", "sessionPolicy": allow("s3:ListBucket", "*")}]}}}},
        "buckets": {"b": {"owner": A, "objects": {"k": {"versions": [{"body": "v"}]}}}}
    }));
    let caller = Caller::RoleSession {
        role: "R".into(),
        session: "s".into(),
        account: None,
    };
    let o = send(&mut w, caller, get("k"));
    assert_eq!(o.deciding.unwrap().gate, Gate::SessionPolicy);
}

#[test]
fn bucket_policy_explicit_deny_overrides_identity_allow() {
    let mut w = basic();
    w.buckets.get_mut("b").unwrap().policy = Some(json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "NoReads", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}));
    let o = send(&mut w, user("alice", A), get("k"));
    assert_eq!(o.decision, Some(Decision::ExplicitDeny));
    let d = o.deciding.unwrap();
    assert_eq!(d.gate, Gate::BucketPolicy);
    assert_eq!(d.statement.unwrap().label(), "NoReads");
    assert_eq!(
        o.trace.iter().filter(|s| s.deciding).count(),
        1,
        "exactly one step decides"
    );
}

#[test]
fn root_user_gate_exempts_the_owner_from_its_bucket_policy_on_policy_apis() {
    let mut w = basic();
    w.buckets.get_mut("b").unwrap().policy = Some(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}]}));
    let o = send(
        &mut w,
        root(A),
        json!({"DeleteBucketPolicy": {"bucket": "b"}}),
    );
    assert_eq!(o.status, 204);
    assert!(o.trace.iter().any(|s| s.gate == Gate::RootUser));
    assert!(w.buckets["b"].policy.is_none());
}

#[test]
fn bucket_context_requires_the_owner_to_grant_cross_account_callers() {
    let mut w = basic();
    let o = send(&mut w, user("carol", B), get("k"));
    assert_eq!(o.deciding.unwrap().gate, Gate::BucketContext);
    assert_eq!(
        o.error.unwrap().message,
        "Access Denied",
        "cross-account callers get the plain message"
    );
}

#[test]
fn object_context_and_acls_decide_objects_owned_by_another_account() {
    let mut w = world(json!({
        "accounts": {A: {"users": {"alice": {"policies": [{"name": "rw", "document": allow("s3:*", "*")}]}}}, B: {}},
        "buckets": {"b": {"owner": A, "objectOwnership": "ObjectWriter", "objects": {
            "theirs": {"versions": [{"body": "x", "owner": B}]},
            "shared": {"versions": [{"body": "y", "owner": B, "acl": {"canned": "bucket-owner-full-control"}}]}}}}
    }));
    let o = send(&mut w, user("alice", A), get("theirs"));
    assert_eq!(o.deciding.unwrap().gate, Gate::ObjectContext);
    let o = send(&mut w, user("alice", A), get("shared"));
    assert_eq!(o.status, 200);
    assert_eq!(o.deciding.unwrap().gate, Gate::ObjectAcl);
}

#[test]
fn bucket_acl_gate_grants_write_to_another_account() {
    let mut w = world(json!({
        "accounts": {A: {}, B: {"users": {"carol": {"policies": [{"name": "rw", "document": allow("s3:*", "*")}]}}}},
        "buckets": {"b": {"owner": A, "objectOwnership": "ObjectWriter",
            "acl": {"grants": [{"grantee": {"account": A}, "permission": "FULL_CONTROL"}, {"grantee": {"account": B}, "permission": "WRITE"}]}}}
    }));
    let o = send(
        &mut w,
        user("carol", B),
        json!({"PutObject": {"bucket": "b", "key": "x", "body": "1"}}),
    );
    assert_eq!(o.status, 200);
    assert_eq!(o.deciding.unwrap().gate, Gate::BucketAcl);
}

#[test]
fn object_ownership_gate_disables_acls_and_rejects_acl_requests() {
    let mut w = basic();
    let o = send_with(
        &mut w,
        user("alice", A),
        json!({"PutObject": {"bucket": "b", "key": "x"}}),
        &[("x-amz-acl", "public-read")],
    );
    assert_eq!((o.status, code(&o)), (400, "AccessControlListNotSupported"));
    assert_eq!(o.deciding.unwrap().gate, Gate::ObjectOwnership);
    let o = send(&mut w, user("alice", A), get("k"));
    assert!(
        o.trace
            .iter()
            .any(|s| s.gate == Gate::ObjectOwnership && s.outcome == StepOutcome::NotApplicable)
    );
}

#[test]
fn block_public_access_gate_ignores_public_acls_and_restricts_public_policies() {
    let mut w = world(json!({
        "accounts": {A: {}, B: {"users": {"carol": {"policies": [{"name": "rw", "document": allow("s3:*", "*")}]}}}},
        "buckets": {"b": {"owner": A, "objectOwnership": "ObjectWriter",
            "publicAccessBlock": {"IgnorePublicAcls": true, "RestrictPublicBuckets": true},
            "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}]},
            "objects": {"k": {"versions": [{"body": "v", "acl": {"canned": "public-read"}}]}}}}
    }));
    let o = send(&mut w, Caller::Anonymous, get("k"));
    assert_eq!(o.deciding.unwrap().gate, Gate::BlockPublicAccess);
    let o = send(
        &mut w,
        user("carol", B),
        json!({"ListObjectsV2": {"bucket": "b"}}),
    );
    assert_eq!(o.deciding.unwrap().gate, Gate::BlockPublicAccess);
}

#[test]
fn block_public_policy_rejects_public_policies_at_write_time() {
    let mut w = basic();
    let o = send(
        &mut w,
        root(A),
        json!({"PutBucketPolicy": {"bucket": "b", "policy": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}}),
    );
    assert_eq!((o.status, code(&o)), (403, "AccessDenied"));
    assert_eq!(o.deciding.unwrap().gate, Gate::BlockPublicAccess);
    assert!(w.buckets["b"].policy.is_none());
}

#[test]
fn context_keys_are_derived_from_the_request_never_typed() {
    let mut w = basic();
    w.buckets.get_mut("b").unwrap().policy = Some(json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}));
    let mut r = Request::new(user("alice", A), op(get("k")));
    assert_eq!(w.handle(&r, NOW).status, 200);
    r.network.scheme = Scheme::Http;
    assert_eq!(w.handle(&r, NOW).decision, Some(Decision::ExplicitDeny));
}

#[test]
fn mfa_delete_gate_requires_the_owner_root_and_a_code() {
    let mut w = world(json!({
        "accounts": {A: {"root": {"mfaDevices": [{"serial": "arn:aws:iam::111122223333:mfa/root", "secretBase32": "JBSWY3DPEHPK3PXP"}]},
            "users": {"alice": {"policies": [{"name": "rw", "document": allow("s3:*", "*")}]}}}},
        "buckets": {"b": {"owner": A, "versioning": "Enabled", "mfaDelete": true,
            "objects": {"k": {"versions": [{"versionId": "v1", "body": "v"}]}}}}
    }));
    let del = json!({"DeleteObject": {"bucket": "b", "key": "k", "versionId": "v1"}});
    let o = send(&mut w, user("alice", A), del.clone());
    assert_eq!(
        o.error.unwrap().message,
        "Mfa Authentication must be used for this request"
    );
    let code_now = s3pg_sim::mfa::current_code("JBSWY3DPEHPK3PXP", NOW.epoch_seconds()).unwrap();
    let header = format!("arn:aws:iam::111122223333:mfa/root {code_now}");
    let o = send_with(
        &mut w,
        user("alice", A),
        del.clone(),
        &[("x-amz-mfa", &header)],
    );
    assert_eq!(
        o.error.unwrap().message,
        "This operation may only be performed by the bucket owner"
    );
    let o = send_with(&mut w, root(A), del.clone(), &[("x-amz-mfa", &header)]);
    assert_eq!(o.status, 204);
    assert!(
        o.trace
            .iter()
            .any(|s| s.gate == Gate::MfaDelete && s.outcome == StepOutcome::Pass)
    );
}

#[test]
fn trace_follows_s3_order_and_every_step_cites_aws() {
    let mut w = basic();
    let o = send(&mut w, user("alice", A), get("k"));
    let order: Vec<Gate> = o.trace.iter().map(|s| s.gate).collect();
    let pos = |g: Gate| order.iter().position(|x| *x == g).unwrap();
    assert!(pos(Gate::Authentication) < pos(Gate::RequiredPermissions));
    assert!(pos(Gate::RequiredPermissions) < pos(Gate::ServiceControlPolicy));
    assert!(pos(Gate::ServiceControlPolicy) < pos(Gate::IdentityPolicy));
    assert!(pos(Gate::IdentityPolicy) < pos(Gate::BucketPolicy));
    for s in &o.trace {
        assert!(
            s.doc.starts_with("https://docs.aws.amazon.com/"),
            "{:?} cites {}",
            s.gate,
            s.doc
        );
        assert!(!s.explanation.is_empty());
    }
}

#[test]
fn missing_key_is_403_without_list_bucket_and_404_with_it() {
    let mut w = basic();
    w.accounts
        .get_mut(A)
        .unwrap()
        .users
        .get_mut("bob")
        .unwrap()
        .policies = vec![
        serde_json::from_value(json!({"name": "get", "document": allow("s3:GetObject", "*")}))
            .unwrap(),
    ];
    assert_eq!(
        code(&send(&mut w, user("bob", A), get("missing"))),
        "AccessDenied"
    );
    assert_eq!(
        code(&send(&mut w, user("alice", A), get("missing"))),
        "NoSuchKey"
    );
}

#[test]
fn outcome_round_trips_through_json() {
    let mut w = basic();
    let o = send(&mut w, user("alice", A), get("k"));
    let text = serde_json::to_string(&o).unwrap();
    let back: s3pg_sim::Outcome = serde_json::from_str(&text).unwrap();
    assert_eq!(back, o);
    let wt = serde_json::to_string(&w).unwrap();
    let wb: s3pg_sim::World = serde_json::from_str(&wt).unwrap();
    assert_eq!(wb, w);
}

#[test]
fn a_world_built_without_normalize_behaves_like_a_normalized_one() {
    let raw = json!({
        "accounts": {A: {"users": {"alice": {"policies": [{"name": "rw", "document": allow("s3:*", "*")}]}}}, B: {}},
        "buckets": {"b": {"owner": A, "objectOwnership": "ObjectWriter", "objects": {"k": {"versions": [
            {"body": "v", "owner": B, "acl": {"grants": [{"grantee": {"account": B}, "permission": "FULL_CONTROL"}, {"grantee": {"account": A}, "permission": "READ"}]}}]}}}}
    });
    let mut plain: s3pg_sim::World = serde_json::from_value(raw.clone()).unwrap();
    let mut normal = world(raw);
    let a = send(&mut plain, user("alice", A), get("k"));
    let b = send(&mut normal, user("alice", A), get("k"));
    assert_eq!(a.status, 200);
    assert_eq!(
        (a.status, a.decision, a.deciding),
        (b.status, b.decision, b.deciding)
    );
}
