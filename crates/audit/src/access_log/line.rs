//! Reading one access log line: the fields in order (the 26 of the classic format, 27 with
//! `aclRequired`, at least 18), each unquoted, quoted or bracketed as S3 writes it, with where a
//! malformed line goes wrong.
//!
//! Follows "Amazon S3 server access log format"
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>).

use std::fmt;

use crate::time::Timestamp;

/// Number of fields of a record in today's format (through the 27th, the source Region).
pub const CURRENT_FIELD_COUNT: usize = 27;

/// Number of fields through `aclRequired` (the "classic" 26-field record).
pub const CLASSIC_FIELD_COUNT: usize = 26;

/// The fewest fields a line may have (through Version Id, as in the oldest documented examples).
pub const MIN_FIELD_COUNT: usize = 18;

/// The documented field names, in order (field `n` is `FIELD_NAMES[n - 1]`).
pub const FIELD_NAMES: [&str; CURRENT_FIELD_COUNT] = [
    "Bucket Owner",
    "Bucket",
    "Time",
    "Remote IP",
    "Requester",
    "Request ID",
    "Operation",
    "Key",
    "Request-URI",
    "HTTP status",
    "Error Code",
    "Bytes Sent",
    "Object Size",
    "Total Time",
    "Turn-Around Time",
    "Referer",
    "User-Agent",
    "Version Id",
    "Host Id",
    "Signature Version",
    "Cipher Suite",
    "Authentication Type",
    "Host Header",
    "TLS version",
    "Access Point ARN",
    "aclRequired",
    "Source Region",
];

/// Why a line could not be read as an access log record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogParseError {
    /// 1-based field number where reading stopped (0 when the line itself is unusable).
    pub field: usize,
    /// 1-based column (in characters) where the bad value starts.
    pub column: usize,
    /// What went wrong, lowercase.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl fmt::Display for LogParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.column)?;
        if let Some(name) = self.field.checked_sub(1).and_then(|i| FIELD_NAMES.get(i)) {
            write!(f, " (field {}, {name})", self.field)?;
        }
        Ok(())
    }
}

impl std::error::Error for LogParseError {}

pub(super) fn col(line: &str, byte: usize) -> usize {
    line.get(..byte).map_or(byte, |s| s.chars().count()) + 1
}

/// A position in the line being read.
pub(super) struct Cursor<'a> {
    /// The line.
    pub(super) line: &'a str,
    /// The byte offset of the next field.
    pub(super) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(super) fn at_end(&self) -> bool {
        self.pos >= self.line.len()
    }

    pub(super) fn rest(&self) -> &'a str {
        self.line.get(self.pos..).unwrap_or("")
    }

    pub(super) fn error(
        &self,
        field: usize,
        message: String,
        help: Option<String>,
    ) -> LogParseError {
        LogParseError {
            field,
            column: col(self.line, self.pos),
            message,
            help,
        }
    }

    pub(super) fn expect_space(&mut self, n: usize) -> Result<(), LogParseError> {
        if self.rest().starts_with(' ') {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(
                n,
                "expected a space between fields".to_owned(),
                Some("fields are separated by exactly one space".to_owned()),
            ))
        }
    }

    pub(super) fn token(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest.find(' ').unwrap_or(rest.len());
        let tok = rest.get(..len).unwrap_or("");
        self.pos += len;
        tok
    }

    pub(super) fn text(&mut self, n: usize) -> Result<Option<String>, LogParseError> {
        let start = self.pos;
        let tok = self.token();
        match tok {
            "" => {
                self.pos = start;
                Err(self.error(
                    n,
                    "empty field".to_owned(),
                    Some(
                        "write `-` for a missing value; fields are separated by exactly one space"
                            .to_owned(),
                    ),
                ))
            }
            "-" => Ok(None),
            t => Ok(Some(t.to_owned())),
        }
    }

    pub(super) fn number(&mut self, n: usize) -> Result<Option<u64>, LogParseError> {
        let start = self.pos;
        match self.text(n)? {
            None => Ok(None),
            Some(t) => t.parse::<u64>().map(Some).map_err(|_| {
                self.pos = start;
                self.error(
                    n,
                    format!("expected a number or `-`, found `{t}`"),
                    Some(format!(
                        "field {n} ({}) is a whole number",
                        FIELD_NAMES.get(n - 1).copied().unwrap_or("?")
                    )),
                )
            }),
        }
    }

    pub(super) fn time(&mut self, n: usize) -> Result<Option<Timestamp>, LogParseError> {
        let start = self.pos;
        let rest = self.rest();
        if rest.starts_with('-') && matches!(rest.as_bytes().get(1), None | Some(b' ')) {
            self.pos += 1;
            return Ok(None);
        }
        let bad = |c: &Self, found: &str| {
            c.error(
                n,
                format!("expected a time like `[06/Feb/2019:00:00:38 +0000]`, found `{found}`"),
                Some("the time is `[%d/%b/%Y:%H:%M:%S %z]` in brackets".to_owned()),
            )
        };
        if !rest.starts_with('[') {
            let tok = self.token();
            self.pos = start;
            return Err(bad(self, tok));
        }
        let Some(end) = rest.find(']') else {
            return Err(bad(self, rest));
        };
        let inner = rest.get(..=end).unwrap_or(rest);
        match Timestamp::parse_access_log(inner) {
            Ok(t) => {
                self.pos += end + 1;
                Ok(Some(t))
            }
            Err(_) => Err(bad(self, inner)),
        }
    }

    /// A quoted field. A closing quote is an unescaped `"` followed by a space or the end of the
    /// line. For the Request-URI (`status_follows`), when no HTTP status follows the first such
    /// quote, a later one that ends a whole request line and is followed by a status is taken, so
    /// a raw `"` inside the request line (seen in real logs) still reads.
    pub(super) fn quoted(
        &mut self,
        n: usize,
        status_follows: bool,
    ) -> Result<Option<String>, LogParseError> {
        let rest = self.rest();
        if rest.starts_with('-') && matches!(rest.as_bytes().get(1), None | Some(b' ')) {
            self.pos += 1;
            return Ok(None);
        }
        if !rest.starts_with('"') {
            let tok = rest.split(' ').next().unwrap_or("");
            return Err(self.error(
                n,
                format!("expected a quoted value or `-`, found `{tok}`"),
                Some(format!(
                    "field {n} ({}) is written in double quotes",
                    FIELD_NAMES.get(n - 1).copied().unwrap_or("?")
                )),
            ));
        }
        // fast path: no escapes and no inner quote before the first `"` + space / end
        let body = rest.get(1..).unwrap_or("");
        if let Some(q) = body.find('"') {
            let inner = body.get(..q).unwrap_or("");
            let after = body.get(q + 1..).unwrap_or("");
            if !inner.contains('\\')
                && (after.is_empty() || after.starts_with(' '))
                && (!status_follows || looks_like_status(after))
            {
                self.pos += q + 2;
                return Ok(Some(inner.to_owned()));
            }
        }
        let mut value = String::new();
        let mut chars = rest.char_indices().skip(1).peekable();
        let mut first_candidate: Option<(String, usize)> = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.peek().map(|&(_, c)| c) {
                    Some('"') => {
                        value.push('"');
                        chars.next();
                    }
                    Some('\\') => {
                        value.push('\\');
                        chars.next();
                    }
                    Some('n') => {
                        value.push('\n');
                        chars.next();
                    }
                    Some('r') => {
                        value.push('\r');
                        chars.next();
                    }
                    _ => value.push('\\'),
                },
                '"' => {
                    let after = rest.get(i + 1..).unwrap_or("");
                    if after.is_empty() || after.starts_with(' ') {
                        let end = i + 1;
                        // the first closing quote wins unless a status fails to follow it; then
                        // a later one that closes a whole request line (`… HTTP/1.1`) does
                        let accept = match &first_candidate {
                            None => !status_follows || looks_like_status(after),
                            Some(_) => looks_like_status(after) && ends_with_http_version(&value),
                        };
                        if accept {
                            self.pos += end;
                            return Ok(Some(value));
                        }
                        if first_candidate.is_none() {
                            first_candidate = Some((value.clone(), end));
                        }
                    }
                    value.push('"');
                }
                c => value.push(c),
            }
        }
        if let Some((value, end)) = first_candidate {
            self.pos += end;
            return Ok(Some(value));
        }
        Err(self.error(
            n,
            "unterminated quoted value".to_owned(),
            Some("a quoted field ends with `\"` followed by a space".to_owned()),
        ))
    }
}

pub(super) fn ends_with_http_version(value: &str) -> bool {
    value.rsplit_once(" HTTP/").is_some_and(|(_, v)| {
        let mut parts = v.split('.');
        let digits = |p: Option<&str>| {
            p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        };
        digits(parts.next()) && (v.len() == 1 || digits(parts.next())) && parts.next().is_none()
    })
}

pub(super) fn looks_like_status(after: &str) -> bool {
    let tok = after
        .strip_prefix(' ')
        .unwrap_or(after)
        .split(' ')
        .next()
        .unwrap_or("");
    tok == "-" || (!tok.is_empty() && tok.bytes().all(|b| b.is_ascii_digit()))
}
