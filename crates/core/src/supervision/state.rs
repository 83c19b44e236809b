//! Reads what the supervision rules need from the projections: a letter's state with the due date
//! of the feedback it owes (from its open deadline), a circular's status, and the facts of the
//! letters issued in a period for a circular. Commands (`ops`), the notice path and pages
//! (`query`) all read through here before asking the workflow.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::model::*;
use super::workflow::{Letter, LetterFact, feedback_deadline_id};
use crate::error::{CoreError, Result};

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

fn json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| CoreError::Encoding(e.to_string()))
}

/// Letter `id` as the rules read it, or `None` when there is none.
pub fn letter(conn: &Connection, id: &str) -> Result<Option<Letter>> {
    let row = conn
        .prepare_cached(
            "SELECT status, kind, unit, problems_json, feedback_working_days, feedback_due, issue_date, feedback_round,
                due_date
             FROM supervision_letters WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, u32>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })
        .optional()?;
    let Some((status, kind, unit, problems, days, fixed, issued, round, start)) = row else {
        return Ok(None);
    };
    let due: Option<String> = conn
        .prepare_cached("SELECT due_date FROM deadlines WHERE id = ?1")?
        .query_row([feedback_deadline_id(id, round)], |r| r.get(0))
        .optional()?;
    let pending: Option<String> = conn
        .prepare_cached(
            "SELECT rectified_json FROM letter_feedback WHERE letter_id = ?1 AND outcome = 'pending'
             ORDER BY round DESC LIMIT 1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(Some(Letter {
        id: id.to_owned(),
        status: LetterStatus::parse(&status)?,
        kind: LetterKind::parse(&kind).map_err(|e| CoreError::Encoding(e.to_string()))?,
        unit,
        problems: json(&problems)?,
        feedback_working_days: days,
        feedback_due: fixed.as_deref().map(date).transpose()?,
        issue_date: issued.as_deref().map(date).transpose()?,
        round,
        round_start: start.as_deref().map(date).transpose()?,
        due: due.as_deref().map(date).transpose()?,
        pending_rectified: pending.as_deref().map(json).transpose()?.unwrap_or_default(),
    }))
}

/// Letter `id`, or the refusal naming it.
pub fn existing_letter(conn: &Connection, id: &str) -> Result<Letter> {
    letter(conn, id)?.ok_or_else(|| CoreError::NotFound { what: "监督建议或提醒函", id: id.to_owned() })
}

/// A circular's status (`drafted`, `issued`), or `None` when there is none.
pub fn circular_status(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn.prepare_cached("SELECT status FROM circulars WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?)
}

/// The facts of every letter of `office` issued from `from` to `to` (inclusive), in issue order.
pub fn letter_facts(conn: &Connection, office: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<LetterFact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.unit, l.kind, coalesce(l.number, ''), l.status, l.problems_total, l.problems_rectified,
            (SELECT d.due_date FROM deadlines d
             WHERE d.id = 'letter_feedback:' || l.id || ':' || l.feedback_round AND d.status = 'open'),
            (SELECT count(*) FROM letter_feedback f WHERE f.letter_id = l.id AND f.on_time = 0),
            (SELECT count(*) FROM letter_feedback f WHERE f.letter_id = l.id AND f.outcome = 'sent_back')
         FROM supervision_letters l
         WHERE l.office_code = ?1 AND l.issue_date BETWEEN ?2 AND ?3
         ORDER BY l.issue_date, l.number",
    )?;
    let mut rows = stmt.query(params![office, from.to_string(), to.to_string()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(1)?;
        let status: String = r.get(3)?;
        let due: Option<String> = r.get(6)?;
        out.push(LetterFact {
            unit: r.get(0)?,
            kind: LetterKind::parse(&kind).map_err(|e| CoreError::Encoding(e.to_string()))?,
            number: r.get(2)?,
            status: LetterStatus::parse(&status)?,
            due: due.as_deref().map(date).transpose()?,
            late_feedbacks: r.get(7)?,
            sent_back: r.get(8)?,
            problems_total: r.get(4)?,
            problems_rectified: r.get(5)?,
        });
    }
    Ok(out)
}
