//! What screens and scripts read of supervision letters and circulars: the letter list with each
//! letter's feedback light, one letter's page (problems, feedback rounds, reminders, the steps the
//! viewer may take), circulars, the statistics of a period (letters sent, feedback on time,
//! problems rectified), and the text the letter and circular notices print.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::model::*;
use super::state;
use super::workflow::{self, LetterStep, feedback_deadline_id};
use crate::authz::{Actor, SupervisionAct, authorize};
use crate::deadlines::{self, DeadlineView};
use crate::error::{CoreError, Result};
use crate::penalty::model::Evidence;
use crate::store::Store;

fn json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| CoreError::Encoding(e.to_string()))
}

fn view(store: &Store) -> Result<String> {
    store.office()
}

/// The feedback deadline now owed or last met, for the letter's light.
fn feedback_deadline(store: &Store, id: &str, round: u32) -> Result<Option<DeadlineView>> {
    if round == 0 {
        return Ok(None);
    }
    Ok(deadlines::query(
        store.conn(),
        store.calendar(),
        store.clock().today(),
        "id = ?1",
        &feedback_deadline_id(id, round),
        Some(1),
    )?
    .pop())
}

/// A letter as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LetterRow {
    pub id: String,
    pub kind: LetterKind,
    /// 监督建议书, or 提醒函（廉政提醒）.
    pub kind_label: String,
    pub unit: String,
    pub title: String,
    pub status: LetterStatus,
    pub status_label: String,
    pub number: Option<String>,
    pub issue_date: Option<String>,
    pub round: u32,
    pub reminders: u32,
    pub problems_total: u32,
    pub problems_rectified: u32,
    /// The feedback deadline now owed (or last met), with its light.
    pub deadline: Option<DeadlineView>,
}

fn kind_label(kind: LetterKind, topic: Option<&str>) -> String {
    match topic.and_then(|t| ReminderTopic::parse(t).ok()) {
        Some(t) => format!("{}（{}）", kind.label(), t.label()),
        None => kind.label().to_owned(),
    }
}

/// Every letter, newest first.
pub fn letters(store: &Store, actor: &Actor) -> Result<Vec<LetterRow>> {
    let office = view(store)?;
    authorize(actor, &workflow::action(&office, SupervisionAct::View))?;
    let mut stmt = store.conn().prepare_cached(
        "SELECT id, kind, topic, unit, title, status, number, issue_date, feedback_round, reminders, problems_total,
            problems_rectified
         FROM supervision_letters WHERE office_code = ?1 ORDER BY created_at DESC, id DESC",
    )?;
    let mut rows = stmt.query([&office])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let kind = LetterKind::parse(&r.get::<_, String>(1)?).map_err(|e| CoreError::Encoding(e.to_string()))?;
        let topic: Option<String> = r.get(2)?;
        let status = LetterStatus::parse(&r.get::<_, String>(5)?)?;
        let round: u32 = r.get(8)?;
        out.push(LetterRow {
            deadline: feedback_deadline(store, &id, round)?,
            id,
            kind,
            kind_label: kind_label(kind, topic.as_deref()),
            unit: r.get(3)?,
            title: r.get(4)?,
            status,
            status_label: status.label().to_owned(),
            number: r.get(6)?,
            issue_date: r.get(7)?,
            round,
            reminders: r.get(9)?,
            problems_total: r.get(10)?,
            problems_rectified: r.get(11)?,
        });
    }
    Ok(out)
}

/// One feedback the unit gave, and how it was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FeedbackView {
    pub round: u32,
    pub date: String,
    pub content: String,
    pub rectified: Vec<u32>,
    pub evidence: Vec<Evidence>,
    pub due_date: Option<String>,
    pub on_time: bool,
    /// 待审核, 已采纳 or 已退回.
    pub outcome_label: String,
    pub review_note: Option<String>,
    pub review_date: Option<String>,
}

/// A reminder sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReminderView {
    pub date: String,
    pub note: String,
}

/// One letter's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LetterDetail {
    pub row: LetterRow,
    pub problems: Vec<String>,
    pub suggestions: String,
    pub feedback_working_days: u32,
    pub feedback_due: Option<String>,
    pub feedback: Vec<FeedbackView>,
    pub reminders: Vec<ReminderView>,
    /// The steps the viewer may take now (签发 is taken through the notice).
    pub steps: Vec<LetterStep>,
    /// Whether the feedback owed now is late.
    pub late: bool,
}

/// Letter `id`'s page.
pub fn letter(store: &Store, actor: &Actor, id: &str) -> Result<LetterDetail> {
    let office = view(store)?;
    authorize(actor, &workflow::action(&office, SupervisionAct::View))?;
    let row = letters(store, actor)?
        .into_iter()
        .find(|l| l.id == id)
        .ok_or_else(|| CoreError::NotFound { what: "监督建议或提醒函", id: id.to_owned() })?;
    let conn = store.conn();
    let (problems, suggestions, days, fixed): (String, String, u32, Option<String>) = conn
        .prepare_cached(
            "SELECT problems_json, suggestions, feedback_working_days, feedback_due FROM supervision_letters
             WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let mut feedback = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT round, date, content, rectified_json, evidence_json, due_date, on_time, outcome, review_note,
                review_date
             FROM letter_feedback WHERE letter_id = ?1 ORDER BY round, date",
        )?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            let outcome: String = r.get(7)?;
            feedback.push(FeedbackView {
                round: r.get(0)?,
                date: r.get(1)?,
                content: r.get(2)?,
                rectified: json(&r.get::<_, String>(3)?)?,
                evidence: json(&r.get::<_, String>(4)?)?,
                due_date: r.get(5)?,
                on_time: r.get(6)?,
                outcome_label: match outcome.as_str() {
                    "accepted" => "已采纳",
                    "sent_back" => "已退回",
                    _ => "待审核",
                }
                .to_owned(),
                review_note: r.get(8)?,
                review_date: r.get(9)?,
            });
        }
    }
    let reminders: Vec<ReminderView> = conn
        .prepare_cached("SELECT date, note FROM letter_reminders WHERE letter_id = ?1 ORDER BY date, event_id")?
        .query_map([id], |r| Ok(ReminderView { date: r.get(0)?, note: r.get(1)? }))?
        .collect::<std::result::Result<_, _>>()?;
    let today = store.clock().today();
    let state = state::existing_letter(conn, id)?;
    let mut steps = workflow::allowed(&state, &office, actor, today);
    // Issuing is the notice's own control (the number is taken when it prints).
    steps.retain(|s| *s != LetterStep::Issue);
    Ok(LetterDetail {
        row,
        problems: json(&problems)?,
        suggestions,
        feedback_working_days: days,
        feedback_due: fixed,
        feedback,
        reminders,
        steps,
        late: state.late(today),
    })
}

/// A circular as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CircularRow {
    pub id: String,
    pub title: String,
    pub period_from: String,
    pub period_to: String,
    pub units: Vec<CircularUnit>,
    /// 拟稿 or 已签发.
    pub status_label: String,
    pub issued: bool,
    pub number: Option<String>,
    pub issue_date: Option<String>,
}

/// Every circular, newest first.
pub fn circulars(store: &Store, actor: &Actor) -> Result<Vec<CircularRow>> {
    let office = view(store)?;
    authorize(actor, &workflow::action(&office, SupervisionAct::View))?;
    let mut stmt = store.conn().prepare_cached(
        "SELECT id, title, period_from, period_to, units_json, status, number, issue_date FROM circulars
         WHERE office_code = ?1 ORDER BY created_at DESC, id DESC",
    )?;
    let mut rows = stmt.query([&office])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let status: String = r.get(5)?;
        out.push(CircularRow {
            id: r.get(0)?,
            title: r.get(1)?,
            period_from: r.get(2)?,
            period_to: r.get(3)?,
            units: json(&r.get::<_, String>(4)?)?,
            status_label: if status == "issued" { "已签发" } else { "拟稿" }.to_owned(),
            issued: status == "issued",
            number: r.get(6)?,
            issue_date: r.get(7)?,
        });
    }
    Ok(out)
}

/// The statistics of letters issued in a period, and the circulars issued in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SupervisionStats {
    /// Letters issued (发送监督建议和提醒函).
    pub letters_sent: u32,
    pub suggestions_sent: u32,
    pub reminder_letters_sent: u32,
    /// Letters whose feedback was accepted (完成反馈任务).
    pub feedback_completed: u32,
    /// Letters whose first feedback came by its due date.
    pub feedback_on_time: u32,
    /// Letters with at least one feedback.
    pub feedback_received: u32,
    /// Letters whose feedback is owed and late today.
    pub feedback_overdue: u32,
    /// Feedbacks sent back.
    pub feedback_sent_back: u32,
    /// Reminders (催办) sent.
    pub reminders_sent: u32,
    /// Problems the letters pointed out, and those rectified (推动整改问题).
    pub problems_total: u32,
    pub problems_rectified: u32,
    /// Circulars issued in the period, and the units they named (通报存在问题部门).
    pub circulars_issued: u32,
    pub units_named: u32,
}

/// The statistics of letters issued from `from` to `to` (YYYY-MM-DD, inclusive).
pub fn statistics(store: &Store, actor: &Actor, from: &str, to: &str) -> Result<SupervisionStats> {
    let office = view(store)?;
    authorize(actor, &workflow::action(&office, SupervisionAct::View))?;
    let form = workflow::CircularForm { title: String::new(), period_from: from.into(), period_to: to.into() };
    // The same period rule as a circular's, except that a period may run into the future.
    let (from, to) = workflow::circular_period(&form, NaiveDate::MAX)?;
    let (from, to) = (from.to_string(), to.to_string());
    let today = store.clock().today().to_string();
    let conn = store.conn();
    let mut s: SupervisionStats = conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(kind = 'suggestion'), 0), coalesce(sum(kind = 'reminder'), 0),
                coalesce(sum(status = 'closed'), 0),
                coalesce(sum((SELECT f.on_time FROM letter_feedback f WHERE f.letter_id = l.id
                              ORDER BY f.round LIMIT 1)), 0),
                coalesce(sum(EXISTS (SELECT 1 FROM letter_feedback f WHERE f.letter_id = l.id)), 0),
                coalesce(sum(status = 'issued' AND EXISTS (SELECT 1 FROM deadlines d
                    WHERE d.id = 'letter_feedback:' || l.id || ':' || l.feedback_round AND d.status = 'open'
                      AND d.due_date < ?4)), 0),
                coalesce(sum((SELECT count(*) FROM letter_feedback f WHERE f.letter_id = l.id
                              AND f.outcome = 'sent_back')), 0),
                coalesce(sum(reminders), 0), coalesce(sum(problems_total), 0), coalesce(sum(problems_rectified), 0)
             FROM supervision_letters l
             WHERE office_code = ?1 AND issue_date BETWEEN ?2 AND ?3",
        )?
        .query_row(params![office, from, to, today], |r| {
            Ok(SupervisionStats {
                letters_sent: r.get(0)?,
                suggestions_sent: r.get(1)?,
                reminder_letters_sent: r.get(2)?,
                feedback_completed: r.get(3)?,
                feedback_on_time: r.get(4)?,
                feedback_received: r.get(5)?,
                feedback_overdue: r.get(6)?,
                feedback_sent_back: r.get(7)?,
                reminders_sent: r.get(8)?,
                problems_total: r.get(9)?,
                problems_rectified: r.get(10)?,
                ..SupervisionStats::default()
            })
        })?;
    (s.circulars_issued, s.units_named) = conn
        .prepare_cached(
            "SELECT count(*), coalesce(sum(units), 0) FROM circulars
             WHERE office_code = ?1 AND status = 'issued' AND issue_date BETWEEN ?2 AND ?3",
        )?
        .query_row(params![office, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(s)
}

/// What a letter's notice prints, taken from its draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterDraft {
    pub kind: LetterKind,
    pub topic: Option<ReminderTopic>,
    pub status: LetterStatus,
    pub unit: String,
    pub title: String,
    /// 一、…\n二、…
    pub problems: String,
    pub suggestions: String,
    /// How the feedback period reads: 自收到本函之日起30个工作日内 / 于2026年5月29日前.
    pub feedback_period: String,
}

const NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

fn numeral(i: usize) -> String {
    NUMERALS.get(i).map(|s| (*s).to_owned()).unwrap_or_else(|| (i + 1).to_string())
}

/// The notice text of letter `id`.
pub fn letter_draft(store: &Store, actor: &Actor, id: &str) -> Result<LetterDraft> {
    let office = view(store)?;
    authorize(actor, &workflow::action(&office, SupervisionAct::Handle))?;
    let (kind, topic, status, unit, title, problems, suggestions, days, fixed): (
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        String,
        u32,
        Option<String>,
    ) = store
        .conn()
        .prepare_cached(
            "SELECT kind, topic, status, unit, title, problems_json, suggestions, feedback_working_days, feedback_due
             FROM supervision_letters WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?))
        })
        .optional()?
        .ok_or_else(|| CoreError::NotFound { what: "监督建议或提醒函", id: id.to_owned() })?;
    let problems: Vec<String> = json(&problems)?;
    let feedback_period = match fixed.as_deref().map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d")) {
        Some(Ok(d)) => format!("于{}前", crate::portrait::workflow::chinese_date(d)),
        _ => format!("自收到本{}之日起{days}个工作日内", if kind == "reminder" { "函" } else { "建议书" }),
    };
    Ok(LetterDraft {
        kind: LetterKind::parse(&kind).map_err(|e| CoreError::Encoding(e.to_string()))?,
        topic: topic
            .as_deref()
            .map(ReminderTopic::parse)
            .transpose()
            .map_err(|e| CoreError::Encoding(e.to_string()))?,
        status: LetterStatus::parse(&status)?,
        unit,
        title,
        problems: problems
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{}、{p}", numeral(i)))
            .collect::<Vec<_>>()
            .join("\n"),
        suggestions,
        feedback_period,
    })
}

/// What a circular's notice prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircularDraft {
    pub title: String,
    pub issued: bool,
    /// 2026年1月1日至2026年6月30日.
    pub period: String,
    pub count: u32,
    /// 一、某某局：…；…\n二、…
    pub units: String,
}

/// The notice text of circular `id`.
pub fn circular_draft(store: &Store, actor: &Actor, id: &str) -> Result<CircularDraft> {
    let c = circulars(store, actor)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| CoreError::NotFound { what: "监督通报", id: id.to_owned() })?;
    let d = |s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(crate::portrait::workflow::chinese_date)
            .unwrap_or_else(|_| s.to_owned())
    };
    Ok(CircularDraft {
        title: c.title,
        issued: c.issued,
        period: format!("{}至{}", d(&c.period_from), d(&c.period_to)),
        count: c.units.len() as u32,
        units: c
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| format!("{}、{}：{}。", numeral(i), u.unit, u.problems.join("；")))
            .collect::<Vec<_>>()
            .join("\n"),
    })
}
