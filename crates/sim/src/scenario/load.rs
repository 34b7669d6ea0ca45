//! Loading a scenario: JSON text to a [`Scenario`], with every problem reported where it is
//! (JSON path, line:column) and with a `help` line — unknown fields, times off the calendar, a
//! clock that runs backwards, policies S3 would refuse, `${name}` used before a step saves it,
//! facts `stored` does not know.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use super::{Scenario, expect, saved};
use crate::public;
use crate::time::Timestamp;

/// A problem with a scenario document: where it is, what is wrong, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoadError {
    /// JSON path (`steps[2].request.operation`), empty for the whole document.
    pub path: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What is wrong (lowercase, no final period).
    pub message: String,
    /// What to do.
    pub help: Option<String>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: ", self.line, self.column)?;
        }
        if !self.path.is_empty() {
            write!(f, "at `{}`: ", self.path)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// The JSON path of the value at byte `offset` of `text` (best effort, never panics).
pub fn json_path_at(text: &str, offset: usize) -> String {
    #[derive(Debug)]
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let mut stack: Vec<Frame> = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut pending_key: Option<String> = None;
    let end = offset.min(bytes.len());
    while i < end {
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'{' => {
                stack.push(Frame::Object(None));
                pending_key = None;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Array(n)) = stack.last_mut() {
                    *n += 1;
                } else if let Some(Frame::Object(k)) = stack.last_mut() {
                    *k = None;
                }
            }
            b':' => {
                if let Some(Frame::Object(k)) = stack.last_mut() {
                    *k = pending_key.take();
                }
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() {
                    match bytes.get(i) {
                        Some(b'\\') => i += 2,
                        Some(b'"') => break,
                        _ => i += 1,
                    }
                }
                let s = text.get(start..i.min(text.len())).unwrap_or("").to_owned();
                if let Some(Frame::Object(None)) = stack.last() {
                    pending_key = Some(s);
                }
            }
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for f in &stack {
        match f {
            Frame::Object(Some(k)) => {
                let plain = !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
                if plain {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                } else {
                    path.push_str(&format!("[{k:?}]"));
                }
            }
            Frame::Object(None) => {
                if let Some(k) = &pending_key {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                }
            }
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    path
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            return off + column.saturating_sub(1).min(l.len());
        }
        off += l.len();
    }
    text.len()
}

fn help_for(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some("remove the field or fix its spelling; tests/README.md lists every field".to_owned())
    } else if message.starts_with("missing field") {
        Some("add the field; tests/README.md shows a complete example".to_owned())
    } else if message.starts_with("unknown variant") {
        Some("use one of the listed names (they are case-sensitive)".to_owned())
    } else if message.contains("invalid time") {
        Some("write times as `2026-01-01T00:00:00Z`".to_owned())
    } else if message.starts_with("invalid type") {
        Some("check the value's type against tests/scenario.schema.json".to_owned())
    } else if message.contains("EOF")
        || message.starts_with("expected")
        || message.starts_with("trailing")
    {
        Some(
            "the file is not valid JSON; check brackets, commas and quotes near this place"
                .to_owned(),
        )
    } else {
        None
    }
}

impl Scenario {
    /// Loads a scenario from JSON text: parses, rejects unknown fields, fills defaults and checks
    /// the world (policies parse, references exist, MFA secrets decode).
    pub fn from_json(text: &str) -> Result<Scenario, LoadError> {
        let mut scenario: Scenario = serde_json::from_str(text).map_err(|e| {
            let (line, column) = (e.line(), e.column());
            let raw = e.to_string();
            let message = raw.split(" at line ").next().unwrap_or(&raw).to_owned();
            let path = json_path_at(text, offset_of(text, line, column));
            LoadError {
                path,
                line,
                column,
                help: help_for(&message),
                message: lowercase_first(&message),
            }
        })?;
        scenario.world.normalize();
        // State declared without times existed at the start of the scenario.
        let start = scenario.start;
        for bucket in scenario.world.buckets.values_mut() {
            if bucket.created == Timestamp(0) {
                bucket.created = start;
            }
            for entry in bucket.objects.values_mut() {
                for v in &mut entry.versions {
                    if v.last_modified == Timestamp(0) {
                        v.last_modified = start;
                    }
                }
            }
        }
        scenario.check(text)?;
        scenario.check_steps(text)?;
        Ok(scenario)
    }

    /// Refuses what the clock, IAM or S3 would not accept in the scenario's world, each refusal
    /// with its JSON path and line:column in `text`.
    fn check(&self, text: &str) -> Result<(), LoadError> {
        let at = |path: String, message: String, help: Option<&str>| {
            let (line, column) = locate_path(text, &path);
            LoadError {
                path,
                line,
                column,
                message,
                help: help.map(str::to_owned),
            }
        };
        self.check_clock(&at)?;
        self.check_accounts(&at)?;
        self.check_buckets(text, &at)
    }

    /// The simulated clock only moves forward.
    fn check_clock(
        &self,
        at: &impl Fn(String, String, Option<&str>) -> LoadError,
    ) -> Result<(), LoadError> {
        // The simulated clock only moves forward: a step's `at` may not be before the time the
        // previous step ran (the start, for the first step).
        let mut now = self.start;
        for (i, step) in self.steps.iter().enumerate() {
            if let Some(t) = step.at {
                if t < now {
                    return Err(at(
                        format!("steps[{i}].at"),
                        format!(
                            "step {} would move the clock backwards: `at` is `{t}`, but the scenario is already at `{now}`",
                            i + 1
                        ),
                        Some(
                            "give steps times in order, or use `afterSeconds` to move the clock forward",
                        ),
                    ));
                }
                now = t;
            }
            now = now.plus(step.after_seconds.unwrap_or(0));
        }
        Ok(())
    }

    /// Account ids of 12 digits; users' policies that parse, groups that exist, MFA secrets
    /// that decode; SCPs that parse.
    fn check_accounts(
        &self,
        at: &impl Fn(String, String, Option<&str>) -> LoadError,
    ) -> Result<(), LoadError> {
        for (id, account) in &self.world.accounts {
            if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(at(
                    format!("world.accounts.{id}"),
                    format!("account id `{id}` is not 12 digits"),
                    Some("use ids such as `111122223333`"),
                ));
            }
            for (name, user) in &account.users {
                for (i, p) in user.policies.iter().enumerate() {
                    if let Err(e) = public::parse_policy(&p.document) {
                        return Err(at(
                            format!("world.accounts.{id}.users.{name}.policies[{i}].document"),
                            format!("policy `{}` does not parse: {e}", p.name),
                            None,
                        ));
                    }
                }
                for g in &user.groups {
                    if !account.groups.contains_key(g) {
                        return Err(at(
                            format!("world.accounts.{id}.users.{name}.groups"),
                            format!(
                                "user `{name}` is in group `{g}`, which the account does not declare"
                            ),
                            Some("declare the group under `groups`"),
                        ));
                    }
                }
                for d in &user.mfa_devices {
                    check_secret(
                        d,
                        &format!("world.accounts.{id}.users.{name}.mfaDevices"),
                        at,
                    )?;
                }
            }
            for d in &account.root.mfa_devices {
                check_secret(d, &format!("world.accounts.{id}.root.mfaDevices"), at)?;
            }
            if let Some(scp) = &account.scp
                && let Err(e) = public::parse_policy(scp)
            {
                return Err(at(
                    format!("world.accounts.{id}.scp"),
                    format!("the SCP does not parse: {e}"),
                    None,
                ));
            }
        }
        Ok(())
    }

    /// Buckets owned by declared accounts, with policies S3 would accept, and no object declared
    /// encrypted (SSE-KMS, SSE-C) while holding plaintext.
    fn check_buckets(
        &self,
        text: &str,
        at: &impl Fn(String, String, Option<&str>) -> LoadError,
    ) -> Result<(), LoadError> {
        for (name, bucket) in &self.world.buckets {
            // A declared object labelled SSE-KMS or SSE-C but stored as plaintext would be
            // read without KMS or without the customer key: refuse it rather than teach that.
            for (key, entry) in &bucket.objects {
                for (i, v) in entry.versions.iter().enumerate() {
                    let label = v.encryption.as_deref().unwrap_or("");
                    if v.sealed.is_none()
                        && !v.delete_marker
                        && (label.starts_with("aws:kms") || label == "SSE-C")
                    {
                        let path =
                            format!("world.buckets.{name}.objects.{key}.versions[{i}].encryption");
                        let (line, column) = locate_encryption(text, key, label);
                        return Err(LoadError {
                            path,
                            line,
                            column,
                            message: format!(
                                "object `{key}` in bucket `{name}` is declared `{label}` but holds plaintext: S3 would read it without {}",
                                if label == "SSE-C" {
                                    "the customer's key"
                                } else {
                                    "asking KMS (`kms:Decrypt`)"
                                }
                            ),
                            help: Some(format!(
                                "upload it in a first step (`PutObject` with `x-amz-server-side-encryption: {}` and its key headers) so the world really encrypts it, or drop `encryption` (declared objects are stored with SSE-S3)",
                                if label == "SSE-C" {
                                    "…-customer-algorithm: AES256"
                                } else {
                                    label
                                }
                            )),
                        });
                    }
                }
            }
            if !self.world.accounts.contains_key(&bucket.owner) {
                return Err(at(
                    format!("world.buckets.{name}.owner"),
                    format!(
                        "bucket `{name}` is owned by `{}`, which is not a declared account",
                        bucket.owner
                    ),
                    Some("declare the account under `world.accounts`"),
                ));
            }
            if let Some(p) = &bucket.policy
                && let Err(e) = public::parse_bucket_policy(p)
            {
                return Err(at(
                    format!("world.buckets.{name}.policy"),
                    format!("the bucket policy would be refused by S3: {e}"),
                    None,
                ));
            }
        }
        Ok(())
    }

    /// The step extensions: saved names and selectors, `${name}` used only after it is saved,
    /// `stored` facts that exist, a stale MFA code only with a device.
    fn check_steps(&self, text: &str) -> Result<(), LoadError> {
        let (object_facts, vault_facts) = expect::stored_fact_names();
        let mut known: BTreeSet<String> = BTreeSet::new();
        for (i, step) in self.steps.iter().enumerate() {
            let err = |path: String, message: String, help: String| {
                let (line, column) = locate_path(text, &path);
                LoadError {
                    path,
                    line,
                    column,
                    message,
                    help: Some(help),
                }
            };
            if step.mfa_code_at.is_some() && step.mfa_from_device.is_none() {
                return Err(err(
                    format!("steps[{i}].mfaCodeAt"),
                    "`mfaCodeAt` needs `mfaFromDevice`: it says when the device showed the code"
                        .to_owned(),
                    "add `\"mfaFromDevice\": \"SERIAL\"`, or remove `mfaCodeAt`".to_owned(),
                ));
            }
            let mut used = Vec::new();
            if let Ok(v) = serde_json::to_value(&step.request) {
                saved::references_in(&v, &mut used);
            }
            self.check_references(text, i, &used, &known)?;
            for (name, selector) in &step.save {
                if !saved::valid_name(name) {
                    return Err(err(
                        format!("steps[{i}].save.{name}"),
                        format!("`{name}` cannot be a saved name"),
                        "start with a letter or `_` and use letters, digits and `_` only (`vid`, `lock_id`)".to_owned(),
                    ));
                }
                if let Err((message, help)) = saved::check_selector(selector) {
                    return Err(err(format!("steps[{i}].save.{name}"), message, help));
                }
                known.insert(name.clone());
            }
            let mut used = Vec::new();
            if let Some(e) = &step.expect {
                if let Ok(v) = serde_json::to_value(e) {
                    saved::references_in(&v, &mut used);
                }
                self.check_references(text, i, &used, &known)?;
                let stored = e.stored.iter();
                let objects = stored
                    .clone()
                    .flat_map(|s| s.objects.iter().map(|o| &o.facts));
                let vaults = stored.flat_map(|s| s.vaults.iter().map(|v| &v.facts));
                for (kind, facts, names) in objects
                    .map(|f| ("objects", f, &object_facts))
                    .chain(vaults.map(|f| ("vaults", f, &vault_facts)))
                {
                    if let Some(bad) = facts.keys().find(|k| !names.contains(&k.as_str())) {
                        return Err(err(
                            format!("steps[{i}].expect.stored.{kind}.{bad}"),
                            format!("`stored.{kind}` knows no fact `{bad}`"),
                            format!(
                                "use one of {}",
                                names
                                    .iter()
                                    .map(|n| format!("`{n}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn check_references(
        &self,
        text: &str,
        step: usize,
        used: &[String],
        known: &BTreeSet<String>,
    ) -> Result<(), LoadError> {
        let Some(name) = used.iter().find(|n| !known.contains(n.as_str())) else {
            return Ok(());
        };
        // The first place the text uses it is where the mistake is.
        let needle = format!("${{{name}}}");
        let offset = text.find(&needle).unwrap_or(0);
        let before = text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Err(LoadError {
            path: json_path_at(text, offset),
            line,
            column,
            message: format!(
                "step {} uses `{needle}`, which no earlier step saves",
                step + 1
            ),
            help: Some(format!(
                "save it in an earlier step with `\"save\": {{\"{name}\": \"versionId\"}}` (or another part of the response); IAM policy variables are written with a colon, like `${{aws:username}}`"
            )),
        })
    }
}

fn check_secret(
    d: &crate::model::MfaDevice,
    path: &str,
    at: &impl Fn(String, String, Option<&str>) -> LoadError,
) -> Result<(), LoadError> {
    if crate::mfa::current_code(&d.secret_base32, 0).is_none() {
        return Err(at(
            path.to_owned(),
            format!("the secret of MFA device `{}` is not base32", d.serial),
            Some("use letters A–Z and digits 2–7"),
        ));
    }
    Ok(())
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Line and column of an object's `"encryption": "LABEL"` (after the key's name when found).
fn locate_encryption(text: &str, key: &str, label: &str) -> (usize, usize) {
    let from = text.find(&format!("\"{key}\"")).unwrap_or(0);
    let rest = text.get(from..).unwrap_or("");
    let Some(off) = rest
        .find("\"encryption\"")
        .filter(|o| rest.get(*o..).is_some_and(|r| r.contains(label)))
    else {
        return (0, 0);
    };
    let before = text.get(..from + off).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Line and column of the value at a dotted JSON path (best effort: finds the last key).
fn locate_path(text: &str, path: &str) -> (usize, usize) {
    let last = path.rsplit('.').next().unwrap_or(path);
    let last = last.split('[').next().unwrap_or(last);
    let needle = format!("\"{last}\"");
    match text.find(&needle) {
        Some(off) => {
            let before = text.get(..off).unwrap_or("");
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, column)
        }
        None => (0, 0),
    }
}
