//! Every built-in day off and make-up working day, checked against an independent transcription
//! of the State Council notices.

use chrono::{Datelike, NaiveDate};

use super::d;
use crate::{Calendar, DayKind, builtin};

/// Days off as inclusive ranges with their names, typed again from the spec rather than copied
/// from `builtin.rs`, so a transcription mistake in either place shows up.
const DAYS_OFF: &[(&str, &str, &str)] = &[
    ("2025-01-01", "2025-01-01", "元旦"),
    ("2025-01-28", "2025-02-04", "春节"),
    ("2025-04-04", "2025-04-06", "清明节"),
    ("2025-05-01", "2025-05-05", "劳动节"),
    ("2025-05-31", "2025-06-02", "端午节"),
    ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
    ("2026-01-01", "2026-01-03", "元旦"),
    ("2026-02-15", "2026-02-23", "春节"),
    ("2026-04-04", "2026-04-06", "清明节"),
    ("2026-05-01", "2026-05-05", "劳动节"),
    ("2026-06-19", "2026-06-21", "端午节"),
    ("2026-09-25", "2026-09-27", "中秋节"),
    ("2026-10-01", "2026-10-07", "国庆节"),
];

const MAKEUP: &[&str] = &[
    "2025-01-26",
    "2025-02-08",
    "2025-04-27",
    "2025-09-28",
    "2025-10-11",
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
];

fn expanded_days_off() -> Vec<(NaiveDate, &'static str)> {
    DAYS_OFF
        .iter()
        .flat_map(|&(first, last, name)| {
            d(first).iter_days().take_while(move |day| *day <= d(last)).map(move |day| (day, name))
        })
        .collect()
}

#[test]
fn every_day_off_is_not_a_working_day() {
    let cal = Calendar::builtin();
    let days = expanded_days_off();
    assert_eq!(days.iter().filter(|(day, _)| day.year() == 2025).count(), 28);
    assert_eq!(days.iter().filter(|(day, _)| day.year() == 2026).count(), 33);
    for (day, name) in days {
        let answer = cal.is_working_day(day).unwrap();
        assert!(!answer.value, "{day} should be a day off");
        assert!(!answer.provisional, "{day} is in a known year");
        let info = cal.day_info(day).unwrap();
        assert_eq!(info.kind, DayKind::Holiday, "{day}");
        assert_eq!(info.note, name, "{day}");
        assert!(!info.working_day);
    }
}

#[test]
fn every_makeup_day_is_a_working_day() {
    let cal = Calendar::builtin();
    for day in MAKEUP.iter().map(|s| d(s)) {
        let answer = cal.is_working_day(day).unwrap();
        assert!(answer.value, "{day} should be a make-up working day");
        assert!(!answer.provisional);
        let info = cal.day_info(day).unwrap();
        assert_eq!(info.kind, DayKind::MakeupWorkday, "{day}");
        assert_eq!(info.note, "调休上班");
    }
}

#[test]
fn all_other_days_of_known_years_follow_the_weekday() {
    let cal = Calendar::builtin();
    let off: Vec<NaiveDate> = expanded_days_off().into_iter().map(|(day, _)| day).collect();
    let makeup: Vec<NaiveDate> = MAKEUP.iter().map(|s| d(s)).collect();
    for day in d("2025-01-01").iter_days().take_while(|x| *x <= d("2026-12-31")) {
        if off.contains(&day) || makeup.contains(&day) {
            continue;
        }
        let info = cal.day_info(day).unwrap();
        let weekend = day.weekday().number_from_monday() >= 6;
        let (kind, note) = if weekend { (DayKind::Weekend, "周末") } else { (DayKind::Workday, "工作日") };
        assert_eq!((info.kind, info.note.as_str()), (kind, note), "{day}");
        assert_eq!(info.working_day, !weekend);
        assert!(!info.provisional);
    }
}

#[test]
fn spec_examples_for_single_days() {
    let cal = Calendar::builtin();
    assert!(cal.is_working_day(d("2026-10-10")).unwrap().value);
    assert!(!cal.is_working_day(d("2026-10-01")).unwrap().value);
    // 2026-02-15 is a Sunday that is also part of the Spring Festival break.
    assert_eq!(cal.day_info(d("2026-02-15")).unwrap().kind, DayKind::Holiday);
}

#[test]
fn builtin_years_pass_update_validation() {
    let updates = builtin::updates().unwrap();
    assert_eq!(updates.len(), 2);
    for update in &updates {
        update.validate().unwrap();
    }
    let cal = Calendar::builtin();
    assert_eq!(cal.known_years(), vec![2025, 2026]);
    assert!(cal.source_of(2026).unwrap().contains("2026"));
    assert_eq!(cal.source_of(2027), None);
}

#[test]
fn unknown_years_use_weekends_and_are_provisional() {
    let cal = Calendar::builtin();
    // 2030-10-01 is a Tuesday: without 2030's schedule it can only be guessed a working day.
    let info = cal.day_info(d("2030-10-01")).unwrap();
    assert_eq!((info.working_day, info.kind, info.provisional), (true, DayKind::Workday, true));
    let saturday = cal.day_info(d("2030-10-05")).unwrap();
    assert_eq!((saturday.working_day, saturday.kind, saturday.note.as_str()), (false, DayKind::Weekend, "周末"));
    assert!(cal.is_working_day(d("2024-12-31")).unwrap().provisional);
}

#[test]
fn answers_and_day_info_serialize_as_expected() {
    let cal = Calendar::builtin();
    let answer = cal.add_working_days(d("2026-09-28"), 5).unwrap();
    assert_eq!(serde_json::to_value(answer).unwrap(), serde_json::json!({"value": "2026-10-10", "provisional": false}));
    let info = serde_json::to_value(cal.day_info(d("2026-10-10")).unwrap()).unwrap();
    assert_eq!(info["kind"], "makeup_workday");
    assert_eq!(info["date"], "2026-10-10");
}
