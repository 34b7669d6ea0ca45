//! Runs every scenario of the corpus and reports each failed expectation by file and step.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use s3pg_scenarios::run_corpus;

#[test]
fn every_scenario_in_the_corpus_meets_its_expectations() {
    let results = run_corpus();
    assert!(!results.is_empty(), "no scenarios found");
    let failures: Vec<String> = results.iter().flat_map(|r| r.failures.clone()).collect();
    let steps: usize = results
        .iter()
        .filter_map(|r| r.report.as_ref())
        .map(|r| r.steps.len())
        .sum();
    println!(
        "{} scenarios, {steps} steps, {} failures",
        results.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_scenario_cites_an_aws_page_and_every_step_expects_something() {
    for r in run_corpus() {
        let Some(s) = r.scenario else { continue };
        for url in s.source.urls() {
            assert!(
                url.starts_with("https://docs.aws.amazon.com/")
                    || url.starts_with("https://aws.amazon.com/")
                    || url.starts_with("https://repost.aws/"),
                "{}: source `{url}` is not an AWS page",
                r.file
            );
        }
        for (i, step) in s.steps.iter().enumerate() {
            assert!(
                step.expect.is_some(),
                "{} step {}: no expectations",
                r.file,
                i + 1
            );
        }
    }
}

#[test]
fn the_default_scenario_is_the_one_the_ui_loads() {
    let r = s3pg_scenarios::run_file(&s3pg_scenarios::corpus_dir().join("default.json"));
    let s = r.scenario.expect("default.json loads");
    assert!(s.world.buckets.contains_key("examplebucket"));
    assert_eq!(s.world.buckets["examplebucket"].owner, "111122223333");
    let report = r.report.unwrap();
    assert_eq!(report.steps[0].outcome.status, 403);
    assert_eq!(report.steps[1].outcome.status, 200);
}

#[test]
fn every_scenario_survives_save_and_reload_unchanged() {
    // The UI saves and shares scenarios: what it writes must load back to the same run.
    for r in run_corpus() {
        let (Some(s), Some(report)) = (r.scenario, r.report) else {
            continue;
        };
        let saved = serde_json::to_string_pretty(&s).unwrap();
        let reloaded = s3pg_sim::scenario::Scenario::from_json(&saved)
            .unwrap_or_else(|e| panic!("{}: {e}", r.file));
        assert_eq!(reloaded, s, "{}: reload changed the scenario", r.file);
        let again = s3pg_sim::scenario::run(&reloaded);
        assert_eq!(again, report, "{}: reload changed the run", r.file);
    }
}

#[test]
fn the_json_schema_names_exactly_what_the_loader_accepts() {
    // A drift guard between tests/scenario.schema.json and the Rust types.
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../scenario.schema.json")).expect("schema is JSON");
    let ops = schema["$defs"]["operation"]["oneOf"].as_array().unwrap();
    assert_eq!(ops.len(), 60, "one schema entry per operation");
    for o in ops {
        let name = o["required"][0].as_str().unwrap();
        let err =
            serde_json::from_value::<s3pg_sim::Operation>(serde_json::json!({ name: {} })).err();
        if let Some(e) = err {
            assert!(
                !e.to_string().contains("unknown variant"),
                "schema operation `{name}` is unknown to the loader: {e}"
            );
        }
    }
    for g in schema["$defs"]["expect"]["properties"]["gate"]["enum"]
        .as_array()
        .unwrap()
    {
        serde_json::from_value::<s3pg_sim::Gate>(g.clone())
            .unwrap_or_else(|e| panic!("schema gate {g}: {e}"));
    }
    for field in schema["$defs"]["expect"]["properties"]
        .as_object()
        .unwrap()
        .keys()
    {
        let probe = serde_json::json!({ field: null });
        let e = serde_json::from_value::<s3pg_sim::scenario::Expect>(probe).err();
        assert!(
            e.is_none_or(|e| !e.to_string().contains("unknown field")),
            "schema field `{field}` is unknown to the loader"
        );
    }
}

#[test]
fn the_json_schema_lists_every_stored_fact_and_save_shorthand() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../scenario.schema.json")).expect("schema is JSON");
    let stored = &schema["$defs"]["stored"]["properties"];
    let names = |kind: &str, selectors: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = stored[kind]["items"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| !selectors.contains(&k.as_str()))
            .cloned()
            .collect();
        v.sort();
        v
    };
    let (objects, vaults) = s3pg_sim::scenario::stored_fact_names();
    let sorted = |v: Vec<&str>| {
        let mut v: Vec<String> = v.into_iter().map(str::to_owned).collect();
        v.sort();
        v
    };
    assert_eq!(
        names("objects", &["bucket", "key", "versionId"]),
        sorted(objects)
    );
    assert_eq!(
        names("vaults", &["name", "region", "account"]),
        sorted(vaults)
    );
    let save = schema["$defs"]["step"]["properties"]["save"]["description"]
        .as_str()
        .unwrap();
    for (short, _) in s3pg_sim::scenario::SAVE_SHORTHANDS {
        assert!(
            save.contains(short),
            "the schema's `save` does not list `{short}`"
        );
    }
}
