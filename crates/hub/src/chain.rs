//! The hub's own event chain: origin office `hub`, device `hub-<key_id>`.
//!
//! Events are built exactly as `qingfeng_core::events::ChainHead::append` builds an office's:
//! seq from 1, `prev` the previous hash, the hash over core's `EventBody`, a hybrid logical clock
//! (milliseconds << 16, strictly increasing) and a UUIDv7 id. So any replica checks the hub's
//! chain with the same code that checks its own.

use qingfeng_core::events::{Event, GENESIS, HLC_COUNTER_BITS};

use crate::error::Result;
use crate::storage::{EventStatus, Head, HubTx};

/// The origin office of every event the hub writes itself.
pub const HUB_OFFICE: &str = "hub";

/// The actor of the hub's events.
pub const HUB_ACTOR: &str = "hub";

/// The hub's device id for a signing key id.
pub fn hub_device_id(key_id: &str) -> String {
    format!("hub-{key_id}")
}

/// Appends one event to the hub's chain inside `tx` and returns it with its position.
pub(crate) fn append(
    tx: &mut dyn HubTx,
    hub_device: &str,
    kind: &str,
    aggregate: &str,
    payload: Vec<u8>,
    now_ms: i64,
) -> Result<(Event, i64)> {
    let head = tx.head(hub_device)?.unwrap_or(Head { seq: 0, hash: GENESIS, hlc: 0 });
    let physical = (now_ms.max(0) as u64) << HLC_COUNTER_BITS;
    let event = Event {
        id: uuid::Uuid::now_v7().to_string(),
        origin_office: HUB_OFFICE.to_owned(),
        origin_device: hub_device.to_owned(),
        seq: head.seq + 1,
        hlc: physical.max(head.hlc + 1),
        actor: HUB_ACTOR.to_owned(),
        kind: kind.to_owned(),
        aggregate: aggregate.to_owned(),
        payload,
        prev: head.hash,
        hash: [0; 32],
    };
    let mut scratch = Vec::with_capacity(256);
    let event = Event { hash: event.body().hash_with(&mut scratch), ..event };
    let pos = tx.insert_event(&event, EventStatus::Accepted, now_ms)?;
    tx.set_head(hub_device, HUB_OFFICE, &Head { seq: event.seq, hash: event.hash, hlc: event.hlc })?;
    Ok((event, pos))
}
