//! Offices and accounts: first-run setup, users and roles, passwords, login with lock-out, logout,
//! and two people for the keys to identity: a post that reads reporters' identities (petitions,
//! leader) is granted only when a second administrator or a leader approves an administrator's
//! request (issue #14).

use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::api::{HomeView, OfficeView, RoleGrant, RoleRequestView, SessionView, SetupRequest, UserView};
use crate::authz::{Action, Actor, IDENTITY_ROLES, Principal};
use crate::clock::display_time;
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::identity::{self, OfficeLevel, Role};
use crate::projector::{
    LoggedIn, LoggedOut, LoginFailed, OfficeCreated, PasswordChanged, RoleChanged, RoleRequestDecided, RoleRequested,
    UserCreated, UserRef, kind,
};
use crate::settings;
use crate::store::{Decision, Store};

/// Where a login comes from, recorded with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Desktop,
    Cli,
}

impl Channel {
    fn as_str(self) -> &'static str {
        match self {
            Channel::Desktop => "desktop",
            Channel::Cli => "cli",
        }
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
}

/// Whether first-run setup has happened.
pub fn is_initialized(store: &Store) -> Result<bool> {
    Ok(home_office(store)?.is_some())
}

/// The office this replica serves.
pub fn home_office(store: &Store) -> Result<Option<OfficeView>> {
    match store.office_code() {
        Some(code) => office(store.conn(), code),
        None => Ok(None),
    }
}

fn office(conn: &Connection, code: &str) -> Result<Option<OfficeView>> {
    conn.query_row("SELECT code, name, level, parent_code FROM offices WHERE code = ?1", [code], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
    })
    .optional()?
    .map(|(code, name, level, parent_code)| {
        Ok(OfficeView { code, name, level: OfficeLevel::parse(&level)?, parent_code })
    })
    .transpose()
}

/// First run: creates the office and its administrator, then logs the administrator in.
pub fn setup_office(store: &mut Store, req: &SetupRequest, channel: Channel) -> Result<SessionView> {
    if is_initialized(store)? {
        return Err(CoreError::AlreadyInitialized);
    }
    let code = req.office_code.trim().to_owned();
    identity::validate_division_code(&code, req.office_level)?;
    let parent_code = req.parent_code.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned);
    if let Some(parent) = &parent_code {
        identity::validate_parent(&code, req.office_level, parent)?;
    }
    identity::validate_name("机关名称", &req.office_name)?;
    identity::validate_username(&req.admin_username)?;
    identity::validate_name("管理员姓名", &req.admin_display_name)?;
    identity::validate_password(&req.admin_password)?;
    let password_hash = identity::hash_password(&req.admin_password)?;
    let user_id = uuid::Uuid::now_v7().to_string();
    store.execute(&Actor::System, Action::SetupOffice, |tx, ctx| {
        ctx.origin_office = Some(code.clone());
        let sealing_keys = crate::sealing::new_office_keys(tx, &code, &ctx.now.to_rfc3339())?;
        Ok(Decision::events(vec![
            NewEvent::new(
                kind::OFFICE_CREATED,
                format!("office:{code}"),
                &OfficeCreated {
                    code: code.clone(),
                    name: req.office_name.trim().to_owned(),
                    level: req.office_level,
                    parent_code: parent_code.clone(),
                },
            )?,
            NewEvent::new(
                kind::USER_CREATED,
                format!("user:{user_id}"),
                &UserCreated {
                    user_id: user_id.clone(),
                    username: req.admin_username.clone(),
                    display_name: req.admin_display_name.trim().to_owned(),
                    office_code: code.clone(),
                    password_hash: password_hash.clone(),
                },
            )?,
            NewEvent::new(
                kind::USER_ROLE_GRANTED,
                format!("user:{user_id}"),
                &RoleChanged { user_id: user_id.clone(), office_code: code.clone(), role: Role::Admin },
            )?,
            // The office's public sealing keys, so that a reporter's identity can be sealed to it.
            sealing_keys,
        ]))
    })?;
    login(store, &req.admin_username, &req.admin_password, channel)
}

struct UserRow {
    id: String,
    username: String,
    display_name: String,
    office_code: String,
    password_hash: String,
    active: bool,
    failed_logins: u32,
    locked_until: Option<String>,
}

fn user_by_username(conn: &Connection, username: &str) -> Result<Option<UserRow>> {
    Ok(conn
        .query_row(
            "SELECT id, username, display_name, office_code, password_hash, active, failed_logins, locked_until
             FROM users WHERE username = ?1",
            [username],
            |r| {
                Ok(UserRow {
                    id: r.get(0)?,
                    username: r.get(1)?,
                    display_name: r.get(2)?,
                    office_code: r.get(3)?,
                    password_hash: r.get(4)?,
                    active: r.get(5)?,
                    failed_logins: r.get(6)?,
                    locked_until: r.get(7)?,
                })
            },
        )
        .optional()?)
}

fn grants(conn: &Connection, user_id: &str) -> Result<Vec<RoleGrant>> {
    let mut stmt = conn.prepare("SELECT office_code, role FROM user_roles WHERE user_id = ?1")?;
    let rows = stmt.query_map([user_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (office_code, role) = row?;
        out.push(RoleGrant { office_code, role: Role::parse(&role)? });
    }
    // Display order follows Role::ALL, so screens list roles the same way every time.
    out.sort();
    Ok(out)
}

fn pending_roles(conn: &Connection, user_id: &str) -> Result<Vec<Role>> {
    let mut stmt =
        conn.prepare_cached("SELECT role FROM role_requests WHERE user_id = ?1 AND status = 'pending' ORDER BY role")?;
    let rows = stmt.query_map([user_id], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for role in rows {
        out.push(Role::parse(&role?)?);
    }
    out.sort();
    Ok(out)
}

fn user_view(conn: &Connection, row: &UserRow) -> Result<UserView> {
    Ok(UserView {
        pending_roles: pending_roles(conn, &row.id)?,
        id: row.id.clone(),
        username: row.username.clone(),
        display_name: row.display_name.clone(),
        office_code: row.office_code.clone(),
        grants: grants(conn, &row.id)?,
        active: row.active,
        locked_until: row.locked_until.clone(),
    })
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

/// Checks a password and opens a session. Every failure is recorded as an event, and the
/// configured number of consecutive failures locks the account for the configured time.
pub fn login(store: &mut Store, username: &str, password: &str, channel: Channel) -> Result<SessionView> {
    if !is_initialized(store)? {
        return Err(CoreError::NotInitialized);
    }
    let username = username.trim();
    let policy = settings::lockout(store.conn())?;
    let user = user_by_username(store.conn(), username)?;
    // Hash the password even for unknown users, so timing does not reveal which accounts exist.
    let password_ok = match &user {
        Some(u) => identity::verify_password(password, &u.password_hash),
        None => {
            identity::verify_password(password, DUMMY_HASH);
            false
        }
    };
    let session_id = uuid::Uuid::now_v7().to_string();
    let now = store.clock().now();
    let username_owned = username.to_owned();
    store.execute(&Actor::Anonymous, Action::Authenticate, |_tx, _ctx| {
        let failed = |user_id: Option<String>, reason: &str, failures: u32, locked_until: Option<String>, err| {
            Ok(Decision {
                events: vec![NewEvent::new(
                    kind::USER_LOGIN_FAILED,
                    user_id.as_ref().map_or_else(|| format!("login:{username_owned}"), |id| format!("user:{id}")),
                    &LoginFailed {
                        username: username_owned.clone(),
                        user_id,
                        reason: reason.into(),
                        failures,
                        locked_until,
                    },
                )?],
                then_fail: Some(err),
            })
        };
        let Some(u) = &user else {
            return failed(None, "unknown_user", 0, None, CoreError::UnknownUser);
        };
        if let Some(until) = u.locked_until.as_deref().and_then(parse_time).filter(|t| *t > now) {
            return failed(
                Some(u.id.clone()),
                "locked",
                u.failed_logins,
                None,
                CoreError::Locked { until: display_time(until) },
            );
        }
        if !u.active {
            return failed(Some(u.id.clone()), "inactive", u.failed_logins, None, CoreError::Inactive);
        }
        if !password_ok {
            // A lock that has expired starts a fresh count.
            let expired = u.locked_until.as_deref().and_then(parse_time).is_some_and(|t| t <= now);
            let failures = if expired { 1 } else { u.failed_logins + 1 };
            if failures >= policy.max_failures {
                let until = now + Duration::minutes(i64::from(policy.lock_minutes));
                return failed(
                    Some(u.id.clone()),
                    "wrong_password",
                    failures,
                    Some(until.to_rfc3339()),
                    CoreError::Locked { until: display_time(until) },
                );
            }
            return failed(
                Some(u.id.clone()),
                "wrong_password",
                failures,
                None,
                CoreError::WrongPassword {
                    failures,
                    max_failures: policy.max_failures,
                    lock_minutes: policy.lock_minutes,
                },
            );
        }
        Ok(Decision::events(vec![NewEvent::new(
            kind::USER_LOGGED_IN,
            format!("user:{}", u.id),
            &LoggedIn { user_id: u.id.clone(), session_id: session_id.clone(), channel: channel.as_str().into() },
        )?]))
    })?;
    session(store, &session_id)
}

/// A valid Argon2id hash of a random string, verified against when the user does not exist.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$W0hgRnaTX7chFzEhVXHiqPZKz0CtxiGaVjD/PYUe0Ek";

/// The session's view, or `NoSession` if it has ended or never existed.
pub fn session(store: &Store, session_id: &str) -> Result<SessionView> {
    let principal = principal(store, session_id)?;
    let row = user_by_username(store.conn(), &principal.username)?
        .ok_or(CoreError::NotFound { what: "用户", id: principal.username.clone() })?;
    let user = user_view(store.conn(), &row)?;
    let office = office(store.conn(), &user.office_code)?
        .ok_or(CoreError::NotFound { what: "机关", id: user.office_code.clone() })?;
    Ok(SessionView { session_id: session_id.to_owned(), user, office })
}

/// The acting user behind an open session.
pub fn principal(store: &Store, session_id: &str) -> Result<Principal> {
    let conn = store.conn();
    let found = conn
        .query_row(
            "SELECT u.id, u.username, u.display_name, u.office_code, u.active
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.id = ?1 AND s.ended_at IS NULL",
            [session_id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            },
        )
        .optional()?;
    match found {
        Some((user_id, username, display_name, office_code, true)) => Ok(Principal {
            grants: grants(conn, &user_id)?,
            user_id,
            username,
            display_name,
            office_code,
            session_id: session_id.to_owned(),
        }),
        Some((.., false)) => Err(CoreError::Inactive),
        None => Err(CoreError::NoSession),
    }
}

/// Ends a session.
pub fn logout(store: &mut Store, session_id: &str) -> Result<()> {
    let p = principal(store, session_id)?;
    store.execute(&Actor::User(p.clone()), Action::Authenticate, |_tx, _ctx| {
        Ok(Decision::events(vec![NewEvent::new(
            kind::USER_LOGGED_OUT,
            format!("user:{}", p.user_id),
            &LoggedOut { user_id: p.user_id.clone(), session_id: p.session_id.clone() },
        )?]))
    })?;
    Ok(())
}

/// The home screen for a session.
pub fn home(store: &Store, session_id: &str) -> Result<HomeView> {
    let s = session(store, session_id)?;
    Ok(HomeView { today: crate::calendar::today(store)?, office: s.office, user: s.user })
}

fn user_id_in_office(tx: &Transaction<'_>, username: &str) -> Result<(String, String)> {
    tx.query_row("SELECT id, office_code FROM users WHERE username = ?1", [username], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "用户", id: username.to_owned() })
}

/// Creates an account in the actor's office with the given roles (administrators only).
pub fn add_user(store: &mut Store, actor: &Actor, new: &NewUser) -> Result<UserView> {
    let office = store.office()?;
    identity::validate_username(&new.username)?;
    identity::validate_name("姓名", &new.display_name)?;
    identity::validate_password(&new.password)?;
    let user_id = uuid::Uuid::now_v7().to_string();
    let password_hash = identity::hash_password(&new.password)?;
    store.execute(actor, Action::ManageUsers { office: office.clone() }, |tx, _ctx| {
        if user_by_username(tx, &new.username)?.is_some() {
            return Err(CoreError::invalid(format!("账号“{}”已存在，请换一个账号名。", new.username)));
        }
        let mut events = vec![NewEvent::new(
            kind::USER_CREATED,
            format!("user:{user_id}"),
            &UserCreated {
                user_id: user_id.clone(),
                username: new.username.clone(),
                display_name: new.display_name.trim().to_owned(),
                office_code: office.clone(),
                password_hash: password_hash.clone(),
            },
        )?];
        let mut roles = new.roles.clone();
        roles.sort();
        roles.dedup();
        for role in roles {
            // A post that reads identities waits for a second person's approval.
            events.push(if needs_second_approval(actor, role) {
                request_event(&user_id, &office, role)?
            } else {
                NewEvent::new(
                    kind::USER_ROLE_GRANTED,
                    format!("user:{user_id}"),
                    &RoleChanged { user_id: user_id.clone(), office_code: office.clone(), role },
                )?
            });
        }
        Ok(Decision::events(events))
    })?;
    find_user(store, &new.username)
}

/// Whether granting `role` by `actor` needs a second person: posts that read identities do,
/// except when the program itself grants them (first-run setup, the demonstration office).
fn needs_second_approval(actor: &Actor, role: Role) -> bool {
    IDENTITY_ROLES.contains(&role) && !matches!(actor, Actor::System)
}

fn request_event(user_id: &str, office: &str, role: Role) -> Result<NewEvent> {
    Ok(NewEvent::new(
        kind::USER_ROLE_REQUESTED,
        format!("user:{user_id}"),
        &RoleRequested {
            request_id: uuid::Uuid::now_v7().to_string(),
            user_id: user_id.to_owned(),
            office_code: office.to_owned(),
            role,
        },
    )?)
}

/// Grants or revokes a role in the actor's office (administrators only). Granting a post that
/// reads identities only files the request ([`request_role`]): the returned view lists it among
/// `pending_roles` until another administrator or a leader approves it.
pub fn set_role(store: &mut Store, actor: &Actor, username: &str, role: Role, granted: bool) -> Result<UserView> {
    if granted && needs_second_approval(actor, role) {
        let has = find_user(store, username)?.grants.iter().any(|g| g.role == role);
        if !has {
            request_role(store, actor, username, role)?;
        }
        return find_user(store, username);
    }
    let office = store.office()?;
    store.execute(actor, Action::ManageUsers { office: office.clone() }, |tx, _ctx| {
        let (user_id, _) = user_id_in_office(tx, username)?;
        let has = grants(tx, &user_id)?.iter().any(|g| g.office_code == office && g.role == role);
        if has == granted {
            return Ok(Decision::default());
        }
        if !granted && role == Role::Admin && admin_count(tx, &office)? <= 1 {
            return Err(CoreError::invalid(
                "不能撤销最后一位系统管理员的角色，否则将无人能管理账号。请先授予另一位用户系统管理员角色。",
            ));
        }
        let kind = if granted { kind::USER_ROLE_GRANTED } else { kind::USER_ROLE_REVOKED };
        Ok(Decision::events(vec![NewEvent::new(
            kind,
            format!("user:{user_id}"),
            &RoleChanged { user_id: user_id.clone(), office_code: office.clone(), role },
        )?]))
    })?;
    find_user(store, username)
}

fn admin_count(conn: &Connection, office: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM user_roles r JOIN users u ON u.id = r.user_id
         WHERE r.office_code = ?1 AND r.role = 'admin' AND u.active = 1",
        [office],
        |r| r.get(0),
    )?)
}

/// Deactivates or reactivates an account (administrators only). Deactivated users cannot log in.
pub fn set_active(store: &mut Store, actor: &Actor, username: &str, active: bool) -> Result<UserView> {
    let office = store.office()?;
    store.execute(actor, Action::ManageUsers { office: office.clone() }, |tx, _ctx| {
        let (user_id, _) = user_id_in_office(tx, username)?;
        if let Actor::User(p) = actor
            && p.user_id == user_id
            && !active
        {
            return Err(CoreError::invalid("不能停用自己正在使用的账号。"));
        }
        let kind = if active { kind::USER_REACTIVATED } else { kind::USER_DEACTIVATED };
        Ok(Decision::events(vec![NewEvent::new(
            kind,
            format!("user:{user_id}"),
            &UserRef { user_id: user_id.clone() },
        )?]))
    })?;
    find_user(store, username)
}

/// Sets a password: one's own, or (for an administrator) anyone's in the office.
pub fn set_password(store: &mut Store, actor: &Actor, username: &str, new_password: &str) -> Result<()> {
    identity::validate_password(new_password)?;
    let office = store.office()?;
    let target = user_by_username(store.conn(), username)?
        .ok_or_else(|| CoreError::NotFound { what: "用户", id: username.to_owned() })?;
    let password_hash = identity::hash_password(new_password)?;
    store.execute(actor, Action::SetPassword { office, target_user_id: target.id.clone() }, |_tx, _ctx| {
        Ok(Decision::events(vec![NewEvent::new(
            kind::USER_PASSWORD_CHANGED,
            format!("user:{}", target.id),
            &PasswordChanged { user_id: target.id.clone(), password_hash: password_hash.clone() },
        )?]))
    })?;
    Ok(())
}

/// One account.
pub fn find_user(store: &Store, username: &str) -> Result<UserView> {
    let row = user_by_username(store.conn(), username)?
        .ok_or_else(|| CoreError::NotFound { what: "用户", id: username.to_owned() })?;
    user_view(store.conn(), &row)
}

/// The office's accounts (administrators only; the check is the same as for any front end).
pub fn list_users(store: &mut Store, actor: &Actor) -> Result<Vec<UserView>> {
    let office = store.office()?;
    // Run the check through `execute` so that a refusal is recorded like any other.
    store.execute(actor, Action::ViewUsers { office }, |_tx, _ctx| Ok(Decision::default()))?;
    let mut stmt = store.conn().prepare("SELECT username FROM users ORDER BY created_at, username")?;
    let names: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    names.iter().map(|n| find_user(store, n)).collect()
}

const SELECT_REQUEST: &str =
    "SELECT q.id, u.username, u.display_name, q.role, coalesce(a.display_name, q.requested_by),
        q.requested_at, q.status, coalesce(d.display_name, q.decided_by), q.decided_at, q.comment, q.user_id,
        q.requested_by, q.office_code
    FROM role_requests q JOIN users u ON u.id = q.user_id
    LEFT JOIN users a ON a.id = q.requested_by LEFT JOIN users d ON d.id = q.decided_by";

/// A request as stored, with the ids the decision checks.
struct RequestRow {
    view: RoleRequestView,
    user_id: String,
    requested_by: String,
    office_code: String,
}

fn request_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(RoleRequestView, String, String, String, String)> {
    let role: String = r.get(3)?;
    Ok((
        RoleRequestView {
            id: r.get(0)?,
            username: r.get(1)?,
            display_name: r.get(2)?,
            role: Role::Admin,
            requested_by: r.get(4)?,
            requested_at: crate::clock::display_stored(&r.get::<_, String>(5)?),
            status: r.get(6)?,
            decided_by: r.get(7)?,
            decided_at: r.get::<_, Option<String>>(8)?.map(|t| crate::clock::display_stored(&t)),
            comment: r.get(9)?,
        },
        role,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
    ))
}

fn to_request(row: (RoleRequestView, String, String, String, String)) -> Result<RequestRow> {
    let (mut view, role, user_id, requested_by, office_code) = row;
    view.role = Role::parse(&role)?;
    Ok(RequestRow { view, user_id, requested_by, office_code })
}

fn request_by_id(conn: &Connection, id: &str) -> Result<RequestRow> {
    let row = conn
        .query_row(&format!("{SELECT_REQUEST} WHERE q.id = ?1"), [id], request_row)
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "授权申请", id: id.to_owned() })?;
    to_request(row)
}

/// Asks to grant `role`, a post that reads reporters' identities, to `username` (administrators).
/// The request is recorded as `user.role_requested`; the role is granted only when another
/// administrator or a leader approves it with [`decide_role_request`].
pub fn request_role(store: &mut Store, actor: &Actor, username: &str, role: Role) -> Result<RoleRequestView> {
    let office = store.office()?;
    if !IDENTITY_ROLES.contains(&role) {
        return Err(CoreError::invalid(format!("“{}”角色不需要第二人批准，请直接授予。", role.label())));
    }
    let events = store.execute(actor, Action::ManageUsers { office: office.clone() }, |tx, _ctx| {
        let (user_id, _) = user_id_in_office(tx, username)?;
        if grants(tx, &user_id)?.iter().any(|g| g.office_code == office && g.role == role) {
            return Err(CoreError::invalid(format!("{username} 已有“{}”角色。", role.label())));
        }
        if pending_roles(tx, &user_id)?.contains(&role) {
            return Err(CoreError::invalid(format!(
                "已经为 {username} 申请过“{}”角色，正在等待另一位系统管理员或分管领导批准。",
                role.label()
            )));
        }
        Ok(Decision::events(vec![request_event(&user_id, &office, role)?]))
    })?;
    let id = events
        .first()
        .and_then(|e| e.payload::<RoleRequested>().ok())
        .map(|p| p.request_id)
        .ok_or_else(|| CoreError::Encoding("role request recorded no event".into()))?;
    Ok(request_by_id(store.conn(), &id)?.view)
}

/// Approves or refuses a request to grant a post that reads identities: another administrator or
/// a leader, never the administrator who asked nor the person the post is for. A refusal needs a
/// reason. Both the decision and (when approved) the grant are recorded, in one transaction.
pub fn decide_role_request(
    store: &mut Store,
    actor: &Actor,
    request_id: &str,
    approve: bool,
    comment: &str,
) -> Result<RoleRequestView> {
    let office = store.office()?;
    let comment = comment.trim().to_owned();
    crate::input::check_characters("审批意见", &comment)?;
    store.execute(actor, Action::DecideRoleRequest { office: office.clone() }, |tx, _ctx| {
        let req = request_by_id(tx, request_id)?;
        if req.office_code != office {
            return Err(CoreError::invalid("该授权申请属于其他机关，须由该机关审批。"));
        }
        if req.view.status != "pending" {
            return Err(CoreError::invalid("该授权申请已经审批过了。"));
        }
        if actor.id() == req.requested_by {
            return Err(CoreError::invalid("提出授权申请的管理员不能自己批准。请由另一位系统管理员或分管领导审批。"));
        }
        if actor.id() == req.user_id {
            return Err(CoreError::invalid("不能审批授予自己的岗位。请由另一位系统管理员或分管领导审批。"));
        }
        if !approve && comment.is_empty() {
            return Err(CoreError::invalid("不同意时请填写审批意见，说明理由。"));
        }
        let user = format!("user:{}", req.user_id);
        let mut events = vec![NewEvent::new(
            kind::USER_ROLE_REQUEST_DECIDED,
            user.clone(),
            &RoleRequestDecided { request_id: request_id.to_owned(), approved: approve, comment: comment.clone() },
        )?];
        if approve {
            events.push(NewEvent::new(
                kind::USER_ROLE_GRANTED,
                user,
                &RoleChanged { user_id: req.user_id.clone(), office_code: office.clone(), role: req.view.role },
            )?);
        }
        Ok(Decision::events(events))
    })?;
    Ok(request_by_id(store.conn(), request_id)?.view)
}

/// The office's requests to grant posts that read identities, pending first, then the most
/// recent decisions (administrators and leaders).
pub fn role_requests(store: &mut Store, actor: &Actor) -> Result<Vec<RoleRequestView>> {
    let office = store.office()?;
    store.execute(actor, Action::DecideRoleRequest { office: office.clone() }, |_tx, _ctx| Ok(Decision::default()))?;
    let mut stmt = store.conn().prepare(&format!(
        "{SELECT_REQUEST} WHERE q.office_code = ?1 ORDER BY q.status <> 'pending', q.requested_at DESC, q.id LIMIT 500"
    ))?;
    let rows = stmt.query_map([&office], request_row)?;
    rows.map(|r| to_request(r?).map(|q| q.view)).collect()
}
