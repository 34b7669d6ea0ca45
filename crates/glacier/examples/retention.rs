//! Prints the trace of the §9.3 retention example: a young archive the account's administrator
//! cannot delete, then the same archive a year later. Run:
//! `cargo run -p s3pg-glacier --example retention`.

#![expect(clippy::unwrap_used, reason = "example with fixed, known-good inputs")]

use s3pg_glacier::{Caller, Glacier, GlacierRequest, Timestamp};
use s3pg_policy::Policy;

fn main() {
    let t0 = Timestamp::parse("2026-01-01T00:00:00Z").unwrap();
    let root = Caller::from_arn("arn:aws:iam::111122223333:root", "us-west-2").unwrap();
    let admin = Caller::from_arn("arn:aws:iam::111122223333:user/admin", "us-west-2")
        .unwrap()
        .with_identity_policy(
            "AdministratorAccess",
            Policy::parse(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#).unwrap(),
        );
    let mut g = Glacier::new();
    let vault = |op: &str| format!(r#"{{"operation":"{op}","vault_name":"sim-vault""#);
    let req = |json: String| -> GlacierRequest { serde_json::from_str(&json).unwrap() };
    g.handle(&root, &req(vault("CreateVault") + "}"), t0);
    let up = g.handle(
        &root,
        &req(vault("UploadArchive") + r#","body":"tax records 2025"}"#),
        t0,
    );
    let archive = up.header("x-amz-archive-id").unwrap().to_string();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"deny-delete-if-younger-than-365-days","Effect":"Deny","Principal":"*","Action":"glacier:DeleteArchive","Resource":"arn:aws:glacier:us-west-2:111122223333:vaults/sim-vault","Condition":{"NumericLessThan":{"glacier:ArchiveAgeInDays":"365"}}}]}"#;
    let init = g.handle(
        &root,
        &req(vault("InitiateVaultLock")
            + &format!(r#","policy":{}}}"#, serde_json::to_string(policy).unwrap())),
        t0,
    );
    let lock_id = init.header("x-amz-lock-id").unwrap().to_string();
    g.handle(
        &root,
        &req(vault("CompleteVaultLock") + &format!(r#","lock_id":"{lock_id}"}}"#)),
        t0,
    );
    let delete = req(vault("DeleteArchive") + &format!(r#","archive_id":"{archive}"}}"#));
    for days in [100, 365] {
        let out = g.handle(&admin, &delete, t0.plus_days(days));
        println!(
            "--- DeleteArchive after {days} days: {} {}",
            out.status,
            out.error_code().unwrap_or("")
        );
        for step in &out.trace {
            println!(
                "[{:?}] {}: {}\n    {}",
                step.outcome, step.title, step.detail, step.doc
            );
        }
        if let Some(e) = &out.error {
            println!(
                "message: {}\nhelp: {}",
                e.message,
                e.help.clone().unwrap_or_default()
            );
        }
    }
}
