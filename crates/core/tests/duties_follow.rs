//! Duties follow the complaint (issue #16 item 4), and a misroute records nothing (item 2): when a real-name complaint is handed to another
//! office — reported upward, transferred downward — the office that receives it owes the reporter
//! the acceptance notice (受理告知), 15 working days from the day the hub handed it over, and the
//! office that sent it no longer does. Each route is walked with real stores and the hub's
//! `ownership.changed`, and at every step exactly one office owes the reporter the notice.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::replica::{hub_event_at as hub_event, office_at};

use chrono::{TimeZone, Utc};
use qingfeng_core::Store;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::ops::{self, Screening};
use qingfeng_core::complaints::query;
use qingfeng_core::complaints::*;
use qingfeng_core::directory::UnitKind;
use qingfeng_core::events::{Event, GENESIS};
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::projector::{DirectoryEntry, DirectoryImported, OwnershipChanged, kind};

fn replica(code: &str, name: &str, level: OfficeLevel, parent: Option<&str>) -> (tempfile::TempDir, Store) {
    office_at(code, name, level, parent, Utc.with_ymd_and_hms(2026, 12, 2, 2, 0, 0).unwrap())
}

fn real_name_letter() -> RegisterComplaint {
    RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-12-02".into(),
        reporter: Some(Reporter { name: "李某".into(), unit: None, contact: "13800000000".into(), address: None }),
        real_name: true,
        real_name_verified: None,
        summary: "反映某局长问题".into(),
        content: "反映某局长违规收受工程款的问题。".into(),
        categories: vec!["违反廉洁纪律".into()],
        subjects: vec![Subject {
            name: "王某".into(),
            post: "局长".into(),
            unit: "某局".into(),
            level: "县管干部".into(),
        }],
        repeat_of: None,
    }
}

/// The hub's chain as the tests write it.
struct HubChain {
    seq: u64,
    prev: [u8; 32],
}

impl HubChain {
    fn event(
        &mut self,
        at: chrono::DateTime<Utc>,
        kind: &str,
        aggregate: &str,
        payload: &impl serde::Serialize,
    ) -> Event {
        self.seq += 1;
        let e = hub_event(self.seq, self.prev, at, kind, aggregate, payload);
        self.prev = e.hash;
        e
    }

    /// The hub's re-publication of `from`'s sealing keys, so a hand-over to it can be resealed.
    fn keys_of(&mut self, from: &Store) -> Event {
        let own = from.outbox(0, 1000).unwrap().into_iter().find(|e| e.kind == kind::OFFICE_SEALING_KEYS).unwrap();
        let p: qingfeng_seal::SealingKeysPublished = own.payload().unwrap();
        self.event(Utc.with_ymd_and_hms(2026, 12, 2, 1, 30, 0).unwrap(), kind::OFFICE_SEALING_KEYS, &own.aggregate, &p)
    }
}

fn directory(hub: &mut HubChain) -> Event {
    let entry = |code: &str, name: &str, short: &str, level, parent: Option<&str>| DirectoryEntry {
        code: code.into(),
        name: name.into(),
        short_name: short.into(),
        level,
        parent_code: parent.map(str::to_owned),
        unit: UnitKind::Office,
    };
    hub.event(
        Utc.with_ymd_and_hms(2026, 12, 2, 1, 0, 0).unwrap(),
        kind::DIRECTORY_IMPORTED,
        "directory:530000",
        &DirectoryImported {
            entries: vec![
                entry("530000", "云南省纪委监委", "云", OfficeLevel::Province, None),
                entry("530100", "昆明市纪委监委", "昆", OfficeLevel::Prefecture, Some("530000")),
                entry("530102", "五华区纪委监委", "五", OfficeLevel::County, Some("530100")),
                entry("530103", "盘龙区纪委监委", "盘", OfficeLevel::County, Some("530100")),
            ],
        },
    )
}

/// The open acceptance-notice duties on complaint `id` as `store` shows them.
fn open_notices(store: &mut Store, id: &str) -> Vec<qingfeng_core::deadlines::DeadlineView> {
    duties_of(store, id, "acceptance_notice").into_iter().filter(|d| d.status == "open").collect()
}

/// Every deadline of `kind` on complaint `id`, open or closed, as the complaint's page shows them.
fn duties_of(store: &mut Store, id: &str, kind: &str) -> Vec<qingfeng_core::deadlines::DeadlineView> {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let leader = common::officer(store, &format!("lingdao{n}"), Role::Leader);
    let page = query::show(store, &leader, id).unwrap();
    page.deadlines.into_iter().filter(|d| d.kind.as_str() == kind).collect()
}

/// Hands complaint `id` from `sender` to `receiver` as the hub would: the sender's events the
/// hub routes, then the hub's ownership change (hub seq `seq`, after `prev`).
#[allow(clippy::too_many_arguments)]
fn hand_over(
    sender: &mut Store,
    receiver: &mut Store,
    id: &str,
    from: &str,
    to: &str,
    reason: &str,
    hub: &mut HubChain,
    feed: &mut u64,
) {
    let offer = sender
        .recent_events(20)
        .unwrap()
        .into_iter()
        .find(|e| e.kind == kind::OWNERSHIP_OFFERED && e.aggregate == format!("complaint:{id}"))
        .expect("the hand-over is offered to the hub");
    let routed: Vec<Event> =
        sender.outbox(0, 100_000).unwrap().into_iter().filter(|e| !kind::is_office_private(&e.kind)).collect();
    let seq = hub.seq;
    let at = Utc.with_ymd_and_hms(2026, 12, 3, 2, 0, 0).unwrap() + chrono::Duration::days(seq as i64 - 2);
    let change = hub.event(
        at,
        kind::OWNERSHIP_CHANGED,
        &format!("complaint:{id}"),
        &OwnershipChanged {
            aggregate: format!("complaint:{id}"),
            from_office: from.into(),
            to_office: to.into(),
            epoch: 2,
            reason: reason.into(),
            offer_event: offer.id.clone(),
            cut: vec![(sender.device_id().to_owned(), offer.seq)],
        },
    );
    receiver.set_clock(Clock::manual(at + chrono::Duration::minutes(5)));
    sender.set_clock(Clock::manual(at + chrono::Duration::minutes(5)));
    *feed += 1;
    receiver.ingest_remote(&routed, *feed).unwrap();
    *feed += 1;
    let report = receiver.ingest_remote(std::slice::from_ref(&change), *feed).unwrap();
    assert_eq!(report.applied, 1, "{report:?}");
    *feed += 1;
    sender.ingest_remote(std::slice::from_ref(&change), *feed).unwrap();
}

#[test]
fn every_route_leaves_one_office_owing_the_reporter_the_acceptance_notice() {
    let (_c, mut county) = replica("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let (_p, mut city) = replica("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    let mut hub = HubChain { seq: 0, prev: GENESIS };
    let published = vec![directory(&mut hub), hub.keys_of(&county), hub.keys_of(&city)];
    let mut feed = 0;
    for store in [&mut county, &mut city] {
        feed += 1;
        store.ingest_remote(&published, feed).unwrap();
    }
    let county_petitions = common::officer(&mut county, "xinfang", Role::Petitions);
    let city_petitions = common::officer(&mut city, "xinfang_city", Role::Petitions);

    let accept = Screening {
        outcome: ScreeningOutcome::AcceptTransfer,
        department: Some(Role::Supervision),
        reason: "属本机关管辖，予以受理".into(),
        refer_to: None,
        repeat_of: None,
    };
    // Route 1, report upward: the county registers a real-name letter and reports it up.
    let id = ops::register(&mut county, &county_petitions, &real_name_letter()).unwrap();
    assert_eq!(open_notices(&mut county, &id).len(), 1, "the county owes it while it has the case");
    let screening = |outcome, refer_to: Option<&str>| Screening {
        outcome,
        department: None,
        reason: "属于其他机关管辖".into(),
        refer_to: refer_to.map(Into::into),
        repeat_of: None,
    };
    ops::screen(&mut county, &county_petitions, &id, &screening(ScreeningOutcome::ReportUpward, None)).unwrap();
    hand_over(&mut county, &mut city, &id, "530102", "530100", "report_upward", &mut hub, &mut feed);
    let owed = open_notices(&mut city, &id);
    assert_eq!(owed.len(), 1, "the prefecture that received it owes the notice: {owed:?}");
    assert_eq!(owed[0].start, "2026-12-04", "15 working days from the Beijing day it was handed over");
    // The prefecture accepts it; the duty stays with it until the reporter is told.
    ops::screen(&mut city, &city_petitions, &id, &accept).unwrap();
    assert_eq!(open_notices(&mut city, &id).len(), 1);
    ops::record_acceptance_notice(&mut city, &city_petitions, &id, "2026-12-04", "电话告知").unwrap_or_else(|e| {
        panic!("the prefecture can tell the reporter: {e}");
    });

    // Route 2, transfer downward: the prefecture registers its own real-name letter and sends it
    // to the county that has jurisdiction.
    let id2 = ops::register(&mut city, &city_petitions, &real_name_letter()).unwrap();
    ops::screen(&mut city, &city_petitions, &id2, &screening(ScreeningOutcome::TransferDownward, Some("530102")))
        .unwrap();
    assert!(open_notices(&mut city, &id2).is_empty(), "the prefecture handed its duty on");
    hand_over(&mut city, &mut county, &id2, "530100", "530102", "transfer_downward", &mut hub, &mut feed);
    let owed = open_notices(&mut county, &id2);
    assert_eq!(owed.len(), 1, "the county that received it owes the notice: {owed:?}");
    // The lower office also owes its registration (DOMAIN.md §2): five working days from the day
    // it received the case, met by its screening. The report upward above opened none.
    assert!(duties_of(&mut city, &id, "transfer_registration").is_empty(), "a report upward owes no registration");
    let register = duties_of(&mut county, &id2, "transfer_registration");
    assert_eq!(register.len(), 1, "the county owes the registration: {register:?}");
    let start = register[0].start.clone();
    assert_eq!((register[0].status.as_str(), register[0].label.as_str()), ("open", "转送件登记"));
    assert_eq!(register[0].basis, format!("自 {start} 起 5 个工作日"), "{register:?}");
    // 工作台 shows the registration, the nearer of the county's two duties, on the screening row.
    let list = qingfeng_core::worklist::worklist(&county, &county_petitions, &Default::default()).unwrap();
    let row = list.items.iter().find(|r| r.key.starts_with("handed-over"));
    assert_eq!(row.and_then(|r| r.deadline_label.as_deref()), Some("转送件登记"), "{:?}", list.items);
    ops::screen(&mut county, &county_petitions, &id2, &accept).unwrap();
    let register = duties_of(&mut county, &id2, "transfer_registration");
    assert_eq!(register[0].status, "done", "screening registers it: {register:?}");
    ops::record_acceptance_notice(&mut county, &county_petitions, &id2, "2026-12-05", "书面告知").unwrap();
    assert!(open_notices(&mut county, &id2).is_empty());
}

/// Issue #16's misroutes, through the store: each is refused with its reason and nothing is
/// recorded (main recorded "已向下转送" and then never handed the case over).
#[test]
fn a_misroute_is_refused_and_records_nothing() {
    let (_p, mut city) = replica("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    let (_c, mut county) = replica("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let mut hub = HubChain { seq: 0, prev: GENESIS };
    let published = vec![directory(&mut hub)];
    city.ingest_remote(&published, 1).unwrap();
    county.ingest_remote(&published, 1).unwrap();
    let cases = [
        (true, ScreeningOutcome::TransferDownward, "530199", "名录中没有代码为 530199"),
        (true, ScreeningOutcome::TransferDownward, "530102001", "格式不正确"),
        (false, ScreeningOutcome::TransferDownward, "530103", "平级移交"),
        (false, ScreeningOutcome::ReportUpward, "530103", "平级移交"),
    ];
    for (n, (at_city, outcome, to, why)) in cases.into_iter().enumerate() {
        let store = if at_city { &mut city } else { &mut county };
        let petitions = common::officer(store, &format!("xinfang{n}"), Role::Petitions);
        let id = ops::register(store, &petitions, &real_name_letter()).unwrap();
        let before = store.outbox(0, 100_000).unwrap().len();
        let s = Screening {
            outcome,
            department: None,
            reason: "属于其他机关管辖".into(),
            refer_to: Some(to.into()),
            repeat_of: None,
        };
        let e = ops::screen(store, &petitions, &id, &s).unwrap_err().to_string();
        assert!(e.contains(why), "{outcome:?} → {to}: {e}");
        assert_eq!(store.outbox(0, 100_000).unwrap().len(), before, "nothing recorded for {to}");
        assert_eq!(open_notices(store, &id).len(), 1, "the reporter is still owed the notice here");
    }
}
