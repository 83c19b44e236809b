//! What screens and scripts read about penalties and checklists: a decision's page with its
//! items and lights, a rectification list, the office's execution board, the reviewer's queue,
//! statistics, a person's page, and the influence-period guard's flags.
//!
//! Lights depend on today, so they are computed here, never stored, by `rules::item_light`:
//! green, yellow within 5 calendar days of the deadline or after 10 days without action, red when
//! overdue (DOMAIN.md §3).

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::model::*;
use super::rules;
use super::state;
use super::workflow::{self, ItemStep};
use crate::authz::{Action, Actor, PenaltyAct, authorize};
use crate::deadlines::{DeadlineKind, Light};
use crate::error::{CoreError, Result};
use crate::store::Store;

/// Days without any action after which an open item turns yellow (the rule is in `rules`).
pub use super::rules::IDLE_DAYS;

fn may_view(store: &Store, actor: &Actor) -> Result<String> {
    let office = store.office()?;
    authorize(actor, &Action::Penalty { office: office.clone(), act: PenaltyAct::View })?;
    Ok(office)
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| CoreError::Encoding(e.to_string()))
}

fn user_names(conn: &Connection) -> Result<HashMap<String, String>> {
    // Officers of other offices are named by their offices' `officer.named` events.
    crate::directory::officer_names(conn)
}

/// A submission and how its review went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SubmissionView {
    pub date: String,
    pub note: String,
    pub measures: Option<String>,
    pub result: Option<String>,
    pub evidence: Vec<Evidence>,
    pub submitted_by: String,
    pub submitted_at: String,
    /// `pending`, `approved` or `rejected`.
    pub outcome: String,
    pub reviewed_by: Option<String>,
    pub review_date: Option<String>,
    pub review_note: Option<String>,
}

/// A payment toward an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PaymentView {
    pub date: String,
    pub amount: String,
    pub note: String,
    pub recorded_by: String,
}

/// A guidance opinion (指导意见) on an item, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GuidanceView {
    pub date: String,
    pub text: String,
    pub given_by: String,
}

/// The penalty decision a reform-by-case list follows, as the list's page names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReformOf {
    pub penalty_id: String,
    pub decision_number: String,
    pub person_name: String,
    pub person_unit: String,
}

/// A reform-by-case list as its decision's page names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReformList {
    pub id: String,
    pub title: String,
    /// `open` or `done`.
    pub status: String,
    pub items_done: u32,
    pub items_total: u32,
    pub guidance: u32,
}

/// One item of a checklist as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemView {
    pub ord: u32,
    /// What the item is (the template's code): `serve`, `announce`, …, `restore`.
    pub kind: String,
    pub title: String,
    pub status: ItemStatus,
    pub status_label: String,
    /// `None` while the item waits for the one before it.
    pub light: Option<Light>,
    /// Yellow because nothing was done for 10 days, not because the date is near.
    pub idle: bool,
    /// The due date (YYYY-MM-DD), once the item is open.
    pub due: Option<String>,
    /// The same as `due`, under the name the deadlines use.
    pub due_date: Option<String>,
    pub provisional: bool,
    pub deadline_kind: DeadlineKind,
    pub deadline_label: String,
    pub responsible_unit: String,
    pub measures: String,
    pub result: Option<String>,
    pub payment: bool,
    pub amount_due: Option<String>,
    pub amount_paid: Option<String>,
    pub amount_remaining: Option<String>,
    pub max_score: Option<String>,
    pub score: Option<String>,
    pub letters: Vec<String>,
    pub extendable_to: Option<u32>,
    pub rejections: u32,
    /// The reviewer's last note (the rectification note after a rejection).
    pub review_note: Option<String>,
    pub last_action_date: Option<String>,
    pub submissions: Vec<SubmissionView>,
    pub payments: Vec<PaymentView>,
    /// 案件审理室's guidance opinions on the item, oldest first.
    pub guidance: Vec<GuidanceView>,
    /// What the viewer may do to this item now (`workflow::allowed`): the page shows one control
    /// for each and no other.
    pub steps: Vec<ItemStep>,
    /// When the item can move on but not by the viewer's hand: who acts next, or why the viewer
    /// may not (`workflow::waiting`).
    pub waiting: Option<String>,
    /// When the viewer may submit the item but the workflow would still refuse it: why (money
    /// still unpaid), shown beside the form.
    pub blocked: Option<String>,
}

/// The union of a decision's influence periods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PeriodSpan {
    pub start: String,
    /// `None` when permanent.
    pub end: Option<String>,
    pub permanent: bool,
}

/// A penalty decision's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PenaltyDetail {
    pub id: String,
    pub form: RegisterPenalty,
    pub decision_number: String,
    pub penalty_label: String,
    /// `executing` or `executed`.
    pub status: String,
    pub amount_due: Option<String>,
    pub template_id: Option<String>,
    pub template_version: Option<u32>,
    pub influence_period: Option<PeriodSpan>,
    pub periods: Vec<InfluencePeriod>,
    /// The six-month execution report's due date and light.
    pub report_due: Option<String>,
    pub report_light: Option<Light>,
    /// The first item not yet approved.
    pub current_ord: Option<u32>,
    pub items: Vec<ItemView>,
    /// Benefits recorded against the person inside a barring influence period.
    pub flags: Vec<BenefitFlag>,
    /// The reform-by-case list (以案促改) entered for the decision, if any.
    pub reform: Option<ReformList>,
    /// Whether the viewer may start the reform-by-case list now (none yet, and the post to enter one).
    pub may_start_reform: bool,
}

/// A rectification list's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChecklistDetail {
    pub id: String,
    pub title: String,
    pub source: String,
    pub start_date: String,
    /// `open` or `done`.
    pub status: String,
    pub sequential: bool,
    pub template_id: Option<String>,
    pub template_version: Option<u32>,
    pub items: Vec<ItemView>,
    /// The sum of scores given and of the maximum scores, for a scored list.
    pub total_score: Option<String>,
    pub max_score: Option<String>,
    /// For reform by case (以案促改): the penalty decision the list follows.
    pub reform_of: Option<ReformOf>,
}

/// The id of a decision given its id or decision number.
pub fn find(store: &Store, actor: &Actor, id_or_number: &str) -> Result<String> {
    may_view(store, actor)?;
    super::state::resolve_penalty(store.conn(), id_or_number)
}

fn items_of(store: &Store, actor: &Actor, office: &str, checklist_id: &str) -> Result<Vec<ItemView>> {
    let conn = store.conn();
    let today = store.clock().today();
    // The steps each item offers come from the workflow, asked about this viewer.
    let flow = state::existing(conn, checklist_id)?;
    let allowed = workflow::allowed(&flow, office, actor);
    let steps_of = |ord: u32| -> Vec<ItemStep> { allowed.iter().filter(|a| a.0 == ord).map(|a| a.1).collect() };
    let names = user_names(conn)?;
    let name_of = |uid: &str| names.get(uid).cloned().unwrap_or_else(|| uid.to_owned());
    let mut submissions: HashMap<u32, Vec<SubmissionView>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT ord, date, note, measures, result, evidence_json, submitted_by, submitted_at, outcome, reviewed_by,
                review_date, review_note
             FROM checklist_submissions WHERE checklist_id = ?1 ORDER BY submitted_at, event_id",
        )?;
        let mut rows = stmt.query([checklist_id])?;
        while let Some(r) = rows.next()? {
            let evidence: String = r.get(5)?;
            submissions.entry(r.get(0)?).or_default().push(SubmissionView {
                date: r.get(1)?,
                note: r.get(2)?,
                measures: r.get(3)?,
                result: r.get(4)?,
                evidence: from_json(&evidence)?,
                submitted_by: name_of(&r.get::<_, String>(6)?),
                submitted_at: r.get(7)?,
                outcome: r.get(8)?,
                reviewed_by: r.get::<_, Option<String>>(9)?.map(|u| name_of(&u)),
                review_date: r.get(10)?,
                review_note: r.get(11)?,
            });
        }
    }
    let mut guidance: HashMap<u32, Vec<GuidanceView>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT ord, date, text, given_by FROM checklist_guidance WHERE checklist_id = ?1 ORDER BY date, event_id",
        )?;
        let mut rows = stmt.query([checklist_id])?;
        while let Some(r) = rows.next()? {
            guidance.entry(r.get(0)?).or_default().push(GuidanceView {
                date: r.get(1)?,
                text: r.get(2)?,
                given_by: name_of(&r.get::<_, String>(3)?),
            });
        }
    }
    let mut payments: HashMap<u32, Vec<PaymentView>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT ord, date, amount, note, recorded_by FROM checklist_payments WHERE checklist_id = ?1
             ORDER BY date, event_id",
        )?;
        let mut rows = stmt.query([checklist_id])?;
        while let Some(r) = rows.next()? {
            payments.entry(r.get(0)?).or_default().push(PaymentView {
                date: r.get(1)?,
                amount: r.get(2)?,
                note: r.get(3)?,
                recorded_by: name_of(&r.get::<_, String>(4)?),
            });
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT i.ord, i.code, i.title, i.status, i.deadline_kind, d.due_date, d.provisional, i.responsible_unit,
            i.measures, i.result, i.payment, i.amount_due, i.amount_paid, i.max_score, i.score, i.letters_json,
            i.extendable_to, i.rejections, i.review_note, i.last_action_date
         FROM checklist_items i LEFT JOIN deadlines d ON d.id = i.deadline_id
         WHERE i.checklist_id = ?1 ORDER BY i.ord",
    )?;
    let mut rows = stmt.query([checklist_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let ord: u32 = r.get(0)?;
        let steps = steps_of(ord);
        let status = ItemStatus::parse(&r.get::<_, String>(3)?)?;
        let deadline_kind = DeadlineKind::parse(&r.get::<_, String>(4)?)?;
        let due: Option<String> = r.get(5)?;
        let last_action: Option<String> = r.get(19)?;
        let due_date = due.as_deref().map(parse_date).transpose()?;
        let last = last_action.as_deref().map(parse_date).transpose()?;
        let payment: bool = r.get(10)?;
        let amount_due: Option<String> = r.get(11)?;
        let amount_paid: String = r.get(12)?;
        let amount_remaining = match (&amount_due, payment) {
            (Some(d), true) => Some(rules::fen(rules::stored_amount(d)? - rules::stored_amount(&amount_paid)?)),
            _ => None,
        };
        out.push(ItemView {
            ord,
            kind: r.get(1)?,
            title: r.get(2)?,
            status,
            status_label: status.label().to_owned(),
            light: rules::item_light(status, due_date, last, today),
            idle: rules::item_idle(status, due_date, last, today),
            due_date: due.clone(),
            due,
            provisional: r.get::<_, Option<bool>>(6)?.unwrap_or(false),
            deadline_kind,
            deadline_label: deadline_kind.label().to_owned(),
            responsible_unit: r.get(7)?,
            measures: r.get(8)?,
            result: r.get(9)?,
            payment,
            amount_paid: (payment && amount_due.is_some()).then_some(amount_paid),
            amount_due,
            amount_remaining,
            max_score: r.get(13)?,
            score: r.get(14)?,
            letters: from_json(&r.get::<_, String>(15)?)?,
            extendable_to: r.get(16)?,
            rejections: r.get(17)?,
            review_note: r.get(18)?,
            last_action_date: last_action,
            submissions: submissions.remove(&ord).unwrap_or_default(),
            payments: payments.remove(&ord).unwrap_or_default(),
            guidance: guidance.remove(&ord).unwrap_or_default(),
            waiting: workflow::waiting(&flow, office, actor, ord),
            blocked: match flow.item(ord) {
                Ok(item) if steps.contains(&ItemStep::Submit) => item.unpaid(),
                _ => None,
            },
            steps,
        });
    }
    Ok(out)
}

/// A decision's row with its checklist's, as its page reads them.
struct PenaltyRow {
    decision_number: String,
    penalty_label: String,
    form_json: String,
    amount_due: Option<String>,
    influence_start: Option<String>,
    influence_end: Option<String>,
    permanent: bool,
    periods_json: String,
    status: String,
    template_id: Option<String>,
    template_version: Option<u32>,
    current_ord: Option<u32>,
}

impl PenaltyRow {
    const SELECT: &str = "SELECT p.decision_number, p.penalty_label, p.form_json, p.amount_due, p.influence_start,
            p.influence_end, p.permanent, p.periods_json, c.status, c.template_id, c.template_version, c.current_ord
        FROM penalties p JOIN checklists c ON c.id = p.id WHERE p.id = ?1";

    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(PenaltyRow {
            decision_number: r.get("decision_number")?,
            penalty_label: r.get("penalty_label")?,
            form_json: r.get("form_json")?,
            amount_due: r.get("amount_due")?,
            influence_start: r.get("influence_start")?,
            influence_end: r.get("influence_end")?,
            permanent: r.get("permanent")?,
            periods_json: r.get("periods_json")?,
            status: r.get("status")?,
            template_id: r.get("template_id")?,
            template_version: r.get("template_version")?,
            current_ord: r.get("current_ord")?,
        })
    }
}

/// A penalty decision's page: the decision, its influence periods, its items with their lights.
pub fn show(store: &Store, actor: &Actor, id_or_number: &str) -> Result<PenaltyDetail> {
    let office = may_view(store, actor)?;
    let conn = store.conn();
    let id = super::state::resolve_penalty(conn, id_or_number)?;
    let row = conn.prepare_cached(PenaltyRow::SELECT)?.query_row([&id], PenaltyRow::from_row)?;
    let PenaltyRow {
        decision_number: number,
        penalty_label: label,
        form_json,
        amount_due,
        influence_start: start,
        influence_end: end,
        permanent,
        periods_json,
        status,
        template_id: tid,
        template_version: tver,
        current_ord: current,
    } = row;
    let form: RegisterPenalty = from_json(&form_json)?;
    let report: Option<(String, String)> = conn
        .prepare_cached("SELECT due_date, status FROM deadlines WHERE id = ?1")?
        .query_row([super::workflow::report_deadline_id(&id)], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let today = store.clock().today();
    let report_light = match &report {
        Some((due, status)) => Some(rules::deadline_light(status, parse_date(due)?, today)),
        None => None,
    };
    let flags = flags_where(store, Some((&form.person.name, &form.person.unit)))?;
    let reform = conn
        .prepare_cached(
            "SELECT c.id, c.title, c.status, c.items_done, c.items_total,
                (SELECT count(*) FROM checklist_guidance g WHERE g.checklist_id = c.id)
             FROM checklists c WHERE c.penalty_id = ?1 AND c.scope = 'rectification' ORDER BY c.created_at LIMIT 1",
        )?
        .query_row([&id], |r| {
            Ok(ReformList {
                id: r.get(0)?,
                title: r.get(1)?,
                status: r.get(2)?,
                items_done: r.get(3)?,
                items_total: r.get(4)?,
                guidance: r.get(5)?,
            })
        })
        .optional()?;
    let may_start_reform = reform.is_none() && workflow::may_register(&office, actor, ChecklistScope::Rectification);
    Ok(PenaltyDetail {
        id: id.clone(),
        decision_number: number,
        penalty_label: label,
        status: if status == "done" { "executed".into() } else { "executing".into() },
        amount_due,
        template_id: tid,
        template_version: tver,
        influence_period: start.map(|start| PeriodSpan { start, end, permanent }),
        periods: from_json(&periods_json)?,
        report_due: report.map(|r| r.0),
        report_light,
        current_ord: current,
        items: items_of(store, actor, &office, &id)?,
        flags,
        form,
        reform,
        may_start_reform,
    })
}

/// A rectification list's row, as its page reads it.
struct RectificationRow {
    title: String,
    source: String,
    start_date: String,
    status: String,
    sequential: bool,
    template_id: Option<String>,
    template_version: Option<u32>,
}

impl RectificationRow {
    const SELECT: &str = "SELECT title, source, start_date, status, sequential, template_id, template_version
        FROM checklists WHERE id = ?1 AND scope = 'rectification'";

    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(RectificationRow {
            title: r.get("title")?,
            source: r.get("source")?,
            start_date: r.get("start_date")?,
            status: r.get("status")?,
            sequential: r.get("sequential")?,
            template_id: r.get("template_id")?,
            template_version: r.get("template_version")?,
        })
    }
}

/// A rectification list's page.
pub fn show_checklist(store: &Store, actor: &Actor, id: &str) -> Result<ChecklistDetail> {
    let office = may_view(store, actor)?;
    let conn = store.conn();
    let row =
        conn.prepare_cached(RectificationRow::SELECT)?.query_row([id.trim()], RectificationRow::from_row).optional()?;
    let RectificationRow { title, source, start_date, status, sequential, template_id, template_version } =
        row.ok_or_else(|| CoreError::NotFound { what: "整改清单", id: id.trim().to_owned() })?;
    let items = items_of(store, actor, &office, id.trim())?;
    let reform_of = conn
        .prepare_cached(
            "SELECT p.id, p.decision_number, p.person_name, p.person_unit
             FROM checklists c JOIN penalties p ON p.id = c.penalty_id WHERE c.id = ?1",
        )?
        .query_row([id.trim()], |r| {
            Ok(ReformOf {
                penalty_id: r.get(0)?,
                decision_number: r.get(1)?,
                person_name: r.get(2)?,
                person_unit: r.get(3)?,
            })
        })
        .optional()?;
    let scored: Vec<&ItemView> = items.iter().filter(|i| i.max_score.is_some()).collect();
    let (total_score, max_score) = if scored.is_empty() {
        (None, None)
    } else {
        let mut total = rust_decimal::Decimal::ZERO;
        let mut max = rust_decimal::Decimal::ZERO;
        for i in &scored {
            if let Some(s) = &i.score {
                total += rules::stored_amount(s)?;
            }
            if let Some(m) = &i.max_score {
                max += rules::stored_amount(m)?;
            }
        }
        (Some(rules::fen(total)), Some(rules::fen(max)))
    };
    Ok(ChecklistDetail {
        id: id.trim().to_owned(),
        title,
        source,
        start_date,
        status,
        sequential,
        template_id,
        template_version,
        items,
        total_score,
        max_score,
        reform_of,
    })
}

/// An evidence file of a checklist with its bytes, re-hashed so altered content is refused.
pub fn open_evidence(store: &Store, actor: &Actor, checklist_id: &str, sha256: &str) -> Result<(Evidence, Vec<u8>)> {
    may_view(store, actor)?;
    let conn = store.conn();
    let mut stmt = conn.prepare_cached("SELECT evidence_json FROM checklist_submissions WHERE checklist_id = ?1")?;
    let lists: Vec<String> = stmt.query_map([checklist_id.trim()], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let mut found = None;
    for list in lists {
        let evidence: Vec<Evidence> = from_json(&list)?;
        if let Some(e) = evidence.into_iter().find(|e| e.sha256 == sha256.trim()) {
            found = Some(e);
            break;
        }
    }
    let evidence = found.ok_or_else(|| CoreError::NotFound { what: "证明材料", id: sha256.trim().to_owned() })?;
    let bytes = crate::blobs::get(conn, &evidence.sha256, || {
        format!("证明材料“{}”的内容与登记时不一致，可能已被改动。请联系技术支持核查。", evidence.name)
    })?
    .ok_or_else(|| {
        CoreError::invalid(format!(
            "证明材料“{}”传输中：记录已同步到本机，文件内容还在路上。联网同步后即可打开。",
            evidence.name
        ))
    })?;
    Ok((evidence, bytes))
}

/// Filters for the execution board.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BoardFilter {
    /// `penalty` (default) or `rectification`.
    pub scope: Option<ChecklistScope>,
    /// `open` (being executed) or `done`.
    pub status: Option<String>,
    /// Only rows whose current item has this light.
    pub light: Option<Light>,
    /// Only checklists with an item for this responsible unit (part of its name).
    pub unit: Option<String>,
    /// Part of the person's name, the decision number or the list's title.
    pub text: Option<String>,
    pub limit: Option<u32>,
}

/// The current item of a board row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CurrentItem {
    pub ord: u32,
    pub kind: String,
    pub title: String,
    pub status: ItemStatus,
    pub responsible_unit: String,
    pub due: Option<String>,
    pub light: Option<Light>,
    /// Yellow because nothing was done for 10 days, not because the date is near.
    pub idle: bool,
}

/// One row of the execution board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BoardRow {
    pub id: String,
    pub scope: ChecklistScope,
    pub title: String,
    pub decision_number: Option<String>,
    pub person_name: Option<String>,
    pub person_unit: Option<String>,
    pub penalty_label: Option<String>,
    pub start_date: String,
    /// `open` or `done`.
    pub status: String,
    pub current: Option<CurrentItem>,
    pub light: Option<Light>,
    pub items_done: u32,
    pub items_total: u32,
}

/// Counts of current items by light.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LightCounts {
    pub green: u32,
    pub yellow: u32,
    pub red: u32,
}

/// The office's execution board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Board {
    pub rows: Vec<BoardRow>,
    pub counts: LightCounts,
    /// Whether the viewer may enter a new decision (or list, for that board): the workflow's
    /// registration step, asked about this viewer.
    pub may_register: bool,
}

/// The current item's light in SQL, with the same rule as `rules::item_light`: `?3` today, `?4`
/// the last due date counted yellow (`rules::yellow_until`, 5 calendar days ahead), `?5` the last
/// action date that makes an item idle (`rules::idle_since`, 10 days ago). It reads only the checklist's own row (`current_due`, `current_last_action`,
/// kept by triggers, migration 0007), so the counts come from one index.
const LIGHT_SQL: &str = "CASE WHEN c.current_ord IS NULL THEN 'done'
        WHEN c.current_due IS NULL THEN NULL
        WHEN c.current_due < ?3 THEN 'red'
        WHEN c.current_due <= ?4 OR c.current_last_action <= ?5 THEN 'yellow'
        ELSE 'green' END";

/// Every decision (or rectification list) of the office with its current item and light,
/// newest first, with counts of current items by light over all that match the filters.
pub fn board(store: &Store, actor: &Actor, filter: &BoardFilter) -> Result<Board> {
    let office = may_view(store, actor)?;
    let conn = store.conn();
    let today = store.clock().today();
    let yellow_until = rules::yellow_until(today);
    let idle_since = rules::idle_since(today);
    let scope = filter.scope.unwrap_or(ChecklistScope::Penalty);
    let part = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let light_code = filter.light.map(|l| match l {
        Light::Green => "green",
        Light::Yellow => "yellow",
        Light::Red => "red",
        Light::Done => "done",
        Light::Cancelled => "cancelled",
    });
    // `office_code` follows the aggregate's owner (a trigger of migration 0007), so a decision
    // handed to another office leaves this board. Clauses for filters not set are left out, so
    // the plain board reads one index and joins nothing it does not show.
    let unit = part(&filter.unit);
    let text = part(&filter.text);
    let mut filters = String::from("c.scope = ?1 AND c.office_code = ?2 AND (?6 IS NULL OR c.status = ?6)");
    if unit.is_some() {
        // `units` lists every item's responsible unit (a trigger of migration 0007); instr
        // matches a part of a name without LIKE's case folding, which Chinese does not need.
        filters.push_str(" AND instr(c.units, ?7) > 0");
    }
    if text.is_some() {
        filters.push_str(
            " AND (instr(c.title, ?8) > 0 OR instr(c.person_name, ?8) > 0 OR instr(c.decision_number, ?8) > 0)",
        );
    }
    let args = params![
        scope.as_str(),
        office,
        today.to_string(),
        yellow_until.to_string(),
        idle_since.to_string(),
        filter.status,
        unit,
        text,
        light_code,
    ];
    // Done lists have no light to count, so only open ones are read; an open list always has a
    // current item, so its light needs only the copied due date and last action.
    let counts = if unit.is_none() && text.is_none() {
        // The plain board counts each light as a range of the `checklists_lights` index (red: due
        // before today; yellow: due within five days, or later but idle), touching no row.
        if filter.status.as_deref().is_some_and(|s| s != "open") {
            LightCounts::default()
        } else {
            let mut all = conn
                .prepare_cached(
                    "SELECT (SELECT count(*) FROM checklists c WHERE c.scope = ?1 AND c.office_code = ?2
                               AND c.status = 'open' AND c.current_due < ?3),
                            (SELECT count(*) FROM checklists c WHERE c.scope = ?1 AND c.office_code = ?2
                               AND c.status = 'open' AND c.current_due >= ?3 AND c.current_due <= ?4),
                            (SELECT count(*) FROM checklists c WHERE c.scope = ?1 AND c.office_code = ?2
                               AND c.status = 'open' AND c.current_due > ?4 AND c.current_last_action <= ?5),
                            (SELECT count(*) FROM checklists c WHERE c.scope = ?1 AND c.office_code = ?2
                               AND c.status = 'open' AND c.current_due > ?4)",
                )?
                .query_row(
                    params![
                        scope.as_str(),
                        office,
                        today.to_string(),
                        yellow_until.to_string(),
                        idle_since.to_string()
                    ],
                    |r| {
                        let (red, soon, idle, later): (u32, u32, u32, u32) =
                            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
                        Ok(LightCounts { green: later - idle, yellow: soon + idle, red })
                    },
                )?;
            match filter.light {
                None => {}
                Some(Light::Green) => all = LightCounts { green: all.green, ..Default::default() },
                Some(Light::Yellow) => all = LightCounts { yellow: all.yellow, ..Default::default() },
                Some(Light::Red) => all = LightCounts { red: all.red, ..Default::default() },
                Some(Light::Done | Light::Cancelled) => all = LightCounts::default(),
            }
            all
        }
    } else {
        conn.prepare_cached(&format!(
            "SELECT coalesce(sum(light = 'green'), 0), coalesce(sum(light = 'yellow'), 0), coalesce(sum(light = 'red'), 0)
             FROM (SELECT CASE WHEN c.current_due IS NULL THEN NULL
                               WHEN c.current_due < ?3 THEN 'red'
                               WHEN c.current_due <= ?4 OR c.current_last_action <= ?5 THEN 'yellow'
                               ELSE 'green' END AS light
                   FROM checklists c
                   WHERE {filters} AND c.status = 'open')
             WHERE ?9 IS NULL OR light = ?9"
        ))?
        .query_row(args, |r| Ok(LightCounts { green: r.get(0)?, yellow: r.get(1)?, red: r.get(2)? }))?
    };
    let limit = filter.limit.unwrap_or(500);
    // Newest first straight from the `checklists_board` index, stopping at the limit; every
    // column shown is a copy on the checklist's own row, so nothing is joined.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, c.title, c.start_date, c.status, c.decision_number, c.person_name, c.person_unit,
                c.penalty_label, c.current_ord, c.current_code, c.current_title, c.current_status, c.current_unit,
                c.current_due, c.current_last_action, c.items_done, c.items_total
         FROM checklists c
         WHERE {filters} AND (?9 IS NULL OR ({LIGHT_SQL}) = ?9)
         ORDER BY c.start_date DESC, c.id DESC LIMIT {limit}"
    ))?;
    let mut rows = stmt.query(args)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let current = match r.get::<_, Option<u32>>(8)? {
            None => None,
            Some(ord) => {
                let status = ItemStatus::parse(&r.get::<_, String>(11)?)?;
                let due: Option<String> = r.get(13)?;
                let due_date = due.as_deref().map(parse_date).transpose()?;
                let last = r.get::<_, Option<String>>(14)?.as_deref().map(parse_date).transpose()?;
                Some(CurrentItem {
                    ord,
                    kind: r.get(9)?,
                    title: r.get(10)?,
                    status,
                    responsible_unit: r.get(12)?,
                    light: rules::item_light(status, due_date, last, today),
                    idle: rules::item_idle(status, due_date, last, today),
                    due,
                })
            }
        };
        out.push(BoardRow {
            id: r.get(0)?,
            scope,
            title: r.get(1)?,
            start_date: r.get(2)?,
            status: r.get(3)?,
            decision_number: r.get(4)?,
            person_name: r.get(5)?,
            person_unit: r.get(6)?,
            penalty_label: r.get(7)?,
            light: current.as_ref().map_or(Some(Light::Done), |c| c.light),
            current,
            items_done: r.get(15)?,
            items_total: r.get(16)?,
        });
    }
    Ok(Board { rows: out, counts, may_register: workflow::may_register(&office, actor, scope) })
}

/// An item waiting for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct QueueRow {
    pub checklist_id: String,
    pub scope: ChecklistScope,
    pub checklist_title: String,
    pub ord: u32,
    pub kind: String,
    pub title: String,
    pub responsible_unit: String,
    pub submitted_by: String,
    pub submitted_date: Option<String>,
    pub due: Option<String>,
    pub light: Option<Light>,
    /// Yellow because nothing was done for 10 days, not because the date is near.
    pub idle: bool,
    /// False when the viewer submitted it (someone else must review it).
    pub can_review: bool,
}

/// Items waiting for review, oldest submission first.
pub fn review_queue(store: &Store, actor: &Actor) -> Result<Vec<QueueRow>> {
    let office = may_view(store, actor)?;
    let conn = store.conn();
    let today = store.clock().today();
    let names = user_names(conn)?;
    // `office_code` follows the owner (migration 0007), so every row is this office's own case.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {}, c.title, i.code, i.responsible_unit, i.last_action_date, d.due_date
         FROM checklist_items i JOIN checklists c ON c.id = i.checklist_id
         LEFT JOIN deadlines d ON d.id = i.deadline_id
         WHERE i.status = 'submitted' AND c.office_code = ?1
         ORDER BY i.last_action_date, c.id, i.ord",
        state::ONE_ITEM_COLUMNS
    ))?;
    // The queue's own columns follow the item's state.
    let [checklist_title, code, unit, last_action, due_date] = std::array::from_fn(|i| state::ONE_ITEM_WIDTH + i);
    let mut rows = stmt.query([&office])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        // Whether the viewer may review is the workflow's check of the approval step, on the
        // state of this one item.
        let flow = state::one_item(r)?;
        let ord = flow.items[0].ord;
        let can_review =
            workflow::check(Some(&flow), &office, actor, workflow::Step::Item(ord, ItemStep::Approve)).is_ok();
        let submitted_by = flow.items[0].submitted_by.clone().unwrap_or_default();
        let due: Option<String> = r.get(due_date)?;
        let last: Option<String> = r.get(last_action)?;
        let due_date_v = due.as_deref().map(parse_date).transpose()?;
        let last_date_v = last.as_deref().map(parse_date).transpose()?;
        out.push(QueueRow {
            checklist_id: flow.id.clone(),
            scope: flow.scope,
            checklist_title: r.get(checklist_title)?,
            ord,
            kind: r.get(code)?,
            title: flow.items[0].title.clone(),
            responsible_unit: r.get(unit)?,
            can_review,
            submitted_by: names.get(&submitted_by).cloned().unwrap_or(submitted_by),
            light: rules::item_light(ItemStatus::Submitted, due_date_v, last_date_v, today),
            idle: rules::item_idle(ItemStatus::Submitted, due_date_v, last_date_v, today),
            submitted_date: last,
            due,
        });
    }
    Ok(out)
}

/// A benefit that falls inside a barring influence period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BenefitFlag {
    pub benefit_id: String,
    pub person_name: String,
    pub person_unit: String,
    pub kind: BenefitKind,
    pub kind_label: String,
    pub date: String,
    pub grade: Option<AppraisalGrade>,
    pub detail: String,
    pub penalty_id: String,
    pub decision_number: String,
    pub reason: String,
}

/// Flags for every benefit (or one person's), computed now from the recorded periods.
fn flags_where(store: &Store, person: Option<(&str, &str)>) -> Result<Vec<BenefitFlag>> {
    let conn = store.conn();
    // One person's page reads that person's rows by index; only the dashboard reads them all.
    let only = if person.is_some() {
        "WHERE b.person_name = ?1 AND b.person_unit = ?2"
    } else {
        "WHERE ?1 IS NULL AND ?2 IS NULL"
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT b.id, b.person_name, b.person_unit, b.kind, b.date, b.grade, b.detail, p.id, p.decision_number,
            p.periods_json
         FROM person_benefits b JOIN penalties p ON p.person_name = b.person_name AND p.person_unit = b.person_unit
         {only}
         ORDER BY b.date DESC, b.id"
    ))?;
    let mut rows = stmt.query(params![person.map(|p| p.0), person.map(|p| p.1)])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind = BenefitKind::parse(&r.get::<_, String>(3)?)?;
        let grade = r.get::<_, Option<String>>(5)?.as_deref().map(AppraisalGrade::parse).transpose()?;
        let date: String = r.get(4)?;
        let periods: Vec<InfluencePeriod> = from_json(&r.get::<_, String>(9)?)?;
        for period in periods.iter().filter(|p| rules::within(p, &date)) {
            if let Some(reason) = rules::barred(kind, grade, period) {
                out.push(BenefitFlag {
                    benefit_id: r.get(0)?,
                    person_name: r.get(1)?,
                    person_unit: r.get(2)?,
                    kind,
                    kind_label: kind.label().to_owned(),
                    date: date.clone(),
                    grade,
                    detail: r.get(6)?,
                    penalty_id: r.get(7)?,
                    decision_number: r.get(8)?,
                    reason,
                });
            }
        }
    }
    Ok(out)
}

/// Every benefit recorded inside a barring influence period (for the dashboard).
pub fn flags(store: &Store, actor: &Actor) -> Result<Vec<BenefitFlag>> {
    may_view(store, actor)?;
    flags_where(store, None)
}

/// The reasons one benefit is barred, right after it was recorded.
pub(crate) fn flags_for_benefit(store: &Store, benefit_id: &str) -> Result<Vec<String>> {
    Ok(flags_where(store, None)?.into_iter().filter(|f| f.benefit_id == benefit_id).map(|f| f.reason).collect())
}

/// A benefit as the person's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BenefitView {
    pub id: String,
    pub kind: BenefitKind,
    pub kind_label: String,
    pub date: String,
    pub grade: Option<AppraisalGrade>,
    pub detail: String,
    /// Why it is barred, when it falls inside a barring influence period.
    pub flags: Vec<String>,
}

/// A decision as the person's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonPenalty {
    pub id: String,
    pub decision_number: String,
    pub penalty_label: String,
    pub decision_date: String,
    pub periods: Vec<InfluencePeriod>,
}

/// A person's page: their decisions, influence periods and recorded benefits with flags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonPage {
    pub name: String,
    pub unit: String,
    pub penalties: Vec<PersonPenalty>,
    pub benefits: Vec<BenefitView>,
    /// Whether today lies inside any influence period.
    pub in_influence_period: bool,
    /// Whether the viewer may record a benefit against the person (`PenaltyAct::RecordBenefit`).
    pub may_record_benefit: bool,
}

/// A person's page, found by name and unit.
pub fn person(store: &Store, actor: &Actor, name: &str, unit: &str) -> Result<PersonPage> {
    let office = may_view(store, actor)?;
    let conn = store.conn();
    let (name, unit) = (name.trim(), unit.trim());
    let today = store.clock().today().to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT id, decision_number, penalty_label, decision_date, periods_json FROM penalties
         WHERE person_name = ?1 AND person_unit = ?2 ORDER BY decision_date",
    )?;
    let penalties: Vec<PersonPenalty> = stmt
        .query_map([name, unit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?)))?
        .map(|row| {
            let (id, decision_number, penalty_label, decision_date, periods) = row?;
            Ok(PersonPenalty { id, decision_number, penalty_label, decision_date, periods: from_json(&periods)? })
        })
        .collect::<Result<_>>()?;
    let flags = flags_where(store, Some((name, unit)))?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, date, grade, detail FROM person_benefits WHERE person_name = ?1 AND person_unit = ?2
         ORDER BY date DESC, id",
    )?;
    let mut rows = stmt.query([name, unit])?;
    let mut benefits = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let kind = BenefitKind::parse(&r.get::<_, String>(1)?)?;
        benefits.push(BenefitView {
            flags: flags.iter().filter(|f| f.benefit_id == id).map(|f| f.reason.clone()).collect(),
            id,
            kind,
            kind_label: kind.label().to_owned(),
            date: r.get(2)?,
            grade: r.get::<_, Option<String>>(3)?.as_deref().map(AppraisalGrade::parse).transpose()?,
            detail: r.get(4)?,
        });
    }
    if penalties.is_empty() && benefits.is_empty() {
        return Err(CoreError::NotFound { what: "人员", id: format!("{name}（{unit}）") });
    }
    let in_influence_period = penalties.iter().flat_map(|p| &p.periods).any(|p| rules::within(p, &today));
    let may_record_benefit = authorize(actor, &Action::Penalty { office, act: PenaltyAct::RecordBenefit }).is_ok();
    Ok(PersonPage {
        name: name.to_owned(),
        unit: unit.to_owned(),
        penalties,
        benefits,
        in_influence_period,
        may_record_benefit,
    })
}

/// Submissions and rejections in one month or for one responsible unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RejectionRate {
    /// `YYYY-MM`, or the responsible unit.
    pub key: String,
    pub reviewed: u32,
    pub rejected: u32,
}

/// Execution statistics: items done on time, overdue items, rejection rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PenaltyStats {
    pub items_approved: u32,
    pub approved_on_time: u32,
    pub open_overdue: u32,
    pub by_month: Vec<RejectionRate>,
    pub by_unit: Vec<RejectionRate>,
    /// Reform-by-case lists (以案促改) entered, and those whose every task is approved.
    pub reform_lists: u32,
    pub reform_done: u32,
    /// Guidance opinions (指导意见) given on the lists' items, in all and by month (`YYYY-MM`).
    pub guidance_given: u32,
    pub guidance_by_month: Vec<MonthCount>,
}

/// A count in one month (`YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MonthCount {
    pub month: String,
    pub count: u32,
}

/// Statistics over the office's checklists of `scope`.
pub fn stats(store: &Store, actor: &Actor, scope: ChecklistScope) -> Result<PenaltyStats> {
    let office = may_view(store, actor)?;
    let conn = store.conn();
    let today = store.clock().today().to_string();
    let (items_approved, approved_on_time, open_overdue): (u32, u32, u32) = conn.query_row(
        "SELECT coalesce(sum(i.status = 'approved'), 0),
                coalesce(sum(i.status = 'approved' AND d.closed_date <= d.due_date), 0),
                coalesce(sum(i.status NOT IN ('approved', 'pending') AND d.due_date < ?3), 0)
         FROM checklist_items i JOIN checklists c ON c.id = i.checklist_id
         LEFT JOIN deadlines d ON d.id = i.deadline_id
         WHERE c.scope = ?1 AND c.office_code = ?2",
        params![scope.as_str(), office, today],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let rates = |key_sql: &str| -> Result<Vec<RejectionRate>> {
        let sql = format!(
            "SELECT {key_sql} AS k, count(*), coalesce(sum(s.outcome = 'rejected'), 0)
             FROM checklist_submissions s JOIN checklists c ON c.id = s.checklist_id
             JOIN checklist_items i ON i.checklist_id = s.checklist_id AND i.ord = s.ord
             WHERE s.outcome <> 'pending' AND c.scope = ?1 AND c.office_code = ?2
             GROUP BY k ORDER BY k"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params![scope.as_str(), office], |r| {
            Ok(RejectionRate { key: r.get(0)?, reviewed: r.get(1)?, rejected: r.get(2)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    let (reform_lists, reform_done): (u32, u32) = conn.query_row(
        "SELECT count(*), coalesce(sum(status = 'done'), 0) FROM checklists
         WHERE scope = ?1 AND office_code = ?2 AND penalty_id IS NOT NULL",
        params![scope.as_str(), office],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let guidance_by_month = conn
        .prepare(
            "SELECT substr(g.date, 1, 7) AS m, count(*) FROM checklist_guidance g
             JOIN checklists c ON c.id = g.checklist_id
             WHERE c.scope = ?1 AND c.office_code = ?2 GROUP BY m ORDER BY m",
        )?
        .query_map(params![scope.as_str(), office], |r| Ok(MonthCount { month: r.get(0)?, count: r.get(1)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PenaltyStats {
        reform_lists,
        reform_done,
        guidance_given: guidance_by_month.iter().map(|m| m.count).sum(),
        guidance_by_month,
        items_approved,
        approved_on_time,
        open_overdue,
        by_month: rates("substr(s.review_date, 1, 7)")?,
        by_unit: rates("i.responsible_unit")?,
    })
}

/// A template version as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TemplateInfo {
    pub id: String,
    pub version: u32,
    pub scope: ChecklistScope,
    pub name: String,
    pub source: String,
    pub published_at: String,
    pub body: String,
}

/// Every template version, newest version first within each template.
pub fn templates(store: &Store, actor: &Actor) -> Result<Vec<TemplateInfo>> {
    // Business departments read templates to understand the items; administrators publish them.
    let office = store.office()?;
    if authorize(actor, &Action::Penalty { office: office.clone(), act: PenaltyAct::PublishTemplate }).is_err() {
        may_view(store, actor)?;
    }
    let mut stmt = store.conn().prepare_cached(
        "SELECT id, version, scope, name, source, published_at, body FROM checklist_templates ORDER BY id, version DESC",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(TemplateInfo {
            id: r.get(0)?,
            version: r.get(1)?,
            scope: ChecklistScope::parse(&r.get::<_, String>(2)?)?,
            name: r.get(3)?,
            source: r.get(4)?,
            published_at: r.get(5)?,
            body: r.get(6)?,
        });
    }
    Ok(out)
}
