//! What screens and scripts read of integrity files and opinions: the cadre list, a cadre's file
//! (every reading logged as `integrity.file_viewed` before anything is shown), the unit list with
//! each unit's profile colour, opinion requests and one request's page with each person's
//! findings, the proposed or edited conclusion and the steps the viewer may take.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::events::IntegrityEvent;
use super::model::*;
use super::score::{self, Profile, Rules};
use super::state;
use super::workflow::{self, MatchState, MatchStep, OpinionStep};
use crate::authz::{Actor, IntegrityAct, authorize};
use crate::deadlines::{self, DeadlineView};
use crate::error::{CoreError, Result};
use crate::input::required;
use crate::store::{Decision, Store};

/// A cadre as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CadreSummary {
    pub id: String,
    pub name: String,
    pub unit: String,
    pub post: String,
    /// `110105********002X`, when an ID number was given.
    pub id_masked: Option<String>,
}

/// One record on a cadre's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileRecord {
    /// The record key the match commands take.
    pub record: String,
    /// 检举控告, 处分决定 or 考核晋升评优记录.
    pub kind_label: String,
    /// The complaint's number and state, the decision's number and penalty, the benefit.
    pub label: String,
    pub date: String,
    /// The unit the record names (which may differ from the cadre's, for a confirmed record).
    pub unit: String,
    pub confirmed: bool,
    /// 已确认为本人 or 疑似（同名同单位，待确认）.
    pub state_label: String,
    /// The steps the viewer may take on it.
    pub steps: Vec<MatchStep>,
}

/// Who read a file, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reading {
    pub read_by: String,
    pub read_at: String,
    pub purpose: String,
}

/// A cadre's integrity file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CadreFile {
    pub cadre: CadreSummary,
    pub records: Vec<FileRecord>,
    /// How many records were split off as other people's of the same name.
    pub split: u32,
    /// The opinions replied or in hand for this cadre: the request's reference and status.
    pub opinions: Vec<String>,
    /// The latest readings of this file, newest first (this one included).
    pub readings: Vec<Reading>,
}

fn display_names(conn: &Connection) -> Result<BTreeMap<String, String>> {
    Ok(conn
        .prepare_cached("SELECT id, display_name FROM users")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?)
}

/// Every cadre whose name or unit contains `search` (all of them when empty), by unit and name.
pub fn cadres(store: &Store, actor: &Actor, search: &str) -> Result<Vec<CadreSummary>> {
    authorize(actor, &workflow::action(&store.office()?, IntegrityAct::View))?;
    let pattern = format!("%{}%", search.trim());
    Ok(store
        .conn()
        .prepare_cached(
            "SELECT id, name, unit, post, id_masked FROM cadres WHERE name LIKE ?1 OR unit LIKE ?1 ORDER BY unit, name",
        )?
        .query_map([pattern], |r| {
            Ok(CadreSummary { id: r.get(0)?, name: r.get(1)?, unit: r.get(2)?, post: r.get(3)?, id_masked: r.get(4)? })
        })?
        .collect::<std::result::Result<_, _>>()?)
}

/// Logs that `actor` reads the files of `subjects` (`cadre:<id>`, `unit:<id>`) for `purpose`,
/// refusing a reader without the post before anything is read.
fn log_readings(store: &mut Store, actor: &Actor, subjects: &[String], purpose: &str) -> Result<()> {
    let office = store.office()?;
    let purpose = required("查阅事由", purpose, 200)?;
    store.execute(actor, workflow::action(&office, IntegrityAct::View), |_, _| {
        let events = subjects
            .iter()
            .map(|s| IntegrityEvent::FileViewed(FileViewed { subject: s.clone(), purpose: purpose.clone() }).encode())
            .collect::<Result<_>>()?;
        Ok(Decision::events(events))
    })?;
    Ok(())
}

fn readings(conn: &Connection, subject: &str) -> Result<Vec<Reading>> {
    let names = display_names(conn)?;
    Ok(conn
        .prepare_cached(
            "SELECT read_by, read_at, purpose FROM integrity_readings WHERE subject = ?1 ORDER BY read_at DESC LIMIT 50",
        )?
        .query_map([subject], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .map(|row| {
            row.map(|(by, at, purpose)| Reading {
                read_by: names.get(&by).cloned().unwrap_or(by),
                read_at: crate::clock::display_stored(&at),
                purpose,
            })
        })
        .collect::<std::result::Result<_, _>>()?)
}

/// Cadre `id`'s file, read by `actor` for `purpose` (查阅事由): the reading is logged first.
pub fn cadre_file(store: &mut Store, actor: &Actor, id: &str, purpose: &str) -> Result<CadreFile> {
    let row = state::cadre(store.conn(), id)?;
    log_readings(store, actor, &[format!("cadre:{id}")], purpose)?;
    let office = store.office()?;
    let conn = store.conn();
    let records = state::cadre_records(conn, &row)?;
    let steps = |record: &str, m: &MatchState| {
        let rm = workflow::RecordMatch { cadre_id: id.to_owned(), record: record.to_owned(), state: m.clone() };
        workflow::allowed_match(&rm, &office, actor)
    };
    let state_label = |m: &MatchState| {
        if *m == MatchState::Confirmed { "已确认为本人" } else { "疑似（同名同单位，待确认）" }.to_owned()
    };
    let mut out = Vec::new();
    for (s, m) in &records.complaints {
        out.push(FileRecord {
            record: s.record.clone(),
            kind_label: "检举控告".into(),
            label: format!("{}（{}）", s.number, s.status.label()),
            date: s.received_date.clone(),
            unit: s.unit.clone(),
            confirmed: *m == MatchState::Confirmed,
            state_label: state_label(m),
            steps: steps(&s.record, m),
        });
    }
    for (p, m) in &records.penalties {
        out.push(FileRecord {
            record: p.record.clone(),
            kind_label: "处分决定".into(),
            label: format!("{}（{}）", p.decision_number, p.label),
            date: p.decision_date.clone(),
            unit: p.unit.clone(),
            confirmed: *m == MatchState::Confirmed,
            state_label: state_label(m),
            steps: steps(&p.record, m),
        });
    }
    for (b, m) in &records.benefits {
        out.push(FileRecord {
            record: b.record.clone(),
            kind_label: "考核晋升评优记录".into(),
            label: b.detail.clone(),
            date: b.date.clone(),
            unit: b.unit.clone(),
            confirmed: *m == MatchState::Confirmed,
            state_label: state_label(m),
            steps: steps(&b.record, m),
        });
    }
    out.sort_by(|a, b| b.date.cmp(&a.date));
    let opinions: Vec<String> = conn
        .prepare_cached(
            "SELECT r.request_ref, r.status, r.received_date FROM opinion_persons p
             JOIN opinion_requests r ON r.id = p.request_id WHERE p.cadre_id = ?1 ORDER BY r.received_date DESC",
        )?
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
        .map(|row| {
            row.map(|(reference, status, date)| {
                let label = OpinionStatus::parse(&status).map(|s| s.label()).unwrap_or("");
                format!("{date} 收 {reference}（{label}）")
            })
        })
        .collect::<std::result::Result<_, _>>()?;
    Ok(CadreFile {
        cadre: CadreSummary { id: row.id, name: row.name, unit: row.unit, post: row.post, id_masked: row.id_masked },
        records: out,
        split: records.split as u32,
        opinions,
        readings: readings(conn, &format!("cadre:{id}"))?,
    })
}

/// A unit on the unit list, with its profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnitRow {
    pub id: String,
    pub name: String,
    pub category_label: String,
    pub aliases: Vec<String>,
    pub profile: Profile,
}

/// Every registered unit with its profile score on today's records, lowest score first.
pub fn units(store: &Store, actor: &Actor) -> Result<Vec<UnitRow>> {
    authorize(actor, &workflow::action(&store.office()?, IntegrityAct::View))?;
    let conn = store.conn();
    let rules = Rules::load(conn)?;
    let today = store.clock().today();
    let rows: Vec<(String, String, String, String)> = conn
        .prepare_cached("SELECT id, name, category, aliases_json FROM integrity_units ORDER BY name")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, name, category, aliases) in rows {
        let aliases: Vec<String> = serde_json::from_str(&aliases).map_err(|e| CoreError::Encoding(e.to_string()))?;
        let names: Vec<String> = std::iter::once(name.clone()).chain(aliases.iter().cloned()).collect();
        let counts = score::counts(conn, &names, today, rules.window_months)?;
        out.push(UnitRow {
            id,
            name,
            category_label: UnitCategory::parse(&category).map(|c| c.label()).unwrap_or("其他").to_owned(),
            aliases,
            profile: score::score(&counts, &rules),
        });
    }
    out.sort_by(|a, b| a.profile.score.cmp(&b.profile.score).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// An opinion request as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OpinionRow {
    pub id: String,
    pub requester: String,
    pub request_ref: String,
    pub purpose_label: String,
    pub received_date: String,
    pub persons: u32,
    pub status: OpinionStatus,
    pub status_label: String,
    pub reply_number: Option<String>,
    pub deadline: Option<DeadlineView>,
}

fn reply_deadline(store: &Store, id: &str) -> Result<Option<DeadlineView>> {
    Ok(deadlines::query(
        store.conn(),
        store.calendar(),
        store.clock().today(),
        "id = ?1",
        &workflow::reply_deadline_id(id),
        Some(1),
    )?
    .pop())
}

/// A request's row as listed: id, requester, reference, purpose, receipt, persons, status, number.
type RequestListRow = (String, String, String, String, String, u32, String, Option<String>);

/// Every request, newest first.
pub fn opinions(store: &Store, actor: &Actor) -> Result<Vec<OpinionRow>> {
    authorize(actor, &workflow::action(&store.office()?, IntegrityAct::View))?;
    let rows: Vec<RequestListRow> = store
        .conn()
        .prepare_cached(
            "SELECT id, requester, request_ref, purpose, received_date, persons, status, reply_number
             FROM opinion_requests ORDER BY received_date DESC, created_at DESC",
        )?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
        })?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, requester, request_ref, purpose, received_date, persons, status, reply_number) in rows {
        let status = OpinionStatus::parse(&status)?;
        out.push(OpinionRow {
            deadline: reply_deadline(store, &id)?,
            id,
            requester,
            request_ref,
            purpose_label: Purpose::parse(&purpose)?.label().to_owned(),
            received_date,
            persons,
            status,
            status_label: status.label().to_owned(),
            reply_number,
        });
    }
    Ok(out)
}

/// One person on a request's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OpinionPersonView {
    pub ord: u32,
    pub cadre_id: String,
    pub name: String,
    pub unit: String,
    pub post: String,
    pub findings: Vec<Finding>,
    /// The conclusion the findings give, in the office's phrasing.
    pub proposed: String,
    /// The conclusion the reply will carry (the officer's, or the proposal).
    pub conclusion: String,
    /// The officer rewrote the proposal.
    pub edited: bool,
    /// Suggested records still to be confirmed or split on the cadre's file.
    pub unresolved: u32,
}

/// A request's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OpinionPage {
    pub id: String,
    pub requester: String,
    pub request_ref: String,
    pub purpose_label: String,
    pub purpose_note: String,
    pub received_date: String,
    pub status: OpinionStatus,
    pub status_label: String,
    pub return_note: Option<String>,
    pub reply_number: Option<String>,
    pub deadline: Option<DeadlineView>,
    pub persons: Vec<OpinionPersonView>,
    pub steps: Vec<OpinionStep>,
    /// Who acts next, when the viewer may not.
    pub waiting: Option<String>,
}

/// Request `id`'s page as `actor` sees it. Reading the findings reads each person's file, so one
/// reading per person is logged first.
pub fn opinion_page(store: &mut Store, actor: &Actor, id: &str) -> Result<OpinionPage> {
    let today = store.clock().today();
    let (request_ref, cadre_ids): (String, Vec<String>) = {
        let conn = store.conn();
        let reference: String = conn
            .prepare_cached("SELECT request_ref FROM opinion_requests WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .map_err(|_| CoreError::NotFound { what: "廉政意见征求函", id: id.to_owned() })?;
        let ids = conn
            .prepare_cached("SELECT cadre_id FROM opinion_persons WHERE request_id = ?1 ORDER BY ord")?
            .query_map([id], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        (reference, ids)
    };
    let subjects: Vec<String> = cadre_ids.iter().map(|c| format!("cadre:{c}")).collect();
    log_readings(store, actor, &subjects, &format!("办理廉政意见回复（{request_ref}）"))?;
    let office = store.office()?;
    let conn = store.conn();
    let o = state::opinion_to_show(conn, id, today)?;
    let (requester, purpose_note, received_date, return_note, reply_number): (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
    ) = conn
        .prepare_cached(
            "SELECT requester, purpose_note, received_date, return_note, reply_number FROM opinion_requests WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
    let persons = o
        .persons
        .iter()
        .map(|p| {
            let proposed = workflow::propose(&p.name, o.purpose, &o.purpose_note, &p.findings, today);
            let conclusion = o.conclusion_of(p, today);
            OpinionPersonView {
                ord: p.ord,
                cadre_id: p.cadre_id.clone(),
                name: p.name.clone(),
                unit: p.unit.clone(),
                post: p.post.clone(),
                findings: p.findings.clone(),
                // A submission records every conclusion as written, so "edited" compares the texts.
                edited: conclusion != proposed,
                proposed,
                conclusion,
                unresolved: p.unresolved() as u32,
            }
        })
        .collect();
    Ok(OpinionPage {
        id: id.to_owned(),
        requester,
        request_ref,
        purpose_label: o.purpose.label().to_owned(),
        purpose_note,
        received_date,
        status: o.status,
        status_label: o.status.label().to_owned(),
        return_note,
        reply_number,
        deadline: reply_deadline(store, id)?,
        persons,
        steps: workflow::allowed(&o, &office, actor),
        waiting: workflow::waiting(&o, &office, actor),
    })
}

/// The cadre a record was confirmed for, if any (used by the complaint and penalty pages to
/// show where a record sits).
pub fn confirmed_cadre(conn: &Connection, record: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached("SELECT cadre_id FROM cadre_matches WHERE record = ?1 AND status = 'confirmed' LIMIT 1")?
        .query_row(params![record], |r| r.get(0))
        .optional()?)
}

/// What the reply notice prints, taken from an approved request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyDraft {
    pub requester: String,
    pub request_ref: String,
    /// 拟提拔任用 and the like, after 现将.
    pub purpose: String,
    /// One paragraph per person: 一、张三（某局副局长）：conclusion.
    pub persons: String,
    pub status: OpinionStatus,
}

/// The reply's text for request `id`, as approved (the approved conclusions never change after
/// approval: a change sends the request back).
pub fn reply_draft(store: &Store, actor: &Actor, id: &str) -> Result<ReplyDraft> {
    let office = store.office()?;
    authorize(actor, &workflow::action(&office, IntegrityAct::Handle))?;
    let today = store.clock().today();
    let conn = store.conn();
    let o = state::opinion_to_show(conn, id, today)?;
    let (requester, request_ref): (String, String) = conn
        .prepare_cached("SELECT requester, request_ref FROM opinion_requests WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    let persons: Vec<String> = o
        .persons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let n = NUMERALS.get(i).map(|s| (*s).to_owned()).unwrap_or_else(|| (i + 1).to_string());
            let who = if p.post.is_empty() { p.unit.clone() } else { format!("{}{}", p.unit, p.post) };
            format!("{n}、{}（{who}）：{}", p.name, o.conclusion_of(p, today))
        })
        .collect();
    let purpose = match o.purpose {
        Purpose::Other => o.purpose_note.clone(),
        p if o.purpose_note.is_empty() => format!("拟{}", p.label()),
        _ => o.purpose_note.clone(),
    };
    Ok(ReplyDraft { requester, request_ref, purpose, persons: persons.join("\n"), status: o.status })
}
