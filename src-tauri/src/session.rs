//! The one place that locks the desktop's store and resolves who is using it: every command that
//! reads or changes the store goes through `with_store` (before login: setup, login, status) or
//! `as_user` (everything an officer does).

use std::sync::MutexGuard;

use qingfeng_core::accounts;
use qingfeng_core::authz::Actor;
use qingfeng_core::{CoreError, Store};

use crate::error::CmdResult;
use crate::state::{AppState, Inner};

impl AppState {
    /// The store and the session, locked. A command that panicked while holding the lock left
    /// nothing half-written (every change is one SQLite transaction), so a poisoned lock is taken
    /// over rather than bringing the window down.
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Runs `f` with the store and the session id, or reports why the store is not available.
pub fn with_store<T>(
    state: &AppState,
    f: impl FnOnce(&mut Store, &mut Option<String>) -> Result<T, CoreError>,
) -> CmdResult<T> {
    let mut guard = state.lock();
    let Inner { store, session_id } = &mut *guard;
    let store = store.as_mut().map_err(|e| e.clone())?;
    Ok(f(store, session_id)?)
}

/// Runs `f` as the logged-in user, and wakes the sync task when it recorded anything.
pub fn as_user<T>(state: &AppState, f: impl FnOnce(&mut Store, &Actor) -> Result<T, CoreError>) -> CmdResult<T> {
    let mut guard = state.lock();
    let Inner { store, session_id } = &mut *guard;
    let store = store.as_mut().map_err(|e| e.clone())?;
    let before = store.local_commits();
    let run = || {
        let session = session_id.as_deref().ok_or(CoreError::NoSession)?;
        let actor = Actor::User(accounts::principal(store, session)?);
        f(store, &actor)
    };
    let result = run();
    // New events (refusals are recorded too) should reach the hub soon; the sync task decides when.
    if store.local_commits() > before {
        state.local_work.notify_one();
    }
    Ok(result?)
}
