//! Loading course documents: JSON text to typed values with errors a learner or an instructor can
//! act on — the JSON path, line:column and a `help` line — exactly as scenario files are reported
//! ([`s3pg_sim::scenario::LoadError`]).
//!
//! Worlds inside course documents are scenario worlds (`tests/README.md`); they are checked by the
//! scenario loader itself (policies parse, owners exist, MFA secrets decode), and its errors are
//! moved to where the world sits in the course file.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use s3pg_sim::scenario::{LoadError, Scenario, json_path_at};
use s3pg_sim::{Timestamp, World};

/// The first simulated time of a course world when a document gives none (2026-01-01T00:00:00Z).
pub const DEFAULT_START: Timestamp = Timestamp(1_767_225_600);

/// Deserializes a whole document, turning serde's error into a positioned [`LoadError`].
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, LoadError> {
    serde_json::from_str(text).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let raw = e.to_string();
        let message = raw.split(" at line ").next().unwrap_or(&raw).to_owned();
        let path = json_path_at(text, offset_of(text, line, column));
        LoadError {
            path,
            line,
            column,
            help: help_for(&message),
            message: lowercase_first(&message),
        }
    })
}

/// An error at a JSON path of `text`, positioned by [`locate`].
pub(crate) fn error_at(text: &str, path: &str, message: String, help: Option<&str>) -> LoadError {
    let (line, column) = locate(text, path);
    LoadError {
        path: path.to_owned(),
        line,
        column,
        message,
        help: help.map(str::to_owned),
    }
}

/// Checks what every course document opens with: an optional `kind` that must be `expected`,
/// and an `id` fit for links (paths under `base`, `""` for a whole file).
pub(crate) fn check_head(
    text: &str,
    base: &str,
    expected: &str,
    kind: Option<&str>,
    id: &str,
) -> Result<(), LoadError> {
    if let Some(k) = kind
        && k != expected
    {
        return Err(error_at(
            text,
            &join(base, "kind"),
            format!("`kind` is `{k}` in a {expected}"),
            Some(&format!("write `\"kind\": \"{expected}\"`")),
        ));
    }
    check_id(text, &join(base, "id"), id)
}

/// Checks that `topic`, found at `path`, is one of the course's topics.
pub(crate) fn check_topic(text: &str, path: &str, topic: &str) -> Result<(), LoadError> {
    if crate::topic::topic(topic).is_none() {
        return Err(error_at(
            text,
            path,
            format!("unknown topic `{topic}`"),
            Some(&crate::topic::unknown_topic_help(topic)),
        ));
    }
    Ok(())
}

/// `base.rest` (or `rest` when `base` is empty).
pub(crate) fn join(base: &str, rest: &str) -> String {
    if base.is_empty() {
        rest.to_owned()
    } else if rest.starts_with('[') {
        format!("{base}{rest}")
    } else {
        format!("{base}.{rest}")
    }
}

/// Ids are lowercase words joined by `-`, so they work in links and file names.
pub(crate) fn check_id(text: &str, path: &str, id: &str) -> Result<(), LoadError> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(error_at(
            text,
            path,
            format!("id `{id}` is not lowercase letters, digits and `-`"),
            Some("ids appear in links, e.g. `04-deny-encryption`"),
        ))
    }
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            return off + column.saturating_sub(1).min(l.len());
        }
        off += l.len();
    }
    text.len()
}

fn help_for(message: &str) -> Option<String> {
    let help = if message.starts_with("unknown field") {
        "remove the field or fix its spelling; course/README.md lists every field"
    } else if message.starts_with("missing field") {
        "add the field; course/README.md shows a complete example"
    } else if message.starts_with("unknown variant") {
        "use one of the listed names (they are case-sensitive)"
    } else if message.contains("invalid time") {
        "write times as `2026-01-01T00:00:00Z`"
    } else if message.starts_with("invalid type") {
        "check the value's type against the JSON Schema in course/"
    } else if message.contains("EOF")
        || message.starts_with("expected")
        || message.starts_with("trailing")
        || message.starts_with("key must be")
    {
        "the file is not valid JSON; check brackets, commas and quotes near this place"
    } else {
        return None;
    };
    Some(help.to_owned())
}

pub(crate) fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// One segment of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Splits `a.b[2]["x-y"].c` into segments.
fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut chars = path.chars().peekable();
    let mut key = String::new();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !key.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut key)));
                }
            }
            '[' => {
                if !key.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut key)));
                }
                let mut inner = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    inner.push(d);
                }
                match inner.parse::<usize>() {
                    Ok(n) => segs.push(Seg::Index(n)),
                    Err(_) => segs.push(Seg::Key(inner.trim_matches('"').to_owned())),
                }
            }
            _ => key.push(c),
        }
    }
    if !key.is_empty() {
        segs.push(Seg::Key(key));
    }
    segs
}

/// Line and column (1-based) of the value at `path` in `text`; when the whole path is not there,
/// of the deepest part of it that is; `(0, 0)` when nothing matches. Never panics.
pub fn locate(text: &str, path: &str) -> (usize, usize) {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let target = parse_path(path);
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut pending_key: Option<String> = None;
    let mut expect_value = true;
    let mut best: Option<(usize, usize)> = None; // (matched segments, offset)
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if expect_value && b != b']' {
            expect_value = false;
            let here: Vec<Seg> = stack
                .iter()
                .filter_map(|f| match f {
                    Frame::Object(Some(k)) => Some(Seg::Key(k.clone())),
                    Frame::Object(None) => None,
                    Frame::Array(n) => Some(Seg::Index(*n)),
                })
                .collect();
            let matched = here.iter().zip(&target).take_while(|(a, b)| a == b).count();
            if matched == here.len() && best.is_none_or(|(m, _)| matched > m) {
                best = Some((matched, i));
                if matched == target.len() {
                    break;
                }
            }
        }
        match b {
            b'{' => stack.push(Frame::Object(None)),
            b'[' => {
                stack.push(Frame::Array(0));
                expect_value = true;
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => {
                    *n += 1;
                    expect_value = true;
                }
                Some(Frame::Object(k)) => *k = None,
                None => {}
            },
            b':' => {
                if let Some(Frame::Object(k)) = stack.last_mut() {
                    *k = pending_key.take();
                    expect_value = true;
                }
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                if let Some(Frame::Object(None)) = stack.last() {
                    pending_key = text.get(start..i.min(text.len())).map(str::to_owned);
                }
            }
            _ => {}
        }
        i += 1;
    }
    match best {
        Some((m, off)) if m > 0 || target.is_empty() => line_column(text, off),
        _ => (0, 0),
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Checks and normalizes a world declared at `path` of `text` through the scenario loader, so a
/// course world obeys every rule a scenario world does; returns the world ready to run.
pub(crate) fn prepare_world(
    world: &World,
    start: Timestamp,
    path: &str,
    text: &str,
) -> Result<World, LoadError> {
    let value = serde_json::to_value(world).map_err(|e| {
        error_at(
            text,
            path,
            format!("the world cannot be written back: {e}"),
            None,
        )
    })?;
    prepare_world_value(value, start, path, text)
}

/// Like [`prepare_world`], from the world's JSON (after a patch was applied).
pub(crate) fn prepare_world_value(
    value: Value,
    start: Timestamp,
    path: &str,
    text: &str,
) -> Result<World, LoadError> {
    let mut wrapper = Map::new();
    wrapper.insert("name".to_owned(), Value::from("course world"));
    wrapper.insert("source".to_owned(), Value::from("course"));
    wrapper.insert("start".to_owned(), Value::from(start.to_string()));
    wrapper.insert("world".to_owned(), value);
    let json = Value::Object(wrapper).to_string();
    match Scenario::from_json(&json) {
        Ok(s) => Ok(s.world),
        Err(e) => {
            let rest = e.path.strip_prefix("world").unwrap_or(&e.path);
            let full = format!("{path}{rest}");
            let (line, column) = locate(text, &full);
            Err(LoadError {
                path: full,
                line,
                column,
                message: e.message,
                help: e.help,
            })
        }
    }
}

/// Applies an RFC 7386 JSON merge patch: objects merge key by key, `null` removes a key, anything
/// else (arrays included) replaces the value.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            if let Value::Object(t) = target {
                for (k, v) in p {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_finds_nested_values_and_falls_back_to_the_deepest_prefix() {
        let text = "{\n  \"a\": {\n    \"b\": [1, {\"c\": 2}]\n  }\n}";
        assert_eq!(locate(text, "a.b[1].c"), (3, 20));
        assert_eq!(locate(text, "a.b[0]"), (3, 11));
        assert_eq!(locate(text, "a.zzz"), (2, 8));
        assert_eq!(locate(text, "nothing"), (0, 0));
    }

    #[test]
    fn locate_reads_quoted_keys() {
        let text = r#"{"buckets": {"my-bucket": {"policy": 1}}}"#;
        assert_eq!(locate(text, r#"buckets["my-bucket"].policy"#), (1, 38));
        assert_eq!(locate(text, "buckets.my-bucket.policy"), (1, 38));
    }

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut t = serde_json::json!({"a": {"b": 1, "c": 2}, "d": [1, 2]});
        merge_patch(
            &mut t,
            &serde_json::json!({"a": {"b": null, "e": 3}, "d": [9]}),
        );
        assert_eq!(t, serde_json::json!({"a": {"c": 2, "e": 3}, "d": [9]}));
    }

    #[test]
    fn garbage_never_panics() {
        for text in ["", "{", "[", "\"", "{\"a\":", "]]]", "{\"a\\", "\u{0}"] {
            let _ = locate(text, "a.b[0]");
            assert!(parse::<Value>(text).is_err() || text.is_empty() || text == "]]]");
        }
    }
}
