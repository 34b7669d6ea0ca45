//! Splitting a typed command line into words the way a POSIX shell does, without running
//! anything: single quotes keep everything literally, double quotes let `\` escape `"`, `\`, `$`,
//! `` ` `` and a newline, a bare `\` escapes the next character, `\` + newline continues the line,
//! and a word starting with `#` begins a comment. Variables (`$HOME`) and globs are left as
//! typed: the playground has no environment to expand them from.
//! Follows <https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_02_02>.

use std::fmt;

/// Why a command line could not be split into words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenizeError {
    /// A `'` was opened at this byte offset and never closed.
    UnterminatedSingleQuote(usize),
    /// A `"` was opened at this byte offset and never closed.
    UnterminatedDoubleQuote(usize),
    /// The line ends with a lone `\`.
    TrailingBackslash,
}

impl fmt::Display for TokenizeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnterminatedSingleQuote(at) => {
                write!(f, "the `'` opened at column {} is never closed", at + 1)
            }
            Self::UnterminatedDoubleQuote(at) => {
                write!(f, "the `\"` opened at column {} is never closed", at + 1)
            }
            Self::TrailingBackslash => f.write_str("the line ends with a lone `\\`"),
        }
    }
}

impl std::error::Error for TokenizeError {}

/// Splits `line` into shell words.
pub fn tokenize(line: &str) -> Result<Vec<String>, TokenizeError> {
    let mut words = Vec::new();
    let mut current = String::new();
    // True once the current word has begun (so `''` yields an empty word).
    let mut in_word = false;
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            '#' if !in_word => {
                // A comment runs to the end of the line.
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((_, c)) => current.push(c),
                        None => return Err(TokenizeError::UnterminatedSingleQuote(at)),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.peek().map(|&(_, c)| c) {
                            Some('\n') => {
                                chars.next();
                            }
                            Some(c @ ('"' | '\\' | '$' | '`')) => {
                                chars.next();
                                current.push(c);
                            }
                            Some(_) => current.push('\\'),
                            None => return Err(TokenizeError::UnterminatedDoubleQuote(at)),
                        },
                        Some((_, c)) => current.push(c),
                        None => return Err(TokenizeError::UnterminatedDoubleQuote(at)),
                    }
                }
            }
            '\\' => match chars.next() {
                Some((_, '\n')) => {}
                Some((_, c)) => {
                    in_word = true;
                    current.push(c);
                }
                None => return Err(TokenizeError::TrailingBackslash),
            },
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_table() {
        let cases: &[(&str, &[&str])] = &[
            ("aws s3 ls", &["aws", "s3", "ls"]),
            ("  aws\ts3   ls  ", &["aws", "s3", "ls"]),
            ("--key 'my file.txt'", &["--key", "my file.txt"]),
            ("--key \"my file.txt\"", &["--key", "my file.txt"]),
            ("--key=\"a b\"c", &["--key=a bc"]),
            ("--key my\\ file", &["--key", "my file"]),
            ("''", &[""]),
            ("\"\"", &[""]),
            ("'it''s'", &["its"]),
            (
                "\"say \\\"hi\\\" \\\\ \\$HOME \\n\"",
                &["say \"hi\" \\ $HOME \\n"],
            ),
            ("'$HOME \\n \"x\"'", &["$HOME \\n \"x\""]),
            (
                "aws s3 ls \\\n  --recursive",
                &["aws", "s3", "ls", "--recursive"],
            ),
            ("aws s3 ls # list buckets", &["aws", "s3", "ls"]),
            ("a#b", &["a#b"]),
            (
                "--policy '{\"Version\": \"2012-10-17\"}'",
                &["--policy", "{\"Version\": \"2012-10-17\"}"],
            ),
            ("", &[]),
        ];
        for (line, words) in cases {
            let got = tokenize(line).unwrap();
            assert_eq!(
                got,
                words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>(),
                "{line}"
            );
        }
    }

    #[test]
    fn broken_quoting_is_refused() {
        assert_eq!(
            tokenize("--key 'abc"),
            Err(TokenizeError::UnterminatedSingleQuote(6))
        );
        assert_eq!(
            tokenize("--key \"abc"),
            Err(TokenizeError::UnterminatedDoubleQuote(6))
        );
        assert_eq!(tokenize("abc \\"), Err(TokenizeError::TrailingBackslash));
        assert_eq!(
            TokenizeError::UnterminatedSingleQuote(6).to_string(),
            "the `'` opened at column 7 is never closed"
        );
    }
}
