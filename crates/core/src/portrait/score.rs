//! A unit's profile score (单位画像, the seed's "扣分规则模型"): 100 less the deductions the office's
//! rules name (penalties, heavy penalties, overdue rectification items, repeat complaints, late
//! feedback on supervision letters) over a window of recent months, shown as a colour band.
//!
//! The rule values are settings (`integrity.*` in `settings::SETTINGS`), so an office tunes them
//! without a new version; `score` is pure and `counts` reads the records of one unit.

use chrono::{Months, NaiveDate};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// The deduction rules as an office configured them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub window_months: u32,
    pub penalty: u32,
    pub penalty_heavy: u32,
    pub overdue_rectification: u32,
    pub repeat_complaint: u32,
    pub late_feedback: u32,
    pub band_green: u32,
    pub band_yellow: u32,
    pub band_orange: u32,
}

impl Rules {
    /// The office's rules, from its settings.
    pub fn load(conn: &Connection) -> Result<Rules> {
        let g = |k: &str| crate::settings::get(conn, k);
        Ok(Rules {
            window_months: g("integrity.score_window_months")?,
            penalty: g("integrity.deduct_penalty")?,
            penalty_heavy: g("integrity.deduct_penalty_heavy")?,
            overdue_rectification: g("integrity.deduct_overdue_rectification")?,
            repeat_complaint: g("integrity.deduct_repeat_complaint")?,
            late_feedback: g("integrity.deduct_late_feedback")?,
            band_green: g("integrity.band_green")?,
            band_yellow: g("integrity.band_yellow")?,
            band_orange: g("integrity.band_orange")?,
        })
    }
}

/// What a unit's records hold in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// People of the unit given a lighter penalty (警告 … 记大过).
    pub penalties: u32,
    /// People given 撤销党内职务, 留党察看, 开除党籍, 降级, 撤职 or 开除.
    pub heavy_penalties: u32,
    /// Rectification items of the unit past their due date and not approved.
    pub overdue_rectifications: u32,
    /// Complaints about the unit's people screened as repeats.
    pub repeat_complaints: u32,
    /// Supervision letters whose feedback came late or is overdue.
    pub late_feedback: u32,
}

/// The colour a score shows as on the unit list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Green,
    Yellow,
    Orange,
    Red,
}

impl Band {
    pub fn label(self) -> &'static str {
        match self {
            Band::Green => "绿色（良好）",
            Band::Yellow => "黄色（关注）",
            Band::Orange => "橙色（预警）",
            Band::Red => "红色（重点监督）",
        }
    }
}

/// One line of a score: what was deducted for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Deduction {
    pub label: String,
    pub count: u32,
    pub each: u32,
    pub points: u32,
}

/// A unit's score with its band and the deductions it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Profile {
    pub score: u32,
    pub band: Band,
    pub band_label: String,
    pub deductions: Vec<Deduction>,
}

/// 100 less the deductions (never below 0), and its band.
pub fn score(c: &Counts, r: &Rules) -> Profile {
    let lines = [
        ("较轻处分（人次）", c.penalties, r.penalty),
        ("较重处分（人次）", c.heavy_penalties, r.penalty_heavy),
        ("逾期未完成的整改事项", c.overdue_rectifications, r.overdue_rectification),
        ("重复举报", c.repeat_complaints, r.repeat_complaint),
        ("逾期反馈的监督建议书、提醒函", c.late_feedback, r.late_feedback),
    ];
    let deductions: Vec<Deduction> = lines
        .into_iter()
        .filter(|(_, n, _)| *n > 0)
        .map(|(label, count, each)| Deduction { label: label.to_owned(), count, each, points: count * each })
        .collect();
    let total: u32 = deductions.iter().map(|d| d.points).sum();
    let score = 100u32.saturating_sub(total);
    let band = if score >= r.band_green {
        Band::Green
    } else if score >= r.band_yellow {
        Band::Yellow
    } else if score >= r.band_orange {
        Band::Orange
    } else {
        Band::Red
    };
    Profile { score, band, band_label: band.label().to_owned(), deductions }
}

/// The penalties counted as heavy: the party penalties from 撤销党内职务 up, the sanctions from 降级 up.
const HEAVY_PARTY: &str = "('removal_from_post', 'probation', 'expulsion')";
const HEAVY_SANCTION: &str = "('demotion', 'dismissal', 'expulsion')";

/// Counts a unit's records in the window ending `today`; `names` are every name the unit goes by.
pub fn counts(conn: &Connection, names: &[String], today: NaiveDate, window_months: u32) -> Result<Counts> {
    let from = today.checked_sub_months(Months::new(window_months)).unwrap_or(today).to_string();
    let today_s = today.to_string();
    let mut c = Counts::default();
    let mut heavy = conn.prepare_cached(&format!(
        "SELECT coalesce(sum(party_penalty IN {HEAVY_PARTY} OR government_sanction IN {HEAVY_SANCTION}), 0), count(*)
         FROM penalties WHERE person_unit = ?1 AND decision_date >= ?2"
    ))?;
    let mut overdue = conn.prepare_cached(
        "SELECT count(*) FROM checklist_items i JOIN checklists l ON l.id = i.checklist_id
         JOIN deadlines d ON d.id = i.deadline_id
         WHERE l.scope = 'rectification' AND i.responsible_unit = ?1 AND i.status <> 'approved'
           AND d.status = 'open' AND d.due_date < ?2",
    )?;
    let mut repeats = conn.prepare_cached(
        "SELECT count(DISTINCT c.id) FROM complaint_subjects s JOIN complaints c ON c.id = s.complaint_id
         WHERE s.unit = ?1 AND c.status = 'repeat' AND c.received_date >= ?2",
    )?;
    let mut late = conn.prepare_cached(
        "SELECT count(*) FROM supervision_letters l
         WHERE l.unit = ?1 AND l.issue_date >= ?2 AND (EXISTS (SELECT 1 FROM letter_feedback f
             WHERE f.letter_id = l.id AND f.on_time = 0)
           OR (l.status = 'issued' AND EXISTS (SELECT 1 FROM deadlines d WHERE d.aggregate = 'letter:' || l.id
             AND d.status = 'open' AND d.due_date < ?3)))",
    )?;
    for n in names {
        let (h, all): (u32, u32) = heavy.query_row(params![n, from], |r| Ok((r.get(0)?, r.get(1)?)))?;
        c.heavy_penalties += h;
        c.penalties += all - h;
        c.overdue_rectifications += overdue.query_row(params![n, today_s], |r| r.get::<_, u32>(0))?;
        c.repeat_complaints += repeats.query_row(params![n, from], |r| r.get::<_, u32>(0))?;
        c.late_feedback += late.query_row(params![n, from, today_s], |r| r.get::<_, u32>(0))?;
    }
    Ok(c)
}
