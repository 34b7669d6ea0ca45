//! Using a pre-signed URL in the world: the URL is split (virtual-hosted or path style), its
//! method and path mapped to an S3 operation, its SigV4 query parameters checked in S3's order
//! (form → Region → lifetime on the simulated clock → access key → session token → signature),
//! and then the request runs through the ordinary pipeline authorized as the signer *at the time
//! of use*, with `s3:authType` = `REST-QUERY-STRING`, `s3:signatureAge` and `aws:SecureTransport`
//! from the URL's scheme. Minting a URL with the world's stored secret is [`World::presign`].
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html>,
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html>;
//! the checks and S3's error texts are `s3pg-sigv4`'s.

use std::fmt;

use s3pg_sigv4::{
    AddressingStyle, AmzDateTime, Credentials, PresignError, PresignInput, PresignedUrl, UrlParts,
    split_url,
};

use crate::request::{Operation, PresignSpec};
use crate::time::Timestamp;
use crate::world::{World, fnv, opaque_id};

/// Where a URL points: the bucket and key it addresses and how it names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The bucket.
    pub bucket: String,
    /// The object key, decoded; empty for a bucket-level URL.
    pub key: String,
    /// The Region named by the host (`None` for the global `s3.amazonaws.com`).
    pub region: Option<String>,
    /// True for `BUCKET.s3….amazonaws.com`, false for `s3….amazonaws.com/BUCKET`.
    pub virtual_hosted: bool,
}

/// A URL that does not reach S3, or a request S3 would not map to a simulated operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlProblem {
    /// What is wrong (lowercase, no final period).
    pub message: String,
    /// What to do.
    pub help: String,
}

impl fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

fn problem(message: String, help: &str) -> UrlProblem {
    UrlProblem {
        message,
        help: help.to_owned(),
    }
}

/// Splits an S3 URL into its parts and the bucket/key it addresses.
pub fn split_target(url: &str) -> Result<(UrlParts, Target), UrlProblem> {
    let parts = split_url(url).ok_or_else(|| {
        problem(
            format!("`{url}` is not a URL of the form `https://host/path?query`"),
            "paste the whole URL `aws s3 presign` printed",
        )
    })?;
    let host = parts
        .host
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(parts.host.as_str(), |(h, _)| h)
        .to_ascii_lowercase();
    let not_s3 = || {
        problem(
            format!("`{host}` is not an S3 endpoint"),
            "S3 URLs look like `https://BUCKET.s3.REGION.amazonaws.com/KEY` or `https://s3.REGION.amazonaws.com/BUCKET/KEY`",
        )
    };
    let base = host
        .strip_suffix(".amazonaws.com")
        .or_else(|| host.strip_suffix(".amazonaws.com.cn"))
        .ok_or_else(not_s3)?;
    // `base` is `[BUCKET.]s3[.dualstack][.REGION]` or `[BUCKET.]s3-REGION`.
    let (bucket_label, service) =
        if base == "s3" || base.starts_with("s3.") || base.starts_with("s3-") {
            (None, base)
        } else if let Some(i) = base.find(".s3.").or_else(|| base.find(".s3-")) {
            (base.get(..i), base.get(i + 1..).unwrap_or(""))
        } else if let Some(b) = base.strip_suffix(".s3") {
            (Some(b), "s3")
        } else {
            return Err(not_s3());
        };
    let region = service
        .strip_prefix("s3.")
        .or_else(|| service.strip_prefix("s3-"))
        .map(|r| r.strip_prefix("dualstack.").unwrap_or(r))
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let decoded = s3pg_sigv4::encoding::percent_decode_lossy(&parts.path);
    let path = decoded.strip_prefix('/').unwrap_or(&decoded);
    let target = match bucket_label {
        Some(bucket) => Target {
            bucket: bucket.to_owned(),
            key: path.to_owned(),
            region,
            virtual_hosted: true,
        },
        None => {
            let (bucket, key) = path.split_once('/').unwrap_or((path, ""));
            if bucket.is_empty() {
                return Err(problem(
                    "the URL names no bucket".to_owned(),
                    "a path-style URL starts its path with the bucket name",
                ));
            }
            Target {
                bucket: bucket.to_owned(),
                key: key.to_owned(),
                region,
                virtual_hosted: false,
            }
        }
    };
    Ok((parts, target))
}

/// The S3 operation a method and a target mean, with the URL's own query parameters
/// (`versionId`, `prefix`, `delimiter`, `max-keys`, `continuation-token`, `start-after`, `versions`).
pub fn map_operation(
    method: &str,
    target: &Target,
    query: &str,
    body: Option<&str>,
) -> Result<Operation, UrlProblem> {
    let pairs = s3pg_sigv4::request::parse_query(query);
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let bucket = target.bucket.clone();
    let key = target.key.clone();
    let method = method.to_ascii_uppercase();
    let unsupported = || {
        problem(
            format!(
                "`{method}` on {} is not a request the playground simulates with a pre-signed URL",
                if target.key.is_empty() {
                    "a bucket"
                } else {
                    "an object"
                }
            ),
            "use GET, PUT, HEAD or DELETE on an object, or GET on a bucket (ListObjectsV2)",
        )
    };
    if target.key.is_empty() {
        if method != "GET" {
            return Err(unsupported());
        }
        if get("versions").is_some() {
            return Ok(Operation::ListObjectVersions {
                bucket,
                prefix: get("prefix"),
                delimiter: get("delimiter"),
                max_keys: get("max-keys").and_then(|m| m.parse().ok()),
                key_marker: get("key-marker"),
                version_id_marker: get("version-id-marker"),
            });
        }
        return Ok(Operation::ListObjectsV2 {
            bucket,
            prefix: get("prefix"),
            delimiter: get("delimiter"),
            max_keys: get("max-keys").and_then(|m| m.parse().ok()),
            continuation_token: get("continuation-token").or_else(|| get("start-after")),
        });
    }
    let version_id = get("versionId");
    if let Some(upload_id) = get("uploadId") {
        return match (method.as_str(), get("partNumber")) {
            ("PUT", Some(n)) => Ok(Operation::UploadPart {
                bucket,
                key,
                upload_id,
                part_number: n.parse().unwrap_or(0),
                body: body.unwrap_or_default().to_owned(),
                size: None,
            }),
            ("GET", None) => Ok(Operation::ListParts {
                bucket,
                key,
                upload_id,
                max_parts: None,
                part_number_marker: None,
            }),
            ("DELETE", None) => Ok(Operation::AbortMultipartUpload {
                bucket,
                key,
                upload_id,
            }),
            _ => Err(unsupported()),
        };
    }
    Ok(match method.as_str() {
        "GET" => Operation::GetObject {
            bucket,
            key,
            version_id,
        },
        "HEAD" => Operation::HeadObject {
            bucket,
            key,
            version_id,
        },
        "PUT" => Operation::PutObject {
            bucket,
            key,
            body: body.unwrap_or_default().to_owned(),
        },
        "DELETE" => Operation::DeleteObject {
            bucket,
            key,
            version_id,
        },
        _ => return Err(unsupported()),
    })
}

/// Who owns an access key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signer {
    /// An account's root user.
    Root {
        /// The account id.
        account: String,
    },
    /// An IAM user.
    User {
        /// The account id.
        account: String,
        /// The user name.
        name: String,
    },
    /// A role session (temporary credentials).
    Session {
        /// The account id.
        account: String,
        /// The role name.
        role: String,
        /// The session name.
        session: String,
    },
}

/// An access key as the world stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerKey {
    /// The owner.
    pub signer: Signer,
    /// The secret access key (a deterministic one when the world declares none).
    pub secret: String,
    /// `Active` (false: `Inactive`).
    pub active: bool,
    /// The session token of temporary credentials.
    pub session_token: Option<String>,
}

/// The secret the world uses for a key that declares none: deterministic, never random.
fn derived_secret(access_key_id: &str) -> String {
    format!("sim/{}", opaque_id(fnv(access_key_id), 36))
}

/// The session token of a role session's temporary credentials (deterministic).
fn session_token(access_key_id: &str) -> String {
    format!(
        "IQoJb3JpZ2luX2Vj{}",
        opaque_id(fnv(&format!("token/{access_key_id}")), 48)
    )
}

/// The secret and session token STS hands out with temporary key `access_key_id`
/// (deterministic, like every credential of the world).
pub(crate) fn temporary_secret_and_token(access_key_id: &str) -> (String, String) {
    (derived_secret(access_key_id), session_token(access_key_id))
}

/// Why a URL could not be minted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresignFailure {
    /// No user, root user or role session in the world has this access key.
    UnknownAccessKey(String),
    /// The signer refused the input.
    Signing(PresignError),
}

impl fmt::Display for PresignFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PresignFailure::UnknownAccessKey(k) => {
                write!(f, "no user, root user or role session has access key `{k}`")
            }
            PresignFailure::Signing(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for PresignFailure {}

fn amz(t: Timestamp) -> AmzDateTime {
    AmzDateTime::from_unix_seconds(i64::try_from(t.epoch_seconds()).unwrap_or(i64::MAX))
}

impl World {
    /// Finds an access key anywhere in the world, active or not.
    pub fn signer_key(&self, access_key_id: &str) -> Option<SignerKey> {
        let secret = |stored: &str| {
            if stored.is_empty() {
                derived_secret(access_key_id)
            } else {
                stored.to_owned()
            }
        };
        for (account_id, account) in &self.accounts {
            if let Some(k) = account
                .root
                .access_keys
                .iter()
                .find(|k| k.access_key_id == access_key_id)
            {
                return Some(SignerKey {
                    signer: Signer::Root {
                        account: account_id.clone(),
                    },
                    secret: secret(&k.secret_access_key),
                    active: k.active,
                    session_token: None,
                });
            }
            for (name, user) in &account.users {
                if user
                    .sessions
                    .iter()
                    .any(|s| s.access_key_id == access_key_id)
                {
                    return Some(SignerKey {
                        signer: Signer::User {
                            account: account_id.clone(),
                            name: name.clone(),
                        },
                        secret: derived_secret(access_key_id),
                        active: true,
                        session_token: Some(session_token(access_key_id)),
                    });
                }
                if let Some(k) = user
                    .access_keys
                    .iter()
                    .find(|k| k.access_key_id == access_key_id)
                {
                    return Some(SignerKey {
                        signer: Signer::User {
                            account: account_id.clone(),
                            name: name.clone(),
                        },
                        secret: secret(&k.secret_access_key),
                        active: k.active,
                        session_token: None,
                    });
                }
            }
            for (role_name, role) in &account.roles {
                if let Some(s) = role
                    .sessions
                    .iter()
                    .find(|s| !s.access_key_id.is_empty() && s.access_key_id == access_key_id)
                {
                    return Some(SignerKey {
                        signer: Signer::Session {
                            account: account_id.clone(),
                            role: role_name.clone(),
                            session: s.name.clone(),
                        },
                        secret: derived_secret(access_key_id),
                        active: true,
                        session_token: Some(session_token(access_key_id)),
                    });
                }
            }
        }
        None
    }

    /// Mints a pre-signed URL as `aws s3 presign` (or an SDK, for other methods) would: signed at
    /// `now` with the secret the world stores for `access_key_id`, in the bucket's Region.
    /// Signing is a local computation: nothing is checked against policies here.
    pub fn presign(
        &self,
        access_key_id: &str,
        method: &str,
        bucket: &str,
        key: &str,
        expires_in: u64,
        now: Timestamp,
    ) -> Result<PresignedUrl, PresignFailure> {
        self.presign_spec(
            &PresignSpec {
                access_key_id: access_key_id.to_owned(),
                method: Some(method.to_owned()),
                bucket: bucket.to_owned(),
                key: key.to_owned(),
                expires_in,
                signed_at: Some(now),
                region: None,
                secret_access_key: None,
                edits: Vec::new(),
                query: std::collections::BTreeMap::new(),
            },
            now,
        )
    }

    /// Mints the URL a [`PresignSpec`] describes (edits not applied); `now` is the signing time
    /// when the spec gives none, `GET` the method.
    pub fn presign_spec(
        &self,
        spec: &PresignSpec,
        now: Timestamp,
    ) -> Result<PresignedUrl, PresignFailure> {
        let key = self
            .signer_key(&spec.access_key_id)
            .ok_or_else(|| PresignFailure::UnknownAccessKey(spec.access_key_id.clone()))?;
        let secret = spec.secret_access_key.clone().unwrap_or(key.secret);
        let mut credentials = Credentials::new(&spec.access_key_id, &secret);
        if let Some(t) = &key.session_token {
            credentials = credentials.with_session_token(t);
        }
        let region = spec
            .region
            .clone()
            .or_else(|| self.buckets.get(&spec.bucket).map(|b| b.region.clone()))
            .unwrap_or_else(|| s3pg_sigv4::DEFAULT_REGION.to_owned());
        let query: Vec<(&str, &str)> = spec
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        s3pg_sigv4::presign_with_query(
            &PresignInput {
                method: spec.method.as_deref().unwrap_or("GET"),
                bucket: &spec.bucket,
                key: &spec.key,
                region: &region,
                expires_in: spec.expires_in,
                credentials: &credentials,
                time: amz(spec.signed_at.unwrap_or(now)),
                addressing: AddressingStyle::Auto,
            },
            &query,
        )
        .map_err(PresignFailure::Signing)
    }
}

mod resolve;

pub(crate) use resolve::{Resolution, resolve};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_virtual_hosted_and_path_style() {
        let cases = [
            (
                "https://b.s3.amazonaws.com/a/b.txt?x=1",
                "b",
                "a/b.txt",
                None,
                true,
            ),
            (
                "https://b.s3.eu-west-1.amazonaws.com/k",
                "b",
                "k",
                Some("eu-west-1"),
                true,
            ),
            (
                "https://b.s3-eu-west-1.amazonaws.com/k",
                "b",
                "k",
                Some("eu-west-1"),
                true,
            ),
            (
                "https://s3.us-west-2.amazonaws.com/my.bucket/dir/k%20x",
                "my.bucket",
                "dir/k x",
                Some("us-west-2"),
                false,
            ),
            ("http://s3.amazonaws.com/b", "b", "", None, false),
            (
                "https://b.s3.dualstack.ap-south-1.amazonaws.com/",
                "b",
                "",
                Some("ap-south-1"),
                true,
            ),
            ("https://b.s3.amazonaws.com:443/k", "b", "k", None, true),
        ];
        for (url, bucket, key, region, virt) in cases {
            let (_, t) = split_target(url).unwrap();
            assert_eq!(t.bucket, bucket, "{url}");
            assert_eq!(t.key, key, "{url}");
            assert_eq!(t.region.as_deref(), region, "{url}");
            assert_eq!(t.virtual_hosted, virt, "{url}");
        }
        for bad in [
            "not a url",
            "https://example.com/k",
            "https://s3.amazonaws.com/",
        ] {
            assert!(split_target(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn maps_methods_to_operations() {
        let obj = Target {
            bucket: "b".into(),
            key: "k".into(),
            region: None,
            virtual_hosted: true,
        };
        let names: Vec<&str> = ["GET", "put", "HEAD", "DELETE"]
            .iter()
            .map(|m| map_operation(m, &obj, "", Some("x")).unwrap().name())
            .collect();
        assert_eq!(
            names,
            ["GetObject", "PutObject", "HeadObject", "DeleteObject"]
        );
        assert!(map_operation("POST", &obj, "", None).is_err());
        let versioned = map_operation("GET", &obj, "versionId=v1&X-Amz-Expires=1", None).unwrap();
        assert_eq!(
            versioned,
            Operation::GetObject {
                bucket: "b".into(),
                key: "k".into(),
                version_id: Some("v1".into())
            }
        );
        let bucket = Target {
            key: String::new(),
            ..obj
        };
        let list =
            map_operation("GET", &bucket, "list-type=2&prefix=a%2F&max-keys=5", None).unwrap();
        assert_eq!(
            list,
            Operation::ListObjectsV2 {
                bucket: "b".into(),
                prefix: Some("a/".into()),
                delimiter: None,
                max_keys: Some(5),
                continuation_token: None
            }
        );
        assert_eq!(
            map_operation("GET", &bucket, "versions", None)
                .unwrap()
                .name(),
            "ListObjectVersions"
        );
        assert!(map_operation("PUT", &bucket, "", None).is_err());
    }
}
