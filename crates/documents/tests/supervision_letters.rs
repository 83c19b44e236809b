//! Supervision letters and circulars end to end through the real store and the real notice
//! renderer (issue #19 item 2): a letter drafted, issued as a numbered 监督建议书 whose PDF carries
//! its problems and feedback period, its feedback falling due; a late unit reminded; a late
//! feedback with its evidence recorded, sent back, recorded again and accepted; a circular drafted
//! from the period naming the unit and issued as a numbered 监督通报; the statistics; a rebuild
//! from the log giving the same. Bad input (a letter issued as the wrong kind, feedback after the
//! letter closed, a reminder before the deadline) changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use qingfeng_core::CoreError;
use qingfeng_core::penalty::model::EvidenceFile;
use qingfeng_core::supervision::ops::{self, FeedbackForm};
use qingfeng_core::supervision::query;
use qingfeng_core::supervision::workflow::{CircularForm, LetterCommand, LetterStep};
use qingfeng_core::supervision::{LetterForm, LetterKind, LetterStatus, ReminderTopic};
use qingfeng_core::worklist::{self, WorkKind, WorklistFilter};
use qingfeng_documents::{DocumentError, NoticeKind, NoticeRequest, Record, stored_pdf};

const UNIT: &str = "五华区住建局";

fn letter(kind: LetterKind, days: u32) -> LetterForm {
    LetterForm {
        kind,
        topic: (kind == LetterKind::Reminder).then_some(ReminderTopic::Integrity),
        unit: UNIT.into(),
        title: "关于加强工程项目监管的监督建议".into(),
        problems: vec!["工程招标程序不规范".into(), "项目资金拨付审核不严".into()],
        suggestions: "完善招投标内控制度，严格资金拨付审核。".into(),
        feedback_working_days: Some(days),
        feedback_due: None,
    }
}

fn invalid<T: std::fmt::Debug>(r: Result<T, CoreError>) -> String {
    match r {
        Err(CoreError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn feedback(date: &str, rectified: Vec<u32>) -> FeedbackForm {
    FeedbackForm {
        date: date.into(),
        content: "已修订招投标内控制度。".into(),
        rectified,
        files: vec![EvidenceFile {
            name: "整改报告.txt".into(), bytes: "整改报告：已修订制度。".as_bytes().to_vec()
        }],
    }
}

/// The supervision rows of `actor`'s 工作台.
fn desk(store: &qingfeng_core::Store, actor: &qingfeng_core::authz::Actor) -> worklist::Worklist {
    let filter = WorklistFilter { kind: Some(WorkKind::Supervision), counts_only: false };
    worklist::worklist(store, actor, &filter).unwrap()
}

#[test]
fn a_letter_from_its_draft_to_the_circular_that_names_its_unit() {
    let mut o = office();
    let (jiancha, xinfang) = (o.jiancha.clone(), o.xinfang.clone());

    // A petitions officer may not draft letters; only the refusal itself is logged.
    let e = ops::register_letter(&mut o.store, &xinfang, &letter(LetterKind::Suggestion, 5)).unwrap_err();
    assert!(matches!(e, CoreError::Forbidden { .. }), "{e:?}");
    assert_eq!(o.count_kind("letter.registered"), 0);

    let id = ops::register_letter(&mut o.store, &jiancha, &letter(LetterKind::Suggestion, 5)).unwrap();
    // Issued as the wrong kind: refused, no number taken.
    let wrong = NoticeRequest::new(NoticeKind::ReminderLetter, Record::Letter(id.clone()));
    match notices().issue(&mut o.store, &jiancha, &wrong) {
        Err(DocumentError::WrongState { reason, .. }) => assert!(reason.contains("监督建议书"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let issue = NoticeRequest::new(NoticeKind::SupervisionSuggestion, Record::Letter(id.clone()));
    let doc = notices().issue(&mut o.store, &jiancha, &issue).unwrap();
    assert_eq!(doc.number, "五纪建〔2026〕1号");
    let (_, pdf) = stored_pdf(&mut o.store, &jiancha, &doc.number).unwrap();
    let text = pdftotext(o.dir.path(), "letter.pdf", &pdf).split_whitespace().collect::<String>();
    for want in [UNIT, "一、工程招标程序不规范", "二、项目资金拨付审核不严", "自收到本建议书之日起5个工作日内"]
    {
        assert!(text.contains(want), "the letter should say {want}: {text}");
    }
    assert!(notices().issue(&mut o.store, &jiancha, &issue).is_err(), "issued once");

    // Five working days from Monday 2026-03-02: due Monday 2026-03-09. Not late yet: no reminder.
    let page = query::letter(&o.store, &jiancha, &id).unwrap();
    assert_eq!(page.row.status, LetterStatus::Issued);
    assert_eq!(page.row.deadline.as_ref().map(|d| d.due.as_str()), Some("2026-03-09"));
    assert_eq!(page.steps, [LetterStep::RecordFeedback]);
    let before = o.event_count();
    let remind = LetterCommand::Remind { note: "请尽快反馈".into() };
    assert!(invalid(ops::letter_step(&mut o.store, &jiancha, &id, &remind)).contains("尚未逾期"));
    assert_eq!(o.event_count(), before);

    // Ten days on the feedback is late: the page says so and the unit is reminded.
    o.clock.advance(chrono::Duration::days(10));
    let page = query::letter(&o.store, &jiancha, &id).unwrap();
    assert!(page.late);
    assert_eq!(page.row.deadline.as_ref().map(|d| d.light), Some(qingfeng_core::deadlines::Light::Red));
    // 工作台 of 监督检查室 shows it red, asking for a reminder; 信访室's shows nothing of it.
    let list = desk(&o.store, &jiancha);
    let row = list.items.iter().find(|i| i.key == format!("letter:{id}")).expect("the late letter is on the desk");
    assert_eq!(row.light, Some(qingfeng_core::deadlines::Light::Red));
    assert!(row.task.contains("逾期未反馈，请催办"), "{row:?}");
    assert_eq!(row.deadline_label.as_deref(), Some("监督建议反馈"));
    assert!(desk(&o.store, &xinfang).items.is_empty());
    ops::letter_step(&mut o.store, &jiancha, &id, &remind).unwrap();

    // A feedback dated after today is refused; the late one is recorded with its evidence.
    assert!(
        invalid(ops::record_feedback(&mut o.store, &jiancha, &id, &feedback("2026-03-13", vec![1])))
            .contains("晚于今天")
    );
    ops::record_feedback(&mut o.store, &jiancha, &id, &feedback("2026-03-11", vec![1])).unwrap();
    let page = query::letter(&o.store, &jiancha, &id).unwrap();
    let f = &page.feedback[0];
    assert_eq!((f.on_time, f.evidence.len(), f.outcome_label.as_str()), (false, 1, "待审核"));
    assert!(o.store.has_blob(&f.evidence[0].sha256).unwrap(), "the evidence is stored with the feedback");
    assert_eq!(page.row.deadline.as_ref().map(|d| d.status.as_str()), Some("done"));

    // Sent back: a second feedback falls due 3 working days on; recorded on time and accepted.
    let back = LetterCommand::SendBack { note: "资金审核问题未整改".into(), working_days: Some(3) };
    ops::letter_step(&mut o.store, &jiancha, &id, &back).unwrap();
    let page = query::letter(&o.store, &jiancha, &id).unwrap();
    assert_eq!((page.row.round, page.row.deadline.as_ref().map(|d| d.due.as_str())), (2, Some("2026-03-17")));
    ops::record_feedback(&mut o.store, &jiancha, &id, &feedback("2026-03-12", vec![1])).unwrap();
    ops::letter_step(&mut o.store, &jiancha, &id, &LetterCommand::Accept { note: "同意".into() }).unwrap();
    let page = query::letter(&o.store, &jiancha, &id).unwrap();
    assert_eq!((page.row.status, page.row.problems_rectified), (LetterStatus::Closed, 1));
    assert!(page.steps.is_empty());
    assert!(desk(&o.store, &jiancha).items.is_empty(), "a closed letter leaves the desk");

    // Feedback after the letter closed: refused in Chinese, nothing recorded.
    let before = o.event_count();
    let m = invalid(ops::record_feedback(&mut o.store, &jiancha, &id, &feedback("2026-03-12", vec![2])));
    assert!(m.contains("已办结"), "{m}");
    assert_eq!(o.event_count(), before);

    // A circular for the period names the unit: late once, sent back once, one problem open.
    let form = CircularForm {
        title: "关于监督建议落实情况的通报".into(),
        period_from: "2026-03-01".into(),
        period_to: "2026-03-12".into(),
    };
    let cid = ops::draft_circular(&mut o.store, &jiancha, &form).unwrap();
    let c = query::circulars(&o.store, &jiancha).unwrap().into_iter().find(|c| c.id == cid).unwrap();
    assert_eq!(c.units.len(), 1);
    assert_eq!(c.units[0].unit, UNIT);
    assert_eq!(c.units[0].problems.len(), 3, "{:?}", c.units[0].problems);
    let issue = NoticeRequest::new(NoticeKind::Circular, Record::Circular(cid.clone()));
    let doc = notices().issue(&mut o.store, &jiancha, &issue).unwrap();
    assert_eq!(doc.number, "五纪通〔2026〕1号");
    let (_, pdf) = stored_pdf(&mut o.store, &jiancha, &doc.number).unwrap();
    let text = pdftotext(o.dir.path(), "circular.pdf", &pdf).split_whitespace().collect::<String>();
    for want in ["2026年3月1日至2026年3月12日", "1个单位", UNIT, "尚有1个未整改到位", "五纪建〔2026〕1号"]
    {
        assert!(text.contains(want), "the circular should say {want}: {text}");
    }
    // A period with nothing to report is refused.
    let empty = CircularForm { period_from: "2026-01-01".into(), period_to: "2026-02-28".into(), ..form };
    assert!(invalid(ops::draft_circular(&mut o.store, &jiancha, &empty)).contains("没有需要通报的单位"));

    let stats = query::statistics(&o.store, &jiancha, "2026-01-01", "2026-12-31").unwrap();
    let want = (1, 1, 0, 1, 1, 1, 2, 1, 1, 1);
    let got = (
        stats.letters_sent,
        stats.feedback_received,
        stats.feedback_on_time,
        stats.feedback_completed,
        stats.feedback_sent_back,
        stats.reminders_sent,
        stats.problems_total,
        stats.problems_rectified,
        stats.circulars_issued,
        stats.units_named,
    );
    assert_eq!(got, want, "{stats:?}");

    // A rebuild from the log gives the same letters, circulars and statistics.
    let letters = query::letters(&o.store, &jiancha).unwrap();
    o.store.rebuild().unwrap();
    assert_eq!(query::letters(&o.store, &jiancha).unwrap(), letters);
    assert_eq!(query::statistics(&o.store, &jiancha, "2026-01-01", "2026-12-31").unwrap(), stats);
}

#[test]
fn a_reminder_letter_prints_its_topic_and_a_fixed_feedback_date() {
    let mut o = office();
    let jiancha = o.jiancha.clone();
    let mut form = letter(LetterKind::Reminder, 30);
    form.feedback_due = Some("2026-03-20".into());
    let id = ops::register_letter(&mut o.store, &jiancha, &form).unwrap();
    let issue = NoticeRequest::new(NoticeKind::ReminderLetter, Record::Letter(id.clone()));
    let doc = notices().issue(&mut o.store, &jiancha, &issue).unwrap();
    assert_eq!(doc.number, "五纪提〔2026〕1号");
    let (_, pdf) = stored_pdf(&mut o.store, &jiancha, &doc.number).unwrap();
    let text = pdftotext(o.dir.path(), "reminder.pdf", &pdf).split_whitespace().collect::<String>();
    for want in ["提醒函", "廉政提醒", "于2026年3月20日前"] {
        assert!(text.contains(want), "the reminder should say {want}: {text}");
    }
    let page = query::letter(&o.store, &jiancha, &id).unwrap();
    assert_eq!(page.row.kind_label, "提醒函（廉政提醒）");
    assert_eq!(page.row.deadline.as_ref().map(|d| d.due.as_str()), Some("2026-03-20"));
}
