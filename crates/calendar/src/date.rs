//! Date parsing, the supported date range and the limits on how far one computation may reach.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::CalendarError;

/// The earliest date the calendar accepts: the founding of the People's Republic.
pub const MIN_DATE: NaiveDate = ymd(1949, 10, 1);

/// The latest date the calendar accepts. Nothing the offices track runs past this century.
pub const MAX_DATE: NaiveDate = ymd(2099, 12, 31);

/// The most working days one call may add. No procedural time limit comes anywhere near this,
/// so a larger number is a typing mistake, and refusing it keeps each call short.
pub const MAX_WORKING_DAYS: u32 = 10_000;

/// The most months one call may add (100 years), for the same reason as [`MAX_WORKING_DAYS`].
pub const MAX_MONTHS: u32 = 1_200;

/// Builds a constant date; the checks run at compile time, so a bad constant fails the build.
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid constant date"),
    }
}

/// Parses a date typed by a person and checks it lies in the supported range.
///
/// Accepts `2026-02-15`, `2026/2/15`, `2026.2.15` and `2026年2月15日`, with surrounding spaces
/// ignored, because staff copy dates from documents written in all of these styles.
///
/// # Errors
/// [`CalendarError::BadFormat`] if the text is not a year-month-day triple,
/// [`CalendarError::NoSuchDate`] if that day does not exist (e.g. `2026-02-30`),
/// [`CalendarError::OutOfRange`] if it lies outside [`MIN_DATE`] ..= [`MAX_DATE`].
pub fn parse_date(s: &str) -> Result<NaiveDate, CalendarError> {
    let input = s.trim();
    let bad_format = || CalendarError::BadFormat { input: input.to_owned() };
    let normalized = input.strip_suffix('日').unwrap_or(input).replace(['年', '月', '/', '.'], "-");
    let parts: Vec<&str> = normalized.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return Err(bad_format());
    };
    let all_digits =
        |p: &str, max_len: usize| !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || !all_digits(year, 4) || !all_digits(month, 2) || !all_digits(day, 2) {
        return Err(bad_format());
    }
    // The digit checks above make these parses infallible, but they are still handled
    // without panicking.
    let (Ok(year), Ok(month), Ok(day)) = (year.parse(), month.parse(), day.parse()) else {
        return Err(bad_format());
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| CalendarError::NoSuchDate { input: input.to_owned() })?;
    check_range(date)?;
    Ok(date)
}

/// Refuses a date outside the supported range.
pub(crate) fn check_range(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    if (MIN_DATE..=MAX_DATE).contains(&date) { Ok(date) } else { Err(CalendarError::OutOfRange { date }) }
}

/// The day after `date`, refused if that would leave the supported range.
pub(crate) fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.succ_opt().filter(|next| *next <= MAX_DATE).ok_or(CalendarError::ResultOutOfRange)
}

/// Whether the date is a Saturday or Sunday.
pub(crate) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}
