//! Hand-computed deadline cases across holiday boundaries, and the limits on arithmetic.

use super::d;
use crate::{Calendar, CalendarError, CountRule, MonthRule};

/// Adds working days with the default rule and returns (date, provisional) as text for terse
/// assertions.
fn add(cal: &Calendar, start: &str, n: u32) -> (String, bool) {
    let answer = cal.add_working_days(d(start), n).unwrap();
    (answer.value.to_string(), answer.provisional)
}

fn known(s: &str) -> (String, bool) {
    (s.to_owned(), false)
}

#[test]
fn spec_case_national_day_2026() {
    let cal = Calendar::builtin();
    // 9-29, 9-30, [10-1..10-7 off], 10-8, 10-9, 10-10 (make-up Saturday).
    assert_eq!(add(&cal, "2026-09-28", 5), known("2026-10-10"));
    assert_eq!(add(&cal, "2026-09-28", 6), known("2026-10-12"));
    // The Mid-Autumn break precedes it: 9-24 (Thu) + 1 skips 9-25..9-27 to Monday 9-28.
    assert_eq!(add(&cal, "2026-09-24", 1), known("2026-09-28"));
    assert_eq!(add(&cal, "2026-09-18", 1), known("2026-09-20"));
}

#[test]
fn zero_days_returns_start_unchanged() {
    let cal = Calendar::builtin();
    assert_eq!(add(&cal, "2026-10-01", 0), known("2026-10-01"));
    assert_eq!(add(&cal, "2030-10-05", 0), known("2030-10-05"));
    let include = cal.add_working_days_with(d("2026-10-01"), 0, CountRule::IncludeStartDay).unwrap();
    assert_eq!(include.value, d("2026-10-01"));
}

#[test]
fn spring_festival_2026() {
    let cal = Calendar::builtin();
    assert_eq!(add(&cal, "2026-02-12", 1), known("2026-02-13"));
    assert_eq!(add(&cal, "2026-02-12", 2), known("2026-02-14")); // make-up Saturday
    assert_eq!(add(&cal, "2026-02-12", 3), known("2026-02-24")); // 2-15..2-23 off
    assert_eq!(add(&cal, "2026-02-13", 5), known("2026-02-27"));
    assert_eq!(add(&cal, "2026-02-13", 6), known("2026-02-28")); // make-up Saturday
    assert_eq!(add(&cal, "2026-02-13", 7), known("2026-03-02"));
    assert_eq!(add(&cal, "2026-02-18", 1), known("2026-02-24")); // starting inside the break
}

#[test]
fn spring_festival_2025() {
    let cal = Calendar::builtin();
    assert_eq!(add(&cal, "2025-01-24", 1), known("2025-01-26")); // make-up Sunday
    assert_eq!(add(&cal, "2025-01-24", 2), known("2025-01-27"));
    assert_eq!(add(&cal, "2025-01-24", 3), known("2025-02-05")); // 1-28..2-4 off
    assert_eq!(add(&cal, "2025-01-24", 6), known("2025-02-08")); // make-up Saturday
    assert_eq!(add(&cal, "2025-01-24", 7), known("2025-02-10"));
}

#[test]
fn new_year_2025_2026_boundary() {
    let cal = Calendar::builtin();
    assert_eq!(add(&cal, "2025-12-30", 1), known("2025-12-31"));
    // 2026-01-01..03 off, 2026-01-04 is a make-up Sunday.
    assert_eq!(add(&cal, "2025-12-30", 2), known("2026-01-04"));
    assert_eq!(add(&cal, "2025-12-30", 3), known("2026-01-05"));
    assert_eq!(add(&cal, "2025-12-31", 1), known("2026-01-04"));
    assert_eq!(add(&cal, "2026-01-01", 1), known("2026-01-04"));
    // 2025-09-30 + 1: 10-1..10-8 off, 10-9 (Thu).
    assert_eq!(add(&cal, "2025-09-30", 1), known("2025-10-09"));
    assert_eq!(add(&cal, "2025-09-30", 3), known("2025-10-11")); // make-up Saturday
}

#[test]
fn new_year_2025_from_unknown_2024() {
    let cal = Calendar::builtin();
    // The start day is not examined, so starting in unknown 2024 is not itself a guess.
    assert_eq!(add(&cal, "2024-12-31", 1), known("2025-01-02"));
    assert_eq!(add(&cal, "2024-12-30", 1), ("2024-12-31".to_owned(), true));
    assert_eq!(add(&cal, "2024-12-30", 2), ("2025-01-02".to_owned(), true));
}

#[test]
fn into_unknown_2027_is_provisional() {
    let cal = Calendar::builtin();
    assert_eq!(add(&cal, "2026-12-31", 1), ("2027-01-01".to_owned(), true));
    assert_eq!(add(&cal, "2030-06-03", 5), ("2030-06-10".to_owned(), true));
}

#[test]
fn include_start_day_rule() {
    let cal = Calendar::builtin();
    let with = |s: &str, n| cal.add_working_days_with(d(s), n, CountRule::IncludeStartDay).unwrap().value.to_string();
    assert_eq!(with("2026-02-14", 1), "2026-02-14"); // a make-up day counts itself
    assert_eq!(with("2026-02-13", 2), "2026-02-14");
    assert_eq!(with("2026-02-15", 1), "2026-02-24"); // a day off does not
    assert_eq!(with("2026-09-28", 5), "2026-10-09");
    assert_eq!(CountRule::default(), CountRule::ExcludeStartDay);
}

#[test]
fn month_arithmetic() {
    let cal = Calendar::builtin();
    let months = |s: &str, n, rule| {
        let answer = cal.add_months(d(s), n, rule).unwrap();
        (answer.value.to_string(), answer.provisional)
    };
    use MonthRule::{Fixed, MoveToWorkingDay as Move};
    assert_eq!(months("2026-01-31", 1, Fixed), known("2026-02-28"));
    assert_eq!(months("2026-01-31", 1, Move), known("2026-02-28")); // make-up Saturday
    assert_eq!(months("2025-12-31", 2, Fixed), known("2026-02-28"));
    assert_eq!(months("2024-01-31", 1, Fixed), known("2024-02-29"));
    assert_eq!(months("2026-03-15", 0, Fixed), known("2026-03-15"));
    // Custody periods stay on the holiday; other deadlines move past it.
    assert_eq!(months("2026-08-01", 2, Fixed), known("2026-10-01"));
    assert_eq!(months("2026-08-01", 2, Move), known("2026-10-08"));
    assert_eq!(months("2025-12-15", 2, Move), known("2026-02-24"));
    assert_eq!(months("2026-03-04", 1, Move), known("2026-04-07"));
    assert_eq!(months("2026-05-11", 1, Move), known("2026-06-11")); // already a workday
    // A fixed date cannot change with future schedules, so it is never provisional.
    assert_eq!(months("2026-06-30", 48, Fixed), known("2030-06-30"));
    assert_eq!(months("2026-06-30", 48, Move), ("2030-07-01".to_owned(), true));
}

#[test]
fn next_working_day() {
    let cal = Calendar::builtin();
    let next = |s: &str| cal.next_working_day_on_or_after(d(s)).unwrap();
    assert_eq!(next("2026-10-01").value, d("2026-10-08"));
    assert_eq!(next("2026-10-10").value, d("2026-10-10"));
    assert_eq!(next("2026-10-11").value, d("2026-10-12"));
    assert!(!next("2026-10-11").provisional);
    assert!(next("2026-12-31").value == d("2026-12-31") && !next("2026-12-31").provisional);
}

#[test]
fn arithmetic_limits_are_refused() {
    let cal = Calendar::builtin();
    let start = d("2026-01-05");
    assert_eq!(cal.add_working_days(start, 1_000_000), Err(CalendarError::TooManyWorkingDays { n: 1_000_000 }));
    assert!(cal.add_working_days(start, 10_000).is_ok());
    assert_eq!(cal.add_working_days(d("2099-12-30"), 5), Err(CalendarError::ResultOutOfRange));
    assert_eq!(cal.add_months(start, 1_201, MonthRule::Fixed), Err(CalendarError::TooManyMonths { n: 1_201 }));
    assert_eq!(cal.add_months(d("2099-06-01"), 12, MonthRule::Fixed), Err(CalendarError::ResultOutOfRange));
    // 2099-12-31 is a Thursday, so the last supported day is itself a working day.
    assert!(cal.next_working_day_on_or_after(d("2099-12-31")).is_ok());
    let too_early = chrono::NaiveDate::from_ymd_opt(1949, 9, 30).unwrap();
    let err = cal.day_info(too_early).unwrap_err();
    assert_eq!(err, CalendarError::OutOfRange { date: too_early });
    assert!(err.to_string().contains("超出支持范围（1949-10-01 至 2099-12-31）"));
    assert!(cal.add_working_days(too_early, 1).is_err());
    assert!(cal.add_months(too_early, 1, MonthRule::Fixed).is_err());
    assert!(cal.next_working_day_on_or_after(too_early).is_err());
    assert!(cal.is_working_day(d("2099-12-31")).is_ok());
}
