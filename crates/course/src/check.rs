//! Checking course content by running it: every lesson try's reference request passes (and its
//! trace question's declared answer is what the engine computes), every challenge's reference
//! solution passes and its naive attempt fails where it says, and every question's key holds
//! (options marked correct work, distractors do not). `s3pg check-course` and the test suite
//! call [`check_document`].

use serde::Serialize;

use crate::pack::Document;

/// The result of checking one item (a lesson, challenge or question).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemCheck {
    /// `lesson`, `challenge` or `question`.
    pub kind: &'static str,
    /// The item's id.
    pub id: String,
    /// How many checks ran (tries, solution + naive, options).
    pub checks: usize,
    /// What failed (empty: the item is sound).
    pub problems: Vec<String>,
}

impl ItemCheck {
    /// True when nothing failed.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks every item of a loaded document; `text` is the document's JSON (for positions).
pub fn check_document(doc: &Document, text: &str) -> Vec<ItemCheck> {
    match doc {
        Document::Lesson(l) => vec![check_lesson(l)],
        Document::Challenge(c) => vec![check_challenge(c, text)],
        Document::Question(q) => vec![check_question(q)],
        Document::Pack(p) => p
            .lessons
            .iter()
            .map(check_lesson)
            .chain(p.challenges.iter().map(|c| check_challenge(c, text)))
            .chain(p.questions.iter().map(check_question))
            .collect(),
    }
}

fn check_lesson(l: &crate::Lesson) -> ItemCheck {
    let reports = l.verify();
    ItemCheck {
        kind: "lesson",
        id: l.id.clone(),
        checks: reports.len(),
        problems: reports
            .iter()
            .filter(|r| !r.passed)
            .map(|r| format!("try `{}`: {}", r.id, r.failures.join("; ")))
            .collect(),
    }
}

fn check_challenge(c: &crate::Challenge, text: &str) -> ItemCheck {
    let (_, _, problems) = c.verify(text);
    ItemCheck {
        kind: "challenge",
        id: c.id.clone(),
        checks: 2,
        problems,
    }
}

fn check_question(q: &crate::Question) -> ItemCheck {
    let checks = q.verify();
    ItemCheck {
        kind: "question",
        id: q.id.clone(),
        checks: checks.len(),
        problems: checks
            .iter()
            .filter(|c| !c.key_holds)
            .map(|c| {
                if c.correct {
                    format!(
                        "option {} is marked correct but does not work: {}",
                        c.id,
                        c.failures.join("; ")
                    )
                } else {
                    format!("option {} is a distractor but works when run", c.id)
                }
            })
            .collect(),
    }
}
