//! Helpers shared by the core's integration tests: a fresh store on a temp dir with a key file.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod old_log;
pub mod replica;

use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::api::{SessionView, SetupRequest};
use qingfeng_core::authz::Actor;
use qingfeng_core::identity::OfficeLevel;
use qingfeng_core::{KeySource, Store};

pub const ADMIN_PASSWORD: &str = "Admin#2026pass";

#[derive(Debug)]
pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Store,
}

impl Fixture {
    pub fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("q.db")
    }

    pub fn keys(&self) -> KeySource {
        KeySource::File(self.dir.path().join("q.key"))
    }

    pub fn admin(&mut self) -> Actor {
        let s = accounts::login(&mut self.store, "admin", ADMIN_PASSWORD, Channel::Cli).unwrap();
        Actor::User(accounts::principal(&self.store, &s.session_id).unwrap())
    }

    /// Creates an account with one role, as the given administrator.
    pub fn add_user(
        &mut self,
        admin: &Actor,
        username: &str,
        display_name: &str,
        password: &str,
        role: qingfeng_core::identity::Role,
    ) {
        accounts::add_user(
            &mut self.store,
            admin,
            &accounts::NewUser {
                username: username.into(),
                display_name: display_name.into(),
                password: password.into(),
                roles: vec![role],
            },
        )
        .unwrap();
        approve_pending(&mut self.store, username);
    }

    pub fn event_count(&self) -> i64 {
        self.store.raw_connection_for_tests().query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap()
    }

    pub fn count_kind(&self, kind: &str) -> i64 {
        self.store
            .raw_connection_for_tests()
            .query_row("SELECT count(*) FROM events WHERE kind = ?1", [kind], |r| r.get(0))
            .unwrap()
    }
}

/// Creates an account `name` (password `Password#2026`) with `roles`, as `admin`, and signs it in.
pub fn officer_as(store: &mut Store, admin: &Actor, name: &str, roles: Vec<qingfeng_core::identity::Role>) -> Actor {
    let new = accounts::NewUser {
        username: name.into(),
        display_name: format!("{name}姓名"),
        password: "Password#2026".into(),
        roles,
    };
    accounts::add_user(store, admin, &new).unwrap();
    approve_pending(store, name);
    let s = accounts::login(store, name, "Password#2026", Channel::Cli).unwrap();
    Actor::User(accounts::principal(store, &s.session_id).unwrap())
}

/// The same with one role, signing the office's administrator in first.
pub fn officer(store: &mut Store, name: &str, role: qingfeng_core::identity::Role) -> Actor {
    let s = accounts::login(store, "admin", ADMIN_PASSWORD, Channel::Cli).unwrap();
    let admin = Actor::User(accounts::principal(store, &s.session_id).unwrap());
    officer_as(store, &admin, name, vec![role])
}

pub fn setup_request() -> SetupRequest {
    SetupRequest {
        office_code: "530102".into(),
        office_name: "五华区纪委监委".into(),
        office_level: OfficeLevel::County,
        parent_code: Some("530100".into()),
        admin_username: "admin".into(),
        admin_display_name: "张管理".into(),
        admin_password: ADMIN_PASSWORD.into(),
    }
}

/// An empty (not yet set up) store.
pub fn empty() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("q.db"), &KeySource::File(dir.path().join("q.key"))).unwrap();
    Fixture { dir, store }
}

/// A store with the office and its administrator set up (administrator logged out again).
pub fn initialized() -> Fixture {
    let mut f = empty();
    let s: SessionView = accounts::setup_office(&mut f.store, &setup_request(), Channel::Desktop).unwrap();
    accounts::logout(&mut f.store, &s.session_id).unwrap();
    f
}

/// Approves, as the program, the grants `add_user` left waiting for a second person (issue #14),
/// so that tests of other rules start with their officers in post.
pub fn approve_pending(store: &mut Store, username: &str) {
    for r in accounts::role_requests(store, &Actor::System).unwrap() {
        if r.status == "pending" && r.username == username {
            accounts::decide_role_request(store, &Actor::System, &r.id, true, "").unwrap();
        }
    }
}
