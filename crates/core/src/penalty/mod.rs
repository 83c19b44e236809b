//! Penalty execution (处分决定执行) and rectification checklists (整改清单), DOMAIN.md §3–§4.
//!
//! Every workflow rule of a decision or a list is in `workflow` (pure: state, steps, the check,
//! the events a step produces, the steps allowed to a post, the deadlines each event opens or
//! closes); its events are typed in `events`; `state` reads a checklist's state once. A penalty
//! decision generates its execution checklist from a versioned template chosen by rules (`rules`,
//! `template`). `ops` loads → decides → appends through `Store::execute`; `project` applies the
//! typed events and their duties to the projections; screens and scripts read boards, pages,
//! queues and influence-period flags (`query`), with the steps the viewer may take.

pub mod events;
pub mod model;
pub mod ops;
pub mod project;
pub mod query;
pub mod rules;
pub mod state;
pub mod template;
pub mod workflow;

pub use model::*;
