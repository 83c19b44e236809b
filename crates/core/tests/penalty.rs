//! Penalty execution and rectification checklists through the core: items generated per penalty
//! kind, order gating, reviewers, rejection and resubmission, payments to the fen, influence
//! periods, the guard, templates as data, lights, bad input leaving the store unchanged, rebuild.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use qingfeng_core::CoreError;
use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::deadlines::{DeadlineKind, Light};
use qingfeng_core::identity::Role;
use qingfeng_core::penalty::query::{self, BoardFilter, LightCounts};
use qingfeng_core::penalty::workflow::ItemStep;
use qingfeng_core::penalty::{ops, *};

struct Office {
    f: common::Fixture,
    clock: Clock,
    admin: Actor,
    anguan: Actor,
    shenli: Actor,
    both: Actor,
    jiancha: Actor,
    xinfang: Actor,
}

fn office() -> Office {
    let mut f = common::initialized();
    // Monday 2026-09-28, 09:00 Beijing time.
    let clock = Clock::manual(Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap());
    f.store.set_clock(clock.clone());
    let admin = f.admin();
    let actor =
        |f: &mut common::Fixture, name: &str, roles: Vec<Role>| common::officer_as(&mut f.store, &admin, name, roles);
    let anguan = actor(&mut f, "anguan", vec![Role::CaseManagement]);
    let shenli = actor(&mut f, "shenli", vec![Role::Trial]);
    let both = actor(&mut f, "both", vec![Role::CaseManagement, Role::Trial]);
    let jiancha = actor(&mut f, "jiancha", vec![Role::Supervision]);
    let xinfang = actor(&mut f, "xinfang", vec![Role::Petitions]);
    Office { f, clock, admin, anguan, shenli, both, jiancha, xinfang }
}

fn person(party_member: bool) -> PenaltyPerson {
    PenaltyPerson {
        name: "甄某某".into(),
        unit: "某县住建局".into(),
        post: "副局长".into(),
        rank: "二级主任科员".into(),
        party_member,
        deputy: false,
        cppcc_member: false,
        non_party_cadre: false,
    }
}

fn decision(number: &str) -> RegisterPenalty {
    RegisterPenalty {
        person: person(true),
        decision_number: number.into(),
        deciding_body: "某县纪委常委会".into(),
        party_penalty: Some(PartyPenalty::SeriousWarning),
        probation_years: None,
        government_sanction: None,
        sanction_count: None,
        sanction_months: None,
        decision_date: "2026-09-01".into(),
        approval_date: Some("2026-09-03".into()),
        responsible_units: vec!["某县住建局".into(), "县委组织部".into()],
        confiscate: None,
        repay: None,
        organisational_handling: None,
        complaint_id: None,
    }
}

fn codes(o: &Office, id: &str) -> Vec<String> {
    query::show(&o.f.store, &o.anguan, id).unwrap().items.into_iter().map(|i| i.kind).collect()
}

fn submit_req(date: &str, note: &str) -> SubmitRequest {
    SubmitRequest { date: date.into(), note: note.into(), measures: None, result: None, files: vec![] }
}

fn invalid(r: Result<impl std::fmt::Debug, CoreError>) -> String {
    match r {
        Err(CoreError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn each_penalty_kind_generates_the_right_items() {
    let mut o = office();
    // Every decision is served, announced and filed, gets its three letters and a follow-up visit;
    // an influence period that ends brings an appraisal item and restoration; removal from party
    // post or heavier, and demotion or heavier, bring the post and pay change.
    const LIGHT: &[&str] =
        &["serve", "announce", "archive", "appraisal", "three_letters", "follow_up_visit", "restore"];
    const HEAVY: &[&str] = &[
        "serve",
        "announce",
        "archive",
        "adjust_post_pay",
        "appraisal",
        "three_letters",
        "follow_up_visit",
        "restore",
    ];
    // Expulsion alone is permanent: no appraisal within a period, nothing to restore.
    const EXPELLED: &[&str] = &["serve", "announce", "archive", "adjust_post_pay", "three_letters", "follow_up_visit"];
    type Case = (Option<PartyPenalty>, Option<u32>, Option<GovernmentSanction>, &'static [&'static str]);
    let cases: Vec<Case> = vec![
        (Some(PartyPenalty::Warning), None, None, LIGHT),
        (Some(PartyPenalty::SeriousWarning), None, None, LIGHT),
        (Some(PartyPenalty::RemovalFromPost), None, None, HEAVY),
        (Some(PartyPenalty::Probation), Some(1), None, HEAVY),
        (Some(PartyPenalty::Probation), Some(2), None, HEAVY),
        (Some(PartyPenalty::Expulsion), None, None, HEAVY),
        (None, None, Some(GovernmentSanction::Warning), LIGHT),
        (None, None, Some(GovernmentSanction::Demerit), LIGHT),
        (None, None, Some(GovernmentSanction::MajorDemerit), LIGHT),
        (None, None, Some(GovernmentSanction::Demotion), HEAVY),
        (None, None, Some(GovernmentSanction::Dismissal), HEAVY),
        (None, None, Some(GovernmentSanction::Expulsion), EXPELLED),
        (Some(PartyPenalty::Warning), None, Some(GovernmentSanction::Demotion), HEAVY),
    ];
    for (i, (party, years, gov, expected)) in cases.into_iter().enumerate() {
        let mut form = decision(&format!("县纪处〔2026〕{}号", i + 1));
        form.person.party_member = party.is_some();
        form.party_penalty = party;
        form.probation_years = years;
        form.government_sanction = gov;
        if party.is_none() {
            form.approval_date = None;
        }
        let id = ops::register(&mut o.f.store, &o.anguan, &form).unwrap();
        assert_eq!(codes(&o, &id), expected, "case {i}: {party:?} {gov:?}");
    }

    // Amounts, organisational handling and a special status add their items, in template order.
    let mut form = decision("县纪处〔2026〕99号");
    form.person.deputy = true;
    form.confiscate = Some("12000".into());
    form.repay = Some("3500.50".into());
    form.organisational_handling = Some("免职".into());
    let id = ops::register(&mut o.f.store, &o.anguan, &form).unwrap();
    assert_eq!(
        codes(&o, &id),
        [
            "serve",
            "announce",
            "archive",
            "appraisal",
            "recover_money",
            "three_letters",
            "organisational_handling",
            "notify_bodies",
            "follow_up_visit",
            "restore"
        ]
    );
    let detail = query::show(&o.f.store, &o.anguan, &id).unwrap();
    let money = detail.items.iter().find(|i| i.kind == "recover_money").unwrap();
    assert_eq!(money.amount_due.as_deref(), Some("15500.50"));
    assert_eq!(money.amount_remaining.as_deref(), Some("15500.50"));
    let letters = &detail.items.iter().find(|i| i.kind == "three_letters").unwrap().letters;
    assert_eq!(letters, &["检讨书", "承诺书", "整改书"]);
}

#[test]
fn influence_periods_follow_the_table() {
    let mut o = office();
    type Case = (
        Option<PartyPenalty>,
        Option<u32>,
        Option<GovernmentSanction>,
        Option<u32>,
        Option<u32>,
        &'static str,
        Option<&'static str>,
    );
    // Party periods count from approval (2026-09-03), government from decision (2026-09-01).
    let cases: Vec<Case> = vec![
        (Some(PartyPenalty::Warning), None, None, None, None, "2026-09-03", Some("2027-09-03")),
        (Some(PartyPenalty::SeriousWarning), None, None, None, None, "2026-09-03", Some("2028-03-03")),
        (Some(PartyPenalty::RemovalFromPost), None, None, None, None, "2026-09-03", Some("2028-09-03")),
        (Some(PartyPenalty::Probation), Some(1), None, None, None, "2026-09-03", Some("2027-09-03")),
        (Some(PartyPenalty::Probation), Some(2), None, None, None, "2026-09-03", Some("2028-09-03")),
        (Some(PartyPenalty::Expulsion), None, None, None, None, "2026-09-03", Some("2031-09-03")),
        (None, None, Some(GovernmentSanction::Warning), None, None, "2026-09-01", Some("2027-03-01")),
        (None, None, Some(GovernmentSanction::Demerit), None, None, "2026-09-01", Some("2027-09-01")),
        (None, None, Some(GovernmentSanction::MajorDemerit), None, None, "2026-09-01", Some("2028-03-01")),
        (None, None, Some(GovernmentSanction::Demotion), None, None, "2026-09-01", Some("2028-09-01")),
        (None, None, Some(GovernmentSanction::Dismissal), None, None, "2026-09-01", Some("2028-09-01")),
        (None, None, Some(GovernmentSanction::Expulsion), None, None, "2026-09-01", None),
        // Three major demerits would be 54 months: capped at 48.
        (None, None, Some(GovernmentSanction::MajorDemerit), Some(3), None, "2026-09-01", Some("2030-09-01")),
        // Two demerits: 24 months by default, or a decided period between 12 and 24.
        (None, None, Some(GovernmentSanction::Demerit), Some(2), None, "2026-09-01", Some("2028-09-01")),
        (None, None, Some(GovernmentSanction::Demerit), Some(2), Some(18), "2026-09-01", Some("2028-03-01")),
    ];
    for (i, (party, years, gov, count, months, start, end)) in cases.into_iter().enumerate() {
        let mut form = decision(&format!("县纪处〔2026〕{}号", 100 + i));
        form.person.party_member = party.is_some();
        form.party_penalty = party;
        form.probation_years = years;
        form.government_sanction = gov;
        form.sanction_count = count;
        form.sanction_months = months;
        if party.is_none() {
            form.approval_date = None;
        }
        let id = ops::register(&mut o.f.store, &o.anguan, &form).unwrap();
        let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
        let span = d.influence_period.unwrap();
        assert_eq!(span.start, start, "case {i}");
        assert_eq!(span.end.as_deref(), end, "case {i}");
        assert_eq!(span.permanent, end.is_none(), "case {i}");
        if end.is_some() {
            // Restoration waits for its turn; it falls due when the period ends.
            let restore = d.items.iter().find(|it| it.kind == "restore").unwrap();
            assert_eq!(restore.deadline_kind, DeadlineKind::PenaltyRestoration);
            assert_eq!(restore.status, ItemStatus::Pending);
            assert!(restore.due.is_none(), "not open until its turn");
        }
    }

    // The end-day rule is configurable: the day before the corresponding date.
    qingfeng_core::settings::set(&mut o.f.store, &o.admin, "penalty.influence_end_day_before", "1").unwrap();
    let id = ops::register(&mut o.f.store, &o.anguan, &decision("县纪处〔2026〕200号")).unwrap();
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    assert_eq!(d.influence_period.unwrap().end.as_deref(), Some("2028-03-02"));

    // Several sanctions of a kind above the cap, or a period outside the range, are refused.
    let mut form = decision("县纪处〔2026〕201号");
    form.party_penalty = None;
    form.approval_date = None;
    form.government_sanction = Some(GovernmentSanction::Demotion);
    form.sanction_count = Some(3);
    form.sanction_months = Some(50);
    let before = o.f.event_count();
    let m = invalid(ops::register(&mut o.f.store, &o.anguan, &form));
    assert!(m.contains("48"), "{m}");
    assert_eq!(o.f.event_count(), before);
}

#[test]
fn items_run_in_order_with_review_rejection_and_payments() {
    let mut o = office();
    let mut form = decision("县纪处〔2026〕7号");
    form.party_penalty = Some(PartyPenalty::RemovalFromPost);
    form.confiscate = Some("1000.00".into());
    form.repay = Some("234.56".into());
    let id = ops::register(&mut o.f.store, &o.anguan, &form).unwrap();
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    assert_eq!(d.items[0].status, ItemStatus::Open);
    assert_eq!(d.items[0].due.as_deref(), Some("2026-10-08"), "1 month from 2026-09-01, off the holiday week");
    assert!(d.items[1..].iter().all(|i| i.status == ItemStatus::Pending && i.light.is_none()));
    assert_eq!(d.report_due.as_deref(), Some("2027-03-01"), "execution report 6 months from the decision");
    let owner: String = o
        .f
        .store
        .raw_connection_for_tests()
        .query_row("SELECT owner_office FROM ownership WHERE aggregate = ?1", [format!("penalty:{id}")], |r| r.get(0))
        .unwrap();
    assert_eq!(owner, "530102", "a decision is a workflow aggregate owned by the office that entered it");

    // The second item cannot be worked on before the first is approved.
    let before = o.f.event_count();
    let m = invalid(ops::submit(&mut o.f.store, &o.anguan, &id, 2, &submit_req("2026-09-20", "已宣布")));
    assert!(m.contains("前一项"), "{m}");
    // A date before the decision, in the future, or outside the calendar is refused.
    let m = invalid(ops::submit(&mut o.f.store, &o.anguan, &id, 1, &submit_req("2026-08-30", "送达")));
    assert!(m.contains("早于"), "{m}");
    invalid(ops::submit(&mut o.f.store, &o.anguan, &id, 1, &submit_req("2026-10-30", "送达")));
    invalid(ops::submit(&mut o.f.store, &o.anguan, &id, 1, &submit_req("1900-01-01", "送达")));
    invalid(ops::submit(&mut o.f.store, &o.anguan, &id, 1, &submit_req("2026-02-30", "送达")));
    assert_eq!(o.f.event_count(), before, "nothing half-saved");

    // Submit with a proof of service; trial may not be bypassed by the submitter.
    let mut req = submit_req("2026-09-10", "已送达本人并抄送县委组织部");
    req.files.push(EvidenceFile {
        name: "送达回执.txt".into(), bytes: "送达回执：本人已签收。".as_bytes().to_vec()
    });
    ops::submit(&mut o.f.store, &o.both, &id, 1, &req).unwrap();
    let m = invalid(ops::approve(&mut o.f.store, &o.both, &id, 1, "", None));
    assert!(m.contains("本人提交"), "{m}");
    let m = invalid(ops::reject(&mut o.f.store, &o.both, &id, 1, "重做"));
    assert!(m.contains("本人提交"), "{m}");
    // A case-management officer cannot review at all.
    assert!(matches!(ops::approve(&mut o.f.store, &o.anguan, &id, 1, "", None), Err(CoreError::Forbidden { .. })));

    // Reject with a note; the unit resubmits; trial approves and the next item opens.
    let m = invalid(ops::reject(&mut o.f.store, &o.shenli, &id, 1, "  "));
    assert!(m.contains("整改意见"), "{m}");
    ops::reject(&mut o.f.store, &o.shenli, &id, 1, "回执未签署日期，请补正").unwrap();
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    assert_eq!(d.items[0].status, ItemStatus::Rejected);
    assert_eq!(d.items[0].review_note.as_deref(), Some("回执未签署日期，请补正"));
    assert_eq!(d.items[0].rejections, 1);
    assert_eq!(d.items[0].submissions[0].evidence[0].name, "送达回执.txt");
    assert_eq!(d.items[0].submissions[0].outcome, "rejected");
    // The proof of service opens with its content checked against the hash in the log.
    let sha = d.items[0].submissions[0].evidence[0].sha256.clone();
    let (evidence, bytes) = query::open_evidence(&o.f.store, &o.shenli, &id, &sha).unwrap();
    assert_eq!((evidence.media_type.as_str(), bytes.as_slice()), ("text/plain", "送达回执：本人已签收。".as_bytes()));
    o.f.store.raw_connection_for_tests().execute("UPDATE blobs SET bytes = x'00' WHERE sha256 = ?1", [&sha]).unwrap();
    assert!(matches!(query::open_evidence(&o.f.store, &o.shenli, &id, &sha), Err(CoreError::Tampered(_))));
    invalid(ops::approve(&mut o.f.store, &o.shenli, &id, 1, "", None));
    ops::submit(&mut o.f.store, &o.anguan, &id, 1, &submit_req("2026-09-12", "补正后的回执")).unwrap();
    ops::approve(&mut o.f.store, &o.shenli, &id, 1, "同意", None).unwrap();
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    assert_eq!(d.items[0].status, ItemStatus::Approved);
    assert_eq!(d.items[0].light, Some(Light::Done));
    assert_eq!(d.items[1].status, ItemStatus::Open);
    assert_eq!(d.current_ord, Some(2));
    invalid(ops::submit(&mut o.f.store, &o.anguan, &id, 1, &submit_req("2026-09-12", "再交")));

    // Items 2–4 (announce, archive, post and pay).
    for ord in 2..=4 {
        ops::submit(&mut o.f.store, &o.anguan, &id, ord, &submit_req("2026-09-20", "已办理")).unwrap();
        ops::approve(&mut o.f.store, &o.shenli, &id, ord, "", None).unwrap();
    }
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    let money = d.items.iter().find(|i| i.kind == "recover_money").unwrap().ord;
    assert_eq!(d.items[4].kind, "appraisal");
    ops::submit(&mut o.f.store, &o.anguan, &id, 5, &submit_req("2026-09-20", "考核不定优秀")).unwrap();
    ops::approve(&mut o.f.store, &o.shenli, &id, 5, "", None).unwrap();

    // Payments: exact to the fen, partial shows what remains, overpayment and bad amounts refused.
    let before = o.f.event_count();
    for bad in ["-1", "0", "12.345", "abc", "1234.57"] {
        invalid(ops::record_payment(&mut o.f.store, &o.anguan, &id, money, bad, "2026-09-21", ""));
    }
    let m = invalid(ops::record_payment(&mut o.f.store, &o.anguan, &id, money, "2000", "2026-09-21", ""));
    assert!(m.contains("尚余 1234.56 元"), "{m}");
    assert_eq!(o.f.event_count(), before);
    let p = ops::record_payment(&mut o.f.store, &o.anguan, &id, money, "1000.10", "2026-09-21", "第一笔").unwrap();
    assert_eq!((p.amount_paid.as_str(), p.amount_remaining.as_str()), ("1000.10", "234.46"));
    let m = invalid(ops::submit(&mut o.f.store, &o.anguan, &id, money, &submit_req("2026-09-21", "已收缴")));
    assert!(m.contains("尚余 234.46 元"), "{m}");
    let m = invalid(ops::record_payment(&mut o.f.store, &o.anguan, &id, money, "234.47", "2026-09-22", ""));
    assert!(m.contains("尚余 234.46 元"), "{m}");
    let p = ops::record_payment(&mut o.f.store, &o.anguan, &id, money, "234.46", "2026-09-22", "第二笔").unwrap();
    assert_eq!(p.amount_remaining, "0.00");
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    let item = &d.items[money as usize - 1];
    assert_eq!(item.amount_paid.as_deref(), Some("1234.56"));
    assert_eq!(item.payments.len(), 2);
    ops::submit(&mut o.f.store, &o.anguan, &id, money, &submit_req("2026-09-22", "已全部收缴")).unwrap();
    ops::approve(&mut o.f.store, &o.shenli, &id, money, "", None).unwrap();

    // The rest, up to restoration; then the execution report is met.
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    for item in d.items.iter().filter(|i| i.status != ItemStatus::Approved && i.kind != "restore") {
        ops::submit(&mut o.f.store, &o.anguan, &id, item.ord, &submit_req("2026-09-25", "已办理")).unwrap();
        ops::approve(&mut o.f.store, &o.shenli, &id, item.ord, "", None).unwrap();
    }
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    assert_eq!(d.report_light, Some(Light::Done));
    let restore = d.items.last().unwrap();
    assert_eq!(restore.kind, "restore");
    assert_eq!(restore.status, ItemStatus::Open);
    assert_eq!(restore.due.as_deref(), Some("2028-09-04"), "2028-09-03 is a Sunday");
    assert_eq!(d.status, "executing");

    // Rebuilding from the log gives the same projections.
    let live = o.f.store.projection_dump().unwrap();
    o.f.store.rebuild().unwrap();
    assert_eq!(o.f.store.projection_dump().unwrap(), live);
    assert!(o.f.store.verify().unwrap().ok);
}

#[test]
fn lights_turn_yellow_when_idle_and_red_when_overdue() {
    let mut o = office();
    let mut form = decision("县纪处〔2026〕8号");
    form.decision_date = "2026-09-25".into();
    form.approval_date = Some("2026-09-25".into());
    let id = ops::register(&mut o.f.store, &o.anguan, &form).unwrap();
    let light = |o: &Office| query::show(&o.f.store, &o.anguan, &id).unwrap().items[0].light;
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    assert_eq!(d.items[0].due.as_deref(), Some("2026-10-26"), "2026-10-25 is a Sunday");
    assert_eq!(light(&o), Some(Light::Green));
    // Ten days without any action: yellow, though the deadline is not near.
    o.clock.advance(Duration::days(10));
    assert_eq!(light(&o), Some(Light::Yellow));
    let board = query::board(&o.f.store, &o.anguan, &BoardFilter::default()).unwrap();
    assert_eq!(board.counts.yellow, 1);
    // The screens say why it is yellow: idle, not near (the legend names both).
    assert!(query::show(&o.f.store, &o.anguan, &id).unwrap().items[0].idle);
    assert!(board.rows[0].current.as_ref().unwrap().idle);
    // Within five working days of the date it is near, whatever else.
    o.clock.advance(Duration::days(14)); // 2026-10-22, within five working days of 10-26
    assert_eq!(light(&o), Some(Light::Yellow));
    assert!(!query::show(&o.f.store, &o.anguan, &id).unwrap().items[0].idle);
    // Past the due date: red.
    o.clock.advance(Duration::days(5));
    assert_eq!(light(&o), Some(Light::Red));
    let board =
        query::board(&o.f.store, &o.anguan, &BoardFilter { light: Some(Light::Red), ..Default::default() }).unwrap();
    assert_eq!(board.rows.len(), 1);
    assert_eq!(board.rows[0].current.as_ref().unwrap().kind, "serve");
    assert_eq!(board.rows[0].person_name.as_deref(), Some("甄某某"));
}

#[test]
fn post_and_pay_changes_extend_to_six_months_with_approval() {
    let mut o = office();
    let mut form = decision("县纪处〔2026〕9号");
    form.party_penalty = Some(PartyPenalty::RemovalFromPost);
    let id = ops::register(&mut o.f.store, &o.anguan, &form).unwrap();
    let m = invalid(ops::extend(&mut o.f.store, &o.anguan, &id, 1, 3, "批准"));
    assert!(m.contains("不能延长"), "{m}");
    invalid(ops::extend(&mut o.f.store, &o.anguan, &id, 4, 7, "县委组织部批复"));
    invalid(ops::extend(&mut o.f.store, &o.anguan, &id, 4, 3, " "));
    ops::extend(&mut o.f.store, &o.anguan, &id, 4, 6, "县委组织部批复〔2026〕5号").unwrap();
    for ord in 1..=3 {
        ops::submit(&mut o.f.store, &o.anguan, &id, ord, &submit_req("2026-09-20", "已办理")).unwrap();
        ops::approve(&mut o.f.store, &o.shenli, &id, ord, "", None).unwrap();
    }
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    assert_eq!(d.items[3].kind, "adjust_post_pay");
    assert_eq!(d.items[3].due.as_deref(), Some("2027-03-01"), "six months from the decision");
}

#[test]
fn bad_decisions_are_refused_and_nothing_is_saved() {
    let mut o = office();
    let before = o.f.event_count();
    let mut f = decision(" ");
    assert!(invalid(ops::register(&mut o.f.store, &o.anguan, &f)).contains("文号"));
    f = decision("县纪处〔2026〕10号");
    f.approval_date = Some("2026-08-01".into());
    assert!(invalid(ops::register(&mut o.f.store, &o.anguan, &f)).contains("早于"));
    f = decision("县纪处〔2026〕10号");
    f.decision_date = "2026-12-01".into();
    assert!(invalid(ops::register(&mut o.f.store, &o.anguan, &f)).contains("晚于今天"));
    f = decision("县纪处〔2026〕10号");
    f.decision_date = "2126-01-01".into();
    invalid(ops::register(&mut o.f.store, &o.anguan, &f));
    f = decision("县纪处〔2026〕10号");
    f.person.party_member = false;
    assert!(invalid(ops::register(&mut o.f.store, &o.anguan, &f)).contains("不是党员"));
    f = decision("县纪处〔2026〕10号");
    f.party_penalty = None;
    assert!(invalid(ops::register(&mut o.f.store, &o.anguan, &f)).contains("至少选择"));
    f = decision("县纪处〔2026〕10号");
    f.party_penalty = Some(PartyPenalty::Probation);
    assert!(invalid(ops::register(&mut o.f.store, &o.anguan, &f)).contains("1 年或 2 年"));
    f = decision("县纪处〔2026〕10号");
    f.confiscate = Some("100.001".into());
    assert!(invalid(ops::register(&mut o.f.store, &o.anguan, &f)).contains("两位小数"));
    f = decision("县纪处〔2026〕10号");
    f.repay = Some("-3".into());
    assert!(invalid(ops::register(&mut o.f.store, &o.anguan, &f)).contains("大于零"));
    f = decision("县纪处〔2026〕10号");
    f.responsible_units = vec![" ".into()];
    assert!(invalid(ops::register(&mut o.f.store, &o.anguan, &f)).contains("主体责任部门"));
    assert_eq!(o.f.event_count(), before);
    // Posts: petitions may not enter decisions (the refusal is itself recorded).
    assert!(matches!(
        ops::register(&mut o.f.store, &o.xinfang, &decision("县纪处〔2026〕10号")),
        Err(CoreError::Forbidden { .. })
    ));
    assert_eq!(o.f.count_kind("penalty.registered"), 0);
    // An unknown field in a form is refused when read from JSON.
    let json = r#"{"person":{"name":"a","unit":"b","party_member":true,"salary":1},"decision_number":"x",
        "deciding_body":"y","decision_date":"2026-09-01","responsible_units":["u"]}"#;
    assert!(serde_json::from_str::<RegisterPenalty>(json).is_err());
    // A duplicate decision is refused.
    ops::register(&mut o.f.store, &o.anguan, &decision("县纪处〔2026〕10号")).unwrap();
    assert!(invalid(ops::register(&mut o.f.store, &o.anguan, &decision("县纪处〔2026〕10号"))).contains("重复"));
}

#[test]
fn the_guard_flags_benefits_inside_influence_periods() {
    let mut o = office();
    let mut f = decision("县纪处〔2026〕11号");
    f.government_sanction = Some(GovernmentSanction::Demerit);
    ops::register(&mut o.f.store, &o.anguan, &f).unwrap();
    let benefit = |kind, date: &str, grade| BenefitForm {
        person_name: "甄某某".into(),
        person_unit: "某县住建局".into(),
        kind,
        date: date.into(),
        grade,
        detail: "测试".into(),
    };
    let (_, flags) =
        ops::record_benefit(&mut o.f.store, &o.anguan, &benefit(BenefitKind::Promotion, "2027-01-10", None)).unwrap();
    assert_eq!(flags.len(), 2, "both the party and the government period bar a promotion: {flags:?}");
    let (_, flags) =
        ops::record_benefit(&mut o.f.store, &o.anguan, &benefit(BenefitKind::PayStep, "2027-01-10", None)).unwrap();
    assert_eq!(flags.len(), 1, "a demerit bars pay steps: {flags:?}");
    let (_, flags) = ops::record_benefit(
        &mut o.f.store,
        &o.anguan,
        &benefit(BenefitKind::Appraisal, "2026-12-31", Some(AppraisalGrade::Competent)),
    )
    .unwrap();
    assert_eq!(flags.len(), 1, "under a demerit the grade is not determined: {flags:?}");
    // After both periods end (party 2028-03-03, government 2027-09-01), nothing is barred.
    let (_, flags) =
        ops::record_benefit(&mut o.f.store, &o.anguan, &benefit(BenefitKind::Award, "2028-06-01", None)).unwrap();
    assert!(flags.is_empty());
    let (_, flags) = ops::record_benefit(
        &mut o.f.store,
        &o.anguan,
        &benefit(BenefitKind::Appraisal, "2028-12-31", Some(AppraisalGrade::Excellent)),
    )
    .unwrap();
    assert!(flags.is_empty());
    invalid(ops::record_benefit(&mut o.f.store, &o.anguan, &benefit(BenefitKind::Appraisal, "2026-12-31", None)));
    let all = query::flags(&o.f.store, &o.jiancha).unwrap();
    assert_eq!(all.len(), 4);
    let page = query::person(&o.f.store, &o.jiancha, "甄某某", "某县住建局").unwrap();
    assert_eq!(page.benefits.len(), 5);
    assert!(page.in_influence_period);
    assert_eq!(page.benefits.iter().filter(|b| !b.flags.is_empty()).count(), 3);
    let detail = query::show(&o.f.store, &o.jiancha, "县纪处〔2026〕11号").unwrap();
    assert_eq!(detail.flags.len(), 4);
}

#[test]
fn templates_are_versioned_data() {
    let mut o = office();
    let list = query::templates(&o.f.store, &o.admin).unwrap();
    let standard = list.iter().find(|t| t.id == "penalty.standard").unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&standard.body).unwrap();
    // A misspelt field is refused, naming it.
    doc["version"] = 2.into();
    doc["items"][6]["lettres"] = serde_json::json!(["检讨书"]);
    let m = invalid(ops::publish_template(&mut o.f.store, &o.admin, &doc.to_string()));
    assert!(m.contains("lettres"), "{m}");
    // Version 2 makes the "three letters" two, and only an administrator may publish it.
    doc["items"][6].as_object_mut().unwrap().remove("lettres");
    doc["items"][6]["letters"] = serde_json::json!(["检讨书", "承诺书"]);
    assert!(matches!(
        ops::publish_template(&mut o.f.store, &o.anguan, &doc.to_string()),
        Err(CoreError::Forbidden { .. })
    ));
    doc["version"] = 3.into();
    assert!(invalid(ops::publish_template(&mut o.f.store, &o.admin, &doc.to_string())).contains("第 2 版"));
    doc["version"] = 2.into();
    assert_eq!(
        ops::publish_template(&mut o.f.store, &o.admin, &doc.to_string()).unwrap(),
        ("penalty.standard".to_owned(), 2)
    );
    let id = ops::register(&mut o.f.store, &o.anguan, &decision("县纪处〔2026〕12号")).unwrap();
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    assert_eq!(d.template_version, Some(2));
    assert_eq!(d.items.iter().find(|i| i.kind == "three_letters").unwrap().letters, ["检讨书", "承诺书"]);
    // Published templates survive a rebuild (replayed from their event).
    o.f.store.rebuild().unwrap();
    // The built-in templates (the standard decision, the rectification list, reform by case from
    // migration 0016) and the published version 2.
    assert_eq!(query::templates(&o.f.store, &o.admin).unwrap().len(), 4);
}

#[test]
fn rectification_lists_score_and_gate_by_review() {
    let mut o = office();
    let form = RegisterRectification {
        title: "2026 年“两个责任”落实情况考核".into(),
        source: RectificationSource::TwoResponsibilities,
        start_date: "2026-09-01".into(),
        items: vec![RectificationItemForm {
            title: "公务用车管理不规范".into(),
            responsible_unit: "县交通局".into(),
            due_date: "2026-11-30".into(),
            measures: "建立用车台账".into(),
            max_score: None,
        }],
        template: Some("rectification.two_responsibilities".into()),
        responsible_unit: Some("县住建局党组".into()),
        due_date: Some("2026-12-31".into()),
        sequential: false,
        penalty_id: None,
    };
    assert!(matches!(ops::register_rectification(&mut o.f.store, &o.xinfang, &form), Err(CoreError::Forbidden { .. })));
    let id = ops::register_rectification(&mut o.f.store, &o.jiancha, &form).unwrap();
    let d = query::show_checklist(&o.f.store, &o.anguan, &id).unwrap();
    assert_eq!(d.items.len(), 6);
    assert!(d.items.iter().all(|i| i.status == ItemStatus::Open), "a list not in order opens every item");
    assert_eq!(d.items[0].due.as_deref(), Some("2026-12-31"));
    assert_eq!(d.items[5].due.as_deref(), Some("2026-11-30"));
    assert_eq!(d.max_score.as_deref(), Some("100.00"));

    let mut req = submit_req("2026-09-25", "已召开党组会专题研究");
    req.measures = Some("制定年度计划".into());
    req.result = Some("已印发".into());
    ops::submit(&mut o.f.store, &o.jiancha, &id, 1, &req).unwrap();
    invalid(ops::approve(&mut o.f.store, &o.jiancha, &id, 1, "", Some("18")));
    assert!(invalid(ops::approve(&mut o.f.store, &o.shenli, &id, 1, "", Some("21"))).contains("满分"));
    ops::approve(&mut o.f.store, &o.shenli, &id, 1, "", Some("18.5")).unwrap();
    ops::submit(&mut o.f.store, &o.anguan, &id, 6, &submit_req("2026-09-25", "台账已建立")).unwrap();
    assert!(invalid(ops::approve(&mut o.f.store, &o.jiancha, &id, 6, "", Some("5"))).contains("不计分"));
    ops::approve(&mut o.f.store, &o.jiancha, &id, 6, "", None).unwrap();
    let d = query::show_checklist(&o.f.store, &o.anguan, &id).unwrap();
    assert_eq!(d.total_score.as_deref(), Some("18.50"));
    assert_eq!(d.items[0].result.as_deref(), Some("已印发"));
    let board = query::board(
        &o.f.store,
        &o.anguan,
        &BoardFilter { scope: Some(ChecklistScope::Rectification), unit: Some("交通".into()), ..Default::default() },
    )
    .unwrap();
    assert_eq!(board.rows.len(), 1);
    let stats = query::stats(&o.f.store, &o.anguan, ChecklistScope::Rectification).unwrap();
    assert_eq!(stats.items_approved, 2);
    assert_eq!(stats.approved_on_time, 2);

    // A due date before the start is refused.
    let mut bad = form.clone();
    bad.due_date = Some("2026-08-01".into());
    invalid(ops::register_rectification(&mut o.f.store, &o.jiancha, &bad));
}

/// Reform by case (以案促改, seed 004) through the store: a list started from a decision's number
/// follows the reform template in the penalised person's unit, its tasks run in order, 案件审理室's
/// guidance is recorded on the item (and moves nothing), both pages name each other, the statistics
/// count lists and guidance, and a rebuild gives the same pages.
#[test]
fn reform_by_case_follows_a_decision_with_guidance_counted() {
    let mut o = office();
    let penalty = ops::register(&mut o.f.store, &o.anguan, &decision("县纪处〔2026〕7号")).unwrap();
    let before = query::show(&o.f.store, &o.jiancha, &penalty).unwrap();
    assert!(before.reform.is_none() && before.may_start_reform);
    assert!(!query::show(&o.f.store, &o.xinfang, &penalty).is_ok_and(|d| d.may_start_reform));

    let form = RegisterRectification {
        title: String::new(),
        source: RectificationSource::ReformByCase,
        start_date: "2026-09-10".into(),
        items: vec![],
        template: None,
        responsible_unit: None,
        due_date: Some("2026-12-31".into()),
        sequential: false,
        penalty_id: Some("县纪处〔2026〕7号".into()),
    };
    let id = ops::register_rectification(&mut o.f.store, &o.jiancha, &form).unwrap();
    // Once per decision: a second list is refused and nothing is saved.
    let events = o.f.event_count();
    assert!(invalid(ops::register_rectification(&mut o.f.store, &o.jiancha, &form)).contains("已有以案促改清单"));
    assert_eq!(o.f.event_count(), events);

    let list = query::show_checklist(&o.f.store, &o.shenli, &id).unwrap();
    assert_eq!(list.title, "甄某某以案促改（县纪处〔2026〕7号）");
    assert_eq!(list.source, "reform_by_case");
    let of = list.reform_of.as_ref().unwrap();
    assert_eq!((of.penalty_id.as_str(), of.decision_number.as_str()), (penalty.as_str(), "县纪处〔2026〕7号"));
    assert!(list.items.iter().all(|i| i.responsible_unit == "某县住建局"));
    assert_eq!(list.items[0].status, ItemStatus::Open);
    assert_eq!(list.items[1].status, ItemStatus::Pending, "the tasks run in order");
    assert!(list.items[1].steps.contains(&ItemStep::Guide), "案件审理室 may guide a task not yet open");
    assert!(!list.items[1].steps.contains(&ItemStep::Submit));

    // Guidance: 案件审理室 only, never empty, recorded on the item, which stays where it was.
    assert!(matches!(ops::guide(&mut o.f.store, &o.jiancha, &id, 1, "要点"), Err(CoreError::Forbidden { .. })));
    assert!(invalid(ops::guide(&mut o.f.store, &o.shenli, &id, 1, "  ")).contains("指导意见"));
    ops::guide(&mut o.f.store, &o.shenli, &id, 1, "警示教育要用身边案例，通报到每个股室。").unwrap();
    ops::guide(&mut o.f.store, &o.shenli, &id, 2, "剖析案发原因要具体到审批、验收各环节。").unwrap();
    // Not on a decision's own items: those are reviewed instead.
    assert!(invalid(ops::guide(&mut o.f.store, &o.shenli, &penalty, 1, "意见")).contains("整改清单"));
    let list = query::show_checklist(&o.f.store, &o.jiancha, &id).unwrap();
    assert_eq!(list.items[0].guidance.len(), 1);
    assert_eq!(list.items[0].guidance[0].text, "警示教育要用身边案例，通报到每个股室。");
    assert_eq!(list.items[0].guidance[0].given_by, "shenli姓名", "named, never an id");
    assert_eq!(list.items[0].status, ItemStatus::Open, "guidance moves nothing");

    ops::submit(&mut o.f.store, &o.jiancha, &id, 1, &submit_req("2026-09-20", "已召开警示教育大会")).unwrap();
    ops::approve(&mut o.f.store, &o.shenli, &id, 1, "同意", None).unwrap();
    let decision_page = query::show(&o.f.store, &o.jiancha, &penalty).unwrap();
    let reform = decision_page.reform.as_ref().unwrap();
    assert_eq!((reform.id.as_str(), reform.items_done, reform.guidance), (id.as_str(), 1, 2));
    assert!(!decision_page.may_start_reform);

    let stats = query::stats(&o.f.store, &o.anguan, ChecklistScope::Rectification).unwrap();
    assert_eq!((stats.reform_lists, stats.reform_done, stats.guidance_given), (1, 0, 2));
    assert_eq!(stats.guidance_by_month.len(), 1);
    assert_eq!(stats.guidance_by_month[0].count, 2);

    let page = query::show_checklist(&o.f.store, &o.jiancha, &id).unwrap();
    o.f.store.rebuild().unwrap();
    assert_eq!(query::show_checklist(&o.f.store, &o.jiancha, &id).unwrap(), page);
    assert_eq!(query::show(&o.f.store, &o.jiancha, &penalty).unwrap(), decision_page);
}

#[test]
fn the_review_queue_lists_submitted_items() {
    let mut o = office();
    let id = ops::register(&mut o.f.store, &o.anguan, &decision("县纪处〔2026〕13号")).unwrap();
    ops::submit(&mut o.f.store, &o.both, &id, 1, &submit_req("2026-09-20", "已送达")).unwrap();
    let q = query::review_queue(&o.f.store, &o.shenli).unwrap();
    assert_eq!(q.len(), 1);
    assert!(q[0].can_review);
    let q = query::review_queue(&o.f.store, &o.both).unwrap();
    assert!(!q[0].can_review, "the submitter may not review");
    ops::reject(&mut o.f.store, &o.shenli, &id, 1, "请补充抄送单位").unwrap();
    assert!(query::review_queue(&o.f.store, &o.shenli).unwrap().is_empty());
    let stats = query::stats(&o.f.store, &o.anguan, ChecklistScope::Penalty).unwrap();
    assert_eq!(stats.by_unit[0].rejected, 1);
    assert_eq!(stats.by_month[0].key, "2026-09");
}

#[test]
fn a_decision_replicates_with_its_items_and_only_its_owner_acts_on_it() {
    use qingfeng_core::api::SetupRequest;
    use qingfeng_core::identity::OfficeLevel;
    use qingfeng_core::projector::kind;
    let replica = |code: &str, name: &str, level, parent: Option<&str>| {
        let dir = tempfile::tempdir().unwrap();
        let keys = qingfeng_core::KeySource::File(dir.path().join("q.key"));
        let mut store = qingfeng_core::Store::create(&dir.path().join("q.db"), &keys).unwrap();
        store.set_clock(Clock::manual(Utc.with_ymd_and_hms(2026, 9, 28, 1, 0, 0).unwrap()));
        let req = SetupRequest {
            office_code: code.into(),
            office_name: name.into(),
            office_level: level,
            parent_code: parent.map(str::to_owned),
            admin_username: "admin".into(),
            admin_display_name: "管理员".into(),
            admin_password: common::ADMIN_PASSWORD.into(),
        };
        accounts::setup_office(&mut store, &req, Channel::Cli).unwrap();
        (dir, store)
    };
    let (_county_dir, mut county) = replica("530102", "五华区纪委监委", OfficeLevel::County, Some("530100"));
    let (_city_dir, mut city) = replica("530100", "昆明市纪委监委", OfficeLevel::Prefecture, None);
    let unit = common::officer(&mut county, "anguan", Role::CaseManagement);
    let trial = common::officer(&mut county, "shenli", Role::Trial);
    let id = ops::register(&mut county, &unit, &decision("五纪处〔2026〕1号")).unwrap();
    ops::submit(&mut county, &unit, &id, 1, &submit_req("2026-09-10", "已送达")).unwrap();
    ops::approve(&mut county, &trial, &id, 1, "", None).unwrap();

    // The city receives what the hub would route: the same decision, items and deadlines.
    let routed: Vec<_> =
        county.outbox(0, 100_000).unwrap().into_iter().filter(|e| !kind::is_office_private(&e.kind)).collect();
    city.ingest_remote(&routed, 1).unwrap();
    let city_unit = common::officer(&mut city, "anguan", Role::CaseManagement);
    let here = query::show(&city, &city_unit, &id).unwrap();
    let there = query::show(&county, &unit, &id).unwrap();
    assert_eq!(here.items.len(), there.items.len());
    assert_eq!(here.items[1].status, ItemStatus::Open);
    assert_eq!(here.items[1].due, there.items[1].due);
    assert_eq!(here.influence_period, there.influence_period);

    // Only the owning county may take the next step.
    let m = invalid(ops::submit(&mut city, &city_unit, &id, 2, &submit_req("2026-09-20", "已宣布")));
    assert!(m.contains("五华区"), "{m}");
    // The city's own board lists only what it owns.
    assert!(query::board(&city, &city_unit, &BoardFilter::default()).unwrap().rows.is_empty());

    // Item 2 is submitted at the county; then the hub hands the decision to the city.
    ops::submit(&mut county, &unit, &id, 2, &submit_req("2026-09-20", "已宣布")).unwrap();
    assert_eq!(query::review_queue(&county, &trial).unwrap().len(), 1);
    let before_change = county.outbox(0, 100_000).unwrap();
    let cut = before_change.last().unwrap().seq;
    let late: Vec<_> = before_change.into_iter().filter(|e| !kind::is_office_private(&e.kind)).collect();
    city.ingest_remote(&late, 2).unwrap();
    let aggregate = format!("penalty:{id}");
    let mut change = qingfeng_core::events::Event {
        id: "0190a000-0000-7000-8000-000000000001".into(),
        origin_office: "hub".into(),
        origin_device: "hub-test".into(),
        seq: 1,
        hlc: 1_790_000_000_000u64 << 16,
        actor: "hub".into(),
        kind: kind::OWNERSHIP_CHANGED.into(),
        aggregate: aggregate.clone(),
        payload: qingfeng_core::encoding::to_canonical_cbor(&qingfeng_core::projector::OwnershipChanged {
            aggregate,
            from_office: "530102".into(),
            to_office: "530100".into(),
            epoch: 2,
            reason: "report_upward".into(),
            offer_event: "offer".into(),
            cut: vec![(county.device_id().to_owned(), cut)],
        })
        .unwrap(),
        prev: qingfeng_core::events::GENESIS,
        hash: [0; 32],
    };
    change.hash = change.body().hash_with(&mut Vec::new());
    county.ingest_remote(std::slice::from_ref(&change), 3).unwrap();
    city.ingest_remote(std::slice::from_ref(&change), 3).unwrap();

    // The decision, its light and its waiting item leave the county's board and queue with it,
    // and arrive at the city's.
    assert!(query::board(&county, &unit, &BoardFilter::default()).unwrap().rows.is_empty());
    assert_eq!(query::board(&county, &unit, &BoardFilter::default()).unwrap().counts, LightCounts::default());
    assert!(query::review_queue(&county, &trial).unwrap().is_empty());
    let city_board = query::board(&city, &city_unit, &BoardFilter::default()).unwrap();
    assert_eq!(city_board.rows.len(), 1);
    assert_eq!(city_board.rows[0].current.as_ref().unwrap().ord, 2);
    let city_trial = common::officer(&mut city, "shenli", Role::Trial);
    assert_eq!(query::review_queue(&city, &city_trial).unwrap().len(), 1);
}

#[test]
fn the_board_light_follows_a_moved_deadline() {
    let mut o = office();
    let mut form = decision("县纪处〔2026〕12号");
    form.party_penalty = Some(PartyPenalty::RemovalFromPost);
    form.decision_date = "2026-08-03".into();
    form.approval_date = Some("2026-08-03".into());
    let id = ops::register(&mut o.f.store, &o.anguan, &form).unwrap();
    for ord in 1..=3 {
        ops::submit(&mut o.f.store, &o.anguan, &id, ord, &submit_req("2026-09-20", "已办理")).unwrap();
        ops::approve(&mut o.f.store, &o.shenli, &id, ord, "", None).unwrap();
    }
    // Item 4 (post and pay) was due a month after the decision: red on the board.
    o.clock.advance(Duration::days(10));
    let red = |o: &Office| {
        query::board(&o.f.store, &o.anguan, &BoardFilter { light: Some(Light::Red), ..Default::default() })
            .unwrap()
            .rows
            .len()
    };
    assert_eq!(red(&o), 1);
    // Extended to six months with approval, the same item is no longer overdue.
    ops::extend(&mut o.f.store, &o.anguan, &id, 4, 6, "县委组织部批复〔2026〕5号").unwrap();
    assert_eq!(red(&o), 0);
    let board = query::board(&o.f.store, &o.anguan, &BoardFilter::default()).unwrap();
    assert_eq!(board.rows[0].current.as_ref().unwrap().due.as_deref(), Some("2027-02-03"));
    assert_eq!(board.rows[0].light, Some(Light::Green));
    assert_eq!(board.counts, LightCounts { green: 1, yellow: 0, red: 0 });
    // The unit and text filters find it by part of a name, and nothing else.
    let count = |f: BoardFilter| query::board(&o.f.store, &o.anguan, &f).unwrap().rows.len();
    assert_eq!(count(BoardFilter { unit: Some("住建".into()), ..Default::default() }), 1);
    assert_eq!(count(BoardFilter { unit: Some("教育".into()), ..Default::default() }), 0);
    assert_eq!(count(BoardFilter { text: Some("甄某".into()), ..Default::default() }), 1);
    assert_eq!(count(BoardFilter { text: Some("〔2026〕12".into()), ..Default::default() }), 1);
    assert_eq!(count(BoardFilter { text: Some("李某".into()), ..Default::default() }), 0);
    // The plain board counts lights by index ranges, a filtered one row by row: the same answer,
    // also with more than one light on the board (a second decision for the same person, whose
    // post-and-pay item is overdue).
    let filtered =
        query::board(&o.f.store, &o.anguan, &BoardFilter { text: Some("甄某".into()), ..Default::default() });
    assert_eq!(filtered.unwrap().counts, board.counts);
    let mut second = form.clone();
    second.decision_number = "县纪处〔2026〕13号".into();
    let second = ops::register(&mut o.f.store, &o.anguan, &second).unwrap();
    for ord in 1..=3 {
        ops::submit(&mut o.f.store, &o.anguan, &second, ord, &submit_req("2026-09-20", "已办理")).unwrap();
        ops::approve(&mut o.f.store, &o.shenli, &second, ord, "", None).unwrap();
    }
    let board = query::board(&o.f.store, &o.anguan, &BoardFilter::default()).unwrap();
    assert_eq!(board.counts, LightCounts { green: 1, yellow: 0, red: 1 });
    let filtered =
        query::board(&o.f.store, &o.anguan, &BoardFilter { text: Some("甄某".into()), ..Default::default() });
    assert_eq!(filtered.unwrap().counts, board.counts);
    // A rebuild from the log gives the board the same copies.
    o.f.store.rebuild().unwrap();
    assert_eq!(query::board(&o.f.store, &o.anguan, &BoardFilter::default()).unwrap(), board);
}

/// DOMAIN.md §3: an item turns yellow when its deadline is 5 days away — calendar days, not
/// working days — and the board, which counts lights in SQL, agrees with the page.
#[test]
fn an_item_turns_yellow_five_calendar_days_before_its_deadline() {
    let mut o = office();
    // Tuesday 2026-10-20: the decision is entered today, so no item is idle.
    o.clock.advance(Duration::days(22));
    let mut form = decision("县纪处〔2026〕21号");
    form.decision_date = "2026-09-25".into();
    form.approval_date = Some("2026-09-25".into());
    let id = ops::register(&mut o.f.store, &o.anguan, &form).unwrap();
    let page = |o: &Office| query::show(&o.f.store, &o.anguan, &id).unwrap().items[0].clone();
    let board = |o: &Office| query::board(&o.f.store, &o.anguan, &BoardFilter::default()).unwrap();
    assert_eq!(page(&o).due.as_deref(), Some("2026-10-26"));
    // Six days before the deadline (though only four working days): green, on the page and the
    // board alike.
    assert_eq!(page(&o).light, Some(Light::Green));
    assert_eq!(board(&o).counts, LightCounts { green: 1, yellow: 0, red: 0 });
    assert_eq!(board(&o).rows[0].light, Some(Light::Green));
    // Five days before: yellow.
    o.clock.advance(Duration::days(1));
    assert_eq!(page(&o).light, Some(Light::Yellow));
    assert_eq!(board(&o).counts, LightCounts { green: 0, yellow: 1, red: 0 });
    let filtered =
        query::board(&o.f.store, &o.anguan, &BoardFilter { text: Some("甄某".into()), ..Default::default() });
    assert_eq!(filtered.unwrap().counts, board(&o).counts);
}

/// The page offers each viewer exactly the steps the workflow allows them, and says who acts next
/// when they may not; the board and the person's page say whether the viewer may enter one.
#[test]
fn pages_offer_each_viewer_the_workflows_steps() {
    use qingfeng_core::penalty::workflow::ItemStep;
    let mut o = office();
    let mut form = decision("县纪处〔2026〕22号");
    form.confiscate = Some("500".into());
    let id = ops::register(&mut o.f.store, &o.anguan, &form).unwrap();
    let item = |o: &Office, who: &Actor, ord: usize| query::show(&o.f.store, who, &id).unwrap().items[ord].clone();
    assert_eq!(item(&o, &o.anguan, 0).steps, [ItemStep::Submit]);
    assert_eq!(item(&o, &o.anguan, 0).waiting, None);
    assert!(item(&o, &o.shenli, 0).steps.is_empty());
    assert_eq!(
        item(&o, &o.shenli, 0).waiting.as_deref(),
        Some("待责任单位办理后，由案件监督管理室提交办理情况和证明材料。")
    );
    assert!(item(&o, &o.anguan, 1).steps.is_empty(), "item 2 waits for item 1");
    ops::submit(&mut o.f.store, &o.both, &id, 1, &submit_req("2026-09-20", "已送达")).unwrap();
    assert_eq!(item(&o, &o.shenli, 0).steps, [ItemStep::Approve, ItemStep::Reject]);
    assert!(item(&o, &o.both, 0).steps.is_empty(), "the submitter may not review");
    assert!(item(&o, &o.both, 0).waiting.unwrap().contains("本人提交"));
    assert_eq!(item(&o, &o.anguan, 0).waiting.as_deref(), Some("已提交，等待案件审理室审核。"));
    // The payment item takes payments at once; while money is due, the page says why submitting
    // would be refused.
    let d = query::show(&o.f.store, &o.anguan, &id).unwrap();
    let money = d.items.iter().find(|i| i.payment).unwrap();
    assert_eq!(money.steps, [ItemStep::RecordPayment]);
    for ord in 1..money.ord {
        if ord > 1 {
            ops::submit(&mut o.f.store, &o.anguan, &id, ord, &submit_req("2026-09-20", "已办理")).unwrap();
        }
        ops::approve(&mut o.f.store, &o.shenli, &id, ord, "", None).unwrap();
    }
    let money = item(&o, &o.anguan, money.ord as usize - 1);
    assert_eq!(money.steps, [ItemStep::Submit, ItemStep::RecordPayment]);
    assert!(money.blocked.unwrap().contains("尚余 500.00 元未缴清"));
    let may = |who: &Actor| query::board(&o.f.store, who, &BoardFilter::default()).unwrap().may_register;
    assert!(may(&o.anguan) && may(&o.shenli) && !may(&o.jiancha));
    let person = |who: &Actor| query::person(&o.f.store, who, "甄某某", "某县住建局").unwrap().may_record_benefit;
    assert!(person(&o.anguan) && !person(&o.shenli));
}
