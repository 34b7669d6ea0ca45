//! The learner's flow, tested natively through the pure reducer.

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
    let policy = c.solution.patch.as_ref().unwrap()["buckets"]["examplebucket"]["policy"].clone();
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
