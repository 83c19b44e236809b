//! Placeholder entry replaced below.
fn main() {}
