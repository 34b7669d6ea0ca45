//! Object Ownership: PutBucketOwnershipControls (ACLs enabled or disabled).
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html>.

use super::common::{authorize, bucket_mut, bucket_ref};
use crate::authz::Check;
use crate::docs;
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::ObjectOwnership;
use crate::pipeline::WorldRef;
use crate::trace::{Effect, Gate};
use crate::world::Identity;

pub(super) fn put_ownership(
    world: &mut WorldRef<'_>,
    ex: &mut Exchange<'_>,
    id: &Identity,
    name: &str,
    ownership: ObjectOwnership,
) -> Result<(), S3Error> {
    authorize(
        world,
        ex,
        id,
        &[Check::bucket("s3:PutBucketOwnershipControls", name)],
    )?;
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
    bucket_mut(world, name)?.object_ownership = ownership;
    ex.effects.push(Effect::OwnershipSet {
        bucket: name.to_owned(),
        object_ownership: ownership.as_str().to_owned(),
    });
    Ok(())
}
