//! Policy variables: `${aws:username}`, defaults `${key, 'value'}`, escapes `${*}` `${?}` `${$}`.
//!
//! Follows IAM UG `reference_policies_variables.md`: variables are substituted only when the
//! policy says `"Version": "2012-10-17"`; otherwise `${…}` is literal text. A variable whose key
//! is absent (or multivalued) has no value, and the whole entry it sits in then has no value.

use std::sync::Arc;

use serde::Serialize;

use crate::context::{ContextKeys, ContextValue};
use crate::wildcard::{Pattern, Token};

/// One variable found in a policy string, and what it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariableUse {
    /// The variable as written, e.g. `${aws:username}`.
    pub written: String,
    /// The key it reads.
    pub key: String,
    /// The value substituted (`None` = no value), shared with the request's context.
    pub value: Option<Arc<str>>,
    /// Whether the default value was used because the key was absent.
    pub used_default: bool,
}

/// A policy string after substitution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Substituted {
    /// The resulting pattern, or `None` when a variable had no value.
    pub pattern: Option<Pattern>,
    /// The variables met, in order.
    pub variables: Vec<VariableUse>,
}

impl Substituted {
    /// The text after substitution, or a note that a variable had no value.
    pub fn display(&self) -> String {
        match &self.pattern {
            Some(p) => p.literal_text(),
            None => "(no value)".into(),
        }
    }
}

/// Appends the variables one substitution met to those met before (taking its list when it is
/// the first, rather than copying it into a new one).
pub(crate) fn append_uses(used: &mut Vec<VariableUse>, more: Vec<VariableUse>) {
    if used.is_empty() {
        *used = more;
    } else {
        used.extend(more);
    }
}

/// Whether `text` has a `${` (the start of a variable or an escape). A byte search: `$` and `{`
/// are ASCII, and no byte of a longer UTF-8 sequence is.
pub(crate) fn has_variable(text: &str) -> bool {
    find_variable(text).is_some()
}

/// Substitutes the variables of `text` from `keys` (when `enabled`), reading `*` and `?` that
/// are written literally in `text` as wildcards. Values taken from the request and the escapes
/// are literal characters.
pub fn substitute(text: &str, keys: &ContextKeys, enabled: bool) -> Substituted {
    if !enabled || !has_variable(text) {
        return Substituted {
            pattern: Some(Pattern::new(text)),
            variables: Vec::new(),
        };
    }
    let mut out = Built {
        text: String::with_capacity(text.len() + 16),
        tokens: None,
    };
    let mut variables = Vec::new();
    let mut no_value = false;
    let mut rest = text;
    while let Some(start) = find_variable(rest) {
        out.push_pattern(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + 2..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            // Not a variable: keep the text as written.
            out.push_pattern(rest.get(start..).unwrap_or_default());
            rest = "";
            break;
        };
        let inner = after.get(..end).unwrap_or_default();
        rest = after.get(end + 1..).unwrap_or_default();
        match inner {
            "*" | "?" | "$" => out.push_literal(inner),
            _ => {
                let (key, default) = match inner.split_once(',') {
                    Some((k, d)) => {
                        let d = d.trim();
                        let d = d
                            .strip_prefix('\'')
                            .and_then(|d| d.strip_suffix('\''))
                            .unwrap_or(d);
                        (k.trim(), Some(Arc::from(d)))
                    }
                    None => (inner.trim(), None),
                };
                let found = keys.get(key).and_then(|v| match v {
                    ContextValue::Single(one) => Some(Arc::clone(one)),
                    ContextValue::Multi(_) => None,
                });
                let (value, used_default) = match (found, default) {
                    (Some(v), _) => (Some(v), false),
                    (None, Some(d)) => (Some(d), true),
                    (None, None) => (None, false),
                };
                match &value {
                    Some(v) => out.push_literal(v),
                    None => no_value = true,
                }
                variables.push(VariableUse {
                    written: ["${", inner, "}"].concat(),
                    key: key.to_string(),
                    value,
                    used_default,
                });
            }
        }
    }
    out.push_pattern(rest);
    Substituted {
        pattern: (!no_value).then(|| Pattern::from_parts(out.text, out.tokens)),
        variables,
    }
}

/// Where the next `${` is (a byte search: `$` and `{` are ASCII, and no byte of a longer UTF-8
/// sequence is).
fn find_variable(text: &str) -> Option<usize> {
    text.as_bytes().windows(2).position(|w| w == b"${")
}

/// A pattern being built: its text, and its tokens once some `*` or `?` in it is literal.
struct Built {
    text: String,
    tokens: Option<Vec<Token>>,
}

impl Built {
    /// Appends policy text: `*` and `?` written in the policy are wildcards.
    fn push_pattern(&mut self, text: &str) {
        self.text.push_str(text);
        if let Some(tokens) = &mut self.tokens {
            push_literal_pattern(tokens, text);
        }
    }

    /// Appends literal characters (an escape or a request value).
    fn push_literal(&mut self, text: &str) {
        if self.tokens.is_none() && text.contains(['*', '?']) {
            // Until now every `*` and `?` of the text was a wildcard.
            let mut tokens = Vec::with_capacity(self.text.len() + text.len() + 16);
            push_literal_pattern(&mut tokens, &self.text);
            self.tokens = Some(tokens);
        }
        self.text.push_str(text);
        if let Some(tokens) = &mut self.tokens {
            tokens.extend(text.chars().map(Token::Literal));
        }
    }
}

/// Appends `text` read as a pattern: `*` and `?` written in the policy are wildcards.
fn push_literal_pattern(tokens: &mut Vec<Token>, text: &str) {
    tokens.extend(text.chars().map(|c| match c {
        '*' => Token::AnyRun,
        '?' => Token::AnyOne,
        c => Token::Literal(c),
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> ContextKeys {
        [("aws:username", "alice"), ("s3:prefix", "home/")]
            .into_iter()
            .collect()
    }

    #[test]
    fn substitutes_known_keys_case_insensitively() {
        let s = substitute("arn:aws:s3:::b/home/${AWS:UserName}/*", &keys(), true);
        assert_eq!(s.display(), "arn:aws:s3:::b/home/alice/*");
        assert!(s.pattern.unwrap().matches("arn:aws:s3:::b/home/alice/x"));
    }

    #[test]
    fn missing_key_has_no_value_unless_defaulted() {
        assert!(
            substitute("${aws:PrincipalTag/team}", &keys(), true)
                .pattern
                .is_none()
        );
        let s = substitute("${aws:PrincipalTag/team, 'company-wide'}", &keys(), true);
        assert_eq!(s.display(), "company-wide");
        assert!(s.variables[0].used_default);
    }

    #[test]
    fn escapes_are_literal() {
        let s = substitute("a${*}b", &keys(), true);
        let p = s.pattern.unwrap();
        assert!(p.matches("a*b"));
        assert!(!p.matches("axxb"));
        assert_eq!(substitute("${$}${?}", &keys(), true).display(), "$?");
    }

    #[test]
    fn disabled_substitution_keeps_text() {
        let s = substitute("b/${aws:username}", &keys(), false);
        assert!(s.pattern.unwrap().matches("b/${aws:username}"));
    }

    #[test]
    fn values_from_the_request_are_literal() {
        let k: ContextKeys = [("aws:username", "a*")].into_iter().collect();
        let p = substitute("${aws:username}", &k, true).pattern.unwrap();
        assert!(p.matches("a*"));
        assert!(!p.matches("abc"));
    }
}
