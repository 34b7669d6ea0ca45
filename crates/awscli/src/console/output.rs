//! How the AWS CLI v2 prints answers: JSON indented by four spaces (Python's
//! `json.dump(indent=4)`), timestamps as `2026-01-01T00:00:00+00:00`, `aws s3 ls` columns, and
//! the one-line error sentence. Follows
//! <https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-output-format.html>.

use serde::Serialize;
use serde_json::Value;

use s3pg_sim::{Outcome, Timestamp, World};

/// Pretty JSON as the CLI prints it, with a final newline; empty for `{}` (an operation with
/// no response body prints nothing).
pub(crate) fn json(value: &Value) -> String {
    if value.as_object().is_some_and(serde_json::Map::is_empty) {
        return String::new();
    }
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    let mut text = String::from_utf8_lossy(&buf).into_owned();
    text.push('\n');
    text
}

/// Pretty JSON of any value, with a final newline.
pub(crate) fn json_any(value: &Value) -> String {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    let mut text = String::from_utf8_lossy(&buf).into_owned();
    text.push('\n');
    text
}

/// `--output text` for a scalar, a list of scalars, or an object whose members are all
/// scalars (values tab-separated, members in key order as the CLI sorts them); `None` otherwise.
pub(crate) fn text(value: &Value) -> Option<String> {
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => Some("None".to_owned()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => None,
    };
    match value {
        Value::Array(items) => {
            let cells: Option<Vec<String>> = items.iter().map(scalar).collect();
            cells.map(|c| format!("{}\n", c.join("\t")))
        }
        Value::Object(members) => {
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            let cells: Option<Vec<String>> = sorted.iter().map(|(_, v)| scalar(v)).collect();
            cells.map(|c| format!("{}\n", c.join("\t")))
        }
        other => scalar(other).map(|s| format!("{s}\n")),
    }
}

/// Evaluates the small part of JMESPath the playground knows (`A.B`, `A[]`, `A[0]`, chained);
/// `None` for any other expression.
pub(crate) fn query(value: &Value, expression: &str) -> Option<Value> {
    let ok = expression
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '[' | ']' | '_' | '-'));
    if !ok || expression.is_empty() {
        return None;
    }
    let segments: Vec<&str> = expression.split('.').collect();
    eval(value, &segments)
}

fn eval(value: &Value, segments: &[&str]) -> Option<Value> {
    let Some((first, rest)) = segments.split_first() else {
        return Some(value.clone());
    };
    let (name, index) = match first.find('[') {
        Some(i) => (first.get(..i)?, Some(first.get(i..)?)),
        None => (*first, None),
    };
    let current = if name.is_empty() {
        value.clone()
    } else {
        value.get(name).cloned().unwrap_or(Value::Null)
    };
    match index {
        None => eval(&current, rest),
        Some("[]") => {
            let items = current.as_array().cloned().unwrap_or_default();
            let mut out = Vec::new();
            for item in &items {
                let v = eval(item, rest)?;
                if !v.is_null() {
                    out.push(v);
                }
            }
            Some(Value::Array(out))
        }
        Some(other) => {
            let n: usize = other.strip_prefix('[')?.strip_suffix(']')?.parse().ok()?;
            let item = current.get(n).cloned().unwrap_or(Value::Null);
            eval(&item, rest)
        }
    }
}

/// What `--debug` adds on stderr for one request: the operation, the answer and every gate of
/// the world's trace (the real CLI logs its HTTP exchange there; the playground shows the
/// authorization walk instead).
pub(crate) fn debug_trace(outcome: &Outcome) -> String {
    let answer = match &outcome.error {
        Some(e) => format!("{} {}", outcome.status, e.code),
        None => outcome.status.to_string(),
    };
    let mut text = format!(
        "s3pg debug: {} -> {answer} (request id {})\n",
        outcome.operation, outcome.request_id
    );
    for step in &outcome.trace {
        let action = step
            .action
            .as_ref()
            .map(|a| format!(" {a}"))
            .unwrap_or_default();
        let mark = if step.deciding { " (deciding)" } else { "" };
        text.push_str(&format!(
            "  {}{action}: {}{mark}: {}\n",
            step.gate.title(),
            step.outcome.describe(),
            step.explanation
        ));
    }
    text
}

/// The reason phrase of an HTTP status: what the CLI shows for errors of bodiless `HEAD`
/// responses (`An error occurred (403) when calling the HeadObject operation: Forbidden`).
pub(crate) fn reason_phrase(status: u16) -> &'static str {
    match status {
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        416 => "Requested Range Not Satisfiable",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// `An error occurred (AccessDenied) when calling the PutObject operation: Access Denied` —
/// without the surrounding newlines. A `HEAD` response has no body, so the CLI can only show
/// the status code and its reason phrase.
pub fn error_sentence(outcome: &Outcome) -> String {
    let (code, message) = if outcome.operation == "HeadObject" {
        (
            outcome.status.to_string(),
            reason_phrase(outcome.status).to_owned(),
        )
    } else {
        match &outcome.error {
            Some(e) => (e.code.clone(), e.message.clone()),
            None => ("Unknown".to_owned(), "Unknown".to_owned()),
        }
    };
    // The s3control operations are named without `Account` in the CLI.
    let operation = match outcome.operation.as_str() {
        "PutAccountPublicAccessBlock" => "PutPublicAccessBlock",
        "GetAccountPublicAccessBlock" => "GetPublicAccessBlock",
        "DeleteAccountPublicAccessBlock" => "DeletePublicAccessBlock",
        other => other,
    };
    format!("An error occurred ({code}) when calling the {operation} operation: {message}")
}

/// A world timestamp (`2026-01-01T00:00:00Z`) as the CLI prints parsed timestamps.
pub(crate) fn iso(text: &str) -> String {
    match Timestamp::parse(text) {
        Ok(t) => t.to_string().replace('Z', "+00:00"),
        Err(_) => text.to_owned(),
    }
}

/// A world timestamp as `aws s3 ls` prints it (`2026-01-01 00:00:00`; the playground's local
/// time zone is UTC).
pub(crate) fn ls_time(text: &str) -> String {
    match Timestamp::parse(text) {
        Ok(t) => t.to_string().replace('T', " ").replace('Z', ""),
        Err(_) => text.to_owned(),
    }
}

/// `1.5 KiB` as `aws s3 ls --human-readable` prints sizes.
pub(crate) fn human_size(size: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if size == 1 {
        return "1 Byte".to_owned();
    }
    if size < 1024 {
        return format!("{size} Bytes");
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "display only; object sizes stay far below 2^52"
    )]
    let mut value = size as f64 / 1024.0;
    let mut unit = "KiB";
    for u in UNITS.iter().skip(1) {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = u;
    }
    format!("{value:.1} {unit}")
}

/// The quoted ETag of a stored body: the MD5 of the data for a single-part upload.
///
/// \[SIM\] S3 gives SSE-KMS and SSE-C objects an ETag that is not the MD5 of the data; the
/// playground's world does not return ETags yet, so the console shows the MD5 for every object.
pub(crate) fn etag(body: &str) -> String {
    format!("\"{}\"", s3pg_crypto::checksum::md5_hex(body.as_bytes()))
}

/// The ETag of a stored version (the current one when `version` is `None`).
pub(crate) fn stored_etag(
    world: &World,
    bucket: &str,
    key: &str,
    version: Option<&str>,
) -> Option<String> {
    let entry = world.buckets.get(bucket)?.objects.get(key)?;
    let v = match version {
        Some(id) => entry.version(id)?,
        None => entry.current()?,
    };
    (!v.delete_marker).then(|| {
        if v.etag.is_empty() {
            etag(&v.body)
        } else {
            v.etag.clone()
        }
    })
}
