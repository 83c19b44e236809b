//! Complaint commands: each validates against the current state and appends its events through
//! `Store::execute`, so an illegal transition is refused with a reason and leaves nothing behind.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction};

use super::model::*;
use crate::authz::{Action, Actor, ComplaintAct};
use crate::clock::business_zone;
use crate::deadlines::DeadlineKind;
use crate::error::{CoreError, Result};
use crate::events::NewEvent;
use crate::identity::Role;
use crate::input::{bounded, required};
use crate::projector::kind;
use crate::store::{Ctx, Decision, Store};

/// Limits that keep a single complaint within what screens and notices can show.
const MAX_SUMMARY_CHARS: usize = 100;
pub(crate) const MAX_CONTENT_CHARS: usize = 20_000;
const MAX_SUBJECTS: usize = 50;

/// The state a command checks before it acts.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    pub status: ComplaintStatus,
    pub department: Option<Role>,
    pub anonymous: bool,
    pub received_date: NaiveDate,
    pub disposal: Option<String>,
}

/// The state of a complaint this office is about to act on: refused, with the office that has
/// it, when the case was handed to another office.
pub(crate) fn current(conn: &Connection, id: &str) -> Result<Current> {
    let cur = current_any(conn, id)?;
    let own: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'office_code'", [], |r| r.get(0)).optional()?;
    if let Some(own) = own {
        crate::ownership::ensure_owned(conn, &aggregate(id), &own)?;
    }
    Ok(cur)
}

/// The state of any complaint this replica holds, whoever owns it.
pub(crate) fn current_any(conn: &Connection, id: &str) -> Result<Current> {
    let row = conn
        .query_row(
            "SELECT status, department, anonymous, received_date, disposal FROM complaints WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "检举控告", id: id.to_owned() })?;
    Ok(Current {
        status: ComplaintStatus::parse(&row.0)?,
        department: row.1.as_deref().map(Role::parse).transpose()?,
        anonymous: row.2,
        received_date: NaiveDate::parse_from_str(&row.3, "%Y-%m-%d").map_err(|e| CoreError::Encoding(e.to_string()))?,
        disposal: row.4,
    })
}

fn aggregate(id: &str) -> String {
    format!("complaint:{id}")
}

fn wrong_state(cur: &Current, what: &str) -> CoreError {
    CoreError::invalid(format!("该检举控告当前状态为“{}”，不能{what}。", cur.status.label()))
}

pub(crate) fn has_open_deadline(tx: &Transaction<'_>, id: &str, kind: DeadlineKind) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT count(*) FROM deadlines WHERE aggregate = ?1 AND kind = ?2 AND status = 'open'",
        [aggregate(id), kind.as_str().to_owned()],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Parses a date an officer entered for an act: a real date, not in the future, not before receipt.
fn act_date(text: &str, ctx: &Ctx, cur: &Current, what: &str) -> Result<NaiveDate> {
    let d = qingfeng_calendar::parse_date(text)?;
    let today = ctx.now.with_timezone(&business_zone()).date_naive();
    if d > today {
        return Err(CoreError::invalid(format!("{what}日期 {d} 晚于今天（{today}），请填写实际日期。")));
    }
    if d < cur.received_date {
        return Err(CoreError::invalid(format!(
            "{what}日期 {d} 早于收到检举控告的日期 {}，请核对。",
            cur.received_date
        )));
    }
    Ok(d)
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
fn validate_form(form: &RegisterComplaint, now: DateTime<Utc>) -> Result<(RegisterComplaint, DateTime<Utc>)> {
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
        // Numbers run per office and per year of receipt: 530102-2026-00001.
        let mut next: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
        let route = crate::sealing::route(tx, &office)?;
        let mut events = Vec::with_capacity(checked.len());
        for (id, form, received) in &checked {
            if let Some(earlier) = &form.repeat_of
                && !checked.iter().any(|(other, ..)| other == earlier)
            {
                current(tx, earlier)?;
            }
            let received_date = received.with_timezone(&business_zone()).date_naive();
            let prefix = format!("{office}-{}-", received_date.format("%Y"));
            let n = match next.get_mut(&prefix) {
                Some(n) => n,
                None => {
                    let last: i64 = tx
                        .query_row("SELECT last FROM complaint_counters WHERE prefix = ?1", [&prefix], |r| r.get(0))
                        .optional()?
                        .unwrap_or(0);
                    next.entry(prefix.clone()).or_insert(last)
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
                        &route,
                        &crate::sealing::identity_binding(id),
                    )?
                    .0,
                ),
                None => None,
            };
            events.push(NewEvent::new(
                kind::COMPLAINT_REGISTERED,
                aggregate(id),
                &Registered {
                    complaint_id: id.clone(),
                    number: format!("{prefix}{:05}", *n),
                    office_code: office.clone(),
                    received_at: received.to_rfc3339(),
                    received_date: received_date.to_string(),
                    form,
                    sealed_identity,
                },
            )?);
        }
        Ok(Decision::events(events))
    })?;
    Ok(checked.into_iter().map(|(id, ..)| id).collect())
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
    let office = store.office()?;
    store.execute(actor, Action::Complaint { office, act: ComplaintAct::Screen }, |tx, ctx| {
        let cur = current(tx, id)?;
        if cur.status != ComplaintStatus::Registered {
            return Err(wrong_state(&cur, "再次筛选"));
        }
        let reason = bounded("筛选理由", &s.reason, super::limits::MAX_NOTE_CHARS)?;
        let refer_to = s.refer_to.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        let mut department = None;
        let mut repeat_of = None;
        match s.outcome {
            ScreeningOutcome::AcceptTransfer => {
                let d = s
                    .department
                    .ok_or_else(|| CoreError::invalid("受理并移送须选择承办部门（监督检查室或审查调查室）。"))?;
                department = Some(handling_department(d)?);
            }
            ScreeningOutcome::Repeat => {
                let earlier =
                    s.repeat_of.as_deref().ok_or_else(|| CoreError::invalid("重复举报须关联此前的检举控告。"))?;
                if earlier == id {
                    return Err(CoreError::invalid("不能把检举控告关联为它自己的重复。"));
                }
                current_any(tx, earlier)?;
                repeat_of = Some(earlier.to_owned());
            }
            ScreeningOutcome::NotAccepted => {
                required("不予受理的理由", &reason, 500)?;
                if refer_to.is_none() {
                    return Err(CoreError::invalid("不予受理须写明应向何处反映（告知检举人去向）。"));
                }
            }
            ScreeningOutcome::ReportUpward | ScreeningOutcome::TransferDownward => {
                required("报送或转送的理由", &reason, 500)?;
            }
        }
        // With a hub, reporting upward hands the case to the parent office, and transferring
        // downward to an office below when `refer_to` names one by its code: the offer becomes an
        // ownership change once the hub orders it. Without a hub the paper route still works.
        let own = ctx.origin_office.clone().unwrap_or_default();
        let target: Option<String> = match s.outcome {
            ScreeningOutcome::ReportUpward => tx
                .query_row("SELECT parent_code FROM offices WHERE code = ?1", [&own], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten(),
            ScreeningOutcome::TransferDownward => match refer_to.as_deref() {
                Some(code) => tx
                    .query_row("SELECT code FROM offices WHERE code = ?1 AND parent_code = ?2", [code, &own], |r| {
                        r.get::<_, String>(0)
                    })
                    .optional()?,
                None => None,
            },
            _ => None,
        };
        // Handing the case over re-seals the reporter to the receiving office first (or holds the
        // hand-over while that office has no key).
        let handover = match target {
            Some(to_office) => Some(crate::sealing::hand_over(
                tx,
                id,
                crate::projector::OwnershipOffered {
                    aggregate: aggregate(id),
                    to_office,
                    reason: s.outcome.as_str().to_owned(),
                    basis: format!("{}:{}", kind::COMPLAINT_SCREENED, s.outcome.as_str()),
                },
            )?),
            None => None,
        };
        let (reseal, offer) = match handover {
            Some(h) => (h.reseal, Some(h.offer)),
            None => (None, None),
        };
        let mut events: Vec<NewEvent> = reseal.into_iter().collect();
        events.push(NewEvent::new(
            kind::COMPLAINT_SCREENED,
            aggregate(id),
            &Screened {
                complaint_id: id.to_owned(),
                date: ctx.now.with_timezone(&business_zone()).date_naive().to_string(),
                outcome: s.outcome,
                department,
                reason,
                refer_to,
                repeat_of,
            },
        )?);
        events.extend(offer);
        Ok(Decision::events(events))
    })?;
    Ok(())
}

/// What a dated act is: who may do it, which event records it, and its name in messages.
struct DatedStep {
    act: ComplaintAct,
    kind: &'static str,
    what: &'static str,
}

fn dated_act(
    store: &mut Store,
    actor: &Actor,
    id: &str,
    step: DatedStep,
    date: &str,
    note: &str,
    check: impl FnOnce(&Transaction<'_>, &Current) -> Result<()>,
) -> Result<()> {
    let office = store.office()?;
    store.execute(actor, Action::Complaint { office, act: step.act }, |tx, ctx| {
        let cur = current(tx, id)?;
        check(tx, &cur)?;
        let d = act_date(date, ctx, &cur, step.what)?;
        Ok(Decision::events(vec![NewEvent::new(
            step.kind,
            aggregate(id),
            &DatedAct {
                complaint_id: id.to_owned(),
                date: d.to_string(),
                note: bounded("办理情况说明", note, super::limits::MAX_NOTE_CHARS)?,
            },
        )?]))
    })?;
    Ok(())
}

/// Records that a real-name reporter was told the complaint was accepted (受理告知).
pub fn record_acceptance_notice(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    dated_act(
        store,
        actor,
        id,
        DatedStep { act: ComplaintAct::Notify, kind: kind::COMPLAINT_ACCEPTANCE_NOTIFIED, what: "告知" },
        date,
        note,
        |tx, cur| {
            if !has_open_deadline(tx, id, DeadlineKind::AcceptanceNotice)? {
                return Err(CoreError::invalid("该检举控告没有待办的受理告知（非实名、重复举报或已告知）。"));
            }
            if cur.status == ComplaintStatus::Registered {
                return Err(CoreError::invalid("尚未筛选受理，请先完成筛选再告知检举人。"));
            }
            Ok(())
        },
    )
}

/// Records that a complaint was sent up or forwarded down.
pub fn record_forwarded(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    dated_act(
        store,
        actor,
        id,
        DatedStep { act: ComplaintAct::Notify, kind: kind::COMPLAINT_FORWARDED, what: "报送或转送" },
        date,
        note,
        |_tx, cur| match cur.status {
            ComplaintStatus::ReportedUpward | ComplaintStatus::TransferredDownward => Ok(()),
            _ => Err(wrong_state(cur, "记录报送或转送")),
        },
    )
}

fn department_of(store: &Store, id: &str) -> Result<(Current, Role)> {
    let cur = current(store.conn(), id)?;
    let department = cur.department.ok_or_else(|| wrong_state(&cur, "由承办部门办理"))?;
    Ok((cur, department))
}

fn check_request(cur: &Current, request: &ApprovalAction) -> Result<()> {
    use ComplaintStatus as S;
    match request {
        ApprovalAction::Return if cur.status == S::WithDepartment => Ok(()),
        ApprovalAction::Return => Err(wrong_state(cur, "退回信访室")),
        ApprovalAction::Dispose { .. }
            if matches!(cur.status, S::WithDepartment | S::Held | S::Inquiry | S::Verification) =>
        {
            Ok(())
        }
        ApprovalAction::Dispose { .. } => Err(wrong_state(cur, "提请处置")),
        ApprovalAction::Assign { .. } if cur.status == S::Registered => Ok(()),
        ApprovalAction::Assign { .. } => Err(wrong_state(cur, "交办下级（交办须在筛选前提请）")),
        ApprovalAction::Supervise { .. }
            if matches!(cur.status, S::Concluded | S::Repeat | S::NotAccepted | S::ReportedUpward) =>
        {
            Err(wrong_state(cur, "督办"))
        }
        ApprovalAction::Supervise { .. } => Ok(()),
    }
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

/// Whether the office already has an approval pending on this complaint. Approvals of other
/// offices (an office above supervising) do not block this office's own steps.
fn pending_here(conn: &Connection, id: &str, office: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM approvals WHERE complaint_id = ?1 AND status = 'pending'
           AND coalesce(office_code, ?2) = ?2",
        [id, office],
        |r| r.get::<_, i64>(0),
    )? > 0)
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
    let own = store.office()?;
    let approval_id = uuid::Uuid::now_v7().to_string();
    let act = match request {
        ApprovalAction::Return | ApprovalAction::Dispose { .. } => {
            let (_, department) = department_of(store, id)?;
            ComplaintAct::RequestApproval { department }
        }
        ApprovalAction::Assign { .. } => ComplaintAct::Screen,
        ApprovalAction::Supervise { .. } => ComplaintAct::Supervise,
    };
    store.execute(actor, Action::Complaint { office: own.clone(), act }, |tx, _ctx| {
        let supervise = matches!(request, ApprovalAction::Supervise { .. });
        let cur = if supervise { current_any(tx, id)? } else { current(tx, id)? };
        check_request(&cur, request)?;
        let reason = match request {
            ApprovalAction::Assign { .. } => required("交办理由和要求", reason, 2_000)?,
            ApprovalAction::Supervise { .. } => required("督办事由和要求", reason, 2_000)?,
            _ => required("提请理由（集体研究意见）", reason, 2_000)?,
        };
        if pending_here(tx, id, &own)? {
            return Err(CoreError::invalid("该检举控告已有待审批的事项，请等领导审批后再提请。"));
        }
        let request = match request {
            ApprovalAction::Dispose { method: DisposalMethod::Inquiry, letter_date } => {
                let letter = letter_date
                    .as_deref()
                    .ok_or_else(|| CoreError::invalid("谈话函询须填写函询函发出日期（回复期限从该日起算）。"))?;
                let d = qingfeng_calendar::parse_date(letter)?;
                if d < cur.received_date {
                    return Err(CoreError::invalid("函询函发出日期早于收到检举控告的日期，请核对。"));
                }
                ApprovalAction::Dispose { method: DisposalMethod::Inquiry, letter_date: Some(d.to_string()) }
            }
            ApprovalAction::Dispose { method, .. } => ApprovalAction::Dispose { method: *method, letter_date: None },
            ApprovalAction::Return => ApprovalAction::Return,
            ApprovalAction::Assign { to_office, report_days: days } => {
                let to_office = to_office.trim().to_owned();
                let below = offices_below(tx, &own)?;
                if to_office.is_empty() {
                    return Err(CoreError::invalid("请选择交办给哪个下级机关。"));
                }
                if !below.iter().any(|(code, _)| *code == to_office) {
                    return Err(CoreError::invalid(if below.is_empty() {
                        format!(
                            "本机关名录中没有下级机关，不能交办给 {to_office}。下级机关名录随同步从省级平台取得，请先同步。"
                        )
                    } else {
                        format!("{to_office} 不是本机关的下级机关，只能交办给下级机关。")
                    }));
                }
                let days = report_days(tx, *days, "complaint.assign_report_working_days")?;
                ApprovalAction::Assign { to_office, report_days: Some(days) }
            }
            ApprovalAction::Supervise { report_days: days } => {
                let owner = crate::ownership::owner_of(tx, &aggregate(id))?.unwrap_or_else(|| own.clone());
                if owner == own {
                    return Err(CoreError::invalid(
                        "督办是对下级机关办理的检举控告提出要求；本机关自己办理的件请直接办理。",
                    ));
                }
                if !offices_below(tx, &own)?.iter().any(|(code, _)| *code == owner) {
                    return Err(CoreError::invalid(format!("此件由 {owner} 办理，不是本机关的下级机关，不能督办。")));
                }
                if has_open_deadline(tx, id, DeadlineKind::SupervisionReport)? {
                    return Err(CoreError::invalid("此件正在督办中，下级机关报告办理结果前不能再次督办。"));
                }
                let days = report_days(tx, *days, "complaint.supervise_report_working_days")?;
                ApprovalAction::Supervise { report_days: Some(days) }
            }
        };
        let event_kind = if supervise { kind::COMPLAINT_SUPERVISION_REQUESTED } else { kind::APPROVAL_REQUESTED };
        Ok(Decision::events(vec![NewEvent::new(
            event_kind,
            aggregate(id),
            &ApprovalRequested { approval_id: approval_id.clone(), complaint_id: id.to_owned(), request, reason },
        )?]))
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
    store.execute(actor, Action::Complaint { office: own.clone(), act: ComplaintAct::DecideApproval }, |tx, _ctx| {
        #[allow(clippy::type_complexity)]
        let (complaint_id, requested_by, status, params_json, action, office_code): (
            String,
            String,
            String,
            String,
            String,
            Option<String>,
        ) = tx
            .query_row(
                "SELECT complaint_id, requested_by, status, params_json, action, office_code FROM approvals WHERE id = ?1",
                [approval_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?
            .ok_or_else(|| CoreError::NotFound { what: "审批事项", id: approval_id.to_owned() })?;
        if office_code.as_deref().is_some_and(|o| o != own) {
            return Err(CoreError::invalid("该审批事项由其他机关提请，须由该机关的领导审批。"));
        }
        if status != "pending" {
            return Err(CoreError::invalid("该审批事项已经审批过了。"));
        }
        if actor.id() == requested_by {
            return Err(CoreError::invalid("提请人不能审批自己提请的事项，请由另一位领导审批。"));
        }
        let comment = bounded("审批意见", comment, super::limits::MAX_NOTE_CHARS)?;
        if !granted && comment.is_empty() {
            return Err(CoreError::invalid("不同意时请填写审批意见，说明理由。"));
        }
        let request: ApprovalAction = if action == "return" {
            ApprovalAction::Return
        } else {
            serde_json::from_str(&params_json).map_err(|e| CoreError::Encoding(e.to_string()))?
        };
        let supervise = matches!(request, ApprovalAction::Supervise { .. });
        let decided = ApprovalDecided {
            approval_id: approval_id.to_owned(),
            complaint_id: complaint_id.clone(),
            granted,
            comment,
        };
        let agg = aggregate(&complaint_id);
        let decided_kind = if supervise { kind::COMPLAINT_SUPERVISION_DECIDED } else { kind::APPROVAL_DECIDED };
        let mut events = vec![NewEvent::new(decided_kind, agg.clone(), &decided)?];
        if granted {
            // The complaint may have moved on since the request; the step must still be legal now.
            let cur = if supervise { current_any(tx, &complaint_id)? } else { current(tx, &complaint_id)? };
            check_request(&cur, &request)?;
            let step = ApprovedStep {
                complaint_id: complaint_id.clone(),
                approval_id: approval_id.to_owned(),
                request: request.clone(),
            };
            let effect = match &request {
                ApprovalAction::Return => kind::COMPLAINT_RETURNED,
                ApprovalAction::Dispose { .. } => kind::COMPLAINT_DISPOSED,
                ApprovalAction::Assign { .. } => kind::COMPLAINT_ASSIGNED,
                ApprovalAction::Supervise { .. } => kind::COMPLAINT_SUPERVISED,
            };
            events.push(NewEvent::new(effect, agg.clone(), &step)?);
            // An assignment hands the case to the office below once the hub orders it, exactly
            // like a transfer downward; the office below then screens it afresh.
            // The reporter is re-sealed to the office below first (or the hand-over is held while
            // that office has no key).
            if let ApprovalAction::Assign { to_office, .. } = &request {
                let h = crate::sealing::hand_over(
                    tx,
                    &complaint_id,
                    crate::projector::OwnershipOffered {
                        aggregate: agg.clone(),
                        to_office: to_office.clone(),
                        reason: "assign".to_owned(),
                        basis: format!("{}:{to_office}", kind::COMPLAINT_ASSIGNED),
                    },
                )?;
                if let Some(reseal) = h.reseal {
                    events.insert(events.len() - 1, reseal);
                }
                events.push(h.offer);
            }
        }
        Ok(Decision::events(events))
    })?;
    Ok(())
}

/// Reports the result of an assigned or supervised complaint to the office above (上报办理结果):
/// petitions of the office handling it. Meets every open result-report demand on the complaint.
pub fn report_result(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    let own = store.office()?;
    store.execute(actor, Action::Complaint { office: own, act: ComplaintAct::Notify }, |tx, ctx| {
        let cur = current(tx, id)?;
        if !has_open_deadline(tx, id, DeadlineKind::AssignmentReport)?
            && !has_open_deadline(tx, id, DeadlineKind::SupervisionReport)?
        {
            return Err(CoreError::invalid("此件不是交办件或督办件，或者办理结果已经上报过了。"));
        }
        let note = required("办理结果（上报内容）", note, 2_000)?;
        let d = act_date(date, ctx, &cur, "上报")?;
        Ok(Decision::events(vec![NewEvent::new(
            kind::COMPLAINT_RESULT_REPORTED,
            aggregate(id),
            &DatedAct { complaint_id: id.to_owned(), date: d.to_string(), note },
        )?]))
    })?;
    Ok(())
}

/// Records the written reply to an inquiry letter (承办部门).
pub fn record_inquiry_reply(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    let (_, department) = department_of(store, id)?;
    dated_act(
        store,
        actor,
        id,
        DatedStep { act: ComplaintAct::Handle { department }, kind: kind::COMPLAINT_INQUIRY_REPLIED, what: "回复" },
        date,
        note,
        |tx, cur| {
            if cur.status != ComplaintStatus::Inquiry || !has_open_deadline(tx, id, DeadlineKind::InquiryReply)? {
                return Err(wrong_state(cur, "记录函询回复"));
            }
            Ok(())
        },
    )
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
    let (_, department) = department_of(store, id)?;
    let office = store.office()?;
    store.execute(actor, Action::Complaint { office, act: ComplaintAct::Handle { department } }, |tx, ctx| {
        use ComplaintStatus as S;
        let cur = current(tx, id)?;
        let closable = matches!(cur.status, S::Inquiry | S::Verification | S::Held | S::CaseFiled)
            || (cur.status == S::WithDepartment && cur.disposal.as_deref() == Some("close"));
        if !closable {
            return Err(CoreError::invalid(format!(
                "该检举控告当前状态为“{}”，须先经领导审批确定处置方式，才能办结。",
                cur.status.label()
            )));
        }
        let d = act_date(&c.date, ctx, &cur, "办结")?;
        let result = required("办理结果", &c.result, 5_000)?;
        if c.clearance && c.accusation == AccusationFinding::None {
            return Err(CoreError::invalid("澄清正名只适用于错告或诬告的情形，请先选择认定结果。"));
        }
        Ok(Decision::events(vec![NewEvent::new(
            kind::COMPLAINT_CONCLUDED,
            aggregate(id),
            &Concluded {
                complaint_id: id.to_owned(),
                date: d.to_string(),
                result,
                accusation: c.accusation,
                clearance: c.clearance,
            },
        )?]))
    })?;
    Ok(())
}

/// Records that the result was fed back to the real-name reporter (承办部门).
pub fn record_feedback(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    let (_, department) = department_of(store, id)?;
    dated_act(
        store,
        actor,
        id,
        DatedStep { act: ComplaintAct::Handle { department }, kind: kind::COMPLAINT_FEEDBACK_GIVEN, what: "反馈" },
        date,
        note,
        |tx, cur| {
            if cur.status != ComplaintStatus::Concluded || !has_open_deadline(tx, id, DeadlineKind::ResultFeedback)? {
                return Err(wrong_state(cur, "记录结果反馈（须为已办结的实名检举且尚未反馈）"));
            }
            Ok(())
        },
    )
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
    let office = store.office()?;
    store.execute(actor, Action::Complaint { office, act: ComplaintAct::RecordObjection }, |tx, ctx| {
        let cur = current(tx, id)?;
        if cur.status != ComplaintStatus::Concluded {
            return Err(wrong_state(&cur, "记录对办理结果的反馈意见"));
        }
        let d = act_date(date, ctx, &cur, "反馈意见")?;
        let content = required("反馈意见内容", content, 5_000)?;
        Ok(Decision::events(vec![NewEvent::new(
            kind::COMPLAINT_OBJECTION_RECORDED,
            aggregate(id),
            &Objection { complaint_id: id.to_owned(), date: d.to_string(), content, new_evidence },
        )?]))
    })?;
    Ok(())
}

/// Reveals the reporter's identity to petitions or the approving leader, recording the reading.
pub fn reveal_reporter(store: &mut Store, actor: &Actor, id: &str, purpose: &str) -> Result<Option<Reporter>> {
    let office = store.office()?;
    let purpose = required("查看事由", purpose, 200)?;
    store.execute(actor, Action::Complaint { office, act: ComplaintAct::ViewIdentity }, |tx, _ctx| {
        let cur = current(tx, id)?;
        if cur.anonymous {
            return Ok(Decision::default());
        }
        Ok(Decision::events(vec![NewEvent::new(
            kind::COMPLAINT_IDENTITY_VIEWED,
            aggregate(id),
            &IdentityViewed { complaint_id: id.to_owned(), purpose: purpose.clone() },
        )?]))
    })?;
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

/// Fields about a filed case that milestone and detention steps check.
struct CaseState {
    stage: Option<CaseStage>,
    detention_start: Option<String>,
    detention_extended: bool,
    detention_ended: Option<String>,
}

fn case_state(tx: &Transaction<'_>, id: &str) -> Result<CaseState> {
    Ok(tx
        .query_row(
            "SELECT case_stage, detention_start, detention_extended, detention_ended FROM complaints WHERE id = ?1",
            [id],
            |r| Ok((r.get::<_, Option<String>>(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map(|(stage, detention_start, detention_extended, detention_ended)| CaseState {
            stage: stage.as_deref().and_then(|s| CaseStage::parse(s).ok()),
            detention_start,
            detention_extended,
            detention_ended,
        })?)
}

/// Runs a step on a filed case (审查调查 department or whichever holds it).
fn case_step(
    store: &mut Store,
    actor: &Actor,
    id: &str,
    decide: impl FnOnce(&Transaction<'_>, &Ctx, &Current, &CaseState) -> Result<NewEvent>,
) -> Result<()> {
    let (_, department) = department_of(store, id)?;
    let office = store.office()?;
    store.execute(actor, Action::Complaint { office, act: ComplaintAct::Handle { department } }, |tx, ctx| {
        let cur = current(tx, id)?;
        if cur.status != ComplaintStatus::CaseFiled {
            return Err(wrong_state(&cur, "记录立案后的办理阶段或留置（须为已立案审查调查）"));
        }
        let case = case_state(tx, id)?;
        Ok(Decision::events(vec![decide(tx, ctx, &cur, &case)?]))
    })?;
    Ok(())
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
    case_step(store, actor, id, |_tx, ctx, cur, case| {
        if case.stage != stage.previous() {
            let expected = match case.stage {
                None => CaseStage::Filed.label().to_owned(),
                Some(CaseStage::Decided) => "（已作出处理决定，无后续阶段）".to_owned(),
                Some(s) => [CaseStage::Investigation, CaseStage::TrialAccepted, CaseStage::Decided]
                    .into_iter()
                    .find(|n| n.previous() == Some(s))
                    .map(|n| n.label().to_owned())
                    .unwrap_or_default(),
            };
            return Err(CoreError::invalid(format!(
                "案件阶段须依次记录：下一步应为“{expected}”，不能记录“{}”。",
                stage.label()
            )));
        }
        if stage == CaseStage::Decided && case.detention_start.is_some() && case.detention_ended.is_none() {
            return Err(CoreError::invalid("留置尚未解除，请先记录解除留置的日期。"));
        }
        let d = act_date(date, ctx, cur, stage.label())?;
        Ok(NewEvent::new(
            kind::COMPLAINT_CASE_MILESTONE,
            aggregate(id),
            &CaseMilestone {
                complaint_id: id.to_owned(),
                stage,
                date: d.to_string(),
                note: bounded("办理情况说明", note, super::limits::MAX_NOTE_CHARS)?,
            },
        )?)
    })
}

/// Starts detention (留置): at most 3 months, reminded 10 days before the end, never moved for holidays.
pub fn start_detention(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    case_step(store, actor, id, |_tx, ctx, cur, case| {
        if !matches!(case.stage, Some(CaseStage::Filed | CaseStage::Investigation)) {
            return Err(CoreError::invalid("留置只能在立案后、移送审理前采取。"));
        }
        if case.detention_start.is_some() {
            return Err(CoreError::invalid("该案已经采取过留置措施。"));
        }
        let d = act_date(date, ctx, cur, "留置")?;
        Ok(NewEvent::new(
            kind::COMPLAINT_DETENTION_STARTED,
            aggregate(id),
            &DatedAct {
                complaint_id: id.to_owned(),
                date: d.to_string(),
                note: bounded("办理情况说明", note, super::limits::MAX_NOTE_CHARS)?,
            },
        )?)
    })
}

/// Extends detention once, by 3 months, with the upper level's approval.
pub fn extend_detention(store: &mut Store, actor: &Actor, id: &str, date: &str, approval_ref: &str) -> Result<()> {
    case_step(store, actor, id, |_tx, ctx, cur, case| {
        if case.detention_start.is_none() || case.detention_ended.is_some() {
            return Err(CoreError::invalid("该案不在留置期间，不能延长留置。"));
        }
        if case.detention_extended {
            return Err(CoreError::invalid("留置只能延长一次（3 个月），该案已经延长过。"));
        }
        let approval_ref = required("上一级机关批准文号", approval_ref, 100)?;
        let d = act_date(date, ctx, cur, "延长留置")?;
        Ok(NewEvent::new(
            kind::COMPLAINT_DETENTION_EXTENDED,
            aggregate(id),
            &DetentionExtended { complaint_id: id.to_owned(), date: d.to_string(), approval_ref },
        )?)
    })
}

/// Ends detention.
pub fn end_detention(store: &mut Store, actor: &Actor, id: &str, date: &str, note: &str) -> Result<()> {
    case_step(store, actor, id, |_tx, ctx, cur, case| {
        let Some(start) = &case.detention_start else {
            return Err(CoreError::invalid("该案没有采取留置措施。"));
        };
        if case.detention_ended.is_some() {
            return Err(CoreError::invalid("留置已经解除。"));
        }
        let d = act_date(date, ctx, cur, "解除留置")?;
        if d.to_string() < *start {
            return Err(CoreError::invalid(format!("解除留置的日期早于留置开始日期 {start}，请核对。")));
        }
        Ok(NewEvent::new(
            kind::COMPLAINT_DETENTION_ENDED,
            aggregate(id),
            &DatedAct {
                complaint_id: id.to_owned(),
                date: d.to_string(),
                note: bounded("办理情况说明", note, super::limits::MAX_NOTE_CHARS)?,
            },
        )?)
    })
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
        Ok(Decision::events(vec![NewEvent::new(
            kind::COMPLAINT_QUARTERLY_REPORT_SUBMITTED,
            format!("quarterly:{}:{}", ctx.origin_office.as_deref().unwrap_or_default(), department.as_str()),
            &QuarterlyReportSubmitted {
                department,
                quarter: quarter.clone(),
                date: d.to_string(),
                note: bounded("办理情况说明", note, super::limits::MAX_NOTE_CHARS)?,
            },
        )?]))
    })?;
    Ok(())
}
