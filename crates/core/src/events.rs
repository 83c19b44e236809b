//! The append-only event log: appending to a per-origin hash chain, reading, and verifying.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use qingfeng_log::encoding::EventBody;

use crate::error::{CoreError, Result};

// The event, its chain and the check of a chain live in the shared log crate, so the hub builds
// and checks chains with the same code; they stay reachable here at their old paths.
pub use qingfeng_log::event::{ChainBreak, ChainCursor, ChainHead, Event, GENESIS, HLC_COUNTER_BITS, NewEvent};

/// Reads the head of `device`'s chain.
pub fn load_head(conn: &Connection, origin_office: &str, origin_device: &str) -> Result<ChainHead> {
    let last = conn
        .query_row(
            "SELECT seq, hash, hlc FROM events WHERE origin_device = ?1 ORDER BY seq DESC LIMIT 1",
            [origin_device],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, i64>(2)?)),
        )
        .optional()?;
    let (seq, hash, hlc) = match last {
        Some((seq, hash, hlc)) => (seq as u64, to_hash(&hash)?, hlc as u64),
        None => (0, GENESIS, 0),
    };
    // Events received from other offices push the clock forward (hybrid logical clock).
    let seen: Option<String> = conn
        .prepare_cached("SELECT CAST(value AS TEXT) FROM sync_state WHERE key = 'hlc_seen'")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let hlc = hlc.max(seen.and_then(|s| s.parse().ok()).unwrap_or(0));
    Ok(ChainHead::new(origin_office, origin_device, seq, hash, hlc))
}

/// Appends one event to the chain whose head is `head`, inside `tx`.
pub fn append(
    tx: &Transaction<'_>,
    head: &mut ChainHead,
    actor: &str,
    new: NewEvent,
    now_millis: i64,
) -> Result<Event> {
    let event = head.append(actor, new, now_millis);
    insert(tx, &event)?;
    Ok(event)
}

fn to_hash(bytes: &[u8]) -> Result<[u8; 32]> {
    bytes.try_into().map_err(|_| CoreError::Tampered(format!("hash of length {} (expected 32)", bytes.len())))
}

const SELECT_EVENT: &str =
    "SELECT id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload, prev, hash FROM events";

/// Reads an event from a row whose first eleven columns are, in order, id, origin_office,
/// origin_device, seq, hlc, actor, kind, aggregate, payload, prev and hash (as every event
/// table here and at the hub stores them).
pub fn row_to_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    // The schema checks both lengths; a mismatch means the file was edited underneath it, which
    // `verify` reports. Reading code gets zeros rather than a panic.
    let fixed = |i: usize| -> rusqlite::Result<[u8; 32]> { Ok(r.get_ref(i)?.as_blob()?.try_into().unwrap_or([0; 32])) };
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
        prev: fixed(9)?,
        hash: fixed(10)?,
    })
}

/// Stores an event as it is: one of this device's, just hashed, or one that arrived from
/// elsewhere and was checked by the caller.
pub fn insert(tx: &Transaction<'_>, event: &Event) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO events (id, origin_office, origin_device, seq, hlc, actor, kind, aggregate, payload, prev, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        event.id,
        event.origin_office,
        event.origin_device,
        event.seq as i64,
        event.hlc as i64,
        event.actor,
        event.kind,
        event.aggregate,
        event.payload,
        event.prev.as_slice(),
        event.hash.as_slice(),
    ])?;
    Ok(())
}

/// One device's events after `after_seq`, in seq order, at most `max`.
pub fn for_device_after(conn: &Connection, device: &str, after_seq: u64, max: usize) -> Result<Vec<Event>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT_EVENT} WHERE origin_device = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"))?;
    let rows = stmt.query_map(params![device, after_seq as i64, max as i64], row_to_event)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Calls `f` for every event in local application order (the order `rebuild` replays).
pub fn for_each_in_log_order(conn: &Connection, mut f: impl FnMut(Event) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(&format!("{SELECT_EVENT} ORDER BY pos"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(row_to_event(row)?)?;
    }
    Ok(())
}

/// The events of one aggregate, oldest first.
pub fn for_aggregate(conn: &Connection, aggregate: &str) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(&format!("{SELECT_EVENT} WHERE aggregate = ?1 ORDER BY pos"))?;
    let rows = stmt.query_map([aggregate], row_to_event)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The events of one aggregate at or before log position `through`, oldest first: a replay of
/// the case as it stood when the event at `through` was applied. In a rebuild the table already
/// holds what arrived later, which such a replay must not see.
pub fn for_aggregate_through(conn: &Connection, aggregate: &str, through: i64) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(&format!("{SELECT_EVENT} WHERE aggregate = ?1 AND pos <= ?2 ORDER BY pos"))?;
    let rows = stmt.query_map(params![aggregate, through], row_to_event)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The log position of an event this replica holds. Every path inserts an event before applying
/// it, so an event being applied has one; the newest position stands in for one that has not.
pub fn pos_of(conn: &Connection, id: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT coalesce((SELECT pos FROM events WHERE id = ?1), (SELECT max(pos) FROM events), 0)")?
        .query_row([id], |r| r.get(0))?)
}

/// One event by its id, if this replica holds it.
pub fn by_id(conn: &Connection, id: &str) -> Result<Option<Event>> {
    use rusqlite::OptionalExtension;
    let mut stmt = conn.prepare_cached(&format!("{SELECT_EVENT} WHERE id = ?1"))?;
    Ok(stmt.query_row([id], row_to_event).optional()?)
}

/// The most recent `limit` events, newest first.
pub fn recent(conn: &Connection, limit: u32) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare(&format!("{SELECT_EVENT} ORDER BY pos DESC LIMIT ?1"))?;
    let rows = stmt.query_map([limit], row_to_event)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What `verify` found for one origin's chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    pub origin_office: String,
    pub origin_device: String,
    pub events: u64,
    pub head_seq: u64,
    pub head_hash: String,
}

/// The first event that breaks a chain, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainProblem {
    pub origin_device: String,
    pub seq: u64,
    pub event_id: String,
    pub reason: String,
}

/// The result of walking every chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    pub events: u64,
    pub chains: Vec<ChainReport>,
    pub problem: Option<ChainProblem>,
}

/// Walks every origin's chain and stops at the first event that was altered, removed or moved.
///
/// `own_device`'s chain must be whole from seq 1. Other devices' chains may have gaps: an office
/// holds only the events it is entitled to, and only the hub holds every chain whole. For them
/// every event's hash is checked, and the `prev` link wherever the previous seq is held.
///
/// Fields are read as borrowed slices straight from SQLite's row buffer and hashed in place: this
/// runs over every event an office ever recorded, so it must not allocate per row.
pub fn verify(conn: &Connection, own_device: &str) -> Result<VerifyReport> {
    let mut stmt = conn.prepare(&format!("{SELECT_EVENT} ORDER BY origin_device, seq"))?;
    let mut rows = stmt.query([])?;
    let mut chains: Vec<ChainReport> = Vec::new();
    let mut total = 0u64;
    let mut cursor = ChainCursor::default();
    while let Some(row) = rows.next()? {
        let bad = |i: usize| move |e| CoreError::Tampered(format!("column {i} has the wrong type: {e}"));
        let text = |i: usize| -> Result<&str> { row.get_ref(i)?.as_str().map_err(bad(i)) };
        let blob = |i: usize| -> Result<&[u8]> { row.get_ref(i)?.as_blob().map_err(bad(i)) };
        let (id, origin_office, origin_device) = (text(0)?, text(1)?, text(2)?);
        let seq = row.get::<_, i64>(3)? as u64;
        let (prev, hash) = (blob(9)?, blob(10)?);
        total += 1;
        if chains.last().is_none_or(|c| c.origin_device != origin_device) {
            if let Some(done) = chains.last_mut() {
                done.head_hash = hex::encode(cursor.hash());
            }
            cursor = ChainCursor::default();
            chains.push(ChainReport {
                origin_office: origin_office.to_owned(),
                origin_device: origin_device.to_owned(),
                events: 0,
                head_seq: 0,
                head_hash: String::new(),
            });
        }
        let Some(chain) = chains.last_mut() else {
            continue;
        };
        // This device's own chain must be whole; another device's may have gaps here.
        let whole = origin_device == own_device;
        let outcome = match <&[u8; 32]>::try_from(prev) {
            Err(_) if !whole || seq == cursor.seq() + 1 => Err(ChainBreak::BadLength),
            Err(_) => Err(ChainBreak::SeqGap { after: cursor.seq(), found: seq }),
            Ok(prev) => {
                let body = EventBody {
                    id,
                    origin_office,
                    origin_device,
                    seq,
                    hlc: row.get::<_, i64>(4)? as u64,
                    actor: text(5)?,
                    kind: text(6)?,
                    aggregate: text(7)?,
                    payload: blob(8)?,
                    prev,
                };
                if whole { cursor.follow(&body, hash) } else { cursor.follow_partial(&body, hash) }
            }
        };
        if let Err(reason) = outcome {
            let problem = ChainProblem {
                origin_device: origin_device.to_owned(),
                seq,
                event_id: id.to_owned(),
                reason: reason.to_string(),
            };
            return Ok(VerifyReport { ok: false, events: total, chains, problem: Some(problem) });
        }
        chain.events += 1;
        chain.head_seq = seq;
    }
    if let Some(last) = chains.last_mut() {
        last.head_hash = hex::encode(cursor.hash());
    }
    Ok(VerifyReport { ok: true, events: total, chains, problem: None })
}
