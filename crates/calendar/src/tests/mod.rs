//! Unit and property tests for the calendar, kept in one test binary to keep builds short.

mod arithmetic;
mod days;
mod parse;
mod props;
mod updates;

use chrono::NaiveDate;

use crate::parse_date;

/// Shorthand for a date literal in tests.
fn d(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}
