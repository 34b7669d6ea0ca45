//! The S3 Security Playground in the browser (being written).
fn main() {}
