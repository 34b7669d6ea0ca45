//! What S3 answers when a presigned URL arrives: every error of
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html> with its code,
//! status, message and extra elements, plus S3's own path rules (no normalisation, one encoding).

#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use s3pg_sigv4::verify::spaced_hex;
use s3pg_sigv4::{
    AddressingStyle, AmzDateTime, AuthError, Credentials, IncomingRequest, PresignInput,
    PresignedUrl, QueryAuth, UriPathRules, is_presigned, presign, split_url, verify_presigned,
};

const AK: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn t(text: &str) -> AmzDateTime {
    AmzDateTime::parse(text).unwrap()
}

fn sign(key: &str, expires_in: u64, token: Option<&str>) -> PresignedUrl {
    let mut credentials = Credentials::new(AK, SECRET);
    if let Some(token) = token {
        credentials = credentials.with_session_token(token);
    }
    presign(&PresignInput {
        method: "GET",
        bucket: "sim-bucket",
        key,
        region: "eu-west-1",
        expires_in,
        credentials: &credentials,
        time: t("20231219T040747Z"),
        addressing: AddressingStyle::Virtual,
    })
    .unwrap()
}

fn check(url: &str, method: &str, now: &str) -> Result<s3pg_sigv4::Verified, AuthError> {
    let parts = split_url(url).unwrap();
    let request = IncomingRequest {
        method,
        host: &parts.host,
        path: &parts.path,
        query: &parts.query,
        headers: &[],
    };
    verify_presigned(&request, SECRET, t(now), Some("eu-west-1"))
}

fn with_param(url: &str, name: &str, value: Option<&str>) -> String {
    let (base, query) = url.split_once('?').unwrap();
    let mut pieces: Vec<String> = query
        .split('&')
        .filter_map(|piece| {
            let (n, _) = piece.split_once('=').unwrap_or((piece, ""));
            if n == name {
                value.map(|v| format!("{n}={v}"))
            } else {
                Some(piece.to_owned())
            }
        })
        .collect();
    if let Some(value) = value
        && !query.split('&').any(|p| p.starts_with(&format!("{name}=")))
    {
        pieces.push(format!("{name}={value}"));
    }
    format!("{base}?{}", pieces.join("&"))
}

#[test]
fn presigned_url_accepted_within_its_lifetime_with_signature_age() {
    let url = sign("report.pdf", 3600, None);
    let ok = check(&url.url, "GET", "20231219T041747Z").unwrap();
    assert_eq!(ok.freshness.signature_age_ms, 600_000);
    assert_eq!(ok.freshness.expires_at, t("2023-12-19T05:07:47Z"));
    // The last second of the lifetime still counts.
    assert!(check(&url.url, "GET", "20231219T050747Z").is_ok());
}

#[test]
fn presigned_url_rejected_after_expiry() {
    let url = sign("report.pdf", 3600, None);
    let err = check(&url.url, "GET", "2023-12-19T18:45:49Z").unwrap_err();
    assert_eq!((err.code(), err.http_status()), ("AccessDenied", 403));
    assert_eq!(err.s3_message(), "Request has expired");
    assert_eq!(
        err.extra_elements(),
        vec![
            ("X-Amz-Expires", "3600".to_owned()),
            ("Expires", "2023-12-19T05:07:47Z".to_owned()),
            ("ServerTime", "2023-12-19T18:45:49Z".to_owned()),
        ]
    );
    assert_eq!(
        err.to_string(),
        "the URL expired at `2023-12-19T05:07:47Z`; the server's time is `2023-12-19T18:45:49Z`"
    );
    assert!(err.help().is_some());
}

#[test]
fn presigned_url_from_the_future_is_not_valid_yet() {
    let url = sign("report.pdf", 3600, None);
    let err = check(&url.url, "GET", "20231219T035246Z").unwrap_err();
    assert_eq!(
        (err.code(), err.http_status(), err.s3_message().as_str()),
        ("AccessDenied", 403, "Request is not valid yet")
    );
    // Within the tolerated skew the age is reported as zero.
    assert_eq!(
        check(&url.url, "GET", "20231219T035247Z")
            .unwrap()
            .freshness
            .signature_age_ms,
        0
    );
}

#[test]
fn each_missing_parameter_is_an_authorization_query_parameters_error() {
    let url = sign("k", 60, None);
    for name in s3pg_sigv4::verify::REQUIRED_PARAMETERS {
        let err = check(&with_param(&url.url, name, None), "GET", "20231219T040747Z").unwrap_err();
        assert_eq!(
            err,
            AuthError::MissingParameters {
                missing: vec![name]
            },
            "{name}"
        );
        assert_eq!(
            (err.code(), err.http_status()),
            ("AuthorizationQueryParametersError", 400)
        );
        assert_eq!(
            err.s3_message(),
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
        );
    }
}

#[test]
fn malformed_parameters_get_s3_messages() {
    let url = sign("k", 60, None);
    let cases: [(&str, &str, &str); 12] = [
        (
            "X-Amz-Algorithm",
            "AWS4-HMAC-SHA1",
            "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"",
        ),
        (
            "X-Amz-Credential",
            "AKIA%2F20231219%2Feu-west-1%2Fs3",
            "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".",
        ),
        (
            "X-Amz-Credential",
            "AKIA%2F2023121%2Feu-west-1%2Fs3%2Faws4_request",
            "Error parsing the X-Amz-Credential parameter; incorrect date format \"2023121\". This date in the credential must be in the format \"yyyyMMdd\".",
        ),
        (
            "X-Amz-Credential",
            "AKIA%2F20231219%2Feu-west-1%2Fs4%2Faws4_request",
            "Error parsing the X-Amz-Credential parameter; incorrect service \"s4\". This endpoint belongs to \"s3\".",
        ),
        (
            "X-Amz-Credential",
            "AKIA%2F20231219%2Feu-west-1%2Fs3%2Faws5_request",
            "Error parsing the X-Amz-Credential parameter; incorrect terminal \"aws5_request\". This endpoint uses \"aws4_request\".",
        ),
        (
            "X-Amz-Credential",
            "AKIA%2F20231219%2Fus-east-1%2Fs3%2Faws4_request",
            "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
        ),
        (
            "X-Amz-Credential",
            "AKIA%2F20231220%2Feu-west-1%2Fs3%2Faws4_request",
            "Invalid credential date \"20231220\". This date is not the same as X-Amz-Date: \"20231219\".",
        ),
        (
            "X-Amz-Date",
            "2023-12-19T04:07:47Z",
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
        ),
        ("X-Amz-Expires", "soon", "X-Amz-Expires should be a number"),
        ("X-Amz-Expires", "-5", "X-Amz-Expires must be non-negative"),
        (
            "X-Amz-Expires",
            "604801",
            "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
        ),
        (
            "X-Amz-Expires",
            "99999999999999999999999",
            "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds",
        ),
    ];
    for (name, value, message) in cases {
        let err = check(
            &with_param(&url.url, name, Some(value)),
            "GET",
            "20231219T040747Z",
        )
        .unwrap_err();
        assert_eq!(err.s3_message(), message, "{name}={value}");
        assert_eq!(
            (err.code(), err.http_status()),
            ("AuthorizationQueryParametersError", 400),
            "{name}={value}"
        );
        assert!(!err.to_string().ends_with('.'), "{err}");
    }
}

#[test]
fn wrong_region_names_the_bucket_region() {
    let url = sign("k", 60, None);
    let parts = split_url(&url.url).unwrap();
    let auth = QueryAuth::parse(&parts.query).unwrap();
    let err = auth.check_region("ap-south-1").unwrap_err();
    assert_eq!(
        err.extra_elements(),
        vec![("Region", "ap-south-1".to_owned())]
    );
    assert_eq!(
        err.to_string(),
        "the URL was signed for region `eu-west-1` but the bucket is in `ap-south-1`"
    );
}

#[test]
fn seven_days_is_the_longest_accepted_lifetime() {
    let url = sign("k", 604_800, None);
    assert!(check(&url.url, "GET", "20231226T040747Z").is_ok());
    assert!(matches!(
        check(&url.url, "GET", "20231226T040748Z"),
        Err(AuthError::Expired { .. })
    ));
}

#[test]
fn wrong_secret_is_signature_does_not_match_with_the_string_to_sign() {
    let url = sign("k", 60, None);
    let parts = split_url(&url.url).unwrap();
    let request = IncomingRequest {
        method: "GET",
        host: &parts.host,
        path: &parts.path,
        query: &parts.query,
        headers: &[],
    };
    let err =
        verify_presigned(&request, "not-the-secret", t("20231219T040747Z"), None).unwrap_err();
    assert_eq!(
        (err.code(), err.http_status()),
        ("SignatureDoesNotMatch", 403)
    );
    assert_eq!(
        err.s3_message(),
        "The request signature we calculated does not match the signature you provided. Check your key and signing method."
    );
    let extras = err.extra_elements();
    let names: Vec<&str> = extras.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "AWSAccessKeyId",
            "StringToSign",
            "SignatureProvided",
            "StringToSignBytes",
            "CanonicalRequest",
            "CanonicalRequestBytes"
        ]
    );
    // The string to sign does not depend on the secret: the learner can compare it with the signer's.
    assert_eq!(extras[1].1, url.string_to_sign.to_string());
    assert_eq!(extras[4].1, url.canonical_request.to_string());
    assert!(
        extras[3]
            .1
            .starts_with("41 57 53 34 2d 48 4d 41 43 2d 53 48 41 32 35 36 0a")
    );
}

#[test]
fn tampered_method_key_or_host_breaks_the_signature() {
    let url = sign(
        "private/report.pdf",
        60,
        Some("FQoGZXIvYXdzEJr//////////wEaDOS+token="),
    );
    assert!(check(&url.url, "GET", "20231219T040747Z").is_ok());
    assert!(matches!(
        check(&url.url, "PUT", "20231219T040747Z"),
        Err(AuthError::SignatureDoesNotMatch(_))
    ));
    let other_key = url
        .url
        .replace("/private/report.pdf", "/private/salaries.xlsx");
    assert!(matches!(
        check(&other_key, "GET", "20231219T040747Z"),
        Err(AuthError::SignatureDoesNotMatch(_))
    ));
    let other_host = url.url.replace("sim-bucket.", "other-bucket.");
    assert!(matches!(
        check(&other_host, "GET", "20231219T040747Z"),
        Err(AuthError::SignatureDoesNotMatch(_))
    ));
    let no_token = with_param(&url.url, "X-Amz-Security-Token", None);
    assert!(matches!(
        check(&no_token, "GET", "20231219T040747Z"),
        Err(AuthError::SignatureDoesNotMatch(_))
    ));
}

#[test]
fn s3_does_not_normalise_object_key_paths() {
    // `a/./b//c` and `a/b/c` are different S3 keys: the signature binds the exact one.
    let url = sign("a/./b//c/../d", 60, None);
    assert!(url.url.contains("/a/./b//c/../d?"), "{}", url.url);
    assert_eq!(url.canonical_request.canonical_uri, "/a/./b//c/../d");
    assert!(check(&url.url, "GET", "20231219T040747Z").is_ok());
    let normalised = url.url.replace("/a/./b//c/../d?", "/a/b/d?");
    assert!(matches!(
        check(&normalised, "GET", "20231219T040747Z"),
        Err(AuthError::SignatureDoesNotMatch(_))
    ));
}

#[test]
fn s3_encodes_keys_once_where_other_services_encode_twice() {
    assert_eq!(
        UriPathRules::S3.canonical_uri("/my%20file.txt"),
        "/my%20file.txt"
    );
    assert_eq!(
        UriPathRules::GENERIC.canonical_uri("/my%20file.txt"),
        "/my%2520file.txt"
    );
    assert_eq!(UriPathRules::S3.canonical_uri("/a/./b//c"), "/a/./b//c");
    assert_eq!(UriPathRules::GENERIC.canonical_uri("/a/./b//c"), "/a/b/c");
    // S3 reads the key, then encodes it its own way: `%7E` and `~` name the same key.
    assert_eq!(
        UriPathRules::S3.canonical_uri("/%7Euser/x%2By"),
        "/~user/x%2By"
    );
}

#[test]
fn keys_with_spaces_plus_percent_and_unicode_round_trip() {
    for key in [
        "a b",
        "a+b",
        "100%",
        "50%25",
        "café/menü.pdf",
        "日本語/ファイル.txt",
        "😀",
        "~/x",
        "q?x=1#f",
    ] {
        let url = sign(key, 60, None);
        assert!(
            check(&url.url, "GET", "20231219T040747Z").is_ok(),
            "{key}: {}",
            url.url
        );
    }
}

#[test]
fn query_detection_and_url_splitting() {
    assert!(is_presigned("X-Amz-Algorithm=AWS4-HMAC-SHA256"));
    assert!(is_presigned("versionId=3&X-Amz-Signature=ab"));
    assert!(!is_presigned("versionId=3"));
    let parts = split_url("https://b.s3.amazonaws.com/k%20x?a=1#frag").unwrap();
    assert_eq!(
        (
            parts.host.as_str(),
            parts.path.as_str(),
            parts.query.as_str()
        ),
        ("b.s3.amazonaws.com", "/k%20x", "a=1")
    );
    assert_eq!(split_url("https://b.s3.amazonaws.com").unwrap().path, "/");
    assert!(split_url("b.s3.amazonaws.com/k").is_none());
    assert_eq!(spaced_hex("AW\n"), "41 57 0a");
}

#[test]
fn unsigned_amz_headers_are_refused_and_signed_ones_verify() {
    let credentials = Credentials::new(AK, SECRET);
    let input = PresignInput {
        method: "PUT",
        bucket: "sim-bucket",
        key: "up.txt",
        region: "eu-west-1",
        expires_in: 600,
        credentials: &credentials,
        time: t("20231219T040747Z"),
        addressing: AddressingStyle::Virtual,
    };
    let plain = presign(&input).unwrap();
    let parts = split_url(&plain.url).unwrap();
    let sent = vec![
        ("x-amz-acl".to_owned(), "public-read".to_owned()),
        ("Content-Type".to_owned(), "text/plain".to_owned()),
    ];
    let request = IncomingRequest {
        method: "PUT",
        host: &parts.host,
        path: &parts.path,
        query: &parts.query,
        headers: &sent,
    };
    let err = verify_presigned(&request, SECRET, t("20231219T040747Z"), None).unwrap_err();
    assert_eq!(
        err,
        AuthError::HeadersNotSigned {
            names: vec!["x-amz-acl".to_owned()]
        }
    );
    assert_eq!((err.code(), err.http_status()), ("AccessDenied", 403));
    assert_eq!(
        err.s3_message(),
        "There were headers present in the request which were not signed"
    );
    assert_eq!(
        err.extra_elements(),
        vec![("HeadersNotSigned", "x-amz-acl".to_owned())]
    );

    // Signed into the URL, the same header verifies; a different value does not.
    let signed = s3pg_sigv4::presign_with_headers(&input, &[("x-amz-acl", "public-read")]).unwrap();
    let parts = split_url(&signed.url).unwrap();
    let request = IncomingRequest {
        method: "PUT",
        host: &parts.host,
        path: &parts.path,
        query: &parts.query,
        headers: &sent,
    };
    assert!(verify_presigned(&request, SECRET, t("20231219T040747Z"), None).is_ok());
    let other = vec![("X-Amz-Acl".to_owned(), "private".to_owned())];
    let request = IncomingRequest {
        method: "PUT",
        host: &parts.host,
        path: &parts.path,
        query: &parts.query,
        headers: &other,
    };
    assert!(matches!(
        verify_presigned(&request, SECRET, t("20231219T040747Z"), None),
        Err(AuthError::SignatureDoesNotMatch(_))
    ));
}

#[test]
fn zero_lifetime_lapses_after_the_signing_second() {
    let url = sign("k", 0, None);
    assert!(check(&url.url, "GET", "20231219T040747Z").is_ok());
    assert!(matches!(
        check(&url.url, "GET", "20231219T040748Z"),
        Err(AuthError::Expired { expires_in: 0, .. })
    ));
}
