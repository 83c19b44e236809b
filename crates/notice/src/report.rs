//! Analysis reports (综合分析报告 / 专题分析报告) on paper and for editing: the same report, given as
//! text, charts and tables, rendered to PDF with Typst (the notices' fonts and machinery, a fixed
//! layout fed JSON, charts drawn by Typst itself) and written as a DOCX an officer edits in Word
//! or WPS (docx-rs), with the charts there as tables of figures and text bars.
//!
//! Nothing here reads a database: the caller (`qingfeng-documents`) builds the report from the
//! office's figures.

use serde::Serialize;

use crate::error::{NoticeError, Result};
use crate::fonts::{FontRole, FontSet};

const LAYOUT: &str = include_str!("report.typ");

/// One section of the text: 一、基本情况 and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: u32,
}

/// How a chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Horizontal bars, one row per label (categories, sources, units).
    Bars,
    /// Columns side by side (a trend by month).
    Columns,
}

/// A chart of the annex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    pub caption: String,
    pub kind: ChartKind,
    pub bars: Vec<Bar>,
}

/// A table of the annex: the first column is text, the others figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A whole report as it is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub office: String,
    pub title: String,
    /// Under the title: the period and the kind (（2026年7月1日至9月30日）).
    pub subtitle: String,
    /// The date under the signature (2026年10月8日).
    pub date: String,
    pub sections: Vec<ReportSection>,
    pub annex_title: String,
    pub charts: Vec<Chart>,
    pub tables: Vec<Table>,
}

#[derive(Serialize)]
struct Role<'a> {
    family: &'a str,
    weight: u16,
}

#[derive(Serialize)]
struct Fonts<'a> {
    title: Role<'a>,
    body: Role<'a>,
    heading: Role<'a>,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    office: &'a str,
    title: &'a str,
    subtitle: &'a str,
    date: &'a str,
    sections: &'a [ReportSection],
    annex_title: &'a str,
    charts: &'a [Chart],
    tables: &'a [Table],
    fonts: Fonts<'a>,
}

impl Report {
    /// Every piece of text the report prints, to check the fonts hold each character.
    fn all_text(&self) -> String {
        let mut s = format!("{}{}{}{}{}", self.office, self.title, self.subtitle, self.date, self.annex_title);
        for sec in &self.sections {
            s.push_str(&sec.heading);
            s.push_str(&sec.paragraphs.concat());
        }
        for c in &self.charts {
            s.push_str(&c.caption);
            for b in &c.bars {
                s.push_str(&b.label);
            }
        }
        for t in &self.tables {
            s.push_str(&t.caption);
            s.push_str(&t.columns.concat());
            for r in &t.rows {
                s.push_str(&r.concat());
            }
        }
        s
    }
}

/// Renders the report to PDF.
pub fn render_report_pdf(fonts: &FontSet, report: &Report) -> Result<Vec<u8>> {
    for t in &report.tables {
        if t.columns.is_empty() || t.rows.iter().any(|r| r.len() != t.columns.len()) {
            return Err(NoticeError::Layout(format!("表“{}”的列数不一致", t.caption)));
        }
    }
    if let Some(ch) = fonts.first_missing_glyph(FontRole::Body, &report.all_text()) {
        return Err(NoticeError::GlyphMissing { ch, code: ch as u32, font: fonts.role(FontRole::Body).family.clone() });
    }
    let role = |r: FontRole| {
        let rf = fonts.role(r);
        Role { family: &rf.family, weight: rf.weight }
    };
    let json = ReportJson {
        office: &report.office,
        title: &report.title,
        subtitle: &report.subtitle,
        date: &report.date,
        sections: &report.sections,
        annex_title: &report.annex_title,
        charts: &report.charts,
        tables: &report.tables,
        fonts: Fonts { title: role(FontRole::Title), body: role(FontRole::Body), heading: role(FontRole::Heading) },
    };
    let data = serde_json::to_string(&json).map_err(|e| NoticeError::Layout(e.to_string()))?;
    let engine = crate::render::engine(LAYOUT, fonts);
    crate::render::compile_pdf(&engine, fonts, "report", &data, format!("qingfeng-report/{}", report.title))
}

/// Half-points: Word's unit for font sizes. 三号 is 16 pt, 二号 22 pt, 小四 12 pt.
const SIZE_TITLE: usize = 44;
const SIZE_BODY: usize = 32;
const SIZE_TABLE: usize = 24;

/// Renders the report as a DOCX document the office edits: the same text and, in the annex,
/// each chart as a table of its figures with a bar of blocks, and each table as it is.
pub fn render_report_docx(fonts: &FontSet, report: &Report) -> Result<Vec<u8>> {
    use docx_rs::{
        AlignmentType, Docx, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Table as DTable, TableCell,
        TableRow, WidthType,
    };
    let family = |r: FontRole| fonts.role(r).family.clone();
    let (title_font, body_font, heading_font) =
        (family(FontRole::Title), family(FontRole::Body), family(FontRole::Heading));
    let run = |text: &str, font: &str, size: usize| {
        Run::new().add_text(text).size(size).fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font))
    };
    let centred = |text: &str, font: &str, size: usize| {
        Paragraph::new().add_run(run(text, font, size)).align(AlignmentType::Center)
    };
    // First-line indent of two characters, as official documents are set.
    let body = |text: &str| {
        Paragraph::new().add_run(run(text, &body_font, SIZE_BODY)).indent(
            None,
            Some(SpecialIndentType::FirstLine(640)),
            None,
            None,
        )
    };
    let cell =
        |text: &str, font: &str| TableCell::new().add_paragraph(Paragraph::new().add_run(run(text, font, SIZE_TABLE)));
    let table = |columns: &[String], rows: &[Vec<String>]| {
        let mut out = vec![TableRow::new(columns.iter().map(|c| cell(c, &heading_font)).collect())];
        out.extend(rows.iter().map(|r| TableRow::new(r.iter().map(|v| cell(v, &body_font)).collect())));
        DTable::new(out).width(5000, WidthType::Pct)
    };

    // A4 with the GB/T 9704 margins (twips: 1 mm = 56.7 twips).
    let mut doc = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin {
            top: 2098,
            left: 1588,
            bottom: 1984,
            right: 1474,
            header: 851,
            footer: 992,
            gutter: 0,
        })
        .default_fonts(RunFonts::new().east_asia(body_font.as_str()).ascii(body_font.as_str()))
        .default_size(SIZE_BODY)
        .add_paragraph(centred(&report.title, &title_font, SIZE_TITLE))
        .add_paragraph(centred(&report.subtitle, &body_font, 28));
    for sec in &report.sections {
        doc = doc.add_paragraph(Paragraph::new().add_run(run(&sec.heading, &heading_font, SIZE_BODY)).indent(
            None,
            Some(SpecialIndentType::FirstLine(640)),
            None,
            None,
        ));
        for p in &sec.paragraphs {
            doc = doc.add_paragraph(body(p));
        }
    }
    doc = doc
        .add_paragraph(Paragraph::new().add_run(run(&report.office, &body_font, SIZE_BODY)).align(AlignmentType::Right))
        .add_paragraph(Paragraph::new().add_run(run(&report.date, &body_font, SIZE_BODY)).align(AlignmentType::Right));
    if !report.charts.is_empty() || !report.tables.is_empty() {
        doc = doc
            .add_paragraph(Paragraph::new().add_run(run("附件", &heading_font, SIZE_BODY)).page_break_before(true))
            .add_paragraph(centred(&report.annex_title, &title_font, 36));
    }
    for (i, c) in report.charts.iter().enumerate() {
        doc = doc.add_paragraph(centred(&format!("图{}　{}", i + 1, c.caption), &heading_font, SIZE_TABLE));
        let top = c.bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
        let rows: Vec<Vec<String>> = c
            .bars
            .iter()
            .map(|b| {
                // Twenty blocks for the largest value; one at least for any value above zero.
                let blocks = if b.value == 0 { 0 } else { ((b.value * 20).div_ceil(top)) as usize };
                vec![b.label.clone(), b.value.to_string(), "█".repeat(blocks)]
            })
            .collect();
        doc = doc.add_table(table(&["项目".into(), "件数".into(), "图示".into()], &rows));
    }
    for (i, t) in report.tables.iter().enumerate() {
        doc = doc.add_paragraph(centred(&format!("表{}　{}", i + 1, t.caption), &heading_font, SIZE_TABLE));
        doc = doc.add_table(table(&t.columns, &t.rows));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.pack(&mut out).map_err(|e| NoticeError::Layout(format!("生成 Word 文档失败：{e}")))?;
    Ok(out.into_inner())
}
