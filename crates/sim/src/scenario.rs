//! Scenarios: a JSON document that declares a world (including state that already exists: objects
//! with their version history, delete markers, owners, ACLs; MFA devices with their secrets; a
//! start time) and an ordered list of requests, each with optional expectations. The CLI
//! (`s3pg run`), the test corpus and the web UI load, run and check them through this module.
//!
//! The format is documented in `tests/README.md` and `tests/scenario.schema.json`. Unknown fields
//! are rejected; bad input is reported with its JSON path, line and column.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::public;
use crate::request::Request;
use crate::time::Timestamp;
use crate::trace::{Decision, Gate, Outcome};
use crate::world::World;

/// The scenario the UI opens with (`tests/scenarios/default.json`).
pub const DEFAULT_SCENARIO: &str = include_str!("../../../tests/scenarios/default.json");

/// The AWS documentation page(s) a scenario encodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Source {
    /// One page.
    One(String),
    /// Several pages.
    Many(Vec<String>),
}

impl Source {
    /// The pages.
    pub fn urls(&self) -> Vec<&str> {
        match self {
            Source::One(s) => vec![s.as_str()],
            Source::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// A whole scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Scenario {
    /// The JSON Schema reference (ignored).
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// A short title.
    pub name: String,
    /// What the scenario teaches.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The AWS page(s) it encodes.
    pub source: Source,
    /// Free-form tags (`versioning`, `bpa`, `exam`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The simulated time when the scenario starts.
    #[serde(default = "default_start")]
    pub start: Timestamp,
    /// The world as it is when the scenario starts.
    pub world: World,
    /// The requests, in order.
    #[serde(default)]
    pub steps: Vec<Step>,
}

fn default_start() -> Timestamp {
    Timestamp(1_767_225_600) // 2026-01-01T00:00:00Z
}

/// One request of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Step {
    /// What the step shows.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The simulated time of the request (default: the previous step's time, or the start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// Seconds after the previous step (instead of `at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_seconds: Option<u64>,
    /// Add `x-amz-mfa: SERIAL CODE` with the code this device shows at the step's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_from_device: Option<String>,
    /// The request.
    pub request: Request,
    /// What should come back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
}

/// Expectations on a step's outcome. Every field is optional; the ones given must hold.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Expect {
    /// The HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The error code (`AccessDenied`), or `null`… use `status` for success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The exact error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The authorization decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    /// The deciding gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
    /// The deciding statement: its `Sid`, or `#N` (1-based) without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// Extra `<Error>` elements that must be present with these values (`X-Amz-Expires`,
    /// `ServerTime`, `AWSAccessKeyId`, …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub error_elements: BTreeMap<String, String>,
    /// Response headers that must be present with these values (`null`: must be absent).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, Option<String>>,
    /// A JSON subset the response body must contain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    /// Effects that must appear (each a JSON subset of one effect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effects: Option<Vec<serde_json::Value>>,
    /// A JSON subset the whole world must contain after the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub world: Option<serde_json::Value>,
}

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
        Ok(scenario)
    }

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
                        &at,
                    )?;
                }
            }
            for d in &account.root.mfa_devices {
                check_secret(d, &format!("world.accounts.{id}.root.mfaDevices"), &at)?;
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
        for (name, bucket) in &self.world.buckets {
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

/// Whether `actual` contains `expected`: objects by subset of keys, arrays element-wise with the
/// same length, scalars by equality.
pub fn json_contains(actual: &serde_json::Value, expected: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => e.iter().all(|(k, ev)| match a.get(k) {
            Some(av) => json_contains(av, ev),
            None => ev.is_null(),
        }),
        (Value::Array(a), Value::Array(e)) => {
            a.len() == e.len() && a.iter().zip(e).all(|(x, y)| json_contains(x, y))
        }
        (a, e) => a == e,
    }
}

/// The result of one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepReport {
    /// 0-based step index.
    pub index: usize,
    /// The step's name.
    pub name: String,
    /// The simulated time of the request.
    pub at: Timestamp,
    /// The request as sent (with any MFA header filled in).
    pub request: Request,
    /// What came back.
    pub outcome: Outcome,
    /// Expectations that did not hold (empty: the step passed).
    pub failures: Vec<String>,
}

/// The result of running a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The scenario's name.
    pub name: String,
    /// Every step.
    pub steps: Vec<StepReport>,
    /// The world after the last step.
    pub world: World,
}

impl Report {
    /// True when every expectation held.
    pub fn passed(&self) -> bool {
        self.steps.iter().all(|s| s.failures.is_empty())
    }

    /// `(step index, step name, failure)` for every failed expectation.
    pub fn failures(&self) -> Vec<(usize, String, String)> {
        self.steps
            .iter()
            .flat_map(|s| {
                s.failures
                    .iter()
                    .map(move |f| (s.index, s.name.clone(), f.clone()))
            })
            .collect()
    }
}

/// Checks an outcome (and the world after it) against expectations; returns what failed.
pub fn check(expect: &Expect, outcome: &Outcome, world: &World) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = expect.status
        && s != outcome.status
    {
        out.push(format!("expected status {s}, got {}", outcome.status));
    }
    let code = outcome.error.as_ref().map(|e| e.code.as_str());
    if let Some(e) = &expect.error
        && Some(e.as_str()) != code
    {
        out.push(format!(
            "expected error `{e}`, got `{}`",
            code.unwrap_or("none")
        ));
    }
    if let Some(m) = &expect.message {
        let got = outcome
            .error
            .as_ref()
            .map(|e| e.message.as_str())
            .unwrap_or("");
        if m != got {
            out.push(format!("expected message `{m}`, got `{got}`"));
        }
    }
    for (name, value) in &expect.error_elements {
        let got = outcome
            .error
            .as_ref()
            .and_then(|e| e.extra.iter().find(|(n, _)| n == name))
            .map(|(_, v)| v.as_str());
        if got != Some(value.as_str()) {
            out.push(format!(
                "expected error element `<{name}>{value}</{name}>`, got {}",
                got.map_or("none".to_owned(), |g| format!("`{g}`"))
            ));
        }
    }
    if let Some(d) = expect.decision
        && Some(d) != outcome.decision
    {
        out.push(format!(
            "expected decision `{d:?}`, got {}",
            outcome
                .decision
                .map_or_else(|| "no decision".to_owned(), |x| format!("`{x:?}`"))
        ));
    }
    if let Some(g) = expect.gate {
        let got = outcome.deciding.as_ref().map(|d| d.gate);
        if Some(g) != got {
            out.push(format!(
                "expected deciding gate `{g:?}`, got {}",
                got.map_or_else(|| "no deciding gate".to_owned(), |x| format!("`{x:?}`"))
            ));
        }
    }
    if let Some(st) = &expect.statement {
        let got = outcome
            .deciding
            .as_ref()
            .and_then(|d| d.statement.as_ref())
            .map(crate::trace::StatementRef::label);
        if Some(st) != got.as_ref() {
            out.push(format!(
                "expected deciding statement `{st}`, got {}",
                got.map_or("none".to_owned(), |g| format!("`{g}`"))
            ));
        }
    }
    for (name, value) in &expect.headers {
        let got = outcome.headers.get(&name.to_ascii_lowercase());
        match (value, got) {
            (Some(v), Some(g)) if v == g => {}
            (None, None) => {}
            (Some(v), g) => out.push(format!(
                "expected header `{name}: {v}`, got {}",
                g.map_or("none".to_owned(), |g| format!("`{g}`"))
            )),
            (None, Some(g)) => out.push(format!("expected no header `{name}`, got `{g}`")),
        }
    }
    if let Some(b) = &expect.body {
        let actual = outcome.body.clone().unwrap_or(serde_json::Value::Null);
        if !json_contains(&actual, b) {
            out.push(format!("body does not contain {b}; body was {actual}"));
        }
    }
    if let Some(effects) = &expect.effects {
        let actual: Vec<serde_json::Value> = outcome
            .effects
            .iter()
            .filter_map(|e| serde_json::to_value(e).ok())
            .collect();
        if effects.is_empty() && !actual.is_empty() {
            out.push(format!(
                "expected no effects, got {}",
                serde_json::Value::Array(actual.clone())
            ));
        }
        for e in effects {
            if !actual.iter().any(|a| json_contains(a, e)) {
                out.push(format!(
                    "expected effect {e}, got {}",
                    serde_json::Value::Array(actual.clone())
                ));
            }
        }
    }
    if let Some(w) = &expect.world {
        let actual = serde_json::to_value(world).unwrap_or(serde_json::Value::Null);
        if !json_contains(&actual, w) {
            out.push(format!("world does not contain {w}"));
        }
    }
    out
}

/// Runs a scenario from its declared world: every step in order, each checked.
pub fn run(scenario: &Scenario) -> Report {
    let mut world = scenario.world.clone();
    let mut now = scenario.start;
    let steps = scenario
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| run_step(&mut world, &mut now, index, step))
        .collect();
    Report {
        name: scenario.name.clone(),
        steps,
        world,
    }
}

/// Runs one step against `world`: moves the clock (`at`, `afterSeconds`), fills in the MFA code
/// the device shows then, handles the request and checks the expectations. The UI calls it to
/// run a scenario one step at a time; [`run`] calls it for every step.
pub fn run_step(world: &mut World, now: &mut Timestamp, index: usize, step: &Step) -> StepReport {
    if let Some(at) = step.at {
        *now = at;
    }
    if let Some(s) = step.after_seconds {
        *now = now.plus(s);
    }
    let mut request = step.request.clone();
    if let Some(serial) = &step.mfa_from_device {
        let code = find_device(world, serial)
            .and_then(|secret| crate::mfa::current_code(&secret, now.epoch_seconds()))
            .unwrap_or_else(|| "000000".to_owned());
        request
            .headers
            .insert("x-amz-mfa".to_owned(), format!("{serial} {code}"));
    }
    let outcome = world.handle(&request, *now);
    let failures = step
        .expect
        .as_ref()
        .map(|e| check(e, &outcome, world))
        .unwrap_or_default();
    StepReport {
        index,
        name: step.name.clone(),
        at: *now,
        request,
        outcome,
        failures,
    }
}

/// The base32 secret of the MFA device with this serial, anywhere in the world.
pub fn find_device(world: &World, serial: &str) -> Option<String> {
    world.accounts.values().find_map(|a| {
        a.root
            .mfa_devices
            .iter()
            .chain(a.users.values().flat_map(|u| u.mfa_devices.iter()))
            .find(|d| d.serial == serial)
            .map(|d| d.secret_base32.clone())
    })
}

/// How a caller is named in text (`user alice (111122223333)`).
pub fn describe_caller(caller: &crate::request::Caller) -> String {
    use crate::request::Caller;
    match caller {
        Caller::Anonymous => "anonymous".to_owned(),
        Caller::Root { account } => format!("root of {account}"),
        Caller::User { name, account } => match account {
            Some(a) => format!("user {name} ({a})"),
            None => format!("user {name}"),
        },
        Caller::RoleSession {
            role,
            session,
            account,
        } => match account {
            Some(a) => format!("role session {role}/{session} ({a})"),
            None => format!("role session {role}/{session}"),
        },
        Caller::AccessKey { id } => format!("access key {id}"),
    }
}

/// A human-readable rendering of one step: the request, the response and the trace.
pub fn render_step(step: &StepReport) -> String {
    let mut out = String::new();
    let o = &step.outcome;
    let title = if step.name.is_empty() {
        String::new()
    } else {
        format!(" — {}", step.name)
    };
    out.push_str(&format!("step {}{title}\n", step.index + 1));
    let who = match &step.request.operation {
        crate::request::Operation::PresignedRequest {
            method, presign, ..
        } => match presign {
            Some(p) => format!(
                "the holder of a {method} URL signed with `{}`",
                p.access_key_id
            ),
            None => format!("the holder of a {method} URL"),
        },
        _ => describe_caller(&step.request.caller),
    };
    out.push_str(&format!(
        "  {} {} by {} at {}\n",
        o.operation,
        step.request.operation.bucket().unwrap_or(""),
        who,
        step.at
    ));
    match &o.error {
        Some(e) => out.push_str(&format!("  → {} {}: {}\n", o.status, e.code, e.message)),
        None => out.push_str(&format!("  → {} OK\n", o.status)),
    }
    for (k, v) in &o.headers {
        out.push_str(&format!("    {k}: {v}\n"));
    }
    if let Some(d) = &o.decision {
        out.push_str(&format!("  decision: {d:?}"));
        if let Some(dec) = &o.deciding {
            out.push_str(&format!(" (decided by {}", dec.gate.title()));
            if let Some(st) = &dec.statement {
                out.push_str(&format!(", statement `{}`", st.label()));
            }
            out.push(')');
        }
        out.push('\n');
    }
    out.push_str("  trace:\n");
    for s in &o.trace {
        let mark = if s.deciding { "▶" } else { " " };
        let action = s
            .action
            .as_ref()
            .map(|a| format!(" [{a}]"))
            .unwrap_or_default();
        out.push_str(&format!(
            "   {mark} {}{action} {}: {}\n",
            s.gate.title(),
            s.outcome.describe(),
            s.explanation
        ));
        for (k, v) in &s.compared {
            out.push_str(&format!("        {k} = {v}\n"));
        }
        if let Some(u) = &s.undocumented {
            out.push_str(&format!("        (undocumented by AWS: {u})\n"));
        }
    }
    for e in &o.effects {
        out.push_str(&format!(
            "  effect: {}\n",
            serde_json::to_string(e).unwrap_or_default()
        ));
    }
    for f in &step.failures {
        out.push_str(&format!("  FAILED: {f}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_path_points_at_the_offending_value() {
        let text = r#"{"a": {"b": [1, {"c": 2}]}}"#;
        let off = text.find("2").unwrap();
        assert_eq!(json_path_at(text, off), "a.b[1].c");
    }

    #[test]
    fn unknown_fields_are_rejected_with_path_and_help() {
        let text = "{\n  \"name\": \"x\",\n  \"source\": \"https://docs.aws.amazon.com/\",\n  \"world\": {\"accountz\": {}}\n}";
        let err = Scenario::from_json(text).unwrap_err();
        assert!(err.message.contains("unknown field `accountz`"), "{err}");
        assert_eq!(err.line, 4);
        assert!(err.path.starts_with("world"), "{err:?}");
        assert!(err.help.is_some());
    }

    #[test]
    fn misspelled_caller_fields_are_rejected() {
        let text = DEFAULT_SCENARIO.replace(
            "\"account\": \"111122223333\" } }",
            "\"acount\": \"111122223333\" } }",
        );
        assert_ne!(text, DEFAULT_SCENARIO);
        let err = Scenario::from_json(&text).unwrap_err();
        assert!(err.message.contains("unknown field `acount`"), "{err}");
        assert!(err.path.contains("caller"), "{err:?}");
    }

    #[test]
    fn times_off_the_calendar_and_backward_clocks_are_refused() {
        let base = r#"{"name": "x", "source": "https://docs.aws.amazon.com/", "start": "START",
            "world": {"accounts": {"111122223333": {}}},
            "steps": [
              {"at": "AT1", "request": {"caller": "anonymous", "operation": {"ListBuckets": {}}}},
              {"at": "AT2", "request": {"caller": "anonymous", "operation": {"ListBuckets": {}}}}
            ]}"#;
        let scenario = |start: &str, at1: &str, at2: &str| {
            Scenario::from_json(
                &base
                    .replace("START", start)
                    .replace("AT1", at1)
                    .replace("AT2", at2),
            )
        };
        let ok = scenario(
            "2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
            "2026-03-01T00:00:00Z",
        );
        assert!(ok.is_ok(), "{:?}", ok.err());
        let err = scenario(
            "2026-02-30T00:00:00Z",
            "2026-03-01T00:00:00Z",
            "2026-03-02T00:00:00Z",
        )
        .unwrap_err();
        assert!(
            err.message
                .contains("February 2026 has 28 days, so there is no day 30"),
            "{err}"
        );
        assert!(err.help.is_some());
        let err = scenario(
            "2026-01-01T00:00:00Z",
            "2026-02-01T00:00:00Z",
            "2026-01-15T00:00:00Z",
        )
        .unwrap_err();
        assert_eq!(err.path, "steps[1].at");
        assert!(
            err.message
                .starts_with("step 2 would move the clock backwards"),
            "{err}"
        );
        let err = scenario(
            "2026-06-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
            "2026-07-01T00:00:00Z",
        )
        .unwrap_err();
        assert_eq!(err.path, "steps[0].at");
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "{",
            "[]",
            "null",
            "{\"name\": 1}",
            "{\"steps\": [{]}",
            "\u{0}",
        ] {
            assert!(Scenario::from_json(text).is_err());
        }
    }

    #[test]
    fn json_subset_matching() {
        let a = serde_json::json!({"x": 1, "y": [ {"k": "a", "v": 2} ]});
        assert!(json_contains(&a, &serde_json::json!({"y": [{"k": "a"}]})));
        assert!(!json_contains(&a, &serde_json::json!({"y": []})));
        assert!(json_contains(&a, &serde_json::json!({"z": null})));
    }
}
