//! Sync with the provincial hub from the desktop: the status the sync screen shows, "sync now",
//! online enrollment, USB bundles, and the background task that syncs whenever the hub is
//! reachable. All protocol work is in `qingfeng-sync`; this file only adapts it to the window.

use std::path::PathBuf;
use std::time::Duration;

use qingfeng_core::complaints::{self, query::ConflictItem};
use qingfeng_core::replication::SyncStatus;
use qingfeng_core::{Store, ownership};
use qingfeng_sync::client::{self, BundleReport, Replica, SyncClient, SyncReport};
use qingfeng_sync::{Alg, SyncError};
use tauri::{Emitter, Manager, State};

use crate::error::{CmdResult, Error};
use crate::state::AppState;

/// How often the background task looks for work when nothing wakes it.
const IDLE_INTERVAL: Duration = Duration::from_secs(60);
/// How long after new local work the task waits, so a burst of steps leaves in one exchange.
const LOCAL_WORK_DEBOUNCE: Duration = Duration::from_secs(2);

impl Replica for AppState {
    fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> qingfeng_core::Result<R>) -> qingfeng_sync::Result<R> {
        let mut guard = self.lock();
        match &mut guard.store {
            Ok(store) => Ok(f(store)?),
            Err(e) => Err(SyncError::NotReady(e.message.clone())),
        }
    }
}

/// This device's signing key: of the algorithm its certificate names, or `fresh` for a device
/// not yet enrolled. Named by the store's own path, like the database key.
pub(crate) fn device_key(state: &AppState, fresh: Alg) -> qingfeng_sync::Result<qingfeng_sync::SecretKey> {
    let keys = state.keys.as_ref().ok_or_else(|| SyncError::NotReady("数据库未打开，不能同步。".into()))?;
    let (path, alg) = state.with_store(|s| Ok((s.path().to_owned(), client::key_alg(s, fresh))))?;
    client::device_key(keys, &path, alg?)
}

/// Only a signed-in user sees or starts sync; the session is checked in core.
fn require_session(state: &AppState) -> CmdResult<()> {
    crate::session::as_user(state, |_, _| Ok(()))
}

async fn run_once(state: &AppState) -> qingfeng_sync::Result<SyncReport> {
    let key = device_key(state, Alg::Ed25519)?;
    let client = state.with_store(|s| Ok(SyncClient::new(s, key, None)))??;
    let mut report = client.sync_once(state).await?;
    // A database restored from a backup still owes the hub what the device it replaced never sent.
    if let Some(keys) = &state.keys {
        let previous = qingfeng_sync::restore::send_previous_device(&client, state, keys).await?;
        report.uploaded_events += previous.events;
        report.rejections.extend(previous.stopped);
    }
    Ok(report)
}

/// The sync screen's numbers: pending events, last success, last error, conflicts.
#[tauri::command(async)]
pub fn sync_status(state: State<'_, AppState>) -> CmdResult<SyncStatus> {
    require_session(&state)?;
    state.with_store(|s| s.sync_status()).map_err(Into::into)
}

/// Syncs now and answers with what happened (the background task also wakes).
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> CmdResult<SyncReport> {
    require_session(&state)?;
    run_once(&state).await.map_err(Into::into)
}

/// Enrolls this device online with a one-time token from the hub's administrator.
#[tauri::command]
pub async fn sync_enroll(state: State<'_, AppState>, hub_url: String, token: String) -> CmdResult<SyncStatus> {
    require_session(&state)?;
    let hub_url = hub_url.trim().trim_end_matches('/').to_owned();
    if !(hub_url.starts_with("http://") || hub_url.starts_with("https://")) {
        return Err(Error::from(SyncError::NotReady(
            "平台地址应以 http:// 或 https:// 开头，例如 https://10.1.2.3:8443。".into(),
        )));
    }
    let key = device_key(&state, Alg::Ed25519)?;
    let request = state.with_store(|s| Ok(client::enrollment_request(s, &key, Some(token.trim()))))??;
    let issued = SyncClient::enroll(&hub_url, &request).await?;
    state.with_store(|s| Ok(client::install_certificate(s, &key, &issued, Some(&hub_url))))??;
    state.sync_wake.notify_one();
    state.with_store(|s| s.sync_status()).map_err(Into::into)
}

/// Writes an outbound bundle to `path` (a USB stick), reporting progress as `bundle-progress`.
#[tauri::command]
pub async fn bundle_export(app: tauri::AppHandle, state: State<'_, AppState>, path: String) -> CmdResult<BundleReport> {
    // The administrator's, recorded before anything is written (the record travels in the bundle).
    crate::session::as_user(&state, |s, a| {
        qingfeng_core::replication::authorize_bundle_exchange(s, a)?;
        if s.sync_config()?.is_none() {
            return Err(qingfeng_core::CoreError::invalid("本机尚未登记到省级平台，不能导出同步包。请先登记本机。"));
        }
        qingfeng_core::replication::record_bundle_export(s, a)
    })?;
    let out = PathBuf::from(path.trim());
    let key = device_key(&state, Alg::Ed25519)?;
    let partial = out.with_extension("part");
    let written = (|| {
        let file = qingfeng_core::files::create_private(&partial).map_err(|e| {
            SyncError::NotReady(format!("无法在 {} 写入文件：{e}。请检查U盘是否插好、是否可写。", out.display()))
        })?;
        let (file, report) = client::export_bundle(&*state, &key, std::io::BufWriter::new(file), |done, total| {
            let _ = app.emit("bundle-progress", (done, total));
        })?;
        let file = file.into_inner().map_err(|e| SyncError::Io(e.into_error()))?;
        file.sync_all()?;
        std::fs::rename(&partial, &out)?;
        Ok::<_, SyncError>(report)
    })();
    // Nothing half-written is left on the stick when the export fails.
    written
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })
        .map_err(Into::into)
}

/// Imports the hub's return bundle from `path`, reporting progress as `bundle-progress`.
#[tauri::command]
pub async fn bundle_import(app: tauri::AppHandle, state: State<'_, AppState>, path: String) -> CmdResult<BundleReport> {
    crate::session::as_user(&state, qingfeng_core::replication::authorize_bundle_exchange)?;
    let file = std::fs::File::open(path.trim())
        .map_err(|e| Error::from(SyncError::NotReady(format!("无法打开 {}：{e}。请确认文件位置。", path.trim()))))?;
    client::import_return_bundle(&*state, std::io::BufReader::new(file), |done, total| {
        let _ = app.emit("bundle-progress", (done, total));
    })
    .map_err(Into::into)
}

/// The background task: syncs when woken ("sync now", enrollment) and otherwise once a minute
/// when there is local work or the feed may have news; after a failure it waits with backoff and
/// jitter. It never holds the store across a network call, so officers keep working offline.
pub fn spawn_background(app: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let mut failures = 0u32;
        loop {
            let wait = if failures == 0 { IDLE_INTERVAL } else { client::backoff(failures) };
            // New local work wakes the task only while the link is healthy: after a failure the
            // backoff stands, so a busy officer offline does not turn every save into a retry.
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = state.sync_wake.notified() => {}
                () = state.local_work.notified(), if failures == 0 => {
                    // A burst of steps (register, then screen) leaves as one exchange.
                    tokio::time::sleep(LOCAL_WORK_DEBOUNCE).await;
                }
            }
            let enrolled = state.with_store(|s| s.sync_status()).map(|s| s.enrolled).unwrap_or(false);
            if !enrolled {
                continue;
            }
            match run_once(&state).await {
                Ok(_) => failures = 0,
                Err(_) => failures = failures.saturating_add(1),
            }
            let _ = app.emit("sync-changed", ());
        }
    });
}

/// Steps that arrived after their office had handed the case on, open ones first.
#[tauri::command(async)]
pub fn sync_conflicts(state: State<'_, AppState>) -> CmdResult<Vec<ConflictItem>> {
    crate::session::as_user(&state, complaints::query::conflicts)
}

/// Settles one conflict (a leader of the office handling the case): `adopted` when this office
/// has redone the step itself, `dismissed` when it is not taken up. Answers with the new list.
#[tauri::command(async)]
pub fn conflict_resolve(
    state: State<'_, AppState>,
    event_id: String,
    resolution: String,
    note: String,
) -> CmdResult<Vec<ConflictItem>> {
    crate::session::as_user(&state, |store, actor| {
        ownership::resolve_conflict(store, actor, &event_id, &resolution, &note)?;
        complaints::query::conflicts(store, actor)
    })
}
