//! How long Glacier takes to authorize and run `DeleteArchive` against a vault with both a vault
//! access policy and the locked §9.3 retention policy (two engine runs per request).
//! Run: `cargo bench -p s3pg-glacier`.

#![expect(
    clippy::unwrap_used,
    reason = "benchmark setup runs fixed, known-good requests"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use s3pg_glacier::{Caller, Glacier, GlacierRequest, Timestamp, authz};
use s3pg_policy::Policy;

const VAULT_ARN: &str = "arn:aws:glacier:us-west-2:111122223333:vaults/sim-vault";

fn setup() -> (Glacier, Caller, String, Timestamp) {
    let t0 = Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
    let root = Caller::from_arn("arn:aws:iam::111122223333:root", "us-west-2").unwrap();
    let admin = Caller::from_arn("arn:aws:iam::111122223333:user/admin", "us-west-2")
        .unwrap()
        .with_identity_policy(
            "AdministratorAccess",
            Policy::parse(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"glacier:*","Resource":"*"}]}"#).unwrap(),
        );
    let mut g = Glacier::new();
    let v = |name: &str| GlacierRequest::CreateVault {
        account_id: "-".into(),
        vault_name: name.into(),
    };
    g.handle(&root, &v("sim-vault"), t0);
    let up = g.handle(
        &root,
        &GlacierRequest::UploadArchive {
            account_id: "-".into(),
            vault_name: "sim-vault".into(),
            body: b"records".to_vec(),
            description: None,
            sha256_tree_hash: None,
        },
        t0,
    );
    let archive = up.header("x-amz-archive-id").unwrap().to_string();
    g.handle(
        &root,
        &GlacierRequest::SetVaultAccessPolicy {
            account_id: "-".into(),
            vault_name: "sim-vault".into(),
            policy: format!(r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"read","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::444455556666:root"}},"Action":["glacier:InitiateJob","glacier:GetJobOutput"],"Resource":"{VAULT_ARN}"}}]}}"#),
        },
        t0,
    );
    let lock = g.handle(
        &root,
        &GlacierRequest::InitiateVaultLock {
            account_id: "-".into(),
            vault_name: "sim-vault".into(),
            policy: format!(r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"deny-delete-if-younger-than-365-days","Effect":"Deny","Principal":"*","Action":"glacier:DeleteArchive","Resource":"{VAULT_ARN}","Condition":{{"NumericLessThan":{{"glacier:ArchiveAgeInDays":"365"}}}}}}]}}"#),
        },
        t0,
    );
    let id = lock.header("x-amz-lock-id").unwrap().to_string();
    g.handle(
        &root,
        &GlacierRequest::CompleteVaultLock {
            account_id: "-".into(),
            vault_name: "sim-vault".into(),
            lock_id: id,
        },
        t0,
    );
    (g, admin, archive, t0)
}

fn bench(c: &mut Criterion) {
    let (g, admin, archive, t0) = setup();
    let vault = g.vault_by_arn(VAULT_ARN).unwrap().clone();

    c.bench_function(
        "authorize DeleteArchive (IAM + access policy + Vault Lock policy)",
        |b| {
            b.iter(|| {
                let keys = authz::context_keys(
                    &admin,
                    Some(&vault),
                    t0.plus_days(100),
                    &[("glacier:ArchiveAgeInDays", "100".into())],
                );
                std::hint::black_box(authz::authorize(
                    &admin,
                    "glacier:DeleteArchive",
                    VAULT_ARN,
                    "111122223333",
                    Some(&vault),
                    true,
                    keys,
                ))
            })
        },
    );

    // The engine alone, for comparison: one evaluation with the lock policy as resource layer.
    let lock_policy = vault.lock.as_ref().unwrap().policy.policy().clone();
    let mut set = admin.policies.clone();
    set.resource_policy = Some(s3pg_policy::NamedPolicy::new(
        "Vault Lock policy",
        lock_policy,
    ));
    let keys = authz::context_keys(
        &admin,
        Some(&vault),
        t0.plus_days(100),
        &[("glacier:ArchiveAgeInDays", "100".into())],
    );
    let mut request = s3pg_policy::RequestContext::new(
        admin.principal.clone(),
        "glacier:DeleteArchive",
        VAULT_ARN,
    )
    .with_resource_account("111122223333");
    request.context = keys;
    c.bench_function(
        "policy engine alone: one evaluation with the lock policy",
        |b| b.iter(|| std::hint::black_box(s3pg_policy::evaluate(&request, &set))),
    );

    let denied = GlacierRequest::DeleteArchive {
        account_id: "-".into(),
        vault_name: "sim-vault".into(),
        archive_id: archive,
    };
    c.bench_function(
        "handle DeleteArchive denied by the locked retention policy",
        |b| {
            let mut g = g.clone();
            b.iter(|| std::hint::black_box(g.handle(&admin, &denied, t0.plus_days(100))))
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
