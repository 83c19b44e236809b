//! Applies the integrity side's events (cadres, matches, units, readings, opinion requests) to
//! their projections and the reply deadline: an exhaustive match over the typed events, each
//! writing its own rows, then the duties `workflow::duties` names. No rule is decided here; every
//! date comes from a payload, so a rebuild writes the same rows as the live commands did.

use qingfeng_calendar::Calendar;
use rusqlite::{Transaction, params};

use super::events::{IntegrityEvent, OpinionEvent};
use super::workflow::{self, Duty};
use crate::deadlines;
use crate::error::{CoreError, Result};
use crate::events::Event;

/// Whether the projector routes `kind` here.
pub fn handles(kind: &str) -> bool {
    ["cadre.", "unit.", "integrity.", "opinion."].iter().any(|p| kind.starts_with(p))
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| CoreError::Encoding(e.to_string()))
}

/// Applies one integrity event.
pub fn apply(tx: &Transaction<'_>, calendar: &Calendar, event: &Event, at: &str) -> Result<()> {
    match IntegrityEvent::decode(event)? {
        IntegrityEvent::CadreRegistered(p) => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO cadres (id, office_code, name, unit, post, id_masked, registered_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                p.cadre_id,
                p.office_code,
                p.name,
                p.unit,
                p.post,
                p.id_masked,
                event.actor,
                at
            ])?;
        }
        IntegrityEvent::MatchConfirmed(p) | IntegrityEvent::MatchSplit(p) => {
            let status =
                if event.kind == crate::projector::kind::CADRE_MATCH_CONFIRMED { "confirmed" } else { "split" };
            tx.prepare_cached(
                "INSERT INTO cadre_matches (cadre_id, record, status, note, decided_by, decided_date, event_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (cadre_id, record) DO UPDATE SET status = excluded.status, note = excluded.note,
                    decided_by = excluded.decided_by, decided_date = excluded.decided_date,
                    event_id = excluded.event_id",
            )?
            .execute(params![p.cadre_id, p.record, status, p.note, event.actor, p.date, event.id])?;
        }
        IntegrityEvent::UnitRegistered(p) => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO integrity_units (id, office_code, name, category, aliases_json, registered_by,
                    created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                p.unit_id,
                p.office_code,
                p.name,
                p.category.as_str(),
                json(&p.aliases)?,
                event.actor,
                at
            ])?;
            let mut names =
                tx.prepare_cached("INSERT OR IGNORE INTO integrity_unit_names (unit_id, name) VALUES (?1, ?2)")?;
            for n in std::iter::once(&p.name).chain(&p.aliases) {
                names.execute(params![p.unit_id, n])?;
            }
        }
        IntegrityEvent::FileViewed(p) => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO integrity_readings (event_id, subject, purpose, read_by, read_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![event.id, p.subject, p.purpose, event.actor, at])?;
        }
        IntegrityEvent::Opinion(e) => apply_opinion(tx, calendar, event, &e, at)?,
    }
    Ok(())
}

fn apply_opinion(tx: &Transaction<'_>, calendar: &Calendar, event: &Event, e: &OpinionEvent, at: &str) -> Result<()> {
    let id = e.request_id();
    match e {
        OpinionEvent::Requested(p) => {
            tx.prepare_cached(
                "INSERT INTO opinion_requests (id, office_code, requester, request_ref, purpose, purpose_note,
                    received_date, status, persons, registered_by, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'draft', ?8, ?9, ?10, ?10)",
            )?
            .execute(params![
                p.request_id,
                p.office_code,
                p.requester,
                p.request_ref,
                p.purpose.as_str(),
                p.purpose_note,
                p.received_date,
                p.persons.len() as i64,
                event.actor,
                at
            ])?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO opinion_persons (request_id, ord, cadre_id, name, unit, post) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for x in &p.persons {
                stmt.execute(params![p.request_id, x.ord, x.cadre_id, x.name, x.unit, x.post])?;
            }
        }
        OpinionEvent::ConclusionEdited(p) => {
            tx.prepare_cached("UPDATE opinion_persons SET conclusion = ?3 WHERE request_id = ?1 AND ord = ?2")?
                .execute(params![id, p.ord, p.text])?;
        }
        OpinionEvent::Submitted(p) => {
            tx.prepare_cached(
                "UPDATE opinion_requests SET status = 'submitted', submitted_by = ?2, submitted_date = ?3,
                    return_note = NULL WHERE id = ?1",
            )?
            .execute(params![id, event.actor, p.date])?;
            let mut stmt = tx.prepare_cached(
                "UPDATE opinion_persons SET conclusion = ?3, submitted_conclusion = ?3, submitted_findings = ?4
                 WHERE request_id = ?1 AND ord = ?2",
            )?;
            for s in &p.persons {
                stmt.execute(params![id, s.ord, s.text, json(&s.findings)?])?;
            }
        }
        OpinionEvent::Approved(p) => {
            tx.prepare_cached(
                "UPDATE opinion_requests SET status = 'approved', approved_by = ?2, approved_date = ?3 WHERE id = ?1",
            )?
            .execute(params![id, event.actor, p.date])?;
        }
        OpinionEvent::Returned(p) => {
            tx.prepare_cached(
                "UPDATE opinion_requests SET status = 'draft', return_note = ?2, submitted_by = NULL WHERE id = ?1",
            )?
            .execute(params![id, p.note])?;
            tx.prepare_cached("UPDATE opinion_persons SET submitted_findings = NULL WHERE request_id = ?1")?
                .execute([id])?;
        }
        OpinionEvent::Replied(p) => {
            tx.prepare_cached(
                "UPDATE opinion_requests SET status = 'replied', reply_number = ?2, reply_date = ?3 WHERE id = ?1",
            )?
            .execute(params![id, p.number, p.date])?;
        }
    }
    tx.prepare_cached("UPDATE opinion_requests SET updated_at = ?2 WHERE id = ?1")?.execute(params![id, at])?;
    let aggregate = format!("opinion:{id}");
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
