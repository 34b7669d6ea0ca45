//! The S3 Security Playground in the browser: a Yew app over the simulated world.
use yew::prelude::*;

#[function_component(App)]
fn app() -> Html {
    html! { <main id="app"><h1>{ "S3 Security Playground" }</h1></main> }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
