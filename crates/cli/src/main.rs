//! `s3pg`: the native command line of the S3 Security Playground.
//!
//! Every subcommand goes through the same core the browser uses: `eval` asks the policy engine,
//! `run` executes scenarios against the simulated world, `presign` signs URLs as the AWS SDK
//! does, and `aws` reads the AWS CLI's own syntax; `check-course` and `grade` check course content and
//! grade challenge solutions; `who-can`, `findings`, `diff` and `flip` are the analysis a learner asks.

mod analysis;
mod aws;
mod course;
mod eval;
mod eval_world;
mod presign;
mod run;

use std::process::ExitCode;

const USAGE: &str = "usage: s3pg <command> [args]

commands:
  eval [FILE] [--explain]   evaluate one IAM request (JSON object) or a batch (JSON array);
                            reads stdin when FILE is absent or `-`
  run FILE... [--json]      run scenarios, print each step's response and trace, check expectations
  presign s3://BUCKET/KEY   print a SigV4 pre-signed URL (see `s3pg presign --help`)
  aws --world FILE ...      run an `aws` CLI command line against a scenario's world
  check-course FILE... [--json]
                            load course files (lessons, challenges, questions, packs) and run
                            every check in them
  grade CHALLENGE --solution FILE [--json]
                            grade a solution (a world, or a patch/steps) against a challenge
  who-can SCENARIO RESOURCE [--action A]... [--json]
                            every principal that can and cannot act on a resource, and why
  findings SCENARIO [--json]
                            each bucket's console access label and its external-access findings
  diff BEFORE AFTER | diff SCENARIO --step N [--json]
                            the access an edit gained and lost
  flip SCENARIO --step N [--json]
                            the smallest changes that would flip a request's decision
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let code = match command.as_str() {
        "eval" => eval::main(rest),
        "run" => run::main(rest),
        "presign" => presign::main(rest),
        "aws" => aws::main(rest),
        "check-course" => course::check_main(rest),
        "grade" => course::grade_main(rest),
        "who-can" => analysis::who_can_main(rest),
        "findings" => analysis::findings_main(rest),
        "diff" => analysis::diff_main(rest),
        "flip" => analysis::flip_main(rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            0
        }
        other => {
            eprintln!("error: unknown command `{other}`\n\n{USAGE}");
            2
        }
    };
    ExitCode::from(code)
}
