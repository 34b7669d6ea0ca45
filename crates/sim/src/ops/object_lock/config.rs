//! Put and GetObjectLockConfiguration: Object Lock enabled on a versioned bucket, and its default
//! retention.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectLockConfiguration.html>
//! and <https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectLockConfiguration.html>.

use serde_json::json;

use super::{API_GET_CONFIG, API_PUT_CONFIG, invalid_bucket_state};
use crate::authz::Check;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::Versioning;
use crate::object_lock::{self as lock, ObjectLockConfiguration};
use crate::ops::common::{bucket_mut, bucket_ref};
use crate::ops::plan::Plan;
use crate::trace::{Effect, Gate, GateStep, StepOutcome};

/// `PutObjectLockConfiguration` (`Some`) and `GetObjectLockConfiguration` (`None`).
pub(in crate::ops) fn object_lock_config<'r>(
    ex: &mut Exchange<'r>,
    name: &'r str,
    change: Option<&'r ObjectLockConfiguration>,
) -> Result<Plan<'r>, S3Error> {
    let Some(config) = change else {
        return Ok(Plan::new(
            vec![Check::bucket("s3:GetBucketObjectLockConfiguration", name)],
            move |world, ex, _, _| match bucket_ref(world, name)?.object_lock.clone() {
                Some(c) => {
                    ex.body = Some(json!({ "ObjectLockConfiguration": c }));
                    Ok(())
                }
                None => Err(ex.reject(
                    Gate::Execution,
                    S3Error::other(
                        404,
                        "ObjectLockConfigurationNotFoundError",
                        "Object Lock configuration does not exist for this bucket",
                    ),
                    format!("`{name}` has no Object Lock configuration"),
                    API_GET_CONFIG,
                )),
            },
        ));
    };
    if config.object_lock_enabled.as_deref() != Some("Enabled") {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::MalformedXml,
            "`ObjectLockEnabled` must be `Enabled` (Object Lock can never be turned off)",
            API_PUT_CONFIG,
        ));
    }
    if let Some(d) = config.default_retention()
        && d.period_days().is_none()
    {
        let (err, why) = if d.days.is_some() && d.years.is_some() {
            (
                S3Error::MalformedXml,
                "a default retention takes `Days` or `Years`, never both",
            )
        } else if d.days.is_none() && d.years.is_none() {
            (
                S3Error::MalformedXml,
                "a default retention needs a period: `Days` or `Years`",
            )
        } else {
            (
                S3Error::InvalidArgument {
                    message: "Default retention period must be a positive integer value."
                        .to_owned(),
                },
                "the default retention period must be a positive number of days or years",
            )
        };
        return Err(ex.reject(Gate::RequestValidation, err, why, API_PUT_CONFIG));
    }
    Ok(Plan::new(
        vec![Check::bucket("s3:PutBucketObjectLockConfiguration", name)],
        move |world, ex, _, _| {
            let bucket = bucket_ref(world, name)?;
            if !bucket.object_lock_enabled() && bucket.versioning != Versioning::Enabled {
                return Err(ex.reject(
                    Gate::Execution,
                    invalid_bucket_state(
                        "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
                    ),
                    "Object Lock works on versions: enable versioning on the bucket first, then Object Lock can be turned on (for good)",
                    API_PUT_CONFIG,
                ));
            }
            let text = match config.default_retention() {
                Some(d) => format!(
                    "Object Lock is on for `{name}` and new versions get {} retention for {} day(s) unless their upload says otherwise; existing versions keep what they have; {}",
                    d.mode.as_str(),
                    d.period_days().unwrap_or(0),
                    lock::VAULT_LOCK_COMPARISON
                ),
                None => format!(
                    "Object Lock is on for `{name}` with no default retention: versions are protected only when a retention or legal hold is placed on them"
                ),
            };
            ex.step(GateStep::new(
                Gate::ObjectLock,
                StepOutcome::Info,
                text,
                lock::DOC,
            ));
            bucket_mut(world, name)?.object_lock = Some(config.clone());
            ex.effects.push(Effect::ObjectLockConfigurationSet {
                bucket: name.to_owned(),
            });
            Ok(())
        },
    ))
}
