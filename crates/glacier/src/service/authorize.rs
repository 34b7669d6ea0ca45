//! Authorization of a vault request: the caller's identity-based policies, then (where the
//! operation uses them) the vault access policy and the Vault Lock policy, each evaluated by
//! `s3pg-policy`; a Deny in any wins. The trace shows the statements that concern the action,
//! and a denial carries IAM's `AccessDeniedException` wording.
//!
//! Follows <https://docs.aws.amazon.com/amazonglacier/latest/dev/access-control-overview.html>
//! and <https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-lock-policy.html>.

use s3pg_policy::{ContextValue, Decision, Effect, Layer};

use super::{Ctx, Glacier};
use crate::authz;
use crate::docs;
use crate::error::{ErrorCode, GlacierError, MessageSource};
use crate::model::Vault;
use crate::outcome::{GlacierOutcome, StepOutcome, VaultPolicyKind};

impl Glacier {
    /// Authorizes `ctx`'s request; on denial returns the failed outcome.
    pub(super) fn authorize(
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
    pub(super) fn authorize_existing(
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
