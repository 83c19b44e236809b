//! Event kinds, their payloads, and the projector that turns events into the tables screens read.
//!
//! `apply` is the only code that writes projection tables, for live commands and for `rebuild`
//! alike, so a rebuilt database equals the live one by construction (and a test checks it).
//! Projection timestamps come from the event's clock, never from "now", for the same reason.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::events::Event;
use crate::identity::{OfficeLevel, Role};
use crate::ownership;

/// Event kind names. Append new ones; never rename a shipped one (old logs must still replay).
pub mod kind {
    pub const OFFICE_CREATED: &str = "office.created";
    pub const USER_CREATED: &str = "user.created";
    pub const USER_PASSWORD_CHANGED: &str = "user.password_changed";
    pub const USER_ROLE_GRANTED: &str = "user.role_granted";
    pub const USER_ROLE_REVOKED: &str = "user.role_revoked";
    pub const USER_DEACTIVATED: &str = "user.deactivated";
    pub const USER_REACTIVATED: &str = "user.reactivated";
    pub const USER_LOGGED_IN: &str = "user.logged_in";
    pub const USER_LOGIN_FAILED: &str = "user.login_failed";
    pub const USER_LOGGED_OUT: &str = "user.logged_out";
    pub const SETTING_CHANGED: &str = "setting.changed";
    pub const CALENDAR_UPDATED: &str = "calendar.updated";
    pub const ACCESS_DENIED: &str = "access.denied";
    pub const COMPLAINT_REGISTERED: &str = "complaint.registered";
    pub const COMPLAINT_SCREENED: &str = "complaint.screened";
    pub const COMPLAINT_ACCEPTANCE_NOTIFIED: &str = "complaint.acceptance_notified";
    pub const COMPLAINT_FORWARDED: &str = "complaint.forwarded";
    pub const COMPLAINT_RETURNED: &str = "complaint.returned";
    pub const COMPLAINT_DISPOSED: &str = "complaint.disposed";
    pub const COMPLAINT_INQUIRY_REPLIED: &str = "complaint.inquiry_replied";
    pub const COMPLAINT_CONCLUDED: &str = "complaint.concluded";
    pub const COMPLAINT_FEEDBACK_GIVEN: &str = "complaint.feedback_given";
    pub const COMPLAINT_OBJECTION_RECORDED: &str = "complaint.objection_recorded";
    pub const COMPLAINT_IDENTITY_VIEWED: &str = "complaint.identity_viewed";
    pub const APPROVAL_REQUESTED: &str = "approval.requested";
    pub const APPROVAL_DECIDED: &str = "approval.decided";
    pub const COMPLAINT_EXPORTED: &str = "complaint.exported";
    pub const COMPLAINT_CASE_MILESTONE: &str = "complaint.case_milestone";
    pub const COMPLAINT_DETENTION_STARTED: &str = "complaint.detention_started";
    pub const COMPLAINT_DETENTION_EXTENDED: &str = "complaint.detention_extended";
    pub const COMPLAINT_DETENTION_ENDED: &str = "complaint.detention_ended";
    pub const COMPLAINT_QUARTERLY_REPORT_SUBMITTED: &str = "complaint.quarterly_report_submitted";
    pub const COMPLAINT_ATTACHMENT_ADDED: &str = "complaint.attachment_added";
    pub const COMPLAINT_ATTACHMENT_VIEWED: &str = "complaint.attachment_viewed";
    /// 交办: a leader's approval to assign a complaint to an office below takes effect.
    pub const COMPLAINT_ASSIGNED: &str = "complaint.assigned";
    /// 督办: an office above asks its leader to approve supervising a lower office's complaint.
    pub const COMPLAINT_SUPERVISION_REQUESTED: &str = "complaint.supervision_requested";
    /// 督办: the leader above grants or refuses the supervision.
    pub const COMPLAINT_SUPERVISION_DECIDED: &str = "complaint.supervision_decided";
    /// 督办: the granted supervision takes effect (a result report falls due).
    pub const COMPLAINT_SUPERVISED: &str = "complaint.supervised";
    /// 上报办理结果: the office handling an assigned or supervised complaint reports its result.
    pub const COMPLAINT_RESULT_REPORTED: &str = "complaint.result_reported";
    // Penalty execution and rectification checklists (DOMAIN.md §3–§4): `crate::penalty`.
    /// A penalty decision is entered and its execution checklist generated (`penalty:<id>`).
    pub const PENALTY_REGISTERED: &str = "penalty.registered";
    /// A rectification list (整改清单) is entered (`checklist:<id>`).
    pub const CHECKLIST_REGISTERED: &str = "checklist.registered";
    /// An item is submitted with its evidence for review.
    pub const CHECKLIST_ITEM_SUBMITTED: &str = "checklist.item_submitted";
    /// The reviewer approves a submitted item; the next item opens.
    pub const CHECKLIST_ITEM_APPROVED: &str = "checklist.item_approved";
    /// The reviewer sends a submitted item back with a rectification note.
    pub const CHECKLIST_ITEM_REJECTED: &str = "checklist.item_rejected";
    /// A payment toward a confiscation or repayment item.
    pub const CHECKLIST_PAYMENT_RECORDED: &str = "checklist.payment_recorded";
    /// An item's deadline is extended with an approval (post and pay changes, up to 6 months).
    pub const CHECKLIST_ITEM_EXTENDED: &str = "checklist.item_extended";
    /// An administrator publishes a new version of a checklist template.
    pub const CHECKLIST_TEMPLATE_PUBLISHED: &str = "checklist.template_published";
    /// An appraisal grade, promotion, award or pay-step change is recorded against a person.
    pub const PERSON_BENEFIT_RECORDED: &str = "person.benefit_recorded";
    /// The owner of an aggregate offers it to another office (report upward, transfer downward, assign).
    pub const OWNERSHIP_OFFERED: &str = "ownership.offered";
    /// The hub orders an ownership change; only the hub's chain carries this kind.
    pub const OWNERSHIP_CHANGED: &str = "ownership.changed";
    /// A person at the owning office settles an event that arrived under a stale ownership.
    pub const CONFLICT_RESOLVED: &str = "conflict.resolved";
    // The reference library (资料袋): `crate::library`.
    /// A document version is imported into the library (`library:<doc-id>`); the payload carries
    /// the whole parsed document with its version and content hash, so any replica rebuilds it.
    pub const LIBRARY_DOCUMENT_IMPORTED: &str = "library.document_imported";
    /// An article is cited from a record (`complaint:<id>`, `penalty:<id>`, `checklist:<id>`).
    pub const CITATION_ADDED: &str = "citation.added";
    /// A citation is withdrawn from its record.
    pub const CITATION_REMOVED: &str = "citation.removed";
    // Notices (DOMAIN.md §6): `crate::documents`.
    /// An administrator saves a new version of a notice template (`notice_template:<office>:<kind>`).
    pub const NOTICE_TEMPLATE_SAVED: &str = "notice.template_saved";
    /// A notice is issued with its number and the PDF's hash, on the record's aggregate.
    pub const DOCUMENT_ISSUED: &str = "document.issued";

    /// Kinds that stay inside their office: accounts (they carry password hashes), sessions,
    /// logins and local settings. The hub keeps them (an office can be restored from it) but routes
    /// them to no other office. A calendar an office imported is its own; the hub publishes the
    /// province's calendar from its own chain.
    pub fn is_office_private(kind: &str) -> bool {
        kind.starts_with("user.")
            || matches!(kind, SETTING_CHANGED | ACCESS_DENIED | CALENDAR_UPDATED)
            // Recovery keys, backups and restores (`crate::recovery`) concern the office's own
            // machines and safe.
            || crate::recovery::is_recovery_kind(kind)
    }

    /// Kinds that add to an aggregate without changing its workflow state (audit records,
    /// attachments): they merge as grow-only sets, so any office with access may write them and
    /// they never conflict with an ownership change.
    pub fn is_grow_only(kind: &str) -> bool {
        matches!(
            kind,
            COMPLAINT_IDENTITY_VIEWED
                | COMPLAINT_EXPORTED
                | COMPLAINT_ATTACHMENT_ADDED
                | COMPLAINT_ATTACHMENT_VIEWED
                // Supervision is written by an office above the owner and never moves the
                // complaint's own workflow: it only adds a demand and a due report.
                | COMPLAINT_SUPERVISION_REQUESTED
                | COMPLAINT_SUPERVISION_DECIDED
                | COMPLAINT_SUPERVISED
                // A citation only annotates a record with the rules it rests on; it never moves
                // a workflow, so it merges like a comment whoever owns the record.
                | CITATION_ADDED
                | CITATION_REMOVED
        )
    }
}

/// `ownership.offered`: the owner offers `aggregate` to `to_office`; the hub turns an acceptable
/// offer into `ownership.changed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnershipOffered {
    pub aggregate: String,
    pub to_office: String,
    /// `report_upward`, `transfer_downward` or `assign`.
    pub reason: String,
    /// What made the offer, as `<event kind>:<detail>` (e.g. `complaint.screened:report_upward`);
    /// it is the event just before the offer in the same change.
    pub basis: String,
}

/// `ownership.changed`, written by the hub: `aggregate` now belongs to `to_office` at `epoch`.
/// `cut` lists, per device of the old and the new owner, the last seq the hub had accepted when it
/// ordered the change: the old owner's workflow events after the cut are conflicts on every
/// replica, and the new owner's tenure starts after its own devices' cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnershipChanged {
    pub aggregate: String,
    pub from_office: String,
    pub to_office: String,
    pub epoch: u64,
    pub reason: String,
    pub offer_event: String,
    pub cut: Vec<(String, u64)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OfficeCreated {
    pub code: String,
    pub name: String,
    pub level: OfficeLevel,
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserCreated {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub office_code: String,
    /// An Argon2id PHC string; the password itself never enters the log.
    pub password_hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PasswordChanged {
    pub user_id: String,
    pub password_hash: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleChanged {
    pub user_id: String,
    pub office_code: String,
    pub role: Role,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRef {
    pub user_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoggedIn {
    pub user_id: String,
    pub session_id: String,
    /// Where the login happened: `desktop` or `cli`.
    pub channel: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginFailed {
    pub username: String,
    pub user_id: Option<String>,
    /// `wrong_password`, `unknown_user`, `locked` or `inactive`.
    pub reason: String,
    /// Consecutive failures including this one (for known users).
    pub failures: u32,
    /// Set when this failure locks the account.
    pub locked_until: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoggedOut {
    pub user_id: String,
    pub session_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SettingChanged {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CalendarUpdated {
    pub update: qingfeng_calendar::CalendarUpdate,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessDenied {
    pub action: String,
    pub reason: String,
}

/// Projection tables in an order that respects foreign keys when cleared back to front.
pub const PROJECTION_TABLES: &[&str] = &[
    "offices",
    "users",
    "user_roles",
    "sessions",
    "settings",
    "calendar_updates",
    "complaints",
    "complaint_counters",
    "complaint_subjects",
    "complaint_attachments",
    "approvals",
    "penalties",
    "checklists",
    "checklist_items",
    "checklist_submissions",
    "checklist_payments",
    "person_benefits",
    "issued_documents",
    "deadlines",
    "ownership",
    "ownership_changes",
    "conflicts",
    "library_documents",
    "library_chapters",
    "library_articles",
    "citations",
    "recovery_keys",
    "backups",
];

fn event_time(event: &Event) -> String {
    DateTime::<Utc>::from_timestamp_millis(event.hlc_millis()).unwrap_or_default().to_rfc3339()
}

/// Applies events to the projections, carrying the working-day calendar as of the events applied
/// so far: deadlines are computed with it, and a `calendar.updated` event changes it mid-stream
/// exactly as it did when first applied.
#[derive(Debug, Clone)]
pub struct Projector {
    pub calendar: qingfeng_calendar::Calendar,
}

impl Projector {
    /// Applies one event.
    pub fn apply(&mut self, tx: &Transaction<'_>, event: &Event) -> Result<()> {
        self.apply_inner(tx, event, true)
    }

    fn apply_inner(&mut self, tx: &Transaction<'_>, event: &Event, detect_stale: bool) -> Result<()> {
        if event.kind.starts_with("complaint.") || event.kind.starts_with("approval.") {
            let at = event_time(event);
            if !ownership::is_valid(tx, event)? {
                return ownership::record_conflict(tx, event, &at);
            }
            return crate::complaints::project::apply(tx, &self.calendar, event, &at);
        }
        if event.kind.starts_with("penalty.")
            || event.kind.starts_with("checklist.")
            || event.kind.starts_with("person.")
        {
            let at = event_time(event);
            if !ownership::is_valid(tx, event)? {
                return ownership::record_conflict(tx, event, &at);
            }
            return crate::penalty::project::apply(tx, &self.calendar, event, &at);
        }
        if event.kind.starts_with("library.") || event.kind.starts_with("citation.") {
            return crate::library::project::apply(tx, event, &event_time(event));
        }
        if crate::recovery::is_recovery_kind(&event.kind) {
            return crate::recovery::project::apply(tx, event, &event_time(event));
        }
        if event.kind.starts_with("document.") || event.kind.starts_with("notice.") {
            let at = event_time(event);
            // A notice issued for a case follows the case: one issued by an office that no
            // longer held it is a conflict like any other stale step.
            if !ownership::is_valid(tx, event)? {
                return ownership::record_conflict(tx, event, &at);
            }
            return crate::documents::project(tx, event, &at);
        }
        match event.kind.as_str() {
            kind::OWNERSHIP_CHANGED => {
                let at = event_time(event);
                if ownership::apply_changed(tx, event, &at, detect_stale)? == ownership::AfterChange::Reproject {
                    self.reproject(tx, &event.aggregate)?;
                }
                return Ok(());
            }
            kind::CONFLICT_RESOLVED => {
                let p: ownership::ConflictResolved = event.payload()?;
                exec(
                    tx,
                    "UPDATE conflicts SET status = 'resolved', resolution = ?2, note = ?3, resolved_by = ?4,
                        resolved_at = ?5 WHERE event_id = ?1",
                    params![p.event_id, p.resolution, p.note, event.actor, event_time(event)],
                )?;
                return Ok(());
            }
            // The hub acts on an offer; until it does, the offer shows only in the timeline.
            kind::OWNERSHIP_OFFERED => return Ok(()),
            _ => {}
        }
        apply(tx, event)?;
        if event.kind == kind::CALENDAR_UPDATED {
            let p: CalendarUpdated = event.payload()?;
            self.calendar.apply_update(&p.update)?;
            crate::deadlines::recompute_open(tx, &self.calendar)?;
        }
        Ok(())
    }
}

impl Projector {
    /// Replays one aggregate's events with the complete ownership history, after a change made
    /// events already applied here stale. Only complaints have workflow aggregates so far.
    fn reproject(&mut self, tx: &Transaction<'_>, aggregate: &str) -> Result<()> {
        ownership::clear_complaint(tx, aggregate)?;
        crate::penalty::project::clear(tx, aggregate)?;
        // What every workflow aggregate has, whatever its kind.
        for sql in [
            "DELETE FROM deadlines WHERE aggregate = ?1",
            "DELETE FROM issued_documents WHERE aggregate = ?1",
            "DELETE FROM ownership WHERE aggregate = ?1",
            "DELETE FROM conflicts WHERE aggregate = ?1",
        ] {
            tx.execute(sql, [aggregate])?;
        }
        for event in crate::events::for_aggregate(tx, aggregate)? {
            self.apply_inner(tx, &event, false)?;
        }
        Ok(())
    }
}

/// Runs one projection statement through the connection's statement cache: the same few
/// statements run for every event, and re-parsing them dominated replay time.
fn exec(tx: &Transaction<'_>, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
    Ok(tx.prepare_cached(sql)?.execute(params)?)
}

/// Applies one identity, settings or calendar event to the projections.
fn apply(tx: &Transaction<'_>, event: &Event) -> Result<()> {
    // Only some kinds record a time; formatting it for every event was measurable in replays.
    let at = || event_time(event);
    match event.kind.as_str() {
        kind::OFFICE_CREATED => {
            let p: OfficeCreated = event.payload()?;
            exec(
                tx,
                "INSERT INTO offices (code, name, level, parent_code, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
                    parent_code = excluded.parent_code",
                params![p.code, p.name, p.level.as_str(), p.parent_code, at()],
            )?;
        }
        kind::USER_CREATED => {
            let p: UserCreated = event.payload()?;
            exec(
                tx,
                "INSERT INTO users (id, username, display_name, office_code, password_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![p.user_id, p.username, p.display_name, p.office_code, p.password_hash, at()],
            )?;
        }
        kind::USER_PASSWORD_CHANGED => {
            let p: PasswordChanged = event.payload()?;
            // A new password also clears a lock: the administrator who set it has vouched for the user.
            exec(
                tx,
                "UPDATE users SET password_hash = ?2, failed_logins = 0, locked_until = NULL WHERE id = ?1",
                params![p.user_id, p.password_hash],
            )?;
        }
        kind::USER_ROLE_GRANTED => {
            let p: RoleChanged = event.payload()?;
            exec(
                tx,
                "INSERT OR IGNORE INTO user_roles (user_id, office_code, role, granted_at) VALUES (?1, ?2, ?3, ?4)",
                params![p.user_id, p.office_code, p.role.as_str(), at()],
            )?;
        }
        kind::USER_ROLE_REVOKED => {
            let p: RoleChanged = event.payload()?;
            exec(
                tx,
                "DELETE FROM user_roles WHERE user_id = ?1 AND office_code = ?2 AND role = ?3",
                params![p.user_id, p.office_code, p.role.as_str()],
            )?;
        }
        kind::USER_DEACTIVATED | kind::USER_REACTIVATED => {
            let p: UserRef = event.payload()?;
            let active = event.kind == kind::USER_REACTIVATED;
            exec(tx, "UPDATE users SET active = ?2 WHERE id = ?1", params![p.user_id, active])?;
        }
        kind::USER_LOGGED_IN => {
            let p: LoggedIn = event.payload()?;
            exec(
                tx,
                "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ?2 WHERE id = ?1",
                params![p.user_id, at()],
            )?;
            exec(
                tx,
                "INSERT INTO sessions (id, user_id, channel, started_at) VALUES (?1, ?2, ?3, ?4)",
                params![p.session_id, p.user_id, p.channel, at()],
            )?;
        }
        kind::USER_LOGIN_FAILED => {
            let p: LoginFailed = event.payload()?;
            if let (Some(user_id), true) = (&p.user_id, p.reason == "wrong_password") {
                exec(
                    tx,
                    "UPDATE users SET failed_logins = ?2, locked_until = COALESCE(?3, locked_until) WHERE id = ?1",
                    params![user_id, p.failures, p.locked_until],
                )?;
            }
        }
        kind::USER_LOGGED_OUT => {
            let p: LoggedOut = event.payload()?;
            exec(tx, "UPDATE sessions SET ended_at = ?2 WHERE id = ?1", params![p.session_id, at()])?;
        }
        kind::SETTING_CHANGED => {
            let p: SettingChanged = event.payload()?;
            exec(
                tx,
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![p.key, p.value],
            )?;
        }
        kind::CALENDAR_UPDATED => {
            let p: CalendarUpdated = event.payload()?;
            let json = serde_json::to_string(&p.update).map_err(|e| CoreError::Encoding(e.to_string()))?;
            exec(tx,
                "INSERT INTO calendar_updates (year, update_json, imported_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (year) DO UPDATE SET update_json = excluded.update_json, imported_at = excluded.imported_at",
                params![p.update.year, json, at()],
            )?;
        }
        // Denials are audit records only; they change no projection.
        kind::ACCESS_DENIED => {}
        other => {
            return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id)));
        }
    }
    Ok(())
}
