//! The page's components. Only [`App`] reads the state; the others take the slices they show and
//! callbacks, so they stay simple to test and to reuse in later panels.

pub mod app;
pub mod console;
pub mod editor;
pub mod encryption;
pub mod library;
pub mod outcome;
pub mod request;
pub mod share_panel;
pub mod steps;
pub mod trace;
pub mod world;

pub use app::App;
