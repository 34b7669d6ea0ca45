//! The browser side of saved work: `localStorage` through `gloo-storage` (the Web Storage API,
//! https://html.spec.whatwg.org/multipage/webstorage.html), file downloads, and the clock the
//! page uses to date versions. Every call fails softly: a browser with storage turned off still
//! runs the playground, it just cannot keep work between visits (and says so).

use gloo::storage::{LocalStorage, Storage as _};

use super::{
    MAX_VERSIONS, SESSION_KEY, SET_ASIDE_PREFIX, Saved, StorageError, VERSIONS_KEY, Version,
    decode_versions, encode_session, encode_versions, unique_name,
};

/// The raw text under `key`, if storage works and holds one.
pub fn read(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// Stores `text` under `key`; the error is a sentence (storage full or turned off).
pub fn write(key: &str, text: &str) -> Result<(), String> {
    LocalStorage::raw().set_item(key, text).map_err(|_| {
        "this browser refused to store your work (its storage is full or turned off): download it to keep it".to_owned()
    })
}

/// Moves the unreadable entry `key` under a key of its own, so the page can write a new one
/// without losing it.
pub fn set_aside(key: &str) {
    if let Some(text) = read(key) {
        let aside = format!("{SET_ASIDE_PREFIX}{key}.{}", now() as u64);
        if write(&aside, &text).is_ok() {
            LocalStorage::delete(key);
        }
    }
}

/// Keeps the work on the page for the next visit.
pub fn save_session(saved: &Saved) -> Result<(), String> {
    write(SESSION_KEY, &encode_session(saved))
}

/// The named versions; an unreadable list is set aside and reported.
pub fn load_versions() -> (Vec<Version>, Option<String>) {
    let Some(text) = read(VERSIONS_KEY) else {
        return (Vec::new(), None);
    };
    match decode_versions(&text) {
        Ok(versions) => (versions, None),
        Err(e) => {
            if !matches!(e, StorageError::Newer(_)) {
                set_aside(VERSIONS_KEY);
            }
            (
                Vec::new(),
                Some(format!(
                    "Your saved versions could not be read: {e}. They have been kept as they were in this browser's storage."
                )),
            )
        }
    }
}

/// Adds a version named `name` (made unique) and stores the list; returns the new list.
pub fn add_version(versions: &[Version], name: &str, work: Saved) -> Result<Vec<Version>, String> {
    if versions.len() >= MAX_VERSIONS {
        return Err(format!(
            "you have {MAX_VERSIONS} saved versions, the most this page keeps: delete some first"
        ));
    }
    let mut next = versions.to_vec();
    next.insert(
        0,
        Version {
            name: unique_name(versions, name),
            saved_at: now(),
            work,
        },
    );
    store_versions(&next)?;
    Ok(next)
}

/// Stores the versions list.
pub fn store_versions(versions: &[Version]) -> Result<(), String> {
    write(VERSIONS_KEY, &encode_versions(versions))
}

/// Milliseconds since 1970 by the browser's clock.
pub fn now() -> f64 {
    js_sys::Date::now()
}

/// `saved_at` as the learner's locale writes a date and time.
pub fn format_time(ms: f64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms))
        .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

/// Starts a download of `text` as the file `name`.
pub fn download(name: &str, text: &str, mime: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast as _;
    let blob = gloo::file::Blob::new_with_options(text, Some(mime));
    let url = gloo::file::ObjectUrl::from(blob);
    let anchor: web_sys::HtmlAnchorElement = gloo::utils::document()
        .create_element("a")
        .map_err(|_| "the browser refused to start a download".to_owned())?
        .dyn_into()
        .map_err(|_| "the browser refused to start a download".to_owned())?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}
