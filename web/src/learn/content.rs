//! Where the learning views get the course. Natively (the unit tests) it is compiled in from
//! `course/`. In the browser it is a separate asset: `scripts/post-build.mjs` writes the built-in
//! course files into the build as one content-hashed JSON file (`[[path, text], …]`) that
//! index.html names but does not preload, so the course costs nothing on a first visit to the
//! playground; it is fetched the first time a learning view opens, and the service worker keeps
//! it for offline use.

use s3pg_course::Course;

/// Reads the course file the build writes: a JSON array of `[path, text]` pairs. The error is a
/// sentence for the learner.
pub fn parse_bundle(json: &str) -> Result<Course, String> {
    let files: Vec<(String, String)> = serde_json::from_str(json)
        .map_err(|_| "the course file is damaged: reload the page".to_owned())?;
    Course::from_texts(files.iter().map(|(p, t)| (p.clone(), t.as_str())))
        .map_err(|(file, e)| format!("the course file `{file}` does not load: {e}"))
}

/// The built-in course, compiled in (native builds and tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn builtin() -> Result<Course, String> {
    s3pg_course::builtin::course().map_err(|(file, e)| format!("`{file}`: {e}"))
}

/// Fetches the course asset the page names and loads it.
#[cfg(target_arch = "wasm32")]
pub async fn fetch() -> Result<Course, String> {
    parse_bundle(&crate::assets::fetch_asset("course").await?)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_course_bundle_loads_into_the_whole_course() {
        let mut files = Vec::new();
        for dir in ["lessons", "challenges", "questions"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../course")
                .join(dir);
            let mut names: Vec<_> = std::fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            names.sort();
            for n in names.into_iter().filter(|n| n.ends_with(".json")) {
                let text = s3pg_course::builtin::file(&format!("{dir}/{n}")).unwrap();
                files.push((format!("{dir}/{n}"), crate::share::compact_json(text)));
            }
        }
        let bundle = serde_json::to_string(&files).unwrap();
        let course = parse_bundle(&bundle).unwrap();
        assert_eq!(course, builtin().unwrap());
        assert!(
            parse_bundle("[[\"lessons/x.json\"")
                .unwrap_err()
                .contains("damaged")
        );
        let broken =
            serde_json::to_string(&[("lessons/x.json", "{\"kind\": \"lesson\"}")]).unwrap();
        assert!(
            parse_bundle(&broken)
                .unwrap_err()
                .contains("`lessons/x.json`")
        );
    }
}
