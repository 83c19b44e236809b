//! Writes the seed corpus: a few valid encodings of each input kind, signed with the fuzz key.
//!
//! `cargo +nightly run --example gen_corpus -- corpus` (from `fuzz/`). Seeds are named after a
//! hash of their content, as libFuzzer names corpus files, so running it again adds nothing new.

use std::path::{Path, PathBuf};

use qingfeng_core::events::{Event, GENESIS};
use qingfeng_sync::envelope::{AUTH_CONTEXT, CERTIFICATE_CONTEXT, ENROLLMENT_CONTEXT, FEED_CONTEXT, RECEIPT_CONTEXT};
use qingfeng_sync::{
    Alg, AuthRequest, BundleHeader, BundleItem, BundleKind, BundleWriter, ChangeSet, DeviceCertificate,
    EnrollmentRequest, FeedPage, IssuedCertificate, Outcome, Prerequisite, Receipt, RejectCode, SecretKey, Signed,
    SignedChangeSet,
};

fn events(device: &str, first_seq: u64, prev: [u8; 32], n: u64, payload: usize) -> Vec<Event> {
    let mut buf = Vec::new();
    let mut prev = prev;
    (first_seq..first_seq + n)
        .map(|seq| {
            let mut e = Event {
                id: format!("0190f0e0-0000-7000-8000-{seq:012}"),
                origin_office: "530102".into(),
                origin_device: device.into(),
                seq,
                hlc: (1_750_000_000_000 + seq) << 16,
                actor: "u-1".into(),
                kind: "complaint.registered".into(),
                aggregate: format!("complaint:{seq}"),
                payload: vec![0xa1, 0x61, b'n', seq as u8 & 0x17].into_iter().cycle().take(payload).collect(),
                prev,
                hash: [0; 32],
            };
            e.hash = e.body().hash_with(&mut buf);
            prev = e.hash;
            e
        })
        .collect()
}

fn save(dir: &Path, target: &str, bytes: &[u8]) -> std::io::Result<()> {
    let dir: PathBuf = dir.join(target);
    std::fs::create_dir_all(&dir)?;
    let name = format!("seed-{:016x}", fnv(bytes));
    std::fs::write(dir.join(name), bytes)
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "corpus".into()));
    let key = SecretKey::from_bytes(Alg::Ed25519, &[1; 32])?;
    let sm2 = SecretKey::from_bytes(Alg::Sm2Sm3, &[1; 32])?;

    let first = ChangeSet::from_events(events("dev-a", 1, GENESIS, 3, 4))?;
    let later = ChangeSet::from_events(events("dev-a", 300, [7; 32], 2, 12))?;
    for set in [&first, &later] {
        save(&dir, "changeset_decode", &set.encode())?;
        save(&dir, "changeset_decode", &SignedChangeSet::sign(set, &key).encode())?;
    }
    save(&dir, "changeset_decode", &SignedChangeSet::sign(&first, &sm2).encode())?;

    let receipt = |outcome| Receipt {
        changeset_id: first.id(),
        origin_device: "dev-a".into(),
        first_seq: 1,
        last_seq: 3,
        outcome,
        hub_time_ms: 1_750_000_000_000,
    };
    let env = "envelope_decode";
    save(&dir, env, &Signed::sign(RECEIPT_CONTEXT, &receipt(Outcome::Accepted), &key)?.encode())?;
    let rejected = Outcome::Rejected { code: RejectCode::Equivocation, reason: "同一序号".into() };
    save(&dir, env, &Signed::sign(RECEIPT_CONTEXT, &receipt(rejected), &key)?.encode())?;
    let request = EnrollmentRequest {
        office_code: "530102".into(),
        device_id: "dev-a".into(),
        public_key: sm2.public_key(),
        token: Some("TOKEN-1".into()),
        created_at_ms: 1,
        office_seal_keys: None,
    };
    save(&dir, env, &Signed::sign(ENROLLMENT_CONTEXT, &request, &key)?.encode())?;
    let certificate = DeviceCertificate {
        office_code: "530102".into(),
        device_id: "dev-a".into(),
        public_key: sm2.public_key(),
        hub_key_id: key.public_key().key_id(),
        serial: 1,
        issued_at_ms: 2,
        hub_seal_key: None,
    };
    let signed_certificate = Signed::sign(CERTIFICATE_CONTEXT, &certificate, &key)?;
    save(&dir, env, &signed_certificate.encode())?;
    let issued = IssuedCertificate { certificate: signed_certificate, hub_key: key.public_key() };
    save(&dir, env, &issued.encode()?)?;
    let mut feed_events = events("dev-b", 1, GENESIS, 2, 6);
    feed_events.extend(events("hub-1", 5, [2; 32], 1, 0));
    let page = FeedPage { office_code: "530102".into(), events: feed_events, cursor: 3, more: true };
    let signed_page = Signed::sign(FEED_CONTEXT, &page, &key)?;
    save(&dir, env, &signed_page.encode())?;
    save(&dir, env, &Signed::sign(AUTH_CONTEXT, &AuthRequest::new("dev-a", "/v1/feed", b"{}", 5), &key)?.encode())?;

    let mut header = BundleHeader::new(BundleKind::Return, "530102", "hub-1", 1_750_000_000_000);
    header.prerequisites.push(Prerequisite("dev-a".into(), 3, *first.last_hash()));
    let mut writer = BundleWriter::new(Vec::new(), &header)?;
    writer.write_item(&BundleItem::ChangeSet(SignedChangeSet::sign(&first, &key)))?;
    writer.write_item(&BundleItem::Receipt(Signed::sign(RECEIPT_CONTEXT, &receipt(Outcome::Accepted), &key)?))?;
    writer.write_item(&BundleItem::FeedPage(signed_page))?;
    writer.write_item(&BundleItem::Certificate(issued))?;
    save(&dir, "bundle_read", &writer.finish(&key)?)?;
    let empty = BundleWriter::new(Vec::new(), &BundleHeader::new(BundleKind::Outbound, "530102", "dev-a", 0))?;
    save(&dir, "bundle_read", &empty.finish(&key)?)?;
    Ok(())
}
