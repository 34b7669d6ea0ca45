//! `aws s3 …`: the high-level commands, each expanded into the S3 requests the CLI makes
//! (`ls` is ListBuckets or ListObjectsV2 with delimiter `/`; a download is HeadObject then
//! GetObject; `rm --recursive` and `rb --force` list and then delete key by key), printed as the
//! CLI prints them (`upload: ./f to s3://b/k`, `delete failed: … An error occurred …`).
//! Follows the AWS CLI s3 reference (<https://docs.aws.amazon.com/cli/latest/reference/s3/>).

use serde_json::Value;

use s3pg_sigv4::{AmzDateTime, Credentials};
use s3pg_sim::request::Operation;

use super::headers::{Flag, grant_headers, headers, sse_c_headers};
use super::output::{error_sentence, human_size, ls_time};
use super::{
    CONFIGURATION_ERROR_EXIT_CODE, GENERAL_ERROR_EXIT_CODE, Run, Stop, TRANSFER_FAILED_EXIT_CODE,
    local_name,
};
use crate::command::{CpOptions, Location, S3Command, S3Uri};
use crate::presign_url;

/// A local path as the CLI shows it in transfer lines: relative to the working directory,
/// with `./` in front of a file that sits directly in it.
fn display_local(path: &str) -> String {
    if path.starts_with('/') {
        return path.to_owned();
    }
    let name = local_name(path);
    if name.contains('/') {
        name
    } else {
        format!("./{name}")
    }
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_dir_like(path: &str) -> bool {
    path.is_empty() || path == "." || path == "./" || path.ends_with('/')
}

fn join_local(dir: &str, name: &str) -> String {
    let dir = local_name(dir);
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() || dir == "." {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// The headers an upload or copy carries from `aws s3 cp` options.
fn write_headers(o: &CpOptions) -> Vec<(&'static str, String)> {
    let mut headers = headers([
        (Flag::Acl, o.acl.as_deref()),
        (Flag::ServerSideEncryption, o.sse.as_deref()),
        (Flag::SseKmsKeyId, o.sse_kms_key_id.as_deref()),
        (Flag::ContentType, o.content_type.as_deref()),
        (Flag::StorageClass, o.storage_class.as_deref()),
    ]);
    headers.extend(sse_c_headers(
        o.sse_c.as_deref(),
        o.sse_c_key.as_deref(),
        None,
    ));
    headers.extend(grant_headers(&o.grants));
    headers
}

impl Run<'_> {
    /// Runs one `aws s3` command; returns the exit status.
    pub(crate) fn s3(&mut self, command: S3Command) -> Result<u8, Stop> {
        match command {
            S3Command::Ls {
                path,
                recursive,
                human_readable,
                summarize,
            } => self.ls(path, recursive, human_readable, summarize),
            S3Command::Cp {
                source,
                destination,
                options,
            } => self.cp(source, destination, &options),
            S3Command::Rm {
                path,
                recursive,
                dryrun,
            } => self.rm(&path, recursive, dryrun),
            S3Command::Mb { bucket } => {
                let region = self.console.region(&self.globals);
                let o = self.send(
                    Operation::CreateBucket {
                        bucket: bucket.clone(),
                        region: (region != "us-east-1").then_some(region),
                        object_ownership: None,
                    },
                    &[],
                );
                if Self::service_error(&o).is_some() {
                    self.out.stderr.push_str(&format!(
                        "make_bucket failed: s3://{bucket} {}\n",
                        error_sentence(&o)
                    ));
                    return Ok(TRANSFER_FAILED_EXIT_CODE);
                }
                self.print(&format!("make_bucket: {bucket}\n"));
                Ok(0)
            }
            S3Command::Rb { bucket, force } => {
                if force {
                    let uri = S3Uri {
                        bucket: bucket.clone(),
                        key: String::new(),
                    };
                    let rc = match self.rm(&uri, true, false) {
                        Ok(rc) => rc,
                        Err(stop) => {
                            self.out.stderr.push_str(&stop.stderr);
                            stop.code
                        }
                    };
                    if rc != 0 {
                        return Err(Stop::new(
                            "\nremove_bucket failed: Unable to delete all objects in the bucket, bucket will not be deleted.\n",
                            GENERAL_ERROR_EXIT_CODE,
                        ));
                    }
                }
                let o = self.send(
                    Operation::DeleteBucket {
                        bucket: bucket.clone(),
                    },
                    &[],
                );
                if Self::service_error(&o).is_some() {
                    self.out.stderr.push_str(&format!(
                        "remove_bucket failed: s3://{bucket} {}\n",
                        error_sentence(&o)
                    ));
                    return Ok(TRANSFER_FAILED_EXIT_CODE);
                }
                self.print(&format!("remove_bucket: {bucket}\n"));
                Ok(0)
            }
            S3Command::Presign { path, expires_in } => self.presign(&path, expires_in),
        }
    }

    fn ls(
        &mut self,
        path: Option<S3Uri>,
        recursive: bool,
        human_readable: bool,
        summarize: bool,
    ) -> Result<u8, Stop> {
        let size_text = |size: u64| {
            if human_readable {
                human_size(size)
            } else {
                size.to_string()
            }
        };
        let Some(path) = path else {
            let o = self.send(Operation::ListBuckets {}, &[]);
            Self::fail_if_error(&o)?;
            let buckets = o
                .body
                .as_ref()
                .and_then(|b| b.get("Buckets"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for b in buckets {
                let when = b
                    .get("CreationDate")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let name = b.get("Name").and_then(Value::as_str).unwrap_or_default();
                self.print(&format!("{} {name}\n", ls_time(when)));
            }
            return Ok(0);
        };
        let delimiter = (!recursive).then(|| "/".to_owned());
        let (contents, prefixes) =
            self.list_all(&path.bucket, Some(path.key.clone()), delimiter, None, None)?;
        let mut total_size = 0u64;
        for p in &prefixes {
            let prefix = p.get("Prefix").and_then(Value::as_str).unwrap_or_default();
            let parts: Vec<&str> = prefix.split('/').collect();
            let name = parts
                .len()
                .checked_sub(2)
                .and_then(|i| parts.get(i))
                .copied()
                .unwrap_or_default();
            self.print(&format!("{:>30} {name}/\n", "PRE"));
        }
        for c in &contents {
            let key = c.get("Key").and_then(Value::as_str).unwrap_or_default();
            let size = c.get("Size").and_then(Value::as_u64).unwrap_or(0);
            total_size += size;
            let when = c
                .get("LastModified")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let name = if recursive { key } else { basename(key) };
            self.print(&format!(
                "{:<19} {:>10} {name}\n",
                ls_time(when),
                size_text(size)
            ));
        }
        if summarize {
            self.print(&format!(
                "\nTotal Objects: {}\n   Total Size: {}\n",
                contents.len(),
                size_text(total_size)
            ));
        }
        // The CLI returns 1 when a prefix was given and nothing matched.
        if !path.key.is_empty() && contents.is_empty() && prefixes.is_empty() {
            return Ok(TRANSFER_FAILED_EXIT_CODE);
        }
        Ok(0)
    }

    fn cp(
        &mut self,
        source: Location,
        destination: Location,
        options: &CpOptions,
    ) -> Result<u8, Stop> {
        match (source, destination) {
            (Location::Local(src), Location::S3(dst)) => self.upload(&src, &dst, options),
            (Location::S3(src), Location::Local(dst)) => self.download(&src, &dst, options),
            (Location::S3(src), Location::S3(dst)) => self.copy(&src, &dst, options),
            (Location::Local(_), Location::Local(_)) => Ok(0),
        }
    }

    /// `aws s3 cp LOCAL s3://…`: one `PutObject` per file (every file under a directory with `--recursive`).
    fn upload(&mut self, src: &str, dst: &S3Uri, options: &CpOptions) -> Result<u8, Stop> {
        let dry = if options.dryrun { "(dryrun) " } else { "" };
        let files: Vec<(String, String)> = if options.recursive {
            let dir = local_name(src);
            let dir = dir.trim_end_matches('/').to_owned();
            let under: Vec<(String, String)> = self
                .console
                .files
                .keys()
                .filter_map(|name| {
                    let rel = if dir.is_empty() || dir == "." {
                        Some(name.as_str())
                    } else {
                        name.strip_prefix(&format!("{dir}/"))
                    }?;
                    let key = if dst.key.is_empty() || dst.key.ends_with('/') {
                        format!("{}{rel}", dst.key)
                    } else {
                        format!("{}/{rel}", dst.key)
                    };
                    Some((name.clone(), key))
                })
                .collect();
            if under.is_empty() {
                return Err(Stop::new(
                    format!("\nThe user-provided path {src} does not exist.\n"),
                    GENERAL_ERROR_EXIT_CODE,
                ));
            }
            under
        } else {
            if self.console.file(src).is_none() {
                return Err(Stop::new(
                    format!("\nThe user-provided path {src} does not exist.\n"),
                    GENERAL_ERROR_EXIT_CODE,
                ));
            }
            let key = if dst.key.is_empty() || dst.key.ends_with('/') {
                format!("{}{}", dst.key, basename(&local_name(src)))
            } else {
                dst.key.clone()
            };
            vec![(src.to_owned(), key)]
        };
        let mut failed = false;
        for (file, key) in files {
            let shown = format!("{} to s3://{}/{key}", display_local(&file), dst.bucket);
            if options.dryrun {
                self.print(&format!("{dry}upload: {shown}\n"));
                continue;
            }
            let body = self
                .console
                .file(&file)
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            let o = self.send(
                Operation::PutObject {
                    bucket: dst.bucket.clone(),
                    key,
                    body,
                },
                &write_headers(options),
            );
            if Self::service_error(&o).is_some() {
                failed = true;
                self.out
                    .stderr
                    .push_str(&format!("upload failed: {shown} {}\n", error_sentence(&o)));
            } else {
                self.print(&format!("upload: {shown}\n"));
            }
        }
        Ok(if failed { TRANSFER_FAILED_EXIT_CODE } else { 0 })
    }

    /// `aws s3 cp s3://… LOCAL`: a `HeadObject` first (a missing key ends the command), then one `GetObject` per key.
    fn download(&mut self, src: &S3Uri, dst: &str, options: &CpOptions) -> Result<u8, Stop> {
        let dry = if options.dryrun { "(dryrun) " } else { "" };
        let read_headers =
            sse_c_headers(options.sse_c.as_deref(), options.sse_c_key.as_deref(), None);
        let items: Vec<(String, String)> = if options.recursive {
            let (contents, _) = self
                .list_all(&src.bucket, Some(src.key.clone()), None, None, None)
                .map_err(fatal)?;
            contents
                .iter()
                .filter_map(|c| c.get("Key").and_then(Value::as_str))
                .map(|key| {
                    let rel = key.strip_prefix(&src.key).unwrap_or(key);
                    let rel = rel.trim_start_matches('/');
                    (key.to_owned(), join_local(dst, rel))
                })
                .collect()
        } else {
            // The CLI looks the object up first; a missing key ends the command.
            let o = self.send(
                Operation::HeadObject {
                    bucket: src.bucket.clone(),
                    key: src.key.clone(),
                    version_id: None,
                },
                &read_headers,
            );
            if Self::service_error(&o).is_some() {
                let sentence = if o.status == 404 {
                    format!(
                        "An error occurred (404) when calling the HeadObject operation: Key \"{}\" does not exist",
                        src.key
                    )
                } else {
                    error_sentence(&o)
                };
                return Err(Stop::new(
                    format!("fatal error: {sentence}\n"),
                    TRANSFER_FAILED_EXIT_CODE,
                ));
            }
            let target = if is_dir_like(dst) {
                join_local(dst, basename(&src.key))
            } else {
                local_name(dst)
            };
            vec![(src.key.clone(), target)]
        };
        let mut failed = false;
        for (key, target) in items {
            let shown = format!("s3://{}/{key} to {}", src.bucket, display_local(&target));
            if options.dryrun {
                self.print(&format!("{dry}download: {shown}\n"));
                continue;
            }
            let o = self.send(
                Operation::GetObject {
                    bucket: src.bucket.clone(),
                    key: key.clone(),
                    version_id: None,
                },
                &read_headers,
            );
            if Self::service_error(&o).is_some() {
                failed = true;
                self.out.stderr.push_str(&format!(
                    "download failed: {shown} {}\n",
                    error_sentence(&o)
                ));
                continue;
            }
            let body = o
                .body
                .as_ref()
                .and_then(|b| b.get("Body"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            self.console.add_file(&target, body);
            self.print(&format!("download: {shown}\n"));
        }
        Ok(if failed { TRANSFER_FAILED_EXIT_CODE } else { 0 })
    }

    /// `aws s3 cp s3://… s3://…`: one `CopyObject` per key.
    fn copy(&mut self, src: &S3Uri, dst: &S3Uri, options: &CpOptions) -> Result<u8, Stop> {
        let dry = if options.dryrun { "(dryrun) " } else { "" };
        let items: Vec<(String, String)> = if options.recursive {
            let (contents, _) = self
                .list_all(&src.bucket, Some(src.key.clone()), None, None, None)
                .map_err(fatal)?;
            contents
                .iter()
                .filter_map(|c| c.get("Key").and_then(Value::as_str))
                .map(|key| {
                    let rel = key.strip_prefix(&src.key).unwrap_or(key);
                    let rel = rel.trim_start_matches('/');
                    let target = if dst.key.is_empty() || dst.key.ends_with('/') {
                        format!("{}{rel}", dst.key)
                    } else {
                        format!("{}/{rel}", dst.key)
                    };
                    (key.to_owned(), target)
                })
                .collect()
        } else {
            let o = self.send(
                Operation::HeadObject {
                    bucket: src.bucket.clone(),
                    key: src.key.clone(),
                    version_id: None,
                },
                &[],
            );
            if Self::service_error(&o).is_some() {
                let sentence = if o.status == 404 {
                    format!(
                        "An error occurred (404) when calling the HeadObject operation: Key \"{}\" does not exist",
                        src.key
                    )
                } else {
                    error_sentence(&o)
                };
                return Err(Stop::new(
                    format!("fatal error: {sentence}\n"),
                    TRANSFER_FAILED_EXIT_CODE,
                ));
            }
            let target = if dst.key.is_empty() || dst.key.ends_with('/') {
                format!("{}{}", dst.key, basename(&src.key))
            } else {
                dst.key.clone()
            };
            vec![(src.key.clone(), target)]
        };
        let mut failed = false;
        for (key, target) in items {
            let shown = format!("s3://{}/{key} to s3://{}/{target}", src.bucket, dst.bucket);
            if options.dryrun {
                self.print(&format!("{dry}copy: {shown}\n"));
                continue;
            }
            let o = self.send(
                Operation::CopyObject {
                    bucket: dst.bucket.clone(),
                    key: target,
                    source_bucket: src.bucket.clone(),
                    source_key: key,
                    source_version_id: None,
                },
                &write_headers(options),
            );
            if Self::service_error(&o).is_some() {
                failed = true;
                self.out
                    .stderr
                    .push_str(&format!("copy failed: {shown} {}\n", error_sentence(&o)));
            } else {
                self.print(&format!("copy: {shown}\n"));
            }
        }
        Ok(if failed { TRANSFER_FAILED_EXIT_CODE } else { 0 })
    }

    fn rm(&mut self, path: &S3Uri, recursive: bool, dryrun: bool) -> Result<u8, Stop> {
        let keys: Vec<String> = if recursive {
            let (contents, _) = self
                .list_all(&path.bucket, Some(path.key.clone()), None, None, None)
                .map_err(fatal)?;
            contents
                .iter()
                .filter_map(|c| c.get("Key").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        } else {
            vec![path.key.clone()]
        };
        let mut failed = false;
        for key in keys {
            let shown = format!("s3://{}/{key}", path.bucket);
            if dryrun {
                self.print(&format!("(dryrun) delete: {shown}\n"));
                continue;
            }
            let o = self.send(
                Operation::DeleteObject {
                    bucket: path.bucket.clone(),
                    key,
                    version_id: None,
                },
                &[],
            );
            if Self::service_error(&o).is_some() {
                failed = true;
                self.out
                    .stderr
                    .push_str(&format!("delete failed: {shown} {}\n", error_sentence(&o)));
            } else {
                self.print(&format!("delete: {shown}\n"));
            }
        }
        Ok(if failed { TRANSFER_FAILED_EXIT_CODE } else { 0 })
    }

    fn presign(&mut self, path: &S3Uri, expires_in: i64) -> Result<u8, Stop> {
        // The profile's keys as the world stores them: a declared secret, or the world's
        // deterministic one; role sessions sign with their session token too.
        let Some((id, key)) = self
            .profile
            .access_key_id
            .clone()
            .and_then(|id| self.world.signer_key(&id).map(|k| (id, k)))
        else {
            // The profile exists (other commands sign as its principal), but a URL needs an
            // access key to sign with: say which, rather than the CLI's "no credentials".
            return Err(Stop::new(
                format!(
                    "\nthe profile `{}` ({}) has no access key in this world, so there is nothing to sign the URL with\nhelp: AWS recommends that a root user keeps no access keys; presign with the profile of an IAM user or role session that has one, or declare `accessKeys` for this principal in the scenario\n",
                    self.profile.name, self.profile.arn
                ),
                CONFIGURATION_ERROR_EXIT_CODE,
            ));
        };
        let secret = self.profile.secret_access_key.clone().unwrap_or(key.secret);
        let mut credentials = Credentials::new(&id, &secret);
        if let Some(token) = &key.session_token {
            credentials = credentials.with_session_token(token);
        }
        let region = self.console.region(&self.globals);
        let now = AmzDateTime::from_unix_seconds(i64::try_from(self.now.0).unwrap_or(i64::MAX));
        let url = presign_url(path, expires_in, &credentials, &region, now)
            .map_err(|e| Stop::new(format!("\n{e}\n"), GENERAL_ERROR_EXIT_CODE))?;
        self.print(&format!("{url}\n"));
        Ok(0)
    }
}

/// A listing that fails inside a transfer command ends it: `fatal error: An error occurred …`.
fn fatal(stop: Stop) -> Stop {
    let sentence = stop.stderr.trim().to_owned();
    Stop::new(
        format!("fatal error: {sentence}\n"),
        TRANSFER_FAILED_EXIT_CODE,
    )
}
