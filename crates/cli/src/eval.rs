//! `s3pg eval [FILE|-] [--explain | --output full|decision]`: evaluate IAM requests against
//! policy layers.
//!
//! Input is JSON: an object is one case, an array a batch (answers come back in the same order).
//! A case names the principal, action, resource, the resource's account, context keys and the
//! policy layers; the answer is the decision, the determining statements and the ordered trace,
//! as `s3pg_policy::evaluate` produces them (IAM UG `reference_policies_evaluation-logic.md`).
//! Invalid input answers exit status 2 with the errors in JSON (and no `decision`).
//! `--output decision` keeps only the decision and the determining statements of each answer:
//! the same JSON array, one compact element per line, for batches where the trace is not read.
//! `--world` runs each case as a request in a simulated world instead ([`crate::eval_world`]).

use std::io::Read;

use s3pg_policy::Decision;
use s3pg_policy::case::{Answer, FIELDS, Verdict, run, run_decisions};

/// Runs `s3pg eval` with the arguments after the subcommand; returns the exit status.
pub fn main(args: &[String]) -> u8 {
    let mut explain = false;
    let mut compact = false;
    let mut world = false;
    let mut repeat: Option<u32> = None;
    let mut file: Option<&str> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--explain" => explain = true,
            "--world" => world = true,
            "--output" | "--output=full" | "--output=decision" => {
                let value = match a.split_once('=') {
                    Some((_, v)) => Some(v),
                    None => it.next().map(String::as_str),
                };
                match value {
                    Some("full") => compact = false,
                    Some("decision") => compact = true,
                    other => {
                        eprintln!(
                            "error: `--output` takes `full` or `decision`{}\n  help: `--output decision` prints only each answer's decision and determining statements",
                            other.map(|v| format!(", not `{v}`")).unwrap_or_default()
                        );
                        return 2;
                    }
                }
            }
            "--repeat" => match it.next().and_then(|n| n.parse().ok()) {
                Some(n) => repeat = Some(n),
                None => {
                    eprintln!(
                        "error: `--repeat` needs a number\n  help: e.g. `--repeat 100` times the evaluation of every case"
                    );
                    return 2;
                }
            },
            "-h" | "--help" => {
                println!(
                    "usage: s3pg eval [FILE|-] [--explain | --output full|decision | --world] [--repeat N]\n\nreads one case (JSON object) or a batch (JSON array); \
                     fields: {}\n--output decision keeps only each answer's decision and determining statements\n--world runs each case as a request in a simulated world (World::handle): its decision, status and the context it sent, or why it was skipped",
                    FIELDS.join(", ")
                );
                return 0;
            }
            "-" if file.is_none() => file = Some("-"),
            f if !f.starts_with('-') && file.is_none() => file = Some(f),
            other => {
                eprintln!(
                    "error: unexpected argument `{other}`\n  help: usage: s3pg eval [FILE|-] [--explain | --output full|decision]"
                );
                return 2;
            }
        }
    }
    let text = match read_input(file) {
        Ok(text) => text,
        Err(status) => return status,
    };
    if let Some(n) = repeat {
        return time(&text, n);
    }
    if world {
        return match crate::eval_world::run(&text) {
            Ok(out) => {
                write_stdout(&out);
                0
            }
            Err(e) => {
                eprintln!("error: {e}\n  help: `--world` reads the same cases as `s3pg eval`");
                2
            }
        };
    }
    if compact && !explain {
        // Only the decisions: no gate, summary or trace is written.
        let (verdicts, batch) = run_decisions(&text);
        write_stdout(&decisions(&verdicts, batch));
        return if verdicts.iter().any(Result::is_err) {
            2
        } else {
            0
        };
    }
    let (answers, batch) = run(&text);
    let invalid = answers.iter().any(|a| matches!(a, Answer::Invalid { .. }));
    if explain {
        let mut text = String::new();
        for (i, a) in answers.iter().enumerate() {
            if batch {
                text.push_str(&format!("== case {i} ==\n"));
            }
            text.push_str(&explained(a));
        }
        write_stdout(&text);
    } else {
        let out = if batch {
            serde_json::to_string_pretty(&answers)
        } else {
            answers
                .first()
                .map_or(Ok("null".into()), serde_json::to_string_pretty)
        };
        match out {
            Ok(s) => write_stdout(&format!("{s}\n")),
            Err(e) => {
                eprintln!("error: cannot write JSON: {e}");
                return 2;
            }
        }
    }
    if invalid { 2 } else { 0 }
}

/// The cases: the file's text, or stdin's when there is no file or it is `-`.
fn read_input(file: Option<&str>) -> Result<String, u8> {
    match file {
        None | Some("-") => {
            let mut s = String::new();
            if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                eprintln!("error: cannot read stdin: {e}");
                return Err(2);
            }
            Ok(s)
        }
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            eprintln!("error: cannot read `{path}`: {e}");
            2
        }),
    }
}

/// `--repeat N`: evaluates every valid case N times and reports the time per evaluation on
/// stderr (reading and parsing the cases excluded). For side-by-side timing with other engines.
fn time(text: &str, n: u32) -> u8 {
    let Ok(doc) = s3pg_policy::json::parse(text) else {
        eprintln!("error: invalid JSON");
        return 2;
    };
    let items = match &doc.kind {
        s3pg_policy::json::JsonKind::Array(items) => items.iter().collect::<Vec<_>>(),
        _ => vec![&doc],
    };
    let built: Vec<_> = items
        .iter()
        .filter_map(|c| s3pg_policy::case::build(text, c).ok())
        .collect();
    let start = std::time::Instant::now();
    let mut allowed = 0usize;
    for _ in 0..n {
        for (request, set) in &built {
            if s3pg_policy::evaluate(request, set).decision == Decision::Allow {
                allowed += 1;
            }
        }
    }
    let elapsed = start.elapsed();
    let count = built.len() as f64 * f64::from(n);
    let micros = elapsed.as_secs_f64() * 1e6 / count.max(1.0);
    eprintln!(
        "s3pg: {count} evaluations ({} cases × {n}) in {:.1} ms: {micros:.2} µs per evaluation ({allowed} allowed)",
        built.len(),
        elapsed.as_secs_f64() * 1e3
    );
    0
}

/// `--output decision`: each answer as `{"decision": …, "determining": […]}` (or its `errors`),
/// one per line, in a JSON array for a batch.
fn decisions(verdicts: &[Verdict], batch: bool) -> String {
    #[derive(serde::Serialize)]
    #[serde(untagged)]
    enum Compact<'a> {
        Decided {
            decision: Decision,
            determining: &'a [s3pg_policy::StatementRef],
        },
        Invalid {
            errors: &'a [s3pg_policy::case::InputError],
        },
    }
    let compact = |v: &Verdict, out: &mut Vec<u8>| {
        let c = match v {
            Ok((decision, determining)) => Compact::Decided {
                decision: *decision,
                determining,
            },
            Err(errors) => Compact::Invalid { errors },
        };
        if serde_json::to_writer(&mut *out, &c).is_err() {
            out.extend_from_slice(b"null");
        }
    };
    let mut out = Vec::with_capacity(verdicts.len() * 96 + 4);
    if !batch {
        match verdicts.first() {
            Some(v) => compact(v, &mut out),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'\n');
        return String::from_utf8(out).unwrap_or_default();
    }
    out.push(b'[');
    for (i, v) in verdicts.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n  " } else { b",\n  " });
        compact(v, &mut out);
    }
    out.extend_from_slice(b"\n]\n");
    String::from_utf8(out).unwrap_or_default()
}

/// Writes to stdout, ignoring a closed pipe (`s3pg eval … | head`).
fn write_stdout(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn explained(a: &Answer) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    match a {
        Answer::Invalid { errors } => {
            for e in errors {
                let at = match &e.diagnostic {
                    Some(d) => format!(" ({} {}:{} {})", e.input, d.line, d.column, d.path),
                    None if !e.input.is_empty() => format!(" ({})", e.input),
                    None => String::new(),
                };
                let _ = writeln!(o, "error: {}{at}", e.message);
                if let Some(h) = &e.help {
                    let _ = writeln!(o, "  help: {h}");
                }
            }
        }
        Answer::Evaluated(ev) => {
            let d = match ev.decision {
                Decision::Allow => "Allow",
                Decision::ExplicitDeny => "ExplicitDeny",
                Decision::ImplicitDeny => "ImplicitDeny",
            };
            let _ = writeln!(o, "decision: {d}");
            let _ = writeln!(o, "{}", ev.summary);
            for r in &ev.determining {
                let name = r
                    .sid
                    .as_ref()
                    .map_or_else(|| format!("#{}", r.index + 1), |s| format!("`{s}`"));
                let _ = writeln!(
                    o,
                    "  determined by {} statement {name} of `{}` ({})",
                    r.effect,
                    r.policy,
                    r.layer.describe()
                );
            }
            let _ = writeln!(o, "\nsteps:");
            for g in &ev.gates {
                let _ = writeln!(
                    o,
                    "  [{}] {}: {}",
                    if g.passed { "pass" } else { "FAIL" },
                    g.check,
                    g.explanation
                );
            }
            let _ = writeln!(o, "\ntrace:");
            for layer in &ev.trace {
                let _ = writeln!(o, "  {}", layer.note);
                for p in &layer.policies {
                    let _ = writeln!(o, "    policy `{}`", p.name);
                    for s in &p.evaluation.statements {
                        let _ = writeln!(o, "      {}", s.explanation());
                        if let Some(pr) = &s.principal {
                            let _ = writeln!(o, "        {}: {}", pr.element, pr.explanation());
                        }
                        let _ = writeln!(
                            o,
                            "        {}: {}",
                            s.action.element,
                            s.action.explanation()
                        );
                        if let Some(r) = &s.resource {
                            let _ = writeln!(o, "        {}: {}", r.element, r.explanation());
                        }
                        for c in &s.conditions {
                            let _ = writeln!(o, "        Condition: {}", c.explanation());
                        }
                    }
                }
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explained_answer_names_the_layer_in_words_not_as_a_rust_variant() {
        let (answers, _) = run(r#"{
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": "s3:GetObject",
            "resource": "arn:aws:s3:::examplebucket/a.txt",
            "identity_policies": [{"Version": "2012-10-17", "Statement": [
                {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}]
        }"#);
        let text: String = answers.iter().map(explained).collect();
        assert!(
            text.contains("determined by Allow statement `Read`")
                && text.contains("(the identity-based policies)"),
            "{text}"
        );
        assert!(!text.contains("(Identity)"), "{text}");
    }
}
