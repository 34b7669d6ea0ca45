//! The learner's progress through the course, kept in this browser's local storage and nowhere
//! else: which tries of which lesson passed (and where the learner left off), each challenge's
//! best grade and how many hints were shown, and every exam question's answer history.
//!
//! Progress travels as a JSON file the learner exports and imports. An import is checked before
//! anything changes: a file that is not progress is refused with where and why, and a good file is
//! *merged* into what is there (the best of both), so importing never loses work.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `format` field of an exported progress file.
pub const FORMAT: &str = "s3pg-progress";

/// The version of the progress format this page writes and reads.
pub const VERSION: u32 = 1;

/// The local-storage key of the progress.
pub const STORAGE_KEY: &str = "s3pg.progress.v1";

/// Where the learner is in the course, so a reload resumes there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "id")]
pub enum Place {
    /// A lesson.
    Lesson(String),
    /// A challenge.
    Challenge(String),
    /// Exam practice.
    Exam,
}

/// One lesson's progress.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LessonProgress {
    /// Ids of the tries passed, in the order they were passed.
    #[serde(default)]
    pub passed: Vec<String>,
    /// True once every try passed.
    #[serde(default)]
    pub done: bool,
}

/// One challenge's progress.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChallengeProgress {
    /// Times it was graded.
    #[serde(default)]
    pub attempts: u32,
    /// The most requirements met in one grading.
    #[serde(default)]
    pub best: usize,
    /// How many requirements there are.
    #[serde(default)]
    pub total: usize,
    /// True once a grading passed every requirement.
    #[serde(default)]
    pub solved: bool,
    /// How many hints the learner revealed.
    #[serde(default)]
    pub hints: usize,
}

/// One question's answer history.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuestionHistory {
    /// Times answered.
    #[serde(default)]
    pub answered: u32,
    /// Times answered correctly.
    #[serde(default)]
    pub correct: u32,
    /// Whether the latest answer was right.
    #[serde(default)]
    pub last_correct: bool,
}

/// Everything the browser remembers about the learner's course work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Progress {
    /// Always [`FORMAT`]: says what the file is.
    pub format: String,
    /// The format version ([`VERSION`]).
    pub version: u32,
    /// Lessons by id.
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
    /// Challenges by id.
    #[serde(default)]
    pub challenges: BTreeMap<String, ChallengeProgress>,
    /// Questions by id.
    #[serde(default)]
    pub questions: BTreeMap<String, QuestionHistory>,
    /// Where the learner was last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Place>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            format: FORMAT.to_owned(),
            version: VERSION,
            lessons: BTreeMap::new(),
            challenges: BTreeMap::new(),
            questions: BTreeMap::new(),
            last: None,
        }
    }
}

/// Why a progress file was not imported. The message is a sentence for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// What is wrong, lowercase, the learner's input in backticks.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// 1-based line and column, when the problem is at a place in the file.
    pub at: Option<(usize, usize)>,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((line, column)) = self.at {
            write!(f, "{line}:{column}: ")?;
        }
        write!(f, "{}\n  help: {}", self.message, self.help)
    }
}

impl Progress {
    /// The progress as a pretty JSON file.
    pub fn export(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a progress file; refuses anything else with where and why.
    pub fn parse(text: &str) -> Result<Progress, ImportError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ImportError {
            message: format!("the file is not JSON ({})", lowercase_first(&e.to_string())),
            help: "choose a file saved with “Export progress”".to_owned(),
            at: Some((e.line(), e.column())),
        })?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(ImportError {
                    message: format!("the file's `format` is `{other}`, not `{FORMAT}`"),
                    help: "this looks like another kind of file; choose a file saved with “Export progress”".to_owned(),
                    at: None,
                });
            }
            None => {
                return Err(ImportError {
                    message: "the file has no `format` field, so it is not a progress file"
                        .to_owned(),
                    help: "choose a file saved with “Export progress”".to_owned(),
                    at: None,
                });
            }
        }
        if let Some(v) = value.get("version").and_then(|v| v.as_u64())
            && v > u64::from(VERSION)
        {
            return Err(ImportError {
                message: format!(
                    "the file is progress format version `{v}`, newer than this page reads"
                ),
                help: "reload the page to get the latest playground, then import again".to_owned(),
                at: None,
            });
        }
        serde_json::from_str::<Progress>(text).map_err(|e| ImportError {
            message: format!(
                "the progress file does not read ({})",
                lowercase_first(&e.to_string())
            ),
            help: "the file may have been edited by hand; export it again from the browser it came from".to_owned(),
            at: Some((e.line(), e.column())),
        })
    }

    /// Reads progress kept in local storage; anything unreadable starts afresh (the caller keeps
    /// the unreadable text aside so it is not overwritten unseen).
    pub fn from_storage(text: Option<&str>) -> Result<Progress, ImportError> {
        match text {
            None => Ok(Progress::default()),
            Some(t) => Progress::parse(t),
        }
    }

    /// Merges `other` into this progress: passed tries are united, a challenge keeps its best
    /// grade and the most hints shown, a question keeps the longer history. Nothing is lost.
    pub fn merge(&mut self, other: &Progress) {
        for (id, theirs) in &other.lessons {
            let mine = self.lessons.entry(id.clone()).or_default();
            for t in &theirs.passed {
                if !mine.passed.contains(t) {
                    mine.passed.push(t.clone());
                }
            }
            mine.done |= theirs.done;
        }
        for (id, theirs) in &other.challenges {
            let mine = self.challenges.entry(id.clone()).or_default();
            mine.attempts = mine.attempts.max(theirs.attempts);
            mine.best = mine.best.max(theirs.best);
            mine.total = mine.total.max(theirs.total);
            mine.solved |= theirs.solved;
            mine.hints = mine.hints.max(theirs.hints);
        }
        for (id, theirs) in &other.questions {
            let mine = self.questions.entry(id.clone()).or_default();
            if theirs.answered > mine.answered {
                *mine = theirs.clone();
            }
        }
        if self.last.is_none() {
            self.last.clone_from(&other.last);
        }
    }

    /// Records that a lesson's try passed; `tries` is how many tries the lesson has.
    pub fn pass_try(&mut self, lesson: &str, try_id: &str, tries: usize) {
        let p = self.lessons.entry(lesson.to_owned()).or_default();
        if !p.passed.iter().any(|t| t == try_id) {
            p.passed.push(try_id.to_owned());
        }
        if p.passed.len() >= tries {
            p.done = true;
        }
    }

    /// Records a challenge grading: `passed` of `total` requirements met.
    pub fn grade(&mut self, challenge: &str, passed: usize, total: usize) {
        let p = self.challenges.entry(challenge.to_owned()).or_default();
        p.attempts = p.attempts.saturating_add(1);
        p.best = p.best.max(passed);
        p.total = total;
        if total > 0 && passed == total {
            p.solved = true;
        }
    }

    /// Records that the learner revealed `shown` hints of a challenge.
    pub fn hints(&mut self, challenge: &str, shown: usize) {
        let p = self.challenges.entry(challenge.to_owned()).or_default();
        p.hints = p.hints.max(shown);
    }

    /// Records an answer to a question.
    pub fn answer(&mut self, question: &str, correct: bool) {
        let h = self.questions.entry(question.to_owned()).or_default();
        h.answered = h.answered.saturating_add(1);
        if correct {
            h.correct = h.correct.saturating_add(1);
        }
        h.last_correct = correct;
    }

    /// Tries passed in a lesson.
    pub fn passed_in(&self, lesson: &str) -> &[String] {
        self.lessons
            .get(lesson)
            .map_or(&[][..], |p| p.passed.as_slice())
    }

    /// Whether a lesson is done.
    pub fn lesson_done(&self, lesson: &str) -> bool {
        self.lessons.get(lesson).is_some_and(|p| p.done)
    }

    /// How many lessons are done.
    pub fn lessons_done(&self) -> usize {
        self.lessons.values().filter(|p| p.done).count()
    }

    /// How many challenges are solved.
    pub fn challenges_solved(&self) -> usize {
        self.challenges.values().filter(|p| p.solved).count()
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Progress {
        let mut p = Progress::default();
        p.pass_try("04-deny-encryption", "upload-without-header", 3);
        p.grade("deny-encryption-01", 1, 2);
        p.hints("deny-encryption-01", 2);
        p.answer("sse-q01", false);
        p.answer("sse-q01", true);
        p.last = Some(Place::Lesson("04-deny-encryption".to_owned()));
        p
    }

    #[test]
    fn export_then_import_gives_the_same_progress() {
        let p = sample();
        assert_eq!(Progress::parse(&p.export()), Ok(p));
    }

    #[test]
    fn a_lesson_is_done_when_every_try_passed_once() {
        let mut p = Progress::default();
        p.pass_try("l", "a", 2);
        p.pass_try("l", "a", 2);
        assert!(!p.lesson_done("l"));
        assert_eq!(p.passed_in("l"), ["a"]);
        p.pass_try("l", "b", 2);
        assert!(p.lesson_done("l"));
        assert_eq!(p.lessons_done(), 1);
    }

    #[test]
    fn a_challenge_keeps_its_best_grade_and_is_solved_once_all_pass() {
        let mut p = Progress::default();
        p.grade("c", 2, 3);
        p.grade("c", 1, 3);
        let c = &p.challenges["c"];
        assert_eq!((c.attempts, c.best, c.total, c.solved), (2, 2, 3, false));
        p.grade("c", 3, 3);
        assert!(p.challenges["c"].solved);
        p.grade("c", 0, 3);
        assert!(
            p.challenges["c"].solved,
            "a later failed grading does not unsolve it"
        );
        assert_eq!(p.challenges_solved(), 1);
    }

    #[test]
    fn question_history_counts_answers_and_remembers_the_last() {
        let p = sample();
        let h = &p.questions["sse-q01"];
        assert_eq!((h.answered, h.correct, h.last_correct), (2, 1, true));
    }

    #[test]
    fn import_of_text_that_is_not_json_says_where() {
        let e = Progress::parse("{\n  \"format\": \"s3pg-progress\",\n  oops\n}").unwrap_err();
        assert!(e.message.starts_with("the file is not JSON"), "{e}");
        assert_eq!(e.at.map(|a| a.0), Some(3));
        assert!(e.help.contains("Export progress"));
    }

    #[test]
    fn import_of_another_kind_of_file_names_it() {
        let e = Progress::parse(r#"{"format": "scenario", "version": 1}"#).unwrap_err();
        assert_eq!(
            e.message,
            "the file's `format` is `scenario`, not `s3pg-progress`"
        );
        let e = Progress::parse(r#"{"name": "a scenario"}"#).unwrap_err();
        assert!(e.message.contains("no `format`"), "{e}");
        let e = Progress::parse("[1, 2]").unwrap_err();
        assert!(e.message.contains("no `format`"), "{e}");
    }

    #[test]
    fn import_of_a_newer_version_asks_for_a_reload() {
        let e = Progress::parse(r#"{"format": "s3pg-progress", "version": 9}"#).unwrap_err();
        assert!(e.message.contains("`9`"), "{e}");
        assert!(e.help.contains("reload"));
    }

    #[test]
    fn import_with_a_wrong_field_type_says_where() {
        let text = "{\"format\": \"s3pg-progress\", \"version\": 1,\n \"challenges\": {\"c\": {\"best\": \"two\"}}}";
        let e = Progress::parse(text).unwrap_err();
        assert_eq!(e.at.map(|a| a.0), Some(2), "{e}");
    }

    #[test]
    fn merging_keeps_the_best_of_both_and_loses_nothing() {
        let mut mine = sample();
        let mut theirs = Progress::default();
        theirs.pass_try("04-deny-encryption", "second", 3);
        theirs.pass_try("01-ownership-vpce", "a", 1);
        theirs.grade("deny-encryption-01", 2, 2);
        theirs.answer("sse-q01", false);
        theirs.answer("sse-q02", true);
        mine.merge(&theirs);
        assert_eq!(
            mine.passed_in("04-deny-encryption"),
            ["upload-without-header", "second"]
        );
        assert!(mine.lesson_done("01-ownership-vpce"));
        let c = &mine.challenges["deny-encryption-01"];
        assert!(c.solved && c.best == 2 && c.hints == 2);
        assert_eq!(
            mine.questions["sse-q01"].answered, 2,
            "the longer history is kept"
        );
        assert!(mine.questions.contains_key("sse-q02"));
        assert_eq!(
            mine.last,
            Some(Place::Lesson("04-deny-encryption".to_owned()))
        );
        let before = mine.clone();
        mine.merge(&before.clone());
        assert_eq!(mine, before, "merging a copy changes nothing");
    }

    #[test]
    fn empty_storage_starts_afresh() {
        assert_eq!(Progress::from_storage(None), Ok(Progress::default()));
        assert!(Progress::from_storage(Some("garbage")).is_err());
    }
}
