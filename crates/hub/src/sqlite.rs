//! [`SqliteStorage`]: the hub's store in one SQLite file (WAL, `synchronous = FULL`).
//!
//! One writer connection, shared by concurrent writes through group commit ([`crate::group`]),
//! serialises every write transaction; read transactions
//! use their own connections from a small pool, so feed pages are served while a change set is
//! being written. The file is plain SQLite (not encrypted): the hub runs on a server whose disk
//! the province encrypts and guards; the protocol's integrity rests on signatures and hash
//! chains, not on the file's secrecy. The file and its WAL are created mode 0600.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use qingfeng_log::event::Event;
use qingfeng_log::office::{OfficeLevel, UnitKind};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use crate::error::{HubError, Result};
use crate::group::{GroupCommit, GroupConn};
use crate::storage::{
    Aggregate, Alarm, BlobEntry, BlobProgress, Counts, Device, EventStatus, FeedLimits, FeedRows, Head, HubStorage,
    HubTx, Office, PageFill, StoredReceipt, Token, Waiting,
};

/// One embedded migration of the hub's schema.
#[derive(Debug)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration in `crates/hub/migrations/`, in order; a test checks this list against the files.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "0001_hub.sql", sql: include_str!("../migrations/0001_hub.sql") },
    Migration { version: 2, name: "0002_blobs.sql", sql: include_str!("../migrations/0002_blobs.sql") },
    Migration { version: 3, name: "0003_auth_nonces.sql", sql: include_str!("../migrations/0003_auth_nonces.sql") },
    Migration { version: 4, name: "0004_directory.sql", sql: include_str!("../migrations/0004_directory.sql") },
    Migration { version: 5, name: "0005_office_log.sql", sql: include_str!("../migrations/0005_office_log.sql") },
];

/// Rows per multi-row INSERT (13 values each, well under SQLite's 32,766 parameters).
const ROWS_PER_INSERT: usize = 500;

/// Read connections kept open for reuse; more are opened on demand and closed after use.
const READERS_KEPT: usize = 4;

/// The hub's SQLite store.
///
/// Writes use group commit ([`crate::group`]): each `write` runs inside a savepoint of a
/// transaction that several concurrent writes share, and returns only after that transaction's
/// `COMMIT`. With `synchronous = FULL` every commit costs a disk flush; two hundred offices
/// syncing at once would otherwise queue two hundred flushes behind each other.
#[derive(Debug)]
pub struct SqliteStorage {
    path: PathBuf,
    writer: GroupCommit<SqliteWriter>,
    readers: Mutex<Vec<Connection>>,
}

/// The writer connection, as group commit drives it.
#[derive(Debug)]
struct SqliteWriter {
    conn: Connection,
}

impl SqliteStorage {
    /// Creates a new hub database; refuses to touch an existing file.
    pub fn create(path: &Path) -> Result<Self> {
        if path.exists() {
            return Err(HubError::AlreadyInitialized { path: path.to_owned() });
        }
        create_private_file(path)?;
        Self::open_inner(path)
    }

    /// Opens an existing hub database and applies any new migrations.
    pub fn open(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Err(HubError::NotInitialized { path: path.to_owned() });
        }
        Self::open_inner(path)
    }

    fn open_inner(path: &Path) -> Result<Self> {
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        configure(&conn)?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        migrate(&mut conn)?;
        Ok(SqliteStorage {
            path: path.to_owned(),
            writer: GroupCommit::new(SqliteWriter { conn }),
            readers: Mutex::new(Vec::new()),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn reader(&self) -> Result<Connection> {
        if let Some(conn) = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        configure(&conn)?;
        Ok(conn)
    }
}

/// Settings every connection needs: wait for the writer rather than fail, and a statement cache
/// large enough for every statement of one change set.
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

#[cfg(unix)]
fn create_private_file(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| HubError::io(path, e))?;
    Ok(())
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> Result<()> {
    std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| HubError::io(path, e))?;
    Ok(())
}

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// Applies the migrations this file has not seen, refusing a file whose recorded migrations differ
/// from the shipped ones (an edited migration would give two hubs different schemas).
fn migrate(conn: &mut Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at_ms INTEGER NOT NULL
        ) STRICT;",
    )?;
    let applied: Vec<(u32, String)> = {
        let mut stmt = conn.prepare("SELECT version, sha256 FROM schema_migrations ORDER BY version")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?
    };
    for (version, sum) in &applied {
        match MIGRATIONS.iter().find(|m| m.version == *version) {
            None => return Err(HubError::SchemaMismatch(format!("数据库含有本程序不认识的迁移 {version}"))),
            Some(m) if checksum(m.sql) != *sum => {
                return Err(HubError::SchemaMismatch(format!("迁移 {} 的内容与数据库记录不一致", m.name)));
            }
            Some(_) => {}
        }
    }
    for m in MIGRATIONS.iter().filter(|m| !applied.iter().any(|(v, _)| *v == m.version)) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(m.sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, sha256, applied_at_ms) VALUES (?1, ?2, ?3, ?4)",
            params![m.version, m.name, checksum(m.sql), crate::now_ms()],
        )?;
        tx.commit()?;
    }
    Ok(())
}

impl HubStorage for SqliteStorage {
    fn write<R>(&self, f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        self.writer.write(f)
    }

    fn group_stats(&self) -> Option<crate::group::GroupStats> {
        Some(self.writer.stats())
    }

    fn read<R>(&self, mut f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        let mut conn = self.reader()?;
        let out = {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let out = f(&mut SqliteTx { tx: &tx });
            // A read transaction has nothing to commit; ending it releases the snapshot.
            tx.rollback()?;
            out
        };
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < READERS_KEPT {
            pool.push(conn);
        }
        out
    }
}

impl GroupConn for SqliteWriter {
    fn begin(&mut self) -> Result<()> {
        Ok(self.conn.execute_batch("BEGIN IMMEDIATE")?)
    }

    fn run<R>(&mut self, f: &mut dyn FnMut(&mut dyn HubTx) -> Result<R>) -> Result<Result<R>> {
        self.conn.execute_batch("SAVEPOINT hub_write")?;
        let out = f(&mut SqliteTx { tx: &self.conn });
        if self.conn.is_autocommit() {
            // SQLite rolled the whole transaction back itself (disk full, I/O error).
            return Err(out.err().unwrap_or_else(|| HubError::Internal("数据库事务被中止".into())));
        }
        match &out {
            Ok(_) => self.conn.execute_batch("RELEASE hub_write")?,
            Err(_) => self.conn.execute_batch("ROLLBACK TO hub_write; RELEASE hub_write")?,
        }
        Ok(out)
    }

    fn commit(&mut self) -> Result<()> {
        Ok(self.conn.execute_batch("COMMIT")?)
    }

    fn abandon(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// A transaction (or a savepoint within one) on the hub's SQLite file.
struct SqliteTx<'c> {
    tx: &'c Connection,
}

const SELECT_EVENT: &str = "SELECT e.id, e.origin_office, e.origin_device, e.seq, e.hlc, e.actor, e.kind, e.aggregate, e.payload, e.prev, e.hash";

fn blob32(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<[u8; 32]> {
    let bytes = r.get_ref(i)?.as_blob()?;
    // The schema checks every length; a mismatch means the file was edited underneath, which
    // `events verify` reports, so reading code gets zeros rather than a panic.
    Ok(bytes.try_into().unwrap_or([0; 32]))
}

/// Reads an event from a row whose first eleven columns are those of [`SELECT_EVENT`].
fn row_to_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        id: r.get(0)?,
        origin_office: r.get(1)?,
        origin_device: r.get(2)?,
        seq: r.get::<_, i64>(3)? as u64,
        hlc: r.get::<_, i64>(4)? as u64,
        actor: r.get(5)?,
        kind: r.get(6)?,
        aggregate: r.get(7)?,
        payload: r.get(8)?,
        prev: blob32(r, 9)?,
        hash: blob32(r, 10)?,
    })
}

fn row_to_office(r: &rusqlite::Row<'_>) -> rusqlite::Result<Office> {
    let level: String = r.get(2)?;
    let level = OfficeLevel::parse(&level)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(Office {
        code: r.get(0)?,
        name: r.get(1)?,
        level,
        parent_code: r.get(3)?,
        created_at_ms: r.get(4)?,
        feed_head: r.get::<_, i64>(5)? as u64,
        short_name: r.get(6)?,
        unit: UnitKind::parse(&r.get::<_, String>(7)?)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(7, rusqlite::types::Type::Text, Box::new(e)))?,
    })
}

const SELECT_OFFICE: &str =
    "SELECT code, name, level, parent_code, created_at_ms, feed_head, short_name, unit FROM offices";

const SELECT_DEVICE: &str = "SELECT device_id, office_code, alg, public_key, key_id, cert_serial, enrolled_at_ms,
    revoked_at_ms, revoke_reason FROM devices";

fn row_to_device(r: &rusqlite::Row<'_>) -> rusqlite::Result<Device> {
    Ok(Device {
        device_id: r.get(0)?,
        office_code: r.get(1)?,
        alg: r.get(2)?,
        public_key: r.get(3)?,
        key_id: r.get(4)?,
        cert_serial: r.get::<_, i64>(5)? as u64,
        enrolled_at_ms: r.get(6)?,
        revoked_at_ms: r.get(7)?,
        revoke_reason: r.get(8)?,
    })
}

fn codes_to_json(codes: &[String]) -> Result<String> {
    serde_json::to_string(codes).map_err(|e| HubError::Internal(e.to_string()))
}

fn codes_from_json(text: &str) -> Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| HubError::Internal(format!("所有权记录无法读取：{e}")))
}

impl HubTx for SqliteTx<'_> {
    fn meta(&mut self, key: &str) -> Result<Option<String>> {
        Ok(self.tx.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    fn office(&mut self, code: &str) -> Result<Option<Office>> {
        let mut stmt = self.tx.prepare_cached(&format!("{SELECT_OFFICE} WHERE code = ?1"))?;
        Ok(stmt.query_row([code], row_to_office).optional()?)
    }

    fn offices(&mut self) -> Result<Vec<Office>> {
        let mut stmt = self.tx.prepare_cached(&format!("{SELECT_OFFICE} ORDER BY code"))?;
        Ok(stmt.query_map([], row_to_office)?.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_office(&mut self, o: &Office) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO offices (code, name, level, parent_code, created_at_ms, feed_head, short_name, unit)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        stmt.execute(params![
            o.code,
            o.name,
            o.level.as_str(),
            o.parent_code,
            o.created_at_ms,
            o.feed_head as i64,
            o.short_name,
            o.unit.as_str()
        ])?;
        Ok(())
    }

    fn update_office(&mut self, o: &Office) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "UPDATE offices SET name = ?2, level = ?3, parent_code = ?4, short_name = ?5, unit = ?6 WHERE code = ?1",
        )?;
        if stmt.execute(params![o.code, o.name, o.level.as_str(), o.parent_code, o.short_name, o.unit.as_str()])? == 0 {
            return Err(HubError::NotFound { what: "机关", id: o.code.clone() });
        }
        Ok(())
    }

    fn insert_token(&mut self, sha: &[u8; 32], t: &Token) -> Result<()> {
        self.tx.execute(
            "INSERT INTO tokens (token_sha256, office_code, issued_at_ms, expires_at_ms, used_at_ms, used_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![sha.as_slice(), t.office_code, t.issued_at_ms, t.expires_at_ms, t.used_at_ms, t.used_by],
        )?;
        Ok(())
    }

    fn token(&mut self, sha: &[u8; 32]) -> Result<Option<Token>> {
        Ok(self
            .tx
            .query_row(
                "SELECT office_code, issued_at_ms, expires_at_ms, used_at_ms, used_by FROM tokens WHERE token_sha256 = ?1",
                [sha.as_slice()],
                |r| {
                    Ok(Token {
                        office_code: r.get(0)?,
                        issued_at_ms: r.get(1)?,
                        expires_at_ms: r.get(2)?,
                        used_at_ms: r.get(3)?,
                        used_by: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    fn use_token(&mut self, sha: &[u8; 32], device_id: &str, at_ms: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE tokens SET used_at_ms = ?2, used_by = ?3 WHERE token_sha256 = ?1",
            params![sha.as_slice(), at_ms, device_id],
        )?;
        Ok(())
    }

    fn device(&mut self, device_id: &str) -> Result<Option<Device>> {
        let mut stmt = self.tx.prepare_cached(&format!("{SELECT_DEVICE} WHERE device_id = ?1"))?;
        Ok(stmt.query_row([device_id], row_to_device).optional()?)
    }

    fn devices(&mut self) -> Result<Vec<Device>> {
        let mut stmt = self.tx.prepare_cached(&format!("{SELECT_DEVICE} ORDER BY office_code, device_id"))?;
        Ok(stmt.query_map([], row_to_device)?.collect::<rusqlite::Result<_>>()?)
    }

    fn insert_device(&mut self, d: &Device) -> Result<()> {
        self.tx.execute(
            "INSERT INTO devices (device_id, office_code, alg, public_key, key_id, cert_serial, enrolled_at_ms,
                                  revoked_at_ms, revoke_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                d.device_id,
                d.office_code,
                d.alg,
                d.public_key,
                d.key_id,
                d.cert_serial as i64,
                d.enrolled_at_ms,
                d.revoked_at_ms,
                d.revoke_reason
            ],
        )?;
        Ok(())
    }

    fn revoke_device(&mut self, device_id: &str, at_ms: i64, reason: &str) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE devices SET revoked_at_ms = ?2, revoke_reason = ?3 WHERE device_id = ?1 AND revoked_at_ms IS NULL",
            params![device_id, at_ms, reason],
        )?;
        Ok(n == 1)
    }

    fn next_cert_serial(&mut self) -> Result<u64> {
        let max: i64 = self.tx.query_row("SELECT coalesce(max(cert_serial), 0) FROM devices", [], |r| r.get(0))?;
        Ok(max as u64 + 1)
    }

    fn head(&mut self, device_id: &str) -> Result<Option<Head>> {
        let mut stmt = self.tx.prepare_cached("SELECT seq, hash, hlc FROM heads WHERE device_id = ?1")?;
        Ok(stmt
            .query_row([device_id], |r| {
                Ok(Head { seq: r.get::<_, i64>(0)? as u64, hash: blob32(r, 1)?, hlc: r.get::<_, i64>(2)? as u64 })
            })
            .optional()?)
    }

    fn heads_of_office(&mut self, office_code: &str) -> Result<Vec<(String, u64)>> {
        let mut stmt =
            self.tx.prepare_cached("SELECT device_id, seq FROM heads WHERE office_code = ?1 ORDER BY device_id")?;
        let rows = stmt.query_map([office_code], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn set_head(&mut self, device_id: &str, office_code: &str, h: &Head) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO heads (device_id, office_code, seq, hash, hlc) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, hlc = excluded.hlc",
        )?;
        stmt.execute(params![device_id, office_code, h.seq as i64, h.hash.as_slice(), h.hlc as i64])?;
        Ok(())
    }

    fn event_hash(&mut self, device_id: &str, seq: u64) -> Result<Option<[u8; 32]>> {
        let mut stmt = self.tx.prepare_cached("SELECT hash FROM events WHERE origin_device = ?1 AND seq = ?2")?;
        Ok(stmt.query_row(params![device_id, seq as i64], |r| blob32(r, 0)).optional()?)
    }

    fn insert_event(&mut self, e: &Event, status: EventStatus, at_ms: i64) -> Result<i64> {
        Ok(self.insert_events(&[e], status, at_ms)?.first().copied().unwrap_or_default())
    }

    fn insert_events(&mut self, events: &[&Event], status: EventStatus, at_ms: i64) -> Result<Vec<i64>> {
        // Many rows per statement: one writer does all of a province's inserts, so what each
        // statement costs beyond its rows (preparing, binding, stepping) is worth saving.
        let status_code: i64 = match status {
            EventStatus::Accepted => 0,
            EventStatus::Refused => 1,
        };
        let mut positions = Vec::with_capacity(events.len());
        for chunk in events.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO events (id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload, prev, hash,
                                     status, received_at_ms)
                 VALUES {} RETURNING pos",
                vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ")
            );
            let mut stmt = self.tx.prepare_cached(&sql)?;
            let mut values: Vec<rusqlite::types::Value> = Vec::with_capacity(chunk.len() * 13);
            for e in chunk {
                values.extend([
                    e.id.clone().into(),
                    e.origin_office.clone().into(),
                    e.origin_device.clone().into(),
                    (e.seq as i64).into(),
                    (e.hlc as i64).into(),
                    e.actor.clone().into(),
                    e.kind.clone().into(),
                    e.aggregate.clone().into(),
                    e.payload.clone().into(),
                    e.prev.to_vec().into(),
                    e.hash.to_vec().into(),
                    status_code.into(),
                    at_ms.into(),
                ]);
            }
            let inserted = stmt
                .query_map(rusqlite::params_from_iter(values), |r| r.get::<_, i64>(0))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<i64>>>());
            match inserted {
                // Rows are inserted in the order of VALUES and take increasing positions.
                Ok(mut got) => {
                    got.sort_unstable();
                    positions.extend(got);
                }
                Err(rusqlite::Error::SqliteFailure(f, Some(msg)))
                    if f.code == ErrorCode::ConstraintViolation && msg.contains("events.id") =>
                {
                    // Which id: the first of the batch another accepted event (or an earlier one
                    // of the batch) already has.
                    let mut seen = std::collections::HashSet::new();
                    for e in events {
                        let held: bool = self
                            .tx
                            .query_row(
                                "SELECT EXISTS (SELECT 1 FROM events WHERE id = ?1 AND status = 0)",
                                [&e.id],
                                |r| r.get(0),
                            )
                            .unwrap_or(false);
                        if !seen.insert(e.id.as_str()) || held {
                            return Err(HubError::DuplicateEventId { id: e.id.clone() });
                        }
                    }
                    return Err(HubError::DuplicateEventId { id: String::new() });
                }
                Err(other) => return Err(other.into()),
            }
        }
        Ok(positions)
    }

    fn aggregate_positions(&mut self, aggregate: &str) -> Result<Vec<i64>> {
        let mut stmt =
            self.tx.prepare_cached("SELECT pos FROM events WHERE aggregate = ?1 AND status = 0 ORDER BY pos")?;
        Ok(stmt.query_map([aggregate], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
    }

    fn positions_of_kind(&mut self, origin_office: &str, kind: &str) -> Result<Vec<i64>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT pos FROM events WHERE origin_office = ?1 AND kind = ?2 AND status = 0 ORDER BY pos",
        )?;
        Ok(stmt.query_map([origin_office, kind], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?)
    }

    fn for_each_event(&mut self, f: &mut dyn FnMut(&Event, EventStatus) -> Result<()>) -> Result<()> {
        let mut stmt =
            self.tx.prepare(&format!("{SELECT_EVENT}, e.status FROM events e ORDER BY e.origin_device, e.seq"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let event = row_to_event(row)?;
            let status = if row.get::<_, i64>(11)? == 0 { EventStatus::Accepted } else { EventStatus::Refused };
            f(&event, status)?;
        }
        Ok(())
    }

    fn aggregate(&mut self, id: &str) -> Result<Option<Aggregate>> {
        let mut stmt = self.tx.prepare_cached("SELECT owner, epoch, owners, access FROM aggregates WHERE id = ?1")?;
        let row = stmt
            .query_row([id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })
            .optional()?;
        row.map(|(owner, epoch, owners, access)| {
            Ok(Aggregate {
                id: id.to_owned(),
                owner,
                epoch: epoch as u64,
                owners: codes_from_json(&owners)?,
                access: codes_from_json(&access)?,
            })
        })
        .transpose()
    }

    fn put_aggregate(&mut self, a: &Aggregate) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO aggregates (id, owner, epoch, owners, access) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, epoch = excluded.epoch,
                                            owners = excluded.owners, access = excluded.access",
        )?;
        stmt.execute(params![a.id, a.owner, a.epoch as i64, codes_to_json(&a.owners)?, codes_to_json(&a.access)?])?;
        Ok(())
    }

    fn feed_append(&mut self, office_code: &str, positions: &[i64]) -> Result<()> {
        let head: i64 = {
            let mut stmt = self
                .tx
                .prepare_cached("UPDATE offices SET feed_head = feed_head + ?2 WHERE code = ?1 RETURNING feed_head")?;
            stmt.query_row(params![office_code, positions.len() as i64], |r| r.get(0))
                .optional()?
                .ok_or_else(|| HubError::NotFound { what: "机关", id: office_code.to_owned() })?
        };
        let mut seq = head - positions.len() as i64;
        for chunk in positions.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO feed (office_code, feed_seq, pos) VALUES {}",
                vec!["(?, ?, ?)"; chunk.len()].join(", ")
            );
            let mut stmt = self.tx.prepare_cached(&sql)?;
            let mut values: Vec<rusqlite::types::Value> = Vec::with_capacity(chunk.len() * 3);
            for pos in chunk {
                seq += 1;
                values.extend([office_code.to_owned().into(), seq.into(), (*pos).into()]);
            }
            stmt.execute(rusqlite::params_from_iter(values))?;
        }
        Ok(())
    }

    fn feed_page(
        &mut self,
        office_code: &str,
        after: u64,
        exclude_device: &str,
        limits: FeedLimits,
    ) -> Result<FeedRows> {
        let head: i64 = self
            .tx
            .query_row("SELECT feed_head FROM offices WHERE code = ?1", [office_code], |r| r.get(0))
            .optional()?
            .ok_or_else(|| HubError::NotFound { what: "机关", id: office_code.to_owned() })?;
        let head = head as u64;
        let mut stmt = self.tx.prepare_cached(&format!(
            "{SELECT_EVENT}, f.feed_seq FROM feed f JOIN events e ON e.pos = f.pos
             WHERE f.office_code = ?1 AND f.feed_seq > ?2 ORDER BY f.feed_seq LIMIT ?3"
        ))?;
        let mut rows = stmt.query(params![office_code, after as i64, limits.max_scan as i64])?;
        let mut page = PageFill::default();
        let mut cursor = after;
        while let Some(row) = rows.next()? {
            let feed_seq = row.get::<_, i64>(11)? as u64;
            let is_own = row.get_ref(2)?.as_str().map_err(rusqlite::Error::from)? == exclude_device;
            if !is_own && !page.push(row_to_event(row)?, &limits) {
                break;
            }
            cursor = feed_seq;
            if page.events.len() >= limits.max_events {
                break;
            }
        }
        Ok(FeedRows { events: page.events, cursor, more: cursor < head })
    }

    fn office_log_page(&mut self, office_code: &str, after: u64, limits: FeedLimits) -> Result<FeedRows> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "{SELECT_EVENT}, e.pos FROM events e WHERE e.origin_office = ?1 AND e.pos > ?2 ORDER BY e.pos LIMIT ?3"
        ))?;
        let mut rows = stmt.query(params![office_code, after as i64, limits.max_events as i64])?;
        let mut page = PageFill::default();
        let mut cursor = after;
        while let Some(row) = rows.next()? {
            if !page.push(row_to_event(row)?, &limits) {
                break;
            }
            cursor = row.get::<_, i64>(11)? as u64;
        }
        drop(rows);
        let more: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM events WHERE origin_office = ?1 AND pos > ?2)",
            params![office_code, cursor as i64],
            |r| r.get(0),
        )?;
        Ok(FeedRows { events: page.events, cursor, more })
    }

    fn receipt(&mut self, id: &[u8; 32]) -> Result<Option<StoredReceipt>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT device_id, first_seq, last_seq, outcome, signed FROM receipts WHERE changeset_id = ?1",
        )?;
        Ok(stmt
            .query_row([id.as_slice()], |r| {
                Ok(StoredReceipt {
                    changeset_id: *id,
                    device_id: r.get(0)?,
                    first_seq: r.get::<_, i64>(1)? as u64,
                    last_seq: r.get::<_, i64>(2)? as u64,
                    outcome: r.get(3)?,
                    signed: r.get(4)?,
                })
            })
            .optional()?)
    }

    fn put_receipt(&mut self, r: &StoredReceipt, at_ms: i64) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO receipts (changeset_id, device_id, first_seq, last_seq, outcome, signed, at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (changeset_id) DO NOTHING",
        )?;
        stmt.execute(params![
            r.changeset_id.as_slice(),
            r.device_id,
            r.first_seq as i64,
            r.last_seq as i64,
            r.outcome,
            r.signed,
            at_ms
        ])?;
        Ok(())
    }

    fn receipts_after(&mut self, device_id: &str, after_seq: u64) -> Result<Vec<StoredReceipt>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT changeset_id, first_seq, last_seq, outcome, signed FROM receipts
             WHERE device_id = ?1 AND last_seq > ?2 ORDER BY first_seq, last_seq",
        )?;
        let rows = stmt.query_map(params![device_id, after_seq as i64], |r| {
            Ok(StoredReceipt {
                changeset_id: blob32(r, 0)?,
                device_id: device_id.to_owned(),
                first_seq: r.get::<_, i64>(1)? as u64,
                last_seq: r.get::<_, i64>(2)? as u64,
                outcome: r.get(3)?,
                signed: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn put_waiting(&mut self, w: &Waiting, at_ms: i64) -> Result<()> {
        self.tx.execute(
            "INSERT INTO waiting (changeset_id, device_id, first_seq, last_seq, signed, received_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (changeset_id) DO NOTHING",
            params![w.changeset_id.as_slice(), w.device_id, w.first_seq as i64, w.last_seq as i64, w.signed, at_ms],
        )?;
        Ok(())
    }

    fn waiting_ready(&mut self, device_id: &str, first_seq_at_most: u64) -> Result<Vec<Waiting>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT changeset_id, first_seq, last_seq, signed FROM waiting
             WHERE device_id = ?1 AND first_seq <= ?2 ORDER BY first_seq, last_seq",
        )?;
        let rows = stmt.query_map(params![device_id, first_seq_at_most as i64], |r| {
            Ok(Waiting {
                changeset_id: blob32(r, 0)?,
                device_id: device_id.to_owned(),
                first_seq: r.get::<_, i64>(1)? as u64,
                last_seq: r.get::<_, i64>(2)? as u64,
                signed: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn remove_waiting(&mut self, id: &[u8; 32]) -> Result<()> {
        self.tx.execute("DELETE FROM waiting WHERE changeset_id = ?1", [id.as_slice()])?;
        Ok(())
    }

    fn insert_alarm(
        &mut self,
        kind: &str,
        office_code: Option<&str>,
        device_id: Option<&str>,
        detail: &str,
        at_ms: i64,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO alarms (at_ms, kind, office_code, device_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![at_ms, kind, office_code, device_id, detail],
        )?;
        Ok(())
    }

    fn alarms(&mut self) -> Result<Vec<Alarm>> {
        let mut stmt =
            self.tx.prepare_cached("SELECT id, at_ms, kind, office_code, device_id, detail FROM alarms ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(Alarm {
                id: r.get(0)?,
                at_ms: r.get(1)?,
                kind: r.get(2)?,
                office_code: r.get(3)?,
                device_id: r.get(4)?,
                detail: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn counts(&mut self) -> Result<Counts> {
        let count = |tx: &Connection, table: &str| -> Result<u64> {
            // max(rowid) is the count for the append-only tables and costs no scan.
            let sql = match table {
                "events" | "alarms" => format!("SELECT coalesce(max(rowid), 0) FROM {table}"),
                _ => format!("SELECT count(*) FROM {table}"),
            };
            Ok(tx.query_row(&sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            events: count(self.tx, "events")?,
            offices: count(self.tx, "offices")?,
            devices: count(self.tx, "devices")?,
            alarms: count(self.tx, "alarms")?,
            waiting: count(self.tx, "waiting")?,
        })
    }

    fn remember_nonce(&mut self, device_id: &str, nonce: &[u8], expires_at_ms: i64, now_ms: i64) -> Result<bool> {
        self.tx.prepare_cached("DELETE FROM auth_nonces WHERE expires_at_ms < ?1")?.execute(params![now_ms])?;
        let added = self
            .tx
            .prepare_cached("INSERT OR IGNORE INTO auth_nonces (device_id, nonce, expires_at_ms) VALUES (?1, ?2, ?3)")?
            .execute(params![device_id, nonce, expires_at_ms])?;
        Ok(added == 1)
    }

    fn latest_alarm_ms(&mut self, kind: &str, device_id: &str) -> Result<Option<i64>> {
        Ok(self
            .tx
            .prepare_cached("SELECT max(at_ms) FROM alarms WHERE kind = ?1 AND device_id = ?2")?
            .query_row([kind, device_id], |r| r.get(0))?)
    }

    fn add_blob_ref(&mut self, sha256: &[u8; 32], size: u64, pos: i64) -> Result<()> {
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO blob_refs (sha256, size, pos) VALUES (?1, ?2, ?3)")?
            .execute(params![sha256.as_slice(), size.min(i64::MAX as u64) as i64, pos])?;
        Ok(())
    }

    fn blob_ref_size(&mut self, sha256: &[u8; 32]) -> Result<Option<u64>> {
        let size: Option<i64> = self
            .tx
            .prepare_cached("SELECT max(size) FROM blob_refs WHERE sha256 = ?1")?
            .query_row([sha256.as_slice()], |r| r.get(0))?;
        Ok(size.map(|s| s as u64))
    }

    fn blob_in_feed_of(&mut self, office_code: &str, sha256: &[u8; 32]) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT 1 FROM blob_refs r JOIN feed f ON f.pos = r.pos AND f.office_code = ?2
                 WHERE r.sha256 = ?1 LIMIT 1",
            )?
            .query_row(params![sha256.as_slice(), office_code], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn blob_progress(&mut self, sha256: &[u8; 32]) -> Result<Option<BlobProgress>> {
        Ok(self
            .tx
            .prepare_cached("SELECT size, received, complete FROM blobs WHERE sha256 = ?1")?
            .query_row([sha256.as_slice()], |r| {
                Ok(BlobProgress {
                    size: r.get::<_, i64>(0)? as u64,
                    received: r.get::<_, i64>(1)? as u64,
                    complete: r.get::<_, i64>(2)? == 1,
                })
            })
            .optional()?)
    }

    fn put_blob_chunk(&mut self, sha256: &[u8; 32], size: u64, offset: u64, bytes: &[u8]) -> Result<()> {
        self.tx
            .prepare_cached("INSERT INTO blob_chunks (sha256, offset, bytes) VALUES (?1, ?2, ?3)")?
            .execute(params![sha256.as_slice(), offset as i64, bytes])?;
        self.tx
            .prepare_cached(
                "INSERT INTO blobs (sha256, size, received) VALUES (?1, ?2, ?3)
                 ON CONFLICT (sha256) DO UPDATE SET received = excluded.received",
            )?
            .execute(params![sha256.as_slice(), size as i64, (offset + bytes.len() as u64) as i64])?;
        Ok(())
    }

    fn blob_chunk(&mut self, sha256: &[u8; 32], offset: u64) -> Result<Option<Vec<u8>>> {
        Ok(self
            .tx
            .prepare_cached("SELECT bytes FROM blob_chunks WHERE sha256 = ?1 AND offset = ?2")?
            .query_row(params![sha256.as_slice(), offset as i64], |r| r.get(0))
            .optional()?)
    }

    fn for_each_blob_chunk(&mut self, sha256: &[u8; 32], f: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        let mut stmt = self.tx.prepare_cached("SELECT bytes FROM blob_chunks WHERE sha256 = ?1 ORDER BY offset")?;
        let mut rows = stmt.query([sha256.as_slice()])?;
        while let Some(row) = rows.next()? {
            f(row.get_ref(0)?.as_blob().map_err(rusqlite::Error::from)?)?;
        }
        Ok(())
    }

    fn finish_blob(&mut self, sha256: &[u8; 32], complete: bool, at_ms: i64) -> Result<()> {
        if complete {
            self.tx
                .prepare_cached("UPDATE blobs SET complete = 1, completed_at_ms = ?2 WHERE sha256 = ?1")?
                .execute(params![sha256.as_slice(), at_ms])?;
        } else {
            self.tx.prepare_cached("DELETE FROM blob_chunks WHERE sha256 = ?1")?.execute([sha256.as_slice()])?;
            self.tx.prepare_cached("DELETE FROM blobs WHERE sha256 = ?1")?.execute([sha256.as_slice()])?;
        }
        Ok(())
    }

    fn integrity_problems(&mut self) -> Result<Vec<String>> {
        let mut stmt = self.tx.prepare("PRAGMA quick_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        match rows.collect::<rusqlite::Result<Vec<String>>>() {
            Ok(rows) => Ok(rows.into_iter().filter(|r| r != "ok").take(20).collect()),
            Err(e) => Ok(vec![e.to_string()]),
        }
    }

    fn blob_list(&mut self) -> Result<Vec<BlobEntry>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT r.sha256, max(r.size), coalesce(b.received, 0), coalesce(b.complete, 0)
             FROM blob_refs r LEFT JOIN blobs b ON b.sha256 = r.sha256
             GROUP BY r.sha256 ORDER BY r.sha256",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(BlobEntry {
                sha256: r.get(0)?,
                size: r.get::<_, i64>(1)? as u64,
                received: r.get::<_, i64>(2)? as u64,
                complete: r.get::<_, i64>(3)? == 1,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_migrations_is_embedded_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        assert_eq!(files, MIGRATIONS.iter().map(|m| m.name).collect::<Vec<_>>());
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1);
        }
    }

    #[test]
    fn the_store_is_private_append_only_and_refuses_a_second_create() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hub.db");
        let store = SqliteStorage::create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(matches!(SqliteStorage::create(&path), Err(HubError::AlreadyInitialized { .. })));
        let event = Event {
            id: "e1".into(),
            origin_office: "530102".into(),
            origin_device: "d".into(),
            seq: 1,
            hlc: 1,
            actor: "a".into(),
            kind: "k".into(),
            aggregate: "x".into(),
            payload: vec![0xa0],
            prev: [0; 32],
            hash: [1; 32],
        };
        store.write(|tx| tx.insert_event(&event, EventStatus::Accepted, 0).map(|_| ())).unwrap();
        let edit = store.writer.with_conn(|w| w.conn.execute("UPDATE events SET kind = 'x'", []));
        assert!(edit.is_err(), "events are append-only");
        // A failed closure leaves nothing behind.
        let failed: Result<()> = store.write(|tx| {
            tx.set_meta("k", "v")?;
            Err(HubError::Invalid("stop".into()))
        });
        assert!(failed.is_err());
        assert_eq!(store.read(|tx| tx.meta("k")).unwrap(), None);
        drop(store);
        assert!(matches!(SqliteStorage::open(&dir.path().join("missing.db")), Err(HubError::NotInitialized { .. })));
    }
}
