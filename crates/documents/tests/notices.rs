//! Notices issued from real records: each kind from the record it belongs to (number, title and
//! confidentiality read back from the PDF with pdftotext), numbering per office, kind and year
//! with no gaps, concurrent issuing from several connections, refusals and failed renders that
//! consume no number, re-prints of the stored bytes, templates saved as versions, missing fonts,
//! a number two offline devices of one office both issued (both kept, both marked), a template
//! version number two devices both saved (both texts kept, the same one active everywhere), and
//! the articles cited on a record printed as the notice's basis.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use qingfeng_core::CoreError;
use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::authz::Actor;
use qingfeng_core::complaints::{ScreeningOutcome, query};
use qingfeng_core::documents::{self as core_docs, DocumentFilter, DocumentIssued};
use qingfeng_core::encoding::to_canonical_cbor;
use qingfeng_core::events::{Event, GENESIS};
use qingfeng_core::library::{CiteRequest, ops as library_ops};
use qingfeng_core::penalty::{self, RectificationItemForm, RectificationSource, RegisterRectification};
use qingfeng_core::{KeySource, Store};
use qingfeng_documents::{DocumentError, NoticeKind, NoticeRequest, Notices, Record, stored_pdf, templates};
use qingfeng_notice::{FontSet, NoticeError};

fn issue(o: &mut Office, who: &Actor, req: &NoticeRequest) -> qingfeng_core::documents::IssuedDocument {
    notices().issue(&mut o.store, who, req).unwrap_or_else(|e| panic!("{e}"))
}

fn text_of(o: &mut Office, doc: &qingfeng_core::documents::IssuedDocument, actor: &Actor) -> String {
    let (_, pdf) = stored_pdf(&mut o.store, actor, &doc.number).unwrap();
    pdftotext(o.dir.path(), &format!("{}.pdf", doc.id), &pdf)
}

fn rectification_list(o: &mut Office) -> String {
    let form = RegisterRectification {
        title: "2026年第一轮巡察反馈问题整改".into(),
        source: RectificationSource::InspectionTour,
        start_date: "2026-02-27".into(),
        items: vec![
            RectificationItemForm {
                title: "公务接待无公函、无清单".into(),
                responsible_unit: "五华区住建局".into(),
                due_date: "2026-05-29".into(),
                measures: "建立接待台账".into(),
                max_score: None,
            },
            RectificationItemForm {
                title: "“三重一大”事项未经集体决策".into(),
                responsible_unit: "五华区住建局".into(),
                due_date: "2026-06-30".into(),
                measures: String::new(),
                max_score: None,
            },
        ],
        template: None,
        responsible_unit: None,
        due_date: None,
        sequential: false,
        penalty_id: None,
    };
    let jiancha = o.jiancha.clone();
    penalty::ops::register_rectification(&mut o.store, &jiancha, &form).unwrap()
}

#[test]
fn each_kind_renders_from_its_record_and_keeps_confidences() {
    let mut o = office();
    let (xinfang, jiancha, anguan) = (o.xinfang.clone(), o.jiancha.clone(), o.anguan.clone());

    // 受理告知书: to the reporter; names whom they reported and nothing of the handling.
    let id = accepted(&mut o);
    let doc = issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id.clone())));
    assert_eq!(doc.number, "五纪受〔2026〕1号");
    assert_eq!((doc.year, doc.serial, doc.issue_date.as_str()), (2026, 1, "2026-03-02"));
    assert_eq!(doc.aggregate, format!("complaint:{id}"));
    assert_eq!(doc.issued_by, "李信访");
    let t = text_of(&mut o, &doc, &xinfang);
    for want in [
        "五纪受〔2026〕1号",
        "受理告知书",
        REPORTER_NAME,
        "2026年2月24日",
        SUBJECT_NAME,
        "五华区纪委监委",
        "2026年3月2日",
    ] {
        assert!(t.contains(want), "missing {want}: {t}");
    }
    for secret in [SUBJECT_POST, SUBJECT_UNIT, CONTENT, "监督检查室", "一般干部", REPORTER_CONTACT] {
        assert!(!t.contains(secret), "the reporter's notice shows {secret}: {t}");
    }
    // Issuing met the acceptance duty and shows on the case's timeline.
    assert_eq!(o.count_kind("complaint.acceptance_notified"), 1);
    let detail = query::show(&mut o.store, &xinfang, &id).unwrap();
    assert!(detail.timeline.iter().any(|e| e.text == "签发受理告知书：五纪受〔2026〕1号"), "{:?}", detail.timeline);
    assert!(
        detail
            .deadlines
            .iter()
            .all(|d| d.kind != qingfeng_core::deadlines::DeadlineKind::AcceptanceNotice || d.status == "done")
    );

    // 不予受理告知书: the reason and where to go.
    let id = register(&mut o, true, false);
    screen(&mut o, &id, ScreeningOutcome::NotAccepted);
    let doc = issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::NonAcceptance, Record::Complaint(id)));
    assert_eq!(doc.number, "五纪不受〔2026〕1号");
    let t = text_of(&mut o, &doc, &xinfang);
    for want in ["不予受理告知书", "劳动争议", "五华区劳动人事争议仲裁委员会", REPORTER_NAME] {
        assert!(t.contains(want), "missing {want}: {t}");
    }

    // 结果反馈: the concluded result, to the real-name reporter.
    let id = concluded(&mut o, true, false);
    let doc = issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::ResultFeedback, Record::Complaint(id)));
    let t = text_of(&mut o, &doc, &xinfang);
    for want in ["实名检举控告处理结果反馈", "查无实据", "五纪馈〔2026〕1号"] {
        assert!(t.contains(want), "missing {want}: {t}");
    }
    assert_eq!(o.count_kind("complaint.feedback_given"), 1);

    // 函询函: to the person reported on, with the reply date, and nothing of the reporter.
    let id = in_inquiry(&mut o);
    let doc = issue(&mut o, &jiancha, &NoticeRequest::new(NoticeKind::Inquiry, Record::Complaint(id)));
    let t = text_of(&mut o, &doc, &jiancha);
    // 15 working days after Monday 2026-03-02 is Monday 2026-03-23.
    for want in ["函询函", "五纪询〔2026〕1号", &format!("{SUBJECT_NAME}同志"), "15个工作日", "2026年3月23日"]
    {
        assert!(t.contains(want), "missing {want}: {t}");
    }
    assert_no_reporter(&t);

    // 送达回执, 宣布记录 and 函告 from a penalty decision.
    let pid = penalty(&mut o, true);
    let doc = issue(
        &mut o,
        &anguan,
        &NoticeRequest::new(NoticeKind::ServiceReceipt, Record::Penalty(pid.clone()))
            .with_field("place", "五华区住建局"),
    );
    let t = text_of(&mut o, &doc, &anguan);
    for want in ["送达回执", "五纪处〔2026〕3号", "刘受处", "关于给予刘受处党内警告处分的决定", "五纪达〔2026〕1号"]
    {
        assert!(t.contains(want), "missing {want}: {t}");
    }
    let announce = NoticeRequest::new(NoticeKind::Announcement, Record::Penalty(pid.clone()))
        .with_field("time", "2026年3月2日上午9时")
        .with_field("place", "五华区住建局第一会议室")
        .with_field("announcer", "孙案管")
        .with_field("attendees", "五华区住建局党组书记")
        .with_field("recorder", "周审理");
    let err = notices().issue(&mut o.store, &anguan, &announce).unwrap_err();
    assert!(err.to_string().contains("须先送达处分决定"), "{err}");
    serve(&mut o, &pid);
    let doc = issue(&mut o, &anguan, &announce);
    let t = text_of(&mut o, &doc, &anguan);
    // A table cell's text may interleave with its label in pdftotext's reading, so look for the
    // decision's title in parts.
    for want in ["处分决定宣布记录", "《关于给予刘受处党内警告处分的决", "五纪处〔2026〕3号", "五华区住建局第一会议室"]
    {
        assert!(t.contains(want), "missing {want}: {t}");
    }
    let letter = NoticeRequest::new(NoticeKind::NotificationLetter, Record::Penalty(pid))
        .with_field("recipient_org", "五华区人大常委会");
    let doc = issue(&mut o, &anguan, &letter);
    let t = text_of(&mut o, &doc, &anguan);
    for want in ["函告", "五华区人大常委会", "人大代表", "党内警告", "五纪函〔2026〕1号"] {
        assert!(t.contains(want), "missing {want}: {t}");
    }

    // 整改通知书 from a rectification list.
    let cid = rectification_list(&mut o);
    let doc = issue(&mut o, &jiancha, &NoticeRequest::new(NoticeKind::Rectification, Record::Checklist(cid)));
    let t = text_of(&mut o, &doc, &jiancha);
    for want in ["整改通知书", "五华区住建局", "巡察", "公务接待无公函", "2026年6月30日", "五纪改〔2026〕1号"]
    {
        assert!(t.contains(want), "missing {want}: {t}");
    }

    // A letter filled in by hand takes the next number of its kind.
    let free = NoticeRequest::new(NoticeKind::NotificationLetter, Record::None)
        .with_field("recipient_org", "五华区政协")
        .with_field("content", "现将有关情况函告你们。");
    let doc = issue(&mut o, &jiancha, &free);
    assert_eq!(doc.number, "五纪函〔2026〕2号");
    assert_eq!(doc.record_label, "手工填写");

    // Every kind is in the register, and a rebuild gives the same tables.
    let all = core_docs::list(&o.store, &jiancha, &DocumentFilter::default()).unwrap();
    assert_eq!(all.len(), 9);
    let before = o.store.projection_dump().unwrap();
    o.store.rebuild().unwrap();
    assert_eq!(before, o.store.projection_dump().unwrap());
    o.store.verify().unwrap();
}

#[test]
fn numbers_run_per_office_kind_and_year_without_gaps() {
    let mut o = office();
    let xinfang = o.xinfang.clone();
    let mut numbers = Vec::new();
    for _ in 0..3 {
        let id = accepted(&mut o);
        numbers
            .push(issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id))).number);
    }
    assert_eq!(numbers, ["五纪受〔2026〕1号", "五纪受〔2026〕2号", "五纪受〔2026〕3号"]);
    // Another kind has its own series.
    let id = register(&mut o, true, false);
    screen(&mut o, &id, ScreeningOutcome::NotAccepted);
    let doc = issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::NonAcceptance, Record::Complaint(id)));
    assert_eq!(doc.number, "五纪不受〔2026〕1号");
    // A new year starts again at 1.
    o.clock.advance(
        Utc.with_ymd_and_hms(2027, 1, 4, 1, 0, 0).unwrap() - Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap(),
    );
    let id = accepted(&mut o);
    let doc = issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id)));
    assert_eq!(doc.number, "五纪受〔2027〕1号");

    let filter = DocumentFilter { year: Some(2026), kind: Some("acceptance".into()), aggregate: None };
    let mut serials: Vec<u32> =
        core_docs::list(&o.store, &xinfang, &filter).unwrap().iter().map(|d| d.serial).collect();
    serials.sort_unstable();
    assert_eq!(serials, [1, 2, 3]);
    let found = core_docs::find(&o.store, &xinfang, "五纪受〔2026〕2号").unwrap();
    assert_eq!(found.serial, 2);
}

#[test]
fn articles_cited_on_the_record_are_printed_as_the_basis() {
    let mut o = office();
    let jiancha = o.jiancha.clone();
    let list = rectification_list(&mut o);
    library_ops::ensure_starter(&mut o.store).unwrap();
    let record = format!("checklist:{list}");
    // Cited on the list's items: two articles of one law (one of them on two items) and one of
    // another.
    for (item, document, article) in [
        (1, "gongzhi-renyuan-zhengwu-chufen-fa", 8),
        (2, "dang-jilv-chufen-tiaoli", 8),
        (2, "gongzhi-renyuan-zhengwu-chufen-fa", 7),
        (2, "gongzhi-renyuan-zhengwu-chufen-fa", 8),
    ] {
        let req = CiteRequest {
            record: record.clone(),
            item: Some(item),
            document_id: document.into(),
            version: None,
            article,
            note: None,
        };
        library_ops::cite(&mut o.store, &jiancha, &req).unwrap();
    }
    let basis = "《中华人民共和国公职人员政务处分法》第八条、第七条、《中国共产党纪律处分条例》第八条";

    // The form shows it as a value the officer may still reword.
    let req = NoticeRequest::new(NoticeKind::Rectification, Record::Checklist(list.clone()));
    let draft = notices().draft(&mut o.store, &jiancha, &req).unwrap();
    assert_eq!(draft.fields.get("basis"), Some(&qingfeng_notice::FieldValue::Text(basis.to_owned())));
    assert!(!draft.locked.iter().any(|f| f == "basis"));

    let doc = notices().issue(&mut o.store, &jiancha, &req).unwrap();
    let text = text_of(&mut o, &doc, &jiancha);
    assert!(text.contains(&format!("以上问题违反了{basis}的有关规定。")), "{text}");

    // Without citations the sentence is left out, not printed empty.
    let other = rectification_list(&mut o);
    let doc = issue(&mut o, &jiancha, &NoticeRequest::new(NoticeKind::Rectification, Record::Checklist(other)));
    let text = text_of(&mut o, &doc, &jiancha);
    assert!(!text.contains("以上问题违反了"), "{text}");
}

#[test]
fn a_number_two_offline_devices_both_issued_keeps_both_documents() {
    let mut o = office();
    let jiancha = o.jiancha.clone();
    let rectification = |unit: &str| {
        NoticeRequest::new(NoticeKind::Rectification, Record::None)
            .with_field("unit", unit)
            .with_field("problems", "台账不全。")
            .with_field("deadline", "2026-12-31")
    };
    let ours = notices().issue(&mut o.store, &jiancha, &rectification("第一单位")).unwrap();
    assert_eq!((ours.serial, ours.duplicate_number), (1, false));

    // Another device of the same office issued its own 1号 while offline; its event arrives by sync.
    let theirs = "0190b000-0000-7000-8000-000000000001";
    let payload = DocumentIssued {
        document_id: theirs.into(),
        office_code: "530102".into(),
        kind: "rectification".into(),
        title: ours.title.clone(),
        year: 2026,
        serial: 1,
        number: ours.number.clone(),
        record: format!("document:{theirs}"),
        record_label: "手工填写".into(),
        template_version: ours.template_version,
        template_sha256: "0".repeat(64),
        pdf_sha256: "ab".repeat(32),
        pdf_size: 1000,
        issue_date: "2026-03-02".into(),
    };
    let mut event = Event {
        id: "0190b000-0000-7000-8000-0000000000e1".into(),
        origin_office: "530102".into(),
        origin_device: "device-b".into(),
        seq: 1,
        hlc: 1_772_400_000_000u64 << 16,
        actor: "user-on-device-b".into(),
        kind: "document.issued".into(),
        aggregate: format!("document:{theirs}"),
        payload: to_canonical_cbor(&payload).unwrap(),
        prev: GENESIS,
        hash: [0; 32],
    };
    event.hash = event.body().hash_with(&mut Vec::new());
    o.store.ingest_remote(&[event], 1).unwrap();

    // Neither replaces the other: both are in the register, both marked.
    let register = |o: &Office| core_docs::list(&o.store, &jiancha, &DocumentFilter::default()).unwrap();
    let both = register(&o);
    assert_eq!(both.len(), 2, "{both:?}");
    assert!(both.iter().all(|d| d.duplicate_number && d.number == ours.number), "{both:?}");
    // The number alone no longer names one document: refused with both ids; an id still works.
    let err = core_docs::find(&o.store, &jiancha, &ours.number).unwrap_err().to_string();
    assert!(err.contains("对应 2 份文书") && err.contains(theirs) && err.contains(&ours.id), "{err}");
    assert_eq!(core_docs::find(&o.store, &jiancha, &ours.id).unwrap().id, ours.id);
    assert_eq!(core_docs::find(&o.store, &jiancha, theirs).unwrap().id, theirs);
    // This device's copy still re-prints; the other device's PDF is not here, and that is said.
    assert!(stored_pdf(&mut o.store, &jiancha, &ours.id).is_ok());
    let err = stored_pdf(&mut o.store, &jiancha, theirs).unwrap_err().to_string();
    assert!(err.contains("另一台设备"), "{err}");

    // The next number follows the highest known one and is not a duplicate; a rebuild from the
    // log keeps all three.
    let next = notices().issue(&mut o.store, &jiancha, &rectification("第二单位")).unwrap();
    assert_eq!((next.serial, next.duplicate_number), (2, false));
    o.store.rebuild().unwrap();
    let after = register(&o);
    assert_eq!(after.len(), 3);
    assert_eq!(after.iter().filter(|d| d.duplicate_number).count(), 2);
    o.store.verify().unwrap();
}

/// The number the next acceptance notice would get, and the events held, before and after.
fn snapshot(o: &Office) -> (String, i64, i64) {
    (
        core_docs::next_number(&o.store, "acceptance").unwrap(),
        o.count_kind("document.issued"),
        o.count_kind("complaint.acceptance_notified"),
    )
}

#[test]
fn refusals_and_failed_renders_consume_no_number() {
    let mut o = office();
    let (xinfang, jiancha) = (o.xinfang.clone(), o.jiancha.clone());
    let id = accepted(&mut o);
    issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id.clone())));
    let before = snapshot(&o);
    assert_eq!(before.0, "五纪受〔2026〕2号");

    let refused = |o: &mut Office, who: &Actor, req: NoticeRequest, want: &str| {
        let err = notices().issue(&mut o.store, who, &req).expect_err("refused");
        assert!(err.to_string().contains(want), "expected “{want}”, got: {err}");
        err
    };
    // The same notice twice: re-print it instead.
    refused(
        &mut o,
        &xinfang,
        NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id.clone())),
        "不能重复签发",
    );
    // Not yet screened.
    let fresh = register(&mut o, true, false);
    let e = refused(
        &mut o,
        &xinfang,
        NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(fresh.clone())),
        "尚未筛选",
    );
    assert!(matches!(e, DocumentError::WrongState { .. }));
    // A repeat complaint gets no acceptance notice.
    let repeat = register(&mut o, true, false);
    let s = qingfeng_core::complaints::ops::Screening {
        outcome: ScreeningOutcome::Repeat,
        department: None,
        reason: "与前件反映同一问题".into(),
        refer_to: None,
        repeat_of: Some(id.clone()),
    };
    qingfeng_core::complaints::ops::screen(&mut o.store, &xinfang, &repeat, &s).unwrap();
    refused(&mut o, &xinfang, NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(repeat)), "重复举报");
    // An anonymous complaint has nobody to tell or to feed back to.
    let anon = concluded(&mut o, false, true);
    refused(&mut o, &xinfang, NoticeRequest::new(NoticeKind::ResultFeedback, Record::Complaint(anon.clone())), "匿名");
    refused(&mut o, &xinfang, NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(anon)), "匿名");
    // Feedback before the conclusion.
    refused(&mut o, &xinfang, NoticeRequest::new(NoticeKind::ResultFeedback, Record::Complaint(id.clone())), "办结后");
    // An inquiry letter before the leader approved the inquiry.
    refused(
        &mut o,
        &jiancha,
        NoticeRequest::new(NoticeKind::Inquiry, Record::Complaint(id.clone())),
        "谈话函询方式处置后",
    );
    // A kind that does not belong to the record.
    refused(
        &mut o,
        &xinfang,
        NoticeRequest::new(NoticeKind::ServiceReceipt, Record::Complaint(id.clone())),
        "不能依检举控告签发",
    );
    // A field taken from the record cannot be replaced by hand.
    let other = accepted(&mut o);
    refused(
        &mut o,
        &xinfang,
        NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(other.clone()))
            .with_field("reporter_name", "别人"),
        "取自记录",
    );
    // Supervision may not issue a notice that names the reporter.
    let e = notices()
        .issue(&mut o.store, &jiancha, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(other.clone())))
        .unwrap_err();
    assert!(matches!(e, DocumentError::Core(CoreError::Forbidden { .. })), "{e:?}");
    // A letter to the person reported on may not carry the reporter, even typed by hand.
    let inq = in_inquiry(&mut o);
    refused(
        &mut o,
        &jiancha,
        NoticeRequest::new(NoticeKind::Inquiry, Record::Complaint(inq)).with_field("contact", REPORTER_CONTACT),
        "不得透露检举控告人",
    );
    // A render that fails inside the issuing transaction (a character no font has) rolls back.
    let e = refused(
        &mut o,
        &xinfang,
        NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(other.clone())).with_field("contact", "\u{E000}"),
        "U+E000",
    );
    assert!(matches!(e, DocumentError::Notice(NoticeError::GlyphMissing { .. })), "{e:?}");

    assert_eq!(snapshot(&o), before, "nothing above consumed a number or recorded a notice");
    let doc = issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(other)));
    assert_eq!(doc.number, "五纪受〔2026〕2号");
}

#[test]
fn concurrent_issuers_on_one_database_get_one_to_n() {
    let o = office();
    let (db, keys) = (o.db(), o.keys());
    const N: usize = 6;
    let barrier = std::sync::Barrier::new(N);
    let numbers: Vec<(u32, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..N)
            .map(|i| {
                let (db, keys, barrier) = (db.clone(), keys.clone(), &barrier);
                s.spawn(move || {
                    // Each thread is its own connection, as two program instances would be.
                    let mut store = Store::open(&db, &keys).unwrap();
                    let session = accounts::login(&mut store, "jiancha", PASSWORD, Channel::Cli).unwrap();
                    let actor = Actor::User(accounts::principal(&store, &session.session_id).unwrap());
                    let req = NoticeRequest::new(NoticeKind::Rectification, Record::None)
                        .with_field("unit", &format!("第{i}单位"))
                        .with_field("problems", "台账不全。")
                        .with_field("deadline", "2026-12-31");
                    barrier.wait();
                    let doc = notices().issue(&mut store, &actor, &req).unwrap_or_else(|e| panic!("{e}"));
                    (doc.serial, doc.number)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut serials: Vec<u32> = numbers.iter().map(|(s, _)| *s).collect();
    serials.sort_unstable();
    assert_eq!(serials, (1..=N as u32).collect::<Vec<_>>(), "{numbers:?}");
    let mut texts: Vec<&str> = numbers.iter().map(|(_, n)| n.as_str()).collect();
    texts.sort_unstable();
    texts.dedup();
    assert_eq!(texts.len(), N);
    let store = Store::open(&db, &keys as &KeySource).unwrap();
    store.verify().unwrap();
}

#[test]
fn reprints_give_the_issued_bytes() {
    let mut o = office();
    let xinfang = o.xinfang.clone();
    let id = accepted(&mut o);
    let doc = issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id.clone())));
    let (by_number, pdf) = stored_pdf(&mut o.store, &xinfang, &doc.number).unwrap();
    let (_, again) = stored_pdf(&mut o.store, &xinfang, &doc.id).unwrap();
    assert_eq!(by_number, doc);
    assert_eq!(pdf, again);
    assert_eq!(core_docs::sha256_hex(&pdf), doc.pdf_sha256);
    assert_eq!(pdf.len() as u64, doc.pdf_size);
    // The notice names the reporter: a department that may not read the identity gets no copy,
    // and each copy given is logged as a reading of it.
    let jiancha = o.jiancha.clone();
    assert!(matches!(
        stored_pdf(&mut o.store, &jiancha, &doc.number),
        Err(DocumentError::Core(CoreError::Forbidden { .. }))
    ));
    let detail = query::show(&mut o.store, &xinfang, &id).unwrap();
    let purpose = format!("查看检举人身份，事由：重新打印受理告知书（{}）", doc.number);
    assert_eq!(detail.timeline.iter().filter(|t| t.text == purpose).count(), 2, "{:?}", detail.timeline);
    // The stored bytes are checked against the hash in the log before use.
    o.store
        .raw_connection_for_tests()
        .execute("UPDATE blobs SET bytes = zeroblob(10) WHERE sha256 = ?1", [&doc.pdf_sha256])
        .unwrap();
    assert!(matches!(
        stored_pdf(&mut o.store, &xinfang, &doc.number),
        Err(DocumentError::Core(CoreError::Tampered(_)))
    ));
}

#[test]
fn previews_take_no_number() {
    let mut o = office();
    let xinfang = o.xinfang.clone();
    let id = accepted(&mut o);
    let req = NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id));
    let preview = notices().preview(&mut o.store, &xinfang, &req).unwrap();
    assert_eq!(preview.next_number, "五纪受〔2026〕1号");
    let t = pdftotext(o.dir.path(), "preview.pdf", &preview.pdf);
    assert!(t.contains("受理告知书") && !t.contains("〔2026〕"), "a preview carries no number: {t}");
    assert_eq!(o.count_kind("document.issued"), 0);
    // Reading the reporter's name for it is logged like any identity reading.
    assert_eq!(o.count_kind("complaint.identity_viewed"), 1);
    assert_eq!(issue(&mut o, &xinfang, &req).number, "五纪受〔2026〕1号");
}

const ACCEPTANCE_V2: &str = r#"
kind = "acceptance"
version = 2
title = "受理告知书"
addressee = "{{reporter_name}}："
body = """
你于{{received_date}}通过{{channel}}反映{{subject}}的检举控告，我委已依规受理（新版）。

特此告知。
"""

[[fields]]
name = "reporter_name"
label = "检举控告人"
type = "text"

[[fields]]
name = "received_date"
label = "收到日期"
type = "date"

[[fields]]
name = "channel"
label = "反映方式"
type = "text"

[[fields]]
name = "subject"
label = "反映事项"
type = "text"
"#;

#[test]
fn templates_are_saved_as_versions_and_unknown_fields_are_refused() {
    let mut o = office();
    let (admin, xinfang) = (o.admin.clone(), o.xinfang.clone());
    let listed = templates::list(&mut o.store, &xinfang).unwrap();
    // Every template the notice crate ships is listed once, active and marked built in.
    let shipped = qingfeng_notice::templates::defaults().len();
    assert_eq!(listed.iter().filter(|t| t.builtin && t.active).count(), shipped);
    // The administrator who keeps the templates reads them without a business post.
    assert_eq!(templates::list(&mut o.store, &admin).unwrap().len(), listed.len());

    let events = o.event_count();
    let unknown = ACCEPTANCE_V2.replace("我委已依规受理（新版）", "我委已依规受理{{handler}}");
    let err = templates::save(&mut o.store, &admin, &unknown).unwrap_err();
    assert!(matches!(err, DocumentError::Notice(NoticeError::UnknownField { .. })), "{err:?}");
    assert!(err.to_string().contains("没有定义的字段“handler”"), "{err}");
    let err = templates::save(&mut o.store, &admin, &ACCEPTANCE_V2.replace("version = 2", "version = 1")).unwrap_err();
    assert!(err.to_string().contains("version 应大于 1"), "{err}");
    let err = templates::save(&mut o.store, &xinfang, ACCEPTANCE_V2).unwrap_err();
    assert!(matches!(err, DocumentError::Core(CoreError::Forbidden { .. })), "{err:?}");
    assert_eq!(o.event_count(), events + 1, "only the refusal of a non-administrator is recorded (access.denied)");

    let saved = templates::save(&mut o.store, &admin, ACCEPTANCE_V2).unwrap();
    assert_eq!((saved.version, saved.active, saved.builtin), (2, true, false));
    assert_eq!(saved.sha256, core_docs::sha256_hex(ACCEPTANCE_V2.as_bytes()));
    let listed = templates::list(&mut o.store, &xinfang).unwrap();
    let acceptance: Vec<_> = listed.iter().filter(|t| t.kind == "acceptance").map(|t| (t.version, t.active)).collect();
    assert_eq!(acceptance, [(2, true), (1, false)]);

    let id = accepted(&mut o);
    let doc = issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id)));
    assert_eq!(doc.template_version, 2);
    assert!(text_of(&mut o, &doc, &xinfang).contains("我委已依规受理（新版）"));
    // The saved version survives a rebuild (replayed from its event).
    o.store.rebuild().unwrap();
    assert_eq!(core_docs::active_template(&o.store, "acceptance").unwrap().version, 2);
}

#[test]
fn a_template_edited_as_a_form_is_previewed_then_saved_as_the_next_version() {
    use qingfeng_notice::{FormBlock, Piece};
    let mut o = office();
    let (admin, xinfang) = (o.admin.clone(), o.xinfang.clone());
    let mut form = templates::form(&mut o.store, &admin, "acceptance", 1).unwrap();
    assert_eq!(templates::next_version(&mut o.store, &admin, "acceptance").unwrap(), 2);
    let FormBlock::Paragraph { pieces, .. } = &mut form.blocks[1] else { panic!("the second block is a paragraph") };
    *pieces = vec![Piece::Text { text: "我委将依规依纪依法办理（表单修改）。".into() }];

    // The unsaved draft is previewed with sample values, as the version it would become.
    let preview = notices().preview_form(&mut o.store, &admin, &form).unwrap();
    assert_eq!(preview.template_version, 2);
    let text = pdftotext(o.dir.path(), "draft.pdf", &preview.pdf);
    assert!(text.contains("表单修改") && text.contains("张某某"), "{text}");

    // Refusals name the field by its label, and nothing is recorded.
    let events = o.event_count();
    let mut broken = form.clone();
    broken.fields.retain(|f| f.label != "反映事项");
    let err = templates::save_form(&mut o.store, &admin, &broken).unwrap_err();
    assert!(err.to_string().contains("【反映事项】"), "{err}");
    let mut untitled = form.clone();
    untitled.title = String::new();
    let err = templates::save_form(&mut o.store, &admin, &untitled).unwrap_err();
    assert!(err.to_string().contains("标题不能为空"), "{err}");
    assert!(notices().preview_form(&mut o.store, &admin, &broken).is_err());
    assert_eq!(o.event_count(), events);
    assert_eq!(core_docs::active_template(&o.store, "acceptance").unwrap().version, 1);

    let saved = templates::save_form(&mut o.store, &admin, &form).unwrap();
    assert_eq!((saved.version, saved.active), (2, true));
    // The stored text is the template format, read back to the same form.
    assert_eq!(qingfeng_documents::templates::import(&saved.source).unwrap().blocks, form.blocks);
    // A file that is not a template is refused in Chinese, without the TOML reader's English.
    for junk in ["这不是模板", "kind = [", "\u{0}\u{1}"] {
        let err = templates::import(junk).unwrap_err().to_string();
        assert!(err.contains("不是文书模板文件") && !err.chars().any(|c| c.is_ascii_alphabetic()), "{err}");
    }
    let id = accepted(&mut o);
    let doc = issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id)));
    assert_eq!(doc.template_version, 2);
    assert!(text_of(&mut o, &doc, &xinfang).contains("表单修改"));
}

#[test]
fn a_missing_font_is_named() {
    let empty = tempfile::tempdir().unwrap();
    let err = FontSet::from_dirs(&[empty.path().to_path_buf()]).map(|_| ()).map_err(DocumentError::from).unwrap_err();
    assert_eq!(err.code(), "font_missing");
    let msg = err.to_string();
    assert!(msg.contains("找不到") && msg.contains("fonts-noto-cjk"), "{msg}");
    // The same error comes from building the notices service on that directory.
    let err = Notices::from_font_dirs(&[empty.path().to_path_buf()]).unwrap_err();
    assert_eq!(err.code(), "font_missing");
}

/// The newest `notice.template_saved` event a replica recorded.
fn template_event(o: &Office) -> Event {
    o.store.outbox(0, 100_000).unwrap().into_iter().rev().find(|e| e.kind == "notice.template_saved").unwrap()
}

#[test]
fn one_template_version_saved_on_two_devices_keeps_both_texts_and_the_same_one_active() {
    // Two devices of the office, each with its own log; each administrator saves a version 2 of
    // the acceptance notice while offline, the second five minutes later and with other words.
    let (mut a, mut b) = (office(), office());
    let (admin_a, admin_b) = (a.admin.clone(), b.admin.clone());
    let first = templates::save(&mut a.store, &admin_a, ACCEPTANCE_V2).unwrap();
    b.clock.advance(chrono::Duration::minutes(5));
    let later = ACCEPTANCE_V2.replace("我委已依规受理（新版）", "我委已依规受理（乙机）");
    let second = templates::save(&mut b.store, &admin_b, &later).unwrap();
    assert_eq!((first.version, second.version), (2, 2));
    assert_ne!(first.sha256, second.sha256);

    // Sync brings each device the other's save.
    let (from_a, from_b) = (template_event(&a), template_event(&b));
    a.store.ingest_remote(&[from_b], 1).unwrap();
    b.store.ingest_remote(&[from_a], 1).unwrap();

    for (name, o) in [("a", &mut a), ("b", &mut b)] {
        let admin = o.admin.clone();
        let held: Vec<_> = templates::list(&mut o.store, &admin)
            .unwrap()
            .into_iter()
            .filter(|t| t.kind == "acceptance" && !t.builtin)
            .collect();
        let mut hashes: Vec<&str> = held.iter().map(|t| t.sha256.as_str()).collect();
        hashes.sort_unstable();
        let mut expected = [first.sha256.as_str(), second.sha256.as_str()];
        expected.sort_unstable();
        assert_eq!(hashes, expected, "device {name} keeps both texts");
        // The later save is the one in use, on both devices.
        let (_, active) = templates::active(&mut o.store, NoticeKind::Acceptance).unwrap();
        assert_eq!(active.sha256, second.sha256, "device {name}");
        assert_eq!(held.iter().filter(|t| t.active).count(), 1, "device {name}: {held:?}");
        o.store.rebuild().unwrap();
        let (_, active) = templates::active(&mut o.store, NoticeKind::Acceptance).unwrap();
        assert_eq!(active.sha256, second.sha256, "device {name} after a rebuild");
    }
}

/// A province notice template as the hub publishes it (`content.published` on the hub's chain).
fn province_template(seq: u64, prev: [u8; 32], version: u32, text: &str) -> Event {
    use qingfeng_core::province::{ContentKind, ProvinceDoc, aggregate};
    let doc = ProvinceDoc {
        kind: ContentKind::NoticeTemplate,
        id: "acceptance".into(),
        version,
        title: "受理告知书（省级）".into(),
        body: text.into(),
    };
    let mut e = Event {
        id: format!("0190a000-0000-7000-8000-{seq:012}"),
        origin_office: "hub".into(),
        origin_device: "hub-test".into(),
        seq,
        // Before the office's manual clock (2026-03-02): an event from its future would be held.
        hlc: (1_772_000_000_000u64 + seq) << 16,
        actor: "hub".into(),
        kind: "content.published".into(),
        aggregate: aggregate(ContentKind::NoticeTemplate, "acceptance", version),
        payload: to_canonical_cbor(&doc.published().unwrap()).unwrap(),
        prev,
        hash: [0; 32],
    };
    e.hash = e.body().hash_with(&mut Vec::new());
    e
}

#[test]
fn a_province_notice_template_is_parsed_before_it_is_adopted_and_then_used_for_new_notices() {
    let mut o = office();
    let (admin, xinfang) = (o.admin.clone(), o.xinfang.clone());
    templates::list(&mut o.store, &admin).unwrap();
    // Version 1 uses a field the template does not declare; version 2 is the office's format.
    let broken =
        province_template(1, GENESIS, 1, &ACCEPTANCE_V2.replace("我委已依规受理（新版）", "我委已依规受理{{handler}}"));
    let good = province_template(
        2,
        broken.hash,
        2,
        &ACCEPTANCE_V2.replace("我委已依规受理（新版）", "我委已依规受理（省级版）"),
    );
    assert_eq!(o.store.ingest_remote(&[broken, good], 2).unwrap().applied, 2);

    let events = o.event_count();
    let err = templates::adopt_province(&mut o.store, &admin, "acceptance", 1).unwrap_err().to_string();
    assert!(err.contains("已有更新的省级版本"), "{err}");
    assert_eq!(o.event_count(), events, "a refused adoption records nothing");
    // The province's newest text is adopted as the office's version 2 and used from now on.
    assert_eq!(templates::adopt_province(&mut o.store, &admin, "acceptance", 2).unwrap(), 2);
    let id = accepted(&mut o);
    let doc = issue(&mut o, &xinfang, &NoticeRequest::new(NoticeKind::Acceptance, Record::Complaint(id)));
    assert_eq!(doc.template_version, 2);
    assert!(text_of(&mut o, &doc, &xinfang).contains("我委已依规受理（省级版）"));
}

#[test]
fn a_province_notice_template_the_parser_refuses_is_not_adopted() {
    let mut o = office();
    let admin = o.admin.clone();
    templates::list(&mut o.store, &admin).unwrap();
    let broken =
        province_template(1, GENESIS, 1, &ACCEPTANCE_V2.replace("我委已依规受理（新版）", "我委已依规受理{{handler}}"));
    assert_eq!(o.store.ingest_remote(&[broken], 1).unwrap().applied, 1);
    let events = o.event_count();
    let err = templates::adopt_province(&mut o.store, &admin, "acceptance", 1).unwrap_err().to_string();
    assert!(err.contains("不能采用") && err.contains("handler"), "{err}");
    assert_eq!(o.event_count(), events);
    assert_eq!(core_docs::active_template(&o.store, "acceptance").unwrap().version, 1);
}
