//! Supervision letters and circulars (监督建议书、提醒函 “一书两提醒”、监督通报, issue #19 item 2):
//! a letter to a unit issued as a numbered notice with a feedback deadline, the unit's feedback
//! recorded with its evidence and accepted or sent back, a reminder when it is late, circulars
//! naming units with problems drafted from a period's letters, and the statistics of a period.
//!
//! Every rule is in `workflow` (pure: the draft's checks, a letter's steps, check, events and
//! duties, the units a circular names); the events are typed in `events`; `state` reads what the
//! rules need from the projections; `ops` loads → decides → appends through `Store::execute`;
//! `project` applies the events; `query` reads letters, circulars and statistics for screens and
//! scripts, and the text the notices print.

pub mod events;
pub mod model;
pub mod ops;
pub mod project;
pub mod query;
pub mod state;
pub mod workflow;

pub use model::*;
