//! Reading options the way the AWS CLI does: `--name value` or `--name=value`, boolean pairs
//! `--flag` / `--no-flag`, global options anywhere on the line, and `file://` / `fileb://` values
//! that name a file whose contents become the value.
//! Follows <https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-parameters-file.html> and
//! <https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-options.html>.

use std::collections::BTreeMap;

use crate::error::{UsageError, UsageErrorKind};

/// A parameter value as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    /// The value itself (JSON, shorthand syntax or plain text).
    Text(String),
    /// `file://PATH` (text) or `fileb://PATH` (binary): the caller reads the file.
    File {
        /// The path after the scheme.
        path: String,
        /// True for `fileb://`.
        binary: bool,
    },
}

impl ArgValue {
    /// Reads a typed value, recognising `file://` and `fileb://`.
    pub fn from_typed(text: &str) -> Self {
        if let Some(path) = text.strip_prefix("fileb://") {
            Self::File {
                path: path.to_owned(),
                binary: true,
            }
        } else if let Some(path) = text.strip_prefix("file://") {
            Self::File {
                path: path.to_owned(),
                binary: false,
            }
        } else {
            Self::Text(text.to_owned())
        }
    }

    /// The inline text, or `None` for a file reference.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            Self::File { .. } => None,
        }
    }
}

/// The options every command accepts (`aws --profile dev s3 ls`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GlobalOptions {
    /// `--profile`.
    pub profile: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    /// `--output` (`json`, `text`, `table`, `yaml`).
    pub output: Option<String>,
    /// `--endpoint-url`.
    pub endpoint_url: Option<String>,
    /// `--query` (JMESPath).
    pub query: Option<String>,
    /// `--no-sign-request`: send anonymously.
    pub no_sign_request: bool,
    /// `--debug`.
    pub debug: bool,
    /// Other global options accepted and kept as typed (`--no-cli-pager`, `--color on` …).
    pub other: Vec<(String, Option<String>)>,
}

const GLOBAL_VALUE_OPTIONS: [&str; 10] = [
    "--profile",
    "--region",
    "--output",
    "--endpoint-url",
    "--query",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--cli-binary-format",
];
const GLOBAL_FLAGS: [&str; 8] = [
    "--debug",
    "--no-verify-ssl",
    "--no-paginate",
    "--no-sign-request",
    "--no-cli-pager",
    "--cli-auto-prompt",
    "--no-cli-auto-prompt",
    "--version",
];

/// Takes the global options out of `words` (they may appear anywhere); returns the rest.
pub fn split_globals(words: &[String]) -> Result<(GlobalOptions, Vec<String>), UsageError> {
    let mut globals = GlobalOptions::default();
    let mut rest = Vec::new();
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (word.as_str(), None),
        };
        if let Some(option) = GLOBAL_VALUE_OPTIONS.iter().copied().find(|o| *o == name) {
            let value = match inline {
                Some(value) => value,
                None => iter.next().cloned().ok_or_else(|| {
                    UsageError::new(UsageErrorKind::ExpectedOneArgument {
                        option: option.to_owned(),
                    })
                })?,
            };
            match option {
                "--profile" => globals.profile = Some(value),
                "--region" => globals.region = Some(value),
                "--output" => globals.output = Some(value),
                "--endpoint-url" => globals.endpoint_url = Some(value),
                "--query" => globals.query = Some(value),
                _ => globals.other.push((option.to_owned(), Some(value))),
            }
        } else if inline.is_none() && GLOBAL_FLAGS.contains(&name) {
            match name {
                "--debug" => globals.debug = true,
                "--no-sign-request" => globals.no_sign_request = true,
                _ => globals.other.push((name.to_owned(), None)),
            }
        } else {
            rest.push(word.clone());
        }
    }
    Ok((globals, rest))
}

/// How an option takes its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `--name VALUE`.
    Value,
    /// `--name VALUE`, where `file://` is read as a file reference.
    Param,
    /// `--name VALUE` that may repeat (`--include a --include b`).
    Repeated,
    /// `--name` alone.
    Flag,
    /// `--name` / `--no-name`.
    Bool,
    /// `--name [VALUE]`: the value is optional (`--sse` means `--sse AES256`); a following
    /// word is taken as the value only when it is one of the listed choices.
    OptionalValue(&'static str, &'static [&'static str]),
    /// `--name VALUE [VALUE …]`: every following word up to the next option.
    Many,
}

/// One option of a command.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Opt {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

pub(crate) const fn req(name: &'static str) -> Opt {
    Opt {
        name,
        kind: Kind::Param,
        required: true,
    }
}

pub(crate) const fn opt(name: &'static str) -> Opt {
    Opt {
        name,
        kind: Kind::Param,
        required: false,
    }
}

pub(crate) const fn flag(name: &'static str) -> Opt {
    Opt {
        name,
        kind: Kind::Flag,
        required: false,
    }
}

pub(crate) const fn boolean(name: &'static str) -> Opt {
    Opt {
        name,
        kind: Kind::Bool,
        required: false,
    }
}

pub(crate) const fn plain(name: &'static str) -> Opt {
    Opt {
        name,
        kind: Kind::Value,
        required: false,
    }
}

/// The options and positional words a command was given.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    values: BTreeMap<&'static str, Vec<ArgValue>>,
    bools: BTreeMap<&'static str, bool>,
    pub positionals: Vec<String>,
}

impl Parsed {
    pub fn value(&self, name: &str) -> Option<ArgValue> {
        self.values.get(name).and_then(|v| v.last()).cloned()
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.value(name).map(|v| match v {
            ArgValue::Text(text) => text,
            ArgValue::File { path, binary } => {
                format!("{}{path}", if binary { "fileb://" } else { "file://" })
            }
        })
    }

    pub fn required_text(&self, name: &str) -> String {
        self.text(name).unwrap_or_default()
    }

    pub fn all_texts(&self, name: &str) -> Vec<String> {
        self.values
            .get(name)
            .map(|vs| {
                vs.iter()
                    .filter_map(|v| v.as_text().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn flag(&self, name: &str) -> bool {
        self.bools.get(name).copied().unwrap_or(false)
    }

    pub fn boolean(&self, name: &str) -> Option<bool> {
        self.bools.get(name).copied()
    }

    pub fn int(&self, name: &str) -> Result<Option<i64>, UsageError> {
        match self.text(name) {
            None => Ok(None),
            Some(text) => text.trim().parse::<i64>().map(Some).map_err(|_| {
                UsageError::new(UsageErrorKind::InvalidInt {
                    option: name.to_owned(),
                    given: text,
                })
            }),
        }
    }
}

enum Lookup<'a> {
    Found(&'a Opt, bool),
    Unknown,
    Ambiguous(Vec<String>),
}

// Every spelling argparse registers for an option: `--name`, and `--no-name` for booleans.
fn spellings(option: &Opt) -> Vec<(String, bool)> {
    let mut out = vec![(option.name.to_owned(), true)];
    if option.kind == Kind::Bool {
        out.push((
            format!("--no-{}", option.name.trim_start_matches("--")),
            false,
        ));
    }
    out
}

// Exact spelling first; otherwise a unique prefix, as argparse's abbreviations allow
// (`--buck b` is `--bucket b`).
fn lookup<'a>(options: &'a [Opt], name: &str) -> Lookup<'a> {
    let mut prefixed: Vec<(&'a Opt, String, bool)> = Vec::new();
    for option in options {
        for (spelling, positive) in spellings(option) {
            if spelling == name {
                return Lookup::Found(option, positive);
            }
            if name.len() > 2 && spelling.starts_with(name) {
                prefixed.push((option, spelling, positive));
            }
        }
    }
    match prefixed.as_slice() {
        [] => Lookup::Unknown,
        [(option, _, positive)] => Lookup::Found(option, *positive),
        many => Lookup::Ambiguous(
            many.iter()
                .map(|(_, spelling, _)| spelling.clone())
                .collect(),
        ),
    }
}

/// Parses `words` against `options`; `positionals` names the positional parameters (for the
/// "required" message) and `max_positionals` bounds them.
pub(crate) fn parse_options(
    words: &[String],
    options: &[Opt],
    positionals: &[&str],
    max_positionals: usize,
) -> Result<Parsed, UsageError> {
    let mut parsed = Parsed::default();
    let mut unknown: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(word) = words.get(i) {
        i += 1;
        if !word.starts_with("--") || word == "--" {
            if parsed.positionals.len() < max_positionals {
                parsed.positionals.push(word.clone());
            } else {
                unknown.push(word.clone());
            }
            continue;
        }
        let (name, inline) = match word.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (word.as_str(), None),
        };
        let found = match lookup(options, name) {
            Lookup::Found(option, positive) => Some((option, positive)),
            Lookup::Unknown => None,
            Lookup::Ambiguous(matches) => {
                return Err(UsageError::new(UsageErrorKind::AmbiguousOption {
                    given: name.to_owned(),
                    matches,
                }));
            }
        };
        let Some((option, positive)) = found else {
            unknown.push(word.clone());
            continue;
        };
        match option.kind {
            Kind::Flag | Kind::Bool => {
                if inline.is_some() {
                    unknown.push(word.clone());
                } else {
                    parsed.bools.insert(option.name, positive);
                }
            }
            Kind::OptionalValue(default, choices) => {
                let value = match inline {
                    Some(value) => value,
                    None => match words.get(i) {
                        Some(next) if choices.contains(&next.as_str()) => {
                            i += 1;
                            next.clone()
                        }
                        _ => default.to_owned(),
                    },
                };
                parsed
                    .values
                    .entry(option.name)
                    .or_default()
                    .push(ArgValue::Text(value));
            }
            Kind::Many => {
                let mut values: Vec<ArgValue> = inline.into_iter().map(ArgValue::Text).collect();
                while let Some(next) = words.get(i) {
                    if next.starts_with("--") {
                        break;
                    }
                    values.push(ArgValue::Text(next.clone()));
                    i += 1;
                }
                if values.is_empty() {
                    return Err(UsageError::new(UsageErrorKind::ExpectedOneArgument {
                        option: option.name.to_owned(),
                    }));
                }
                parsed.values.entry(option.name).or_default().extend(values);
            }
            Kind::Value | Kind::Param | Kind::Repeated => {
                let value = match inline {
                    Some(value) => value,
                    None => {
                        // argparse refuses a following word that looks like an option.
                        let next = words
                            .get(i)
                            .filter(|w| !(w.starts_with("--") && w.len() > 2));
                        let Some(next) = next else {
                            return Err(UsageError::new(UsageErrorKind::ExpectedOneArgument {
                                option: option.name.to_owned(),
                            }));
                        };
                        i += 1;
                        next.clone()
                    }
                };
                let value = if option.kind == Kind::Param {
                    ArgValue::from_typed(&value)
                } else {
                    ArgValue::Text(value)
                };
                let slot = parsed.values.entry(option.name).or_default();
                if option.kind != Kind::Repeated {
                    slot.clear();
                }
                slot.push(value);
            }
        }
    }
    finish(parsed, options, positionals, unknown)
}

/// The checks after every word was read: every required option and positional given, no
/// unknown word left.
fn finish(
    parsed: Parsed,
    options: &[Opt],
    positionals: &[&str],
    unknown: Vec<String>,
) -> Result<Parsed, UsageError> {
    let mut missing: Vec<String> = options
        .iter()
        .filter(|o| {
            o.required && !parsed.values.contains_key(o.name) && !parsed.bools.contains_key(o.name)
        })
        .map(|o| o.name.to_owned())
        .collect();
    missing.extend(
        positionals
            .iter()
            .skip(parsed.positionals.len())
            .map(|p| (*p).to_owned()),
    );
    if !missing.is_empty() {
        return Err(UsageError::new(UsageErrorKind::MissingRequired {
            names: missing,
        }));
    }
    if !unknown.is_empty() {
        return Err(UsageError::new(UsageErrorKind::UnknownOptions {
            words: unknown,
        }));
    }
    Ok(parsed)
}
