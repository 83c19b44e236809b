//! The encrypted local store and its one write path: `execute` (authorize → decide → append → project).

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};

use crate::authz::{Action, Actor, authorize};
use crate::clock::Clock;
use crate::error::{CoreError, Result};
use crate::events::{self, Event, NewEvent};
use crate::keys::{DbKey, KeySource};
use crate::migrate;
use crate::projector::{AccessDenied, PROJECTION_TABLES, Projector, kind};

/// What a command's decision step produced.
#[derive(Debug, Default)]
pub struct Decision {
    /// Events to append, in order.
    pub events: Vec<NewEvent>,
    /// An error to return *after* committing the events: a refused login is still recorded.
    pub then_fail: Option<CoreError>,
}

impl Decision {
    /// Append these events and succeed.
    pub fn events(events: Vec<NewEvent>) -> Self {
        Decision { events, then_fail: None }
    }
}

/// What the decision step may read and set.
#[derive(Debug)]
pub struct Ctx {
    pub now: chrono::DateTime<chrono::Utc>,
    /// The office this replica serves; set by first-run setup, fixed afterwards.
    pub origin_office: Option<String>,
    pub device_id: String,
}

/// An open, unlocked database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Clock,
    device_id: String,
    office_code: Option<String>,
    calendar: qingfeng_calendar::Calendar,
    /// Commits through `execute` since the store was opened: the desktop's sync task wakes when
    /// it grows, so new local work leaves for the hub without waiting for the next timer.
    local_commits: u64,
    /// Seals the log's checkpoint (`anchor`); derived from the database key.
    checkpoint_key: zeroize::Zeroizing<[u8; 32]>,
}

/// Counts from a rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RebuildReport {
    pub events: u64,
}

impl Store {
    /// Opens an existing database, reading its key from `keys`.
    pub fn open(path: &Path, keys: &KeySource) -> Result<Store> {
        let path = absolute(path)?;
        let meta =
            std::fs::metadata(&path).map_err(|_| CoreError::DatabaseMissing { path: path.display().to_string() })?;
        if meta.len() == 0 {
            return Err(CoreError::WrongKeyOrCorrupt { path: path.display().to_string() });
        }
        let key = keys.load(&path)?;
        Store::open_with_key(&path, &key, false)
    }

    /// Creates a new database, generating its key and storing it in `keys`.
    pub fn create(path: &Path, keys: &KeySource) -> Result<Store> {
        let path = absolute(path)?;
        if path.exists() {
            return Err(CoreError::DatabaseExists { path: path.display().to_string() });
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let key = keys.load_or_create(&path)?;
        // Readable only by its owner; SQLite gives the WAL and shared memory files the same
        // permissions, so nobody else on the machine can copy the encrypted data.
        drop(crate::files::create_new_private(&path)?);
        Store::open_with_key(&path, &key, true)
    }

    /// Opens the database, creating it first if there is none (the desktop program's first run).
    pub fn open_or_create(path: &Path, keys: &KeySource) -> Result<Store> {
        if absolute(path)?.exists() { Store::open(path, keys) } else { Store::create(path, keys) }
    }

    /// Opens with a key already in hand.
    pub fn open_with_key(path: &Path, key: &DbKey, create: bool) -> Result<Store> {
        let mut store = Store::open_bare(path, key, create)?;
        // An office set up before identities were sealed gets its sealing keys now.
        crate::sealing::ensure_own_keys(&mut store)?;
        // Those keys (new ones included) escrowed to the office's recovery code, if it has one.
        crate::recovery::escrow::ensure(&mut store)?;
        Ok(store)
    }

    /// Opens without the upkeep [`Store::open_with_key`] does (giving the office sealing keys if
    /// it has none): for a database half-restored from the hub, whose office keys are still to
    /// come out of their escrow, new keys made there would hide the old ones.
    pub(crate) fn open_bare(path: &Path, key: &DbKey, create: bool) -> Result<Store> {
        let flags = if create {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        };
        let display = path.display().to_string();
        let mut conn = Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma_value().as_str()))?;
        // SQLCipher would print its own HMAC complaints to stderr on a wrong key; we report that
        // case ourselves, in words an officer can act on. (It must follow the key: setting the key
        // first activates SQLCipher, which resets the level to its default.)
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        // SQLCipher only notices a wrong key when it first reads a page; do that now, and say it
        // plainly rather than passing on SQLite's "file is not a database".
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)).map_err(|e| {
            match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) | Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
                    CoreError::WrongKeyOrCorrupt { path: display.clone() }
                }
                _ => CoreError::Sqlite(e),
            }
        })?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // Every page is checked before anything is written: a command must never add its login
        // events to a file that is already damaged.
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if !create {
            crate::integrity::check_at_open(&conn, path, size)?;
        }
        // A 32 MiB page cache keeps the log's indexes in memory during replays and verification.
        // WAL lets screens read while a sync writes; FULL makes every committed event survive a
        // power cut, because an officer's work must never be lost.
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -32768;",
        )?;
        migrate::apply(&mut conn)?;
        crate::blobs::backfill_refs(&mut conn)?;
        crate::clockguard::repair_seen(&conn, chrono::Utc::now())?;
        let device_id = match meta_get(&conn, "device_id")? {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                meta_set(&conn, "device_id", &id)?;
                id
            }
        };
        let office_code = meta_get(&conn, "office_code")?;
        let checkpoint_key = key.checkpoint_key();
        crate::anchor::start(&mut conn, &checkpoint_key, &device_id)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            clock: Clock::system(),
            device_id,
            office_code,
            calendar: qingfeng_calendar::Calendar::builtin(),
            local_commits: 0,
            checkpoint_key,
        };
        store.reload_calendar()?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This replica's device id (the origin of its events).
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The office this replica serves, once set up.
    pub fn office_code(&self) -> Option<&str> {
        self.office_code.as_deref()
    }

    /// Replaces the clock (tests, demonstrations).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The store's clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The working-day calendar: built-in years plus imported updates.
    pub fn calendar(&self) -> &qingfeng_calendar::Calendar {
        &self.calendar
    }

    /// Read access for queries. Nothing outside this crate gets a writable handle.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Write access for the crate's own bookkeeping (sync state, remote events).
    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The key that seals the log's checkpoint.
    pub(crate) fn checkpoint_key(&self) -> &[u8; 32] {
        &self.checkpoint_key
    }

    pub(crate) fn set_calendar(&mut self, calendar: qingfeng_calendar::Calendar) {
        self.calendar = calendar;
    }

    fn reload_calendar(&mut self) -> Result<()> {
        let mut calendar = qingfeng_calendar::Calendar::builtin();
        let mut stmt = self.conn.prepare("SELECT update_json FROM calendar_updates ORDER BY year")?;
        let updates: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        for json in updates {
            let update: qingfeng_calendar::CalendarUpdate =
                serde_json::from_str(&json).map_err(|e| CoreError::Encoding(e.to_string()))?;
            calendar.apply_update(&update)?;
        }
        self.calendar = calendar;
        Ok(())
    }

    /// The one write path. In one transaction: check `action` for `actor`, let `decide` validate
    /// and choose events, append them to this device's chain, and apply them to the projections.
    /// Any error before commit leaves the database exactly as it was. A refusal by `authorize` is
    /// itself recorded (`access.denied`), because every action, allowed or not, leaves a trace.
    pub fn execute(
        &mut self,
        actor: &Actor,
        action: Action,
        decide: impl FnOnce(&Transaction<'_>, &mut Ctx) -> Result<Decision>,
    ) -> Result<Vec<Event>> {
        let now = self.clock.now();
        let mut ctx = Ctx { now, origin_office: self.office_code.clone(), device_id: self.device_id.clone() };
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let decision = match authorize(actor, &action) {
            Ok(()) => decide(&tx, &mut ctx)?,
            Err(denied @ CoreError::Forbidden { .. }) => Decision {
                events: vec![NewEvent::new(
                    kind::ACCESS_DENIED,
                    format!("actor:{}", actor.id()),
                    &AccessDenied { action: action.describe().into(), reason: denied.to_string() },
                )?],
                then_fail: Some(denied),
            },
            Err(other) => return Err(other),
        };
        let office = ctx.origin_office.clone().ok_or(CoreError::NotInitialized)?;
        if self.office_code.is_none() {
            meta_set(&tx, "office_code", &office)?;
        }
        let mut appender = Appender::new(&tx, &office, &self.device_id, actor, now, self.calendar.clone())?;
        let mut appended = Vec::with_capacity(decision.events.len());
        for new in decision.events {
            appended.push(appender.append(new)?);
        }
        let projector = appender.projector;
        crate::anchor::extend(&tx, &self.checkpoint_key, &self.device_id)?;
        tx.commit()?;
        self.local_commits += 1;
        self.office_code = Some(office);
        self.calendar = projector.calendar;
        match decision.then_fail {
            Some(err) => Err(err),
            None => Ok(appended),
        }
    }

    /// The write path for work too large to hold as one list of events (importing an older
    /// platform's records): in one transaction, check `action` for `actor`, then let `run` append
    /// events one at a time through the [`Appender`], each projected as it is appended, and
    /// commit when `run` returns. Any error leaves the database exactly as it was; a refusal by
    /// `authorize` is recorded (`access.denied`) as in [`Store::execute`].
    pub fn execute_streamed<T>(
        &mut self,
        actor: &Actor,
        action: Action,
        run: impl FnOnce(&mut Appender<'_, '_>, &Ctx) -> Result<T>,
    ) -> Result<T> {
        if let Err(denied @ CoreError::Forbidden { .. }) = authorize(actor, &action) {
            // Recorded through the ordinary path, which appends the denial and returns the error.
            self.execute(actor, action, |_, _| Ok(Decision::default()))?;
            return Err(denied);
        }
        let now = self.clock.now();
        let ctx = Ctx { now, origin_office: self.office_code.clone(), device_id: self.device_id.clone() };
        let office = self.office_code.clone().ok_or(CoreError::NotInitialized)?;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut appender = Appender::new(&tx, &office, &self.device_id, actor, now, self.calendar.clone())?;
        let out = run(&mut appender, &ctx)?;
        let projector = appender.projector;
        crate::anchor::extend(&tx, &self.checkpoint_key, &self.device_id)?;
        tx.commit()?;
        self.local_commits += 1;
        self.calendar = projector.calendar;
        Ok(out)
    }

    /// This office's code, or `NotInitialized` before the first-run setup.
    pub fn office(&self) -> Result<String> {
        self.office_code.clone().ok_or(CoreError::NotInitialized)
    }

    /// How many local commits this store has made since it was opened (never decreases).
    pub fn local_commits(&self) -> u64 {
        self.local_commits
    }

    /// The most recent events, newest first.
    pub fn recent_events(&self, limit: u32) -> Result<Vec<Event>> {
        events::recent(&self.conn, limit)
    }

    /// Walks every chain in the log.
    pub fn verify(&self) -> Result<events::VerifyReport> {
        events::verify(&self.conn, &self.device_id)
    }

    /// Recomputes every projection from the log, in one transaction.
    pub fn rebuild(&mut self) -> Result<RebuildReport> {
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for table in PROJECTION_TABLES.iter().rev() {
            tx.execute(&format!("DELETE FROM {table}"), [])?;
        }
        tx.execute("INSERT INTO complaint_search (complaint_search) VALUES ('delete-all')", [])?;
        // The library's index has external content: clearing its articles does not clear it.
        tx.execute("INSERT INTO library_search (library_search) VALUES ('delete-all')", [])?;
        let mut projector = Projector { calendar: qingfeng_calendar::Calendar::builtin() };
        let mut count = 0u64;
        events::for_each_in_log_order(&tx, |event| {
            count += 1;
            projector.apply(&tx, &event)
        })?;
        tx.commit()?;
        self.calendar = projector.calendar;
        Ok(RebuildReport { events: count })
    }

    /// Every projection table's rows as text, in a stable order: lets tests compare a rebuild with
    /// the live tables, and lets an operator diff two replicas.
    pub fn projection_dump(&self) -> Result<String> {
        let mut out = String::new();
        for table in PROJECTION_TABLES {
            out.push_str(&format!("## {table}\n"));
            let columns = self.conn.prepare(&format!("SELECT * FROM {table}"))?.column_count();
            let order: Vec<String> = (1..=columns).map(|i| i.to_string()).collect();
            let sql = format!("SELECT * FROM {table} ORDER BY {}", order.join(", "));
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let cells: Vec<String> = (0..columns)
                    .map(|i| match row.get_ref(i) {
                        Ok(v) => cell_text(v),
                        Err(e) => format!("<{e}>"),
                    })
                    .collect();
                out.push_str(&cells.join(" | "));
                out.push('\n');
            }
        }
        Ok(out)
    }

    /// The schema as SQL, sorted, for the migration snapshot test.
    pub fn schema_sql(&self) -> Result<String> {
        let mut stmt =
            self.conn.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!("-- {} {}\n{};\n", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?.join("\n"))
    }

    /// Names the office of an empty store that is being restored from the hub, before any event
    /// (`recovery::hub`): the office's own events then arrive as its other devices' events.
    pub(crate) fn set_office_for_restore(&mut self, code: &str) -> Result<()> {
        let events: i64 = self.conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
        if self.office_code.is_some() || events > 0 {
            return Err(CoreError::AlreadyInitialized);
        }
        meta_set(&self.conn, "office_code", code)?;
        self.office_code = Some(code.to_owned());
        Ok(())
    }

    /// Runs a bulk load (the demonstration office's thousands of small transactions into a new
    /// file) with the write-ahead log synced at checkpoints only instead of at every commit. A
    /// load cut short by a power loss is simply made again, and the log stays consistent either
    /// way (WAL mode); the production setting comes back whatever `load` returned, before
    /// anything else is written.
    pub fn bulk_load<T>(&mut self, load: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("PRAGMA synchronous = NORMAL;")?;
        let result = load(self);
        let restored = self.conn.execute_batch("PRAGMA synchronous = FULL;");
        let value = result?;
        restored?;
        Ok(value)
    }

    /// Records, durably, that this database is a demonstration office whose seeding ran to the
    /// end, so that a seed killed part-way is recognised and made again.
    pub fn mark_demo_complete(&self) -> Result<()> {
        meta_set(&self.conn, "demo_complete", "1")
    }

    /// Whether [`Store::mark_demo_complete`] was recorded in this database.
    pub fn demo_complete(&self) -> Result<bool> {
        Ok(meta_get(&self.conn, "demo_complete")?.is_some())
    }

    /// Raw SQL for tests that must tamper with the file as an attacker would.
    #[doc(hidden)]
    pub fn raw_connection_for_tests(&self) -> &Connection {
        &self.conn
    }
}

/// Appends events to this device's chain inside a transaction, projecting each as it goes: the
/// part of the write path `execute` and `execute_streamed` share, so every event, however it
/// arrives, passes the same checks and is signed and chained alike.
pub struct Appender<'t, 'c> {
    tx: &'t Transaction<'c>,
    office: String,
    head: events::ChainHead,
    projector: Projector,
    actor: String,
    now_millis: i64,
    appended: u64,
}

impl std::fmt::Debug for Appender<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Appender").field("office", &self.office).field("appended", &self.appended).finish()
    }
}

impl<'t, 'c> Appender<'t, 'c> {
    fn new(
        tx: &'t Transaction<'c>,
        office: &str,
        device_id: &str,
        actor: &Actor,
        now: chrono::DateTime<chrono::Utc>,
        calendar: qingfeng_calendar::Calendar,
    ) -> Result<Self> {
        Ok(Appender {
            tx,
            office: office.to_owned(),
            head: events::load_head(tx, office, device_id)?,
            projector: Projector { calendar },
            actor: actor.id().to_owned(),
            now_millis: now.timestamp_millis(),
            appended: 0,
        })
    }

    /// Appends one event and applies it to the projections.
    pub fn append(&mut self, new: NewEvent) -> Result<Event> {
        // No record stores a character that could act on its reader (issue #14): the forms'
        // own checks name the field; this one catches whatever else carries text.
        crate::input::check_payload(&new.payload)?;
        // Only the owning office changes a case's workflow state; another office's attempt is
        // refused here, so a stale step is never even written on this replica.
        if !crate::projector::kind::is_grow_only(new.kind) {
            crate::ownership::ensure_owned(self.tx, &new.aggregate, &self.office)?;
        }
        crate::queue::check_new_event(new.kind, &new.aggregate, new.payload.len(), self.tx)?;
        let event = events::append(self.tx, &mut self.head, &self.actor, new, self.now_millis)?;
        self.projector.apply(self.tx, &event)?;
        self.appended += 1;
        Ok(event)
    }

    /// The transaction, to read what earlier appends projected.
    pub fn tx(&self) -> &Transaction<'c> {
        self.tx
    }

    /// The office whose chain is being extended.
    pub fn office(&self) -> &str {
        &self.office
    }

    /// How many events were appended so far.
    pub fn appended(&self) -> u64 {
        self.appended
    }
}

/// A cell as readable text for dumps.
fn cell_text(v: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => format!("x'{}'", hex::encode(b)),
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    Ok(std::path::absolute(path)?)
}

pub(crate) fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub(crate) fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}
