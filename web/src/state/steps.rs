//! A library scenario opens with its steps read later. The page opens on the default scenario,
//! and what a first decision needs of it is its world and the request form, prefilled from the
//! first step: reading the steps as requests would compile, on a first visit and before anything
//! is on screen, the deserializer of every operation the simulator knows (one function of about
//! 90 KB of WebAssembly) and the serializer the steps' checks use (issue 13). So the scenario's
//! world is read at once, the form is prefilled from the first step as JSON
//! ([`RequestForm::prefill_json`](crate::builder::RequestForm::prefill_json)), and the steps are
//! read the first time something shows, runs or exports them ([`AppState::steps`]).
//!
//! Only library scenarios open this way: they are checked whole, steps included, by the scenario
//! corpus's native tests, so reading their steps later cannot fail where reading them at once
//! would have said why. A scenario the learner imports or opens from a link is read whole, and a
//! step that does not load is reported then.

use std::cell::OnceCell;
use std::rc::Rc;

use s3pg_sim::scenario::{Scenario, Step};

use super::{AppState, DEFAULT_FILE, DEFAULT_SCENARIO, library};

/// A scenario's steps, read from its text the first time they are asked for (shared by the states
/// a session makes, so they are read once).
#[derive(Debug, Clone)]
pub struct LaterSteps(Rc<Later>);

#[derive(Debug)]
struct Later {
    /// The scenario's text.
    text: Rc<str>,
    /// Its steps, once read.
    steps: OnceCell<Vec<Step>>,
}

impl PartialEq for LaterSteps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0.text == other.0.text
    }
}

impl LaterSteps {
    fn steps(&self) -> &[Step] {
        self.0.steps.get_or_init(|| {
            Scenario::from_json(&self.0.text)
                .map(|s| s.steps)
                .unwrap_or_default()
        })
    }
}

impl AppState {
    /// The state for a library scenario (by file name); an unknown name opens the default.
    /// `default.json` is compiled in ([`DEFAULT_SCENARIO`]): opening it needs no library.
    pub fn from_library(file: &str) -> AppState {
        let text = if file == DEFAULT_FILE {
            DEFAULT_SCENARIO
        } else {
            library()
                .iter()
                .find(|e| e.file == file)
                .map_or(DEFAULT_SCENARIO, |e| e.text.as_str())
        };
        let mut state =
            AppState::steps_later(text).unwrap_or_else(|| AppState::from_scenario_text(text));
        state.file = Some(file.to_owned());
        state
    }

    /// The scenario's steps (read now if they were left for later).
    pub fn steps(&self) -> &[Step] {
        match (&self.later_steps, &self.scenario) {
            (Some(later), _) => later.steps(),
            (None, Some(scenario)) => &scenario.steps,
            (None, None) => &[],
        }
    }

    /// The state for a scenario's text with its steps left for later; `None` when the text does
    /// not read that way (the caller then reads it whole, which says why).
    fn steps_later(text: &str) -> Option<AppState> {
        let mut doc: serde_json::Value = serde_json::from_str(text).ok()?;
        let steps = doc
            .as_object_mut()?
            .insert("steps".to_owned(), serde_json::Value::Array(Vec::new()))?;
        let scenario = Scenario::from_json(&doc.to_string()).ok()?;
        let mut state = AppState::with_world(scenario.world.clone(), scenario.start);
        state.title.clone_from(&scenario.name);
        state.description.clone_from(&scenario.description);
        if let Some(first) = steps.get(0).and_then(|s| s.get("request")) {
            state.form.prefill_json(first, &state.callers);
        }
        state.scenario = Some(Rc::new(scenario));
        let has_steps = steps.as_array().is_some_and(|s| !s.is_empty());
        state.later_steps = has_steps.then(|| {
            LaterSteps(Rc::new(Later {
                text: Rc::from(text),
                steps: OnceCell::new(),
            }))
        });
        Some(state)
    }
}
