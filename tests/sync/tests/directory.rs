//! The province's directory as real processes use it (issue #16 item 1): the hub imports a
//! directory file after a dry run, three offices sync over 127.0.0.1, and with the hub stopped
//! each office lists every office and resident group, with names and levels, offline.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qingfeng_systest::{Hub, Office};

const DIRECTORY: &str = "\u{feff}代码,名称,简称,层级,上级代码,类别
530000,云南省纪委监委,云,省级,,
530100,昆明市纪委监委,昆,州市级,530000,
530102,五华区纪委监委,五,县级,530100,
530103,盘龙区纪委监委,盘,县级,530100,
530300,曲靖市纪委监委,曲,州市级,530000,
530302,麒麟区纪委监委,麒,县级,530300,
530000-01,云南省纪委监委驻省教育厅纪检监察组,驻教,,530000,派驻组
530100-01,昆明市纪委监委驻市公安局纪检监察组,昆驻公,,530100,派驻组
";

#[test]
fn a_directory_imported_at_the_hub_is_listed_offline_by_every_office() {
    let dir = tempfile::tempdir().unwrap();
    let mut hub = Hub::new(dir.path());
    let file = dir.path().join("名录.csv");
    std::fs::write(&file, DIRECTORY).unwrap();
    let file = file.to_str().unwrap();

    // A dry run first: it says what would happen and writes nothing.
    let dry = hub.json(&["directory", "import", file, "--dry-run", "--json"]);
    assert_eq!(
        (dry["added"].as_u64(), dry["changed"].as_u64(), dry["applied"].as_bool()),
        (Some(5), Some(3), Some(false))
    );
    assert_eq!(hub.json(&["office", "list", "--json"]).as_array().unwrap().len(), 3);
    let imported = hub.ok(&["directory", "import", file]);
    assert!(imported.contains("已导入名录") && imported.contains("新增 5 个"), "{imported}");
    assert_eq!(hub.json(&["directory", "list", "--json"]).as_array().unwrap().len(), 8);

    hub.start();
    let city = Office::city(dir.path());
    let wuhua = Office::county(dir.path());
    let panlong = Office::new(dir.path(), "530103", "盘龙区纪委监委", "county", Some("530100"));
    for office in [&city, &wuhua, &panlong] {
        office.enroll(&hub);
        office.sync(None).unwrap();
    }
    // Offline: the hub is gone, and every office still knows every destination.
    hub.kill();
    for office in [&city, &wuhua, &panlong] {
        let listed = office.json(&["directory", "list"]);
        let codes: Vec<&str> = listed.as_array().unwrap().iter().map(|o| o["code"].as_str().unwrap()).collect();
        assert_eq!(
            codes,
            ["530000", "530000-01", "530100", "530100-01", "530102", "530103", "530300", "530302"],
            "{} lists the directory",
            office.code
        );
        let qilin = office.json(&["directory", "show", "530302"]);
        assert_eq!((qilin["name"].as_str(), qilin["level_label"].as_str()), (Some("麒麟区纪委监委"), Some("县级")));
        assert_eq!(qilin["parent_name"], "曲靖市纪委监委");
        let group = office.json(&["directory", "show", "530100-01"]);
        assert_eq!((group["unit"].as_str(), group["level"].as_str()), (Some("resident_group"), Some("prefecture")));
        assert_eq!(group["short_name"], "昆驻公");
        let missing = office.run(&["directory", "show", "530199"]);
        assert!(!missing.status.success());
        assert!(String::from_utf8_lossy(&missing.stderr).contains("名录中没有代码为 530199 的机关"));
    }
}
