//! IPC commands for key problems and analysis (重点问题目录, 综合分析, 专题分析): the catalogue in
//! force (the registration form's picker), a period's report with its first page drawn as an
//! image for the preview, and the report saved as PDF or Word through the save dialog. Each runs
//! as the session's user; the core decides every rule.

use qingfeng_core::analysis::catalogue::{self, CatalogueView};
use qingfeng_core::analysis::report::{AnalysisReport, ReportRequest};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::{CmdResult, Error};
use crate::files;
use crate::notices::{as_officer, notices, png_base64};
use crate::session::as_user;
use crate::state::AppState;

/// A report as the screen shows it: its figures and its first page as a PNG (base64).
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct AnalysisPreview {
    pub report: AnalysisReport,
    pub first_page: String,
    pub pages: u32,
}

#[tauri::command(async)]
pub fn catalogue_current(state: State<'_, AppState>) -> CmdResult<CatalogueView> {
    as_user(&state, catalogue::current)
}

/// Reads the report for `request` and draws its first page.
#[tauri::command(async)]
pub fn analysis_preview(state: State<'_, AppState>, request: ReportRequest) -> CmdResult<AnalysisPreview> {
    let notices = notices()?;
    let out = as_officer(&state, |s, a| notices.analysis_report(s, a, &request))?;
    let pages = png_base64(&out.pdf)?;
    let count = pages.len() as u32;
    let first_page = pages.into_iter().next().unwrap_or_default();
    Ok(AnalysisPreview { report: out.report, first_page, pages: count })
}

/// Saves the report as `format` (`pdf` or `docx`) where the officer chooses; answers the path,
/// or `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn analysis_save(
    window: tauri::Window,
    state: State<'_, AppState>,
    request: ReportRequest,
    format: String,
) -> CmdResult<Option<String>> {
    let (title, filter, ext) = match format.as_str() {
        "pdf" => ("另存为PDF", files::PDF, "pdf"),
        "docx" => ("另存为Word文档", files::DOCX, "docx"),
        _ => return Err(Error::invalid("请选择保存为 PDF 或 Word 文档。")),
    };
    let notices = notices()?;
    let out = as_officer(&state, |s, a| notices.analysis_report(s, a, &request))?;
    let name = format!("{}.{ext}", out.report.title);
    let Some(path) = files::ask_save(&window, title, &name, filter)? else { return Ok(None) };
    files::write_private(&path, if ext == "pdf" { &out.pdf } else { &out.docx })?;
    Ok(Some(path.display().to_string()))
}
