//! The payloads that cross offices and that the hub reads: the province's directory
//! (`office.created`), ownership offers and changes, and the province's working-day calendar.
//!
//! Fields are only ever added, never renamed or removed: every replica
//! and the hub decode the same bytes, including those written years ago.

use serde::{Deserialize, Serialize};

use crate::office::OfficeLevel;

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

/// `office.created`: an office of the province's directory, written by the office itself at setup
/// and by the hub when it registers an office.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OfficeCreated {
    pub code: String,
    pub name: String,
    pub level: OfficeLevel,
    pub parent_code: Option<String>,
}

/// `calendar.updated`: a year's holidays and make-up working days; the hub publishes the
/// province's on its own chain.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CalendarUpdated {
    pub update: qingfeng_calendar::CalendarUpdate,
}
