//! Hand-overs between sibling offices as real processes run them (issue #16 items 2 and 3): a hub
//! with the province's directory and two counties of one prefecture on 127.0.0.1.
//!
//! - 平级移交: 五华区 hands a real-name complaint to its sibling 盘龙区 with its leader's
//!   approval, named by name at the command line; the hub orders the change like any other, and
//!   the acceptance notice falls due at 盘龙区, which now handles it. A destination the rule does
//!   not allow is refused at once with the allowed offices named, and nothing is recorded.
//! - A hand-over the hub refuses is never silent: the hub's directory moves 盘龙区 under another
//!   office above (the province) after 五华区 checked it, so the hub cannot route the next lateral hand-over; on its
//!   next sync 五华区 hears why, and the complaint is back in its hands, to be screened again, with
//!   the reporter's acceptance notice owed by it once more.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qingfeng_systest::{Hub, Office};
use serde_json::Value;

const DIRECTORY: &str = "代码,名称,简称,层级,上级代码,类别
530000,云南省纪委监委,云,省级,,
530100,昆明市纪委监委,昆,州市级,530000,
530102,五华区纪委监委,五,县级,530100,
530103,盘龙区纪委监委,盘,县级,530100,
530300,曲靖市纪委监委,曲,州市级,530000,
530302,麒麟区纪委监委,麒,县级,530300,
";

/// The complaint's open deadlines of `kind` at `office`.
fn open_deadlines(office: &Office, id: &str, kind: &str) -> Vec<Value> {
    office.show(id)["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == kind && d["status"] == "open")
        .cloned()
        .collect()
}

/// Asks for a lateral hand-over at `office` and has its leader grant it.
fn hand_laterally(office: &Office, id: &str, to: &str) {
    let asked = office.step(id, &["lateral", "--to", to, "--reason", "被反映人系盘龙区管理的干部"]);
    let approval = asked["approval_id"].as_str().expect("an approval is asked").to_owned();
    office.step_as("ld", id, &["decide", "--approval", &approval, "--grant", "--comment", "同意平级移交"]);
}

#[test]
fn a_lateral_hand_over_reaches_the_sibling_and_one_the_hub_refuses_comes_back_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let file = dir.path().join("名录.csv");
    std::fs::write(&file, DIRECTORY).unwrap();
    hub.ok(&["directory", "import", file.to_str().unwrap()]);
    hub.start();
    let wuhua = Office::county(dir.path());
    let panlong = Office::new(dir.path(), "530103", "盘龙区纪委监委", "county", Some("530100"));
    for office in [&wuhua, &panlong] {
        office.enroll(&hub);
    }
    // 盘龙区 publishes its sealing keys first, so 五华区 can seal the reporter's identity to it.
    panlong.sync(None).unwrap();
    wuhua.sync(None).unwrap();

    // A destination the rule does not allow is refused with the allowed ones named; nothing is
    // recorded.
    let id = wuhua.register("反映某局干部违规收受礼金");
    let aggregate = format!("complaint:{id}");
    let before = wuhua.events_of(&aggregate);
    let out = wuhua.run(&[
        "complaint",
        "transition",
        &id,
        "lateral",
        "--to",
        "麒麟区纪委监委",
        "--reason",
        "试",
        "--as",
        "xf",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a lateral hand-over to a county of another prefecture is refused");
    assert!(
        err.contains("不是同一上级机关下的同级机关") && err.contains("可以平级移交的机关：盘龙区纪委监委（530103）"),
        "{err}"
    );
    let out = wuhua.run(&["complaint", "transition", &id, "lateral", "--to", "盘龙县", "--reason", "试", "--as", "xf"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("机关名录中没有名称或代码为“盘龙县”的机关") && err.contains("盘龙区纪委监委"), "{err}");
    assert_eq!(wuhua.events_of(&aggregate), before, "a refused hand-over records nothing on the complaint");

    // 平级移交 by name, approved, ordered by the hub: 盘龙区 handles it and owes the notice.
    hand_laterally(&wuhua, &id, "盘龙区纪委监委");
    assert_eq!(wuhua.show(&id)["summary"]["status"], "handed_laterally");
    wuhua.sync(None).unwrap();
    panlong.sync(None).unwrap();
    let there = panlong.show(&id);
    assert_eq!((there["handled_here"].as_bool(), there["owner"]["code"].as_str()), (Some(true), Some("530103")));
    assert_eq!(there["summary"]["status"], "registered", "the sibling screens it afresh");
    assert_eq!(open_deadlines(&panlong, &id, "acceptance_notice").len(), 1, "the notice falls due at 盘龙区");
    wuhua.sync(None).unwrap();
    let here = wuhua.show(&id);
    assert_eq!((here["handled_here"].as_bool(), here["owner"]["code"].as_str()), (Some(false), Some("530103")));
    // The one open notice is 盘龙区's: on 五华区's dashboard it is not, on 盘龙区's it is.
    let owes = |office: &Office| {
        office.json(&["complaint", "dashboard", "--as", "xf"])["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["complaint_id"] == id.as_str() && i["deadline"]["kind"] == "acceptance_notice")
    };
    assert_eq!((owes(&wuhua), owes(&panlong)), (false, true), "exactly 盘龙区 owes the reporter the notice");

    // The hub's directory puts 盘龙区 directly under the province (a 直辖县级 unit) after 五华区
    // last synced: 五华区 still
    // finds it a sibling and records the hand-over; the hub cannot route it.
    let second = wuhua.register("反映某所所长违规经商");
    hand_laterally(&wuhua, &second, "530103");
    assert_eq!(wuhua.show(&second)["summary"]["status"], "handed_laterally");
    assert!(open_deadlines(&wuhua, &second, "acceptance_notice").is_empty(), "the sibling would owe it");
    let moved = dir.path().join("调整.csv");
    std::fs::write(&moved, "代码,名称,简称,层级,上级代码,类别\n530103,盘龙区纪委监委,盘,县级,530000,\n").unwrap();
    hub.ok(&["directory", "import", moved.to_str().unwrap()]);
    wuhua.sync(None).unwrap();
    assert_eq!(wuhua.status()["pending"], 0, "the hand-over's change set is accepted, not refused whole");

    // Back in 五华区's hands, with the reason, to be screened again; the notice is owed here.
    let back = wuhua.show(&second);
    assert_eq!((back["handled_here"].as_bool(), back["summary"]["status"].as_str()), (Some(true), Some("registered")));
    let said: Vec<&str> = back["timeline"].as_array().unwrap().iter().filter_map(|t| t["text"].as_str()).collect();
    assert!(
        said.iter().any(|t| t.contains("省级平台未能移交盘龙区纪委监委") && t.contains("不是同一上级机关下的同级机关")),
        "the timeline says the hub refused it and why: {said:?}"
    );
    assert_eq!(open_deadlines(&wuhua, &second, "acceptance_notice").len(), 1, "the reporter is owed the notice again");
    assert!(back["actions"].as_array().unwrap().iter().any(|a| a == "screen"), "{}", back["actions"]);
    // On 工作台 (the inbox) it is waiting to be screened again.
    let inbox = wuhua.json(&["complaint", "inbox", "--as", "xf"]);
    assert!(
        inbox.as_array().unwrap().iter().any(|i| i["complaint"]["id"] == second.as_str() && i["task"] == "待筛选"),
        "{inbox}"
    );
    // The event list names each step in Chinese, the hub's refusal among them.
    let listed =
        String::from_utf8_lossy(&wuhua.run(&["events", "list", "--limit", "100000", "--as", "xf"]).stdout).into_owned();
    for step in ["平级移交", "省级平台未能移交", "省级平台确认移交", "提请审批", "登记"] {
        assert!(listed.contains(step), "events list lacks {step}: {listed}");
    }
    for code in ["complaint.handed_laterally", "ownership.declined", "approval.requested"] {
        assert!(!listed.contains(code), "events list prints the code {code}");
    }
    // 盘龙区 never received it.
    panlong.sync(None).unwrap();
    assert!(panlong.run(&["complaint", "show", &second, "--as", "xf", "--json"]).status.code() != Some(0));
    hub.kill();
}
