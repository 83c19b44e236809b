//! Reads one checklist's workflow state (`workflow::Checklist`) from its projection: the one read
//! that commands (`ops`) and the projector (`project`) both make before asking the workflow.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};

use super::model::*;
use super::rules;
use super::workflow::{Checklist, Item, Owner, ReformCase};
use crate::deadlines::{DeadlineKind, Rule};
use crate::error::{CoreError, Result};

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

/// Finds a decision by id or decision number.
pub fn resolve_penalty(conn: &Connection, id: &str) -> Result<String> {
    let id = id.trim();
    let mut stmt = conn.prepare_cached("SELECT id FROM penalties WHERE id = ?1 OR decision_number = ?1 LIMIT 2")?;
    let found: Vec<String> = stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
    match found.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(CoreError::NotFound { what: "处分决定", id: id.to_owned() }),
        _ => Err(CoreError::invalid(format!("文号 {id} 对应多名受处分人，请改用处分决定的编号（id）。"))),
    }
}

/// The decision a reform-by-case list follows, by its id or document number, with the list already
/// entered for it if there is one.
pub fn reform_case(conn: &Connection, id_or_number: &str) -> Result<ReformCase> {
    let id = resolve_penalty(conn, id_or_number)?;
    let (decision_number, decision_date, person_name, person_unit): (String, String, String, String) = conn
        .prepare_cached("SELECT decision_number, decision_date, person_name, person_unit FROM penalties WHERE id = ?1")?
        .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let existing_list = conn
        .prepare_cached("SELECT title FROM checklists WHERE penalty_id = ?1 AND scope = 'rectification' LIMIT 1")?
        .query_row([&id], |r| r.get(0))
        .optional()?;
    Ok(ReformCase {
        penalty_id: id,
        decision_number,
        decision_date: date(&decision_date)?,
        person_name,
        person_unit,
        existing_list,
    })
}

/// A `checklists` row as the workflow needs it.
struct ChecklistRow {
    aggregate: String,
    scope: String,
    start_date: String,
    sequential: bool,
    owner: Option<Owner>,
}

impl ChecklistRow {
    const SELECT: &str = "SELECT c.aggregate, c.scope, c.start_date, c.sequential, o.owner_office,
            coalesce(f.name, '') AS owner_name
        FROM checklists c LEFT JOIN ownership o ON o.aggregate = c.aggregate
        LEFT JOIN offices f ON f.code = o.owner_office
        WHERE c.id = ?1";

    /// Reads the columns in `SELECT`'s order (positions, not names: the projector reads a state
    /// for every event it applies, and looking a name up passes over every column).
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        let owner: Option<String> = r.get(4)?;
        Ok(ChecklistRow {
            aggregate: r.get(0)?,
            scope: r.get(1)?,
            start_date: r.get(2)?,
            sequential: r.get(3)?,
            owner: match owner {
                Some(code) => Some(Owner { code, name: r.get(5)? }),
                None => None,
            },
        })
    }
}

/// A `checklist_items` row as the workflow needs it.
struct ItemRow {
    ord: u32,
    title: String,
    status: String,
    submitted_by: Option<String>,
    payment: bool,
    amount_due: Option<String>,
    amount_paid: String,
    extendable_to: Option<u32>,
    deadline_kind: String,
    deadline_rule: String,
    deadline_start: String,
    deadline_id: Option<String>,
    max_score: Option<String>,
}

impl ItemRow {
    const SELECT: &str = "SELECT ord, title, status, submitted_by, payment, amount_due, amount_paid, extendable_to,
            deadline_kind, deadline_rule, deadline_start, deadline_id, max_score
        FROM checklist_items WHERE checklist_id = ?1 ORDER BY ord";

    /// Reads the columns in `SELECT`'s order, from position `at` on.
    fn from_row_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Self> {
        Ok(ItemRow {
            ord: r.get(at)?,
            title: r.get(at + 1)?,
            status: r.get(at + 2)?,
            submitted_by: r.get(at + 3)?,
            payment: r.get(at + 4)?,
            amount_due: r.get(at + 5)?,
            amount_paid: r.get(at + 6)?,
            extendable_to: r.get(at + 7)?,
            deadline_kind: r.get(at + 8)?,
            deadline_rule: r.get(at + 9)?,
            deadline_start: r.get(at + 10)?,
            deadline_id: r.get(at + 11)?,
            max_score: r.get(at + 12)?,
        })
    }

    fn into_item(self) -> Result<Item> {
        Ok(Item {
            ord: self.ord,
            title: self.title,
            status: ItemStatus::parse(&self.status)?,
            submitted_by: self.submitted_by,
            payment: self.payment,
            amount_due: self.amount_due.as_deref().map(rules::stored_amount).transpose()?,
            amount_paid: rules::stored_amount(&self.amount_paid)?,
            extendable_to: self.extendable_to,
            deadline_kind: DeadlineKind::parse(&self.deadline_kind)?,
            rule: Rule::parse(&self.deadline_rule)?,
            deadline_start: date(&self.deadline_start)?,
            deadline_id: self.deadline_id,
            max_score: self.max_score.as_deref().map(rules::stored_amount).transpose()?,
        })
    }
}

/// The columns of `checklists c` and `checklist_items i` that `one_item` reads, in its order: a
/// query that lists items across checklists (the review queue) selects them first.
pub const ONE_ITEM_COLUMNS: &str = "c.id, c.aggregate, c.scope, c.start_date, c.sequential,
    i.ord, i.title, i.status, i.submitted_by, i.payment, i.amount_due, i.amount_paid, i.extendable_to,
    i.deadline_kind, i.deadline_rule, i.deadline_start, i.deadline_id, i.max_score";

/// How many columns `ONE_ITEM_COLUMNS` names: the query's own columns follow.
pub const ONE_ITEM_WIDTH: usize = 18;

/// A checklist's state holding only this row's item (the row begins with `ONE_ITEM_COLUMNS`), owned
/// here: enough for the workflow's check of a step on that item without reading the others.
pub fn one_item(r: &Row<'_>) -> Result<Checklist> {
    Ok(Checklist {
        id: r.get(0)?,
        aggregate: r.get(1)?,
        scope: ChecklistScope::parse(&r.get::<_, String>(2)?)?,
        start_date: date(&r.get::<_, String>(3)?)?,
        sequential: r.get(4)?,
        owner: None,
        items: vec![ItemRow::from_row_at(r, 5)?.into_item()?],
    })
}

/// Checklist `id` with its items and current owner, or `None` when this replica has no such
/// checklist.
pub fn load(conn: &Connection, id: &str) -> Result<Option<Checklist>> {
    let Some(row) = conn.prepare_cached(ChecklistRow::SELECT)?.query_row([id], ChecklistRow::from_row).optional()?
    else {
        return Ok(None);
    };
    let items = conn
        .prepare_cached(ItemRow::SELECT)?
        .query_map([id], |r| ItemRow::from_row_at(r, 0))?
        .map(|r| r.map_err(CoreError::from).and_then(ItemRow::into_item))
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Checklist {
        id: id.to_owned(),
        aggregate: row.aggregate,
        scope: ChecklistScope::parse(&row.scope)?,
        start_date: date(&row.start_date)?,
        sequential: row.sequential,
        owner: row.owner,
        items,
    }))
}

/// Checklist `id`, or the refusal naming what was not found.
pub fn existing(conn: &Connection, id: &str) -> Result<Checklist> {
    load(conn, id)?.ok_or_else(|| CoreError::NotFound { what: "处分决定或整改清单", id: id.to_owned() })
}
