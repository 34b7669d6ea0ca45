//! `s3pg-course`: the course of the S3 Security Playground — lessons, auto-graded challenges and
//! engine-verified exam questions, as data files an instructor can write (`course/README.md`,
//! JSON Schemas in `course/`).
//!
//! Every piece of content runs on the simulated world (`s3pg_sim`): a lesson's tries are checked
//! by sending the learner's request, a challenge is graded by hidden probe requests and
//! constraints, and a question's answer key is verified by running each option. Worlds, requests
//! and expectations are the scenario format's (`tests/README.md`).
//!
//! The API is shaped for a UI to drive:
//!
//! ```
//! use s3pg_course::{Document, Lesson};
//!
//! let text = include_str!("../../../course/lessons/04-deny-encryption.json");
//! let lesson = Lesson::from_json(text).unwrap();
//! let mut session = lesson.begin();                   // the lesson's world, at its start
//! let first = lesson.tries().next().unwrap();
//! let report = session.attempt(first, &first.request); // the learner sends a request
//! assert!(report.passed, "{:?}", report.failures);    // checked: shape, outcome, trace
//! ```
//!
//! Nothing here reads the clock or a random source.

pub mod builtin;
pub mod catalog;
pub mod challenge;
pub mod check;
pub mod lesson;
pub mod load;
pub mod pack;
pub mod probe;
pub mod question;
pub mod text;
pub mod topic;

pub use catalog::{Course, TopicCount};
pub use challenge::{Challenge, Change, Constraint, Grade, GradeItem, Hole, Probe, Rule};
pub use check::{ItemCheck, check_document};
pub use lesson::{Lesson, LessonSession, Section, TraceQuestion, Try, TryReport};
pub use pack::{Document, Pack};
pub use probe::{Action, RequestMatch};
pub use question::{Claim, Exam, OptionCheck, Question, QuestionOption, Score};
pub use s3pg_sim::scenario::LoadError;
pub use text::Text;
pub use topic::{TOPICS, Topic};
