//! Default bucket encryption: Put, Get and DeleteBucketEncryption.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html>.

use super::common::bucket_mut;
use super::plan::Plan;
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::world::World;

/// `PutBucketEncryption` (`Some(Some(c))`), `DeleteBucketEncryption` (`Some(None)`) and
/// `GetBucketEncryption` (`None`).
pub(super) fn bucket_encryption<'r>(
    ex: &mut Exchange<'r>,
    name: &'r str,
    change: Option<Option<crate::encryption::BucketEncryption>>,
) -> Result<Plan<'r>, S3Error> {
    if let Some(Some(c)) = &change
        && !matches!(
            c.sse_algorithm.as_str(),
            "AES256" | "aws:kms" | "aws:kms:dsse"
        )
    {
        let alg = c.sse_algorithm.clone();
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::MalformedXml,
            format!("`{alg}` is not an SSEAlgorithm (use `AES256`, `aws:kms` or `aws:kms:dsse`); SSE-C can never be a default"),
            docs::DEFAULT_ENCRYPTION,
        ));
    }
    let action = if change.is_some() {
        "s3:PutEncryptionConfiguration"
    } else {
        "s3:GetEncryptionConfiguration"
    };
    Ok(Plan::new(
        vec![Check::bucket(action, name)],
        move |world, ex, _, _| execute(world, ex, name, change),
    ))
}

fn execute(
    world: &mut World,
    ex: &mut Exchange<'_>,
    name: &str,
    change: Option<Option<crate::encryption::BucketEncryption>>,
) -> Result<(), S3Error> {
    let bucket = bucket_mut(world, name)?;
    match change {
        None => {
            let c = bucket
                .encryption
                .clone()
                .unwrap_or_else(crate::encryption::BucketEncryption::sse_s3);
            ex.body = Some(c.to_body());
        }
        Some(c) => {
            let text = match &c {
                Some(c) if c.kms_master_key_id.is_some() => format!(
                    "new objects without encryption headers will use `{}` with key `{}`; S3 does not check that the key exists — a wrong key shows up as failed uploads",
                    c.sse_algorithm,
                    c.kms_master_key_id.clone().unwrap_or_default()
                ),
                Some(c) => format!(
                    "new objects without encryption headers will use `{}`; existing objects keep their encryption",
                    c.sse_algorithm
                ),
                None => "the configuration is removed: new objects get SSE-S3 again (encryption can no longer be turned off)".to_owned(),
            };
            // Keep the SSE-C block when a request resets only the default algorithm.
            let keep_block = bucket
                .encryption
                .as_ref()
                .filter(|e| e.blocks_sse_c())
                .map(|e| e.blocked_encryption_types.clone());
            bucket.encryption = c.map(|mut c| {
                if c.blocked_encryption_types.is_empty()
                    && let Some(b) = &keep_block
                {
                    c.blocked_encryption_types.clone_from(b);
                }
                c
            });
            ex.step(GateStep::new(
                Gate::Encryption,
                StepOutcome::Info,
                text,
                docs::DEFAULT_ENCRYPTION,
            ));
            ex.effects.push(Effect::EncryptionSet {
                bucket: name.to_owned(),
            });
            // DeleteBucketEncryption answers 204 No Content
            // (<https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketEncryption.html>).
            if bucket.encryption.is_none() {
                ex.status = 204;
            }
        }
    }
    Ok(())
}
