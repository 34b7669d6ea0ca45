//! The `check-course` and `grade` subcommands: validate course files (lessons, challenges,
//! questions, packs) and run every check in them; grade a learner's solution to a challenge.
//! The course format is documented in `course/README.md`.

use s3pg_course::{Challenge, Change, Course, Document, check_document};

const CHECK_USAGE: &str = "usage: s3pg check-course FILE... [--json] [--summary]
  --summary  end with the counts per topic (lessons, challenges, questions) as a Markdown table";
const GRADE_USAGE: &str = "usage: s3pg grade CHALLENGE.json --solution FILE [--json]
  FILE is the world the learner reached (a world, or a scenario saved from the playground), or a change:
  {\"patch\": …} / {\"world\": …} / {\"steps\": [{\"request\": …}]} (the attack, for find-the-hole)";

/// `s3pg check-course`: 0 when every file loads and every check passes, 1 when a check fails,
/// 2 on bad usage or a file that cannot be read or loaded.
pub fn check_main(args: &[String]) -> u8 {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{CHECK_USAGE}");
        return 0;
    }
    let json = args.iter().any(|a| a == "--json");
    let summary = args.iter().any(|a| a == "--summary");
    if let Some(bad) = args
        .iter()
        .find(|a| a.starts_with("--") && *a != "--json" && *a != "--summary")
    {
        eprintln!("error: unknown option `{bad}`\n{CHECK_USAGE}");
        return 2;
    }
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    if files.is_empty() {
        eprintln!("error: no course file given\n{CHECK_USAGE}");
        return 2;
    }
    let mut code = 0u8;
    let mut out = Vec::new();
    let mut loaded: Vec<(String, String)> = Vec::new();
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
        let doc = match Document::from_json(&text) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {file}:{e}");
                if json {
                    out.push(serde_json::json!({ "file": file, "loadError": e }));
                }
                code = 2;
                continue;
            }
        };
        let items = check_document(&doc, &text);
        if summary {
            loaded.push((file.clone(), text.clone()));
        }
        for item in &items {
            if item.passed() {
                passed += 1;
            } else {
                failed += 1;
                if code == 0 {
                    code = 1;
                }
            }
            if !json {
                let mark = if item.passed() { "ok  " } else { "FAIL" };
                println!(
                    "{mark} {file}: {} `{}` ({} checks)",
                    item.kind, item.id, item.checks
                );
                for p in &item.problems {
                    println!("       {p}");
                }
            }
        }
        if json {
            out.push(serde_json::json!({ "file": file, "items": items }));
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        println!("{passed} items passed, {failed} failed");
    }
    if summary && !json {
        match Course::from_texts(loaded.iter().map(|(f, t)| (f.clone(), t.as_str()))) {
            Ok(course) => print!("\n{}", course.counts_table()),
            Err((f, e)) => eprintln!("error: {f}:{e}"),
        }
    }
    code
}

/// `s3pg grade`: 0 when the solution passes, 1 when it does not, 2 on bad usage or input.
pub fn grade_main(args: &[String]) -> u8 {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{GRADE_USAGE}");
        return 0;
    }
    let json = args.iter().any(|a| a == "--json");
    let mut challenge_file = None;
    let mut solution_file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => {}
            "--solution" => solution_file = it.next(),
            other if other.starts_with("--") => {
                eprintln!("error: unknown option `{other}`\n{GRADE_USAGE}");
                return 2;
            }
            _ if challenge_file.is_none() => challenge_file = Some(a),
            other => {
                eprintln!("error: unexpected argument `{other}`\n{GRADE_USAGE}");
                return 2;
            }
        }
    }
    let (Some(cf), Some(sf)) = (challenge_file, solution_file) else {
        eprintln!("error: give a challenge file and `--solution FILE`\n{GRADE_USAGE}");
        return 2;
    };
    let read = |f: &str| {
        std::fs::read_to_string(f).map_err(|e| eprintln!("error: cannot read `{f}`: {e}"))
    };
    let (Ok(ctext), Ok(stext)) = (read(cf), read(sf)) else {
        return 2;
    };
    let challenge = match Challenge::from_json(&ctext) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {cf}:{e}");
            return 2;
        }
    };
    // A solution file is a change ({"patch"|"world"|"steps"}), a bare world, or a whole scenario
    // saved from the playground (its world is graded; its steps are ignored).
    let value: serde_json::Value = match serde_json::from_str(&stext) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {sf}: the file is not valid JSON: {e}");
            return 2;
        }
    };
    let value = match value {
        serde_json::Value::Object(mut o) if o.contains_key("name") && o.contains_key("world") => {
            let world = o.remove("world").unwrap_or_default();
            serde_json::json!({ "world": world })
        }
        other => other,
    };
    let is_change = value.as_object().is_some_and(|o| {
        ["patch", "world", "steps"]
            .iter()
            .any(|k| o.contains_key(*k))
    });
    let change: Result<Change, String> = if is_change {
        serde_json::from_value(value).map_err(|e| e.to_string())
    } else {
        serde_json::from_value(value)
            .map(|w| Change {
                world: Some(w),
                ..Change::default()
            })
            .map_err(|e| e.to_string())
    };
    let change = match change {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {sf}: {e}\n  help: course/README.md describes solution files");
            return 2;
        }
    };
    let grade = match challenge.grade_change(&change, "", &stext) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {sf}:{e}");
            return 2;
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&grade).unwrap_or_default()
        );
    } else {
        println!("== {}: {}", cf, challenge.title);
        for s in &grade.submission {
            println!("  submission: {s}");
        }
        for item in &grade.items {
            let mark = if item.passed { "✓" } else { "✗" };
            println!("  {mark} {}", item.requirement);
            for f in &item.failures {
                println!("      {f}");
            }
            if !item.passed
                && let Some(r) = &item.report
            {
                for line in s3pg_sim::scenario::render_step(r).lines() {
                    println!("      | {line}");
                }
            }
        }
        let (p, t) = grade.score();
        println!(
            "{} ({p}/{t} requirements met)",
            if grade.passed { "PASS" } else { "FAIL" }
        );
    }
    u8::from(!grade.passed)
}
