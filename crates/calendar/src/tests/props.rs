//! Property tests: laws that must hold for any start date and count.

use chrono::{Datelike, Months, NaiveDate};
use proptest::prelude::*;

use super::d;
use crate::{Calendar, CalendarError, CountRule, MAX_DATE, MIN_DATE, MonthRule, parse_date};

/// Dates from 2020 to 2035: across the known years 2025–2026 and well into unknown ones.
fn date_2020_2035() -> impl Strategy<Value = NaiveDate> {
    (0u64..16 * 366).prop_map(|offset| d("2020-01-01") + chrono::Days::new(offset))
}

/// Any date in the supported range.
fn any_supported_date() -> impl Strategy<Value = NaiveDate> {
    let span = (MAX_DATE - MIN_DATE).num_days().unsigned_abs();
    (0..=span).prop_map(|offset| MIN_DATE + chrono::Days::new(offset))
}

fn working(cal: &Calendar, day: NaiveDate) -> bool {
    cal.is_working_day(day).unwrap().value
}

/// Whether every day in `first ..= last` belongs to the known years 2025–2026.
fn wholly_known(first: NaiveDate, last: NaiveDate) -> bool {
    first >= d("2025-01-01") && last <= d("2026-12-31")
}

fn last_day_of_month(day: NaiveDate) -> bool {
    day.succ_opt().is_some_and(|next| next.month() != day.month())
}

proptest! {
    #[test]
    fn result_is_a_later_working_day_with_exactly_n_between(start in date_2020_2035(), n in 1u32..300) {
        let cal = Calendar::builtin();
        let answer = cal.add_working_days(start, n).unwrap();
        prop_assert!(answer.value > start);
        prop_assert!(working(&cal, answer.value));
        let counted = start
            .iter_days()
            .skip(1)
            .take_while(|day| *day <= answer.value)
            .filter(|day| working(&cal, *day))
            .count();
        prop_assert_eq!(counted, n as usize);
        let first = start.succ_opt().unwrap();
        prop_assert_eq!(answer.provisional, !wholly_known(first, answer.value));
    }

    #[test]
    fn adding_in_two_steps_equals_adding_at_once(start in date_2020_2035(), a in 0u32..150, b in 0u32..150) {
        let cal = Calendar::builtin();
        let at_once = cal.add_working_days(start, a + b).unwrap();
        let first = cal.add_working_days(start, a).unwrap();
        let then = cal.add_working_days(first.value, b).unwrap();
        prop_assert_eq!(at_once.value, then.value);
    }

    #[test]
    fn include_rule_counts_a_working_start_day(start in date_2020_2035(), n in 1u32..300) {
        let cal = Calendar::builtin();
        let include = cal.add_working_days_with(start, n, CountRule::IncludeStartDay).unwrap();
        let expected = if working(&cal, start) { n - 1 } else { n };
        prop_assert_eq!(include.value, cal.add_working_days(start, expected).unwrap().value);
    }

    #[test]
    fn fixed_months_keep_the_day_number_or_end_the_month(start in date_2020_2035(), n in 0u32..240) {
        let cal = Calendar::builtin();
        let fixed = cal.add_months(start, n, MonthRule::Fixed).unwrap();
        prop_assert!(!fixed.provisional);
        let months = (fixed.value.year() - start.year()) * 12 + fixed.value.month() as i32
            - start.month() as i32;
        prop_assert_eq!(months, n as i32);
        prop_assert!(
            fixed.value.day() == start.day()
                || (fixed.value.day() < start.day() && last_day_of_month(fixed.value))
        );
        prop_assert_eq!(Some(fixed.value), start.checked_add_months(Months::new(n)));
    }

    #[test]
    fn moved_months_land_on_the_first_working_day_not_before_fixed(start in date_2020_2035(), n in 0u32..240) {
        let cal = Calendar::builtin();
        let fixed = cal.add_months(start, n, MonthRule::Fixed).unwrap().value;
        let moved = cal.add_months(start, n, MonthRule::MoveToWorkingDay).unwrap();
        prop_assert!(moved.value >= fixed);
        prop_assert!(working(&cal, moved.value));
        for day in fixed.iter_days().take_while(|day| *day < moved.value) {
            prop_assert!(!working(&cal, day), "{} skipped but working", day);
        }
        prop_assert_eq!(moved.provisional, !wholly_known(fixed, moved.value));
    }

    #[test]
    fn provisional_only_outside_known_years(offset in 0u64..500, n in 1u32..100) {
        let cal = Calendar::builtin();
        // Starting in 2025 and ending by mid-2026 touches only known days.
        let known = cal.add_working_days(d("2025-01-01") + chrono::Days::new(offset), n).unwrap();
        prop_assert!(known.value < d("2026-12-31") && !known.provisional);
        // Anything in 2030 rests on a guess.
        let guessed = cal.add_working_days(d("2030-01-01") + chrono::Days::new(offset % 200), n).unwrap();
        prop_assert!(guessed.value.year() == 2030 && guessed.provisional);
        prop_assert!(cal.is_working_day(guessed.value).unwrap().provisional);
    }

    #[test]
    fn never_panics_anywhere_in_range(start in any_supported_date(), n in 0u32..=12_000, months in 0u32..=1_300) {
        let cal = Calendar::builtin();
        match cal.add_working_days(start, n) {
            Ok(answer) => prop_assert!(answer.value >= start && answer.value <= MAX_DATE),
            Err(err) => prop_assert!(matches!(
                err,
                CalendarError::ResultOutOfRange | CalendarError::TooManyWorkingDays { .. }
            ), "unexpected error {err:?}"),
        }
        match cal.add_months(start, months, MonthRule::MoveToWorkingDay) {
            Ok(answer) => prop_assert!(answer.value >= start && answer.value <= MAX_DATE),
            Err(err) => prop_assert!(matches!(
                err,
                CalendarError::ResultOutOfRange | CalendarError::TooManyMonths { .. }
            ), "unexpected error {err:?}"),
        }
    }

    #[test]
    fn parse_date_round_trips(day in any_supported_date()) {
        prop_assert_eq!(parse_date(&day.to_string()), Ok(day));
    }

    #[test]
    fn parse_date_never_panics(s in "\\PC{0,20}") {
        let _ = parse_date(&s);
    }
}
