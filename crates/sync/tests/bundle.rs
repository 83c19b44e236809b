//! Bundles: round trips, streaming, and refusal of truncated, altered or foreign files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{self, Read};

use common::chain;
use proptest::prelude::*;
use qingfeng_sync::bundle::{self, MAGIC};
use qingfeng_sync::envelope::{CERTIFICATE_CONTEXT, FEED_CONTEXT, RECEIPT_CONTEXT};
use qingfeng_sync::{
    Alg, BundleHeader, BundleItem, BundleKind, BundleReader, BundleWriter, ChangeSet, DeviceCertificate, FeedPage,
    IssuedCertificate, Outcome, Prerequisite, Receipt, RejectCode, SecretKey, Signed, SignedChangeSet, SyncError,
    read_all, split_into_changesets,
};

fn header(kind: BundleKind) -> BundleHeader {
    let mut h = BundleHeader::new(kind, "530102", "dev-a", 1_750_000_000_000);
    h.prerequisites.push(Prerequisite("hub-1".into(), 12, [3; 32]));
    h
}

fn items(device: &SecretKey, hub: &SecretKey) -> Vec<BundleItem> {
    let events = chain("530102", "dev-a", 30, 20);
    let mut items: Vec<BundleItem> = split_into_changesets(events.clone(), 10, usize::MAX)
        .unwrap()
        .iter()
        .map(|set| BundleItem::ChangeSet(SignedChangeSet::sign(set, device)))
        .collect();
    let receipt = Receipt {
        changeset_id: [1; 32],
        origin_device: "dev-a".into(),
        first_seq: 1,
        last_seq: 10,
        outcome: Outcome::Rejected { code: RejectCode::Gap, reason: "等待".into() },
        hub_time_ms: 5,
    };
    items.push(BundleItem::Receipt(Signed::sign(RECEIPT_CONTEXT, &receipt, hub).unwrap()));
    let page = FeedPage { office_code: "530102".into(), events, cursor: 30, more: false };
    items.push(BundleItem::FeedPage(Signed::sign(FEED_CONTEXT, &page, hub).unwrap()));
    let certificate = DeviceCertificate {
        office_code: "530102".into(),
        device_id: "dev-a".into(),
        public_key: device.public_key(),
        hub_key_id: hub.public_key().key_id(),
        serial: 2,
        issued_at_ms: 3,
        hub_tls_sha256: None,
        hub_seal_key: None,
    };
    items.push(BundleItem::Certificate(IssuedCertificate {
        certificate: Signed::sign(CERTIFICATE_CONTEXT, &certificate, hub).unwrap(),
        hub_key: hub.public_key(),
    }));
    items
}

fn write(header: &BundleHeader, items: &[BundleItem], key: &SecretKey) -> Vec<u8> {
    let mut writer = BundleWriter::new(Vec::new(), header).unwrap();
    for item in items {
        writer.write_item(item).unwrap();
    }
    writer.finish(key).unwrap()
}

fn small_bundle(key: &SecretKey) -> Vec<u8> {
    let set = ChangeSet::from_events(chain("530102", "dev-a", 2, 3)).unwrap();
    write(&header(BundleKind::Outbound), &[BundleItem::ChangeSet(SignedChangeSet::sign(&set, key))], key)
}

#[test]
fn every_kind_of_item_round_trips() {
    for alg in [Alg::Ed25519, Alg::Sm2Sm3] {
        let device = SecretKey::generate(alg);
        let hub = SecretKey::generate(alg);
        let items = items(&device, &hub);
        let bytes = write(&header(BundleKind::Return), &items, &hub);
        assert!(bytes.starts_with(MAGIC));
        let bundle = read_all(bytes.as_slice(), &hub.public_key()).unwrap();
        assert_eq!(bundle.header, header(BundleKind::Return));
        assert_eq!(bundle.items, items);
        // The items are still individually signed and open as usual.
        match &bundle.items[0] {
            BundleItem::ChangeSet(s) => assert_eq!(s.open(&device.public_key()).unwrap().first_seq(), 1),
            other => panic!("{other:?}"),
        }
        match &bundle.items[5] {
            BundleItem::Certificate(c) => assert_eq!(c.open().unwrap().serial, 2),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn an_empty_bundle_round_trips() {
    let key = SecretKey::generate(Alg::Ed25519);
    let bytes = write(&BundleHeader::new(BundleKind::Outbound, "530102", "dev-a", 0), &[], &key);
    let bundle = read_all(bytes.as_slice(), &key.public_key()).unwrap();
    assert!(bundle.items.is_empty());
}

#[test]
fn the_streaming_reader_hands_out_items_then_checks_the_trailer() {
    let device = SecretKey::generate(Alg::Ed25519);
    let hub = SecretKey::generate(Alg::Ed25519);
    let items = items(&device, &hub);
    let bytes = write(&header(BundleKind::Return), &items, &hub);

    let mut reader = BundleReader::new(bytes.as_slice()).unwrap();
    assert_eq!(reader.header().office_code, "530102");
    let read: Vec<BundleItem> = reader.by_ref().collect::<Result<_, _>>().unwrap();
    assert_eq!(read, items);
    assert!(reader.next_item().unwrap().is_none());
    assert_eq!(reader.finish(&hub.public_key()).unwrap(), header(BundleKind::Return));

    // finish() reads and checks whatever the caller did not read.
    let mut reader = BundleReader::new(bytes.as_slice()).unwrap();
    reader.next_item().unwrap().unwrap();
    reader.finish(&hub.public_key()).unwrap();
    BundleReader::new(bytes.as_slice()).unwrap().finish(&hub.public_key()).unwrap();
}

/// A reader that yields at most `chunk` bytes per call, as pipes and some file systems do.
struct Trickle<'a> {
    data: &'a [u8],
    chunk: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.chunk).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn short_reads_do_not_matter() {
    let key = SecretKey::generate(Alg::Ed25519);
    let bytes = small_bundle(&key);
    for chunk in [1, 3, 7] {
        read_all(Trickle { data: &bytes, chunk }, &key.public_key()).unwrap();
    }
}

#[test]
fn many_events_stream_through_in_bounded_pieces() {
    // 20,000 events in 4 change sets: the reader holds one item at a time.
    let key = SecretKey::generate(Alg::Ed25519);
    let events = chain("530102", "dev-a", 20_000, 8);
    let sets = split_into_changesets(events, 5000, usize::MAX).unwrap();
    let mut writer = BundleWriter::new(Vec::new(), &header(BundleKind::Outbound)).unwrap();
    for set in &sets {
        writer.write_item(&BundleItem::ChangeSet(SignedChangeSet::sign(set, &key))).unwrap();
    }
    let bytes = writer.finish(&key).unwrap();
    let mut reader = BundleReader::new(bytes.as_slice()).unwrap();
    let mut next_seq = 1;
    while let Some(item) = reader.next_item().unwrap() {
        let BundleItem::ChangeSet(signed) = item else { panic!("unexpected item") };
        let set = signed.open(&key.public_key()).unwrap();
        assert_eq!(set.first_seq(), next_seq);
        next_seq = set.last_seq() + 1;
    }
    assert_eq!(next_seq, 20_001);
    reader.finish(&key.public_key()).unwrap();
}

#[test]
fn a_truncated_bundle_is_refused_with_a_clear_message() {
    let key = SecretKey::generate(Alg::Ed25519);
    let bytes = small_bundle(&key);
    for len in 0..bytes.len() {
        let err = read_all(&bytes[..len], &key.public_key()).unwrap_err();
        // Cut inside the magic, it is simply not a bundle; anywhere else the file is incomplete.
        if len >= MAGIC.len() {
            assert!(matches!(err, SyncError::Truncated(_)), "cut at {len}: {err:?}");
            assert!(err.to_string().contains("不完整"), "{err}");
        }
    }
}

#[test]
fn altering_any_byte_of_a_bundle_is_refused() {
    let key = SecretKey::generate(Alg::Ed25519);
    let bytes = small_bundle(&key);
    for i in 0..bytes.len() {
        for bit in [0x01, 0x80] {
            let mut bad = bytes.clone();
            bad[i] ^= bit;
            assert!(read_all(bad.as_slice(), &key.public_key()).is_err(), "byte {i} ^ {bit:#x} was accepted");
        }
    }
    // A change inside an item that still decodes is caught by the trailer, with the bundle message.
    let set = ChangeSet::from_events(chain("530102", "dev-a", 2, 3)).unwrap();
    let body = set.encode();
    let payload_byte = bytes.windows(body.len()).position(|w| w == body.as_slice()).unwrap() + body.len() - 1;
    let mut bad = bytes.clone();
    bad[payload_byte] ^= 1;
    let err = read_all(bad.as_slice(), &key.public_key()).unwrap_err();
    assert!(matches!(err, SyncError::BundleTampered), "{err:?}");
    assert!(err.to_string().contains("被改动"), "{err}");
}

/// Where the trailer's length prefix starts: the last length-prefixed block of the file.
fn trailer_start(b: &[u8]) -> usize {
    let n = b.len();
    let k = (1..=4096).find(|&k| u32::from_be_bytes(b[n - k - 4..n - k].try_into().unwrap()) as usize == k).unwrap();
    n - k - 4
}

#[test]
fn removed_or_added_items_are_refused() {
    let device = SecretKey::generate(Alg::Ed25519);
    let hub = SecretKey::generate(Alg::Ed25519);
    let mut all = items(&device, &hub);
    let full = write(&header(BundleKind::Return), &all, &hub);
    // Same header and signer, one item fewer, under the full bundle's trailer: refused.
    all.pop();
    let shorter = write(&header(BundleKind::Return), &all, &hub);
    let spliced = [&shorter[..trailer_start(&shorter)], &full[trailer_start(&full)..]].concat();
    assert!(matches!(read_all(spliced.as_slice(), &hub.public_key()), Err(SyncError::BundleTampered)));
    // And the other way round: an item added.
    let spliced = [&full[..trailer_start(&full)], &shorter[trailer_start(&shorter)..]].concat();
    assert!(matches!(read_all(spliced.as_slice(), &hub.public_key()), Err(SyncError::BundleTampered)));
    // Bytes after the trailer are refused.
    let mut extended = full.clone();
    extended.push(0);
    assert!(read_all(extended.as_slice(), &hub.public_key()).is_err());
}

#[test]
fn the_wrong_key_and_foreign_files_are_refused() {
    let key = SecretKey::generate(Alg::Ed25519);
    let bytes = small_bundle(&key);
    let other = SecretKey::generate(Alg::Ed25519).public_key();
    assert!(matches!(read_all(bytes.as_slice(), &other), Err(SyncError::WrongKey { .. })));
    let sm2 = SecretKey::generate(Alg::Sm2Sm3).public_key();
    assert!(matches!(read_all(bytes.as_slice(), &sm2), Err(SyncError::WrongKey { .. })));

    let err = read_all(&b"PK\x03\x04 a zip file, not a bundle"[..], &key.public_key()).unwrap_err();
    assert!(matches!(err, SyncError::NotABundle));
    assert!(err.to_string().contains("不是清风同步包"), "{err}");
    let mut newer = bytes.clone();
    newer[7] = b'2';
    assert!(matches!(read_all(newer.as_slice(), &key.public_key()), Err(SyncError::UnknownVersion(2))));
}

#[test]
fn headers_that_claim_too_much_are_refused_without_allocating_it() {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&u32::MAX.to_be_bytes());
    let key = SecretKey::generate(Alg::Ed25519);
    assert!(matches!(read_all(bytes.as_slice(), &key.public_key()), Err(SyncError::TooLarge { .. })));
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&(1024u32 * 1024).to_be_bytes());
    assert!(matches!(read_all(bytes.as_slice(), &key.public_key()), Err(SyncError::Truncated(_))));
}

#[test]
fn the_writer_refuses_a_header_of_another_version() {
    let mut h = header(BundleKind::Outbound);
    h.version = 2;
    assert!(matches!(BundleWriter::new(Vec::new(), &h), Err(SyncError::UnknownVersion(2))));
    assert_eq!(bundle::CONTEXT, "qingfeng/bundle/v1");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn reading_arbitrary_bytes_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..512), magic in any::<bool>()) {
        let key = SecretKey::from_bytes(Alg::Ed25519, &[1; 32]).unwrap();
        let bytes = if magic { [MAGIC.as_slice(), &tail].concat() } else { tail };
        prop_assert!(read_all(bytes.as_slice(), &key.public_key()).is_err());
    }

    #[test]
    fn mutated_bundles_never_panic(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)) {
        let key = SecretKey::from_bytes(Alg::Ed25519, &[1; 32]).unwrap();
        let mut bytes = small_bundle(&key);
        let original = bytes.clone();
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let result = read_all(bytes.as_slice(), &key.public_key());
        prop_assert_eq!(result.is_ok(), bytes == original);
    }
}
