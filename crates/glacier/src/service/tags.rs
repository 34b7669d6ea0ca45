//! Vault tags: AddTagsToVault (at most 50), RemoveTagsFromVault, ListTagsForVault; tags are
//! what a Vault Lock policy's `aws:ResourceTag` conditions read.
//!
//! Follows <https://docs.aws.amazon.com/amazonglacier/latest/dev/api-AddTagsToVault.html>.

use std::collections::BTreeMap;

use s3pg_policy::ContextValue;

use super::{Ctx, Glacier, MAX_TAGS_PER_VAULT};
use crate::docs;
use crate::error::{ErrorCode, GlacierError, MessageSource};
use crate::outcome::{GlacierOutcome, StepOutcome, VaultEffect};

impl Glacier {
    pub(super) fn add_tags(
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

    pub(super) fn remove_tags(
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

    pub(super) fn list_tags(&self, ctx: &Ctx<'_>, mut out: GlacierOutcome) -> GlacierOutcome {
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
}
