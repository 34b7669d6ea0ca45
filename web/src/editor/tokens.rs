//! The editor's tokenizer: JSON lexed tolerantly (the learner's text is often half typed) and
//! every string placed in the IAM policy grammar — a statement key, an `Effect`, an action, a
//! resource, a principal, a condition operator, a condition key — following the element
//! reference of the IAM User Guide (`reference_policies_elements.html`).
//!
//! The slot of a token drives both the highlighting and the completions. Tokens are byte ranges
//! into the text; nothing here allocates per character.

/// Where a token sits in the policy grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Punctuation, numbers, literals and stray characters.
    None,
    /// A key of the policy object (`Version`, `Id`, `Statement`).
    PolicyKey,
    /// A key of a statement (`Sid`, `Effect`, `Action`, …).
    StatementKey,
    /// A key of a `Principal` object (`AWS`, `Service`, …).
    PrincipalKey,
    /// A key of the `Condition` object: a condition operator.
    OperatorKey,
    /// A key of an operator block: a condition key.
    ConditionKey,
    /// Any other key.
    OtherKey,
    /// The value of `Version`.
    VersionValue,
    /// The value of `Effect`.
    EffectValue,
    /// A value of `Action` / `NotAction`.
    ActionValue,
    /// A value of `Resource` / `NotResource`.
    ResourceValue,
    /// A value of `Principal` / `NotPrincipal` (or of one of its keys).
    PrincipalValue,
    /// A value compared by a condition.
    ConditionValue,
    /// Any other value.
    OtherValue,
}

impl Slot {
    /// Whether a string in this slot is an object key.
    pub fn is_key(self) -> bool {
        matches!(
            self,
            Slot::PolicyKey
                | Slot::StatementKey
                | Slot::PrincipalKey
                | Slot::OperatorKey
                | Slot::ConditionKey
                | Slot::OtherKey
        )
    }
}

/// What a token is, lexically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lexeme {
    /// `{ } [ ] : ,`
    Punct,
    /// A string, closed by its quote.
    String,
    /// A string not closed before the end of its line.
    OpenString,
    /// A number.
    Number,
    /// `true`, `false`, `null`.
    Literal,
    /// Anything JSON does not allow here.
    Invalid,
}

/// One token: a byte range, what it is, and where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset after the last byte.
    pub end: u32,
    /// What it is.
    pub lexeme: Lexeme,
    /// Where it sits.
    pub slot: Slot,
    /// The statement it belongs to (in order of appearance), or `u32::MAX`.
    pub statement: u32,
    /// For a value: the index of the token of the key it is the value of, or `u32::MAX`.
    pub key: u32,
}

/// No statement / no key.
pub const NONE: u32 = u32::MAX;

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    /// The text between the quotes of a string token (raw, escapes not decoded).
    pub fn content<'a>(&self, text: &'a str) -> &'a str {
        let (start, end) = self.content_range();
        text.get(start..end).unwrap_or_default()
    }

    /// The byte range between the quotes of a string token.
    pub fn content_range(&self) -> (usize, usize) {
        let start = self.start as usize + 1;
        let end = match self.lexeme {
            Lexeme::String => (self.end as usize).saturating_sub(1),
            _ => self.end as usize,
        };
        (start.min(end), end)
    }

    /// Whether this is a string (closed or not).
    pub fn is_string(&self) -> bool {
        matches!(self.lexeme, Lexeme::String | Lexeme::OpenString)
    }

    /// The highlight class of the token (a CSS class of `editor.css`).
    pub fn class(&self, text: &str) -> &'static str {
        match self.lexeme {
            Lexeme::Punct => "t-p",
            Lexeme::Number => "t-n",
            Lexeme::Literal => "t-l",
            Lexeme::Invalid => "t-x",
            Lexeme::String | Lexeme::OpenString => {
                let content = self.content(text);
                match self.slot {
                    Slot::OperatorKey => "t-op",
                    Slot::ConditionKey => "t-ck",
                    Slot::PolicyKey | Slot::StatementKey | Slot::PrincipalKey | Slot::OtherKey => {
                        "t-k"
                    }
                    Slot::EffectValue => "t-e",
                    Slot::ActionValue => "t-a",
                    _ if content.starts_with("arn:") => "t-arn",
                    Slot::PrincipalValue => "t-pr",
                    _ => "t-s",
                }
            }
        }
    }
}

/// What an object or array is, in the policy grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Policy,
    StatementList,
    Statement,
    Principal,
    Condition,
    OperatorBlock,
    /// An array whose elements all sit in one slot.
    Values(Slot),
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Key,
    Colon,
    Value,
    Comma,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    container: Container,
    is_object: bool,
    expect: Expect,
    /// The token index of the last key read in this object.
    key: u32,
    statement: u32,
}

/// Tokenizes `text`. Never fails: what JSON does not allow becomes an [`Lexeme::Invalid`] token
/// or an [`Lexeme::OpenString`], and the nesting recovers at the next bracket.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        text,
        tokens: Vec::with_capacity(text.len() / 5 + 8),
        stack: Vec::with_capacity(8),
        statements: 0,
    };
    lexer.run();
    lexer.tokens
}

struct Lexer<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    stack: Vec<Frame>,
    statements: u32,
}

impl Lexer<'_> {
    fn run(&mut self) {
        let bytes = self.text.as_bytes();
        let mut i = 0usize;
        while let Some(&b) = bytes.get(i) {
            let start = i;
            match b {
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b'{' | b'[' => {
                    i += 1;
                    let object = b == b'{';
                    let (_, _, statement) = self.value_position();
                    let parent = self
                        .stack
                        .last()
                        .map(|f| (f.container, self.key_name(f.key)));
                    let container = child_container(parent, object);
                    let statement = if container == Container::Statement {
                        self.statements += 1;
                        self.statements - 1
                    } else {
                        statement
                    };
                    self.push(start, i, Lexeme::Punct, Slot::None, statement, NONE);
                    self.after_value();
                    self.stack.push(Frame {
                        container,
                        is_object: object,
                        expect: if object { Expect::Key } else { Expect::Value },
                        key: NONE,
                        statement,
                    });
                }
                b'}' | b']' => {
                    i += 1;
                    // Pop to the matching opener if there is one (recovers from a missing bracket).
                    let want_object = b == b'}';
                    if let Some(depth) = self.stack.iter().rposition(|f| f.is_object == want_object)
                    {
                        let statement = self.stack.get(depth).map_or(NONE, |f| f.statement);
                        self.stack.truncate(depth);
                        self.push(start, i, Lexeme::Punct, Slot::None, statement, NONE);
                    } else {
                        self.push(start, i, Lexeme::Invalid, Slot::None, NONE, NONE);
                    }
                }
                b':' | b',' => {
                    i += 1;
                    let statement = self.stack.last().map_or(NONE, |f| f.statement);
                    if let Some(f) = self.stack.last_mut() {
                        f.expect = match (b, f.is_object) {
                            (b':', true) => Expect::Value,
                            (b':', false) => f.expect,
                            (_, true) => Expect::Key,
                            (_, false) => Expect::Value,
                        };
                    }
                    self.push(start, i, Lexeme::Punct, Slot::None, statement, NONE);
                }
                b'"' => {
                    i += 1;
                    let mut closed = false;
                    while let Some(&c) = bytes.get(i) {
                        match c {
                            b'\\' if bytes.get(i + 1).is_some_and(|&n| n != b'\n') => i += 2,
                            b'"' => {
                                i += 1;
                                closed = true;
                                break;
                            }
                            b'\n' => break,
                            _ => i += 1,
                        }
                    }
                    i = i.min(bytes.len());
                    let lexeme = if closed {
                        Lexeme::String
                    } else {
                        Lexeme::OpenString
                    };
                    self.string(start, i, lexeme);
                }
                b'-' | b'0'..=b'9' => {
                    i += 1;
                    while bytes.get(i).is_some_and(|c| {
                        matches!(c, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                    }) {
                        i += 1;
                    }
                    let (_, key, statement) = self.value_position();
                    self.push(start, i, Lexeme::Number, Slot::None, statement, key);
                    self.after_value();
                }
                _ => {
                    // A word (`true`, `false`, `null`, or a typo) or one stray character.
                    i += 1;
                    if b.is_ascii_alphabetic() {
                        while bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
                            i += 1;
                        }
                    } else {
                        while bytes.get(i).is_some_and(|c| (c & 0xC0) == 0x80) {
                            i += 1;
                        }
                    }
                    let word = self.text.get(start..i).unwrap_or_default();
                    let (_, key, statement) = self.value_position();
                    if matches!(word, "true" | "false" | "null") {
                        self.push(start, i, Lexeme::Literal, Slot::None, statement, key);
                        self.after_value();
                    } else {
                        self.push(start, i, Lexeme::Invalid, Slot::None, statement, NONE);
                    }
                }
            }
        }
    }

    fn string(&mut self, start: usize, end: usize, lexeme: Lexeme) {
        let in_key = self
            .stack
            .last()
            // A string where a comma was due starts the next member (the comma is missing).
            .is_some_and(|f| f.is_object && matches!(f.expect, Expect::Key | Expect::Comma));
        if !in_key {
            let (slot, key, statement) = self.value_position();
            self.push(start, end, lexeme, slot, statement, key);
            self.after_value();
            return;
        }
        let (container, statement) = self
            .stack
            .last()
            .map_or((Container::Other, NONE), |f| (f.container, f.statement));
        let slot = match container {
            Container::Policy => Slot::PolicyKey,
            Container::Statement => Slot::StatementKey,
            Container::Principal => Slot::PrincipalKey,
            Container::Condition => Slot::OperatorKey,
            Container::OperatorBlock => Slot::ConditionKey,
            _ => Slot::OtherKey,
        };
        let index = u32::try_from(self.tokens.len()).unwrap_or(NONE);
        self.push(start, end, lexeme, slot, statement, NONE);
        if let Some(f) = self.stack.last_mut() {
            f.key = index;
            f.expect = Expect::Colon;
        }
    }

    fn push(
        &mut self,
        start: usize,
        end: usize,
        lexeme: Lexeme,
        slot: Slot,
        statement: u32,
        key: u32,
    ) {
        self.tokens.push(Token {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
            lexeme,
            slot,
            statement,
            key,
        });
    }

    /// The content of the key token `index` (empty when there is none).
    fn key_name(&self, index: u32) -> &str {
        self.tokens
            .get(index as usize)
            .map(|t| t.content(self.text))
            .unwrap_or_default()
    }

    /// The slot, key token and statement of a value read now.
    fn value_position(&self) -> (Slot, u32, u32) {
        let Some(frame) = self.stack.last() else {
            return (Slot::OtherValue, NONE, NONE);
        };
        if !frame.is_object {
            let slot = match frame.container {
                Container::Values(slot) => slot,
                _ => Slot::OtherValue,
            };
            // The key of an array's values is the key the array is the value of.
            let key = self
                .stack
                .len()
                .checked_sub(2)
                .and_then(|i| self.stack.get(i))
                .map_or(NONE, |f| f.key);
            return (slot, key, frame.statement);
        }
        let slot = match (frame.container, self.key_name(frame.key)) {
            (Container::Principal, _) => Slot::PrincipalValue,
            (Container::OperatorBlock, _) => Slot::ConditionValue,
            (Container::Policy, "Version") => Slot::VersionValue,
            (Container::Statement, "Effect") => Slot::EffectValue,
            (Container::Statement, "Action" | "NotAction") => Slot::ActionValue,
            (Container::Statement, "Resource" | "NotResource") => Slot::ResourceValue,
            (Container::Statement, "Principal" | "NotPrincipal") => Slot::PrincipalValue,
            _ => Slot::OtherValue,
        };
        (slot, frame.key, frame.statement)
    }

    fn after_value(&mut self) {
        if let Some(f) = self.stack.last_mut() {
            f.expect = Expect::Comma;
        }
    }
}

fn child_container(parent: Option<(Container, &str)>, object: bool) -> Container {
    match (parent, object) {
        (None, true) => Container::Policy,
        (Some((Container::Policy, "Statement")), true) => Container::Statement,
        (Some((Container::Policy, "Statement")), false) => Container::StatementList,
        (Some((Container::StatementList, _)), true) => Container::Statement,
        (Some((Container::Statement, "Principal" | "NotPrincipal")), true) => Container::Principal,
        (Some((Container::Statement, "Principal" | "NotPrincipal")), false) => {
            Container::Values(Slot::PrincipalValue)
        }
        (Some((Container::Statement, "Action" | "NotAction")), false) => {
            Container::Values(Slot::ActionValue)
        }
        (Some((Container::Statement, "Resource" | "NotResource")), false) => {
            Container::Values(Slot::ResourceValue)
        }
        (Some((Container::Statement, "Condition")), true) => Container::Condition,
        (Some((Container::Principal, _)), false) => Container::Values(Slot::PrincipalValue),
        (Some((Container::Condition, _)), true) => Container::OperatorBlock,
        (Some((Container::OperatorBlock, _)), false) => Container::Values(Slot::ConditionValue),
        _ => Container::Other,
    }
}

/// The index of the token that contains byte `offset` or ends right at it (the caret's token).
pub fn token_at(tokens: &[Token], offset: usize) -> Option<usize> {
    let offset = u32::try_from(offset).unwrap_or(u32::MAX);
    // Tokens are sorted and disjoint: the first whose end reaches the offset.
    let i = tokens.partition_point(|t| t.end < offset);
    let t = tokens.get(i)?;
    (t.start <= offset).then_some(i)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn classes(text: &str) -> Vec<(String, &'static str)> {
        tokenize(text)
            .iter()
            .filter(|t| t.lexeme != Lexeme::Punct)
            .map(|t| (t.text(text).to_string(), t.class(text)))
            .collect()
    }

    #[test]
    fn policy_elements_get_their_classes() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Deny",
  "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Action": ["s3:GetObject"],
  "Resource": "arn:aws:s3:::b/*",
  "Condition": {"Bool": {"aws:SecureTransport": false}, "NumericLessThan": {"s3:max-keys": 10}}}]}"#;
        let got = classes(text);
        let want = [
            ("\"Version\"", "t-k"),
            ("\"2012-10-17\"", "t-s"),
            ("\"Statement\"", "t-k"),
            ("\"Sid\"", "t-k"),
            ("\"A\"", "t-s"),
            ("\"Effect\"", "t-k"),
            ("\"Deny\"", "t-e"),
            ("\"Principal\"", "t-k"),
            ("\"AWS\"", "t-k"),
            ("\"arn:aws:iam::111122223333:root\"", "t-arn"),
            ("\"*\"", "t-pr"),
            ("\"Action\"", "t-k"),
            ("\"s3:GetObject\"", "t-a"),
            ("\"Resource\"", "t-k"),
            ("\"arn:aws:s3:::b/*\"", "t-arn"),
            ("\"Condition\"", "t-k"),
            ("\"Bool\"", "t-op"),
            ("\"aws:SecureTransport\"", "t-ck"),
            ("false", "t-l"),
            ("\"NumericLessThan\"", "t-op"),
            ("\"s3:max-keys\"", "t-ck"),
            ("10", "t-n"),
        ];
        let want: Vec<(String, &str)> = want.iter().map(|(a, b)| (a.to_string(), *b)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn statements_are_numbered_and_values_know_their_key() {
        let text = r#"{"Statement": [{"Action": "s3:A"}, {"Action": ["s3:B", "s3:C"]}]}"#;
        let tokens = tokenize(text);
        let actions: Vec<(&str, u32, &str)> = tokens
            .iter()
            .filter(|t| t.slot == Slot::ActionValue)
            .map(|t| {
                let key = tokens
                    .get(t.key as usize)
                    .map(|k| k.content(text))
                    .unwrap_or("");
                (t.content(text), t.statement, key)
            })
            .collect();
        assert_eq!(
            actions,
            [
                ("s3:A", 0, "Action"),
                ("s3:B", 1, "Action"),
                ("s3:C", 1, "Action")
            ]
        );
    }

    #[test]
    fn a_single_statement_object_is_a_statement() {
        let text = r#"{"Statement": {"Effect": "Allow", "Action": "s3:*"}}"#;
        let tokens = tokenize(text);
        assert!(tokens.iter().any(|t| t.slot == Slot::EffectValue));
        assert!(
            tokens
                .iter()
                .any(|t| t.slot == Slot::ActionValue && t.statement == 0)
        );
    }

    #[test]
    fn half_typed_text_never_fails_and_recovers_on_the_next_line() {
        let text =
            "{\n  \"Statement\": [{\n    \"Action\": \"s3:Get\n    \"Effect\": \"Allow\"\n  }]\n}";
        let tokens = tokenize(text);
        let open = tokens
            .iter()
            .find(|t| t.lexeme == Lexeme::OpenString)
            .unwrap();
        assert_eq!(open.content(text), "s3:Get");
        assert_eq!(open.slot, Slot::ActionValue);
        // The next line is read as the next member although its comma is missing.
        let allow = tokens.iter().find(|t| t.content(text) == "Allow").unwrap();
        assert_eq!(allow.slot, Slot::EffectValue);
        for bad in [
            "",
            "}",
            "]]]",
            "{\"a\":",
            "\"",
            "\\",
            "{\"Statement\": [tru",
            "é{ü}",
            "-",
        ] {
            let tokens = tokenize(bad);
            for t in &tokens {
                assert!(t.start <= t.end && t.end as usize <= bad.len(), "{bad:?}");
                assert!(
                    bad.is_char_boundary(t.start as usize) && bad.is_char_boundary(t.end as usize)
                );
            }
        }
    }

    #[test]
    fn token_at_finds_the_caret_token() {
        let text = r#"{"Action": "s3:Get"}"#;
        let tokens = tokenize(text);
        let i = token_at(&tokens, 15).unwrap();
        assert_eq!(tokens[i].content(text), "s3:Get");
        // Right after the closing quote still counts as the string (end == offset).
        let i = token_at(&tokens, 19).unwrap();
        assert_eq!(tokens[i].content(text), "s3:Get");
    }
}
