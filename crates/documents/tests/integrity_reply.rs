//! Integrity opinions end to end through the real store and the real notice renderer (issue #19
//! item 1): a request for three cadres registered, the records bearing on each found, suggested
//! matches confirmed on their files (every reading logged), conclusions proposed and edited,
//! approved by a leader, and the reply issued as a numbered 廉政意见回复 whose PDF carries each
//! conclusion and nothing of the reporter. Bad input (a person named twice, a reply before
//! approval, a conclusion naming the reporter) changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use qingfeng_core::CoreError;
use qingfeng_core::portrait::query;
use qingfeng_core::portrait::workflow::{MatchStep, OpinionCommand, OpinionStep};
use qingfeng_core::portrait::{CadreForm, OpinionRequestForm, OpinionStatus, Purpose, ops};
use qingfeng_documents::{DocumentError, NoticeKind, NoticeRequest, Record, stored_pdf};

fn cadre(name: &str, unit: &str, post: &str) -> CadreForm {
    CadreForm { name: name.into(), unit: unit.into(), post: post.into(), id_number: None }
}

fn request(persons: Vec<CadreForm>) -> OpinionRequestForm {
    OpinionRequestForm {
        requester: "中共五华区委组织部".into(),
        request_ref: "五组函〔2026〕15号".into(),
        purpose: Purpose::Promotion,
        purpose_note: "拟提拔为副处级领导干部".into(),
        received_date: "2026-02-27".into(),
        reply_working_days: None,
        persons,
    }
}

fn invalid<T: std::fmt::Debug>(r: Result<T, CoreError>) -> String {
    match r {
        Err(CoreError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn an_opinion_request_from_registration_to_the_printed_reply() {
    let mut o = office();
    let (jiancha, lingdao, xinfang) = (o.jiancha.clone(), o.lingdao.clone(), o.xinfang.clone());
    // The records: an open complaint about 甄被告 and a penalty of 刘受处 still in its period.
    register(&mut o, true, false);
    penalty(&mut o, false);

    // A person named twice: refused, nothing recorded.
    let before = o.event_count();
    let twice = request(vec![
        cadre(SUBJECT_NAME, SUBJECT_UNIT, SUBJECT_POST),
        cadre("刘受处", "五华区住建局", "副局长"),
        cadre(SUBJECT_NAME, SUBJECT_UNIT, SUBJECT_POST),
    ]);
    let m = invalid(ops::register_opinion(&mut o.store, &jiancha, &twice));
    assert!(m.contains("第 3 人") && m.contains("重复"), "{m}");
    assert_eq!(o.event_count(), before, "a refused request records nothing");

    let form = request(vec![
        cadre(SUBJECT_NAME, SUBJECT_UNIT, SUBJECT_POST),
        cadre("刘受处", "五华区住建局", "副局长"),
        cadre("白清廉", "五华区教育局", "副局长"),
    ]);
    let id = ops::register_opinion(&mut o.store, &jiancha, &form).unwrap();
    assert_eq!(o.count_kind("cadre.registered"), 3, "each person not yet listed becomes a cadre");

    // The page reads each person's file: three readings logged. The records are suggestions
    // until an officer confirms them, so the request cannot be submitted yet.
    let page = query::opinion_page(&mut o.store, &jiancha, &id).unwrap();
    assert_eq!(o.count_kind("integrity.file_viewed"), 3);
    assert_eq!(page.status, OpinionStatus::Draft);
    assert_eq!(
        page.deadline.as_ref().map(|d| d.due.as_str()),
        Some("2026-03-12"),
        "10 working days from receipt, as every working-day rule counts"
    );
    assert_eq!(page.persons.iter().map(|p| p.unresolved).collect::<Vec<_>>(), [1, 1, 0]);
    let m = invalid(ops::opinion_step(&mut o.store, &jiancha, &id, &OpinionCommand::Submit));
    assert!(m.contains("甄被告（1 条）") && m.contains("刘受处（1 条）"), "{m}");

    // A petitions officer may not read the files: refused before anything is shown.
    let e = query::cadre_file(&mut o.store, &xinfang, &page.persons[0].cadre_id, "核查").unwrap_err();
    assert!(matches!(e, CoreError::Forbidden { .. }), "{e:?}");
    assert_eq!(o.count_kind("integrity.file_viewed"), 3);

    // Confirm each suggestion on the person's file; each reading and each decision is an event.
    for p in &page.persons[..2] {
        let file = query::cadre_file(&mut o.store, &jiancha, &p.cadre_id, "办理廉政意见回复").unwrap();
        assert_eq!(file.records.len(), 1, "{file:?}");
        let r = &file.records[0];
        assert!(!r.confirmed && r.steps == [MatchStep::Confirm, MatchStep::Split], "{r:?}");
        ops::decide_match(&mut o.store, &jiancha, &p.cadre_id, &r.record, MatchStep::Confirm, "").unwrap();
        let again = ops::decide_match(&mut o.store, &jiancha, &p.cadre_id, &r.record, MatchStep::Confirm, "");
        assert!(invalid(again).contains("已确认"));
        let file = query::cadre_file(&mut o.store, &jiancha, &p.cadre_id, "复核").unwrap();
        assert!(file.records[0].confirmed);
        assert_eq!(file.readings.len(), 3, "the page's reading and both of the file's: {:?}", file.readings);
        assert_eq!(file.readings[0].read_by, "王监察");
    }
    assert_eq!(o.count_kind("cadre.match_confirmed"), 2);

    // The proposed conclusions, in the office's phrasing.
    let page = query::opinion_page(&mut o.store, &jiancha, &id).unwrap();
    let c: Vec<&str> = page.persons.iter().map(|p| p.conclusion.as_str()).collect();
    assert!(c[0].contains("有反映其问题的信访举报正在办理的情况，不宜提拔或者进一步使用"), "{}", c[0]);
    assert!(c[1].contains("受到党内警告处分，尚在处分影响期内"), "{}", c[1]);
    assert!(c[2].starts_with("经查，截至2026年3月2日，未发现白清廉同志有违纪违法问题"), "{}", c[2]);
    assert_eq!(page.steps, [OpinionStep::Edit, OpinionStep::Submit]);

    // A conclusion naming the reporter is refused; a rewritten one is kept.
    let leak = OpinionCommand::Edit {
        ord: 1, text: format!("经查，{REPORTER_NAME}反映其索要好处费，不宜提拔。")
    };
    assert!(invalid(ops::opinion_step(&mut o.store, &jiancha, &id, &leak)).contains("检举控告人"));
    let own = "经查，未发现白清廉同志有违纪违法问题，同意其提拔使用。";
    ops::opinion_step(&mut o.store, &jiancha, &id, &OpinionCommand::Edit { ord: 3, text: own.into() }).unwrap();

    // No reply before a leader approves.
    let reply = NoticeRequest::new(NoticeKind::IntegrityReply, Record::Opinion(id.clone()));
    match notices().issue(&mut o.store, &jiancha, &reply) {
        Err(DocumentError::WrongState { reason, .. }) => assert!(reason.contains("领导批准后"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    ops::opinion_step(&mut o.store, &jiancha, &id, &OpinionCommand::Submit).unwrap();
    let approve = OpinionCommand::Approve { note: "同意".into() };
    ops::opinion_step(&mut o.store, &lingdao, &id, &approve).unwrap();

    let doc = notices().issue(&mut o.store, &jiancha, &reply).unwrap();
    assert_eq!(doc.number, "五纪廉〔2026〕1号");
    assert_eq!(doc.record_label, "五组函〔2026〕15号");
    let (_, pdf) = stored_pdf(&mut o.store, &jiancha, &doc.number).unwrap();
    let text = pdftotext(o.dir.path(), "reply.pdf", &pdf).split_whitespace().collect::<String>();
    for want in [
        "中共五华区委组织部",
        "五组函〔2026〕15号",
        "拟提拔为副处级领导干部",
        "一、甄被告",
        "不宜提拔",
        "三、白清廉",
        "同意其提拔使用",
    ] {
        assert!(text.contains(want), "the reply should say {want}: {text}");
    }
    assert_no_reporter(&text);

    let page = query::opinion_page(&mut o.store, &jiancha, &id).unwrap();
    assert_eq!(page.status, OpinionStatus::Replied);
    assert_eq!(page.reply_number.as_deref(), Some("五纪廉〔2026〕1号"));
    assert_eq!(page.deadline.as_ref().map(|d| d.status.as_str()), Some("done"));
    assert!(page.steps.is_empty());
    // Issued once: a second reply is refused and takes no number.
    assert!(notices().issue(&mut o.store, &jiancha, &reply).is_err());

    // A rebuild from the log gives the same request.
    o.store.rebuild().unwrap();
    let rebuilt = query::opinion_page(&mut o.store, &jiancha, &id).unwrap();
    assert_eq!((rebuilt.status, rebuilt.persons.len()), (OpinionStatus::Replied, 3));
    assert_eq!(rebuilt.persons[2].conclusion, own);
}
