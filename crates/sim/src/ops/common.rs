//! What the operations share: the quiet probe behind S3's 403-versus-404 (the one permission an
//! execution may ask the decider about itself), how a failed encryption step decides, and small
//! helpers. The authorization stage itself is [`crate::pipeline`]'s.
//!
//! Follows <https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>.

use crate::acl::{CannedAcl, Grant};
use crate::authz::{self, Check};
use crate::error::S3Error;
use crate::exchange::Exchange;
use crate::model::Bucket;
use crate::trace::{Decision, GateStep};
use crate::view::WorldRef;
use crate::world::{Identity, World};

/// Sets a field of a JSON object (no-op on other values).
pub(super) fn set(value: &mut serde_json::Value, key: &str, field: serde_json::Value) {
    if let Some(map) = value.as_object_mut() {
        map.insert(key.to_owned(), field);
    }
}

/// An ACL given in headers: the canned ACL, or the explicit grants.
pub(super) type HeaderAcl = Option<(Option<CannedAcl>, Vec<Grant>)>;

pub(super) fn bucket_ref<'w>(world: &'w World, name: &str) -> Result<&'w Bucket, S3Error> {
    world.buckets.get(name).ok_or(S3Error::NoSuchBucket)
}

pub(super) fn bucket_mut<'w>(world: &'w mut World, name: &str) -> Result<&'w mut Bucket, S3Error> {
    world.buckets.get_mut(name).ok_or(S3Error::NoSuchBucket)
}

/// Applies `change` to one setting of bucket `name` (`get` reads it, `get_mut` writes it) as the
/// execution's last change: nothing after it in the request reads that setting (auditing reads
/// the bucket's region, owner and logging only). A dry run that has not copied the world works
/// the change out on a copy of the setting alone and drops it, so a dry-run bucket setting never
/// copies the world; the change and what it returns are the same code either way.
pub(super) fn last_bucket_change<F: Clone, T>(
    world: &mut WorldRef<'_>,
    name: &str,
    get: impl FnOnce(&Bucket) -> &F,
    get_mut: impl FnOnce(&mut Bucket) -> &mut F,
    change: impl FnOnce(&mut F) -> T,
) -> Result<T, S3Error> {
    if world.keeps_writes() {
        let w: &mut World = world;
        return Ok(change(get_mut(bucket_mut(w, name)?)));
    }
    let mut scratch = get(bucket_ref(world, name)?).clone();
    Ok(change(&mut scratch))
}

/// Authorizes without recording (used for the `s3:ListBucket` probe behind 403 vs 404).
pub(super) fn quietly_allowed(
    world: &World,
    ex: &Exchange<'_>,
    id: &Identity,
    check: &Check,
) -> bool {
    authz::authorize(world, id, ex.req, ex.now, check).decision == Decision::Allow
}

/// Records the steps of a failed encryption stage; the last one decides.
pub(crate) fn fail_with_steps(
    ex: &mut Exchange<'_>,
    mut steps: Vec<GateStep>,
    decision: Option<Decision>,
    e: &S3Error,
) {
    let last = steps.pop();
    ex.trace.extend(steps);
    if let Some(mut last) = last {
        last = last.compare("response", format!("{} {}", e.status(), e.code()));
        ex.push_deciding(last);
        if let Some(d) = decision
            && d != Decision::Allow
        {
            ex.decision = Some(d);
            if let Some(dc) = &mut ex.deciding {
                dc.action = ex
                    .trace
                    .last()
                    .and_then(|s| s.action.as_deref().map(str::to_owned));
            }
        }
    }
}
