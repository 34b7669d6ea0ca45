//! `World::authorize` is the dry run of `World::handle`: for every request it returns exactly
//! the outcome `handle` then produces — decision, response, trace, effects — and leaves the world
//! byte-for-byte unchanged. Proven over every step of the scenario corpus and over random
//! requests on corpus worlds.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed lookup is a failed test"
)]

mod common;

use proptest::prelude::*;
use s3pg_sim::scenario::{Scenario, find_device};
use s3pg_sim::{Request, Timestamp, World};
use serde_json::json;

fn corpus() -> &'static [(String, Scenario)] {
    static CORPUS: std::sync::OnceLock<Vec<(String, Scenario)>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(load_corpus)
}

fn load_corpus() -> Vec<(String, Scenario)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios");
    let mut out: Vec<(String, Scenario)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let scenario = Scenario::from_json(&text)
                .unwrap_or_else(|e| panic!("{name} does not load: {e:?}"));
            (name, scenario)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn saved(world: &World) -> String {
    serde_json::to_string(world).unwrap()
}

/// Dry-runs `request`, checks the world did not move, then handles it and compares.
fn dry_run_then_handle(world: &mut World, request: &Request, now: Timestamp, what: &str) {
    let before = saved(world);
    let dry = world.authorize(request, now);
    assert_eq!(
        saved(world),
        before,
        "{what}: the dry run changed the world"
    );
    let real = world.handle(request, now);
    assert_eq!(dry, real, "{what}: the dry run diverged from handle");
}

#[test]
fn authorize_predicts_handle_on_every_step_of_the_corpus_and_changes_nothing() {
    let mut steps = 0;
    for (name, scenario) in corpus() {
        let mut world = scenario.world.clone();
        let mut now = scenario.start;
        for (i, step) in scenario.steps.iter().enumerate() {
            if let Some(at) = step.at {
                now = at;
            }
            if let Some(s) = step.after_seconds {
                now = now.plus(s);
            }
            let mut request = step.request.clone();
            if let Some(serial) = &step.mfa_from_device {
                let code = find_device(&world, serial)
                    .and_then(|secret| s3pg_sim::mfa::current_code(&secret, now.epoch_seconds()))
                    .unwrap_or_else(|| "000000".to_owned());
                request
                    .headers
                    .insert("x-amz-mfa".to_owned(), format!("{serial} {code}"));
            }
            dry_run_then_handle(&mut world, &request, now, &format!("{name} step {i}"));
            steps += 1;
        }
    }
    assert!(steps > 500, "the corpus has hundreds of steps, saw {steps}");
}

/// Operations a random request picks from, on the corpus's usual names.
fn operation(kind: usize, key: &str, bucket: &str) -> serde_json::Value {
    match kind % 12 {
        0 => json!({"GetObject": {"bucket": bucket, "key": key}}),
        1 => json!({"PutObject": {"bucket": bucket, "key": key, "body": "x"}}),
        2 => json!({"HeadObject": {"bucket": bucket, "key": key}}),
        3 => json!({"DeleteObject": {"bucket": bucket, "key": key}}),
        4 => json!({"ListObjectsV2": {"bucket": bucket}}),
        5 => json!({"GetBucketPolicy": {"bucket": bucket}}),
        6 => json!({"GetBucketAcl": {"bucket": bucket}}),
        7 => json!({"GetObjectAcl": {"bucket": bucket, "key": key}}),
        8 => json!({"ListObjectVersions": {"bucket": bucket}}),
        9 => json!({"DeleteBucketPolicy": {"bucket": bucket}}),
        10 => json!({"GetBucketVersioning": {"bucket": bucket}}),
        _ => json!({"ListBuckets": {}}),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn authorize_predicts_handle_for_random_requests_on_corpus_worlds(
        pick in 0usize..1000,
        caller in 0usize..1000,
        kind in 0usize..12,
        key in prop::sample::select(vec!["a.txt", "report.csv", "secret/x", "shared.csv", "missing"]),
        https in any::<bool>(),
        sse in any::<bool>(),
        later in 0u64..100_000,
    ) {
        let corpus = corpus();
        let (name, scenario) = &corpus[pick % corpus.len()];
        let mut world = scenario.world.clone();
        let bucket = world.buckets.keys().next().cloned().unwrap_or_else(|| "examplebucket".to_owned());
        let mut callers = vec![s3pg_sim::Caller::Anonymous];
        for (id, account) in &world.accounts {
            callers.push(common::root(id));
            for user in account.users.keys() {
                callers.push(common::user(user, id));
            }
        }
        let mut request = Request::new(
            callers[caller % callers.len()].clone(),
            common::op(operation(kind, key, &bucket)),
        );
        if !https {
            request.network.scheme = s3pg_sim::Scheme::Http;
        }
        if sse {
            request = request.header("x-amz-server-side-encryption", "AES256");
        }
        let now = scenario.start.plus(later);
        dry_run_then_handle(&mut world, &request, now, name);
        // And once more on the world the first request changed.
        dry_run_then_handle(&mut world, &request, now.plus(1), name);
    }
}
