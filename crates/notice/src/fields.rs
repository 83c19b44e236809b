//! Field values filled in from the record a notice is issued for, and the notice header (issuing
//! office, document number, date).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{NoticeError, Result};

/// One field's value. Which variant a field takes follows its [`crate::FieldType`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FieldValue {
    /// Text, for text, multiline, office and document-number fields.
    Text(String),
    /// A calendar date, printed as `2026年3月5日`.
    Date(NaiveDate),
}

impl FieldValue {
    /// The value's type in Chinese, for error messages.
    pub(crate) fn type_zh(&self) -> &'static str {
        match self {
            FieldValue::Text(_) => "文字",
            FieldValue::Date(_) => "日期",
        }
    }
}

impl From<&str> for FieldValue {
    fn from(s: &str) -> Self {
        FieldValue::Text(s.to_owned())
    }
}

impl From<String> for FieldValue {
    fn from(s: String) -> Self {
        FieldValue::Text(s)
    }
}

impl From<NaiveDate> for FieldValue {
    fn from(d: NaiveDate) -> Self {
        FieldValue::Date(d)
    }
}

/// The values for one notice, by field name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fields(pub BTreeMap<String, FieldValue>);

impl Fields {
    /// No values.
    pub fn new() -> Fields {
        Fields::default()
    }

    /// Sets a value, builder style: `Fields::new().with("reporter_name", "张三")`.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<FieldValue>) -> Fields {
        self.set(name, value);
        self
    }

    /// Sets a value.
    pub fn set(&mut self, name: &str, value: impl Into<FieldValue>) {
        self.0.insert(name.to_owned(), value.into());
    }

    /// A value, if given.
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.0.get(name)
    }
}

/// What every notice carries besides its fields: who issues it, its number and its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The issuing office's name as signed above the date (发文机关署名), e.g. `中共某某县纪律检查委员会`.
    pub office_name: String,
    /// The document number (发文字号) such as `某纪告〔2026〕12号`, or none before issuing (a preview).
    pub doc_number: Option<String>,
    /// The date of the document (成文日期).
    pub date: NaiveDate,
    /// Draw a dashed circle where the seal goes, for an on-screen preview. Never on a printed copy:
    /// the seal is stamped by hand over the signature and date.
    pub seal_guide: bool,
}

/// Formats a date the way GB/T 9704 wants it: Arabic numerals, no padding, `2026年3月5日`.
pub fn format_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Checks a document number against `<机关代字>〔<year>〕<n>号`: the year in 〔〕, no 第, no leading
/// zeros (DOMAIN.md §6).
pub fn check_doc_number(label: &str, s: &str) -> Result<()> {
    let bad = |reason: &str| NoticeError::InvalidValue {
        label: label.to_owned(),
        reason: format!("文号“{s}”{reason}；正确的写法如“某纪告〔2026〕12号”"),
    };
    let (prefix, rest) = s.split_once('〔').ok_or_else(|| bad("缺少六角括号〔〕"))?;
    if prefix.trim().is_empty() || prefix.chars().any(char::is_whitespace) {
        return Err(bad("缺少机关代字或含有空格"));
    }
    let (year, rest) = rest.split_once('〕').ok_or_else(|| bad("缺少六角括号〔〕"))?;
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad("年份应为四位阿拉伯数字"));
    }
    let num = rest.strip_suffix('号').ok_or_else(|| bad("应以“号”结尾"))?;
    if num.starts_with('第') {
        return Err(bad("序号前不加“第”"));
    }
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad("序号应为阿拉伯数字"));
    }
    if num.starts_with('0') {
        return Err(bad("序号不编虚位（不加前导0）"));
    }
    Ok(())
}
