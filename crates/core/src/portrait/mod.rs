//! Integrity files and integrity opinions (廉政档案、廉政意见回复, issue #19 item 1): a file per
//! cadre and per unit built from the office's own records, the organisation department's requests
//! for integrity opinions, and a unit's profile score (单位画像).
//!
//! Every rule is in `workflow` (pure: identities, match decisions, findings, the proposed
//! conclusion, the opinion request's steps, check, events and duties) and `cadre` (ID numbers,
//! name and unit comparison); the events are typed in `events`; `state` reads what the rules need
//! from the projections; `ops` loads → decides → appends through `Store::execute`; `project`
//! applies the events; `query` reads files, requests and the unit list for screens and scripts,
//! logging every reading of a file; `score` computes a unit's profile from configurable rules.

pub mod cadre;
pub mod events;
pub mod model;
pub mod ops;
pub mod project;
pub mod query;
pub mod score;
pub mod state;
pub mod workflow;

pub use model::*;
