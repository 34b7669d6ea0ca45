//! The browser entry point: renders the playground into the page's body.

fn main() {
    yew::Renderer::<s3pg_web::App>::new().render();
}
