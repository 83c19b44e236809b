//! The rules of DOMAIN.md §3 as pure functions: money to the fen, influence periods, which
//! benefits an influence period bars, and the countdown light of an execution item.

use std::str::FromStr;

use chrono::NaiveDate;
use qingfeng_calendar::{Calendar, MonthRule};
use rust_decimal::Decimal;

use super::model::*;
use crate::deadlines::Light;
use crate::error::{CoreError, Result};

/// The largest amount accepted (one trillion yuan): anything larger is a typing mistake.
const MAX_AMOUNT_YUAN: i64 = 1_000_000_000_000;

/// The longest total of several government sanctions of one kind (政务处分法 第十五条: "应当给予撤职
/// 以下多个相同政务处分的…最长不得超过四十八个月").
pub const MAX_COMBINED_SANCTION_MONTHS: u32 = 48;

/// Parses an amount of money typed by an officer: yuan, positive, at most two decimals.
/// Floats never appear: the text goes straight into a decimal.
pub fn parse_amount(text: &str, what: &str) -> Result<Decimal> {
    let t = text.trim();
    let t = t.strip_suffix('元').unwrap_or(t).trim().replace('，', ",");
    let t = ungroup(&t).ok_or_else(|| {
        CoreError::invalid(format!(
            "{what}“{text}”的千位分隔不正确：逗号只能每三位一个（如 1,234.56），也可以不写逗号（如 1234.56）。"
        ))
    })?;
    let t = t.as_str();
    // Only plain decimal notation: the decimal parser would also take exponents like `1e3`.
    if !t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+')) {
        return Err(CoreError::invalid(format!("{what}“{text}”不是金额，请填写以元为单位的数字，如 1200.50。")));
    }
    let d = Decimal::from_str(t)
        .map_err(|_| CoreError::invalid(format!("{what}“{text}”不是金额，请填写以元为单位的数字，如 1200.50。")))?;
    if d.is_sign_negative() || d.is_zero() {
        return Err(CoreError::invalid(format!("{what}应大于零（填写的是 {text}）。")));
    }
    if d.normalize().scale() > 2 {
        return Err(CoreError::invalid(format!("{what}“{text}”超过两位小数：金额精确到分。")));
    }
    if d > Decimal::from(MAX_AMOUNT_YUAN) {
        return Err(CoreError::invalid(format!("{what}“{text}”过大，请核对。")));
    }
    Ok(d)
}

/// Removes thousands separators written exactly in the one accepted style: the integer part in
/// groups of three from the right, the first group one to three digits, nothing after the decimal
/// point (`1,234.56`). Text without commas is returned as it is. `None` for any other use of a
/// comma, because guessing what "1,00" or "12,34.5" meant is how money gets misread.
fn ungroup(t: &str) -> Option<String> {
    if !t.contains(',') {
        return Some(t.to_owned());
    }
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    if frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let mut groups = int.split(',');
    let first = groups.next()?;
    let digits = |g: &str| g.chars().all(|c| c.is_ascii_digit());
    if first.is_empty() || first.len() > 3 || !digits(first) {
        return None;
    }
    let mut out = first.to_owned();
    for g in groups {
        if g.len() != 3 || !digits(g) {
            return None;
        }
        out.push_str(g);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// An amount as stored and shown: yuan with exactly two decimals.
pub fn fen(d: Decimal) -> String {
    let mut d = d.round_dp(2);
    d.rescale(2);
    d.to_string()
}

/// Reads a stored amount back.
pub fn stored_amount(text: &str) -> Result<Decimal> {
    Decimal::from_str(text).map_err(|e| CoreError::Encoding(format!("bad stored amount {text}: {e}")))
}

/// The influence period of a party penalty, in months (DOMAIN.md §3).
pub fn party_months(p: PartyPenalty, probation_years: Option<u32>) -> Result<u32> {
    Ok(match p {
        PartyPenalty::Warning => 12,
        PartyPenalty::SeriousWarning => 18,
        PartyPenalty::RemovalFromPost => 24,
        PartyPenalty::Probation => match probation_years {
            Some(1) => 12,
            Some(2) => 24,
            _ => return Err(CoreError::invalid("留党察看须写明期限：1 年或 2 年。")),
        },
        PartyPenalty::Expulsion => 60,
    })
}

/// The period of one government sanction in months, `None` for expulsion (permanent).
pub fn single_sanction_months(s: GovernmentSanction) -> Option<u32> {
    match s {
        GovernmentSanction::Warning => Some(6),
        GovernmentSanction::Demerit => Some(12),
        GovernmentSanction::MajorDemerit => Some(18),
        GovernmentSanction::Demotion | GovernmentSanction::Dismissal => Some(24),
        GovernmentSanction::Expulsion => None,
    }
}

/// The influence period of `count` government sanctions of one kind (警告 up to 撤职): by default
/// their sum, at most 48 months; a decided period must lie between one sanction's period and that
/// cap.
pub fn government_months(s: GovernmentSanction, count: u32, decided: Option<u32>) -> Result<Option<u32>> {
    if count == 0 {
        return Err(CoreError::invalid("同类政务处分的个数至少为 1。"));
    }
    let Some(single) = single_sanction_months(s) else {
        if count > 1 || decided.is_some() {
            return Err(CoreError::invalid("开除没有处分期间，不能合并计算或另定期间。"));
        }
        return Ok(None);
    };
    if count == 1 {
        if decided.is_some_and(|m| m != single) {
            return Err(CoreError::invalid(format!(
                "单个“{}”的处分期间为 {single} 个月，不能另定；合并多个同类处分时才可另定期间。",
                s.label()
            )));
        }
        return Ok(Some(single));
    }
    // 政务处分法 第十五条 combines "撤职以下多个相同政务处分"; in Chinese law "以下" includes the
    // item named, so several 撤职 combine like several 降级. Only 开除 (no period) cannot, and it
    // was refused above.
    let cap = (single * count).min(MAX_COMBINED_SANCTION_MONTHS);
    match decided {
        None => Ok(Some(cap)),
        Some(m) if (single..=cap).contains(&m) => Ok(Some(m)),
        Some(m) => Err(CoreError::invalid(format!(
            "{count} 个“{}”合并的处分期间应在 {single} 至 {cap} 个月之间（最长 48 个月），填写的是 {m} 个月。",
            s.label()
        ))),
    }
}

/// The last day of a period of `months` from `start`: the corresponding date, or the day before
/// when the office's setting says so (DOMAIN.md §3, configurable).
pub fn period_end(calendar: &Calendar, start: NaiveDate, months: u32, day_before: bool) -> Result<NaiveDate> {
    let end = calendar.add_months(start, months, MonthRule::Fixed)?.value;
    Ok(if day_before { end.pred_opt().unwrap_or(end) } else { end })
}

/// The influence periods of a decision: party from the approval date, government from the
/// decision date.
pub fn influence_periods(
    calendar: &Calendar,
    form: &RegisterPenalty,
    decision: NaiveDate,
    approval: Option<NaiveDate>,
    day_before: bool,
) -> Result<Vec<InfluencePeriod>> {
    let mut out = Vec::new();
    if let Some(p) = form.party_penalty {
        let start = approval.ok_or_else(|| CoreError::invalid("党纪处分须填写批准日期：影响期自批准之日起计算。"))?;
        let months = party_months(p, form.probation_years)?;
        let label = match (p, form.probation_years) {
            (PartyPenalty::Probation, Some(y)) => format!("留党察看{y}年"),
            _ => p.label().to_owned(),
        };
        out.push(InfluencePeriod {
            system: "party".into(),
            penalty: p.as_str().into(),
            label,
            start: start.to_string(),
            months: Some(months),
            end: Some(period_end(calendar, start, months, day_before)?.to_string()),
            permanent: false,
        });
    }
    if let Some(s) = form.government_sanction {
        let count = form.sanction_count.unwrap_or(1);
        let months = government_months(s, count, form.sanction_months)?;
        let label = if count > 1 { format!("{}（{count} 个合并）", s.label()) } else { s.label().to_owned() };
        out.push(InfluencePeriod {
            system: "government".into(),
            penalty: s.as_str().into(),
            label,
            start: decision.to_string(),
            months,
            end: months.map(|m| period_end(calendar, decision, m, day_before)).transpose()?.map(|d| d.to_string()),
            permanent: months.is_none(),
        });
    }
    Ok(out)
}

/// The penalty in words, e.g. `撤销党内职务；撤职`.
pub fn penalty_label(form: &RegisterPenalty) -> String {
    let mut parts = Vec::new();
    if let Some(p) = form.party_penalty {
        parts.push(match (p, form.probation_years) {
            (PartyPenalty::Probation, Some(y)) => format!("留党察看{y}年"),
            _ => p.label().to_owned(),
        });
    }
    if let Some(s) = form.government_sanction {
        parts.push(s.label().to_owned());
    }
    parts.join("；")
}

/// The latest end among finite periods, the one restoration waits for.
pub fn latest_end(periods: &[InfluencePeriod]) -> Option<String> {
    periods.iter().filter_map(|p| p.end.clone()).max()
}

/// Whether a period, by its penalty, bars a benefit; the reason in Chinese if it does.
/// During any period the person may not be promoted, receive awards or be rated 优秀; a
/// government demerit or heavier also bars pay-step increases and any determined appraisal
/// grade (考核只写评语、不定等次).
pub fn barred(kind: BenefitKind, grade: Option<AppraisalGrade>, period: &InfluencePeriod) -> Option<String> {
    let government_demerit_or_heavier = period.system == "government"
        && GovernmentSanction::ALL
            .into_iter()
            .find(|s| s.as_str() == period.penalty)
            .is_some_and(|s| s >= GovernmentSanction::Demerit);
    let during = format!("处于“{}”影响期内（{} 至 {}）", period.label, period.start, period_end_text(period));
    match kind {
        BenefitKind::Promotion => Some(format!("{during}，不得晋升职务、职级。")),
        BenefitKind::Award => Some(format!("{during}，不得评先评优。")),
        BenefitKind::PayStep if government_demerit_or_heavier => Some(format!("{during}，不得晋升工资档次。")),
        BenefitKind::PayStep => None,
        BenefitKind::Appraisal => match grade {
            Some(AppraisalGrade::Excellent) => Some(format!("{during}，年度考核不得确定为优秀。")),
            Some(g) if government_demerit_or_heavier && g != AppraisalGrade::Undetermined => {
                Some(format!("{during}，年度考核只写评语、不定等次（登记为“{}”）。", g.label()))
            }
            _ => None,
        },
    }
}

fn period_end_text(p: &InfluencePeriod) -> String {
    p.end.clone().unwrap_or_else(|| "长期".into())
}

/// Whether `date` lies within the period (both ends included; a permanent period never ends).
pub fn within(period: &InfluencePeriod, date: &str) -> bool {
    date >= period.start.as_str() && period.end.as_deref().is_none_or(|end| date <= end)
}

/// Calendar days before its deadline at which an item turns yellow (DOMAIN.md §3: "its deadline is
/// 5 days away"). Complaint deadlines count working days (`deadlines::YELLOW_WORKING_DAYS`); the
/// execution lights follow §3's own words.
pub const YELLOW_DAYS: i64 = 5;

/// Days without any action after which a workable item turns yellow (DOMAIN.md §3).
pub const IDLE_DAYS: i64 = 10;

/// The last due date that is yellow on `today`: the board counts with it in SQL, `light` below
/// compares with it, so the two cannot disagree.
pub fn yellow_until(today: NaiveDate) -> NaiveDate {
    today + chrono::Duration::days(YELLOW_DAYS)
}

/// The last day of action after which a workable item counts as idle on `today`.
pub fn idle_since(today: NaiveDate) -> NaiveDate {
    today - chrono::Duration::days(IDLE_DAYS)
}

/// The light of a penalty-execution deadline on `today` (`status` as the deadlines store it):
/// red when overdue, yellow within `YELLOW_DAYS` calendar days, green otherwise.
pub fn deadline_light(status: &str, due: NaiveDate, today: NaiveDate) -> Light {
    match status {
        "done" => Light::Done,
        "cancelled" => Light::Cancelled,
        _ if today > due => Light::Red,
        _ if due <= yellow_until(today) => Light::Yellow,
        _ => Light::Green,
    }
}

/// An item's light on `today`: none while it waits for the item before it; the deadline's light,
/// turned yellow also when the item has had no action for `IDLE_DAYS`.
pub fn item_light(
    status: ItemStatus,
    due: Option<NaiveDate>,
    last_action: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<Light> {
    match status {
        ItemStatus::Approved => Some(Light::Done),
        ItemStatus::Pending => None,
        ItemStatus::Open | ItemStatus::Submitted | ItemStatus::Rejected => {
            let light = deadline_light("open", due?, today);
            let idle = last_action.is_some_and(|d| d <= idle_since(today));
            Some(if light == Light::Green && idle { Light::Yellow } else { light })
        }
    }
}

/// Whether an item's yellow light is for want of action (`IDLE_DAYS` idle) rather than for a near
/// deadline, so that screens say "久未办理" instead of "临近" (the legend names both).
pub fn item_idle(status: ItemStatus, due: Option<NaiveDate>, last_action: Option<NaiveDate>, today: NaiveDate) -> bool {
    item_light(status, due, last_action, today) == Some(Light::Yellow)
        && due.is_some_and(|d| deadline_light("open", d, today) == Light::Green)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_to_the_fen() {
        assert_eq!(fen(parse_amount("1200.5", "金额").unwrap()), "1200.50");
        assert_eq!(fen(parse_amount("1,200.50元", "金额").unwrap()), "1200.50");
        assert_eq!(fen(parse_amount("0.01", "金额").unwrap()), "0.01");
        assert_eq!(fen(parse_amount("3.100", "金额").unwrap()), "3.10");
        assert!(parse_amount("1.005", "金额").is_err());
        assert!(parse_amount("-5", "金额").is_err());
        assert!(parse_amount("0", "金额").is_err());
        assert!(parse_amount("abc", "金额").is_err());
        assert!(parse_amount("1e3", "金额").is_err());
        let sum = parse_amount("0.1", "a").unwrap() + parse_amount("0.2", "b").unwrap();
        assert_eq!(fen(sum), "0.30");
    }

    /// Issue #13 defect 5: commas were removed wherever they stood, so "1,00" became 100.00.
    #[test]
    fn thousands_separators_are_accepted_only_in_groups_of_three() {
        for (typed, stored) in [
            ("1,234.56", "1234.56"),
            ("1,234", "1234.00"),
            ("12,345,678.9", "12345678.90"),
            ("123,456", "123456.00"),
            ("1，234.56", "1234.56"),
            ("999", "999.00"),
            ("1234.56", "1234.56"),
            (" 1,000 元", "1000.00"),
        ] {
            assert_eq!(fen(parse_amount(typed, "金额").unwrap()), stored, "{typed}");
        }
        for typed in ["1,00", "1,2,3", "12,34.5", ",123", "1,234,", "1,,234", "1234,567", "1,234.5,6", "1,2345"] {
            let err = parse_amount(typed, "缴款金额").expect_err(typed).to_string();
            assert!(err.contains(typed) && err.contains("缴款金额"), "{typed}: {err}");
        }
    }

    #[test]
    fn combined_sanctions_are_capped_at_48_months() {
        assert_eq!(government_months(GovernmentSanction::Demerit, 1, None).unwrap(), Some(12));
        assert_eq!(government_months(GovernmentSanction::Demerit, 3, None).unwrap(), Some(36));
        assert_eq!(government_months(GovernmentSanction::MajorDemerit, 3, None).unwrap(), Some(48));
        assert_eq!(government_months(GovernmentSanction::Demotion, 3, Some(30)).unwrap(), Some(30));
        assert!(government_months(GovernmentSanction::Demotion, 3, Some(50)).is_err());
        assert!(government_months(GovernmentSanction::Demotion, 3, Some(12)).is_err());
        assert_eq!(government_months(GovernmentSanction::Expulsion, 1, None).unwrap(), None);
    }

    /// 政务处分法 第十五条: "应当给予撤职以下多个相同政务处分的…最长不得超过四十八个月"; "以下"
    /// includes 撤职 itself, so several 撤职 combine like several 降级. 开除 has no period to combine.
    #[test]
    fn several_dismissals_combine_up_to_48_months() {
        assert_eq!(government_months(GovernmentSanction::Dismissal, 2, None).unwrap(), Some(48));
        assert_eq!(government_months(GovernmentSanction::Dismissal, 3, Some(30)).unwrap(), Some(30));
        assert!(government_months(GovernmentSanction::Dismissal, 2, Some(50)).is_err());
        assert!(government_months(GovernmentSanction::Dismissal, 2, Some(12)).is_err());
        assert!(government_months(GovernmentSanction::Expulsion, 2, None).is_err());
    }
}
