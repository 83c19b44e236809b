//! Offices as separate replicas on temp dirs, and events as the hub writes and routes them: what
//! the tests of replication, blobs, the to-do list and names across offices share.

use chrono::{DateTime, TimeZone, Utc};
use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::api::SetupRequest;
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::encoding::to_canonical_cbor;
use qingfeng_core::events::Event;
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::projector::kind;
use qingfeng_core::{KeySource, Store};

/// One office's replica with a petitions officer (`xinfang`) in post.
pub struct Replica {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub petitions: Actor,
}

/// An office set up on a store of its own, its clock standing at `at`.
pub fn office_at(
    code: &str,
    name: &str,
    level: OfficeLevel,
    parent: Option<&str>,
    at: DateTime<Utc>,
) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("q.db"), &KeySource::File(dir.path().join("q.key"))).unwrap();
    store.set_clock(Clock::manual(at));
    let req = SetupRequest {
        office_code: code.into(),
        office_name: name.into(),
        office_level: level,
        parent_code: parent.map(str::to_owned),
        admin_username: "admin".into(),
        admin_display_name: "管理员".into(),
        admin_password: super::ADMIN_PASSWORD.into(),
    };
    accounts::setup_office(&mut store, &req, Channel::Cli).unwrap();
    (dir, store)
}

/// [`office_at`] on 2026-09-28 09:00 Beijing, with a petitions officer.
pub fn replica(code: &str, name: &str, level: OfficeLevel, parent: Option<&str>) -> Replica {
    let (dir, mut store) = office_at(code, name, level, parent, Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap());
    let petitions = super::officer(&mut store, "xinfang", Role::Petitions);
    Replica { dir, store, petitions }
}

/// What the hub would route from `from` to another office: its events after `after`, minus
/// office-private kinds.
pub fn routed(from: &Store, after: u64) -> Vec<Event> {
    from.outbox(after, 100_000).unwrap().into_iter().filter(|e| !kind::is_office_private(&e.kind)).collect()
}

/// An event on the hub's own chain (device `hub-test`), its clock at `at`.
pub fn hub_event_at(
    seq: u64,
    prev: [u8; 32],
    at: DateTime<Utc>,
    kind: &str,
    aggregate: &str,
    payload: &impl serde::Serialize,
) -> Event {
    let mut e = Event {
        id: format!("0190a000-0000-7000-8000-{seq:012}"),
        origin_office: "hub".into(),
        origin_device: "hub-test".into(),
        seq,
        hlc: (at.timestamp_millis() as u64) << 16,
        actor: "hub".into(),
        kind: kind.into(),
        aggregate: aggregate.into(),
        payload: to_canonical_cbor(payload).unwrap(),
        prev,
        hash: [0; 32],
    };
    e.hash = e.body().hash_with(&mut Vec::new());
    e
}

/// [`hub_event_at`] at a fixed moment in 2026, one millisecond later for each `seq`.
pub fn hub_event(seq: u64, prev: [u8; 32], kind: &str, aggregate: &str, payload: &impl serde::Serialize) -> Event {
    hub_event_at(
        seq,
        prev,
        DateTime::from_timestamp_millis(1_790_000_000_000 + seq as i64).unwrap(),
        kind,
        aggregate,
        payload,
    )
}
