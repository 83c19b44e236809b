//! The key-problem catalogue in the office's store: which versions it holds (the built-in first
//! version, and those the hub published as `catalogue.published`), which one is in force (the
//! newest), and the check intake makes against it.
//!
//! Complaints store the category's name as it was given, so a later version that renames or
//! retires a category leaves earlier complaints as they were filed; only new choices are checked
//! against the version in force.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

pub use qingfeng_log::catalogue::{CatalogueDoc, CataloguePublished, Category, aggregate, builtin};

use crate::authz::Actor;
use crate::error::{CoreError, Result};
use crate::store::Store;

/// A version as the screens read it: the categories of the version in force, and every version
/// the office holds (so an officer sees which one the office works with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CatalogueView {
    pub title: String,
    pub version: u32,
    pub effective: String,
    pub note: String,
    /// True for the version shipped with the program, false for one the provincial hub published.
    pub builtin: bool,
    /// Categories in catalogue order: each top-level category followed by its key problems.
    pub categories: Vec<Category>,
    /// Every version held, newest first: (version, 施行日期, received from the hub).
    pub versions: Vec<VersionHeld>,
}

/// One version the office holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VersionHeld {
    pub version: u32,
    pub title: String,
    pub effective: String,
    pub builtin: bool,
}

/// Every version held, oldest first: the built-in one and those received.
fn all_versions(conn: &Connection) -> Result<Vec<CatalogueDoc>> {
    let mut out = vec![builtin()];
    let mut stmt = conn.prepare_cached("SELECT doc_json FROM problem_catalogues ORDER BY version")?;
    for json in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let doc: CatalogueDoc = serde_json::from_str(&json?).map_err(|e| CoreError::Encoding(e.to_string()))?;
        // A version the hub published under the built-in's number replaces it.
        out.retain(|d| d.version != doc.version);
        out.push(doc);
    }
    out.sort_by_key(|d| d.version);
    Ok(out)
}

/// The version in force: the newest the office holds.
pub fn active(conn: &Connection) -> Result<CatalogueDoc> {
    let mut all = all_versions(conn)?;
    Ok(all.pop().unwrap_or_else(builtin))
}

/// The catalogue in force with the versions held, for any officer of the office (intake offers
/// its categories).
pub fn current(store: &mut Store, actor: &Actor) -> Result<CatalogueView> {
    crate::complaints::query::may_view(store, actor)?;
    let all = all_versions(store.conn())?;
    let builtin_version = builtin().version;
    let versions = all
        .iter()
        .rev()
        .map(|d| VersionHeld {
            version: d.version,
            title: d.title.clone(),
            effective: d.effective.clone(),
            builtin: d.version == builtin_version,
        })
        .collect();
    let doc = all.last().cloned().unwrap_or_else(builtin);
    Ok(CatalogueView {
        title: doc.title,
        version: doc.version,
        effective: doc.effective,
        note: doc.note,
        builtin: doc.version == builtin_version,
        categories: doc.categories,
        versions,
    })
}

/// Refuses a category the version in force does not hold, saying whether an earlier version
/// had it (retired or renamed) or no version ever did. Intake and a later change of category
/// both ask this; complaints filed earlier keep what they were given.
pub fn check_categories(conn: &Connection, names: &[String]) -> Result<()> {
    if names.is_empty() {
        return Ok(());
    }
    let all = all_versions(conn)?;
    let Some(active) = all.last() else { return Ok(()) };
    for name in names {
        if active.find(name).is_some() {
            continue;
        }
        if let Some(old) = all.iter().rev().find(|d| d.find(name).is_some()) {
            return Err(CoreError::invalid(format!(
                "问题类别“{name}”已在现行{}（第 {} 版）中停用（第 {} 版中曾有此类别），新登记或修改时请从现行目录中选择。",
                active.title, active.version, old.version
            )));
        }
        return Err(CoreError::invalid(format!(
            "问题类别“{name}”不在现行{}（第 {} 版）中，请从目录中选择；需要增加类别时，请联系省级平台发布新版目录。",
            active.title, active.version
        )));
    }
    Ok(())
}

/// The top-level category a name falls under in `doc` (itself for a top-level one); a name
/// outside the version (an older complaint's) stands for itself.
pub fn top_level<'a>(doc: &'a CatalogueDoc, name: &'a str) -> &'a str {
    match doc.find(name).and_then(|c| c.parent.as_deref()) {
        Some(parent) => doc.categories.iter().find(|c| c.code == parent).map_or(name, |p| p.name.as_str()),
        None => name,
    }
}

/// The names a thematic report on `theme` counts: the category and its key problems in the
/// version in force. A name outside the catalogue stands for itself.
pub fn theme_names(doc: &CatalogueDoc, theme: &str) -> Vec<String> {
    let Some(cat) = doc.find(theme) else { return vec![theme.to_owned()] };
    let mut names = vec![cat.name.clone()];
    names.extend(doc.categories.iter().filter(|c| c.parent.as_deref() == Some(&cat.code)).map(|c| c.name.clone()));
    names
}
