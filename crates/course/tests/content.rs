//! Runs every piece of content in `course/`: each lesson's tries, each challenge's reference
//! solution (must pass) and naive attempt (must fail where it says), each question's key and
//! distractors. A failure names the file, the item and what did not hold.

#![expect(clippy::unwrap_used, reason = "test helpers outside #[test] functions")]

use std::path::{Path, PathBuf};

use s3pg_course::{Document, check_document};

fn course_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../course")
}

fn files(sub: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(course_dir().join(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    out
}

fn run_all(sub: &str) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut items = 0;
    for path in files(sub) {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match Document::from_json(&text) {
            Ok(doc) => {
                for item in check_document(&doc, &text) {
                    items += 1;
                    for p in &item.problems {
                        problems.push(format!("{name}: {} `{}`: {p}", item.kind, item.id));
                    }
                }
            }
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    (items, problems)
}

#[test]
fn every_lesson_try_passes_with_its_reference_request() {
    let (n, problems) = run_all("lessons");
    assert!(n > 0);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_challenge_solution_passes_and_naive_attempt_fails_as_intended() {
    let (n, problems) = run_all("challenges");
    assert!(n > 0);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_question_key_and_distractor_holds_when_run() {
    let (n, problems) = run_all("questions");
    assert!(n > 0);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
