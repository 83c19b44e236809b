//! Reads one complaint's workflow state (`workflow::Complaint`) and the acting office
//! (`workflow::Office`) from the projections: the one read that commands (`ops`), the projector
//! (`project`), the page (`query::show`) and the notices (`documents`) all make before asking the
//! workflow.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};

use super::model::*;
use super::workflow::{Approval, Complaint, Office, Watch};
use crate::deadlines::DeadlineKind;
use crate::error::{CoreError, Result};
use crate::identity::Role;

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

/// A `complaints` row as the workflow needs it, read by column position.
struct ComplaintRow {
    status: String,
    department: Option<String>,
    anonymous: bool,
    real_name: bool,
    received_date: String,
    disposal: Option<String>,
    repeat_of: Option<String>,
    owner: String,
    owner_name: String,
    stage: Option<String>,
    detention_start: Option<String>,
    detention_extended: bool,
    detention_ended: Option<String>,
}

impl ComplaintRow {
    const SELECT: &str = "SELECT c.status, c.department, c.anonymous, c.real_name, c.received_date, c.disposal,
            c.repeat_of, coalesce(o.owner_office, c.owner_office, c.office_code), coalesce(f.name, ''), c.case_stage,
            c.detention_start, c.detention_extended, c.detention_ended
        FROM complaints c LEFT JOIN ownership o ON o.aggregate = 'complaint:' || c.id
        LEFT JOIN offices f ON f.code = coalesce(o.owner_office, c.owner_office, c.office_code)
        WHERE c.id = ?1";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(ComplaintRow {
            status: r.get(0)?,
            department: r.get(1)?,
            anonymous: r.get(2)?,
            real_name: r.get(3)?,
            received_date: r.get(4)?,
            disposal: r.get(5)?,
            repeat_of: r.get(6)?,
            owner: r.get(7)?,
            owner_name: r.get(8)?,
            stage: r.get(9)?,
            detention_start: r.get(10)?,
            detention_extended: r.get(11)?,
            detention_ended: r.get(12)?,
        })
    }
}

/// An `approvals` row as the workflow needs it.
struct ApprovalRow {
    id: String,
    action: String,
    params_json: String,
    requested_by: String,
    office: Option<String>,
    status: String,
}

impl ApprovalRow {
    const SELECT: &str = "SELECT id, action, params_json, requested_by, office_code, status
        FROM approvals WHERE complaint_id = ?1 ORDER BY requested_at, id";

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(ApprovalRow {
            id: r.get(0)?,
            action: r.get(1)?,
            params_json: r.get(2)?,
            requested_by: r.get(3)?,
            office: r.get(4)?,
            status: r.get(5)?,
        })
    }

    fn into_approval(self) -> Result<Approval> {
        // A return carries no parameters: it is stored as `{}`.
        let request = if self.action == "return" {
            ApprovalAction::Return
        } else {
            serde_json::from_str(&self.params_json).map_err(|e| CoreError::Encoding(e.to_string()))?
        };
        Ok(Approval { id: self.id, request, requested_by: self.requested_by, office: self.office, status: self.status })
    }
}

/// Complaint `id` as the workflow reads it, or `None` when this replica has no such complaint.
pub fn load(conn: &Connection, id: &str) -> Result<Option<Complaint>> {
    let Some(row) = conn.prepare_cached(ComplaintRow::SELECT)?.query_row([id], ComplaintRow::from_row).optional()?
    else {
        return Ok(None);
    };
    let open = conn
        .prepare_cached("SELECT DISTINCT kind FROM deadlines WHERE aggregate = ?1 AND status = 'open'")?
        .query_map([super::workflow::aggregate(id)], |r| r.get::<_, String>(0))?
        .map(|k| DeadlineKind::parse(&k?))
        .collect::<Result<Vec<_>>>()?;
    // Demands from above follow a report (`watch_office`); a review is owed by the office above
    // (`office_code`). Both are read open or closed: whether an office ever demanded a report
    // decides whether it may review at all.
    let watches = conn
        .prepare_cached(
            "SELECT id, kind, CASE WHEN kind = 'result_review' THEN office_code ELSE watch_office END, status = 'open'
             FROM deadlines WHERE aggregate = ?1 AND (watch_office IS NOT NULL OR kind = 'result_review')
             ORDER BY start_date, id",
        )?
        .query_map([super::workflow::aggregate(id)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, bool>(3)?))
        })?
        .map(|r| {
            let (id, kind, office, open) = r?;
            Ok(Watch { id, kind: DeadlineKind::parse(&kind)?, office: office.unwrap_or_default(), open })
        })
        .collect::<Result<Vec<_>>>()?;
    let approvals = conn
        .prepare_cached(ApprovalRow::SELECT)?
        .query_map([id], ApprovalRow::from_row)?
        .map(|r| r.map_err(CoreError::from).and_then(ApprovalRow::into_approval))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Complaint {
        id: id.to_owned(),
        status: ComplaintStatus::parse(&row.status)?,
        department: row.department.as_deref().map(Role::parse).transpose()?,
        anonymous: row.anonymous,
        real_name: row.real_name,
        received_date: date(&row.received_date)?,
        disposal: row.disposal,
        repeat_of: row.repeat_of,
        owner: row.owner,
        owner_name: row.owner_name,
        open,
        approvals,
        stage: row.stage.as_deref().map(CaseStage::parse).transpose()?,
        detention_start: row.detention_start.as_deref().map(date).transpose()?,
        detention_extended: row.detention_extended,
        detention_ended: row.detention_ended.as_deref().map(date).transpose()?,
        watches,
    }))
}

/// Complaint `id`, or the refusal naming what was not found.
pub fn existing(conn: &Connection, id: &str) -> Result<Complaint> {
    load(conn, id)?.ok_or_else(|| CoreError::NotFound { what: "检举控告", id: id.to_owned() })
}

/// The complaint an approval belongs to.
pub fn approval_complaint(conn: &Connection, approval_id: &str) -> Result<String> {
    conn.prepare_cached("SELECT complaint_id FROM approvals WHERE id = ?1")?
        .query_row([approval_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "审批事项", id: approval_id.to_owned() })
}

/// Office `code` with its parent and the offices below it in this replica's directory.
pub fn office(conn: &Connection, code: &str) -> Result<Office> {
    let parent: Option<String> = conn
        .prepare_cached("SELECT parent_code FROM offices WHERE code = ?1")?
        .query_row([code], |r| r.get(0))
        .optional()?
        .flatten();
    let below = super::ops::offices_below(conn, code)?;
    let children = conn
        .prepare_cached("SELECT code FROM offices WHERE parent_code = ?1 ORDER BY code")?
        .query_map([code], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let directory = crate::directory::list_in(conn)?
        .into_iter()
        .map(|o| qingfeng_log::route::RouteOffice {
            code: o.code,
            name: o.name,
            level: o.level,
            unit: o.unit,
            parent: o.parent_code,
        })
        .collect();
    Ok(Office {
        code: code.to_owned(),
        parent,
        children,
        below: below.into_iter().map(|(c, _)| c).collect(),
        directory,
    })
}

/// Complaint `id` as the workflow reads it, for callers outside the core (the notices).
pub fn of(store: &crate::Store, id: &str) -> Result<Complaint> {
    existing(store.conn(), id)
}
