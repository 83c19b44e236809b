//! Applies the supervision side's events (letters, their feedback and reminders, circulars) to
//! their projections and the feedback deadlines: an exhaustive match over the typed events, each
//! writing its own rows, then the duties `workflow::duties` names. No rule is decided here; every
//! date comes from a payload, so a rebuild writes the same rows as the live commands did.

use qingfeng_calendar::Calendar;
use rusqlite::{Transaction, params};

use super::events::{CircularEvent, LetterEvent, SupervisionEvent};
use super::workflow::{self, Duty};
use crate::deadlines;
use crate::error::{CoreError, Result};
use crate::events::Event;

/// Whether the projector routes `kind` here.
pub fn handles(kind: &str) -> bool {
    kind.starts_with("letter.") || kind.starts_with("circular.")
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| CoreError::Encoding(e.to_string()))
}

/// Applies one supervision event.
pub fn apply(tx: &Transaction<'_>, calendar: &Calendar, event: &Event, at: &str) -> Result<()> {
    match SupervisionEvent::decode(event)? {
        SupervisionEvent::Letter(e) => apply_letter(tx, calendar, event, &e, at),
        SupervisionEvent::Circular(e) => apply_circular(tx, event, &e, at),
    }
}

fn apply_letter(tx: &Transaction<'_>, calendar: &Calendar, event: &Event, e: &LetterEvent, at: &str) -> Result<()> {
    let id = e.letter_id();
    match e {
        LetterEvent::Registered(p) => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO supervision_letters (id, office_code, kind, topic, unit, title, problems_json,
                    suggestions, feedback_working_days, feedback_due, status, problems_total, registered_by,
                    created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'drafted', ?11, ?12, ?13, ?13)",
            )?
            .execute(params![
                p.letter_id,
                p.office_code,
                p.kind.as_str(),
                p.topic.map(|t| t.as_str()),
                p.unit,
                p.title,
                json(&p.problems)?,
                p.suggestions,
                p.feedback_working_days,
                p.feedback_due,
                p.problems.len() as i64,
                event.actor,
                at
            ])?;
        }
        LetterEvent::Issued(p) => {
            tx.prepare_cached(
                "UPDATE supervision_letters SET status = 'issued', number = ?2, issue_date = ?3, due_date = ?3,
                    feedback_round = 1 WHERE id = ?1",
            )?
            .execute(params![id, p.number, p.date])?;
        }
        LetterEvent::FeedbackRecorded(p) => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO letter_feedback (event_id, letter_id, round, date, content, rectified_json,
                    evidence_json, due_date, on_time, outcome, recorded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', ?10)",
            )?
            .execute(params![
                event.id,
                id,
                p.round,
                p.date,
                p.content,
                json(&p.rectified)?,
                json(&p.evidence)?,
                p.due_date,
                p.on_time,
                event.actor
            ])?;
            tx.prepare_cached("UPDATE supervision_letters SET status = 'feedback' WHERE id = ?1")?.execute([id])?;
        }
        LetterEvent::FeedbackAccepted(p) | LetterEvent::FeedbackSentBack(p) => {
            let accepted = matches!(e, LetterEvent::FeedbackAccepted(_));
            tx.prepare_cached(
                "UPDATE letter_feedback SET outcome = ?3, review_note = ?4, reviewed_by = ?5, review_date = ?6
                 WHERE letter_id = ?1 AND round = ?2 AND outcome = 'pending'",
            )?
            .execute(params![
                id,
                p.round,
                if accepted { "accepted" } else { "sent_back" },
                p.note,
                event.actor,
                p.date
            ])?;
            if accepted {
                // The problems counted rectified are those the accepted feedback reports.
                tx.prepare_cached(
                    "UPDATE supervision_letters SET status = 'closed', closed_date = ?2,
                        problems_rectified = coalesce((SELECT json_array_length(rectified_json) FROM letter_feedback
                            WHERE letter_id = ?1 AND round = ?3 AND outcome = 'accepted'), 0)
                     WHERE id = ?1",
                )?
                .execute(params![id, p.date, p.round])?;
            } else {
                tx.prepare_cached(
                    "UPDATE supervision_letters SET status = 'issued', due_date = ?2, feedback_round = ?3 WHERE id = ?1",
                )?
                .execute(params![id, p.date, p.round + 1])?;
            }
        }
        LetterEvent::Reminded(p) => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO letter_reminders (event_id, letter_id, date, note, sent_by)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![event.id, id, p.date, p.note, event.actor])?;
            tx.prepare_cached("UPDATE supervision_letters SET reminders = reminders + 1 WHERE id = ?1")?
                .execute([id])?;
        }
    }
    tx.prepare_cached("UPDATE supervision_letters SET updated_at = ?2 WHERE id = ?1")?.execute(params![id, at])?;
    let aggregate = format!("letter:{id}");
    for duty in workflow::duties(e)? {
        match duty {
            Duty::Open { id, kind, rule, start } => {
                deadlines::open_with(tx, calendar, &aggregate, kind, rule, start, event, &id)?
            }
            Duty::Close { id, status, date } => deadlines::close_id(tx, &id, status, &date, event)?,
        }
    }
    Ok(())
}

fn apply_circular(tx: &Transaction<'_>, event: &Event, e: &CircularEvent, at: &str) -> Result<()> {
    match e {
        CircularEvent::Drafted(p) => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO circulars (id, office_code, title, period_from, period_to, units_json, units,
                    status, drafted_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'drafted', ?8, ?9)",
            )?
            .execute(params![
                p.circular_id,
                p.office_code,
                p.title,
                p.period_from,
                p.period_to,
                json(&p.units)?,
                p.units.len() as i64,
                event.actor,
                at
            ])?;
        }
        CircularEvent::Issued(p) => {
            tx.prepare_cached("UPDATE circulars SET status = 'issued', number = ?2, issue_date = ?3 WHERE id = ?1")?
                .execute(params![p.circular_id, p.number, p.date])?;
        }
    }
    Ok(())
}
