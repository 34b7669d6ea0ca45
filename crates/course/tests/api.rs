//! The course API as a UI drives it: step through a lesson, grade a challenge with
//! per-requirement feedback, score a question; and the loader's positioned errors.

use s3pg_course::{Challenge, Document, Lesson, Question, check_document};

const LESSON: &str = include_str!("../../../course/lessons/04-deny-encryption.json");
const CHALLENGE: &str = include_str!("../../../course/challenges/deny-encryption-01.json");
const HOLE: &str = include_str!("../../../course/challenges/acls-hole-01.json");
const BANK: &str = include_str!("../../../course/questions/deny-encryption.json");

#[test]
fn a_wrong_try_fails_with_reasons_and_leaves_the_world_as_it_was() {
    let lesson = Lesson::from_json(LESSON).unwrap();
    let mut session = lesson.begin();
    let first = lesson.tries().next().unwrap();
    // The learner sends the encrypted upload where the try asks for one without the header.
    let second = lesson.tries().nth(1).unwrap();
    let before = session.world.clone();
    let report = session.attempt(first, &second.request);
    assert!(!report.passed);
    assert!(
        report
            .failures
            .iter()
            .any(|f| f.contains("without the header `x-amz-server-side-encryption`")),
        "{:?}",
        report.failures
    );
    assert!(
        report
            .failures
            .iter()
            .any(|f| f.contains("expected status 403, got 200"))
    );
    assert_eq!(session.world, before);
    assert!(session.passed.is_empty());

    let report = session.attempt(first, &first.request);
    assert!(report.passed, "{:?}", report.failures);
    assert_eq!(report.computed_answer.as_deref(), Some("BucketPolicy"));
    let answer = first.answer(&report.step.outcome, "Bucket policy").unwrap();
    assert!(answer.correct, "a gate may be named by its title");
    assert!(
        !first
            .answer(&report.step.outcome, "IdentityPolicy")
            .unwrap()
            .correct
    );
    assert_eq!(session.passed, vec!["upload-without-header".to_owned()]);
}

#[test]
fn the_starting_world_fails_a_challenge_naming_the_requirement_with_its_trace() {
    let challenge = Challenge::from_json(CHALLENGE).unwrap();
    let grade = challenge.grade_world(&challenge.prepared);
    assert!(!grade.passed);
    assert_eq!(grade.failed_ids(), vec!["plain-upload-refused"]);
    let item = &grade.items[0];
    assert!(item.requirement.contains("refused by the bucket policy"));
    let report = item.report.as_ref().unwrap();
    assert_eq!(report.outcome.status, 200);
    assert!(!report.outcome.trace.is_empty());
    assert_eq!(grade.score(), (3, 4));
}

#[test]
fn find_the_hole_refuses_requests_sent_as_someone_else() {
    let challenge = Challenge::from_json(HOLE).unwrap();
    let mut attack = challenge.solution.steps.clone();
    attack[1].request.caller = s3pg_sim::Caller::Root {
        account: "111122223333".to_owned(),
    };
    let grade = challenge.grade_requests(&attack);
    assert!(!grade.passed);
    assert!(
        grade.submission[0].contains("send it as `anonymous`"),
        "{grade:?}"
    );
    assert!(challenge.grade_requests(&challenge.solution.steps).passed);
}

#[test]
fn a_question_scores_selections_and_a_wrong_key_is_caught_by_running_it() {
    let Document::Pack(pack) = Document::from_json(BANK).unwrap() else {
        panic!("a question bank is a pack")
    };
    let q: &Question = &pack.questions[0];
    assert!(q.score(&["A", "B"]).correct);
    let s = q.score(&["A", "C"]);
    assert!(!s.correct);
    assert_eq!(s.missed, vec!["B"]);
    assert_eq!(s.wrong, vec!["C"]);

    // Mark the distractor C correct instead of B: the engine disagrees on both.
    let broken = BANK
        .replacen(
            "\"correct\": true,\n          \"why\": \"`Null: true`",
            "\"why\": \"`Null: true`",
            1,
        )
        .replacen("\"id\": \"C\",", "\"id\": \"C\", \"correct\": true,", 1);
    assert_ne!(broken, BANK);
    let doc = Document::from_json(&broken).unwrap();
    let problems: Vec<String> = check_document(&doc, &broken)
        .into_iter()
        .flat_map(|i| i.problems)
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("option B is a distractor but works"));
    assert!(problems[1].contains("option C is marked correct but does not work"));
}

#[test]
fn load_errors_carry_path_line_column_and_help() {
    let text = LESSON.replacen("\"minutes\": 8", "\"minutez\": 8", 1);
    let e = Lesson::from_json(&text).unwrap_err();
    assert!(e.message.contains("unknown field `minutez`"), "{e}");
    assert_eq!((e.line, e.path.as_str()), (7, "minutez"));
    assert!(e.help.unwrap().contains("course/README.md"));

    let text = LESSON.replacen(
        "\"topic\": \"deny-encryption\"",
        "\"topic\": \"deny-encrypton\"",
        1,
    );
    let e = Lesson::from_json(&text).unwrap_err();
    assert_eq!(e.message, "unknown topic `deny-encrypton`");
    assert_eq!((e.line, e.column), (6, 12));
    assert_eq!(e.help.as_deref(), Some("did you mean `deny-encryption`?"));

    // A world error found by the scenario loader is moved to where the world is in the file.
    let text = CHALLENGE.replacen(
        "\"owner\": \"111122223333\"",
        "\"owner\": \"999999999999\"",
        1,
    );
    let e = Challenge::from_json(&text).unwrap_err();
    assert_eq!(e.path, "world.buckets.examplebucket.owner");
    assert!(e.line > 20, "{e}");
    assert!(e.message.contains("not a declared account"), "{e}");
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "{",
        "[]",
        "null",
        "{\"kind\": 1}",
        "{\"kind\": \"lesson\"}",
        "\u{0}",
    ] {
        assert!(Document::from_json(text).is_err(), "{text}");
    }
}

#[test]
fn truncated_or_altered_content_is_refused_with_a_position_never_a_panic() {
    for (path, text) in s3pg_course::builtin::FILES {
        let n = text.len();
        for i in 1..24 {
            let cut = n * i / 24;
            let Some(head) = text.get(..cut) else {
                continue;
            };
            let e = Document::from_json(head).expect_err(path);
            assert!(e.line > 0, "{path} cut at {cut}: {e}");
        }
        // A misspelled field anywhere is named with its place.
        let altered = text.replacen("\"request\"", "\"requets\"", 1);
        if altered != *text {
            let e = Document::from_json(&altered).expect_err(path);
            assert!(e.message.contains("requets"), "{path}: {e}");
            assert!(e.line > 0 && !e.path.is_empty(), "{path}: {e:?}");
        }
    }
}

#[test]
fn a_half_finished_lesson_survives_a_reload() {
    let lesson = Lesson::from_json(LESSON).unwrap();
    let mut session = lesson.begin();
    let tries: Vec<_> = lesson.tries().collect();
    assert!(session.attempt(tries[0], &tries[0].request).passed);
    let saved = serde_json::to_string(&session).unwrap();
    let mut restored: s3pg_course::LessonSession = serde_json::from_str(&saved).unwrap();
    assert_eq!(restored.passed, session.passed);
    for t in &tries[1..] {
        let report = restored.attempt(t, &t.request);
        assert!(report.passed, "{}: {:?}", t.id, report.failures);
    }
}
