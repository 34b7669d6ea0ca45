//! Diagnostics: what is wrong (or worth a second look) in a policy, and where.
//!
//! Errors follow what S3 does at `PutBucketPolicy` (HTTP 400 `MalformedPolicy`, S3 UG
//! `bucket-policies.md`) and IAM at `CreatePolicy` (`MalformedPolicyDocument`); warnings teach.

use serde::Serialize;

use crate::json::{Span, line_col};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The policy is rejected (or cannot be evaluated).
    Error,
    /// The policy is accepted but probably does not do what the author meant.
    Warning,
}

/// One message about a policy, located in the text the learner typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable short identifier (`unknown-action`, `json-syntax`, …) for tests and filtering.
    pub code: &'static str,
    /// Lowercase, no final period, the learner's input in backticks.
    pub message: String,
    /// Advice, e.g. ``did you mean `StringEquals`?``.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// JSON path of the element, e.g. `Statement[1].Condition`.
    pub path: String,
    /// 1-based line of the start of the element.
    pub line: usize,
    /// 1-based column (in characters) of the start of the element.
    pub column: usize,
    /// Byte span of the element in the text.
    pub span: Span,
    /// The message S3 would answer at `PutBucketPolicy` (code `MalformedPolicy`), when S3 rejects it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub s3_message: Option<String>,
}

impl Diagnostic {
    /// An error at `span` of `text`.
    pub fn error(code: &'static str, text: &str, span: Span, path: &str, message: String) -> Self {
        Self::new(Severity::Error, code, text, span, path, message)
    }

    /// A warning at `span` of `text`.
    pub fn warning(
        code: &'static str,
        text: &str,
        span: Span,
        path: &str,
        message: String,
    ) -> Self {
        Self::new(Severity::Warning, code, text, span, path, message)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        text: &str,
        span: Span,
        path: &str,
        message: String,
    ) -> Self {
        let (line, column) = line_col(text, span.start);
        Diagnostic {
            severity,
            code,
            message,
            help: None,
            path: path.to_string(),
            line,
            column,
            span,
            s3_message: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds the `MalformedPolicy` message S3 would answer.
    pub fn with_s3(mut self, message: impl Into<String>) -> Self {
        self.s3_message = Some(message.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}: {} at {}:{}",
            self.message, self.line, self.column
        )?;
        if !self.path.is_empty() {
            write!(f, " ({})", self.path)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        if let Some(s3) = &self.s3_message {
            write!(f, "\n  S3 answers: MalformedPolicy: {s3}")?;
        }
        Ok(())
    }
}
