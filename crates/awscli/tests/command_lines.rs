//! Table of AWS CLI command lines → the typed command, or the usage error the AWS CLI prints.

#![expect(clippy::panic, reason = "test helpers outside #[test] functions")]

use s3pg_awscli::{
    ArgValue, CliError, Command, GlacierCommand, KmsCommand, Location, S3ApiCommand, S3Command,
    S3Uri, UsageErrorKind, parse_line, presign_url,
};
use s3pg_sigv4::{AmzDateTime, Credentials};

fn ok(line: &str) -> Command {
    match parse_line(line) {
        Ok(invocation) => invocation.command,
        Err(e) => panic!("{line}: {e}\n{}", e.terminal_text()),
    }
}

fn usage(line: &str) -> UsageErrorKind {
    match parse_line(line) {
        Err(CliError::Usage(e)) => {
            assert_eq!(e.exit_code(), 252);
            e.kind
        }
        other => panic!("{line}: expected a usage error, got {other:?}"),
    }
}

fn uri(bucket: &str, key: &str) -> S3Uri {
    S3Uri {
        bucket: bucket.into(),
        key: key.into(),
    }
}

fn text(s: &str) -> ArgValue {
    ArgValue::Text(s.into())
}

fn s3api(line: &str) -> S3ApiCommand {
    match ok(line) {
        Command::S3Api(c) => *c,
        other => panic!("{line}: {other:?}"),
    }
}

#[test]
fn s3_high_level_commands() {
    let cases: Vec<(&str, S3Command)> = vec![
        (
            "aws s3 ls",
            S3Command::Ls {
                path: None,
                recursive: false,
                human_readable: false,
                summarize: false,
            },
        ),
        (
            "aws s3 ls s3://b/logs/ --recursive --human-readable --summarize",
            S3Command::Ls {
                path: Some(uri("b", "logs/")),
                recursive: true,
                human_readable: true,
                summarize: true,
            },
        ),
        (
            "aws s3 ls b",
            S3Command::Ls {
                path: Some(uri("b", "")),
                recursive: false,
                human_readable: false,
                summarize: false,
            },
        ),
        (
            "aws s3 rm s3://b/old.txt",
            S3Command::Rm {
                path: uri("b", "old.txt"),
                recursive: false,
                dryrun: false,
            },
        ),
        (
            "aws s3 rm s3://b --recursive",
            S3Command::Rm {
                path: uri("b", ""),
                recursive: true,
                dryrun: false,
            },
        ),
        (
            "aws s3 mb s3://new-bucket",
            S3Command::Mb {
                bucket: "new-bucket".into(),
            },
        ),
        (
            "aws s3 rb s3://old-bucket --force",
            S3Command::Rb {
                bucket: "old-bucket".into(),
                force: true,
            },
        ),
        (
            "aws s3 presign s3://b/report.pdf",
            S3Command::Presign {
                path: uri("b", "report.pdf"),
                expires_in: 3600,
            },
        ),
        (
            "aws s3 presign b/k --expires-in 604800",
            S3Command::Presign {
                path: uri("b", "k"),
                expires_in: 604_800,
            },
        ),
        (
            "aws s3 presign s3://b/k --expires-in=60",
            S3Command::Presign {
                path: uri("b", "k"),
                expires_in: 60,
            },
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(ok(line), Command::S3(expected), "{line}");
    }
}

#[test]
fn s3_cp_directions_and_encryption_options() {
    let Command::S3(S3Command::Cp {
        source,
        destination,
        options,
    }) = ok(
        "aws s3 cp ./report.pdf s3://b/reports/report.pdf --sse aws:kms --sse-kms-key-id alias/app --acl bucket-owner-full-control",
    )
    else {
        panic!("cp")
    };
    assert_eq!(source, Location::Local("./report.pdf".into()));
    assert_eq!(destination, Location::S3(uri("b", "reports/report.pdf")));
    assert_eq!(options.sse.as_deref(), Some("aws:kms"));
    assert_eq!(options.sse_kms_key_id.as_deref(), Some("alias/app"));
    assert_eq!(options.acl.as_deref(), Some("bucket-owner-full-control"));

    // `--sse` alone means AES256 and does not swallow the next path.
    let Command::S3(S3Command::Cp {
        source, options, ..
    }) = ok("aws s3 cp --sse s3://b/a.txt s3://c/a.txt")
    else {
        panic!("cp")
    };
    assert_eq!(source, Location::S3(uri("b", "a.txt")));
    assert_eq!(options.sse.as_deref(), Some("AES256"));

    let Command::S3(S3Command::Cp {
        destination,
        options,
        ..
    }) = ok(
        "aws s3 cp s3://b/ ./out --recursive --exclude '*' --include '*.log' --include '*.txt' --grants read=uri=http://acs.amazonaws.com/groups/global/AllUsers full=id=abc",
    )
    else {
        panic!("cp")
    };
    assert_eq!(destination, Location::Local("./out".into()));
    assert!(options.recursive);
    assert_eq!(options.include, ["*.log", "*.txt"]);
    assert_eq!(options.exclude, ["*"]);
    assert_eq!(
        options.grants,
        [
            "read=uri=http://acs.amazonaws.com/groups/global/AllUsers",
            "full=id=abc"
        ]
    );
}

#[test]
fn s3api_commands() {
    assert_eq!(
        s3api(
            "aws s3api create-bucket --bucket b --create-bucket-configuration LocationConstraint=eu-west-1 --object-ownership BucketOwnerEnforced"
        ),
        S3ApiCommand::CreateBucket {
            bucket: "b".into(),
            acl: None,
            configuration: Some(text("LocationConstraint=eu-west-1")),
            object_ownership: Some("BucketOwnerEnforced".into()),
            object_lock_enabled: None,
        }
    );
    assert_eq!(
        s3api("aws s3api put-bucket-policy --bucket b --policy file://policy.json"),
        S3ApiCommand::PutBucketPolicy {
            bucket: "b".into(),
            policy: ArgValue::File {
                path: "policy.json".into(),
                binary: false
            }
        }
    );
    assert_eq!(
        s3api(
            r#"aws s3api put-bucket-policy --bucket=b --policy '{"Version":"2012-10-17","Statement":[]}'"#
        ),
        S3ApiCommand::PutBucketPolicy {
            bucket: "b".into(),
            policy: text(r#"{"Version":"2012-10-17","Statement":[]}"#)
        }
    );
    assert_eq!(
        s3api(
            "aws s3api get-object --bucket b --key 'my file.txt' out.txt --version-id 3HL4kqtJlcpXroDTDmJ"
        ),
        S3ApiCommand::GetObject {
            bucket: "b".into(),
            key: "my file.txt".into(),
            outfile: "out.txt".into(),
            version_id: Some("3HL4kqtJlcpXroDTDmJ".into()),
            sse_customer_algorithm: None,
            sse_customer_key: None,
            sse_customer_key_md5: None,
            range: None,
        }
    );
    let S3ApiCommand::PutObject {
        body,
        server_side_encryption,
        bucket_key_enabled,
        metadata,
        ..
    } = s3api(
        "aws s3api put-object --bucket b --key k --body ./k.bin --server-side-encryption aws:kms --bucket-key-enabled --metadata owner=alice",
    )
    else {
        panic!("put-object")
    };
    assert_eq!(body.as_deref(), Some("./k.bin"));
    assert_eq!(server_side_encryption.as_deref(), Some("aws:kms"));
    assert_eq!(bucket_key_enabled, Some(true));
    assert_eq!(metadata, Some(text("owner=alice")));
    let S3ApiCommand::PutObject {
        bucket_key_enabled, ..
    } = s3api("aws s3api put-object --bucket b --key k --no-bucket-key-enabled")
    else {
        panic!("put-object")
    };
    assert_eq!(bucket_key_enabled, Some(false));
    assert_eq!(
        s3api(
            r#"aws s3api delete-object --bucket b --key k --version-id v1 --mfa "arn:aws:iam::123456789012:mfa/root-account-mfa-device 123456""#
        ),
        S3ApiCommand::DeleteObject {
            bucket: "b".into(),
            key: "k".into(),
            version_id: Some("v1".into()),
            mfa: Some("arn:aws:iam::123456789012:mfa/root-account-mfa-device 123456".into()),
            bypass_governance_retention: false,
        }
    );
    assert_eq!(
        s3api(
            "aws s3api put-public-access-block --bucket b --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
        ),
        S3ApiCommand::PutPublicAccessBlock {
            bucket: "b".into(),
            configuration: text(
                "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true"
            ),
        }
    );
    assert_eq!(
        s3api(
            "aws s3api put-bucket-ownership-controls --bucket b --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'"
        ),
        S3ApiCommand::PutBucketOwnershipControls {
            bucket: "b".into(),
            ownership_controls: text("Rules=[{ObjectOwnership=BucketOwnerEnforced}]"),
        }
    );
    assert_eq!(
        s3api(
            r#"aws s3api put-bucket-versioning --bucket b --versioning-configuration MFADelete=Enabled,Status=Enabled --mfa "SERIAL 123456""#
        ),
        S3ApiCommand::PutBucketVersioning {
            bucket: "b".into(),
            configuration: text("MFADelete=Enabled,Status=Enabled"),
            mfa: Some("SERIAL 123456".into()),
        }
    );
    let S3ApiCommand::PutObjectAcl {
        acl, version_id, ..
    } = s3api(
        "aws s3api put-object-acl --bucket b --key k --grant-read uri=http://acs.amazonaws.com/groups/global/AllUsers --version-id v2",
    )
    else {
        panic!("put-object-acl")
    };
    assert_eq!(
        acl.grant_read.as_deref(),
        Some("uri=http://acs.amazonaws.com/groups/global/AllUsers")
    );
    assert_eq!(version_id.as_deref(), Some("v2"));
    let S3ApiCommand::PutBucketAcl { acl, .. } =
        s3api("aws s3api put-bucket-acl --bucket b --acl public-read")
    else {
        panic!("put-bucket-acl")
    };
    assert_eq!(acl.canned.as_deref(), Some("public-read"));
    assert_eq!(
        s3api("aws s3api list-objects-v2 --bucket b --prefix logs/ --max-items 10"),
        S3ApiCommand::ListObjectsV2 {
            bucket: "b".into(),
            prefix: Some("logs/".into()),
            delimiter: None,
            start_after: None,
            max_items: Some(10),
        }
    );
    assert_eq!(
        s3api("aws s3api list-object-versions --bucket b"),
        S3ApiCommand::ListObjectVersions {
            bucket: "b".into(),
            prefix: None
        }
    );
    assert_eq!(
        s3api("aws s3api get-bucket-policy --bucket b"),
        S3ApiCommand::GetBucketPolicy { bucket: "b".into() }
    );
    assert_eq!(
        s3api("aws s3api get-bucket-versioning --bucket b"),
        S3ApiCommand::GetBucketVersioning { bucket: "b".into() }
    );
    assert!(matches!(
        s3api(
            "aws s3api head-object --bucket b --key k --sse-customer-algorithm AES256 --sse-customer-key MzJieXRlc2xvbmdzZWNyZXRrZXltdXN0YmVwcm92aWRlZA=="
        ),
        S3ApiCommand::HeadObject {
            sse_customer_algorithm: Some(_),
            sse_customer_key: Some(_),
            ..
        }
    ));
    assert_eq!(
        s3api(
            "aws s3api put-bucket-encryption --bucket b --server-side-encryption-configuration file://enc.json"
        ),
        S3ApiCommand::PutBucketEncryption {
            bucket: "b".into(),
            configuration: ArgValue::File {
                path: "enc.json".into(),
                binary: false
            }
        }
    );
    assert_eq!(
        s3api(
            "aws s3api put-bucket-logging --bucket b --bucket-logging-status fileb://logging.json"
        ),
        S3ApiCommand::PutBucketLogging {
            bucket: "b".into(),
            status: ArgValue::File {
                path: "logging.json".into(),
                binary: true
            }
        }
    );
}

#[test]
fn kms_glacier_configure_and_globals() {
    assert_eq!(
        ok("aws kms create-key --description 'app key'"),
        Command::Kms(KmsCommand::CreateKey {
            description: Some("app key".into()),
            policy: None,
            key_usage: None,
            key_spec: None
        })
    );
    assert_eq!(
        ok("aws kms enable-key-rotation --key-id 1234abcd-12ab-34cd-56ef-1234567890ab"),
        Command::Kms(KmsCommand::EnableKeyRotation {
            key_id: "1234abcd-12ab-34cd-56ef-1234567890ab".into(),
            rotation_period_in_days: None
        })
    );
    assert_eq!(
        ok(
            "aws kms put-key-policy --key-id k --policy-name default --policy file://key_policy.json"
        ),
        Command::Kms(KmsCommand::PutKeyPolicy {
            key_id: "k".into(),
            policy_name: Some("default".into()),
            policy: ArgValue::File {
                path: "key_policy.json".into(),
                binary: false
            },
        })
    );
    assert_eq!(
        ok(
            "aws glacier initiate-vault-lock --account-id - --vault-name examplevault --policy file://lock_policy.json"
        ),
        Command::Glacier(GlacierCommand::InitiateVaultLock {
            account_id: "-".into(),
            vault_name: "examplevault".into(),
            policy: ArgValue::File {
                path: "lock_policy.json".into(),
                binary: false
            },
        })
    );
    assert_eq!(
        ok(
            "aws glacier complete-vault-lock --account-id - --vault-name v --lock-id AE863rKkWZU53SLW5be4DUcW"
        ),
        Command::Glacier(GlacierCommand::CompleteVaultLock {
            account_id: "-".into(),
            vault_name: "v".into(),
            lock_id: "AE863rKkWZU53SLW5be4DUcW".into(),
        })
    );
    assert_eq!(
        ok("aws glacier abort-vault-lock --account-id - --vault-name v"),
        Command::Glacier(GlacierCommand::AbortVaultLock {
            account_id: "-".into(),
            vault_name: "v".into()
        })
    );
    let invocation =
        parse_line("aws --profile dev configure set region eu-west-1 --region us-east-2").unwrap();
    assert_eq!(invocation.globals.profile.as_deref(), Some("dev"));
    assert_eq!(invocation.globals.region.as_deref(), Some("us-east-2"));
    assert_eq!(
        invocation.command,
        Command::ConfigureSet(s3pg_awscli::ConfigureSet {
            name: "region".into(),
            value: "eu-west-1".into()
        })
    );
    let invocation =
        parse_line("aws s3 ls --no-sign-request --region=ap-south-1 --output json").unwrap();
    assert!(invocation.globals.no_sign_request);
    assert_eq!(invocation.globals.output.as_deref(), Some("json"));
    assert_eq!(
        ok("aws s3api help"),
        Command::Help {
            topic: vec!["s3api".into()]
        }
    );
    assert_eq!(
        ok("aws s3api put-object help"),
        Command::Help {
            topic: vec!["s3api".into(), "put-object".into()]
        }
    );
}

#[test]
fn usage_errors_match_the_aws_cli() {
    let cases: Vec<(&str, UsageErrorKind)> = vec![
        ("aws", UsageErrorKind::MissingCommand),
        (
            "aws s3api get-bucket-policy",
            UsageErrorKind::MissingRequired {
                names: vec!["--bucket".into()],
            },
        ),
        (
            "aws s3api get-object --bucket b",
            UsageErrorKind::MissingRequired {
                names: vec!["--key".into(), "outfile".into()],
            },
        ),
        (
            "aws s3api put-bucket-policy --bucket b",
            UsageErrorKind::MissingRequired {
                names: vec!["--policy".into()],
            },
        ),
        (
            "aws kms put-key-policy --policy x",
            UsageErrorKind::MissingRequired {
                names: vec!["--key-id".into()],
            },
        ),
        (
            "aws configure set region",
            UsageErrorKind::MissingRequired {
                names: vec!["value".into()],
            },
        ),
        (
            "aws s3 cp onlyone",
            UsageErrorKind::MissingRequired {
                names: vec!["paths".into()],
            },
        ),
        (
            "aws s3api get-bucket-policy --bucket",
            UsageErrorKind::ExpectedOneArgument {
                option: "--bucket".into(),
            },
        ),
        (
            "aws s3api get-bucket-policy --bucket --key k",
            UsageErrorKind::ExpectedOneArgument {
                option: "--bucket".into(),
            },
        ),
        (
            "aws s3 presign s3://b/k --expires-in soon",
            UsageErrorKind::InvalidInt {
                option: "--expires-in".into(),
                given: "soon".into(),
            },
        ),
        (
            "aws s3api get-bucket-policy --bucket b --bogus 1",
            UsageErrorKind::UnknownOptions {
                words: vec!["--bogus".into(), "1".into()],
            },
        ),
        (
            "aws s3 mb bucket",
            UsageErrorKind::InvalidPathType {
                usage: None,
                shape: "<S3Uri>",
            },
        ),
        (
            "aws s3 rb bucket",
            UsageErrorKind::InvalidPathType {
                usage: None,
                shape: "<S3Uri>",
            },
        ),
        (
            "aws s3 rm bucket/key",
            UsageErrorKind::InvalidPathType {
                usage: Some("usage: aws s3 rm <S3Uri>"),
                shape: "<S3Uri>",
            },
        ),
        (
            "aws s3 cp a.txt b.txt",
            UsageErrorKind::InvalidPathType {
                usage: Some(
                    "usage: aws s3 cp <LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>",
                ),
                shape: "<S3Uri>",
            },
        ),
        (
            "aws s3api get-bucket-policy --bucket b --recursive",
            UsageErrorKind::UnknownOptions {
                words: vec!["--recursive".into()],
            },
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(usage(line), expected, "{line}");
    }
    assert!(matches!(
        usage("aws s4 ls"),
        UsageErrorKind::InvalidChoice {
            argument: "command",
            ..
        }
    ));
    assert!(matches!(
        usage("aws s3api put-bucket-polciy --bucket b"),
        UsageErrorKind::InvalidChoice {
            argument: "operation",
            ..
        }
    ));
}

#[test]
fn abbreviated_options_work_as_in_argparse() {
    assert_eq!(
        s3api("aws s3api get-bucket-policy --buck b"),
        S3ApiCommand::GetBucketPolicy { bucket: "b".into() }
    );
    let S3ApiCommand::PutObject {
        bucket_key_enabled, ..
    } = s3api("aws s3api put-object --bucket b --key k --no-bucket-key")
    else {
        panic!("put-object")
    };
    assert_eq!(bucket_key_enabled, Some(false));
    let S3ApiCommand::PutBucketAcl { acl, .. } =
        s3api("aws s3api put-bucket-acl --bucket b --grant-read-a x")
    else {
        panic!("put-bucket-acl")
    };
    assert_eq!(acl.grant_read_acp.as_deref(), Some("x"));
    let Err(CliError::Usage(e)) = parse_line("aws s3api put-bucket-acl --bucket b --grant-w x")
    else {
        panic!("usage")
    };
    assert_eq!(
        e.kind,
        UsageErrorKind::AmbiguousOption {
            given: "--grant-w".into(),
            matches: vec!["--grant-write".into(), "--grant-write-acp".into()]
        }
    );
    assert!(e.aws_text().ends_with(
        "aws: error: ambiguous option: --grant-w could match --grant-write, --grant-write-acp\n"
    ));
}

#[test]
fn usage_error_text_is_the_aws_cli_text() {
    let Err(CliError::Usage(e)) = parse_line("aws s3api get-bucket-policy") else {
        panic!("usage")
    };
    assert_eq!(
        e.aws_text(),
        "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n\
To see help text, you can run:\n\
\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\
\naws: error: the following arguments are required: --bucket\n"
    );
    assert_eq!(e.to_string(), "missing required `--bucket`");
    let Err(CliError::Usage(e)) = parse_line("aws s3 mb bucket") else {
        panic!("usage")
    };
    assert_eq!(e.aws_text(), "\n<S3Uri>\nError: Invalid argument type\n");
    assert!(e.help().unwrap().contains("s3://"));
    let Err(CliError::Usage(e)) = parse_line("aws s4 ls") else {
        panic!("usage")
    };
    assert!(
        e.aws_text().contains(
            "aws: error: argument command: Invalid choice, valid choices are:\n\nconfigure"
        )
    );
    let Err(CliError::Usage(e)) = parse_line("aws s3api get-bucket-policy --bucket b --x 1") else {
        panic!("usage")
    };
    assert!(
        e.aws_text()
            .ends_with("aws <command> <subcommand> help\n\nUnknown options: --x,1\n")
    );
}

#[test]
fn lines_that_are_not_aws_commands() {
    assert_eq!(
        parse_line("s3 ls").unwrap_err().to_string(),
        "commands start with `aws`, not `s3`"
    );
    assert!(matches!(
        parse_line("aws s3 cp 'a b"),
        Err(CliError::Tokenize(_))
    ));
}

#[test]
fn aws_s3_presign_runs_the_signer() {
    let Command::S3(S3Command::Presign { path, expires_in }) =
        ok("aws s3 presign s3://examplebucket/test.txt --expires-in 86400")
    else {
        panic!("presign")
    };
    let credentials = Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    );
    let url = presign_url(
        &path,
        expires_in,
        &credentials,
        "us-east-1",
        AmzDateTime::parse("20130524T000000Z").unwrap(),
    )
    .unwrap();
    assert!(
        url.ends_with(
            "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        ),
        "{url}"
    );
    assert_eq!(
        presign_url(
            &path,
            -1,
            &credentials,
            "us-east-1",
            AmzDateTime::from_unix_seconds(0)
        )
        .unwrap_err(),
        "`--expires-in -1` is negative"
    );
}
