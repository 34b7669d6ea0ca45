//! The learning views' state and its pure reducer: the course, the lesson being read (its
//! session's world, the learner's requests and what the engine said of each try), the challenge
//! being solved (its world as the learner's requests left it, the last grade), exam practice, and
//! the progress kept in the browser.
//!
//! Like the playground's `AppState`, every change is an [`LearnAction`] and [`LearnState::apply`]
//! is pure (time and randomness come in the action), so the whole learner's flow is tested
//! natively. The world only ever changes through `World::handle` — a saved policy is the
//! `PutBucketPolicy` request the console would send.

mod runs;

use std::rc::Rc;

use s3pg_course::{Action as CourseAction, Challenge, Course, Document, Lesson};
use s3pg_sim::{Caller, Operation, Request};
use yew::Reducible;

pub use self::runs::{ChallengeRun, LessonRun, page_try, pages, parse_request};
use self::runs::{lowercase_first, pretty};
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
mod tests;
