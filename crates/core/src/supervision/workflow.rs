//! Supervision letters and circulars (监督建议书、提醒函、监督通报) as pure rules, with no SQL and
//! no store: every workflow rule of a letter and a circular in one place.
//!
//! - **Letters.** `register_letter` checks a draft (unit, title, problems, feedback period);
//!   `Letter` is a letter's state (loaded by `state::letter`, or folded from its events with
//!   `Letter::registered` and `Letter::apply`); `LetterStep` names what may be done; `check`
//!   decides whether an actor may take a step now, with the refusal in Chinese; `allowed` lists the
//!   steps, derived from `check`; `decide` turns a command into events; `duties` says which
//!   feedback deadline each event opens or closes.
//! - **Circulars.** `circular_units` turns the facts of a period's letters into the units a
//!   circular names and their problems in words; `draft_circular` checks the period and builds the
//!   draft; `check_circular` decides whether it may be issued.
//!
//! A letter is issued as a numbered notice (the notice path records `letter.issued` in the same
//! transaction as `document.issued`); the feedback then falls due some working days later. The
//! unit's feedback is recorded with its date and evidence, measured against the due date then in
//! force, and accepted (the letter closes, the problems it reports rectified are counted) or sent
//! back with a note (a new feedback falls due). A unit late with its feedback may be reminded.
//!
//! Architecture invariant: nothing here reads or writes the database; `ops` loads, calls `decide`
//! and appends through `Store::execute`, and the projector applies `duties`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::events::{CircularEvent, LetterEvent};
use super::model::*;
use crate::authz::{Action, Actor, SupervisionAct, authorize};
use crate::deadlines::{DeadlineKind, Rule};
use crate::error::{CoreError, Result};
use crate::input::{optional, required};
use crate::penalty::model::Evidence;

/// The most problems one letter may list.
pub const MAX_PROBLEMS: usize = 30;
/// The longest problem, feedback or suggestion text.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// Working days a unit has for its feedback when the letter names none.
pub const DEFAULT_FEEDBACK_WORKING_DAYS: u32 = 30;
/// Working days for a new feedback after one is sent back, unless the officer names another.
pub const DEFAULT_RESUBMIT_WORKING_DAYS: u32 = 15;
/// The most units one circular may name.
pub const MAX_CIRCULAR_UNITS: usize = 200;

/// The `Action` a supervision act is authorized as, in `office`.
pub fn action(office: &str, act: SupervisionAct) -> Action {
    Action::Supervision { office: office.to_owned(), act }
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| CoreError::Encoding(format!("bad date {s}: {e}")))
}

/// A date as typed by an officer, or the refusal naming the field.
fn typed_date(what: &str, s: &str) -> Result<NaiveDate> {
    qingfeng_calendar::parse_date(s).map_err(|e| CoreError::invalid(format!("{what}“{}”无效：{e}", s.trim())))
}

fn working_days(what: &str, days: u32) -> Result<Rule> {
    if !(1..=120).contains(&days) {
        return Err(CoreError::invalid(format!("{what}应为 1 到 120 个工作日。")));
    }
    Ok(Rule::WorkingDays(days))
}

/// The notice kind a letter is issued as: 监督建议书 or 提醒函, each numbered in its own series.
pub fn notice_kind(kind: LetterKind) -> &'static str {
    match kind {
        LetterKind::Suggestion => "supervision_suggestion",
        LetterKind::Reminder => "reminder_letter",
    }
}

/// The deadline id of a letter's feedback in `round`.
pub fn feedback_deadline_id(letter_id: &str, round: u32) -> String {
    format!("letter_feedback:{letter_id}:{round}")
}

// ---------------------------------------------------------------------------------------------
// Letters: drafting

/// Drafting a letter: who, where, when.
#[derive(Debug, Clone, Copy)]
pub struct NewLetter<'a> {
    pub id: &'a str,
    pub office: &'a str,
    pub today: NaiveDate,
}

/// Checks a letter as drafted and builds `letter.registered`.
pub fn register_letter(new: NewLetter<'_>, actor: &Actor, form: &LetterForm) -> Result<LetterEvent> {
    authorize(actor, &action(new.office, SupervisionAct::Handle))?;
    let unit = required("被监督单位", &form.unit, 100)?;
    let title = required("标题", &form.title, 100)?;
    let topic = match (form.kind, form.topic) {
        (LetterKind::Reminder, None) => {
            return Err(CoreError::invalid("提醒函须选择提醒类别：廉政提醒或履职提醒。"));
        }
        (LetterKind::Suggestion, Some(_)) => {
            return Err(CoreError::invalid("监督建议书不分提醒类别；如是提醒，请选择“提醒函”。"));
        }
        (_, t) => t,
    };
    let mut problems = Vec::with_capacity(form.problems.len());
    for (i, p) in form.problems.iter().enumerate() {
        if let Some(p) = optional(&format!("第 {} 个问题", i + 1), Some(p), MAX_TEXT_CHARS)? {
            if problems.contains(&p) {
                return Err(CoreError::invalid(format!("第 {} 个问题与前面的一个问题相同，请删除重复的一条。", i + 1)));
            }
            problems.push(p);
        }
    }
    if problems.is_empty() {
        return Err(CoreError::invalid("请至少写明一个发现的问题（每行一个），整改情况按问题逐个统计。"));
    }
    if problems.len() > MAX_PROBLEMS {
        return Err(CoreError::invalid(format!("一份文书最多列 {MAX_PROBLEMS} 个问题，请合并或分函。")));
    }
    let suggestions = required(
        match form.kind {
            LetterKind::Suggestion => "监督建议",
            LetterKind::Reminder => "提醒事项",
        },
        &form.suggestions,
        MAX_TEXT_CHARS,
    )?;
    let days = form.feedback_working_days.unwrap_or(DEFAULT_FEEDBACK_WORKING_DAYS);
    working_days("反馈期限", days)?;
    let feedback_due = match form.feedback_due.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            let due = typed_date("反馈截止日期", s)?;
            if due <= new.today {
                return Err(CoreError::invalid(format!(
                    "反馈截止日期 {due} 不晚于今天（{}），而文书尚未签发：反馈截止日期应在签发日期之后。",
                    new.today
                )));
            }
            Some(due.to_string())
        }
    };
    Ok(LetterEvent::Registered(LetterRegistered {
        letter_id: new.id.to_owned(),
        office_code: new.office.to_owned(),
        date: new.today.to_string(),
        kind: form.kind,
        topic,
        unit,
        title,
        problems,
        suggestions,
        feedback_working_days: days,
        feedback_due,
    }))
}

// ---------------------------------------------------------------------------------------------
// Letters: state

/// A letter as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub id: String,
    pub status: LetterStatus,
    pub kind: LetterKind,
    pub unit: String,
    pub problems: Vec<String>,
    pub feedback_working_days: u32,
    /// A fixed feedback date, when the letter names one instead of working days.
    pub feedback_due: Option<NaiveDate>,
    pub issue_date: Option<NaiveDate>,
    /// The feedback round now owed or under review (1 after the issue, one more per sending back).
    pub round: u32,
    /// The date the current feedback counts from (the issue, or the last sending back).
    pub round_start: Option<NaiveDate>,
    /// The current feedback's due date, where the calendar computed it (`state::letter` reads it
    /// from the deadline; folding events alone leaves it `None`).
    pub due: Option<NaiveDate>,
    /// The problems the feedback under review reports rectified.
    pub pending_rectified: Vec<u32>,
}

impl Letter {
    /// The state right after `letter.registered`.
    pub fn registered(p: &LetterRegistered) -> Result<Letter> {
        Ok(Letter {
            id: p.letter_id.clone(),
            status: LetterStatus::Drafted,
            kind: p.kind,
            unit: p.unit.clone(),
            problems: p.problems.clone(),
            feedback_working_days: p.feedback_working_days,
            feedback_due: p.feedback_due.as_deref().map(parse_date).transpose()?,
            issue_date: None,
            round: 0,
            round_start: None,
            due: None,
            pending_rectified: Vec::new(),
        })
    }

    /// Applies one of the letter's later events.
    pub fn apply(&mut self, event: &LetterEvent) -> Result<()> {
        match event {
            LetterEvent::Registered(_) => {
                return Err(CoreError::Encoding(format!("letter {} is already registered", self.id)));
            }
            LetterEvent::Issued(p) => {
                let d = parse_date(&p.date)?;
                self.status = LetterStatus::Issued;
                self.issue_date = Some(d);
                self.round = 1;
                self.round_start = Some(d);
                self.due = None;
            }
            LetterEvent::FeedbackRecorded(p) => {
                self.status = LetterStatus::Feedback;
                self.pending_rectified = p.rectified.clone();
            }
            LetterEvent::FeedbackAccepted(_) => self.status = LetterStatus::Closed,
            LetterEvent::FeedbackSentBack(p) => {
                self.status = LetterStatus::Issued;
                self.round += 1;
                self.round_start = Some(parse_date(&p.date)?);
                self.due = None;
                self.pending_rectified.clear();
            }
            LetterEvent::Reminded(_) => {}
        }
        Ok(())
    }

    /// Whether the feedback owed now is late on `today`.
    pub fn late(&self, today: NaiveDate) -> bool {
        self.status == LetterStatus::Issued && self.due.is_some_and(|d| today > d)
    }
}

// ---------------------------------------------------------------------------------------------
// Letters: steps and the check

/// What may be done to a letter; the page shows one control for each step `allowed` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LetterStep {
    /// 签发 (the numbered notice).
    Issue,
    /// 录入反馈.
    RecordFeedback,
    /// 采纳反馈（办结）.
    Accept,
    /// 退回重新反馈.
    SendBack,
    /// 催办.
    Remind,
}

impl LetterStep {
    pub const ALL: [LetterStep; 5] =
        [LetterStep::Issue, LetterStep::RecordFeedback, LetterStep::Accept, LetterStep::SendBack, LetterStep::Remind];

    pub fn label(self) -> &'static str {
        match self {
            LetterStep::Issue => "签发",
            LetterStep::RecordFeedback => "录入反馈",
            LetterStep::Accept => "采纳反馈",
            LetterStep::SendBack => "退回重新反馈",
            LetterStep::Remind => "催办",
        }
    }
}

fn wrong_state(l: &Letter, what: &str) -> CoreError {
    let hint = match l.status {
        LetterStatus::Drafted => "请先签发。".to_owned(),
        LetterStatus::Issued => format!("正在等待被监督单位第 {} 次反馈。", l.round),
        LetterStatus::Feedback => format!("第 {} 次反馈已录入，请先采纳或退回。", l.round),
        LetterStatus::Closed => "反馈已采纳，本件已办结，不能再录入或变更。".to_owned(),
    };
    CoreError::invalid(format!("本件当前为“{}”，不能{what}。{hint}", l.status.label()))
}

/// Whether `actor`, working in office `here`, may take `step` on the letter on `today` (`None`
/// before it exists); the refusal says why in Chinese.
pub fn check(state: Option<&Letter>, here: &str, actor: &Actor, step: LetterStep, today: NaiveDate) -> Result<()> {
    let Some(l) = state else {
        return Err(CoreError::NotFound { what: "监督建议或提醒函", id: String::new() });
    };
    authorize(actor, &action(here, SupervisionAct::Handle))?;
    match step {
        LetterStep::Issue if l.status != LetterStatus::Drafted => Err(wrong_state(l, "签发")),
        LetterStep::RecordFeedback if l.status != LetterStatus::Issued => Err(wrong_state(l, "录入反馈")),
        LetterStep::Accept if l.status != LetterStatus::Feedback => Err(wrong_state(l, "采纳反馈")),
        LetterStep::SendBack if l.status != LetterStatus::Feedback => Err(wrong_state(l, "退回反馈")),
        LetterStep::Remind if l.status != LetterStatus::Issued => Err(wrong_state(l, "催办")),
        LetterStep::Remind if !l.late(today) => Err(CoreError::invalid(match l.due {
            Some(d) => format!("反馈期限为 {d}，尚未逾期，不需催办。"),
            None => "反馈期限尚未确定，不需催办。".to_owned(),
        })),
        _ => Ok(()),
    }
}

/// Every step `actor` may take on the letter on `today`: exactly those `check` allows.
pub fn allowed(state: &Letter, here: &str, actor: &Actor, today: NaiveDate) -> Vec<LetterStep> {
    LetterStep::ALL.into_iter().filter(|&s| check(Some(state), here, actor, s, today).is_ok()).collect()
}

/// A step with what the officer entered for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LetterCommand {
    /// Recorded by the notice path when the letter is issued with its number.
    Issue {
        number: String,
        document_id: String,
    },
    RecordFeedback {
        date: String,
        content: String,
        rectified: Vec<u32>,
        evidence: Vec<Evidence>,
    },
    Accept {
        note: String,
    },
    SendBack {
        note: String,
        working_days: Option<u32>,
    },
    Remind {
        note: String,
    },
}

impl LetterCommand {
    pub fn step(&self) -> LetterStep {
        match self {
            LetterCommand::Issue { .. } => LetterStep::Issue,
            LetterCommand::RecordFeedback { .. } => LetterStep::RecordFeedback,
            LetterCommand::Accept { .. } => LetterStep::Accept,
            LetterCommand::SendBack { .. } => LetterStep::SendBack,
            LetterCommand::Remind { .. } => LetterStep::Remind,
        }
    }
}

/// The events `command` produces on `state`, taken by `actor` in office `here` on business date
/// `today`; or the refusal, in Chinese.
pub fn decide(
    state: &Letter,
    here: &str,
    actor: &Actor,
    command: &LetterCommand,
    today: NaiveDate,
) -> Result<Vec<LetterEvent>> {
    check(Some(state), here, actor, command.step(), today)?;
    let letter_id = state.id.clone();
    let date = today.to_string();
    let event = match command {
        LetterCommand::Issue { number, document_id } => {
            let (rule, start) = match state.feedback_due {
                Some(due) if due <= today => {
                    return Err(CoreError::invalid(format!(
                        "文书写明的反馈截止日期 {due} 不晚于签发日期（{today}）：请重新拟稿，写明签发之后的反馈截止日期。"
                    )));
                }
                // Due on the date itself, moved to the next working day if it is a day off.
                Some(due) => (Rule::Months(0), Some(due.to_string())),
                None => (working_days("反馈期限", state.feedback_working_days)?, None),
            };
            LetterEvent::Issued(LetterIssued {
                letter_id,
                date,
                number: number.clone(),
                document_id: document_id.clone(),
                feedback_rule: rule.code(),
                feedback_start: start,
            })
        }
        LetterCommand::RecordFeedback { date: given, content, rectified, evidence } => {
            let given = typed_date("反馈日期", given)?;
            if given > today {
                return Err(CoreError::invalid(format!(
                    "反馈日期 {given} 晚于今天（{today}），请填写实际收到反馈的日期。"
                )));
            }
            if let Some(start) = state.round_start
                && given < start
            {
                return Err(CoreError::invalid(format!(
                    "反馈日期 {given} 早于本次反馈的起算日（{start}，签发或退回之日），请核对。"
                )));
            }
            let content = required("反馈内容", content, MAX_TEXT_CHARS)?;
            let total = state.problems.len() as u32;
            let mut seen = BTreeSet::new();
            for &n in rectified {
                if n == 0 || n > total {
                    return Err(CoreError::invalid(format!(
                        "本件共 {total} 个问题，没有第 {n} 个问题：请按文书中问题的序号勾选已整改的问题。"
                    )));
                }
                if !seen.insert(n) {
                    return Err(CoreError::invalid(format!("第 {n} 个问题重复勾选，请只选一次。")));
                }
            }
            LetterEvent::FeedbackRecorded(FeedbackRecorded {
                letter_id,
                round: state.round,
                date: given.to_string(),
                content,
                rectified: seen.into_iter().collect(),
                evidence: evidence.clone(),
                due_date: state.due.map(|d| d.to_string()),
                on_time: state.due.is_none_or(|d| given <= d),
            })
        }
        LetterCommand::Accept { note } => LetterEvent::FeedbackAccepted(FeedbackReviewed {
            letter_id,
            round: state.round,
            date,
            note: optional("审核意见", Some(note), 500)?.unwrap_or_default(),
            feedback_rule: None,
        }),
        LetterCommand::SendBack { note, working_days: days } => LetterEvent::FeedbackSentBack(FeedbackReviewed {
            letter_id,
            round: state.round,
            date,
            note: required("退回理由", note, 500)?,
            feedback_rule: Some(working_days("重新反馈期限", days.unwrap_or(DEFAULT_RESUBMIT_WORKING_DAYS))?.code()),
        }),
        LetterCommand::Remind { note } => LetterEvent::Reminded(LetterReminded {
            letter_id,
            round: state.round,
            date,
            note: optional("催办说明", Some(note), 500)?.unwrap_or_default(),
        }),
    };
    Ok(vec![event])
}

// ---------------------------------------------------------------------------------------------
// Duties

/// A deadline an event opens or closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duty {
    Open { id: String, kind: DeadlineKind, rule: Rule, start: NaiveDate },
    Close { id: String, status: &'static str, date: String },
}

/// The feedback deadlines a letter's event opens or closes: the first falls due from the issue,
/// is met by the feedback, and a sending back opens the next round from its own date.
pub fn duties(event: &LetterEvent) -> Result<Vec<Duty>> {
    Ok(match event {
        LetterEvent::Issued(p) => vec![Duty::Open {
            id: feedback_deadline_id(&p.letter_id, 1),
            kind: DeadlineKind::LetterFeedback,
            rule: Rule::parse(&p.feedback_rule)?,
            start: parse_date(p.feedback_start.as_deref().unwrap_or(&p.date))?,
        }],
        LetterEvent::FeedbackRecorded(p) => {
            vec![Duty::Close { id: feedback_deadline_id(&p.letter_id, p.round), status: "done", date: p.date.clone() }]
        }
        LetterEvent::FeedbackSentBack(p) => match &p.feedback_rule {
            Some(rule) => vec![Duty::Open {
                id: feedback_deadline_id(&p.letter_id, p.round + 1),
                kind: DeadlineKind::LetterFeedback,
                rule: Rule::parse(rule)?,
                start: parse_date(&p.date)?,
            }],
            None => Vec::new(),
        },
        LetterEvent::Registered(_) | LetterEvent::FeedbackAccepted(_) | LetterEvent::Reminded(_) => Vec::new(),
    })
}

// ---------------------------------------------------------------------------------------------
// Circulars

/// A letter issued in a circular's period, as the circular reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterFact {
    pub unit: String,
    pub kind: LetterKind,
    pub number: String,
    pub status: LetterStatus,
    /// The current feedback's due date, if one is open.
    pub due: Option<NaiveDate>,
    /// Feedbacks that came after their due date.
    pub late_feedbacks: u32,
    /// Feedbacks sent back.
    pub sent_back: u32,
    pub problems_total: u32,
    pub problems_rectified: u32,
}

/// The units a circular for a period ending `to` names, each with its problems in words, in the
/// order of their first letter: a feedback not given by its due date, a feedback given late, a
/// feedback sent back, and problems not yet rectified. A letter closed with every problem
/// rectified, on time and never sent back, names nobody.
pub fn circular_units(facts: &[LetterFact], to: NaiveDate) -> Vec<CircularUnit> {
    let mut order: Vec<String> = Vec::new();
    let mut by_unit: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in facts {
        let mut found = Vec::new();
        let what = format!("{}（{}）", f.kind.label(), f.number);
        if f.status == LetterStatus::Issued && f.due.is_some_and(|d| d < to) {
            found.push(format!("{what}逾期未反馈整改情况"));
        }
        if f.late_feedbacks > 0 {
            found.push(format!("{what}反馈超出期限"));
        }
        if f.sent_back > 0 {
            found.push(format!("{what}反馈不到位，被退回{}次", f.sent_back));
        }
        let open = f.problems_total.saturating_sub(f.problems_rectified);
        if open > 0 && f.status != LetterStatus::Drafted {
            found.push(format!("{what}指出的{}个问题中尚有{}个未整改到位", f.problems_total, open));
        }
        if found.is_empty() {
            continue;
        }
        if !by_unit.contains_key(&f.unit) {
            order.push(f.unit.clone());
        }
        by_unit.entry(f.unit.clone()).or_default().extend(found);
    }
    order
        .into_iter()
        .map(|unit| {
            let problems = by_unit.remove(&unit).unwrap_or_default();
            CircularUnit { unit, problems }
        })
        .collect()
}

/// A circular as an officer asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CircularForm {
    pub title: String,
    pub period_from: String,
    pub period_to: String,
}

/// Drafting a circular: who, where, when.
#[derive(Debug, Clone, Copy)]
pub struct NewCircular<'a> {
    pub id: &'a str,
    pub office: &'a str,
    pub today: NaiveDate,
}

/// The period a circular covers, checked: `from` not after `to`, `to` not after today.
pub fn circular_period(form: &CircularForm, today: NaiveDate) -> Result<(NaiveDate, NaiveDate)> {
    let from = typed_date("通报期间的起始日", &form.period_from)?;
    let to = typed_date("通报期间的截止日", &form.period_to)?;
    if from > to {
        return Err(CoreError::invalid(format!("通报期间的起始日 {from} 晚于截止日 {to}，请核对。")));
    }
    if to > today {
        return Err(CoreError::invalid(format!("通报期间的截止日 {to} 晚于今天（{today}），只能通报已发生的情况。")));
    }
    Ok((from, to))
}

/// Checks a circular and builds `circular.drafted` from the facts of the letters issued in its
/// period; a period with no unit to name is refused.
pub fn draft_circular(
    new: NewCircular<'_>,
    actor: &Actor,
    form: &CircularForm,
    facts: &[LetterFact],
) -> Result<CircularEvent> {
    authorize(actor, &action(new.office, SupervisionAct::Handle))?;
    let title = required("通报标题", &form.title, 100)?;
    let (from, to) = circular_period(form, new.today)?;
    let units = circular_units(facts, to);
    if units.is_empty() {
        return Err(CoreError::invalid(format!(
            "{from} 至 {to} 期间签发的监督建议和提醒函均已按期反馈、整改到位，没有需要通报的单位。"
        )));
    }
    if units.len() > MAX_CIRCULAR_UNITS {
        return Err(CoreError::invalid(format!("一期通报最多点名 {MAX_CIRCULAR_UNITS} 个单位，请缩短期间。")));
    }
    Ok(CircularEvent::Drafted(CircularDrafted {
        circular_id: new.id.to_owned(),
        office_code: new.office.to_owned(),
        date: new.today.to_string(),
        title,
        period_from: from.to_string(),
        period_to: to.to_string(),
        units,
    }))
}

/// Whether `actor` may issue the circular whose status is `status` (`None` before it exists).
pub fn check_circular(status: Option<&str>, here: &str, actor: &Actor) -> Result<()> {
    let Some(status) = status else {
        return Err(CoreError::NotFound { what: "监督通报", id: String::new() });
    };
    authorize(actor, &action(here, SupervisionAct::Handle))?;
    if status != "drafted" {
        return Err(CoreError::invalid("该通报已签发，不能重复签发；如需再次打印，请在发文登记中“重新打印”。"));
    }
    Ok(())
}

/// `circular.issued` after the same check.
pub fn issue_circular(
    status: Option<&str>,
    circular_id: &str,
    here: &str,
    actor: &Actor,
    number: &str,
    document_id: &str,
    today: NaiveDate,
) -> Result<CircularEvent> {
    check_circular(status, here, actor)?;
    Ok(CircularEvent::Issued(CircularIssued {
        circular_id: circular_id.to_owned(),
        date: today.to_string(),
        number: number.to_owned(),
        document_id: document_id.to_owned(),
    }))
}
