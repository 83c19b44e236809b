//! What screens and scripts read about complaints. Every view is masked: the reporter's identity
//! and contacts never appear here; `ops::reveal_reporter` is the one logged path to them.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};

use super::model::*;
use super::search;
use crate::authz::{Action, Actor, ComplaintAct, authorize};
use crate::deadlines::{self, DeadlineView, Light};
use crate::error::{CoreError, Result};
use crate::events;
use crate::identity::Role;
use crate::projector::kind;
use crate::store::{Decision, Store};

/// A complaint in a list: no content, no reporter identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComplaintSummary {
    pub id: String,
    pub number: String,
    pub channel: ComplaintChannel,
    pub received_date: String,
    pub status: ComplaintStatus,
    pub status_label: String,
    pub department: Option<Role>,
    pub summary: String,
    /// Names and units reported on, e.g. "张某（某局局长）".
    pub subjects: Vec<String>,
    pub real_name: bool,
    pub anonymous: bool,
    /// How the reporter is shown in lists: always masked.
    pub reporter_display: String,
    /// The earliest open deadline, if any.
    pub next_due: Option<String>,
    pub light: Option<Light>,
}

/// One line of a complaint's timeline, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TimelineEntry {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
    /// Beijing time, to the minute.
    pub time: String,
    pub actor: String,
    pub kind: String,
    pub text: String,
}

/// An approval as shown on the complaint page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApprovalView {
    pub id: String,
    pub action: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    pub status: String,
    pub decided_by: Option<String>,
    pub comment: Option<String>,
    /// The office above asked to approve it (留置, its extension), by name; `None` for this
    /// office's own approvals.
    pub upper_office: Option<String>,
}

/// A complaint's page: content, subjects, deadlines, timeline and what the viewer may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComplaintDetail {
    pub summary: ComplaintSummary,
    pub content: String,
    pub categories: Vec<String>,
    pub subject_details: Vec<Subject>,
    pub real_name_verified: Option<String>,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub refer_to: Option<String>,
    /// `refer_to` as people read it: the office's name when it names one of the directory by its
    /// code (a hand-over's destination), else what was written.
    pub refer_to_name: Option<String>,
    pub disposal: Option<String>,
    pub result: Option<String>,
    pub accusation: Option<String>,
    pub clearance: bool,
    pub repeat_of: Option<String>,
    pub deadlines: Vec<DeadlineView>,
    pub timeline: Vec<TimelineEntry>,
    pub approvals: Vec<ApprovalView>,
    /// Whether the viewer's post may reveal the reporter (the reading is logged).
    pub can_reveal_reporter: bool,
    /// What the viewer may do now.
    pub actions: Vec<ComplaintActionKind>,
    /// The notices (文书) the viewer may issue for it now, by kind id (`acceptance`,
    /// `non_acceptance`, `result_feedback`, `inquiry`): the workflow's answer, shown as is.
    pub notices: Vec<String>,
    /// The approval waiting for a leader, if any.
    pub pending_approval: Option<String>,
    /// Files attached (names masked for posts that may not see the reporter).
    pub attachments: Vec<super::attachments::AttachmentView>,
    /// The office handling the complaint now.
    pub owner: OfficeRef,
    /// Whether this office handles it (otherwise it is on record here, read-only but for 督办).
    pub handled_here: bool,
    /// The offices below that it may be assigned to (交办), when the viewer may assign it.
    pub assign_targets: Vec<OfficeRef>,
    /// The offices the viewer may hand it to, by kind of hand-over: the route rule over this
    /// replica's directory (`directory::destinations`), each list filled only when the step that
    /// hands it over is open to the viewer. The dialogs' pickers offer exactly these, by name.
    pub handover_targets: HandoverTargets,
    /// Steps taken elsewhere after the case changed hands (kept, not applied), for a leader of
    /// the office handling it to settle.
    pub conflicts: Vec<ConflictItem>,
}

/// The destinations a complaint's hand-over dialogs offer, ordered by level from the top.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HandoverTargets {
    /// 向上报送 (screening).
    pub report_upward: Vec<crate::directory::DirectoryOffice>,
    /// 向下转送 (screening).
    pub transfer_downward: Vec<crate::directory::DirectoryOffice>,
    /// 交办.
    pub assign: Vec<crate::directory::DirectoryOffice>,
    /// 平级移交.
    pub lateral: Vec<crate::directory::DirectoryOffice>,
}

/// A step that arrived after its office had handed the case on: kept in the log, left out of the
/// workflow, and listed until a leader of the office handling the case settles it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConflictItem {
    pub event_id: String,
    pub complaint_id: String,
    pub number: String,
    pub summary: String,
    /// The step, in words (as in the timeline).
    pub step: String,
    /// The office that took it, by name.
    pub office: String,
    pub actor: String,
    /// Beijing time of the step, to the minute.
    pub time: String,
    /// `open` or `resolved`.
    pub status: String,
    /// `adopted` (the handling office redid it) or `dismissed`.
    pub resolution: Option<String>,
    pub note: Option<String>,
    /// Whether the viewer may settle it (a leader of the office handling the case).
    pub can_resolve: bool,
}

/// An office by code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfficeRef {
    pub code: String,
    pub name: String,
}

/// Filters for the complaint list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComplaintFilter {
    pub status: Option<ComplaintStatus>,
    pub channel: Option<ComplaintChannel>,
    pub department: Option<Role>,
    /// A reported unit (substring).
    pub unit: Option<String>,
    pub received_from: Option<String>,
    pub received_to: Option<String>,
    pub overdue_only: bool,
    /// Full-text query over summary, content and the people reported.
    pub text: Option<String>,
    pub limit: Option<u32>,
}

/// Checks that `actor` may read complaints; a refusal is recorded like any other.
pub(crate) fn may_view(store: &mut Store, actor: &Actor) -> Result<()> {
    let office = store.office()?;
    store.execute(actor, Action::Complaint { office, act: ComplaintAct::View }, |_tx, _ctx| Ok(Decision::default()))?;
    Ok(())
}

fn reporter_display(anonymous: bool, real_name: bool) -> String {
    match (anonymous, real_name) {
        (true, _) => "匿名".into(),
        (false, true) => "实名（身份已屏蔽）".into(),
        (false, false) => "署名（身份已屏蔽）".into(),
    }
}

const SUMMARY_COLUMNS: &str =
    "c.id, c.number, c.channel, c.received_date, c.status, c.department, c.summary, c.real_name, c.anonymous,
     (SELECT group_concat(CASE WHEN s.name = '' THEN s.unit ELSE s.name || '（' || s.unit || s.post || '）' END, '、')
        FROM complaint_subjects s WHERE s.complaint_id = c.id),
     (SELECT min(d.due_date) FROM deadlines d WHERE d.aggregate = 'complaint:' || c.id AND d.status = 'open')";

fn summary_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ComplaintSummaryRow, Option<String>)> {
    Ok((
        ComplaintSummaryRow {
            id: r.get(0)?,
            number: r.get(1)?,
            channel: r.get(2)?,
            received_date: r.get(3)?,
            status: r.get(4)?,
            department: r.get(5)?,
            summary: r.get(6)?,
            real_name: r.get(7)?,
            anonymous: r.get(8)?,
            subjects: r.get(9)?,
        },
        r.get(10)?,
    ))
}

/// One complaint's summary row, through the statement cache (lists call this once per item).
fn summary_by_id(conn: &Connection, id: &str) -> Result<(ComplaintSummaryRow, Option<String>)> {
    let sql = format!("SELECT {SUMMARY_COLUMNS} FROM complaints c WHERE c.id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], summary_from_row)
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "检举控告", id: id.to_owned() })
}

/// The columns of a complaint that only its page shows, read by position.
struct DetailRow {
    content: String,
    categories: String,
    real_name_verified: Option<String>,
    outcome: Option<String>,
    outcome_note: Option<String>,
    refer_to: Option<String>,
    disposal: Option<String>,
    result: Option<String>,
    accusation: Option<String>,
    clearance: bool,
    repeat_of: Option<String>,
}

impl DetailRow {
    const SELECT: &str = "SELECT content, categories, real_name_verified, outcome, outcome_note, refer_to, disposal,
            result, accusation, clearance, repeat_of
         FROM complaints WHERE id = ?1";

    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(DetailRow {
            content: r.get(0)?,
            categories: r.get(1)?,
            real_name_verified: r.get(2)?,
            outcome: r.get(3)?,
            outcome_note: r.get(4)?,
            refer_to: r.get(5)?,
            disposal: r.get(6)?,
            result: r.get(7)?,
            accusation: r.get(8)?,
            clearance: r.get(9)?,
            repeat_of: r.get(10)?,
        })
    }
}

/// An approval as the complaint page lists it, read by position.
struct ApprovalRow {
    id: String,
    action: String,
    params_json: String,
    reason: String,
    requested_by: String,
    requested_at: String,
    status: String,
    decided_by: Option<String>,
    comment: Option<String>,
    office: Option<String>,
}

impl ApprovalRow {
    const SELECT: &str =
        "SELECT id, action, params_json, reason, requested_by, requested_at, status, decided_by, comment, office_code
         FROM approvals WHERE complaint_id = ?1 ORDER BY requested_at";

    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok(ApprovalRow {
            id: r.get(0)?,
            action: r.get(1)?,
            params_json: r.get(2)?,
            reason: r.get(3)?,
            requested_by: r.get(4)?,
            requested_at: r.get(5)?,
            status: r.get(6)?,
            decided_by: r.get(7)?,
            comment: r.get(8)?,
            office: r.get(9)?,
        })
    }
}

struct ComplaintSummaryRow {
    id: String,
    number: String,
    channel: String,
    received_date: String,
    status: String,
    department: Option<String>,
    summary: String,
    real_name: bool,
    anonymous: bool,
    subjects: Option<String>,
}

fn to_summary(store: &Store, row: ComplaintSummaryRow, next_due: Option<String>) -> Result<ComplaintSummary> {
    let status = ComplaintStatus::parse(&row.status)?;
    let light = match &next_due {
        Some(d) => {
            let due = NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|e| CoreError::Encoding(e.to_string()))?;
            Some(deadlines::light(store.calendar(), "open", due, store.clock().today()))
        }
        None => None,
    };
    Ok(ComplaintSummary {
        id: row.id,
        number: row.number,
        channel: ComplaintChannel::parse(&row.channel)?,
        received_date: row.received_date,
        status_label: status.label().to_owned(),
        status,
        department: row.department.as_deref().map(Role::parse).transpose()?,
        summary: row.summary,
        subjects: row.subjects.map(|s| s.split('、').map(str::to_owned).collect()).unwrap_or_default(),
        reporter_display: reporter_display(row.anonymous, row.real_name),
        real_name: row.real_name,
        anonymous: row.anonymous,
        next_due,
        light,
    })
}

/// Complaints matching `filter`, newest receipt first.
pub fn list(store: &mut Store, actor: &Actor, filter: &ComplaintFilter) -> Result<Vec<ComplaintSummary>> {
    may_view(store, actor)?;
    let query = FilterSql::new(store, filter)?;
    query.rows(store)
}

/// One page of the complaint list with the office's true total under the same filter, so the
/// list can say "共 301 件" and that it shows only the newest 200 instead of counting its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComplaintPage {
    /// The newest complaints matching the filter, at most `limit` of them.
    pub rows: Vec<ComplaintSummary>,
    /// How many complaints of this office match the filter in all.
    pub total: u32,
    /// The most rows the page may hold.
    pub limit: u32,
}

/// The newest complaints matching `filter` and how many match in all.
pub fn page(store: &mut Store, actor: &Actor, filter: &ComplaintFilter) -> Result<ComplaintPage> {
    may_view(store, actor)?;
    let query = FilterSql::new(store, filter)?;
    let rows = query.rows(store)?;
    let total = query.count(store)?;
    Ok(ComplaintPage { rows, total, limit: query.limit })
}

/// The list's filter as SQL, built once so that the page and its total can never disagree on
/// which complaints match.
struct FilterSql {
    from: String,
    where_sql: String,
    order: &'static str,
    args: Vec<Value>,
    limit: u32,
}

impl FilterSql {
    fn new(store: &Store, filter: &ComplaintFilter) -> Result<Self> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        let mut arg = |clause: &str, v: Value, clauses: &mut Vec<String>| {
            args.push(v);
            clauses.push(clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(s) = filter.status {
            arg("c.status = ?", Value::Text(s.as_str().into()), &mut clauses);
        }
        if let Some(c) = filter.channel {
            arg("c.channel = ?", Value::Text(c.as_str().into()), &mut clauses);
        }
        if let Some(d) = filter.department {
            arg("c.department = ?", Value::Text(d.as_str().into()), &mut clauses);
        }
        if let Some(u) = filter.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            arg(
                "EXISTS (SELECT 1 FROM complaint_subjects s WHERE s.complaint_id = c.id AND instr(s.unit, ?) > 0)",
                Value::Text(u.into()),
                &mut clauses,
            );
        }
        if let Some(from) = filter.received_from.as_deref().filter(|s| !s.is_empty()) {
            arg("c.received_date >= ?", Value::Text(qingfeng_calendar::parse_date(from)?.to_string()), &mut clauses);
        }
        if let Some(to) = filter.received_to.as_deref().filter(|s| !s.is_empty()) {
            arg("c.received_date <= ?", Value::Text(qingfeng_calendar::parse_date(to)?.to_string()), &mut clauses);
        }
        if filter.overdue_only {
            arg(
                "EXISTS (SELECT 1 FROM deadlines d WHERE d.aggregate = 'complaint:' || c.id AND d.status = 'open' AND d.due_date < ?)",
                Value::Text(store.clock().today().to_string()),
                &mut clauses,
            );
        }
        // With a text query the full-text index drives the scan, newest first, so LIMIT can stop
        // early even when a common word matches most of the office's complaints.
        let mut from = "complaints c".to_owned();
        let mut order = "c.received_at DESC, c.number DESC";
        if let Some(text) = filter.text.as_deref().filter(|t| !t.trim().is_empty()) {
            from = "complaint_search f JOIN complaints c ON c.search_rowid = f.rowid".to_owned();
            order = "f.rowid DESC";
            arg("complaint_search MATCH ?", Value::Text(search::fts_query(text)?), &mut clauses);
        }
        let limit = filter.limit.unwrap_or(200).clamp(1, 5_000);
        let where_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
        Ok(FilterSql { from, where_sql, order, args, limit })
    }

    fn rows(&self, store: &Store) -> Result<Vec<ComplaintSummary>> {
        let FilterSql { from, where_sql, order, limit, .. } = self;
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM {from} {where_sql} ORDER BY {order} LIMIT {limit}");
        let rows: Vec<(ComplaintSummaryRow, Option<String>)> = {
            let mut stmt = store.conn().prepare(&sql)?;
            stmt.query_map(params_from_iter(self.args.iter()), summary_from_row)?.collect::<Result<_, _>>()?
        };
        rows.into_iter().map(|(row, due)| to_summary(store, row, due)).collect()
    }

    fn count(&self, store: &Store) -> Result<u32> {
        let FilterSql { from, where_sql, .. } = self;
        let sql = format!("SELECT count(*) FROM {from} {where_sql}");
        Ok(store.conn().prepare(&sql)?.query_row(params_from_iter(self.args.iter()), |r| r.get(0))?)
    }
}

/// Conflicts on every complaint this replica holds, open ones first.
pub fn conflicts(store: &mut Store, actor: &Actor) -> Result<Vec<ConflictItem>> {
    may_view(store, actor)?;
    conflict_items(store, actor, None)
}

/// The office's conflicts in words for its sync report (`qingfeng sync conflicts`): the complaint's
/// number, the step in Chinese, the office and person who took it and the Beijing time. Read
/// without a login, as the sync status is; nobody may settle one from this list (`can_resolve` is
/// false), which takes a leader's login.
pub fn conflicts_report(store: &Store) -> Result<Vec<ConflictItem>> {
    conflict_items(store, &Actor::Anonymous, None)
}

fn conflict_items(store: &Store, actor: &Actor, complaint: Option<&str>) -> Result<Vec<ConflictItem>> {
    let aggregate = complaint.map(|id| format!("complaint:{id}"));
    let own = store.office_code().unwrap_or_default().to_owned();
    let leader =
        authorize(actor, &Action::Complaint { office: own.clone(), act: ComplaintAct::DecideApproval }).is_ok();
    let conn = store.conn();
    let names = user_names(conn)?;
    let mut out = Vec::new();
    for c in store.conflicts(aggregate.as_deref())? {
        let Some(cid) = c.aggregate.strip_prefix("complaint:") else { continue };
        let Some(event) = events::by_id(conn, &c.event_id)? else { continue };
        let (number, summary): (String, String) = conn
            .query_row("SELECT number, summary FROM complaints WHERE id = ?1", [cid], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or_default();
        let owner = crate::ownership::owner_of(conn, &c.aggregate)?.unwrap_or_default();
        out.push(ConflictItem {
            event_id: c.event_id,
            complaint_id: cid.to_owned(),
            number,
            summary,
            step: describe(conn, &event),
            office: office_name(conn, &c.origin_office),
            actor: person_name(&names, conn, &event),
            time: event.display_time(),
            can_resolve: leader && c.status == "open" && owner == own,
            status: c.status,
            resolution: c.resolution,
            note: c.note,
        });
    }
    Ok(out)
}

/// What a request to the office above asks, in words.
fn upper_label(request: &ApprovalAction) -> &'static str {
    match request {
        ApprovalAction::ExtendDetention => "延长留置",
        _ => "采取留置措施",
    }
}

/// An office's name from the directory, or its code when the directory does not have it yet.
fn office_name(conn: &Connection, code: &str) -> String {
    conn.prepare_cached("SELECT name FROM offices WHERE code = ?1")
        .and_then(|mut s| s.query_row([code], |r| r.get::<_, String>(0)))
        .unwrap_or_else(|_| code.to_owned())
}

/// Who took a step, as people read it: the officer's name when this replica knows it, otherwise
/// the office it came from ("盘龙区纪委监委工作人员"), never an account's id.
fn person_name(names: &std::collections::HashMap<String, String>, conn: &Connection, e: &events::Event) -> String {
    if let Some(name) = names.get(&e.actor) {
        return name.clone();
    }
    match e.actor.as_str() {
        "system" => "系统".to_owned(),
        "hub" => "省级平台".to_owned(),
        _ => format!("{}工作人员", office_name(conn, &e.origin_office)),
    }
}

fn user_names(conn: &Connection) -> Result<std::collections::HashMap<String, String>> {
    // Officers of other offices are named by their offices' `officer.named` events.
    crate::directory::officer_names(conn)
}

/// How many complaints the database holds in each status, in workflow order, leaving out the
/// empty ones. For a report printed on the machine itself (`qingfeng demo`), so no viewer is asked.
pub fn status_counts(store: &Store) -> Result<Vec<(ComplaintStatus, u64)>> {
    let mut stmt = store.conn().prepare("SELECT status, count(*) FROM complaints GROUP BY status")?;
    let rows: Vec<(String, i64)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    for status in ALL_STATUSES {
        let n = rows.iter().find(|(s, _)| s == status.as_str()).map_or(0, |(_, n)| *n);
        if n > 0 {
            out.push((status, u64::try_from(n).unwrap_or(0)));
        }
    }
    Ok(out)
}

/// The id of the complaint with this number (e.g. 530102-2026-00001), for officers who quote
/// numbers from paper files.
pub fn find_by_number(store: &mut Store, actor: &Actor, number: &str) -> Result<String> {
    may_view(store, actor)?;
    store
        .conn()
        .prepare_cached("SELECT id FROM complaints WHERE number = ?1")?
        .query_row([number.trim()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "检举控告（编号）", id: number.trim().to_owned() })
}

/// The complaint's page for `actor` (masked).
pub fn show(store: &mut Store, actor: &Actor, id: &str) -> Result<ComplaintDetail> {
    may_view(store, actor)?;
    let conn = store.conn();
    let (row, due) = summary_by_id(conn, id)?;
    let summary = to_summary(store, row, due)?;
    let extra = conn.query_row(DetailRow::SELECT, [id], DetailRow::from_row)?;
    let subject_details: Vec<Subject> = {
        let mut stmt = conn
            .prepare("SELECT name, post, unit, level FROM complaint_subjects WHERE complaint_id = ?1 ORDER BY ord")?;
        stmt.query_map([id], |r| Ok(Subject { name: r.get(0)?, post: r.get(1)?, unit: r.get(2)?, level: r.get(3)? }))?
            .collect::<Result<_, _>>()?
    };
    let names = user_names(conn)?;
    // An officer this replica was never told about is named by nothing better than a post, never an id.
    let name_of = |uid: &str| names.get(uid).cloned().unwrap_or_else(|| "其他机关工作人员".to_owned());
    let approvals: Vec<ApprovalView> = {
        let mut stmt = conn.prepare(ApprovalRow::SELECT)?;
        let rows = stmt.query_map([id], ApprovalRow::from_row)?;
        let mut out = Vec::new();
        for row in rows {
            let ApprovalRow {
                id: aid,
                action,
                params_json,
                reason,
                requested_by: by,
                requested_at: at,
                status,
                decided_by,
                comment,
                office,
            } = row?;
            let upper = office.as_deref().map(|o| office_name(conn, o)).unwrap_or_default();
            let is_upper = serde_json::from_str::<ApprovalAction>(&params_json).is_ok_and(|a| a.is_upper());
            let action = if action == "return" {
                "退回信访室".to_owned()
            } else {
                match serde_json::from_str::<ApprovalAction>(&params_json) {
                    Ok(ApprovalAction::Dispose { method, .. }) => format!("处置：{}", method.label()),
                    Ok(ApprovalAction::Assign { to_office, report_days }) => format!(
                        "交办下级：{}（{} 个工作日内报告结果）",
                        office_name(conn, &to_office),
                        report_days.unwrap_or(60)
                    ),
                    Ok(ApprovalAction::Supervise { report_days }) => {
                        format!("督办（{} 个工作日内报告结果）", report_days.unwrap_or(30))
                    }
                    Ok(ApprovalAction::Lateral { to_office }) => {
                        format!("平级移交：{}", office_name(conn, &to_office))
                    }
                    Ok(ApprovalAction::Detain) => format!("采取留置措施（报{upper}批准）"),
                    Ok(ApprovalAction::ExtendDetention) => format!("延长留置 3 个月（报{upper}批准）"),
                    _ => action,
                }
            };
            out.push(ApprovalView {
                id: aid,
                action,
                reason,
                requested_by: name_of(&by),
                // Stored as RFC 3339 UTC; shown in Beijing time to the minute, like the timeline.
                requested_at: crate::clock::display_stored(&at),
                status,
                decided_by: decided_by.as_deref().map(name_of),
                comment,
                upper_office: is_upper.then_some(upper),
            });
        }
        out
    };
    let timeline = events::for_aggregate(conn, &format!("complaint:{id}"))?
        .into_iter()
        .map(|e| TimelineEntry {
            seq: e.seq,
            time: e.display_time(),
            actor: person_name(&names, conn, &e),
            text: describe(conn, &e),
            kind: e.kind,
        })
        .collect();
    let deadlines = deadlines::query(
        conn,
        store.calendar(),
        store.clock().today(),
        "aggregate = ?1",
        &format!("complaint:{id}"),
        None,
    )?;
    let can_reveal_reporter = !summary.anonymous
        && authorize(
            actor,
            &Action::Complaint {
                office: store.office_code().unwrap_or_default().to_owned(),
                act: ComplaintAct::ViewIdentity,
            },
        )
        .is_ok();
    let categories: Vec<String> = serde_json::from_str(&extra.categories).unwrap_or_default();
    let own = store.office_code().unwrap_or_default().to_owned();
    // The page's buttons are the workflow's allowed steps, nothing re-derived here.
    let state = super::state::existing(conn, id)?;
    let office = super::state::office(conn, &own)?;
    let actions = super::workflow::allowed(&state, &office, actor);
    let notices = super::workflow::notices(&state, &office, actor).into_iter().map(str::to_owned).collect();
    let pending = state.pending_at(&own).map(|a| a.id.clone());
    let owner = OfficeRef { name: office_name(conn, &state.owner), code: state.owner.clone() };
    let handled_here = owner.code == own;
    let assign_targets = if actions.contains(&ComplaintActionKind::RequestAssignment) {
        super::ops::offices_below(conn, &own)?.into_iter().map(|(code, name)| OfficeRef { code, name }).collect()
    } else {
        Vec::new()
    };
    let targets = |step: ComplaintActionKind, kind: crate::directory::Handover| -> Result<Vec<_>> {
        if actions.contains(&step) { crate::directory::destinations_in(conn, &own, kind) } else { Ok(Vec::new()) }
    };
    let handover_targets = HandoverTargets {
        report_upward: targets(ComplaintActionKind::Screen, crate::directory::Handover::ReportUpward)?,
        transfer_downward: targets(ComplaintActionKind::Screen, crate::directory::Handover::TransferDownward)?,
        assign: targets(ComplaintActionKind::RequestAssignment, crate::directory::Handover::Assign)?,
        lateral: targets(ComplaintActionKind::RequestLateral, crate::directory::Handover::Lateral)?,
    };
    let conflicts = conflict_items(store, actor, Some(id))?;
    Ok(ComplaintDetail {
        summary,
        content: extra.content,
        categories,
        subject_details,
        real_name_verified: extra.real_name_verified,
        outcome: extra.outcome,
        outcome_note: extra.outcome_note,
        refer_to_name: extra.refer_to.as_deref().map(|r| crate::directory::display_name(conn, r)).transpose()?,
        refer_to: extra.refer_to,
        disposal: extra.disposal,
        result: extra.result,
        accusation: extra.accusation,
        clearance: extra.clearance,
        repeat_of: extra.repeat_of,
        deadlines,
        timeline,
        approvals,
        can_reveal_reporter,
        actions,
        notices,
        pending_approval: pending,
        attachments: super::attachments::list(store, actor, id)?,
        owner,
        handled_here,
        assign_targets,
        handover_targets,
        conflicts,
    })
}

/// A complaint waiting for the viewer, with what is to be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InboxItem {
    pub complaint: ComplaintSummary,
    pub task: String,
}

/// How many complaints each inbox task lists; the full lists are one click away in search.
pub const INBOX_PER_TASK: u32 = 200;

/// The viewer's inbox: what each of their posts has to do, oldest receipt first.
///
/// Which complaints are a post's tasks is the workflow's rule (`workflow::Task`, derived from
/// `check`, the rule the complaint's page reads too). The SQL here only finds candidates by
/// indexed columns, in the inbox's order, so that a million-complaint office is not read whole;
/// each candidate is then kept only if the rule gives the viewer one of the task's steps. Case
/// management's two lists are deadline oversight rather than workflow steps, and are read from
/// the deadlines as they stand.
pub fn inbox(store: &mut Store, actor: &Actor) -> Result<Vec<InboxItem>> {
    use super::workflow::Task;
    may_view(store, actor)?;
    let Actor::User(p) = actor else { return Ok(Vec::new()) };
    let office = store.office_code().unwrap_or_default().to_owned();
    let has = |r: Role| p.has(&office, r);
    let today = store.clock().today().to_string();
    let mut wanted: Vec<(String, &str)> = Vec::new();
    {
        let conn = store.conn();
        let here = super::state::office(conn, &office)?;
        // `task` is the workflow task that decides each candidate; `None` keeps every row.
        let mut collect = |sql: &str, arg: &str, label: &'static str, task: Option<Task>| -> Result<()> {
            // Work lists show only what this office owns: complaints reported upward, or those of
            // the offices below that arrive by sync, are on record here but are not its work.
            // Office codes are six digits (checked at setup), so quoting them inline is safe.
            let sql = sql
                .replace("{INBOX_PER_TASK}", &INBOX_PER_TASK.to_string())
                .replace("{OWNER}", &format!("'{}'", office.replace('\'', "")));
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query([arg])?;
            let mut taken = 0;
            while taken < INBOX_PER_TASK {
                let Some(row) = rows.next()? else { break };
                let id: String = row.get(0)?;
                if wanted.iter().any(|(w, l)| *w == id && *l == label) {
                    continue;
                }
                if let Some(task) = task {
                    let Some(state) = super::state::load(conn, &id)? else { continue };
                    if !task.open_for(&state, &here, actor) {
                        continue;
                    }
                }
                wanted.push((id, label));
                taken += 1;
            }
            Ok(())
        };
        let mut rule = |sql: &str, arg: &str, task: Task| collect(sql, arg, task.label(), Some(task));
        if has(Role::Petitions) {
            rule(
                "SELECT id FROM complaints WHERE owner_office = {OWNER} AND status = ?1 ORDER BY received_at",
                "registered",
                Task::Screen,
            )?;
            // Start from the active caseload (indexed by status), not from every open notice in the
            // office: most open notices belong to complaints still waiting to be screened.
            rule(
                "SELECT c.id FROM complaints c
                 WHERE c.owner_office = {OWNER}
                   AND c.status IN ('with_department', 'inquiry', 'verification', 'held', 'case_filed', 'concluded')
                   AND EXISTS (SELECT 1 FROM deadlines d WHERE d.aggregate = 'complaint:' || c.id
                               AND d.status = 'open' AND d.kind = ?1)
                 ORDER BY c.received_at",
                "acceptance_notice",
                Task::NotifyAcceptance,
            )?;
            rule(
                "SELECT c.id FROM deadlines d JOIN complaints c ON c.id = substr(d.aggregate, 11)
                 WHERE d.kind IN (?1, 'transfer_downward') AND d.status = 'open' AND d.office_code = {OWNER} ORDER BY d.due_date",
                "report_upward",
                Task::Forward,
            )?;
            rule(
                "SELECT c.id FROM deadlines d JOIN complaints c ON c.id = substr(d.aggregate, 11)
                 WHERE d.kind IN (?1, 'supervision_report') AND d.status = 'open' AND d.office_code = {OWNER}
                 ORDER BY d.due_date",
                "assignment_report",
                Task::ReportResult,
            )?;
        }
        for dept in [Role::Supervision, Role::Investigation] {
            if has(dept) {
                rule(
                    "SELECT id FROM complaints WHERE department = ?1 AND owner_office = {OWNER}
                     AND status IN ('with_department', 'inquiry', 'verification', 'held', 'case_filed')
                     ORDER BY received_at",
                    dept.as_str(),
                    Task::Handle,
                )?;
                rule(
                    "SELECT c.id FROM deadlines d JOIN complaints c ON c.id = substr(d.aggregate, 11)
                     WHERE c.department = ?1 AND d.kind = 'result_feedback' AND d.status = 'open'
                       AND d.office_code = {OWNER} ORDER BY d.due_date",
                    dept.as_str(),
                    Task::Feedback,
                )?;
            }
        }
        if has(Role::Leader) {
            rule(
                "SELECT a.complaint_id FROM approvals a JOIN complaints c ON c.id = a.complaint_id
                 WHERE a.status = 'pending' AND a.requested_by <> ?1 AND coalesce(a.office_code, c.owner_office) = {OWNER}
                 ORDER BY a.requested_at",
                &p.user_id,
                Task::Approve,
            )?;
        }
        if has(Role::Petitions) || has(Role::CaseManagement) {
            // Results reported by offices below for complaints this office assigned or
            // supervised, waiting for its review: the complaint is another office's, the review
            // deadline this office's.
            rule(
                "SELECT c.id FROM deadlines d JOIN complaints c ON c.id = substr(d.aggregate, 11)
                 WHERE d.kind = ?1 AND d.status = 'open' AND d.office_code = {OWNER} ORDER BY d.due_date",
                "result_review",
                Task::ReviewResult,
            )?;
        }
        if has(Role::CaseManagement) {
            // Overdue deadlines come straight from the deadline index, earliest first.
            collect(
                "SELECT substr(aggregate, 11) FROM deadlines
                 WHERE office_code = {OWNER} AND status = 'open' AND due_date < ?1 AND aggregate LIKE 'complaint:%'
                 GROUP BY aggregate ORDER BY min(due_date) LIMIT {INBOX_PER_TASK}",
                &today,
                "逾期督办",
                None,
            )?;
            // Result reports demanded of offices below, overdue: case management chases them.
            collect(
                "SELECT substr(aggregate, 11) FROM deadlines
                 WHERE watch_office = {OWNER} AND status = 'open' AND due_date < ?1
                 GROUP BY aggregate ORDER BY min(due_date) LIMIT {INBOX_PER_TASK}",
                &today,
                "下级逾期未报结果",
                None,
            )?;
        }
    }
    let mut out: Vec<InboxItem> = Vec::new();
    for (id, task) in wanted {
        let (row, due) = summary_by_id(store.conn(), &id)?;
        out.push(InboxItem { complaint: to_summary(store, row, due)?, task: task.to_owned() });
    }
    Ok(out)
}

/// An event of a complaint in words (never naming the reporter).
fn describe(conn: &Connection, e: &events::Event) -> String {
    let get = |field: &str| e.payload_json().get(field).and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    match e.kind.as_str() {
        kind::COMPLAINT_REGISTERED => "登记检举控告".into(),
        kind::COMPLAINT_SCREENED => {
            let p: Option<Screened> = e.payload().ok();
            match p {
                Some(p) => {
                    let mut s = format!("筛选：{}", p.outcome.label());
                    if let Some(d) = p.department {
                        s.push_str(&format!("，移送{}（同时告知案件监督管理室）", d.label()));
                    }
                    if !p.reason.is_empty() {
                        s.push_str(&format!("。理由：{}", p.reason));
                    }
                    if let Some(r) = p.refer_to {
                        // A hand-over names its destination by code; officers read the office's name.
                        s.push_str(&format!("。去向：{}", office_name(conn, &r)));
                    }
                    s
                }
                None => "筛选".into(),
            }
        }
        kind::COMPLAINT_ACCEPTANCE_NOTIFIED => format!("已告知检举人受理（{}）", get("date")),
        kind::COMPLAINT_FORWARDED => format!("已报送或转送（{}）", get("date")),
        kind::APPROVAL_REQUESTED => format!("提请领导审批：{}", get("reason")),
        kind::APPROVAL_DECIDED => {
            let granted = e.payload_json().get("granted").and_then(|v| v.as_bool()).unwrap_or(false);
            format!("领导{}：{}", if granted { "同意" } else { "不同意" }, get("comment"))
        }
        kind::COMPLAINT_RETURNED => "经领导批准，退回信访室".into(),
        kind::COMPLAINT_DISPOSED => match e.payload::<ApprovedStep>().ok().map(|p| p.request) {
            Some(ApprovalAction::Dispose { method, letter_date }) => match letter_date {
                Some(d) => format!("处置方式：{}（函询函 {d} 发出）", method.label()),
                None => format!("处置方式：{}", method.label()),
            },
            _ => "确定处置方式".into(),
        },
        kind::COMPLAINT_INQUIRY_REPLIED => format!("收到函询回复（{}）", get("date")),
        kind::COMPLAINT_CONCLUDED => format!("办结（{}）：{}", get("date"), get("result")),
        kind::COMPLAINT_FEEDBACK_GIVEN => format!("已向检举人反馈办理结果（{}）", get("date")),
        kind::COMPLAINT_OBJECTION_RECORDED => format!("检举人对办理结果提出意见（{}）", get("date")),
        kind::COMPLAINT_IDENTITY_VIEWED => format!("查看检举人身份，事由：{}", get("purpose")),
        kind::COMPLAINT_CASE_MILESTONE => {
            let stage = get("stage");
            let label = CaseStage::parse(&stage).map(|s| s.label()).unwrap_or("案件阶段");
            format!("{label}（{}）", get("date"))
        }
        kind::COMPLAINT_DETENTION_STARTED => format!("采取留置措施（{}）", get("date")),
        kind::COMPLAINT_DETENTION_EXTENDED => {
            format!("经上一级机关批准延长留置（{}，{}）", get("date"), get("approval_ref"))
        }
        kind::COMPLAINT_DETENTION_ENDED => format!("解除留置（{}）", get("date")),
        kind::COMPLAINT_ATTACHMENT_ADDED => "添加附件".into(),
        kind::COMPLAINT_ATTACHMENT_VIEWED => format!("查看附件，事由：{}", get("purpose")),
        kind::COMPLAINT_SUPERVISION_REQUESTED => {
            format!("{}提请督办：{}", office_name(conn, &e.origin_office), get("reason"))
        }
        kind::COMPLAINT_SUPERVISION_DECIDED => {
            let granted = e.payload_json().get("granted").and_then(|v| v.as_bool()).unwrap_or(false);
            format!(
                "{}领导{}督办：{}",
                office_name(conn, &e.origin_office),
                if granted { "同意" } else { "不同意" },
                get("comment")
            )
        }
        kind::COMPLAINT_SUPERVISED => match e.payload::<ApprovedStep>().ok().map(|p| p.request) {
            Some(ApprovalAction::Supervise { report_days: Some(d) }) => {
                format!("{}督办，要求 {d} 个工作日内报告办理结果", office_name(conn, &e.origin_office))
            }
            _ => format!("{}督办", office_name(conn, &e.origin_office)),
        },
        kind::COMPLAINT_ASSIGNED => match e.payload::<ApprovedStep>().ok().map(|p| p.request) {
            Some(ApprovalAction::Assign { to_office, report_days }) => {
                format!(
                    "经领导批准，交办{}，要求 {} 个工作日内报告办理结果",
                    office_name(conn, &to_office),
                    report_days.unwrap_or(60)
                )
            }
            _ => "交办下级".into(),
        },
        kind::COMPLAINT_HANDED_LATERALLY => match e.payload::<ApprovedStep>().ok().map(|p| p.request) {
            Some(ApprovalAction::Lateral { to_office }) => {
                format!("经领导批准，平级移交{}", office_name(conn, &to_office))
            }
            _ => "平级移交".into(),
        },
        kind::OWNERSHIP_DECLINED => format!(
            "省级平台未能移交{}，此件退回本机关重新筛选。原因：{}",
            office_name(conn, &get("to_office")),
            get("refusal")
        ),
        kind::COMPLAINT_UPPER_APPROVAL_REQUESTED => match e.payload::<UpperApprovalRequested>() {
            Ok(p) => format!("提请{}批准{}：{}", office_name(conn, &p.to_office), upper_label(&p.request), p.reason),
            Err(_) => "提请上级机关批准".into(),
        },
        kind::COMPLAINT_UPPER_APPROVAL_DECIDED => match e.payload::<UpperApprovalDecided>() {
            Ok(p) if p.granted => {
                let from =
                    if p.request == ApprovalAction::Detain { "，留置自该日起算" } else { "，延长 3 个月" };
                let comment = if p.comment.is_empty() { String::new() } else { format!("。意见：{}", p.comment) };
                format!(
                    "{}批准{}（{}）{from}{comment}",
                    office_name(conn, &e.origin_office),
                    upper_label(&p.request),
                    p.date
                )
            }
            Ok(p) => format!(
                "{}不批准{}（{}）。理由：{}",
                office_name(conn, &e.origin_office),
                upper_label(&p.request),
                p.date,
                p.comment
            ),
            Err(_) => "上级机关批复".into(),
        },
        kind::COMPLAINT_RESULT_REPORTED => format!("向上级上报办理结果（{}）：{}", get("date"), get("note")),
        kind::COMPLAINT_RESULT_ACCEPTED => {
            let note = get("note");
            let by = office_name(conn, &e.origin_office);
            if note.is_empty() {
                format!("{by}审核办理结果：采纳（{}）", get("date"))
            } else {
                format!("{by}审核办理结果：采纳（{}）。意见：{note}", get("date"))
            }
        }
        kind::COMPLAINT_RESULT_RETURNED => {
            let days = e.payload_json().get("report_days").and_then(|v| v.as_u64()).unwrap_or(0);
            format!(
                "{}审核办理结果：退回重报（{}），要求 {days} 个工作日内重新报告。意见：{}",
                office_name(conn, &e.origin_office),
                get("date"),
                get("note")
            )
        }
        kind::CITATION_ADDED => format!("引用《{}》{}", get("document_title"), get("article_label")),
        kind::CITATION_REMOVED => "撤销一条引用".into(),
        kind::DOCUMENT_ISSUED => format!("签发{}：{}", get("title"), get("number")),
        kind::OWNERSHIP_OFFERED => format!("提出移交{}", office_name(conn, &get("to_office"))),
        kind::OWNERSHIP_CHANGED => format!(
            "省级平台确认移交：{} → {}",
            office_name(conn, &get("from_office")),
            office_name(conn, &get("to_office"))
        ),
        kind::COMPLAINT_IDENTITY_SEALED => "为接收机关加密检举人身份".into(),
        kind::IMPORT_RECORD_MIGRATED => crate::migration::describe_migrated(e),
        other => other.to_owned(),
    }
}

/// The dashboard: every open deadline in the office, with counts by light.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    pub today: String,
    pub red: u32,
    pub yellow: u32,
    pub green: u32,
    /// Open deadlines, earliest first, each with its complaint's number and summary.
    pub items: Vec<DashboardItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DashboardItem {
    pub deadline: DeadlineView,
    pub complaint_id: String,
    pub number: String,
    pub summary: String,
}

/// How many dashboard items are listed; the counts always cover every open deadline.
pub const DASHBOARD_ITEMS: u32 = 300;

/// Open deadlines, earliest first (overdue ones lead), with counts of every open deadline by light.
pub fn dashboard(store: &mut Store, actor: &Actor) -> Result<Dashboard> {
    may_view(store, actor)?;
    let office = store.office_code().unwrap_or_default().to_owned();
    let today = store.clock().today();
    // A deadline is yellow when it falls within the next five working days: one date bounds it.
    let yellow_until = store
        .calendar()
        .add_working_days(today, deadlines::YELLOW_WORKING_DAYS)
        .map(|a| a.value.to_string())
        .unwrap_or_else(|_| today.to_string());
    let (red, yellow, green): (u32, u32, u32) = store.conn().query_row(
        "SELECT count(*) FILTER (WHERE due_date < ?1),
                count(*) FILTER (WHERE due_date >= ?1 AND due_date <= ?2),
                count(*) FILTER (WHERE due_date > ?2)
         FROM deadlines WHERE (office_code = ?3 OR watch_office = ?3) AND status = 'open'
           AND (aggregate LIKE 'complaint:%' OR aggregate LIKE 'quarterly:%')",
        [today.to_string(), yellow_until, office.clone()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let open = deadlines::query(
        store.conn(),
        store.calendar(),
        today,
        // Penalty execution has its own board; this one is the complaints' duties.
        "(office_code = ?1 OR watch_office = ?1) AND status = 'open'
           AND (aggregate LIKE 'complaint:%' OR aggregate LIKE 'quarterly:%')",
        &office,
        Some(DASHBOARD_ITEMS),
    )?;
    let mut items = Vec::with_capacity(open.len());
    for d in open {
        if let Some(rest) = d.aggregate.strip_prefix("quarterly:") {
            // `quarterly:<office>:<department>`; logs written before sync carry no office.
            let dept = rest.rsplit(':').next().unwrap_or(rest);
            let dept = Role::parse(dept).map(|r| r.label()).unwrap_or("承办部门");
            let quarter = d.id.rsplit(':').next().unwrap_or_default().replace('Q', "年第") + "季度";
            let summary = format!("{dept}向信访室报送{quarter}办结情况");
            items.push(DashboardItem { deadline: d, complaint_id: String::new(), number: String::new(), summary });
            continue;
        }
        let Some(cid) = d.aggregate.strip_prefix("complaint:").map(str::to_owned) else { continue };
        let (number, summary): (String, String) =
            store.conn().query_row("SELECT number, summary FROM complaints WHERE id = ?1", [&cid], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        items.push(DashboardItem { deadline: d, complaint_id: cid, number, summary });
    }
    Ok(Dashboard { today: today.to_string(), red, yellow, green, items })
}

/// A complaint that may be a repeat of a form being entered, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SimilarComplaint {
    pub complaint: ComplaintSummary,
    pub reasons: Vec<String>,
}

/// Earlier complaints that look like the one being registered: same person or unit reported,
/// same reporter (matched without showing who), or the same wording in the summary.
pub fn similar(store: &mut Store, actor: &Actor, form: &RegisterComplaint) -> Result<Vec<SimilarComplaint>> {
    may_view(store, actor)?;
    let mut found: Vec<(String, String)> = Vec::new();
    {
        let conn = store.conn();
        let mut by_subject = conn.prepare_cached(
            "SELECT DISTINCT complaint_id FROM complaint_subjects WHERE (?1 <> '' AND name = ?1) OR (?1 = '' AND ?2 <> '' AND unit = ?2)",
        )?;
        for s in &form.subjects {
            let ids: Vec<String> =
                by_subject.query_map([s.name.trim(), s.unit.trim()], |r| r.get(0))?.collect::<Result<_, _>>()?;
            let who = if s.name.trim().is_empty() { s.unit.trim() } else { s.name.trim() };
            found.extend(ids.into_iter().map(|id| (id, format!("被反映人相同：{who}"))));
        }
        // Matching on the reporter's contact tells who the reporter is, so only posts that may
        // read identities get it (a guessed phone number must reveal nothing to the others).
        let office = store.office()?;
        let reads_identity = authorize(actor, &Action::Complaint { office, act: ComplaintAct::ViewIdentity }).is_ok();
        if let Some(r) = form.reporter.as_ref().filter(|_| reads_identity) {
            let contact = r.contact.trim();
            if !contact.is_empty() {
                let mut stmt = conn.prepare_cached("SELECT id FROM complaints WHERE reporter_contact = ?1")?;
                let ids: Vec<String> = stmt.query_map([contact], |r| r.get(0))?.collect::<Result<_, _>>()?;
                found.extend(ids.into_iter().map(|id| (id, "同一检举人（联系方式相同）".to_owned())));
            }
        }
        if let Ok(q) = search::fts_query(&form.summary) {
            let mut stmt = conn.prepare_cached(
                "SELECT c.id FROM complaint_search f JOIN complaints c ON c.search_rowid = f.rowid
             WHERE complaint_search MATCH ?1 ORDER BY f.rowid DESC LIMIT 20",
            )?;
            let ids: Vec<String> = stmt.query_map([q], |r| r.get(0))?.collect::<Result<_, _>>()?;
            found.extend(ids.into_iter().map(|id| (id, "摘要内容相近".to_owned())));
        }
    }
    let mut out: Vec<SimilarComplaint> = Vec::new();
    for (id, reason) in found {
        if let Some(existing) = out.iter_mut().find(|s| s.complaint.id == id) {
            if !existing.reasons.contains(&reason) {
                existing.reasons.push(reason);
            }
            continue;
        }
        let (row, due) = summary_by_id(store.conn(), &id)?;
        out.push(SimilarComplaint { complaint: to_summary(store, row, due)?, reasons: vec![reason] });
    }
    // Complaints matching on more grounds come first.
    out.sort_by(|a, b| {
        b.reasons.len().cmp(&a.reasons.len()).then(b.complaint.received_date.cmp(&a.complaint.received_date))
    });
    out.truncate(20);
    Ok(out)
}
