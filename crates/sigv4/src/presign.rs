//! S3 presigned URLs exactly as the AWS SDK for Python (botocore) and `aws s3 presign` make them.
//!
//! A presigned URL is an ordinary S3 request whose SigV4 authentication travels in the query
//! string: `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
//! `X-Amz-SignedHeaders`, `X-Amz-Security-Token` (temporary credentials only) and, last,
//! `X-Amz-Signature`. The payload is `UNSIGNED-PAYLOAD` and only `host` is signed.
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html> and
//! <https://docs.aws.amazon.com/cli/latest/reference/s3/presign.html>.
//!
//! Host choice follows botocore's defaults (checked byte for byte by `tests/presign/run.sh`):
//! with the default (`auto`) addressing style in the `aws` partition, a bucket whose name is a
//! valid DNS label is addressed through the *global* endpoint `BUCKET.s3.amazonaws.com` whatever
//! the Region (the scope still names the Region); explicit `virtual` uses the regional endpoint
//! `BUCKET.s3.REGION.amazonaws.com`; `path` uses `s3.REGION.amazonaws.com/BUCKET`; `us-east-1`
//! keeps the legacy `s3.amazonaws.com`. Names that cannot be a host (dots, uppercase, shorter
//! than 3) always fall back to path style.

use std::fmt;

use crate::encoding::uri_encode;
use crate::request::{Credentials, canonical_headers, canonical_query, signed_header_names};
use crate::stages::{
    ALGORITHM, CanonicalRequest, CredentialScope, Signature, SigningKey, SigningKeyDerivation,
    StringToSign, UNSIGNED_PAYLOAD, hex,
};
use crate::time::AmzDateTime;

/// The largest `X-Amz-Expires` S3 accepts: seven days.
pub const MAX_EXPIRES_SECONDS: u64 = 604_800;
/// The SDK's and the CLI's default lifetime: one hour.
pub const DEFAULT_EXPIRES_SECONDS: u64 = 3600;
/// The CLI's default Region.
pub const DEFAULT_REGION: &str = "us-east-1";

/// How the bucket is named in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AddressingStyle {
    /// botocore's default: virtual-hosted through the global endpoint when the name allows it.
    #[default]
    Auto,
    /// `https://s3.REGION.amazonaws.com/BUCKET/KEY`.
    Path,
    /// `https://BUCKET.s3.REGION.amazonaws.com/KEY`.
    Virtual,
}

impl AddressingStyle {
    /// Reads `auto`, `path` or `virtual`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "auto" => Some(Self::Auto),
            "path" => Some(Self::Path),
            "virtual" => Some(Self::Virtual),
            _ => None,
        }
    }
}

/// Where a request for a bucket goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The `Host` (and URL authority).
    pub host: String,
    /// True when the bucket is the first path segment (path style).
    pub bucket_in_path: bool,
}

/// The DNS suffix of the partition a Region belongs to.
pub fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("us-isob-") {
        "sc2s.sgov.gov"
    } else if region.starts_with("us-isof-") {
        "csp.hci.ic.gov"
    } else if region.starts_with("us-iso-") {
        "c2s.ic.gov"
    } else if region.starts_with("eu-isoe-") {
        "cloud.adc-e.uk"
    } else {
        "amazonaws.com"
    }
}

/// True for Regions of the commercial `aws` partition (the only one with a global endpoint).
pub fn is_aws_partition(region: &str) -> bool {
    !(region.starts_with("cn-")
        || region.starts_with("us-gov-")
        || region.starts_with("us-iso")
        || region.starts_with("eu-isoe-"))
}

/// An RFC 1123 host label: 1–63 letters, digits or hyphens, not starting or ending with `-`.
pub fn is_valid_host_label(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b.first() != Some(&b'-')
        && b.last() != Some(&b'-')
}

fn looks_like_ipv4(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|c| c.is_ascii_digit()))
}

/// Can this bucket be the first label of the host? (3–63 characters, lowercase, a valid host
/// label, no dots since the URL is `https`, not an IPv4 address.)
pub fn is_virtual_hostable(bucket: &str) -> bool {
    bucket.len() >= 3
        && bucket.to_ascii_lowercase() == bucket
        && !looks_like_ipv4(bucket)
        && is_valid_host_label(bucket)
}

fn regional_host(region: &str) -> String {
    // The legacy global endpoint for us-east-1, as the SDK keeps by default.
    if region == "us-east-1" {
        "s3.amazonaws.com".to_owned()
    } else {
        format!("s3.{region}.{}", dns_suffix(region))
    }
}

/// The endpoint botocore picks for `bucket` in `region` with `style`.
pub fn s3_endpoint(region: &str, bucket: &str, style: AddressingStyle) -> Endpoint {
    let global =
        style == AddressingStyle::Auto && is_aws_partition(region) && is_valid_host_label(bucket);
    let (base, virtual_allowed) = match style {
        AddressingStyle::Path => (regional_host(region), false),
        _ if global => ("s3.amazonaws.com".to_owned(), true),
        _ => (regional_host(region), true),
    };
    if virtual_allowed && is_virtual_hostable(bucket) {
        Endpoint {
            host: format!("{bucket}.{base}"),
            bucket_in_path: false,
        }
    } else {
        Endpoint {
            host: base,
            bucket_in_path: true,
        }
    }
}

/// The URL path of `bucket`/`key` at an endpoint: the key is encoded once, `/` kept, nothing
/// normalised; a bucket-level URL (empty key) is `/BUCKET` in path style and `/` otherwise.
pub fn s3_path(endpoint: &Endpoint, bucket: &str, key: &str) -> String {
    let mut path = String::from("/");
    if endpoint.bucket_in_path {
        path.push_str(&uri_encode(bucket, false));
        if key.is_empty() {
            return path;
        }
        path.push('/');
    }
    path.push_str(&uri_encode(key, true));
    path
}

/// What to presign.
#[derive(Debug, Clone)]
pub struct PresignInput<'a> {
    /// `GET`, `PUT`, `HEAD`, `DELETE` …
    pub method: &'a str,
    /// The bucket name.
    pub bucket: &'a str,
    /// The object key; empty for a bucket-level URL.
    pub key: &'a str,
    /// The Region of the credential scope.
    pub region: &'a str,
    /// `X-Amz-Expires` in seconds.
    pub expires_in: u64,
    /// The signer.
    pub credentials: &'a Credentials,
    /// The signing time (`X-Amz-Date`).
    pub time: AmzDateTime,
    /// Path or virtual-hosted style.
    pub addressing: AddressingStyle,
}

/// Why a URL could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresignError {
    /// The bucket name is empty.
    EmptyBucket,
    /// The Region is empty or not a host label chain.
    InvalidRegion(String),
    /// The method is not an HTTP token.
    InvalidMethod(String),
}

impl fmt::Display for PresignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyBucket => f.write_str("the bucket name is empty"),
            Self::InvalidRegion(region) => write!(f, "`{region}` is not a region name"),
            Self::InvalidMethod(method) => write!(f, "`{method}` is not an HTTP method"),
        }
    }
}

impl std::error::Error for PresignError {}

/// A presigned URL and each stage that produced it.
#[derive(Debug, Clone)]
pub struct PresignedUrl {
    /// The whole URL, byte-identical to botocore's.
    pub url: String,
    /// The host the URL names.
    pub host: String,
    /// The encoded path.
    pub path: String,
    /// Stage 1.
    pub canonical_request: CanonicalRequest,
    /// Stage 2.
    pub string_to_sign: StringToSign,
    /// Stage 3.
    pub signing_key: SigningKey,
    /// Stage 3 in detail: kDate, kRegion, kService, kSigning.
    pub derivation: SigningKeyDerivation,
    /// Stage 4.
    pub signature: Signature,
}

/// One step of the signing process as a learner is shown it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningStep {
    /// What the step makes.
    pub title: &'static str,
    /// How, in the specification's notation.
    pub formula: &'static str,
    /// The value it produced for this URL.
    pub value: String,
}

impl PresignedUrl {
    /// The signing process step by step, from canonical request to URL.
    pub fn steps(&self) -> Vec<SigningStep> {
        let d = &self.derivation;
        vec![
            SigningStep {
                title: "canonical request",
                formula: "Method \\n CanonicalURI \\n CanonicalQueryString \\n CanonicalHeaders \\n SignedHeaders \\n UNSIGNED-PAYLOAD",
                value: self.canonical_request.to_string(),
            },
            SigningStep {
                title: "hash of the canonical request",
                formula: "hex(SHA256(CanonicalRequest))",
                value: self.string_to_sign.canonical_request_hash.clone(),
            },
            SigningStep {
                title: "string to sign",
                formula: "AWS4-HMAC-SHA256 \\n X-Amz-Date \\n Scope \\n hex(SHA256(CanonicalRequest))",
                value: self.string_to_sign.to_string(),
            },
            SigningStep {
                title: "date key",
                formula: "kDate = HMAC(\"AWS4\" + secret, date)",
                value: hex(&d.k_date),
            },
            SigningStep {
                title: "region key",
                formula: "kRegion = HMAC(kDate, region)",
                value: hex(&d.k_region),
            },
            SigningStep {
                title: "service key",
                formula: "kService = HMAC(kRegion, \"s3\")",
                value: hex(&d.k_service),
            },
            SigningStep {
                title: "signing key",
                formula: "kSigning = HMAC(kService, \"aws4_request\")",
                value: d.k_signing.to_string(),
            },
            SigningStep {
                title: "signature",
                formula: "hex(HMAC(kSigning, StringToSign))",
                value: self.signature.to_string(),
            },
            SigningStep {
                title: "presigned URL",
                formula: "URL ? auth parameters & X-Amz-Signature",
                value: self.url.clone(),
            },
        ]
    }
}

impl fmt::Display for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

/// Presigns for S3 at an explicit host and path (the world can pass its own endpoint).
pub fn presign_at(
    input: &PresignInput<'_>,
    host: &str,
    path: &str,
) -> Result<PresignedUrl, PresignError> {
    presign_at_with_headers(input, host, path, &[])
}

/// Presigns with extra headers the user of the URL must send unchanged, as the SDK does for
/// SSE-C keys, `x-amz-server-side-encryption` or `x-amz-acl` (they join `X-Amz-SignedHeaders`).
pub fn presign_at_with_headers(
    input: &PresignInput<'_>,
    host: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<PresignedUrl, PresignError> {
    presign_at_with_query(input, host, path, headers, &[])
}

/// Presigns with extra headers and the operation's own query parameters, which the signature
/// covers (`uploadId` and `partNumber` for a pre-signed UploadPart, `versionId` …); they come
/// first in the URL, as the SDKs put them.
pub fn presign_at_with_query(
    input: &PresignInput<'_>,
    host: &str,
    path: &str,
    headers: &[(&str, &str)],
    query: &[(&str, &str)],
) -> Result<PresignedUrl, PresignError> {
    let method = input.method.to_ascii_uppercase();
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(PresignError::InvalidMethod(input.method.to_owned()));
    }
    if input.region.is_empty() || !input.region.split('.').all(is_valid_host_label) {
        return Err(PresignError::InvalidRegion(input.region.to_owned()));
    }
    let mut all_headers: Vec<(String, String)> = vec![("host".to_owned(), host.to_owned())];
    all_headers.extend(
        headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
    );
    let canonical_headers = canonical_headers(&all_headers);
    let signed_headers = signed_header_names(&canonical_headers);

    let scope = CredentialScope::new(input.time, input.region, "s3");
    let credential = format!("{}/{scope}", input.credentials.access_key_id);
    let amz_date = input.time.to_basic();
    let expires = input.expires_in.to_string();
    // botocore's order; the canonical query sorts them anyway.
    let mut params: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", &amz_date),
        ("X-Amz-Expires", &expires),
        ("X-Amz-SignedHeaders", &signed_headers),
    ];
    if let Some(token) = input.credentials.session_token.as_deref() {
        params.push(("X-Amz-Security-Token", token));
    }
    let canonical_request = CanonicalRequest {
        method,
        canonical_uri: path.to_owned(),
        canonical_query: canonical_query(query.iter().copied().chain(params.iter().copied())),
        canonical_headers,
        signed_headers: signed_headers.clone(),
        payload_hash: UNSIGNED_PAYLOAD.to_owned(),
    };
    let string_to_sign = StringToSign::new(input.time, scope.clone(), &canonical_request);
    let derivation = SigningKey::derive_steps(&input.credentials.secret_access_key, &scope);
    let signing_key = derivation.k_signing.clone();
    let signature = Signature::compute(&signing_key, &string_to_sign);

    let mut url = format!("https://{host}{path}?");
    for (name, value) in query.iter().chain(&params) {
        url.push_str(name);
        url.push('=');
        url.push_str(&uri_encode(value, false));
        url.push('&');
    }
    url.push_str("X-Amz-Signature=");
    url.push_str(&signature.to_string());

    Ok(PresignedUrl {
        url,
        host: host.to_owned(),
        path: path.to_owned(),
        canonical_request,
        string_to_sign,
        signing_key,
        derivation,
        signature,
    })
}

/// Presigns `input` at the endpoint botocore would choose.
pub fn presign(input: &PresignInput<'_>) -> Result<PresignedUrl, PresignError> {
    presign_with_headers(input, &[])
}

/// Presigns `input` at botocore's endpoint, signing extra headers (see [`presign_at_with_headers`]).
pub fn presign_with_headers(
    input: &PresignInput<'_>,
    headers: &[(&str, &str)],
) -> Result<PresignedUrl, PresignError> {
    if input.bucket.is_empty() {
        return Err(PresignError::EmptyBucket);
    }
    let endpoint = s3_endpoint(input.region, input.bucket, input.addressing);
    let path = s3_path(&endpoint, input.bucket, input.key);
    presign_at_with_headers(input, &endpoint.host, &path, headers)
}

/// Presigns `input` at botocore's endpoint with the operation's own query parameters (see
/// [`presign_at_with_query`]).
pub fn presign_with_query(
    input: &PresignInput<'_>,
    query: &[(&str, &str)],
) -> Result<PresignedUrl, PresignError> {
    if input.bucket.is_empty() {
        return Err(PresignError::EmptyBucket);
    }
    let endpoint = s3_endpoint(input.region, input.bucket, input.addressing);
    let path = s3_path(&endpoint, input.bucket, input.key);
    presign_at_with_query(input, &endpoint.host, &path, &[], query)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_table_matches_botocore() {
        use AddressingStyle::{Auto, Path, Virtual};
        let cases = [
            (
                "us-east-1",
                Auto,
                "bucket",
                "bucket.s3.amazonaws.com",
                false,
            ),
            (
                "eu-west-1",
                Auto,
                "bucket",
                "bucket.s3.amazonaws.com",
                false,
            ),
            (
                "eu-west-1",
                Auto,
                "my.bucket",
                "s3.eu-west-1.amazonaws.com",
                true,
            ),
            ("eu-west-1", Auto, "BucketX", "s3.amazonaws.com", true),
            ("eu-west-1", Auto, "ab", "s3.amazonaws.com", true),
            ("eu-west-1", Auto, "b-", "s3.eu-west-1.amazonaws.com", true),
            (
                "eu-west-1",
                Path,
                "bucket",
                "s3.eu-west-1.amazonaws.com",
                true,
            ),
            ("us-east-1", Path, "bucket", "s3.amazonaws.com", true),
            (
                "eu-west-1",
                Virtual,
                "bucket",
                "bucket.s3.eu-west-1.amazonaws.com",
                false,
            ),
            (
                "us-east-1",
                Virtual,
                "bucket",
                "bucket.s3.amazonaws.com",
                false,
            ),
            (
                "eu-west-1",
                Virtual,
                "my.bucket",
                "s3.eu-west-1.amazonaws.com",
                true,
            ),
            (
                "cn-north-1",
                Auto,
                "bucket",
                "bucket.s3.cn-north-1.amazonaws.com.cn",
                false,
            ),
            (
                "cn-north-1",
                Auto,
                "BucketX",
                "s3.cn-north-1.amazonaws.com.cn",
                true,
            ),
            (
                "us-gov-west-1",
                Auto,
                "bucket",
                "bucket.s3.us-gov-west-1.amazonaws.com",
                false,
            ),
            (
                "us-iso-east-1",
                Path,
                "bucket",
                "s3.us-iso-east-1.c2s.ic.gov",
                true,
            ),
        ];
        for (region, style, bucket, host, in_path) in cases {
            let e = s3_endpoint(region, bucket, style);
            assert_eq!(
                (e.host.as_str(), e.bucket_in_path),
                (host, in_path),
                "{region} {style:?} {bucket}"
            );
        }
    }

    #[test]
    fn paths_encode_the_key_once_and_keep_slashes() {
        let vhost = Endpoint {
            host: "b.s3.amazonaws.com".into(),
            bucket_in_path: false,
        };
        let path = Endpoint {
            host: "s3.amazonaws.com".into(),
            bucket_in_path: true,
        };
        assert_eq!(
            s3_path(&vhost, "b", "a b+c%d~e/é//f"),
            "/a%20b%2Bc%25d~e/%C3%A9//f"
        );
        assert_eq!(s3_path(&path, "b", "k"), "/b/k");
        assert_eq!(s3_path(&path, "b", ""), "/b");
        assert_eq!(s3_path(&vhost, "b", ""), "/");
        assert_eq!(s3_path(&path, "b", "/lead"), "/b//lead");
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;

    fn input<'a>(method: &'a str, key: &'a str, credentials: &'a Credentials) -> PresignInput<'a> {
        PresignInput {
            method,
            bucket: "sim-bucket",
            key,
            region: "eu-west-1",
            expires_in: 600,
            credentials,
            time: AmzDateTime::parse_basic("20240229T235959Z").unwrap(),
            addressing: AddressingStyle::Auto,
        }
    }

    // Expected URLs produced by botocore 1.44.8 `generate_presigned_url` with the same inputs.
    #[test]
    fn signed_extra_headers_match_botocore() {
        let credentials = Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        );
        let sse_c = [
            ("x-amz-server-side-encryption-customer-algorithm", "AES256"),
            (
                "x-amz-server-side-encryption-customer-key",
                "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            ),
            (
                "x-amz-server-side-encryption-customer-key-MD5",
                "hRasmdxgYDKV3nvbahU1MA==",
            ),
        ];
        let url = presign_with_headers(&input("GET", "secret.txt", &credentials), &sse_c).unwrap();
        assert_eq!(
            url.url,
            "https://sim-bucket.s3.amazonaws.com/secret.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20240229%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20240229T235959Z&X-Amz-Expires=600&X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption-customer-algorithm%3Bx-amz-server-side-encryption-customer-key%3Bx-amz-server-side-encryption-customer-key-md5&X-Amz-Signature=e50feb92628e6ff6c5b95b9236c83a03c97d99ab1f49cd69c88409d3f526ab78"
        );
        let url = presign_with_headers(
            &input("PUT", "up.txt", &credentials),
            &[("x-amz-server-side-encryption", "aws:kms")],
        )
        .unwrap();
        assert!(url.url.ends_with("X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption&X-Amz-Signature=75a0c36d4bd61b1c7dc0956716120c997356a698afb44e3a9e377d1aadf6ccde"), "{}", url.url);
        let url = presign_with_headers(
            &input("PUT", "up.txt", &credentials),
            &[("x-amz-acl", "public-read")],
        )
        .unwrap();
        assert!(url.url.ends_with("X-Amz-SignedHeaders=host%3Bx-amz-acl&X-Amz-Signature=717e4a1b9d160cbacf5300b5327ca2820ea50708afe7ba7b884eea3cac351b85"), "{}", url.url);
    }
}
