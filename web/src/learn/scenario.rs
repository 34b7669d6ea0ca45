//! "Open in the playground": a question's option, or a lesson's try, written as a scenario the
//! playground opens from a share link — the world (with the option's change applied) and the
//! requests that show what happens, each with what S3 should answer, so the learner runs the steps
//! and reads every trace in the full playground.

use s3pg_course::load::merge_patch;
use s3pg_course::{Claim, Question, Try};
use s3pg_sim::{Timestamp, World};
use serde_json::{Map, Value, json};

fn claim_step(name: String, c: &Claim) -> Value {
    let mut step = Map::new();
    step.insert("name".into(), json!(name));
    if let Some(at) = c.at {
        step.insert("at".into(), json!(at));
    }
    if let Some(s) = c.after_seconds {
        step.insert("afterSeconds".into(), json!(s));
    }
    if let Some(m) = &c.mfa_from_device {
        step.insert("mfaFromDevice".into(), json!(m));
    }
    step.insert("request".into(), json!(c.request));
    step.insert("expect".into(), json!(c.expect));
    Value::Object(step)
}

/// The scenario JSON for option `option` of a question: its world after the option's change,
/// the change's requests, then the option's claims (or the question's goal).
pub fn question_scenario(q: &Question, option: &str) -> Option<String> {
    let o = q.options.iter().find(|o| o.id == option)?;
    let mut world = serde_json::to_value(&q.world).ok()?;
    let mut steps = Vec::new();
    if let Some(change) = &o.change {
        if let Some(w) = &change.world {
            world = serde_json::to_value(w).ok()?;
        }
        if let Some(patch) = &change.patch {
            merge_patch(&mut world, patch);
        }
        for (i, a) in change.steps.iter().enumerate() {
            let mut step = Map::new();
            step.insert(
                "name".into(),
                json!(format!("option {option}: change {}", i + 1)),
            );
            step.insert("request".into(), json!(a.request));
            if let Some(e) = &a.expect {
                step.insert("expect".into(), json!(e));
            }
            steps.push(Value::Object(step));
        }
    }
    let claims = if o.claims.is_empty() {
        &q.goal
    } else {
        &o.claims
    };
    for (i, c) in claims.iter().enumerate() {
        let name = c
            .says
            .as_ref()
            .map_or_else(|| format!("claim {}", i + 1), |s| s.as_string());
        steps.push(claim_step(name, c));
    }
    let scenario = json!({
        "name": format!("Exam question {} — option {option}", q.id),
        "description": q.stem.as_string(),
        "source": q.source,
        "start": q.start_time(),
        "world": world,
        "steps": steps,
    });
    serde_json::to_string_pretty(&scenario).ok()
}

/// The scenario JSON for a lesson's try: the lesson's world as the learner has it now, and the
/// try's request as a step.
pub fn try_scenario(
    title: &str,
    world: &World,
    now: Timestamp,
    t: &Try,
    request: &s3pg_sim::Request,
) -> Option<String> {
    let mut step = Map::new();
    step.insert("name".into(), json!(t.task.as_string()));
    step.insert("request".into(), json!(request));
    if let Some(e) = &t.expect {
        step.insert("expect".into(), json!(e));
    }
    let scenario = json!({
        "name": title,
        "description": t.task.as_string(),
        "source": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security.html",
        "start": now,
        "world": world,
        "steps": [Value::Object(step)],
    });
    serde_json::to_string_pretty(&scenario).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use s3pg_sim::scenario::{Scenario, run};

    #[test]
    fn every_simulated_option_opens_as_a_scenario_and_the_key_passes_its_steps() {
        let course = s3pg_course::builtin::course().unwrap();
        for q in &course.questions {
            for o in q.options.iter().filter(|o| o.not_simulated.is_none()) {
                let text = question_scenario(q, &o.id).unwrap();
                let scenario =
                    Scenario::from_json(&text).unwrap_or_else(|e| panic!("{} {}: {e}", q.id, o.id));
                if o.correct {
                    let report = run(&scenario);
                    let failures: Vec<_> = report
                        .steps
                        .iter()
                        .flat_map(|s| s.failures.clone())
                        .collect();
                    assert!(failures.is_empty(), "{} {}: {failures:?}", q.id, o.id);
                }
            }
        }
    }

    #[test]
    fn a_try_opens_as_a_scenario_that_reproduces_it() {
        let course = s3pg_course::builtin::course().unwrap();
        for l in &course.lessons {
            let mut session = l.begin();
            for t in l.tries() {
                let text =
                    try_scenario(&l.title, &session.world, session.now, t, &t.request).unwrap();
                let scenario =
                    Scenario::from_json(&text).unwrap_or_else(|e| panic!("{} {}: {e}", l.id, t.id));
                assert_eq!(scenario.steps.len(), 1);
                let _ = session.attempt(t, &t.request);
            }
        }
    }
}
