//! `qingfeng init` makes the recovery code; `backup` and `restore` bring a wiped machine back;
//! `recovery unlock` opens a database whose key file was lost. Bad input exits 1 with Chinese on
//! stderr and leaves the machine as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::json;

const PASSWORD: &str = "Admin#2026pass";

fn qingfeng(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    common::qingfeng_as(dir, args, stdin, PASSWORD)
}

fn refused(out: &Output, says: &str) {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("错误：") && err.contains(says), "expected “{says}” in: {err}");
}

fn init(dir: &Path, sheet: Option<&Path>) -> serde_json::Value {
    let mut args = vec![
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
    ];
    let sheet_arg;
    if let Some(p) = sheet {
        sheet_arg = p.display().to_string();
        args.extend(["--recovery-sheet", sheet_arg.as_str()]);
    }
    json(&qingfeng(dir, &args, Some(&format!("{PASSWORD}\n"))))
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_wiped_machine_comes_back_from_the_code_and_a_backup() {
    let machine = tempfile::tempdir().unwrap();
    let m = machine.path();
    let sheet = m.join("恢复页.pdf");
    let made = init(m, Some(&sheet));
    let code = made["recovery"]["recovery_code"].as_str().unwrap().to_owned();
    assert_eq!(made["recovery"]["groups"].as_array().unwrap().len(), 9);
    assert!(std::fs::read(&sheet).unwrap().starts_with(b"%PDF"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&sheet).unwrap().permissions().mode() & 0o777, 0o600);
    }
    for name in ["wang", "li"] {
        let out = qingfeng(
            m,
            &["user", "add", name, "--name", "王某", "--role", "petitions", "--password-stdin"],
            Some("Password#2026\n"),
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    // No folder chosen yet: said plainly. Then chosen by the administrator, and run as cron would.
    refused(&qingfeng(m, &["backup", "run"], None), "还没有选择备份位置");
    let usb = tempfile::tempdir().unwrap();
    json(&qingfeng(m, &["backup", "config", "--dir", usb.path().to_str().unwrap(), "--json"], None));
    let report = json(&qingfeng(m, &["backup", "run", "--if-due", "--json"], None));
    let file = report["file"].as_str().unwrap().to_owned();
    assert_eq!(json(&qingfeng(m, &["backup", "run", "--if-due", "--json"], None))["skipped"], true);
    let listed = json(&qingfeng(m, &["backup", "list", "--json"], None));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let status = json(&qingfeng(m, &["recovery", "status", "--json"], None));
    assert_eq!(status["has_code"], true);
    assert!(status["warning"].is_null());

    // The machine is wiped: database, its WAL, the key file and the envelope beside it.
    for name in files(m) {
        if name.starts_with("q.") {
            std::fs::remove_file(m.join(name)).unwrap();
        }
    }
    refused(&qingfeng(m, &["events", "verify"], None), "数据库文件不存在");

    // A mistyped code is refused as such, and nothing is made.
    let mut typo: Vec<char> = code.chars().collect();
    typo[8] = if typo[8] == '1' { '2' } else { '1' };
    let typo: String = typo.into_iter().collect();
    let before = files(m);
    refused(&qingfeng(m, &["restore", "backup", &file, "--code-stdin"], Some(&format!("{typo}\n"))), "第 2 组有误");
    assert_eq!(files(m), before);
    let done = json(&qingfeng(
        m,
        &["restore", "backup", &file, "--office", "530102", "--code-stdin", "--json"],
        Some(&format!("{code}\n")),
    ));
    assert_eq!(done["office_code"], "530102");
    let verified = json(&qingfeng(m, &["events", "verify", "--json"], None));
    assert_eq!(verified["ok"], true);
    let users = json(&qingfeng(m, &["user", "list", "--json"], None));
    assert_eq!(users.as_array().unwrap().len(), 3, "the administrator and both officers are back");

    // Restoring again over the restored database asks first.
    refused(&qingfeng(m, &["restore", "backup", &file, "--code-stdin"], Some(&format!("{code}\n"))), "需要您确认");
    let again = json(&qingfeng(
        m,
        &["restore", "backup", &file, "--code-stdin", "--replace-existing", "--json"],
        Some(&format!("{code}\n")),
    ));
    assert!(again["moved_aside"].as_str().unwrap().contains("before-restore"));
}

#[test]
fn a_lost_key_file_is_replaced_from_the_code() {
    let machine = tempfile::tempdir().unwrap();
    let m = machine.path();
    let code = init(m, None)["recovery"]["recovery_code"].as_str().unwrap().to_owned();
    let device = json(&qingfeng(m, &["status", "--json"], None))["device_id"].as_str().unwrap().to_owned();
    std::fs::remove_file(m.join("q.key")).unwrap();
    refused(&qingfeng(m, &["status"], None), "找不到数据库密钥");
    let before = files(m);
    refused(&qingfeng(m, &["recovery", "unlock", "--code-stdin"], Some("123456-000000\n")), "54 位");
    assert_eq!(files(m), before);
    let unlocked = json(&qingfeng(m, &["recovery", "unlock", "--code-stdin", "--json"], Some(&format!("{code}\n"))));
    assert_eq!(unlocked["device_id"], device.as_str());
    assert_eq!(json(&qingfeng(m, &["status", "--json"], None))["device_id"], device.as_str());

    // The administrator replaces the code; the old one is refused by name from then on.
    let replaced = json(&qingfeng(m, &["recovery", "replace", "--json"], None));
    assert_ne!(replaced["recovery_code"].as_str().unwrap(), code);
    std::fs::remove_file(m.join("q.key")).unwrap();
    refused(&qingfeng(m, &["recovery", "unlock", "--code-stdin"], Some(&format!("{code}\n"))), "更换作废");
}
