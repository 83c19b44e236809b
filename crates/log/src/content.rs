//! Province-wide content the hub publishes besides the calendar and the key-problem catalogue:
//! regulations for the reference library, notice templates and penalty-execution checklist
//! templates (issue #16 item 7), as one hub-signed envelope every replica and the hub agree on.
//!
//! Every kind of content follows the same rules, written once here: a document is named by its
//! kind and a stable id, carries a province version number (1, 2, …) that is never reused, and
//! its text travels whole with the SHA-256 of its canonical form, which each replica checks again
//! before keeping it. What the text must say (a regulation's articles, a template's fields) is
//! checked by the office's store, which owns those formats; the hub checks the envelope, the
//! text's outer form and that a version number is not used twice. The catalogue
//! (`crate::catalogue`) keeps its own payload for log compatibility, but shares [`hashed`].

use serde::{Deserialize, Serialize};

use crate::error::{LogError, Result};

/// The largest text a published document may carry (a long regulation is a few hundred KB).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What a published document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ContentKind {
    /// A regulation for the reference library (资料袋): the text in the library's import format.
    Regulation,
    /// A notice template (文书模板): the template's TOML text, for one kind of notice.
    NoticeTemplate,
    /// A penalty-execution or rectification checklist template (执行事项清单模板): its JSON.
    ChecklistTemplate,
}

impl ContentKind {
    pub const ALL: [ContentKind; 3] =
        [ContentKind::Regulation, ContentKind::NoticeTemplate, ContentKind::ChecklistTemplate];

    pub fn as_str(self) -> &'static str {
        match self {
            ContentKind::Regulation => "regulation",
            ContentKind::NoticeTemplate => "notice_template",
            ContentKind::ChecklistTemplate => "checklist_template",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| LogError::invalid(format!("未知的省级内容类别“{s}”：应为法规、文书模板或清单模板之一。")))
    }

    /// The kind's name as officers read it.
    pub fn label(self) -> &'static str {
        match self {
            ContentKind::Regulation => "法规制度",
            ContentKind::NoticeTemplate => "文书模板",
            ContentKind::ChecklistTemplate => "执行事项清单模板",
        }
    }
}

/// A document as the hub's administrator publishes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ProvinceDoc {
    pub kind: ContentKind,
    /// A stable id within the kind: the library document's id, the notice kind, the checklist
    /// template's id. Later versions of the same document keep it.
    pub id: String,
    /// The province's version of this document, from 1; a number once published is never reused.
    pub version: u32,
    /// The title shown to officers (the regulation's or template's name).
    pub title: String,
    /// The document's whole text in its kind's own format.
    pub body: String,
}

/// Payload of `content.published` (on [`aggregate`]): the document and the SHA-256 of its
/// canonical JSON.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContentPublished {
    pub doc: ProvinceDoc,
    pub sha256: String,
}

/// The aggregate a version is published on, one per version
/// (`content:checklist_template:penalty.standard/2`), so the hub finds a used number from its
/// index of aggregates, as for the catalogue.
pub fn aggregate(kind: ContentKind, id: &str, version: u32) -> String {
    format!("content:{}:{id}/{version}", kind.as_str())
}

/// SHA-256 (hex) of a value's canonical JSON: the one hash every hub-published province-wide
/// document carries and every replica recomputes.
pub fn hashed<T: Serialize>(value: &T) -> Result<(String, String)> {
    let json = serde_json::to_string(value).map_err(|e| LogError::Encoding(e.to_string()))?;
    let hash = crate::encoding::sha256_hex(json.as_bytes());
    Ok((json, hash))
}

impl ProvinceDoc {
    /// SHA-256 of the canonical JSON.
    pub fn sha256(&self) -> Result<String> {
        Ok(hashed(self)?.1)
    }

    /// The payload that publishes this (already checked) document.
    pub fn published(&self) -> Result<ContentPublished> {
        Ok(ContentPublished { doc: self.clone(), sha256: self.sha256()? })
    }

    /// How officers name this version: 《title》（省级第 N 版）.
    pub fn describe(&self) -> String {
        format!("{}《{}》（省级第 {} 版）", self.kind.label(), self.title, self.version)
    }
}

impl ContentPublished {
    /// Refuses a payload whose document does not match its hash or breaks the envelope's rules.
    pub fn verified(&self) -> Result<ProvinceDoc> {
        if self.doc.sha256()? != self.sha256 {
            return Err(LogError::Tampered(format!("{}的内容与其摘要不符", self.doc.describe())));
        }
        let doc = check(&self.doc)?;
        if doc != self.doc {
            return Err(LogError::invalid(format!("{}未按规则整理", self.doc.describe())));
        }
        Ok(doc)
    }
}

/// Checks a document's envelope and the outer form of its text, each refusal naming what to fix.
/// Returns it with the id and title trimmed. A checklist template's JSON must be an object whose
/// `id` and `version` are the document's, so the office never adopts a template under one name
/// that calls itself another.
pub fn check(doc: &ProvinceDoc) -> Result<ProvinceDoc> {
    let mut d = doc.clone();
    d.id = d.id.trim().to_owned();
    d.title = d.title.trim().to_owned();
    let what = d.kind.label();
    if d.id.is_empty()
        || d.id.len() > 80
        || !d.id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(LogError::invalid(format!(
            "{what}的编号“{}”无效：编号应为 1 至 80 个英文字母、数字或 - _ . 组成。",
            d.id
        )));
    }
    if d.version == 0 {
        return Err(LogError::invalid(format!("{what}的版本号应为从 1 开始的整数。")));
    }
    if d.title.is_empty() || d.title.chars().count() > 100 || d.title.chars().any(char::is_control) {
        return Err(LogError::invalid(format!("{what}的名称应为 1 至 100 个字，且不含换行。")));
    }
    if d.body.trim().is_empty() {
        return Err(LogError::invalid(format!("{what}《{}》的文件是空的，请检查后再发布。", d.title)));
    }
    if d.body.len() > MAX_BODY_BYTES {
        return Err(LogError::invalid(format!(
            "{what}《{}》的文件超过 {} MB，请拆分后再发布。",
            d.title,
            MAX_BODY_BYTES / 1024 / 1024
        )));
    }
    if d.body.contains('\0') {
        return Err(LogError::invalid(format!("{what}《{}》的文件含有空字符，不是文本文件。", d.title)));
    }
    match d.kind {
        ContentKind::Regulation => {}
        ContentKind::ChecklistTemplate => check_checklist(&d)?,
        ContentKind::NoticeTemplate => check_notice(&d)?,
    }
    Ok(d)
}

/// A checklist template's JSON: an object naming the document's id and version, with a scope, a
/// name and at least one item. The office checks every rule again when it arrives.
fn check_checklist(d: &ProvinceDoc) -> Result<()> {
    let value: serde_json::Value = serde_json::from_str(&d.body).map_err(|e| {
        LogError::invalid(format!("清单模板《{}》不是有效的 JSON（{e}），请对照现有模板检查。", d.title))
    })?;
    let id = value.get("id").and_then(|v| v.as_str());
    let version = value.get("version").and_then(|v| v.as_u64());
    if id != Some(d.id.as_str()) || version != Some(u64::from(d.version)) {
        return Err(LogError::invalid(format!(
            "清单模板文件中的编号和版本（{} 第 {} 版）应与发布的编号和版本（{} 第 {} 版）一致。",
            id.unwrap_or("无"),
            version.map_or_else(|| "无".to_owned(), |v| v.to_string()),
            d.id,
            d.version
        )));
    }
    if !matches!(value.get("scope").and_then(|v| v.as_str()), Some("penalty" | "rectification")) {
        return Err(LogError::invalid("清单模板的 scope 应为 penalty（处分执行）或 rectification（整改）。"));
    }
    if value.get("name").and_then(|v| v.as_str()).is_none_or(|n| n.trim().is_empty()) {
        return Err(LogError::invalid("清单模板缺少名称（name）。"));
    }
    if value.get("items").and_then(|v| v.as_array()).is_none_or(|a| a.is_empty()) {
        return Err(LogError::invalid("清单模板中至少要有一个事项（items）。"));
    }
    Ok(())
}

/// A notice template's TOML: it parses, and names the notice kind it is published under, with a
/// title and a body. Rendering is checked by the office when it adopts it (the hub has no Typst).
fn check_notice(d: &ProvinceDoc) -> Result<()> {
    let value: toml::Table = d.body.parse().map_err(|e: toml::de::Error| {
        LogError::invalid(format!("文书模板《{}》不是有效的模板文本：{}", d.title, e.message()))
    })?;
    let kind = value.get("kind").and_then(|v| v.as_str());
    if kind != Some(d.id.as_str()) {
        return Err(LogError::invalid(format!(
            "文书模板文件中的文书种类（{}）应与发布的编号（{}）一致。",
            kind.unwrap_or("无"),
            d.id
        )));
    }
    for field in ["title", "body"] {
        if value.get(field).and_then(|v| v.as_str()).is_none_or(|t| t.trim().is_empty()) {
            return Err(LogError::invalid(format!("文书模板缺少 {field}（标题或正文）。")));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn regulation() -> ProvinceDoc {
        ProvinceDoc {
            kind: ContentKind::Regulation,
            id: "yn-xinfang".into(),
            version: 1,
            title: "云南省纪检监察信访举报工作细则".into(),
            body: "标题：云南省纪检监察信访举报工作细则\n\n第一条 为了规范工作，制定本细则。\n".into(),
        }
    }

    #[test]
    fn a_published_document_verifies_and_a_changed_one_is_caught() {
        let p = regulation().published().unwrap();
        assert_eq!(p.verified().unwrap(), regulation());
        let mut forged = p.clone();
        forged.doc.body.push_str("第二条 改过。\n");
        assert!(matches!(forged.verified(), Err(LogError::Tampered(_))));
        assert_eq!(aggregate(ContentKind::Regulation, "yn-xinfang", 2), "content:regulation:yn-xinfang/2");
    }

    #[test]
    fn a_broken_document_is_refused_with_what_to_fix() {
        let mut d = regulation();
        d.id = "规定 1".into();
        assert!(check(&d).unwrap_err().to_string().contains("编号“规定 1”无效"));
        let mut d = regulation();
        d.body = "  \n".into();
        assert!(check(&d).unwrap_err().to_string().contains("文件是空的"));
        let mut d = regulation();
        d.version = 0;
        assert!(check(&d).unwrap_err().to_string().contains("从 1 开始"));
        let mut t = regulation();
        t.kind = ContentKind::ChecklistTemplate;
        t.id = "penalty.standard".into();
        t.version = 2;
        t.body = "{not json".into();
        assert!(check(&t).unwrap_err().to_string().contains("不是有效的 JSON"));
        t.body = r#"{"id":"penalty.standard","version":3}"#.into();
        assert!(check(&t).unwrap_err().to_string().contains("应与发布的编号和版本"));
        t.body = r#"{"id":"penalty.standard","version":2}"#.into();
        assert!(check(&t).unwrap_err().to_string().contains("scope"));
        t.body = r#"{"id":"penalty.standard","version":2,"scope":"penalty","name":"清单","items":[{}]}"#.into();
        assert!(check(&t).is_ok());
        let mut n = regulation();
        n.kind = ContentKind::NoticeTemplate;
        n.id = "acceptance".into();
        n.body = "kind = \"acceptance\"\ntitle = \"受理告知书\"\nbody = \"正文\"\n".into();
        assert!(check(&n).is_ok());
        n.body = "kind = \"acceptance\"\ntitle = ".into();
        assert!(check(&n).unwrap_err().to_string().contains("不是有效的模板文本"));
        n.body = "kind = \"inquiry\"\ntitle = \"谈话函询\"\nbody = \"正文\"\n".into();
        assert!(check(&n).unwrap_err().to_string().contains("应与发布的编号（acceptance）一致"));
        assert!(ContentKind::parse("poem").unwrap_err().to_string().contains("未知的省级内容类别"));
    }
}
