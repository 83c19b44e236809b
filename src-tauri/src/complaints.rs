//! IPC commands for complaints: each resolves the session's user and calls `qingfeng_core::complaints`.

use qingfeng_core::accounts;
use qingfeng_core::api::ErrorView;
use qingfeng_core::authz::Actor;
use qingfeng_core::complaints::query::{
    self, ComplaintDetail, ComplaintFilter, ComplaintSummary, Dashboard, InboxItem, SimilarComplaint,
};
use qingfeng_core::complaints::stats::{self, ExportFormat, Statistics, StatsFilter, UnitSummary};
use qingfeng_core::complaints::{
    ApprovalAction, ConcludeRequest, DatedRequest, MilestoneRequest, ObjectionRequest, RegisterComplaint, Reporter,
    ScreenRequest,
};
use qingfeng_core::complaints::{attachments, ops};
use qingfeng_core::{CoreError, Store};
use tauri::State;

use crate::state::{AppState, Inner};

type CmdResult<T> = Result<T, ErrorView>;

/// Runs `f` as the logged-in user.
pub(crate) fn as_user<T>(state: &AppState, f: impl FnOnce(&mut Store, &Actor) -> Result<T, CoreError>) -> CmdResult<T> {
    let mut guard = state.inner.lock().unwrap_or_else(|p| p.into_inner());
    let Inner { store, session_id } = &mut *guard;
    let store = store.as_mut().map_err(|e| e.clone())?;
    let before = store.local_commits();
    let run = || {
        let session = session_id.as_deref().ok_or(CoreError::NoSession)?;
        let actor = Actor::User(accounts::principal(store, session)?);
        f(store, &actor)
    };
    let result = run().map_err(|e| e.view());
    // New events (refusals are recorded too) should reach the hub soon; the sync task decides when.
    if store.local_commits() > before {
        state.local_work.notify_one();
    }
    result
}

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

/// Exports what the user may see to the Downloads folder and returns the file's path.
#[tauri::command(async)]
pub fn complaint_export(
    state: State<'_, AppState>,
    filter: ComplaintFilter,
    format: ExportFormat,
) -> CmdResult<String> {
    let bytes = as_user(&state, |s, a| stats::export(s, a, &filter, format))?;
    let ext = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Xlsx => "xlsx",
    };
    save_to_downloads(&format!("检举控告-{}.{ext}", chrono::Local::now().format("%Y%m%d-%H%M%S")), &bytes)
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

/// Attaches a file the officer picked; its bytes arrive base64-encoded over IPC.
#[tauri::command(async)]
pub fn complaint_attach(
    state: State<'_, AppState>,
    id: String,
    name: String,
    data: String,
) -> CmdResult<ComplaintDetail> {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.as_bytes())
        .map_err(|_| ErrorView {
            code: "invalid".into(), message: "附件数据无法读取，请重新选择文件。".into()
        })?;
    step(&state, &id, |s, a| attachments::add(s, a, &id, &name, &bytes).map(|_| ()))
}

/// Opens an attachment (petitions or leader; recorded) by saving it to the Downloads folder.
#[tauri::command(async)]
pub fn complaint_open_attachment(
    state: State<'_, AppState>,
    id: String,
    sha256: String,
    purpose: String,
) -> CmdResult<String> {
    let opened = as_user(&state, |s, a| attachments::open(s, a, &id, &sha256, &purpose))?;
    save_to_downloads(&opened.name, &opened.bytes)
}

/// Writes `bytes` under the user's Downloads folder without overwriting anything there.
pub(crate) fn save_to_downloads(name: &str, bytes: &[u8]) -> CmdResult<String> {
    let dir = directories::UserDirs::new()
        .and_then(|u| u.download_dir().map(std::path::Path::to_path_buf).or_else(|| Some(u.home_dir().to_path_buf())))
        .unwrap_or_else(std::env::temp_dir);
    let io = |e: std::io::Error| ErrorView {
        code: "io".into(), message: format!("无法保存到 {}：{e}", dir.display())
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    // Names come from whoever submitted the file: keep only the last component, so a name can
    // never point outside the folder.
    let name = std::path::Path::new(name).file_name().and_then(|n| n.to_str()).unwrap_or("附件");
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_owned(), format!(".{e}")),
        None => (name.to_owned(), String::new()),
    };
    let mut path = dir.join(name);
    let mut n = 1;
    while path.exists() && n < 1000 {
        path = dir.join(format!("{stem}（{n}）{ext}"));
        n += 1;
    }
    // What is saved holds records: readable by the officer's own account only.
    qingfeng_core::files::write_private(&path, bytes)
        .map_err(|e| ErrorView { code: "io".into(), message: format!("无法保存到 {}：{e}", dir.display()) })?;
    Ok(path.display().to_string())
}
