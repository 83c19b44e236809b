//! Qingfeng's core: domain rules and the encrypted event-log store, free of any UI or network code.
//!
//! Every state change goes through [`Store::execute`]: authorize → decide → append events →
//! update projections, in one SQLite transaction. Front ends (the CLI, the desktop shell) call the
//! operation modules ([`accounts`], [`settings`], [`calendar`]) and never write the database.

pub mod accounts;
pub mod analysis;
pub(crate) mod anchor;
pub mod api;
pub mod authz;
pub mod blobs;
pub mod calendar;
pub mod clockguard;
pub mod complaints;
pub mod deadlines;
pub mod directory;
pub mod documents;
pub mod error;
pub mod events;
pub mod files;
pub mod identity;
pub mod input;
pub mod integrity;
pub mod keys;
pub mod library;
pub mod log_view;
pub mod migrate;
pub mod migration;
pub mod ownership;
pub mod paths;
pub mod penalty;
pub mod portrait;
pub mod projector;
pub mod province;
pub mod queue;
pub mod recovery;
pub mod replication;
pub mod sealing;
pub mod settings;
pub mod store;
pub mod supervision;
pub mod worklist;

pub use error::{CoreError, Result};
// The clock and the canonical encoding moved to the shared log crate with the event; they stay
// reachable at their old paths.
pub use keys::{DbKey, KeySource};
pub use qingfeng_calendar as cal;
pub use qingfeng_log::{blob as blobref, clock, encoding};
pub use store::Store;
