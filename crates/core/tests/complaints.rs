//! The complaint workflow through the core: intake, screening, approvals, disposal, conclusion,
//! feedback, deadlines and their lights, confidentiality, search, and rebuild.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use qingfeng_core::CoreError;
use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::ops::{self, Conclusion, Screening};
use qingfeng_core::complaints::query::{self, ComplaintFilter};
use qingfeng_core::complaints::*;
use qingfeng_core::deadlines::{DeadlineKind, Light};
use qingfeng_core::identity::Role;

struct Office {
    f: common::Fixture,
    clock: Clock,
    petitions: Actor,
    supervision: Actor,
    leader: Actor,
    leader2: Actor,
    trial: Actor,
}

fn office() -> Office {
    let mut f = common::initialized();
    // Monday 2026-09-28, 09:00 Beijing time: the week before the National Day holiday.
    let clock = Clock::manual(Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap());
    f.store.set_clock(clock.clone());
    let admin = f.admin();
    let actor =
        |f: &mut common::Fixture, name: &str, role: Role| common::officer_as(&mut f.store, &admin, name, vec![role]);
    let petitions = actor(&mut f, "xinfang", Role::Petitions);
    let supervision = actor(&mut f, "jiancha", Role::Supervision);
    let leader = actor(&mut f, "lingdao", Role::Leader);
    let leader2 = actor(&mut f, "lingdao2", Role::Leader);
    let trial = actor(&mut f, "shenli", Role::Trial);
    Office { f, clock, petitions, supervision, leader, leader2, trial }
}

fn letter(summary: &str, reporter: &str, subject: &str) -> RegisterComplaint {
    RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-09-28".into(),
        reporter: Some(Reporter {
            name: reporter.into(),
            unit: None,
            contact: "13800000000".into(),
            address: Some("某街道 1 号".into()),
        }),
        real_name: true,
        real_name_verified: Some("phone".into()),
        summary: summary.into(),
        content: format!("反映{subject}违规收受工程款、私设小金库并罚款不入账等问题。"),
        categories: vec!["违反廉洁纪律".into()],
        subjects: vec![Subject {
            name: subject.into(),
            post: "局长".into(),
            unit: "某县住建局".into(),
            level: "县管干部".into(),
        }],
        repeat_of: None,
    }
}

/// Petitions accepts the complaint and transfers it to supervision.
fn accept(o: &mut Office, id: &str) {
    let screening = Screening {
        outcome: ScreeningOutcome::AcceptTransfer,
        department: Some(Role::Supervision),
        reason: String::new(),
        refer_to: None,
        repeat_of: None,
    };
    ops::screen(&mut o.f.store, &o.petitions.clone(), id, &screening).unwrap();
}

fn deadline(o: &mut Office, id: &str, kind: DeadlineKind) -> qingfeng_core::deadlines::DeadlineView {
    let d = query::show(&mut o.f.store, &o.petitions, id).unwrap();
    d.deadlines.into_iter().rfind(|x| x.kind == kind).expect("deadline present")
}

#[test]
fn the_main_path_with_real_name_deadlines() {
    let mut o = office();
    let p = o.petitions.clone();
    let id = ops::register(&mut o.f.store, &p, &letter("反映某局长收受工程款", "李四", "王五")).unwrap();
    let d = query::show(&mut o.f.store, &p, &id).unwrap();
    assert_eq!(d.summary.status, ComplaintStatus::Registered);
    assert_eq!(d.summary.number, "530102-2026-00001");
    // 15 working days from Monday 2026-09-28, across the National Day holiday.
    let notice = deadline(&mut o, &id, DeadlineKind::AcceptanceNotice);
    assert_eq!((notice.due.as_str(), notice.status.as_str(), notice.light), ("2026-10-23", "open", Light::Green));

    ops::screen(
        &mut o.f.store,
        &p,
        &id,
        &Screening {
            outcome: ScreeningOutcome::AcceptTransfer,
            department: Some(Role::Supervision),
            reason: "首次举报，属本级管辖".into(),
            refer_to: None,
            repeat_of: None,
        },
    )
    .unwrap();
    o.clock.advance(Duration::days(10)); // 2026-10-08
    ops::record_acceptance_notice(&mut o.f.store, &p, &id, "2026-10-08", "电话告知").unwrap();
    assert_eq!(deadline(&mut o, &id, DeadlineKind::AcceptanceNotice).status, "done");

    let s = o.supervision.clone();
    let approval = ops::request_approval(
        &mut o.f.store,
        &s,
        &id,
        &ApprovalAction::Dispose { method: DisposalMethod::Inquiry, letter_date: Some("2026-10-09".into()) },
        "经集体研究，拟谈话函询",
    )
    .unwrap();
    // The requester may not approve; only a leader may.
    assert!(matches!(
        ops::decide_approval(&mut o.f.store, &s, &approval, true, "同意"),
        Err(CoreError::Forbidden { .. })
    ));
    let l = o.leader.clone();
    ops::decide_approval(&mut o.f.store, &l, &approval, true, "同意函询").unwrap();
    let d = query::show(&mut o.f.store, &p, &id).unwrap();
    assert_eq!(d.summary.status, ComplaintStatus::Inquiry);
    let reply = deadline(&mut o, &id, DeadlineKind::InquiryReply);
    // 15 working days after Friday 2026-10-09; Saturday 2026-10-10 is a make-up working day.
    assert_eq!(reply.due, "2026-10-29");

    o.clock.advance(Duration::days(14)); // 2026-10-22
    ops::record_inquiry_reply(&mut o.f.store, &s, &id, "2026-10-21", "书面回复已收").unwrap();
    ops::conclude(
        &mut o.f.store,
        &s,
        &id,
        &Conclusion {
            date: "2026-10-22".into(),
            result: "经函询，问题基本属实，予以批评教育".into(),
            accusation: AccusationFinding::None,
            clearance: false,
        },
    )
    .unwrap();
    let feedback = deadline(&mut o, &id, DeadlineKind::ResultFeedback);
    assert_eq!(feedback.due, "2026-11-12");
    // Three weeks later, without feedback, the deadline is red on the dashboard.
    o.clock.advance(Duration::days(22)); // 2026-11-13
    let dash = query::dashboard(&mut o.f.store, &p).unwrap();
    // Red: the result feedback, and supervision's third-quarter report (due 2026-10-20).
    assert_eq!(dash.red, 2);
    let feedback_item = dash.items.iter().find(|i| i.deadline.kind == DeadlineKind::ResultFeedback).unwrap();
    assert_eq!(feedback_item.deadline.light, Light::Red);
    assert!(feedback_item.deadline.working_days_left < 0);
    let overdue =
        query::list(&mut o.f.store, &p, &ComplaintFilter { overdue_only: true, ..Default::default() }).unwrap();
    assert_eq!(overdue.len(), 1);

    ops::record_feedback(&mut o.f.store, &s, &id, "2026-11-13", "当面反馈").unwrap();
    let d = query::show(&mut o.f.store, &p, &id).unwrap();
    assert!(d.deadlines.iter().all(|x| x.status != "open"));
    let kinds: Vec<&str> = d.timeline.iter().map(|t| t.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "complaint.registered",
            "complaint.screened",
            "complaint.acceptance_notified",
            "approval.requested",
            "approval.decided",
            "complaint.disposed",
            "complaint.inquiry_replied",
            "complaint.concluded",
            "complaint.feedback_given"
        ]
    );
    assert!(o.f.store.verify().unwrap().ok);
}

#[test]
fn repeats_get_no_acceptance_notice_and_are_suggested() {
    let mut o = office();
    let p = o.petitions.clone();
    let first = ops::register(&mut o.f.store, &p, &letter("反映王五收受工程款", "李四", "王五")).unwrap();
    let again = letter("再次反映王五收受工程款", "李四", "王五");
    let similar = query::similar(&mut o.f.store, &p, &again).unwrap();
    assert_eq!(similar.len(), 1);
    assert_eq!(similar[0].complaint.id, first);
    assert!(similar[0].reasons.iter().any(|r| r.contains("被反映人相同")));
    assert!(similar[0].reasons.iter().any(|r| r.contains("同一检举人")));

    let second = ops::register(&mut o.f.store, &p, &again).unwrap();
    ops::screen(
        &mut o.f.store,
        &p,
        &second,
        &Screening {
            outcome: ScreeningOutcome::Repeat,
            department: None,
            reason: String::new(),
            refer_to: None,
            repeat_of: Some(first.clone()),
        },
    )
    .unwrap();
    let d = query::show(&mut o.f.store, &p, &second).unwrap();
    assert_eq!(d.summary.status, ComplaintStatus::Repeat);
    assert_eq!(d.repeat_of.as_deref(), Some(first.as_str()));
    assert_eq!(deadline(&mut o, &second, DeadlineKind::AcceptanceNotice).status, "cancelled");
}

#[test]
fn report_upward_and_not_accepted_paths() {
    let mut o = office();
    let p = o.petitions.clone();
    let up = ops::register(&mut o.f.store, &p, &letter("反映本机关主要负责人问题", "李四", "赵六")).unwrap();
    ops::screen(
        &mut o.f.store,
        &p,
        &up,
        &Screening {
            outcome: ScreeningOutcome::ReportUpward,
            department: None,
            reason: "涉及本机关主要负责人".into(),
            refer_to: Some("530100".into()),
            repeat_of: None,
        },
    )
    .unwrap();
    let d = deadline(&mut o, &up, DeadlineKind::ReportUpward);
    assert_eq!(d.due, "2026-10-10", "5 working days from receipt, across National Day");
    o.clock.advance(Duration::days(1));
    ops::record_forwarded(&mut o.f.store, &p, &up, "2026-09-29", "已报送州纪委监委").unwrap();
    assert_eq!(deadline(&mut o, &up, DeadlineKind::ReportUpward).status, "done");

    let no = ops::register(&mut o.f.store, &p, &letter("反映劳动争议", "张三", "某公司")).unwrap();
    let err = ops::screen(
        &mut o.f.store,
        &p,
        &no,
        &Screening {
            outcome: ScreeningOutcome::NotAccepted,
            department: None,
            reason: "属劳动仲裁事项".into(),
            refer_to: None,
            repeat_of: None,
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("应向何处反映"), "{err}");
    ops::screen(
        &mut o.f.store,
        &p,
        &no,
        &Screening {
            outcome: ScreeningOutcome::NotAccepted,
            department: None,
            reason: "属劳动仲裁事项".into(),
            refer_to: Some("县劳动人事争议仲裁委员会".into()),
            repeat_of: None,
        },
    )
    .unwrap();
    assert_eq!(query::show(&mut o.f.store, &p, &no).unwrap().summary.status, ComplaintStatus::NotAccepted);
}

#[test]
fn a_return_needs_a_leader_who_is_not_the_requester_and_a_refusal_needs_a_reason() {
    let mut o = office();
    let (p, s, l, l2) = (o.petitions.clone(), o.supervision.clone(), o.leader.clone(), o.leader2.clone());
    let id = ops::register(&mut o.f.store, &p, &letter("反映某事", "李四", "王五")).unwrap();
    accept(&mut o, &id);
    let a = ops::request_approval(&mut o.f.store, &s, &id, &ApprovalAction::Return, "无实质内容，经协商退回").unwrap();
    assert!(
        ops::request_approval(&mut o.f.store, &s, &id, &ApprovalAction::Return, "再次提请")
            .unwrap_err()
            .to_string()
            .contains("待审批")
    );
    assert!(ops::decide_approval(&mut o.f.store, &l, &a, false, "  ").unwrap_err().to_string().contains("审批意见"));
    ops::decide_approval(&mut o.f.store, &l, &a, false, "请补充核实后再议").unwrap();
    assert_eq!(query::show(&mut o.f.store, &p, &id).unwrap().summary.status, ComplaintStatus::WithDepartment);
    let a2 = ops::request_approval(&mut o.f.store, &s, &id, &ApprovalAction::Return, "补充核实后仍无实质内容").unwrap();
    assert!(ops::decide_approval(&mut o.f.store, &l, &a2, true, "同意").is_ok());
    assert!(ops::decide_approval(&mut o.f.store, &l2, &a2, true, "同意").unwrap_err().to_string().contains("已经审批"));
    assert_eq!(query::show(&mut o.f.store, &p, &id).unwrap().summary.status, ComplaintStatus::Registered);
}

#[test]
fn a_leader_who_requested_cannot_approve_their_own_request() {
    let mut o = office();
    let p = o.petitions.clone();
    // A leader who also holds the supervision post requests; the same person may not approve.
    let admin = o.f.admin();
    accounts::set_role(&mut o.f.store, &admin, "lingdao", Role::Supervision, true).unwrap();
    let s = accounts::login(&mut o.f.store, "lingdao", "Password#2026", Channel::Cli).unwrap();
    let both = Actor::User(accounts::principal(&o.f.store, &s.session_id).unwrap());
    let id = ops::register(&mut o.f.store, &p, &letter("反映某事", "李四", "王五")).unwrap();
    accept(&mut o, &id);
    let a = ops::request_approval(
        &mut o.f.store,
        &both,
        &id,
        &ApprovalAction::Dispose { method: DisposalMethod::Verification, letter_date: None },
        "拟初核",
    )
    .unwrap();
    let err = ops::decide_approval(&mut o.f.store, &both, &a, true, "同意").unwrap_err();
    assert!(err.to_string().contains("提请人不能审批"), "{err}");
}

#[test]
fn bad_input_is_refused_and_nothing_is_half_saved() {
    let mut o = office();
    let p = o.petitions.clone();
    let before = o.f.event_count();
    let mut future = letter("反映某事", "李四", "王五");
    future.received_at = "2026-10-30".into();
    assert!(ops::register(&mut o.f.store, &p, &future).unwrap_err().to_string().contains("晚于当前时间"));
    let mut empty = letter("", "李四", "王五");
    assert!(ops::register(&mut o.f.store, &p, &empty).unwrap_err().to_string().contains("摘要"));
    empty.summary = "反映某事".into();
    empty.subjects.clear();
    assert!(ops::register(&mut o.f.store, &p, &empty).unwrap_err().to_string().contains("被反映人"));
    let mut anonymous_real = letter("反映某事", "李四", "王五");
    anonymous_real.reporter = None;
    assert!(ops::register(&mut o.f.store, &p, &anonymous_real).unwrap_err().to_string().contains("实名"));
    let mut bad_date = letter("反映某事", "李四", "王五");
    bad_date.received_at = "2026-02-30".into();
    assert!(ops::register(&mut o.f.store, &p, &bad_date).unwrap_err().to_string().contains("不存在"));
    assert_eq!(o.f.event_count(), before);

    // A transition from the wrong state, and a step by the wrong post.
    let id = ops::register(&mut o.f.store, &p, &letter("反映某事", "李四", "王五")).unwrap();
    let n = o.f.event_count();
    let c = Conclusion {
        date: "2026-09-28".into(),
        result: "了结".into(),
        accusation: AccusationFinding::None,
        clearance: false,
    };
    assert!(ops::conclude(&mut o.f.store, &o.supervision.clone(), &id, &c).is_err());
    let err = ops::record_acceptance_notice(&mut o.f.store, &p, &id, "2026-09-28", "").unwrap_err();
    assert!(err.to_string().contains("先完成筛选"), "{err}");
    let screening = Screening {
        outcome: ScreeningOutcome::AcceptTransfer,
        department: Some(Role::Trial),
        reason: String::new(),
        refer_to: None,
        repeat_of: None,
    };
    assert!(ops::screen(&mut o.f.store, &p, &id, &screening).unwrap_err().to_string().contains("承办部门"));
    let by_supervision = Screening { department: Some(Role::Supervision), ..screening };
    assert!(matches!(
        ops::screen(&mut o.f.store, &o.supervision.clone(), &id, &by_supervision),
        Err(CoreError::Forbidden { .. })
    ));
    assert_eq!(o.f.count_kind("access.denied"), 1);
    assert_eq!(o.f.event_count(), n + 1, "only the refusal itself is recorded");
}

#[test]
fn a_supervision_officer_never_sees_the_reporter() {
    let mut o = office();
    let p = o.petitions.clone();
    let s = o.supervision.clone();
    let id = ops::register(&mut o.f.store, &p, &letter("反映王五收受工程款", "李四", "王五")).unwrap();
    accept(&mut o, &id);
    for viewer in [&s, &o.trial.clone()] {
        let detail = query::show(&mut o.f.store, viewer, &id).unwrap();
        let text = serde_json::to_string(&detail).unwrap();
        assert!(!text.contains("李四") && !text.contains("13800000000") && !text.contains("某街道"), "{text}");
        assert!(!detail.can_reveal_reporter);
        assert!(matches!(ops::reveal_reporter(&mut o.f.store, viewer, &id, "核实"), Err(CoreError::Forbidden { .. })));
        // Searching by the reporter's name or contact finds nothing: they are not indexed.
        assert!(
            query::list(&mut o.f.store, viewer, &ComplaintFilter { text: Some("李四".into()), ..Default::default() })
                .unwrap()
                .is_empty()
        );
        assert!(
            query::list(
                &mut o.f.store,
                viewer,
                &ComplaintFilter { text: Some("13800000000".into()), ..Default::default() }
            )
            .unwrap()
            .is_empty()
        );
        let list =
            serde_json::to_string(&query::list(&mut o.f.store, viewer, &ComplaintFilter::default()).unwrap()).unwrap();
        assert!(!list.contains("李四"));
        let dash = serde_json::to_string(&query::dashboard(&mut o.f.store, viewer).unwrap()).unwrap();
        assert!(!dash.contains("李四"));
    }
    // Petitions may reveal it, and the reading is itself an event.
    let before = o.f.count_kind("complaint.identity_viewed");
    let r = ops::reveal_reporter(&mut o.f.store, &p, &id, "电话告知受理").unwrap().unwrap();
    assert_eq!(r.name, "李四");
    assert_eq!(o.f.count_kind("complaint.identity_viewed"), before + 1);
    let timeline = query::show(&mut o.f.store, &p, &id).unwrap().timeline;
    assert!(timeline.iter().any(|t| t.text.contains("查看检举人身份")));
    assert!(!serde_json::to_string(&timeline).unwrap().contains("李四"));
}

#[test]
fn search_finds_one_two_and_many_character_queries() {
    let mut o = office();
    let p = o.petitions.clone();
    let a = ops::register(&mut o.f.store, &p, &letter("反映王五收受工程款", "李四", "王五")).unwrap();
    let mut other = letter("反映赵六违规发放补贴", "张三", "赵六");
    other.content = "赵六违规发放津贴补贴。".into();
    let b = ops::register(&mut o.f.store, &p, &other).unwrap();
    let find = |o: &mut Office, q: &str| -> Vec<String> {
        let mut ids: Vec<String> =
            query::list(&mut o.f.store, &p, &ComplaintFilter { text: Some(q.into()), ..Default::default() })
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect();
        ids.sort();
        ids
    };
    assert_eq!(find(&mut o, "罚款"), vec![a.clone()], "two characters");
    assert_eq!(find(&mut o, "王五"), vec![a.clone()], "a two-character name");
    assert_eq!(find(&mut o, "赵"), vec![b.clone()], "one character");
    assert_eq!(find(&mut o, "私设小金库"), vec![a.clone()], "five characters");
    let mut both = vec![a.clone(), b.clone()];
    both.sort();
    assert_eq!(find(&mut o, "违规"), both);
    assert!(find(&mut o, "王五 补贴").is_empty(), "all terms must match");
    assert!(find(&mut o, "金库罚").is_empty(), "characters must be adjacent");
    // Query syntax typed by a user is inert, and a query of nothing searchable is refused clearly.
    assert_eq!(find(&mut o, "\"王五\" (*"), vec![a.clone()]);
    assert!(find(&mut o, "王五 OR 赵六").is_empty(), "OR is a word to find, not an operator");
    let err = query::list(&mut o.f.store, &p, &ComplaintFilter { text: Some("*** ((".into()), ..Default::default() })
        .unwrap_err();
    assert!(err.to_string().contains("没有可检索"));
    let by_unit =
        query::list(&mut o.f.store, &p, &ComplaintFilter { unit: Some("住建".into()), ..Default::default() }).unwrap();
    assert_eq!(by_unit.len(), 2);
}

/// The list says how many complaints the office holds under the filter, not how many its page
/// shows: five letters with a page of two is "共 5 件", of which the newest two are listed.
#[test]
fn the_list_page_carries_the_true_total_under_its_filter() {
    let mut o = office();
    let p = o.petitions.clone();
    for i in 0..5 {
        let subject = if i < 3 { format!("王{i}") } else { format!("赵{i}") };
        ops::register(&mut o.f.store, &p, &letter(&format!("反映{subject}收受工程款"), "李四", &subject)).unwrap();
    }
    let everything =
        query::page(&mut o.f.store, &p, &ComplaintFilter { limit: Some(2), ..Default::default() }).unwrap();
    assert_eq!((everything.rows.len(), everything.total, everything.limit), (2, 5, 2));
    let newest = query::list(&mut o.f.store, &p, &ComplaintFilter { limit: Some(2), ..Default::default() }).unwrap();
    assert_eq!(everything.rows, newest, "the page lists what the list does");
    let wang = query::page(
        &mut o.f.store,
        &p,
        &ComplaintFilter { text: Some("王".into()), limit: Some(2), ..Default::default() },
    )
    .unwrap();
    assert_eq!((wang.rows.len(), wang.total), (2, 3), "the total follows the text filter");
    let none = query::page(
        &mut o.f.store,
        &p,
        &ComplaintFilter { channel: Some(ComplaintChannel::Visit), ..Default::default() },
    )
    .unwrap();
    assert_eq!((none.rows.len(), none.total, none.limit), (0, 0, 200));
}

#[test]
fn rebuild_reproduces_complaints_deadlines_and_search() {
    let mut o = office();
    let (p, s, l) = (o.petitions.clone(), o.supervision.clone(), o.leader.clone());
    for i in 0..5 {
        let id =
            ops::register(&mut o.f.store, &p, &letter(&format!("反映第{i}件事"), "李四", &format!("王{i}"))).unwrap();
        if i % 2 == 0 {
            accept(&mut o, &id);
            let a = ops::request_approval(
                &mut o.f.store,
                &s,
                &id,
                &ApprovalAction::Dispose { method: DisposalMethod::Inquiry, letter_date: Some("2026-09-28".into()) },
                "拟函询",
            )
            .unwrap();
            ops::decide_approval(&mut o.f.store, &l, &a, true, "同意").unwrap();
        }
    }
    let live = o.f.store.projection_dump().unwrap();
    let found = query::list(&mut o.f.store, &p, &ComplaintFilter { text: Some("王2".into()), ..Default::default() })
        .unwrap()
        .len();
    o.f.store.rebuild().unwrap();
    assert_eq!(o.f.store.projection_dump().unwrap(), live);
    let again = query::list(&mut o.f.store, &p, &ComplaintFilter { text: Some("王2".into()), ..Default::default() })
        .unwrap()
        .len();
    assert_eq!((found, again), (1, 1));
}

#[test]
fn a_calendar_update_recomputes_open_deadlines() {
    use qingfeng_core::cal::{CalendarUpdate, Holiday, parse_date};
    let mut o = office();
    let p = o.petitions.clone();
    o.clock.advance(Duration::days(90)); // 2026-12-27
    let mut f = letter("年底来信", "李四", "王五");
    f.received_at = "2026-12-24".into();
    let id = ops::register(&mut o.f.store, &p, &f).unwrap();
    let before = deadline(&mut o, &id, DeadlineKind::AcceptanceNotice);
    assert!(before.provisional, "15 working days from 24 Dec reach into 2027, not yet in the calendar");
    let admin = o.f.admin();
    let update = CalendarUpdate {
        year: 2027,
        days_off: (1..=3)
            .map(|d| Holiday { date: parse_date(&format!("2027-01-0{d}")).unwrap(), name: "元旦".into() })
            .collect(),
        makeup_workdays: vec![],
        source: "测试".into(),
    };
    qingfeng_core::calendar::import_update(&mut o.f.store, &admin, &update).unwrap();
    let after = deadline(&mut o, &id, DeadlineKind::AcceptanceNotice);
    assert!(!after.provisional);
    assert!(after.due > before.due, "the New Year holiday pushes the due date later: {} -> {}", before.due, after.due);
    let live = o.f.store.projection_dump().unwrap();
    o.f.store.rebuild().unwrap();
    assert_eq!(o.f.store.projection_dump().unwrap(), live);
}

#[test]
fn statistics_count_by_month_channel_category_unit_status_and_overdue() {
    use qingfeng_core::complaints::stats::{self, StatsFilter};
    let mut o = office();
    let p = o.petitions.clone();
    let a = ops::register(&mut o.f.store, &p, &letter("反映王五收受工程款", "李四", "王五")).unwrap();
    let mut visit = letter("反映赵六公车私用", "张三", "赵六");
    visit.channel = ComplaintChannel::Visit;
    visit.categories = vec!["违反廉洁纪律".into(), "违反工作纪律".into()];
    visit.subjects[0].unit = "某乡人民政府".into();
    ops::register(&mut o.f.store, &p, &visit).unwrap();
    let mut anonymous = letter("匿名反映", "", "钱七");
    anonymous.reporter = None;
    anonymous.real_name = false;
    anonymous.real_name_verified = None;
    anonymous.channel = ComplaintChannel::Web;
    ops::register(&mut o.f.store, &p, &anonymous).unwrap();
    accept(&mut o, &a);

    let s = stats::statistics(&mut o.f.store, &p, &StatsFilter::default()).unwrap();
    assert_eq!(s.total, 3);
    assert_eq!(s.by_month.iter().map(|c| (c.label.as_str(), c.count)).collect::<Vec<_>>(), [("2026年9月", 3)]);
    assert_eq!(s.by_channel.iter().find(|c| c.key == "letter").unwrap().count, 1);
    assert_eq!(s.by_channel.iter().find(|c| c.key == "visit").unwrap().label, "来访");
    assert_eq!(s.by_category.iter().find(|c| c.key == "违反廉洁纪律").unwrap().count, 3);
    assert_eq!(s.by_unit.iter().find(|c| c.key == "某县住建局").unwrap().count, 2);
    assert_eq!(s.by_status.iter().find(|c| c.key == "registered").unwrap().count, 2);
    assert_eq!((s.with_deadlines, s.overdue, s.overdue_per_mille), (2, 0, 0));
    // Six weeks on, both real-name acceptance notices are overdue.
    o.clock.advance(Duration::days(42));
    let s = stats::statistics(&mut o.f.store, &p, &StatsFilter::default()).unwrap();
    assert_eq!((s.overdue, s.overdue_per_mille), (2, 1000));
    let none =
        stats::statistics(&mut o.f.store, &p, &StatsFilter { from: Some("2026-10-01".into()), to: None }).unwrap();
    assert_eq!(none.total, 0);
    assert!(
        stats::statistics(
            &mut o.f.store,
            &p,
            &StatsFilter { from: Some("2026-10-01".into()), to: Some("2026-09-01".into()) }
        )
        .is_err()
    );

    let unit = stats::unit_summary(&mut o.f.store, &p, "住建局").unwrap();
    assert_eq!(unit.total, 2);
    assert!(unit.people.iter().any(|c| c.key == "王五（局长）"));
}

#[test]
fn exports_are_masked_and_recorded() {
    use qingfeng_core::complaints::stats::{self, ExportFormat};
    let mut o = office();
    let p = o.petitions.clone();
    let s = o.supervision.clone();
    ops::register(&mut o.f.store, &p, &letter("反映王五, \"收受\"工程款", "李四", "王五")).unwrap();
    let csv =
        String::from_utf8(stats::export(&mut o.f.store, &s, &ComplaintFilter::default(), ExportFormat::Csv).unwrap())
            .unwrap();
    assert!(csv.starts_with("\u{feff}编号,收到日期"));
    assert!(csv.contains("\"反映王五, \"\"收受\"\"工程款\""), "commas and quotes are escaped: {csv}");
    assert!(csv.contains("实名（身份已屏蔽）"));
    assert!(!csv.contains("李四") && !csv.contains("13800000000"));
    let xlsx = stats::export(&mut o.f.store, &s, &ComplaintFilter::default(), ExportFormat::Xlsx).unwrap();
    assert!(xlsx.starts_with(b"PK"), "an XLSX file is a zip archive");
    assert_eq!(o.f.count_kind("complaint.exported"), 2);
    let admin = o.f.admin();
    assert!(matches!(
        stats::export(&mut o.f.store, &admin, &ComplaintFilter::default(), ExportFormat::Csv),
        Err(CoreError::Forbidden { .. })
    ));
}

#[test]
fn batch_registration_is_all_or_nothing_and_numbers_continue() {
    let mut o = office();
    let p = o.petitions.clone();
    ops::register(&mut o.f.store, &p, &letter("第一件", "李四", "王五")).unwrap();
    let mut bad = letter("", "李四", "王五");
    bad.summary.clear();
    let n = o.f.event_count();
    let err = ops::register_many(&mut o.f.store, &p, &[letter("第二件", "李四", "王五"), bad]).unwrap_err();
    assert!(err.to_string().starts_with("第 2 件"), "{err}");
    assert_eq!(o.f.event_count(), n);
    let ids =
        ops::register_many(&mut o.f.store, &p, &[letter("第二件", "李四", "王五"), letter("第三件", "李四", "赵六")])
            .unwrap();
    let numbers: Vec<String> =
        ids.iter().map(|id| query::show(&mut o.f.store, &p, id).unwrap().summary.number).collect();
    assert_eq!(numbers, ["530102-2026-00002", "530102-2026-00003"]);
}

#[test]
fn an_approved_close_still_needs_its_conclusion_and_feedback() {
    let mut o = office();
    let (p, s, l) = (o.petitions.clone(), o.supervision.clone(), o.leader.clone());
    let id = ops::register(&mut o.f.store, &p, &letter("反映某事", "李四", "王五")).unwrap();
    accept(&mut o, &id);
    let a = ops::request_approval(
        &mut o.f.store,
        &s,
        &id,
        &ApprovalAction::Dispose { method: DisposalMethod::Close, letter_date: None },
        "缺乏可查性",
    )
    .unwrap();
    ops::decide_approval(&mut o.f.store, &l, &a, true, "同意了结").unwrap();
    let d = query::show(&mut o.f.store, &s, &id).unwrap();
    assert_eq!(d.summary.status, ComplaintStatus::WithDepartment);
    assert_eq!(d.disposal.as_deref(), Some("close"));
    assert!(d.actions.contains(&ComplaintActionKind::Conclude));
    let c = Conclusion {
        date: "2026-09-28".into(),
        result: "予以了结".into(),
        accusation: AccusationFinding::None,
        clearance: false,
    };
    ops::conclude(&mut o.f.store, &s, &id, &c).unwrap();
    assert_eq!(deadline(&mut o, &id, DeadlineKind::ResultFeedback).status, "open");
}

/// A complaint accepted, approved for filing, and so a filed case handled by supervision.
fn filed_case(o: &mut Office) -> String {
    let (p, s, l) = (o.petitions.clone(), o.supervision.clone(), o.leader.clone());
    let id = ops::register(&mut o.f.store, &p, &letter("反映严重违纪问题", "李四", "王五")).unwrap();
    accept(o, &id);
    let a = ops::request_approval(
        &mut o.f.store,
        &s,
        &id,
        &ApprovalAction::Dispose { method: DisposalMethod::FileCase, letter_date: None },
        "拟立案审查调查",
    )
    .unwrap();
    ops::decide_approval(&mut o.f.store, &l, &a, true, "同意立案").unwrap();
    id
}

#[test]
fn case_stages_run_in_order_and_trial_review_is_due_in_a_month() {
    let mut o = office();
    let s = o.supervision.clone();
    let id = filed_case(&mut o);
    let err =
        ops::record_case_milestone(&mut o.f.store, &s, &id, CaseStage::TrialAccepted, "2026-09-28", "").unwrap_err();
    assert!(err.to_string().contains("下一步应为“立案”"), "{err}");
    ops::record_case_milestone(&mut o.f.store, &s, &id, CaseStage::Filed, "2026-09-28", "立案").unwrap();
    o.clock.advance(Duration::days(30)); // 2026-10-28
    ops::record_case_milestone(&mut o.f.store, &s, &id, CaseStage::Investigation, "2026-10-28", "").unwrap();
    ops::record_case_milestone(&mut o.f.store, &s, &id, CaseStage::TrialAccepted, "2026-10-28", "移送审理").unwrap();
    let trial = deadline(&mut o, &id, DeadlineKind::TrialReview);
    assert_eq!(
        (trial.due.as_str(), trial.status.as_str()),
        ("2026-11-30", "open"),
        "28 Nov is a Saturday: moved to Monday"
    );
    o.clock.advance(Duration::days(20));
    ops::record_case_milestone(&mut o.f.store, &s, &id, CaseStage::Decided, "2026-11-17", "给予党内严重警告处分")
        .unwrap();
    assert_eq!(deadline(&mut o, &id, DeadlineKind::TrialReview).status, "done");
    let d = query::show(&mut o.f.store, &s, &id).unwrap();
    assert!(!d.actions.contains(&ComplaintActionKind::RecordCaseMilestone));
    assert!(d.actions.contains(&ComplaintActionKind::Conclude));
    assert!(d.timeline.iter().any(|t| t.text.starts_with("移送审理")));
}

#[test]
fn detention_is_three_fixed_months_reminded_ten_days_before_and_extended_once() {
    let mut o = office();
    let s = o.supervision.clone();
    let id = filed_case(&mut o);
    let err = ops::start_detention(&mut o.f.store, &s, &id, "2026-09-28", "").unwrap_err();
    assert!(err.to_string().contains("立案后"), "{err}");
    ops::record_case_milestone(&mut o.f.store, &s, &id, CaseStage::Filed, "2026-09-28", "").unwrap();
    ops::start_detention(&mut o.f.store, &s, &id, "2026-09-28", "经批准采取留置措施").unwrap();
    let end = deadline(&mut o, &id, DeadlineKind::DetentionEnd);
    let reminder = deadline(&mut o, &id, DeadlineKind::DetentionReminder);
    // Three months from 2026-09-28 is Monday 2026-12-28; custody periods never move.
    assert_eq!((end.due.as_str(), reminder.due.as_str()), ("2026-12-28", "2026-12-18"));
    assert!(
        ops::extend_detention(&mut o.f.store, &s, &id, "2026-09-28", " ").unwrap_err().to_string().contains("批准文号")
    );
    o.clock.advance(Duration::days(80)); // 2026-12-17
    ops::extend_detention(&mut o.f.store, &s, &id, "2026-12-17", "州纪委〔2026〕8号").unwrap();
    let end = deadline(&mut o, &id, DeadlineKind::DetentionEnd);
    assert_eq!(
        (end.due.as_str(), end.status.as_str()),
        ("2027-03-28", "open"),
        "six months from the original start, a Sunday, not moved"
    );
    assert!(
        ops::extend_detention(&mut o.f.store, &s, &id, "2026-12-17", "再次")
            .unwrap_err()
            .to_string()
            .contains("只能延长一次")
    );
    let err = ops::record_case_milestone(&mut o.f.store, &s, &id, CaseStage::Investigation, "2026-12-17", "")
        .and_then(|_| ops::record_case_milestone(&mut o.f.store, &s, &id, CaseStage::TrialAccepted, "2026-12-17", ""))
        .and_then(|_| ops::record_case_milestone(&mut o.f.store, &s, &id, CaseStage::Decided, "2026-12-17", ""))
        .unwrap_err();
    assert!(err.to_string().contains("留置尚未解除"), "{err}");
    ops::end_detention(&mut o.f.store, &s, &id, "2026-12-17", "解除留置").unwrap();
    assert_eq!(deadline(&mut o, &id, DeadlineKind::DetentionEnd).status, "done");
    let live = o.f.store.projection_dump().unwrap();
    o.f.store.rebuild().unwrap();
    assert_eq!(o.f.store.projection_dump().unwrap(), live);
}

#[test]
fn each_quarter_the_department_owes_a_results_report() {
    let mut o = office();
    let (p, s) = (o.petitions.clone(), o.supervision.clone());
    let id = ops::register(&mut o.f.store, &p, &letter("反映某事", "李四", "王五")).unwrap();
    accept(&mut o, &id);
    let dash = query::dashboard(&mut o.f.store, &p).unwrap();
    let q = dash.items.iter().find(|i| i.deadline.kind == DeadlineKind::QuarterlyReport).expect("quarterly report due");
    // Q3 2026 ends on 2026-09-30; ten working days after it, across National Day and counting
    // the make-up Saturday 2026-10-10, is 2026-10-20.
    assert_eq!(q.deadline.due, "2026-10-20");
    assert!(q.summary.contains("监督检查室") && q.summary.contains("2026年第3季度"), "{}", q.summary);
    assert!(
        ops::submit_quarterly_report(&mut o.f.store, &s, Role::Supervision, "2026Q3", "2026-09-28", "")
            .unwrap_err()
            .to_string()
            .contains("季度结束后")
    );
    assert!(ops::submit_quarterly_report(&mut o.f.store, &s, Role::Supervision, "2026Q5", "2026-09-28", "").is_err());
    assert!(matches!(
        ops::submit_quarterly_report(&mut o.f.store, &p, Role::Supervision, "2026Q3", "2026-09-28", ""),
        Err(CoreError::Forbidden { .. })
    ));
    o.clock.advance(Duration::days(10));
    ops::submit_quarterly_report(&mut o.f.store, &s, Role::Supervision, "2026q3", "2026-10-08", "第三季度办结 1 件")
        .unwrap();
    let dash = query::dashboard(&mut o.f.store, &p).unwrap();
    assert!(dash.items.iter().all(|i| i.deadline.kind != DeadlineKind::QuarterlyReport));
}

#[test]
fn attachments_are_typed_limited_masked_logged_and_tamper_evident() {
    use qingfeng_core::complaints::attachments::{self, MAX_ATTACHMENT_BYTES};
    let mut o = office();
    let (p, s) = (o.petitions.clone(), o.supervision.clone());
    let id = ops::register(&mut o.f.store, &p, &letter("来信附扫描件", "李四", "王五")).unwrap();
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n".to_vec();
    let before = o.f.event_count();
    for (name, bytes, expected) in [
        ("空.pdf", Vec::new(), "空文件"),
        ("大.pdf", vec![b'%'; MAX_ATTACHMENT_BYTES + 1], "上限"),
        ("程序.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".to_vec(), "不是可接受的类型"),
    ] {
        let err = attachments::add(&mut o.f.store, &p, &id, name, &bytes).unwrap_err();
        assert!(err.to_string().contains(expected), "{name}: {err}");
    }
    assert_eq!(o.f.event_count(), before, "refused files leave nothing behind");

    let added = attachments::add(&mut o.f.store, &p, &id, "C:\\扫描\\李四来信.pdf", &pdf).unwrap();
    assert_eq!((added.name.as_str(), added.kind_label.as_str()), ("李四来信.pdf", "PDF"));
    assert!(attachments::add(&mut o.f.store, &p, &id, "again.pdf", &pdf).unwrap_err().to_string().contains("重复"));
    let recording = b"ID3\x04\x00\x00\x00\x00\x00\x00fake mp3 frames".to_vec();
    attachments::add(&mut o.f.store, &p, &id, "来电录音.mp3", &recording).unwrap();

    // Supervision sees that files exist, never their names, and cannot open them.
    let seen = query::show(&mut o.f.store, &s, &id).unwrap().attachments;
    assert_eq!(seen.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["附件 1", "附件 2"]);
    assert!(matches!(
        attachments::open(&mut o.f.store, &s, &id, &added.sha256, "核查"),
        Err(CoreError::Forbidden { .. })
    ));
    // Petitions open it with a purpose, and the opening is recorded.
    assert!(attachments::open(&mut o.f.store, &p, &id, &added.sha256, " ").is_err());
    let opened = attachments::open(&mut o.f.store, &p, &id, &added.sha256, "核对来信原件").unwrap();
    assert_eq!(opened.bytes, pdf);
    assert_eq!(o.f.count_kind("complaint.attachment_viewed"), 1);

    // Attachments survive a rebuild (the bytes are content, not a projection).
    let live = o.f.store.projection_dump().unwrap();
    o.f.store.rebuild().unwrap();
    assert_eq!(o.f.store.projection_dump().unwrap(), live);
    assert_eq!(attachments::open(&mut o.f.store, &p, &id, &added.sha256, "再次核对").unwrap().bytes, pdf);

    // Bytes changed behind the program's back no longer match the hash in the log.
    o.f.store
        .raw_connection_for_tests()
        .execute(
            "UPDATE blobs SET bytes = ?1 WHERE sha256 = ?2",
            rusqlite::params![b"%PDF-forged".to_vec(), added.sha256],
        )
        .unwrap();
    let err = attachments::open(&mut o.f.store, &p, &id, &added.sha256, "核对").unwrap_err();
    assert!(matches!(err, CoreError::Tampered(_)), "{err:?}");
}
