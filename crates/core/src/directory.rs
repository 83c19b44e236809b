//! The province's office directory as this replica holds it: every office and resident group the
//! hub published (`directory.imported`, `office.created`), with its name, short name, level and
//! the office above, so an office offline knows every valid destination and shows names, not codes.
//!
//! The `offices` table is written by the projector alone; this module only reads it. Routing rules
//! (which office may send to which) are for the complaint workflow to build on [`lookup`].

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::identity::OfficeLevel;
use crate::store::Store;

pub use qingfeng_log::office::UnitKind;

/// One office or resident group of the directory, as screens and scripts show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DirectoryOffice {
    pub code: String,
    pub name: String,
    /// 机关代字 for document numbers; `None` for an office the hub has not given one.
    pub short_name: Option<String>,
    pub level: OfficeLevel,
    /// 省级, 州市级 or 县级.
    pub level_label: String,
    pub unit: UnitKind,
    /// 纪委监委 or 派驻纪检监察组.
    pub unit_label: String,
    /// The office above; for a resident group, the office that sends it.
    pub parent_code: Option<String>,
    pub parent_name: Option<String>,
}

const SELECT: &str = "SELECT o.code, o.name, o.short_name, o.level, o.unit, o.parent_code, p.name
                      FROM offices o LEFT JOIN offices p ON p.code = o.parent_code";

fn row(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(String, String, Option<String>, String, String, Option<String>, Option<String>)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
}

fn view(
    (code, name, short_name, level, unit, parent_code, parent_name): (
        String,
        String,
        Option<String>,
        String,
        String,
        Option<String>,
        Option<String>,
    ),
) -> Result<DirectoryOffice> {
    let level = OfficeLevel::parse(&level)?;
    let unit = UnitKind::parse(&unit)?;
    Ok(DirectoryOffice {
        code,
        name,
        short_name,
        level,
        level_label: level.label().to_owned(),
        unit,
        unit_label: unit.label().to_owned(),
        parent_code,
        parent_name,
    })
}

/// Every office and resident group this replica knows, by code (a resident group right after its
/// sending office, since its code starts with the office's).
pub fn list(store: &Store) -> Result<Vec<DirectoryOffice>> {
    list_in(store.conn())
}

pub(crate) fn list_in(conn: &Connection) -> Result<Vec<DirectoryOffice>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY o.code"))?;
    let rows = stmt.query_map([], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(view).collect()
}

/// One office by its code, if the directory holds it.
pub fn lookup(store: &Store, code: &str) -> Result<Option<DirectoryOffice>> {
    lookup_in(store.conn(), code)
}

pub(crate) fn lookup_in(conn: &Connection, code: &str) -> Result<Option<DirectoryOffice>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE o.code = ?1"))?;
    stmt.query_row([code], row).optional()?.map(view).transpose()
}

/// The offices and resident groups directly under `code`, by code.
pub fn children(store: &Store, code: &str) -> Result<Vec<DirectoryOffice>> {
    let mut stmt = store.conn().prepare_cached(&format!("{SELECT} WHERE o.parent_code = ?1 ORDER BY o.code"))?;
    let rows = stmt.query_map([code], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(view).collect()
}

/// An office's name as people read it, or its code when the directory does not hold it yet (a
/// code is better than nothing while the directory travels).
pub fn display_name(conn: &Connection, code: &str) -> Result<String> {
    let name: Option<String> =
        conn.prepare_cached("SELECT name FROM offices WHERE code = ?1")?.query_row([code], |r| r.get(0)).optional()?;
    Ok(name.unwrap_or_else(|| code.to_owned()))
}

/// Every officer this replica can name: its own accounts, and the officers other offices named
/// (`officer.named`), by account id. Screens show these names wherever a step's actor appears.
pub fn officer_names(conn: &Connection) -> Result<std::collections::HashMap<String, String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT user_id, display_name FROM officers
         UNION ALL SELECT id, display_name FROM users",
    )?;
    // Own accounts come last, so they win over a name another office sent for the same id.
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
