//! Ownership of workflow aggregates across offices: who may change a complaint's state, the hub's
//! ordered changes of owner, and the conflicts that arise when an office acted on a case it had
//! already lost.
//!
//! The rule every replica applies, whatever order events arrived in: a workflow event is valid
//! when its office owns the aggregate, or owned it and acted before the *cut* of the change that
//! took it away (the last seq of each of its devices the hub had accepted when it ordered the
//! change). Anything else is kept in the log and listed as a conflict for a person to settle.
//! When an `ownership.changed` arrives after this replica already applied stale events of the old
//! owner (the old owner's own replica, typically), the aggregate is re-projected from its events
//! with the complete history, so every replica ends with the same state.

use rusqlite::{OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::projector::{OwnershipChanged, kind};

/// The hub's origin office name: its chain carries the directory, calendars and ownership orders.
pub use qingfeng_log::event::HUB_OFFICE;

/// Payload of `conflict.resolved`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictResolved {
    /// The stale event being settled.
    pub event_id: String,
    /// `adopted` (the owner redid the step itself) or `dismissed` (the step is not taken up).
    pub resolution: String,
    pub note: String,
}

/// Whether `event` may change its aggregate's workflow state under the ownership history.
pub(crate) fn is_valid(tx: &Transaction<'_>, event: &Event) -> Result<bool> {
    if kind::is_grow_only(&event.kind) || event.origin_office == HUB_OFFICE {
        return Ok(true);
    }
    valid_for(tx, &event.aggregate, &event.origin_office, &event.origin_device, event.seq)
}

/// The tenure rule: each change's cut names, per device of the offices it concerns, the last seq
/// the hub had accepted when it ordered the change. An office's event falls in a tenure of that
/// office when its seq lies after the cut of the change that gave it the aggregate (or it
/// registered the aggregate) and at or before the cut of the change that took it away.
fn valid_for(tx: &Transaction<'_>, aggregate: &str, office: &str, device: &str, seq: u64) -> Result<bool> {
    let mut stmt = tx.prepare_cached(
        "SELECT from_office, to_office, cut FROM ownership_changes WHERE aggregate = ?1 ORDER BY epoch",
    )?;
    let changes: Vec<(String, String, String)> =
        stmt.query_map([aggregate], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    let Some(first) = changes.first() else {
        let owner: Option<String> = tx
            .prepare_cached("SELECT owner_office FROM ownership WHERE aggregate = ?1")?
            .query_row([aggregate], |r| r.get(0))
            .optional()?;
        return Ok(owner.is_none_or(|o| o == office));
    };
    let mut tenure_start = (first.0 == office).then_some(0u64);
    for (from, to, cut) in &changes {
        let cut = cut_for(cut, device)?;
        if from == office {
            if let Some(start) = tenure_start
                && start < seq
                && seq <= cut
            {
                return Ok(true);
            }
            tenure_start = None;
        }
        if to == office {
            tenure_start = Some(cut);
        }
    }
    Ok(tenure_start.is_some_and(|start| seq > start))
}

fn cut_for(cut_json: &str, device: &str) -> Result<u64> {
    let cut: Vec<(String, u64)> = serde_json::from_str(cut_json).map_err(|e| CoreError::Encoding(e.to_string()))?;
    Ok(cut.into_iter().find(|(d, _)| d == device).map(|(_, s)| s).unwrap_or(0))
}

/// Keeps a stale event out of the workflow state and lists it for a person to settle.
pub(crate) fn record_conflict(tx: &Transaction<'_>, event: &Event, at: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO conflicts (event_id, aggregate, origin_office, kind, actor, raised_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open')",
    )?
    .execute(params![event.id, event.aggregate, event.origin_office, event.kind, event.actor, at])?;
    Ok(())
}

/// What applying an `ownership.changed` needs from the projector afterwards.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum AfterChange {
    /// Nothing stale was applied: the change's own effects are done.
    Done,
    /// Stale events of the old owner were already applied here: re-project the aggregate.
    Reproject,
}

/// Applies an `ownership.changed`: the history, the owner, and the complaint's work lists.
pub(crate) fn apply_changed(
    tx: &Transaction<'_>,
    calendar: &qingfeng_calendar::Calendar,
    event: &Event,
    at: &str,
    detect_stale: bool,
) -> Result<AfterChange> {
    if event.origin_office != HUB_OFFICE {
        return Err(CoreError::Tampered(format!("事件 {} 声称变更归属，但不是省级平台签发的。", event.id)));
    }
    let p: OwnershipChanged = event.payload()?;
    let cut = serde_json::to_string(&p.cut).map_err(|e| CoreError::Encoding(e.to_string()))?;
    tx.prepare_cached(
        "INSERT OR IGNORE INTO ownership_changes (aggregate, epoch, from_office, to_office, reason, cut, event_id, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![p.aggregate, p.epoch as i64, p.from_office, p.to_office, p.reason, cut, event.id, at])?;
    tx.prepare_cached(
        "INSERT INTO ownership (aggregate, owner_office, epoch) VALUES (?1, ?2, ?3)
         ON CONFLICT (aggregate) DO UPDATE SET owner_office = excluded.owner_office, epoch = excluded.epoch
         WHERE excluded.epoch > ownership.epoch",
    )?
    .execute(params![p.aggregate, p.to_office, p.epoch as i64])?;
    if detect_stale && has_stale_applied(tx, &p, crate::events::pos_of(tx, &event.id)?)? {
        return Ok(AfterChange::Reproject);
    }
    if let Some(id) = p.aggregate.strip_prefix("complaint:") {
        // The new owner screens the complaint afresh; the old owner keeps it on record, read-only.
        tx.prepare_cached(
            "UPDATE complaints SET owner_office = ?2, status = 'registered', department = NULL, updated_at = ?3
             WHERE id = ?1",
        )?
        .execute(params![id, p.to_office, at])?;
        // Reporting upward or transferring downward is met the moment the hub hands the case over.
        tx.prepare_cached(
            "UPDATE deadlines SET status = 'done', closed_date = ?2, closed_by = ?3
             WHERE aggregate = ?1 AND status = 'open' AND kind IN ('report_upward', 'transfer_downward')",
        )?
        // The date it was met is Beijing's, not the UTC date of the stored time: a hand-over at
        // 02:15 on 12-03 in Beijing is 18:15 on 12-02 in UTC.
        .execute(params![p.aggregate, qingfeng_log::clock::business_date_of_hlc(event.hlc), event.id])?;
        tx.prepare_cached("UPDATE deadlines SET office_code = ?2 WHERE aggregate = ?1 AND status = 'open'")?
            .execute(params![p.aggregate, p.to_office])?;
        open_acceptance_notice(tx, calendar, event, &p)?;
        if p.reason == "transfer_downward" {
            open_transfer_registration(tx, calendar, event, &p)?;
        }
    }
    Ok(AfterChange::Done)
}

/// Applies the hub's `ownership.declined`: the hub could not route the owner's offer (its
/// directory refuses the destination), so the hand-over did not happen and the case returns to
/// the owner's hands. A complaint waiting to be handed over (reported upward, transferred
/// downward, assigned or handed laterally) goes back to 待筛选, to be screened again; the
/// hand-over's own duties (the forwarding deadline, the result report the destination would have
/// owed) are cancelled; and a real-name reporter whose acceptance notice was cancelled by the
/// hand-over is owed it again by this office, counted from the day the complaint was received,
/// since it never left this office. The event itself stays in the timeline with the reason.
pub(crate) fn apply_declined(
    tx: &Transaction<'_>,
    calendar: &qingfeng_calendar::Calendar,
    event: &Event,
    at: &str,
) -> Result<()> {
    if event.origin_office != HUB_OFFICE {
        return Err(CoreError::Tampered(format!("事件 {} 声称省级平台未能移交，但不是省级平台签发的。", event.id)));
    }
    let p: qingfeng_log::payload::OwnershipDeclined = event.payload()?;
    let Some(id) = p.aggregate.strip_prefix("complaint:") else {
        return Ok(());
    };
    let waiting = tx
        .prepare_cached(
            "UPDATE complaints SET status = 'registered', department = NULL, outcome = NULL, updated_at = ?2
             WHERE id = ?1 AND status IN ('reported_upward', 'transferred_downward', 'assigned', 'handed_laterally')",
        )?
        .execute(params![id, at])?;
    if waiting == 0 {
        return Ok(());
    }
    let day = qingfeng_log::clock::business_date_of_hlc(event.hlc);
    tx.prepare_cached(
        "UPDATE deadlines SET status = 'cancelled', closed_date = ?2, closed_by = ?3
         WHERE aggregate = ?1 AND status = 'open'
           AND (kind IN ('report_upward', 'transfer_downward')
                OR (kind = 'assignment_report' AND office_code = ?4))",
    )?
    .execute(params![p.aggregate, day, event.id, p.to_office])?;
    let received: Option<String> = tx
        .prepare_cached("SELECT received_date FROM complaints WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(received) = received {
        let start = chrono::NaiveDate::parse_from_str(&received, "%Y-%m-%d")
            .map_err(|e| CoreError::Encoding(format!("bad received date {received}: {e}")))?;
        reopen_acceptance_notice(tx, calendar, event, &p.aggregate, start)?;
    }
    Ok(())
}

/// The duty that follows a complaint to the office it is handed to: a first real-name reporter
/// (one whose registration opened the acceptance notice) is owed the 受理告知 by the office that
/// now has the case, 15 working days (DOMAIN.md §2) from the day that office received it — the
/// Beijing date on which the hub handed it over. The rule counts from receipt; the receiving
/// office cannot act before it has the case, so its receipt is the hand-over, not the original
/// letter's date (which the sending office's screening already used up in part). The office that
/// handed it on had its own notice duty cancelled by that step, so exactly one office owes it.
fn open_acceptance_notice(
    tx: &Transaction<'_>,
    calendar: &qingfeng_calendar::Calendar,
    event: &Event,
    p: &OwnershipChanged,
) -> Result<()> {
    reopen_acceptance_notice(tx, calendar, event, &p.aggregate, handover_day(event)?)
}

/// The Beijing day on which the hub handed a case over (`event` is its `ownership.changed`): the
/// day the receiving office received it, from which its duties count.
fn handover_day(event: &Event) -> Result<chrono::NaiveDate> {
    let day = qingfeng_log::clock::business_date_of_hlc(event.hlc);
    chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .map_err(|e| CoreError::Encoding(format!("bad hand-over date {day}: {e}")))
}

/// The lower office's own duty for a complaint transferred down to it (向下转送, DOMAIN.md §2):
/// register it within 5 working days of receipt. Registering is the office's first step on it,
/// its screening (`complaint.screened` closes this duty whatever it decides); receipt is the
/// Beijing day on which the hub handed the case over, as for the acceptance notice above. The
/// hand-over's own event names the duty, so a replay opens the same one.
fn open_transfer_registration(
    tx: &Transaction<'_>,
    calendar: &qingfeng_calendar::Calendar,
    event: &Event,
    p: &OwnershipChanged,
) -> Result<()> {
    use crate::deadlines::DeadlineKind;
    let start = handover_day(event)?;
    let kind = DeadlineKind::TransferRegistration;
    crate::deadlines::open_with(
        tx,
        calendar,
        &p.aggregate,
        kind,
        kind.rule(),
        start,
        event,
        &format!("{}:{}", kind.as_str(), event.id),
    )
}

/// Opens the acceptance notice again at the complaint's owner, counted from `start`, when the
/// complaint's registration made it owed and a hand-over cancelled it (none is open or met now).
fn reopen_acceptance_notice(
    tx: &Transaction<'_>,
    calendar: &qingfeng_calendar::Calendar,
    event: &Event,
    aggregate: &str,
    start: chrono::NaiveDate,
) -> Result<()> {
    use crate::deadlines::DeadlineKind;
    let owed_once: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM deadlines WHERE aggregate = ?1 AND kind = 'acceptance_notice')
                AND NOT EXISTS (SELECT 1 FROM deadlines WHERE aggregate = ?1 AND kind = 'acceptance_notice'
                                AND status IN ('open', 'done'))",
        )?
        .query_row([aggregate], |r| r.get(0))?;
    if !owed_once {
        return Ok(());
    }
    let kind = DeadlineKind::AcceptanceNotice;
    crate::deadlines::open_with(
        tx,
        calendar,
        aggregate,
        kind,
        kind.rule(),
        start,
        event,
        &format!("{}:{}", kind.as_str(), event.id),
    )?;
    // `open_with` names the owner as the office owing it: the ownership row was moved above.
    Ok(())
}

/// Whether workflow events of the old owner that the new history makes stale were already
/// applied here (they are not yet listed as conflicts).
/// Only events before the change in log order count (`before`): those are the ones applied so far.
/// A rebuild's table already holds what arrived after the change, which was not applied yet.
fn has_stale_applied(tx: &Transaction<'_>, p: &OwnershipChanged, before: i64) -> Result<bool> {
    let mut stmt = tx.prepare_cached(
        "SELECT e.origin_device, e.seq, e.kind FROM events e
         WHERE e.aggregate = ?1 AND e.origin_office = ?2 AND e.pos < ?3
           AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.event_id = e.id)",
    )?;
    let rows: Vec<(String, i64, String)> = stmt
        .query_map(params![p.aggregate, p.from_office, before], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    for (device, seq, kind) in rows {
        if !kind::is_grow_only(&kind) && !valid_for(tx, &p.aggregate, &p.from_office, &device, seq as u64)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Clears the complaint's own projected rows so its events can be replayed (the rows every
/// workflow aggregate has are cleared by `Projector::reproject`).
pub(crate) fn clear_complaint(tx: &Transaction<'_>, aggregate: &str) -> Result<()> {
    let Some(id) = aggregate.strip_prefix("complaint:") else {
        return Ok(());
    };
    let rowid: Option<i64> =
        tx.query_row("SELECT search_rowid FROM complaints WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    if let Some(rowid) = rowid {
        tx.execute("DELETE FROM complaint_search WHERE rowid = ?1", [rowid])?;
    }
    for sql in [
        "DELETE FROM complaint_subjects WHERE complaint_id = ?1",
        "DELETE FROM complaint_attachments WHERE complaint_id = ?1",
        "DELETE FROM approvals WHERE complaint_id = ?1",
    ] {
        tx.execute(sql, [id])?;
    }
    // Other complaints may name this one as the one they repeat; keep them pointing at it.
    tx.execute("PRAGMA defer_foreign_keys = ON", [])?;
    tx.execute("DELETE FROM complaints WHERE id = ?1", [id])?;
    Ok(())
}

/// Refuses a workflow step by `office` on an aggregate that another office owns now, naming the
/// office that has it. The one place this rule and its message live: `Store::execute` applies it
/// to every event, and complaint commands ask first so the officer hears this rather than a
/// complaint about the state the case was left in.
pub fn ensure_owned(conn: &rusqlite::Connection, aggregate: &str, office: &str) -> Result<()> {
    let Some(owner) = owner_of(conn, aggregate)? else {
        return Ok(());
    };
    if owner == office {
        return Ok(());
    }
    Err(not_owned(&owner, &office_name(conn, &owner)?))
}

/// The name of office `code`, or an empty name when this replica does not know it.
fn office_name(conn: &rusqlite::Connection, code: &str) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT name FROM offices WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// The refusal of a workflow step on a case another office owns now.
pub fn not_owned(owner_code: &str, owner_name: &str) -> CoreError {
    CoreError::invalid(format!(
        "此件已移交 {owner_name}（{owner_code}）办理，本单位不能再办理这一步。可在检举控告页查看其办理情况。"
    ))
}

/// The office that owns `aggregate` now, if it is a workflow aggregate this replica knows.
pub fn owner_of(conn: &rusqlite::Connection, aggregate: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT owner_office FROM ownership WHERE aggregate = ?1")?
        .query_row([aggregate], |r| r.get(0))
        .optional()?)
}

/// Settles a conflict at the office that owns the case now: `adopted` (the owner has redone the
/// step itself) or `dismissed` (the step is not taken up). A leader decides, as with approvals.
pub fn resolve_conflict(
    store: &mut crate::Store,
    actor: &crate::authz::Actor,
    event_id: &str,
    resolution: &str,
    note: &str,
) -> Result<()> {
    use crate::authz::{Action, ComplaintAct};
    use crate::events::NewEvent;
    use crate::store::Decision;
    if !matches!(resolution, "adopted" | "dismissed") {
        return Err(CoreError::invalid("处理方式应为 adopted（已由本单位重新办理）或 dismissed（不予采纳）。"));
    }
    let office = store.office()?;
    store.execute(actor, Action::Complaint { office, act: ComplaintAct::DecideApproval }, |tx, _ctx| {
        let found: Option<(String, String)> = tx
            .query_row("SELECT aggregate, status FROM conflicts WHERE event_id = ?1", [event_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let (aggregate, status) =
            found.ok_or_else(|| CoreError::NotFound { what: "冲突", id: event_id.to_owned() })?;
        if status != "open" {
            return Err(CoreError::invalid("这件冲突已经处理过了。"));
        }
        let payload = ConflictResolved {
            event_id: event_id.to_owned(),
            resolution: resolution.to_owned(),
            note: crate::input::bounded("处理说明", note, crate::complaints::limits::MAX_NOTE_CHARS)?,
        };
        // The event is on the case's aggregate, so `execute` lets only its owner settle it.
        Ok(Decision::events(vec![NewEvent::new(kind::CONFLICT_RESOLVED, aggregate, &payload)?]))
    })?;
    Ok(())
}
