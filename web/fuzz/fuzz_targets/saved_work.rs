//! Fuzz target: the saved-work decoders (the session a reload restores and the named versions)
//! on any text local storage could hold. What decodes must encode and decode to itself. Nothing
//! may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3pg_web::work::{decode_session, decode_versions, encode_session, encode_versions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(saved) = decode_session(text) {
        assert_eq!(decode_session(&encode_session(&saved)), Ok(saved));
    }
    if let Ok(versions) = decode_versions(text) {
        assert_eq!(decode_versions(&encode_versions(&versions)), Ok(versions));
    }
});
