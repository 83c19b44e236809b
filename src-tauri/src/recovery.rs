//! Backups and recovery from the desktop: the recovery code shown once after set-up (with its
//! page to print), the administrator's 备份与恢复 screen, scheduled backups while the program
//! runs, and the start-up paths for a machine whose keyring or disk was lost (unlock with the
//! code, restore from a backup, restore from the hub). All rules are in `qingfeng_core::recovery`
//! and `qingfeng_sync::restore`; this file adapts them to the window.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use qingfeng_core::api::ErrorView;
use qingfeng_core::authz::{Action, Actor, RecoveryAct, authorize};
use qingfeng_core::recovery::backup::{self, BackupReport, ListedBackup, Progress};
use qingfeng_core::recovery::restore::{self, RestorePreview, RestoreReport, RestoreRequest};
use qingfeng_core::recovery::{self, RecoveryCode, RecoveryStatus, envelope};
use qingfeng_core::{CoreError, KeySource, Store, accounts, settings};
use qingfeng_sync::restore::{HubRestoreReport, HubRestoreRequest};
use serde::{Deserialize, Serialize};
use tauri::{Emitter, Manager, State};

use crate::error::{CmdResult, Error};
use crate::session::as_user;
use crate::state::{AppState, db_path_from_env};

/// How often the scheduler looks whether a backup is due (it is due every
/// `backup.interval_hours`; this only bounds how late it starts).
const SCHEDULE_CHECK: Duration = Duration::from_secs(10 * 60);
/// The first look after start, so a machine switched on each morning backs up early.
const FIRST_CHECK: Duration = Duration::from_secs(90);

/// The recovery page of a code just made, kept in memory only until the administrator has
/// printed or saved it and moved on; the code itself is never stored.
#[derive(Debug, Default)]
pub struct PendingSheet(Mutex<Option<Vec<u8>>>);

/// A code just made, as the screen shows it once.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct RecoveryCodeView {
    pub groups: Vec<String>,
    pub key_number: String,
    /// The recovery page as PNG images (base64), or none when the page could not be rendered
    /// (then `sheet_error` says why, and the groups must be copied by hand).
    pub pages: Vec<String>,
    pub sheet_error: Option<String>,
}

/// What the first screen needs to know about the database before anyone logs in.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct StartupView {
    /// The store is open.
    pub open: bool,
    /// The office has been set up.
    pub initialized: bool,
    /// The database exists but its key is not in the key store (the keyring was lost).
    pub key_missing: bool,
    /// A key envelope lies beside the database, so the recovery code can open it.
    pub envelope: bool,
    /// Why the store could not be opened, in Chinese.
    pub problem: Option<String>,
}

/// The administrator's backup settings.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
pub struct BackupSettings {
    /// This machine's backup folder (may be on a USB drive).
    pub dir: String,
    pub keep: u32,
    pub interval_hours: u32,
    pub warn_days: u32,
}

fn invalid(message: impl Into<String>) -> Error {
    Error::invalid(message)
}

fn keys(state: &AppState) -> CmdResult<KeySource> {
    state.keys.clone().ok_or_else(|| invalid("密钥存储设置有误，请检查环境变量 QINGFENG_KEY_STORE。"))
}

/// Runs `f` as the signed-in administrator.
fn as_admin<T>(state: &AppState, f: impl FnOnce(&mut Store, &Actor) -> Result<T, CoreError>) -> CmdResult<T> {
    as_user(state, |s, a| {
        authorize(a, &Action::Recovery { office: s.office()?, act: RecoveryAct::Backup })?;
        f(s, a)
    })
}

fn png_pages(pdf: &[u8]) -> Result<Vec<String>, String> {
    use base64::Engine as _;
    let pages = qingfeng_documents::pages::png_pages(pdf, 110).map_err(|e| e.to_string())?;
    Ok(pages.iter().map(|p| base64::engine::general_purpose::STANDARD.encode(p)).collect())
}

/// Renders the page of a code just made and keeps it for printing or saving.
fn code_view(store: &Store, code: &RecoveryCode, made_by: &str, pending: &PendingSheet) -> RecoveryCodeView {
    let key_id = code.key_pair().key_id();
    let sheet = accounts::home_office(store).ok().flatten().map(|office| qingfeng_notice::RecoverySheet {
        office_name: office.name,
        office_code: office.code,
        groups: code.groups().to_vec(),
        key_id: key_id.clone(),
        created: qingfeng_core::clock::display_time(store.clock().now()),
        created_by: made_by.to_owned(),
    });
    let rendered = sheet
        .ok_or_else(|| "本机关尚未建立".to_owned())
        .and_then(|sheet| {
            let fonts = qingfeng_notice::FontSet::discover().map_err(|e| e.to_string())?;
            qingfeng_notice::render_recovery_sheet(&fonts, &sheet).map_err(|e| e.to_string())
        })
        .and_then(|pdf| Ok((png_pages(&pdf)?, pdf)));
    let (pages, sheet_error) = match rendered {
        Ok((pages, pdf)) => {
            *pending.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(pdf);
            (pages, None)
        }
        Err(e) => (Vec::new(), Some(format!("恢复页未能生成（{e}），请务必手工抄写上面的九组数字。"))),
    };
    RecoveryCodeView {
        groups: code.groups().to_vec(),
        key_number: qingfeng_notice::recovery::key_number(&key_id),
        pages,
        sheet_error,
    }
}

/// Whether the office has a recovery code and when the last good backup was made.
#[tauri::command(async)]
pub fn recovery_status(state: State<'_, AppState>) -> CmdResult<RecoveryStatus> {
    as_user(&state, |s, a| {
        authorize(a, &Action::Recovery { office: s.office()?, act: RecoveryAct::View })?;
        recovery::status(s)
    })
}

/// Makes the office's recovery code (after set-up, or for a database without one), or replaces
/// it; shows it once with its page.
#[tauri::command(async)]
pub fn recovery_make(
    state: State<'_, AppState>,
    pending: State<'_, PendingSheet>,
    replace: bool,
) -> CmdResult<RecoveryCodeView> {
    let keys = keys(&state)?;
    as_user(&state, |s, a| {
        let code = if replace { recovery::replace_key(s, a, &keys)? } else { recovery::create_key(s, a, &keys)? };
        let made_by = match a {
            Actor::User(p) => p.display_name.clone(),
            _ => String::new(),
        };
        Ok(code_view(s, &code, &made_by, &pending))
    })
}

/// The page just made, for the administrator who made it (the page opens every backup).
fn pending_pdf(state: &AppState, pending: &PendingSheet) -> CmdResult<Vec<u8>> {
    as_user(state, |s, a| authorize(a, &Action::Recovery { office: s.office()?, act: RecoveryAct::ManageKey }))?;
    pending
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .ok_or_else(|| invalid("恢复页只在生成恢复码时提供一次，现在已经不能再打印。如未保存，请更换恢复码。"))
}

/// Prints the recovery page just made.
#[tauri::command(async)]
pub fn recovery_sheet_print(
    state: State<'_, AppState>,
    pending: State<'_, PendingSheet>,
    printer: Option<String>,
) -> CmdResult<String> {
    let pdf = pending_pdf(&state, &pending)?;
    let job = qingfeng_documents::print::Cups::system().print_bytes(&pdf, printer.as_deref(), "清风恢复页")?;
    Ok(job.job_id.unwrap_or_default())
}

/// Saves the recovery page just made as a PDF readable only by this user, in Downloads.
#[tauri::command(async)]
pub fn recovery_sheet_save(state: State<'_, AppState>, pending: State<'_, PendingSheet>) -> CmdResult<String> {
    let pdf = pending_pdf(&state, &pending)?;
    let dir = directories::UserDirs::new()
        .and_then(|u| u.download_dir().map(std::path::Path::to_path_buf).or_else(|| Some(u.home_dir().to_path_buf())))
        .unwrap_or_else(std::env::temp_dir);
    let io = |e: std::io::Error| Error::io(format!("无法保存到 {}：{e}", dir.display()));
    std::fs::create_dir_all(&dir).map_err(io)?;
    let stamp = chrono::Utc::now().with_timezone(&qingfeng_core::clock::business_zone()).format("%Y%m%d-%H%M%S");
    let path = dir.join(format!("清风恢复页-{stamp}.pdf"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The page opens every backup: only this user may read it.
        options.mode(0o600);
    }
    let mut file = options.open(&path).map_err(io)?;
    std::io::Write::write_all(&mut file, &pdf).map_err(io)?;
    Ok(path.display().to_string())
}

/// The administrator has put the page away: forget it.
#[tauri::command(async)]
pub fn recovery_sheet_forget(pending: State<'_, PendingSheet>) {
    if let Some(mut pdf) = pending.0.lock().unwrap_or_else(|p| p.into_inner()).take() {
        pdf.iter_mut().for_each(|b| *b = 0);
    }
}

/// Saves the backup folder and the office's backup settings.
#[tauri::command(async)]
pub fn backup_settings_save(state: State<'_, AppState>, req: BackupSettings) -> CmdResult<RecoveryStatus> {
    as_admin(&state, |s, a| {
        let dir = req.dir.trim();
        if dir.is_empty() {
            return Err(CoreError::invalid("请填写备份位置（一个文件夹，可以在U盘上）。"));
        }
        recovery::set_backup_dir(s, a, std::path::Path::new(dir))?;
        let now = recovery::status(s)?;
        for (key, value, current) in [
            (recovery::setting::KEEP, req.keep, now.keep),
            (recovery::setting::INTERVAL_HOURS, req.interval_hours, now.interval_hours),
            (recovery::setting::WARN_DAYS, req.warn_days, now.warn_days),
        ] {
            // Only changes are recorded: each is an event in the office's log.
            if value != current {
                settings::set(s, a, key, &value.to_string())?;
            }
        }
        recovery::status(s)
    })
}

/// One backup: the store is held only to prepare and to record it, not while writing, so
/// officers keep working. Progress goes out as `backup-progress`.
fn backup_once(app: &tauri::AppHandle, state: &AppState, actor: &Actor) -> CmdResult<BackupReport> {
    let keys = keys(state)?;
    let with = |f: &mut dyn FnMut(&mut Store) -> Result<(), CoreError>| -> CmdResult<()> {
        let mut guard = state.lock();
        let store = guard.store.as_mut().map_err(|e| e.clone())?;
        Ok(f(store)?)
    };
    let mut job = None;
    with(&mut |s| {
        backup::note_attempt(s)?;
        envelope::refresh(s, &keys)?;
        job = Some(backup::prepare(s, &keys, None)?);
        Ok(())
    })
    .inspect_err(|e| note_failure(state, e))?;
    let Some(job) = job else { return Err(invalid("备份未能开始。")) };
    let written = job
        .write(|p: Progress| {
            let _ = app.emit("backup-progress", p);
        })
        .map_err(Error::from)
        .inspect_err(|e| note_failure(state, e))?;
    let mut report = None;
    with(&mut |s| {
        report = Some(backup::record(s, actor, &written)?);
        Ok(())
    })?;
    report.ok_or_else(|| invalid("备份未能记录。"))
}

fn note_failure(state: &AppState, e: &Error) {
    let mut guard = state.lock();
    if let Ok(store) = guard.store.as_mut() {
        let _ = backup::note_failure(store, &CoreError::invalid(e.view().message));
    }
}

/// Backs up now (administrator), to the chosen folder.
#[tauri::command]
pub async fn backup_now(app: tauri::AppHandle, state: State<'_, AppState>) -> CmdResult<BackupReport> {
    let actor = as_admin(&state, |_, a| Ok(a.clone()))?;
    let app2 = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app2.state::<AppState>();
        backup_once(&app2, &state, &actor)
    })
    .await
    .map_err(|e| invalid(format!("备份任务异常结束：{e}")))?
}

/// This office's backups in the chosen folder, newest first.
#[tauri::command(async)]
pub fn backup_list(state: State<'_, AppState>) -> CmdResult<Vec<ListedBackup>> {
    as_admin(&state, |s, _| match recovery::status(s)?.backup_dir {
        Some(dir) => backup::list(std::path::Path::new(&dir), &s.office()?),
        None => Ok(Vec::new()),
    })
}

/// Backs up on the schedule while the program runs: whenever the interval has passed and a
/// folder is chosen. A failure (the USB drive not plugged in) is noted for the administrator's
/// screen and tried again at the next look.
pub fn spawn_scheduler(app: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FIRST_CHECK).await;
        loop {
            let due = {
                let state = app.state::<AppState>();
                let guard = state.lock();
                guard.store.as_ref().ok().and_then(|s| recovery::status(s).ok()).is_some_and(|s| s.due && s.has_code)
            };
            if due {
                let app2 = app.clone();
                let _ = tauri::async_runtime::spawn_blocking(move || {
                    let state = app2.state::<AppState>();
                    backup_once(&app2, &state, &Actor::System)
                })
                .await;
            }
            tokio::time::sleep(SCHEDULE_CHECK).await;
        }
    });
}

// ---- before anyone can log in: a lost keyring or a new machine ----

/// What the first screen needs: whether the database opened, is set up, or lacks its key.
#[tauri::command(async)]
pub fn startup_state(state: State<'_, AppState>) -> StartupView {
    let guard = state.lock();
    let db = db_path_from_env();
    let envelope = envelope::path_for(&std::path::absolute(&db).unwrap_or(db.clone())).exists();
    match &guard.store {
        Ok(store) => StartupView {
            open: true,
            initialized: accounts::is_initialized(store).unwrap_or(false),
            key_missing: false,
            envelope,
            problem: None,
        },
        Err(e) => StartupView {
            open: false,
            initialized: false,
            key_missing: e.code == "key_missing",
            envelope,
            problem: Some(e.message.clone()),
        },
    }
}

/// A restore may run without a login when nothing is there to protect (no office yet, or a
/// database nobody can open); over a working office's database only its administrator may.
fn may_restore_without_login(state: &AppState) -> CmdResult<()> {
    let set_up = {
        let guard = state.lock();
        match &guard.store {
            Ok(store) => accounts::is_initialized(store)?,
            Err(_) => false,
        }
    };
    if set_up { as_admin(state, |_, _| Ok(())) } else { Ok(()) }
}

/// Closes the store (a restore replaces its file), runs `f`, and opens the database again.
fn with_store_closed<T>(state: &AppState, f: impl FnOnce(&PathBuf, &KeySource) -> CmdResult<T>) -> CmdResult<T> {
    let keys = keys(state)?;
    let db = db_path_from_env();
    let mut guard = state.lock();
    guard.session_id = None;
    guard.store = Err(ErrorView { code: "restoring".into(), message: "正在恢复数据，请稍候。".into() });
    let result = f(&db, &keys);
    guard.store = Store::open(&db, &keys).map_err(|e| e.view());
    result
}

fn parse_code(code: &str) -> CmdResult<RecoveryCode> {
    Ok(RecoveryCode::parse(code)?)
}

/// Opens the database whose keyring was lost with the recovery code, and puts its keys back.
#[tauri::command(async)]
pub fn recovery_unlock(state: State<'_, AppState>, code: String) -> CmdResult<()> {
    let code = parse_code(&code)?;
    let keys = keys(&state)?;
    let db = db_path_from_env();
    envelope::unlock(&db, &keys, &code)?;
    let mut guard = state.lock();
    guard.store = Store::open(&db, &keys).map_err(|e| e.view());
    guard.store.as_ref().map(|_| ()).map_err(|e| Error::from(e.clone()))
}

/// Checks a backup with the code and says what restoring it would do. Changes nothing.
#[tauri::command]
pub async fn restore_preview(
    app: tauri::AppHandle,
    file: String,
    code: String,
    office: Option<String>,
) -> CmdResult<RestorePreview> {
    let code = parse_code(&code)?;
    let app2 = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app2.state::<AppState>();
        let keys = keys(&state)?;
        let db = db_path_from_env();
        let file = PathBuf::from(file.trim());
        let office = office.as_deref().map(str::trim).filter(|o| !o.is_empty());
        let req = RestoreRequest { backup: &file, code: &code, db: &db, keys: &keys, office, confirmed: false };
        restore::preview(&req, |p| {
            let _ = app2.emit("restore-progress", p);
        })
        .map_err(Error::from)
    })
    .await
    .map_err(|e| invalid(format!("恢复任务异常结束：{e}")))?
}

/// Restores from a backup (with confirmation when a database is there), as a new device.
#[tauri::command]
pub async fn restore_backup(
    app: tauri::AppHandle,
    file: String,
    code: String,
    office: Option<String>,
    confirmed: bool,
) -> CmdResult<RestoreReport> {
    let code = parse_code(&code)?;
    may_restore_without_login(&app.state::<AppState>())?;
    let app2 = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app2.state::<AppState>();
        with_store_closed(&state, |db, keys| {
            let file = PathBuf::from(file.trim());
            let office = office.as_deref().map(str::trim).filter(|o| !o.is_empty());
            let req = RestoreRequest { backup: &file, code: &code, db, keys, office, confirmed };
            restore::restore(&req, |p| {
                let _ = app2.emit("restore-progress", p);
            })
            .map_err(Error::from)
        })
    })
    .await
    .map_err(|e| invalid(format!("恢复任务异常结束：{e}")))?
}

/// What a restore from the hub cannot bring back, said before it starts.
#[tauri::command(async)]
pub fn restore_hub_notice() -> String {
    qingfeng_sync::restore::what_is_lost().to_owned()
}

/// A new machine: enroll with the hub's token and restore the office from the hub's copy.
#[tauri::command]
pub async fn restore_hub(
    app: tauri::AppHandle,
    hub_url: String,
    token: String,
    office: String,
    code: Option<String>,
) -> CmdResult<HubRestoreReport> {
    let hub_url = hub_url.trim().trim_end_matches('/').to_owned();
    if !(hub_url.starts_with("http://") || hub_url.starts_with("https://")) {
        return Err(invalid("平台地址应以 http:// 或 https:// 开头，例如 https://10.1.2.3:8443。"));
    }
    // Checked before the token is used: a mistyped code is caught here, not after enrolling.
    let code = code.filter(|c| !c.trim().is_empty()).map(|c| parse_code(&c)).transpose()?;
    let state = app.state::<AppState>();
    may_restore_without_login(&state)?;
    let keys = keys(&state)?;
    let db = db_path_from_env();
    {
        let mut guard = state.lock();
        guard.session_id = None;
        guard.store = Err(ErrorView { code: "restoring".into(), message: "正在恢复数据，请稍候。".into() });
    }
    let req = HubRestoreRequest {
        hub_url: &hub_url,
        token: &token,
        office_code: &office,
        db: &db,
        keys: &keys,
        alg: qingfeng_sync::Alg::Ed25519,
        code: code.as_ref(),
    };
    let app2 = app.clone();
    let result = qingfeng_sync::restore::restore_from_hub(&req, move |p| {
        let _ = app2.emit("restore-progress", p);
    })
    .await
    .map_err(|e| match e {
        // A core error met during a restore keeps the core's code, unlike one met while syncing.
        qingfeng_sync::SyncError::Core(core) => Error::Core(core),
        other => Error::Sync(other),
    });
    let mut guard = state.lock();
    guard.store = Store::open(&db, &keys).map_err(|e| e.view());
    if result.is_ok() {
        state.sync_wake.notify_one();
    }
    result
}
