//! Qingfeng's shared event log: what every replica and the hub agree on, byte for byte.
//!
//! The event and its hashed envelope ([`event`], [`encoding`]), appending to a per-device hash
//! chain with a hybrid logical clock and checking such a chain ([`ChainHead`], [`ChainCursor`]),
//! the catalogue of event kinds ([`kind`]) and the payloads that cross offices ([`payload`],
//! [`office`]), and which blobs an event names ([`blob`]). Nothing here touches a database, a key store or a password hash: the office's
//! store (`qingfeng-core`), the sync protocol (`qingfeng-sync`) and the hub all build on it, so the
//! hub needs none of the desktop's crates.

pub mod blob;
pub mod catalogue;
pub mod clock;
pub mod content;
pub mod encoding;
pub mod error;
pub mod event;
pub mod kind;
pub mod office;
pub mod payload;
pub mod route;

pub use error::{LogError, Result};
pub use event::{ChainBreak, ChainCursor, ChainHead, Event, GENESIS, HLC_COUNTER_BITS, NewEvent};
