//! 工作台 per post: every kind of work (complaints, approvals, execution items to submit or review,
//! rectification items, result reports, quarterly reports, cross-office work) reaches the post
//! whose duty it is, says what to do, whose duty and by when, and is sorted red → yellow → green
//! then by due date; the counts equal the rows and the filter keeps one kind.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::replica::*;

use chrono::{Duration, TimeZone, Utc};
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::ops::{self as complaints, Conclusion, Screening};
use qingfeng_core::complaints::*;
use qingfeng_core::deadlines::Light;
use qingfeng_core::events::{Event, GENESIS};
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::penalty::{self, ops as penalty_ops};
use qingfeng_core::projector::{OwnershipChanged, kind};
use qingfeng_core::worklist::{WorkItem, WorkKind, WorkTarget, Worklist, WorklistFilter, worklist};

struct Office {
    f: common::Fixture,
    clock: Clock,
    admin: Actor,
    xinfang: Actor,
    jiancha: Actor,
    lingdao: Actor,
    anguan: Actor,
    shenli: Actor,
}

fn office() -> Office {
    let mut f = common::initialized();
    // Monday 2026-09-28, 09:00 Beijing time: the week before the National Day holiday.
    let clock = Clock::manual(Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap());
    f.store.set_clock(clock.clone());
    let admin = f.admin();
    let mut post = |name: &str, role: Role| common::officer_as(&mut f.store, &admin, name, vec![role]);
    let (xinfang, jiancha, lingdao, anguan, shenli) = (
        post("xinfang", Role::Petitions),
        post("jiancha", Role::Supervision),
        post("lingdao", Role::Leader),
        post("anguan", Role::CaseManagement),
        post("shenli", Role::Trial),
    );
    Office { f, clock, admin, xinfang, jiancha, lingdao, anguan, shenli }
}

fn letter(summary: &str, real_name: bool) -> RegisterComplaint {
    RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-09-28".into(),
        reporter: real_name.then(|| Reporter {
            name: "李四".into(),
            unit: None,
            contact: "13800000000".into(),
            address: None,
        }),
        real_name,
        real_name_verified: None,
        summary: summary.into(),
        content: format!("{summary}，具体情况见来信。"),
        categories: vec!["违反廉洁纪律".into()],
        subjects: vec![Subject {
            name: "王五".into(),
            post: "局长".into(),
            unit: "某县住建局".into(),
            level: "".into(),
        }],
        repeat_of: None,
    }
}

fn screen(o: &mut Office, id: &str, outcome: ScreeningOutcome) {
    let s = Screening {
        outcome,
        department: (outcome == ScreeningOutcome::AcceptTransfer).then_some(Role::Supervision),
        reason: "经筛选".into(),
        refer_to: (outcome == ScreeningOutcome::ReportUpward).then(|| "昆明市纪委监委".into()),
        repeat_of: None,
    };
    complaints::screen(&mut o.f.store, &o.xinfang.clone(), id, &s).unwrap();
}

fn list(o: &Office, who: &Actor) -> Worklist {
    worklist(&o.f.store, who, &WorklistFilter::default()).unwrap()
}

/// Rows are sorted red → yellow → green → none, then by due date; counts equal the rows; each row
/// says what to do, whose duty and (where there is one) by when.
fn check_shape(l: &Worklist, who: &str) {
    let rank = |i: &WorkItem| match i.light {
        Some(Light::Red) => 0,
        Some(Light::Yellow) => 1,
        Some(Light::Green) => 2,
        _ => 3,
    };
    for w in l.items.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert!(
            (rank(a), a.due.is_none(), &a.due) <= (rank(b), b.due.is_none(), &b.due),
            "{who}: {:?} ({:?} {:?}) before {:?} ({:?} {:?})",
            a.task,
            a.light,
            a.due,
            b.task,
            b.light,
            b.due
        );
    }
    assert_eq!(l.total as usize, l.items.len(), "{who}: the total counts every row");
    assert_eq!(l.red as usize, l.items.iter().filter(|i| i.light == Some(Light::Red)).count(), "{who}: red");
    assert_eq!(l.yellow as usize, l.items.iter().filter(|i| i.light == Some(Light::Yellow)).count(), "{who}: yellow");
    for c in &l.counts {
        assert_eq!(c.total as usize, l.items.iter().filter(|i| i.kind == c.kind).count(), "{who}: {:?}", c.kind);
    }
    for i in &l.items {
        assert!(!i.task.is_empty() && !i.duty.is_empty() && !i.record.is_empty(), "{who}: {i:?}");
        assert_eq!(i.light.is_some(), i.due.is_some(), "{who}: a light needs a date: {i:?}");
        assert_eq!(i.light_note.is_some(), i.due.is_some(), "{who}: the light is said in words: {i:?}");
        let id = match &i.target {
            WorkTarget::Complaint { id }
            | WorkTarget::Penalty { id }
            | WorkTarget::Rectification { id }
            | WorkTarget::Letter { id } => id.clone(),
            WorkTarget::QuarterlyReport { quarter, .. } => quarter.clone(),
        };
        assert!(!i.task.contains(&id) && !i.summary.contains(&id), "{who}: no ids in words: {i:?}");
    }
}

fn kinds(l: &Worklist) -> Vec<WorkKind> {
    let mut k: Vec<WorkKind> = l.items.iter().map(|i| i.kind).collect();
    k.dedup();
    k
}

fn find<'a>(l: &'a Worklist, record: &str, task_part: &str) -> &'a WorkItem {
    l.items
        .iter()
        .find(|i| i.record == record && i.task.contains(task_part))
        .unwrap_or_else(|| panic!("no row {record} / {task_part} in {:#?}", l.items))
}

fn number(o: &mut Office, id: &str) -> String {
    query::show(&mut o.f.store, &o.xinfang.clone(), id).unwrap().summary.number
}

fn decision(number: &str, name: &str) -> penalty::RegisterPenalty {
    penalty::RegisterPenalty {
        person: penalty::PenaltyPerson {
            name: name.into(),
            unit: "某县住建局".into(),
            post: "副局长".into(),
            rank: "二级主任科员".into(),
            party_member: true,
            deputy: false,
            cppcc_member: false,
            non_party_cadre: false,
        },
        decision_number: number.into(),
        deciding_body: "某县纪委常委会".into(),
        party_penalty: Some(penalty::PartyPenalty::Warning),
        probation_years: None,
        government_sanction: None,
        sanction_count: None,
        sanction_months: None,
        decision_date: "2026-09-01".into(),
        approval_date: Some("2026-09-03".into()),
        responsible_units: vec!["某县住建局".into()],
        confiscate: None,
        repay: None,
        organisational_handling: None,
        complaint_id: None,
    }
}

fn rectification() -> penalty::RegisterRectification {
    penalty::RegisterRectification {
        title: "2026 年巡察反馈问题整改".into(),
        source: penalty::RectificationSource::InspectionTour,
        start_date: "2026-09-01".into(),
        items: vec![
            penalty::RectificationItemForm {
                title: "公务用车管理不规范".into(),
                responsible_unit: "县交通局".into(),
                due_date: "2026-12-31".into(),
                measures: "建立用车台账".into(),
                max_score: None,
            },
            penalty::RectificationItemForm {
                title: "食堂账目不清".into(),
                responsible_unit: "县教育局".into(),
                due_date: "2027-02-26".into(),
                measures: "清理账目".into(),
                max_score: None,
            },
        ],
        template: None,
        responsible_unit: None,
        due_date: None,
        sequential: false,
        penalty_id: None,
    }
}

fn submit_req(note: &str) -> penalty::SubmitRequest {
    penalty::SubmitRequest { date: "2026-09-28".into(), note: note.into(), measures: None, result: None, files: vec![] }
}

#[test]
fn each_post_sees_every_kind_of_its_work_most_urgent_first() {
    let mut o = office();
    let (p, s, l) = (o.xinfang.clone(), o.jiancha.clone(), o.lingdao.clone());

    // 信访室: one to screen, one to notify, one to report upward.
    let to_screen = complaints::register(&mut o.f.store, &p, &letter("反映王五收受工程款", true)).unwrap();
    let to_notify = complaints::register(&mut o.f.store, &p, &letter("反映王五违规吃喝", true)).unwrap();
    screen(&mut o, &to_notify, ScreeningOutcome::AcceptTransfer);
    let upward = complaints::register(&mut o.f.store, &p, &letter("反映市管干部问题", false)).unwrap();
    screen(&mut o, &upward, ScreeningOutcome::ReportUpward);
    // 监督检查室: one waiting for the leader's approval; one concluded, owing the reporter the result.
    let pending = complaints::register(&mut o.f.store, &p, &letter("反映王五违规经商", false)).unwrap();
    screen(&mut o, &pending, ScreeningOutcome::AcceptTransfer);
    let inquiry = ApprovalAction::Dispose { method: DisposalMethod::Inquiry, letter_date: Some("2026-09-29".into()) };
    complaints::request_approval(&mut o.f.store, &s, &pending, &inquiry, "经集体研究，拟谈话函询").unwrap();
    let concluded = complaints::register(&mut o.f.store, &p, &letter("反映王五公车私用", true)).unwrap();
    screen(&mut o, &concluded, ScreeningOutcome::AcceptTransfer);
    complaints::record_acceptance_notice(&mut o.f.store, &p, &concluded, "2026-09-28", "电话告知").unwrap();
    let close = ApprovalAction::Dispose { method: DisposalMethod::Close, letter_date: None };
    let a = complaints::request_approval(&mut o.f.store, &s, &concluded, &close, "查无实据").unwrap();
    complaints::decide_approval(&mut o.f.store, &l, &a, true, "同意").unwrap();
    let c = Conclusion {
        date: "2026-09-28".into(),
        result: "查无实据，予以了结".into(),
        accusation: AccusationFinding::None,
        clearance: false,
    };
    complaints::conclude(&mut o.f.store, &s, &concluded, &c).unwrap();

    // Penalty execution: one decision's first item to submit, another's submitted for review.
    let (anguan, shenli) = (o.anguan.clone(), o.shenli.clone());
    let first = penalty_ops::register(&mut o.f.store, &anguan, &decision("县纪处〔2026〕21号", "甲某某")).unwrap();
    let second = penalty_ops::register(&mut o.f.store, &anguan, &decision("县纪处〔2026〕22号", "乙某某")).unwrap();
    penalty_ops::submit(&mut o.f.store, &anguan, &second, 1, &submit_req("已送达")).unwrap();
    // A rectification list: one item submitted (by case management), one still to do.
    let list_id = penalty_ops::register_rectification(&mut o.f.store, &s, &rectification()).unwrap();
    penalty_ops::submit(&mut o.f.store, &anguan, &list_id, 1, &submit_req("台账已建立")).unwrap();

    // Three weeks and a half later: the October duties are overdue, the rest later or idle.
    o.clock.advance(Duration::days(28)); // Monday 2026-10-26
    let (n_screen, n_notify, n_upward, n_pending, n_concluded) = (
        number(&mut o, &to_screen),
        number(&mut o, &to_notify),
        number(&mut o, &upward),
        number(&mut o, &pending),
        number(&mut o, &concluded),
    );

    // 信访室.
    let x = list(&o, &p);
    check_shape(&x, "信访室");
    assert_eq!(kinds(&x), [WorkKind::Complaint], "{:#?}", x.items);
    let row = find(&x, &n_screen, "筛选");
    assert_eq!(
        (row.duty.as_str(), row.deadline_label.as_deref(), row.light),
        ("信访室", Some("受理告知"), Some(Light::Red))
    );
    assert_eq!(row.due.as_deref(), Some("2026-10-23"));
    assert_eq!(row.light_note.as_deref(), Some("已逾期 1 个工作日"));
    assert!(row.summary.contains("王五"), "the row names who is reported: {row:?}");
    assert_eq!(row.target, WorkTarget::Complaint { id: to_screen.clone() });
    find(&x, &n_notify, "告知实名检举人已受理");
    let forward = find(&x, &n_upward, "向上级机关报送");
    assert_eq!(forward.deadline_label.as_deref(), Some("向上报送"));
    assert_eq!(x.items[0].light, Some(Light::Red));
    assert!(
        x.items.iter().all(|i| i.record != n_pending && i.record != n_concluded),
        "no work of petitions left there"
    );

    // 监督检查室: handling, a pending approval, the result feedback, the quarterly report, and
    // rectification items to submit and to review.
    let j = list(&o, &s);
    check_shape(&j, "监督检查室");
    for k in [WorkKind::Complaint, WorkKind::QuarterlyReport, WorkKind::Rectification] {
        assert!(j.items.iter().any(|i| i.kind == k), "{k:?} missing for 监督检查室: {:#?}", j.items);
    }
    assert!(find(&j, &n_notify, "待处置").light.is_none(), "disposal has no deadline of its own");
    find(&j, &n_pending, "已提请领导审批谈话函询");
    let feedback = find(&j, &n_concluded, "反馈办理结果");
    assert_eq!((feedback.deadline_label.as_deref(), feedback.duty.as_str()), (Some("结果反馈"), "监督检查室"));
    let quarterly = find(&j, "2026年第3季度", "向信访室报送");
    assert_eq!(quarterly.kind, WorkKind::QuarterlyReport);
    assert_eq!(quarterly.due.as_deref(), Some("2026-10-20"));
    assert_eq!(quarterly.light, Some(Light::Red));
    assert_eq!(
        quarterly.target,
        WorkTarget::QuarterlyReport { department: Role::Supervision, quarter: "2026Q3".into() }
    );
    let review = find(&j, "2026 年巡察反馈问题整改", "审核县交通局");
    assert_eq!(review.kind, WorkKind::Rectification);
    // The second item is months away but untouched since the list was given (09-01): yellow for
    // that reason, and said so, not "near".
    let idle = find(&j, "2026 年巡察反馈问题整改", "食堂账目不清");
    assert_eq!(idle.light, Some(Light::Yellow));
    assert_eq!(idle.light_note.as_deref(), Some("已 55 天未办理"));
    assert_eq!(idle.duty, "县教育局（责任单位）");

    // 分管领导: the approval, with who asked.
    let ld = list(&o, &l);
    check_shape(&ld, "分管领导");
    assert_eq!(ld.items.len(), 1, "{:#?}", ld.items);
    let approval = find(&ld, &n_pending, "审批：谈话函询（jiancha姓名提请）");
    assert_eq!((approval.kind, approval.duty.as_str()), (WorkKind::Approval, "分管领导"));

    // 案件监督管理室: the overdue complaint duties of every department, the first decision's item
    // to submit for its unit, and the rectification item still to do.
    let ag = list(&o, &anguan);
    check_shape(&ag, "案件监督管理室");
    let chase = find(&ag, &n_screen, "督办：信访室的受理告知已逾期");
    assert_eq!(chase.light, Some(Light::Red));
    find(&ag, &n_upward, "督办：信访室的向上报送已逾期");
    let item = find(&ag, "县纪处〔2026〕21号", "督促某县住建局办理并提交第 1 项");
    assert_eq!((item.kind, item.duty.as_str()), (WorkKind::Execution, "某县住建局（责任单位）"));
    assert_eq!(item.target, WorkTarget::Penalty { id: first.clone() });
    assert!(ag.items.iter().all(|i| i.record != "县纪处〔2026〕22号"), "a submitted item waits for the reviewer");
    find(&ag, "2026 年巡察反馈问题整改", "食堂账目不清");

    // 案件审理室: the submitted execution item and the submitted rectification item.
    let sl = list(&o, &shenli);
    check_shape(&sl, "案件审理室");
    let review = find(&sl, "县纪处〔2026〕22号", "审核某县住建局已提交的第 1 项");
    assert_eq!((review.kind, review.duty.as_str()), (WorkKind::Execution, "案件审理室"));
    find(&sl, "2026 年巡察反馈问题整改", "审核县交通局已提交的第 1 项");

    // The administrator has no case work: an empty list, not a refusal.
    let admin = list(&o, &o.admin);
    assert!(admin.items.is_empty() && admin.counts.is_empty() && admin.total == 0);

    // The filter keeps one kind; the counts still cover all; counts alone carry no rows.
    let only = worklist(&o.f.store, &s, &WorklistFilter { kind: Some(WorkKind::QuarterlyReport), counts_only: false })
        .unwrap();
    assert!(only.items.iter().all(|i| i.kind == WorkKind::QuarterlyReport) && !only.items.is_empty());
    assert_eq!(only.total, j.total);
    let counts = worklist(&o.f.store, &s, &WorklistFilter { kind: None, counts_only: true }).unwrap();
    assert!(counts.items.is_empty());
    assert_eq!((counts.total, counts.red, counts.yellow, counts.counts), (j.total, j.red, j.yellow, j.counts.clone()));

    // Doing the work takes it off the list.
    complaints::submit_quarterly_report(&mut o.f.store, &s, Role::Supervision, "2026Q3", "2026-10-26", "已报送")
        .unwrap();
    complaints::record_acceptance_notice(&mut o.f.store, &p, &to_notify, "2026-10-26", "电话告知").unwrap();
    assert!(list(&o, &s).items.iter().all(|i| i.kind != WorkKind::QuarterlyReport));
    assert!(list(&o, &p).items.iter().all(|i| !(i.record == n_notify && i.task.contains("告知"))));
}

/// Work from other offices: a complaint the city assigns to the county (to screen, and a result
/// to report), the city chasing it once late, and a step the county took after handing a case up,
/// for the city's leader to settle.
#[test]
fn cross_office_work_reaches_the_right_post_on_each_side() {
    let mut county = replica("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let mut city = replica("530100", "昆明市纪委监委", OfficeLevel::Prefecture, Some("530000"));
    let city_leader = common::officer(&mut city.store, "lingdao", Role::Leader);
    let city_anguan = common::officer(&mut city.store, "anguan", Role::CaseManagement);
    let entry = hub_event(
        1,
        GENESIS,
        kind::OFFICE_CREATED,
        "office:530102",
        &qingfeng_core::projector::OfficeCreated {
            code: "530102".into(),
            name: "五华区纪委监委".into(),
            level: OfficeLevel::County,
            parent_code: Some("530100".into()),
        },
    );
    city.store.ingest_remote(std::slice::from_ref(&entry), 1).unwrap();
    county.store.ingest_remote(std::slice::from_ref(&entry), 1).unwrap();

    // The city assigns a complaint to the county, reporting within 20 working days.
    let id = complaints::register(&mut city.store, &city.petitions, &letter("反映某局长问题", false)).unwrap();
    let assign = ApprovalAction::Assign { to_office: "530102".into(), report_days: Some(20) };
    let approval = complaints::request_approval(&mut city.store, &city.petitions, &id, &assign, "属县管干部").unwrap();
    let asked = worklist(&city.store, &city_leader, &WorklistFilter::default()).unwrap();
    assert!(asked.items[0].task.starts_with("审批：交办五华区纪委监委"), "{:?}", asked.items[0]);
    complaints::decide_approval(&mut city.store, &city_leader, &approval, true, "同意").unwrap();
    let offer = city.store.recent_events(1).unwrap().remove(0);
    let change = hub_event(
        2,
        entry.hash,
        kind::OWNERSHIP_CHANGED,
        &format!("complaint:{id}"),
        &OwnershipChanged {
            aggregate: format!("complaint:{id}"),
            from_office: "530100".into(),
            to_office: "530102".into(),
            epoch: 2,
            reason: "assign".into(),
            offer_event: offer.id.clone(),
            cut: vec![(city.store.device_id().to_owned(), offer.seq)],
        },
    );
    let history: Vec<Event> =
        routed(&city.store, 0).into_iter().filter(|e| e.aggregate == format!("complaint:{id}")).collect();
    county.store.ingest_remote(&history, 2).unwrap();
    county.store.ingest_remote(std::slice::from_ref(&change), 3).unwrap();
    city.store.ingest_remote(std::slice::from_ref(&change), 2).unwrap();

    let w = worklist(&county.store, &county.petitions, &WorklistFilter::default()).unwrap();
    check_shape(&w, "县信访室");
    let handed = w.items.iter().find(|i| i.kind == WorkKind::CrossOffice).expect("the handed-over complaint");
    // The county's directory does not hold the city yet: it is named by its place.
    assert_eq!(handed.task, "筛选上级机关移交来的检举控告");
    let report = w.items.iter().find(|i| i.kind == WorkKind::ResultReport).expect("the result owed to the city");
    assert_eq!(
        (report.task.as_str(), report.deadline_label.as_deref()),
        ("向上级报告交办件的办理结果", Some("交办结果报告"))
    );
    assert!(w.items.iter().all(|i| i.kind != WorkKind::Complaint), "not plain screening: {:#?}", w.items);

    // Past the county's date, the city's case management chases it.
    let due = report.due.clone().unwrap();
    assert!(worklist(&city.store, &city_anguan, &WorklistFilter::default()).unwrap().items.is_empty());
    let late = chrono::NaiveDate::parse_from_str(&due, "%Y-%m-%d").unwrap() + Duration::days(3);
    city.store.set_clock(Clock::manual(Utc.from_utc_datetime(&late.and_hms_opt(1, 0, 0).unwrap())));
    let chase = worklist(&city.store, &city_anguan, &WorklistFilter::default()).unwrap();
    check_shape(&chase, "市案管室");
    assert_eq!(chase.items.len(), 1, "{:#?}", chase.items);
    let row = &chase.items[0];
    assert_eq!((row.kind, row.light), (WorkKind::ResultReport, Some(Light::Red)));
    assert_eq!(row.task, "催报：五华区纪委监委逾期未报告交办结果报告");
    assert_eq!(row.duty, "五华区纪委监委");

    // The county reports a complaint upward, then (before hearing of the handover) records the
    // forwarding: a conflict for the city's leader to settle.
    let up = complaints::register(&mut county.store, &county.petitions, &letter("反映市管干部问题", false)).unwrap();
    complaints::screen(
        &mut county.store,
        &county.petitions,
        &up,
        &Screening {
            outcome: ScreeningOutcome::ReportUpward,
            department: None,
            reason: "市管干部".into(),
            refer_to: Some("昆明市纪委监委".into()),
            repeat_of: None,
        },
    )
    .unwrap();
    let offer = county.store.recent_events(1).unwrap().remove(0);
    complaints::record_forwarded(&mut county.store, &county.petitions, &up, "2026-09-28", "已寄出").unwrap();
    let events: Vec<Event> = county
        .store
        .outbox(0, 100_000)
        .unwrap()
        .into_iter()
        .filter(|e| !kind::is_office_private(&e.kind) && e.aggregate == format!("complaint:{up}"))
        .collect();
    let change = hub_event(
        3,
        change.hash,
        kind::OWNERSHIP_CHANGED,
        &format!("complaint:{up}"),
        &OwnershipChanged {
            aggregate: format!("complaint:{up}"),
            from_office: "530102".into(),
            to_office: "530100".into(),
            epoch: 2,
            reason: "report_upward".into(),
            offer_event: offer.id.clone(),
            cut: vec![(county.store.device_id().to_owned(), offer.seq)],
        },
    );
    let (before, after): (Vec<Event>, Vec<Event>) = events.into_iter().partition(|e| e.seq <= offer.seq);
    city.store.ingest_remote(&before, 3).unwrap();
    city.store.ingest_remote(std::slice::from_ref(&change), 4).unwrap();
    city.store.ingest_remote(&after, 5).unwrap();
    let lw = worklist(&city.store, &city_leader, &WorklistFilter::default()).unwrap();
    check_shape(&lw, "市领导");
    let conflict = lw.items.iter().find(|i| i.kind == WorkKind::CrossOffice).expect("the conflict");
    assert!(conflict.task.starts_with("处理冲突：五华区纪委监委在移交后仍办理了一步"), "{conflict:?}");
    assert_eq!(conflict.target, WorkTarget::Complaint { id: up.clone() });
    let cw = worklist(&city.store, &city.petitions, &WorklistFilter::default()).unwrap();
    assert!(
        cw.items
            .iter()
            .any(|i| i.kind == WorkKind::CrossOffice && i.target == WorkTarget::Complaint { id: up.clone() })
    );
}
