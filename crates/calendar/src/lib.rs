//! Working-day calendar for Qingfeng (清风): which days are working days in mainland China,
//! and deadline arithmetic ("N working days after", "N months after") built on that.
//!
//! Working days are Monday to Friday, minus the official public holidays, plus the official
//! make-up working days (调休上班日). The calendar knows 2025 and 2026 out of the box; further
//! years arrive as [`CalendarUpdate`]s. A question about a year the calendar does not know is
//! still answered, using weekends only, but the [`Answer`] is then marked `provisional` so the
//! user knows it may change once that year's official schedule is imported.
//!
//! ```
//! use qingfeng_calendar::{parse_date, Calendar};
//!
//! let cal = Calendar::builtin();
//! let start = parse_date("2026-09-28").expect("valid date");
//! let due = cal.add_working_days(start, 5).expect("in range");
//! assert_eq!(due.value, parse_date("2026-10-10").expect("valid date"));
//! assert!(!due.provisional);
//! ```

mod builtin;
mod calendar;
mod date;
mod error;
mod update;

pub use calendar::{Answer, Calendar, CountRule, DayInfo, DayKind, MonthRule};
pub use date::{MAX_DATE, MAX_MONTHS, MAX_WORKING_DAYS, MIN_DATE, parse_date};
pub use error::CalendarError;
pub use update::{CalendarUpdate, Holiday};

/// Re-exported so callers name exactly the date type this crate uses.
pub use chrono::NaiveDate;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
