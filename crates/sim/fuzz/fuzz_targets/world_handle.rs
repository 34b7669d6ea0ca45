//! Fuzz target: arbitrary requests on a seeded world. The world is the playground's default
//! scenario (`tests/scenarios/default.json`: accounts, users, a bucket with a policy and
//! objects); the input is one or more requests in the scenario format's JSON, separated by a
//! `0xFF` byte, handled in order one simulated minute apart. Nothing may panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use s3pg_sim::request::Request;
use s3pg_sim::scenario::Scenario;

fn seeded() -> &'static Scenario {
    static WORLD: OnceLock<Scenario> = OnceLock::new();
    WORLD.get_or_init(|| {
        match Scenario::from_json(include_str!("../../../../tests/scenarios/default.json")) {
            Ok(s) => s,
            Err(e) => panic!("the default scenario loads: {}", e.message),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let scenario = seeded();
    let mut world = scenario.world.clone();
    let mut now = scenario.start;
    for piece in data.split(|b| *b == 0xFF).take(16) {
        let Ok(request) = serde_json::from_slice::<Request>(piece) else {
            continue;
        };
        let _ = world.handle(&request, now);
        now = now.plus(60);
    }
});
