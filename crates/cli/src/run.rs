//! The `run` subcommand: executes scenario files against the simulated world, prints each step's
//! response and trace (human text, or JSON with `--json`), checks the expectations and exits
//! non-zero when one fails.

use s3pg_sim::scenario::{Scenario, render_step, run};

const USAGE: &str = "usage: s3pg run FILE... [--json]";

/// Runs `s3pg run` with the arguments after the subcommand; returns the exit status
/// (0 all expectations held, 1 some failed, 2 bad usage or a file that cannot be loaded).
pub fn main(args: &[String]) -> u8 {
    let json = args.iter().any(|a| a == "--json");
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return 0;
    }
    if let Some(bad) = args
        .iter()
        .find(|a| a.starts_with("--") && a.as_str() != "--json")
    {
        eprintln!("error: unknown option `{bad}`\n{USAGE}");
        return 2;
    }
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        eprintln!("error: no scenario file given\n{USAGE}");
        return 2;
    }
    let mut code = 0u8;
    let mut reports = Vec::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read `{file}`: {e}");
                code = 2;
                continue;
            }
        };
        let scenario = match Scenario::from_json(&text) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {file}:{e}");
                code = 2;
                continue;
            }
        };
        let report = run(&scenario);
        for s in &report.steps {
            if s.failures.is_empty() {
                passed += 1;
            } else {
                failed += 1;
            }
        }
        if !report.passed() && code == 0 {
            code = 1;
        }
        if json {
            reports.push(
                serde_json::json!({ "file": file, "passed": report.passed(), "report": report }),
            );
        } else {
            println!("== {file}: {}", report.name);
            for step in &report.steps {
                print!("{}", render_step(step));
            }
            println!("{}\n", if report.passed() { "PASS" } else { "FAIL" });
        }
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&reports).unwrap_or_default()
        );
    } else {
        println!("{passed} steps passed, {failed} failed");
    }
    code
}
