//! Scenarios: a JSON document that declares a world (including state that already exists: objects
//! with their version history, delete markers, owners, ACLs; MFA devices with their secrets; a
//! start time) and an ordered list of requests, each with optional expectations. The CLI
//! (`s3pg run`), the test corpus and the web UI load, run and check them through this module.
//!
//! The format is documented in `tests/README.md` and `tests/scenario.schema.json`. Unknown fields
//! are rejected; bad input is reported with its JSON path, line and column.
//!
//! The module is split by concern: [`load`] parses and checks a document (positioned errors),
//! [`expect`] checks an outcome and the stored state against a step's expectations, [`saved`]
//! captures values a step returned (`save`) and puts them into later steps (`${name}`), and
//! [`render`] prints a step for people.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

mod expect;
mod load;
mod render;
mod saved;
#[cfg(test)]
mod tests;

pub use expect::{
    StoredObject, StoredState, StoredVault, check, json_contains, object_facts, stored_fact_names,
    vault_facts,
};
pub use load::{LoadError, json_path_at};
pub use render::{describe_caller, render_step};
pub use saved::{SAVE_SHORTHANDS, Saved, capture, substitute};

use crate::request::Request;
use crate::time::Timestamp;
use crate::trace::{Decision, Gate, Outcome};
use crate::world::World;

/// The scenario the UI opens with (`tests/scenarios/default.json`).
pub const DEFAULT_SCENARIO: &str = include_str!("../../../../tests/scenarios/default.json");

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
    /// Take the MFA code the device showed at this earlier time instead (a stale code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_code_at: Option<Timestamp>,
    /// The request. Any string in it may use `${name}` for a value an earlier step saved.
    pub request: Request,
    /// What should come back (may use `${name}` too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
    /// Values to remember from what came back, by name: `{"vid": "versionId"}` or
    /// `{"ak": "body.Credentials.AccessKeyId"}` (see [`SAVE_SHORTHANDS`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub save: BTreeMap<String, String>,
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
    /// The error message starts with this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_starts_with: Option<String>,
    /// The error message matches this pattern (`*` any text, `?` one character, as IAM's
    /// `StringLike`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_matches: Option<String>,
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
    /// Facts about what S3 (and Glacier) store after the step: an object present or absent, its
    /// encryption and key, its number of versions, the archives in a vault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored: Option<StoredState>,
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

/// Runs a scenario from its declared world: every step in order, each checked; values a step
/// saves are available to the steps after it.
pub fn run(scenario: &Scenario) -> Report {
    let mut world = scenario.world.clone();
    let mut now = scenario.start;
    let mut saved = Saved::default();
    let steps = scenario
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| run_step_saving(&mut world, &mut now, &mut saved, index, step))
        .collect();
    Report {
        name: scenario.name.clone(),
        steps,
        world,
    }
}

/// Runs one step against `world`: moves the clock (`at`, `afterSeconds`), fills in the MFA code
/// the device shows then, handles the request and checks the expectations. The UI calls it to
/// run a single request; a step that uses `${name}` needs [`run_step_saving`].
pub fn run_step(world: &mut World, now: &mut Timestamp, index: usize, step: &Step) -> StepReport {
    run_step_saving(world, now, &mut Saved::default(), index, step)
}

/// [`run_step`] with the values earlier steps saved: `${name}` in the step's request and
/// expectations is replaced by the saved value, and what the step's `save` names is added to
/// `saved` once the request has been handled. [`run`] calls it for every step.
pub fn run_step_saving(
    world: &mut World,
    now: &mut Timestamp,
    saved: &mut Saved,
    index: usize,
    step: &Step,
) -> StepReport {
    if let Some(at) = step.at {
        *now = at;
    }
    if let Some(s) = step.after_seconds {
        *now = now.plus(s);
    }
    let mut failures = Vec::new();
    let mut request = match substitute(&step.request, saved) {
        Ok(r) => r,
        Err(e) => {
            failures.push(e);
            step.request.clone()
        }
    };
    if let Some(serial) = &step.mfa_from_device {
        // A code from an earlier time shows what S3 does with a stale code.
        let code_time = step.mfa_code_at.unwrap_or(*now);
        let code = find_device(world, serial)
            .and_then(|secret| crate::mfa::current_code(&secret, code_time.epoch_seconds()))
            .unwrap_or_else(|| "000000".to_owned());
        request
            .headers
            .insert("x-amz-mfa".to_owned(), format!("{serial} {code}"));
    }
    let outcome = world.handle(&request, *now);
    for (name, selector) in &step.save {
        match capture(selector, &outcome) {
            Ok(value) => {
                saved.insert(name.clone(), value);
            }
            Err(e) => failures.push(format!("could not save `{name}`: {e}")),
        }
    }
    if let Some(e) = &step.expect {
        match substitute(e, saved) {
            Ok(e) => failures.extend(check(&e, &outcome, world)),
            Err(err) => failures.push(err),
        }
    }
    StepReport {
        index,
        name: step.name.clone(),
        at: *now,
        request,
        outcome,
        failures,
    }
}

pub use crate::world::find_device;
