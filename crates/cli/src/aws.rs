//! `s3pg aws`: runs AWS CLI command lines against a scenario's world, printing exactly what the
//! `aws` command would print and exiting with its status, so lessons and tests can use the same
//! commands as the browser console. The console itself is `s3pg_awscli::Console`; this module
//! only loads the world and the files, and prints. Exit statuses follow
//! <https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html>.

use std::io::Write as _;

use s3pg_awscli::{Console, ConsoleResult};
use s3pg_sim::scenario::Scenario;
use s3pg_sim::{Timestamp, World};

const USAGE: &str = "usage: s3pg aws --world FILE [options] -- aws <command> <subcommand> [parameters]
       s3pg aws --world FILE [options] --script FILE

Runs AWS CLI v2 command lines against the simulated world of FILE (a scenario, or a bare world
JSON) and prints what the real `aws` would print, exiting with its status (0 ok, 1 a failed
`aws s3` transfer, 252 usage error, 253 no credentials, 254 error from S3, 255 other; commands
the world does not model yet, such as KMS and Glacier, say so and exit 255).

options:
  --world FILE          the scenario (its `world` and `start`) or world JSON to run against
  --now TIME            simulated time, e.g. 2026-01-01T00:00:00Z (default: the scenario's start)
  --file NAME=PATH      put the local file PATH in the console's file panel as NAME, for
                        `file://NAME` and `--body NAME` (repeatable)
  --default-profile P   the profile used without `--profile` (default: the first account's root)
  --source-ip IP        the caller's public IP address (`aws:SourceIp`; default 203.0.113.10)
  --vpc-endpoint ID     send through this VPC endpoint (`aws:SourceVpce`; no public source IP)
  --vpc ID              the VPC of that endpoint (`aws:SourceVpc`)
  --profiles            list the profiles the world offers and exit
  --script FILE         run every line of FILE in order against the same world; `#` comments,
                        `sleep N` (advance the clock N seconds) and `{code:SERIAL}` (the MFA
                        device's current code) are understood; each command is echoed as `$ …`;
                        every line runs; `! aws …` marks a command meant to fail; a line that
                        does not go as written is named by its line number, and the script
                        exits with the first such line's status (0 when all go as written)
  --json                print each result as JSON (stdout, stderr, exit code, requests, and every
                        outcome with its full trace) instead of the terminal text
  -h, --help            this text

examples:
  s3pg aws --world tests/scenarios/iam-01-identity-allow.json -- aws s3 ls s3://examplebucket --profile alice
  s3pg aws --world w.json --file policy.json=./policy.json -- aws s3api put-bucket-policy --bucket b --policy file://policy.json --profile root
";

struct Options {
    world: Option<String>,
    now: Option<String>,
    files: Vec<(String, String)>,
    default_profile: Option<String>,
    source_ip: Option<String>,
    vpc_endpoint: Option<String>,
    vpc: Option<String>,
    script: Option<String>,
    json: bool,
    profiles: bool,
    command: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        world: None,
        now: None,
        files: Vec::new(),
        default_profile: None,
        source_ip: None,
        vpc_endpoint: None,
        vpc: None,
        script: None,
        json: false,
        profiles: false,
        command: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match arg.as_str() {
            "--world" => o.world = Some(value("--world")?),
            "--now" => o.now = Some(value("--now")?),
            "--default-profile" => o.default_profile = Some(value("--default-profile")?),
            "--script" => o.script = Some(value("--script")?),
            "--source-ip" => o.source_ip = Some(value("--source-ip")?),
            "--vpc-endpoint" => o.vpc_endpoint = Some(value("--vpc-endpoint")?),
            "--vpc" => o.vpc = Some(value("--vpc")?),
            "--file" => {
                let spec = value("--file")?;
                let (name, path) = spec
                    .split_once('=')
                    .ok_or_else(|| format!("`--file {spec}` must be written NAME=PATH"))?;
                o.files.push((name.to_owned(), path.to_owned()));
            }
            "--json" => o.json = true,
            "--profiles" => o.profiles = true,
            "--" => {
                o.command = iter.cloned().collect();
                break;
            }
            "aws" => {
                o.command = std::iter::once(arg.clone()).chain(iter.cloned()).collect();
                break;
            }
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(o)
}

fn load_world(path: &str) -> Result<(World, Option<Timestamp>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
    let (mut world, start) = match Scenario::from_json(&text) {
        Ok(s) => (s.world, Some(s.start)),
        Err(scenario_error) => match serde_json::from_str::<World>(&text) {
            Ok(w) => (w, None),
            Err(_) => {
                return Err(format!(
                    "`{path}` is neither a scenario nor a world: {scenario_error}"
                ));
            }
        },
    };
    world.normalize();
    Ok((world, start))
}

fn print_result(result: &ConsoleResult, json: bool) {
    if json {
        match serde_json::to_string_pretty(result) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: cannot print the result as JSON: {e}"),
        }
        return;
    }
    let mut out = std::io::stdout();
    let _ = out.write_all(result.stdout.as_bytes());
    let _ = out.flush();
    let mut err = std::io::stderr();
    let _ = err.write_all(result.stderr.as_bytes());
    let _ = err.flush();
}

/// Runs `s3pg aws …` with the arguments after the subcommand; returns the exit status.
pub fn main(args: &[String]) -> u8 {
    if args.is_empty() || args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return if args.is_empty() { 2 } else { 0 };
    }
    let options = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return 2;
        }
    };
    let Some(world_path) = &options.world else {
        eprintln!(
            "error: `--world FILE` is required\nhelp: pass a scenario such as `tests/scenarios/default.json`"
        );
        return 2;
    };
    let (mut world, start) = match load_world(world_path) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let now = match &options.now {
        Some(text) => match Timestamp::parse(text) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                eprintln!("  help: {}", e.help());
                return 2;
            }
        },
        None => start.unwrap_or(Timestamp(1_767_225_600)),
    };
    let mut console = Console::new();
    console.default_profile = options.default_profile.clone();
    if let Some(ip) = &options.source_ip {
        console.network.source_ip = ip.clone();
    }
    console.network.vpc_endpoint = options.vpc_endpoint.clone();
    console.network.vpc = options.vpc.clone();
    for (name, path) in &options.files {
        match std::fs::read(path) {
            Ok(bytes) => console.add_file(name, bytes),
            Err(e) => {
                eprintln!("error: cannot read `{path}` for `--file {name}={path}`: {e}");
                return 2;
            }
        }
    }
    if options.profiles {
        for p in console.profiles(&world) {
            let key = p.access_key_id.as_deref().unwrap_or("(no access key)");
            println!("{:<24} {:<60} {key}", p.name, p.arn);
        }
        return 0;
    }
    if let Some(script_path) = &options.script {
        return run_script(&mut console, &mut world, script_path, now, options.json);
    }
    if options.command.is_empty() {
        eprintln!(
            "error: no command given\nhelp: put the `aws …` command after `--`, or use `--script FILE`"
        );
        return 2;
    }
    let result = console.run_words(&mut world, &options.command, now);
    print_result(&result, options.json);
    result.exit_code
}

/// `--script FILE`: runs each line of the script in order, prints each result (or all of them as
/// JSON), and says which lines did not go as written (a line written `! …` is meant to fail).
fn run_script(
    console: &mut Console,
    world: &mut World,
    script_path: &str,
    now: Timestamp,
    json: bool,
) -> u8 {
    let script = match std::fs::read_to_string(script_path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read `{script_path}`: {e}");
            return 2;
        }
    };
    let lines = console.run_script_lines(world, &script, now);
    let code = s3pg_awscli::script_exit_code(&lines);
    if json {
        let all: Vec<serde_json::Value> = lines
            .iter()
            .map(|l| {
                serde_json::json!({
                    "lineNumber": l.number,
                    "line": l.command,
                    "expectFailure": l.expect_failure,
                    "asExpected": l.as_expected(),
                    "result": l.result,
                })
            })
            .collect();
        match serde_json::to_string_pretty(&all) {
            Ok(text) => println!("{text}"),
            Err(e) => eprintln!("error: cannot print the results as JSON: {e}"),
        }
        return code;
    }
    for l in &lines {
        println!("$ {}", l.command);
        print_result(&l.result, false);
        if !l.as_expected() {
            if l.expect_failure {
                eprintln!(
                    "error: `{script_path}` line {}: `{}` succeeded, but the line is written `! …` (meant to fail)",
                    l.number, l.command
                );
            } else {
                eprintln!(
                    "error: `{script_path}` line {}: `{}` exited with status {}\nhelp: write the line as `! {}` if the refusal is the point",
                    l.number, l.command, l.result.exit_code, l.command
                );
            }
        }
    }
    let failed: Vec<String> = lines
        .iter()
        .filter(|l| !l.as_expected())
        .map(|l| l.number.to_string())
        .collect();
    if !failed.is_empty() {
        eprintln!(
            "error: {} of {} command(s) in `{script_path}` did not go as written (line {}); the script exits with {code}",
            failed.len(),
            lines.len(),
            failed.join(", ")
        );
    }
    code
}
