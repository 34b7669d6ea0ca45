//! Lists the built-in course (`course/lessons`, `course/challenges`, `course/questions` at the
//! repository root) for `s3pg_course::builtin`, so a new content file is compiled in without
//! touching Rust code. Runs at build time only; nothing reads these files at run time.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let root = Path::new(&manifest).join("../../course");
    let mut out = String::from(
        "/// Every built-in course file: its path under `course/` and its text.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for dir in ["lessons", "challenges", "questions"] {
        let path = root.join(dir);
        println!("cargo::rerun-if-changed={}", path.display());
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for file in files {
            println!("cargo::rerun-if-changed={}", file.display());
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let abs = file.canonicalize().unwrap_or(file.clone());
            let _ = writeln!(
                out,
                "    ({:?}, include_str!({:?})),",
                format!("{dir}/{name}"),
                abs.display().to_string()
            );
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_owned()))
        .join("builtin_files.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo::warning=cannot write {}: {e}", dest.display());
    }
}
