//! Properties of presigning and verification: whatever is signed verifies, and any change to the
//! signature or to anything it covers (method, host, path, a signed parameter) is refused.

#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use proptest::prelude::*;
use s3pg_sigv4::{
    AddressingStyle, AmzDateTime, Credentials, IncomingRequest, PresignInput, presign, split_url,
    verify_presigned,
};

const SIGNED_PARAMS: [&str; 6] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Security-Token",
];

#[derive(Debug, Clone)]
struct Case {
    key: String,
    bucket: &'static str,
    region: &'static str,
    style: AddressingStyle,
    method: &'static str,
    expires_in: u64,
    signed_at: i64,
    token: Option<String>,
    secret: String,
    elapsed: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        "\\PC{0,24}",
        prop::sample::select(vec!["bucket", "my.bucket", "LegacyName", "logs-2024"]),
        prop::sample::select(vec![
            "us-east-1",
            "eu-west-1",
            "ap-southeast-2",
            "cn-north-1",
            "us-gov-west-1",
        ]),
        prop::sample::select(vec![
            AddressingStyle::Auto,
            AddressingStyle::Path,
            AddressingStyle::Virtual,
        ]),
        prop::sample::select(vec!["GET", "PUT"]),
        1u64..=604_800,
        946_684_800i64..2_082_758_399,
        prop::option::of("[A-Za-z0-9+/=]{8,64}"),
        "[A-Za-z0-9+/]{40}",
        0u64..=1_000_000,
    )
        .prop_map(
            |(
                key,
                bucket,
                region,
                style,
                method,
                expires_in,
                signed_at,
                token,
                secret,
                elapsed,
            )| Case {
                key,
                bucket,
                region,
                style,
                method,
                expires_in,
                signed_at,
                token,
                secret,
                elapsed,
            },
        )
}

fn sign(c: &Case) -> String {
    let mut credentials = Credentials::new("AKIAIOSFODNN7EXAMPLE", &c.secret);
    if let Some(token) = &c.token {
        credentials = credentials.with_session_token(token);
    }
    presign(&PresignInput {
        method: c.method,
        bucket: c.bucket,
        key: &c.key,
        region: c.region,
        expires_in: c.expires_in,
        credentials: &credentials,
        time: AmzDateTime::from_unix_seconds(c.signed_at),
        addressing: c.style,
    })
    .unwrap()
    .url
}

fn now(c: &Case) -> AmzDateTime {
    AmzDateTime::from_unix_seconds(
        c.signed_at + i64::try_from(c.elapsed % (c.expires_in + 1)).unwrap(),
    )
}

fn verifies(url: &str, method: &str, secret: &str, now: AmzDateTime, region: &str) -> bool {
    let Some(parts) = split_url(url) else {
        return false;
    };
    let request = IncomingRequest {
        method,
        host: &parts.host,
        path: &parts.path,
        query: &parts.query,
        headers: &[],
    };
    verify_presigned(&request, secret, now, Some(region)).is_ok()
}

// Replaces the character at `index` (counted in chars) by `by`.
fn replace_char(text: &str, index: usize, by: char) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| if i == index { by } else { c })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sign_then_verify_round_trips(c in case()) {
        let url = sign(&c);
        prop_assert!(verifies(&url, c.method, &c.secret, now(&c), c.region), "{url}");
        let parts = split_url(&url).unwrap();
        let request = IncomingRequest { method: c.method, host: &parts.host, path: &parts.path, query: &parts.query, headers: &[] };
        let verified = verify_presigned(&request, &c.secret, now(&c), None).unwrap();
        prop_assert_eq!(verified.freshness.signature_age_ms, (c.elapsed % (c.expires_in + 1)) * 1000);
    }

    #[test]
    fn any_change_to_the_signature_fails(c in case(), position in 0usize..64, digit in 0u32..16) {
        let url = sign(&c);
        let (rest, signature) = url.rsplit_once("X-Amz-Signature=").unwrap();
        let replacement = char::from_digit(digit, 16).unwrap();
        prop_assume!(signature.chars().nth(position) != Some(replacement));
        let forged = format!("{rest}X-Amz-Signature={}", replace_char(signature, position, replacement));
        prop_assert!(!verifies(&forged, c.method, &c.secret, now(&c), c.region));
    }

    #[test]
    fn any_change_to_a_signed_parameter_fails(c in case(), which in 0usize..SIGNED_PARAMS.len(), salt in "[g-z]{1,3}") {
        let url = sign(&c);
        let name = SIGNED_PARAMS[which];
        prop_assume!(url.contains(&format!("{name}=")));
        let forged = url.replacen(&format!("{name}="), &format!("{name}={salt}"), 1);
        prop_assert!(!verifies(&forged, c.method, &c.secret, now(&c), c.region), "{forged}");
    }

    #[test]
    fn any_change_to_the_path_host_or_method_fails(c in case(), position in 1usize..200, by in "[g-z]", target in 0u8..3) {
        let url = sign(&c);
        let parts = split_url(&url).unwrap();
        let (method, host, path) = match target {
            0 => {
                let chars = parts.path.chars().count();
                prop_assume!(chars > 1);
                let index = 1 + position % (chars - 1);
                let by = by.chars().next().unwrap();
                prop_assume!(parts.path.chars().nth(index) != Some(by));
                (c.method.to_owned(), parts.host.clone(), replace_char(&parts.path, index, by))
            }
            1 => (c.method.to_owned(), format!("{by}{}", parts.host), parts.path.clone()),
            _ => ((if c.method == "GET" { "PUT" } else { "GET" }).to_owned(), parts.host.clone(), parts.path.clone()),
        };
        let request = IncomingRequest { method: &method, host: &host, path: &path, query: &parts.query, headers: &[] };
        prop_assert!(verify_presigned(&request, &c.secret, now(&c), Some(c.region)).is_err(), "{method} {host}{path}");
    }

    #[test]
    fn the_wrong_secret_never_verifies(c in case(), other in "[A-Za-z0-9+/]{40}") {
        prop_assume!(other != c.secret);
        let url = sign(&c);
        prop_assert!(!verifies(&url, c.method, &other, now(&c), c.region));
    }
}
