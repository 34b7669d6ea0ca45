//! Lessons: a short read in our own words, interleaved with live "try" steps. Each try asks the
//! learner to send a request in the lesson's world; the engine runs it and checks it — what came
//! back (status, error, deciding gate and statement, in the scenario format's expectations), what
//! the request looked like ("without the header"), and optionally a question about the trace whose
//! answer the engine computes from the learner's own outcome.
//!
//! A lesson's world is a scenario world (`tests/README.md`); a try that passes moves the world on,
//! a try that fails leaves it untouched, so a learner never reaches a dead end.

use serde::{Deserialize, Serialize};

use s3pg_sim::request::Request;
use s3pg_sim::scenario::{Expect, LoadError, Source, StepReport};
use s3pg_sim::{Outcome, Timestamp, World};

use crate::load::{DEFAULT_START, check_head, check_topic, error_at, join, parse, prepare_world};
use crate::probe::{Action, RequestMatch, run_action};
use crate::text::Text;

/// A lesson file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Lesson {
    /// The JSON Schema reference (ignored).
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `lesson` (may be left out inside a pack).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A stable id (`01-ownership`), used for progress and links.
    pub id: String,
    /// The title.
    pub title: String,
    /// The topic id (see `TOPICS`).
    pub topic: String,
    /// Minutes to read and try (5–10 for the built-in course).
    pub minutes: u32,
    /// One sentence: what the learner will be able to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Text>,
    /// The AWS documentation pages the lesson follows.
    pub source: Source,
    /// The simulated time when the lesson starts (default 2026-01-01T00:00:00Z).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// The lesson's world, in the scenario format.
    pub world: World,
    /// Prose and tries, in reading order.
    pub sections: Vec<Section>,
    /// The world ready to run (checked and normalized at load).
    #[serde(skip)]
    pub prepared: World,
}

/// A part of a lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub enum Section {
    /// Prose (Markdown subset).
    Text(Text),
    /// Something for the learner to do, checked by the engine.
    Try(Box<Try>),
}

/// A step the learner performs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Try {
    /// A stable id within the lesson.
    pub id: String,
    /// What to do, addressed to the learner.
    pub task: Text,
    /// The request the composer starts from. It is also the reference answer: the test suite
    /// sends it and it must pass every check.
    pub request: Request,
    /// The simulated time of the request (default: the previous try's time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// Seconds after the previous try.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_seconds: Option<u64>,
    /// Add `x-amz-mfa` with this device's code at the request's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_from_device: Option<String>,
    /// What the request must look like (`operation`, `callers`, `headers`, …).
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub request_match: Option<RequestMatch>,
    /// What must come back (scenario expectations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
    /// A question about the outcome, answered from the learner's own trace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<TraceQuestion>,
    /// Hints, gentlest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<Text>,
    /// Shown when the try passes: what it showed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<Text>,
}

/// What a trace question asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum About {
    /// The HTTP status (`403`).
    Status,
    /// The error code (`AccessDenied`), or `none`.
    Error,
    /// The decision (`Allow`, `ExplicitDeny`, `ImplicitDeny`).
    Decision,
    /// The deciding gate (`BucketPolicy`; its title, "Bucket policy", is accepted too).
    Gate,
    /// The deciding statement's `Sid` (or `#N`).
    Statement,
}

/// A question about the learner's outcome: the engine computes the answer from the trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TraceQuestion {
    /// The question.
    pub ask: Text,
    /// What it is about.
    pub about: About,
    /// Answers to pick from (the UI shows buttons); empty: typed answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// The answer the author expects for the reference request; the test suite checks that the
    /// engine computes the same.
    pub answer: String,
}

/// The result of one try.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TryReport {
    /// The try's id.
    pub id: String,
    /// True when the request looked right and every expectation held.
    pub passed: bool,
    /// What did not hold, in words (request shape first, then the outcome).
    pub failures: Vec<String>,
    /// The request as sent, its outcome and its trace.
    pub step: StepReport,
    /// The answer to the try's question, computed from this outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed_answer: Option<String>,
}

/// The result of answering a trace question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnswerReport {
    /// True when the learner's answer is the engine's.
    pub correct: bool,
    /// The engine's answer.
    pub expected: String,
    /// One sentence saying where in the trace the answer is.
    pub explanation: String,
}

impl Lesson {
    /// Loads a lesson from JSON text and checks it (world, topic, ids).
    pub fn from_json(text: &str) -> Result<Lesson, LoadError> {
        let mut lesson: Lesson = parse(text)?;
        lesson.prepare(text, "")?;
        Ok(lesson)
    }

    /// Checks a parsed lesson found at `base` of `text` (`""` for a whole file) and prepares its
    /// world.
    pub(crate) fn prepare(&mut self, text: &str, base: &str) -> Result<(), LoadError> {
        let p = |rest: &str| join(base, rest);
        check_head(text, base, "lesson", self.kind.as_deref(), &self.id)?;
        check_topic(text, &p("topic"), &self.topic)?;
        let mut seen = Vec::new();
        for (i, s) in self.sections.iter().enumerate() {
            if let Section::Try(t) = s {
                if seen.contains(&t.id) {
                    return Err(error_at(
                        text,
                        &p(&format!("sections[{i}].try.id")),
                        format!("two tries are called `{}`", t.id),
                        Some("give every try its own id"),
                    ));
                }
                seen.push(t.id.clone());
                if t.expect.is_none() && t.question.is_none() {
                    return Err(error_at(
                        text,
                        &p(&format!("sections[{i}].try")),
                        format!("try `{}` checks nothing", t.id),
                        Some("add `expect` (what must come back) or `question`"),
                    ));
                }
                if let Some(q) = &t.question
                    && !q.choices.is_empty()
                    && !q
                        .choices
                        .iter()
                        .any(|c| answers_equal(q.about, c, &q.answer))
                {
                    return Err(error_at(
                        text,
                        &p(&format!("sections[{i}].try.question.answer")),
                        format!("the answer `{}` is not one of the choices", q.answer),
                        Some("add it to `choices`"),
                    ));
                }
            }
        }
        if seen.is_empty() {
            return Err(error_at(
                text,
                &p("sections"),
                "the lesson has no try".to_owned(),
                Some("add at least one `{\"try\": …}` section so the lesson is live"),
            ));
        }
        self.prepared = prepare_world(&self.world, self.start_time(), &p("world"), text)?;
        Ok(())
    }

    /// The simulated start time.
    pub fn start_time(&self) -> Timestamp {
        self.start.unwrap_or(DEFAULT_START)
    }

    /// The tries, in order.
    pub fn tries(&self) -> impl Iterator<Item = &Try> {
        self.sections.iter().filter_map(|s| match s {
            Section::Try(t) => Some(t.as_ref()),
            Section::Text(_) => None,
        })
    }

    /// The try with this id.
    pub fn find_try(&self, id: &str) -> Option<&Try> {
        self.tries().find(|t| t.id == id)
    }

    /// A fresh session: the lesson's world at its start time.
    pub fn begin(&self) -> LessonSession {
        LessonSession {
            world: self.prepared.clone(),
            now: self.start_time(),
            passed: Vec::new(),
        }
    }

    /// Runs every try's reference request in order and checks it passes and that every trace
    /// question's declared answer is what the engine computes. Returns one report per try.
    pub fn verify(&self) -> Vec<TryReport> {
        let mut session = self.begin();
        self.tries()
            .map(|t| {
                let mut report = session.attempt(t, &t.request);
                if let (Some(q), Some(got)) = (&t.question, &report.computed_answer)
                    && !answers_equal(q.about, got, &q.answer)
                {
                    report.passed = false;
                    report.failures.push(format!(
                        "the question's declared answer is `{}`, but the engine computes `{got}`",
                        q.answer
                    ));
                }
                report
            })
            .collect()
    }
}

/// A learner working through a lesson: the world as their passed tries left it. It serializes, so
/// the UI can keep a half-finished lesson across reloads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LessonSession {
    /// The world now.
    pub world: World,
    /// The simulated time now.
    pub now: Timestamp,
    /// Ids of the tries passed so far.
    pub passed: Vec<String>,
}

impl LessonSession {
    /// Sends `request` for try `t`: checks its shape, runs it on a copy of the world and checks
    /// what came back. When the try passes, the world (and clock) move on; otherwise nothing
    /// changes, so the learner can try again.
    pub fn attempt(&mut self, t: &Try, request: &Request) -> TryReport {
        let mut failures = t
            .request_match
            .as_ref()
            .map(|m| m.mismatches(request))
            .unwrap_or_default();
        let action = Action {
            at: t.at,
            after_seconds: t.after_seconds,
            mfa_from_device: t.mfa_from_device.clone(),
            request: request.clone(),
            expect: t.expect.clone(),
        };
        let mut world = self.world.clone();
        let mut now = self.now;
        let step = run_action(&mut world, &mut now, &t.id, &action);
        failures.extend(step.failures.iter().cloned());
        let computed_answer = t.question.as_ref().map(|q| compute(q.about, &step.outcome));
        let passed = failures.is_empty();
        if passed {
            self.world = world;
            self.now = now;
            if !self.passed.contains(&t.id) {
                self.passed.push(t.id.clone());
            }
        }
        TryReport {
            id: t.id.clone(),
            passed,
            failures,
            step,
            computed_answer,
        }
    }
}

impl Try {
    /// Checks a learner's answer to this try's question against the engine's answer for
    /// `outcome` (the learner's own request's outcome).
    pub fn answer(&self, outcome: &Outcome, answer: &str) -> Option<AnswerReport> {
        let q = self.question.as_ref()?;
        let expected = compute(q.about, outcome);
        let correct = answers_equal(q.about, answer, &expected);
        let explanation = match q.about {
            About::Gate => match &outcome.deciding {
                Some(d) => format!(
                    "the step marked as deciding in the trace is `{}`",
                    d.gate.title()
                ),
                None => "no gate decided this request".to_owned(),
            },
            About::Statement => format!("the deciding statement in the trace is `{expected}`"),
            About::Status => format!("S3 answered HTTP {expected}"),
            About::Error => format!("the error code in the response is `{expected}`"),
            About::Decision => format!("the authorization decision is `{expected}`"),
        };
        Some(AnswerReport {
            correct,
            expected,
            explanation,
        })
    }
}

/// The answer to a trace question for this outcome.
pub fn compute(about: About, outcome: &Outcome) -> String {
    match about {
        About::Status => outcome.status.to_string(),
        About::Error => outcome
            .error
            .as_ref()
            .map_or("none".to_owned(), |e| e.code.clone()),
        About::Decision => outcome
            .decision
            .map_or("none".to_owned(), |d| format!("{d:?}")),
        About::Gate => outcome
            .deciding
            .as_ref()
            .map_or("none".to_owned(), |d| format!("{:?}", d.gate)),
        About::Statement => outcome
            .deciding
            .as_ref()
            .and_then(|d| d.statement.as_ref())
            .map_or("none".to_owned(), |s| s.label()),
    }
}

/// Whether two answers mean the same: case and spacing do not matter, and a gate may be named by
/// its id (`BucketPolicy`) or its title (`Bucket policy`).
pub fn answers_equal(about: About, a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
            .collect::<String>()
            .to_lowercase()
    };
    if norm(a) == norm(b) {
        return true;
    }
    if about == About::Gate {
        let title_of = |s: &str| {
            serde_json::from_value::<s3pg_sim::Gate>(serde_json::Value::from(s))
                .ok()
                .map(|g| norm(g.title()))
        };
        return title_of(a).is_some_and(|t| t == norm(b))
            || title_of(b).is_some_and(|t| t == norm(a));
    }
    false
}
