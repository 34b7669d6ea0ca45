//! The scenario corpus runner: loads every JSON scenario under `tests/scenarios/` and runs it
//! through `s3pg_sim::scenario::run`, collecting each failed expectation by file and step.
//!
//! The scenario format is documented in `tests/README.md` and `tests/scenario.schema.json`.

use std::path::{Path, PathBuf};

use s3pg_sim::scenario::{Report, Scenario, run};

/// The corpus directory (`tests/scenarios`).
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Every scenario file of the corpus, sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The outcome of one corpus file.
#[derive(Debug)]
pub struct FileResult {
    /// The file name.
    pub file: String,
    /// The loaded scenario (absent when loading failed).
    pub scenario: Option<Scenario>,
    /// The run report (absent when loading failed).
    pub report: Option<Report>,
    /// Load errors and failed expectations, as `file step N (name): message`.
    pub failures: Vec<String>,
}

/// Loads and runs one scenario file.
pub fn run_file(path: &Path) -> FileResult {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            return FileResult {
                file: file.clone(),
                scenario: None,
                report: None,
                failures: vec![format!("{file}: cannot read: {e}")],
            };
        }
    };
    match Scenario::from_json(&text) {
        Err(e) => FileResult {
            file: file.clone(),
            scenario: None,
            report: None,
            failures: vec![format!("{file}:{e}")],
        },
        Ok(s) => {
            let report = run(&s);
            let failures = report
                .failures()
                .into_iter()
                .map(|(i, name, f)| format!("{file} step {} ({name}): {f}", i + 1))
                .collect();
            FileResult {
                file,
                scenario: Some(s),
                report: Some(report),
                failures,
            }
        }
    }
}

/// Runs the whole corpus.
pub fn run_corpus() -> Vec<FileResult> {
    corpus_files().iter().map(|p| run_file(p)).collect()
}
