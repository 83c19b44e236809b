//! A lost key is not lost work: the recovery code, the key envelope, encrypted backups and
//! restores, with every bad input refused in Chinese and nothing changed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use qingfeng_core::accounts::{self, Channel};
use qingfeng_core::authz::Actor;
use qingfeng_core::clock::Clock;
use qingfeng_core::complaints::query::{self, ComplaintFilter};
use qingfeng_core::recovery::restore::{self, RestoreRequest};
use qingfeng_core::recovery::{self, RecoveryCode, backup, envelope};
use qingfeng_core::{CoreError, KeySource, Store, sealing, settings};
use qingfeng_demo as demo;
use rand::{Rng, SeedableRng};

fn code_of(err: &CoreError) -> &str {
    err.code()
}

/// Every file under `dir` with its SHA-256: what "nothing changed" compares.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.to_string_lossy().ends_with("-shm") {
                // `-shm` is SQLite's shared-memory index of the WAL, rewritten by any reader.
                out.insert(p.clone(), qingfeng_core::encoding::sha256_hex(&std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

/// An office with its recovery code and some work; returns the fixture, the admin and the code.
fn office_with_code() -> (common::Fixture, Actor, RecoveryCode) {
    let mut f = common::initialized();
    let admin = f.admin();
    let keys = f.keys();
    let code = recovery::create_key(&mut f.store, &admin, &keys).unwrap();
    for i in 0..5 {
        f.add_user(
            &admin,
            &format!("user{i}"),
            &format!("王{i}"),
            "Password#2026",
            qingfeng_core::identity::Role::Petitions,
        );
    }
    (f, admin, code)
}

fn backup_to(f: &mut common::Fixture, actor: &Actor, dir: &Path) -> backup::BackupReport {
    let keys = f.keys();
    backup::run(&mut f.store, &keys, actor, Some(dir), |_| {}).unwrap()
}

#[test]
fn a_machine_wiped_is_restored_from_the_code_and_a_backup() {
    let (mut f, admin, code) = office_with_code();
    let usb = tempfile::tempdir().unwrap();
    let report = backup_to(&mut f, &admin, usb.path());
    let file = PathBuf::from(&report.file);
    assert!(file.file_name().unwrap().to_string_lossy().starts_with("清风备份-530102-"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Encrypted: no account name from the log is in the file (only the header names the office).
    let bytes = std::fs::read(&file).unwrap();
    for needle in ["王3", "张管理", "user.created", "SQLite format"] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} in clear in the backup");
    }
    let status = recovery::status(&f.store).unwrap();
    assert_eq!(status.last_backup.as_ref().unwrap().backup_id, report.backup_id);
    assert!(status.warning.is_none());
    let original_device = f.store.device_id().to_owned();
    let sealing_before: Vec<String> =
        sealing::secret_keys(&f.store).unwrap().iter().map(|k| k.public_key().key_id()).collect();
    let users_before = accounts::list_users(&mut f.store, &admin).unwrap().len();

    // A new machine: nothing but the USB stick and the code.
    let machine = tempfile::tempdir().unwrap();
    let db = machine.path().join("restored.db");
    let keys = KeySource::File(machine.path().join("restored.key"));
    let typed = RecoveryCode::parse(&code.groups().join(" ")).unwrap();
    let req =
        RestoreRequest { backup: &file, code: &typed, db: &db, keys: &keys, office: Some("530102"), confirmed: false };
    let preview = restore::preview(&req, |_| {}).unwrap();
    assert_eq!(preview.office_name, "五华区纪委监委");
    assert_eq!(preview.backup_events, report.events);
    assert!(!preview.needs_confirmation);
    assert!(preview.notes.iter().any(|n| n.contains("无法恢复")), "{:?}", preview.notes);
    assert!(!db.exists(), "a preview changes nothing");
    let mut stages = Vec::new();
    let done = restore::restore(&req, |p| stages.push(p.stage)).unwrap();
    assert!(stages.contains(&backup::Stage::Check) && stages.contains(&backup::Stage::Install));
    assert_eq!(done.previous_device, original_device);
    assert_ne!(done.device_id, original_device);
    assert_eq!(done.events, report.events + 1, "the backup's events and the restore's own record");

    let mut restored = Store::open(&db, &keys).unwrap();
    assert_eq!(restored.device_id(), done.device_id);
    let verify = restored.verify().unwrap();
    assert!(verify.ok);
    let admin2 = {
        let s = accounts::login(&mut restored, "admin", common::ADMIN_PASSWORD, Channel::Cli).unwrap();
        Actor::User(accounts::principal(&restored, &s.session_id).unwrap())
    };
    assert_eq!(accounts::list_users(&mut restored, &admin2).unwrap().len(), users_before);
    // The office's secret sealing keys came back with it, so sealed identities still open.
    let sealing_after: Vec<String> =
        sealing::secret_keys(&restored).unwrap().iter().map(|k| k.public_key().key_id()).collect();
    assert!(!sealing_before.is_empty());
    assert_eq!(sealing_after, sealing_before);
    // The restored database rebuilds to the same projections and has its own envelope.
    let live = restored.projection_dump().unwrap();
    restored.rebuild().unwrap();
    assert_eq!(restored.projection_dump().unwrap(), live);
    assert!(recovery::status(&restored).unwrap().envelope_ok);
    // Not enrolled any more: the certificate was the old device's.
    assert!(!restored.sync_status().unwrap().enrolled);
}

#[test]
fn mistyped_codes_are_refused_as_mistyped() {
    let seed: u64 = std::env::var("QF_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(14);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    for case in 0..300 {
        let code = RecoveryCode::from_secret(rng.r#gen());
        let text: Vec<char> = code.to_text().chars().collect();
        let digit_positions: Vec<usize> = (0..text.len()).filter(|i| text[*i].is_ascii_digit()).collect();
        // One digit wrong.
        let mut wrong = text.clone();
        let i = digit_positions[rng.gen_range(0..digit_positions.len())];
        let old = wrong[i].to_digit(10).unwrap();
        wrong[i] = char::from_digit((old + rng.gen_range(1..10)) % 10, 10).unwrap();
        let err = RecoveryCode::parse(&wrong.iter().collect::<String>()).unwrap_err();
        assert_eq!(code_of(&err), recovery::code::MISTYPED, "seed {seed} case {case}");
        let group = (i / 7) + 1;
        assert!(err.to_string().contains(&format!("第 {group} 组")), "seed {seed} case {case}: {err}");
        // Two neighbouring digits swapped inside a group.
        let j = digit_positions[rng.gen_range(0..digit_positions.len())];
        if j + 1 < text.len() && text[j + 1].is_ascii_digit() && text[j] != text[j + 1] {
            let mut swapped = text.clone();
            swapped.swap(j, j + 1);
            let err = RecoveryCode::parse(&swapped.iter().collect::<String>()).unwrap_err();
            assert_eq!(code_of(&err), recovery::code::MISTYPED, "seed {seed} case {case}");
        }
        // Two different groups in the wrong order.
        let groups = code.groups();
        let (a, b) = (rng.gen_range(0..8), rng.gen_range(0..8));
        if groups[a] != groups[b] {
            let mut order: Vec<String> = groups.iter().cloned().collect();
            order.swap(a, b);
            let err = RecoveryCode::parse(&order.join("-")).unwrap_err();
            assert_eq!(code_of(&err), recovery::code::MISTYPED, "seed {seed} case {case}");
            assert!(err.to_string().contains("校验组"), "seed {seed} case {case}: {err}");
        }
    }
    for (text, says) in [("123456", "54 位"), ("12345a", "不是数字"), ("", "54 位")] {
        let err = RecoveryCode::parse(text).unwrap_err();
        assert_eq!(code_of(&err), recovery::code::MISTYPED);
        assert!(err.to_string().contains(says), "{err}");
    }
}

#[test]
fn a_wrong_code_or_another_offices_backup_is_refused_and_nothing_changes() {
    let (mut f, admin, code) = office_with_code();
    let usb = tempfile::tempdir().unwrap();
    let file = PathBuf::from(backup_to(&mut f, &admin, usb.path()).file);

    // Another office: its own code, its own database.
    let mut other = common::empty();
    let mut req = common::setup_request();
    req.office_code = "530103".into();
    req.office_name = "盘龙区纪委监委".into();
    let s = accounts::setup_office(&mut other.store, &req, Channel::Cli).unwrap();
    let other_admin = Actor::User(accounts::principal(&other.store, &s.session_id).unwrap());
    let other_keys = other.keys();
    let other_code = recovery::create_key(&mut other.store, &other_admin, &other_keys).unwrap();
    let other_db = other.db();
    let before = tree(other.dir.path());

    // This office's backup with the other office's code: wrong code, named as such.
    let attempt = RestoreRequest {
        backup: &file,
        code: &other_code,
        db: &other_db,
        keys: &other_keys,
        office: None,
        confirmed: true,
    };
    let err = restore::restore(&attempt, |_| {}).unwrap_err();
    assert_eq!(code_of(&err), "recovery_code_wrong", "{err}");
    assert!(err.to_string().contains("五华区纪委监委"), "{err}");
    // The right code, but over the other office's database, or naming the other office.
    let attempt = RestoreRequest { code: &code, ..attempt };
    let err = restore::restore(&attempt, |_| {}).unwrap_err();
    assert_eq!(code_of(&err), "backup_other_office", "{err}");
    assert!(err.to_string().contains("另一个机关"), "{err}");
    let fresh = other.dir.path().join("new.db");
    let attempt = RestoreRequest { db: &fresh, office: Some("530103"), ..attempt };
    let err = restore::restore(&attempt, |_| {}).unwrap_err();
    assert_eq!(code_of(&err), "backup_other_office");
    assert_eq!(tree(other.dir.path()), before, "nothing on the machine changed");
    drop(other);
}

#[test]
fn truncated_and_tampered_backups_are_refused() {
    let (mut f, admin, code) = office_with_code();
    let usb = tempfile::tempdir().unwrap();
    let file = PathBuf::from(backup_to(&mut f, &admin, usb.path()).file);
    let good = std::fs::read(&file).unwrap();
    let seed: u64 = std::env::var("QF_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(6);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let machine = tempfile::tempdir().unwrap();
    let bad = machine.path().join("bad.qfbak");
    let db = machine.path().join("q.db");
    let keys = KeySource::File(machine.path().join("q.key"));
    for case in 0..40 {
        let mut bytes = good.clone();
        let expected: &[&str] = if case % 2 == 0 {
            let keep = rng.gen_range(0..bytes.len());
            bytes.truncate(keep);
            if keep < 8 { &["backup_truncated", "backup_not_a_backup"] } else { &["backup_truncated"] }
        } else {
            let at = rng.gen_range(0..bytes.len());
            bytes[at] ^= 1 << rng.gen_range(0..8);
            &["backup_tampered", "backup_truncated", "backup_not_a_backup", "backup_version"]
        };
        std::fs::write(&bad, &bytes).unwrap();
        let before = tree(machine.path());
        let req = RestoreRequest { backup: &bad, code: &code, db: &db, keys: &keys, office: None, confirmed: true };
        let err = restore::restore(&req, |_| {}).unwrap_err();
        assert!(expected.contains(&code_of(&err)), "seed {seed} case {case}: {} {err}", code_of(&err));
        assert!(err.to_string().contains("没有任何改动") || code_of(&err) != "backup_tampered", "{err}");
        assert_eq!(tree(machine.path()), before, "seed {seed} case {case}: the machine changed");
    }
}

#[test]
fn restoring_over_newer_work_asks_first_and_keeps_the_old_database() {
    let (mut f, admin, code) = office_with_code();
    let usb = tempfile::tempdir().unwrap();
    let report = backup_to(&mut f, &admin, usb.path());
    let file = PathBuf::from(&report.file);
    // Work after the backup.
    for i in 0..3 {
        f.add_user(
            &admin,
            &format!("late{i}"),
            &format!("李{i}"),
            "Password#2026",
            qingfeng_core::identity::Role::Trial,
        );
    }
    let db = f.db();
    let keys = f.keys();
    let events_now = f.event_count();
    drop(f.store);
    let before = tree(f.dir.path());
    let req = RestoreRequest { backup: &file, code: &code, db: &db, keys: &keys, office: None, confirmed: false };
    let preview = restore::preview(&req, |_| {}).unwrap();
    assert!(preview.needs_confirmation);
    assert_eq!(preview.existing.state, "openable");
    // The backup's own record and three events per account (created, named for other offices,
    // post granted).
    assert_eq!(preview.existing.newer_events, events_now as u64 - report.events, "{:?}", preview.existing);
    assert_eq!(preview.existing.newer_events, 10);
    let err = restore::restore(&req, |_| {}).unwrap_err();
    assert_eq!(code_of(&err), "restore_needs_confirmation");
    assert!(err.to_string().contains("比这份备份新"), "{err}");
    assert_eq!(tree(f.dir.path()), before, "asking changed nothing");

    let done = restore::restore(&RestoreRequest { confirmed: true, ..req }, |_| {}).unwrap();
    let aside = PathBuf::from(done.moved_aside.expect("the old database was kept"));
    // The old database still opens with the same key and still holds the later work.
    let old = Store::open(&aside, &KeySource::File(f.dir.path().join("q.key")));
    let old = match old {
        Ok(s) => s,
        Err(_) => Store::open_with_key(&aside, &keys.load(&db).unwrap(), false).unwrap(),
    };
    let old_events: i64 =
        old.raw_connection_for_tests().query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
    assert_eq!(old_events, events_now);
    let restored = Store::open(&db, &keys).unwrap();
    assert!(restored.verify().unwrap().ok);
    let late: i64 = restored
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM users WHERE username LIKE 'late%'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(late, 0, "the restored database is the backup's");
}

#[test]
fn the_envelope_opens_a_database_whose_keyring_was_lost() {
    let (f, admin, code) = office_with_code();
    let db = f.db();
    let keys = f.keys();
    keys.store_secret(&db, "signing", "ed25519:00112233").unwrap();
    envelope::refresh(&f.store, &keys).unwrap();
    let device = f.store.device_id().to_owned();
    drop(admin);
    let key_file = f.dir.path().join("q.key");
    let signing_file = f.dir.path().join("q.key.signing");
    let events_before = f.event_count();
    drop(f.store);
    std::fs::remove_file(&key_file).unwrap();
    std::fs::remove_file(&signing_file).unwrap();
    assert!(matches!(Store::open(&db, &keys), Err(CoreError::KeyMissing { .. })));

    // A wrong code and a mistyped one change nothing.
    let before = tree(f.dir.path());
    let err = envelope::unlock(&db, &keys, &RecoveryCode::generate()).unwrap_err();
    assert_eq!(code_of(&err), "recovery_code_wrong");
    assert_eq!(tree(f.dir.path()), before);

    let report = envelope::unlock(&db, &keys, &code).unwrap();
    assert_eq!(report.device_id, device);
    assert_eq!(report.secrets, vec!["signing".to_owned()]);
    let store = Store::open(&db, &keys).unwrap();
    assert_eq!(store.device_id(), device, "the device carries on as itself");
    let n: i64 = store.raw_connection_for_tests().query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
    assert_eq!(n, events_before);
    assert_eq!(keys.load_secret(&db, "signing").unwrap().unwrap().as_str(), "ed25519:00112233");
}

#[test]
fn a_replaced_code_is_refused_and_its_backups_leave_the_folder() {
    let (mut f, admin, old_code) = office_with_code();
    let keys = f.keys();
    let usb = tempfile::tempdir().unwrap();
    settings::set(&mut f.store, &admin, "backup.keep", "2").unwrap();
    let clock = Clock::manual(chrono::Utc::now());
    f.store.set_clock(clock.clone());
    let mut files = Vec::new();
    for _ in 0..3 {
        files.push(backup_to(&mut f, &admin, usb.path()).file);
        clock.advance(chrono::Duration::seconds(2));
    }
    let listed = backup::list(usb.path(), "530102").unwrap();
    assert_eq!(listed.len(), 2, "two kept");
    assert!(!Path::new(&files[0]).exists(), "the oldest went");

    let new_code = recovery::replace_key(&mut f.store, &admin, &keys).unwrap();
    // The envelope no longer opens with the old code, and says why.
    let err = envelope::unlock(&f.db(), &keys, &old_code).unwrap_err();
    assert_eq!(code_of(&err), "recovery_code_replaced", "{err}");
    assert!(err.to_string().contains("更换作废"), "{err}");
    let report = backup_to(&mut f, &admin, usb.path());
    let listed = backup::list(usb.path(), "530102").unwrap();
    assert_eq!(listed.len(), 1, "backups sealed to the replaced code were removed: {listed:?}");
    assert_eq!(listed[0].path, report.file);
    let machine = tempfile::tempdir().unwrap();
    let db = machine.path().join("q.db");
    let mkeys = KeySource::File(machine.path().join("q.key"));
    let file = PathBuf::from(&report.file);
    let req = RestoreRequest { backup: &file, code: &old_code, db: &db, keys: &mkeys, office: None, confirmed: false };
    assert_eq!(code_of(&restore::restore(&req, |_| {}).unwrap_err()), "recovery_code_wrong");
    restore::restore(&RestoreRequest { code: &new_code, ..req }, |_| {}).unwrap();
}

#[test]
fn no_backup_without_a_code_and_the_administrator_is_warned_when_backups_are_old() {
    let mut f = common::initialized();
    let admin = f.admin();
    let keys = f.keys();
    let usb = tempfile::tempdir().unwrap();
    let err = backup::run(&mut f.store, &keys, &admin, Some(usb.path()), |_| {}).unwrap_err();
    assert_eq!(code_of(&err), "recovery_key_missing");
    assert_eq!(std::fs::read_dir(usb.path()).unwrap().count(), 0);
    let status = recovery::status(&f.store).unwrap();
    assert!(!status.has_code);
    assert!(status.warning.as_deref().unwrap().contains("还没有做过备份"));
    assert_eq!(status.last_error.as_deref(), Some(err.to_string().as_str()));

    // A business officer may not back up or make codes.
    let officer = common::officer(&mut f.store, "jiancha", qingfeng_core::identity::Role::Supervision);
    assert!(matches!(recovery::create_key(&mut f.store, &officer, &keys), Err(CoreError::Forbidden { .. })));

    recovery::create_key(&mut f.store, &admin, &keys).unwrap();
    let err = recovery::create_key(&mut f.store, &admin, &keys).unwrap_err();
    assert_eq!(code_of(&err), "recovery_key_exists");
    let clock = Clock::manual(chrono::Utc::now());
    f.store.set_clock(clock.clone());
    recovery::set_backup_dir(&mut f.store, &admin, usb.path()).unwrap();
    assert!(recovery::status(&f.store).unwrap().due);
    backup::run(&mut f.store, &keys, &Actor::System, None, |_| {}).unwrap();
    let status = recovery::status(&f.store).unwrap();
    assert!(status.warning.is_none() && !status.due && status.last_error.is_none());
    clock.advance(chrono::Duration::days(8));
    let status = recovery::status(&f.store).unwrap();
    assert!(status.due);
    assert!(status.warning.as_deref().unwrap().contains("已有 8 天没有成功备份"), "{status:?}");
    // A missing USB stick is a clear error, recorded for the screen.
    let gone = usb.path().join("拔出的U盘");
    let err = backup::run(&mut f.store, &keys, &Actor::System, Some(&gone), |_| {}).unwrap_err();
    assert_eq!(code_of(&err), "backup_dir_missing");
    assert!(recovery::status(&f.store).unwrap().last_error.unwrap().contains("插好U盘"));
}

fn demo_login(store: &mut Store, username: &str) -> Actor {
    let s = accounts::login(store, username, demo::DEMO_PASSWORD, Channel::Cli).unwrap();
    Actor::User(accounts::principal(store, &s.session_id).unwrap())
}

/// The demo office through a backup and a restore: full-text search and the library survive
/// `sqlcipher_export`, and the restored copy rebuilds to the same projections.
#[test]
fn the_demo_office_comes_back_whole_with_its_search_index() {
    let dir = tempfile::tempdir().unwrap();
    let keys = KeySource::File(dir.path().join("demo.key"));
    let mut store = Store::create(&dir.path().join("demo.db"), &keys).unwrap();
    demo::seed(&mut store).unwrap();
    let admin = demo_login(&mut store, "admin");
    let code = recovery::create_key(&mut store, &admin, &keys).unwrap();
    let usb = tempfile::tempdir().unwrap();
    let report = backup::run(&mut store, &keys, &admin, Some(usb.path()), |_| {}).unwrap();
    let petitions = demo_login(&mut store, "xinfang");
    let filter = ComplaintFilter { text: Some("工程".into()), limit: Some(5_000), ..Default::default() };
    let found_before = query::list(&mut store, &petitions, &filter).unwrap().len();
    let all_before = query::list(&mut store, &petitions, &ComplaintFilter { limit: Some(5_000), ..Default::default() })
        .unwrap()
        .len();
    assert!(found_before > 0);

    let machine = tempfile::tempdir().unwrap();
    let db = machine.path().join("q.db");
    let mkeys = KeySource::File(machine.path().join("q.key"));
    let file = std::path::PathBuf::from(&report.file);
    let req = RestoreRequest { backup: &file, code: &code, db: &db, keys: &mkeys, office: None, confirmed: false };
    restore::restore(&req, |_| {}).unwrap();
    let mut restored = Store::open(&db, &mkeys).unwrap();
    assert!(restored.verify().unwrap().ok);
    let petitions = demo_login(&mut restored, "xinfang");
    assert_eq!(query::list(&mut restored, &petitions, &filter).unwrap().len(), found_before);
    let all = ComplaintFilter { limit: Some(5_000), ..Default::default() };
    assert_eq!(query::list(&mut restored, &petitions, &all).unwrap().len(), all_before);
    let live = restored.projection_dump().unwrap();
    restored.rebuild().unwrap();
    assert_eq!(restored.projection_dump().unwrap(), live);
    assert_eq!(query::list(&mut restored, &petitions, &filter).unwrap().len(), found_before);
}

#[test]
fn the_sealing_escrow_follows_the_code_and_opens_only_with_it() {
    use qingfeng_core::recovery::escrow;
    let (mut f, admin, old_code) = office_with_code();
    let keys = f.keys();
    let held: Vec<String> = sealing::secret_keys(&f.store).unwrap().iter().map(|k| k.public_key().key_id()).collect();
    assert!(!held.is_empty());
    // Made with the code, in the same step: sealed to it and holding every secret sealing key.
    let first = escrow::latest(&f.store, "530102").unwrap().expect("an escrow with the code");
    assert_eq!(first.recovery_key_id, old_code.key_pair().key_id());
    assert_eq!(first.sealing_key_ids, held);
    // Nothing new while nothing changed (it runs at every open).
    assert!(!escrow::ensure(&mut f.store).unwrap());

    // A replaced code gets a new escrow; the old code and a stranger's are refused, nothing changes.
    let new_code = recovery::replace_key(&mut f.store, &admin, &keys).unwrap();
    let second = escrow::latest(&f.store, "530102").unwrap().unwrap();
    assert_eq!(second.recovery_key_id, new_code.key_pair().key_id());
    let events = f.store.verify().unwrap().events;
    let err = escrow::open_latest(&mut f.store, "530102", &old_code).unwrap_err();
    assert_eq!(code_of(&err), "recovery_code_replaced", "{err}");
    let err = escrow::open_latest(&mut f.store, "530102", &RecoveryCode::generate()).unwrap_err();
    assert_eq!(code_of(&err), "recovery_code_wrong", "{err}");
    assert!(err.to_string().contains("恢复码不对"), "{err}");
    assert_eq!(f.store.verify().unwrap().events, events);
    assert_eq!(sealing::secret_keys(&f.store).unwrap().len(), held.len());
    // The right code opens it (the keys are held here already, so none is new).
    assert_eq!(escrow::open_latest(&mut f.store, "530102", &new_code).unwrap(), 0);
}
