//! `curl` in the console: the way a learner uses a URL `aws s3 presign` printed (or a plain
//! object URL) from the same terminal. A URL with `X-Amz-*` query authentication goes to the
//! world as a pre-signed request (verified, then authorized as its signer); any other S3 URL is
//! an anonymous request. What is printed is what curl prints: the response body as S3 sends it
//! (the object's data, a listing as XML, or S3's XML `<Error>` document), nothing for empty
//! responses, the status line and headers for `-I`. Like curl without `-f`, an HTTP error still
//! exits 0.
//!
//! Follows the curl manual (<https://curl.se/docs/manpage.html>) for the options and exit codes,
//! S3's REST error responses (<https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>)
//! for the `<Error>` body, and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html> for the use.
//! Playground choices: header lines end in `\n` (curl shows the server's `\r\n`); `HostId` is a
//! deterministic stand-in; the progress meter curl shows with `-o` is not drawn.

use serde_json::Value;

use s3pg_sim::presigned::{map_operation, split_target};
use s3pg_sim::request::{Caller, Operation, Request, Scheme};
use s3pg_sim::{Outcome, Timestamp, World};

use super::{Console, ConsoleResult, local_name};

/// curl's exit status for a usage error (unknown option, missing URL argument).
const CURL_USAGE: u8 = 2;
/// curl's exit status for a malformed URL.
const CURL_BAD_URL: u8 = 3;
/// curl's exit status when the host cannot be resolved.
const CURL_NO_HOST: u8 = 6;
/// curl's exit status when a local file cannot be read.
const CURL_READ_ERROR: u8 = 26;

const TRY_HELP: &str = "curl: try 'curl --help' or 'curl --manual' for more information\n";

struct Options {
    method: Option<String>,
    head: bool,
    upload: Option<String>,
    output: Option<String>,
    include: bool,
    headers: Vec<(String, String)>,
    url: Option<String>,
}

fn parse(words: &[String]) -> Result<Options, ConsoleResult> {
    let mut o = Options {
        method: None,
        head: false,
        upload: None,
        output: None,
        include: false,
        headers: Vec::new(),
        url: None,
    };
    let mut it = words.iter();
    let usage = |text: String| ConsoleResult::failed(text, CURL_USAGE);
    while let Some(word) = it.next() {
        let mut value = |name: &str| {
            it.next().cloned().ok_or_else(|| {
                usage(format!(
                    "curl: option {name}: requires parameter\n{TRY_HELP}"
                ))
            })
        };
        match word.as_str() {
            "-X" | "--request" => o.method = Some(value(word)?),
            "-I" | "--head" => o.head = true,
            "-T" | "--upload-file" => o.upload = Some(value(word)?),
            "-o" | "--output" => o.output = Some(value(word)?),
            "-H" | "--header" => {
                let h = value(word)?;
                if let Some((name, v)) = h.split_once(':') {
                    o.headers
                        .push((name.trim().to_ascii_lowercase(), v.trim().to_owned()));
                }
            }
            "-i" | "--include" => o.include = true,
            "-s" | "--silent" | "-S" | "--show-error" | "-sS" | "-L" | "--location" | "-g"
            | "--globoff" => {}
            w if w.starts_with('-') && w.len() > 1 => {
                return Err(usage(format!("curl: option {w}: is unknown\n{TRY_HELP}")));
            }
            url => o.url = Some(url.to_owned()),
        }
    }
    Ok(o)
}

/// Runs `curl …` (words after `curl`) against the world at `now`.
pub(crate) fn run(
    console: &mut Console,
    world: &mut World,
    words: &[String],
    now: Timestamp,
) -> ConsoleResult {
    let o = match parse(words) {
        Ok(o) => o,
        Err(failed) => return failed,
    };
    let Some(url) = o.url.clone() else {
        return ConsoleResult::failed(format!("curl: no URL specified!\n{TRY_HELP}"), CURL_USAGE);
    };
    let (parts, target) = match split_target(&url) {
        Ok(t) => t,
        Err(_) => {
            return match s3pg_sigv4::split_url(&url) {
                Some(p) => ConsoleResult::failed(
                    format!("curl: (6) Could not resolve host: {}\n", p.host),
                    CURL_NO_HOST,
                ),
                None => ConsoleResult::failed(
                    "curl: (3) URL using bad/illegal format or missing URL\n".to_owned(),
                    CURL_BAD_URL,
                ),
            };
        }
    };
    let body = match &o.upload {
        Some(file) => match console.file(file) {
            Some(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
            None => {
                return ConsoleResult::failed(
                    format!(
                        "curl: Can't open '{file}'!\ncurl: (26) Failed to open/read local data from file/application\n"
                    ),
                    CURL_READ_ERROR,
                );
            }
        },
        None => None,
    };
    let method = o.method.clone().unwrap_or_else(|| {
        if o.head {
            "HEAD"
        } else if o.upload.is_some() {
            "PUT"
        } else {
            "GET"
        }
        .to_owned()
    });
    let https = parts.scheme.eq_ignore_ascii_case("https");
    let operation = if s3pg_sigv4::is_presigned(&parts.query) {
        Operation::PresignedRequest {
            method: method.clone(),
            url: url.clone(),
            presign: None,
            body,
        }
    } else {
        match map_operation(&method, &target, &parts.query, body.as_deref()) {
            Ok(op) => op,
            Err(p) => {
                return ConsoleResult::failed(
                    format!("s3pg: {p}\nhelp: {}\n", p.help),
                    super::GENERAL_ERROR_EXIT_CODE,
                );
            }
        }
    };
    let mut request = Request::new(Caller::Anonymous, operation);
    request.network = console.network.clone();
    request.network.scheme = if https { Scheme::Https } else { Scheme::Http };
    for (name, value) in &o.headers {
        request = request.header(name, value);
    }
    let outcome = world.handle(&request, now);
    let mut out = ConsoleResult::failed(String::new(), 0);
    let mut text = String::new();
    if o.head || o.include || method.eq_ignore_ascii_case("HEAD") {
        text.push_str(&status_and_headers(&outcome));
    }
    if !method.eq_ignore_ascii_case("HEAD") && !o.head {
        text.push_str(&response_body(&outcome));
    }
    match &o.output {
        Some(file) => console.add_file(&local_name(file), text.into_bytes()),
        None => out.stdout = text,
    }
    out.requests.push(request);
    out.outcomes.push(outcome);
    out
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        _ => "",
    }
}

/// `HTTP/1.1 200 OK` and the response headers, then a blank line (what `-I`/`-i` show).
fn status_and_headers(outcome: &Outcome) -> String {
    let mut text = format!("HTTP/1.1 {} {}\n", outcome.status, reason(outcome.status));
    text.push_str(&format!("x-amz-request-id: {}\n", outcome.request_id));
    for (name, value) in &outcome.headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    if outcome.error.is_some() && outcome.operation != "HeadObject" {
        text.push_str("Content-Type: application/xml\n");
    }
    text.push_str("Server: AmazonS3\n\n");
    text
}

/// Escapes text for an XML element.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// S3's `<Error>` document for a failed request (empty for HEAD, which has no body).
pub(crate) fn error_document(outcome: &Outcome) -> Option<String> {
    let e = outcome.error.as_ref()?;
    if outcome.operation == "HeadObject" {
        return Some(String::new());
    }
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
    let mut element = |name: &str, value: &str| {
        xml.push_str(&format!("<{name}>{}</{name}>", xml_escape(value)));
    };
    element("Code", &e.code);
    element("Message", &e.message);
    for (name, value) in &e.extra {
        element(name, value);
    }
    element("RequestId", &outcome.request_id);
    element("HostId", &s3pg_sim::world::host_id(&outcome.request_id));
    xml.push_str("</Error>");
    Some(xml)
}

/// What curl prints for the response body.
fn response_body(outcome: &Outcome) -> String {
    if let Some(doc) = error_document(outcome) {
        return doc;
    }
    match (&outcome.body, outcome.operation.as_str()) {
        (Some(body), "GetObject") => body
            .get("Body")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        (Some(body), "ListObjectsV2") => xml_document("ListBucketResult", body),
        (Some(body), "ListObjectVersions") => xml_document("ListVersionsResult", body),
        _ => String::new(),
    }
}

/// A listing as S3's XML: members in order, arrays as repeated elements, empty lists left out.
fn xml_document(root: &str, body: &Value) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    );
    if let Some(map) = body.as_object() {
        for (name, value) in map {
            xml_member(&mut xml, name, value);
        }
    }
    xml.push_str(&format!("</{root}>"));
    xml
}

fn xml_member(xml: &mut String, name: &str, value: &Value) {
    match value {
        Value::Array(items) => {
            for item in items {
                xml_member(xml, name, item);
            }
        }
        Value::Object(map) => {
            xml.push_str(&format!("<{name}>"));
            for (n, v) in map {
                xml_member(xml, n, v);
            }
            xml.push_str(&format!("</{name}>"));
        }
        Value::Null => {}
        Value::String(s) => xml.push_str(&format!("<{name}>{}</{name}>", xml_escape(s))),
        other => xml.push_str(&format!("<{name}>{other}</{name}>")),
    }
}
