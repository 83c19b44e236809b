//! Views and requests that cross the boundary to front ends (desktop IPC, CLI `--json`).
//!
//! These types are plain data. With the `ts` feature they also derive TypeScript declarations,
//! which `src-tauri` writes to `ui/src/bindings.ts` so the web UI and Rust never drift apart.

use serde::{Deserialize, Serialize};

use crate::identity::{OfficeLevel, Role};

/// An office (纪委监委机关) as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfficeView {
    /// Six-digit administrative division code (GB/T 2260), e.g. `530102`.
    pub code: String,
    pub name: String,
    pub level: OfficeLevel,
    pub parent_code: Option<String>,
}

/// One role granted to a user in one office.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoleGrant {
    pub office_code: String,
    pub role: Role,
}

/// A user account as the screens show it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UserView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub office_code: String,
    pub grants: Vec<RoleGrant>,
    pub active: bool,
    /// RFC 3339 time until which login is refused after too many wrong passwords.
    pub locked_until: Option<String>,
    /// Posts that read identities requested for this user and awaiting a second person's approval.
    pub pending_roles: Vec<Role>,
}

/// A request to grant a post that reads reporters' identities, as the account screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RoleRequestView {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Who asked, by name.
    pub requested_by: String,
    /// Beijing time, to the minute.
    pub requested_at: String,
    /// `pending`, `approved` or `refused`.
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub comment: Option<String>,
}

/// Today's date and what the working-day calendar says of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TodayView {
    /// ISO date, e.g. `2026-11-21`.
    pub date: String,
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: u8,
    pub working_day: bool,
    /// True when the year is not in the calendar and only weekends were counted.
    pub provisional: bool,
    /// Why the day is what it is, in Chinese (e.g. "国庆节放假", "调休上班", "周末").
    pub note: String,
}

/// What the desktop program needs to decide which screen to show first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppStatus {
    /// False until the first-run setup has created the office and its administrator.
    pub initialized: bool,
    pub office: Option<OfficeView>,
    pub db_path: String,
}

/// A logged-in session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SessionView {
    pub session_id: String,
    pub user: UserView,
    pub office: OfficeView,
}

/// The home screen: who and where you are, and what kind of day it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HomeView {
    pub office: OfficeView,
    pub user: UserView,
    pub today: TodayView,
}

/// First-run setup: the office and its first administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SetupRequest {
    pub office_code: String,
    pub office_name: String,
    pub office_level: OfficeLevel,
    pub parent_code: Option<String>,
    pub admin_username: String,
    pub admin_display_name: String,
    pub admin_password: String,
}

/// A login attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The error view lives beside the error it shows (`error.rs`), so that `error` needs nothing of
/// this module; it is re-exported here, where front ends have always found it.
pub use crate::error::ErrorView;
