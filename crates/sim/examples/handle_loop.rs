//! Runs the `authorize` benchmark's budget requests in a loop, for profilers that count
//! instructions (`valgrind --tool=callgrind`), which a shared, loaded machine does not disturb.
//! Run: `cargo build --profile bench -p s3pg-sim --example handle_loop`, then
//! `valgrind --tool=callgrind target/release/examples/handle_loop get 1000` (also `put`,
//! `authorize-get`, `authorize-put`). Subtract a run with `0` iterations to remove the set-up.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "profiling set-up reads fixed, known-good inputs and refuses an unknown case"
)]

use std::hint::black_box;

use s3pg_sim::Timestamp;
use serde_json::json;

#[path = "../benches/common/budget_world.rs"]
mod budget_world;
use budget_world::{request, world};

fn main() {
    let mut args = std::env::args().skip(1);
    let case = args.next().unwrap_or_else(|| "get".to_owned());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let mut w = world();
    let now = Timestamp(1_767_258_000);
    let get = request(json!({"GetObject": {"bucket": "examplebucket", "key": "report.csv"}}));
    let put =
        request(json!({"PutObject": {"bucket": "examplebucket", "key": "new.csv", "body": "1,2"}}))
            .header("x-amz-server-side-encryption", "AES256");
    // Warm up as the benchmark does: the first request parses the policies.
    assert_eq!(w.handle(&get, now).status, 200);
    assert_eq!(w.handle(&put, now).status, 200);
    for _ in 0..n {
        let status = match case.as_str() {
            "get" => w.handle(black_box(&get), now).status,
            "put" => w.handle(black_box(&put), now).status,
            "authorize-get" => w.authorize(black_box(&get), now).status,
            "authorize-put" => w.authorize(black_box(&put), now).status,
            other => panic!("unknown case `{other}`: get, put, authorize-get or authorize-put"),
        };
        assert_eq!(black_box(status), 200);
    }
}
