//! Key problems and analysis (issue #19 item 4): the catalogue's versions (the built-in one, a
//! version the hub publishes, replayed; a retired category kept on old complaints and refused on
//! new ones), categories checked at intake, and the analysis report's figures against a store
//! built here.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::replica::hub_event;
use qingfeng_core::CoreError;
use qingfeng_core::analysis::catalogue::{self, CatalogueDoc, Category, aggregate};
use qingfeng_core::analysis::report::{self, ReportRequest};
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::*;
use qingfeng_core::complaints::{ops, query};
use qingfeng_core::events::GENESIS;
use qingfeng_core::identity::Role;
use qingfeng_core::penalty;
use qingfeng_core::projector::kind;

struct Office {
    f: common::Fixture,
    clock: Clock,
    petitions: Actor,
    anguan: Actor,
}

fn office() -> Office {
    let mut f = common::initialized();
    let clock = Clock::manual(Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap());
    f.store.set_clock(clock.clone());
    let admin = f.admin();
    let petitions = common::officer_as(&mut f.store, &admin, "xinfang", vec![Role::Petitions]);
    let anguan = common::officer_as(&mut f.store, &admin, "anguan", vec![Role::CaseManagement]);
    Office { f, clock, petitions, anguan }
}

fn form(received: &str, channel: ComplaintChannel, categories: &[&str], unit: &str) -> RegisterComplaint {
    RegisterComplaint {
        channel,
        received_at: received.into(),
        reporter: Some(Reporter {
            name: "举报人甲".into(), unit: None, contact: "13800000000".into(), address: None
        }),
        real_name: true,
        real_name_verified: Some("phone".into()),
        summary: "反映某干部问题".into(),
        content: "反映某干部违规吃喝、收受礼金的问题。".into(),
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        subjects: vec![Subject {
            name: "王某".into(),
            post: "局长".into(),
            unit: unit.into(),
            level: "县管干部".into(),
        }],
        repeat_of: None,
    }
}

fn invalid<T: std::fmt::Debug>(r: Result<T, CoreError>) -> String {
    match r {
        Err(CoreError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Version 2: 违规吃喝 renamed 违规公款吃喝 (same code), 其他 retired, a new key problem added.
fn version_two() -> CatalogueDoc {
    let mut doc = catalogue::builtin();
    doc.version = 2;
    doc.effective = "2026-09-01".into();
    doc.categories.retain(|c| c.code != "other");
    for c in &mut doc.categories {
        if c.code == "integrity_dining" {
            c.name = "违规公款吃喝".into();
        }
    }
    doc.categories.push(Category {
        code: "work_burden".into(),
        name: "基层负担过重".into(),
        parent: Some("work".into()),
    });
    qingfeng_log::catalogue::check(&doc).unwrap()
}

#[test]
fn the_builtin_catalogue_is_in_force_and_intake_takes_only_its_categories() {
    let mut o = office();
    let p = o.petitions.clone();
    let view = catalogue::current(&mut o.f.store, &p).unwrap();
    assert_eq!((view.version, view.builtin, view.versions.len()), (1, true, 1));
    assert!(view.categories.iter().any(|c| c.name == "违反中央八项规定精神"));

    let before = o.f.store.projection_dump().unwrap();
    let events = o.f.event_count();
    let err = invalid(ops::register(
        &mut o.f.store,
        &p,
        &form("2026-09-01", ComplaintChannel::Letter, &["乱七八糟"], "某局"),
    ));
    assert!(err.contains("问题类别“乱七八糟”不在现行检举控告重点问题目录（第 1 版）中"), "{err}");
    assert_eq!(o.f.store.projection_dump().unwrap(), before, "a refused registration changes nothing");
    assert_eq!(o.f.event_count(), events);

    // No category at all is allowed: the field is optional.
    ops::register(&mut o.f.store, &p, &form("2026-09-01", ComplaintChannel::Letter, &[], "某局")).unwrap();
    ops::register(&mut o.f.store, &p, &form("2026-09-01", ComplaintChannel::Letter, &["违规吃喝"], "某局")).unwrap();
}

#[test]
fn a_version_from_the_hub_replaces_the_builtin_and_old_complaints_keep_their_category() {
    let mut o = office();
    let p = o.petitions.clone();
    let old =
        ops::register(&mut o.f.store, &p, &form("2026-09-01", ComplaintChannel::Letter, &["违规吃喝", "其他"], "某局"))
            .unwrap();

    let doc = version_two();
    let published = hub_event(1, GENESIS, kind::CATALOGUE_PUBLISHED, &aggregate(2), &doc.published().unwrap());
    let report = o.f.store.ingest_remote(std::slice::from_ref(&published), 1).unwrap();
    assert_eq!(report.applied, 1);
    let view = catalogue::current(&mut o.f.store, &p).unwrap();
    assert_eq!((view.version, view.builtin), (2, false));
    assert_eq!(view.versions.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
    assert!(view.categories.iter().any(|c| c.name == "基层负担过重"));

    // The complaint filed under version 1 keeps what it was given.
    let shown = query::show(&mut o.f.store, &p, &old).unwrap();
    assert_eq!(shown.categories, ["违规吃喝", "其他"]);

    // A new complaint may not use a retired or renamed name, and says so; the new names work.
    let err =
        invalid(ops::register(&mut o.f.store, &p, &form("2026-09-02", ComplaintChannel::Letter, &["其他"], "某局")));
    assert!(err.contains("已在现行检举控告重点问题目录（第 2 版）中停用"), "{err}");
    let err = invalid(ops::register(
        &mut o.f.store,
        &p,
        &form("2026-09-02", ComplaintChannel::Letter, &["违规吃喝"], "某局"),
    ));
    assert!(err.contains("停用"), "{err}");
    ops::register(&mut o.f.store, &p, &form("2026-09-02", ComplaintChannel::Letter, &["违规公款吃喝"], "某局"))
        .unwrap();

    // The same version delivered again changes nothing; a replay gives the same projections.
    let again = o.f.store.ingest_remote(std::slice::from_ref(&published), 1).unwrap();
    assert_eq!((again.applied, again.already_held), (0, 1));
    let live = o.f.store.projection_dump().unwrap();
    o.f.store.rebuild().unwrap();
    assert_eq!(o.f.store.projection_dump().unwrap(), live);
    assert_eq!(catalogue::current(&mut o.f.store, &p).unwrap().version, 2);
}

#[test]
fn a_tampered_version_is_refused_and_nothing_changes() {
    let mut o = office();
    let mut payload = version_two().published().unwrap();
    payload.doc.categories[0].name = "改过的名称".into();
    let bad = hub_event(1, GENESIS, kind::CATALOGUE_PUBLISHED, &aggregate(2), &payload);
    let before = o.f.store.projection_dump().unwrap();
    assert!(o.f.store.ingest_remote(std::slice::from_ref(&bad), 1).is_err());
    assert_eq!(o.f.store.projection_dump().unwrap(), before);
    let p = o.petitions.clone();
    assert_eq!(catalogue::current(&mut o.f.store, &p).unwrap().version, 1);
}

fn request(from: &str, to: &str) -> ReportRequest {
    ReportRequest { from: from.into(), to: to.into(), theme: None, unit: None }
}

#[test]
fn the_report_counts_what_the_store_holds() {
    let mut o = office();
    let p = o.petitions.clone();
    let reg = |o: &mut Office, f: RegisterComplaint| ops::register(&mut o.f.store, &p, &f).unwrap();
    // July: two letters about 某县住建局 (dining; gifts), one web report about 某乡政府 (livelihood funds).
    reg(&mut o, form("2026-07-03", ComplaintChannel::Letter, &["违规吃喝"], "某县住建局"));
    reg(&mut o, form("2026-07-20", ComplaintChannel::Letter, &["违规收送礼品礼金", "违规吃喝"], "某县住建局"));
    reg(&mut o, form("2026-07-21", ComplaintChannel::Web, &["侵占民生领域资金"], "某乡人民政府"));
    // September: a visit with no category; October falls outside the third quarter.
    reg(&mut o, form("2026-09-10", ComplaintChannel::Visit, &[], "某县住建局"));
    o.clock.advance(Duration::days(10));
    reg(&mut o, form("2026-10-05", ComplaintChannel::Letter, &["违规吃喝"], "某县住建局"));
    // A penalty decision in August.
    let a = o.anguan.clone();
    let mut decision = penalty::RegisterPenalty {
        person: penalty::PenaltyPerson {
            name: "甄某某".into(),
            unit: "某县住建局".into(),
            post: "副局长".into(),
            rank: "二级主任科员".into(),
            party_member: true,
            deputy: false,
            cppcc_member: false,
            non_party_cadre: false,
        },
        decision_number: "五纪处〔2026〕3号".into(),
        deciding_body: "某县纪委常委会".into(),
        party_penalty: Some(penalty::PartyPenalty::SeriousWarning),
        probation_years: None,
        government_sanction: None,
        sanction_count: None,
        sanction_months: None,
        decision_date: "2026-08-12".into(),
        approval_date: Some("2026-08-14".into()),
        responsible_units: vec!["某县住建局".into()],
        confiscate: None,
        repay: None,
        organisational_handling: None,
        complaint_id: None,
    };
    penalty::ops::register(&mut o.f.store, &a, &decision).unwrap();
    decision.decision_number = "五纪处〔2026〕9号".into();
    decision.decision_date = "2026-10-02".into();
    decision.approval_date = Some("2026-10-03".into());
    penalty::ops::register(&mut o.f.store, &a, &decision).unwrap();

    let r = report::analysis(&mut o.f.store, &p, &request("2026-07-01", "2026-09-30")).unwrap();
    assert_eq!(r.period_label, "2026年第三季度");
    assert_eq!(r.kind_label, "综合分析");
    assert_eq!(r.title, "关于2026年第三季度检举控告情况的综合分析报告");
    assert_eq!(r.total, 4);
    let pairs = |v: &[qingfeng_core::complaints::stats::Count]| {
        v.iter().map(|c| (c.label.clone(), c.count)).collect::<Vec<_>>()
    };
    assert_eq!(pairs(&r.by_channel), [("来信".to_owned(), 2), ("来访".to_owned(), 1), ("网络".to_owned(), 1)]);
    assert_eq!(
        pairs(&r.by_month),
        [("2026年7月".to_owned(), 3), ("2026年8月".to_owned(), 0), ("2026年9月".to_owned(), 1)]
    );
    assert_eq!(r.by_category.iter().find(|c| c.key == "违规吃喝").unwrap().count, 2);
    assert_eq!(
        pairs(&r.by_key_problem),
        [("违反廉洁纪律".to_owned(), 3), ("违反群众纪律".to_owned(), 1), ("未归类".to_owned(), 1)]
    );
    assert_eq!(pairs(&r.by_unit), [("某县住建局".to_owned(), 3), ("某乡人民政府".to_owned(), 1)]);
    assert_eq!(pairs(&r.by_disposal), [("尚未处置".to_owned(), 4)]);
    assert_eq!(r.penalties, 1, "only the August decision falls in the quarter");
    assert_eq!(r.penalties_by_kind[0].count, 1);
    // Every real-name complaint owes an acceptance notice; on 10-08 the three of July are
    // overdue, while September's, counted from 09-10 over the National Day holiday, is not yet.
    assert_eq!((r.with_deadlines, r.overdue), (4, 3));
    let text = r.sections.iter().flat_map(|s| s.paragraphs.iter()).cloned().collect::<String>();
    assert!(text.contains("2026年第三季度，五华区纪委监委共受理检举控告4件"), "{text}");
    assert!(text.contains("违反廉洁纪律3件（占75.0%）"), "{text}");
    assert!(text.contains("某县住建局被反映3件"), "{text}");
    assert!(text.contains("同期作出处分决定1件"), "{text}");
    assert!(!text.contains("举报人甲") && !text.contains("13800000000"), "no reporter in the report");
    assert_eq!(
        r.sections.iter().map(|s| s.heading.as_str()).collect::<Vec<_>>(),
        ["一、基本情况", "二、主要问题", "三、意见建议"]
    );

    // A thematic report on 违反廉洁纪律 counts its key problems; one on a unit counts that unit.
    let theme = report::analysis(
        &mut o.f.store,
        &p,
        &ReportRequest { theme: Some("违反廉洁纪律".into()), ..request("2026-07-01", "2026-09-30") },
    )
    .unwrap();
    assert_eq!((theme.total, theme.kind_label.as_str()), (2, "专题分析"));
    assert_eq!(theme.title, "关于2026年第三季度“违反廉洁纪律”问题检举控告情况的专题分析报告");
    assert!(theme.by_category.iter().all(|c| c.key != "侵占民生领域资金"));
    let unit = report::analysis(
        &mut o.f.store,
        &p,
        &ReportRequest { unit: Some("某乡人民政府".into()), ..request("2026-07-01", "2026-12-31") },
    )
    .unwrap();
    assert_eq!((unit.total, unit.penalties), (1, 0));

    // Bad requests are refused in Chinese.
    assert!(invalid(report::analysis(&mut o.f.store, &p, &request("2026-10-01", "2026-09-01"))).contains("晚于"));
    assert!(invalid(report::analysis(&mut o.f.store, &p, &request("2026-02-30", "2026-09-01"))).contains("起始日期"));
    assert!(
        invalid(report::analysis(
            &mut o.f.store,
            &p,
            &ReportRequest { theme: Some("不存在的专题".into()), ..request("2026-07-01", "2026-09-30") }
        ))
        .contains("不在现行")
    );
}
