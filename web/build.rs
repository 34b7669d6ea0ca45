//! Embeds the scenario corpus (`tests/scenarios/*.json`) into the app, so the scenario library
//! works offline with no fetch: writes `$OUT_DIR/library.rs` with one entry per file, sorted.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dir = manifest.join("../tests/scenarios");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let mut out = String::from(
        "/// The scenario corpus: `(file name, title, first tag, JSON text)`, by file name.\n",
    );
    out.push_str("pub const LIBRARY: &[(&str, &str, &str, &str)] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let title = doc
            .get("name")
            .and_then(|v| v.as_str())
            .unwrap_or("untitled");
        let tag = doc
            .get("tags")
            .and_then(|t| t.get(0))
            .and_then(|v| v.as_str())
            .unwrap_or("other");
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    ({file:?}, {title:?}, {tag:?}, include_str!({:?})),",
            path.canonicalize()
                .unwrap_or(path.clone())
                .display()
                .to_string()
        );
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("library.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=could not write the scenario library: {e}");
    }
    course_files(&manifest);
}

/// Lists the built-in course's files (`course/{lessons,challenges,questions}/*.json`) by path
/// in `$OUT_DIR/course_files.rs`: the browser fetches them when a learning view first opens, so
/// the course costs nothing on the first visit.
fn course_files(manifest: &std::path::Path) {
    let root = manifest.join("../course");
    let mut paths = Vec::new();
    for dir in ["lessons", "challenges", "questions"] {
        let path = root.join(dir);
        println!("cargo:rerun-if-changed={}", path.display());
        let mut names: Vec<String> = std::fs::read_dir(&path)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".json"))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        paths.extend(names.into_iter().map(|n| format!("{dir}/{n}")));
    }
    let mut out = String::from(
        "/// The built-in course's files, by path under `course/`.\npub const COURSE_FILES: &[&str] = &[\n",
    );
    for p in paths {
        let _ = writeln!(out, "    {p:?},");
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("course_files.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=could not write the course file list: {e}");
    }
}
