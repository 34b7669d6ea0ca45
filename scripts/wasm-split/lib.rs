//! Empty: this package exists only so Cargo fetches binaryen's source (see Cargo.toml).
