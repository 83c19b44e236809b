//! The reporter's identity sealed end to end (issue #14): nothing of it leaves the office in
//! plaintext, the offices above read it with their own keys, an office without the key reads
//! nothing, a hand-over re-seals (or waits for the receiving office's key), and old logs with a
//! plaintext reporter still replay.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{TimeZone, Utc};
use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::api::SetupRequest;
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::ops::{self, Screening};
use qingfeng_core::complaints::*;
use qingfeng_core::encoding::to_canonical_cbor;
use qingfeng_core::events::{Event, GENESIS};
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::projector::{OfficeCreated, kind};
use qingfeng_core::{KeySource, Store, sealing, settings};

const NAME: &str = "钱秘密";
const PHONE: &str = "13912345678";
const UNIT: &str = "某县水务局职工";
const ADDRESS: &str = "翠湖街道青云路 8 号";
const FILE: &str = "钱秘密的举报信.txt";

struct Office {
    _dir: tempfile::TempDir,
    store: Store,
    petitions: Actor,
    leader: Actor,
}

fn office(code: &str, name: &str, level: OfficeLevel, parent: Option<&str>) -> Office {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("q.db"), &KeySource::File(dir.path().join("q.key"))).unwrap();
    store.set_clock(Clock::manual(Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap()));
    let req = SetupRequest {
        office_code: code.into(),
        office_name: name.into(),
        office_level: level,
        parent_code: parent.map(str::to_owned),
        admin_username: "admin".into(),
        admin_display_name: "管理员".into(),
        admin_password: common::ADMIN_PASSWORD.into(),
    };
    accounts::setup_office(&mut store, &req, Channel::Cli).unwrap();
    let petitions = common::officer(&mut store, "xinfang", Role::Petitions);
    let leader = common::officer(&mut store, "lingdao", Role::Leader);
    Office { _dir: dir, store, petitions, leader }
}

fn real_name_letter() -> RegisterComplaint {
    RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-09-28".into(),
        reporter: Some(Reporter {
            name: NAME.into(),
            unit: Some(UNIT.into()),
            contact: PHONE.into(),
            address: Some(ADDRESS.into()),
        }),
        real_name: true,
        real_name_verified: None,
        summary: "反映某局长问题".into(),
        content: "反映某局长违规收受工程款的问题。".into(),
        categories: vec!["违反廉洁纪律".into()],
        subjects: vec![Subject {
            name: "王某".into(),
            post: "局长".into(),
            unit: "某县交通局".into(),
            level: "县管干部".into(),
        }],
        repeat_of: None,
    }
}

/// A chain of hub events for the tests, as the hub's feed would carry them.
#[derive(Default)]
struct Hub {
    seq: u64,
    prev: [u8; 32],
}

impl Hub {
    fn event(&mut self, kind: &str, aggregate: &str, payload: &impl serde::Serialize) -> Event {
        self.seq += 1;
        let prev = if self.seq == 1 { GENESIS } else { self.prev };
        let mut e = Event {
            id: format!("0190a000-0000-7000-8000-{:012}", self.seq),
            origin_office: "hub".into(),
            origin_device: "hub-test".into(),
            seq: self.seq,
            hlc: (1_790_000_000_000u64 + self.seq) << 16,
            actor: "hub".into(),
            kind: kind.into(),
            aggregate: aggregate.into(),
            payload: to_canonical_cbor(payload).unwrap(),
            prev,
            hash: [0; 32],
        };
        e.hash = e.body().hash_with(&mut Vec::new());
        self.prev = e.hash;
        e
    }

    /// The hub's re-publication of `from`'s sealing keys, taken from its own log.
    fn keys_of(&mut self, from: &Store) -> Event {
        let own = from.outbox(0, 1000).unwrap().into_iter().find(|e| e.kind == kind::OFFICE_SEALING_KEYS).unwrap();
        let p: qingfeng_seal::SealingKeysPublished = own.payload().unwrap();
        self.event(kind::OFFICE_SEALING_KEYS, &own.aggregate, &p)
    }

    fn directory(&mut self, code: &str, name: &str, level: OfficeLevel, parent: Option<&str>) -> Event {
        self.event(
            kind::OFFICE_CREATED,
            &format!("office:{code}"),
            &OfficeCreated { code: code.into(), name: name.into(), level, parent_code: parent.map(str::to_owned) },
        )
    }
}

/// What the hub would route from `from` to an office above it: its events, minus private kinds.
fn routed(from: &Store) -> Vec<Event> {
    from.outbox(0, 100_000).unwrap().into_iter().filter(|e| !kind::is_office_private(&e.kind)).collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn reporter_columns(store: &Store, id: &str) -> (Option<String>, Option<String>, bool) {
    store
        .raw_connection_for_tests()
        .query_row("SELECT reporter_name, reporter_contact, identity_sealed FROM complaints WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap()
}

#[test]
fn the_reporter_and_file_names_leave_the_office_only_sealed() {
    let mut county = office("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let id = ops::register(&mut county.store, &county.petitions, &real_name_letter()).unwrap();
    let petitions = county.petitions.clone();
    attachments::add(&mut county.store, &petitions, &id, FILE, "我是钱秘密，电话13912345678。".as_bytes()).unwrap();

    // No event of the log carries any part of the identity or the file's name in plaintext.
    let log = county.store.outbox(0, 100_000).unwrap();
    for event in &log {
        for secret in [NAME, PHONE, UNIT, ADDRESS, FILE] {
            assert!(!contains(&event.payload, secret), "{} carries “{secret}” in plaintext", event.kind);
        }
    }
    let registered = log.iter().find(|e| e.kind == kind::COMPLAINT_REGISTERED).unwrap();
    let payload = registered.payload_json();
    assert!(payload["form"]["reporter"].is_null());
    assert_eq!(payload["sealed_identity"][0]["suite"], "x25519-aes256gcm");

    // Inside the office it is the same as before: masked in lists, revealed to petitions (logged).
    let shown = ops::reveal_reporter(&mut county.store, &petitions, &id, "核实身份").unwrap().unwrap();
    assert_eq!((shown.name.as_str(), shown.contact.as_str()), (NAME, PHONE));
    assert_eq!(shown.address.as_deref(), Some(ADDRESS));
    let files = attachments::list(&county.store, &petitions, &id).unwrap();
    assert_eq!(files[0].name, FILE);
    let dump = county.store.projection_dump().unwrap();
    county.store.rebuild().unwrap();
    assert_eq!(county.store.projection_dump().unwrap(), dump, "a rebuild opens the same identities");
}

#[test]
fn offices_above_read_with_their_keys_and_others_read_nothing() {
    let mut county = office("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let mut city = office("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    let mut sibling = office("530103", "盘龙区纪委监委", OfficeLevel::County, Some("530100"));
    let mut hub = Hub::default();
    // The directory and the city's keys reach the county, as the hub's feed carries them.
    let feed = vec![
        hub.directory("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000")),
        hub.keys_of(&city.store),
    ];
    county.store.ingest_remote(&feed, 2).unwrap();

    let id = ops::register(&mut county.store, &county.petitions, &real_name_letter()).unwrap();
    let registered =
        county.store.outbox(0, 1000).unwrap().into_iter().find(|e| e.kind == kind::COMPLAINT_REGISTERED).unwrap();
    let p = registered.payload_json();
    let to: Vec<&str> = p["sealed_identity"][0]["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["office"].as_str().unwrap())
        .collect();
    assert_eq!(to, ["530102", "530100"]);

    // The city, above the county, reads the reporter with its own key.
    city.store.ingest_remote(&routed(&county.store), 0).unwrap();
    assert_eq!(reporter_columns(&city.store, &id), (Some(NAME.into()), Some(PHONE.into()), false));
    // A sibling county that somehow received the events holds no key for them: nothing shows.
    sibling.store.ingest_remote(&routed(&county.store), 0).unwrap();
    assert_eq!(reporter_columns(&sibling.store, &id), (None, None, true));
    let sibling_dump = sibling.store.projection_dump().unwrap();
    assert!(!sibling_dump.contains(NAME) && !sibling_dump.contains(PHONE));
    let _ = (&mut city.leader, &mut sibling.petitions);
}

#[test]
fn keys_that_arrive_later_get_the_identity_resealed_to_them() {
    let mut county = office("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let mut city = office("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    // Registered before the city's keys are known here: sealed to the county alone.
    let id = ops::register(&mut county.store, &county.petitions, &real_name_letter()).unwrap();
    assert_eq!(sealing::catch_up(&mut county.store).unwrap(), sealing::CatchUp::default());
    city.store.ingest_remote(&routed(&county.store), 0).unwrap();
    assert_eq!(reporter_columns(&city.store, &id), (None, None, true));

    let mut hub = Hub::default();
    let feed = vec![
        hub.directory("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000")),
        hub.keys_of(&city.store),
    ];
    county.store.ingest_remote(&feed, 2).unwrap();
    let done = sealing::catch_up(&mut county.store).unwrap();
    assert_eq!(done.resealed, 1);
    // A second run finds nothing left to do.
    assert_eq!(sealing::catch_up(&mut county.store).unwrap(), sealing::CatchUp::default());
    let resealed: Vec<Event> = county
        .store
        .outbox(0, 1000)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == kind::COMPLAINT_IDENTITY_SEALED)
        .collect();
    assert_eq!(resealed.len(), 1);
    assert!(!contains(&resealed[0].payload, NAME) && !contains(&resealed[0].payload, PHONE));
    city.store.ingest_remote(&resealed, 0).unwrap();
    assert_eq!(reporter_columns(&city.store, &id), (Some(NAME.into()), Some(PHONE.into()), false));
    let dump = city.store.projection_dump().unwrap();
    city.store.rebuild().unwrap();
    assert_eq!(city.store.projection_dump().unwrap(), dump);
}

fn report_upward(o: &mut Office, id: &str) -> Result<(), qingfeng_core::CoreError> {
    let p = o.petitions.clone();
    ops::screen(
        &mut o.store,
        &p,
        id,
        &Screening {
            outcome: ScreeningOutcome::ReportUpward,
            department: None,
            reason: "涉及县管主要领导，依规报送上级".into(),
            refer_to: None,
            repeat_of: None,
        },
    )
}

#[test]
fn a_hand_over_waits_for_the_receiving_office_key_then_reseals_to_it() {
    let mut county = office("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let city = office("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    let id = ops::register(&mut county.store, &county.petitions, &real_name_letter()).unwrap();

    // The city has published no key that the county knows: the hand-over is held, nothing is
    // offered, and no event names the reporter.
    report_upward(&mut county, &id).unwrap();
    let kinds: Vec<String> = county.store.outbox(0, 1000).unwrap().into_iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&kind::COMPLAINT_HANDOVER_HELD.to_owned()));
    assert!(!kinds.contains(&kind::OWNERSHIP_OFFERED.to_owned()));
    assert_eq!(sealing::held_handovers(&county.store).unwrap(), [(id.clone(), "530100".to_owned())]);

    // Once the city's keys arrive, the next catch-up re-seals to the city and makes the offer.
    let mut hub = Hub::default();
    let feed = vec![
        hub.directory("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000")),
        hub.keys_of(&city.store),
    ];
    county.store.ingest_remote(&feed, 2).unwrap();
    let done = sealing::catch_up(&mut county.store).unwrap();
    assert_eq!((done.resealed, done.released), (1, 1));
    let tail: Vec<String> = county.store.outbox(0, 1000).unwrap().into_iter().rev().take(2).map(|e| e.kind).collect();
    assert_eq!(tail, [kind::OWNERSHIP_OFFERED, kind::COMPLAINT_IDENTITY_SEALED]);
    assert!(sealing::held_handovers(&county.store).unwrap().is_empty());
}

#[test]
fn a_hand_over_to_an_office_with_a_key_reseals_before_the_offer() {
    let mut county = office("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let mut city = office("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    let id = ops::register(&mut county.store, &county.petitions, &real_name_letter()).unwrap();
    let mut hub = Hub::default();
    let feed = vec![
        hub.directory("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000")),
        hub.keys_of(&city.store),
    ];
    county.store.ingest_remote(&feed, 2).unwrap();
    report_upward(&mut county, &id).unwrap();
    let kinds: Vec<String> = county.store.outbox(0, 1000).unwrap().into_iter().rev().take(3).map(|e| e.kind).collect();
    assert_eq!(kinds, [kind::OWNERSHIP_OFFERED, kind::COMPLAINT_SCREENED, kind::COMPLAINT_IDENTITY_SEALED]);
    city.store.ingest_remote(&routed(&county.store), 0).unwrap();
    assert_eq!(reporter_columns(&city.store, &id), (Some(NAME.into()), Some(PHONE.into()), false));
}

#[test]
fn an_old_log_with_a_plaintext_reporter_still_replays() {
    let mut city = office("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    // A registration as a county wrote it before issue #14: the reporter in the form, no box.
    let form = real_name_letter();
    let payload = Registered {
        complaint_id: "0190b000-0000-7000-8000-000000000001".into(),
        number: "530102-2026-00001".into(),
        office_code: "530102".into(),
        received_at: "2026-09-28T00:00:00+08:00".into(),
        received_date: "2026-09-28".into(),
        form,
        sealed_identity: None,
    };
    let bytes = to_canonical_cbor(&payload).unwrap();
    assert!(contains(&bytes, NAME), "the old format had the name in plaintext");
    let mut e = Event {
        id: "0190b000-0000-7000-8000-00000000000a".into(),
        origin_office: "530102".into(),
        origin_device: "old-county-device".into(),
        seq: 1,
        hlc: 1_790_000_000_000u64 << 16,
        actor: "u1".into(),
        kind: kind::COMPLAINT_REGISTERED.into(),
        aggregate: "complaint:0190b000-0000-7000-8000-000000000001".into(),
        payload: bytes,
        prev: GENESIS,
        hash: [0; 32],
    };
    e.hash = e.body().hash_with(&mut Vec::new());
    city.store.ingest_remote(&[e], 0).unwrap();
    let id = "0190b000-0000-7000-8000-000000000001";
    assert_eq!(reporter_columns(&city.store, id), (Some(NAME.into()), Some(PHONE.into()), false));
    let dump = city.store.projection_dump().unwrap();
    city.store.rebuild().unwrap();
    assert_eq!(city.store.projection_dump().unwrap(), dump);
    let _ = &mut city.leader;
}

#[test]
fn an_office_may_seal_with_sm2_and_sm4() {
    let mut county = office("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let admin = common::officer(&mut county.store, "admin2", Role::Admin);
    settings::set(&mut county.store, &admin, sealing::SETTING_SM, "1").unwrap();
    let id = ops::register(&mut county.store, &county.petitions, &real_name_letter()).unwrap();
    let registered =
        county.store.outbox(0, 1000).unwrap().into_iter().find(|e| e.kind == kind::COMPLAINT_REGISTERED).unwrap();
    let p = registered.payload_json();
    assert_eq!(p["sealed_identity"][0]["suite"], "sm2-sm4");
    let petitions = county.petitions.clone();
    let shown = ops::reveal_reporter(&mut county.store, &petitions, &id, "核实身份").unwrap().unwrap();
    assert_eq!(shown.name, NAME);
    let _ = &mut county.leader;
}
