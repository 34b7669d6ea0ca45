//! Bucket policies: PutBucketPolicy (validation, `BlockPublicPolicy`, the owner root's lock-out
//! exemption), Get/DeleteBucketPolicy and GetBucketPolicyStatus.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html>.

use serde_json::json;

use super::bpa::bpa_compare;
use super::common::{bucket_ref, last_bucket_change};
use super::plan::Plan;
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::public;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::world::{Identity, World, effective_bpa};

pub(super) fn put_bucket_policy<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    name: &'r str,
    document: &'r serde_json::Value,
) -> Result<Plan<'r>, S3Error> {
    let parsed = match world.policies.checked_bucket_policy(document, name) {
        Ok(p) => match unknown_principal(world, document) {
            Some(arn) => Err((
                "Invalid principal in policy".to_owned(),
                format!("S3 refuses the policy document: its principal `{arn}` does not exist"),
            )),
            None => Ok(p),
        },
        Err((message, detail)) => {
            Err((message, format!("S3 refuses the policy document: {detail}")))
        }
    };
    let policy = match parsed {
        Ok(p) => p,
        Err((message, why)) => {
            return Err(ex.reject(
                Gate::RequestValidation,
                S3Error::MalformedPolicy { message },
                why,
                docs::S3_AUTHZ,
            ));
        }
    };
    let bucket = bucket_ref(world, name)?;
    let bpa = effective_bpa(world, bucket);
    let publicness = public::policy_publicness(&policy);
    if let Some(reason) = &publicness {
        let (outcome, text) = if bpa.block_public_policy {
            (
                StepOutcome::Reject,
                format!(
                    "`BlockPublicPolicy` is on and the new policy is public ({reason}), so S3 refuses it"
                ),
            )
        } else {
            (
                StepOutcome::Pass,
                format!("the new policy is public ({reason}) but `BlockPublicPolicy` is off"),
            )
        };
        let step = bpa_compare(
            GateStep::new(Gate::BlockPublicAccess, outcome, text, docs::BPA_PUBLIC),
            world,
            bucket,
            "BlockPublicPolicy",
            bpa.block_public_policy,
        );
        if bpa.block_public_policy {
            ex.push_deciding(step);
            return Err(S3Error::access_denied());
        }
        ex.step(step);
    } else if bpa.block_public_policy {
        ex.step(GateStep::new(
            Gate::BlockPublicAccess,
            StepOutcome::Pass,
            "`BlockPublicPolicy` is on, but every Allow statement of the new policy names specific principals or is pinned by a fixed condition, so the policy is not public",
            docs::BPA_PUBLIC,
        ));
    }
    let (check, owner) = policy_api_check(world, ex, id, name, "s3:PutBucketPolicy")?;
    Ok(Plan::new(vec![check], move |world, ex, id, _| {
        only_the_owner_account(ex, id, &owner)?;
        last_bucket_change(
            world,
            name,
            |b| &b.policy,
            |b| &mut b.policy,
            |p| *p = Some(document.clone()),
        )?;
        ex.status = 204;
        ex.effects.push(Effect::BucketPolicySet {
            bucket: name.to_owned(),
        });
        Ok(())
    }))
}

/// The first IAM user or role ARN a bucket policy's `Principal`/`NotPrincipal` names that does not
/// exist in an account the world holds: S3 resolves principals when the policy is saved and
/// refuses one it cannot find (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>).
/// Accounts the world does not model are taken on trust.
fn unknown_principal(world: &World, document: &serde_json::Value) -> Option<String> {
    let statements = match document.get("Statement")? {
        serde_json::Value::Array(a) => a.iter().collect::<Vec<_>>(),
        one => vec![one],
    };
    let arns = statements
        .into_iter()
        .flat_map(|st| [st.get("Principal"), st.get("NotPrincipal")])
        .flatten()
        .filter_map(|p| p.get("AWS"))
        .flat_map(|aws| match aws {
            serde_json::Value::Array(a) => a.iter().filter_map(|v| v.as_str()).collect(),
            v => v.as_str().into_iter().collect::<Vec<_>>(),
        });
    for arn in arns {
        let Some(rest) = arn.strip_prefix("arn:aws:iam::") else {
            continue;
        };
        let Some((account, resource)) = rest.split_once(':') else {
            continue;
        };
        let Some(acct) = world.accounts.get(account) else {
            continue;
        };
        let name = resource.rsplit('/').next().unwrap_or_default();
        let missing = if resource.starts_with("user/") {
            !acct.users.contains_key(name)
        } else if resource.starts_with("role/") {
            !acct.roles.contains_key(name)
        } else {
            false
        };
        if missing && !name.contains('*') {
            return Some(arn.to_owned());
        }
    }
    None
}

/// The permission a bucket-policy API needs: the owner's root user is exempt from the bucket
/// policy (lock-out protection), said in the trace. Returns the check and the bucket owner.
fn policy_api_check(
    world: &World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    action: &'static str,
) -> Result<(Check, String), S3Error> {
    let owner = bucket_ref(world, name)?.owner.clone();
    let check = Check::bucket(action, name);
    let check = if id.is_root() && id.account.as_deref() == Some(owner.as_str()) {
        ex.step(GateStep::new(
            Gate::RootUser,
            StepOutcome::Pass,
            format!("the bucket owner's root user may always call `{action}`, even when the bucket policy denies it (only SCPs and VPC endpoint policies can stop it)"),
            docs::ROOT_POLICY_APIS,
        ).action(action));
        check.root_policy_exempt()
    } else {
        check
    };
    Ok((check, owner))
}

/// After authorization: identities of other accounts get 405 even when a policy allows them.
fn only_the_owner_account(
    ex: &mut Exchange<'_>,
    id: &Identity,
    owner: &str,
) -> Result<(), S3Error> {
    if id.account.as_deref() != Some(owner) {
        return Err(ex.reject(
            Gate::Execution,
            S3Error::MethodNotAllowed,
            format!("only identities of the owning account `{owner}` may call the bucket-policy APIs; other accounts get 405 even when a policy allows them"),
            docs::ROOT_POLICY_APIS,
        ));
    }
    Ok(())
}

pub(super) fn bucket_policy_api<'r>(
    world: &World,
    ex: &mut Exchange<'r>,
    id: &Identity,
    name: &'r str,
    action: &'static str,
) -> Result<Plan<'r>, S3Error> {
    let (check, owner) = policy_api_check(world, ex, id, name, action)?;
    Ok(Plan::new(vec![check], move |world, ex, id, _| {
        only_the_owner_account(ex, id, &owner)?;
        if action == "s3:GetBucketPolicy" {
            match &bucket_ref(world, name)?.policy {
                Some(p) => ex.body = Some(p.clone()),
                None => {
                    return Err(ex.reject(
                        Gate::Execution,
                        S3Error::NoSuchBucketPolicy,
                        "the bucket has no policy",
                        docs::ERRORS,
                    ));
                }
            }
        } else {
            if last_bucket_change(
                world,
                name,
                |b| &b.policy,
                |b| &mut b.policy,
                |p| p.take().is_some(),
            )? {
                ex.effects.push(Effect::BucketPolicyDeleted {
                    bucket: name.to_owned(),
                });
            }
            ex.status = 204;
        }
        Ok(())
    }))
}

pub(super) fn get_policy_status(name: &str) -> Plan<'_> {
    Plan::new(
        vec![Check::bucket("s3:GetBucketPolicyStatus", name)],
        move |world, ex, _, _| policy_status(world, ex, name),
    )
}

fn policy_status(world: &World, ex: &mut Exchange<'_>, name: &str) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    let Some(doc) = &bucket.policy else {
        return Err(ex.reject(
            Gate::Execution,
            S3Error::NoSuchBucketPolicy,
            "the bucket has no policy",
            docs::ERRORS,
        ));
    };
    let reason = public::parse_bucket_policy(doc)
        .ok()
        .and_then(|p| public::policy_publicness(&p));
    ex.step(
        GateStep::new(
            Gate::BlockPublicAccess,
            StepOutcome::Info,
            match &reason {
                Some(r) => format!("the policy is public: {r}"),
                None => "every Allow statement is pinned to specific principals or fixed conditions, so the policy is not public".to_owned(),
            },
            docs::BPA_PUBLIC,
        ),
    );
    ex.body = Some(json!({ "PolicyStatus": { "IsPublic": reason.is_some() } }));
    Ok(())
}
