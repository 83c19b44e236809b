//! Integration tests of identity: first-run setup, login and lock-out, roles and permissions.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use qingfeng_core::accounts::{self, Channel, NewUser};
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::identity::{OfficeLevel, Role};
use qingfeng_core::{CoreError, settings};

#[test]
fn first_run_creates_the_office_and_an_administrator_who_is_logged_in() {
    let mut f = common::empty();
    assert!(!accounts::is_initialized(&f.store).unwrap());
    let s = accounts::setup_office(&mut f.store, &common::setup_request(), Channel::Desktop).unwrap();
    assert_eq!(s.office.code, "530102");
    assert_eq!(s.office.level, OfficeLevel::County);
    assert_eq!(s.user.username, "admin");
    assert_eq!(s.user.grants.iter().map(|g| g.role).collect::<Vec<_>>(), [Role::Admin]);
    let home = accounts::home(&f.store, &s.session_id).unwrap();
    assert_eq!(home.office.name, "五华区纪委监委");
    // A second setup is refused and changes nothing.
    let n = f.event_count();
    assert!(matches!(
        accounts::setup_office(&mut f.store, &common::setup_request(), Channel::Desktop),
        Err(CoreError::AlreadyInitialized)
    ));
    assert_eq!(f.event_count(), n);
}

#[test]
fn malformed_setup_input_is_refused_and_nothing_is_written() {
    let mut f = common::empty();
    type Mutation = Box<dyn Fn(&mut qingfeng_core::api::SetupRequest)>;
    let cases: Vec<(Mutation, &str)> = vec![
        (Box::new(|r| r.office_code = "53010".into()), "行政区划代码"),
        (Box::new(|r| r.office_code = "ab0102".into()), "行政区划代码"),
        (Box::new(|r| r.office_code = "530100".into()), "后两位不能为 00"),
        (Box::new(|r| r.parent_code = Some("520100".into())), "上级机关代码"),
        (Box::new(|r| r.admin_password = "short".into()), "至少 8 位"),
        (Box::new(|r| r.admin_username = "管理员".into()), "账号"),
        (Box::new(|r| r.office_name = "  ".into()), "机关名称"),
    ];
    for (mutate, expected) in cases {
        let mut req = common::setup_request();
        mutate(&mut req);
        let err = accounts::setup_office(&mut f.store, &req, Channel::Desktop).unwrap_err();
        assert!(matches!(err, CoreError::Invalid(_)), "{err:?}");
        assert!(err.to_string().contains(expected), "{err} should mention {expected}");
        assert_eq!(f.event_count(), 0);
        assert!(!accounts::is_initialized(&f.store).unwrap());
    }
}

#[test]
fn wrong_passwords_are_logged_and_lock_the_account_for_fifteen_minutes() {
    let mut f = common::initialized();
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap();
    let clock = Clock::manual(start);
    f.store.set_clock(clock.clone());
    for i in 1..=4u32 {
        let err = accounts::login(&mut f.store, "admin", "not-the-password", Channel::Desktop).unwrap_err();
        match err {
            CoreError::WrongPassword { failures, max_failures: 5, lock_minutes: 15 } => assert_eq!(failures, i),
            other => panic!("expected WrongPassword, got {other:?}"),
        }
    }
    let err = accounts::login(&mut f.store, "admin", "not-the-password", Channel::Desktop).unwrap_err();
    assert!(matches!(err, CoreError::Locked { .. }), "{err:?}");
    assert!(err.to_string().contains("2026-11-23 09:15"), "lock end shown in Beijing time: {err}");
    assert_eq!(f.count_kind("user.login_failed"), 5);

    // Locked: even the right password is refused, and that attempt is logged too.
    clock.advance(Duration::minutes(14));
    let err = accounts::login(&mut f.store, "admin", common::ADMIN_PASSWORD, Channel::Desktop).unwrap_err();
    assert!(matches!(err, CoreError::Locked { .. }), "{err:?}");
    assert_eq!(f.count_kind("user.login_failed"), 6);

    clock.advance(Duration::minutes(2));
    let s = accounts::login(&mut f.store, "admin", common::ADMIN_PASSWORD, Channel::Desktop).unwrap();
    assert_eq!(s.user.locked_until, None);
    assert!(f.store.verify().unwrap().ok);
}

#[test]
fn lock_out_policy_is_configurable() {
    let mut f = common::initialized();
    let admin = f.admin();
    settings::set(&mut f.store, &admin, "lockout.max_failures", "3").unwrap();
    assert!(
        settings::set(&mut f.store, &admin, "lockout.max_failures", "0").unwrap_err().to_string().contains("3 到 20")
    );
    for _ in 0..2 {
        let _ = accounts::login(&mut f.store, "admin", "nope-nope", Channel::Cli);
    }
    let err = accounts::login(&mut f.store, "admin", "nope-nope", Channel::Cli).unwrap_err();
    assert!(matches!(err, CoreError::Locked { .. }), "{err:?}");
}

#[test]
fn unknown_users_get_the_same_answer_and_the_attempt_is_logged() {
    let mut f = common::initialized();
    let err = accounts::login(&mut f.store, "nobody", "whatever1", Channel::Desktop).unwrap_err();
    assert!(matches!(err, CoreError::UnknownUser));
    assert!(err.to_string().starts_with("账号或密码不正确"));
    assert_eq!(f.count_kind("user.login_failed"), 1);
}

#[test]
fn a_department_officer_may_not_manage_accounts_and_the_refusal_is_recorded() {
    let mut f = common::initialized();
    let admin = f.admin();
    f.add_user(&admin, "xinfang", "王信访", "Xinfang#2026", Role::Petitions);
    let s = accounts::login(&mut f.store, "xinfang", "Xinfang#2026", Channel::Desktop).unwrap();
    let officer = Actor::User(accounts::principal(&f.store, &s.session_id).unwrap());
    let users_before = accounts::list_users(&mut f.store, &admin).unwrap().len();

    let err = accounts::add_user(
        &mut f.store,
        &officer,
        &NewUser {
            username: "mole".into(),
            display_name: "某人".into(),
            password: "Password#2026".into(),
            roles: vec![Role::Admin],
        },
    )
    .unwrap_err();
    assert!(matches!(err, CoreError::Forbidden { .. }), "{err:?}");
    assert!(err.to_string().contains("系统管理员"), "{err}");
    assert!(matches!(
        accounts::set_role(&mut f.store, &officer, "xinfang", Role::Admin, true),
        Err(CoreError::Forbidden { .. })
    ));
    assert!(matches!(accounts::list_users(&mut f.store, &officer), Err(CoreError::Forbidden { .. })));
    assert!(matches!(
        accounts::set_password(&mut f.store, &officer, "admin", "Takeover#2026"),
        Err(CoreError::Forbidden { .. })
    ));

    assert_eq!(accounts::list_users(&mut f.store, &admin).unwrap().len(), users_before);
    assert_eq!(f.count_kind("access.denied"), 4);
    // One's own password may be changed.
    accounts::set_password(&mut f.store, &officer, "xinfang", "NewPass#2026").unwrap();
    accounts::login(&mut f.store, "xinfang", "NewPass#2026", Channel::Cli).unwrap();
}

#[test]
fn a_failed_validation_inside_a_command_leaves_nothing_behind() {
    let mut f = common::initialized();
    let admin = f.admin();
    let n = f.event_count();
    let err = accounts::add_user(
        &mut f.store,
        &admin,
        &NewUser {
            username: "admin".into(),
            display_name: "重名".into(),
            password: "Password#2026".into(),
            roles: vec![],
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("已存在"));
    assert_eq!(f.event_count(), n);
    let err = accounts::set_role(&mut f.store, &admin, "admin", Role::Admin, false).unwrap_err();
    assert!(err.to_string().contains("最后一位系统管理员"));
    assert_eq!(f.event_count(), n);
}

#[test]
fn deactivated_accounts_cannot_log_in_and_logged_out_sessions_are_closed() {
    let mut f = common::initialized();
    let admin = f.admin();
    f.add_user(&admin, "shenli", "刘审理", "Shenli#2026", Role::Trial);
    let s = accounts::login(&mut f.store, "shenli", "Shenli#2026", Channel::Desktop).unwrap();
    accounts::logout(&mut f.store, &s.session_id).unwrap();
    assert!(matches!(accounts::home(&f.store, &s.session_id), Err(CoreError::NoSession)));
    accounts::set_active(&mut f.store, &admin, "shenli", false).unwrap();
    assert!(matches!(
        accounts::login(&mut f.store, "shenli", "Shenli#2026", Channel::Desktop),
        Err(CoreError::Inactive)
    ));
}

#[test]
fn calendar_updates_are_validated_then_change_answers() {
    use qingfeng_core::cal::{CalendarUpdate, Holiday, parse_date};
    let mut f = common::initialized();
    let admin = f.admin();
    let d = parse_date("2027-01-01").unwrap();
    assert!(f.store.calendar().is_working_day(d).unwrap().provisional);
    let bad = CalendarUpdate {
        year: 2027,
        days_off: vec![Holiday { date: parse_date("2026-12-31").unwrap(), name: "元旦".into() }],
        makeup_workdays: vec![],
        source: "test".into(),
    };
    let n = f.event_count();
    assert!(matches!(qingfeng_core::calendar::import_update(&mut f.store, &admin, &bad), Err(CoreError::Calendar(_))));
    assert_eq!(f.event_count(), n);
    let good = CalendarUpdate {
        year: 2027,
        days_off: vec![Holiday { date: d, name: "元旦".into() }],
        makeup_workdays: vec![],
        source: "test".into(),
    };
    qingfeng_core::calendar::import_update(&mut f.store, &admin, &good).unwrap();
    let a = f.store.calendar().is_working_day(d).unwrap();
    assert!(!a.value && !a.provisional);
    // The update survives a rebuild and a reopen.
    f.store.rebuild().unwrap();
    assert!(!f.store.calendar().is_working_day(d).unwrap().provisional);
}
