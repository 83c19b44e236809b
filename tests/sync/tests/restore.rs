//! A machine wiped (database, key file, signing key and key envelope deleted) and the office
//! restored with real processes: from the recovery code and a backup, and separately from the
//! hub's copy of the office's log. Afterwards `events verify` passes and the records are there;
//! what the lost machine never synced or backed up is gone, as the user was told.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use qingfeng_systest::{Hub, Office, PASSWORD, ok_json, ok_text};

/// Deletes the office's database and every key beside it, as a dead disk would.
fn wipe(office: &Office) {
    let dir = office.db.parent().unwrap();
    let db = office.db.file_name().unwrap().to_string_lossy().into_owned();
    let key = office.key.file_name().unwrap().to_string_lossy().into_owned();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&db) || name.starts_with(&key) {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    assert!(!office.db.exists() && !office.key.exists());
}

fn summaries(office: &Office) -> Vec<String> {
    let list = office.json(&["complaint", "list", "--as", "xf", "--limit", "1000"]);
    let mut out: Vec<String> =
        list.as_array().unwrap().iter().map(|c| c["summary"].as_str().unwrap_or_default().to_owned()).collect();
    out.sort();
    out
}

fn verified(office: &Office) -> u64 {
    let v = office.json(&["events", "verify"]);
    assert_eq!(v["ok"], true, "{v}");
    v["events"].as_u64().unwrap()
}

/// A well-formed recovery code of no office: another office's database made it.
fn code_for_nothing() -> String {
    let dir = tempfile::tempdir().unwrap();
    code_for(&Office::county(dir.path()))
}

fn code_for(office: &Office) -> String {
    office.json(&["recovery", "replace"])["recovery_code"].as_str().unwrap().to_owned()
}

#[test]
fn a_wiped_office_comes_back_from_its_code_and_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    hub.start();
    let office = Office::county(dir.path());
    let code = code_for(&office);
    office.enroll(&hub);
    for i in 1..=3 {
        office.register(&format!("备份前的检举{i}"));
    }
    office.sync_until_clean(None, 3);
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    office.json(&["backup", "config", "--dir", usb.to_str().unwrap()]);
    let backup = office.json(&["backup", "run"]);
    let file = backup["file"].as_str().unwrap().to_owned();
    // Work after the backup: one complaint reaches the hub, one never leaves the machine.
    office.register("备份后已同步的检举");
    office.sync_until_clean(None, 3);
    office.register("备份后未同步的检举");
    let before = summaries(&office);
    assert_eq!(before.len(), 5);

    wipe(&office);
    let out = office.run_in(
        &["restore", "backup", &file, "--office", "530102", "--code-stdin", "--json"],
        Some(&format!("{code}\n")),
    );
    let report = ok_json(&out, "restore backup");
    assert_eq!(report["office_code"], "530102");
    verified(&office);
    let restored = summaries(&office);
    assert_eq!(restored, ["备份前的检举1", "备份前的检举2", "备份前的检举3"]);
    // Logins work: the accounts came back with the log.
    ok_text(&office.run_in(&["login", "xf", "--password-stdin"], Some(PASSWORD)), "login");

    // A new device of the office: enroll again, and what reached the hub after the backup comes back.
    office.enroll(&hub);
    office.sync_until_clean(None, 3);
    verified(&office);
    let mut expected: Vec<String> = before.into_iter().filter(|s| s != "备份后未同步的检举").collect();
    expected.sort();
    assert_eq!(summaries(&office), expected);
    hub.verify();
}

#[test]
fn a_wiped_office_comes_back_from_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    hub.start();
    hub.ok(&["office", "add", "530103", "盘龙区纪委监委", "--level", "county", "--parent", "530100"]);
    let office = Office::county(dir.path());
    let code = code_for(&office);
    office.enroll(&hub);
    let mut ids = Vec::new();
    for i in 1..=3 {
        ids.push(office.register(&format!("已同步的检举{i}")));
    }
    office.sync_until_clean(None, 3);
    office.register("从未同步的检举");
    let held_at_hub = hub.verify();
    assert!(held_at_hub > 0);
    wipe(&office);

    // A token for another office is refused, and nothing is left behind.
    let other = hub.token("530103");
    let out = office.run(&["restore", "hub", "--hub", &hub.url, "--token", &other, "--office", "530102"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("错误：") && err.contains("只能用于机关 530103"), "{err}");
    assert!(!office.db.exists() && !office.key.exists(), "a refused restore leaves nothing behind");

    // A wrong recovery code is refused in Chinese, and nothing is put in place; but the token was
    // spent on enrolling this machine, so what was downloaded is kept aside and the same token
    // (now used up at the hub) serves the retry: asking the province for a new token because of a
    // mistyped code would cost an office a day.
    let wrong = code_for_nothing();
    let token = hub.token("530102");
    let out = office.run_in(
        &["restore", "hub", "--hub", &hub.url, "--token", &token, "--office", "530102", "--code-stdin"],
        Some(&format!("{wrong}\n")),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("恢复码不对") && err.contains("不必重新申请登记口令"), "{err}");
    assert!(!office.db.exists(), "a wrong code puts no database in place");
    // Without any code the restore is refused the same way, and still resumable.
    let out = office.run(&["restore", "hub", "--hub", &hub.url, "--token", &token, "--office", "530102"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("须输入恢复码") && err.contains("不必重新申请登记口令"), "{err}");
    assert!(!office.db.exists());

    let out = office.run_in(
        &["restore", "hub", "--hub", &hub.url, "--token", &token, "--office", "530102", "--code-stdin", "--json"],
        Some(&format!("{code}\n")),
    );
    let report = ok_json(&out, "restore hub");
    assert_eq!(report["office_name"], "五华区纪委监委");
    assert!(report["notes"][0].as_str().unwrap().contains("无法恢复"));
    let mut staging = office.db.clone().into_os_string();
    staging.push(".restoring");
    assert!(!Path::new(&staging).exists(), "the half-restored database is gone once the restore is whole");
    verified(&office);
    assert_eq!(summaries(&office), ["已同步的检举1", "已同步的检举2", "已同步的检举3"]);
    ok_text(&office.run_in(&["login", "xf", "--password-stdin"], Some(PASSWORD)), "login");
    // The sealed reporter identities read again: the escrowed keys came back with the code.
    for id in &ids {
        let shown = office.step(id, &["reveal", "--purpose", "恢复后核实"]);
        assert_eq!(shown["reporter"]["name"], "测试检举人", "{shown}");
    }
    // The restored device works and syncs as a device of the office.
    office.register("恢复后的新检举");
    office.sync_until_clean(None, 3);
    assert_eq!(summaries(&office).len(), 4);
    hub.verify();
    let _ = Path::new(&office.db);
}

#[test]
fn what_the_lost_machine_never_sent_reaches_the_hub_from_the_restored_backup() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    hub.start();
    let office = Office::county(dir.path());
    let code = code_for(&office);
    office.enroll(&hub);
    office.register("已同步的检举");
    office.sync_until_clean(None, 3);
    // Made after the last sync and caught only by the backup.
    office.register("只在备份里的检举");
    let usb = dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let file = office.json(&["backup", "run", "--dir", usb.to_str().unwrap()])["file"].as_str().unwrap().to_owned();

    wipe(&office);
    let out = office.run_in(&["restore", "backup", &file, "--code-stdin", "--json"], Some(&format!("{code}\n")));
    ok_json(&out, "restore backup");
    office.enroll(&hub);
    let report = office.sync(None).unwrap();
    assert!(report["previous_device_events"].as_u64().unwrap() > 0, "{report}");
    assert!(report["previous_device_stopped"].is_null(), "{report}");
    // Sent once: the next sync has nothing more of the old device to send.
    assert_eq!(office.sync(None).unwrap()["previous_device_events"], 0);
    hub.verify();

    // The hub now holds it: a second machine restored from the hub has it.
    wipe(&office);
    let token = hub.token("530102");
    ok_json(
        &office.run_in(
            &["restore", "hub", "--hub", &hub.url, "--token", &token, "--office", "530102", "--code-stdin", "--json"],
            Some(&format!("{code}\n")),
        ),
        "restore hub",
    );
    verified(&office);
    assert_eq!(summaries(&office), ["只在备份里的检举", "已同步的检举"]);
}
