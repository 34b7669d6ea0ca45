//! Wildcard matching for actions, ARNs and `…Like` condition values.
//!
//! IAM wildcards: `*` matches any run of characters (including none, and including `/`), `?`
//! matches exactly one character (IAM UG `reference_policies_elements_action.md`,
//! `reference_policies_elements_resource.md`, `reference_policies_elements_condition_operators.md`).
//!
//! The matcher never backtracks across stars: the pattern is cut at each `*` into star-free
//! segments; the first must match at the start, the last at the end, and each middle segment is
//! taken at its leftmost occurrence (leftmost is always safe, because the following star can
//! absorb whatever lies between). The cost is O(n·k) for a text of n characters and a longest
//! segment of k characters, independent of how many stars there are, so `*a*a*a*a*a*a*a*b`
//! against a long string stays fast.

/// One token of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// A literal character (including a `*` or `?` that came from the `${*}` / `${?}` escapes).
    Literal(char),
    /// `?`: exactly one character.
    AnyOne,
    /// `*`: any run of characters.
    AnyRun,
}

/// A wildcard pattern.
///
/// Kept as its text, which is matched without compiling while every `*` and `?` in it is a
/// wildcard (the usual case); as tokens only when some `*` or `?` is a literal character (from
/// the `${*}` / `${?}` escapes or a request value substituted into it).
#[derive(Debug, Clone, Default)]
pub struct Pattern {
    /// The pattern read literally (wildcards as `*` and `?`).
    text: String,
    /// The tokens, when some `*` or `?` of `text` is literal.
    escaped: Option<Vec<Token>>,
    /// The tokens of `text`, compiled when [`Pattern::tokens`] is first asked for.
    compiled: std::sync::OnceLock<Vec<Token>>,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.tokens() == other.tokens()
    }
}

impl Eq for Pattern {}

/// `text` as tokens, reading `*` and `?` as wildcards.
fn compile(text: &str) -> Vec<Token> {
    text.chars()
        .map(|c| match c {
            '*' => Token::AnyRun,
            '?' => Token::AnyOne,
            c => Token::Literal(c),
        })
        .collect()
}

impl Pattern {
    /// `text`, reading `*` and `?` as wildcards.
    pub fn new(text: &str) -> Self {
        Pattern {
            text: text.to_owned(),
            ..Pattern::default()
        }
    }

    /// A pattern from tokens (used after policy-variable substitution).
    pub fn from_tokens(tokens: Vec<Token>) -> Self {
        let text = literal_text(&tokens);
        let escaped = tokens
            .iter()
            .any(|t| matches!(t, Token::Literal('*' | '?')))
            .then_some(tokens);
        Pattern {
            text,
            escaped,
            ..Pattern::default()
        }
    }

    /// A pattern from its text and, when some `*` or `?` of the text is literal, its tokens.
    pub(crate) fn from_parts(text: String, escaped: Option<Vec<Token>>) -> Self {
        Pattern {
            text,
            escaped,
            ..Pattern::default()
        }
    }

    /// The tokens.
    pub fn tokens(&self) -> &[Token] {
        match &self.escaped {
            Some(tokens) => tokens,
            None => self.compiled.get_or_init(|| compile(&self.text)),
        }
    }

    /// The text, when every `*` and `?` in it is a wildcard (then it can be matched as text).
    pub fn plain_text(&self) -> Option<&str> {
        self.escaped.is_none().then_some(self.text.as_str())
    }

    /// The pattern read literally (wildcards as `*` and `?`), without copying.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the pattern contains a `*` or `?` wildcard.
    pub fn has_wildcards(&self) -> bool {
        self.tokens()
            .iter()
            .any(|t| !matches!(t, Token::Literal(_)))
    }

    /// The pattern read literally (wildcards as `*` and `?`).
    pub fn literal_text(&self) -> String {
        self.text.clone()
    }

    /// Whether `text` matches the whole pattern (case-sensitive).
    pub fn matches(&self, text: &str) -> bool {
        match &self.escaped {
            Some(tokens) => matches_token_slice(tokens, text, false),
            None => wildcard_match(&self.text, text),
        }
    }

    /// Whether `text` matches, comparing letters without regard to case.
    pub fn matches_ignore_case(&self, text: &str) -> bool {
        match &self.escaped {
            Some(tokens) => matches_token_slice(tokens, text, true),
            None => wildcard_match_with(&self.text, text, true),
        }
    }
}

/// Tokens read literally (wildcards as `*` and `?`).
fn literal_text(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| match t {
            Token::Literal(c) => *c,
            Token::AnyOne => '?',
            Token::AnyRun => '*',
        })
        .collect()
}

/// Matches `text` against `pattern` (both read as IAM wildcards), case-sensitive.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    wildcard_match_with(pattern, text, false)
}

#[inline]
fn same(a: char, b: char, ignore_case: bool) -> bool {
    if a == b || !ignore_case {
        return a == b;
    }
    // Two ASCII characters: ASCII case folding is Unicode's (and needs no iterator).
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(&b);
    }
    a.to_lowercase().eq(b.to_lowercase())
}

/// A pattern element: a compiled [`Token`], or a raw byte of an ASCII pattern (`*` and `?` are
/// wildcards), so that ASCII patterns match without being compiled first. Whether an element
/// accepts a character is the matcher's `accepts` argument.
trait Element: Copy {
    fn is_run(self) -> bool;
}

impl Element for Token {
    #[inline]
    fn is_run(self) -> bool {
        self == Token::AnyRun
    }
}

impl Token {
    /// Whether this token, when not a `*`, accepts the character `c`.
    #[inline]
    fn accepts(self, c: char, ignore_case: bool) -> bool {
        match self {
            Token::Literal(l) => same(l, c, ignore_case),
            Token::AnyOne => true,
            Token::AnyRun => false,
        }
    }
}

impl Element for u8 {
    #[inline]
    fn is_run(self) -> bool {
        self == b'*'
    }
}

/// Matches `text` against an ASCII `pattern` without compiling it; `None` when either is not
/// ASCII (then use [`Pattern`]).
pub fn match_ascii(pattern: &str, text: &str, ignore_case: bool) -> Option<bool> {
    if !(pattern.is_ascii() && text.is_ascii()) {
        return None;
    }
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    // Bytes compared as bytes: for ASCII, Unicode's case folding is ASCII's.
    Some(if ignore_case {
        matches_elements(p, t, |p: u8, c: u8| p == b'?' || p.eq_ignore_ascii_case(&c))
    } else {
        matches_elements(p, t, |p: u8, c: u8| p == b'?' || p == c)
    })
}

/// Matches `text` against `pattern` (IAM wildcards), ignoring case when asked.
pub fn wildcard_match_with(pattern: &str, text: &str, ignore_case: bool) -> bool {
    match_ascii(pattern, text, ignore_case)
        .unwrap_or_else(|| matches_token_slice(&compile(pattern), text, ignore_case))
}

/// Matches compiled tokens against text, without allocating when the text is ASCII.
pub fn matches_token_slice(tokens: &[Token], text: &str, ignore_case: bool) -> bool {
    if text.is_ascii() {
        matches_elements(tokens, text.as_bytes(), |t: Token, c: u8| {
            t.accepts(char::from(c), ignore_case)
        })
    } else {
        let chars: Vec<char> = text.chars().collect();
        matches_elements(tokens, &chars, |t: Token, c: char| {
            t.accepts(c, ignore_case)
        })
    }
}

/// Whether the star-free `segment` matches `text` exactly at `at`.
fn segment_at<P: Copy, T: Copy>(
    segment: &[P],
    text: &[T],
    at: usize,
    accepts: impl Fn(P, T) -> bool,
) -> bool {
    let Some(window) = text.get(at..at + segment.len()) else {
        return false;
    };
    segment.iter().zip(window).all(|(&p, &c)| accepts(p, c))
}

/// Matches `text` against `tokens`, `accepts` saying whether a pattern element that is not a
/// `*` accepts a character.
fn matches_elements<P: Element, T: Copy>(
    tokens: &[P],
    text: &[T],
    accepts: impl Fn(P, T) -> bool + Copy,
) -> bool {
    let mut segments = tokens.split(|t| t.is_run());
    let first = segments.next().unwrap_or(&[]);
    if first.len() == tokens.len() {
        // No star: the text must have exactly the pattern's length.
        return first.len() == text.len() && segment_at(first, text, 0, accepts);
    }
    if !segment_at(first, text, 0, accepts) {
        return false;
    }
    let last = segments.next_back().unwrap_or(&[]);
    let Some(end_limit) = text.len().checked_sub(last.len()) else {
        return false;
    };
    if end_limit < first.len() || !segment_at(last, text, end_limit, accepts) {
        return false;
    }
    // Middle segments must fit between the prefix and the suffix, leftmost first.
    let mut pos = first.len();
    for segment in segments {
        if segment.is_empty() {
            continue;
        }
        let mut found = None;
        let mut at = pos;
        while at + segment.len() <= end_limit {
            if segment_at(segment, text, at, accepts) {
                found = Some(at);
                break;
            }
            at += 1;
        }
        match found {
            Some(at) => pos = at + segment.len(),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("a*c?b", "acdcb", false),
            ("a*c?b", "acdcxb", true),
            ("*", "", true),
            ("*", "anything/at/all", true),
            ("?", "", false),
            ("?", "é", true),
            ("s3:Get*", "s3:GetObject", true),
            ("s3:Get*", "s3:PutObject", false),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/", true),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false),
            ("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-logs/x", true),
            ("a*b*c", "abc", true),
            ("a*b*c", "acb", false),
            ("ab*ba", "aba", false),
            ("ab*ba", "abba", true),
            ("*a*a*a*a*a*a*a*b", &"a".repeat(100_000), false),
            ("**", "x", true),
            ("x", "x", true),
            ("x", "X", false),
        ];
        for (p, t, want) in cases {
            assert_eq!(
                wildcard_match(p, t),
                want,
                "{p} vs {}",
                &t[..t.len().min(30)]
            );
        }
    }

    #[test]
    fn ignore_case() {
        assert!(Pattern::new("S3:get*").matches_ignore_case("s3:GetObject"));
        assert!(!Pattern::new("S3:get*").matches("s3:GetObject"));
    }

    #[test]
    fn escaped_star_is_literal() {
        let p = Pattern::from_tokens(vec![Token::Literal('a'), Token::Literal('*')]);
        assert!(p.matches("a*"));
        assert!(!p.matches("ab"));
    }
}
