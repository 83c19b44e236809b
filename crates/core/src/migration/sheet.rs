//! Reading an older platform's export row by row, never the whole sheet at once: XLSX through
//! calamine's streaming cell reader, CSV (UTF-8, or GBK/GB18030 as Chinese Windows saves it)
//! through the `csv` crate over a decoding reader.
//!
//! Rows are handed out as the spreadsheet numbers them (1 = the first row), with their cells in
//! column order; rows with nothing in them are skipped. Merged cells are found before any row
//! is read, so a file that has them is refused whole.

use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use crate::error::{CoreError, Result};

/// One cell as the file stored it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell the spreadsheet formatted as a date.
    Date(chrono::NaiveDateTime),
    Bool(bool),
    /// A formula error (#N/A, #VALUE!), shown as Excel shows it.
    Error(String),
}

/// What kind of file it is, by its first bytes (not its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

/// A merged region of an XLSX sheet: its first and last rows (1-based) and its A1 reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub first_row: u32,
    pub last_row: u32,
    pub reference: String,
}

fn cannot_open(path: &Path, e: impl std::fmt::Display) -> CoreError {
    CoreError::invalid(format!("无法读取文件 {}：{e}。请确认文件位置和访问权限。", path.display()))
}

/// The file's format: an XLSX workbook (a zip) or text taken as CSV. An old binary .xls
/// workbook and other files are refused with what to do.
pub fn format(path: &Path) -> Result<Format> {
    let mut head = [0u8; 8];
    let mut file = std::fs::File::open(path).map_err(|e| cannot_open(path, e))?;
    let n = file.read(&mut head).map_err(|e| cannot_open(path, e))?;
    if n == 0 {
        return Err(CoreError::invalid(format!("文件 {} 是空的，没有可导入的内容。", path.display())));
    }
    if head[..n].starts_with(b"PK\x03\x04") {
        return Ok(Format::Xlsx);
    }
    if head[..n].starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(CoreError::invalid(format!(
            "文件 {} 是旧版 Excel（.xls）格式。请在表格程序中“另存为” .xlsx 或 .csv 格式后再导入。",
            path.display()
        )));
    }
    if head[..n].starts_with(b"%PDF") || head[..n].iter().take(n).filter(|b| **b == 0).count() > 1 {
        return Err(CoreError::invalid(format!(
            "文件 {} 不是表格文件。请选择从原平台导出的 .xlsx 或 .csv 文件。",
            path.display()
        )));
    }
    Ok(Format::Csv)
}

fn xlsx(path: &Path) -> Result<Xlsx<BufReader<std::fs::File>>> {
    calamine::open_workbook::<Xlsx<_>, _>(path).map_err(|e| {
        CoreError::invalid(format!(
            "无法读取 XLSX 文件 {}（{e}）。文件可能已损坏或设有打开密码，请用表格程序打开确认后另存一份再导入。",
            path.display()
        ))
    })
}

fn first_sheet(book: &Xlsx<BufReader<std::fs::File>>, path: &Path) -> Result<String> {
    book.sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| CoreError::invalid(format!("文件 {} 中没有工作表。", path.display())))
}

/// Column letters of a 0-based column index (0 → A, 27 → AB).
pub fn column_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The merged regions of the first sheet (none for CSV).
pub fn merged(path: &Path) -> Result<Vec<Merged>> {
    if format(path)? != Format::Xlsx {
        return Ok(Vec::new());
    }
    let mut book = xlsx(path)?;
    let name = first_sheet(&book, path)?;
    let regions = book.merge_cells_by_sheet_name(&name).map_err(|e| {
        CoreError::invalid(format!("无法读取工作表“{name}”（{e}）。请用表格程序打开后另存一份再导入。"))
    })?;
    Ok(regions
        .into_iter()
        .map(|d| Merged {
            first_row: d.start.0 + 1,
            last_row: d.end.0 + 1,
            reference: format!(
                "{}{}:{}{}",
                column_letters(d.start.1),
                d.start.0 + 1,
                column_letters(d.end.1),
                d.end.0 + 1
            ),
        })
        .collect())
}

fn cell_of(v: &DataRef<'_>) -> Cell {
    match v {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        // A cell formatted as a date holds Excel's serial day number; it becomes a date here
        // (a duration-formatted cell stays a number).
        DataRef::DateTime(d) if !d.is_duration() => match serial_datetime(d.as_f64()) {
            Some(dt) => Cell::Date(dt),
            None => Cell::Number(d.as_f64()),
        },
        DataRef::DateTime(d) => Cell::Number(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// The date and time of an Excel serial day number (1900 date system: day 1 is 1900-01-01, and
/// Excel counts a 29 February 1900 that never was, so serials from 61 on are one day ahead;
/// every date an import accepts is far past it).
pub(crate) fn serial_datetime(serial: f64) -> Option<chrono::NaiveDateTime> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(chrono::NaiveTime::MIN);
    let millis = (serial * 86_400_000.0).round() as i64;
    base.checked_add_signed(chrono::Duration::milliseconds(millis))
}

fn is_empty_row(cells: &[Cell]) -> bool {
    cells.iter().all(|c| match c {
        Cell::Empty => true,
        Cell::Text(s) => s.trim().is_empty(),
        _ => false,
    })
}

/// Reads every non-empty row of the file's first sheet (or the CSV), in order, handing each to
/// `visit` with its row number; `progress` hears (rows or bytes done, total) now and then.
/// Nothing is kept between rows.
pub fn read_rows(
    path: &Path,
    visit: &mut dyn FnMut(u32, Vec<Cell>) -> Result<bool>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<()> {
    match format(path)? {
        Format::Xlsx => read_xlsx(path, visit, progress),
        Format::Csv => read_csv(path, visit, progress),
    }
}

fn read_xlsx(
    path: &Path,
    visit: &mut dyn FnMut(u32, Vec<Cell>) -> Result<bool>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<()> {
    let mut book = xlsx(path)?;
    let name = first_sheet(&book, path)?;
    let mut cells =
        book.worksheet_cells_reader(&name).map_err(|e| CoreError::invalid(format!("无法读取工作表“{name}”：{e}")))?;
    let total = u64::from(cells.dimensions().end.0) + 1;
    let mut row: Option<u32> = None;
    let mut current: Vec<Cell> = Vec::new();
    // Whether to go on: `visit` may stop the reading early (a preview needs a few rows).
    let mut emit = |row: u32, current: &mut Vec<Cell>| -> Result<bool> {
        let cells = std::mem::take(current);
        let more = is_empty_row(&cells) || visit(row + 1, cells)?;
        if row % 500 == 0 {
            progress(u64::from(row) + 1, total);
        }
        Ok(more)
    };
    loop {
        let next = cells.next_cell().map_err(|e| {
            CoreError::invalid(format!(
                "读取工作表“{name}”时出错（{e}）。文件可能已损坏，请用表格程序打开后另存一份再导入。"
            ))
        })?;
        let Some(cell) = next else { break };
        let (r, c) = cell.get_position();
        if row != Some(r) {
            if let Some(prev) = row
                && !emit(prev, &mut current)?
            {
                return Ok(());
            }
            row = Some(r);
        }
        let c = c as usize;
        if current.len() <= c {
            current.resize(c + 1, Cell::Empty);
        }
        current[c] = cell_of(cell.get_value());
    }
    if let Some(prev) = row {
        emit(prev, &mut current)?;
    }
    progress(total, total);
    Ok(())
}

/// The text encoding of a CSV file: UTF-8 (with or without a byte-order mark), UTF-16 with a
/// byte-order mark, or else GB18030 (a superset of GBK), which Chinese Windows uses.
fn sniff_encoding(head: &[u8]) -> &'static encoding_rs::Encoding {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(head) {
        return enc;
    }
    match std::str::from_utf8(head) {
        Ok(_) => encoding_rs::UTF_8,
        // A character cut off at the end of the sample is still UTF-8.
        Err(e) if e.error_len().is_none() => encoding_rs::UTF_8,
        Err(_) => encoding_rs::GB18030,
    }
}

/// A reader that decodes another reader's bytes to UTF-8 as they are read.
struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    done: bool,
    consumed: u64,
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.raw.resize(64 * 1024, 0);
            let n = self.inner.read(&mut self.raw)?;
            self.consumed += n as u64;
            let last = n == 0;
            self.out.clear();
            self.out.resize(self.decoder.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16), 0);
            let (_, _, written, _) = self.decoder.decode_to_utf8(&self.raw[..n], &mut self.out, last);
            self.out.truncate(written);
            self.pos = 0;
            self.done = last;
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn read_csv(
    path: &Path,
    visit: &mut dyn FnMut(u32, Vec<Cell>) -> Result<bool>,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<()> {
    let total = std::fs::metadata(path).map_err(|e| cannot_open(path, e))?.len();
    let mut file = std::fs::File::open(path).map_err(|e| cannot_open(path, e))?;
    let mut head = vec![0u8; 64 * 1024];
    let n = file.read(&mut head).map_err(|e| cannot_open(path, e))?;
    head.truncate(n);
    let encoding = sniff_encoding(&head);
    let file = std::fs::File::open(path).map_err(|e| cannot_open(path, e))?;
    let decoding = Decoding {
        inner: BufReader::new(file),
        // The byte-order mark, if any, is removed by the decoder.
        decoder: encoding.new_decoder_with_bom_removal(),
        raw: Vec::new(),
        out: Vec::new(),
        pos: 0,
        done: false,
        consumed: 0,
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(decoding);
    let mut record = csv::StringRecord::new();
    let mut row = 0u32;
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            CoreError::invalid(format!(
                "CSV 文件第 {} 行无法读取（{e}）。请检查引号是否成对，或用表格程序打开后另存为 CSV 再导入。",
                row + 1
            ))
        })?;
        if !more {
            break;
        }
        row += 1;
        let cells: Vec<Cell> = record.iter().map(|s| Cell::Text(s.to_owned())).collect();
        if !is_empty_row(&cells) && !visit(row, cells)? {
            return Ok(());
        }
        if row % 500 == 0 {
            progress(reader.get_ref().consumed, total);
        }
    }
    progress(total, total);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_run_past_z() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn gbk_text_is_recognised() {
        let (gbk, _, _) = encoding_rs::GBK.encode("收到日期,渠道\n2023-01-05,来信\n");
        assert_eq!(sniff_encoding(&gbk), encoding_rs::GB18030);
        assert_eq!(sniff_encoding("收到日期".as_bytes()), encoding_rs::UTF_8);
        assert_eq!(sniff_encoding(&"收到日期".as_bytes()[..5]), encoding_rs::UTF_8);
    }
}
