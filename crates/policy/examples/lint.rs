//! Prints the diagnostics of a policy file, as a bucket policy when `--bucket NAME` is given.
//! Usage: `cargo run -p s3pg-policy --example lint -- FILE [--bucket NAME]`

use s3pg_policy::{Policy, PolicyKind, lint::lint_as};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: lint FILE [--bucket NAME]");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("error: cannot read `{path}`: {e}");
        std::process::exit(2);
    });
    let kind = match args.iter().position(|a| a == "--bucket") {
        Some(i) => PolicyKind::BucketPolicy {
            bucket: args.get(i + 1).cloned(),
        },
        None => PolicyKind::Any,
    };
    let diagnostics = match Policy::parse(&text) {
        Ok(policy) => lint_as(&policy, &kind),
        Err(errors) => errors,
    };
    for d in &diagnostics {
        println!("{d}");
    }
    if diagnostics.iter().any(|d| d.is_error()) {
        std::process::exit(1);
    }
}
