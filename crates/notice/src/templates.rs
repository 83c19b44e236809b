//! Notice templates as data: kinds, typed fields, the small body syntax, validation of a template and
//! of the values filled into it, and the built-in templates.
//!
//! A template is a TOML document (so it can be stored in the database as text, edited by an
//! administrator, and later replaced by a newer version from the hub):
//!
//! ```toml
//! kind = "acceptance"          # one of the eight NoticeKind ids
//! version = 1                  # raised on every change; the issued notice records it
//! title = "受理告知书"
//! addressee = "{{reporter_name}}："   # 主送 line, flush left; optional
//! signature = true             # issuing office, date and seal space under the body (default true)
//! body = """
//! 你于{{received_date}}反映的问题，我委已收悉。
//!
//! 特此告知。
//! """
//!
//! [[fields]]
//! name = "reporter_name"       # lower-case letters, digits, _
//! label = "检举人"             # shown on the form and in error messages
//! type = "text"                # text | multiline | date | office | doc_number
//! required = true              # default true
//! default = "…"                # optional, for text-like fields
//! ```
//!
//! The body syntax, line by line:
//! - a blank line ends a paragraph; the lines of one paragraph are joined without spaces (Chinese);
//! - a line holding only `~` leaves an empty line in the notice (before 附件, for instance);
//! - `# 一、…` is a first-level heading (黑体), `## （一）…` a second-level heading (楷体);
//! - `| 标签 | {{field}} |` rows form a table (2 or 4 cells per row), for receipts and records;
//! - `{{name}}` inserts a field's value; a paragraph that is only `{{name}}` of a multiline field
//!   becomes one paragraph per line of the value;
//! - `?name: ` at the start of a paragraph, heading or table row keeps it only when the field has
//!   a value.
//!
//! Nothing in a template or a value is ever read as Typst markup: the renderer passes all text to
//! the fixed layout as data (JSON strings), so `#set page(..)` or `]` in a name prints as typed.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::{NoticeError, Result};
use crate::fields::{FieldValue, Fields, check_doc_number, format_date};

/// The kinds of notice this work needs (DOMAIN.md §6). Document numbers run per office, per kind
/// and per year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// 受理告知书.
    Acceptance,
    /// 不予受理告知书.
    NonAcceptance,
    /// 实名检举控告处理结果反馈.
    ResultFeedback,
    /// 谈话函询通知 / 函询函.
    Inquiry,
    /// 处分决定送达回执.
    ServiceReceipt,
    /// 宣布记录.
    Announcement,
    /// 函告.
    NotificationLetter,
    /// 整改通知.
    Rectification,
    /// 廉政意见回复 (issue #19): the reply to the organisation department's request.
    IntegrityReply,
    /// 监督建议书 (issue #19): a supervision suggestion to a unit.
    SupervisionSuggestion,
    /// 提醒函 (issue #19): an integrity or duty reminder to a unit.
    ReminderLetter,
    /// 监督通报 (issue #19): units with problems in a period's supervision letters.
    Circular,
}

impl NoticeKind {
    /// Every kind.
    pub const ALL: [NoticeKind; 12] = [
        NoticeKind::Acceptance,
        NoticeKind::NonAcceptance,
        NoticeKind::ResultFeedback,
        NoticeKind::Inquiry,
        NoticeKind::ServiceReceipt,
        NoticeKind::Announcement,
        NoticeKind::NotificationLetter,
        NoticeKind::Rectification,
        NoticeKind::IntegrityReply,
        NoticeKind::SupervisionSuggestion,
        NoticeKind::ReminderLetter,
        NoticeKind::Circular,
    ];

    /// The id used in template files, the database and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Acceptance => "acceptance",
            NoticeKind::NonAcceptance => "non_acceptance",
            NoticeKind::ResultFeedback => "result_feedback",
            NoticeKind::Inquiry => "inquiry",
            NoticeKind::ServiceReceipt => "service_receipt",
            NoticeKind::Announcement => "announcement",
            NoticeKind::NotificationLetter => "notification_letter",
            NoticeKind::Rectification => "rectification",
            NoticeKind::IntegrityReply => "integrity_reply",
            NoticeKind::SupervisionSuggestion => "supervision_suggestion",
            NoticeKind::ReminderLetter => "reminder_letter",
            NoticeKind::Circular => "circular",
        }
    }

    /// The kind's Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            NoticeKind::Acceptance => "受理告知书",
            NoticeKind::NonAcceptance => "不予受理告知书",
            NoticeKind::ResultFeedback => "实名检举控告处理结果反馈",
            NoticeKind::Inquiry => "谈话函询通知/函询函",
            NoticeKind::ServiceReceipt => "处分决定送达回执",
            NoticeKind::Announcement => "宣布记录",
            NoticeKind::NotificationLetter => "函告",
            NoticeKind::Rectification => "整改通知",
            NoticeKind::IntegrityReply => "廉政意见回复",
            NoticeKind::SupervisionSuggestion => "监督建议书",
            NoticeKind::ReminderLetter => "提醒函",
            NoticeKind::Circular => "监督通报",
        }
    }

    /// Parses a kind id.
    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The type of a field, which decides what value it takes and how it prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// One line of text (a name, a place, a subject).
    Text,
    /// Several lines; each line of a value used alone in a paragraph becomes a paragraph.
    Multiline,
    /// A date, given as [`FieldValue::Date`], printed `2026年3月5日`.
    Date,
    /// The name of an office or unit (one line).
    Office,
    /// A document number such as `某纪告〔2026〕12号`, checked against the national rules.
    DocNumber,
}

impl FieldType {
    pub(crate) fn name_zh(self) -> &'static str {
        match self {
            FieldType::Text => "单行文字",
            FieldType::Multiline => "多行文字",
            FieldType::Date => "日期",
            FieldType::Office => "单位名称",
            FieldType::DocNumber => "文号",
        }
    }
}

/// One field a template declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    /// The name used in `{{name}}`.
    pub name: String,
    /// The Chinese label for forms and messages.
    pub label: String,
    /// What the field holds.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Whether a value must be given (defaults to true).
    #[serde(default = "yes")]
    pub required: bool,
    /// Text printed when no value is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

fn yes() -> bool {
    true
}

/// The TOML shape of a template file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateFile {
    kind: String,
    version: u32,
    title: String,
    #[serde(default)]
    addressee: Option<String>,
    #[serde(default = "yes")]
    signature: bool,
    body: String,
    #[serde(default)]
    fields: Vec<FieldSpec>,
}

/// A piece of text: literal or a field reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Inline {
    Text(String),
    Field(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Paragraph,
    Heading,
    Subheading,
}

/// A parsed body block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    Text { kind: BlockKind, cond: Option<String>, inlines: Vec<Inline> },
    Table { rows: Vec<(Option<String>, Vec<Vec<Inline>>)> },
    Blank,
}

/// A checked template, ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub(crate) kind: NoticeKind,
    pub(crate) version: u32,
    pub(crate) title: String,
    pub(crate) signature: bool,
    pub(crate) fields: Vec<FieldSpec>,
    pub(crate) addressee: Option<Vec<Inline>>,
    pub(crate) blocks: Vec<Block>,
    pub(crate) source: String,
}

/// A block of the laid-out notice, all text resolved; serialised as JSON for the layout.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum DocBlock {
    Para { text: String },
    Heading { text: String },
    Subheading { text: String },
    Table { cols: usize, rows: Vec<Vec<String>> },
    Blank,
}

/// The notice's text with every field filled in.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub title: String,
    pub addressee: Option<String>,
    pub blocks: Vec<DocBlock>,
    pub signature: bool,
}

impl Template {
    /// Parses and checks a template from its TOML text. Refuses unknown kinds, badly declared
    /// fields, syntax errors in the body, and any use of an undeclared field.
    pub fn parse(text: &str) -> Result<Template> {
        let file: TemplateFile =
            toml::from_str(text).map_err(|e| NoticeError::TemplateFormat(e.message().to_owned()))?;
        let kind = NoticeKind::parse(&file.kind).ok_or_else(|| {
            let ids: Vec<&str> = NoticeKind::ALL.iter().map(|k| k.as_str()).collect();
            NoticeError::TemplateFormat(format!("未知的文书种类“{}”，应为 {} 之一", file.kind, ids.join("、")))
        })?;
        if file.title.trim().is_empty() {
            return Err(NoticeError::TemplateFormat("标题（title）不能为空".into()));
        }
        let mut names = BTreeSet::new();
        for f in &file.fields {
            let bad = |m: &str| NoticeError::BadFieldDeclaration { name: f.name.clone(), message: m.to_owned() };
            let valid = f.name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && f.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                return Err(bad("字段名只能由小写英文字母、数字和下划线组成，并以字母开头"));
            }
            if !names.insert(f.name.clone()) {
                return Err(bad("同名字段声明了两次"));
            }
            if f.label.trim().is_empty() {
                return Err(bad("缺少中文名称（label）"));
            }
            if f.default.is_some() && f.ty == FieldType::Date {
                return Err(bad("日期字段不能设默认文字"));
            }
        }
        let addressee = match &file.addressee {
            Some(a) => {
                let inl = parse_inlines(a, 1)?;
                check_refs(&inl, &names, "主送行")?;
                Some(inl)
            }
            None => None,
        };
        let blocks = parse_body(&file.body)?;
        for (i, block) in blocks.iter().enumerate() {
            let place = format!("正文第{}段", i + 1);
            match block {
                Block::Text { cond, inlines, .. } => {
                    check_cond(cond, &names, &place)?;
                    check_refs(inlines, &names, &place)?;
                }
                Block::Blank => {}
                Block::Table { rows } => {
                    for (cond, cells) in rows {
                        check_cond(cond, &names, &place)?;
                        for cell in cells {
                            check_refs(cell, &names, &place)?;
                        }
                    }
                }
            }
        }
        Ok(Template {
            kind,
            version: file.version,
            title: file.title.trim().to_owned(),
            signature: file.signature,
            fields: file.fields,
            addressee,
            blocks,
            source: text.to_owned(),
        })
    }

    /// The kind of notice.
    pub fn kind(&self) -> NoticeKind {
        self.kind
    }

    /// The template's version (recorded with each issued notice).
    pub fn version(&self) -> u32 {
        self.version
    }

    /// The title printed at the top.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The declared fields, in order (for building a form).
    pub fn fields(&self) -> &[FieldSpec] {
        &self.fields
    }

    /// The TOML text the template was parsed from (what to store in the database).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Turns text typed by a person or given on the command line into a value of the field's
    /// type: dates as `2026-03-02` or `2026年3月2日`, everything else as text.
    pub fn parse_value(&self, name: &str, text: &str) -> Result<FieldValue> {
        let spec = self
            .fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| NoticeError::UndeclaredValue { name: name.to_owned(), template: self.title.clone() })?;
        if spec.ty != FieldType::Date {
            return Ok(FieldValue::Text(text.to_owned()));
        }
        let t = text.trim();
        let parsed = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .or_else(|_| chrono::NaiveDate::parse_from_str(t, "%Y年%m月%d日"))
            .map_err(|_| NoticeError::InvalidValue {
                label: spec.label.clone(),
                reason: format!("“{t}”不是有效日期，请写成 2026-03-02 或 2026年3月2日"),
            })?;
        Ok(FieldValue::Date(parsed))
    }

    /// Builds [`Fields`] from `(name, text)` pairs with [`Template::parse_value`].
    pub fn fields_from_text<'a>(&self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Fields> {
        let mut fields = Fields::new();
        for (name, text) in pairs {
            fields.set(name, self.parse_value(name, text)?);
        }
        Ok(fields)
    }

    /// Checks values against the declared fields: no undeclared names, every required field
    /// present and non-empty, each of the right type and form.
    pub fn check(&self, values: &Fields) -> Result<()> {
        for name in values.0.keys() {
            if !self.fields.iter().any(|f| &f.name == name) {
                return Err(NoticeError::UndeclaredValue { name: name.clone(), template: self.title.clone() });
            }
        }
        for spec in &self.fields {
            let value = values.get(&spec.name);
            let empty = match value {
                None => true,
                Some(FieldValue::Text(s)) => s.trim().is_empty(),
                Some(FieldValue::Date(_)) => false,
            };
            if empty {
                if spec.required && spec.default.is_none() {
                    return Err(NoticeError::MissingField { name: spec.name.clone(), label: spec.label.clone() });
                }
                continue;
            }
            let Some(value) = value else { continue };
            let wrong = || NoticeError::WrongType {
                name: spec.name.clone(),
                label: spec.label.clone(),
                expected: spec.ty.name_zh(),
                got: value.type_zh(),
            };
            let invalid =
                |reason: &str| NoticeError::InvalidValue { label: spec.label.clone(), reason: reason.to_owned() };
            match (spec.ty, value) {
                (FieldType::Date, FieldValue::Date(_)) => {}
                (FieldType::Date, _) | (_, FieldValue::Date(_)) => return Err(wrong()),
                (ty, FieldValue::Text(s)) => {
                    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
                        return Err(invalid("含有不可打印的控制字符，请删除后重填"));
                    }
                    if ty != FieldType::Multiline && s.contains('\n') {
                        return Err(invalid("此项只能填一行，不能换行"));
                    }
                    if ty == FieldType::DocNumber {
                        check_doc_number(&spec.label, s.trim())?;
                    }
                }
            }
        }
        Ok(())
    }

    /// The text of a field as printed: its value, else its default, else empty.
    fn value_text(&self, values: &Fields, name: &str) -> String {
        match values.get(name) {
            Some(FieldValue::Text(s)) if !s.trim().is_empty() => s.trim().replace('\t', " "),
            Some(FieldValue::Date(d)) => format_date(*d),
            _ => self.fields.iter().find(|f| f.name == name).and_then(|f| f.default.clone()).unwrap_or_default(),
        }
    }

    fn is_multiline(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.name == name && f.ty == FieldType::Multiline)
    }

    fn fill(&self, values: &Fields, inlines: &[Inline]) -> String {
        inlines
            .iter()
            .map(|i| match i {
                Inline::Text(t) => t.clone(),
                Inline::Field(n) => self.value_text(values, n),
            })
            .collect()
    }

    fn keep(&self, values: &Fields, cond: &Option<String>) -> bool {
        cond.as_ref().is_none_or(|n| !self.value_text(values, n).is_empty())
    }

    /// Checks the values and fills them in.
    pub(crate) fn resolve(&self, values: &Fields) -> Result<Resolved> {
        self.check(values)?;
        let mut blocks = Vec::new();
        for block in &self.blocks {
            match block {
                Block::Text { kind, cond, inlines } => {
                    if !self.keep(values, cond) {
                        continue;
                    }
                    // A paragraph that is just one multiline field becomes one paragraph per line.
                    if let (BlockKind::Paragraph, [Inline::Field(n)]) = (kind, inlines.as_slice())
                        && self.is_multiline(n)
                    {
                        for line in self.value_text(values, n).lines().map(str::trim).filter(|l| !l.is_empty()) {
                            blocks.push(DocBlock::Para { text: line.to_owned() });
                        }
                        continue;
                    }
                    let text = self.fill(values, inlines);
                    blocks.push(match kind {
                        BlockKind::Paragraph => DocBlock::Para { text },
                        BlockKind::Heading => DocBlock::Heading { text },
                        BlockKind::Subheading => DocBlock::Subheading { text },
                    });
                }
                Block::Blank => blocks.push(DocBlock::Blank),
                Block::Table { rows } => {
                    let rows: Vec<Vec<String>> = rows
                        .iter()
                        .filter(|(cond, _)| self.keep(values, cond))
                        .map(|(_, cells)| cells.iter().map(|c| self.fill(values, c)).collect())
                        .collect();
                    let cols = rows.first().map_or(2, Vec::len);
                    if !rows.is_empty() {
                        blocks.push(DocBlock::Table { cols, rows });
                    }
                }
            }
        }
        Ok(Resolved {
            title: self.title.clone(),
            addressee: self.addressee.as_ref().map(|a| self.fill(values, a)),
            blocks,
            signature: self.signature,
        })
    }
}

fn check_cond(cond: &Option<String>, names: &BTreeSet<String>, place: &str) -> Result<()> {
    match cond {
        Some(n) if !names.contains(n) => Err(NoticeError::UnknownField { name: n.clone(), place: place.to_owned() }),
        _ => Ok(()),
    }
}

fn check_refs(inlines: &[Inline], names: &BTreeSet<String>, place: &str) -> Result<()> {
    for i in inlines {
        if let Inline::Field(n) = i
            && !names.contains(n)
        {
            return Err(NoticeError::UnknownField { name: n.clone(), place: place.to_owned() });
        }
    }
    Ok(())
}

/// Splits `text` into literal text and `{{name}}` references.
fn parse_inlines(text: &str, line: usize) -> Result<Vec<Inline>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Inline::Text(rest[..start].to_owned()));
        }
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| NoticeError::TemplateSyntax { line, message: "“{{”没有对应的“}}”".into() })?;
        let name = after[..end].trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            return Err(NoticeError::TemplateSyntax {
                line,
                message: format!("“{{{{{name}}}}}”不是有效的字段引用，字段名只能含小写字母、数字和下划线"),
            });
        }
        out.push(Inline::Field(name.to_owned()));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Inline::Text(rest.to_owned()));
    }
    Ok(out)
}

/// Takes a leading `?name: ` condition off a line.
fn split_cond(line: &str, n: usize) -> Result<(Option<String>, &str)> {
    let Some(rest) = line.strip_prefix('?') else { return Ok((None, line)) };
    let (name, rest) = rest
        .split_once(':')
        .ok_or_else(|| NoticeError::TemplateSyntax {
            line: n, message: "条件写法应为“?字段名: 内容”".into()
        })?;
    Ok((Some(name.trim().to_owned()), rest.trim_start()))
}

fn parse_body(body: &str) -> Result<Vec<Block>> {
    let mut blocks: Vec<Block> = Vec::new();
    // The paragraph being collected: (condition, text so far, first line number).
    let mut para: Option<(Option<String>, String, usize)> = None;
    let mut in_table = false;

    fn flush(para: &mut Option<(Option<String>, String, usize)>, blocks: &mut Vec<Block>) -> Result<()> {
        if let Some((cond, text, line)) = para.take() {
            blocks.push(Block::Text { kind: BlockKind::Paragraph, cond, inlines: parse_inlines(&text, line)? });
        }
        Ok(())
    }

    for (i, raw) in body.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            flush(&mut para, &mut blocks)?;
            in_table = false;
            continue;
        }
        if line == "~" {
            flush(&mut para, &mut blocks)?;
            in_table = false;
            blocks.push(Block::Blank);
            continue;
        }
        let (cond, content) = split_cond(line, n)?;
        if let Some(row) = content.strip_prefix('|') {
            flush(&mut para, &mut blocks)?;
            let row = row.strip_suffix('|').unwrap_or(row);
            let cells = row.split('|').map(|c| parse_inlines(c.trim(), n)).collect::<Result<Vec<_>>>()?;
            if cells.len() != 2 && cells.len() != 4 {
                return Err(NoticeError::TemplateSyntax { line: n, message: "表格每行应有2格或4格".into() });
            }
            match blocks.last_mut() {
                Some(Block::Table { rows }) if in_table => {
                    if rows[0].1.len() != cells.len() {
                        return Err(NoticeError::TemplateSyntax {
                            line: n,
                            message: "同一表格各行的格数应相同".into(),
                        });
                    }
                    rows.push((cond, cells));
                }
                _ => blocks.push(Block::Table { rows: vec![(cond, cells)] }),
            }
            in_table = true;
            continue;
        }
        in_table = false;
        let heading = if let Some(h) = content.strip_prefix("## ") {
            Some((BlockKind::Subheading, h))
        } else {
            content.strip_prefix("# ").map(|h| (BlockKind::Heading, h))
        };
        if let Some((kind, text)) = heading {
            flush(&mut para, &mut blocks)?;
            blocks.push(Block::Text { kind, cond, inlines: parse_inlines(text.trim(), n)? });
            continue;
        }
        match &mut para {
            Some((_, text, _)) => {
                if cond.is_some() {
                    return Err(NoticeError::TemplateSyntax {
                        line: n,
                        message: "条件“?字段名:”只能写在段落的第一行".into(),
                    });
                }
                text.push_str(content);
            }
            None => para = Some((cond, content.to_owned(), n)),
        }
    }
    flush(&mut para, &mut blocks)?;
    if blocks.is_empty() {
        return Err(NoticeError::TemplateSyntax { line: 1, message: "正文不能为空".into() });
    }
    Ok(blocks)
}

/// The built-in template texts, one per kind.
const DEFAULT_SOURCES: [&str; 12] = [
    include_str!("../templates/acceptance.toml"),
    include_str!("../templates/non_acceptance.toml"),
    include_str!("../templates/result_feedback.toml"),
    include_str!("../templates/inquiry.toml"),
    include_str!("../templates/service_receipt.toml"),
    include_str!("../templates/announcement.toml"),
    include_str!("../templates/notification_letter.toml"),
    include_str!("../templates/rectification.toml"),
    include_str!("../templates/integrity_reply.toml"),
    include_str!("../templates/supervision_suggestion.toml"),
    include_str!("../templates/reminder_letter.toml"),
    include_str!("../templates/circular.toml"),
];

/// The built-in templates (the current version of each kind), shipped inside the crate.
pub fn defaults() -> Vec<Template> {
    DEFAULT_SOURCES
        .iter()
        .map(|s| Template::parse(s).expect("the built-in templates are valid: tests parse every one"))
        .collect()
}

/// The built-in template of one kind.
pub fn default_for(kind: NoticeKind) -> Template {
    defaults().into_iter().find(|t| t.kind == kind).expect("there is a built-in template for every kind")
}

/// Plausible values for every field of a kind's built-in template, with invented names: for a
/// preview before a record is chosen, for demonstrations and for tests.
pub fn example_fields(kind: NoticeKind) -> Fields {
    let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let f = Fields::new();
    match kind {
        NoticeKind::Acceptance => f
            .with("reporter_name", "张某某")
            .with("received_date", d(2026, 3, 2))
            .with("channel", "来信")
            .with("subject", "某镇某村党支部书记李某某有关问题")
            .with("contact", "0000-12388"),
        NoticeKind::NonAcceptance => f
            .with("reporter_name", "王某某")
            .with("received_date", d(2026, 3, 3))
            .with("channel", "网络举报")
            .with("subject", "某公司合同纠纷")
            .with("reason", "你反映的问题属于民事纠纷，已进入诉讼程序，不属于纪检监察机关受理范围")
            .with("redirect_to", "某某县人民法院"),
        NoticeKind::ResultFeedback => f
            .with("reporter_name", "赵某某")
            .with("received_date", d(2026, 1, 15))
            .with("subject", "某局干部刘某某有关问题")
            .with(
                "result",
                "经核查，反映刘某某违规收受礼金的问题基本属实。\n依据有关规定，给予刘某某党内警告处分，收缴其违纪所得。",
            ),
        NoticeKind::Inquiry => f.with("person_name", "孙某某").with("contact", "第三监督检查室，0000-1234567"),
        NoticeKind::ServiceReceipt => f
            .with("document_title", "关于给予刘某某同志党内警告处分的决定")
            .with("document_number", "某纪发〔2026〕7号")
            .with("recipient", "刘某某")
            .with("serving_office", "中共某某县纪律检查委员会")
            .with("place", "某某县纪委监委机关")
            .with("server", "周某某、吴某某"),
        NoticeKind::Announcement => f
            .with("time", "2026年3月12日上午9时")
            .with("place", "某局第一会议室")
            .with("announcer", "周某某")
            .with("attendees", "某局党组书记、局长郑某某，某局机关纪委书记冯某某")
            .with("recorder", "吴某某")
            .with("person", "刘某某")
            .with("decision_title", "《关于给予刘某某同志党内警告处分的决定》")
            .with("decision_number", "某纪发〔2026〕7号"),
        NoticeKind::NotificationLetter => f
            .with("recipient_org", "中共某某县某局党组")
            .with(
                "content",
                "经某某县纪委常委会会议研究，决定给予你局干部刘某某党内警告处分。\n现将有关情况函告你们，请按照干部管理权限做好处分决定的执行工作。",
            )
            .with("request", "请于收到本函后1个月内将执行情况书面报送我委案件监督管理室。")
            .with("contact", "陈某某，0000-7654321"),
        NoticeKind::Rectification => f
            .with("unit", "某某县某局")
            .with("source", "2026年第一轮巡察")
            .with(
                "problems",
                "（一）公务接待管理不规范，部分接待无公函、无清单。\n（二）“三重一大”事项集体决策制度落实不到位。",
            )
            .with("deadline", d(2026, 5, 29)),
        NoticeKind::IntegrityReply => f
            .with("recipient_org", "中共某某县委组织部")
            .with("request_ref", "县组函〔2026〕15号")
            .with("purpose", "拟提拔任用")
            .with(
                "persons",
                "一、李某某（某局副局长）：经查，截至2026年9月28日，未发现李某某同志有违纪违法问题。\n二、王某某（某镇党委副书记）：经查，王某某同志于2026年3月5日受到党内警告处分，尚在处分影响期内（至2027年3月4日）的情况，不宜提拔或者进一步使用。",
            ),
        NoticeKind::SupervisionSuggestion => f
            .with("unit", "某某县某局")
            .with(
                "problems",
                "一、公务接待管理不规范，部分接待无公函、无清单。\n二、“三重一大”事项集体决策制度落实不到位。",
            )
            .with("suggestions", "建立健全公务接待审批和清单制度；严格执行“三重一大”集体决策程序，完善会议记录。")
            .with("feedback_period", "自收到本建议书之日起30个工作日内"),
        NoticeKind::ReminderLetter => f
            .with("unit", "某某县某镇人民政府")
            .with("topic", "廉政提醒")
            .with("problems", "一、节日期间公务用车管理存在风险。")
            .with("suggestions", "严格落实公车封存和审批制度，节前开展廉政提醒谈话。")
            .with("feedback_period", "自收到本函之日起15个工作日内"),
        NoticeKind::Circular => f
            .with("period", "2026年1月1日至2026年6月30日")
            .with("count", "2")
            .with(
                "units",
                "一、某某县某局：监督建议书（某纪建〔2026〕3号）逾期未反馈整改情况。\n二、某某县某镇人民政府：提醒函（某纪提〔2026〕5号）指出的2个问题中尚有1个未整改到位。",
            ),
    }
}

/// Values for every field of `template`, for previewing a template being edited: the kind's
/// example value where the template still has that field with the same type, otherwise the
/// field's Chinese label in 【】 (so the officer sees where it prints) — or, for a date or a
/// document number, a plausible one, since those must have their own form.
pub fn sample_fields(template: &Template) -> Fields {
    let examples = example_fields(template.kind);
    let mut out = Fields::new();
    for spec in &template.fields {
        let example =
            examples.get(&spec.name).filter(|v| matches!(v, FieldValue::Date(_)) == (spec.ty == FieldType::Date));
        let value = match (example, spec.ty) {
            (Some(v), _) => v.clone(),
            (None, FieldType::Date) => {
                FieldValue::Date(chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default())
            }
            (None, FieldType::DocNumber) => FieldValue::Text("某纪发〔2026〕1号".into()),
            (None, _) => FieldValue::Text(format!("【{}】", spec.label)),
        };
        out.set(&spec.name, value);
    }
    out
}
