//! Importing calendar updates: effects of valid ones and refusal of invalid ones.

use super::d;
use crate::{Calendar, CalendarError, CalendarUpdate, Holiday};

/// A made-up schedule for 2027 (the real one is not published yet): 1–3 January off and one
/// make-up Saturday.
fn update_2027() -> CalendarUpdate {
    CalendarUpdate {
        year: 2027,
        days_off: ["2027-01-01", "2027-01-02", "2027-01-03"]
            .into_iter()
            .map(|s| Holiday { date: d(s), name: "元旦".into() })
            .collect(),
        makeup_workdays: vec![d("2027-01-09")],
        source: "测试用 2027 年安排".into(),
    }
}

#[test]
fn importing_2027_makes_it_known_and_changes_results() {
    let mut cal = Calendar::builtin();
    let before = cal.add_working_days(d("2026-12-31"), 1).unwrap();
    assert_eq!((before.value, before.provisional), (d("2027-01-01"), true));

    cal.apply_update(&update_2027()).unwrap();
    assert_eq!(cal.known_years(), vec![2025, 2026, 2027]);
    let after = cal.add_working_days(d("2026-12-31"), 1).unwrap();
    assert_eq!((after.value, after.provisional), (d("2027-01-04"), false));
    let info = cal.day_info(d("2027-01-01")).unwrap();
    assert_eq!((info.working_day, info.note.as_str()), (false, "元旦"));
    assert!(!info.provisional);
    assert!(cal.is_working_day(d("2027-01-09")).unwrap().value);
    // 2028 is still unknown.
    assert!(cal.is_working_day(d("2028-03-01")).unwrap().provisional);
}

#[test]
fn later_update_replaces_the_whole_year() {
    let mut cal = Calendar::builtin();
    let bare_2026 = CalendarUpdate { year: 2026, days_off: vec![], makeup_workdays: vec![], source: "更正".into() };
    cal.apply_update(&bare_2026).unwrap();
    // 2026-10-01 is a Thursday and 2026-10-10 a Saturday once the old rules are gone.
    assert!(cal.is_working_day(d("2026-10-01")).unwrap().value);
    assert!(!cal.is_working_day(d("2026-10-10")).unwrap().value);
    assert!(!cal.is_working_day(d("2026-10-01")).unwrap().provisional);
    assert_eq!(cal.source_of(2026), Some("更正"));
}

#[test]
fn invalid_updates_are_refused_and_leave_the_calendar_unchanged() {
    let original = Calendar::builtin();
    let holiday = |s: &str| Holiday { date: d(s), name: "国庆节".into() };
    let base = CalendarUpdate { year: 2026, days_off: vec![], makeup_workdays: vec![], source: "坏数据".into() };
    let cases: Vec<(CalendarUpdate, CalendarError)> = vec![
        (
            CalendarUpdate { makeup_workdays: vec![d("2026-10-12")], ..base.clone() },
            CalendarError::UpdateMakeupNotWeekend { date: d("2026-10-12") },
        ),
        (
            CalendarUpdate { days_off: vec![holiday("2027-10-01")], ..base.clone() },
            CalendarError::UpdateDateWrongYear { date: d("2027-10-01"), year: 2026 },
        ),
        (
            CalendarUpdate { makeup_workdays: vec![d("2025-10-11")], ..base.clone() },
            CalendarError::UpdateDateWrongYear { date: d("2025-10-11"), year: 2026 },
        ),
        (
            CalendarUpdate { days_off: vec![holiday("2026-10-01"), holiday("2026-10-01")], ..base.clone() },
            CalendarError::UpdateDuplicateDate { date: d("2026-10-01") },
        ),
        (
            CalendarUpdate { makeup_workdays: vec![d("2026-10-10"), d("2026-10-10")], ..base.clone() },
            CalendarError::UpdateDuplicateDate { date: d("2026-10-10") },
        ),
        (
            CalendarUpdate {
                days_off: vec![holiday("2026-10-10")],
                makeup_workdays: vec![d("2026-10-10")],
                ..base.clone()
            },
            CalendarError::UpdateConflict { date: d("2026-10-10") },
        ),
        (
            CalendarUpdate { days_off: vec![Holiday { date: d("2026-10-01"), name: "  ".into() }], ..base.clone() },
            CalendarError::UpdateMissingName { date: d("2026-10-01") },
        ),
        (CalendarUpdate { year: 2100, ..base.clone() }, CalendarError::UpdateYearOutOfRange { year: 2100 }),
        (
            CalendarUpdate {
                year: 1949,
                days_off: vec![Holiday {
                    date: chrono::NaiveDate::from_ymd_opt(1949, 5, 1).unwrap(),
                    name: "劳动节".into(),
                }],
                ..base.clone()
            },
            CalendarError::OutOfRange { date: chrono::NaiveDate::from_ymd_opt(1949, 5, 1).unwrap() },
        ),
    ];
    for (update, expected) in cases {
        let mut cal = original.clone();
        assert_eq!(cal.apply_update(&update), Err(expected));
        assert_eq!(cal, original, "calendar changed by a refused update");
    }
}

#[test]
fn makeup_message_names_the_day_and_the_fix() {
    let err = CalendarError::UpdateMakeupNotWeekend { date: d("2026-10-12") };
    assert!(err.to_string().starts_with("调休上班日 2026-10-12 不是周末，无法作为调休日"));
}

#[test]
fn json_round_trip_uses_iso_dates() {
    let update = update_2027();
    let json = update.to_json().unwrap();
    assert!(json.contains("\"2027-01-01\""));
    assert_eq!(CalendarUpdate::from_json(&json).unwrap(), update);

    let hub_json = r#"{"year":2027,"days_off":[{"date":"2027-02-06","name":"春节"}],
        "makeup_workdays":["2027-02-13"],"source":"省平台"}"#;
    let parsed = CalendarUpdate::from_json(hub_json).unwrap();
    assert_eq!(parsed.makeup_workdays, vec![d("2027-02-13")]);
}

#[test]
fn bad_json_is_refused() {
    for json in [
        "not json",
        r#"{"year":2027}"#,
        r#"{"year":2027,"days_off":[{"date":"2027-02-30","name":"春节"}],"makeup_workdays":[],"source":""}"#,
    ] {
        let err = CalendarUpdate::from_json(json).unwrap_err();
        assert!(matches!(err, CalendarError::UpdateFormat { .. }), "{json}");
        assert!(err.to_string().contains("请向上级重新获取"));
    }
    // Well-formed JSON is still validated.
    let weekday_makeup = r#"{"year":2027,"days_off":[],"makeup_workdays":["2027-02-15"],"source":""}"#;
    assert!(matches!(CalendarUpdate::from_json(weekday_makeup), Err(CalendarError::UpdateMakeupNotWeekend { .. })));
}
