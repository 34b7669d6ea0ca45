//! The learning views' state and its pure reducer: the course, the lesson being read (its
//! session's world, the learner's requests and what the engine said of each try), the challenge
//! being solved (its world as the learner's requests left it, the last grade), exam practice, and
//! the progress kept in the browser.
//!
//! Like the playground's `AppState`, every change is an [`LearnAction`] and [`LearnState::apply`]
//! is pure (time and randomness come in the action), so the whole learner's flow is tested
//! natively. The world only ever changes through `World::handle` — a saved policy is the
//! `PutBucketPolicy` request the console would send.

use std::collections::BTreeMap;
use std::rc::Rc;

use s3pg_course::lesson::AnswerReport;
use s3pg_course::{
    Action as CourseAction, Challenge, Course, Document, Grade, Lesson, LessonSession, Section,
    TryReport,
};
use s3pg_sim::scenario::{Step, StepReport, run_step};
use s3pg_sim::{Caller, Operation, Request, Timestamp, World};
use yew::Reducible;

use super::exam::{Drill, ExamConfig, Practice};
use super::progress::{Place, Progress};

/// The learning views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The lessons, in course order.
    Lessons,
    /// The challenges.
    Challenges,
    /// Exam practice.
    Exam,
}

/// A message for the learner above the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// True for a problem (shown as an alert), false for news.
    pub error: bool,
    /// The message.
    pub text: String,
}

/// Where instructor material came from, shown above the lists.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Opened {
    /// The pack's (or item's) title.
    pub title: String,
    /// The pack's description.
    pub description: String,
    /// Who wrote it.
    pub author: Option<String>,
    /// Ids of the lessons, challenges and questions it holds.
    pub ids: Vec<String>,
    /// The material's JSON as opened (what a share link carries).
    pub text: String,
}

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

/// Exam practice: the setup, a timed set, a drill, and which mistake is under review.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExamState {
    /// What the next set will be.
    pub config: ExamConfig,
    /// The set in progress or submitted.
    pub practice: Option<Practice>,
    /// A topic drill.
    pub drill: Option<Drill>,
    /// The index (into the set) of the question under review.
    pub review: Option<usize>,
}

/// The learning views' state.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnState {
    /// The course: the built-in one and whatever the learner opened.
    pub course: Rc<Course>,
    /// Instructor material opened from a file or link.
    pub opened: Option<Rc<Opened>>,
    /// The view on screen.
    pub tab: Tab,
    /// The lesson open, if any.
    pub lesson: Option<LessonRun>,
    /// The challenge open, if any.
    pub challenge: Option<ChallengeRun>,
    /// Exam practice.
    pub exam: ExamState,
    /// The learner's progress (written to local storage by the view).
    pub progress: Progress,
    /// A message above the view.
    pub notice: Option<Notice>,
}

/// Everything the learner can do in the learning views.
#[derive(Debug, Clone, PartialEq)]
pub enum LearnAction {
    /// Show a view (closing any open lesson or challenge).
    Tab(Tab),
    /// Open a lesson where the learner left it.
    OpenLesson(String),
    /// Show page N of the open lesson.
    LessonPage(usize),
    /// A try's request draft changed.
    EditTry(String, String),
    /// Put a try's suggested request back in its composer.
    ResetTry(String),
    /// Send a try's draft (parsed from its JSON).
    SendTry(String),
    /// Send a request for a try (from a form).
    SendTryRequest(String, Box<Request>),
    /// Answer a try's question about the trace.
    AnswerTry(String, String),
    /// Reveal the next hint of a try.
    TryHint(String),
    /// Open a challenge.
    OpenChallenge(String),
    /// The challenge's request draft changed.
    EditChallengeDraft(String),
    /// Send the challenge's draft.
    SendChallenge,
    /// Send a request in the challenge's world (from a form or a template).
    SendChallengeRequest(Box<Request>),
    /// The challenge's policy draft changed.
    EditChallengePolicy(String),
    /// Save the policy: `PutBucketPolicy` as the bucket owner (`DeleteBucketPolicy` when empty).
    SaveChallengePolicy,
    /// Start the challenge again from its world.
    ResetChallenge,
    /// Grade the challenge.
    Grade,
    /// Open (or close) a grade item's trace.
    OpenGradeItem(Option<usize>),
    /// Open (or close) a sent request's trace.
    OpenSent(Option<usize>),
    /// Reveal the next hint.
    ChallengeHint,
    /// Change the next practice set's setup.
    ConfigureExam(ExamConfig),
    /// Start a practice set with this seed at this time (ms).
    StartPractice {
        /// Picks the set (the page draws it at random).
        seed: u64,
        /// The page's clock when the set starts.
        now_ms: f64,
    },
    /// Toggle an option of the current practice question.
    PracticeToggle(String),
    /// Show practice question N.
    PracticeGo(usize),
    /// Flag or unflag the current practice question.
    PracticeFlag,
    /// Submit the set at this time.
    Submit(f64),
    /// The timer ticked at this time.
    Tick(f64),
    /// Review question N of the submitted set (or close the review).
    Review(Option<usize>),
    /// Start a drill on a topic.
    StartDrill(String),
    /// Toggle an option of the drill question.
    DrillToggle(String),
    /// Check the drill answer.
    DrillCheck,
    /// The next drill question.
    DrillNext,
    /// Back to the exam setup.
    LeaveExam,
    /// Import a progress file (merged; a bad file leaves everything as it was).
    ImportProgress(String),
    /// Open instructor material (a pack, lesson, challenge or question), from a file or link.
    OpenDocument(String),
    /// Hide the notice.
    DismissNotice,
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

fn pretty(request: &Request) -> String {
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

fn lowercase_first(s: &str) -> String {
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
fn main_bucket(challenge: &Challenge) -> String {
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
fn starting_request(challenge: &Challenge, bucket: &str) -> Request {
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
    fn send(&mut self, request: Request) {
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

impl LearnState {
    /// The state over a course, with the progress read from storage.
    pub fn new(course: Rc<Course>, progress: Progress) -> LearnState {
        LearnState {
            course,
            opened: None,
            tab: Tab::Lessons,
            lesson: None,
            challenge: None,
            exam: ExamState::default(),
            progress,
            notice: None,
        }
    }

    /// Opens where the learner was last (a lesson or challenge), if anything.
    pub fn resume_last(self) -> LearnState {
        match self.progress.last.clone() {
            Some(Place::Lesson(id)) => self.apply(LearnAction::OpenLesson(id)),
            Some(Place::Challenge(id)) => self.apply(LearnAction::OpenChallenge(id)),
            Some(Place::Exam) => self.apply(LearnAction::Tab(Tab::Exam)),
            None => self,
        }
    }

    /// The open lesson.
    pub fn open_lesson(&self) -> Option<&Lesson> {
        self.lesson.as_ref().and_then(|r| self.course.lesson(&r.id))
    }

    /// The open challenge.
    pub fn open_challenge(&self) -> Option<&Challenge> {
        self.challenge
            .as_ref()
            .and_then(|r| self.course.challenge(&r.id))
    }

    /// The next state after `action`.
    pub fn apply(mut self, action: LearnAction) -> LearnState {
        let course = Rc::clone(&self.course);
        match action {
            LearnAction::Tab(tab) => {
                self.tab = tab;
                self.lesson = None;
                self.challenge = None;
                if tab == Tab::Exam {
                    self.progress.last = Some(Place::Exam);
                }
            }
            LearnAction::OpenLesson(id) => match course.lesson(&id) {
                Some(lesson) => {
                    self.tab = Tab::Lessons;
                    self.challenge = None;
                    self.lesson = Some(LessonRun::resume(lesson, &self.progress));
                    self.progress.last = Some(Place::Lesson(id));
                }
                None => self.notice = Some(missing("lesson", &id)),
            },
            LearnAction::LessonPage(page) => {
                let lesson = self.open_lesson_of(&course);
                if let (Some(run), Some(lesson)) = (self.lesson.as_mut(), lesson) {
                    run.page = page.min(pages(lesson).len().saturating_sub(1));
                }
            }
            LearnAction::EditTry(t, text) => {
                if let Some(run) = self.lesson.as_mut() {
                    run.drafts.insert(t.clone(), text);
                    run.draft_errors.remove(&t);
                }
            }
            LearnAction::ResetTry(t) => {
                let lesson = self.open_lesson_of(&course);
                if let (Some(run), Some(lesson)) = (self.lesson.as_mut(), lesson)
                    && let Some(tr) = lesson.find_try(&t)
                {
                    run.drafts.insert(t.clone(), pretty(&tr.request));
                    run.draft_errors.remove(&t);
                }
            }
            LearnAction::SendTry(t) => {
                let draft = self
                    .lesson
                    .as_ref()
                    .and_then(|r| r.drafts.get(&t).cloned())
                    .unwrap_or_default();
                match parse_request(&draft) {
                    Ok(request) => {
                        return self.apply(LearnAction::SendTryRequest(t, Box::new(request)));
                    }
                    Err(e) => {
                        if let Some(run) = self.lesson.as_mut() {
                            run.draft_errors.insert(t, e);
                        }
                    }
                }
            }
            LearnAction::SendTryRequest(t, request) => {
                let lesson = self.open_lesson_of(&course);
                if let (Some(run), Some(lesson)) = (self.lesson.as_mut(), lesson)
                    && let Some(tr) = lesson.find_try(&t)
                {
                    let report = run.session.attempt(tr, &request);
                    run.draft_errors.remove(&t);
                    run.drafts.insert(t.clone(), pretty(&request));
                    run.answers.remove(&t);
                    if report.passed {
                        self.progress
                            .pass_try(&lesson.id, &t, lesson.tries().count());
                    }
                    run.reports.insert(t, report);
                }
            }
            LearnAction::AnswerTry(t, answer) => {
                let lesson = self.open_lesson_of(&course);
                if let (Some(run), Some(lesson)) = (self.lesson.as_mut(), lesson)
                    && let Some(tr) = lesson.find_try(&t)
                    && let Some(report) = run.reports.get(&t)
                    && let Some(a) = tr.answer(&report.step.outcome, &answer)
                {
                    run.answers.insert(t, (answer, a));
                }
            }
            LearnAction::TryHint(t) => {
                if let Some(run) = self.lesson.as_mut() {
                    *run.hints.entry(t).or_default() += 1;
                }
            }
            LearnAction::OpenChallenge(id) => match course.challenge(&id) {
                Some(c) => {
                    self.tab = Tab::Challenges;
                    self.lesson = None;
                    let mut run = ChallengeRun::begin(c);
                    run.hints = self.progress.challenges.get(&id).map_or(0, |p| p.hints);
                    self.challenge = Some(run);
                    self.progress.last = Some(Place::Challenge(id));
                }
                None => self.notice = Some(missing("challenge", &id)),
            },
            LearnAction::EditChallengeDraft(text) => {
                if let Some(run) = self.challenge.as_mut() {
                    run.draft = text;
                    run.draft_error = None;
                }
            }
            LearnAction::SendChallenge => {
                if let Some(run) = self.challenge.as_mut() {
                    match parse_request(&run.draft) {
                        Ok(r) => run.send(r),
                        Err(e) => run.draft_error = Some(e),
                    }
                }
            }
            LearnAction::SendChallengeRequest(request) => {
                if let Some(run) = self.challenge.as_mut() {
                    run.draft = pretty(&request);
                    run.send(*request);
                }
            }
            LearnAction::EditChallengePolicy(text) => {
                if let Some(run) = self.challenge.as_mut() {
                    run.policy_text = text;
                }
            }
            LearnAction::SaveChallengePolicy => {
                if let Some(run) = self.challenge.as_mut() {
                    let owner = run
                        .world
                        .buckets
                        .get(&run.policy_bucket)
                        .map(|b| b.owner.clone())
                        .unwrap_or_default();
                    let bucket = run.policy_bucket.clone();
                    let operation = if run.policy_text.trim().is_empty() {
                        Ok(Operation::DeleteBucketPolicy { bucket })
                    } else {
                        serde_json::from_str::<serde_json::Value>(&run.policy_text)
                            .map(|policy| Operation::PutBucketPolicy { bucket, policy })
                            .map_err(|e| {
                                format!(
                                    "{}:{}: the policy is not JSON: {}",
                                    e.line(),
                                    e.column(),
                                    lowercase_first(
                                        e.to_string().split(" at line").next().unwrap_or_default()
                                    )
                                )
                            })
                    };
                    match operation {
                        Ok(op) => run.send(Request::new(Caller::Root { account: owner }, op)),
                        Err(e) => run.draft_error = Some(e),
                    }
                }
            }
            LearnAction::ResetChallenge => {
                if let Some(c) = self.open_challenge_of(&course) {
                    let hints = self.challenge.as_ref().map_or(0, |r| r.hints);
                    let mut run = ChallengeRun::begin(c);
                    run.hints = hints;
                    self.challenge = Some(run);
                }
            }
            LearnAction::Grade => {
                let challenge = self.open_challenge_of(&course);
                if let (Some(run), Some(c)) = (self.challenge.as_mut(), challenge) {
                    let grade = if c.is_find_the_hole() {
                        let actions: Vec<CourseAction> = run
                            .sent
                            .iter()
                            .map(|s| CourseAction {
                                at: None,
                                after_seconds: None,
                                mfa_from_device: None,
                                request: s.request.clone(),
                                expect: None,
                            })
                            .collect();
                        c.grade_requests(&actions)
                    } else {
                        c.grade_world(&run.world)
                    };
                    let (passed, total) = grade.score();
                    self.progress.grade(&c.id, passed, total);
                    run.open_item = grade.items.iter().position(|i| !i.passed);
                    run.grade = Some(grade);
                }
            }
            LearnAction::OpenGradeItem(i) => {
                if let Some(run) = self.challenge.as_mut() {
                    run.open_item = i;
                }
            }
            LearnAction::OpenSent(i) => {
                if let Some(run) = self.challenge.as_mut() {
                    run.open_sent = i;
                }
            }
            LearnAction::ChallengeHint => {
                if let Some(run) = self.challenge.as_mut() {
                    run.hints += 1;
                    let (id, shown) = (run.id.clone(), run.hints);
                    self.progress.hints(&id, shown);
                }
            }
            LearnAction::ConfigureExam(config) => self.exam.config = config,
            LearnAction::StartPractice { seed, now_ms } => {
                self.tab = Tab::Exam;
                self.exam.drill = None;
                self.exam.review = None;
                self.exam.practice = Some(Practice::start(
                    &course,
                    self.exam.config.clone(),
                    seed,
                    now_ms,
                ));
            }
            LearnAction::PracticeToggle(option) => {
                if let Some(p) = self.exam.practice.as_mut() {
                    p.toggle(&course, &option);
                }
            }
            LearnAction::PracticeGo(i) => {
                if let Some(p) = self.exam.practice.as_mut() {
                    p.go(i);
                }
            }
            LearnAction::PracticeFlag => {
                if let Some(p) = self.exam.practice.as_mut()
                    && let Some(f) = p.flagged.get_mut(p.current)
                {
                    *f = !*f;
                }
            }
            LearnAction::Submit(now_ms) => {
                if let Some(p) = self.exam.practice.as_mut() {
                    p.submit(&course, now_ms, false);
                }
                self.record_practice();
            }
            LearnAction::Tick(now_ms) => {
                let ticked = self
                    .exam
                    .practice
                    .as_mut()
                    .is_some_and(|p| p.tick(&course, now_ms));
                if ticked {
                    self.record_practice();
                    self.notice = Some(Notice {
                        error: false,
                        text: "Time is up: your answers were submitted.".to_owned(),
                    });
                } else {
                    // Nothing changed that the page shows but the countdown, which reads the
                    // clock itself.
                    return self;
                }
            }
            LearnAction::Review(i) => self.exam.review = i,
            LearnAction::StartDrill(topic) => {
                self.tab = Tab::Exam;
                self.exam.practice = None;
                self.exam.review = None;
                self.exam.drill = Some(Drill::start(&course, &topic));
            }
            LearnAction::DrillToggle(option) => {
                if let Some(d) = self.exam.drill.as_mut() {
                    d.toggle(&course, &option);
                }
            }
            LearnAction::DrillCheck => {
                if let Some(d) = self.exam.drill.as_mut() {
                    let id = d.questions.get(d.current).cloned();
                    if let (Some(score), Some(id)) = (d.check(&course), id) {
                        self.progress.answer(&id, score.correct);
                    }
                }
            }
            LearnAction::DrillNext => {
                if let Some(d) = self.exam.drill.as_mut() {
                    d.next();
                }
            }
            LearnAction::LeaveExam => {
                self.exam.practice = None;
                self.exam.drill = None;
                self.exam.review = None;
            }
            LearnAction::ImportProgress(text) => match Progress::parse(&text) {
                Ok(p) => {
                    let before = (
                        self.progress.lessons_done(),
                        self.progress.challenges_solved(),
                    );
                    self.progress.merge(&p);
                    self.notice = Some(Notice {
                        error: false,
                        text: format!(
                            "Progress imported and merged with this browser's: {} lessons done (was {}), {} challenges solved (was {}).",
                            self.progress.lessons_done(),
                            before.0,
                            self.progress.challenges_solved(),
                            before.1
                        ),
                    });
                }
                Err(e) => {
                    self.notice = Some(Notice {
                        error: true,
                        text: format!(
                            "The progress file was not imported; your progress is unchanged. {e}"
                        ),
                    });
                }
            },
            LearnAction::OpenDocument(text) => return self.open_document(&text),
            LearnAction::DismissNotice => self.notice = None,
        }
        self
    }

    fn open_lesson_of<'a>(&self, course: &'a Course) -> Option<&'a Lesson> {
        self.lesson.as_ref().and_then(|r| course.lesson(&r.id))
    }

    fn open_challenge_of<'a>(&self, course: &'a Course) -> Option<&'a Challenge> {
        self.challenge
            .as_ref()
            .and_then(|r| course.challenge(&r.id))
    }

    /// Records a submitted practice set's answers in the progress.
    fn record_practice(&mut self) {
        let answered: Vec<(String, bool)> = self
            .exam
            .practice
            .as_ref()
            .and_then(|p| p.result.as_ref())
            .map(|r| {
                r.answered
                    .iter()
                    .map(|a| (a.id.clone(), a.score.correct))
                    .collect()
            })
            .unwrap_or_default();
        for (id, correct) in answered {
            self.progress.answer(&id, correct);
        }
        if let Some(r) = self.exam.practice.as_ref().and_then(|p| p.result.as_ref()) {
            self.exam.review = r.mistakes().first().copied();
        }
    }

    /// Adds instructor material to the course (an item with the id of a built-in one replaces
    /// it) and opens it: a single lesson or challenge opens directly; a pack shows its lists.
    fn open_document(mut self, text: &str) -> LearnState {
        let doc = match Document::from_json(text) {
            Ok(d) => d,
            Err(e) => {
                self.notice = Some(Notice {
                    error: true,
                    text: format!(
                        "The course material could not be opened; nothing was changed. {e}"
                    ),
                });
                return self;
            }
        };
        let mut course = (*self.course).clone();
        let mut opened = Opened {
            text: text.to_owned(),
            ..Opened::default()
        };
        let (lessons, challenges, questions) = match doc {
            Document::Lesson(l) => {
                opened.title.clone_from(&l.title);
                (vec![*l], Vec::new(), Vec::new())
            }
            Document::Challenge(c) => {
                opened.title.clone_from(&c.title);
                (Vec::new(), vec![*c], Vec::new())
            }
            Document::Question(q) => {
                opened.title = format!("Question {}", q.id);
                (Vec::new(), Vec::new(), vec![*q])
            }
            Document::Pack(p) => {
                let p = *p;
                opened.title = p.title;
                opened.description = p.description.map(|d| d.as_string()).unwrap_or_default();
                opened.author = p.author;
                (p.lessons, p.challenges, p.questions)
            }
        };
        let first = (
            lessons.first().map(|l| l.id.clone()),
            challenges.first().map(|c| c.id.clone()),
            questions.first().map(|q| q.topic.clone()),
        );
        let single = lessons.len() + challenges.len() + questions.len() == 1;
        for l in lessons {
            opened.ids.push(l.id.clone());
            course.lessons.retain(|x| x.id != l.id);
            course.lessons.insert(0, l);
        }
        for c in challenges {
            opened.ids.push(c.id.clone());
            course.challenges.retain(|x| x.id != c.id);
            course.challenges.insert(0, c);
        }
        for q in questions {
            opened.ids.push(q.id.clone());
            course.questions.retain(|x| x.id != q.id);
            course.questions.insert(0, q);
        }
        self.course = Rc::new(course);
        self.opened = Some(Rc::new(opened));
        self.notice = None;
        match first {
            (Some(l), None, None) if single => self.apply(LearnAction::OpenLesson(l)),
            (None, Some(c), None) if single => self.apply(LearnAction::OpenChallenge(c)),
            (None, None, Some(_)) if single => {
                let id = self.opened.as_ref().and_then(|o| o.ids.first().cloned());
                let mut s = self.apply(LearnAction::Tab(Tab::Exam));
                if let Some(id) = id {
                    s.exam.drill = Some(Drill {
                        topic: String::new(),
                        questions: vec![id],
                        current: 0,
                        selected: Vec::new(),
                        checked: None,
                        correct: 0,
                        done: 0,
                    });
                }
                s
            }
            (l, c, _) => {
                let tab = if l.is_some() {
                    Tab::Lessons
                } else if c.is_some() {
                    Tab::Challenges
                } else {
                    Tab::Exam
                };
                self.apply(LearnAction::Tab(tab))
            }
        }
    }
}

fn missing(kind: &str, id: &str) -> Notice {
    Notice {
        error: true,
        text: format!("There is no {kind} `{id}` in this course; the link may be out of date."),
    }
}

impl Reducible for LearnState {
    type Action = LearnAction;

    fn reduce(self: Rc<Self>, action: LearnAction) -> Rc<Self> {
        if let LearnAction::Tick(now) = action
            && !self
                .exam
                .practice
                .as_ref()
                .is_some_and(|p| p.result.is_none() && p.expired(now))
        {
            // Most ticks change nothing: keep the same Rc so Yew skips the render.
            return self;
        }
        Rc::new((*self).clone().apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> LearnState {
        let course = s3pg_course::builtin::course().unwrap();
        LearnState::new(Rc::new(course), Progress::default())
    }

    fn deny_lesson(s: &LearnState) -> &Lesson {
        s.course.lesson("04-deny-encryption").unwrap()
    }

    #[test]
    fn every_lesson_splits_into_pages_that_each_hold_one_try() {
        let s = state();
        for l in &s.course.lessons {
            let ps = pages(l);
            assert_eq!(ps.len(), l.tries().count(), "{}", l.id);
            let all: Vec<usize> = ps.iter().flatten().copied().collect();
            assert_eq!(all, (0..l.sections.len()).collect::<Vec<_>>(), "{}", l.id);
            for p in &ps {
                assert!(page_try(l, p).is_some(), "{}", l.id);
            }
        }
    }

    #[test]
    fn a_learner_completes_a_lesson_with_its_suggested_requests() {
        let mut s = state().apply(LearnAction::OpenLesson("04-deny-encryption".into()));
        let lesson = deny_lesson(&s).clone();
        let tries: Vec<String> = lesson.tries().map(|t| t.id.clone()).collect();
        for (i, t) in tries.iter().enumerate() {
            s = s.apply(LearnAction::LessonPage(i));
            s = s.apply(LearnAction::SendTry(t.clone()));
            let report = &s.lesson.as_ref().unwrap().reports[t];
            assert!(report.passed, "{t}: {:?}", report.failures);
            if let Some(q) = &lesson.find_try(t).unwrap().question {
                s = s.apply(LearnAction::AnswerTry(t.clone(), q.answer.clone()));
                assert!(s.lesson.as_ref().unwrap().answers[t].1.correct, "{t}");
            }
        }
        assert!(s.progress.lesson_done("04-deny-encryption"));
        assert_eq!(
            s.progress.last,
            Some(Place::Lesson("04-deny-encryption".into()))
        );
    }

    #[test]
    fn a_failed_try_says_why_and_changes_nothing() {
        let s = state().apply(LearnAction::OpenLesson("04-deny-encryption".into()));
        let lesson = deny_lesson(&s).clone();
        let first = lesson.tries().next().unwrap();
        let world_before = s.lesson.as_ref().unwrap().session.world.clone();
        // Send a GetObject where the try asks for an upload.
        let mut wrong = serde_json::to_value(&first.request).unwrap();
        wrong["operation"] = serde_json::json!({"ListObjectsV2": {"bucket": "examplebucket"}});
        let s = s.apply(LearnAction::EditTry(first.id.clone(), wrong.to_string()));
        let s = s.apply(LearnAction::SendTry(first.id.clone()));
        let run = s.lesson.as_ref().unwrap();
        let report = &run.reports[&first.id];
        assert!(!report.passed);
        assert!(
            report.failures.iter().any(|f| f.contains("PutObject")),
            "{:?}",
            report.failures
        );
        assert_eq!(run.session.world, world_before);
        assert!(!s.progress.lesson_done("04-deny-encryption"));
        assert!(s.progress.passed_in("04-deny-encryption").is_empty());
    }

    #[test]
    fn a_draft_that_does_not_read_says_where_and_keeps_the_text() {
        let s = state().apply(LearnAction::OpenLesson("04-deny-encryption".into()));
        let t = deny_lesson(&s).tries().next().unwrap().id.clone();
        let s = s.apply(LearnAction::EditTry(
            t.clone(),
            "{\n  \"caller\": oops\n}".into(),
        ));
        let s = s.apply(LearnAction::SendTry(t.clone()));
        let run = s.lesson.as_ref().unwrap();
        assert!(
            run.draft_errors[&t].starts_with("2:"),
            "{}",
            run.draft_errors[&t]
        );
        assert_eq!(run.drafts[&t], "{\n  \"caller\": oops\n}");
        assert!(!run.reports.contains_key(&t));
    }

    #[test]
    fn reopening_a_lesson_resumes_at_the_first_unpassed_try_with_the_world_moved_on() {
        let s = state().apply(LearnAction::OpenLesson("04-deny-encryption".into()));
        let first = deny_lesson(&s).tries().next().unwrap().id.clone();
        let s = s.apply(LearnAction::SendTry(first));
        let world_after = s.lesson.as_ref().unwrap().session.world.clone();
        let s = s.apply(LearnAction::Tab(Tab::Lessons));
        assert!(s.lesson.is_none());
        let s = s.apply(LearnAction::OpenLesson("04-deny-encryption".into()));
        let run = s.lesson.as_ref().unwrap();
        assert_eq!(run.page, 1);
        assert_eq!(run.session.world, world_after);
        // A reload: the progress alone brings the learner back.
        let fresh = LearnState::new(Rc::clone(&s.course), s.progress.clone()).resume_last();
        assert_eq!(fresh.lesson.as_ref().unwrap().page, 1);
    }

    #[test]
    fn a_challenge_is_solved_by_saving_the_policy_as_a_request_and_grading() {
        let s = state().apply(LearnAction::OpenChallenge("deny-encryption-01".into()));
        let c = s.open_challenge().unwrap().clone();
        // First grade as is: some requirement fails and its trace opens.
        let s = s.apply(LearnAction::Grade);
        let run = s.challenge.as_ref().unwrap();
        let grade = run.grade.as_ref().unwrap();
        assert!(!grade.passed);
        let open = run.open_item.unwrap();
        assert!(!grade.items[open].passed);
        assert!(
            grade.items[open].report.is_some(),
            "the failing probe's trace"
        );
        // Save the reference solution's policy through PutBucketPolicy.
        let policy =
            c.solution.patch.as_ref().unwrap()["buckets"]["examplebucket"]["policy"].clone();
        let s = s.apply(LearnAction::EditChallengePolicy(policy.to_string()));
        let s = s.apply(LearnAction::SaveChallengePolicy);
        let run = s.challenge.as_ref().unwrap();
        let last = run.sent.last().unwrap();
        assert_eq!(last.request.operation.name(), "PutBucketPolicy");
        assert_eq!(last.outcome.status, 204, "{:?}", last.outcome.error);
        let s = s.apply(LearnAction::Grade);
        let grade = s.challenge.as_ref().unwrap().grade.as_ref().unwrap();
        assert!(grade.passed, "{:?}", grade.failed_ids());
        let p = &s.progress.challenges["deny-encryption-01"];
        assert!(p.solved);
        assert_eq!(p.attempts, 2);
    }

    #[test]
    fn hints_are_revealed_one_level_at_a_time_and_remembered() {
        let s = state().apply(LearnAction::OpenChallenge("deny-encryption-01".into()));
        let s = s
            .apply(LearnAction::ChallengeHint)
            .apply(LearnAction::ChallengeHint);
        assert_eq!(s.challenge.as_ref().unwrap().hints, 2);
        let s = s.apply(LearnAction::Tab(Tab::Challenges));
        let s = s.apply(LearnAction::OpenChallenge("deny-encryption-01".into()));
        assert_eq!(s.challenge.as_ref().unwrap().hints, 2);
    }

    #[test]
    fn a_find_the_hole_challenge_is_graded_by_the_learners_requests() {
        let s = state();
        let c = s
            .course
            .challenges
            .iter()
            .find(|c| c.is_find_the_hole())
            .unwrap()
            .clone();
        let s = s.apply(LearnAction::OpenChallenge(c.id.clone()));
        let s = s.apply(LearnAction::Grade);
        assert!(!s.challenge.as_ref().unwrap().grade.as_ref().unwrap().passed);
        let mut s = s;
        for step in &c.solution.steps {
            s = s.apply(LearnAction::SendChallengeRequest(Box::new(
                step.request.clone(),
            )));
        }
        let s = s.apply(LearnAction::Grade);
        let g = s.challenge.as_ref().unwrap().grade.as_ref().unwrap();
        assert!(g.passed, "{:?} {:?}", g.failed_ids(), g.submission);
    }

    #[test]
    fn a_timed_set_records_each_answer_in_the_history_and_opens_the_first_mistake() {
        let s = state().apply(LearnAction::ConfigureExam(ExamConfig {
            exam: None,
            topics: vec!["acls".into()],
            count: 3,
            minutes: 5,
        }));
        let s = s.apply(LearnAction::StartPractice {
            seed: 5,
            now_ms: 0.0,
        });
        let p = s.exam.practice.as_ref().unwrap();
        let first = s.course.question(&p.questions[0]).unwrap().clone();
        let s = s.apply(LearnAction::PracticeToggle(first.key()[0].to_owned()));
        let s = s.apply(LearnAction::Tick(1_000.0));
        assert!(s.exam.practice.as_ref().unwrap().result.is_none());
        let s = s.apply(LearnAction::Submit(90_000.0));
        let r = s.exam.practice.as_ref().unwrap().result.as_ref().unwrap();
        assert_eq!(r.answered.len(), 3);
        assert_eq!(s.progress.questions.len(), 3);
        assert_eq!(s.exam.review, r.mistakes().first().copied());
    }

    #[test]
    fn the_timer_submits_a_set_whose_time_ran_out_and_says_so() {
        let s = state().apply(LearnAction::ConfigureExam(ExamConfig {
            exam: None,
            topics: Vec::new(),
            count: 2,
            minutes: 1,
        }));
        let s = Rc::new(s.apply(LearnAction::StartPractice {
            seed: 1,
            now_ms: 0.0,
        }));
        let same = Rc::clone(&s).reduce(LearnAction::Tick(30_000.0));
        assert!(
            Rc::ptr_eq(&s, &same),
            "a tick before the end does not re-render"
        );
        let s = s.reduce(LearnAction::Tick(60_000.0));
        assert!(
            s.exam
                .practice
                .as_ref()
                .unwrap()
                .result
                .as_ref()
                .unwrap()
                .timed_out
        );
        assert!(s.notice.as_ref().unwrap().text.contains("Time is up"));
    }

    #[test]
    fn a_bad_progress_import_keeps_everything_and_says_why() {
        let s = state().apply(LearnAction::OpenLesson("04-deny-encryption".into()));
        let t = deny_lesson(&s).tries().next().unwrap().id.clone();
        let s = s.apply(LearnAction::SendTry(t));
        let before = s.progress.clone();
        let s = s.apply(LearnAction::ImportProgress(
            "{\"format\": \"s3pg-progress\", \"version\": 1, \"lessons\": [".into(),
        ));
        assert_eq!(s.progress, before);
        let n = s.notice.clone().unwrap();
        assert!(n.error && n.text.contains("unchanged"), "{}", n.text);
        let mut other = Progress::default();
        other.grade("acls-01", 3, 3);
        let s = s.apply(LearnAction::ImportProgress(other.export()));
        assert!(s.progress.challenges["acls-01"].solved);
        assert!(
            !s.progress.passed_in("04-deny-encryption").is_empty(),
            "merged, not replaced"
        );
        assert!(!s.notice.unwrap().error);
    }

    fn custom_challenge() -> String {
        let text = s3pg_course::builtin::file("challenges/deny-encryption-01.json").unwrap();
        let mut v: serde_json::Value = serde_json::from_str(text).unwrap();
        v["id"] = "my-class-challenge".into();
        v["title"] = "My class's challenge".into();
        v.to_string()
    }

    #[test]
    fn an_instructors_challenge_opens_directly_and_is_graded() {
        let s = state().apply(LearnAction::OpenDocument(custom_challenge()));
        assert_eq!(s.tab, Tab::Challenges);
        assert_eq!(s.challenge.as_ref().unwrap().id, "my-class-challenge");
        assert_eq!(s.course.challenges[0].id, "my-class-challenge");
        assert_eq!(s.opened.as_ref().unwrap().title, "My class's challenge");
        let s = s.apply(LearnAction::Grade);
        assert!(s.progress.challenges.contains_key("my-class-challenge"));
    }

    #[test]
    fn a_pack_adds_its_items_and_a_bad_one_changes_nothing() {
        let challenge: serde_json::Value = serde_json::from_str(&custom_challenge()).unwrap();
        let pack = serde_json::json!({
            "kind": "pack", "id": "week-1", "title": "Week 1", "description": "Do the challenge.",
            "author": "A. Instructor", "challenges": [challenge]
        });
        let s = state().apply(LearnAction::OpenDocument(pack.to_string()));
        let o = s.opened.clone().unwrap();
        assert_eq!(
            (o.title.as_str(), o.author.as_deref()),
            ("Week 1", Some("A. Instructor"))
        );
        assert_eq!(o.ids, ["my-class-challenge"]);
        assert_eq!(s.tab, Tab::Challenges);
        let before = s.course.clone();
        let s = s.apply(LearnAction::OpenDocument(
            "{\"kind\": \"lesson\", \"id\": \"x\"}".into(),
        ));
        assert_eq!(s.course, before);
        assert!(s.notice.as_ref().unwrap().error);
        assert!(
            s.notice
                .as_ref()
                .unwrap()
                .text
                .contains("nothing was changed")
        );
    }

    #[test]
    fn a_link_to_a_missing_item_says_so() {
        let s = state().apply(LearnAction::OpenLesson("99-nothing".into()));
        assert!(s.lesson.is_none());
        assert!(s.notice.unwrap().text.contains("`99-nothing`"));
    }
}
