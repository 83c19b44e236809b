//! Review up the chain (审核把关, issue #16 item 5; seed 001 "对承办机关报送的调查结果严格审核把关")
//! as real processes run it: a hub with the province's directory, 昆明市 and two of its counties on
//! 127.0.0.1.
//!
//! 昆明市 assigns (交办) a complaint to 五华区 with a 20-working-day report; 五华区 reports its
//! result; the report becomes 昆明市's review (审核结果报告); 昆明市 sends it back with a note and 15
//! working days, which 五华区 sees as a new report due, with the note, in its timeline and its
//! work; 五华区 reports again; 昆明市 accepts. Both sides' timelines name the office and the
//! verdict, and neither has a report or a review left open. Every wrong review is refused in
//! Chinese and records nothing: before any report, by the office that did not assign it, by a
//! post that may not review, without a note, with days out of range, and a second time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qingfeng_systest::{Hub, Office};
use serde_json::Value;

const DIRECTORY: &str = "代码,名称,简称,层级,上级代码,类别
530000,云南省纪委监委,云,省级,,
530100,昆明市纪委监委,昆,州市级,530000,
530102,五华区纪委监委,五,县级,530100,
530103,盘龙区纪委监委,盘,县级,530100,
";

/// The complaint's deadlines of `kind` at `office` with status `status`.
fn deadlines(office: &Office, id: &str, kind: &str, status: &str) -> Vec<Value> {
    office.show(id)["deadlines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == kind && d["status"] == status)
        .cloned()
        .collect()
}

/// The complaint's timeline at `office`, as its lines of text.
fn timeline(office: &Office, id: &str) -> Vec<String> {
    office.show(id)["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["text"].as_str().map(str::to_owned))
        .collect()
}

/// The inbox tasks `office` has on complaint `id`.
fn tasks(office: &Office, id: &str) -> Vec<String> {
    office
        .json(&["complaint", "inbox", "--as", "xf"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["complaint"]["id"] == id)
        .map(|i| i["task"].as_str().unwrap().to_owned())
        .collect()
}

/// Takes a step that must be refused: the Chinese refusal must contain `text`, and the
/// complaint's events at `office` must be as they were.
fn refused(office: &Office, id: &str, user: &str, step: &[&str], text: &str) {
    let aggregate = format!("complaint:{id}");
    let before = office.events_of(&aggregate);
    let mut args = vec!["complaint", "transition", id];
    args.extend_from_slice(step);
    args.extend(["--as", user]);
    let out = office.run(&args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{step:?} as {user} at {} must be refused", office.code);
    assert!(err.contains(text), "{step:?} as {user}: expected “{text}”, got {err}");
    assert_eq!(office.events_of(&aggregate), before, "a refused review records nothing");
}

#[test]
fn the_prefecture_sends_a_result_back_then_accepts_the_new_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let file = dir.path().join("名录.csv");
    std::fs::write(&file, DIRECTORY).unwrap();
    hub.ok(&["directory", "import", file.to_str().unwrap()]);
    hub.start();
    let city = Office::city(dir.path());
    let wuhua = Office::county(dir.path());
    let panlong = Office::new(dir.path(), "530103", "盘龙区纪委监委", "county", Some("530100"));
    for office in [&city, &wuhua, &panlong] {
        office.enroll(&hub);
    }
    // Each office publishes its sealing keys, so the city can seal the reporter to a county.
    for office in [&wuhua, &panlong, &city] {
        office.sync(None).unwrap();
    }
    let round = || {
        for office in [&city, &wuhua, &panlong, &city] {
            office.sync(None).unwrap();
        }
    };

    // 交办: the city assigns one complaint to 五华区 and another to 盘龙区.
    let id = city.register("反映某局局长违规收受礼金");
    city.step(&id, &["assign", "--to", "五华区纪委监委", "--report-days", "20", "--reason", "请查处并报告结果"]);
    city.step_as("ld", &id, &["decide", "--grant", "--comment", "同意交办"]);
    let other = city.register("反映某所所长违规经商");
    city.step(&other, &["assign", "--to", "盘龙区纪委监委", "--reason", "请查处并报告结果"]);
    city.step_as("ld", &other, &["decide", "--grant", "--comment", "同意交办"]);
    round();
    assert_eq!(deadlines(&wuhua, &id, "assignment_report", "open").len(), 1, "五华区 owes the city a report");

    // Nothing to review before a report; 五华区 did not assign it.
    refused(&city, &id, "xf", &["accept-result"], "承办机关还没有上报（或重新上报）办理结果");
    refused(&city, &other, "xf", &["return-result", "--note", "请补充"], "承办机关还没有上报（或重新上报）办理结果");
    refused(&wuhua, &id, "xf", &["accept-result"], "此件不是本机关交办或督办的，不能审核其办理结果");

    // 五华区 reports; the report is the city's to review, by its own date, on its dashboard and inbox.
    wuhua.step(&id, &["report-result", "--date", "2026-01-06", "--note", "经核查，反映问题部分属实"]);
    round();
    let review = deadlines(&city, &id, "result_review", "open");
    assert_eq!(review.len(), 1, "the city owes a review: {:?}", city.show(&id)["deadlines"]);
    assert_eq!(review[0]["label"], "审核办理结果报告");
    assert!(tasks(&city, &id).contains(&"待审核下级上报的办理结果".to_owned()), "{:?}", tasks(&city, &id));
    let on_dashboard = |office: &Office, kind: &str| {
        office.json(&["complaint", "dashboard", "--as", "xf"])["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["complaint_id"] == id.as_str() && i["deadline"]["kind"] == kind)
    };
    assert!(on_dashboard(&city, "result_review"), "the review is on the city's dashboard");
    let actions = city.show(&id)["actions"].clone();
    assert!(actions.as_array().unwrap().iter().any(|a| a == "accept_result"), "{actions}");
    assert!(actions.as_array().unwrap().iter().any(|a| a == "return_result"), "{actions}");
    // 五华区 reviews nothing: the review is not its own.
    assert!(deadlines(&wuhua, &id, "result_review", "open").len() == 1 && !on_dashboard(&wuhua, "result_review"));

    // Bad input at the city: a post that may not review, no note, days out of range.
    refused(&city, &id, "ld", &["accept-result"], "“信访室”或“案件监督管理室”角色");
    refused(&city, &id, "xf", &["return-result", "--note", "  "], "请填写退回重报的理由和要求");
    refused(&city, &id, "xf", &["return-result", "--note", "请补充", "--report-days", "4"], "5 至 250 个工作日");
    refused(&city, &id, "xf", &["return-result", "--note", "请补充", "--report-days", "251"], "5 至 250 个工作日");

    // 退回重报: a new report falls due at 五华区 with the note, 15 working days from today.
    city.step(&id, &["return-result", "--note", "请补充与被反映人谈话的情况", "--report-days", "15"]);
    refused(&city, &id, "xf", &["accept-result"], "承办机关还没有上报（或重新上报）办理结果");
    round();
    let due = deadlines(&wuhua, &id, "assignment_report", "open");
    assert_eq!(due.len(), 1, "a new report is due at 五华区: {:?}", wuhua.show(&id)["deadlines"]);
    assert!(due[0]["basis"].as_str().unwrap().contains("15"), "{}", due[0]);
    assert!(on_dashboard(&wuhua, "assignment_report"), "五华区's dashboard shows the new report due");
    assert!(tasks(&wuhua, &id).contains(&"待上报交办督办结果".to_owned()), "{:?}", tasks(&wuhua, &id));
    let said = timeline(&wuhua, &id);
    assert!(
        said.iter().any(|t| t.contains("昆明市纪委监委审核办理结果：退回重报")
            && t.contains("15 个工作日")
            && t.contains("请补充与被反映人谈话的情况")),
        "五华区's timeline shows the send-back with its note: {said:?}"
    );

    // 五华区 reports again; the city accepts; a second review is refused.
    wuhua.step(&id, &["report-result", "--date", "2026-01-07", "--note", "已补充谈话笔录，反映问题部分属实"]);
    round();
    assert_eq!(deadlines(&city, &id, "result_review", "open").len(), 1, "the new report is reviewed again");
    city.step(&id, &["accept-result", "--note", "核查扎实，予以采纳"]);
    refused(&city, &id, "xf", &["accept-result"], "该办理结果已经审核过了，不能重复审核");
    refused(&city, &id, "xf", &["return-result", "--note", "再补充"], "该办理结果已经审核过了，不能重复审核");
    round();
    for office in [&city, &wuhua] {
        for kind in ["assignment_report", "result_review"] {
            assert!(deadlines(office, &id, kind, "open").is_empty(), "{kind} still open at {}", office.code);
        }
        assert_eq!(deadlines(office, &id, "result_review", "done").len(), 2, "two reviews done at {}", office.code);
        let said = timeline(office, &id);
        assert!(
            said.iter().any(|t| t.contains("昆明市纪委监委审核办理结果：采纳") && t.contains("核查扎实，予以采纳")),
            "{}'s timeline shows the acceptance: {said:?}",
            office.code
        );
        assert!(!said.iter().any(|t| t.contains("530100")), "no office code in the timeline: {said:?}");
        assert!(
            !tasks(office, &id).iter().any(|t| t.contains("审核") || t.contains("上报")),
            "{:?}",
            tasks(office, &id)
        );
    }
    // Both replicas hold the same events of the complaint.
    let aggregate = format!("complaint:{id}");
    assert_eq!(city.events_of(&aggregate), wuhua.events_of(&aggregate));
    // The event list names the new steps in Chinese.
    let listed =
        String::from_utf8_lossy(&city.run(&["events", "list", "--limit", "100000", "--as", "xf"]).stdout).into_owned();
    for step in ["采纳办理结果", "退回重报"] {
        assert!(listed.contains(step), "events list lacks {step}");
    }
    assert!(!listed.contains("complaint.result_"), "events list prints a kind's code");
    hub.kill();
}
