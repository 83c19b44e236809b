//! Content named by events on a replica (issue #13, defect 1): an attachment's event applied before
//! its bytes arrive, shown as in transit, received in chunks that resume after an interruption,
//! verified by hash; two offices attaching the same file merge; nothing refuses a page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::replica::*;

use qingfeng_core::blobref::BLOB_CHUNK_BYTES;
use qingfeng_core::complaints::attachments;
use qingfeng_core::complaints::ops;
use qingfeng_core::complaints::*;
use qingfeng_core::encoding::sha256_hex;
use qingfeng_core::identity::OfficeLevel;
use qingfeng_core::{CoreError, KeySource, Store};

fn county() -> Replica {
    replica("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"))
}

fn city() -> Replica {
    replica("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"))
}

fn letter() -> RegisterComplaint {
    RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-09-28".into(),
        reporter: None,
        real_name: false,
        real_name_verified: None,
        summary: "反映某局长问题".into(),
        content: "反映某局长违规收受工程款的问题。".into(),
        categories: vec!["违反廉洁纪律".into()],
        subjects: vec![Subject {
            name: "王某".into(),
            post: "局长".into(),
            unit: "某市交通局".into(),
            level: "市管干部".into(),
        }],
        repeat_of: None,
    }
}

/// A scanned letter as plain text of `len` bytes (text is an accepted attachment type).
fn scan(len: usize) -> Vec<u8> {
    "检举信正文，第一页。".bytes().cycle().take(len - len % 3).collect()
}

#[test]
fn an_attachment_event_before_its_bytes_is_applied_and_shown_in_transit() {
    let mut county = county();
    let mut city = city();
    let id = ops::register(&mut county.store, &county.petitions, &letter()).unwrap();
    let bytes = scan(3000);
    let sha = sha256_hex(&bytes);
    attachments::add(&mut county.store, &county.petitions, &id, "检举信.txt", &bytes).unwrap();

    // Before the fix: "FOREIGN KEY constraint failed" refused this page, and every retry, forever.
    let events = routed(&county.store, 0);
    let report = city.store.ingest_remote(&events, 10).unwrap();
    assert_eq!(report.applied as usize, events.len());
    assert_eq!(city.store.sync_status().unwrap().feed_cursor, 10, "the feed moved on");

    let listed = attachments::list(&city.store, &city.petitions, &id).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(!listed[0].available, "the bytes have not arrived: 附件传输中");
    let err = attachments::open(&mut city.store, &city.petitions, &id, &sha, "核对").unwrap_err().to_string();
    assert!(err.contains("传输中"), "{err}");
    let missing = city.store.missing_blobs(10).unwrap();
    assert_eq!(missing.len(), 1);
    assert_eq!((missing[0].sha256.as_str(), missing[0].size, missing[0].received), (sha.as_str(), 3000, 0));
    assert_eq!(city.store.blob_totals().unwrap().missing, 1);

    // Bytes that do not match the hash are refused and discarded; the right ones complete it.
    let mut wrong = bytes.clone();
    wrong[5] ^= 1;
    assert!(matches!(city.store.put_blob_chunk(&sha, 0, &wrong), Err(CoreError::Tampered(_))));
    assert_eq!(city.store.missing_blobs(10).unwrap()[0].received, 0, "a bad transfer starts again");
    let done = city.store.put_blob_chunk(&sha, 0, &bytes).unwrap();
    assert!(done.complete);
    assert!(city.store.missing_blobs(10).unwrap().is_empty());
    assert!(attachments::list(&city.store, &city.petitions, &id).unwrap()[0].available);
    let opened = attachments::open(&mut city.store, &city.petitions, &id, &sha, "核对").unwrap();
    assert_eq!(opened.bytes, bytes);
    assert!(city.store.verify_blobs().unwrap().damaged.is_empty());

    // Content nobody here named is not taken in.
    let stranger = scan(300);
    assert!(city.store.put_blob_chunk(&sha256_hex(&stranger), 0, &stranger).is_err());

    // A rebuild keeps the references (they are a projection of the log).
    city.store.rebuild().unwrap();
    assert!(city.store.missing_blobs(10).unwrap().is_empty());
    assert!(attachments::list(&city.store, &city.petitions, &id).unwrap()[0].available);
}

#[test]
fn a_large_blob_interrupted_mid_way_resumes_at_the_last_whole_chunk() {
    let mut county = county();
    let mut city = city();
    let id = ops::register(&mut county.store, &county.petitions, &letter()).unwrap();
    let bytes = scan(2 * BLOB_CHUNK_BYTES + 123_456);
    let sha = sha256_hex(&bytes);
    attachments::add(&mut county.store, &county.petitions, &id, "录音整理.txt", &bytes).unwrap();
    city.store.ingest_remote(&routed(&county.store, 0), 1).unwrap();

    let chunk = |i: usize| &bytes[i * BLOB_CHUNK_BYTES..((i + 1) * BLOB_CHUNK_BYTES).min(bytes.len())];
    let first = city.store.put_blob_chunk(&sha, 0, chunk(0)).unwrap();
    assert_eq!((first.received, first.complete), (BLOB_CHUNK_BYTES as u64, false));
    let second = city.store.put_blob_chunk(&sha, BLOB_CHUNK_BYTES as u64, chunk(1)).unwrap();
    assert_eq!(second.received, 2 * BLOB_CHUNK_BYTES as u64);

    // The link drops and the program is closed; on the next start the transfer resumes there.
    let db = city.dir.path().join("q.db");
    let keys = KeySource::File(city.dir.path().join("q.key"));
    drop(city.store);
    let mut store = Store::open(&db, &keys).unwrap();
    let missing = store.missing_blobs(10).unwrap();
    assert_eq!(missing[0].received, 2 * BLOB_CHUNK_BYTES as u64, "what arrived is kept");
    // A chunk sent again from the start writes nothing and says where to resume.
    let replay = store.put_blob_chunk(&sha, 0, chunk(0)).unwrap();
    assert_eq!((replay.received, replay.complete), (2 * BLOB_CHUNK_BYTES as u64, false));
    let last = store.put_blob_chunk(&sha, 2 * BLOB_CHUNK_BYTES as u64, chunk(2)).unwrap();
    assert!(last.complete);
    assert_eq!(store.blob_chunk(&sha, 0, bytes.len()).unwrap().unwrap(), bytes);
    assert_eq!(store.blob_totals().unwrap().received_bytes, 0, "no partial chunks are left behind");
}

#[test]
fn two_devices_attaching_the_same_file_merge_into_one_attachment() {
    // Two computers of one office, offline, both attach the scan of the same letter.
    let mut first = county();
    let mut second = county();
    let id = ops::register(&mut first.store, &first.petitions, &letter()).unwrap();
    second.store.ingest_remote(&routed(&first.store, 0), 1).unwrap();
    let first_head = first.store.sync_status().unwrap().head_seq;
    let second_head = second.store.sync_status().unwrap().head_seq;

    let bytes = scan(900);
    attachments::add(&mut first.store, &first.petitions, &id, "原件.txt", &bytes).unwrap();
    attachments::add(&mut second.store, &second.petitions, &id, "复印件.txt", &bytes).unwrap();
    // Each receives the other's: before the fix the second insert failed the page (primary key).
    second.store.ingest_remote(&routed(&first.store, first_head), 2).unwrap();
    first.store.ingest_remote(&routed(&second.store, second_head), 2).unwrap();
    assert_eq!(attachments::list(&first.store, &first.petitions, &id).unwrap().len(), 1);
    assert_eq!(attachments::list(&second.store, &second.petitions, &id).unwrap().len(), 1);
    assert!(second.store.missing_blobs(10).unwrap().is_empty(), "each holds the bytes it attached itself");
}
