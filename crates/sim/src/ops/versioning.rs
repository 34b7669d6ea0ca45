//! Bucket versioning and MFA Delete: Put and GetBucketVersioning.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html> and
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html>.

use serde_json::json;

use super::common::{bucket_mut, bucket_ref};
use super::plan::Plan;
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::Versioning;
use crate::request::{MfaDeleteStatus, VersioningStatus};
use crate::trace::{Effect, Gate, GateStep, StepOutcome};
use crate::view::WorldRef;
use crate::world::{Identity, World};

pub(super) fn put_versioning<'r>(
    ex: &mut Exchange<'r>,
    id: &Identity,
    name: &'r str,
    status: VersioningStatus,
    mfa_delete: Option<MfaDeleteStatus>,
) -> Result<Plan<'r>, S3Error> {
    crate::mfa::precheck(ex, id)?;
    Ok(Plan::new(
        vec![Check::bucket("s3:PutBucketVersioning", name)],
        move |world, ex, id, _| execute(world, ex, id, name, status, mfa_delete),
    ))
}

/// `GetBucketVersioning`: the versioning status and, once versioning was ever enabled, whether
/// MFA Delete is.
pub(super) fn get_versioning(name: &str) -> Plan<'_> {
    Plan::new(
        vec![Check::bucket("s3:GetBucketVersioning", name)],
        move |world, ex, _, _| {
            let b = bucket_ref(world, name)?;
            let mut body = serde_json::Map::new();
            match b.versioning {
                Versioning::Unversioned => {}
                Versioning::Enabled => {
                    body.insert("Status".into(), json!("Enabled"));
                }
                Versioning::Suspended => {
                    body.insert("Status".into(), json!("Suspended"));
                }
            }
            if b.versioning != Versioning::Unversioned {
                body.insert(
                    "MFADelete".into(),
                    json!(if b.mfa_delete { "Enabled" } else { "Disabled" }),
                );
            }
            ex.body = Some(serde_json::Value::Object(body));
            Ok(())
        },
    )
}

fn execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    status: VersioningStatus,
    mfa_delete: Option<MfaDeleteStatus>,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    if status == VersioningStatus::Suspended && bucket.object_lock_enabled() {
        return Err(ex.reject(
            Gate::ObjectLock,
            super::object_lock::invalid_bucket_state(
                "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.",
            ),
            "Object Lock is enabled on the bucket, and Object Lock needs versioning: it can never be suspended",
            crate::object_lock::DOC_CONSIDERATIONS,
        ));
    }
    if mfa_delete == Some(MfaDeleteStatus::Enabled) && bucket.lifecycle.is_some() {
        let e = ex.reject(
            Gate::MfaDelete,
            super::object_lock::invalid_bucket_state(
                "MFA Delete cannot be enabled on a bucket with a lifecycle configuration",
            ),
            "the bucket has a lifecycle configuration, and S3 does not let MFA Delete and lifecycle be used together: delete the lifecycle configuration first",
            crate::lifecycle::DOC_OTHER_CONFIG,
        );
        if let Some(step) = ex.trace.last_mut() {
            step.undocumented = Some("AWS documents the 409 InvalidBucketState but not its message; the wording is the playground's".to_owned());
        }
        return Err(e);
    }
    let needs_mfa = mfa_delete.is_some() || bucket.mfa_delete;
    if needs_mfa {
        let why = if bucket.mfa_delete {
            "MFA Delete is enabled on the bucket, so changing the versioning state needs the owner's root user and a valid MFA code"
        } else {
            "the request changes the MFA Delete setting, which only the bucket owner's root user may do, with a valid MFA code"
        };
        let owner = bucket.owner.clone();
        crate::mfa::require(world, ex, id, &owner, why)?;
    } else {
        ex.step(GateStep::new(
            Gate::MfaDelete,
            StepOutcome::NotApplicable,
            "MFA Delete is off and the request does not change it, so no MFA code is needed",
            docs::MFA_DELETE,
        ));
    }
    let versioning = match status {
        VersioningStatus::Enabled => Versioning::Enabled,
        VersioningStatus::Suspended => Versioning::Suspended,
    };
    let mfa_delete = mfa_delete.map_or(bucket_ref(world, name)?.mfa_delete, |m| {
        m == MfaDeleteStatus::Enabled
    });
    // The settings are the execution's last change and nothing after reads them: a dry run that
    // has not copied the world leaves them out rather than copy the world for them.
    if world.keeps_writes() {
        let w: &mut World = world;
        let bucket = bucket_mut(w, name)?;
        bucket.versioning = versioning;
        bucket.mfa_delete = mfa_delete;
    }
    ex.effects.push(Effect::VersioningSet {
        bucket: name.to_owned(),
        status: format!("{versioning:?}"),
        mfa_delete,
    });
    Ok(())
}
