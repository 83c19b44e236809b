//! Content on this replica that events name (attachments, evidence, issued PDFs): what the log
//! names (`blob_refs`, a projection), what is missing, what the hub still lacks, and receiving a
//! blob in chunks so that an interrupted transfer resumes instead of starting again.
//!
//! Events and their content travel separately: an event is small and is applied as soon as it
//! arrives, its blob follows in chunks. Until the blob is here the screens say 附件传输中 and
//! everything else keeps working; nothing about a blob can refuse a page of events.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use crate::blobref::{BLOB_CHUNK_BYTES, MAX_BLOB_BYTES, refs_of};
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::store::Store;

/// A blob the log names that this replica does not hold whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingBlob {
    pub sha256: String,
    pub size: u64,
    /// Bytes already received (whole chunks), where the next transfer resumes.
    pub received: u64,
}

/// How far a blob has arrived after a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BlobProgress {
    pub received: u64,
    pub size: u64,
    pub complete: bool,
}

/// Totals for the sync screen: blobs the log names that are not here yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BlobTotals {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub missing: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub missing_bytes: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub received_bytes: u64,
}

/// Records the blobs `event` names (called by the projector for every event, local or remote,
/// applied or kept as a conflict, so that the content of every event held is fetched).
pub(crate) fn record_refs(tx: &Transaction<'_>, event: &Event) -> Result<()> {
    if !crate::blobref::names_blobs(&event.kind) {
        return Ok(());
    }
    for r in refs_of(&event.kind, &event.payload) {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO blob_refs (sha256, size, event_id, aggregate) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![r.sha256, r.size.min(i64::MAX as u64) as i64, event.id, event.aggregate])?;
    }
    Ok(())
}

/// Fills `blob_refs` from the log once, for a database whose events predate the table.
pub(crate) fn backfill_refs(conn: &mut rusqlite::Connection) -> Result<()> {
    let done: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'blob_refs_filled'", [], |r| r.get(0)).optional()?;
    if done.is_some() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut stmt = tx.prepare(
            "SELECT id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload, prev, hash FROM events
             WHERE kind IN ('complaint.attachment_added', 'checklist.item_submitted', 'document.issued') ORDER BY pos",
        )?;
        let events: Vec<Event> = stmt.query_map([], crate::events::row_to_event)?.collect::<rusqlite::Result<_>>()?;
        drop(stmt);
        for e in &events {
            record_refs(&tx, e)?;
        }
    }
    tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('blob_refs_filled', '1')", [])?;
    tx.commit()?;
    Ok(())
}

/// Whether this replica holds the blob whole.
pub(crate) fn present(conn: &rusqlite::Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM blobs WHERE sha256 = ?1")?
        .query_row([sha256], |_| Ok(()))
        .optional()?
        .is_some())
}

fn received(conn: &rusqlite::Connection, sha256: &str) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT coalesce(sum(length(bytes)), 0) FROM blob_parts WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get(0))?;
    Ok(n as u64)
}

/// The size the log states for a blob, if any event held here names it.
fn stated_size(conn: &rusqlite::Connection, sha256: &str) -> Result<Option<u64>> {
    let size: Option<i64> =
        conn.prepare_cached("SELECT max(size) FROM blob_refs WHERE sha256 = ?1")?.query_row([sha256], |r| r.get(0))?;
    Ok(size.map(|s| s as u64))
}

impl Store {
    /// Blobs the log names that are not here whole, oldest reference first, at most `limit`.
    pub fn missing_blobs(&self, limit: usize) -> Result<Vec<MissingBlob>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT r.sha256, max(r.size),
                    (SELECT coalesce(sum(length(p.bytes)), 0) FROM blob_parts p WHERE p.sha256 = r.sha256)
             FROM blob_refs r
             WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = r.sha256)
             GROUP BY r.sha256 ORDER BY min(r.rowid) LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(MissingBlob {
                sha256: r.get(0)?,
                size: r.get::<_, i64>(1)? as u64,
                received: r.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many named blobs are missing and how many of their bytes have arrived.
    pub fn blob_totals(&self) -> Result<BlobTotals> {
        let (missing, missing_bytes): (i64, i64) = self.conn().query_row(
            "SELECT count(*), coalesce(sum(size), 0) FROM
               (SELECT max(size) AS size FROM blob_refs r
                WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = r.sha256) GROUP BY sha256)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let received_bytes: i64 =
            self.conn().query_row("SELECT coalesce(sum(length(bytes)), 0) FROM blob_parts", [], |r| r.get(0))?;
        Ok(BlobTotals {
            missing: missing as u64,
            missing_bytes: missing_bytes as u64,
            received_bytes: received_bytes as u64,
        })
    }

    /// Whether the blob is here whole.
    pub fn has_blob(&self, sha256: &str) -> Result<bool> {
        present(self.conn(), sha256)
    }

    /// Stores one chunk of a blob the log names, received from the hub or a bundle. The chunk
    /// must start where the received bytes end (otherwise nothing is written and the answer says
    /// where to resume) and be a whole chunk unless it is the last. When the last chunk arrives the
    /// whole is hashed: a match moves it into `blobs`; a mismatch discards every chunk and is an
    /// error, so a corrupted transfer is fetched again rather than kept.
    pub fn put_blob_chunk(&mut self, sha256: &str, offset: u64, bytes: &[u8]) -> Result<BlobProgress> {
        let tx = self.conn_mut().transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let size = stated_size(&tx, sha256)?.ok_or_else(|| {
            CoreError::invalid(format!("收到的文件内容（{}）不是本机任何记录所附的文件，已忽略。", short(sha256)))
        })?;
        if present(&tx, sha256)? {
            return Ok(BlobProgress { received: size, size, complete: true });
        }
        if size > MAX_BLOB_BYTES {
            return Err(CoreError::invalid(format!(
                "记录所附文件大小为 {size} 字节，超过同步上限 {MAX_BLOB_BYTES} 字节，不能接收。"
            )));
        }
        let have = received(&tx, sha256)?;
        let end = offset.saturating_add(bytes.len() as u64);
        if offset != have || bytes.is_empty() || end > size || (end < size && bytes.len() != BLOB_CHUNK_BYTES) {
            return Ok(BlobProgress { received: have, size, complete: false });
        }
        tx.prepare_cached("INSERT INTO blob_parts (sha256, offset, bytes) VALUES (?1, ?2, ?3)")?.execute(params![
            sha256,
            offset as i64,
            bytes
        ])?;
        if end < size {
            tx.commit()?;
            return Ok(BlobProgress { received: end, size, complete: false });
        }
        let mut whole = Vec::with_capacity(size as usize);
        {
            let mut stmt = tx.prepare_cached("SELECT bytes FROM blob_parts WHERE sha256 = ?1 ORDER BY offset")?;
            let mut rows = stmt.query([sha256])?;
            while let Some(row) = rows.next()? {
                whole.extend_from_slice(row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?);
            }
        }
        tx.prepare_cached("DELETE FROM blob_parts WHERE sha256 = ?1")?.execute([sha256])?;
        if crate::encoding::sha256_hex(&whole) != sha256 {
            // The discarded chunks are committed as gone, so the next attempt starts clean.
            tx.commit()?;
            return Err(CoreError::Tampered(format!(
                "收到的文件（{}）与记录中的哈希不符，已丢弃，下次同步时会重新接收。",
                short(sha256)
            )));
        }
        tx.prepare_cached("INSERT OR IGNORE INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3)")?
            .execute(params![sha256, size as i64, whole])?;
        tx.commit()?;
        Ok(BlobProgress { received: size, size, complete: true })
    }

    /// Up to `max` bytes of a blob held here, from `offset` (for sending it on).
    pub fn blob_chunk(&self, sha256: &str, offset: u64, max: usize) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT substr(bytes, ?2, ?3) FROM blobs WHERE sha256 = ?1")?
            .query_row(params![sha256, offset as i64 + 1, max as i64], |r| r.get::<_, Vec<u8>>(0))
            .optional()?)
    }

    /// Blobs held here and named by the log that the hub is not known to hold, at most `limit`:
    /// what an upload or an outbound bundle should carry.
    pub fn blobs_to_offer(&self, limit: usize) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT b.sha256, b.size FROM blobs b
             WHERE EXISTS (SELECT 1 FROM blob_refs r WHERE r.sha256 = b.sha256)
               AND NOT EXISTS (SELECT 1 FROM blob_at_hub h WHERE h.sha256 = b.sha256)
             ORDER BY b.sha256 LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Notes that the hub holds these blobs whole, so they are not offered again.
    pub fn note_blobs_at_hub(&mut self, sha256s: &[String]) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        for s in sha256s {
            tx.prepare_cached("INSERT OR IGNORE INTO blob_at_hub (sha256) VALUES (?1)")?.execute([s])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every blob this replica holds re-hashed, with those named by the log and absent: what
    /// `events verify` reports about content.
    pub fn verify_blobs(&self) -> Result<BlobCheck> {
        let mut check = BlobCheck::default();
        let mut stmt = self.conn().prepare("SELECT sha256, size, bytes FROM blobs ORDER BY sha256")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let sha: String = row.get(0)?;
            let bytes = row.get_ref(2)?.as_blob().map_err(rusqlite::Error::from)?;
            check.held += 1;
            if crate::encoding::sha256_hex(bytes) != sha || row.get::<_, i64>(1)? as usize != bytes.len() {
                check.damaged.push(sha);
            }
        }
        check.missing = self.blob_totals()?.missing;
        Ok(check)
    }
}

/// What re-hashing the blobs found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlobCheck {
    /// Blobs held here.
    pub held: u64,
    /// Named by the log but not here yet (still travelling: not an error).
    pub missing: u64,
    /// Held, but their bytes no longer match their hash.
    pub damaged: Vec<String>,
}

/// The first characters of a hash, enough for an administrator to find it.
fn short(sha256: &str) -> &str {
    sha256.get(..12).unwrap_or(sha256)
}
