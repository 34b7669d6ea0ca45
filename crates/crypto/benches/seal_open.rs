//! Placeholder: the seal/open benchmark lands next.

fn main() {}
