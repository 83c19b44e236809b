//! IPC commands for penalty execution (处分决定执行) and rectification lists (整改清单): each runs
//! as the session's user and calls `qingfeng_core::penalty`; the core decides every rule.

use qingfeng_core::api::ErrorView;
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

use crate::complaints::as_user;
use crate::state::AppState;

type CmdResult<T> = Result<T, ErrorView>;

/// An evidence file as the web page sends it: bytes in base64, because a JSON array of numbers
/// would be several times the file's size over IPC.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct EvidenceUpload {
    pub name: String,
    pub data: String,
}

/// A submission as the web page sends it (the core's `SubmitRequest` with base64 files).
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

fn invalid(message: &str) -> ErrorView {
    ErrorView { code: "invalid".into(), message: message.into() }
}

impl SubmitForm {
    fn into_request(self) -> CmdResult<SubmitRequest> {
        use base64::Engine as _;
        let files = self
            .files
            .into_iter()
            .map(|f| {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(f.data.as_bytes())
                    .map_err(|_| invalid(&format!("证明材料“{}”无法读取，请重新选择文件。", f.name)))?;
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

/// Saves an evidence file (re-hashed by the core) to the Downloads folder; returns its path.
#[tauri::command(async)]
pub fn checklist_open_evidence(state: State<'_, AppState>, checklist_id: String, sha256: String) -> CmdResult<String> {
    let (evidence, bytes) = as_user(&state, |s, a| query::open_evidence(s, a, &checklist_id, &sha256))?;
    crate::complaints::save_to_downloads(&evidence.name, &bytes)
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
