//! Reading one cell of an older platform's export as the value a field needs: dates written in
//! several ways, full-width digits, yes and no, money, lists. Each refusal is a reason in Chinese
//! that the row's report shows next to its row number.

use chrono::{Datelike, NaiveDate};

use super::sheet::Cell;

/// Full-width ASCII (０１２, ＡＢ, －／．（）) as half-width, and the ideographic space as a
/// space: spreadsheets typed with a Chinese input method often hold them in numbers and dates.
pub fn halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// A cell's text, trimmed: numbers without a needless `.0`, dates as YYYY-MM-DD.
pub fn text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.trim().to_owned(),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Cell::Number(n) => n.to_string(),
        Cell::Date(d) if d.time() == chrono::NaiveTime::MIN => d.date().to_string(),
        Cell::Date(d) => d.format("%Y-%m-%d %H:%M").to_string(),
        Cell::Bool(true) => "是".into(),
        Cell::Bool(false) => "否".into(),
        Cell::Error(e) => e.clone(),
    }
}

/// A code or number (原编号, 文号): text with full-width characters made half-width.
pub fn code(cell: &Cell) -> String {
    halfwidth(&text(cell)).trim().to_owned()
}

/// Whether the cell holds nothing (blank, or only spaces).
pub fn is_blank(cell: &Cell) -> bool {
    match cell {
        Cell::Empty => true,
        Cell::Text(s) => halfwidth(s).trim().is_empty(),
        _ => false,
    }
}

/// The earliest and latest dates an import accepts: older platforms reach back decades at most,
/// and a year outside this range is a typing error.
const FIRST_YEAR: i32 = 1980;
const LAST_YEAR: i32 = 2099;

fn in_range(d: NaiveDate, raw: &str) -> Result<NaiveDate, String> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(format!("日期“{raw}”的年份不在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间，请核对。"))
    }
}

/// A date, whether the spreadsheet stored it as a date or it was typed as text in any of the
/// ways Chinese offices write dates: 2023-01-05, 2023/1/5, 2023.1.5, 2023年1月5日, 20230105, with
/// or without a time after it, in full-width digits too. A day-first or month-first form
/// (05/01/2023) is refused: it cannot be told which it is.
pub fn date(cell: &Cell) -> Result<NaiveDate, String> {
    match cell {
        Cell::Date(d) => in_range(d.date(), &d.date().to_string()),
        Cell::Number(n) => {
            let whole = n.trunc();
            if (19_800_101.0..=20_991_231.0).contains(&whole) && n.fract() == 0.0 {
                return date_text(&format!("{}", whole as i64));
            }
            // A date cell whose format was lost: Excel's serial day number (1 = 1900-01-01,
            // counting the 1900 leap day Excel invented, so 60 and after are one day ahead).
            if (29_221.0..=73_050.0).contains(&whole) {
                let base = NaiveDate::from_ymd_opt(1899, 12, 30).ok_or("日期计算出错")?;
                let d = base + chrono::Duration::days(whole as i64);
                return in_range(d, &d.to_string());
            }
            Err(format!("“{}”不是日期，请写成 2023-01-05 这样的日期。", text(cell)))
        }
        Cell::Text(s) => date_text(s),
        Cell::Empty => Err("缺少日期。".into()),
        other => Err(format!("“{}”不是日期，请写成 2023-01-05 这样的日期。", text(other))),
    }
}

fn date_text(raw: &str) -> Result<NaiveDate, String> {
    let s = halfwidth(raw).trim().to_owned();
    let bad = || format!("日期“{raw}”无法识别，请写成 2023-01-05、2023/1/5 或 2023年1月5日 这样的日期。");
    // Drop a time of day after the date (2023-01-05 10:30, 2023年1月5日 上午).
    let date_part = s.split([' ', 'T']).next().unwrap_or("");
    let digits_only = date_part.chars().all(|c| c.is_ascii_digit());
    let (y, m, d) = if digits_only && date_part.len() == 8 {
        (date_part[..4].to_owned(), date_part[4..6].to_owned(), date_part[6..].to_owned())
    } else {
        let normal: String = date_part
            .chars()
            .map(|c| match c {
                '年' | '月' | '/' | '.' | '-' => '-',
                '日' | '号' => ' ',
                _ => c,
            })
            .collect();
        let parts: Vec<&str> = normal.trim().split('-').map(str::trim).collect();
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
            return Err(bad());
        }
        if parts[0].len() != 4 {
            if parts[2].len() == 4 {
                return Err(format!(
                    "日期“{raw}”把年份写在最后，无法确定哪个是月、哪个是日。请写成 2023-01-05 这样年、月、日的顺序。"
                ));
            }
            return Err(bad());
        }
        (parts[0].to_owned(), parts[1].to_owned(), parts[2].to_owned())
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else { return Err(bad()) };
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("日期“{raw}”不存在（{y}年没有{m}月{d}日）。"))?;
    in_range(date, raw)
}

/// Yes or no: 是/否, Y/N, 1/0, √/×, 实名/匿名, 中共党员/群众 and the like. Blank is `None`.
pub fn yes_no(cell: &Cell) -> Result<Option<bool>, String> {
    if let Cell::Bool(b) = cell {
        return Ok(Some(*b));
    }
    let t = halfwidth(&text(cell)).trim().to_uppercase();
    if t.is_empty() {
        return Ok(None);
    }
    const YES: &[&str] = &["是", "Y", "YES", "1", "√", "TRUE", "实名", "中共党员", "党员", "中共预备党员", "预备党员"];
    const NO: &[&str] = &["否", "N", "NO", "0", "×", "X", "FALSE", "匿名", "群众", "非党员", "民主党派", "无党派人士"];
    if YES.contains(&t.as_str()) {
        Ok(Some(true))
    } else if NO.contains(&t.as_str()) {
        Ok(Some(false))
    } else {
        Err(format!("“{}”应为“是”或“否”。", text(cell)))
    }
}

/// A sum of money in yuan: digits with at most two decimals, thousands separators and 元 allowed.
/// Blank is `None`.
pub fn amount(cell: &Cell) -> Result<Option<String>, String> {
    let t: String =
        halfwidth(&text(cell)).chars().filter(|c| !matches!(c, ',' | '，' | ' ' | '元' | '¥' | '￥')).collect();
    if t.is_empty() {
        return Ok(None);
    }
    match crate::penalty::rules::parse_amount(&t, "金额") {
        Ok(v) => Ok(Some(crate::penalty::rules::fen(v))),
        Err(_) => Err(format!("金额“{}”无效：应为大于零、最多两位小数的元数，如 12000 或 3500.50。", text(cell))),
    }
}

/// A list in one cell, split at 、，,；; and line breaks; empty parts dropped.
pub fn list(cell: &Cell) -> Vec<String> {
    text(cell)
        .split(['、', '，', ',', '；', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn dates_typed_in_several_ways_are_read_and_ambiguous_ones_refused() {
        let want = NaiveDate::from_ymd_opt(2023, 1, 5).unwrap();
        for s in [
            "2023-01-05",
            "2023-1-5",
            "2023/1/5",
            "2023.01.05",
            "2023年1月5日",
            "2023年01月05号",
            "20230105",
            "２０２３年１月５日",
            "２０２３－０１－０５",
            "2023-01-05 10:30:00",
            " 2023/01/05 ",
        ] {
            assert_eq!(date(&t(s)), Ok(want), "{s}");
        }
        assert_eq!(date(&Cell::Number(20230105.0)), Ok(want));
        assert_eq!(date(&Cell::Number(44931.0)), Ok(want), "an Excel serial day number");
        assert!(date(&t("05/01/2023")).unwrap_err().contains("年份写在最后"));
        assert!(date(&t("2023-02-30")).unwrap_err().contains("不存在"));
        assert!(date(&t("去年春天")).unwrap_err().contains("无法识别"));
        assert!(date(&t("1923-01-05")).unwrap_err().contains("年份不在"));
        assert!(date(&Cell::Empty).is_err());
    }

    #[test]
    fn full_width_digits_and_words_for_yes_and_no() {
        assert_eq!(halfwidth("ＸＦ２０２３－００１"), "XF2023-001");
        assert_eq!(code(&t(" ＸＦ２０２３－００１ ")), "XF2023-001");
        assert_eq!(yes_no(&t("是")), Ok(Some(true)));
        assert_eq!(yes_no(&t("中共党员")), Ok(Some(true)));
        assert_eq!(yes_no(&t("群众")), Ok(Some(false)));
        assert_eq!(yes_no(&t("１")), Ok(Some(true)));
        assert_eq!(yes_no(&t("")), Ok(None));
        assert!(yes_no(&t("也许")).is_err());
        assert_eq!(amount(&t("１２，０００.５元")), Ok(Some("12000.50".into())));
        assert!(amount(&t("-3")).is_err());
        assert_eq!(list(&t("送达、宣布；归档")), vec!["送达", "宣布", "归档"]);
        assert_eq!(text(&Cell::Number(123.0)), "123");
    }
}
