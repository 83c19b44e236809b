//! Cross-office approvals as real processes run them (issue #16 item 6): a hub with the
//! province's directory, a prefecture (昆明市) and a county below it (五华区) on 127.0.0.1.
//!
//! The county asks the prefecture to approve detention (留置) for a filed case; the request waits
//! in the county until it syncs, reaches the prefecture's leader through the hub, and is granted
//! there; the grant travels back and detention starts at the county on the approval's date, with
//! its three-month end and the reminder ten days before, both followed on the prefecture's board.
//! The extension is refused with a reason, asked again and granted: six months from the original
//! start at both offices. Each side works offline in between; the next sync carries the step.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Months;
use qingfeng_systest::{Hub, Office, PASSWORD, ok_text};
use serde_json::Value;

const DIRECTORY: &str = "代码,名称,简称,层级,上级代码,类别
530000,云南省纪委监委,云,省级,,
530100,昆明市纪委监委,昆,州市级,530000,
530102,五华区纪委监委,五,县级,530100,
";

/// The complaint's open deadline of `kind` at `office`, if any.
fn open_deadline(office: &Office, id: &str, kind: &str) -> Option<Value> {
    office.show(id)["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == kind && d["status"] == "open")
        .cloned()
}

fn timeline(office: &Office, id: &str) -> Vec<String> {
    office.show(id)["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["text"].as_str().map(str::to_owned))
        .collect()
}

/// Adds the handling department's officer (`jc`, 监督检查室).
fn add_supervision(office: &Office) {
    ok_text(
        &office.run_in(
            &["user", "add", "jc", "--name", "钱七", "--role", "supervision", "--password-stdin"],
            Some(PASSWORD),
        ),
        "user add",
    );
}

/// Syncs `office` once, the run succeeding.
fn sync(office: &Office) {
    office.sync(None).unwrap();
}

#[test]
fn the_prefecture_approves_the_countys_detention_and_its_extension_through_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let file = dir.path().join("名录.csv");
    std::fs::write(&file, DIRECTORY).unwrap();
    hub.ok(&["directory", "import", file.to_str().unwrap()]);
    hub.start();
    let county = Office::county(dir.path());
    let city = Office::city(dir.path());
    for office in [&county, &city] {
        office.enroll(&hub);
        add_supervision(office);
    }
    sync(&city);
    sync(&county);

    // A filed case at the county.
    let id = county.register("反映某局长严重违纪违法问题");
    county.step(&id, &["screen", "--outcome", "accept_transfer", "--department", "supervision"]);
    let asked = county.step_as(
        "jc",
        &id,
        &["request-disposal", "--method", "file_case", "--reason", "经集体研究拟立案审查调查"],
    );
    let filing = asked["approval_id"].as_str().unwrap().to_owned();
    county.step_as("ld", &id, &["decide", "--approval", &filing, "--grant", "--comment", "同意立案"]);
    county.step_as("jc", &id, &["milestone", "--stage", "filed", "--date", "2026-01-06", "--note", "立案"]);

    // The local step is refused with where to ask; nothing is recorded.
    let aggregate = format!("complaint:{id}");
    let before = county.events_of(&aggregate);
    let out = county.run(&[
        "complaint",
        "transition",
        &id,
        "detain",
        "--date",
        "2026-01-06",
        "--note",
        "拟留置",
        "--as",
        "jc",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("须报上一级机关（昆明市纪委监委）批准"), "{err}");
    let out = county.run(&["complaint", "transition", &id, "request-extension", "--reason", "延长", "--as", "jc"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("不在留置期间"), "no extension before detention");
    assert_eq!(county.events_of(&aggregate), before);

    // The request, recorded at the county while it is offline: the city has nothing yet.
    let asked = county.step_as("jc", &id, &["request-detention", "--reason", "涉嫌严重职务违法，拟采取留置措施"]);
    let detention = asked["approval_id"].as_str().unwrap().to_owned();
    let out = county.run(&["complaint", "transition", &id, "request-detention", "--reason", "再次", "--as", "jc"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("不能重复提请"), "one request at a time");
    sync(&city);
    assert!(
        !city.run(&["complaint", "show", &id, "--as", "ld", "--json"]).status.success(),
        "the city has nothing before the county syncs"
    );

    // The county syncs; the city's leader finds it on the list and grants it.
    sync(&county);
    sync(&city);
    let inbox = city.json(&["complaint", "inbox", "--as", "ld"]);
    let item = inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["complaint"]["id"] == id.as_str())
        .unwrap_or_else(|| panic!("the request is on the city leader's list: {inbox}"));
    assert_eq!(item["task"], "待审批");
    assert!(!item.to_string().contains("测试检举人"), "never the reporter: {item}");
    let page = city.json(&["complaint", "show", &id, "--as", "ld"]);
    let approval = page["approvals"].as_array().unwrap().iter().find(|a| a["id"] == detention.as_str()).unwrap();
    assert_eq!(approval["action"], "采取留置措施（报昆明市纪委监委批准）");
    // The county's own leader cannot decide what it asked of the city.
    let out =
        county.run(&["complaint", "transition", &id, "decide", "--approval", &detention, "--grant", "--as", "ld"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("是向昆明市纪委监委提请的"));
    city.step_as("ld", &id, &["decide", "--approval", &detention, "--grant", "--comment", "同意采取留置措施"]);
    let out = city.run(&["complaint", "transition", &id, "decide", "--approval", &detention, "--grant", "--as", "ld"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("已经审批过了"));

    // The city follows the detention at once; the county sees it only once it syncs.
    let today = chrono::Utc::now().with_timezone(&qingfeng_core::clock::business_zone()).date_naive();
    let end = (today + Months::new(3)).to_string();
    let followed = open_deadline(&city, &id, "detention_end").expect("the city follows the end");
    assert_eq!(followed["due"], end.as_str());
    let board = city.json(&["complaint", "dashboard", "--as", "ld"]);
    assert!(
        board["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["complaint_id"] == id.as_str() && i["deadline"]["kind"] == "detention_reminder"),
        "the reminder is on the city's board: {board}"
    );
    assert!(open_deadline(&county, &id, "detention_end").is_none(), "offline: nothing has started yet");
    sync(&city);
    sync(&county);
    let started = open_deadline(&county, &id, "detention_end").expect("detention started at the county");
    assert_eq!(started["due"], end.as_str(), "three months from the approval's date");
    assert!(open_deadline(&county, &id, "detention_reminder").is_some());
    assert!(
        timeline(&county, &id).iter().any(|t| t.starts_with(&format!("昆明市纪委监委批准采取留置措施（{today}）"))),
        "{:?}",
        timeline(&county, &id)
    );

    // The extension: refused with a reason, asked again, granted.
    let ext = county.step_as("jc", &id, &["request-extension", "--reason", "案情重大复杂"]);
    let ext = ext["approval_id"].as_str().unwrap().to_owned();
    sync(&county);
    sync(&city);
    city.step_as("ld", &id, &["decide", "--approval", &ext, "--refuse", "--comment", "理由不充分，请补充后再报"]);
    sync(&city);
    sync(&county);
    assert!(timeline(&county, &id).iter().any(|t| t.contains("不批准延长留置") && t.contains("理由不充分")));
    assert_eq!(open_deadline(&county, &id, "detention_end").unwrap()["due"], end.as_str(), "nothing moved");
    let again = county.step_as("jc", &id, &["request-extension", "--reason", "补充了案情说明"]);
    let again = again["approval_id"].as_str().unwrap().to_owned();
    sync(&county);
    sync(&city);
    city.step_as("ld", &id, &["decide", "--approval", &again, "--grant", "--comment", "同意延长三个月"]);
    sync(&city);
    sync(&county);
    let six = (today + Months::new(6)).to_string();
    for office in [&county, &city] {
        assert_eq!(open_deadline(office, &id, "detention_end").unwrap()["due"], six.as_str());
    }
    let out = county.run(&["complaint", "transition", &id, "request-extension", "--reason", "再延长", "--as", "jc"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("只能延长一次"));
    hub.kill();
}
