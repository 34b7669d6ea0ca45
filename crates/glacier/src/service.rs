//! The vault service: `Glacier::handle(caller, request, now)` runs one operation — account and
//! vault checks, the Vault Lock clock, authorization, then the operation — and answers with a
//! [`GlacierOutcome`].
//!
//! Each operation follows its page of the Glacier API reference
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/amazon-glacier-api.html>); the lock
//! state machine follows "Vault Lock"
//! (<https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock.html>).
//!
//! Where to read: [`Glacier::handle`] below admits a request and dispatches it; [`authorize`]
//! decides it; [`vaults`], [`policies`] (vault access policy and Vault Lock), [`archives`] and
//! [`tags`] are the operations.

mod archives;
mod authorize;
mod policies;
mod tags;
mod vaults;

use std::collections::BTreeMap;

use s3pg_policy::Principal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::docs;
use crate::error::{ErrorCode, GlacierError, MessageSource};
use crate::model::{POLICY_MAX_BYTES, StoredPolicy, Vault, VaultLock, valid_vault_name, vault_arn};
use crate::outcome::{GlacierOutcome, StepOutcome, VaultEffect};
use crate::request::{Caller, GlacierRequest};
use crate::time::Timestamp;

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
