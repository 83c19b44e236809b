//! Importing an older platform's records (issue #19 item 5): the rules (dry run, all or nothing
//! per file, idempotent re-runs, the migrated mark, back-dated duties that are not red) and every
//! kind of bad input, each refused with a Chinese reason and nothing written.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use qingfeng_core::authz::Actor;
use qingfeng_core::identity::Role;
use qingfeng_core::migration::model::{ColumnMap, Limits, Mapping, MigrationKind, MigrationOutcome, MigrationReport};
use qingfeng_core::migration::{self, sample};
use rust_xlsxwriter::{Format, Workbook};

struct Office {
    f: common::Fixture,
    petitions: Actor,
}

fn office() -> Office {
    let mut f = common::initialized();
    let petitions = common::officer(&mut f.store, "xinfang", Role::Petitions);
    Office { f, petitions }
}

fn path(o: &Office, name: &str) -> PathBuf {
    o.f.dir.path().join(name)
}

/// Writes an XLSX file whose cells are all text (an empty string leaves the cell empty).
fn xlsx(path: &Path, rows: &[Vec<&str>]) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

const HEAD: [&str; 8] = ["原编号", "收到日期", "渠道", "摘要", "被反映人", "被反映单位", "办理状态", "办结日期"];

fn with_result_head() -> Vec<&'static str> {
    let mut h = HEAD.to_vec();
    h.push("办理结果");
    h
}

/// A row of a concluded anonymous complaint.
fn done<'a>(number: &'a str, received: &'a str) -> Vec<&'a str> {
    vec![
        number,
        received,
        "来信",
        "反映某局干部违规收受礼金",
        "王某",
        "区住建局",
        "已办结",
        "2023-03-01",
        "已核实并处理",
    ]
}

fn run(o: &mut Office, file: &Path, dry: bool) -> qingfeng_core::Result<MigrationReport> {
    let mapping = migration::suggested(file, MigrationKind::Complaints)?;
    run_with(o, file, &mapping, dry, &Limits::default())
}

fn run_with(
    o: &mut Office,
    file: &Path,
    m: &Mapping,
    dry: bool,
    limits: &Limits,
) -> qingfeng_core::Result<MigrationReport> {
    let mut progress = |_: _, _: u64, _: u64| {};
    if dry {
        migration::dry_run(&o.f.store, &o.petitions, file, MigrationKind::Complaints, m, limits, &mut progress)
    } else {
        migration::import(&mut o.f.store, &o.petitions, file, MigrationKind::Complaints, m, limits, &mut progress)
    }
}

fn complaints(o: &Office) -> i64 {
    o.f.store.raw_connection_for_tests().query_row("SELECT count(*) FROM complaints", [], |r| r.get(0)).unwrap()
}

/// Refused whole: a Chinese message containing `needle`, and not one event written.
fn refused(o: &mut Office, file: &Path, needle: &str) {
    let before = o.f.event_count();
    for dry in [true, false] {
        let err = run(o, file, dry).expect_err("the file should be refused");
        let msg = err.to_string();
        assert!(msg.contains(needle), "message {msg:?} should mention {needle:?}");
        assert!(msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{msg}");
    }
    assert_eq!(o.f.event_count(), before, "nothing written");
    assert_eq!(complaints(o), 0);
}

#[test]
fn a_register_is_imported_once_marked_as_migrated_with_its_history_and_no_red() {
    let mut o = office();
    let file = path(&o, "原平台.xlsx");
    sample::write_complaints_xlsx(&file, 60, 7).unwrap();

    let before = o.f.event_count();
    let dry = run(&mut o, &file, true).unwrap();
    assert_eq!(dry.outcome, MigrationOutcome::DryRun);
    assert_eq!((dry.rows, dry.new_records, dry.problem_count), (60, 60, 0), "{:?}", dry.problems);
    assert_eq!(o.f.event_count(), before, "a dry run writes nothing");

    let done = run(&mut o, &file, false).unwrap();
    assert_eq!(done.outcome, MigrationOutcome::Imported);
    assert_eq!(done.new_records, 60);
    assert_eq!(complaints(&o), 60);
    assert_eq!(o.f.count_kind("complaint.registered"), 60);
    assert_eq!(o.f.count_kind("import.record_migrated"), 60);
    assert_eq!(o.f.count_kind("import.completed"), 1);

    // A re-run adds nothing: every record is recognised by its original number.
    let events = o.f.event_count();
    let again = run(&mut o, &file, false).unwrap();
    assert_eq!(again.outcome, MigrationOutcome::NothingNew);
    assert_eq!((again.already_imported, again.new_records, again.changed_since), (60, 0, 0));
    assert_eq!(o.f.event_count(), events);
    assert_eq!(complaints(&o), 60);

    let conn = o.f.store.raw_connection_for_tests();
    // The states the older platform reached are kept: most of the sample was concluded.
    let concluded: i64 = conn
        .query_row("SELECT count(*) FROM complaints WHERE status = 'concluded' AND result IS NOT NULL", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(concluded > 30, "{concluded}");
    // Back-dated duties met in the older platform are met here: nothing is overdue.
    let overdue: i64 = conn
        .query_row("SELECT count(*) FROM deadlines WHERE status = 'open' AND due_date < date('now')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(overdue, 0, "migrated history must not show red");
    let met: i64 = conn
        .query_row("SELECT count(*) FROM deadlines WHERE kind = 'result_feedback' AND status = 'done'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(met > 0);

    // The mark and the original number show on the record's timeline, and the search finds it.
    let (id, original): (String, String) = conn
        .query_row("SELECT substr(aggregate, 11), original_number FROM migrated_records LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let detail = qingfeng_core::complaints::query::show(&mut o.f.store, &o.petitions, &id).unwrap();
    assert!(detail.timeline.iter().any(|t| t.text.contains(&format!("原编号 {original}"))), "{:?}", detail.timeline);
    let hits = qingfeng_core::complaints::query::list(
        &mut o.f.store,
        &o.petitions,
        &qingfeng_core::complaints::query::ComplaintFilter {
            text: Some("请求调查处理".into()), ..Default::default()
        },
    )
    .unwrap()
    .len();
    assert!(hits > 0, "imported complaints are in the search index");

    // The projections are rebuilt from the log alike.
    o.f.store.rebuild().unwrap();
    assert_eq!(complaints(&o), 60);
    let migrated: i64 =
        o.f.store
            .raw_connection_for_tests()
            .query_row("SELECT count(*) FROM migrated_records", [], |r| r.get(0))
            .unwrap();
    assert_eq!(migrated, 60);
    assert_eq!(migration::batches(&o.f.store).unwrap().len(), 1);
}

#[test]
fn dates_in_several_formats_excel_serials_and_full_width_digits_are_read() {
    let mut o = office();
    let file = path(&o, "日期.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in with_result_head().iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let texts = ["2023-01-05", "2023/1/5", "2023年1月5日", "２０２３年１月５日", "20230105"];
    let mut r = 1u32;
    for t in texts {
        let row = done("", t);
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
        sheet.write_string(r, 0, format!("ＸＦ－{r:03}")).unwrap();
        r += 1;
    }
    // An Excel serial day number, plain and formatted as a date.
    for fmt in [None, Some(Format::new().set_num_format("yyyy-mm-dd"))] {
        let row = done("", "");
        for (c, v) in row.iter().enumerate() {
            if c != 1 {
                sheet.write_string(r, c as u16, *v).unwrap();
            }
        }
        sheet.write_string(r, 0, format!("XF-{r:03}")).unwrap();
        match &fmt {
            Some(f) => sheet.write_number_with_format(r, 1, 44931.0, f).unwrap(),
            None => sheet.write_number(r, 1, 44931.0).unwrap(),
        };
        r += 1;
    }
    book.save(&file).unwrap();

    let report = run(&mut o, &file, false).unwrap();
    assert_eq!(report.outcome, MigrationOutcome::Imported, "{:?}", report.lines());
    assert_eq!(report.new_records, 7);
    let conn = o.f.store.raw_connection_for_tests();
    let dates: Vec<String> = conn
        .prepare("SELECT DISTINCT received_date FROM complaints")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(dates, vec!["2023-01-05".to_owned()]);
    // Full-width digits in the number become half-width, so a re-run recognises them.
    let n: i64 = conn
        .query_row("SELECT count(*) FROM migrated_records WHERE original_number = 'XF-001'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn bad_rows_are_reported_by_row_number_in_chinese_and_nothing_is_imported() {
    let mut o = office();
    let file = path(&o, "坏行.xlsx");
    let mut bad_date = done("XF-2", "05/01/2023");
    bad_date[1] = "05/01/2023";
    let mut no_result = done("XF-3", "2023-01-05");
    no_result[8] = "";
    let mut unknown_status = done("XF-4", "2023-01-05");
    unknown_status[6] = "研究中";
    let mut future = done("XF-5", "2099-01-05");
    future[7] = "";
    future[6] = "待筛选";
    xlsx(
        &file,
        &[
            with_result_head(),
            done("XF-1", "2023-01-05"),
            bad_date,
            no_result,
            unknown_status,
            future,
            done("XF-1", "2023-02-05"),
        ],
    );
    let before = o.f.event_count();
    let report = run(&mut o, &file, false).unwrap();
    assert_eq!(report.outcome, MigrationOutcome::Refused);
    let lines = report.lines().join("\n");
    for want in [
        "第 3 行（收到日期）：日期“05/01/2023”把年份写在最后",
        "第 4 行（办理结果）：已办结的件须填写办理结果",
        "第 5 行（办理状态）：不认识的办理状态“研究中”",
        "第 6 行（收到日期）：日期 2099-01-05 晚于今天",
        "第 7 行（原编号）：原编号“XF-1”与第 2 行重复",
    ] {
        assert!(lines.contains(want), "report should say {want:?}:\n{lines}");
    }
    assert_eq!(report.problem_count, 5);
    assert_eq!(o.f.event_count(), before, "all or nothing: one bad row keeps the whole file out");
    assert_eq!(complaints(&o), 0);
}

#[test]
fn a_record_already_imported_is_left_as_it_was_and_a_changed_one_is_counted() {
    let mut o = office();
    let first = path(&o, "第一批.xlsx");
    xlsx(&first, &[with_result_head(), done("XF-1", "2023-01-05"), done("XF-2", "2023-01-06")]);
    assert_eq!(run(&mut o, &first, false).unwrap().new_records, 2);
    let second = path(&o, "第二批.xlsx");
    let mut changed = done("XF-2", "2023-01-06");
    changed[3] = "摘要在原平台被改过";
    xlsx(&second, &[with_result_head(), done("XF-1", "2023-01-05"), changed, done("XF-3", "2023-01-07")]);
    let report = run(&mut o, &second, false).unwrap();
    assert_eq!(report.outcome, MigrationOutcome::Imported);
    assert_eq!((report.new_records, report.already_imported, report.changed_since), (1, 2, 1));
    assert_eq!(complaints(&o), 3);
}

#[test]
fn wrong_headers_are_refused_naming_the_missing_column() {
    let mut o = office();
    let file = path(&o, "表头.xlsx");
    xlsx(&file, &[vec!["序号", "姓名", "金额"], vec!["1", "王某", "300"]]);
    let m = Mapping {
        kind: MigrationKind::Complaints,
        name: "旧表".into(),
        columns: migration::model::fields(MigrationKind::Complaints)
            .into_iter()
            .filter(|f| f.required)
            .map(|f| ColumnMap { field: f.key, header: f.label })
            .collect(),
    };
    let before = o.f.event_count();
    let err = run_with(&mut o, &file, &m, false, &Limits::default()).unwrap_err().to_string();
    assert!(err.contains("表头中没有“原编号”列") && err.contains("序号、姓名、金额"), "{err}");
    // Without a saved mapping the guessed one lacks the required fields.
    refused(&mut o, &file, "没有为必填字段“原编号”指定列");
    assert_eq!(o.f.event_count(), before);
}

#[test]
fn merged_cells_are_refused() {
    let mut o = office();
    let file = path(&o, "合并.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in with_result_head().iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=2u32 {
        for (c, v) in done("", "2023-01-05").iter().enumerate() {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
        sheet.write_string(r, 0, format!("XF-{r}")).unwrap();
    }
    sheet.merge_range(1, 5, 2, 5, "区住建局", &Format::new()).unwrap();
    book.save(&file).unwrap();
    refused(&mut o, &file, "合并单元格（F2:F3）");
}

#[test]
fn an_empty_file_a_header_only_file_and_files_that_are_not_spreadsheets_are_refused() {
    let mut o = office();
    let empty = path(&o, "空.csv");
    std::fs::write(&empty, b"").unwrap();
    refused(&mut o, &empty, "是空的");
    let head_only = path(&o, "只有表头.xlsx");
    xlsx(&head_only, &[with_result_head()]);
    refused(&mut o, &head_only, "只有表头");
    let pdf = path(&o, "报告.xlsx");
    std::fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj").unwrap();
    refused(&mut o, &pdf, "不是表格文件");
    let xls = path(&o, "旧版.xls");
    std::fs::write(&xls, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).unwrap();
    refused(&mut o, &xls, "旧版 Excel（.xls）");
    let broken = path(&o, "损坏.xlsx");
    std::fs::write(&broken, b"PK\x03\x04 this is not really a workbook").unwrap();
    refused(&mut o, &broken, "无法读取 XLSX 文件");
}

#[test]
fn files_over_the_limits_are_refused_before_anything_is_written() {
    let mut o = office();
    let file = path(&o, "大.csv");
    sample::write_complaints_csv(&file, 10, 3).unwrap();
    let m = migration::suggested(&file, MigrationKind::Complaints).unwrap();
    let before = o.f.event_count();
    let rows = Limits { max_rows: 5, ..Limits::default() };
    let err = run_with(&mut o, &file, &m, false, &rows).unwrap_err().to_string();
    assert!(err.contains("超过 5 行"), "{err}");
    let bytes = Limits { max_bytes: 100, ..Limits::default() };
    let err = run_with(&mut o, &file, &m, true, &bytes).unwrap_err().to_string();
    assert!(err.contains("超过一次导入"), "{err}");
    assert_eq!(o.f.event_count(), before);
    // Within the limits the same CSV (dates written 2023年1月5日) imports.
    assert_eq!(run_with(&mut o, &file, &m, false, &Limits::default()).unwrap().new_records, 10);
}

#[test]
fn gbk_csv_imports_and_a_saved_mapping_is_reused_by_name() {
    let mut o = office();
    let file = path(&o, "导出.csv");
    let text = "案卷号,登记时间,方式,标题,对象,对象单位,进度,结案日,结论\nA-1,2022/3/4,来访,反映违规发放补贴,李某,某街道办事处,已办结,2022-05-06,了结\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(&file, &gbk).unwrap();
    let preview = migration::preview(&file, MigrationKind::Complaints).unwrap();
    assert_eq!(preview.headers[0], "案卷号");
    let m = Mapping {
        kind: MigrationKind::Complaints,
        name: "原信访系统".into(),
        columns: [
            ("original_number", "案卷号"),
            ("received_date", "登记时间"),
            ("channel", "方式"),
            ("summary", "标题"),
            ("subject_name", "对象"),
            ("subject_unit", "对象单位"),
            ("status", "进度"),
            ("concluded_date", "结案日"),
            ("result", "结论"),
        ]
        .into_iter()
        .map(|(f, h)| ColumnMap { field: f.into(), header: h.into() })
        .collect(),
    };
    migration::save_mapping(&mut o.f.store, &o.petitions, &m).unwrap();
    let saved = migration::mapping(&o.f.store, MigrationKind::Complaints, "原信访系统").unwrap();
    assert_eq!(saved, m);
    let report = run_with(&mut o, &file, &saved, false, &Limits::default()).unwrap();
    assert_eq!(report.new_records, 1, "{:?}", report.lines());
    let summary: String =
        o.f.store.raw_connection_for_tests().query_row("SELECT summary FROM complaints", [], |r| r.get(0)).unwrap();
    assert_eq!(summary, "反映违规发放补贴");
    let missing = migration::mapping(&o.f.store, MigrationKind::Complaints, "不存在").unwrap_err().to_string();
    assert!(missing.contains("没有名为“不存在”"), "{missing}");
}

#[test]
fn only_petitions_may_import() {
    let mut o = office();
    let file = path(&o, "原平台.xlsx");
    sample::write_complaints_xlsx(&file, 3, 1).unwrap();
    let supervision = common::officer(&mut o.f.store, "jiancha", Role::Supervision);
    let m = migration::suggested(&file, MigrationKind::Complaints).unwrap();
    let mut progress = |_: _, _: u64, _: u64| {};
    let err = migration::import(
        &mut o.f.store,
        &supervision,
        &file,
        MigrationKind::Complaints,
        &m,
        &Limits::default(),
        &mut progress,
    )
    .unwrap_err();
    assert!(matches!(err, qingfeng_core::CoreError::Forbidden { .. }), "{err}");
    assert_eq!(complaints(&o), 0);
}

/// The small export the desktop's WebDriver scenario imports through the open dialog
/// (`tests/e2e/fixtures/legacy-export.xlsx`, twelve complaints): rewritten with
/// QINGFENG_WRITE_E2E_FIXTURE=1, and otherwise checked to import as the scenario expects.
#[test]
fn the_desktop_scenarios_export_imports_twelve_complaints() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e/fixtures/legacy-export.xlsx");
    if std::env::var_os("QINGFENG_WRITE_E2E_FIXTURE").is_some() {
        std::fs::create_dir_all(fixture.parent().unwrap()).unwrap();
        sample::write_complaints_xlsx(&fixture, 12, 19).unwrap();
    }
    let mut o = office();
    let report = run(&mut o, &fixture, false).unwrap();
    assert_eq!((report.outcome, report.new_records), (MigrationOutcome::Imported, 12), "{:?}", report.lines());
}

// ---------------------------------------------------------------------------------------------
// Penalty decisions (处分决定) with the state of their execution items.

const PENALTY_HEAD: [&str; 19] = [
    "处分决定文号",
    "受处分人",
    "受处分人单位",
    "职务",
    "党纪处分",
    "政务处分",
    "决定日期",
    "作出决定的机关",
    "执行单位",
    "收缴金额",
    "送达",
    "宣布",
    "归档",
    "年度考核",
    "收缴退赔",
    "三书",
    "回访",
    "期满解除",
    "批准日期",
];

/// A party warning whose every execution item the older platform shows as done.
fn penalty_done(number: &str) -> Vec<&str> {
    vec![
        number,
        "李某",
        "区住建局",
        "科长",
        "党内警告",
        "",
        "2023-01-10",
        "五华区纪委",
        "区住建局",
        "",
        "已完成 2023-01-15",
        "已完成（2023年1月20日）",
        "2023/2/1",
        "已完成 2023-06-01",
        "不适用",
        "已完成 2023.3.1",
        "已完成 20230630",
        "已完成 2024-01-12",
        "2023-01-12",
    ]
}

/// A demerit with money to recover: served and announced, the archive awaiting review.
fn penalty_partly(number: &str) -> Vec<&str> {
    vec![
        number,
        "赵某",
        "区财政局",
        "",
        "",
        "记过",
        "2023-05-08",
        "五华区监委",
        "区财政局",
        "12000",
        "已完成 2023-05-10",
        "已完成 2023-05-12",
        "待审核 2023-06-01",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
}

fn run_penalties(o: &mut Office, who: &Actor, file: &Path, dry: bool) -> qingfeng_core::Result<MigrationReport> {
    let m = migration::suggested(file, MigrationKind::Penalties)?;
    let mut progress = |_: _, _: u64, _: u64| {};
    let limits = Limits::default();
    if dry {
        migration::dry_run(&o.f.store, who, file, MigrationKind::Penalties, &m, &limits, &mut progress)
    } else {
        migration::import(&mut o.f.store, who, file, MigrationKind::Penalties, &m, &limits, &mut progress)
    }
}

fn penalties(o: &Office) -> i64 {
    o.f.store.raw_connection_for_tests().query_row("SELECT count(*) FROM penalties", [], |r| r.get(0)).unwrap()
}

/// A refused penalty file: the report names each bad row as `wants` says, and nothing is written.
fn penalty_refused(o: &mut Office, who: &Actor, file: &Path, wants: &[&str]) {
    let before = o.f.event_count();
    for dry in [true, false] {
        let report = run_penalties(o, who, file, dry).unwrap();
        assert_eq!(report.outcome, if dry { MigrationOutcome::DryRun } else { MigrationOutcome::Refused });
        let lines = report.lines().join("\n");
        for want in wants {
            assert!(lines.contains(want), "report should say {want:?}:\n{lines}");
        }
    }
    assert_eq!(o.f.event_count(), before, "nothing written");
    assert_eq!(penalties(o), 0);
}

#[test]
fn penalty_decisions_are_imported_once_with_their_item_states_and_met_duties_are_not_red() {
    let mut o = office();
    let shenli = common::officer(&mut o.f.store, "shenli", Role::Trial);
    let file = path(&o, "处分决定.xlsx");
    xlsx(&file, &[PENALTY_HEAD.to_vec(), penalty_done("五纪发〔2023〕1号"), penalty_partly("五纪发〔2023〕2号")]);

    let before = o.f.event_count();
    let dry = run_penalties(&mut o, &shenli, &file, true).unwrap();
    assert_eq!((dry.rows, dry.new_records, dry.problem_count), (2, 2, 0), "{:?}", dry.lines());
    assert_eq!(o.f.event_count(), before, "a dry run writes nothing");

    let done = run_penalties(&mut o, &shenli, &file, false).unwrap();
    assert_eq!(done.outcome, MigrationOutcome::Imported, "{:?}", done.lines());
    assert_eq!(penalties(&o), 2);
    assert_eq!(o.f.count_kind("penalty.registered"), 2);
    assert_eq!(o.f.count_kind("import.record_migrated"), 2);
    // Seven items of the warning approved, two of the demerit; the demerit's archive submitted.
    assert_eq!(o.f.count_kind("checklist.item_approved"), 9);
    assert_eq!(o.f.count_kind("checklist.item_submitted"), 10);

    let conn = o.f.store.raw_connection_for_tests();
    let agg = |n: &str| -> String {
        conn.query_row(
            "SELECT aggregate FROM migrated_records WHERE kind = 'penalties' AND original_number = ?1",
            [n],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (a, b) = (agg("五纪发〔2023〕1号"), agg("五纪发〔2023〕2号"));
    // Every duty of the decision the older platform shows as executed is met, on the file's dates.
    let open_a: i64 = conn
        .query_row("SELECT count(*) FROM deadlines WHERE aggregate = ?1 AND status = 'open'", [&a], |r| r.get(0))
        .unwrap();
    assert_eq!(open_a, 0, "a fully executed decision shows no red");
    let serve: String = conn
        .query_row(
            "SELECT closed_date FROM deadlines WHERE aggregate = ?1 AND kind = 'penalty_serve' AND status = 'done'",
            [&a],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(serve, "2023-01-15");
    let statuses: Vec<String> = conn
        .prepare("SELECT i.status FROM checklist_items i JOIN checklists c ON c.id = i.checklist_id WHERE c.aggregate = ?1 ORDER BY i.ord")
        .unwrap()
        .query_map([&b], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(&statuses[..4], ["approved", "approved", "submitted", "pending"], "{statuses:?}");
    // The only duties still owed are the demerit's unfinished items, at their real due dates.
    let open_elsewhere: i64 = conn
        .query_row("SELECT count(*) FROM deadlines WHERE status = 'open' AND aggregate NOT IN (?1)", [&b], |r| r.get(0))
        .unwrap();
    assert_eq!(open_elsewhere, 0);

    // A re-run adds nothing: each decision is recognised by its document number.
    let events = o.f.event_count();
    let again = run_penalties(&mut o, &shenli, &file, false).unwrap();
    assert_eq!(again.outcome, MigrationOutcome::NothingNew);
    assert_eq!((again.already_imported, again.new_records), (2, 0));
    assert_eq!(o.f.event_count(), events);

    // The projections are rebuilt from the log alike.
    o.f.store.rebuild().unwrap();
    assert_eq!(penalties(&o), 2);
    let approved: i64 =
        o.f.store
            .raw_connection_for_tests()
            .query_row("SELECT count(*) FROM checklist_items WHERE status = 'approved'", [], |r| r.get(0))
            .unwrap();
    assert_eq!(approved, 9);
}

#[test]
fn an_unknown_penalty_name_is_refused_with_the_known_names() {
    let mut o = office();
    let shenli = common::officer(&mut o.f.store, "shenli", Role::Trial);
    let file = path(&o, "处分种类.xlsx");
    let mut party = penalty_done("五纪发〔2023〕1号");
    party[4] = "党内批评";
    let mut gov = penalty_partly("五纪发〔2023〕2号");
    gov[5] = "停职检查";
    xlsx(&file, &[PENALTY_HEAD.to_vec(), party, gov]);
    penalty_refused(
        &mut o,
        &shenli,
        &file,
        &[
            "第 2 行（党纪处分）：不认识的党纪处分“党内批评”：可填党内警告、党内严重警告、撤销党内职务、留党察看、开除党籍",
            "第 3 行（政务处分）：不认识的政务处分“停职检查”：可填政务警告、记过、记大过、降级、撤职、开除",
        ],
    );
}

#[test]
fn a_decision_number_twice_in_a_file_is_refused() {
    let mut o = office();
    let shenli = common::officer(&mut o.f.store, "shenli", Role::Trial);
    let file = path(&o, "重复.xlsx");
    xlsx(&file, &[PENALTY_HEAD.to_vec(), penalty_done("五纪发〔2023〕1号"), penalty_partly("五纪发〔2023〕1号")]);
    penalty_refused(&mut o, &shenli, &file, &["第 3 行（处分决定文号）：原编号“五纪发〔2023〕1号”与第 2 行重复"]);
}

#[test]
fn an_execution_item_state_the_program_does_not_know_is_refused() {
    let mut o = office();
    let shenli = common::officer(&mut o.f.store, "shenli", Role::Trial);
    let file = path(&o, "事项状态.xlsx");
    let mut unknown = penalty_done("五纪发〔2023〕1号");
    unknown[11] = "研究中";
    let mut undated = penalty_done("五纪发〔2023〕2号");
    undated[10] = "已完成";
    let mut out_of_order = penalty_partly("五纪发〔2023〕3号");
    out_of_order[10] = "未完成";
    // No sum to recover, so the decision has no recovery item to be done.
    let mut not_generated = penalty_partly("五纪发〔2023〕4号");
    not_generated[9] = "";
    not_generated[14] = "已完成 2023-06-01";
    xlsx(&file, &[PENALTY_HEAD.to_vec(), unknown, undated, out_of_order, not_generated]);
    penalty_refused(
        &mut o,
        &shenli,
        &file,
        &[
            "第 2 行（宣布）：不认识的执行事项状态“研究中”：可填已完成",
            "第 3 行（送达）：“已完成”的事项须写明日期",
            "第 4 行（宣布）：执行事项须按顺序办理：“送达处分决定并抄送有关单位”尚未完成",
            "第 5 行（收缴退赔）：按这份决定的处分种类和金额，没有“收缴退赔”这一执行事项",
        ],
    );
}

#[test]
fn penalty_dates_in_several_formats_are_read_and_only_the_penalty_posts_may_import_them() {
    let mut o = office();
    let shenli = common::officer(&mut o.f.store, "shenli", Role::Trial);
    let file = path(&o, "日期格式.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in PENALTY_HEAD.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let decisions = ["2023-01-10", "2023/1/10", "2023年1月10日", "２０２３年１月１０日", "20230110", "2023.1.10"];
    for (i, d) in decisions.iter().enumerate() {
        let r = i as u32 + 1;
        let number = format!("五纪发〔2023〕{r}号");
        let mut row = penalty_partly("");
        row[6] = d;
        row[10] = "已完成 2023年1月15日";
        row[11] = "";
        row[12] = "";
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
        sheet.write_string(r, 0, &number).unwrap();
    }
    // A decision date the spreadsheet stores as a date, and a done item given as a date cell.
    let r = decisions.len() as u32 + 1;
    let row = penalty_partly("");
    for (c, v) in row.iter().enumerate() {
        if c != 6 && c != 10 {
            sheet.write_string(r, c as u16, *v).unwrap();
        }
    }
    sheet.write_string(r, 0, "五纪发〔2023〕99号").unwrap();
    let f = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_number_with_format(r, 6, 44936.0, &f).unwrap();
    sheet.write_number_with_format(r, 10, 44941.0, &f).unwrap();
    sheet.write_string(r, 11, "").unwrap();
    sheet.write_string(r, 12, "").unwrap();
    book.save(&file).unwrap();

    // 信访室 may not enter penalty decisions, so it may not import them either.
    let petitions = o.petitions.clone();
    let err = run_penalties(&mut o, &petitions, &file, true).expect_err("not a penalty post");
    assert!(err.to_string().contains("案件审理室"), "{err}");

    let report = run_penalties(&mut o, &shenli, &file, false).unwrap();
    assert_eq!(report.outcome, MigrationOutcome::Imported, "{:?}", report.lines());
    assert_eq!(report.new_records, 7);
    let conn = o.f.store.raw_connection_for_tests();
    let dates: Vec<String> = conn
        .prepare("SELECT DISTINCT decision_date FROM penalties")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(dates, vec!["2023-01-10".to_owned()]);
    let served: Vec<String> = conn
        .prepare("SELECT DISTINCT closed_date FROM deadlines WHERE kind = 'penalty_serve'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(served, vec!["2023-01-15".to_owned()]);
}

// ---------------------------------------------------------------------------------------------
// Rectification lists (整改清单): one row per problem, a list's rows together under its number.

const LIST_HEAD: [&str; 9] =
    ["清单编号", "清单名称", "问题来源", "交办日期", "问题", "责任单位", "完成期限", "整改措施", "整改状态"];

fn problem<'a>(number: &'a str, title: &'a str, item: &'a str, due: &'a str, state: &'a str) -> Vec<&'a str> {
    vec![number, title, "巡察", "2023-02-01", item, "区水务局", due, "建立台账，逐项整改", state]
}

fn run_lists(o: &mut Office, who: &Actor, file: &Path, dry: bool) -> qingfeng_core::Result<MigrationReport> {
    let m = migration::suggested(file, MigrationKind::Rectifications)?;
    let mut progress = |_: _, _: u64, _: u64| {};
    let limits = Limits::default();
    if dry {
        migration::dry_run(&o.f.store, who, file, MigrationKind::Rectifications, &m, &limits, &mut progress)
    } else {
        migration::import(&mut o.f.store, who, file, MigrationKind::Rectifications, &m, &limits, &mut progress)
    }
}

fn lists(o: &Office) -> i64 {
    o.f.store
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM checklists WHERE scope = 'rectification'", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn rectification_lists_are_imported_once_with_each_problems_state() {
    let mut o = office();
    let jiancha = common::officer(&mut o.f.store, "jiancha", Role::Supervision);
    let file = path(&o, "整改清单.xlsx");
    let a = "巡察反馈问题整改清单";
    xlsx(
        &file,
        &[
            LIST_HEAD.to_vec(),
            problem("ZG-1", a, "河道管护经费使用不规范", "2023-05-01", "已完成 2023-04-20"),
            problem("ZG-1", a, "工程招标程序不规范", "2023-05-01", "已完成（2023年4月28日）"),
            problem("ZG-1", a, "干部作风问题整改不到位", "2099-12-31", "未完成"),
            problem("ZG-2", "审计发现问题整改清单", "专项资金拨付滞后", "2099-06-30", "待审核 2023-06-01"),
        ],
    );
    let before = o.f.event_count();
    let dry = run_lists(&mut o, &jiancha, &file, true).unwrap();
    assert_eq!((dry.rows, dry.new_records, dry.problem_count), (4, 2, 0), "{:?}", dry.lines());
    assert_eq!(o.f.event_count(), before);

    let done = run_lists(&mut o, &jiancha, &file, false).unwrap();
    assert_eq!(done.outcome, MigrationOutcome::Imported, "{:?}", done.lines());
    assert_eq!(lists(&o), 2);
    assert_eq!(o.f.count_kind("checklist.registered"), 2);
    assert_eq!(o.f.count_kind("checklist.item_approved"), 2);
    assert_eq!(o.f.count_kind("checklist.item_submitted"), 3);
    assert_eq!(o.f.count_kind("import.record_migrated"), 2);
    let conn = o.f.store.raw_connection_for_tests();
    let statuses: Vec<String> = conn
        .prepare("SELECT status FROM checklist_items ORDER BY checklist_id, ord")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(statuses, ["approved", "approved", "open", "submitted"]);
    // Problems rectified in the older platform are met on their dates; nothing is overdue.
    let met: Vec<String> = conn
        .prepare("SELECT closed_date FROM deadlines WHERE status = 'done' ORDER BY closed_date")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(met, ["2023-04-20", "2023-04-28"]);
    let overdue: i64 = conn
        .query_row("SELECT count(*) FROM deadlines WHERE status = 'open' AND due_date < date('now')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(overdue, 0);

    let events = o.f.event_count();
    let again = run_lists(&mut o, &jiancha, &file, false).unwrap();
    assert_eq!((again.outcome, again.already_imported), (MigrationOutcome::NothingNew, 2));
    assert_eq!(o.f.event_count(), events);
    o.f.store.rebuild().unwrap();
    assert_eq!(lists(&o), 2);
}

#[test]
fn bad_rectification_rows_are_refused_by_row_number() {
    let mut o = office();
    let jiancha = common::officer(&mut o.f.store, "jiancha", Role::Supervision);
    let file = path(&o, "坏清单.xlsx");
    let mut unknown_source = problem("ZG-2", "清单二", "问题甲", "2023-05-01", "");
    unknown_source[2] = "群众来信";
    xlsx(
        &file,
        &[
            LIST_HEAD.to_vec(),
            problem("ZG-1", "清单一", "问题甲", "2023-05-01", "已完成 2023-04-20"),
            unknown_source,
            problem("ZG-3", "清单三", "问题甲", "2023-05-01", "研究中"),
            problem("ZG-4", "清单四", "问题甲", "2023-05-01", "已完成 2023-01-20"),
            problem("ZG-1", "清单一", "问题乙", "2023-05-01", ""),
        ],
    );
    let before = o.f.event_count();
    for dry in [true, false] {
        let report = run_lists(&mut o, &jiancha, &file, dry).unwrap();
        let lines = report.lines().join("\n");
        for want in [
            "第 3 行（问题来源）：不认识的问题来源“群众来信”",
            "第 4 行（整改状态）：不认识的执行事项状态“研究中”",
            "第 5 行（整改状态）：日期 2023-01-20 早于交办日期 2023-02-01",
            "第 6 行（清单编号）：原编号“ZG-1”与第 2 行重复。同一清单的各行须连在一起",
        ] {
            assert!(lines.contains(want), "report should say {want:?}:\n{lines}");
        }
    }
    assert_eq!(o.f.event_count(), before);
    assert_eq!(lists(&o), 0);
}
