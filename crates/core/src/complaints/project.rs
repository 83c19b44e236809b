//! Applies complaint and approval events to the complaint projections: an exhaustive match over
//! the typed events (`events::ComplaintEvent`), each writing its own rows, then the deadlines
//! `workflow::duties` names for it. No rule is decided here.

use chrono::NaiveDate;
use qingfeng_calendar::Calendar;
use rusqlite::{Transaction, params};

use super::events::ComplaintEvent;
use super::model::*;
use super::search;
use super::state;
use super::workflow::{self, Complaint, Duty, Meta};
use crate::deadlines;
use crate::error::{CoreError, Result};
use crate::events::Event;

fn set_status(tx: &Transaction<'_>, id: &str, status: ComplaintStatus, at: &str) -> Result<()> {
    tx.prepare_cached("UPDATE complaints SET status = ?2, updated_at = ?3 WHERE id = ?1")?.execute(params![
        id,
        status.as_str(),
        at
    ])?;
    Ok(())
}

fn touch(tx: &Transaction<'_>, id: &str, at: &str) -> Result<()> {
    tx.prepare_cached("UPDATE complaints SET updated_at = ?2 WHERE id = ?1")?.execute(params![id, at])?;
    Ok(())
}

/// The business (Beijing) date of an event, for steps whose date is the day they were taken.
fn business_date(event: &Event) -> NaiveDate {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(event.hlc_millis())
        .unwrap_or_default()
        .with_timezone(&crate::clock::business_zone())
        .date_naive()
}

/// The complaint's state before `e`, for the events whose duties read it.
fn before(tx: &Transaction<'_>, event: &Event, e: &ComplaintEvent) -> Result<Option<Complaint>> {
    match e {
        // A result report reads which offices above demanded it, to open their reviews.
        ComplaintEvent::Screened(_)
        | ComplaintEvent::Concluded(_)
        | ComplaintEvent::DetentionExtended(_)
        | ComplaintEvent::UpperApprovalDecided(_)
        | ComplaintEvent::ResultReported(_) => {
            let id = e.complaint_id().unwrap_or_default();
            Ok(Some(state::load(tx, id)?.ok_or_else(|| {
                CoreError::Encoding(format!("{} for unknown complaint {id} (event {})", e.kind(), event.id))
            })?))
        }
        _ => Ok(None),
    }
}

/// Applies one `complaint.*` or `approval.*` event.
pub fn apply(tx: &Transaction<'_>, calendar: &Calendar, event: &Event, at: &str) -> Result<()> {
    use ComplaintEvent as E;
    let e = ComplaintEvent::decode(event)?;
    let meta = Meta { event_id: &event.id, origin_office: &event.origin_office, business_date: business_date(event) };
    let prior = before(tx, event, &e)?;
    let duties = workflow::duties(prior.as_ref(), &e, &meta)?;
    match &e {
        E::Registered(p) => {
            let f = &p.form;
            // A sealed reporter is read with this replica's keys; one sealed only to other offices
            // stays empty here and is marked so.
            let opened: Option<Reporter> = match &p.sealed_identity {
                Some(boxes) => {
                    crate::sealing::note_recipients(tx, &event.aggregate, boxes)?;
                    crate::sealing::open_value::<crate::sealing::SealedIdentity>(
                        tx,
                        boxes,
                        &crate::sealing::identity_binding(&p.complaint_id),
                    )?
                    .map(|i| i.reporter)
                }
                None => None,
            };
            let unreadable = p.sealed_identity.is_some() && opened.is_none();
            let anonymous = f.reporter.is_none() && p.sealed_identity.is_none();
            let next_rowid: i64 =
                tx.query_row("SELECT coalesce(max(search_rowid), 0) + 1 FROM complaints", [], |r| r.get(0))?;
            let categories = serde_json::to_string(&f.categories).map_err(|e| CoreError::Encoding(e.to_string()))?;
            let r = opened.as_ref().or(f.reporter.as_ref());
            tx.prepare_cached(
                "INSERT INTO complaints (id, search_rowid, number, office_code, channel, received_at, received_date,
                    anonymous, real_name, real_name_verified, reporter_name, reporter_unit, reporter_contact,
                    reporter_address, summary, content, categories, status, repeat_of, registered_by, created_at, updated_at,
                    owner_office, identity_sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 'registered', ?18, ?19, ?20, ?20, ?4, ?21)",
            )?
            .execute(params![
                p.complaint_id,
                next_rowid,
                p.number,
                p.office_code,
                f.channel.as_str(),
                p.received_at,
                p.received_date,
                anonymous,
                f.real_name,
                f.real_name_verified,
                r.map(|r| &r.name),
                r.and_then(|r| r.unit.as_ref()),
                r.map(|r| &r.contact),
                r.and_then(|r| r.address.as_ref()),
                f.summary,
                f.content,
                categories,
                f.repeat_of,
                event.actor,
                at,
                unreadable,
            ])?;
            tx.prepare_cached("INSERT OR IGNORE INTO ownership (aggregate, owner_office, epoch) VALUES (?1, ?2, 1)")?
                .execute(params![workflow::aggregate(&p.complaint_id), p.office_code])?;
            if let Some((prefix, n)) = p
                .number
                .rsplit_once('-')
                .and_then(|(_, n)| Some((&p.number[..p.number.len() - n.len()], n.parse::<i64>().ok()?)))
            {
                tx.prepare_cached(
                    "INSERT INTO complaint_counters (prefix, last) VALUES (?1, ?2)
                     ON CONFLICT (prefix) DO UPDATE SET last = max(last, excluded.last)",
                )?
                .execute(params![prefix, n])?;
            }
            let mut body = format!("{}\n{}\n{}", f.summary, f.content, f.categories.join(" "));
            for (i, s) in f.subjects.iter().enumerate() {
                tx.prepare_cached(
                    "INSERT INTO complaint_subjects (complaint_id, ord, name, post, unit, level) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![p.complaint_id, i as i64, s.name, s.post, s.unit, s.level])?;
                body.push_str(&format!("\n{} {} {}", s.name, s.post, s.unit));
            }
            tx.prepare_cached("INSERT INTO complaint_search (rowid, body) VALUES (?1, ?2)")?
                .execute(params![next_rowid, search::spaced(&body)])?;
        }
        E::Screened(p) => {
            tx.prepare_cached(
                "UPDATE complaints SET status = ?2, department = ?3, outcome = ?4, outcome_note = ?5, refer_to = ?6,
                    repeat_of = coalesce(?7, repeat_of), updated_at = ?8 WHERE id = ?1",
            )?
            .execute(params![
                p.complaint_id,
                p.outcome.status().as_str(),
                p.department.map(|d| d.as_str()),
                p.outcome.as_str(),
                p.reason,
                p.refer_to,
                p.repeat_of,
                at,
            ])?;
        }
        E::AcceptanceNotified(p)
        | E::Forwarded(p)
        | E::ResultReported(p)
        | E::InquiryReplied(p)
        | E::FeedbackGiven(p) => touch(tx, &p.complaint_id, at)?,
        E::ApprovalRequested(p) | E::SupervisionRequested(p) => {
            let params_json = match &p.request {
                ApprovalAction::Return => "{}".to_owned(),
                other => serde_json::to_string(other).map_err(|e| CoreError::Encoding(e.to_string()))?,
            };
            // The office whose leader decides is the one that asked (an office above, for 督办).
            let asked = Asked {
                approval_id: &p.approval_id,
                complaint_id: &p.complaint_id,
                request: &p.request,
                reason: &p.reason,
            };
            insert_approval(tx, event, at, &asked, &params_json, &event.origin_office)?;
        }
        E::ApprovalDecided(p) | E::SupervisionDecided(p) => {
            tx.prepare_cached(
                "UPDATE approvals SET status = ?2, decided_by = ?3, decided_at = ?4, comment = ?5 WHERE id = ?1",
            )?
            .execute(params![
                p.approval_id,
                if p.granted { "granted" } else { "refused" },
                event.actor,
                at,
                p.comment
            ])?;
        }
        E::Assigned(p) => {
            let ApprovalAction::Assign { to_office, .. } = &p.request else {
                return Err(CoreError::Encoding(format!(
                    "complaint.assigned without an assignment (event {})",
                    event.id
                )));
            };
            tx.prepare_cached(
                "UPDATE complaints SET status = 'assigned', outcome = 'assign', refer_to = ?2, updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![p.complaint_id, to_office, at])?;
        }
        E::HandedLaterally(p) => {
            let ApprovalAction::Lateral { to_office } = &p.request else {
                return Err(CoreError::Encoding(format!(
                    "complaint.handed_laterally without a lateral hand-over (event {})",
                    event.id
                )));
            };
            tx.prepare_cached(
                "UPDATE complaints SET status = 'handed_laterally', outcome = 'lateral', refer_to = ?2, updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![p.complaint_id, to_office, at])?;
        }
        E::Supervised(_) => {}
        E::Returned(p) => {
            tx.prepare_cached(
                "UPDATE complaints SET status = 'registered', department = NULL, outcome = NULL, updated_at = ?2 WHERE id = ?1",
            )?
            .execute(params![p.complaint_id, at])?;
        }
        E::Disposed(p) => {
            let ApprovalAction::Dispose { method, .. } = &p.request else {
                return Err(CoreError::Encoding(format!("complaint.disposed without a disposal (event {})", event.id)));
            };
            tx.prepare_cached("UPDATE complaints SET status = ?2, disposal = ?3, updated_at = ?4 WHERE id = ?1")?
                .execute(params![p.complaint_id, method.status().as_str(), method.as_str(), at])?;
        }
        E::Concluded(p) => {
            let accusation = match p.accusation {
                AccusationFinding::None => None,
                AccusationFinding::Mistaken => Some("mistaken"),
                AccusationFinding::False => Some("false"),
            };
            tx.prepare_cached(
                "UPDATE complaints SET status = 'concluded', result = ?2, accusation = ?3, clearance = ?4, updated_at = ?5 WHERE id = ?1",
            )?
            .execute(params![p.complaint_id, p.result, accusation, p.clearance, at])?;
        }
        E::ObjectionRecorded(p) => {
            // New evidence sends the complaint back to its department to verify and handle again.
            if p.new_evidence {
                set_status(tx, &p.complaint_id, ComplaintStatus::WithDepartment, at)?;
            }
        }
        E::CaseMilestone(p) => {
            tx.prepare_cached("UPDATE complaints SET case_stage = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![p.complaint_id, p.stage.as_str(), at])?;
        }
        E::DetentionStarted(p) => {
            tx.prepare_cached("UPDATE complaints SET detention_start = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![p.complaint_id, p.date, at])?;
        }
        E::DetentionExtended(p) => {
            tx.prepare_cached("UPDATE complaints SET detention_extended = 1, updated_at = ?2 WHERE id = ?1")?
                .execute(params![p.complaint_id, at])?;
        }
        E::DetentionEnded(p) => {
            tx.prepare_cached("UPDATE complaints SET detention_ended = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![p.complaint_id, p.date, at])?;
        }
        E::QuarterlyReportSubmitted(_) => {}
        E::AttachmentAdded(p) => {
            // A sealed file name is read with this replica's keys, like the reporter.
            let (name, unreadable) = match &p.sealed_name {
                Some(boxes) => {
                    crate::sealing::note_recipients(tx, &event.aggregate, boxes)?;
                    let binding = crate::sealing::attachment_binding(&p.complaint_id, &p.sha256);
                    match crate::sealing::open_value::<String>(tx, boxes, &binding)? {
                        Some(name) => (name, false),
                        None => (String::new(), true),
                    }
                }
                None => (p.name.clone(), false),
            };
            tx.prepare_cached(
                // Attachments merge as a grow-only set: two offices attaching the same scan to one
                // complaint is one attachment, not an error that would refuse a page of the feed.
                "INSERT OR IGNORE INTO complaint_attachments (complaint_id, sha256, name, media_type, size, added_at, added_by,
                    name_sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                p.complaint_id,
                p.sha256,
                name,
                p.media_type,
                p.size as i64,
                at,
                event.actor,
                unreadable
            ])?;
        }
        // The reporter re-sealed to more offices, and a hand-over held until an office has a key:
        // the sealing module keeps those tables.
        E::IdentitySealed(_) => crate::sealing::project_identity_sealed(tx, event)?,
        E::HandoverHeld(_) => crate::sealing::project_held(tx, event, at)?,
        E::UpperApprovalRequested(p) => {
            let params_json = serde_json::to_string(&p.request).map_err(|e| CoreError::Encoding(e.to_string()))?;
            // Recorded at the office that asked and at the office above alike; the office above
            // (`office_code`) is the one whose leader decides.
            let asked = Asked {
                approval_id: &p.approval_id,
                complaint_id: &p.complaint_id,
                request: &p.request,
                reason: &p.reason,
            };
            insert_approval(tx, event, at, &asked, &params_json, &p.to_office)?;
            touch(tx, &p.complaint_id, at)?;
        }
        E::UpperApprovalDecided(p) => {
            // Only the answer of the office asked, to a request still waiting, counts; any other
            // stays in the log and changes nothing (`workflow::upper_decision_applies`).
            if prior.as_ref().is_some_and(|c| workflow::upper_decision_applies(c, p, &event.origin_office)) {
                tx.prepare_cached(
                    "UPDATE approvals SET status = ?2, decided_by = ?3, decided_at = ?4, comment = ?5 WHERE id = ?1",
                )?
                .execute(params![
                    p.approval_id,
                    if p.granted { "granted" } else { "refused" },
                    event.actor,
                    at,
                    p.comment
                ])?;
                match (p.granted, &p.request) {
                    (true, ApprovalAction::Detain) => {
                        tx.prepare_cached("UPDATE complaints SET detention_start = ?2, updated_at = ?3 WHERE id = ?1")?
                            .execute(params![p.complaint_id, p.date, at])?;
                    }
                    (true, ApprovalAction::ExtendDetention) => {
                        tx.prepare_cached(
                            "UPDATE complaints SET detention_extended = 1, updated_at = ?2 WHERE id = ?1",
                        )?
                        .execute(params![p.complaint_id, at])?;
                    }
                    _ => touch(tx, &p.complaint_id, at)?,
                }
            }
        }
        // Readings of attachments and identities, and exports, are audit records only.
        E::AttachmentViewed(_) | E::IdentityViewed(_) | E::Exported(_) => {}
        // A review from above changes no row of the complaint: only its deadlines (`duties`).
        E::ResultAccepted(_) | E::ResultReturned(_) => {}
    }
    apply_duties(tx, calendar, event, e.complaint_id(), &duties)
}

/// Opens and closes the deadlines an event brings, after its own rows are written (a deadline's
/// office is the aggregate's owner, which a registration has just recorded).
fn apply_duties(
    tx: &Transaction<'_>,
    calendar: &Calendar,
    event: &Event,
    complaint: Option<&str>,
    duties: &[Duty],
) -> Result<()> {
    let agg = complaint.map(workflow::aggregate).unwrap_or_default();
    for duty in duties {
        match duty {
            Duty::Open { id, aggregate, kind, rule, start, watch_office, duty_office } => {
                let on = aggregate.as_deref().unwrap_or(&agg);
                deadlines::open_with(tx, calendar, on, *kind, *rule, *start, event, id)?;
                if watch_office.is_some() || duty_office.is_some() {
                    // A demand from above: the office that made it follows the deadline, which
                    // the office below owes; or a review the office above owes itself.
                    tx.prepare_cached(
                        "UPDATE deadlines SET watch_office = ?2, office_code = coalesce(?3, office_code) WHERE id = ?1",
                    )?
                    .execute(params![id, watch_office, duty_office])?;
                }
            }
            Duty::Close { kind, status, date } => deadlines::close(tx, &agg, *kind, status, date, event)?,
            Duty::CloseId { id, status, date } => deadlines::close_id(tx, id, status, date, event)?,
        }
    }
    Ok(())
}

/// What an approval request names, whether the office's own leader or the office above decides.
struct Asked<'a> {
    approval_id: &'a str,
    complaint_id: &'a str,
    request: &'a ApprovalAction,
    reason: &'a str,
}

/// Records a pending approval that `office`'s leader decides: the one row both kinds of request
/// (`approval.requested`, `complaint.upper_approval_requested`) write.
fn insert_approval(
    tx: &Transaction<'_>,
    event: &Event,
    at: &str,
    asked: &Asked<'_>,
    params_json: &str,
    office: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO approvals (id, complaint_id, action, params_json, reason, requested_by, requested_at, status,
            office_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8)",
    )?
    .execute(params![
        asked.approval_id,
        asked.complaint_id,
        asked.request.as_str(),
        params_json,
        asked.reason,
        event.actor,
        at,
        office
    ])?;
    Ok(())
}
