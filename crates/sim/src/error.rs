//! The S3 error responses the world can return: one enum that knows each error's HTTP status,
//! its code and AWS's message.
//!
//! Follows the S3 error-code list (<https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList>).
//! Messages are AWS's own wording (they are what a learner sees in the CLI), not house-style prose.

use serde::{Deserialize, Serialize};

/// An S3 error code with the detail that shapes its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "PascalCase")]
pub enum S3Error {
    /// 403: authorization failed (or a Block Public Access / MFA Delete refusal).
    AccessDenied {
        /// The message (`Access Denied` unless a more specific AWS text applies).
        message: String,
    },
    /// 404: the bucket does not exist.
    NoSuchBucket,
    /// 404: the key does not exist (or its current version is a delete marker).
    NoSuchKey,
    /// 404: the version id does not exist.
    NoSuchVersion,
    /// 404: the bucket has no policy.
    NoSuchBucketPolicy,
    /// 404: no Block Public Access configuration.
    NoSuchPublicAccessBlockConfiguration,
    /// 404: no Object Ownership configuration.
    OwnershipControlsNotFoundError,
    /// 405: the method is not allowed against this resource (delete marker, foreign bucket policy call).
    MethodNotAllowed,
    /// 400: the request is invalid.
    InvalidRequest {
        /// AWS's message for the case.
        message: String,
    },
    /// 400: an argument is invalid.
    InvalidArgument {
        /// AWS's message for the case.
        message: String,
    },
    /// 400: the bucket policy is not valid.
    MalformedPolicy {
        /// What is wrong with it.
        message: String,
    },
    /// 400: the request body is not well-formed.
    MalformedXml,
    /// 400: the bucket does not allow ACLs.
    AccessControlListNotSupported,
    /// 400: ACLs must be removed before enforcing bucket-owner ownership.
    InvalidBucketAclWithObjectOwnership,
    /// 400: the versioning configuration is not valid.
    IllegalVersioningConfigurationException,
    /// 409: the bucket name is taken by another account.
    BucketAlreadyExists,
    /// 409: you already own the bucket.
    BucketAlreadyOwnedByYou,
    /// 409: the bucket still holds versions or delete markers.
    BucketNotEmpty,
    /// 400: the bucket name breaks the naming rules.
    InvalidBucketName,
    /// 403: the access key id is not known.
    InvalidAccessKeyId,
    /// 400: the session token has expired.
    ExpiredToken,
    /// 400: the session token is malformed or belongs to no session.
    InvalidToken,
    /// 400: a pre-signed URL's `X-Amz-*` parameters are malformed or out of range.
    AuthorizationQueryParametersError {
        /// AWS's message for the case.
        message: String,
    },
    /// 403: the signature S3 computes differs from the one sent.
    SignatureDoesNotMatch,
    /// Any other response S3 gives with its own status, code and message (the encryption
    /// catalogue: `KMS.DisabledException`, `InvalidEncryptionAlgorithmError`, …).
    Other {
        /// The HTTP status.
        status: u16,
        /// `<Code>`.
        #[serde(rename = "errorCode")]
        error_code: String,
        /// `<Message>`.
        message: String,
    },
}

impl S3Error {
    /// An error with its own status, code and message.
    pub fn other(status: u16, code: &str, message: &str) -> Self {
        S3Error::Other {
            status,
            error_code: code.to_owned(),
            message: message.to_owned(),
        }
    }

    /// `AccessDenied` with the plain `Access Denied` message.
    pub fn access_denied() -> Self {
        S3Error::AccessDenied {
            message: "Access Denied".to_owned(),
        }
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        match self {
            S3Error::AccessDenied { .. }
            | S3Error::InvalidAccessKeyId
            | S3Error::SignatureDoesNotMatch => 403,
            S3Error::NoSuchBucket
            | S3Error::NoSuchKey
            | S3Error::NoSuchVersion
            | S3Error::NoSuchBucketPolicy
            | S3Error::NoSuchPublicAccessBlockConfiguration
            | S3Error::OwnershipControlsNotFoundError => 404,
            S3Error::MethodNotAllowed => 405,
            S3Error::BucketAlreadyExists
            | S3Error::BucketAlreadyOwnedByYou
            | S3Error::BucketNotEmpty => 409,
            S3Error::InvalidRequest { .. }
            | S3Error::InvalidArgument { .. }
            | S3Error::MalformedPolicy { .. }
            | S3Error::MalformedXml
            | S3Error::AccessControlListNotSupported
            | S3Error::InvalidBucketAclWithObjectOwnership
            | S3Error::IllegalVersioningConfigurationException
            | S3Error::InvalidBucketName
            | S3Error::ExpiredToken
            | S3Error::InvalidToken
            | S3Error::AuthorizationQueryParametersError { .. } => 400,
            S3Error::Other { status, .. } => *status,
        }
    }

    /// The error code as S3 writes it in `<Code>`.
    pub fn code(&self) -> &str {
        match self {
            S3Error::AccessDenied { .. } => "AccessDenied",
            S3Error::NoSuchBucket => "NoSuchBucket",
            S3Error::NoSuchKey => "NoSuchKey",
            S3Error::NoSuchVersion => "NoSuchVersion",
            S3Error::NoSuchBucketPolicy => "NoSuchBucketPolicy",
            S3Error::NoSuchPublicAccessBlockConfiguration => "NoSuchPublicAccessBlockConfiguration",
            S3Error::OwnershipControlsNotFoundError => "OwnershipControlsNotFoundError",
            S3Error::MethodNotAllowed => "MethodNotAllowed",
            S3Error::InvalidRequest { .. } => "InvalidRequest",
            S3Error::InvalidArgument { .. } => "InvalidArgument",
            S3Error::MalformedPolicy { .. } => "MalformedPolicy",
            S3Error::MalformedXml => "MalformedXML",
            S3Error::AccessControlListNotSupported => "AccessControlListNotSupported",
            S3Error::InvalidBucketAclWithObjectOwnership => "InvalidBucketAclWithObjectOwnership",
            S3Error::IllegalVersioningConfigurationException => {
                "IllegalVersioningConfigurationException"
            }
            S3Error::BucketAlreadyExists => "BucketAlreadyExists",
            S3Error::BucketAlreadyOwnedByYou => "BucketAlreadyOwnedByYou",
            S3Error::BucketNotEmpty => "BucketNotEmpty",
            S3Error::InvalidBucketName => "InvalidBucketName",
            S3Error::InvalidAccessKeyId => "InvalidAccessKeyId",
            S3Error::ExpiredToken => "ExpiredToken",
            S3Error::InvalidToken => "InvalidToken",
            S3Error::AuthorizationQueryParametersError { .. } => {
                "AuthorizationQueryParametersError"
            }
            S3Error::SignatureDoesNotMatch => "SignatureDoesNotMatch",
            S3Error::Other { error_code, .. } => error_code,
        }
    }

    /// The message S3 writes in `<Message>`.
    pub fn message(&self) -> String {
        match self {
            S3Error::AccessDenied { message }
            | S3Error::InvalidRequest { message }
            | S3Error::InvalidArgument { message }
            | S3Error::MalformedPolicy { message }
            | S3Error::Other { message, .. } => message.clone(),
            S3Error::NoSuchBucket => "The specified bucket does not exist".to_owned(),
            S3Error::NoSuchKey => "The specified key does not exist.".to_owned(),
            S3Error::NoSuchVersion => "The specified version does not exist.".to_owned(),
            S3Error::NoSuchBucketPolicy => "The bucket policy does not exist".to_owned(),
            S3Error::NoSuchPublicAccessBlockConfiguration => {
                "The public access block configuration was not found".to_owned()
            }
            S3Error::OwnershipControlsNotFoundError => "The bucket ownership controls were not found".to_owned(),
            S3Error::MethodNotAllowed => "The specified method is not allowed against this resource.".to_owned(),
            S3Error::MalformedXml => {
                "The XML you provided was not well-formed or did not validate against our published schema"
                    .to_owned()
            }
            S3Error::AccessControlListNotSupported => "The bucket does not allow ACLs".to_owned(),
            S3Error::InvalidBucketAclWithObjectOwnership => {
                "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting".to_owned()
            }
            S3Error::IllegalVersioningConfigurationException => {
                "The versioning configuration specified in the request is invalid.".to_owned()
            }
            S3Error::BucketAlreadyExists => {
                "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."
                    .to_owned()
            }
            S3Error::BucketAlreadyOwnedByYou => {
                "Your previous request to create the named bucket succeeded and you already own it.".to_owned()
            }
            S3Error::BucketNotEmpty => "The bucket you tried to delete is not empty".to_owned(),
            S3Error::InvalidBucketName => "The specified bucket is not valid.".to_owned(),
            S3Error::InvalidAccessKeyId => {
                "The AWS Access Key Id you provided does not exist in our records.".to_owned()
            }
            S3Error::ExpiredToken => "The provided token has expired.".to_owned(),
            S3Error::InvalidToken => {
                "The provided token is malformed or otherwise invalid.".to_owned()
            }
            S3Error::AuthorizationQueryParametersError { message } => message.clone(),
            S3Error::SignatureDoesNotMatch => "The request signature we calculated does not match the signature you provided. Check your key and signing method.".to_owned(),
        }
    }
}
