//! The AWS documentation pages each gate follows; every trace step links one of them.

/// How S3 authorizes a request (user, bucket and object contexts).
pub const S3_AUTHZ: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html";
/// Authorization of a bucket operation.
pub const BUCKET_OPERATION: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-bucket-operation.html";
/// Authorization of an object operation.
pub const OBJECT_OPERATION: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html";
/// IAM policy evaluation logic.
pub const IAM_EVALUATION: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html";
/// Cross-account policy evaluation.
pub const CROSS_ACCOUNT: &str = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html";
/// Service control policies.
pub const SCP: &str =
    "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html";
/// Permissions boundaries.
pub const BOUNDARY: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html";
/// Session policies.
pub const SESSION_POLICY: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session";
/// Block Public Access.
pub const BPA: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html";
/// What "public" means for Block Public Access.
pub const BPA_PUBLIC: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status";
/// Object Ownership.
pub const OWNERSHIP: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html";
/// Object Ownership error responses.
pub const OWNERSHIP_ERRORS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html";
/// ACL overview.
pub const ACL: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html";
/// Operation → permission mapping.
pub const ACTIONS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html";
/// S3 condition keys.
pub const S3_CONDITION_KEYS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html";
/// Global condition keys.
pub const GLOBAL_CONDITION_KEYS: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html";
/// Root user and the bucket-policy lock-out exemption.
pub const ROOT_POLICY_APIS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html";
/// Versioning.
pub const VERSIONING: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html";
/// Delete markers.
pub const DELETE_MARKERS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeleteMarker.html";
/// MFA Delete.
pub const MFA_DELETE: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html";
/// PutObject API reference (SSE-KMS requests need TLS or SigV4).
pub const PUT_OBJECT: &str = "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html";
/// Object key names (at most 1,024 UTF-8 bytes).
pub const OBJECT_KEYS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html";
/// HeadObject / GetObject permissions (403 vs 404).
pub const MISSING_KEY: &str = "https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html";
/// Enhanced AccessDenied messages.
pub const ACCESS_DENIED_MESSAGES: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html";
/// Authentication (signature / access keys).
pub const AUTHENTICATION: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html";
/// Error codes.
pub const ERRORS: &str = "https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html";
/// Bucket naming and CreateBucket.
pub const CREATE_BUCKET: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html";
/// DeleteObjects.
pub const DELETE_OBJECTS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html";
/// ListObjectsV2.
pub const LIST_OBJECTS_V2: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html";
/// ListObjectVersions.
pub const LIST_OBJECT_VERSIONS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html";
/// CopyObject.
pub const COPY_OBJECT: &str = "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html";
/// Sharing objects with pre-signed URLs.
pub const PRESIGNED: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html";
/// SigV4 query-string authentication (what S3 checks in a pre-signed URL).
pub const QUERY_AUTH: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html";
/// The SigV4 condition keys (`s3:authType`, `s3:signatureAge`).
pub const SIGV4_CONDITIONS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html";
/// Default bucket encryption.
pub const DEFAULT_ENCRYPTION: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html";
/// SSE-S3.
pub const SSE_S3: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html";
/// SSE-KMS.
pub const SSE_KMS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html";
/// SSE-C.
pub const SSE_C: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerSideEncryptionCustomerKeys.html";
/// Blocking SSE-C (2026).
pub const SSE_C_BLOCKING: &str = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/blocking-unblocking-s3-c-encryption-gpb.html";
/// Client-side encryption.
pub const CLIENT_SIDE: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingClientSideEncryption.html";
/// VPC endpoint policies for S3.
pub const VPC_ENDPOINT_POLICY: &str =
    "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html";
/// Server access logging.
pub const ACCESS_LOGS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html";
/// CloudTrail for S3.
pub const CLOUDTRAIL: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging.html";
/// Glacier access control.
pub const GLACIER: &str =
    "https://docs.aws.amazon.com/amazonglacier/latest/dev/access-control-overview.html";
/// S3 Bucket Keys.
pub const BUCKET_KEY: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html";
/// The bucket policy CloudTrail needs to deliver log files.
pub const TRAIL_BUCKET_POLICY: &str = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html";
/// Uploading and copying objects using multipart upload.
pub const MULTIPART: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html";
/// Multipart upload API and permissions.
pub const MULTIPART_PERMISSIONS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions";
/// Multipart upload limits (part numbers, 5 MiB minimum part size).
pub const MULTIPART_LIMITS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html";
/// The CreateMultipartUpload API reference.
pub const CREATE_MULTIPART: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html";
/// The UploadPart API reference.
pub const UPLOAD_PART: &str = "https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html";
/// The UploadPartCopy API reference.
pub const UPLOAD_PART_COPY: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html";
/// The CompleteMultipartUpload API reference.
pub const COMPLETE_MULTIPART: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html";
/// The AbortMultipartUpload API reference.
pub const ABORT_MULTIPART: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html";
/// The ListParts API reference.
pub const LIST_PARTS: &str = "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html";
/// The ListMultipartUploads API reference.
pub const LIST_MULTIPART_UPLOADS: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html";
/// Browser-based uploads using POST (AWS Signature Version 4).
pub const POST_UPLOAD: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-UsingHTTPPOST.html";
/// Creating a POST policy.
pub const POST_POLICY: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html";
/// The POST Object API reference (form fields).
pub const POST_OBJECT: &str = "https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html";
/// Calculating a POST signature (the signing key over the base64 policy).
pub const POST_SIGNATURE: &str =
    "https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-post-example.html";
