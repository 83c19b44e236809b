//! 工作台: each post's one to-do list across every kind of work the office does.
//!
//! One query module answers "what do I have to do, whose duty is it, and by when" for every post:
//! complaints to screen, notify, report, dispose of, handle and feed back (DOMAIN.md §2), leader
//! approvals, penalty-execution items to submit for their unit or to review (§3), rectification
//! items (§4), result reports owed to the office above or chased from the offices below, quarterly
//! reports to petitions, and work that came from another office (a complaint handed over, a step
//! to settle after a handover). The desktop's 工作台 and its menu counts, and `qingfeng complaint
//! inbox`'s successor, read only this.
//!
//! Rows are sorted by urgency: red (overdue), yellow (a complaint's deadline within 5 working days,
//! an execution or rectification item's within 5 calendar days or idle for 10 days), green, then rows with no deadline; within a light by due date, then by
//! how long the work has waited. Lights are computed when read, with the same functions as every
//! other screen (`deadlines::light`, `penalty::rules::item_light`), so a row's light always
//! matches the legend and the record's own page.
//!
//! Each source is one SQL query over the projections, ordered by urgency and cut at
//! [`PER_SOURCE`] rows; its totals (all rows, red and yellow) come from window sums over the
//! whole match in the same pass, so the counts on the menu are the office's real numbers even
//! when a list is cut.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::authz::Actor;
use crate::complaints::model::{ApprovalAction, ComplaintStatus};
use crate::deadlines::{self, DeadlineKind, Light};
use crate::error::{CoreError, Result};
use crate::identity::Role;
use crate::penalty::model::{ChecklistScope, ItemStatus};
use crate::penalty::rules;
use crate::store::Store;

/// How many rows each source lists at most; the counts always cover every row.
pub const PER_SOURCE: u32 = 200;

/// The kinds of work, as the list's filter offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// A step in a complaint's handling (screen, notify, report, dispose, handle, feed back, chase).
    Complaint,
    /// A leader's approval of a return, disposal, assignment or supervision.
    Approval,
    /// A penalty-execution item to submit for its unit, or to review.
    Execution,
    /// A rectification item to submit for its unit, or to review.
    Rectification,
    /// A result report owed to the office above (交办、督办), or chased from an office below.
    ResultReport,
    /// A department's quarterly report of concluded results to petitions.
    QuarterlyReport,
    /// Work that came from another office: a complaint handed over, a step to settle after one.
    CrossOffice,
    /// A supervision letter to issue, a unit's feedback to chase (催办) or to review (监督建议).
    Supervision,
}

impl WorkKind {
    /// Every kind, in the order the filter shows them.
    pub const ALL: [WorkKind; 8] = [
        WorkKind::Complaint,
        WorkKind::Approval,
        WorkKind::Execution,
        WorkKind::Rectification,
        WorkKind::ResultReport,
        WorkKind::QuarterlyReport,
        WorkKind::CrossOffice,
        WorkKind::Supervision,
    ];

    pub fn label(self) -> &'static str {
        match self {
            WorkKind::Complaint => "检举控告",
            WorkKind::Approval => "审批",
            WorkKind::Execution => "处分执行",
            WorkKind::Rectification => "整改",
            WorkKind::ResultReport => "结果报告",
            WorkKind::QuarterlyReport => "季度报告",
            WorkKind::CrossOffice => "跨单位",
            WorkKind::Supervision => "监督建议",
        }
    }
}

/// Where a row leads: the page on which the work is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "page", rename_all = "snake_case")]
pub enum WorkTarget {
    Complaint {
        id: String,
    },
    Penalty {
        id: String,
    },
    Rectification {
        id: String,
    },
    /// A supervision letter (监督建议书、提醒函).
    Letter {
        id: String,
    },
    /// The quarterly report is recorded from the row itself.
    QuarterlyReport {
        department: Role,
        quarter: String,
    },
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WorkItem {
    /// Unique within the list.
    pub key: String,
    pub kind: WorkKind,
    pub kind_label: String,
    /// What to do, in words (e.g. "筛选：决定受理移送、报送、转送或不予受理").
    pub task: String,
    /// The record: a complaint's number, a decision's number, a list's title, a quarter.
    pub record: String,
    /// What the record is about: a complaint's summary, the penalised person, the item.
    pub summary: String,
    /// Whose duty it is: a department, a responsible unit, the leader, an office.
    pub duty: String,
    /// The duty's deadline by name (e.g. 受理告知), when the row has one.
    pub deadline_label: Option<String>,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    pub provisional: bool,
    pub light: Option<Light>,
    /// The light in words: "已逾期 3 个工作日", "2 个工作日内到期", "已 12 天未办理", "还有 20 个工作日".
    pub light_note: Option<String>,
    /// Since when the work has waited (YYYY-MM-DD): receipt, request, submission, opening.
    pub since: String,
    pub target: WorkTarget,
}

/// How many rows of one kind there are, and how many of them are red or yellow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KindCount {
    pub kind: WorkKind,
    pub label: String,
    pub total: u32,
    pub red: u32,
    pub yellow: u32,
}

/// A post's to-do list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Worklist {
    pub today: String,
    /// The most urgent rows first (at most [`PER_SOURCE`] from each source).
    pub items: Vec<WorkItem>,
    /// Every kind the viewer's posts can have, with its counts (zero counts included).
    pub counts: Vec<KindCount>,
    pub total: u32,
    pub red: u32,
    pub yellow: u32,
}

/// What the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WorklistFilter {
    /// Only this kind (the counts still cover every kind).
    pub kind: Option<WorkKind>,
    /// Only the counts, no rows (the menu's badge).
    #[serde(default)]
    pub counts_only: bool,
}

/// The day's reference dates, computed once per call.
struct Days {
    today: NaiveDate,
    /// The last due date that is yellow (5 working days ahead).
    yellow_until: String,
    /// The last due date of an execution or rectification item that is yellow (5 calendar days
    /// ahead, `rules::yellow_until`).
    item_yellow_until: String,
    /// An item whose last action is on or before this date is idle (10 days ago).
    idle_since: String,
}

/// One row as a source query returns it, before its words are put together.
struct Raw {
    key: String,
    kind: WorkKind,
    task: String,
    record: String,
    summary: String,
    duty: String,
    deadline: Option<DeadlineKind>,
    due: Option<String>,
    provisional: bool,
    /// For execution items: status and last action, which make the light (idle turns yellow).
    item: Option<(ItemStatus, Option<String>)>,
    since: String,
    target: WorkTarget,
}

/// The to-do list of `actor`'s posts in this office. An account with no business post (the
/// administrator) has nothing to do here and gets an empty list.
pub fn worklist(store: &Store, actor: &Actor, filter: &WorklistFilter) -> Result<Worklist> {
    let p = match actor {
        Actor::User(p) => p,
        Actor::Anonymous => return Err(CoreError::NoSession),
        Actor::System => return Ok(empty(store, &[])),
    };
    let office = store.office()?;
    let has = |r: Role| p.has(&office, r);
    let roles: Vec<Role> = Role::BUSINESS.into_iter().filter(|r| has(*r)).collect();
    let today = store.clock().today();
    let days = Days {
        today,
        yellow_until: store
            .calendar()
            .add_working_days(today, deadlines::YELLOW_WORKING_DAYS)
            .map(|a| a.value)
            .unwrap_or(today)
            .to_string(),
        item_yellow_until: rules::yellow_until(today).to_string(),
        idle_since: rules::idle_since(today).to_string(),
    };
    let mut q = Sources {
        conn: store.conn(),
        office: &office,
        days: &days,
        user: &p.user_id,
        rows: Vec::new(),
        counts: HashMap::new(),
    };

    if has(Role::Petitions) {
        q.petitions()?;
    }
    for dept in [Role::Supervision, Role::Investigation] {
        if has(dept) {
            q.department(dept)?;
        }
    }
    if has(Role::Leader) {
        q.leader()?;
    }
    if has(Role::Petitions) || has(Role::CaseManagement) {
        q.result_reviews()?;
    }
    if has(Role::CaseManagement) {
        q.case_management()?;
        q.items(ChecklistScope::Penalty, Step::Submit)?;
    }
    if has(Role::Trial) {
        q.items(ChecklistScope::Penalty, Step::Review)?;
    }
    if has(Role::CaseManagement) || has(Role::Supervision) {
        q.items(ChecklistScope::Rectification, Step::Submit)?;
    }
    if has(Role::Trial) || has(Role::Supervision) {
        q.items(ChecklistScope::Rectification, Step::Review)?;
    }
    if has(Role::Supervision) {
        q.letters()?;
    }

    let Sources { rows, counts, .. } = q;
    let mut list = empty(store, &roles);
    for c in &mut list.counts {
        if let Some((total, red, yellow)) = counts.get(&c.kind) {
            (c.total, c.red, c.yellow) = (*total, *red, *yellow);
        }
    }
    list.total = list.counts.iter().map(|c| c.total).sum();
    list.red = list.counts.iter().map(|c| c.red).sum();
    list.yellow = list.counts.iter().map(|c| c.yellow).sum();
    if filter.counts_only {
        return Ok(list);
    }
    let mut seen = std::collections::HashSet::new();
    let mut items: Vec<WorkItem> = Vec::with_capacity(rows.len());
    for raw in rows {
        if filter.kind.is_some_and(|k| k != raw.kind) || !seen.insert(raw.key.clone()) {
            continue;
        }
        items.push(finish(store, &days, raw)?);
    }
    items.sort_by(|a, b| {
        rank(a.light)
            .cmp(&rank(b.light))
            .then_with(|| a.due.is_none().cmp(&b.due.is_none()))
            .then_with(|| a.due.cmp(&b.due))
            .then_with(|| a.since.cmp(&b.since))
            .then_with(|| a.key.cmp(&b.key))
    });
    list.items = items;
    Ok(list)
}

/// The order of lights on the list: red, yellow, green, then no deadline.
fn rank(light: Option<Light>) -> u8 {
    match light {
        Some(Light::Red) => 0,
        Some(Light::Yellow) => 1,
        Some(Light::Green) => 2,
        _ => 3,
    }
}

/// A list with no rows and zero counts for the kinds `roles` can have.
fn empty(store: &Store, roles: &[Role]) -> Worklist {
    let kinds: Vec<WorkKind> = WorkKind::ALL.into_iter().filter(|k| kind_for(*k, roles)).collect();
    Worklist {
        today: store.clock().today().to_string(),
        items: Vec::new(),
        counts: kinds
            .into_iter()
            .map(|kind| KindCount { kind, label: kind.label().to_owned(), total: 0, red: 0, yellow: 0 })
            .collect(),
        total: 0,
        red: 0,
        yellow: 0,
    }
}

/// Whether a post can have work of this kind (the filter shows only those).
fn kind_for(kind: WorkKind, roles: &[Role]) -> bool {
    let any = |rs: &[Role]| rs.iter().any(|r| roles.contains(r));
    match kind {
        WorkKind::Complaint => any(&[Role::Petitions, Role::Supervision, Role::Investigation, Role::CaseManagement]),
        WorkKind::Approval => any(&[Role::Leader]),
        WorkKind::Execution => any(&[Role::CaseManagement, Role::Trial]),
        WorkKind::Rectification => any(&[Role::CaseManagement, Role::Supervision, Role::Trial]),
        WorkKind::ResultReport => any(&[Role::Petitions, Role::CaseManagement]),
        WorkKind::QuarterlyReport => any(&[Role::Supervision, Role::Investigation]),
        WorkKind::CrossOffice => any(&[Role::Petitions, Role::Leader, Role::CaseManagement]),
        WorkKind::Supervision => any(&[Role::Supervision]),
    }
}

/// Puts a row's words together and computes its light.
fn finish(store: &Store, days: &Days, raw: Raw) -> Result<WorkItem> {
    let due_date = raw.due.as_deref().map(parse_date).transpose()?;
    let (light, idle) = match (&raw.item, due_date) {
        (Some((status, last)), _) => {
            let last = last.as_deref().map(parse_date).transpose()?;
            let light = rules::item_light(*status, due_date, last, days.today);
            // Yellow for want of action rather than for a near deadline: say which.
            let idle = rules::item_idle(*status, due_date, last, days.today)
                .then(|| last.map(|l| (days.today - l).num_days()))
                .flatten();
            (light, idle)
        }
        (None, Some(d)) => (Some(deadlines::light(store.calendar(), "open", d, days.today)), None),
        (None, None) => (None, None),
    };
    let light_note = match (light, due_date) {
        (Some(l), Some(d)) => {
            // Execution and rectification items count calendar days, complaints working days.
            let (left, unit) = if raw.item.is_some() {
                ((d - days.today).num_days(), "天")
            } else {
                (deadlines::working_days_between(store.calendar(), days.today, d), "个工作日")
            };
            Some(match (l, idle) {
                (_, Some(n)) => format!("已 {n} 天未办理"),
                (Light::Red, _) => format!("已逾期 {} {unit}", -left.min(-1)),
                (Light::Yellow, _) if left <= 0 => "今天到期".to_owned(),
                (Light::Yellow, _) => format!("{left} {unit}内到期"),
                _ => format!("还有 {left} {unit}"),
            })
        }
        _ => None,
    };
    Ok(WorkItem {
        key: raw.key,
        kind: raw.kind,
        kind_label: raw.kind.label().to_owned(),
        task: raw.task,
        record: raw.record,
        summary: raw.summary,
        duty: raw.duty,
        deadline_label: raw.deadline.map(|k| k.label().to_owned()),
        due: raw.due,
        provisional: raw.provisional,
        light,
        light_note,
        since: raw.since,
        target: raw.target,
    })
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

/// Whether an execution or rectification row is to be submitted or reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Submit,
    Review,
}

/// The queries, with what they share: the connection, the office, the day, the viewer, and what
/// has been read so far.
struct Sources<'a> {
    conn: &'a Connection,
    office: &'a str,
    days: &'a Days,
    user: &'a str,
    rows: Vec<Raw>,
    /// Totals per kind: all rows, red, yellow.
    counts: HashMap<WorkKind, (u32, u32, u32)>,
}

/// Columns every complaint source selects, in this order, after its own: the complaint's id,
/// number, summary and people reported, its status, department, receipt date, and the earliest
/// open deadline among the source's kinds as `due|kind|provisional`.
const COMPLAINT_COLUMNS: &str = "c.id, c.number, c.summary,
     (SELECT group_concat(CASE WHEN s.name = '' THEN s.unit ELSE s.name || '（' || s.unit || s.post || '）' END, '、')
        FROM complaint_subjects s WHERE s.complaint_id = c.id) AS subjects,
     c.status, c.department, c.received_date";

/// The earliest open deadline of the complaint among `kinds` (SQL list of quoted kinds), as
/// `due|kind|provisional`, so that one column orders the rows and names the duty.
fn first_deadline(kinds: &str) -> String {
    format!(
        "(SELECT d.due_date || '|' || d.kind || '|' || d.provisional FROM deadlines d
          WHERE d.aggregate = 'complaint:' || c.id AND d.status = 'open' AND d.kind IN ({kinds})
          ORDER BY d.due_date LIMIT 1)"
    )
}

/// A complaint row as the complaint sources read it.
struct ComplaintRow {
    id: String,
    number: String,
    summary: String,
    subjects: Option<String>,
    status: String,
    department: Option<String>,
    received: String,
    deadline: Option<(String, DeadlineKind, bool)>,
    /// Source-specific extra columns (as text).
    extra: Vec<Option<String>>,
}

impl ComplaintRow {
    /// The summary with the people reported, as lists show it.
    fn about(&self) -> String {
        match self.subjects.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => format!("{}（被反映人：{s}）", self.summary),
            None => self.summary.clone(),
        }
    }
}

fn split_deadline(s: Option<String>) -> Result<Option<(String, DeadlineKind, bool)>> {
    let Some(s) = s else { return Ok(None) };
    let mut parts = s.splitn(3, '|');
    let due = parts.next().unwrap_or_default().to_owned();
    let kind = DeadlineKind::parse(parts.next().unwrap_or_default())?;
    let provisional = parts.next() == Some("1");
    Ok(Some((due, kind, provisional)))
}

impl Sources<'_> {
    /// Runs `inner` (a query whose columns end with `due` and `idle_from`, the date an execution
    /// item was last acted on, NULL for other work), keeping the [`PER_SOURCE`] most urgent rows
    /// and adding the whole match's totals to `kind`. `arg` is bound to `?1`.
    fn query<T>(
        &mut self,
        kind: WorkKind,
        inner: &str,
        arg: &str,
        mut map: impl FnMut(&rusqlite::Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let (today, idle) = (self.days.today.to_string(), &self.days.idle_since);
        // Execution and rectification items count their yellow days in calendar days (DOMAIN.md
        // §3), complaints in working days.
        let yellow = match kind {
            WorkKind::Execution | WorkKind::Rectification => &self.days.item_yellow_until,
            _ => &self.days.yellow_until,
        };
        // Dates are ours (YYYY-MM-DD), so they are written into the SQL; the rank repeats
        // `deadlines::light` and `rules::item_light` so that the cut keeps the most urgent rows.
        let sql = format!(
            "SELECT * FROM (
               SELECT q.*, count(*) OVER () AS total_rows,
                      sum(q.urgency = 0) OVER () AS red_rows, sum(q.urgency = 1) OVER () AS yellow_rows
               FROM (SELECT w.*, CASE WHEN w.due IS NULL THEN 3 WHEN w.due < '{today}' THEN 0
                                      WHEN w.due <= '{yellow}' OR w.idle_from <= '{idle}' THEN 1 ELSE 2 END AS urgency
                     FROM ({inner}) w) q)
             ORDER BY urgency, due IS NULL, due, since LIMIT {PER_SOURCE}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n = stmt.column_count();
        let mut rows = if sql.contains("?1") { stmt.query([arg])? } else { stmt.query([])? };
        let mut out = Vec::new();
        let mut totals = (0, 0, 0);
        while let Some(r) = rows.next()? {
            totals = (
                r.get(n - 3)?,
                r.get::<_, Option<u32>>(n - 2)?.unwrap_or(0),
                r.get::<_, Option<u32>>(n - 1)?.unwrap_or(0),
            );
            out.push(map(r)?);
        }
        let c = self.counts.entry(kind).or_default();
        c.0 += totals.0;
        c.1 += totals.1;
        c.2 += totals.2;
        Ok(out)
    }

    /// A complaint source: `filter` is the WHERE clause over `complaints c`, `kinds` the
    /// deadlines that make its urgency, `extra` more columns the caller reads.
    fn complaints(
        &mut self,
        kind: WorkKind,
        filter: &str,
        kinds: &str,
        extra: &[&str],
        arg: &str,
    ) -> Result<Vec<ComplaintRow>> {
        let extra_sql: String = extra.iter().map(|e| format!(", {e}")).collect();
        // The deadline column is read once per row and split by the wrapper into `due`.
        let inner = format!(
            "SELECT x.*, substr(x.dl, 1, 10) AS due, NULL AS idle_from, x.received_date AS since FROM (
               SELECT {COMPLAINT_COLUMNS}, {} AS dl{extra_sql}
               FROM complaints c WHERE c.owner_office = '{}' AND {filter}) x",
            first_deadline(kinds),
            self.office.replace('\'', ""),
        );
        let extra_n = extra.len();
        self.query(kind, &inner, arg, |r| {
            Ok(ComplaintRow {
                id: r.get(0)?,
                number: r.get(1)?,
                summary: r.get(2)?,
                subjects: r.get(3)?,
                status: r.get(4)?,
                department: r.get(5)?,
                received: r.get(6)?,
                deadline: split_deadline(r.get(7)?)?,
                extra: (0..extra_n).map(|i| r.get::<_, Option<String>>(8 + i)).collect::<rusqlite::Result<_>>()?,
            })
        })
    }

    fn push_complaint(&mut self, kind: WorkKind, key: &str, c: &ComplaintRow, task: String, duty: &str) {
        let (due, deadline, provisional) = match &c.deadline {
            Some((due, k, p)) => (Some(due.clone()), Some(*k), *p),
            None => (None, None, false),
        };
        self.rows.push(Raw {
            key: format!("{key}:{}", c.id),
            kind,
            task,
            record: c.number.clone(),
            summary: c.about(),
            duty: duty.to_owned(),
            deadline,
            due,
            provisional,
            item: None,
            since: c.received.clone(),
            target: WorkTarget::Complaint { id: c.id.clone() },
        });
    }

    /// 信访室: screening (a complaint handed over from another office is cross-office work),
    /// the acceptance notice, reporting upward or transferring downward, and result reports owed
    /// to the office above.
    fn petitions(&mut self) -> Result<()> {
        let duty = Role::Petitions.label();
        let office = self.office.replace('\'', "");
        // The office it came from by name; when the directory does not hold that office yet,
        // by its place relative to this one.
        let handed_over = format!(
            "(SELECT coalesce(o.name, CASE WHEN h.from_office = (SELECT parent_code FROM offices WHERE code = '{office}')
                                           THEN '上级机关' ELSE '其他机关' END)
              FROM ownership_changes h LEFT JOIN offices o ON o.code = h.from_office
              WHERE h.aggregate = 'complaint:' || c.id AND h.to_office = '{office}' ORDER BY h.epoch DESC LIMIT 1)"
        );
        for c in self.complaints(
            WorkKind::Complaint,
            &format!("c.status = 'registered' AND NOT EXISTS (SELECT 1 FROM ownership_changes h WHERE h.aggregate = 'complaint:' || c.id AND h.to_office = '{office}')"),
            "'acceptance_notice'",
            &[],
            "",
        )? {
            self.push_complaint(WorkKind::Complaint, "screen", &c, "筛选：决定受理移送、重复、报送、转送或不予受理".into(), duty);
        }
        for c in self.complaints(
            WorkKind::CrossOffice,
            &format!("c.status = 'registered' AND EXISTS (SELECT 1 FROM ownership_changes h WHERE h.aggregate = 'complaint:' || c.id AND h.to_office = '{office}')"),
            "'transfer_registration', 'acceptance_notice'",
            &[&handed_over],
            "",
        )? {
            let from = c.extra.first().cloned().flatten().unwrap_or_else(|| "其他机关".into());
            self.push_complaint(WorkKind::CrossOffice, "handed-over", &c, format!("筛选{from}移交来的检举控告"), duty);
        }
        for c in self.complaints(
            WorkKind::Complaint,
            "c.status <> 'registered' AND EXISTS (SELECT 1 FROM deadlines d WHERE d.aggregate = 'complaint:' || c.id
               AND d.status = 'open' AND d.kind = 'acceptance_notice')",
            "'acceptance_notice'",
            &[],
            "",
        )? {
            self.push_complaint(
                WorkKind::Complaint,
                "notify",
                &c,
                "告知实名检举人已受理（可签发受理告知书）".into(),
                duty,
            );
        }
        for c in self.complaints(
            WorkKind::Complaint,
            "EXISTS (SELECT 1 FROM deadlines d WHERE d.aggregate = 'complaint:' || c.id
               AND d.status = 'open' AND d.kind IN ('report_upward', 'transfer_downward'))",
            "'report_upward', 'transfer_downward'",
            &["c.refer_to"],
            "",
        )? {
            let task = match c.deadline.as_ref().map(|d| d.1) {
                Some(DeadlineKind::TransferDownward) => match c.extra.first().cloned().flatten() {
                    Some(to) if !to.is_empty() => format!("向下转送{to}，并记录转送"),
                    _ => "向下转送下级机关，并记录转送".to_owned(),
                },
                _ => "向上级机关报送，并记录报送".to_owned(),
            };
            self.push_complaint(WorkKind::Complaint, "forward", &c, task, duty);
        }
        for c in self.complaints(
            WorkKind::ResultReport,
            "EXISTS (SELECT 1 FROM deadlines d WHERE d.aggregate = 'complaint:' || c.id
               AND d.status = 'open' AND d.kind IN ('assignment_report', 'supervision_report'))",
            "'assignment_report', 'supervision_report'",
            &[],
            "",
        )? {
            let task = match c.deadline.as_ref().map(|d| d.1) {
                Some(DeadlineKind::SupervisionReport) => "向上级报告督办件的办理结果",
                _ => "向上级报告交办件的办理结果",
            };
            self.push_complaint(WorkKind::ResultReport, "report-result", &c, task.into(), duty);
        }
        Ok(())
    }

    /// 监督检查室 / 审查调查室: complaints with the department (the step its state calls for),
    /// result feedback owed to real-name reporters, and the quarterly report to petitions.
    fn department(&mut self, dept: Role) -> Result<()> {
        let duty = dept.label();
        let pending = "(SELECT a.action || '|' || a.params_json FROM approvals a
                        WHERE a.complaint_id = c.id AND a.status = 'pending' LIMIT 1)";
        for c in self.complaints(
            WorkKind::Complaint,
            "c.department = ?1 AND c.status IN ('with_department', 'inquiry', 'verification', 'held', 'case_filed')",
            "'inquiry_reply', 'trial_review', 'detention_end', 'detention_reminder'",
            &[pending, "c.disposal", "c.case_stage", "c.detention_start", "c.detention_ended"],
            dept.as_str(),
        )? {
            let status = ComplaintStatus::parse(&c.status)?;
            let waiting = c.extra.first().cloned().flatten();
            let disposal = c.extra.get(1).cloned().flatten();
            let stage = c.extra.get(2).cloned().flatten();
            let detained = c.extra.get(3).cloned().flatten().is_some() && c.extra.get(4).cloned().flatten().is_none();
            let task = match (status, waiting) {
                (_, Some(w)) if w.starts_with("detain|") || w.starts_with("extend_detention|") => {
                    format!("已报上一级机关批准{}，待上级机关批复", approval_label(self.conn, &w))
                }
                (_, Some(w)) => format!("已提请领导审批{}，待领导决定", approval_label(self.conn, &w)),
                (ComplaintStatus::WithDepartment, None) if disposal.as_deref() == Some("close") => {
                    "领导已批准予以了结：录入办理结果，办结".to_owned()
                }
                (ComplaintStatus::WithDepartment, None) => {
                    "待处置：经集体研究提出处置意见（谈话函询、初步核实、暂存待查、予以了结、立案）或退回".to_owned()
                }
                (ComplaintStatus::Inquiry, None) => "谈话函询：记录函询回复，形成结论后办结".to_owned(),
                (ComplaintStatus::Verification, None) => "初步核实：形成核实结论后办结".to_owned(),
                (ComplaintStatus::Held, None) => "暂存待查：定期复查，具备条件时办结".to_owned(),
                (ComplaintStatus::CaseFiled, None) if detained => {
                    "审查调查（留置中）：记录进展，按期解除留置".to_owned()
                }
                (ComplaintStatus::CaseFiled, None) => match stage.as_deref() {
                    Some("trial_accepted") => "审理：一个月内作出处理决定并记录".to_owned(),
                    Some("decided") => "已作出处理决定：录入办理结果，办结".to_owned(),
                    _ => "审查调查：记录进展（审查调查、移送审理、作出决定）".to_owned(),
                },
                _ => "办理".to_owned(),
            };
            self.push_complaint(WorkKind::Complaint, &format!("handle-{}", dept.as_str()), &c, task, duty);
        }
        for c in self.complaints(
            WorkKind::Complaint,
            "c.department = ?1 AND EXISTS (SELECT 1 FROM deadlines d WHERE d.aggregate = 'complaint:' || c.id
               AND d.status = 'open' AND d.kind = 'result_feedback')",
            "'result_feedback'",
            &[],
            dept.as_str(),
        )? {
            self.push_complaint(
                WorkKind::Complaint,
                &format!("feedback-{}", dept.as_str()),
                &c,
                "向实名检举人反馈办理结果（可签发结果反馈）".into(),
                duty,
            );
        }
        // `quarterly:<office>:<department>`; logs written before sync carry no office.
        let office = self.office.replace('\'', "");
        let inner = format!(
            "SELECT d.id, d.start_date, d.provisional, d.due_date AS due, NULL AS idle_from, d.start_date AS since
             FROM deadlines d
             WHERE d.kind = 'quarterly_report' AND d.status = 'open'
               AND (d.office_code = '{office}' OR d.office_code IS NULL)
               AND (d.aggregate = 'quarterly:{office}:' || ?1 OR d.aggregate = 'quarterly::' || ?1)"
        );
        let rows = self.query(WorkKind::QuarterlyReport, &inner, dept.as_str(), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, bool>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(1)?))
        })?;
        for (id, provisional, due, start) in rows {
            let quarter = id.rsplit(':').next().unwrap_or_default().to_owned();
            let words = quarter.replace('Q', "年第") + "季度";
            self.rows.push(Raw {
                key: format!("quarterly:{id}"),
                kind: WorkKind::QuarterlyReport,
                task: format!("向信访室报送{words}办结情况"),
                record: words,
                summary: format!("{}本季度办结的检举控告及其结果", dept.label()),
                duty: duty.to_owned(),
                deadline: Some(DeadlineKind::QuarterlyReport),
                due: Some(due),
                provisional,
                item: None,
                since: start,
                target: WorkTarget::QuarterlyReport { department: dept, quarter },
            });
        }
        Ok(())
    }

    /// 分管领导: approvals asked of this office by someone else, and steps taken elsewhere after
    /// a handover, for a leader of the office handling the case to settle.
    fn leader(&mut self) -> Result<()> {
        let names = crate::directory::officer_names(self.conn)?;
        let office = self.office.replace('\'', "");
        let inner = format!(
            "SELECT a.id AS approval_id, a.action, a.params_json, a.requested_by, substr(a.requested_at, 1, 10) AS requested,
                    c.id, c.number, c.summary,
                    (SELECT group_concat(CASE WHEN s.name = '' THEN s.unit ELSE s.name || '（' || s.unit || s.post || '）' END, '、')
                       FROM complaint_subjects s WHERE s.complaint_id = c.id) AS subjects,
                    {dl} AS dl, substr({dl}, 1, 10) AS due, NULL AS idle_from, substr(a.requested_at, 1, 10) AS since,
                    CASE WHEN c.owner_office <> '{office}' THEN (SELECT name FROM offices WHERE code = c.owner_office) END
                      AS from_office
             FROM approvals a JOIN complaints c ON c.id = a.complaint_id
             WHERE a.status = 'pending' AND a.requested_by <> ?1 AND coalesce(a.office_code, c.owner_office) = '{office}'",
            // A request from an office below carries none of this office's deadlines: the case's
            // duties are that office's, not the deciding leader's.
            dl = format!(
                "(CASE WHEN c.owner_office = '{office}' THEN {} END)",
                first_deadline(
                    "'acceptance_notice', 'report_upward', 'transfer_downward', 'transfer_registration', 'inquiry_reply', 'result_feedback', 'trial_review',
                      'detention_end', 'detention_reminder', 'assignment_report', 'supervision_report'"
                )
            ),
        );
        let user = self.user.to_owned();
        let rows = self.query(WorkKind::Approval, &inner, &user, |r| {
            Ok((
                r.get::<_, String>(0)?,
                format!("{}|{}", r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                r.get::<_, String>(3)?,
                ComplaintRow {
                    id: r.get(5)?,
                    number: r.get(6)?,
                    summary: r.get(7)?,
                    subjects: r.get(8)?,
                    status: String::new(),
                    department: None,
                    received: r.get(4)?,
                    deadline: split_deadline(r.get(9)?)?,
                    extra: vec![r.get(13)?],
                },
            ))
        })?;
        for (approval, action, by, c) in rows {
            let by = names.get(&by).cloned().unwrap_or_else(|| "承办部门".into());
            // A request from an office below (留置) names that office; never its reporter.
            let task = match c.extra.first().cloned().flatten() {
                Some(from) => format!("审批{from}的请示：{}（{by}提请）", approval_label(self.conn, &action)),
                None => format!("审批：{}（{by}提请）", approval_label(self.conn, &action)),
            };
            self.push_complaint(WorkKind::Approval, &format!("approval:{approval}"), &c, task, Role::Leader.label());
        }

        // Conflicts: listed for the office that handles the case now.
        let inner = format!(
            "SELECT k.event_id, k.origin_office, o.name AS office_name, c.id, c.number, c.summary,
                    NULL AS due, NULL AS idle_from, substr(k.raised_at, 1, 10) AS since
             FROM conflicts k JOIN complaints c ON 'complaint:' || c.id = k.aggregate
             LEFT JOIN offices o ON o.code = k.origin_office
             WHERE k.status = 'open' AND c.owner_office = '{office}'"
        );
        let rows = self.query(WorkKind::CrossOffice, &inner, "", |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(2)?.unwrap_or(r.get::<_, String>(1)?),
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(8)?,
            ))
        })?;
        for (event, from, id, number, summary, since) in rows {
            self.rows.push(Raw {
                key: format!("conflict:{event}"),
                kind: WorkKind::CrossOffice,
                task: format!("处理冲突：{from}在移交后仍办理了一步，决定采纳或不予采纳"),
                record: number,
                summary,
                duty: Role::Leader.label().to_owned(),
                deadline: None,
                due: None,
                provisional: false,
                item: None,
                since,
                target: WorkTarget::Complaint { id },
            });
        }
        Ok(())
    }

    /// 案件监督管理室: overdue complaint duties of any department, to chase (督办), and result
    /// reports the offices below owe this office and have let run past their date.
    fn case_management(&mut self) -> Result<()> {
        let today = self.days.today.to_string();
        let office = self.office.replace('\'', "");
        let inner = format!(
            "SELECT d.id AS deadline_id, d.kind, d.provisional, c.id, c.number, c.summary, c.department,
                    (SELECT group_concat(CASE WHEN s.name = '' THEN s.unit ELSE s.name || '（' || s.unit || s.post || '）' END, '、')
                       FROM complaint_subjects s WHERE s.complaint_id = c.id) AS subjects,
                    c.received_date, o.name AS owner_name,
                    d.due_date AS due, NULL AS idle_from, d.start_date AS since
             FROM deadlines d JOIN complaints c ON 'complaint:' || c.id = d.aggregate
             LEFT JOIN offices o ON o.code = d.office_code
             WHERE {{WHO}} = '{office}' AND d.status = 'open' AND d.due_date < '{today}'
               AND d.aggregate LIKE 'complaint:%'"
        );
        for (watch, kind) in [("d.office_code", WorkKind::Complaint), ("d.watch_office", WorkKind::ResultReport)] {
            let sql = inner.replace("{WHO}", watch);
            let rows = self.query(kind, &sql, "", |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    DeadlineKind::parse(&r.get::<_, String>(1)?)?,
                    r.get::<_, bool>(2)?,
                    deadline_complaint(r)?,
                    r.get::<_, String>(10)?,
                ))
            })?;
            for (deadline_id, dk, provisional, mut c, due) in rows {
                c.deadline = Some((due, dk, provisional));
                let (task, duty) = if kind == WorkKind::ResultReport {
                    let owner = c.extra.first().cloned().flatten().unwrap_or_else(|| "下级机关".into());
                    (format!("催报：{owner}逾期未报告{}", dk.label()), owner)
                } else {
                    let duty = duty_of(dk, c.department.as_deref());
                    (format!("督办：{duty}的{}已逾期", dk.label()), duty)
                };
                let key = if kind == WorkKind::ResultReport { "chase" } else { "overdue" };
                self.push_complaint(kind, &format!("{key}:{deadline_id}"), &c, task, &duty);
            }
        }
        self.followed_detentions()
    }

    /// 案件监督管理室 of an office above: detentions it approved for an office below, followed to
    /// their end (seed 003: the province reminds the city "距离留置最后期限还有10天"). One row per
    /// case, its deadline the earliest open one: the reminder ten days before the end, then the end.
    fn followed_detentions(&mut self) -> Result<()> {
        let office = self.office.replace('\'', "");
        let today = self.days.today.to_string();
        let inner = format!(
            "SELECT c.id, c.number, c.summary,
                    (SELECT group_concat(CASE WHEN s.name = '' THEN s.unit ELSE s.name || '（' || s.unit || s.post || '）' END, '、')
                       FROM complaint_subjects s WHERE s.complaint_id = c.id) AS subjects,
                    c.received_date, o.name AS owner_name,
                    (SELECT e.due_date FROM deadlines e WHERE e.aggregate = d.aggregate AND e.kind = 'detention_end'
                       AND e.status = 'open') AS end_date,
                    d.kind, d.provisional, d.due_date AS due, NULL AS idle_from, d.start_date AS since
             FROM deadlines d JOIN complaints c ON 'complaint:' || c.id = d.aggregate
             LEFT JOIN offices o ON o.code = c.owner_office
             WHERE d.watch_office = '{office}' AND d.status = 'open'
               AND d.kind = CASE WHEN EXISTS (SELECT 1 FROM deadlines r WHERE r.aggregate = d.aggregate
                   AND r.kind = 'detention_reminder' AND r.status = 'open' AND r.due_date > '{today}')
                 THEN 'detention_reminder' ELSE 'detention_end' END"
        );
        let rows = self.query(WorkKind::CrossOffice, &inner, "", |r| {
            Ok((
                ComplaintRow {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    summary: r.get(2)?,
                    subjects: r.get(3)?,
                    status: String::new(),
                    department: None,
                    received: r.get(4)?,
                    deadline: None,
                    extra: vec![r.get(5)?],
                },
                r.get::<_, Option<String>>(6)?,
                DeadlineKind::parse(&r.get::<_, String>(7)?)?,
                r.get::<_, bool>(8)?,
                r.get::<_, String>(9)?,
            ))
        })?;
        for (mut c, end, dk, provisional, due) in rows {
            let owner = c.extra.first().cloned().flatten().unwrap_or_else(|| "下级机关".into());
            let end = end.unwrap_or_else(|| due.clone());
            let task = if dk == DeadlineKind::DetentionReminder {
                format!("跟踪本机关批准的留置：{owner}的留置 {end} 期满")
            } else {
                format!("提醒{owner}：留置将于 {end} 期满，请按期解除或依法处理")
            };
            c.deadline = Some((due, dk, provisional));
            self.push_complaint(WorkKind::CrossOffice, "detention", &c, task, &owner);
        }
        Ok(())
    }

    /// Result reports an office below sent for a complaint this office assigned or supervised,
    /// waiting for this office's review (审核把关): accept or send back, by the review's own date.
    /// The posts that may ask for either review it (信访室、案件监督管理室).
    fn result_reviews(&mut self) -> Result<()> {
        let office = self.office.replace('\'', "");
        let inner = format!(
            "SELECT d.id AS deadline_id, d.kind, d.provisional, c.id, c.number, c.summary, c.department,
                    (SELECT group_concat(CASE WHEN s.name = '' THEN s.unit ELSE s.name || '（' || s.unit || s.post || '）' END, '、')
                       FROM complaint_subjects s WHERE s.complaint_id = c.id) AS subjects,
                    c.received_date, coalesce(o.name, '下级机关') AS owner_name,
                    d.due_date AS due, NULL AS idle_from, d.start_date AS since
             FROM deadlines d JOIN complaints c ON 'complaint:' || c.id = d.aggregate
             LEFT JOIN ownership w ON w.aggregate = d.aggregate
             LEFT JOIN offices o ON o.code = coalesce(w.owner_office, c.owner_office)
             WHERE d.kind = 'result_review' AND d.office_code = '{office}' AND d.status = 'open'"
        );
        let rows = self.query(WorkKind::ResultReport, &inner, "", |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, bool>(2)?, deadline_complaint(r)?, r.get::<_, String>(10)?))
        })?;
        let duty = format!("{}或{}", Role::Petitions.label(), Role::CaseManagement.label());
        for (deadline_id, provisional, mut c, due) in rows {
            c.deadline = Some((due, DeadlineKind::ResultReview, provisional));
            let owner = c.extra.first().cloned().flatten().unwrap_or_else(|| "下级机关".into());
            let task = format!("审核结果报告：{owner}已上报办理结果，请采纳或退回重报");
            self.push_complaint(WorkKind::ResultReport, &format!("review:{deadline_id}"), &c, task, &duty);
        }
        Ok(())
    }

    /// Execution or rectification items: to submit for the responsible unit (open or sent back),
    /// or to review (submitted by someone else).
    fn items(&mut self, scope: ChecklistScope, step: Step) -> Result<()> {
        let kind = match scope {
            ChecklistScope::Penalty => WorkKind::Execution,
            ChecklistScope::Rectification => WorkKind::Rectification,
        };
        let office = self.office.replace('\'', "");
        let statuses = match step {
            Step::Submit => "('open', 'rejected')",
            Step::Review => "('submitted')",
        };
        let reviewer = match step {
            Step::Submit => "",
            Step::Review => "AND coalesce(i.submitted_by, '') <> ?1",
        };
        let inner = format!(
            "SELECT c.id, c.title, c.decision_number, c.person_name, c.penalty_label, i.ord, i.title AS item_title,
                    i.responsible_unit, i.status, i.review_note, d.provisional, d.kind AS deadline_kind,
                    d.due_date AS due,
                    i.last_action_date AS idle_from,
                    coalesce(i.last_action_date, c.start_date) AS since, i.last_action_date
             FROM checklist_items i JOIN checklists c ON c.id = i.checklist_id
             LEFT JOIN deadlines d ON d.id = i.deadline_id
             WHERE c.office_code = '{office}' AND c.status = 'open' AND c.scope = '{}'
               AND i.status IN {statuses} {reviewer}",
            scope.as_str()
        );
        let user = self.user.to_owned();
        let rows = self.query(kind, &inner, &user, |r| {
            Ok(ItemRow {
                checklist: r.get(0)?,
                title: r.get(1)?,
                decision_number: r.get(2)?,
                person: r.get(3)?,
                penalty: r.get(4)?,
                ord: r.get(5)?,
                item: r.get(6)?,
                unit: r.get(7)?,
                status: ItemStatus::parse(&r.get::<_, String>(8)?)?,
                review_note: r.get(9)?,
                provisional: r.get::<_, Option<bool>>(10)?.unwrap_or(false),
                deadline: r.get::<_, Option<String>>(11)?.map(|k| DeadlineKind::parse(&k)).transpose()?,
                due: r.get(12)?,
                since: r.get(14)?,
                last_action: r.get(15)?,
            })
        })?;
        for i in rows {
            let task = match (step, i.status) {
                (Step::Review, _) => format!("审核{}已提交的第 {} 项：{}", i.unit, i.ord, i.item),
                (Step::Submit, ItemStatus::Rejected) => match i.review_note.as_deref().filter(|n| !n.is_empty()) {
                    Some(note) => format!("第 {} 项被驳回，督促整改后重新提交（{note}）：{}", i.ord, i.item),
                    None => format!("第 {} 项被驳回，督促整改后重新提交：{}", i.ord, i.item),
                },
                (Step::Submit, _) => format!("督促{}办理并提交第 {} 项：{}", i.unit, i.ord, i.item),
            };
            let (record, summary, target) = match scope {
                ChecklistScope::Penalty => (
                    i.decision_number.clone().unwrap_or_else(|| i.title.clone()),
                    format!("{}，{}", i.person.clone().unwrap_or_default(), i.penalty.clone().unwrap_or_default()),
                    WorkTarget::Penalty { id: i.checklist.clone() },
                ),
                ChecklistScope::Rectification => {
                    (i.title.clone(), i.item.clone(), WorkTarget::Rectification { id: i.checklist.clone() })
                }
            };
            let duty = match step {
                Step::Submit => format!("{}（责任单位）", i.unit),
                Step::Review => match scope {
                    ChecklistScope::Penalty => Role::Trial.label().to_owned(),
                    ChecklistScope::Rectification => "案件审理室或监督检查室".to_owned(),
                },
            };
            let step_key = if step == Step::Submit { "submit" } else { "review" };
            self.rows.push(Raw {
                key: format!("item:{}:{}:{step_key}", i.checklist, i.ord),
                kind,
                task,
                record,
                summary,
                duty,
                deadline: i.deadline,
                due: i.due,
                provisional: i.provisional,
                item: Some((i.status, i.last_action)),
                since: i.since,
                target,
            });
        }
        Ok(())
    }
}

impl Sources<'_> {
    /// Supervision letters (监督检查室): a draft to issue, a feedback owed (red once late: remind
    /// the unit), a feedback recorded and waiting to be accepted or sent back. The task is the step
    /// `supervision::workflow` offers in that state; the light is the feedback deadline's.
    fn letters(&mut self) -> Result<()> {
        let office = self.office.replace('\'', "");
        let inner = format!(
            "SELECT l.id, l.kind, l.unit, l.title, l.status, l.number, l.feedback_round, d.due_date AS due,
                    coalesce(d.provisional, 0) AS provisional, NULL AS idle_from,
                    coalesce(l.due_date, substr(l.created_at, 1, 10)) AS since
             FROM supervision_letters l
             LEFT JOIN deadlines d ON d.id = 'letter_feedback:' || l.id || ':' || l.feedback_round AND d.status = 'open'
             WHERE l.office_code = '{office}' AND l.status IN ('drafted', 'issued', 'feedback')"
        );
        let rows = self.query(WorkKind::Supervision, &inner, "", |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, bool>(8)?,
                r.get::<_, String>(10)?,
            ))
        })?;
        for (id, kind, unit, title, status, number, round, due, provisional, since) in rows {
            let what = if kind == "reminder" { "提醒函" } else { "监督建议书" };
            let late = due.as_deref().is_some_and(|d| d < self.days.today.to_string().as_str());
            let (task, duty) = match status.as_str() {
                "drafted" => (format!("签发{what}"), Role::Supervision.label().to_owned()),
                "feedback" => {
                    (format!("审核{unit}第 {round} 次反馈：采纳或退回"), Role::Supervision.label().to_owned())
                }
                _ if late => (format!("{unit}逾期未反馈，请催办"), format!("{unit}（被监督单位）")),
                _ => (format!("等待{unit}第 {round} 次反馈"), format!("{unit}（被监督单位）")),
            };
            self.rows.push(Raw {
                key: format!("letter:{id}"),
                kind: WorkKind::Supervision,
                task,
                record: number.unwrap_or_else(|| format!("{what}（未签发）")),
                summary: title,
                duty,
                deadline: due.is_some().then_some(DeadlineKind::LetterFeedback),
                due,
                provisional,
                item: None,
                since,
                target: WorkTarget::Letter { id },
            });
        }
        Ok(())
    }
}

struct ItemRow {
    checklist: String,
    title: String,
    decision_number: Option<String>,
    person: Option<String>,
    penalty: Option<String>,
    ord: u32,
    item: String,
    unit: String,
    status: ItemStatus,
    review_note: Option<String>,
    provisional: bool,
    deadline: Option<DeadlineKind>,
    due: Option<String>,
    since: String,
    last_action: Option<String>,
}

/// Whose duty a complaint deadline is: petitions for the duties to the reporter at intake and to
/// the offices above, the handling department for the rest.
fn duty_of(kind: DeadlineKind, department: Option<&str>) -> String {
    match kind {
        DeadlineKind::AcceptanceNotice
        | DeadlineKind::ReportUpward
        | DeadlineKind::TransferDownward
        | DeadlineKind::TransferRegistration
        | DeadlineKind::AssignmentReport
        | DeadlineKind::SupervisionReport => Role::Petitions.label().to_owned(),
        _ => department.and_then(|d| Role::parse(d).ok()).map_or("承办部门".to_owned(), |r| r.label().to_owned()),
    }
}

/// An approval's step in words, from `action|params_json` as stored.
fn approval_label(conn: &Connection, stored: &str) -> String {
    let (action, params) = stored.split_once('|').unwrap_or((stored, "{}"));
    if action == "return" {
        return "退回信访室".into();
    }
    match serde_json::from_str::<ApprovalAction>(params) {
        Ok(ApprovalAction::Dispose { method, .. }) => method.label().to_owned(),
        Ok(ApprovalAction::Assign { to_office, .. }) => {
            let name: Option<String> = conn
                .prepare_cached("SELECT name FROM offices WHERE code = ?1")
                .and_then(|mut s| s.query_row([&to_office], |r| r.get(0)))
                .ok();
            format!("交办{}", name.unwrap_or(to_office))
        }
        Ok(ApprovalAction::Supervise { .. }) => "督办".to_owned(),
        Ok(ApprovalAction::Detain) => "采取留置措施".to_owned(),
        Ok(ApprovalAction::ExtendDetention) => "延长留置 3 个月".to_owned(),
        Ok(ApprovalAction::Lateral { to_office }) => {
            let name = crate::directory::display_name(conn, &to_office).unwrap_or(to_office);
            format!("平级移交{name}")
        }
        _ => match action {
            "dispose" => "处置意见".to_owned(),
            "assign" => "交办".to_owned(),
            "supervise" => "督办".to_owned(),
            other => other.to_owned(),
        },
    }
}

/// The complaint of a deadline row whose columns 3–9 are the complaint's id, number, summary,
/// department, subjects, received date and the office handling it (the two deadline queries
/// that follow another office's work read it alike).
fn deadline_complaint(r: &rusqlite::Row<'_>) -> rusqlite::Result<ComplaintRow> {
    Ok(ComplaintRow {
        id: r.get(3)?,
        number: r.get(4)?,
        summary: r.get(5)?,
        subjects: r.get(7)?,
        status: String::new(),
        department: r.get(6)?,
        received: r.get(8)?,
        deadline: None,
        extra: vec![r.get(9)?],
    })
}
