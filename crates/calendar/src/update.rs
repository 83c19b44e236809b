//! Calendar updates: one year's official holiday schedule, as imported from a file or (later)
//! received from the provincial hub, and the checks it must pass before it is used.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::CalendarError;
use crate::date::{MAX_DATE, MIN_DATE, check_range, is_weekend};

/// One day off and the holiday it belongs to, e.g. 2026-02-17 “春节”.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    /// The day off, written in JSON as an ISO date (`"2026-02-17"`).
    pub date: NaiveDate,
    /// The Chinese holiday name shown to users, e.g. “春节”.
    pub name: String,
}

/// A complete holiday schedule for one year. Applying it replaces whatever the calendar knew
/// about that year, so it must list every day off and every make-up working day.
///
/// In JSON:
/// `{"year":2027,"days_off":[{"date":"2027-01-01","name":"元旦"}],"makeup_workdays":[],"source":"…"}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarUpdate {
    /// The year this schedule is for.
    pub year: i32,
    /// Official days off. They may fall on weekends too (2026-02-15 is a Sunday).
    pub days_off: Vec<Holiday>,
    /// Official make-up working days (调休上班日); each must be a Saturday or Sunday.
    pub makeup_workdays: Vec<NaiveDate>,
    /// Where the schedule came from, e.g. the State Council notice, kept for audit.
    pub source: String,
}

impl CalendarUpdate {
    /// Reads an update from JSON and validates it.
    ///
    /// # Errors
    /// [`CalendarError::UpdateFormat`] if the JSON is malformed, or any error from
    /// [`CalendarUpdate::validate`].
    pub fn from_json(json: &str) -> Result<CalendarUpdate, CalendarError> {
        let update: CalendarUpdate =
            serde_json::from_str(json).map_err(|e| CalendarError::UpdateFormat { detail: e.to_string() })?;
        update.validate()?;
        Ok(update)
    }

    /// Writes the update as pretty-printed JSON, in the same shape [`CalendarUpdate::from_json`]
    /// reads, so that imported updates can be stored and loaded again.
    ///
    /// # Errors
    /// [`CalendarError::UpdateFormat`] if serialization fails, which plain data cannot cause.
    pub fn to_json(&self) -> Result<String, CalendarError> {
        serde_json::to_string_pretty(self).map_err(|e| CalendarError::UpdateFormat { detail: e.to_string() })
    }

    /// Checks that the update is internally consistent: the year is supported, every date lies
    /// in that year and in the supported range, no date appears twice, no date is both off and
    /// a make-up working day, make-up working days are weekends, and days off have names.
    ///
    /// # Errors
    /// The first problem found, as one of the `Update…` variants of [`CalendarError`] (or
    /// [`CalendarError::OutOfRange`] for a day in 1949 before 1 October).
    pub fn validate(&self) -> Result<(), CalendarError> {
        if !(MIN_DATE.year()..=MAX_DATE.year()).contains(&self.year) {
            return Err(CalendarError::UpdateYearOutOfRange { year: self.year });
        }
        let check_date = |date: NaiveDate| {
            if date.year() == self.year {
                check_range(date).map(|_| ())
            } else {
                Err(CalendarError::UpdateDateWrongYear { date, year: self.year })
            }
        };

        let mut off = BTreeSet::new();
        for holiday in &self.days_off {
            check_date(holiday.date)?;
            if !off.insert(holiday.date) {
                return Err(CalendarError::UpdateDuplicateDate { date: holiday.date });
            }
            if holiday.name.trim().is_empty() {
                return Err(CalendarError::UpdateMissingName { date: holiday.date });
            }
        }

        let mut makeup = BTreeSet::new();
        for &date in &self.makeup_workdays {
            check_date(date)?;
            if !makeup.insert(date) {
                return Err(CalendarError::UpdateDuplicateDate { date });
            }
            if off.contains(&date) {
                return Err(CalendarError::UpdateConflict { date });
            }
            if !is_weekend(date) {
                return Err(CalendarError::UpdateMakeupNotWeekend { date });
            }
        }
        Ok(())
    }
}
