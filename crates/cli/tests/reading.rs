//! Every reading through a login (issue #14), on a demo database: the event log needs a logged-in
//! officer and shows each post what it may read (no password hashes, identities only to petitions
//! and leaders, each such reading recorded); bundles are the administrator's, recorded; files that
//! hold records are created 0600; nothing the command line prints carries a raw control character.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Output, Stdio};

use common::{json, qingfeng};
use serde_json::Value;

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn events(d: &std::path::Path, user: &str) -> Vec<Value> {
    json(&qingfeng(d, &["events", "list", "--limit", "100000", "--json", "--as", user], None))
        .as_array()
        .unwrap()
        .clone()
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn reading_records_needs_a_login_and_each_post_sees_what_it_may() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None));

    // No login, no log: without a password the command is refused and prints nothing.
    let out = Command::new(env!("CARGO_BIN_EXE_qingfeng"))
        .arg("--db")
        .arg(d.join("q.db"))
        .arg("--key-file")
        .arg(d.join("q.key"))
        .args(["events", "list", "--json"])
        .env_remove("QINGFENG_PASSWORD")
        .env_remove("QINGFENG_USER")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr(&out).contains("密码"), "{}", stderr(&out));

    // A known reporter of the demo office, as the petitions officer may read it (recorded).
    let list = json(&qingfeng(d, &["complaint", "list", "--limit", "300", "--as", "xinfang", "--json"], None));
    let real = list.as_array().unwrap().iter().find(|c| c["real_name"] == true).unwrap();
    let id = real["id"].as_str().unwrap().to_owned();
    let shown = json(&qingfeng(
        d,
        &["complaint", "transition", &id, "reveal", "--purpose", "核实", "--as", "xinfang", "--json"],
        None,
    ));
    let name = shown["reporter"]["name"].as_str().unwrap().to_owned();
    let phone = shown["reporter"]["contact"].as_str().unwrap().to_owned();

    // The administrator: no password hash, no case content, no reporter.
    let as_admin = serde_json::to_string(&events(d, "admin")).unwrap();
    assert!(!as_admin.contains("$argon2id"), "password hashes printed");
    assert!(!as_admin.contains(&name) && !as_admin.contains(&phone), "the administrator saw a reporter");
    assert!(as_admin.contains("仅业务岗位可查看"));

    // Supervision reads cases but not who reported them.
    let as_supervision = events(d, "jiancha");
    // The demo's names come from one pool, so a reporter's name may also be another complaint's
    // reported person: the name is looked for in this complaint's events, the phone everywhere.
    let text = serde_json::to_string(&as_supervision).unwrap();
    assert!(!text.contains(&phone), "supervision saw a reporter's phone");
    let own = as_supervision.iter().filter(|e| e["aggregate"] == format!("complaint:{id}"));
    let own = serde_json::to_string(&own.collect::<Vec<_>>()).unwrap();
    assert!(!own.contains(&name), "supervision saw a reporter's name");
    let registered = as_supervision
        .iter()
        .find(|e| e["aggregate"] == format!("complaint:{id}") && e["kind"] == "complaint.registered")
        .unwrap();
    assert!(registered["payload"]["form"]["summary"].is_string());

    // Petitions reads identities, and the reading is recorded for each complaint it showed.
    let before = events(d, "xinfang").iter().filter(|e| e["kind"] == "complaint.identity_viewed").count();
    let after = events(d, "xinfang");
    let recorded = after.iter().filter(|e| e["kind"] == "complaint.identity_viewed").count();
    assert!(recorded > before, "the log's identity readings were not recorded");
    assert!(serde_json::to_string(&after).unwrap().contains(&name));

    // Bundles are the administrator's: another post is refused (and the refusal recorded); the
    // administrator of an office not yet enrolled is told what to do, and no file appears.
    let bundle = d.join("out.qfb");
    let out = qingfeng(d, &["bundle", "export", "--out", bundle.to_str().unwrap(), "--as", "xinfang"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("系统管理员"), "{}", stderr(&out));
    assert!(events(d, "admin").iter().any(|e| e["kind"] == "access.denied"));
    let out = qingfeng(d, &["bundle", "export", "--out", bundle.to_str().unwrap(), "--as", "admin"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("登记"), "{}", stderr(&out));
    assert!(!bundle.exists() && !d.join("out.part").exists());

    // Files that hold records are created readable by their owner only.
    let letter = d.join("letter.txt");
    std::fs::write(&letter, "举报信正文。").unwrap();
    json(&qingfeng(d, &["complaint", "attach", &id, letter.to_str().unwrap(), "--as", "xinfang", "--json"], None));
    let page = json(&qingfeng(d, &["complaint", "show", &id, "--as", "xinfang", "--json"], None));
    let sha = page["attachments"][0]["sha256"].as_str().unwrap().to_owned();
    let opened = d.join("opened.txt");
    std::fs::write(&opened, "先前的内容").unwrap();
    let args = [
        "complaint",
        "open-attachment",
        &id,
        &sha,
        "--purpose",
        "核实",
        "--out",
        opened.to_str().unwrap(),
        "--as",
        "xinfang",
    ];
    json(&qingfeng(d, &[&args[..], &["--json"]].concat(), None));
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), "举报信正文。");
    #[cfg(unix)]
    assert_eq!(mode(&opened), 0o600, "an opened attachment must be private, even over an existing file");

    // Nothing printed carries a raw control character: an id full of them is echoed made visible,
    // and so is a malformed command line.
    let hostile = "\u{1b}[31m\u{202e}\u{7}";
    let out = qingfeng(d, &["complaint", "list", "--status", hostile, "--as", "xinfang"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.contains(&0x1b) && !out.stderr.contains(&0x07), "{}", stderr(&out));
    // clap drops the escape sequence itself; the override that is left is shown, not obeyed.
    assert!(!stderr(&out).contains('\u{202e}') && stderr(&out).contains("\\u202e"), "{}", stderr(&out));
    for json_flag in [false, true] {
        let mut args = vec!["complaint", "show", hostile, "--as", "xinfang"];
        if json_flag {
            args.push("--json");
        }
        let out = qingfeng(d, &args, None);
        assert_eq!(out.status.code(), Some(1));
        let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
        assert!(!all.contains(&0x1b) && !all.contains(&0x07), "a raw control character reached the terminal");
        assert!(!String::from_utf8_lossy(&all).contains('\u{202e}'), "a raw bidi override reached the terminal");
        assert!(String::from_utf8_lossy(&all).contains("\\u001b"), "{}", String::from_utf8_lossy(&all));
    }
}
