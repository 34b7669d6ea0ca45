//! Fuzz target: any text through the `s3pg eval` case reader and evaluator. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = s3pg_policy::case::run(text);
    }
});
