//! The device a restored database replaced: its chain stays in the log as it was, and the
//! events of it that the hub never receipted (made before the backup, after the last sync) are
//! still owed to the hub. They can only be sent under that device's own signature, so a restore
//! keeps its signing key (from the backup's sealed key block) beside the new database as
//! `previous-signing`, and `qingfeng_sync::restore::send_previous_device` sends them.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::store::Store;

/// The key-store name of the replaced device's signing key.
pub const SIGNING_SECRET: &str = "previous-signing";

/// The device a restore replaced and how far the hub had receipted its chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousDevice {
    pub device_id: String,
    pub acked_seq: u64,
    /// Hex of the acknowledged event's hash, when known.
    pub acked_hash: Option<String>,
}

fn read(store: &Store) -> Result<Option<PreviousDevice>> {
    let raw: Option<Vec<u8>> = store
        .conn()
        .query_row("SELECT value FROM sync_state WHERE key = 'previous_device'", [], |r| r.get(0))
        .optional()?;
    raw.map(|v| serde_json::from_slice(&v).map_err(|e| CoreError::Encoding(e.to_string()))).transpose()
}

/// The replaced device, if this database was restored from a backup.
pub fn previous_device(store: &Store) -> Result<Option<PreviousDevice>> {
    read(store)
}

/// Up to `max` of the replaced device's events after what the hub receipted, in seq order.
pub fn unsent(store: &Store, max: usize) -> Result<Option<(PreviousDevice, Vec<Event>)>> {
    let Some(prev) = read(store)? else { return Ok(None) };
    let events = crate::events::for_device_after(store.conn(), &prev.device_id, prev.acked_seq, max)?;
    Ok(Some((prev, events)))
}

/// Records that the hub now holds the replaced device's chain up to `seq` (never backwards).
pub fn note_sent(store: &mut Store, seq: u64, hash: &[u8; 32]) -> Result<()> {
    let Some(mut prev) = read(store)? else { return Ok(()) };
    if seq <= prev.acked_seq {
        return Ok(());
    }
    prev.acked_seq = seq;
    prev.acked_hash = Some(hex::encode(hash));
    let json = serde_json::to_vec(&prev).map_err(|e| CoreError::Encoding(e.to_string()))?;
    store.conn().execute("UPDATE sync_state SET value = ?1 WHERE key = 'previous_device'", params![json])?;
    Ok(())
}
