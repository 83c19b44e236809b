//! The event, appending it to its device's hash chain, and checking a chain.
//!
//! Every office device and the hub keep one chain each: seq from 1, each event's `prev` the hash
//! of the one before, each hash SHA-256 over the canonical envelope ([`EventBody`]), and a hybrid
//! logical clock that never runs backwards. [`ChainHead::append`] is the only code that builds a
//! chain's next event, and [`ChainCursor`] the only code that checks one, for the office's store,
//! the sync protocol and the hub alike.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::encoding::{self, EventBody};
use crate::error::Result;

/// The `prev` of the first event in a chain.
pub const GENESIS: [u8; 32] = [0u8; 32];

/// The low bits of an HLC value count events within one millisecond.
pub const HLC_COUNTER_BITS: u32 = 16;

/// The origin office of every event the hub writes on its own chain (ownership changes, the
/// province's directory and calendar).
pub const HUB_OFFICE: &str = "hub";

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

/// The head of one device's chain, carried through a transaction so a batch appends cheaply.
///
/// Where the head is stored is the caller's business (the office's encrypted store, the hub's
/// database); this type only knows how the next event follows from it.
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
    /// The head after event `seq` with `hash`, the clock at `hlc` (seq 0 and [`GENESIS`] for an
    /// empty chain). `hlc` may be higher than the last event's: events received from other offices
    /// push the clock forward.
    pub fn new(
        origin_office: impl Into<String>,
        origin_device: impl Into<String>,
        seq: u64,
        hash: [u8; 32],
        hlc: u64,
    ) -> Self {
        ChainHead {
            origin_office: origin_office.into(),
            origin_device: origin_device.into(),
            seq,
            hash,
            hlc,
            scratch: Vec::with_capacity(512),
        }
    }

    /// The next hybrid-logical-clock value: wall time if it moved on, else one past the last value,
    /// so local events are strictly ordered even if the machine's clock steps backwards.
    pub fn next_hlc(&self, now_millis: i64) -> u64 {
        let physical = (now_millis.max(0) as u64) << HLC_COUNTER_BITS;
        physical.max(self.hlc + 1)
    }

    /// Builds the chain's next event (a fresh UUIDv7 id, the next seq and clock value, linked to
    /// and hashed after the head) and moves the head onto it. The caller stores the event in the
    /// same transaction in which it read the head.
    pub fn append(&mut self, actor: &str, new: NewEvent, now_millis: i64) -> Event {
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
        self.seq = event.seq;
        self.hash = event.hash;
        self.hlc = event.hlc;
        event
    }
}

/// How an event fails to continue the chain walked so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainBreak {
    /// The seq does not follow the last one: events between were deleted or moved.
    SeqGap { after: u64, found: u64 },
    /// A stored hash or `prev` is not 32 bytes long.
    BadLength,
    /// `prev` is not the hash of the event before.
    PrevMismatch,
    /// The hash does not recompute from the content.
    HashMismatch,
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainBreak::SeqGap { after, found } => {
                write!(f, "序号不连续：在 {after} 之后出现 {found}，其间的事件被删除或移动")
            }
            ChainBreak::BadLength => f.write_str("哈希字段长度不正确，记录被改动"),
            ChainBreak::PrevMismatch => f.write_str("前序哈希与上一事件不符，事件被改动、删除或调换了顺序"),
            ChainBreak::HashMismatch => f.write_str("内容与哈希不符，事件内容被改动"),
        }
    }
}

/// Where a walk along one device's chain stands: the check that the office's `events verify`,
/// the sync protocol and the hub's verify all run, event by event, without allocating.
#[derive(Debug, Clone)]
pub struct ChainCursor {
    seq: u64,
    hash: [u8; 32],
    buf: Vec<u8>,
}

impl Default for ChainCursor {
    fn default() -> Self {
        ChainCursor::after(0, GENESIS)
    }
}

impl ChainCursor {
    /// A walk that starts after event `seq` with `hash` (0 and [`GENESIS`] at a chain's start).
    pub fn after(seq: u64, hash: [u8; 32]) -> Self {
        ChainCursor { seq, hash, buf: Vec::with_capacity(512) }
    }

    /// The seq of the last event walked.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The hash of the last event walked.
    pub fn hash(&self) -> [u8; 32] {
        self.hash
    }

    /// Checks that `body` with its stored `hash` is the chain's next event (seq one on, `prev` the
    /// last hash, the hash recomputing) and steps onto it.
    pub fn follow(&mut self, body: &EventBody<'_>, hash: &[u8]) -> std::result::Result<(), ChainBreak> {
        if self.seq.checked_add(1) != Some(body.seq) {
            return Err(ChainBreak::SeqGap { after: self.seq, found: body.seq });
        }
        self.step(body, hash, true)
    }

    /// As [`follow`](Self::follow), for a replica that holds only part of another device's chain
    /// (an office receives only the events it is entitled to): a gap in seq is allowed, and the
    /// `prev` link is checked only where the previous event is held. The hash is always checked.
    pub fn follow_partial(&mut self, body: &EventBody<'_>, hash: &[u8]) -> std::result::Result<(), ChainBreak> {
        let adjacent = self.seq.checked_add(1) == Some(body.seq);
        self.step(body, hash, adjacent)
    }

    fn step(&mut self, body: &EventBody<'_>, hash: &[u8], check_prev: bool) -> std::result::Result<(), ChainBreak> {
        let hash: &[u8; 32] = hash.try_into().map_err(|_| ChainBreak::BadLength)?;
        if check_prev && body.prev != &self.hash {
            return Err(ChainBreak::PrevMismatch);
        }
        if &body.hash_with(&mut self.buf) != hash {
            return Err(ChainBreak::HashMismatch);
        }
        self.seq = body.seq;
        self.hash = *hash;
        Ok(())
    }
}
