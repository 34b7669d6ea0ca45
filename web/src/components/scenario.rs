//! The scenario view: what the open scenario teaches, its own steps, the library of every
//! scenario of the corpus, and saving and sharing the learner's work.

use yew::prelude::*;

use super::PanelProps;
use super::library::LibraryPicker;
use super::share_panel::SharePanel;
use super::steps::StepsPanel;
use crate::state::Action;

/// The scenario view.
#[function_component(ScenarioView)]
pub fn scenario_view(props: &PanelProps) -> Html {
    let state = &props.state;
    html! {
        <div class="stack">
            <section class="panel intro" aria-labelledby="scenario-h">
                <h2 id="scenario-h">{ &state.title }</h2>
                <p class="lead">{ &state.description }</p>
                <p class="hint">
                    { "Change the world the way the S3 console would — every toggle and every Save is a request S3 checks — then send requests and read the answer gate by gate." }
                </p>
            </section>
            <StepsPanel state={state.clone()} dispatch={props.dispatch.clone()} />
            <LibraryPicker current={state.file.clone()} on_open={props.dispatch.reform(Action::Open)} />
            <SharePanel state={state.clone()} dispatch={props.dispatch.clone()} />
        </div>
    }
}
