//! The notice crate's integration tests, in one binary so the Typst stack is linked once.

mod common;
mod errors;
mod layout;
mod recovery;
mod render;
