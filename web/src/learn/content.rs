//! Where the learning views get the course. Natively (the unit tests) it is compiled in from
//! `course/`; in the browser the build copies `course/` beside the app (index.html's `copy-dir`)
//! and the files are fetched the first time a learning view opens, so the course costs nothing
//! on a first visit to the playground and the service worker keeps it for offline use.

use s3pg_course::Course;

mod files {
    include!(concat!(env!("OUT_DIR"), "/course_files.rs"));
}

pub use files::COURSE_FILES;

/// The built-in course, compiled in (native builds and tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn builtin() -> Result<Course, String> {
    s3pg_course::builtin::course().map_err(|(file, e)| format!("`{file}`: {e}"))
}

/// Fetches the built-in course's files from `course/` beside the page and loads them; the error
/// is a sentence for the learner.
#[cfg(target_arch = "wasm32")]
pub async fn fetch() -> Result<Course, String> {
    let mut texts = Vec::with_capacity(COURSE_FILES.len());
    for path in COURSE_FILES {
        let url = format!("course/{path}");
        let response = gloo::net::http::Request::get(&url)
            .send()
            .await
            .map_err(|_| {
                "the course could not be downloaded: check the connection and reload".to_owned()
            })?;
        if !response.ok() {
            return Err(format!(
                "the course file `{path}` could not be downloaded (HTTP {}): reload the page",
                response.status()
            ));
        }
        let text = response
            .text()
            .await
            .map_err(|_| format!("the course file `{path}` was cut short: reload the page"))?;
        texts.push(((*path).to_owned(), text));
    }
    Course::from_texts(texts.iter().map(|(p, t)| (p.clone(), t.as_str())))
        .map_err(|(file, e)| format!("the course file `{file}` does not load: {e}"))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_file_list_names_every_built_in_course_file() {
        let course = builtin().unwrap();
        assert_eq!(
            COURSE_FILES
                .iter()
                .filter(|p| p.starts_with("lessons/"))
                .count(),
            course.lessons.len()
        );
        assert_eq!(
            COURSE_FILES
                .iter()
                .filter(|p| p.starts_with("challenges/"))
                .count(),
            course.challenges.len()
        );
        for p in COURSE_FILES {
            assert!(s3pg_course::builtin::file(p).is_some(), "{p}");
        }
    }
}
