//! Challenges: a goal stated as outcomes, graded by the engine.
//!
//! A *configure* challenge gives a starting world; the learner changes it (policies, settings,
//! ACLs — through requests, as the console would) and submits the world they reached. The grader
//! runs hidden probe requests against a copy of it, each with the outcome it must produce and a
//! requirement text shown when it fails, and checks constraints on the world itself ("no `Allow`
//! with `Principal: *`", "Block Public Access stays on").
//!
//! A *find the hole* challenge (after flaws.cloud) gives a misconfigured world; the learner sends
//! requests as an outsider and passes when one of them reads what should be private.
//!
//! Every challenge carries a reference solution (which must pass) and a naive attempt (which must
//! fail on a named requirement); the test suite runs both.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use s3pg_sim::request::Caller;
use s3pg_sim::scenario::{Expect, LoadError, Source, StepReport, check};
use s3pg_sim::{ObjectOwnership, Timestamp, World};

use crate::load::{
    DEFAULT_START, check_head, check_topic, error_at, join, merge_patch, parse, prepare_world,
    prepare_world_value,
};
use crate::probe::{Action, RequestMatch, run_action, run_probe};
use crate::text::Text;

/// How hard a challenge is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Difficulty {
    /// One change, named in the goal.
    Beginner,
    /// A change the learner has to work out.
    Intermediate,
    /// Several topics at once.
    Advanced,
}

/// A challenge file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Challenge {
    /// The JSON Schema reference (ignored).
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `challenge` (may be left out inside a pack).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A stable id.
    pub id: String,
    /// The title.
    pub title: String,
    /// Topic ids; the first is the main one.
    pub topics: Vec<String>,
    /// The lesson it practises, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// The AWS documentation pages it follows.
    pub source: Source,
    /// The simulated time when it starts (default 2026-01-01T00:00:00Z).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// The starting world (scenario format).
    pub world: World,
    /// The goal, stated as outcomes, shown to the learner.
    pub goal: Text,
    /// Hidden probes (configure challenges).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes: Vec<Probe>,
    /// Constraints on the submitted world.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// What the learner must capture (find-the-hole challenges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hole: Option<Hole>,
    /// Hints, gentlest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<Text>,
    /// The reference solution; must pass.
    pub solution: Change,
    /// A naive attempt; must fail on `failsOn`.
    pub naive: Change,
    /// Shown after solving: why the solution works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debrief: Option<Text>,
    /// The world ready to run (checked and normalized at load).
    #[serde(skip)]
    pub prepared: World,
}

/// A hidden probe: a request, the outcome it must produce on the learner's world, and the
/// requirement shown when it does not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Probe {
    /// A stable id within the challenge.
    pub id: String,
    /// The requirement in the goal's words ("alice can upload with SSE-KMS").
    pub requirement: Text,
    /// Requests to send first, on the same copy (their expectations are checked too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<Action>,
    /// The simulated time of the probe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// Seconds after the start (or the last `before` request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_seconds: Option<u64>,
    /// Add `x-amz-mfa` with this device's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_from_device: Option<String>,
    /// The request.
    pub request: s3pg_sim::Request,
    /// What must come back.
    pub expect: Expect,
}

impl Probe {
    /// The probe's request as an action.
    pub fn action(&self) -> Action {
        Action {
            at: self.at,
            after_seconds: self.after_seconds,
            mfa_from_device: self.mfa_from_device.clone(),
            request: self.request.clone(),
            expect: Some(self.expect.clone()),
        }
    }
}

/// A rule the submitted world must obey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Constraint {
    /// A stable id within the challenge.
    pub id: String,
    /// The rule in words, shown with the goal.
    pub text: Text,
    /// The rule.
    pub rule: Rule,
}

/// The rules a constraint can state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub enum Rule {
    /// No `Allow` statement in the bucket policy has `Principal: "*"` (or `{"AWS": "*"}`).
    NoAllowWithPrincipalStar {
        /// The bucket.
        bucket: String,
    },
    /// The bucket policy is not public in Block Public Access's sense.
    NoPublicPolicy {
        /// The bucket.
        bucket: String,
    },
    /// The bucket policy has at most `max` statements.
    MaxStatements {
        /// The bucket.
        bucket: String,
        /// The most statements allowed.
        max: usize,
    },
    /// No statement in the bucket policy allows `*` or `s3:*`.
    NoWildcardAction {
        /// The bucket.
        bucket: String,
    },
    /// All four Block Public Access flags are on for the bucket (or, with `account`, the account).
    BlockPublicAccessOn {
        /// The bucket.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bucket: Option<String>,
        /// The account.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        account: Option<String>,
    },
    /// The bucket's Object Ownership setting is this one.
    ObjectOwnership {
        /// The bucket.
        bucket: String,
        /// The setting it must have.
        is: ObjectOwnership,
    },
    /// The part of the world at this path (`accounts.111122223333.users.alice`) is as it started.
    Unchanged {
        /// A dotted path into the world's JSON.
        path: String,
    },
    /// The world contains this JSON subset (as in a scenario's `expect.world`).
    WorldContains(Value),
}

/// What a find-the-hole challenge asks the learner to capture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Hole {
    /// The requirement in words ("read `payroll.csv` as an outsider").
    pub requirement: Text,
    /// Who the learner may be: every request must be sent as one of these.
    pub attackers: Vec<Caller>,
    /// What the capturing request must look like.
    #[serde(default)]
    pub target: RequestMatch,
    /// What must come back for the capture to count (usually `status: 200`).
    pub expect: Expect,
}

/// A change to a world: a JSON merge patch, a whole world, and/or requests sent to it (in that
/// order). As a challenge's `naive`, `failsOn` names the requirement(s) it must fail.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Change {
    /// An RFC 7386 merge patch on the world's JSON (arrays are replaced whole).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<Value>,
    /// A whole world replacing the starting one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub world: Option<World>,
    /// Requests sent after the patch, in order (for a find-the-hole challenge: the attack).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Action>,
    /// Probe, constraint or `hole` ids this attempt must fail (naive attempts only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fails_on: Vec<String>,
    /// Why this attempt is what it is (shown to instructors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

impl Change {
    /// Applies the patch and/or whole world to `base` (checked like any scenario world); the
    /// steps are left to the caller. `path` locates errors in `text`.
    pub(crate) fn world_after(
        &self,
        base: &World,
        start: Timestamp,
        path: &str,
        text: &str,
    ) -> Result<World, LoadError> {
        let mut world = match &self.world {
            Some(w) => prepare_world(w, start, &join(path, "world"), text)?,
            None => base.clone(),
        };
        if let Some(patch) = &self.patch {
            let mut value = serde_json::to_value(&world).unwrap_or(Value::Null);
            merge_patch(&mut value, patch);
            world = prepare_world_value(value, start, &join(path, "patch"), text)?;
        }
        Ok(world)
    }
}

/// One graded item: a probe, a constraint or the capture.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GradeItem {
    /// The probe's, constraint's id, or `hole`.
    pub id: String,
    /// The requirement or constraint in words.
    pub requirement: String,
    /// True when it holds.
    pub passed: bool,
    /// What did not hold.
    pub failures: Vec<String>,
    /// The probe's request, outcome and trace (probes and captures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<StepReport>,
}

/// A challenge's grade.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grade {
    /// The challenge's id.
    pub challenge: String,
    /// True when every item passed.
    pub passed: bool,
    /// Every item, probes first, then constraints.
    pub items: Vec<GradeItem>,
    /// Problems with the submission itself (a setup request that failed, an attacker who is
    /// not allowed), which fail the grade before any probe.
    pub submission: Vec<String>,
}

impl Grade {
    /// Ids of the items that failed.
    pub fn failed_ids(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter(|i| !i.passed)
            .map(|i| i.id.as_str())
            .collect()
    }

    /// `passed/total`.
    pub fn score(&self) -> (usize, usize) {
        (
            self.items.iter().filter(|i| i.passed).count(),
            self.items.len(),
        )
    }
}

impl Challenge {
    /// Loads a challenge from JSON text and checks it.
    pub fn from_json(text: &str) -> Result<Challenge, LoadError> {
        let mut c: Challenge = parse(text)?;
        c.prepare(text, "")?;
        Ok(c)
    }

    /// True for a find-the-hole challenge.
    pub fn is_find_the_hole(&self) -> bool {
        self.hole.is_some()
    }

    /// The simulated start time.
    pub fn start_time(&self) -> Timestamp {
        self.start.unwrap_or(DEFAULT_START)
    }

    pub(crate) fn prepare(&mut self, text: &str, base: &str) -> Result<(), LoadError> {
        let p = |rest: &str| join(base, rest);
        check_head(text, base, "challenge", self.kind.as_deref(), &self.id)?;
        if self.topics.is_empty() {
            return Err(error_at(
                text,
                &p("topics"),
                "the challenge names no topic".to_owned(),
                Some("add at least one topic id"),
            ));
        }
        for (i, t) in self.topics.iter().enumerate() {
            check_topic(text, &p(&format!("topics[{i}]")), t)?;
        }
        match (&self.hole, self.probes.is_empty()) {
            (None, true) => {
                return Err(error_at(
                    text,
                    &p("probes"),
                    "the challenge has neither `probes` nor `hole`".to_owned(),
                    Some("a configure challenge needs probes; a find-the-hole challenge a `hole`"),
                ));
            }
            (Some(_), false) => {
                return Err(error_at(
                    text,
                    &p("probes"),
                    "a find-the-hole challenge is graded by its `hole`, not by probes".to_owned(),
                    Some("remove `probes`, or remove `hole` to make a configure challenge"),
                ));
            }
            _ => {}
        }
        if let Some(h) = &self.hole
            && h.attackers.is_empty()
        {
            return Err(error_at(
                text,
                &p("hole.attackers"),
                "no attacker is named".to_owned(),
                Some("name who the learner plays, e.g. `\"anonymous\"`"),
            ));
        }
        let mut ids: Vec<&str> = Vec::new();
        for (i, id) in self
            .probes
            .iter()
            .map(|x| x.id.as_str())
            .chain(self.constraints.iter().map(|c| c.id.as_str()))
            .enumerate()
        {
            if ids.contains(&id) {
                return Err(error_at(
                    text,
                    &p("probes"),
                    format!(
                        "two probes or constraints are called `{id}` (item {})",
                        i + 1
                    ),
                    Some("give each its own id"),
                ));
            }
            ids.push(id);
        }
        if self.hole.is_some() {
            ids.push("hole");
        }
        if !self.solution.fails_on.is_empty() {
            return Err(error_at(
                text,
                &p("solution.failsOn"),
                "the reference solution must pass, so it cannot name `failsOn`".to_owned(),
                None,
            ));
        }
        if self.naive.fails_on.is_empty() {
            return Err(error_at(
                text,
                &p("naive"),
                "the naive attempt does not say which requirement it fails".to_owned(),
                Some("add `\"failsOn\": [\"probe-id\"]`"),
            ));
        }
        for (i, f) in self.naive.fails_on.iter().enumerate() {
            if !ids.contains(&f.as_str()) {
                return Err(error_at(
                    text,
                    &p(&format!("naive.failsOn[{i}]")),
                    format!("`{f}` is not a probe, constraint or `hole` of this challenge"),
                    Some(&format!("use one of {}", ids.join(", "))),
                ));
            }
        }
        self.prepared = prepare_world(&self.world, self.start_time(), &p("world"), text)?;
        // The attempts must be well-formed worlds too.
        self.solution
            .world_after(&self.prepared, self.start_time(), &p("solution"), text)?;
        self.naive
            .world_after(&self.prepared, self.start_time(), &p("naive"), text)?;
        Ok(())
    }

    /// Grades the world a learner reached (configure challenges), at the challenge's start time.
    pub fn grade_world(&self, world: &World) -> Grade {
        self.grade_world_at(world, self.start_time())
    }

    /// Grades the world a learner reached at simulated time `now` (the UI passes its clock, so
    /// probes without their own `at` run when the learner's world is; a probe's `at` still wins).
    pub fn grade_world_at(&self, world: &World, now: Timestamp) -> Grade {
        let mut items: Vec<GradeItem> = self
            .probes
            .iter()
            .map(|probe| {
                let (setup, report) =
                    run_probe(world, now, &probe.before, &probe.id, &probe.action());
                let mut failures: Vec<String> = setup
                    .iter()
                    .flat_map(|s| s.failures.iter().map(|f| format!("before the probe: {f}")))
                    .collect();
                failures.extend(report.failures.iter().cloned());
                GradeItem {
                    id: probe.id.clone(),
                    requirement: probe.requirement.as_string(),
                    passed: failures.is_empty(),
                    failures,
                    report: Some(report),
                }
            })
            .collect();
        items.extend(self.constraints.iter().map(|c| {
            let failures = self.check_rule(&c.rule, world);
            GradeItem {
                id: c.id.clone(),
                requirement: c.text.as_string(),
                passed: failures.is_empty(),
                failures,
                report: None,
            }
        }));
        if self.is_find_the_hole() {
            // A configure-style submission cannot capture anything.
            items.push(GradeItem {
                id: "hole".to_owned(),
                requirement: self
                    .hole
                    .as_ref()
                    .map(|h| h.requirement.as_string())
                    .unwrap_or_default(),
                passed: false,
                failures: vec![
                    "this challenge is passed by sending requests, not by changing the world"
                        .to_owned(),
                ],
                report: None,
            });
        }
        Grade {
            challenge: self.id.clone(),
            passed: items.iter().all(|i| i.passed),
            items,
            submission: Vec::new(),
        }
    }

    /// Grades the requests a learner sent in a find-the-hole challenge, from the starting world.
    /// Every request must be sent as one of the attackers; the capture counts when one request
    /// looks like the target and its outcome meets the expectations.
    pub fn grade_requests(&self, requests: &[Action]) -> Grade {
        let Some(hole) = &self.hole else {
            return Grade {
                challenge: self.id.clone(),
                passed: false,
                items: Vec::new(),
                submission: vec![
                    "this challenge is passed by changing the world, not by sending requests"
                        .to_owned(),
                ],
            };
        };
        let mut world = self.prepared.clone();
        let mut now = self.start_time();
        let mut submission = Vec::new();
        let mut best: Option<(StepReport, Vec<String>)> = None;
        for (i, action) in requests.iter().enumerate() {
            let who = RequestMatch {
                callers: hole.attackers.clone(),
                ..RequestMatch::default()
            };
            let bad = who.mismatches(&action.request);
            if !bad.is_empty() {
                submission.extend(bad.into_iter().map(|b| format!("request {}: {b}", i + 1)));
                continue;
            }
            let report = run_action(&mut world, &mut now, &format!("request {}", i + 1), action);
            let mut failures = hole.target.mismatches(&report.request);
            failures.extend(check(&hole.expect, &report.outcome, &world));
            let better = best.as_ref().is_none_or(|(_, f)| failures.len() < f.len());
            if better {
                best = Some((report, failures));
            }
        }
        let (report, mut failures) = match best {
            Some((r, f)) => (Some(r), f),
            None => (None, vec!["no request was sent".to_owned()]),
        };
        if !submission.is_empty() {
            failures.insert(
                0,
                "every request must be sent as an allowed attacker".to_owned(),
            );
        }
        let passed = failures.is_empty();
        Grade {
            challenge: self.id.clone(),
            passed,
            items: vec![GradeItem {
                id: "hole".to_owned(),
                requirement: hole.requirement.as_string(),
                passed,
                failures,
                report,
            }],
            submission,
        }
    }

    /// Grades an attempt written as a [`Change`] (what `s3pg grade` and the test suite do): for a
    /// configure challenge, the change is applied and the resulting world graded; for a
    /// find-the-hole challenge, its steps are the attack. `text` locates errors in the change.
    pub fn grade_change(
        &self,
        change: &Change,
        path: &str,
        text: &str,
    ) -> Result<Grade, LoadError> {
        if self.is_find_the_hole() {
            return Ok(self.grade_requests(&change.steps));
        }
        let mut world = change.world_after(&self.prepared, self.start_time(), path, text)?;
        let mut now = self.start_time();
        let mut submission = Vec::new();
        for (i, action) in change.steps.iter().enumerate() {
            let r = run_action(&mut world, &mut now, "setup", action);
            submission.extend(
                r.failures
                    .iter()
                    .map(|f| format!("request {} of the submission: {f}", i + 1)),
            );
        }
        let mut grade = self.grade_world(&world);
        if !submission.is_empty() {
            grade.passed = false;
            grade.submission = submission;
        }
        Ok(grade)
    }

    /// Checks a constraint's rule against a world; returns what failed.
    pub fn check_rule(&self, rule: &Rule, world: &World) -> Vec<String> {
        let statements = |bucket: &str| -> Vec<Value> {
            world
                .buckets
                .get(bucket)
                .and_then(|b| b.policy.as_ref())
                .and_then(|p| p.get("Statement"))
                .map(|s| match s {
                    Value::Array(a) => a.clone(),
                    other => vec![other.clone()],
                })
                .unwrap_or_default()
        };
        match rule {
            Rule::NoAllowWithPrincipalStar { bucket } => statements(bucket)
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    s.get("Effect").and_then(Value::as_str) == Some("Allow")
                        && matches!(
                            s.get("Principal"),
                            Some(p) if p == "*" || p.get("AWS").is_some_and(|a| a == "*")
                        )
                })
                .map(|(i, s)| format!("statement {} allows `Principal: *`", label(s, i)))
                .collect(),
            Rule::NoPublicPolicy { bucket } => {
                let Some(policy) = world.buckets.get(bucket).and_then(|b| b.policy.as_ref()) else {
                    return Vec::new();
                };
                match s3pg_sim::public::parse_policy(policy) {
                    Ok(p) => s3pg_sim::public::policy_publicness(&p)
                        .map(|why| vec![format!("the policy of `{bucket}` is public: {why}")])
                        .unwrap_or_default(),
                    Err(e) => vec![format!("the policy of `{bucket}` does not parse: {e}")],
                }
            }
            Rule::MaxStatements { bucket, max } => {
                let n = statements(bucket).len();
                if n > *max {
                    vec![format!(
                        "the policy of `{bucket}` has {n} statements; at most {max} are allowed"
                    )]
                } else {
                    Vec::new()
                }
            }
            Rule::NoWildcardAction { bucket } => statements(bucket)
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    let wild = |a: &Value| a == "*" || a == "s3:*";
                    match s.get("Action") {
                        Some(Value::Array(a)) => a.iter().any(wild),
                        Some(a) => wild(a),
                        None => false,
                    }
                })
                .map(|(i, s)| format!("statement {} uses a wildcard action", label(s, i)))
                .collect(),
            Rule::BlockPublicAccessOn { bucket, account } => {
                let mut out = Vec::new();
                if let Some(b) = bucket {
                    let on = world
                        .buckets
                        .get(b)
                        .and_then(|x| x.public_access_block)
                        .is_some_and(|p| p == s3pg_sim::PublicAccessBlock::ALL);
                    if !on {
                        out.push(format!(
                            "Block Public Access is not fully on for bucket `{b}`"
                        ));
                    }
                }
                if let Some(a) = account {
                    let on = world
                        .accounts
                        .get(a)
                        .and_then(|x| x.public_access_block)
                        .is_some_and(|p| p == s3pg_sim::PublicAccessBlock::ALL);
                    if !on {
                        out.push(format!(
                            "Block Public Access is not fully on for account `{a}`"
                        ));
                    }
                }
                out
            }
            Rule::ObjectOwnership { bucket, is } => {
                let got = world.buckets.get(bucket).map(|b| b.object_ownership);
                if got == Some(*is) {
                    Vec::new()
                } else {
                    vec![format!(
                        "Object Ownership of `{bucket}` must be `{is:?}`{}",
                        got.map(|g| format!(", it is `{g:?}`")).unwrap_or_default()
                    )]
                }
            }
            Rule::Unchanged { path } => {
                let at = |w: &World| {
                    serde_json::to_value(w)
                        .ok()
                        .and_then(|v| value_at(&v, path).cloned())
                };
                if at(world) == at(&self.prepared) {
                    Vec::new()
                } else {
                    vec![format!("`{path}` must stay as it was")]
                }
            }
            Rule::WorldContains(subset) => {
                let actual = serde_json::to_value(world).unwrap_or(Value::Null);
                if s3pg_sim::scenario::json_contains(&actual, subset) {
                    Vec::new()
                } else {
                    vec![format!("the world does not contain {subset}")]
                }
            }
        }
    }

    /// Grades the reference solution and the naive attempt; returns a list of problems (empty:
    /// the solution passes and the naive attempt fails where it says).
    pub fn verify(
        &self,
        text: &str,
    ) -> (
        Result<Grade, LoadError>,
        Result<Grade, LoadError>,
        Vec<String>,
    ) {
        let solution = self.grade_change(&self.solution, "solution", text);
        let naive = self.grade_change(&self.naive, "naive", text);
        let mut problems = Vec::new();
        match &solution {
            Ok(g) if g.passed => {}
            Ok(g) => {
                for s in &g.submission {
                    problems.push(format!("reference solution: {s}"));
                }
                for i in g.items.iter().filter(|i| !i.passed) {
                    problems.push(format!(
                        "reference solution fails `{}`: {}",
                        i.id,
                        i.failures.join("; ")
                    ));
                }
            }
            Err(e) => problems.push(format!("reference solution: {e}")),
        }
        match &naive {
            Ok(g) => {
                let failed = g.failed_ids();
                for f in &self.naive.fails_on {
                    if !failed.contains(&f.as_str()) {
                        problems.push(format!(
                            "naive attempt should fail `{f}` but {}",
                            if g.passed {
                                "it passes everything".to_owned()
                            } else {
                                format!("fails {}", failed.join(", "))
                            }
                        ));
                    }
                }
            }
            Err(e) => problems.push(format!("naive attempt: {e}")),
        }
        (solution, naive, problems)
    }
}

fn label(statement: &Value, index: usize) -> String {
    statement
        .get("Sid")
        .and_then(Value::as_str)
        .map_or_else(|| format!("#{}", index + 1), |s| format!("`{s}`"))
}

/// The value at a dotted path (`accounts.111122223333.users.alice`, `[0]` for array items).
fn value_at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = value;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        v = match part.parse::<usize>() {
            Ok(n) if v.is_array() => v.get(n)?,
            _ => v.get(part)?,
        };
    }
    Some(v)
}
