//! The AWS CLI's command-line syntax for the S3 Security Playground: a learner types
//! `aws s3api put-bucket-policy --bucket b --policy file://policy.json` and gets a typed
//! [`Command`], or exactly the usage error the real `aws` would print.
//!
//! Three steps, each usable alone: [`tokenize`] splits the line like a shell; [`parse_words`]
//! reads global options, the service, the operation and its parameters; `file://` values stay
//! references ([`ArgValue::File`]) for the caller to resolve. [`presign_url`] runs
//! `aws s3 presign` fully, with the same signer as `s3pg presign`. [`Console`] runs whole command
//! lines against the simulated world (`s3pg_sim::World`) and prints what the AWS CLI v2 prints.
//! No clock, filesystem or network is touched.
//!
//! ```
//! use s3pg_awscli::Console;
//! use s3pg_sim::scenario::Scenario;
//!
//! let scenario = Scenario::from_json(include_str!("../../../tests/scenarios/iam-01-identity-allow.json")).unwrap();
//! let mut world = scenario.world.clone();
//! world.normalize();
//! let mut console = Console::new();
//! let denied = console.run(
//!     &mut world,
//!     "aws s3api put-object --bucket examplebucket --key new.txt --profile alice",
//!     scenario.start,
//! );
//! assert_eq!(denied.exit_code, 254);
//! assert!(denied.stderr.starts_with("\nAn error occurred (AccessDenied) when calling the PutObject operation: "));
//! assert_eq!(denied.outcomes.len(), 1); // the request, with its full trace
//! ```
//! Follows the AWS CLI Command Reference, <https://docs.aws.amazon.com/cli/latest/reference/>.

mod args;
mod command;
mod console;
mod error;
pub mod shorthand;
mod tokenize;

pub use args::{ArgValue, GlobalOptions, split_globals};
pub use command::{
    AclArgs, Command, ConfigureSet, CpOptions, GlacierCommand, Invocation, KmsCommand, Location,
    S3ApiCommand, S3ApiQuery, S3Command, S3ControlCommand, S3Uri, SERVICES, parse_words,
};
pub use console::{
    CONFIGURATION_ERROR_EXIT_CODE, Console, ConsoleResult, GENERAL_ERROR_EXIT_CODE, Profile,
    SERVICE_ERROR_EXIT_CODE, ScriptLine, TRANSFER_FAILED_EXIT_CODE, error_sentence,
    expand_mfa_codes, local_name, script_exit_code,
};
pub use error::{
    CliError, USAGE_BANNER, USAGE_EXIT_CODE, UsageError, UsageErrorKind, paramfile_error,
};
pub use shorthand::{Shorthand, ShorthandError};
pub use tokenize::{TokenizeError, tokenize};

use s3pg_sigv4::{AddressingStyle, AmzDateTime, Credentials, PresignInput, presign};

/// Tokenises and parses a whole command line, which must start with `aws`.
pub fn parse_line(line: &str) -> Result<Invocation, CliError> {
    let words = tokenize(line)?;
    match words.split_first() {
        Some((first, rest)) if first == "aws" => Ok(parse_words(rest)?),
        Some((first, _)) => Err(CliError::NotAws {
            first: first.clone(),
        }),
        None => Err(CliError::NotAws {
            first: String::new(),
        }),
    }
}

/// Runs `aws s3 presign`: the URL the AWS CLI prints for `path`, signed by `credentials` in
/// `region` at `now` (the CLI's default addressing). Errors are learner sentences.
pub fn presign_url(
    path: &S3Uri,
    expires_in: i64,
    credentials: &Credentials,
    region: &str,
    now: AmzDateTime,
) -> Result<String, String> {
    let expires_in = u64::try_from(expires_in)
        .map_err(|_| format!("`--expires-in {expires_in}` is negative"))?;
    let url = presign(&PresignInput {
        method: "GET",
        bucket: &path.bucket,
        key: &path.key,
        region,
        expires_in,
        credentials,
        time: now,
        addressing: AddressingStyle::Auto,
    })
    .map_err(|e| e.to_string())?;
    Ok(url.url)
}
