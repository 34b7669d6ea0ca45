//! Known answers for the S3 console's bucket access labels and IAM Access Analyzer-style findings.
//!
//! The labels and what makes a bucket public: "Blocking public access to your Amazon S3 storage"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>,
//! "The meaning of public") and the console's bucket permissions check
//! (<https://docs.aws.amazon.com/AmazonS3/latest/user-guide/bucket-permissions-check.html>). The
//! findings: IAM Access Analyzer for S3 (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-analyzer.html>)
//! and Access Analyzer's zone of trust (<https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html>):
//! sharing with another member account of the organization is no finding for an organization
//! analyzer, sharing outside it is.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

use s3pg_analysis::findings::{External, Source, Verdict, bucket_findings, findings};
use s3pg_sim::World;
use serde_json::{Value, json};

const OWNER: &str = "111122223333";
const OTHER: &str = "444455556666";

/// A world with one bucket `b` owned by `OWNER`; `bucket` is merged into the bucket's JSON.
fn world(bucket: Value, org_of_other: Option<&str>) -> World {
    let mut b = json!({"owner": OWNER});
    if let (Some(obj), Value::Object(extra)) = (b.as_object_mut(), bucket) {
        obj.extend(extra);
    }
    let mut other = json!({});
    if let Some(org) = org_of_other {
        other["organizationId"] = json!(org);
    }
    let mut w: World = serde_json::from_value(json!({
        "accounts": {OWNER: {"organizationId": "o-owner"}, OTHER: other},
        "buckets": {"b": b}
    }))
    .unwrap();
    w.normalize();
    w
}

fn verdict(w: &World) -> Verdict {
    bucket_findings(w, "b", w.buckets.get("b").unwrap()).verdict
}

fn policy(statement: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": [statement]})
}

fn public_read_policy() -> Value {
    policy(
        json!({"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}),
    )
}

const BPA_OFF: Value = Value::Null;

#[test]
fn a_new_bucket_with_every_block_public_access_flag_on_is_not_public() {
    // Buckets created since April 2023 have all four flags on.
    let w = world(json!({}), None);
    assert_eq!(verdict(&w), Verdict::BucketAndObjectsNotPublic);
    assert_eq!(verdict(&w).to_string(), "Bucket and objects not public");
}

#[test]
fn without_block_public_access_objects_can_be_public() {
    let w = world(json!({"publicAccessBlock": BPA_OFF}), None);
    assert_eq!(verdict(&w), Verdict::ObjectsCanBePublic);
}

#[test]
fn a_public_bucket_policy_makes_the_bucket_public() {
    let w = world(
        json!({"publicAccessBlock": BPA_OFF, "policy": public_read_policy()}),
        None,
    );
    assert_eq!(verdict(&w), Verdict::Public);
    let f = bucket_findings(&w, "b", w.buckets.get("b").unwrap());
    let only = f.findings.first().unwrap();
    assert_eq!(only.external, External::Public);
    assert_eq!(
        only.source,
        Source::BucketPolicy {
            statement: "PublicRead".into(),
            index: 0
        }
    );
    assert!(only.outside_organization);
    assert_eq!(only.neutralised_by, None);
}

#[test]
fn restrict_public_buckets_limits_a_public_policy_to_the_owners_account() {
    // "RestrictPublicBuckets … restricts access to … only AWS service principals and authorized
    // users within the bucket owner's account": the console shows
    // "Only authorized users of this account".
    let w = world(
        json!({"publicAccessBlock": {"RestrictPublicBuckets": true}, "policy": public_read_policy()}),
        None,
    );
    assert_eq!(verdict(&w), Verdict::OnlyAuthorizedUsersOfThisAccount);
    let f = bucket_findings(&w, "b", w.buckets.get("b").unwrap());
    assert_eq!(
        f.findings.first().unwrap().neutralised_by.as_deref(),
        Some("RestrictPublicBuckets")
    );
}

#[test]
fn a_public_read_bucket_acl_is_public_until_ignore_public_acls() {
    let acl = json!({"canned": "public-read"});
    let w = world(
        json!({"publicAccessBlock": BPA_OFF, "objectOwnership": "BucketOwnerPreferred", "acl": acl}),
        None,
    );
    assert_eq!(verdict(&w), Verdict::Public);
    let f = bucket_findings(&w, "b", w.buckets.get("b").unwrap());
    assert!(matches!(
        f.findings.first().unwrap().source,
        Source::BucketAcl { .. }
    ));
    let w = world(
        json!({"publicAccessBlock": {"IgnorePublicAcls": true, "BlockPublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true},
               "objectOwnership": "BucketOwnerPreferred", "acl": {"canned": "public-read"}}),
        None,
    );
    assert_eq!(verdict(&w), Verdict::BucketAndObjectsNotPublic);
    let f = bucket_findings(&w, "b", w.buckets.get("b").unwrap());
    assert_eq!(
        f.findings.first().unwrap().neutralised_by.as_deref(),
        Some("IgnorePublicAcls")
    );
}

#[test]
fn authenticated_users_grants_are_any_aws_account() {
    let w = world(
        json!({"publicAccessBlock": BPA_OFF, "objectOwnership": "ObjectWriter", "acl": {"canned": "authenticated-read"}}),
        None,
    );
    let f = bucket_findings(&w, "b", w.buckets.get("b").unwrap());
    assert_eq!(f.verdict, Verdict::Public);
    assert_eq!(
        f.findings.first().unwrap().external,
        External::AnyAwsAccount
    );
}

#[test]
fn acls_disabled_by_object_ownership_give_no_acl_findings() {
    // about-object-ownership.html: with BucketOwnerEnforced, ACLs no longer affect permissions.
    let w = world(
        json!({"publicAccessBlock": BPA_OFF, "acl": {"canned": "public-read"}}),
        None,
    );
    let f = bucket_findings(&w, "b", w.buckets.get("b").unwrap());
    assert!(f.findings.is_empty());
    assert_eq!(f.verdict, Verdict::ObjectsCanBePublic);
}

#[test]
fn a_cross_account_grant_is_a_finding_outside_the_organization() {
    let p = policy(json!({"Sid": "Partner", "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{OTHER}:root")}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}));
    let w = world(json!({"policy": p.clone()}), None);
    let f = bucket_findings(&w, "b", w.buckets.get("b").unwrap());
    let only = f.findings.first().unwrap();
    assert_eq!(
        only.external,
        External::Account {
            account: OTHER.into()
        }
    );
    assert!(only.outside_organization);
    assert_eq!(
        only.neutralised_by, None,
        "Block Public Access does not stop cross-account grants"
    );
    assert_eq!(f.verdict, Verdict::BucketAndObjectsNotPublic);
    // The same grant to a member account of the owner's organization stays inside it.
    let w = world(json!({"policy": p}), Some("o-owner"));
    let f = bucket_findings(&w, "b", w.buckets.get("b").unwrap());
    assert!(!f.findings.first().unwrap().outside_organization);
}

#[test]
fn an_organization_condition_keeps_a_star_principal_inside_the_organization() {
    let p = policy(
        json!({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-owner"}}}),
    );
    let w = world(json!({"publicAccessBlock": BPA_OFF, "policy": p}), None);
    let f = bucket_findings(&w, "b", w.buckets.get("b").unwrap());
    assert_eq!(
        f.verdict,
        Verdict::ObjectsCanBePublic,
        "not public: the condition pins it"
    );
    let only = f.findings.first().unwrap();
    assert!(matches!(only.external, External::Conditional { .. }));
    assert!(!only.outside_organization);
}

#[test]
fn grants_to_the_owners_own_account_and_to_services_are_no_findings() {
    let p = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{OWNER}:user/alice")}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
         "Condition": {"StringEquals": {"aws:PrincipalAccount": OWNER}}}
    ]});
    let w = world(json!({"policy": p}), None);
    assert!(findings(&w).first().unwrap().findings.is_empty());
}

#[test]
fn the_scenario_corpus_labels_agree_with_get_bucket_policy_status() {
    // GetBucketPolicyStatus answers IsPublic for the policy alone; a bucket labelled "Public"
    // or "Only authorized users of this account" through its policy must have IsPublic true.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let Ok(s) =
            s3pg_sim::scenario::Scenario::from_json(&std::fs::read_to_string(&path).unwrap())
        else {
            continue;
        };
        for f in findings(&s.world) {
            let public_policy = f.findings.iter().any(|x| {
                matches!(x.source, Source::BucketPolicy { .. }) && x.external == External::Public
            });
            let Some(owner) = s.world.buckets.get(&f.bucket).map(|b| b.owner.clone()) else {
                continue;
            };
            let request = s3pg_sim::Request::new(
                s3pg_sim::Caller::Root { account: owner },
                s3pg_sim::request::Operation::GetBucketPolicyStatus {
                    bucket: f.bucket.clone(),
                },
            );
            let out = s.world.authorize(&request, s.start);
            if let Some(is_public) = out
                .body
                .as_ref()
                .and_then(|b| b.pointer("/PolicyStatus/IsPublic"))
                .and_then(Value::as_bool)
            {
                assert_eq!(is_public, public_policy, "{}: {}", path.display(), f.bucket);
                seen += 1;
            }
        }
    }
    assert!(seen > 50, "{seen}");
}
