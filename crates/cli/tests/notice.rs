//! `qingfeng notice …` on a demo database: a preview that consumes no number, issuing with the
//! number and the PDF, the register, re-printing the stored bytes, refusals in Chinese that leave
//! the numbering untouched, templates (an unknown field refused), and printing without `lp`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::{json, qingfeng};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn pdftotext(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext").arg(path).arg("-").output().expect("poppler-utils");
    String::from_utf8(out.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

fn year() -> i32 {
    use chrono::Datelike;
    (chrono::Utc::now() + chrono::Duration::hours(8)).year()
}

/// Registers a real-name complaint and accepts it, as the petitions officer; returns its number.
fn accepted_complaint(d: &std::path::Path) -> String {
    let received = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let form = serde_json::json!({
        "channel": "visit",
        "received_at": received,
        "reporter": { "name": "孔检举", "unit": null, "contact": "13900001111", "address": "某路1号" },
        "real_name": true,
        "real_name_verified": "in_person",
        "summary": "反映某所所长吴某某违规收费",
        "content": "吴测试违规收取办证费用。",
        "categories": ["违反群众纪律"],
        "subjects": [{ "name": "吴测试", "post": "所长", "unit": "区测试所", "level": "一般干部" }],
        "repeat_of": null
    });
    let file = d.join("form.json");
    std::fs::write(&file, form.to_string()).unwrap();
    let v = json(&qingfeng(
        d,
        &["complaint", "register", "--file", file.to_str().unwrap(), "--as", "xinfang", "--json"],
        None,
    ));
    let number = v["number"].as_str().unwrap().to_owned();
    let args = [
        "complaint",
        "transition",
        &number,
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
    ];
    json(&qingfeng(d, &args, None));
    number
}

#[test]
fn notices_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None));
    let complaint = accepted_complaint(d);
    let y = year();

    // A preview: no number on it, none consumed.
    let preview = d.join("preview.pdf");
    let v = json(&qingfeng(
        d,
        &[
            "notice",
            "render",
            "--kind",
            "acceptance",
            "--complaint",
            &complaint,
            "--out",
            preview.to_str().unwrap(),
            "--as",
            "xinfang",
            "--json",
        ],
        None,
    ));
    assert_eq!(v["numbered"], false);
    assert_eq!(v["next_number"], format!("五纪受〔{y}〕1号"));
    let text = pdftotext(&preview);
    assert!(text.contains("受理告知书") && text.contains("孔检举") && !text.contains('〔'), "{text}");

    // A wrong state is refused in Chinese, exit 1, and consumes nothing: feedback before conclusion.
    let out = qingfeng(
        d,
        &["notice", "issue", "--kind", "result_feedback", "--complaint", &complaint, "--as", "xinfang", "--json"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let err: serde_json::Value = serde_json::from_str(stderr(&out).trim()).unwrap();
    assert_eq!(err["error"]["code"], "wrong_state");
    assert!(err["error"]["message"].as_str().unwrap().contains("办结后"), "{err}");

    // Issue, saving the PDF.
    let issued = d.join("issued.pdf");
    let v = json(&qingfeng(
        d,
        &[
            "notice",
            "issue",
            "--kind",
            "acceptance",
            "--complaint",
            &complaint,
            "--out",
            issued.to_str().unwrap(),
            "--as",
            "xinfang",
            "--json",
        ],
        None,
    ));
    let number = format!("五纪受〔{y}〕1号");
    assert_eq!(v["number"], number.as_str());
    assert_eq!(v["serial"], 1);
    assert_eq!(v["kind_name"], "受理告知书");
    let text = pdftotext(&issued);
    assert!(text.contains(&number) && text.contains("孔检举") && text.contains("吴测试"), "{text}");
    assert!(!text.contains("区测试所") && !text.contains("违规收取办证费用"), "{text}");
    let sha = v["pdf_sha256"].as_str().unwrap().to_owned();

    // Twice is refused; the register lists it; a re-print gives the same bytes.
    let out =
        qingfeng(d, &["notice", "issue", "--kind", "acceptance", "--complaint", &complaint, "--as", "xinfang"], None);
    assert!(stderr(&out).contains("不能重复签发"), "{}", stderr(&out));
    let list = json(&qingfeng(
        d,
        &["notice", "list", "--year", &y.to_string(), "--kind", "acceptance", "--as", "jiancha", "--json"],
        None,
    ));
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["number"], number.as_str());
    assert_eq!(list[0]["record_label"], complaint.as_str());
    let again = d.join("again.pdf");
    // It names the reporter: 监督检查室 lists it but gets no copy; 信访室 does (the reading logged).
    let out = qingfeng(d, &["notice", "reprint", &number, "--out", again.to_str().unwrap(), "--as", "jiancha"], None);
    assert!(stderr(&out).contains("无权执行“查看检举人身份”"), "{}", stderr(&out));
    assert!(!again.exists());
    let v = json(&qingfeng(
        d,
        &["notice", "reprint", &number, "--out", again.to_str().unwrap(), "--as", "xinfang", "--json"],
        None,
    ));
    assert_eq!(v["pdf_sha256"], sha.as_str());
    assert_eq!(std::fs::read(&issued).unwrap(), std::fs::read(&again).unwrap());
    let text = String::from_utf8_lossy(&qingfeng(d, &["notice", "list", "--as", "jiancha"], None).stdout).into_owned();
    assert!(text.contains(&number) && text.contains("受理告知书"), "{text}");

    // Printing with no `lp` on the PATH: issued all the same, and told to install cups-client.
    let no_path = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_qingfeng"));
    cmd.arg("--db").arg(d.join("q.db")).arg("--key-file").arg(d.join("q.key"));
    cmd.args(["notice", "reprint", &number, "--printer", "PDF", "--as", "xinfang"]);
    cmd.env("QINGFENG_PASSWORD", common::PASSWORD).env("PATH", no_path.path());
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("找不到打印命令 lp") && stderr(&out).contains("cups-client"), "{}", stderr(&out));

    // A hand-filled letter takes the next number of its own kind.
    let v = json(&qingfeng(
        d,
        &[
            "notice",
            "issue",
            "--kind",
            "notification_letter",
            "--field",
            "recipient_org=某县政协",
            "--field",
            "content=现将有关情况函告你们。",
            "--as",
            "jiancha",
            "--json",
        ],
        None,
    ));
    assert_eq!(v["number"], format!("五纪函〔{y}〕1号"));
    let out = qingfeng(
        d,
        &["notice", "issue", "--kind", "notification_letter", "--field", "nonsense", "--as", "jiancha"],
        None,
    );
    assert!(stderr(&out).contains("字段名=值"), "{}", stderr(&out));

    // Templates: listed; a template naming an undeclared field is refused; a new version is saved.
    let list = json(&qingfeng(d, &["notice", "template", "list", "--as", "admin", "--json"], None));
    assert!(list.as_array().unwrap().len() >= 8);
    let shown = qingfeng(d, &["notice", "template", "show", "acceptance", "--as", "admin"], None);
    let source = String::from_utf8_lossy(&shown.stdout).into_owned();
    assert!(source.contains("kind = \"acceptance\""), "{source}");
    let bad = d.join("bad.toml");
    std::fs::write(&bad, source.replace("version = 1", "version = 2").replace("特此告知。", "特此告知{{signer}}。"))
        .unwrap();
    let out = qingfeng(d, &["notice", "template", "save", bad.to_str().unwrap(), "--as", "admin"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("没有定义的字段“signer”"), "{}", stderr(&out));
    let good = d.join("good.toml");
    std::fs::write(&good, source.replace("version = 1", "version = 2").replace("特此告知。", "特此告知！")).unwrap();
    let v =
        json(&qingfeng(d, &["notice", "template", "save", good.to_str().unwrap(), "--as", "admin", "--json"], None));
    assert_eq!((v["version"].as_u64(), v["active"].as_bool()), (Some(2), Some(true)));
    let out = qingfeng(d, &["notice", "template", "save", good.to_str().unwrap(), "--as", "xinfang"], None);
    assert!(stderr(&out).contains("系统管理员"), "{}", stderr(&out));

    // The log still verifies.
    json(&qingfeng(d, &["events", "verify", "--json"], None));
}
