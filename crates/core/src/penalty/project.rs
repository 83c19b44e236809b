//! Applies penalty, checklist and person events to their projections and to the deadlines: an
//! exhaustive match over the typed events (`events`), each writing its own rows, then the duties
//! `workflow::duties` names for it. No rule is decided here.
//!
//! Every date written here comes from a payload, and due dates from the calendar the projector
//! carries, so a rebuild writes the same rows as the live commands did.

use qingfeng_calendar::Calendar;
use rusqlite::{Transaction, params};

use super::events::{ChecklistEvent, PenaltyEvent};
use super::model::*;
use super::rules;
use super::state;
use super::workflow::{self, Checklist, Duty};
use crate::deadlines;
use crate::error::{CoreError, Result};
use crate::events::Event;

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| CoreError::Encoding(e.to_string()))
}

/// Applies one `penalty.*`, `checklist.*` or `person.*` event.
pub fn apply(tx: &Transaction<'_>, calendar: &Calendar, event: &Event, at: &str) -> Result<()> {
    match PenaltyEvent::decode(event)? {
        PenaltyEvent::Checklist(e) => apply_checklist(tx, calendar, event, &e, at),
        PenaltyEvent::TemplatePublished(p) => {
            // Template versions never change once published, so replaying the event is a no-op.
            tx.prepare_cached(
                "INSERT OR IGNORE INTO checklist_templates (id, version, scope, name, priority, body, source, published_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![p.template_id, p.version, p.scope.as_str(), p.name, p.priority, p.body, event.id, at])?;
            Ok(())
        }
        PenaltyEvent::BenefitRecorded(p) => {
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
            Ok(())
        }
    }
}

/// Applies one event of a checklist aggregate: its own rows first, then the deadlines the
/// workflow says it opens or closes (`workflow::duties`, from the state before the event).
fn apply_checklist(
    tx: &Transaction<'_>,
    calendar: &Calendar,
    event: &Event,
    e: &ChecklistEvent,
    at: &str,
) -> Result<()> {
    let before = match e {
        ChecklistEvent::PenaltyRegistered(_) | ChecklistEvent::RectificationRegistered(_) => None,
        _ => Some(state::load(tx, e.checklist_id())?.ok_or_else(|| {
            CoreError::Encoding(format!("{} for unknown checklist {} (event {})", e.kind(), e.checklist_id(), event.id))
        })?),
    };
    let duties = workflow::duties(before.as_ref(), e)?;
    match e {
        ChecklistEvent::PenaltyRegistered(p) => {
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
            insert_checklist(
                tx,
                event,
                at,
                &NewChecklist {
                    id: &p.penalty_id,
                    aggregate: &format!("penalty:{}", p.penalty_id),
                    scope: ChecklistScope::Penalty,
                    title: &format!("{} {}", f.person.name, f.decision_number),
                    source: "decision",
                    template: Some((&p.template_id, p.template_version)),
                    sequential: true,
                    office: &p.office_code,
                    start: &f.decision_date,
                    items: &p.items,
                },
            )?;
            apply_duties(tx, calendar, event, &p.penalty_id, &format!("penalty:{}", p.penalty_id), &duties, &p.date)?;
        }
        ChecklistEvent::RectificationRegistered(p) => {
            let aggregate = format!("checklist:{}", p.checklist_id);
            insert_checklist(
                tx,
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
                    items: &p.items,
                },
            )?;
            if let Some(penalty) = &p.penalty_id {
                tx.prepare_cached("UPDATE checklists SET penalty_id = ?2 WHERE id = ?1")?
                    .execute(params![p.checklist_id, penalty])?;
            }
            apply_duties(tx, calendar, event, &p.checklist_id, &aggregate, &duties, &p.date)?;
        }
        ChecklistEvent::GuidanceGiven(p) => {
            // Advice, not the unit's work: the item's idle clock (last_action_date) is not reset.
            tx.prepare_cached(
                "INSERT INTO checklist_guidance (event_id, checklist_id, ord, date, text, given_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![event.id, p.checklist_id, p.ord, p.date, p.text, event.actor])?;
            touch(tx, &p.checklist_id, at)?;
        }
        ChecklistEvent::ItemSubmitted(p) => {
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
        ChecklistEvent::ItemApproved(p) => {
            review_submission(tx, &p.checklist_id, p.ord, "approved", &event.actor, &p.date, &p.note)?;
            tx.prepare_cached(
                "UPDATE checklist_items SET status = 'approved', approved_date = ?3, reviewed_by = ?4,
                    review_note = ?5, score = ?6, last_action_date = max(coalesce(last_action_date, ''), ?3)
                 WHERE checklist_id = ?1 AND ord = ?2",
            )?
            .execute(params![p.checklist_id, p.ord, p.date, event.actor, p.note, p.score])?;
            let c = before.as_ref().ok_or_else(|| CoreError::Encoding("approval without a checklist".into()))?;
            apply_duties(tx, calendar, event, &p.checklist_id, &c.aggregate, &duties, &p.date)?;
            advance(tx, c, p.ord, at)?;
        }
        ChecklistEvent::ItemRejected(p) => {
            review_submission(tx, &p.checklist_id, p.ord, "rejected", &event.actor, &p.date, &p.note)?;
            tx.prepare_cached(
                "UPDATE checklist_items SET status = 'rejected', reviewed_by = ?3, review_note = ?4,
                    rejections = rejections + 1, last_action_date = max(coalesce(last_action_date, ''), ?5)
                 WHERE checklist_id = ?1 AND ord = ?2",
            )?
            .execute(params![p.checklist_id, p.ord, event.actor, p.note, p.date])?;
            touch(tx, &p.checklist_id, at)?;
        }
        ChecklistEvent::PaymentRecorded(p) => {
            tx.prepare_cached(
                "INSERT INTO checklist_payments (event_id, checklist_id, ord, date, amount, note, recorded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![event.id, p.checklist_id, p.ord, p.date, p.amount, p.note, event.actor])?;
            // Sums are kept as decimals in Rust: SQLite would add text amounts as floats.
            let c = before.as_ref().ok_or_else(|| CoreError::Encoding("payment without a checklist".into()))?;
            let total = c.item(p.ord)?.amount_paid + rules::stored_amount(&p.amount)?;
            tx.prepare_cached(
                "UPDATE checklist_items SET amount_paid = ?3, last_action_date = max(coalesce(last_action_date, ''), ?4)
                 WHERE checklist_id = ?1 AND ord = ?2",
            )?
            .execute(params![p.checklist_id, p.ord, rules::fen(total), p.date])?;
            touch(tx, &p.checklist_id, at)?;
        }
        ChecklistEvent::ItemExtended(p) => {
            let c = before.as_ref().ok_or_else(|| CoreError::Encoding("extension without a checklist".into()))?;
            apply_duties(tx, calendar, event, &p.checklist_id, &c.aggregate, &duties, &p.date)?;
            let id = workflow::extension_deadline_id(&p.checklist_id, p.ord, p.months);
            tx.prepare_cached(
                "UPDATE checklist_items SET deadline_rule = ?3, deadline_id = ?4,
                    last_action_date = max(coalesce(last_action_date, ''), ?5)
                 WHERE checklist_id = ?1 AND ord = ?2",
            )?
            .execute(params![
                p.checklist_id,
                p.ord,
                deadlines::Rule::Months(p.months).code(),
                id,
                p.date
            ])?;
            touch(tx, &p.checklist_id, at)?;
        }
    }
    Ok(())
}

/// Opens and closes the deadlines an event brings; an item whose deadline opens becomes workable
/// on the event's business date `on`.
fn apply_duties(
    tx: &Transaction<'_>,
    calendar: &Calendar,
    event: &Event,
    checklist_id: &str,
    aggregate: &str,
    duties: &[Duty],
    on: &str,
) -> Result<()> {
    for duty in duties {
        match duty {
            Duty::Open { id, kind, rule, start, item } => {
                deadlines::open_with(tx, calendar, aggregate, *kind, *rule, *start, event, id)?;
                if let Some(ord) = item {
                    tx.prepare_cached(
                        "UPDATE checklist_items SET status = 'open', deadline_id = ?3, last_action_date = ?4
                         WHERE checklist_id = ?1 AND ord = ?2",
                    )?
                    .execute(params![checklist_id, ord, id, on])?;
                }
            }
            Duty::Close { id, status, date } => deadlines::close_id(tx, id, status, date, event)?,
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
    items: &'a [GeneratedItem],
}

/// Inserts a checklist, its owner and its items, every item waiting; the registration's duties
/// then open the first ones.
fn insert_checklist(tx: &Transaction<'_>, event: &Event, at: &str, c: &NewChecklist<'_>) -> Result<()> {
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
    Ok(())
}

/// After an approval of item `ord` (its row and the duties already applied): move the list's
/// current item on, and close the list when every item is approved.
fn advance(tx: &Transaction<'_>, before: &Checklist, ord: u32, at: &str) -> Result<()> {
    let next = before.items.iter().find(|i| i.ord != ord && i.status != ItemStatus::Approved).map(|i| i.ord);
    tx.prepare_cached(
        "UPDATE checklists SET current_ord = ?2, status = CASE WHEN ?2 IS NULL THEN 'done' ELSE 'open' END,
            items_done = items_done + 1, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![before.id, next, at])?;
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
