//! What grading costs: loading a challenge, grading a learner's world (eight probes on copies of
//! it), running a lesson's tries, verifying a question's five options, and loading the whole
//! built-in course. Measured, never asserted.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "benchmark harness"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use s3pg_course::{Challenge, Document, Lesson, builtin};

fn benches(c: &mut Criterion) {
    let capstone = builtin::file("challenges/capstone-data-lake.json").unwrap();
    let challenge = Challenge::from_json(capstone).unwrap();
    let solved = challenge
        .grade_change(&challenge.solution, "solution", capstone)
        .unwrap();
    assert!(solved.passed);
    c.bench_function("load the data-lake capstone", |b| {
        b.iter(|| Challenge::from_json(capstone).unwrap())
    });
    c.bench_function(
        "grade the data-lake capstone (8 probes, 2 constraints)",
        |b| {
            b.iter(|| {
                challenge
                    .grade_change(&challenge.solution, "solution", capstone)
                    .unwrap()
            })
        },
    );
    let lesson =
        Lesson::from_json(builtin::file("lessons/04-deny-encryption.json").unwrap()).unwrap();
    c.bench_function("run lesson 4's five tries", |b| b.iter(|| lesson.verify()));
    let bank = builtin::file("questions/deny-encryption.json").unwrap();
    let Document::Pack(pack) = Document::from_json(bank).unwrap() else {
        unreachable!()
    };
    let q = &pack.questions[0];
    c.bench_function("verify a question's five options", |b| {
        b.iter(|| q.verify())
    });
    c.bench_function("load the whole built-in course", |b| {
        b.iter(|| builtin::course().unwrap())
    });
}

criterion_group!(course, benches);
criterion_main!(course);
