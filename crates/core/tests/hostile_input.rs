//! Inputs that cannot attack the reader (issue #14): control and bidirectional characters are
//! refused where text enters, with the field named, and nothing is saved; exported spreadsheet
//! cells cannot run as formulas; the repeat check never matches on a reporter's contact for a post
//! that may not read it; the event log shows each post only what it may read, and records it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{TimeZone, Utc};
use qingfeng_core::CoreError;
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::query::{self, ComplaintFilter};
use qingfeng_core::complaints::stats::{self, ExportFormat};
use qingfeng_core::complaints::*;
use qingfeng_core::identity::Role;
use qingfeng_core::log_view;
use qingfeng_core::projector::kind;

struct Office {
    f: common::Fixture,
    admin: Actor,
    petitions: Actor,
    supervision: Actor,
}

fn office() -> Office {
    let mut f = common::initialized();
    f.store.set_clock(Clock::manual(Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap()));
    let admin = f.admin();
    let petitions = common::officer_as(&mut f.store, &admin, "xinfang", vec![Role::Petitions]);
    let supervision = common::officer_as(&mut f.store, &admin, "jiancha", vec![Role::Supervision]);
    Office { f, admin, petitions, supervision }
}

fn form(summary: &str) -> RegisterComplaint {
    RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-09-28".into(),
        reporter: Some(Reporter { name: "孙实名".into(), unit: None, contact: "13900001111".into(), address: None }),
        real_name: true,
        real_name_verified: None,
        summary: summary.into(),
        content: "反映某局长违规收受工程款的问题。\n第二行。".into(),
        categories: vec!["违反廉洁纪律".into()],
        subjects: vec![Subject {
            name: "王某".into(),
            post: "局长".into(),
            unit: "某县住建局".into(),
            level: "县管干部".into(),
        }],
        repeat_of: None,
    }
}

fn events(o: &Office) -> u64 {
    o.f.store.verify().unwrap().events
}

#[test]
fn control_and_bidi_characters_are_refused_in_every_field_and_nothing_is_saved() {
    let mut o = office();
    let hostile = ["\u{0}", "\u{7}", "\u{1b}[31m", "\u{202e}", "\u{2066}", "\u{9b}", "\r"];
    let before = events(&o);
    for bad in hostile {
        let cases: Vec<(&str, RegisterComplaint)> = vec![
            ("摘要", form(&format!("反映问题{bad}exe.txt"))),
            ("检举控告内容", RegisterComplaint { content: format!("内容{bad}结束"), ..form("反映问题") }),
            ("被反映人姓名", {
                let mut f = form("反映问题");
                f.subjects[0].name = format!("王{bad}某");
                f
            }),
            ("检举人姓名", {
                let mut f = form("反映问题");
                f.reporter.as_mut().unwrap().name = format!("孙{bad}实名");
                f
            }),
            ("问题类别", {
                let mut f = form("反映问题");
                f.categories = vec![format!("违反{bad}纪律")];
                f
            }),
        ];
        for (field, f) in cases {
            let err = ops::register(&mut o.f.store, &o.petitions, &f)
                .expect_err(&format!("{field} with {bad:?} was accepted"));
            assert!(
                matches!(&err, CoreError::Invalid(m) if m.contains(field) && m.contains("已拒绝保存")),
                "{field} with {bad:?}: {err}"
            );
        }
        let p = o.petitions.clone();
        let id = ops::register(&mut o.f.store, &p, &form("正常的摘要")).unwrap();
        let err = attachments::add(&mut o.f.store, &p, &id, &format!("举报信{bad}gpj.exe"), b"text").unwrap_err();
        assert!(err.to_string().contains("附件文件名"), "{err}");
        let admin = o.admin.clone();
        let new = qingfeng_core::accounts::NewUser {
            username: "newcomer".into(),
            display_name: format!("新{bad}人"),
            password: "Newcomer#2026".into(),
            roles: vec![Role::Trial],
        };
        assert!(qingfeng_core::accounts::add_user(&mut o.f.store, &admin, &new).is_err());
    }
    // Only the accepted registrations were written; every refusal left nothing behind.
    let registered =
        o.f.store.recent_events(10_000).unwrap().iter().filter(|e| e.kind == kind::COMPLAINT_REGISTERED).count();
    assert_eq!(registered, hostile.len());
    assert!(events(&o) > before);
    // Line breaks and tabs in multi-line text are not attacks.
    let mut ok = form("正常");
    ok.content = "第一段。\r\n\t第二段。".into();
    ops::register(&mut o.f.store, &o.petitions.clone(), &ok).unwrap();
}

#[test]
fn csv_cells_never_run_as_formulas() {
    let mut o = office();
    let p = o.petitions.clone();
    for summary in ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "普通摘要"] {
        ops::register(&mut o.f.store, &p, &form(summary)).unwrap();
    }
    let csv =
        String::from_utf8(stats::export(&mut o.f.store, &p, &ComplaintFilter::default(), ExportFormat::Csv).unwrap())
            .unwrap();
    for line in csv.lines().skip(1) {
        let summary = line.split(',').nth(5).unwrap();
        let first = summary.trim_start_matches('"').chars().next().unwrap();
        assert!(!matches!(first, '=' | '+' | '-' | '@' | '\t' | '\r'), "a cell may run as a formula: {line}");
    }
    assert!(csv.contains("'=HYPERLINK") && csv.contains("'+1+1") && csv.contains("'@SUM") && csv.contains("'-2+3"));
    assert!(csv.contains(",普通摘要,"), "ordinary text is unchanged");
}

#[test]
fn the_repeat_check_matches_a_contact_only_for_posts_that_may_read_it() {
    let mut o = office();
    let p = o.petitions.clone();
    ops::register(&mut o.f.store, &p, &form("反映甲局长问题")).unwrap();
    // Another complaint about someone else, with the same reporter's phone guessed.
    let mut guess = form("反映另一件事");
    guess.subjects[0].name = "李某".into();
    guess.subjects[0].unit = "某县水务局".into();
    let by_petitions = query::similar(&mut o.f.store, &p, &guess).unwrap();
    assert!(by_petitions.iter().any(|s| s.reasons.iter().any(|r| r.contains("同一检举人"))));
    let s = o.supervision.clone();
    let by_supervision = query::similar(&mut o.f.store, &s, &guess).unwrap();
    assert!(
        by_supervision.iter().all(|s| s.reasons.iter().all(|r| !r.contains("检举人"))),
        "supervision learned that the phone belongs to a reporter: {by_supervision:?}"
    );
}

#[test]
fn the_event_log_shows_each_post_what_it_may_read_and_records_identity_readings() {
    let mut o = office();
    let p = o.petitions.clone();
    let id = ops::register(&mut o.f.store, &p, &form("反映问题")).unwrap();
    let admin = o.admin.clone();
    let seen = log_view::list_events(&mut o.f.store, &admin, 1000).unwrap();
    let text = serde_json::to_string(&seen).unwrap();
    assert!(!text.contains("$argon2id"), "password hashes are never shown");
    assert!(!text.contains("孙实名") && !text.contains("13900001111"));
    let registered = seen.iter().find(|e| e.kind == kind::COMPLAINT_REGISTERED).unwrap();
    assert_eq!(registered.payload, log_view::CASE_CONTENT, "the administrator reads no case");

    let s = o.supervision.clone();
    let seen = log_view::list_events(&mut o.f.store, &s, 1000).unwrap();
    let registered = seen.iter().find(|e| e.kind == kind::COMPLAINT_REGISTERED).unwrap();
    assert_eq!(registered.payload["form"]["summary"], "反映问题");
    assert_eq!(registered.payload["form"]["reporter"], log_view::HIDDEN);
    assert_eq!(registered.payload["sealed_identity"], log_view::SEALED);
    let readings = |o: &Office| {
        o.f.store.recent_events(10_000).unwrap().iter().filter(|e| e.kind == kind::COMPLAINT_IDENTITY_VIEWED).count()
    };
    assert_eq!(readings(&o), 0);

    let seen = log_view::list_events(&mut o.f.store, &p, 1000).unwrap();
    let registered = seen.iter().find(|e| e.kind == kind::COMPLAINT_REGISTERED).unwrap();
    assert_eq!(registered.payload["form"]["reporter"]["name"], "孙实名");
    assert_eq!(readings(&o), 1, "the petitions officer's reading is recorded");
    let viewed = o.f.store.recent_events(1).unwrap().remove(0);
    assert_eq!(viewed.aggregate, format!("complaint:{id}"));

    // Someone without any post of the office is refused, and the refusal recorded.
    let stranger = Actor::Anonymous;
    assert!(log_view::list_events(&mut o.f.store, &stranger, 10).is_err());
}
