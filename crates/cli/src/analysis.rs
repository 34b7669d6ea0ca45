//! The analysis subcommands — `who-can`, `findings`, `diff`, `flip` — over a scenario's world,
//! through `s3pg-analysis` (every answer a dry run of the same core). Human-readable by default,
//! JSON with `--json`.

use s3pg_analysis::flip::flip;
use s3pg_analysis::resource::Resource;
use s3pg_analysis::who_can::{Options, who_can};
use s3pg_analysis::{diff, findings};
use s3pg_sim::scenario::{Scenario, find_device, run_step};
use s3pg_sim::{Request, Timestamp, World};

const WHO_CAN_USAGE: &str = "usage: s3pg who-can SCENARIO RESOURCE [--action ACTION]... [--steps N] [--no-conditions] [--json]
  RESOURCE: s3://BUCKET, s3://BUCKET/KEY, s3://BUCKET/KEY?versionId=ID, a KMS key ARN or id, glacier:VAULT
  --steps N: run the scenario's first N steps first (default: the world as declared)";
const FINDINGS_USAGE: &str = "usage: s3pg findings SCENARIO [--steps N] [--json]";
const DIFF_USAGE: &str = "usage: s3pg diff BEFORE AFTER [--json]    (two scenarios' worlds)
       s3pg diff SCENARIO --step N [--json]  (the world before and after step N, 1-based)";
const FLIP_USAGE: &str = "usage: s3pg flip SCENARIO --step N [--json]  (step N's request, 1-based, in the world before it)
       s3pg flip SCENARIO --request FILE [--steps N] [--json]";

/// Parsed command-line arguments: positionals, `--name value` options (repeatable) and flags.
struct Args {
    positional: Vec<String>,
    options: Vec<(String, String)>,
    json: bool,
    no_conditions: bool,
}

fn parse_args(args: &[String], valued: &[&str], usage: &str) -> Result<Args, u8> {
    let mut out = Args {
        positional: Vec::new(),
        options: Vec::new(),
        json: false,
        no_conditions: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-h" | "--help" => {
                println!("{usage}");
                return Err(0);
            }
            "--json" => out.json = true,
            "--no-conditions" => out.no_conditions = true,
            opt if valued.contains(&opt) => match it.next() {
                Some(v) => out.options.push((opt.to_owned(), v.clone())),
                None => {
                    eprintln!("error: `{opt}` needs a value\n{usage}");
                    return Err(2);
                }
            },
            opt if opt.starts_with("--") => {
                eprintln!("error: unknown option `{opt}`\n{usage}");
                return Err(2);
            }
            _ => out.positional.push(a.clone()),
        }
    }
    Ok(out)
}

impl Args {
    fn option(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn number(&self, name: &str, usage: &str) -> Result<Option<usize>, u8> {
        match self.option(name) {
            None => Ok(None),
            Some(v) => v.parse::<usize>().map(Some).map_err(|_| {
                eprintln!("error: `{name}` takes a step number, not `{v}`\n{usage}");
                2
            }),
        }
    }
}

fn load(file: &str) -> Result<Scenario, u8> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        eprintln!("error: cannot read `{file}`: {e}");
        2
    })?;
    Scenario::from_json(&text).map_err(|e| {
        eprintln!("error: {file}:{e}");
        2
    })
}

/// The world after the scenario's first `steps` steps, and the time then.
fn world_after(scenario: &Scenario, steps: usize) -> (World, Timestamp) {
    let mut world = scenario.world.clone();
    let mut now = scenario.start;
    for (i, step) in scenario.steps.iter().take(steps).enumerate() {
        run_step(&mut world, &mut now, i, step);
    }
    (world, now)
}

/// Step `n` (1-based): the world before it, its time and its request (with the MFA code the
/// device shows then, as the runner sends it).
fn before_step(
    scenario: &Scenario,
    n: usize,
    usage: &str,
) -> Result<(World, Timestamp, Request), u8> {
    let Some(step) = n.checked_sub(1).and_then(|i| scenario.steps.get(i)) else {
        eprintln!(
            "error: no step `{n}`: the scenario has {} step(s)\n{usage}",
            scenario.steps.len()
        );
        return Err(2);
    };
    let (world, mut now) = world_after(scenario, n.saturating_sub(1));
    if let Some(at) = step.at {
        now = at;
    }
    if let Some(s) = step.after_seconds {
        now = now.plus(s);
    }
    let mut request = step.request.clone();
    if let Some(serial) = &step.mfa_from_device {
        let code = find_device(&world, serial)
            .and_then(|_| world.mfa_code(serial, now))
            .unwrap_or_else(|| "000000".to_owned());
        request
            .headers
            .insert("x-amz-mfa".to_owned(), format!("{serial} {code}"));
    }
    Ok((world, now, request))
}

fn print_json(value: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// `s3pg who-can`.
pub fn who_can_main(args: &[String]) -> u8 {
    let a = match parse_args(args, &["--action", "--steps"], WHO_CAN_USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let [file, resource] = a.positional.as_slice() else {
        eprintln!("error: give a scenario and a resource\n{WHO_CAN_USAGE}");
        return 2;
    };
    let scenario = match load(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let steps = match a.number("--steps", WHO_CAN_USAGE) {
        Ok(n) => n.unwrap_or(0),
        Err(code) => return code,
    };
    let (world, now) = world_after(&scenario, steps);
    let resource = match Resource::parse(&world, resource) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let actions: Vec<String> = a
        .options
        .iter()
        .filter(|(n, _)| n == "--action")
        .map(|(_, v)| v.clone())
        .collect();
    if let Some(bad) = actions
        .iter()
        .find(|x| !resource.actions().contains(&x.as_str()))
    {
        eprintln!(
            "error: `{bad}` is not an action analysis asks about on `{resource}`\n  help: choose from {}",
            resource.actions().join(", ")
        );
        return 2;
    }
    let options = Options {
        actions: (!actions.is_empty()).then_some(actions),
        without_conditions: a.no_conditions,
    };
    let answer = who_can(&world, &resource, now, &options);
    if a.json {
        print_json(&answer);
        return 0;
    }
    println!("who can access `{}`", answer.resource);
    for action in &answer.actions {
        println!("\n{action}");
        for row in answer.rows.iter().filter(|r| &r.action == action) {
            let why = if row.verdict.allowed {
                row.verdict.decided_by()
            } else {
                row.verdict.reason.clone()
            };
            println!("  {:<48} {:<24} {}", row.who, row.summary(), why);
        }
    }
    0
}

/// `s3pg findings`.
pub fn findings_main(args: &[String]) -> u8 {
    let a = match parse_args(args, &["--steps"], FINDINGS_USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let [file] = a.positional.as_slice() else {
        eprintln!("error: give one scenario\n{FINDINGS_USAGE}");
        return 2;
    };
    let scenario = match load(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let steps = match a.number("--steps", FINDINGS_USAGE) {
        Ok(n) => n.unwrap_or(0),
        Err(code) => return code,
    };
    let (world, _) = world_after(&scenario, steps);
    let all = findings::findings(&world);
    if a.json {
        print_json(&all);
        return 0;
    }
    for b in &all {
        println!("{} ({}): {}", b.bucket, b.owner, b.label);
        if b.findings.is_empty() {
            println!("  no access from outside the account");
        }
        for f in &b.findings {
            let scope = if f.outside_organization {
                "outside the organization"
            } else {
                "outside the account, inside the organization"
            };
            println!("  - {} [{scope}]", f.explanation);
        }
    }
    0
}

/// `s3pg diff`.
pub fn diff_main(args: &[String]) -> u8 {
    let a = match parse_args(args, &["--step"], DIFF_USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let step = match a.number("--step", DIFF_USAGE) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let (before, after, now) = match (a.positional.as_slice(), step) {
        ([file], Some(n)) => {
            let scenario = match load(file) {
                Ok(s) => s,
                Err(code) => return code,
            };
            let (before, now, request) = match before_step(&scenario, n, DIFF_USAGE) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let mut after = before.clone();
            after.handle(&request, now);
            (before, after, now)
        }
        ([b, c], None) => {
            let (sb, sa) = match (load(b), load(c)) {
                (Ok(x), Ok(y)) => (x, y),
                (Err(code), _) | (_, Err(code)) => return code,
            };
            (sb.world, sa.world, sa.start)
        }
        _ => {
            eprintln!("error: give two scenarios, or one scenario and `--step N`\n{DIFF_USAGE}");
            return 2;
        }
    };
    let rows = diff::diff(&before, &after, now);
    if a.json {
        print_json(&rows);
        return 0;
    }
    if rows.is_empty() {
        println!("no access gained or lost");
    }
    for r in &rows {
        let sign = match r.change {
            diff::Change::Gained => '+',
            diff::Change::Lost => '-',
        };
        println!("{sign} {}", r.explanation);
    }
    0
}

/// `s3pg flip`.
pub fn flip_main(args: &[String]) -> u8 {
    let a = match parse_args(args, &["--step", "--steps", "--request"], FLIP_USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let [file] = a.positional.as_slice() else {
        eprintln!("error: give one scenario\n{FLIP_USAGE}");
        return 2;
    };
    let scenario = match load(file) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (step, steps) = match (
        a.number("--step", FLIP_USAGE),
        a.number("--steps", FLIP_USAGE),
    ) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let (world, now, request) = match (step, a.option("--request")) {
        (Some(n), None) => match before_step(&scenario, n, FLIP_USAGE) {
            Ok(x) => x,
            Err(code) => return code,
        },
        (None, Some(path)) => {
            let text = match std::fs::read_to_string(path) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: cannot read `{path}`: {e}");
                    return 2;
                }
            };
            let request: Request = match serde_json::from_str(&text) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!(
                        "error: {path}:{}:{}: the request does not read: {}\n  help: write a request as a scenario step's `request` object",
                        e.line(),
                        e.column(),
                        e.to_string().split(" at line ").next().unwrap_or_default()
                    );
                    return 2;
                }
            };
            let (world, now) = world_after(&scenario, steps.unwrap_or(0));
            (world, now, request)
        }
        _ => {
            eprintln!("error: give `--step N` or `--request FILE`\n{FLIP_USAGE}");
            return 2;
        }
    };
    let answer = flip(&world, &request, now);
    if a.json {
        print_json(&answer);
        return 0;
    }
    println!(
        "{} {}: {} ({})",
        request.operation.name(),
        if answer.before.allowed {
            "is allowed"
        } else {
            "is refused"
        },
        answer.before.decided_by(),
        answer.before.reason
    );
    if answer.proposals.is_empty() {
        println!("no single change in the {} tried flips it", answer.searched);
    } else {
        println!(
            "what would flip it ({} of {} changes tried, smallest first):",
            answer.proposals.len(),
            answer.searched
        );
    }
    for p in &answer.proposals {
        println!("  [{}] {}", p.size, p.explanation);
    }
    0
}
