//! A demonstration office with one account per post, for trying the program and for its tests.

use crate::accounts::{self, Channel, NewUser};
use crate::api::SetupRequest;
use crate::authz::Actor;
use crate::error::Result;
use crate::identity::{OfficeLevel, Role};
use crate::store::Store;

/// The password of every demo account. Demo databases are for practice, never for real cases.
pub const DEMO_PASSWORD: &str = "qingfeng2026";

/// A seeded account, so its credentials can be shown to the person trying the program.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    pub password: &'static str,
}

const ACCOUNTS: &[(&str, &str, Role)] = &[
    ("xinfang", "王信访", Role::Petitions),
    ("jiancha", "李监督", Role::Supervision),
    ("diaocha", "赵审查", Role::Investigation),
    ("anguan", "陈案管", Role::CaseManagement),
    ("shenli", "刘审理", Role::Trial),
    ("lingdao", "周领导", Role::Leader),
];

/// The demo accounts, administrator first, for showing the credentials of an existing demo database.
pub fn accounts() -> Vec<DemoAccount> {
    let admin =
        DemoAccount { username: "admin", display_name: "张管理", role: Role::Admin, password: DEMO_PASSWORD };
    std::iter::once(admin)
        .chain(ACCOUNTS.iter().map(|(username, display_name, role)| DemoAccount {
            username,
            display_name,
            role: *role,
            password: DEMO_PASSWORD,
        }))
        .collect()
}

/// Sets up a demo county office and its accounts in an empty store.
pub fn seed(store: &mut Store) -> Result<Vec<DemoAccount>> {
    let session = accounts::setup_office(
        store,
        &SetupRequest {
            office_code: "530102".into(),
            office_name: "五华区纪委监委（演示）".into(),
            office_level: OfficeLevel::County,
            parent_code: Some("530100".into()),
            admin_username: "admin".into(),
            admin_display_name: "张管理".into(),
            admin_password: DEMO_PASSWORD.into(),
        },
        Channel::Cli,
    )?;
    let admin = Actor::User(accounts::principal(store, &session.session_id)?);
    let mut out =
        vec![DemoAccount { username: "admin", display_name: "张管理", role: Role::Admin, password: DEMO_PASSWORD }];
    for (username, display_name, role) in ACCOUNTS {
        accounts::add_user(
            store,
            &admin,
            &NewUser {
                username: (*username).into(),
                display_name: (*display_name).into(),
                password: DEMO_PASSWORD.into(),
                roles: vec![*role],
            },
        )?;
        out.push(DemoAccount { username, display_name, role: *role, password: DEMO_PASSWORD });
    }
    accounts::logout(store, &session.session_id)?;
    Ok(out)
}
