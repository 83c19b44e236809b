//! The province's office directory at the hub: reading a CSV or XLSX file of offices and resident
//! groups (派驻组), checking every row against the rules and the directory already held, and
//! importing them in one transaction as one hub-signed `directory.imported` that every office
//! receives in its feed.
//!
//! An import is all or nothing: a file with any bad row is refused whole, each bad row named with
//! its line and the reason in Chinese, and a dry run checks exactly what an import would check.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use qingfeng_log::NewEvent;
use qingfeng_log::kind;
use qingfeng_log::office::{OfficeLevel, UnitKind};
use qingfeng_log::payload::{DirectoryEntry, DirectoryImported};
use serde::Serialize;

use crate::chain;
use crate::error::{HubError, Result};
use crate::hub::{Hub, province_wide_positions};
use crate::storage::{HubStorage, HubTx, Office};

/// Most rows one file may hold: a province has under two thousand offices and resident groups, and
/// the whole import travels as one event that must fit a feed page.
pub const MAX_ROWS: usize = 10_000;
/// Largest file read, well above what `MAX_ROWS` rows take.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The columns of a directory file, as its header names them.
const COLUMNS: [(&str, &[&str]); 6] = [
    ("代码", &["代码", "机关代码", "行政区划代码", "单位代码"]),
    ("名称", &["名称", "机关名称", "单位名称"]),
    ("简称", &["简称", "机关代字", "代字"]),
    ("层级", &["层级", "级别"]),
    ("上级代码", &["上级代码", "上级机关代码", "派出机关代码"]),
    ("类别", &["类别", "单位类别"]),
];

/// One row of a directory file, with the line people see it on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub entry: DirectoryEntry,
    /// Whether the level column was left empty (allowed for a resident group, which takes its
    /// sending office's level).
    pub level_given: bool,
}

/// A bad row: its line and what is wrong with it, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub line: usize,
    pub reason: String,
}

/// What a file holds: the rows that read as entries, and those that did not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub rows: Vec<Row>,
    pub problems: Vec<RowProblem>,
}

/// The outcome of an import or a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Whether the directory was changed (never on a dry run or with any problem).
    pub applied: bool,
    pub rows: usize,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Every bad row, by line; empty when the file may be imported.
    pub problems: Vec<RowProblem>,
    /// The hub's chain position of the `directory.imported` event, when one was written.
    pub hub_pos: Option<i64>,
}

/// Reads a directory file by its extension: `.csv` (UTF-8, with or without a byte-order mark) or
/// a spreadsheet (`.xlsx`, `.xls`, `.ods`; the first sheet).
pub fn read_file(path: &Path) -> Result<Parsed> {
    let meta = std::fs::metadata(path)
        .map_err(|e| HubError::Invalid(format!("无法读取名录文件 {}：{e}。请检查路径。", path.display())))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(HubError::Invalid(format!(
            "名录文件 {} 过大（{} 字节，上限 {} 字节）。请检查是否选错了文件。",
            path.display(),
            meta.len(),
            MAX_FILE_BYTES
        )));
    }
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => {
            let mut bytes = Vec::new();
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_FILE_BYTES).read_to_end(&mut bytes))
                .map_err(|e| HubError::Invalid(format!("无法读取名录文件 {}：{e}", path.display())))?;
            parse_csv(&bytes)
        }
        "xlsx" | "xlsm" | "xls" | "ods" => parse_spreadsheet(path),
        _ => Err(HubError::Invalid(format!(
            "不认识名录文件 {} 的格式：请使用 .csv（UTF-8 编码）或 .xlsx 文件。",
            path.display()
        ))),
    }
}

/// Reads a CSV directory: the first line is the header.
pub fn parse_csv(bytes: &[u8]) -> Result<Parsed> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(HubError::Invalid(
            "名录文件不是 UTF-8 编码。请在表格软件中“另存为”CSV UTF-8（逗号分隔）后再导入，或直接导入 .xlsx 文件。"
                .into(),
        ));
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            HubError::Invalid(format!("名录文件第 {line} 行无法按 CSV 读取（引号不成对？）。请检查该行。"))
        })?;
        let line = record.position().map_or(records.len() + 1, |p| p.line() as usize);
        records.push((line, record.iter().map(|f| f.trim().to_owned()).collect::<Vec<_>>()));
        if records.len() > MAX_ROWS + 1 {
            return Err(too_many());
        }
    }
    parse_table(records)
}

/// Reads the first sheet of a spreadsheet directory with calamine; line numbers are the sheet's
/// row numbers as the spreadsheet program shows them.
pub fn parse_spreadsheet(path: &Path) -> Result<Parsed> {
    use calamine::{Data, Reader};
    let unreadable = |e: &dyn std::fmt::Display| {
        HubError::Invalid(format!("无法打开表格文件 {}：{e}。请确认它是 Excel 或 WPS 保存的表格。", path.display()))
    };
    let mut workbook = calamine::open_workbook_auto(path).map_err(|e| unreadable(&e))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| HubError::Invalid(format!("表格文件 {} 中没有工作表。", path.display())))?
        .map_err(|e| unreadable(&e))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut records = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells = row
            .iter()
            .map(|c| match c {
                // A code typed into a cell is stored as a number; 530102.0 is the code 530102.
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
                Data::Int(n) => n.to_string(),
                other => other.to_string().trim().to_owned(),
            })
            .collect::<Vec<_>>();
        records.push((first_row + i + 1, cells));
        if records.len() > MAX_ROWS + 1 {
            return Err(too_many());
        }
    }
    parse_table(records)
}

fn too_many() -> HubError {
    HubError::Invalid(format!("名录文件超过 {MAX_ROWS} 行。全省机关一般不足两千个，请检查是否选错了文件。"))
}

/// Turns a header and rows of cells into entries, naming each row that cannot be one.
pub fn parse_table(records: Vec<(usize, Vec<String>)>) -> Result<Parsed> {
    let mut records = records.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((header_line, header)) = records.next() else {
        return Err(HubError::Invalid(
            "名录文件是空的。第一行应为表头：代码、名称、简称、层级、上级代码、类别。".into(),
        ));
    };
    let mut index = [None; COLUMNS.len()];
    for (i, (_, names)) in COLUMNS.iter().enumerate() {
        index[i] = header.iter().position(|h| names.contains(&h.trim()));
    }
    let missing: Vec<&str> =
        COLUMNS.iter().zip(index).take(5).filter(|(_, i)| i.is_none()).map(|((name, _), _)| *name).collect();
    if !missing.is_empty() {
        return Err(HubError::Invalid(format!(
            "名录文件第 {header_line} 行应为表头，缺少列：{}。表头须有 代码、名称、简称、层级、上级代码，可另有 类别（纪委监委 或 派驻组）。",
            missing.join("、")
        )));
    }
    let mut parsed = Parsed::default();
    for (line, cells) in records {
        let cell = |i: usize| index[i].and_then(|c| cells.get(c)).map(String::as_str).unwrap_or("").trim();
        match read_row(cell(0), cell(1), cell(2), cell(3), cell(4), cell(5)) {
            Ok((entry, level_given)) => parsed.rows.push(Row { line, entry, level_given }),
            Err(reason) => parsed.problems.push(RowProblem { line, reason }),
        }
    }
    Ok(parsed)
}

fn read_row(
    code: &str,
    name: &str,
    short: &str,
    level: &str,
    parent: &str,
    unit: &str,
) -> std::result::Result<(DirectoryEntry, bool), String> {
    if code.is_empty() {
        return Err("代码为空".into());
    }
    let unit = match unit {
        "" | "纪委监委" | "机关" | "office" => UnitKind::Office,
        "派驻组" | "派驻纪检监察组" | "resident_group" => UnitKind::ResidentGroup,
        other => return Err(format!("类别“{other}”不认识，应为 纪委监委 或 派驻组")),
    };
    let (level, level_given) = match (level, unit) {
        // A resident group's level is its sending office's; the directory check fills it in.
        ("", UnitKind::ResidentGroup) => (OfficeLevel::Province, false),
        ("", UnitKind::Office) => return Err("层级为空，应为 省级、州市级 或 县级".into()),
        (text, _) => (parse_level(text).ok_or_else(|| format!("层级“{text}”不认识，应为 省级、州市级 或 县级"))?, true),
    };
    let entry = DirectoryEntry {
        code: code.to_owned(),
        name: name.to_owned(),
        short_name: short.to_owned(),
        level,
        parent_code: Some(parent.to_owned()).filter(|p| !p.is_empty()),
        unit,
    };
    entry.validate().map_err(|e| e.to_string())?;
    Ok((entry, level_given))
}

fn parse_level(text: &str) -> Option<OfficeLevel> {
    match text {
        "省级" | "省" | "province" => Some(OfficeLevel::Province),
        "州市级" | "市级" | "州级" | "地市级" | "prefecture" => Some(OfficeLevel::Prefecture),
        "县级" | "县" | "县区级" | "county" => Some(OfficeLevel::County),
        _ => None,
    }
}

/// What an import would do to the directory.
struct Plan {
    problems: Vec<RowProblem>,
    added: Vec<DirectoryEntry>,
    changed: Vec<DirectoryEntry>,
    unchanged: usize,
}

fn office_entry(o: &Office) -> DirectoryEntry {
    DirectoryEntry {
        code: o.code.clone(),
        name: o.name.clone(),
        short_name: o.short_name.clone().unwrap_or_default(),
        level: o.level,
        parent_code: o.parent_code.clone(),
        unit: o.unit,
    }
}

/// Checks every row against the others and the directory held, without writing anything.
fn plan(tx: &mut dyn HubTx, rows: &[Row], earlier_problems: &[RowProblem]) -> Result<Plan> {
    let held: HashMap<String, Office> = tx.offices()?.into_iter().map(|o| (o.code.clone(), o)).collect();
    let mut problems = earlier_problems.to_vec();
    // Every code the file names, good or bad, so that a duplicate or a child of a bad row is named.
    let mut lines: HashMap<&str, usize> = HashMap::new();
    let mut first_of: HashMap<&str, &Row> = HashMap::new();
    for row in rows {
        if let Some(first) = lines.get(row.entry.code.as_str()) {
            problems
                .push(RowProblem {
                    line: row.line, reason: format!("代码 {} 与第 {first} 行重复", row.entry.code)
                });
        } else {
            lines.insert(&row.entry.code, row.line);
            first_of.insert(&row.entry.code, row);
        }
    }
    let mut planned = Vec::new();
    for row in rows {
        if first_of.get(row.entry.code.as_str()).is_none_or(|r| r.line != row.line) {
            continue;
        }
        let mut entry = row.entry.clone();
        let parent = entry.parent_code.as_deref().map(|p| {
            (
                p,
                first_of
                    .get(p)
                    .map(|r| (r.entry.level, r.entry.unit))
                    .or_else(|| held.get(p).map(|o| (o.level, o.unit))),
            )
        });
        let problem = match parent {
            None => None,
            Some((p, None)) => {
                Some(format!("上级机关 {p} 既不在名录中，也不在本文件中；请先添加上级机关，或把它加入本文件"))
            }
            Some((p, Some((_, UnitKind::ResidentGroup)))) => Some(format!("{p} 是派驻组，不能作为上级机关或派出机关")),
            Some((p, Some((level, UnitKind::Office)))) => match entry.unit {
                UnitKind::ResidentGroup if row.level_given && level != entry.level => {
                    Some(format!("派驻组的层级应与派出机关 {p} 相同（{}），不是{}", level.label(), entry.level.label()))
                }
                UnitKind::ResidentGroup => {
                    entry.level = level;
                    None
                }
                UnitKind::Office => None,
            },
        };
        let problem = problem.or_else(|| {
            held.get(&entry.code).and_then(|o| {
                if o.unit != entry.unit {
                    Some(format!("名录中已有 {}，类别为{}，不能改为{}", o.code, o.unit.label(), entry.unit.label()))
                } else if o.level != entry.level {
                    Some(format!("名录中已有 {}，层级为{}，不能改为{}", o.code, o.level.label(), entry.level.label()))
                } else {
                    None
                }
            })
        });
        match problem {
            Some(reason) => problems.push(RowProblem { line: row.line, reason }),
            None => planned.push(entry),
        }
    }
    problems.sort_by_key(|p| p.line);
    let mut plan = Plan { problems, added: Vec::new(), changed: Vec::new(), unchanged: 0 };
    for entry in planned {
        match held.get(&entry.code) {
            None => plan.added.push(entry),
            Some(o) if office_entry(o) == entry => plan.unchanged += 1,
            Some(_) => plan.changed.push(entry),
        }
    }
    // Parents before children: provinces, prefectures, counties, then the resident groups, whose
    // sending offices are all commissions.
    let rank = |e: &DirectoryEntry| {
        let level = match e.level {
            OfficeLevel::Province => 0,
            OfficeLevel::Prefecture => 1,
            OfficeLevel::County => 2,
        };
        (e.unit == UnitKind::ResidentGroup, level)
    };
    plan.added.sort_by_key(|e| rank(e));
    plan.changed.sort_by_key(|e| rank(e));
    Ok(plan)
}

impl<S: HubStorage> Hub<S> {
    /// Imports a directory file's rows: checks them all (against each other and the directory
    /// held), and unless this is a dry run or a row is bad, adds and updates the offices and
    /// writes one hub-signed `directory.imported` with every entry added or changed, which goes
    /// into every office's feed; a new office's feed starts with everything province-wide so far.
    /// Rows found bad while reading the file (`earlier_problems`) refuse the import as well.
    pub fn import_directory(&self, parsed: &Parsed, dry_run: bool) -> Result<ImportReport> {
        let now_ms = self.now_ms();
        let hub_device = self.device_id().to_owned();
        let report = |plan: &Plan, applied: bool, hub_pos: Option<i64>| ImportReport {
            dry_run,
            applied,
            rows: parsed.rows.len() + parsed.problems.len(),
            added: plan.added.len(),
            changed: plan.changed.len(),
            unchanged: plan.unchanged,
            problems: plan.problems.clone(),
            hub_pos,
        };
        if dry_run {
            let plan = self.storage().read(|tx| plan(tx, &parsed.rows, &parsed.problems))?;
            return Ok(report(&plan, false, None));
        }
        self.storage().write(|tx| {
            let plan = plan(tx, &parsed.rows, &parsed.problems)?;
            if !plan.problems.is_empty() || (plan.added.is_empty() && plan.changed.is_empty()) {
                return Ok(report(&plan, false, None));
            }
            let earlier = province_wide_positions(tx)?;
            for entry in &plan.added {
                tx.insert_office(&Office {
                    code: entry.code.clone(),
                    name: entry.name.clone(),
                    level: entry.level,
                    parent_code: entry.parent_code.clone(),
                    created_at_ms: now_ms,
                    feed_head: 0,
                    short_name: Some(entry.short_name.clone()),
                    unit: entry.unit,
                })?;
                if !earlier.is_empty() {
                    tx.feed_append(&entry.code, &earlier)?;
                }
            }
            for entry in &plan.changed {
                let mut office =
                    tx.office(&entry.code)?.ok_or_else(|| HubError::Internal("名录中的机关未找到".into()))?;
                office.name = entry.name.clone();
                office.parent_code = entry.parent_code.clone();
                office.short_name = Some(entry.short_name.clone());
                tx.update_office(&office)?;
            }
            let entries: Vec<DirectoryEntry> = plan.added.iter().chain(&plan.changed).cloned().collect();
            let aggregate = format!("directory:{}", entries.first().map_or("", |e| e.code.as_str()));
            let event = NewEvent::new(kind::DIRECTORY_IMPORTED, aggregate, &DirectoryImported { entries })?;
            let (_, pos) = chain::append(tx, &hub_device, event, now_ms)?;
            for o in tx.offices()? {
                tx.feed_append(&o.code, &[pos])?;
            }
            Ok(report(&plan, true, Some(pos)))
        })
    }
}
