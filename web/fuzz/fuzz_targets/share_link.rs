//! Fuzz target: the share-link decoder. Any text as the fragment (bare, after `v2=` and after
//! `scenario=`), and any bytes as the compressed payload of a `v2=` link, so the inflater and
//! its checksum see arbitrary streams. A link that decodes must hold text that re-encodes to a
//! link decoding to the same text. Nothing may panic.
#![no_main]

use data_encoding::BASE64URL_NOPAD;
use libfuzzer_sys::fuzz_target;
use s3pg_web::share::{compact_json, decode_fragment, encode_fragment};

fuzz_target!(|data: &[u8]| {
    let stream = format!("v2={}", BASE64URL_NOPAD.encode(data));
    let _ = decode_fragment(&stream);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for fragment in [text.to_owned(), format!("#v2={text}"), format!("scenario={text}")] {
        if let Ok(Some(json)) = decode_fragment(&fragment) {
            let again = decode_fragment(&encode_fragment(&json));
            assert_eq!(again, Ok(Some(compact_json(&json))));
        }
    }
});
