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

/// One row of `SELECT` as read, before its level and kind are checked.
struct Row {
    code: String,
    name: String,
    short_name: Option<String>,
    level: String,
    unit: String,
    parent_code: Option<String>,
    parent_name: Option<String>,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        code: r.get(0)?,
        name: r.get(1)?,
        short_name: r.get(2)?,
        level: r.get(3)?,
        unit: r.get(4)?,
        parent_code: r.get(5)?,
        parent_name: r.get(6)?,
    })
}

fn view(r: Row) -> Result<DirectoryOffice> {
    let level = OfficeLevel::parse(&r.level)?;
    let unit = UnitKind::parse(&r.unit)?;
    Ok(DirectoryOffice {
        code: r.code,
        name: r.name,
        short_name: r.short_name,
        level,
        level_label: level.label().to_owned(),
        unit,
        unit_label: unit.label().to_owned(),
        parent_code: r.parent_code,
        parent_name: r.parent_name,
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

/// The kind of hand-over named as the offer reasons and the CLI name it (`report_upward`,
/// `transfer_downward`, `assign`, `supervise`, `lateral`), or by its Chinese name.
pub fn parse_handover(text: &str) -> Result<Handover> {
    let text = text.trim();
    Handover::from_offer_reason(text)
        .or_else(|| ALL_HANDOVERS.into_iter().find(|h| h.label() == text))
        .ok_or_else(|| {
            crate::error::CoreError::invalid(format!(
                "不认识的移交方式“{text}”：可选 report_upward（向上报送）、transfer_downward（向下转送）、assign（交办）、supervise（督办）、lateral（平级移交）。"
            ))
        })
}

pub use qingfeng_log::route::Handover;

const ALL_HANDOVERS: [Handover; 5] =
    [Handover::ReportUpward, Handover::TransferDownward, Handover::Assign, Handover::Supervise, Handover::Lateral];

/// Every office this office (`from`) may hand a complaint to by `kind`: the route rule
/// (`qingfeng_log::route::allowed`) asked of each office of the directory, never a second copy of
/// it. Ordered by level from the top, then by code, so a picker can group them by level. Empty
/// when this replica holds no directory yet.
pub fn destinations(store: &Store, kind: Handover) -> Result<Vec<DirectoryOffice>> {
    destinations_in(store.conn(), store.office_code().unwrap_or_default(), kind)
}

pub(crate) fn destinations_in(conn: &Connection, from: &str, kind: Handover) -> Result<Vec<DirectoryOffice>> {
    let offices = list_in(conn)?;
    let entries: Vec<qingfeng_log::route::RouteOffice> = offices.iter().map(route_office).collect();
    let allowed: std::collections::HashSet<String> =
        qingfeng_log::route::allowed(kind, from, &entries).into_iter().map(|o| o.code).collect();
    let mut out: Vec<DirectoryOffice> = offices.into_iter().filter(|o| allowed.contains(&o.code)).collect();
    out.sort_by(|a, b| level_rank(a.level).cmp(&level_rank(b.level)).then_with(|| a.code.cmp(&b.code)));
    Ok(out)
}

fn level_rank(level: OfficeLevel) -> u8 {
    match level {
        OfficeLevel::Province => 0,
        OfficeLevel::Prefecture => 1,
        OfficeLevel::County => 2,
    }
}

/// The directory entry as the route rule reads it.
pub(crate) fn route_office(o: &DirectoryOffice) -> qingfeng_log::route::RouteOffice {
    qingfeng_log::route::RouteOffice {
        code: o.code.clone(),
        name: o.name.clone(),
        level: o.level,
        unit: o.unit,
        parent: o.parent_code.clone(),
    }
}

/// The office an officer named, by code, name or short name, for a hand-over of `kind` from this
/// office: its code when the route rule allows it. A name or code it does not allow is refused
/// with the rule's reason and the offices that are allowed, by name, so the officer can pick one.
/// With no directory on this replica the text is returned as entered, for the workflow to judge
/// (an office working on paper).
pub fn resolve_destination(store: &Store, kind: Handover, text: &str) -> Result<String> {
    let conn = store.conn();
    let from = store.office_code().unwrap_or_default();
    let text = text.trim();
    let allowed = destinations_in(conn, from, kind)?;
    let all = list_in(conn)?;
    if all.iter().all(|o| o.code == from) {
        return Ok(text.to_owned());
    }
    let named = |o: &&DirectoryOffice| o.code == text || o.name == text || o.short_name.as_deref() == Some(text);
    if let Some(o) = allowed.iter().find(named) {
        return Ok(o.code.clone());
    }
    let choices = if allowed.is_empty() {
        format!("本机关现在没有可以{}的机关。", kind.label())
    } else {
        let names: Vec<String> = allowed.iter().map(|o| format!("{}（{}）", o.name, o.code)).collect();
        format!("可以{}的机关：{}。", kind.label(), names.join("、"))
    };
    // A known office the rule refuses gets the rule's own reason; an unknown name, the list.
    let reason = match all.iter().find(named) {
        Some(o) => {
            let entries: Vec<qingfeng_log::route::RouteOffice> = all.iter().map(route_office).collect();
            let lookup = |c: &str| entries.iter().find(|e| e.code == c).cloned();
            match qingfeng_log::route::check(kind, from, &o.code, &lookup) {
                Err(e) => e.to_string(),
                Ok(_) => String::new(),
            }
        }
        None => format!("机关名录中没有名称或代码为“{text}”的机关。"),
    };
    Err(crate::error::CoreError::invalid(format!("{reason}{choices}")))
}
