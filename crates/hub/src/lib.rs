//! The provincial hub: storage, verification, routing and the HTTP API.
//!
//! - [`storage`]: the [`HubStorage`] trait every database implements: [`sqlite`] (one file, the
//!   default) and [`postgres`] (a server several hub processes share), chosen by a [`Database`]
//!   setting ([`database`]).
//! - [`ingest`]: chain continuity, authority and ownership for one change set.
//! - [`hub`]: [`Hub`], every protocol and administration operation, free of HTTP.
//! - [`http`]: the axum routes and an in-process server ([`http::serve`]).
//! - [`bundles`]: importing an office's bundle and answering with a return bundle.
//! - [`directory`]: the province's offices and resident groups, imported from CSV or XLSX.
//! - [`blobs`]: attachments, evidence and PDFs sent and fetched in chunks beside their events.
//!
//! The contract is `docs/sync-protocol.md`.

pub mod blobs;
pub mod bundles;
pub mod chain;
pub mod database;
pub mod directory;
pub mod error;
pub mod group;
pub mod http;
pub mod hub;
pub mod ingest;
pub mod keyfile;
pub mod metrics;
pub mod postgres;
pub mod restore;
pub mod sqlite;
pub mod storage;
pub mod tls;

pub use database::{Database, Storage};
pub use error::{HubError, Result};
pub use hub::{Answer, FeedRequest, Hub, IssuedToken, NewOffice, StatusResponse, VerifyReport};
pub use postgres::PgStorage;
pub use sqlite::SqliteStorage;
pub use storage::{HubStorage, HubTx};

/// Milliseconds since the Unix epoch by the system clock.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis().min(i64::MAX as u128) as i64)
}
