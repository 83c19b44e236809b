//! IPC commands of the officer's desk (工作台): the post's to-do list and its counts for the menu,
//! and the quarterly report recorded from its row.

use qingfeng_core::complaints::ops;
use qingfeng_core::identity::Role;
use qingfeng_core::worklist::{self, Worklist, WorklistFilter};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CmdResult;
use crate::session::as_user;
use crate::state::AppState;

/// A department's quarterly report of concluded results to petitions.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct QuarterlyReportForm {
    pub department: Role,
    /// E.g. `2026Q3`.
    pub quarter: String,
    /// YYYY-MM-DD.
    pub date: String,
    pub note: String,
}

#[tauri::command(async)]
pub fn worklist(state: State<'_, AppState>, filter: WorklistFilter) -> CmdResult<Worklist> {
    as_user(&state, |store, actor| worklist::worklist(store, actor, &filter))
}

#[tauri::command(async)]
pub fn quarterly_report_submit(state: State<'_, AppState>, form: QuarterlyReportForm) -> CmdResult<()> {
    as_user(&state, |store, actor| {
        ops::submit_quarterly_report(store, actor, form.department, &form.quarter, &form.date, &form.note)
    })
}
