//! A lesson and a challenge in progress: the lesson's pages and tries, the learner's requests as
//! text, and the challenge's world as the learner's requests left it.

use std::collections::BTreeMap;

use s3pg_course::lesson::AnswerReport;
use s3pg_course::{Challenge, Grade, Lesson, LessonSession, Section, TryReport};
use s3pg_sim::scenario::{Step, StepReport, run_step};
use s3pg_sim::{Caller, Operation, Request, Timestamp, World};

use crate::learn::progress::Progress;

/// A lesson being read.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonRun {
    /// The lesson's id.
    pub id: String,
    /// The world as the passed tries left it.
    pub session: LessonSession,
    /// The page on screen (see [`pages`]).
    pub page: usize,
    /// The request being composed for each try, as JSON (starts as the try's request).
    pub drafts: BTreeMap<String, String>,
    /// Why a draft could not be sent (try id → message).
    pub draft_errors: BTreeMap<String, String>,
    /// The last report of each try.
    pub reports: BTreeMap<String, TryReport>,
    /// The learner's answer to each try's question, checked.
    pub answers: BTreeMap<String, (String, AnswerReport)>,
    /// Hints revealed per try.
    pub hints: BTreeMap<String, usize>,
}

/// A challenge being solved.
#[derive(Debug, Clone, PartialEq)]
pub struct ChallengeRun {
    /// The challenge's id.
    pub id: String,
    /// The world as the learner's requests left it.
    pub world: World,
    /// The simulated clock.
    pub now: Timestamp,
    /// Every request the learner sent, with what came back.
    pub sent: Vec<StepReport>,
    /// The request being composed, as JSON.
    pub draft: String,
    /// Why the draft could not be sent.
    pub draft_error: Option<String>,
    /// The bucket policy being edited, and the bucket.
    pub policy_bucket: String,
    /// The policy text as typed.
    pub policy_text: String,
    /// The last grade.
    pub grade: Option<Grade>,
    /// The grade item whose trace is open.
    pub open_item: Option<usize>,
    /// Which sent request's trace is open.
    pub open_sent: Option<usize>,
    /// Hints revealed.
    pub hints: usize,
}

/// The pages of a lesson: each page is the section indices up to and including one try; text
/// after the last try joins the last page.
pub fn pages(lesson: &Lesson) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut page = Vec::new();
    for (i, s) in lesson.sections.iter().enumerate() {
        page.push(i);
        if matches!(s, Section::Try(_)) {
            out.push(std::mem::take(&mut page));
        }
    }
    if !page.is_empty() {
        match out.last_mut() {
            Some(last) => last.extend(page),
            None => out.push(page),
        }
    }
    out
}

/// The try on a page.
pub fn page_try<'a>(lesson: &'a Lesson, page: &[usize]) -> Option<&'a s3pg_course::Try> {
    page.iter().find_map(|i| match lesson.sections.get(*i) {
        Some(Section::Try(t)) => Some(t.as_ref()),
        _ => None,
    })
}

pub(super) fn pretty(request: &Request) -> String {
    serde_json::to_string_pretty(request).unwrap_or_default()
}

/// Reads a request typed as JSON; the error says where (line:column).
pub fn parse_request(text: &str) -> Result<Request, String> {
    serde_json::from_str::<Request>(text).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line").next().unwrap_or(&msg).to_owned();
        format!(
            "{}:{}: the request does not read: {}",
            e.line(),
            e.column(),
            lowercase_first(&msg)
        )
    })
}

pub(super) fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The policy text of a bucket in a world (pretty JSON), or empty.
pub fn policy_text(world: &World, bucket: &str) -> String {
    world
        .buckets
        .get(bucket)
        .and_then(|b| serde_json::to_value(b).ok())
        .and_then(|v| v.get("policy").cloned())
        .filter(|p| !p.is_null())
        .map(|p| serde_json::to_string_pretty(&p).unwrap_or_default())
        .unwrap_or_default()
}

/// The bucket a challenge is about: the first its probes or hole name, else the world's first.
pub(super) fn main_bucket(challenge: &Challenge) -> String {
    challenge
        .probes
        .iter()
        .find_map(|p| p.request.operation.bucket().map(str::to_owned))
        .or_else(|| {
            challenge
                .hole
                .as_ref()
                .and_then(|h| h.target.bucket.clone())
        })
        .or_else(|| challenge.prepared.buckets.keys().next().cloned())
        .unwrap_or_default()
}

/// The request a challenge's composer starts from: for find-the-hole, the first attacker asking
/// for the bucket's listing; otherwise the bucket owner's `GetBucketPolicy`.
pub(super) fn starting_request(challenge: &Challenge, bucket: &str) -> Request {
    if let Some(hole) = &challenge.hole {
        let caller = hole.attackers.first().cloned().unwrap_or(Caller::Anonymous);
        let operation = serde_json::from_value::<Operation>(serde_json::json!({
            "ListObjectsV2": { "bucket": bucket }
        }));
        if let Ok(op) = operation {
            return Request::new(caller, op);
        }
    }
    let owner = challenge
        .prepared
        .buckets
        .get(bucket)
        .map(|b| b.owner.clone())
        .unwrap_or_default();
    Request::new(
        Caller::Root { account: owner },
        Operation::GetBucketPolicy {
            bucket: bucket.to_owned(),
        },
    )
}

impl LessonRun {
    /// Opens a lesson as the learner left it: the passed tries are replayed (their reference
    /// requests) so the world is where it was, and the first page with an unpassed try shows.
    pub fn resume(lesson: &Lesson, progress: &Progress) -> LessonRun {
        let passed = progress.passed_in(&lesson.id);
        let mut session = lesson.begin();
        for t in lesson.tries() {
            if passed.contains(&t.id) {
                let _ = session.attempt(t, &t.request);
            }
        }
        let ps = pages(lesson);
        let page = ps
            .iter()
            .position(|p| page_try(lesson, p).is_some_and(|t| !passed.contains(&t.id)))
            .unwrap_or(0);
        LessonRun {
            id: lesson.id.clone(),
            session,
            page,
            drafts: lesson
                .tries()
                .map(|t| (t.id.clone(), pretty(&t.request)))
                .collect(),
            draft_errors: BTreeMap::new(),
            reports: BTreeMap::new(),
            answers: BTreeMap::new(),
            hints: BTreeMap::new(),
        }
    }
}

impl ChallengeRun {
    /// A challenge at its start.
    pub fn begin(challenge: &Challenge) -> ChallengeRun {
        let bucket = main_bucket(challenge);
        ChallengeRun {
            id: challenge.id.clone(),
            world: challenge.prepared.clone(),
            now: challenge.start_time(),
            sent: Vec::new(),
            draft: pretty(&starting_request(challenge, &bucket)),
            draft_error: None,
            policy_text: policy_text(&challenge.prepared, &bucket),
            policy_bucket: bucket,
            grade: None,
            open_item: None,
            open_sent: None,
            hints: 0,
        }
    }

    /// Sends a request to the challenge's world (it changes the world, as in the playground).
    pub(super) fn send(&mut self, request: Request) {
        let step = Step {
            name: format!("request {}", self.sent.len() + 1),
            at: None,
            after_seconds: None,
            mfa_from_device: None,
            mfa_code_at: None,
            request,
            expect: None,
            save: std::collections::BTreeMap::new(),
        };
        let report = run_step(&mut self.world, &mut self.now, self.sent.len(), &step);
        self.sent.push(report);
        self.open_sent = Some(self.sent.len() - 1);
        self.draft_error = None;
    }
}
