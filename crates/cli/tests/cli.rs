//! The `qingfeng` binary as scripts use it: exit codes, JSON output, errors on stderr.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn qingfeng(dir: &Path, args: &[&str], stdin: Option<&str>, password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qingfeng"));
    cmd.arg("--db").arg(dir.join("q.db")).arg("--key-file").arg(dir.join("q.key")).args(args);
    cmd.env_remove("QINGFENG_PASSWORD").env_remove("QINGFENG_USER").env_remove("QINGFENG_DB");
    if let Some(p) = password {
        cmd.env("QINGFENG_PASSWORD", p);
    }
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn calendar_answers_from_the_builtin_calendar_without_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let v = json(&qingfeng(dir.path(), &["calendar", "add-days", "2026-09-28", "5", "--json"], None, None));
    assert_eq!(v["date"], "2026-10-10");
    assert_eq!(v["provisional"], false);
    let v = json(&qingfeng(dir.path(), &["calendar", "is-working-day", "2026-10-10", "--json"], None, None));
    assert_eq!(v["working_day"], true);
    let v = json(&qingfeng(dir.path(), &["calendar", "is-working-day", "2026-10-01", "--json"], None, None));
    assert_eq!(v["working_day"], false);
    let v = json(&qingfeng(dir.path(), &["calendar", "add-months", "2026-01-31", "1", "--json"], None, None));
    assert_eq!(v["date"], "2026-02-28");
    let v = json(&qingfeng(dir.path(), &["calendar", "add-days", "2030-01-01", "3", "--json"], None, None));
    assert_eq!(v["provisional"], true);
    assert!(!dir.path().join("q.db").exists(), "calendar questions must not create a database");
}

#[test]
fn bad_dates_fail_with_a_message_on_stderr_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    for date in ["2026-02-30", "2026-13-01", "tomorrow", "2150-01-01"] {
        let out = qingfeng(dir.path(), &["calendar", "is-working-day", date], None, None);
        assert_eq!(out.status.code(), Some(1), "{date}");
        assert!(out.stdout.is_empty());
        assert!(stderr(&out).starts_with("错误："), "{date}: {}", stderr(&out));
    }
    let out = qingfeng(dir.path(), &["calendar", "is-working-day", "2026-02-30", "--json"], None, None);
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "calendar");
}

#[test]
fn init_then_manage_users_as_the_administrator() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = qingfeng(
        d,
        &[
            "init",
            "--office-code",
            "530102",
            "--office-name",
            "五华区纪委监委",
            "--parent",
            "530100",
            "--admin-name",
            "张管理",
            "--password-stdin",
            "--json",
        ],
        Some("Admin#2026pass\n"),
        None,
    );
    let v = json(&out);
    assert_eq!(v["office"]["code"], "530102");
    assert_eq!(v["admin"]["username"], "admin");

    // The petitions post reads reporters' identities: the administrator's account only asks for
    // it (issue #14); it cannot approve its own request, and a second administrator does.
    let out = qingfeng(
        d,
        &["user", "add", "xinfang", "--name", "王信访", "--role", "petitions", "--password-stdin", "--json"],
        Some("Xinfang#2026\n"),
        Some("Admin#2026pass"),
    );
    let created = json(&out);
    assert_eq!(created["grants"], serde_json::json!([]));
    assert_eq!(created["pending_roles"], serde_json::json!(["petitions"]));
    let out = qingfeng(d, &["user", "approve", "xinfang", "petitions"], None, Some("Admin#2026pass"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("不能自己批准"), "{}", stderr(&out));
    let out = qingfeng(d, &["user", "grant", "admin", "leader"], None, Some("Admin#2026pass"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("user approve"), "{}", stderr(&out));
    let out = qingfeng(
        d,
        &["user", "add", "admin2", "--name", "李管理", "--role", "admin", "--password-stdin", "--json"],
        Some("Admin2#2026pass\n"),
        Some("Admin#2026pass"),
    );
    assert_eq!(json(&out)["grants"][0]["role"], "admin");
    let out = qingfeng(
        d,
        &["user", "approve", "xinfang", "petitions", "--as", "admin2", "--json"],
        None,
        Some("Admin2#2026pass"),
    );
    assert_eq!(json(&out)["status"], "approved");
    let out = qingfeng(
        d,
        &["user", "refuse", "admin", "leader", "--reason", "管理员不兼任领导", "--as", "admin2", "--json"],
        None,
        Some("Admin2#2026pass"),
    );
    assert_eq!(json(&out)["status"], "refused");
    let requests = json(&qingfeng(d, &["user", "requests", "--json", "--as", "admin2"], None, Some("Admin2#2026pass")));
    assert_eq!(requests.as_array().unwrap().len(), 2);

    // A petitions officer may not create accounts: refused, exit 1, and nothing created.
    let out = qingfeng(
        d,
        &["user", "add", "mole", "--name", "某人", "--role", "admin", "--password-stdin", "--as", "xinfang"],
        Some("Password#2026\n"),
        Some("Xinfang#2026"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("无权"), "{}", stderr(&out));
    let users = json(&qingfeng(d, &["user", "list", "--json"], None, Some("Admin#2026pass")));
    let names: Vec<&str> = users.as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "xinfang", "admin2"]);
    assert_eq!(users[1]["grants"][0]["role"], "petitions");

    let out = qingfeng(d, &["login", "xinfang", "--password-stdin"], Some("wrong-password\n"), None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("账号或密码不正确"));
    let out = qingfeng(d, &["login", "xinfang", "--password-stdin", "--json"], Some("Xinfang#2026\n"), None);
    assert_eq!(json(&out)["ok"], true);

    let v = json(&qingfeng(d, &["events", "verify", "--json"], None, None));
    assert_eq!(v["ok"], true);
    let v = json(&qingfeng(d, &["rebuild", "--json"], None, None));
    assert!(v["events"].as_u64().unwrap() > 10);
}

#[test]
fn init_with_a_malformed_division_code_leaves_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = qingfeng(
        dir.path(),
        &[
            "init",
            "--office-code",
            "5301",
            "--office-name",
            "某县纪委监委",
            "--admin-name",
            "张管理",
            "--password-stdin",
        ],
        Some("Admin#2026pass\n"),
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("行政区划代码"));
    assert!(!dir.path().join("q.db").exists());
}

#[test]
fn commands_on_a_missing_database_say_to_run_init() {
    let dir = tempfile::tempdir().unwrap();
    let out = qingfeng(dir.path(), &["events", "verify"], None, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("qingfeng init"));
}

#[test]
fn imported_calendar_updates_are_used_once_a_database_exists() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None, None));
    let update = d.join("2027.json");
    std::fs::write(
        &update,
        r#"{"year":2027,"days_off":[{"date":"2027-01-01","name":"元旦"}],"makeup_workdays":[],"source":"国务院办公厅（测试）"}"#,
    )
    .unwrap();
    let before = json(&qingfeng(d, &["calendar", "is-working-day", "2027-01-01", "--json"], None, None));
    assert_eq!((before["working_day"].as_bool(), before["provisional"].as_bool()), (Some(true), Some(true)));
    json(&qingfeng(d, &["calendar", "import", update.to_str().unwrap(), "--json"], None, Some("qingfeng2026")));
    let after = json(&qingfeng(d, &["calendar", "is-working-day", "2027-01-01", "--json"], None, None));
    assert_eq!((after["working_day"].as_bool(), after["provisional"].as_bool()), (Some(false), Some(false)));
}
