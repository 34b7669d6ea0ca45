//! Object Ownership: Put and GetBucketOwnershipControls (ACLs enabled or disabled).
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html>.

use serde_json::json;

use super::common::{bucket_ref, last_bucket_change};
use super::plan::Plan;
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::ObjectOwnership;
use crate::trace::{Effect, Gate};
use crate::view::WorldRef;

pub(super) fn put_ownership(name: &str, ownership: ObjectOwnership) -> Plan<'_> {
    Plan::new(
        vec![Check::bucket("s3:PutBucketOwnershipControls", name)],
        move |world, ex, _, _| execute(world, ex, name, ownership),
    )
}

/// `GetBucketOwnershipControls`: the bucket's Object Ownership setting.
pub(super) fn get_ownership(name: &str) -> Plan<'_> {
    Plan::new(
        vec![Check::bucket("s3:GetBucketOwnershipControls", name)],
        move |world, ex, _, _| {
            let o = bucket_ref(world, name)?.object_ownership.as_str();
            ex.body = Some(json!({ "OwnershipControls": { "Rules": [{ "ObjectOwnership": o }] } }));
            Ok(())
        },
    )
}

fn execute(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    name: &str,
    ownership: ObjectOwnership,
) -> Result<(), S3Error> {
    let bucket = bucket_ref(world, name)?;
    if ownership == ObjectOwnership::BucketOwnerEnforced {
        let canonical = world.canonical_id(&bucket.owner);
        if bucket
            .acl
            .as_ref()
            .is_some_and(|a| !a.only_full_control_for(&bucket.owner, &canonical))
        {
            return Err(ex.reject(
                Gate::ObjectOwnership,
                S3Error::InvalidBucketAclWithObjectOwnership,
                "the bucket ACL still grants someone other than the owner; reset it to `private` before enforcing bucket-owner ownership",
                docs::OWNERSHIP_ERRORS,
            ));
        }
    }
    last_bucket_change(
        world,
        name,
        |b| &b.object_ownership,
        |b| &mut b.object_ownership,
        |o| *o = ownership,
    )?;
    ex.effects.push(Effect::OwnershipSet {
        bucket: name.to_owned(),
        object_ownership: ownership.as_str().to_owned(),
    });
    Ok(())
}
