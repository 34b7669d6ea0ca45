//! The raw HTTP request a built request stands for: method, path and query, and the headers
//! that take part in S3's decision, as the S3 API reference writes them.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/RESTAPI.html>.

use s3pg_sim::{Caller, Operation, Request, Scheme};

/// The raw HTTP request a [`Request`] stands for: request line, `Host`, and every header that
/// takes part in the decision (the body is left out). The signature is elided: the world signs
/// and verifies with the caller's stored secret.
pub fn http_text(request: &Request) -> String {
    let op = &request.operation;
    let host = |bucket: &str| format!("{bucket}.s3.amazonaws.com");
    let (method, host, target) = match op {
        Operation::ListBuckets {} => ("GET", "s3.amazonaws.com".to_owned(), "/".to_owned()),
        Operation::PresignedRequest {
            method, presign, ..
        } => {
            let (bucket, key) = presign
                .as_ref()
                .map_or((String::new(), String::new()), |p| {
                    (p.bucket.clone(), p.key.clone())
                });
            let signer = presign
                .as_ref()
                .map(|p| p.access_key_id.as_str())
                .unwrap_or("");
            let expires = presign.as_ref().map_or(0, |p| p.expires_in);
            (
                method_static(method),
                host(&bucket),
                format!(
                    "/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={signer}%2F…&X-Amz-Date=…&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=…"
                ),
            )
        }
        Operation::PutAccountPublicAccessBlock { account, .. }
        | Operation::GetAccountPublicAccessBlock { account }
        | Operation::DeleteAccountPublicAccessBlock { account } => (
            match op {
                Operation::PutAccountPublicAccessBlock { .. } => "PUT",
                Operation::DeleteAccountPublicAccessBlock { .. } => "DELETE",
                _ => "GET",
            },
            format!("{account}.s3-control.us-east-1.amazonaws.com"),
            "/v20180820/configuration/publicAccessBlock".to_owned(),
        ),
        Operation::Kms(k) => (
            "POST",
            "kms.us-east-1.amazonaws.com".to_owned(),
            format!("/  (X-Amz-Target: TrentService.{})", k.name()),
        ),
        Operation::Glacier(_) => (
            "POST",
            "glacier.us-east-1.amazonaws.com".to_owned(),
            format!("/-/vaults/…  ({})", op.name()),
        ),
        Operation::Iam(r) => (
            "POST",
            "iam.amazonaws.com".to_owned(),
            format!("/  (Action={})", r.name()),
        ),
        Operation::Sts(r) => (
            "POST",
            "sts.amazonaws.com".to_owned(),
            format!("/  (Action={})", r.name()),
        ),
        _ => {
            let bucket = op.bucket().unwrap_or_default();
            let (method, target) = s3_target(op);
            (method, host(bucket), target)
        }
    };
    let scheme = match request.network.scheme {
        Scheme::Https => "https",
        Scheme::Http => "http",
    };
    let mut text = format!("{method} {target} HTTP/1.1\nHost: {host}");
    for (name, value) in &request.headers {
        text.push_str(&format!("\n{name}: {value}"));
    }
    if let Operation::CopyObject {
        source_bucket,
        source_key,
        source_version_id,
        ..
    } = op
    {
        text.push_str(&format!(
            "\nx-amz-copy-source: /{source_bucket}/{source_key}"
        ));
        if let Some(v) = source_version_id {
            text.push_str(&format!("?versionId={v}"));
        }
    }
    let signed = !matches!(request.caller, Caller::Anonymous)
        && !matches!(op, Operation::PresignedRequest { .. });
    if signed {
        text.push_str("\nx-amz-date: …\nAuthorization: AWS4-HMAC-SHA256 Credential=…/s3/aws4_request, SignedHeaders=…, Signature=…");
    }
    let mut via = format!("\n\n# over {scheme} from {}", request.network.source_ip);
    if let Some(vpce) = &request.network.vpc_endpoint {
        via = format!("\n\n# over {scheme} through VPC endpoint {vpce}");
    }
    text.push_str(&via);
    text
}

pub(super) fn method_static(method: &str) -> &'static str {
    match method.to_ascii_uppercase().as_str() {
        "PUT" => "PUT",
        "HEAD" => "HEAD",
        "DELETE" => "DELETE",
        "POST" => "POST",
        _ => "GET",
    }
}

/// The method and path-and-query of a bucket or object operation.
pub(super) fn s3_target(op: &Operation) -> (&'static str, String) {
    let version = |v: &Option<String>| {
        v.as_ref()
            .map(|v| format!("?versionId={v}"))
            .unwrap_or_default()
    };
    match op {
        Operation::PutObject { key, .. } => ("PUT", format!("/{key}")),
        Operation::GetObject {
            key, version_id, ..
        } => ("GET", format!("/{key}{}", version(version_id))),
        Operation::HeadObject {
            key, version_id, ..
        } => ("HEAD", format!("/{key}{}", version(version_id))),
        Operation::DeleteObject {
            key, version_id, ..
        } => ("DELETE", format!("/{key}{}", version(version_id))),
        Operation::DeleteObjects { .. } => ("POST", "/?delete".to_owned()),
        Operation::CopyObject { key, .. } => ("PUT", format!("/{key}")),
        Operation::ListObjectsV2 { prefix, .. } => (
            "GET",
            format!(
                "/?list-type=2{}",
                prefix
                    .as_ref()
                    .map(|p| format!("&prefix={p}"))
                    .unwrap_or_default()
            ),
        ),
        Operation::ListObjectVersions { .. } => ("GET", "/?versions".to_owned()),
        Operation::PutObjectAcl {
            key, version_id, ..
        } => (
            "PUT",
            format!("/{key}?acl{}", version(version_id).replacen('?', "&", 1)),
        ),
        Operation::GetObjectAcl {
            key, version_id, ..
        } => (
            "GET",
            format!("/{key}?acl{}", version(version_id).replacen('?', "&", 1)),
        ),
        Operation::CreateBucket { .. } => ("PUT", "/".to_owned()),
        Operation::DeleteBucket { .. } => ("DELETE", "/".to_owned()),
        Operation::PutBucketPolicy { .. } => ("PUT", "/?policy".to_owned()),
        Operation::GetBucketPolicy { .. } => ("GET", "/?policy".to_owned()),
        Operation::DeleteBucketPolicy { .. } => ("DELETE", "/?policy".to_owned()),
        Operation::GetBucketPolicyStatus { .. } => ("GET", "/?policyStatus".to_owned()),
        Operation::PutBucketAcl { .. } => ("PUT", "/?acl".to_owned()),
        Operation::GetBucketAcl { .. } => ("GET", "/?acl".to_owned()),
        Operation::PutPublicAccessBlock { .. } => ("PUT", "/?publicAccessBlock".to_owned()),
        Operation::GetPublicAccessBlock { .. } => ("GET", "/?publicAccessBlock".to_owned()),
        Operation::DeletePublicAccessBlock { .. } => ("DELETE", "/?publicAccessBlock".to_owned()),
        Operation::PutBucketOwnershipControls { .. } => ("PUT", "/?ownershipControls".to_owned()),
        Operation::GetBucketOwnershipControls { .. } => ("GET", "/?ownershipControls".to_owned()),
        Operation::PutBucketVersioning { .. } => ("PUT", "/?versioning".to_owned()),
        Operation::GetBucketVersioning { .. } => ("GET", "/?versioning".to_owned()),
        Operation::PutBucketEncryption { .. } => ("PUT", "/?encryption".to_owned()),
        Operation::GetBucketEncryption { .. } => ("GET", "/?encryption".to_owned()),
        Operation::DeleteBucketEncryption { .. } => ("DELETE", "/?encryption".to_owned()),
        Operation::PutBucketLogging { .. } => ("PUT", "/?logging".to_owned()),
        Operation::GetBucketLogging { .. } => ("GET", "/?logging".to_owned()),
        Operation::CreateMultipartUpload { key, .. } => ("POST", format!("/{key}?uploads")),
        Operation::UploadPart {
            key,
            upload_id,
            part_number,
            ..
        }
        | Operation::UploadPartCopy {
            key,
            upload_id,
            part_number,
            ..
        } => (
            "PUT",
            format!("/{key}?partNumber={part_number}&uploadId={upload_id}"),
        ),
        Operation::CompleteMultipartUpload { key, upload_id, .. } => {
            ("POST", format!("/{key}?uploadId={upload_id}"))
        }
        Operation::AbortMultipartUpload { key, upload_id, .. } => {
            ("DELETE", format!("/{key}?uploadId={upload_id}"))
        }
        Operation::ListParts { key, upload_id, .. } => {
            ("GET", format!("/{key}?uploadId={upload_id}"))
        }
        Operation::ListMultipartUploads { .. } => ("GET", "/?uploads".to_owned()),
        Operation::PutObjectTagging {
            key, version_id, ..
        } => (
            "PUT",
            format!(
                "/{key}?tagging{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::GetObjectTagging {
            key, version_id, ..
        } => (
            "GET",
            format!(
                "/{key}?tagging{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::DeleteObjectTagging {
            key, version_id, ..
        } => (
            "DELETE",
            format!(
                "/{key}?tagging{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::PostObject { .. } => ("POST", "/  (multipart/form-data)".to_owned()),
        Operation::PutObjectLockConfiguration { .. } => ("PUT", "/?object-lock".to_owned()),
        Operation::GetObjectLockConfiguration { .. } => ("GET", "/?object-lock".to_owned()),
        Operation::PutObjectRetention {
            key, version_id, ..
        } => (
            "PUT",
            format!(
                "/{key}?retention{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::GetObjectRetention {
            key, version_id, ..
        } => (
            "GET",
            format!(
                "/{key}?retention{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::PutObjectLegalHold {
            key, version_id, ..
        } => (
            "PUT",
            format!(
                "/{key}?legal-hold{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::GetObjectLegalHold {
            key, version_id, ..
        } => (
            "GET",
            format!(
                "/{key}?legal-hold{}",
                version(version_id).replacen('?', "&", 1)
            ),
        ),
        Operation::PutBucketLifecycleConfiguration { .. } => ("PUT", "/?lifecycle".to_owned()),
        Operation::GetBucketLifecycleConfiguration { .. } => ("GET", "/?lifecycle".to_owned()),
        Operation::DeleteBucketLifecycle { .. } => ("DELETE", "/?lifecycle".to_owned()),
        _ => ("GET", "/".to_owned()),
    }
}
