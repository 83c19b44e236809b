//! Applies `import.*` events: saved mappings, the mark of each migrated record with the state
//! the older platform had reached, and the list of imports.
//!
//! A migrated complaint arrives as an ordinary `complaint.registered` followed by
//! `import.record_migrated`; the second sets the state it had reached and settles its duties as
//! the older platform left them, so back-dated history does not fill the lists with red: a duty
//! the file shows met is recorded as met on its date, a duty a closed case no longer owes is
//! cancelled, and a duty still owed keeps its real due date.

use qingfeng_calendar::Calendar;
use rusqlite::{Transaction, params};

use super::model::{ComplaintHistory, ImportCompleted, MappingSaved, RecordMigrated};
use crate::deadlines::{self, DeadlineKind};
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::projector::kind;

/// Whether this module projects `kind`.
pub(crate) fn handles(kind: &str) -> bool {
    kind.starts_with("import.")
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| CoreError::Encoding(e.to_string()))
}

pub(crate) fn apply(tx: &Transaction<'_>, calendar: &Calendar, event: &Event, at: &str) -> Result<()> {
    match event.kind.as_str() {
        kind::IMPORT_MAPPING_SAVED => {
            let p: MappingSaved = event.payload()?;
            tx.prepare_cached(
                "INSERT INTO import_mappings (office_code, kind, name, columns_json, saved_by, saved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (office_code, kind, name) DO UPDATE SET columns_json = excluded.columns_json,
                    saved_by = excluded.saved_by, saved_at = excluded.saved_at",
            )?
            .execute(params![
                p.office_code,
                p.mapping.kind.as_str(),
                p.mapping.name,
                json(&p.mapping)?,
                event.actor,
                at
            ])?;
        }
        kind::IMPORT_RECORD_MIGRATED => {
            let p: RecordMigrated = event.payload()?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO migrated_records
                    (office_code, kind, original_number, aggregate, batch_id, row_number, row_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                p.office_code,
                p.kind.as_str(),
                p.original_number,
                event.aggregate,
                p.batch_id,
                p.row,
                p.row_sha256
            ])?;
            if let Some(h) = &p.complaint {
                complaint(tx, calendar, event, h, at)?;
            }
        }
        kind::IMPORT_COMPLETED => {
            let p: ImportCompleted = event.payload()?;
            tx.prepare_cached(
                "INSERT OR IGNORE INTO import_batches (batch_id, office_code, kind, file_name, file_sha256, mapping_name,
                    rows, imported, skipped, imported_by, date, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                p.batch_id,
                p.office_code,
                p.kind.as_str(),
                p.file_name,
                p.file_sha256,
                p.mapping.name,
                p.rows,
                p.imported,
                p.skipped,
                event.actor,
                p.date,
                at
            ])?;
        }
        // A kind added later by a newer version: nothing to project here yet.
        _ => {}
    }
    Ok(())
}

/// Sets a migrated complaint's state and settles its duties as the older platform left them.
fn complaint(tx: &Transaction<'_>, calendar: &Calendar, event: &Event, h: &ComplaintHistory, at: &str) -> Result<()> {
    let id = event.aggregate.strip_prefix("complaint:").unwrap_or(&event.aggregate);
    tx.prepare_cached(
        "UPDATE complaints SET status = ?2, department = ?3, disposal = ?4, result = ?5, updated_at = ?6 WHERE id = ?1",
    )?
    .execute(params![id, h.status, h.department, h.disposal, h.result, at])?;
    let real_name: bool =
        tx.prepare_cached("SELECT real_name FROM complaints WHERE id = ?1")?.query_row([id], |r| r.get(0)).map_err(
            |_| CoreError::Encoding(format!("import.record_migrated for unknown complaint {id} (event {})", event.id)),
        )?;
    let agg = &event.aggregate;
    // 受理告知: met on the date the file gives; otherwise no longer owed once the case left
    // screening as a repeat or a refusal, or was closed; still owed (with its real due date)
    // while the case is open.
    let closed = matches!(h.status.as_str(), "concluded" | "repeat" | "not_accepted");
    match (&h.acceptance_notified_date, closed) {
        (Some(d), _) => deadlines::close(tx, agg, DeadlineKind::AcceptanceNotice, "done", d, event)?,
        (None, true) => {
            let d = h.concluded_date.as_deref().or(h.screened_date.as_deref()).unwrap_or_default();
            deadlines::close(tx, agg, DeadlineKind::AcceptanceNotice, "cancelled", d, event)?;
        }
        (None, false) => {}
    }
    // 结果反馈: a real-name reporter is owed the result within 15 working days of conclusion;
    // met on the feedback date the file gives.
    if h.status == "concluded"
        && real_name
        && let Some(concluded) = &h.concluded_date
    {
        let start = chrono::NaiveDate::parse_from_str(concluded, "%Y-%m-%d")
            .map_err(|e| CoreError::Encoding(format!("bad date {concluded}: {e}")))?;
        deadlines::open(tx, calendar, agg, DeadlineKind::ResultFeedback, start, event)?;
        if let Some(f) = &h.feedback_date {
            deadlines::close(tx, agg, DeadlineKind::ResultFeedback, "done", f, event)?;
        }
    }
    Ok(())
}
