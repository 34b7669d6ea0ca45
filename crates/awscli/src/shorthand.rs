//! The AWS CLI's shorthand syntax for structured parameters, e.g.
//! `BlockPublicAcls=true,IgnorePublicAcls=true`, `Rules=[{ObjectOwnership=BucketOwnerEnforced}]`,
//! `MFADelete=Enabled,Status=Enabled`. A value starting with `{` or `[` is JSON instead (the
//! CLI's rule), which the caller parses. Follows
//! <https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-shorthand.html>.
//!
//! The CLI converts scalars with the operation's model; without it, [`Shorthand::to_json`] writes
//! `true`/`false` as booleans, whole numbers as numbers and everything else as strings, which is
//! right for the S3, KMS and Glacier parameters the playground reads.

use std::fmt;

/// A parsed shorthand value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shorthand {
    /// A string as written (quotes removed).
    Scalar(String),
    /// `[a,b]`, or `Key=a,b`.
    List(Vec<Shorthand>),
    /// `Key=value,…` or `{Key=value,…}`, members in the order written.
    Struct(Vec<(String, Shorthand)>),
}

/// Why shorthand text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShorthandError {
    /// Byte offset of the problem.
    pub at: usize,
    /// What was expected there.
    pub expected: &'static str,
}

impl fmt::Display for ShorthandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "shorthand syntax: expected {} at column {}",
            self.expected,
            self.at + 1
        )
    }
}

impl std::error::Error for ShorthandError {}

/// True when the CLI would read `text` as JSON rather than shorthand.
pub fn is_json(text: &str) -> bool {
    matches!(text.trim_start().chars().next(), Some('{' | '['))
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.text
            .get(self.at..)
            .and_then(|rest| rest.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn error(&self, expected: &'static str) -> ShorthandError {
        ShorthandError {
            at: self.at,
            expected,
        }
    }

    fn expect(&mut self, c: char, expected: &'static str) -> Result<(), ShorthandError> {
        self.skip_spaces();
        if self.peek() == Some(c) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    // A key: everything up to `=`, trimmed.
    fn key(&mut self) -> Result<String, ShorthandError> {
        self.skip_spaces();
        let start = self.at;
        while let Some(c) = self.peek() {
            if matches!(c, '=' | ',' | '{' | '}' | '[' | ']') {
                break;
            }
            self.bump();
        }
        let key = self
            .text
            .get(start..self.at)
            .unwrap_or("")
            .trim()
            .to_owned();
        if key.is_empty() {
            return Err(self.error("a key"));
        }
        self.expect('=', "`=` after the key")?;
        Ok(key)
    }

    // Does a `key=` start here (before the next separator)?
    fn key_follows(&self) -> bool {
        let rest = self.text.get(self.at..).unwrap_or("");
        for c in rest.chars() {
            match c {
                '=' => return true,
                ',' | '{' | '}' | '[' | ']' | '\'' | '"' => return false,
                _ => {}
            }
        }
        false
    }

    fn scalar(&mut self) -> Result<String, ShorthandError> {
        self.skip_spaces();
        if let Some(quote @ ('\'' | '"')) = self.peek() {
            self.bump();
            let start = self.at;
            loop {
                match self.bump() {
                    Some(c) if c == quote => break,
                    Some(_) => {}
                    None => return Err(self.error("a closing quote")),
                }
            }
            return Ok(self.text.get(start..self.at - 1).unwrap_or("").to_owned());
        }
        let start = self.at;
        while let Some(c) = self.peek() {
            if matches!(c, ',' | '}' | ']') {
                break;
            }
            self.bump();
        }
        Ok(self
            .text
            .get(start..self.at)
            .unwrap_or("")
            .trim()
            .to_owned())
    }

    fn value(&mut self) -> Result<Shorthand, ShorthandError> {
        self.skip_spaces();
        match self.peek() {
            Some('{') => {
                self.bump();
                let members = self.members(Some('}'))?;
                self.expect('}', "`}`")?;
                Ok(Shorthand::Struct(members))
            }
            Some('[') => {
                self.bump();
                let mut items = Vec::new();
                self.skip_spaces();
                if self.peek() == Some(']') {
                    self.bump();
                    return Ok(Shorthand::List(items));
                }
                loop {
                    items.push(self.value()?);
                    self.skip_spaces();
                    match self.bump() {
                        Some(',') => {}
                        Some(']') => return Ok(Shorthand::List(items)),
                        _ => return Err(self.error("`,` or `]`")),
                    }
                }
            }
            _ => Ok(Shorthand::Scalar(self.scalar()?)),
        }
    }

    fn members(&mut self, close: Option<char>) -> Result<Vec<(String, Shorthand)>, ShorthandError> {
        let mut members: Vec<(String, Shorthand)> = Vec::new();
        self.skip_spaces();
        if close.is_some() && self.peek() == close {
            return Ok(members);
        }
        loop {
            let key = self.key()?;
            let mut value = self.value()?;
            // `Key=a,b,c`: words without `=` after a scalar extend it into a list.
            loop {
                self.skip_spaces();
                if self.peek() != Some(',') {
                    break;
                }
                let save = self.at;
                self.bump();
                if self.key_follows() {
                    self.at = save;
                    break;
                }
                let next = self.value()?;
                value = match value {
                    Shorthand::List(mut items) => {
                        items.push(next);
                        Shorthand::List(items)
                    }
                    first => Shorthand::List(vec![first, next]),
                };
            }
            members.push((key, value));
            self.skip_spaces();
            match self.peek() {
                Some(',') => {
                    self.bump();
                }
                c if c == close => return Ok(members),
                None => return Err(self.error("`}`")),
                Some(_) => return Err(self.error("`,`")),
            }
        }
    }
}

impl Shorthand {
    /// Parses shorthand text (`Key=value,…`).
    pub fn parse(text: &str) -> Result<Self, ShorthandError> {
        let mut reader = Reader { text, at: 0 };
        let members = reader.members(None)?;
        Ok(Self::Struct(members))
    }

    /// The member `key` of a structure.
    pub fn get(&self, key: &str) -> Option<&Shorthand> {
        match self {
            Self::Struct(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Scalar(text) => Some(text),
            _ => None,
        }
    }

    /// The JSON text the CLI would send (see the module note on scalar types).
    pub fn to_json(&self) -> String {
        match self {
            Self::Scalar(text) => {
                let is_number = !text.is_empty()
                    && text
                        .strip_prefix('-')
                        .unwrap_or(text)
                        .bytes()
                        .all(|b| b.is_ascii_digit())
                    && text != "-";
                if text == "true" || text == "false" || is_number {
                    text.clone()
                } else {
                    json_string(text)
                }
            }
            Self::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(Self::to_json)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            Self::Struct(members) => format!(
                "{{{}}}",
                members
                    .iter()
                    .map(|(k, v)| format!("{}:{}", json_string(k), v.to_json()))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthand_to_json_table() {
        let cases = [
            (
                "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=false",
                r#"{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":false}"#,
            ),
            ("Status=Enabled", r#"{"Status":"Enabled"}"#),
            (
                "MFADelete=Enabled, Status=Enabled",
                r#"{"MFADelete":"Enabled","Status":"Enabled"}"#,
            ),
            (
                "Rules=[{ObjectOwnership=BucketOwnerEnforced}]",
                r#"{"Rules":[{"ObjectOwnership":"BucketOwnerEnforced"}]}"#,
            ),
            (
                "LocationConstraint=eu-west-1",
                r#"{"LocationConstraint":"eu-west-1"}"#,
            ),
            (
                "Values=a,b,c,Name=x",
                r#"{"Values":["a","b","c"],"Name":"x"}"#,
            ),
            (
                "Key='a,b=c',Other=\"x y\"",
                r#"{"Key":"a,b=c","Other":"x y"}"#,
            ),
            (
                "Outer={Inner={Deep=1}},List=[]",
                r#"{"Outer":{"Inner":{"Deep":1}},"List":[]}"#,
            ),
            ("Days=-3", r#"{"Days":-3}"#),
        ];
        for (text, json) in cases {
            assert_eq!(Shorthand::parse(text).unwrap().to_json(), json, "{text}");
        }
    }

    #[test]
    fn shorthand_errors_and_json_detection() {
        assert!(Shorthand::parse("novalue").is_err());
        assert!(Shorthand::parse("A={B=1").is_err());
        assert!(Shorthand::parse("A=[1,2").is_err());
        assert!(Shorthand::parse("A='open").is_err());
        assert_eq!(
            Shorthand::parse("=x").unwrap_err().to_string(),
            "shorthand syntax: expected a key at column 1"
        );
        assert!(is_json(" {\"Status\":\"Enabled\"}"));
        assert!(is_json("[1]"));
        assert!(!is_json("Status=Enabled"));
        let parsed = Shorthand::parse("Status=Enabled").unwrap();
        assert_eq!(
            parsed.get("Status").and_then(Shorthand::as_str),
            Some("Enabled")
        );
    }
}
