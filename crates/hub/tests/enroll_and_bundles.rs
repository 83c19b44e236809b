//! Enrollment (online with one-time tokens, offline from request files) and offline bundles
//! imported in any order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use qingfeng_hub::{Hub, HubError};
use qingfeng_log::clock::Clock;
use qingfeng_seal::stream::{OpenReader, PURPOSE_OUTBOUND, PURPOSE_RETURN, SealWriter};
use qingfeng_sync::envelope::{FEED_CONTEXT, RECEIPT_CONTEXT};
use qingfeng_sync::{BundleHeader, BundleItem, BundleKind, BundleWriter, Outcome, Prerequisite, read_all};

on_each_backend! {
fn a_token_enrolls_one_device_of_its_office_once(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
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
}

on_each_backend! {
fn an_expired_token_is_refused(backend) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Clock::manual(chrono::Utc::now());
    let hub = backend.hub_in(dir.path()).with_clock(clock.clone());
    let token = hub.issue_token(WUHUA, Duration::from_secs(3600)).unwrap();
    clock.advance(chrono::Duration::hours(2));
    let device = Device::new(WUHUA, "wuhua-1");
    let err = hub.enroll(&device.enrollment(Some(&token.token))).unwrap_err();
    assert!(err.to_string().contains("过期"), "{err}");
}
}

on_each_backend! {
fn an_offline_request_needs_no_token_but_a_valid_signature(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
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

/// The return bundle's plain bytes, opened with the office's sealing key.
fn open_return(device: &Device, bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut r = OpenReader::new(bytes, std::slice::from_ref(&device.seal), PURPOSE_RETURN).unwrap();
    let mut plain = Vec::new();
    r.read_to_end(&mut plain).unwrap();
    plain
}

/// Receipts (outcome codes by first seq) and feed events of a return bundle for `device`'s
/// office, opened with its sealing key and checked with the hub key.
fn read_return(hub: &Hub, device: &Device, bytes: &[u8]) -> (Vec<(u64, String)>, Vec<String>) {
    let plain = open_return(device, bytes);
    let bundle = read_all(plain.as_slice(), hub.public_key()).unwrap();
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

on_each_backend! {
fn bundles_imported_out_of_order_wait_and_then_all_apply(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut office = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut overseer = Device::enrolled(&hub, KUNMING, "kunming-1");
    // Each office has published its sealing keys (its store does so at setup).
    let keys = office.publish_keys();
    assert_eq!(office.send(&hub, vec![keys]), "accepted");
    let keys = overseer.publish_keys();
    let down = overseer.work("complaint:k");
    assert_eq!(overseer.send(&hub, vec![keys, down.clone()]), "accepted");

    let first_events: Vec<_> = (0..3).map(|_| office.work("complaint:w")).collect();
    let second_events: Vec<_> = (0..2).map(|_| office.work("complaint:w")).collect();
    let first = bundle(&office, &[office.sign(first_events)], 1);
    let second = bundle(&office, &[office.sign(second_events)], 4);

    let mut out = Vec::new();
    let report = qingfeng_hub::bundles::import_bundle(&hub, second.as_slice(), &mut out, Some(0)).unwrap();
    assert_eq!((report.changesets, report.accepted, report.waiting), (1, 0, 1));
    let (receipts, _) = read_return(&hub, &office, &out);
    assert_eq!(receipts, [(5, "gap".to_owned())]);

    let mut out = Vec::new();
    let report = qingfeng_hub::bundles::import_bundle(&hub, first.as_slice(), &mut out, Some(0)).unwrap();
    assert_eq!((report.accepted, report.waiting), (1, 0));
    let (receipts, feed) = read_return(&hub, &office, &out);
    assert_eq!(receipts, [(2, "accepted".to_owned()), (5, "accepted".to_owned())], "the waiting set settled too");
    assert!(!feed.contains(&down.id), "a county does not see its prefecture's own aggregates");
    assert_eq!(hub.chain_of("wuhua-1").unwrap().len(), 6);

    // Importing the same bundle again changes nothing and answers the same.
    let mut again = Vec::new();
    let report = qingfeng_hub::bundles::import_bundle(&hub, first.as_slice(), &mut again, Some(0)).unwrap();
    assert_eq!(report.accepted, 1);
    assert_eq!(hub.chain_of("wuhua-1").unwrap().len(), 6);
    assert!(hub.verify_events().unwrap().ok);

    // The prefecture's return bundle carries the county's events.
    let kunming_bundle = bundle(&overseer, &[], 2);
    let mut out = Vec::new();
    qingfeng_hub::bundles::import_bundle(&hub, kunming_bundle.as_slice(), &mut out, Some(0)).unwrap();
    let (_, feed) = read_return(&hub, &overseer, &out);
    let county = hub.chain_of("wuhua-1").unwrap();
    // Its key publication stays with the county's own devices; the five steps reach the prefecture.
    assert_eq!(feed.iter().filter(|id| county.iter().any(|(e, _)| &e.id == *id)).count(), 5);

    // The next round trip: the office's bundle says how far it has read its feed, and the return
    // bundle carries only what came after (here, the county's one new event).
    let out = open_return(&overseer, &out);
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
    header.prerequisites.push(Prerequisite(overseer.id.clone(), 2, [0; 32]));
    header.feed_cursor = cursor;
    let next = BundleWriter::new(Vec::new(), &header).unwrap().finish(&overseer.key).unwrap();
    let mut out = Vec::new();
    qingfeng_hub::bundles::import_bundle(&hub, next.as_slice(), &mut out, None).unwrap();
    assert_eq!(read_return(&hub, &overseer, &out).1, [new.id]);
}
}

on_each_backend! {
/// Issue #14: a bundle travels sealed both ways. The office's bundle opens only with the hub's
/// key; the return bundle only with the office's; another office's key gets a clear refusal
/// naming whose it is, and an office that has published no key gets no plaintext return bundle.
fn bundles_travel_sealed_to_the_hub_and_back_to_their_office_only(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut office = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let mut events = vec![office.publish_keys()];
    events.extend((0..3).map(|_| office.work("complaint:w")));
    let plain = bundle(&office, &[office.sign(events.clone())], 0);
    let mut sealed = SealWriter::new(
        Vec::new(),
        &[qingfeng_seal::Recipient { office: "hub".into(), key: hub.seal_public_key().clone() }],
        PURPOSE_OUTBOUND,
    )
    .unwrap();
    std::io::Write::write_all(&mut sealed, &plain).unwrap();
    let sealed = sealed.finish().unwrap();
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    assert!(!contains(&sealed, b"QFBUNDL1") && !contains(&sealed, "测试".as_bytes()));

    let mut out = Vec::new();
    let report = qingfeng_hub::bundles::import_bundle(&hub, sealed.as_slice(), &mut out, Some(0)).unwrap();
    assert_eq!(report.accepted, 1);
    assert!(!contains(&out, b"QFBUNDL1") && !contains(&out, "测试".as_bytes()), "the return bundle is sealed");
    let (receipts, _) = read_return(&hub, &office, &out);
    assert_eq!(receipts, [(1, "accepted".to_owned())]);

    // Another office's key does not open it, and says whose it is.
    let other = Device::new(PANLONG, "panlong-1");
    let err = OpenReader::new(out.as_slice(), std::slice::from_ref(&other.seal), PURPOSE_RETURN).unwrap_err();
    assert!(err.to_string().contains(WUHUA), "{err}");
    // The office's keys reach every other office's feed through the hub's chain.
    let panlong_feed = read_feed(&hub, PANLONG, "panlong-1");
    assert!(panlong_feed.iter().any(|e| e.kind == "office.sealing_keys" && e.aggregate == format!("office:{WUHUA}")));

    // An office whose device published no key gets a refusal, not a plaintext return bundle.
    let mut silent = Device::enrolled(&hub, QILIN, "qilin-1");
    let events = vec![silent.work("complaint:q")];
    let plain = bundle(&silent, &[silent.sign(events)], 0);
    let mut out = Vec::new();
    let err = qingfeng_hub::bundles::import_bundle(&hub, plain.as_slice(), &mut out, Some(0)).unwrap_err();
    assert!(err.to_string().contains("尚未公布加密公钥"), "{err}");
    assert!(!contains(&out, b"QFBUNDL1"));
}
}

on_each_backend! {
fn a_tampered_bundle_is_refused_whole(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut office = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let events: Vec<_> = (0..3).map(|_| office.work("complaint:w")).collect();
    let mut bytes = bundle(&office, &[office.sign(events)], 0);
    let at = bytes.len() - 80;
    bytes[at] ^= 1;
    assert!(qingfeng_hub::bundles::import_bundle(&hub, bytes.as_slice(), Vec::new(), Some(0)).is_err());
    assert!(hub.chain_of("wuhua-1").unwrap().is_empty());
}
}
