//! IPC commands for notices (告知书、通知、回执): the form and preview of a notice for a record,
//! issuing it with its number, printing or saving it, the register (发文登记) and the templates.
//! Each runs as the session's user and calls `qingfeng-documents` and the core; no rule lives here.
//!
//! Previews travel as PNG page images (base64): the desktop's web view (WebKitGTK) has no PDF
//! viewer of its own (GNOME's browser brings PDF.js itself), so an `<embed>` or `<iframe>` of a
//! PDF shows nothing or offers a download. Printing and saving use the stored PDF bytes.

use std::sync::OnceLock;

use qingfeng_core::documents::{self as core_docs, DocumentFilter, IssuedDocument, TemplateView};
use qingfeng_documents::print::{Cups, JobStatus};
use qingfeng_documents::{DocumentError, NoticeKind, NoticeRequest, Notices, Prepared, Record, pages, templates};
use qingfeng_notice::TemplateForm;
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::{CmdResult, Error};
use crate::files;
use crate::session::as_user;
use crate::state::AppState;

/// The record a notice is for, as the page names it.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NoticeRecord {
    /// `complaint`, `penalty`, `checklist`, or `none` for a notice filled in by hand.
    pub kind: String,
    pub id: Option<String>,
}

/// A value the officer typed for a field.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct FieldInput {
    pub name: String,
    pub value: String,
}

/// One field of the notice's form.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NoticeField {
    pub name: String,
    pub label: String,
    /// `text`, `multiline`, `date`, `office` or `doc_number`.
    pub field_type: String,
    pub required: bool,
    /// The value as it stands (dates as YYYY-MM-DD), or the template's default.
    pub value: Option<String>,
    /// Taken from the record: shown, not editable.
    pub locked: bool,
}

/// A notice's form: its title, the template version and the fields.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NoticeForm {
    pub kind: String,
    pub title: String,
    pub template_version: u32,
    pub fields: Vec<NoticeField>,
}

/// A rendered preview: no number is consumed or printed on it.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NoticePreview {
    pub title: String,
    /// The number it would get if issued now (not reserved).
    pub next_number: String,
    /// PNG images of the pages, base64.
    pub pages: Vec<String>,
}

/// A printer CUPS knows.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct PrinterView {
    pub name: String,
    pub is_default: bool,
}

/// Where a print job stands, for the print panel to follow after 打印.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct PrintStatusView {
    /// `queued`, `completed`, `stopped` or `unknown`.
    pub state: String,
    /// What to tell the officer, in Chinese.
    pub message: String,
}

/// The notices service: fonts are loaded on first use (about 0.2 s), then kept. A failure (a
/// missing font) is not kept, so installing the font and trying again works without a restart.
pub(crate) fn notices() -> CmdResult<&'static Notices> {
    static NOTICES: OnceLock<Notices> = OnceLock::new();
    if let Some(n) = NOTICES.get() {
        return Ok(n);
    }
    let n = Notices::with_system_fonts()?;
    Ok(NOTICES.get_or_init(|| n))
}

/// Runs `f` as the session's user, with the notice crate's errors turned into error views.
pub(crate) fn as_officer<T>(
    state: &AppState,
    f: impl FnOnce(&mut qingfeng_core::Store, &qingfeng_core::authz::Actor) -> Result<T, DocumentError>,
) -> CmdResult<T> {
    Ok(as_user(state, |s, a| Ok(f(s, a)))??)
}

fn invalid(message: String) -> Error {
    Error::invalid(message)
}

fn request(kind: &str, record: &NoticeRecord, fields: &[FieldInput]) -> CmdResult<NoticeRequest> {
    let kind = NoticeKind::parse(kind).ok_or_else(|| invalid(format!("没有名为“{kind}”的文书种类。")))?;
    let id = || record.id.clone().filter(|i| !i.trim().is_empty()).ok_or_else(|| invalid("请先选择记录。".into()));
    let record = match record.kind.as_str() {
        "complaint" => Record::Complaint(id()?),
        "penalty" => Record::Penalty(id()?),
        "checklist" => Record::Checklist(id()?),
        "opinion" => Record::Opinion(id()?),
        "letter" => Record::Letter(id()?),
        "circular" => Record::Circular(id()?),
        "none" => Record::None,
        other => return Err(invalid(format!("不认识的记录类别“{other}”。"))),
    };
    let mut req = NoticeRequest::new(kind, record);
    // An empty input means "not filled in": the template's default applies.
    for f in fields.iter().filter(|f| !f.value.trim().is_empty()) {
        req = req.with_field(&f.name, &f.value);
    }
    Ok(req)
}

fn form_of(prepared: &Prepared) -> NoticeForm {
    let t = &prepared.template;
    let fields = t
        .fields()
        .iter()
        .map(|spec| {
            let value = match prepared.fields.get(&spec.name) {
                Some(qingfeng_notice::FieldValue::Text(s)) => Some(s.clone()),
                Some(qingfeng_notice::FieldValue::Date(d)) => Some(d.to_string()),
                None => spec.default.clone(),
            };
            NoticeField {
                name: spec.name.clone(),
                label: spec.label.clone(),
                field_type: serde_json::to_value(spec.ty)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                required: spec.required && spec.default.is_none(),
                value,
                locked: prepared.locked.contains(&spec.name),
            }
        })
        .collect();
    NoticeForm { kind: t.kind().as_str().into(), title: t.title().into(), template_version: t.version(), fields }
}

pub(crate) fn png_base64(pdf: &[u8]) -> CmdResult<Vec<String>> {
    use base64::Engine as _;
    let pages = pages::png_pages(pdf, 110)?;
    Ok(pages.iter().map(|p| base64::engine::general_purpose::STANDARD.encode(p)).collect())
}

/// The notice's form for a record: fields from the record (locked) and those to fill in.
#[tauri::command(async)]
pub fn notice_form(
    state: State<'_, AppState>,
    kind: String,
    record: NoticeRecord,
    fields: Vec<FieldInput>,
) -> CmdResult<NoticeForm> {
    let req = request(&kind, &record, &fields)?;
    let notices = notices()?;
    let prepared = as_officer(&state, |s, a| notices.draft(s, a, &req))?;
    Ok(form_of(&prepared))
}

/// Renders the notice without a number and returns its pages as images.
#[tauri::command(async)]
pub fn notice_preview(
    state: State<'_, AppState>,
    kind: String,
    record: NoticeRecord,
    fields: Vec<FieldInput>,
) -> CmdResult<NoticePreview> {
    let req = request(&kind, &record, &fields)?;
    let notices = notices()?;
    let preview = as_officer(&state, |s, a| notices.preview(s, a, &req))?;
    Ok(NoticePreview { title: preview.title, next_number: preview.next_number, pages: png_base64(&preview.pdf)? })
}

/// Issues the notice (签发): its number is allocated and the PDF stored in one transaction.
#[tauri::command(async)]
pub fn notice_issue(
    state: State<'_, AppState>,
    kind: String,
    record: NoticeRecord,
    fields: Vec<FieldInput>,
) -> CmdResult<IssuedDocument> {
    let req = request(&kind, &record, &fields)?;
    let notices = notices()?;
    as_officer(&state, |s, a| notices.issue(s, a, &req))
}

/// The pages of an issued notice as images (its stored PDF).
#[tauri::command(async)]
pub fn notice_pages(state: State<'_, AppState>, id: String) -> CmdResult<Vec<String>> {
    let (_, pdf) = as_officer(&state, |s, a| qingfeng_documents::stored_pdf(s, a, &id))?;
    png_base64(&pdf)
}

/// Prints an issued notice's stored PDF on `printer` (None: the default printer).
#[tauri::command(async)]
pub fn notice_print(state: State<'_, AppState>, id: String, printer: Option<String>) -> CmdResult<String> {
    let (doc, pdf) = as_officer(&state, |s, a| qingfeng_documents::stored_pdf(s, a, &id))?;
    let job = Cups::system().print_bytes(&pdf, printer.as_deref(), &doc.number)?;
    Ok(job.job_id.unwrap_or_default())
}

/// Where a job sent by 打印 stands: still printing, printed, or stopped on a paused printer
/// (with CUPS's reason and what to do).
#[tauri::command(async)]
pub fn notice_print_status(job: String) -> CmdResult<PrintStatusView> {
    let status = Cups::system().job_status(&job)?;
    let printer = job.rsplit_once('-').map(|(p, _)| p).unwrap_or(&job);
    let (state, message) = match status {
        JobStatus::Queued => ("queued", format!("正在打印（作业 {job}）…")),
        JobStatus::Completed => ("completed", format!("已打印完成（作业 {job}），请到打印机“{printer}”处取件。")),
        JobStatus::Stopped { reason } => (
            "stopped",
            format!(
                "作业 {job} 停在打印队列中：打印机“{printer}”已暂停{reason}。请在系统的打印机设置中恢复该打印机（或 cupsenable {printer}），或先“另存为PDF”。"
            ),
        ),
        JobStatus::Unknown => ("unknown", format!("查不到作业 {job} 的状态，请到打印机处查看是否已打印。")),
    };
    Ok(PrintStatusView { state: state.into(), message })
}

/// Saves an issued notice's stored PDF where the officer chooses in the save dialog; answers the
/// path, or `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn notice_save_pdf(window: tauri::Window, state: State<'_, AppState>, id: String) -> CmdResult<Option<String>> {
    let (doc, pdf) = as_officer(&state, |s, a| qingfeng_documents::stored_pdf(s, a, &id))?;
    // 〔〕 are fine in file names; slashes never occur in a number.
    let name = format!("{}-{}.pdf", doc.title, doc.number);
    let Some(path) = files::ask_save(&window, "另存为PDF", &name, files::PDF)? else { return Ok(None) };
    files::write_private(&path, &pdf)?;
    Ok(Some(path.display().to_string()))
}

/// The printers CUPS knows, the default one marked.
#[tauri::command(async)]
pub fn notice_printers() -> CmdResult<Vec<PrinterView>> {
    let printers = Cups::system().printers()?;
    Ok(printers.into_iter().map(|p| PrinterView { name: p.name, is_default: p.is_default }).collect())
}

/// The register of issued documents (发文登记).
#[tauri::command(async)]
pub fn notice_register(state: State<'_, AppState>, filter: DocumentFilter) -> CmdResult<Vec<IssuedDocument>> {
    as_user(&state, |s, a| core_docs::list(s, a, &filter))
}

/// Every template version held for the office.
#[tauri::command(async)]
pub fn notice_templates(state: State<'_, AppState>) -> CmdResult<Vec<TemplateView>> {
    as_officer(&state, templates::list)
}

/// A template version opened in the editor: the form, and the number a save would give it.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct TemplateEditor {
    pub form: TemplateForm,
    pub next_version: u32,
}

/// One held template version as a form, for the editor.
#[tauri::command(async)]
pub fn notice_template_form(state: State<'_, AppState>, kind: String, version: u32) -> CmdResult<TemplateEditor> {
    as_officer(&state, |s, a| {
        Ok(TemplateEditor {
            form: templates::form(s, a, &kind, version)?,
            next_version: templates::next_version(s, a, &kind)?,
        })
    })
}

/// Renders a template being edited, not yet saved, with sample values (its pages as images).
#[tauri::command(async)]
pub fn notice_template_preview(state: State<'_, AppState>, form: TemplateForm) -> CmdResult<NoticePreview> {
    let notices = notices()?;
    let preview = as_officer(&state, |s, a| notices.preview_form(s, a, &form))?;
    Ok(NoticePreview { title: preview.title, next_number: preview.next_number, pages: png_base64(&preview.pdf)? })
}

/// Saves the edited form as the kind's next version (administrators); a refusal names the field
/// by its Chinese label and nothing is saved.
#[tauri::command(async)]
pub fn notice_template_save_form(state: State<'_, AppState>, form: TemplateForm) -> CmdResult<TemplateView> {
    as_officer(&state, |s, a| templates::save_form(s, a, &form))
}

/// 导出: writes a held version's template text where the administrator chooses; answers the
/// file's name, or `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn notice_template_export(
    window: tauri::Window,
    state: State<'_, AppState>,
    kind: String,
    version: u32,
) -> CmdResult<Option<String>> {
    let view = as_officer(&state, |s, a| templates::version(s, a, &kind, version))?;
    let name = format!("{}-第{}版.toml", view.kind_name, view.version);
    let Some(path) = files::ask_save(&window, "导出文书模板", &name, files::TEMPLATE)? else { return Ok(None) };
    files::write_private(&path, view.source.as_bytes())?;
    Ok(Some(files::file_name(&path)))
}

/// 导入: reads a template file the administrator chooses and opens it in the editor as a form
/// (saved only when they save it); `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn notice_template_import(window: tauri::Window) -> CmdResult<Option<TemplateForm>> {
    let Some(path) = files::ask_open(&window, "导入文书模板", files::TEMPLATE, false)?.pop() else {
        return Ok(None);
    };
    let bytes = files::read_chosen(&path, 64 * 1024)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        invalid(format!("{} 不是文书模板文件（应为 UTF-8 文本），请另选一个。", files::file_name(&path)))
    })?;
    Ok(Some(templates::import(&text)?))
}
