//! Verifying what matters (issue #13, defect 4): the database file itself, the log's chains and
//! anchors, and the tables the screens read.
//!
//! - **The file.** A page damaged inside the encrypted file is only noticed when that page is
//!   read, so a command that never reads it would happily write into a damaged file. At open the
//!   store therefore checks every page (SQLCipher's `cipher_integrity_check`, which verifies each
//!   page's HMAC, and SQLite's `quick_check`, which walks every b-tree) before anything is written,
//!   and refuses a damaged file with a Chinese message saying what to do. Large files are checked
//!   in full at most once every `FULL_CHECK_EVERY`; the time of the last clean check is kept in the
//!   file itself. A checkpoint cut short (a page at the file's end written only in part, the log
//!   still whole) is finished first and is not called damage.
//! - **The log.** `verify_all` walks every chain (as `Store::verify` always did), the local links
//!   and the sealed checkpoint (`anchor`), and this device's chain against the hub's last receipt.
//! - **The projections.** It copies the database to a scratch file beside it, rebuilds every
//!   projection there from the log, and names each row of the live tables that differs from the
//!   replay (an edited reporter's name, a status, a deleted row). The scratch file is removed
//!   afterwards, whatever happens.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::keys::DbKey;
use crate::projector::PROJECTION_TABLES;
use crate::store::Store;

/// Files up to this size are checked in full at every open (a few tens of milliseconds).
pub const FULL_CHECK_BYTES: u64 = 256 * 1024 * 1024;
/// Larger files are checked in full at open when the last clean check is older than this.
pub const FULL_CHECK_EVERY: chrono::Duration = chrono::Duration::hours(24);

/// Checks every page of a just-opened database before anything is written to it; `Damaged`
/// with what to do if any page is bad. `size` is the file's size in bytes.
pub(crate) fn check_at_open(conn: &Connection, path: &Path, size: u64) -> Result<()> {
    if size > FULL_CHECK_BYTES {
        let last: Option<String> =
            conn.query_row("SELECT value FROM meta WHERE key = 'integrity_checked_at'", [], |r| r.get(0)).ok();
        let recent = last
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
            .is_some_and(|t| chrono::Utc::now().signed_duration_since(t) < FULL_CHECK_EVERY);
        if recent {
            return Ok(());
        }
    }
    let mut problems = page_problems(conn)?;
    if !problems.is_empty() && log_holds_frames(path) {
        // A checkpoint cut short (a full disk, a killed process, a power cut) leaves a page
        // written only in part in the file while the write-ahead log still holds every committed
        // page whole, and SQLite would finish the copy at its next write anyway. Finishing it now
        // copies pages out of the log only; it reads nothing from the file's damaged pages, so a
        // file damaged anywhere else is found again below and still refused.
        if conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get::<_, i64>(0)).is_ok() {
            problems = page_problems(conn)?;
        }
    }
    if !problems.is_empty() {
        return Err(damaged(path, &problems));
    }
    if size > FULL_CHECK_BYTES {
        // Only a file found whole gets this mark; writing it is the first write of the session.
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('integrity_checked_at', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [chrono::Utc::now().to_rfc3339()],
        )?;
    }
    Ok(())
}

/// Whether the database's write-ahead log holds frames (more than its 32-byte header).
fn log_holds_frames(path: &Path) -> bool {
    std::fs::metadata(crate::files::with_suffix(path, "-wal")).is_ok_and(|m| m.len() > 32)
}

/// What SQLCipher's page check and SQLite's structure check report (empty when the file is whole).
pub(crate) fn page_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for pragma in ["PRAGMA cipher_integrity_check", "PRAGMA quick_check"] {
        let rows: rusqlite::Result<Vec<String>> = conn
            .prepare(pragma)
            .and_then(|mut stmt| stmt.query_map([], |r| r.get::<_, String>(0)).and_then(|rows| rows.collect()));
        match rows {
            Ok(rows) => problems.extend(rows.into_iter().filter(|r| r != "ok").take(10)),
            Err(e) => problems.push(e.to_string()),
        }
    }
    Ok(problems)
}

fn damaged(path: &Path, problems: &[String]) -> CoreError {
    CoreError::Damaged { path: path.display().to_string(), detail: problems.join("；") }
}

/// Everything `events verify` checks, in one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntegrityReport {
    pub ok: bool,
    /// The chains, as `Store::verify` walks them.
    pub log: crate::events::VerifyReport,
    /// Deleted, added or moved rows and a deleted tail, named (local links and checkpoint, and
    /// this device's chain against the hub's last receipt).
    pub anchors: Vec<String>,
    /// Rows of the screens' tables that differ from a replay of the log, named.
    pub projections: Vec<String>,
    /// Attachments, evidence and PDFs: held (re-hashed), still travelling, damaged.
    pub blobs: crate::blobs::BlobCheck,
    /// Problems in the file's pages, if any (then nothing else was checked).
    pub pages: Vec<String>,
}

impl Store {
    /// Checks the file's pages, every chain, the anchors, the projections against a replay in a
    /// scratch copy, and the blobs; the report names everything found.
    pub fn verify_all(&self, key: &DbKey) -> Result<IntegrityReport> {
        let pages = page_problems(self.conn())?;
        let log = self.verify()?;
        let mut anchors = crate::anchor::verify(self.conn(), self.checkpoint_key(), self.device_id())?;
        anchors.extend(crate::anchor::verify_against_hub(self.conn(), self.device_id())?);
        let projections = if pages.is_empty() { self.compare_projections(key)? } else { Vec::new() };
        let blobs = self.verify_blobs()?;
        let ok = pages.is_empty() && log.ok && anchors.is_empty() && projections.is_empty() && blobs.damaged.is_empty();
        Ok(IntegrityReport { ok, log, anchors, projections, blobs, pages })
    }

    /// Rebuilds the projections in a scratch copy and names the live rows that differ.
    fn compare_projections(&self, key: &DbKey) -> Result<Vec<String>> {
        let scratch = Scratch::new(self.path())?;
        // The copy is encrypted with the same key, in a file only this user can read.
        drop(crate::files::create_new_private(&scratch.path)?);
        self.conn().execute(
            &format!("ATTACH DATABASE ?1 AS scratch KEY \"{}\"", key.pragma_value().as_str()),
            [scratch.path.display().to_string()],
        )?;
        // A scratch copy needs no durability: each of the export's many statements would
        // otherwise wait for the disk.
        self.conn().execute_batch("PRAGMA scratch.journal_mode = OFF; PRAGMA scratch.synchronous = OFF;")?;
        let exported = self.conn().query_row("SELECT sqlcipher_export('scratch')", [], |_| Ok(()));
        self.conn().execute("DETACH DATABASE scratch", [])?;
        exported?;
        let mut copy = Store::open_with_key(&scratch.path, key, false)?;
        copy.conn().execute_batch("PRAGMA synchronous = OFF;")?;
        copy.rebuild()?;
        let conn = copy.conn();
        conn.execute(
            &format!("ATTACH DATABASE ?1 AS live KEY \"{}\"", key.pragma_value().as_str()),
            [self.path().display().to_string()],
        )?;
        let mut found = Vec::new();
        for table in PROJECTION_TABLES {
            if found.len() >= 50 {
                break;
            }
            found.extend(differences(conn, table)?);
        }
        conn.execute("DETACH DATABASE live", [])?;
        drop(copy);
        Ok(found)
    }
}

/// The rows of `table` that are in one of the live copy and the replay but not the other, named
/// by their first column (each table's key or the record it belongs to) and, for a row changed
/// rather than added or removed, the columns that differ.
fn differences(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let columns: Vec<String> = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let Some(first) = columns.first() else {
        return Ok(Vec::new());
    };
    let list = columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
    let only = |a: &str, b: &str| -> Result<Vec<Vec<rusqlite::types::Value>>> {
        let sql = format!("SELECT {list} FROM {a}.\"{table}\" EXCEPT SELECT {list} FROM {b}.\"{table}\" LIMIT 20");
        let mut stmt = conn.prepare(&sql)?;
        let n = columns.len();
        let rows = stmt.query_map([], |r| (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i)).collect())?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let live = only("live", "main")?;
    let replay = only("main", "live")?;
    let key = |row: &[rusqlite::types::Value]| match row.first() {
        Some(rusqlite::types::Value::Text(t)) => t.clone(),
        Some(rusqlite::types::Value::Integer(i)) => i.to_string(),
        _ => "?".into(),
    };
    let mut out = Vec::new();
    for row in &live {
        match replay.iter().find(|r| r.first() == row.first()) {
            Some(other) => {
                let changed: Vec<&str> = columns
                    .iter()
                    .zip(row.iter().zip(other.iter()))
                    .filter(|(_, (a, b))| a != b)
                    .map(|(c, _)| c.as_str())
                    .collect();
                out.push(format!(
                    "表 {table} 中 {first} = {} 的记录与日志重放不符（列 {} 被改动）",
                    key(row),
                    changed.join("、")
                ));
            }
            None => out.push(format!("表 {table} 中 {first} = {} 的记录在日志中没有来源（被添加或改动）", key(row))),
        }
    }
    for row in &replay {
        if !live.iter().any(|r| r.first() == row.first()) {
            out.push(format!("表 {table} 中 {first} = {} 的记录按日志应当存在，却不见了（被删除）", key(row)));
        }
    }
    Ok(out)
}

/// A scratch file beside the database (same disk, same protection), removed on drop with its WAL.
struct Scratch {
    path: PathBuf,
}

impl Scratch {
    fn new(db: &Path) -> Result<Scratch> {
        let name = format!(
            "{}.verify-{}.tmp",
            db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "qingfeng".into()),
            std::process::id()
        );
        let path = db.with_file_name(name);
        let scratch = Scratch { path };
        scratch.remove();
        Ok(scratch)
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        self.remove();
    }
}
