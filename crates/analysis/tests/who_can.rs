//! Who-can answers are the world's own answers: every concrete row equals what `World::handle`
//! does with that principal's request (on a copy of the world), every condition summary is
//! verified the same way and leaves out no change that turns the answer around, over the whole
//! scenario corpus and a course-sized world.
//!
//! S3's authorization workflow: <https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

mod support;

use s3pg_analysis::principals::with_class_callers;
use s3pg_analysis::props::{involved_condition_keys, world_changes};
use s3pg_analysis::resource::Resource;
use s3pg_analysis::who_can::{Basis, Options, Row, Run, who_can};
use s3pg_analysis::{Subject, Verdict, dry_run, verdict};
use s3pg_sim::scenario::Scenario;
use s3pg_sim::trace::{Decision, Gate};
use s3pg_sim::{Request, Timestamp, World};

fn corpus() -> Vec<(String, Scenario)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        if let Ok(s) = Scenario::from_json(&text) {
            out.push((p.file_name().unwrap().to_string_lossy().into_owned(), s));
        }
    }
    out
}

/// The verdict `handle` gives on a copy of the world — independent of the analysis's dry run.
fn live(world: &World, request: &Request, now: Timestamp) -> Verdict {
    let mut copy = world.clone();
    Verdict::of(&copy.handle(request, now))
}

fn resources_of(world: &World) -> Vec<Resource> {
    let mut out = Vec::new();
    for (name, b) in &world.buckets {
        out.push(Resource::Bucket {
            bucket: name.clone(),
        });
        if let Some((key, entry)) = b.objects.iter().next() {
            out.push(Resource::Object {
                bucket: name.clone(),
                key: key.clone(),
            });
            if let Some(v) = entry.versions.first() {
                out.push(Resource::Version {
                    bucket: name.clone(),
                    key: key.clone(),
                    version_id: v.version_id.clone(),
                });
            }
        }
    }
    for arn in world.kms.keys.keys() {
        out.push(Resource::KmsKey { arn: arn.clone() });
    }
    for v in world.glacier.vaults() {
        out.push(Resource::Vault {
            region: v.region.clone(),
            account: v.account.clone(),
            name: v.name.clone(),
        });
    }
    out
}

/// The condition summary skips no change that matters: every candidate change that addresses a
/// condition the dry run involved (the whole search space, before [`RequestChange::can_turn`]
/// leaves out the changes that provably cannot turn the answer) and turns the answer around is
/// reported.
fn every_flipping_change_is_reported(file: &str, world: &World, row: &Row, now: Timestamp) {
    let Some(request) = row.request.as_ref() else {
        return;
    };
    let outcome = dry_run(world, request, now);
    if outcome.decision.is_none() {
        return;
    }
    let keys = involved_condition_keys(&outcome);
    let mfa = outcome.trace.iter().any(|s| s.gate == Gate::MfaDelete);
    for change in world_changes(world, now) {
        if change.is_noop(request) || keys.as_ref().is_some_and(|k| !change.addresses(k, mfa)) {
            continue;
        }
        let mut changed = request.clone();
        change.apply(&mut changed);
        let cv = verdict(world, &changed, now);
        let reported = match (row.verdict.allowed, cv.allowed) {
            (false, true) => row.allowed_with.contains(&change),
            (true, false) if cv.decision.is_some() => row.denied_with.contains(&change),
            _ => continue,
        };
        assert!(
            reported,
            "{file}: {} {} — `{change}` turns the answer around but is not reported",
            row.who, row.action
        );
    }
}

fn check_world(file: &str, world: &World, now: Timestamp, buckets: Option<&[&str]>) -> usize {
    let hypothetical = with_class_callers(world);
    let mut checked = 0;
    for resource in resources_of(world) {
        if let (Some(only), Some(b)) = (buckets, resource.bucket())
            && !only.contains(&b)
        {
            continue;
        }
        let answer = who_can(world, &resource, now, &Options::default());
        for row in &answer.rows {
            if row.basis == Basis::Hypothetical {
                every_flipping_change_is_reported(file, &hypothetical, row, now);
            }
            if row.basis != Basis::DryRun {
                continue;
            }
            every_flipping_change_is_reported(file, world, row, now);
            let request = row.request.as_ref().unwrap();
            let v = live(world, request, now);
            assert_eq!(
                (v.allowed, v.decision, v.status),
                (
                    row.verdict.allowed,
                    row.verdict.decision,
                    row.verdict.status
                ),
                "{file}: {} {} on {resource}",
                row.who,
                row.action
            );
            for change in &row.allowed_with {
                let mut r = request.clone();
                change.apply(&mut r);
                assert!(
                    live(world, &r, now).allowed,
                    "{file}: {} {} on {resource} {change}",
                    row.who,
                    row.action
                );
            }
            for change in &row.denied_with {
                let mut r = request.clone();
                change.apply(&mut r);
                assert!(
                    !live(world, &r, now).allowed,
                    "{file}: {} {} on {resource} {change}",
                    row.who,
                    row.action
                );
            }
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_concrete_who_can_row_equals_the_worlds_own_answer_across_the_corpus() {
    let mut checked = 0;
    for (file, scenario) in corpus() {
        checked += check_world(&file, &scenario.world, scenario.start, None);
    }
    assert!(checked > 1000, "only {checked} rows checked");
}

#[test]
fn every_concrete_who_can_row_equals_the_worlds_own_answer_in_a_course_sized_world() {
    let world = support::course_world::course_world();
    let now = Timestamp::parse("2026-03-01T12:00:00Z").unwrap();
    // Two of the five buckets (a policy with a source-IP condition, and ACLs enabled with a
    // public object): the other three are the same shape.
    let only = ["course-bucket-1", "course-bucket-4"];
    assert!(check_world("course world", &world, now, Some(&only)) > 300);
}

#[test]
fn the_default_scenario_says_uploads_need_the_encryption_header() {
    // UsingServerSideEncryption.html: the DenyUnEncryptedObjectUploads bucket policy.
    let scenario = Scenario::from_json(s3pg_sim::scenario::DEFAULT_SCENARIO).unwrap();
    let resource = Resource::parse(&scenario.world, "s3://examplebucket/report.csv").unwrap();
    let answer = who_can(
        &scenario.world,
        &resource,
        scenario.start,
        &Options {
            actions: Some(vec!["s3:PutObject".to_owned()]),
            without_conditions: false,
        },
    );
    let alice = answer
        .rows
        .iter()
        .find(|r| matches!(&r.subject, Subject::User { name, .. } if name == "alice"))
        .unwrap();
    assert!(!alice.verdict.allowed);
    assert_eq!(alice.verdict.decision, Some(Decision::ExplicitDeny));
    assert_eq!(
        alice.summary(),
        "only with `x-amz-server-side-encryption: AES256`"
    );
    let anonymous = answer
        .rows
        .iter()
        .find(|r| r.subject == Subject::Anonymous)
        .unwrap();
    assert_eq!(anonymous.summary(), "no");
}

#[test]
fn https_only_policy_shows_the_grant_depends_on_tls() {
    // example-bucket-policies.html: "Managing access based on HTTP or HTTPS requests".
    let world: World = serde_json::from_value(serde_json::json!({
        "accounts": {"111122223333": {"users": {"bob": {"policies": [{"name": "read", "document":
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}}}},
        "buckets": {"tls-only": {"owner": "111122223333",
            "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "RestrictToTLSRequestsOnly", "Effect": "Deny",
                "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::tls-only", "arn:aws:s3:::tls-only/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]},
            "objects": {"a.txt": {"versions": [{"body": "a"}]}}}}
    }))
    .unwrap();
    let now = Timestamp::parse("2026-03-01T12:00:00Z").unwrap();
    let resource = Resource::parse(&world, "s3://tls-only/a.txt").unwrap();
    let answer = who_can(
        &world,
        &resource,
        now,
        &Options {
            actions: Some(vec!["s3:GetObject".to_owned()]),
            without_conditions: false,
        },
    );
    let bob = answer
        .rows
        .iter()
        .find(|r| matches!(&r.subject, Subject::User { name, .. } if name == "bob"))
        .unwrap();
    assert!(bob.verdict.allowed);
    assert_eq!(bob.summary(), "yes, but not over plain HTTP");
}

#[test]
fn resources_are_read_as_learners_write_them() {
    let scenario = Scenario::from_json(s3pg_sim::scenario::DEFAULT_SCENARIO).unwrap();
    let w = &scenario.world;
    assert_eq!(
        Resource::parse(w, "s3://examplebucket").unwrap(),
        Resource::Bucket {
            bucket: "examplebucket".into()
        }
    );
    assert_eq!(
        Resource::parse(w, "arn:aws:s3:::examplebucket/a/b.txt").unwrap(),
        Resource::Object {
            bucket: "examplebucket".into(),
            key: "a/b.txt".into()
        }
    );
    let err = Resource::parse(w, "s3://nobucket/x").unwrap_err();
    assert_eq!(err.message, "no bucket `nobucket` in this world");
    assert_eq!(err.help, "the buckets are `examplebucket`");
    assert!(Resource::parse(w, "glacier:nothing").is_err());
}

#[test]
fn a_run_asked_a_few_principals_at_a_time_ends_with_the_whole_answer() {
    let world = support::course_world::course_world();
    let now = Timestamp::parse("2026-03-01T12:00:00Z").unwrap();
    let resource = Resource::Bucket {
        bucket: "course-bucket-0".into(),
    };
    let whole = who_can(&world, &resource, now, &Options::default());
    let mut run = Run::new(&world, &resource, now, &Options::default());
    let (_, total) = run.progress();
    assert_eq!(run.answer().rows.len(), 0);
    run.step(&world, 15);
    assert_eq!(run.progress(), (15, total));
    assert!(!run.done());
    // The first principals' rows come first, as the whole answer lists them.
    let first = run.answer().rows.len();
    assert!(first > 0);
    assert_eq!(run.answer().rows[..], whole.rows[..first]);
    while !run.done() {
        run.step(&world, 7);
    }
    assert_eq!(run.progress(), (total, total));
    assert_eq!(run.answer(), &whole);
}
