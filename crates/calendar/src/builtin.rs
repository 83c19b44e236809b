//! The holiday schedules shipped with the program, kept as plain data and turned into
//! [`CalendarUpdate`]s so they pass exactly the same validation as imported years.

use crate::date::next_day;
use crate::{CalendarError, CalendarUpdate, Holiday, parse_date};

/// One year's official schedule: days off as inclusive ranges with their holiday name, and the
/// make-up working days.
struct YearSchedule {
    year: i32,
    source: &'static str,
    days_off: &'static [(&'static str, &'static str, &'static str)],
    makeup_workdays: &'static [&'static str],
}

/// The built-in years, transcribed from the State Council General Office notices.
const SCHEDULES: &[YearSchedule] = &[
    YearSchedule {
        year: 2025,
        source: "国务院办公厅关于2025年部分节假日安排的通知（内置）",
        days_off: &[
            ("2025-01-01", "2025-01-01", "元旦"),
            ("2025-01-28", "2025-02-04", "春节"),
            ("2025-04-04", "2025-04-06", "清明节"),
            ("2025-05-01", "2025-05-05", "劳动节"),
            ("2025-05-31", "2025-06-02", "端午节"),
            ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
        ],
        makeup_workdays: &["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    },
    YearSchedule {
        year: 2026,
        source: "国务院办公厅关于2026年部分节假日安排的通知（内置）",
        days_off: &[
            ("2026-01-01", "2026-01-03", "元旦"),
            ("2026-02-15", "2026-02-23", "春节"),
            ("2026-04-04", "2026-04-06", "清明节"),
            ("2026-05-01", "2026-05-05", "劳动节"),
            ("2026-06-19", "2026-06-21", "端午节"),
            ("2026-09-25", "2026-09-27", "中秋节"),
            ("2026-10-01", "2026-10-07", "国庆节"),
        ],
        makeup_workdays: &["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    },
];

/// The built-in schedules as updates, not yet validated (applying them validates them).
pub(crate) fn updates() -> Result<Vec<CalendarUpdate>, CalendarError> {
    SCHEDULES.iter().map(to_update).collect()
}

fn to_update(schedule: &YearSchedule) -> Result<CalendarUpdate, CalendarError> {
    let mut days_off = Vec::new();
    for &(first, last, name) in schedule.days_off {
        let (mut day, last) = (parse_date(first)?, parse_date(last)?);
        while day <= last {
            days_off.push(Holiday { date: day, name: name.to_owned() });
            day = next_day(day)?;
        }
    }
    let makeup_workdays = schedule.makeup_workdays.iter().map(|d| parse_date(d)).collect::<Result<_, _>>()?;
    Ok(CalendarUpdate { year: schedule.year, days_off, makeup_workdays, source: schedule.source.to_owned() })
}
