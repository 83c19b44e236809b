//! The hub's own event chain: origin office `hub`, device `hub-<key_id>`.
//!
//! The hub appends with the log crate's [`ChainHead::append`], the same code that builds an
//! office's chain (seq from 1, `prev` the previous hash, the hybrid logical clock, a UUIDv7 id),
//! so any replica checks the hub's chain with the same code that checks its own. This module
//! only reads the head from storage and writes the event and the new head back.

use qingfeng_log::event::{ChainHead, Event, GENESIS, NewEvent};

use crate::error::Result;
use crate::storage::{EventStatus, Head, HubTx};

pub use qingfeng_log::event::HUB_OFFICE;

/// The actor of the hub's events.
pub const HUB_ACTOR: &str = "hub";

/// The hub's device id for a signing key id.
pub fn hub_device_id(key_id: &str) -> String {
    format!("hub-{key_id}")
}

/// The name a writer locks (`HubTx::lock`) before it reads and appends to a device's chain.
pub(crate) fn lock_name(device_id: &str) -> String {
    format!("chain:{device_id}")
}

/// Appends one event to the hub's chain inside `tx` and returns it with its position. The chain
/// is locked first, so hub processes sharing one database append one at a time.
pub(crate) fn append(tx: &mut dyn HubTx, hub_device: &str, new: NewEvent, now_ms: i64) -> Result<(Event, i64)> {
    tx.lock(&lock_name(hub_device))?;
    let head = tx.head(hub_device)?.unwrap_or(Head { seq: 0, hash: GENESIS, hlc: 0 });
    let mut chain = ChainHead::new(HUB_OFFICE, hub_device, head.seq, head.hash, head.hlc);
    let event = chain.append(HUB_ACTOR, new, now_ms);
    let pos = tx.insert_event(&event, EventStatus::Accepted, now_ms)?;
    tx.set_head(hub_device, HUB_OFFICE, &Head { seq: event.seq, hash: event.hash, hlc: event.hlc })?;
    Ok((event, pos))
}
