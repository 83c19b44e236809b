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
use crate::identity::Role;
use crate::ownership;

/// Event kind names, kept in the log crate so the hub reads the same catalogue. Add new kinds
/// there (`crates/log/src/kind.rs`); never rename a shipped one (old logs must still replay).
pub mod kind {
    pub use qingfeng_log::kind::*;
}

// The payloads the hub reads as well as the offices live in the log crate.
pub use qingfeng_log::payload::{
    CalendarUpdated, DirectoryEntry, DirectoryImported, OfficeCreated, OfficerNamed, OwnershipChanged, OwnershipOffered,
};

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

/// Payload of `user.role_requested`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleRequested {
    pub request_id: String,
    pub user_id: String,
    pub office_code: String,
    pub role: Role,
}

/// Payload of `user.role_request_decided`. An approval is followed in the same change by the
/// `user.role_granted` it allows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleRequestDecided {
    pub request_id: String,
    pub approved: bool,
    pub comment: String,
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
pub struct AccessDenied {
    pub action: String,
    pub reason: String,
}

/// Projection tables in an order that respects foreign keys when cleared back to front.
pub const PROJECTION_TABLES: &[&str] = &[
    "offices",
    "officers",
    "users",
    "user_roles",
    "role_requests",
    "sessions",
    "settings",
    "calendar_updates",
    "complaints",
    "complaint_counters",
    "complaint_subjects",
    "complaint_attachments",
    "blob_refs",
    "approvals",
    "penalties",
    "checklists",
    "checklist_items",
    "checklist_submissions",
    "checklist_payments",
    "person_benefits",
    "checklist_guidance",
    "issued_documents",
    "deadlines",
    "ownership",
    "ownership_changes",
    "conflicts",
    "library_documents",
    "library_chapters",
    "library_articles",
    "citations",
    "sealing_keys",
    "sealed_recipients",
    "held_handovers",
    "cadres",
    "cadre_matches",
    "integrity_units",
    "integrity_unit_names",
    "integrity_readings",
    "opinion_requests",
    "opinion_persons",
    "supervision_letters",
    "letter_feedback",
    "letter_reminders",
    "circulars",
    "recovery_keys",
    "backups",
    "import_mappings",
    "migrated_records",
    "import_batches",
    "problem_catalogues",
    "province_content",
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
        // Content an event names is fetched whether or not the event moves a workflow (a stale
        // step is kept as a conflict, and its evidence with it).
        crate::blobs::record_refs(tx, event)?;
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
        if crate::portrait::project::handles(&event.kind) {
            return crate::portrait::project::apply(tx, &self.calendar, event, &event_time(event));
        }
        if crate::supervision::project::handles(&event.kind) {
            return crate::supervision::project::apply(tx, &self.calendar, event, &event_time(event));
        }
        if event.kind.starts_with("library.") || event.kind.starts_with("citation.") {
            return crate::library::project::apply(tx, event, &event_time(event));
        }
        if crate::migration::project::handles(&event.kind) {
            return crate::migration::project::apply(tx, &self.calendar, event, &event_time(event));
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
                if ownership::apply_changed(tx, &self.calendar, event, &at, detect_stale)?
                    == ownership::AfterChange::Reproject
                {
                    self.reproject(tx, &event.aggregate, crate::events::pos_of(tx, &event.id)?)?;
                }
                return Ok(());
            }
            kind::OWNERSHIP_DECLINED => {
                return ownership::apply_declined(tx, &self.calendar, event, &event_time(event));
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
            // The hub acts on an offer; until it does, the offer shows only in the timeline. An
            // offer releases the hand-over held for the aggregate, if there was one.
            kind::OWNERSHIP_OFFERED => {
                exec(tx, "DELETE FROM held_handovers WHERE aggregate = ?1", [&event.aggregate])?;
                return Ok(());
            }
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
    /// events already applied here stale. Only complaints have workflow aggregates so far. The
    /// replay stops at the change (`through`, its log position): live, nothing comes after it
    /// yet; in a rebuild, what comes after is applied next by the rebuild itself, and replaying
    /// it here too applied it twice.
    fn reproject(&mut self, tx: &Transaction<'_>, aggregate: &str, through: i64) -> Result<()> {
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
        for event in crate::events::for_aggregate_through(tx, aggregate, through)? {
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
        kind::DIRECTORY_IMPORTED => {
            let p: DirectoryImported = event.payload()?;
            for e in &p.entries {
                exec(
                    tx,
                    "INSERT INTO offices (code, name, level, parent_code, created_at, short_name, unit)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
                        parent_code = excluded.parent_code, short_name = excluded.short_name, unit = excluded.unit",
                    params![e.code, e.name, e.level.as_str(), e.parent_code, at(), e.short_name, e.unit.as_str()],
                )?;
            }
        }
        kind::OFFICER_NAMED => {
            let p: OfficerNamed = event.payload()?;
            exec(
                tx,
                "INSERT INTO officers (user_id, display_name, office_code) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name",
                params![p.user_id, p.display_name, p.office_code],
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
        kind::USER_ROLE_REQUESTED => {
            let p: RoleRequested = event.payload()?;
            exec(
                tx,
                "INSERT OR IGNORE INTO role_requests (id, user_id, office_code, role, requested_by, requested_at, status)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending')",
                params![p.request_id, p.user_id, p.office_code, p.role.as_str(), event.actor, at()],
            )?;
        }
        kind::USER_ROLE_REQUEST_DECIDED => {
            let p: RoleRequestDecided = event.payload()?;
            exec(
                tx,
                "UPDATE role_requests SET status = ?2, decided_by = ?3, decided_at = ?4, comment = ?5 WHERE id = ?1",
                params![p.request_id, if p.approved { "approved" } else { "refused" }, event.actor, at(), p.comment],
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
        kind::OFFICE_SEALING_KEYS => crate::sealing::project_keys(tx, event, &at())?,
        // An audit record only.
        kind::BUNDLE_EXPORTED => {}
        kind::CATALOGUE_PUBLISHED => crate::analysis::project::project(tx, event, &at())?,
        kind::CONTENT_PUBLISHED | kind::CONTENT_ADOPTED => crate::province::project(tx, event, &at())?,
        other => {
            return Err(CoreError::Encoding(format!("unknown event kind {other} (event {})", event.id)));
        }
    }
    Ok(())
}
