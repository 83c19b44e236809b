//! A notice template as a form: the structured model the desktop's template editor shows and
//! edits (title, 主送 line, body blocks whose fields are named pieces, the field list, the
//! signature), and the one place it is converted to and from the template text.
//!
//! The text format ([`crate::templates`]) stays what is stored, exported, imported and carried
//! in `notice.template_saved`, so old logs replay unchanged; the form exists only so that an
//! officer never reads TOML or `{{name}}`. A form is checked here in the officer's terms (a
//! field named by its Chinese label, a paragraph by its number) before it is turned into text,
//! and the text is then parsed again by [`Template::parse`], so a form can never produce a
//! template the parser would refuse.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{NoticeError, Result};
use crate::templates::{Block, BlockKind, FieldSpec, FieldType, Inline, Template};

/// A piece of a line of text: literal words, or a field printed in its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Piece {
    /// Words printed as written.
    Text {
        /// The words.
        text: String,
    },
    /// A field's value.
    Field(FieldRef),
}

/// A reference to a field: its internal name (never shown) and its Chinese label (shown as
/// 【label】, and used in messages even after the field was deleted from the list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldRef {
    /// The field's internal name.
    pub name: String,
    /// The field's Chinese label when the reference was made.
    pub label: String,
}

/// One block of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FormBlock {
    /// A paragraph of body text.
    Paragraph {
        /// Printed only when this field has a value.
        condition: Option<FieldRef>,
        /// The paragraph's text.
        pieces: Vec<Piece>,
    },
    /// A first-level heading (一、…).
    Heading {
        /// Printed only when this field has a value.
        condition: Option<FieldRef>,
        /// The heading's text.
        pieces: Vec<Piece>,
    },
    /// A second-level heading (（一）…).
    Subheading {
        /// Printed only when this field has a value.
        condition: Option<FieldRef>,
        /// The heading's text.
        pieces: Vec<Piece>,
    },
    /// A table of 2 or 4 cells per row (receipts, records).
    Table {
        /// The rows, each with its own condition.
        rows: Vec<FormRow>,
    },
    /// An empty line.
    Blank,
}

/// One row of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormRow {
    /// Printed only when this field has a value.
    pub condition: Option<FieldRef>,
    /// The cells, each a line of pieces.
    pub cells: Vec<Vec<Piece>>,
}

/// A field the officer fills in when issuing the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FormField {
    /// Internal name (lower-case letters, digits, `_`); the editor makes one for a new field.
    pub name: String,
    /// The Chinese label.
    pub label: String,
    /// What the field holds.
    pub field_type: FieldType,
    /// Whether a value must be given.
    pub required: bool,
    /// Text printed when no value is given.
    pub default: Option<String>,
}

/// A whole template as a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TemplateForm {
    /// The kind's id.
    pub kind: String,
    /// The kind's Chinese name.
    pub kind_name: String,
    /// The version the form was read from (a save makes a newer one).
    pub version: u32,
    /// The title printed at the top.
    pub title: String,
    /// The 主送 line; empty when the notice has none.
    pub addressee: Vec<Piece>,
    /// Whether the issuing office, date and seal space are printed under the body.
    pub signature: bool,
    /// The body.
    pub blocks: Vec<FormBlock>,
    /// The fields, in form order.
    pub fields: Vec<FormField>,
}

/// The TOML shape written for a form (the same keys [`Template::parse`] reads).
#[derive(Serialize)]
struct TemplateText<'a> {
    kind: &'a str,
    version: u32,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    addressee: Option<String>,
    signature: bool,
    body: String,
    fields: Vec<FieldSpec>,
}

impl Template {
    /// The template as a form.
    pub fn to_form(&self) -> TemplateForm {
        let labels: BTreeMap<&str, &str> = self.fields.iter().map(|f| (f.name.as_str(), f.label.as_str())).collect();
        let field_ref = |name: &str| FieldRef {
            name: name.to_owned(),
            label: labels.get(name).map_or_else(|| name.to_owned(), |l| (*l).to_owned()),
        };
        let pieces = |inlines: &[Inline]| -> Vec<Piece> {
            inlines
                .iter()
                .map(|i| match i {
                    Inline::Text(t) => Piece::Text { text: t.clone() },
                    Inline::Field(n) => Piece::Field(field_ref(n)),
                })
                .collect()
        };
        let blocks = self
            .blocks
            .iter()
            .map(|b| match b {
                Block::Text { kind, cond, inlines } => {
                    let condition = cond.as_deref().map(field_ref);
                    let pieces = pieces(inlines);
                    match kind {
                        BlockKind::Paragraph => FormBlock::Paragraph { condition, pieces },
                        BlockKind::Heading => FormBlock::Heading { condition, pieces },
                        BlockKind::Subheading => FormBlock::Subheading { condition, pieces },
                    }
                }
                Block::Table { rows } => FormBlock::Table {
                    rows: rows
                        .iter()
                        .map(|(cond, cells)| FormRow {
                            condition: cond.as_deref().map(field_ref),
                            cells: cells.iter().map(|c| pieces(c)).collect(),
                        })
                        .collect(),
                },
                Block::Blank => FormBlock::Blank,
            })
            .collect();
        TemplateForm {
            kind: self.kind.as_str().into(),
            kind_name: self.kind.name_zh().into(),
            version: self.version,
            title: self.title.clone(),
            addressee: self.addressee.as_deref().map(pieces).unwrap_or_default(),
            signature: self.signature,
            blocks,
            fields: self
                .fields
                .iter()
                .map(|f| FormField {
                    name: f.name.clone(),
                    label: f.label.clone(),
                    field_type: f.ty,
                    required: f.required,
                    default: f.default.clone(),
                })
                .collect(),
        }
    }

    /// The template a form describes, as version `version`: the form is checked (refusals name
    /// the field by its Chinese label and the paragraph by its number), written as template text
    /// and parsed back.
    pub fn from_form(form: &TemplateForm, version: u32) -> Result<Template> {
        Template::parse(&form.to_source(version)?)
    }
}

fn refuse(message: String) -> NoticeError {
    NoticeError::Form(message)
}

/// The characters of the body syntax that cannot start a paragraph's text.
const SYNTAX_STARTS: [char; 4] = ['#', '|', '?', '~'];

impl TemplateForm {
    /// Writes the form as template text of version `version` (what is stored and exported).
    pub fn to_source(&self, version: u32) -> Result<String> {
        let title = one_line(&self.title).trim().to_owned();
        if title.is_empty() {
            return Err(refuse("文书标题不能为空：请填写标题后再保存。".into()));
        }
        let mut labels: BTreeMap<&str, &str> = BTreeMap::new();
        let mut seen_labels = std::collections::BTreeSet::new();
        for (i, f) in self.fields.iter().enumerate() {
            let label = f.label.trim();
            if label.is_empty() {
                return Err(refuse(format!("第{}个字段还没有名称：请填写名称，或删除这个字段。", i + 1)));
            }
            if label.contains(['【', '】', '\n']) {
                return Err(refuse(format!("字段名称【{label}】中不能有“【”“】”或换行：请改写名称。")));
            }
            if !seen_labels.insert(label) {
                return Err(refuse(format!("有两个字段都叫【{label}】：请给其中一个改用别的名称。")));
            }
            if f.field_type == FieldType::Date && f.default.as_deref().is_some_and(|d| !d.trim().is_empty()) {
                return Err(refuse(format!("【{label}】是日期字段，不能设默认文字：请清空它的默认值。")));
            }
            if labels.insert(f.name.as_str(), label).is_some() {
                return Err(refuse(format!("字段【{label}】与另一个字段重复：请删除其中一个后重新添加。")));
            }
        }
        let place_ref = |r: &FieldRef, place: &str| -> Result<()> {
            if labels.contains_key(r.name.as_str()) {
                Ok(())
            } else {
                Err(refuse(format!(
                    "{place}用到了【{}】，但字段表中已没有这一项：请在字段表中加回它，或从{place}删去它。",
                    r.label
                )))
            }
        };
        let cond_ref = |c: &Option<FieldRef>, place: &str| -> Result<String> {
            match c {
                None => Ok(String::new()),
                Some(r) => {
                    if !labels.contains_key(r.name.as_str()) {
                        return Err(refuse(format!(
                            "{place}设为“仅在填写了【{}】时打印”，但字段表中已没有这一项：请改为“总是打印”，或在字段表中加回它。",
                            r.label
                        )));
                    }
                    Ok(format!("?{}: ", r.name))
                }
            }
        };
        let line = |pieces: &[Piece], place: &str, cell: bool| -> Result<String> {
            let mut out = String::new();
            for p in pieces {
                match p {
                    Piece::Text { text } => {
                        let text = one_line(text);
                        if text.contains("{{") || text.contains("}}") {
                            return Err(refuse(format!("{place}中有“{{{{”或“}}}}”：请删去这些符号。")));
                        }
                        if cell && text.contains('|') {
                            return Err(refuse(format!("{place}中有“|”：表格的格子里不能用这个符号，请删去。")));
                        }
                        out.push_str(&text);
                    }
                    Piece::Field(r) => {
                        place_ref(r, place)?;
                        out.push_str(&format!("{{{{{}}}}}", r.name));
                    }
                }
            }
            Ok(out)
        };

        let mut body: Vec<String> = Vec::new();
        for (i, block) in self.blocks.iter().enumerate() {
            let place = format!("正文第{}段", i + 1);
            let text_block = |condition: &Option<FieldRef>, pieces: &[Piece], mark: &str| -> Result<String> {
                let cond = cond_ref(condition, &place)?;
                let text = line(pieces, &place, false)?;
                let text = text.trim();
                if text.is_empty() {
                    return Err(refuse(format!("{place}是空的：请填写内容，或删除这一段。")));
                }
                if mark.is_empty() && text.starts_with(SYNTAX_STARTS) {
                    return Err(refuse(format!("{place}不能以“#”“|”“?”“~”开头：请改写这一段的开头。")));
                }
                Ok(format!("{cond}{mark}{text}"))
            };
            let written = match block {
                FormBlock::Paragraph { condition, pieces } => text_block(condition, pieces, "")?,
                FormBlock::Heading { condition, pieces } => text_block(condition, pieces, "# ")?,
                FormBlock::Subheading { condition, pieces } => text_block(condition, pieces, "## ")?,
                FormBlock::Blank => "~".to_owned(),
                FormBlock::Table { rows } => {
                    let width = rows.first().map_or(0, |r| r.cells.len());
                    if rows.is_empty() || (width != 2 && width != 4) || rows.iter().any(|r| r.cells.len() != width) {
                        return Err(refuse(format!("{place}的表格每行应有2格或4格，且各行格数相同：请改正。")));
                    }
                    let mut lines = Vec::new();
                    for (r, row) in rows.iter().enumerate() {
                        let row_place = format!("{place}的表格第{}行", r + 1);
                        let cond = cond_ref(&row.condition, &row_place)?;
                        let cells = row.cells.iter().map(|c| line(c, &row_place, true)).collect::<Result<Vec<_>>>()?;
                        lines.push(format!("{cond}| {} |", cells.join(" | ")));
                    }
                    lines.join("\n")
                }
            };
            body.push(written);
        }
        if body.is_empty() {
            return Err(refuse("正文不能为空：请至少写一段。".into()));
        }
        let addressee = if self.addressee.is_empty() { None } else { Some(line(&self.addressee, "主送行", false)?) };
        let text = TemplateText {
            kind: &self.kind,
            version,
            title: &title,
            addressee,
            signature: self.signature,
            body: format!("{}\n", body.join("\n\n")),
            fields: self
                .fields
                .iter()
                .map(|f| FieldSpec {
                    name: f.name.clone(),
                    label: f.label.trim().to_owned(),
                    ty: f.field_type,
                    required: f.required,
                    default: f.default.clone().filter(|d| !d.trim().is_empty()),
                })
                .collect(),
        };
        toml::to_string(&text).map_err(|e| NoticeError::TemplateFormat(e.to_string()))
    }
}

/// Text as one line: a line break inside a paragraph's text box means nothing in print (the
/// lines of one paragraph are joined without spaces), so it is dropped.
fn one_line(text: &str) -> String {
    if !text.contains(['\n', '\r']) {
        return text.to_owned();
    }
    text.lines().map(str::trim).collect::<Vec<_>>().join("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::defaults;

    /// The template with its source text set aside, to compare what it means.
    fn meaning(t: &Template) -> Template {
        Template { source: String::new(), ..t.clone() }
    }

    #[test]
    fn every_builtin_template_round_trips_text_form_text() {
        let all = defaults();
        assert!(!all.is_empty());
        for t in &all {
            let form = t.to_form();
            let again = Template::from_form(&form, t.version()).unwrap_or_else(|e| panic!("{}: {e}", t.title()));
            assert_eq!(meaning(&again), meaning(t), "{} changed on the way through the form", t.title());
            assert_eq!(again.to_form(), form, "{}: the form read back differs", t.title());
            // Written once from the form, the text is stable: another pass writes the same bytes.
            assert_eq!(again.to_form().to_source(t.version()).expect("writes"), again.source(), "{}", t.title());
        }
    }

    #[test]
    fn the_form_of_a_template_names_fields_by_label() {
        let t = crate::templates::default_for(crate::NoticeKind::Acceptance);
        let form = t.to_form();
        assert_eq!(form.kind_name, "受理告知书");
        assert_eq!(
            form.addressee[0],
            Piece::Field(FieldRef { name: "reporter_name".into(), label: "检举控告人".into() })
        );
        let conditional = form
            .blocks
            .iter()
            .find_map(|b| match b {
                FormBlock::Paragraph { condition: Some(c), .. } => Some(c.label.clone()),
                _ => None,
            })
            .expect("the acceptance notice has a conditional paragraph");
        assert_eq!(conditional, "联系方式");
    }

    fn refusal(form: &TemplateForm) -> String {
        match Template::from_form(form, 9) {
            Err(NoticeError::Form(m)) => m,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn refusals_name_the_field_by_its_label_in_chinese() {
        let base = crate::templates::default_for(crate::NoticeKind::Acceptance).to_form();

        let mut f = base.clone();
        f.title = "  ".into();
        assert!(refusal(&f).contains("标题不能为空"));

        let mut f = base.clone();
        f.fields.retain(|x| x.name != "subject");
        let m = refusal(&f);
        assert!(m.contains("正文第1段") && m.contains("【反映事项】"), "{m}");
        assert!(!m.contains("subject"), "{m}");

        let mut f = base.clone();
        f.fields.retain(|x| x.name != "contact");
        let m = refusal(&f);
        assert!(m.contains("仅在填写了【联系方式】时打印"), "{m}");

        let mut f = base.clone();
        f.fields[1].default = Some("今天".into());
        assert!(refusal(&f).contains("【收到日期】是日期字段"));

        let mut f = base.clone();
        f.fields[2].label = "检举控告人".into();
        assert!(refusal(&f).contains("有两个字段都叫【检举控告人】"));

        let mut f = base.clone();
        f.fields[0].label = String::new();
        assert!(refusal(&f).contains("第1个字段还没有名称"));

        let mut f = base.clone();
        f.blocks
            .push(FormBlock::Paragraph { condition: None, pieces: vec![Piece::Text { text: "写{{错}}了".into() }] });
        assert!(refusal(&f).contains("“{{”或“}}”"));

        let mut f = base.clone();
        f.blocks.push(FormBlock::Paragraph { condition: None, pieces: vec![] });
        assert!(refusal(&f).contains("是空的"));

        let mut f = base;
        f.blocks.clear();
        assert!(refusal(&f).contains("正文不能为空"));
    }

    #[test]
    fn a_line_break_typed_in_a_paragraph_is_joined_like_the_text_format_does() {
        let mut form = crate::templates::default_for(crate::NoticeKind::Acceptance).to_form();
        form.blocks.push(FormBlock::Paragraph {
            condition: None,
            pieces: vec![Piece::Text { text: "第一行\n  第二行".into() }],
        });
        let t = Template::from_form(&form, 2).expect("valid");
        let last = t.to_form().blocks.pop().expect("a block");
        assert_eq!(
            last,
            FormBlock::Paragraph { condition: None, pieces: vec![Piece::Text { text: "第一行第二行".into() }] }
        );
        assert_eq!(t.version(), 2);
    }
}
