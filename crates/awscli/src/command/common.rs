//! What the command parsers share: the SSE choices, the usage errors for a bad choice or a
//! bad path, and option lists put together.

use crate::args::{Opt, opt};
use crate::error::{UsageError, UsageErrorKind};

pub(super) const SSE_CHOICES: &[&str] = &["AES256", "aws:kms", "aws:kms:dsse"];

pub(super) const SSE_C_CHOICES: &[&str] = &["AES256"];

pub(super) fn invalid_choice(
    argument: &'static str,
    given: &str,
    choices: &[&'static str],
) -> UsageError {
    UsageError::new(UsageErrorKind::InvalidChoice {
        argument,
        given: given.to_owned(),
        choices: choices.to_vec(),
    })
}

pub(super) fn path_type(usage: Option<&'static str>, shape: &'static str) -> UsageError {
    UsageError::new(UsageErrorKind::InvalidPathType { usage, shape })
}

pub(super) const SSE_C_READ: [Opt; 3] = [
    opt("--sse-customer-algorithm"),
    opt("--sse-customer-key"),
    opt("--sse-customer-key-md5"),
];

pub(super) fn with(base: &[Opt], more: &[Opt]) -> Vec<Opt> {
    let mut all = base.to_vec();
    all.extend_from_slice(more);
    all
}
