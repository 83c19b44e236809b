//! [`PgStorage`]: the hub's store on a PostgreSQL server, for a province that runs several hub
//! processes over one replicated database.
//!
//! The driver is tokio-postgres with a deadpool pool; the schema is applied and checked by
//! refinery (`migrations/postgres/V*__*.sql`) under an advisory lock, so two hubs starting at
//! once migrate one after the other. [`HubStorage`] is synchronous (the protocol runs on tokio's
//! blocking pool), so this store owns a small tokio runtime that drives its connections and
//! waits for each statement with a plain executor: it may be called from any thread, also from
//! inside another runtime, exactly like the SQLite store.
//!
//! Concurrency is correct by design, not by luck. Write transactions run at READ COMMITTED and
//! take their locks explicitly:
//!
//! - a chain (an office device's or the hub's own) is appended under a transaction-scoped
//!   advisory lock on its device id ([`HubTx::lock`]), taken before its head is read, so no two
//!   events land at one (device, seq) and a change set arriving at two hub processes at once is
//!   applied once and answered with one receipt;
//! - an aggregate read for writing is locked with `FOR UPDATE` (several at once in id order, so
//!   two writers never wait on each other in opposite orders); a new aggregate is inserted, never
//!   upserted, so two first writers cannot both become its owner;
//! - a feed append first raises the office's `feed_head` (its row lock orders every append to one
//!   office's feed), and offices are appended to in descending code order: feed positions are
//!   gap-free and a rolled-back append leaves no hole. A write's appends are held back to its end
//!   and sent with its `COMMIT` in one pipeline, so the office rows every change set needs (the
//!   province's above all) are held for the server's own work only, never across a round trip.
//!   Each append is one `feed_runs` row per office (V6), not a row per event;
//! - certificate serials come from a sequence;
//! - change sets are written in groups ([`crate::group`], [`HubStorage::write_grouped`]): one
//!   pooled connection at a time holds the open group's transaction, each change set in a
//!   savepoint of it, and the group's feed appends are made at its end, every office's rows locked
//!   in descending code order by one statement, so the province's row is taken once per group.
//!
//! A write that loses a race (a deadlock, a serialization failure, a key another writer inserted
//! first) is rolled back whole and run again from the start, a bounded number of times.
//! Read transactions run at REPEATABLE READ, READ ONLY: one consistent snapshot per call.

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{ClientWrapper, Manager, ManagerConfig, Pool, RecyclingMethod, Timeouts};
use futures_util::StreamExt;
use qingfeng_log::event::Event;
use qingfeng_log::office::{OfficeLevel, UnitKind};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};

use crate::error::{HubError, Result};
use crate::group::{GroupCommit, GroupConn};
use crate::storage::{
    Aggregate, Alarm, BlobEntry, BlobProgress, Counts, Device, EventStatus, FeedLimits, FeedRows, Head, HubStorage,
    HubTx, Office, PageFill, StoredReceipt, Token, Waiting,
};

mod embedded {
    refinery::embed_migrations!("migrations/postgres");
}

/// How many times a write that lost a race is run again before the error is returned.
const WRITE_ATTEMPTS: usize = 30;

/// The advisory lock key that serialises migrations (any fixed number; "qfhubmig").
const MIGRATION_LOCK: i64 = 0x7166_6875_626d_6967;

/// Tuning of the connection pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PgOptions {
    /// Connections kept open at most.
    pub pool_size: usize,
    /// How long a new connection may take before the server counts as unreachable.
    pub connect_timeout: Duration,
    /// Change sets of this process written in groups on one connection ([`crate::group`])
    /// instead of each in its own transaction on its own connection. Off by default: on the
    /// 2-core benchmark machine under load, a group's writes wait for each other's round trips
    /// (7.5 ms a change set, one after another) and lost more than the shared commits saved
    /// (BENCHMARKS.md, the hub section).
    pub group_commit: bool,
}

impl Default for PgOptions {
    fn default() -> Self {
        PgOptions { pool_size: 16, connect_timeout: Duration::from_secs(5), group_commit: false }
    }
}

/// The hub's store on PostgreSQL.
pub struct PgStorage {
    pool: Pool,
    /// Change sets and other crowded writes of this process, committed in groups on one pooled
    /// connection at a time ([`HubStorage::write_grouped`]).
    group: Box<GroupCommit<PgWriter>>,
    /// Whether `write_grouped` uses `group` ([`PgOptions::group_commit`]).
    group_commit: bool,
    /// Drives the connections; shut down without blocking when the store is dropped, so a store
    /// may be dropped anywhere (also inside another runtime).
    runtime: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
    /// The server and database, without the password, for messages.
    shown: String,
}

impl std::fmt::Debug for PgStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStorage").field("database", &self.shown).finish_non_exhaustive()
    }
}

impl Drop for PgStorage {
    fn drop(&mut self) {
        self.pool.close();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Waits for a future on the calling thread. The futures given here only talk to connection
/// tasks over channels, so they need no runtime of their own.
fn block<F: Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

/// `user@host:port/db` of a connection string, never its password.
pub fn describe(config: &tokio_postgres::Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{}@{host}:{port}/{}",
        config.get_user().unwrap_or("?"),
        config.get_dbname().or(config.get_user()).unwrap_or("?")
    )
}

/// Parses a `postgres://…` connection string, with a Chinese message when it is malformed.
pub fn parse_url(url: &str) -> Result<tokio_postgres::Config> {
    let config = tokio_postgres::Config::from_str(url).map_err(|e| {
        HubError::BadDatabaseUrl(format!(
            "PostgreSQL 地址无法解读（{e}）。应写作 postgres://用户@主机:端口/数据库名，例如 postgres://hub@127.0.0.1:5432/hub"
        ))
    })?;
    if config.get_user().is_none() {
        return Err(HubError::BadDatabaseUrl(
            "PostgreSQL 地址缺少用户名。应写作 postgres://用户@主机:端口/数据库名。".into(),
        ));
    }
    Ok(config)
}

/// Turns a driver error into the hub's: a lost or refused connection is `Unavailable` (HTTP 503,
/// the client retries), a lost race is `Contention` (the write runs again), the rest `Postgres`.
fn pg_error(shown: &str, e: tokio_postgres::Error) -> HubError {
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::UNIQUE_VIOLATION && db.constraint() == Some("events_id") {
            // Another accepted event has this id, committed (see `insert_events`). The detail
            // reads "Key (id)=(…) already exists."
            let id = db
                .detail()
                .and_then(|d| d.split_once("=(").and_then(|(_, rest)| rest.rsplit_once(')')))
                .map(|(id, _)| id.to_owned())
                .unwrap_or_default();
            return HubError::DuplicateEventId { id };
        }
        if *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::UNIQUE_VIOLATION
        {
            return HubError::Contention(format!("{}（{}）", db.message(), code.code()));
        }
        if code.code().starts_with("08") || code.code().starts_with("57P") || *code == SqlState::CANNOT_CONNECT_NOW {
            return HubError::Unavailable(format!("{shown}：{}", db.message()));
        }
        return HubError::Postgres(format!("{}（{}）", db.message(), code.code()));
    }
    // No server error: the connection itself failed (refused, reset, closed, timed out).
    HubError::Unavailable(format!("{shown}：{e}"))
}

fn pool_error(shown: &str, e: deadpool_postgres::PoolError) -> HubError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => pg_error(shown, e),
        deadpool_postgres::PoolError::Timeout(_) => {
            HubError::Unavailable(format!("{shown}：等待数据库连接超时（连接池已满或服务器无响应）"))
        }
        other => HubError::Unavailable(format!("{shown}：{other}")),
    }
}

impl PgStorage {
    /// Creates the hub's schema in an empty database; refuses a database that already holds a
    /// hub (its signing key id is recorded).
    pub fn create(url: &str, options: PgOptions) -> Result<Self> {
        let store = Self::connect(url, options)?;
        if store.read(|tx| tx.meta("hub_key_id"))?.is_some() {
            return Err(HubError::DatabaseInitialized(store.shown.clone()));
        }
        Ok(store)
    }

    /// Opens a database that holds a hub and applies any new migrations.
    pub fn open(url: &str, options: PgOptions) -> Result<Self> {
        let store = Self::connect(url, options)?;
        if store.read(|tx| tx.meta("hub_key_id"))?.is_none() {
            return Err(HubError::DatabaseNotInitialized(store.shown.clone()));
        }
        Ok(store)
    }

    fn connect(url: &str, options: PgOptions) -> Result<Self> {
        let mut config = parse_url(url)?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(options.connect_timeout);
        }
        if config.get_application_name().is_none() {
            config.application_name("qingfeng-hub");
        }
        let shown = describe(&config);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("qingfeng-hub-pg")
            .enable_all()
            .build()
            .map_err(|e| HubError::Internal(format!("无法启动数据库连接线程：{e}")))?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(options.pool_size.max(1))
            .timeouts(Timeouts {
                wait: Some(Duration::from_secs(60)),
                create: Some(options.connect_timeout + Duration::from_secs(1)),
                recycle: Some(Duration::from_secs(5)),
            })
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| HubError::Internal(format!("无法建立数据库连接池：{e}")))?;
        let group = Box::new(GroupCommit::new(PgWriter {
            pool: pool.clone(),
            handle: runtime.handle().clone(),
            shown: shown.clone(),
            conn: None,
            feeds: BTreeMap::new(),
            statements: 0,
            started: std::time::Instant::now(),
        }));
        let store = PgStorage {
            pool,
            group,
            group_commit: options.group_commit,
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
            shown,
        };
        store.migrate()?;
        Ok(store)
    }

    /// The server and database, without the password.
    pub fn describe(&self) -> &str {
        &self.shown
    }

    /// A connection from the pool.
    fn connection(&self) -> Result<deadpool_postgres::Object> {
        pooled(&self.pool, &self.handle, &self.shown)
    }

    /// Applies the migrations this database has not seen, one hub at a time; refuses a database
    /// that a newer hub migrated further, or whose recorded migrations differ from ours.
    fn migrate(&self) -> Result<()> {
        let mut conn = self.connection()?;
        let shown = self.shown.clone();
        let task = self.handle.spawn(async move {
            let client: &mut tokio_postgres::Client = &mut conn;
            client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).await.map_err(|e| pg_error(&shown, e))?;
            let report = embedded::migrations::runner()
                .set_abort_divergent(true)
                .set_abort_missing(true)
                .run_async(client)
                .await;
            let unlocked = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).await;
            let result = report.map(|_| ()).map_err(|e| migration_error(&shown, &e));
            unlocked.map_err(|e| pg_error(&shown, e))?;
            result
        });
        block(task).map_err(|e| HubError::Internal(format!("数据库迁移任务异常结束：{e}")))?
    }

    fn transaction<R>(&self, write: bool, f: &mut dyn FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        let conn = self.connection()?;
        let begin = if write { "BEGIN" } else { "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY" };
        let started = std::time::Instant::now();
        block(conn.batch_execute(begin)).map_err(|e| pg_error(&self.shown, e))?;
        let statements = std::cell::Cell::new(0u32);
        // A write's feed appends are held back to its very end (see `finish_write`).
        let mut feeds = BTreeMap::new();
        let out = f(&mut PgTx {
            client: &conn,
            shown: &self.shown,
            write,
            locked_aggregates: HashSet::new(),
            statements: &statements,
            deferred_feeds: if write { Some(&mut feeds) } else { None },
        });
        let end = match &out {
            Ok(_) if write => finish_write(&conn, &self.shown, &feeds, &statements),
            _ => block(conn.batch_execute("ROLLBACK")).map_err(|e| pg_error(&self.shown, e)),
        };
        // Every statement is one round trip to the server, so this count (with BEGIN and the
        // end, two more) is what a write costs beside the server's own work: RUST_LOG=debug
        // shows it per transaction, which is how the per-change-set cost was found and cut.
        tracing::debug!(
            write,
            statements = statements.get() + 2,
            micros = started.elapsed().as_micros() as u64,
            ok = out.is_ok(),
            "PostgreSQL transaction"
        );
        match end {
            Ok(()) => out,
            Err(err) => {
                // The connection is in an unknown state: keep it out of the pool.
                let _ = deadpool_postgres::Object::take(conn);
                // A failed COMMIT of a successful closure is the write's failure; otherwise the
                // closure's own error says more.
                match out {
                    Ok(_) => Err(err),
                    Err(first) => Err(first),
                }
            }
        }
    }
}

/// Ends a write transaction: its held-back feed appends, then `COMMIT`, sent together in one
/// pipeline. The office rows the appends lock (every change set's include the province's) are
/// thus held only while the server runs these statements back to back and flushes the commit,
/// never across a round trip to this process; under a burst that wait is what every other
/// writer queues behind. If a statement fails, the server skips the rest and answers the
/// `COMMIT` of the failed transaction by rolling it back, and the first error is returned.
fn finish_write(
    conn: &deadpool_postgres::Object,
    shown: &str,
    feeds: &BTreeMap<String, Vec<i64>>,
    statements: &std::cell::Cell<u32>,
) -> Result<()> {
    if feeds.is_empty() {
        return block(conn.batch_execute("COMMIT")).map_err(|e| pg_error(shown, e));
    }
    let append = FeedAppend::new(feeds);
    statements.set(statements.get() + 4);
    let client: &ClientWrapper = conn;
    let (routed, locked, appended, committed) = block(async {
        let (route, lock, add) = futures_util::future::try_join3(
            client.prepare_cached(ROUTE_BLOBS),
            client.prepare_cached(LOCK_OFFICES),
            client.prepare_cached(APPEND_RUNS),
        )
        .await?;
        // Polled together, the four are written to the connection before any answer is read.
        Ok::<_, tokio_postgres::Error>(
            futures_util::future::join4(
                client.execute(&route, &append.route_params()),
                client.query(&lock, &[&append.codes]),
                client.execute(&add, &append.run_params()),
                client.batch_execute("COMMIT"),
            )
            .await,
        )
    })
    .map_err(|e| pg_error(shown, e))?;
    routed.map_err(|e| pg_error(shown, e))?;
    let locked = locked.map_err(|e| pg_error(shown, e))?;
    if let Err(e) = appended {
        if e.as_db_error().is_some_and(|db| *db.code() == SqlState::NOT_NULL_VIOLATION) {
            return Err(missing_office(&append.codes, &locked));
        }
        return Err(pg_error(shown, e));
    }
    committed.map_err(|e| pg_error(shown, e))
}

/// The office of `codes` that locking found no row for.
fn missing_office(codes: &[&str], locked: &[Row]) -> HubError {
    let found: HashSet<String> = locked.iter().map(|r| r.get(0)).collect();
    let missing = codes.iter().find(|c| !found.contains(**c)).copied().unwrap_or_default();
    HubError::NotFound { what: "机关", id: missing.to_owned() }
}

/// The most positions one `feed_runs` row holds (the table's check says the same). A feed page
/// looks for the runs of its window by their last position, so a run may end at most this far
/// past the window.
const FEED_RUN: usize = 500;

/// The offices' rows locked in the order of the codes given, descending as every append of any
/// process takes them (the province, whose code is the smallest, last): one index look-up each
/// (see `PgTx::aggregates` for why it is written so).
const LOCK_OFFICES: &str = "SELECT o.code FROM unnest($1::text[]) WITH ORDINALITY AS u(code, ord)
                            CROSS JOIN LATERAL (SELECT code FROM offices x WHERE x.code = u.code LIMIT 1 FOR UPDATE) o
                            ORDER BY u.ord";

/// Every office's `feed_head` raised and its runs inserted, by one statement. An office without a
/// row has no head to count from: its runs' NULL seqs fail the statement (and so the
/// transaction) instead of being left out.
const APPEND_RUNS: &str = "
    WITH runs AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])
                               AS r(code, total, before, n, off)),
         bumped AS (UPDATE offices o SET feed_head = o.feed_head + c.total
                    FROM (SELECT DISTINCT code, total FROM runs) c WHERE o.code = c.code
                    RETURNING o.code, o.feed_head - c.total AS base)
    INSERT INTO feed_runs (office_code, last_seq, first_seq, positions)
    SELECT r.code, b.base + r.before + r.n, b.base + r.before + 1, ($6::bigint[])[r.off + 1 : r.off + r.n]
    FROM runs r LEFT JOIN bumped b ON b.code = r.code";

/// The offices that may now fetch a blob: those whose feed gains an event naming it. In key
/// order, so two writers routing one blob to the same offices never wait on each other in a
/// circle.
const ROUTE_BLOBS: &str = "
    INSERT INTO blob_offices (sha256, office_code)
    SELECT DISTINCT b.sha256, a.code FROM unnest($1::text[], $2::bigint[]) AS a(code, pos)
                                     JOIN blob_refs b ON b.pos = a.pos
    ORDER BY 1, 2
    ON CONFLICT DO NOTHING";

/// One write's feed appends as the parameters of [`LOCK_OFFICES`], [`APPEND_RUNS`] and [`ROUTE_BLOBS`].
struct FeedAppend<'a> {
    /// The offices appended to.
    codes: Vec<&'a str>,
    /// Per run: its office, the office's whole append, positions of the office before the run,
    /// the run's length and its offset in `flat`.
    run_codes: Vec<&'a str>,
    totals: Vec<i64>,
    befores: Vec<i64>,
    lens: Vec<i64>,
    offs: Vec<i64>,
    flat: Vec<i64>,
    /// Every (office, position) appended.
    pair_codes: Vec<&'a str>,
}

impl<'a> FeedAppend<'a> {
    fn new(feeds: &'a BTreeMap<String, Vec<i64>>) -> Self {
        let mut out = FeedAppend {
            // Descending: the order every append of any process locks the offices' rows in.
            codes: feeds.keys().rev().map(String::as_str).collect(),
            run_codes: Vec::new(),
            totals: Vec::new(),
            befores: Vec::new(),
            lens: Vec::new(),
            offs: Vec::new(),
            flat: Vec::with_capacity(feeds.values().map(Vec::len).sum()),
            pair_codes: Vec::with_capacity(feeds.values().map(Vec::len).sum()),
        };
        for (office, list) in feeds {
            for (i, run) in list.chunks(FEED_RUN).enumerate() {
                out.run_codes.push(office.as_str());
                out.totals.push(list.len() as i64);
                out.befores.push((i * FEED_RUN) as i64);
                out.lens.push(run.len() as i64);
                out.offs.push(out.flat.len() as i64);
                out.flat.extend_from_slice(run);
                out.pair_codes.extend(std::iter::repeat_n(office.as_str(), run.len()));
            }
        }
        out
    }

    fn run_params(&self) -> [&(dyn ToSql + Sync); 6] {
        [&self.run_codes, &self.totals, &self.befores, &self.lens, &self.offs, &self.flat]
    }

    fn route_params(&self) -> [&(dyn ToSql + Sync); 2] {
        [&self.pair_codes, &self.flat]
    }
}

/// A connection from `pool`; made on the store's runtime, which new connections need.
fn pooled(pool: &Pool, handle: &tokio::runtime::Handle, shown: &str) -> Result<deadpool_postgres::Object> {
    let pool = pool.clone();
    let task = handle.spawn(async move { pool.get().await });
    match block(task) {
        Ok(got) => got.map_err(|e| pool_error(shown, e)),
        Err(e) => Err(HubError::Internal(format!("数据库连接任务异常结束：{e}"))),
    }
}

/// The connection of this process's open group and what its writes hold back: their feed
/// appends, made at the end all offices at once (see [`GroupConn::commit`] below).
struct PgWriter {
    pool: Pool,
    handle: tokio::runtime::Handle,
    shown: String,
    /// Taken from the pool when a group begins, given back when it ends.
    conn: Option<deadpool_postgres::Object>,
    /// Feed appends of the group's committed savepoints, by office, in the order they were made.
    feeds: BTreeMap<String, Vec<i64>>,
    /// Statements the group sent, and when it began (for the debug log).
    statements: u32,
    started: std::time::Instant,
}

impl std::fmt::Debug for PgWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgWriter").field("open", &self.conn.is_some()).finish_non_exhaustive()
    }
}

impl PgWriter {
    fn conn(&self) -> Result<&deadpool_postgres::Object> {
        self.conn.as_ref().ok_or_else(|| HubError::Internal("数据库写入组没有连接".into()))
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        self.statements += 1;
        block(self.conn()?.batch_execute(sql)).map_err(|e| pg_error(&self.shown, e))
    }

    /// Gives the connection back to the pool, or drops it when its state is unknown.
    fn release(&mut self, healthy: bool) {
        self.feeds.clear();
        if let Some(conn) = self.conn.take()
            && !healthy
        {
            let _ = deadpool_postgres::Object::take(conn);
        }
    }
}

impl GroupConn for PgWriter {
    fn begin(&mut self) -> Result<()> {
        self.conn = Some(pooled(&self.pool, &self.handle, &self.shown)?);
        self.feeds.clear();
        self.statements = 0;
        self.started = std::time::Instant::now();
        if let Err(e) = self.batch("BEGIN") {
            self.release(false);
            return Err(e);
        }
        Ok(())
    }

    fn run<R>(&mut self, f: &mut dyn FnMut(&mut dyn HubTx) -> Result<R>) -> Result<Result<R>> {
        self.batch("SAVEPOINT hub_write")?;
        let statements = std::cell::Cell::new(0u32);
        let mut feeds = BTreeMap::new();
        let out = f(&mut PgTx {
            client: self.conn()?,
            shown: &self.shown,
            write: true,
            locked_aggregates: HashSet::new(),
            statements: &statements,
            deferred_feeds: Some(&mut feeds),
        });
        self.statements += statements.get();
        match &out {
            Ok(_) => {
                self.batch("RELEASE SAVEPOINT hub_write")?;
                for (office, positions) in feeds {
                    self.feeds.entry(office).or_default().extend(positions);
                }
            }
            Err(_) => self.batch("ROLLBACK TO SAVEPOINT hub_write; RELEASE SAVEPOINT hub_write")?,
        }
        Ok(out)
    }

    /// Appends the group's feed runs and commits, as a single write ends ([`finish_write`]: the
    /// offices' rows locked in descending code order, every office's runs in one statement and
    /// the `COMMIT`, in one pipeline). A group
    /// therefore takes the feed rows, the province's last, only at its very end and holds them
    /// only through its own `COMMIT`: whatever locks it waits for there, their holders are also
    /// at their end, so groups of two processes never wait on each other in a circle.
    fn commit(&mut self) -> Result<()> {
        let feeds = std::mem::take(&mut self.feeds);
        let statements = std::cell::Cell::new(0u32);
        let result = self.conn().and_then(|conn| finish_write(conn, &self.shown, &feeds, &statements));
        self.statements += statements.get();
        tracing::debug!(
            statements = self.statements,
            offices = feeds.len(),
            micros = self.started.elapsed().as_micros() as u64,
            ok = result.is_ok(),
            "PostgreSQL group"
        );
        self.release(result.is_ok());
        result
    }

    fn abandon(&mut self) {
        if self.conn.is_some() {
            let rolled_back = self.batch("ROLLBACK").is_ok();
            self.release(rolled_back);
        }
    }
}

fn migration_error(shown: &str, e: &refinery::Error) -> HubError {
    match e.kind() {
        refinery::error::Kind::MissingVersion(m) => {
            HubError::SchemaMismatch(format!("数据库 {shown} 已由较新版本的枢纽迁移到 {m}，本程序不认识该迁移"))
        }
        refinery::error::Kind::DivergentVersion(applied, ours) => {
            HubError::SchemaMismatch(format!("数据库 {shown} 记录的迁移 {applied} 与本程序的 {ours} 内容不一致"))
        }
        refinery::error::Kind::Connection(msg, source) => {
            HubError::Unavailable(format!("{shown}：迁移时数据库出错：{msg}（{source}）"))
        }
        other => HubError::SchemaMismatch(format!("数据库 {shown} 迁移失败：{other}")),
    }
}

impl HubStorage for PgStorage {
    fn write<R>(&self, mut f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.transaction(true, &mut f) {
                Err(HubError::Contention(why)) if attempt < WRITE_ATTEMPTS => {
                    // Another writer won a race; the whole transaction was rolled back. Wait a
                    // little (more each time, with jitter, so two losers do not collide again).
                    let jitter: u64 = rand::Rng::gen_range(&mut rand::thread_rng(), 0..=(attempt as u64 * 3));
                    tracing::debug!(attempt, reason = %why, "write lost a race; running it again");
                    std::thread::sleep(Duration::from_millis(attempt as u64 + jitter));
                }
                other => return other,
            }
        }
    }

    fn write_grouped<R>(&self, f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        if self.group_commit { self.group.write(f) } else { self.write(f) }
    }

    fn read<R>(&self, mut f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        self.transaction(false, &mut f)
    }

    fn pool_status(&self) -> Option<crate::metrics::PoolStatus> {
        let s = self.pool.status();
        Some(crate::metrics::PoolStatus { size: s.size, available: s.available, waiting: s.waiting })
    }

    fn group_stats(&self) -> Option<crate::group::GroupStats> {
        Some(self.group.stats())
    }
}

/// One transaction on one pooled connection.
struct PgTx<'c> {
    client: &'c ClientWrapper,
    shown: &'c str,
    write: bool,
    /// Aggregates this write transaction read (and so locked) that exist: they are updated at
    /// the end; any other is inserted.
    locked_aggregates: HashSet<String>,
    /// Statements sent in this transaction (each one round trip).
    statements: &'c std::cell::Cell<u32>,
    /// In a grouped write: feed appends held back until the group commits, by office.
    deferred_feeds: Option<&'c mut BTreeMap<String, Vec<i64>>>,
}

type Params<'a> = [&'a (dyn ToSql + Sync)];

impl PgTx<'_> {
    fn err(&self, e: tokio_postgres::Error) -> HubError {
        pg_error(self.shown, e)
    }

    fn query(&self, sql: &str, params: &Params<'_>) -> Result<Vec<Row>> {
        self.statements.set(self.statements.get() + 1);
        block(async {
            let stmt = self.client.prepare_cached(sql).await?;
            self.client.query(&stmt, params).await
        })
        .map_err(|e| self.err(e))
    }

    fn query_opt(&self, sql: &str, params: &Params<'_>) -> Result<Option<Row>> {
        self.statements.set(self.statements.get() + 1);
        block(async {
            let stmt = self.client.prepare_cached(sql).await?;
            self.client.query_opt(&stmt, params).await
        })
        .map_err(|e| self.err(e))
    }

    fn execute(&self, sql: &str, params: &Params<'_>) -> Result<u64> {
        self.statements.set(self.statements.get() + 1);
        block(async {
            let stmt = self.client.prepare_cached(sql).await?;
            self.client.execute(&stmt, params).await
        })
        .map_err(|e| self.err(e))
    }

    /// `FOR UPDATE` in a write transaction, nothing in a read-only one.
    fn for_update(&self) -> &'static str {
        if self.write { " FOR UPDATE" } else { "" }
    }
}

fn hash32(bytes: &[u8]) -> [u8; 32] {
    // The schema checks every length; a mismatch means the table was edited underneath, which
    // `events verify` reports, so reading code gets zeros rather than a panic.
    bytes.try_into().unwrap_or([0; 32])
}

const SELECT_EVENT: &str = "SELECT e.id, e.origin_office, e.origin_device, e.seq, e.hlc, e.actor, e.kind, e.aggregate, e.payload, e.prev, e.hash";

/// Reads an event from a row whose first eleven columns are those of [`SELECT_EVENT`].
fn row_to_event(r: &Row) -> Event {
    Event {
        id: r.get(0),
        origin_office: r.get(1),
        origin_device: r.get(2),
        seq: r.get::<_, i64>(3) as u64,
        hlc: r.get::<_, i64>(4) as u64,
        actor: r.get(5),
        kind: r.get(6),
        aggregate: r.get(7),
        payload: r.get(8),
        prev: hash32(r.get(9)),
        hash: hash32(r.get(10)),
    }
}

const SELECT_OFFICE: &str =
    "SELECT code, name, level, parent_code, created_at_ms, feed_head, short_name, unit FROM offices";

fn row_to_office(r: &Row) -> Result<Office> {
    let level: String = r.get(2);
    Ok(Office {
        code: r.get(0),
        name: r.get(1),
        level: OfficeLevel::parse(&level).map_err(|e| HubError::Internal(format!("机关级别无法读取：{e}")))?,
        parent_code: r.get(3),
        created_at_ms: r.get(4),
        feed_head: r.get::<_, i64>(5) as u64,
        short_name: r.get(6),
        unit: UnitKind::parse(r.get::<_, &str>(7)).map_err(|e| HubError::Internal(format!("单位类别无法读取：{e}")))?,
    })
}

const SELECT_DEVICE: &str = "SELECT device_id, office_code, alg, public_key, key_id, cert_serial, enrolled_at_ms,
    revoked_at_ms, revoke_reason FROM devices";

fn row_to_device(r: &Row) -> Device {
    Device {
        device_id: r.get(0),
        office_code: r.get(1),
        alg: r.get(2),
        public_key: r.get(3),
        key_id: r.get(4),
        cert_serial: r.get::<_, i64>(5) as u64,
        enrolled_at_ms: r.get(6),
        revoked_at_ms: r.get(7),
        revoke_reason: r.get(8),
    }
}

fn row_to_aggregate(r: &Row) -> Aggregate {
    Aggregate { id: r.get(0), owner: r.get(1), epoch: r.get::<_, i64>(2) as u64, owners: r.get(3), access: r.get(4) }
}

fn status_code(status: EventStatus) -> i16 {
    match status {
        EventStatus::Accepted => 0,
        EventStatus::Refused => 1,
    }
}

impl HubTx for PgTx<'_> {
    fn lock(&mut self, name: &str) -> Result<()> {
        if self.write {
            // Keyed by schema too, so that hubs in different schemas of one server never wait
            // for each other.
            self.query("SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':' || $1, 0))", &[&name])?;
        }
        Ok(())
    }

    fn meta(&mut self, key: &str) -> Result<Option<String>> {
        Ok(self.query_opt("SELECT value FROM meta WHERE key = $1", &[&key])?.map(|r| r.get(0)))
    }

    fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.execute(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )?;
        Ok(())
    }

    fn office(&mut self, code: &str) -> Result<Option<Office>> {
        self.query_opt(&format!("{SELECT_OFFICE} WHERE code = $1"), &[&code])?.as_ref().map(row_to_office).transpose()
    }

    fn offices(&mut self) -> Result<Vec<Office>> {
        self.query(&format!("{SELECT_OFFICE} ORDER BY code"), &[])?.iter().map(row_to_office).collect()
    }

    fn insert_office(&mut self, o: &Office) -> Result<()> {
        self.execute(
            "INSERT INTO offices (code, name, level, parent_code, created_at_ms, feed_head, short_name, unit)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &o.code,
                &o.name,
                &o.level.as_str(),
                &o.parent_code,
                &o.created_at_ms,
                &(o.feed_head as i64),
                &o.short_name,
                &o.unit.as_str(),
            ],
        )?;
        Ok(())
    }

    fn update_office(&mut self, o: &Office) -> Result<()> {
        let changed = self.execute(
            "UPDATE offices SET name = $2, level = $3, parent_code = $4, short_name = $5, unit = $6 WHERE code = $1",
            &[&o.code, &o.name, &o.level.as_str(), &o.parent_code, &o.short_name, &o.unit.as_str()],
        )?;
        if changed == 0 {
            return Err(HubError::NotFound { what: "机关", id: o.code.clone() });
        }
        Ok(())
    }

    fn insert_token(&mut self, sha: &[u8; 32], t: &Token) -> Result<()> {
        self.execute(
            "INSERT INTO tokens (token_sha256, office_code, issued_at_ms, expires_at_ms, used_at_ms, used_by)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&sha.as_slice(), &t.office_code, &t.issued_at_ms, &t.expires_at_ms, &t.used_at_ms, &t.used_by],
        )?;
        Ok(())
    }

    fn token(&mut self, sha: &[u8; 32]) -> Result<Option<Token>> {
        // Locked when writing: two devices presenting one token at once use it once.
        let sql = format!(
            "SELECT office_code, issued_at_ms, expires_at_ms, used_at_ms, used_by FROM tokens WHERE token_sha256 = $1{}",
            self.for_update()
        );
        Ok(self.query_opt(&sql, &[&sha.as_slice()])?.map(|r| Token {
            office_code: r.get(0),
            issued_at_ms: r.get(1),
            expires_at_ms: r.get(2),
            used_at_ms: r.get(3),
            used_by: r.get(4),
        }))
    }

    fn use_token(&mut self, sha: &[u8; 32], device_id: &str, at_ms: i64) -> Result<()> {
        self.execute(
            "UPDATE tokens SET used_at_ms = $2, used_by = $3 WHERE token_sha256 = $1",
            &[&sha.as_slice(), &at_ms, &device_id],
        )?;
        Ok(())
    }

    fn device(&mut self, device_id: &str) -> Result<Option<Device>> {
        Ok(self.query_opt(&format!("{SELECT_DEVICE} WHERE device_id = $1"), &[&device_id])?.as_ref().map(row_to_device))
    }

    fn devices(&mut self) -> Result<Vec<Device>> {
        Ok(self
            .query(&format!("{SELECT_DEVICE} ORDER BY office_code, device_id"), &[])?
            .iter()
            .map(row_to_device)
            .collect())
    }

    fn insert_device(&mut self, d: &Device) -> Result<()> {
        self.execute(
            "INSERT INTO devices (device_id, office_code, alg, public_key, key_id, cert_serial, enrolled_at_ms,
                                  revoked_at_ms, revoke_reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &d.device_id,
                &d.office_code,
                &d.alg,
                &d.public_key,
                &d.key_id,
                &(d.cert_serial as i64),
                &d.enrolled_at_ms,
                &d.revoked_at_ms,
                &d.revoke_reason,
            ],
        )?;
        Ok(())
    }

    fn revoke_device(&mut self, device_id: &str, at_ms: i64, reason: &str) -> Result<bool> {
        let n = self.execute(
            "UPDATE devices SET revoked_at_ms = $2, revoke_reason = $3 WHERE device_id = $1 AND revoked_at_ms IS NULL",
            &[&device_id, &at_ms, &reason],
        )?;
        Ok(n == 1)
    }

    fn next_cert_serial(&mut self) -> Result<u64> {
        let row = self.query_opt("SELECT nextval('cert_serials')", &[])?;
        Ok(row.map_or(0, |r| r.get::<_, i64>(0)) as u64)
    }

    fn head(&mut self, device_id: &str) -> Result<Option<Head>> {
        Ok(self.query_opt("SELECT seq, hash, hlc FROM heads WHERE device_id = $1", &[&device_id])?.map(|r| Head {
            seq: r.get::<_, i64>(0) as u64,
            hash: hash32(r.get(1)),
            hlc: r.get::<_, i64>(2) as u64,
        }))
    }

    fn heads_of_office(&mut self, office_code: &str) -> Result<Vec<(String, u64)>> {
        Ok(self
            .query("SELECT device_id, seq FROM heads WHERE office_code = $1 ORDER BY device_id", &[&office_code])?
            .iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1) as u64))
            .collect())
    }

    fn set_head(&mut self, device_id: &str, office_code: &str, h: &Head) -> Result<()> {
        self.execute(
            "INSERT INTO heads (device_id, office_code, seq, hash, hlc) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, hlc = excluded.hlc",
            &[&device_id, &office_code, &(h.seq as i64), &h.hash.as_slice(), &(h.hlc as i64)],
        )?;
        Ok(())
    }

    fn event_hash(&mut self, device_id: &str, seq: u64) -> Result<Option<[u8; 32]>> {
        Ok(self
            .query_opt("SELECT hash FROM events WHERE origin_device = $1 AND seq = $2", &[&device_id, &(seq as i64)])?
            .map(|r| hash32(r.get(0))))
    }

    fn insert_event(&mut self, e: &Event, status: EventStatus, at_ms: i64) -> Result<i64> {
        Ok(self.insert_events(&[e], status, at_ms)?.first().copied().unwrap_or_default())
    }

    fn insert_events(&mut self, events: &[&Event], status: EventStatus, at_ms: i64) -> Result<Vec<i64>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        // An accepted event's id must be new among accepted events: within this batch (checked
        // here) and in the table, by the unique index `events_id` itself. An insert that meets an
        // id another writer has inserted waits for that writer; the violation it then reports is
        // therefore always an id already taken for good, and `pg_error` reports it as such. (A
        // look-up first was a planner's choice, which after a burst scanned the whole table; an
        // `ON CONFLICT` arbiter cost every insert 10–15% more.)
        if status == EventStatus::Accepted {
            let mut seen = HashSet::with_capacity(events.len());
            if let Some(dup) = events.iter().find(|e| !seen.insert(e.id.as_str())) {
                return Err(HubError::DuplicateEventId { id: dup.id.clone() });
            }
        }
        let text = |f: fn(&Event) -> &str| events.iter().map(|e| f(e)).collect::<Vec<&str>>();
        let ids = text(|e| &e.id);
        let offices = text(|e| &e.origin_office);
        let devices = text(|e| &e.origin_device);
        let actors = text(|e| &e.actor);
        let kinds = text(|e| &e.kind);
        let aggregates = text(|e| &e.aggregate);
        let seqs: Vec<i64> = events.iter().map(|e| e.seq as i64).collect();
        let hlcs: Vec<i64> = events.iter().map(|e| e.hlc as i64).collect();
        let payloads: Vec<&[u8]> = events.iter().map(|e| e.payload.as_slice()).collect();
        let prevs: Vec<&[u8]> = events.iter().map(|e| e.prev.as_slice()).collect();
        let hashes: Vec<&[u8]> = events.iter().map(|e| e.hash.as_slice()).collect();
        let rows = self.query(
            "INSERT INTO events (id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload, prev, hash,
                                 status, received_at_ms)
             SELECT t.id, t.oo, t.od, t.seq, t.hlc, t.actor, t.kind, t.agg, t.payload, t.prev, t.hash, $12, $13
             FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[],
                         $8::text[], $9::bytea[], $10::bytea[], $11::bytea[])
                  WITH ORDINALITY AS t(id, oo, od, seq, hlc, actor, kind, agg, payload, prev, hash, ord)
             ORDER BY t.ord
             RETURNING pos, origin_device, seq",
            &[
                &ids,
                &offices,
                &devices,
                &seqs,
                &hlcs,
                &actors,
                &kinds,
                &aggregates,
                &payloads,
                &prevs,
                &hashes,
                &status_code(status),
                &at_ms,
            ],
        )?;
        // (device, seq) is unique, so each returned position is matched to its event whatever
        // order the rows come back in.
        let by_key: std::collections::HashMap<(String, i64), i64> =
            rows.iter().map(|r| ((r.get::<_, String>(1), r.get::<_, i64>(2)), r.get::<_, i64>(0))).collect();
        events
            .iter()
            .map(|e| {
                by_key
                    .get(&(e.origin_device.clone(), e.seq as i64))
                    .copied()
                    .ok_or_else(|| HubError::Internal(format!("事件 {} 写入后未找到位置", e.id)))
            })
            .collect()
    }

    fn aggregate_positions(&mut self, aggregate: &str) -> Result<Vec<i64>> {
        Ok(self
            .query("SELECT pos FROM events WHERE aggregate = $1 AND status = 0 ORDER BY pos", &[&aggregate])?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn positions_of_kind(&mut self, origin_office: &str, kind: &str) -> Result<Vec<i64>> {
        Ok(self
            .query(
                "SELECT pos FROM events WHERE origin_office = $1 AND kind = $2 AND status = 0 ORDER BY pos",
                &[&origin_office, &kind],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn for_each_event(&mut self, f: &mut dyn FnMut(&Event, EventStatus) -> Result<()>) -> Result<()> {
        // Streamed row by row: a province's millions of events are never held in memory at once.
        let sql = format!("{SELECT_EVENT}, e.status FROM events e ORDER BY e.origin_device, e.seq");
        let stream = block(async {
            let stmt = self.client.prepare(&sql).await?;
            self.client.query_raw(&stmt, std::iter::empty::<&(dyn ToSql + Sync)>()).await
        })
        .map_err(|e| self.err(e))?;
        let mut stream = std::pin::pin!(stream);
        while let Some(row) = block(stream.next()) {
            let row = row.map_err(|e| self.err(e))?;
            let status = if row.get::<_, i16>(11) == 0 { EventStatus::Accepted } else { EventStatus::Refused };
            f(&row_to_event(&row), status)?;
        }
        Ok(())
    }

    fn aggregate(&mut self, id: &str) -> Result<Option<Aggregate>> {
        Ok(self.aggregates(&[id.to_owned()])?.pop())
    }

    fn aggregates(&mut self, ids: &[String]) -> Result<Vec<Aggregate>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // One index look-up per id, in id order (byte order, as every writer sorts them, so two
        // writers of overlapping aggregates queue rather than deadlock). Written so the planner
        // has no other choice: with `id = ANY($1)` or a plain join it scanned the whole table
        // whenever the table had grown since its statistics were taken, which a burst always
        // does (4–10 ms a change set in the province run, against a few microseconds).
        let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        ids.sort_unstable();
        ids.dedup();
        let sql = format!(
            "SELECT a.id, a.owner, a.epoch, a.owners, a.access FROM unnest($1::text[]) WITH ORDINALITY AS u(id, ord)
             CROSS JOIN LATERAL (SELECT * FROM aggregates x WHERE x.id = u.id LIMIT 1{}) a ORDER BY u.ord",
            self.for_update()
        );
        let found: Vec<Aggregate> = self.query(&sql, &[&ids])?.iter().map(row_to_aggregate).collect();
        if self.write {
            self.locked_aggregates.extend(found.iter().map(|a| a.id.clone()));
        }
        Ok(found)
    }

    fn put_aggregate(&mut self, a: &Aggregate) -> Result<()> {
        self.put_aggregates(std::slice::from_ref(a))
    }

    fn put_aggregates(&mut self, list: &[Aggregate]) -> Result<()> {
        let (update, insert): (Vec<&Aggregate>, Vec<&Aggregate>) =
            list.iter().partition(|a| self.locked_aggregates.contains(&a.id));
        for (rows, sql) in [
            (
                update,
                "UPDATE aggregates a SET owner = t.owner, epoch = t.epoch, owners = t.owners, access = t.access
                 FROM (SELECT id, owner, epoch, string_to_array(owners, ',') AS owners, string_to_array(access, ',') AS access
                       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[]) AS u(id, owner, epoch, owners, access)) t
                 WHERE a.id = t.id",
            ),
            (
                // Never an upsert: a new aggregate inserted by another writer first makes this
                // write lose the race and run again, when it reads the other's owner.
                insert,
                "INSERT INTO aggregates (id, owner, epoch, owners, access)
                 SELECT id, owner, epoch, string_to_array(owners, ','), string_to_array(access, ',')
                 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[]) AS u(id, owner, epoch, owners, access)",
            ),
        ] {
            if rows.is_empty() {
                continue;
            }
            let ids: Vec<&str> = rows.iter().map(|a| a.id.as_str()).collect();
            let owners: Vec<&str> = rows.iter().map(|a| a.owner.as_str()).collect();
            let epochs: Vec<i64> = rows.iter().map(|a| a.epoch as i64).collect();
            // Office codes are six digits, so a comma-joined list is unambiguous and lets one
            // statement carry a list per row (unnest cannot take an array of arrays of varying length).
            let all_owners: Vec<String> = rows.iter().map(|a| a.owners.join(",")).collect();
            let access: Vec<String> = rows.iter().map(|a| a.access.join(",")).collect();
            self.execute(sql, &[&ids, &owners, &epochs, &all_owners, &access])?;
        }
        if self.write {
            self.locked_aggregates.extend(list.iter().map(|a| a.id.clone()));
        }
        Ok(())
    }

    fn feed_append(&mut self, office_code: &str, positions: &[i64]) -> Result<()> {
        // Held back to the transaction's (or its group's) end, where every office's appends are
        // made by one statement (`finish_write`, `GroupConn::commit`).
        let Some(deferred) = self.deferred_feeds.as_mut() else {
            return Err(HubError::Internal("只读事务不能追加分发记录".into()));
        };
        deferred.entry(office_code.to_owned()).or_default().extend_from_slice(positions);
        Ok(())
    }

    fn feed_append_all(&mut self, positions: &[i64]) -> Result<()> {
        for office in self.offices()? {
            self.feed_append(&office.code, positions)?;
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
            .query_opt("SELECT feed_head FROM offices WHERE code = $1", &[&office_code])?
            .ok_or_else(|| HubError::NotFound { what: "机关", id: office_code.to_owned() })?
            .get(0);
        let head = head as u64;
        // The caller's own events are skipped by the server, within a window of at most
        // `max_scan` feed rows; the page then covers the whole window unless it filled up first.
        // Kept a run's length below the largest bigint: the query adds that much to it.
        let window_end = after.saturating_add(limits.max_scan as u64).min((i64::MAX - FEED_RUN as i64) as u64);
        // First the window's positions, from its runs (a few rows of arrays), then their events
        // in chunks, in feed order, until the page is full or the window ends. One statement
        // joining the runs' positions to the events let the planner join the whole window (up
        // to `max_scan` events) before sorting it for the page: 7 ms a page in the province run.
        let runs = self.query(
            "SELECT first_seq, positions FROM feed_runs
             WHERE office_code = $1 AND last_seq > $2 AND last_seq < $3::bigint + $4::bigint AND first_seq <= $3
             ORDER BY last_seq",
            &[&office_code, &(after as i64), &(window_end as i64), &(FEED_RUN as i64)],
        )?;
        let mut window: Vec<(u64, i64)> = Vec::new();
        for run in &runs {
            let first: i64 = run.get(0);
            let positions: Vec<i64> = run.get(1);
            for (i, pos) in positions.into_iter().enumerate() {
                let seq = (first + i as i64) as u64;
                if seq > after && seq <= window_end {
                    window.push((seq, pos));
                }
            }
        }
        let mut page = PageFill::default();
        let mut cursor = None;
        let mut full = false;
        for chunk in window.chunks(limits.max_events.max(1)) {
            let positions: Vec<i64> = chunk.iter().map(|(_, pos)| *pos).collect();
            let rows = self.query(
                &format!(
                    "{SELECT_EVENT}, u.ord FROM unnest($1::bigint[]) WITH ORDINALITY AS u(pos, ord)
                     JOIN events e ON e.pos = u.pos WHERE e.origin_device <> $2 ORDER BY u.ord"
                ),
                &[&positions, &exclude_device],
            )?;
            for row in &rows {
                if page.events.len() >= limits.max_events || !page.push(row_to_event(row), &limits) {
                    full = true;
                    break;
                }
                let ord: i64 = row.get(11);
                cursor = Some(chunk[(ord - 1) as usize].0);
            }
            if full || page.events.len() >= limits.max_events {
                full = true;
                break;
            }
        }
        let cursor = match cursor {
            Some(last) if full => last,
            _ => window_end.min(head).max(after),
        };
        Ok(FeedRows { events: page.events, cursor, more: cursor < head })
    }

    fn office_log_page(&mut self, office_code: &str, after: u64, limits: FeedLimits) -> Result<FeedRows> {
        let rows = self.query(
            &format!(
                "{SELECT_EVENT}, e.pos FROM events e WHERE e.origin_office = $1 AND e.pos > $2 ORDER BY e.pos LIMIT $3"
            ),
            &[&office_code, &(after as i64), &(limits.max_events as i64)],
        )?;
        let mut page = PageFill::default();
        let mut cursor = after;
        for row in &rows {
            if !page.push(row_to_event(row), &limits) {
                break;
            }
            cursor = row.get::<_, i64>(11) as u64;
        }
        let more: bool = self
            .query_opt(
                "SELECT EXISTS (SELECT 1 FROM events WHERE origin_office = $1 AND pos > $2)",
                &[&office_code, &(cursor as i64)],
            )?
            .map(|r| r.get(0))
            .unwrap_or(false);
        Ok(FeedRows { events: page.events, cursor, more })
    }

    fn receipt(&mut self, id: &[u8; 32]) -> Result<Option<StoredReceipt>> {
        Ok(self
            .query_opt(
                "SELECT device_id, first_seq, last_seq, outcome, signed FROM receipts WHERE changeset_id = $1",
                &[&id.as_slice()],
            )?
            .map(|r| StoredReceipt {
                changeset_id: *id,
                device_id: r.get(0),
                first_seq: r.get::<_, i64>(1) as u64,
                last_seq: r.get::<_, i64>(2) as u64,
                outcome: r.get(3),
                signed: r.get(4),
            }))
    }

    fn put_receipt(&mut self, r: &StoredReceipt, at_ms: i64) -> Result<()> {
        self.execute(
            "INSERT INTO receipts (changeset_id, device_id, first_seq, last_seq, outcome, signed, at_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (changeset_id) DO NOTHING",
            &[
                &r.changeset_id.as_slice(),
                &r.device_id,
                &(r.first_seq as i64),
                &(r.last_seq as i64),
                &r.outcome,
                &r.signed,
                &at_ms,
            ],
        )?;
        Ok(())
    }

    fn receipts_after(&mut self, device_id: &str, after_seq: u64) -> Result<Vec<StoredReceipt>> {
        Ok(self
            .query(
                "SELECT changeset_id, first_seq, last_seq, outcome, signed FROM receipts
                 WHERE device_id = $1 AND last_seq > $2 ORDER BY first_seq, last_seq",
                &[&device_id, &(after_seq as i64)],
            )?
            .iter()
            .map(|r| StoredReceipt {
                changeset_id: hash32(r.get(0)),
                device_id: device_id.to_owned(),
                first_seq: r.get::<_, i64>(1) as u64,
                last_seq: r.get::<_, i64>(2) as u64,
                outcome: r.get(3),
                signed: r.get(4),
            })
            .collect())
    }

    fn put_waiting(&mut self, w: &Waiting, at_ms: i64) -> Result<()> {
        self.execute(
            "INSERT INTO waiting (changeset_id, device_id, first_seq, last_seq, signed, received_at_ms)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (changeset_id) DO NOTHING",
            &[&w.changeset_id.as_slice(), &w.device_id, &(w.first_seq as i64), &(w.last_seq as i64), &w.signed, &at_ms],
        )?;
        Ok(())
    }

    fn waiting_ready(&mut self, device_id: &str, first_seq_at_most: u64) -> Result<Vec<Waiting>> {
        Ok(self
            .query(
                "SELECT changeset_id, first_seq, last_seq, signed FROM waiting
                 WHERE device_id = $1 AND first_seq <= $2 ORDER BY first_seq, last_seq",
                &[&device_id, &(first_seq_at_most as i64)],
            )?
            .iter()
            .map(|r| Waiting {
                changeset_id: hash32(r.get(0)),
                device_id: device_id.to_owned(),
                first_seq: r.get::<_, i64>(1) as u64,
                last_seq: r.get::<_, i64>(2) as u64,
                signed: r.get(3),
            })
            .collect())
    }

    fn remove_waiting(&mut self, id: &[u8; 32]) -> Result<()> {
        self.execute("DELETE FROM waiting WHERE changeset_id = $1", &[&id.as_slice()])?;
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
        self.execute(
            "INSERT INTO alarms (at_ms, kind, office_code, device_id, detail) VALUES ($1, $2, $3, $4, $5)",
            &[&at_ms, &kind, &office_code, &device_id, &detail],
        )?;
        Ok(())
    }

    fn alarms(&mut self) -> Result<Vec<Alarm>> {
        Ok(self
            .query("SELECT id, at_ms, kind, office_code, device_id, detail FROM alarms ORDER BY id", &[])?
            .iter()
            .map(|r| Alarm {
                id: r.get(0),
                at_ms: r.get(1),
                kind: r.get(2),
                office_code: r.get(3),
                device_id: r.get(4),
                detail: r.get(5),
            })
            .collect())
    }

    fn remember_nonce(&mut self, device_id: &str, nonce: &[u8], expires_at_ms: i64, now_ms: i64) -> Result<bool> {
        self.execute("DELETE FROM auth_nonces WHERE expires_at_ms < $1", &[&now_ms])?;
        // ON CONFLICT DO NOTHING, not a unique violation: two hub processes given one header at
        // once answer one of them and refuse the other as a replay, without a retry.
        let added = self.execute(
            "INSERT INTO auth_nonces (device_id, nonce, expires_at_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&device_id, &nonce, &expires_at_ms],
        )?;
        Ok(added == 1)
    }

    fn latest_alarm_ms(&mut self, kind: &str, device_id: &str) -> Result<Option<i64>> {
        Ok(self
            .query_opt("SELECT max(at_ms) FROM alarms WHERE kind = $1 AND device_id = $2", &[&kind, &device_id])?
            .and_then(|r| r.get(0)))
    }

    fn add_blob_ref(&mut self, sha256: &[u8; 32], size: u64, pos: i64) -> Result<()> {
        self.execute(
            "INSERT INTO blob_refs (sha256, size, pos) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&sha256.as_slice(), &(size.min(i64::MAX as u64) as i64), &pos],
        )?;
        Ok(())
    }

    fn blob_ref_size(&mut self, sha256: &[u8; 32]) -> Result<Option<u64>> {
        Ok(self
            .query_opt("SELECT max(size) FROM blob_refs WHERE sha256 = $1", &[&sha256.as_slice()])?
            .and_then(|r| r.get::<_, Option<i64>>(0))
            .map(|s| s as u64))
    }

    fn blob_in_feed_of(&mut self, office_code: &str, sha256: &[u8; 32]) -> Result<bool> {
        Ok(self
            .query_opt(
                "SELECT 1 FROM blob_offices WHERE sha256 = $1 AND office_code = $2",
                &[&sha256.as_slice(), &office_code],
            )?
            .is_some())
    }

    fn blob_progress(&mut self, sha256: &[u8; 32]) -> Result<Option<BlobProgress>> {
        // Locked when writing: two hub processes receiving chunks of one blob take turns.
        let sql = format!("SELECT size, received, complete FROM blobs WHERE sha256 = $1{}", self.for_update());
        Ok(self.query_opt(&sql, &[&sha256.as_slice()])?.map(|r| BlobProgress {
            size: r.get::<_, i64>(0) as u64,
            received: r.get::<_, i64>(1) as u64,
            complete: r.get(2),
        }))
    }

    fn put_blob_chunk(&mut self, sha256: &[u8; 32], size: u64, offset: u64, bytes: &[u8]) -> Result<()> {
        // A chunk another process stored first at this offset makes this insert fail as a
        // contention: the write is run again and then sees where the blob now ends.
        self.execute(
            "INSERT INTO blob_chunks (sha256, \"offset\", bytes) VALUES ($1, $2, $3)",
            &[&sha256.as_slice(), &(offset as i64), &bytes],
        )?;
        self.execute(
            "INSERT INTO blobs (sha256, size, received) VALUES ($1, $2, $3)
             ON CONFLICT (sha256) DO UPDATE SET received = excluded.received",
            &[&sha256.as_slice(), &(size as i64), &((offset + bytes.len() as u64) as i64)],
        )?;
        Ok(())
    }

    fn blob_chunk(&mut self, sha256: &[u8; 32], offset: u64) -> Result<Option<Vec<u8>>> {
        Ok(self
            .query_opt(
                "SELECT bytes FROM blob_chunks WHERE sha256 = $1 AND \"offset\" = $2",
                &[&sha256.as_slice(), &(offset as i64)],
            )?
            .map(|r| r.get(0)))
    }

    fn for_each_blob_chunk(&mut self, sha256: &[u8; 32], f: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        // Streamed chunk by chunk, so a blob of many megabytes is never held whole.
        let stream = block(async {
            let stmt = self
                .client
                .prepare_cached("SELECT bytes FROM blob_chunks WHERE sha256 = $1 ORDER BY \"offset\"")
                .await?;
            self.client.query_raw(&stmt, [&sha256.as_slice() as &(dyn ToSql + Sync)]).await
        })
        .map_err(|e| self.err(e))?;
        let mut stream = std::pin::pin!(stream);
        while let Some(row) = block(stream.next()) {
            let row = row.map_err(|e| self.err(e))?;
            f(row.get::<_, &[u8]>(0))?;
        }
        Ok(())
    }

    fn finish_blob(&mut self, sha256: &[u8; 32], complete: bool, at_ms: i64) -> Result<()> {
        if complete {
            self.execute(
                "UPDATE blobs SET complete = true, completed_at_ms = $2 WHERE sha256 = $1",
                &[&sha256.as_slice(), &at_ms],
            )?;
        } else {
            self.execute("DELETE FROM blob_chunks WHERE sha256 = $1", &[&sha256.as_slice()])?;
            self.execute("DELETE FROM blobs WHERE sha256 = $1", &[&sha256.as_slice()])?;
        }
        Ok(())
    }

    fn blob_list(&mut self) -> Result<Vec<BlobEntry>> {
        Ok(self
            .query(
                "SELECT r.sha256, max(r.size), coalesce(b.received, 0), coalesce(b.complete, false)
                 FROM blob_refs r LEFT JOIN blobs b ON b.sha256 = r.sha256
                 GROUP BY r.sha256, b.received, b.complete ORDER BY r.sha256",
                &[],
            )?
            .iter()
            .map(|r| BlobEntry {
                sha256: r.get(0),
                size: r.get::<_, i64>(1) as u64,
                received: r.get::<_, i64>(2) as u64,
                complete: r.get(3),
            })
            .collect())
    }

    fn integrity_problems(&mut self) -> Result<Vec<String>> {
        // The server checks its own pages (data checksums, WAL), and damage it finds is an error
        // on the query that meets it; there is no quick_check to run from here.
        Ok(Vec::new())
    }

    fn counts(&mut self) -> Result<Counts> {
        let row = self
            .query_opt(
                "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM offices), (SELECT count(*) FROM devices),
                        (SELECT count(*) FROM alarms), (SELECT count(*) FROM waiting)",
                &[],
            )?
            .ok_or_else(|| HubError::Internal("统计查询无结果".into()))?;
        Ok(Counts {
            events: row.get::<_, i64>(0) as u64,
            offices: row.get::<_, i64>(1) as u64,
            devices: row.get::<_, i64>(2) as u64,
            alarms: row.get::<_, i64>(3) as u64,
            waiting: row.get::<_, i64>(4) as u64,
        })
    }
}
