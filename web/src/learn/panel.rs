//! What every learning panel shares (lessons, challenges, exam practice): its props, and the way
//! out to the playground. Kept apart from `view`, which lays the panels out, so the panels do not
//! import the view that imports them.

use yew::{Callback, Properties, UseReducerHandle};

use super::state::{LearnAction, LearnState};

/// Props of the learning views' panels: the state and where actions go.
#[derive(Properties, PartialEq)]
pub struct LearnProps {
    /// The state.
    pub state: UseReducerHandle<LearnState>,
    /// Where actions go.
    pub dispatch: Callback<LearnAction>,
    /// True in embed mode (no links out of the item).
    #[prop_or_default]
    pub embed: bool,
}

/// Opens a scenario in the playground, in a new tab, through a share link (nothing is uploaded).
pub fn open_scenario(json: &str) {
    let url = format!("./#{}", crate::share::encode_fragment(json));
    if let Some(w) = web_sys::window() {
        let _ = w.open_with_url_and_target(&url, "_blank");
    }
}
