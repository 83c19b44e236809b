//! The log's bytes are a contract: pinned hashes, a log written before the move, and the chain
//! append and check that every replica and the hub share.
#![allow(clippy::unwrap_used)]

use qingfeng_log::encoding;
use qingfeng_log::kind;
use qingfeng_log::payload::{OfficeCreated, OwnershipOffered};
use qingfeng_log::{ChainBreak, ChainCursor, ChainHead, Event, GENESIS, HLC_COUNTER_BITS, NewEvent};

const DEVICE: &str = "01a24da1-dfcb-7343-bd56-0e42a815b945";

/// A `setting.changed` event with every field fixed, as the office's store writes one.
fn known_event(id: &str, seq: u64, hlc: u64, prev: [u8; 32]) -> Event {
    #[derive(serde::Serialize)]
    struct SettingChanged {
        key: &'static str,
        value: &'static str,
    }
    let payload = encoding::to_canonical_cbor(&SettingChanged { key: "lock_minutes", value: "30" }).unwrap();
    let mut e = Event {
        id: id.into(),
        origin_office: "530102".into(),
        origin_device: DEVICE.into(),
        seq,
        hlc,
        actor: "u-admin".into(),
        kind: kind::SETTING_CHANGED.into(),
        aggregate: "office:530102".into(),
        payload,
        prev,
        hash: [0; 32],
    };
    e.hash = e.body().hash_with(&mut Vec::new());
    e
}

/// The expected values were computed outside Rust (by hand-written CBOR and Python's hashlib),
/// so a change to the envelope, the payload's canonical form or the hash shows up here.
#[test]
fn the_hash_of_a_known_event_is_pinned() {
    let hlc = 1_763_700_000_000u64 << HLC_COUNTER_BITS;
    let first = known_event("0192f3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d", 1, hlc, GENESIS);
    assert_eq!(hex::encode(&first.payload), "a2636b65796c6c6f636b5f6d696e757465736576616c7565623330");
    let mut envelope = Vec::new();
    first.body().encode_into(&mut envelope);
    assert_eq!(
        hex::encode(&envelope),
        concat!(
            "8b01782430313932663363342d356536662d376138622d396330642d31653266336134623563366466353330313032",
            "782430316132346461312d646663622d373334332d626435362d306534326138313562393435011b019aa4b6450000",
            "0067752d61646d696e6f73657474696e672e6368616e6765646d6f66666963653a353330313032581ba2636b65796c",
            "6c6f636b5f6d696e757465736576616c75656233305820000000000000000000000000000000000000000000000000",
            "0000000000000000",
        )
    );
    assert_eq!(hex::encode(first.hash), "1f073d9e9a30da2559c600a8b88660e25a2b7797a790a7cbb80549998678b7a0");
    let second = known_event("0192f3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6e", 2, hlc + 1, first.hash);
    assert_eq!(hex::encode(second.hash), "1a93a554a6dea2ee82ca81a042fb0f983b77ab387d43f9daf59608f7d3981a93");
}

fn hash32(text: &str) -> [u8; 32] {
    hex::decode(text).unwrap().try_into().unwrap()
}

/// Events of a demonstration office written by `qingfeng demo` before the log crate existed
/// (the first sixty of its chain, then one of every other kind it wrote), with their stored hashes.
fn demo_log() -> Vec<Event> {
    let text = include_str!("fixtures/demo-log-v1.json");
    let rows: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
    rows.iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap().to_owned();
            Event {
                id: s("id"),
                origin_office: s("origin_office"),
                origin_device: s("origin_device"),
                seq: r["seq"].as_u64().unwrap(),
                hlc: r["hlc"].as_u64().unwrap(),
                actor: s("actor"),
                kind: s("kind"),
                aggregate: s("aggregate"),
                payload: hex::decode(s("payload")).unwrap(),
                prev: hash32(&s("prev")),
                hash: hash32(&s("hash")),
            }
        })
        .collect()
}

#[test]
fn a_log_written_before_the_move_verifies_unchanged() {
    let log = demo_log();
    assert_eq!(log.len(), 75);
    let mut cursor = ChainCursor::default();
    for e in &log[..60] {
        cursor.follow(&e.body(), &e.hash).unwrap_or_else(|b| panic!("seq {}: {b}", e.seq));
    }
    assert_eq!(cursor.seq(), 60);
    // The rest are single events further along the chain: each hash must still recompute.
    for e in &log[60..] {
        cursor.follow_partial(&e.body(), &e.hash).unwrap_or_else(|b| panic!("seq {}: {b}", e.seq));
    }
    // The cross-office payloads decode into the shared types and encode back to the same bytes.
    let office = log.iter().find(|e| e.kind == kind::OFFICE_CREATED).unwrap();
    let created: OfficeCreated = office.payload().unwrap();
    assert_eq!(created.code, "530102");
    assert_eq!(encoding::to_canonical_cbor(&created).unwrap(), office.payload);
    let offer = log.iter().find(|e| e.kind == kind::OWNERSHIP_OFFERED).unwrap();
    let offered: OwnershipOffered = offer.payload().unwrap();
    assert_eq!(offered.aggregate, offer.aggregate);
    assert_eq!(encoding::to_canonical_cbor(&offered).unwrap(), offer.payload);
}

#[test]
fn the_chain_check_names_each_kind_of_break() {
    let log = demo_log();
    let chain = &log[..5];
    let walk = |events: &[Event]| -> Result<(), ChainBreak> {
        let mut cursor = ChainCursor::default();
        events.iter().try_for_each(|e| cursor.follow(&e.body(), &e.hash))
    };
    assert_eq!(walk(chain), Ok(()));

    let mut altered = chain.to_vec();
    altered[2].payload[3] ^= 1;
    assert_eq!(walk(&altered), Err(ChainBreak::HashMismatch));

    let mut dropped = chain.to_vec();
    dropped.remove(2);
    assert_eq!(walk(&dropped), Err(ChainBreak::SeqGap { after: 2, found: 4 }));

    // Renumbered and rehashed after a deletion: every hash recomputes, but the link does not.
    let mut relinked = dropped.clone();
    relinked[2].seq = 3;
    relinked[2].hash = relinked[2].body().hash_with(&mut Vec::new());
    assert_eq!(walk(&relinked[..3]), Err(ChainBreak::PrevMismatch));

    let mut cursor = ChainCursor::default();
    assert_eq!(cursor.follow(&chain[0].body(), &chain[0].hash[..31]), Err(ChainBreak::BadLength));

    // A partial walk allows the gap but still checks the link where the previous event is held.
    let mut cursor = ChainCursor::default();
    for e in &dropped {
        cursor.follow_partial(&e.body(), &e.hash).unwrap();
    }
    let mut cursor = ChainCursor::default();
    let partial: Result<(), ChainBreak> =
        relinked[..3].iter().try_for_each(|e| cursor.follow_partial(&e.body(), &e.hash));
    assert_eq!(partial, Err(ChainBreak::PrevMismatch));
}

#[test]
fn append_continues_a_chain_that_the_check_accepts() {
    let log = demo_log();
    let last = &log[59];
    let mut head = ChainHead::new(&last.origin_office, &last.origin_device, last.seq, last.hash, last.hlc);
    #[derive(serde::Serialize)]
    struct SettingChanged {
        key: &'static str,
        value: &'static str,
    }
    let setting =
        |v| NewEvent::new(kind::SETTING_CHANGED, "office:530102", &SettingChanged { key: "k", value: v }).unwrap();
    // The machine's clock stepped back an hour: the hybrid logical clock still moves forward.
    let back = last.hlc_millis() - 3_600_000;
    let a = head.append("u-admin", setting("1"), back);
    let b = head.append("u-admin", setting("2"), back);
    assert_eq!((a.seq, b.seq), (61, 62));
    assert_eq!(a.prev, last.hash);
    assert!(last.hlc < a.hlc && a.hlc < b.hlc);
    assert_eq!((head.seq, head.hash, head.hlc), (62, b.hash, b.hlc));
    // Wall time that moved on is taken as it is.
    let later = head.append("u-admin", setting("3"), last.hlc_millis() + 60_000);
    assert_eq!(later.hlc, ((last.hlc_millis() + 60_000) as u64) << HLC_COUNTER_BITS);

    let mut cursor = ChainCursor::default();
    for e in log[..60].iter().chain([&a, &b, &later]) {
        cursor.follow(&e.body(), &e.hash).unwrap();
    }
    assert_eq!(cursor.hash(), later.hash);
}

#[test]
fn the_catalogue_keeps_its_names_and_classes() {
    assert_eq!(kind::OFFICE_CREATED, "office.created");
    assert_eq!(kind::OWNERSHIP_CHANGED, "ownership.changed");
    assert!(kind::is_office_private(kind::USER_CREATED) && kind::is_office_private(kind::CALENDAR_UPDATED));
    assert!(!kind::is_office_private(kind::COMPLAINT_REGISTERED));
    assert!(kind::is_grow_only(kind::CITATION_ADDED) && !kind::is_grow_only(kind::COMPLAINT_SCREENED));
    assert!(kind::is_workflow_aggregate("penalty:1") && !kind::is_workflow_aggregate("quarterly:530102:2026Q1"));
}
