//! The deadlines projection: every duty with a due date, its basis, and its light.
//!
//! Due dates are computed by the projector from a rule and a start date with the calendar as of
//! the events applied so far, so live tables and a rebuild agree; when a calendar update arrives,
//! open deadlines are recomputed. The light depends on today and is computed when read.

use chrono::NaiveDate;
use qingfeng_calendar::{Calendar, MonthRule};
use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::events::Event;

/// How a due date follows from its start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// N working days after the start date (the start date not counted).
    WorkingDays(u32),
    /// N months after; moved to the next working day if it falls on a day off.
    Months(u32),
    /// N months after, never moved (custody periods).
    MonthsFixed(u32),
    /// D calendar days before the end of N fixed months (the detention reminder).
    DaysBeforeMonthsFixed(u32, u32),
    /// N working days after the start date, where the start date is a quarter's last day.
    AfterQuarter(u32),
}

impl Rule {
    /// The stored form, e.g. `working_days:15`.
    pub fn code(self) -> String {
        match self {
            Rule::WorkingDays(n) => format!("working_days:{n}"),
            Rule::Months(n) => format!("months:{n}"),
            Rule::MonthsFixed(n) => format!("months_fixed:{n}"),
            Rule::DaysBeforeMonthsFixed(d, n) => format!("days_before_months_fixed:{d}:{n}"),
            Rule::AfterQuarter(n) => format!("after_quarter:{n}"),
        }
    }

    pub fn parse(code: &str) -> Result<Self> {
        let bad = || CoreError::Encoding(format!("bad deadline rule {code}"));
        let (kind, n) = code.split_once(':').ok_or_else(bad)?;
        if kind == "days_before_months_fixed" {
            let (d, m) = n.split_once(':').ok_or_else(bad)?;
            return Ok(Rule::DaysBeforeMonthsFixed(d.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?));
        }
        let n: u32 = n.parse().map_err(|_| bad())?;
        match kind {
            "after_quarter" => Ok(Rule::AfterQuarter(n)),
            "working_days" => Ok(Rule::WorkingDays(n)),
            "months" => Ok(Rule::Months(n)),
            "months_fixed" => Ok(Rule::MonthsFixed(n)),
            _ => Err(CoreError::Encoding(format!("bad deadline rule {code}"))),
        }
    }

    /// The due date and whether it is provisional.
    pub fn due(self, calendar: &Calendar, start: NaiveDate) -> Result<(NaiveDate, bool)> {
        let a = match self {
            Rule::WorkingDays(n) => calendar.add_working_days(start, n)?,
            Rule::Months(n) => calendar.add_months(start, n, MonthRule::MoveToWorkingDay)?,
            Rule::MonthsFixed(n) => calendar.add_months(start, n, MonthRule::Fixed)?,
            Rule::DaysBeforeMonthsFixed(d, n) => {
                let end = calendar.add_months(start, n, MonthRule::Fixed)?;
                let value = end.value - chrono::Duration::days(i64::from(d));
                qingfeng_calendar::Answer { value, provisional: end.provisional }
            }
            Rule::AfterQuarter(n) => calendar.add_working_days(start, n)?,
        };
        Ok((a.value, a.provisional))
    }

    /// In words, for the basis shown beside a deadline.
    pub fn describe(self) -> String {
        match self {
            Rule::WorkingDays(n) => format!("{n} 个工作日"),
            Rule::Months(n) => format!("{n} 个月"),
            Rule::MonthsFixed(n) => format!("{n} 个月（不顺延）"),
            Rule::DaysBeforeMonthsFixed(d, n) => format!("{n} 个月期满前 {d} 日"),
            Rule::AfterQuarter(n) => format!("季度结束后 {n} 个工作日"),
        }
    }
}

/// The kinds of deadline, with the duty each one is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// 受理告知: tell a real-name reporter the complaint was accepted (15 working days from receipt).
    AcceptanceNotice,
    /// 向上报送: send up within 5 working days of receipt.
    ReportUpward,
    /// 向下转送: forward to the lower office within 5 working days of receipt.
    TransferDownward,
    /// 转送件登记: the lower office registers (screens) a complaint transferred down to it within
    /// 5 working days of receiving it (DOMAIN.md §2), counted from the day the hub handed it over.
    TransferRegistration,
    /// 函询回复: the written reply to an inquiry letter (15 working days from the letter).
    InquiryReply,
    /// 结果反馈: feed back the result to a real-name reporter (15 working days from conclusion).
    ResultFeedback,
    /// 审理期限: trial review within 1 month of its acceptance.
    TrialReview,
    /// 留置期限: detention ends 3 months after it starts (6 once extended); never moved.
    DetentionEnd,
    /// 留置到期提醒: 10 days before detention ends.
    DetentionReminder,
    /// 季度办结情况报告: the handling department reports concluded results to petitions each quarter.
    QuarterlyReport,
    /// 交办结果报告: the office a complaint was assigned to reports its result (working days set
    /// by the assigning office, default 60).
    AssignmentReport,
    /// 督办结果报告: the office handling a supervised complaint reports its result (default 30
    /// working days from the supervision).
    SupervisionReport,
    /// 送达处分决定: serve the penalty decision within 1 month of the decision (DOMAIN.md §3).
    PenaltyServe,
    /// 宣布处分决定: announce it within 1 month of the decision.
    PenaltyAnnounce,
    /// 调整职务职级工资待遇: within 1 month, extendable to 6 with approval.
    PenaltyPostPay,
    /// 执行情况报告: the executing body reports execution within 6 months of the decision.
    PenaltyExecutionReport,
    /// 恢复权利/解除处分: due when the influence period ends.
    PenaltyRestoration,
    /// Any other execution item, due by its template's rule (by default with the 6-month report).
    ChecklistItem,
    /// 整改事项: a rectification item, due on the date the list gives it.
    RectificationItem,
    /// 监督建议反馈: the unit's feedback on a supervision letter (working days named in the letter,
    /// default 30 from its issue; 15 again after feedback is sent back).
    LetterFeedback,
    /// 廉政意见回复: the reply to the organisation department's request (working days named in the
    /// request, default 10 from its receipt).
    OpinionReply,
    /// 审核办理结果报告: the office that assigned or supervised a complaint reviews the result the
    /// handling office reported (accepts it or sends it back), within 10 working days of the
    /// report (the rule travels in the report, so a rebuild never moves it).
    ResultReview,
}

impl DeadlineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineKind::AcceptanceNotice => "acceptance_notice",
            DeadlineKind::ReportUpward => "report_upward",
            DeadlineKind::TransferDownward => "transfer_downward",
            DeadlineKind::TransferRegistration => "transfer_registration",
            DeadlineKind::InquiryReply => "inquiry_reply",
            DeadlineKind::ResultFeedback => "result_feedback",
            DeadlineKind::TrialReview => "trial_review",
            DeadlineKind::DetentionEnd => "detention_end",
            DeadlineKind::DetentionReminder => "detention_reminder",
            DeadlineKind::QuarterlyReport => "quarterly_report",
            DeadlineKind::AssignmentReport => "assignment_report",
            DeadlineKind::SupervisionReport => "supervision_report",
            DeadlineKind::PenaltyServe => "penalty_serve",
            DeadlineKind::PenaltyAnnounce => "penalty_announce",
            DeadlineKind::PenaltyPostPay => "penalty_post_pay",
            DeadlineKind::PenaltyExecutionReport => "penalty_execution_report",
            DeadlineKind::PenaltyRestoration => "penalty_restoration",
            DeadlineKind::ChecklistItem => "checklist_item",
            DeadlineKind::RectificationItem => "rectification_item",
            DeadlineKind::LetterFeedback => "letter_feedback",
            DeadlineKind::OpinionReply => "opinion_reply",
            DeadlineKind::ResultReview => "result_review",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        ALL_KINDS
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| CoreError::Encoding(format!("bad deadline kind {s}")))
    }

    pub fn label(self) -> &'static str {
        match self {
            DeadlineKind::AcceptanceNotice => "受理告知",
            DeadlineKind::ReportUpward => "向上报送",
            DeadlineKind::TransferDownward => "向下转送",
            DeadlineKind::TransferRegistration => "转送件登记",
            DeadlineKind::InquiryReply => "函询回复",
            DeadlineKind::ResultFeedback => "结果反馈",
            DeadlineKind::TrialReview => "审理期限",
            DeadlineKind::DetentionEnd => "留置期限",
            DeadlineKind::DetentionReminder => "留置到期提醒",
            DeadlineKind::QuarterlyReport => "季度办结情况报告",
            DeadlineKind::AssignmentReport => "交办结果报告",
            DeadlineKind::SupervisionReport => "督办结果报告",
            DeadlineKind::PenaltyServe => "送达处分决定",
            DeadlineKind::PenaltyAnnounce => "宣布处分决定",
            DeadlineKind::PenaltyPostPay => "调整职务职级工资待遇",
            DeadlineKind::PenaltyExecutionReport => "处分执行情况报告",
            DeadlineKind::PenaltyRestoration => "影响期满恢复权利",
            DeadlineKind::ChecklistItem => "执行事项",
            DeadlineKind::RectificationItem => "整改事项",
            DeadlineKind::LetterFeedback => "监督建议反馈",
            DeadlineKind::OpinionReply => "廉政意见回复",
            DeadlineKind::ResultReview => "审核办理结果报告",
        }
    }

    /// The rule DOMAIN.md §2 gives for this duty.
    pub fn rule(self) -> Rule {
        match self {
            DeadlineKind::AcceptanceNotice | DeadlineKind::InquiryReply | DeadlineKind::ResultFeedback => {
                Rule::WorkingDays(15)
            }
            DeadlineKind::ReportUpward | DeadlineKind::TransferDownward | DeadlineKind::TransferRegistration => {
                Rule::WorkingDays(5)
            }
            DeadlineKind::TrialReview => Rule::Months(1),
            // Detention periods are not extended by holidays (DOMAIN.md §2).
            DeadlineKind::DetentionEnd => Rule::MonthsFixed(3),
            DeadlineKind::DetentionReminder => Rule::DaysBeforeMonthsFixed(10, 3),
            DeadlineKind::QuarterlyReport => Rule::AfterQuarter(QUARTERLY_REPORT_WORKING_DAYS),
            // The office above names the period in each demand; these are the shipped defaults.
            DeadlineKind::AssignmentReport => Rule::WorkingDays(60),
            DeadlineKind::SupervisionReport => Rule::WorkingDays(30),
            DeadlineKind::PenaltyServe | DeadlineKind::PenaltyAnnounce | DeadlineKind::PenaltyPostPay => {
                Rule::Months(1)
            }
            DeadlineKind::PenaltyExecutionReport | DeadlineKind::ChecklistItem => Rule::Months(6),
            // Due on the date itself (the period's end, the date the list names), moved off a day off.
            DeadlineKind::PenaltyRestoration | DeadlineKind::RectificationItem => Rule::Months(0),
            // The letter and the request carry their own periods; these are the shipped defaults.
            DeadlineKind::LetterFeedback => Rule::WorkingDays(30),
            DeadlineKind::OpinionReply => Rule::WorkingDays(10),
            DeadlineKind::ResultReview => Rule::WorkingDays(RESULT_REVIEW_WORKING_DAYS),
        }
    }
}

/// Working days after a quarter's end by which its results report is due. DOMAIN.md names the
/// duty but not the day; this default can become a setting when an office needs another.
pub const QUARTERLY_REPORT_WORKING_DAYS: u32 = 10;

/// Working days the office above has to review a reported result (审核把关, seed 001). No rule
/// names the period; ten working days matches the other replies between offices (廉政意见回复)
/// and leaves the lower office's next report time inside the quarter.
pub const RESULT_REVIEW_WORKING_DAYS: u32 = 10;

const ALL_KINDS: [DeadlineKind; 22] = [
    DeadlineKind::AcceptanceNotice,
    DeadlineKind::ReportUpward,
    DeadlineKind::TransferDownward,
    DeadlineKind::TransferRegistration,
    DeadlineKind::InquiryReply,
    DeadlineKind::ResultFeedback,
    DeadlineKind::TrialReview,
    DeadlineKind::DetentionEnd,
    DeadlineKind::DetentionReminder,
    DeadlineKind::QuarterlyReport,
    DeadlineKind::AssignmentReport,
    DeadlineKind::SupervisionReport,
    DeadlineKind::PenaltyServe,
    DeadlineKind::PenaltyAnnounce,
    DeadlineKind::PenaltyPostPay,
    DeadlineKind::PenaltyExecutionReport,
    DeadlineKind::PenaltyRestoration,
    DeadlineKind::ChecklistItem,
    DeadlineKind::RectificationItem,
    DeadlineKind::LetterFeedback,
    DeadlineKind::OpinionReply,
    DeadlineKind::ResultReview,
];

/// A deadline's light on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Green,
    /// Due within 5 working days.
    Yellow,
    /// Overdue.
    Red,
    /// Met.
    Done,
    /// No longer owed (e.g. a repeat complaint needs no acceptance notice).
    Cancelled,
}

/// Working days before the due date at which a deadline turns yellow.
pub const YELLOW_WORKING_DAYS: u32 = 5;

/// The light of a deadline on `today`.
pub fn light(calendar: &Calendar, status: &str, due: NaiveDate, today: NaiveDate) -> Light {
    match status {
        "done" => Light::Done,
        "cancelled" => Light::Cancelled,
        _ if today > due => Light::Red,
        _ => match calendar.add_working_days(today, YELLOW_WORKING_DAYS) {
            Ok(a) if a.value >= due => Light::Yellow,
            Ok(_) => Light::Green,
            // Outside the calendar's range: say so by the most cautious light.
            Err(_) => Light::Yellow,
        },
    }
}

/// A deadline as screens and scripts read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeadlineView {
    pub id: String,
    pub aggregate: String,
    pub kind: DeadlineKind,
    pub label: String,
    /// The rule and what it counts from, in words.
    pub basis: String,
    pub start: String,
    /// YYYY-MM-DD.
    pub due: String,
    pub provisional: bool,
    /// `open`, `done` or `cancelled`.
    pub status: String,
    pub light: Light,
    /// Working days from today to the due date (negative when overdue); 0 when closed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub working_days_left: i64,
    pub closed_date: Option<String>,
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

/// Opens a deadline with its kind's usual rule, whose basis is `event` (called by the projector).
pub fn open(
    tx: &Transaction<'_>,
    calendar: &Calendar,
    aggregate: &str,
    kind: DeadlineKind,
    start: NaiveDate,
    event: &Event,
) -> Result<()> {
    open_with(tx, calendar, aggregate, kind, kind.rule(), start, event, &format!("{}:{}", kind.as_str(), event.id))
}

/// Opens a deadline with an explicit rule and id; an id already present is left as it is, which
/// lets recurring duties (one report per quarter) be opened by whichever event comes first.
#[allow(clippy::too_many_arguments)]
pub fn open_with(
    tx: &Transaction<'_>,
    calendar: &Calendar,
    aggregate: &str,
    kind: DeadlineKind,
    rule: Rule,
    start: NaiveDate,
    event: &Event,
    id: &str,
) -> Result<()> {
    let (due, provisional) = rule.due(calendar, start)?;
    tx.prepare_cached(
        "INSERT OR IGNORE INTO deadlines (id, aggregate, kind, rule, basis_event, start_date, due_date, provisional, status,
            office_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open',
            coalesce((SELECT owner_office FROM ownership WHERE aggregate = ?2), ?9))",
    )?
    .execute(params![
        id,
        aggregate,
        kind.as_str(),
        rule.code(),
        event.id,
        start.to_string(),
        due.to_string(),
        provisional,
        event.origin_office,
    ])?;
    Ok(())
}

/// Closes the open deadlines of `kind` on `aggregate`, as met (`done`) or no longer owed.
pub fn close(
    tx: &Transaction<'_>,
    aggregate: &str,
    kind: DeadlineKind,
    status: &str,
    date: &str,
    event: &Event,
) -> Result<()> {
    tx.prepare_cached(
        "UPDATE deadlines SET status = ?3, closed_date = ?4, closed_by = ?5
         WHERE aggregate = ?1 AND kind = ?2 AND status = 'open'",
    )?
    .execute(params![aggregate, kind.as_str(), status, date, event.id])?;
    Ok(())
}

/// Closes one deadline by id.
pub fn close_id(tx: &Transaction<'_>, id: &str, status: &str, date: &str, event: &Event) -> Result<()> {
    tx.prepare_cached(
        "UPDATE deadlines SET status = ?2, closed_date = ?3, closed_by = ?4 WHERE id = ?1 AND status = 'open'",
    )?
    .execute(params![id, status, date, event.id])?;
    Ok(())
}

/// The last day of the quarter containing `d`, and the quarter's name (e.g. `2026Q4`).
pub fn quarter_of(d: NaiveDate) -> (NaiveDate, String) {
    use chrono::Datelike;
    let q = (d.month() - 1) / 3 + 1;
    let end_month = q * 3;
    let next = if end_month == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), end_month + 1, 1)
    };
    let end = next.and_then(|n| n.pred_opt()).unwrap_or(d);
    (end, format!("{}Q{q}", d.year()))
}

/// Recomputes every open deadline after the calendar changed.
pub fn recompute_open(tx: &Transaction<'_>, calendar: &Calendar) -> Result<()> {
    let open: Vec<(String, String, String)> = {
        let mut stmt = tx.prepare("SELECT id, rule, start_date FROM deadlines WHERE status = 'open'")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?
    };
    for (id, rule, start) in open {
        let (due, provisional) = Rule::parse(&rule)?.due(calendar, parse_date(&start)?)?;
        tx.execute(
            "UPDATE deadlines SET due_date = ?2, provisional = ?3 WHERE id = ?1",
            params![id, due.to_string(), provisional],
        )?;
    }
    Ok(())
}

/// Signed working days from `today` to `due`, bounded so a far-off date cannot loop for long.
pub fn working_days_between(calendar: &Calendar, today: NaiveDate, due: NaiveDate) -> i64 {
    let (from, to, sign) = if due >= today { (today, due, 1) } else { (due, today, -1) };
    let mut n = 0i64;
    let mut d = from;
    while d < to && n < 2_000 {
        d = d.succ_opt().unwrap_or(to);
        if calendar.is_working_day(d).map(|a| a.value).unwrap_or(true) {
            n += 1;
        }
    }
    sign * n
}

/// Reads deadlines matching `where_sql` (a fixed SQL fragment with `?1` bound to `arg`).
pub fn query(
    conn: &Connection,
    calendar: &Calendar,
    today: NaiveDate,
    where_sql: &str,
    arg: &dyn rusqlite::ToSql,
    limit: Option<u32>,
) -> Result<Vec<DeadlineView>> {
    let limit = limit.map(|n| format!(" LIMIT {n}")).unwrap_or_default();
    let sql = format!(
        "SELECT id, aggregate, kind, rule, start_date, due_date, provisional, status, closed_date
         FROM deadlines WHERE {where_sql} ORDER BY due_date, id{limit}"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([arg], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, bool>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, Option<String>>(8)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, aggregate, kind, rule, start, due, provisional, status, closed_date) = row?;
        let kind = DeadlineKind::parse(&kind)?;
        let rule = Rule::parse(&rule)?;
        let due_date = parse_date(&due)?;
        let light = light(calendar, &status, due_date, today);
        out.push(DeadlineView {
            id,
            aggregate,
            kind,
            label: kind.label().to_owned(),
            basis: format!("自 {start} 起 {}", rule.describe()),
            start,
            due,
            provisional,
            working_days_left: if status == "open" { working_days_between(calendar, today, due_date) } else { 0 },
            status,
            light,
            closed_date,
        });
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn lights_follow_the_working_day_calendar() {
        let cal = Calendar::builtin();
        // Due Friday 2026-10-16: on 2026-09-28 it is more than 5 working days away (holiday week).
        assert_eq!(light(&cal, "open", d("2026-10-16"), d("2026-09-28")), Light::Green);
        // On 2026-10-09 six working days remain (Saturday 10-10 is a make-up day); on 10-12, five.
        assert_eq!(light(&cal, "open", d("2026-10-16"), d("2026-10-09")), Light::Green);
        assert_eq!(light(&cal, "open", d("2026-10-16"), d("2026-10-12")), Light::Yellow);
        assert_eq!(light(&cal, "open", d("2026-10-16"), d("2026-10-16")), Light::Yellow);
        assert_eq!(light(&cal, "open", d("2026-10-16"), d("2026-10-17")), Light::Red);
        assert_eq!(light(&cal, "done", d("2026-10-16"), d("2027-01-01")), Light::Done);
        assert_eq!(light(&cal, "cancelled", d("2026-10-16"), d("2027-01-01")), Light::Cancelled);
    }

    #[test]
    fn working_days_left_skips_holidays() {
        let cal = Calendar::builtin();
        assert_eq!(working_days_between(&cal, d("2026-09-28"), d("2026-10-10")), 5);
        assert_eq!(working_days_between(&cal, d("2026-10-10"), d("2026-09-28")), -5);
    }

    #[test]
    fn rules_round_trip() {
        for r in [Rule::WorkingDays(15), Rule::Months(1), Rule::MonthsFixed(3)] {
            assert_eq!(Rule::parse(&r.code()).unwrap(), r);
        }
    }
}
