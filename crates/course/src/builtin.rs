//! The built-in course, compiled in: every file of `course/` at the repository root, as text, and
//! loaded into a [`Course`]. The web app opens it without fetching anything, so the course works
//! offline; a program that never calls these functions pays nothing for them (the linker drops
//! the text).

use s3pg_sim::scenario::LoadError;

use crate::catalog::Course;

include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));

/// The text of a built-in file by its path under `course/` (`lessons/04-deny-encryption.json`).
pub fn file(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

/// Loads the whole built-in course. An error names the file and says where in it.
pub fn course() -> Result<Course, (String, LoadError)> {
    Course::from_texts(FILES.iter().map(|(p, t)| ((*p).to_owned(), *t)))
}
