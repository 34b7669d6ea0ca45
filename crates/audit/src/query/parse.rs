//! The recursive-descent parser of the query grammar (see the module above): the clauses in
//! order, conditions with `OR` below `AND` below `NOT`, and errors that point at the token and
//! suggest the field name meant.

use super::fields::{FIELDS, Field, FieldKind};
use super::lex::{Tok, Token, column, err, lex};
use super::{Expr, Literal, Projection, QUERY_HELP, Query, QueryError};
use crate::time::Timestamp;

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
        self.group_by(select_field)?;
        let order_by = self.order_by(&projection)?;
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

    /// `group by field`, which must name the field of `select field, count(*)` (and only then).
    fn group_by(&mut self, select_field: Option<(Field, usize)>) -> Result<(), QueryError> {
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
        Ok(())
    }

    /// `order by field [asc|desc]`, for `select *` only.
    fn order_by(&mut self, projection: &Projection) -> Result<Option<(Field, bool)>, QueryError> {
        if !self.peek_kw("order") {
            return Ok(None);
        }
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
        if *projection != Projection::Rows {
            return Err(err(
                self.text,
                at,
                "`order by` sorts records; counts are already ordered, most first".to_owned(),
                Some("use `order by` with `select *`".to_owned()),
            ));
        }
        Ok(Some((field, descending)))
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
    fn edit_distance_suggests_close_names() {
        assert_eq!(suggest("stauts"), Some("status"));
        assert_eq!(suggest("bukcet"), Some("bucket"));
        assert_eq!(suggest("zzzzzzzz"), None);
    }
}
