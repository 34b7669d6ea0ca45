//! Embeds the scenario corpus (`tests/scenarios/*.json`) into native builds of the app (its unit
//! tests): writes `$OUT_DIR/library.rs` with one entry per file, sorted. The browser build does not
//! include it: it fetches the library as a file of its own (`scripts/post-build.mjs`), so the
//! WebAssembly stays small and the library is cached apart from the code.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dir = manifest.join("../tests/scenarios");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("library.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32") {
        println!("cargo:rerun-if-changed=build.rs");
        println!("cargo:rustc-link-arg-bin=s3pg-web=--no-merge-data-segments");
        if let Err(e) = std::fs::write(&out, "") {
            println!("cargo:warning=could not write {}: {e}", out.display());
        }
        return;
    }
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let mut text = String::from(
        "/// The scenario corpus: `(file name, title, first tag, JSON text)`, by file name.\n",
    );
    text.push_str("pub const LIBRARY: &[(&str, &str, &str, &str)] = &[\n");
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let json = std::fs::read_to_string(&path).unwrap_or_default();
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
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
            text,
            "    ({file:?}, {title:?}, {tag:?}, include_str!({:?})),",
            path.canonicalize()
                .unwrap_or(path.clone())
                .display()
                .to_string()
        );
    }
    text.push_str("];\n");
    if let Err(e) = std::fs::write(&out, text) {
        println!("cargo:warning=could not write the scenario library: {e}");
    }
}
