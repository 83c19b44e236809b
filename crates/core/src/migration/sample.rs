//! A sample export of an older platform's complaint register, written the way such exports
//! look (Chinese headers, date-formatted cells, a mix of states), for demonstrations, the
//! import's tests, its WebDriver scenario and its benchmark.

use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rust_xlsxwriter::{Format, Workbook};

use crate::error::{CoreError, Result};

/// The headers of the sample, as an older petitions platform names its columns.
pub const HEADERS: [&str; 19] = [
    "信访编号",
    "收到日期",
    "来源",
    "举报人",
    "联系电话",
    "是否实名",
    "反映问题摘要",
    "反映内容",
    "问题类别",
    "被反映人",
    "被反映人单位",
    "职务",
    "干部层级",
    "办理状态",
    "承办部门",
    "受理告知日期",
    "办结日期",
    "办理结果",
    "反馈日期",
];

const UNITS: [&str; 8] =
    ["区住建局", "区教育局", "区卫健局", "区自然资源局", "某街道办事处", "区水务局", "区市场监管局", "区农业农村局"];
const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN: [&str; 10] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇"];
const PROBLEMS: [(&str, &str); 5] = [
    ("违规收受礼品礼金", "违反中央八项规定精神"),
    ("工程项目中优亲厚友", "以权谋私"),
    ("公车私用", "违反中央八项规定精神"),
    ("惠民资金发放不公", "侵害群众利益"),
    ("工作推诿不作为", "形式主义官僚主义"),
];

/// One sample row's cells, as text, with its dates apart (written as date cells in XLSX).
struct SampleRow {
    text: [String; 19],
    /// Columns holding dates (收到日期, 受理告知日期, 办结日期, 反馈日期), when filled.
    dates: [(usize, Option<NaiveDate>); 4],
}

fn row(i: usize, rng: &mut rand::rngs::StdRng) -> SampleRow {
    let first = NaiveDate::from_ymd_opt(2018, 1, 2).unwrap_or_default();
    let received = first + Duration::days(rng.gen_range(0..(365 * 7)));
    let name = format!("{}{}", SURNAMES[rng.gen_range(0..10)], GIVEN[rng.gen_range(0..10)]);
    let subject =
        format!("{}{}{}", SURNAMES[rng.gen_range(0..10)], GIVEN[rng.gen_range(0..10)], GIVEN[rng.gen_range(0..10)]);
    let unit = UNITS[rng.gen_range(0..UNITS.len())];
    let (problem, category) = PROBLEMS[rng.gen_range(0..PROBLEMS.len())];
    let real = rng.gen_bool(0.3);
    let roll = rng.gen_range(0..100);
    let (status, dept) = match roll {
        0..=84 => ("已办结", "监督检查室"),
        85..=89 => ("初步核实", "审查调查室"),
        90..=94 => ("不予受理", ""),
        _ => ("已受理", "监督检查室"),
    };
    let notified = (real && status != "不予受理").then(|| received + Duration::days(rng.gen_range(1..10)));
    let concluded = (status == "已办结").then(|| received + Duration::days(rng.gen_range(20..120)));
    let feedback = concluded.filter(|_| real).map(|c| c + Duration::days(rng.gen_range(1..12)));
    let channel = ["来信", "来访", "12388", "网络"][rng.gen_range(0..4)];
    let text = [
        format!("XF{}-{:06}", received.year(), i + 1),
        String::new(),
        channel.to_owned(),
        if real { name.clone() } else { String::new() },
        if real { format!("139{:08}", rng.gen_range(0..100_000_000u32)) } else { String::new() },
        if real { "是".into() } else { "否".into() },
        format!("反映{unit}{subject}{problem}"),
        format!("反映{unit}{subject}在{}年期间{problem}，请求调查处理。", received.year()),
        category.to_owned(),
        subject,
        unit.to_owned(),
        "科长".into(),
        "县管干部".into(),
        status.to_owned(),
        dept.to_owned(),
        String::new(),
        String::new(),
        if concluded.is_some() {
            "经核查，反映问题部分属实，已对相关人员进行批评教育。".into()
        } else {
            String::new()
        },
        String::new(),
    ];
    SampleRow { text, dates: [(1, Some(received)), (15, notified), (16, concluded), (18, feedback)] }
}

/// Writes `rows` sample complaints as an XLSX export (dates as date cells), from `seed`.
pub fn write_complaints_xlsx(path: &Path, rows: usize, seed: u64) -> Result<()> {
    let err = |e: rust_xlsxwriter::XlsxError| CoreError::invalid(format!("无法写出示例文件：{e}"));
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    sheet.set_name("信访件").map_err(err)?;
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).map_err(err)?;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    for i in 0..rows {
        let r = row(i, &mut rng);
        let n = (i + 1) as u32;
        for (c, t) in r.text.iter().enumerate() {
            if !t.is_empty() {
                sheet.write_string(n, c as u16, t).map_err(err)?;
            }
        }
        for (c, d) in r.dates {
            if let Some(d) = d {
                sheet.write_number_with_format(n, c as u16, (d - base).num_days() as f64, &date).map_err(err)?;
            }
        }
    }
    book.save(path).map_err(err)?;
    Ok(())
}

/// Writes the same sample as a UTF-8 CSV with dates as text.
pub fn write_complaints_csv(path: &Path, rows: usize, seed: u64) -> Result<()> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut w = csv::Writer::from_path(path).map_err(|e| CoreError::invalid(format!("无法写出示例文件：{e}")))?;
    let err = |e: csv::Error| CoreError::invalid(format!("无法写出示例文件：{e}"));
    w.write_record(HEADERS).map_err(err)?;
    for i in 0..rows {
        let mut r = row(i, &mut rng);
        for (c, d) in r.dates {
            if let Some(d) = d {
                r.text[c] = d.format("%Y年%-m月%-d日").to_string();
            }
        }
        w.write_record(&r.text).map_err(err)?;
    }
    w.flush().map_err(|e| CoreError::invalid(format!("无法写出示例文件：{e}")))?;
    Ok(())
}
