//! Server access log records: the typed record, AWS's space-delimited line, and a parser that
//! reads a line back field by field.
//!
//! Follows S3 UG "Amazon S3 server access log format"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>): one request per
//! line, fields separated by single spaces in a fixed order, `-` for any value that is unknown,
//! unavailable or not applicable; Time in brackets; Request-URI, Referer and User-Agent in double
//! quotes. AWS only ever appends fields at the end, so the parser keeps unknown trailing fields
//! and a line with fewer fields (older logs) reads back and re-formats to the same bytes.
//!
//! Quoting: AWS documents no escaping, and published real logs show values written raw between
//! the quotes even when they contain `"` (so such lines are ambiguous). The playground writes
//! every value raw too, except where a raw character would end the field early: a `"` followed
//! by a space (or ending the value) is written `\"`; a `\` before `"`, `\`, `n`, `r` or the end
//! of the value is written `\\`; a line break is written `\n` / `\r` \[SIM\]. Every ordinary value therefore prints exactly as AWS
//! prints it, and every line the playground writes reads back to the same record.

mod line;

pub use self::line::{
    CLASSIC_FIELD_COUNT, CURRENT_FIELD_COUNT, FIELD_NAMES, LogParseError, MIN_FIELD_COUNT,
};

use std::fmt;

use self::line::{Cursor, col};
pub use crate::keys::{decode_key, encode_key};
use crate::request::HandledRequest;
use crate::time::Timestamp;

/// One server access log record. Every field is optional: `None` prints `-`.
///
/// The three quoted fields print `None` as a bare `-` and `Some("-")` as `"-"` (AWS writes an
/// absent Referer as `"-"` on ordinary requests and a bare `-` on `BATCH.DELETE.OBJECT` rows).
// INVARIANT: unquoted text fields hold no whitespace and are never `Some("")` or `Some("-")`;
// `from_request` guarantees it, `parse` can only produce such values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccessLogRecord {
    /// 1. Canonical user id of the source bucket's owner.
    pub bucket_owner: Option<String>,
    /// 2. The bucket the request was processed against.
    pub bucket: Option<String>,
    /// 3. When the request was received (UTC).
    pub time: Option<Timestamp>,
    /// 4. The apparent client address.
    pub remote_ip: Option<String>,
    /// 5. Canonical id or IAM ARN of the requester; `None` for unauthenticated requests.
    pub requester: Option<String>,
    /// 6. `x-amz-request-id`.
    pub request_id: Option<String>,
    /// 7. `REST.PUT.OBJECT`, `BATCH.DELETE.OBJECT`, `S3.EXPIRE.OBJECT`, …
    pub operation: Option<String>,
    /// 8. The key, URL-encoded, as written in the log.
    pub key: Option<String>,
    /// 9. The HTTP request line (quoted).
    pub request_uri: Option<String>,
    /// 10. The HTTP status.
    pub http_status: Option<u16>,
    /// 11. The S3 error code.
    pub error_code: Option<String>,
    /// 12. Response bytes sent (AWS writes `-` for zero).
    pub bytes_sent: Option<u64>,
    /// 13. Total size of the object.
    pub object_size: Option<u64>,
    /// 14. Milliseconds in flight (server view).
    pub total_time: Option<u64>,
    /// 15. Milliseconds S3 spent before the first response byte.
    pub turn_around_time: Option<u64>,
    /// 16. `Referer` header (quoted).
    pub referer: Option<String>,
    /// 17. `User-Agent` header (quoted).
    pub user_agent: Option<String>,
    /// 18. Version id in the request.
    pub version_id: Option<String>,
    /// 19. `x-amz-id-2`.
    pub host_id: Option<String>,
    /// 20. `SigV2`, `SigV4`.
    pub signature_version: Option<String>,
    /// 21. TLS cipher suite.
    pub cipher_suite: Option<String>,
    /// 22. `AuthHeader`, `QueryString`.
    pub authentication_type: Option<String>,
    /// 23. The endpoint used (`Host` header).
    pub host_header: Option<String>,
    /// 24. `TLSv1.2`, `TLSv1.3`.
    pub tls_version: Option<String>,
    /// 25. The access point ARN.
    pub access_point_arn: Option<String>,
    /// 26. `Yes` when an ACL was required to authorize the request.
    pub acl_required: Option<String>,
    /// 27. The Region AWS's current examples append after `aclRequired` (undefined in AWS's text).
    pub source_region: Option<String>,
    /// Fields after the 27th, kept verbatim (AWS appends new fields at the end).
    pub extra: Vec<String>,
    /// How many of the 27 named fields the line carries (18 to 27). Older logs end earlier;
    /// formatting writes this many fields (more if a later field is set), then `extra`.
    pub field_count: usize,
}

impl AccessLogRecord {
    /// The record AWS would write for a handled request (27 fields).
    ///
    /// The key is URL-encoded as the log shows it ([`encode_key`]); a zero byte count is `-`;
    /// unquoted values that contain whitespace have it percent-encoded so the line stays
    /// parseable \[SIM\].
    pub fn from_request(req: &HandledRequest) -> Self {
        let text = |v: &Option<String>| v.as_deref().and_then(unquoted);
        AccessLogRecord {
            bucket_owner: text(&req.bucket_owner_canonical_id),
            bucket: text(&req.bucket),
            time: Some(req.time),
            remote_ip: text(&req.remote_ip),
            requester: req
                .requester
                .access_log_form()
                .as_deref()
                .and_then(unquoted),
            request_id: unquoted(&req.request_id),
            operation: req.operation_name().as_deref().and_then(unquoted),
            key: req
                .key
                .as_deref()
                .map(encode_key)
                .as_deref()
                .and_then(unquoted),
            request_uri: Some(req.request_uri.clone().unwrap_or_else(|| "-".to_owned())),
            // No HTTP exchange (a lifecycle action): `-`.
            http_status: Some(req.http_status).filter(|s| *s != crate::request::NO_HTTP_STATUS),
            error_code: text(&req.error_code),
            bytes_sent: Some(req.bytes_sent).filter(|b| *b > 0),
            object_size: req.object_size,
            total_time: req.total_time_ms,
            turn_around_time: req.turn_around_time_ms,
            referer: Some(req.referrer.clone().unwrap_or_else(|| "-".to_owned())),
            user_agent: Some(req.user_agent.clone().unwrap_or_else(|| "-".to_owned())),
            version_id: text(&req.version_id),
            host_id: text(&req.host_id),
            signature_version: req.signature_version.map(|s| s.as_str().to_owned()),
            cipher_suite: text(&req.cipher_suite),
            authentication_type: req.authentication_type.map(|a| a.as_str().to_owned()),
            host_header: text(&req.host_header),
            tls_version: text(&req.tls_version),
            access_point_arn: text(&req.access_point_arn),
            acl_required: req.acl_required.then(|| "Yes".to_owned()),
            source_region: unquoted(&req.region),
            extra: Vec::new(),
            field_count: CURRENT_FIELD_COUNT,
        }
    }

    /// The second record of a copy: the read of the source object (`REST.COPY.OBJECT_GET`, or
    /// `REST.COPY.PART_GET` for `UploadPartCopy`). Bucket owner, bucket, key and version are the
    /// source's (S3 UG "Additional logging for copy operations"); the rest is the request's.
    pub fn copy_source_record(
        req: &HandledRequest,
        source_bucket: &str,
        source_owner_canonical_id: &str,
        source_key: &str,
        source_version_id: Option<&str>,
    ) -> Self {
        let mut rec = AccessLogRecord::from_request(req);
        rec.bucket_owner = unquoted(source_owner_canonical_id);
        rec.bucket = unquoted(source_bucket);
        rec.key = unquoted(&encode_key(source_key));
        rec.version_id = source_version_id.and_then(unquoted);
        rec.operation = crate::operation::copy_source_operation(&req.api_name)
            .map(|o| o.name.to_owned())
            .or_else(|| Some("REST.COPY.OBJECT_GET".to_owned()));
        rec
    }

    /// The per-key rows of a multi-object delete (`BATCH.DELETE.OBJECT`), one per `(key,
    /// status)`, as published real logs show them: no request line, referer or user agent
    /// (bare `-`), no byte counts. The request's own `REST.POST.MULTI_OBJECT_DELETE` row is
    /// [`AccessLogRecord::from_request`].
    pub fn batch_delete_records(req: &HandledRequest, deleted: &[(&str, u16)]) -> Vec<Self> {
        deleted
            .iter()
            .map(|(key, status)| {
                let mut rec = AccessLogRecord::from_request(req);
                rec.operation = Some(crate::operation::BATCH_DELETE_OBJECT.name.to_owned());
                rec.key = unquoted(&encode_key(key));
                rec.request_uri = None;
                rec.http_status = Some(*status);
                rec.error_code = None;
                rec.bytes_sent = None;
                rec.object_size = None;
                rec.total_time = None;
                rec.turn_around_time = None;
                rec.referer = None;
                rec.user_agent = None;
                rec.version_id = None;
                rec
            })
            .collect()
    }

    /// The `Referer` header value, with AWS's `"-"` placeholder read as absent.
    pub fn referer_header(&self) -> Option<&str> {
        self.referer.as_deref().filter(|r| *r != "-")
    }

    /// The `User-Agent` header value, with AWS's `"-"` placeholder read as absent.
    pub fn user_agent_header(&self) -> Option<&str> {
        self.user_agent.as_deref().filter(|r| *r != "-")
    }

    /// The line, exactly as AWS writes it (no trailing newline).
    pub fn format(&self) -> String {
        let mut out = String::with_capacity(400);
        self.write_line(&mut out);
        out
    }

    /// Appends the line to `out` (no trailing newline); lets callers reuse one buffer.
    pub fn write_line(&self, out: &mut String) {
        let last_set = self.last_set_field();
        let count = self
            .field_count
            .clamp(MIN_FIELD_COUNT, CURRENT_FIELD_COUNT)
            .max(last_set);
        for n in 1..=count {
            if n > 1 {
                out.push(' ');
            }
            self.write_field(n, out);
        }
        for extra in &self.extra {
            out.push(' ');
            out.push_str(extra);
        }
    }

    fn last_set_field(&self) -> usize {
        let tail = [
            (27, self.source_region.is_some()),
            (26, self.acl_required.is_some()),
            (25, self.access_point_arn.is_some()),
            (24, self.tls_version.is_some()),
            (23, self.host_header.is_some()),
            (22, self.authentication_type.is_some()),
            (21, self.cipher_suite.is_some()),
            (20, self.signature_version.is_some()),
            (19, self.host_id.is_some()),
        ];
        if !self.extra.is_empty() {
            return CURRENT_FIELD_COUNT;
        }
        tail.iter()
            .find(|(_, set)| *set)
            .map_or(MIN_FIELD_COUNT, |(n, _)| *n)
    }

    fn write_field(&self, n: usize, out: &mut String) {
        fn text(out: &mut String, v: &Option<String>) {
            out.push_str(v.as_deref().unwrap_or("-"));
        }
        fn num(out: &mut String, v: Option<u64>) {
            match v {
                Some(v) => push_u64(out, v),
                None => out.push('-'),
            }
        }
        match n {
            1 => text(out, &self.bucket_owner),
            2 => text(out, &self.bucket),
            3 => match self.time {
                Some(t) => t.write_access_log(out),
                None => out.push('-'),
            },
            4 => text(out, &self.remote_ip),
            5 => text(out, &self.requester),
            6 => text(out, &self.request_id),
            7 => text(out, &self.operation),
            8 => text(out, &self.key),
            9 => quoted(out, &self.request_uri),
            10 => num(out, self.http_status.map(u64::from)),
            11 => text(out, &self.error_code),
            12 => num(out, self.bytes_sent),
            13 => num(out, self.object_size),
            14 => num(out, self.total_time),
            15 => num(out, self.turn_around_time),
            16 => quoted(out, &self.referer),
            17 => quoted(out, &self.user_agent),
            18 => text(out, &self.version_id),
            19 => text(out, &self.host_id),
            20 => text(out, &self.signature_version),
            21 => text(out, &self.cipher_suite),
            22 => text(out, &self.authentication_type),
            23 => text(out, &self.host_header),
            24 => text(out, &self.tls_version),
            25 => text(out, &self.access_point_arn),
            26 => text(out, &self.acl_required),
            _ => text(out, &self.source_region),
        }
    }

    /// Reads one line (a trailing `\n` or `\r\n` is ignored) field by field.
    pub fn parse(line: &str) -> Result<Self, LogParseError> {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut cur = Cursor { line, pos: 0 };
        let mut rec = AccessLogRecord::default();
        for n in 1..=CURRENT_FIELD_COUNT {
            if cur.at_end() {
                if n <= MIN_FIELD_COUNT {
                    return Err(cur.error(
                        n,
                        format!("line ends after {} fields", n - 1),
                        Some(format!(
                            "an access log record has at least {MIN_FIELD_COUNT} space-separated fields; the next one is `{}`",
                            FIELD_NAMES.get(n - 1).copied().unwrap_or("?")
                        )),
                    ));
                }
                rec.field_count = n - 1;
                return Ok(rec);
            }
            if n > 1 {
                cur.expect_space(n)?;
            }
            rec.read_field(n, &mut cur)?;
        }
        rec.field_count = CURRENT_FIELD_COUNT;
        while !cur.at_end() {
            cur.expect_space(CURRENT_FIELD_COUNT + 1)?;
            let start = cur.pos;
            let tok = cur.token();
            if tok.is_empty() {
                return Err(LogParseError {
                    field: 0,
                    column: col(line, start),
                    message: "empty field after a space".to_owned(),
                    help: Some("fields are separated by exactly one space".to_owned()),
                });
            }
            rec.extra.push(tok.to_owned());
        }
        Ok(rec)
    }

    fn read_field(&mut self, n: usize, cur: &mut Cursor<'_>) -> Result<(), LogParseError> {
        match n {
            1 => self.bucket_owner = cur.text(n)?,
            2 => self.bucket = cur.text(n)?,
            3 => self.time = cur.time(n)?,
            4 => self.remote_ip = cur.text(n)?,
            5 => self.requester = cur.text(n)?,
            6 => self.request_id = cur.text(n)?,
            7 => self.operation = cur.text(n)?,
            8 => self.key = cur.text(n)?,
            9 => self.request_uri = cur.quoted(n, true)?,
            10 => {
                self.http_status = match cur.number(n)? {
                    None => None,
                    Some(v) => Some(u16::try_from(v).map_err(|_| {
                        cur.error(n, format!("http status `{v}` is out of range"), None)
                    })?),
                }
            }
            11 => self.error_code = cur.text(n)?,
            12 => self.bytes_sent = cur.number(n)?,
            13 => self.object_size = cur.number(n)?,
            14 => self.total_time = cur.number(n)?,
            15 => self.turn_around_time = cur.number(n)?,
            16 => self.referer = cur.quoted(n, false)?,
            17 => self.user_agent = cur.quoted(n, false)?,
            18 => self.version_id = cur.text(n)?,
            19 => self.host_id = cur.text(n)?,
            20 => self.signature_version = cur.text(n)?,
            21 => self.cipher_suite = cur.text(n)?,
            22 => self.authentication_type = cur.text(n)?,
            23 => self.host_header = cur.text(n)?,
            24 => self.tls_version = cur.text(n)?,
            25 => self.access_point_arn = cur.text(n)?,
            26 => self.acl_required = cur.text(n)?,
            _ => self.source_region = cur.text(n)?,
        }
        Ok(())
    }

    /// Field `n` (1-based) as the text the log shows, without quotes or brackets; `None` for `-`.
    pub fn field_text(&self, n: usize) -> Option<String> {
        let num = |v: Option<u64>| v.map(|v| v.to_string());
        match n {
            1 => self.bucket_owner.clone(),
            2 => self.bucket.clone(),
            3 => self.time.map(|t| t.to_access_log()),
            4 => self.remote_ip.clone(),
            5 => self.requester.clone(),
            6 => self.request_id.clone(),
            7 => self.operation.clone(),
            8 => self.key.clone(),
            9 => self.request_uri.clone(),
            10 => num(self.http_status.map(u64::from)),
            11 => self.error_code.clone(),
            12 => num(self.bytes_sent),
            13 => num(self.object_size),
            14 => num(self.total_time),
            15 => num(self.turn_around_time),
            16 => self.referer.clone(),
            17 => self.user_agent.clone(),
            18 => self.version_id.clone(),
            19 => self.host_id.clone(),
            20 => self.signature_version.clone(),
            21 => self.cipher_suite.clone(),
            22 => self.authentication_type.clone(),
            23 => self.host_header.clone(),
            24 => self.tls_version.clone(),
            25 => self.access_point_arn.clone(),
            26 => self.acl_required.clone(),
            27 => self.source_region.clone(),
            _ => None,
        }
    }
}

impl fmt::Display for AccessLogRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format())
    }
}

/// Reads a whole log object: one record per non-empty line. Errors carry the 1-based line.
pub fn parse_log(body: &str) -> Result<Vec<AccessLogRecord>, (usize, LogParseError)> {
    body.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| AccessLogRecord::parse(l).map_err(|e| (i + 1, e)))
        .collect()
}

/// Writes records as a log object body: one line each, each ending in `\n`.
pub fn format_log(records: &[AccessLogRecord]) -> String {
    let mut out = String::with_capacity(records.len() * 400);
    for r in records {
        r.write_line(&mut out);
        out.push('\n');
    }
    out
}

fn push_u64(out: &mut String, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(slot) = buf.get_mut(i) {
            *slot = b'0' + u8::try_from(v % 10).unwrap_or(0);
        }
        v /= 10;
        if v == 0 || i == 0 {
            break;
        }
    }
    for &b in buf.get(i..).unwrap_or(&[]) {
        out.push(char::from(b));
    }
}

/// An unquoted field value: `None` when empty or `-`, whitespace percent-encoded.
fn unquoted(v: &str) -> Option<String> {
    if v.is_empty() || v == "-" {
        return None;
    }
    if !v.chars().any(char::is_whitespace) {
        return Some(v.to_owned());
    }
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        if c.is_whitespace() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Writes a quoted field: `None` as a bare `-`, otherwise the value between quotes, escaping
/// only what would end the field early (see the module docs).
fn quoted(out: &mut String, v: &Option<String>) {
    let Some(v) = v else {
        out.push('-');
        return;
    };
    out.push('"');
    if !v.bytes().any(|b| matches!(b, b'"' | b'\\' | b'\n' | b'\r')) {
        out.push_str(v);
        out.push('"');
        return;
    }
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '"' if matches!(next, None | Some(' ')) => out.push_str("\\\""),
            '\\' if matches!(next, None | Some('"' | '\\' | 'n' | 'r' | '\n' | '\r')) => {
                out.push_str("\\\\")
            }
            // newlines would split the record; they cannot be written raw [SIM]
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_report_the_field_name() {
        let err = AccessLogRecord::parse("owner bucket [06/Feb/2019:00:00:38 +0000] 1.2.3.4")
            .unwrap_err();
        assert_eq!(err.field, 5);
        assert!(err.message.contains("line ends after 4 fields"), "{err}");
        assert!(err.help.unwrap().contains("Requester"));
    }

    #[test]
    fn a_word_where_a_number_belongs_is_reported_with_its_column() {
        let line = r#"o b [06/Feb/2019:00:00:38 +0000] ip r id REST.GET.OBJECT k "GET / HTTP/1.1" abc - - - - - "-" "-" -"#;
        let err = AccessLogRecord::parse(line).unwrap_err();
        assert_eq!(err.field, 10);
        assert_eq!(err.column, line.find("abc").unwrap() + 1);
        assert_eq!(err.message, "expected a number or `-`, found `abc`");
    }

    #[test]
    fn keys_are_url_encoded_and_decoded() {
        assert_eq!(
            encode_key("photos/2019/my puppy.jpg"),
            "photos/2019/my%20puppy.jpg"
        );
        assert_eq!(
            decode_key("photos/2019/my%20puppy.jpg"),
            "photos/2019/my puppy.jpg"
        );
        assert_eq!(encode_key("é\"x"), "%C3%A9%22x");
        assert_eq!(decode_key("%C3%A9%22x"), "é\"x");
        assert_eq!(decode_key("100%"), "100%");
    }
}
