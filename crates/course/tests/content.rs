//! Runs every piece of content in `course/`: each lesson's tries, each challenge's reference
//! solution (must pass) and naive attempt (must fail where it says), each question's key and
//! distractors. A failure names the file, the item and what did not hold.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions"
)]

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

/// Checks every file of `course/SUB`, two files at a time (the content runs many worlds).
fn run_all(sub: &str) -> (usize, Vec<String>) {
    let all = files(sub);
    let (left, right) = all.split_at(all.len() / 2);
    let ((a, mut pa), (b, pb)) = std::thread::scope(|s| {
        let l = s.spawn(|| run_files(left));
        let r = run_files(right);
        (l.join().unwrap(), r)
    });
    pa.extend(pb);
    (a + b, pa)
}

fn run_files(paths: &[PathBuf]) -> (usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut items = 0;
    for path in paths {
        let text = std::fs::read_to_string(path).unwrap();
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

fn builtin() -> s3pg_course::Course {
    s3pg_course::builtin::course().unwrap_or_else(|(file, e)| panic!("{file}: {e}"))
}

#[test]
fn builtin_course_holds_every_file_of_the_directory() {
    let mut on_disk: Vec<String> = ["lessons", "challenges", "questions"]
        .iter()
        .flat_map(|d| {
            files(d)
                .into_iter()
                .map(move |p| format!("{d}/{}", p.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    on_disk.sort();
    let mut compiled: Vec<String> = s3pg_course::builtin::FILES
        .iter()
        .map(|(p, _)| (*p).to_owned())
        .collect();
    compiled.sort();
    assert_eq!(compiled, on_disk);
}

#[test]
fn lessons_cover_every_topic_in_course_order_each_a_five_to_ten_minute_read() {
    let course = builtin();
    assert!(course.lessons.len() >= 14);
    for (i, t) in s3pg_course::TOPICS.iter().enumerate() {
        let lesson = course
            .lessons
            .iter()
            .find(|l| l.topic == t.id)
            .unwrap_or_else(|| panic!("no lesson on `{}`", t.id));
        assert!(
            lesson.id.starts_with(&format!("{:02}-", i + 1)),
            "lesson `{}` is out of course order",
            lesson.id
        );
        assert!((5..=10).contains(&lesson.minutes), "lesson `{}`", lesson.id);
    }
}

#[test]
fn every_lesson_has_at_least_two_challenges_and_there_are_capstones() {
    let course = builtin();
    assert!(
        course.challenges.len() >= 40,
        "{} challenges",
        course.challenges.len()
    );
    for l in &course.lessons {
        assert!(
            course.challenges_for(&l.id).len() >= 2,
            "lesson `{}` has fewer than two challenges",
            l.id
        );
    }
    for c in &course.challenges {
        if let Some(l) = &c.lesson {
            assert!(
                course.lesson(l).is_some(),
                "challenge `{}` names unknown lesson `{l}`",
                c.id
            );
        } else {
            assert!(
                c.topics.len() >= 2,
                "capstone `{}` should combine topics",
                c.id
            );
        }
        assert!(
            c.hints.len() >= 2,
            "challenge `{}` needs hints in levels",
            c.id
        );
    }
    assert!(
        course
            .challenges
            .iter()
            .filter(|c| c.is_find_the_hole())
            .count()
            >= 5
    );
    assert!(
        course
            .challenges
            .iter()
            .filter(|c| c.lesson.is_none())
            .count()
            >= 3
    );
}

#[test]
fn every_source_is_an_aws_documentation_page() {
    let course = builtin();
    let sources = course
        .lessons
        .iter()
        .map(|l| (&l.id, &l.source))
        .chain(course.challenges.iter().map(|c| (&c.id, &c.source)))
        .chain(course.questions.iter().map(|q| (&q.id, &q.source)));
    for (id, source) in sources {
        for url in source.urls() {
            assert!(
                url.starts_with("https://docs.aws.amazon.com/"),
                "`{id}` cites `{url}`"
            );
        }
    }
}

#[test]
fn every_example_pack_loads_and_passes() {
    let (n, problems) = run_all("packs");
    assert!(n > 0);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn prose_links_point_at_aws_documentation() {
    let course = builtin();
    let mut texts: Vec<(String, String)> = Vec::new();
    for l in &course.lessons {
        for s in &l.sections {
            match s {
                s3pg_course::Section::Text(t) => texts.push((l.id.clone(), t.as_string())),
                s3pg_course::Section::Try(t) => texts.push((l.id.clone(), t.task.as_string())),
            }
        }
    }
    for c in &course.challenges {
        texts.push((c.id.clone(), c.goal.as_string()));
    }
    for q in &course.questions {
        texts.push((q.id.clone(), q.stem.as_string()));
        texts.push((q.id.clone(), q.explanation.as_string()));
    }
    for (id, text) in texts {
        for url in s3pg_course::text::links(&text) {
            assert!(
                url.starts_with("https://docs.aws.amazon.com/")
                    || url.starts_with("https://www.rfc-editor.org/"),
                "`{id}` links to `{url}`"
            );
        }
    }
}
