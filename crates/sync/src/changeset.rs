//! Change sets: a run of consecutive events of one device, encoded canonically, and signed.
//!
//! The encoding carries each field once (sequence numbers, `prev` links and hashes are implied
//! by the order and recomputed), so a change set has no redundant field that could disagree with
//! another. Decoding recomputes every hash with the log crate's `EventBody::hash_with`, exactly as the
//! origin computed it, and refuses the set unless the last one equals the `last_hash` it carries.

use qingfeng_log::event::{ChainCursor, Event, GENESIS};
use sha2::{Digest, Sha256};

use crate::cbor::{self, Reader};
use crate::crypto::{Alg, PublicKey, SecretKey, Signature};
use crate::error::{Result, SyncError};

/// The encoding version of change sets and signed change sets.
pub const VERSION: u64 = 1;

/// At most this many events in one change set.
pub const MAX_EVENTS: usize = 5000;

/// At most this many bytes in one encoded change set.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;

/// A change set of exactly one event may be up to this size: an event larger than `MAX_BYTES`
/// (only an older version could record one, before fields had limits) still travels, alone, so
/// it never stops its device's queue. It stays below the 16 MiB a signed feed page may carry, so
/// the hub can always deliver what it accepts.
pub const MAX_SINGLE_EVENT_BYTES: usize = 15 * 1024 * 1024;

/// The signature context of change sets.
pub const CONTEXT: &str = "qingfeng/changeset/v1";

/// Sequence numbers are stored as SQLite integers (signed 64-bit) by every replica and the hub.
const MAX_SEQ: u64 = i64::MAX as u64;

/// Longest key id and signature a signed change set may carry: generous, but bounded.
const MAX_KEY_ID: usize = 64;
const MAX_SIGNATURE: usize = 512;
const MAX_ALG: usize = 32;

/// The bytes a signed change set adds around its body: version, algorithm, key id, signature.
const SIGNED_OVERHEAD: usize = 1 + 5 + 1 + (1 + MAX_ALG) + (1 + MAX_KEY_ID) + (3 + MAX_SIGNATURE);

/// A run of consecutive, hash-linked events of one origin device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSet {
    origin_office: String,
    origin_device: String,
    first_seq: u64,
    prev_hash: [u8; 32],
    last_hash: [u8; 32],
    /// Never empty: every constructor refuses an empty run.
    events: Vec<Event>,
}

impl ChangeSet {
    /// A change set of `events`, checked to be one device's unbroken chain with correct hashes,
    /// and within `MAX_EVENTS` and `MAX_BYTES`.
    pub fn from_events(events: Vec<Event>) -> Result<ChangeSet> {
        check_run(&events)?;
        let set = Self::from_checked(events)?;
        let size = set.encoded_len();
        let limit = size_limit(set.events.len());
        if size > limit {
            return Err(SyncError::TooLarge { what: "变更集大小", actual: size as u64, limit: limit as u64 });
        }
        Ok(set)
    }

    /// Builds a set from events `check_run` accepted; checks the count but not the size.
    fn from_checked(events: Vec<Event>) -> Result<ChangeSet> {
        if events.len() > MAX_EVENTS {
            return Err(SyncError::TooLarge {
                what: "变更集事件数",
                actual: events.len() as u64,
                limit: MAX_EVENTS as u64,
            });
        }
        let (Some(first), Some(last)) = (events.first(), events.last()) else {
            return Err(SyncError::malformed("变更集不能为空"));
        };
        Ok(ChangeSet {
            origin_office: first.origin_office.clone(),
            origin_device: first.origin_device.clone(),
            first_seq: first.seq,
            prev_hash: first.prev,
            last_hash: last.hash,
            events,
        })
    }

    pub fn origin_office(&self) -> &str {
        &self.origin_office
    }

    pub fn origin_device(&self) -> &str {
        &self.origin_device
    }

    pub fn first_seq(&self) -> u64 {
        self.first_seq
    }

    /// The seq of the last event (`first_seq + len - 1`).
    pub fn last_seq(&self) -> u64 {
        self.first_seq + self.events.len() as u64 - 1
    }

    /// The hash of the event before the first (zeros when the first event is seq 1).
    pub fn prev_hash(&self) -> &[u8; 32] {
        &self.prev_hash
    }

    /// The hash of the last event.
    pub fn last_hash(&self) -> &[u8; 32] {
        &self.last_hash
    }

    /// The events in full, with their seq, prev and hash filled in; never empty.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn into_events(self) -> Vec<Event> {
        self.events
    }

    /// SHA-256 of the encoding: the name receipts and the hub use for this set.
    pub fn id(&self) -> [u8; 32] {
        Sha256::digest(self.encode()).into()
    }

    /// The canonical CBOR encoding:
    /// `[1, origin_office, origin_device, first_seq, prev_hash, last_hash, [[id, hlc, actor, kind, aggregate, payload], …]]`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        cbor::array(&mut out, 7);
        cbor::uint(&mut out, VERSION);
        cbor::text(&mut out, &self.origin_office);
        cbor::text(&mut out, &self.origin_device);
        cbor::uint(&mut out, self.first_seq);
        cbor::bytes(&mut out, &self.prev_hash);
        cbor::bytes(&mut out, &self.last_hash);
        cbor::array(&mut out, self.events.len());
        for e in &self.events {
            cbor::array(&mut out, 6);
            cbor::text(&mut out, &e.id);
            cbor::uint(&mut out, e.hlc);
            cbor::text(&mut out, &e.actor);
            cbor::text(&mut out, &e.kind);
            cbor::text(&mut out, &e.aggregate);
            cbor::bytes(&mut out, &e.payload);
        }
        out
    }

    /// The exact length of `encode()`, computed without encoding.
    pub fn encoded_len(&self) -> usize {
        header_len(&self.origin_office, &self.origin_device, self.first_seq, self.events.len())
            + self.events.iter().map(event_len).sum::<usize>()
    }

    /// Decodes a change set, recomputing every event's seq, prev and hash. Refuses anything but
    /// the canonical encoding, so `decode(b)?.encode() == b` for every accepted `b`.
    pub fn decode(bytes: &[u8]) -> Result<ChangeSet> {
        if bytes.len() > MAX_SINGLE_EVENT_BYTES {
            return Err(SyncError::TooLarge {
                what: "变更集大小",
                actual: bytes.len() as u64,
                limit: MAX_SINGLE_EVENT_BYTES as u64,
            });
        }
        let mut r = Reader::new(bytes, "变更集");
        r.array_of(7)?;
        let version = r.uint()?;
        if version != VERSION {
            return Err(SyncError::UnknownVersion(version));
        }
        let origin_office = r.text(MAX_BYTES)?.to_owned();
        let origin_device = r.text(MAX_BYTES)?.to_owned();
        let first_seq = r.uint()?;
        let prev_hash = r.bytes32()?;
        let last_hash = r.bytes32()?;
        let count = r.array(MAX_EVENTS)?;
        if count == 0 {
            return Err(SyncError::malformed("变更集不含任何事件"));
        }
        if bytes.len() > size_limit(count) {
            return Err(SyncError::TooLarge {
                what: "变更集大小",
                actual: bytes.len() as u64,
                limit: size_limit(count) as u64,
            });
        }
        if first_seq == 0 || first_seq > MAX_SEQ - (count as u64 - 1) {
            return Err(SyncError::chain(first_seq, "序号超出有效范围"));
        }
        if first_seq == 1 && prev_hash != GENESIS {
            return Err(SyncError::chain(1, "序号 1 的事件的前序哈希应为全零"));
        }
        let mut events = Vec::with_capacity(count);
        let mut prev = prev_hash;
        let mut buf = Vec::with_capacity(512);
        for i in 0..count {
            r.array_of(6)?;
            let mut event = Event {
                id: r.text(MAX_BYTES)?.to_owned(),
                origin_office: origin_office.clone(),
                origin_device: origin_device.clone(),
                seq: first_seq + i as u64,
                hlc: r.uint()?,
                actor: r.text(MAX_BYTES)?.to_owned(),
                kind: r.text(MAX_BYTES)?.to_owned(),
                aggregate: r.text(MAX_BYTES)?.to_owned(),
                payload: r.bytes(MAX_SINGLE_EVENT_BYTES)?.to_vec(),
                prev,
                hash: [0; 32],
            };
            event.hash = event.body().hash_with(&mut buf);
            prev = event.hash;
            events.push(event);
        }
        r.finish()?;
        if prev != last_hash {
            let last = first_seq + count as u64 - 1;
            return Err(SyncError::chain(last, "重新计算的最后一个事件哈希与变更集声明的不符，事件内容被改动"));
        }
        Ok(ChangeSet { origin_office, origin_device, first_seq, prev_hash, last_hash, events })
    }
}

/// The encoded length of everything but the events.
fn header_len(office: &str, device: &str, first_seq: u64, count: usize) -> usize {
    1 + 1
        + cbor::string_len(office.len())
        + cbor::string_len(device.len())
        + cbor::head_len(first_seq)
        + 2 * cbor::string_len(32)
        + cbor::head_len(count as u64)
}

/// The encoded length of one event's entry.
fn event_len(e: &Event) -> usize {
    1 + cbor::string_len(e.id.len())
        + cbor::head_len(e.hlc)
        + cbor::string_len(e.actor.len())
        + cbor::string_len(e.kind.len())
        + cbor::string_len(e.aggregate.len())
        + cbor::string_len(e.payload.len())
}

/// Checks that `events` are one device's unbroken chain: same origin, contiguous seq, each
/// `prev` the previous hash, each hash recomputing. Names the first event that breaks it.
fn check_run(events: &[Event]) -> Result<()> {
    let Some(first) = events.first() else {
        return Err(SyncError::malformed("变更集不能为空"));
    };
    if first.seq == 0 || first.seq > MAX_SEQ {
        return Err(SyncError::chain(first.seq, "序号超出有效范围"));
    }
    if first.seq == 1 && first.prev != GENESIS {
        return Err(SyncError::chain(1, "序号 1 的事件的前序哈希应为全零"));
    }
    let mut cursor = ChainCursor::after(first.seq - 1, first.prev);
    for e in events {
        if e.origin_office != first.origin_office || e.origin_device != first.origin_device {
            return Err(SyncError::chain(
                e.seq,
                format!(
                    "事件来自另一设备（{}/{}），一个变更集只能包含同一设备的事件",
                    e.origin_office, e.origin_device
                ),
            ));
        }
        if e.seq > MAX_SEQ {
            return Err(SyncError::chain(e.seq, "序号超出有效范围"));
        }
        cursor.follow(&e.body(), &e.hash).map_err(|b| SyncError::chain(e.seq, b.to_string()))?;
    }
    Ok(())
}

/// Splits a run of one device's events into change sets of at most `max_events` events and
/// `max_bytes` encoded bytes each (both capped at the protocol's limits), for bounded uploads.
///
/// The whole run is checked once as one chain, so consecutive sets link up. An event too large
/// to fit in any change set on its own is refused rather than silently left behind.
pub fn split_into_changesets(events: Vec<Event>, max_events: usize, max_bytes: usize) -> Result<Vec<ChangeSet>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    check_run(&events)?;
    let max_events = max_events.clamp(1, MAX_EVENTS);
    let max_bytes = max_bytes.min(MAX_BYTES);
    let mut sets = Vec::new();
    let mut chunk: Vec<Event> = Vec::new();
    let mut header = 0;
    let mut size = 0;
    for event in events {
        let len = event_len(&event);
        // The header's size depends on the first seq of the chunk and its count; counting it with
        // the largest possible count keeps the estimate an upper bound.
        let event_header = header_len(&event.origin_office, &event.origin_device, event.seq, MAX_EVENTS);
        if !chunk.is_empty() && (chunk.len() >= max_events || header + size + len > max_bytes) {
            sets.push(ChangeSet::from_checked(std::mem::take(&mut chunk))?);
        }
        if chunk.is_empty() {
            header = event_header;
            size = 0;
            if header + len > MAX_SINGLE_EVENT_BYTES {
                return Err(SyncError::TooLarge {
                    what: "单个事件大小",
                    actual: (header + len) as u64,
                    limit: MAX_SINGLE_EVENT_BYTES as u64,
                });
            }
        }
        size += len;
        chunk.push(event);
    }
    sets.push(ChangeSet::from_checked(chunk)?);
    Ok(sets)
}

/// The largest encoding a change set of `count` events may have.
fn size_limit(count: usize) -> usize {
    if count == 1 { MAX_SINGLE_EVENT_BYTES } else { MAX_BYTES }
}

/// The encoded size of `event` alone in a change set: what decides whether it can be sent.
pub fn single_event_len(event: &Event) -> usize {
    header_len(&event.origin_office, &event.origin_device, event.seq, 1) + event_len(event)
}

/// Like [`split_into_changesets`], but stops before the first event that no change set can carry
/// (larger than `MAX_SINGLE_EVENT_BYTES` on its own) instead of failing: the sets before it are
/// returned with that event, so a sync sends what it can and names the one record that blocks
/// the rest of its device's chain (whose order cannot skip it).
pub fn split_sendable(
    events: Vec<Event>,
    max_events: usize,
    max_bytes: usize,
) -> Result<(Vec<ChangeSet>, Option<Event>)> {
    let mut events = events;
    let blocked = events.iter().position(|e| single_event_len(e) > MAX_SINGLE_EVENT_BYTES);
    let blocker = blocked.map(|i| {
        let mut rest = events.split_off(i);
        rest.swap_remove(0)
    });
    Ok((split_into_changesets(events, max_events, max_bytes)?, blocker))
}

/// A change set's encoding with its origin device's signature.
///
/// CBOR `[1, body, alg, key_id, sig]`, the signature over `body` with context `CONTEXT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedChangeSet {
    /// The change set's canonical encoding, exactly as signed.
    pub body: Vec<u8>,
    pub alg: Alg,
    /// The signer's `PublicKey::key_id`.
    pub key_id: String,
    pub signature: Vec<u8>,
}

impl SignedChangeSet {
    /// Encodes and signs `set` with the origin device's key.
    pub fn sign(set: &ChangeSet, key: &SecretKey) -> SignedChangeSet {
        let body = set.encode();
        let signature = key.sign(CONTEXT, &body);
        SignedChangeSet { body, alg: signature.alg, key_id: key.public_key().key_id(), signature: signature.bytes }
    }

    /// The id of the change set inside (SHA-256 of the body), the same as `ChangeSet::id`.
    pub fn id(&self) -> [u8; 32] {
        Sha256::digest(&self.body).into()
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 128);
        cbor::array(&mut out, 5);
        cbor::uint(&mut out, VERSION);
        cbor::bytes(&mut out, &self.body);
        cbor::text(&mut out, self.alg.as_str());
        cbor::text(&mut out, &self.key_id);
        cbor::bytes(&mut out, &self.signature);
        out
    }

    /// Decodes the frame only; `peek` or `open` decode the change set inside.
    pub fn decode(bytes: &[u8]) -> Result<SignedChangeSet> {
        let limit = MAX_SINGLE_EVENT_BYTES + SIGNED_OVERHEAD;
        if bytes.len() > limit {
            return Err(SyncError::TooLarge {
                what: "已签名变更集大小",
                actual: bytes.len() as u64,
                limit: limit as u64,
            });
        }
        let mut r = Reader::new(bytes, "已签名变更集");
        r.array_of(5)?;
        let version = r.uint()?;
        if version != VERSION {
            return Err(SyncError::UnknownVersion(version));
        }
        let body = r.bytes(MAX_SINGLE_EVENT_BYTES)?.to_vec();
        let alg = r.text(MAX_ALG)?.parse()?;
        let key_id = r.text(MAX_KEY_ID)?.to_owned();
        let signature = r.bytes(MAX_SIGNATURE)?.to_vec();
        r.finish()?;
        Ok(SignedChangeSet { body, alg, key_id, signature })
    }

    /// The change set without checking the signature, to learn which device (and so which key)
    /// it claims to come from. Nothing from it may be trusted or stored before `open`.
    pub fn peek(&self) -> Result<ChangeSet> {
        ChangeSet::decode(&self.body)
    }

    /// Checks that `key` signed this set, then decodes it and checks its chain.
    pub fn open(&self, key: &PublicKey) -> Result<ChangeSet> {
        check_signer(key, self.alg, &self.key_id)?;
        key.verify(CONTEXT, &self.body, &Signature { alg: self.alg, bytes: self.signature.clone() })?;
        ChangeSet::decode(&self.body)
    }
}

/// Refuses a signature that names another key than `key` before any cryptography runs, with a
/// message that says which key signed and which was expected.
pub(crate) fn check_signer(key: &PublicKey, alg: Alg, key_id: &str) -> Result<()> {
    let expected = key.key_id();
    if alg != key.alg || key_id != expected {
        return Err(SyncError::WrongKey {
            expected: format!("{} {expected}", key.alg),
            actual: format!("{alg} {}", key_id.chars().take(MAX_KEY_ID).collect::<String>()),
        });
    }
    Ok(())
}
