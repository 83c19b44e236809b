//! The payloads that cross offices and that the hub reads: the province's directory
//! (`office.created`, `directory.imported`), ownership offers and changes, and the province's
//! working-day calendar.
//!
//! Fields are only ever added, never renamed or removed: every replica
//! and the hub decode the same bytes, including those written years ago.

use serde::{Deserialize, Serialize};

use crate::error::{LogError, Result};
use crate::office::{self, OfficeLevel, UnitKind};

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

/// `ownership.declined`, written by the hub: it could not route the owner's offer
/// `offer_event` of `aggregate` to `to_office` (the route rule refuses it over the hub's
/// directory, which may have changed since the office checked it). `refusal` says why in Chinese.
/// The aggregate stays with its owner, which takes the case back into its own hands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnershipDeclined {
    pub aggregate: String,
    pub offer_event: String,
    pub to_office: String,
    /// The offer's reason (`report_upward`, `transfer_downward`, `assign`, `lateral`).
    pub reason: String,
    pub refusal: String,
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

/// One office or resident group of the province's directory, as the hub imports it and every
/// office receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryEntry {
    /// A GB/T 2260 code for an office; the sending office's code, `-` and a serial for a
    /// resident group (`530000-01`).
    pub code: String,
    pub name: String,
    /// 机关代字, the start of the office's document numbers.
    pub short_name: String,
    /// An office's level; a resident group has its sending office's level.
    pub level: OfficeLevel,
    /// The office above; for a resident group, the office that sends it.
    pub parent_code: Option<String>,
    pub unit: UnitKind,
}

impl DirectoryEntry {
    /// Checks everything one entry can be checked for on its own (the code against the level
    /// and the kind of unit, the parent's code, the name and short name), with the reason in
    /// Chinese. Whether the parent exists, and has the level a resident group needs, is for the
    /// caller who holds the whole directory.
    pub fn validate(&self) -> Result<()> {
        office::validate_name("名称", &self.name)?;
        office::validate_short_name(&self.short_name)?;
        match self.unit {
            UnitKind::Office => {
                office::validate_division_code(&self.code, self.level)?;
                match (self.level, self.parent_code.as_deref()) {
                    (OfficeLevel::Province, None) => Ok(()),
                    (OfficeLevel::Province, Some(_)) => {
                        Err(LogError::invalid("省级机关没有上级机关，上级代码请留空。"))
                    }
                    (_, None) => Err(LogError::invalid("州市级和县级机关须填写上级机关代码。")),
                    (level, Some(parent)) => office::validate_parent(&self.code, level, parent),
                }
            }
            UnitKind::ResidentGroup => match self.parent_code.as_deref() {
                None => Err(LogError::invalid("派驻组须填写派出机关代码（上级代码一栏）。")),
                Some(parent) => office::validate_resident_group_code(&self.code, parent),
            },
        }
    }
}

/// `directory.imported`, written by the hub: the entries one import added or changed, in an order
/// where every parent comes before its children. An entry replaces what a replica held for its
/// code (fields only ever added, so an older replica reads the ones it knows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryImported {
    pub entries: Vec<DirectoryEntry>,
}

/// `officer.named`, written by an office when it creates an account: the person's name and office
/// for every other office's timelines. No username, role or password hash: those stay home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerNamed {
    pub user_id: String,
    pub display_name: String,
    pub office_code: String,
}
