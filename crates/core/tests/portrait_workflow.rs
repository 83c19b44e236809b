//! The rules of integrity files and integrity opinions (issue #19 item 1) as tables, in given /
//! when / then form and without a database, like `penalty_workflow.rs`: given a request's events,
//! when a post takes a step, then these events or this refusal; the steps offered (`allowed`) are
//! exactly those the check lets through. Further tables cover matches, what the records say about
//! a person (findings) and the conclusion proposed from them, what a reply may not carry, bad
//! input at registration, the reply deadline and the unit score.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use qingfeng_core::api::RoleGrant;
use qingfeng_core::authz::{Actor, Principal};
use qingfeng_core::complaints::ComplaintStatus;
use qingfeng_core::deadlines::{DeadlineKind, Rule};
use qingfeng_core::identity::Role;
use qingfeng_core::penalty::model::InfluencePeriod;
use qingfeng_core::portrait::events::OpinionEvent;
use qingfeng_core::portrait::score::{self, Band, Counts, Rules};
use qingfeng_core::portrait::workflow::{
    self, CadreCandidate, CadreLookups, ComplaintFact, Duty, MatchState, MatchStep, NewOpinion, Opinion,
    OpinionCommand, OpinionStep, PenaltyFact, RecordMatch, Secret,
};
use qingfeng_core::portrait::*;
use qingfeng_core::{CoreError, Result};

const HERE: &str = "530102";

fn today() -> NaiveDate {
    d("2026-09-28")
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const POSTS: [&str; 8] =
    ["admin", "petitions", "supervision", "investigation", "case_management", "trial", "leader", "leader2"];

fn officer(id: &str, roles: &[Role]) -> Actor {
    Actor::User(Principal {
        user_id: id.into(),
        username: id.into(),
        display_name: id.into(),
        office_code: HERE.into(),
        grants: roles.iter().map(|&role| RoleGrant { office_code: HERE.into(), role }).collect(),
        session_id: String::new(),
    })
}

/// One officer per post; `leader2` is a leader who also holds 监督检查室 and submitted the request
/// under test, so may not approve it.
fn post(name: &str) -> Actor {
    match name {
        "leader2" => officer("leader2", &[Role::Leader, Role::Supervision]),
        other => officer(other, &[Role::parse(other).unwrap()]),
    }
}

/// The cadre list, from memory.
struct Memory(Vec<(String, String, CadreCandidate)>);

impl CadreLookups for Memory {
    fn cadres_named(&self, name: &str, unit: &str) -> Result<Vec<CadreCandidate>> {
        Ok(self.0.iter().filter(|(n, u, _)| n == name && u == unit).map(|(_, _, c)| c.clone()).collect())
    }
}

fn person(name: &str, unit: &str) -> CadreForm {
    CadreForm { name: name.into(), unit: unit.into(), post: "副局长".into(), id_number: None }
}

fn request(persons: Vec<CadreForm>) -> OpinionRequestForm {
    OpinionRequestForm {
        requester: "中共某某县委组织部".into(),
        request_ref: "县组函〔2026〕15号".into(),
        purpose: Purpose::Promotion,
        purpose_note: String::new(),
        received_date: "2026-09-25".into(),
        reply_working_days: None,
        persons,
    }
}

fn register(form: &OpinionRequestForm, held: &Memory) -> Result<Vec<events::IntegrityEvent>> {
    let mut n = 0;
    let mut ids = || {
        n += 1;
        format!("c{n}")
    };
    let new = NewOpinion { id: "r1", office: HERE, today: today(), default_reply_days: 10 };
    workflow::register_opinion(new, &post("supervision"), form, held, &mut ids)
}

fn requested() -> OpinionRequested {
    let events =
        register(&request(vec![person("张三", "县住建局"), person("李四", "县交通局")]), &Memory(vec![])).unwrap();
    match events.last().unwrap() {
        events::IntegrityEvent::Opinion(OpinionEvent::Requested(p)) => p.clone(),
        other => panic!("expected opinion.requested, got {other:?}"),
    }
}

/// A request in the given state, folded from its events; `submitter` submitted it.
fn given(status: OpinionStatus, submitter: &str) -> Opinion {
    let mut o = Opinion::registered(&requested()).unwrap();
    let submit = OpinionEvent::Submitted(OpinionSubmitted {
        request_id: "r1".into(),
        date: "2026-09-28".into(),
        persons: vec![
            SubmittedConclusion {
                ord: 1, text: "经查，未发现张三同志有违纪违法问题。".into(), findings: vec![]
            },
            SubmittedConclusion {
                ord: 2, text: "经查，未发现李四同志有违纪违法问题。".into(), findings: vec![]
            },
        ],
    });
    let decided = OpinionDecided { request_id: "r1".into(), date: "2026-09-28".into(), note: String::new() };
    let replied = OpinionEvent::Replied(OpinionReplied {
        request_id: "r1".into(),
        date: "2026-09-29".into(),
        number: "五纪廉〔2026〕1号".into(),
        document_id: "doc1".into(),
    });
    let steps: Vec<OpinionEvent> = match status {
        OpinionStatus::Draft => vec![],
        OpinionStatus::Submitted => vec![submit],
        OpinionStatus::Approved => vec![submit, OpinionEvent::Approved(decided)],
        OpinionStatus::Replied => vec![submit, OpinionEvent::Approved(decided), replied],
    };
    for e in &steps {
        o.apply(submitter, e).unwrap();
    }
    for p in &mut o.persons {
        p.submitted = p.submitted.as_ref().map(|_| p.finding_refs());
    }
    o
}

fn command(step: OpinionStep) -> OpinionCommand {
    match step {
        OpinionStep::Edit => {
            OpinionCommand::Edit { ord: 1, text: "经查，未发现张三同志有违纪违法问题。".into() }
        }
        OpinionStep::Submit => OpinionCommand::Submit,
        OpinionStep::Approve => OpinionCommand::Approve { note: "同意".into() },
        OpinionStep::Return => OpinionCommand::Return { note: "请补充核查".into() },
        OpinionStep::Reply => {
            OpinionCommand::Reply { number: "五纪廉〔2026〕1号".into(), document_id: "doc1".into() }
        }
    }
}

/// `ok` (the step's event kind), `forbidden`, or a fragment of the Chinese refusal.
type Row = (OpinionStatus, OpinionStep, [&'static str; 8]);

const F: &str = "forbidden";

#[test]
fn opinion_request_table() {
    use OpinionStatus as S;
    use OpinionStep as T;
    let handlers = |ok: &'static str| [F, F, ok, F, ok, F, F, ok];
    let leaders = |ok: &'static str, own: &'static str| [F, F, F, F, F, F, ok, own];
    let table: &[Row] = &[
        (S::Draft, T::Edit, handlers("opinion.conclusion_edited")),
        (S::Draft, T::Submit, handlers("opinion.submitted")),
        (S::Draft, T::Approve, leaders("不能审批", "不能审批")),
        (S::Draft, T::Return, leaders("不能退回", "不能退回")),
        (S::Draft, T::Reply, handlers("不能签发回复")),
        (S::Submitted, T::Edit, handlers("不能修改结论")),
        (S::Submitted, T::Submit, handlers("不能提交审批")),
        (S::Submitted, T::Approve, leaders("opinion.approved", "须由其他领导审批")),
        (S::Submitted, T::Return, leaders("opinion.returned", "须由其他领导审批")),
        (S::Submitted, T::Reply, handlers("不能签发回复")),
        (S::Approved, T::Edit, handlers("领导已批准")),
        (S::Approved, T::Approve, leaders("不能审批", "不能审批")),
        (S::Approved, T::Reply, handlers("opinion.replied")),
        (S::Replied, T::Edit, handlers("已办结")),
        (S::Replied, T::Reply, handlers("已办结")),
        (S::Replied, T::Return, leaders("不能退回", "不能退回")),
    ];
    for (status, step, expected) in table {
        let state = given(*status, "leader2");
        for (p, want) in POSTS.iter().zip(expected) {
            let actor = post(p);
            let got = workflow::decide(&state, HERE, &actor, &command(*step), today());
            let at = format!("given {status:?}, when {p} takes {step:?}");
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
            // The steps offered are exactly those the check lets through.
            let offered = workflow::allowed(&state, HERE, &actor).contains(step);
            assert_eq!(offered, workflow::check(Some(&state), HERE, &actor, *step).is_ok(), "{at}: allowed");
        }
    }
}

#[test]
fn a_person_named_twice_is_refused_with_the_line_numbers() {
    let held = Memory(vec![]);
    let twice = request(vec![person("张三", "县住建局"), person("李四", "县交通局"), person("张 三", " 县住建局 ")]);
    let e = register(&twice, &held).unwrap_err().to_string();
    assert!(e.contains("第 3 人") && e.contains("第 1 人") && e.contains("重复"), "{e}");

    // The same ID number under two spellings of the name is one person too.
    let mut a = person("王五", "县财政局");
    a.id_number = Some("11010519491231002X".into());
    let mut b = person("王伍", "县财政局");
    b.id_number = Some("１１０１０５１９４９１２３１００２ｘ".into());
    let e = register(&request(vec![a.clone(), b]), &held).unwrap_err().to_string();
    assert!(e.contains("第 2 人") && e.contains("重复"), "{e}");

    // Two people of one name told apart by their ID numbers are two lines.
    let mut c = person("王五", "县财政局");
    c.id_number = Some("110105194912310021".into());
    let e = register(&request(vec![a.clone(), c]), &held).unwrap_err().to_string();
    assert!(e.contains("校验位"), "a wrong check digit is named: {e}");
}

#[test]
fn bad_requests_are_refused_in_chinese() {
    let held = Memory(vec![]);
    let cases: Vec<(OpinionRequestForm, &str)> = vec![
        (request(vec![]), "至少填写一名"),
        (
            OpinionRequestForm {
                received_date: "2026-10-05".into(), ..request(vec![person("张三", "县住建局")])
            },
            "晚于今天",
        ),
        (
            OpinionRequestForm {
                received_date: "2026-13-01".into(), ..request(vec![person("张三", "县住建局")])
            },
            "收函日期",
        ),
        (OpinionRequestForm { purpose: Purpose::Other, ..request(vec![person("张三", "县住建局")]) }, "具体事项"),
        (OpinionRequestForm { requester: " ".into(), ..request(vec![person("张三", "县住建局")]) }, "来函单位"),
        (request(vec![person("张三", "")]), "第 1 人单位"),
        (OpinionRequestForm { reply_working_days: Some(0), ..request(vec![person("张三", "县住建局")]) }, "1 到 60"),
        (request((0..201).map(|i| person(&format!("干部{i}"), "县住建局")).collect()), "最多回复 200 人"),
    ];
    for (form, want) in cases {
        let e = register(&form, &held).unwrap_err();
        assert!(matches!(e, CoreError::Invalid(_)), "{want}: {e:?}");
        assert!(e.to_string().contains(want), "expected “{want}” in “{e}”");
    }
}

#[test]
fn persons_already_held_are_resolved_and_new_ones_registered() {
    let held = Memory(vec![(
        "张三".into(),
        "县住建局".into(),
        CadreCandidate { id: "held1".into(), post: "副局长".into(), id_masked: None },
    )]);
    let events = register(&request(vec![person("张三", "县住建局"), person("李四", "县交通局")]), &held).unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind()).collect();
    assert_eq!(kinds, ["cadre.registered", "opinion.requested"], "only 李四 is new");
    let events::IntegrityEvent::Opinion(OpinionEvent::Requested(p)) = events.last().unwrap() else { panic!() };
    assert_eq!(p.persons[0].cadre_id, "held1");
    assert_eq!(p.reply_rule, "working_days:10", "the office default is carried in the event");

    // Two held cadres of one name and unit and post cannot be told apart without an ID number.
    let two = Memory(vec![
        ("张三".into(), "县住建局".into(), CadreCandidate { id: "a".into(), post: "副局长".into(), id_masked: None }),
        ("张三".into(), "县住建局".into(), CadreCandidate { id: "b".into(), post: "副局长".into(), id_masked: None }),
    ]);
    let e = register(&request(vec![person("张三", "县住建局")]), &two).unwrap_err().to_string();
    assert!(e.contains("身份证号"), "{e}");
}

#[test]
fn match_table() {
    let states = [
        (MatchState::Suggested, ["ok", "ok"]),
        (MatchState::Confirmed, ["已确认为本人", "ok"]),
        (MatchState::Split, ["ok", "已分开"]),
        (
            MatchState::ConfirmedElsewhere { name: "张三".into(), unit: "县教育局".into() },
            ["县教育局张三", "不在本人档案"],
        ),
    ];
    for (state, expected) in states {
        let m = RecordMatch { cadre_id: "c1".into(), record: "penalty:p1".into(), state: state.clone() };
        for (step, want) in MatchStep::ALL.into_iter().zip(expected) {
            for p in POSTS {
                let actor = post(p);
                let got = workflow::decide_match(&m, HERE, &actor, step, "出生年月不同", today());
                let keeps = ["supervision", "case_management", "leader2"].contains(&p);
                let at = format!("{state:?} {step:?} by {p}");
                match (keeps, want, got) {
                    (false, _, Err(CoreError::Forbidden { .. })) => {}
                    (true, "ok", Ok(_)) => {}
                    (true, w, Err(e)) if w != "ok" => assert!(e.to_string().contains(w), "{at}: {e}"),
                    (_, _, other) => panic!("{at}: unexpected {other:?}"),
                }
                assert_eq!(
                    workflow::allowed_match(&m, HERE, &actor).contains(&step),
                    workflow::check_match(&m, HERE, &actor, step).is_ok(),
                    "{at}"
                );
            }
        }
    }
    // Splitting needs a reason.
    let m = RecordMatch { cadre_id: "c1".into(), record: "penalty:p1".into(), state: MatchState::Suggested };
    let e = workflow::decide_match(&m, HERE, &post("supervision"), MatchStep::Split, " ", today()).unwrap_err();
    assert!(e.to_string().contains("请说明为何不是本人"), "{e}");
}

fn complaint(status: ComplaintStatus, confirmed: bool) -> ComplaintFact {
    ComplaintFact {
        record: "complaint:k1#1".into(),
        number: "2026-0042".into(),
        status,
        received_date: "2026-08-01".into(),
        confirmed,
        cleared: false,
    }
}

fn penalty(start: &str, end: &str, label: &str) -> PenaltyFact {
    PenaltyFact {
        record: "penalty:p1".into(),
        decision_number: "五纪发〔2026〕3号".into(),
        label: label.into(),
        decision_date: start.into(),
        periods: vec![InfluencePeriod {
            system: "party".into(),
            penalty: "warning".into(),
            label: "党内警告".into(),
            start: start.into(),
            months: Some(12),
            end: Some(end.into()),
            permanent: false,
        }],
        confirmed: true,
    }
}

/// Complaints, penalties, the purpose, and fragments the conclusion must contain.
type FindingsRow = (Vec<ComplaintFact>, Vec<PenaltyFact>, Purpose, Vec<&'static str>);

#[test]
fn findings_and_the_proposed_conclusion() {
    use ComplaintStatus as C;
    // (complaints, penalties, purpose, expected fragments of the conclusion)
    let rows: Vec<FindingsRow> = vec![
        (vec![], vec![], Purpose::Promotion, vec!["截至2026年9月28日，未发现张三同志有违纪违法问题。"]),
        (
            vec![complaint(C::Registered, true)],
            vec![],
            Purpose::Promotion,
            vec!["信访举报正在办理", "不宜提拔或者进一步使用"],
        ),
        (vec![complaint(C::Verification, true)], vec![], Purpose::Award, vec!["问题线索正在核查处置", "不宜评先评优"]),
        (
            vec![complaint(C::CaseFiled, true)],
            vec![],
            Purpose::Nomination,
            vec!["正在接受审查调查", "不宜作为推荐提名人选"],
        ),
        (vec![complaint(C::Concluded, true)], vec![], Purpose::Promotion, vec!["未发现", "信访举报1件，均已办结"]),
        // A suggestion nobody confirmed is not in the conclusion (submission is refused until it is).
        (vec![complaint(C::Registered, false)], vec![], Purpose::Promotion, vec!["未发现张三同志"]),
        (
            vec![],
            vec![penalty("2026-03-05", "2027-03-04", "党内警告")],
            Purpose::Promotion,
            vec!["尚在处分影响期内（至2027年3月4日）", "不宜提拔"],
        ),
        (
            vec![],
            vec![penalty("2024-03-05", "2025-03-04", "党内警告")],
            Purpose::Promotion,
            vec!["未发现", "曾于2024年3月5日受到党内警告处分，影响期已满"],
        ),
    ];
    for (i, (complaints, penalties, purpose, want)) in rows.into_iter().enumerate() {
        let found = workflow::findings(&complaints, &penalties, purpose, today());
        let text = workflow::propose("张三", purpose, "", &found, today());
        for w in want {
            assert!(text.contains(w), "row {i}: expected “{w}” in “{text}”");
        }
        assert!(!text.contains("2026-0042"), "row {i}: a complaint's number never reaches the reply: {text}");
    }
}

#[test]
fn submission_waits_for_every_suggestion_and_conclusions_never_reveal_a_reporter() {
    let mut o = given(OpinionStatus::Draft, "x");
    o.persons[0].findings =
        workflow::findings(&[complaint(ComplaintStatus::Registered, false)], &[], Purpose::Promotion, today());
    let e = workflow::decide(&o, HERE, &post("supervision"), &OpinionCommand::Submit, today()).unwrap_err();
    assert!(e.to_string().contains("张三（1 条）") && e.to_string().contains("确认或分开"), "{e}");

    o.persons[0].findings.clear();
    o.persons[0].secrets =
        vec![Secret::Reporter("赵六".into()), Secret::Content("反映张三在工程招标中收受承包商红包两万元".into())];
    for (text, what) in [
        ("经查，赵六反映的问题正在核查，不宜提拔。", "检举控告人"),
        ("经查，有反映其在工程招标中收受承包商红包的问题，不宜提拔。", "具体内容"),
    ] {
        let e = workflow::decide(
            &o,
            HERE,
            &post("supervision"),
            &OpinionCommand::Edit { ord: 1, text: text.into() },
            today(),
        )
        .unwrap_err();
        assert!(e.to_string().contains(what), "{text}: {e}");
    }
    // A stock phrase is not content.
    assert!(
        workflow::decide(
            &o,
            HERE,
            &post("supervision"),
            &OpinionCommand::Edit {
                ord: 1,
                text: "经查，有反映其问题的信访举报正在办理的情况，不宜提拔或者进一步使用。".into()
            },
            today()
        )
        .is_ok()
    );
}

#[test]
fn approval_is_refused_when_the_findings_changed_after_submission() {
    let mut o = given(OpinionStatus::Submitted, "supervision");
    o.persons[1].findings =
        workflow::findings(&[complaint(ComplaintStatus::Registered, true)], &[], Purpose::Promotion, today());
    let e = workflow::decide(&o, HERE, &post("leader"), &OpinionCommand::Approve { note: String::new() }, today())
        .unwrap_err();
    assert!(e.to_string().contains("李四") && e.to_string().contains("退回"), "{e}");
    assert!(
        workflow::decide(&o, HERE, &post("leader"), &OpinionCommand::Return { note: "新收到举报".into() }, today())
            .is_ok()
    );
}

#[test]
fn the_reply_deadline_is_opened_by_the_request_and_closed_by_the_reply() {
    let p = requested();
    let duties = workflow::duties(&OpinionEvent::Requested(p)).unwrap();
    assert_eq!(
        duties,
        vec![Duty::Open {
            id: "opinion_reply:r1".into(),
            kind: DeadlineKind::OpinionReply,
            rule: Rule::WorkingDays(10),
            start: d("2026-09-25"),
        }]
    );
    let replied = OpinionEvent::Replied(OpinionReplied {
        request_id: "r1".into(),
        date: "2026-09-30".into(),
        number: "n".into(),
        document_id: "d".into(),
    });
    assert_eq!(
        workflow::duties(&replied).unwrap(),
        vec![Duty::Close { id: "opinion_reply:r1".into(), status: "done", date: "2026-09-30".into() }]
    );
}

#[test]
fn unit_scores_follow_the_configured_rules() {
    let rules = Rules {
        window_months: 36,
        penalty: 5,
        penalty_heavy: 10,
        overdue_rectification: 3,
        repeat_complaint: 2,
        late_feedback: 2,
        band_green: 90,
        band_yellow: 80,
        band_orange: 70,
    };
    let rows = [
        (Counts::default(), 100, Band::Green),
        (Counts { penalties: 2, ..Counts::default() }, 90, Band::Green),
        (Counts { penalties: 1, overdue_rectifications: 2, ..Counts::default() }, 89, Band::Yellow),
        (Counts { heavy_penalties: 2, repeat_complaints: 1, ..Counts::default() }, 78, Band::Orange),
        (Counts { heavy_penalties: 3, late_feedback: 1, ..Counts::default() }, 68, Band::Red),
        (Counts { heavy_penalties: 30, ..Counts::default() }, 0, Band::Red),
    ];
    for (counts, want, band) in rows {
        let p = score::score(&counts, &rules);
        assert_eq!((p.score, p.band), (want, band), "{counts:?}");
        assert_eq!(p.deductions.iter().map(|d| d.points).sum::<u32>().min(100), 100 - want);
    }
    // A rule an office sets to 0 deducts nothing.
    let lenient = Rules { repeat_complaint: 0, ..rules };
    assert_eq!(score::score(&Counts { repeat_complaints: 9, ..Counts::default() }, &lenient).score, 100);
}

#[test]
fn the_reform_by_case_template_shipped_in_migration_0016_parses() {
    // Reform by case (以案促改, item 3) runs on the existing checklist engine: its template is data
    // in the migration and must parse as every built-in template does.
    use qingfeng_core::penalty::template::Template;
    let sql = include_str!("../../../migrations/0016_integrity_supervision.sql");
    let rest = &sql[sql.find("'{\"id\":\"rectification.reform_by_case\"").unwrap() + 1..];
    let t = Template::parse(&rest[..rest.find("}'").unwrap() + 1]).unwrap();
    assert_eq!(t.id, "rectification.reform_by_case");
    assert_eq!(t.items.len(), 5);
}
