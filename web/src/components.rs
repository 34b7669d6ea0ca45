//! The page's components. Only [`App`] reads the state; views take the state handle and a
//! dispatch callback, and the pieces inside them take the slices they show and callbacks, so they
//! stay simple to test and to reuse.

pub mod app;
pub mod bucket;
pub mod console;
pub mod diagram;
pub mod editor;
pub mod encryption;
pub mod first_request;
pub mod identities;
pub mod library;
pub mod logs;
pub mod outcome;
pub mod request;
pub mod scenario;
pub mod services;
pub mod share_panel;
pub mod steps;
pub mod trace;

pub use app::App;

use yew::prelude::*;

use crate::state::{Action, AppState};

/// Props of the views and panels that read the state and send actions: the state handle and
/// where actions go.
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    /// The app state.
    pub state: UseReducerHandle<AppState>,
    /// Where actions go.
    pub dispatch: Callback<Action>,
}
