//! Complaint commands: each loads the complaint's state inside the transaction (`state`), asks
//! `workflow::decide` for the events (or the refusal), and appends them through `Store::execute`,
//! so an illegal step is refused with a reason and leaves nothing behind. The rules themselves
//! live in `workflow`; what stays here is what needs the database (numbers, settings, the
//! directory) and the checks of a registration form where it enters.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::events::ComplaintEvent;
use super::model::*;
use super::state;
use super::workflow::{self, Command, Complaint, Dated, Decided};
use crate::authz::{Action, Actor, ComplaintAct};
use crate::clock::business_zone;
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::identity::Role;
use crate::input::{bounded, required};
use crate::store::{Ctx, Decision, Store};

/// Limits that keep a single complaint within what screens and notices can show.
const MAX_SUMMARY_CHARS: usize = 100;
pub(crate) const MAX_CONTENT_CHARS: usize = 20_000;
const MAX_SUBJECTS: usize = 50;

/// The state of a complaint this office is about to act on: refused, with the office that has
/// it, when the case was handed to another office.
pub(crate) fn current(conn: &Connection, id: &str) -> Result<Complaint> {
    let c = state::existing(conn, id)?;
    let own: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'office_code'", [], |r| r.get(0)).optional()?;
    if let Some(own) = own {
        crate::ownership::ensure_owned(conn, &workflow::aggregate(id), &own)?;
    }
    Ok(c)
}

fn today(ctx: &Ctx) -> NaiveDate {
    ctx.now.with_timezone(&business_zone()).date_naive()
}

/// The events a decision appends: the complaint's own, then the handover it offers. Handing the
/// case over re-seals the reporter to the receiving office first, just before the step that hands
/// it over (or holds the hand-over while that office has no key: `sealing::hand_over`).
fn encode(tx: &rusqlite::Transaction<'_>, id: &str, decided: Decided) -> Result<Vec<NewEvent>> {
    let agg = workflow::aggregate(id);
    let mut out = decided.events.iter().map(ComplaintEvent::encode_on_complaint).collect::<Result<Vec<_>>>()?;
    if let Some(offer) = decided.offer {
        let h = crate::sealing::hand_over(
            tx,
            id,
            crate::projector::OwnershipOffered {
                aggregate: agg,
                to_office: offer.to_office,
                reason: offer.reason,
                basis: offer.basis,
            },
        )?;
        if let Some(reseal) = h.reseal {
            out.insert(out.len().saturating_sub(1), reseal);
        }
        out.push(h.offer);
    }
    Ok(out)
}

/// Takes one step on complaint `id`: load → decide → `Store::execute`. `prepare` may adjust the
/// command with what only the database knows (the office's settings), after the step's check.
fn step_with(
    store: &mut Store,
    actor: &Actor,
    id: &str,
    command: Command,
    prepare: impl FnOnce(&rusqlite::Transaction<'_>, Command) -> Result<Command>,
) -> Result<()> {
    let own = store.office()?;
    let action = workflow::action(&state::existing(store.conn(), id)?, &own, command.step())?;
    store.execute(actor, action, |tx, ctx| {
        let c = state::existing(tx, id)?;
        let office = state::office(tx, &own)?;
        workflow::check(&c, &office, actor, command.step())?;
        let command = prepare(tx, command)?;
        let decided = workflow::decide(&c, &office, actor, &command, today(ctx))?;
        Ok(Decision::events(encode(tx, id, decided)?))
    })?;
    Ok(())
}

fn step(store: &mut Store, actor: &Actor, id: &str, command: Command) -> Result<()> {
    step_with(store, actor, id, command, |_, c| Ok(c))
}

fn dated(date: &str, note: &str) -> Dated {
    Dated { date: date.to_owned(), note: note.to_owned() }
}

/// Parses the receipt time: RFC 3339, or a date (start of the day, Beijing time).
fn receipt_time(text: &str) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    let d = qingfeng_calendar::parse_date(text)?;
    business_zone()
        .from_local_datetime(&d.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| CoreError::invalid(format!("收到时间“{text}”无效。")))
}

/// Checks a registration form and returns it cleaned (trimmed, empty optional fields dropped).
pub(crate) fn validate_form(
    form: &RegisterComplaint,
    now: DateTime<Utc>,
) -> Result<(RegisterComplaint, DateTime<Utc>)> {
    let received = receipt_time(&form.received_at)?;
    // A few minutes of clock difference between a phone and this machine is not a future date.
    if received > now + chrono::Duration::minutes(5) {
        return Err(CoreError::invalid("收到时间晚于当前时间，请填写实际收到检举控告的时间。"));
    }
    let mut f = form.clone();
    f.summary = required("摘要（事由）", &f.summary, MAX_SUMMARY_CHARS)?;
    f.content = required("检举控告内容", &f.content, MAX_CONTENT_CHARS)?;
    f.categories = f.categories.iter().map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
    for c in &f.categories {
        crate::input::check_line("问题类别", c)?;
    }
    if f.subjects.is_empty() {
        return Err(CoreError::invalid("请至少填写一名被反映人或一个被反映单位。"));
    }
    if f.subjects.len() > MAX_SUBJECTS {
        return Err(CoreError::invalid(format!("被反映人不能超过 {MAX_SUBJECTS} 个。")));
    }
    for s in &mut f.subjects {
        s.name = s.name.trim().to_owned();
        s.unit = s.unit.trim().to_owned();
        s.post = s.post.trim().to_owned();
        s.level = s.level.trim().to_owned();
        if s.name.is_empty() && s.unit.is_empty() {
            return Err(CoreError::invalid("每个被反映人须填写姓名或单位。"));
        }
        crate::input::check_line("被反映人姓名", &s.name)?;
        crate::input::check_line("被反映人职务", &s.post)?;
        crate::input::check_line("被反映人单位", &s.unit)?;
        crate::input::check_line("被反映人干部管理层级", &s.level)?;
    }
    if let Some(r) = &mut f.reporter {
        r.name = r.name.trim().to_owned();
        r.contact = r.contact.trim().to_owned();
        r.unit = r.unit.take().map(|u| u.trim().to_owned()).filter(|u| !u.is_empty());
        r.address = r.address.take().map(|a| a.trim().to_owned()).filter(|a| !a.is_empty());
        crate::input::check_line("检举人姓名", &r.name)?;
        crate::input::check_line("检举人联系方式", &r.contact)?;
        if let Some(u) = &r.unit {
            crate::input::check_line("检举人单位", u)?;
        }
        if let Some(a) = &r.address {
            crate::input::check_line("检举人地址", a)?;
        }
    }
    super::limits::check_form(&f)?;
    match (&f.reporter, f.real_name) {
        (None, true) => return Err(CoreError::invalid("实名检举须填写检举人姓名和联系方式；匿名检举请取消“实名”。")),
        (Some(r), true) if r.name.is_empty() || r.contact.is_empty() => {
            return Err(CoreError::invalid("实名检举须填写检举人姓名（或单位名称）和具体联系方式。"));
        }
        _ => {}
    }
    match f.real_name_verified.as_deref().map(str::trim) {
        None | Some("") => f.real_name_verified = None,
        Some("phone" | "in_person") if f.real_name => {}
        Some("phone" | "in_person") => return Err(CoreError::invalid("只有实名检举才记录核实方式。")),
        Some(other) => {
            return Err(CoreError::invalid(format!(
                "不认识的核实方式“{other}”：可选 phone（电话核实）或 in_person（当面核实）。"
            )));
        }
    }
    Ok((f, received))
}

/// Registers a complaint (信访室) and returns its id.
pub fn register(store: &mut Store, actor: &Actor, form: &RegisterComplaint) -> Result<String> {
    let mut ids = register_many(store, actor, std::slice::from_ref(form))?;
    ids.pop().ok_or_else(|| CoreError::Encoding("registration produced no id".into()))
}

/// Registers several complaints in one transaction (e.g. importing a register kept on paper):
/// all are validated first, and if any is refused none is saved.
pub fn register_many(store: &mut Store, actor: &Actor, forms: &[RegisterComplaint]) -> Result<Vec<String>> {
    let office = store.office()?;
    let now = store.clock().now();
    let mut checked = Vec::with_capacity(forms.len());
    for (i, form) in forms.iter().enumerate() {
        let (form, received) = validate_form(form, now).map_err(|e| match e {
            CoreError::Invalid(m) if forms.len() > 1 => CoreError::invalid(format!("第 {} 件：{m}", i + 1)),
            other => other,
        })?;
        checked.push((uuid::Uuid::now_v7().to_string(), form, received));
    }
    store.execute(actor, Action::Complaint { office: office.clone(), act: ComplaintAct::Register }, |tx, _ctx| {
        let mut numbers = Numbering::new(tx, &office)?;
        let mut events = Vec::with_capacity(checked.len());
        for (id, form, received) in &checked {
            // Categories come from the key-problem catalogue in force (重点问题目录).
            crate::analysis::catalogue::check_categories(tx, &form.categories)?;
            if let Some(earlier) = &form.repeat_of
                && !checked.iter().any(|(other, ..)| other == earlier)
            {
                current(tx, earlier)?;
            }
            events.push(numbers.registration(tx, id, form, *received)?);
        }
        Ok(Decision::events(events))
    })?;
    Ok(checked.into_iter().map(|(id, ..)| id).collect())
}

/// Gives registrations their numbers and seals their reporters, for one transaction: what
/// registering by hand and importing an older platform's records share.
pub(crate) struct Numbering {
    office: String,
    /// Numbers run per office and per year of receipt (530102-2026-00001): the last given per
    /// prefix in this transaction.
    next: std::collections::HashMap<String, i64>,
    route: Vec<String>,
}

impl Numbering {
    pub(crate) fn new(tx: &rusqlite::Transaction<'_>, office: &str) -> Result<Self> {
        Ok(Numbering {
            office: office.to_owned(),
            next: std::collections::HashMap::new(),
            route: crate::sealing::route(tx, office)?,
        })
    }

    /// The `complaint.registered` event of a checked form (`validate_form`).
    pub(crate) fn registration(
        &mut self,
        tx: &rusqlite::Transaction<'_>,
        id: &str,
        form: &RegisterComplaint,
        received: DateTime<Utc>,
    ) -> Result<NewEvent> {
        let office = &self.office;
        let received_date = received.with_timezone(&business_zone()).date_naive();
        let prefix = format!("{office}-{}-", received_date.format("%Y"));
        let n = match self.next.get_mut(&prefix) {
            Some(n) => n,
            None => {
                let last: i64 = tx
                    .query_row("SELECT last FROM complaint_counters WHERE prefix = ?1", [&prefix], |r| r.get(0))
                    .optional()?
                    .unwrap_or(0);
                self.next.entry(prefix.clone()).or_insert(last)
            }
        };
        *n += 1;
        // The reporter leaves this office only sealed: to this office and the offices above
        // it whose keys are known (the others get it once their keys arrive).
        let mut form = form.clone();
        let sealed_identity = match form.reporter.take() {
            Some(reporter) => Some(
                crate::sealing::seal_value(
                    tx,
                    &crate::sealing::SealedIdentity { reporter },
                    &self.route,
                    &crate::sealing::identity_binding(id),
                )?
                .0,
            ),
            None => None,
        };
        let notice_rule = workflow::notice_rule(&form);
        ComplaintEvent::Registered(Box::new(Registered {
            complaint_id: id.to_owned(),
            number: format!("{prefix}{:05}", *n),
            office_code: office.clone(),
            received_at: received.to_rfc3339(),
            received_date: received_date.to_string(),
            form,
            sealed_identity,
            notice_rule,
        }))
        .encode_on_complaint()
    }
}

/// A screening decision (信访室).
#[derive(Debug, Clone)]
pub struct Screening {
    pub outcome: ScreeningOutcome,
    /// The handling department, for `AcceptTransfer`.
    pub department: Option<Role>,
    pub reason: String,
    /// Where the reporter should go (not accepted), or the office it goes to (up or down).
    pub refer_to: Option<String>,
    /// The earlier complaint, for `Repeat`.
    pub repeat_of: Option<String>,
}

/// Screens a registered complaint.
pub fn screen(store: &mut Store, actor: &Actor, id: &str, s: &Screening) -> Result<()> {
    let command = Command::Screen {
        outcome: s.outcome,
        department: s.department,
        reason: s.reason.clone(),
        refer_to: s.refer_to.clone(),
        repeat_of: s.repeat_of.clone(),
    };
    step_with(store, actor, id, command, |tx, command| {
        // The earlier complaint of a repeat must be one this replica holds, whoever owns it.
        if let (ScreeningOutcome::Repeat, Some(earlier)) = (s.outcome, s.repeat_of.as_deref())
            && earlier != id
        {
            state::existing(tx, earlier)?;
        }
        Ok(command)
    })
}

/// Records that a real-name reporter was told the complaint was accepted (受理告知).
pub fn record_acceptance_notice(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    step(store, actor, id, Command::NotifyAcceptance(dated(date, note)))
}

/// Records that a complaint was sent up or forwarded down.
pub fn record_forwarded(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    step(store, actor, id, Command::RecordForwarded(dated(date, note)))
}

/// The offices below `office` in this replica's directory, nearest first, with their names.
pub fn offices_below(conn: &Connection, office: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "WITH RECURSIVE below (code, name, depth) AS (
             SELECT code, name, 1 FROM offices WHERE parent_code = ?1
             UNION ALL
             SELECT o.code, o.name, b.depth + 1 FROM offices o JOIN below b ON o.parent_code = b.code
             WHERE b.depth < 8)
         SELECT code, name FROM below ORDER BY depth, code",
    )?;
    Ok(stmt.query_map([office], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?)
}

/// The report period a demand names, or the office's configured default, within the allowed range.
fn report_days(conn: &Connection, given: Option<u32>, setting: &str) -> Result<u32> {
    let def = crate::settings::def(setting)?;
    let days = match given {
        Some(d) => d,
        None => crate::settings::get(conn, setting)?,
    };
    if !(def.min..=def.max).contains(&days) {
        return Err(CoreError::invalid(format!(
            "报告期限应为 {} 至 {} 个工作日，现填 {days} 个工作日。",
            def.min, def.max
        )));
    }
    Ok(days)
}

/// Asks a leader to approve a step. Returns the approval id.
///
/// - A return or a disposal: the handling department, at the office that owns the complaint.
/// - An assignment to an office below (交办): petitions, before screening, at the owning office.
/// - A supervision (督办): petitions or case management at an office above the one that owns the
///   complaint; it is recorded as a grow-only step, so it never competes with the owner's work.
pub fn request_approval(
    store: &mut Store,
    actor: &Actor,
    id: &str,
    request: &ApprovalAction,
    reason: &str,
) -> Result<String> {
    let approval_id = uuid::Uuid::now_v7().to_string();
    let command =
        Command::Request { approval_id: approval_id.clone(), request: request.clone(), reason: reason.to_owned() };
    step_with(store, actor, id, command, |tx, command| {
        let Command::Request { approval_id, request, reason } = command else { return Ok(command) };
        // The report period a demand names, or the office's default, within the allowed range.
        let request = match request {
            ApprovalAction::Assign { to_office, report_days: days } => ApprovalAction::Assign {
                to_office,
                report_days: Some(report_days(tx, days, "complaint.assign_report_working_days")?),
            },
            ApprovalAction::Supervise { report_days: days } => ApprovalAction::Supervise {
                report_days: Some(report_days(tx, days, "complaint.supervise_report_working_days")?),
            },
            other => other,
        };
        Ok(Command::Request { approval_id, request, reason })
    })?;
    Ok(approval_id)
}

/// Grants or refuses an approval (分管领导 of the office that asked, never the requester). A
/// granted step takes effect at once.
pub fn decide_approval(
    store: &mut Store,
    actor: &Actor,
    approval_id: &str,
    granted: bool,
    comment: &str,
) -> Result<()> {
    let own = store.office()?;
    store.execute(actor, Action::Complaint { office: own.clone(), act: ComplaintAct::DecideApproval }, |tx, ctx| {
        let id = state::approval_complaint(tx, approval_id)?;
        let c = state::existing(tx, &id)?;
        let office = state::office(tx, &own)?;
        let command = Command::Decide { approval_id: approval_id.to_owned(), granted, comment: comment.to_owned() };
        let decided = workflow::decide(&c, &office, actor, &command, today(ctx))?;
        Ok(Decision::events(encode(tx, &id, decided)?))
    })?;
    Ok(())
}

/// Reports the result of an assigned or supervised complaint to the office above (上报办理结果):
/// petitions of the office handling it. Meets every open result-report demand on the complaint.
pub fn report_result(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    step(store, actor, id, Command::ReportResult(dated(date, note)))
}

/// Reviews the result an office below reported for a complaint this office assigned or
/// supervised (审核把关): petitions or case management of this office accept it, or send it back
/// with a note and the working days for the new report (empty: the office's setting). Written
/// as a grow-only step, like a supervision, so it never competes with the owner's work.
pub fn review_result(store: &mut Store, actor: &Actor, id: &str, review: &ResultReviewRequest) -> Result<()> {
    let command = if review.accept {
        Command::AcceptResult { note: review.note.clone() }
    } else {
        // The days are resolved inside the step, after its check, from the office's setting.
        Command::ReturnResult { note: review.note.clone(), report_days: review.report_days.unwrap_or(0) }
    };
    let given = review.report_days;
    step_with(store, actor, id, command, |tx, command| match command {
        Command::ReturnResult { note, .. } => {
            let days = match given {
                Some(d) => d,
                None => crate::settings::get(tx, "complaint.return_report_working_days")?,
            };
            Ok(Command::ReturnResult { note, report_days: days })
        }
        other => Ok(other),
    })
}

/// Records the written reply to an inquiry letter (承办部门).
pub fn record_inquiry_reply(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    step(store, actor, id, Command::RecordInquiryReply(dated(date, note)))
}

/// A conclusion (办结).
#[derive(Debug, Clone)]
pub struct Conclusion {
    pub date: String,
    pub result: String,
    pub accusation: AccusationFinding,
    pub clearance: bool,
}

/// Concludes a complaint with its result (承办部门).
pub fn conclude(store: &mut Store, actor: &Actor, id: &str, c: &Conclusion) -> Result<()> {
    let command = Command::Conclude {
        date: c.date.clone(),
        result: c.result.clone(),
        accusation: c.accusation,
        clearance: c.clearance,
    };
    step(store, actor, id, command)
}

/// Records that the result was fed back to the real-name reporter (承办部门).
pub fn record_feedback(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    step(store, actor, id, Command::RecordFeedback(dated(date, note)))
}

/// Records the reporter's objection to the result (信访室); new evidence sends it back for handling.
pub fn record_objection(
    store: &mut Store,
    actor: &Actor,
    id: &str,
    date: &str,
    content: &str,
    new_evidence: bool,
) -> Result<()> {
    let command = Command::RecordObjection { date: date.to_owned(), content: content.to_owned(), new_evidence };
    step(store, actor, id, command)
}

/// Reveals the reporter's identity to petitions or the approving leader, recording the reading.
/// An anonymous complaint has no identity to reveal: nothing is recorded and nothing returned.
pub fn reveal_reporter(store: &mut Store, actor: &Actor, id: &str, purpose: &str) -> Result<Option<Reporter>> {
    let purpose = required("查看事由", purpose, 200)?;
    if state::existing(store.conn(), id)?.anonymous {
        let office = store.office()?;
        crate::authz::authorize(actor, &Action::Complaint { office, act: ComplaintAct::ViewIdentity })?;
        return Ok(None);
    }
    step(store, actor, id, Command::RevealReporter { purpose })?;
    Ok(store
        .conn()
        .query_row(
            "SELECT reporter_name, reporter_unit, reporter_contact, reporter_address FROM complaints WHERE id = ?1 AND anonymous = 0",
            [id],
            |r| {
                Ok(Reporter {
                    name: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    unit: r.get(1)?,
                    contact: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    address: r.get(3)?,
                })
            },
        )
        .optional()?)
}

impl From<&ScreenRequest> for Screening {
    fn from(r: &ScreenRequest) -> Self {
        Screening {
            outcome: r.outcome,
            department: r.department,
            reason: r.reason.clone(),
            refer_to: r.refer_to.clone(),
            repeat_of: r.repeat_of.clone(),
        }
    }
}

impl From<&ConcludeRequest> for Conclusion {
    fn from(r: &ConcludeRequest) -> Self {
        Conclusion { date: r.date.clone(), result: r.result.clone(), accusation: r.accusation, clearance: r.clearance }
    }
}

/// Records the next stage of a filed case; stages come in order, and 移送审理 opens the one-month
/// trial-review deadline that 作出处理决定 meets.
pub fn record_case_milestone(
    store: &mut Store,
    actor: &Actor,
    id: &str,
    stage: CaseStage,
    date: &str,
    note: &str,
) -> Result<()> {
    step(store, actor, id, Command::RecordCaseMilestone { stage, date: date.to_owned(), note: note.to_owned() })
}

/// Starts detention (留置): at most 3 months, reminded 10 days before the end, never moved for holidays.
pub fn start_detention(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    step(store, actor, id, Command::StartDetention(dated(date, note)))
}

/// Extends detention once, by 3 months, with the upper level's approval.
pub fn extend_detention(store: &mut Store, actor: &Actor, id: &str, date: &str, approval_ref: &str) -> Result<()> {
    step(store, actor, id, Command::ExtendDetention { date: date.to_owned(), approval_ref: approval_ref.to_owned() })
}

/// Ends detention.
pub fn end_detention(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    step(store, actor, id, Command::EndDetention(dated(date, note)))
}

/// Records that a department reported a quarter's concluded results to petitions (e.g. `2026Q4`).
pub fn submit_quarterly_report(
    store: &mut Store,
    actor: &Actor,
    department: Role,
    quarter: &str,
    date: &str,
    note: &str,
) -> Result<()> {
    let department = handling_department(department)?;
    let office = store.office()?;
    let quarter = quarter.trim().to_uppercase();
    let bad = || CoreError::invalid(format!("季度“{quarter}”格式不正确，应为 2026Q4 这样的形式。"));
    let (year, q) = quarter.split_once('Q').ok_or_else(bad)?;
    let (year, q): (i32, u32) = (year.parse().map_err(|_| bad())?, q.parse().map_err(|_| bad())?);
    let first = NaiveDate::from_ymd_opt(year, (q.clamp(1, 4) - 1) * 3 + 1, 1)
        .filter(|_| (1..=4).contains(&q))
        .ok_or_else(bad)?;
    let (end, _) = crate::deadlines::quarter_of(first);
    store.execute(actor, Action::Complaint { office, act: ComplaintAct::Handle { department } }, |_tx, ctx| {
        let d = qingfeng_calendar::parse_date(date)?;
        let today = ctx.now.with_timezone(&business_zone()).date_naive();
        if d > today {
            return Err(CoreError::invalid(format!("报告日期 {d} 晚于今天（{today}），请填写实际日期。")));
        }
        if d < end {
            return Err(CoreError::invalid(format!("{quarter} 到 {end} 才结束，季度报告应在季度结束后报送。")));
        }
        let event = ComplaintEvent::QuarterlyReportSubmitted(QuarterlyReportSubmitted {
            department,
            quarter: quarter.clone(),
            date: d.to_string(),
            note: bounded("办理情况说明", note, super::limits::MAX_NOTE_CHARS)?,
        });
        let on = format!("quarterly:{}:{}", ctx.origin_office.as_deref().unwrap_or_default(), department.as_str());
        Ok(Decision::events(vec![event.encode(&on)?]))
    })?;
    Ok(())
}
