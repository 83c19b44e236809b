//! IPC commands for penalty execution (处分决定执行) and rectification lists (整改清单): each runs
//! as the session's user and calls `qingfeng_core::penalty`; the core decides every rule.

use qingfeng_core::complaints::attachments::MAX_ATTACHMENT_BYTES;
use qingfeng_core::penalty::ops::{self, PaymentOutcome};
use qingfeng_core::penalty::query::{
    self, BenefitFlag, Board, BoardFilter, ChecklistDetail, PenaltyDetail, PenaltyStats, PersonPage, QueueRow,
    TemplateInfo,
};
use qingfeng_core::penalty::{
    BenefitForm, ChecklistScope, EvidenceFile, RegisterPenalty, RegisterRectification, SubmitRequest,
};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::{CmdResult, Error};
use crate::files;
use crate::session::as_user;
use crate::state::AppState;

/// An evidence file the officer picked in the open dialog (`checklist_pick_evidence`): its name
/// and where it is; the bytes are read when the submission is sent.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceUpload {
    pub name: String,
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
}

/// A submission as the web page sends it (the core's `SubmitRequest` with the picked files).
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct SubmitForm {
    pub date: String,
    pub note: String,
    pub measures: Option<String>,
    pub result: Option<String>,
    pub files: Vec<EvidenceUpload>,
}

/// What recording a benefit answers: its id and, when it falls inside an influence period that
/// bars it, why (the person's page shows these at once, before the officer moves on).
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct BenefitOutcome {
    pub benefit_id: String,
    pub flags: Vec<String>,
}

fn invalid(message: &str) -> Error {
    Error::invalid(message)
}

impl SubmitForm {
    fn into_request(self) -> CmdResult<SubmitRequest> {
        let files = self
            .files
            .into_iter()
            .map(|f| {
                let bytes = files::read_chosen(std::path::Path::new(&f.path), MAX_ATTACHMENT_BYTES as u64)?;
                Ok(EvidenceFile { name: f.name, bytes })
            })
            .collect::<CmdResult<Vec<_>>>()?;
        Ok(SubmitRequest { date: self.date, note: self.note, measures: self.measures, result: self.result, files })
    }
}

#[tauri::command(async)]
pub fn penalty_board(state: State<'_, AppState>, filter: BoardFilter) -> CmdResult<Board> {
    as_user(&state, |s, a| query::board(s, a, &filter))
}

#[tauri::command(async)]
pub fn penalty_show(state: State<'_, AppState>, id: String) -> CmdResult<PenaltyDetail> {
    as_user(&state, |s, a| query::show(s, a, &id))
}

#[tauri::command(async)]
pub fn penalty_register(state: State<'_, AppState>, form: RegisterPenalty) -> CmdResult<PenaltyDetail> {
    as_user(&state, |s, a| {
        let id = ops::register(s, a, &form)?;
        query::show(s, a, &id)
    })
}

#[tauri::command(async)]
pub fn penalty_review_queue(state: State<'_, AppState>) -> CmdResult<Vec<QueueRow>> {
    as_user(&state, |s, a| query::review_queue(s, a))
}

#[tauri::command(async)]
pub fn penalty_flags(state: State<'_, AppState>) -> CmdResult<Vec<BenefitFlag>> {
    as_user(&state, |s, a| query::flags(s, a))
}

/// A person's page (受处分人): decisions, influence periods and recorded benefits with flags.
#[tauri::command(async)]
pub fn penalty_person(state: State<'_, AppState>, name: String, unit: String) -> CmdResult<PersonPage> {
    as_user(&state, |s, a| query::person(s, a, &name, &unit))
}

/// Records an appraisal grade, promotion, award or pay step against a person (the guard).
#[tauri::command(async)]
pub fn penalty_record_benefit(state: State<'_, AppState>, form: BenefitForm) -> CmdResult<BenefitOutcome> {
    as_user(&state, |s, a| {
        let (benefit_id, flags) = ops::record_benefit(s, a, &form)?;
        Ok(BenefitOutcome { benefit_id, flags })
    })
}

#[tauri::command(async)]
pub fn penalty_stats(state: State<'_, AppState>, scope: ChecklistScope) -> CmdResult<PenaltyStats> {
    as_user(&state, |s, a| query::stats(s, a, scope))
}

// The steps below serve both penalty checklists and rectification lists (the same engine); the
// page reloads itself afterwards, since it knows which of the two it shows.

/// Submits an item with its note, date and evidence files.
#[tauri::command(async)]
pub fn checklist_submit(state: State<'_, AppState>, checklist_id: String, ord: u32, req: SubmitForm) -> CmdResult<()> {
    let req = req.into_request()?;
    as_user(&state, |s, a| ops::submit(s, a, &checklist_id, ord, &req))
}

#[tauri::command(async)]
pub fn checklist_approve(
    state: State<'_, AppState>,
    checklist_id: String,
    ord: u32,
    note: String,
    score: Option<String>,
) -> CmdResult<()> {
    as_user(&state, |s, a| ops::approve(s, a, &checklist_id, ord, &note, score.as_deref()))
}

/// Sends an item back with the rectification note (整改意见).
#[tauri::command(async)]
pub fn checklist_reject(state: State<'_, AppState>, checklist_id: String, ord: u32, note: String) -> CmdResult<()> {
    as_user(&state, |s, a| ops::reject(s, a, &checklist_id, ord, &note))
}

/// Records 案件审理室's guidance opinion (指导意见) on an item of a rectification list.
#[tauri::command(async)]
pub fn checklist_guide(state: State<'_, AppState>, checklist_id: String, ord: u32, text: String) -> CmdResult<()> {
    as_user(&state, |s, a| ops::guide(s, a, &checklist_id, ord, &text))
}

/// Records a payment toward a confiscation or repayment; `amount` is yuan as text, exact to the fen.
#[tauri::command(async)]
pub fn checklist_pay(
    state: State<'_, AppState>,
    checklist_id: String,
    ord: u32,
    amount: String,
    date: String,
    note: String,
) -> CmdResult<PaymentOutcome> {
    as_user(&state, |s, a| ops::record_payment(s, a, &checklist_id, ord, &amount, &date, &note))
}

/// Extends an item's deadline to `months` from its start, with the approval's reference.
#[tauri::command(async)]
pub fn checklist_extend(
    state: State<'_, AppState>,
    checklist_id: String,
    ord: u32,
    months: u32,
    approval_ref: String,
) -> CmdResult<()> {
    as_user(&state, |s, a| ops::extend(s, a, &checklist_id, ord, months, &approval_ref))
}

/// Saves an evidence file (re-hashed by the core) where the officer chooses; answers its path, or
/// `None` when the dialog was cancelled.
#[tauri::command(async)]
pub fn checklist_open_evidence(
    window: tauri::Window,
    state: State<'_, AppState>,
    checklist_id: String,
    sha256: String,
) -> CmdResult<Option<String>> {
    let (evidence, bytes) = as_user(&state, |s, a| query::open_evidence(s, a, &checklist_id, &sha256))?;
    let ext = evidence.name.rsplit_once('.').map(|(_, e)| e.to_owned()).unwrap_or_default();
    let exts = [ext.as_str()];
    let filter = if ext.is_empty() { files::ATTACHMENT } else { ("原文件类型", &exts[..]) };
    let Some(path) = files::ask_save(&window, "保存证明材料", &evidence.name, filter)? else { return Ok(None) };
    files::write_private(&path, &bytes)?;
    Ok(Some(path.display().to_string()))
}

/// Picks evidence files (送达回证、收据…) in the open dialog for a submission; nothing is read
/// until the submission is sent.
#[tauri::command(async)]
pub fn checklist_pick_evidence(window: tauri::Window) -> CmdResult<Vec<EvidenceUpload>> {
    files::ask_open(&window, "选择证明材料", files::ATTACHMENT, true)?
        .into_iter()
        .map(|p| {
            let size = std::fs::metadata(&p)
                .map_err(|e| invalid(&format!("无法读取 {}：{e}。请确认文件还在原处。", p.display())))?
                .len();
            Ok(EvidenceUpload { name: files::file_name(&p), path: p.display().to_string(), size })
        })
        .collect()
}

#[tauri::command(async)]
pub fn checklist_templates(state: State<'_, AppState>) -> CmdResult<Vec<TemplateInfo>> {
    as_user(&state, |s, a| query::templates(s, a))
}

#[tauri::command(async)]
pub fn rectification_register(state: State<'_, AppState>, form: RegisterRectification) -> CmdResult<ChecklistDetail> {
    as_user(&state, |s, a| {
        let id = ops::register_rectification(s, a, &form)?;
        query::show_checklist(s, a, &id)
    })
}

#[tauri::command(async)]
pub fn rectification_show(state: State<'_, AppState>, id: String) -> CmdResult<ChecklistDetail> {
    as_user(&state, |s, a| query::show_checklist(s, a, &id))
}
