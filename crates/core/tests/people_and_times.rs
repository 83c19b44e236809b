//! People and times as people read them, and the province's directory on a replica (issue #16
//! items 1 and 8): the hub's hand-over is dated in Beijing whatever the machine's zone, and a
//! directory the hub published is listed offline with names, short names, levels and parents.
//! Run under TZ=UTC and TZ=America/New_York alike: nothing here may depend on the machine's zone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::replica::{hub_event_at as hub_event, office_at};

use chrono::{TimeZone, Utc};
use qingfeng_core::Store;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::ops::{self, Screening};
use qingfeng_core::complaints::query;
use qingfeng_core::complaints::*;
use qingfeng_core::directory::{self, UnitKind};
use qingfeng_core::events::{Event, GENESIS};
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::projector::{DirectoryEntry, DirectoryImported, OwnershipChanged, kind};

fn county() -> (tempfile::TempDir, Store) {
    replica("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"))
}

/// An office set up at Beijing 2026-12-02 10:00.
fn replica(code: &str, name: &str, level: OfficeLevel, parent: Option<&str>) -> (tempfile::TempDir, Store) {
    office_at(code, name, level, parent, Utc.with_ymd_and_hms(2026, 12, 2, 2, 0, 0).unwrap())
}

fn letter() -> RegisterComplaint {
    RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-12-02".into(),
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

/// The hub hands a reported complaint over at 02:15 on 12-03 in Beijing (18:15 on 12-02 in UTC):
/// the county's report-upward duty reads as met on 12-03. It read 12-02, the UTC date, before.
#[test]
fn the_hubs_hand_over_is_dated_in_beijing() {
    let (_dir, mut store) = county();
    let petitions = common::officer(&mut store, "xinfang", Role::Petitions);
    let id = ops::register(&mut store, &petitions, &letter()).unwrap();
    ops::screen(
        &mut store,
        &petitions,
        &id,
        &Screening {
            outcome: ScreeningOutcome::ReportUpward,
            department: None,
            reason: "被反映人系市管干部".into(),
            refer_to: Some("530100".into()),
            repeat_of: None,
        },
    )
    .unwrap();
    let offer = store.recent_events(1).unwrap().remove(0);
    assert_eq!(offer.kind, kind::OWNERSHIP_OFFERED);
    let at = Utc.with_ymd_and_hms(2026, 12, 2, 18, 15, 0).unwrap();
    let change = hub_event(
        1,
        GENESIS,
        at,
        kind::OWNERSHIP_CHANGED,
        &format!("complaint:{id}"),
        &OwnershipChanged {
            aggregate: format!("complaint:{id}"),
            from_office: "530102".into(),
            to_office: "530100".into(),
            epoch: 2,
            reason: "report_upward".into(),
            offer_event: offer.id.clone(),
            cut: vec![(store.device_id().to_owned(), offer.seq)],
        },
    );
    // The county's machine reads the hand-over a few minutes after it (a clock far behind would
    // hold the event aside).
    store.set_clock(Clock::manual(at + chrono::Duration::minutes(5)));
    let report = store.ingest_remote(&[change], 1).unwrap();
    assert_eq!(report.applied, 1, "{report:?}");
    let page = query::show(&mut store, &petitions, &id).unwrap();
    let duty = page.deadlines.iter().find(|d| d.kind.as_str() == "report_upward").expect("the report-upward duty");
    assert_eq!(duty.closed_date.as_deref(), Some("2026-12-03"), "met on Beijing's date: {duty:?}");
}

/// A directory the hub published is on the replica: every office and resident group with its
/// name, short name, level and the office above, offline; an entry published again replaces it.
#[test]
fn the_published_directory_is_listed_offline() {
    let (_dir, mut store) = county();
    let entry = |code: &str, name: &str, short: &str, level, parent: Option<&str>, unit| DirectoryEntry {
        code: code.into(),
        name: name.into(),
        short_name: short.into(),
        level,
        parent_code: parent.map(str::to_owned),
        unit,
    };
    let first = hub_event(
        1,
        GENESIS,
        Utc.with_ymd_and_hms(2026, 12, 2, 1, 0, 0).unwrap(),
        kind::DIRECTORY_IMPORTED,
        "directory:530000",
        &DirectoryImported {
            entries: vec![
                entry("530000", "云南省纪委监委", "云", OfficeLevel::Province, None, UnitKind::Office),
                entry("530100", "昆明市纪委监委", "昆", OfficeLevel::Prefecture, Some("530000"), UnitKind::Office),
                entry("530102", "五华区纪委监委", "五", OfficeLevel::County, Some("530100"), UnitKind::Office),
                entry("530103", "盘龙区纪委监委", "盘", OfficeLevel::County, Some("530100"), UnitKind::Office),
                entry(
                    "530000-01",
                    "驻省教育厅纪检监察组",
                    "驻教",
                    OfficeLevel::Province,
                    Some("530000"),
                    UnitKind::ResidentGroup,
                ),
            ],
        },
    );
    let second = hub_event(
        2,
        first.hash,
        Utc.with_ymd_and_hms(2026, 12, 2, 2, 0, 0).unwrap(),
        kind::DIRECTORY_IMPORTED,
        "directory:530103",
        &DirectoryImported {
            entries: vec![entry(
                "530103",
                "盘龙区纪委监委（新）",
                "龙",
                OfficeLevel::County,
                Some("530100"),
                UnitKind::Office,
            )],
        },
    );
    store.ingest_remote(&[first, second], 2).unwrap();
    let all = directory::list(&store).unwrap();
    let codes: Vec<&str> = all.iter().map(|o| o.code.as_str()).collect();
    assert_eq!(codes, ["530000", "530000-01", "530100", "530102", "530103"]);
    let panlong = directory::lookup(&store, "530103").unwrap().unwrap();
    assert_eq!((panlong.name.as_str(), panlong.short_name.as_deref()), ("盘龙区纪委监委（新）", Some("龙")));
    assert_eq!((panlong.level_label.as_str(), panlong.parent_name.as_deref()), ("县级", Some("昆明市纪委监委")));
    let group = directory::lookup(&store, "530000-01").unwrap().unwrap();
    assert_eq!((group.unit, group.unit_label.as_str()), (UnitKind::ResidentGroup, "派驻纪检监察组"));
    let under_city: Vec<String> = directory::children(&store, "530100").unwrap().into_iter().map(|o| o.code).collect();
    assert_eq!(under_city, ["530102", "530103"]);
    assert!(directory::lookup(&store, "530199").unwrap().is_none());
    // A rebuild gives the same directory.
    let live = store.projection_dump().unwrap();
    store.rebuild().unwrap();
    assert_eq!(store.projection_dump().unwrap(), live);
}

/// A county officer's steps read at the prefecture, once the case is handed up: the timeline and
/// the conflicts name the person and the hub, never an account id. Before `officer.named`, the
/// prefecture showed the county officer's id.
#[test]
fn another_offices_officer_is_named_not_an_id() {
    let (_c, mut county) = county();
    let (_p, mut city) = replica("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    let petitions = common::officer(&mut county, "xinfang", Role::Petitions);
    let id = ops::register(&mut county, &petitions, &letter()).unwrap();
    ops::screen(
        &mut county,
        &petitions,
        &id,
        &Screening {
            outcome: ScreeningOutcome::ReportUpward,
            department: None,
            reason: "被反映人系市管干部".into(),
            refer_to: Some("530100".into()),
            repeat_of: None,
        },
    )
    .unwrap();
    let offer = county.recent_events(1).unwrap().remove(0);
    let cut = offer.seq;
    // A late step after the hub's cut becomes a conflict at the prefecture.
    ops::record_forwarded(&mut county, &petitions, &id, "2026-12-02", "已寄出").unwrap();
    // What the hub routes to the prefecture: everything but the county's private records.
    let routed: Vec<Event> =
        county.outbox(0, 100_000).unwrap().into_iter().filter(|e| !kind::is_office_private(&e.kind)).collect();
    assert!(routed.iter().any(|e| e.kind == kind::OFFICER_NAMED), "the officer's name travels");
    let at = Utc.with_ymd_and_hms(2026, 12, 2, 2, 30, 0).unwrap();
    let change = hub_event(
        1,
        GENESIS,
        at,
        kind::OWNERSHIP_CHANGED,
        &format!("complaint:{id}"),
        &OwnershipChanged {
            aggregate: format!("complaint:{id}"),
            from_office: "530102".into(),
            to_office: "530100".into(),
            epoch: 2,
            reason: "report_upward".into(),
            offer_event: offer.id.clone(),
            cut: vec![(county.device_id().to_owned(), cut)],
        },
    );
    city.set_clock(Clock::manual(at + chrono::Duration::minutes(5)));
    city.ingest_remote(&routed, 10).unwrap();
    city.ingest_remote(&[change], 11).unwrap();
    let leader = common::officer(&mut city, "lingdao", Role::Leader);
    let page = query::show(&mut city, &leader, &id).unwrap();
    let actors: Vec<&str> = page.timeline.iter().map(|t| t.actor.as_str()).collect();
    assert!(actors.contains(&"xinfang姓名"), "{actors:?}");
    assert!(actors.contains(&"省级平台"), "{actors:?}");
    let uid = match &petitions {
        qingfeng_core::authz::Actor::User(p) => p.user_id.clone(),
        _ => unreachable!(),
    };
    assert!(!actors.iter().any(|a| a.contains(&uid) || *a == "hub"), "{actors:?}");
    let conflicts = query::conflicts(&mut city, &leader).unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!((conflicts[0].actor.as_str(), conflicts[0].office.as_str()), ("xinfang姓名", "五华区纪委监委"));
    assert_eq!(conflicts[0].time, "2026-12-02 10:00", "Beijing time");
}
