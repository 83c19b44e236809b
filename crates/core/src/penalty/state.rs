//! Reads one checklist's workflow state (`workflow::Checklist`) from its projection: the one read
//! that commands (`ops`) and the projector (`project`) both make before asking the workflow.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row};

use super::model::*;
use super::rules;
use super::workflow::{Checklist, Item, Owner};
use crate::deadlines::{DeadlineKind, Rule};
use crate::error::{CoreError, Result};

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
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

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        let owner: Option<String> = r.get("owner_office")?;
        Ok(ChecklistRow {
            aggregate: r.get("aggregate")?,
            scope: r.get("scope")?,
            start_date: r.get("start_date")?,
            sequential: r.get("sequential")?,
            owner: match owner {
                Some(code) => Some(Owner { code, name: r.get("owner_name")? }),
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

    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(ItemRow {
            ord: r.get("ord")?,
            title: r.get("title")?,
            status: r.get("status")?,
            submitted_by: r.get("submitted_by")?,
            payment: r.get("payment")?,
            amount_due: r.get("amount_due")?,
            amount_paid: r.get("amount_paid")?,
            extendable_to: r.get("extendable_to")?,
            deadline_kind: r.get("deadline_kind")?,
            deadline_rule: r.get("deadline_rule")?,
            deadline_start: r.get("deadline_start")?,
            deadline_id: r.get("deadline_id")?,
            max_score: r.get("max_score")?,
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

/// The columns of `checklist_items i` and `checklists c` that `one_item` reads, for a query that
/// lists items across checklists (the review queue) and asks the workflow about each.
pub const ONE_ITEM_COLUMNS: &str = "c.id AS checklist_id, c.aggregate, c.scope, c.start_date, c.sequential,
    i.ord, i.title, i.status, i.submitted_by, i.payment, i.amount_due, i.amount_paid, i.extendable_to,
    i.deadline_kind, i.deadline_rule, i.deadline_start, i.deadline_id, i.max_score";

/// A checklist's state holding only the item of this row (selected with `ONE_ITEM_COLUMNS`), owned
/// here: enough for the workflow's check of a step on that item, without reading the others.
pub fn one_item(r: &Row<'_>) -> Result<Checklist> {
    let row = ChecklistRow {
        aggregate: r.get("aggregate")?,
        scope: r.get("scope")?,
        start_date: r.get("start_date")?,
        sequential: r.get("sequential")?,
        owner: None,
    };
    Ok(Checklist {
        id: r.get("checklist_id")?,
        aggregate: row.aggregate,
        scope: ChecklistScope::parse(&row.scope)?,
        start_date: date(&row.start_date)?,
        sequential: row.sequential,
        owner: None,
        items: vec![ItemRow::from_row(r)?.into_item()?],
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
        .query_map([id], ItemRow::from_row)?
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
