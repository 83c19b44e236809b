//! IPC commands for integrity files and integrity opinions (廉政档案、廉政意见回复): the cadre list
//! and a cadre's file (each reading logged by the core with its purpose), confirming or splitting
//! suggested records, units with their profile score, and opinion requests from registration to
//! approval. The reply itself is issued through the notice dialog (`notice_issue` with an
//! `opinion` record). Each runs as the session's user; the core decides every rule.

use qingfeng_core::portrait::query::{self, CadreFile, CadreSummary, OpinionPage, OpinionRow, UnitRow};
use qingfeng_core::portrait::workflow::{MatchStep, OpinionCommand, OpinionStep};
use qingfeng_core::portrait::{OpinionRequestForm, UnitForm, ops};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CmdResult;
use crate::session::as_user;
use crate::state::AppState;

/// A step on a request with what the officer entered for it: `ord` and `text` for an edit, `note`
/// for an approval or a sending back.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct OpinionStepForm {
    pub step: OpinionStep,
    pub ord: Option<u32>,
    pub text: Option<String>,
    pub note: Option<String>,
}

#[tauri::command(async)]
pub fn integrity_cadres(state: State<'_, AppState>, search: String) -> CmdResult<Vec<CadreSummary>> {
    as_user(&state, |s, a| query::cadres(s, a, &search))
}

/// A cadre's file, read for `purpose` (查阅事由); the core logs the reading first.
#[tauri::command(async)]
pub fn integrity_file(state: State<'_, AppState>, cadre: String, purpose: String) -> CmdResult<CadreFile> {
    as_user(&state, |s, a| query::cadre_file(s, a, &cadre, &purpose))
}

/// Confirms a suggested record as the cadre's or splits it off as another person's.
#[tauri::command(async)]
pub fn integrity_match(
    state: State<'_, AppState>,
    cadre: String,
    record: String,
    step: MatchStep,
    note: String,
) -> CmdResult<()> {
    as_user(&state, |s, a| ops::decide_match(s, a, &cadre, &record, step, &note))
}

#[tauri::command(async)]
pub fn integrity_units(state: State<'_, AppState>) -> CmdResult<Vec<UnitRow>> {
    as_user(&state, |s, a| query::units(s, a))
}

#[tauri::command(async)]
pub fn integrity_unit_register(state: State<'_, AppState>, form: UnitForm) -> CmdResult<String> {
    as_user(&state, |s, a| ops::register_unit(s, a, &form))
}

#[tauri::command(async)]
pub fn opinion_list(state: State<'_, AppState>) -> CmdResult<Vec<OpinionRow>> {
    as_user(&state, |s, a| query::opinions(s, a))
}

#[tauri::command(async)]
pub fn opinion_register(state: State<'_, AppState>, form: OpinionRequestForm) -> CmdResult<String> {
    as_user(&state, |s, a| ops::register_opinion(s, a, &form))
}

/// A request's page; reading it reads each person's file, which the core logs.
#[tauri::command(async)]
pub fn opinion_page(state: State<'_, AppState>, id: String) -> CmdResult<OpinionPage> {
    as_user(&state, |s, a| query::opinion_page(s, a, &id))
}

/// Takes a step and returns the page as it now stands.
#[tauri::command(async)]
pub fn opinion_step(state: State<'_, AppState>, id: String, form: OpinionStepForm) -> CmdResult<OpinionPage> {
    as_user(&state, |s, a| {
        let note = form.note.clone().unwrap_or_default();
        let command = match form.step {
            OpinionStep::Edit => {
                OpinionCommand::Edit { ord: form.ord.unwrap_or(0), text: form.text.clone().unwrap_or_default() }
            }
            OpinionStep::Submit => OpinionCommand::Submit,
            OpinionStep::Approve => OpinionCommand::Approve { note },
            OpinionStep::Return => OpinionCommand::Return { note },
            OpinionStep::Reply => {
                return Err(qingfeng_core::CoreError::invalid("回复请通过“制作廉政意见回复”签发，以取得文号并打印。"));
            }
        };
        ops::opinion_step(s, a, &id, &command)?;
        query::opinion_page(s, a, &id)
    })
}
