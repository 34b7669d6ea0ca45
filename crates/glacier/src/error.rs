//! Glacier's errors: a code, its HTTP status, the message Glacier sends, and a learner's help.
//!
//! Codes and statuses follow "Error Responses"
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/api-error-responses.html>): Glacier
//! answers with a JSON body `{"code": …, "message": …, "type": "Client"}`. Where AWS documents or
//! has been observed to send a message text we reproduce it; the rest are marked `[SIM]` in
//! [`GlacierError::message_source`].

use serde::Serialize;

/// The exception codes the simulated service answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ErrorCode {
    /// 403: an IAM or vault policy does not allow the call, the account id in the path is not the
    /// caller's, or the Vault Lock state forbids it.
    AccessDeniedException,
    /// 400: a parameter is wrong (wrong lock id while in progress, invalid policy, non-empty vault).
    InvalidParameterValueException,
    /// 400: a required header or parameter is missing.
    MissingParameterValueException,
    /// 404: the vault, the policy or the lock does not exist.
    ResourceNotFoundException,
    /// 400: the account limit (1,000 vaults per Region) is reached.
    LimitExceededException,
    /// 400: the vault API no longer accepts new customers (since 15 December 2025).
    NoLongerSupportedException,
    /// 400: the request is not signed.
    MissingAuthenticationTokenException,
}

impl ErrorCode {
    /// The code as Glacier writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessDeniedException => "AccessDeniedException",
            Self::InvalidParameterValueException => "InvalidParameterValueException",
            Self::MissingParameterValueException => "MissingParameterValueException",
            Self::ResourceNotFoundException => "ResourceNotFoundException",
            Self::LimitExceededException => "LimitExceededException",
            Self::NoLongerSupportedException => "NoLongerSupportedException",
            Self::MissingAuthenticationTokenException => "MissingAuthenticationTokenException",
        }
    }

    /// The HTTP status AWS documents for the code.
    #[must_use]
    pub fn status(self) -> u16 {
        match self {
            Self::AccessDeniedException => 403,
            Self::ResourceNotFoundException => 404,
            Self::InvalidParameterValueException
            | Self::MissingParameterValueException
            | Self::LimitExceededException
            | Self::NoLongerSupportedException
            | Self::MissingAuthenticationTokenException => 400,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a message text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MessageSource {
    /// Printed in AWS documentation.
    Documented,
    /// Seen from real Glacier in public reports (issue trackers, blog posts).
    Observed,
    /// AWS's text is not public; ours follows the shape of its neighbours.
    Simulated,
}

/// One error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlacierError {
    /// The exception code.
    pub code: ErrorCode,
    /// The `message` Glacier sends.
    pub message: String,
    /// Whether that text is documented, observed or ours.
    pub message_source: MessageSource,
    /// What a learner can do about it (never sent by AWS).
    pub help: Option<String>,
}

impl GlacierError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>, source: MessageSource) -> Self {
        Self {
            code,
            message: message.into(),
            message_source: source,
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.code.status()
    }

    /// The JSON error body exactly as Glacier shapes it.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.code.as_str(),
            "message": self.message,
            "type": "Client",
        })
    }

    /// `Vault not found for ARN: …` (documented on the error page).
    pub(crate) fn vault_not_found(arn: &str) -> Self {
        Self::new(
            ErrorCode::ResourceNotFoundException,
            format!("Vault not found for ARN: {arn}"),
            MessageSource::Documented,
        )
        .with_help("check the vault name, the Region and the account id: vault names are unique per account and Region")
    }

    /// `Access denied for account ID: …` (observed when the path names another account).
    pub(crate) fn wrong_account(account: &str) -> Self {
        Self::new(
            ErrorCode::AccessDeniedException,
            format!("Access denied for account ID: {account}"),
            MessageSource::Observed,
        )
        .with_help("this operation only works on your own account: use `-` or your own account id in the path")
    }
}

impl std::fmt::Display for GlacierError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status(), self.message)
    }
}

impl std::error::Error for GlacierError {}
