//! A small SQL-like query language over access log records and CloudTrail records, in the
//! spirit of querying logs with Athena or S3 Select (S3 UG "Using Amazon S3 server access logs to
//! identify requests", <https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-s3-access-logs-to-identify-requests.html>).
//!
//! ```text
//! query     := [SELECT projection [FROM name]] [WHERE] [condition] [GROUP BY field]
//!              [ORDER BY field [ASC|DESC]] [LIMIT n]
//! projection:= * | COUNT(*) | field , COUNT(*)          (the last needs GROUP BY field)
//! condition := term {OR term}
//! term      := factor {AND factor}
//! factor    := NOT factor | ( condition ) | comparison
//! comparison:= field op value | field [NOT] LIKE 'pattern' | field [NOT] IN (value, …)
//!            | field IS [NOT] NULL
//! op        := = | != | <> | < | <= | > | >=
//! value     := 'text' ('' inside is a quote) | number | bare-word (REST.PUT.OBJECT, AccessDenied)
//! ```
//!
//! Keywords and field names are case-insensitive; text comparisons are case-sensitive; `LIKE`
//! takes `%` (any run) and `_` (one character). A missing value (`-` in a log line) makes a
//! comparison unknown, as in SQL: it matches neither `key like 'a%'` nor `key not like 'a%'`,
//! only `key is null`. Times are written `'2019-02-06T00:00:38Z'` (or a date,
//! or the log's `[06/Feb/2019:00:00:38 +0000]` form). Fields: see [`FIELDS`].

use std::fmt;

use crate::access_log::AccessLogRecord;
use crate::cloudtrail::CloudTrailRecord;
use crate::time::Timestamp;

/// The kind of values a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Text.
    Text,
    /// A whole number.
    Number,
    /// A UTC time.
    Time,
}

/// A field the language knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Access log Operation / CloudTrail `eventName`.
    Operation,
    /// Access log Requester / CloudTrail `userIdentity.arn` (`-` / absent when anonymous).
    Requester,
    /// HTTP status (access logs only).
    Status,
    /// Error code.
    ErrorCode,
    /// Object key (as the record shows it).
    Key,
    /// Bucket.
    Bucket,
    /// Request time.
    Time,
    /// Client address.
    RemoteIp,
    /// Request id.
    RequestId,
    /// User agent.
    UserAgent,
    /// Version id (access logs).
    VersionId,
    /// `SigV4` / `SigV2` (access logs).
    SignatureVersion,
    /// `AuthHeader` / `QueryString` (access logs).
    AuthType,
    /// TLS version (access logs).
    TlsVersion,
    /// Bytes sent (access logs).
    BytesSent,
    /// Object size (access logs).
    ObjectSize,
    /// Region (access log field 27 / CloudTrail `awsRegion`).
    Region,
    /// Account of the caller (CloudTrail `userIdentity.accountId`).
    Account,
    /// The account that receives this copy of the event (CloudTrail `recipientAccountId`): a
    /// cross-account request is delivered to the caller's and to the bucket owner's account.
    Recipient,
    /// `Management` / `Data` (CloudTrail).
    Category,
    /// `true` / `false` (CloudTrail `readOnly`).
    ReadOnly,
}

/// Every field with its accepted names (the first is the canonical one) and kind.
pub const FIELDS: &[(Field, &[&str], FieldKind)] = &[
    (
        Field::Operation,
        &["operation", "eventname", "event_name", "op"],
        FieldKind::Text,
    ),
    (
        Field::Requester,
        &["requester", "principal", "arn", "useridentity.arn"],
        FieldKind::Text,
    ),
    (
        Field::Status,
        &["status", "http_status", "httpstatus"],
        FieldKind::Number,
    ),
    (
        Field::ErrorCode,
        &["error_code", "errorcode", "error"],
        FieldKind::Text,
    ),
    (Field::Key, &["key"], FieldKind::Text),
    (Field::Bucket, &["bucket", "bucketname"], FieldKind::Text),
    (
        Field::Time,
        &["time", "eventtime", "event_time"],
        FieldKind::Time,
    ),
    (
        Field::RemoteIp,
        &["remote_ip", "ip", "sourceipaddress", "source_ip"],
        FieldKind::Text,
    ),
    (
        Field::RequestId,
        &["request_id", "requestid"],
        FieldKind::Text,
    ),
    (
        Field::UserAgent,
        &["user_agent", "useragent"],
        FieldKind::Text,
    ),
    (
        Field::VersionId,
        &["version_id", "versionid"],
        FieldKind::Text,
    ),
    (
        Field::SignatureVersion,
        &["signature_version", "signatureversion"],
        FieldKind::Text,
    ),
    (
        Field::AuthType,
        &["auth_type", "authentication_type", "authenticationmethod"],
        FieldKind::Text,
    ),
    (
        Field::TlsVersion,
        &["tls_version", "tlsversion"],
        FieldKind::Text,
    ),
    (
        Field::BytesSent,
        &["bytes_sent", "bytessent"],
        FieldKind::Number,
    ),
    (
        Field::ObjectSize,
        &["object_size", "objectsize"],
        FieldKind::Number,
    ),
    (Field::Region, &["region", "awsregion"], FieldKind::Text),
    (Field::Account, &["account", "accountid"], FieldKind::Text),
    (
        Field::Recipient,
        &["recipient", "recipientaccountid", "recipient_account"],
        FieldKind::Text,
    ),
    (
        Field::Category,
        &["category", "eventcategory"],
        FieldKind::Text,
    ),
    (Field::ReadOnly, &["readonly", "read_only"], FieldKind::Text),
];

impl Field {
    /// Looks a field up by any of its names (case-insensitive).
    pub fn from_name(name: &str) -> Option<Field> {
        let lower = name.to_ascii_lowercase();
        FIELDS
            .iter()
            .find(|(_, names, _)| names.contains(&lower.as_str()))
            .map(|(f, _, _)| *f)
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        FIELDS
            .iter()
            .find(|(f, _, _)| *f == self)
            .and_then(|(_, n, _)| n.first())
            .copied()
            .unwrap_or("?")
    }

    /// What the field holds.
    pub fn kind(self) -> FieldKind {
        FIELDS
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or(FieldKind::Text, |(_, _, k)| *k)
    }
}

/// One value of a record's field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue<'a> {
    /// Text.
    Text(std::borrow::Cow<'a, str>),
    /// A whole number.
    Number(u64),
    /// A time.
    Time(Timestamp),
}

/// A record the language can query.
pub trait Queryable {
    /// The value of `field`, or `None` when the record has none (`-`).
    fn field(&self, field: Field) -> Option<FieldValue<'_>>;
}

fn text(v: &Option<String>) -> Option<FieldValue<'_>> {
    v.as_deref().map(|s| FieldValue::Text(s.into()))
}

impl Queryable for AccessLogRecord {
    fn field(&self, field: Field) -> Option<FieldValue<'_>> {
        match field {
            Field::Operation => text(&self.operation),
            Field::Requester => text(&self.requester),
            Field::Status => self.http_status.map(|s| FieldValue::Number(u64::from(s))),
            Field::ErrorCode => text(&self.error_code),
            Field::Key => text(&self.key),
            Field::Bucket => text(&self.bucket),
            Field::Time => self.time.map(FieldValue::Time),
            Field::RemoteIp => text(&self.remote_ip),
            Field::RequestId => text(&self.request_id),
            Field::UserAgent => self.user_agent_header().map(|s| FieldValue::Text(s.into())),
            Field::VersionId => text(&self.version_id),
            Field::SignatureVersion => text(&self.signature_version),
            Field::AuthType => text(&self.authentication_type),
            Field::TlsVersion => text(&self.tls_version),
            Field::BytesSent => self.bytes_sent.map(FieldValue::Number),
            Field::ObjectSize => self.object_size.map(FieldValue::Number),
            Field::Region => text(&self.source_region),
            Field::Account | Field::Recipient | Field::Category | Field::ReadOnly => None,
        }
    }
}

impl Queryable for CloudTrailRecord {
    fn field(&self, field: Field) -> Option<FieldValue<'_>> {
        match field {
            Field::Operation => Some(FieldValue::Text(self.event_name.as_str().into())),
            Field::Requester => text(&self.principal_arn),
            Field::ErrorCode => text(&self.error_code),
            Field::Key => text(&self.key),
            Field::Bucket => text(&self.bucket),
            Field::Time => Some(FieldValue::Time(self.event_time)),
            Field::RemoteIp => text(&self.source_ip),
            Field::RequestId => Some(FieldValue::Text(self.request_id.as_str().into())),
            Field::UserAgent => text(&self.user_agent),
            Field::Region => Some(FieldValue::Text(self.aws_region.as_str().into())),
            Field::Account => Some(FieldValue::Text(self.principal_account.as_str().into())),
            Field::Recipient => Some(FieldValue::Text(self.recipient_account_id.as_str().into())),
            Field::Category => Some(FieldValue::Text(self.event_category.as_str().into())),
            Field::ReadOnly => Some(FieldValue::Text(
                if self.read_only { "true" } else { "false" }.into(),
            )),
            Field::Status
            | Field::VersionId
            | Field::SignatureVersion
            | Field::AuthType
            | Field::TlsVersion
            | Field::BytesSent
            | Field::ObjectSize => None,
        }
    }
}

/// A query that does not parse: where, what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based column (in characters) of the offending text.
    pub column: usize,
    /// What went wrong, lowercase, the user's text in backticks.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (column {})", self.message, self.column)
    }
}

impl std::error::Error for QueryError {}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `=`
    Eq,
    /// `!=` or `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A literal, already converted to its field's kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Literal {
    /// Text.
    Text(String),
    /// A number.
    Number(u64),
    /// A time.
    Time(Timestamp),
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// Matches everything (an empty `WHERE`).
    True,
    /// Both.
    And(Box<Expr>, Box<Expr>),
    /// Either.
    Or(Box<Expr>, Box<Expr>),
    /// Not.
    Not(Box<Expr>),
    /// `field op value`.
    Compare(Field, CompareOp, Literal),
    /// `field LIKE 'pattern'`.
    Like(Field, String),
    /// `field IN (…)`.
    In(Field, Vec<Literal>),
    /// `field IS NULL`.
    IsNull(Field),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// What the query returns.
    pub projection: Projection,
    /// The condition.
    pub condition: Expr,
    /// `ORDER BY field [ASC|DESC]` for rows: the field and whether descending.
    pub order_by: Option<(Field, bool)>,
    /// `LIMIT n` (rows, or groups).
    pub limit: Option<usize>,
}

/// What a query returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Projection {
    /// `SELECT *` (or no `SELECT`): the matching records.
    Rows,
    /// `SELECT COUNT(*)`: how many records match.
    Count,
    /// `SELECT field, COUNT(*) … GROUP BY field`: how many match per value, most first.
    CountBy(Field),
}

/// The answer to [`Query::run`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryOutput<'r, R> {
    /// The matching records, in order.
    Rows(Vec<&'r R>),
    /// How many records match.
    Count(usize),
    /// `(value, count)` per value of the grouped field (`None` for `-`), most frequent first,
    /// ties by value.
    Groups(Vec<(Option<String>, usize)>),
}

/// The one-line help shown with query errors.
pub const QUERY_HELP: &str =
    "write e.g. `operation = REST.PUT.OBJECT and status >= 400 and key like 'logs/%'`";

impl Query {
    /// Parses a query.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        let tokens = lex(text)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            text,
        };
        p.query()
    }

    /// Whether one record matches the condition.
    pub fn matches<R: Queryable>(&self, record: &R) -> bool {
        eval(&self.condition, record) == Some(true)
    }

    /// Runs the query: rows, a count, or counts per value, as the projection asks.
    pub fn run<'r, R: Queryable>(&self, records: &'r [R]) -> QueryOutput<'r, R> {
        match self.projection {
            Projection::Rows => QueryOutput::Rows(self.filter(records)),
            Projection::Count => {
                QueryOutput::Count(records.iter().filter(|r| self.matches(*r)).count())
            }
            Projection::CountBy(field) => {
                let mut groups: std::collections::BTreeMap<Option<String>, usize> =
                    std::collections::BTreeMap::new();
                for r in records.iter().filter(|r| self.matches(*r)) {
                    *groups
                        .entry(r.field(field).map(|v| value_text(&v)))
                        .or_default() += 1;
                }
                let mut out: Vec<(Option<String>, usize)> = groups.into_iter().collect();
                // most frequent first; BTreeMap order breaks ties by value
                out.sort_by_key(|g| std::cmp::Reverse(g.1));
                out.truncate(self.limit.unwrap_or(usize::MAX));
                QueryOutput::Groups(out)
            }
        }
    }

    /// The matching records, in record order or `ORDER BY` order, at most `limit`. Sorting is
    /// stable; missing values sort first ascending, last descending (as SQL's `NULLS FIRST`
    /// default for ascending order).
    pub fn filter<'r, R: Queryable>(&self, records: &'r [R]) -> Vec<&'r R> {
        let limit = self.limit.unwrap_or(usize::MAX);
        let Some((field, descending)) = self.order_by else {
            return records
                .iter()
                .filter(|r| self.matches(*r))
                .take(limit)
                .collect();
        };
        let mut rows: Vec<&R> = records.iter().filter(|r| self.matches(*r)).collect();
        rows.sort_by(|a, b| {
            let ord = order_values(a.field(field), b.field(field));
            if descending { ord.reverse() } else { ord }
        });
        rows.truncate(limit);
        rows
    }
}

/// SQL's three-valued logic: `None` is "unknown" (a comparison with a missing value).
fn eval<R: Queryable>(e: &Expr, r: &R) -> Option<bool> {
    match e {
        Expr::True => Some(true),
        Expr::And(a, b) => match (eval(a, r), eval(b, r)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Expr::Or(a, b) => match (eval(a, r), eval(b, r)) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        Expr::Not(a) => eval(a, r).map(|b| !b),
        Expr::IsNull(f) => Some(r.field(*f).is_none()),
        Expr::Compare(f, op, lit) => r.field(*f).map(|v| compare(&v, *op, lit)),
        Expr::Like(f, pat) => r.field(*f).map(|v| match v {
            FieldValue::Text(t) => like(pat.as_bytes(), t.as_bytes()),
            FieldValue::Number(n) => like(pat.as_bytes(), n.to_string().as_bytes()),
            FieldValue::Time(t) => like(pat.as_bytes(), t.to_iso8601().as_bytes()),
        }),
        Expr::In(f, lits) => r
            .field(*f)
            .map(|v| lits.iter().any(|l| compare(&v, CompareOp::Eq, l))),
    }
}

fn order_values(a: Option<FieldValue<'_>>, b: Option<FieldValue<'_>>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(FieldValue::Number(x)), Some(FieldValue::Number(y))) => x.cmp(&y),
        (Some(FieldValue::Time(x)), Some(FieldValue::Time(y))) => x.cmp(&y),
        (Some(x), Some(y)) => value_text(&x).cmp(&value_text(&y)),
    }
}

fn value_text(v: &FieldValue<'_>) -> String {
    match v {
        FieldValue::Text(t) => t.to_string(),
        FieldValue::Number(n) => n.to_string(),
        FieldValue::Time(t) => t.to_iso8601(),
    }
}

fn compare(v: &FieldValue<'_>, op: CompareOp, lit: &Literal) -> bool {
    let ord = match (v, lit) {
        (FieldValue::Text(a), Literal::Text(b)) => a.as_ref().cmp(b.as_str()),
        (FieldValue::Number(a), Literal::Number(b)) => a.cmp(b),
        (FieldValue::Time(a), Literal::Time(b)) => a.cmp(b),
        _ => return false,
    };
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        CompareOp::Eq => ord == Equal,
        CompareOp::Ne => ord != Equal,
        CompareOp::Lt => ord == Less,
        CompareOp::Le => ord != Greater,
        CompareOp::Gt => ord == Greater,
        CompareOp::Ge => ord != Less,
    }
}

/// SQL `LIKE` on bytes: `%` any run, `_` one byte (multi-byte characters match `_` only
/// byte-wise; patterns are usually ASCII). Iterative with one backtrack point: linear-ish.
fn like(pat: &[u8], s: &[u8]) -> bool {
    let (mut p, mut i) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        match pat.get(p) {
            Some(b'%') => {
                star = Some((p, i));
                p += 1;
            }
            Some(&c) if c == b'_' || Some(&c) == s.get(i) => {
                p += 1;
                i += 1;
            }
            _ => match star {
                Some((sp, si)) => {
                    p = sp + 1;
                    i = si + 1;
                    star = Some((sp, si + 1));
                }
                None => return false,
            },
        }
    }
    pat.get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'%'))
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Num(u64),
    Op(CompareOp),
    LParen,
    RParen,
    Comma,
    Star,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// byte offset in the query text
    at: usize,
    /// the text as typed
    raw: String,
}

fn column(text: &str, at: usize) -> usize {
    text.get(..at).map_or(at, |s| s.chars().count()) + 1
}

fn err(text: &str, at: usize, message: String, help: Option<String>) -> QueryError {
    QueryError {
        column: column(text, at),
        message,
        help,
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b':' | b'/' | b'*' | b'+' | b'@')
}

fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let simple = |tok: Tok, len: usize| Token {
            tok,
            at: start,
            raw: text.get(start..start + len).unwrap_or("").to_owned(),
        };
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'(' => {
                out.push(simple(Tok::LParen, 1));
                i += 1;
            }
            b')' => {
                out.push(simple(Tok::RParen, 1));
                i += 1;
            }
            b',' => {
                out.push(simple(Tok::Comma, 1));
                i += 1;
            }
            b'=' => {
                let len = if bytes.get(i + 1) == Some(&b'=') {
                    2
                } else {
                    1
                };
                out.push(simple(Tok::Op(CompareOp::Eq), len));
                i += len;
            }
            b'!' if bytes.get(i + 1) == Some(&b'=') => {
                out.push(simple(Tok::Op(CompareOp::Ne), 2));
                i += 2;
            }
            b'<' => {
                let (op, len) = match bytes.get(i + 1) {
                    Some(b'=') => (CompareOp::Le, 2),
                    Some(b'>') => (CompareOp::Ne, 2),
                    _ => (CompareOp::Lt, 1),
                };
                out.push(simple(Tok::Op(op), len));
                i += len;
            }
            b'>' => {
                let (op, len) = if bytes.get(i + 1) == Some(&b'=') {
                    (CompareOp::Ge, 2)
                } else {
                    (CompareOp::Gt, 1)
                };
                out.push(simple(Tok::Op(op), len));
                i += len;
            }
            b'\'' | b'"' => {
                let quote = b;
                let mut value = String::new();
                let mut j = i + 1;
                loop {
                    match bytes.get(j) {
                        None => {
                            return Err(err(
                                text,
                                start,
                                format!(
                                    "unterminated string starting with `{}`",
                                    text.get(start..)
                                        .unwrap_or("")
                                        .chars()
                                        .take(20)
                                        .collect::<String>()
                                ),
                                Some(format!(
                                    "close it with `{}`; write `''` for a quote inside",
                                    char::from(quote)
                                )),
                            ));
                        }
                        Some(&c) if c == quote => {
                            if bytes.get(j + 1) == Some(&quote) {
                                value.push(char::from(quote));
                                j += 2;
                            } else {
                                j += 1;
                                break;
                            }
                        }
                        Some(_) => {
                            // push the whole UTF-8 character
                            let ch = text.get(j..).and_then(|s| s.chars().next()).unwrap_or('?');
                            value.push(ch);
                            j += ch.len_utf8();
                        }
                    }
                }
                out.push(Token {
                    tok: Tok::Str(value),
                    at: start,
                    raw: text.get(start..j).unwrap_or("").to_owned(),
                });
                i = j;
            }
            b'[' => {
                // the access log's own time form, e.g. [06/Feb/2019:00:00:38 +0000]
                let Some(end) = text.get(i..).and_then(|s| s.find(']')) else {
                    return Err(err(
                        text,
                        start,
                        "unterminated `[`".to_owned(),
                        Some("a time in brackets ends with `]`".to_owned()),
                    ));
                };
                let raw = text.get(i..=i + end).unwrap_or("").to_owned();
                out.push(Token {
                    tok: Tok::Str(raw.clone()),
                    at: start,
                    raw,
                });
                i += end + 1;
            }
            b if is_word_byte(b) => {
                let mut j = i;
                while bytes.get(j).is_some_and(|&c| is_word_byte(c)) {
                    j += 1;
                }
                let raw = text.get(i..j).unwrap_or("").to_owned();
                let tok = if raw == "*" {
                    Tok::Star
                } else if raw.bytes().all(|c| c.is_ascii_digit()) {
                    match raw.parse::<u64>() {
                        Ok(n) => Tok::Num(n),
                        Err(_) => {
                            return Err(err(
                                text,
                                start,
                                format!("number `{raw}` is too large"),
                                None,
                            ));
                        }
                    }
                } else {
                    Tok::Word(raw.clone())
                };
                out.push(Token {
                    tok,
                    at: start,
                    raw,
                });
                i = j;
            }
            _ => {
                let ch = text.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
                return Err(err(
                    text,
                    start,
                    format!("unexpected character `{ch}`"),
                    Some(
                        "put text values in single quotes, e.g. `user_agent like '%curl%'`"
                            .to_owned(),
                    ),
                ));
            }
        }
    }
    Ok(out)
}

struct Parser<'t> {
    tokens: Vec<Token>,
    pos: usize,
    text: &'t str,
}

fn is_kw(tok: &Token, kw: &str) -> bool {
    matches!(&tok.tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
}

const RESERVED: &[&str] = &[
    "and", "or", "not", "like", "in", "is", "null", "select", "from", "where", "limit", "group",
    "by", "count", "order", "asc", "desc",
];

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_kw(&self, kw: &str) -> bool {
        self.peek().is_some_and(|t| is_kw(t, kw))
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        if self.peek_kw(kw) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn end_at(&self) -> usize {
        self.text.trim_end().len()
    }

    fn error_here(&self, message: String, help: Option<String>) -> QueryError {
        let at = self.peek().map_or(self.end_at(), |t| t.at);
        err(self.text, at, message, help)
    }

    fn found(&self) -> String {
        self.peek().map_or_else(
            || "the end of the query".to_owned(),
            |t| format!("`{}`", t.raw),
        )
    }

    fn query(&mut self) -> Result<Query, QueryError> {
        let mut projection = Projection::Rows;
        let mut select_field: Option<(Field, usize)> = None;
        if self.eat_kw("select") {
            projection = self.projection(&mut select_field)?;
            if self.eat_kw("from") {
                match self.peek() {
                    Some(Token {
                        tok: Tok::Word(_) | Tok::Str(_),
                        ..
                    }) => self.pos += 1,
                    _ => {
                        return Err(self.error_here(
                            format!("expected a table name after `from`, found {}", self.found()),
                            Some(
                                "the table name is ignored; the query runs over the records shown"
                                    .to_owned(),
                            ),
                        ));
                    }
                }
            }
        }
        let had_where = self.eat_kw("where");
        let condition = if self.peek().is_none()
            || self.peek_kw("limit")
            || self.peek_kw("group")
            || self.peek_kw("order")
        {
            if had_where {
                return Err(self.error_here(
                    "expected a condition after `where`".to_owned(),
                    Some(QUERY_HELP.to_owned()),
                ));
            }
            Expr::True
        } else {
            self.or()?
        };
        if self.peek_kw("group") {
            let at = self.peek().map_or(0, |t| t.at);
            self.pos += 1;
            if !self.eat_kw("by") {
                return Err(self.error_here(
                    format!("expected `by` after `group`, found {}", self.found()),
                    None,
                ));
            }
            let group = self.field()?;
            match select_field {
                Some((f, _)) if f == group => {}
                Some((f, _)) => {
                    return Err(err(
                        self.text,
                        at,
                        format!(
                            "`group by {}` does not match `select {}, count(*)`",
                            group.name(),
                            f.name()
                        ),
                        Some(format!(
                            "group by the field you select: `group by {}`",
                            f.name()
                        )),
                    ));
                }
                None => {
                    return Err(err(
                        self.text,
                        at,
                        format!(
                            "`group by {}` needs `select {}, count(*)`",
                            group.name(),
                            group.name()
                        ),
                        Some(format!(
                            "e.g. `select {0}, count(*) where status >= 400 group by {0}`",
                            group.name()
                        )),
                    ));
                }
            }
        } else if let Some((f, at)) = select_field {
            return Err(err(
                self.text,
                at,
                format!("`select {0}, count(*)` needs `group by {0}`", f.name()),
                Some(format!("add `group by {}` after the condition", f.name())),
            ));
        }
        let order_by = if self.peek_kw("order") {
            let at = self.peek().map_or(0, |t| t.at);
            self.pos += 1;
            if !self.eat_kw("by") {
                return Err(self.error_here(
                    format!("expected `by` after `order`, found {}", self.found()),
                    None,
                ));
            }
            let field = self.field()?;
            let descending = if self.eat_kw("desc") {
                true
            } else {
                self.eat_kw("asc");
                false
            };
            if projection != Projection::Rows {
                return Err(err(
                    self.text,
                    at,
                    "`order by` sorts records; counts are already ordered, most first".to_owned(),
                    Some("use `order by` with `select *`".to_owned()),
                ));
            }
            Some((field, descending))
        } else {
            None
        };
        let limit = if self.eat_kw("limit") {
            match self.peek() {
                Some(Token {
                    tok: Tok::Num(n), ..
                }) => {
                    let n = usize::try_from(*n).unwrap_or(usize::MAX);
                    self.pos += 1;
                    Some(n)
                }
                _ => {
                    return Err(self.error_here(
                        format!("expected a number after `limit`, found {}", self.found()),
                        None,
                    ));
                }
            }
        } else {
            None
        };
        if let Some(t) = self.peek() {
            let help = if matches!(t.tok, Tok::Word(_) | Tok::Str(_) | Tok::Num(_)) {
                Some("join conditions with `and` or `or`".to_owned())
            } else {
                Some(QUERY_HELP.to_owned())
            };
            return Err(err(
                self.text,
                t.at,
                format!("unexpected `{}`", t.raw),
                help,
            ));
        }
        Ok(Query {
            projection,
            condition,
            order_by,
            limit,
        })
    }

    /// After `select`: `*`, `count(*)`, or `field, count(*)`.
    fn projection(
        &mut self,
        select_field: &mut Option<(Field, usize)>,
    ) -> Result<Projection, QueryError> {
        let shapes = "a query selects `*` (records), `count(*)` (how many) or `FIELD, count(*)` with `group by FIELD` (how many per value)";
        if let Some(Token { tok: Tok::Star, .. }) = self.peek() {
            self.pos += 1;
            return Ok(Projection::Rows);
        }
        if self.peek_kw("count") {
            self.count_star()?;
            return Ok(Projection::Count);
        }
        let at = self.peek().map_or(self.end_at(), |t| t.at);
        let field = match self.peek() {
            Some(Token {
                tok: Tok::Word(w), ..
            }) if !RESERVED.contains(&w.to_ascii_lowercase().as_str()) => self.field()?,
            _ => {
                return Err(self.error_here(
                    format!(
                        "expected `*` or `count(*)` after `select`, found {}",
                        self.found()
                    ),
                    Some(shapes.to_owned()),
                ));
            }
        };
        if !matches!(
            self.peek(),
            Some(Token {
                tok: Tok::Comma,
                ..
            })
        ) {
            return Err(self.error_here(
                format!(
                    "expected `, count(*)` after `select {}`, found {}",
                    field.name(),
                    self.found()
                ),
                Some(shapes.to_owned()),
            ));
        }
        self.pos += 1;
        if !self.peek_kw("count") {
            return Err(self.error_here(
                format!(
                    "expected `count(*)` after `select {},`, found {}",
                    field.name(),
                    self.found()
                ),
                Some(shapes.to_owned()),
            ));
        }
        self.count_star()?;
        *select_field = Some((field, at));
        Ok(Projection::CountBy(field))
    }

    /// `count ( * )`, the `count` keyword being next.
    fn count_star(&mut self) -> Result<(), QueryError> {
        self.pos += 1;
        for (want, shown) in [(Tok::LParen, "("), (Tok::Star, "*"), (Tok::RParen, ")")] {
            match self.peek() {
                Some(t) if t.tok == want => self.pos += 1,
                _ => {
                    return Err(self.error_here(
                        format!("expected `{shown}` in `count(*)`, found {}", self.found()),
                        Some("only `count(*)` is supported".to_owned()),
                    ));
                }
            }
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.and()?;
        while self.eat_kw("or") {
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.factor()?;
        while self.eat_kw("and") {
            let right = self.factor()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, QueryError> {
        if self.eat_kw("not") {
            return Ok(Expr::Not(Box::new(self.factor()?)));
        }
        if let Some(Token {
            tok: Tok::LParen,
            at,
            ..
        }) = self.peek()
        {
            let open = *at;
            self.pos += 1;
            let inner = self.or()?;
            return match self.peek() {
                Some(Token {
                    tok: Tok::RParen, ..
                }) => {
                    self.pos += 1;
                    Ok(inner)
                }
                _ => Err(self.error_here(
                    format!(
                        "expected `)` to close the `(` at column {}, found {}",
                        column(self.text, open),
                        self.found()
                    ),
                    None,
                )),
            };
        }
        self.comparison()
    }

    fn field(&mut self) -> Result<Field, QueryError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.error_here(
                "expected a field name, found the end of the query".to_owned(),
                Some(QUERY_HELP.to_owned()),
            ));
        };
        let Tok::Word(name) = &tok.tok else {
            return Err(self.error_here(
                format!("expected a field name, found `{}`", tok.raw),
                Some(field_list_help()),
            ));
        };
        if RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(self.error_here(
                format!("expected a field name, found the keyword `{name}`"),
                Some(QUERY_HELP.to_owned()),
            ));
        }
        match Field::from_name(name) {
            Some(f) => {
                self.pos += 1;
                Ok(f)
            }
            None => {
                let help = match suggest(name) {
                    Some(s) => format!("did you mean `{s}`? {}", field_list_help()),
                    None => field_list_help(),
                };
                Err(self.error_here(format!("unknown field `{name}`"), Some(help)))
            }
        }
    }

    fn comparison(&mut self) -> Result<Expr, QueryError> {
        let field = self.field()?;
        let negate = self.eat_kw("not");
        if self.eat_kw("like") {
            let pat = match self.peek().cloned() {
                Some(Token {
                    tok: Tok::Str(s), ..
                })
                | Some(Token {
                    tok: Tok::Word(s), ..
                }) => {
                    self.pos += 1;
                    s
                }
                _ => {
                    return Err(self.error_here(
                        format!(
                            "expected a pattern in quotes after `like`, found {}",
                            self.found()
                        ),
                        Some(
                            "e.g. `key like 'logs/%'` (`%` any run, `_` one character)".to_owned(),
                        ),
                    ));
                }
            };
            let e = Expr::Like(field, pat);
            return Ok(if negate { Expr::Not(Box::new(e)) } else { e });
        }
        if self.eat_kw("in") {
            let open_ok = matches!(
                self.peek(),
                Some(Token {
                    tok: Tok::LParen,
                    ..
                })
            );
            if !open_ok {
                return Err(self.error_here(
                    format!("expected `(` after `in`, found {}", self.found()),
                    Some("e.g. `status in (403, 404)`".to_owned()),
                ));
            }
            self.pos += 1;
            let mut values = vec![self.literal(field)?];
            loop {
                match self.peek() {
                    Some(Token {
                        tok: Tok::Comma, ..
                    }) => {
                        self.pos += 1;
                        values.push(self.literal(field)?);
                    }
                    Some(Token {
                        tok: Tok::RParen, ..
                    }) => {
                        self.pos += 1;
                        break;
                    }
                    _ => {
                        return Err(self.error_here(
                            format!(
                                "expected `,` or `)` in the `in` list, found {}",
                                self.found()
                            ),
                            None,
                        ));
                    }
                }
            }
            let e = Expr::In(field, values);
            return Ok(if negate { Expr::Not(Box::new(e)) } else { e });
        }
        if negate {
            return Err(self.error_here(
                format!(
                    "expected `like` or `in` after `not`, found {}",
                    self.found()
                ),
                Some("to negate a comparison write `not (…)` or use `!=`".to_owned()),
            ));
        }
        if self.eat_kw("is") {
            let not = self.eat_kw("not");
            if !self.eat_kw("null") {
                return Err(self.error_here(
                    format!("expected `null` after `is`, found {}", self.found()),
                    None,
                ));
            }
            let e = Expr::IsNull(field);
            return Ok(if not { Expr::Not(Box::new(e)) } else { e });
        }
        let op = match self.peek() {
            Some(Token {
                tok: Tok::Op(op), ..
            }) => *op,
            _ => {
                return Err(self.error_here(
                    format!(
                        "expected a comparison after `{}`, found {}",
                        field.name(),
                        self.found()
                    ),
                    Some(
                        "use one of `=`, `!=`, `<`, `<=`, `>`, `>=`, `like`, `in`, `is null`"
                            .to_owned(),
                    ),
                ));
            }
        };
        self.pos += 1;
        let lit = self.literal(field)?;
        Ok(Expr::Compare(field, op, lit))
    }

    fn literal(&mut self, field: Field) -> Result<Literal, QueryError> {
        let Some(tok) = self.peek().cloned() else {
            return Err(self.error_here(
                format!(
                    "expected a value for `{}`, found the end of the query",
                    field.name()
                ),
                Some(QUERY_HELP.to_owned()),
            ));
        };
        let lit = match (&tok.tok, field.kind()) {
            (Tok::Num(n), FieldKind::Number) => Literal::Number(*n),
            (Tok::Str(s) | Tok::Word(s), FieldKind::Number) => match s.parse::<u64>() {
                Ok(n) => Literal::Number(n),
                Err(_) => {
                    return Err(self.error_here(
                        format!("`{}` is a number, but `{}` is not", field.name(), tok.raw),
                        Some(format!("e.g. `{} >= 400`", field.name())),
                    ));
                }
            },
            (Tok::Num(n), FieldKind::Text) => Literal::Text(n.to_string()),
            (Tok::Str(s), FieldKind::Text) => Literal::Text(s.clone()),
            (Tok::Word(w), FieldKind::Text)
                if !RESERVED.contains(&w.to_ascii_lowercase().as_str()) =>
            {
                Literal::Text(w.clone())
            }
            (Tok::Str(s) | Tok::Word(s), FieldKind::Time) => {
                let parsed = if s.starts_with('[') {
                    Timestamp::parse_access_log(s)
                } else {
                    Timestamp::parse_iso8601(s)
                };
                match parsed {
                    Ok(t) => Literal::Time(t),
                    Err(e) => {
                        return Err(self.error_here(
                            match e.problem {
                                s3pg_time::Problem::Shape { .. } => {
                                    format!("`{}` is not a time", tok.raw)
                                }
                                problem => format!("`{}` is not a time: {problem}", tok.raw),
                            },
                            Some("write a time as `'2019-02-06T00:00:38Z'`, `'2019-02-06'` or `[06/Feb/2019:00:00:38 +0000]`".to_owned()),
                        ));
                    }
                }
            }
            _ => {
                return Err(self.error_here(
                    format!(
                        "expected a value for `{}`, found `{}`",
                        field.name(),
                        tok.raw
                    ),
                    Some("put text in single quotes, e.g. `'AccessDenied'`".to_owned()),
                ));
            }
        };
        self.pos += 1;
        Ok(lit)
    }
}

fn field_list_help() -> String {
    let names: Vec<&str> = FIELDS
        .iter()
        .filter_map(|(_, n, _)| n.first().copied())
        .collect();
    format!("fields: {}", names.join(", "))
}

fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    FIELDS
        .iter()
        .flat_map(|(_, names, _)| names.iter())
        .map(|n| (edit_distance(&lower, n), *n))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_matches_sql_patterns() {
        let cases = [
            ("logs/%", "logs/2019/a", true),
            ("logs/%", "log/a", false),
            ("%.pdf", "a/b.pdf", true),
            ("%.pdf", "a/b.pdfx", false),
            ("a_c", "abc", true),
            ("a_c", "abbc", false),
            ("%", "", true),
            ("%a%b%", "xxaxxbxx", true),
            ("%a%b%", "xxbxxaxx", false),
        ];
        for (p, s, want) in cases {
            assert_eq!(like(p.as_bytes(), s.as_bytes()), want, "{p} ~ {s}");
        }
    }

    #[test]
    fn edit_distance_suggests_close_names() {
        assert_eq!(suggest("stauts"), Some("status"));
        assert_eq!(suggest("bukcet"), Some("bucket"));
        assert_eq!(suggest("zzzzzzzz"), None);
    }
}
