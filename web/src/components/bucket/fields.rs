//! Small helpers the bucket page's forms share: a flag in words, the value of an input or a
//! select.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

pub(super) fn on_off(flag: bool) -> &'static str {
    if flag { "On" } else { "Off" }
}

pub(super) fn input_value(e: &InputEvent) -> String {
    e.target_dyn_into::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

pub(super) fn select_value(e: &Event) -> String {
    e.target_dyn_into::<HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}
