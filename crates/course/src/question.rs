//! Exam practice questions in the style of the AWS certification exams, each with an executable
//! world so its answer key is checked by running it.
//!
//! Every option is verified by the engine. An option *works* when, after its `change` (if any) is
//! applied to the question's world, every claim — the option's own `claims`, or else the question's
//! shared `goal` — produces the outcome it states. The key is right when exactly the options
//! marked `correct` work. An option that names something the playground does not simulate (another
//! AWS service) may say so in `notSimulated` instead; it must be a distractor.

use serde::{Deserialize, Serialize};

use s3pg_sim::scenario::{LoadError, Source, StepReport};
use s3pg_sim::{Timestamp, World};

use crate::challenge::Change;
use crate::load::{DEFAULT_START, check_head, check_topic, error_at, join, parse, prepare_world};
use crate::probe::{Action, run_action};
use crate::text::Text;

/// The certification exam a question is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Exam {
    /// AWS Certified Security – Specialty.
    SecuritySpecialty,
    /// AWS Certified Solutions Architect – Associate.
    SolutionsArchitect,
    /// AWS Certified Developer – Associate.
    Developer,
    /// AWS Certified SysOps Administrator – Associate (CloudOps Engineer).
    SysOps,
}

impl Exam {
    /// The exam's name.
    pub fn title(self) -> &'static str {
        match self {
            Exam::SecuritySpecialty => "Security – Specialty",
            Exam::SolutionsArchitect => "Solutions Architect – Associate",
            Exam::Developer => "Developer – Associate",
            Exam::SysOps => "SysOps Administrator – Associate",
        }
    }
}

/// A question file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Question {
    /// The JSON Schema reference (ignored).
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `question` (may be left out inside a pack).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A stable id.
    pub id: String,
    /// The exam whose style it follows.
    pub exam: Exam,
    /// The topic id.
    pub topic: String,
    /// The scenario and the question, as the exam would put it.
    pub stem: Text,
    /// How many options to choose (1 for single answer).
    #[serde(default = "one")]
    pub choose: usize,
    /// 4 or 5 options.
    pub options: Vec<QuestionOption>,
    /// Why the key is right and the distractors wrong.
    pub explanation: Text,
    /// The AWS documentation pages behind the explanation.
    pub source: Source,
    /// The simulated time of the world (default 2026-01-01T00:00:00Z).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// The question's world (scenario format); "open in the playground" shows it.
    pub world: World,
    /// Claims every option is judged by unless it states its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goal: Vec<Claim>,
    /// The world ready to run (checked and normalized at load).
    #[serde(skip)]
    pub prepared: World,
}

fn one() -> usize {
    1
}

/// One answer option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QuestionOption {
    /// `A`, `B`, … (unique).
    pub id: String,
    /// The option as shown.
    pub text: Text,
    /// True for the key.
    #[serde(default)]
    pub correct: bool,
    /// What the option does to the world (a patch and/or requests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// The outcomes the option claims (instead of the question's goal).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
    /// For a distractor naming something the playground does not simulate: why it is wrong
    /// anyway. Such an option is not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_simulated: Option<Text>,
    /// Why this option is right or wrong (shown in review).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<Text>,
}

/// A claimed outcome: a request and what comes back, with the claim in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Claim {
    /// The claim in words ("an upload without the header is refused").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub says: Option<Text>,
    /// The simulated time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    /// Seconds after the previous claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_seconds: Option<u64>,
    /// Add `x-amz-mfa` with this device's code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_from_device: Option<String>,
    /// The request.
    pub request: s3pg_sim::Request,
    /// What comes back.
    pub expect: s3pg_sim::scenario::Expect,
}

impl Claim {
    fn action(&self) -> Action {
        Action {
            at: self.at,
            after_seconds: self.after_seconds,
            mfa_from_device: self.mfa_from_device.clone(),
            request: self.request.clone(),
            expect: Some(self.expect.clone()),
        }
    }
}

/// What running one option showed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OptionCheck {
    /// The option's id.
    pub id: String,
    /// Whether the option is marked correct.
    pub correct: bool,
    /// Whether it works when run (`None`: not simulated).
    pub works: Option<bool>,
    /// True when `works` agrees with `correct`.
    pub key_holds: bool,
    /// The claims' reports (requests, outcomes, traces) — what "open in the playground" shows.
    pub reports: Vec<StepReport>,
    /// What did not hold, or why the option could not be run.
    pub failures: Vec<String>,
}

/// The score of one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    /// True when the selection is exactly the key.
    pub correct: bool,
    /// The key's option ids.
    pub key: Vec<String>,
    /// Key options not selected.
    pub missed: Vec<String>,
    /// Selected options that are not in the key.
    pub wrong: Vec<String>,
    /// The question's explanation.
    pub explanation: String,
    /// Each option's `why`, in option order.
    pub why: Vec<(String, String)>,
}

impl Question {
    /// Loads a question from JSON text and checks it.
    pub fn from_json(text: &str) -> Result<Question, LoadError> {
        let mut q: Question = parse(text)?;
        q.prepare(text, "")?;
        Ok(q)
    }

    /// The simulated start time.
    pub fn start_time(&self) -> Timestamp {
        self.start.unwrap_or(DEFAULT_START)
    }

    /// The ids of the options marked correct.
    pub fn key(&self) -> Vec<&str> {
        self.options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id.as_str())
            .collect()
    }

    pub(crate) fn prepare(&mut self, text: &str, base: &str) -> Result<(), LoadError> {
        let p = |rest: &str| join(base, rest);
        check_head(text, base, "question", self.kind.as_deref(), &self.id)?;
        check_topic(text, &p("topic"), &self.topic)?;
        if !(4..=5).contains(&self.options.len()) {
            return Err(error_at(
                text,
                &p("options"),
                format!("{} options; exam questions have 4 or 5", self.options.len()),
                None,
            ));
        }
        let key = self.key().len();
        if key != self.choose {
            return Err(error_at(
                text,
                &p("choose"),
                format!(
                    "the question asks to choose {} but {key} option(s) are marked correct",
                    self.choose
                ),
                Some("mark exactly `choose` options `\"correct\": true`"),
            ));
        }
        let mut ids: Vec<&str> = Vec::new();
        for (i, o) in self.options.iter().enumerate() {
            let at = |rest: &str| p(&format!("options[{i}]{rest}"));
            if ids.contains(&o.id.as_str()) {
                return Err(error_at(
                    text,
                    &at(".id"),
                    format!("two options are called `{}`", o.id),
                    Some("use `A`, `B`, `C`, …"),
                ));
            }
            ids.push(&o.id);
            if o.not_simulated.is_some() {
                if o.correct {
                    return Err(error_at(
                        text,
                        &at(".notSimulated"),
                        format!("option `{}` is in the key but cannot be run", o.id),
                        Some(
                            "the key must be verified by the engine; only distractors may be `notSimulated`",
                        ),
                    ));
                }
                continue;
            }
            if o.claims.is_empty() && self.goal.is_empty() {
                return Err(error_at(
                    text,
                    &at(""),
                    format!("option `{}` cannot be verified", o.id),
                    Some(
                        "give the option `claims`, give the question a `goal`, or say why it is `notSimulated`",
                    ),
                ));
            }
            if o.claims.is_empty() && o.change.is_none() {
                return Err(error_at(
                    text,
                    &at(""),
                    format!(
                        "option `{}` neither changes the world nor claims an outcome",
                        o.id
                    ),
                    Some("add `change` (judged by the goal) or `claims`"),
                ));
            }
        }
        self.prepared = prepare_world(&self.world, self.start_time(), &p("world"), text)?;
        for (i, o) in self.options.iter().enumerate() {
            if let Some(c) = &o.change {
                c.world_after(
                    &self.prepared,
                    self.start_time(),
                    &p(&format!("options[{i}].change")),
                    text,
                )?;
            }
        }
        Ok(())
    }

    /// Runs one option: applies its change and checks its claims (or the goal).
    pub fn run_option(&self, option: &QuestionOption) -> OptionCheck {
        let mut failures = Vec::new();
        let mut reports = Vec::new();
        let works = if let Some(why) = &option.not_simulated {
            failures.push(format!("not simulated: {why}"));
            None
        } else {
            let mut now = self.start_time();
            let mut world = match &option.change {
                Some(c) => match c.world_after(&self.prepared, now, "change", "") {
                    Ok(w) => w,
                    Err(e) => {
                        failures.push(format!("the change does not apply: {e}"));
                        self.prepared.clone()
                    }
                },
                None => self.prepared.clone(),
            };
            if let Some(c) = &option.change {
                for a in &c.steps {
                    let r = run_action(&mut world, &mut now, "change", a);
                    failures.extend(r.failures.iter().map(|f| format!("the change: {f}")));
                    reports.push(r);
                }
            }
            let claims = if option.claims.is_empty() {
                &self.goal
            } else {
                &option.claims
            };
            for (i, c) in claims.iter().enumerate() {
                let name = c
                    .says
                    .as_ref()
                    .map_or_else(|| format!("claim {}", i + 1), Text::as_string);
                let r = run_action(&mut world, &mut now, &name, &c.action());
                failures.extend(r.failures.iter().map(|f| format!("{name}: {f}")));
                reports.push(r);
            }
            Some(failures.is_empty())
        };
        OptionCheck {
            id: option.id.clone(),
            correct: option.correct,
            works,
            key_holds: works.is_none_or(|w| w == option.correct),
            reports,
            failures,
        }
    }

    /// Runs every option; the key is verified when every check's `key_holds`.
    pub fn verify(&self) -> Vec<OptionCheck> {
        self.options.iter().map(|o| self.run_option(o)).collect()
    }

    /// Scores a selection of option ids.
    pub fn score(&self, selected: &[&str]) -> Score {
        let key: Vec<String> = self.key().into_iter().map(str::to_owned).collect();
        let missed = key
            .iter()
            .filter(|k| !selected.contains(&k.as_str()))
            .cloned()
            .collect::<Vec<_>>();
        let wrong = selected
            .iter()
            .filter(|s| !key.iter().any(|k| k == *s))
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>();
        Score {
            correct: missed.is_empty() && wrong.is_empty(),
            key,
            missed,
            wrong,
            explanation: self.explanation.as_string(),
            why: self
                .options
                .iter()
                .map(|o| {
                    (
                        o.id.clone(),
                        o.why.as_ref().map(Text::as_string).unwrap_or_default(),
                    )
                })
                .collect(),
        }
    }
}
