//! Runs every JSON scenario in `crates/glacier/scenarios/`: each encodes one AWS page (its
//! `source`) as a starting state and timed requests with the answers they must get.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a failing scenario should stop the test with its file and step"
)]

use s3pg_glacier::scenario::Scenario;

#[test]
fn every_scenario_passes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let scenario =
            Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(scenario.source.starts_with("https://docs.aws.amazon.com/"));
        for result in scenario.run() {
            if !result.failures.is_empty() {
                let trace = result
                    .outcome
                    .map(|o| {
                        o.trace
                            .iter()
                            .map(|s| format!("  [{:?}] {}: {}", s.outcome, s.title, s.detail))
                            .collect::<Vec<_>>()
                            .join("\n")
                    })
                    .unwrap_or_default();
                panic!(
                    "{} step {}: {}\n{trace}",
                    file.display(),
                    result.index,
                    result.failures.join("; ")
                );
            }
        }
    }
}

#[test]
fn scenarios_reject_unknown_fields_and_unknown_callers() {
    let bad = r#"{"description":"d","source":"s","callers":{},"steps":[],"extra":1}"#;
    assert!(Scenario::from_json(bad).is_err());
    let unknown_caller = r#"{"description":"d","source":"s","callers":{},"steps":[
        {"caller":"ghost","at":"2026-01-01T00:00:00Z","request":{"operation":"ListVaults"},"expect":{"status":200}}]}"#;
    let results = Scenario::from_json(unknown_caller).unwrap().run();
    assert_eq!(
        results[0].failures,
        vec!["unknown caller `ghost`".to_string()]
    );
}

#[test]
fn a_wrong_expectation_is_reported() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/legal-hold.json"),
    )
    .unwrap()
    .replace(
        r#""expect": {"status": 204, "decision": "Allow"}"#,
        r#""expect": {"status": 403}"#,
    );
    let results = Scenario::from_json(&text).unwrap().run();
    let last = results.last().unwrap();
    assert_eq!(
        last.failures,
        vec!["expected status 403 but got 204".to_string()]
    );
}
