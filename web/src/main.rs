//! The browser entry point: renders the playground into the page's body, or the learning page
//! when the address asks for it (`?learn`, `?lesson=`, `?embed=…`, a `#pack=` link).

fn main() {
    if !s3pg_web::learn::page::render_if_asked() {
        yew::Renderer::<s3pg_web::App>::new().render();
    }
}
