//! The query's tokens: keywords and bare words, quoted text (`''` inside is a quote), numbers,
//! operators and punctuation, each with where it starts for error messages.

use super::{CompareOp, QueryError};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
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
pub(super) struct Token {
    pub(super) tok: Tok,
    /// byte offset in the query text
    pub(super) at: usize,
    /// the text as typed
    pub(super) raw: String,
}

pub(super) fn column(text: &str, at: usize) -> usize {
    text.get(..at).map_or(at, |s| s.chars().count()) + 1
}

pub(super) fn err(text: &str, at: usize, message: String, help: Option<String>) -> QueryError {
    QueryError {
        column: column(text, at),
        message,
        help,
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b':' | b'/' | b'*' | b'+' | b'@')
}

pub(super) fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
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
                let (token, next) = quoted(text, start)?;
                out.push(token);
                i = next;
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
                let (token, next) = word(text, start)?;
                out.push(token);
                i = next;
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

/// A quoted text starting at `start` (`'…'` or `"…"`, the quote doubled inside); the token and
/// where the next one starts.
fn quoted(text: &str, start: usize) -> Result<(Token, usize), QueryError> {
    let bytes = text.as_bytes();
    let quote = bytes.get(start).copied().unwrap_or(b'\'');
    let mut value = String::new();
    let mut j = start + 1;
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
    Ok((
        Token {
            tok: Tok::Str(value),
            at: start,
            raw: text.get(start..j).unwrap_or("").to_owned(),
        },
        j,
    ))
}

/// A keyword, bare word, number or `*` starting at `start`; the token and where the next one
/// starts.
fn word(text: &str, start: usize) -> Result<(Token, usize), QueryError> {
    let bytes = text.as_bytes();
    let mut j = start;
    while bytes.get(j).is_some_and(|&c| is_word_byte(c)) {
        j += 1;
    }
    let raw = text.get(start..j).unwrap_or("").to_owned();
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
    Ok((
        Token {
            tok,
            at: start,
            raw,
        },
        j,
    ))
}
