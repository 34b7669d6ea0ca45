//! Block Public Access settings of a bucket and of an account: Put, Get and Delete.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html>.

use serde_json::json;

use super::common::last_bucket_change;
use super::plan::Plan;
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::{Bucket, PublicAccessBlock};
use crate::trace::{Effect, Gate, GateStep};
use crate::world::{Identity, World};

pub(super) fn bpa_compare(
    step: GateStep,
    world: &World,
    bucket: &Bucket,
    flag: &str,
    value: bool,
) -> GateStep {
    let account = world
        .accounts
        .get(&bucket.owner)
        .and_then(|a| a.public_access_block);
    step.compare(format!("{flag} (effective)"), value.to_string())
        .compare(
            "account level",
            account.map_or_else(|| "not configured".to_owned(), |p| bpa_words(&p)),
        )
        .compare(
            "bucket level",
            bucket
                .public_access_block
                .map_or_else(|| "not configured".to_owned(), |p| bpa_words(&p)),
        )
}

/// A Block Public Access configuration in the API's own words.
pub(super) fn bpa_words(p: &crate::model::PublicAccessBlock) -> String {
    format!(
        "BlockPublicAcls={}, IgnorePublicAcls={}, BlockPublicPolicy={}, RestrictPublicBuckets={}",
        p.block_public_acls, p.ignore_public_acls, p.block_public_policy, p.restrict_public_buckets
    )
}

pub(super) enum PabOp {
    Put(PublicAccessBlock),
    Get,
    Delete,
}

pub(super) fn bucket_pab(name: &str, op: PabOp) -> Plan<'_> {
    let action = match op {
        PabOp::Get => "s3:GetBucketPublicAccessBlock",
        PabOp::Put(_) | PabOp::Delete => "s3:PutBucketPublicAccessBlock",
    };
    Plan::new(vec![Check::bucket(action, name)], move |world, ex, _, _| {
        last_bucket_change(
            world,
            name,
            |b| &b.public_access_block,
            |b| &mut b.public_access_block,
            |pab| {
                apply_pab(
                    ex,
                    pab,
                    op,
                    "the bucket",
                    Effect::PublicAccessBlockSet {
                        bucket: name.to_owned(),
                    },
                    Effect::PublicAccessBlockDeleted {
                        bucket: name.to_owned(),
                    },
                )
            },
        )?
    })
}

/// Gets, puts or deletes the Block Public Access configuration held in `slot` (a bucket's or an
/// account's: the two APIs behave alike), recording `set` or `deleted` as the effect.
pub(super) fn apply_pab(
    ex: &mut Exchange<'_>,
    slot: &mut Option<PublicAccessBlock>,
    op: PabOp,
    holder: &str,
    set: Effect,
    deleted: Effect,
) -> Result<(), S3Error> {
    match op {
        PabOp::Put(cfg) => {
            *slot = Some(cfg);
            ex.effects.push(set);
        }
        PabOp::Get => match slot {
            Some(cfg) => ex.body = Some(json!({ "PublicAccessBlockConfiguration": cfg })),
            None => {
                return Err(ex.reject(
                    Gate::Execution,
                    S3Error::NoSuchPublicAccessBlockConfiguration,
                    format!("{holder} has no Block Public Access configuration"),
                    docs::BPA,
                ));
            }
        },
        PabOp::Delete => {
            *slot = None;
            ex.status = 204;
            ex.effects.push(deleted);
        }
    }
    Ok(())
}

pub(super) fn account_pab(account: &str, op: PabOp) -> Plan<'_> {
    let action = match op {
        PabOp::Get => "s3:GetAccountPublicAccessBlock",
        PabOp::Put(_) | PabOp::Delete => "s3:PutAccountPublicAccessBlock",
    };
    Plan::new(
        vec![Check::account(action, account)],
        move |world, ex, id, _| account_pab_execute(world, ex, id, account, op),
    )
}

fn account_pab_execute(
    world: &mut World,
    ex: &mut Exchange<'_>,
    id: &Identity,
    account: &str,
    op: PabOp,
) -> Result<(), S3Error> {
    if id.account.as_deref() != Some(account) {
        return Err(ex.reject(
            Gate::Execution,
            S3Error::access_denied(),
            format!("account-level Block Public Access of `{account}` can only be managed from inside that account"),
            docs::BPA,
        ));
    }
    let Some(acct) = world.accounts.get_mut(account) else {
        return Err(S3Error::access_denied());
    };
    let deleting = matches!(op, PabOp::Delete);
    let result = apply_pab(
        ex,
        &mut acct.public_access_block,
        op,
        "the account",
        Effect::AccountPublicAccessBlockSet {
            account: account.to_owned(),
        },
        Effect::AccountPublicAccessBlockDeleted {
            account: account.to_owned(),
        },
    );
    // S3 Control answers the account-level delete with 200, unlike the bucket-level 204
    // (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_DeletePublicAccessBlock.html>).
    if deleting && result.is_ok() {
        ex.status = 200;
    }
    result
}
