//! Core text laid out as HTML: the core writes user input and AWS names in `backticks`
//! (style.md, "Errors a learner reads"); the page shows them as code.

use yew::{Html, html};

/// Renders the `backticked` parts of a core message as `<code>`.
pub fn render_ticks(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| {
            if i % 2 == 1 { html! { <code>{ part }</code> } } else { html! { { part } } }
        }) }
    }
}
