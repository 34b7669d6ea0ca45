//! AWS Signature Version 4 for the S3 Security Playground, each protocol stage a typed value.
//!
//! A learner sees SigV4 as four stages, and so does this crate:
//! [`CanonicalRequest`] → [`StringToSign`] → [`SigningKey`] → [`Signature`]; each `Display`s as
//! the exact text of the specification. On top of them:
//!
//! - [`mod@presign`]: S3 presigned URLs byte-identical to botocore's (`aws s3 presign`);
//! - [`mod@verify`]: what S3 checks when a presigned URL arrives, with S3's error responses;
//! - [`mod@request`]: signing any HTTP request in header or query mode (the official AWS SigV4
//!   test suite runs against it).
//!
//! Time is always an input ([`AmzDateTime`]); nothing here reads a clock or a random source, so
//! the crate runs unchanged in the browser (wasm32).
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html>.
//!
//! ```
//! use s3pg_sigv4::{AddressingStyle, AmzDateTime, Credentials, PresignInput, presign};
//!
//! let credentials = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
//! let url = presign(&PresignInput {
//!     method: "GET",
//!     bucket: "examplebucket",
//!     key: "test.txt",
//!     region: "us-east-1",
//!     expires_in: 86400,
//!     credentials: &credentials,
//!     time: AmzDateTime::parse("20130524T000000Z").unwrap(),
//!     addressing: AddressingStyle::Auto,
//! })
//! .unwrap();
//! assert_eq!(url.signature.to_string(), "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
//! ```

pub mod encoding;
pub mod presign;
pub mod request;
pub mod stages;
pub mod time;
pub mod verify;

pub use presign::{
    AddressingStyle, DEFAULT_EXPIRES_SECONDS, DEFAULT_REGION, Endpoint, MAX_EXPIRES_SECONDS,
    PresignError, PresignInput, PresignedUrl, SigningStep, presign, presign_at,
    presign_at_with_headers, presign_at_with_query, presign_with_headers, presign_with_query,
    s3_endpoint, s3_path,
};
pub use request::{
    Credentials, HttpRequest, PayloadRule, SignatureLocation, SignedRequest, SigningParams,
    UriPathRules, sign_request,
};
pub use stages::{
    ALGORITHM, CanonicalRequest, CredentialScope, Signature, SigningKey, SigningKeyDerivation,
    StringToSign, UNSIGNED_PAYLOAD,
};
pub use time::{AmzDateTime, DateTimeParseError};
pub use verify::{
    AuthError, Credential, Freshness, IncomingRequest, QueryAuth, SignatureMismatch, UrlParts,
    Verified, is_presigned, split_url, verify_presigned,
};
