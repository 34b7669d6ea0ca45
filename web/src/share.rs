//! Saving and sharing the learner's work: a scenario travels as JSON in a file, in a link
//! (`#scenario=` + base64url of the JSON, so nothing leaves the browser), and in the browser's
//! local storage so a reload never loses an edited policy.

use data_encoding::BASE64URL_NOPAD as URL_SAFE_NO_PAD;

/// The fragment key of a shared scenario.
pub const FRAGMENT_KEY: &str = "scenario=";

/// Links longer than this are refused when decoding (a scenario is a few kilobytes).
pub const MAX_FRAGMENT_BYTES: usize = 512 * 1024;

/// The URL fragment (without `#`) that carries a scenario's JSON.
pub fn encode_fragment(scenario_json: &str) -> String {
    format!(
        "{FRAGMENT_KEY}{}",
        URL_SAFE_NO_PAD.encode(scenario_json.as_bytes())
    )
}

/// The scenario JSON in a URL fragment (with or without `#`); `Ok(None)` when the fragment
/// carries no scenario. Never panics, whatever the fragment holds.
pub fn decode_fragment(fragment: &str) -> Result<Option<String>, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(data) = fragment.strip_prefix(FRAGMENT_KEY) else {
        return Ok(None);
    };
    if data.len() > MAX_FRAGMENT_BYTES {
        return Err(format!(
            "the shared link is {} bytes, more than the {MAX_FRAGMENT_BYTES} a scenario link may carry",
            data.len()
        ));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('=').as_bytes())
        .map_err(|e| format!("the shared link is damaged ({e}): copy the whole link again"))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| "the shared link does not hold text: copy the whole link again".to_owned())
}

/// What is kept in local storage between visits.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Saved {
    /// The library file open (`None`: an imported or shared scenario, kept in `scenario`).
    pub file: Option<String>,
    /// The scenario JSON when it did not come from the library.
    pub scenario: Option<String>,
    /// The bucket policy text as the learner left it (even if it does not parse).
    pub policy_text: String,
}

// Native unit tests; the browser tests live in tests/browser.rs.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_fragment_round_trips() {
        let json = r#"{"name": "é ünïcode + / = ?", "world": {}}"#;
        let fragment = encode_fragment(json);
        assert!(!fragment.contains('+') && !fragment.contains('/'));
        assert_eq!(
            decode_fragment(&format!("#{fragment}")).unwrap().as_deref(),
            Some(json)
        );
    }

    #[test]
    fn other_fragments_are_not_scenarios() {
        assert_eq!(decode_fragment("#result").unwrap(), None);
        assert_eq!(decode_fragment("").unwrap(), None);
    }

    #[test]
    fn a_damaged_link_says_what_to_do() {
        let e = decode_fragment("#scenario=%%%").unwrap_err();
        assert!(e.starts_with("the shared link is damaged"), "{e}");
        assert!(e.contains("copy the whole link again"));
    }

    proptest! {
        #[test]
        fn decoding_never_panics(s in ".{0,300}") {
            let _ = decode_fragment(&s);
            let _ = decode_fragment(&format!("scenario={s}"));
        }

        #[test]
        fn any_text_round_trips(s in ".{0,300}") {
            prop_assert_eq!(decode_fragment(&encode_fragment(&s)).unwrap(), Some(s));
        }
    }
}
