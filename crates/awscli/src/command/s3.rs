//! `aws s3` (ls, cp, rm, mb, rb, presign): the S3 URIs and local paths, and the flags the
//! playground models.
//!
//! Follows <https://docs.aws.amazon.com/cli/latest/reference/s3/>.

use super::common::{SSE_C_CHOICES, SSE_CHOICES, path_type};
use crate::args::{Kind, Opt, flag, parse_options, plain};
use crate::error::{UsageError, UsageErrorKind};

/// `s3://BUCKET/KEY`, split as the AWS CLI splits it (the bucket ends at the first `/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Uri {
    /// The bucket name.
    pub bucket: String,
    /// The key or prefix (may be empty).
    pub key: String,
}

impl S3Uri {
    /// Reads `s3://BUCKET[/KEY]`; `None` without the scheme or without a bucket.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix("s3://")?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return None;
        }
        Some(Self {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
        })
    }
}

impl std::fmt::Display for S3Uri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// Either side of `aws s3 cp`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A local file or directory path (`-` is stdin or stdout).
    Local(String),
    /// An S3 location.
    S3(S3Uri),
}

/// Options of `aws s3 cp` that matter to security.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CpOptions {
    /// `--recursive`.
    pub recursive: bool,
    /// `--acl` (canned ACL).
    pub acl: Option<String>,
    /// `--sse` (`AES256`, `aws:kms`, `aws:kms:dsse`; `--sse` alone means `AES256`).
    pub sse: Option<String>,
    /// `--sse-kms-key-id`.
    pub sse_kms_key_id: Option<String>,
    /// `--sse-c` (`AES256`).
    pub sse_c: Option<String>,
    /// `--sse-c-key`.
    pub sse_c_key: Option<String>,
    /// `--content-type`.
    pub content_type: Option<String>,
    /// `--storage-class`.
    pub storage_class: Option<String>,
    /// `--grants` (`read=uri=…` …).
    pub grants: Vec<String>,
    /// `--include` patterns.
    pub include: Vec<String>,
    /// `--exclude` patterns.
    pub exclude: Vec<String>,
    /// `--dryrun`.
    pub dryrun: bool,
}

/// `aws s3 …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3Command {
    /// `aws s3 ls [s3://BUCKET/PREFIX]`; `None` lists buckets.
    Ls {
        /// What to list.
        path: Option<S3Uri>,
        /// `--recursive`.
        recursive: bool,
        /// `--human-readable`.
        human_readable: bool,
        /// `--summarize`.
        summarize: bool,
    },
    /// `aws s3 cp SOURCE DESTINATION`.
    Cp {
        /// Where from.
        source: Location,
        /// Where to.
        destination: Location,
        /// Options.
        options: Box<CpOptions>,
    },
    /// `aws s3 rm s3://BUCKET/KEY`.
    Rm {
        /// What to delete.
        path: S3Uri,
        /// `--recursive`.
        recursive: bool,
        /// `--dryrun`.
        dryrun: bool,
    },
    /// `aws s3 mb s3://BUCKET`.
    Mb {
        /// The bucket to make.
        bucket: String,
    },
    /// `aws s3 rb s3://BUCKET [--force]`.
    Rb {
        /// The bucket to remove.
        bucket: String,
        /// `--force`: delete every object first.
        force: bool,
    },
    /// `aws s3 presign s3://BUCKET/KEY [--expires-in N]`.
    Presign {
        /// The object.
        path: S3Uri,
        /// `--expires-in`, default 3600.
        expires_in: i64,
    },
}

pub(super) fn parse_s3(operation: &str, args: &[String]) -> Result<S3Command, UsageError> {
    match operation {
        "ls" => {
            let p = parse_options(
                args,
                &[
                    flag("--recursive"),
                    flag("--human-readable"),
                    flag("--summarize"),
                    plain("--page-size"),
                ],
                &[],
                1,
            )?;
            let path = match p.positionals.first() {
                None => None,
                // `aws s3 ls bucket/prefix` works without the scheme too.
                Some(word) => {
                    let full = if word.starts_with("s3://") {
                        word.clone()
                    } else {
                        format!("s3://{word}")
                    };
                    Some(S3Uri::parse(&full).ok_or_else(|| path_type(None, "<S3Uri>"))?)
                }
            };
            Ok(S3Command::Ls {
                path,
                recursive: p.flag("--recursive"),
                human_readable: p.flag("--human-readable"),
                summarize: p.flag("--summarize"),
            })
        }
        "cp" => parse_cp(args),
        "rm" => {
            let options = [
                flag("--recursive"),
                flag("--dryrun"),
                flag("--quiet"),
                flag("--only-show-errors"),
                Opt {
                    name: "--include",
                    kind: Kind::Repeated,
                    required: false,
                },
                Opt {
                    name: "--exclude",
                    kind: Kind::Repeated,
                    required: false,
                },
            ];
            let p = parse_options(args, &options, &["paths"], 1)?;
            let word = p
                .positionals
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            let path = S3Uri::parse(word)
                .ok_or_else(|| path_type(Some("usage: aws s3 rm <S3Uri>"), "<S3Uri>"))?;
            Ok(S3Command::Rm {
                path,
                recursive: p.flag("--recursive"),
                dryrun: p.flag("--dryrun"),
            })
        }
        "mb" | "rb" => {
            let options: &[Opt] = if operation == "rb" {
                &[flag("--force")]
            } else {
                &[]
            };
            let p = parse_options(args, options, &["path"], 1)?;
            let word = p
                .positionals
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            let uri = S3Uri::parse(word).ok_or_else(|| path_type(None, "<S3Uri>"))?;
            Ok(if operation == "mb" {
                S3Command::Mb { bucket: uri.bucket }
            } else {
                S3Command::Rb {
                    bucket: uri.bucket,
                    force: p.flag("--force"),
                }
            })
        }
        _ => {
            let p = parse_options(args, &[plain("--expires-in")], &["path"], 1)?;
            let word = p
                .positionals
                .first()
                .map(String::as_str)
                .unwrap_or_default();
            // `aws s3 presign` accepts the path with or without `s3://`.
            let full = if word.starts_with("s3://") {
                word.to_owned()
            } else {
                format!("s3://{word}")
            };
            let path = S3Uri::parse(&full).ok_or_else(|| path_type(None, "<S3Uri>"))?;
            Ok(S3Command::Presign {
                path,
                expires_in: p.int("--expires-in")?.unwrap_or(3600),
            })
        }
    }
}

/// `aws s3 cp`: a local path and an S3 URI in either order (or two S3 URIs), with the flags
/// the playground models.
pub(super) fn parse_cp(args: &[String]) -> Result<S3Command, UsageError> {
    const USAGE: &str =
        "usage: aws s3 cp <LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>";
    let options = [
        flag("--recursive"),
        flag("--dryrun"),
        flag("--quiet"),
        flag("--no-progress"),
        flag("--only-show-errors"),
        plain("--acl"),
        Opt {
            name: "--sse",
            kind: Kind::OptionalValue("AES256", SSE_CHOICES),
            required: false,
        },
        plain("--sse-kms-key-id"),
        Opt {
            name: "--sse-c",
            kind: Kind::OptionalValue("AES256", SSE_C_CHOICES),
            required: false,
        },
        plain("--sse-c-key"),
        plain("--content-type"),
        plain("--storage-class"),
        Opt {
            name: "--grants",
            kind: Kind::Many,
            required: false,
        },
        Opt {
            name: "--include",
            kind: Kind::Repeated,
            required: false,
        },
        Opt {
            name: "--exclude",
            kind: Kind::Repeated,
            required: false,
        },
        plain("--metadata"),
        plain("--expected-size"),
    ];
    let p = parse_options(args, &options, &["paths"], 2)?;
    let mut words = p.positionals.iter();
    let (Some(source), Some(destination)) = (words.next(), words.next()) else {
        return Err(UsageError::new(UsageErrorKind::MissingRequired {
            names: vec!["paths".to_owned()],
        }));
    };
    let location = |word: &str| -> Result<Location, UsageError> {
        if word.starts_with("s3://") {
            S3Uri::parse(word)
                .map(Location::S3)
                .ok_or_else(|| path_type(Some(USAGE), "<S3Uri>"))
        } else {
            Ok(Location::Local(word.to_owned()))
        }
    };
    let (source, destination) = (location(source)?, location(destination)?);
    if matches!(
        (&source, &destination),
        (Location::Local(_), Location::Local(_))
    ) {
        return Err(path_type(Some(USAGE), "<S3Uri>"));
    }
    let options = CpOptions {
        recursive: p.flag("--recursive"),
        acl: p.text("--acl"),
        sse: p.text("--sse"),
        sse_kms_key_id: p.text("--sse-kms-key-id"),
        sse_c: p.text("--sse-c"),
        sse_c_key: p.text("--sse-c-key"),
        content_type: p.text("--content-type"),
        storage_class: p.text("--storage-class"),
        grants: p.all_texts("--grants"),
        include: p.all_texts("--include"),
        exclude: p.all_texts("--exclude"),
        dryrun: p.flag("--dryrun"),
    };
    Ok(S3Command::Cp {
        source,
        destination,
        options: Box::new(options),
    })
}
