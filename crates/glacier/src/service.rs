//! The vault service: `Glacier::handle(caller, request, now)` runs one operation — account and
//! vault checks, the Vault Lock clock, authorization, then the operation — and answers with a
//! [`GlacierOutcome`].
//!
//! Each operation follows its page of the Glacier API reference
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/amazon-glacier-api.html>); the lock
//! state machine follows "Vault Lock"
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html>).

use std::collections::BTreeMap;

use s3pg_policy::{ContextValue, Decision, Effect, Layer, Principal};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::authz;
use crate::docs;
use crate::error::{ErrorCode, GlacierError, MessageSource};
use crate::model::{
    Archive, DESCRIPTION_MAX_CHARS, LockState, POLICY_MAX_BYTES, StoredPolicy, Vault, VaultLock,
    valid_vault_name, vault_arn,
};
use crate::outcome::{GlacierOutcome, StepOutcome, VaultEffect, VaultPolicyKind};
use crate::request::{Caller, GlacierRequest};
use crate::time::Timestamp;
use crate::treehash;

/// Vaults per account and Region.
pub const MAX_VAULTS_PER_REGION: usize = 1000;

/// Tags per vault (api-AddTagsToVault.md).
pub const MAX_TAGS_PER_VAULT: usize = 50;

/// The whole simulated vault service, across accounts and Regions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "GlacierState", into = "GlacierState")]
pub struct Glacier {
    vaults: BTreeMap<String, Vault>,
    /// Counter behind every generated id (lock ids, archive ids): ids are reproducible.
    pub sequence: u64,
    /// Whether accounts that hold no vault are refused with `NoLongerSupportedException`, as
    /// Glacier does for new customers since 15 December 2025. Off by default so a scenario's
    /// accounts behave as existing Glacier customers.
    pub refuse_new_customers: bool,
}

/// The serialised form: a list of vaults (declaration order is irrelevant).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlacierState {
    #[serde(default)]
    vaults: Vec<Vault>,
    #[serde(default)]
    sequence: u64,
    #[serde(default)]
    refuse_new_customers: bool,
}

impl TryFrom<GlacierState> for Glacier {
    type Error = String;

    fn try_from(state: GlacierState) -> Result<Self, String> {
        let mut g = Glacier {
            vaults: BTreeMap::new(),
            sequence: state.sequence,
            refuse_new_customers: state.refuse_new_customers,
        };
        for v in state.vaults {
            if !valid_vault_name(&v.name) {
                return Err(format!(
                    "invalid vault name `{}`: use 1–255 letters, digits, `_`, `-` or `.`",
                    v.name
                ));
            }
            let arn = v.arn();
            if g.vaults.insert(arn.clone(), v).is_some() {
                return Err(format!("vault `{arn}` is declared twice"));
            }
        }
        Ok(g)
    }
}

impl From<Glacier> for GlacierState {
    fn from(g: Glacier) -> Self {
        GlacierState {
            vaults: g.vaults.into_values().collect(),
            sequence: g.sequence,
            refuse_new_customers: g.refuse_new_customers,
        }
    }
}

impl Glacier {
    /// An empty service.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a vault as declared, e.g. by a scenario.
    pub fn insert_vault(&mut self, vault: Vault) {
        self.vaults.insert(vault.arn(), vault);
    }

    /// A vault by ARN.
    #[must_use]
    pub fn vault_by_arn(&self, arn: &str) -> Option<&Vault> {
        self.vaults.get(arn)
    }

    /// A vault by Region, account and name.
    #[must_use]
    pub fn vault(&self, region: &str, account: &str, name: &str) -> Option<&Vault> {
        self.vaults.get(&vault_arn(region, account, name))
    }

    /// Every vault, ordered by ARN.
    pub fn vaults(&self) -> impl Iterator<Item = &Vault> {
        self.vaults.values()
    }

    /// Applies the passage of time up to `now`: every in-progress lock whose 24-hour window has
    /// passed is removed, as Glacier does. (Operations also do this for their vault.)
    pub fn advance(&mut self, now: Timestamp) -> Vec<VaultEffect> {
        let mut effects = Vec::new();
        for v in self.vaults.values_mut() {
            if let Some(lock) = v.expire_lock(now) {
                effects.push(expired_effect(v, &lock));
            }
        }
        effects
    }

    /// Runs one request at `now`.
    pub fn handle(
        &mut self,
        caller: &Caller,
        request: &GlacierRequest,
        now: Timestamp,
    ) -> GlacierOutcome {
        let op = request.operation();
        let mut out = GlacierOutcome::new(op);
        out.step(
            "request",
            StepOutcome::Info,
            format!(
                "{} calls `{}` ({}) at {now} in {}",
                caller.principal.describe(),
                op.name(),
                op.action(),
                caller.region
            ),
            op.doc_url(),
        );

        match self.admit(caller, request, now, &mut out) {
            Ok(ctx) => self.dispatch(&ctx, request, out),
            Err(err) => out.fail(err),
        }
    }

    /// The checks before authorization: a signed request, the caller's own account where the
    /// operation needs it, no new customers, and the Vault Lock clock; the request's context.
    fn admit<'c>(
        &mut self,
        caller: &'c Caller,
        request: &GlacierRequest,
        now: Timestamp,
        out: &mut GlacierOutcome,
    ) -> Result<Ctx<'c>, GlacierError> {
        let op = request.operation();
        // Glacier only accepts signed requests.
        let Some(caller_account) = caller.account().map(str::to_string) else {
            let err = match caller.principal {
                Principal::Anonymous => GlacierError::new(
                    ErrorCode::MissingAuthenticationTokenException,
                    "Missing Authentication Token",
                    MessageSource::Observed,
                )
                .with_help(
                    "Glacier has no anonymous access: sign the request with an AWS identity",
                ),
                _ => GlacierError::new(
                    ErrorCode::AccessDeniedException,
                    "Access denied",
                    MessageSource::Simulated,
                ),
            };
            out.step(
                "authentication",
                StepOutcome::Reject,
                "the request is not signed by an identity of an AWS account; every Glacier request must be signed",
                docs::ERRORS,
            );
            return Err(err);
        };

        // `-` in the path means the signer's own account.
        let account = match request.account_id() {
            "-" | "" => caller_account.clone(),
            other => other.to_string(),
        };
        if op.requires_own_account() && account != caller_account {
            out.step(
                "account id",
                StepOutcome::Reject,
                format!(
                    "`{}` works only on the caller's own account, but the path names `{account}` and the caller belongs to `{caller_account}`",
                    op.name()
                ),
                op.doc_url(),
            );
            return Err(GlacierError::wrong_account(&account));
        }

        if self.refuse_new_customers && !self.vaults.values().any(|v| v.account == caller_account) {
            out.step(
                "new customers",
                StepOutcome::Reject,
                format!(
                    "account `{caller_account}` holds no Glacier vault, and since 15 December 2025 the vault API no longer accepts new customers"
                ),
                docs::NO_NEW_CUSTOMERS,
            );
            return Err(
                GlacierError::new(
                    ErrorCode::NoLongerSupportedException,
                    "This API is no longer supported for new accounts. Please use Amazon S3 Glacier storage classes instead.",
                    MessageSource::Documented,
                )
                .with_help("use an S3 bucket with a Glacier storage class and S3 Object Lock for WORM retention"),
            );
        }

        let region = caller.region.clone();
        let arn = match request.vault_name() {
            Some(name) => vault_arn(&region, &account, name),
            None => format!("arn:aws:glacier:{region}:{account}:vaults/*"),
        };

        // The Vault Lock clock: an in-progress lock past its 24 hours is gone before anything else.
        if let Some(v) = self.vaults.get_mut(&arn)
            && let Some(lock) = v.expire_lock(now)
        {
            out.step(
                "Vault Lock clock",
                StepOutcome::Info,
                format!(
                    "the in-progress lock `{}` initiated at {} expired at {}: Glacier removed its Vault Lock policy, so it no longer applies",
                    lock.lock_id,
                    lock.creation_date,
                    lock.creation_date.plus(crate::model::LOCK_WINDOW_SECONDS)
                ),
                docs::VAULT_LOCK,
            );
            out.effects.push(expired_effect(v, &lock));
        }

        Ok(Ctx {
            caller,
            account,
            region,
            arn,
            now,
        })
    }

    /// Runs the operation `request` names.
    fn dispatch(
        &mut self,
        ctx: &Ctx<'_>,
        request: &GlacierRequest,
        out: GlacierOutcome,
    ) -> GlacierOutcome {
        match request {
            GlacierRequest::CreateVault { vault_name, .. } => {
                self.create_vault(ctx, vault_name, out)
            }
            GlacierRequest::DeleteVault { .. } => self.delete_vault(ctx, out),
            GlacierRequest::DescribeVault { .. } => self.describe_vault(ctx, out),
            GlacierRequest::ListVaults { marker, limit, .. } => {
                self.list_vaults(ctx, marker.as_deref(), *limit, out)
            }
            GlacierRequest::SetVaultAccessPolicy { policy, .. } => {
                self.set_access_policy(ctx, policy, out)
            }
            GlacierRequest::GetVaultAccessPolicy { .. } => self.get_access_policy(ctx, out),
            GlacierRequest::DeleteVaultAccessPolicy { .. } => self.delete_access_policy(ctx, out),
            GlacierRequest::InitiateVaultLock { policy, .. } => {
                self.initiate_lock(ctx, policy, out)
            }
            GlacierRequest::CompleteVaultLock { lock_id, .. } => {
                self.complete_lock(ctx, lock_id, out)
            }
            GlacierRequest::AbortVaultLock { .. } => self.abort_lock(ctx, out),
            GlacierRequest::GetVaultLock { .. } => self.get_lock(ctx, out),
            GlacierRequest::UploadArchive {
                body,
                description,
                sha256_tree_hash,
                ..
            } => self.upload_archive(
                ctx,
                body,
                description.as_deref(),
                sha256_tree_hash.as_deref(),
                out,
            ),
            GlacierRequest::DeleteArchive { archive_id, .. } => {
                self.delete_archive(ctx, archive_id, out)
            }
            GlacierRequest::AddTagsToVault { tags, .. } => self.add_tags(ctx, tags, out),
            GlacierRequest::RemoveTagsFromVault { tag_keys, .. } => {
                self.remove_tags(ctx, tag_keys, out)
            }
            GlacierRequest::ListTagsForVault { .. } => self.list_tags(ctx, out),
            GlacierRequest::InitiateJob {
                job_type,
                archive_id,
                tier,
                ..
            } => self.initiate_job(ctx, job_type, archive_id.as_deref(), tier.as_deref(), out),
        }
    }

    /// Authorizes `ctx`'s request; on denial returns the failed outcome.
    fn authorize(
        &self,
        ctx: &Ctx<'_>,
        out: &mut GlacierOutcome,
        extra: &[(&str, ContextValue)],
    ) -> Result<(), GlacierError> {
        let op = out.operation;
        let action = op.action();
        let vault = self.vaults.get(&ctx.arn);
        let keys = authz::context_keys(ctx.caller, vault, ctx.now, extra);
        let derived: Vec<String> = extra
            .iter()
            .map(|(k, v)| format!("`{k}` = `{}`", v.values().join("`, `")))
            .chain([format!("`aws:CurrentTime` = `{}`", ctx.now)])
            .collect();
        out.step(
            "required permission",
            StepOutcome::Info,
            format!(
                "`{}` needs `{action}` on `{}`; context: {}",
                op.name(),
                ctx.arn,
                derived.join(", ")
            ),
            docs::PERMISSIONS,
        );
        let use_vault_policies = op.uses_vault_policies();
        let auth = authz::authorize(
            ctx.caller,
            &action,
            &ctx.arn,
            &ctx.account,
            vault,
            use_vault_policies,
            keys,
        );
        let policies_note = policies_note(&action, use_vault_policies, vault);
        out.step(
            "vault policies",
            StepOutcome::Info,
            policies_note,
            docs::RESOURCE_POLICIES,
        );
        trace_runs(&auth, out);
        let decision = auth.decision;
        let denial = auth.deciding_evaluation().and_then(|e| e.denial);
        let combined = match decision {
            Decision::Allow => "allowed: no policy denies it and one grants it".to_string(),
            Decision::ExplicitDeny => {
                "denied: an explicit Deny in any policy overrides every Allow".to_string()
            }
            Decision::ImplicitDeny => "denied by default: no policy grants it".to_string(),
        };
        out.step(
            "decision",
            match decision {
                Decision::Allow => StepOutcome::Allow,
                Decision::ExplicitDeny => StepOutcome::ExplicitDeny,
                Decision::ImplicitDeny => StepOutcome::ImplicitDeny,
            },
            combined,
            docs::IAM_EVALUATION,
        );
        out.authorization = Some(auth);
        if decision == Decision::Allow {
            return Ok(());
        }
        Err(denied(ctx, &action, decision, denial))
    }

    /// Authorizes, then requires the vault to exist (Glacier answers `AccessDeniedException` to a
    /// caller without permission even for a missing vault, and `ResourceNotFoundException`
    /// to one with it — observed in aws/aws-sdk-js#906).
    fn authorize_existing(
        &self,
        ctx: &Ctx<'_>,
        out: &mut GlacierOutcome,
        extra: &[(&str, ContextValue)],
    ) -> Result<(), GlacierError> {
        self.authorize(ctx, out, extra)?;
        if self.vaults.contains_key(&ctx.arn) {
            Ok(())
        } else {
            out.step(
                "vault",
                StepOutcome::Reject,
                format!("no vault `{}` exists in this account and Region", ctx.arn),
                docs::ERRORS,
            );
            Err(GlacierError::vault_not_found(&ctx.arn))
        }
    }

    fn create_vault(
        &mut self,
        ctx: &Ctx<'_>,
        name: &str,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        if let Err(e) = self.authorize(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        if !valid_vault_name(name) {
            out.sim_step(
                "vault name",
                StepOutcome::Reject,
                format!("`{name}` is not 1–255 characters of letters, digits, `_`, `-` and `.`"),
                docs::CREATE_VAULT,
            );
            return out.fail(
                GlacierError::new(
                    ErrorCode::InvalidParameterValueException,
                    format!("Invalid vault name: {name}"),
                    MessageSource::Simulated,
                )
                .with_help("vault names are 1–255 characters of a–z, A–Z, 0–9, `_`, `-` and `.`"),
            );
        }
        let location = format!("/{}/vaults/{name}", ctx.account);
        if self.vaults.contains_key(&ctx.arn) {
            out.step(
                "vault",
                StepOutcome::Pass,
                format!(
                    "`{}` already exists; CreateVault is idempotent and changes nothing",
                    ctx.arn
                ),
                docs::CREATE_VAULT,
            );
            out.headers.push(("Location".into(), location));
            return out.ok(201);
        }
        let count = self
            .vaults
            .values()
            .filter(|v| v.account == ctx.account && v.region == ctx.region)
            .count();
        if count >= MAX_VAULTS_PER_REGION {
            out.sim_step(
                "vault limit",
                StepOutcome::Reject,
                format!("the account already has {count} vaults in {}", ctx.region),
                docs::CREATE_VAULT,
            );
            return out.fail(GlacierError::new(
                ErrorCode::LimitExceededException,
                format!("The number of vaults exceeds the limit of {MAX_VAULTS_PER_REGION} for this account in this region"),
                MessageSource::Simulated,
            ));
        }
        self.vaults.insert(
            ctx.arn.clone(),
            Vault::new(&ctx.account, &ctx.region, name, ctx.now),
        );
        out.step(
            "vault",
            StepOutcome::Info,
            format!("created `{}`", ctx.arn),
            docs::CREATE_VAULT,
        );
        out.effects.push(VaultEffect::VaultCreated {
            vault_arn: ctx.arn.clone(),
        });
        out.headers.push(("Location".into(), location));
        out.ok(201)
    }

    fn delete_vault(&mut self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let Some(vault) = self.vaults.get(&ctx.arn) else {
            return out.fail(GlacierError::vault_not_found(&ctx.arn));
        };
        let recently_written = vault
            .last_write
            .is_some_and(|w| ctx.now < w.plus(crate::time::SECONDS_PER_DAY));
        if !vault.archives.is_empty() || recently_written {
            let why = if vault.archives.is_empty() {
                format!(
                    "the vault was written to at {} and Glacier only deletes a vault once an inventory (about daily; modelled as 24 hours) shows it empty",
                    vault.last_write.unwrap_or_default()
                )
            } else {
                format!("the vault still holds {} archive(s)", vault.archives.len())
            };
            out.step("vault empty", StepOutcome::Reject, why, docs::DELETE_VAULT);
            return out.fail(
                GlacierError::new(
                    ErrorCode::InvalidParameterValueException,
                    format!("Vault not empty or recently written to: {}", ctx.arn),
                    MessageSource::Observed,
                )
                .with_help(
                    "delete every archive first, then wait for the next inventory (about a day)",
                ),
            );
        }
        self.vaults.remove(&ctx.arn);
        out.step(
            "vault",
            StepOutcome::Info,
            format!(
                "deleted `{}` together with its vault access policy",
                ctx.arn
            ),
            docs::DELETE_VAULT,
        );
        out.effects.push(VaultEffect::VaultDeleted {
            vault_arn: ctx.arn.clone(),
        });
        out.ok(204)
    }

    fn describe_vault(&self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let Some(vault) = self.vaults.get(&ctx.arn) else {
            return out.fail(GlacierError::vault_not_found(&ctx.arn));
        };
        out.sim_step(
            "inventory",
            StepOutcome::Info,
            "real Glacier reports NumberOfArchives and SizeInBytes as of its last inventory (about daily); the simulator reports the current values",
            docs::DESCRIBE_VAULT,
        );
        out.body = Some(vault.describe_json());
        out.ok(200)
    }

    fn list_vaults(
        &self,
        ctx: &Ctx<'_>,
        marker: Option<&str>,
        limit: Option<u32>,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        if let Err(e) = self.authorize(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let limit = match limit {
            None => 10,
            Some(l @ 1..=1000) => l as usize,
            Some(l) => {
                out.step(
                    "limit",
                    StepOutcome::Reject,
                    format!("limit `{l}` is outside 1–1000"),
                    docs::LIST_VAULTS,
                );
                return out.fail(GlacierError::new(
                    ErrorCode::InvalidParameterValueException,
                    format!("The limit is not valid: {l}"),
                    MessageSource::Simulated,
                ));
            }
        };
        // Vaults are listed in ascending order of name; the marker is the ARN to start after.
        let mut mine: Vec<&Vault> = self
            .vaults
            .values()
            .filter(|v| v.account == ctx.account && v.region == ctx.region)
            .collect();
        mine.sort_by(|a, b| a.name.cmp(&b.name));
        let start = marker.map_or(0, |m| {
            mine.iter()
                .position(|v| v.arn() == m)
                .map_or(mine.len(), |i| i + 1)
        });
        let page: Vec<&Vault> = mine.iter().skip(start).take(limit).copied().collect();
        let next = if start + page.len() < mine.len() {
            page.last().map(|v| serde_json::Value::String(v.arn()))
        } else {
            None
        };
        out.body = Some(serde_json::json!({
            "Marker": next.unwrap_or(serde_json::Value::Null),
            "VaultList": page.iter().map(|v| v.describe_json()).collect::<Vec<_>>(),
        }));
        out.ok(200)
    }

    fn set_access_policy(
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

    fn get_access_policy(&self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
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

    fn delete_access_policy(&mut self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
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

    fn initiate_lock(
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

    fn complete_lock(
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

    fn abort_lock(&mut self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
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

    fn get_lock(&self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
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

    fn upload_archive(
        &mut self,
        ctx: &Ctx<'_>,
        body: &[u8],
        description: Option<&str>,
        sent_hash: Option<&str>,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let description = description.unwrap_or_default();
        if description.chars().count() > DESCRIPTION_MAX_CHARS
            || !description.bytes().all(|b| (0x20..=0x7e).contains(&b))
        {
            out.step(
                "archive description",
                StepOutcome::Reject,
                "the description must be at most 1,024 printable ASCII characters (0x20–0x7E)",
                docs::UPLOAD_ARCHIVE,
            );
            return out.fail(GlacierError::new(
                ErrorCode::InvalidParameterValueException,
                "Invalid archive description.",
                MessageSource::Simulated,
            ));
        }
        let hash = treehash::tree_hash(body).to_hex();
        match sent_hash {
            Some(sent) if !sent.eq_ignore_ascii_case(&hash) => {
                out.step(
                    "tree hash",
                    StepOutcome::Reject,
                    format!("the request says `{sent}` but the body's SHA-256 tree hash is `{hash}`"),
                    docs::TREE_HASH,
                );
                return out.fail(
                    GlacierError::new(
                        ErrorCode::InvalidParameterValueException,
                        format!("Checksum mismatch: expected {sent} (calculated {hash})"),
                        MessageSource::Simulated,
                    )
                    .with_help("compute the tree hash over 1 MiB chunks as the Computing Checksums page describes"),
                );
            }
            Some(_) => out.step(
                "tree hash",
                StepOutcome::Pass,
                format!("`x-amz-sha256-tree-hash` matches the body: `{hash}`"),
                docs::TREE_HASH,
            ),
            None => out.step(
                "tree hash",
                StepOutcome::Info,
                format!("the client computed `x-amz-sha256-tree-hash` = `{hash}` (1 MiB chunks, pairwise SHA-256)"),
                docs::TREE_HASH,
            ),
        }
        let id = self.next_archive_id(&ctx.arn, ctx.now);
        let size = body.len() as u64;
        let archive = Archive {
            id: id.clone(),
            creation_date: ctx.now,
            size,
            sha256_tree_hash: hash.clone(),
            description: description.to_string(),
        };
        if let Some(v) = self.vaults.get_mut(&ctx.arn) {
            v.archives.push(archive);
            v.last_write = Some(ctx.now);
        }
        out.step(
            "archive",
            StepOutcome::Info,
            format!("stored {size} bytes as archive `{id}`; archives are immutable"),
            docs::UPLOAD_ARCHIVE,
        );
        out.effects.push(VaultEffect::ArchiveUploaded {
            vault_arn: ctx.arn.clone(),
            archive_id: id.clone(),
            size,
            sha256_tree_hash: hash.clone(),
        });
        let name = self
            .vaults
            .get(&ctx.arn)
            .map(|v| v.name.clone())
            .unwrap_or_default();
        out.headers.push((
            "Location".into(),
            format!("/{}/vaults/{name}/archives/{id}", ctx.account),
        ));
        out.headers.push(("x-amz-archive-id".into(), id));
        out.headers.push(("x-amz-sha256-tree-hash".into(), hash));
        out.ok(201)
    }

    fn delete_archive(
        &mut self,
        ctx: &Ctx<'_>,
        archive_id: &str,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        let vault = self.vaults.get(&ctx.arn);
        let current = vault.and_then(|v| v.archive(archive_id));
        let deleted = vault.and_then(|v| v.deleted_archives.iter().find(|a| a.id == archive_id));
        let age = current.or(deleted).map(|a| a.age_in_days(ctx.now));
        let extra: Vec<(&str, ContextValue)> = age
            .map(|d| {
                vec![(
                    "glacier:ArchiveAgeInDays",
                    ContextValue::from(d.to_string()),
                )]
            })
            .unwrap_or_default();
        let is_current = current.is_some();
        let is_deleted = deleted.is_some();
        if let Err(e) = self.authorize_existing(ctx, &mut out, &extra) {
            return out.fail(e);
        }
        if is_deleted && !is_current {
            out.step(
                "archive",
                StepOutcome::Pass,
                format!("archive `{archive_id}` was already deleted; DeleteArchive is idempotent"),
                docs::DELETE_ARCHIVE,
            );
            return out.ok(204);
        }
        if !is_current {
            out.sim_step(
                "archive",
                StepOutcome::Reject,
                format!("no archive `{archive_id}` in `{}`; Glacier has been observed to answer an archive id from another vault with `Invalid vault name`", ctx.arn),
                docs::DELETE_ARCHIVE,
            );
            return out.fail(
                GlacierError::new(
                    ErrorCode::InvalidParameterValueException,
                    format!("Invalid vault name: {}", ctx.arn),
                    MessageSource::Observed,
                )
                .with_help(
                    "the archive id does not belong to this vault: check the vault inventory",
                ),
            );
        }
        if let Some(v) = self.vaults.get_mut(&ctx.arn)
            && let Some(i) = v.archives.iter().position(|a| a.id == archive_id)
        {
            let a = v.archives.remove(i);
            v.deleted_archives.push(a);
            v.last_write = Some(ctx.now);
        }
        out.step(
            "archive",
            StepOutcome::Info,
            format!(
                "deleted archive `{archive_id}` ({} day(s) old)",
                age.unwrap_or_default()
            ),
            docs::DELETE_ARCHIVE,
        );
        out.effects.push(VaultEffect::ArchiveDeleted {
            vault_arn: ctx.arn.clone(),
            archive_id: archive_id.to_string(),
        });
        out.ok(204)
    }

    fn add_tags(
        &mut self,
        ctx: &Ctx<'_>,
        tags: &BTreeMap<String, String>,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        // Tag-on-request keys (IAM UG, "Controlling access during AWS requests").
        let request_tags: Vec<(String, ContextValue)> = tags
            .iter()
            .map(|(k, v)| (format!("aws:RequestTag/{k}"), ContextValue::from(v.clone())))
            .collect();
        let mut extra: Vec<(&str, ContextValue)> = request_tags
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        extra.push((
            "aws:TagKeys",
            ContextValue::from(tags.keys().cloned().collect::<Vec<String>>()),
        ));
        if let Err(e) = self.authorize_existing(ctx, &mut out, &extra) {
            return out.fail(e);
        }
        let Some(vault) = self.vaults.get_mut(&ctx.arn) else {
            return out.fail(GlacierError::vault_not_found(&ctx.arn));
        };
        let mut merged = vault.tags.clone();
        merged.extend(tags.iter().map(|(k, v)| (k.clone(), v.clone())));
        if tags.is_empty() || merged.len() > MAX_TAGS_PER_VAULT {
            let (code, message) = if tags.is_empty() {
                (
                    ErrorCode::MissingParameterValueException,
                    "Required parameter Tags is missing or empty.".to_string(),
                )
            } else {
                (
                    ErrorCode::LimitExceededException,
                    format!(
                        "The request would exceed the limit of {MAX_TAGS_PER_VAULT} tags for this vault."
                    ),
                )
            };
            out.sim_step(
                "tags",
                StepOutcome::Reject,
                format!(
                    "a vault holds at most {MAX_TAGS_PER_VAULT} tags; this request would leave {}",
                    merged.len()
                ),
                docs::ADD_TAGS,
            );
            return out.fail(GlacierError::new(code, message, MessageSource::Simulated));
        }
        vault.tags = merged;
        out.step(
            "tags",
            StepOutcome::Info,
            format!(
                "set {}; conditions on `glacier:ResourceTag/KEY` see the new values from the next request on",
                tags.iter()
                    .map(|(k, v)| format!("`{k}` = `{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            docs::ADD_TAGS,
        );
        out.effects.push(VaultEffect::TagsChanged {
            vault_arn: ctx.arn.clone(),
        });
        out.ok(204)
    }

    fn remove_tags(
        &mut self,
        ctx: &Ctx<'_>,
        keys: &[String],
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        let extra = [("aws:TagKeys", ContextValue::from(keys.to_vec()))];
        if let Err(e) = self.authorize_existing(ctx, &mut out, &extra) {
            return out.fail(e);
        }
        if let Some(vault) = self.vaults.get_mut(&ctx.arn) {
            for k in keys {
                vault.tags.remove(k);
            }
        }
        out.step(
            "tags",
            StepOutcome::Info,
            format!(
                "removed {} (keys that were not set are ignored)",
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            docs::REMOVE_TAGS,
        );
        out.effects.push(VaultEffect::TagsChanged {
            vault_arn: ctx.arn.clone(),
        });
        out.ok(204)
    }

    fn list_tags(&self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let tags = self
            .vaults
            .get(&ctx.arn)
            .map(|v| v.tags.clone())
            .unwrap_or_default();
        out.body = Some(serde_json::json!({ "Tags": tags }));
        out.ok(200)
    }

    fn initiate_job(
        &mut self,
        ctx: &Ctx<'_>,
        job_type: &str,
        archive_id: Option<&str>,
        tier: Option<&str>,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        // `glacier:ArchiveAgeInDays` also applies to archive retrievals (permissions reference).
        let age = archive_id.and_then(|id| {
            self.vaults
                .get(&ctx.arn)
                .and_then(|v| v.archive(id))
                .map(|a| a.age_in_days(ctx.now))
        });
        let extra: Vec<(&str, ContextValue)> = age
            .map(|d| {
                vec![(
                    "glacier:ArchiveAgeInDays",
                    ContextValue::from(d.to_string()),
                )]
            })
            .unwrap_or_default();
        if let Err(e) = self.authorize_existing(ctx, &mut out, &extra) {
            return out.fail(e);
        }
        let tier = tier.unwrap_or("Standard");
        let invalid = |message: String| {
            GlacierError::new(
                ErrorCode::InvalidParameterValueException,
                message,
                MessageSource::Simulated,
            )
        };
        let problem = match (job_type, archive_id) {
            (_, _) if !matches!(tier, "Expedited" | "Standard" | "Bulk") => {
                Some(invalid(format!("The job tier is not valid: {tier}")))
            }
            ("archive-retrieval", None) => Some(GlacierError::new(
                ErrorCode::MissingParameterValueException,
                "Required parameter ArchiveId is missing for an archive-retrieval job.",
                MessageSource::Simulated,
            )),
            ("archive-retrieval", Some(id)) if age.is_none() => {
                Some(invalid(format!("Invalid archive ID: {id}")))
            }
            ("archive-retrieval" | "inventory-retrieval", _) => None,
            (other, _) => Some(invalid(format!("The job type is not valid: {other}"))),
        };
        if let Some(e) = problem {
            out.sim_step(
                "job parameters",
                StepOutcome::Reject,
                format!("cannot start `{job_type}` (tier `{tier}`): {}", e.message),
                docs::INITIATE_JOB,
            );
            return out.fail(e);
        }
        self.sequence += 1;
        let job_id = id_chars(
            &format!("job|{}|{}|{}", ctx.arn, self.sequence, ctx.now.0),
            92,
            64,
        );
        let name = self
            .vaults
            .get(&ctx.arn)
            .map(|v| v.name.clone())
            .unwrap_or_default();
        if let Some(v) = self.vaults.get_mut(&ctx.arn) {
            v.jobs.push(crate::model::Job {
                id: job_id.clone(),
                job_type: job_type.to_string(),
                archive_id: archive_id.map(str::to_string),
                tier: tier.to_string(),
                creation_date: ctx.now,
            });
        }
        out.sim_step(
            "job",
            StepOutcome::Info,
            format!("accepted `{job_type}` job `{job_id}` (tier `{tier}`); the simulator records the job but does not run it"),
            docs::INITIATE_JOB,
        );
        out.effects.push(VaultEffect::JobInitiated {
            vault_arn: ctx.arn.clone(),
            job_id: job_id.clone(),
        });
        out.headers.push((
            "Location".into(),
            format!("/{}/vaults/{name}/jobs/{job_id}", ctx.account),
        ));
        out.headers.push(("x-amz-job-id".into(), job_id));
        out.ok(202)
    }

    /// A reproducible lock id: 24 characters like AWS's (`AE863rKkWZU53SLW5be4DUcW`).
    fn next_lock_id(&mut self, arn: &str, now: Timestamp) -> String {
        self.sequence += 1;
        id_chars(&format!("lock|{arn}|{}|{}", self.sequence, now.0), 24, 62)
    }

    /// A reproducible archive id: 138 URL-safe characters like AWS's.
    fn next_archive_id(&mut self, arn: &str, now: Timestamp) -> String {
        self.sequence += 1;
        id_chars(
            &format!("archive|{arn}|{}|{}", self.sequence, now.0),
            138,
            64,
        )
    }
}

/// What one request is about, once the account and ARN are resolved.
struct Ctx<'a> {
    caller: &'a Caller,
    account: String,
    region: String,
    arn: String,
    now: Timestamp,
}

/// Which vault policies take part, in words.
fn policies_note(action: &str, use_vault_policies: bool, vault: Option<&Vault>) -> String {
    match (use_vault_policies, vault) {
        (false, _) => format!(
            "`{action}` is granted by identity-based policies only (no vault policy applies)"
        ),
        (true, None) => {
            "the vault does not exist, so only the caller's own policies apply".to_string()
        }
        (true, Some(v)) => match (&v.access_policy, &v.lock) {
            (None, None) => {
                "the vault has neither a vault access policy nor a Vault Lock policy".to_string()
            }
            (Some(_), None) => {
                "the vault has a vault access policy and no Vault Lock policy".to_string()
            }
            (None, Some(l)) => format!(
                "the vault has a Vault Lock policy ({}) and no vault access policy",
                l.state.as_str()
            ),
            (Some(_), Some(l)) => format!(
                "the vault has a vault access policy and a Vault Lock policy ({}): Glacier applies both, so a Deny in either wins and an Allow in either can grant",
                l.state.as_str()
            ),
        },
    }
}

/// One trace step per evaluation run (the caller's policies, then each vault policy), with the
/// vault policy's statements that concern the action.
fn trace_runs(auth: &crate::outcome::Authorization, out: &mut GlacierOutcome) {
    for run in &auth.runs {
        let label = run.resource_policy.map_or("IAM policies", |k| k.name());
        // The vault policy's statements that concern this action, with their conditions.
        if let Some(kind) = run.resource_policy {
            let statements = run
                .evaluation
                .trace
                .iter()
                .filter(|l| l.layer == Layer::Resource)
                .flat_map(|l| l.policies.iter())
                .flat_map(|p| p.evaluation.statements.iter())
                .filter(|st| st.action.matched);
            for st in statements {
                let outcome = match (st.applies, st.effect) {
                    (false, _) => StepOutcome::Pass,
                    (true, Effect::Allow) => StepOutcome::Allow,
                    (true, Effect::Deny) => StepOutcome::ExplicitDeny,
                };
                out.step(
                    format!("{} statement {}", kind.name(), st.label()),
                    outcome,
                    st.explanation(),
                    match kind {
                        VaultPolicyKind::AccessPolicy => docs::ACCESS_POLICY,
                        VaultPolicyKind::LockPolicy => docs::VAULT_LOCK_POLICY,
                    },
                );
            }
        }
        let outcome = match run.evaluation.decision {
            Decision::Allow => StepOutcome::Allow,
            Decision::ExplicitDeny => StepOutcome::ExplicitDeny,
            Decision::ImplicitDeny => StepOutcome::ImplicitDeny,
        };
        out.step(
            format!("evaluation with the {label}"),
            outcome,
            run.evaluation.summary.clone(),
            docs::IAM_EVALUATION,
        );
    }
}

/// IAM's `AccessDeniedException` for a denied request, with the reason clause of the deciding
/// layer.
fn denied(
    ctx: &Ctx<'_>,
    action: &str,
    decision: Decision,
    denial: Option<s3pg_policy::Denial>,
) -> GlacierError {
    let reason = denial
        .map(|d| {
            // IAM's wording, with the article English wants ("an identity-based policy").
            let kind = d.layer.aws_policy_type();
            let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            if d.explicit {
                format!(" with an explicit deny in {article} {kind} policy")
            } else {
                format!(" because no {kind} policy allows the {action} action")
            }
        })
        .unwrap_or_default();
    let message = format!(
        "User: {} is not authorized to perform: {action} on resource: {}{reason}",
        ctx.caller.arn_for_messages(),
        ctx.arn
    );
    let help = match decision {
        Decision::ExplicitDeny => {
            "find the Deny statement in the trace; a locked Vault Lock policy can never be changed, so only its conditions (for example the archive's age or a tag) can lift it"
        }
        _ => {
            "grant the action in an identity-based policy, or (for another account) in the vault access policy as well"
        }
    };
    GlacierError::new(
        ErrorCode::AccessDeniedException,
        message,
        MessageSource::Simulated,
    )
    .with_help(help)
}

fn expired_effect(v: &Vault, lock: &VaultLock) -> VaultEffect {
    VaultEffect::LockExpired {
        vault_arn: v.arn(),
        lock_id: lock.lock_id.clone(),
        expired_at: lock.creation_date.plus(crate::model::LOCK_WINDOW_SECONDS),
    }
}

fn parse_vault_policy(
    text: &str,
    kind: &str,
    out: &mut GlacierOutcome,
) -> Result<StoredPolicy, GlacierError> {
    let invalid = |detail: String| {
        GlacierError::new(
            ErrorCode::InvalidParameterValueException,
            format!("The specified {kind} is invalid. Provide a valid policy."),
            if kind == "vault lock policy" {
                MessageSource::Observed
            } else {
                MessageSource::Simulated
            },
        )
        .with_help(detail)
    };
    if text.len() > POLICY_MAX_BYTES {
        out.step(
            kind.to_string(),
            StepOutcome::Reject,
            format!(
                "the policy is {} bytes; at most 20 KB are allowed",
                text.len()
            ),
            docs::INITIATE_LOCK,
        );
        return Err(invalid(format!(
            "shorten the policy to at most {POLICY_MAX_BYTES} bytes"
        )));
    }
    match StoredPolicy::parse(text) {
        Ok(p) => Ok(p),
        Err(why) => {
            out.step(
                kind.to_string(),
                StepOutcome::Reject,
                format!("the policy does not validate: {why}"),
                docs::VAULT_LOCK_POLICY,
            );
            Err(invalid(why))
        }
    }
}

/// `len` characters derived from SHA-256 of `seed` (counter mode), from the first `radix` of
/// `[A-Za-z0-9-_]` (62: alphanumeric lock ids; 64: URL-safe archive ids).
fn id_chars(seed: &str, len: usize, radix: u8) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(len);
    let mut block: u32 = 0;
    while out.len() < len {
        let mut h = Sha256::new();
        h.update(seed.as_bytes());
        h.update(block.to_be_bytes());
        for b in h.finalize() {
            if out.len() == len {
                break;
            }
            let c = ALPHABET
                .get(usize::from(b % radix.max(1)))
                .copied()
                .unwrap_or(b'A');
            out.push(char::from(c));
        }
        block += 1;
    }
    out
}
