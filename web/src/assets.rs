//! The data the app fetches after it starts instead of carrying it in its WebAssembly: the
//! scenario library (`tests/scenarios/*.json`) and the IAM catalogue of actions and condition
//! keys (`crates/policy/data/catalogue.txt`).
//!
//! `scripts/post-build.mjs` writes both into the build under content-hashed names and names them
//! in index.html (`<link data-asset="library|catalogue">`); the service worker keeps them for
//! offline use. Native builds (the unit tests) compile the corpus in through `build.rs` instead.
//!
//! A first decision needs the catalogue (the editor lints the policy as it opens, and a bucket
//! policy's actions are checked against it), so index.html preloads it with the WebAssembly. It
//! does not need the library (the page opens on the default scenario, which is compiled in): a
//! first visit starts without it and fetches it once the page is on screen ([`load_library`]);
//! the Scenario view's picker waits for it if the learner gets there first. Its text is kept as
//! the browser read it and parsed the first time something asks for [`library`], so start-up does
//! not copy and parse its 0.9 MB.

use std::sync::OnceLock;

/// One scenario of the library.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct LibraryEntry {
    /// The corpus file name (`default.json`).
    pub file: String,
    /// The scenario's `name`.
    pub title: String,
    /// Its first tag (the library groups by it).
    pub tag: String,
    /// The scenario's JSON.
    pub text: String,
}

static LIBRARY: OnceLock<Vec<LibraryEntry>> = OnceLock::new();

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// The library file's text as fetched, until [`library`] first parses it.
    static LIBRARY_TEXT: std::cell::RefCell<Option<js_sys::JsString>> =
        const { std::cell::RefCell::new(None) };
}

/// Why the library file could not be read, when it could not (the picker says so).
static LIBRARY_PROBLEM: OnceLock<String> = OnceLock::new();

/// The scenario library, by file name (empty in the browser until [`load`] has fetched it;
/// parsed on the first call after that).
pub fn library() -> &'static [LibraryEntry] {
    #[cfg(not(target_arch = "wasm32"))]
    {
        LIBRARY.get_or_init(|| {
            embedded::LIBRARY
                .iter()
                .map(|(file, title, tag, text)| LibraryEntry {
                    file: (*file).to_owned(),
                    title: (*title).to_owned(),
                    tag: (*tag).to_owned(),
                    text: (*text).to_owned(),
                })
                .collect()
        })
    }
    #[cfg(target_arch = "wasm32")]
    {
        if let Some(entries) = LIBRARY.get() {
            return entries;
        }
        let Some(text) = LIBRARY_TEXT.with(|t| t.borrow_mut().take()) else {
            return &[];
        };
        let entries = parse_library(&String::from(text)).unwrap_or_else(|e| {
            let _ = LIBRARY_PROBLEM.set(e);
            Vec::new()
        });
        LIBRARY.get_or_init(|| entries)
    }
}

/// Why the scenario library is empty, if its file could not be read.
pub fn library_problem() -> Option<&'static str> {
    LIBRARY_PROBLEM.get().map(String::as_str)
}

/// Reads the library file the build writes (a JSON array of entries).
pub fn parse_library(json: &str) -> Result<Vec<LibraryEntry>, String> {
    let mut entries: Vec<LibraryEntry> = serde_json::from_str(json)
        .map_err(|e| format!("the scenario library could not be read ({e})"))?;
    entries.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(entries)
}

#[cfg(not(target_arch = "wasm32"))]
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/library.rs"));
}

/// Fetches the catalogue and the library named in index.html and installs the catalogue (once:
/// the second module calls this each time it mounts a view); the error is a sentence for the
/// loading screen.
#[cfg(target_arch = "wasm32")]
pub async fn load() -> Result<(), String> {
    load_catalogue().await?;
    load_library().await
}

/// Fetches and installs the IAM catalogue, unless it is installed already (index.html preloads
/// it with the WebAssembly).
#[cfg(target_arch = "wasm32")]
pub async fn load_catalogue() -> Result<(), String> {
    if !s3pg_policy::catalogue::is_loaded() {
        let catalogue = fetch_asset("catalogue").await?;
        if !s3pg_policy::catalogue::install(&catalogue) && !s3pg_policy::catalogue::is_loaded() {
            return Err("the IAM catalogue could not be installed".to_owned());
        }
    }
    Ok(())
}

/// Whether the library's text has arrived ([`library`] then answers with every scenario).
pub fn library_loaded() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        LIBRARY.get().is_some() || LIBRARY_TEXT.with(|t| t.borrow().is_some())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        true
    }
}

/// Fetches the scenario library, unless it has arrived already; a failure is also kept for
/// [`library_problem`], so the picker can say why it is empty.
#[cfg(target_arch = "wasm32")]
pub async fn load_library() -> Result<(), String> {
    if library_loaded() {
        return Ok(());
    }
    let fetched = fetch_library_text().await;
    match fetched {
        Ok(text) => {
            // Kept as the browser's string: parsed when first needed (see the module's comment).
            if !library_loaded() {
                LIBRARY_TEXT.with(|t| *t.borrow_mut() = Some(text));
            }
            Ok(())
        }
        Err(e) => {
            let _ = LIBRARY_PROBLEM.set(e.clone());
            Err(e)
        }
    }
}

/// The library file's text, as the browser's string.
#[cfg(target_arch = "wasm32")]
async fn fetch_library_text() -> Result<js_sys::JsString, String> {
    let library = fetch_response("library").await?;
    response_text(&library, "library").await
}

/// The text of the asset `kind` (`library`, `catalogue`, `course`) whose URL index.html lists.
#[cfg(target_arch = "wasm32")]
pub(crate) async fn fetch_asset(kind: &str) -> Result<String, String> {
    let response = fetch_response(kind).await?;
    Ok(String::from(response_text(&response, kind).await?))
}

/// The successful response for the asset `kind`, body not yet read. The browser's `fetch`
/// itself: the file is preloaded and needs no headers, and a first visit then runs (and
/// compiles) no request builder on its way to the first decision (issue 13).
#[cfg(target_arch = "wasm32")]
async fn fetch_response(kind: &str) -> Result<web_sys::Response, String> {
    use wasm_bindgen::JsCast as _;
    let href = gloo::utils::document()
        .query_selector(&format!("link[data-asset=\"{kind}\"]"))
        .ok()
        .flatten()
        .and_then(|link| link.get_attribute("href"))
        .ok_or_else(|| {
            format!("this build does not list its {kind} file (was it built with scripts/build?)")
        })?;
    let unreachable =
        || format!("the {kind} file could not be downloaded: check the connection and reload");
    let response =
        wasm_bindgen_futures::JsFuture::from(gloo::utils::window().fetch_with_str(&href))
            .await
            .map_err(|_| unreachable())?
            .dyn_into::<web_sys::Response>()
            .map_err(|_| unreachable())?;
    if !response.ok() {
        return Err(format!(
            "the {kind} file could not be downloaded (HTTP {}): reload the page",
            response.status()
        ));
    }
    Ok(response)
}

/// A response's body as the browser's string.
#[cfg(target_arch = "wasm32")]
async fn response_text(
    response: &web_sys::Response,
    kind: &str,
) -> Result<js_sys::JsString, String> {
    let cut_short = || format!("the {kind} file was cut short: reload the page");
    let text = response.text().map_err(|_| cut_short())?;
    let text = wasm_bindgen_futures::JsFuture::from(text)
        .await
        .map_err(|_| cut_short())?;
    Ok(js_sys::JsString::from(text))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_library_file_format_reads_and_sorts() {
        let json = r#"[{"file":"b.json","title":"B","tag":"t","text":"{}"},
                       {"file":"a.json","title":"A","tag":"t","text":"{}"}]"#;
        let entries = parse_library(json).unwrap();
        assert_eq!(entries[0].file, "a.json");
        assert!(
            parse_library("[{\"file\": 1}]")
                .unwrap_err()
                .starts_with("the scenario library could not be read")
        );
    }

    #[test]
    fn the_native_library_holds_the_corpus() {
        assert!(library().len() >= 80);
        assert!(library().iter().any(|e| e.file == "default.json"));
    }
}
