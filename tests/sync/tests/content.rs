//! Province-wide content as real processes carry it (issue #16 item 7): the hub's administrator
//! publishes a regulation and a checklist template with `qingfeng-hub content publish` (a used
//! version number refused with its reason, nothing written), 五华区 receives them on sync and
//! 盘龙区 by USB bundle; both list them as new, the regulation is in their library as the
//! province's, and 盘龙区 adopts the template while 五华区 keeps its own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qingfeng_systest::{Hub, Office};
use serde_json::Value;

const DIRECTORY: &str = "代码,名称,简称,层级,上级代码,类别
530000,云南省纪委监委,云,省级,,
530100,昆明市纪委监委,昆,州市级,530000,
530102,五华区纪委监委,五,县级,530100,
530103,盘龙区纪委监委,盘,县级,530100,
";

const REGULATION: &str = "---\n制定机关: 中共云南省纪委\n施行日期: 2026-10-01\n---\n\n第一条　为了规范信访举报工作，制定本细则。\n\n第二条　本细则自印发之日起施行。\n";

const CHECKLIST: &str = r#"{"id":"penalty.standard","version":1,"scope":"penalty","name":"处分决定执行事项清单（省级）","priority":0,"select":{"when":"all"},"sequential":true,"items":[{"code":"serve","title":"送达处分决定并抄送有关单位","applies":{"when":"all"},"deadline":{"kind":"penalty_serve","from":"decision","months":1}},{"code":"province_visit","title":"省级要求：开展回访谈话","applies":{"when":"all"},"deadline":{"kind":"checklist_item","from":"decision","months":6}}]}"#;

fn items(office: &Office) -> Vec<Value> {
    office.json(&["province", "list"]).as_array().unwrap().clone()
}

#[test]
fn the_hub_publishes_and_two_offices_receive_one_by_sync_one_by_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let file = dir.path().join("名录.csv");
    std::fs::write(&file, DIRECTORY).unwrap();
    hub.ok(&["directory", "import", file.to_str().unwrap()]);
    let regulation = dir.path().join("细则.md");
    std::fs::write(&regulation, REGULATION).unwrap();
    let checklist = dir.path().join("清单.json");
    std::fs::write(&checklist, CHECKLIST).unwrap();
    let publish = |kind: &str, id: &str, title: &str, path: &std::path::Path| {
        hub.run(&[
            "content",
            "publish",
            "--kind",
            kind,
            "--id",
            id,
            "--version",
            "1",
            "--title",
            title,
            path.to_str().unwrap(),
        ])
    };
    let out = publish("regulation", "yn-xinfang-xize", "信访举报工作细则", &regulation);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("已发布法规制度《信访举报工作细则》（省级第 1 版）"));
    let out = publish("checklist-template", "penalty.standard", "处分决定执行事项清单（省级）", &checklist);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A used number is refused in Chinese, and the hub's log does not grow.
    let before = hub.verify();
    let out = publish("regulation", "yn-xinfang-xize", "信访举报工作细则", &checklist);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("已经发布过") && err.contains("版本号加一"), "{err}");
    assert_eq!(hub.verify(), before);

    // Both offices join after the publication and still receive it: 五华区 on sync, 盘龙区 only
    // from a bundle carried by hand.
    hub.start();
    let wuhua = Office::county(dir.path());
    let panlong = Office::new(dir.path(), "530103", "盘龙区纪委监委", "county", Some("530100"));
    wuhua.enroll(&hub);
    panlong.enroll(&hub);
    wuhua.sync(None).unwrap();
    let out_bundle = dir.path().join("盘龙.qfb");
    let back = dir.path().join("回执.qfb");
    panlong.json(&["bundle", "export", "--out", out_bundle.to_str().unwrap()]);
    hub.json(&["bundle", "import", out_bundle.to_str().unwrap(), "--out", back.to_str().unwrap(), "--json"]);
    panlong.json(&["bundle", "import", back.to_str().unwrap()]);

    for office in [&wuhua, &panlong] {
        let got = items(office);
        assert_eq!(got.len(), 2, "{}: {got:?}", office.code);
        assert!(got.iter().all(|i| i["new"] == true && i["refused"].is_null()), "{got:?}");
        // Looked at once, nothing is new any more.
        assert!(items(office).iter().all(|i| i["new"] == false));
        let docs = office.json(&["library", "list"]);
        let ours = docs.as_array().unwrap().iter().find(|d| d["id"] == "yn-xinfang-xize").expect("in the library");
        assert_eq!(ours["source"], "hub");
    }

    // 盘龙区 adopts the province's template; 五华区 keeps the built-in one it had.
    let adopted = panlong.json(&[
        "province",
        "adopt",
        "--kind",
        "checklist-template",
        "--id",
        "penalty.standard",
        "--version",
        "1",
    ]);
    assert_eq!(adopted["adopted_as"], 2);
    let listed = items(&panlong);
    let template = listed.iter().find(|i| i["kind"] == "checklist_template").unwrap();
    assert_eq!(template["adopted_as"], 2);
    let ours = items(&wuhua);
    let theirs = ours.iter().find(|i| i["kind"] == "checklist_template").unwrap();
    assert!(theirs["adopted_as"].is_null() && theirs["adoptable"] == true, "{theirs}");
    // Adopting again is refused with the reason.
    let out = panlong.run(&[
        "province",
        "adopt",
        "--kind",
        "checklist-template",
        "--id",
        "penalty.standard",
        "--version",
        "1",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("已采用为本机关第 2 版"));
    hub.kill();
}
