//! The analysis report of a period (综合分析, or 专题分析 on one key problem or one unit; seed 001
//! "开展综合分析和专题分析"): its figures read from the office's own records (complaints by source,
//! category, unit, disposal and month, overdue duties, penalty decisions, rectification lists) and
//! its text in the register the office writes in (一、基本情况 二、主要问题 三、意见建议).
//!
//! The figures are counts only: no reporter, no complaint's content, no reported person's name
//! appears, so the report may go to a leader or an inspection tour as it is. Rendering (PDF and
//! DOCX) is `qingfeng-documents`' and `qingfeng-notice`'s.

use chrono::{Datelike, NaiveDate};
use rusqlite::{ToSql, params};
use serde::{Deserialize, Serialize};

use super::catalogue;
use crate::authz::Actor;
use crate::complaints::model::{ComplaintChannel, ComplaintStatus, DisposalMethod};
use crate::complaints::stats::Count;
use crate::error::{CoreError, Result};
use crate::store::Store;

/// The longest period a report may cover: ten years of records is more than any office reports on.
const MAX_DAYS: i64 = 3660;

/// What to report on: a period and, for a thematic report, one key problem or one unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportRequest {
    /// First and last date of receipt (YYYY-MM-DD), both included.
    pub from: String,
    pub to: String,
    /// A category of the key-problem catalogue: the report counts it and its key problems.
    #[serde(default)]
    pub theme: Option<String>,
    /// A reported unit: the report counts the complaints about it.
    #[serde(default)]
    pub unit: Option<String>,
}

/// A section of the report's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportSection {
    /// 一、基本情况 and so on.
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// The report: its figures and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AnalysisReport {
    pub office_name: String,
    /// 综合分析 or 专题分析.
    pub kind_label: String,
    pub title: String,
    /// 2026年第三季度, 2026年9月, 2026年, or 2026年9月1日至2026年11月15日.
    pub period_label: String,
    pub from: String,
    pub to: String,
    pub theme: Option<String>,
    pub unit: Option<String>,
    /// The date the figures were read (Beijing), printed under the title.
    pub generated_on: String,
    /// The catalogue version the categories were grouped by.
    pub catalogue_title: String,
    pub catalogue_version: u32,
    pub total: u32,
    pub concluded: u32,
    pub by_channel: Vec<Count>,
    /// Categories as filed on the complaints (a complaint may carry several).
    pub by_category: Vec<Count>,
    /// The same grouped under the catalogue's top-level categories.
    pub by_key_problem: Vec<Count>,
    /// The 10 units reported on most.
    pub by_unit: Vec<Count>,
    pub by_disposal: Vec<Count>,
    pub by_status: Vec<Count>,
    /// Every month of the period, with months without complaints as zero.
    pub by_month: Vec<Count>,
    pub with_deadlines: u32,
    pub overdue: u32,
    pub overdue_per_mille: u32,
    /// Penalty decisions dated within the period, and by penalty.
    pub penalties: u32,
    pub penalties_by_kind: Vec<Count>,
    /// Rectification lists (整改清单) started within the period: lists, lists done, items, items
    /// done, items past their deadline and not done.
    pub rectification_lists: u32,
    pub rectification_done: u32,
    pub rectification_items: u32,
    pub rectification_items_done: u32,
    pub rectification_items_overdue: u32,
    pub sections: Vec<ReportSection>,
}

fn date(label: &str, s: &str) -> Result<NaiveDate> {
    qingfeng_calendar::parse_date(s.trim())
        .map_err(|e| CoreError::invalid(format!("{label}“{}”无效：{e}。请按 2026-09-01 的格式填写。", s.trim())))
}

/// The checked request: dates in order and within bounds, a theme from the catalogue, a unit
/// given in one line.
fn checked(conn: &rusqlite::Connection, req: &ReportRequest) -> Result<(NaiveDate, NaiveDate, ReportRequest)> {
    if req.from.trim().is_empty() || req.to.trim().is_empty() {
        return Err(CoreError::invalid("请选择分析的起止日期。"));
    }
    let from = date("起始日期", &req.from)?;
    let to = date("截止日期", &req.to)?;
    if from > to {
        return Err(CoreError::invalid(format!("起始日期 {from} 晚于截止日期 {to}，请调整。")));
    }
    if (to - from).num_days() > MAX_DAYS {
        return Err(CoreError::invalid("分析期间不能超过十年，请缩短期间。"));
    }
    let theme = req.theme.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let unit = req.unit.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if theme.is_some() && unit.is_some() {
        return Err(CoreError::invalid("专题分析请选择一个问题类别或一个单位，不要同时选择两者。"));
    }
    if let Some(t) = &theme {
        let active = catalogue::active(conn)?;
        if active.find(t).is_none() {
            return Err(CoreError::invalid(format!(
                "专题“{t}”不在现行{}（第 {} 版）中，请从目录中选择。",
                active.title, active.version
            )));
        }
    }
    if let Some(u) = &unit {
        crate::input::check_line("被反映单位", u)?;
        if u.chars().count() > 100 {
            return Err(CoreError::invalid("被反映单位名称不能超过 100 个字。"));
        }
    }
    Ok((from, to, ReportRequest { from: from.to_string(), to: to.to_string(), theme, unit }))
}

/// 2026年9月, 2026年第三季度, 2026年, or the two dates.
pub fn period_label(from: NaiveDate, to: NaiveDate) -> String {
    let first_of = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1);
    let last_of = |y: i32, m: u32| {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        first_of(ny, nm).and_then(|d| d.pred_opt())
    };
    let (y, m) = (from.year(), from.month());
    if from.day() == 1 && to.year() == y {
        if Some(to) == last_of(y, m) {
            return format!("{y}年{m}月");
        }
        if m % 3 == 1 && Some(to) == last_of(y, m + 2) {
            let q = ["一", "二", "三", "四"][(m as usize - 1) / 3];
            return format!("{y}年第{q}季度");
        }
        if m == 1 && to.month() == 12 && to.day() == 31 {
            return format!("{y}年");
        }
        if m == 1 && to.month() == 6 && to.day() == 30 {
            return format!("{y}年上半年");
        }
    }
    format!("{}年{}月{}日至{}年{}月{}日", y, m, from.day(), to.year(), to.month(), to.day())
}

/// The first and last day of a period written the way an officer names it: a year (`2026`), a
/// half year (`2026H1`), a quarter (`2026Q3`) or a month (`2026-09`).
pub fn period_bounds(period: &str) -> Result<(String, String)> {
    let p = period.trim().to_ascii_uppercase();
    let bad = || {
        CoreError::invalid(format!(
            "期间“{}”无法识别：请写年份（2026）、半年（2026H1）、季度（2026Q3）或月份（2026-09）。",
            period.trim()
        ))
    };
    let year = |s: &str| s.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).ok_or_else(bad);
    let (y, first, last) = if let Some((y, q)) = p.split_once('Q') {
        let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q)).ok_or_else(bad)?;
        (year(y)?, q * 3 - 2, q * 3)
    } else if let Some((y, h)) = p.split_once('H') {
        let h: u32 = h.parse().ok().filter(|h| (1..=2).contains(h)).ok_or_else(bad)?;
        (year(y)?, h * 6 - 5, h * 6)
    } else if let Some((y, m)) = p.split_once('-') {
        let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m)).ok_or_else(bad)?;
        (year(y)?, m, m)
    } else {
        (year(&p)?, 1, 12)
    };
    let from = NaiveDate::from_ymd_opt(y, first, 1).ok_or_else(bad)?;
    let (ny, nm) = if last == 12 { (y + 1, 1) } else { (y, last + 1) };
    let to = NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()).ok_or_else(bad)?;
    Ok((from.to_string(), to.to_string()))
}

/// A share in per cent with one decimal, from integers (no float rounding between front ends).
fn pct(n: u32, of: u32) -> String {
    let pm = (u64::from(n) * 1000).checked_div(u64::from(of)).unwrap_or(0);
    format!("{}.{}%", pm / 10, pm % 10)
}

/// Counts of a grouping query over the complaints of the request (`?1`..`?4` bound).
fn counts(
    conn: &rusqlite::Connection,
    sql: &str,
    args: &[&dyn ToSql],
    label: impl Fn(&str) -> String,
) -> Result<Vec<Count>> {
    let mut stmt = conn.prepare(sql)?;
    let rows =
        stmt.query_map(args, |r| Ok((r.get::<_, Option<String>>(0)?.unwrap_or_default(), r.get::<_, u32>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (key, count) = row?;
        out.push(Count { label: label(&key), key, count });
    }
    Ok(out)
}

/// The analysis report for `req`, read from the store. Allowed to the posts that may read the
/// office's complaints.
pub fn analysis(store: &mut Store, actor: &Actor, req: &ReportRequest) -> Result<AnalysisReport> {
    crate::complaints::query::may_view(store, actor)?;
    let office = store.office()?;
    let today = store.clock().today();
    let conn = store.conn();
    let (from, to, req) = checked(conn, req)?;
    let active = catalogue::active(conn)?;
    let theme_names = req.theme.as_deref().map(|t| catalogue::theme_names(&active, t)).unwrap_or_default();
    let names_json = serde_json::to_string(&theme_names).map_err(|e| CoreError::Encoding(e.to_string()))?;
    let unit = req.unit.clone().unwrap_or_default();
    let (f, t) = (req.from.clone(), req.to.clone());
    let args: [&dyn ToSql; 4] = [&f, &t, &names_json, &unit];
    // The complaints of the report: received within the period, of the theme or about the unit.
    const OF: &str = "c.received_date BETWEEN ?1 AND ?2
        AND (?3 = '[]' OR EXISTS (SELECT 1 FROM json_each(c.categories) j WHERE j.value IN (SELECT value FROM json_each(?3))))
        AND (?4 = '' OR EXISTS (SELECT 1 FROM complaint_subjects s WHERE s.complaint_id = c.id AND s.unit = ?4))";
    let (total, concluded): (u32, u32) = conn.query_row(
        &format!("SELECT count(*), coalesce(sum(c.status = 'concluded'), 0) FROM complaints c WHERE {OF}"),
        args.as_slice(),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let by_channel = counts(
        conn,
        &format!("SELECT c.channel, count(*) FROM complaints c WHERE {OF} GROUP BY 1 ORDER BY 2 DESC, 1"),
        &args,
        |k| ComplaintChannel::parse(k).map(|c| c.label().to_owned()).unwrap_or_else(|_| k.to_owned()),
    )?;
    let by_category = counts(
        conn,
        &format!(
            "SELECT j.value, count(*) FROM complaints c, json_each(c.categories) j WHERE {OF}
             AND (?3 = '[]' OR j.value IN (SELECT value FROM json_each(?3))) GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        &args,
        str::to_owned,
    )?;
    let mut grouped: Vec<Count> = Vec::new();
    for c in &by_category {
        let top = catalogue::top_level(&active, &c.key).to_owned();
        match grouped.iter_mut().find(|g| g.key == top) {
            Some(g) => g.count += c.count,
            None => grouped.push(Count { label: top.clone(), key: top, count: c.count }),
        }
    }
    grouped.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    let uncategorised: u32 = conn.query_row(
        &format!("SELECT count(*) FROM complaints c WHERE {OF} AND json_array_length(c.categories) = 0"),
        args.as_slice(),
        |r| r.get(0),
    )?;
    if uncategorised > 0 && req.theme.is_none() {
        grouped.push(Count { key: String::new(), label: "未归类".into(), count: uncategorised });
    }
    let by_unit = counts(
        conn,
        &format!(
            "SELECT s.unit, count(DISTINCT c.id) FROM complaints c JOIN complaint_subjects s ON s.complaint_id = c.id
             WHERE {OF} AND s.unit <> '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10"
        ),
        &args,
        str::to_owned,
    )?;
    let by_disposal = counts(
        conn,
        &format!("SELECT c.disposal, count(*) FROM complaints c WHERE {OF} GROUP BY 1 ORDER BY 2 DESC, 1"),
        &args,
        |k| {
            if k.is_empty() {
                "尚未处置".to_owned()
            } else {
                DisposalMethod::parse(k).map(|d| d.label().to_owned()).unwrap_or_else(|_| k.to_owned())
            }
        },
    )?;
    let by_status = counts(
        conn,
        &format!("SELECT c.status, count(*) FROM complaints c WHERE {OF} GROUP BY 1 ORDER BY 2 DESC, 1"),
        &args,
        |k| ComplaintStatus::parse(k).map(|s| s.label().to_owned()).unwrap_or_else(|_| k.to_owned()),
    )?;
    let months = counts(
        conn,
        &format!("SELECT substr(c.received_date, 1, 7), count(*) FROM complaints c WHERE {OF} GROUP BY 1 ORDER BY 1"),
        &args,
        str::to_owned,
    )?;
    let mut by_month = Vec::new();
    let mut m = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
    while m <= to {
        let key = m.format("%Y-%m").to_string();
        let count = months.iter().find(|c| c.key == key).map_or(0, |c| c.count);
        by_month.push(Count { label: format!("{}年{}月", m.year(), m.month()), key, count });
        m = m.checked_add_months(chrono::Months::new(1)).unwrap_or(to + chrono::Days::new(1));
    }
    let today_s = today.to_string();
    let (with_deadlines, overdue): (u32, u32) = conn.query_row(
        &format!(
            "SELECT count(DISTINCT c.id),
                    count(DISTINCT CASE WHEN (d.status = 'open' AND d.due_date < ?5)
                                          OR (d.status = 'done' AND d.closed_date > d.due_date) THEN c.id END)
             FROM complaints c JOIN deadlines d ON d.aggregate = 'complaint:' || c.id
             WHERE {OF} AND d.status <> 'cancelled'"
        ),
        params![f, t, names_json, unit, today_s],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let overdue_per_mille = (overdue * 1000).checked_div(with_deadlines).unwrap_or(0);
    // Penalty decisions dated in the period; of the theme through the complaint they came from,
    // of the unit by the person's unit.
    let penalties_by_kind = counts(
        conn,
        "SELECT p.penalty_label, count(*) FROM penalties p
         WHERE p.office_code = ?5 AND p.decision_date BETWEEN ?1 AND ?2
           AND (?3 = '[]' OR EXISTS (SELECT 1 FROM complaints c, json_each(c.categories) j
                 WHERE c.id = p.complaint_id AND j.value IN (SELECT value FROM json_each(?3))))
           AND (?4 = '' OR p.person_unit = ?4)
         GROUP BY 1 ORDER BY 2 DESC, 1",
        &[&f, &t, &names_json, &unit, &office],
        str::to_owned,
    )?;
    let penalties = penalties_by_kind.iter().map(|c| c.count).sum();
    // Rectification lists started in the period; of a unit when one of its tasks is the unit's.
    let (rectification_lists, rectification_done, rectification_items, rectification_items_done, rectification_items_overdue): (
        u32,
        u32,
        u32,
        u32,
        u32,
    ) = conn.query_row(
        "SELECT count(*), coalesce(sum(l.status = 'done'), 0), coalesce(sum(l.items_total), 0),
                coalesce(sum(l.items_done), 0),
                coalesce(sum((SELECT count(*) FROM checklist_items i JOIN deadlines d ON d.id = i.deadline_id
                              WHERE i.checklist_id = l.id AND i.status <> 'approved' AND d.status = 'open'
                                AND d.due_date < ?5)), 0)
         FROM checklists l
         WHERE l.scope = 'rectification' AND l.office_code = ?3 AND l.start_date BETWEEN ?1 AND ?2
           AND (?4 = '' OR EXISTS (SELECT 1 FROM checklist_items i WHERE i.checklist_id = l.id AND i.responsible_unit = ?4))",
        params![f, t, office, unit, today_s],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let office_name = crate::documents::office_name(conn, &office)?;
    let period_label = period_label(from, to);
    let (kind_label, title) = match (&req.theme, &req.unit) {
        (Some(theme), _) => ("专题分析", format!("关于{period_label}“{theme}”问题检举控告情况的专题分析报告")),
        (None, Some(unit)) => ("专题分析", format!("关于{period_label}反映{unit}检举控告情况的专题分析报告")),
        (None, None) => ("综合分析", format!("关于{period_label}检举控告情况的综合分析报告")),
    };
    let mut report = AnalysisReport {
        office_name,
        kind_label: kind_label.into(),
        title,
        period_label,
        from: req.from.clone(),
        to: req.to.clone(),
        theme: req.theme.clone(),
        unit: req.unit.clone(),
        generated_on: format!("{}年{}月{}日", today.year(), today.month(), today.day()),
        catalogue_title: active.title.clone(),
        catalogue_version: active.version,
        total,
        concluded,
        by_channel,
        by_category,
        by_key_problem: grouped,
        by_unit,
        by_disposal,
        by_status,
        by_month,
        with_deadlines,
        overdue,
        overdue_per_mille,
        penalties,
        penalties_by_kind,
        rectification_lists,
        rectification_done,
        rectification_items,
        rectification_items_done,
        rectification_items_overdue,
        sections: Vec::new(),
    };
    report.sections = sections(&report);
    Ok(report)
}

/// "来信 5 件、来访 3 件" from counts.
fn listing(counts: &[Count], limit: usize, total: u32) -> String {
    counts
        .iter()
        .take(limit)
        .map(|c| format!("{}{}件（占{}）", c.label, c.count, pct(c.count, total)))
        .collect::<Vec<_>>()
        .join("，")
}

/// The report's text, in the office's register, from its figures alone.
fn sections(r: &AnalysisReport) -> Vec<ReportSection> {
    let scope = match (&r.theme, &r.unit) {
        (Some(t), _) => format!("反映“{t}”问题的"),
        (None, Some(u)) => format!("反映{u}的"),
        (None, None) => String::new(),
    };
    let mut basic = Vec::new();
    if r.total == 0 {
        basic.push(format!("{}，{}共受理{scope}检举控告0件。", r.period_label, r.office_name));
    } else {
        basic.push(format!(
            "{}，{}共受理{scope}检举控告{}件，已办结{}件，办结率{}。从来源看，{}。",
            r.period_label,
            r.office_name,
            r.total,
            r.concluded,
            pct(r.concluded, r.total),
            listing(&r.by_channel, 5, r.total)
        ));
        if !r.by_key_problem.is_empty() {
            basic.push(format!(
                "从问题类别看（按{}第{}版归类），{}。",
                r.catalogue_title,
                r.catalogue_version,
                listing(&r.by_key_problem, 5, r.total)
            ));
        }
        if !r.by_disposal.is_empty() {
            basic.push(format!("从处置方式看，{}。", listing(&r.by_disposal, 6, r.total)));
        }
        if r.with_deadlines > 0 {
            basic.push(format!(
                "有办理期限的{}件中，超期{}件，超期率{}。",
                r.with_deadlines,
                r.overdue,
                pct(r.overdue, r.with_deadlines)
            ));
        }
    }
    if r.penalties > 0 {
        basic.push(format!(
            "同期作出处分决定{}件，其中{}。",
            r.penalties,
            r.penalties_by_kind.iter().map(|c| format!("{}{}件", c.label, c.count)).collect::<Vec<_>>().join("、")
        ));
    } else {
        basic.push("同期未作出处分决定。".into());
    }
    if r.rectification_lists > 0 {
        basic.push(format!(
            "同期下发整改清单{}份，已全部完成{}份；整改任务{}项，已完成{}项，完成率{}，逾期未完成{}项。",
            r.rectification_lists,
            r.rectification_done,
            r.rectification_items,
            r.rectification_items_done,
            pct(r.rectification_items_done, r.rectification_items),
            r.rectification_items_overdue
        ));
    }

    let mut problems = Vec::new();
    let mut suggestions = Vec::new();
    let mut n = 0;
    let mut next = |s: String| {
        n += 1;
        format!("（{}）{s}", ["一", "二", "三", "四", "五", "六"][(n - 1).min(5)])
    };
    if let Some(top) = r.by_key_problem.first().filter(|c| !c.key.is_empty() && r.total > 0) {
        problems.push(next(format!(
            "问题类别相对集中。反映“{}”问题{}件，占{}，是本期反映最多的问题类别。",
            top.label,
            top.count,
            pct(top.count, r.total)
        )));
        suggestions.push(format!(
            "聚焦“{}”问题开展专项监督，对反映集中的领域和环节深挖细查，推动以案促改、以案促治。",
            top.label
        ));
    }
    let repeated: Vec<&Count> = r.by_unit.iter().filter(|c| c.count >= 2).take(5).collect();
    if !repeated.is_empty() && r.unit.is_none() {
        problems.push(next(format!(
            "部分单位被反映较多。{}。",
            repeated.iter().map(|c| format!("{}被反映{}件", c.label, c.count)).collect::<Vec<_>>().join("，")
        )));
        suggestions.push(format!(
            "对{}等被反映较多的单位，通过谈话提醒、制发监督建议等方式压实主体责任，必要时开展专项检查。",
            repeated.iter().map(|c| c.label.as_str()).take(3).collect::<Vec<_>>().join("、")
        ));
    }
    if r.overdue > 0 {
        problems.push(next(format!(
            "办理时效有待提高。有{}件检举控告办理超出期限，超期率{}。",
            r.overdue,
            pct(r.overdue, r.with_deadlines)
        )));
        suggestions.push(format!("对超期的{}件逐件督办，明确办理时限和责任人，杜绝久拖不决。", r.overdue));
    }
    if let Some(peak) = r.by_month.iter().max_by_key(|c| c.count).filter(|c| r.by_month.len() > 2 && c.count > 0) {
        let average = r.total / r.by_month.len() as u32;
        if peak.count > average.saturating_mul(3) / 2 && peak.count >= 3 {
            problems.push(next(format!(
                "信访举报量波动明显。{}受理{}件，高于期间月均{}件。",
                peak.label, peak.count, average
            )));
        }
    }
    if r.rectification_items_overdue > 0 {
        problems.push(next(format!("整改落实不够到位。有{}项整改任务逾期未完成。", r.rectification_items_overdue)));
        suggestions.push("督促有关单位对逾期整改任务限期销号，对整改不力的严肃问责。".into());
    }
    if problems.is_empty() {
        problems.push("本期未发现反映集中的问题，检举控告办理总体平稳有序。".into());
    }
    suggestions.push(format!(
        "及时更新{}，把群众反映强烈的问题纳入重点，持续加强综合分析和专题分析，为精准监督提供依据。",
        r.catalogue_title
    ));
    let suggestions = suggestions.into_iter().enumerate().map(|(i, s)| format!("{}. {s}", i + 1)).collect::<Vec<_>>();
    vec![
        ReportSection { heading: "一、基本情况".into(), paragraphs: basic },
        ReportSection { heading: "二、主要问题".into(), paragraphs: problems },
        ReportSection { heading: "三、意见建议".into(), paragraphs: suggestions },
    ]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_named_as_the_office_names_them() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(period_label(d("2026-09-01"), d("2026-09-30")), "2026年9月");
        assert_eq!(period_label(d("2026-07-01"), d("2026-09-30")), "2026年第三季度");
        assert_eq!(period_label(d("2026-01-01"), d("2026-12-31")), "2026年");
        assert_eq!(period_label(d("2026-01-01"), d("2026-06-30")), "2026年上半年");
        assert_eq!(period_label(d("2026-09-02"), d("2026-10-15")), "2026年9月2日至2026年10月15日");
        assert_eq!(period_label(d("2026-12-01"), d("2026-12-31")), "2026年12月");
    }

    #[test]
    fn periods_are_read_as_officers_write_them() {
        let b = |s: &str| period_bounds(s).unwrap();
        assert_eq!(b("2026"), ("2026-01-01".into(), "2026-12-31".into()));
        assert_eq!(b("2026q3"), ("2026-07-01".into(), "2026-09-30".into()));
        assert_eq!(b("2026H1"), ("2026-01-01".into(), "2026-06-30".into()));
        assert_eq!(b("2026-02"), ("2026-02-01".into(), "2026-02-28".into()));
        assert_eq!(b("2026-12"), ("2026-12-01".into(), "2026-12-31".into()));
        for bad in ["2026Q5", "26", "2026-13", "上季度", ""] {
            assert!(period_bounds(bad).unwrap_err().to_string().contains("无法识别"), "{bad}");
        }
    }

    #[test]
    fn shares_are_exact_to_one_decimal() {
        assert_eq!(pct(1, 3), "33.3%");
        assert_eq!(pct(2, 3), "66.6%");
        assert_eq!(pct(0, 0), "0.0%");
        assert_eq!(pct(5, 5), "100.0%");
    }
}
