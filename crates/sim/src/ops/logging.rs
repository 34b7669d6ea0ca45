//! Server access logging configuration: Put and GetBucketLogging, and the playground's search
//! of the delivered logs.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html>.

use serde_json::json;

use super::common::{bucket_mut, bucket_ref};
use super::plan::Plan;
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::trace::{Gate, GateStep, StepOutcome};
use crate::world::World;

/// `PutBucketLogging`: checks the target (same account and Region), then stores the
/// configuration; logging a bucket into itself is allowed but warned about.
pub(super) fn put_bucket_logging(
    name: &str,
    config: Option<crate::audit::BucketLogging>,
) -> Plan<'_> {
    Plan::new(
        vec![Check::bucket("s3:PutBucketLogging", name)],
        move |world, ex, _, _| execute(world, ex, name, config),
    )
}

/// `GetBucketLogging`: the bucket's logging target, or an empty configuration.
pub(super) fn get_bucket_logging(name: &str) -> Plan<'_> {
    Plan::new(
        vec![Check::bucket("s3:GetBucketLogging", name)],
        move |world, ex, _, _| {
            let l = &bucket_ref(world, name)?.logging;
            ex.body = Some(match l {
                Some(l) => {
                    json!({ "LoggingEnabled": { "TargetBucket": l.target_bucket, "TargetPrefix": l.target_prefix } })
                }
                None => json!({}),
            });
            Ok(())
        },
    )
}

/// The playground's own log search: it reads what was delivered (access logs and CloudTrail
/// records) and needs no permission.
pub(super) fn query_logs(query: &str) -> Plan<'_> {
    Plan::new(Vec::new(), move |world, ex, _, _| {
        match world.query_logs(query) {
            Ok(body) => {
                ex.body = Some(body);
                ex.step(GateStep::new(
                    Gate::Audit,
                    StepOutcome::Info,
                    format!("searched the delivered access logs and the CloudTrail records with `{query}`"),
                    docs::ACCESS_LOGS,
                ));
                Ok(())
            }
            Err(e) => Err(ex.reject(
                Gate::RequestValidation,
                S3Error::InvalidArgument { message: e.clone() },
                format!("the log query cannot be read: {e}"),
                docs::ACCESS_LOGS,
            )),
        }
    })
}

fn execute(
    world: &mut World,
    ex: &mut Exchange<'_>,
    name: &str,
    config: Option<crate::audit::BucketLogging>,
) -> Result<(), S3Error> {
    if let Some(c) = &config
        && let Err((status, code, message, help)) = crate::audit::validate(world, name, c)
    {
        return Err(ex.reject(
            Gate::RequestValidation,
            S3Error::other(status, &code, &message),
            format!("{message}; {help}"),
            docs::ACCESS_LOGS,
        ));
    }
    let enabled = config.is_some();
    bucket_mut(world, name)?.logging = config;
    crate::audit::logging_changed(world, name);
    let mut text = if enabled {
        "server access logging is on: every request to this bucket is recorded and delivered later by the log delivery service, which needs permission to write into the target bucket".to_owned()
    } else {
        "server access logging is off".to_owned()
    };
    if let Some(w) = crate::audit::recursion_warning(world, name) {
        text = format!("{text}; {w}");
    }
    ex.step(GateStep::new(
        Gate::Audit,
        StepOutcome::Info,
        text,
        docs::ACCESS_LOGS,
    ));
    Ok(())
}
