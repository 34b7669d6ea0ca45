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
//!
//! Where to read: [`fields`] (what a query can name), [`lex`] and [`parse`] (text to
//! [`Query`]), then [`Query::run`] below.

mod fields;
mod lex;
mod parse;

pub use fields::{FIELDS, Field, FieldKind, FieldValue, Queryable};

use std::fmt;

use crate::time::Timestamp;

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
}
