//! Share links: a scenario travels in the URL's fragment, which browsers never send to a server,
//! so nothing the learner shares is uploaded anywhere.
//!
//! - `#v2=` + base64url (RFC 4648 §5, no padding) of the scenario's JSON, whitespace between
//!   tokens removed, compressed with zlib (RFC 1950: deflate, RFC 1951, with an Adler-32 checksum,
//!   so a link altered in transit fails to open instead of opening something else). A typical
//!   scenario is well under 2,000 characters.
//! - `#scenario=` + base64url of the JSON: the first links the playground made, still read.
//!
//! Decoding never panics and refuses oversized input before doing any work; its errors are
//! sentences for the learner (the page keeps its work whenever a link does not open).

use std::fmt;

use data_encoding::BASE64URL_NOPAD;

/// The fragment key of a current share link.
pub const FRAGMENT_KEY: &str = "v2=";

/// The fragment key of the first share links (uncompressed), still opened.
pub const FRAGMENT_KEY_V1: &str = "scenario=";

/// Links longer than this are refused before decoding.
pub const MAX_FRAGMENT_BYTES: usize = 512 * 1024;

/// A scenario decompressed from a link may not exceed this (a deflate bomb stops here).
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;

/// Why a link did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Longer than [`MAX_FRAGMENT_BYTES`] (or inflating past [`MAX_SCENARIO_BYTES`]).
    TooLong(usize),
    /// Not base64url, cut short, or its checksum does not match: part of it was lost or changed.
    Damaged,
    /// A later link format (`#v3=` …) than this page reads.
    Newer(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::TooLong(n) => write!(
                f,
                "This link is too long to be a playground link ({n} characters), so it was not opened."
            ),
            LinkError::Damaged => f.write_str(
                "This link is incomplete or was changed after it was made, so its scenario could not be opened. Copy the whole link again, or ask for a new one.",
            ),
            LinkError::Newer(v) => write!(
                f,
                "This link was made by a newer version of the playground (format {v}). Reload the page to get the latest version, then open the link again."
            ),
        }
    }
}

/// The URL fragment (without `#`) that carries a scenario's JSON.
pub fn encode_fragment(scenario_json: &str) -> String {
    let compact = compact_json(scenario_json);
    // Level 9: the best ratio zlib offers; a scenario is a few kilobytes, so it costs nothing.
    let deflated = miniz_oxide::deflate::compress_to_vec_zlib(compact.as_bytes(), 9);
    format!("{FRAGMENT_KEY}{}", BASE64URL_NOPAD.encode(&deflated))
}

/// The scenario JSON in a URL fragment (with or without `#`); `Ok(None)` when the fragment
/// carries no scenario (`#result`, an empty one). Never panics, whatever the fragment holds.
pub fn decode_fragment(fragment: &str) -> Result<Option<String>, LinkError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let (compressed, data) = if let Some(data) = fragment.strip_prefix(FRAGMENT_KEY) {
        (true, data)
    } else if let Some(data) = fragment.strip_prefix(FRAGMENT_KEY_V1) {
        (false, data)
    } else if let Some(version) = newer_version(fragment) {
        return Err(LinkError::Newer(version));
    } else {
        return Ok(None);
    };
    if data.len() > MAX_FRAGMENT_BYTES {
        return Err(LinkError::TooLong(data.len()));
    }
    // Some mail clients and chat apps percent-encode or pad what they pass on.
    let data = data.trim().trim_end_matches('=').trim_end_matches("%3D");
    let bytes = BASE64URL_NOPAD
        .decode(data.as_bytes())
        .map_err(|_| LinkError::Damaged)?;
    let bytes = if compressed {
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes, MAX_SCENARIO_BYTES)
            .map_err(|e| match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                    LinkError::TooLong(MAX_SCENARIO_BYTES)
                }
                _ => LinkError::Damaged,
            })?
    } else {
        bytes
    };
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| LinkError::Damaged)
}

/// `v3` for `v3=…`: a versioned link this page does not know.
fn newer_version(fragment: &str) -> Option<String> {
    let (key, _) = fragment.split_once('=')?;
    let digits = key.strip_prefix('v')?;
    (!digits.is_empty() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| key.to_owned())
}

/// JSON text without the whitespace between tokens; strings are kept byte for byte.
pub fn compact_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !c.is_whitespace() {
            out.push(c);
            in_string = c == '"';
        }
    }
    out
}

// Native unit tests; the browser tests live in tests/browser.rs.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DEFAULT: &str = include_str!("../../tests/scenarios/default.json");

    #[test]
    fn a_fragment_round_trips() {
        let json = r#"{"name": "é ünïcode + / = ?", "world": {}}"#;
        let fragment = encode_fragment(json);
        assert!(fragment.starts_with("v2="));
        assert!(!fragment.contains('+') && !fragment.contains('/'));
        assert_eq!(
            decode_fragment(&format!("#{fragment}")).unwrap().as_deref(),
            Some(r#"{"name":"é ünïcode + / = ?","world":{}}"#)
        );
    }

    #[test]
    fn the_default_scenario_fits_in_a_short_link() {
        let fragment = encode_fragment(DEFAULT);
        assert!(fragment.len() < 2000, "{} characters", fragment.len());
        let json = decode_fragment(&fragment).unwrap().unwrap();
        let a: serde_json::Value = serde_json::from_str(&json).unwrap();
        let b: serde_json::Value = serde_json::from_str(DEFAULT).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn first_version_links_still_open() {
        let v1 = format!("#scenario={}", BASE64URL_NOPAD.encode(DEFAULT.as_bytes()));
        assert_eq!(decode_fragment(&v1).unwrap().as_deref(), Some(DEFAULT));
    }

    #[test]
    fn other_fragments_are_not_scenarios() {
        assert_eq!(decode_fragment("#result").unwrap(), None);
        assert_eq!(decode_fragment("").unwrap(), None);
        assert_eq!(decode_fragment("#").unwrap(), None);
        assert_eq!(decode_fragment("#vx=1").unwrap(), None);
    }

    #[test]
    fn a_truncated_link_is_damaged_not_a_parser_message() {
        let fragment = encode_fragment(DEFAULT);
        for cut in [fragment.len() - 1, fragment.len() / 2, 4] {
            let e = decode_fragment(&fragment[..cut]).unwrap_err();
            assert_eq!(e, LinkError::Damaged, "cut at {cut}");
            assert!(e.to_string().contains("Copy the whole link again"));
        }
    }

    #[test]
    fn an_altered_link_fails_its_checksum() {
        let fragment = encode_fragment(DEFAULT);
        let mut altered = 0;
        for i in [10, 40, 100, fragment.len() / 2, fragment.len() - 3] {
            let mut bytes = fragment.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let s = String::from_utf8(bytes).unwrap();
            if decode_fragment(&s) == Err(LinkError::Damaged) {
                altered += 1;
            }
        }
        assert_eq!(altered, 5);
    }

    #[test]
    fn a_newer_format_says_reload() {
        let e = decode_fragment("#v3=abc").unwrap_err();
        assert_eq!(e, LinkError::Newer("v3".into()));
        assert!(e.to_string().contains("Reload the page"));
    }

    #[test]
    fn a_deflate_bomb_stops_at_the_limit() {
        let zeros = vec![b' '; MAX_SCENARIO_BYTES + 10];
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 9);
        let fragment = format!("v2={}", BASE64URL_NOPAD.encode(&bomb));
        assert!(fragment.len() < 20_000);
        assert_eq!(
            decode_fragment(&fragment),
            Err(LinkError::TooLong(MAX_SCENARIO_BYTES))
        );
        let long = format!("v2={}", "A".repeat(MAX_FRAGMENT_BYTES + 1));
        assert!(matches!(decode_fragment(&long), Err(LinkError::TooLong(_))));
    }

    #[test]
    fn compacting_keeps_strings_byte_for_byte() {
        assert_eq!(
            compact_json("{ \"a b\" : [ 1 , \"x \\\" y\" ] }\n"),
            "{\"a b\":[1,\"x \\\" y\"]}"
        );
    }

    proptest! {
        #[test]
        fn decoding_never_panics(s in ".{0,300}") {
            let _ = decode_fragment(&s);
            let _ = decode_fragment(&format!("scenario={s}"));
            let _ = decode_fragment(&format!("v2={s}"));
        }

        #[test]
        fn any_json_string_round_trips(s in ".{0,300}") {
            let json = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(decode_fragment(&encode_fragment(&json)).unwrap(), Some(json));
        }
    }
}
