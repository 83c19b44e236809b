//! Applies penalty, checklist and person events to their projections and to the deadlines.
//!
//! Every date written here comes from a payload, and due dates from the calendar the projector
//! carries, so a rebuild writes the same rows as the live commands did.

use chrono::NaiveDate;
use qingfeng_calendar::Calendar;
use rusqlite::{OptionalExtension, Transaction, params};

use super::model::*;
use super::rules;
use crate::deadlines::{self, DeadlineKind, Rule};
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::projector::kind;

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| CoreError::Encoding(e.to_string()))
}

/// The deadline id of a checklist item.
pub(crate) fn item_deadline_id(checklist_id: &str, ord: u32) -> String {
    format!("checklist_item:{checklist_id}:{ord}")
}

/// The deadline id of a penalty's six-month execution report.
pub(crate) fn report_deadline_id(penalty_id: &str) -> String {
    format!("penalty_report:{penalty_id}")
}

/// Applies one `penalty.*`, `checklist.*` or `person.*` event.
pub fn apply(tx: &Transaction<'_>, calendar: &Calendar, event: &Event, at: &str) -> Result<()> {
    match event.kind.as_str() {
        kind::PENALTY_REGISTERED => {
            let p: PenaltyRegistered = event.payload()?;
            let f = &p.form;
            let start = p.periods.iter().map(|x| x.start.clone()).min();
            let permanent = p.periods.iter().any(|x| x.permanent);
            let end = if permanent { None } else { rules::latest_end(&p.periods) };
            tx.prepare_cached(
                "INSERT INTO penalties (id, office_code, decision_number, deciding_body, person_name, person_unit,
                    party_penalty, government_sanction, penalty_label, decision_date, approval_date, complaint_id,
                    amount_due, influence_start, influence_end, permanent, periods_json, form_json, registered_by,
                    created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            )?
            .execute(params![
                p.penalty_id,
                p.office_code,
                f.decision_number,
                f.deciding_body,
                f.person.name,
                f.person.unit,
                f.party_penalty.map(|x| x.as_str()),
                f.government_sanction.map(|x| x.as_str()),
                p.penalty_label,
                f.decision_date,
                f.approval_date,
                f.complaint_id,
                p.amount_due,
                start,
                end,
                permanent,
                json(&p.periods)?,
                json(f)?,
                event.actor,
                at,
            ])?;
            let aggregate = format!("penalty:{}", p.penalty_id);
            insert_checklist(
                tx,
                calendar,
                event,
                at,
                &NewChecklist {
                    id: &p.penalty_id,
                    aggregate: &aggregate,
                    scope: ChecklistScope::Penalty,
                    title: &format!("{} {}", f.person.name, f.decision_number),
                    source: "decision",
                    template: Some((&p.template_id, p.template_version)),
                    sequential: true,
                    office: &p.office_code,
                    start: &f.decision_date,
                    opened: &p.date,
                    items: &p.items,
                },
            )?;
            // The executing body reports execution within six months of the decision.
            deadlines::open_with(
                tx,
                calendar,
                &aggregate,
                DeadlineKind::PenaltyExecutionReport,
                DeadlineKind::PenaltyExecutionReport.rule(),
                date(&f.decision_date)?,
                event,
                &report_deadline_id(&p.penalty_id),
            )?;
        }
        kind::CHECKLIST_REGISTERED => {
            let p: ChecklistRegistered = event.payload()?;
            let aggregate = format!("checklist:{}", p.checklist_id);
            insert_checklist(
                tx,
                calendar,
                event,
                at,
                &NewChecklist {
                    id: &p.checklist_id,
                    aggregate: &aggregate,
                    scope: ChecklistScope::Rectification,
                    title: &p.title,
                    source: p.source.as_str(),
                    template: p.template_id.as_deref().zip(p.template_version),
                    sequential: p.sequential,
                    office: &p.office_code,
                    start: &p.date,
                    opened: &p.date,
                    items: &p.items,
                },
            )?;
        }
        kind::CHECKLIST_ITEM_SUBMITTED => {
            let p: ItemSubmitted = event.payload()?;
            tx.prepare_cached(
                "INSERT INTO checklist_submissions (event_id, checklist_id, ord, date, note, measures, result,
                    evidence_json, submitted_by, submitted_at, outcome)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending')",
            )?
            .execute(params![
                event.id,
                p.checklist_id,
                p.ord,
                p.date,
                p.note,
                p.measures,
                p.result,
                json(&p.evidence)?,
                event.actor,
                at
            ])?;
            tx.prepare_cached(
                "UPDATE checklist_items SET status = 'submitted', submitted_by = ?3,
                    measures = coalesce(?4, measures), result = coalesce(?5, result),
                    last_action_date = max(coalesce(last_action_date, ''), ?6)
                 WHERE checklist_id = ?1 AND ord = ?2",
            )?
            .execute(params![p.checklist_id, p.ord, event.actor, p.measures, p.result, p.date])?;
            touch(tx, &p.checklist_id, at)?;
        }
        kind::CHECKLIST_ITEM_APPROVED => {
            let p: ItemApproved = event.payload()?;
            review_submission(tx, &p.checklist_id, p.ord, "approved", &event.actor, &p.date, &p.note)?;
            tx.prepare_cached(
                "UPDATE checklist_items SET status = 'approved', approved_date = ?3, reviewed_by = ?4,
                    review_note = ?5, score = ?6, last_action_date = max(coalesce(last_action_date, ''), ?3)
                 WHERE checklist_id = ?1 AND ord = ?2",
            )?
            .execute(params![p.checklist_id, p.ord, p.date, event.actor, p.note, p.score])?;
            let deadline: Option<String> = tx
                .prepare_cached("SELECT deadline_id FROM checklist_items WHERE checklist_id = ?1 AND ord = ?2")?
                .query_row(params![p.checklist_id, p.ord], |r| r.get(0))?;
            if let Some(id) = deadline {
                deadlines::close_id(tx, &id, "done", &p.date, event)?;
            }
            advance(tx, calendar, event, &p.checklist_id, &p.date, at)?;
        }
        kind::CHECKLIST_ITEM_REJECTED => {
            let p: ItemRejected = event.payload()?;
            review_submission(tx, &p.checklist_id, p.ord, "rejected", &event.actor, &p.date, &p.note)?;
            tx.prepare_cached(
                "UPDATE checklist_items SET status = 'rejected', reviewed_by = ?3, review_note = ?4,
                    rejections = rejections + 1, last_action_date = max(coalesce(last_action_date, ''), ?5)
                 WHERE checklist_id = ?1 AND ord = ?2",
            )?
            .execute(params![p.checklist_id, p.ord, event.actor, p.note, p.date])?;
            touch(tx, &p.checklist_id, at)?;
        }
        kind::CHECKLIST_PAYMENT_RECORDED => {
            let p: PaymentRecorded = event.payload()?;
            tx.prepare_cached(
                "INSERT INTO checklist_payments (event_id, checklist_id, ord, date, amount, note, recorded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![event.id, p.checklist_id, p.ord, p.date, p.amount, p.note, event.actor])?;
            // Sums are kept as decimals in Rust: SQLite would add text amounts as floats.
            let paid: String = tx
                .prepare_cached("SELECT amount_paid FROM checklist_items WHERE checklist_id = ?1 AND ord = ?2")?
                .query_row(params![p.checklist_id, p.ord], |r| r.get(0))?;
            let total = rules::stored_amount(&paid)? + rules::stored_amount(&p.amount)?;
            tx.prepare_cached(
                "UPDATE checklist_items SET amount_paid = ?3, last_action_date = max(coalesce(last_action_date, ''), ?4)
                 WHERE checklist_id = ?1 AND ord = ?2",
            )?
            .execute(params![p.checklist_id, p.ord, rules::fen(total), p.date])?;
            touch(tx, &p.checklist_id, at)?;
        }
        kind::CHECKLIST_ITEM_EXTENDED => {
            let p: ItemExtended = event.payload()?;
            let (aggregate, kind_text, start, old): (String, String, String, Option<String>) = tx
                .prepare_cached(
                    "SELECT c.aggregate, i.deadline_kind, i.deadline_start, i.deadline_id
                     FROM checklist_items i JOIN checklists c ON c.id = i.checklist_id
                     WHERE i.checklist_id = ?1 AND i.ord = ?2",
                )?
                .query_row(params![p.checklist_id, p.ord], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            if let Some(old) = &old {
                deadlines::close_id(tx, old, "cancelled", &p.date, event)?;
            }
            let rule = Rule::Months(p.months);
            let id = format!("{}:ext{}", item_deadline_id(&p.checklist_id, p.ord), p.months);
            let kind = DeadlineKind::parse(&kind_text)?;
            deadlines::open_with(tx, calendar, &aggregate, kind, rule, date(&start)?, event, &id)?;
            tx.prepare_cached(
                "UPDATE checklist_items SET deadline_rule = ?3, deadline_id = ?4,
                    last_action_date = max(coalesce(last_action_date, ''), ?5)
                 WHERE checklist_id = ?1 AND ord = ?2",
            )?
            .execute(params![p.checklist_id, p.ord, rule.code(), id, p.date])?;
            touch(tx, &p.checklist_id, at)?;
        }
        kind::CHECKLIST_TEMPLATE_PUBLISHED => {
            let p: TemplatePublished = event.payload()?;
            // Template versions never change once published, so replaying the event is a no-op.
            tx.prepare_cached(
                "INSERT OR IGNORE INTO checklist_templates (id, version, scope, name, priority, body, source, published_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![p.template_id, p.version, p.scope.as_str(), p.name, p.priority, p.body, event.id, at])?;
        }
        kind::PERSON_BENEFIT_RECORDED => {
            let p: BenefitRecorded = event.payload()?;
            let f = &p.form;
            tx.prepare_cached(
                "INSERT INTO person_benefits (id, person_name, person_unit, kind, date, grade, detail, recorded_by,
                    recorded_at, office_code)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                p.benefit_id,
                f.person_name,
                f.person_unit,
                f.kind.as_str(),
                f.date,
                f.grade.map(|g| g.as_str()),
                f.detail,
                event.actor,
                at,
                p.office_code
            ])?;
        }
        other => {
            return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id)));
        }
    }
    Ok(())
}

/// A checklist about to be inserted.
struct NewChecklist<'a> {
    id: &'a str,
    aggregate: &'a str,
    scope: ChecklistScope,
    title: &'a str,
    source: &'a str,
    template: Option<(&'a str, u32)>,
    sequential: bool,
    office: &'a str,
    start: &'a str,
    /// The business date the checklist was entered: its first items open then.
    opened: &'a str,
    items: &'a [GeneratedItem],
}

fn insert_checklist(
    tx: &Transaction<'_>,
    calendar: &Calendar,
    event: &Event,
    at: &str,
    c: &NewChecklist<'_>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO checklists (id, aggregate, scope, title, source, template_id, template_version, sequential,
            office_code, start_date, status, current_ord, items_total, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'open', 1, ?11, ?12, ?13, ?13)",
    )?
    .execute(params![
        c.id,
        c.aggregate,
        c.scope.as_str(),
        c.title,
        c.source,
        c.template.map(|t| t.0),
        c.template.map(|t| t.1),
        c.sequential,
        c.office,
        c.start,
        c.items.len() as i64,
        event.actor,
        at
    ])?;
    tx.prepare_cached("INSERT OR IGNORE INTO ownership (aggregate, owner_office, epoch) VALUES (?1, ?2, 1)")?
        .execute(params![c.aggregate, c.office])?;
    for item in c.items {
        tx.prepare_cached(
            "INSERT INTO checklist_items (checklist_id, ord, code, title, responsible_unit, measures, status,
                deadline_kind, deadline_rule, deadline_start, extendable_to, payment, amount_due, max_score, letters_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            c.id,
            item.ord,
            item.code,
            item.title,
            item.responsible_unit,
            item.measures,
            item.deadline_kind.as_str(),
            item.rule,
            item.start,
            item.extendable_to,
            item.payment,
            item.amount_due,
            item.max_score,
            json(&item.letters)?,
        ])?;
    }
    let to_open: Vec<u32> = if c.sequential {
        c.items.first().map(|i| i.ord).into_iter().collect()
    } else {
        c.items.iter().map(|i| i.ord).collect()
    };
    for ord in to_open {
        open_item(tx, calendar, event, c.id, c.aggregate, ord, c.opened)?;
    }
    Ok(())
}

/// Opens an item: it may be worked on, and its deadline starts to show.
fn open_item(
    tx: &Transaction<'_>,
    calendar: &Calendar,
    event: &Event,
    checklist_id: &str,
    aggregate: &str,
    ord: u32,
    on: &str,
) -> Result<()> {
    let (kind_text, rule, start): (String, String, String) = tx
        .prepare_cached(
            "SELECT deadline_kind, deadline_rule, deadline_start FROM checklist_items WHERE checklist_id = ?1 AND ord = ?2",
        )?
        .query_row(params![checklist_id, ord], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let id = item_deadline_id(checklist_id, ord);
    deadlines::open_with(
        tx,
        calendar,
        aggregate,
        DeadlineKind::parse(&kind_text)?,
        Rule::parse(&rule)?,
        date(&start)?,
        event,
        &id,
    )?;
    tx.prepare_cached(
        "UPDATE checklist_items SET status = 'open', deadline_id = ?3, last_action_date = ?4
         WHERE checklist_id = ?1 AND ord = ?2",
    )?
    .execute(params![checklist_id, ord, id, on])?;
    Ok(())
}

/// After an approval: open the next item of a sequential list, move the current item on, close
/// the execution report once only restoration remains, and close the list when all is approved.
fn advance(
    tx: &Transaction<'_>,
    calendar: &Calendar,
    event: &Event,
    checklist_id: &str,
    on: &str,
    at: &str,
) -> Result<()> {
    let (aggregate, sequential): (String, bool) = tx
        .prepare_cached("SELECT aggregate, sequential FROM checklists WHERE id = ?1")?
        .query_row([checklist_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let next: Option<(u32, String)> = tx
        .prepare_cached(
            "SELECT ord, status FROM checklist_items WHERE checklist_id = ?1 AND status <> 'approved' ORDER BY ord LIMIT 1",
        )?
        .query_row([checklist_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((ord, status)) = &next
        && sequential
        && status == "pending"
    {
        open_item(tx, calendar, event, checklist_id, &aggregate, *ord, on)?;
    }
    tx.prepare_cached(
        "UPDATE checklists SET current_ord = ?2, status = CASE WHEN ?2 IS NULL THEN 'done' ELSE 'open' END,
            items_done = items_done + 1, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![checklist_id, next.as_ref().map(|n| n.0), at])?;
    if let Some(penalty_id) = aggregate.strip_prefix("penalty:") {
        let remaining: i64 = tx
            .prepare_cached(
                "SELECT count(*) FROM checklist_items WHERE checklist_id = ?1 AND status <> 'approved'
                    AND deadline_kind <> 'penalty_restoration'",
            )?
            .query_row([checklist_id], |r| r.get(0))?;
        if remaining == 0 {
            deadlines::close_id(tx, &report_deadline_id(penalty_id), "done", on, event)?;
        }
    }
    Ok(())
}

fn review_submission(
    tx: &Transaction<'_>,
    checklist_id: &str,
    ord: u32,
    outcome: &str,
    reviewer: &str,
    on: &str,
    note: &str,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE checklist_submissions SET outcome = ?3, reviewed_by = ?4, review_date = ?5, review_note = ?6
         WHERE checklist_id = ?1 AND ord = ?2 AND outcome = 'pending'",
    )?
    .execute(params![checklist_id, ord, outcome, reviewer, on, note])?;
    Ok(())
}

fn touch(tx: &Transaction<'_>, checklist_id: &str, at: &str) -> Result<()> {
    tx.prepare_cached("UPDATE checklists SET updated_at = ?2 WHERE id = ?1")?.execute(params![checklist_id, at])?;
    Ok(())
}

/// Clears every projected row of one penalty or checklist so its events can be replayed after an
/// ownership change made some of them stale.
pub(crate) fn clear(tx: &Transaction<'_>, aggregate: &str) -> Result<()> {
    let id = match aggregate.split_once(':') {
        Some(("penalty" | "checklist", id)) => id,
        _ => return Ok(()),
    };
    for sql in [
        "DELETE FROM checklist_submissions WHERE checklist_id = ?1",
        "DELETE FROM checklist_payments WHERE checklist_id = ?1",
        "DELETE FROM checklist_items WHERE checklist_id = ?1",
        "DELETE FROM checklists WHERE id = ?1",
        "DELETE FROM penalties WHERE id = ?1",
    ] {
        tx.execute(sql, [id])?;
    }
    Ok(())
}
