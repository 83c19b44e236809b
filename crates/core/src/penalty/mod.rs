//! Penalty execution (处分决定执行) and rectification checklists (整改清单), DOMAIN.md §3–§4.
//!
//! A penalty decision generates its execution checklist from a versioned template chosen by rules
//! (`rules`, `template`); items run in order, each opened only when the trial department approved
//! the one before (`ops`); deadlines join the one `deadlines` projection (`project`); screens and
//! scripts read boards, pages, queues and influence-period flags (`query`).

pub(crate) mod demo;
pub mod model;
pub mod ops;
pub mod project;
pub mod query;
pub mod rules;
pub mod template;

pub use model::*;
