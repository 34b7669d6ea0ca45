//! Criterion benchmarks of the analysis on a course-sized world (5 accounts, 50 principals,
//! 100 objects; see `tests/support/course_world.rs`): who-can over a bucket, an object and a
//! version (28 actions), findings for every bucket, the access diff of one bucket-policy edit,
//! and flip of one refused request. Speed is measured here, never asserted in tests.

#[path = "../tests/support/course_world.rs"]
mod course_world;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use s3pg_analysis::flip::flip;
use s3pg_analysis::resource::Resource;
use s3pg_analysis::who_can::{Options, who_can};
use s3pg_analysis::{diff, findings};
use s3pg_sim::request::Operation;
use s3pg_sim::{Caller, Request, Timestamp};

fn benches(c: &mut Criterion) {
    let world = course_world::course_world();
    let Ok(now) = Timestamp::parse("2026-03-01T12:00:00Z") else {
        return;
    };
    let resources = [
        Resource::Bucket {
            bucket: "course-bucket-0".into(),
        },
        Resource::Object {
            bucket: "course-bucket-0".into(),
            key: "data/file-1.txt".into(),
        },
        Resource::Version {
            bucket: "course-bucket-0".into(),
            key: "data/file-1.txt".into(),
            version_id: "null".into(),
        },
    ];
    c.bench_function("who_can_course_world_28_actions", |b| {
        b.iter(|| {
            for r in &resources {
                black_box(who_can(&world, r, now, &Options::default()));
            }
        });
    });
    c.bench_function("who_can_course_world_28_actions_without_conditions", |b| {
        let options = Options {
            actions: None,
            without_conditions: true,
        };
        b.iter(|| {
            for r in &resources {
                black_box(who_can(&world, r, now, &options));
            }
        });
    });
    c.bench_function("findings_every_bucket", |b| {
        b.iter(|| black_box(findings::findings(&world)));
    });
    let mut after = world.clone();
    if let Some(bucket) = after.buckets.get_mut("course-bucket-1") {
        bucket.public_access_block = None;
        bucket.policy = Some(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::course-bucket-1/*"}]
        }));
    }
    c.bench_function("diff_one_bucket_policy_edit", |b| {
        b.iter(|| black_box(diff::diff(&world, &after, now)));
    });
    let request = Request::new(
        Caller::User {
            name: "user0".into(),
            account: Some("222233334444".into()),
        },
        Operation::PutObject {
            bucket: "course-bucket-0".into(),
            key: "data/file-1.txt".into(),
            body: "x".into(),
        },
    );
    // For scale: one dry run, the unit every analysis is made of.
    c.bench_function("one_dry_run_put_object_refused", |b| {
        b.iter(|| black_box(s3pg_analysis::dry_run(&world, &request, now)));
    });
    c.bench_function("flip_one_refused_request", |b| {
        b.iter(|| black_box(flip(&world, &request, now)));
    });
}

criterion_group! {
    name = analysis;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(analysis);
