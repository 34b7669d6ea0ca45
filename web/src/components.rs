//! The page's components. Only [`App`] reads the state; the others take the slices they show and
//! callbacks, so they stay simple to test and to reuse in later panels.

pub mod app;
pub mod console;
pub mod editor;
pub mod encryption;
pub mod library;
pub mod logs;
pub mod outcome;
pub mod request;
pub mod share_panel;
pub mod steps;
pub mod trace;
pub mod world;

pub use app::App;

use yew::prelude::*;

use crate::state::{Action, AppState};

/// Props of the panels that read the state and send actions (request, steps, share, console,
/// devices): the state handle and where actions go.
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    /// The app state.
    pub state: UseReducerHandle<AppState>,
    /// Where actions go.
    pub dispatch: Callback<Action>,
}
