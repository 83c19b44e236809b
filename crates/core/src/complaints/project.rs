//! Applies complaint and approval events to the complaint projections and their deadlines.

use chrono::NaiveDate;
use qingfeng_calendar::Calendar;
use rusqlite::{Transaction, params};

use super::model::*;
use super::search;
use crate::deadlines::{self, DeadlineKind};
use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::projector::kind;

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

fn aggregate(id: &str) -> String {
    format!("complaint:{id}")
}

fn set_status(tx: &Transaction<'_>, id: &str, status: ComplaintStatus, at: &str) -> Result<()> {
    tx.prepare_cached("UPDATE complaints SET status = ?2, updated_at = ?3 WHERE id = ?1")?.execute(params![
        id,
        status.as_str(),
        at
    ])?;
    Ok(())
}

fn received_date(tx: &Transaction<'_>, id: &str) -> Result<(NaiveDate, bool)> {
    let (d, real_name): (String, bool) =
        tx.query_row("SELECT received_date, real_name FROM complaints WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok((date(&d)?, real_name))
}

/// The business (Beijing) date of an event, for steps whose date is the day they were taken.
fn business_date(event: &Event) -> NaiveDate {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(event.hlc_millis())
        .unwrap_or_default()
        .with_timezone(&crate::clock::business_zone())
        .date_naive()
}

/// Opens a result-report demand (交办 or 督办): the duty of `duty_office` (the complaint's owner
/// when None), followed by the office above that made the demand.
#[allow(clippy::too_many_arguments)]
fn open_report(
    tx: &Transaction<'_>,
    calendar: &Calendar,
    agg: &str,
    kind: DeadlineKind,
    days: u32,
    start: NaiveDate,
    event: &Event,
    duty_office: Option<&str>,
) -> Result<()> {
    let id = format!("{}:{}", kind.as_str(), event.id);
    deadlines::open_with(tx, calendar, agg, kind, deadlines::Rule::WorkingDays(days), start, event, &id)?;
    tx.prepare_cached("UPDATE deadlines SET watch_office = ?2, office_code = coalesce(?3, office_code) WHERE id = ?1")?
        .execute(params![id, event.origin_office, duty_office])?;
    Ok(())
}

/// Applies one `complaint.*` or `approval.*` event.
pub fn apply(tx: &Transaction<'_>, calendar: &Calendar, event: &Event, at: &str) -> Result<()> {
    match event.kind.as_str() {
        kind::COMPLAINT_REGISTERED => {
            let p: Registered = event.payload()?;
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
                .execute(params![aggregate(&p.complaint_id), p.office_code])?;
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
            // A real-name reporter must hear within 15 working days that the complaint was accepted.
            if f.real_name && f.repeat_of.is_none() {
                deadlines::open(
                    tx,
                    calendar,
                    &aggregate(&p.complaint_id),
                    DeadlineKind::AcceptanceNotice,
                    date(&p.received_date)?,
                    event,
                )?;
            }
        }
        kind::COMPLAINT_SCREENED => {
            let p: Screened = event.payload()?;
            let agg = aggregate(&p.complaint_id);
            let (received, _) = received_date(tx, &p.complaint_id)?;
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
            let today = &p.date;
            match p.outcome {
                // Repeats get no acceptance notice; the handling office changes for the others.
                ScreeningOutcome::Repeat | ScreeningOutcome::NotAccepted => {
                    deadlines::close(tx, &agg, DeadlineKind::AcceptanceNotice, "cancelled", today, event)?;
                }
                ScreeningOutcome::ReportUpward => {
                    deadlines::close(tx, &agg, DeadlineKind::AcceptanceNotice, "cancelled", today, event)?;
                    deadlines::open(tx, calendar, &agg, DeadlineKind::ReportUpward, received, event)?;
                }
                ScreeningOutcome::TransferDownward => {
                    deadlines::close(tx, &agg, DeadlineKind::AcceptanceNotice, "cancelled", today, event)?;
                    deadlines::open(tx, calendar, &agg, DeadlineKind::TransferDownward, received, event)?;
                }
                ScreeningOutcome::AcceptTransfer => {
                    // The department now owes this quarter's report of concluded results.
                    if let Some(dept) = p.department {
                        let (end, quarter) = deadlines::quarter_of(date(&p.date)?);
                        deadlines::open_with(
                            tx,
                            calendar,
                            &format!("quarterly:{}:{}", event.origin_office, dept.as_str()),
                            DeadlineKind::QuarterlyReport,
                            DeadlineKind::QuarterlyReport.rule(),
                            end,
                            event,
                            &format!("quarterly_report:{}:{}:{quarter}", event.origin_office, dept.as_str()),
                        )?;
                    }
                }
            }
        }
        kind::COMPLAINT_ACCEPTANCE_NOTIFIED => {
            let p: DatedAct = event.payload()?;
            deadlines::close(tx, &aggregate(&p.complaint_id), DeadlineKind::AcceptanceNotice, "done", &p.date, event)?;
            tx.prepare_cached("UPDATE complaints SET updated_at = ?2 WHERE id = ?1")?
                .execute(params![p.complaint_id, at])?;
        }
        kind::COMPLAINT_FORWARDED => {
            let p: DatedAct = event.payload()?;
            let agg = aggregate(&p.complaint_id);
            deadlines::close(tx, &agg, DeadlineKind::ReportUpward, "done", &p.date, event)?;
            deadlines::close(tx, &agg, DeadlineKind::TransferDownward, "done", &p.date, event)?;
            tx.prepare_cached("UPDATE complaints SET updated_at = ?2 WHERE id = ?1")?
                .execute(params![p.complaint_id, at])?;
        }
        kind::APPROVAL_REQUESTED | kind::COMPLAINT_SUPERVISION_REQUESTED => {
            let p: ApprovalRequested = event.payload()?;
            let params_json = match &p.request {
                ApprovalAction::Return => "{}".to_owned(),
                other => serde_json::to_string(other).map_err(|e| CoreError::Encoding(e.to_string()))?,
            };
            // The office whose leader decides is the one that asked (an office above, for 督办).
            tx.prepare_cached(
                "INSERT INTO approvals (id, complaint_id, action, params_json, reason, requested_by, requested_at, status,
                    office_code)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8)",
            )?
            .execute(params![
                p.approval_id,
                p.complaint_id,
                p.request.as_str(),
                params_json,
                p.reason,
                event.actor,
                at,
                event.origin_office
            ])?;
        }
        kind::APPROVAL_DECIDED | kind::COMPLAINT_SUPERVISION_DECIDED => {
            let p: ApprovalDecided = event.payload()?;
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
        kind::COMPLAINT_ASSIGNED => {
            let p: ApprovedStep = event.payload()?;
            let ApprovalAction::Assign { to_office, report_days } = &p.request else {
                return Err(CoreError::Encoding(format!(
                    "complaint.assigned without an assignment (event {})",
                    event.id
                )));
            };
            let agg = aggregate(&p.complaint_id);
            let today = business_date(event);
            tx.prepare_cached(
                "UPDATE complaints SET status = 'assigned', outcome = 'assign', refer_to = ?2, updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![p.complaint_id, to_office, at])?;
            // The office below screens it afresh and tells a real-name reporter itself.
            deadlines::close(tx, &agg, DeadlineKind::AcceptanceNotice, "cancelled", &today.to_string(), event)?;
            open_report(
                tx,
                calendar,
                &agg,
                DeadlineKind::AssignmentReport,
                report_days.unwrap_or(60),
                today,
                event,
                Some(to_office),
            )?;
        }
        kind::COMPLAINT_SUPERVISED => {
            let p: ApprovedStep = event.payload()?;
            let ApprovalAction::Supervise { report_days } = &p.request else {
                return Err(CoreError::Encoding(format!(
                    "complaint.supervised without a supervision (event {})",
                    event.id
                )));
            };
            let agg = aggregate(&p.complaint_id);
            open_report(
                tx,
                calendar,
                &agg,
                DeadlineKind::SupervisionReport,
                report_days.unwrap_or(30),
                business_date(event),
                event,
                None,
            )?;
        }
        kind::COMPLAINT_RESULT_REPORTED => {
            let p: DatedAct = event.payload()?;
            let agg = aggregate(&p.complaint_id);
            deadlines::close(tx, &agg, DeadlineKind::AssignmentReport, "done", &p.date, event)?;
            deadlines::close(tx, &agg, DeadlineKind::SupervisionReport, "done", &p.date, event)?;
            tx.prepare_cached("UPDATE complaints SET updated_at = ?2 WHERE id = ?1")?
                .execute(params![p.complaint_id, at])?;
        }
        kind::COMPLAINT_RETURNED => {
            let p: ApprovedStep = event.payload()?;
            tx.prepare_cached(
                "UPDATE complaints SET status = 'registered', department = NULL, outcome = NULL, updated_at = ?2 WHERE id = ?1",
            )?
            .execute(params![p.complaint_id, at])?;
        }
        kind::COMPLAINT_DISPOSED => {
            let p: ApprovedStep = event.payload()?;
            let ApprovalAction::Dispose { method, letter_date } = &p.request else {
                return Err(CoreError::Encoding(format!("complaint.disposed without a disposal (event {})", event.id)));
            };
            tx.prepare_cached("UPDATE complaints SET status = ?2, disposal = ?3, updated_at = ?4 WHERE id = ?1")?
                .execute(params![p.complaint_id, method.status().as_str(), method.as_str(), at])?;
            if let (DisposalMethod::Inquiry, Some(letter)) = (method, letter_date) {
                deadlines::open(
                    tx,
                    calendar,
                    &aggregate(&p.complaint_id),
                    DeadlineKind::InquiryReply,
                    date(letter)?,
                    event,
                )?;
            }
        }
        kind::COMPLAINT_INQUIRY_REPLIED => {
            let p: DatedAct = event.payload()?;
            deadlines::close(tx, &aggregate(&p.complaint_id), DeadlineKind::InquiryReply, "done", &p.date, event)?;
            tx.prepare_cached("UPDATE complaints SET updated_at = ?2 WHERE id = ?1")?
                .execute(params![p.complaint_id, at])?;
        }
        kind::COMPLAINT_CONCLUDED => {
            let p: Concluded = event.payload()?;
            let accusation = match p.accusation {
                AccusationFinding::None => None,
                AccusationFinding::Mistaken => Some("mistaken"),
                AccusationFinding::False => Some("false"),
            };
            tx.prepare_cached(
                "UPDATE complaints SET status = 'concluded', result = ?2, accusation = ?3, clearance = ?4, updated_at = ?5 WHERE id = ?1",
            )?
            .execute(params![p.complaint_id, p.result, accusation, p.clearance, at])?;
            let agg = aggregate(&p.complaint_id);
            deadlines::close(tx, &agg, DeadlineKind::InquiryReply, "cancelled", &p.date, event)?;
            let (_, real_name) = received_date(tx, &p.complaint_id)?;
            if real_name {
                deadlines::open(tx, calendar, &agg, DeadlineKind::ResultFeedback, date(&p.date)?, event)?;
            }
        }
        kind::COMPLAINT_FEEDBACK_GIVEN => {
            let p: DatedAct = event.payload()?;
            deadlines::close(tx, &aggregate(&p.complaint_id), DeadlineKind::ResultFeedback, "done", &p.date, event)?;
            tx.prepare_cached("UPDATE complaints SET updated_at = ?2 WHERE id = ?1")?
                .execute(params![p.complaint_id, at])?;
        }
        kind::COMPLAINT_OBJECTION_RECORDED => {
            let p: Objection = event.payload()?;
            // New evidence sends the complaint back to its department to verify and handle again.
            if p.new_evidence {
                set_status(tx, &p.complaint_id, ComplaintStatus::WithDepartment, at)?;
            }
        }
        kind::COMPLAINT_CASE_MILESTONE => {
            let p: CaseMilestone = event.payload()?;
            let agg = aggregate(&p.complaint_id);
            tx.prepare_cached("UPDATE complaints SET case_stage = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![p.complaint_id, p.stage.as_str(), at])?;
            match p.stage {
                CaseStage::TrialAccepted => {
                    deadlines::open(tx, calendar, &agg, DeadlineKind::TrialReview, date(&p.date)?, event)?;
                }
                CaseStage::Decided => {
                    deadlines::close(tx, &agg, DeadlineKind::TrialReview, "done", &p.date, event)?;
                }
                CaseStage::Filed | CaseStage::Investigation => {}
            }
        }
        kind::COMPLAINT_DETENTION_STARTED => {
            let p: DatedAct = event.payload()?;
            let agg = aggregate(&p.complaint_id);
            tx.prepare_cached("UPDATE complaints SET detention_start = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![p.complaint_id, p.date, at])?;
            deadlines::open(tx, calendar, &agg, DeadlineKind::DetentionEnd, date(&p.date)?, event)?;
            deadlines::open(tx, calendar, &agg, DeadlineKind::DetentionReminder, date(&p.date)?, event)?;
        }
        kind::COMPLAINT_DETENTION_EXTENDED => {
            let p: DetentionExtended = event.payload()?;
            let agg = aggregate(&p.complaint_id);
            let start: String =
                tx.query_row("SELECT detention_start FROM complaints WHERE id = ?1", [&p.complaint_id], |r| r.get(0))?;
            tx.prepare_cached("UPDATE complaints SET detention_extended = 1, updated_at = ?2 WHERE id = ?1")?
                .execute(params![p.complaint_id, at])?;
            // The period runs on from the original start: six months in all, still never moved.
            deadlines::close(tx, &agg, DeadlineKind::DetentionEnd, "cancelled", &p.date, event)?;
            deadlines::close(tx, &agg, DeadlineKind::DetentionReminder, "cancelled", &p.date, event)?;
            let start = date(&start)?;
            let id = |k: DeadlineKind| format!("{}:{}", k.as_str(), event.id);
            deadlines::open_with(
                tx,
                calendar,
                &agg,
                DeadlineKind::DetentionEnd,
                deadlines::Rule::MonthsFixed(6),
                start,
                event,
                &id(DeadlineKind::DetentionEnd),
            )?;
            deadlines::open_with(
                tx,
                calendar,
                &agg,
                DeadlineKind::DetentionReminder,
                deadlines::Rule::DaysBeforeMonthsFixed(10, 6),
                start,
                event,
                &id(DeadlineKind::DetentionReminder),
            )?;
        }
        kind::COMPLAINT_DETENTION_ENDED => {
            let p: DatedAct = event.payload()?;
            let agg = aggregate(&p.complaint_id);
            tx.prepare_cached("UPDATE complaints SET detention_ended = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![p.complaint_id, p.date, at])?;
            deadlines::close(tx, &agg, DeadlineKind::DetentionEnd, "done", &p.date, event)?;
            deadlines::close(tx, &agg, DeadlineKind::DetentionReminder, "done", &p.date, event)?;
        }
        kind::COMPLAINT_QUARTERLY_REPORT_SUBMITTED => {
            let p: QuarterlyReportSubmitted = event.payload()?;
            deadlines::close_id(
                tx,
                &format!("quarterly_report:{}:{}:{}", event.origin_office, p.department.as_str(), p.quarter),
                "done",
                &p.date,
                event,
            )?;
        }
        kind::COMPLAINT_ATTACHMENT_ADDED => {
            let p: super::attachments::AttachmentAdded = event.payload()?;
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
        kind::COMPLAINT_ATTACHMENT_VIEWED => {}
        kind::COMPLAINT_IDENTITY_SEALED => crate::sealing::project_identity_sealed(tx, event)?,
        kind::COMPLAINT_HANDOVER_HELD => crate::sealing::project_held(tx, event, at)?,
        // Readings of identities and exports are audit records only.
        kind::COMPLAINT_IDENTITY_VIEWED | kind::COMPLAINT_EXPORTED => {}
        other => return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id))),
    }
    Ok(())
}
