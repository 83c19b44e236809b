//! The rules of penalty decisions and rectification lists as tables, in given / when / then form
//! and without a database (cqrs-es's `TestFramework` is the model): given the events so far, when
//! a post takes a step, then these events — or this refusal. One table per aggregate covers every
//! step from every state for every post; the steps the workflow offers (`allowed`) must be exactly
//! those its check lets through; further tables cover what each event opens and closes, what an
//! officer may enter, influence periods and lights, each rule with its basis.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use qingfeng_core::api::RoleGrant;
use qingfeng_core::authz::{Actor, Principal};
use qingfeng_core::deadlines::{DeadlineKind, Light, Rule};
use qingfeng_core::identity::Role;
use qingfeng_core::penalty::events::ChecklistEvent;
use qingfeng_core::penalty::template::Template;
use qingfeng_core::penalty::workflow::{
    self, Checklist, Command, Duty, ItemStep, Lookups, NewPenalty, NewRectification, Owner, Submission,
};
use qingfeng_core::penalty::*;
use qingfeng_core::{CoreError, Result};

const HERE: &str = "530102";
const TODAY: &str = "2026-09-28";

fn today() -> NaiveDate {
    d(TODAY)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

// ---------------------------------------------------------------------------------------------
// The framework: posts, givens, when, then.

/// The columns of every table: one officer per post of the office, and one more who holds both
/// 案件监督管理室 and 案件审理室 and submitted the item under test (so may not review it).
const POSTS: [&str; 8] =
    ["admin", "petitions", "supervision", "investigation", "case_management", "trial", "leader", "submitter"];

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

fn post(name: &str) -> Actor {
    match name {
        "submitter" => officer("submitter", &[Role::CaseManagement, Role::Trial]),
        other => officer(other, &[Role::parse(other).unwrap()]),
    }
}

fn submitter() -> Actor {
    post("submitter")
}

fn reviewer() -> Actor {
    post("trial")
}

/// The built-in checklist templates, read from the migrations that ship them.
fn builtin_templates() -> Vec<Template> {
    let sql = [
        include_str!("../../../migrations/0006_penalty.sql"),
        include_str!("../../../migrations/0016_integrity_supervision.sql"),
    ]
    .concat();
    sql.split("'{\"id\":")
        .skip(1)
        .map(|rest| {
            let body = format!("{{\"id\":{}", &rest[..rest.find("}'").unwrap() + 1]);
            Template::parse(&body).unwrap()
        })
        .collect()
}

/// What a registration looks up, answered from memory.
struct Memory {
    registered: Vec<(String, String)>,
}

impl Lookups for Memory {
    fn complaint_id(&self, id_or_number: &str) -> Result<Option<String>> {
        Ok((id_or_number == "530102-2026-00001").then(|| "c-1".to_owned()))
    }
    fn already_registered(&self, number: &str, person: &str) -> Result<bool> {
        Ok(self.registered.iter().any(|(n, p)| n == number && p == person))
    }
    fn penalty_templates(&self) -> Result<Vec<Template>> {
        Ok(builtin_templates().into_iter().filter(|t| t.scope == ChecklistScope::Penalty).collect())
    }
    fn influence_end_day_before(&self) -> Result<bool> {
        Ok(false)
    }
}

fn memory() -> Memory {
    Memory { registered: vec![] }
}

/// 撤销党内职务 with money to confiscate: items 1 送达, 2 宣布, 3 归档, 4 调整职务职级工资待遇 (extendable to 6
/// months), 5 年度考核, 6 收缴退赔 (1000.00 yuan), 7 三书, 8 回访, 9 恢复权利.
fn decision_form() -> RegisterPenalty {
    RegisterPenalty {
        person: PenaltyPerson {
            name: "甄某某".into(),
            unit: "某县住建局".into(),
            post: "副局长".into(),
            rank: String::new(),
            party_member: true,
            deputy: false,
            cppcc_member: false,
            non_party_cadre: false,
        },
        decision_number: "县纪处〔2026〕1号".into(),
        deciding_body: "某县纪委常委会".into(),
        party_penalty: Some(PartyPenalty::RemovalFromPost),
        probation_years: None,
        government_sanction: None,
        sanction_count: None,
        sanction_months: None,
        decision_date: "2026-09-01".into(),
        approval_date: Some("2026-09-03".into()),
        responsible_units: vec!["某县住建局".into()],
        confiscate: Some("1000".into()),
        repay: None,
        organisational_handling: None,
        complaint_id: None,
    }
}

fn register_decision(form: &RegisterPenalty) -> Result<ChecklistEvent> {
    let calendar = qingfeng_core::cal::Calendar::builtin();
    let new = NewPenalty { id: "p-1", office: HERE, today: today(), calendar: &calendar };
    workflow::register_penalty(new, &post("case_management"), form, &memory())
}

/// Two problems, to be done in order when `sequential`.
fn rectification_form(sequential: bool) -> RegisterRectification {
    let problem = |title: &str, due: &str| RectificationItemForm {
        title: title.into(),
        responsible_unit: "县交通局".into(),
        due_date: due.into(),
        measures: String::new(),
        max_score: None,
    };
    RegisterRectification {
        title: "2026 年巡察整改".into(),
        source: RectificationSource::InspectionTour,
        start_date: "2026-09-01".into(),
        items: vec![problem("公务用车管理不规范", "2026-11-30"), problem("招投标监管不到位", "2026-12-31")],
        template: None,
        responsible_unit: None,
        due_date: None,
        sequential,
        penalty_id: None,
    }
}

fn register_list(form: &RegisterRectification) -> Result<ChecklistEvent> {
    let new = NewRectification { id: "r-1", office: HERE, today: today() };
    workflow::register_rectification(new, &post("supervision"), form, None, None)
}

/// A state built the cqrs-es way: the events so far, folded.
#[derive(Clone)]
struct Given {
    state: Checklist,
}

impl Given {
    fn events(registration: ChecklistEvent) -> Given {
        Given { state: Checklist::registered(&registration).unwrap() }
    }

    /// The state after `actor` took `command` (which must succeed: givens are histories that
    /// happened).
    fn then(mut self, actor: &Actor, command: Command) -> Given {
        let events = workflow::decide(&self.state, HERE, actor, &command, today())
            .unwrap_or_else(|e| panic!("the given {command:?} was refused: {e}"));
        for e in &events {
            self.state.apply(actor.id(), e).unwrap();
        }
        self
    }

    fn submitted(self, ord: u32) -> Given {
        self.then(&submitter(), submit(ord))
    }

    fn approved(self, ord: u32) -> Given {
        self.submitted(ord).then(&reviewer(), Command::Approve { ord, note: "同意".into(), score: None })
    }

    fn handed_to(mut self, code: &str, name: &str) -> Given {
        self.state.owner = Some(Owner { code: code.into(), name: name.into() });
        self
    }
}

fn submit(ord: u32) -> Command {
    Command::Submit {
        ord,
        submission: Submission {
            date: TODAY.into(),
            note: "已办理".into(),
            measures: None,
            result: None,
            evidence: vec![],
        },
    }
}

/// The command a table's step stands for, with ordinary entries.
fn command(step: ItemStep, ord: u32) -> Command {
    match step {
        ItemStep::Submit => submit(ord),
        ItemStep::RecordPayment => {
            Command::RecordPayment { ord, amount: "100".into(), date: TODAY.into(), note: "票据 0001".into() }
        }
        ItemStep::Extend => {
            Command::Extend { ord, months: 6, approval_ref: "县委组织部批复〔2026〕5号".into() }
        }
        ItemStep::Approve => Command::Approve { ord, note: "同意".into(), score: None },
        ItemStep::Reject => Command::Reject { ord, note: "请补充材料".into() },
        ItemStep::Guide => Command::Guide { ord, text: "剖析原因要具体到各环节".into() },
    }
}

/// The event a step that succeeds must produce, written out from the command's entries.
fn expected(step: ItemStep, id: &str, ord: u32) -> (&'static str, serde_json::Value) {
    use serde_json::json;
    match step {
        ItemStep::Submit => (
            "checklist.item_submitted",
            json!({"checklist_id": id, "ord": ord, "date": TODAY, "note": "已办理", "measures": null, "result": null, "evidence": []}),
        ),
        ItemStep::RecordPayment => (
            "checklist.payment_recorded",
            json!({"checklist_id": id, "ord": ord, "date": TODAY, "amount": "100.00", "note": "票据 0001"}),
        ),
        ItemStep::Extend => (
            "checklist.item_extended",
            json!({"checklist_id": id, "ord": ord, "date": TODAY, "months": 6, "approval_ref": "县委组织部批复〔2026〕5号"}),
        ),
        ItemStep::Approve => (
            "checklist.item_approved",
            json!({"checklist_id": id, "ord": ord, "date": TODAY, "note": "同意", "score": null}),
        ),
        ItemStep::Reject => {
            ("checklist.item_rejected", json!({"checklist_id": id, "ord": ord, "date": TODAY, "note": "请补充材料"}))
        }
        ItemStep::Guide => (
            "checklist.guidance_given",
            json!({"checklist_id": id, "ord": ord, "date": TODAY, "text": "剖析原因要具体到各环节"}),
        ),
    }
}

fn payload_json(e: &ChecklistEvent) -> serde_json::Value {
    let new = e.encode("x").unwrap();
    qingfeng_core::encoding::from_cbor(&new.payload).unwrap()
}

/// One cell of a table:
/// - `ok`: the step produces its event;
/// - `post`: refused for the post (`authz`), the refusal naming the post needed;
/// - `!text`: refused by the check for the item's state (not offered), the refusal containing `text`;
/// - `?text`: offered (the check lets it through) but refused for what was entered or for the
///   money still due, the refusal containing `text`.
type Row = (&'static str, ItemStep, [&'static str; 8]);

/// Runs one table: every row's step on the item under test of the given state, for every post.
fn run_table(givens: &[(&str, Given, u32)], table: &[Row]) {
    let mut covered = std::collections::BTreeSet::new();
    for &(state_name, step, cells) in table {
        let (_, given, ord) =
            givens.iter().find(|g| g.0 == state_name).unwrap_or_else(|| panic!("no given {state_name}"));
        let ord = *ord;
        covered.insert((state_name, format!("{step:?}")));
        for (post_name, cell) in POSTS.iter().zip(cells) {
            let actor = post(post_name);
            let at = format!("given {state_name}, when {post_name} takes {step:?} on item {ord}");
            let outcome = workflow::decide(&given.state, HERE, &actor, &command(step, ord), today());
            let offered = workflow::allowed(&given.state, HERE, &actor).contains(&(ord, step));
            match (cell, outcome) {
                ("ok", Ok(events)) => {
                    let (kind, payload) = expected(step, &given.state.id, ord);
                    assert_eq!(events.len(), 1, "{at}");
                    assert_eq!(events[0].kind(), kind, "{at}");
                    assert_eq!(payload_json(&events[0]), payload, "{at}");
                    assert!(offered, "{at}: the step succeeds but is not offered");
                }
                ("post", Err(CoreError::Forbidden { .. })) => assert!(!offered, "{at}: offered to a post that may not"),
                (cell, Err(CoreError::Invalid(m))) if cell.starts_with('!') => {
                    assert!(m.contains(&cell[1..]), "{at}: refused with “{m}”, expected “{}”", &cell[1..]);
                    assert!(!offered, "{at}: offered though the check refuses it");
                }
                (cell, Err(CoreError::Invalid(m))) if cell.starts_with('?') => {
                    assert!(m.contains(&cell[1..]), "{at}: refused with “{m}”, expected “{}”", &cell[1..]);
                    assert!(offered, "{at}: the check lets it through, so it must be offered");
                }
                (cell, other) => panic!("{at}: expected {cell}, got {other:?}"),
            }
        }
    }
    // Every (state, step) of the givens appears in the table.
    for (state_name, ..) in givens {
        for step in ItemStep::ALL {
            assert!(
                covered.contains(&(*state_name, format!("{step:?}"))),
                "the table lacks given {state_name}, step {step:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The tables.

const P: &str = "post";

/// 处分决定执行 (DOMAIN.md §3): items run in order; 案件监督管理室 submits for the responsible unit,
/// records payments and approved extensions; 案件审理室 approves or rejects, never the officer who
/// submitted; money must be paid in full before the item is submitted; only the post-and-pay item
/// extends, up to 6 months (authz.rs, `PenaltyAct`).
#[test]
fn penalty_decision_table() {
    let fresh = Given::events(register_decision(&decision_form()).unwrap());
    let paying = fresh.clone().approved(1).approved(2).approved(3).approved(4).approved(5);
    let adjusting = fresh.clone().approved(1).approved(2).approved(3);
    let givens = [
        ("pending", fresh.clone(), 2),
        ("open", fresh.clone(), 1),
        ("submitted", fresh.clone().submitted(1), 1),
        (
            "rejected",
            fresh.clone().submitted(1).then(&reviewer(), Command::Reject { ord: 1, note: "请补充".into() }),
            1,
        ),
        ("approved", fresh.clone().approved(1), 1),
        ("unpaid", paying.clone(), 6),
        (
            "paid",
            paying.then(
                &submitter(),
                Command::RecordPayment { ord: 6, amount: "1000".into(), date: TODAY.into(), note: String::new() },
            ),
            6,
        ),
        ("extendable", adjusting.clone(), 4),
        ("extended", adjusting.then(&submitter(), command(ItemStep::Extend, 4)), 4),
        ("elsewhere", fresh.clone().handed_to("530100", "昆明市纪委监委"), 1),
    ];
    use ItemStep::*;
    let table: &[Row] = &[
        //                                admin petitions supervision investigation case_mgmt trial leader submitter
        ("pending", Submit, [P, P, P, P, "!须待前一项", P, P, "!须待前一项"]),
        ("pending", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("pending", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("pending", Approve, [P, P, P, P, P, "!不能审核", P, "!不能审核"]),
        ("pending", Reject, [P, P, P, P, P, "!不能驳回", P, "!不能驳回"]),
        ("open", Submit, [P, P, P, P, "ok", P, P, "ok"]),
        ("open", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("open", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("open", Approve, [P, P, P, P, P, "!不能审核", P, "!不能审核"]),
        ("open", Reject, [P, P, P, P, P, "!不能驳回", P, "!不能驳回"]),
        ("submitted", Submit, [P, P, P, P, "!正在等待审核", P, P, "!正在等待审核"]),
        ("submitted", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("submitted", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("submitted", Approve, [P, P, P, P, P, "ok", P, "!本人提交"]),
        ("submitted", Reject, [P, P, P, P, P, "ok", P, "!本人提交"]),
        ("rejected", Submit, [P, P, P, P, "ok", P, P, "ok"]),
        ("rejected", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("rejected", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("rejected", Approve, [P, P, P, P, P, "!不能审核", P, "!不能审核"]),
        ("rejected", Reject, [P, P, P, P, P, "!不能驳回", P, "!不能驳回"]),
        ("approved", Submit, [P, P, P, P, "!无需再办理", P, P, "!无需再办理"]),
        ("approved", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("approved", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("approved", Approve, [P, P, P, P, P, "!不能审核", P, "!不能审核"]),
        ("approved", Reject, [P, P, P, P, P, "!不能驳回", P, "!不能驳回"]),
        ("unpaid", Submit, [P, P, P, P, "?尚余 1000.00 元未缴清", P, P, "?尚余 1000.00 元未缴清"]),
        ("unpaid", RecordPayment, [P, P, P, P, "ok", P, P, "ok"]),
        ("unpaid", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("unpaid", Approve, [P, P, P, P, P, "!不能审核", P, "!不能审核"]),
        ("unpaid", Reject, [P, P, P, P, P, "!不能驳回", P, "!不能驳回"]),
        ("paid", Submit, [P, P, P, P, "ok", P, P, "ok"]),
        ("paid", RecordPayment, [P, P, P, P, "!已全部缴清", P, P, "!已全部缴清"]),
        ("paid", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("paid", Approve, [P, P, P, P, P, "!不能审核", P, "!不能审核"]),
        ("paid", Reject, [P, P, P, P, P, "!不能驳回", P, "!不能驳回"]),
        ("extendable", Submit, [P, P, P, P, "ok", P, P, "ok"]),
        ("extendable", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("extendable", Extend, [P, P, P, P, "ok", P, P, "ok"]),
        ("extendable", Approve, [P, P, P, P, P, "!不能审核", P, "!不能审核"]),
        ("extendable", Reject, [P, P, P, P, P, "!不能驳回", P, "!不能驳回"]),
        ("extended", Submit, [P, P, P, P, "ok", P, P, "ok"]),
        ("extended", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("extended", Extend, [P, P, P, P, "!不能再延长", P, P, "!不能再延长"]),
        ("extended", Approve, [P, P, P, P, P, "!不能审核", P, "!不能审核"]),
        ("extended", Reject, [P, P, P, P, P, "!不能驳回", P, "!不能驳回"]),
        // A decision handed to another office: only that office takes its steps (ownership.rs).
        ("elsewhere", Submit, ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"]),
        (
            "elsewhere",
            RecordPayment,
            ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"],
        ),
        ("elsewhere", Extend, ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"]),
        (
            "elsewhere",
            Approve,
            ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"],
        ),
        ("elsewhere", Reject, ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"]),
        // 指导意见 belong to rectification lists (以案促改); a decision's items are reviewed instead.
        ("pending", Guide, [P, P, P, P, P, "!指导意见用于整改清单", P, "!指导意见用于整改清单"]),
        ("open", Guide, [P, P, P, P, P, "!指导意见用于整改清单", P, "!指导意见用于整改清单"]),
        ("submitted", Guide, [P, P, P, P, P, "!指导意见用于整改清单", P, "!指导意见用于整改清单"]),
        ("rejected", Guide, [P, P, P, P, P, "!指导意见用于整改清单", P, "!指导意见用于整改清单"]),
        ("approved", Guide, [P, P, P, P, P, "!指导意见用于整改清单", P, "!指导意见用于整改清单"]),
        ("unpaid", Guide, [P, P, P, P, P, "!指导意见用于整改清单", P, "!指导意见用于整改清单"]),
        ("paid", Guide, [P, P, P, P, P, "!指导意见用于整改清单", P, "!指导意见用于整改清单"]),
        ("extendable", Guide, [P, P, P, P, P, "!指导意见用于整改清单", P, "!指导意见用于整改清单"]),
        ("extended", Guide, [P, P, P, P, P, "!指导意见用于整改清单", P, "!指导意见用于整改清单"]),
        ("elsewhere", Guide, ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"]),
    ];
    run_table(&givens, table);
}

/// 整改清单 (DOMAIN.md §4): the same item flow; 监督检查室 as well as 案件监督管理室 submits, and
/// 监督检查室 as well as 案件审理室 reviews (never the submitter); payments and extensions are
/// penalty items' steps, so a list offers them to nobody.
#[test]
fn rectification_list_table() {
    let in_order = Given::events(register_list(&rectification_form(true)).unwrap());
    let givens = [
        ("pending", in_order.clone(), 2),
        ("open", in_order.clone(), 1),
        ("submitted", in_order.clone().submitted(1), 1),
        (
            "rejected",
            in_order.clone().submitted(1).then(&reviewer(), Command::Reject { ord: 1, note: "请补充".into() }),
            1,
        ),
        ("approved", in_order.clone().approved(1), 1),
        ("elsewhere", in_order.clone().handed_to("530100", "昆明市纪委监委"), 1),
    ];
    use ItemStep::*;
    let table: &[Row] = &[
        //                             admin petitions supervision investigation case_mgmt trial leader submitter
        ("pending", Submit, [P, P, "!须待前一项", P, "!须待前一项", P, P, "!须待前一项"]),
        ("pending", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("pending", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("pending", Approve, [P, P, "!不能审核", P, P, "!不能审核", P, "!不能审核"]),
        ("pending", Reject, [P, P, "!不能驳回", P, P, "!不能驳回", P, "!不能驳回"]),
        ("open", Submit, [P, P, "ok", P, "ok", P, P, "ok"]),
        ("open", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("open", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("open", Approve, [P, P, "!不能审核", P, P, "!不能审核", P, "!不能审核"]),
        ("open", Reject, [P, P, "!不能驳回", P, P, "!不能驳回", P, "!不能驳回"]),
        ("submitted", Submit, [P, P, "!正在等待审核", P, "!正在等待审核", P, P, "!正在等待审核"]),
        ("submitted", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("submitted", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("submitted", Approve, [P, P, "ok", P, P, "ok", P, "!本人提交"]),
        ("submitted", Reject, [P, P, "ok", P, P, "ok", P, "!本人提交"]),
        ("rejected", Submit, [P, P, "ok", P, "ok", P, P, "ok"]),
        ("rejected", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("rejected", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("rejected", Approve, [P, P, "!不能审核", P, P, "!不能审核", P, "!不能审核"]),
        ("rejected", Reject, [P, P, "!不能驳回", P, P, "!不能驳回", P, "!不能驳回"]),
        ("approved", Submit, [P, P, "!无需再办理", P, "!无需再办理", P, P, "!无需再办理"]),
        ("approved", RecordPayment, [P, P, P, P, "!不涉及收缴", P, P, "!不涉及收缴"]),
        ("approved", Extend, [P, P, P, P, "!不能延长", P, P, "!不能延长"]),
        ("approved", Approve, [P, P, "!不能审核", P, P, "!不能审核", P, "!不能审核"]),
        ("approved", Reject, [P, P, "!不能驳回", P, P, "!不能驳回", P, "!不能驳回"]),
        ("elsewhere", Submit, ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"]),
        (
            "elsewhere",
            RecordPayment,
            ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"],
        ),
        ("elsewhere", Extend, ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"]),
        (
            "elsewhere",
            Approve,
            ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"],
        ),
        ("elsewhere", Reject, ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"]),
        // 案件审理室 guides the unit on any item not yet approved; the item stays where it was.
        ("pending", Guide, [P, P, P, P, P, "ok", P, "ok"]),
        ("open", Guide, [P, P, P, P, P, "ok", P, "ok"]),
        ("submitted", Guide, [P, P, P, P, P, "ok", P, "ok"]),
        ("rejected", Guide, [P, P, P, P, P, "ok", P, "ok"]),
        ("approved", Guide, [P, P, P, P, P, "!不能提出指导意见", P, "!不能提出指导意见"]),
        ("elsewhere", Guide, ["!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交", "!已移交"]),
    ];
    run_table(&givens, table);
}

/// Entering a decision or a list, from nothing: 案件监督管理室 or 案件审理室 enter decisions;
/// 监督检查室 or 案件监督管理室 enter lists.
#[test]
fn registration_table() {
    let cases: [(ChecklistScope, [&str; 8]); 2] = [
        (ChecklistScope::Penalty, [P, P, P, P, "ok", "ok", P, "ok"]),
        (ChecklistScope::Rectification, [P, P, "ok", P, "ok", P, P, "ok"]),
    ];
    let calendar = qingfeng_core::cal::Calendar::builtin();
    for (scope, cells) in cases {
        for (name, cell) in POSTS.iter().zip(cells) {
            let actor = post(name);
            let outcome = match scope {
                ChecklistScope::Penalty => workflow::register_penalty(
                    NewPenalty { id: "p-1", office: HERE, today: today(), calendar: &calendar },
                    &actor,
                    &decision_form(),
                    &memory(),
                ),
                ChecklistScope::Rectification => workflow::register_rectification(
                    NewRectification { id: "r-1", office: HERE, today: today() },
                    &actor,
                    &rectification_form(false),
                    None,
                    None,
                ),
            };
            let at = format!("when {name} enters a {scope:?}");
            match (cell, outcome) {
                ("ok", Ok(e)) => {
                    assert_eq!(e.checklist_id(), if scope == ChecklistScope::Penalty { "p-1" } else { "r-1" })
                }
                ("post", Err(CoreError::Forbidden { .. })) => {}
                (cell, other) => panic!("{at}: expected {cell}, got {other:?}"),
            }
            assert_eq!(workflow::may_register(HERE, &actor, scope), cell == "ok", "{at}");
        }
    }
}

/// Reform by case (以案促改, seed 004): a list that follows a penalty decision takes the built-in
/// reform template, is titled after the decision and set in the penalised person's unit unless the
/// form says otherwise, starts no earlier than the decision, and is entered once per decision; a
/// list may not call itself reform by case without one.
#[test]
fn reform_by_case_table() {
    let reform = builtin_templates().into_iter().find(|t| t.id == "rectification.reform_by_case").unwrap();
    let case = workflow::ReformCase {
        penalty_id: "p-9".into(),
        decision_number: "县纪处〔2026〕9号".into(),
        decision_date: d("2026-09-01"),
        person_name: "甄某某".into(),
        person_unit: "某县住建局".into(),
        existing_list: None,
    };
    let form = |start: &str, unit: Option<&str>| RegisterRectification {
        title: String::new(),
        source: RectificationSource::InspectionTour,
        start_date: start.into(),
        items: vec![],
        template: None,
        responsible_unit: unit.map(str::to_owned),
        due_date: Some("2026-12-31".into()),
        sequential: false,
        penalty_id: Some("p-9".into()),
    };
    let enter = |form: &RegisterRectification, case: Option<&workflow::ReformCase>| {
        let new = NewRectification { id: "r-9", office: HERE, today: today() };
        workflow::register_rectification(new, &post("supervision"), form, Some(&reform), case)
    };
    let refused = |outcome: Result<ChecklistEvent>, text: &str| match outcome {
        Err(CoreError::Invalid(m)) => assert!(m.contains(text), "refused with “{m}”, expected “{text}”"),
        other => panic!("expected the refusal “{text}”, got {other:?}"),
    };

    // Entered: the decision's name, the person's unit, the reform source, the decision carried.
    let e = enter(&form("2026-09-10", None), Some(&case)).unwrap();
    let p = payload_json(&e);
    assert_eq!(p["title"], "甄某某以案促改（县纪处〔2026〕9号）");
    assert_eq!(p["source"], "reform_by_case");
    assert_eq!(p["penalty_id"], "p-9");
    assert_eq!(p["template_id"], "rectification.reform_by_case");
    let items = p["items"].as_array().unwrap();
    assert_eq!(items.len(), reform.items.len());
    assert!(items.iter().all(|i| i["responsible_unit"] == "某县住建局"));
    let c = Checklist::registered(&e).unwrap();
    assert!(c.sequential, "the reform tasks run in order");
    // Another unit when the form names one.
    let p = payload_json(&enter(&form("2026-09-10", Some("某县住建局党组")), Some(&case)).unwrap());
    assert!(p["items"].as_array().unwrap().iter().all(|i| i["responsible_unit"] == "某县住建局党组"));
    // A list without a decision carries no `penalty_id` at all (old lists encode to their own bytes).
    let plain = payload_json(&register_list(&rectification_form(false)).unwrap());
    assert!(plain.get("penalty_id").is_none());

    refused(enter(&form("2026-08-31", None), Some(&case)), "早于处分决定日期");
    let entered = workflow::ReformCase {
        existing_list: Some("甄某某以案促改（县纪处〔2026〕9号）".into()),
        ..case.clone()
    };
    refused(enter(&form("2026-09-10", None), Some(&entered)), "已有以案促改清单");
    let mut no_case = form("2026-09-10", None);
    no_case.penalty_id = None;
    no_case.source = RectificationSource::ReformByCase;
    no_case.title = "以案促改".into();
    refused(enter(&no_case, None), "须对应一份处分决定");
}

/// Who acts next, as the page says it to a viewer who may not.
#[test]
fn the_page_says_who_acts_next() {
    let fresh = Given::events(register_decision(&decision_form()).unwrap());
    let at = |g: &Given, name: &str, ord| workflow::waiting(&g.state, HERE, &post(name), ord);
    assert_eq!(at(&fresh, "trial", 1).as_deref(), Some("待责任单位办理后，由案件监督管理室提交办理情况和证明材料。"));
    assert_eq!(at(&fresh, "case_management", 1), None);
    assert_eq!(at(&fresh, "case_management", 2), None, "a waiting item has no next step yet");
    let submitted = fresh.submitted(1);
    assert_eq!(at(&submitted, "case_management", 1).as_deref(), Some("已提交，等待案件审理室审核。"));
    assert!(at(&submitted, "submitter", 1).unwrap().contains("本人提交"));
    let list = Given::events(register_list(&rectification_form(false)).unwrap()).submitted(1);
    assert_eq!(at(&list, "case_management", 1).as_deref(), Some("已提交，等待监督检查室或案件审理室审核。"));
}

// ---------------------------------------------------------------------------------------------
// Duties: which deadlines each event opens or closes.

fn open(id: &str, kind: DeadlineKind, rule: Rule, start: &str, item: Option<u32>) -> Duty {
    Duty::Open { id: id.into(), kind, rule, start: d(start), item }
}

fn close(id: &str, status: &'static str) -> Duty {
    Duty::Close { id: id.into(), status, date: TODAY.into() }
}

/// What each event opens or closes (DOMAIN.md §3: serve and announce within 1 month, the post and
/// pay change within 1 month (6 with approval), the execution report within 6 months of the
/// decision and met once only restoration remains, restoration at the period's end; §4: each
/// problem by the date the list gives it).
#[test]
fn duties_table() {
    let registered = register_decision(&decision_form()).unwrap();
    let fresh = Given::events(registered.clone());
    assert_eq!(
        workflow::duties(None, &registered).unwrap(),
        [
            open("checklist_item:p-1:1", DeadlineKind::PenaltyServe, Rule::Months(1), "2026-09-01", Some(1)),
            open("penalty_report:p-1", DeadlineKind::PenaltyExecutionReport, Rule::Months(6), "2026-09-01", None),
        ]
    );
    let when = |g: &Given, actor: &Actor, c: Command| {
        let events = workflow::decide(&g.state, HERE, actor, &c, today()).unwrap();
        workflow::duties(Some(&g.state), &events[0]).unwrap()
    };
    // Submitting, rejecting and paying open and close nothing.
    assert_eq!(when(&fresh, &submitter(), submit(1)), []);
    let submitted = fresh.clone().submitted(1);
    assert_eq!(when(&submitted, &reviewer(), command(ItemStep::Reject, 1)), []);
    // Approving closes the item's deadline and opens the next item's.
    assert_eq!(
        when(&submitted, &reviewer(), command(ItemStep::Approve, 1)),
        [
            close("checklist_item:p-1:1", "done"),
            open("checklist_item:p-1:2", DeadlineKind::PenaltyAnnounce, Rule::Months(1), "2026-09-01", Some(2)),
        ]
    );
    // An extension replaces the item's deadline with a longer one from the same start.
    let adjusting = fresh.clone().approved(1).approved(2).approved(3);
    assert_eq!(
        when(&adjusting, &submitter(), command(ItemStep::Extend, 4)),
        [
            close("checklist_item:p-1:4", "cancelled"),
            open("checklist_item:p-1:4:ext6", DeadlineKind::PenaltyPostPay, Rule::Months(6), "2026-09-01", None),
        ]
    );
    let paying = adjusting.approved(4).approved(5);
    assert_eq!(when(&paying, &submitter(), command(ItemStep::RecordPayment, 6)), []);
    // Once only restoration remains, the execution report is met; restoration opens at the
    // period's end (撤销党内职务: 2 years from the approval date 2026-09-03).
    let last = paying
        .then(
            &submitter(),
            Command::RecordPayment { ord: 6, amount: "1000".into(), date: TODAY.into(), note: String::new() },
        )
        .approved(6)
        .approved(7)
        .submitted(8);
    assert_eq!(
        when(&last, &reviewer(), command(ItemStep::Approve, 8)),
        [
            close("checklist_item:p-1:8", "done"),
            open("checklist_item:p-1:9", DeadlineKind::PenaltyRestoration, Rule::Months(0), "2028-09-03", Some(9)),
            close("penalty_report:p-1", "done"),
        ]
    );
    // A list not in order opens every problem at once, each due on its own date; one in order
    // opens the first.
    let parallel = register_list(&rectification_form(false)).unwrap();
    assert_eq!(
        workflow::duties(None, &parallel).unwrap(),
        [
            open("checklist_item:r-1:1", DeadlineKind::RectificationItem, Rule::Months(0), "2026-11-30", Some(1)),
            open("checklist_item:r-1:2", DeadlineKind::RectificationItem, Rule::Months(0), "2026-12-31", Some(2)),
        ]
    );
    let in_order = register_list(&rectification_form(true)).unwrap();
    assert_eq!(workflow::duties(None, &in_order).unwrap().len(), 1);
    // Approving an item of a list not in order opens nothing else and reports nothing.
    let list = Given::events(parallel).submitted(1);
    assert_eq!(when(&list, &reviewer(), command(ItemStep::Approve, 1)), [close("checklist_item:r-1:1", "done")]);
}

/// The report's rule travels in the event, so a rebuild never moves an old due date: an event
/// carrying another rule keeps it, and one written before the rule was carried keeps today's.
#[test]
fn the_report_rule_travels_with_the_decision() {
    let ChecklistEvent::PenaltyRegistered(mut p) = register_decision(&decision_form()).unwrap() else { unreachable!() };
    assert_eq!(p.report_rule.as_deref(), Some("months:6"), "a new decision carries today's rule");
    let report = |p: &PenaltyRegistered| {
        workflow::duties(None, &ChecklistEvent::PenaltyRegistered(Box::new(p.clone())))
            .unwrap()
            .into_iter()
            .find_map(|d| match d {
                Duty::Open { kind: DeadlineKind::PenaltyExecutionReport, rule, .. } => Some(rule),
                _ => None,
            })
            .unwrap()
    };
    p.report_rule = Some("months:4".into());
    assert_eq!(report(&p), Rule::Months(4), "a decision entered under another rule keeps it");
    p.report_rule = None;
    assert_eq!(report(&p), Rule::Months(6), "an old event falls back to today's rule");
}

// ---------------------------------------------------------------------------------------------
// What an officer may enter.

/// Entries refused with what to do, whatever the post (each row: the state, the command, the
/// refusal).
#[test]
fn entries_table() {
    let fresh = Given::events(register_decision(&decision_form()).unwrap());
    let paying = fresh.clone().approved(1).approved(2).approved(3).approved(4).approved(5);
    let scored = Given::events(
        register_list(&RegisterRectification {
            items: vec![RectificationItemForm {
                title: "台账不全".into(),
                responsible_unit: "县交通局".into(),
                due_date: "2026-11-30".into(),
                measures: String::new(),
                max_score: Some("20".into()),
            }],
            ..rectification_form(false)
        })
        .unwrap(),
    )
    .submitted(1);
    let with = |date: &str, note: &str| Command::Submit {
        ord: 1,
        submission: Submission { date: date.into(), note: note.into(), measures: None, result: None, evidence: vec![] },
    };
    let pay = |amount: &str, date: &str| Command::RecordPayment {
        ord: 6,
        amount: amount.into(),
        date: date.into(),
        note: String::new(),
    };
    let submitted = fresh.clone().submitted(1);
    let rows: Vec<(&Given, Actor, Command, &str)> = vec![
        (&fresh, submitter(), with("2026-10-01", "已办理"), "晚于今天"),
        (&fresh, submitter(), with("2026-08-31", "已办理"), "早于处分决定日期"),
        (&fresh, submitter(), with("2026-13-01", "已办理"), "办理日期“2026-13-01”无效"),
        (&fresh, submitter(), with(TODAY, "  "), "请填写办理情况说明"),
        (&fresh, submitter(), with(TODAY, &"长".repeat(2_001)), "不能超过 2000 个字"),
        (&paying, submitter(), pay("12.345", TODAY), "超过两位小数"),
        (&paying, submitter(), pay("-5", TODAY), "应大于零"),
        (&paying, submitter(), pay("1e3", TODAY), "不是金额"),
        (&paying, submitter(), pay("1000.01", TODAY), "尚余 1000.00 元"),
        (&paying, submitter(), pay("100", "2026-08-01"), "早于处分决定日期"),
        (&fresh, submitter(), Command::Extend { ord: 4, months: 7, approval_ref: "批复".into() }, "不超过 6 个月"),
        (&fresh, submitter(), Command::Extend { ord: 4, months: 1, approval_ref: "批复".into() }, "大于现有的 1 个月"),
        (&fresh, submitter(), Command::Extend { ord: 4, months: 6, approval_ref: " ".into() }, "请填写批准文号"),
        (&submitted, reviewer(), Command::Reject { ord: 1, note: " ".into() }, "请填写驳回理由"),
        (&submitted, reviewer(), Command::Approve { ord: 1, note: String::new(), score: Some("5".into()) }, "不计分"),
        (
            &scored,
            reviewer(),
            Command::Approve { ord: 1, note: String::new(), score: Some("21".into()) },
            "超过该项满分 20.00",
        ),
        (&scored, reviewer(), Command::Approve { ord: 1, note: String::new(), score: Some("abc".into()) }, "不是金额"),
        (&fresh, submitter(), submit(12), "没有第 12 项事项"),
    ];
    for (given, actor, command, refusal) in rows {
        match workflow::decide(&given.state, HERE, &actor, &command, today()) {
            Err(CoreError::Invalid(m)) => {
                assert!(m.contains(refusal), "{command:?}: refused with “{m}”, expected “{refusal}”")
            }
            other => panic!("{command:?}: expected the refusal “{refusal}”, got {other:?}"),
        }
    }
    // A score within the maximum is kept to the fen.
    let events = workflow::decide(
        &scored.state,
        HERE,
        &reviewer(),
        &Command::Approve { ord: 1, note: String::new(), score: Some("18.5".into()) },
        today(),
    )
    .unwrap();
    assert_eq!(payload_json(&events[0])["score"], "18.50");
}

/// Entering a decision: what is refused, and what the event carries.
#[test]
fn decisions_as_entered() {
    let refused = |f: RegisterPenalty, lookups: &Memory, text: &str| {
        let calendar = qingfeng_core::cal::Calendar::builtin();
        let new = NewPenalty { id: "p-1", office: HERE, today: today(), calendar: &calendar };
        match workflow::register_penalty(new, &post("case_management"), &f, lookups) {
            Err(CoreError::Invalid(m)) | Err(CoreError::NotFound { id: m, .. }) => {
                assert!(m.contains(text), "refused with “{m}”, expected “{text}”")
            }
            other => panic!("expected the refusal “{text}”, got {other:?}"),
        }
    };
    let form = decision_form;
    refused(RegisterPenalty { decision_number: " ".into(), ..form() }, &memory(), "处分决定文号");
    refused(RegisterPenalty { party_penalty: None, ..form() }, &memory(), "至少选择");
    refused(
        RegisterPenalty { person: PenaltyPerson { party_member: false, ..form().person }, ..form() },
        &memory(),
        "不是党员",
    );
    refused(RegisterPenalty { probation_years: Some(1), ..form() }, &memory(), "只有留党察看");
    refused(RegisterPenalty { approval_date: Some("2026-08-01".into()), ..form() }, &memory(), "早于处分决定日期");
    refused(RegisterPenalty { decision_date: "2026-12-01".into(), ..form() }, &memory(), "晚于今天");
    refused(RegisterPenalty { responsible_units: vec![" ".into()], ..form() }, &memory(), "主体责任部门");
    refused(
        RegisterPenalty { complaint_id: Some("530102-2026-00009".into()), ..form() },
        &memory(),
        "530102-2026-00009",
    );
    let seen = Memory { registered: vec![("县纪处〔2026〕1号".into(), "甄某某".into())] };
    refused(form(), &seen, "已经录入过");
    let ChecklistEvent::PenaltyRegistered(p) =
        register_decision(&RegisterPenalty { complaint_id: Some(" 530102-2026-00001 ".into()), ..form() }).unwrap()
    else {
        unreachable!()
    };
    assert_eq!(p.form.complaint_id.as_deref(), Some("c-1"), "the complaint is named by its id");
    assert_eq!(p.amount_due.as_deref(), Some("1000.00"));
    let codes: Vec<&str> = p.items.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "serve",
            "announce",
            "archive",
            "adjust_post_pay",
            "appraisal",
            "recover_money",
            "three_letters",
            "follow_up_visit",
            "restore"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Influence periods and lights, each rule with its basis.

/// Government sanctions' periods (政务处分法 第八条), and several of one kind combined (第十五条:
/// "应当给予撤职以下多个相同政务处分的…最长不得超过四十八个月"; "以下" includes 撤职 itself).
#[test]
fn influence_periods_table() {
    use GovernmentSanction::*;
    /// The sanction, how many, the period decided, the period (or the refusal), the basis.
    type PeriodRow = (GovernmentSanction, u32, Option<u32>, Result<Option<u32>, &'static str>, &'static str);
    let rows: &[PeriodRow] = &[
        (Warning, 1, None, Ok(Some(6)), "第八条：警告，六个月"),
        (Demerit, 1, None, Ok(Some(12)), "第八条：记过，十二个月"),
        (MajorDemerit, 1, None, Ok(Some(18)), "第八条：记大过，十八个月"),
        (Demotion, 1, None, Ok(Some(24)), "第八条：降级、撤职，二十四个月"),
        (Dismissal, 1, None, Ok(Some(24)), "第八条：降级、撤职，二十四个月"),
        (Expulsion, 1, None, Ok(None), "开除没有期间"),
        (Demerit, 3, None, Ok(Some(36)), "第十五条：合并，不超过四十八个月"),
        (MajorDemerit, 3, None, Ok(Some(48)), "第十五条：最长四十八个月"),
        (Demotion, 2, Some(30), Ok(Some(30)), "第十五条：另定期间，在一个处分期间与四十八个月之间"),
        (Dismissal, 2, None, Ok(Some(48)), "第十五条：撤职以下（含撤职）多个相同处分合并"),
        (Dismissal, 3, Some(36), Ok(Some(36)), "第十五条：撤职合并可另定期间"),
        (Dismissal, 2, Some(50), Err("最长 48 个月"), "第十五条：不得超过四十八个月"),
        (Dismissal, 2, Some(12), Err("应在 24 至 48 个月之间"), "不短于一个撤职的期间"),
        (Expulsion, 2, None, Err("开除没有处分期间"), "开除不能合并"),
        (Demerit, 1, Some(10), Err("不能另定"), "单个处分的期间法定"),
    ];
    for &(sanction, count, decided, expected, basis) in rows {
        let got = rules::government_months(sanction, count, decided);
        match (expected, got) {
            (Ok(m), Ok(g)) => assert_eq!(g, m, "{basis}"),
            (Err(text), Err(e)) => assert!(e.to_string().contains(text), "{basis}: refused with “{e}”"),
            (expected, got) => panic!("{basis}: expected {expected:?}, got {got:?}"),
        }
    }
}

/// An execution item's light (DOMAIN.md §3: "green on time; yellow when an item has had no action
/// for 10 days or its deadline is 5 days away; red when overdue"): calendar days, not working
/// days. Due Monday 2026-10-26.
#[test]
fn lights_table() {
    let due = Some(d("2026-10-26"));
    /// The item's state, today, its last action, the light, the basis.
    type LightRow = (ItemStatus, &'static str, Option<&'static str>, Option<Light>, &'static str);
    let rows: &[LightRow] = &[
        (
            ItemStatus::Open,
            "2026-10-20",
            Some("2026-10-20"),
            Some(Light::Green),
            "six days before (four working days): green",
        ),
        (ItemStatus::Open, "2026-10-21", Some("2026-10-21"), Some(Light::Yellow), "five days before: yellow"),
        (ItemStatus::Open, "2026-10-26", Some("2026-10-26"), Some(Light::Yellow), "the due date itself: yellow"),
        (ItemStatus::Open, "2026-10-27", Some("2026-10-27"), Some(Light::Red), "the day after: red"),
        (ItemStatus::Open, "2026-10-10", Some("2026-09-30"), Some(Light::Yellow), "ten days without action: yellow"),
        (ItemStatus::Open, "2026-10-10", Some("2026-10-01"), Some(Light::Green), "nine days without action: green"),
        (
            ItemStatus::Rejected,
            "2026-10-22",
            Some("2026-10-20"),
            Some(Light::Yellow),
            "a rejected item counts down too",
        ),
        (
            ItemStatus::Submitted,
            "2026-10-27",
            Some("2026-10-20"),
            Some(Light::Red),
            "waiting for review does not stop the clock",
        ),
        (ItemStatus::Pending, "2026-10-27", None, None, "an item waiting for the one before has no light"),
        (ItemStatus::Approved, "2026-10-27", Some("2026-10-20"), Some(Light::Done), "approved: done"),
    ];
    for &(status, on, last, expected, basis) in rows {
        assert_eq!(rules::item_light(status, due, last.map(d), d(on)), expected, "{basis}");
    }
    assert_eq!(rules::yellow_until(d("2026-10-21")), d("2026-10-26"), "the board counts with the same bound");
}
