//! The S3 Security Playground in the browser: a Yew app over the simulated world.
//!
//! The app holds one [`state::AppState`]; components send [`state::Action`]s and the pure
//! reducer answers with the next state by calling the core (`s3pg-sim`, `s3pg-policy`)
//! directly — every decision and every sentence on the page comes from the core, the UI only lays
//! it out.

pub mod analysis;
pub mod assets;
pub mod builder;
pub mod components;
pub mod editor;
pub mod entropy;
pub mod learn;
pub mod share;
pub mod state;
pub mod text;
pub mod work;

pub use components::App;
