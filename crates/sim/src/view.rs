//! The world a request runs against: the live world (`World::handle`) or a dry run's
//! copy-on-write view (`World::authorize`). Stages read through it as a `&World` and write
//! through it as a `&mut World`; a dry run copies the world only at the first write, so a read
//! or a denied request costs no copy. [`crate::pipeline`] explains the stages that use it.
//!
//! Some writes need no copy at all, because the view can answer them itself: the sequence
//! (request and version ids), the entropy draws (the view counts them and derives the same
//! stream), and an execution's last change, which nothing after it in the request reads
//! ([`WorldRef::keeps_writes`]: a dry run without a copy works out what the change returns and
//! drops it — a new version's id in `ops::versions::store_version`, a bucket setting in
//! `ops::common::last_bucket_change`, an object's ACL). That is what lets an authorized SSE-S3
//! PutObject, PutBucketPolicy or PutObjectAcl be dry-run without copying the world.
//!
//! Follows no AWS page: it is how the playground keeps a dry run from changing the world
//! (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html>
//! is what the dry run answers).

use std::ops::{Deref, DerefMut};

use crate::world::World;

/// The world a request runs against: the live world, or a dry run's copy-on-write view.
pub(crate) enum WorldRef<'w> {
    /// `World::handle`: changes land in the world.
    Live(&'w mut World),
    /// `World::authorize`: reads go to `base` until a stage needs to write; then `base` is copied
    /// once and the stage writes to the copy, which is dropped with the dry run.
    DryRun {
        base: &'w World,
        copy: Option<Box<World>>,
        /// The sequence as the request has advanced it (request ids) before any copy.
        sequence: u64,
        /// The entropy draws as the request has advanced them before any copy.
        draws: u64,
    },
}

impl<'w> WorldRef<'w> {
    /// A dry run over `world`.
    pub(crate) fn dry_run(world: &'w World) -> Self {
        WorldRef::DryRun {
            base: world,
            copy: None,
            sequence: world.sequence,
            draws: world.entropy.draws,
        }
    }

    /// False for a dry run that has not copied the world: what it writes is not kept, so a write
    /// whose only visible result is computed without it (a version id) may be elided, and work
    /// done only for what would be stored (sealing an SSE-S3 body) may be skipped.
    pub(crate) fn keeps_writes(&self) -> bool {
        !matches!(self, WorldRef::DryRun { copy: None, .. })
    }

    /// The number of the next entropy draw (advances the count, without copying a dry run's
    /// world); [`crate::world::WorldEntropy::stream`] derives the draw's bytes.
    pub(crate) fn next_draw(&mut self) -> u64 {
        match self {
            WorldRef::Live(w) => w.entropy.next_draw(),
            WorldRef::DryRun { copy: Some(c), .. } => c.entropy.next_draw(),
            WorldRef::DryRun {
                copy: None, draws, ..
            } => {
                *draws = draws.wrapping_add(1);
                *draws
            }
        }
    }

    /// The next sequence number (version ids, request ids), without copying a dry run's world.
    pub(crate) fn next_seq(&mut self) -> u64 {
        match self {
            WorldRef::Live(w) => w.next_seq(),
            WorldRef::DryRun { copy: Some(c), .. } => c.next_seq(),
            WorldRef::DryRun {
                copy: None,
                sequence,
                ..
            } => {
                *sequence = sequence.wrapping_add(1);
                *sequence
            }
        }
    }

    /// A fresh request id (advances the sequence).
    pub(crate) fn next_request_id(&mut self) -> String {
        let seq = self.next_seq();
        crate::world::request_id(seq)
    }
}

impl Deref for WorldRef<'_> {
    type Target = World;

    fn deref(&self) -> &World {
        match self {
            WorldRef::Live(w) => w,
            WorldRef::DryRun { copy: Some(c), .. } => c,
            WorldRef::DryRun { base, .. } => base,
        }
    }
}

impl DerefMut for WorldRef<'_> {
    fn deref_mut(&mut self) -> &mut World {
        match self {
            WorldRef::Live(w) => w,
            WorldRef::DryRun {
                base,
                copy,
                sequence,
                draws,
            } => copy.get_or_insert_with(|| {
                let mut c = Box::new((*base).clone());
                c.sequence = *sequence;
                c.entropy.draws = *draws;
                c
            }),
        }
    }
}
