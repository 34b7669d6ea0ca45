//! The AWS CLI's own usage errors, word for word, so a learner sees what the real `aws` prints.
//! The CLI builds them with Python's `argparse` (`aws: error: …` after the usage banner) or raises
//! them from its S3 commands (`<S3Uri>\nError: Invalid argument type`); both exit with status 252.
//! Follows <https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html> and the
//! CLI's `awscli/argparser.py`.

use std::fmt;

use crate::tokenize::TokenizeError;

/// The banner the CLI prints before an argument error.
pub const USAGE_BANNER: &str =
    "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  aws help
  aws <command> help
  aws <command> <subcommand> help
";

/// The exit status of every usage error (AWS CLI v2).
pub const USAGE_EXIT_CODE: u8 = 252;

/// What was wrong with the arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsageErrorKind {
    /// No service was named.
    MissingCommand,
    /// A service or operation the CLI (as modelled here) does not know.
    InvalidChoice {
        /// `command` (the service) or `operation`.
        argument: &'static str,
        /// What was typed.
        given: String,
        /// What would have been accepted.
        choices: Vec<&'static str>,
    },
    /// Required parameters are absent.
    MissingRequired {
        /// Their names as the CLI lists them (`--bucket`, `paths`).
        names: Vec<String>,
    },
    /// An option was given without its value.
    ExpectedOneArgument {
        /// The option.
        option: String,
    },
    /// An abbreviated option that matches several (`--grant`).
    AmbiguousOption {
        /// What was typed.
        given: String,
        /// The options it could mean.
        matches: Vec<String>,
    },
    /// A value of the wrong type (`--expires-in soon`).
    InvalidInt {
        /// The option.
        option: String,
        /// The value typed.
        given: String,
    },
    /// Options or words the command does not take.
    UnknownOptions {
        /// What was left over.
        words: Vec<String>,
    },
    /// An `aws s3` path of the wrong kind (`mb bucket` without `s3://`).
    InvalidPathType {
        /// The usage line the CLI prints first, if any (`usage: aws s3 rm <S3Uri>`).
        usage: Option<&'static str>,
        /// The expected shape (`<S3Uri>`), printed when there is no usage line.
        shape: &'static str,
    },
}

/// A command line the AWS CLI would refuse before calling AWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError {
    /// What was wrong.
    pub kind: UsageErrorKind,
}

impl UsageError {
    pub(crate) fn new(kind: UsageErrorKind) -> Self {
        Self { kind }
    }

    /// The status the CLI exits with.
    pub fn exit_code(&self) -> u8 {
        USAGE_EXIT_CODE
    }

    /// Exactly what the AWS CLI writes on stderr.
    pub fn aws_text(&self) -> String {
        let argparse = |message: String| format!("{USAGE_BANNER}\naws: error: {message}\n");
        match &self.kind {
            UsageErrorKind::MissingCommand => {
                argparse("the following arguments are required: command".to_owned())
            }
            UsageErrorKind::InvalidChoice {
                argument, choices, ..
            } => {
                let mut message =
                    format!("argument {argument}: Invalid choice, valid choices are:\n");
                for pair in choices.chunks(2) {
                    let cells: Vec<String> = pair.iter().map(|c| format!("{c:<40}")).collect();
                    message.push('\n');
                    message.push_str(&cells.join(" | "));
                }
                argparse(message)
            }
            UsageErrorKind::MissingRequired { names } => argparse(format!(
                "the following arguments are required: {}",
                names.join(", ")
            )),
            UsageErrorKind::ExpectedOneArgument { option } => {
                argparse(format!("argument {option}: expected one argument"))
            }
            UsageErrorKind::InvalidInt { option, given } => {
                argparse(format!("argument {option}: invalid int value: '{given}'"))
            }
            UsageErrorKind::AmbiguousOption { given, matches } => argparse(format!(
                "ambiguous option: {given} could match {}",
                matches.join(", ")
            )),
            UsageErrorKind::UnknownOptions { words } => {
                format!("{USAGE_BANNER}\nUnknown options: {}\n", words.join(","))
            }
            UsageErrorKind::InvalidPathType { usage, shape } => match usage {
                Some(usage) => format!("\n{usage}\nError: Invalid argument type\n"),
                None => format!("\n{shape}\nError: Invalid argument type\n"),
            },
        }
    }

    /// Advice for the learner, when there is some.
    pub fn help(&self) -> Option<String> {
        match &self.kind {
            UsageErrorKind::MissingCommand => Some("try `aws s3 ls` or `aws s3api list-objects-v2 --bucket NAME`".to_owned()),
            UsageErrorKind::InvalidChoice { choices, .. } => Some(format!(
                "the playground models {}",
                choices.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            )),
            UsageErrorKind::InvalidPathType { .. } => Some("S3 locations are written `s3://BUCKET/KEY`".to_owned()),
            UsageErrorKind::UnknownOptions { .. } => {
                Some("options are spelled `--name value` or `--name=value`; quote values that contain spaces".to_owned())
            }
            _ => None,
        }
    }
}

impl fmt::Display for UsageError {
    /// A learner-facing sentence (lowercase, no final period, inputs in backticks).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            UsageErrorKind::MissingCommand => f.write_str("no command given after `aws`"),
            UsageErrorKind::InvalidChoice {
                argument, given, ..
            } => {
                let what = if *argument == "command" {
                    "service"
                } else {
                    "operation"
                };
                write!(f, "unknown {what} `{given}`")
            }
            UsageErrorKind::MissingRequired { names } => {
                let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                write!(f, "missing required {}", names.join(", "))
            }
            UsageErrorKind::ExpectedOneArgument { option } => {
                write!(f, "option `{option}` needs a value")
            }
            UsageErrorKind::InvalidInt { option, given } => {
                write!(f, "option `{option}` needs a whole number, not `{given}`")
            }
            UsageErrorKind::AmbiguousOption { given, matches } => {
                let matches: Vec<String> = matches.iter().map(|m| format!("`{m}`")).collect();
                write!(f, "option `{given}` could mean {}", matches.join(", "))
            }
            UsageErrorKind::UnknownOptions { words } => {
                let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
                write!(f, "unknown options {}", words.join(", "))
            }
            UsageErrorKind::InvalidPathType { shape, .. } => {
                write!(f, "a path here must be an S3 location `{shape}`")
            }
        }
    }
}

impl std::error::Error for UsageError {}

/// Anything that stops a command line from becoming a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// The line could not be split into words.
    Tokenize(TokenizeError),
    /// The line does not start with `aws`.
    NotAws {
        /// The first word typed.
        first: String,
    },
    /// The AWS CLI would print a usage error.
    Usage(UsageError),
}

impl CliError {
    /// What the learner's terminal would show (the AWS CLI's own text for usage errors).
    pub fn terminal_text(&self) -> String {
        match self {
            Self::Usage(e) => e.aws_text(),
            other => format!("{other}\n"),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Tokenize(e) => e.fmt(f),
            Self::NotAws { first } => write!(f, "commands start with `aws`, not `{first}`"),
            Self::Usage(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for CliError {}

impl From<UsageError> for CliError {
    fn from(e: UsageError) -> Self {
        Self::Usage(e)
    }
}

impl From<TokenizeError> for CliError {
    fn from(e: TokenizeError) -> Self {
        Self::Tokenize(e)
    }
}

/// The message the CLI prints when a `file://` parameter cannot be read (the caller resolves
/// files, so it builds this when its lookup fails).
pub fn paramfile_error(option: &str, uri: &str, reason: &str) -> String {
    format!("\nError parsing parameter '{option}': Unable to load paramfile {uri}: {reason}\n")
}
