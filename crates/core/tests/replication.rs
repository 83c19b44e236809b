//! Replicas exchanging events without a network: a county reports a complaint upward, the hub's
//! ordered ownership change hands it to the prefecture, and a step the county took after the
//! change is kept as a conflict on both replicas, which end with the same complaint state.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{TimeZone, Utc};
use qingfeng_core::accounts::{self, Channel, NewUser};
use qingfeng_core::api::SetupRequest;
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::ops::{self, Screening};
use qingfeng_core::complaints::query;
use qingfeng_core::complaints::*;
use qingfeng_core::encoding::to_canonical_cbor;
use qingfeng_core::events::{Event, GENESIS};
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::ownership;
use qingfeng_core::projector::{OwnershipChanged, kind};
use qingfeng_core::replication::ReceiptRecord;
use qingfeng_core::{KeySource, Store};

struct Replica {
    _dir: tempfile::TempDir,
    store: Store,
    petitions: Actor,
}

/// Adds an account with one role and signs it in.
fn user(store: &mut Store, name: &str, role: Role) -> Actor {
    let s = accounts::login(store, "admin", common::ADMIN_PASSWORD, Channel::Cli).unwrap();
    let admin = Actor::User(accounts::principal(store, &s.session_id).unwrap());
    let new = NewUser {
        username: name.into(),
        display_name: format!("{name}姓名"),
        password: "Password#2026".into(),
        roles: vec![role],
    };
    accounts::add_user(store, &admin, &new).unwrap();
    let s = accounts::login(store, name, "Password#2026", Channel::Cli).unwrap();
    Actor::User(accounts::principal(store, &s.session_id).unwrap())
}

fn replica(code: &str, name: &str, level: OfficeLevel, parent: Option<&str>) -> Replica {
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
    let petitions = user(&mut store, "xinfang", Role::Petitions);
    Replica { _dir: dir, store, petitions }
}

/// What the hub would route from `from` to another office: its events after `after`, minus
/// office-private kinds.
fn routed(from: &Store, after: u64) -> Vec<Event> {
    from.outbox(after, 100_000).unwrap().into_iter().filter(|e| !kind::is_office_private(&e.kind)).collect()
}

fn hub_event(seq: u64, prev: [u8; 32], kind: &str, aggregate: &str, payload: &impl serde::Serialize) -> Event {
    let mut e = Event {
        id: format!("0190a000-0000-7000-8000-{seq:012}"),
        origin_office: "hub".into(),
        origin_device: "hub-test".into(),
        seq,
        hlc: (1_790_000_000_000u64 + seq) << 16,
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

fn complaint_state(store: &Store, id: &str) -> String {
    store
        .raw_connection_for_tests()
        .query_row(
            "SELECT status, coalesce(department, '-'), owner_office, outcome FROM complaints WHERE id = ?1",
            [id],
            |r| {
                Ok(format!(
                    "{}|{}|{}|{}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?.unwrap_or_default()
                ))
            },
        )
        .unwrap()
}

fn open_conflicts(store: &Store) -> Vec<String> {
    store.conflicts(None).unwrap().into_iter().filter(|c| c.status == "open").map(|c| c.kind).collect()
}

#[test]
fn report_upward_hands_over_and_a_late_step_becomes_the_same_conflict_everywhere() {
    let mut county = replica("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let mut city = replica("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));

    let id = ops::register(&mut county.store, &county.petitions, &letter()).unwrap();
    ops::screen(
        &mut county.store,
        &county.petitions,
        &id,
        &Screening {
            outcome: ScreeningOutcome::ReportUpward,
            department: None,
            reason: "被反映人系市管干部".into(),
            refer_to: Some("昆明市纪委监委".into()),
            repeat_of: None,
        },
    )
    .unwrap();
    let offer = county.store.recent_events(1).unwrap().remove(0);
    assert_eq!(offer.kind, kind::OWNERSHIP_OFFERED, "reporting upward offers the case to the parent office");
    let cut = offer.seq;

    // The county's work reaches the city (as the hub routes it): on record there, not its work.
    let first = routed(&county.store, 0);
    assert!(first.iter().all(|e| !e.kind.starts_with("user.")), "accounts stay in their office");
    let report = city.store.ingest_remote(&first, 10).unwrap();
    assert_eq!(report.applied as usize, first.len());
    assert_eq!(city.store.sync_status().unwrap().feed_cursor, 10);
    let inbox = query::inbox(&mut city.store, &city.petitions).unwrap();
    assert!(inbox.iter().all(|i| i.complaint.id != id), "another office's complaint is not in the city's inbox");

    // Delivering the same page again changes nothing.
    let again = city.store.ingest_remote(&first, 10).unwrap();
    assert_eq!((again.applied, again.already_held), (0, first.len() as u64));

    // Before the county hears of the change, it records the forwarding (after the hub's cut).
    ops::record_forwarded(&mut county.store, &county.petitions, &id, "2026-09-28", "已寄出").unwrap();
    let late = routed(&county.store, cut);
    assert!(late.iter().any(|e| e.kind == kind::COMPLAINT_FORWARDED));

    // The hub orders the change, with the cut at the offer.
    let county_device = county.store.device_id().to_owned();
    let change = hub_event(
        1,
        GENESIS,
        kind::OWNERSHIP_CHANGED,
        &format!("complaint:{id}"),
        &OwnershipChanged {
            aggregate: format!("complaint:{id}"),
            from_office: "530102".into(),
            to_office: "530100".into(),
            epoch: 2,
            reason: "report_upward".into(),
            offer_event: offer.id.clone(),
            cut: vec![(county_device, cut)],
        },
    );

    // The city gets the change, then the county's late step; the county gets the change last.
    city.store.ingest_remote(std::slice::from_ref(&change), 11).unwrap();
    let late_report = city.store.ingest_remote(&late, 12).unwrap();
    assert_eq!(late_report.conflicts, late.iter().filter(|e| !kind::is_grow_only(&e.kind)).count() as u64);
    let county_report = county.store.ingest_remote(std::slice::from_ref(&change), 1).unwrap();
    assert_eq!(county_report.applied, 1);

    // Both replicas agree: the city owns it, awaiting its own screening; the late step is a conflict.
    assert_eq!(complaint_state(&city.store, &id), complaint_state(&county.store, &id));
    assert!(complaint_state(&city.store, &id).starts_with("registered|-|530100|"));
    assert_eq!(open_conflicts(&city.store), open_conflicts(&county.store));
    assert_eq!(open_conflicts(&city.store), vec![kind::COMPLAINT_FORWARDED.to_owned()]);

    // The city's petitions officer now has it to screen; the county may no longer act on it.
    let inbox = query::inbox(&mut city.store, &city.petitions).unwrap();
    assert!(inbox.iter().any(|i| i.complaint.id == id && i.task == "待筛选"));
    let refused = ops::record_forwarded(&mut county.store, &county.petitions, &id, "2026-09-28", "再次寄出");
    let message = refused.unwrap_err().to_string();
    assert!(message.contains("已移交"), "{message}");

    // A leader at the owning office settles the conflict; the county, which no longer owns the
    // case, may not.
    let conflict = city.store.conflicts(None).unwrap().remove(0);
    let city_leader = user(&mut city.store, "lingdao", Role::Leader);
    let county_leader = user(&mut county.store, "lingdao", Role::Leader);
    let err = ownership::resolve_conflict(&mut county.store, &county_leader, &conflict.event_id, "dismissed", "")
        .unwrap_err()
        .to_string();
    assert!(err.contains("已移交"), "{err}");
    ownership::resolve_conflict(&mut city.store, &city_leader, &conflict.event_id, "dismissed", "已由本级重新办理")
        .unwrap();
    assert!(open_conflicts(&city.store).is_empty());

    // A rebuild on either side gives the same tables as the live ones.
    for store in [&mut county.store, &mut city.store] {
        let live = store.projection_dump().unwrap();
        store.rebuild().unwrap();
        assert_eq!(store.projection_dump().unwrap(), live);
        assert!(store.verify().unwrap().ok, "partial chains of other devices verify");
    }
}

#[test]
fn a_tampered_or_foreign_private_event_is_refused_and_nothing_changes() {
    let mut county = replica("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let mut city = replica("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    ops::register(&mut county.store, &county.petitions, &letter()).unwrap();
    let before = city.store.projection_dump().unwrap();

    let mut events = routed(&county.store, 0);
    let last = events.len() - 1;
    events[last].payload.push(0);
    let err = city.store.ingest_remote(&events, 5).unwrap_err().to_string();
    assert!(err.contains("哈希"), "{err}");

    let private =
        county.store.outbox(0, 1000).unwrap().into_iter().filter(|e| e.kind == kind::USER_CREATED).collect::<Vec<_>>();
    let err = city.store.ingest_remote(&private, 5).unwrap_err().to_string();
    assert!(err.contains("内部记录"), "{err}");

    let forged = hub_event(1, GENESIS, kind::COMPLAINT_REGISTERED, "complaint:x", &"x");
    let err = city.store.ingest_remote(&[forged], 5).unwrap_err().to_string();
    assert!(err.contains("省级平台"), "{err}");

    assert_eq!(city.store.projection_dump().unwrap(), before);
    assert_eq!(city.store.sync_status().unwrap().feed_cursor, 0);
}

#[test]
fn receipts_advance_the_acknowledged_head_and_never_move_it_back() {
    let mut county = replica("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let status = county.store.sync_status().unwrap();
    assert!(status.pending > 0 && status.acked_seq == 0 && !status.enrolled);
    let events = county.store.outbox(0, 3).unwrap();
    let receipt = |last: &Event, accepted: bool| ReceiptRecord {
        changeset_id: format!("cs-{}", last.seq),
        first_seq: 1,
        last_seq: last.seq,
        last_hash: last.hash,
        accepted,
        code: (!accepted).then(|| "bad_signature".to_owned()),
        reason: (!accepted).then(|| "签名不符".to_owned()),
        raw: vec![1, 2, 3],
    };
    county.store.record_receipt(&receipt(&events[2], true)).unwrap();
    assert_eq!(county.store.acked_head().unwrap(), (3, events[2].hash));
    county.store.record_receipt(&receipt(&events[1], true)).unwrap();
    assert_eq!(county.store.acked_head().unwrap().0, 3, "an older receipt does not move the head back");
    let status = county.store.sync_status().unwrap();
    assert_eq!(status.pending, status.head_seq - 3);
    // A bad signature leaves the events pending (sent again once fixed); an unauthorized set is
    // final at the hub, so the queue moves past it.
    let more = county.store.outbox(3, 2).unwrap();
    county.store.record_receipt(&receipt(&more[0], false)).unwrap();
    assert_eq!(county.store.acked_head().unwrap().0, 3);
    county
        .store
        .record_receipt(&ReceiptRecord { code: Some("unauthorized".into()), ..receipt(&more[1], false) })
        .unwrap();
    assert_eq!(county.store.acked_head().unwrap(), (more[1].seq, more[1].hash));
    assert_eq!(county.store.sync_status().unwrap().rejected, 2);
    county.store.note_sync_result(false, "无法连接省级平台").unwrap();
    assert_eq!(county.store.sync_status().unwrap().last_error.as_deref(), Some("无法连接省级平台"));
    county.store.note_sync_result(true, "").unwrap();
    assert_eq!(county.store.sync_status().unwrap().last_error, None);
}
