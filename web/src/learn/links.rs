//! The learning views' URL parameters, for instructors' links and course pages:
//!
//! - `?lesson=ID`, `?challenge=ID`, `?exam` open a lesson, a challenge or exam practice;
//! - `?embed=lesson:ID`, `?embed=challenge:ID`, `?embed=scenario` render one lesson, challenge or
//!   the scenario alone, without the surrounding chrome, for an `<iframe>`;
//! - `#pack=DATA` carries a course pack, or a single lesson, challenge or question, in the
//!   fragment (never sent to a server), compressed and encoded by the playground's share-link
//!   codec ([`crate::share`]) — the same one scenario links use, under its own key.

/// The fragment key of course material.
pub const PACK_KEY: &str = "pack=";

/// What `?embed=` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Embed {
    /// One lesson.
    Lesson(String),
    /// One challenge.
    Challenge(String),
    /// The scenario (from the share link or the library), alone.
    Scenario,
}

/// What a page address asks the learning views to open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    /// Embed mode, if asked for.
    pub embed: Option<Embed>,
    /// A lesson to open.
    pub lesson: Option<String>,
    /// A challenge to open.
    pub challenge: Option<String>,
    /// Open exam practice.
    pub exam: bool,
}

impl Target {
    /// True when the address asks for a learning view at all.
    pub fn any(&self) -> bool {
        self.embed.is_some() || self.lesson.is_some() || self.challenge.is_some() || self.exam
    }
}

fn decode_component(s: &str) -> String {
    // Ids are lowercase letters, digits and `-`; `%3A` is the only escape a browser adds here.
    s.replace("%3A", ":").replace("%3a", ":")
}

/// Reads the query string (`?embed=lesson:04-deny-encryption`, with or without `?`).
pub fn parse_query(search: &str) -> Target {
    let mut t = Target::default();
    let search = search.strip_prefix('?').unwrap_or(search);
    for pair in search.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode_component(value);
        match key {
            "embed" => {
                t.embed = match value.split_once(':') {
                    Some(("lesson", id)) if !id.is_empty() => Some(Embed::Lesson(id.to_owned())),
                    Some(("challenge", id)) if !id.is_empty() => {
                        Some(Embed::Challenge(id.to_owned()))
                    }
                    _ if value == "scenario" => Some(Embed::Scenario),
                    _ => None,
                };
            }
            "lesson" if !value.is_empty() => t.lesson = Some(value),
            "challenge" if !value.is_empty() => t.challenge = Some(value),
            "exam" => t.exam = true,
            _ => {}
        }
    }
    t
}

/// The fragment (without `#`) that carries course material's JSON.
pub fn encode_pack(json: &str) -> String {
    let scenario_link = crate::share::encode_fragment(json);
    let data = scenario_link
        .strip_prefix(crate::share::FRAGMENT_KEY)
        .unwrap_or(&scenario_link);
    format!("{PACK_KEY}{data}")
}

/// The course material's JSON in a fragment (with or without `#`); `Ok(None)` when the fragment
/// carries none. Never panics; the error is a sentence for the learner.
pub fn decode_pack(fragment: &str) -> Result<Option<String>, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(data) = fragment.strip_prefix(PACK_KEY) else {
        return Ok(None);
    };
    crate::share::decode_fragment(&format!("{}{data}", crate::share::FRAGMENT_KEY))
        .map_err(|e| format!("The course link could not be opened: {e}"))?
        .map_or_else(
            || Err("The course link is empty: copy the whole link again.".to_owned()),
            |json| Ok(Some(json)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_names_what_to_open_or_embed() {
        let cases: [(&str, Target); 6] = [
            ("", Target::default()),
            (
                "?embed=lesson:04-deny-encryption",
                Target {
                    embed: Some(Embed::Lesson("04-deny-encryption".into())),
                    ..Target::default()
                },
            ),
            (
                "embed=challenge%3Aacls-01",
                Target {
                    embed: Some(Embed::Challenge("acls-01".into())),
                    ..Target::default()
                },
            ),
            (
                "?embed=scenario&x=1",
                Target {
                    embed: Some(Embed::Scenario),
                    ..Target::default()
                },
            ),
            (
                "?challenge=acls-01",
                Target {
                    challenge: Some("acls-01".into()),
                    ..Target::default()
                },
            ),
            (
                "?exam&lesson=01-ownership-vpce",
                Target {
                    exam: true,
                    lesson: Some("01-ownership-vpce".into()),
                    ..Target::default()
                },
            ),
        ];
        for (q, want) in cases {
            assert_eq!(parse_query(q), want, "{q}");
        }
        assert_eq!(parse_query("?embed=lesson:").embed, None);
        assert_eq!(parse_query("?embed=nonsense").embed, None);
        assert!(!parse_query("?foo=bar").any());
    }

    #[test]
    fn a_pack_round_trips_through_its_link() {
        let json = r#"{"kind": "pack", "id": "week-1", "title": "Week 1"}"#;
        let fragment = encode_pack(json);
        assert!(fragment.starts_with(PACK_KEY));
        let back = decode_pack(&format!("#{fragment}")).unwrap().unwrap();
        let a: serde_json::Value = serde_json::from_str(json).unwrap();
        let b: serde_json::Value = serde_json::from_str(&back).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn other_fragments_are_not_course_links_and_damaged_ones_say_so() {
        assert_eq!(decode_pack("#result"), Ok(None));
        assert_eq!(decode_pack(""), Ok(None));
        let e = decode_pack("#pack=%%%not-base64").unwrap_err();
        assert!(e.starts_with("The course link could not be opened"), "{e}");
    }
}
