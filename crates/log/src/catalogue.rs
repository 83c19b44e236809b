//! The key-problem catalogue (重点问题目录, seed 001: "及时更新重点问题目录") as every replica and
//! the hub agree on it: a version's categories, the rules a version must keep, its content hash,
//! and the built-in first version shipped with the program.
//!
//! The hub publishes later versions on its own chain as `catalogue.published` (like the
//! province's calendar); an office's store keeps every version it received and uses the newest.
//! This lives in the log crate because the hub checks a version before signing it and must not
//! depend on the office's store.

use serde::{Deserialize, Serialize};

use crate::error::{LogError, Result};

/// The most categories a version may hold: a catalogue is read from a drop-down at intake.
pub const MAX_CATEGORIES: usize = 300;
/// The longest category name.
pub const MAX_NAME_CHARS: usize = 30;

/// The built-in first version, as shipped with the program.
pub const BUILTIN_JSON: &str = include_str!("../catalogue/key_problems.json");

/// One category of the catalogue; a key problem (重点问题) names its category as `parent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// A stable code (lower-case letters, digits and `_`): what later versions keep when they
    /// rename a category.
    pub code: String,
    /// The name shown and stored on complaints, e.g. 违规收送礼品礼金.
    pub name: String,
    /// The code of the top-level category this key problem belongs to (two levels at most).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub parent: Option<String>,
}

/// A catalogue version as the hub's administrator writes it (a JSON file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct CatalogueDoc {
    pub title: String,
    pub version: u32,
    /// 施行日期 (YYYY-MM-DD).
    pub effective: String,
    #[serde(default)]
    pub note: String,
    pub categories: Vec<Category>,
}

/// Payload of `catalogue.published` (on [`aggregate`] of its version): the whole version and the
/// SHA-256 of its canonical JSON, which every replica checks again before keeping it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CataloguePublished {
    pub doc: CatalogueDoc,
    pub sha256: String,
}

/// The aggregate a version is published on, one per version (`catalogue:key_problems/2`), so the
/// hub finds whether a version number was already used from its index of aggregates.
pub fn aggregate(version: u32) -> String {
    format!("catalogue:key_problems/{version}")
}

impl CatalogueDoc {
    /// The category named `name`, if this version has it.
    pub fn find(&self, name: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.name == name)
    }

    /// The canonical JSON a version's hash is taken over (field order as declared).
    pub fn canonical(&self) -> Result<String> {
        Ok(crate::content::hashed(self)?.0)
    }

    /// SHA-256 of [`CatalogueDoc::canonical`], in hex (the hash every province-wide document uses).
    pub fn sha256(&self) -> Result<String> {
        Ok(crate::content::hashed(self)?.1)
    }

    /// The payload that publishes this (already checked) version.
    pub fn published(&self) -> Result<CataloguePublished> {
        Ok(CataloguePublished { doc: self.clone(), sha256: self.sha256()? })
    }
}

impl CataloguePublished {
    /// Refuses a payload whose document does not match its hash or breaks a rule.
    pub fn verified(&self) -> Result<CatalogueDoc> {
        if self.doc.sha256()? != self.sha256 {
            return Err(LogError::Tampered(format!("重点问题目录第 {} 版的内容与其摘要不符", self.doc.version)));
        }
        let doc = check(&self.doc)?;
        if doc != self.doc {
            return Err(LogError::invalid(format!("重点问题目录第 {} 版未按规则整理", self.doc.version)));
        }
        Ok(doc)
    }
}

/// The built-in first version.
pub fn builtin() -> CatalogueDoc {
    // The file is part of the program and checked by a test; a broken one cannot ship.
    #[allow(clippy::expect_used)]
    let doc: CatalogueDoc = serde_json::from_str(BUILTIN_JSON).expect("the built-in catalogue is valid JSON");
    #[allow(clippy::expect_used)]
    check(&doc).expect("the built-in catalogue keeps the rules")
}

/// Checks a catalogue document: every rule a version must keep, each refusal naming what to fix.
/// Returns it trimmed, with each top-level category followed by its key problems.
pub fn check(doc: &CatalogueDoc) -> Result<CatalogueDoc> {
    let mut d = doc.clone();
    d.title = d.title.trim().to_owned();
    if d.title.is_empty() || d.title.chars().count() > 50 || d.title.chars().any(char::is_control) {
        return Err(LogError::invalid("目录名称应为 1 至 50 个字，且不含换行。"));
    }
    if d.version == 0 {
        return Err(LogError::invalid("目录版本号应为从 1 开始的整数。"));
    }
    let effective = qingfeng_calendar::parse_date(&d.effective)
        .map_err(|e| LogError::invalid(format!("目录施行日期“{}”无效：{e}", d.effective)))?;
    d.effective = effective.to_string();
    d.note = d.note.trim().to_owned();
    if d.note.chars().count() > 500 {
        return Err(LogError::invalid("目录说明不能超过 500 个字。"));
    }
    if d.categories.is_empty() {
        return Err(LogError::invalid("目录中至少要有一个问题类别。"));
    }
    if d.categories.len() > MAX_CATEGORIES {
        return Err(LogError::invalid(format!("目录中的问题类别不能超过 {MAX_CATEGORIES} 个。")));
    }
    let mut codes = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    for (i, c) in d.categories.iter_mut().enumerate() {
        let at = format!("第 {} 个类别", i + 1);
        c.code = c.code.trim().to_owned();
        c.name = c.name.trim().to_owned();
        c.parent = c.parent.take().map(|p| p.trim().to_owned()).filter(|p| !p.is_empty());
        if c.code.is_empty()
            || c.code.len() > 40
            || !c.code.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        {
            return Err(LogError::invalid(format!(
                "{at}的代码“{}”无效：代码只能由小写英文字母、数字和下划线组成，最长 40 个字符。",
                c.code
            )));
        }
        if c.name.is_empty() || c.name.chars().count() > MAX_NAME_CHARS {
            return Err(LogError::invalid(format!("{at}的名称应为 1 至 {MAX_NAME_CHARS} 个字。")));
        }
        if c.name.chars().any(char::is_control) {
            return Err(LogError::invalid(format!("{at}的名称中有换行或控制字符，请删除后再发布。")));
        }
        if !codes.insert(c.code.clone()) {
            return Err(LogError::invalid(format!("类别代码“{}”重复，每个类别的代码应各不相同。", c.code)));
        }
        if !names.insert(c.name.clone()) {
            return Err(LogError::invalid(format!("类别名称“{}”重复，每个类别的名称应各不相同。", c.name)));
        }
    }
    let tops: std::collections::HashSet<&str> =
        d.categories.iter().filter(|c| c.parent.is_none()).map(|c| c.code.as_str()).collect();
    for c in &d.categories {
        if let Some(p) = &c.parent
            && !tops.contains(p.as_str())
        {
            return Err(LogError::invalid(format!(
                "类别“{}”的上级类别“{p}”不是目录中的一级类别（目录只分两级）。",
                c.name
            )));
        }
    }
    let mut ordered = Vec::with_capacity(d.categories.len());
    for top in d.categories.iter().filter(|c| c.parent.is_none()) {
        ordered.push(top.clone());
        ordered.extend(d.categories.iter().filter(|c| c.parent.as_deref() == Some(&top.code)).cloned());
    }
    d.categories = ordered;
    Ok(d)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalogue_keeps_the_rules_and_its_hash_is_stable() {
        let c = builtin();
        assert_eq!(c.version, 1);
        for name in ["违反廉洁纪律", "违反中央八项规定精神", "形式主义、官僚主义", "侵占民生领域资金", "其他"]
        {
            assert!(c.find(name).is_some(), "{name}");
        }
        let p = c.published().unwrap();
        assert_eq!(p.verified().unwrap(), c);
        let mut tampered = p.clone();
        tampered.doc.categories[0].name = "改过的名称".into();
        assert!(matches!(tampered.verified(), Err(LogError::Tampered(_))));
    }

    #[test]
    fn a_catalogue_with_a_broken_rule_is_refused_with_what_to_fix() {
        let base = || CatalogueDoc {
            title: "目录".into(),
            version: 2,
            effective: "2026-03-01".into(),
            note: String::new(),
            categories: vec![
                Category { code: "a".into(), name: "甲".into(), parent: None },
                Category { code: "b".into(), name: "乙".into(), parent: Some("a".into()) },
            ],
        };
        assert!(check(&base()).is_ok());
        let mut dup = base();
        dup.categories[1].name = "甲".into();
        assert!(check(&dup).unwrap_err().to_string().contains("名称“甲”重复"));
        let mut deep = base();
        deep.categories.push(Category { code: "c".into(), name: "丙".into(), parent: Some("b".into()) });
        assert!(check(&deep).unwrap_err().to_string().contains("只分两级"));
        let mut code = base();
        code.categories[0].code = "A 1".into();
        assert!(check(&code).unwrap_err().to_string().contains("代码“A 1”无效"));
        let mut date = base();
        date.effective = "2026-13-01".into();
        assert!(check(&date).unwrap_err().to_string().contains("施行日期"));
    }
}
