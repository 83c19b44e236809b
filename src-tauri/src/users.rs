//! IPC commands of 账号管理, the administrator's screen for the office's accounts: list them, add
//! one with its posts, reset a password, grant or revoke a post, deactivate or reactivate. Each is
//! a thin call into `qingfeng_core::accounts` as the session's user; the core checks that the user
//! is the office's administrator and records every change (and every refusal) in the log. Granting
//! a post that reads reporters' identities (信访室, 分管领导) only asks for it: a second
//! administrator or a leader approves it here (`role_requests`, `role_request_decide`).

use qingfeng_core::accounts::{self, NewUser};
use qingfeng_core::api::{RoleRequestView, UserView};
use qingfeng_core::identity::Role;
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::error::CmdResult;
use crate::session::as_user;
use crate::state::AppState;

/// A new account as the form sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ts_rs::TS)]
pub struct NewUserForm {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
}

#[tauri::command(async)]
pub fn users_list(state: State<'_, AppState>) -> CmdResult<Vec<UserView>> {
    as_user(&state, accounts::list_users)
}

#[tauri::command(async)]
pub fn user_add(state: State<'_, AppState>, form: NewUserForm) -> CmdResult<UserView> {
    let new = NewUser {
        username: form.username.trim().to_owned(),
        display_name: form.display_name,
        password: form.password,
        roles: form.roles,
    };
    as_user(&state, |s, a| accounts::add_user(s, a, &new))
}

/// Grants (`granted`) or revokes a post.
#[tauri::command(async)]
pub fn user_set_role(state: State<'_, AppState>, username: String, role: Role, granted: bool) -> CmdResult<UserView> {
    as_user(&state, |s, a| accounts::set_role(s, a, &username, role, granted))
}

/// Deactivates (`active` false) or reactivates an account.
#[tauri::command(async)]
pub fn user_set_active(state: State<'_, AppState>, username: String, active: bool) -> CmdResult<UserView> {
    as_user(&state, |s, a| accounts::set_active(s, a, &username, active))
}

/// Sets a new password for an account (the administrator resets a forgotten one).
#[tauri::command(async)]
pub fn user_set_password(state: State<'_, AppState>, username: String, password: String) -> CmdResult<UserView> {
    as_user(&state, |s, a| {
        accounts::set_password(s, a, &username, &password)?;
        accounts::find_user(s, &username)
    })
}

/// Requests to grant a post that reads identities, pending first (administrators and leaders).
#[tauri::command(async)]
pub fn role_requests(state: State<'_, AppState>) -> CmdResult<Vec<RoleRequestView>> {
    as_user(&state, accounts::role_requests)
}

/// Approves or refuses such a request; a refusal needs `comment`.
#[tauri::command(async)]
pub fn role_request_decide(
    state: State<'_, AppState>,
    id: String,
    approve: bool,
    comment: String,
) -> CmdResult<RoleRequestView> {
    as_user(&state, |s, a| accounts::decide_role_request(s, a, &id, approve, &comment))
}
