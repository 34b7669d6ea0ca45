//! The access diff and "what would flip this?", checked against the world itself.
//!
//! - The diff of a world with itself is empty, for every world of the corpus.
//! - Making a bucket's objects public (S3 User Guide, "Granting read-only permission to a public
//!   anonymous user", <https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html>)
//!   shows up as anonymous read gained on `bucket/*`, and turning Block Public Access back on
//!   (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>)
//!   as the same access lost.
//! - Every change `flip` proposes really flips the decision when applied — replayed with
//!   `World::handle` on a copy, not through the analysis — and no candidate of the search space
//!   smaller than the smallest proposal flips it.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

mod support;

use s3pg_analysis::diff::{Change, diff};
use s3pg_analysis::flip::{candidates, flip, flips, try_edit};
use s3pg_analysis::{Subject, Verdict};
use s3pg_sim::scenario::{Scenario, run_step};
use s3pg_sim::{Timestamp, World};
use serde_json::json;

fn corpus() -> Vec<(String, Scenario)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| {
            let s = Scenario::from_json(&std::fs::read_to_string(&p).unwrap()).ok()?;
            Some((p.file_name().unwrap().to_string_lossy().into_owned(), s))
        })
        .collect()
}

#[test]
fn the_diff_of_a_world_with_itself_is_empty() {
    for (file, s) in corpus() {
        assert!(diff(&s.world, &s.world, s.start).is_empty(), "{file}");
    }
    let w = support::course_world::course_world();
    assert!(diff(&w, &w.clone(), Timestamp::default()).is_empty());
}

fn two_object_world() -> World {
    let mut w: World = serde_json::from_value(json!({
        "accounts": {"111122223333": {}},
        "buckets": {"examplebucket": {"owner": "111122223333", "publicAccessBlock": null,
            "objects": {"a.txt": {"versions": [{"body": "a"}]}, "b.txt": {"versions": [{"body": "b"}]}}}}
    }))
    .unwrap();
    w.normalize();
    w
}

#[test]
fn a_public_read_policy_lets_anonymous_callers_read_every_object() {
    let before = two_object_world();
    let mut after = before.clone();
    let now = Timestamp::parse("2026-03-01T12:00:00Z").unwrap();
    let put = s3pg_sim::Request::new(
        s3pg_sim::Caller::Root {
            account: "111122223333".into(),
        },
        s3pg_sim::request::Operation::PutBucketPolicy {
            bucket: "examplebucket".into(),
            policy: json!({"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow",
                "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::examplebucket/*"}]}),
        },
    );
    assert_eq!(after.handle(&put, now).status, 204);
    let rows = diff(&before, &after, now);
    let anonymous = rows
        .iter()
        .find(|r| r.subject == Subject::Anonymous && r.action == "s3:GetObject")
        .unwrap();
    assert_eq!(anonymous.change, Change::Gained);
    assert_eq!(anonymous.resource, "examplebucket/*");
    assert!(
        anonymous
            .explanation
            .starts_with("this change lets anonymous callers `s3:GetObject` `examplebucket/*`"),
        "{}",
        anonymous.explanation
    );
    assert!(
        anonymous.after.contains("PublicRead"),
        "{}",
        anonymous.after
    );
    assert!(rows.iter().all(|r| r.change == Change::Gained));
    assert!(rows.iter().all(|r| r.action == "s3:GetObject"), "{rows:#?}");
    // Block Public Access back on: the same access is lost.
    let mut blocked = after.clone();
    let bpa = s3pg_sim::Request::new(
        s3pg_sim::Caller::Root {
            account: "111122223333".into(),
        },
        s3pg_sim::request::Operation::PutPublicAccessBlock {
            bucket: "examplebucket".into(),
            configuration: s3pg_sim::PublicAccessBlock::ALL,
        },
    );
    assert!(blocked.handle(&bpa, now).status < 300);
    let lost = diff(&after, &blocked, now);
    assert!(lost.iter().any(|r| r.subject == Subject::Anonymous
        && r.change == Change::Lost
        && r.resource == "examplebucket/*"));
}

#[test]
fn a_public_read_policy_on_an_empty_bucket_opens_every_future_object() {
    // The playground's default bucket holds no object yet: the read a public-read statement
    // opens is still the learner's edit, reported on `bucket/*`.
    let mut before = two_object_world();
    if let Some(b) = before.buckets.get_mut("examplebucket") {
        b.objects.clear();
    }
    let mut after = before.clone();
    let now = Timestamp::parse("2026-03-01T12:00:00Z").unwrap();
    let put = s3pg_sim::Request::new(
        s3pg_sim::Caller::Root {
            account: "111122223333".into(),
        },
        s3pg_sim::request::Operation::PutBucketPolicy {
            bucket: "examplebucket".into(),
            policy: json!({"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow",
                "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::examplebucket/*"}]}),
        },
    );
    assert_eq!(after.handle(&put, now).status, 204);
    let rows = diff(&before, &after, now);
    assert!(
        rows.iter().any(|r| r.subject == Subject::Anonymous
            && r.action == "s3:GetObject"
            && r.change == Change::Gained
            && r.resource == "examplebucket/*"),
        "{rows:#?}"
    );
    assert!(rows.iter().all(|r| r.action == "s3:GetObject"), "{rows:#?}");
}

/// Checks one flip: every proposal flips when replayed with `handle`, and nothing smaller does.
fn check_flip(file: &str, world: &World, request: &s3pg_sim::Request, now: Timestamp) -> usize {
    let answer = flip(world, request, now);
    for p in &answer.proposals {
        let (w, r) = p.edit.apply(world, request, now).unwrap();
        let mut live = w.clone();
        let after = Verdict::of(&live.handle(&r, now));
        assert!(
            flips(&answer.before, &after),
            "{file}: `{}` does not flip {}",
            p.explanation,
            request.operation.name()
        );
    }
    let smallest = answer.proposals.first().map_or(u32::MAX, |p| p.size);
    let all = candidates(world, request, now, answer.before.allowed);
    assert_eq!(all.len(), answer.searched);
    for edit in all.iter().filter(|e| e.size() < smallest) {
        if let Some(after) = try_edit(world, request, now, edit) {
            assert!(
                !flips(&answer.before, &after),
                "{file}: `{}` flips but was not proposed",
                edit.describe()
            );
        }
    }
    answer.proposals.len()
}

#[test]
fn every_proposed_flip_flips_and_nothing_smaller_does_across_the_corpus() {
    let mut proposals = 0;
    let mut requests = 0;
    for (file, s) in corpus() {
        let mut world = s.world.clone();
        let mut now = s.start;
        for (i, step) in s.steps.iter().enumerate() {
            // The request as the runner sends it, in the world just before it.
            let mut probe_now = now;
            if let Some(at) = step.at {
                probe_now = at;
            }
            if let Some(sec) = step.after_seconds {
                probe_now = probe_now.plus(sec);
            }
            if step.mfa_from_device.is_none() && i < 4 {
                proposals += check_flip(&file, &world, &step.request, probe_now);
                requests += 1;
            }
            run_step(&mut world, &mut now, i, step);
        }
    }
    assert!(requests > 300, "{requests}");
    assert!(
        proposals > requests / 2,
        "{proposals} proposals for {requests} requests"
    );
}

#[test]
fn flip_teaches_the_default_scenario() {
    let s = Scenario::from_json(s3pg_sim::scenario::DEFAULT_SCENARIO).unwrap();
    let step = s.steps.first().unwrap();
    let answer = flip(&s.world, &step.request, s.start);
    assert!(!answer.before.allowed);
    let first = answer.proposals.first().unwrap();
    assert_eq!(first.size, 1);
    assert_eq!(
        first.edit.describe(),
        "send the request with `x-amz-server-side-encryption: AES256`"
    );
    assert!(
        answer
            .proposals
            .iter()
            .any(|p| p.edit.describe()
                == "remove statement `DenyUnEncryptedObjectUploads` from the bucket policy of `examplebucket`")
    );
}

#[test]
fn flip_finds_the_public_grant_for_an_anonymous_read_and_respects_block_public_access() {
    // With every Block Public Access flag on, a public grant cannot be added (BlockPublicPolicy
    // refuses the policy, BlockPublicAcls the ACL), so what flips the request is a flag.
    let mut w = two_object_world();
    if let Some(b) = w.buckets.get_mut("examplebucket") {
        b.public_access_block = Some(s3pg_sim::PublicAccessBlock::ALL);
    }
    let now = Timestamp::parse("2026-03-01T12:00:00Z").unwrap();
    let request = s3pg_sim::Request::new(
        s3pg_sim::Caller::Anonymous,
        s3pg_sim::request::Operation::GetObject {
            bucket: "examplebucket".into(),
            key: "a.txt".into(),
            version_id: None,
        },
    );
    let answer = flip(&w, &request, now);
    assert!(
        answer.proposals.is_empty(),
        "one change cannot make it public: {:#?}",
        answer.proposals
    );
    // Without Block Public Access, a public statement in the bucket policy does it.
    let w = two_object_world();
    let answer = flip(&w, &request, now);
    assert!(
        answer.proposals.iter().any(|p| p.edit.describe()
            == "add to the bucket policy of `examplebucket` a statement that allows `*` `s3:GetObject` on `arn:aws:s3:::examplebucket/a.txt`"),
        "{:#?}",
        answer.proposals
    );
}
