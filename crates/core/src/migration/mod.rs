//! Importing an older platform's records (数据迁移, issue #19 item 5): an XLSX or CSV export is
//! read row by row (`sheet`), each row checked against a column mapping (`model`, `values`), and
//! either reported (a dry run) or entered in one transaction through the ordinary events, so
//! projections, the search index and timelines treat migrated records like any other.
//!
//! An import is all or nothing per file: every row is checked first, and if one is bad nothing
//! is written; the records are then entered through [`Store::execute_streamed`], one event at a
//! time, never all rows in memory. Each record is keyed on its original number, so a re-run of
//! the same file adds nothing, and carries an `import.record_migrated` mark with that number and
//! the state the older platform had reached.

pub mod model;
pub(crate) mod project;
pub mod sample;
pub mod sheet;
pub mod values;

mod complaints;
mod penalties;
mod rectifications;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::authz::{Action, Actor, ComplaintAct, authorize};
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::projector::kind;
use crate::store::{Appender, Store};
use model::*;
use sheet::Cell;

/// Hears where a slow dry run or import is: the phase, and rows (or bytes) done of the total.
pub type Progress<'a> = &'a mut dyn FnMut(MigrationPhase, u64, u64);

/// The action importing a kind needs: the same as entering one such record by hand.
fn action(kind: MigrationKind, office: &str) -> Action {
    match kind {
        MigrationKind::Complaints => Action::Complaint { office: office.to_owned(), act: ComplaintAct::Register },
        MigrationKind::Penalties => crate::penalty::workflow::action(
            office,
            crate::penalty::ChecklistScope::Penalty,
            crate::penalty::workflow::Step::Register(crate::penalty::ChecklistScope::Penalty),
        ),
        MigrationKind::Rectifications => crate::penalty::workflow::action(
            office,
            crate::penalty::ChecklistScope::Rectification,
            crate::penalty::workflow::Step::Register(crate::penalty::ChecklistScope::Rectification),
        ),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The checks made before a row is read: the file exists, is within the size limit, is a
/// spreadsheet, and has no merged cells (a merged cell leaves the rows under it blank, so the
/// records would silently lose a value).
fn check_file(path: &Path, limits: &Limits) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|e| {
        CoreError::invalid(format!("无法读取文件“{}”（{e}）。请确认文件位置和访问权限。", file_name(path)))
    })?;
    if !meta.is_file() {
        return Err(CoreError::invalid(format!(
            "“{}”不是文件。请选择从原平台导出的 .xlsx 或 .csv 文件。",
            file_name(path)
        )));
    }
    if meta.len() > limits.max_bytes {
        return Err(CoreError::invalid(format!(
            "文件“{}”有 {:.1} MB，超过一次导入 {} MB 的上限。请在原平台按年度分批导出后逐个导入。",
            file_name(path),
            meta.len() as f64 / 1024.0 / 1024.0,
            limits.max_bytes / 1024 / 1024
        )));
    }
    sheet::format(path)?;
    let merged = sheet::merged(path)?;
    if !merged.is_empty() {
        let list: Vec<String> = merged.iter().take(5).map(|m| m.reference.clone()).collect();
        return Err(CoreError::invalid(format!(
            "文件“{}”中有合并单元格（{}{}）。合并后只有第一格有内容，其余各行会缺少数据。请在表格程序中取消合并、把内容填到每一行后再导入。",
            file_name(path),
            list.join("、"),
            if merged.len() > 5 { format!(" 等 {} 处", merged.len()) } else { String::new() }
        )));
    }
    Ok(())
}

/// SHA-256 of the file, read in pieces.
fn file_sha256(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| CoreError::invalid(format!("无法读取文件“{}”（{e}）。", file_name(path))))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| CoreError::invalid(format!("读取文件“{}”时出错（{e}）。", file_name(path))))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

fn header_texts(cells: &[Cell]) -> Vec<String> {
    cells.iter().map(values::text).collect()
}

/// The first rows of a file with the mapping its headers suggest, for choosing one.
pub fn preview(path: &Path, kind: MigrationKind) -> Result<FilePreview> {
    check_file(path, &Limits::default())?;
    let mut header: Option<(u32, Vec<String>)> = None;
    let mut sample = Vec::new();
    sheet::read_rows(
        path,
        &mut |row, cells| {
            match &header {
                None => header = Some((row, header_texts(&cells))),
                Some(_) => sample.push(header_texts(&cells)),
            }
            Ok(sample.len() < 5)
        },
        &mut |_, _| {},
    )?;
    let (header_row, headers) = header.ok_or_else(|| empty_file(path))?;
    let suggested = suggest(kind, &format!("{}导入", kind.label()), &headers);
    Ok(FilePreview { file_name: file_name(path), header_row, headers, sample, suggested, fields: fields(kind) })
}

fn empty_file(path: &Path) -> CoreError {
    CoreError::invalid(format!("文件“{}”中没有任何内容，没有可导入的记录。", file_name(path)))
}

/// Where each mapped field is in the header row: refused whole when a required field is not
/// mapped, a mapped column is not in the file, or a header appears twice.
fn columns(kind: MigrationKind, mapping: &Mapping, headers: &[String], path: &Path) -> Result<HashMap<String, usize>> {
    if mapping.kind != kind {
        return Err(CoreError::invalid(format!(
            "列对应关系“{}”是{}的，不能用于导入{}。",
            mapping.name,
            mapping.kind.label(),
            kind.label()
        )));
    }
    let shown = || {
        let h: Vec<&str> = headers.iter().map(String::as_str).filter(|h| !h.is_empty()).collect();
        if h.is_empty() { "（空）".to_owned() } else { h.join("、") }
    };
    let mut out = HashMap::new();
    for spec in fields(kind) {
        let Some(header) = mapping.header(&spec.key) else {
            if spec.required {
                return Err(CoreError::invalid(format!(
                    "没有为必填字段“{}”指定列。文件“{}”的表头是：{}。请在列对应关系中为它选择一列。",
                    spec.label,
                    file_name(path),
                    shown()
                )));
            }
            continue;
        };
        let found: Vec<usize> =
            headers.iter().enumerate().filter(|(_, h)| h.trim() == header.trim()).map(|(i, _)| i).collect();
        match found.as_slice() {
            [i] => {
                out.insert(spec.key.clone(), *i);
            }
            [] => {
                return Err(CoreError::invalid(format!(
                    "文件“{}”的表头中没有“{header}”列（对应字段“{}”）。文件的表头是：{}。请确认选对了文件，或调整列对应关系。",
                    file_name(path),
                    spec.label,
                    shown()
                )));
            }
            _ => {
                return Err(CoreError::invalid(format!(
                    "文件“{}”的表头中有 {} 个“{header}”列，无法确定哪一列是“{}”。请把重复的列名改成不同的名称后再导入。",
                    file_name(path),
                    found.len(),
                    spec.label
                )));
            }
        }
    }
    Ok(out)
}

/// One data row as the mapping reads it: the cell of each field.
pub(crate) struct Row<'a> {
    pub number: u32,
    cells: &'a [Cell],
    columns: &'a HashMap<String, usize>,
    kind: MigrationKind,
    mapping: &'a Mapping,
}

const EMPTY: Cell = Cell::Empty;

impl Row<'_> {
    /// The cell of `field` (empty when the field is not mapped or the row is short).
    pub fn cell(&self, field: &str) -> &Cell {
        self.columns.get(field).and_then(|&i| self.cells.get(i)).unwrap_or(&EMPTY)
    }

    /// A problem with the cell of `field`, named by its column's header.
    pub fn problem(&self, field: &str, reason: impl Into<String>) -> RowProblem {
        let column = self
            .mapping
            .header(field)
            .map(str::to_owned)
            .or_else(|| model::field_label(self.kind, field).map(str::to_owned));
        RowProblem { row: self.number, column, reason: reason.into() }
    }

    /// SHA-256 of the mapped cells, in field order.
    fn sha256(&self) -> String {
        let mut h = Sha256::new();
        for spec in fields(self.kind) {
            h.update(values::text(self.cell(&spec.key)).as_bytes());
            h.update([0x1f]);
        }
        hex::encode(h.finalize())
    }
}

/// A checked row, ready to enter.
pub(crate) enum Record {
    Complaint(Box<complaints::ComplaintRecord>),
    Penalty(Box<penalties::PenaltyRecord>),
    Rectification(Box<penalties::PenaltyRecord>),
}

/// What a scan does with the rows it checks: look up an earlier import, and take a new record.
trait Sink {
    /// The database as the scan reads it (inside the import's transaction when writing).
    fn conn(&self) -> &Connection;
    /// The row hash an earlier import recorded for `original_number`, if any.
    fn known(&mut self, original_number: &str) -> Result<Option<String>>;
    /// A valid new record.
    fn take(&mut self, row: u32, original_number: String, row_sha256: String, record: Record) -> Result<()>;
}

fn known_in(conn: &Connection, office: &str, kind: MigrationKind, number: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT row_sha256 FROM migrated_records WHERE office_code = ?1 AND kind = ?2 AND original_number = ?3",
        )?
        .query_row(params![office, kind.as_str(), number], |r| r.get(0))
        .optional()?)
}

struct Checker<'a> {
    conn: &'a Connection,
    office: &'a str,
    kind: MigrationKind,
}

impl Sink for Checker<'_> {
    fn conn(&self) -> &Connection {
        self.conn
    }
    fn known(&mut self, n: &str) -> Result<Option<String>> {
        known_in(self.conn, self.office, self.kind, n)
    }
    fn take(&mut self, _: u32, _: String, _: String, _: Record) -> Result<()> {
        Ok(())
    }
}

/// What a scan of the file found.
struct Scan {
    header_row: u32,
    headers: Vec<String>,
    rows: u32,
    new_records: u32,
    already: u32,
    changed: u32,
    problems: Vec<RowProblem>,
    problem_count: u32,
}

impl Scan {
    fn note(&mut self, p: RowProblem) {
        self.problem_count += 1;
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        }
    }

    /// Settles one record read from the file (`first` being its first row): counts it as bad,
    /// a duplicate, already imported, or new (handed to `sink`).
    fn settle(
        &mut self,
        seen: &mut HashMap<String, u32>,
        sink: &mut dyn Sink,
        first: &Row<'_>,
        original: String,
        sha: String,
        parsed: std::result::Result<Record, Vec<RowProblem>>,
    ) -> Result<()> {
        let record = match parsed {
            Ok(r) => r,
            Err(problems) => {
                for p in problems {
                    self.note(p);
                }
                return Ok(());
            }
        };
        if let Some(earlier) = seen.get(&original) {
            let why = if first.kind == MigrationKind::Rectifications {
                "同一清单的各行须连在一起；不同清单请用不同的原编号。"
            } else {
                "同一记录只能出现一次，请删去重复的行。"
            };
            self.note(first.problem("original_number", format!("原编号“{original}”与第 {earlier} 行重复。{why}")));
            return Ok(());
        }
        seen.insert(original.clone(), first.number);
        match sink.known(&original)? {
            Some(earlier) => {
                self.already += 1;
                if earlier != sha {
                    self.changed += 1;
                }
            }
            None => {
                self.new_records += 1;
                sink.take(first.number, original, sha, record)?;
            }
        }
        Ok(())
    }
}

/// Reads the rows of one rectification list (they share its original number) and settles it.
#[allow(clippy::too_many_arguments)]
fn settle_list(
    s: &mut Scan,
    seen: &mut HashMap<String, u32>,
    sink: &mut dyn Sink,
    env: &penalties::Env<'_>,
    group: &[(u32, Vec<Cell>)],
    cols: &HashMap<String, usize>,
    mapping: &Mapping,
) -> Result<()> {
    let kind = MigrationKind::Rectifications;
    let rows: Vec<Row<'_>> =
        group.iter().map(|(number, cells)| Row { number: *number, cells, columns: cols, kind, mapping }).collect();
    let Some(first) = rows.first() else { return Ok(()) };
    let original = values::code(first.cell("original_number"));
    let known = !original.is_empty() && sink.known(&original)?.is_some();
    let parsed = rectifications::parse(&rows, env, known).map(|p| Record::Rectification(Box::new(p)));
    let mut h = Sha256::new();
    for r in &rows {
        h.update(r.sha256().as_bytes());
    }
    let sha = hex::encode(h.finalize());
    s.settle(seen, sink, first, original, sha, parsed)
}

/// Reads every row of the file once, checking it and handing valid new records to `sink`. A
/// rectification list spans the rows that share its original number, one after another.
#[allow(clippy::too_many_arguments)]
fn scan(
    path: &Path,
    kind: MigrationKind,
    mapping: &Mapping,
    limits: &Limits,
    env: &penalties::Env<'_>,
    phase: MigrationPhase,
    progress: Progress<'_>,
    sink: &mut dyn Sink,
) -> Result<Scan> {
    let mut header: Option<(u32, Vec<String>, HashMap<String, usize>)> = None;
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut s = Scan {
        header_row: 0,
        headers: Vec::new(),
        rows: 0,
        new_records: 0,
        already: 0,
        changed: 0,
        problems: Vec::new(),
        problem_count: 0,
    };
    // The rows of the rectification list being read (at most one list's rows at a time).
    let mut group: Vec<(u32, Vec<Cell>)> = Vec::new();
    sheet::read_rows(
        path,
        &mut |number, cells| {
            let Some((_, _, cols)) = &header else {
                let headers = header_texts(&cells);
                let cols = columns(kind, mapping, &headers, path)?;
                header = Some((number, headers, cols));
                return Ok(true);
            };
            s.rows += 1;
            if s.rows > limits.max_rows {
                return Err(CoreError::invalid(format!(
                    "文件“{}”的数据超过 {} 行，超过一次导入的上限。请在原平台按年度分批导出后逐个导入。",
                    file_name(path),
                    limits.max_rows
                )));
            }
            let row = Row { number, cells: &cells, columns: cols, kind, mapping };
            let original = values::code(row.cell("original_number"));
            let parsed = match kind {
                MigrationKind::Complaints => complaints::parse(&row, env.now).map(|c| Record::Complaint(Box::new(c))),
                MigrationKind::Penalties => {
                    // A decision imported before is not registered again, so the registration
                    // rule (which refuses a decision already entered) is not asked of it.
                    let known = !original.is_empty() && sink.known(&original)?.is_some();
                    penalties::parse(&row, env, sink.conn(), known).map(|p| Record::Penalty(Box::new(p)))
                }
                MigrationKind::Rectifications => {
                    let same = group.first().is_none_or(|(n, c)| {
                        let first = Row { number: *n, cells: c, columns: cols, kind, mapping };
                        values::code(first.cell("original_number")) == original
                    });
                    if !same {
                        settle_list(&mut s, &mut seen, sink, env, &group, cols, mapping)?;
                        group.clear();
                    }
                    if group.len() >= crate::penalty::workflow::MAX_ITEMS {
                        s.note(row.problem(
                            "original_number",
                            format!(
                                "清单“{original}”超过 {} 项问题，超过一份清单的上限。",
                                crate::penalty::workflow::MAX_ITEMS
                            ),
                        ));
                        return Ok(true);
                    }
                    group.push((number, cells));
                    return Ok(true);
                }
            };
            let sha = row.sha256();
            s.settle(&mut seen, sink, &row, original, sha, parsed)?;
            Ok(true)
        },
        &mut |done, total| progress(phase, done, total),
    )?;
    let (header_row, headers, cols) = header.ok_or_else(|| empty_file(path))?;
    if !group.is_empty() {
        settle_list(&mut s, &mut seen, sink, env, &group, &cols, mapping)?;
    }
    if s.rows == 0 {
        return Err(CoreError::invalid(format!(
            "文件“{}”只有表头（第 {header_row} 行），没有数据行，没有可导入的记录。",
            file_name(path)
        )));
    }
    s.header_row = header_row;
    s.headers = headers;
    Ok(s)
}

fn report(
    outcome: MigrationOutcome,
    kind: MigrationKind,
    path: &Path,
    s: Scan,
    batch_id: Option<String>,
) -> MigrationReport {
    MigrationReport {
        outcome,
        kind,
        file_name: file_name(path),
        header_row: s.header_row,
        headers: s.headers,
        rows: s.rows,
        new_records: s.new_records,
        already_imported: s.already,
        changed_since: s.changed,
        problems: s.problems,
        problem_count: s.problem_count,
        batch_id,
    }
}

fn today(store: &Store) -> chrono::NaiveDate {
    store.clock().now().with_timezone(&crate::clock::business_zone()).date_naive()
}

/// Checks every row of the file against `mapping` and reports what an import would do; writes
/// nothing.
pub fn dry_run(
    store: &Store,
    actor: &Actor,
    path: &Path,
    kind: MigrationKind,
    mapping: &Mapping,
    limits: &Limits,
    progress: Progress<'_>,
) -> Result<MigrationReport> {
    let office = store.office()?;
    authorize(actor, &action(kind, &office))?;
    check_file(path, limits)?;
    let mut sink = Checker { conn: store.conn(), office: &office, kind };
    let env = penalties::Env { actor, office: &office, calendar: store.calendar(), now: store.clock().now() };
    let s = scan(path, kind, mapping, limits, &env, MigrationPhase::Checking, progress, &mut sink)?;
    Ok(report(MigrationOutcome::DryRun, kind, path, s, None))
}

/// Enters the file's records in one transaction, or none of them: every row is checked first
/// (as [`dry_run`]), and a file with a bad row is refused with the report. Records an earlier
/// import entered are left as they were.
pub fn import(
    store: &mut Store,
    actor: &Actor,
    path: &Path,
    kind: MigrationKind,
    mapping: &Mapping,
    limits: &Limits,
    progress: Progress<'_>,
) -> Result<MigrationReport> {
    let checked = dry_run(store, actor, path, kind, mapping, limits, &mut *progress)?;
    if checked.problem_count > 0 {
        return Ok(MigrationReport { outcome: MigrationOutcome::Refused, ..checked });
    }
    if checked.new_records == 0 {
        return Ok(MigrationReport { outcome: MigrationOutcome::NothingNew, ..checked });
    }
    let sha = file_sha256(path)?;
    let office = store.office()?;
    let day = today(store);
    let batch_id = uuid::Uuid::now_v7().to_string();
    let calendar = store.calendar().clone();
    let s = store.execute_streamed(actor, action(kind, &office), |appender, ctx| {
        let numbering = crate::complaints::ops::Numbering::new(appender.tx(), &office)?;
        let mut sink = Writer { appender, office: &office, kind, batch_id: &batch_id, numbering };
        let env = penalties::Env { actor, office: &office, calendar: &calendar, now: ctx.now };
        let s = scan(path, kind, mapping, limits, &env, MigrationPhase::Writing, &mut *progress, &mut sink)?;
        // The file was checked a moment ago; if it changed since, nothing of it is kept.
        if s.problem_count > 0 || file_sha256(path)? != sha {
            return Err(CoreError::invalid(format!(
                "文件“{}”在导入过程中被改动，已全部撤回，一条也没有写入。请关闭编辑该文件的程序后重新导入。",
                file_name(path)
            )));
        }
        sink.appender.append(NewEvent::new(
            kind::IMPORT_COMPLETED,
            format!("import:{batch_id}"),
            &ImportCompleted {
                batch_id: batch_id.clone(),
                office_code: office.clone(),
                kind,
                file_name: file_name(path),
                file_sha256: sha.clone(),
                mapping: mapping.clone(),
                rows: s.rows,
                imported: s.new_records,
                skipped: s.already,
                date: day.to_string(),
            },
        )?)?;
        Ok(s)
    })?;
    Ok(report(MigrationOutcome::Imported, kind, path, s, Some(batch_id)))
}

struct Writer<'w, 't, 'c> {
    appender: &'w mut Appender<'t, 'c>,
    office: &'w str,
    kind: MigrationKind,
    batch_id: &'w str,
    numbering: crate::complaints::ops::Numbering,
}

impl Sink for Writer<'_, '_, '_> {
    fn conn(&self) -> &Connection {
        self.appender.tx()
    }
    fn known(&mut self, n: &str) -> Result<Option<String>> {
        known_in(self.appender.tx(), self.office, self.kind, n)
    }

    fn take(&mut self, row: u32, original_number: String, row_sha256: String, record: Record) -> Result<()> {
        match record {
            Record::Complaint(c) => {
                let id = uuid::Uuid::now_v7().to_string();
                let registered = self.numbering.registration(self.appender.tx(), &id, &c.form, c.received)?;
                self.appender.append(registered)?;
                self.appender.append(NewEvent::new(
                    kind::IMPORT_RECORD_MIGRATED,
                    crate::complaints::workflow::aggregate(&id),
                    &RecordMigrated {
                        office_code: self.office.to_owned(),
                        kind: self.kind,
                        batch_id: self.batch_id.to_owned(),
                        original_number,
                        row,
                        row_sha256,
                        complaint: Some(c.history),
                    },
                )?)?;
            }
            Record::Penalty(p) | Record::Rectification(p) => {
                // The registration, then the item events that bring it to where the older
                // platform left it (each dated as the file gives it), then the mark.
                let prefix = if self.kind == MigrationKind::Rectifications { "checklist" } else { "penalty" };
                let aggregate = format!("{prefix}:{}", p.id);
                for e in &p.events {
                    self.appender.append(e.encode(&aggregate)?)?;
                }
                self.appender.append(NewEvent::new(
                    kind::IMPORT_RECORD_MIGRATED,
                    aggregate,
                    &RecordMigrated {
                        office_code: self.office.to_owned(),
                        kind: self.kind,
                        batch_id: self.batch_id.to_owned(),
                        original_number,
                        row,
                        row_sha256,
                        complaint: None,
                    },
                )?)?;
            }
        }
        Ok(())
    }
}

/// Saves a column mapping under its name (replacing one of the same name and kind).
pub fn save_mapping(store: &mut Store, actor: &Actor, mapping: &Mapping) -> Result<()> {
    let office = store.office()?;
    let mut mapping = mapping.clone();
    mapping.name = crate::input::required("列对应关系名称", &mapping.name, 50)?;
    let known: Vec<String> = fields(mapping.kind).into_iter().map(|f| f.key).collect();
    mapping.columns.retain(|c| !c.header.trim().is_empty());
    for c in &mapping.columns {
        if !known.contains(&c.field) {
            return Err(CoreError::invalid(format!("列对应关系中有不认识的字段“{}”。", c.field)));
        }
        crate::input::check_line("列名", &c.header)?;
    }
    for spec in fields(mapping.kind).into_iter().filter(|f| f.required) {
        if mapping.header(&spec.key).is_none() {
            return Err(CoreError::invalid(format!("请为必填字段“{}”选择一列后再保存。", spec.label)));
        }
    }
    let aggregate = format!("import_mapping:{office}:{}:{}", mapping.kind.as_str(), mapping.name);
    store.execute(actor, action(mapping.kind, &office), |_, _| {
        Ok(crate::store::Decision::events(vec![NewEvent::new(
            kind::IMPORT_MAPPING_SAVED,
            aggregate,
            &MappingSaved { office_code: office.clone(), mapping: mapping.clone() },
        )?]))
    })?;
    Ok(())
}

/// The mappings saved for `kind`, by name.
pub fn mappings(store: &Store, kind: MigrationKind) -> Result<Vec<Mapping>> {
    let office = store.office()?;
    let mut stmt = store
        .conn()
        .prepare("SELECT columns_json FROM import_mappings WHERE office_code = ?1 AND kind = ?2 ORDER BY name")?;
    let rows: Vec<String> = stmt.query_map(params![office, kind.as_str()], |r| r.get(0))?.collect::<Result<_, _>>()?;
    rows.iter().map(|j| serde_json::from_str(j).map_err(|e| CoreError::Encoding(e.to_string()))).collect()
}

/// The mapping saved as `name` for `kind`.
pub fn mapping(store: &Store, kind: MigrationKind, name: &str) -> Result<Mapping> {
    mappings(store, kind)?.into_iter().find(|m| m.name == name).ok_or_else(|| {
        CoreError::invalid(format!(
            "没有名为“{name}”的{}列对应关系。请先在“数据迁移”中保存它，或不指定名称以按表头自动对应。",
            kind.label()
        ))
    })
}

/// The mapping a file's headers suggest (for the CLI without `--mapping`).
pub fn suggested(path: &Path, kind: MigrationKind) -> Result<Mapping> {
    Ok(preview(path, kind)?.suggested)
}

/// The imports that entered records, newest first.
pub fn batches(store: &Store) -> Result<Vec<BatchView>> {
    let mut stmt = store.conn().prepare(
        "SELECT batch_id, kind, file_name, mapping_name, rows, imported, skipped, date FROM import_batches
         ORDER BY created_at DESC, batch_id DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, u32>(4)?,
            r.get::<_, u32>(5)?,
            r.get::<_, u32>(6)?,
            r.get::<_, String>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (batch_id, kind, file_name, mapping_name, rows, imported, skipped, date) = r?;
        out.push(BatchView {
            batch_id,
            kind: MigrationKind::parse(&kind)?,
            file_name,
            mapping_name,
            rows,
            imported,
            skipped,
            date,
        });
    }
    Ok(out)
}

/// The original number a migrated record (`complaint:<id>`) had in the older platform.
pub fn original_number(conn: &Connection, aggregate: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT original_number FROM migrated_records WHERE aggregate = ?1")?
        .query_row([aggregate], |r| r.get(0))
        .optional()?)
}

/// A migrated record's mark in words, for its timeline: where it came from and the state the
/// older platform had reached.
pub(crate) fn describe_migrated(e: &crate::events::Event) -> String {
    let Ok(p) = e.payload::<RecordMigrated>() else { return "从原平台迁移".into() };
    let mut s = format!("从原平台迁移：原编号 {}（导入文件第 {} 行）", p.original_number, p.row);
    if let Some(h) = &p.complaint {
        let status = crate::complaints::model::ComplaintStatus::parse(&h.status).map(|s| s.label()).unwrap_or("");
        s.push_str(&format!("，原平台状态：{status}"));
        if let Some(d) = &h.concluded_date {
            s.push_str(&format!("，{d} 办结"));
        }
        if let Some(r) = &h.result {
            s.push_str(&format!("。办理结果：{r}"));
        }
    }
    s
}
