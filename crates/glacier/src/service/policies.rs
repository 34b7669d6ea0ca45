//! A vault's policies: the vault access policy (Set, Get, Delete) and Vault Lock (Initiate, then
//! Complete within 24 hours, or Abort; Get) — once locked, the lock policy can never change.
//!
//! Follows <https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html> and
//! <https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-access-policy.html>.

use super::{Ctx, Glacier, parse_vault_policy};
use crate::docs;
use crate::error::{ErrorCode, GlacierError, MessageSource};
use crate::model::{LockState, VaultLock};
use crate::outcome::{GlacierOutcome, StepOutcome, VaultEffect};
use crate::time::Timestamp;

impl Glacier {
    pub(super) fn set_access_policy(
        &mut self,
        ctx: &Ctx<'_>,
        text: &str,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let policy = match parse_vault_policy(text, "vault access policy", &mut out) {
            Ok(p) => p,
            Err(e) => return out.fail(e),
        };
        if let Some(v) = self.vaults.get_mut(&ctx.arn) {
            let replaced = v.access_policy.replace(policy).is_some();
            out.step(
                "vault access policy",
                StepOutcome::Info,
                if replaced {
                    "replaced the vault access policy (it can be changed at any time)"
                } else {
                    "set the vault access policy (it can be changed at any time)"
                },
                docs::ACCESS_POLICY,
            );
        }
        out.effects.push(VaultEffect::AccessPolicySet {
            vault_arn: ctx.arn.clone(),
        });
        out.ok(204)
    }

    pub(super) fn get_access_policy(
        &self,
        ctx: &Ctx<'_>,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let name = self
            .vaults
            .get(&ctx.arn)
            .map(|v| v.name.clone())
            .unwrap_or_default();
        match self
            .vaults
            .get(&ctx.arn)
            .and_then(|v| v.access_policy.as_ref())
        {
            Some(p) => {
                out.body = Some(serde_json::json!({ "Policy": p.text() }));
                out.ok(200)
            }
            None => {
                out.step(
                    "vault access policy",
                    StepOutcome::Reject,
                    "the vault has no vault access policy",
                    docs::GET_ACCESS_POLICY,
                );
                out.fail(GlacierError::new(
                    ErrorCode::ResourceNotFoundException,
                    format!("No vault access policy is set for: {name}"),
                    MessageSource::Observed,
                ))
            }
        }
    }

    pub(super) fn delete_access_policy(
        &mut self,
        ctx: &Ctx<'_>,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let removed = self
            .vaults
            .get_mut(&ctx.arn)
            .and_then(|v| v.access_policy.take())
            .is_some();
        if removed {
            out.effects.push(VaultEffect::AccessPolicyDeleted {
                vault_arn: ctx.arn.clone(),
            });
        }
        out.step(
            "vault access policy",
            StepOutcome::Info,
            if removed {
                "removed the vault access policy (the Vault Lock policy, if any, is separate and untouched)"
            } else {
                "the vault had no access policy; the operation is idempotent and succeeds anyway"
            },
            docs::DELETE_ACCESS_POLICY,
        );
        out.ok(204)
    }

    pub(super) fn initiate_lock(
        &mut self,
        ctx: &Ctx<'_>,
        text: &str,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        if let Some(lock) = self.vaults.get(&ctx.arn).and_then(|v| v.lock.as_ref()) {
            let (detail, message, help) = match lock.state {
                LockState::InProgress => (
                    format!(
                        "a lock (`{}`) is already in progress until {}; abort it before initiating a new one",
                        lock.lock_id,
                        lock.expiration_date().unwrap_or_default()
                    ),
                    "The vault lock is in progress. Abort the current vault lock before initiating a new one.",
                    "call AbortVaultLock, then InitiateVaultLock again with the corrected policy",
                ),
                LockState::Locked => (
                    "the vault is locked: its Vault Lock policy is immutable and no new lock can be initiated".to_string(),
                    "The vault lock is locked. A locked vault lock policy cannot be changed or replaced.",
                    "a locked Vault Lock policy is permanent; use the vault access policy for permissions that may change",
                ),
            };
            out.sim_step(
                "Vault Lock state",
                StepOutcome::Reject,
                detail,
                docs::INITIATE_LOCK,
            );
            return out.fail(
                GlacierError::new(
                    ErrorCode::AccessDeniedException,
                    message,
                    MessageSource::Simulated,
                )
                .with_help(help),
            );
        }
        let policy = match parse_vault_policy(text, "vault lock policy", &mut out) {
            Ok(p) => p,
            Err(e) => return out.fail(e),
        };
        let lock_id = self.next_lock_id(&ctx.arn, ctx.now);
        let lock = VaultLock {
            policy,
            state: LockState::InProgress,
            lock_id: lock_id.clone(),
            creation_date: ctx.now,
        };
        let expires = lock.expiration_date().unwrap_or(ctx.now);
        if let Some(v) = self.vaults.get_mut(&ctx.arn) {
            v.lock = Some(lock);
        }
        out.step(
            "Vault Lock state",
            StepOutcome::Info,
            format!(
                "attached the Vault Lock policy in state InProgress with lock id `{lock_id}`; it is enforced from now on, and unless CompleteVaultLock is called with this id before {expires} Glacier removes it"
            ),
            docs::VAULT_LOCK,
        );
        out.effects.push(VaultEffect::LockInitiated {
            vault_arn: ctx.arn.clone(),
            lock_id: lock_id.clone(),
            expiration_date: expires,
        });
        out.headers.push(("x-amz-lock-id".into(), lock_id));
        out.ok(201)
    }

    pub(super) fn complete_lock(
        &mut self,
        ctx: &Ctx<'_>,
        lock_id: &str,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let Some(vault) = self.vaults.get_mut(&ctx.arn) else {
            return out.fail(GlacierError::vault_not_found(&ctx.arn));
        };
        let Some(lock) = vault.lock.as_mut() else {
            out.sim_step(
                "Vault Lock state",
                StepOutcome::Reject,
                format!(
                    "the vault has no lock in progress (never initiated, aborted, or expired after 24 hours), so lock id `{lock_id}` is not valid; AWS does not document this case"
                ),
                docs::COMPLETE_LOCK,
            );
            return out.fail(
                GlacierError::new(
                    ErrorCode::InvalidParameterValueException,
                    format!("The lock ID is not valid: {lock_id}"),
                    MessageSource::Simulated,
                )
                .with_help("call InitiateVaultLock first and complete the lock with the id it returns within 24 hours"),
            );
        };
        match (lock.state, lock.lock_id == lock_id) {
            (LockState::InProgress, true) => {
                lock.state = LockState::Locked;
                out.step(
                    "Vault Lock state",
                    StepOutcome::Info,
                    format!("InProgress → Locked with lock id `{lock_id}`: the Vault Lock policy can never be changed or deleted again"),
                    docs::COMPLETE_LOCK,
                );
                out.effects.push(VaultEffect::LockCompleted {
                    vault_arn: ctx.arn.clone(),
                    lock_id: lock_id.to_string(),
                });
                out.ok(204)
            }
            (LockState::Locked, true) => {
                out.step(
                    "Vault Lock state",
                    StepOutcome::Pass,
                    "already Locked with this lock id: CompleteVaultLock is idempotent",
                    docs::COMPLETE_LOCK,
                );
                out.ok(204)
            }
            (LockState::InProgress, false) => {
                out.step(
                    "Vault Lock state",
                    StepOutcome::Reject,
                    format!(
                        "the lock in progress has id `{}`, not `{lock_id}`: a wrong id while InProgress is an invalid parameter",
                        lock.lock_id
                    ),
                    docs::COMPLETE_LOCK,
                );
                out.fail(
                    GlacierError::new(
                        ErrorCode::InvalidParameterValueException,
                        format!("The lock ID is not valid: {lock_id}"),
                        MessageSource::Simulated,
                    )
                    .with_help("use the `x-amz-lock-id` returned by InitiateVaultLock"),
                )
            }
            (LockState::Locked, false) => {
                out.step(
                    "Vault Lock state",
                    StepOutcome::Reject,
                    format!("the vault is Locked with another lock id; `{lock_id}` is refused with AccessDeniedException"),
                    docs::COMPLETE_LOCK,
                );
                out.fail(GlacierError::new(
                    ErrorCode::AccessDeniedException,
                    format!("The vault lock is locked. The lock ID is not valid: {lock_id}"),
                    MessageSource::Simulated,
                ))
            }
        }
    }

    pub(super) fn abort_lock(&mut self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let Some(vault) = self.vaults.get_mut(&ctx.arn) else {
            return out.fail(GlacierError::vault_not_found(&ctx.arn));
        };
        match vault.lock.as_ref().map(|l| (l.state, l.lock_id.clone())) {
            Some((LockState::Locked, _)) => {
                out.step(
                    "Vault Lock state",
                    StepOutcome::Reject,
                    "the vault is Locked: a locked Vault Lock policy cannot be removed by anyone, the root user included",
                    docs::ABORT_LOCK,
                );
                out.fail(
                    GlacierError::new(
                        ErrorCode::AccessDeniedException,
                        "The vault lock is locked. A locked vault lock policy cannot be deleted.",
                        MessageSource::Simulated,
                    )
                    .with_help("Vault Lock is permanent once completed; only the vault access policy can still change"),
                )
            }
            Some((LockState::InProgress, id)) => {
                vault.lock = None;
                out.step(
                    "Vault Lock state",
                    StepOutcome::Info,
                    format!("InProgress → no lock: removed the Vault Lock policy of lock `{id}`; a new lock can be initiated"),
                    docs::ABORT_LOCK,
                );
                out.effects.push(VaultEffect::LockAborted {
                    vault_arn: ctx.arn.clone(),
                    lock_id: id,
                });
                out.ok(204)
            }
            None => {
                out.step(
                    "Vault Lock state",
                    StepOutcome::Pass,
                    "no lock policy: AbortVaultLock is idempotent and succeeds",
                    docs::ABORT_LOCK,
                );
                out.ok(204)
            }
        }
    }

    pub(super) fn get_lock(&self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let vault = self.vaults.get(&ctx.arn);
        match vault.and_then(|v| v.lock.as_ref()) {
            Some(lock) => {
                out.body = Some(serde_json::json!({
                    "Policy": lock.policy.text(),
                    "State": lock.state.as_str(),
                    "ExpirationDate": lock.expiration_date().map(Timestamp::to_glacier),
                    "CreationDate": lock.creation_date.to_glacier(),
                }));
                out.ok(200)
            }
            None => {
                out.step(
                    "Vault Lock state",
                    StepOutcome::Reject,
                    "the vault has no Vault Lock policy (never initiated, aborted, or expired)",
                    docs::GET_LOCK,
                );
                out.fail(GlacierError::new(
                    ErrorCode::ResourceNotFoundException,
                    format!(
                        "No vault lock policy is set for: {}",
                        vault.map(|v| v.name.as_str()).unwrap_or_default()
                    ),
                    MessageSource::Simulated,
                ))
            }
        }
    }
}
