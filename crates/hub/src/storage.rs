//! The hub's storage behind one trait, so that another database can replace SQLite without
//! touching the protocol: the logic in `ingest`, `hub` and `http` only ever sees [`HubTx`].
//!
//! A [`HubStorage`] runs a closure inside one transaction: `write` commits when the closure
//! returns `Ok` and rolls back when it returns `Err`, so everything done for one change set lands
//! together or not at all. `read` gives a consistent snapshot that may run beside a writer.
//!
//! Two stores implement it: [`crate::sqlite::SqliteStorage`] (one file, one writer) and
//! [`crate::postgres::PgStorage`] (a server shared by several hub processes, many writers). A
//! closure may therefore run more than once: a PostgreSQL write that loses a race with another
//! writer is rolled back and run again from the start, so closures do nothing outside the
//! transaction that cannot be repeated.

use qingfeng_log::event::Event;
use qingfeng_log::office::{OfficeLevel, UnitKind};
use serde::Serialize;

use crate::error::Result;

/// One office of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Office {
    pub code: String,
    pub name: String,
    pub level: OfficeLevel,
    pub parent_code: Option<String>,
    pub created_at_ms: i64,
    /// The last `feed_seq` handed out in this office's feed.
    pub feed_head: u64,
    /// 机关代字 for document numbers; `None` for an office added before the directory had one.
    pub short_name: Option<String>,
    /// A commission, or a resident group sent by `parent_code`.
    pub unit: UnitKind,
}

/// An enrollment token as stored: only its SHA-256 identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub office_code: String,
    pub issued_at_ms: i64,
    pub expires_at_ms: i64,
    pub used_at_ms: Option<i64>,
    pub used_by: Option<String>,
}

/// An enrolled device and its certified public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub device_id: String,
    pub office_code: String,
    /// The signature algorithm's name (`ed25519`, `sm2-sm3`).
    pub alg: String,
    #[serde(with = "hex_bytes")]
    pub public_key: Vec<u8>,
    pub key_id: String,
    pub cert_serial: u64,
    pub enrolled_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
    pub revoke_reason: Option<String>,
}

/// The last event the hub holds of one chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    pub seq: u64,
    pub hash: [u8; 32],
    pub hlc: u64,
}

/// Whether a stored event was accepted and routed, or is held in its chain only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Accepted,
    /// Part of a change set refused as unauthorized: kept so that the origin's chain stays whole
    /// (and its next change set links), but routed to no feed and ignored for ownership.
    Refused,
}

/// Ownership of one aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Aggregate {
    pub id: String,
    pub owner: String,
    pub epoch: u64,
    /// Every office that ever owned it, in the order they got it.
    pub owners: Vec<String>,
    /// Every office whose feed carries it: the owners and their ancestors.
    pub access: Vec<String>,
}

/// A final receipt, kept so that the same change set again gets the same signed bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReceipt {
    pub changeset_id: [u8; 32],
    pub device_id: String,
    pub first_seq: u64,
    pub last_seq: u64,
    /// `accepted` or a rejection code.
    pub outcome: String,
    /// The encoded `Signed<Receipt>`.
    pub signed: Vec<u8>,
}

/// A change set held until its prerequisite arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub changeset_id: [u8; 32],
    pub device_id: String,
    pub first_seq: u64,
    pub last_seq: u64,
    /// The encoded `SignedChangeSet`, as received.
    pub signed: Vec<u8>,
}

/// Something an administrator must look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alarm {
    pub id: i64,
    pub at_ms: i64,
    /// `equivocation`, `revoked_device`, …
    pub kind: String,
    pub office_code: Option<String>,
    pub device_id: Option<String>,
    pub detail: String,
}

/// One page read from an office's feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRows {
    pub events: Vec<Event>,
    /// The last `feed_seq` this page covers (skipped rows included).
    pub cursor: u64,
    /// Whether the feed holds more after `cursor`.
    pub more: bool,
}

/// Bounds of one feed page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedLimits {
    /// At most this many events.
    pub max_events: usize,
    /// Stop once the events' payloads and fields add up to this many bytes (at least one event
    /// is always returned, so a single large event cannot stall the feed).
    pub max_bytes: usize,
    /// Look at no more than this many feed rows, so that skipping the caller's own events cannot
    /// make one request walk an unbounded feed.
    pub max_scan: usize,
}

/// The bytes an event adds to a feed page, for the page's byte cap (the same count on every store).
fn event_size(e: &Event) -> usize {
    e.id.len()
        + e.origin_office.len()
        + e.origin_device.len()
        + e.actor.len()
        + e.kind.len()
        + e.aggregate.len()
        + e.payload.len()
        + 96
}

/// The events of one page as a store gathers them, kept within [`FeedLimits::max_bytes`].
#[derive(Debug, Default)]
pub struct PageFill {
    pub events: Vec<Event>,
    bytes: usize,
}

impl PageFill {
    /// Adds `event` unless it would take the page past `limits.max_bytes`, and says whether it
    /// did. The first event always fits, so a single large event cannot stall a feed.
    pub fn push(&mut self, event: Event, limits: &FeedLimits) -> bool {
        let size = event_size(&event);
        if !self.events.is_empty() && self.bytes + size > limits.max_bytes {
            return false;
        }
        self.bytes += size;
        self.events.push(event);
        true
    }
}

/// Totals for `/health` and the administrator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub events: u64,
    pub offices: u64,
    pub devices: u64,
    pub alarms: u64,
    pub waiting: u64,
}

/// The operations the protocol needs, inside one transaction.
///
/// In a write transaction, reading a token or an aggregate locks it until the transaction ends
/// (on a store with many writers), so what is read is still true when it is written back.
pub trait HubTx {
    /// Serialises this write transaction with every other write that locks the same name, in
    /// any process, until it ends. Taken before reading a chain's head (`chain:<device>`), so a
    /// chain is appended by one writer at a time. A store with a single writer needs nothing.
    fn lock(&mut self, _name: &str) -> Result<()> {
        Ok(())
    }

    fn meta(&mut self, key: &str) -> Result<Option<String>>;
    fn set_meta(&mut self, key: &str, value: &str) -> Result<()>;

    fn office(&mut self, code: &str) -> Result<Option<Office>>;
    fn offices(&mut self) -> Result<Vec<Office>>;
    fn insert_office(&mut self, office: &Office) -> Result<()>;
    /// Replaces an office's name, level, parent, short name and kind (never its feed).
    fn update_office(&mut self, office: &Office) -> Result<()>;

    fn insert_token(&mut self, token_sha256: &[u8; 32], token: &Token) -> Result<()>;
    fn token(&mut self, token_sha256: &[u8; 32]) -> Result<Option<Token>>;
    fn use_token(&mut self, token_sha256: &[u8; 32], device_id: &str, at_ms: i64) -> Result<()>;

    fn device(&mut self, device_id: &str) -> Result<Option<Device>>;
    fn devices(&mut self) -> Result<Vec<Device>>;
    fn insert_device(&mut self, device: &Device) -> Result<()>;
    /// Marks a device revoked; false if it was unknown or already revoked.
    fn revoke_device(&mut self, device_id: &str, at_ms: i64, reason: &str) -> Result<bool>;
    fn next_cert_serial(&mut self) -> Result<u64>;

    fn head(&mut self, device_id: &str) -> Result<Option<Head>>;
    /// `(device, head seq)` of every chain of `office`, by device id.
    fn heads_of_office(&mut self, office_code: &str) -> Result<Vec<(String, u64)>>;
    fn set_head(&mut self, device_id: &str, office_code: &str, head: &Head) -> Result<()>;
    fn event_hash(&mut self, device_id: &str, seq: u64) -> Result<Option<[u8; 32]>>;
    /// Appends an event and returns its hub position. An accepted event whose id another accepted
    /// event already has fails with `HubError::DuplicateEventId`.
    fn insert_event(&mut self, event: &Event, status: EventStatus, at_ms: i64) -> Result<i64>;
    /// Appends several events of one status, in order, and returns their positions. Fails like
    /// `insert_event` (naming a reused id) and then stores none of them.
    fn insert_events(&mut self, events: &[&Event], status: EventStatus, at_ms: i64) -> Result<Vec<i64>> {
        events.iter().map(|e| self.insert_event(e, status, at_ms)).collect()
    }
    /// Positions of the accepted events of `aggregate`, oldest first.
    fn aggregate_positions(&mut self, aggregate: &str) -> Result<Vec<i64>>;
    /// Positions of the accepted events of one origin office and kind, oldest first.
    fn positions_of_kind(&mut self, origin_office: &str, kind: &str) -> Result<Vec<i64>>;
    /// Calls `f` for every stored event, chain by chain in `seq` order.
    fn for_each_event(&mut self, f: &mut dyn FnMut(&Event, EventStatus) -> Result<()>) -> Result<()>;

    fn aggregate(&mut self, id: &str) -> Result<Option<Aggregate>>;
    fn put_aggregate(&mut self, aggregate: &Aggregate) -> Result<()>;
    /// The aggregates among `ids` that exist (in any order).
    fn aggregates(&mut self, ids: &[String]) -> Result<Vec<Aggregate>> {
        let mut out = Vec::new();
        for id in ids {
            out.extend(self.aggregate(id)?);
        }
        Ok(out)
    }
    fn put_aggregates(&mut self, aggregates: &[Aggregate]) -> Result<()> {
        aggregates.iter().try_for_each(|a| self.put_aggregate(a))
    }

    /// Appends events (by position, in order) to an office's feed. In a grouped write (see
    /// [`HubStorage::write_grouped`]) a store may hold the append back until the group commits, so
    /// such a write never reads back the feeds it appended to.
    fn feed_append(&mut self, office_code: &str, positions: &[i64]) -> Result<()>;
    /// Appends events to every office's feed (the directory, the province's calendar).
    fn feed_append_all(&mut self, positions: &[i64]) -> Result<()> {
        for o in self.offices()? {
            self.feed_append(&o.code, positions)?;
        }
        Ok(())
    }
    /// Reads an office's feed after `after`, skipping the events of `exclude_device`.
    fn feed_page(
        &mut self,
        office_code: &str,
        after: u64,
        exclude_device: &str,
        limits: FeedLimits,
    ) -> Result<FeedRows>;

    /// Every event whose origin is `office_code`, accepted or refused, after hub position `after`,
    /// in position order: the office's whole log, for restoring a device of it
    /// (`/v1/office-log`). `cursor` is the last position the page covers.
    fn office_log_page(&mut self, office_code: &str, after: u64, limits: FeedLimits) -> Result<FeedRows>;

    fn receipt(&mut self, changeset_id: &[u8; 32]) -> Result<Option<StoredReceipt>>;
    fn put_receipt(&mut self, receipt: &StoredReceipt, at_ms: i64) -> Result<()>;
    /// Final receipts of `device_id` whose sets end after `after_seq`, in seq order.
    fn receipts_after(&mut self, device_id: &str, after_seq: u64) -> Result<Vec<StoredReceipt>>;

    fn put_waiting(&mut self, waiting: &Waiting, at_ms: i64) -> Result<()>;
    /// Waiting change sets of `device_id` whose first seq is at most `first_seq_at_most`.
    fn waiting_ready(&mut self, device_id: &str, first_seq_at_most: u64) -> Result<Vec<Waiting>>;
    fn remove_waiting(&mut self, changeset_id: &[u8; 32]) -> Result<()>;

    fn insert_alarm(
        &mut self,
        kind: &str,
        office_code: Option<&str>,
        device_id: Option<&str>,
        detail: &str,
        at_ms: i64,
    ) -> Result<()>;
    fn alarms(&mut self) -> Result<Vec<Alarm>>;
    /// When the latest alarm of `kind` for `device_id` was raised, if any (to raise it once, not
    /// on every retry).
    fn latest_alarm_ms(&mut self, kind: &str, device_id: &str) -> Result<Option<i64>>;

    fn counts(&mut self) -> Result<Counts>;

    /// Remembers an authentication header's nonce until `expires_at_ms` (forgetting those expired
    /// by `now_ms`); false if the device already used it, which makes the header a replay.
    fn remember_nonce(&mut self, device_id: &str, nonce: &[u8], expires_at_ms: i64, now_ms: i64) -> Result<bool>;

    // ---- blobs (attachments, evidence, issued PDFs named by events) ----

    /// Records that the accepted event at `pos` names the blob `sha256`, stating `size` bytes.
    fn add_blob_ref(&mut self, sha256: &[u8; 32], size: u64, pos: i64) -> Result<()>;
    /// The size accepted events state for `sha256` (the largest, should two differ), or `None` if
    /// no accepted event names it.
    fn blob_ref_size(&mut self, sha256: &[u8; 32]) -> Result<Option<u64>>;
    /// Whether `office_code`'s feed carries an accepted event naming `sha256`: the one rule for
    /// who may send and fetch a blob.
    fn blob_in_feed_of(&mut self, office_code: &str, sha256: &[u8; 32]) -> Result<bool>;
    /// What the hub holds of a blob, or `None` before its first chunk.
    fn blob_progress(&mut self, sha256: &[u8; 32]) -> Result<Option<BlobProgress>>;
    /// Stores a chunk at `offset` of a blob of `size` bytes and advances its received count.
    /// The caller has checked that `offset` is where the received bytes end.
    fn put_blob_chunk(&mut self, sha256: &[u8; 32], size: u64, offset: u64, bytes: &[u8]) -> Result<()>;
    /// The chunk stored at `offset`, if any.
    fn blob_chunk(&mut self, sha256: &[u8; 32], offset: u64) -> Result<Option<Vec<u8>>>;
    /// Calls `f` with each stored chunk of a blob in order (to hash it without holding it whole).
    fn for_each_blob_chunk(&mut self, sha256: &[u8; 32], f: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()>;
    /// Marks a blob whole and verified, or with `false` discards its chunks so it is sent again.
    fn finish_blob(&mut self, sha256: &[u8; 32], complete: bool, at_ms: i64) -> Result<()>;
    /// Every blob accepted events name, with the stated size and what the hub holds of it.
    fn blob_list(&mut self) -> Result<Vec<BlobEntry>>;

    /// Damage the database itself finds in its files (SQLite's `quick_check`), in its own words;
    /// empty when the files are whole. A server database that checks itself returns nothing.
    fn integrity_problems(&mut self) -> Result<Vec<String>>;
}

/// What the hub holds of one blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BlobProgress {
    pub size: u64,
    /// Bytes received, in whole chunks.
    pub received: u64,
    /// Hashed and found to match its name.
    pub complete: bool,
}

/// A blob named by accepted events, for `events verify` and the administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlobEntry {
    #[serde(with = "hex_bytes")]
    pub sha256: Vec<u8>,
    pub size: u64,
    pub received: u64,
    pub complete: bool,
}

/// A database that runs closures over [`HubTx`] in transactions.
pub trait HubStorage: Send + Sync + 'static {
    /// Runs `f` in one write transaction: committed on `Ok`, rolled back on `Err`. `f` may be run
    /// again after a rollback when the store's writers raced (see the module's note).
    fn write<R>(&self, f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R>;
    /// Runs `f` like [`HubStorage::write`], in a transaction it may share with other concurrent
    /// grouped writes of this process ([`crate::group`]): each is still atomic on its own and
    /// durable when it returns, and the group costs one commit. Feed appends may be held back to
    /// the group's end, all offices at once in descending code order (see
    /// [`HubTx::feed_append`]). For change sets and other writes that come in crowds.
    fn write_grouped<R>(&self, f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R> {
        self.write(f)
    }
    /// Runs `f` over a consistent read-only snapshot.
    fn read<R>(&self, f: impl FnMut(&mut dyn HubTx) -> Result<R>) -> Result<R>;
    /// The connection pool, for a store that has one (`/metrics`).
    fn pool_status(&self) -> Option<crate::metrics::PoolStatus> {
        None
    }
    /// What group commit did so far, for a store that groups writes (`/metrics`).
    fn group_stats(&self) -> Option<crate::group::GroupStats> {
        None
    }
}

mod hex_bytes {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }
}
