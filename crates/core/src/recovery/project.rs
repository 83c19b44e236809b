//! The projector for recovery and backup events: the office's recovery keys and its backups.

use rusqlite::{Transaction, params};

use super::{BackupCreated, KeySet, kind};
use crate::error::{CoreError, Result};
use crate::events::Event;

/// Applies one `recovery.*` or `backup.*` event.
pub(crate) fn apply(tx: &Transaction<'_>, event: &Event, at: &str) -> Result<()> {
    match event.kind.as_str() {
        kind::KEY_SET => {
            let p: KeySet = event.payload()?;
            if let Some(old) = &p.replaces {
                tx.execute(
                    "UPDATE recovery_keys SET replaced_at = ?2 WHERE key_id = ?1 AND replaced_at IS NULL",
                    params![old, at],
                )?;
            }
            // A key made on two devices of one office before they synced: both are kept, the
            // later one is current (the query orders by time), and neither code is refused.
            tx.execute(
                "INSERT OR IGNORE INTO recovery_keys (key_id, public_key, set_at, set_by) VALUES (?1, ?2, ?3, ?4)",
                params![p.key_id, p.public_key, at, event.actor],
            )?;
        }
        kind::BACKUP_CREATED => {
            let p: BackupCreated = event.payload()?;
            let created = chrono::DateTime::from_timestamp_millis(p.created_at_ms).unwrap_or_default().to_rfc3339();
            tx.execute(
                "INSERT OR IGNORE INTO backups (backup_id, device_id, file_name, created_at, bytes, events, key_id, made_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![p.backup_id, p.device_id, p.file_name, created, p.bytes as i64, p.events as i64, p.key_id, event.actor],
            )?;
        }
        // A restore is an audit record; the restored database is what it changed.
        kind::RESTORED => {}
        // An escrow is read from the log itself when a restore needs it (`escrow::latest`).
        kind::SEALING_ESCROW => {}
        other => return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id))),
    }
    Ok(())
}
