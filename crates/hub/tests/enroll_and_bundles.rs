//! Enrollment (online with one-time tokens, offline from request files) and offline bundles
//! imported in any order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use qingfeng_hub::{Hub, HubError};
use qingfeng_log::clock::Clock;
use qingfeng_sync::envelope::{FEED_CONTEXT, RECEIPT_CONTEXT};
use qingfeng_sync::{BundleHeader, BundleItem, BundleKind, BundleWriter, Outcome, Prerequisite, read_all};

#[test]
fn a_token_enrolls_one_device_of_its_office_once() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_in(dir.path());
    let token = hub.issue_token(WUHUA, Duration::from_secs(3600)).unwrap();
    assert_eq!(token.hub_key_id, hub.public_key().key_id());

    let wrong_office = Device::new(PANLONG, "panlong-1");
    assert!(matches!(hub.enroll(&wrong_office.enrollment(Some(&token.token))), Err(HubError::Unauthenticated(_))));
    assert!(matches!(hub.enroll(&wrong_office.enrollment(None)), Err(HubError::Unauthenticated(_))));

    let device = Device::new(WUHUA, "wuhua-1");
    // Tokens are read case- and separator-insensitively, as people type them.
    let typed = token.token.to_uppercase().replace('-', " ");
    let issued = hub.enroll(&device.enrollment(Some(&typed))).unwrap();
    let cert = issued.open().unwrap();
    assert_eq!((cert.office_code.as_str(), cert.device_id.as_str()), (WUHUA, "wuhua-1"));
    assert_eq!(cert.public_key, device.key.public_key());
    assert_eq!(cert.hub_key_id, hub.public_key().key_id());
    assert_eq!(&issued.hub_key, hub.public_key());

    // The same device retrying after a lost answer gets its certificate again; anyone else not.
    let again = hub.enroll(&device.enrollment(Some(&token.token))).unwrap().open().unwrap();
    assert_eq!(again.serial, cert.serial);
    let second = Device::new(WUHUA, "wuhua-2");
    assert!(matches!(hub.enroll(&second.enrollment(Some(&token.token))), Err(HubError::Unauthenticated(_))));
    let impostor = Device::new(WUHUA, "wuhua-1");
    let fresh = hub.issue_token(WUHUA, Duration::from_secs(3600)).unwrap();
    assert!(matches!(hub.enroll(&impostor.enrollment(Some(&fresh.token))), Err(HubError::Conflict(_))));
    assert_eq!(hub.devices().unwrap().len(), 1);
}

#[test]
fn an_expired_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(chrono::Utc::now());
    let hub = hub_in(dir.path()).with_clock(clock.clone());
    let token = hub.issue_token(WUHUA, Duration::from_secs(3600)).unwrap();
    clock.advance(chrono::Duration::hours(2));
    let device = Device::new(WUHUA, "wuhua-1");
    let err = hub.enroll(&device.enrollment(Some(&token.token))).unwrap_err();
    assert!(err.to_string().contains("过期"), "{err}");
}

#[test]
fn an_offline_request_needs_no_token_but_a_valid_signature() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_in(dir.path());
    let device = Device::new(QILIN, "qilin-1");
    let request = device.enrollment(None);
    let issued = hub.enroll_offline(&request).unwrap();
    assert_eq!(issued.open().unwrap().device_id, "qilin-1");
    // A request signed by another key than the one it names proves nothing.
    let other = Device::new(QILIN, "qilin-2");
    let mut forged_req = request.peek().unwrap();
    forged_req.device_id = "qilin-2".into();
    let forged =
        qingfeng_sync::Signed::sign(qingfeng_sync::envelope::ENROLLMENT_CONTEXT, &forged_req, &other.key).unwrap();
    assert!(hub.enroll_offline(&forged).is_err());
}

/// An outbound bundle of `sets` from `device`, stating that the hub had receipted up to `acked`.
fn bundle(device: &Device, sets: &[qingfeng_sync::SignedChangeSet], acked: u64) -> Vec<u8> {
    let mut header = BundleHeader::new(BundleKind::Outbound, &device.office, &device.id, qingfeng_hub::now_ms());
    header.prerequisites.push(Prerequisite(device.id.clone(), acked, [0; 32]));
    let mut writer = BundleWriter::new(Vec::new(), &header).unwrap();
    for set in sets {
        writer.write_item(&BundleItem::ChangeSet(set.clone())).unwrap();
    }
    writer.finish(&device.key).unwrap()
}

/// Receipts (outcome codes by first seq) and feed events of a return bundle, checked with the hub key.
fn read_return(hub: &Hub, bytes: &[u8]) -> (Vec<(u64, String)>, Vec<String>) {
    let bundle = read_all(bytes, hub.public_key()).unwrap();
    assert_eq!(bundle.header.kind, BundleKind::Return);
    let mut receipts = Vec::new();
    let mut events = Vec::new();
    for item in bundle.items {
        match item {
            BundleItem::Receipt(r) => {
                let r = r.open(RECEIPT_CONTEXT, hub.public_key()).unwrap();
                let code = match r.outcome {
                    Outcome::Accepted => "accepted".to_owned(),
                    Outcome::Rejected { code, .. } => code.as_str().to_owned(),
                };
                receipts.push((r.first_seq, code));
            }
            BundleItem::FeedPage(p) => events.extend(p.open(FEED_CONTEXT, hub.public_key()).unwrap().events),
            BundleItem::Certificate(_) | BundleItem::ChangeSet(_) | BundleItem::BlobChunk(_) => {
                panic!("unexpected item")
            }
        }
    }
    (receipts, events.into_iter().map(|e| e.id).collect())
}

#[test]
fn bundles_imported_out_of_order_wait_and_then_all_apply() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_in(dir.path());
    let mut office = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut overseer = Device::enrolled(&hub, KUNMING, "kunming-1");
    let down = overseer.work("complaint:k");
    assert_eq!(overseer.send(&hub, vec![down.clone()]), "accepted");

    let first_events: Vec<_> = (0..3).map(|_| office.work("complaint:w")).collect();
    let second_events: Vec<_> = (0..2).map(|_| office.work("complaint:w")).collect();
    let first = bundle(&office, &[office.sign(first_events)], 0);
    let second = bundle(&office, &[office.sign(second_events)], 3);

    let mut out = Vec::new();
    let report = qingfeng_hub::bundles::import_bundle(&hub, second.as_slice(), &mut out, Some(0)).unwrap();
    assert_eq!((report.changesets, report.accepted, report.waiting), (1, 0, 1));
    let (receipts, _) = read_return(&hub, &out);
    assert_eq!(receipts, [(4, "gap".to_owned())]);

    let mut out = Vec::new();
    let report = qingfeng_hub::bundles::import_bundle(&hub, first.as_slice(), &mut out, Some(0)).unwrap();
    assert_eq!((report.accepted, report.waiting), (1, 0));
    let (receipts, feed) = read_return(&hub, &out);
    assert_eq!(receipts, [(1, "accepted".to_owned()), (4, "accepted".to_owned())], "the waiting set settled too");
    assert!(!feed.contains(&down.id), "a county does not see its prefecture's own aggregates");
    assert_eq!(hub.chain_of("wuhua-1").unwrap().len(), 5);

    // Importing the same bundle again changes nothing and answers the same.
    let mut again = Vec::new();
    let report = qingfeng_hub::bundles::import_bundle(&hub, first.as_slice(), &mut again, Some(0)).unwrap();
    assert_eq!(report.accepted, 1);
    assert_eq!(hub.chain_of("wuhua-1").unwrap().len(), 5);
    assert!(hub.verify_events().unwrap().ok);

    // The prefecture's return bundle carries the county's events.
    let kunming_bundle = bundle(&overseer, &[], 1);
    let mut out = Vec::new();
    qingfeng_hub::bundles::import_bundle(&hub, kunming_bundle.as_slice(), &mut out, Some(0)).unwrap();
    let (_, feed) = read_return(&hub, &out);
    assert_eq!(feed.iter().filter(|id| hub.chain_of("wuhua-1").unwrap().iter().any(|(e, _)| &e.id == *id)).count(), 5);

    // The next round trip: the office's bundle says how far it has read its feed, and the return
    // bundle carries only what came after (here, the county's one new event).
    let cursor = read_all(out.as_slice(), hub.public_key())
        .unwrap()
        .items
        .into_iter()
        .filter_map(|i| match i {
            BundleItem::FeedPage(p) => Some(p.open(FEED_CONTEXT, hub.public_key()).unwrap().cursor),
            _ => None,
        })
        .max()
        .unwrap();
    let new = office.work("complaint:w");
    assert_eq!(office.send(&hub, vec![new.clone()]), "accepted");
    let mut header = BundleHeader::new(BundleKind::Outbound, &overseer.office, &overseer.id, qingfeng_hub::now_ms());
    header.prerequisites.push(Prerequisite(overseer.id.clone(), 1, [0; 32]));
    header.feed_cursor = cursor;
    let next = BundleWriter::new(Vec::new(), &header).unwrap().finish(&overseer.key).unwrap();
    let mut out = Vec::new();
    qingfeng_hub::bundles::import_bundle(&hub, next.as_slice(), &mut out, None).unwrap();
    assert_eq!(read_return(&hub, &out).1, [new.id]);
}

#[test]
fn a_tampered_bundle_is_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let hub = hub_in(dir.path());
    let mut office = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let events: Vec<_> = (0..3).map(|_| office.work("complaint:w")).collect();
    let mut bytes = bundle(&office, &[office.sign(events)], 0);
    let at = bytes.len() - 80;
    bytes[at] ^= 1;
    assert!(qingfeng_hub::bundles::import_bundle(&hub, bytes.as_slice(), Vec::new(), Some(0)).is_err());
    assert!(hub.chain_of("wuhua-1").unwrap().is_empty());
}
