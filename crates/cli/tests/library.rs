//! `qingfeng library …` as scripts use it, on a demo database: the starter set on first use,
//! import with flags, a refused import naming its line, search as JSON (highlights in characters,
//! rank), the status filter, show, and citing an article from a complaint.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json, qingfeng};
use serde_json::Value;

fn refusal(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    serde_json::from_slice::<Value>(&out.stderr).unwrap()["error"].clone()
}

#[test]
fn the_library_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None));

    // First use loads the starter set.
    let docs = json(&qingfeng(d, &["library", "list", "--as", "jiancha", "--json"], None));
    assert_eq!(docs.as_array().unwrap().len(), 2, "{docs}");

    // Import with metadata from flags.
    let file = d.join("rules.txt");
    std::fs::write(&file, "某县信访工作细则\n\n第一章 总则\n\n第一条 为规范信访工作，制定本细则。\n\n第二条 信访室负责登记。\n检举控告应当逐件登记。\n").unwrap();
    let f = file.to_str().unwrap();
    let args = ["library", "import", f, "--issuer", "某县纪委", "--effective", "2026-03-01", "--json"];
    let out = json(&qingfeng(d, &args, None));
    assert_eq!((out["articles"].as_u64(), out["status"].as_str()), (Some(2), Some("in_force")), "{out}");
    let doc_id = out["document_id"].as_str().unwrap().to_owned();

    // Only an administrator imports; a broken file is refused with its line.
    let refused = refusal(&qingfeng(
        d,
        &["library", "import", f, "--issuer", "x", "--effective", "2026-03-01", "--as", "xinfang", "--json"],
        None,
    ));
    assert_eq!(refused["code"], "forbidden");
    std::fs::write(&file, "标题：坏文件\n制定机关：某县纪委\n施行日期：2026-01-01\n第一条 甲。\n第三条 丙。\n")
        .unwrap();
    let refused = refusal(&qingfeng(d, &["library", "import", f, "--json"], None));
    assert!(refused["message"].as_str().unwrap().contains("第 5 行"), "{refused}");

    // Search: JSON rows with title, label, text, highlight ranges and rank.
    let r = json(&qingfeng(d, &["library", "search", "逐件登记", "--as", "xinfang", "--json"], None));
    assert_eq!(r["total"], 1, "{r}");
    let hit = &r["hits"][0];
    assert_eq!(hit["document_title"], "某县信访工作细则");
    assert_eq!(hit["article_label"], "第二条");
    assert_eq!(hit["text"], "信访室负责登记。\n检举控告应当逐件登记。");
    assert_eq!(hit["highlights"], serde_json::json!([{ "start": 15, "end": 19 }]));
    assert!(hit["rank"].as_f64().unwrap() > 0.0);
    let r =
        json(&qingfeng(d, &["library", "search", "警告", "--status", "amended", "--as", "xinfang", "--json"], None));
    assert_eq!(r["total"], 0);
    let r = json(&qingfeng(
        d,
        &["library", "search", "警告", "--document", "dang-jilv-chufen-tiaoli", "--as", "xinfang", "--json"],
        None,
    ));
    assert_eq!(r["total"], 1);

    let show = json(&qingfeng(d, &["library", "show", &doc_id, "--as", "xinfang", "--json"], None));
    assert_eq!(show["headings"][0]["title"], "总则");
    assert_eq!(show["articles"].as_array().unwrap().len(), 2);

    // Cite from a demo complaint, list, withdraw.
    let list = json(&qingfeng(d, &["complaint", "list", "--as", "xinfang", "--json"], None));
    let complaint = list[0]["id"].as_str().unwrap().to_owned();
    let cite = [
        "library",
        "cite",
        "--complaint",
        &complaint,
        "--article",
        "gongzhi-renyuan-zhengwu-chufen-fa:8",
        "--note",
        "处分期间",
        "--as",
        "xinfang",
        "--json",
    ];
    let c = json(&qingfeng(d, &cite, None));
    assert_eq!(c["citation"]["article_label"], "第八条");
    let id = c["id"].as_str().unwrap().to_owned();
    let cs =
        json(&qingfeng(d, &["library", "citations", "--complaint", &complaint, "--as", "jiancha", "--json"], None));
    assert_eq!(cs.as_array().unwrap().len(), 1);
    let bad = ["library", "cite", "--complaint", &complaint, "--article", "nonsense", "--as", "xinfang", "--json"];
    assert_eq!(refusal(&qingfeng(d, &bad, None))["code"], "invalid");
    json(&qingfeng(d, &["library", "uncite", &id, "--as", "xinfang", "--json"], None));
    let cs =
        json(&qingfeng(d, &["library", "citations", "--complaint", &complaint, "--as", "jiancha", "--json"], None));
    assert!(cs.as_array().unwrap().is_empty());
}
