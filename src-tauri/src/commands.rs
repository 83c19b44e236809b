//! The IPC commands the web UI calls. Each one locks the state, calls the core, and maps errors.

use qingfeng_core::CoreError;
use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::api::{AppStatus, HomeView, LoginRequest, SessionView, SetupRequest};
use tauri::State;

use crate::error::{CmdResult, Error};
use crate::session::with_store;
use crate::state::AppState;

/// Whether first-run setup is needed, and which office this is.
#[tauri::command(async)]
pub fn app_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    with_store(&state, |store, _| {
        Ok(AppStatus {
            initialized: accounts::is_initialized(store)?,
            office: accounts::home_office(store)?,
            db_path: store.path().display().to_string(),
        })
    })
}

/// First run: creates the office and its administrator and logs the administrator in.
#[tauri::command(async)]
pub fn setup_office(state: State<'_, AppState>, req: SetupRequest) -> CmdResult<SessionView> {
    with_store(&state, |store, session| {
        let s = accounts::setup_office(store, &req, Channel::Desktop)?;
        *session = Some(s.session_id.clone());
        Ok(s)
    })
}

/// Logs in; the session is kept here, not in the web page.
#[tauri::command(async)]
pub fn login(state: State<'_, AppState>, req: LoginRequest) -> CmdResult<SessionView> {
    with_store(&state, |store, session| {
        if let Some(old) = session.take() {
            // A new login replaces the old session; ending it keeps the audit trail exact.
            let _ = accounts::logout(store, &old);
        }
        let s = accounts::login(store, &req.username, &req.password, Channel::Desktop)?;
        *session = Some(s.session_id.clone());
        Ok(s)
    })
}

/// Ends the session.
#[tauri::command(async)]
pub fn logout(state: State<'_, AppState>) -> CmdResult<()> {
    with_store(&state, |store, session| match session.take() {
        Some(id) => accounts::logout(store, &id),
        None => Ok(()),
    })
}

/// The home screen of the logged-in user.
#[tauri::command(async)]
pub fn home(state: State<'_, AppState>) -> CmdResult<HomeView> {
    with_store(&state, |store, session| {
        let id = session.as_deref().ok_or(CoreError::NoSession)?;
        accounts::home(store, id)
    })
}

/// Called by the UI once its first screen has rendered; records the moment for the start-up benchmark.
#[tauri::command(async)]
pub fn mark_ready(state: State<'_, AppState>) -> CmdResult<()> {
    if let Some(path) = &state.ready_file {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        std::fs::write(path, format!("{}\n", now.as_millis()))
            .map_err(|e| Error::io(format!("无法写入就绪标记：{e}")))?;
    }
    Ok(())
}
