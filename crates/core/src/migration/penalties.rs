//! One row of an older platform's register of penalty decisions, read as the decision form and
//! the state its execution items had reached. The form goes through the same registration rule as
//! one entered by hand (`penalty::workflow::register_penalty`: the influence periods, the template,
//! the items), and each item the file shows as done or submitted becomes the ordinary item events
//! dated as the file gives them, so the board, the deadlines and the pages treat it like any other.

use chrono::{DateTime, NaiveDate, Utc};
use qingfeng_calendar::Calendar;
use rusqlite::Connection;

use super::Row;
use super::model::RowProblem;
use super::sheet::Cell;
use super::values;
use crate::authz::Actor;
use crate::error::CoreError;
use crate::penalty::events::ChecklistEvent;
use crate::penalty::model::*;
use crate::penalty::ops::DbLookups;
use crate::penalty::workflow::{self, NewPenalty};

/// What reading a penalty row needs besides the row: who imports, where, on what calendar.
pub(crate) struct Env<'a> {
    pub actor: &'a Actor,
    pub office: &'a str,
    pub calendar: &'a Calendar,
    pub now: DateTime<Utc>,
}

/// A checked decision: its registration and the item events that bring it to the state the
/// older platform had reached, in order.
pub(crate) struct PenaltyRecord {
    pub id: String,
    pub events: Vec<ChecklistEvent>,
}

/// The state of one execution item in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ItemState {
    /// Blank, 未完成 or 不适用: left as the registration leaves it.
    NotDone,
    /// Submitted on the date, awaiting review.
    Submitted(NaiveDate),
    /// Done (approved) on the date.
    Done(NaiveDate),
}

const DONE: &[&str] = &["已完成", "完成", "已办结", "办结", "已执行", "执行完毕", "已落实", "已通过", "审核通过"];
const SUBMITTED: &[&str] = &["待审核", "已提交", "已报送", "已上报"];
const NOT_DONE: &[&str] =
    &["未完成", "办理中", "执行中", "待办理", "未开始", "未办理", "未执行", "不适用", "无", "/", "-", "—"];

/// Reads an item cell: a state word, then the date it was reached (`已完成 2023-03-05`,
/// `已完成（2023年3月5日）`); a cell holding only a date means done on that date.
/// `since` is the date no work may precede, with its name (处分决定日期, 交办日期).
pub(super) fn item_state(cell: &Cell, today: NaiveDate, since: Option<(NaiveDate, &str)>) -> Result<ItemState, String> {
    if let Cell::Date(_) | Cell::Number(_) = cell {
        return values::date(cell).and_then(|d| dated(d, today, since)).map(ItemState::Done);
    }
    let t = values::halfwidth(&values::text(cell)).trim().to_owned();
    if t.is_empty() {
        return Ok(ItemState::NotDone);
    }
    let split = t.find(|c: char| c.is_whitespace() || "（(，,：:".contains(c)).unwrap_or(t.len());
    let (word, rest) = t.split_at(split);
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || "（()），,：:".contains(c));
    let when = || -> Result<NaiveDate, String> {
        if rest.is_empty() {
            return Err(format!("“{word}”的事项须写明日期，如“{word} 2023-03-05”。"));
        }
        values::date(&Cell::Text(rest.to_owned())).and_then(|d| dated(d, today, since))
    };
    if DONE.contains(&word) {
        Ok(ItemState::Done(when()?))
    } else if SUBMITTED.contains(&word) {
        Ok(ItemState::Submitted(when()?))
    } else if NOT_DONE.contains(&word) {
        Ok(ItemState::NotDone)
    } else if word.is_empty() || word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        // A date alone, typed as text.
        values::date(&Cell::Text(t.clone())).and_then(|d| dated(d, today, since)).map(ItemState::Done)
    } else {
        Err(format!(
            "不认识的执行事项状态“{word}”：可填已完成（写明完成日期，如“已完成 2023-03-05”）、待审核（写明提交日期）、未完成或不适用。"
        ))
    }
}

fn dated(d: NaiveDate, today: NaiveDate, since: Option<(NaiveDate, &str)>) -> Result<NaiveDate, String> {
    if d > today {
        return Err(format!("日期 {d} 晚于今天，原平台的记录不会有将来的日期，请核对。"));
    }
    if let Some((first, what)) = since
        && d < first
    {
        return Err(format!("日期 {d} 早于{what} {first}，请核对。"));
    }
    Ok(d)
}

/// The party penalty a cell names, by the names offices write; blank is none.
fn party_penalty(cell: &Cell) -> Result<Option<PartyPenalty>, String> {
    let t = values::halfwidth(&values::text(cell)).trim().replace(['处', '分'], "");
    Ok(Some(match t.as_str() {
        "" | "无" | "/" | "-" | "—" => return Ok(None),
        "警告" | "党内警告" => PartyPenalty::Warning,
        "严重警告" | "党内严重警告" => PartyPenalty::SeriousWarning,
        "撤销党内职务" => PartyPenalty::RemovalFromPost,
        "留党察看" => PartyPenalty::Probation,
        "开除党籍" => PartyPenalty::Expulsion,
        _ => {
            let known: Vec<&str> = PartyPenalty::ALL.iter().map(|p| p.label()).collect();
            return Err(format!("不认识的党纪处分“{}”：可填{}。", values::text(cell).trim(), known.join("、")));
        }
    }))
}

/// The government sanction a cell names; blank is none.
fn government_sanction(cell: &Cell) -> Result<Option<GovernmentSanction>, String> {
    let t = values::halfwidth(&values::text(cell)).trim().replace("处分", "");
    Ok(Some(match t.as_str() {
        "" | "无" | "/" | "-" | "—" => return Ok(None),
        "警告" | "政务警告" | "行政警告" => GovernmentSanction::Warning,
        "记过" | "政务记过" | "行政记过" => GovernmentSanction::Demerit,
        "记大过" | "政务记大过" | "行政记大过" => GovernmentSanction::MajorDemerit,
        "降级" | "政务降级" => GovernmentSanction::Demotion,
        "撤职" | "政务撤职" => GovernmentSanction::Dismissal,
        "开除" | "开除公职" | "政务开除" => GovernmentSanction::Expulsion,
        _ => {
            let known: Vec<&str> = GovernmentSanction::ALL.iter().map(|p| p.label()).collect();
            return Err(format!("不认识的政务处分“{}”：可填{}。", values::text(cell).trim(), known.join("、")));
        }
    }))
}

/// Reads and checks one row; all its problems at once. A decision `known` from an earlier import
/// gets the row's own checks only (it will not be entered again).
pub(crate) fn parse(
    row: &Row<'_>,
    env: &Env<'_>,
    conn: &Connection,
    known: bool,
) -> Result<PenaltyRecord, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let today = env.now.with_timezone(&crate::clock::business_zone()).date_naive();
    let mut bad = |field: &str, reason: String| problems.push(row.problem(field, reason));

    let number = values::code(row.cell("original_number"));
    if number.is_empty() {
        bad("original_number", "缺少处分决定文号：它用来识别已导入的决定，不能空白。".into());
    }
    let date_of = |field: &str, required: bool, bad: &mut dyn FnMut(&str, String)| -> Option<NaiveDate> {
        let cell = row.cell(field);
        if values::is_blank(cell) {
            if required {
                bad(field, "缺少日期。".into());
            }
            return None;
        }
        match values::date(cell).and_then(|d| dated(d, today, None)) {
            Ok(d) => Some(d),
            Err(e) => {
                bad(field, e);
                None
            }
        }
    };
    let decision = date_of("decision_date", true, &mut bad);
    let approval = date_of("approval_date", false, &mut bad);
    let party = party_penalty(row.cell("party_penalty")).map_err(|e| bad("party_penalty", e)).ok().flatten();
    let sanction =
        government_sanction(row.cell("government_sanction")).map_err(|e| bad("government_sanction", e)).ok().flatten();
    let member = match values::yes_no(row.cell("party_member")) {
        Ok(v) => v.unwrap_or(party.is_some()),
        Err(e) => {
            bad("party_member", e);
            false
        }
    };
    let probation = {
        let t: String = values::halfwidth(&values::text(row.cell("probation_years")))
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '年')
            .collect();
        match t.as_str() {
            "" => None,
            "1" | "一" => Some(1),
            "2" | "二" | "两" => Some(2),
            other => {
                bad("probation_years", format!("留党察看期限“{other}”无效：应为 1 年或 2 年。"));
                None
            }
        }
    };
    let mut amount = |field: &str| match values::amount(row.cell(field)) {
        Ok(v) => v,
        Err(e) => {
            bad(field, e);
            None
        }
    };
    let confiscate = amount("confiscate");
    let repay = amount("repay");
    let items: Vec<(String, Result<ItemState, String>)> = super::model::fields(super::model::MigrationKind::Penalties)
        .into_iter()
        .filter_map(|f| f.key.strip_prefix("item_").map(str::to_owned))
        .map(|code| {
            let state = item_state(row.cell(&format!("item_{code}")), today, decision.map(|d| (d, "处分决定日期")));
            (code, state)
        })
        .collect();
    let mut states = Vec::new();
    for (code, state) in items {
        match state {
            Ok(s) => states.push((code, s)),
            Err(e) => bad(&format!("item_{code}"), e),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if known {
        return Ok(PenaltyRecord { id: String::new(), events: Vec::new() });
    }
    let Some(decision) = decision else {
        return Err(vec![row.problem("decision_date", "缺少决定日期。")]);
    };
    let form = RegisterPenalty {
        person: PenaltyPerson {
            name: values::text(row.cell("person_name")),
            unit: values::text(row.cell("person_unit")),
            post: values::text(row.cell("person_post")),
            rank: values::text(row.cell("person_rank")),
            party_member: member,
            deputy: false,
            cppcc_member: false,
            non_party_cadre: false,
        },
        decision_number: number,
        deciding_body: values::text(row.cell("deciding_body")),
        party_penalty: party,
        probation_years: probation,
        government_sanction: sanction,
        sanction_count: None,
        sanction_months: None,
        decision_date: decision.to_string(),
        approval_date: approval.map(|d| d.to_string()),
        responsible_units: values::list(row.cell("responsible_units")),
        confiscate,
        repay,
        organisational_handling: Some(values::text(row.cell("organisational_handling"))).filter(|s| !s.is_empty()),
        complaint_id: None,
    };
    let whole = |m: String| vec![RowProblem { row: row.number, column: None, reason: m }];
    let id = uuid::Uuid::now_v7().to_string();
    let new = NewPenalty { id: &id, office: env.office, today, calendar: env.calendar };
    // The same rule a decision entered by hand passes: its messages name the field.
    let registered = match workflow::register_penalty(new, env.actor, &form, &DbLookups(conn)) {
        Ok(e) => e,
        Err(CoreError::Invalid(m)) => return Err(whole(m)),
        Err(other) => return Err(whole(other.to_string())),
    };
    let ChecklistEvent::PenaltyRegistered(p) = &registered else {
        return Err(whole("处分决定未能生成执行事项。".into()));
    };
    let items = p.items.clone();
    let mut events = vec![registered];
    // Items run in order: once one is not done, none after it can be done or submitted.
    let mut first_open: Option<&GeneratedItem> = None;
    let mut problems = Vec::new();
    for (code, state) in &states {
        if *state != ItemState::NotDone && !items.iter().any(|i| &i.code == code) {
            let label = super::model::field_label(super::model::MigrationKind::Penalties, &format!("item_{code}"));
            problems.push(row.problem(
                &format!("item_{code}"),
                format!(
                    "按这份决定的处分种类和金额，没有“{}”这一执行事项；请核对处分种类，或把这一格改为“不适用”。",
                    label.unwrap_or(code)
                ),
            ));
        }
    }
    for item in &items {
        let state = states.iter().find(|(c, _)| c == &item.code).map_or(ItemState::NotDone, |(_, s)| *s);
        let field = format!("item_{}", item.code);
        if let Some(open) = first_open
            && state != ItemState::NotDone
        {
            problems.push(row.problem(
                &field,
                format!("执行事项须按顺序办理：“{}”尚未完成，其后的“{}”不能是已完成或待审核。", open.title, item.title),
            ));
            continue;
        }
        let pay = |date: NaiveDate| {
            item.amount_due.clone().filter(|_| item.payment).map(|amount| {
                ChecklistEvent::PaymentRecorded(PaymentRecorded {
                    checklist_id: id.clone(),
                    ord: item.ord,
                    date: date.to_string(),
                    amount,
                    note: "从原平台迁移：已缴清".into(),
                })
            })
        };
        let submitted = |date: NaiveDate| {
            ChecklistEvent::ItemSubmitted(ItemSubmitted {
                checklist_id: id.clone(),
                ord: item.ord,
                date: date.to_string(),
                note: "从原平台迁移".into(),
                measures: None,
                result: None,
                evidence: Vec::new(),
            })
        };
        match state {
            ItemState::NotDone => first_open = Some(item),
            ItemState::Submitted(d) => {
                events.extend(pay(d));
                events.push(submitted(d));
                first_open = Some(item);
            }
            ItemState::Done(d) => {
                events.extend(pay(d));
                events.push(submitted(d));
                events.push(ChecklistEvent::ItemApproved(ItemApproved {
                    checklist_id: id.clone(),
                    ord: item.ord,
                    date: d.to_string(),
                    note: "从原平台迁移：原平台记为已完成".into(),
                    score: None,
                }));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(PenaltyRecord { id, events })
}
