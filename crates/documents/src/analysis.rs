//! The analysis report (综合分析, 专题分析) as a PDF and a DOCX: the core's figures and text
//! ([`qingfeng_core::analysis::report`]) laid out as a report with its charts and tables, rendered
//! by `qingfeng-notice`. The report holds counts only, never a reporter or a complaint's content.

use qingfeng_core::Store;
use qingfeng_core::analysis::report::{self, AnalysisReport, ReportRequest};
use qingfeng_core::authz::Actor;
use qingfeng_core::complaints::stats::Count;
use qingfeng_notice::report::{Bar, Chart, ChartKind, Report, ReportSection, Table};

use crate::{Notices, Result};

/// A report rendered both ways, with the figures it was made from.
#[derive(Debug, Clone)]
pub struct RenderedReport {
    pub report: AnalysisReport,
    pub pdf: Vec<u8>,
    pub docx: Vec<u8>,
}

fn bars(counts: &[Count]) -> Vec<Bar> {
    counts.iter().map(|c| Bar { label: c.label.clone(), value: c.count }).collect()
}

/// A share in per cent with one decimal, from integers.
fn share(n: u32, of: u32) -> String {
    let pm = (u64::from(n) * 1000).checked_div(u64::from(of)).unwrap_or(0);
    format!("{}.{}%", pm / 10, pm % 10)
}

fn count_table(caption: &str, first: &str, counts: &[Count], total: u32) -> Table {
    let mut rows: Vec<Vec<String>> =
        counts.iter().map(|c| vec![c.label.clone(), c.count.to_string(), share(c.count, total)]).collect();
    if rows.is_empty() {
        rows.push(vec!["（本期无数据）".into(), "0".into(), "—".into()]);
    }
    Table { caption: caption.into(), columns: vec![first.into(), "件数".into(), "占比".into()], rows }
}

/// The printed layout of a report: its text, then an annex of charts and tables.
pub fn layout(r: &AnalysisReport) -> Report {
    // Within one year a month is named by its number alone, so twelve columns stay legible.
    let one_year = r.from.get(..4) == r.to.get(..4);
    let months: Vec<Bar> = r
        .by_month
        .iter()
        .map(|c| Bar {
            label: if one_year {
                format!("{}月", c.key.get(5..).unwrap_or("").trim_start_matches('0'))
            } else {
                c.label.clone()
            },
            value: c.count,
        })
        .collect();
    let mut charts = vec![
        Chart { caption: "检举控告数量月度趋势".into(), kind: ChartKind::Columns, bars: months },
        Chart { caption: "问题类别分布".into(), kind: ChartKind::Bars, bars: bars(&r.by_key_problem) },
        Chart { caption: "检举控告来源".into(), kind: ChartKind::Bars, bars: bars(&r.by_channel) },
    ];
    if r.unit.is_none() {
        charts
            .push(Chart { caption: "被反映较多的单位".into(), kind: ChartKind::Bars, bars: bars(&r.by_unit) });
    }
    let mut tables = vec![
        count_table("问题类别（按填报类别）", "问题类别", &r.by_category, r.total),
        count_table("处置方式", "处置方式", &r.by_disposal, r.total),
        count_table("办理状态", "办理状态", &r.by_status, r.total),
    ];
    tables.push(Table {
        caption: "办理时效".into(),
        columns: vec!["项目".into(), "件数".into(), "比例".into()],
        rows: vec![
            vec!["受理检举控告".into(), r.total.to_string(), "—".into()],
            vec!["已办结".into(), r.concluded.to_string(), share(r.concluded, r.total)],
            vec!["有办理期限的".into(), r.with_deadlines.to_string(), "—".into()],
            vec!["其中超期".into(), r.overdue.to_string(), share(r.overdue, r.with_deadlines)],
        ],
    });
    let mut penalty_rows: Vec<Vec<String>> =
        r.penalties_by_kind.iter().map(|c| vec![c.label.clone(), c.count.to_string()]).collect();
    penalty_rows.push(vec!["合计".into(), r.penalties.to_string()]);
    tables.push(Table {
        caption: "处分决定".into(),
        columns: vec!["处分种类".into(), "件数".into()],
        rows: penalty_rows,
    });
    tables.push(Table {
        caption: "整改落实进度".into(),
        columns: vec!["项目".into(), "数量".into()],
        rows: vec![
            vec!["整改清单（份）".into(), r.rectification_lists.to_string()],
            vec!["已全部完成的清单（份）".into(), r.rectification_done.to_string()],
            vec!["整改任务（项）".into(), r.rectification_items.to_string()],
            vec!["已完成的任务（项）".into(), r.rectification_items_done.to_string()],
            vec!["逾期未完成的任务（项）".into(), r.rectification_items_overdue.to_string()],
        ],
    });
    let scope = match (&r.theme, &r.unit) {
        (Some(t), _) => format!("，专题：{t}"),
        (None, Some(u)) => format!("，专题：{u}"),
        (None, None) => String::new(),
    };
    Report {
        office: r.office_name.clone(),
        title: r.title.clone(),
        subtitle: format!("（统计期间：{}至{}{scope}）", cn_date(&r.from), cn_date(&r.to)),
        date: r.generated_on.clone(),
        sections: r
            .sections
            .iter()
            .map(|s| ReportSection { heading: s.heading.clone(), paragraphs: s.paragraphs.clone() })
            .collect(),
        annex_title: format!("{}统计图表", r.period_label),
        charts,
        tables,
    }
}

/// 2026-07-01 as 2026年7月1日.
fn cn_date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => {
            use chrono::Datelike;
            format!("{}年{}月{}日", d.year(), d.month(), d.day())
        }
        Err(_) => iso.to_owned(),
    }
}

impl Notices {
    /// The analysis report for `req`, read from the store and rendered as PDF and DOCX.
    pub fn analysis_report(&self, store: &mut Store, actor: &Actor, req: &ReportRequest) -> Result<RenderedReport> {
        let report = report::analysis(store, actor, req)?;
        let printed = layout(&report);
        let fonts = self.renderer.fonts();
        let pdf = qingfeng_notice::render_report_pdf(fonts, &printed)?;
        let docx = qingfeng_notice::render_report_docx(fonts, &printed)?;
        Ok(RenderedReport { report, pdf, docx })
    }
}
