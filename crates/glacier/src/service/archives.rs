//! Archives: UploadArchive (with its SHA-256 tree hash), DeleteArchive, and InitiateJob for an
//! archive retrieval or an inventory.
//!
//! Follows <https://docs.aws.amazon.com/amazonglacier/latest/dev/api-archive-post.html>,
//! <https://docs.aws.amazon.com/amazonglacier/latest/dev/api-archive-delete.html> and
//! <https://docs.aws.amazon.com/amazonglacier/latest/dev/api-initiate-job-post.html>.

use s3pg_policy::ContextValue;

use super::{Ctx, Glacier, id_chars};
use crate::docs;
use crate::error::{ErrorCode, GlacierError, MessageSource};
use crate::model::{Archive, DESCRIPTION_MAX_CHARS};
use crate::outcome::{GlacierOutcome, StepOutcome, VaultEffect};
use crate::treehash;

impl Glacier {
    pub(super) fn upload_archive(
        &mut self,
        ctx: &Ctx<'_>,
        body: &[u8],
        description: Option<&str>,
        sent_hash: Option<&str>,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        if let Err(e) = self.authorize_existing(ctx, &mut out, &[]) {
            return out.fail(e);
        }
        let description = description.unwrap_or_default();
        if description.chars().count() > DESCRIPTION_MAX_CHARS
            || !description.bytes().all(|b| (0x20..=0x7e).contains(&b))
        {
            out.step(
                "archive description",
                StepOutcome::Reject,
                "the description must be at most 1,024 printable ASCII characters (0x20–0x7E)",
                docs::UPLOAD_ARCHIVE,
            );
            return out.fail(GlacierError::new(
                ErrorCode::InvalidParameterValueException,
                "Invalid archive description.",
                MessageSource::Simulated,
            ));
        }
        let hash = treehash::tree_hash(body).to_hex();
        match sent_hash {
            Some(sent) if !sent.eq_ignore_ascii_case(&hash) => {
                out.step(
                    "tree hash",
                    StepOutcome::Reject,
                    format!("the request says `{sent}` but the body's SHA-256 tree hash is `{hash}`"),
                    docs::TREE_HASH,
                );
                return out.fail(
                    GlacierError::new(
                        ErrorCode::InvalidParameterValueException,
                        format!("Checksum mismatch: expected {sent} (calculated {hash})"),
                        MessageSource::Simulated,
                    )
                    .with_help("compute the tree hash over 1 MiB chunks as the Computing Checksums page describes"),
                );
            }
            Some(_) => out.step(
                "tree hash",
                StepOutcome::Pass,
                format!("`x-amz-sha256-tree-hash` matches the body: `{hash}`"),
                docs::TREE_HASH,
            ),
            None => out.step(
                "tree hash",
                StepOutcome::Info,
                format!("the client computed `x-amz-sha256-tree-hash` = `{hash}` (1 MiB chunks, pairwise SHA-256)"),
                docs::TREE_HASH,
            ),
        }
        let id = self.next_archive_id(&ctx.arn, ctx.now);
        let size = body.len() as u64;
        let archive = Archive {
            id: id.clone(),
            creation_date: ctx.now,
            size,
            sha256_tree_hash: hash.clone(),
            description: description.to_string(),
        };
        if let Some(v) = self.vaults.get_mut(&ctx.arn) {
            v.archives.push(archive);
            v.last_write = Some(ctx.now);
        }
        out.step(
            "archive",
            StepOutcome::Info,
            format!("stored {size} bytes as archive `{id}`; archives are immutable"),
            docs::UPLOAD_ARCHIVE,
        );
        out.effects.push(VaultEffect::ArchiveUploaded {
            vault_arn: ctx.arn.clone(),
            archive_id: id.clone(),
            size,
            sha256_tree_hash: hash.clone(),
        });
        let name = self
            .vaults
            .get(&ctx.arn)
            .map(|v| v.name.clone())
            .unwrap_or_default();
        out.headers.push((
            "Location".into(),
            format!("/{}/vaults/{name}/archives/{id}", ctx.account),
        ));
        out.headers.push(("x-amz-archive-id".into(), id));
        out.headers.push(("x-amz-sha256-tree-hash".into(), hash));
        out.ok(201)
    }

    pub(super) fn delete_archive(
        &mut self,
        ctx: &Ctx<'_>,
        archive_id: &str,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        let vault = self.vaults.get(&ctx.arn);
        let current = vault.and_then(|v| v.archive(archive_id));
        let deleted = vault.and_then(|v| v.deleted_archives.iter().find(|a| a.id == archive_id));
        let age = current.or(deleted).map(|a| a.age_in_days(ctx.now));
        let extra: Vec<(&str, ContextValue)> = age
            .map(|d| {
                vec![(
                    "glacier:ArchiveAgeInDays",
                    ContextValue::from(d.to_string()),
                )]
            })
            .unwrap_or_default();
        let is_current = current.is_some();
        let is_deleted = deleted.is_some();
        if let Err(e) = self.authorize_existing(ctx, &mut out, &extra) {
            return out.fail(e);
        }
        if is_deleted && !is_current {
            out.step(
                "archive",
                StepOutcome::Pass,
                format!("archive `{archive_id}` was already deleted; DeleteArchive is idempotent"),
                docs::DELETE_ARCHIVE,
            );
            return out.ok(204);
        }
        if !is_current {
            out.sim_step(
                "archive",
                StepOutcome::Reject,
                format!("no archive `{archive_id}` in `{}`; Glacier has been observed to answer an archive id from another vault with `Invalid vault name`", ctx.arn),
                docs::DELETE_ARCHIVE,
            );
            return out.fail(
                GlacierError::new(
                    ErrorCode::InvalidParameterValueException,
                    format!("Invalid vault name: {}", ctx.arn),
                    MessageSource::Observed,
                )
                .with_help(
                    "the archive id does not belong to this vault: check the vault inventory",
                ),
            );
        }
        if let Some(v) = self.vaults.get_mut(&ctx.arn)
            && let Some(i) = v.archives.iter().position(|a| a.id == archive_id)
        {
            let a = v.archives.remove(i);
            v.deleted_archives.push(a);
            v.last_write = Some(ctx.now);
        }
        out.step(
            "archive",
            StepOutcome::Info,
            format!(
                "deleted archive `{archive_id}` ({} day(s) old)",
                age.unwrap_or_default()
            ),
            docs::DELETE_ARCHIVE,
        );
        out.effects.push(VaultEffect::ArchiveDeleted {
            vault_arn: ctx.arn.clone(),
            archive_id: archive_id.to_string(),
        });
        out.ok(204)
    }

    pub(super) fn initiate_job(
        &mut self,
        ctx: &Ctx<'_>,
        job_type: &str,
        archive_id: Option<&str>,
        tier: Option<&str>,
        mut out: GlacierOutcome,
    ) -> GlacierOutcome {
        // `glacier:ArchiveAgeInDays` also applies to archive retrievals (permissions reference).
        let age = archive_id.and_then(|id| {
            self.vaults
                .get(&ctx.arn)
                .and_then(|v| v.archive(id))
                .map(|a| a.age_in_days(ctx.now))
        });
        let extra: Vec<(&str, ContextValue)> = age
            .map(|d| {
                vec![(
                    "glacier:ArchiveAgeInDays",
                    ContextValue::from(d.to_string()),
                )]
            })
            .unwrap_or_default();
        if let Err(e) = self.authorize_existing(ctx, &mut out, &extra) {
            return out.fail(e);
        }
        let tier = tier.unwrap_or("Standard");
        let invalid = |message: String| {
            GlacierError::new(
                ErrorCode::InvalidParameterValueException,
                message,
                MessageSource::Simulated,
            )
        };
        let problem = match (job_type, archive_id) {
            (_, _) if !matches!(tier, "Expedited" | "Standard" | "Bulk") => {
                Some(invalid(format!("The job tier is not valid: {tier}")))
            }
            ("archive-retrieval", None) => Some(GlacierError::new(
                ErrorCode::MissingParameterValueException,
                "Required parameter ArchiveId is missing for an archive-retrieval job.",
                MessageSource::Simulated,
            )),
            ("archive-retrieval", Some(id)) if age.is_none() => {
                Some(invalid(format!("Invalid archive ID: {id}")))
            }
            ("archive-retrieval" | "inventory-retrieval", _) => None,
            (other, _) => Some(invalid(format!("The job type is not valid: {other}"))),
        };
        if let Some(e) = problem {
            out.sim_step(
                "job parameters",
                StepOutcome::Reject,
                format!("cannot start `{job_type}` (tier `{tier}`): {}", e.message),
                docs::INITIATE_JOB,
            );
            return out.fail(e);
        }
        self.sequence += 1;
        let job_id = id_chars(
            &format!("job|{}|{}|{}", ctx.arn, self.sequence, ctx.now.0),
            92,
            64,
        );
        let name = self
            .vaults
            .get(&ctx.arn)
            .map(|v| v.name.clone())
            .unwrap_or_default();
        if let Some(v) = self.vaults.get_mut(&ctx.arn) {
            v.jobs.push(crate::model::Job {
                id: job_id.clone(),
                job_type: job_type.to_string(),
                archive_id: archive_id.map(str::to_string),
                tier: tier.to_string(),
                creation_date: ctx.now,
            });
        }
        out.sim_step(
            "job",
            StepOutcome::Info,
            format!("accepted `{job_type}` job `{job_id}` (tier `{tier}`); the simulator records the job but does not run it"),
            docs::INITIATE_JOB,
        );
        out.effects.push(VaultEffect::JobInitiated {
            vault_arn: ctx.arn.clone(),
            job_id: job_id.clone(),
        });
        out.headers.push((
            "Location".into(),
            format!("/{}/vaults/{name}/jobs/{job_id}", ctx.account),
        ));
        out.headers.push(("x-amz-job-id".into(), job_id));
        out.ok(202)
    }
}
