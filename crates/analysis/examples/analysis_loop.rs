//! Runs one analysis of the benchmark's course-sized world in a loop, for profilers that count
//! instructions (`valgrind --tool=callgrind`), which a shared, loaded machine does not disturb.
//! Run: `cargo build --profile bench -p s3pg-analysis --example analysis_loop`, then
//! `valgrind --tool=callgrind target/release/examples/analysis_loop who-can 3` (also
//! `who-can-object`, `diff`, `diff-policy-edit`, `flip`, `findings`). Subtract a run with `0` iterations to remove
//! the set-up.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "profiling set-up reads fixed, known-good inputs and refuses an unknown case"
)]

#[path = "../tests/support/course_world.rs"]
mod course_world;

use std::hint::black_box;

use s3pg_analysis::flip::flip;
use s3pg_analysis::resource::Resource;
use s3pg_analysis::who_can::{Options, who_can};
use s3pg_analysis::{diff, findings};
use s3pg_sim::request::Operation;
use s3pg_sim::{Caller, Request, Timestamp};

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "who-can".to_owned());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let world = course_world::course_world();
    let now = Timestamp::parse("2026-03-01T12:00:00Z").unwrap();
    let bucket = Resource::Bucket {
        bucket: "course-bucket-0".into(),
    };
    let object = Resource::Object {
        bucket: "course-bucket-0".into(),
        key: "data/file-1.txt".into(),
    };
    let mut after = world.clone();
    if let Some(b) = after.buckets.get_mut("course-bucket-1") {
        b.public_access_block = None;
        b.policy = Some(serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::course-bucket-1/*"}]
        }));
    }
    // The browser bench's edit: course-bucket-0's `Guard` statement removed (a policy-only edit).
    let mut guard_removed = world.clone();
    if let Some(b) = guard_removed.buckets.get_mut("course-bucket-0")
        && let Some(serde_json::Value::Array(statements)) =
            b.policy.as_mut().and_then(|p| p.get_mut("Statement"))
    {
        statements.retain(|s| s.get("Sid") != Some(&serde_json::json!("Guard")));
    }
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
    // Warm up: the first dry run parses the policies.
    black_box(s3pg_analysis::dry_run(&world, &request, now));
    black_box(s3pg_analysis::dry_run(&after, &request, now));
    for _ in 0..n {
        match case.as_str() {
            "who-can" => {
                black_box(who_can(&world, &bucket, now, &Options::default()));
            }
            "who-can-object" => {
                black_box(who_can(&world, &object, now, &Options::default()));
            }
            "diff" => {
                black_box(diff::diff(&world, &after, now));
            }
            "diff-policy-edit" => {
                black_box(diff::diff(&world, &guard_removed, now));
            }
            "flip" => {
                black_box(flip(&world, &request, now));
            }
            "findings" => {
                black_box(findings::findings(&world));
            }
            other => panic!("unknown case `{other}`"),
        }
    }
}
