//! The append-only event log: appending to a per-origin hash chain, reading, and verifying.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::encoding::{self, EventBody};
use crate::error::{CoreError, Result};

/// The `prev` of the first event in a chain.
pub const GENESIS: [u8; 32] = [0u8; 32];

/// An event about to be appended: what happened, to which aggregate, with which payload.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: &'static str,
    pub aggregate: String,
    /// Canonical CBOR.
    pub payload: Vec<u8>,
}

impl NewEvent {
    /// Encodes `payload` canonically.
    pub fn new<T: Serialize>(kind: &'static str, aggregate: impl Into<String>, payload: &T) -> Result<Self> {
        Ok(NewEvent { kind, aggregate: aggregate.into(), payload: encoding::to_canonical_cbor(payload)? })
    }
}

/// An event as stored in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: String,
    pub origin_office: String,
    pub origin_device: String,
    pub seq: u64,
    pub hlc: u64,
    pub actor: String,
    pub kind: String,
    pub aggregate: String,
    pub payload: Vec<u8>,
    pub prev: [u8; 32],
    pub hash: [u8; 32],
}

impl Event {
    /// The hashed fields.
    pub fn body(&self) -> EventBody<'_> {
        EventBody {
            id: &self.id,
            origin_office: &self.origin_office,
            origin_device: &self.origin_device,
            seq: self.seq,
            hlc: self.hlc,
            actor: &self.actor,
            kind: &self.kind,
            aggregate: &self.aggregate,
            payload: &self.payload,
            prev: &self.prev,
        }
    }

    /// Decodes the payload.
    pub fn payload<T: DeserializeOwned>(&self) -> Result<T> {
        encoding::from_cbor(&self.payload)
    }

    /// The payload as JSON, for people and scripts reading the log (byte strings, such as sealed
    /// values, as hexadecimal text).
    pub fn payload_json(&self) -> serde_json::Value {
        encoding::from_cbor::<ciborium::Value>(&self.payload).map(|v| encoding::cbor_to_json(&v)).unwrap_or_default()
    }

    /// When the event was recorded, as people read it (Beijing time, to the minute).
    pub fn display_time(&self) -> String {
        chrono::DateTime::from_timestamp_millis(self.hlc_millis()).map(crate::clock::display_time).unwrap_or_default()
    }

    /// The wall-clock milliseconds in the hybrid logical clock.
    pub fn hlc_millis(&self) -> i64 {
        (self.hlc >> HLC_COUNTER_BITS) as i64
    }
}

/// The low bits of an HLC value count events within one millisecond.
pub const HLC_COUNTER_BITS: u32 = 16;

/// The head of this device's chain, carried through a transaction so a batch appends cheaply.
#[derive(Debug, Clone)]
pub struct ChainHead {
    pub origin_office: String,
    pub origin_device: String,
    pub seq: u64,
    pub hash: [u8; 32],
    pub hlc: u64,
    /// Scratch space for encoding events before hashing, reused across a batch.
    scratch: Vec<u8>,
}

impl ChainHead {
    /// Reads the head of `device`'s chain.
    pub fn load(conn: &Connection, origin_office: &str, origin_device: &str) -> Result<Self> {
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
        Ok(ChainHead {
            origin_office: origin_office.into(),
            origin_device: origin_device.into(),
            seq,
            hash,
            hlc,
            scratch: Vec::with_capacity(512),
        })
    }

    /// The next hybrid-logical-clock value: wall time if it moved on, else one past the last value,
    /// so local events are strictly ordered even if the machine's clock steps backwards.
    fn next_hlc(&self, now_millis: i64) -> u64 {
        let physical = (now_millis.max(0) as u64) << HLC_COUNTER_BITS;
        physical.max(self.hlc + 1)
    }

    /// Appends one event to the chain inside `tx`.
    pub fn append(&mut self, tx: &Transaction<'_>, actor: &str, new: NewEvent, now_millis: i64) -> Result<Event> {
        let event = Event {
            id: uuid::Uuid::now_v7().to_string(),
            origin_office: self.origin_office.clone(),
            origin_device: self.origin_device.clone(),
            seq: self.seq + 1,
            hlc: self.next_hlc(now_millis),
            actor: actor.to_owned(),
            kind: new.kind.to_owned(),
            aggregate: new.aggregate,
            payload: new.payload,
            prev: self.hash,
            hash: [0; 32],
        };
        let event = Event { hash: event.body().hash_with(&mut self.scratch), ..event };
        insert(tx, &event)?;
        self.seq = event.seq;
        self.hash = event.hash;
        self.hlc = event.hlc;
        Ok(event)
    }
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
    let mut expected_prev = GENESIS;
    let mut buf = Vec::with_capacity(512);
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
                done.head_hash = hex::encode(expected_prev);
            }
            expected_prev = GENESIS;
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
        let problem = |reason: String| ChainProblem {
            origin_device: origin_device.to_owned(),
            seq,
            event_id: id.to_owned(),
            reason,
        };
        let prev: Option<&[u8; 32]> = prev.try_into().ok();
        let partial = origin_device != own_device && seq != chain.head_seq + 1;
        let failure = if seq != chain.head_seq + 1 && !partial {
            Some(problem(format!("序号不连续：在 {} 之后出现 {seq}，其间的事件被删除或移动", chain.head_seq)))
        } else if prev.is_none() || hash.len() != 32 {
            Some(problem("哈希字段长度不正确，记录被改动".into()))
        } else if !partial && prev != Some(&expected_prev) {
            Some(problem("前序哈希与上一事件不符，事件被改动、删除或调换了顺序".into()))
        } else {
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
                prev: prev.unwrap_or(&GENESIS),
            };
            let computed = body.hash_with(&mut buf);
            (computed.as_slice() != hash).then(|| problem("内容与哈希不符，事件内容被改动".into()))
        };
        if let Some(p) = failure {
            return Ok(VerifyReport { ok: false, events: total, chains, problem: Some(p) });
        }
        chain.events += 1;
        chain.head_seq = seq;
        expected_prev.copy_from_slice(hash);
    }
    if let Some(last) = chains.last_mut() {
        last.head_hash = hex::encode(expected_prev);
    }
    Ok(VerifyReport { ok: true, events: total, chains, problem: None })
}
