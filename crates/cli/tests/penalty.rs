//! `qingfeng penalty …` and `qingfeng checklist …` as scripts use them, on a demo database: the
//! JSON contract of `penalty show` (items with kind, status, light, due; the influence period),
//! order gating, the reviewer's post, rejection, payments and refusals.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::{json, qingfeng};
use serde_json::Value;

/// The error a refused command reports as JSON on stderr.
fn refusal(out: &Output) -> Value {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    serde_json::from_slice::<Value>(&out.stderr).unwrap()["error"].clone()
}

/// Pays `amount` yuan toward the decision's confiscation item, as case management, yesterday.
fn pay(d: &std::path::Path, id: &str, amount: &str) -> Output {
    let date = days_ago(1);
    let args =
        ["checklist", "pay", id, "recover_money", "--amount", amount, "--date", &date, "--as", "anguan", "--json"];
    qingfeng(d, &args, None)
}

/// A date `days` before today in Beijing time.
fn days_ago(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::days(days)).date_naive().to_string()
}

#[test]
fn a_penalty_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None));

    // The demo office already executes a few decisions.
    let board = json(&qingfeng(d, &["penalty", "list", "--as", "anguan", "--json"], None));
    assert!(board["rows"].as_array().unwrap().len() >= 4, "{board}");

    let form = serde_json::json!({
        "person": { "name": "测试人", "unit": "区测试局", "post": "科员", "party_member": true },
        "decision_number": "五纪处〔2026〕88号",
        "deciding_body": "五华区纪委常委会",
        "party_penalty": "serious_warning",
        "government_sanction": "demerit",
        "decision_date": days_ago(10),
        "approval_date": days_ago(9),
        "responsible_units": ["区测试局"],
        "confiscate": "1000.50"
    })
    .to_string();
    let reg = json(&qingfeng(d, &["penalty", "register", "--file", "-", "--as", "anguan", "--json"], Some(&form)));
    let id = reg["id"].as_str().unwrap().to_owned();

    // The contract: items with kind, status, light, due; the influence period with start and end.
    let show = json(&qingfeng(d, &["penalty", "show", "五纪处〔2026〕88号", "--as", "jiancha", "--json"], None));
    assert_eq!(show["id"], id.as_str());
    assert_eq!(show["influence_period"]["start"], days_ago(10).as_str(), "government counts from the decision");
    assert!(show["influence_period"]["end"].as_str().unwrap() > days_ago(0).as_str());
    let items = show["items"].as_array().unwrap();
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["serve", "announce", "archive", "appraisal", "recover_money", "three_letters", "follow_up_visit", "restore"]
    );
    assert_eq!(items[0]["status"], "open");
    assert_eq!(items[0]["light"], "green");
    assert!(items[0]["due"].as_str().is_some() && items[0]["due"] == items[0]["due_date"]);
    assert_eq!(items[1]["status"], "pending");
    assert!(items[1]["light"].is_null() && items[1]["due"].is_null());

    // Order: the second item waits; the submitter's post may not review.
    let err = refusal(&qingfeng(
        d,
        &[
            "checklist",
            "submit",
            &id,
            "announce",
            "--date",
            &days_ago(1),
            "--note",
            "已宣布",
            "--as",
            "anguan",
            "--json",
        ],
        None,
    ));
    assert!(err["message"].as_str().unwrap().contains("前一项"), "{err}");
    let proof = d.join("送达回执.txt");
    std::fs::write(&proof, "送达回执：本人已签收。").unwrap();
    json(&qingfeng(
        d,
        &[
            "checklist",
            "submit",
            &id,
            "serve",
            "--date",
            &days_ago(2),
            "--note",
            "已送达",
            "--file",
            proof.to_str().unwrap(),
            "--as",
            "anguan",
            "--json",
        ],
        None,
    ));
    let err = refusal(&qingfeng(d, &["checklist", "approve", &id, "1", "--as", "anguan", "--json"], None));
    assert_eq!(err["code"], "forbidden");
    let queue = json(&qingfeng(d, &["penalty", "queue", "--as", "shenli", "--json"], None));
    assert!(queue.as_array().unwrap().iter().any(|q| q["checklist_id"] == id.as_str() && q["can_review"] == true));
    json(&qingfeng(d, &["checklist", "approve", &id, "1", "--as", "shenli", "--json"], None));

    // Rejection sends the item back with its note.
    json(&qingfeng(
        d,
        &["checklist", "submit", &id, "2", "--date", &days_ago(1), "--note", "已宣布", "--as", "anguan", "--json"],
        None,
    ));
    json(&qingfeng(d, &["checklist", "reject", &id, "2", "--note", "缺少签名", "--as", "shenli", "--json"], None));
    let show = json(&qingfeng(d, &["penalty", "show", &id, "--as", "anguan", "--json"], None));
    assert_eq!(show["items"][0]["status"], "approved");
    assert_eq!(show["items"][0]["submissions"][0]["evidence"][0]["name"], "送达回执.txt");
    assert_eq!(show["items"][1]["status"], "rejected");
    assert_eq!(show["items"][1]["review_note"], "缺少签名");

    // Payments: partial shows the remainder; overpayment and three decimals are refused.
    let err = refusal(&pay(d, &id, "2000"));
    assert!(err["message"].as_str().unwrap().contains("尚余 1000.50 元"), "{err}");
    let err = refusal(&pay(d, &id, "1.005"));
    assert!(err["message"].as_str().unwrap().contains("两位小数"), "{err}");
    let paid = json(&pay(d, &id, "600.25"));
    assert_eq!(paid["amount_remaining"], "400.25");
    let show = json(&qingfeng(d, &["penalty", "show", &id, "--as", "anguan", "--json"], None));
    assert_eq!(show["items"][4]["amount_paid"], "600.25");

    // Text output names the items in Chinese.
    let out = qingfeng(d, &["penalty", "show", &id, "--as", "anguan"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("驳回意见：缺少签名") && text.contains("尚余 400.25 元"), "{text}");
}

#[test]
fn the_guard_and_rectification_lists_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None));
    // The demo records a promotion inside an influence period.
    let flags = json(&qingfeng(d, &["penalty", "flags", "--as", "lingdao", "--json"], None));
    assert!(flags.as_array().unwrap().iter().any(|f| f["kind"] == "promotion"), "{flags}");
    let b = json(&qingfeng(
        d,
        &[
            "penalty",
            "benefit",
            "--name",
            "钱某某",
            "--unit",
            "区住建局",
            "--kind",
            "award",
            "--date",
            &days_ago(1),
            "--as",
            "anguan",
            "--json",
        ],
        None,
    ));
    assert_eq!(b["flags"].as_array().unwrap().len(), 1, "{b}");

    let lists = json(&qingfeng(d, &["checklist", "list", "--as", "jiancha", "--json"], None));
    let rows = lists["rows"].as_array().unwrap();
    let scored = rows.iter().find(|r| r["title"].as_str().unwrap().contains("两个责任")).unwrap();
    let list_id = scored["id"].as_str().unwrap().to_owned();
    let show = json(&qingfeng(d, &["checklist", "show", &list_id, "--as", "jiancha", "--json"], None));
    assert_eq!(show["max_score"], "100.00");
    let templates = json(&qingfeng(d, &["checklist", "templates", "--as", "admin", "--json"], None));
    // The standard decision, the rectification list and reform by case (migration 0016).
    assert_eq!(templates.as_array().unwrap().len(), 3);
    // An unknown field in a template is refused, and nothing is published.
    let mut doc: Value = serde_json::from_str(templates[0]["body"].as_str().unwrap()).unwrap();
    doc["version"] = 2.into();
    doc["colour"] = "red".into();
    let err = refusal(&qingfeng(
        d,
        &["checklist", "publish-template", "--file", "-", "--as", "admin", "--json"],
        Some(&doc.to_string()),
    ));
    assert!(err["message"].as_str().unwrap().contains("colour"), "{err}");
}

/// Reform by case (以案促改) from the command line: a list started from a decision's number, a task
/// guided by 案件审理室, both pages naming each other, and a second list for the decision refused.
#[test]
fn reform_by_case_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None));
    let due = (chrono::Utc::now() + chrono::Duration::days(90)).date_naive().to_string();
    let args = ["checklist", "reform", "五纪处〔2026〕3号", "--due", &due, "--as", "jiancha", "--json"];
    let list = json(&qingfeng(d, &args, None));
    assert_eq!(list["title"], "李某某以案促改（五纪处〔2026〕3号）");
    assert_eq!(list["reform_of"]["person_unit"], "区教育局");
    let id = list["id"].as_str().unwrap().to_owned();
    let err = refusal(&qingfeng(d, &args, None));
    assert!(err["message"].as_str().unwrap().contains("已有以案促改清单"), "{err}");

    // Only 案件审理室 guides; the guidance shows on the item, by name.
    let guide = ["checklist", "guide", &id, "1", "--text", "警示教育要通报到每个股室。"];
    let err = refusal(&qingfeng(d, &[&guide[..], &["--as", "jiancha", "--json"]].concat(), None));
    assert!(err["message"].as_str().unwrap().contains("案件审理室"), "{err}");
    json(&qingfeng(d, &[&guide[..], &["--as", "shenli", "--json"]].concat(), None));
    let text = qingfeng(d, &["checklist", "show", &id, "--as", "jiancha"], None);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("以案促改：处分决定 五纪处〔2026〕3号") && text.contains("警示教育要通报到每个股室。"),
        "{text}"
    );
    let decision = json(&qingfeng(d, &["penalty", "show", "五纪处〔2026〕3号", "--as", "jiancha", "--json"], None));
    assert_eq!(decision["reform"]["id"], id.as_str());
    assert_eq!(decision["reform"]["guidance"], 1);
    let stats = json(&qingfeng(d, &["penalty", "stats", "--rectification", "--as", "jiancha", "--json"], None));
    // The demo's own reform list and this one; the demo's guidance and this one.
    assert_eq!((stats["reform_lists"].as_u64(), stats["guidance_given"].as_u64()), (Some(2), Some(2)), "{stats}");
}
