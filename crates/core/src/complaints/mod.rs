//! Complaints (检举控告): intake, the handling workflow, approvals, deadlines, confidentiality and search.

pub mod attachments;
pub mod events;
pub mod limits;
pub mod model;
pub mod ops;
pub mod project;
pub mod query;
pub mod search;
pub mod state;
pub mod stats;
pub mod workflow;

pub use model::*;
