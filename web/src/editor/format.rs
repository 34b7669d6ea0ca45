//! Format: the policy pretty-printed with two-space indents (the layout the page shows a stored
//! policy in), keeping its meaning exactly — members in the order written, duplicates kept (the
//! parser reports them), numbers as written, strings re-escaped only where JSON requires.

use s3pg_policy::Span;
use s3pg_policy::json::{Json, JsonKind, Member, parse};

/// The text formatted, or why it cannot be (a JSON syntax error, with its line:column).
pub fn format(text: &str) -> Result<String, String> {
    let json = parse(text).map_err(|e| {
        let (line, column) = s3pg_policy::json::line_col(text, e.offset);
        format!("cannot format: {} at {line}:{column}", e.message)
    })?;
    Ok(to_text(&json))
}

/// A JSON value as formatted text.
pub fn to_text(json: &Json) -> String {
    let mut out = String::new();
    write(&mut out, json, 0);
    out
}

/// Writes `json` at indent level `level` (two spaces each).
pub fn write(out: &mut String, json: &Json, level: usize) {
    match &json.kind {
        JsonKind::Null => out.push_str("null"),
        JsonKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        JsonKind::Number(n) => out.push_str(n),
        JsonKind::String(s) => quote(out, s),
        JsonKind::Array(items) if items.is_empty() => out.push_str("[]"),
        JsonKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                write(out, item, level + 1);
            }
            newline(out, level);
            out.push(']');
        }
        JsonKind::Object(members) if members.is_empty() => out.push_str("{}"),
        JsonKind::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                quote(out, &m.key);
                out.push_str(": ");
                write(out, &m.value, level + 1);
            }
            newline(out, level);
            out.push('}');
        }
    }
}

fn newline(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn quote(out: &mut String, s: &str) {
    match serde_json::to_string(s) {
        Ok(q) => out.push_str(&q),
        Err(_) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
    }
}

/// A value built in code (its span is empty).
pub fn value(kind: JsonKind) -> Json {
    Json {
        kind,
        span: Span::new(0, 0),
    }
}

/// A string value built in code.
pub fn string(s: impl Into<String>) -> Json {
    value(JsonKind::String(s.into()))
}

/// An object built in code from its members in order.
pub fn object(members: Vec<(String, Json)>) -> Json {
    value(JsonKind::Object(
        members
            .into_iter()
            .map(|(key, value)| Member {
                key,
                key_span: Span::new(0, 0),
                value,
            })
            .collect(),
    ))
}

/// Whether two values mean the same JSON: same kinds, same strings and number texts, members in
/// the same order (spans ignored).
pub fn same(a: &Json, b: &Json) -> bool {
    match (&a.kind, &b.kind) {
        (JsonKind::Array(x), JsonKind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (JsonKind::Object(x), JsonKind::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|(a, b)| a.key == b.key && same(&a.value, &b.value))
        }
        (x, y) => x == y,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn formats_with_two_space_indents_keeping_order_and_numbers() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["s3:*"],"Principal":"*","Resource":[],"Condition":{"NumericLessThan":{"s3:TlsVersion":1.20}},"Sid":"é\u0041\n"}]}"#;
        let formatted = format(text).unwrap();
        assert_eq!(
            formatted,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Deny\",\n      \"Action\": [\n        \"s3:*\"\n      ],\n      \"Principal\": \"*\",\n      \"Resource\": [],\n      \"Condition\": {\n        \"NumericLessThan\": {\n          \"s3:TlsVersion\": 1.20\n        }\n      },\n      \"Sid\": \"éA\\n\"\n    }\n  ]\n}"
        );
        // Formatting is idempotent and keeps the meaning.
        assert_eq!(format(&formatted).unwrap(), formatted);
        assert!(same(&parse(text).unwrap(), &parse(&formatted).unwrap()));
    }

    #[test]
    fn duplicates_are_kept_for_the_parser_to_report() {
        let text = r#"{"Statement": {"Effect": "Allow", "Effect": "Deny"}}"#;
        let formatted = format(text).unwrap();
        assert_eq!(formatted.matches("Effect").count(), 2);
    }

    #[test]
    fn a_syntax_error_says_where_and_changes_nothing() {
        let err = format("{\n  \"a\": [1,, 2]\n}").unwrap_err();
        assert!(err.contains("2:"), "{err}");
    }

    #[test]
    fn the_default_policy_formats_to_itself() {
        let scenario =
            s3pg_sim::scenario::Scenario::from_json(crate::state::DEFAULT_SCENARIO).unwrap();
        let _ = scenario;
        let state = crate::state::AppState::from_scenario_text(crate::state::DEFAULT_SCENARIO);
        assert_eq!(format(&state.policy_text).unwrap(), state.policy_text);
    }
}
