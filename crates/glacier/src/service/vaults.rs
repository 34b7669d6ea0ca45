//! Vaults: CreateVault, DeleteVault (only when empty), DescribeVault and ListVaults.
//!
//! Follows <https://docs.aws.amazon.com/amazonglacier/latest/dev/api-vaults-put.html> and the
//! other vault operations of the API reference.

use super::{Ctx, Glacier, MAX_VAULTS_PER_REGION};
use crate::docs;
use crate::error::{ErrorCode, GlacierError, MessageSource};
use crate::model::{Vault, valid_vault_name};
use crate::outcome::{GlacierOutcome, StepOutcome, VaultEffect};

impl Glacier {
    pub(super) fn create_vault(
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

    pub(super) fn delete_vault(
        &mut self,
        ctx: &Ctx<'_>,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
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

    pub(super) fn describe_vault(&self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
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

    pub(super) fn list_vaults(
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
}
