//! 数据迁移: thin commands over `qingfeng_core::migration` for the screen that brings an older
//! platform's records over — the file picked in the platform's open dialog, its headers with the
//! guessed column mapping, saved mappings, the dry run and the import (progress reported as
//! `migration-progress` events), and the imports done so far.

use qingfeng_core::migration::{
    self,
    model::{BatchView, FilePreview, Limits, Mapping, MigrationKind, MigrationPhase, MigrationReport},
};
use serde::Serialize;
use tauri::{Emitter, State, Window};

use crate::error::{CmdResult, Error};
use crate::files::ask_open;
use crate::session::as_user;
use crate::state::AppState;

/// What the open dialog offers: the two formats older platforms export.
const SPREADSHEETS: crate::files::Filter<'static> = ("Excel 工作簿或 CSV 表格", &["xlsx", "csv"]);

/// A file's headers and first rows, with the mapping they suggest and the mappings saved.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MigrationFile {
    pub path: String,
    pub preview: FilePreview,
    pub saved: Vec<Mapping>,
}

/// Where a dry run or an import is, for the progress bar.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct MigrationProgress {
    pub phase: MigrationPhase,
    pub done: f64,
    pub total: f64,
}

/// Asks for the exported file; `None` when the officer cancels.
#[tauri::command(async)]
pub fn migration_pick_file(window: Window) -> Result<Option<String>, Error> {
    Ok(ask_open(&window, "选择原平台导出的文件", SPREADSHEETS, false)?.pop().map(|p| p.display().to_string()))
}

/// Reads the file's headers and first rows.
#[tauri::command(async)]
pub fn migration_preview(state: State<'_, AppState>, kind: MigrationKind, path: String) -> CmdResult<MigrationFile> {
    as_user(&state, |s, _| {
        let preview = migration::preview(std::path::Path::new(path.trim()), kind)?;
        Ok(MigrationFile { path, preview, saved: migration::mappings(s, kind)? })
    })
}

/// Saves a column mapping by name and returns the mappings saved for its kind.
#[tauri::command(async)]
pub fn migration_save_mapping(state: State<'_, AppState>, mapping: Mapping) -> CmdResult<Vec<Mapping>> {
    as_user(&state, |s, a| {
        migration::save_mapping(s, a, &mapping)?;
        migration::mappings(s, mapping.kind)
    })
}

fn progress(app: &tauri::AppHandle) -> impl FnMut(MigrationPhase, u64, u64) + '_ {
    move |phase, done, total| {
        let _ = app.emit("migration-progress", MigrationProgress { phase, done: done as f64, total: total as f64 });
    }
}

/// Checks every row and reports; writes nothing.
#[tauri::command(async)]
pub fn migration_dry_run(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
    mapping: Mapping,
) -> CmdResult<MigrationReport> {
    let mut report = progress(&app);
    as_user(&state, |s, a| {
        migration::dry_run(
            s,
            a,
            std::path::Path::new(path.trim()),
            mapping.kind,
            &mapping,
            &Limits::default(),
            &mut report,
        )
    })
}

/// Imports the file, all or nothing.
#[tauri::command(async)]
pub fn migration_import(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    path: String,
    mapping: Mapping,
) -> CmdResult<MigrationReport> {
    let mut report = progress(&app);
    as_user(&state, |s, a| {
        migration::import(
            s,
            a,
            std::path::Path::new(path.trim()),
            mapping.kind,
            &mapping,
            &Limits::default(),
            &mut report,
        )
    })
}

/// The imports that entered records, newest first.
#[tauri::command(async)]
pub fn migration_batches(state: State<'_, AppState>) -> CmdResult<Vec<BatchView>> {
    as_user(&state, |s, _| migration::batches(s))
}
