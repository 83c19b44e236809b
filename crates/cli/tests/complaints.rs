//! `qingfeng complaint …` as scripts use it, on a demo database: register, screen, show with its
//! status and deadlines, refusals by post, bad transitions, search, approvals, inbox and dashboard.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::{json, qingfeng};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Today in Beijing time, as the core counts business dates.
fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive().to_string()
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

fn form(summary: &str, content: &str) -> String {
    let received = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    serde_json::json!({
        "channel": "letter",
        "received_at": received,
        "reporter": { "name": "测试检举人", "unit": null, "contact": "13800009999", "address": "测试地址 1 号" },
        "real_name": true,
        "real_name_verified": "phone",
        "summary": summary,
        "content": content,
        "categories": ["违反工作纪律"],
        "subjects": [{ "name": "甄测试", "post": "所长", "unit": "区测试局执法所", "level": "一般干部" }],
        "repeat_of": null
    })
    .to_string()
}

#[test]
fn a_complaint_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let demo = json(&qingfeng(d, &["demo", "--json"], None));
    assert!(demo["complaints"].as_u64().unwrap() >= 250, "{demo}");

    // Register (from a file) and screen as the petitions officer.
    let file = d.join("form.json");
    std::fs::write(&file, form("反映区测试局执法所所长甄某某罚款不入账", "甄测试对经营户处以罚款，不开票据。"))
        .unwrap();
    let v = json(&qingfeng(
        d,
        &["complaint", "register", "--file", file.to_str().unwrap(), "--as", "xinfang", "--json"],
        None,
    ));
    assert_eq!(v["status"], "registered");
    let id = v["id"].as_str().unwrap().to_owned();
    let number = v["number"].as_str().unwrap().to_owned();
    assert!(number.starts_with("530102-"), "{number}");

    let v = json(&qingfeng(
        d,
        &[
            "complaint",
            "transition",
            &id,
            "screen",
            "--outcome",
            "accept_transfer",
            "--department",
            "supervision",
            "--reason",
            "首次反映",
            "--as",
            "xinfang",
            "--json",
        ],
        None,
    ));
    assert_eq!(v["status"], "with_department");

    // `show --json` carries the status and the deadlines at the top level; a number works as well as an id.
    for key in [id.as_str(), number.as_str()] {
        let v = json(&qingfeng(d, &["complaint", "show", key, "--as", "jiancha", "--json"], None));
        assert_eq!(v["status"], "with_department");
        assert_eq!(v["id"], id.as_str());
        let deadlines = v["deadlines"].as_array().unwrap();
        let notice = deadlines.iter().find(|x| x["kind"] == "acceptance_notice").expect("acceptance notice deadline");
        assert!(is_iso_date(notice["due"].as_str().unwrap()), "{notice}");
        assert_eq!(notice["status"], "open");
        // The reporter is masked in every view.
        assert!(!v.to_string().contains("13800009999"));
    }
    let text = qingfeng(d, &["complaint", "show", &id, "--as", "jiancha"], None);
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(text.contains("已移送承办部门") && text.contains("受理告知"), "{text}");

    // A supervision officer may not screen or see the reporter: refused, exit 1, in Chinese.
    let out = qingfeng(
        d,
        &[
            "complaint",
            "transition",
            &id,
            "screen",
            "--outcome",
            "not_accepted",
            "--reason",
            "x",
            "--refer-to",
            "y",
            "--as",
            "jiancha",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("无权"), "{}", stderr(&out));
    let out = qingfeng(d, &["complaint", "transition", &id, "reveal", "--purpose", "好奇", "--as", "jiancha"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("无权"), "{}", stderr(&out));
    // The petitions officer may, and it says so.
    let v = json(&qingfeng(
        d,
        &["complaint", "transition", &id, "reveal", "--purpose", "电话告知受理", "--as", "xinfang", "--json"],
        None,
    ));
    assert_eq!(v["reporter"]["contact"], "13800009999");

    // A step the complaint is not ready for is refused with the reason.
    let second = json(&qingfeng(
        d,
        &["complaint", "register", "--file", "-", "--as", "xinfang", "--json"],
        Some(&form("反映甄某某工作作风问题", "甄测试态度恶劣。")),
    ));
    let second_id = second["id"].as_str().unwrap();
    assert!(!second["similar"].as_array().unwrap().is_empty(), "the first complaint is suggested as similar");
    let out = qingfeng(
        d,
        &["complaint", "transition", second_id, "conclude", "--date", &today(), "--result", "了结", "--as", "jiancha"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("错误："), "{}", stderr(&out));
    let v = json(&qingfeng(d, &["complaint", "show", second_id, "--as", "xinfang", "--json"], None));
    assert_eq!(v["status"], "registered", "nothing changed");

    // Two-character search finds it among the demo office's complaints.
    let found = json(&qingfeng(
        d,
        &["complaint", "list", "--search", "罚款", "--limit", "5000", "--as", "xinfang", "--json"],
        None,
    ));
    assert!(found.as_array().unwrap().iter().any(|c| c["id"] == id.as_str()));
    let by_status =
        json(&qingfeng(d, &["complaint", "list", "--status", "registered", "--as", "anguan", "--json"], None));
    assert!(by_status.as_array().unwrap().iter().all(|c| c["status"] == "registered"));

    // A disposal asked for by the department and granted by the leader (the pending approval is found).
    let v = json(&qingfeng(
        d,
        &[
            "complaint",
            "transition",
            &id,
            "request-disposal",
            "--method",
            "inquiry",
            "--letter-date",
            &today(),
            "--reason",
            "经集体研究拟函询",
            "--as",
            "jiancha",
            "--json",
        ],
        None,
    ));
    assert!(v["approval_id"].is_string());
    assert_eq!(v["pending_approval"], v["approval_id"]);
    let v = json(&qingfeng(
        d,
        &["complaint", "transition", &id, "decide", "--grant", "--comment", "同意", "--as", "lingdao", "--json"],
        None,
    ));
    assert_eq!(v["status"], "inquiry");
    assert!(v["deadlines"].as_array().unwrap().iter().any(|x| x["kind"] == "inquiry_reply" && x["status"] == "open"));

    // Inbox and dashboard.
    let inbox = json(&qingfeng(d, &["complaint", "inbox", "--as", "xinfang", "--json"], None));
    assert!(inbox.as_array().unwrap().iter().any(|i| i["complaint"]["id"] == second_id));
    let dash = json(&qingfeng(d, &["complaint", "dashboard", "--as", "anguan", "--json"], None));
    for light in ["red", "yellow", "green"] {
        assert!(dash[light].as_u64().unwrap() > 0, "{light}: {}", dash[light]);
    }

    let v = json(&qingfeng(d, &["events", "verify", "--json"], None));
    assert_eq!(v["ok"], true);
}

#[test]
fn malformed_complaint_commands_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Usage errors are caught before any database is needed.
    for args in [
        &["complaint", "transition", "x", "screen", "--outcome", "maybe"][..],
        &["complaint", "transition", "x", "decide", "--grant", "--refuse"][..],
        &["complaint", "transition", "x", "decide"][..],
        &["complaint", "transition", "x", "screen", "--outcome", "accept_transfer", "--department", "trial"][..],
        &["complaint", "list", "--status", "lost"][..],
    ] {
        let out = qingfeng(d, args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    assert!(!d.join("q.db").exists());
}

#[test]
fn the_administrator_sees_no_complaints_and_a_bad_form_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None));
    let out = qingfeng(d, &["complaint", "list"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("无权"), "{}", stderr(&out));
    let out =
        qingfeng(d, &["complaint", "register", "--file", "-", "--as", "xinfang"], Some("{\"channel\": \"letter\"}"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("登记表"), "{}", stderr(&out));
}
