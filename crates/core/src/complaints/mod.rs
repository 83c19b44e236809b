//! Complaints (检举控告): intake, the handling workflow, approvals, deadlines, confidentiality and search.

pub mod attachments;
pub mod limits;
pub mod model;
pub mod ops;
pub mod project;
pub mod query;
pub mod search;
pub mod stats;

pub use model::*;
