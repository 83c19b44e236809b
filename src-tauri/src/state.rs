//! The desktop program's state: the open store (or why it could not be opened) and the session.

use std::path::PathBuf;
use std::sync::Mutex;

use qingfeng_core::api::ErrorView;
use qingfeng_core::{KeySource, Store};

/// What the window's commands share. One store per program; the mutex serialises access, which
/// SQLite would do anyway for writes, and keeps the session and the store consistent.
#[derive(Debug)]
pub struct AppState {
    pub inner: Mutex<Inner>,
    /// Written when the first screen has rendered (`QINGFENG_READY_FILE`), for the start-up benchmark.
    pub ready_file: Option<PathBuf>,
    /// Where the database's keys are kept: the device's signing key for sync lives beside the
    /// database key.
    pub keys: Option<KeySource>,
    /// Wakes the background sync task at once ("sync now", enrollment).
    pub sync_wake: tokio::sync::Notify,
    /// Wakes it after new local work, unless it is backing off after failures.
    pub local_work: tokio::sync::Notify,
}

#[derive(Debug)]
pub struct Inner {
    /// The store, or the error that kept it closed (shown to the user instead of a crash).
    pub store: Result<Store, ErrorView>,
    pub session_id: Option<String>,
}

impl AppState {
    /// Opens the database named by the environment, creating it on first run.
    ///
    /// `QINGFENG_DB` names the file (default: the platform's data directory); the key comes from
    /// `QINGFENG_KEY_FILE` (a 0600 key file) or `QINGFENG_KEY_STORE`, else the desktop keyring.
    pub fn from_env() -> Self {
        let db_path = db_path_from_env();
        let keys = match (std::env::var_os("QINGFENG_KEY_FILE"), std::env::var("QINGFENG_KEY_STORE")) {
            (Some(file), _) => Ok(KeySource::File(PathBuf::from(file))),
            (None, Ok(spec)) => KeySource::parse(&spec),
            (None, Err(_)) => Ok(KeySource::SecretService),
        };
        let (store, keys) = match keys {
            Ok(k) => (Store::open_or_create(&db_path, &k).map_err(|e| e.view()), Some(k)),
            Err(e) => (Err(e.view()), None),
        };
        AppState {
            inner: Mutex::new(Inner { store, session_id: None }),
            ready_file: std::env::var_os("QINGFENG_READY_FILE").map(PathBuf::from),
            keys,
            sync_wake: tokio::sync::Notify::new(),
            local_work: tokio::sync::Notify::new(),
        }
    }
}

/// The database file: `QINGFENG_DB`, else the platform's data directory.
pub fn db_path_from_env() -> PathBuf {
    std::env::var_os("QINGFENG_DB").map(PathBuf::from).unwrap_or_else(qingfeng_core::paths::default_db_path)
}
