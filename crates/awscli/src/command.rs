//! The AWS CLI commands the playground understands, each a typed value.
//!
//! `aws s3` (ls, cp, rm, mb, rb, presign), `aws s3api` (the bucket, object, policy, ACL, Block
//! Public Access, ownership, versioning, encryption and logging operations), `aws kms`
//! (create-key, enable-key-rotation, put-key-policy), `aws glacier` (the Vault Lock operations)
//! `aws configure set` and `aws sts get-caller-identity`. Options and their required-ness follow the AWS CLI Command Reference
//! (<https://docs.aws.amazon.com/cli/latest/reference/>); structured values (policies,
//! configurations) are kept as typed, JSON or shorthand, for the world to read.
//!
//! Where to read: [`parse_words`] below picks the service and hands the operation to its parser:
//! [`s3`], `parse_s3api` (which tries [`multipart`], [`lock`], [`s3api_objects`] and
//! [`s3api_buckets`]; the types are in [`s3api`]) or [`services`].

mod common;
mod lock;
mod multipart;
mod s3;
mod s3api;
mod s3api_buckets;
mod s3api_objects;
mod services;

pub use self::lock::LockCommand;
pub use self::multipart::{MultipartCommand, SseCArgs};
pub use self::s3::{CpOptions, Location, S3Command, S3Uri};
pub use self::s3api::{AclArgs, ObjectLockArgs, S3ApiCommand, S3ApiQuery};
pub use self::services::{
    ConfigureSet, GlacierCommand, IdentityCommand, KmsCommand, S3ControlCommand,
};

use self::common::invalid_choice;
use self::lock::parse_lock;
use self::multipart::parse_multipart;
use self::s3::parse_s3;
use self::s3api_buckets::{parse_bucket, parse_bucket_access, parse_s3api_query};
use self::s3api_objects::{parse_object_acl_tags, parse_object_read, parse_object_write};
use self::services::{
    IAM_TABLE, STS_TABLE, parse_glacier, parse_identity, parse_kms, parse_s3control,
};
use crate::args::{GlobalOptions, parse_options};
use crate::error::{UsageError, UsageErrorKind};

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `aws s3 …`.
    S3(S3Command),
    /// `aws s3api …` (boxed: its variants are large).
    S3Api(Box<S3ApiCommand>),
    /// `aws kms …`.
    Kms(KmsCommand),
    /// `aws glacier …`.
    Glacier(GlacierCommand),
    /// `aws configure set …`.
    ConfigureSet(ConfigureSet),
    /// `aws configure get NAME`.
    ConfigureGet {
        /// `region`, `default.s3.signature_version`, `profile.dev.region` …
        name: String,
    },
    /// `aws s3control …`.
    S3Control(S3ControlCommand),
    /// `aws sts get-caller-identity`: who the profile's credentials belong to.
    GetCallerIdentity,
    /// `aws iam …`, `aws sts get-session-token | assume-role`.
    Identity(IdentityCommand),
    /// `aws help`, `aws s3 help`, `aws s3api put-object help` …
    Help {
        /// The words before `help`.
        topic: Vec<String>,
    },
}

/// A whole command line: global options and the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// `--profile`, `--region` …
    pub globals: GlobalOptions,
    /// What to do.
    pub command: Command,
}

/// The services modelled, as the CLI would list them.
pub const SERVICES: [&str; 8] = [
    "configure",
    "glacier",
    "iam",
    "kms",
    "s3",
    "s3api",
    "s3control",
    "sts",
];

const S3_OPS: [&str; 6] = ["cp", "ls", "mb", "presign", "rb", "rm"];

const S3API_OPS: [&str; 47] = [
    "abort-multipart-upload",
    "complete-multipart-upload",
    "copy-object",
    "create-bucket",
    "create-multipart-upload",
    "delete-bucket",
    "delete-bucket-lifecycle",
    "delete-bucket-policy",
    "delete-object",
    "delete-object-tagging",
    "delete-objects",
    "delete-public-access-block",
    "get-bucket-acl",
    "get-bucket-lifecycle-configuration",
    "get-bucket-ownership-controls",
    "get-bucket-policy",
    "get-bucket-policy-status",
    "get-bucket-versioning",
    "get-object",
    "get-object-acl",
    "get-object-legal-hold",
    "get-object-lock-configuration",
    "get-object-retention",
    "get-object-tagging",
    "get-public-access-block",
    "head-object",
    "list-buckets",
    "list-multipart-uploads",
    "list-object-versions",
    "list-objects-v2",
    "list-parts",
    "put-bucket-acl",
    "put-bucket-encryption",
    "put-bucket-lifecycle-configuration",
    "put-bucket-logging",
    "put-bucket-ownership-controls",
    "put-bucket-policy",
    "put-bucket-versioning",
    "put-object",
    "put-object-acl",
    "put-object-legal-hold",
    "put-object-lock-configuration",
    "put-object-retention",
    "put-object-tagging",
    "put-public-access-block",
    "upload-part",
    "upload-part-copy",
];

const KMS_OPS: [&str; 6] = [
    "create-key",
    "enable-key-rotation",
    "list-resource-tags",
    "put-key-policy",
    "tag-resource",
    "untag-resource",
];

const GLACIER_OPS: [&str; 3] = [
    "abort-vault-lock",
    "complete-vault-lock",
    "initiate-vault-lock",
];

const CONFIGURE_OPS: [&str; 2] = ["get", "set"];

const STS_OPS: [&str; 3] = ["assume-role", "get-caller-identity", "get-session-token"];

/// The operation names of a table, for the CLI's list of choices.
const IAM_OPS: [&str; 21] = [
    "attach-group-policy",
    "attach-role-policy",
    "attach-user-policy",
    "create-access-key",
    "create-policy",
    "delete-access-key",
    "delete-group-policy",
    "delete-role-policy",
    "delete-user-policy",
    "detach-group-policy",
    "detach-role-policy",
    "detach-user-policy",
    "get-role-policy",
    "get-user-policy",
    "put-group-policy",
    "put-role-policy",
    "put-user-policy",
    "tag-role",
    "tag-user",
    "update-access-key",
    "update-assume-role-policy",
];

const S3CONTROL_OPS: [&str; 3] = [
    "delete-public-access-block",
    "get-public-access-block",
    "put-public-access-block",
];

/// Parses the words after `aws` (global options may appear anywhere).
pub fn parse_words(words: &[String]) -> Result<Invocation, UsageError> {
    let (globals, rest) = crate::args::split_globals(words)?;
    let Some((service, rest)) = rest.split_first() else {
        return Err(UsageError::new(UsageErrorKind::MissingCommand));
    };
    if service == "help" {
        return Ok(Invocation {
            globals,
            command: Command::Help { topic: Vec::new() },
        });
    }
    let ops: &[&'static str] = match service.as_str() {
        "s3" => &S3_OPS,
        "s3api" => &S3API_OPS,
        "kms" => &KMS_OPS,
        "glacier" => &GLACIER_OPS,
        "configure" => &CONFIGURE_OPS,
        "sts" => &STS_OPS,
        "iam" => &IAM_OPS,
        "s3control" => &S3CONTROL_OPS,
        other => return Err(invalid_choice("command", other, &SERVICES)),
    };
    let Some((operation, args)) = rest.split_first() else {
        return Err(UsageError::new(UsageErrorKind::MissingRequired {
            names: vec!["operation".to_owned()],
        }));
    };
    if operation == "help" {
        return Ok(Invocation {
            globals,
            command: Command::Help {
                topic: vec![service.clone()],
            },
        });
    }
    if !ops.contains(&operation.as_str()) {
        return Err(invalid_choice("operation", operation, ops));
    }
    if args.len() == 1 && args.first().is_some_and(|a| a == "help") {
        return Ok(Invocation {
            globals,
            command: Command::Help {
                topic: vec![service.clone(), operation.clone()],
            },
        });
    }
    let command = match service.as_str() {
        "s3" => Command::S3(parse_s3(operation, args)?),
        "s3api" => Command::S3Api(Box::new(parse_s3api(operation, args)?)),
        "kms" => Command::Kms(parse_kms(operation, args)?),
        "glacier" => Command::Glacier(parse_glacier(operation, args)?),
        "sts" if operation == "get-caller-identity" => {
            parse_options(args, &[], &[], 0)?;
            Command::GetCallerIdentity
        }
        "sts" => Command::Identity(parse_identity("sts", STS_TABLE, operation, args)?),
        "iam" => Command::Identity(parse_identity("iam", IAM_TABLE, operation, args)?),
        "s3control" => Command::S3Control(parse_s3control(operation, args)?),
        _ if operation == "get" => {
            let parsed = parse_options(args, &[], &["varname"], 1)?;
            Command::ConfigureGet {
                name: parsed.positionals.into_iter().next().unwrap_or_default(),
            }
        }
        _ => {
            let parsed = parse_options(args, &[], &["varname", "value"], 2)?;
            let mut positionals = parsed.positionals.into_iter();
            Command::ConfigureSet(ConfigureSet {
                name: positionals.next().unwrap_or_default(),
                value: positionals.next().unwrap_or_default(),
            })
        }
    };
    Ok(Invocation { globals, command })
}

/// `aws s3api OPERATION …`: the multipart and Object Lock commands first, then each family's
/// parser in turn, the bucket's own commands last.
fn parse_s3api(operation: &str, args: &[String]) -> Result<S3ApiCommand, UsageError> {
    if let Some(m) = parse_multipart(operation, args)? {
        return Ok(S3ApiCommand::Multipart(m));
    }
    if let Some(l) = parse_lock(operation, args)? {
        return Ok(S3ApiCommand::Lock(l));
    }
    for family in [
        parse_object_write,
        parse_object_read,
        parse_object_acl_tags,
        parse_bucket_access,
        parse_s3api_query,
    ] {
        if let Some(command) = family(operation, args)? {
            return Ok(command);
        }
    }
    parse_bucket(operation, args)
}
