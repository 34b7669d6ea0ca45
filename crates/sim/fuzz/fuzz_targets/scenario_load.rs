//! Fuzz target: any text through the scenario loader, and every scenario that loads is run
//! (each step through `World::handle`) and checked. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(scenario) = s3pg_sim::scenario::Scenario::from_json(text)
    {
        let _ = s3pg_sim::scenario::run(&scenario);
    }
});
