//! Two people for the keys to identity (issue #14): a post that reads reporters' identities
//! (petitions, leader) is granted only when a second administrator or a leader approves an
//! administrator's request, never by the requester or the grantee; both are recorded.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use qingfeng_core::accounts::{self, Channel, NewUser};
use qingfeng_core::authz::Actor;
use qingfeng_core::complaints::{ComplaintChannel, RegisterComplaint, Reporter, Subject, ops};
use qingfeng_core::identity::Role;
use qingfeng_core::projector::kind;

fn login(store: &mut qingfeng_core::Store, name: &str, password: &str) -> Actor {
    let s = accounts::login(store, name, password, Channel::Cli).unwrap();
    Actor::User(accounts::principal(store, &s.session_id).unwrap())
}

fn kinds_since(f: &common::Fixture, n: usize) -> Vec<(String, String)> {
    let mut all: Vec<_> = f.store.recent_events(10_000).unwrap().into_iter().rev().map(|e| (e.kind, e.actor)).collect();
    all.split_off(n)
}

#[test]
fn an_administrator_alone_cannot_take_or_give_a_post_that_reads_identities() {
    let mut f = common::initialized();
    let admin = f.admin();
    let admin_id = admin.id().to_owned();

    // Granting itself the petitions post only files a request; it reads no identity meanwhile.
    let view = accounts::set_role(&mut f.store, &admin, "admin", Role::Petitions, true).unwrap();
    assert_eq!(view.pending_roles, [Role::Petitions]);
    assert!(!view.grants.iter().any(|g| g.role == Role::Petitions));
    let admin = login(&mut f.store, "admin", common::ADMIN_PASSWORD);
    let request = accounts::role_requests(&mut f.store, &admin).unwrap().remove(0);
    let err = accounts::decide_role_request(&mut f.store, &admin, &request.id, true, "").unwrap_err();
    assert!(err.to_string().contains("不能自己批准"), "{err}");

    // A new account created with the petitions post waits as well.
    let new = NewUser {
        username: "xinfang".into(),
        display_name: "王信访".into(),
        password: "Xinfang#2026".into(),
        roles: vec![Role::Petitions, Role::Trial],
    };
    let created = accounts::add_user(&mut f.store, &admin, &new).unwrap();
    assert_eq!(created.pending_roles, [Role::Petitions]);
    assert_eq!(created.grants.iter().map(|g| g.role).collect::<Vec<_>>(), [Role::Trial]);
    let xinfang = login(&mut f.store, "xinfang", "Xinfang#2026");
    let form = RegisterComplaint {
        channel: ComplaintChannel::Letter,
        received_at: "2026-09-28".into(),
        reporter: Some(Reporter { name: "某人".into(), unit: None, contact: "13800000000".into(), address: None }),
        real_name: true,
        real_name_verified: None,
        summary: "反映问题".into(),
        content: "内容。".into(),
        categories: vec![],
        subjects: vec![Subject {
            name: "王某".into(), post: String::new(), unit: String::new(), level: String::new()
        }],
        repeat_of: None,
    };
    assert!(ops::register(&mut f.store, &xinfang, &form).is_err(), "no petitions post before approval");
    // The grantee may not approve its own grant, nor may a post without the right to decide.
    let requests = accounts::role_requests(&mut f.store, &admin).unwrap();
    let for_xinfang = requests.iter().find(|r| r.username == "xinfang").unwrap().id.clone();
    assert!(accounts::decide_role_request(&mut f.store, &xinfang, &for_xinfang, true, "").is_err());

    // A second administrator approves: both steps are recorded, and the post is granted.
    let second = NewUser {
        username: "admin2".into(),
        display_name: "李管理".into(),
        password: "Admin2#2026pass".into(),
        roles: vec![Role::Admin],
    };
    accounts::add_user(&mut f.store, &admin, &second).unwrap();
    let admin2 = login(&mut f.store, "admin2", "Admin2#2026pass");
    let before = f.store.recent_events(10_000).unwrap().len();
    let decided = accounts::decide_role_request(&mut f.store, &admin2, &for_xinfang, true, "同意").unwrap();
    assert_eq!(decided.status, "approved");
    assert_eq!(decided.decided_by.as_deref(), Some("李管理"));
    let recorded = kinds_since(&f, before);
    assert_eq!(
        recorded,
        [
            (kind::USER_ROLE_REQUEST_DECIDED.to_owned(), admin2.id().to_owned()),
            (kind::USER_ROLE_GRANTED.to_owned(), admin2.id().to_owned())
        ]
    );
    let requested =
        f.store.recent_events(10_000).unwrap().into_iter().find(|e| e.kind == kind::USER_ROLE_REQUESTED).unwrap();
    assert_eq!(requested.actor, admin_id, "the request is recorded as the first administrator's");
    assert!(accounts::find_user(&f.store, "xinfang").unwrap().grants.iter().any(|g| g.role == Role::Petitions));
    // Decided once only.
    assert!(accounts::decide_role_request(&mut f.store, &admin2, &for_xinfang, false, "不同意").is_err());

    let dump = f.store.projection_dump().unwrap();
    f.store.rebuild().unwrap();
    assert_eq!(f.store.projection_dump().unwrap(), dump);
}

#[test]
fn a_leader_approves_or_refuses_with_a_reason() {
    let mut f = common::initialized();
    let admin = f.admin();
    // The first leader of an office is approved by the program here (tests' helper); from then
    // on the leader decides.
    let leader = common::officer_as(&mut f.store, &admin, "lingdao", vec![Role::Leader]);
    for name in ["xinfang", "xinfang2"] {
        let new = NewUser {
            username: name.into(),
            display_name: format!("{name}姓名"),
            password: "Xinfang#2026".into(),
            roles: vec![Role::Petitions],
        };
        accounts::add_user(&mut f.store, &admin, &new).unwrap();
    }
    let requests = accounts::role_requests(&mut f.store, &leader).unwrap();
    let id_of = |name: &str| requests.iter().find(|r| r.username == name).unwrap().id.clone();
    let err = accounts::decide_role_request(&mut f.store, &leader, &id_of("xinfang2"), false, " ").unwrap_err();
    assert!(err.to_string().contains("理由"), "{err}");
    let refused = accounts::decide_role_request(&mut f.store, &leader, &id_of("xinfang2"), false, "岗位已满").unwrap();
    assert_eq!((refused.status.as_str(), refused.comment.as_deref()), ("refused", Some("岗位已满")));
    accounts::decide_role_request(&mut f.store, &leader, &id_of("xinfang"), true, "").unwrap();
    assert!(accounts::find_user(&f.store, "xinfang").unwrap().grants.iter().any(|g| g.role == Role::Petitions));
    assert!(accounts::find_user(&f.store, "xinfang2").unwrap().grants.is_empty());
    assert!(accounts::find_user(&f.store, "xinfang2").unwrap().pending_roles.is_empty());
    // A supervision officer may neither list nor decide requests.
    let jiancha = common::officer_as(&mut f.store, &admin, "jiancha", vec![Role::Supervision]);
    assert!(accounts::role_requests(&mut f.store, &jiancha).is_err());
}
