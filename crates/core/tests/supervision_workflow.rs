//! The rules of supervision letters and circulars (issue #19 item 2) as tables, in given / when /
//! then form and without a database, like `portrait_workflow.rs`: given a letter's events, when a
//! post takes a step, then this event or this refusal, for every state × step × post; the steps
//! offered (`allowed`) are exactly those the check lets through. Further tables cover bad input
//! when drafting and recording feedback, the feedback deadlines each event opens and closes, and
//! the units a circular names.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use qingfeng_core::api::RoleGrant;
use qingfeng_core::authz::{Actor, Principal};
use qingfeng_core::deadlines::{DeadlineKind, Rule};
use qingfeng_core::identity::Role;
use qingfeng_core::supervision::events::LetterEvent;
use qingfeng_core::supervision::workflow::{
    self, CircularForm, Duty, Letter, LetterCommand, LetterFact, LetterStep, NewCircular, NewLetter,
};
use qingfeng_core::supervision::*;
use qingfeng_core::{CoreError, Result};

const HERE: &str = "530102";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The business date every step is taken on; the feedback owed was due on 2026-10-30.
fn today() -> NaiveDate {
    d("2026-11-10")
}

const POSTS: [&str; 7] = ["admin", "petitions", "supervision", "investigation", "case_management", "trial", "leader"];

fn post(name: &str) -> Actor {
    Actor::User(Principal {
        user_id: name.into(),
        username: name.into(),
        display_name: name.into(),
        office_code: HERE.into(),
        grants: vec![RoleGrant { office_code: HERE.into(), role: Role::parse(name).unwrap() }],
        session_id: String::new(),
    })
}

fn form() -> LetterForm {
    LetterForm {
        kind: LetterKind::Suggestion,
        topic: None,
        unit: "某某县住建局".into(),
        title: "关于加强工程项目监管的监督建议".into(),
        problems: vec!["工程招标程序不规范".into(), "项目资金拨付审核不严".into(), "廉政风险点排查不到位".into()],
        suggestions: "完善招投标内控制度，严格资金拨付审核。".into(),
        feedback_working_days: None,
        feedback_due: None,
    }
}

fn register(f: &LetterForm) -> Result<LetterEvent> {
    workflow::register_letter(NewLetter { id: "l1", office: HERE, today: d("2026-09-01") }, &post("supervision"), f)
}

fn issued() -> LetterEvent {
    LetterEvent::Issued(LetterIssued {
        letter_id: "l1".into(),
        date: "2026-09-15".into(),
        number: "五纪建〔2026〕1号".into(),
        document_id: "doc1".into(),
        feedback_rule: Rule::WorkingDays(30).code(),
        feedback_start: None,
    })
}

fn feedback(date: &str, round: u32) -> LetterEvent {
    LetterEvent::FeedbackRecorded(FeedbackRecorded {
        letter_id: "l1".into(),
        round,
        date: date.into(),
        content: "已完成整改".into(),
        rectified: vec![1, 2],
        evidence: vec![],
        due_date: Some("2026-10-30".into()),
        on_time: true,
    })
}

fn reviewed(rule: Option<&str>) -> FeedbackReviewed {
    FeedbackReviewed {
        letter_id: "l1".into(),
        round: 1,
        date: "2026-11-02".into(),
        note: "整改措施不具体".into(),
        feedback_rule: rule.map(str::to_owned),
    }
}

/// A letter in `status`, folded from its events, its feedback owed by `due` where one is owed.
fn given(status: LetterStatus, due: Option<&str>) -> Letter {
    let LetterEvent::Registered(p) = register(&form()).unwrap() else { unreachable!() };
    let mut l = Letter::registered(&p).unwrap();
    let events: Vec<LetterEvent> = match status {
        LetterStatus::Drafted => vec![],
        LetterStatus::Issued => vec![issued()],
        LetterStatus::Feedback => vec![issued(), feedback("2026-10-20", 1)],
        LetterStatus::Closed => {
            vec![issued(), feedback("2026-10-20", 1), LetterEvent::FeedbackAccepted(reviewed(None))]
        }
    };
    for e in &events {
        l.apply(e).unwrap();
    }
    l.due = due.map(d);
    l
}

fn command(step: LetterStep) -> LetterCommand {
    match step {
        LetterStep::Issue => {
            LetterCommand::Issue { number: "五纪建〔2026〕1号".into(), document_id: "doc1".into() }
        }
        LetterStep::RecordFeedback => LetterCommand::RecordFeedback {
            date: "2026-11-05".into(),
            content: "已建立招投标内控制度".into(),
            rectified: vec![1, 3],
            evidence: vec![],
        },
        LetterStep::Accept => LetterCommand::Accept { note: "整改到位".into() },
        LetterStep::SendBack => LetterCommand::SendBack { note: "资金问题未整改".into(), working_days: None },
        LetterStep::Remind => LetterCommand::Remind { note: "请尽快反馈".into() },
    }
}

const F: &str = "forbidden";

#[test]
fn letter_table_every_state_step_and_post() {
    use LetterStatus as S;
    use LetterStep as T;
    // Only 监督检查室 handles letters; every other post is refused as forbidden, in every state.
    let only = |then: &'static str| [F, F, then, F, F, F, F];
    let late = Some("2026-10-30");
    let table: &[(S, Option<&str>, T, [&str; 7])] = &[
        (S::Drafted, None, T::Issue, only("letter.issued")),
        (S::Drafted, None, T::RecordFeedback, only("请先签发")),
        (S::Drafted, None, T::Accept, only("不能采纳反馈")),
        (S::Drafted, None, T::SendBack, only("不能退回反馈")),
        (S::Drafted, None, T::Remind, only("不能催办")),
        (S::Issued, late, T::Issue, only("不能签发")),
        (S::Issued, late, T::RecordFeedback, only("letter.feedback_recorded")),
        (S::Issued, late, T::Accept, only("正在等待被监督单位第 1 次反馈")),
        (S::Issued, late, T::SendBack, only("不能退回反馈")),
        (S::Issued, late, T::Remind, only("letter.reminded")),
        (S::Issued, Some("2026-12-01"), T::Remind, only("尚未逾期，不需催办")),
        (S::Issued, None, T::Remind, only("不需催办")),
        (S::Feedback, None, T::Issue, only("不能签发")),
        (S::Feedback, None, T::RecordFeedback, only("请先采纳或退回")),
        (S::Feedback, None, T::Accept, only("letter.feedback_accepted")),
        (S::Feedback, None, T::SendBack, only("letter.feedback_sent_back")),
        (S::Feedback, None, T::Remind, only("不能催办")),
        (S::Closed, None, T::Issue, only("已办结")),
        (S::Closed, None, T::RecordFeedback, only("本件已办结，不能再录入")),
        (S::Closed, None, T::Accept, only("已办结")),
        (S::Closed, None, T::SendBack, only("已办结")),
        (S::Closed, None, T::Remind, only("已办结")),
    ];
    for (status, due, step, expected) in table {
        let state = given(*status, *due);
        for (p, want) in POSTS.iter().zip(expected) {
            let actor = post(p);
            let got = workflow::decide(&state, HERE, &actor, &command(*step), today());
            let at = format!("given {status:?} due {due:?}, when {p} takes {step:?}");
            match got {
                Ok(events) => {
                    assert_eq!(events.len(), 1, "{at}");
                    assert_eq!(events[0].kind(), *want, "{at}: expected {want}");
                }
                Err(CoreError::Forbidden { .. }) => assert_eq!(*want, F, "{at}: refused as forbidden"),
                Err(e) => assert!(
                    *want != F && !want.contains('.') && e.to_string().contains(want),
                    "{at}: refused with “{e}”, expected {want}"
                ),
            }
            let offered = workflow::allowed(&state, HERE, &actor, today()).contains(step);
            assert_eq!(offered, workflow::check(Some(&state), HERE, &actor, *step, today()).is_ok(), "{at}: allowed");
        }
    }
    // Every state × step is in the table.
    for s in LetterStatus::ALL {
        for t in LetterStep::ALL {
            assert!(table.iter().any(|(a, _, b, _)| *a == s && *b == t), "{s:?} × {t:?} missing from the table");
        }
    }
}

#[test]
fn folding_a_sending_back_owes_a_new_round_and_feedback_is_measured_against_its_due_date() {
    let mut l = given(LetterStatus::Feedback, None);
    l.apply(&LetterEvent::FeedbackSentBack(reviewed(Some("working_days:15")))).unwrap();
    assert_eq!(l.status, LetterStatus::Issued);
    assert_eq!(l.round, 2);
    assert_eq!(l.round_start, Some(d("2026-11-02")));
    // Late: the round-2 feedback was due on 2026-11-04 and came on 2026-11-05.
    l.due = Some(d("2026-11-04"));
    let events =
        workflow::decide(&l, HERE, &post("supervision"), &command(LetterStep::RecordFeedback), today()).unwrap();
    let LetterEvent::FeedbackRecorded(p) = &events[0] else { panic!("{events:?}") };
    assert_eq!((p.round, p.on_time, p.due_date.as_deref()), (2, false, Some("2026-11-04")));
    assert_eq!(p.rectified, vec![1, 3]);
    // On time: due on the day the feedback came.
    l.due = Some(d("2026-11-05"));
    let events =
        workflow::decide(&l, HERE, &post("supervision"), &command(LetterStep::RecordFeedback), today()).unwrap();
    let LetterEvent::FeedbackRecorded(p) = &events[0] else { panic!("{events:?}") };
    assert!(p.on_time);
}

/// A change to a good draft that makes it bad.
type Change = Box<dyn Fn(&mut LetterForm)>;

#[test]
fn bad_drafts_are_refused_in_chinese() {
    let cases: Vec<(&str, Change)> = vec![
        ("被监督单位", Box::new(|f| f.unit = "  ".into())),
        ("标题", Box::new(|f| f.title = String::new())),
        ("至少写明一个发现的问题", Box::new(|f| f.problems = vec!["  ".into()])),
        ("与前面的一个问题相同", Box::new(|f| f.problems.push("工程招标程序不规范".into()))),
        ("最多列 30 个问题", Box::new(|f| f.problems = (0..31).map(|i| format!("问题{i}")).collect())),
        ("监督建议", Box::new(|f| f.suggestions = String::new())),
        ("须选择提醒类别", Box::new(|f| f.kind = LetterKind::Reminder)),
        ("不分提醒类别", Box::new(|f| f.topic = Some(ReminderTopic::Duty))),
        ("1 到 120 个工作日", Box::new(|f| f.feedback_working_days = Some(0))),
        ("1 到 120 个工作日", Box::new(|f| f.feedback_working_days = Some(121))),
        ("反馈截止日期应在签发日期之后", Box::new(|f| f.feedback_due = Some("2026-08-31".into()))),
        ("反馈截止日期“2026-02-30”无效", Box::new(|f| f.feedback_due = Some("2026-02-30".into()))),
    ];
    for (want, change) in cases {
        let mut f = form();
        change(&mut f);
        let err = register(&f).expect_err(want).to_string();
        assert!(err.contains(want), "expected “{want}”, got “{err}”");
    }
    // A reminder with its topic, and a fixed feedback date, are accepted.
    let mut f = form();
    f.kind = LetterKind::Reminder;
    f.topic = Some(ReminderTopic::Integrity);
    f.feedback_due = Some("2026年10月30日".into());
    let LetterEvent::Registered(p) = register(&f).unwrap() else { unreachable!() };
    assert_eq!((p.topic, p.feedback_due.as_deref()), (Some(ReminderTopic::Integrity), Some("2026-10-30")));
    assert_eq!(workflow::notice_kind(p.kind), "reminder_letter");
    // A fixed date the letter reaches only after it passed is refused at the issue.
    let mut l = Letter::registered(&p).unwrap();
    l.feedback_due = Some(d("2026-11-10"));
    let err = workflow::decide(&l, HERE, &post("supervision"), &command(LetterStep::Issue), today()).unwrap_err();
    assert!(err.to_string().contains("不晚于签发日期"), "{err}");
}

#[test]
fn bad_feedback_is_refused_in_chinese() {
    let l = given(LetterStatus::Issued, Some("2026-10-30"));
    let with = |date: &str, content: &str, rectified: Vec<u32>| LetterCommand::RecordFeedback {
        date: date.into(),
        content: content.into(),
        rectified,
        evidence: vec![],
    };
    let cases = [
        (with("2026-11-11", "已整改", vec![]), "晚于今天"),
        (with("2026-09-14", "已整改", vec![]), "早于本次反馈的起算日"),
        (with("去年", "已整改", vec![]), "反馈日期“去年”无效"),
        (with("2026-11-05", " ", vec![]), "反馈内容"),
        (with("2026-11-05", "已整改", vec![4]), "没有第 4 个问题"),
        (with("2026-11-05", "已整改", vec![0]), "没有第 0 个问题"),
        (with("2026-11-05", "已整改", vec![2, 2]), "第 2 个问题重复勾选"),
    ];
    for (c, want) in cases {
        let err = workflow::decide(&l, HERE, &post("supervision"), &c, today()).unwrap_err().to_string();
        assert!(err.contains(want), "expected “{want}”, got “{err}”");
    }
    let send_back = LetterCommand::SendBack { note: " ".into(), working_days: None };
    let err = workflow::decide(&given(LetterStatus::Feedback, None), HERE, &post("supervision"), &send_back, today())
        .unwrap_err();
    assert!(err.to_string().contains("退回理由"), "{err}");
}

#[test]
fn feedback_deadlines_open_at_the_issue_close_with_the_feedback_and_reopen_when_sent_back() {
    let open = |id: &str, rule: Rule, start: &str| Duty::Open {
        id: id.into(),
        kind: DeadlineKind::LetterFeedback,
        rule,
        start: d(start),
    };
    assert_eq!(
        workflow::duties(&issued()).unwrap(),
        vec![open("letter_feedback:l1:1", Rule::WorkingDays(30), "2026-09-15")]
    );
    assert_eq!(
        workflow::duties(&feedback("2026-10-20", 1)).unwrap(),
        vec![Duty::Close { id: "letter_feedback:l1:1".into(), status: "done", date: "2026-10-20".into() }]
    );
    assert_eq!(
        workflow::duties(&LetterEvent::FeedbackSentBack(reviewed(Some("working_days:15")))).unwrap(),
        vec![open("letter_feedback:l1:2", Rule::WorkingDays(15), "2026-11-02")]
    );
    assert!(workflow::duties(&LetterEvent::FeedbackAccepted(reviewed(None))).unwrap().is_empty());
    // A fixed feedback date is due on the date itself.
    let LetterEvent::Issued(mut p) = issued() else { unreachable!() };
    p.feedback_rule = Rule::Months(0).code();
    p.feedback_start = Some("2026-10-30".into());
    assert_eq!(
        workflow::duties(&LetterEvent::Issued(p)).unwrap(),
        vec![open("letter_feedback:l1:1", Rule::Months(0), "2026-10-30")]
    );
}

fn fact(unit: &str, number: &str, status: LetterStatus) -> LetterFact {
    LetterFact {
        unit: unit.into(),
        kind: LetterKind::Suggestion,
        number: number.into(),
        status,
        due: None,
        late_feedbacks: 0,
        sent_back: 0,
        problems_total: 2,
        problems_rectified: 2,
    }
}

#[test]
fn a_circular_names_the_units_with_problems_and_nothing_else() {
    let to = d("2026-10-31");
    let mut overdue = fact("县住建局", "五纪建〔2026〕1号", LetterStatus::Issued);
    overdue.due = Some(d("2026-10-15"));
    overdue.problems_rectified = 0;
    let mut late = fact("县交通局", "五纪建〔2026〕2号", LetterStatus::Closed);
    late.late_feedbacks = 1;
    let mut partial = fact("县住建局", "五纪建〔2026〕3号", LetterStatus::Closed);
    partial.problems_rectified = 1;
    partial.sent_back = 1;
    let clean = fact("县教育局", "五纪建〔2026〕4号", LetterStatus::Closed);
    let mut not_yet = fact("县卫健局", "五纪建〔2026〕5号", LetterStatus::Issued);
    not_yet.due = Some(d("2026-11-20"));
    not_yet.problems_rectified = 0;
    let units = workflow::circular_units(&[overdue, late, partial, clean.clone(), not_yet.clone()], to);
    let names: Vec<&str> = units.iter().map(|u| u.unit.as_str()).collect();
    // 卫健局's feedback is not yet due, yet its problems are not rectified: named for those only.
    assert_eq!(names, ["县住建局", "县交通局", "县卫健局"]);
    assert_eq!(
        units[0].problems,
        [
            "监督建议书（五纪建〔2026〕1号）逾期未反馈整改情况",
            "监督建议书（五纪建〔2026〕1号）指出的2个问题中尚有2个未整改到位",
            "监督建议书（五纪建〔2026〕3号）反馈不到位，被退回1次",
            "监督建议书（五纪建〔2026〕3号）指出的2个问题中尚有1个未整改到位",
        ]
    );
    assert_eq!(units[1].problems, ["监督建议书（五纪建〔2026〕2号）反馈超出期限"]);
    assert!(!units[2].problems.iter().any(|p| p.contains("逾期")), "{:?}", units[2].problems);

    let new = NewCircular { id: "c1", office: HERE, today: today() };
    let form = |from: &str, to: &str| CircularForm {
        title: "关于监督建议落实情况的通报".into(),
        period_from: from.into(),
        period_to: to.into(),
    };
    let actor = post("supervision");
    let refused = |f: CircularForm, facts: &[LetterFact]| {
        workflow::draft_circular(new, &actor, &f, facts).unwrap_err().to_string()
    };
    assert!(refused(form("2026-10-31", "2026-01-01"), &[]).contains("晚于截止日"));
    assert!(refused(form("2026-01-01", "2026-12-31"), &[]).contains("晚于今天"));
    assert!(refused(form("2026-01-01", "2026-10-31"), &[clean]).contains("没有需要通报的单位"));
    assert!(matches!(
        workflow::draft_circular(new, &post("leader"), &form("2026-01-01", "2026-10-31"), &[not_yet.clone()]),
        Err(CoreError::Forbidden { .. })
    ));
    let drafted = workflow::draft_circular(new, &actor, &form("2026-01-01", "2026-10-31"), &[not_yet]).unwrap();
    assert_eq!(drafted.kind(), "circular.drafted");
    // Issued once.
    assert!(workflow::check_circular(Some("drafted"), HERE, &actor).is_ok());
    assert!(workflow::check_circular(Some("issued"), HERE, &actor).unwrap_err().to_string().contains("不能重复签发"));
    assert!(matches!(
        workflow::check_circular(Some("drafted"), HERE, &post("trial")),
        Err(CoreError::Forbidden { .. })
    ));
}
