//! The decision table's behaviour, case by case, and the fixed sentences of the trace.

use super::*;
use crate::ast::Policy;
use crate::context::{Principal, RequestContext};
use crate::evaluate::PrincipalMatch;

/// The fixed layer notes read as the layer's name and its status.
#[test]
fn status_notes_name_the_layer() {
    for layer in [
        Layer::Scp,
        Layer::Rcp,
        Layer::VpcEndpoint,
        Layer::Identity,
        Layer::PermissionsBoundary,
        Layer::Session,
        Layer::Resource,
    ] {
        assert_eq!(
            layer.status_note(false),
            [layer.describe(), " — none"].concat()
        );
        assert_eq!(
            layer.status_note(true),
            [layer.describe(), " — evaluated"].concat()
        );
    }
}

fn pol(text: &str) -> Policy {
    Policy::parse(text).unwrap()
}

fn allow_id(action: &str, resource: &str) -> NamedPolicy {
    NamedPolicy::new(
        "id",
        pol(&format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}}}"#
        )),
    )
}

fn bucket(principal: &str, effect: &str, action: &str) -> NamedPolicy {
    NamedPolicy::new(
        "bucket policy",
        pol(&format!(
            r#"{{"Version":"2012-10-17","Statement":{{"Sid":"S","Effect":"{effect}","Principal":{principal},"Action":"{action}","Resource":"arn:aws:s3:::b/*"}}}}"#
        )),
    )
}

fn req(principal: &str, owner: &str) -> RequestContext {
    RequestContext::new(
        Principal::from_arn(principal).unwrap(),
        "s3:GetObject",
        "arn:aws:s3:::b/k",
    )
    .with_resource_account(owner)
}

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/App/s1";

#[test]
fn identity_allow_in_same_account_allows() {
    let set = PolicySet {
        identity_policies: vec![allow_id("s3:GetObject", "arn:aws:s3:::b/*")],
        ..Default::default()
    };
    let e = evaluate(&req(ALICE, "111122223333"), &set);
    assert_eq!(e.decision, Decision::Allow);
    assert_eq!(e.determining[0].layer, Layer::Identity);
    assert!(e.summary.starts_with("Allowed:"), "{}", e.summary);
}

#[test]
fn nothing_allows_is_implicit_deny() {
    let e = evaluate(&req(ALICE, "111122223333"), &PolicySet::default());
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(
        e.denial.unwrap().aws_reason("s3:GetObject"),
        "because no identity-based policy allows the s3:GetObject action"
    );
}

#[test]
fn explicit_deny_in_bucket_policy_overrides_identity_allow() {
    let set = PolicySet {
        identity_policies: vec![allow_id("s3:*", "*")],
        resource_policy: Some(bucket(r#""*""#, "Deny", "s3:GetObject")),
        ..Default::default()
    };
    let e = evaluate(&req(ALICE, "111122223333"), &set);
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(e.determining[0].sid.as_deref(), Some("S"));
    assert_eq!(
        e.denial.unwrap().aws_reason("s3:GetObject"),
        "with an explicit deny in a resource-based policy"
    );
    let identity_deny = Denial {
        explicit: true,
        layer: Layer::Identity,
    };
    assert_eq!(
        identity_deny.aws_reason("s3:GetObject"),
        "with an explicit deny in an identity-based policy"
    );
    assert!(
        e.summary
            .contains("statement `S` of the bucket policy explicitly denies `s3:GetObject`"),
        "{}",
        e.summary
    );
}

#[test]
fn same_account_bucket_grant_to_user_arn_needs_no_identity_policy() {
    let set = PolicySet {
        resource_policy: Some(bucket(
            &format!(r#"{{"AWS":"{ALICE}"}}"#),
            "Allow",
            "s3:GetObject",
        )),
        ..Default::default()
    };
    let e = evaluate(&req(ALICE, "111122223333"), &set);
    assert_eq!(e.decision, Decision::Allow);
    assert_eq!(e.principal_match, Some(PrincipalMatch::User));
}

#[test]
fn account_principal_delegates_and_needs_identity_allow() {
    let set = PolicySet {
        resource_policy: Some(bucket(r#"{"AWS":"111122223333"}"#, "Allow", "s3:GetObject")),
        ..Default::default()
    };
    assert_eq!(
        evaluate(&req(ALICE, "111122223333"), &set).decision,
        Decision::ImplicitDeny
    );
    let root = evaluate(&req("arn:aws:iam::111122223333:root", "111122223333"), &set);
    assert_eq!(root.decision, Decision::Allow);
}

#[test]
fn cross_account_needs_both_sides() {
    let grant = bucket(
        r#"{"AWS":"arn:aws:iam::444455556666:root"}"#,
        "Allow",
        "s3:GetObject",
    );
    let bob = "arn:aws:iam::444455556666:user/bob";
    let only_resource = PolicySet {
        resource_policy: Some(grant.clone()),
        ..Default::default()
    };
    assert_eq!(
        evaluate(&req(bob, "111122223333"), &only_resource).decision,
        Decision::ImplicitDeny
    );
    let only_identity = PolicySet {
        identity_policies: vec![allow_id("s3:GetObject", "*")],
        ..Default::default()
    };
    assert_eq!(
        evaluate(&req(bob, "111122223333"), &only_identity).decision,
        Decision::ImplicitDeny
    );
    let both = PolicySet {
        resource_policy: Some(grant),
        identity_policies: vec![allow_id("s3:GetObject", "*")],
        ..Default::default()
    };
    assert_eq!(
        evaluate(&req(bob, "111122223333"), &both).decision,
        Decision::Allow
    );
}

#[test]
fn boundary_caps_identity_but_not_a_session_arn_grant() {
    let boundary = Some(allow_id("s3:ListBucket", "*"));
    let set = PolicySet {
        identity_policies: vec![allow_id("s3:GetObject", "*")],
        permissions_boundary: boundary.clone(),
        ..Default::default()
    };
    let e = evaluate(&req(SESSION, "111122223333"), &set);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.denial.unwrap().layer, Layer::PermissionsBoundary);
    let by_session = PolicySet {
        permissions_boundary: boundary.clone(),
        resource_policy: Some(bucket(
            &format!(r#"{{"AWS":"{SESSION}"}}"#),
            "Allow",
            "s3:GetObject",
        )),
        ..Default::default()
    };
    assert_eq!(
        evaluate(&req(SESSION, "111122223333"), &by_session).decision,
        Decision::Allow
    );
    let by_role = PolicySet {
        permissions_boundary: boundary,
        resource_policy: Some(bucket(
            r#"{"AWS":"arn:aws:iam::111122223333:role/App"}"#,
            "Allow",
            "s3:GetObject",
        )),
        ..Default::default()
    };
    assert_eq!(
        evaluate(&req(SESSION, "111122223333"), &by_role).decision,
        Decision::ImplicitDeny
    );
}

#[test]
fn anonymous_needs_a_public_grant() {
    let public = PolicySet {
        resource_policy: Some(bucket(r#""*""#, "Allow", "s3:GetObject")),
        ..Default::default()
    };
    assert_eq!(
        evaluate(&req("anonymous", "111122223333"), &public).decision,
        Decision::Allow
    );
    let named = PolicySet {
        resource_policy: Some(bucket(r#"{"AWS":"111122223333"}"#, "Allow", "s3:GetObject")),
        ..Default::default()
    };
    assert_eq!(
        evaluate(&req("anonymous", "111122223333"), &named).decision,
        Decision::ImplicitDeny
    );
}

#[test]
fn every_scp_level_must_allow() {
    let full = allow_id("*", "*");
    let s3_only = allow_id("s3:*", "*");
    let kms = RequestContext::new(
        Principal::from_arn(ALICE).unwrap(),
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:111122223333:key/k",
    );
    let identity = vec![allow_id("*", "*")];
    let one_level = PolicySet {
        identity_policies: identity.clone(),
        scps: vec![full.clone(), s3_only.clone()],
        ..Default::default()
    };
    assert_eq!(evaluate(&kms, &one_level).decision, Decision::Allow);
    let two_levels = PolicySet {
        identity_policies: identity,
        scps: vec![s3_only],
        scp_levels: vec![vec![full]],
        ..Default::default()
    };
    let e = evaluate(&kms, &two_levels);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.denial.unwrap().layer, Layer::Scp);
}

#[test]
fn scp_caps_even_root() {
    let set = PolicySet {
        scps: vec![allow_id("s3:ListBucket", "*")],
        ..Default::default()
    };
    let e = evaluate(&req("arn:aws:iam::111122223333:root", "111122223333"), &set);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.denial.unwrap().layer, Layer::Scp);
}

#[test]
fn resource_policies_named_as_policies_read_naturally() {
    let lock = NamedPolicy::new(
        "Vault Lock policy",
        pol(
            r#"{"Version":"2012-10-17","Statement":{"Sid":"S","Effect":"Deny","Principal":"*","Action":"glacier:DeleteArchive","Resource":"*"}}"#,
        ),
    );
    let set = PolicySet {
        resource_policy: Some(lock),
        ..Default::default()
    };
    let r = RequestContext::new(
        Principal::from_arn(ALICE).unwrap(),
        "glacier:DeleteArchive",
        "arn:aws:glacier:us-west-2:111122223333:vaults/v",
    );
    assert!(
        evaluate(&r, &set)
            .summary
            .starts_with("Denied: statement `S` of the Vault Lock policy explicitly denies")
    );
}

#[test]
fn deny_with_condition_explains_itself() {
    let bp = NamedPolicy::new(
        "bucket policy",
        pol(
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyUnEncryptedObjectUploads","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"Null":{"s3:x-amz-server-side-encryption":"true"}}}]}"#,
        ),
    );
    let set = PolicySet {
        identity_policies: vec![allow_id("s3:*", "*")],
        resource_policy: Some(bp),
        ..Default::default()
    };
    let r = RequestContext::new(
        Principal::from_arn(ALICE).unwrap(),
        "s3:PutObject",
        "arn:aws:s3:::b/a.txt",
    );
    let e = evaluate(&r, &set);
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(
        e.summary,
        "Denied: statement `DenyUnEncryptedObjectUploads` of the bucket policy explicitly denies `s3:PutObject` on `arn:aws:s3:::b/a.txt` because the request has no `x-amz-server-side-encryption` header"
    );
}
