//! KMS's errors, each with its exception name, HTTP status and AWS message, and how S3 passes
//! them on to its own caller when an SSE-KMS request fails.
//!
//! Follows the KMS API Reference's "Common Errors" and per-operation error lists
//! (<https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html>), the key-state
//! table (<https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html>) and our
//! semantics notes §6.6 / Appendix A for S3's side (`KMS.DisabledException`, `403 AccessDenied`).
//!
//! KMS answers almost every client error with HTTP 400 — including `AccessDeniedException`,
//! which S3 turns into its own `403 AccessDenied`.

use core::fmt;

use serde::Serialize;

/// A KMS error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code")]
pub enum KmsError {
    /// `AccessDeniedException`: the key policy and IAM policies do not allow the call.
    #[serde(rename = "AccessDeniedException")]
    AccessDenied {
        /// KMS's message: ``User: ARN is not authorized to perform: kms:Decrypt on resource: KEY-ARN because …``.
        message: String,
        /// Whether the caller belongs to the key's account (S3 shows the detailed message only then).
        same_account: bool,
    },
    /// `NotFoundException`: no such key or alias (or a key id that is not well formed).
    #[serde(rename = "NotFoundException")]
    NotFound {
        /// KMS's message (``Key 'arn:…' does not exist``, ``Alias arn:… is not found.``).
        message: String,
    },
    /// `DisabledException`: the key is disabled.
    #[serde(rename = "DisabledException")]
    Disabled {
        /// The key's ARN.
        key_arn: String,
    },
    /// `KMSInvalidStateException`: the key's state forbids the operation (pending deletion, …).
    #[serde(rename = "KMSInvalidStateException")]
    InvalidState {
        /// KMS's message (``arn:… is pending deletion.``).
        message: String,
    },
    /// `InvalidCiphertextException`: the ciphertext or its encryption context is not the one KMS
    /// produced. KMS returns no message text for it.
    #[serde(rename = "InvalidCiphertextException")]
    InvalidCiphertext,
    /// `IncorrectKeyException`: the key named in a `Decrypt`/`ReEncrypt` is not the key that
    /// encrypted the ciphertext.
    #[serde(rename = "IncorrectKeyException")]
    IncorrectKey,
    /// `MalformedPolicyDocumentException`: the key policy is not valid, or fails the lockout check.
    #[serde(rename = "MalformedPolicyDocumentException")]
    MalformedPolicyDocument {
        /// KMS's message.
        message: String,
        /// The policy engine's findings, learner-readable (empty for the lockout check).
        details: Vec<String>,
    },
    /// `AlreadyExistsException`: the alias is taken.
    #[serde(rename = "AlreadyExistsException")]
    AlreadyExists {
        /// KMS's message.
        message: String,
    },
    /// `InvalidAliasNameException`: the alias name is malformed or reserved (`alias/aws/…`).
    #[serde(rename = "InvalidAliasNameException")]
    InvalidAliasName {
        /// KMS's message.
        message: String,
    },
    /// `ValidationException`: a parameter is out of range.
    #[serde(rename = "ValidationException")]
    Validation {
        /// KMS's message.
        message: String,
    },
    /// `TagException`: a tag key or value breaks KMS's tag rules.
    #[serde(rename = "TagException")]
    Tag {
        /// KMS's message.
        message: String,
    },
    /// `UnsupportedOperationException`: the key cannot do this (e.g. rotate an AWS managed key).
    #[serde(rename = "UnsupportedOperationException")]
    UnsupportedOperation {
        /// KMS's message.
        message: String,
    },
}

impl KmsError {
    /// The exception name KMS returns in `__type`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::AccessDenied { .. } => "AccessDeniedException",
            Self::NotFound { .. } => "NotFoundException",
            Self::Disabled { .. } => "DisabledException",
            Self::InvalidState { .. } => "KMSInvalidStateException",
            Self::InvalidCiphertext => "InvalidCiphertextException",
            Self::IncorrectKey => "IncorrectKeyException",
            Self::MalformedPolicyDocument { .. } => "MalformedPolicyDocumentException",
            Self::AlreadyExists { .. } => "AlreadyExistsException",
            Self::InvalidAliasName { .. } => "InvalidAliasNameException",
            Self::Validation { .. } => "ValidationException",
            Self::Tag { .. } => "TagException",
            Self::UnsupportedOperation { .. } => "UnsupportedOperationException",
        }
    }

    /// The HTTP status: KMS uses 400 for every client error, access denial included.
    #[must_use]
    pub fn status(&self) -> u16 {
        400
    }

    /// The message text exactly as KMS returns it (empty where KMS returns none).
    #[must_use]
    pub fn aws_message(&self) -> String {
        match self {
            Self::AccessDenied { message, .. }
            | Self::NotFound { message }
            | Self::InvalidState { message }
            | Self::MalformedPolicyDocument { message, .. }
            | Self::AlreadyExists { message }
            | Self::InvalidAliasName { message }
            | Self::Validation { message }
            | Self::Tag { message }
            | Self::UnsupportedOperation { message } => message.clone(),
            Self::Disabled { key_arn } => format!("{key_arn} is disabled."),
            Self::InvalidCiphertext => String::new(),
            // [SIM] AWS documents when IncorrectKeyException is raised but not its message text.
            Self::IncorrectKey => "The key ID in the request does not identify the KMS key that encrypted the ciphertext.".into(),
        }
    }

    /// Extra advice for the learner.
    #[must_use]
    pub fn help(&self) -> Option<&'static str> {
        match self {
            Self::AccessDenied { .. } => Some(
                "KMS needs the key policy to allow the call; IAM policies count only when the key \
                 policy allows the account (`arn:aws:iam::ACCOUNT:root`), and across accounts both \
                 the key policy and the caller's IAM policy must allow it",
            ),
            Self::Disabled { .. } => Some(
                "a disabled key cannot encrypt or decrypt; `EnableKey` makes it usable again and \
                 nothing encrypted under it is lost",
            ),
            Self::InvalidState { .. } => Some(
                "a key pending deletion cannot be used; `CancelKeyDeletion` (then `EnableKey`) \
                 recovers it before the waiting period ends — after that, data encrypted under it \
                 is unrecoverable",
            ),
            Self::InvalidCiphertext => Some(
                "KMS binds the encryption context to the ciphertext: decrypting needs exactly the \
                 same context pairs that were given when it was encrypted",
            ),
            Self::IncorrectKey => {
                Some("a ciphertext can only be decrypted by the KMS key that encrypted it")
            }
            Self::MalformedPolicyDocument { details, .. } if details.is_empty() => Some(
                "KMS refuses a key policy that would stop you from changing it again; allow your \
                 principal (or the account root, to enable IAM policies) `kms:PutKeyPolicy`, or \
                 set `BypassPolicyLockoutSafetyCheck` if you really mean it",
            ),
            Self::NotFound { .. } => Some(
                "a key id or alias name is looked up in the caller's own account and Region; \
                 to use another account's key, give its full key ARN",
            ),
            _ => None,
        }
    }

    /// How S3 answers its own caller when the KMS call it made for an SSE-KMS request fails
    /// (semantics notes §6.3, §6.6).
    ///
    /// - `AccessDeniedException` becomes S3's `403 AccessDenied`: same-account callers see the
    ///   detailed message naming the `kms:` action, others the plain `Access Denied`
    ///   (S3 UG `troubleshoot-403-errors.md`);
    /// - `NotFoundException`, `DisabledException`, `KMSInvalidStateException` keep their message and
    ///   become `400 KMS.<name>` (observed on real S3, §6.6);
    /// - \[SIM\] any other KMS error is passed on the same way (`400 KMS.<name>`): AWS does not
    ///   document them for S3.
    #[must_use]
    pub fn to_s3_error(&self) -> S3KmsError {
        match self {
            Self::AccessDenied {
                message,
                same_account,
            } => S3KmsError {
                status: 403,
                code: "AccessDenied".into(),
                message: if *same_account {
                    message.clone()
                } else {
                    "Access Denied".into()
                },
            },
            other => S3KmsError {
                status: 400,
                code: format!("KMS.{}", other.code()),
                message: other.aws_message(),
            },
        }
    }

    /// The KMS API Reference page for this error.
    #[must_use]
    pub fn doc_url(&self) -> &'static str {
        match self {
            Self::AccessDenied { .. } => {
                "https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html"
            }
            Self::Disabled { .. } | Self::InvalidState { .. } => {
                "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html"
            }
            Self::MalformedPolicyDocument { .. } => {
                "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key"
            }
            Self::InvalidCiphertext | Self::IncorrectKey => {
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html"
            }
            _ => "https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html",
        }
    }
}

impl fmt::Display for KmsError {
    /// The learner's sentence: lowercase, no final period.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AccessDenied { message, .. } => write!(f, "kms denied the call: {message}"),
            Self::NotFound { message } => write!(f, "kms found no such key: {message}"),
            Self::Disabled { key_arn } => write!(f, "key `{key_arn}` is disabled"),
            Self::InvalidState { message } => {
                write!(f, "the key's state forbids this: {}", message.trim_end_matches('.'))
            }
            Self::InvalidCiphertext => f.write_str(
                "the ciphertext does not decrypt: it was altered, or the encryption context differs from the one used to encrypt it",
            ),
            Self::IncorrectKey => {
                f.write_str("the key named in the request is not the key that encrypted the ciphertext")
            }
            Self::MalformedPolicyDocument { message, details } => {
                write!(f, "the key policy was refused: {}", message.trim_end_matches('.'))?;
                for d in details {
                    write!(f, "; {d}")?;
                }
                Ok(())
            }
            Self::AlreadyExists { message }
            | Self::InvalidAliasName { message }
            | Self::Validation { message }
            | Self::Tag { message }
            | Self::UnsupportedOperation { message } => {
                write!(f, "{}", message.trim_end_matches('.'))
            }
        }
    }
}

impl core::error::Error for KmsError {}

/// What S3 answers when the KMS call behind an SSE-KMS request fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct S3KmsError {
    /// HTTP status (403 or 400).
    pub status: u16,
    /// S3's error code (`AccessDenied`, `KMS.DisabledException`, …).
    pub code: String,
    /// S3's message.
    pub message: String,
}
