//! Penalty and checklist commands: each validates against the current state inside the
//! transaction and appends its events through `Store::execute`, so a refused step leaves nothing.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::rules;
use super::template::{self, Dates, Facts, ItemContext, Template};
use crate::authz::{Action, Actor, PenaltyAct};
use crate::clock::business_zone;
use crate::complaints::attachments::MAX_ATTACHMENT_BYTES;
use crate::deadlines::{DeadlineKind, Rule};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::input::{optional, required};
use crate::projector::kind;
use crate::store::{Ctx, Decision, Store};

const MAX_TEXT_CHARS: usize = 2_000;
const MAX_FILES: usize = 20;
const MAX_ITEMS: usize = 200;

/// Evidence file types, by what the bytes are (not what the name says).
const ACCEPTED_EVIDENCE: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/tiff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "text/plain",
];

fn today(ctx: &Ctx) -> NaiveDate {
    ctx.now.with_timezone(&business_zone()).date_naive()
}

/// Parses a date an officer entered: a real date, in the calendar's range, not in the future.
fn past_date(text: &str, what: &str, today: NaiveDate) -> Result<NaiveDate> {
    let d = qingfeng_calendar::parse_date(text).map_err(|e| CoreError::invalid(format!("{what}“{text}”无效：{e}")))?;
    if d > today {
        return Err(CoreError::invalid(format!("{what} {d} 晚于今天（{today}），请填写实际日期。")));
    }
    Ok(d)
}

/// The state of one item as commands check it.
#[derive(Debug, Clone)]
pub(crate) struct ItemState {
    pub aggregate: String,
    pub scope: ChecklistScope,
    pub start_date: NaiveDate,
    pub status: ItemStatus,
    pub title: String,
    pub submitted_by: Option<String>,
    pub payment: bool,
    pub amount_due: Option<String>,
    pub amount_paid: String,
    pub extendable_to: Option<u32>,
    pub deadline_rule: String,
    pub max_score: Option<String>,
}

/// The item `ord` of checklist `id`, refused when another office owns the checklist now.
pub(crate) fn item_state(conn: &Connection, id: &str, ord: u32) -> Result<ItemState> {
    let row = conn
        .prepare_cached(
            "SELECT c.aggregate, c.scope, c.start_date, i.status, i.title, i.submitted_by, i.payment, i.amount_due,
                i.amount_paid, i.extendable_to, i.deadline_rule, i.max_score
             FROM checklist_items i JOIN checklists c ON c.id = i.checklist_id
             WHERE i.checklist_id = ?1 AND i.ord = ?2",
        )?
        .query_row(params![id, ord], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<u32>>(9)?,
                r.get::<_, String>(10)?,
                r.get::<_, Option<String>>(11)?,
            ))
        })
        .optional()?;
    let Some(row) = row else {
        let exists: bool = conn
            .prepare_cached("SELECT 1 FROM checklists WHERE id = ?1")?
            .query_row([id], |_| Ok(true))
            .optional()?
            .unwrap_or(false);
        return Err(if exists {
            CoreError::invalid(format!("该清单没有第 {ord} 项事项，请核对事项序号。"))
        } else {
            CoreError::NotFound { what: "处分决定或整改清单", id: id.to_owned() }
        });
    };
    let own: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'office_code'", [], |r| r.get(0)).optional()?;
    if let Some(own) = own {
        crate::ownership::ensure_owned(conn, &row.0, &own)?;
    }
    Ok(ItemState {
        aggregate: row.0,
        scope: ChecklistScope::parse(&row.1)?,
        start_date: NaiveDate::parse_from_str(&row.2, "%Y-%m-%d").map_err(|e| CoreError::Encoding(e.to_string()))?,
        status: ItemStatus::parse(&row.3)?,
        title: row.4,
        submitted_by: row.5,
        payment: row.6,
        amount_due: row.7,
        amount_paid: row.8,
        extendable_to: row.9,
        deadline_rule: row.10,
        max_score: row.11,
    })
}

fn wrong_state(item: &ItemState, what: &str) -> CoreError {
    let hint = match item.status {
        ItemStatus::Pending => "须待前一项经审理室审核通过后才能办理。",
        ItemStatus::Submitted => "已提交，正在等待审核。",
        ItemStatus::Approved => "已审核通过，无需再办理。",
        ItemStatus::Open | ItemStatus::Rejected => "",
    };
    CoreError::invalid(format!("事项“{}”当前为“{}”，不能{what}。{hint}", item.title, item.status.label()))
}

/// The amount still due on a payment item.
fn remaining(item: &ItemState) -> Result<Option<(Decimal, Decimal, Decimal)>> {
    let Some(due) = &item.amount_due else { return Ok(None) };
    let due = rules::stored_amount(due)?;
    let paid = rules::stored_amount(&item.amount_paid)?;
    Ok(Some((due, paid, due - paid)))
}

/// Enters a penalty decision and generates its execution checklist; returns the decision's id.
pub fn register(store: &mut Store, actor: &Actor, form: &RegisterPenalty) -> Result<String> {
    Ok(register_many(store, actor, std::slice::from_ref(form))?.remove(0))
}

/// Enters several decisions in one transaction (a backlog carried over from paper or from an
/// earlier system): all are entered or, if any is refused, none; returns their ids in order.
pub fn register_many(store: &mut Store, actor: &Actor, forms: &[RegisterPenalty]) -> Result<Vec<String>> {
    let office = store.office()?;
    let calendar = store.calendar().clone();
    let ids: Vec<String> = forms.iter().map(|_| uuid::Uuid::now_v7().to_string()).collect();
    store.execute(actor, Action::Penalty { office: office.clone(), act: PenaltyAct::Register }, |tx, ctx| {
        let mut events = Vec::with_capacity(forms.len());
        // The duplicate check reads the projection, which does not yet hold this batch.
        let mut seen = std::collections::HashSet::new();
        for (i, (form, id)) in forms.iter().zip(&ids).enumerate() {
            let numbered = |e: CoreError| match e {
                CoreError::Invalid(m) if forms.len() > 1 => CoreError::invalid(format!("第 {} 件：{m}", i + 1)),
                other => other,
            };
            let event = registration(tx, ctx, &calendar, &office, id, form).map_err(numbered)?;
            if !seen.insert((form.decision_number.trim().to_owned(), form.person.name.trim().to_owned())) {
                return Err(numbered(CoreError::invalid(format!(
                    "处分决定 {} 对 {} 在本批中重复，请勿重复录入。",
                    form.decision_number.trim(),
                    form.person.name.trim()
                ))));
            }
            events.push(event);
        }
        Ok(Decision::events(events))
    })?;
    Ok(ids)
}

/// Checks one decision as entered and builds its `penalty.registered` event with the generated items.
fn registration(
    tx: &rusqlite::Transaction<'_>,
    ctx: &Ctx,
    calendar: &qingfeng_calendar::Calendar,
    office: &str,
    id: &str,
    form: &RegisterPenalty,
) -> Result<NewEvent> {
    let today = today(ctx);
    let mut f = form.clone();
    f.decision_number = required("处分决定文号", &f.decision_number, 100)?;
    f.deciding_body = required("作出决定的机关", &f.deciding_body, 100)?;
    f.person.name = required("受处分人姓名", &f.person.name, 50)?;
    f.person.unit = required("受处分人单位", &f.person.unit, 100)?;
    f.person.post = f.person.post.trim().to_owned();
    f.person.rank = f.person.rank.trim().to_owned();
    if f.party_penalty.is_none() && f.government_sanction.is_none() {
        return Err(CoreError::invalid("请至少选择一种党纪处分或政务处分。"));
    }
    if f.party_penalty.is_some() && !f.person.party_member {
        return Err(CoreError::invalid("受处分人不是党员，不能给予党纪处分；请核对“是否党员”或处分种类。"));
    }
    if f.probation_years.is_some() && f.party_penalty != Some(PartyPenalty::Probation) {
        return Err(CoreError::invalid("只有留党察看才填写察看期限。"));
    }
    if f.government_sanction.is_none() && (f.sanction_count.is_some() || f.sanction_months.is_some()) {
        return Err(CoreError::invalid("只有政务处分才填写合并个数或处分期间。"));
    }
    let decision = past_date(&f.decision_date, "处分决定日期", today)?;
    f.decision_date = decision.to_string();
    let approval = match f.approval_date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => {
            let d = past_date(text, "批准日期", today)?;
            if d < decision {
                return Err(CoreError::invalid(format!("批准日期 {d} 早于处分决定日期 {decision}，请核对。")));
            }
            Some(d)
        }
    };
    f.approval_date = approval.map(|d| d.to_string());
    f.responsible_units = f.responsible_units.iter().map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()).collect();
    if f.responsible_units.is_empty() {
        return Err(CoreError::invalid("请至少填写一个主体责任部门（执行单位）。"));
    }
    let confiscate = f.confiscate.as_deref().filter(|s| !s.trim().is_empty());
    let repay = f.repay.as_deref().filter(|s| !s.trim().is_empty());
    let confiscate = confiscate.map(|s| rules::parse_amount(s, "收缴金额")).transpose()?;
    let repay = repay.map(|s| rules::parse_amount(s, "退赔金额")).transpose()?;
    f.confiscate = confiscate.map(rules::fen);
    f.repay = repay.map(rules::fen);
    let amount_due = match (confiscate, repay) {
        (None, None) => None,
        (a, b) => Some(rules::fen(a.unwrap_or_default() + b.unwrap_or_default())),
    };
    f.organisational_handling = optional("组织处理", f.organisational_handling.as_deref(), 500)?;
    f.complaint_id = f.complaint_id.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if let Some(c) = &f.complaint_id {
        let found: Option<String> =
            tx.query_row("SELECT id FROM complaints WHERE id = ?1 OR number = ?1", [c], |r| r.get(0)).optional()?;
        f.complaint_id = Some(found.ok_or_else(|| CoreError::NotFound { what: "检举控告", id: c.clone() })?);
    }
    let duplicate: bool = tx
        .query_row(
            "SELECT 1 FROM penalties WHERE decision_number = ?1 AND person_name = ?2",
            params![f.decision_number, f.person.name],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if duplicate {
        return Err(CoreError::invalid(format!(
            "处分决定 {} 对 {} 已经录入过，请勿重复录入。",
            f.decision_number, f.person.name
        )));
    }
    let day_before = crate::settings::get(tx, "penalty.influence_end_day_before")? == 1;
    let periods = rules::influence_periods(calendar, &f, decision, approval, day_before)?;
    let influence_end = rules::latest_end(&periods)
        .map(|e| NaiveDate::parse_from_str(&e, "%Y-%m-%d"))
        .transpose()
        .map_err(|e| CoreError::Encoding(e.to_string()))?;
    let facts = Facts {
        party_penalty: f.party_penalty,
        government_sanction: f.government_sanction,
        party_member: f.person.party_member,
        special_status: f.person.deputy || f.person.cppcc_member || f.person.non_party_cadre,
        amounts_named: amount_due.is_some(),
        organisational_handling: f.organisational_handling.is_some(),
        finite_period: influence_end.is_some(),
    };
    let template = template::choose(tx, &facts)?;
    let items = template::generate(
        &template,
        &facts,
        &Dates { decision, approval, influence_end, start: decision, due: None },
        &ItemContext { responsible_unit: f.responsible_units[0].clone(), amount_due: amount_due.clone() },
    )?;
    Ok(NewEvent::new(
        kind::PENALTY_REGISTERED,
        format!("penalty:{id}"),
        &PenaltyRegistered {
            penalty_id: id.to_owned(),
            office_code: office.to_owned(),
            date: today.to_string(),
            penalty_label: rules::penalty_label(&f),
            form: f,
            amount_due,
            periods,
            template_id: template.id.clone(),
            template_version: template.version,
            items,
        },
    )?)
}

/// Enters a rectification list (整改清单); returns its id.
pub fn register_rectification(store: &mut Store, actor: &Actor, form: &RegisterRectification) -> Result<String> {
    let office = store.office()?;
    let id = uuid::Uuid::now_v7().to_string();
    let act = PenaltyAct::RegisterRectification;
    store.execute(actor, Action::Penalty { office: office.clone(), act }, |tx, ctx| {
        let today = today(ctx);
        let title = required("清单名称", &form.title, 200)?;
        let start = past_date(&form.start_date, "交办日期", today)?;
        let due_of = |text: &str, what: &str| -> Result<NaiveDate> {
            let d = qingfeng_calendar::parse_date(text)
                .map_err(|e| CoreError::invalid(format!("{what}“{text}”无效：{e}")))?;
            if d < start {
                return Err(CoreError::invalid(format!("{what} {d} 早于交办日期 {start}，请核对。")));
            }
            Ok(d)
        };
        let mut items = Vec::new();
        let mut template_ref = None;
        let mut sequential = form.sequential;
        if let Some(tid) = form.template.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let version = template::latest_version(tx, tid)?
                .ok_or_else(|| CoreError::NotFound { what: "清单模板", id: tid.to_owned() })?;
            let t: Template = template::load(tx, tid, version)?;
            if t.scope != ChecklistScope::Rectification {
                return Err(CoreError::invalid(format!("模板“{}”不是整改清单模板。", t.name)));
            }
            let unit = required("责任单位", form.responsible_unit.as_deref().unwrap_or(""), 100)?;
            let due = due_of(form.due_date.as_deref().unwrap_or(""), "完成期限")?;
            items = template::generate(
                &t,
                &Facts::default(),
                &Dates { decision: start, approval: None, influence_end: None, start, due: Some(due) },
                &ItemContext { responsible_unit: unit, amount_due: None },
            )?;
            sequential = sequential || t.sequential;
            template_ref = Some((t.id.clone(), t.version));
        }
        for item in &form.items {
            let ord = items.len() as u32 + 1;
            let due = due_of(&item.due_date, &format!("第 {ord} 项的完成期限"))?;
            items.push(GeneratedItem {
                ord,
                code: format!("problem_{ord}"),
                title: required(&format!("第 {ord} 项的问题"), &item.title, 500)?,
                responsible_unit: required(&format!("第 {ord} 项的责任单位"), &item.responsible_unit, 100)?,
                measures: item.measures.trim().to_owned(),
                deadline_kind: DeadlineKind::RectificationItem,
                rule: Rule::Months(0).code(),
                start: due.to_string(),
                extendable_to: None,
                payment: false,
                amount_due: None,
                max_score: item
                    .max_score
                    .as_deref()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| rules::parse_amount(s, "满分").map(rules::fen))
                    .transpose()?,
                letters: Vec::new(),
            });
        }
        if items.is_empty() {
            return Err(CoreError::invalid("整改清单至少要有一项问题，或选用一个模板。"));
        }
        if items.len() > MAX_ITEMS {
            return Err(CoreError::invalid(format!("整改清单不能超过 {MAX_ITEMS} 项。")));
        }
        Ok(Decision::events(vec![NewEvent::new(
            kind::CHECKLIST_REGISTERED,
            format!("checklist:{id}"),
            &ChecklistRegistered {
                checklist_id: id.clone(),
                office_code: office.clone(),
                date: start.to_string(),
                title,
                source: form.source,
                template_id: template_ref.as_ref().map(|t| t.0.clone()),
                template_version: template_ref.as_ref().map(|t| t.1),
                sequential,
                items,
            },
        )?]))
    })?;
    Ok(id)
}

fn scope_of(store: &Store, id: &str, ord: u32) -> Result<bool> {
    Ok(item_state(store.conn(), id, ord)?.scope == ChecklistScope::Rectification)
}

/// Checks an evidence file and returns what the event records of it.
fn evidence(file: &EvidenceFile) -> Result<(Evidence, &[u8])> {
    let name: String = file.name.rsplit(['/', '\\']).next().unwrap_or("").trim().chars().take(120).collect();
    if name.is_empty() {
        return Err(CoreError::invalid("请为证明材料提供文件名。"));
    }
    let bytes = file.bytes.as_slice();
    if bytes.is_empty() {
        return Err(CoreError::invalid(format!("证明材料“{name}”是空文件，请重新扫描或选择文件。")));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(CoreError::invalid(format!(
            "证明材料“{name}”超过 {} MB 的上限，请压缩或分成几个文件。",
            MAX_ATTACHMENT_BYTES / 1024 / 1024
        )));
    }
    let mime = match infer::get(bytes).map(|t| t.mime_type()) {
        Some(m) => m,
        None if std::str::from_utf8(bytes).is_ok_and(|t| !t.chars().any(|c| c.is_control() && !c.is_whitespace())) => {
            "text/plain"
        }
        None => "",
    };
    if !ACCEPTED_EVIDENCE.contains(&mime) {
        return Err(CoreError::invalid(format!(
            "证明材料“{name}”不是可接受的类型（可接受 PDF、JPEG/PNG/TIFF 图片、Word 文档或文本）。"
        )));
    }
    let sha256 = crate::encoding::sha256_hex(bytes);
    Ok((Evidence { sha256, name, media_type: mime.to_owned(), size: bytes.len() as u64 }, bytes))
}

/// Submits an open (or rejected) item with its evidence for review, for the responsible unit.
pub fn submit(store: &mut Store, actor: &Actor, checklist_id: &str, ord: u32, req: &SubmitRequest) -> Result<()> {
    let office = store.office()?;
    let rectification = scope_of(store, checklist_id, ord)?;
    if req.files.len() > MAX_FILES {
        return Err(CoreError::invalid(format!("一次最多提交 {MAX_FILES} 个证明材料。")));
    }
    let files: Vec<(Evidence, &[u8])> = req.files.iter().map(evidence).collect::<Result<_>>()?;
    let act = PenaltyAct::Submit { rectification };
    store.execute(actor, Action::Penalty { office, act }, |tx, ctx| {
        let item = item_state(tx, checklist_id, ord)?;
        if !matches!(item.status, ItemStatus::Open | ItemStatus::Rejected) {
            return Err(wrong_state(&item, "提交"));
        }
        let d = past_date(&req.date, "办理日期", today(ctx))?;
        if d < item.start_date {
            return Err(CoreError::invalid(format!(
                "办理日期 {d} 早于{} {}，请核对。",
                if item.scope == ChecklistScope::Penalty { "处分决定日期" } else { "交办日期" },
                item.start_date
            )));
        }
        let note = required("办理情况说明", &req.note, MAX_TEXT_CHARS)?;
        if let Some((due, paid, left)) = remaining(&item)?
            && item.payment
            && left > Decimal::ZERO
        {
            return Err(CoreError::invalid(format!(
                "应缴 {} 元，已缴 {} 元，尚余 {} 元未缴清；缴清后才能提交本事项。",
                rules::fen(due),
                rules::fen(paid),
                rules::fen(left)
            )));
        }
        for (e, bytes) in &files {
            // The bytes are content, not a projection: stored once per hash and never rebuilt.
            tx.prepare_cached("INSERT OR IGNORE INTO blobs (sha256, size, bytes) VALUES (?1, ?2, ?3)")?
                .execute(params![e.sha256, e.size as i64, bytes])?;
        }
        Ok(Decision::events(vec![NewEvent::new(
            kind::CHECKLIST_ITEM_SUBMITTED,
            item.aggregate.clone(),
            &ItemSubmitted {
                checklist_id: checklist_id.to_owned(),
                ord,
                date: d.to_string(),
                note,
                measures: optional("整改措施", req.measures.as_deref(), MAX_TEXT_CHARS)?,
                result: optional("整改结果", req.result.as_deref(), MAX_TEXT_CHARS)?,
                evidence: files.iter().map(|(e, _)| e.clone()).collect(),
            },
        )?]))
    })?;
    Ok(())
}

/// Checks that the reviewer is not the officer who submitted the item.
fn check_reviewer(actor: &Actor, item: &ItemState) -> Result<()> {
    if item.submitted_by.as_deref() == Some(actor.id()) {
        return Err(CoreError::invalid(format!("事项“{}”是您本人提交的，须由审理室的其他同志审核。", item.title)));
    }
    Ok(())
}

/// Approves a submitted item (trial); a sequential checklist's next item opens.
pub fn approve(
    store: &mut Store,
    actor: &Actor,
    checklist_id: &str,
    ord: u32,
    note: &str,
    score: Option<&str>,
) -> Result<()> {
    let office = store.office()?;
    let rectification = scope_of(store, checklist_id, ord)?;
    store.execute(actor, Action::Penalty { office, act: PenaltyAct::Review { rectification } }, |tx, ctx| {
        let item = item_state(tx, checklist_id, ord)?;
        if item.status != ItemStatus::Submitted {
            return Err(wrong_state(&item, "审核"));
        }
        check_reviewer(actor, &item)?;
        if let Some((_, _, left)) = remaining(&item)?
            && item.payment
            && left != Decimal::ZERO
        {
            return Err(CoreError::invalid(format!("尚余 {} 元未缴清，不能审核通过。", rules::fen(left))));
        }
        let score = match (score.map(str::trim).filter(|s| !s.is_empty()), &item.max_score) {
            (None, _) => None,
            (Some(_), None) => return Err(CoreError::invalid(format!("事项“{}”不计分，不能填写得分。", item.title))),
            (Some(text), Some(max)) => {
                let s = if text == "0" { Decimal::ZERO } else { rules::parse_amount(text, "得分")? };
                let max = rules::stored_amount(max)?;
                if s > max {
                    return Err(CoreError::invalid(format!(
                        "得分 {} 超过该项满分 {}。",
                        rules::fen(s),
                        rules::fen(max)
                    )));
                }
                Some(rules::fen(s))
            }
        };
        Ok(Decision::events(vec![NewEvent::new(
            kind::CHECKLIST_ITEM_APPROVED,
            item.aggregate.clone(),
            &ItemApproved {
                checklist_id: checklist_id.to_owned(),
                ord,
                date: today(ctx).to_string(),
                note: note.trim().chars().take(MAX_TEXT_CHARS).collect(),
                score,
            },
        )?]))
    })?;
    Ok(())
}

/// Rejects a submitted item with a rectification note (trial); it returns to the unit's officer.
pub fn reject(store: &mut Store, actor: &Actor, checklist_id: &str, ord: u32, note: &str) -> Result<()> {
    let office = store.office()?;
    let rectification = scope_of(store, checklist_id, ord)?;
    store.execute(actor, Action::Penalty { office, act: PenaltyAct::Review { rectification } }, |tx, ctx| {
        let item = item_state(tx, checklist_id, ord)?;
        if item.status != ItemStatus::Submitted {
            return Err(wrong_state(&item, "驳回"));
        }
        check_reviewer(actor, &item)?;
        let note = required("驳回理由和整改意见", note, MAX_TEXT_CHARS)?;
        Ok(Decision::events(vec![NewEvent::new(
            kind::CHECKLIST_ITEM_REJECTED,
            item.aggregate.clone(),
            &ItemRejected { checklist_id: checklist_id.to_owned(), ord, date: today(ctx).to_string(), note },
        )?]))
    })?;
    Ok(())
}

/// What a payment left to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PaymentOutcome {
    pub amount_due: String,
    pub amount_paid: String,
    pub amount_remaining: String,
}

/// Records a payment toward a confiscation or repayment item; an overpayment is refused.
pub fn record_payment(
    store: &mut Store,
    actor: &Actor,
    checklist_id: &str,
    ord: u32,
    amount: &str,
    date: &str,
    note: &str,
) -> Result<PaymentOutcome> {
    let office = store.office()?;
    let mut outcome = None;
    store.execute(actor, Action::Penalty { office, act: PenaltyAct::Submit { rectification: false } }, |tx, ctx| {
        let item = item_state(tx, checklist_id, ord)?;
        let (due, paid, left) = match remaining(&item)? {
            Some(r) if item.payment => r,
            _ => return Err(CoreError::invalid(format!("事项“{}”不涉及收缴或退赔金额，不能登记缴款。", item.title))),
        };
        if matches!(item.status, ItemStatus::Submitted | ItemStatus::Approved) {
            return Err(wrong_state(&item, "登记缴款"));
        }
        let amount = rules::parse_amount(amount, "缴款金额")?;
        if amount > left {
            return Err(CoreError::invalid(format!(
                "缴款 {} 元超出尚未缴清的金额：应缴 {} 元，已缴 {} 元，尚余 {} 元。请核对金额。",
                rules::fen(amount),
                rules::fen(due),
                rules::fen(paid),
                rules::fen(left)
            )));
        }
        let d = past_date(date, "缴款日期", today(ctx))?;
        if d < item.start_date {
            return Err(CoreError::invalid(format!("缴款日期 {d} 早于处分决定日期 {}，请核对。", item.start_date)));
        }
        outcome = Some(PaymentOutcome {
            amount_due: rules::fen(due),
            amount_paid: rules::fen(paid + amount),
            amount_remaining: rules::fen(left - amount),
        });
        Ok(Decision::events(vec![NewEvent::new(
            kind::CHECKLIST_PAYMENT_RECORDED,
            item.aggregate.clone(),
            &PaymentRecorded {
                checklist_id: checklist_id.to_owned(),
                ord,
                date: d.to_string(),
                amount: rules::fen(amount),
                note: note.trim().chars().take(MAX_TEXT_CHARS).collect(),
            },
        )?]))
    })?;
    outcome.ok_or_else(|| CoreError::Encoding("payment produced no outcome".into()))
}

/// Extends an item's deadline with an approval (post and pay changes: 1 month, up to 6).
pub fn extend(
    store: &mut Store,
    actor: &Actor,
    checklist_id: &str,
    ord: u32,
    months: u32,
    approval_ref: &str,
) -> Result<()> {
    let office = store.office()?;
    store.execute(actor, Action::Penalty { office, act: PenaltyAct::Submit { rectification: false } }, |tx, ctx| {
        let item = item_state(tx, checklist_id, ord)?;
        let Some(max) = item.extendable_to else {
            return Err(CoreError::invalid(format!("事项“{}”的期限不能延长。", item.title)));
        };
        if item.status == ItemStatus::Approved {
            return Err(wrong_state(&item, "延长期限"));
        }
        let current = match Rule::parse(&item.deadline_rule)? {
            Rule::Months(n) => n,
            _ => 0,
        };
        if months <= current || months > max {
            return Err(CoreError::invalid(format!(
                "延长后的期限应大于现有的 {current} 个月、且不超过 {max} 个月（填写的是 {months} 个月）。"
            )));
        }
        let approval_ref = required("批准文号或批准依据", approval_ref, 200)?;
        Ok(Decision::events(vec![NewEvent::new(
            kind::CHECKLIST_ITEM_EXTENDED,
            item.aggregate.clone(),
            &ItemExtended {
                checklist_id: checklist_id.to_owned(),
                ord,
                date: today(ctx).to_string(),
                months,
                approval_ref,
            },
        )?]))
    })?;
    Ok(())
}

/// Publishes a new version of a checklist template (administrators); returns its id and version.
/// The document must name the next version of its id (1 for a new template).
pub fn publish_template(store: &mut Store, actor: &Actor, json: &str) -> Result<(String, u32)> {
    let office = store.office()?;
    let t = Template::parse(json)?;
    store.execute(actor, Action::Penalty { office, act: PenaltyAct::PublishTemplate }, |tx, _ctx| {
        let latest = template::latest_version(tx, &t.id)?;
        let next = latest.unwrap_or(0) + 1;
        if t.version != next {
            return Err(CoreError::invalid(format!(
                "模板“{}”的下一版应为第 {next} 版（文件中写的是第 {} 版）。",
                t.id, t.version
            )));
        }
        if let Some(v) = latest {
            let old = template::load(tx, &t.id, v)?;
            if old.scope != t.scope {
                return Err(CoreError::invalid("新版模板不能改变清单类别（处分执行或整改）。"));
            }
        }
        let body = serde_json::to_string(&t).map_err(|e| CoreError::Encoding(e.to_string()))?;
        Ok(Decision::events(vec![NewEvent::new(
            kind::CHECKLIST_TEMPLATE_PUBLISHED,
            format!("template:{}", t.id),
            &TemplatePublished {
                template_id: t.id.clone(),
                version: t.version,
                scope: t.scope,
                name: t.name.clone(),
                priority: t.priority,
                body,
            },
        )?]))
    })?;
    Ok((t.id, t.version))
}

/// Records an appraisal grade, promotion, award or pay-step change against a person; returns its
/// id and the reasons it falls inside a barring influence period (empty when it does not).
pub fn record_benefit(store: &mut Store, actor: &Actor, form: &BenefitForm) -> Result<(String, Vec<String>)> {
    let office = store.office()?;
    let id = uuid::Uuid::now_v7().to_string();
    store.execute(actor, Action::Penalty { office: office.clone(), act: PenaltyAct::RecordBenefit }, |_tx, _ctx| {
        let mut f = form.clone();
        f.person_name = required("姓名", &f.person_name, 50)?;
        f.person_unit = required("单位", &f.person_unit, 100)?;
        let d = qingfeng_calendar::parse_date(&f.date)
            .map_err(|e| CoreError::invalid(format!("日期“{}”无效：{e}", f.date)))?;
        f.date = d.to_string();
        f.detail = f.detail.trim().chars().take(MAX_TEXT_CHARS).collect();
        match (f.kind, f.grade) {
            (BenefitKind::Appraisal, None) => return Err(CoreError::invalid("登记年度考核须填写考核等次。")),
            (BenefitKind::Appraisal, Some(_)) => {}
            (_, Some(_)) => return Err(CoreError::invalid("只有年度考核才填写考核等次。")),
            (_, None) => {}
        }
        Ok(Decision::events(vec![NewEvent::new(
            kind::PERSON_BENEFIT_RECORDED,
            format!("person:{id}"),
            &BenefitRecorded { benefit_id: id.clone(), office_code: office.clone(), form: f },
        )?]))
    })?;
    let flags = super::query::flags_for_benefit(store, &id)?;
    Ok((id, flags))
}
