//! IPC commands for complaints: each resolves the session's user and calls `qingfeng_core::complaints`.

use qingfeng_core::authz::Actor;
use qingfeng_core::complaints::query::{
    self, ComplaintDetail, ComplaintFilter, ComplaintPage, ComplaintSummary, Dashboard, InboxItem, SimilarComplaint,
};
use qingfeng_core::complaints::stats::{self, ExportFormat, Statistics, StatsFilter, UnitSummary};
use qingfeng_core::complaints::{
    ApprovalAction, ConcludeRequest, DatedRequest, MilestoneRequest, ObjectionRequest, RegisterComplaint, Reporter,
    ResultReviewRequest, ScreenRequest,
};
use qingfeng_core::complaints::{attachments, ops};
use qingfeng_core::{CoreError, Store};
use tauri::State;

use crate::error::{CmdResult, Error};
use crate::files;
use crate::session::as_user;
use crate::state::AppState;

/// Runs a step, then returns the complaint's page as it now stands.
fn step(
    state: &AppState,
    id: &str,
    f: impl FnOnce(&mut Store, &Actor) -> Result<(), CoreError>,
) -> CmdResult<ComplaintDetail> {
    as_user(state, |store, actor| {
        f(store, actor)?;
        query::show(store, actor, id)
    })
}

#[tauri::command(async)]
pub fn inbox(state: State<'_, AppState>) -> CmdResult<Vec<InboxItem>> {
    as_user(&state, query::inbox)
}

#[tauri::command(async)]
pub fn dashboard(state: State<'_, AppState>) -> CmdResult<Dashboard> {
    as_user(&state, query::dashboard)
}

#[tauri::command(async)]
pub fn complaint_list(state: State<'_, AppState>, filter: ComplaintFilter) -> CmdResult<Vec<ComplaintSummary>> {
    as_user(&state, |s, a| query::list(s, a, &filter))
}

/// The complaint list's page with the office's true total under the filter.
#[tauri::command(async)]
pub fn complaint_page(state: State<'_, AppState>, filter: ComplaintFilter) -> CmdResult<ComplaintPage> {
    as_user(&state, |s, a| query::page(s, a, &filter))
}

#[tauri::command(async)]
pub fn complaint_show(state: State<'_, AppState>, id: String) -> CmdResult<ComplaintDetail> {
    as_user(&state, |s, a| query::show(s, a, &id))
}

#[tauri::command(async)]
pub fn complaint_similar(state: State<'_, AppState>, form: RegisterComplaint) -> CmdResult<Vec<SimilarComplaint>> {
    as_user(&state, |s, a| query::similar(s, a, &form))
}

#[tauri::command(async)]
pub fn complaint_register(state: State<'_, AppState>, form: RegisterComplaint) -> CmdResult<ComplaintDetail> {
    as_user(&state, |s, a| {
        let id = ops::register(s, a, &form)?;
        query::show(s, a, &id)
    })
}

#[tauri::command(async)]
pub fn complaint_screen(state: State<'_, AppState>, id: String, req: ScreenRequest) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::screen(s, a, &id, &(&req).into()))
}

#[tauri::command(async)]
pub fn complaint_notify_acceptance(
    state: State<'_, AppState>,
    id: String,
    req: DatedRequest,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::record_acceptance_notice(s, a, &id, &req.date, &req.note))
}

#[tauri::command(async)]
pub fn complaint_record_forwarded(
    state: State<'_, AppState>,
    id: String,
    req: DatedRequest,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::record_forwarded(s, a, &id, &req.date, &req.note))
}

#[tauri::command(async)]
pub fn complaint_report_result(
    state: State<'_, AppState>,
    id: String,
    req: DatedRequest,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::report_result(s, a, &id, &req.date, &req.note))
}

/// Accepts, or sends back with a note, the result an office below reported for a complaint this
/// office assigned or supervised.
#[tauri::command(async)]
pub fn complaint_review_result(
    state: State<'_, AppState>,
    id: String,
    req: ResultReviewRequest,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::review_result(s, a, &id, &req))
}

#[tauri::command(async)]
pub fn complaint_request_approval(
    state: State<'_, AppState>,
    id: String,
    request: ApprovalAction,
    reason: String,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::request_approval(s, a, &id, &request, &reason).map(|_| ()))
}

#[tauri::command(async)]
pub fn approval_decide(
    state: State<'_, AppState>,
    id: String,
    approval_id: String,
    granted: bool,
    comment: String,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::decide_approval(s, a, &approval_id, granted, &comment))
}

#[tauri::command(async)]
pub fn complaint_inquiry_reply(
    state: State<'_, AppState>,
    id: String,
    req: DatedRequest,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::record_inquiry_reply(s, a, &id, &req.date, &req.note))
}

#[tauri::command(async)]
pub fn complaint_conclude(state: State<'_, AppState>, id: String, req: ConcludeRequest) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::conclude(s, a, &id, &(&req).into()))
}

#[tauri::command(async)]
pub fn complaint_feedback(state: State<'_, AppState>, id: String, req: DatedRequest) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::record_feedback(s, a, &id, &req.date, &req.note))
}

#[tauri::command(async)]
pub fn complaint_objection(
    state: State<'_, AppState>,
    id: String,
    req: ObjectionRequest,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::record_objection(s, a, &id, &req.date, &req.content, req.new_evidence))
}

#[tauri::command(async)]
pub fn complaint_reveal_reporter(
    state: State<'_, AppState>,
    id: String,
    purpose: String,
) -> CmdResult<Option<Reporter>> {
    as_user(&state, |s, a| ops::reveal_reporter(s, a, &id, &purpose))
}

#[tauri::command(async)]
pub fn statistics(state: State<'_, AppState>, filter: StatsFilter) -> CmdResult<Statistics> {
    as_user(&state, |s, a| stats::statistics(s, a, &filter))
}

#[tauri::command(async)]
pub fn unit_summary(state: State<'_, AppState>, unit: String) -> CmdResult<UnitSummary> {
    as_user(&state, |s, a| stats::unit_summary(s, a, &unit))
}

/// Exports what the user may see to a file the officer chooses in the save dialog; answers the
/// file's path, or `None` when the dialog was cancelled (nothing is written).
#[tauri::command(async)]
pub fn complaint_export(
    window: tauri::Window,
    state: State<'_, AppState>,
    filter: ComplaintFilter,
    format: ExportFormat,
) -> CmdResult<Option<String>> {
    let bytes = as_user(&state, |s, a| stats::export(s, a, &filter, format))?;
    let (ext, kind) = match format {
        ExportFormat::Csv => ("csv", files::CSV),
        ExportFormat::Xlsx => ("xlsx", files::XLSX),
    };
    let name = format!("检举控告-{}.{ext}", chrono::Local::now().format("%Y%m%d-%H%M%S"));
    let Some(path) = files::ask_save(&window, "导出检举控告", &name, kind)? else { return Ok(None) };
    files::write_private(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(async)]
pub fn complaint_case_milestone(
    state: State<'_, AppState>,
    id: String,
    req: MilestoneRequest,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::record_case_milestone(s, a, &id, req.stage, &req.date, &req.note))
}

#[tauri::command(async)]
pub fn complaint_start_detention(
    state: State<'_, AppState>,
    id: String,
    req: DatedRequest,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::start_detention(s, a, &id, &req.date, &req.note))
}

/// Extends detention; `req.note` carries the upper level's approval reference (批准文号).
#[tauri::command(async)]
pub fn complaint_extend_detention(
    state: State<'_, AppState>,
    id: String,
    req: DatedRequest,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::extend_detention(s, a, &id, &req.date, &req.note))
}

#[tauri::command(async)]
pub fn complaint_end_detention(
    state: State<'_, AppState>,
    id: String,
    req: DatedRequest,
) -> CmdResult<ComplaintDetail> {
    step(&state, &id, |s, a| ops::end_detention(s, a, &id, &req.date, &req.note))
}

/// Attaches the files the officer picks in the open dialog (the core checks each one's type and
/// size); answers the complaint's page, or `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn complaint_attach(
    window: tauri::Window,
    state: State<'_, AppState>,
    id: String,
) -> CmdResult<Option<ComplaintDetail>> {
    let picked = files::ask_open(&window, "选择要添加的附件", files::ATTACHMENT, true)?;
    if picked.is_empty() {
        return Ok(None);
    }
    let mut chosen = Vec::with_capacity(picked.len());
    for path in &picked {
        chosen.push((files::file_name(path), files::read_chosen(path, attachments::MAX_ATTACHMENT_BYTES as u64)?));
    }
    step(&state, &id, |s, a| {
        for (name, bytes) in &chosen {
            attachments::add(s, a, &id, name, bytes)?;
        }
        Ok(())
    })
    .map(Some)
}

/// Opens an attachment (petitions or leader; recorded) by saving it where the officer chooses.
/// The dialog comes first, so a cancelled one records no reading; `name` is the attachment's
/// name as the page shows it, proposed as the file's name.
#[tauri::command(async)]
pub fn complaint_open_attachment(
    window: tauri::Window,
    state: State<'_, AppState>,
    id: String,
    sha256: String,
    name: String,
    purpose: String,
) -> CmdResult<Option<String>> {
    if purpose.trim().is_empty() {
        return Err(Error::invalid("请填写查看事由。"));
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_owned()).unwrap_or_default();
    let exts = [ext.as_str()];
    let filter = if ext.is_empty() { files::ATTACHMENT } else { ("原文件类型", &exts[..]) };
    let Some(path) = files::ask_save(&window, "保存附件", &name, filter)? else { return Ok(None) };
    let opened = as_user(&state, |s, a| attachments::open(s, a, &id, &sha256, &purpose))?;
    files::write_private(&path, &opened.bytes)?;
    Ok(Some(path.display().to_string()))
}
