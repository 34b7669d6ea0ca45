//! `s3pg presign`: prints a SigV4 presigned URL, byte-identical to what botocore (and so
//! `aws s3 presign`) produces for the same credentials, Region, time, lifetime, method, bucket,
//! key and addressing style. Defaults follow the AWS CLI: `GET`, 3600 seconds, `us-east-1`,
//! botocore's `auto` addressing. The time is a flag: the playground never reads a clock.
//! Follows <https://docs.aws.amazon.com/cli/latest/reference/s3/presign.html>.

use s3pg_sigv4::{
    AddressingStyle, AmzDateTime, Credentials, DEFAULT_EXPIRES_SECONDS, DEFAULT_REGION,
    MAX_EXPIRES_SECONDS, PresignInput, presign,
};

const USAGE: &str =
    "usage: s3pg presign s3://BUCKET[/KEY] --access-key AK --secret-key SK --now 20240229T235959Z
                    [--method GET|PUT] [--expires-in SECONDS] [--region REGION]
                    [--session-token TOKEN] [--addressing-style auto|path|virtual] [--explain]

Prints the presigned URL alone on stdout. Defaults: --method GET, --expires-in 3600,
--region us-east-1, --addressing-style auto (virtual-hosted where the bucket name allows it).
--now is the signing time (X-Amz-Date), `20240229T235959Z` or `2024-02-29T23:59:59Z`.
--explain also prints the canonical request, string to sign, signing key and signature on stderr.
";

/// The parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Args {
    bucket: String,
    key: String,
    method: String,
    expires_in: u64,
    region: String,
    access_key: String,
    secret_key: String,
    session_token: Option<String>,
    now: AmzDateTime,
    addressing: AddressingStyle,
    explain: bool,
}

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Parsed {
    Help,
    Run(Box<Args>),
}

const VALUE_FLAGS: [&str; 9] = [
    "--method",
    "--expires-in",
    "--region",
    "--access-key",
    "--secret-key",
    "--session-token",
    "--now",
    "--addressing-style",
    "--profile",
];

fn parse_args(args: &[String]) -> Result<Parsed, String> {
    let mut target: Option<&str> = None;
    let mut values: Vec<(&'static str, String)> = Vec::new();
    let mut explain = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Parsed::Help);
        }
        if arg == "--explain" {
            explain = true;
            continue;
        }
        if arg.starts_with("--") {
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            let Some(flag) = VALUE_FLAGS.iter().copied().find(|f| *f == name) else {
                return Err(format!("unknown option `{name}`"));
            };
            if flag == "--profile" {
                return Err(
                    "`--profile` is not supported here: pass `--access-key` and `--secret-key`"
                        .to_owned(),
                );
            }
            let value = match inline {
                Some(value) => value,
                None => iter
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("option `{flag}` needs a value"))?,
            };
            if values.iter().any(|(f, _)| *f == flag) {
                return Err(format!("option `{flag}` given twice"));
            }
            values.push((flag, value));
            continue;
        }
        if target.is_some() {
            return Err(format!("unexpected argument `{arg}`"));
        }
        target = Some(arg);
    }
    let get = |flag: &str| {
        values
            .iter()
            .find(|(f, _)| *f == flag)
            .map(|(_, v)| v.clone())
    };

    let target = target.ok_or("missing the object to presign, `s3://BUCKET/KEY`")?;
    let path = target
        .strip_prefix("s3://")
        .ok_or_else(|| format!("`{target}` is not an S3 path; expected `s3://BUCKET/KEY`"))?;
    // As the AWS CLI does: the bucket ends at the first `/`, everything after is the key.
    let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
    if bucket.is_empty() {
        return Err(format!("`{target}` names no bucket"));
    }

    let method = get("--method")
        .unwrap_or_else(|| "GET".to_owned())
        .to_ascii_uppercase();
    if method != "GET" && method != "PUT" {
        return Err(format!(
            "`--method {method}` is not supported; use `GET` or `PUT`"
        ));
    }
    let expires_in = match get("--expires-in") {
        None => DEFAULT_EXPIRES_SECONDS,
        Some(text) => text
            .parse::<u64>()
            .map_err(|_| format!("`--expires-in {text}` is not a whole number of seconds"))?,
    };
    let region = get("--region").unwrap_or_else(|| DEFAULT_REGION.to_owned());
    let access_key = get("--access-key").ok_or("missing `--access-key`")?;
    let secret_key = get("--secret-key").ok_or("missing `--secret-key`")?;
    let now_text =
        get("--now").ok_or("missing `--now` (the signing time, e.g. `20240229T235959Z`)")?;
    let now = AmzDateTime::parse(&now_text).map_err(|e| e.to_string())?;
    let addressing = match get("--addressing-style") {
        None => AddressingStyle::Auto,
        Some(text) => AddressingStyle::parse(&text).ok_or_else(|| {
            format!("`--addressing-style {text}` is not one of `auto`, `path`, `virtual`")
        })?,
    };
    Ok(Parsed::Run(Box::new(Args {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        method,
        expires_in,
        region,
        access_key,
        secret_key,
        session_token: get("--session-token"),
        now,
        addressing,
        explain,
    })))
}

/// Runs `s3pg presign` with the arguments after the subcommand; returns the exit status.
pub fn main(args: &[String]) -> u8 {
    let parsed = match parse_args(args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return 2;
        }
    };
    let args = match parsed {
        Parsed::Help => {
            print!("{USAGE}");
            return 0;
        }
        Parsed::Run(args) => args,
    };
    let mut credentials = Credentials::new(&args.access_key, &args.secret_key);
    if let Some(token) = &args.session_token {
        credentials = credentials.with_session_token(token);
    }
    let input = PresignInput {
        method: &args.method,
        bucket: &args.bucket,
        key: &args.key,
        region: &args.region,
        expires_in: args.expires_in,
        credentials: &credentials,
        time: args.now,
        addressing: args.addressing,
    };
    match presign(&input) {
        Ok(url) => {
            if args.explain {
                eprintln!("# canonical request\n{}\n", url.canonical_request);
                eprintln!("# string to sign\n{}\n", url.string_to_sign);
                eprintln!("# signing key\n{}\n", url.signing_key);
                eprintln!("# signature\n{}\n", url.signature);
            }
            if let Some(warning) = lifetime_warning(args.expires_in) {
                eprintln!("{warning}");
            }
            println!("{}", url.url);
            0
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            2
        }
    }
}

/// Like `aws s3 presign`, a lifetime over seven days is still signed (aws/aws-cli#5464), but S3
/// refuses the URL when it is used (`AuthorizationQueryParametersError`, see
/// <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>): say so now,
/// on stderr, so the URL on stdout stays usable in scripts.
fn lifetime_warning(expires_in: u64) -> Option<String> {
    (expires_in > MAX_EXPIRES_SECONDS).then(|| {
        format!(
            "warning: `--expires-in {expires_in}` is over {MAX_EXPIRES_SECONDS} seconds: S3 will refuse this URL\n  help: a SigV4 signature lives at most seven days; use `--expires-in {MAX_EXPIRES_SECONDS}` or less"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    const CREDS: &str =
        "--access-key AKIAIOSFODNN7EXAMPLE --secret-key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn lifetime_over_seven_days_is_signed_but_warned_about() {
        assert_eq!(lifetime_warning(604_800), None);
        assert_eq!(lifetime_warning(3600), None);
        let warning = lifetime_warning(604_801).unwrap();
        assert!(
            warning.starts_with("warning: `--expires-in 604801` is over 604800 seconds")
                && warning.contains("help: "),
            "{warning}"
        );
    }

    #[test]
    fn defaults_follow_the_aws_cli() {
        let Parsed::Run(a) = parse_args(&args(&format!(
            "s3://b/k/x.txt {CREDS} --now 20240229T235959Z"
        )))
        .unwrap() else {
            panic!("expected a run")
        };
        assert_eq!((a.bucket.as_str(), a.key.as_str()), ("b", "k/x.txt"));
        assert_eq!(
            (a.method.as_str(), a.expires_in, a.region.as_str()),
            ("GET", 3600, "us-east-1")
        );
        assert_eq!(a.addressing, AddressingStyle::Auto);
    }

    #[test]
    fn equals_form_and_bucket_level_urls() {
        let line = format!(
            "s3://b --method=put --expires-in=60 --region=eu-west-1 {CREDS} --now=2024-02-29T23:59:59Z"
        );
        let Parsed::Run(a) = parse_args(&args(&line)).unwrap() else {
            panic!("expected a run")
        };
        assert_eq!(
            (a.key.as_str(), a.method.as_str(), a.expires_in),
            ("", "PUT", 60)
        );
    }

    #[test]
    fn usage_errors() {
        let cases = [
            ("", "missing the object"),
            ("b/k", "is not an S3 path"),
            ("s3:///k", "names no bucket"),
            ("s3://b/k --bogus 1", "unknown option `--bogus`"),
            (
                "s3://b/k --method DELETE",
                "`--method DELETE` is not supported",
            ),
            ("s3://b/k --expires-in -5", "is not a whole number"),
            ("s3://b/k --expires-in", "needs a value"),
            ("s3://b/k --region a --region b", "given twice"),
            (
                "s3://b/k --secret-key s --now 20240229T235959Z",
                "missing `--access-key`",
            ),
            ("s3://b/k --access-key a --secret-key s", "missing `--now`"),
            (
                "s3://b/k --access-key a --secret-key s --now yesterday",
                "invalid time `yesterday`",
            ),
            (
                "s3://b/k --access-key a --secret-key s --now 20260230T000000Z",
                "February 2026 has 28 days, so there is no day 30",
            ),
            (
                "s3://b/k --access-key a --secret-key s --now 20240229T235959Z --addressing-style dns",
                "is not one of",
            ),
        ];
        for (line, needle) in cases {
            let err = parse_args(&args(line)).unwrap_err();
            assert!(err.contains(needle), "{line}: {err}");
        }
    }
}
