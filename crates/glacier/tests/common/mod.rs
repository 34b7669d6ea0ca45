//! Shared fixtures: an account, its root user and an administrator, a vault, the §9.3 policy.
#![allow(dead_code, missing_docs)]

use s3pg_glacier::{Caller, Glacier, GlacierOutcome, GlacierRequest, Timestamp};
use s3pg_policy::Policy;

pub const ACCOUNT: &str = "111122223333";
pub const OTHER: &str = "444455556666";
pub const REGION: &str = "us-west-2";
pub const VAULT: &str = "sim-vault";
pub const VAULT_ARN: &str = "arn:aws:glacier:us-west-2:111122223333:vaults/sim-vault";

/// 2026-01-01T00:00:00Z.
pub fn t0() -> Timestamp {
    Timestamp::parse("2026-01-01T00:00:00Z").unwrap()
}

pub fn root() -> Caller {
    Caller::from_arn(&format!("arn:aws:iam::{ACCOUNT}:root"), REGION).unwrap()
}

/// An IAM user with `glacier:*` on `*` (the account's administrator).
pub fn admin() -> Caller {
    Caller::from_arn(&format!("arn:aws:iam::{ACCOUNT}:user/admin"), REGION)
        .unwrap()
        .with_identity_policy("AdministratorAccess", allow_all())
}

/// An IAM user with no policies.
pub fn nobody() -> Caller {
    Caller::from_arn(&format!("arn:aws:iam::{ACCOUNT}:user/nobody"), REGION).unwrap()
}

/// A user of another account with `glacier:*` on `*` in its own identity policy.
pub fn outsider() -> Caller {
    Caller::from_arn(&format!("arn:aws:iam::{OTHER}:user/bob"), REGION)
        .unwrap()
        .with_identity_policy("bob-glacier", allow_all())
}

pub fn allow_all() -> Policy {
    Policy::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"glacier:*","Resource":"*"}]}"#,
    )
    .unwrap()
}

/// Reference §9.3: deny `glacier:DeleteArchive` while the archive is younger than 365 days.
pub fn retention_policy() -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "deny-delete-if-younger-than-365-days",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "glacier:DeleteArchive",
      "Resource": "{VAULT_ARN}",
      "Condition": {{ "NumericLessThan": {{ "glacier:ArchiveAgeInDays": "365" }} }}
    }}
  ]
}}"#
    )
}

pub fn create(vault: &str) -> GlacierRequest {
    GlacierRequest::CreateVault {
        account_id: "-".into(),
        vault_name: vault.into(),
    }
}

pub fn initiate(policy: &str) -> GlacierRequest {
    GlacierRequest::InitiateVaultLock {
        account_id: "-".into(),
        vault_name: VAULT.into(),
        policy: policy.into(),
    }
}

pub fn complete(lock_id: &str) -> GlacierRequest {
    GlacierRequest::CompleteVaultLock {
        account_id: "-".into(),
        vault_name: VAULT.into(),
        lock_id: lock_id.into(),
    }
}

pub fn abort() -> GlacierRequest {
    GlacierRequest::AbortVaultLock {
        account_id: "-".into(),
        vault_name: VAULT.into(),
    }
}

pub fn get_lock() -> GlacierRequest {
    GlacierRequest::GetVaultLock {
        account_id: "-".into(),
        vault_name: VAULT.into(),
    }
}

pub fn upload(body: &str) -> GlacierRequest {
    GlacierRequest::UploadArchive {
        account_id: "-".into(),
        vault_name: VAULT.into(),
        body: body.as_bytes().to_vec(),
        description: Some("test archive".into()),
        sha256_tree_hash: None,
    }
}

pub fn delete_archive(id: &str) -> GlacierRequest {
    GlacierRequest::DeleteArchive {
        account_id: ACCOUNT.into(),
        vault_name: VAULT.into(),
        archive_id: id.into(),
    }
}

pub fn set_access_policy(policy: &str) -> GlacierRequest {
    GlacierRequest::SetVaultAccessPolicy {
        account_id: ACCOUNT.into(),
        vault_name: VAULT.into(),
        policy: policy.into(),
    }
}

/// A service with the empty vault `sim-vault`, created at t0.
pub fn with_vault() -> Glacier {
    let mut g = Glacier::new();
    let out = g.handle(&root(), &create(VAULT), t0());
    assert_eq!(out.status, 201, "{out:#?}");
    g
}

/// Uploads `body` at `when`, returning the archive id.
pub fn upload_at(g: &mut Glacier, body: &str, when: Timestamp) -> String {
    let out = g.handle(&root(), &upload(body), when);
    assert_eq!(out.status, 201, "{out:#?}");
    out.header("x-amz-archive-id").unwrap().to_string()
}

/// Initiates a lock at `when`, returning the lock id.
pub fn initiate_at(g: &mut Glacier, policy: &str, when: Timestamp) -> String {
    let out = g.handle(&root(), &initiate(policy), when);
    assert_eq!(out.status, 201, "{out:#?}");
    out.header("x-amz-lock-id").unwrap().to_string()
}

pub fn assert_error(out: &GlacierOutcome, status: u16, code: &str) {
    assert_eq!(
        (out.status, out.error_code()),
        (status, Some(code)),
        "{:#?}",
        out.trace
    );
    let body = out.body.as_ref().unwrap();
    assert_eq!(body["code"], code);
    assert_eq!(body["type"], "Client");
}

/// An `InitiateJob` request of `job_type` on the vault, for `archive_id` if given.
pub fn job(job_type: &str, archive_id: Option<&str>) -> GlacierRequest {
    GlacierRequest::InitiateJob {
        account_id: "-".into(),
        vault_name: VAULT.into(),
        job_type: job_type.into(),
        archive_id: archive_id.map(str::to_string),
        tier: None,
    }
}
