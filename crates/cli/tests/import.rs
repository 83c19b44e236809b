//! `qingfeng import …` as an administrator's script uses it, on a demo database: a dry run that
//! writes nothing, the import, a re-run that adds nothing, a saved mapping used by name, and a
//! file with a bad row refused with its row number and nothing written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{json, qingfeng};

const CSV: &str = "信访编号,收到日期,来源,反映问题摘要,被反映人,被反映人单位,办理状态,办结日期,办理结果\n\
XF-1,2023年1月5日,来信,反映违规收受礼金,王某,区住建局,已办结,2023-03-01,已核实并处理\n\
XF-2,2023/2/6,网络,反映公车私用,李某,区水务局,已受理,,\n";

fn events(d: &std::path::Path) -> u64 {
    json(&qingfeng(d, &["status", "--json"], None))["events"].as_u64().unwrap()
}

#[test]
fn importing_an_older_platforms_register_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None));
    let file = d.join("原平台.csv");
    std::fs::write(&file, CSV).unwrap();
    let f = file.to_str().unwrap();

    let before = events(d);
    let dry = json(&qingfeng(d, &["import", "complaints", f, "--dry-run", "--as", "xinfang", "--json"], None));
    assert_eq!((dry["outcome"].as_str(), dry["new_records"].as_u64()), (Some("dry_run"), Some(2)), "{dry}");
    // The sign-in and sign-out of the acting officer are the only events.
    assert_eq!(events(d), before + 2, "a dry run writes nothing");

    // The import, saving the guessed mapping by name; the human report is in Chinese.
    let out = qingfeng(d, &["import", "complaints", f, "--save-mapping", "原信访平台", "--as", "xinfang"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("导入完成") && text.contains("新记录 2 条"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("正在写入：100%"));

    // Again with the saved mapping: nothing new, nothing written.
    let after = events(d);
    let again =
        json(&qingfeng(d, &["import", "complaints", f, "--mapping", "原信访平台", "--as", "xinfang", "--json"], None));
    assert_eq!((again["outcome"].as_str(), again["already_imported"].as_u64()), (Some("nothing_new"), Some(2)));
    assert_eq!(events(d), after + 2);

    // A bad row: refused with its number, exit code 1, nothing written.
    std::fs::write(&file, format!("{CSV}XF-3,2023-13-01,来电,反映问题,赵某,区教育局,待筛选,,\n")).unwrap();
    let out = qingfeng(d, &["import", "complaints", f, "--as", "xinfang"], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("第 4 行（收到日期）") && text.contains("不存在"), "{text}");
    assert_eq!(events(d), after + 4);

    // An unknown kind and a mapping never saved are refused in Chinese.
    let out = qingfeng(d, &["import", "cases", f, "--as", "xinfang"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("不认识的导入类别"));
    let out = qingfeng(d, &["import", "complaints", f, "--mapping", "无此名", "--as", "xinfang"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有名为“无此名”"));
}

/// A register of penalty decisions with the state of their execution items.
const PENALTY_CSV: &str = "决定文号,受处分人,单位,党纪处分,政务处分,决定日期,批准日期,决定机关,执行单位,送达,宣布,归档\n\
迁纪发〔2022〕7号,钱某,区交通局,党内警告,,2022-03-01,2022-03-03,区纪委,区交通局,已完成 2022-03-05,已完成 2022年3月8日,待审核 2022-04-01\n\
迁监发〔2022〕8号,孙某,区卫健局,,记过,2022/4/1,,区监委,区卫健局,已完成 2022-04-06,,\n";

#[test]
fn importing_penalty_decisions_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None));
    let file = d.join("处分决定.csv");
    std::fs::write(&file, PENALTY_CSV).unwrap();
    let f = file.to_str().unwrap();

    let dry = json(&qingfeng(d, &["import", "penalties", f, "--dry-run", "--as", "shenli", "--json"], None));
    assert_eq!((dry["outcome"].as_str(), dry["new_records"].as_u64()), (Some("dry_run"), Some(2)), "{dry}");
    let out = qingfeng(d, &["import", "penalties", f, "--as", "shenli"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("新记录 2 条"));
    let again = json(&qingfeng(d, &["import", "penalties", f, "--as", "shenli", "--json"], None));
    assert_eq!((again["outcome"].as_str(), again["already_imported"].as_u64()), (Some("nothing_new"), Some(2)));

    // An unknown penalty name: refused with the names the program knows, exit code 1.
    std::fs::write(
        &file,
        format!("{PENALTY_CSV}迁纪发〔2022〕9号,周某,区林草局,诫勉谈话,,2022-05-01,,区纪委,区林草局,,,\n"),
    )
    .unwrap();
    let out = qingfeng(d, &["import", "penalties", f, "--as", "shenli"], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("第 4 行（党纪处分）：不认识的党纪处分“诫勉谈话”：可填党内警告"), "{text}");
}

#[test]
fn importing_rectification_lists_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&qingfeng(d, &["demo", "--json"], None));
    let file = d.join("整改清单.csv");
    std::fs::write(
        &file,
        "清单编号,清单名称,问题来源,交办日期,问题,责任单位,完成期限,整改状态\n\
ZG-1,巡察反馈问题整改清单,巡察,2023-02-01,经费使用不规范,区水务局,2023-05-01,已完成 2023-04-20\n\
ZG-1,巡察反馈问题整改清单,巡察,2023-02-01,招标程序不规范,区水务局,2023-05-01,已完成 2023-04-28\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let out = json(&qingfeng(d, &["import", "rectifications", f, "--as", "jiancha", "--json"], None));
    assert_eq!(
        (out["outcome"].as_str(), out["new_records"].as_u64(), out["rows"].as_u64()),
        (Some("imported"), Some(1), Some(2))
    );
    let again = json(&qingfeng(d, &["import", "rectifications", f, "--as", "jiancha", "--json"], None));
    assert_eq!(again["outcome"].as_str(), Some("nothing_new"));
}
