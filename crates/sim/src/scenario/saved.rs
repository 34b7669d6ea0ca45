//! Values a step saves from what came back (`"save": {"vid": "versionId"}`) and their use in
//! later steps (`"versionId": "${vid}"`): a version id, a Vault Lock id, an upload id, session
//! credentials, an ETag — whatever S3 (or Glacier, STS, …) returned that a later request needs.
//!
//! A saved name is an identifier (`vid`, `lock_id`), so `${aws:username}` and the other IAM policy
//! variables in a policy document are never touched (they always contain a colon, or are `${*}`,
//! `${?}`, `${$}`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::trace::Outcome;

/// The values saved so far in a run, by name.
pub type Saved = BTreeMap<String, String>;

/// Short names for what steps usually save, and where each one is in the outcome. A feature
/// that returns a new kind of id adds one line here (and one word in `tests/README.md`).
pub const SAVE_SHORTHANDS: &[(&str, &str)] = &[
    ("versionId", "headers.x-amz-version-id"),
    ("etag", "headers.etag"),
    ("requestId", "headers.x-amz-request-id"),
    ("deleteMarker", "headers.x-amz-delete-marker"),
    ("lockId", "headers.x-amz-lock-id"),
    ("archiveId", "headers.x-amz-archive-id"),
    ("jobId", "headers.x-amz-job-id"),
    ("uploadId", "body.UploadId"),
    ("accessKeyId", "body.Credentials.AccessKeyId"),
    ("secretAccessKey", "body.Credentials.SecretAccessKey"),
    ("sessionToken", "body.Credentials.SessionToken"),
    ("expiration", "body.Credentials.Expiration"),
    (
        "kmsKeyArn",
        "headers.x-amz-server-side-encryption-aws-kms-key-id",
    ),
    ("keyId", "body.KeyMetadata.KeyId"),
    ("keyArn", "body.KeyMetadata.Arn"),
    ("status", "status"),
    ("errorCode", "error.code"),
    ("errorMessage", "error.message"),
];

/// Where a selector may start: the parts of an outcome a step can save from.
const ROOTS: &[&str] = &["status", "headers", "body", "error", "decision", "effects"];

/// Whether `name` can be saved and used as `${name}`: a letter or `_`, then letters, digits, `_`.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One step of a path into the outcome's JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// Parses a selector (`versionId`, `headers.x-amz-version-id`, `body.Credentials.AccessKeyId`,
/// `effects[0].versionId`) into a path into the outcome's JSON.
///
/// # Errors
/// A learner sentence naming the selector and what is wrong with it.
fn parse(selector: &str) -> Result<Vec<Segment>, String> {
    let full = SAVE_SHORTHANDS
        .iter()
        .find(|(short, _)| *short == selector)
        .map_or(selector, |(_, long)| long);
    let mut out = Vec::new();
    for part in full.split('.') {
        let (name, mut rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        if name.is_empty() {
            return Err(format!("`{selector}` has an empty name between dots"));
        }
        out.push(Segment::Key(name.to_owned()));
        while !rest.is_empty() {
            let Some((n, after)) = rest.split_once(']') else {
                return Err(format!("`{selector}` has a `[` without its `]`"));
            };
            let i = n
                .parse::<usize>()
                .map_err(|_| format!("`{selector}`: `[{n}]` is not an index"))?;
            out.push(Segment::Index(i));
            rest = after.strip_prefix('[').unwrap_or(after);
            if !after.is_empty() && !after.starts_with('[') {
                return Err(format!("`{selector}`: `{after}` after `]` needs a dot"));
            }
        }
    }
    match out.first() {
        Some(Segment::Key(root)) if ROOTS.contains(&root.as_str()) => Ok(out),
        _ => Err(format!(
            "`{selector}` is neither a short name nor a path into the response"
        )),
    }
}

/// Checks a selector without an outcome (the loader calls it).
///
/// # Errors
/// What is wrong, and a help line listing what is accepted.
pub(crate) fn check_selector(selector: &str) -> Result<(), (String, String)> {
    parse(selector).map(|_| ()).map_err(|e| {
        let shorts: Vec<&str> = SAVE_SHORTHANDS.iter().map(|(s, _)| *s).collect();
        (
            e,
            format!(
                "use a short name ({}) or a path starting with {} such as `headers.x-amz-version-id` or `body.Credentials.AccessKeyId`",
                shorts.join(", "),
                ROOTS
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

/// The value `selector` names in `outcome`, as text (numbers and booleans as JSON writes them).
///
/// # Errors
/// A sentence saying what the response lacked.
pub fn capture(selector: &str, outcome: &Outcome) -> Result<String, String> {
    let path = parse(selector)?;
    let mut value = serde_json::to_value(outcome).map_err(|e| e.to_string())?;
    // Header names are stored lowercase; let `headers.ETag` find `etag`.
    let mut in_headers = false;
    for (i, seg) in path.iter().enumerate() {
        let next = match seg {
            Segment::Key(k) if in_headers => value.get(k.to_ascii_lowercase()),
            Segment::Key(k) => value.get(k),
            Segment::Index(n) => value.get(n),
        };
        in_headers = i == 0 && matches!(seg, Segment::Key(k) if k == "headers");
        value = match next {
            Some(v) if !v.is_null() => v.clone(),
            _ => {
                return Err(format!(
                    "the response has no `{selector}` (status {})",
                    outcome.status
                ));
            }
        };
    }
    match value {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!(
            "`{selector}` is not a single value but {other}; name a field inside it"
        )),
    }
}

/// The `${name}` references in a text, in order (policy variables such as `${aws:username}`
/// are not references).
pub(crate) fn references(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        let after = rest.get(i + 2..).unwrap_or("");
        match after.find('}') {
            Some(j) => {
                let name = after.get(..j).unwrap_or("");
                if valid_name(name) {
                    out.push(name);
                }
                rest = after.get(j + 1..).unwrap_or("");
            }
            None => break,
        }
    }
    out
}

/// The references in every string (and object key) of a JSON value.
pub(crate) fn references_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.extend(references(s).into_iter().map(str::to_owned)),
        Value::Array(a) => a.iter().for_each(|v| references_in(v, out)),
        Value::Object(m) => {
            for (k, v) in m {
                out.extend(references(k).into_iter().map(str::to_owned));
                references_in(v, out);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn replace(text: &str, saved: &Saved) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 2..).unwrap_or("");
        let name = after.find('}').and_then(|j| after.get(..j));
        match name {
            Some(name) if valid_name(name) => {
                let value = saved
                    .get(name)
                    .ok_or_else(|| format!("`${{{name}}}` is not saved by an earlier step"))?;
                out.push_str(value);
                rest = after.get(name.len() + 1..).unwrap_or("");
            }
            _ => {
                out.push_str("${");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

fn replace_in(value: &mut Value, saved: &Saved) -> Result<(), String> {
    match value {
        Value::String(s) => {
            if s.contains("${") {
                *s = replace(s, saved)?;
            }
        }
        Value::Array(a) => {
            for v in a {
                replace_in(v, saved)?;
            }
        }
        Value::Object(m) => {
            let keys: Vec<String> = m.keys().filter(|k| k.contains("${")).cloned().collect();
            for k in keys {
                if let Some(v) = m.remove(&k) {
                    m.insert(replace(&k, saved)?, v);
                }
            }
            for v in m.values_mut() {
                replace_in(v, saved)?;
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
    Ok(())
}

/// `value` with every `${name}` in its strings replaced by the saved value.
///
/// # Errors
/// The first reference to a name no earlier step saved, or a substitution that no longer fits
/// the field (a saved text where a number is expected).
pub fn substitute<T: Serialize + DeserializeOwned + Clone>(
    value: &T,
    saved: &Saved,
) -> Result<T, String> {
    let mut json = serde_json::to_value(value).map_err(|e| e.to_string())?;
    let mut refs = Vec::new();
    references_in(&json, &mut refs);
    if refs.is_empty() {
        return Ok(value.clone());
    }
    replace_in(&mut json, saved)?;
    crate::read::from_value(&json).map_err(|e| format!("after putting in saved values: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_identifiers_so_policy_variables_are_left_alone() {
        assert_eq!(
            references("arn:aws:s3:::b/${aws:username}/${vid}-${*}"),
            vec!["vid"]
        );
        let saved: Saved = [("vid".to_owned(), "3HL4".to_owned())].into();
        assert_eq!(
            replace("${aws:username}/${vid}/${", &saved).unwrap(),
            "${aws:username}/3HL4/${"
        );
        assert!(
            replace("${nope}", &saved)
                .unwrap_err()
                .contains("`${nope}` is not saved")
        );
    }

    #[test]
    fn selectors_expand_shorthands_and_check_their_root() {
        assert_eq!(
            parse("versionId").unwrap(),
            vec![
                Segment::Key("headers".into()),
                Segment::Key("x-amz-version-id".into())
            ]
        );
        assert_eq!(
            parse("effects[1].key").unwrap(),
            vec![
                Segment::Key("effects".into()),
                Segment::Index(1),
                Segment::Key("key".into())
            ]
        );
        assert!(parse("versionid").is_err());
        assert!(parse("body..x").is_err());
        assert!(parse("body.x[a]").is_err());
        assert!(check_selector("trace").is_err());
    }
}
