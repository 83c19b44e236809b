//! Group commit, shared by both stores: the concurrent writes of one hub process run one after
//! another in savepoints of one database transaction, and one `COMMIT` (one disk flush, one turn
//! at the feed rows every writer needs) makes the whole group durable.
//!
//! Two hundred offices syncing at once would otherwise queue two hundred flushes behind each
//! other, each holding the province's feed row until its own flush is done. Each write stays
//! atomic (a write that fails is rolled back to its savepoint and the others are kept) and is
//! durable when it returns: no write returns before its group's `COMMIT` has succeeded, and when
//! that fails every write of the group fails with it, so nothing is acknowledged that was lost.
//!
//! There is no writer thread: the first caller to find the group ready (no other write waiting to
//! join it, or the group full or old enough) commits it, while the others wait on a condition
//! variable. A write that loses a race with another process (a deadlock, a key inserted first,
//! reported as `HubError::Contention`) may be waiting for a lock its own group holds through an
//! earlier write; its savepoint is rolled back, the group is committed at once with the others'
//! work, and the write runs again in a new group.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::{HubError, Result};
use crate::storage::HubTx;

/// A group closes once no other write has joined it for [`GROUP_LINGER`] and none is waiting to,
/// or once it holds this many writes or has been open this long: bounds on how long an early
/// write waits for its `COMMIT`. A commit costs a disk flush (15 ms on the benchmark machine), so
/// waiting a little for the next change set of a crowd is cheaper than a commit of its own; the
/// first benchmark without the linger made groups of ten, each waiting for the previous flush.
const GROUP_MAX_JOBS: usize = 256;
const GROUP_MAX_AGE: Duration = Duration::from_millis(100);
const GROUP_LINGER: Duration = Duration::from_millis(2);

/// How many times a write that lost a race is run again before its error is returned.
const WRITE_ATTEMPTS: usize = 30;

/// The database side of a group: one connection and its transaction.
pub(crate) trait GroupConn {
    /// Begins the group's transaction.
    fn begin(&mut self) -> Result<()>;
    /// Runs one write in a savepoint of the open transaction, rolled back to the savepoint when
    /// `f` fails. The inner result is the write's own; an outer `Err` means the transaction itself
    /// is lost, and the group with it.
    fn run<R>(&mut self, f: &mut dyn FnMut(&mut dyn HubTx) -> Result<R>) -> Result<Result<R>>;
    /// Ends the group: whatever its writes deferred is written, then `COMMIT`.
    fn commit(&mut self) -> Result<()>;
    /// Abandons the group's transaction after a failed `run` or `commit`.
    fn abandon(&mut self);
}

/// What the groups did since the process started (`/metrics`, and the benchmark's profile).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GroupStats {
    /// Groups committed.
    pub commits: u64,
    /// Writes made durable by those groups.
    pub writes: u64,
    /// Seconds spent running writes inside their savepoints (the serial part of a write).
    pub write_seconds: f64,
    /// Seconds spent committing: deferred feed appends, then `COMMIT` and its flush.
    pub commit_seconds: f64,
}

#[derive(Debug, Default)]
struct Counters {
    commits: AtomicU64,
    writes: AtomicU64,
    write_micros: AtomicU64,
    commit_micros: AtomicU64,
}

/// Concurrent writes over one connection, committed in groups.
#[derive(Debug)]
pub(crate) struct GroupCommit<C> {
    state: Mutex<State<C>>,
    /// Signalled whenever a group ends (committed or failed) or a write leaves the queue.
    done: Condvar,
    /// Writes that have asked for the connection and not yet finished their own work.
    in_flight: AtomicUsize,
    counters: Counters,
}

#[derive(Debug)]
struct State<C> {
    conn: C,
    open: Option<Open>,
    next_group: u64,
    /// Every group up to this number has ended.
    ended_through: u64,
    /// Recent groups whose commit failed, with the error their writes return.
    failed: Vec<(u64, HubError)>,
}

/// The group now open.
#[derive(Debug)]
struct Open {
    group: u64,
    started: Instant,
    /// When the last write joined it.
    joined: Instant,
    /// Writes it holds.
    jobs: usize,
    /// Commit at once: a write of this group lost a race and must run again in a new group.
    close_now: bool,
}

impl<C: GroupConn> GroupCommit<C> {
    pub(crate) fn new(conn: C) -> Self {
        GroupCommit {
            state: Mutex::new(State { conn, open: None, next_group: 1, ended_through: 0, failed: Vec::new() }),
            done: Condvar::new(),
            in_flight: AtomicUsize::new(0),
            counters: Counters::default(),
        }
    }

    /// The connection itself, for tests that look underneath; waits for the open group to end.
    #[cfg(test)]
    pub(crate) fn with_conn<R>(&self, f: impl FnOnce(&mut C) -> R) -> R {
        let mut st = self.lock();
        while st.open.is_some() {
            st = self.done.wait_timeout(st, Duration::from_millis(2)).unwrap_or_else(|p| p.into_inner()).0;
        }
        f(&mut st.conn)
    }

    pub(crate) fn stats(&self) -> GroupStats {
        let c = &self.counters;
        GroupStats {
            commits: c.commits.load(Ordering::Relaxed),
            writes: c.writes.load(Ordering::Relaxed),
            write_seconds: c.write_micros.load(Ordering::Relaxed) as f64 / 1e6,
            commit_seconds: c.commit_micros.load(Ordering::Relaxed) as f64 / 1e6,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<C>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` in the open group (or a new one) and returns once the group is durable. A write
    /// that lost a race is run again, in a new group, a bounded number of times.
    pub(crate) fn write<R>(&self, mut f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.write_once(&mut f) {
                Err(HubError::Contention(why)) if attempt < WRITE_ATTEMPTS => {
                    // Wait a little (more each time, with jitter, so two losers do not collide again).
                    let jitter: u64 = rand::Rng::gen_range(&mut rand::thread_rng(), 0..=(attempt as u64 * 3));
                    tracing::debug!(attempt, reason = %why, "grouped write lost a race; running it again");
                    std::thread::sleep(Duration::from_millis(attempt as u64 + jitter));
                }
                other => return other,
            }
        }
    }

    fn write_once<R>(&self, f: &mut dyn FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        let mut st = self.lock();
        let started = Instant::now();
        let ran = Self::run_in_group(&mut st, f);
        self.counters.write_micros.fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let (group, out) = match ran {
            Ok(done) => done,
            Err(e) => {
                // The group's transaction is in an unknown state: end it, failing every write in it.
                Self::end_group(&mut st, Some(replicate(&e)));
                self.done.notify_all();
                return Err(e);
            }
        };
        if out.is_err() {
            if matches!(out, Err(HubError::Contention(_)))
                && let Some(open) = st.open.as_mut()
            {
                open.close_now = true;
            }
            // Nothing of this write remains to be made durable; others may be waiting for it to
            // leave the queue before they commit. It still waits for its group to end: were it the
            // group's only write, returning now would leave the transaction open, and its locks
            // with it, until the next write of this process.
            self.done.notify_all();
        }
        loop {
            if st.ended_through >= group {
                if out.is_ok()
                    && let Some((_, e)) = st.failed.iter().find(|(g, _)| *g == group)
                {
                    return Err(replicate(e));
                }
                return out;
            }
            let ready = match &st.open {
                Some(open) => {
                    open.close_now
                        || (self.in_flight.load(Ordering::SeqCst) == 0 && open.joined.elapsed() >= GROUP_LINGER)
                        || open.jobs >= GROUP_MAX_JOBS
                        || open.started.elapsed() >= GROUP_MAX_AGE
                }
                None => true,
            };
            if ready {
                let started = Instant::now();
                let committed = st.conn.commit();
                self.counters.commit_micros.fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
                if committed.is_ok() {
                    let jobs = st.open.as_ref().map_or(0, |o| o.jobs as u64);
                    self.counters.commits.fetch_add(1, Ordering::Relaxed);
                    self.counters.writes.fetch_add(jobs, Ordering::Relaxed);
                    tracing::debug!(writes = jobs, micros = started.elapsed().as_micros() as u64, "group committed");
                }
                Self::end_group(&mut st, committed.err());
                self.done.notify_all();
                continue;
            }
            st = self.done.wait_timeout(st, Duration::from_millis(1)).unwrap_or_else(|p| p.into_inner()).0;
        }
    }

    /// Runs one write in a savepoint of the open group (beginning one if none is open). Returns
    /// the group's number and the write's own result; an `Err` of the outer result means the
    /// group's transaction itself failed.
    fn run_in_group<R>(
        st: &mut MutexGuard<'_, State<C>>,
        f: &mut dyn FnMut(&mut dyn HubTx) -> Result<R>,
    ) -> Result<(u64, Result<R>)> {
        let group = match &st.open {
            Some(open) => open.group,
            None => {
                st.conn.begin()?;
                let group = st.next_group;
                st.next_group += 1;
                let now = Instant::now();
                st.open = Some(Open { group, started: now, joined: now, jobs: 0, close_now: false });
                group
            }
        };
        let out = st.conn.run(f)?;
        if let Some(open) = st.open.as_mut() {
            open.jobs += 1;
            open.joined = Instant::now();
        }
        Ok((group, out))
    }

    /// Ends the open group after its `COMMIT`, or abandons it with `failure`, so its writes can
    /// return.
    fn end_group(st: &mut MutexGuard<'_, State<C>>, failure: Option<HubError>) {
        let Some(open) = st.open.take() else {
            return;
        };
        if let Some(e) = failure {
            st.conn.abandon();
            st.failed.push((open.group, e));
            // Only writes of recent groups are still waiting; older numbers can go.
            let keep_from = st.failed.len().saturating_sub(64);
            st.failed.drain(..keep_from);
        }
        st.ended_through = open.group;
    }
}

/// The error each write of a failed group returns: the same kind (so a lost race runs again and
/// a server that went away is still a 503), with the message of the first.
fn replicate(e: &HubError) -> HubError {
    match e {
        HubError::Contention(s) => HubError::Contention(s.clone()),
        HubError::Unavailable(s) => HubError::Unavailable(s.clone()),
        HubError::Postgres(s) => HubError::Postgres(s.clone()),
        other => HubError::Internal(format!("写入数据库失败（提交未成功：{other}），请重试。")),
    }
}
