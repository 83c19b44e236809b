//! The penalty decision (处分决定, with its execution checklist) and the rectification list (整改清单)
//! as one pure state machine: every workflow rule of DOMAIN.md §3–§4 in one place, with no SQL and
//! no store.
//!
//! - `Checklist` is an aggregate's state, loaded once (`state::load`) or folded from its events
//!   (`Checklist::registered`, `Checklist::apply`).
//! - `Step` names what may be done; `check` decides whether an actor may take a step now and
//!   gives the refusal in Chinese; `allowed` lists the steps an actor may take, derived from
//!   `check`, and `waiting` says in words who acts next when the viewer may not.
//! - `decide` turns a command into the events it produces (`events::ChecklistEvent`), after the
//!   same `check`; `register_penalty` and `register_rectification` do so for a new aggregate.
//! - `duties` says which deadlines each event opens or closes. The rules' values travel in the
//!   events (items carry their rule, `penalty.registered` its report rule, an extension its
//!   months), so a rebuild never moves an old due date; events written before a value was carried
//!   fall back to today's rule.
//!
//! Architecture invariant: nothing here reads or writes the database; `ops` loads, calls `decide`
//! and appends through `Store::execute`, and the projector applies `duties`.

use chrono::NaiveDate;
use qingfeng_calendar::Calendar;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::events::ChecklistEvent;
use super::model::*;
use super::rules;
use super::template::{self, Dates, Facts, ItemContext, Template};
use crate::api::RoleGrant;
use crate::authz::{Action, Actor, PenaltyAct, Principal, authorize};
use crate::deadlines::{DeadlineKind, Rule};
use crate::error::{CoreError, Result};
use crate::identity::Role;
use crate::input::{optional, required};

/// The longest note, measure or result an officer may type.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// The most items a rectification list may hold.
pub const MAX_ITEMS: usize = 200;

// ---------------------------------------------------------------------------------------------
// State

/// The office that owns an aggregate now, when it is not this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub code: String,
    pub name: String,
}

/// One checklist aggregate as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    pub id: String,
    /// `penalty:<id>` or `checklist:<id>`.
    pub aggregate: String,
    pub scope: ChecklistScope,
    /// The decision date (penalty) or the date the problems were handed over (rectification):
    /// no work is dated before it.
    pub start_date: NaiveDate,
    /// Items run in order, each opened by the approval of the one before.
    pub sequential: bool,
    /// The office owning the aggregate now, as the `ownership` table says.
    pub owner: Option<Owner>,
    pub items: Vec<Item>,
}

/// One item of a checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub ord: u32,
    pub title: String,
    pub status: ItemStatus,
    /// Who submitted it last (never its reviewer).
    pub submitted_by: Option<String>,
    pub payment: bool,
    pub amount_due: Option<Decimal>,
    pub amount_paid: Decimal,
    /// The most months an approval may extend the deadline to.
    pub extendable_to: Option<u32>,
    pub deadline_kind: DeadlineKind,
    /// The deadline rule in force (the template's, or an approved extension).
    pub rule: Rule,
    /// The date the rule counts from.
    pub deadline_start: NaiveDate,
    /// The open deadline's id, once the item is open.
    pub deadline_id: Option<String>,
    pub max_score: Option<Decimal>,
}

impl Item {
    /// What is still due on a payment item: (due, paid, left).
    pub fn remaining(&self) -> Option<(Decimal, Decimal, Decimal)> {
        let due = self.amount_due.filter(|_| self.payment)?;
        Some((due, self.amount_paid, due - self.amount_paid))
    }

    /// Why the item cannot be submitted yet although the step is offered: money still unpaid. The
    /// page shows it beside the form, and `decide` refuses with the same words.
    pub fn unpaid(&self) -> Option<String> {
        let (due, paid, left) = self.remaining()?;
        (left > Decimal::ZERO).then(|| {
            format!(
                "应缴 {} 元，已缴 {} 元，尚余 {} 元未缴清；缴清后才能提交本事项。",
                rules::fen(due),
                rules::fen(paid),
                rules::fen(left)
            )
        })
    }

    /// The months the deadline runs now, for an extension's lower bound.
    fn months(&self) -> u32 {
        match self.rule {
            Rule::Months(n) => n,
            _ => 0,
        }
    }
}

impl Checklist {
    /// Item `ord`, or the refusal naming the missing number.
    pub fn item(&self, ord: u32) -> Result<&Item> {
        self.items
            .iter()
            .find(|i| i.ord == ord)
            .ok_or_else(|| CoreError::invalid(format!("该清单没有第 {ord} 项事项，请核对事项序号。")))
    }

    fn item_mut(&mut self, ord: u32) -> Result<&mut Item> {
        self.items
            .iter_mut()
            .find(|i| i.ord == ord)
            .ok_or_else(|| CoreError::Encoding(format!("checklist {} has no item {ord}", self.id)))
    }

    /// The first item not yet approved (the board's current item).
    pub fn current(&self) -> Option<&Item> {
        self.items.iter().find(|i| i.status != ItemStatus::Approved)
    }

    /// The state right after a registration event, before any other event.
    pub fn registered(event: &ChecklistEvent) -> Result<Checklist> {
        let (id, aggregate, scope, start, sequential, items) = match event {
            ChecklistEvent::PenaltyRegistered(p) => (
                &p.penalty_id,
                format!("penalty:{}", p.penalty_id),
                ChecklistScope::Penalty,
                &p.form.decision_date,
                true,
                &p.items,
            ),
            ChecklistEvent::RectificationRegistered(p) => (
                &p.checklist_id,
                format!("checklist:{}", p.checklist_id),
                ChecklistScope::Rectification,
                &p.date,
                p.sequential,
                &p.items,
            ),
            other => return Err(CoreError::Encoding(format!("{} is not a registration", other.kind()))),
        };
        let mut c = Checklist {
            id: id.clone(),
            aggregate,
            scope,
            start_date: date(start)?,
            sequential,
            owner: None,
            items: items
                .iter()
                .map(|g| {
                    Ok(Item {
                        ord: g.ord,
                        title: g.title.clone(),
                        status: ItemStatus::Pending,
                        submitted_by: None,
                        payment: g.payment,
                        amount_due: g.amount_due.as_deref().map(rules::stored_amount).transpose()?,
                        amount_paid: Decimal::ZERO,
                        extendable_to: g.extendable_to,
                        deadline_kind: g.deadline_kind,
                        rule: Rule::parse(&g.rule)?,
                        deadline_start: date(&g.start)?,
                        deadline_id: None,
                        max_score: g.max_score.as_deref().map(rules::stored_amount).transpose()?,
                    })
                })
                .collect::<Result<_>>()?,
        };
        for ord in c.first_open() {
            let id = item_deadline_id(&c.id, ord);
            let item = c.item_mut(ord)?;
            item.status = ItemStatus::Open;
            item.deadline_id = Some(id);
        }
        Ok(c)
    }

    /// The items that open when the checklist is entered: the first of a list run in order,
    /// every item of one that is not.
    fn first_open(&self) -> Vec<u32> {
        if self.sequential {
            self.items.first().map(|i| i.ord).into_iter().collect()
        } else {
            self.items.iter().map(|i| i.ord).collect()
        }
    }

    /// The item an approval of `ord` opens: in a list run in order, the first item not yet
    /// approved once `ord` is, if it still waits.
    fn opened_by_approval(&self, ord: u32) -> Option<u32> {
        if !self.sequential {
            return None;
        }
        self.items
            .iter()
            .find(|i| i.ord != ord && i.status != ItemStatus::Approved)
            .filter(|i| i.status == ItemStatus::Pending)
            .map(|i| i.ord)
    }

    /// Applies one of this checklist's events by `actor` (the event's recorded actor).
    pub fn apply(&mut self, actor: &str, event: &ChecklistEvent) -> Result<()> {
        match event {
            ChecklistEvent::PenaltyRegistered(_) | ChecklistEvent::RectificationRegistered(_) => {
                return Err(CoreError::Encoding(format!("checklist {} is already registered", self.id)));
            }
            ChecklistEvent::ItemSubmitted(p) => {
                let item = self.item_mut(p.ord)?;
                item.status = ItemStatus::Submitted;
                item.submitted_by = Some(actor.to_owned());
            }
            ChecklistEvent::ItemApproved(p) => {
                let next = self.opened_by_approval(p.ord);
                self.item_mut(p.ord)?.status = ItemStatus::Approved;
                if let Some(next) = next {
                    let id = item_deadline_id(&self.id, next);
                    let item = self.item_mut(next)?;
                    item.status = ItemStatus::Open;
                    item.deadline_id = Some(id);
                }
            }
            ChecklistEvent::ItemRejected(p) => self.item_mut(p.ord)?.status = ItemStatus::Rejected,
            // Guidance is advice to the unit: the item stays where it was.
            ChecklistEvent::GuidanceGiven(p) => {
                self.item(p.ord)?;
            }
            ChecklistEvent::PaymentRecorded(p) => {
                let item = self.item_mut(p.ord)?;
                item.amount_paid += rules::stored_amount(&p.amount)?;
            }
            ChecklistEvent::ItemExtended(p) => {
                let id = extension_deadline_id(&self.id, p.ord, p.months);
                let item = self.item_mut(p.ord)?;
                item.rule = Rule::Months(p.months);
                item.deadline_id = Some(id);
            }
        }
        Ok(())
    }
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

/// The deadline id of a checklist item.
pub fn item_deadline_id(checklist_id: &str, ord: u32) -> String {
    format!("checklist_item:{checklist_id}:{ord}")
}

/// The deadline id of an item's deadline extended to `months`.
pub fn extension_deadline_id(checklist_id: &str, ord: u32, months: u32) -> String {
    format!("{}:ext{months}", item_deadline_id(checklist_id, ord))
}

/// The deadline id of a penalty's six-month execution report.
pub fn report_deadline_id(penalty_id: &str) -> String {
    format!("penalty_report:{penalty_id}")
}

// ---------------------------------------------------------------------------------------------
// Steps and the check

/// What may be done to one item; the screens show one control for each step `allowed` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ItemStep {
    /// 提交办理情况 with evidence (for the responsible unit).
    Submit,
    /// 登记缴款 toward a confiscation or repayment.
    RecordPayment,
    /// 经批准延长期限.
    Extend,
    /// 审核通过.
    Approve,
    /// 驳回 with a rectification note.
    Reject,
    /// 提出指导意见: 案件审理室 guides the unit on an item of a rectification list (以案促改);
    /// recorded and counted, it moves no item.
    Guide,
}

impl ItemStep {
    pub const ALL: [ItemStep; 6] = [
        ItemStep::Submit,
        ItemStep::RecordPayment,
        ItemStep::Extend,
        ItemStep::Approve,
        ItemStep::Reject,
        ItemStep::Guide,
    ];
}

/// A step of the workflow: entering a new aggregate, or a step on one of its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// 录入处分决定 (`ChecklistScope::Penalty`) or 新建整改清单 (`Rectification`).
    Register(ChecklistScope),
    Item(u32, ItemStep),
}

/// The post a step needs (`authz` holds which roles hold it).
fn act_of(scope: ChecklistScope, step: Step) -> PenaltyAct {
    let rectification = scope == ChecklistScope::Rectification;
    match step {
        Step::Register(ChecklistScope::Penalty) => PenaltyAct::Register,
        Step::Register(ChecklistScope::Rectification) => PenaltyAct::RegisterRectification,
        Step::Item(_, ItemStep::Submit) => PenaltyAct::Submit { rectification },
        // Payments and extensions concern penalty items (money, post and pay): case management
        // records them for either kind of list.
        Step::Item(_, ItemStep::RecordPayment | ItemStep::Extend) => PenaltyAct::Submit { rectification: false },
        Step::Item(_, ItemStep::Approve | ItemStep::Reject) => PenaltyAct::Review { rectification },
        Step::Item(_, ItemStep::Guide) => PenaltyAct::Guide,
    }
}

/// The `Action` a step is authorized as, in `office`; `Store::execute` checks and records it.
pub fn action(office: &str, scope: ChecklistScope, step: Step) -> Action {
    Action::Penalty { office: office.to_owned(), act: act_of(scope, step) }
}

fn wrong_state(item: &Item, what: &str) -> CoreError {
    let hint = match item.status {
        ItemStatus::Pending => "须待前一项经审理室审核通过后才能办理。",
        ItemStatus::Submitted => "已提交，正在等待审核。",
        ItemStatus::Approved => "已审核通过，无需再办理。",
        ItemStatus::Open | ItemStatus::Rejected => "",
    };
    CoreError::invalid(format!("事项“{}”当前为“{}”，不能{what}。{hint}", item.title, item.status.label()))
}

/// Whether `actor`, working in office `here`, may take `step` on `state` (`None` before the
/// aggregate exists) now; the refusal says why in Chinese. The order of the checks is the order
/// an officer reads them in: the item, whose case it is, the post, the item's state.
pub fn check(state: Option<&Checklist>, here: &str, actor: &Actor, step: Step) -> Result<()> {
    let (c, ord, item_step) = match (state, step) {
        (None, Step::Register(scope)) => return authorize(actor, &action(here, scope, step)),
        (Some(_), Step::Register(_)) => return Err(CoreError::invalid("该处分决定或整改清单已经录入，请勿重复录入。")),
        (None, Step::Item(..)) => {
            return Err(CoreError::NotFound { what: "处分决定或整改清单", id: String::new() });
        }
        (Some(c), Step::Item(ord, s)) => (c, ord, s),
    };
    let item = c.item(ord)?;
    if let Some(owner) = c.owner.as_ref().filter(|o| o.code != here) {
        return Err(crate::ownership::not_owned(&owner.code, &owner.name));
    }
    authorize(actor, &action(here, c.scope, step))?;
    match item_step {
        ItemStep::Submit => {
            if !matches!(item.status, ItemStatus::Open | ItemStatus::Rejected) {
                return Err(wrong_state(item, "提交"));
            }
        }
        ItemStep::Approve | ItemStep::Reject => {
            if item.status != ItemStatus::Submitted {
                return Err(wrong_state(item, if item_step == ItemStep::Approve { "审核" } else { "驳回" }));
            }
            if item.submitted_by.as_deref() == Some(actor.id()) {
                return Err(CoreError::invalid(format!(
                    "事项“{}”是您本人提交的，须由审理室的其他同志审核。",
                    item.title
                )));
            }
        }
        ItemStep::RecordPayment => {
            let Some((_, _, left)) = item.remaining() else {
                return Err(CoreError::invalid(format!("事项“{}”不涉及收缴或退赔金额，不能登记缴款。", item.title)));
            };
            if matches!(item.status, ItemStatus::Submitted | ItemStatus::Approved) {
                return Err(wrong_state(item, "登记缴款"));
            }
            if left <= Decimal::ZERO {
                return Err(CoreError::invalid(format!("事项“{}”的应缴金额已全部缴清，无需再登记缴款。", item.title)));
            }
        }
        ItemStep::Guide => {
            if c.scope != ChecklistScope::Rectification {
                return Err(CoreError::invalid(
                    "指导意见用于整改清单（如以案促改）的事项；处分执行事项请在审核时填写意见。",
                ));
            }
            if item.status == ItemStatus::Approved {
                return Err(wrong_state(item, "提出指导意见"));
            }
        }
        ItemStep::Extend => {
            let Some(max) = item.extendable_to else {
                return Err(CoreError::invalid(format!("事项“{}”的期限不能延长。", item.title)));
            };
            if item.status == ItemStatus::Approved {
                return Err(wrong_state(item, "延长期限"));
            }
            if item.months() >= max {
                return Err(CoreError::invalid(format!(
                    "事项“{}”的期限已延长至最长的 {max} 个月，不能再延长。",
                    item.title
                )));
            }
        }
    }
    Ok(())
}

/// Every step `actor` may take on the checklist now, item by item: exactly those `check` allows.
pub fn allowed(state: &Checklist, here: &str, actor: &Actor) -> Vec<(u32, ItemStep)> {
    state
        .items
        .iter()
        .flat_map(|i| ItemStep::ALL.into_iter().map(move |s| (i.ord, s)))
        .filter(|&(ord, s)| check(Some(state), here, actor, Step::Item(ord, s)).is_ok())
        .collect()
}

/// Whether `actor` may enter a new decision (or list) of `scope` in office `here`.
pub fn may_register(here: &str, actor: &Actor, scope: ChecklistScope) -> bool {
    check(None, here, actor, Step::Register(scope)).is_ok()
}

/// The posts that hold `act` in office `here`, in words ("案件审理室或监督检查室"), found by asking
/// `authz` rather than listing them again.
fn posts_for(here: &str, act: PenaltyAct) -> String {
    let names: Vec<&str> = Role::ALL
        .into_iter()
        .filter(|&role| {
            let probe = Actor::User(Principal {
                user_id: String::new(),
                username: String::new(),
                display_name: String::new(),
                office_code: here.to_owned(),
                grants: vec![RoleGrant { office_code: here.to_owned(), role }],
                session_id: String::new(),
            });
            authorize(&probe, &Action::Penalty { office: here.to_owned(), act }).is_ok()
        })
        .map(Role::label)
        .collect();
    names.join("或")
}

/// For an item that can move on but not by the viewer's hand: who takes its next step, or why
/// the viewer may not, in words for the page. `None` when the viewer may take it, or the item
/// waits for the one before it or is done.
pub fn waiting(state: &Checklist, here: &str, actor: &Actor, ord: u32) -> Option<String> {
    let item = state.item(ord).ok()?;
    let next = match item.status {
        ItemStatus::Open | ItemStatus::Rejected => ItemStep::Submit,
        ItemStatus::Submitted => ItemStep::Approve,
        ItemStatus::Pending | ItemStatus::Approved => return None,
    };
    match check(Some(state), here, actor, Step::Item(ord, next)) {
        Ok(()) => None,
        Err(CoreError::Forbidden { .. }) => {
            let posts = posts_for(here, act_of(state.scope, Step::Item(ord, next)));
            Some(match next {
                ItemStep::Submit => format!("待责任单位办理后，由{posts}提交办理情况和证明材料。"),
                _ => format!("已提交，等待{posts}审核。"),
            })
        }
        Err(refusal) => Some(refusal.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Commands and decisions

/// A submission's contents; the evidence files were checked and hashed where they entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub date: String,
    pub note: String,
    pub measures: Option<String>,
    pub result: Option<String>,
    pub evidence: Vec<Evidence>,
}

/// A step on an item with what the officer entered for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Submit { ord: u32, submission: Submission },
    RecordPayment { ord: u32, amount: String, date: String, note: String },
    Extend { ord: u32, months: u32, approval_ref: String },
    Approve { ord: u32, note: String, score: Option<String> },
    Reject { ord: u32, note: String },
    Guide { ord: u32, text: String },
}

impl Command {
    /// The step the command takes.
    pub fn step(&self) -> Step {
        match self {
            Command::Submit { ord, .. } => Step::Item(*ord, ItemStep::Submit),
            Command::RecordPayment { ord, .. } => Step::Item(*ord, ItemStep::RecordPayment),
            Command::Extend { ord, .. } => Step::Item(*ord, ItemStep::Extend),
            Command::Approve { ord, .. } => Step::Item(*ord, ItemStep::Approve),
            Command::Reject { ord, .. } => Step::Item(*ord, ItemStep::Reject),
            Command::Guide { ord, .. } => Step::Item(*ord, ItemStep::Guide),
        }
    }
}

/// Parses a date an officer entered: a real date, in the calendar's range, not after `today`.
pub fn past_date(text: &str, what: &str, today: NaiveDate) -> Result<NaiveDate> {
    let d = qingfeng_calendar::parse_date(text).map_err(|e| CoreError::invalid(format!("{what}“{text}”无效：{e}")))?;
    if d > today {
        return Err(CoreError::invalid(format!("{what} {d} 晚于今天（{today}），请填写实际日期。")));
    }
    Ok(d)
}

fn short_note(note: &str) -> String {
    note.trim().chars().take(MAX_TEXT_CHARS).collect()
}

/// The events `command` produces on `state`, taken by `actor` in office `here` on business date
/// `today`; or the refusal, in Chinese, of the step or of what was entered.
pub fn decide(
    state: &Checklist,
    here: &str,
    actor: &Actor,
    command: &Command,
    today: NaiveDate,
) -> Result<Vec<ChecklistEvent>> {
    check(Some(state), here, actor, command.step())?;
    let id = state.id.clone();
    let event = match command {
        Command::Submit { ord, submission: s } => {
            let item = state.item(*ord)?;
            let d = past_date(&s.date, "办理日期", today)?;
            if d < state.start_date {
                return Err(CoreError::invalid(format!(
                    "办理日期 {d} 早于{} {}，请核对。",
                    if state.scope == ChecklistScope::Penalty { "处分决定日期" } else { "交办日期" },
                    state.start_date
                )));
            }
            let note = required("办理情况说明", &s.note, MAX_TEXT_CHARS)?;
            if let Some(unpaid) = item.unpaid() {
                return Err(CoreError::invalid(unpaid));
            }
            ChecklistEvent::ItemSubmitted(ItemSubmitted {
                checklist_id: id,
                ord: *ord,
                date: d.to_string(),
                note,
                measures: optional("整改措施", s.measures.as_deref(), MAX_TEXT_CHARS)?,
                result: optional("整改结果", s.result.as_deref(), MAX_TEXT_CHARS)?,
                evidence: s.evidence.clone(),
            })
        }
        Command::Approve { ord, note, score } => {
            let item = state.item(*ord)?;
            if let Some((_, _, left)) = item.remaining()
                && left != Decimal::ZERO
            {
                return Err(CoreError::invalid(format!("尚余 {} 元未缴清，不能审核通过。", rules::fen(left))));
            }
            let score = match (score.as_deref().map(str::trim).filter(|s| !s.is_empty()), item.max_score) {
                (None, _) => None,
                (Some(_), None) => {
                    return Err(CoreError::invalid(format!("事项“{}”不计分，不能填写得分。", item.title)));
                }
                (Some(text), Some(max)) => {
                    let s = if text == "0" { Decimal::ZERO } else { rules::parse_amount(text, "得分")? };
                    if s > max {
                        return Err(CoreError::invalid(format!(
                            "得分 {} 超过该项满分 {}。",
                            rules::fen(s),
                            rules::fen(max)
                        )));
                    }
                    Some(rules::fen(s))
                }
            };
            ChecklistEvent::ItemApproved(ItemApproved {
                checklist_id: id,
                ord: *ord,
                date: today.to_string(),
                note: short_note(note),
                score,
            })
        }
        Command::Reject { ord, note } => {
            let note = required("驳回理由和整改意见", note, MAX_TEXT_CHARS)?;
            ChecklistEvent::ItemRejected(ItemRejected { checklist_id: id, ord: *ord, date: today.to_string(), note })
        }
        Command::Guide { ord, text } => ChecklistEvent::GuidanceGiven(GuidanceGiven {
            checklist_id: id,
            ord: *ord,
            date: today.to_string(),
            text: required("指导意见", text, MAX_TEXT_CHARS)?,
        }),
        Command::RecordPayment { ord, amount, date, note } => {
            let item = state.item(*ord)?;
            let (due, paid, left) =
                item.remaining().ok_or_else(|| CoreError::Encoding("checked payment item has no amount".into()))?;
            let amount = rules::parse_amount(amount, "缴款金额")?;
            if amount > left {
                return Err(CoreError::invalid(format!(
                    "缴款 {} 元超出尚未缴清的金额：应缴 {} 元，已缴 {} 元，尚余 {} 元。请核对金额。",
                    rules::fen(amount),
                    rules::fen(due),
                    rules::fen(paid),
                    rules::fen(left)
                )));
            }
            let d = past_date(date, "缴款日期", today)?;
            if d < state.start_date {
                return Err(CoreError::invalid(format!(
                    "缴款日期 {d} 早于处分决定日期 {}，请核对。",
                    state.start_date
                )));
            }
            ChecklistEvent::PaymentRecorded(PaymentRecorded {
                checklist_id: id,
                ord: *ord,
                date: d.to_string(),
                amount: rules::fen(amount),
                note: short_note(note),
            })
        }
        Command::Extend { ord, months, approval_ref } => {
            let item = state.item(*ord)?;
            let (current, max) = (item.months(), item.extendable_to.unwrap_or(0));
            if *months <= current || *months > max {
                return Err(CoreError::invalid(format!(
                    "延长后的期限应大于现有的 {current} 个月、且不超过 {max} 个月（填写的是 {months} 个月）。"
                )));
            }
            let approval_ref = required("批准文号或批准依据", approval_ref, 200)?;
            ChecklistEvent::ItemExtended(ItemExtended {
                checklist_id: id,
                ord: *ord,
                date: today.to_string(),
                months: *months,
                approval_ref,
            })
        }
    };
    Ok(vec![event])
}

/// What a penalty decision's registration reads besides the form: the records it refers to and
/// the office's reference data. `ops` answers from the database, a rule test from memory.
pub trait Lookups {
    /// The id of the complaint `id_or_number` names, if there is one.
    fn complaint_id(&self, id_or_number: &str) -> Result<Option<String>>;
    /// Whether this decision for this person was entered before.
    fn already_registered(&self, decision_number: &str, person_name: &str) -> Result<bool>;
    /// The latest version of every penalty checklist template, highest priority first.
    fn penalty_templates(&self) -> Result<Vec<Template>>;
    /// The office's end-day rule for influence periods (`penalty.influence_end_day_before`).
    fn influence_end_day_before(&self) -> Result<bool>;
}

/// Entering a penalty decision: who, where, when, with what.
#[derive(Debug, Clone, Copy)]
pub struct NewPenalty<'a> {
    pub id: &'a str,
    pub office: &'a str,
    pub today: NaiveDate,
    pub calendar: &'a Calendar,
}

/// Checks a decision as entered and builds its `penalty.registered` event, with the influence
/// periods and the items generated from the template whose rule holds.
pub fn register_penalty(
    new: NewPenalty<'_>,
    actor: &Actor,
    form: &RegisterPenalty,
    lookups: &dyn Lookups,
) -> Result<ChecklistEvent> {
    check(None, new.office, actor, Step::Register(ChecklistScope::Penalty))?;
    let today = new.today;
    let mut f = form.clone();
    f.decision_number = required("处分决定文号", &f.decision_number, 100)?;
    f.deciding_body = required("作出决定的机关", &f.deciding_body, 100)?;
    f.person.name = required("受处分人姓名", &f.person.name, 50)?;
    f.person.unit = required("受处分人单位", &f.person.unit, 100)?;
    f.person.post = crate::input::bounded("受处分人职务", &f.person.post, 100)?;
    f.person.rank = crate::input::bounded("受处分人职级", &f.person.rank, 50)?;
    if f.party_penalty.is_none() && f.government_sanction.is_none() {
        return Err(CoreError::invalid("请至少选择一种党纪处分或政务处分。"));
    }
    if f.party_penalty.is_some() && !f.person.party_member {
        return Err(CoreError::invalid("受处分人不是党员，不能给予党纪处分；请核对“是否党员”或处分种类。"));
    }
    if f.probation_years.is_some() && f.party_penalty != Some(PartyPenalty::Probation) {
        return Err(CoreError::invalid("只有留党察看才填写察看期限。"));
    }
    if f.government_sanction.is_none() && (f.sanction_count.is_some() || f.sanction_months.is_some()) {
        return Err(CoreError::invalid("只有政务处分才填写合并个数或处分期间。"));
    }
    let decision = past_date(&f.decision_date, "处分决定日期", today)?;
    f.decision_date = decision.to_string();
    let approval = match f.approval_date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => {
            let d = past_date(text, "批准日期", today)?;
            if d < decision {
                return Err(CoreError::invalid(format!("批准日期 {d} 早于处分决定日期 {decision}，请核对。")));
            }
            Some(d)
        }
    };
    f.approval_date = approval.map(|d| d.to_string());
    f.responsible_units = f
        .responsible_units
        .iter()
        .map(|u| crate::input::bounded("主体责任部门", u, 100))
        .filter(|u| u.as_ref().map_or(true, |u| !u.is_empty()))
        .collect::<Result<_>>()?;
    if f.responsible_units.len() > MAX_ITEMS {
        return Err(CoreError::invalid(format!("主体责任部门不能超过 {MAX_ITEMS} 个。")));
    }
    if f.responsible_units.is_empty() {
        return Err(CoreError::invalid("请至少填写一个主体责任部门（执行单位）。"));
    }
    let confiscate = f.confiscate.as_deref().filter(|s| !s.trim().is_empty());
    let repay = f.repay.as_deref().filter(|s| !s.trim().is_empty());
    let confiscate = confiscate.map(|s| rules::parse_amount(s, "收缴金额")).transpose()?;
    let repay = repay.map(|s| rules::parse_amount(s, "退赔金额")).transpose()?;
    f.confiscate = confiscate.map(rules::fen);
    f.repay = repay.map(rules::fen);
    let amount_due = match (confiscate, repay) {
        (None, None) => None,
        (a, b) => Some(rules::fen(a.unwrap_or_default() + b.unwrap_or_default())),
    };
    f.organisational_handling = optional("组织处理", f.organisational_handling.as_deref(), 500)?;
    f.complaint_id = f.complaint_id.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if let Some(c) = &f.complaint_id {
        let found = lookups.complaint_id(c)?;
        f.complaint_id = Some(found.ok_or_else(|| CoreError::NotFound { what: "检举控告", id: c.clone() })?);
    }
    if lookups.already_registered(&f.decision_number, &f.person.name)? {
        return Err(CoreError::invalid(format!(
            "处分决定 {} 对 {} 已经录入过，请勿重复录入。",
            f.decision_number, f.person.name
        )));
    }
    let day_before = lookups.influence_end_day_before()?;
    let periods = rules::influence_periods(new.calendar, &f, decision, approval, day_before)?;
    let influence_end = rules::latest_end(&periods).map(|e| date(&e)).transpose()?;
    let facts = Facts {
        party_penalty: f.party_penalty,
        government_sanction: f.government_sanction,
        party_member: f.person.party_member,
        special_status: f.person.deputy || f.person.cppcc_member || f.person.non_party_cadre,
        amounts_named: amount_due.is_some(),
        organisational_handling: f.organisational_handling.is_some(),
        finite_period: influence_end.is_some(),
    };
    let template = template::choose_from(lookups.penalty_templates()?, &facts)?;
    let items = template::generate(
        &template,
        &facts,
        &Dates { decision, approval, influence_end, start: decision, due: None },
        &ItemContext { responsible_unit: f.responsible_units[0].clone(), amount_due: amount_due.clone() },
    )?;
    Ok(ChecklistEvent::PenaltyRegistered(Box::new(PenaltyRegistered {
        penalty_id: new.id.to_owned(),
        office_code: new.office.to_owned(),
        date: today.to_string(),
        penalty_label: rules::penalty_label(&f),
        form: f,
        amount_due,
        periods,
        template_id: template.id.clone(),
        template_version: template.version,
        items,
        report_rule: Some(DeadlineKind::PenaltyExecutionReport.rule().code()),
    })))
}

/// Entering a rectification list: who, where, when.
#[derive(Debug, Clone, Copy)]
pub struct NewRectification<'a> {
    pub id: &'a str,
    pub office: &'a str,
    pub today: NaiveDate,
}

/// The penalty decision a reform-by-case list follows, as `ops` found it in this office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReformCase {
    pub penalty_id: String,
    pub decision_number: String,
    pub decision_date: NaiveDate,
    pub person_name: String,
    pub person_unit: String,
    /// The title of a reform-by-case list already entered for it, if there is one.
    pub existing_list: Option<String>,
}

/// Checks a rectification list as entered (problems listed one by one, and/or a template's
/// indicators, `template` being the latest version of the one the form names) and builds its
/// `checklist.registered` event. A reform-by-case list (以案促改) names its penalty decision
/// (`case`, found by `ops` from `form.penalty_id`): one list per decision, started no earlier than
/// the decision, titled after it and in the penalised person's unit unless the form says otherwise.
pub fn register_rectification(
    new: NewRectification<'_>,
    actor: &Actor,
    form: &RegisterRectification,
    template: Option<&Template>,
    case: Option<&ReformCase>,
) -> Result<ChecklistEvent> {
    check(None, new.office, actor, Step::Register(ChecklistScope::Rectification))?;
    let mut form = form.clone();
    match case {
        Some(case) => {
            if let Some(title) = &case.existing_list {
                return Err(CoreError::invalid(format!(
                    "处分决定 {} 已有以案促改清单“{title}”，请在该清单中办理，不要重复新建。",
                    case.decision_number
                )));
            }
            if form.title.trim().is_empty() {
                form.title = format!("{}以案促改（{}）", case.person_name, case.decision_number);
            }
            if form.responsible_unit.as_deref().is_none_or(|u| u.trim().is_empty()) {
                form.responsible_unit = Some(case.person_unit.clone());
            }
            form.source = RectificationSource::ReformByCase;
        }
        None if form.source == RectificationSource::ReformByCase => {
            return Err(CoreError::invalid("以案促改清单须对应一份处分决定，请选择处分决定后再新建。"));
        }
        None => {}
    }
    let form = &form;
    let title = required("清单名称", &form.title, 200)?;
    let start = past_date(&form.start_date, "交办日期", new.today)?;
    if let Some(case) = case
        && start < case.decision_date
    {
        return Err(CoreError::invalid(format!("交办日期 {start} 早于处分决定日期 {}，请核对。", case.decision_date)));
    }
    let due_of = |text: &str, what: &str| -> Result<NaiveDate> {
        let d =
            qingfeng_calendar::parse_date(text).map_err(|e| CoreError::invalid(format!("{what}“{text}”无效：{e}")))?;
        if d < start {
            return Err(CoreError::invalid(format!("{what} {d} 早于交办日期 {start}，请核对。")));
        }
        Ok(d)
    };
    let mut items = Vec::new();
    let mut template_ref = None;
    let mut sequential = form.sequential;
    if let Some(t) = template {
        if t.scope != ChecklistScope::Rectification {
            return Err(CoreError::invalid(format!("模板“{}”不是整改清单模板。", t.name)));
        }
        let unit = required("责任单位", form.responsible_unit.as_deref().unwrap_or(""), 100)?;
        let due = due_of(form.due_date.as_deref().unwrap_or(""), "完成期限")?;
        items = template::generate(
            t,
            &Facts::default(),
            &Dates { decision: start, approval: None, influence_end: None, start, due: Some(due) },
            &ItemContext { responsible_unit: unit, amount_due: None },
        )?;
        sequential = sequential || t.sequential;
        template_ref = Some((t.id.clone(), t.version));
    }
    for item in &form.items {
        let ord = items.len() as u32 + 1;
        let due = due_of(&item.due_date, &format!("第 {ord} 项的完成期限"))?;
        items.push(GeneratedItem {
            ord,
            code: format!("problem_{ord}"),
            title: required(&format!("第 {ord} 项的问题"), &item.title, 500)?,
            responsible_unit: required(&format!("第 {ord} 项的责任单位"), &item.responsible_unit, 100)?,
            measures: crate::input::bounded(&format!("第 {ord} 项的整改措施"), &item.measures, MAX_TEXT_CHARS)?,
            deadline_kind: DeadlineKind::RectificationItem,
            // Due on the date the list gives it (moved off a day off): the rule travels with the
            // item, so a later change of the kind's default never moves it.
            rule: Rule::Months(0).code(),
            start: due.to_string(),
            extendable_to: None,
            payment: false,
            amount_due: None,
            max_score: item
                .max_score
                .as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| rules::parse_amount(s, "满分").map(rules::fen))
                .transpose()?,
            letters: Vec::new(),
        });
    }
    if items.is_empty() {
        return Err(CoreError::invalid("整改清单至少要有一项问题，或选用一个模板。"));
    }
    if items.len() > MAX_ITEMS {
        return Err(CoreError::invalid(format!("整改清单不能超过 {MAX_ITEMS} 项。")));
    }
    Ok(ChecklistEvent::RectificationRegistered(ChecklistRegistered {
        checklist_id: new.id.to_owned(),
        office_code: new.office.to_owned(),
        date: start.to_string(),
        title,
        source: form.source,
        template_id: template_ref.as_ref().map(|t| t.0.clone()),
        template_version: template_ref.as_ref().map(|t| t.1),
        sequential,
        items,
        penalty_id: case.map(|c| c.penalty_id.clone()),
    }))
}

// ---------------------------------------------------------------------------------------------
// Duties

/// A deadline an event opens or closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duty {
    /// Opens deadline `id` of `kind`, due by `rule` from `start`. `item` names the item that
    /// opens with it (it was waiting and may now be worked on).
    Open { id: String, kind: DeadlineKind, rule: Rule, start: NaiveDate, item: Option<u32> },
    /// Closes deadline `id` as met (`done`) or no longer owed (`cancelled`) on `date`.
    Close { id: String, status: &'static str, date: String },
}

/// The deadlines `event` opens or closes, given the state before it (`None` for a registration).
pub fn duties(before: Option<&Checklist>, event: &ChecklistEvent) -> Result<Vec<Duty>> {
    let open_item = |c: &Checklist, ord: u32| -> Result<Duty> {
        let item = c.item(ord)?;
        Ok(Duty::Open {
            id: item_deadline_id(&c.id, ord),
            kind: item.deadline_kind,
            rule: item.rule,
            start: item.deadline_start,
            item: Some(ord),
        })
    };
    let missing = || CoreError::Encoding(format!("{} arrived for an unknown checklist", event.kind()));
    Ok(match event {
        ChecklistEvent::PenaltyRegistered(p) => {
            let c = Checklist::registered(event)?;
            let mut out = c.first_open().into_iter().map(|ord| open_item(&c, ord)).collect::<Result<Vec<_>>>()?;
            // The executing body reports execution within six months of the decision; an event
            // written before the rule travelled with it keeps today's rule.
            let rule = match &p.report_rule {
                Some(code) => Rule::parse(code)?,
                None => DeadlineKind::PenaltyExecutionReport.rule(),
            };
            out.push(Duty::Open {
                id: report_deadline_id(&p.penalty_id),
                kind: DeadlineKind::PenaltyExecutionReport,
                rule,
                start: c.start_date,
                item: None,
            });
            out
        }
        ChecklistEvent::RectificationRegistered(_) => {
            let c = Checklist::registered(event)?;
            c.first_open().into_iter().map(|ord| open_item(&c, ord)).collect::<Result<Vec<_>>>()?
        }
        ChecklistEvent::ItemApproved(p) => {
            let c = before.ok_or_else(missing)?;
            let mut out = Vec::new();
            if let Some(id) = &c.item(p.ord)?.deadline_id {
                out.push(Duty::Close { id: id.clone(), status: "done", date: p.date.clone() });
            }
            if let Some(next) = c.opened_by_approval(p.ord) {
                out.push(open_item(c, next)?);
            }
            // The execution report is met once only restoration (due at the period's end) remains.
            let rest = c.items.iter().filter(|i| {
                i.ord != p.ord
                    && i.status != ItemStatus::Approved
                    && i.deadline_kind != DeadlineKind::PenaltyRestoration
            });
            if c.scope == ChecklistScope::Penalty && rest.count() == 0 {
                out.push(Duty::Close { id: report_deadline_id(&c.id), status: "done", date: p.date.clone() });
            }
            out
        }
        ChecklistEvent::ItemExtended(p) => {
            let c = before.ok_or_else(missing)?;
            let item = c.item(p.ord)?;
            let mut out = Vec::new();
            if let Some(old) = &item.deadline_id {
                out.push(Duty::Close { id: old.clone(), status: "cancelled", date: p.date.clone() });
            }
            out.push(Duty::Open {
                id: extension_deadline_id(&c.id, p.ord, p.months),
                kind: item.deadline_kind,
                rule: Rule::Months(p.months),
                start: item.deadline_start,
                item: None,
            });
            out
        }
        ChecklistEvent::ItemSubmitted(_)
        | ChecklistEvent::ItemRejected(_)
        | ChecklistEvent::PaymentRecorded(_)
        | ChecklistEvent::GuidanceGiven(_) => Vec::new(),
    })
}
