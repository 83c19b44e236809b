//! Cross-office approvals (issue #16 item 6): at an office with an office above in its directory,
//! detention (留置) and its one extension are requests to that office, recorded here, decided by
//! its leader there, and the decision takes effect wherever it arrives: detention starts on the
//! approval's date (three fixed months, reminded ten days before), the extension makes it six, and
//! the office above follows both deadlines. Three replicas (a county, its prefecture and the
//! province) exchange their events as the hub routes them; each refusal is in Chinese and records
//! nothing. An office with no office above keeps the local step.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::replica::{hub_event_at, office_at};
use qingfeng_core::Store;
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::ops::{self, Screening};
use qingfeng_core::complaints::query;
use qingfeng_core::complaints::*;
use qingfeng_core::deadlines::DeadlineKind;
use qingfeng_core::directory::UnitKind;
use qingfeng_core::events::{Event, GENESIS};
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::projector::{DirectoryEntry, DirectoryImported, kind};
use qingfeng_core::worklist::{WorkKind, WorklistFilter, worklist};

/// Monday 2026-09-28, 09:00 Beijing.
fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap()
}

fn directory() -> Event {
    let entry = |code: &str, name: &str, short: &str, level, parent: Option<&str>| DirectoryEntry {
        code: code.into(),
        name: name.into(),
        short_name: short.into(),
        level,
        parent_code: parent.map(str::to_owned),
        unit: UnitKind::Office,
    };
    hub_event_at(
        1,
        GENESIS,
        start() - Duration::hours(1),
        kind::DIRECTORY_IMPORTED,
        "directory:530000",
        &DirectoryImported {
            entries: vec![
                entry("530000", "云南省纪委监委", "云", OfficeLevel::Province, None),
                entry("530100", "昆明市纪委监委", "昆", OfficeLevel::Prefecture, Some("530000")),
                entry("530102", "五华区纪委监委", "五", OfficeLevel::County, Some("530100")),
            ],
        },
    )
}

/// One office's replica with the directory and the posts the tests use.
struct Office {
    _dir: tempfile::TempDir,
    store: Store,
    clock: Clock,
    petitions: Actor,
    supervision: Actor,
    leader: Actor,
    case_management: Actor,
    /// The last seq of this office's device shipped to each other office, by code.
    shipped: std::collections::HashMap<String, u64>,
    feed: u64,
}

fn office(code: &str, name: &str, level: OfficeLevel, parent: Option<&str>) -> Office {
    let (dir, mut store) = office_at(code, name, level, parent, start());
    let clock = Clock::manual(start());
    store.set_clock(clock.clone());
    store.ingest_remote(&[directory()], 1).unwrap();
    let petitions = common::officer(&mut store, &format!("xinfang{code}"), Role::Petitions);
    let supervision = common::officer(&mut store, &format!("jiancha{code}"), Role::Supervision);
    let leader = common::officer(&mut store, &format!("lingdao{code}"), Role::Leader);
    let case_management = common::officer(&mut store, &format!("anguan{code}"), Role::CaseManagement);
    Office {
        _dir: dir,
        store,
        clock,
        petitions,
        supervision,
        leader,
        case_management,
        shipped: Default::default(),
        feed: 1,
    }
}

/// What the hub routes from `from` to `to` since the last time: every event that is not private
/// to its office.
fn ship(from: &mut Office, to: &mut Office) {
    let code = to.store.office_code().unwrap().to_owned();
    let after = from.shipped.get(&code).copied().unwrap_or(0);
    let all = from.store.outbox(after, 100_000).unwrap();
    if let Some(last) = all.last() {
        from.shipped.insert(code, last.seq);
    }
    let events: Vec<Event> = all.into_iter().filter(|e| !kind::is_office_private(&e.kind)).collect();
    to.feed += 1;
    to.store.ingest_remote(&events, to.feed).unwrap();
}

/// Moves every office's clock on together.
fn advance(offices: &mut [&mut Office], by: Duration) {
    for o in offices {
        o.clock.advance(by);
    }
}

/// A filed case at `o`, at the 立案 stage.
fn filed_case(o: &mut Office) -> String {
    let form = RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-09-28".into(),
        reporter: Some(Reporter { name: "李某".into(), unit: None, contact: "13800000000".into(), address: None }),
        real_name: true,
        real_name_verified: None,
        summary: "反映某局长严重违纪问题".into(),
        content: "反映某局长违规收受工程款的问题。".into(),
        categories: vec!["违反廉洁纪律".into()],
        subjects: vec![Subject {
            name: "王某".into(),
            post: "局长".into(),
            unit: "某局".into(),
            level: "县管干部".into(),
        }],
        repeat_of: None,
    };
    let id = ops::register(&mut o.store, &o.petitions, &form).unwrap();
    let screening = Screening {
        outcome: ScreeningOutcome::AcceptTransfer,
        department: Some(Role::Supervision),
        reason: String::new(),
        refer_to: None,
        repeat_of: None,
    };
    ops::screen(&mut o.store, &o.petitions, &id, &screening).unwrap();
    let file = ApprovalAction::Dispose { method: DisposalMethod::FileCase, letter_date: None };
    let a = ops::request_approval(&mut o.store, &o.supervision, &id, &file, "拟立案审查调查").unwrap();
    ops::decide_approval(&mut o.store, &o.leader, &a, true, "同意立案").unwrap();
    ops::record_case_milestone(&mut o.store, &o.supervision, &id, CaseStage::Filed, "2026-09-28", "立案").unwrap();
    id
}

fn events(o: &Office) -> i64 {
    o.store.raw_connection_for_tests().query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap()
}

/// Business events only (a refusal for want of a post leaves its `access.denied` audit record).
fn business_events(o: &Office) -> i64 {
    o.store
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM events WHERE kind LIKE 'complaint.%' OR kind LIKE 'approval.%'", [], |r| {
            r.get(0)
        })
        .unwrap()
}

fn refused(result: qingfeng_core::error::Result<impl std::fmt::Debug>, words: &str) {
    let err = result.expect_err("refused").to_string();
    assert!(err.contains(words), "expected “{words}” in “{err}”");
}

fn open_deadline(o: &mut Office, id: &str, k: DeadlineKind) -> Option<qingfeng_core::deadlines::DeadlineView> {
    let page = query::show(&mut o.store, &o.leader.clone(), id).unwrap();
    page.deadlines.into_iter().find(|d| d.kind == k && d.status == "open")
}

fn detail(o: &mut Office, id: &str) -> query::ComplaintDetail {
    query::show(&mut o.store, &o.supervision.clone(), id).unwrap()
}

#[test]
fn detention_is_asked_of_the_office_above_and_takes_effect_when_its_leader_grants_it() {
    let mut county = office("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let mut city = office("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    let mut province = office("530000", "云南省纪委监委", OfficeLevel::Province, None);
    let id = filed_case(&mut county);
    let s = county.supervision.clone();

    // The local step is closed to an office with an office above; an extension cannot be asked
    // before detention; nothing is recorded by either refusal.
    let before = events(&county);
    refused(
        ops::start_detention(&mut county.store, &s, &id, "2026-09-28", "拟留置"),
        "须报上一级机关（昆明市纪委监委）批准",
    );
    refused(
        ops::request_approval(&mut county.store, &s, &id, &ApprovalAction::ExtendDetention, "延长"),
        "不在留置期间",
    );
    assert_eq!(events(&county), before, "a refused step records nothing");
    let page = detail(&mut county, &id);
    assert!(page.actions.contains(&ComplaintActionKind::RequestDetention), "{:?}", page.actions);
    assert!(!page.actions.contains(&ComplaintActionKind::StartDetention));

    let asked =
        ops::request_approval(&mut county.store, &s, &id, &ApprovalAction::Detain, "涉嫌严重职务违法，拟采取留置措施")
            .unwrap();
    let before = business_events(&county);
    refused(ops::request_approval(&mut county.store, &s, &id, &ApprovalAction::Detain, "再次提请"), "不能重复提请");
    // The county's own leader is not the one asked.
    let l = county.leader.clone();
    refused(ops::decide_approval(&mut county.store, &l, &asked, true, "同意"), "是向昆明市纪委监委提请的");
    assert_eq!(business_events(&county), before, "no business event");
    let page = detail(&mut county, &id);
    assert!(page.approvals.iter().any(|a| a.action == "采取留置措施（报昆明市纪委监委批准）" && a.status == "pending"));
    assert!(!page.actions.contains(&ComplaintActionKind::RequestDetention), "one request at a time");

    // The request reaches the city (and the province, above it) as the hub routes the case.
    ship(&mut county, &mut city);
    ship(&mut county, &mut province);
    let leader = city.leader.clone();
    let list = worklist(&city.store, &leader, &WorklistFilter::default()).unwrap();
    let row =
        list.items.iter().find(|i| i.kind == WorkKind::Approval).expect("the request is on the city leader's list");
    assert_eq!(row.record, page.summary.number);
    assert!(row.task.contains("五华区纪委监委") && row.task.contains("采取留置措施"), "{}", row.task);
    assert!(!row.task.contains("李某") && !row.summary.contains("李某"), "never the reporter");
    assert_eq!(row.due, None, "the county's own duties are not the city leader's deadline");
    let city_page = query::show(&mut city.store, &leader, &id).unwrap();
    assert!(city_page.actions.contains(&ComplaintActionKind::DecideApproval));
    assert_eq!(city_page.pending_approval.as_deref(), Some(asked.as_str()));
    // The province holds the case too, but was not asked.
    let pl = province.leader.clone();
    let list = worklist(&province.store, &pl, &WorklistFilter::default()).unwrap();
    assert!(list.items.iter().all(|i| i.kind != WorkKind::Approval));
    refused(ops::decide_approval(&mut province.store, &pl, &asked, true, "同意"), "是向昆明市纪委监委提请的");

    // A non-leader at the city cannot decide; the leader grants, once.
    let cp = city.petitions.clone();
    let before = business_events(&city);
    assert!(ops::decide_approval(&mut city.store, &cp, &asked, true, "同意").is_err());
    assert_eq!(business_events(&city), before);
    ops::decide_approval(&mut city.store, &leader, &asked, true, "同意采取留置措施").unwrap();
    refused(ops::decide_approval(&mut city.store, &leader, &asked, false, "不同意"), "已经审批过了");

    // The city follows the detention it approved: end and reminder on its deadline board, and on
    // its case management's list.
    let end = open_deadline(&mut city, &id, DeadlineKind::DetentionEnd).expect("followed at the city");
    assert_eq!(end.due, "2026-12-28");
    let am = city.case_management.clone();
    let board = query::dashboard(&mut city.store, &am).unwrap();
    assert!(board.items.iter().any(|i| i.complaint_id == id && i.deadline.kind == DeadlineKind::DetentionReminder));
    let list = worklist(&city.store, &am, &WorklistFilter::default()).unwrap();
    let row = list.items.iter().find(|i| i.key == format!("detention:{id}")).expect("followed on 工作台");
    assert!(row.task.contains("五华区纪委监委的留置 2026-12-28 期满"), "{}", row.task);
    assert_eq!(row.due.as_deref(), Some("2026-12-18"), "the reminder ten days before the end");

    // The county is offline until it syncs: nothing has started there yet.
    assert!(open_deadline(&mut county, &id, DeadlineKind::DetentionEnd).is_none());
    advance(&mut [&mut county, &mut city, &mut province], Duration::days(1));
    ship(&mut city, &mut county);
    let end = open_deadline(&mut county, &id, DeadlineKind::DetentionEnd).expect("detention started at the county");
    let reminder = open_deadline(&mut county, &id, DeadlineKind::DetentionReminder).unwrap();
    assert_eq!((end.due.as_str(), reminder.due.as_str()), ("2026-12-28", "2026-12-18"), "from the approval's date");
    let page = detail(&mut county, &id);
    assert!(
        page.timeline.iter().any(|t| t.text.starts_with("昆明市纪委监委批准采取留置措施（2026-09-28）")),
        "{:#?}",
        page.timeline
    );
    assert!(page.approvals.iter().any(|a| a.id == asked && a.status == "granted"));
    assert!(page.actions.contains(&ComplaintActionKind::RequestDetentionExtension));
    assert!(!page.actions.contains(&ComplaintActionKind::ExtendDetention));

    // The extension: refused with a reason, then asked again and granted; only one is allowed.
    advance(&mut [&mut county, &mut city, &mut province], Duration::days(79)); // 2026-12-17
    let ext = ops::request_approval(&mut county.store, &s, &id, &ApprovalAction::ExtendDetention, "案情复杂").unwrap();
    ship(&mut county, &mut city);
    refused(ops::decide_approval(&mut city.store, &leader, &ext, false, " "), "请填写审批意见");
    ops::decide_approval(&mut city.store, &leader, &ext, false, "延长理由不充分，请补充").unwrap();
    ship(&mut city, &mut county);
    let page = detail(&mut county, &id);
    assert!(
        page.timeline
            .iter()
            .any(|t| t.text.contains("昆明市纪委监委不批准延长留置") && t.text.contains("延长理由不充分"))
    );
    assert_eq!(open_deadline(&mut county, &id, DeadlineKind::DetentionEnd).unwrap().due, "2026-12-28", "nothing moved");
    let again =
        ops::request_approval(&mut county.store, &s, &id, &ApprovalAction::ExtendDetention, "补充了理由").unwrap();
    ship(&mut county, &mut city);
    ops::decide_approval(&mut city.store, &leader, &again, true, "同意延长").unwrap();
    ship(&mut city, &mut county);
    ship(&mut county, &mut province);
    ship(&mut city, &mut province);
    for o in [&mut county, &mut city, &mut province] {
        let end = open_deadline(o, &id, DeadlineKind::DetentionEnd).unwrap();
        assert_eq!(end.due, "2027-03-28", "six months from the original start, at every office");
    }
    refused(
        ops::request_approval(&mut county.store, &s, &id, &ApprovalAction::ExtendDetention, "再延长"),
        "只能延长一次",
    );
    // Replaying the log gives the same tables at the county and the city.
    for o in [&mut county, &mut city] {
        let live = o.store.projection_dump().unwrap();
        o.store.rebuild().unwrap();
        assert_eq!(o.store.projection_dump().unwrap(), live);
    }
}

#[test]
fn an_office_with_no_office_above_records_detention_itself() {
    let mut province = office("530000", "云南省纪委监委", OfficeLevel::Province, None);
    let id = filed_case(&mut province);
    let s = province.supervision.clone();
    refused(ops::request_approval(&mut province.store, &s, &id, &ApprovalAction::Detain, "拟留置"), "没有上一级机关");
    ops::start_detention(&mut province.store, &s, &id, "2026-09-28", "经常委会研究").unwrap();
    assert_eq!(open_deadline(&mut province, &id, DeadlineKind::DetentionEnd).unwrap().due, "2026-12-28");
}
