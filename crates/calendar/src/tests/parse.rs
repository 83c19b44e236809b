//! Date parsing: accepted spellings and the Chinese error messages for bad input.

use super::d;
use crate::{CalendarError, parse_date};

#[test]
fn accepts_common_spellings() {
    let want = chrono::NaiveDate::from_ymd_opt(2026, 2, 15).unwrap();
    for s in ["2026-02-15", "2026-2-15", " 2026-02-15 ", "2026/2/15", "2026.02.15", "2026年2月15日"] {
        assert_eq!(parse_date(s), Ok(want), "{s}");
    }
    assert_eq!(d("1949-10-01").to_string(), "1949-10-01");
    assert_eq!(d("2099-12-31").to_string(), "2099-12-31");
    assert_eq!(d("2024-02-29").to_string(), "2024-02-29");
}

#[test]
fn refuses_impossible_dates_with_clear_messages() {
    let err = parse_date("2026-02-30").unwrap_err();
    assert_eq!(err, CalendarError::NoSuchDate { input: "2026-02-30".into() });
    assert_eq!(err.to_string(), "日期 2026-02-30 不存在，请检查年月日");
    assert!(matches!(parse_date("2026-13-01"), Err(CalendarError::NoSuchDate { .. })));
    assert!(matches!(parse_date("2025-02-29"), Err(CalendarError::NoSuchDate { .. })));
    assert!(matches!(parse_date("2026-00-10"), Err(CalendarError::NoSuchDate { .. })));
}

#[test]
fn refuses_garbage() {
    for s in [
        "abc",
        "",
        "2026",
        "2026-01",
        "20260215",
        "2026-01-01-01",
        "-2026-01-01",
        "+2026-01-01",
        "26-01-01",
        "2026-001-01",
        "2026-0x-01",
        "２０２６-01-01",
    ] {
        let err = parse_date(s).unwrap_err();
        assert!(matches!(err, CalendarError::BadFormat { .. }), "{s}: {err}");
        assert!(err.to_string().contains("YYYY") || err.to_string().contains("年-月-日"));
    }
}

#[test]
fn refuses_dates_outside_the_supported_range() {
    for s in ["1949-09-30", "1900-01-01", "2100-01-01"] {
        let err = parse_date(s).unwrap_err();
        assert!(matches!(err, CalendarError::OutOfRange { .. }), "{s}");
        assert!(err.to_string().contains("超出支持范围（1949-10-01 至 2099-12-31）"));
    }
}
