//! The vocabulary of supervision letters and circulars (监督建议书、提醒函、监督通报): what kind of
//! letter, where it stands, the forms officers fill in, and the event payloads that carry them.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};
use crate::penalty::model::Evidence;

/// Which letter: a supervision suggestion (监督建议书) or a reminder (提醒函, the two reminders of
/// “一书两提醒”).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// 监督建议书: problems found and what the unit should do about them.
    Suggestion,
    /// 提醒函: a reminder of integrity (廉政提醒) or of duty (履职提醒).
    Reminder,
}

impl LetterKind {
    pub const ALL: [LetterKind; 2] = [LetterKind::Suggestion, LetterKind::Reminder];

    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Suggestion => "suggestion",
            LetterKind::Reminder => "reminder",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LetterKind::Suggestion => "监督建议书",
            LetterKind::Reminder => "提醒函",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            CoreError::invalid(format!("没有名为“{s}”的文书类别。可选：suggestion（监督建议书）、reminder（提醒函）。"))
        })
    }
}

/// What a reminder letter reminds of (“两提醒”).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReminderTopic {
    /// 廉政提醒: signs of a risk to integrity.
    Integrity,
    /// 履职提醒: duties (主体责任、监督责任) not carried out.
    Duty,
}

impl ReminderTopic {
    pub const ALL: [ReminderTopic; 2] = [ReminderTopic::Integrity, ReminderTopic::Duty];

    pub fn as_str(self) -> &'static str {
        match self {
            ReminderTopic::Integrity => "integrity",
            ReminderTopic::Duty => "duty",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReminderTopic::Integrity => "廉政提醒",
            ReminderTopic::Duty => "履职提醒",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| {
            CoreError::invalid(format!("没有名为“{s}”的提醒类别。可选：integrity（廉政提醒）、duty（履职提醒）。"))
        })
    }
}

/// Where a letter stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LetterStatus {
    /// Drafted, not yet issued.
    Drafted,
    /// Issued: the unit's feedback is owed (again, after a sending back).
    Issued,
    /// Feedback recorded, waiting to be accepted or sent back.
    Feedback,
    /// Feedback accepted: the letter is closed.
    Closed,
}

impl LetterStatus {
    pub const ALL: [LetterStatus; 4] =
        [LetterStatus::Drafted, LetterStatus::Issued, LetterStatus::Feedback, LetterStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            LetterStatus::Drafted => "drafted",
            LetterStatus::Issued => "issued",
            LetterStatus::Feedback => "feedback",
            LetterStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LetterStatus::Drafted => "拟稿",
            LetterStatus::Issued => "待反馈",
            LetterStatus::Feedback => "反馈待审核",
            LetterStatus::Closed => "已办结",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| CoreError::Encoding(format!("bad letter status {s}")))
    }
}

/// A letter as an officer drafts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LetterForm {
    pub kind: LetterKind,
    /// Required for a reminder letter, absent for a suggestion.
    pub topic: Option<ReminderTopic>,
    pub unit: String,
    pub title: String,
    /// The problems found, one per entry (each counted as rectified or not).
    pub problems: Vec<String>,
    /// What the unit should do.
    pub suggestions: String,
    /// Working days from the issue for the unit's feedback; the office's default when absent.
    pub feedback_working_days: Option<u32>,
    /// A fixed feedback date instead of working days (YYYY-MM-DD), after the issue date.
    #[serde(default)]
    pub feedback_due: Option<String>,
}

/// Payload of `letter.registered` (`letter:<id>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterRegistered {
    pub letter_id: String,
    pub office_code: String,
    pub date: String,
    pub kind: LetterKind,
    pub topic: Option<ReminderTopic>,
    pub unit: String,
    pub title: String,
    pub problems: Vec<String>,
    pub suggestions: String,
    pub feedback_working_days: u32,
    /// A fixed feedback date named instead of the working days.
    #[serde(default)]
    pub feedback_due: Option<String>,
}

/// Payload of `letter.issued`: the number and date of the notice; the feedback falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterIssued {
    pub letter_id: String,
    pub date: String,
    pub number: String,
    pub document_id: String,
    /// The feedback rule as `deadlines::Rule::code` (working days from the issue).
    pub feedback_rule: String,
    /// What the rule counts from when not the issue date (a fixed feedback date: `months:0` from it).
    #[serde(default)]
    pub feedback_start: Option<String>,
}

/// Payload of `letter.feedback_recorded`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackRecorded {
    pub letter_id: String,
    /// 1 for the first feedback, one more after each sending back.
    pub round: u32,
    /// The day the unit gave its feedback.
    pub date: String,
    pub content: String,
    /// The problems (1-based, in the letter's order) the unit reports rectified.
    pub rectified: Vec<u32>,
    pub evidence: Vec<Evidence>,
    /// The due date the feedback was measured against, and whether it met it.
    pub due_date: Option<String>,
    pub on_time: bool,
}

/// Payload of `letter.feedback_accepted` and `letter.feedback_sent_back`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackReviewed {
    pub letter_id: String,
    pub round: u32,
    pub date: String,
    pub note: String,
    /// On a sending back: the rule of the new feedback deadline, counted from `date`.
    #[serde(default)]
    pub feedback_rule: Option<String>,
}

/// Payload of `letter.reminded` (催办).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterReminded {
    pub letter_id: String,
    pub round: u32,
    pub date: String,
    pub note: String,
}

/// A unit a circular names, with its problems in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CircularUnit {
    pub unit: String,
    pub problems: Vec<String>,
}

/// Payload of `circular.drafted` (`circular:<id>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircularDrafted {
    pub circular_id: String,
    pub office_code: String,
    pub date: String,
    pub title: String,
    pub period_from: String,
    pub period_to: String,
    pub units: Vec<CircularUnit>,
}

/// Payload of `circular.issued`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircularIssued {
    pub circular_id: String,
    pub date: String,
    pub number: String,
    pub document_id: String,
}
