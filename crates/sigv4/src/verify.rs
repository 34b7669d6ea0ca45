//! Checking a presigned URL the way S3 does when it arrives, with S3's own error responses.
//!
//! The checks run in S3's order: required parameters → algorithm → credential (format, date,
//! Region, service, terminator) → `X-Amz-Date` → `X-Amz-Expires` range → expiry against the
//! server's clock → unsigned `x-amz-*` headers → signature. The access key lookup, the session
//! token and the authorization itself belong to the world that calls this. Each [`AuthError`] knows S3's code, HTTP status,
//! message text and extra XML elements.
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html> and, for
//! `s3:signatureAge`, <https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html>.
//!
//! Message texts: the expiry and signature texts are AWS's (seen in captured S3 responses); the
//! `AuthorizationQueryParametersError` texts are those S3-compatible servers copy from AWS
//! (observed for the one-week limit, `should be a number` and `non-negative`). `Request is not
//! valid yet` and the 15-minute tolerance for a future `X-Amz-Date` are modelled, not documented;
//! the `HeadersNotSigned` element lists several names joined by `, ` (one name is what captures show).
//! `X-Amz-Expires=0` is accepted and lapses once the signing second has passed: the documented
//! range is 1…604800 but no S3 message for 0 was found (a modelling choice).

use std::fmt;

use crate::encoding::percent_decode;
use crate::presign::MAX_EXPIRES_SECONDS;
use crate::request::{
    UriPathRules, canonical_headers, canonical_query, parse_query, signed_header_names,
};
use crate::stages::{
    ALGORITHM, CanonicalRequest, CredentialScope, SCOPE_TERMINATOR, Signature, SigningKey,
    StringToSign, UNSIGNED_PAYLOAD,
};
use crate::time::AmzDateTime;

/// How far in the future `X-Amz-Date` may be before S3 says the request is not valid yet.
pub const MAX_CLOCK_SKEW_SECONDS: i64 = 900;

/// The six parameters query-string authentication requires.
pub const REQUIRED_PARAMETERS: [&str; 6] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Signature",
    "X-Amz-Date",
    "X-Amz-SignedHeaders",
    "X-Amz-Expires",
];

/// A request as it reached S3, in the pieces the verifier needs.
#[derive(Debug, Clone, Copy)]
pub struct IncomingRequest<'a> {
    /// The HTTP method used (`GET`).
    pub method: &'a str,
    /// The `Host` header.
    pub host: &'a str,
    /// The path as sent (still percent-encoded).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// Other headers sent (only consulted when `X-Amz-SignedHeaders` names them).
    pub headers: &'a [(String, String)],
}

/// A URL split into the pieces of an [`IncomingRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts {
    /// `https` or `http`.
    pub scheme: String,
    /// The authority (host, with a port if one was written).
    pub host: String,
    /// The path (`/` when absent), still encoded.
    pub path: String,
    /// The query without `?` (empty when absent); a `#fragment` is dropped.
    pub query: String,
}

/// Splits `scheme://host/path?query#fragment`; `None` when there is no `scheme://host`.
pub fn split_url(url: &str) -> Option<UrlParts> {
    let (scheme, rest) = url.split_once("://")?;
    let rest = rest.split('#').next().unwrap_or("");
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, after) = rest.split_at(authority_end);
    if scheme.is_empty() || host.is_empty() {
        return None;
    }
    let (path, query) = match after.split_once('?') {
        Some((p, q)) => (p, q),
        None => (after, ""),
    };
    Some(UrlParts {
        scheme: scheme.to_owned(),
        host: host.to_owned(),
        path: if path.is_empty() {
            "/".to_owned()
        } else {
            path.to_owned()
        },
        query: query.to_owned(),
    })
}

/// True when the query carries SigV4 query authentication (any `X-Amz-Algorithm`,
/// `X-Amz-Credential` or `X-Amz-Signature`), i.e. S3 will treat the request as presigned.
pub fn is_presigned(query: &str) -> bool {
    parse_query(query).iter().any(|(n, _)| {
        matches!(
            n.as_str(),
            "X-Amz-Algorithm" | "X-Amz-Credential" | "X-Amz-Signature"
        )
    })
}

/// A failed check, with everything S3 puts in its `<Error>` document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// One of the six required parameters is absent.
    MissingParameters {
        /// The names that were missing, in S3's listing order.
        missing: Vec<&'static str>,
    },
    /// `X-Amz-Algorithm` is not `AWS4-HMAC-SHA256`.
    UnsupportedAlgorithm {
        /// The value sent.
        given: String,
    },
    /// `X-Amz-Credential` is not `AKID/YYYYMMDD/REGION/SERVICE/aws4_request`.
    MalformedCredential {
        /// The value sent (decoded).
        given: String,
    },
    /// The credential's date is not `yyyyMMdd`.
    MalformedCredentialDate {
        /// The date part sent.
        given: String,
    },
    /// The credential names a Region other than the bucket's.
    WrongRegion {
        /// The Region in the credential.
        given: String,
        /// The bucket's Region.
        expected: String,
    },
    /// The credential names a service other than `s3`.
    WrongService {
        /// The service in the credential.
        given: String,
    },
    /// The credential does not end in `aws4_request`.
    WrongTerminator {
        /// The last element sent.
        given: String,
    },
    /// `X-Amz-Date` is not `yyyyMMdd'T'HHmmss'Z'`.
    MalformedDate {
        /// The value sent.
        given: String,
    },
    /// The credential's date differs from the date of `X-Amz-Date`.
    CredentialDateMismatch {
        /// The date in the credential.
        credential_date: String,
        /// The date part of `X-Amz-Date`.
        amz_date: String,
    },
    /// `X-Amz-Expires` is not an integer.
    ExpiresNotNumber {
        /// The value sent.
        given: String,
    },
    /// `X-Amz-Expires` is negative.
    ExpiresNegative {
        /// The value sent.
        given: String,
    },
    /// `X-Amz-Expires` exceeds 604800 seconds.
    ExpiresTooLarge {
        /// The value sent.
        given: u64,
    },
    /// The server's clock is past `X-Amz-Date` + `X-Amz-Expires`.
    Expired {
        /// `X-Amz-Expires`.
        expires_in: u64,
        /// `X-Amz-Date` + `X-Amz-Expires`.
        expires_at: AmzDateTime,
        /// The server's clock.
        server_time: AmzDateTime,
    },
    /// `X-Amz-Date` is further in the future than the clock skew S3 tolerates.
    NotYetValid {
        /// `X-Amz-Date`.
        signed_at: AmzDateTime,
        /// The server's clock.
        server_time: AmzDateTime,
    },
    /// `x-amz-*` headers were sent that `X-Amz-SignedHeaders` does not cover.
    HeadersNotSigned {
        /// The unsigned header names, lowercase, in the order sent.
        names: Vec<String>,
    },
    /// The recomputed signature differs from the one sent.
    SignatureDoesNotMatch(Box<SignatureMismatch>),
}

/// What S3 returns with `SignatureDoesNotMatch` so the caller can compare its own stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureMismatch {
    /// `<AWSAccessKeyId>`.
    pub access_key_id: String,
    /// `<StringToSign>` S3 computed.
    pub string_to_sign: String,
    /// `<SignatureProvided>`.
    pub signature_provided: String,
    /// `<CanonicalRequest>` S3 computed.
    pub canonical_request: String,
    /// The signature S3 computed (never sent by S3; shown to the learner).
    pub signature_expected: String,
}

/// Space-separated two-digit lowercase hex of each byte, as in `<StringToSignBytes>`.
pub fn spaced_hex(text: &str) -> String {
    text.bytes()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl AuthError {
    /// S3's error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Expired { .. } | Self::NotYetValid { .. } | Self::HeadersNotSigned { .. } => {
                "AccessDenied"
            }
            Self::SignatureDoesNotMatch(_) => "SignatureDoesNotMatch",
            _ => "AuthorizationQueryParametersError",
        }
    }

    /// The HTTP status S3 answers with.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Expired { .. }
            | Self::NotYetValid { .. }
            | Self::HeadersNotSigned { .. }
            | Self::SignatureDoesNotMatch(_) => 403,
            _ => 400,
        }
    }

    /// S3's `<Message>` text, exactly.
    pub fn s3_message(&self) -> String {
        const CRED: &str = "Error parsing the X-Amz-Credential parameter;";
        match self {
            Self::MissingParameters { .. } => "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.".to_owned(),
            Self::UnsupportedAlgorithm { .. } => format!("X-Amz-Algorithm only supports \"{ALGORITHM}\""),
            Self::MalformedCredential { .. } => format!("{CRED} the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."),
            Self::MalformedCredentialDate { given } => format!("{CRED} incorrect date format \"{given}\". This date in the credential must be in the format \"yyyyMMdd\"."),
            Self::WrongRegion { given, expected } => format!("{CRED} the region '{given}' is wrong; expecting '{expected}'"),
            Self::WrongService { given } => format!("{CRED} incorrect service \"{given}\". This endpoint belongs to \"s3\"."),
            Self::WrongTerminator { given } => format!("{CRED} incorrect terminal \"{given}\". This endpoint uses \"{SCOPE_TERMINATOR}\"."),
            Self::MalformedDate { .. } => "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"".to_owned(),
            Self::CredentialDateMismatch { credential_date, amz_date } => format!("Invalid credential date \"{credential_date}\". This date is not the same as X-Amz-Date: \"{amz_date}\"."),
            Self::ExpiresNotNumber { .. } => "X-Amz-Expires should be a number".to_owned(),
            Self::ExpiresNegative { .. } => "X-Amz-Expires must be non-negative".to_owned(),
            Self::ExpiresTooLarge { .. } => format!("X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than {MAX_EXPIRES_SECONDS} seconds"),
            Self::Expired { .. } => "Request has expired".to_owned(),
            Self::NotYetValid { .. } => "Request is not valid yet".to_owned(),
            Self::HeadersNotSigned { .. } => "There were headers present in the request which were not signed".to_owned(),
            Self::SignatureDoesNotMatch(_) => "The request signature we calculated does not match the signature you provided. Check your key and signing method.".to_owned(),
        }
    }

    /// The extra elements of the `<Error>` document, in S3's order.
    pub fn extra_elements(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::WrongRegion { expected, .. } => vec![("Region", expected.clone())],
            Self::Expired {
                expires_in,
                expires_at,
                server_time,
            } => vec![
                ("X-Amz-Expires", expires_in.to_string()),
                ("Expires", expires_at.to_extended()),
                ("ServerTime", server_time.to_extended()),
            ],
            Self::NotYetValid {
                signed_at,
                server_time,
            } => vec![
                ("X-Amz-Date", signed_at.to_basic()),
                ("ServerTime", server_time.to_extended()),
            ],
            Self::HeadersNotSigned { names } => vec![("HeadersNotSigned", names.join(", "))],
            Self::SignatureDoesNotMatch(m) => vec![
                ("AWSAccessKeyId", m.access_key_id.clone()),
                ("StringToSign", m.string_to_sign.clone()),
                ("SignatureProvided", m.signature_provided.clone()),
                ("StringToSignBytes", spaced_hex(&m.string_to_sign)),
                ("CanonicalRequest", m.canonical_request.clone()),
                ("CanonicalRequestBytes", spaced_hex(&m.canonical_request)),
            ],
            _ => Vec::new(),
        }
    }

    /// Advice for the learner, when there is some.
    pub fn help(&self) -> Option<String> {
        match self {
            Self::MissingParameters { .. } => Some("a presigned URL carries all six `X-Amz-*` parameters; was the URL cut short?".to_owned()),
            Self::WrongRegion { expected, .. } => Some(format!("sign with `--region {expected}`, the bucket's Region")),
            Self::ExpiresTooLarge { .. } => Some("a SigV4 signature lives at most seven days (604800 seconds)".to_owned()),
            Self::Expired { .. } => Some("make a new URL; a URL's lifetime starts at `X-Amz-Date`, not at first use".to_owned()),
            Self::HeadersNotSigned { .. } => Some("presign with these headers so they join `X-Amz-SignedHeaders`, or do not send them".to_owned()),
            Self::SignatureDoesNotMatch(_) => Some("compare S3's canonical request and string to sign with the signer's: the secret, method, host, path, key encoding and every signed parameter must agree".to_owned()),
            _ => None,
        }
    }
}

impl fmt::Display for AuthError {
    /// A learner-facing sentence (lowercase, no final period, inputs in backticks).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingParameters { missing } => {
                let names: Vec<String> = missing.iter().map(|n| format!("`{n}`")).collect();
                write!(f, "the presigned URL lacks {}", names.join(", "))
            }
            Self::UnsupportedAlgorithm { given } => write!(
                f,
                "unsupported signing algorithm `{given}`; S3 accepts only `{ALGORITHM}`"
            ),
            Self::MalformedCredential { given } => write!(
                f,
                "credential `{given}` is not `ACCESS-KEY/YYYYMMDD/REGION/s3/aws4_request`"
            ),
            Self::MalformedCredentialDate { given } => {
                write!(f, "credential date `{given}` is not `YYYYMMDD`")
            }
            Self::WrongRegion { given, expected } => write!(
                f,
                "the URL was signed for region `{given}` but the bucket is in `{expected}`"
            ),
            Self::WrongService { given } => {
                write!(f, "the URL was signed for service `{given}`, not `s3`")
            }
            Self::WrongTerminator { given } => write!(
                f,
                "the credential ends in `{given}`, not `{SCOPE_TERMINATOR}`"
            ),
            Self::MalformedDate { given } => {
                write!(f, "`X-Amz-Date` `{given}` is not like `20130524T000000Z`")
            }
            Self::CredentialDateMismatch {
                credential_date,
                amz_date,
            } => write!(
                f,
                "the credential date `{credential_date}` differs from the `X-Amz-Date` date `{amz_date}`"
            ),
            Self::ExpiresNotNumber { given } => {
                write!(f, "`X-Amz-Expires` `{given}` is not a number")
            }
            Self::ExpiresNegative { given } => write!(f, "`X-Amz-Expires` `{given}` is negative"),
            Self::ExpiresTooLarge { given } => write!(
                f,
                "`X-Amz-Expires` `{given}` exceeds {MAX_EXPIRES_SECONDS} seconds (seven days)"
            ),
            Self::Expired {
                expires_at,
                server_time,
                ..
            } => write!(
                f,
                "the URL expired at `{}`; the server's time is `{}`",
                expires_at.to_extended(),
                server_time.to_extended()
            ),
            Self::NotYetValid {
                signed_at,
                server_time,
            } => write!(
                f,
                "the URL is signed for `{}`, in the future of the server's `{}`",
                signed_at.to_extended(),
                server_time.to_extended()
            ),
            Self::HeadersNotSigned { names } => {
                let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                write!(
                    f,
                    "the request sent {} without signing them",
                    names.join(", ")
                )
            }
            Self::SignatureDoesNotMatch(m) => write!(
                f,
                "the signature `{}` does not match the one S3 computes, `{}`",
                m.signature_provided, m.signature_expected
            ),
        }
    }
}

impl std::error::Error for AuthError {}

/// The parsed `X-Amz-Credential`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The access key id.
    pub access_key_id: String,
    /// Date, Region and service.
    pub scope: CredentialScope,
}

/// The SigV4 parameters of a presigned URL, checked for form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryAuth {
    /// `X-Amz-Credential`.
    pub credential: Credential,
    /// `X-Amz-Date`.
    pub signed_at: AmzDateTime,
    /// `X-Amz-Expires`.
    pub expires_in: u64,
    /// `X-Amz-SignedHeaders`, split on `;`.
    pub signed_headers: Vec<String>,
    /// `X-Amz-Signature` as sent.
    pub signature: String,
    /// `X-Amz-Security-Token`, when present.
    pub security_token: Option<String>,
}

/// Outcome of the time check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// Milliseconds since `X-Amz-Date` (the `s3:signatureAge` condition key); 0 if signed ahead
    /// of the server's clock within the tolerated skew.
    pub signature_age_ms: u64,
    /// `X-Amz-Date` + `X-Amz-Expires`.
    pub expires_at: AmzDateTime,
}

/// A presigned request that passed every check the signer's secret allows.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The parsed parameters.
    pub auth: QueryAuth,
    /// Age and end of validity.
    pub freshness: Freshness,
    /// The canonical request S3 computed.
    pub canonical_request: CanonicalRequest,
    /// The string to sign S3 computed.
    pub string_to_sign: StringToSign,
}

fn is_yyyymmdd(text: &str) -> bool {
    text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit())
}

impl QueryAuth {
    /// Reads and checks the form of the SigV4 parameters in a raw query string.
    pub fn parse(raw_query: &str) -> Result<Self, AuthError> {
        let pairs = parse_query(raw_query);
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let missing: Vec<&'static str> = REQUIRED_PARAMETERS
            .iter()
            .copied()
            .filter(|n| get(n).is_none())
            .collect();
        let (
            Some(algorithm),
            Some(credential),
            Some(signature),
            Some(date),
            Some(signed_headers),
            Some(expires),
        ) = (
            get("X-Amz-Algorithm"),
            get("X-Amz-Credential"),
            get("X-Amz-Signature"),
            get("X-Amz-Date"),
            get("X-Amz-SignedHeaders"),
            get("X-Amz-Expires"),
        )
        else {
            return Err(AuthError::MissingParameters { missing });
        };
        if algorithm != ALGORITHM {
            return Err(AuthError::UnsupportedAlgorithm {
                given: algorithm.to_owned(),
            });
        }
        let credential = parse_credential(credential)?;
        let signed_at = AmzDateTime::parse_basic(date).map_err(|_| AuthError::MalformedDate {
            given: date.to_owned(),
        })?;
        if signed_at.date_stamp() != credential.scope.date {
            return Err(AuthError::CredentialDateMismatch {
                credential_date: credential.scope.date.clone(),
                amz_date: signed_at.date_stamp(),
            });
        }
        let expires_in = parse_expires(expires)?;
        Ok(Self {
            credential,
            signed_at,
            expires_in,
            signed_headers: signed_headers.split(';').map(str::to_owned).collect(),
            signature: signature.to_owned(),
            security_token: get("X-Amz-Security-Token").map(str::to_owned),
        })
    }

    /// `X-Amz-Date` + `X-Amz-Expires`.
    pub fn expires_at(&self) -> AmzDateTime {
        self.signed_at
            .plus_seconds(i64::try_from(self.expires_in).unwrap_or(i64::MAX))
    }

    /// Checks that the credential names the bucket's Region.
    pub fn check_region(&self, bucket_region: &str) -> Result<(), AuthError> {
        if self.credential.scope.region == bucket_region {
            Ok(())
        } else {
            Err(AuthError::WrongRegion {
                given: self.credential.scope.region.clone(),
                expected: bucket_region.to_owned(),
            })
        }
    }

    /// Judges the URL's lifetime against the server's clock `now`.
    pub fn check_time(&self, now: AmzDateTime) -> Result<Freshness, AuthError> {
        if self.signed_at > now.plus_seconds(MAX_CLOCK_SKEW_SECONDS) {
            return Err(AuthError::NotYetValid {
                signed_at: self.signed_at,
                server_time: now,
            });
        }
        let expires_at = self.expires_at();
        if now > expires_at {
            return Err(AuthError::Expired {
                expires_in: self.expires_in,
                expires_at,
                server_time: now,
            });
        }
        let age = now
            .unix_millis()
            .saturating_sub(self.signed_at.unix_millis())
            .max(0);
        Ok(Freshness {
            signature_age_ms: u64::try_from(age).unwrap_or(0),
            expires_at,
        })
    }

    /// The canonical request S3 builds from what arrived: path encoded once and never normalised,
    /// every query parameter but `X-Amz-Signature`, the signed headers, `UNSIGNED-PAYLOAD`.
    pub fn canonical_request(&self, request: &IncomingRequest<'_>) -> CanonicalRequest {
        let pairs = parse_query(request.query);
        let query = canonical_query(
            pairs
                .iter()
                .filter(|(n, _)| n != "X-Amz-Signature")
                .map(|(n, v)| (n.as_str(), v.as_str())),
        );
        let mut sent: Vec<(String, String)> = vec![("host".to_owned(), request.host.to_owned())];
        sent.extend(
            request
                .headers
                .iter()
                .filter(|(n, _)| !n.eq_ignore_ascii_case("host"))
                .cloned(),
        );
        let all = canonical_headers(&sent);
        let headers: Vec<(String, String)> = self
            .signed_headers
            .iter()
            .map(|name| {
                let lname = name.to_ascii_lowercase();
                let value = all
                    .iter()
                    .find(|(n, _)| *n == lname)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                (lname, value)
            })
            .collect();
        let signed_headers = signed_header_names(&headers);
        CanonicalRequest {
            method: request.method.to_ascii_uppercase(),
            canonical_uri: UriPathRules::S3.canonical_uri(request.path),
            canonical_query: query,
            canonical_headers: headers,
            signed_headers,
            payload_hash: UNSIGNED_PAYLOAD.to_owned(),
        }
    }

    /// The `x-amz-*` headers sent that `X-Amz-SignedHeaders` does not list: S3 refuses them,
    /// since anyone holding the URL could otherwise add, say, `x-amz-acl: public-read`.
    pub fn unsigned_amz_headers(&self, request: &IncomingRequest<'_>) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (name, _) in request.headers {
            let lname = name.trim().to_ascii_lowercase();
            let signed = self
                .signed_headers
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&lname));
            if lname.starts_with("x-amz-") && !signed && !names.contains(&lname) {
                names.push(lname);
            }
        }
        names
    }

    /// Recomputes the signature with the signer's secret and compares it with the one sent
    /// (after refusing unsigned `x-amz-*` headers).
    pub fn verify_signature(
        &self,
        request: &IncomingRequest<'_>,
        secret_access_key: &str,
    ) -> Result<(CanonicalRequest, StringToSign), AuthError> {
        let unsigned = self.unsigned_amz_headers(request);
        if !unsigned.is_empty() {
            return Err(AuthError::HeadersNotSigned { names: unsigned });
        }
        let canonical = self.canonical_request(request);
        let string_to_sign =
            StringToSign::new(self.signed_at, self.credential.scope.clone(), &canonical);
        let key = SigningKey::derive(secret_access_key, &self.credential.scope);
        let expected = Signature::compute(&key, &string_to_sign);
        if expected.matches_hex(&self.signature) {
            Ok((canonical, string_to_sign))
        } else {
            Err(AuthError::SignatureDoesNotMatch(Box::new(
                SignatureMismatch {
                    access_key_id: self.credential.access_key_id.clone(),
                    string_to_sign: string_to_sign.to_string(),
                    signature_provided: self.signature.clone(),
                    canonical_request: canonical.to_string(),
                    signature_expected: expected.to_string(),
                },
            )))
        }
    }
}

fn parse_credential(raw: &str) -> Result<Credential, AuthError> {
    let parts: Vec<&str> = raw.split('/').collect();
    let [access_key_id, date, region, service, terminator] = parts.as_slice() else {
        return Err(AuthError::MalformedCredential {
            given: raw.to_owned(),
        });
    };
    if access_key_id.is_empty() || region.is_empty() {
        return Err(AuthError::MalformedCredential {
            given: raw.to_owned(),
        });
    }
    if !is_yyyymmdd(date) {
        return Err(AuthError::MalformedCredentialDate {
            given: (*date).to_owned(),
        });
    }
    if *service != "s3" {
        return Err(AuthError::WrongService {
            given: (*service).to_owned(),
        });
    }
    if *terminator != SCOPE_TERMINATOR {
        return Err(AuthError::WrongTerminator {
            given: (*terminator).to_owned(),
        });
    }
    Ok(Credential {
        access_key_id: (*access_key_id).to_owned(),
        scope: CredentialScope {
            date: (*date).to_owned(),
            region: (*region).to_owned(),
            service: (*service).to_owned(),
        },
    })
}

fn parse_expires(raw: &str) -> Result<u64, AuthError> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AuthError::ExpiresNotNumber {
            given: raw.to_owned(),
        });
    }
    if raw.starts_with('-') {
        return Err(AuthError::ExpiresNegative {
            given: raw.to_owned(),
        });
    }
    // Digits only: the one failure left is overflow, which is certainly too large.
    let value = digits.parse::<u64>().unwrap_or(u64::MAX);
    if value > MAX_EXPIRES_SECONDS {
        return Err(AuthError::ExpiresTooLarge { given: value });
    }
    Ok(value)
}

/// Every check in S3's order: form, optional Region, time, then the signature with `secret`.
/// The caller looks the access key up (and checks any session token) between
/// [`QueryAuth::check_time`] and [`QueryAuth::verify_signature`] when it needs S3's exact order;
/// this shortcut is for callers that already hold the secret.
pub fn verify_presigned(
    request: &IncomingRequest<'_>,
    secret_access_key: &str,
    now: AmzDateTime,
    bucket_region: Option<&str>,
) -> Result<Verified, AuthError> {
    let auth = QueryAuth::parse(request.query)?;
    if let Some(region) = bucket_region {
        auth.check_region(region)?;
    }
    let freshness = auth.check_time(now)?;
    let (canonical_request, string_to_sign) = auth.verify_signature(request, secret_access_key)?;
    Ok(Verified {
        auth,
        freshness,
        canonical_request,
        string_to_sign,
    })
}

/// Decodes a raw path into the object key it names (after the bucket when path style).
pub fn decode_path(path: &str) -> String {
    String::from_utf8_lossy(&percent_decode(path)).into_owned()
}
