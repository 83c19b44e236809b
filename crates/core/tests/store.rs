//! Integration tests of the encrypted store: opening, keys, migrations, the log, verify and rebuild.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use qingfeng_core::accounts::{self, Channel, NewUser};
use qingfeng_core::identity::Role;
use qingfeng_core::{CoreError, KeySource, Store};
use sha2::{Digest, Sha256};

fn file_hash(path: &std::path::Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn fresh_database_schema_matches_snapshot() {
    let f = common::empty();
    insta::assert_snapshot!("schema", f.store.schema_sql().unwrap());
}

#[test]
fn database_file_is_encrypted_and_private() {
    let f = common::initialized();
    let bytes = std::fs::read(f.db()).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"), "an SQLCipher file has no plaintext header");
    assert!(!bytes.windows("五华区".len()).any(|w| w == "五华区".as_bytes()), "office name must not appear in clear");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(f.db()).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(f.dir.path().join("q.key")).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[test]
fn reopening_with_the_same_key_file_sees_the_same_data() {
    let f = common::initialized();
    let (db, keys) = (f.db(), f.keys());
    drop(f.store);
    let store = Store::open(&db, &keys).unwrap();
    assert_eq!(accounts::home_office(&store).unwrap().unwrap().name, "五华区纪委监委");
}

#[test]
fn wrong_key_is_refused_clearly_and_the_file_is_untouched() {
    let f = common::initialized();
    let db = f.db();
    drop(f.store);
    let before = file_hash(&db);
    let other = f.dir.path().join("other.key");
    std::fs::write(&other, "11".repeat(32)).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let err = Store::open(&db, &KeySource::File(other)).unwrap_err();
    assert!(matches!(err, CoreError::WrongKeyOrCorrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("密钥不正确"));
    assert_eq!(file_hash(&db), before);
}

#[test]
fn missing_database_is_reported_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(&dir.path().join("none.db"), &KeySource::File(dir.path().join("k"))).unwrap_err();
    assert!(matches!(err, CoreError::DatabaseMissing { .. }));
    assert!(err.to_string().contains("qingfeng init"));
    assert!(!dir.path().join("none.db").exists(), "opening must not create a file");
}

#[test]
fn corrupted_database_is_refused_and_left_as_it_was() {
    let f = common::initialized();
    let (db, keys) = (f.db(), f.keys());
    drop(f.store);
    let _ = std::fs::remove_file(db.with_extension("db-wal"));
    let mut bytes = std::fs::read(&db).unwrap();
    for b in bytes.iter_mut().take(4096) {
        *b ^= 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let before = file_hash(&db);
    let err = Store::open(&db, &keys).unwrap_err();
    assert!(matches!(err, CoreError::WrongKeyOrCorrupt { .. }), "{err:?}");
    assert_eq!(file_hash(&db), before);

    std::fs::write(&db, b"").unwrap();
    assert!(matches!(Store::open(&db, &keys).unwrap_err(), CoreError::WrongKeyOrCorrupt { .. }));
}

#[test]
fn world_readable_key_file_is_refused() {
    let f = common::initialized();
    let (db, keys) = (f.db(), f.keys());
    drop(f.store);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(f.dir.path().join("q.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = Store::open(&db, &keys).unwrap_err();
        assert!(err.to_string().contains("chmod 600"), "{err}");
    }
}

#[test]
fn creating_over_an_existing_database_is_refused() {
    let f = common::initialized();
    let err = Store::create(&f.db(), &f.keys()).unwrap_err();
    assert!(matches!(err, CoreError::DatabaseExists { .. }));
}

#[test]
fn an_edited_migration_is_detected_at_open() {
    let f = common::initialized();
    let (db, keys) = (f.db(), f.keys());
    f.store
        .raw_connection_for_tests()
        .execute("UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1", [])
        .unwrap();
    drop(f.store);
    let err = Store::open(&db, &keys).unwrap_err();
    assert!(matches!(err, CoreError::SchemaMismatch { .. }), "{err:?}");
}

#[test]
fn every_change_is_an_event_on_one_contiguous_chain() {
    let mut f = common::initialized();
    let admin = f.admin();
    f.add_user(&admin, "shenli", "周审理", "Shenli#2026", Role::Trial);
    let report = f.store.verify().unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.chains.len(), 1);
    let kinds: Vec<String> = f.store.recent_events(100).unwrap().into_iter().rev().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            "office.created",
            "user.created",
            "officer.named",
            "user.role_granted",
            "office.sealing_keys",
            "user.logged_in",
            "user.logged_out",
            "user.logged_in",
            "user.created",
            "officer.named",
            "user.role_granted"
        ]
    );
    assert_eq!(report.events, 11);
    assert_eq!(report.chains[0].head_seq, 11);
}

#[test]
fn events_table_refuses_updates_and_deletes() {
    let f = common::initialized();
    let conn = f.store.raw_connection_for_tests();
    assert!(conn.execute("UPDATE events SET actor = 'x'", []).is_err());
    assert!(conn.execute("DELETE FROM events", []).is_err());
    assert!(f.store.verify().unwrap().ok);
}

/// Drops the append-only triggers, as an attacker holding the key could.
fn disarm(f: &common::Fixture) {
    f.store
        .raw_connection_for_tests()
        .execute_batch("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
        .unwrap();
}

#[test]
fn verify_names_an_altered_event() {
    let f = common::initialized();
    disarm(&f);
    let conn = f.store.raw_connection_for_tests();
    let id: String = conn.query_row("SELECT id FROM events WHERE seq = 2", [], |r| r.get(0)).unwrap();
    conn.execute("UPDATE events SET actor = 'someone-else' WHERE seq = 2", []).unwrap();
    let report = f.store.verify().unwrap();
    let p = report.problem.expect("tampering must be found");
    assert_eq!((p.seq, p.event_id.as_str()), (2, id.as_str()));
    assert!(p.reason.contains("内容与哈希不符"), "{}", p.reason);
}

#[test]
fn verify_names_the_gap_left_by_a_deleted_event() {
    let f = common::initialized();
    disarm(&f);
    f.store.raw_connection_for_tests().execute("DELETE FROM events WHERE seq = 3", []).unwrap();
    let p = f.store.verify().unwrap().problem.expect("deletion must be found");
    assert_eq!(p.seq, 4);
    assert!(p.reason.contains("序号不连续"), "{}", p.reason);
}

#[test]
fn verify_detects_reordered_events() {
    let f = common::initialized();
    disarm(&f);
    // Swap the sequence numbers of events 2 and 3, via a free number to respect UNIQUE.
    f.store
        .raw_connection_for_tests()
        .execute_batch(
            "UPDATE events SET seq = 1000 WHERE seq = 2; UPDATE events SET seq = 2 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 1000;",
        )
        .unwrap();
    let p = f.store.verify().unwrap().problem.expect("reordering must be found");
    assert_eq!(p.seq, 2);
}

#[test]
fn verify_detects_a_removed_tail_only_by_count_but_a_replaced_hash_by_chain() {
    let f = common::initialized();
    disarm(&f);
    // Re-hashing one event without fixing its successor breaks the successor's `prev` link.
    f.store.raw_connection_for_tests().execute("UPDATE events SET hash = zeroblob(32) WHERE seq = 1", []).unwrap();
    let p = f.store.verify().unwrap().problem.expect("a replaced hash must be found");
    assert_eq!(p.seq, 1);
}

#[test]
fn rebuild_reproduces_the_live_projections_exactly() {
    let mut f = common::initialized();
    let admin = f.admin();
    for (name, role) in [("xinfang", Role::Petitions), ("shenli", Role::Trial), ("lingdao", Role::Leader)] {
        accounts::add_user(
            &mut f.store,
            &admin,
            &NewUser {
                username: name.into(),
                display_name: format!("{name}姓名"),
                password: "Password#2026".into(),
                roles: vec![role],
            },
        )
        .unwrap();
    }
    accounts::set_role(&mut f.store, &admin, "xinfang", Role::CaseManagement, true).unwrap();
    accounts::set_role(&mut f.store, &admin, "shenli", Role::Trial, false).unwrap();
    accounts::set_active(&mut f.store, &admin, "lingdao", false).unwrap();
    let _ = accounts::login(&mut f.store, "xinfang", "wrong-password", Channel::Cli);
    qingfeng_core::settings::set(&mut f.store, &admin, "lockout.minutes", "30").unwrap();

    let live = f.store.projection_dump().unwrap();
    assert!(live.contains("xinfang") && live.contains("lockout.minutes"));
    let report = f.store.rebuild().unwrap();
    assert_eq!(report.events as i64, f.event_count());
    assert_eq!(f.store.projection_dump().unwrap(), live);

    // And from scratch: wipe the projections by hand, then rebuild.
    f.store
        .raw_connection_for_tests()
        .execute_batch(
            "PRAGMA foreign_keys = OFF; DELETE FROM user_roles; DELETE FROM users; PRAGMA foreign_keys = ON;",
        )
        .unwrap();
    assert_ne!(f.store.projection_dump().unwrap(), live);
    f.store.rebuild().unwrap();
    assert_eq!(f.store.projection_dump().unwrap(), live);
}
