//! Signing an arbitrary HTTP request, in either of SigV4's two places: the `Authorization` header
//! or the query string. This is the general signer the official AWS SigV4 test suite checks; the
//! S3 presigner ([`mod@crate::presign`]) and verifier ([`mod@crate::verify`]) reuse its canonicalisation
//! with S3's rules (path encoded once, never normalised, `UNSIGNED-PAYLOAD`).
//! Follows <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>.

use std::fmt;

use crate::encoding::{normalize_path, percent_decode, uri_encode, uri_encode_bytes};
use crate::stages::{
    ALGORITHM, CanonicalRequest, CredentialScope, Signature, SigningKey, StringToSign,
    UNSIGNED_PAYLOAD, sha256_hex,
};
use crate::time::AmzDateTime;

/// An access key pair, and the session token of temporary credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id (`AKIAIOSFODNN7EXAMPLE`).
    pub access_key_id: String,
    /// The secret access key; never printed by `Debug`.
    pub secret_access_key: String,
    /// The STS session token, present for temporary credentials.
    pub session_token: Option<String>,
}

impl Credentials {
    /// Long-term credentials (no session token).
    pub fn new(access_key_id: &str, secret_access_key: &str) -> Self {
        Self {
            access_key_id: access_key_id.to_owned(),
            secret_access_key: secret_access_key.to_owned(),
            session_token: None,
        }
    }

    /// The same credentials with a session token.
    #[must_use]
    pub fn with_session_token(mut self, token: &str) -> Self {
        self.session_token = Some(token.to_owned());
        self
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<hidden>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<present>"),
            )
            .finish()
    }
}

/// How the path becomes the canonical URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UriPathRules {
    /// Remove `.`/`..` segments and empty segments first (every service but S3).
    pub normalize: bool,
    /// Encode the path as it stands on the wire a second time (every service but S3). When false
    /// the wire path is decoded and encoded once, which is S3's rule for object keys.
    pub double_encode: bool,
}

impl UriPathRules {
    /// S3: the key is encoded exactly once and never normalised.
    pub const S3: Self = Self {
        normalize: false,
        double_encode: false,
    };
    /// Other AWS services: normalised, and the wire path encoded again.
    pub const GENERIC: Self = Self {
        normalize: true,
        double_encode: true,
    };

    /// The canonical URI of a path as it appears on the request line.
    pub fn canonical_uri(self, wire_path: &str) -> String {
        let path = if wire_path.is_empty() { "/" } else { wire_path };
        if self.double_encode {
            let path = if self.normalize {
                normalize_path(path)
            } else {
                path.to_owned()
            };
            uri_encode(&path, true)
        } else {
            let decoded = percent_decode(path);
            let encoded = uri_encode_bytes(&decoded, true);
            if self.normalize {
                normalize_path(&encoded)
            } else {
                encoded
            }
        }
    }
}

/// Which payload hash goes on the canonical request's last line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadRule {
    /// Hex SHA-256 of the body.
    Sha256,
    /// The literal `UNSIGNED-PAYLOAD` (S3 presigned URLs).
    Unsigned,
}

/// Where the signature goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureLocation {
    /// `Authorization` header, with `X-Amz-Date` (and `X-Amz-Security-Token`) headers.
    Headers,
    /// `X-Amz-*` query parameters valid for `expires_in` seconds (a presigned URL).
    Query {
        /// `X-Amz-Expires`.
        expires_in: u64,
    },
}

/// Everything besides the request that determines a signature.
#[derive(Debug, Clone)]
pub struct SigningParams<'a> {
    /// Who signs.
    pub credentials: &'a Credentials,
    /// The Region of the scope.
    pub region: &'a str,
    /// The service of the scope (`s3`).
    pub service: &'a str,
    /// The signing time.
    pub time: AmzDateTime,
    /// Canonical URI rules.
    pub uri_path: UriPathRules,
    /// Payload hash rule.
    pub payload: PayloadRule,
    /// Header mode: also sign an `x-amz-content-sha256` header carrying the payload hash.
    pub add_content_sha256_header: bool,
    /// Add the session token after signing instead of signing it (some services ask for this).
    pub omit_session_token_from_signature: bool,
    /// Header or query signing.
    pub location: SignatureLocation,
}

/// A plain HTTP/1.1 request, as text in the suite's `request.txt` files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `PUT` …
    pub method: String,
    /// The path as written on the request line.
    pub path: String,
    /// The raw query string without `?` (may be empty).
    pub query: String,
    /// Headers in order, values as written (a folded value keeps its line breaks).
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

/// Why request text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestParseError(pub String);

impl fmt::Display for RequestParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RequestParseError {}

impl HttpRequest {
    /// Reads `METHOD PATH[?QUERY] HTTP/1.1`, header lines (`Name:value`, continuation lines start
    /// with whitespace), an empty line, then the body.
    pub fn parse(text: &str) -> Result<Self, RequestParseError> {
        let (head, body) = match text.split_once("\n\n") {
            Some((head, body)) => (head, body),
            None => (text.trim_end_matches('\n'), ""),
        };
        let mut lines = head.split('\n');
        let request_line = lines.next().unwrap_or("");
        let mut parts = request_line.splitn(2, ' ');
        let method = parts.next().unwrap_or("").to_owned();
        let rest = parts.next().unwrap_or("");
        let target = rest.strip_suffix(" HTTP/1.1").ok_or_else(|| {
            RequestParseError(format!("request line `{request_line}` lacks ` HTTP/1.1`"))
        })?;
        if method.is_empty() {
            return Err(RequestParseError("empty request line".to_owned()));
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_owned(), q.to_owned()),
            None => (target.to_owned(), String::new()),
        };
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in lines {
            if line.starts_with(' ') || line.starts_with('\t') {
                let Some((_, value)) = headers.last_mut() else {
                    return Err(RequestParseError(format!(
                        "continuation line `{line}` before any header"
                    )));
                };
                value.push('\n');
                value.push_str(line);
                continue;
            }
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| RequestParseError(format!("header line `{line}` has no `:`")))?;
            headers.push((name.to_owned(), value.to_owned()));
        }
        Ok(Self {
            method,
            path,
            query,
            headers,
            body: body.as_bytes().to_vec(),
        })
    }

    /// Writes the request back in the same text form.
    pub fn to_text(&self) -> String {
        let mut out = format!("{} {}", self.method, self.path);
        if !self.query.is_empty() {
            out.push('?');
            out.push_str(&self.query);
        }
        out.push_str(" HTTP/1.1\n");
        for (name, value) in &self.headers {
            out.push_str(name);
            out.push(':');
            out.push_str(value);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&String::from_utf8_lossy(&self.body));
        out
    }
}

/// `Trimall`: leading and trailing whitespace removed, inner runs (line folds included) made one
/// space.
pub fn trim_header_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Canonical headers: names lowercased and sorted, values trimmed, repeated names joined by `,`
/// in the order they appeared.
pub fn canonical_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut merged: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let lname = name.trim().to_ascii_lowercase();
        let value = trim_header_value(value);
        match merged.iter_mut().find(|(n, _)| *n == lname) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            None => merged.push((lname, value)),
        }
    }
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    merged
}

/// Splits a raw query string into decoded `(name, value)` pairs (empty pieces skipped).
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (
                String::from_utf8_lossy(&percent_decode(name)).into_owned(),
                String::from_utf8_lossy(&percent_decode(value)).into_owned(),
            )
        })
        .collect()
}

/// The canonical query string of decoded pairs: each name and value `UriEncode`d, sorted by name
/// then value, joined as `name=value` with `&`.
pub fn canonical_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut encoded: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(n, v)| (uri_encode(n, false), uri_encode(v, false)))
        .collect();
    encoded.sort();
    let mut out = String::new();
    for (i, (name, value)) in encoded.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// A signed request and every stage that produced it.
#[derive(Debug, Clone)]
pub struct SignedRequest {
    /// Stage 1.
    pub canonical_request: CanonicalRequest,
    /// Stage 2.
    pub string_to_sign: StringToSign,
    /// Stage 3.
    pub signing_key: SigningKey,
    /// Stage 4.
    pub signature: Signature,
    /// The request with its authentication added (headers or query parameters).
    pub request: HttpRequest,
}

/// Signs `request` as `params` say.
pub fn sign_request(request: &HttpRequest, params: &SigningParams<'_>) -> SignedRequest {
    let scope = CredentialScope::new(params.time, params.region, params.service);
    let amz_date = params.time.to_basic();
    let payload_hash = match params.payload {
        PayloadRule::Sha256 => sha256_hex(&request.body),
        PayloadRule::Unsigned => UNSIGNED_PAYLOAD.to_owned(),
    };
    let token = params.credentials.session_token.as_deref();
    let signed_token = token.filter(|_| !params.omit_session_token_from_signature);

    let mut headers_to_sign = request.headers.clone();
    let mut query_pairs = parse_query(&request.query);
    let mut added_query: Vec<(&'static str, String)> = Vec::new();
    let credential = format!("{}/{scope}", params.credentials.access_key_id);

    match params.location {
        SignatureLocation::Headers => {
            headers_to_sign.push(("X-Amz-Date".to_owned(), amz_date.clone()));
            if let Some(token) = signed_token {
                headers_to_sign.push(("X-Amz-Security-Token".to_owned(), token.to_owned()));
            }
            if params.add_content_sha256_header {
                headers_to_sign.push(("x-amz-content-sha256".to_owned(), payload_hash.clone()));
            }
        }
        SignatureLocation::Query { expires_in } => {
            let signed_names = signed_header_names(&canonical_headers(&headers_to_sign));
            added_query.push(("X-Amz-Algorithm", ALGORITHM.to_owned()));
            added_query.push(("X-Amz-Credential", credential.clone()));
            added_query.push(("X-Amz-Date", amz_date.clone()));
            added_query.push(("X-Amz-SignedHeaders", signed_names));
            added_query.push(("X-Amz-Expires", expires_in.to_string()));
            if let Some(token) = signed_token {
                added_query.push(("X-Amz-Security-Token", token.to_owned()));
            }
            query_pairs.extend(
                added_query
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), v.clone())),
            );
        }
    }

    let canonical_headers = canonical_headers(&headers_to_sign);
    let signed_headers = signed_header_names(&canonical_headers);
    let canonical_request = CanonicalRequest {
        method: request.method.to_ascii_uppercase(),
        canonical_uri: params.uri_path.canonical_uri(&request.path),
        canonical_query: canonical_query(query_pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))),
        canonical_headers,
        signed_headers: signed_headers.clone(),
        payload_hash: payload_hash.clone(),
    };
    let string_to_sign = StringToSign::new(params.time, scope.clone(), &canonical_request);
    let signing_key = SigningKey::derive(&params.credentials.secret_access_key, &scope);
    let signature = Signature::compute(&signing_key, &string_to_sign);

    let mut signed = request.clone();
    match params.location {
        SignatureLocation::Headers => {
            if let Some(token) = token {
                signed
                    .headers
                    .push(("X-Amz-Security-Token".to_owned(), token.to_owned()));
            }
            signed.headers.push(("X-Amz-Date".to_owned(), amz_date));
            if params.add_content_sha256_header {
                signed
                    .headers
                    .push(("x-amz-content-sha256".to_owned(), payload_hash));
            }
            signed.headers.push((
                "Authorization".to_owned(),
                format!("{ALGORITHM} Credential={credential}, SignedHeaders={signed_headers}, Signature={signature}"),
            ));
        }
        SignatureLocation::Query { .. } => {
            if let (Some(token), None) = (token, signed_token) {
                added_query.push(("X-Amz-Security-Token", token.to_owned()));
            }
            added_query.push(("X-Amz-Signature", signature.to_string()));
            let mut query = signed.query.clone();
            for (name, value) in &added_query {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(name);
                query.push('=');
                query.push_str(&uri_encode(value, false));
            }
            signed.query = query;
        }
    }

    SignedRequest {
        canonical_request,
        string_to_sign,
        signing_key,
        signature,
        request: signed,
    }
}

/// `name1;name2;…` of canonical headers.
pub fn signed_header_names(canonical: &[(String, String)]) -> String {
    canonical
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";")
}
