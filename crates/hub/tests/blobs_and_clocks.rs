//! The hub's side of issue #13, on SQLite and on PostgreSQL: blobs named by accepted events sent
//! and fetched in chunks, only by offices whose feed carries such an event, resumable, verified by
//! hash; and clocks kept
//! honest (a set from a clock too far ahead is held back with one alarm, a zero or negative clock
//! is refused and routed nowhere).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use qingfeng_hub::storage::Device as DeviceRow;
use qingfeng_log::event::HLC_COUNTER_BITS;
use qingfeng_log::kind;
use qingfeng_sync::blob::{BLOB_CHUNK_BYTES, BlobGet, BlobId, BlobPut, BlobState, MAX_BLOB_BYTES};
use sha2::{Digest, Sha256};

fn row(hub: &qingfeng_hub::Hub, id: &str) -> DeviceRow {
    hub.devices().unwrap().into_iter().find(|d| d.device_id == id).unwrap()
}

fn attach(device: &mut Device, complaint: &str, bytes: &[u8]) -> (qingfeng_log::event::Event, BlobId) {
    let sha: [u8; 32] = Sha256::digest(bytes).into();
    let event = device.event(
        kind::COMPLAINT_ATTACHMENT_ADDED,
        &format!("complaint:{complaint}"),
        &serde_json::json!({
            "complaint_id": complaint, "sha256": hex::encode(sha), "name": "信.txt",
            "media_type": "text/plain", "size": bytes.len()
        }),
    );
    (event, BlobId(sha))
}

fn put(hub: &qingfeng_hub::Hub, device: &DeviceRow, id: BlobId, bytes: &[u8], offset: usize) -> BlobState {
    let end = (offset + BLOB_CHUNK_BYTES).min(bytes.len());
    hub.put_blob(device, &BlobPut { sha256: id, offset: offset as u64, bytes: bytes[offset..end].to_vec() })
        .unwrap()
        .state
}

on_each_backend! {
fn a_blob_travels_in_resumable_chunks_only_between_offices_whose_feed_names_it(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let _kunming = Device::enrolled(&hub, KUNMING, "kunming-1");
    let _qilin = Device::enrolled(&hub, QILIN, "qilin-1");
    let bytes: Vec<u8> = (0..(2 * BLOB_CHUNK_BYTES + 1000)).map(|i| (i % 251) as u8).collect();
    let register = wuhua.work("complaint:c1");
    let (event, id) = attach(&mut wuhua, "c1", &bytes);
    assert_eq!(wuhua.send(&hub, vec![register, event]), "accepted");
    let (w, k, q) = (row(&hub, "wuhua-1"), row(&hub, "kunming-1"), row(&hub, "qilin-1"));

    // The size is known from the event before any byte arrives; another prefecture's county is
    // told nothing and may neither send nor fetch it.
    let status = hub.blob_status(&w, &[id]).unwrap()[0];
    assert_eq!((status.state, status.size, status.received), (BlobState::Missing, bytes.len() as u64, 0));
    assert_eq!(hub.blob_status(&q, &[id]).unwrap()[0].state, BlobState::NotNamed);
    assert!(hub.put_blob(&q, &BlobPut { sha256: id, offset: 0, bytes: bytes[..BLOB_CHUNK_BYTES].to_vec() }).is_err());

    // Two chunks, then the link drops: the status says where to resume, a chunk sent again from
    // the start writes nothing, and the rest completes it.
    assert_eq!(put(&hub, &w, id, &bytes, 0), BlobState::Partial);
    assert_eq!(put(&hub, &w, id, &bytes, BLOB_CHUNK_BYTES), BlobState::Partial);
    let status = hub.blob_status(&w, &[id]).unwrap()[0];
    assert_eq!(status.received, 2 * BLOB_CHUNK_BYTES as u64);
    assert_eq!(put(&hub, &w, id, &bytes, 0), BlobState::Partial, "a repeated chunk changes nothing");
    assert!(hub.get_blob(&k, &BlobGet { sha256: id, offset: 0 }).is_err(), "not fetchable until whole");
    assert_eq!(put(&hub, &w, id, &bytes, 2 * BLOB_CHUNK_BYTES), BlobState::Complete);

    // The prefecture above, whose feed carries the event, fetches it chunk by chunk.
    let mut fetched = Vec::new();
    while fetched.len() < bytes.len() {
        let chunk = hub.get_blob(&k, &BlobGet { sha256: id, offset: fetched.len() as u64 }).unwrap();
        fetched.extend(chunk.bytes);
    }
    assert_eq!(fetched, bytes);
    assert!(hub.get_blob(&q, &BlobGet { sha256: id, offset: 0 }).is_err());
    let verify = hub.verify_events().unwrap();
    assert!(verify.ok, "{verify:?}");
    assert_eq!((verify.blobs.named, verify.blobs.complete, verify.blobs.pending), (1, 1, 0));
}
}

on_each_backend! {
fn bytes_that_do_not_match_their_name_are_discarded_and_sizes_are_bounded_up_front(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let bytes = b"the real scan".to_vec();
    let register = wuhua.work("complaint:c1");
    let (event, id) = attach(&mut wuhua, "c1", &bytes);
    // An event that claims a blob larger than the protocol allows.
    let huge = wuhua.event(
        kind::COMPLAINT_ATTACHMENT_ADDED,
        "complaint:c1",
        &serde_json::json!({"complaint_id": "c1", "sha256": "ab".repeat(32), "name": "x", "media_type": "x",
                            "size": MAX_BLOB_BYTES + 1}),
    );
    assert_eq!(wuhua.send(&hub, vec![register, event, huge]), "accepted");
    let w = row(&hub, "wuhua-1");
    let forged = b"not the scan!".to_vec();
    assert_eq!(put(&hub, &w, id, &forged, 0), BlobState::Missing, "a mismatch is discarded whole");
    assert_eq!(hub.blob_status(&w, &[id]).unwrap()[0].received, 0);
    assert_eq!(put(&hub, &w, id, &bytes, 0), BlobState::Complete);
    let big = BlobId(<[u8; 32]>::try_from(hex::decode("ab".repeat(32)).unwrap()).unwrap());
    let err = hub.put_blob(&w, &BlobPut { sha256: big, offset: 0, bytes: vec![0; 10] }).unwrap_err();
    assert!(err.to_string().contains("上限"), "{err}");
}
}

on_each_backend! {
fn a_clock_far_ahead_is_held_back_with_one_alarm_and_never_stored(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    // Issue #13 defect 3: hlc = 2^63 - 1 was accepted and routed to the prefecture.
    wuhua.hlc = (i64::MAX as u64) - 1;
    let ahead = wuhua.work("complaint:c1");
    assert_eq!(ahead.hlc, i64::MAX as u64);
    let set = wuhua.sign(vec![ahead.clone()]);
    assert_eq!(outcome(&hub.accept_changeset(&set.encode()).unwrap()), "clock_ahead");
    assert_eq!(outcome(&hub.accept_changeset(&set.encode()).unwrap()), "clock_ahead");
    assert!(hub.chain_of("wuhua-1").unwrap().is_empty(), "nothing is stored");
    assert!(read_feed(&hub, KUNMING, "kunming-1").iter().all(|e| e.id != ahead.id));
    let alarms: Vec<_> = hub.alarms().unwrap().into_iter().filter(|a| a.kind == "clock_ahead").collect();
    assert_eq!(alarms.len(), 1, "one alarm, not one per retry: {alarms:?}");
    assert!(alarms[0].detail.contains("wuhua-1") && alarms[0].detail.contains(WUHUA), "{}", alarms[0].detail);

    // Ten minutes ahead is within the default hour: accepted.
    let mut ok = Device::enrolled(&hub, WUHUA, "wuhua-2");
    ok.hlc = ((qingfeng_hub::now_ms() + 10 * 60 * 1000) as u64) << HLC_COUNTER_BITS;
    let near = ok.work("complaint:c2");
    assert_eq!(ok.send(&hub, vec![near]), "accepted");
    assert!(hub.verify_events().unwrap().ok);
}
}

on_each_backend! {
fn a_zero_or_negative_clock_is_refused_and_routed_nowhere(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut wuhua = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let good = wuhua.work("complaint:c1");
    assert_eq!(wuhua.send(&hub, vec![good]), "accepted");
    // Build an event with clock 0 by hand (the device helper never goes back in time).
    let mut zero = wuhua.work("complaint:c1");
    zero.hlc = 0;
    zero.hash = zero.body().hash_with(&mut Vec::new());
    wuhua.head = zero.hash;
    assert_eq!(wuhua.send(&hub, vec![zero.clone()]), "unauthorized");
    assert!(read_feed(&hub, KUNMING, "kunming-1").iter().all(|e| e.id != zero.id));
    // The chain stays whole and the device's queue moves on.
    let next = wuhua.work("complaint:c1");
    assert_eq!(wuhua.send(&hub, vec![next]), "accepted");
    assert!(hub.verify_events().unwrap().ok);
}
}
