//! Statistics (DOMAIN.md §2 "Analysis"): counts by month, channel, category, reported unit and
//! status, the overdue rate, a unit's summary for an inspection tour, and CSV/XLSX export of what
//! the viewer may see. Nothing here reveals a reporter; every export is recorded as an event.

use serde::{Deserialize, Serialize};

use super::model::*;
use super::query::{self, ComplaintFilter, ComplaintSummary, may_view};
use crate::authz::{Action, Actor, ComplaintAct};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::projector::kind;
use crate::store::{Decision, Store};

/// One bar of a chart: a key, its Chinese label, and a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: u32,
}

/// A period to count over (inclusive dates of receipt; empty means unbounded).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatsFilter {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The office's complaint statistics for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Statistics {
    pub from: Option<String>,
    pub to: Option<String>,
    pub total: u32,
    pub by_month: Vec<Count>,
    pub by_channel: Vec<Count>,
    pub by_category: Vec<Count>,
    /// The 20 units reported on most.
    pub by_unit: Vec<Count>,
    pub by_status: Vec<Count>,
    /// Complaints with a deadline (open or met) and, of those, how many are or were overdue.
    pub with_deadlines: u32,
    pub overdue: u32,
    /// Overdue share in per mille (integer, so no rounding surprises between front ends).
    pub overdue_per_mille: u32,
}

/// What an inspection tour needs to know about one unit's complaints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnitSummary {
    pub unit: String,
    pub total: u32,
    pub by_status: Vec<Count>,
    pub by_category: Vec<Count>,
    /// People of the unit reported on, with how often: "张某（局长）", 3.
    pub people: Vec<Count>,
    pub complaints: Vec<ComplaintSummary>,
}

fn bounds(filter: &StatsFilter) -> Result<(String, String)> {
    let from = match filter.from.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => qingfeng_calendar::parse_date(s)?.to_string(),
        None => "0000-00-00".into(),
    };
    let to = match filter.to.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => qingfeng_calendar::parse_date(s)?.to_string(),
        None => "9999-99-99".into(),
    };
    if from > to {
        return Err(CoreError::invalid(format!("统计起始日期 {from} 晚于截止日期 {to}，请调整。")));
    }
    Ok((from, to))
}

fn counts(store: &Store, sql: &str, from: &str, to: &str, label: impl Fn(&str) -> String) -> Result<Vec<Count>> {
    let mut stmt = store.conn().prepare(sql)?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (key, count) = row?;
        out.push(Count { label: label(&key), key, count });
    }
    Ok(out)
}

/// Counts for the period.
pub fn statistics(store: &mut Store, actor: &Actor, filter: &StatsFilter) -> Result<Statistics> {
    may_view(store, actor)?;
    let (from, to) = bounds(filter)?;
    const IN: &str = "received_date BETWEEN ?1 AND ?2";
    let total: u32 =
        store.conn().query_row(&format!("SELECT count(*) FROM complaints WHERE {IN}"), [&from, &to], |r| r.get(0))?;
    let by_month = counts(
        store,
        &format!("SELECT substr(received_date, 1, 7), count(*) FROM complaints WHERE {IN} GROUP BY 1 ORDER BY 1"),
        &from,
        &to,
        |k| format!("{}年{}月", &k[..4], k[5..].trim_start_matches('0')),
    )?;
    let by_channel = counts(
        store,
        &format!("SELECT channel, count(*) FROM complaints WHERE {IN} GROUP BY 1 ORDER BY 2 DESC"),
        &from,
        &to,
        |k| ComplaintChannel::parse(k).map(|c| c.label().to_owned()).unwrap_or_else(|_| k.to_owned()),
    )?;
    let by_category = counts(
        store,
        &format!(
            "SELECT j.value, count(*) FROM complaints c, json_each(c.categories) j WHERE c.{IN} GROUP BY 1 ORDER BY 2 DESC, 1"
        ),
        &from,
        &to,
        str::to_owned,
    )?;
    let by_unit = counts(
        store,
        &format!(
            "SELECT s.unit, count(DISTINCT c.id) FROM complaints c JOIN complaint_subjects s ON s.complaint_id = c.id
             WHERE c.{IN} AND s.unit <> '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20"
        ),
        &from,
        &to,
        str::to_owned,
    )?;
    let by_status = counts(
        store,
        &format!("SELECT status, count(*) FROM complaints WHERE {IN} GROUP BY 1 ORDER BY 2 DESC"),
        &from,
        &to,
        |k| ComplaintStatus::parse(k).map(|s| s.label().to_owned()).unwrap_or_else(|_| k.to_owned()),
    )?;
    let today = store.clock().today().to_string();
    let (with_deadlines, overdue): (u32, u32) = store.conn().query_row(
        &format!(
            "SELECT count(DISTINCT c.id),
                    count(DISTINCT CASE WHEN (d.status = 'open' AND d.due_date < ?3)
                                          OR (d.status = 'done' AND d.closed_date > d.due_date) THEN c.id END)
             FROM complaints c JOIN deadlines d ON d.aggregate = 'complaint:' || c.id
             WHERE c.{IN} AND d.status <> 'cancelled'"
        ),
        [&from, &to, &today],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let overdue_per_mille = (overdue * 1000).checked_div(with_deadlines).unwrap_or(0);
    Ok(Statistics {
        from: filter.from.clone(),
        to: filter.to.clone(),
        total,
        by_month,
        by_channel,
        by_category,
        by_unit,
        by_status,
        with_deadlines,
        overdue,
        overdue_per_mille,
    })
}

/// A summary of the complaints about one unit, for an inspection tour (巡视巡察).
pub fn unit_summary(store: &mut Store, actor: &Actor, unit: &str) -> Result<UnitSummary> {
    let unit = unit.trim();
    if unit.is_empty() {
        return Err(CoreError::invalid("请填写要汇总的被反映单位。"));
    }
    let complaints = query::list(
        store,
        actor,
        &ComplaintFilter { unit: Some(unit.to_owned()), limit: Some(5_000), ..Default::default() },
    )?;
    let conn = store.conn();
    let group = |sql: &str, label: &dyn Fn(&str) -> String| -> Result<Vec<Count>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([unit], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
        rows.map(|r| r.map(|(k, n)| Count { label: label(&k), key: k, count: n }).map_err(CoreError::from)).collect()
    };
    const OF_UNIT: &str = "c.id IN (SELECT complaint_id FROM complaint_subjects WHERE instr(unit, ?1) > 0)";
    let by_status = group(
        &format!("SELECT c.status, count(*) FROM complaints c WHERE {OF_UNIT} GROUP BY 1 ORDER BY 2 DESC"),
        &|k| ComplaintStatus::parse(k).map(|s| s.label().to_owned()).unwrap_or_else(|_| k.to_owned()),
    )?;
    let by_category = group(
        &format!(
            "SELECT j.value, count(*) FROM complaints c, json_each(c.categories) j WHERE {OF_UNIT} GROUP BY 1 ORDER BY 2 DESC"
        ),
        &|k| k.to_owned(),
    )?;
    let people = group(
        "SELECT name || CASE WHEN post = '' THEN '' ELSE '（' || post || '）' END, count(DISTINCT complaint_id)
         FROM complaint_subjects WHERE instr(unit, ?1) > 0 AND name <> '' GROUP BY 1 ORDER BY 2 DESC, 1",
        &|k| k.to_owned(),
    )?;
    Ok(UnitSummary {
        unit: unit.to_owned(),
        total: complaints.len() as u32,
        by_status,
        by_category,
        people,
        complaints,
    })
}

/// A file format for exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

const HEADERS: [&str; 10] =
    ["编号", "收到日期", "渠道", "状态", "承办部门", "摘要", "被反映人", "检举人", "最近期限", "期限状态"];

fn rows(list: &[ComplaintSummary]) -> Vec<[String; 10]> {
    list.iter()
        .map(|c| {
            [
                c.number.clone(),
                c.received_date.clone(),
                c.channel.label().to_owned(),
                c.status_label.clone(),
                c.department.map(|d| d.label().to_owned()).unwrap_or_default(),
                c.summary.clone(),
                c.subjects.join("、"),
                c.reporter_display.clone(),
                c.next_due.clone().unwrap_or_default(),
                match c.light {
                    Some(crate::deadlines::Light::Red) => "已逾期".into(),
                    Some(crate::deadlines::Light::Yellow) => "临近".into(),
                    Some(crate::deadlines::Light::Green) => "正常".into(),
                    _ => String::new(),
                },
            ]
        })
        .collect()
}

/// A cell as spreadsheet programs may read it without running it: text that begins with `=`, `+`,
/// `-`, `@`, a tab or a carriage return would be taken for a formula by Excel or WPS (a reporter's
/// words could run there), so such a cell starts with an apostrophe, which shows the text as typed.
pub fn neutralise_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}").into() } else { s.into() }
}

fn csv_field(s: &str) -> String {
    let s = neutralise_cell(s);
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.into_owned() }
}

/// Exports the complaints matching `filter` that the viewer may see (masked, as in lists).
/// The export itself is recorded, with how many rows left the program.
pub fn export(store: &mut Store, actor: &Actor, filter: &ComplaintFilter, format: ExportFormat) -> Result<Vec<u8>> {
    let mut filter = filter.clone();
    filter.limit = Some(filter.limit.unwrap_or(5_000).min(5_000));
    let list = query::list(store, actor, &filter)?;
    let table = rows(&list);
    let bytes = match format {
        ExportFormat::Csv => {
            // A UTF-8 byte-order mark makes spreadsheet programs on Chinese Windows read it correctly.
            let mut out = String::from("\u{feff}");
            out.push_str(&HEADERS.join(","));
            out.push_str("\r\n");
            for row in &table {
                out.push_str(&row.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
                out.push_str("\r\n");
            }
            out.into_bytes()
        }
        ExportFormat::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            let err = |e: rust_xlsxwriter::XlsxError| CoreError::Encoding(format!("xlsx: {e}"));
            sheet.set_name("检举控告").map_err(err)?;
            let bold = rust_xlsxwriter::Format::new().set_bold();
            for (col, h) in HEADERS.iter().enumerate() {
                sheet.write_string_with_format(0, col as u16, *h, &bold).map_err(err)?;
            }
            for (r, row) in table.iter().enumerate() {
                for (col, cell) in row.iter().enumerate() {
                    sheet.write_string(r as u32 + 1, col as u16, cell).map_err(err)?;
                }
            }
            for (col, width) in [18, 12, 8, 14, 14, 40, 30, 16, 12, 10].iter().enumerate() {
                sheet.set_column_width(col as u16, *width).map_err(err)?;
            }
            book.save_to_buffer().map_err(err)?
        }
    };
    let office = store.office()?;
    let count = list.len();
    store.execute(actor, Action::Complaint { office, act: ComplaintAct::View }, |_tx, _ctx| {
        Ok(Decision::events(vec![NewEvent::new(
            kind::COMPLAINT_EXPORTED,
            format!("export:{}", uuid::Uuid::now_v7()),
            &Exported { rows: count as u32, format },
        )?]))
    })?;
    Ok(bytes)
}

/// Payload of `complaint.exported`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exported {
    pub rows: u32,
    pub format: ExportFormat,
}
