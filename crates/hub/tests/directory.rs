//! The province's office directory at the hub (issue #16 item 1): a province of 1,639 offices and
//! resident groups imported from CSV in one go, an XLSX file, a dry run that writes nothing, bad
//! rows named by line with nothing half-imported, and the import reaching every office's feed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Backend;

use std::time::Instant;

use qingfeng_hub::Hub;
use qingfeng_hub::directory::{self, Parsed};
use qingfeng_log::kind;
use qingfeng_log::office::{OfficeLevel, UnitKind};
use qingfeng_log::payload::DirectoryImported;
use qingfeng_sync::Alg;

const HEADER: &str = "代码,名称,简称,层级,上级代码,类别\n";

/// A province as large as the issue's: the province, 20 prefectures of 80 counties each, and 18
/// resident groups sent by the province: 1 + 20 + 1,600 + 18 = 1,639 rows.
fn province_csv() -> String {
    let mut csv = String::from(HEADER);
    csv.push_str("530000,云南省纪委监委,云,省级,,纪委监委\n");
    for p in 1..=20 {
        let pref = format!("53{p:02}00");
        csv.push_str(&format!("{pref},第{p}州市纪委监委,州{p},州市级,530000,\n"));
        for c in 1..=80 {
            csv.push_str(&format!("53{p:02}{c:02},第{p}州市第{c}县纪委监委,县{c},县级,{pref},纪委监委\n"));
        }
    }
    for g in 1..=18 {
        csv.push_str(&format!("530000-{g:02},省纪委监委派驻第{g}纪检监察组,驻{g},,530000,派驻组\n"));
    }
    csv
}

fn empty_hub(backend: &Backend, dir: &std::path::Path) -> Hub {
    Hub::init_database(&backend.database(dir), Some(&dir.join("hub.key")), Alg::Ed25519).unwrap()
}

fn hub_events(hub: &Hub) -> u64 {
    hub.counts().unwrap().events
}

on_each_backend! {
fn a_province_of_1639_offices_imports_in_one_go_after_a_dry_run(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = empty_hub(&backend, dir.path());
    let parsed = directory::parse_csv(province_csv().as_bytes()).unwrap();
    assert_eq!(parsed.rows.len(), 1639);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);

    let dry = hub.import_directory(&parsed, true).unwrap();
    assert!(dry.dry_run && !dry.applied);
    assert_eq!((dry.added, dry.changed, dry.unchanged), (1639, 0, 0));
    assert!(hub.offices().unwrap().is_empty(), "a dry run writes nothing");
    assert_eq!(hub_events(&hub), 0);

    let started = Instant::now();
    let report = hub.import_directory(&parsed, false).unwrap();
    let elapsed = started.elapsed();
    println!("imported 1,639 offices in {:.3} s", elapsed.as_secs_f64());
    assert!(report.applied, "{report:?}");
    assert_eq!(report.added, 1639);
    let offices = hub.offices().unwrap();
    assert_eq!(offices.len(), 1639);
    let group = offices.iter().find(|o| o.code == "530000-07").unwrap();
    assert_eq!(group.unit, UnitKind::ResidentGroup);
    assert_eq!(group.level, OfficeLevel::Province, "a resident group takes its sending office's level");
    assert_eq!(group.parent_code.as_deref(), Some("530000"));
    let county = offices.iter().find(|o| o.code == "531780").unwrap();
    assert_eq!((county.short_name.as_deref(), county.parent_code.as_deref()), (Some("县80"), Some("531700")));
    // One hub-signed event carries the whole import, and every office's feed holds it.
    assert_eq!(hub_events(&hub), 1);
    assert!(offices.iter().all(|o| o.feed_head == 1), "every office's feed carries the import");
    let feed = common::read_feed(&hub, "530102", "x");
    assert_eq!(feed.len(), 1);
    assert_eq!(feed[0].kind, kind::DIRECTORY_IMPORTED);
    let payload: DirectoryImported = feed[0].payload().unwrap();
    assert_eq!(payload.entries.len(), 1639);
    assert_eq!(payload.entries[0].code, "530000", "parents come before their children");

    // The same file again changes nothing and writes nothing.
    let again = hub.import_directory(&parsed, false).unwrap();
    assert_eq!((again.applied, again.added, again.changed, again.unchanged), (false, 0, 0, 1639));
    assert_eq!(hub_events(&hub), 1);

    // A renamed county travels as a change; an office added later starts its feed with the
    // directory so far.
    let renamed = format!("{HEADER}530102,第1州市第2县纪委监委（更名）,新,县级,530100,\n");
    let report = hub.import_directory(&directory::parse_csv(renamed.as_bytes()).unwrap(), false).unwrap();
    assert_eq!((report.applied, report.changed, report.added), (true, 1, 0));
    assert_eq!(hub.offices().unwrap().iter().find(|o| o.code == "530102").unwrap().short_name.as_deref(), Some("新"));
    hub.add_office("532100", "第21州市纪委监委", OfficeLevel::Prefecture, Some("530000")).unwrap();
    let late = common::read_feed(&hub, "532100", "x");
    let kinds: Vec<&str> = late.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, [kind::DIRECTORY_IMPORTED, kind::DIRECTORY_IMPORTED, kind::OFFICE_CREATED]);
}
}

on_each_backend! {
fn every_bad_row_is_named_with_its_line_and_nothing_is_imported(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = empty_hub(&backend, dir.path());
    hub.add_office("530000", "云南省纪委监委", OfficeLevel::Province, None).unwrap();
    let before = hub_events(&hub);
    let csv = format!(
        "{HEADER}\
         530100,昆明市纪委监委,昆,州市级,530000,\n\
         530102,五华区纪委监委,五,县级,530100,\n\
         530102,五华区纪委监委（重复）,五,县级,530100,\n\
         530302,麒麟区纪委监委,麒,县级,530300,\n\
         530104,官渡区纪委监委,官,州市级,530100,\n\
         530102001,某乡镇,乡,县级,530100,\n\
         530105,,西,县级,530100,\n\
         530000-01,派驻第一组,驻一,县级,530000,派驻组\n\
         530000-02,派驻第二组,驻二,省级,530000,工作组\n\
         530100-01,派驻第三组,驻三,,530000,派驻组\n\
         530111,呈贡区纪委监委,呈 贡,县级,530100,\n\
         530000,云南省纪委监委,云,州市级,,\n\
         530112,晋宁区纪委监委,晋,县级,530100,\n"
    );
    let parsed = directory::parse_csv(csv.as_bytes()).unwrap();
    for dry_run in [true, false] {
        let report = hub.import_directory(&parsed, dry_run).unwrap();
        assert!(!report.applied);
        let lines: Vec<usize> = report.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [4, 5, 6, 7, 8, 9, 10, 11, 12, 13], "{:#?}", report.problems);
        let reason = |line: usize| report.problems.iter().find(|p| p.line == line).unwrap().reason.clone();
        assert!(reason(4).contains("与第 3 行重复"), "{}", reason(4));
        assert!(reason(5).contains("530300") && reason(5).contains("不在名录中"), "{}", reason(5));
        assert!(reason(6).contains("行政区划代码"), "{}", reason(6));
        assert!(reason(7).contains("6 位数字"), "{}", reason(7));
        assert!(reason(8).contains("名称不能为空"), "{}", reason(8));
        assert!(reason(9).contains("层级应与派出机关"), "{}", reason(9));
        assert!(reason(10).contains("类别"), "{}", reason(10));
        assert!(reason(11).contains("派出机关代码 530000"), "{}", reason(11));
        assert!(reason(12).contains("简称"), "{}", reason(12));
        assert!(reason(13).contains("州市级机关的代码"), "{}", reason(13));
        assert!(report.problems.iter().all(|p| !p.reason.is_ascii()), "reasons are in Chinese");
        // Nothing half-imported: the good rows (530100, 530102, 530112) are not there either.
        assert_eq!(hub.offices().unwrap().len(), 1);
        assert_eq!(hub_events(&hub), before);
    }
    // A file without the columns, or not in UTF-8, is refused as a whole.
    let e = directory::parse_csv("code,name\n530100,昆明\n".as_bytes()).unwrap_err();
    assert!(e.to_string().contains("缺少列：代码、名称、简称、层级、上级代码"), "{e}");
    let gbk = b"\xb4\xfa\xc2\xeb,\xc3\xfb\xb3\xc6\n";
    assert!(directory::parse_csv(gbk).unwrap_err().to_string().contains("UTF-8"));
    assert!(directory::read_file(&dir.path().join("名录.doc")).is_err());
}
}

on_each_backend! {
fn an_xlsx_file_with_numeric_codes_imports_like_csv(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = empty_hub(&backend, dir.path());
    let path = dir.path().join("名录.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["代码", "名称", "简称", "层级", "上级代码", "类别"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    // Codes typed into a spreadsheet are numbers; a resident group's code is text.
    let rows: [(&str, &str, &str, &str, &str, &str); 4] = [
        ("530000", "云南省纪委监委", "云", "省级", "", ""),
        ("530100", "昆明市纪委监委", "昆", "州市级", "530000", ""),
        ("530102", "五华区纪委监委", "五", "县级", "530100", "纪委监委"),
        ("530100-01", "昆明市纪委监委派驻第一纪检监察组", "昆驻一", "", "530100", "派驻组"),
    ];
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        let cells = [row.0, row.1, row.2, row.3, row.4, row.5];
        for (c, cell) in cells.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(n) if c == 0 || c == 4 => sheet.write_number(r, c as u16, n).map(|_| ()).unwrap(),
                _ => sheet.write_string(r, c as u16, *cell).map(|_| ()).unwrap(),
            }
        }
    }
    book.save(&path).unwrap();
    let parsed: Parsed = directory::read_file(&path).unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4, 5]);
    let report = hub.import_directory(&parsed, false).unwrap();
    assert_eq!((report.applied, report.added), (true, 4));
    let group = hub.offices().unwrap().into_iter().find(|o| o.code == "530100-01").unwrap();
    assert_eq!((group.level, group.unit), (OfficeLevel::Prefecture, UnitKind::ResidentGroup));
}
}

on_each_backend! {
/// An office's officers are named to every office (a case may travel anywhere), and an office may
/// name only its own.
fn officers_names_reach_every_office_and_only_their_own_office_names_them(backend) {
    let dir = tempfile::tempdir().unwrap();
    let hub = backend.hub_in(dir.path());
    let mut wuhua = common::Device::enrolled(&hub, common::WUHUA, "wuhua-1");
    let named = |office: &str, uid: &str| qingfeng_log::payload::OfficerNamed {
        user_id: uid.into(),
        display_name: "李四".into(),
        office_code: office.into(),
    };
    let own = wuhua.event(kind::OFFICER_NAMED, "officer:u-1", &named(common::WUHUA, "u-1"));
    assert_eq!(wuhua.send(&hub, vec![own.clone()]), "accepted");
    for office in [common::PROVINCE, common::KUNMING, common::PANLONG, common::QUJING, common::QILIN] {
        let feed = common::read_feed(&hub, office, "x");
        assert!(feed.iter().any(|e| e.id == own.id), "{office} receives the name");
    }
    // Naming another office's officer is refused, and so routed nowhere.
    let foreign = wuhua.event(kind::OFFICER_NAMED, "officer:u-2", &named(common::QILIN, "u-2"));
    assert_eq!(wuhua.send(&hub, vec![foreign.clone()]), "unauthorized");
    assert!(!common::read_feed(&hub, common::QILIN, "x").iter().any(|e| e.id == foreign.id));
}
}

on_each_backend! {
fn a_new_catalogue_version_reaches_every_office_and_a_used_number_is_refused(backend) {
    use qingfeng_log::catalogue::{self, CataloguePublished, Category};
    let dir = tempfile::tempdir().unwrap();
    let hub = empty_hub(&backend, dir.path());
    hub.import_directory(&directory::parse_csv(province_csv().as_bytes()).unwrap(), false).unwrap();

    let mut doc = catalogue::builtin();
    doc.version = 2;
    doc.effective = "2026-10-01".into();
    doc.categories.push(Category { code: "work_burden".into(), name: "基层负担过重".into(), parent: Some("work".into()) });
    hub.publish_catalogue(&doc).unwrap();

    // Every office's feed carries it, signed by the hub, and it reads back as the version published.
    let feed = common::read_feed(&hub, "530102", "x");
    let published: Vec<_> = feed.iter().filter(|e| e.kind == kind::CATALOGUE_PUBLISHED).collect();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].aggregate, "catalogue:key_problems/2");
    let p: CataloguePublished = published[0].payload().unwrap();
    let got = p.verified().unwrap();
    assert_eq!(got.version, 2);
    assert!(got.find("基层负担过重").is_some());
    assert!(kind::is_hub_published(&published[0].kind), "offices accept it from the hub");

    // A number once used, the built-in's number, and a broken version are refused; nothing is written.
    let before = hub_events(&hub);
    doc.categories.pop();
    let err = hub.publish_catalogue(&doc).unwrap_err().to_string();
    assert!(err.contains("第 2 版已经发布过"), "{err}");
    doc.version = 1;
    assert!(hub.publish_catalogue(&doc).unwrap_err().to_string().contains("应大于程序内置的第 1 版"));
    doc.version = 3;
    doc.categories[1].parent = Some("nowhere".into());
    assert!(hub.publish_catalogue(&doc).unwrap_err().to_string().contains("只分两级"));
    assert_eq!(hub_events(&hub), before);
}
}
