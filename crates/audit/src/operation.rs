//! The access log's Operation field, as a function of the S3 API name.
//!
//! AWS documents the shape (`REST.HTTP_method.resource_type`, `SOAP.operation`,
//! `WEBSITE.HTTP_method.resource_type`, `BATCH.DELETE.OBJECT`, `S3.action.resource_type` for
//! lifecycle and logging) but no complete table (S3 UG "Amazon S3 server access log format",
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html>). Each name here says
//! where it comes from: shown in AWS documentation, seen in published real logs, or a
//! playground choice that follows the pattern.

/// Where an operation name comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Evidence {
    /// Shown in AWS documentation (log format page, lifecycle logging page).
    Documented,
    /// Seen in real logs published by third parties; AWS documents no table.
    Observed,
    /// Not confirmed: the playground follows AWS's naming pattern.
    Simulated,
}

/// An access-log operation name with its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OperationName {
    /// The name as it appears in the log, e.g. `REST.PUT.OBJECT`.
    pub name: &'static str,
    /// Where the name comes from.
    pub evidence: Evidence,
}

use Evidence::{Documented as D, Observed as O, Simulated as S};

// (API name, operation, evidence). The lifecycle actions are keyed by their log names' verbs,
// since they are not API calls.
const TABLE: &[(&str, &str, Evidence)] = &[
    ("GetObject", "REST.GET.OBJECT", D),
    ("HeadObject", "REST.HEAD.OBJECT", O),
    ("PutObject", "REST.PUT.OBJECT", D),
    ("PostObject", "REST.POST.OBJECT", S),
    ("CopyObject", "REST.COPY.OBJECT", O),
    ("DeleteObject", "REST.DELETE.OBJECT", O),
    ("DeleteObjects", "REST.POST.MULTI_OBJECT_DELETE", O),
    ("ListObjects", "REST.GET.BUCKET", O),
    ("ListObjectsV2", "REST.GET.BUCKET", O),
    ("ListObjectVersions", "REST.GET.BUCKETVERSIONS", O),
    ("HeadBucket", "REST.HEAD.BUCKET", O),
    ("CreateBucket", "REST.PUT.BUCKET", O),
    ("DeleteBucket", "REST.DELETE.BUCKET", O),
    ("ListBuckets", "REST.GET.SERVICE", O),
    ("GetBucketLocation", "REST.GET.LOCATION", O),
    ("GetBucketPolicy", "REST.GET.BUCKETPOLICY", D),
    ("PutBucketPolicy", "REST.PUT.BUCKETPOLICY", O),
    ("DeleteBucketPolicy", "REST.DELETE.BUCKETPOLICY", O),
    ("GetBucketPolicyStatus", "REST.GET.POLICY_STATUS", O),
    ("GetBucketAcl", "REST.GET.ACL", O),
    ("PutBucketAcl", "REST.PUT.ACL", O),
    ("GetObjectAcl", "REST.GET.ACL", O),
    ("PutObjectAcl", "REST.PUT.ACL", O),
    ("GetBucketVersioning", "REST.GET.VERSIONING", D),
    ("PutBucketVersioning", "REST.PUT.VERSIONING", O),
    ("GetBucketLogging", "REST.GET.LOGGING_STATUS", D),
    ("PutBucketLogging", "REST.PUT.LOGGING_STATUS", O),
    ("GetBucketEncryption", "REST.GET.ENCRYPTION", O),
    ("PutBucketEncryption", "REST.PUT.ENCRYPTION", O),
    ("DeleteBucketEncryption", "REST.DELETE.ENCRYPTION", S),
    ("GetPublicAccessBlock", "REST.GET.PUBLIC_ACCESS_BLOCK", O),
    ("PutPublicAccessBlock", "REST.PUT.PUBLIC_ACCESS_BLOCK", S),
    (
        "DeletePublicAccessBlock",
        "REST.DELETE.PUBLIC_ACCESS_BLOCK",
        S,
    ),
    (
        "GetBucketOwnershipControls",
        "REST.GET.OWNERSHIP_CONTROLS",
        S,
    ),
    (
        "PutBucketOwnershipControls",
        "REST.PUT.OWNERSHIP_CONTROLS",
        S,
    ),
    (
        "DeleteBucketOwnershipControls",
        "REST.DELETE.OWNERSHIP_CONTROLS",
        S,
    ),
    ("GetBucketTagging", "REST.GET.TAGGING", O),
    ("PutBucketTagging", "REST.PUT.TAGGING", S),
    ("DeleteBucketTagging", "REST.DELETE.TAGGING", S),
    ("GetObjectTagging", "REST.GET.OBJECT_TAGGING", O),
    ("PutObjectTagging", "REST.PUT.OBJECT_TAGGING", O),
    ("DeleteObjectTagging", "REST.DELETE.OBJECT_TAGGING", S),
    ("GetBucketCors", "REST.GET.CORS", O),
    ("PutBucketCors", "REST.PUT.CORS", O),
    ("DeleteBucketCors", "REST.DELETE.CORS", S),
    ("GetBucketWebsite", "REST.GET.WEBSITE", O),
    ("PutBucketWebsite", "REST.PUT.WEBSITE", S),
    ("DeleteBucketWebsite", "REST.DELETE.WEBSITE", S),
    ("GetBucketLifecycleConfiguration", "REST.GET.LIFECYCLE", O),
    ("PutBucketLifecycleConfiguration", "REST.PUT.LIFECYCLE", O),
    ("DeleteBucketLifecycle", "REST.DELETE.LIFECYCLE", S),
    ("GetBucketReplication", "REST.GET.REPLICATION", O),
    ("GetBucketRequestPayment", "REST.GET.REQUEST_PAYMENT", O),
    (
        "GetBucketNotificationConfiguration",
        "REST.GET.NOTIFICATION",
        S,
    ),
    (
        "PutBucketNotificationConfiguration",
        "REST.PUT.NOTIFICATION",
        O,
    ),
    (
        "GetObjectLockConfiguration",
        "REST.GET.OBJECT_LOCK_CONFIGURATION",
        S,
    ),
    (
        "PutObjectLockConfiguration",
        "REST.PUT.OBJECT_LOCK_CONFIGURATION",
        S,
    ),
    ("GetObjectRetention", "REST.GET.RETENTION", S),
    ("PutObjectRetention", "REST.PUT.RETENTION", S),
    ("GetObjectLegalHold", "REST.GET.LEGAL_HOLD", S),
    ("PutObjectLegalHold", "REST.PUT.LEGAL_HOLD", S),
    ("GetObjectAttributes", "REST.GET.OBJECT_ATTRIBUTES", S),
    ("RestoreObject", "REST.POST.RESTORE", O),
    ("CreateMultipartUpload", "REST.POST.UPLOADS", O),
    ("UploadPart", "REST.PUT.PART", O),
    ("UploadPartCopy", "REST.COPY.PART", O),
    ("CompleteMultipartUpload", "REST.POST.UPLOAD", O),
    ("AbortMultipartUpload", "REST.DELETE.UPLOAD", O),
    ("ListParts", "REST.GET.UPLOAD", O),
    ("ListMultipartUploads", "REST.GET.UPLOADS", O),
    ("SelectObjectContent", "REST.POST.SELECT", S),
];

/// The Operation S3 writes for a REST call of the named API (`PutObject` → `REST.PUT.OBJECT`),
/// or `None` for a name this table does not know.
pub fn operation_for(api_name: &str) -> Option<OperationName> {
    TABLE
        .iter()
        .find(|(api, _, _)| *api == api_name)
        .map(|&(_, name, evidence)| OperationName { name, evidence })
}

/// The second record a copy writes, describing the read of the source object
/// (`CopyObject` → `REST.COPY.OBJECT_GET`). AWS logs a copy as two records, the PUT side and
/// the GET side (S3 UG "Additional logging for copy operations").
pub fn copy_source_operation(api_name: &str) -> Option<OperationName> {
    match api_name {
        "CopyObject" => Some(OperationName {
            name: "REST.COPY.OBJECT_GET",
            evidence: D,
        }),
        "UploadPartCopy" => Some(OperationName {
            name: "REST.COPY.PART_GET",
            evidence: O,
        }),
        _ => None,
    }
}

/// The per-key records of a multi-object delete: `BATCH.DELETE.OBJECT`, one per key, beside the
/// `REST.POST.MULTI_OBJECT_DELETE` record of the request itself.
pub const BATCH_DELETE_OBJECT: OperationName = OperationName {
    name: "BATCH.DELETE.OBJECT",
    evidence: D,
};

/// Actions S3 Lifecycle takes on its own, logged as `S3.action.resource_type`. They appear in
/// server access logs only: CloudTrail never sees them, because Lifecycle uses internal
/// endpoints (S3 UG "How S3 Lifecycle interacts with other bucket configurations",
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-and-other-bucket-config.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InternalAction {
    /// Permanently deleted an object (`S3.EXPIRE.OBJECT`).
    Expire,
    /// Added a delete marker in a versioning-enabled bucket (`S3.CREATE.DELETEMARKER`).
    CreateDeleteMarker,
    /// Moved an object to S3 Standard-IA (`S3.TRANSITION_SIA.OBJECT`).
    TransitionStandardIa,
    /// Moved an object to S3 One Zone-IA (`S3.TRANSITION_ZIA.OBJECT`).
    TransitionOneZoneIa,
    /// Moved an object to S3 Intelligent-Tiering (`S3.TRANSITION_INT.OBJECT`).
    TransitionIntelligentTiering,
    /// Began moving an object to S3 Glacier Instant Retrieval (`S3.TRANSITION_GIR.OBJECT`).
    TransitionGlacierInstantRetrieval,
    /// Began moving an object to S3 Glacier Flexible Retrieval (`S3.TRANSITION.OBJECT`).
    TransitionGlacier,
    /// Began moving an object to S3 Glacier Deep Archive (`S3.TRANSITION_GDA.OBJECT`).
    TransitionDeepArchive,
    /// Aborted an incomplete multipart upload (`S3.DELETE.UPLOAD`).
    AbortUpload,
}

impl InternalAction {
    /// The Operation S3 writes for this action.
    pub fn operation(self) -> OperationName {
        let name = match self {
            InternalAction::Expire => "S3.EXPIRE.OBJECT",
            InternalAction::CreateDeleteMarker => "S3.CREATE.DELETEMARKER",
            InternalAction::TransitionStandardIa => "S3.TRANSITION_SIA.OBJECT",
            InternalAction::TransitionOneZoneIa => "S3.TRANSITION_ZIA.OBJECT",
            InternalAction::TransitionIntelligentTiering => "S3.TRANSITION_INT.OBJECT",
            InternalAction::TransitionGlacierInstantRetrieval => "S3.TRANSITION_GIR.OBJECT",
            InternalAction::TransitionGlacier => "S3.TRANSITION.OBJECT",
            InternalAction::TransitionDeepArchive => "S3.TRANSITION_GDA.OBJECT",
            InternalAction::AbortUpload => "S3.DELETE.UPLOAD",
        };
        OperationName { name, evidence: D }
    }

    /// The transition action for a target storage class (`STANDARD_IA`, `ONEZONE_IA`,
    /// `INTELLIGENT_TIERING`, `GLACIER_IR`, `GLACIER`, `DEEP_ARCHIVE`).
    pub fn transition_to(storage_class: &str) -> Option<Self> {
        match storage_class {
            "STANDARD_IA" => Some(InternalAction::TransitionStandardIa),
            "ONEZONE_IA" => Some(InternalAction::TransitionOneZoneIa),
            "INTELLIGENT_TIERING" => Some(InternalAction::TransitionIntelligentTiering),
            "GLACIER_IR" => Some(InternalAction::TransitionGlacierInstantRetrieval),
            "GLACIER" => Some(InternalAction::TransitionGlacier),
            "DEEP_ARCHIVE" => Some(InternalAction::TransitionDeepArchive),
            _ => None,
        }
    }
}

// (API name, HTTP method, sub-resource in the query string), from each operation's S3 API
// reference page ("Request Syntax"). The path is `/` for bucket operations and `/KEY` for
// object operations (virtual-hosted-style requests name the bucket in the Host header).
const REST_SHAPES: &[(&str, &str, &str)] = &[
    ("GetObject", "GET", ""),
    ("HeadObject", "HEAD", ""),
    ("PutObject", "PUT", ""),
    ("PostObject", "POST", ""),
    ("CopyObject", "PUT", ""),
    ("DeleteObject", "DELETE", ""),
    ("DeleteObjects", "POST", "delete"),
    ("ListObjects", "GET", ""),
    ("ListObjectsV2", "GET", "list-type=2"),
    ("ListObjectVersions", "GET", "versions"),
    ("HeadBucket", "HEAD", ""),
    ("CreateBucket", "PUT", ""),
    ("DeleteBucket", "DELETE", ""),
    ("ListBuckets", "GET", ""),
    ("GetBucketLocation", "GET", "location"),
    ("GetBucketPolicy", "GET", "policy"),
    ("PutBucketPolicy", "PUT", "policy"),
    ("DeleteBucketPolicy", "DELETE", "policy"),
    ("GetBucketPolicyStatus", "GET", "policyStatus"),
    ("GetBucketAcl", "GET", "acl"),
    ("PutBucketAcl", "PUT", "acl"),
    ("GetObjectAcl", "GET", "acl"),
    ("PutObjectAcl", "PUT", "acl"),
    ("GetBucketVersioning", "GET", "versioning"),
    ("PutBucketVersioning", "PUT", "versioning"),
    ("GetBucketLogging", "GET", "logging"),
    ("PutBucketLogging", "PUT", "logging"),
    ("GetBucketEncryption", "GET", "encryption"),
    ("PutBucketEncryption", "PUT", "encryption"),
    ("DeleteBucketEncryption", "DELETE", "encryption"),
    ("GetPublicAccessBlock", "GET", "publicAccessBlock"),
    ("PutPublicAccessBlock", "PUT", "publicAccessBlock"),
    ("DeletePublicAccessBlock", "DELETE", "publicAccessBlock"),
    ("GetBucketOwnershipControls", "GET", "ownershipControls"),
    ("PutBucketOwnershipControls", "PUT", "ownershipControls"),
    (
        "DeleteBucketOwnershipControls",
        "DELETE",
        "ownershipControls",
    ),
    ("GetBucketTagging", "GET", "tagging"),
    ("PutBucketTagging", "PUT", "tagging"),
    ("DeleteBucketTagging", "DELETE", "tagging"),
    ("GetBucketCors", "GET", "cors"),
    ("PutBucketCors", "PUT", "cors"),
    ("DeleteBucketCors", "DELETE", "cors"),
    ("GetBucketWebsite", "GET", "website"),
    ("PutBucketWebsite", "PUT", "website"),
    ("DeleteBucketWebsite", "DELETE", "website"),
    ("GetBucketReplication", "GET", "replication"),
    ("GetBucketRequestPayment", "GET", "requestPayment"),
    ("GetBucketNotificationConfiguration", "GET", "notification"),
    ("PutBucketNotificationConfiguration", "PUT", "notification"),
    ("GetObjectAttributes", "GET", "attributes"),
    ("RestoreObject", "POST", "restore"),
    ("SelectObjectContent", "POST", "select&select-type=2"),
    ("GetObjectTagging", "GET", "tagging"),
    ("PutObjectTagging", "PUT", "tagging"),
    ("DeleteObjectTagging", "DELETE", "tagging"),
    ("GetBucketLifecycleConfiguration", "GET", "lifecycle"),
    ("PutBucketLifecycleConfiguration", "PUT", "lifecycle"),
    ("DeleteBucketLifecycle", "DELETE", "lifecycle"),
    ("GetObjectLockConfiguration", "GET", "object-lock"),
    ("PutObjectLockConfiguration", "PUT", "object-lock"),
    ("GetObjectRetention", "GET", "retention"),
    ("PutObjectRetention", "PUT", "retention"),
    ("GetObjectLegalHold", "GET", "legal-hold"),
    ("PutObjectLegalHold", "PUT", "legal-hold"),
    ("CreateMultipartUpload", "POST", "uploads"),
    ("UploadPart", "PUT", ""),
    ("UploadPartCopy", "PUT", ""),
    ("CompleteMultipartUpload", "POST", ""),
    ("AbortMultipartUpload", "DELETE", ""),
    ("ListMultipartUploads", "GET", "uploads"),
    ("ListParts", "GET", ""),
];

/// The HTTP method and the sub-resource query (`versioning`, `list-type=2`, or empty) of an S3
/// API call, for the access log's Request-URI; `None` for names the table does not know.
pub fn rest_shape(api_name: &str) -> Option<(&'static str, &'static str)> {
    REST_SHAPES
        .iter()
        .find(|(name, _, _)| *name == api_name)
        .map(|(_, method, sub)| (*method, *sub))
}

/// The Request-URI field: `"GET /photos/cat.jpg?versionId=3HL4 HTTP/1.1"`. `key` is the object
/// key (none for bucket operations), `query` the parameters after the sub-resource.
pub fn request_uri(
    api_name: &str,
    key: Option<&str>,
    query: &[(String, String)],
) -> Option<String> {
    let (method, sub) = rest_shape(api_name)?;
    let path = key.map_or_else(
        || "/".to_owned(),
        |k| format!("/{}", crate::keys::encode_key(k)),
    );
    let mut params: Vec<String> = Vec::new();
    if !sub.is_empty() {
        params.push(sub.to_owned());
    }
    params.extend(
        query
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::keys::encode_key(v).replace('/', "%2F"))),
    );
    let q = if params.is_empty() {
        String::new()
    } else {
        format!("?{}", params.join("&"))
    };
    Some(format!("{method} {path}{q} HTTP/1.1"))
}

/// Whether an access-log Operation is one S3 performs internally (`S3.…`), never an API call.
pub fn is_internal_operation(operation: &str) -> bool {
    operation.starts_with("S3.")
}

/// Every API name the table knows, in table order (for UIs and tests).
pub fn known_api_names() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(api, _, _)| *api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_operations_follow_the_documented_names() {
        let cases = [
            ("GetObject", "REST.GET.OBJECT"),
            ("PutObject", "REST.PUT.OBJECT"),
            ("ListObjectsV2", "REST.GET.BUCKET"),
            ("PutBucketPolicy", "REST.PUT.BUCKETPOLICY"),
            ("GetBucketVersioning", "REST.GET.VERSIONING"),
            ("GetBucketLogging", "REST.GET.LOGGING_STATUS"),
            ("DeleteObjects", "REST.POST.MULTI_OBJECT_DELETE"),
        ];
        for (api, op) in cases {
            assert_eq!(operation_for(api).unwrap().name, op, "{api}");
        }
        assert!(operation_for("NoSuchApi").is_none());
        assert_eq!(
            copy_source_operation("CopyObject").unwrap().name,
            "REST.COPY.OBJECT_GET"
        );
        assert_eq!(InternalAction::Expire.operation().name, "S3.EXPIRE.OBJECT");
    }

    #[test]
    fn every_name_has_the_rest_shape() {
        for (api, op, _) in TABLE {
            let parts: Vec<&str> = op.split('.').collect();
            assert_eq!(parts.len(), 3, "{api} -> {op}");
            assert_eq!(parts[0], "REST");
            assert!(["GET", "PUT", "POST", "DELETE", "HEAD", "COPY"].contains(&parts[1]));
        }
    }
}

#[cfg(test)]
mod rest_tests {
    #![allow(clippy::unwrap_used, reason = "test code")]
    use super::*;

    #[test]
    fn request_lines_follow_the_api_reference_request_syntax() {
        assert_eq!(
            request_uri(
                "GetObject",
                Some("photos/cat 1.jpg"),
                &[("versionId".into(), "3/L4".into())]
            )
            .unwrap(),
            "GET /photos/cat%201.jpg?versionId=3%2FL4 HTTP/1.1"
        );
        assert_eq!(
            request_uri("GetBucketVersioning", None, &[]).unwrap(),
            "GET /?versioning HTTP/1.1"
        );
        assert_eq!(
            request_uri("ListObjectsV2", None, &[("prefix".into(), "logs/".into())]).unwrap(),
            "GET /?list-type=2&prefix=logs%2F HTTP/1.1"
        );
        assert_eq!(request_uri("NoSuchApi", None, &[]), None);
        // Every API name with an access-log operation has a request line.
        for name in known_api_names() {
            if operation_for(name).is_some_and(|o| o.name.starts_with("REST.")) {
                assert!(rest_shape(name).is_some(), "`{name}` has no REST shape");
            }
        }
    }
}
