//! IPC commands for supervision letters and circulars (监督建议书、提醒函、监督通报): the letter
//! list and one letter's page, drafting, the unit's feedback with its evidence files, accepting or
//! sending it back, reminding a late unit, circulars and the statistics of a period. Letters and
//! circulars are issued through the notice dialog (`notice_issue` with a `letter` or `circular`
//! record). Each runs as the session's user; the core decides every rule.

use qingfeng_core::complaints::attachments::MAX_ATTACHMENT_BYTES;
use qingfeng_core::penalty::model::EvidenceFile;
use qingfeng_core::supervision::query::{self, CircularRow, LetterDetail, LetterRow, SupervisionStats};
use qingfeng_core::supervision::workflow::{CircularForm, LetterCommand, LetterStep};
use qingfeng_core::supervision::{LetterForm, ops};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CmdResult;
use crate::files;
use crate::penalty::EvidenceUpload;
use crate::session::as_user;
use crate::state::AppState;

/// A step on a letter with what the officer entered for it: the feedback's date, content,
/// problems rectified and evidence files; a note for the other steps, and the working days of a
/// new feedback when one is sent back.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct LetterStepForm {
    pub step: LetterStep,
    pub date: Option<String>,
    pub content: Option<String>,
    pub rectified: Option<Vec<u32>>,
    pub files: Option<Vec<EvidenceUpload>>,
    pub note: Option<String>,
    pub working_days: Option<u32>,
}

#[tauri::command(async)]
pub fn letter_list(state: State<'_, AppState>) -> CmdResult<Vec<LetterRow>> {
    as_user(&state, |s, a| query::letters(s, a))
}

#[tauri::command(async)]
pub fn letter_page(state: State<'_, AppState>, id: String) -> CmdResult<LetterDetail> {
    as_user(&state, |s, a| query::letter(s, a, &id))
}

/// Drafts a letter and returns its page.
#[tauri::command(async)]
pub fn letter_register(state: State<'_, AppState>, form: LetterForm) -> CmdResult<LetterDetail> {
    as_user(&state, |s, a| {
        let id = ops::register_letter(s, a, &form)?;
        query::letter(s, a, &id)
    })
}

/// Takes a step and returns the page as it now stands. The evidence files are read here, before
/// the store is locked, and checked by the core.
#[tauri::command(async)]
pub fn letter_step(state: State<'_, AppState>, id: String, form: LetterStepForm) -> CmdResult<LetterDetail> {
    let files = form
        .files
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|f| {
            let bytes = files::read_chosen(std::path::Path::new(&f.path), MAX_ATTACHMENT_BYTES as u64)?;
            Ok(EvidenceFile { name: f.name, bytes })
        })
        .collect::<CmdResult<Vec<_>>>()?;
    as_user(&state, |s, a| {
        let note = form.note.clone().unwrap_or_default();
        match form.step {
            LetterStep::RecordFeedback => {
                let feedback = ops::FeedbackForm {
                    date: form.date.clone().unwrap_or_default(),
                    content: form.content.clone().unwrap_or_default(),
                    rectified: form.rectified.clone().unwrap_or_default(),
                    files,
                };
                ops::record_feedback(s, a, &id, &feedback)?;
            }
            LetterStep::Accept => ops::letter_step(s, a, &id, &LetterCommand::Accept { note })?,
            LetterStep::SendBack => {
                ops::letter_step(s, a, &id, &LetterCommand::SendBack { note, working_days: form.working_days })?
            }
            LetterStep::Remind => ops::letter_step(s, a, &id, &LetterCommand::Remind { note })?,
            LetterStep::Issue => {
                return Err(qingfeng_core::CoreError::invalid("文书请通过“签发”制作，以取得文号并打印。"));
            }
        }
        query::letter(s, a, &id)
    })
}

#[tauri::command(async)]
pub fn circular_list(state: State<'_, AppState>) -> CmdResult<Vec<CircularRow>> {
    as_user(&state, |s, a| query::circulars(s, a))
}

/// Drafts a circular from the letters issued in its period; returns its id.
#[tauri::command(async)]
pub fn circular_draft(state: State<'_, AppState>, form: CircularForm) -> CmdResult<String> {
    as_user(&state, |s, a| ops::draft_circular(s, a, &form))
}

#[tauri::command(async)]
pub fn supervision_stats(state: State<'_, AppState>, from: String, to: String) -> CmdResult<SupervisionStats> {
    as_user(&state, |s, a| query::statistics(s, a, &from, &to))
}
